"""Every Terraform step prepares once (issue 10 item 1): a plan and an apply of the
removal make at most one preflight and one ``DescribeAccount`` per explicit account id
in each script run; the scripts get the ``AWS_REGION`` fallback (issue 11 item 4)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from root_access.simulator import SimulatorServer

PYTHON = sys.executable

pytestmark = [pytest.mark.terraform, pytest.mark.server]

PREFLIGHT = (
    ("sts", "GetCallerIdentity"),
    ("organizations", "DescribeOrganization"),
    ("organizations", "ListAWSServiceAccessForOrganization"),
    ("iam", "ListOrganizationsFeatures"),
    ("organizations", "ListDelegatedAdministrators"),
)
"""The calls of one preflight."""

REMOVAL_ONLY = """\
module "removal" {
  source            = "../modules/root-credentials-removal"
  selection         = { accounts = ["222222222222"] }
  python_executable = %s
}
"""
"""The removal module alone, no AWS provider: every call in the log is a script's. No
``region``: the scripts take it from ``AWS_REGION``."""


def _counts(server: SimulatorServer) -> Counter[tuple[str, str]]:
    return Counter((call.service, call.action) for call in server.calls())


def test_plan_and_apply_prepare_once_per_script_run(
    workspace: Path, terraform, simulator_server: SimulatorServer
) -> None:
    # given the removal of one explicit account, region only in AWS_REGION
    # (AWS_DEFAULT_REGION empty, which means unset)
    directory = workspace / "removal-only"
    directory.mkdir()
    (directory / "main.tf").write_text(REMOVAL_ONLY % json.dumps(PYTHON))
    tf = terraform(directory, simulator_server, env={"AWS_DEFAULT_REGION": ""})
    tf.init()
    simulator_server.clear_calls()
    # when planned: one script run (the scope data source)
    planned = dict(tf.changes())
    plan = _counts(simulator_server)
    simulator_server.clear_calls()
    # and applied: two script runs (the scope read again, then delete.py)
    tf.apply()
    apply = _counts(simulator_server)
    # then one preflight and one DescribeAccount per script run
    assert planned == {"module.removal.terraform_data.this[0]": ("create",)}
    assert {call: plan[call] for call in PREFLIGHT} == dict.fromkeys(PREFLIGHT, 1)
    assert plan[("organizations", "DescribeAccount")] == 1
    assert {call: apply[call] for call in PREFLIGHT} == dict.fromkeys(PREFLIGHT, 2)
    assert apply[("organizations", "DescribeAccount")] == 2
    assert simulator_server.root_user("222222222222")["password"] is False
