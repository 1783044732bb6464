"""scripts/audit.py's result modes (issue 12): full, compact, and auto above COMPACT_ABOVE.

The mode rule is a pure function, tested at its threshold; the script is run as Terraform
runs it for the report file and its errors. Every door that names the modes or the
threshold (the modules' variables) is checked against the engine's rules table
(``root_access.rules``: ``RESULT_MODE``, ``COMPACT_ABOVE``), which the script reads.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path
from types import ModuleType

import hcl2
import pytest

from root_access import rules
from root_access.simulator import SimulatorServer

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
ALL = {"all": "true"}


@pytest.fixture
def audit_script(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/audit.py imported as a module (its directory on sys.path, as when run)."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    return importlib.import_module("audit")


def test_auto_is_full_up_to_the_threshold_and_compact_above(audit_script: ModuleType):
    # given the threshold
    above = rules.COMPACT_ABOVE
    # when / then
    assert above == 1000
    assert audit_script.result_mode("auto", 0) == "full"
    assert audit_script.result_mode("auto", above) == "full"
    assert audit_script.result_mode("auto", above + 1) == "compact"
    assert audit_script.result_mode("full", 10 * above) == "full"
    assert audit_script.result_mode("compact", 1) == "compact"


def test_unknown_result_mode_is_refused(audit_script: ModuleType):
    # given / when
    with pytest.raises(audit_script._entry.SetupError) as refused:
        audit_script.result_mode("summary", 5)
    # then
    assert str(refused.value) == "result_mode must be one of auto, full, compact, got 'summary'"


def _variables(module: Path) -> dict[str, dict[str, object]]:
    with (module / "variables.tf").open(encoding="utf-8") as handle:
        parsed = hcl2.load(handle)
    return {name.strip('"'): body for block in parsed["variable"] for name, body in block.items()}


@pytest.mark.parametrize(
    ("module", "name"),
    [(REPO / "modules" / "root-credentials-audit", "result_mode"), (REPO, "audit_result_mode")],
    ids=["audit-module", "root-module"],
)
def test_module_variables_name_the_scripts_modes_and_threshold(
    audit_script: ModuleType, module: Path, name: str
):
    # given the variable as the module declares it
    variable = _variables(module)[name]
    # when / then its validation allows exactly the script's modes, its default is auto,
    # and its description quotes the script's threshold
    (rule,) = variable["validation"]  # type: ignore[misc]
    modes = ", ".join(f'"{mode}"' for mode in rules.RESULT_MODE.values)
    assert rule["condition"] == f"${{contains([{modes}], var.{name})}}"
    assert variable["default"] == '"auto"'
    assert f"full up to {rules.COMPACT_ABOVE:,} accounts" in str(variable["description"])


def test_unknown_result_mode_stops_before_any_aws_call(run_script):
    # given no AWS environment at all
    # when
    run = run_script("audit.py", query={**ALL, "result_mode": "minimal"})
    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (
        "root-access: result_mode must be one of auto, full, compact, got 'minimal'\n"
    )


def test_compact_result_writes_the_report_and_keeps_only_ids_that_need_action(
    run_script, simulator_server: SimulatorServer, tmp_path: Path
):
    # given a compact query with the module's default report path
    query = {**ALL, "result_mode": "compact", "default_report_path": "./reports/audit.jsonl"}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env, cwd=tmp_path)
    # then one flat object of strings without per-account records
    assert run.returncode == 0, run.stderr
    output = run.json()
    assert sorted(output) == [
        "digest",
        "not_audited",
        "report_path",
        "result_mode",
        "root_credential_kinds",
        "scp_lint",
        "summary",
        "with_root_credentials",
    ]
    assert all(isinstance(value, str) for value in output.values())
    assert output["result_mode"] == "compact"
    assert output["report_path"] == "./reports/audit.jsonl"
    assert json.loads(output["with_root_credentials"]) == ["222222222222", "666666666666"]
    assert sorted(json.loads(output["not_audited"])) == [
        "111111111111",
        "555555555555",
        "777777777777",
        "888888888888",
    ]
    # and the report, relative to the working directory, holds every account, sorted,
    # one JSON object a line; the digest is its SHA-256
    report = (tmp_path / "reports" / "audit.jsonl").read_bytes()
    records = [json.loads(line) for line in report.decode().splitlines()]
    assert [r["account_id"] for r in records] == sorted(r["account_id"] for r in records)
    assert len(records) == 8
    assert output["digest"] == hashlib.sha256(report).hexdigest()
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["audit.jsonl"]  # no temp


def test_full_result_holds_the_records_and_writes_no_report_unless_asked(
    run_script, simulator_server: SimulatorServer, tmp_path: Path
):
    # given an auto query over 8 accounts (full), with the default report path set
    query = {**ALL, "default_report_path": "audit.jsonl"}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env, cwd=tmp_path)
    # then
    assert run.returncode == 0, run.stderr
    output = run.json()
    assert output["result_mode"] == "full"
    assert output["report_path"] == ""
    assert not (tmp_path / "audit.jsonl").exists()
    accounts = json.loads(output["accounts"])
    lines = b"".join(
        json.dumps(accounts[key], sort_keys=True, separators=(",", ":")).encode() + b"\n"
        for key in sorted(accounts)
    )
    assert output["digest"] == hashlib.sha256(lines).hexdigest()


def test_a_report_that_cannot_be_written_is_one_stderr_line(
    run_script, simulator_server: SimulatorServer, tmp_path: Path
):
    # given a report path below a regular file
    (tmp_path / "file").write_text("")
    query = {**ALL, "result_mode": "compact", "report_path": str(tmp_path / "file" / "a.jsonl")}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env)
    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (
        f"root-access: cannot write the audit report '{tmp_path}/file/a.jsonl' (File "
        f"exists: {tmp_path}/file): set report_path to a writable file\n"
    )
    # and that was found before any account was audited
    assert [c for c in simulator_server.calls() if c.action == "AssumeRoot"] == []


def test_compact_result_without_any_report_path_is_refused(
    run_script, simulator_server: SimulatorServer
):
    # given a compact query that names no report file
    query = {**ALL, "result_mode": "compact"}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env)
    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (
        "root-access: a compact result needs a report file: set report_path (the module "
        "sets default_report_path to path.root/root-credentials-audit.jsonl)\n"
    )
