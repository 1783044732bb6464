"""Interruptions (issue 11 item 3): SIGINT and SIGTERM sent to a real `root-access`
process against the simulator server leave stdout parseable (a closed JSON document,
whole CSV and markdown rows), exit 130 / 143, and a hint that fits the verb and names
the journal that was given; plus the signal holding of root_access.cli.signals itself."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from root_access.cli.render import CSV_FIELDS
from root_access.cli.signals import Interrupted, held, interruptions, released
from root_access.simulator.server import SimulatorServer

from .processes import script, server_env, wait_until

AUDIT_OUTCOMES = {
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

DELETE_OUTCOMES = {
    **AUDIT_OUTCOMES,
    "222222222222": "deleted",
    "333333333333": "already_absent",
    "444444444444": "already_absent",
    "666666666666": "deleted",
}
"""delete-credentials outcome of every account of the default scenario."""

RECOVERY_OUTCOMES = {
    **AUDIT_OUTCOMES,
    "222222222222": "recovery_enabled",
    "333333333333": "recovery_enabled",
    "444444444444": "recovery_enabled",
    "666666666666": "recovery_enabled",
}
"""allow-password-recovery outcome of every account of the default scenario."""


def _assumed(server: SimulatorServer) -> int:
    return sum(1 for c in server.calls() if c.action == "AssumeRoot")


def _interrupt(
    server: SimulatorServer, tmp_path: Path, signum: int, *argv: str
) -> tuple[int, str, str]:
    """Run `root-access *argv` one account at a time on a slow simulator; send ``signum``
    once the second root session was asked for (the first audited account is done)."""
    server.set_faults({"latency_ms": 150})
    server.clear_calls()
    child = subprocess.Popen(
        [script(), *argv, "--max-workers", "1"],
        env=server_env(server, tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: _assumed(server) >= 2, child)
        child.send_signal(signum)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    server.set_faults({})
    return child.returncode, out, err


@pytest.mark.server
def test_sigint_closes_the_json_document_with_the_results_so_far(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given a slow audit of the whole organization writing JSON to a pipe
    # when Ctrl-C (SIGINT) reaches it part-way
    code, out, err = _interrupt(
        simulator_server, tmp_path, signal.SIGINT, "audit", "--all", "--format", "json"
    )
    # then stdout is one valid JSON document: the accounts done so far, marked interrupted
    document = json.loads(out)
    reported = {r["account_id"]: r["outcome"] for r in document["results"]}
    assert code == 130
    assert (document["interrupted"], document["signal"]) == (True, "SIGINT")
    assert 1 <= len(reported) < len(AUDIT_OUTCOMES)
    assert len(reported) == len(document["results"])
    assert reported == {a: AUDIT_OUTCOMES[a] for a in reported}
    assert document["summary"]["total"] == len(reported)
    assert document["summary"]["exit_code"] == 130
    assert err == (
        "\nroot-access: interrupted by SIGINT: results are incomplete; rerun `root-access "
        "audit` to finish (rerunning is safe)\n"
    )


@pytest.mark.server
def test_sigterm_leaves_whole_csv_rows_and_names_the_journal_to_resume(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given a slow delete over the whole organization with an evidence journal
    journal = tmp_path / "evidence.jsonl"
    # when SIGTERM reaches it part-way
    code, out, err = _interrupt(
        simulator_server,
        tmp_path,
        signal.SIGTERM,
        "delete-credentials",
        "--all",
        "--yes",
        "--journal",
        str(journal),
        "--format",
        "csv",
    )
    # then every CSV line is a whole row, the hint names the journal, and resuming with
    # it finishes the job
    lines = out.splitlines(keepends=True)
    rows = list(csv.DictReader(io.StringIO(out)))
    done = {r["account_id"]: r["outcome"] for r in rows}
    assert code == 143
    assert out.endswith("\n")
    assert lines[0] == ",".join(CSV_FIELDS) + "\n"
    assert all(len(row) == len(CSV_FIELDS) and None not in row for row in rows)
    assert 1 <= len(rows) < len(DELETE_OUTCOMES)
    assert done == {a: DELETE_OUTCOMES[a] for a in done}
    assert err == (
        f"\nroot-access: interrupted by SIGTERM: results are incomplete; rerun with --resume "
        f"{journal} and the same targeting to finish only what is left\n"
    )
    resumed = subprocess.run(
        [script(), "delete-credentials", "--all", "--yes", "--resume", str(journal)],
        env=server_env(simulator_server, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    finished = {r["account_id"]: r["outcome"] for r in json.loads(resumed.stdout)["results"]}
    assert resumed.returncode == 1  # 555555555555 stays blocked by its SCP
    assert set(finished) & {a for a, o in done.items() if o == "deleted"} == set()
    for account in ("222222222222", "666666666666"):
        left = simulator_server.root_user(account)
        assert (left["password"], left["access_keys"]) == (False, [])


@pytest.mark.server
def test_sigint_leaves_whole_markdown_rows_and_a_closing_line(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given a slow password-recovery run over the organization, no journal, markdown
    # when Ctrl-C reaches it part-way
    code, out, err = _interrupt(
        simulator_server,
        tmp_path,
        signal.SIGINT,
        "allow-password-recovery",
        "--all",
        "--yes",
        "--format",
        "markdown",
    )
    # then each table line is a whole row, followed by the summary and the interruption
    table, summary, closing = out.split("\n\n")
    rows = table.splitlines()[2:]
    done = {row.split(" | ")[0].removeprefix("| "): row.split(" | ")[3] for row in rows}
    assert code == 130
    assert table.splitlines()[1] == "|---|---|---|---|---|---|"
    assert all(row.startswith("| ") and row.endswith(" |") for row in rows)
    assert 1 <= len(rows) < len(RECOVERY_OUTCOMES)
    assert done == {a: RECOVERY_OUTCOMES[a] for a in done}
    assert summary.startswith(f"**Summary:** {len(rows)} account")
    assert closing == (
        "**Interrupted** by SIGINT: results so far only; accounts in progress or not started "
        "are not listed\n"
    )
    assert err == (
        "\nroot-access: interrupted by SIGINT: results are incomplete; rerun `root-access "
        "allow-password-recovery` with the same targeting to finish (rerunning is safe); "
        "with --journal FILE a later run can --resume only what is left\n"
    )


def _write_while_signalled(order: list[str]) -> None:
    with interruptions():
        with held():
            os.kill(os.getpid(), signal.SIGTERM)
            order.append("write finished")
        order.append("not reached")


def test_a_signal_is_held_during_a_write_and_delivered_when_it_ends() -> None:
    # given the handlers installed and a write in progress
    order: list[str] = []
    # when SIGTERM comes during the write
    with pytest.raises(Interrupted) as stopped:
        _write_while_signalled(order)
    # then the write finished first and the run stopped with SIGTERM's code
    assert order == ["write finished"]
    assert (stopped.value.name, stopped.value.exit_code) == ("SIGTERM", 143)


def _wait_after_a_held_signal(reached: list[str]) -> None:
    with interruptions(), held():
        os.kill(os.getpid(), signal.SIGINT)
        reached.append("held")
        with released():
            reached.append("not reached")


def test_a_held_signal_lands_as_soon_as_the_engine_is_waited_on() -> None:
    # given a signal that came while held
    reached: list[str] = []
    # when the engine is waited on next
    with pytest.raises(Interrupted) as stopped:
        _wait_after_a_held_signal(reached)
    # then it is delivered on entering the released block
    assert reached == ["held"]
    assert (stopped.value.name, stopped.value.exit_code) == ("SIGINT", 130)


def test_the_previous_handlers_come_back() -> None:
    # given the default handlers
    before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    # when a command ran inside interruptions()
    with interruptions():
        during = signal.getsignal(signal.SIGINT)
    # then they are restored
    assert during not in before
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
