#!/usr/bin/env python3
"""Terraform ``local-exec`` program: one privileged root task, or enabling trusted access.

Input: only the environment variable ``ROOT_ACCESS_REQUEST``, one JSON object with
``task`` and its arguments (never argv or a shell string):

- ``{"task": "enable-trusted-access"}``: ``organizations:EnableAWSServiceAccess`` for
  ``iam.amazonaws.com`` (management account; idempotent);
- ``{"task": "allow-password-recovery", "account_id": "222222222222"}``:
  ``IAMCreateRootUserPassword`` (outcome ``recovery_enabled``);
- ``{"task": "unlock-s3-bucket-policy", "account_id": ..., "buckets": [...]}``:
  ``S3UnlockBucketPolicy``;
- ``{"task": "unlock-sqs-queue-policy", "account_id": ..., "queue_urls": [...]}``:
  ``SQSUnlockQueuePolicy``.

Common keys: ``request_id`` (logged), ``dry_run``, ``evidence_path`` (the engine appends
its journal, JSON lines, there; removed policies are kept as evidence), ``region``,
``profile``. Output: logs on stderr; one JSON object on stdout (the result shape of the
engine, ids and outcomes only). Exit 0 done, 1 the account or a resource failed (the
resource is tainted; the next apply retries), 2 usage or setup error (one stderr line).
Source: IAM User Guide, id_root-user-privileged-task.html.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _entry

if TYPE_CHECKING:
    from root_access import Journal

__all__ = ["TASKS", "main"]

TASKS = (
    "enable-trusted-access",
    "allow-password-recovery",
    "unlock-s3-bucket-policy",
    "unlock-sqs-queue-policy",
)


def _account_id(request: dict[str, Any]) -> str:
    account_id = _entry.text(request, "account_id")
    if account_id is None:
        raise _entry.SetupError(f"task {request['task']} needs account_id (a 12-digit string)")
    return account_id


def _run_task(request: dict[str, Any], journal: Journal | None) -> tuple[dict[str, Any], bool]:
    """Run the task; return (JSON-able result, failed)."""
    _entry.engine()  # the installed package, else ../src
    from root_access import (
        Selection,
        allow_password_recovery,
        enable,
        unlock_s3_bucket_policy,
        unlock_sqs_queue_policy,
    )

    task = request.get("task")
    session = _entry.session_from(request)
    region = _entry.text(request, "region")
    dry_run = _entry.boolean(request, "dry_run")
    if task == "enable-trusted-access":
        enabled = enable(session, trusted_access=True, features=(), region=region)
        return enabled.to_dict(), not enabled.trusted_access
    if task == "allow-password-recovery":
        selection = Selection(accounts=(_account_id(request),)).validate()
        results = list(
            allow_password_recovery(
                session, selection=selection, dry_run=dry_run, journal=journal, region=region
            )
        )
        failed = any(result.failed for result in results)
        return {"results": [result.to_dict() for result in results]}, failed
    if task == "unlock-s3-bucket-policy":
        result = unlock_s3_bucket_policy(
            session,
            account_id=_account_id(request),
            buckets=_entry.id_list(request, "buckets"),
            dry_run=dry_run,
            journal=journal,
            region=region,
        )
        return {"results": [result.to_dict()]}, result.failed
    if task == "unlock-sqs-queue-policy":
        result = unlock_sqs_queue_policy(
            session,
            account_id=_account_id(request),
            queue_urls=_entry.id_list(request, "queue_urls"),
            dry_run=dry_run,
            journal=journal,
            region=region,
        )
        return {"results": [result.to_dict()]}, result.failed
    raise _entry.SetupError(f"unknown task {task!r}: expected one of {', '.join(TASKS)}")


def main() -> int:
    """Read the request, run the task, report; return the exit code."""
    with _entry.stdout_reserved() as stdout:
        package = _entry.engine()
        request = _entry.read_environment_request()
        request_id = _entry.text(request, "request_id") or "-"
        evidence_path = _entry.text(request, "evidence_path")
        with ExitStack() as stack:
            journal = None
            if evidence_path is not None:
                Path(evidence_path).parent.mkdir(parents=True, exist_ok=True)
                journal = stack.enter_context(package.Journal(evidence_path))
            output, failed = _run_task(request, journal)
        output = {"request_id": request_id, "task": request.get("task"), **output}
        for result in output.get("results", []):
            _entry.LOG.info(
                "request %s: %s %s %s",
                request_id,
                result["account_id"],
                result["outcome"],
                result["detail"],
            )
        stdout.write(json.dumps(output, sort_keys=True))
        stdout.write("\n")
        if failed:
            _entry.LOG.error("request %s failed; the next terraform apply retries it", request_id)
        return _entry.EXIT_FAILED if failed else _entry.EXIT_OK


if __name__ == "__main__":
    sys.exit(_entry.run(main))
