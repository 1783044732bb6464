"""Mapping AWS error codes (both spellings) to outcomes."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from root_access.errors import (
    SCP_HINT,
    error_code,
    has_code,
    outcome_for,
    outcome_for_botocore,
)
from root_access.outcomes import Outcome


def client_error(
    code: str, message: str = "", operation: str = "DeleteLoginProfile"
) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ServiceAccessNotEnabledException", "ServiceAccessNotEnabled"),
        ("ServiceAccessNotEnabled", "ServiceAccessNotEnabled"),
        ("ExpiredTokenException", "ExpiredToken"),
        ("NoSuchEntity", "NoSuchEntity"),
    ],
)
def test_error_code_strips_the_exception_suffix(code: str, expected: str) -> None:
    # given
    error = client_error(code)
    # when / then
    assert error_code(error) == expected


def test_has_code_matches_both_spellings() -> None:
    # given
    bare = client_error("AccountNotManagementOrDelegatedAdministrator")
    suffixed = client_error("AccountNotManagementOrDelegatedAdministratorException")
    # when / then
    assert has_code(bare, "AccountNotManagementOrDelegatedAdministratorException")
    assert has_code(suffixed, "AccountNotManagementOrDelegatedAdministrator")
    assert not has_code(bare, "NoSuchEntity")


def test_scp_denies_root_is_blocked_by_scp_with_the_action_and_hint() -> None:
    # given
    error = client_error(
        "AccessDenied",
        "User: arn:aws:sts::222222222222:root is not authorized to perform: "
        "iam:DeleteLoginProfile with an explicit deny in a service control policy",
    )
    # when
    outcome, detail = outcome_for(error)
    # then
    assert outcome is Outcome.BLOCKED_BY_SCP
    assert detail == f"DeleteLoginProfile denied by a service control policy; {SCP_HINT}"
    assert "aws:AssumedRoot" in detail


def test_other_access_denied_is_access_denied() -> None:
    # given
    error = client_error("AccessDeniedException", "not authorized", "AssumeRoot")
    # when / then
    assert outcome_for(error) == (Outcome.ACCESS_DENIED, "AssumeRoot denied: not authorized")


@pytest.mark.parametrize("code", ["Throttling", "ThrottlingException", "TooManyRequestsException"])
def test_throttling_after_retries_is_throttled(code: str) -> None:
    # given
    error = client_error(code, "Rate exceeded", "AssumeRoot")
    # when / then
    assert outcome_for(error) == (
        Outcome.THROTTLED,
        f"AssumeRoot still throttled after retries ({error_code(error)})",
    )


def test_anything_else_is_error_with_code_and_message() -> None:
    # given
    error = client_error("RegionDisabledException", "STS is not activated", "AssumeRoot")
    # when / then
    assert outcome_for(error) == (
        Outcome.ERROR,
        "AssumeRoot failed: RegionDisabledException: STS is not activated",
    )


def test_client_side_failure_is_error() -> None:
    # given
    error = EndpointConnectionError(endpoint_url="https://sts.eu-west-1.amazonaws.com/")
    # when
    outcome, detail = outcome_for_botocore(error, action="AssumeRoot")
    # then
    assert outcome is Outcome.ERROR
    assert detail == (
        "AssumeRoot failed: EndpointConnectionError: Could not connect to the endpoint URL: "
        '"https://sts.eu-west-1.amazonaws.com/"'
    )
