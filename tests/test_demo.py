"""``make demo`` (``python examples/demo/demo.py``): real offline Terraform against the
simulator server's demo organization: the SCP lint first, a first apply that the legacy
SCP on OU Sandbox stops, the operator's exemption, and a second apply that resumes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.terraform, pytest.mark.server]

SANDBOX = {
    "100000000027": "sandbox-1",
    "100000000028": "sandbox-2",
    "100000000029": "sandbox-3",
    "100000000030": "sandbox-4",
    "100000000031": "sandbox-5",
    "100000000032": "sandbox-lab",
}
FAILED = (
    "root-access ERROR 6 account(s) failed: " + " ".join(SANDBOX) + "; the next terraform apply "
    "retries them"
)


@pytest.fixture(scope="module")
def demo() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(Path(__file__).parents[1] / "examples" / "demo" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def demo_lines(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("demo: ")]


def audit_outcomes(stdout: str) -> dict[str, str]:
    """Account id -> outcome, from the rows of ``root-access audit --format table``."""
    outcomes: dict[str, str] = {}
    for line in stdout.splitlines():
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) > 5 and re.fullmatch(r"\d{12}", cells[1]):
            outcomes[cells[1]] = cells[4]
    return outcomes


def test_demo_ends_as_designed(demo: subprocess.CompletedProcess[str]) -> None:
    # then
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert demo_lines(demo)[-1] == "demo: the demo ended as designed (exit 0)"
    assert demo_lines(demo)[1] == (
        "demo:   49 member accounts, 23 of them with root credentials, 1 SUSPENDED; off: "
        "trusted access for IAM, the root-access features, the IAM delegated administrator"
    )


def test_lint_names_the_blocked_accounts_policy_statement_and_fix_before_the_first_apply(
    demo: subprocess.CompletedProcess[str],
) -> None:
    # when
    lines = demo_lines(demo)
    blocked = next(line for line in lines if line.startswith("demo:   blocked by SCP"))
    found = re.fullmatch(
        r"demo:   blocked by SCP deny-root-user \((p-[0-9a-z]{8})\) on OU Sandbox "
        r"\((ou-[0-9a-z]{4}-[0-9a-z]{8})\), statement DenyRootUser, for "
        r"IAMAuditRootUserCredentials, IAMDeleteRootUserCredentials: (.*)",
        blocked,
    )

    # then
    assert found is not None, blocked
    policy, unit, accounts = found.groups()
    assert accounts == ", ".join(f"{a} {name}" for a, name in SANDBOX.items())
    lint = lines.index(blocked)
    assert lines[lint - 1] == (
        "demo:   49 member accounts: 6 blocked in root sessions, 43 clear, 0 unknown "
        "(the management account is never subject to SCPs)"
    )
    assert lines[lint + 1] == (
        'demo:   fix: add "Null": {"aws:AssumedRoot": "true"} to the Condition of statement '
        f"DenyRootUser in SCP deny-root-user ({policy}) attached to {unit}"
    )
    first_apply = next(i for i, line in enumerate(lines) if "terraform apply #1" in line)
    assert lint < first_apply
    assert (
        f"demo:   organizations UpdatePolicy deny-root-user ({policy}): statement DenyRootUser "
        'now has "Null": {"aws:AssumedRoot": "true"} in its Condition'
    ) in lines
    assert (
        lines.count(
            "demo:   49 member accounts: 0 blocked in root sessions, 49 clear, 0 unknown "
            "(the management account is never subject to SCPs)"
        )
        == 1
    )


def test_first_apply_stops_with_one_explained_error_and_engine_lines_printed_once(
    demo: subprocess.CompletedProcess[str],
) -> None:
    # when
    both = demo.stdout + demo.stderr
    lines = demo_lines(demo)

    # then
    assert demo.stderr.count("Error: local-exec provisioner error") == 1
    assert demo.stderr.count("Error:") == 1
    assert both.count("root-access INFO 100000000032 blocked_by_scp ") == 1
    assert both.count("root-access INFO 222222222222 deleted") == 1
    assert demo.stdout.count(FAILED) == 1
    assert demo.stderr.count(FAILED) == 1  # kept in the diagnostic: errors are never hidden
    assert (
        "Output: printed once above, in the lines marked (local-exec); not repeated here. "
        f"Its errors:\n{FAILED}\n"
    ) in demo.stderr
    error = demo.stderr.index("Error: local-exec provisioner error")
    explained = demo.stderr.index("demo: the Error above is intended:")
    assert error < explained
    assert (
        "demo: the Error above is intended: the removal exited 1 because the SCP blocked 6 "
        "accounts; Terraform marked it tainted and the pipeline stops here. The other 42 "
        "accounts it reached are done and recorded in its evidence journal"
    ) in lines
    assert any("(unauthenticated)" in line and "offline stand-in" in line for line in lines)


def test_second_apply_resumes_the_removal_and_completes(
    demo: subprocess.CompletedProcess[str],
) -> None:
    # then
    assert demo.stdout.count("Apply complete! Resources: 1 added, 0 changed, 1 destroyed.") == 1
    assert demo.stdout.count("Apply complete!") == 1
    assert (
        "root-access WARNING resuming the failed run of this request: skipping 42 account(s) "
        "evidence/root-credentials.jsonl records as done"
    ) in demo.stdout
    assert (
        "demo: Apply complete!: the removal resumed its journal (same request), skipped the 42 "
        "accounts done in apply #1 and worked on the 6 left"
    ) in demo_lines(demo)
    assert "accounts_with_root_credentials = []\n" in demo.stdout
    assert (
        "audit_summary = {\n"
        '  "no_root_credentials" = 48\n'
        '  "skipped_inactive_account" = 1\n'
        '  "skipped_management_account" = 1\n'
        '  "total" = 50\n'
        "}\n"
    ) in demo.stdout


def test_final_outcomes_per_account(demo: subprocess.CompletedProcess[str]) -> None:
    # when
    outcomes = audit_outcomes(demo.stdout)

    # then
    members = {f"1000000000{n:02d}" for n in range(1, 48)} - {"100000000033"}
    assert outcomes == {
        **{
            account: "no_root_credentials" for account in members | {"222222222222", "333333333333"}
        },
        "100000000033": "skipped_inactive_account",
        "111111111111": "skipped_management_account",
    }


def test_closing_summary(demo: subprocess.CompletedProcess[str]) -> None:
    # when
    lines = demo_lines(demo)
    summary = lines[lines.index("demo: summary") + 1 :]

    # then
    assert summary[:-2] == [
        "demo:   on now: trusted access for iam.amazonaws.com, RootCredentialsManagement, "
        "RootSessions (before: none); IAM delegated administrator: 333333333333 (before: none)",
        summary[1],
        "demo:   root credentials removed in 22 member accounts: 18 passwords, 10 access keys, "
        "4 signing certificates, 19 MFA devices deleted; 6 virtual MFA devices deactivated and "
        "left in place (the task policy denies DeleteVirtualMFADevice)",
        "demo:   member accounts holding root credentials: 23 before, 1 after",
        "demo:     still holds root credentials: 100000000033 retired-1 (SUSPENDED: AssumeRoot "
        "reaches only ACTIVE accounts, so it was never audited and the engine reports its root "
        "credentials as unknown; the simulator knows: password)",
    ]
    assert re.fullmatch(
        r"demo:   SCP deny-root-user \(p-[0-9a-z]{8}\) now exempts AssumeRoot sessions in "
        r"statement DenyRootUser \(6 accounts unblocked\)",
        summary[1],
    )
    calls = re.fullmatch(
        r"demo:   AWS calls the simulator answered: (\d+), of them sts:AssumeRoot (\d+) "
        r"\(apply #1 (\d+), apply #2 (\d+), audit (\d+); none for the lint\)",
        summary[-2],
    )
    assert calls is not None, summary[-2]
    _, assume_root, first, second, audit = map(int, calls.groups())
    assert audit == 48  # one audit session per ACTIVE member account
    # apply #2: the 6 resumed accounts (a delete and a verifying audit session each, one
    # session for the account already clean) and the audit data source's 48 sessions
    assert (first, second) == (65, 59)
    assert assume_root == first + second + audit
