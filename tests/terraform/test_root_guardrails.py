"""The root-guardrails example applied for real against the simulator server."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.scp_lint import ScpStatus, lint_scps
from root_access.tasks import RootTask

pytestmark = [pytest.mark.terraform, pytest.mark.server]

PIPELINE = "arn:aws:iam::333333333333:role/root-access-pipeline"


def _session(server, key: str, secret: str = "x" * 40, token: str | None = None) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=server.env["AWS_REGION"],
    )


def _pipeline_role(server) -> boto3.Session:
    """A session of role root-access-pipeline in the delegated administrator 333333333333."""
    env = server.env_for("333333333333")
    admin = _session(server, env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"])
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::333333333333:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    admin.client("iam", endpoint_url=server.endpoint_url).create_role(
        RoleName="root-access-pipeline", AssumeRolePolicyDocument=json.dumps(trust)
    )
    credentials = admin.client("sts", endpoint_url=server.endpoint_url).assume_role(
        RoleArn=PIPELINE, RoleSessionName="pipeline"
    )["Credentials"]
    return _session(
        server,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )


def _assume_root(caller: boto3.Session, server, task: str) -> dict:
    sts = caller.client("sts", endpoint_url=server.endpoint_url)
    return sts.assume_root(
        TargetPrincipal="222222222222",
        TaskPolicyArn={"arn": f"arn:aws:iam::aws:policy/root-task/{task}"},
    )


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
    # and under the guardrail a member's root user is refused what a root session may do
    member_root = _session(
        server, server.root_user("222222222222")["access_keys"][0]["access_key_id"]
    )
    with pytest.raises(ClientError) as refused:
        member_root.client("iam", endpoint_url=server.endpoint_url).get_account_summary()
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert "explicit deny in a service control policy" in str(refused.value)
    pipeline = _pipeline_role(server)
    credentials = _assume_root(pipeline, server, "IAMAuditRootUserCredentials")["Credentials"]
    root_session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=server.env["AWS_REGION"],
    )
    summary = root_session.client("iam", endpoint_url=server.endpoint_url).get_account_summary()
    assert summary["SummaryMap"]["AccountPasswordPresent"] == 1
    # and in the delegated administrator only the pipeline role, and only with its task
    # policies, may call sts:AssumeRoot
    delegated = server.env_for("333333333333")
    other = _session(server, delegated["AWS_ACCESS_KEY_ID"], delegated["AWS_SECRET_ACCESS_KEY"])
    for caller, task in (
        (other, "IAMAuditRootUserCredentials"),
        (pipeline, "S3UnlockBucketPolicy"),
    ):
        with pytest.raises(ClientError) as refused:
            _assume_root(caller, server, task)
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
        assert "explicit deny in a service control policy" in str(refused.value)
    # and a second plan changes nothing; destroy detaches and deletes both
    assert tf.changes() == []
    tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    names = [
        p["Name"] for p in organizations.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
    ]
    assert "root-access-deny-root-user" not in names
    assert "root-access-restrict-assume-root" not in names
