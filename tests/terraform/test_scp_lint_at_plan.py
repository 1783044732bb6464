"""The SCP lint in the Terraform path (issue 14 item 2), for real: the audit module warns
at plan, before any AssumeRoot into the blocked account, naming the policy, statement and
fix; the removal's ``skip_scp_blocked`` reports the account ``blocked_by_scp`` without
an AssumeRoot session into it."""

from __future__ import annotations

from pathlib import Path

import pytest
import tftest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

AUDIT = Path("modules") / "root-credentials-audit"
BLOCKED = "555555555555"
ALREADY_ON = {"enable_trusted_access": False, "delegated_administrator_account_id": None}


def test_audit_plan_warns_about_the_blocked_account_with_policy_and_fix(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, scp_blocked
) -> None:
    # given the audit module over the default organization
    record = scp_blocked(simulator_server)[BLOCKED]
    module = workspace / AUDIT
    variables = {"selection": {"all": True}, "python_executable": python, "region": "us-east-1"}
    tf = terraform(module, simulator_server, variables)
    tf.init()
    # when planned
    plan = " ".join(tf.run("plan", "-input=false", "-no-color").out.split())
    # then the check names the account, the tasks, the policy, the statement and the fix
    assert 'in check "scp_blocked_accounts"' in plan
    assert (
        "1 selected account(s) would be blocked in root sessions by a service control "
        f"policy: {BLOCKED} (IAMAuditRootUserCredentials, IAMDeleteRootUserCredentials "
        f"blocked by SCP {record['policy']}, statement DenyInRootSessions: {record['fix']}). "
        "Every one is in the output scp_blocked_accounts."
    ) in plan


def test_audit_plan_is_quiet_when_no_account_is_blocked(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
) -> None:
    # given a selection without the blocked account
    module = workspace / AUDIT
    variables = {
        "selection": {"accounts": ["222222222222", "444444444444"]},
        "python_executable": python,
        "region": "us-east-1",
        "result_mode": "compact",
    }
    tf = terraform(module, simulator_server, variables)
    tf.init()
    # when
    tf.apply()
    # then
    assert tf.outputs()["scp_blocked_accounts"] == {}
    assert 'in check "scp_blocked_accounts"' not in tf.run("plan", "-input=false", "-no-color").out


def test_removal_skip_scp_blocked_reports_the_account_without_assume_root(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables, scp_blocked
) -> None:
    # given the root module removing every member's root credentials, skipping the
    # accounts an SCP blocks
    record = scp_blocked(simulator_server)[BLOCKED]
    variables = root_variables(selection={"all": True}, skip_scp_blocked=True, **ALREADY_ON)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    # when applied
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.apply()
    # then the apply fails for that account only, from the lint, and no root session was
    # ever opened into it
    message = " ".join(failed.value.args[0].split())
    assert (
        f"{BLOCKED} blocked_by_scp skipped without AssumeRoot (skip_scp_blocked): "
        "IAMDeleteRootUserCredentials blocked: iam:GetLoginProfile denied; "
        f"{record['fix']}"
    ) in message
    assert "1 account(s) failed: 555555555555" in message
    sessions = simulator_server.sessions()
    assert [task for account, task in sessions if account == BLOCKED] == []
    assert sorted({account for account, _ in sessions}) == [
        "222222222222",
        "333333333333",
        "444444444444",
        "666666666666",
    ]
    assert simulator_server.root_user(BLOCKED)["password"] is True


def test_removal_default_tries_the_blocked_account(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
) -> None:
    # given the same removal without skip_scp_blocked (the default: false)
    variables = root_variables(selection={"accounts": [BLOCKED]}, **ALREADY_ON)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    # when applied
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.apply()
    # then it was tried: one delete session into it, denied by the SCP
    assert "skip_scp_blocked" not in failed.value.args[0]
    assert (BLOCKED, "IAMDeleteRootUserCredentials") in simulator_server.sessions()
