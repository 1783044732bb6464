"""``make demo``: the Terraform example applied to a simulated organization, offline.

``python examples/demo/demo.py`` starts the simulator server with the packaged
``demo`` scenario (50 accounts in nested OUs, trusted access and both features off, root
credentials of every kind, one SUSPENDED account, one blocked by an SCP), copies the
repository's Terraform parts to a working directory, and runs ``terraform init`` and
``terraform apply`` of ``examples/management-account`` with the offline engine and
stand-in providers (``terraform_offline``). It then reports what changed in the simulated
organization: the features, the delegated administrator, the engine's live audit of every
member account after the apply (``root-access audit --all``), the evidence the removal
wrote, and which member accounts still hold root credentials, and why.

Terraform's output goes to stdout; the demo's own lines go to stderr. Exit code: 0 when
the apply succeeded, or failed only on the accounts the scenario makes fail (an SCP
blocking root sessions: the removal resource exits 1 so the next apply retries them);
1 otherwise; 2 when the demo cannot run from here (not a source checkout, or the dev
extras with ``terraform_offline`` are not installed).
It lives beside the examples, not in the package: it drives Terraform, the simulator and
the engine together, which none of them does by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from root_access.simulator import Scenario, ScenarioError, SimulatorServer

__all__ = ["main"]

_EVIDENCE = "evidence/root-credentials.jsonl"
_REPOSITORY = Path(__file__).resolve().parents[2]
_TERRAFORM_PARTS = ("modules", "examples", "scripts")
_IGNORE = (
    ".terraform",
    ".terraform.lock.hcl",
    "*.tfstate",
    "*.tfstate.*",
    "*.tfplan",
    "__pycache__",
    "terraform.tfvars.json",
)


def _say(message: str) -> None:
    print(f"demo: {message}", file=sys.stderr, flush=True)


def _copy_terraform(destination: Path) -> None:
    ignore = shutil.ignore_patterns(*_IGNORE)
    for path in _REPOSITORY.glob("*.tf"):
        shutil.copy(path, destination / path.name)
    for part in _TERRAFORM_PARTS:
        shutil.copytree(_REPOSITORY / part, destination / part, ignore=ignore)
    shutil.copytree(
        _REPOSITORY / "src" / "root_access", destination / "src" / "root_access", ignore=ignore
    )


def _client_environment(workdir: Path, server: SimulatorServer) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "TF_VAR_", "TF_LOG"))
    }
    environment.update(
        {
            "AWS_CONFIG_FILE": str(workdir / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "CHECKPOINT_DISABLE": "1",
        }
    )
    environment.update(server.env)
    return environment


def _report(server: SimulatorServer, scenario: Scenario) -> list[str]:
    """Print the organization's state after the apply; return the member accounts that
    still hold root credentials for no reason the scenario gives (SCP, not ACTIVE)."""
    import boto3

    session = boto3.Session(
        aws_access_key_id=server.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=server.env["AWS_SECRET_ACCESS_KEY"],
        region_name=server.env["AWS_REGION"],
    )
    features = session.client("iam", endpoint_url=server.endpoint_url).list_organizations_features()
    administrators = session.client(
        "organizations", endpoint_url=server.endpoint_url
    ).list_delegated_administrators(ServicePrincipal="iam.amazonaws.com")
    _say(f"enabled features: {', '.join(sorted(features['EnabledFeatures'])) or 'none'}")
    _say(
        "IAM delegated administrator: "
        + (", ".join(a["Id"] for a in administrators["DelegatedAdministrators"]) or "none")
    )
    organization = scenario.organizations[0]
    before = after = 0
    remaining: list[str] = []
    unexpected: list[str] = []
    for account in organization.root.walk():
        if not account.root_credentials.any:
            continue
        before += 1
        user: dict[str, Any] = server.root_user(account.id)
        still = (
            user["password"]
            or user["access_keys"]
            or user["signing_certificates"]
            or any(device["active"] for device in user["mfa_devices"])
        )
        if still:
            after += 1
            why = account.state if account.state != "ACTIVE" else "blocked by an SCP"
            if account.state == "ACTIVE" and not account.scp_deny:
                why = "not deleted"
                unexpected.append(account.id)
            remaining.append(f"{account.id} ({account.name}: {why})")
    _say(f"member accounts with root credentials: {before} before, {after} after")
    for line in remaining:
        _say(f"  still holds root credentials: {line}")
    counts = server.call_counts()
    total = sum(counts.values())
    assume_root = sum(n for (s, a, _), n in counts.items() if (s, a) == ("sts", "AssumeRoot"))
    _say(f"AWS calls the simulator answered: {total} (sts:AssumeRoot: {assume_root})")
    return unexpected


def _show_evidence(path: Path) -> None:
    """Summarize the evidence journal the removal wrote: the accounts it changed or failed."""
    if not path.is_file():
        _say(f"no evidence journal at {path.name}")
        return
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    changes = [r for r in records if r.get("record") == "change"]
    accounts = [r for r in records if r.get("record") == "account"]
    changed = [r for r in accounts if r.get("outcome") != "already_absent"]
    _say(
        f"evidence ({_EVIDENCE}): {len(changes)} changes; {len(accounts)} accounts handled, "
        f"{len(accounts) - len(changed)} of them already clean"
    )
    for record in sorted(changed, key=lambda r: str(r.get("account_id"))):
        done = [c for c in changes if c.get("account_id") == record.get("account_id")]
        kinds = ", ".join(sorted({f"{c['credential_kind']} {c['outcome']}" for c in done}))
        suffix = f" ({kinds})" if kinds else ""
        _say(f"  {record.get('account_id')}: {record.get('outcome')}{suffix}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo (see the module docstring); returns the exit code."""
    parser = argparse.ArgumentParser(prog="python examples/demo/demo.py")
    parser.add_argument(
        "--scenario", default="demo", help="packaged scenario name or file (default: demo)"
    )
    parser.add_argument("--example", default="management-account", help="directory under examples/")
    parser.add_argument(
        "--workdir", type=Path, help="keep the Terraform working copy here (default: a temp dir)"
    )
    arguments = parser.parse_args(argv)
    if not (_REPOSITORY / "examples" / arguments.example).is_dir():
        _say(f"needs a source checkout with examples/{arguments.example}/ (run it from the repo)")
        return 2
    try:
        from terraform_offline.engine import terraform_binary
        from terraform_offline.mirror import prepare
    except ImportError:
        _say("needs the offline Terraform package: run `make venv` (installs ./offline)")
        return 2
    try:
        scenario = Scenario.named(arguments.scenario)
    except ScenarioError as error:
        _say(str(error))
        return 2

    temporary = None if arguments.workdir else tempfile.mkdtemp(prefix="root-access-demo-")
    workdir = (arguments.workdir or Path(str(temporary))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        accounts = sum(1 for _ in scenario.accounts())
        _say(f"starting the simulator: {scenario.source}, {accounts} accounts")
        with SimulatorServer(scenario) as server:
            _say(f"simulator serving {server.endpoint_url}; copying Terraform to {workdir}")
            _copy_terraform(workdir)
            environment = _client_environment(workdir, server)
            environment.update(prepare(workdir / ".offline-mirror"))
            terraform = terraform_binary()
            example = workdir / "examples" / arguments.example
            _say(f"terraform init (examples/{arguments.example})")
            init = subprocess.run(
                [terraform, f"-chdir={example}", "init", "-input=false", "-no-color"],
                env=environment,
                check=False,
            )
            if init.returncode != 0:
                _say(f"terraform init failed with exit code {init.returncode}")
                return 1
            _say(f"terraform apply (examples/{arguments.example})")
            apply = subprocess.run(
                [
                    terraform,
                    f"-chdir={example}",
                    "apply",
                    "-input=false",
                    "-no-color",
                    "-auto-approve",
                    "-var",
                    f"python_executable={sys.executable}",
                ],
                env=environment,
                check=False,
            )
            _say("root-access audit --all (the engine's live audit after the apply)")
            subprocess.run(
                [sys.executable, "-m", "root_access.cli", "audit", "--all", "--format", "table"],
                env=environment,
                check=False,
            )
            _show_evidence(example / _EVIDENCE)
            unexpected = _report(server, scenario)
        if apply.returncode == 0:
            return 0
        if unexpected:
            _say(f"terraform apply failed with exit code {apply.returncode}")
            return 1
        _say(
            f"terraform apply exited {apply.returncode} as this demo intends: an SCP blocks "
            "the root sessions of one account, so a real pipeline stops here and the next "
            "apply retries it once the SCP exempts AssumeRoot sessions"
        )
        return 0
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
