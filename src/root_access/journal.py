"""The evidence journal: one JSON Lines record per change, flushed as it happens.

A killed run keeps every record written before it died; ``completed_accounts(path)``
tells a resumed run which accounts are finished. Records never hold secrets: no
credentials, passwords or session tokens, only ids, outcomes and (for unlocks) the
policy removed.

Runs keyed by their request (the Terraform removal, ``scripts/delete.py``): a run
writes a ``run`` ``start`` record carrying :func:`request_digest` of its request and
whether it resumes, and a ``run`` ``end`` record with its failure count.
:func:`should_resume` tells the next run whether to resume: only when the journal's last run
had the same request and did not end clean (it failed or was killed). Once a journal
holds ``run`` records, :func:`completed_accounts` counts only the ``account`` records
written since the last run that started afresh, so a changed request, or the same
request after a clean run (e.g. ``terraform apply -replace``), starts afresh.

Record shapes (every record has ``time`` in UTC ISO 8601, ``record``, ``caller``,
``account_id``, ``task_policy_arn``):

- ``{"record": "change", "action": "DeleteAccessKey", "credential_kind": "access_key",
  "credential_id": "AKIA…", "outcome": "deleted", "detail": "", "dry_run": false,
  "policy": null}``
- ``{"record": "account", "outcome": "deleted", "detail": "", "dry_run": false}``: the
  account finished (written after its changes).
- ``{"record": "run", "event": "start", "request": "<sha256 hex>", "resumed": true,
  "skipped": 999}`` and ``{"record": "run", "event": "end", "request": "…", "total": 1,
  "failed": 0}``: one keyed run (these two carry only ``time`` besides).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from root_access.outcomes import Outcome

__all__ = ["Journal", "completed_accounts", "request_digest", "should_resume", "utc_now"]


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

    def run_started(self, *, request: str, resumed: bool, skipped: int) -> None:
        """Append the start of a run keyed by ``request`` (a :func:`request_digest`):
        ``resumed`` when it leaves out ``skipped`` accounts recorded as done."""
        self._write(
            {
                "time": utc_now(),
                "record": "run",
                "event": "start",
                "request": request,
                "resumed": resumed,
                "skipped": skipped,
            }
        )

    def run_ended(self, *, request: str, total: int, failed: int) -> None:
        """Append the end of a run keyed by ``request``: ``total`` accounts reported,
        ``failed`` of them with a failure outcome (0: the run ended clean)."""
        self._write(
            {
                "time": utc_now(),
                "record": "run",
                "event": "end",
                "request": request,
                "total": total,
                "failed": failed,
            }
        )

    def close(self) -> None:
        """Close the file (records are already flushed)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON object records of the journal at ``path`` (torn or foreign lines skipped)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


def request_digest(request: Mapping[str, Any]) -> str:
    """The SHA-256 hex digest of ``request`` as canonical JSON (sorted keys, no spaces):
    equal requests give equal digests whatever their key order."""
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def should_resume(path: str | os.PathLike[str], *, request: str) -> bool:
    """True when a run keyed by ``request`` should resume the journal at ``path``: its
    last ``run`` record belongs to ``request`` and is not a clean end (the run failed,
    or was killed before its end record). A missing file or no run record: False."""
    last: dict[str, Any] | None = None
    for record in _records(Path(path)):
        if record.get("record") == "run":
            last = record
    if last is None or last.get("request") != request:
        return False
    return not (last.get("event") == "end" and last.get("failed") == 0)


def completed_accounts(
    path: str | os.PathLike[str],
    *,
    task_policy_arn: str | None = None,
    task: str | None = None,
) -> frozenset[str]:
    """Account ids the journal at ``path`` records as finished well (not dry runs).

    An account counts when its last ``account`` record (for ``task_policy_arn``, when
    given; for task policies named ``task``, e.g. ``IAMDeleteRootUserCredentials``, in
    any partition, when given) has a non-failure outcome. When the journal holds
    ``run`` records, only ``account`` records written after the last run ``start`` that
    did not resume count. A missing file gives an empty set; a torn last line (a run
    killed mid-write) is ignored.
    """
    last: dict[str, bool] = {}
    for record in _records(Path(path)):
        kind = record.get("record")
        if kind == "run":
            if record.get("event") == "start" and not record.get("resumed"):
                last.clear()
            continue
        if kind != "account" or record.get("dry_run"):
            continue
        arn = str(record.get("task_policy_arn"))
        if task_policy_arn is not None and arn != task_policy_arn:
            continue
        if task is not None and not arn.endswith("/" + task):
            continue
        try:
            outcome = Outcome(record.get("outcome"))
        except ValueError:
            continue
        last[str(record.get("account_id"))] = not outcome.failed
    return frozenset(a for a, ok in last.items() if ok)
