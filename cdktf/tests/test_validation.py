"""Bad props raise PropsError at synth time, naming the prop, the rule and the allowed values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import (
    OrganizationRootAccess,
    PrivilegedTask,
    PrivilegedTaskRequest,
    PropsError,
    RootAccessManagement,
    RootCredentialsAudit,
    RootCredentialsRemoval,
    Selection,
)

ALL = Selection(all=True)

BAD_PROPS: list[tuple[type[Any], dict[str, Any], str]] = [
    (
        RootAccessManagement,
        {"delegated_administrator_account_id": "12345"},
        "RootAccessManagement.delegated_administrator_account_id: '12345' is not an AWS account "
        "id; account ids are 12-digit strings, e.g. '222222222222'",
    ),
    (
        RootAccessManagement,
        {"delegated_administrator_account_id": 333333333333},
        "RootAccessManagement.delegated_administrator_account_id: 333333333333 is not an AWS "
        "account id; account ids are 12-digit strings, e.g. '222222222222'",
    ),
    (
        RootAccessManagement,
        {"enabled_features": []},
        "RootAccessManagement.enabled_features: name at least one feature; allowed values are "
        "['RootCredentialsManagement', 'RootSessions']",
    ),
    (
        RootAccessManagement,
        {"enabled_features": ["RootCredentialManagement"]},
        "RootAccessManagement.enabled_features: 'RootCredentialManagement' is not a centralized "
        "root access feature; allowed values are ['RootCredentialsManagement', 'RootSessions']",
    ),
    (
        RootAccessManagement,
        {"enabled_features": "RootSessions"},
        "RootAccessManagement.enabled_features: expected a list of strings, got the string "
        "'RootSessions'",
    ),
    (
        RootAccessManagement,
        {"enabled_features": ["RootSessions", "RootSessions"]},
        "RootAccessManagement.enabled_features: 'RootSessions' is listed twice",
    ),
    (
        RootAccessManagement,
        {"selection": Selection()},
        "RootAccessManagement.selection: the selection is empty; name accounts or "
        "organizational_units, or set all=True for every member account",
    ),
    (
        RootAccessManagement,
        {"selection": Selection(all=True, accounts=["222222222222"])},
        "RootAccessManagement.selection: all=True conflicts with accounts/organizational_units; "
        "choose one",
    ),
    (
        RootAccessManagement,
        {"selection": Selection(accounts=["22222222222"])},
        "RootAccessManagement.selection.accounts: '22222222222' is not an AWS account id; "
        "account ids are 12-digit strings, e.g. '222222222222'",
    ),
    (
        RootAccessManagement,
        {"selection": Selection(organizational_units=["ou-123"])},
        "RootAccessManagement.selection.organizational_units: 'ou-123' is not an organizational "
        "unit id; expected 'ou-xxxx-yyyyyyyy' or the root 'r-xxxx'",
    ),
    (
        RootAccessManagement,
        {"selection": Selection(accounts=["222222222222"], exclude_accounts=["222222222222"])},
        "RootAccessManagement.selection: account '222222222222' is both selected and excluded",
    ),
    (
        RootAccessManagement,
        {"remove_root_credentials": "true"},
        "RootAccessManagement.remove_root_credentials: expected True or False, got 'true'",
    ),
    (
        RootAccessManagement,
        {"max_workers": 0},
        "RootAccessManagement.max_workers: 0 is out of range; allowed values are 1..64",
    ),
    (
        RootAccessManagement,
        {"max_workers": 65},
        "RootAccessManagement.max_workers: 65 is out of range; allowed values are 1..64",
    ),
    (
        RootAccessManagement,
        {"region": "aws-global"},
        "RootAccessManagement.region: 'aws-global' is not an AWS Region name such as 'eu-west-1'",
    ),
    (
        RootAccessManagement,
        {"python_executable": "  "},
        "RootAccessManagement.python_executable: expected a non-empty string, got '  '",
    ),
    (
        RootAccessManagement,
        {
            "privileged_tasks": {
                "CHG 1": PrivilegedTaskRequest("allow-password-recovery", "222222222222")
            }
        },
        "RootAccessManagement.privileged_tasks: request id 'CHG 1' must be 1-64 letters, digits, "
        "'.', '_' or '-', starting with a letter or digit, e.g. 'CHG-1234'",
    ),
    (
        RootAccessManagement,
        {"privileged_tasks": {"CHG-1": PrivilegedTaskRequest("reset-password", "222222222222")}},
        "RootAccessManagement.privileged_tasks['CHG-1'].task: 'reset-password' is not a "
        "privileged task; allowed values are ['allow-password-recovery', "
        "'unlock-s3-bucket-policy', 'unlock-sqs-queue-policy']",
    ),
    (
        RootAccessManagement,
        {
            "privileged_tasks": {
                "CHG-1": PrivilegedTaskRequest("unlock-s3-bucket-policy", "222222222222")
            }
        },
        "RootAccessManagement.privileged_tasks['CHG-1'].buckets: unlock-s3-bucket-policy needs "
        "at least one entry",
    ),
    (
        RootAccessManagement,
        {
            "privileged_tasks": {
                "CHG-1": PrivilegedTaskRequest(
                    "allow-password-recovery", "222222222222", queue_urls=["https://q"]
                )
            }
        },
        "RootAccessManagement.privileged_tasks['CHG-1'].queue_urls: only unlock-sqs-queue-policy "
        "takes queue_urls; leave it empty",
    ),
    (
        RootAccessManagement,
        {
            "privileged_tasks": {
                "CHG-1": PrivilegedTaskRequest(
                    "unlock-s3-bucket-policy", "222222222222", buckets=["Logs_Bucket"]
                )
            }
        },
        "RootAccessManagement.privileged_tasks['CHG-1'].buckets: 'Logs_Bucket' is not an S3 "
        "bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending "
        "with a letter or digit)",
    ),
    (
        PrivilegedTask,
        {
            "requests": {
                "CHG-2": PrivilegedTaskRequest(
                    "unlock-sqs-queue-policy",
                    "222222222222",
                    queue_urls=["https://sqs.eu-west-1.amazonaws.com/444444444444/jobs"],
                )
            }
        },
        "PrivilegedTask.requests['CHG-2'].queue_urls: "
        "'https://sqs.eu-west-1.amazonaws.com/444444444444/jobs' is not a queue URL of account "
        "222222222222: https://sqs.<region>.amazonaws.com/222222222222/<queue>",
    ),
    (
        OrganizationRootAccess,
        {"delegated_administrator_account_id": "33333333333a"},
        "OrganizationRootAccess.delegated_administrator_account_id: '33333333333a' is not an AWS "
        "account id; account ids are 12-digit strings, e.g. '222222222222'",
    ),
    (
        OrganizationRootAccess,
        {"enable_trusted_access": 1},
        "OrganizationRootAccess.enable_trusted_access: expected True or False, got 1",
    ),
    (
        RootCredentialsAudit,
        {"selection": Selection(exclude_organizational_units=["r-"])},
        "RootCredentialsAudit.selection.exclude_organizational_units: 'r-' is not an "
        "organizational unit id; expected 'ou-xxxx-yyyyyyyy' or the root 'r-xxxx'",
    ),
    (
        RootCredentialsAudit,
        {"max_workers": True},
        "RootCredentialsAudit.max_workers: expected an integer, got True",
    ),
    (
        RootCredentialsRemoval,
        {"selection": None},
        "RootCredentialsRemoval.selection: required; pass Selection(accounts=[...]) or "
        "Selection(all=True)",
    ),
    (
        RootCredentialsRemoval,
        {"selection": ALL, "evidence_path": ""},
        "RootCredentialsRemoval.evidence_path: expected a non-empty string, got ''",
    ),
    (
        PrivilegedTask,
        {"requests": {"CHG-1": PrivilegedTaskRequest("allow-password-recovery", "2222")}},
        "PrivilegedTask.requests['CHG-1'].account_id: '2222' is not an AWS account id; account "
        "ids are 12-digit strings, e.g. '222222222222'",
    ),
    (
        PrivilegedTask,
        {"requests": [PrivilegedTaskRequest("allow-password-recovery", "222222222222")]},
        "PrivilegedTask.requests: expected a mapping of request id -> PrivilegedTaskRequest",
    ),
]


@pytest.mark.parametrize(
    ("construct", "props", "message"),
    BAD_PROPS,
    ids=[
        f"{construct.__name__}-{next(iter(props))}-{index}"
        for index, (construct, props, _) in enumerate(BAD_PROPS)
    ],
)
def test_a_bad_prop_raises_a_clear_error_at_synth_time(
    stack: Any,
    synth: Callable[[Any], dict[str, Any]],
    construct: type[Any],
    props: dict[str, Any],
    message: str,
) -> None:
    # given a prop that breaks the rule of the matching Terraform variable
    # when the construct is created (synth time, before any Terraform run)
    with pytest.raises(PropsError) as raised:
        construct(stack, "this", **props)

    # then the one-line message names the prop, the rule and the allowed values
    assert str(raised.value) == message
    # and nothing was added to the stack
    assert "module" not in synth(stack)


def test_props_error_is_a_value_error() -> None:
    # given / when / then: callers catching ValueError also catch bad props
    assert issubclass(PropsError, ValueError)
