"""The evidence journal: one JSON Lines record per change, flushed as it happens.

A killed run keeps every record written before it died; ``completed_accounts(path)``
tells a resumed run which accounts are finished. Records never hold secrets: no
credentials, passwords or session tokens, only ids, outcomes and (for unlocks) the
policy removed.

Record shapes (every record has ``time`` in UTC ISO 8601, ``record``, ``caller``,
``account_id``, ``task_policy_arn``):

- ``{"record": "change", "action": "DeleteAccessKey", "credential_kind": "access_key",
  "credential_id": "AKIA…", "outcome": "deleted", "detail": "", "dry_run": false,
  "policy": null}``
- ``{"record": "account", "outcome": "deleted", "detail": "", "dry_run": false}``: the
  account finished (written after its changes).
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from root_access.outcomes import Outcome

__all__ = ["Journal", "completed_accounts", "utc_now"]


def utc_now() -> str:
    """The current time as UTC ISO 8601 with seconds (``2026-01-31T12:00:00Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Journal:
    """Append-only evidence journal at ``path`` (JSON Lines, UTF-8), thread-safe.

    Opened (created) in append mode at once, so an unwritable path raises ``OSError``
    here, before any change, and a resumed run adds to the same file. Use as a context
    manager or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._file: IO[str] | None = self.path.open("a", encoding="utf-8")

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, sort_keys=True, separators=(",", ":"))
        with self._lock:
            if self._file is None:
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(line + "\n")
            self._file.flush()

    def change(
        self,
        *,
        caller: str,
        account_id: str,
        task_policy_arn: str,
        action: str,
        credential_kind: str,
        credential_id: str,
        outcome: Outcome,
        detail: str = "",
        dry_run: bool = False,
        policy: str | None = None,
    ) -> None:
        """Append one change (or planned change under ``dry_run``) and flush it."""
        self._write(
            {
                "time": utc_now(),
                "record": "change",
                "caller": caller,
                "account_id": account_id,
                "task_policy_arn": task_policy_arn,
                "action": action,
                "credential_kind": credential_kind,
                "credential_id": credential_id,
                "outcome": outcome.value,
                "detail": detail,
                "dry_run": dry_run,
                "policy": policy,
            }
        )

    def account(
        self,
        *,
        caller: str,
        account_id: str,
        task_policy_arn: str,
        outcome: Outcome,
        detail: str = "",
        dry_run: bool = False,
    ) -> None:
        """Append the end of one account's work and flush it."""
        self._write(
            {
                "time": utc_now(),
                "record": "account",
                "caller": caller,
                "account_id": account_id,
                "task_policy_arn": task_policy_arn,
                "outcome": outcome.value,
                "detail": detail,
                "dry_run": dry_run,
            }
        )

    def close(self) -> None:
        """Close the file (records are already flushed)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def completed_accounts(
    path: str | os.PathLike[str], *, task_policy_arn: str | None = None
) -> frozenset[str]:
    """Account ids the journal at ``path`` records as finished well (not dry runs).

    An account counts when its last ``account`` record (for ``task_policy_arn``, when
    given) has a non-failure outcome. A missing file gives an empty set; a torn last
    line (a run killed mid-write) is ignored.
    """
    journal = Path(path)
    if not journal.exists():
        return frozenset()
    last: dict[str, bool] = {}
    with journal.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict) or record.get("record") != "account":
                continue
            if record.get("dry_run"):
                continue
            if task_policy_arn is not None and record.get("task_policy_arn") != task_policy_arn:
                continue
            try:
                outcome = Outcome(record.get("outcome"))
            except ValueError:
                continue
            last[str(record.get("account_id"))] = not outcome.failed
    return frozenset(a for a, ok in last.items() if ok)
