"""Fixtures for the simulator core tests: moto + install() + World, and a standard organization."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import boto3
import pytest
from moto import mock_aws

from root_access.simulator.install import install
from root_access.simulator.world import AccessKeySpec, World
from root_access.tasks import FEATURES, RootTask

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
SECURITY = "333333333333"
REGION = "eu-west-1"


@dataclass(frozen=True)
class Org:
    """The standard organization of these tests."""

    world: World
    organization_id: str
    workloads_ou: str
    management: boto3.Session
    security: boto3.Session


@pytest.fixture
def world() -> Iterator[World]:
    """A fresh moto world with the simulator installed."""
    install()
    with mock_aws():
        yield World()


@pytest.fixture
def session_for(world: World) -> Callable[[str], boto3.Session]:
    """``session_for(account_id)``: a boto3 session of an admin IAM user in that account."""

    def make(account_id: str) -> boto3.Session:
        key, secret = world.create_pipeline_principal(account_id=account_id)
        return boto3.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, region_name=REGION
        )

    return make


@pytest.fixture
def org(world: World, session_for: Callable[[str], boto3.Session]) -> Org:
    """Management 111111111111; member 222222222222 (with every kind of root credential)
    in OU Workloads; 333333333333 the IAM delegated administrator; trusted access and
    both features on."""
    organization_id = world.create_organization(management_account_id=MANAGEMENT)
    workloads = world.create_organizational_unit(management_account_id=MANAGEMENT, name="Workloads")
    world.create_account(
        management_account_id=MANAGEMENT, account_id=MEMBER, name="member", parent_id=workloads
    )
    world.create_account(management_account_id=MANAGEMENT, account_id=SECURITY, name="security")
    world.enable_trusted_access(management_account_id=MANAGEMENT)
    world.register_delegated_administrator(management_account_id=MANAGEMENT, account_id=SECURITY)
    world.enable_features(management_account_id=MANAGEMENT, features=FEATURES)
    world.set_root_credentials(
        MEMBER,
        password=True,
        access_keys=[AccessKeySpec(), AccessKeySpec(status="Inactive")],
        signing_certificates=2,
        mfa_devices=["virtual", "fido", "hardware"],
    )
    return Org(world, organization_id, workloads, session_for(MANAGEMENT), session_for(SECURITY))


@pytest.fixture
def assume_root() -> Callable[..., boto3.Session]:
    """``assume_root(caller_session, account_id, task)``: a boto3 session in a root session."""

    def make(
        caller: boto3.Session, account_id: str, task: RootTask, *, region: str = REGION
    ) -> boto3.Session:
        credentials = caller.client("sts", region_name=region).assume_root(
            TargetPrincipal=account_id,
            TaskPolicyArn={"arn": task.policy_arn("aws")},
        )["Credentials"]
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=region,
        )

    return make
