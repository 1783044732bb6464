"""SCPs as documents: created and attached through Organizations, inherited, evaluated
in root sessions with IAM's operators and case rules, never on the management account."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator.world import AccessKeySpec
from root_access.tasks import RootTask

from .conftest import MANAGEMENT, MEMBER, REGION, SECURITY, Org

AssumeRoot = Callable[..., boto3.Session]


def _document(condition: dict[str, Any] | None = None, action: Any = "*") -> str:
    statement: dict[str, Any] = {"Effect": "Deny", "Action": action, "Resource": "*"}
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


DENY_ROOT = {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}
EXEMPT_ROOT_SESSIONS = {**DENY_ROOT, "Null": {"aws:AssumedRoot": "true"}}


def _error(call: Callable[[], object]) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def _attach(org: Org, document: str, target: str, name: str = "test-scp") -> str:
    """CreatePolicy + AttachPolicy through the Organizations API (management account)."""
    organizations = org.management.client("organizations")
    root_id = organizations.list_roots()["Roots"][0]["Id"]
    enabled = organizations.list_roots()["Roots"][0]["PolicyTypes"]
    if not any(t["Type"] == "SERVICE_CONTROL_POLICY" for t in enabled):
        organizations.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    policy_id = organizations.create_policy(
        Content=document, Description="test", Name=name, Type="SERVICE_CONTROL_POLICY"
    )["Policy"]["PolicySummary"]["Id"]
    organizations.attach_policy(PolicyId=policy_id, TargetId=target)
    return str(policy_id)


def _root_id(org: Org) -> str:
    return str(org.management.client("organizations").list_roots()["Roots"][0]["Id"])


def test_an_ou_scp_denies_root_sessions_of_accounts_below_it(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given a deny-root SCP without the exemption, attached to OU Workloads (MEMBER is in it)
    _attach(org, _document(DENY_ROOT), org.workloads_ou)
    # when root sessions in MEMBER and in SECURITY (under the root, not the OU) call IAM
    member = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    security = assume_root(org.management, SECURITY, RootTask.AUDIT).client("iam")
    code, message, status = _error(member.get_account_summary)
    # then only the account under the OU is denied, worded as an explicit SCP deny
    assert (code, status) == ("AccessDenied", 403)
    assert message == (
        f"User: arn:aws:iam::{MEMBER}:root is not authorized to perform: "
        "iam:GetAccountSummary on resource: * with an explicit deny in a service control policy"
    )
    assert "SummaryMap" in security.get_account_summary()


def test_the_null_exemption_lets_root_sessions_through(org: Org, assume_root: AssumeRoot) -> None:
    # given the same SCP with "Null": {"aws:AssumedRoot": "true"}, attached to the root
    _attach(org, _document(EXEMPT_ROOT_SESSIONS), _root_id(org))
    # when a root session and the member's long-term root key call IAM
    session = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    org.world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec()])
    root_key = org.world.root_user(MEMBER).access_keys[0].access_key_id
    root_user = boto3.Session(
        aws_access_key_id=root_key, aws_secret_access_key="unused", region_name=REGION
    ).client("iam")
    # then the session passes (aws:AssumedRoot is present) and the root user is denied
    assert "SummaryMap" in session.get_account_summary()
    assert _error(root_user.get_account_summary)[0] == "AccessDenied"


def test_scps_never_apply_to_the_management_account(org: Org) -> None:
    # given a deny-everything SCP attached to the root and the management account itself
    policy_id = _attach(org, _document(), _root_id(org))
    org.management.client("organizations").attach_policy(PolicyId=policy_id, TargetId=MANAGEMENT)
    org.world.set_root_credentials(MANAGEMENT, access_keys=[AccessKeySpec()])
    root_key = org.world.root_user(MANAGEMENT).access_keys[0].access_key_id
    # when the management account's root user calls IAM
    iam = boto3.Session(
        aws_access_key_id=root_key, aws_secret_access_key="unused", region_name=REGION
    ).client("iam")
    # then nothing is denied
    assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 1


def test_organizations_reads_return_the_attached_documents(org: Org) -> None:
    # given an SCP attached to OU Workloads
    document = _document(EXEMPT_ROOT_SESSIONS)
    policy_id = _attach(org, document, org.workloads_ou, name="deny-root-user")
    organizations = org.management.client("organizations")
    # when the SCP-lint reads are made: ListParents, ListPoliciesForTarget, DescribePolicy
    parents = organizations.list_parents(ChildId=MEMBER)["Parents"]
    attached = organizations.list_policies_for_target(
        TargetId=org.workloads_ou, Filter="SERVICE_CONTROL_POLICY"
    )["Policies"]
    described = organizations.describe_policy(PolicyId=policy_id)["Policy"]
    # then they show the inheritance path and the document as written
    assert parents == [{"Id": org.workloads_ou, "Type": "ORGANIZATIONAL_UNIT"}]
    assert sorted(p["Name"] for p in attached) == ["FullAWSAccess", "deny-root-user"]
    assert described["PolicySummary"]["Type"] == "SERVICE_CONTROL_POLICY"
    assert json.loads(described["Content"]) == json.loads(document)


def test_deny_in_root_sessions_is_shorthand_for_an_attached_scp(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given the shorthand
    policy_id = org.world.deny_in_root_sessions(MEMBER, ["iam:DeleteLoginProfile"])
    organizations = org.management.client("organizations")
    # when
    iam = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    code, message, _ = _error(iam.delete_login_profile)
    attached = organizations.list_policies_for_target(
        TargetId=MEMBER, Filter="SERVICE_CONTROL_POLICY"
    )["Policies"]
    content = json.loads(organizations.describe_policy(PolicyId=policy_id)["Policy"]["Content"])
    # then it is a real SCP document on the account, denying in root sessions only
    assert code == "AccessDenied"
    assert message.endswith("with an explicit deny in a service control policy")
    assert policy_id in [p["Id"] for p in attached]
    assert content["Statement"][0]["Condition"] == {"Null": {"aws:AssumedRoot": "false"}}
    assert len(iam.list_access_keys()["AccessKeyMetadata"]) == 2


@pytest.mark.parametrize(
    ("condition", "action", "denied"),
    [
        ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:ROOT"}}, "*", False),
        ({"StringEquals": {"aws:PrincipalArn": f"arn:aws:iam::{MEMBER}:root"}}, "*", True),
        ({"StringEquals": {"aws:PrincipalArn": f"ARN:AWS:IAM::{MEMBER}:ROOT"}}, "*", False),
        (
            {"StringEqualsIgnoreCase": {"aws:PrincipalArn": f"ARN:AWS:IAM::{MEMBER}:ROOT"}},
            "*",
            True,
        ),
        ({"Bool": {"aws:AssumedRoot": "TRUE"}}, "*", True),
        (
            {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
            "IAM:getaccountsummary",
            True,
        ),
        (None, ["iam:List*", "s3:*"], False),
    ],
)
def test_scp_matching_follows_iams_case_rules(
    org: Org, assume_root: AssumeRoot, condition: Any, action: Any, denied: bool
) -> None:
    # given an SCP on the member account
    _attach(org, _document(condition, action), MEMBER)
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when the root session calls GetAccountSummary
    if denied:
        # then values compare case-sensitively, action names and Bool values do not
        assert _error(iam.get_account_summary)[0] == "AccessDenied"
    else:
        assert "SummaryMap" in iam.get_account_summary()


def test_an_ou_without_an_allowing_scp_denies_implicitly(org: Org, assume_root: AssumeRoot) -> None:
    # given OU Workloads with FullAWSAccess replaced by an SCP allowing IAM reads only
    organizations = org.management.client("organizations")
    allow = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}],
        }
    )
    _attach(org, allow, org.workloads_ou)
    organizations.detach_policy(PolicyId="p-FullAWSAccess", TargetId=org.workloads_ou)
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when the session calls an allowed and a not-allowed action
    code, message, _ = _error(iam.get_account_summary)
    # then the other is implicitly denied
    assert iam.list_access_keys()["AccessKeyMetadata"] != []
    assert code == "AccessDenied"
    assert message.endswith(
        "because no service control policy allows the iam:GetAccountSummary action"
    )


def test_attaching_an_scp_needs_the_policy_type_enabled(org: Org) -> None:
    # given an SCP created while the type is off on the root
    organizations = org.management.client("organizations")
    policy_id = organizations.create_policy(
        Content=_document(), Description="d", Name="n", Type="SERVICE_CONTROL_POLICY"
    )["Policy"]["PolicySummary"]["Id"]
    # when it is attached
    code, message, _ = _error(
        lambda: organizations.attach_policy(PolicyId=policy_id, TargetId=MEMBER)
    )
    # then Organizations refuses, as AWS does
    assert (code, message) == (
        "PolicyTypeNotEnabledException",
        "This operation can be performed only for enabled policy types.",
    )


def test_the_delegated_administrator_reads_the_attached_scps(org: Org) -> None:
    # given an SCP attached to OU Workloads
    policy_id = _attach(org, _document(DENY_ROOT), org.workloads_ou, name="deny-root")
    organizations = org.security.client("organizations")
    # when the IAM delegated administrator makes the SCP-lint reads
    attached = organizations.list_policies_for_target(
        TargetId=org.workloads_ou, Filter="SERVICE_CONTROL_POLICY"
    )["Policies"]
    described = organizations.describe_policy(PolicyId=policy_id)["Policy"]
    parents = organizations.list_parents(ChildId=MEMBER)["Parents"]
    # then it sees what the management account sees
    assert sorted(p["Name"] for p in attached) == ["FullAWSAccess", "deny-root"]
    assert json.loads(described["Content"]) == json.loads(_document(DENY_ROOT))
    assert parents == [{"Id": org.workloads_ou, "Type": "ORGANIZATIONAL_UNIT"}]
