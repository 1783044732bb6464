"""The root-credentials-removal module applied through the root module, for real.

Field cases: SCP-DENIES-ROOT (blocked, reported, retried), EXT-RUNS-ON-PLAN; triggers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import tftest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REMOVAL = "module.root_credentials_removal.terraform_data.this[0]"
WRITES = ("Delete", "Create", "Deactivate", "Enable", "Register", "Put", "Set", "Upload")
ALREADY_ON = {"enable_trusted_access": False, "delegated_administrator_account_id": None}
DRIFT_WARNING = 'in check "root_credentials_removed"'
"""The warning of the drift check (checks.tf also has the accounts_audited check)."""
OUT_OF_BAND_RECOVERY = {
    "request_id": "console",
    "task": "allow-password-recovery",
    "account_id": "222222222222",
    "dry_run": False,
    "region": "us-east-1",
}
"""A root password created again outside this configuration (scripts/task.py run by hand)."""


def test_blocked_account_fails_apply_reports_it_and_next_apply_retries(
    workspace: Path,
    terraform,
    simulator_server: SimulatorServer,
    has_root_credentials,
    root_variables,
):
    # given 555555555555, whose root sessions an SCP denies, in the selection
    variables = root_variables(selection={"all": True}, **ALREADY_ON)
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
        root_variables(selection={"all": True, "exclude_accounts": ["555555555555"]}, **ALREADY_ON)
    )
    tf.apply()
    # then
    assert tf.changes() == []


def test_plan_only_reads(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given the organization applied without removal, then removal switched on
    variables = root_variables(remove_root_credentials=False, **ALREADY_ON)
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


def test_removal_runs_again_when_an_account_joins_the_selection(
    workspace: Path, terraform, simulator_server: SimulatorServer, client, root_variables
):
    # given an applied removal
    tf = terraform(workspace, simulator_server, root_variables(**ALREADY_ON))
    tf.init()
    tf.apply()
    # when an account joins the organization (e.g. an invited account)
    organizations = client(simulator_server, "organizations")
    organizations.create_account(Email="new@example.com", AccountName="new-account")
    # then the next plan runs the deletion again
    assert tf.changes() == [(REMOVAL, ("delete", "create"))]


def test_apply_output_holds_no_session_secret(
    workspace: Path, terraform, simulator_server: SimulatorServer, session_secret, root_variables
):
    # given
    tf = terraform(workspace, simulator_server, root_variables(**ALREADY_ON))
    tf.init()
    # when (the local-exec output of delete.py is part of the apply log)
    output = tf.apply()
    # then
    assert "222222222222 deleted" in output
    assert session_secret.search(output) is None
    assert simulator_server.env["AWS_SECRET_ACCESS_KEY"] not in output
    issued = simulator_server.issued_secrets()
    assert issued
    assert [secret for secret in issued if secret in output] == []


def test_dry_run_deletes_nothing_and_turning_it_off_runs_the_deletion(
    workspace: Path,
    terraform,
    simulator_server: SimulatorServer,
    root_variables,
    has_root_credentials,
):
    # given a dry run applied
    variables = root_variables(dry_run=True, **ALREADY_ON)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    output = tf.apply()
    assert "222222222222 would_delete (dry run)" in output
    assert has_root_credentials(simulator_server.root_user("222222222222"))
    assert tf.outputs()["accounts_with_root_credentials"] == ["222222222222", "666666666666"]
    # when dry_run is turned off (a changed request re-runs the deletion)
    tf.write_variables({**variables, "dry_run": False})
    changes = tf.changes()
    tf.apply()
    # then
    assert changes == [(REMOVAL, ("delete", "create"))]
    assert not has_root_credentials(simulator_server.root_user("222222222222"))


def test_a_changed_script_runs_the_deletion_again(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given an applied removal
    tf = terraform(workspace, simulator_server, root_variables(**ALREADY_ON))
    tf.init()
    tf.apply()
    # when delete.py changes (its SHA-256 is a trigger)
    script = workspace / "scripts" / "delete.py"
    script.write_text(script.read_text() + "\n# a new release of the entry script\n")
    # then
    assert tf.changes() == [(REMOVAL, ("delete", "create"))]


def test_root_credentials_back_in_scope_warn_with_the_command_to_finish(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given an applied removal, whose next plan has nothing to say
    tf = terraform(workspace, simulator_server, root_variables(**ALREADY_ON))
    tf.init()
    tf.apply()
    assert DRIFT_WARNING not in tf.run("plan", "-input=false", "-no-color").out
    # when a root password is created again out of band in an account already in scope
    recreated = subprocess.run(
        [sys.executable, str(workspace / "scripts" / "task.py")],
        env={**tf.env, "ROOT_ACCESS_REQUEST": json.dumps(OUT_OF_BAND_RECOVERY)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert recreated.returncode == 0, recreated.stderr
    plan = " ".join(tf.run("plan", "-input=false", "-no-color").out.split())  # unwrapped
    # then the plan warns, naming the account and the command, but re-runs nothing
    assert DRIFT_WARNING in plan
    assert "in 1 account(s) the removal already ran for: 222222222222." in plan
    assert f"run: terraform apply -replace='{REMOVAL}'" in plan
    assert tf.changes() == []
    # and that command deletes it, after which the warning is gone
    tf.run("apply", "-input=false", "-no-color", "-auto-approve", f"-replace={REMOVAL}")
    assert simulator_server.root_user("222222222222")["password"] is False
    assert DRIFT_WARNING not in tf.run("plan", "-input=false", "-no-color").out
