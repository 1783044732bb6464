"""A re-apply of a tainted removal resumes (issue 12, part 3), through real Terraform.

50 accounts: the management account and 49 members, each holding a password and an
active access key; one member (``FAILING``) holds two keys. While every root session
expires after two calls, only that member fails: reading its keys is one step of three
calls (``ListAccessKeys`` + ``GetAccessKeyLastUsed`` twice), which fails again after the
one re-assume. The apply fails and taints the removal; the fault is then fixed and the
re-apply, with the same request, assumes only into the failed member (its delete
session and its verifying audit session: exactly 2 ``AssumeRoot`` calls) and says how
many it skipped. A changed request starts afresh.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tftest

from root_access.simulator import Scenario, SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

MEMBERS = [str(400_000_000_000 + index) for index in range(49)]
FAILING = MEMBERS[17]
REMOVAL = "module.removal.terraform_data.this[0]"
STACK = """
module "removal" {
  source             = "../modules/root-credentials-removal"
  selection          = { all = true }
  python_executable  = "%(python)s"
  region             = "us-east-1"
  evidence_path      = "evidence/removal.jsonl"
  delete_virtual_mfa = %(delete_virtual_mfa)s
}
"""


def _scenario() -> Scenario:
    keys = [{"status": "Active"}]
    accounts: list[dict[str, Any]] = [
        {
            "id": account_id,
            "name": f"member-{index:02d}",
            "root_credentials": {
                "password": True,
                "access_keys": keys * (2 if account_id == FAILING else 1),
            },
        }
        for index, account_id in enumerate(MEMBERS)
    ]
    return Scenario.from_dict(
        {
            "region": "us-east-1",
            "organizations": [
                {
                    "management_account": {
                        "id": "111111111111",
                        "name": "management",
                        "email": "management@example.com",
                    },
                    "trusted_access": ["iam.amazonaws.com"],
                    "features": ["RootCredentialsManagement", "RootSessions"],
                    "accounts": accounts,
                }
            ],
        },
        source="test_removal_resume.py",
    )


@pytest.fixture
def simulator_scenario() -> Scenario:
    return _scenario()


def _write_stack(stack: Path, python: str, *, delete_virtual_mfa: bool = True) -> None:
    stack.mkdir(exist_ok=True)
    values = {"python": python, "delete_virtual_mfa": str(delete_virtual_mfa).lower()}
    (stack / "main.tf").write_text(STACK % values)


def _assume_root(server: SimulatorServer) -> list[tuple[str, str]]:
    return server.sessions()


def _run_records(evidence: Path) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in evidence.read_text().splitlines()]
    return [{k: v for k, v in r.items() if k != "time"} for r in records if r["record"] == "run"]


def test_reapply_of_a_tainted_removal_assumes_only_into_the_failed_account(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
):
    # given the removal applied while root sessions expire after two calls: one member fails
    stack = workspace / "stack"
    _write_stack(stack, python)
    tf = terraform(stack, simulator_server)
    tf.init()
    simulator_server.set_faults({"session_expiry": {"after_calls": 2}})
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.apply()
    assert f"1 account(s) failed: {FAILING}" in " ".join(failed.value.args[0].split())
    assert simulator_server.root_user(FAILING)["password"] is True
    assert simulator_server.root_user(MEMBERS[0])["password"] is False
    assert (REMOVAL, ("delete", "create")) in tf.changes()

    # when the fault is fixed and the pipeline applies again with the same request
    simulator_server.set_faults({})
    before = len(_assume_root(simulator_server))
    simulator_server.clear_calls()
    output = tf.apply()

    # then exactly two AssumeRoot calls were made, both into the failed member
    assert _assume_root(simulator_server)[before:] == [
        (FAILING, "IAMDeleteRootUserCredentials"),
        (FAILING, "IAMAuditRootUserCredentials"),
    ]
    assert len([c for c in simulator_server.calls() if c.action == "AssumeRoot"]) == 2
    assert not simulator_server.root_user(FAILING)["password"]
    assert simulator_server.root_user(FAILING)["access_keys"] == []
    # and it said how many it skipped (the management account is reported as skipped on
    # every run, never assumed into: total 2 = it and the failed member)
    assert (
        "resuming the failed run of this request: skipping 48 account(s) "
        "evidence/removal.jsonl records as done"
    ) in " ".join(output.split())
    runs = _run_records(stack / "evidence" / "removal.jsonl")
    digest = runs[0]["request"]
    assert runs == [
        {"record": "run", "event": "start", "request": digest, "resumed": False, "skipped": 0},
        {"record": "run", "event": "end", "request": digest, "total": 50, "failed": 1},
        {"record": "run", "event": "start", "request": digest, "resumed": True, "skipped": 48},
        {"record": "run", "event": "end", "request": digest, "total": 2, "failed": 0},
    ]
    assert tf.changes() == []


def test_a_changed_request_after_a_failure_starts_afresh(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str
):
    # given a failed removal, the fault then fixed
    stack = workspace / "stack"
    _write_stack(stack, python)
    tf = terraform(stack, simulator_server)
    tf.init()
    simulator_server.set_faults({"session_expiry": {"after_calls": 2}})
    with pytest.raises(tftest.TerraformTestError):
        tf.apply()
    simulator_server.set_faults({})
    before = len(_assume_root(simulator_server))
    # when an option of the request changes
    _write_stack(stack, python, delete_virtual_mfa=False)
    tf.apply()
    # then every member is assumed into again (48 of them are clean: one session each;
    # the failed one is deleted and verified: two)
    sessions = _assume_root(simulator_server)[before:]
    assert len(sessions) == 50
    assert sorted({account for account, _ in sessions}) == MEMBERS
    runs = _run_records(stack / "evidence" / "removal.jsonl")
    assert (runs[-2]["resumed"], runs[-2]["skipped"]) == (False, 0)
    assert runs[-1]["total"] == 50
