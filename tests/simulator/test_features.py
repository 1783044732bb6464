"""IAM organization features: List/Enable/Disable and their modelled errors (reference §1, §2)."""

from __future__ import annotations

from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator.world import World

from .conftest import MANAGEMENT, MEMBER, SECURITY, Org


def _code(call: Callable[[], object]) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def bare_org(world: World) -> World:
    """An organization with trusted access on, features off, 333333333333 delegated admin."""
    world.create_organization(management_account_id=MANAGEMENT)
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="member")
    world.create_account(management_account_id=MANAGEMENT, account_id=SECURITY, name="security")
    world.enable_trusted_access(management_account_id=MANAGEMENT)
    world.register_delegated_administrator(management_account_id=MANAGEMENT, account_id=SECURITY)
    return world


def test_list_shows_the_organization_and_no_features(
    bare_org: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given features off
    iam = session_for(MANAGEMENT).client("iam")
    # when the management account lists them
    response = iam.list_organizations_features()
    # then the list is empty and the organization id is AWS-shaped
    assert response["EnabledFeatures"] == []
    assert response["OrganizationId"].startswith("o-")
    assert 12 <= len(response["OrganizationId"]) <= 34


def test_enable_and_disable_return_the_resulting_list(
    bare_org: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given features off
    iam = session_for(MANAGEMENT).client("iam")
    # when both are enabled, then RCM disabled
    first = iam.enable_organizations_root_credentials_management()["EnabledFeatures"]
    both = iam.enable_organizations_root_sessions()["EnabledFeatures"]
    after_disable = iam.disable_organizations_root_credentials_management()["EnabledFeatures"]
    # then each call returns the resulting list
    assert first == ["RootCredentialsManagement"]
    assert both == ["RootCredentialsManagement", "RootSessions"]
    assert after_disable == ["RootSessions"]


def test_enable_twice_is_idempotent(
    bare_org: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given RootSessions enabled
    iam = session_for(MANAGEMENT).client("iam")
    iam.enable_organizations_root_sessions()
    # when it is enabled again
    response = iam.enable_organizations_root_sessions()
    # then it stays enabled once
    assert response["EnabledFeatures"] == ["RootSessions"]


def test_trusted_access_off_is_service_access_not_enabled(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given an organization without trusted access for IAM
    world.create_organization(management_account_id=MANAGEMENT)
    iam = session_for(MANAGEMENT).client("iam")
    # when the management account enables a feature
    code = _code(iam.enable_organizations_root_credentials_management)
    # then the error is ServiceAccessNotEnabled (boto3's shape-name spelling)
    assert code == ("ServiceAccessNotEnabledException", 400)


def test_no_organization_is_organization_not_found(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given an account outside any organization
    iam = session_for("777777777777").client("iam")
    # when it lists features
    code = _code(iam.list_organizations_features)
    # then
    assert code == ("OrganizationNotFoundException", 400)


def test_consolidated_billing_is_not_all_features_mode(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given an organization in consolidated-billing mode
    world.create_organization(management_account_id=MANAGEMENT, feature_set="CONSOLIDATED_BILLING")
    world.enable_trusted_access(management_account_id=MANAGEMENT)
    iam = session_for(MANAGEMENT).client("iam")
    # when the management account enables a feature
    code = _code(iam.enable_organizations_root_sessions)
    # then
    assert code == ("OrganizationNotInAllFeaturesModeException", 400)


def test_delegated_admin_may_list_but_not_enable(
    bare_org: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given the IAM delegated administrator
    iam = session_for(SECURITY).client("iam")
    # when it lists, then tries to enable
    listed = iam.list_organizations_features()["EnabledFeatures"]
    code = _code(iam.enable_organizations_root_credentials_management)
    # then listing works and enabling needs the management account
    assert listed == []
    assert code == ("CallerIsNotManagementAccountException", 400)


def test_delegated_admin_may_disable(
    bare_org: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given both features on (unconfirmed for AWS: the model gives Disable no
    # CallerIsNotManagementAccount error, so the simulator lets the admin disable)
    session_for(MANAGEMENT).client("iam").enable_organizations_root_sessions()
    iam = session_for(SECURITY).client("iam")
    # when the delegated admin disables RootSessions
    response = iam.disable_organizations_root_sessions()
    # then it is off
    assert response["EnabledFeatures"] == []


@pytest.mark.parametrize(
    "operation",
    [
        "list_organizations_features",
        "enable_organizations_root_sessions",
        "disable_organizations_root_credentials_management",
    ],
)
def test_other_member_is_not_management_or_delegated_admin(
    bare_org: World, session_for: Callable[[str], boto3.Session], operation: str
) -> None:
    # given a plain member account
    iam = session_for(MEMBER).client("iam")
    # when it calls a feature operation
    code = _code(getattr(iam, operation))
    # then
    assert code == ("AccountNotManagementOrDelegatedAdministratorException", 400)


def test_features_of_two_organizations_are_separate(
    org: Org, session_for: Callable[[str], boto3.Session]
) -> None:
    # given a second organization with trusted access but no features
    org.world.create_organization(management_account_id="444444444444")
    org.world.enable_trusted_access(management_account_id="444444444444")
    # when each management account lists features
    first = org.management.client("iam").list_organizations_features()
    second = session_for("444444444444").client("iam").list_organizations_features()
    # then each sees its own organization
    assert first["EnabledFeatures"] == ["RootCredentialsManagement", "RootSessions"]
    assert second["EnabledFeatures"] == []
    assert first["OrganizationId"] != second["OrganizationId"]


def test_enabling_features_deletes_no_root_credentials(
    bare_org: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given a member whose root user holds a password (field case CRED-FEATURE-DELETES-NOTHING)
    bare_org.set_root_credentials(MEMBER, password=True, mfa_devices=["virtual"])
    iam = session_for(MANAGEMENT).client("iam")
    # when both features are enabled through the API
    iam.enable_organizations_root_credentials_management()
    iam.enable_organizations_root_sessions()
    # then the credentials are still there
    user = bare_org.root_user(MEMBER)
    assert (user.password, len(user.mfa_devices), user.has_credentials) == (True, 1, True)
