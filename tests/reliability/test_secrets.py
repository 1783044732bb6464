"""Leak nothing (issue 7, part 4; field case EXT-STATE-SECRETS).

Every flow runs against the simulator server; afterwards the server is asked for every
secret access key and session token ``AssumeRoot`` issued (``server.issued_secrets()``)
and every byte the flows wrote is scanned for them, and for the pipeline's own secret
key: CLI stdout and stderr in every format at ``-vvv``, ``--output`` files and evidence
journals; Terraform plan and apply output at ``TF_LOG=TRACE``, the trace log, the state,
the plan JSON, the evidence files and every other file in the working directory. The
module scripts run through an interpreter wrapper that copies its own
``/proc/self/cmdline`` and ``/proc/self/environ``: session secrets never reach a child
process's argv or environment, and the pipeline secret never reaches argv.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import boto3
import pytest
import tftest
from terraform_offline.engine import Engine

from root_access.simulator import SimulatorServer

pytestmark = pytest.mark.server

DENY_ALL = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
)
MEMBER = "222222222222"


def _locked_bucket_and_queue(server: SimulatorServer) -> str:
    """A bucket ``locked-bucket`` and a queue in 222222222222 denying everyone; the
    queue URL."""
    env = server.env_for(MEMBER)
    session = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    s3 = session.client("s3", endpoint_url=server.endpoint_url)
    s3.create_bucket(Bucket="locked-bucket")
    s3.put_bucket_policy(Bucket="locked-bucket", Policy=DENY_ALL)
    sqs = session.client("sqs", endpoint_url=server.endpoint_url)
    return str(
        sqs.create_queue(QueueName="locked-queue", Attributes={"Policy": DENY_ALL})["QueueUrl"]
    )


def _files(directory: Path) -> Iterable[Path]:
    return (p for p in directory.rglob("*") if p.is_file() and not p.is_symlink())


def _leaks(blobs: Iterable[tuple[str, bytes]], secrets: Iterable[str]) -> list[str]:
    """``"<where>: secret #<n>"`` for every secret found in any blob (never the secret)."""
    needles = [(n, s.encode()) for n, s in enumerate(secrets)]
    return [f"{where}: secret #{n}" for where, blob in blobs for n, s in needles if s in blob]


def test_cli_every_flow_writes_no_secret_anywhere(
    simulator_server: SimulatorServer,
    server_env: dict[str, str],
    root_access_script: str,
    tmp_path: Path,
) -> None:
    # given the simulator server, a locked bucket and queue, and a clean working directory
    queue_url = _locked_bucket_and_queue(simulator_server)
    work = tmp_path / "work"
    work.mkdir()
    flows = [
        *(["-vvv", "audit", "--all", "--format", f] for f in ("table", "json", "csv", "markdown")),
        ["-vvv", "status", "--audit", "--output", "status.json"],
        ["-vvv", "audit", "--all", "--output", "audit.csv"],
        ["-vvv", "delete-credentials", "--all", "--dry-run", "--journal", "plan.jsonl"],
        ["-vvv", "delete-credentials", "--all", "--yes", "--journal", "evidence.jsonl",
         "--output", "deleted.md"],
        ["-vvv", "allow-password-recovery", "--accounts", "444444444444",
         "--journal", "recovery.jsonl"],
        ["-vvv", "unlock-s3-bucket-policy", "--account", MEMBER, "--bucket", "locked-bucket",
         "--yes", "--journal", "s3.jsonl"],
        ["-vvv", "unlock-sqs-queue-policy", "--account", MEMBER, "--queue-url", queue_url,
         "--yes", "--journal", "sqs.jsonl"],
    ]  # fmt: skip
    blobs: list[tuple[str, bytes]] = []
    codes = []
    # when every flow runs in every format, at the highest verbosity
    for argv in flows:
        run = subprocess.run(
            [root_access_script, *argv], env=server_env, cwd=work, capture_output=True,
            timeout=300, check=False,
        )  # fmt: skip
        codes.append(run.returncode)
        blobs += [(f"{argv} stdout", run.stdout), (f"{argv} stderr", run.stderr)]
    blobs += [(str(p.relative_to(work)), p.read_bytes()) for p in _files(work)]
    issued = simulator_server.issued_secrets()
    pipeline_secret = simulator_server.env["AWS_SECRET_ACCESS_KEY"]
    # then the flows did their work (blocked_by_scp makes the sweeps exit 1), botocore's
    # debug log was on, many secrets were issued, and not one of them was written anywhere
    assert codes == [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]
    assert sorted(p.name for p in _files(work)) == [
        "audit.csv", "deleted.md", "evidence.jsonl", "plan.jsonl", "recovery.jsonl",
        "s3.jsonl", "sqs.jsonl", "status.json",
    ]  # fmt: skip
    assert {name: stat.S_IMODE((work / name).stat().st_mode) for name in
            ("status.json", "audit.csv", "deleted.md")} == dict.fromkeys(
        ("status.json", "audit.csv", "deleted.md"), 0o600)  # fmt: skip
    assert any(b"DEBUG botocore" in blob for _, blob in blobs)
    assert len(issued) >= 2 * 20
    assert _leaks(blobs, [*issued, pipeline_secret]) == []


WRAPPER = """#!/bin/sh
cat /proc/$$/cmdline >> "{log}/argv"; printf '\\n' >> "{log}/argv"
cat /proc/$$/environ >> "{log}/environ"; printf '\\n' >> "{log}/environ"
exec "{python}" "$@"
"""

STACK = """
variable "python" {
  type = string
}

module "audit" {
  source            = "../modules/root-credentials-audit"
  selection         = { all = true }
  python_executable = var.python
  region            = "us-east-1"
}

module "removal" {
  source            = "../modules/root-credentials-removal"
  selection         = { all = true }
  python_executable = var.python
  region            = "us-east-1"
  evidence_path     = "evidence/removal.jsonl"
}

module "tasks" {
  source            = "../modules/privileged-task"
  python_executable = var.python
  region            = "us-east-1"
  evidence_path     = "evidence/tasks.jsonl"
  requests = {
    "CHG-1" = { task = "allow-password-recovery", account_id = "444444444444" }
    "CHG-2" = {
      task = "unlock-s3-bucket-policy", account_id = "222222222222", buckets = ["locked-bucket"]
    }
    "CHG-3" = {
      task = "unlock-sqs-queue-policy", account_id = "222222222222", queue_urls = [var.queue_url]
    }
  }
}

variable "queue_url" {
  type = string
}

output "audit" {
  value = module.audit.summary
}
"""


@pytest.mark.terraform
def test_terraform_flows_write_no_secret_and_scripts_receive_none(
    simulator_server: SimulatorServer,
    terraform_copy: Path,
    terraform_engine: Engine,
    terraform_base_env: dict[str, str],
    tmp_path: Path,
) -> None:
    # given a stack of the audit, removal and privileged-task modules whose interpreter
    # records its own argv and environment, Terraform at TRACE and the scripts at DEBUG
    queue_url = _locked_bucket_and_queue(simulator_server)
    log = tmp_path / "children"
    log.mkdir()
    wrapper = tmp_path / "python-wrapper"
    wrapper.write_text(WRAPPER.format(log=log, python=sys.executable))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    stack = terraform_copy / "stack"
    (stack / "main.tf").write_text(STACK)
    (stack / "terraform.tfvars.json").write_text(
        json.dumps({"python": str(wrapper), "queue_url": queue_url})
    )
    trace = tmp_path / "terraform-trace.log"
    env = {
        **terraform_base_env,
        **simulator_server.env,
        "TF_LOG": "TRACE",
        "TF_LOG_PATH": str(trace),
        "ROOT_ACCESS_LOG_LEVEL": "DEBUG",
    }
    tf = tftest.TerraformTest(str(stack), binary=terraform_engine.path, env=env)
    # when the stack is planned (to a file), applied, and its state and plan read back
    outputs = [tf.execute_command("init", "-input=false", "-no-color").out]
    outputs.append(tf.execute_command("plan", "-input=false", "-no-color", "-out=tfplan").out)
    outputs.append(tf.execute_command("show", "-json", "tfplan").out)
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.apply()
    outputs.append(str(failed.value.args[0]))
    outputs.append(tf.execute_command("state", "pull").out)
    outputs.append(tf.execute_command("show", "-json").out)
    blobs = [(f"terraform output {n}", text.encode()) for n, text in enumerate(outputs)]
    blobs += [(str(p), p.read_bytes()) for p in _files(stack) if ".terraform" not in p.parts]
    blobs.append(("TF_LOG_PATH", trace.read_bytes()))
    children_argv = (log / "argv").read_bytes()
    children_environ = (log / "environ").read_bytes()
    issued = simulator_server.issued_secrets()
    pipeline_secret = simulator_server.env["AWS_SECRET_ACCESS_KEY"]
    # then the removal failed only on the SCP-blocked account and wrote its evidence, the
    # scripts ran as children, and no secret is anywhere; session secrets never reached a
    # child's argv or environment, and the pipeline's secret never reached argv
    assert "1 account(s) failed: 555555555555" in " ".join(outputs[-3].split())
    assert sorted(p.name for p in (stack / "evidence").iterdir()) == [
        "removal.jsonl",
        "tasks.jsonl",
    ]
    assert children_argv.count(b"scripts/audit.py") >= 2
    assert children_argv.count(b"scripts/delete.py") == 1
    assert children_argv.count(b"scripts/task.py") == 3
    assert len(issued) >= 2 * 10
    assert b"AWS_SESSION_TOKEN" not in children_environ
    assert _leaks(blobs, [*issued, pipeline_secret]) == []
    assert _leaks([("argv", children_argv)], [*issued, pipeline_secret]) == []
    assert _leaks([("environ", children_environ)], issued) == []
    # (the scan sees a secret that is there: the pipeline's own key is in the environment)
    assert _leaks([("environ", children_environ)], [pipeline_secret]) == ["environ: secret #0"]
