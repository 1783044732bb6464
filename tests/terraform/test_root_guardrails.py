"""The root-guardrails example applied for real against the simulator server."""

from __future__ import annotations

import json

import boto3
import pytest

from root_access.scp_lint import ScpStatus, lint_scps
from root_access.tasks import RootTask

pytestmark = [pytest.mark.terraform, pytest.mark.server]

PIPELINE = "arn:aws:iam::333333333333:role/root-access-pipeline"


def test_root_guardrails_example(workspace, terraform, simulator_server, client, monkeypatch):
    # given the Workloads OU
    server = simulator_server
    organizations = client(server, "organizations")
    root = organizations.list_roots()["Roots"][0]["Id"]
    [workloads] = [
        ou
        for ou in organizations.list_organizational_units_for_parent(ParentId=root)[
            "OrganizationalUnits"
        ]
        if ou["Name"] == "Workloads"
    ]
    tf = terraform(
        workspace / "examples" / "root-guardrails",
        server,
        {"deny_root_user_target_ids": [workloads["Id"]]},
    )
    tf.init()
    # when
    tf.apply()
    # then each SCP exists, holds the module's document and is attached where asked
    outputs = tf.outputs()
    deny_id = outputs["deny_root_user_policy_id"]
    restrict_id = outputs["restrict_assume_root_policy_id"]
    assert outputs["attached_target_ids"] == {
        "deny_root_user": [workloads["Id"]],
        "restrict_assume_root": ["333333333333"],
    }
    assert "disabled_policy_id" not in outputs  # null: the disabled instance made nothing
    deny = json.loads(organizations.describe_policy(PolicyId=deny_id)["Policy"]["Content"])
    assert deny["Statement"][0]["Condition"] == {
        "ArnLike": {"aws:PrincipalArn": "arn:*:iam::*:root"},
        "Null": {"aws:AssumedRoot": "true"},
    }
    restrict = json.loads(organizations.describe_policy(PolicyId=restrict_id)["Policy"]["Content"])
    assert [s["Sid"] for s in restrict["Statement"]] == [
        "DenyAssumeRootExceptPipelineRoles",
        "LimitTaskPolicies0",
    ]
    targets = organizations.list_targets_for_policy(PolicyId=deny_id)["Targets"]
    assert [t["TargetId"] for t in targets] == [workloads["Id"]]
    targets = organizations.list_targets_for_policy(PolicyId=restrict_id)["Targets"]
    assert [t["TargetId"] for t in targets] == ["333333333333"]
    # and the lint finds that neither blocks root sessions of any task
    accounts = [a["Id"] for a in organizations.list_accounts()["Accounts"]]
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint_url)
    verdicts = {
        r.account_id: r.status
        for r in lint_scps(
            boto3.Session(
                aws_access_key_id=server.env["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=server.env["AWS_SECRET_ACCESS_KEY"],
                region_name=server.env["AWS_REGION"],
            ),
            account_ids=accounts,
            tasks=tuple(RootTask),
            partition="aws",
            region=server.env["AWS_REGION"],
            management_account_id="111111111111",
        )
    }
    # (555555555555 is blocked by the scenario's own SCP, which lacks the exemption)
    assert verdicts.pop("555555555555") is ScpStatus.BLOCKED
    assert verdicts.pop("111111111111") is ScpStatus.NOT_SUBJECT
    assert set(verdicts.values()) == {ScpStatus.CLEAR}
    # and a second plan changes nothing; destroy detaches and deletes both
    assert tf.changes() == []
    tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    names = [
        p["Name"] for p in organizations.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
    ]
    assert "root-access-deny-root-user" not in names
    assert "root-access-restrict-assume-root" not in names
