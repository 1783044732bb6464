"""Least privilege: the pipeline policies in policies/ are exactly what each mode uses
(issue 7, part 5; field case STS-TASK-SCOPED).

Each mode's flows run through the CLI against the simulator; the calls the pipeline
principal made (not those inside root sessions) and the task policies it passed to
``sts:AssumeRoot`` are read from the simulator. Every call must be allowed by the mode's
document, every action of the document must have been used, and the document's
``sts:TaskPolicyArn`` condition must name exactly the task policies the mode assumed.
Then a pipeline limited the way the audit-only document limits it can audit and is
refused the delete task: each account ``access_denied``, exit 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import tftest
from terraform_offline.engine import Engine

from root_access.simulator import Scenario, Simulator, SimulatorServer
from root_access.simulator.policy import matches_any
from root_access.simulator.state import sim_state

from .conftest import REPO, CliRun, outcomes

POLICIES = REPO / "policies"
MODES = ("audit-only", "delete", "enable", "unlock")
NO_PERMISSION_NEEDED = {"sts:GetCallerIdentity"}
"""GetCallerIdentity works whatever the caller's policies say (STS API Reference)."""
MEMBER = "222222222222"


def _policy(mode: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((POLICIES / f"{mode}.json").read_text())
    return document


def _statements(mode: str) -> list[dict[str, Any]]:
    return list(_policy(mode)["Statement"])


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _allowed(mode: str, action: str) -> bool:
    return any(
        s["Effect"] == "Allow" and matches_any(action, _as_list(s["Action"]))
        for s in _statements(mode)
    )


def _task_arns(mode: str) -> list[str]:
    """The ``sts:TaskPolicyArn`` patterns of the mode's AssumeRoot statement ([] if none)."""
    return [
        arn
        for s in _statements(mode)
        if "sts:AssumeRoot" in _as_list(s["Action"])
        for arn in s["Condition"]["ArnLike"]["sts:TaskPolicyArn"]
    ]


def _used(simulator: Simulator) -> tuple[set[str], set[str]]:
    """(service:Action of the pipeline's own calls, task names it assumed root with)."""
    caller = simulator.management_account_id
    actions = {f"{c.service}:{c.action}" for c in simulator.calls if c.account_id == caller}
    tasks = {session.task_name for session in sim_state().sessions.values()}
    return actions - NO_PERMISSION_NEEDED, tasks


def _ou_of(simulator: Simulator, name: str) -> str:
    organizations = simulator.session().client("organizations")
    root = organizations.list_roots()["Roots"][0]["Id"]
    units = organizations.list_organizational_units_for_parent(ParentId=root)
    return next(u["Id"] for u in units["OrganizationalUnits"] if u["Name"] == name)


def _assert_exact(mode: str, actions: Iterable[str], tasks: Iterable[str]) -> None:
    used = set(actions)
    declared = {a for s in _statements(mode) for a in _as_list(s["Action"])}
    task_arns = _task_arns(mode)
    assert " ".join(sorted(a for a in used if not _allowed(mode, a))) == "", f"{mode}: missing"
    assert " ".join(sorted(declared - used)) == "", f"{mode}: never used"
    assert sorted(task_arns) == sorted(
        f"arn:*:iam::aws:policy/root-task/{task}" for task in tasks
    ), mode


def test_every_mode_has_a_valid_policy_document() -> None:
    # given / when
    documents = {mode: _policy(mode) for mode in MODES}
    # then each is an identity policy of Allow statements on the actions each mode names
    assert sorted(p.name for p in POLICIES.glob("*.json")) == [f"{m}.json" for m in MODES]
    for mode, document in documents.items():
        assert document["Version"] == "2012-10-17", mode
        assert {s["Effect"] for s in document["Statement"]} == {"Allow"}, mode
        assert all(s["Sid"] for s in document["Statement"]), mode


def test_audit_only_policy_is_exactly_what_audits_use(simulator: Simulator, cli: CliRun) -> None:
    # given the audit flows: organization-wide, by OU, by account, and the status view
    workloads = _ou_of(simulator, "Workloads")
    # when
    codes = [
        cli("audit", "--all", "--format", "json")[0],
        cli("audit", "--organizational-units", workloads, "--format", "json")[0],
        cli("audit", "--accounts", MEMBER, "--format", "json")[0],
        cli("status", "--audit", "--format", "json")[0],
    ]
    # then
    assert codes == [1, 1, 0, 1]
    _assert_exact("audit-only", *_used(simulator))


def test_delete_policy_is_exactly_what_deletion_uses(simulator: Simulator, cli: CliRun) -> None:
    # given the deletion flows: a dry run by OU, a deletion by account, then organization-wide
    workloads = _ou_of(simulator, "Workloads")
    # when
    codes = [
        cli("delete-credentials", "--organizational-units", workloads, "--dry-run")[0],
        cli("delete-credentials", "--accounts", MEMBER, "--yes")[0],
        cli("delete-credentials", "--all", "--yes")[0],
    ]
    # then deletion assumes the delete task and, to verify, the audit task
    assert codes == [1, 0, 1]
    _assert_exact("delete", *_used(simulator))


def test_unlock_policy_is_exactly_what_privileged_tasks_use(
    simulator: Simulator, cli: CliRun
) -> None:
    # given a bucket and a queue of 222222222222 whose policies deny everyone
    deny = json.dumps(
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}
    )  # fmt: skip
    member = simulator.session(MEMBER)
    member.client("s3").create_bucket(Bucket="locked-bucket")
    member.client("s3").put_bucket_policy(Bucket="locked-bucket", Policy=deny)
    queue = member.client("sqs").create_queue(QueueName="q", Attributes={"Policy": deny})
    url = queue["QueueUrl"]
    simulator.call_log.clear()
    # when password recovery and both unlocks run
    runs = [
        cli("allow-password-recovery", "--accounts", "444444444444"),
        cli("unlock-s3-bucket-policy", "--yes", "--account", MEMBER, "--bucket", "locked-bucket"),
        cli("unlock-sqs-queue-policy", "--yes", "--account", MEMBER, "--queue-url", url),
    ]
    # then
    assert [run[0] for run in runs] == [0, 0, 0]
    _assert_exact("unlock", *_used(simulator))


ENABLE_STACK = """
provider "aws" {
  region = "us-east-1"
}

module "enable" {
  source                             = "../modules/organization-root-access"
  enable_trusted_access              = true
  delegated_administrator_account_id = "333333333333"
  python_executable                  = "%s"
  region                             = "us-east-1"
}
"""


@pytest.mark.server
@pytest.mark.terraform
def test_enable_policy_is_exactly_what_enabling_uses(
    terraform_copy: Path,
    terraform_engine: Engine,
    terraform_base_env: dict[str, str],
    root_access_script: str,
    tmp_path: Path,
) -> None:
    # given an organization before centralized root access, served to subprocesses
    data = Scenario.default().to_dict()
    data["organizations"][0].update(
        {"trusted_access": [], "features": [], "delegated_administrator": None}
    )
    scenario = Scenario.from_dict(data, source="default.yaml, root access off")
    stack = terraform_copy / "stack"
    (stack / "main.tf").write_text(ENABLE_STACK % sys.executable)
    with SimulatorServer(scenario) as server:
        env = {**terraform_base_env, **server.env}
        # when the CLI plans it and shows the status, then the Terraform module enables
        # it and plans again (nothing left to do)
        cli = [
            subprocess.run([root_access_script, *argv], env=env, capture_output=True,
                           timeout=300, check=False).returncode
            for argv in (
                ["enable", "--trusted-access", "--delegated-administrator", "333333333333",
                 "--dry-run"],
                ["status", "--format", "json"],
            )
        ]  # fmt: skip
        tf = tftest.TerraformTest(str(stack), binary=terraform_engine.path, env=env)
        tf.execute_command("init", "-input=false", "-no-color")
        tf.apply()
        tf.execute_command("plan", "-input=false", "-no-color", "-detailed-exitcode")
        calls = server.calls()
        sessions = server.sessions()
    # then every call was allowed, every action was used, and root was never assumed
    caller = {f"{c.service}:{c.action}" for c in calls if c.account_id == "111111111111"}
    assert cli == [0, 0]
    assert sessions == []
    _assert_exact("enable", caller - NO_PERMISSION_NEEDED, [])
    assert _task_arns("enable") == []


def test_a_pipeline_limited_to_audit_cannot_delete(simulator: Simulator, cli: CliRun) -> None:
    # given the pipeline may pass only the task policies the audit-only document names
    tasks = [arn.rsplit("/", 1)[1] for arn in _task_arns("audit-only")]
    simulator.world.allow_root_tasks(simulator.management_account_id, tasks)
    # when it audits, then tries to delete
    audit = cli("audit", "--accounts", MEMBER, "--format", "json")
    delete = cli("delete-credentials", "--accounts", MEMBER, "--yes", "--format", "json")
    # then the audit works and the deletion is that account's access_denied, exit 1
    assert tasks == ["IAMAuditRootUserCredentials"]
    assert (audit[0], outcomes(audit[1])) == (0, {MEMBER: "root_credentials_present"})
    assert (delete[0], outcomes(delete[1])) == (1, {MEMBER: "access_denied"})
    assert simulator.root_user(MEMBER).has_credentials
