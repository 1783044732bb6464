"""Engine decisions the CLI used to make itself (issue 10 item 1): status, readiness and
the enable/disable plans are engine functions returning data, from one preflight."""

from __future__ import annotations

from collections import Counter
from typing import Any

from root_access import RootTask, disable, scp_lint
from root_access.enable import plan_disable, plan_enable
from root_access.simulator import Simulator
from root_access.status import READY, status


def _preflights(sim: Simulator) -> int:
    return Counter(c.action for c in sim.calls)["GetCallerIdentity"]


def test_status_is_data_from_one_preflight(simulator: Simulator) -> None:
    # given the default scenario (every feature on)
    # when
    found = status(simulator.session())
    # then
    assert found.tasks == {task.value: READY for task in RootTask}
    assert found.warnings == ()
    assert [root.id.startswith("r-") for root in found.organization] == [True]
    assert found.facts()["management_account_id"] == "111111111111"
    assert found.facts()["warnings"] == []
    assert _preflights(simulator) == 1


def test_enable_plan_lists_only_what_is_missing(simulator: Simulator) -> None:
    # given
    session = simulator.session()
    # when
    plan = plan_enable(session, trusted_access=True, delegated_administrator="444444444444")
    # then
    assert plan.to_dict() == {
        "organization_id": plan.preflight.organization_id,
        "caller_role": "management",
        "dry_run": True,
        "enable_trusted_access": False,
        "enable_features": [],
        "register_delegated_administrator": "444444444444",
    }
    assert [c.action for c in simulator.calls if c.action.startswith(("Enable", "Register"))] == []


def test_disable_plan_then_disable_reuses_the_plan_preflight(simulator: Simulator) -> None:
    # given
    session = simulator.session()
    plan = plan_disable(session, features=("RootSessions",))
    # when
    result = disable(session, features=("RootSessions",), preflight_result=plan.preflight)
    # then
    assert plan.disable_features == ("RootSessions",)
    assert plan.to_dict()["deregister_delegated_administrator"] is None
    assert result.changes == ("DisableOrganizationsRootSessions",)
    assert _preflights(simulator) == 1


def test_status_lints_a_large_organization_on_the_tree_it_already_read(
    simulator: Simulator, monkeypatch: Any
) -> None:
    # given the lint's bulk reads taken for any size, and status without the lint
    monkeypatch.setattr(scp_lint, "BULK_LINT_ABOVE", 0)
    session = simulator.session()
    simulator.call_log.clear()
    plain = status(session, lint_scps=False)
    without = Counter(c.action for c in simulator.calls)
    simulator.call_log.clear()
    # when status lints every account
    linted = status(session)
    calls = Counter(c.action for c in simulator.calls)
    # then the tree is walked once (the lint reuses it), never once per account, and the
    # lint adds only its attachment reads
    tree = ("ListOrganizationalUnitsForParent", "ListAccountsForParent")
    assert [calls[a] for a in tree] == [without[a] for a in tree]
    assert calls["ListParents"] == calls["ListPoliciesForTarget"] == 0
    assert calls["ListRoots"] == without["ListRoots"] + 1
    assert calls["ListTargetsForPolicy"] > 0
    assert linted.organization == plain.organization
    assert {r.account_id for r in linted.scp} == {a.id for _, a in simulator.scenario.accounts()}
