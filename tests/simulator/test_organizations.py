"""Organizations: iam.amazonaws.com accepted, delegated administrators, several organizations."""

from __future__ import annotations

from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator.world import World

from .conftest import MANAGEMENT, MEMBER, SECURITY, Org

IAM = "iam.amazonaws.com"


def test_trusted_access_accepts_iam(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given an organization
    world.create_organization(management_account_id=MANAGEMENT)
    organizations = session_for(MANAGEMENT).client("organizations")
    # when the management account enables trusted access for IAM
    organizations.enable_aws_service_access(ServicePrincipal=IAM)
    # then IAM is listed
    enabled = organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [s["ServicePrincipal"] for s in enabled] == [IAM]


def test_register_and_filter_delegated_administrators(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given a security account registered for IAM and a member registered for SSM
    world.create_organization(management_account_id=MANAGEMENT)
    world.create_account(management_account_id=MANAGEMENT, account_id=SECURITY, name="security")
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="member")
    organizations = session_for(MANAGEMENT).client("organizations")
    organizations.register_delegated_administrator(AccountId=SECURITY, ServicePrincipal=IAM)
    organizations.register_delegated_administrator(
        AccountId=MEMBER, ServicePrincipal="ssm.amazonaws.com"
    )
    # when listing delegated administrators for IAM only, and for all services
    for_iam = organizations.list_delegated_administrators(ServicePrincipal=IAM)
    everyone = organizations.list_delegated_administrators()
    # then the filter applies
    assert [a["Id"] for a in for_iam["DelegatedAdministrators"]] == [SECURITY]
    assert sorted(a["Id"] for a in everyone["DelegatedAdministrators"]) == [MEMBER, SECURITY]


def test_delegated_admin_reads_the_organization(org: Org) -> None:
    # given the IAM delegated administrator
    organizations = org.security.client("organizations")
    # when it lists accounts, OUs' accounts and describes one
    accounts = sorted(a["Id"] for a in organizations.list_accounts()["Accounts"])
    in_ou = organizations.list_accounts_for_parent(ParentId=org.workloads_ou)["Accounts"]
    described = organizations.describe_account(AccountId=MEMBER)["Account"]
    # then it sees the management account's organization
    assert accounts == [MANAGEMENT, MEMBER, SECURITY]
    assert [a["Id"] for a in in_ou] == [MEMBER]
    assert (described["State"], described["Status"]) == ("ACTIVE", "ACTIVE")


def test_delegated_admin_deregisters_itself(org: Org) -> None:
    # given the IAM delegated administrator
    organizations = org.security.client("organizations")
    # when it deregisters itself
    organizations.deregister_delegated_administrator(AccountId=SECURITY, ServicePrincipal=IAM)
    # then the management account sees no IAM delegated administrator
    listed = org.management.client("organizations").list_delegated_administrators(
        ServicePrincipal=IAM
    )
    assert listed["DelegatedAdministrators"] == []


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("enable_aws_service_access", {"ServicePrincipal": IAM}),
        ("disable_aws_service_access", {"ServicePrincipal": IAM}),
        ("register_delegated_administrator", {"AccountId": MEMBER, "ServicePrincipal": IAM}),
    ],
)
def test_only_the_management_account_manages_access(
    org: Org, operation: str, kwargs: dict[str, str]
) -> None:
    # given the delegated administrator (not the management account)
    organizations = org.security.client("organizations")
    # when it calls a management-only operation
    with pytest.raises(ClientError) as caught:
        getattr(organizations, operation)(**kwargs)
    # then it is denied
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("ACTIVE", "ACTIVE"),
        ("SUSPENDED", "SUSPENDED"),
        ("PENDING_CLOSURE", "PENDING_CLOSURE"),
        ("PENDING_ACTIVATION", "ACTIVE"),
    ],
)
def test_account_state_and_legacy_status(
    world: World, session_for: Callable[[str], boto3.Session], state: str, status: str
) -> None:
    # given an account in a given state
    world.create_organization(management_account_id=MANAGEMENT)
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="m", state=state)
    organizations = session_for(MANAGEMENT).client("organizations")
    # when it is listed and described
    listed = {a["Id"]: a for a in organizations.list_accounts()["Accounts"]}[MEMBER]
    described = organizations.describe_account(AccountId=MEMBER)["Account"]
    # then State and the legacy Status are both present
    assert (listed["State"], listed["Status"]) == (state, status)
    assert (described["State"], described["Status"]) == (state, status)


def test_list_accounts_paginates_exactly(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given 45 member accounts
    world.create_organization(management_account_id=MANAGEMENT)
    members = [f"{n:012d}" for n in range(200000000000, 200000000045)]
    for account_id in members:
        world.create_account(management_account_id=MANAGEMENT, account_id=account_id, name="m")
    paginator = session_for(MANAGEMENT).client("organizations").get_paginator("list_accounts")
    # when listing with pages of 10
    seen = [
        a["Id"]
        for page in paginator.paginate(PaginationConfig={"PageSize": 10})
        for a in page["Accounts"]
    ]
    # then every account appears exactly once
    assert sorted(seen) == sorted([*members, MANAGEMENT])


def test_two_organizations_are_isolated(
    org: Org, session_for: Callable[[str], boto3.Session]
) -> None:
    # given a second organization with its own member
    org.world.create_organization(management_account_id="444444444444")
    org.world.create_account(
        management_account_id="444444444444", account_id="555555555555", name="other"
    )
    # when each management account lists its accounts
    first = sorted(
        a["Id"] for a in org.management.client("organizations").list_accounts()["Accounts"]
    )
    second = sorted(
        a["Id"]
        for a in session_for("444444444444").client("organizations").list_accounts()["Accounts"]
    )
    # then each sees only its own
    assert first == [MANAGEMENT, MEMBER, SECURITY]
    assert second == ["444444444444", "555555555555"]


def test_list_accounts_for_parent_paginates_exactly(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given 25 accounts in an OU and 5 at the root
    world.create_organization(management_account_id=MANAGEMENT)
    ou = world.create_organizational_unit(management_account_id=MANAGEMENT, name="Workloads")
    in_ou = [f"{n:012d}" for n in range(300000000000, 300000000025)]
    for account_id in in_ou:
        world.create_account(
            management_account_id=MANAGEMENT, account_id=account_id, name="m", parent_id=ou
        )
    for account_id in range(400000000000, 400000000005):
        world.create_account(management_account_id=MANAGEMENT, account_id=str(account_id), name="r")
    paginator = (
        session_for(MANAGEMENT).client("organizations").get_paginator("list_accounts_for_parent")
    )
    # when listing the OU with pages of 7
    pages = list(paginator.paginate(ParentId=ou, PaginationConfig={"PageSize": 7}))
    # then four pages hold exactly the OU's accounts
    assert [len(page["Accounts"]) for page in pages] == [7, 7, 7, 4]
    assert [a["Id"] for page in pages for a in page["Accounts"]] == in_ou


def test_describe_unknown_account_is_account_not_found(
    org: Org,
) -> None:
    # given an account id of no organization
    organizations = org.management.client("organizations")
    # when it is described
    with pytest.raises(ClientError) as caught:
        organizations.describe_account(AccountId="999999999999")
    # then
    assert caught.value.response["Error"]["Code"] == "AccountNotFoundException"


def test_delegated_admin_cannot_deregister_another_account(org: Org) -> None:
    # given a second delegated administrator (for SSM)
    org.management.client("organizations").register_delegated_administrator(
        AccountId=MEMBER, ServicePrincipal="ssm.amazonaws.com"
    )
    # when the IAM delegated administrator deregisters it
    with pytest.raises(ClientError) as caught:
        org.security.client("organizations").deregister_delegated_administrator(
            AccountId=MEMBER, ServicePrincipal="ssm.amazonaws.com"
        )
    # then it is denied
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def test_plain_member_may_describe_its_organization_only(
    org: Org, session_for: Callable[[str], boto3.Session]
) -> None:
    # given a member that is no delegated administrator
    organizations = session_for(MEMBER).client("organizations")
    # when it describes its organization, then lists accounts
    described = organizations.describe_organization()["Organization"]["Id"]
    with pytest.raises(ClientError) as caught:
        organizations.list_accounts()
    # then only the describe works
    assert described == org.organization_id
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
