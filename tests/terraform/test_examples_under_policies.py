"""The Terraform examples applied under exactly the pipeline policies they need (issue 13
item 3): the management account's pipeline principal gets the union of the
``policies/<mode>.json`` documents of the modes the example runs, as the root module's
``pipeline_policies`` output ships them, enforced by the simulator
(``SimulatorServer.set_pipeline_policy``). The apply ends as in ``test_examples.py``; with
one needed statement removed it fails.

Modes per example (policies/README.md): ``management-account`` runs enable, audit-only and
delete; ``break-glass-unlock`` runs unlock (its ``aws_caller_identity`` data source calls
``sts:GetCallerIdentity``, which needs no permission).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tftest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REPO = Path(__file__).resolve().parents[2]
MANAGEMENT = "111111111111"
FEATURES = ["RootCredentialsManagement", "RootSessions"]
DENY_EVERYONE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
}


def union(*modes: str, without: str | None = None) -> dict[str, Any]:
    """The statements of ``policies/<mode>.json`` for every mode, concatenated, each Sid
    prefixed with its mode (``enable.ReadOrganization``: the files share Sids); ``without``
    names one statement (``<mode>.<Sid>``) to leave out."""
    statements = []
    for mode in modes:
        document = json.loads((REPO / "policies" / f"{mode}.json").read_text())
        for statement in document["Statement"]:
            sid = f"{mode}.{statement['Sid']}"
            if sid != without:
                statements.append({**statement, "Sid": sid.replace(".", "").replace("-", "")})
    kept = {statement["Sid"] for statement in statements}
    assert (
        without is None
        or len(kept)
        == sum(
            len(json.loads((REPO / "policies" / f"{m}.json").read_text())["Statement"])
            for m in modes
        )
        - 1
    ), f"{without} is not a statement of {modes}"
    return {"Version": "2012-10-17", "Statement": statements}


MANAGEMENT_MODES = ("enable", "audit-only", "delete")
UNLOCK_MODES = ("unlock",)


def _management_account(workspace, terraform, server: SimulatorServer, python) -> Any:
    variables = {
        "python_executable": python,
        "selection": {"all": True, "exclude_accounts": ["555555555555"]},
    }
    tf = terraform(workspace / "examples" / "management-account", server, variables)
    tf.init()
    return tf


def test_management_account_under_its_policies(
    workspace, terraform, fresh_organization, python, client, has_root_credentials
):
    # given the pipeline principal limited to enable + audit-only + delete
    server = fresh_organization
    server.set_pipeline_policy(MANAGEMENT, union(*MANAGEMENT_MODES))
    tf = _management_account(workspace, terraform, server, python)
    # when
    tf.apply()
    # then the end state of test_examples.test_management_account
    iam = client(server, "iam")
    assert sorted(iam.list_organizations_features()["EnabledFeatures"]) == FEATURES
    outputs = tf.outputs()
    assert outputs["delegated_administrator_account_id"] == "333333333333"
    assert outputs["accounts_with_root_credentials"] == []
    for account_id in ("222222222222", "666666666666"):
        assert not has_root_credentials(server.root_user(account_id))
    evidence = tf.directory / "evidence" / "root-credentials.jsonl"
    finished = {
        record["account_id"]: record["outcome"]
        for record in map(json.loads, evidence.read_text().splitlines())
        if record["record"] == "account"
    }
    assert finished["222222222222"] == "deleted"


def test_management_account_without_assume_root_to_delete_fails(
    workspace, terraform, fresh_organization, python, has_root_credentials
):
    # given the union without delete.json's sts:AssumeRoot statement
    server = fresh_organization
    server.set_pipeline_policy(
        MANAGEMENT, union(*MANAGEMENT_MODES, without="delete.AssumeRootToDeleteAndVerify")
    )
    tf = _management_account(workspace, terraform, server, python)
    # when / then
    with pytest.raises(tftest.TerraformTestError) as refused:
        tf.apply()
    assert "not authorized to perform: sts:AssumeRoot" in refused.value.args[0]
    assert has_root_credentials(server.root_user("222222222222"))


def _break_glass(workspace, terraform, server: SimulatorServer, python, client_for) -> Any:
    """The locked bucket and queue of test_examples.test_break_glass_unlock and the
    example's workspace; returns (tf, s3, sqs, queue_url)."""
    member = server.env_for("222222222222")
    s3 = client_for(member, "s3")
    s3.create_bucket(Bucket="locked-bucket")
    s3.put_bucket_policy(Bucket="locked-bucket", Policy=json.dumps(DENY_EVERYONE))
    sqs = client_for(member, "sqs")
    queue_url = sqs.create_queue(
        QueueName="locked-queue", Attributes={"Policy": json.dumps(DENY_EVERYONE)}
    )["QueueUrl"]
    variables = {
        "python_executable": python,
        "requests": {
            "INC-0001": {
                "task": "unlock-s3-bucket-policy",
                "account_id": "222222222222",
                "buckets": ["locked-bucket"],
            },
            "INC-0002": {
                "task": "unlock-sqs-queue-policy",
                "account_id": "222222222222",
                "queue_urls": [queue_url],
            },
        },
    }
    tf = terraform(workspace / "examples" / "break-glass-unlock", server, variables)
    tf.init()
    return tf, s3, sqs, queue_url


def _client_for(env: dict[str, str], service: str) -> Any:
    import boto3

    session = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    return session.client(service, endpoint_url=env["AWS_ENDPOINT_URL"])


def _admin_reads(s3, sqs, queue_url: str) -> tuple[str, str]:
    """What the member account's administrator gets reading the bucket policy and the
    queue policy: an error code, or ``"ok"`` with the policy (``"ok:empty"`` if none)."""
    try:
        s3.get_bucket_policy(Bucket="locked-bucket")
        bucket = "ok"
    except s3.exceptions.ClientError as error:
        bucket = error.response["Error"]["Code"]
    try:
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
        policy = attributes.get("Attributes", {}).get("Policy", "")
        queue = "ok" if policy else "ok:empty"
    except sqs.exceptions.ClientError as error:
        queue = error.response["Error"]["Code"]
    return bucket, queue


def test_break_glass_unlock_under_its_policies(workspace, terraform, simulator_server, python):
    # given locked policies and the pipeline principal limited to unlock.json
    server = simulator_server
    tf, s3, sqs, queue_url = _break_glass(workspace, terraform, server, python, _client_for)
    server.set_pipeline_policy(MANAGEMENT, union(*UNLOCK_MODES))
    # when
    tf.apply()
    # then both policies are gone, as in test_examples.test_break_glass_unlock
    server.set_pipeline_policy(MANAGEMENT, None)
    assert _admin_reads(s3, sqs, queue_url) == ("NoSuchBucketPolicy", "ok:empty")
    evidence = (tf.directory / "evidence" / "break-glass.jsonl").read_text()
    assert "locked-bucket" in evidence
    assert tf.outputs()["request_ids"] == ["INC-0001", "INC-0002"]
    assert tf.outputs()["disabled_request_ids"] == []


def test_break_glass_unlock_without_assume_root_fails(
    workspace, terraform, simulator_server, python
):
    # given the union without unlock.json's sts:AssumeRoot statement
    server = simulator_server
    tf, s3, sqs, queue_url = _break_glass(workspace, terraform, server, python, _client_for)
    server.set_pipeline_policy(
        MANAGEMENT, union(*UNLOCK_MODES, without="unlock.AssumeRootForPrivilegedTasks")
    )
    # when / then
    with pytest.raises(tftest.TerraformTestError) as refused:
        tf.apply()
    assert "not authorized to perform: sts:AssumeRoot" in refused.value.args[0]
    server.set_pipeline_policy(MANAGEMENT, None)
    assert _admin_reads(s3, sqs, queue_url) == ("AccessDenied", "AccessDenied")
