"""Scenarios built into the simulated world: buckets, queues, SCP documents, task features."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator import Scenario, Simulator
from root_access.tasks import RootTask


def _assume(sim: Simulator, account_id: str, task: RootTask) -> boto3.Session:
    credentials = (
        sim.session()
        .client("sts")
        .assume_root(TargetPrincipal=account_id, TaskPolicyArn={"arn": task.policy_arn("aws")})[
            "Credentials"
        ]
    )
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=sim.region,
    )


def _code(call: object, **kwargs: object) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)  # type: ignore[operator]
    return str(raised.value.response["Error"]["Code"])


def test_the_break_glass_scenario_builds_locks_and_scps() -> None:
    # given the packaged break-glass scenario
    with Simulator(Scenario.packaged("break-glass")) as sim:
        admin = sim.session("222222222222")
        s3, sqs = admin.client("s3"), admin.client("sqs")
        queue_url = "https://sqs.us-east-1.amazonaws.com/222222222222/locked-queue"
        organizations = sim.session().client("organizations")
        root_id = organizations.list_roots()["Roots"][0]["Id"]
        # when the account's administrator uses its bucket and queue, and root sessions run
        locked = _code(s3.list_objects_v2, Bucket="locked-bucket")
        opened = s3.list_objects_v2(Bucket="open-bucket")["KeyCount"]
        queue = _code(sqs.send_message, QueueUrl=queue_url, MessageBody="x")
        workload = _assume(sim, "222222222222", RootTask.AUDIT).client("iam")
        held = _assume(sim, "555555555555", RootTask.AUDIT).client("iam")
        on_root = organizations.list_policies_for_target(
            TargetId=root_id, Filter="SERVICE_CONTROL_POLICY"
        )["Policies"]
        # then the locks lock, the exempting root SCP lets root sessions through, the
        # Quarantine OU's SCP blocks them
        assert (locked, opened, queue) == ("AccessDenied", 0, "AccessDenied")
        assert "SummaryMap" in workload.get_account_summary()
        assert _code(held.get_account_summary) == "AccessDenied"
        assert sorted(p["Name"] for p in on_root) == [
            "FullAWSAccess",
            "deny-root-user-except-root-sessions",
        ]


def _organization(task_features: dict[str, str] | None) -> Scenario:
    organization: dict[str, object] = {
        "management_account": "111111111111",
        "trusted_access": ["iam.amazonaws.com"],
        "features": ["RootCredentialsManagement"],
        "accounts": [{"id": "222222222222"}],
    }
    if task_features is not None:
        organization["task_features"] = task_features
    return Scenario.from_dict({"organizations": [organization]})


def test_the_feature_a_task_requires_is_a_scenario_setting() -> None:
    # given only RootCredentialsManagement on, with and without a task_features choice
    # when password recovery is assumed
    with Simulator(_organization(None)) as sim:
        default = _code(
            sim.session().client("sts").assume_root,
            TargetPrincipal="222222222222",
            TaskPolicyArn={"arn": RootTask.CREATE_PASSWORD.policy_arn("aws")},
        )
    with Simulator(
        _organization({"IAMCreateRootUserPassword": "RootCredentialsManagement"})
    ) as sim:
        chosen = _assume(sim, "222222222222", RootTask.CREATE_PASSWORD).client("iam")
        # then the default (RootSessions) refuses; the chosen gate lets it through
        assert default == "AccessDenied"
        chosen.create_login_profile()
        assert sim.root_user("222222222222").password is True
