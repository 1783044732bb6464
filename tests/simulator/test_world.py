"""World: the builder's validation and snapshots."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from root_access.simulator.world import AccessKeySpec, World

from .conftest import MANAGEMENT, MEMBER


def test_create_account_validates_its_input(world: World) -> None:
    # given an organization
    world.create_organization(management_account_id=MANAGEMENT)
    # when accounts are created with a bad id, a bad state, twice, or without organization
    # then each is refused
    with pytest.raises(ValueError, match="12 digits"):
        world.create_account(management_account_id=MANAGEMENT, account_id="1234", name="x")
    with pytest.raises(ValueError, match="state must be one of"):
        world.create_account(
            management_account_id=MANAGEMENT, account_id=MEMBER, name="x", state="CLOSED"
        )
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="x")
    with pytest.raises(ValueError, match="already belongs"):
        world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="x")
    with pytest.raises(KeyError, match="no organization managed by 444444444444"):
        world.create_account(
            management_account_id="444444444444", account_id="555555555555", name="x"
        )


def test_enable_features_refuses_unknown_names(world: World) -> None:
    # given an organization
    world.create_organization(management_account_id=MANAGEMENT)
    # when an unknown feature is enabled
    # then it is refused, naming the allowed values
    with pytest.raises(ValueError, match="RootCredentialsManagement"):
        world.enable_features(management_account_id=MANAGEMENT, features=["RootPower"])


def test_root_user_snapshot(world: World) -> None:
    # given a root user with every kind of credential
    used = datetime(2026, 5, 1, tzinfo=timezone.utc)
    world.set_root_credentials(
        MEMBER,
        password=True,
        access_keys=[AccessKeySpec(status="Inactive")],
        signing_certificates=1,
        mfa_devices=["fido"],
        password_last_used=used,
    )
    # when it is read
    user = world.root_user(MEMBER)
    # then the snapshot holds it all
    assert user.password is True
    assert user.password_last_used == used
    assert [k.status for k in user.access_keys] == ["Inactive"]
    assert user.access_keys[0].access_key_id.startswith("AKIA")
    assert [c.status for c in user.signing_certificates] == ["Active"]
    assert [d.kind for d in user.mfa_devices] == ["fido"]
    assert user.has_credentials is True


def test_root_user_of_an_unknown_account_is_empty(world: World) -> None:
    # given nothing
    # when a root user is read
    user = world.root_user("999999999999")
    # then it has no credentials
    assert (user.password, user.access_keys, user.has_credentials) == (False, (), False)


def test_set_root_credentials_replaces_and_reindexes_keys(world: World) -> None:
    # given a root key
    world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec()])
    old = world.root_user(MEMBER).access_keys[0].access_key_id
    # when credentials are replaced
    world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec()])
    new = world.root_user(MEMBER).access_keys[0].access_key_id
    # then only the new key maps to the account
    assert (world.account_for_access_key(old), world.account_for_access_key(new)) == (
        None,
        MEMBER,
    )


def test_invalid_key_status_and_mfa_kind_are_refused(world: World) -> None:
    # given nothing
    # when a bad key status or MFA kind is set
    # then each is refused
    with pytest.raises(ValueError, match="Active or Inactive"):
        world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec(status="Deleted")])
    with pytest.raises(ValueError, match="MFA kind"):
        world.set_root_credentials(MEMBER, mfa_devices=["sms"])


def test_scp_patterns_must_name_a_service(world: World) -> None:
    # given nothing
    # when an SCP denial lacks the service prefix
    # then it is refused
    with pytest.raises(ValueError, match="service:Action"):
        world.deny_in_root_sessions(MEMBER, ["DeleteAccessKey"])


def test_pipeline_principal_is_reused(world: World) -> None:
    # given a pipeline principal with IAM's maximum of two keys
    first = world.create_pipeline_principal(account_id=MANAGEMENT)
    second = world.create_pipeline_principal(account_id=MANAGEMENT)
    # when a third is requested
    third = world.create_pipeline_principal(account_id=MANAGEMENT)
    # then the keys are distinct, the third reuses the newest, all map to the account
    assert first[0] != second[0]
    assert third == second
    assert {world.account_for_access_key(k) for k, _ in (first, second)} == {MANAGEMENT}
