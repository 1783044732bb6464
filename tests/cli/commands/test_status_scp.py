"""`root-access status` names, before any AssumeRoot, the accounts an SCP would block in
root sessions, in every format; unknown is never shown as clear. `--skip-scp-blocked`
on the sweeps."""

from __future__ import annotations

import csv
import io
import json

import pytest

from root_access.cli import main
from root_access.cli.tree import render_status
from root_access.scp_lint import ScpLintResult, ScpStatus
from root_access.simulator import Simulator
from root_access.status import Status

BLOCKED = "555555555555"
TASKS = (
    "IAMAuditRootUserCredentials, IAMCreateRootUserPassword, IAMDeleteRootUserCredentials, "
    "S3UnlockBucketPolicy, SQSUnlockQueuePolicy"
)
ORDER = [
    "111111111111",
    "333333333333",
    "222222222222",
    "444444444444",
    BLOCKED,
    "666666666666",
    "777777777777",
    "888888888888",
]
"""The default scenario's accounts in tree order (accounts before child OUs)."""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _policy(simulator: Simulator) -> tuple[str, str]:
    org = simulator.session().client("organizations", region_name=simulator.region)
    found = org.list_policies_for_target(TargetId=BLOCKED, Filter="SERVICE_CONTROL_POLICY")
    [policy] = [p for p in found["Policies"] if p["Id"] != "p-FullAWSAccess"]
    return policy["Id"], policy["Name"]


def _fix(policy_id: str, name: str) -> str:
    return (
        'add "Null": {"aws:AssumedRoot": "true"} to the Condition of statement '
        f"DenyInRootSessions in SCP {name} ({policy_id}) attached to {BLOCKED}"
    )


def test_table_names_the_blocked_account_policy_statement_and_fix(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario (555555555555 carries an SCP without the exemption)
    policy_id, name = _policy(cli_env)
    # when
    code, out, _ = _run(capsys, "status", "--format", "table")
    # then
    section = out[out.index("SCP lint (root sessions") :].splitlines()
    assert code == 0
    assert section == [
        "SCP lint (root sessions, read before any AssumeRoot)",
        "  111111111111  not subject  the management account is never subject to SCPs",
        "  333333333333  clear",
        "  222222222222  clear",
        "  444444444444  clear",
        f"  {BLOCKED}  blocked",
        f"      blocks {TASKS}",
        f"      SCP {name} ({policy_id}) on {BLOCKED}, statement DenyInRootSessions",
        f"      fix: {_fix(policy_id, name)}",
        "  666666666666  clear",
        "  777777777777  clear",
        "  888888888888  clear",
    ]
    assert "AssumeRoot" not in {c.action for c in cli_env.calls}


def test_markdown_is_one_table_row_per_statement(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    policy_id, name = _policy(cli_env)
    # when
    code, out, _ = _run(capsys, "status", "--format", "markdown")
    # then
    lines = out.splitlines()
    start = lines.index("### SCP lint (root sessions, read before any AssumeRoot)")
    assert code == 0
    assert lines[start + 2 : start + 4] == [
        "| Account | Verdict | Blocked tasks | Policy and statement | Fix |",
        "|---|---|---|---|---|",
    ]
    assert lines[start + 8] == (
        f"| {BLOCKED} | blocked | {TASKS} | SCP {name} ({policy_id}) on {BLOCKED}, "
        f"statement DenyInRootSessions | {_fix(policy_id, name)} |"
    )
    assert lines[start + 4] == (
        "| 111111111111 | not subject |  |  | the management account is never subject to SCPs |"
    )
    assert [line.split(" | ")[1] for line in lines[start + 4 :]] == [
        "not subject", "clear", "clear", "clear", "blocked", "clear", "clear", "clear"
    ]  # fmt: skip


def test_csv_adds_the_verdict_tasks_and_fix_per_account(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    policy_id, name = _policy(cli_env)
    # when
    code, out, _ = _run(capsys, "status", "--format", "csv")
    # then
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == [
        "account_id", "name", "state", "path", "role", "posture",
        "scp_lint", "scp_blocked_tasks", "scp_fix",
    ]  # fmt: skip
    assert {
        r["account_id"]: (r["scp_lint"], r["scp_blocked_tasks"], r["scp_fix"]) for r in rows
    } == {
        "111111111111": ("not subject", "", "the management account is never subject to SCPs"),
        "222222222222": ("clear", "", ""),
        "333333333333": ("clear", "", ""),
        "444444444444": ("clear", "", ""),
        BLOCKED: ("blocked", TASKS.replace(", ", " "), _fix(policy_id, name)),
        "666666666666": ("clear", "", ""),
        "777777777777": ("clear", "", ""),
        "888888888888": ("clear", "", ""),
    }


def test_json_carries_the_engine_lint_per_account(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    policy_id, name = _policy(cli_env)
    # when
    code, out, _ = _run(capsys, "status", "--format", "json")
    # then
    lint = {r["account_id"]: r for r in json.loads(out)["scp_lint"]}
    assert code == 0
    assert list(lint) == ORDER
    assert {a: r["status"] for a, r in lint.items()} == {
        a: ("not_subject" if a == "111111111111" else "blocked" if a == BLOCKED else "clear")
        for a in ORDER
    }
    blocked = lint[BLOCKED]
    assert blocked["blocked_tasks"] == TASKS.split(", ")
    assert blocked["blocks"][0] == {
        "task": "IAMAuditRootUserCredentials",
        "action": "iam:GetAccountSummary",
        "policy_id": policy_id,
        "policy_name": name,
        "target_id": BLOCKED,
        "statement": "DenyInRootSessions",
        "certain": True,
        "fix": _fix(policy_id, name),
    }
    assert lint["222222222222"]["targets"][0] == "222222222222"
    assert lint["222222222222"]["targets"][-1].startswith("r-")


UNKNOWN = ScpLintResult(
    "222222222222", ScpStatus.UNKNOWN, detail="could not read the SCPs: AccessDeniedException"
)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("table", "  222222222222  unknown  could not read the SCPs: AccessDeniedException\n"),
        (
            "markdown",
            "| 222222222222 | unknown |  |  | could not read the SCPs: AccessDeniedException |\n",
        ),
        ("csv", ",unknown,,could not read the SCPs: AccessDeniedException\n"),
        ("json", '"detail": "could not read the SCPs: AccessDeniedException"'),
    ],
)
def test_unknown_is_never_written_as_clear(cli_env: Simulator, fmt: str, expected: str) -> None:
    # given a status whose lint could not read one account's SCPs
    from root_access.status import status

    found = status(cli_env.session())
    lint = tuple(UNKNOWN if r.account_id == "222222222222" else r for r in found.scp)
    changed = Status(found.preflight, found.tasks, found.warnings, found.organization, lint)
    out = io.StringIO()
    # when
    render_status(fmt, out, changed)
    # then
    text = out.getvalue()
    assert expected in text
    for clear in ("  222222222222  clear", "| 222222222222 | clear", "222222222222,,clear"):
        assert clear not in text
    if fmt == "json":
        lint = {r["account_id"]: r for r in json.loads(text)["scp_lint"]}
        assert (lint["222222222222"]["status"], lint["222222222222"]["blocks"]) == ("unknown", [])


def test_skip_scp_blocked_flag_reports_blocked_by_scp_without_assume_root(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario
    policy_id, name = _policy(cli_env)
    before = len(cli_env.calls)
    # when
    code, out, _ = _run(
        capsys, "delete-credentials", "--all", "--dry-run", "--skip-scp-blocked", "--format", "json"
    )
    # then
    accounts = {r["account_id"]: r for r in json.loads(out)["results"]}
    assert code == 1
    assert (accounts[BLOCKED]["outcome"], accounts[BLOCKED]["detail"]) == (
        "blocked_by_scp",
        "skipped without AssumeRoot (skip_scp_blocked): IAMDeleteRootUserCredentials blocked: "
        f"iam:GetLoginProfile denied; {_fix(policy_id, name)}",
    )
    assert [c.action for c in cli_env.calls[before:] if c.account_id == BLOCKED] == []
    assert [c.action for c in cli_env.calls[before:]].count("AssumeRoot") == 4
