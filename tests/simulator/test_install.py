"""install(): moto patched once, the acceptance walk with plain boto3, the key index."""

from __future__ import annotations

from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.responses import BaseResponse
from moto.iam.models import get_account_id_from as moto_get_account_id_from
from moto.sts.responses import TokenResponse

from root_access.simulator.install import install, installed
from root_access.simulator.world import World
from root_access.tasks import RootTask

from .conftest import MANAGEMENT, MEMBER, REGION, Org


def test_moto_does_not_implement_assume_root_yet() -> None:
    # given moto's own STS response class (install() never adds methods to it)
    # when we look for a native AssumeRoot handler
    native = "assume_root" in vars(TokenResponse)
    # then there is none; when this fails, moto implements AssumeRoot itself
    assert not native, "moto now implements AssumeRoot: move to it"


def test_moto_does_not_implement_organization_features_yet() -> None:
    # given moto's IAM response class
    from moto.iam.responses import IamResponse

    # when we look for the organization-feature handlers
    native = [
        name
        for name in ("list_organizations_features", "enable_organizations_root_sessions")
        if name in vars(IamResponse)
    ]
    # then there are none; when this fails, moto models them: move to it
    assert native == [], "moto now implements the IAM organization features: move to them"


def test_install_is_idempotent() -> None:
    # given install() already ran
    install()
    wrapped = BaseResponse.call_action
    # when it runs again
    install()
    # then nothing is wrapped twice
    assert installed() is True
    assert BaseResponse.call_action is wrapped


def test_server_routing_lists_moto_modules_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # given install() ran, and the package directory can no longer be listed
    import moto.backends as moto_backends

    install()
    monkeypatch.setattr("os.listdir", lambda path: pytest.fail(f"listed {path}"))
    # when the server's router asks for moto's modules
    modules = moto_backends.list_of_moto_modules()
    # then the list taken at install() answers, with the services the simulator serves
    assert {"iam", "organizations", "s3", "sqs", "sts"} <= set(modules)
    assert "__pycache__" not in modules


def test_access_key_lookup_uses_the_index() -> None:
    # given several accounts with IAM users, as moto creates them
    install()
    with mock_aws():
        world = World()
        keys = {
            account: world.create_pipeline_principal(account_id=account)[0]
            for account in ("111111111111", "444444444444", "555555555555")
        }
        # when moto maps each key to its account
        import moto.iam.models as iam_models

        mapped = {account: iam_models.get_account_id_from(key) for account, key in keys.items()}
        # then each key resolves to its own account, through the patched function
        assert mapped == {account: account for account in keys}
        assert iam_models.get_account_id_from is not moto_get_account_id_from
        assert world.account_for_access_key(keys["444444444444"]) == "444444444444"


def test_moto_reset_clears_simulator_state() -> None:
    # given a world with an organization and root credentials
    install()
    with mock_aws():
        world = World()
        world.create_organization(management_account_id=MANAGEMENT)
        world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="m")
        world.set_root_credentials(MEMBER, password=True)
    # when a new mock starts (moto resets every backend)
    with mock_aws():
        # then nothing of the previous world remains
        assert World().root_user(MEMBER).has_credentials is False
        assert World().account_for_access_key("AKIAEXAMPLEEXAMPLE12") is None


def test_acceptance_walk_with_plain_boto3(
    world: World, session_for: Callable[[str], boto3.Session]
) -> None:
    # given an organization whose member holds root credentials, features off
    world.create_organization(management_account_id=MANAGEMENT)
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="member")
    world.set_root_credentials(
        MEMBER, password=True, signing_certificates=1, mfa_devices=["virtual", "hardware"]
    )
    from root_access.simulator.world import AccessKeySpec

    world.set_root_credentials(
        MEMBER,
        password=True,
        access_keys=[AccessKeySpec(), AccessKeySpec(status="Inactive")],
        signing_certificates=1,
        mfa_devices=["virtual", "fido", "hardware"],
    )
    pipeline = session_for(MANAGEMENT)
    organizations = pipeline.client("organizations")
    iam = pipeline.client("iam")
    sts = pipeline.client("sts", region_name=REGION)

    # when the pipeline lists accounts, enables trusted access and both features
    accounts = sorted(a["Id"] for a in organizations.list_accounts()["Accounts"])
    organizations.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    iam.enable_organizations_root_credentials_management()
    features = iam.enable_organizations_root_sessions()["EnabledFeatures"]
    # then
    assert accounts == [MANAGEMENT, MEMBER]
    assert features == ["RootCredentialsManagement", "RootSessions"]

    # when it audits the member in an audit-task root session
    audit = _root_session(sts, MEMBER, RootTask.AUDIT)
    audit_iam = audit.client("iam")
    summary = audit_iam.get_account_summary()["SummaryMap"]
    keys = audit_iam.list_access_keys()["AccessKeyMetadata"]
    devices = audit_iam.list_mfa_devices()["MFADevices"]
    # then it sees the credentials
    assert {k: summary[k] for k in summary if k.startswith("Account")} == {
        "AccountPasswordPresent": 1,
        "AccountAccessKeysPresent": 1,
        "AccountSigningCertificatesPresent": 1,
        "AccountMFAEnabled": 1,
    }
    assert sorted(k["Status"] for k in keys) == ["Active", "Inactive"]
    assert len(devices) == 3

    # when the audit session tries to delete the password
    with pytest.raises(ClientError) as denied:
        audit_iam.delete_login_profile()
    # then it is denied
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    # when a delete-task session deletes every credential
    delete_iam = _root_session(sts, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    delete_iam.delete_login_profile()
    for key in delete_iam.list_access_keys()["AccessKeyMetadata"]:
        delete_iam.delete_access_key(AccessKeyId=key["AccessKeyId"])
    for certificate in delete_iam.list_signing_certificates()["Certificates"]:
        delete_iam.delete_signing_certificate(CertificateId=certificate["CertificateId"])
    for device in delete_iam.list_mfa_devices()["MFADevices"]:
        delete_iam.deactivate_mfa_device(SerialNumber=device["SerialNumber"])

    # then a fresh audit finds none
    fresh = _root_session(sts, MEMBER, RootTask.AUDIT).client("iam")
    with pytest.raises(ClientError) as no_password:
        fresh.get_login_profile()
    assert no_password.value.response["Error"]["Code"] == "NoSuchEntity"
    assert fresh.list_access_keys()["AccessKeyMetadata"] == []
    assert fresh.list_signing_certificates()["Certificates"] == []
    assert fresh.list_mfa_devices()["MFADevices"] == []
    summary = fresh.get_account_summary()["SummaryMap"]
    assert [summary[k] for k in sorted(summary) if k.startswith("Account")] == [0, 0, 0, 0]
    assert world.root_user(MEMBER).has_credentials is False


def _root_session(sts: object, account_id: str, task: RootTask) -> boto3.Session:
    credentials = sts.assume_root(  # type: ignore[attr-defined]
        TargetPrincipal=account_id, TaskPolicyArn={"arn": task.policy_arn("aws")}
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def test_standard_org_fixture_builds(org: Org) -> None:
    # given the standard organization
    # when the management account describes it
    described = org.management.client("organizations").describe_organization()
    # then it is the one the world created
    assert described["Organization"]["Id"] == org.organization_id
    assert described["Organization"]["MasterAccountId"] == MANAGEMENT
