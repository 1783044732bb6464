"""The evidence journal: JSON Lines flushed per record; completed accounts for resume."""

from __future__ import annotations

import json
import re
from pathlib import Path

from root_access import Journal, Outcome, completed_accounts

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
