"""The `root-access` CLI (root_access.cli), in process against the simulator and as the
installed console script against the simulator server."""

from __future__ import annotations

import base64
import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from root_access import __version__
from root_access.cli import build_parser, main, redact
from root_access.simulator import Simulator
from root_access.simulator.server import SimulatorServer

from .processes import script as _script
from .processes import server_env as _server_env

PROG_ERROR = "root-access: error: "

DEFAULT_OUTCOMES = {
    "111111111111": "skipped_management_account",
    "222222222222": "root_credentials_present",
    "333333333333": "no_root_credentials",
    "444444444444": "no_root_credentials",
    "555555555555": "blocked_by_scp",
    "666666666666": "root_credentials_present",
    "777777777777": "skipped_inactive_account",
    "888888888888": "skipped_inactive_account",
}
"""Audit outcome of every account of the simulator's default scenario."""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------------------
# Bad input: one line on stderr, exit 2, no AWS call


BAD_INPUT = [
    ([], "the following arguments are required: COMMAND (see `root-access --help`)"),
    (["audit"], "empty selection: name --accounts or --organizational-units, or ask for an "
     "organization-wide run with --all"),
    (["audit", "--accounts", "12345"],
     "malformed account id '12345': account ids are 12-digit strings, e.g. 222222222222"),
    (["delete-credentials", "--accounts", "22222222222a"],
     "malformed account id '22222222222a': account ids are 12-digit strings, e.g. 222222222222"),
    (["audit", "--organizational-units", "ou-bad"],
     "malformed organizational unit id 'ou-bad': expected ou-xxxx-yyyyyyyy or the root r-xxxx"),
    (["delete-credentials", "--all", "--accounts", "222222222222"],
     "--all conflicts with --accounts/--organizational-units: choose one selection"),
    (["delete-credentials", "--accounts", "222222222222,444444444444",
      "--exclude-accounts", "444444444444"],
     "account 444444444444 is both selected and excluded: remove it from one list"),
    (["audit", "--all", "--duration-seconds", "901"],
     "argument --duration-seconds: duration 901 is out of range: AssumeRoot sessions last "
     "1..900 seconds (default 900) (see `root-access audit --help`)"),
    (["--duration-seconds", "0", "audit", "--all"],
     "argument --duration-seconds: duration 0 is out of range: AssumeRoot sessions last "
     "1..900 seconds (default 900) (see `root-access --help`)"),
    (["audit", "--all", "--duration-seconds", "ten"],
     "argument --duration-seconds: 'ten' is not a whole number (see `root-access audit --help`)"),
    (["audit", "--all", "--format", "xml"],
     "argument --format: invalid choice: 'xml' (choose from 'table', 'json', 'csv', "
     "'markdown') (see `root-access audit --help`)"),
    (["audit", "--all", "--max-workers", "0"],
     "argument --max-workers: max workers 0 is out of range: use 1..64 (default 32) "
     "(see `root-access audit --help`)"),
    (["unlock-s3-bucket-policy", "--account", "222222222222", "--bucket", "Bad_Bucket"],
     "malformed bucket name 'Bad_Bucket': 3-63 lowercase letters, digits, dots and hyphens, "
     "starting and ending with a letter or digit"),
    (["unlock-s3-bucket-policy", "--account", "222222222222"],
     "the following arguments are required: --bucket "
     "(see `root-access unlock-s3-bucket-policy --help`)"),
    (["unlock-sqs-queue-policy", "--account", "222222222222",
      "--queue-url", "https://sqs.us-east-1.amazonaws.com/333333333333/orders"],
     "queue URL 'https://sqs.us-east-1.amazonaws.com/333333333333/orders' belongs to account "
     "333333333333, not 222222222222: name queues of the account being unlocked"),
    (["unlock-sqs-queue-policy", "--account", "222222222222", "--queue-url", "not-a-url"],
     "malformed queue URL 'not-a-url': expected https://sqs.<region>.amazonaws.com/"
     "<account-id>/<queue-name>"),
    (["enable", "--features", "RootSession"],
     "argument --features: unknown feature 'RootSession': choose from "
     "RootCredentialsManagement, RootSessions (see `root-access enable --help`)"),
    (["enable", "--delegated-administrator", "33333"],
     "argument --delegated-administrator: malformed account id '33333': account ids are "
     "12-digit strings, e.g. 222222222222 (see `root-access enable --help`)"),
    (["audit", "--all", "--journal", "evidence.jsonl"],
     "--journal applies to the root-session changes (delete-credentials, "
     "allow-password-recovery, unlock-*), not to `audit`: drop --journal"),
    (["enable", "--resume", "README.md"],
     "--resume applies to the root-session changes (delete-credentials, "
     "allow-password-recovery, unlock-*), not to `enable`: drop --resume"),
    (["audit", "--all", "-q", "-v"], "-q and -v contradict each other: pick one"),
    (["delete-credentials", "--accounts", "222222222222", "--bogus"],
     "unrecognized arguments: --bogus (see `root-access delete-credentials --help`)"),
    (["disable"],
     "disable turns features off for the whole organization and needs confirmation: run it "
     "at a terminal, or pass --yes (see what it would do with --dry-run)"),
    (["delete-credentials", "--all"],
     "delete-credentials deletes member root credentials and needs confirmation: run it "
     "at a terminal, or pass --yes (see what it would do with --dry-run)"),
    (["unlock-s3-bucket-policy", "--account", "222222222222", "--bucket", "b-1",
      "--resume", "README.md"],
     "--resume applies to multi-account commands; rerun the unlock instead (it is safe: an "
     "absent policy is already_absent)"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), BAD_INPUT)
def test_bad_input_is_one_line_exit_2_and_no_aws_call(
    cli_env: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    # given the simulator and a bad command line (README.md exists in the repository root)
    monkeypatch.chdir(Path(__file__).parents[2])
    # when
    code, out, err = _run(capsys, *argv)
    # then
    assert (code, out, err) == (2, "", PROG_ERROR + message + "\n")
    assert cli_env.calls == []


def test_missing_resume_journal_and_output_directory_are_refused(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given paths that do not exist
    journal = tmp_path / "missing.jsonl"
    output = tmp_path / "absent" / "audit.json"
    # when
    resumed = _run(capsys, "delete-credentials", "--all", "--yes", "--resume", str(journal))
    written = _run(capsys, "audit", "--all", "--output", str(output))
    # then
    assert resumed == (
        2,
        "",
        f"{PROG_ERROR}--resume {journal}: no such journal; pass the --journal file of the "
        "interrupted run\n",
    )
    assert written == (
        2,
        "",
        f"{PROG_ERROR}--output {output}: directory {output.parent} does not exist: "
        "create it first\n",
    )
    assert cli_env.calls == []


def test_verbosity_env_twin_must_be_a_number(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given ROOT_ACCESS_VERBOSE is not a number
    monkeypatch.setenv("ROOT_ACCESS_VERBOSE", "loud")
    # when
    result = _run(capsys, "audit", "--all")
    # then
    assert result == (
        2,
        "",
        PROG_ERROR + "ROOT_ACCESS_VERBOSE='loud' is not a number: set it to 0, 1, 2 or 3 "
        "(like -v counts)\n",
    )
    assert cli_env.calls == []


def test_unknown_profile_is_refused_before_any_call(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a profile that is not configured
    # when
    result = _run(capsys, "--profile", "nope", "audit", "--all")
    # then
    assert result == (
        2,
        "",
        PROG_ERROR + "AWS profile 'nope' not found: check --profile or ~/.aws/config\n",
    )
    assert cli_env.calls == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["delete-credentials", "--accounts", "111111111111", "--yes"],
            "account 111111111111 is the management account, which centralized root access "
            "does not cover: remove it from --accounts",
        ),
        (
            ["audit", "--organizational-units", "ou-abcd-abcdefgh"],
            "organizational unit ou-abcd-abcdefgh does not exist in this organization: check "
            "the id with `aws organizations list-organizational-units-for-parent`",
        ),
        (
            ["delete-credentials", "--accounts", "999999999999", "--yes"],
            "account 999999999999 is not in this organization: check the id",
        ),
    ],
)
def test_targets_checked_against_the_organization_before_any_change(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    # given a selection that is well formed but wrong for this organization
    # when
    result = _run(capsys, *argv)
    # then only read calls were made, and no root session
    assert result == (2, "", PROG_ERROR + message + "\n")
    actions = {call.action for call in cli_env.calls}
    assert "AssumeRoot" not in actions
    assert all(a.startswith(("Get", "List", "Describe")) for a in actions)


def test_caller_that_is_not_management_or_delegated_admin_gets_a_preflight_error(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the pipeline user of an ordinary member account
    key, secret = cli_env.credentials("444444444444")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    # when
    code, out, err = _run(capsys, "audit", "--all")
    # then
    assert (code, out) == (2, "")
    assert err == (
        PROG_ERROR + "account 444444444444 is neither the management account nor the IAM "
        "delegated administrator: IAMAuditRootUserCredentials needs one of them (register one "
        "with `root-access enable --delegated-administrator ACCOUNT_ID`)\n"
    )
    assert "AssumeRoot" not in {call.action for call in cli_env.calls}


# ---------------------------------------------------------------------------
# Help


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    # given / when / then
    assert _run(capsys, "--version") == (0, f"root-access {__version__}\n", "")


def test_help_lists_commands_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    # given / when
    code, out, err = _run(capsys, "--help")
    # then
    assert (code, err) == (0, "")
    for text in (
        "status",
        "enable",
        "disable",
        "audit",
        "delete-credentials",
        "allow-password-recovery",
        "unlock-s3-bucket-policy",
        "unlock-sqs-queue-policy",
        "simulate",
        "examples:",
        "  0    every targeted account ended well",
        "  1    some targeted account did not",
        "  2    usage or preflight error",
        "  3    audit --fail-on: a named condition held",
        "  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM",
    ):
        assert text in out


def test_targeting_flags_are_shared_by_every_multi_account_command() -> None:
    # given the parser
    parser = build_parser()
    # when
    flags = {
        name: {a.dest for a in sub._actions}
        for name, sub in parser._subparsers._group_actions[0].choices.items()  # type: ignore[union-attr]
    }
    # then
    targeting = {
        "accounts",
        "organizational_units",
        "exclude_accounts",
        "exclude_organizational_units",
        "all",
    }
    for command in ("audit", "delete-credentials", "allow-password-recovery"):
        assert targeting <= flags[command]
    for command in ("delete-credentials", "allow-password-recovery", "enable", "disable"):
        assert "dry_run" in flags[command]
    for command in ("unlock-s3-bucket-policy", "unlock-sqs-queue-policy"):
        assert "dry_run" in flags[command]


def test_comma_separated_and_repeated_ids_combine(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given ids given both ways
    # when
    code, out, _ = _run(
        capsys,
        "audit",
        "--accounts",
        "222222222222,444444444444",
        "--accounts",
        "666666666666",
        "--format",
        "json",
    )
    # then
    outcomes = {r["account_id"]: r["outcome"] for r in json.loads(out)["results"]}
    assert (code, outcomes) == (
        0,
        {
            "222222222222": "root_credentials_present",
            "444444444444": "no_root_credentials",
            "666666666666": "root_credentials_present",
        },
    )


# ---------------------------------------------------------------------------
# Commands against the simulator


def test_audit_all_json_reports_every_account_and_exits_1_when_one_failed(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario (555555555555 is blocked by an SCP)
    # when
    code, out, err = _run(capsys, "audit", "--all", "--format", "json")
    # then
    document = json.loads(out)
    assert (code, err) == (1, "")
    assert {r["account_id"]: r["outcome"] for r in document["results"]} == DEFAULT_OUTCOMES
    assert document["summary"] == {
        "total": 8,
        "failed": 1,
        "exit_code": 1,
        "counts": {
            "blocked_by_scp": 1,
            "no_root_credentials": 2,
            "root_credentials_present": 2,
            "skipped_inactive_account": 2,
            "skipped_management_account": 1,
        },
        "task": "IAMAuditRootUserCredentials",
        "text": "8 accounts: 2 hold root credentials, 2 hold none, 4 not audited "
        "(1 blocked by an SCP, 1 management account, 1 PENDING_CLOSURE, 1 SUSPENDED)",
        "root_credentials": {"present": 2, "absent": 2, "unknown": 4},
        "not_looked_into": {
            "total": 4,
            "outcomes": {
                "blocked_by_scp": 1,
                "skipped_inactive_account": 2,
                "skipped_management_account": 1,
            },
            "states": {"PENDING_CLOSURE": 1, "SUSPENDED": 1},
        },
        "credentials": {"present": 9},
    }


def test_json_is_the_default_when_stdout_is_not_a_terminal(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given stdout captured (not a terminal) and no --format
    # when
    code, out, _ = _run(capsys, "audit", "--accounts", "444444444444")
    # then
    assert code == 0
    assert json.loads(out)["results"][0]["outcome"] == "no_root_credentials"


def test_audit_of_an_ou_with_exclusions(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the Workloads OU (which nests Production), minus the SCP-blocked account
    workloads = next(
        ou["Id"]
        for page in cli_env.session()
        .client("organizations")
        .get_paginator("list_organizational_units_for_parent")
        .paginate(ParentId=cli_env.session().client("organizations").list_roots()["Roots"][0]["Id"])
        for ou in page["OrganizationalUnits"]
        if ou["Name"] == "Workloads"
    )
    cli_env.call_log.clear()
    # when
    code, out, _ = _run(
        capsys,
        "audit",
        "--organizational-units",
        workloads,
        "--exclude-accounts",
        "555555555555",
        "--format",
        "csv",
    )
    # then
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert sorted((r["account_id"], r["outcome"], r["password"]) for r in rows) == [
        ("222222222222", "root_credentials_present", "1"),
        ("444444444444", "no_root_credentials", "0"),
        ("666666666666", "root_credentials_present", "1"),
    ]


def test_delete_dry_run_changes_nothing_then_delete_removes_everything(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given the workload account holding every kind of root credential
    journal = tmp_path / "evidence.jsonl"
    # when
    dry = _run(capsys, "delete-credentials", "--accounts", "222222222222", "--dry-run",
               "--format", "json")  # fmt: skip
    before = cli_env.root_user("222222222222")
    real = _run(capsys, "delete-credentials", "--accounts", "222222222222", "--yes",
                "--journal", str(journal), "--format", "json")  # fmt: skip
    after = cli_env.root_user("222222222222")
    # then
    planned = json.loads(dry[1])["results"][0]
    assert (dry[0], planned["outcome"], planned["dry_run"]) == (0, "would_delete", True)
    assert [c["outcome"] for c in planned["credentials"]] == ["would_delete"] * 7
    assert before.has_credentials
    done = json.loads(real[1])["results"][0]
    assert (real[0], done["outcome"], done["verified"]) == (0, "deleted", True)
    assert not after.has_credentials
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [r["record"] for r in records].count("change") == 7
    assert records[-1]["record"] == "account"
    assert records[-1]["outcome"] == "deleted"


def test_delete_table_has_one_row_per_credential(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the payments account (password and one active key)
    # when
    code, out, _ = _run(
        capsys, "delete-credentials", "--accounts", "666666666666", "--yes", "--format", "markdown"
    )
    # then
    lines = out.splitlines()
    assert code == 0
    assert lines[2].startswith("| 666666666666 | payments | ACTIVE | deleted | ")
    assert lines[3].startswith("|  |  |   password | deleted | login_profile |")
    assert lines[4].startswith("|  |  |   access_key Active | deleted | AKIA")
    assert lines[-1] == "**Summary:** 1 account: 1 deleted"


def test_resume_finishes_only_what_is_left(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given a journal in which 222222222222 finished well
    journal = tmp_path / "evidence.jsonl"
    first = _run(capsys, "delete-credentials", "--accounts", "222222222222", "--yes",
                 "--journal", str(journal), "--format", "json")  # fmt: skip
    cli_env.call_log.clear()
    # when the run is resumed over both accounts
    code, out, _ = _run(capsys, "delete-credentials", "--yes", "--accounts",
                        "222222222222,666666666666", "--resume", str(journal),
                        "--format", "json")  # fmt: skip
    # then only 666666666666 was worked on
    assert first[0] == 0
    assert code == 0
    assert [r["account_id"] for r in json.loads(out)["results"]] == ["666666666666"]
    assumed = {c.account_id for c in cli_env.calls if c.action == "AssumeRoot"}
    assert "222222222222" not in str(
        [c for c in cli_env.calls if c.service == "iam" and c.account_id == "222222222222"]
    )
    assert assumed
    assert not cli_env.root_user("666666666666").has_credentials
    account_records = [
        json.loads(line)["account_id"]
        for line in journal.read_text().splitlines()
        if json.loads(line)["record"] == "account"
    ]
    assert account_records == ["222222222222", "666666666666"]


def test_output_file_format_follows_its_suffix(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given an --output file ending in .csv and no --format
    output = tmp_path / "audit.csv"
    # when
    code, out, err = _run(capsys, "audit", "--accounts", "444444444444", "--output", str(output))
    # then
    assert (code, out, err) == (0, "", "")
    assert output.read_text().splitlines()[0].startswith("account_id,name,state,task,outcome,")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".audit.csv")] == []


def test_allow_password_recovery(cli_env: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    # given the clean account (no login profile)
    # when
    dry = _run(capsys, "allow-password-recovery", "--accounts", "444444444444", "--dry-run",
               "--format", "json")  # fmt: skip
    real = _run(capsys, "allow-password-recovery", "--accounts", "444444444444",
                "--format", "json")  # fmt: skip
    again = _run(capsys, "allow-password-recovery", "--accounts", "444444444444",
                 "--format", "json")  # fmt: skip
    # then
    outcome = [json.loads(r[1])["results"][0]["outcome"] for r in (dry, real, again)]
    assert [r[0] for r in (dry, real, again)] == [0, 0, 0]
    assert outcome == ["would_enable_recovery", "recovery_enabled", "recovery_enabled"]
    assert cli_env.root_user("444444444444").password is True


def test_unlock_s3_bucket_policy(cli_env: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    # given a bucket of 222222222222 whose policy denies everyone
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
        }
    )
    cli_env.world.create_bucket("222222222222", "locked-bucket", region=cli_env.region,
                                policy=policy)  # fmt: skip
    # when
    dry = _run(capsys, "unlock-s3-bucket-policy", "--account", "222222222222",
               "--bucket", "locked-bucket", "--dry-run", "--format", "json")  # fmt: skip
    real = _run(capsys, "unlock-s3-bucket-policy", "--account", "222222222222",
                "--bucket", "locked-bucket", "--yes", "--format", "json")  # fmt: skip
    again = _run(capsys, "unlock-s3-bucket-policy", "--account", "222222222222",
                 "--bucket", "locked-bucket", "--yes", "--format", "json")  # fmt: skip
    # then
    results = [json.loads(r[1])["results"][0] for r in (dry, real, again)]
    assert [r[0] for r in (dry, real, again)] == [0, 0, 0]
    assert [r["outcome"] for r in results] == ["would_delete", "deleted", "already_absent"]
    assert json.loads(results[1]["credentials"][0]["policy"]) == json.loads(policy)


def test_unlock_sqs_queue_policy(cli_env: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    # given a queue of 222222222222 whose policy denies everyone
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"}],
        }
    )
    cli_env.world.create_queue("222222222222", "orders", region=cli_env.region, policy=policy)
    url = f"https://sqs.{cli_env.region}.amazonaws.com/222222222222/orders"
    # when
    code, out, err = _run(capsys, "unlock-sqs-queue-policy", "--account", "222222222222",
                          "--queue-url", url, "--yes", "--format", "json")  # fmt: skip
    # then
    result = json.loads(out)["results"][0]
    assert (code, err, result["outcome"]) == (0, "", "deleted")
    assert result["credentials"][0]["id"] == url


def test_enable_is_idempotent_and_dry_run_plans(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario: trusted access and both features already on
    # when
    plan = _run(capsys, "enable", "--trusted-access", "--dry-run", "--format", "json")
    done = _run(capsys, "enable", "--trusted-access", "--format", "json")
    # then
    assert plan[0] == 0
    assert json.loads(plan[1]) | {"organization_id": "o"} == {
        "organization_id": "o",
        "caller_role": "management",
        "dry_run": True,
        "enable_trusted_access": False,
        "enable_features": [],
        "register_delegated_administrator": None,
    }
    result = json.loads(done[1])
    assert done[0] == 0
    assert (result["changes"], result["changed"]) == ([], False)
    assert result["enabled_features"] == ["RootCredentialsManagement", "RootSessions"]


def test_disable_with_yes_then_enable_again(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given both features on
    # when
    off = _run(capsys, "disable", "--features", "RootSessions", "--yes", "--format", "json")
    on = _run(capsys, "enable", "--features", "RootSessions", "--format", "json")
    # then
    assert off[0] == 0
    assert json.loads(off[1])["enabled_features"] == ["RootCredentialsManagement"]
    assert on[0] == 0
    assert json.loads(on[1])["enabled_features"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]


class _Keyboard(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_disable_asks_and_does_nothing_unless_confirmed(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a terminal where the user answers "n"
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\n"))
    # when
    code, out, err = _run(capsys, "disable", "--format", "json")
    # then
    assert (code, out) == (2, "")
    assert err.endswith("[y/N] root-access: not confirmed; nothing was disabled\n")
    assert "Disable RootCredentialsManagement, RootSessions for organization o-" in err
    assert not any(c.action.startswith("Disable") for c in cli_env.calls)


def test_status_json_has_preflight_and_the_tree(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario
    # when
    code, out, err = _run(capsys, "status", "--format", "json")
    # then
    document = json.loads(out)
    assert (code, err) == (0, "")
    assert document["preflight"]["caller_role"] == "management"
    assert document["preflight"]["enabled_features"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]
    assert document["preflight"]["tasks"] == {
        "IAMAuditRootUserCredentials": "ready",
        "IAMCreateRootUserPassword": "ready",
        "IAMDeleteRootUserCredentials": "ready",
        "S3UnlockBucketPolicy": "ready",
        "SQSUnlockQueuePolicy": "ready",
    }
    root = document["organization"][0]
    assert [u["name"] for u in root["units"]] == ["Security", "Workloads", "Suspended"]
    assert root["accounts"] == [
        {"id": "111111111111", "name": root["accounts"][0]["name"], "state": "ACTIVE",
         "role": "management account"}
    ]  # fmt: skip
    assert "AssumeRoot" not in {c.action for c in cli_env.calls}


def test_status_audit_csv_gives_posture_per_account(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario
    # when
    code, out, _ = _run(capsys, "status", "--audit", "--format", "csv")
    # then
    rows = {r["account_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 1
    assert rows["666666666666"]["path"] == "Root/Workloads/Production"
    assert rows["666666666666"]["posture"] == (
        "root credentials: password, 1 access key (1 active)"
    )
    assert rows["444444444444"]["posture"] == "no root credentials"
    assert rows["333333333333"]["role"] == "IAM delegated administrator"
    assert rows["777777777777"]["posture"] == "not audited (skipped_inactive_account): SUSPENDED"


def test_status_table_draws_the_tree(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario
    # when
    code, out, _ = _run(capsys, "status", "--format", "table")
    # then
    assert code == 0
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines()]
    assert ["caller_role", "management"] in cells
    assert ["task SQSUnlockQueuePolicy", "ready"] in cells
    assert "└── Suspended (ou-" in out
    assert "    └── 888888888888  closing  PENDING_CLOSURE" in out


# ---------------------------------------------------------------------------
# Logs, progress and secrets


class _Secrets:
    """Deterministic, recognisable AssumeRoot secrets issued by the simulator."""

    def __init__(self) -> None:
        self.issued: list[str] = []

    def token_urlsafe(self, n: int) -> str:
        value = f"SIMSECRETKEY{len(self.issued):04d}" + "x" * 40
        self.issued.append(value[:40])
        return value

    def token_bytes(self, n: int) -> bytes:
        raw = b"SIMSESSIONTOKEN" + b"y" * n
        self.issued.append(base64.b64encode(b"RootSession" + raw).decode("ascii"))
        return raw


def test_no_secret_reaches_any_output_even_at_the_highest_verbosity(
    cli_env: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # given recognisable root-session secrets and the pipeline user's secret key
    issued = _Secrets()
    monkeypatch.setattr("root_access.simulator.assumeroot.secrets", issued)
    _, pipeline_secret = cli_env.credentials()
    journal = tmp_path / "evidence.jsonl"
    outputs: list[str] = []
    # when every format runs at -vvv, and a delete writes evidence
    for fmt in ("table", "json", "csv", "markdown"):
        code, out, err = _run(capsys, "-vvv", "audit", "--all", "--format", fmt)
        outputs += [out, err]
    code, out, err = _run(capsys, "-vvv", "delete-credentials", "--accounts", "222222222222",
                          "--yes", "--journal", str(journal), "--format", "json")  # fmt: skip
    outputs += [out, err, journal.read_text()]
    report = tmp_path / "status.json"
    status = _run(capsys, "-vvv", "status", "--audit", "--output", str(report))
    outputs += [status[1], status[2], report.read_text()]
    # then secrets were issued, logs were written, and none of the secrets appears
    everything = "\n".join(outputs)
    assert code == 0
    assert len(issued.issued) >= 10
    assert "DEBUG botocore" in everything
    for secret in [*issued.issued, pipeline_secret]:
        assert secret not in everything


def test_redact_hides_secret_keys_tokens_and_passwords() -> None:
    # given log text holding secrets in the shapes botocore prints
    text = (
        "<SecretAccessKey>abc/DEF+123</SecretAccessKey><SessionToken>tok==</SessionToken> "
        "{'X-Amz-Security-Token': b'tok2', 'SecretAccessKey': 'abc', \"Password\": \"pw\"}"
    )
    # when
    redacted = redact(text)
    # then
    assert redacted == (
        "<SecretAccessKey>***</SecretAccessKey><SessionToken>***</SessionToken> "
        "{'X-Amz-Security-Token': b'***', 'SecretAccessKey': '***', \"Password\": \"***\"}"
    )


def test_verbose_logs_go_to_stderr_only(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the env twin of -vv
    monkeypatch.setenv("ROOT_ACCESS_VERBOSE", "2")
    # when
    code, out, err = _run(capsys, "audit", "--accounts", "444444444444", "--format", "json")
    # then
    assert code == 0
    assert json.loads(out)["summary"]["total"] == 1
    assert "DEBUG root_access" in err or "INFO root_access" in err


def test_quiet_run_writes_nothing_to_stderr(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given -q
    # when
    code, _, err = _run(capsys, "-q", "audit", "--all", "--format", "json")
    # then
    assert (code, err) == (1, "")


# ---------------------------------------------------------------------------
# The simulator behind `root-access simulate`


def test_simulate_delegates_to_the_simulator_cli(capsys: pytest.CaptureFixture[str]) -> None:
    # given / when
    code, out, _ = _run(capsys, "simulate", "--help")
    # then
    assert code == 0
    assert "--port" in out


def test_simulate_with_a_malformed_scenario_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given a scenario whose management account id is malformed
    scenario = tmp_path / "bad.yaml"
    scenario.write_text('region: us-east-1\norganizations:\n  - management_account: {id: "12"}\n')
    # when
    code, out, err = _run(capsys, "simulate", "--scenario", str(scenario))
    # then
    assert (code, out) == (2, "")
    assert err == (
        "root-access simulate: bad.yaml: organizations[0].management_account.id: '12' is "
        "not a 12-digit account id\n"
    )


# ---------------------------------------------------------------------------
# The installed console script against the simulator server


@pytest.mark.server
def test_console_script_audit_over_the_server(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given the simulator as a server and the installed script
    env = _server_env(simulator_server, tmp_path)
    # when
    run = subprocess.run(
        [_script(), "audit", "--all", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then
    assert (run.returncode, run.stderr) == (1, "")
    outcomes = {r["account_id"]: r["outcome"] for r in json.loads(run.stdout)["results"]}
    assert outcomes == DEFAULT_OUTCOMES


@pytest.mark.server
def test_console_script_bad_input_makes_no_call_to_the_server(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given the simulator as a server
    env = _server_env(simulator_server, tmp_path)
    simulator_server.clear_calls()
    # when
    run = subprocess.run(
        [_script(), "delete-credentials", "--accounts", "2222", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        "root-access: error: malformed account id '2222': account ids are 12-digit strings, "
        "e.g. 222222222222\n"
    )
    assert simulator_server.calls() == []


@pytest.mark.server
def test_console_script_delete_then_audit_over_the_server(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given the simulator as a server
    env = _server_env(simulator_server, tmp_path)

    def run(*argv: str) -> Any:
        return subprocess.run(
            [_script(), *argv],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    # when
    deleted = run("delete-credentials", "--accounts", "222222222222,666666666666", "--yes",
                  "--format", "csv")  # fmt: skip
    audited = run("audit", "--accounts", "222222222222,666666666666", "--format", "json")
    # then
    rows = sorted((r["account_id"], r["outcome"], r["verified"])
                  for r in csv.DictReader(io.StringIO(deleted.stdout)))  # fmt: skip
    assert (deleted.returncode, deleted.stderr) == (0, "")
    assert rows == [("222222222222", "deleted", "true"), ("666666666666", "deleted", "true")]
    assert audited.returncode == 0
    assert {r["outcome"] for r in json.loads(audited.stdout)["results"]} == {"no_root_credentials"}


def test_missing_feature_is_named_before_any_root_session(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given RootCredentialsManagement turned off through the CLI
    off = _run(capsys, "disable", "--features", "RootCredentialsManagement", "--yes")
    cli_env.call_log.clear()
    # when
    code, out, err = _run(capsys, "delete-credentials", "--accounts", "222222222222", "--yes")
    # then
    assert off[0] == 0
    assert (code, out) == (2, "")
    assert err == (
        PROG_ERROR + "IAMDeleteRootUserCredentials needs the RootCredentialsManagement "
        "feature, which is not enabled (enabled: RootSessions): run `root-access enable "
        "--features RootCredentialsManagement` from the management account\n"
    )
    assert "AssumeRoot" not in {c.action for c in cli_env.calls}


def test_trusted_access_off_says_how_to_turn_it_on(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given trusted access for iam.amazonaws.com turned off through the CLI
    off = _run(capsys, "disable", "--trusted-access", "--yes")
    # when
    code, out, err = _run(capsys, "audit", "--all")
    # then
    assert off[0] == 0
    assert (code, out) == (2, "")
    assert err.startswith(PROG_ERROR)
    assert "root-access enable --trusted-access" in err
    assert err.count("\n") == 1


def test_status_names_what_blocks_each_task(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given RootSessions turned off
    _run(capsys, "disable", "--features", "RootSessions", "--yes")
    # when
    code, out, _ = _run(capsys, "status", "--format", "json")
    # then the stated gate blocks password recovery; the assumed one only warns
    facts = json.loads(out)["preflight"]
    assert code == 0
    assert facts["tasks"] == {
        "IAMAuditRootUserCredentials": "ready",
        "IAMDeleteRootUserCredentials": "ready",
        "IAMCreateRootUserPassword": (
            "IAMCreateRootUserPassword needs the RootSessions feature, which is not enabled "
            "(enabled: RootCredentialsManagement): run `root-access enable --features "
            "RootSessions` from the management account"
        ),
        "S3UnlockBucketPolicy": "ready",
        "SQSUnlockQueuePolicy": "ready",
    }
    assert facts["warnings"] == [
        f"{task} is assumed to need the RootSessions feature, which is not enabled (enabled: "
        "RootCredentialsManagement); AWS does not state the gate, so the run goes on and "
        "AssumeRoot decides (`root-access enable --features RootSessions` turns it on)"
        for task in ("S3UnlockBucketPolicy", "SQSUnlockQueuePolicy")
    ]


def test_status_markdown_lists_facts_tasks_and_the_tree(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario
    # when
    code, out, _ = _run(capsys, "status", "--format", "markdown")
    # then
    lines = out.splitlines()
    assert code == 0
    assert lines[:4] == ["### preflight", "", "| Field | Value |", "|---|---|"]
    assert "| caller_role | management |" in lines
    assert "| task IAMDeleteRootUserCredentials | ready |" in lines
    assert "```text" in lines
    assert (
        lines[lines.index("### SCP lint (root sessions, read before any AssumeRoot)") - 2] == "```"
    )
