"""The SCP lint: which accounts an SCP would block in root sessions, before AssumeRoot."""

from __future__ import annotations

import json
from typing import Any

from root_access import scp_lint
from root_access.scp_lint import ScpStatus, lint_scps
from root_access.simulator import Scenario, Simulator
from root_access.tasks import RootTask

DENY_ROOT: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyRootUser",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        }
    ],
}
EXEMPT = json.loads(json.dumps(DENY_ROOT))
EXEMPT["Statement"][0]["Sid"] = "DenyRootUserOutsideSessions"
EXEMPT["Statement"][0]["Condition"]["Null"] = {"aws:AssumedRoot": "true"}
DENY_DELETES: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "NoCredentialDeletes", "Effect": "Deny", "Action": "iam:Delete*", "Resource": "*"}
    ],
}


def _attach(org: Any, name: str, document: dict[str, Any], target: str) -> str:
    policy = org.create_policy(
        Content=json.dumps(document), Description=name, Name=name, Type="SERVICE_CONTROL_POLICY"
    )["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=policy, TargetId=target)
    return str(policy)


def _ou(org: Any, parent: str, name: str) -> str:
    for ou in org.list_organizational_units_for_parent(ParentId=parent)["OrganizationalUnits"]:
        if ou["Name"] == name:
            return str(ou["Id"])
    raise AssertionError(name)


def test_lint_names_policy_statement_and_fix_and_makes_no_assume_root(
    simulator: Simulator,
) -> None:
    # given a root-denying SCP on Security, an exempting one on the root, and a
    # delete-denying one on Workloads' nested OU
    ids = _default_policies(simulator)
    # when
    results, calls = _lint_default_organization(simulator)
    # then
    assert {a: (r.status, sorted(r.blocked_tasks())) for a, r in results.items()} == {
        "111111111111": (ScpStatus.NOT_SUBJECT, []),
        "333333333333": (
            ScpStatus.BLOCKED,
            ["IAMAuditRootUserCredentials", "IAMDeleteRootUserCredentials"],
        ),
        "222222222222": (ScpStatus.CLEAR, []),
        "444444444444": (ScpStatus.CLEAR, []),
        # the default scenario's scp_deny: an SCP without the exemption
        "555555555555": (
            ScpStatus.BLOCKED,
            ["IAMAuditRootUserCredentials", "IAMDeleteRootUserCredentials"],
        ),
        "666666666666": (ScpStatus.BLOCKED, ["IAMDeleteRootUserCredentials"]),
        "777777777777": (ScpStatus.CLEAR, []),
        "888888888888": (ScpStatus.CLEAR, []),
    }
    blocked = results["666666666666"]
    deny_deletes, nested = ids["no-deletes"], ids["nested"]
    assert [(b.action, b.policy_id, b.target_id, b.statement) for b in blocked.blocks] == [
        ("iam:DeleteLoginProfile", deny_deletes, nested, "NoCredentialDeletes"),
        ("iam:DeleteAccessKey", deny_deletes, nested, "NoCredentialDeletes"),
        ("iam:DeleteSigningCertificate", deny_deletes, nested, "NoCredentialDeletes"),
    ]
    first = results["333333333333"].blocks[0]
    assert first.fix == (
        'add "Null": {"aws:AssumedRoot": "true"} to the Condition of statement DenyRootUser '
        f"in SCP deny-root ({ids['deny-root']}) attached to {ids['security']}"
    )
    assert set(calls) <= {
        "ListParents",
        "ListPoliciesForTarget",
        "DescribePolicy",
    }
    assert not [c for c in simulator.calls if c.action == "AssumeRoot"]


def test_an_unreadable_account_is_unknown_never_clear(simulator: Simulator) -> None:
    # given a caller that may not read Organizations (an ordinary member account)
    session = simulator.session("222222222222")
    # when
    [result] = lint_scps(
        session,
        account_ids=["444444444444"],
        tasks=(RootTask.AUDIT,),
        partition="aws",
        region=simulator.region,
        management_account_id="111111111111",
    )
    # then
    assert (result.status, result.blocks_task(RootTask.AUDIT)) == (ScpStatus.UNKNOWN, None)
    assert result.detail.startswith("could not read the SCPs: ")


def _lint_default_organization(simulator: Simulator) -> tuple[dict[str, Any], list[str]]:
    """Lints every account of the organization for the audit and delete tasks; returns
    {account: ScpLintResult} and the actions it called."""
    session = simulator.session()
    org = session.client("organizations", region_name=simulator.region)
    pages = org.get_paginator("list_accounts").paginate()
    accounts = [a["Id"] for page in pages for a in page["Accounts"]]
    before = len(simulator.calls)
    results = {
        r.account_id: r
        for r in lint_scps(
            session,
            account_ids=accounts,
            tasks=(RootTask.AUDIT, RootTask.DELETE_CREDENTIALS),
            partition="aws",
            region=simulator.region,
            management_account_id="111111111111",
        )
    }
    return results, [c.action for c in simulator.calls[before:]]


def _default_policies(simulator: Simulator) -> dict[str, str]:
    """A root-denying SCP on Security, an exempting one on the root and a delete-denying
    one on Workloads' nested OU; returns the policy ids by name and the OU ids."""
    org = simulator.session().client("organizations", region_name=simulator.region)
    root = org.list_roots()["Roots"][0]["Id"]
    security = _ou(org, root, "Security")
    workloads = _ou(org, root, "Workloads")
    [nested] = org.list_organizational_units_for_parent(ParentId=workloads)["OrganizationalUnits"]
    return {
        "deny-root": _attach(org, "deny-root", DENY_ROOT, security),
        "deny-root-exempt": _attach(org, "deny-root-exempt", EXEMPT, root),
        "no-deletes": _attach(org, "no-deletes", DENY_DELETES, nested["Id"]),
        "security": security,
        "nested": nested["Id"],
    }


def test_the_bulk_read_answers_exactly_as_the_per_account_reads(
    simulator: Simulator, monkeypatch: Any
) -> None:
    # given nested OUs with several SCPs, linted once per account and once in bulk
    _default_policies(simulator)
    per_account, per_account_calls = _lint_default_organization(simulator)
    monkeypatch.setattr(scp_lint, "BULK_LINT_ABOVE", 0)
    # when
    bulk, bulk_calls = _lint_default_organization(simulator)
    # then the same answer for every account, from the organization-wide reads
    assert bulk == per_account
    assert sorted(set(per_account_calls)) == [
        "DescribePolicy", "ListParents", "ListPoliciesForTarget",
    ]  # fmt: skip
    assert sorted(set(bulk_calls)) == [
        "DescribePolicy", "ListAccountsForParent", "ListOrganizationalUnitsForParent",
        "ListPolicies", "ListRoots", "ListTargetsForPolicy",
    ]  # fmt: skip


def test_a_large_selection_is_linted_with_a_few_calls_per_hundred_accounts() -> None:
    # given 1,000 accounts in the generated organization's OUs
    scenario = Scenario.generate(accounts=1000, with_credentials=0.0, seed=3)
    with Simulator(scenario) as simulator:
        # when
        results, calls = _lint_default_organization(simulator)
    # then every account is answered, with fewer than 10 Organizations calls per 100
    # accounts (per account reads cost about 200)
    assert len(results) == 1000
    assert {r.status for r in results.values()} <= {
        ScpStatus.CLEAR, ScpStatus.NOT_SUBJECT, ScpStatus.BLOCKED,
    }  # fmt: skip
    assert "ListParents" not in calls
    assert "ListPoliciesForTarget" not in calls
    assert len(calls) < 100
