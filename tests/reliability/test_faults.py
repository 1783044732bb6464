"""Faults with exact outcomes and exit codes (issue 7, part 1).

Each test injects one fault with the simulator and runs the real CLI (in process, against
the in-process simulator) or the engine: a throttling storm, 5xx bursts, a root session
expiring in the middle of an account, an SCP denial and one account failing for good.
Field cases: THROTTLING, STS-SESSION-EXPIRY, SCP-DENIES-ROOT.
"""

from __future__ import annotations

import json

from root_access import Outcome, Selection, delete_credentials, summarize
from root_access.simulator import Simulator
from root_access.simulator.faults import Faults

from .conftest import CliRun, outcomes

DELETED = {
    "111111111111": "skipped_management_account",
    "222222222222": "deleted",
    "333333333333": "already_absent",
    "444444444444": "already_absent",
    "555555555555": "blocked_by_scp",
    "666666666666": "deleted",
    "777777777777": "skipped_inactive_account",
    "888888888888": "skipped_inactive_account",
}
"""delete-credentials --all on the default scenario: only 555555555555 (SCP) fails."""

MEMBERS_WITH_CREDENTIALS = ("222222222222", "666666666666")


def _left(simulator: Simulator) -> list[str]:
    return [a for a in MEMBERS_WITH_CREDENTIALS if simulator.root_user(a).has_credentials]


def test_throttling_storm_every_account_completes_none_lost(
    simulator: Simulator, cli: CliRun
) -> None:
    # given AssumeRoot and IAM throttled organization-wide to a trickle (shared buckets)
    simulator.faults.set(
        Faults.from_dict(
            {
                "throttle": [
                    {"api": "sts:AssumeRoot", "rate": 20, "burst": 1, "per_account": False},
                    {"api": "iam:*", "rate": 40, "burst": 2, "per_account": False},
                ]
            }
        )
    )
    # when the whole organization is cleaned with many workers
    code, out, err = cli(
        "delete-credentials", "--all", "--yes", "--format", "json", "--max-workers", "8"
    )
    # then every account has its exact outcome, throttling happened and was absorbed
    throttled = [c for c in simulator.calls if c.error_code == "Throttling"]
    assert (code, err) == (1, "")
    assert outcomes(out) == DELETED
    assert "throttled" not in json.loads(out)["summary"]["counts"]
    assert len(throttled) > 0
    assert _left(simulator) == []


def test_5xx_bursts_are_retried_and_change_nothing_twice(simulator: Simulator, cli: CliRun) -> None:
    # given bursts of 500 and 503 on the delete calls and on AssumeRoot
    simulator.faults.set(
        Faults.from_dict(
            {
                "errors": [
                    {"api": "sts:AssumeRoot", "count": 2, "status": 503},
                    {"api": "iam:DeleteLoginProfile", "count": 2, "status": 500},
                    {"api": "iam:DeleteAccessKey", "count": 1, "status": 503},
                ]
            }
        )
    )
    # when
    code, out, err = cli(
        "delete-credentials", "--accounts", "222222222222,666666666666", "--yes", "--format", "json"
    )
    # then both accounts are deleted and verified, each password deleted once
    results = json.loads(out)["results"]
    failures = sorted(
        f"{c.action} {c.error_code}"
        for c in simulator.calls
        if c.error_code in ("InternalFailure", "ServiceUnavailable")
    )
    deleted = [
        c.account_id
        for c in simulator.calls
        if c.action == "DeleteLoginProfile" and c.error_code is None
    ]
    assert (code, err) == (0, "")
    assert outcomes(out) == {"222222222222": "deleted", "666666666666": "deleted"}
    assert [r["verified"] for r in results] == [True, True]
    assert failures == [
        "AssumeRoot ServiceUnavailable",
        "AssumeRoot ServiceUnavailable",
        "DeleteAccessKey ServiceUnavailable",
        "DeleteLoginProfile InternalFailure",
        "DeleteLoginProfile InternalFailure",
    ]
    assert sorted(deleted) == ["222222222222", "666666666666"]
    assert _left(simulator) == []


def _codes(simulator: Simulator, action: str) -> list[str | None]:
    return [c.error_code for c in simulator.calls if c.action == action]


def test_session_expiry_mid_account_reassumes_once_and_retries_the_step(
    simulator: Simulator, cli: CliRun
) -> None:
    # given every root session expires after 4 calls: deleting 222222222222's seven
    # credentials (and verifying) cannot finish in one session
    simulator.faults.set(Faults.from_dict({"session_expiry": {"after_calls": 4}}))
    # when
    code, out, err = cli(
        "delete-credentials", "--accounts", "222222222222", "--yes", "--format", "json"
    )
    # then everything was deleted and verified through fresh sessions: each expiry cost
    # exactly one more AssumeRoot and one retry of the expired call
    [result] = json.loads(out)["results"]
    assume = _codes(simulator, "AssumeRoot")
    expired = [c.action for c in simulator.calls if c.error_code == "ExpiredToken"]
    assert (code, err) == (0, "")
    assert (result["outcome"], result["verified"]) == ("deleted", True)
    # (the virtual MFA device is deactivated and left in place: the task policy denies
    # DeleteVirtualMFADevice)
    assert [c["outcome"] for c in result["credentials"]] == [
        "deleted",
        "deleted",
        "deleted",
        "deleted",
        "deactivated",
        "deleted",
        "deleted",
    ]
    assert len(expired) >= 2
    assert assume == [None] * (2 + len(expired))
    assert not simulator.root_user("222222222222").has_credentials


def test_scp_denial_is_blocked_by_scp_and_exit_1(simulator: Simulator, cli: CliRun) -> None:
    # given 555555555555, whose SCP denies every action in root sessions
    # when
    code, out, err = cli("delete-credentials", "--all", "--yes", "--format", "json")
    # then it is blocked_by_scp with the action and the exemption hint, the others done
    results = {r["account_id"]: r for r in json.loads(out)["results"]}
    assert (code, err) == (1, "")
    assert outcomes(out) == DELETED
    assert "aws:AssumedRoot" in results["555555555555"]["detail"]
    assert simulator.root_user("555555555555").has_credentials
    assert _left(simulator) == []


def test_one_account_failing_permanently_others_complete_exit_1(simulator: Simulator) -> None:
    # given every IAM call in 666666666666 answers 500, far beyond any retry budget
    simulator.faults.set(
        Faults.from_dict(
            {
                "errors": [
                    {"api": "iam:*", "count": 1000, "status": 500, "account_id": "666666666666"}
                ]
            }
        )
    )
    # when
    results = list(
        delete_credentials(simulator.session(), selection=Selection(all=True), max_attempts=2)
    )
    # then that account is an error naming the call and code; every other one completed
    by_account = {r.account_id: r for r in results}
    assert {a: r.outcome.value for a, r in by_account.items()} == {
        **DELETED,
        "666666666666": "error",
    }
    assert by_account["666666666666"].detail.startswith("GetLoginProfile failed: InternalFailure")
    assert summarize(results).exit_code == 1
    assert by_account["222222222222"].outcome is Outcome.DELETED
    assert _left(simulator) == ["666666666666"]
