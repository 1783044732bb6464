"""Policies the simulator enforces, seen through the `root-access` CLI as a user runs it.

- Service control policies created and attached through Organizations, inherited from
  OUs: a deny-root SCP without the root-session exemption blocks the audit of every
  account below it; the same SCP with ``"Null": {"aws:AssumedRoot": "true"}`` blocks
  nothing (reference §10 "SCP documents").
- Locked buckets and queues: a policy denying everyone refuses the account's
  administrator; ``unlock-s3-bucket-policy`` / ``unlock-sqs-queue-policy`` remove it in
  a root session; the administrator gets in (reference §10 "Locked buckets").
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access import Outcome
from root_access.cli import main
from root_access.simulator import Scenario, Simulator

MEMBER = "222222222222"
DENY_ROOT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyRoot",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        }
    ],
}
DENY_ROOT_EXCEPT_ROOT_SESSIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyRootUser",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {
                "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"},
                "Null": {"aws:AssumedRoot": "true"},
            },
        }
    ],
}
DENY_EVERYONE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
}


@pytest.fixture
def simulator_scenario() -> Scenario:
    """OU Locked (deny-root SCP, no exemption) holding 222222222222 and, one OU deeper,
    333333333333; OU Exempt (the same SCP with the root-session exemption) holding
    444444444444; both SCP documents also attached nowhere else. 222222222222 owns a
    locked bucket and a locked queue."""
    return Scenario.from_dict(
        {
            "region": "us-east-1",
            "organizations": [
                {
                    "management_account": "111111111111",
                    "trusted_access": ["iam.amazonaws.com"],
                    "features": ["RootCredentialsManagement", "RootSessions"],
                    "organizational_units": [
                        {
                            "name": "Locked",
                            "service_control_policies": [
                                {"name": "deny-root", "document": DENY_ROOT}
                            ],
                            "accounts": [{"id": MEMBER, "root_credentials": {"password": True}}],
                            "organizational_units": [
                                {
                                    "name": "Inner",
                                    "accounts": [
                                        {
                                            "id": "333333333333",
                                            "root_credentials": {"password": True},
                                        }
                                    ],
                                }
                            ],
                        },
                        {
                            "name": "Exempt",
                            "service_control_policies": [
                                {
                                    "name": "deny-root-user",
                                    "document": DENY_ROOT_EXCEPT_ROOT_SESSIONS,
                                }
                            ],
                            "accounts": [
                                {
                                    "id": "444444444444",
                                    "root_credentials": {"password": True},
                                    "buckets": [{"name": "locked-bucket", "policy": DENY_EVERYONE}],
                                    "queues": [{"name": "locked-queue", "policy": DENY_EVERYONE}],
                                },
                                {"id": "555555555555"},
                            ],
                        },
                    ],
                }
            ],
        },
        source="test_simulated_policies",
    )


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else None, captured.err


def _admin(simulator: Simulator, account_id: str) -> boto3.Session:
    return simulator.session(account_id)


def _error_code(call: Any, **kwargs: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_an_ou_scp_without_the_exemption_blocks_the_audit_below_it(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the scenario's SCPs, created through Organizations and attached to the OUs
    organizations = cli_env.session().client("organizations")
    locked = next(
        ou
        for ou in organizations.list_organizational_units_for_parent(
            ParentId=organizations.list_roots()["Roots"][0]["Id"]
        )["OrganizationalUnits"]
        if ou["Name"] == "Locked"
    )
    attached = organizations.list_policies_for_target(
        TargetId=locked["Id"], Filter="SERVICE_CONTROL_POLICY"
    )["Policies"]
    # when the whole organization is audited
    code, output, _ = _run(capsys, "audit", "--all", "--format", "json")
    # then every account under Locked (directly or through Inner) is blocked by the SCP,
    # the exempted OU's accounts are audited, the management account is skipped
    outcomes = {r["account_id"]: r["outcome"] for r in output["results"]}
    assert code == 1
    assert sorted(p["Name"] for p in attached) == ["FullAWSAccess", "deny-root"]
    assert outcomes == {
        "111111111111": Outcome.SKIPPED_MANAGEMENT_ACCOUNT.value,
        MEMBER: Outcome.BLOCKED_BY_SCP.value,
        "333333333333": Outcome.BLOCKED_BY_SCP.value,
        "444444444444": Outcome.ROOT_CREDENTIALS_PRESENT.value,
        "555555555555": Outcome.NO_ROOT_CREDENTIALS.value,
    }


def test_a_locked_bucket_is_unlocked_through_the_cli(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a bucket whose policy denies everyone: the account's administrator is refused
    s3 = _admin(cli_env, "444444444444").client("s3")
    before = _error_code(s3.list_objects_v2, Bucket="locked-bucket")
    # when the unlock runs from the management account
    code, output, err = _run(
        capsys, "unlock-s3-bucket-policy", "--yes", "--account", "444444444444",
        "--bucket", "locked-bucket", "--format", "json",
    )  # fmt: skip
    # then the policy is gone and the administrator gets in
    assert before == ("AccessDenied", 403)
    assert (code, err) == (0, "")
    assert output["results"][0]["outcome"] == Outcome.DELETED.value
    assert json.loads(output["results"][0]["credentials"][0]["policy"]) == DENY_EVERYONE
    assert s3.list_objects_v2(Bucket="locked-bucket")["KeyCount"] == 0
    s3.put_object(Bucket="locked-bucket", Key="k", Body=b"x")


def test_a_locked_queue_is_unlocked_through_the_cli(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a queue whose policy denies everyone: the account's administrator is refused
    sqs = _admin(cli_env, "444444444444").client("sqs")
    url = "https://sqs.us-east-1.amazonaws.com/444444444444/locked-queue"
    before = _error_code(sqs.send_message, QueueUrl=url, MessageBody="x")
    # when the unlock runs from the management account
    code, output, err = _run(
        capsys, "unlock-sqs-queue-policy", "--yes", "--account", "444444444444",
        "--queue-url", url, "--format", "json",
    )  # fmt: skip
    # then the policy is gone and the administrator gets in
    assert before == ("AccessDenied", 403)
    assert (code, err) == (0, "")
    assert output["results"][0]["outcome"] == Outcome.DELETED.value
    assert "MessageId" in sqs.send_message(QueueUrl=url, MessageBody="x")


def test_an_unlock_in_an_account_whose_scp_denies_root_sessions_is_blocked(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a bucket in 222222222222, under the deny-root SCP without the exemption
    cli_env.world.create_bucket(MEMBER, "held-bucket", region="us-east-1",
                                policy=json.dumps(DENY_EVERYONE))  # fmt: skip
    # when
    code, output, _ = _run(
        capsys, "unlock-s3-bucket-policy", "--yes", "--account", MEMBER,
        "--bucket", "held-bucket", "--format", "json",
    )  # fmt: skip
    # then the SCP holds: the policy stays
    assert code == 1
    assert output["results"][0]["outcome"] == Outcome.BLOCKED_BY_SCP.value
    assert _error_code(_admin(cli_env, MEMBER).client("s3").get_bucket_policy,
                       Bucket="held-bucket") == ("AccessDenied", 403)  # fmt: skip
