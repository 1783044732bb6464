"""sts:AssumeRoot: who may call it, on which targets, with which parameters (reference §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from root_access.simulator.world import AccessKeySpec, World
from root_access.tasks import ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS, RootTask

from .conftest import MANAGEMENT, MEMBER, REGION, SECURITY, Org

AUDIT_ARN = RootTask.AUDIT.policy_arn("aws")


def _error(call: Callable[[], object]) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def _assume(session: boto3.Session, **kwargs: object) -> dict[str, object]:
    params: dict[str, object] = {"TargetPrincipal": MEMBER, "TaskPolicyArn": {"arn": AUDIT_ARN}}
    params.update(kwargs)
    return session.client("sts", region_name=REGION).assume_root(**params)


def test_credentials_have_the_aws_shape(org: Org) -> None:
    # given the management account's pipeline principal
    before = datetime.now(timezone.utc).replace(microsecond=0)
    # when it assumes root in the member with the default duration
    credentials = _assume(org.management)["Credentials"]
    after = datetime.now(timezone.utc)
    # then it gets temporary ASIA credentials expiring 900 s after issue
    assert isinstance(credentials, dict)
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert len(credentials["AccessKeyId"]) == 20
    assert len(credentials["SecretAccessKey"]) == 40
    assert credentials["SessionToken"]
    issued = credentials["Expiration"] - timedelta(seconds=900)
    assert before <= issued <= after


def test_target_may_be_a_root_arn(org: Org) -> None:
    # given the member's root ARN as target
    target = f"arn:aws:iam::{MEMBER}:root"
    # when the delegated administrator assumes root with it
    credentials = _assume(org.security, TargetPrincipal=target)["Credentials"]
    # then the session acts as the member's root user
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],  # type: ignore[index]
        aws_secret_access_key=credentials["SecretAccessKey"],  # type: ignore[index]
        aws_session_token=credentials["SessionToken"],  # type: ignore[index]
        region_name=REGION,
    )
    identity = session.client("sts").get_caller_identity()
    assert (identity["Account"], identity["Arn"]) == (MEMBER, target)


def test_duration_above_900_is_a_validation_error(org: Org) -> None:
    # given DurationSeconds=901 (botocore only checks the minimum)
    # when the pipeline assumes root
    code, message, status = _error(lambda: _assume(org.management, DurationSeconds=901))
    # then the service rejects it
    assert (code, status) == ("ValidationError", 400)
    assert "less than or equal to 900" in message


def test_duration_900_is_accepted(org: Org) -> None:
    # given the maximum duration
    # when the pipeline assumes root with it
    credentials = _assume(org.management, DurationSeconds=900)["Credentials"]
    # then it gets credentials
    assert credentials["AccessKeyId"].startswith("ASIA")  # type: ignore[index]


def test_global_endpoint_answers_invalid_action(org: Org) -> None:
    # given an STS client on the global endpoint
    sts = org.management.client(
        "sts", region_name="us-east-1", endpoint_url="https://sts.amazonaws.com"
    )
    # when it calls AssumeRoot
    code, message, status = _error(
        lambda: sts.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT_ARN})
    )
    # then the operation is unknown there
    assert (code, message, status) == ("InvalidAction", "Unknown Operation", 400)


def test_regional_endpoint_is_accepted(org: Org) -> None:
    # given an STS client on a regional endpoint of us-east-1
    sts = org.management.client(
        "sts", region_name="us-east-1", endpoint_url="https://sts.us-east-1.amazonaws.com"
    )
    # when it calls AssumeRoot
    credentials = sts.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT_ARN})
    # then it succeeds
    assert credentials["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_root_user_caller_is_refused(org: Org) -> None:
    # given the management account's own root access key
    world = org.world
    world.set_root_credentials(MANAGEMENT, access_keys=[AccessKeySpec()])
    key_id = world.root_user(MANAGEMENT).access_keys[0].access_key_id
    root = boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key="x" * 40, region_name=REGION
    )
    # when root calls AssumeRoot
    code, message, status = _error(lambda: _assume(root))
    # then it is denied, naming the root caller
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(f"User: arn:aws:iam::{MANAGEMENT}:root is not authorized")


def test_member_that_is_not_delegated_admin_is_refused(
    org: Org, session_for: Callable[[str], boto3.Session]
) -> None:
    # given an IAM principal of a plain member account
    member = session_for(MEMBER)
    # when it calls AssumeRoot on another account
    code, message, status = _error(lambda: _assume(member, TargetPrincipal=SECURITY))
    # then it is denied
    assert (code, status) == ("AccessDenied", 403)
    assert "sts:AssumeRoot" in message
    assert "neither the management account nor the delegated administrator" in message


def test_management_account_target_is_refused(org: Org) -> None:
    # given the management account as target
    # when the delegated admin assumes root in it
    code, message, _ = _error(lambda: _assume(org.security, TargetPrincipal=MANAGEMENT))
    # then it is denied
    assert code == "AccessDenied"
    assert "management account" in message


def test_target_outside_the_organization_is_refused(org: Org) -> None:
    # given an account of another organization
    org.world.create_organization(management_account_id="444444444444")
    org.world.create_account(
        management_account_id="444444444444", account_id="555555555555", name="other"
    )
    # when the first organization's pipeline targets it
    code, message, _ = _error(lambda: _assume(org.management, TargetPrincipal="555555555555"))
    # then it is denied
    assert code == "AccessDenied"
    assert "not in the caller's organization" in message


@pytest.mark.parametrize("state", ["SUSPENDED", "PENDING_CLOSURE", "PENDING_ACTIVATION"])
def test_inactive_target_is_refused(org: Org, state: str) -> None:
    # given a member account that is not ACTIVE
    org.world.create_account(
        management_account_id=MANAGEMENT, account_id="666666666666", name="x", state=state
    )
    # when the pipeline assumes root in it
    code, message, _ = _error(lambda: _assume(org.management, TargetPrincipal="666666666666"))
    # then it is denied with the state
    assert code == "AccessDenied"
    assert message.endswith(f"because the target account is {state}")


@pytest.mark.parametrize(
    ("enabled", "task", "missing"),
    [
        ((ROOT_SESSIONS,), RootTask.AUDIT, ROOT_CREDENTIALS_MANAGEMENT),
        ((ROOT_SESSIONS,), RootTask.DELETE_CREDENTIALS, ROOT_CREDENTIALS_MANAGEMENT),
        ((ROOT_CREDENTIALS_MANAGEMENT,), RootTask.CREATE_PASSWORD, ROOT_SESSIONS),
        ((ROOT_CREDENTIALS_MANAGEMENT,), RootTask.UNLOCK_S3_BUCKET_POLICY, ROOT_SESSIONS),
        ((ROOT_CREDENTIALS_MANAGEMENT,), RootTask.UNLOCK_SQS_QUEUE_POLICY, ROOT_SESSIONS),
    ],
)
def test_task_needs_its_feature(
    world: World,
    session_for: Callable[[str], boto3.Session],
    enabled: tuple[str, ...],
    task: RootTask,
    missing: str,
) -> None:
    # given an organization with only one feature enabled
    world.create_organization(management_account_id=MANAGEMENT)
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="m")
    world.enable_trusted_access(management_account_id=MANAGEMENT)
    world.enable_features(management_account_id=MANAGEMENT, features=enabled)
    # when the pipeline assumes root for a task needing the other one
    code, message, _ = _error(
        lambda: _assume(session_for(MANAGEMENT), TaskPolicyArn={"arn": task.policy_arn("aws")})
    )
    # then it is denied, naming the missing feature
    assert code == "AccessDenied"
    assert f"has not enabled {missing}" in message


@pytest.mark.parametrize(
    "task_arn",
    [
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/root-task/IAMDoEverything",
        "arn:aws-cn:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
    ],
)
def test_task_policy_must_be_a_root_task_of_the_partition(org: Org, task_arn: str) -> None:
    # given a policy ARN that is not one of the five root tasks of partition aws
    # when the pipeline assumes root with it
    code, message, _ = _error(lambda: _assume(org.management, TaskPolicyArn={"arn": task_arn}))
    # then it is a validation error
    assert code == "ValidationError"
    assert "TaskPolicyArn" in message


def test_target_principal_must_be_an_account_or_root_arn(org: Org) -> None:
    # given a user ARN as target
    # when the pipeline assumes root with it
    code, _, _ = _error(
        lambda: _assume(org.management, TargetPrincipal=f"arn:aws:iam::{MEMBER}:user/alice")
    )
    # then it is a validation error
    assert code == "ValidationError"


def test_expired_session_answers_expired_token(
    org: Org, assume_root: Callable[..., boto3.Session]
) -> None:
    # given a root session in the member
    session = assume_root(org.management, MEMBER, RootTask.AUDIT)
    # when its sessions are expired and it calls IAM
    org.world.expire_sessions(MEMBER)
    code, message, _ = _error(lambda: session.client("iam").list_access_keys())
    # then the token is expired
    assert code == "ExpiredToken"
    assert message == "The security token included in the request is expired"


def test_expire_sessions_of_other_accounts_leaves_this_one(
    org: Org, assume_root: Callable[..., boto3.Session]
) -> None:
    # given a root session in the member
    session = assume_root(org.management, MEMBER, RootTask.AUDIT)
    # when sessions into another account expire
    org.world.expire_sessions(SECURITY)
    # then this one still works
    assert len(session.client("iam").list_access_keys()["AccessKeyMetadata"]) == 2


def test_aws_cn_partition(world: World, session_for: Callable[[str], boto3.Session]) -> None:
    # given an organization in aws-cn
    world.create_organization(management_account_id=MANAGEMENT, partition="aws-cn")
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="m")
    world.enable_trusted_access(management_account_id=MANAGEMENT)
    world.enable_features(management_account_id=MANAGEMENT, features=[ROOT_CREDENTIALS_MANAGEMENT])
    world.set_root_credentials(MEMBER, password=True)
    pipeline = session_for(MANAGEMENT)
    sts = pipeline.client("sts", region_name="cn-north-1")
    # when it assumes root with the aws-cn task ARN and root ARN
    credentials = sts.assume_root(
        TargetPrincipal=f"arn:aws-cn:iam::{MEMBER}:root",
        TaskPolicyArn={"arn": RootTask.AUDIT.policy_arn("aws-cn")},
    )["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="cn-north-1",
    )
    # then the session is the member's aws-cn root user and the task policy applies
    assert session.client("sts").get_caller_identity()["Arn"] == f"arn:aws-cn:iam::{MEMBER}:root"
    iam = session.client("iam")
    assert iam.get_login_profile()["LoginProfile"]["PasswordResetRequired"] is False
    code, _, _ = _error(lambda: iam.delete_login_profile())
    assert code == "AccessDenied"


def test_adaptive_retries_client_works(org: Org) -> None:
    # given a client with botocore's adaptive retry mode (what the engine uses)
    sts = org.management.client(
        "sts", region_name=REGION, config=Config(retries={"mode": "adaptive", "max_attempts": 3})
    )
    # when it assumes root
    response = sts.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT_ARN})
    # then it succeeds on the first attempt
    assert response["ResponseMetadata"]["RetryAttempts"] == 0


def test_pipeline_limited_to_some_task_policies(org: Org) -> None:
    # given a pipeline allowed only the audit task (field case STS-TASK-SCOPED)
    org.world.allow_root_tasks(MANAGEMENT, [RootTask.AUDIT])
    # when it assumes root with the audit task, then with the delete task
    allowed = _assume(org.management)["Credentials"]
    code, message, status = _error(
        lambda: _assume(
            org.management,
            TaskPolicyArn={"arn": RootTask.DELETE_CREDENTIALS.policy_arn("aws")},
        )
    )
    # then only the audit session is issued
    assert allowed["AccessKeyId"].startswith("ASIA")  # type: ignore[index]
    assert (code, status) == ("AccessDenied", 403)
    assert message == (
        f"User: arn:aws:iam::{MANAGEMENT}:user/pipeline is not authorized to perform: "
        f"sts:AssumeRoot on resource: arn:aws:iam::{MEMBER}:root "
        "because no identity-based policy allows the sts:AssumeRoot action"
    )
