"""The call log and the dispatch hook that feeds it (both protocols, every modelled service)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from root_access.simulator import Simulator
from root_access.simulator.calllog import CallLog, CallRecord, install_dispatch_hook
from root_access.simulator.faults import FaultInjector, Faults, Throttle

MOTO_DEFAULT_ACCOUNT = "123456789012"
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


@pytest.fixture
def plain_moto() -> Iterator[tuple[CallLog, FaultInjector]]:
    """moto's own mock (no simulator extensions needed) with the hook attached."""
    hook = install_dispatch_hook()
    calls, faults = CallLog(), FaultInjector()
    with mock_aws():
        hook.attach(calls, faults)
        try:
            yield calls, faults
        finally:
            hook.detach()


def client(service: str) -> object:
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="fake",
        config=NO_RETRIES,
    )


def test_install_is_idempotent() -> None:
    # when
    first = install_dispatch_hook()
    second = install_dispatch_hook()

    # then
    assert first is second


def test_every_service_is_logged_with_action_and_account(
    plain_moto: tuple[CallLog, FaultInjector],
) -> None:
    # given
    calls, _ = plain_moto

    # when
    client("iam").list_users()  # type: ignore[attr-defined]
    client("sts").get_caller_identity()  # type: ignore[attr-defined]
    client("s3").list_buckets()  # type: ignore[attr-defined]
    client("sqs").list_queues()  # type: ignore[attr-defined]

    # then
    assert calls.records == [
        CallRecord("iam", "ListUsers", MOTO_DEFAULT_ACCOUNT, None),
        CallRecord("sts", "GetCallerIdentity", MOTO_DEFAULT_ACCOUNT, None),
        CallRecord("s3", "ListBuckets", MOTO_DEFAULT_ACCOUNT, None),
        CallRecord("sqs", "ListQueues", MOTO_DEFAULT_ACCOUNT, None),
    ]


def test_errors_are_logged_with_their_code(plain_moto: tuple[CallLog, FaultInjector]) -> None:
    # given
    calls, _ = plain_moto

    # when
    with pytest.raises(ClientError):
        client("iam").get_user(UserName="nobody")  # type: ignore[attr-defined]
    with pytest.raises(ClientError):
        client("organizations").describe_organization()  # type: ignore[attr-defined]
    with pytest.raises(ClientError):
        client("s3").get_bucket_policy(Bucket="no-such-bucket")  # type: ignore[attr-defined]

    # then
    assert [(c.service, c.action, c.error_code) for c in calls.records] == [
        ("iam", "GetUser", "NoSuchEntity"),
        ("organizations", "DescribeOrganization", "AWSOrganizationsNotInUseException"),
        ("s3", "GetBucketPolicy", "NoSuchBucket"),
    ]


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("iam", lambda c: c.list_users(), "Throttling"),
        ("sts", lambda c: c.get_caller_identity(), "Throttling"),
        ("organizations", lambda c: c.list_roots(), "TooManyRequestsException"),
        ("s3", lambda c: c.list_buckets(), "SlowDown"),
        ("sqs", lambda c: c.list_queues(), "RequestThrottled"),
    ],
)
def test_injected_errors_parse_as_aws_errors_in_each_protocol(
    plain_moto: tuple[CallLog, FaultInjector], service: str, call: object, code: str
) -> None:
    # given
    calls, faults = plain_moto
    faults.set(Faults(throttle=(Throttle(f"{service}:*", rate=0, burst=0),)))

    # when
    with pytest.raises(ClientError) as caught:
        call(client(service))  # type: ignore[operator]

    # then
    assert caught.value.response["Error"]["Code"] == code
    assert [c.error_code for c in calls.records] == [code]


def test_detached_hook_logs_nothing(plain_moto: tuple[CallLog, FaultInjector]) -> None:
    # given
    calls, _ = plain_moto
    install_dispatch_hook().detach()

    # when
    client("iam").list_users()  # type: ignore[attr-defined]

    # then
    assert calls.records == []


def test_counters_only_log_keeps_no_records() -> None:
    # given
    log = CallLog(keep_records=False)

    # when
    for _ in range(3):
        log.append(CallRecord("iam", "ListUsers", "111111111111", None))
    log.append(CallRecord("sts", "AssumeRoot", "111111111111", "Throttling"))

    # then
    assert log.records == []
    assert log.total == 4
    assert log.counts == Counter(
        {("iam", "ListUsers", None): 3, ("sts", "AssumeRoot", "Throttling"): 1}
    )


def test_to_dict_is_the_served_json_shape() -> None:
    # given
    log = CallLog()
    log.append(CallRecord("sts", "AssumeRoot", "111111111111", None))
    log.append(CallRecord("iam", "DeleteLoginProfile", "222222222222", "AccessDenied"))

    # when
    data = log.to_dict()

    # then
    assert data == {
        "total": 2,
        "records": [
            {
                "service": "sts",
                "action": "AssumeRoot",
                "account_id": "111111111111",
                "error_code": None,
            },
            {
                "service": "iam",
                "action": "DeleteLoginProfile",
                "account_id": "222222222222",
                "error_code": "AccessDenied",
            },
        ],
        "counts": [
            {
                "service": "iam",
                "action": "DeleteLoginProfile",
                "error_code": "AccessDenied",
                "count": 1,
            },
            {"service": "sts", "action": "AssumeRoot", "error_code": None, "count": 1},
        ],
    }


# --- through the simulator -----------------------------------------------------------------


def test_simulator_logs_the_calling_account_and_never_a_secret(simulator: Simulator) -> None:
    # given
    session = simulator.session()
    credentials = session.client("sts").assume_root(
        TargetPrincipal="222222222222",
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"},
    )["Credentials"]
    root = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=simulator.region,
    )

    # when
    root.client("iam").get_account_summary()
    with pytest.raises(ClientError):
        root.client("iam", config=NO_RETRIES).delete_login_profile()

    # then
    assert simulator.calls == [
        CallRecord("sts", "AssumeRoot", "111111111111", None),
        CallRecord("iam", "GetAccountSummary", "222222222222", None),
        CallRecord("iam", "DeleteLoginProfile", "222222222222", "AccessDenied"),
    ]
    text = repr(simulator.call_log.to_dict())
    assert credentials["SecretAccessKey"] not in text
    assert credentials["SessionToken"] not in text
    assert credentials["AccessKeyId"] not in text


def test_delegated_administrator_calls_are_its_account(simulator: Simulator) -> None:
    # when
    simulator.session("333333333333").client("iam").list_organizations_features()

    # then
    assert simulator.calls == [CallRecord("iam", "ListOrganizationsFeatures", "333333333333", None)]


def test_counters_only_simulator() -> None:
    # given
    with Simulator(keep_call_records=False) as simulator:
        organizations = simulator.session().client("organizations")

        # when
        organizations.list_accounts()
        organizations.list_accounts()

        # then
        assert simulator.calls == []
        assert simulator.call_log.counts == Counter({("organizations", "ListAccounts", None): 2})
