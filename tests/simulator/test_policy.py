"""The task-policy evaluator against the five real root-task documents."""

from __future__ import annotations

import json

import pytest

from root_access.simulator.policy import (
    CONDITION_OPERATORS,
    Decision,
    PolicyError,
    Request,
    evaluate,
    matches_any,
    parse_document,
    task_policy,
    task_policy_denies,
)
from root_access.tasks import RootTask

ROOT = "arn:aws:iam::222222222222:root"


def _root_request(action: str, resource: str = ROOT, **context: str) -> Request:
    keys = {
        "aws:principalarn": ROOT,
        "aws:principalaccount": "222222222222",
        "aws:resourceaccount": "222222222222",
    }
    keys.update({key.lower(): value for key, value in context.items()})
    return Request(action=action, resource=resource, context=keys)


@pytest.mark.parametrize(
    ("task", "allowed"),
    [
        (
            RootTask.AUDIT,
            [
                "iam:ListAccessKeys",
                "iam:ListSigningCertificates",
                "iam:GetLoginProfile",
                "iam:ListMFADevices",
                "iam:GetAccountSummary",
                "iam:GetUser",
                "iam:GetAccessKeyLastUsed",
            ],
        ),
        (RootTask.CREATE_PASSWORD, ["iam:CreateLoginProfile", "iam:GetLoginProfile"]),
        (
            RootTask.DELETE_CREDENTIALS,
            [
                "iam:DeleteAccessKey",
                "iam:DeleteSigningCertificate",
                "iam:DeleteLoginProfile",
                "iam:DeactivateMFADevice",
                "iam:ListAccessKeys",
                "iam:ListSigningCertificates",
                "iam:GetLoginProfile",
                "iam:ListMFADevices",
                "iam:GetUser",
                "iam:GetAccessKeyLastUsed",
            ],
        ),
    ],
)
def test_iam_tasks_allow_exactly_their_actions_on_the_root(
    task: RootTask, allowed: list[str]
) -> None:
    # given every IAM action of the three IAM tasks, on the root user
    candidates = {
        "iam:ListAccessKeys",
        "iam:ListSigningCertificates",
        "iam:GetLoginProfile",
        "iam:ListMFADevices",
        "iam:GetAccountSummary",
        "iam:GetUser",
        "iam:GetAccessKeyLastUsed",
        "iam:CreateLoginProfile",
        "iam:DeleteAccessKey",
        "iam:DeleteSigningCertificate",
        "iam:DeleteLoginProfile",
        "iam:DeactivateMFADevice",
        "iam:DeleteVirtualMFADevice",
        "iam:CreateUser",
    }
    # when each is evaluated against the task's policy
    permitted = {
        action
        for action in candidates
        if task_policy_denies(task, "aws", _root_request(action)) is None
    }
    # then exactly the documented actions pass
    assert permitted == set(allowed)


def test_delete_task_denies_delete_virtual_mfa_device() -> None:
    # given the current delete policy (v2, 2025-01-07)
    request = _root_request(
        "iam:DeleteVirtualMFADevice", "arn:aws:iam::222222222222:mfa/root-account-mfa-device"
    )
    # when DeleteVirtualMFADevice is evaluated
    sid = task_policy_denies(RootTask.DELETE_CREDENTIALS, "aws", request)
    # then the catch-all statement denies it
    assert sid == "DenyAllOtherActionsOnAnyResource"


def test_iam_actions_on_a_user_are_denied_by_not_resource() -> None:
    # given an allowed action aimed at an IAM user
    request = _root_request("iam:ListAccessKeys", "arn:aws:iam::222222222222:user/alice")
    # when evaluated under the audit task
    sid = task_policy_denies(RootTask.AUDIT, "aws", request)
    # then the NotResource statement denies it
    assert sid == "DenyAuditingCredentialsOnNonRootUserResource"


def test_s3_task_denies_non_root_callers() -> None:
    # given an S3 action by a principal that is not a root user
    request = Request(
        action="s3:DeleteBucketPolicy",
        resource="arn:aws:s3:::b",
        context={"aws:principalarn": "arn:aws:iam::222222222222:user/alice"},
    )
    # when evaluated under the S3 unlock task
    sid = task_policy_denies(RootTask.UNLOCK_S3_BUCKET_POLICY, "aws", request)
    # then the StringNotLike condition denies it
    assert sid == "DenyManagingBucketPolicyForNonRootCallers"


def test_sqs_task_denies_reading_another_accounts_queue() -> None:
    # given GetQueueAttributes on a queue of another account
    request = _root_request(
        "sqs:GetQueueAttributes",
        "arn:aws:sqs:eu-west-1:333333333333:q",
        **{"aws:ResourceAccount": "333333333333"},
    )
    # when evaluated under the SQS unlock task
    sid = task_policy_denies(RootTask.UNLOCK_SQS_QUEUE_POLICY, "aws", request)
    # then the policy-variable condition denies it
    assert sid == "DenyGettingQueueAttributesOnNonOwnQueue"


def test_sqs_task_allows_own_queue_and_denies_remove_permission() -> None:
    # given two SQS actions on the member's own queue
    own = "arn:aws:sqs:eu-west-1:222222222222:q"
    # when evaluated under the SQS unlock task
    set_attributes = task_policy_denies(
        RootTask.UNLOCK_SQS_QUEUE_POLICY, "aws", _root_request("sqs:SetQueueAttributes", own)
    )
    remove = task_policy_denies(
        RootTask.UNLOCK_SQS_QUEUE_POLICY, "aws", _root_request("sqs:RemovePermission", own)
    )
    # then only SetQueueAttributes passes
    assert (set_attributes, remove) == (None, "DenyAllOtherActionsOnAnyResource")


def test_other_partitions_use_their_own_root_arns() -> None:
    # given the audit policy in aws-cn
    statements = task_policy(RootTask.AUDIT, "aws-cn")
    cn_root = "arn:aws-cn:iam::222222222222:root"
    request = Request("iam:ListAccessKeys", cn_root, {"aws:principalarn": cn_root})
    # when an aws-cn root request is evaluated
    sid = task_policy_denies(RootTask.AUDIT, "aws-cn", request)
    # then NotResource matches the aws-cn root ARN
    assert statements[1]["NotResource"] == "arn:aws-cn:iam::*:root"
    assert sid is None


@pytest.mark.parametrize(
    ("value", "globs", "case_sensitive", "expected"),
    [
        ("iam:ListAccessKeys", ["iam:*"], False, True),
        ("iam:ListAccessKeys", ["IAM:listaccesskeys"], False, True),
        ("iam:ListAccessKeys", ["s3:*"], False, False),
        ("arn:aws:iam::222222222222:root", ["arn:aws:iam::*:root"], True, True),
        ("arn:aws:iam::222222222222:user/root", ["arn:aws:iam::*:root"], True, False),
        ("arn:aws:iam::222222222222:root", ["arn:aws:iam::*:ROOT"], True, False),
        ("arn:aws:s3:::Locked", ["arn:aws:s3:::locked"], True, False),
        ("s3:GetObject", ["s3:Get?bject"], False, True),
    ],
)
def test_wildcards(value: str, globs: list[str], case_sensitive: bool, expected: bool) -> None:
    # given an IAM wildcard pattern
    # when matched
    result = matches_any(value, globs, case_sensitive=case_sensitive)
    # then * and ? behave as in IAM: action names ignore case, ARNs do not
    assert result is expected


def _doc(statement: dict[str, object]) -> tuple[dict[str, object], ...]:
    return parse_document(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, Decision.DENY),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, Decision.ALLOW),
        ({"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}, Decision.NONE),
        ({"Effect": "Deny", "NotAction": "s3:List*", "Resource": "*"}, Decision.NONE),
        (
            {"Effect": "Deny", "Action": "S3:LISTBUCKET", "Resource": "arn:aws:s3:::b"},
            Decision.DENY,
        ),
        ({"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::B"}, Decision.NONE),
        ({"Effect": "Deny", "Action": "*", "Principal": {"AWS": ROOT}}, Decision.DENY),
        ({"Effect": "Deny", "Action": "*", "Principal": {"AWS": "222222222222"}}, Decision.DENY),
        ({"Effect": "Deny", "Action": "*", "Principal": {"AWS": "333333333333"}}, Decision.NONE),
        ({"Effect": "Deny", "Action": "*", "NotPrincipal": {"AWS": ROOT}}, Decision.NONE),
        (
            {
                "Effect": "Deny",
                "Action": "*",
                "Condition": {"StringEqualsIgnoreCase": {"AWS:PrincipalArn": ROOT.upper()}},
            },
            Decision.DENY,
        ),
        (
            {
                "Effect": "Deny",
                "Action": "*",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": ROOT.upper()}},
            },
            Decision.NONE,
        ),
        (
            {"Effect": "Deny", "Action": "*", "Condition": {"Null": {"aws:AssumedRoot": "true"}}},
            Decision.DENY,
        ),
    ],
)
def test_evaluate_documents(statement: dict[str, object], expected: Decision) -> None:
    # given a request of MEMBER's root user (no aws:AssumedRoot) on bucket b
    request = _root_request("s3:ListBucket", "arn:aws:s3:::b")
    # when a one-statement document is evaluated
    decision, _ = evaluate(_doc(statement), request)
    # then
    assert decision is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not a JSON policy document: Expecting property name enclosed in double quotes: "
         "line 1 column 2 (char 1)"),
        ("[]", "a policy document is a JSON object with a Statement"),
        ('{"Statement": [{"Effect": "Maybe"}]}', "Statement[0].Effect must be Allow or Deny"),
        ('{"Statement": [{"Effect": "Deny", "Condition": {"IpAddress": {}}}]}',
         "Statement[0].Condition: operator IpAddress is not modelled (use one of "
         + ", ".join(sorted(CONDITION_OPERATORS)) + ")"),
    ],
)  # fmt: skip
def test_unreadable_documents_are_refused(text: str, message: str) -> None:
    # when / then
    with pytest.raises(PolicyError) as raised:
        parse_document(text)
    assert str(raised.value) == message
