#!/usr/bin/env python3
"""Terraform ``data "external"`` program: read-only audit of member accounts' root users.

stdin (one JSON object of strings, the data source's ``query``):
  ``accounts``, ``organizational_units``, ``exclude_accounts``,
  ``exclude_organizational_units`` (JSON-encoded lists of ids), ``all`` (``"true"`` /
  ``"false"``), ``max_workers`` (decimal), ``region``, ``profile`` (optional),
  ``detail`` (``"summary"``, the default: ``GetAccountSummary`` first and detail reads
  only for the kinds it flags; ``"full"``: every read) and ``scope_only`` (``"true"``:
  list the selected accounts only, no AssumeRoot).

stdout (exactly one flat JSON object of strings):
  audit: ``accounts`` (JSON object: account id -> ``AccountResult.to_dict()``),
  ``with_root_credentials`` (JSON list of ids, sorted), ``summary`` (JSON object:
  outcome -> count, plus ``total``);
  scope: ``account_ids`` (JSON list of ids, sorted).

Exit 0 even when some accounts failed (their outcome says so); exit 2 with one stderr
line on a usage or setup error (bad selection, wrong caller, feature off, no
credentials). Logs go to stderr. Only reads: it runs on every plan (field cases
EXT-STRINGS-ONLY, EXT-STDOUT, EXT-RUNS-ON-PLAN). AWS calls: Organizations listing,
``sts:AssumeRoot`` with ``IAMAuditRootUserCredentials`` and the audit IAM reads
(IAM User Guide, id_root-user-privileged-task.html).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import _entry

__all__ = ["main"]


def _scope(request: dict[str, Any]) -> dict[str, str]:
    """The accounts the selection resolves to (Organizations reads only)."""
    package = _entry.engine()
    selection = _entry.selection_from(request)
    session = _entry.session_from(request)
    ids = sorted(
        target.account_id
        for target in package.resolve_targets(
            session, selection=selection, region=_entry.text(request, "region")
        )
    )
    return {"account_ids": json.dumps(ids)}


def _audit(request: dict[str, Any]) -> dict[str, str]:
    package = _entry.engine()
    selection = _entry.selection_from(request)
    session = _entry.session_from(request)
    accounts: dict[str, Any] = {}
    with_credentials: list[str] = []
    detail = _entry.text(request, "detail")
    # Absent: the engine's default (summary); the engine validates the value.
    options = {"detail": detail} if detail is not None else {}

    def streamed() -> Iterator[Any]:
        # Keep only the JSON shapes the output needs, not the result objects.
        for result in package.audit(
            session,
            selection=selection,
            region=_entry.text(request, "region"),
            max_workers=_entry.integer(request, "max_workers", 8),
            **options,
        ):
            accounts[result.account_id] = result.to_dict()
            if result.has_root_credentials:
                with_credentials.append(result.account_id)
            _entry.LOG.info("%s %s %s", result.account_id, result.outcome.value, result.detail)
            yield result

    summary = package.summarize(streamed())
    counts = {**dict(summary.counts), "total": summary.total}
    return {
        "accounts": json.dumps(accounts, sort_keys=True, separators=(",", ":")),
        "with_root_credentials": json.dumps(sorted(with_credentials)),
        "summary": json.dumps(counts, sort_keys=True),
    }


def main() -> int:
    """Read the query, audit (or list the scope), print one flat JSON object of strings."""
    with _entry.stdout_reserved() as stdout:
        request = _entry.read_stdin_query()
        output = _scope(request) if _entry.boolean(request, "scope_only") else _audit(request)
        stdout.write(json.dumps(output, separators=(",", ":")))
        stdout.write("\n")
    return _entry.EXIT_OK


if __name__ == "__main__":
    sys.exit(_entry.run(main))
