"""Preflight against the simulator: caller, partition, organization, trusted access, features."""

from __future__ import annotations

import logging

import boto3
import pytest

from root_access import PreflightError, RootTask, Selection, audit, preflight, prepare
from root_access.preflight import require
from root_access.simulator import Scenario, Simulator
from root_access.simulator.world import AccessKeySpec


def scenario(
    *,
    trusted_access: str = "[iam.amazonaws.com]",
    features: str = "[RootCredentialsManagement, RootSessions]",
    feature_set: str = "ALL",
    delegated: str = '"333333333333"',
) -> Scenario:
    return Scenario.loads(
        f"""
region: eu-west-1
organizations:
  - management_account: {{id: "111111111111", name: management, email: m@example.com}}
    feature_set: {feature_set}
    trusted_access: {trusted_access}
    features: {features}
    delegated_administrator: {delegated}
    accounts:
      - {{id: "333333333333", name: security}}
      - {{id: "222222222222", name: member}}
"""
    )


def test_preflight_reports_the_management_caller(simulator: Simulator) -> None:
    # given the default scenario
    # when
    found = preflight(simulator.session(), task=RootTask.AUDIT)
    # then
    shape = found.to_dict()
    assert shape.pop("organization_id").startswith("o-")
    assert shape == {
        "caller_arn": "arn:aws:iam::111111111111:user/pipeline",
        "caller_account_id": "111111111111",
        "partition": "aws",
        "region": "us-east-1",
        "management_account_id": "111111111111",
        "feature_set": "ALL",
        "trusted_access": True,
        "enabled_features": ["RootCredentialsManagement", "RootSessions"],
        "caller_role": "management",
        "delegated_administrators": ["333333333333"],
    }


def test_preflight_recognises_the_delegated_administrator(simulator: Simulator) -> None:
    # given the pipeline principal in the IAM delegated administrator
    session = simulator.session("333333333333")
    # when
    found = preflight(session, task=RootTask.DELETE_CREDENTIALS)
    # then
    assert (found.caller_role, found.caller_account_id, found.management_account_id) == (
        "delegated_administrator",
        "333333333333",
        "111111111111",
    )
    assert found.trusted_access is True


def test_explicit_region_wins_over_the_session(simulator: Simulator) -> None:
    # given / when
    found = preflight(simulator.session(), region="eu-central-1")
    # then
    assert found.region == "eu-central-1"


def test_sts_caller_is_root_is_refused(simulator: Simulator) -> None:
    # given root-user access keys of the management account
    simulator.world.set_root_credentials("111111111111", access_keys=[AccessKeySpec()])
    key = simulator.root_user("111111111111").access_keys[0].access_key_id
    session = boto3.Session(
        aws_access_key_id=key, aws_secret_access_key="unused", region_name="us-east-1"
    )
    # when
    with pytest.raises(PreflightError) as raised:
        preflight(session, task=RootTask.AUDIT)
    # then
    assert raised.value.case == "STS-CALLER-IS-ROOT"
    assert str(raised.value) == (
        "the caller arn:aws:iam::111111111111:root is a root user, which cannot call "
        "sts:AssumeRoot: use an IAM role or user in the management account or the IAM "
        "delegated administrator"
    )
    assert [c.action for c in simulator.calls if c.account_id == "111111111111"][-1] == (
        "GetCallerIdentity"
    )
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


def test_org_trusted_access_off_says_how_to_enable_it() -> None:
    # given an organization without trusted access for IAM
    sim = Simulator(scenario(trusted_access="[]", features="[]", delegated="null"))
    # when
    with sim, pytest.raises(PreflightError) as raised:
        preflight(sim.session(), task=RootTask.AUDIT)
    # then
    assert raised.value.case == "ORG-TRUSTED-ACCESS"
    assert str(raised.value) == (
        "trusted access for iam.amazonaws.com is off: run `root-access enable "
        "--trusted-access` from the management account or `aws organizations "
        "enable-aws-service-access --service-principal iam.amazonaws.com`"
    )


def test_org_feature_partial_names_the_missing_feature() -> None:
    # given only RootCredentialsManagement
    with Simulator(scenario(features="[RootCredentialsManagement]")) as sim:
        session = sim.session()
        audit_ok = preflight(session, task=RootTask.AUDIT)
        # when the task whose gate AWS states (RootSessions for password recovery)
        with pytest.raises(PreflightError) as raised:
            preflight(session, task=RootTask.CREATE_PASSWORD)
    # then
    assert audit_ok.enabled_features == ("RootCredentialsManagement",)
    assert raised.value.case == "ORG-FEATURE-PARTIAL"
    assert str(raised.value) == (
        "IAMCreateRootUserPassword needs the RootSessions feature, which is not enabled "
        "(enabled: RootCredentialsManagement): run `root-access enable --features "
        "RootSessions` from the management account"
    )


def test_stated_gate_for_delete_refuses_without_root_credentials_management() -> None:
    # given only RootSessions
    with Simulator(scenario(features="[RootSessions]")) as sim:
        checked = preflight(sim.session())
    # when
    with pytest.raises(PreflightError) as raised:
        require(checked, RootTask.DELETE_CREDENTIALS)
    # then
    assert raised.value.case == "ORG-FEATURE-PARTIAL"
    assert str(raised.value).startswith(
        "IAMDeleteRootUserCredentials needs the RootCredentialsManagement feature"
    )


@pytest.mark.parametrize(
    ("features", "task", "needed", "enabled"),
    [
        (
            "[RootCredentialsManagement]",
            RootTask.UNLOCK_S3_BUCKET_POLICY,
            "RootSessions",
            "RootCredentialsManagement",
        ),
        (
            "[RootCredentialsManagement]",
            RootTask.UNLOCK_SQS_QUEUE_POLICY,
            "RootSessions",
            "RootCredentialsManagement",
        ),
        ("[RootSessions]", RootTask.AUDIT, "RootCredentialsManagement", "RootSessions"),
    ],
)
def test_assumed_gate_warns_and_does_not_refuse(
    features: str, task: RootTask, needed: str, enabled: str
) -> None:
    # given a feature that AWS does not state as the task's gate is off (reference §10)
    with Simulator(scenario(features=features)) as sim:
        checked = preflight(sim.session())
    # when
    warnings = require(checked, task)
    # then one warning line, no refusal
    assert warnings == (
        f"{task.value} is assumed to need the {needed} feature, which is not enabled "
        f"(enabled: {enabled}); AWS does not state the gate, so the run goes on and "
        f"AssumeRoot decides (`root-access enable --features {needed}` turns it on)",
    )


def test_enabled_features_give_no_warning() -> None:
    with Simulator(scenario()) as sim:
        checked = preflight(sim.session())
    assert [require(checked, task) for task in RootTask] == [() for _ in RootTask]


def test_org_wrong_caller_member_account_is_refused() -> None:
    # given a member account that is not the delegated administrator
    sim = Simulator(scenario())
    # when
    with sim, pytest.raises(PreflightError) as raised:
        preflight(sim.session("222222222222"), task=RootTask.AUDIT)
    # then
    assert raised.value.case == "ORG-WRONG-CALLER"
    assert str(raised.value) == (
        "account 222222222222 is neither the management account nor the IAM delegated "
        "administrator: IAMAuditRootUserCredentials needs one of them (register one with "
        "`root-access enable --delegated-administrator ACCOUNT_ID`)"
    )


def test_consolidated_billing_organization_is_refused() -> None:
    # given an organization without all features
    sim = Simulator(
        scenario(
            feature_set="CONSOLIDATED_BILLING", trusted_access="[]", features="[]", delegated="null"
        )
    )
    # when
    with sim, pytest.raises(PreflightError) as raised:
        preflight(sim.session(), task=RootTask.AUDIT)
    # then
    assert raised.value.case == "ORG-ALL-FEATURES"
    assert str(raised.value).startswith("organization o-")
    assert str(raised.value).endswith(
        "does not use all features: enable all features in AWS Organizations (centralized "
        "root access needs them)"
    )


def test_status_without_task_reports_instead_of_raising() -> None:
    # given trusted access off
    with Simulator(scenario(trusted_access="[]", features="[]", delegated="null")) as sim:
        # when
        found = preflight(sim.session())
    # then
    assert (found.trusted_access, found.enabled_features, found.caller_role) == (
        False,
        None,
        "management",
    )


def test_an_account_outside_any_organization_is_refused(simulator: Simulator) -> None:
    # given the pipeline principal in an account that belongs to no organization
    session = simulator.session("999999999999")
    # when
    with pytest.raises(PreflightError) as raised:
        preflight(session, task=RootTask.AUDIT)
    # then
    assert raised.value.case == "ORG-NOT-IN-USE"
    assert str(raised.value) == (
        "account 999999999999 is not in an organization: run from the management account "
        "of an AWS Organization"
    )


def test_an_assumed_gate_that_is_off_is_a_warning_and_assume_root_decides(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given RootCredentialsManagement off (the audit's gate is only assumed)
    with Simulator(scenario(features="[RootSessions]")) as sim:
        session = sim.session()
        # when
        with caplog.at_level(logging.WARNING, logger="root_access"):
            run = prepare(session, task=RootTask.AUDIT, selection=Selection(all=True))
            results = list(
                audit(session, selection=Selection(accounts=("222222222222",)), max_workers=1)
            )
        assumed = [c for c in sim.calls if c.action == "AssumeRoot"]
    # then the run warned (once per prepare), went on, and AssumeRoot decided
    warning = (
        "IAMAuditRootUserCredentials is assumed to need the RootCredentialsManagement feature, "
        "which is not enabled (enabled: RootSessions); AWS does not state the gate, so the run "
        "goes on and AssumeRoot decides (`root-access enable --features "
        "RootCredentialsManagement` turns it on)"
    )
    assert run.warnings == (warning,)
    assert [r.getMessage() for r in caplog.records if r.name == "root_access.prepare"] == [
        warning,
        warning,
    ]
    assert len(assumed) == 1
    assert [r.account_id for r in results] == ["222222222222"]
