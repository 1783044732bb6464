"""The evidence journal: JSON Lines flushed per record; completed accounts for resume."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from root_access import (
    Journal,
    Outcome,
    Selection,
    audit,
    completed_accounts,
    delete_credentials,
    request_digest,
    should_resume,
    summarize,
)
from root_access.simulator import SimulatorServer

CALLER = "arn:aws:iam::111111111111:user/pipeline"
DELETE = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"


def test_each_change_is_on_disk_before_close(tmp_path: Path) -> None:
    # given
    path = tmp_path / "evidence.jsonl"
    journal = Journal(path)
    # when
    journal.change(
        caller=CALLER,
        account_id="222222222222",
        task_policy_arn=DELETE,
        action="DeleteAccessKey",
        credential_kind="access_key",
        credential_id="AKIAEXAMPLE",
        outcome=Outcome.DELETED,
    )
    # then the record can be read back while the journal is still open
    records = [json.loads(line) for line in path.read_text().splitlines()]
    journal.close()
    assert len(records) == 1
    record = records[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record.pop("time"))
    assert record == {
        "record": "change",
        "caller": CALLER,
        "account_id": "222222222222",
        "task_policy_arn": DELETE,
        "action": "DeleteAccessKey",
        "credential_kind": "access_key",
        "credential_id": "AKIAEXAMPLE",
        "outcome": "deleted",
        "detail": "",
        "dry_run": False,
        "policy": None,
    }


def test_completed_accounts_are_the_last_non_failed_account_records(tmp_path: Path) -> None:
    # given
    path = tmp_path / "evidence.jsonl"
    with Journal(path) as journal:
        for account_id, outcome, dry_run in [
            ("222222222222", Outcome.DELETED, False),
            ("444444444444", Outcome.THROTTLED, False),
            ("555555555555", Outcome.THROTTLED, False),
            ("555555555555", Outcome.ALREADY_ABSENT, False),
            ("666666666666", Outcome.WOULD_DELETE, True),
        ]:
            journal.account(
                caller=CALLER,
                account_id=account_id,
                task_policy_arn=DELETE,
                outcome=outcome,
                dry_run=dry_run,
            )
    # when
    done = completed_accounts(path, task_policy_arn=DELETE)
    # then
    assert done == frozenset({"222222222222", "555555555555"})


def test_completed_accounts_ignore_other_tasks_and_a_torn_last_line(tmp_path: Path) -> None:
    # given a journal whose run was killed in the middle of a write
    path = tmp_path / "evidence.jsonl"
    with Journal(path) as journal:
        journal.account(
            caller=CALLER,
            account_id="222222222222",
            task_policy_arn="arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
            outcome=Outcome.RECOVERY_ENABLED,
        )
        journal.account(
            caller=CALLER,
            account_id="777777777777",
            task_policy_arn=DELETE,
            outcome=Outcome.DELETED,
        )
    with path.open("a") as torn:
        torn.write('{"record": "account", "account_id": "8888')
    # when
    done = completed_accounts(path, task_policy_arn=DELETE)
    # then
    assert done == frozenset({"777777777777"})


def test_missing_journal_means_nothing_completed(tmp_path: Path) -> None:
    # given / when / then
    assert completed_accounts(tmp_path / "absent.jsonl") == frozenset()


KILLED_RUN = """
import sys
import boto3
import root_access as ra

with ra.Journal(sys.argv[1]) as journal:
    for result in ra.delete_credentials(
        boto3.Session(), selection=ra.Selection(all=True), journal=journal, max_workers=1
    ):
        pass
"""


@pytest.mark.server
def test_a_run_killed_mid_sweep_keeps_its_evidence_and_resume_finishes(
    simulator_server: SimulatorServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given a slow organization being cleaned by a child process
    simulator_server.set_faults({"latency_ms": 40})
    path = tmp_path / "evidence.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(path)],
        env={**os.environ, **simulator_server.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # when it is killed with SIGKILL right after its first change reached the journal
    try:
        while child.poll() is None and '"record":"change"' not in (
            path.read_text() if path.exists() else ""
        ):
            select.select([], [], [], 0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    written = path.read_text()
    finished_before = completed_accounts(path)
    simulator_server.set_faults({})
    for name, value in simulator_server.env.items():
        monkeypatch.setenv(name, value)
    with Journal(path) as journal:
        resumed = list(
            delete_credentials(
                boto3.Session(), selection=Selection(all=True), journal=journal, resume=True
            )
        )
    left = {
        r.account_id
        for r in audit(boto3.Session(), selection=Selection(all=True))
        if r.has_root_credentials or r.outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    }
    # then the run died mid-sweep, the evidence written before the kill is intact,
    # the resumed run redid only unfinished accounts, and no credential is left
    records = [json.loads(line) for line in written.splitlines() if line.endswith("}")]
    assert child.returncode == -signal.SIGKILL
    assert [r["action"] for r in records if r["record"] == "change"][:1] in (
        ["DeleteLoginProfile"],
        ["DeleteAccessKey"],
    )
    assert {"222222222222", "666666666666"} - finished_before != set()
    assert {r.account_id for r in resumed} & finished_before == set()
    assert left == set()
    assert summarize(resumed).counts.get("blocked_by_scp") == 1


def test_an_unwritable_journal_fails_when_opened_before_any_change(tmp_path: Path) -> None:
    # given a directory that does not exist
    path = tmp_path / "missing" / "evidence.jsonl"
    # when / then
    with pytest.raises(FileNotFoundError):
        Journal(path)


def _account(journal: Journal, account_id: str, outcome: Outcome) -> None:
    journal.account(caller=CALLER, account_id=account_id, task_policy_arn=DELETE, outcome=outcome)


def test_request_digest_ignores_key_order() -> None:
    # given / when / then
    assert request_digest({"a": 1, "b": [1, 2]}) == request_digest({"b": [1, 2], "a": 1})
    assert request_digest({"a": 1}) != request_digest({"a": 2})
    assert len(request_digest({})) == 64


def test_a_failed_or_killed_run_resumes_only_with_the_same_request(tmp_path: Path) -> None:
    # given a journal whose last run (request A) failed on 333333333333
    path = tmp_path / "evidence.jsonl"
    with Journal(path) as journal:
        journal.run_started(request="A", resumed=False, skipped=0)
        _account(journal, "222222222222", Outcome.DELETED)
        _account(journal, "333333333333", Outcome.BLOCKED_BY_SCP)
        journal.run_ended(request="A", total=2, failed=1)
    # then
    assert should_resume(path, request="A") is True
    assert should_resume(path, request="B") is False
    assert completed_accounts(path, task="IAMDeleteRootUserCredentials") == {"222222222222"}
    # when the resumed run is killed before its end record
    with Journal(path) as journal:
        journal.run_started(request="A", resumed=True, skipped=1)
        _account(journal, "444444444444", Outcome.ALREADY_ABSENT)
    # then it resumes again, with everything done since A started afresh
    assert should_resume(path, request="A") is True
    assert completed_accounts(path, task_policy_arn=DELETE) == {"222222222222", "444444444444"}


def test_a_clean_end_or_a_new_request_starts_afresh(tmp_path: Path) -> None:
    # given a clean run of A
    path = tmp_path / "evidence.jsonl"
    with Journal(path) as journal:
        journal.run_started(request="A", resumed=False, skipped=0)
        _account(journal, "222222222222", Outcome.DELETED)
        journal.run_ended(request="A", total=1, failed=0)
    # then the same request does not resume
    assert should_resume(path, request="A") is False
    # when a run of B starts afresh
    with Journal(path) as journal:
        journal.run_started(request="B", resumed=False, skipped=0)
    # then nothing written before it counts as done
    assert completed_accounts(path) == frozenset()
    assert should_resume(path, request="A") is False


def test_no_run_record_means_no_resume_and_every_account_record_counts(tmp_path: Path) -> None:
    # given a CLI journal (no run records)
    path = tmp_path / "evidence.jsonl"
    with Journal(path) as journal:
        _account(journal, "222222222222", Outcome.DELETED)
    # then
    assert should_resume(path, request="A") is False
    assert should_resume(tmp_path / "missing.jsonl", request="A") is False
    assert completed_accounts(path) == {"222222222222"}
