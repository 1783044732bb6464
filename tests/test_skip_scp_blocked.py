"""``skip_scp_blocked``: the sweeps report an account an SCP blocks as ``blocked_by_scp``
from the lint, without one AssumeRoot for it; the default tries every account."""

from __future__ import annotations

from collections import Counter

import pytest

from root_access import Outcome, Selection, allow_password_recovery, audit, delete_credentials
from root_access.simulator import Simulator

BLOCKED = "555555555555"
"""The default scenario's account with a root-session-denying SCP (``scp_deny``)."""
ACTIVE_MEMBERS = 5
"""ACTIVE member accounts of the default scenario (222, 333, 444, 555, 666)."""


def _policy(simulator: Simulator) -> tuple[str, str]:
    org = simulator.session().client("organizations", region_name=simulator.region)
    found = org.list_policies_for_target(TargetId=BLOCKED, Filter="SERVICE_CONTROL_POLICY")
    [policy] = [p for p in found["Policies"] if p["Id"] != "p-FullAWSAccess"]
    return policy["Id"], policy["Name"]


def _assume_roots(simulator: Simulator, since: int) -> int:
    return Counter(c.action for c in simulator.calls[since:])["AssumeRoot"]


def _calls_in(simulator: Simulator, account_id: str, since: int) -> list[str]:
    return [c.action for c in simulator.calls[since:] if c.account_id == account_id]


@pytest.mark.parametrize(
    ("sweep", "task", "kwargs"),
    [
        (audit, "IAMAuditRootUserCredentials", {}),
        (delete_credentials, "IAMDeleteRootUserCredentials", {"dry_run": True}),
        (allow_password_recovery, "IAMCreateRootUserPassword", {"dry_run": True}),
    ],
)
def test_skip_reports_blocked_by_scp_without_assume_root(
    simulator: Simulator, sweep: object, task: str, kwargs: dict[str, bool]
) -> None:
    # given the default scenario, its SCP-blocked account, and the lint's fix for it
    policy_id, name = _policy(simulator)
    before = len(simulator.calls)
    # when
    results = {
        r.account_id: r
        for r in sweep(  # type: ignore[operator]
            simulator.session(), selection=Selection(all=True), skip_scp_blocked=True, **kwargs
        )
    }
    # then the blocked account is reported from the lint, never assumed into
    blocked = results[BLOCKED]
    assert (blocked.outcome, blocked.task) == (Outcome.BLOCKED_BY_SCP, task)
    audit_first = "IAMAuditRootUserCredentials blocked: iam:GetAccountSummary denied"
    first = {
        "IAMAuditRootUserCredentials": audit_first,
        "IAMDeleteRootUserCredentials": "IAMDeleteRootUserCredentials blocked: "
        "iam:GetLoginProfile denied",
        "IAMCreateRootUserPassword": "IAMCreateRootUserPassword blocked: "
        "iam:GetLoginProfile denied",
    }[task]
    assert blocked.detail == (
        f"skipped without AssumeRoot (skip_scp_blocked): {first}; add "
        '"Null": {"aws:AssumedRoot": "true"} to the Condition of statement '
        f"DenyInRootSessions in SCP {name} ({policy_id}) attached to {BLOCKED}"
    )
    assert _assume_roots(simulator, before) == ACTIVE_MEMBERS - 1
    assert _calls_in(simulator, BLOCKED, before) == []
    assert sorted(
        r.account_id for r in results.values() if r.outcome is Outcome.BLOCKED_BY_SCP
    ) == [BLOCKED]


def test_default_tries_the_blocked_account(simulator: Simulator) -> None:
    # given the default scenario
    before = len(simulator.calls)
    # when the flag is not given
    results = {r.account_id: r for r in audit(simulator.session(), selection=Selection(all=True))}
    # then every ACTIVE member is assumed into, and the SCP denies the blocked one's call
    assert results[BLOCKED].outcome is Outcome.BLOCKED_BY_SCP
    assert not results[BLOCKED].detail.startswith("skipped without AssumeRoot")
    assert _assume_roots(simulator, before) == ACTIVE_MEMBERS
    assert _calls_in(simulator, BLOCKED, before) == ["GetAccountSummary"]


def test_skip_makes_only_organizations_reads_for_the_lint(simulator: Simulator) -> None:
    # given the default scenario
    before = len(simulator.calls)
    # when
    list(audit(simulator.session(), selection=Selection(all=True), skip_scp_blocked=True))
    with_lint = Counter(c.action for c in simulator.calls[before:])
    middle = len(simulator.calls)
    list(audit(simulator.session(), selection=Selection(all=True)))
    without = Counter(c.action for c in simulator.calls[middle:])
    # then the lint adds ListParents per account and OU, ListPoliciesForTarget per
    # target and DescribePolicy per SCP, read once each; the blocked account's session
    # and read are saved
    extra = with_lint - without
    assert dict(extra) == {
        "ListParents": ACTIVE_MEMBERS + 3,
        "ListPoliciesForTarget": ACTIVE_MEMBERS + 4,
        "DescribePolicy": 2,
    }
    assert dict(without - with_lint) == {"AssumeRoot": 1, "GetAccountSummary": 1}


def test_an_account_whose_scps_cannot_be_read_is_tried_anyway(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    # given a pipeline whose identity policy refuses the lint's ListParents
    simulator.world.set_pipeline_policy(
        simulator.management_account_id,
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "organizations:ListParents", "Resource": "*"},
            ],
        },
    )
    before = len(simulator.calls)
    # when
    results = {
        r.account_id: r
        for r in audit(simulator.session(), selection=Selection(all=True), skip_scp_blocked=True)
    }
    # then the lint's unknown is never taken for clear or blocked: every account is tried,
    # and the blocked one is denied by the SCP itself
    assert results[BLOCKED].outcome is Outcome.BLOCKED_BY_SCP
    assert not results[BLOCKED].detail.startswith("skipped without AssumeRoot")
    assert _assume_roots(simulator, before) == ACTIVE_MEMBERS
    assert f"{BLOCKED}: SCPs unknown (could not read the SCPs: AccessDenied" in caplog.text
