"""Allow password recovery against the simulator: CreateLoginProfile without a password."""

from __future__ import annotations

import json
from pathlib import Path

from root_access import Journal, Outcome, Selection, allow_password_recovery
from root_access.recovery import ALREADY
from root_access.simulator import Simulator


def test_recovery_creates_a_login_profile_without_password(simulator: Simulator) -> None:
    # given 444444444444 has no root credentials
    # when
    [result] = allow_password_recovery(
        simulator.session(), selection=Selection(accounts=("444444444444",))
    )
    # then
    assert (result.outcome, result.task, result.detail) == (
        Outcome.RECOVERY_ENABLED,
        "IAMCreateRootUserPassword",
        "login profile created without a password",
    )
    assert simulator.root_user("444444444444").password is True
    assert [c.action for c in simulator.calls if c.account_id == "444444444444"] == [
        "CreateLoginProfile"
    ]


def test_cred_recovery_exists_is_a_no_op_success(simulator: Simulator) -> None:
    # given 666666666666 already has a password
    before = simulator.root_user("666666666666")
    # when
    [result] = allow_password_recovery(
        simulator.session(), selection=Selection(accounts=("666666666666",))
    )
    # then
    assert (result.outcome, result.detail, result.failed) == (
        Outcome.RECOVERY_ENABLED,
        ALREADY,
        False,
    )
    assert ("CreateLoginProfile", "EntityAlreadyExists") in {
        (c.action, c.error_code) for c in simulator.calls
    }
    assert simulator.root_user("666666666666") == before


def test_recovery_dry_run_changes_nothing(simulator: Simulator) -> None:
    # given
    selection = Selection(accounts=("444444444444", "666666666666"))
    # when
    results = {
        r.account_id: r
        for r in allow_password_recovery(simulator.session(), selection=selection, dry_run=True)
    }
    # then
    assert {a: (r.outcome, r.dry_run) for a, r in results.items()} == {
        "444444444444": (Outcome.WOULD_ENABLE_RECOVERY, True),
        "666666666666": (Outcome.RECOVERY_ENABLED, True),
    }
    assert not any(c.action == "CreateLoginProfile" for c in simulator.calls)
    assert simulator.root_user("444444444444").password is False


def test_recovery_is_journaled(simulator: Simulator, tmp_path: Path) -> None:
    # given
    path = tmp_path / "evidence.jsonl"
    # when
    with Journal(path) as journal:
        list(
            allow_password_recovery(
                simulator.session(),
                selection=Selection(accounts=("444444444444",)),
                journal=journal,
            )
        )
    # then
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["record"], r.get("action"), r["outcome"]) for r in records] == [
        ("change", "CreateLoginProfile", "recovery_enabled"),
        ("account", None, "recovery_enabled"),
    ]
