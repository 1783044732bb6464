#!/usr/bin/env python3
"""Terraform ``local-exec`` program: delete the root credentials of the selected accounts.

Input: only the environment variable ``ROOT_ACCESS_REQUEST``, one JSON object:
``{"accounts": [...], "organizational_units": [...], "exclude_accounts": [...],
"exclude_organizational_units": [...], "all": false, "dry_run": false,
"delete_virtual_mfa": true, "evidence_path": "evidence.jsonl" | null,
"max_workers": 8, "region": "eu-west-1" | null, "profile": null}``. Nothing comes from
argv or a shell string.

Output: one line per account on stderr (id, outcome, detail) and, on stdout, one JSON
object ``{"summary": {...}, "failed_accounts": [...]}`` (ids, outcomes, counts: no secret).
With ``evidence_path`` the engine appends its evidence journal (JSON lines) there.

Exit 0 when every account ended well (``deleted``, ``already_absent``,
``no_root_credentials``, ``would_delete``, skipped), 1 when any account failed
(``blocked_by_scp``, ``access_denied``, ``throttled``, ``error``): the terraform_data
resource is tainted and the next apply runs again (deletion is idempotent); 2 with one
stderr line on a usage or setup error. AWS calls: ``sts:AssumeRoot`` with
``IAMDeleteRootUserCredentials`` then the delete sequence of the IAM User Guide
(id_root-user-privileged-task.html).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import _entry

__all__ = ["main"]


def main() -> int:
    """Read the request, delete, report; return the exit code."""
    with _entry.stdout_reserved() as stdout:
        package = _entry.engine()
        request = _entry.read_environment_request()
        selection = _entry.selection_from(request)
        session = _entry.session_from(request)
        dry_run = _entry.boolean(request, "dry_run")
        evidence_path = _entry.text(request, "evidence_path")
        failed: list[str] = []

        def streamed(journal: Any) -> Iterator[Any]:
            # Stream: keep only the failed ids and the counters, not the results.
            for result in package.delete_credentials(
                session,
                selection=selection,
                dry_run=dry_run,
                delete_virtual_mfa=_entry.boolean(request, "delete_virtual_mfa", True),
                journal=journal,
                region=_entry.text(request, "region"),
                max_workers=_entry.integer(request, "max_workers", 8),
            ):
                if result.failed:
                    failed.append(result.account_id)
                _entry.LOG.info(
                    "%s %s%s %s",
                    result.account_id,
                    result.outcome.value,
                    " (dry run)" if dry_run else "",
                    result.detail,
                )
                yield result

        with ExitStack() as stack:
            journal = None
            if evidence_path is not None:
                Path(evidence_path).parent.mkdir(parents=True, exist_ok=True)
                journal = stack.enter_context(package.Journal(evidence_path))
            summary = package.summarize(streamed(journal))
        failed.sort()
        stdout.write(json.dumps({"summary": summary.to_dict(), "failed_accounts": failed}))
        stdout.write("\n")
        if failed:
            _entry.LOG.error(
                "%d account(s) failed: %s; the next terraform apply retries them",
                len(failed),
                " ".join(failed),
            )
        return _entry.EXIT_FAILED if summary.exit_code else _entry.EXIT_OK


if __name__ == "__main__":
    sys.exit(_entry.run(main))
