"""`terraform apply` of the root module against the simulator server, for real.

The whole landing-zone flow: init, validate, plan, apply, a second plan without changes,
a guarded destroy; the simulated organization's end state is read back through boto3.
Field cases: TF-FEATURES-LIFECYCLE, EXT-RUNS-ON-PLAN, EXT-STATE-SECRETS, EXT-INTERPRETER,
SCP-DENIES-ROOT (blocked and reported), ORG-TRUSTED-ACCESS (precondition).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import tftest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

FEATURES = ["RootCredentialsManagement", "RootSessions"]
REMOVAL = "module.root_credentials_removal.terraform_data.this[0]"
ON_ALREADY = {"enable_trusted_access": False, "delegated_administrator_account_id": None}
"""The default scenario has trusted access, features and the delegated admin on already."""
WRITES = ("Delete", "Create", "Deactivate", "Enable", "Register", "Put", "Set", "Upload")


def _variables(python: str, **changes: Any) -> dict[str, Any]:
    return {
        "delegated_administrator_account_id": "333333333333",
        "enable_trusted_access": True,
        "selection": {"all": True, "exclude_accounts": ["555555555555"]},
        "remove_root_credentials": True,
        "evidence_path": "evidence/root-access.jsonl",
        "python_executable": python,
        "region": "us-east-1",
        **changes,
    }


def _enabled_features(server: SimulatorServer, client) -> list[str]:
    return sorted(client(server, "iam").list_organizations_features()["EnabledFeatures"])


def _delegated_administrators(server: SimulatorServer, client) -> list[str]:
    response = client(server, "organizations").list_delegated_administrators(
        ServicePrincipal="iam.amazonaws.com"
    )
    return [admin["Id"] for admin in response["DelegatedAdministrators"]]


def _trusted_principals(server: SimulatorServer, client) -> list[str]:
    response = client(server, "organizations").list_aws_service_access_for_organization()
    return [item["ServicePrincipal"] for item in response["EnabledServicePrincipals"]]


@pytest.fixture
def applied(workspace: Path, terraform, fresh_organization: SimulatorServer, python: str):
    """The root module initialised, validated, planned and applied on a fresh org."""
    tf = terraform(workspace, fresh_organization, _variables(python))
    tf.init()
    assert '"valid": true' in tf.run("validate", "-json").out
    planned = dict(tf.changes())
    assert planned["module.organization_root_access.aws_iam_organizations_features.this[0]"] == (
        "create",
    )
    tf.apply()
    return tf, fresh_organization


def test_apply_turns_on_root_access_and_removes_root_credentials(
    applied, client, has_root_credentials
):
    # given a fresh organization (trusted access, features, delegated admin all off)
    tf, server = applied
    # when (applied by the fixture)
    # then trusted access, both features and the delegated administrator are on
    assert _trusted_principals(server, client) == ["iam.amazonaws.com"]
    assert _enabled_features(server, client) == FEATURES
    assert _delegated_administrators(server, client) == ["333333333333"]
    # and no selected member keeps root credentials; the excluded one is untouched
    assert not has_root_credentials(server.root_user("222222222222"))
    assert not has_root_credentials(server.root_user("666666666666"))
    assert server.root_user("555555555555")["password"] is True
    # and the outputs show the organization as it now is
    outputs = tf.outputs()
    assert outputs["accounts_with_root_credentials"] == []
    assert outputs["enabled_features"] == FEATURES
    assert outputs["delegated_administrator_account_id"] == "333333333333"
    assert outputs["audit_summary"] == {
        "no_root_credentials": 4,
        "skipped_inactive_account": 2,
        "skipped_management_account": 1,
        "total": 7,
    }


def test_second_plan_shows_no_changes(applied):
    # given an applied configuration
    tf, _ = applied
    # when
    result = tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
    # then
    assert result.retcode == 0, result.out
    assert "No changes." in result.out


def test_evidence_records_every_deletion_without_secrets(applied):
    # given
    tf, _ = applied
    # when
    evidence = (tf.directory / "evidence" / "root-access.jsonl").read_text()
    # then
    finished = {
        record["account_id"]: record["outcome"]
        for record in map(json.loads, evidence.splitlines())
        if record["record"] == "account"
    }
    assert finished["222222222222"] == "deleted"
    assert finished["666666666666"] == "deleted"
    assert finished["444444444444"] == "already_absent"


def test_state_and_plan_hold_no_session_secret(applied, session_secret: re.Pattern[str]):
    # given an applied configuration and a fresh saved plan
    tf, server = applied
    plan = json.dumps(tf.plan_json())
    # when
    state = tf.state_text()
    # then no AssumeRoot credential and not the pipeline's secret key
    for text in (state, plan):
        assert session_secret.search(text) is None
        assert server.env["AWS_SECRET_ACCESS_KEY"] not in text
    assert "222222222222" in state  # the scan looked at real content


def test_destroy_is_refused_while_features_are_guarded(applied, client):
    # given
    tf, server = applied
    # when
    with pytest.raises(tftest.TerraformTestError) as refused:
        tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    # then prevent_destroy stops it and the features stay on
    assert "Instance cannot be destroyed" in refused.value.args[0]
    assert _enabled_features(server, client) == FEATURES


def test_destroy_with_the_guard_lifted_disables_the_features(applied, client):
    # given a copy of the module with prevent_destroy lifted, as the README says
    tf, server = applied
    main = tf.directory / "modules" / "organization-root-access" / "main.tf"
    main.write_text(main.read_text().replace("prevent_destroy = true", "prevent_destroy = false"))
    # when
    tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    # then the features are off and the delegated administrator is deregistered
    assert _enabled_features(server, client) == []
    assert _delegated_administrators(server, client) == []


def test_blocked_account_fails_apply_reports_it_and_next_apply_retries(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, has_root_credentials
):
    # given 555555555555, whose root sessions an SCP denies, in the selection
    variables = _variables(python, selection={"all": True}, **ON_ALREADY)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    # when
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.apply()
    # then the apply fails naming the account and its outcome; the others are clean
    message = failed.value.args[0]
    assert "555555555555 blocked_by_scp" in message
    assert "1 account(s) failed: 555555555555" in message
    assert "aws:AssumedRoot" in message
    assert not has_root_credentials(simulator_server.root_user("222222222222"))
    assert simulator_server.root_user("555555555555")["password"] is True
    # and the tainted removal runs again on the next apply
    assert (REMOVAL, ("delete", "create")) in tf.changes()
    # when the account is excluded until its SCP is fixed
    tf.write_variables(
        _variables(
            python, selection={"all": True, "exclude_accounts": ["555555555555"]}, **ON_ALREADY
        )
    )
    tf.apply()
    # then
    assert tf.changes() == []


def test_plan_only_reads(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
):
    # given the organization applied without removal, then removal switched on
    variables = _variables(python, remove_root_credentials=False, **ON_ALREADY)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    tf.apply()
    tf.write_variables({**variables, "remove_root_credentials": True})
    before = simulator_server.root_user("222222222222")
    simulator_server.clear_calls()
    # when
    planned = dict(tf.changes())
    # then the plan would delete, but nothing was written (EXT-RUNS-ON-PLAN)
    assert planned == {REMOVAL: ("create",)}
    assert simulator_server.root_user("222222222222") == before
    assert [c.action for c in simulator_server.calls() if c.action.startswith(WRITES)] == []


def test_plan_after_apply_audits_live_and_writes_nothing(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
):
    # given an applied removal
    tf = terraform(workspace, simulator_server, _variables(python, **ON_ALREADY))
    tf.init()
    tf.apply()
    simulator_server.clear_calls()
    # when
    changes = tf.changes()
    # then the audit ran at plan (one AssumeRoot per selected active member) and wrote
    # nothing (EXT-RUNS-ON-PLAN, CRED-FEATURE-DELETES-NOTHING: always audit live)
    assert changes == []
    assert len([c for c in simulator_server.calls() if c.action == "AssumeRoot"]) == 4
    assert [c.action for c in simulator_server.calls() if c.action.startswith(WRITES)] == []


def test_missing_trusted_access_stops_the_plan(
    workspace: Path, terraform, fresh_organization: SimulatorServer, python: str
):
    # given trusted access for IAM is off and not asked for
    tf = terraform(workspace, fresh_organization, _variables(python, enable_trusted_access=False))
    tf.init()
    # when
    with pytest.raises(tftest.TerraformTestError) as stopped:
        tf.run("plan", "-input=false", "-no-color")
    # then the precondition says how to add it
    message = " ".join(stopped.value.args[0].split())
    assert "Trusted access for iam.amazonaws.com is not enabled" in message
    assert "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com" in (
        message
    )
    assert "enable_trusted_access = true" in message


def test_missing_interpreter_error_names_python_executable(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
):
    # given an applied organization, then an interpreter that is not on PATH
    variables = _variables(python, remove_root_credentials=False, **ON_ALREADY)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    tf.apply()
    tf.write_variables({**variables, "python_executable": "python3-not-installed"})
    # when
    with pytest.raises(tftest.TerraformTestError) as stopped:
        tf.run("plan", "-input=false", "-no-color")
    # then the diagnostic shows the module input and its value (EXT-INTERPRETER)
    message = stopped.value.args[0]
    assert "var.python_executable" in message
    assert '"python3-not-installed"' in message


def test_features_enabled_in_the_console_are_imported_by_organization_id(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, client
):
    # given an organization whose features were enabled outside Terraform
    tf = terraform(workspace, simulator_server, _variables(python, **ON_ALREADY))
    tf.init()
    organization_id = client(simulator_server, "organizations").describe_organization()[
        "Organization"
    ]["Id"]
    # when
    tf.run(
        "import",
        "-input=false",
        "-no-color",
        "module.organization_root_access.aws_iam_organizations_features.this[0]",
        organization_id,
    )
    # then the plan leaves the features alone
    changes = dict(tf.changes())
    assert "module.organization_root_access.aws_iam_organizations_features.this[0]" not in changes


def test_privileged_task_runs_once_per_request_id(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
):
    # given one password-recovery request
    requests = {"CHG-1": {"task": "allow-password-recovery", "account_id": "444444444444"}}
    variables = _variables(python, remove_root_credentials=False, **ON_ALREADY)
    variables["privileged_tasks"] = requests
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    tf.apply()
    simulator_server.clear_calls()
    # when the same configuration is applied again
    tf.apply()
    # then the old request does not run again (the audit reads, nothing recovers)
    assert [c for c in simulator_server.calls() if c.action == "CreateLoginProfile"] == []
    # when a new id is added
    requests["CHG-2"] = {"task": "allow-password-recovery", "account_id": "222222222222"}
    tf.write_variables({**variables, "privileged_tasks": requests})
    changes = tf.changes()
    # then only the new one is planned, and it runs
    assert changes == [('module.privileged_tasks.terraform_data.this["CHG-2"]', ("create",))]
    tf.apply()
    assert tf.outputs()["privileged_task_request_ids"] == ["CHG-1", "CHG-2"]


def test_features_disabled_out_of_band_are_enabled_again(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, client
):
    # given an applied organization whose features someone disabled in the console
    variables = _variables(python, remove_root_credentials=False, **ON_ALREADY)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    tf.apply()
    iam = client(simulator_server, "iam")
    iam.disable_organizations_root_sessions()
    iam.disable_organizations_root_credentials_management()
    # when the read finds an empty list, the resource leaves state (TF-FEATURES-LIFECYCLE)
    changes = dict(tf.changes())
    tf.apply()
    # then the next apply enables them again
    assert changes["module.organization_root_access.aws_iam_organizations_features.this[0]"] == (
        "create",
    )
    assert _enabled_features(simulator_server, client) == FEATURES


def test_removal_runs_again_when_an_account_joins_the_selection(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, client
):
    # given an applied removal
    tf = terraform(workspace, simulator_server, _variables(python, **ON_ALREADY))
    tf.init()
    tf.apply()
    # when an account joins the organization (e.g. an invited account)
    organizations = client(simulator_server, "organizations")
    organizations.create_account(Email="new@example.com", AccountName="new-account")
    # then the next plan runs the deletion again
    assert tf.changes() == [(REMOVAL, ("delete", "create"))]


def test_apply_output_holds_no_session_secret(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, session_secret
):
    # given
    tf = terraform(workspace, simulator_server, _variables(python, **ON_ALREADY))
    tf.init()
    # when (the local-exec output of delete.py is part of the apply log)
    output = tf.apply()
    # then
    assert "222222222222 deleted" in output
    assert session_secret.search(output) is None
    assert simulator_server.env["AWS_SECRET_ACCESS_KEY"] not in output
