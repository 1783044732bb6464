"""Root sessions: regional STS, duration bounds, re-assume once on ExpiredToken."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from root_access import Outcome, RootTask, Selection, UsageError, assume_root, audit
from root_access.sessions import RootSession
from root_access.simulator import Simulator
from root_access.sweep import REGIONAL_ENDPOINT_HINT, failure_result
from root_access.targeting import Target

AUDIT = RootTask.AUDIT.policy_arn("aws")


def test_assume_root_returns_a_session_of_the_member_root_user(simulator: Simulator) -> None:
    # given
    caller = simulator.session()
    # when
    root = assume_root(
        caller, TargetPrincipal="222222222222", TaskPolicyArn=AUDIT, region="us-east-1"
    )
    # then
    identity = root.client("sts", region_name="us-east-1").get_caller_identity()
    assert identity["Arn"] == "arn:aws:iam::222222222222:root"
    assert root.get_credentials().access_key.startswith("ASIA")  # type: ignore[union-attr]
    assert root.region_name == "us-east-1"


def test_root_session_clients_retry_like_every_other_client(simulator: Simulator) -> None:
    # given
    root = RootSession(
        simulator.session(), TargetPrincipal="222222222222", TaskPolicyArn=AUDIT, region="us-east-1"
    )
    # when
    iam = root.client("iam")
    # then
    assert iam.meta.config.retries == {"total_max_attempts": 10, "mode": "standard"}
    assert repr(root) == (
        "RootSession(TargetPrincipal='222222222222', TaskPolicyArn="
        "'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials')"
    )


@pytest.mark.parametrize("duration", [0, 901, -1, True, 900.0])
def test_sts_duration_out_of_range_is_refused_before_any_call(
    simulator: Simulator, duration: object
) -> None:
    # given a duration AssumeRoot would reject (or botocore would not check)
    # when
    with pytest.raises(UsageError) as raised:
        audit(
            simulator.session(),
            selection=Selection(accounts=("222222222222",)),
            duration_seconds=duration,  # type: ignore[arg-type]
        )
    # then
    assert str(raised.value) == (
        f"duration {duration!r} is out of range: AssumeRoot sessions last 1..900 seconds "
        "(default 900)"
    )
    assert simulator.calls == []


def test_sts_duration_900_is_accepted(simulator: Simulator) -> None:
    # given / when
    [result] = audit(
        simulator.session(), selection=Selection(accounts=("444444444444",)), duration_seconds=900
    )
    # then
    assert result.outcome is Outcome.NO_ROOT_CREDENTIALS


def test_sts_session_expiry_reassumes_once_and_retries_the_step(simulator: Simulator) -> None:
    # given every root session expires after 3 calls (the audit of 222222222222 needs 9)
    simulator.faults.update(session_expiry_after_calls=3)
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("222222222222",)))
    # then the audit completed with every credential, through fresh sessions
    assert result.outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    assert len(result.credentials) == 7
    assume_calls = [c for c in simulator.calls if c.action == "AssumeRoot"]
    expired = [c for c in simulator.calls if c.error_code == "ExpiredToken"]
    assert len(assume_calls) == len(expired) + 1
    assert len(expired) >= 2


def test_sts_session_expiry_twice_in_one_step_is_an_error_not_a_loop(
    simulator: Simulator,
) -> None:
    # given sessions that expire after every single call: the password step
    # (GetLoginProfile then GetUser) can never finish in one session
    simulator.faults.update(session_expiry_after_calls=1)
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("222222222222",)))
    # then
    assert result.outcome is Outcome.ERROR
    assert result.detail == (
        "GetUser failed: ExpiredToken: The security token included in the request is expired"
    )


def test_sts_global_endpoint_legacy_setting_still_uses_the_regional_endpoint(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the legacy setting that sends us-east-1 to the global endpoint
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_STS", raising=False)
    # when
    [result] = audit(
        simulator.session(), selection=Selection(accounts=("444444444444",)), region="us-east-1"
    )
    # then
    assert result.outcome is Outcome.NO_ROOT_CREDENTIALS
    assert not any(c.error_code == "InvalidAction" for c in simulator.calls)


def test_sts_global_endpoint_invalid_action_says_a_regional_endpoint_is_required(
    simulator: Simulator,
) -> None:
    # given AssumeRoot answered InvalidAction, as the global endpoint answers it
    error = ClientError(
        {"Error": {"Code": "InvalidAction", "Message": "Could not find operation AssumeRoot"}},
        "AssumeRoot",
    )
    # when
    result = failure_result(Target("444444444444"), RootTask.AUDIT, error)
    # then
    assert result.outcome is Outcome.ERROR
    assert result.detail == REGIONAL_ENDPOINT_HINT
    assert result.detail == (
        "AssumeRoot reached the global STS endpoint (InvalidAction): a regional endpoint is "
        "required: pass a real --region and unset AWS_STS_REGIONAL_ENDPOINTS=legacy"
    )


def test_sts_global_endpoint_override_is_refused_before_any_call(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an environment forcing STS to the global endpoint
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "https://sts.amazonaws.com")
    # when
    with pytest.raises(UsageError) as raised:
        audit(simulator.session(), selection=Selection(accounts=("444444444444",)))
    # then
    assert str(raised.value) == (
        "AWS_ENDPOINT_URL_STS=https://sts.amazonaws.com is the global STS endpoint, which has "
        f"no AssumeRoot: point it at the regional endpoint of {simulator.region} "
        f"(https://sts.{simulator.region}.amazonaws.com) or unset it"
    )
    assert simulator.calls == []
