"""Bucket and queue policies enforced, with each service's own errors; ExpiredToken per
service; another account's queue answers an access error (reference §10)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.tasks import RootTask

from .conftest import MEMBER, REGION, SECURITY, Org

AssumeRoot = Callable[..., boto3.Session]
DENY_EVERYONE = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
)


def _error(call: Callable[[], object]) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def _member_admin(org: Org) -> boto3.Session:
    key, secret = org.world.create_pipeline_principal(account_id=MEMBER)
    return boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=REGION)


def test_a_locked_bucket_refuses_the_accounts_administrator(org: Org) -> None:
    # given a bucket whose policy denies everyone, and its account's administrator
    org.world.create_bucket(MEMBER, "locked", region=REGION, policy=DENY_EVERYONE)
    s3 = _member_admin(org).client("s3")
    # when the administrator lists, reads, writes and reads the policy
    calls: list[Callable[[], Any]] = [
        lambda: s3.list_objects_v2(Bucket="locked"),
        lambda: s3.get_object(Bucket="locked", Key="k"),
        lambda: s3.put_object(Bucket="locked", Key="k", Body=b"x"),
        lambda: s3.get_bucket_policy(Bucket="locked"),
        lambda: s3.delete_bucket_policy(Bucket="locked"),
    ]
    errors = [_error(call) for call in calls]
    # then every call is AccessDenied 403 with its code, naming the resource-based policy
    assert [(code, status) for code, _, status in errors] == [("AccessDenied", 403)] * 5
    assert errors[0][1] == (
        f"User: arn:aws:iam::{MEMBER}:user/pipeline is not authorized to perform: "
        "s3:ListBucket on resource: arn:aws:s3:::locked with an explicit deny in a "
        "resource-based policy"
    )
    assert "s3:GetObject on resource: arn:aws:s3:::locked/k " in errors[1][1]


def test_the_owners_root_session_can_still_read_and_remove_the_policy(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given a locked bucket and an S3UnlockBucketPolicy session of its account
    org.world.create_bucket(MEMBER, "locked", region=REGION, policy=DENY_EVERYONE)
    s3 = assume_root(org.management, MEMBER, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    admin = _member_admin(org).client("s3")
    # when it reads and deletes the policy
    policy = s3.get_bucket_policy(Bucket="locked")["Policy"]
    s3.delete_bucket_policy(Bucket="locked")
    # then the policy was the lock, and the administrator now gets in
    assert json.loads(policy) == json.loads(DENY_EVERYONE)
    assert admin.list_objects_v2(Bucket="locked")["KeyCount"] == 0


def test_another_accounts_root_session_cannot_unlock(org: Org, assume_root: AssumeRoot) -> None:
    # given a locked bucket of MEMBER and a root session of SECURITY
    org.world.create_bucket(MEMBER, "locked", region=REGION, policy=DENY_EVERYONE)
    s3 = assume_root(org.management, SECURITY, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    # when it deletes the policy
    code, message, status = _error(lambda: s3.delete_bucket_policy(Bucket="locked"))
    # then the bucket policy's deny applies to it
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith("with an explicit deny in a resource-based policy")


@pytest.mark.parametrize(
    ("principal", "denied"),
    [
        ({"AWS": f"arn:aws:iam::{MEMBER}:user/pipeline"}, True),
        ({"AWS": f"arn:aws:iam::{MEMBER}:user/PIPELINE"}, False),
        ({"AWS": MEMBER}, True),
        ({"AWS": f"arn:aws:iam::{MEMBER}:root"}, True),
        ({"AWS": f"arn:aws:iam::{SECURITY}:root"}, False),
        ("*", True),
    ],
)
def test_bucket_policy_principals_match_like_iam(org: Org, principal: Any, denied: bool) -> None:
    # given a bucket policy denying one principal
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": principal, "Action": "s3:ListBucket", "Resource": "*"}
        ],
    }
    org.world.create_bucket(MEMBER, "b-policy", region=REGION, policy=json.dumps(policy))
    s3 = _member_admin(org).client("s3")
    # when the member's pipeline user lists the bucket
    # then ARNs compare case-sensitively; an account id or its root ARN means the account
    if denied:
        assert _error(lambda: s3.list_objects_v2(Bucket="b-policy"))[0] == "AccessDenied"
    else:
        assert s3.list_objects_v2(Bucket="b-policy")["KeyCount"] == 0


def test_a_locked_queue_refuses_the_administrator_until_the_root_session_unlocks(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given a queue whose policy denies everyone
    url = org.world.create_queue(MEMBER, "locked", region=REGION, policy=DENY_EVERYONE)
    admin = _member_admin(org).client("sqs")
    refused = _error(lambda: admin.send_message(QueueUrl=url, MessageBody="x"))
    root = assume_root(org.management, MEMBER, RootTask.UNLOCK_SQS_QUEUE_POLICY).client("sqs")
    # when the owner's root session reads and clears the policy
    policy = root.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
    root.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
    # then the administrator was refused with SQS's access error, and now gets in
    assert (refused[0], refused[2]) == ("AccessDenied", 403)
    assert refused[1].endswith("with an explicit deny in a resource-based policy")
    assert json.loads(policy["Policy"]) == json.loads(DENY_EVERYONE)
    assert "MessageId" in admin.send_message(QueueUrl=url, MessageBody="x")


def test_another_accounts_queue_answers_an_access_error(org: Org) -> None:
    # given a queue of SECURITY and MEMBER's administrator
    url = org.world.create_queue(SECURITY, "foreign", region=REGION)
    sqs = _member_admin(org).client("sqs")
    # when the administrator sends to it
    code, message, status = _error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x"))
    # then SQS says access, not NonExistentQueue
    assert (code, status) == ("AccessDenied", 403)
    assert message == (
        f"User: arn:aws:iam::{MEMBER}:user/pipeline is not authorized to perform: "
        f"sqs:SendMessage on resource: arn:aws:sqs:{REGION}:{SECURITY}:foreign because no "
        "resource-based policy allows the sqs:SendMessage action"
    )


@pytest.mark.parametrize(
    ("service", "call", "status", "message"),
    [
        ("iam", lambda c: c.list_access_keys(), 403,
         "The security token included in the request is expired"),
        ("sqs", lambda c: c.list_queues(), 403,
         "The security token included in the request is expired"),
        ("s3", lambda c: c.list_buckets(), 400, "The provided token has expired."),
    ],
)  # fmt: skip
def test_expired_token_is_answered_as_each_service_does(
    org: Org,
    assume_root: AssumeRoot,
    service: str,
    call: Callable[[Any], object],
    status: int,
    message: str,
) -> None:
    # given a root session of a task allowed in that service, then expired
    task = {
        "iam": RootTask.AUDIT,
        "sqs": RootTask.UNLOCK_SQS_QUEUE_POLICY,
        "s3": RootTask.UNLOCK_S3_BUCKET_POLICY,
    }[service]
    client = assume_root(org.management, MEMBER, task).client(service)
    org.world.expire_sessions(MEMBER)
    # when it calls the service
    error = _error(lambda: call(client))
    # then the code, status and wording are that service's
    assert error == ("ExpiredToken", message, status)
