"""``make demo``: the Terraform example applied to a simulated organization, offline.

``python examples/demo/demo.py`` starts the simulator server with the packaged
``demo`` scenario (50 accounts in nested OUs, trusted access and both features off, root
credentials of every kind, one SUSPENDED account, and on OU ``Sandbox`` the classic
legacy SCP ``deny-root-user`` that denies the root user everything without exempting
AssumeRoot sessions), copies the repository's Terraform parts to a working directory,
and then plays a pipeline's story:

1. the SCP lint (:func:`root_access.scp_lint.lint_scps`, Organizations reads only, no
   AssumeRoot) names the accounts an SCP blocks in root sessions, with the policy, the
   statement and the condition to add;
2. ``terraform init`` and a first ``terraform apply`` of ``examples/management-account``
   with the offline engine and stand-in providers (``terraform_offline``): it turns the
   features on and deletes root credentials, and stops with an error on the blocked
   accounts (the removal resource exits 1 and is tainted), as a real pipeline would;
3. the operator exempts AssumeRoot sessions in that SCP (Organizations ``UpdatePolicy``
   adding ``"Null": {"aws:AssumedRoot": "true"}`` to the statement) and the lint runs again;
4. a second ``terraform apply`` replaces the tainted removal, which resumes its evidence
   journal (same request) and touches only the accounts not done: ``Apply complete!``;
5. the engine's live audit (``root-access audit --all``) and a closing summary: what
   changed, who still holds root credentials and why, the AWS calls the simulator answered.

Terraform's and the audit's output go to stdout; the demo's own lines (``demo: ...``) go
to stderr. Terraform's error diagnostic for a failed ``local-exec`` repeats the last
8 KiB of the command's output, already streamed above it: the demo keeps the diagnostic
and replaces that repeat with one line (and the engine's ERROR lines).
Exit code: 0 when the demo ends as designed (the first apply fails exactly when the lint
found blocked accounts, the last apply succeeds, and no ACTIVE member account still holds
root credentials); 1 otherwise; 2 when the demo cannot run from here (not a source
checkout, or the dev extras with ``terraform_offline`` are not installed).
It lives beside the examples, not in the package: it drives Terraform, the simulator and
the engine together, which none of them does by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from root_access.scp_lint import EXEMPTION, VERB_TASKS, ScpStatus, lint_scps
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
_VERB = "delete-credentials"
_KINDS = (
    ("password", "passwords"),
    ("access_key", "access keys"),
    ("signing_certificate", "signing certificates"),
    ("mfa_device", "MFA devices"),
)
_STAND_IN = (
    '"hashicorp/aws v6.99.0 (unauthenticated)" above is this project\'s offline stand-in for '
    "the AWS provider (terraform_offline, see docs/offline-terraform.md), installed from a "
    'local filesystem mirror instead of the registry: unsigned, hence "unauthenticated" '
    "and the lock-file warning"
)
# Terraform's local-exec error repeats the last 8 KiB of the command's output after
# "Output:" (internal/builtin/provisioners/local-exec/resource_provisioner.go,
# maxBufSize), output it already streamed line by line as "(local-exec): ..." lines.
_LOCAL_EXEC_ERROR = "Error: local-exec provisioner error"
_REPEATED_OUTPUT = re.compile(r"\sOutput:\s.*?(?=\n*\Z|\n\n(?:Error|Warning): )", re.DOTALL)


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


def _session(server: SimulatorServer) -> Any:
    import boto3

    return boto3.Session(
        aws_access_key_id=server.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=server.env["AWS_SECRET_ACCESS_KEY"],
        region_name=server.env["AWS_REGION"],
    )


def _assume_root_calls(server: SimulatorServer) -> int:
    return sum(
        n for (s, a, _), n in server.call_counts().items() if (s, a) == ("sts", "AssumeRoot")
    )


@dataclass
class _Blocking:
    """One SCP statement that blocks root sessions, and the accounts it blocks."""

    policy_id: str
    policy_name: str
    target_id: str
    statement: str
    fix: str
    tasks: set[str] = field(default_factory=set)
    accounts: list[str] = field(default_factory=list)


def _lint(server: SimulatorServer) -> tuple[list[_Blocking], list[str]]:
    """Run the engine's SCP lint for ``delete-credentials`` over every account; print what
    it found; return the blocking statements and the accounts it could not read."""
    session = _session(server)
    organizations = session.client("organizations", endpoint_url=server.endpoint_url)
    organization = organizations.describe_organization()["Organization"]
    names = {
        a["Id"]: a["Name"]
        for page in organizations.get_paginator("list_accounts").paginate()
        for a in page["Accounts"]
    }
    os.environ.update(server.env)  # the lint builds its client from the session and env
    results = list(
        lint_scps(
            session,
            account_ids=sorted(names),
            tasks=VERB_TASKS[_VERB],
            partition="aws",
            region=server.env["AWS_REGION"],
            management_account_id=organization["MasterAccountId"],
            organization_id=organization["Id"],
        )
    )
    status = Counter(r.status for r in results)
    members = len(results) - status[ScpStatus.NOT_SUBJECT]
    _say(
        f"  {members} member accounts: {status[ScpStatus.BLOCKED]} blocked in root sessions, "
        f"{status[ScpStatus.CLEAR]} clear, {status[ScpStatus.UNKNOWN]} unknown "
        "(the management account is never subject to SCPs)"
    )
    blocking: dict[tuple[str, str, str], _Blocking] = {}
    for result in results:
        for block in result.blocks:
            key = (block.policy_id, block.target_id, block.statement)
            entry = blocking.setdefault(
                key,
                _Blocking(
                    block.policy_id, block.policy_name, block.target_id, block.statement, block.fix
                ),
            )
            entry.tasks.add(block.task)
            if result.account_id not in entry.accounts:
                entry.accounts.append(result.account_id)
    for entry in blocking.values():
        where = _target_name(organizations, entry.target_id)
        _say(
            f"  blocked by SCP {entry.policy_name} ({entry.policy_id}) on {where}, statement "
            f"{entry.statement}, for {', '.join(sorted(entry.tasks))}: "
            + ", ".join(f"{a} {names[a]}" for a in entry.accounts)
        )
        _say(f"  fix: {entry.fix}")
    unknown = [r.account_id for r in results if r.status is ScpStatus.UNKNOWN]
    for result in results:
        if result.status is ScpStatus.UNKNOWN:
            _say(f"  unknown: {result.account_id} ({result.detail})")
    return list(blocking.values()), unknown


def _target_name(organizations: Any, target_id: str) -> str:
    if target_id.startswith("ou-"):
        unit = organizations.describe_organizational_unit(OrganizationalUnitId=target_id)
        return f"OU {unit['OrganizationalUnit']['Name']} ({target_id})"
    if target_id.startswith("r-"):
        return f"the organization root ({target_id})"
    return f"account {target_id}"


def _exempt_root_sessions(server: SimulatorServer, blocking: Sequence[_Blocking]) -> None:
    """What an operator does: add the exemption to each blocking statement
    (Organizations ``DescribePolicy``, then ``UpdatePolicy`` with the new content)."""
    organizations = _session(server).client("organizations", endpoint_url=server.endpoint_url)
    for policy_id in dict.fromkeys(entry.policy_id for entry in blocking):
        statements = {e.statement for e in blocking if e.policy_id == policy_id}
        policy = organizations.describe_policy(PolicyId=policy_id)["Policy"]
        document = json.loads(policy["Content"])
        listed = document["Statement"]
        for index, statement in enumerate(listed if isinstance(listed, list) else [listed]):
            if str(statement.get("Sid") or f"#{index}") in statements:
                statement.setdefault("Condition", {}).setdefault("Null", {})["aws:AssumedRoot"] = (
                    "true"
                )
        organizations.update_policy(PolicyId=policy_id, Content=json.dumps(document))
        _say(
            f"  organizations UpdatePolicy {policy['PolicySummary']['Name']} ({policy_id}): "
            f"statement {', '.join(sorted(statements))} now has {EXEMPTION} in its Condition"
        )


def _terraform(arguments: list[str], environment: dict[str, str]) -> tuple[int, list[str]]:
    """Run Terraform; stream its stdout (and return its lines); print its stderr after it
    ends, with a failed local-exec's repeated output replaced by one line."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        process = subprocess.Popen(
            arguments, env=environment, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        assert process.stdout is not None
        lines: list[str] = []
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line.rstrip("\n"))
        code = process.wait()
        errors.seek(0)
        text = errors.read()
    if text:
        sys.stderr.write(_without_repeated_output(text, lines))
        sys.stderr.flush()
    return code, lines


def _without_repeated_output(text: str, stdout_lines: Sequence[str]) -> str:
    """Terraform's stderr with each local-exec error's ``Output: ...`` (a repeat of the
    streamed ``(local-exec)`` lines) replaced by a pointer to them and the engine's
    ERROR lines among them; every diagnostic itself is kept."""
    if _LOCAL_EXEC_ERROR not in text:
        return text
    errors = [
        line.split("(local-exec): ", 1)[1]
        for line in stdout_lines
        if "(local-exec): root-access ERROR" in line
    ]
    replacement = (
        " Output: printed once above, in the lines marked (local-exec); "
        "not repeated here. Its errors:\n" + "\n".join(errors)
        if errors
        else " Output: printed once above, in the lines marked (local-exec); not repeated here."
    )
    parts = text.split(_LOCAL_EXEC_ERROR)
    return _LOCAL_EXEC_ERROR.join(
        [parts[0]] + [_REPEATED_OUTPUT.sub(lambda _: replacement, p, count=1) for p in parts[1:]]
    )


@dataclass
class _Journal:
    """What the removal's evidence journal says (``record``: run, account, change)."""

    runs: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    changes: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path) -> _Journal:
        if not path.is_file():
            return cls([], [], [])
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return cls(
            [r for r in records if r.get("record") == "run" and r.get("event") == "start"],
            [r for r in records if r.get("record") == "account"],
            [r for r in records if r.get("record") == "change"],
        )


def _closing_summary(
    server: SimulatorServer,
    scenario: Scenario,
    journal: _Journal,
    blocking: Sequence[_Blocking],
    assume_root: dict[str, int],
) -> list[str]:
    """Print the closing summary; return the ACTIVE member accounts that still hold root
    credentials (none when the demo ends as designed)."""
    session = _session(server)
    organizations = session.client("organizations", endpoint_url=server.endpoint_url)
    features = session.client("iam", endpoint_url=server.endpoint_url).list_organizations_features()
    trusted = organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    administrators = organizations.list_delegated_administrators(
        ServicePrincipal="iam.amazonaws.com"
    )["DelegatedAdministrators"]
    _say("summary")
    start = scenario.organizations[0]
    now_on = [
        *(f"trusted access for {p['ServicePrincipal']}" for p in trusted),
        *sorted(features["EnabledFeatures"]),
    ]
    before_on = [
        *(f"trusted access for {p}" for p in start.trusted_access),
        *sorted(start.features),
    ]
    _say(
        f"  on now: {', '.join(now_on) or 'nothing'} (before: {', '.join(before_on) or 'none'}); "
        "IAM delegated administrator: "
        + (", ".join(a["Id"] for a in administrators) or "none")
        + f" (before: {start.delegated_administrator or 'none'})"
    )
    for entry in blocking:
        _say(
            f"  SCP {entry.policy_name} ({entry.policy_id}) now exempts AssumeRoot sessions "
            f"in statement {entry.statement} ({len(entry.accounts)} accounts unblocked)"
        )
    counts = Counter((c["credential_kind"], c["outcome"]) for c in journal.changes)
    changed = sorted({c["account_id"] for c in journal.changes})
    removed = ", ".join(
        f"{counts[(kind, 'deleted')]} {label}"
        for kind, label in _KINDS
        if counts[(kind, "deleted")]
    )
    left_in_place = counts[("mfa_device", "deactivated")]
    _say(
        f"  root credentials removed in {len(changed)} member accounts: {removed or 'none'} "
        f"deleted; {left_in_place} virtual MFA devices deactivated and left in place "
        "(the task policy denies DeleteVirtualMFADevice)"
    )
    organization = scenario.organizations[0]
    before = 0
    left: list[str] = []
    unexpected: list[str] = []
    for account in organization.root.walk():
        if not account.root_credentials.any:
            continue
        before += 1
        user: dict[str, Any] = server.root_user(account.id)
        held = [
            name
            for name, present in (
                ("password", user["password"]),
                ("access keys", user["access_keys"]),
                ("signing certificates", user["signing_certificates"]),
                ("MFA devices", any(d["active"] for d in user["mfa_devices"])),
            )
            if present
        ]
        if not held:
            continue
        if account.state == "ACTIVE":
            unexpected.append(account.id)
            why = "ACTIVE, not deleted: unexpected"
        else:
            why = (
                f"{account.state}: AssumeRoot reaches only ACTIVE accounts, so it was never "
                "audited and the engine reports its root credentials as unknown"
            )
        left.append(f"{account.id} {account.name} ({why}; the simulator knows: {', '.join(held)})")
    _say(f"  member accounts holding root credentials: {before} before, {len(left)} after")
    for line in left:
        _say(f"    still holds root credentials: {line}")
    total = sum(server.call_counts().values())
    phases = ", ".join(f"{phase} {n}" for phase, n in assume_root.items())
    _say(
        f"  AWS calls the simulator answered: {total}, of them sts:AssumeRoot "
        f"{_assume_root_calls(server)} ({phases}; none for the lint)"
    )
    return unexpected


def _story(scenario: Scenario) -> str:
    """One line: the organization the demo starts from."""
    organization = scenario.organizations[0]
    members = [a for a in organization.root.walk() if a.id != organization.management_account.id]
    holding = sum(1 for a in members if a.root_credentials.any)
    inactive = Counter(a.state for a in members if a.state != "ACTIVE")
    switched = ", ".join(
        name
        for name, on in (
            ("trusted access for IAM", organization.trusted_access),
            ("the root-access features", organization.features),
            ("the IAM delegated administrator", organization.delegated_administrator),
        )
        if not on
    )
    states = ", ".join(f"{n} {state}" for state, n in sorted(inactive.items()))
    return (
        f"{len(members)} member accounts, {holding} of them with root credentials"
        + (f", {states}" if states else "")
        + (f"; off: {switched}" if switched else "")
    )


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
    saved = dict(os.environ)
    try:
        accounts = sum(1 for _ in scenario.accounts())
        _say(f"starting the simulator: {scenario.source}, {accounts} accounts")
        _say(f"  {_story(scenario)}")
        with SimulatorServer(scenario) as server:
            _say(f"simulator serving {server.endpoint_url}; copying Terraform to {workdir}")
            _copy_terraform(workdir)
            environment = _client_environment(workdir, server)
            environment.update(prepare(workdir / ".offline-mirror"))
            terraform = terraform_binary()
            example = workdir / "examples" / arguments.example
            chdir = f"-chdir={example}"
            apply = [
                terraform,
                chdir,
                "apply",
                "-input=false",
                "-no-color",
                "-auto-approve",
                "-var",
                f"python_executable={sys.executable}",
            ]

            _say(
                f"SCP lint before any AssumeRoot (root_access.scp_lint for {_VERB}; "
                "Organizations reads only)"
            )
            blocking, unknown = _lint(server)
            if unknown:
                _say("the lint could not read the SCPs of some accounts; the demo stops here")
                return 1

            _say(f"terraform init (examples/{arguments.example})")
            init, _ = _terraform(
                [terraform, chdir, "init", "-input=false", "-no-color"], environment
            )
            if init != 0:
                _say(f"terraform init failed with exit code {init}")
                return 1
            _say(_STAND_IN)

            blocked = sum(len(e.accounts) for e in blocking)
            if blocking:
                _say(
                    f"terraform apply #1 (examples/{arguments.example}), as a pipeline that "
                    f"skips the lint: it is meant to stop with an Error on the {blocked} "
                    "accounts the lint named"
                )
            else:
                _say(f"terraform apply (examples/{arguments.example})")
            calls = _assume_root_calls(server)
            first, _ = _terraform(apply, environment)
            assume_root = {"apply #1": _assume_root_calls(server) - calls}
            journal = _Journal.read(example / _EVIDENCE)
            as_designed = (first != 0) == bool(blocking)
            last = first
            if blocking and first != 0:
                done = {r["account_id"] for r in journal.accounts}
                _say(
                    f"the Error above is intended: the removal exited {first} because the SCP "
                    f"blocked {blocked} accounts; Terraform marked it tainted and the pipeline "
                    f"stops here. The other {len(done) - blocked} accounts it reached are done "
                    "and recorded in its evidence journal"
                )
                _say("the operator exempts AssumeRoot sessions in the SCP, as the lint said")
                _exempt_root_sessions(server, blocking)
                _say("SCP lint again")
                still, unknown = _lint(server)
                as_designed = as_designed and not still and not unknown
                _say(
                    "terraform apply #2: replaces the tainted removal, whose journal resumes "
                    "the same request"
                )
                calls = _assume_root_calls(server)
                last, lines = _terraform(apply, environment)
                assume_root["apply #2"] = _assume_root_calls(server) - calls
                journal = _Journal.read(example / _EVIDENCE)
                run = journal.runs[-1] if journal.runs else {}
                output = "\n".join(lines)
                if last == 0 and "Apply complete!" in output:
                    _say(
                        "Apply complete!: the removal resumed its journal (same request), "
                        f"skipped the {run.get('skipped', 0)} accounts done in apply #1 and "
                        f"worked on the {len(journal.accounts) - len(done)} left"
                    )
                if "Warning: Check block assertion failed" in output:
                    _say(
                        "the check Warning above is expected: it names the accounts no "
                        "AssumeRoot reaches (not ACTIVE), whose root credentials are unknown"
                    )
            elif first != 0:
                _say(f"terraform apply failed with exit code {first}")

            _say("root-access audit --all (the engine's live audit after the apply)")
            calls = _assume_root_calls(server)
            subprocess.run(
                [sys.executable, "-m", "root_access.cli", "audit", "--all", "--format", "table"],
                env=environment,
                check=False,
            )
            assume_root["audit"] = _assume_root_calls(server) - calls
            unexpected = _closing_summary(server, scenario, journal, blocking, assume_root)
        if last == 0 and as_designed and not unexpected:
            _say("the demo ended as designed (exit 0)")
            return 0
        _say("the demo did not end as designed (exit 1)")
        return 1
    finally:
        os.environ.clear()
        os.environ.update(saved)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
