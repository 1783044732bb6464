"""Nothing lost through Terraform: a removal that failed is tainted and the next apply
finishes it (issue 7, part 2).

The root-credentials-removal module's ``terraform_data`` runs scripts/delete.py at apply;
when an account fails the script exits 1, the apply fails and Terraform taints the
resource, so the next plan replaces it and the next apply deletes what is left.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import tftest
from terraform_offline.engine import Engine

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REMOVAL = "module.removal.terraform_data.this[0]"
STACK = """
module "removal" {
  source            = "../modules/root-credentials-removal"
  selection         = { accounts = ["222222222222", "666666666666"] }
  python_executable = "%s"
  region            = "us-east-1"
  evidence_path     = "evidence.jsonl"
}
"""


def _holds_credentials(server: SimulatorServer, account_id: str) -> bool:
    user = server.root_user(account_id)
    return bool(
        user["password"]
        or user["access_keys"]
        or user["signing_certificates"]
        or [device for device in user["mfa_devices"] if device["active"]]
    )


def _replaced(tf: tftest.TerraformTest) -> list[tuple[str, list[str]]]:
    tf.execute_command("plan", "-input=false", "-no-color", "-out=tfplan")
    plan = json.loads(tf.execute_command("show", "-json", "tfplan").out)
    return [
        (change["address"], change["change"]["actions"])
        for change in plan.get("resource_changes", [])
        if change["change"]["actions"] not in (["no-op"], ["read"])
    ]


def test_failed_removal_is_tainted_and_the_next_apply_finishes_it(
    simulator_server: SimulatorServer,
    terraform_copy: Path,
    terraform_engine: Engine,
    terraform_base_env: dict[str, str],
) -> None:
    # given the removal module applied while every root session expires after one call
    stack = terraform_copy / "stack"
    (stack / "main.tf").write_text(STACK % sys.executable)
    env = {**terraform_base_env, **simulator_server.env}
    tf = tftest.TerraformTest(str(stack), binary=terraform_engine.path, env=env)
    tf.execute_command("init", "-input=false", "-no-color")
    simulator_server.set_faults({"session_expiry": {"after_calls": 1}})
    # when
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.apply()
    # then the apply failed naming both accounts, nothing was deleted, the resource is
    # tainted: the next plan replaces it
    message = " ".join(failed.value.args[0].split())
    assert (
        "2 account(s) failed: 222222222222 666666666666; the next terraform apply retries them"
    ) in message
    assert _holds_credentials(simulator_server, "222222222222")
    assert _replaced(tf) == [(REMOVAL, ["delete", "create"])]

    # when the fault is gone and the pipeline applies again
    simulator_server.set_faults({})
    tf.apply()
    # then the removal finished, and a further plan has nothing to do
    assert not _holds_credentials(simulator_server, "222222222222")
    assert not _holds_credentials(simulator_server, "666666666666")
    assert _replaced(tf) == []
