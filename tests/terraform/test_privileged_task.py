"""The privileged-task module applied through the root module, for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

ALREADY_ON = {"enable_trusted_access": False, "delegated_administrator_account_id": None}


def _recoveries(server: SimulatorServer) -> list[str]:
    """Accounts of every IAMCreateRootUserPassword session issued so far, in order."""
    return [account for account, task in server.sessions() if task == "IAMCreateRootUserPassword"]


def test_privileged_task_runs_once_per_request_id(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given one password-recovery request
    requests = {"CHG-1": {"task": "allow-password-recovery", "account_id": "444444444444"}}
    variables = root_variables(remove_root_credentials=False, **ALREADY_ON)
    variables["privileged_tasks"] = requests
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    tf.apply()
    assert _recoveries(simulator_server) == ["444444444444"]
    # when the same configuration is applied again
    tf.apply()
    # then the old request does not run again (the audit reads, nothing recovers)
    assert _recoveries(simulator_server) == ["444444444444"]
    # when a new id is added
    requests["CHG-2"] = {"task": "allow-password-recovery", "account_id": "222222222222"}
    tf.write_variables({**variables, "privileged_tasks": requests})
    changes = tf.changes()
    # then only the new one is planned, and it runs
    assert changes == [('module.privileged_tasks.terraform_data.this["CHG-2"]', ("create",))]
    tf.apply()
    assert _recoveries(simulator_server) == ["444444444444", "222222222222"]
    assert tf.outputs()["privileged_task_request_ids"] == ["CHG-1", "CHG-2"]


def test_password_recovery_runs_after_the_removal_of_the_same_account(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables
):
    # given a removal of every member and a password-recovery request for one of them
    variables = root_variables(**ALREADY_ON)
    variables["privileged_tasks"] = {
        "CHG-1": {"task": "allow-password-recovery", "account_id": "222222222222"}
    }
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    # when both are applied in one run
    output = tf.apply()
    # then the recovery is not undone by the removal: the account ends with a login
    # profile (a password its root user can recover) and no other credential
    root_user = simulator_server.root_user("222222222222")
    assert root_user["password"] is True
    assert root_user["access_keys"] == []
    assert tf.outputs()["accounts_with_root_credentials"] == ["222222222222"]
    # and the drift check (checks.tf) does not report the requested login profile
    assert 'in check "root_credentials_removed"' not in output
    # and that is because the recovery ran after the deletion, not by luck
    sessions = [task for account, task in simulator_server.sessions() if account == "222222222222"]
    deletions = [
        index for index, task in enumerate(sessions) if task == "IAMDeleteRootUserCredentials"
    ]
    assert deletions
    assert sessions.index("IAMCreateRootUserPassword") > max(deletions)
