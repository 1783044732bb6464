"""Root-session enforcement at the dispatch point: task policies, SCPs, S3 and SQS."""

from __future__ import annotations

import json
from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator.world import AccessKeySpec
from root_access.tasks import RootTask

from .conftest import MEMBER, REGION, Org

AssumeRoot = Callable[..., boto3.Session]
BUCKET_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::locked",
            }
        ],
    }
)
QUEUE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"}],
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


@pytest.mark.parametrize(
    ("task", "allowed", "denied"),
    [
        (RootTask.AUDIT, "list_access_keys", "delete_login_profile"),
        (RootTask.CREATE_PASSWORD, "get_login_profile", "list_access_keys"),
        (RootTask.DELETE_CREDENTIALS, "list_signing_certificates", "get_account_summary"),
    ],
)
def test_iam_task_policies(
    org: Org, assume_root: AssumeRoot, task: RootTask, allowed: str, denied: str
) -> None:
    # given a root session with an IAM task
    iam = assume_root(org.management, MEMBER, task).client("iam")
    # when it calls an allowed and a denied action
    getattr(iam, allowed)()
    code, message, status = _error(getattr(iam, denied))
    # then only the denied one fails, worded like AWS
    action = "iam:" + "".join(part.title() for part in denied.split("_"))
    action = action.replace("Mfa", "MFA")
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(
        f"User: arn:aws:iam::{MEMBER}:root is not authorized to perform: {action} on resource: "
    )
    assert message.endswith("with an explicit deny in a session policy")


def test_iam_call_on_another_user_is_denied(org: Org, assume_root: AssumeRoot) -> None:
    # given the audit session
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when it lists the keys of an IAM user (NotResource arn:aws:iam::*:root)
    code, message, _ = _error(lambda: iam.list_access_keys(UserName="alice"))
    # then it is denied on that user's ARN
    assert code == "AccessDenied"
    assert f"on resource: arn:aws:iam::{MEMBER}:user/alice " in message


def test_get_caller_identity_is_never_denied(org: Org, assume_root: AssumeRoot) -> None:
    # given a session whose task policy does not list sts:GetCallerIdentity
    session = assume_root(org.management, MEMBER, RootTask.UNLOCK_SQS_QUEUE_POLICY)
    # when it asks who it is
    identity = session.client("sts").get_caller_identity()
    # then it is the member's root user
    assert (identity["UserId"], identity["Arn"]) == (MEMBER, f"arn:aws:iam::{MEMBER}:root")


def test_other_services_are_denied_in_a_root_session(org: Org, assume_root: AssumeRoot) -> None:
    # given the audit session
    session = assume_root(org.management, MEMBER, RootTask.AUDIT)
    # when it lists S3 buckets and SQS queues
    s3 = _error(lambda: session.client("s3").list_buckets())
    sqs = _error(lambda: session.client("sqs").list_queues())
    # then both answer AccessDenied in their own shapes
    assert (s3[0], s3[2]) == ("AccessDenied", 403)
    assert "s3:ListAllMyBuckets" in s3[1]
    assert (sqs[0], sqs[2]) == ("AccessDenied", 403)
    assert "sqs:ListQueues" in sqs[1]


def test_s3_unlock_deletes_a_bucket_policy(org: Org, assume_root: AssumeRoot) -> None:
    # given a member bucket locked by its policy
    org.world.create_bucket(MEMBER, "locked", region=REGION, policy=BUCKET_POLICY)
    s3 = assume_root(org.management, MEMBER, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    # when the S3 unlock session lists, reads and deletes the policy
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    policy = json.loads(s3.get_bucket_policy(Bucket="locked")["Policy"])
    s3.delete_bucket_policy(Bucket="locked")
    # then the policy is gone
    assert buckets == ["locked"]
    assert policy["Statement"][0]["Effect"] == "Deny"
    code, _, _ = _error(lambda: s3.get_bucket_policy(Bucket="locked"))
    assert code == "NoSuchBucketPolicy"


def test_s3_unlock_may_put_a_policy_but_not_read_objects(org: Org, assume_root: AssumeRoot) -> None:
    # given a member bucket
    org.world.create_bucket(MEMBER, "locked", region=REGION, policy=BUCKET_POLICY)
    s3 = assume_root(org.management, MEMBER, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    # when it replaces the policy, then tries to list objects
    s3.put_bucket_policy(Bucket="locked", Policy=BUCKET_POLICY.replace("Deny", "Allow"))
    code, message, status = _error(lambda: s3.list_objects_v2(Bucket="locked"))
    # then the put worked and the read is denied
    assert (code, status) == ("AccessDenied", 403)
    assert "s3:ListBucket" in message


def test_sqs_unlock_removes_a_queue_policy(org: Org, assume_root: AssumeRoot) -> None:
    # given a member queue locked by its policy
    url = org.world.create_queue(MEMBER, "locked", region=REGION, policy=QUEUE_POLICY)
    sqs = assume_root(org.management, MEMBER, RootTask.UNLOCK_SQS_QUEUE_POLICY).client("sqs")
    # when the SQS unlock session finds the queue and sets an empty policy
    listed = sqs.list_queues()["QueueUrls"]
    found = sqs.get_queue_url(QueueName="locked")["QueueUrl"]
    before = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
    after = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    # then the policy is gone
    assert listed == [url]
    assert found == url
    assert json.loads(before["Policy"])["Statement"][0]["Effect"] == "Deny"
    assert "Policy" not in after.get("Attributes", {})


def test_sqs_unlock_may_not_send_messages(org: Org, assume_root: AssumeRoot) -> None:
    # given a member queue
    url = org.world.create_queue(MEMBER, "locked", region=REGION)
    sqs = assume_root(org.management, MEMBER, RootTask.UNLOCK_SQS_QUEUE_POLICY).client("sqs")
    # when the session sends a message
    code, message, _ = _error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x"))
    # then it is denied on the queue's ARN
    assert code == "AccessDenied"
    assert f"sqs:SendMessage on resource: arn:aws:sqs:{REGION}:{MEMBER}:locked " in message


def test_sqs_unlock_may_not_read_another_accounts_queue(org: Org, assume_root: AssumeRoot) -> None:
    # given a queue in the security account
    url = org.world.create_queue("333333333333", "foreign", region=REGION)
    sqs = assume_root(org.management, MEMBER, RootTask.UNLOCK_SQS_QUEUE_POLICY).client("sqs")
    # when the member's root session reads its attributes
    code, _, _ = _error(lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]))
    # then DenyGettingQueueAttributesOnNonOwnQueue applies
    assert code == "AccessDenied"


def test_scp_denial_names_the_service_control_policy(org: Org, assume_root: AssumeRoot) -> None:
    # given an SCP that denies IAM in the member's root sessions
    org.world.deny_in_root_sessions(MEMBER, ["iam:*"])
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when the audit session lists keys
    code, message, status = _error(iam.list_access_keys)
    # then AccessDenied says it is an SCP
    assert (code, status) == ("AccessDenied", 403)
    assert message == (
        f"User: arn:aws:iam::{MEMBER}:root is not authorized to perform: iam:ListAccessKeys "
        f"on resource: arn:aws:iam::{MEMBER}:root with an explicit deny in a service control policy"
    )


def test_scp_denial_of_one_action_leaves_the_others(org: Org, assume_root: AssumeRoot) -> None:
    # given an SCP that denies only DeleteAccessKey
    org.world.deny_in_root_sessions(MEMBER, ["iam:DeleteAccessKey"])
    iam = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    # when the delete session deletes the password, then a key
    iam.delete_login_profile()
    key = iam.list_access_keys()["AccessKeyMetadata"][0]["AccessKeyId"]
    code, message, _ = _error(lambda: iam.delete_access_key(AccessKeyId=key))
    # then only the key deletion is blocked by the SCP
    assert code == "AccessDenied"
    assert "service control policy" in message
    assert org.world.root_user(MEMBER).password is False


def test_scp_applies_to_s3_in_root_sessions(org: Org, assume_root: AssumeRoot) -> None:
    # given an SCP denying everything in root sessions of the member
    org.world.deny_in_root_sessions(MEMBER, ["*"])
    org.world.create_bucket(MEMBER, "locked", region=REGION, policy=BUCKET_POLICY)
    s3 = assume_root(org.management, MEMBER, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    # when the unlock session deletes the bucket policy
    code, message, status = _error(lambda: s3.delete_bucket_policy(Bucket="locked"))
    # then the SCP blocks it
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith("with an explicit deny in a service control policy")


def test_expired_session_in_s3_and_sqs(org: Org, assume_root: AssumeRoot) -> None:
    # given S3 and SQS unlock sessions
    s3 = assume_root(org.management, MEMBER, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    sqs = assume_root(org.management, MEMBER, RootTask.UNLOCK_SQS_QUEUE_POLICY).client("sqs")
    # when every session expires
    org.world.expire_sessions()
    # then both services answer ExpiredToken
    assert _error(s3.list_buckets)[0] == "ExpiredToken"
    assert _error(sqs.list_queues)[0] == "ExpiredToken"


def test_iam_principals_are_not_restricted(org: Org) -> None:
    # given the management account's IAM principal (not a root session)
    iam = org.management.client("iam")
    # when it calls IAM actions no task policy allows
    users = [u["UserName"] for u in iam.list_users()["Users"]]
    # then moto answers as usual
    assert users == ["pipeline"]


def test_root_access_key_is_the_root_user(org: Org) -> None:
    # given a long-term root access key of the member (field case STS-CALLER-IS-ROOT)
    org.world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec()])
    key_id = org.world.root_user(MEMBER).access_keys[0].access_key_id
    root = boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key="x" * 40, region_name=REGION
    )
    # when it asks who it is and lists its own keys without UserName
    identity = root.client("sts").get_caller_identity()
    keys = root.client("iam").list_access_keys()["AccessKeyMetadata"]
    # then it is the root user, with no task policy applied
    assert identity["Arn"] == f"arn:aws:iam::{MEMBER}:root"
    assert [k["AccessKeyId"] for k in keys] == [key_id]


def test_list_buckets_reports_bucket_region(org: Org, assume_root: AssumeRoot) -> None:
    # given a member bucket in us-west-2
    org.world.create_bucket(MEMBER, "west", region="us-west-2")
    s3 = assume_root(org.management, MEMBER, RootTask.UNLOCK_S3_BUCKET_POLICY).client("s3")
    # when the S3 unlock session lists buckets with MaxBuckets
    buckets = s3.list_buckets(MaxBuckets=10)["Buckets"]
    # then each carries its Region
    assert [(b["Name"], b.get("BucketRegion")) for b in buckets] == [("west", "us-west-2")]
