"""IAM identity policies enforced for an account's IAM principals (World.set_pipeline_policy)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from root_access.simulator import Simulator
from root_access.simulator.identity import IdentityRequest, evaluate, validate

AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
DELETE = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"
AUDIT_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "organizations:Describe*", "Resource": "*"},
        {
            "Sid": "Audit",
            "Effect": "Allow",
            "Action": "sts:AssumeRoot",
            "Resource": "arn:*:iam::*:root",
            "Condition": {"ArnLike": {"sts:TaskPolicyArn": [AUDIT.replace("arn:aws:", "arn:*:")]}},
        },
    ],
}  # fmt: skip


def _code_and_message(call: object) -> tuple[str, str]:
    try:
        call()  # type: ignore[operator]
    except ClientError as error:
        return str(error.response["Error"]["Code"]), str(error.response["Error"]["Message"])
    return "ok", ""


def test_assume_root_is_evaluated_with_its_task_policy_arn(simulator: Simulator) -> None:
    # given the pipeline may assume root for the audit task only
    simulator.world.set_pipeline_policy(simulator.management_account_id, AUDIT_ONLY)
    sts = simulator.session().client("sts")
    organizations = simulator.session().client("organizations")
    # when
    audit = _code_and_message(lambda: sts.assume_root(TargetPrincipal="222222222222",
                                                      TaskPolicyArn={"arn": AUDIT}))  # fmt: skip
    delete = _code_and_message(lambda: sts.assume_root(TargetPrincipal="222222222222",
                                                       TaskPolicyArn={"arn": DELETE}))  # fmt: skip
    listing = _code_and_message(organizations.list_roots)
    identity = _code_and_message(sts.get_caller_identity)
    # then
    assert audit == ("ok", "")
    assert delete == (
        "AccessDenied",
        "User: arn:aws:iam::111111111111:user/pipeline is not authorized to perform: "
        "sts:AssumeRoot on resource: arn:aws:iam::222222222222:root because no "
        "identity-based policy allows the sts:AssumeRoot action",
    )
    assert listing[0] == "AccessDeniedException"
    assert identity == ("ok", "")


def test_no_document_lifts_the_limit_and_other_accounts_are_not_limited(
    simulator: Simulator,
) -> None:
    # given a limit set on the management account, then lifted
    simulator.world.set_pipeline_policy(simulator.management_account_id, AUDIT_ONLY)
    member = _code_and_message(simulator.session("333333333333").client("iam").list_users)
    simulator.world.set_pipeline_policy(simulator.management_account_id, None)
    # when
    lifted = _code_and_message(simulator.session().client("organizations").list_roots)
    # then
    assert (member, lifted) == (("ok", ""), ("ok", ""))


def test_explicit_deny_wins_and_matching_is_case_sensitive_where_iam_is() -> None:
    # given
    statements = validate({"Statement": [
        {"Effect": "Allow", "Action": "S3:get*", "Resource": "arn:aws:s3:::Bucket/*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": "111111111111"}}},
    ]})  # fmt: skip

    def decide(action: str, resource: str, account: str) -> tuple[bool, bool]:
        request = IdentityRequest(action, resource, {"aws:PrincipalAccount": account})
        decision = evaluate(statements, request)
        return decision.allowed, decision.explicit

    # when / then: action names ignore case, resource ARNs do not; Deny beats Allow
    assert decide("s3:GetBucketPolicy", "arn:aws:s3:::Bucket/x", "222222222222") == (True, False)
    assert decide("s3:GetBucketPolicy", "arn:aws:s3:::bucket/x", "222222222222") == (False, False)
    assert decide("s3:GetObject", "arn:aws:s3:::Bucket/x", "111111111111") == (False, True)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"Version": "2012-10-17"}, "an identity policy is a JSON object with a Statement"),
        ({"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]},
         "Statement[0].Effect must be Allow or Deny"),
        ({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
                         "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}]},
         "Statement[0]: condition operator not modelled: NumericLessThan"),
    ],
)  # fmt: skip
def test_malformed_documents_are_refused(
    simulator: Simulator, document: dict[str, object], problem: str
) -> None:
    # given / when / then
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        simulator.world.set_pipeline_policy(simulator.management_account_id, document)
