"""The engine's reading of IAM policy documents (Deny statements only)."""

from __future__ import annotations

from typing import Any

import pytest

from root_access.policy_documents import Request, matching_denies, parse_document

ROOT = "arn:aws:iam::222222222222:root"
ROOT_SESSION = {"aws:PrincipalArn": ROOT, "aws:AssumedRoot": "true"}
ROOT_USER = {"aws:PrincipalArn": ROOT}
ROLE = {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/Admin"}


def deny(**statement: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", **statement}]}


def denied(document: dict[str, Any], action: str, context: dict[str, str]) -> list[str]:
    request = Request(action=action, resource=ROOT, context=context)
    return [m.statement for m in matching_denies(document, request)]


DENY_ROOT = deny(
    Sid="DenyRoot",
    Action="*",
    Resource="*",
    Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
)
DENY_ROOT_EXEMPT = deny(
    Sid="DenyRootOutsideSessions",
    Action="*",
    Resource="*",
    Condition={
        "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"},
        "Null": {"aws:AssumedRoot": "true"},
    },
)


@pytest.mark.parametrize(
    ("document", "context", "expected"),
    [
        (DENY_ROOT, ROOT_SESSION, ["DenyRoot"]),
        (DENY_ROOT, ROOT_USER, ["DenyRoot"]),
        (DENY_ROOT, ROLE, []),
        (DENY_ROOT_EXEMPT, ROOT_SESSION, []),
        (DENY_ROOT_EXEMPT, ROOT_USER, ["DenyRootOutsideSessions"]),
        (DENY_ROOT_EXEMPT, ROLE, []),
    ],
)
def test_root_denying_scp_with_and_without_the_assumed_root_exemption(
    document: dict[str, Any], context: dict[str, str], expected: list[str]
) -> None:
    assert denied(document, "iam:DeleteLoginProfile", context) == expected


def test_action_names_are_case_insensitive_arns_are_not() -> None:
    document = deny(
        Action="IAM:delete*",
        Resource="*",
        Condition={"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::222222222222:ROOT"}},
    )
    assert denied(document, "iam:DeleteAccessKey", ROOT_SESSION) == []
    document["Statement"][0]["Condition"]["ArnEquals"]["aws:PrincipalArn"] = ROOT
    assert denied(document, "iam:DeleteAccessKey", ROOT_SESSION) == ["#0"]


def test_not_action_denies_everything_else() -> None:
    document = deny(NotAction=["iam:Get*", "iam:List*"], Resource="*")
    assert denied(document, "iam:GetAccountSummary", ROOT_SESSION) == []
    assert denied(document, "iam:DeleteLoginProfile", ROOT_SESSION) == ["#0"]


def test_negated_operator_holds_when_the_key_is_missing() -> None:
    document = deny(
        Action="*", Resource="*", Condition={"StringNotEquals": {"aws:PrincipalTag/team": "x"}}
    )
    assert denied(document, "iam:ListMFADevices", ROOT_SESSION) == ["#0"]


def test_missing_key_fails_a_positive_operator_unless_if_exists() -> None:
    document = deny(Action="*", Resource="*", Condition={"StringEquals": {"aws:SourceVpc": "v"}})
    assert denied(document, "iam:ListMFADevices", ROOT_SESSION) == []
    document["Statement"][0]["Condition"] = {"StringEqualsIfExists": {"aws:SourceVpc": "v"}}
    assert denied(document, "iam:ListMFADevices", ROOT_SESSION) == ["#0"]


def test_bool_and_policy_variables() -> None:
    document = deny(
        Action="iam:*",
        Resource="arn:aws:iam::${aws:PrincipalAccount}:root",
        Condition={"Bool": {"aws:AssumedRoot": "True"}},
    )
    context = {**ROOT_SESSION, "aws:PrincipalAccount": "222222222222"}
    assert denied(document, "iam:ListAccessKeys", context) == ["#0"]
    assert denied(document, "iam:ListAccessKeys", {**context, "aws:AssumedRoot": "false"}) == []


def test_unknown_resource_is_an_uncertain_match_unless_star() -> None:
    document = deny(Action="s3:DeleteBucketPolicy", Resource="arn:aws:s3:::locked-*")
    request = Request(action="s3:DeleteBucketPolicy", resource=None, context=ROOT_SESSION)
    assert [(m.statement, m.certain) for m in matching_denies(document, request)] == [("#0", False)]


def test_unknown_operator_is_an_error_not_a_guess() -> None:
    document = deny(
        Action="*", Resource="*", Condition={"DateGreaterThan": {"aws:CurrentTime": "x"}}
    )
    with pytest.raises(ValueError, match="DateGreaterThan"):
        denied(document, "iam:ListMFADevices", ROOT_SESSION)


def test_parse_document_refuses_non_policies() -> None:
    with pytest.raises(ValueError, match="no Statement"):
        parse_document('{"Version": "2012-10-17"}')
