"""Targeting: OU walks, exclusions, skips, unknown ids, all streamed from Organizations."""

from __future__ import annotations

import boto3
import pytest

from root_access import Outcome, Selection, UsageError, audit, resolve_targets
from root_access.clients import organizations_client
from root_access.simulator import Simulator
from root_access.targeting import Target, check_selection, iter_targets, target_of


def ou_id(session: boto3.Session, *path: str) -> str:
    """The id of the OU at ``path`` (names from the root)."""
    organizations = session.client("organizations")
    parent = organizations.list_roots()["Roots"][0]["Id"]
    for name in path:
        units = organizations.list_organizational_units_for_parent(ParentId=parent)
        parent = next(u["Id"] for u in units["OrganizationalUnits"] if u["Name"] == name)
    return parent


def targets(sim: Simulator, selection: Selection) -> list[tuple[str, str | None, str | None]]:
    organizations = organizations_client(sim.session(), "us-east-1")
    check_selection(organizations, selection)
    found = iter_targets(organizations, selection, management_account_id="111111111111")
    return sorted((t.account_id, t.state, t.skip.value if t.skip else None) for t in found)


def test_all_targets_every_account_and_marks_skips(simulator: Simulator) -> None:
    # given the default organization
    # when
    found = targets(simulator, Selection(all=True))
    # then
    assert found == [
        ("111111111111", "ACTIVE", "skipped_management_account"),
        ("222222222222", "ACTIVE", None),
        ("333333333333", "ACTIVE", None),
        ("444444444444", "ACTIVE", None),
        ("555555555555", "ACTIVE", None),
        ("666666666666", "ACTIVE", None),
        ("777777777777", "SUSPENDED", "skipped_inactive_account"),
        ("888888888888", "PENDING_CLOSURE", "skipped_inactive_account"),
    ]


def test_organizational_units_are_walked_recursively(simulator: Simulator) -> None:
    # given the Workloads OU, whose Production child holds 666666666666
    workloads = ou_id(simulator.session(), "Workloads")
    # when
    found = targets(simulator, Selection(organizational_units=(workloads,)))
    # then
    assert [account for account, _, _ in found] == [
        "222222222222",
        "444444444444",
        "555555555555",
        "666666666666",
    ]


def test_exclusions_remove_accounts_and_ou_subtrees(simulator: Simulator) -> None:
    # given
    session = simulator.session()
    selection = Selection(
        organizational_units=(ou_id(session, "Workloads"), ou_id(session, "Security")),
        exclude_accounts=("555555555555",),
        exclude_organizational_units=(ou_id(session, "Workloads", "Production"),),
    )
    # when
    found = targets(simulator, selection)
    # then
    assert [account for account, _, _ in found] == ["222222222222", "333333333333", "444444444444"]


def test_the_root_selects_everything_once(simulator: Simulator) -> None:
    # given the root and an OU below it: accounts must not repeat
    session = simulator.session()
    root = session.client("organizations").list_roots()["Roots"][0]["Id"]
    selection = Selection(organizational_units=(root, ou_id(session, "Workloads")))
    # when
    found = targets(simulator, selection)
    # then
    assert len(found) == 8
    assert len({account for account, _, _ in found}) == 8


def test_acct_not_active_uses_state_then_falls_back_to_status() -> None:
    # given accounts as older and newer Organizations APIs return them
    newer = {"Id": "777777777777", "State": "SUSPENDED", "Status": "ACTIVE"}
    older = {"Id": "888888888888", "Status": "SUSPENDED"}
    active = {"Id": "222222222222", "State": "ACTIVE"}
    # when
    found = [target_of(a, "111111111111") for a in (newer, older, active)]
    # then
    assert found == [
        Target(
            "777777777777",
            None,
            "SUSPENDED",
            Outcome.SKIPPED_INACTIVE_ACCOUNT,
            "account state is SUSPENDED; only ACTIVE accounts are targeted",
        ),
        Target(
            "888888888888",
            None,
            "SUSPENDED",
            Outcome.SKIPPED_INACTIVE_ACCOUNT,
            "account state is SUSPENDED; only ACTIVE accounts are targeted",
        ),
        Target("222222222222", None, "ACTIVE"),
    ]


def test_unknown_ou_is_a_usage_error_before_any_assume_root(simulator: Simulator) -> None:
    # given an OU id of the right shape that does not exist
    selection = Selection(organizational_units=("ou-zzzz-zzzzzzzz",))
    # when
    with pytest.raises(UsageError) as raised:
        audit(simulator.session(), selection=selection)
    # then
    assert str(raised.value) == (
        "organizational unit ou-zzzz-zzzzzzzz does not exist in this organization: check the "
        "id with `aws organizations list-organizational-units-for-parent`"
    )
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


def test_unknown_account_is_a_usage_error_before_any_assume_root(simulator: Simulator) -> None:
    # given an account id that is not in the organization
    selection = Selection(accounts=("222222222222", "999999999999"))
    # when
    with pytest.raises(UsageError) as raised:
        audit(simulator.session(), selection=selection)
    # then
    assert str(raised.value) == "account 999999999999 is not in this organization: check the id"
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


def test_management_account_named_explicitly_is_refused_before_any_assume_root(
    simulator: Simulator,
) -> None:
    # given
    selection = Selection(accounts=("111111111111",))
    # when
    with pytest.raises(UsageError) as raised:
        audit(simulator.session(), selection=selection)
    # then
    assert str(raised.value) == (
        "account 111111111111 is the management account, which centralized root access "
        "does not cover: remove it from --accounts"
    )
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        Selection(accounts=("2222",)),
        Selection(all=True, accounts=("222222222222",)),
        Selection(organizational_units=("ou-1",)),
    ],
)
def test_bad_selection_makes_no_aws_call(simulator: Simulator, selection: Selection) -> None:
    # given a malformed, empty or conflicting selection
    # when
    with pytest.raises(UsageError):
        audit(simulator.session(), selection=selection)
    # then
    assert simulator.calls == []


def test_resolve_targets_lists_the_scope_without_assume_root(simulator: Simulator) -> None:
    # given
    selection = Selection(all=True, exclude_accounts=("444444444444",))
    # when
    found = sorted(
        (t.account_id, t.skip) for t in resolve_targets(simulator.session(), selection=selection)
    )
    # then
    assert found == [
        ("111111111111", Outcome.SKIPPED_MANAGEMENT_ACCOUNT),
        ("222222222222", None),
        ("333333333333", None),
        ("555555555555", None),
        ("666666666666", None),
        ("777777777777", Outcome.SKIPPED_INACTIVE_ACCOUNT),
        ("888888888888", Outcome.SKIPPED_INACTIVE_ACCOUNT),
    ]
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


def test_resolve_targets_refuses_bad_input_before_any_call(simulator: Simulator) -> None:
    # given / when
    with pytest.raises(UsageError):
        resolve_targets(simulator.session(), selection=Selection())
    # then
    assert simulator.calls == []
