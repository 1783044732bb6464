"""`terraform apply` of the root module against the simulator server, for real.

The landing-zone flow: init, validate, plan, apply on a fresh organization, the end
state read back through boto3, evidence, a second plan without changes, state and plan
JSON without secrets. Field cases: EXT-STATE-SECRETS, EXT-RUNS-ON-PLAN,
EXT-INTERPRETER, CRED-FEATURE-DELETES-NOTHING. Module-specific behaviour is in
test_organization_root_access.py, test_root_credentials_removal.py and
test_privileged_task.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tftest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REPO = Path(__file__).resolve().parents[2]

FEATURES = ["RootCredentialsManagement", "RootSessions"]
FEATURES_ADDRESS = "module.organization_root_access.aws_iam_organizations_features.this[0]"
ALREADY_ON = {"enable_trusted_access": False, "delegated_administrator_account_id": None}
WRITES = ("Delete", "Create", "Deactivate", "Enable", "Register", "Put", "Set", "Upload")


def test_landing_zone_apply(
    workspace: Path,
    terraform,
    fresh_organization: SimulatorServer,
    root_variables,
    organization_state,
    has_root_credentials,
    session_secret: re.Pattern[str],
):
    # given a fresh organization (trusted access, features, delegated admin all off)
    server = fresh_organization
    tf = terraform(workspace, server, root_variables())
    tf.init()
    assert '"valid": true' in tf.run("validate", "-json").out
    assert dict(tf.changes())[FEATURES_ADDRESS] == ("create",)
    # when
    tf.apply()
    # then trusted access, both features and the delegated administrator are on
    state = organization_state(server)
    assert state.trusted_principals() == ["iam.amazonaws.com"]
    assert state.features() == FEATURES
    assert state.delegated_administrators() == ["333333333333"]
    # and no selected member keeps root credentials; the excluded one is untouched
    assert not has_root_credentials(server.root_user("222222222222"))
    assert not has_root_credentials(server.root_user("666666666666"))
    assert server.root_user("555555555555")["password"] is True
    # and the outputs show the organization as it now is
    outputs = tf.outputs()
    assert outputs["accounts_with_root_credentials"] == []
    assert outputs["enabled_features"] == FEATURES
    assert outputs["delegated_administrator_account_id"] == "333333333333"
    # and the pipeline's least-privilege policies are shipped byte for byte (issue 7)
    assert outputs["pipeline_policies"] == {
        path.stem: path.read_text() for path in (REPO / "policies").glob("*.json")
    }
    assert sorted(outputs["pipeline_policies"]) == ["audit-only", "delete", "enable", "unlock"]
    assert outputs["audit_summary"] == {
        "no_root_credentials": 4,
        "skipped_inactive_account": 2,
        "skipped_management_account": 1,
        "total": 7,
    }
    # and the evidence records each account's deletion
    evidence = (tf.directory / "evidence" / "root-access.jsonl").read_text()
    finished = {
        record["account_id"]: record["outcome"]
        for record in map(json.loads, evidence.splitlines())
        if record["record"] == "account"
    }
    assert finished == {
        "222222222222": "deleted",
        "333333333333": "already_absent",
        "444444444444": "already_absent",
        "666666666666": "deleted",
    }
    # and a second plan shows no changes
    second = tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
    assert second.retcode == 0, second.out
    assert "No changes." in second.out
    # and neither state, plan JSON nor evidence hold a session secret (EXT-STATE-SECRETS)
    plan = json.dumps(tf.plan_json())
    state_text = tf.state_text()
    assert "222222222222" in state_text  # the scan looks at real content
    issued = server.issued_secrets()
    assert issued  # AssumeRoot sessions were issued, so the scan can fail
    for text in (state_text, plan, evidence):
        assert session_secret.search(text) is None
        assert server.env["AWS_SECRET_ACCESS_KEY"] not in text
        assert [secret for secret in issued if secret in text] == []


def test_plan_after_apply_audits_live_and_writes_nothing(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given an applied removal
    tf = terraform(workspace, simulator_server, root_variables(**ALREADY_ON))
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


def test_missing_interpreter_error_names_python_executable(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given an applied organization, then an interpreter that is not on PATH
    variables = root_variables(remove_root_credentials=False, **ALREADY_ON)
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
