#!/usr/bin/env python3
"""Terraform ``local-exec`` program: delete the root credentials of the selected accounts.

Input: only the environment variable ``ROOT_ACCESS_REQUEST``, one JSON object:
``{"accounts": [...], "organizational_units": [...], "exclude_accounts": [...],
"exclude_organizational_units": [...], "all": false, "dry_run": false,
"delete_virtual_mfa": true, "skip_scp_blocked": false, "detail": "summary" | "full",
"evidence_path":
"evidence.jsonl" | null, "max_workers": 8, "region": "eu-west-1" | null, "profile":
null}``. Nothing comes from argv or a shell string.

Output: one line per account on stderr (id, outcome, detail) and, on stdout, one JSON
object ``{"summary": {...}, "failed_accounts": [...], "resume": {"request": "<sha256>",
"resumed": false, "skipped_accounts": 0}}`` (ids, outcomes, counts: no secret).

Evidence and resume: with ``evidence_path`` the engine appends its evidence journal
(JSON lines) there, between a ``run`` start and end record keyed by the request's digest
(:func:`root_access.request_digest` of every key but ``max_workers`` and
``evidence_path``, which change neither what is done nor where it is recorded). When the
journal's last run had the same request and failed or was killed (a tainted removal
applied again), this run resumes: it leaves out the accounts recorded as done since that
request started afresh, and says on stderr and in ``resume`` how many it skipped. A
changed request, or the same one after a clean run (``terraform apply -replace``),
starts afresh. Without ``evidence_path`` every run starts afresh.

Exit 0 when every account ended well (``deleted``, ``already_absent``,
``no_root_credentials``, ``would_delete``, skipped), 1 when any account failed
(``blocked_by_scp``, also an account ``skip_scp_blocked`` left untried because an SCP
would block it, ``access_denied``, ``throttled``, ``error``): the terraform_data
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
from typing import TYPE_CHECKING

import _entry

if TYPE_CHECKING:
    from root_access import AccountResult

__all__ = ["REQUEST_KEY_IGNORED", "main"]

REQUEST_KEY_IGNORED = ("max_workers", "evidence_path")
"""Request keys left out of the resume digest: they change neither which accounts are
worked on and how, nor (evidence_path) the journal a resume reads."""


def main() -> int:
    """Read the request, delete, report; return the exit code."""
    with _entry.stdout_reserved() as stdout:
        _entry.engine()  # the installed package, else ../src
        from root_access import (
            Journal,
            RootTask,
            completed_accounts,
            delete_credentials,
            request_digest,
            rules,
            should_resume,
            summarize,
        )
        from root_access.audit import DEFAULT_DETAIL, validate_detail

        request = _entry.read_environment_request()
        selection = _entry.selection_from(request)
        session = _entry.session_from(request)
        dry_run = _entry.boolean(request, "dry_run")
        evidence_path = _entry.text(request, "evidence_path")
        digest = request_digest({k: v for k, v in request.items() if k not in REQUEST_KEY_IGNORED})
        # Absent: the engine's default (summary); the engine validates the value.
        detail = _entry.text(request, "detail")
        failed: list[str] = []
        resumed = False
        skipped = 0

        def streamed(journal: Journal | None) -> Iterator[AccountResult]:
            # Stream: keep only the failed ids and the counters, not the results.
            for result in delete_credentials(
                session,
                selection=selection,
                dry_run=dry_run,
                delete_virtual_mfa=_entry.boolean(request, "delete_virtual_mfa", True),
                skip_scp_blocked=_entry.boolean(request, "skip_scp_blocked"),
                journal=journal,
                resume=resumed,
                region=_entry.text(request, "region"),
                max_workers=_entry.integer(request, "max_workers", rules.MAX_WORKERS.default),
                detail=validate_detail(detail or DEFAULT_DETAIL),
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
                resumed = not dry_run and should_resume(evidence_path, request=digest)
                if resumed:
                    skipped = len(
                        completed_accounts(evidence_path, task=RootTask.DELETE_CREDENTIALS.value)
                    )
                journal = stack.enter_context(Journal(evidence_path))
                journal.run_started(request=digest, resumed=resumed, skipped=skipped)
                if resumed:
                    _entry.LOG.warning(
                        "resuming the failed run of this request: skipping %d account(s) "
                        "%s records as done",
                        skipped,
                        evidence_path,
                    )
            summary = summarize(streamed(journal))
            if journal is not None:
                journal.run_ended(request=digest, total=summary.total, failed=summary.failed)
        failed.sort()
        result = {
            "summary": summary.to_dict(),
            "failed_accounts": failed,
            "resume": {"request": digest, "resumed": resumed, "skipped_accounts": skipped},
        }
        stdout.write(json.dumps(result))
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
