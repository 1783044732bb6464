"""Fault settings and the injector (token buckets, 5xx bursts, latency, session expiry).

The injector is tested with a hand-driven clock; the end-to-end effect on boto3 clients is
tested through the simulator at the bottom.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from root_access.simulator import Simulator
from root_access.simulator.faults import (
    ErrorBurst,
    FaultInjector,
    Faults,
    FaultsError,
    Rejection,
    Throttle,
)

NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})
AUDIT_TASK = {"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def injector(faults: Faults, clock: Clock, seed: int | None = None) -> FaultInjector:
    return FaultInjector(faults, seed=seed, clock=clock, sleep=clock.sleep)


def test_no_faults_let_every_call_pass(clock: Clock) -> None:
    # given
    faults = injector(Faults(), clock)

    # when
    results = [faults.before_call("sts", "AssumeRoot", "111111111111", "AKIA1") for _ in range(50)]

    # then
    assert results == [None] * 50
    assert clock.slept == []


def test_token_bucket_throttles_above_the_quota_and_refills(clock: Clock) -> None:
    # given
    faults = injector(Faults(throttle=(Throttle("sts:AssumeRoot", rate=2, burst=2),)), clock)
    throttled = Rejection("Throttling", 400, "Rate exceeded")

    # when
    burst = [faults.before_call("sts", "AssumeRoot", "111111111111", None) for _ in range(3)]
    clock.now += 0.5  # one token back at 2 per second
    refilled = [faults.before_call("sts", "AssumeRoot", "111111111111", None) for _ in range(2)]

    # then
    assert burst == [None, None, throttled]
    assert refilled == [None, throttled]


def test_throttle_matches_only_its_api(clock: Clock) -> None:
    # given
    faults = injector(Faults(throttle=(Throttle("organizations:List*", rate=1, burst=1),)), clock)

    # when
    results = [
        faults.before_call("organizations", "ListAccounts", "111111111111", None),
        faults.before_call("organizations", "DescribeOrganization", "111111111111", None),
        faults.before_call("organizations", "ListRoots", "111111111111", None),
    ]

    # then
    assert results == [None, None, Rejection("TooManyRequestsException", 400, "Rate exceeded")]


def test_per_account_buckets_are_separate_and_shared_bucket_is_not(clock: Clock) -> None:
    # given
    per_account = injector(Faults(throttle=(Throttle("iam:*", rate=1, burst=1),)), clock)
    shared = injector(
        Faults(throttle=(Throttle("iam:*", rate=1, burst=1, per_account=False),)), clock
    )

    # when
    separate = [
        per_account.before_call("iam", "ListUsers", account, None)
        for account in ("111111111111", "222222222222")
    ]
    together = [
        shared.before_call("iam", "ListUsers", account, None)
        for account in ("111111111111", "222222222222")
    ]

    # then
    assert separate == [None, None]
    assert together == [None, Rejection("Throttling", 400, "Rate exceeded")]


@pytest.mark.parametrize(
    ("service", "code", "status"),
    [
        ("sts", "Throttling", 400),
        ("iam", "Throttling", 400),
        ("organizations", "TooManyRequestsException", 400),
        ("sqs", "RequestThrottled", 400),
        ("s3", "SlowDown", 503),
    ],
)
def test_throttling_codes_are_aws_codes(clock: Clock, service: str, code: str, status: int) -> None:
    # given
    faults = injector(Faults(throttle=(Throttle(f"{service}:*", rate=0, burst=1),)), clock)
    faults.before_call(service, "X", "111111111111", None)

    # when
    rejection = faults.before_call(service, "X", "111111111111", None)

    # then
    assert rejection == Rejection(code, status, "Rate exceeded")


def test_error_burst_fails_the_next_calls_then_stops(clock: Clock) -> None:
    # given
    faults = injector(
        Faults(errors=(ErrorBurst("iam:ListAccessKeys", count=2, status=500),)), clock
    )
    failure = Rejection(
        "InternalFailure", 500, "We encountered an internal error. Please try again."
    )

    # when
    results = [faults.before_call("iam", "ListAccessKeys", "222222222222", None) for _ in range(3)]

    # then
    assert results == [failure, failure, None]


def test_error_burst_for_one_account(clock: Clock) -> None:
    # given
    faults = injector(Faults(), clock)
    faults.fail_next("sts:AssumeRoot", 1, status=503, account_id="333333333333")

    # when
    other = faults.before_call("sts", "AssumeRoot", "111111111111", None)
    target = faults.before_call("sts", "AssumeRoot", "333333333333", None)

    # then
    assert other is None
    assert target == Rejection(
        "ServiceUnavailable", 503, "We encountered an internal error. Please try again."
    )


def test_latency_is_fixed_or_jittered(clock: Clock) -> None:
    # given
    fixed = injector(Faults(latency_ms=40), clock)
    jittered = injector(Faults(latency_ms=100, jitter=0.5), clock, seed=1)

    # when
    fixed.before_call("iam", "ListUsers", "111111111111", None)
    for _ in range(20):
        jittered.before_call("iam", "ListUsers", "111111111111", None)

    # then
    assert clock.slept[0] == pytest.approx(0.040)
    assert all(0.050 <= s <= 0.150 for s in clock.slept[1:])
    assert len(set(clock.slept[1:])) == 20


def test_session_credentials_expire_after_n_calls(clock: Clock) -> None:
    # given
    faults = injector(Faults(session_expiry_after_calls=2), clock)

    # when
    session = [
        faults.before_call("iam", "ListMFADevices", "222222222222", "ASIAONE") for _ in range(3)
    ]
    fresh = faults.before_call("iam", "ListMFADevices", "222222222222", "ASIATWO")
    long_term = [faults.before_call("iam", "ListUsers", "111111111111", "AKIAX") for _ in range(3)]

    # then
    expired = Rejection(
        "ExpiredToken", 403, "The security token included in the request is expired"
    )
    assert session == [None, None, expired]
    assert fresh is None
    assert long_term == [None, None, None]


def test_set_and_clear_replace_the_settings(clock: Clock) -> None:
    # given
    faults = injector(Faults(latency_ms=5), clock)

    # when
    faults.update(errors=(ErrorBurst("iam:*", 1),))
    updated = faults.settings
    faults.clear()

    # then
    assert updated == Faults(latency_ms=5, errors=(ErrorBurst("iam:*", 1),))
    assert faults.settings == Faults()


def test_expire_sessions_needs_a_running_simulator() -> None:
    # given
    faults = FaultInjector()

    # when
    with pytest.raises(RuntimeError) as caught:
        faults.expire_sessions()

    # then
    assert str(caught.value) == "session expiry needs a running simulator"


def test_faults_round_trip_through_the_scenario_form() -> None:
    # given
    faults = Faults(
        latency_ms=3,
        jitter=0.2,
        throttle=(Throttle("sts:AssumeRoot", rate=5, burst=None, per_account=False),),
        errors=(ErrorBurst("iam:ListUsers", 2, 500, "222222222222"),),
        session_expiry_after_calls=7,
    )

    # when
    again = Faults.from_dict(faults.to_dict())

    # then
    assert again == faults


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"latency": 5},
            "latency: unknown field (expected one of: latency_ms, jitter, throttle, "
            "errors, session_expiry)",
        ),
        ({"latency_ms": -1}, "latency_ms: -1 is below 0"),
        ({"jitter": 2}, "jitter: 2.0 is above 1 (a fraction of latency_ms)"),
        (
            {"throttle": [{"api": "sts:AssumeRoot"}]},
            "throttle[0].rate: expected a number, got None",
        ),
        ({"throttle": {"api": "sts:AssumeRoot"}}, "throttle: expected a list"),
        ({"errors": [{"api": "iam:*", "count": 0}]}, "errors[0].count: 0 is below 1"),
        ({"session_expiry": {"after": 1}}, "session_expiry: expected a mapping with after_calls"),
    ],
)
def test_bad_fault_settings(data: dict[str, object], message: str) -> None:
    # when
    with pytest.raises(FaultsError) as caught:
        Faults.from_dict(data)

    # then
    assert str(caught.value) == message


# --- end to end through the in-process simulator -------------------------------------------


def test_throttled_assume_root_reaches_the_client_with_aws_code(simulator: Simulator) -> None:
    # given
    simulator.faults.update(throttle=(Throttle("sts:AssumeRoot", rate=0, burst=1),))
    sts = simulator.session().client("sts", config=NO_RETRIES)
    sts.assume_root(TargetPrincipal="222222222222", TaskPolicyArn=AUDIT_TASK)

    # when
    with pytest.raises(ClientError) as caught:
        sts.assume_root(TargetPrincipal="222222222222", TaskPolicyArn=AUDIT_TASK)

    # then
    assert caught.value.response["Error"]["Code"] == "Throttling"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [c.error_code for c in simulator.calls] == [None, "Throttling"]


def test_throttled_organizations_call_is_too_many_requests(simulator: Simulator) -> None:
    # given
    simulator.faults.update(throttle=(Throttle("organizations:*", rate=0, burst=0),))
    organizations = simulator.session().client("organizations", config=NO_RETRIES)

    # when
    with pytest.raises(ClientError) as caught:
        organizations.list_accounts()

    # then
    assert caught.value.response["Error"]["Code"] == "TooManyRequestsException"


def test_5xx_burst_is_retried_by_botocore_standard_mode(simulator: Simulator) -> None:
    # given
    simulator.faults.fail_next("organizations:DescribeOrganization", 2, status=503)
    organizations = simulator.session().client(
        "organizations", config=Config(retries={"max_attempts": 3, "mode": "standard"})
    )

    # when
    organization = organizations.describe_organization()["Organization"]

    # then
    assert organization["MasterAccountId"] == "111111111111"
    assert [c.error_code for c in simulator.calls] == [
        "ServiceUnavailable",
        "ServiceUnavailable",
        None,
    ]


def test_session_expiry_after_calls_reaches_the_client(simulator: Simulator) -> None:
    # given
    simulator.faults.update(session_expiry_after_calls=1)
    sts = simulator.session().client("sts")
    credentials = sts.assume_root(TargetPrincipal="222222222222", TaskPolicyArn=AUDIT_TASK)[
        "Credentials"
    ]
    iam = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=simulator.region,
    ).client("iam", config=NO_RETRIES)
    iam.list_mfa_devices()

    # when
    with pytest.raises(ClientError) as caught:
        iam.list_mfa_devices()

    # then
    assert caught.value.response["Error"]["Code"] == "ExpiredToken"


def test_runtime_expiry_expires_issued_sessions_only(simulator: Simulator) -> None:
    # given
    sts = simulator.session().client("sts")

    def root_iam() -> object:
        credentials = sts.assume_root(TargetPrincipal="222222222222", TaskPolicyArn=AUDIT_TASK)[
            "Credentials"
        ]
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=simulator.region,
        ).client("iam", config=NO_RETRIES)

    old = root_iam()

    # when
    simulator.faults.expire_sessions("222222222222")
    new = root_iam()

    # then
    with pytest.raises(ClientError) as caught:
        old.list_mfa_devices()  # type: ignore[attr-defined]
    assert caught.value.response["Error"]["Code"] == "ExpiredToken"
    assert new.list_mfa_devices()["MFADevices"] != []  # type: ignore[attr-defined]


def test_latency_applies_in_the_request_path(simulator: Simulator) -> None:
    # given
    slept: list[float] = []
    simulator.faults._sleep = slept.append  # observe, never time, the injected delay
    simulator.faults.update(latency_ms=25)

    # when
    simulator.session().client("iam").list_users()

    # then
    assert slept == [pytest.approx(0.025)]
