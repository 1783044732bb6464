"""examples/break-glass-unlock against locks that lock: locked → unlocked.

A bucket and a queue of 222222222222, declared in the scenario with policies that deny
everyone, refuse the account's own administrator (S3 ``AccessDenied`` 403, SQS
``AccessDenied``). The example, applied with the offline Terraform engine and stand-in
providers, removes both policies in ``S3UnlockBucketPolicy`` / ``SQSUnlockQueuePolicy``
root sessions (the owner's root may always manage the policy: reference §10
"Locked buckets"); the administrator then gets in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator import Scenario, SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

MEMBER = "222222222222"
QUEUE_URL = f"https://sqs.us-east-1.amazonaws.com/{MEMBER}/locked-queue"
"""The queue the example's default request INC-0002 names."""
DENY_EVERYONE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
}


def _with_locks(data: dict[str, Any]) -> dict[str, Any]:
    """The default scenario with a locked bucket and queue added to 222222222222."""

    def walk(ou: dict[str, Any]) -> bool:
        for account in ou.get("accounts", []):
            if account["id"] == MEMBER:
                account["buckets"] = [{"name": "locked-bucket", "policy": DENY_EVERYONE}]
                account["queues"] = [{"name": "locked-queue", "policy": DENY_EVERYONE}]
                return True
        return any(walk(child) for child in ou.get("organizational_units", []))

    assert walk(data["organizations"][0])
    return data


@pytest.fixture
def simulator_scenario() -> Scenario:
    """The default organization; 222222222222 owns locked-bucket and locked-queue."""
    return Scenario.from_dict(_with_locks(Scenario.default().to_dict()), source="locks")


def _admin(server: SimulatorServer, service: str) -> Any:
    env: Mapping[str, str] = server.env_for(MEMBER)
    session = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    return session.client(service, endpoint_url=env["AWS_ENDPOINT_URL"])


def _refused(call: Any, **kwargs: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_break_glass_example_unlocks_a_locked_bucket_and_queue(
    workspace, terraform, simulator_server, python
):
    # given the account's administrator is locked out of its bucket and queue
    server = simulator_server
    s3, sqs = _admin(server, "s3"), _admin(server, "sqs")
    assert _refused(s3.list_objects_v2, Bucket="locked-bucket") == ("AccessDenied", 403)
    assert _refused(s3.get_bucket_policy, Bucket="locked-bucket") == ("AccessDenied", 403)
    assert _refused(sqs.send_message, QueueUrl=QUEUE_URL, MessageBody="x") == (
        "AccessDenied",
        403,
    )
    # when the example runs its default requests (INC-0001 the bucket, INC-0002 the queue)
    tf = terraform(
        workspace / "examples" / "break-glass-unlock", server, {"python_executable": python}
    )
    tf.init()
    tf.apply()
    # then the administrator gets in: both policies are gone
    assert s3.list_objects_v2(Bucket="locked-bucket")["KeyCount"] == 0
    assert _refused(s3.get_bucket_policy, Bucket="locked-bucket")[0] == "NoSuchBucketPolicy"
    assert "MessageId" in sqs.send_message(QueueUrl=QUEUE_URL, MessageBody="x")
    assert tf.outputs()["request_ids"] == ["INC-0001", "INC-0002"]
    evidence = (tf.directory / "evidence" / "break-glass.jsonl").read_text()
    assert "locked-bucket" in evidence
    assert "locked-queue" in evidence
