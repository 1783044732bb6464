"""The ``csv`` format: one row per account, credential counts flattened (see
:data:`CSV_FIELDS`). Unknown is never zero: a count nobody could read is an empty cell."""

from __future__ import annotations

import csv
from typing import IO, Any

from root_access.outcomes import Outcome
from root_access.results import ROOT_CREDENTIAL_KINDS, AccountResult, Presence, Summary
from root_access.tasks import RootTask

__all__ = ["CSV_FIELDS", "CsvWriter", "csv_row", "safe_cell"]

_CREDENTIAL_OUTCOMES = (
    Outcome.DELETED,
    Outcome.ALREADY_ABSENT,
    Outcome.WOULD_DELETE,
)

CSV_FIELDS = (
    "account_id",
    "name",
    "state",
    "task",
    "outcome",
    "detail",
    "dry_run",
    "verified",
    "password",
    "access_keys",
    "active_access_keys",
    "signing_certificates",
    "mfa_devices",
    "virtual_mfa_devices",
    "bucket_policies",
    "queue_policies",
    "credentials_deleted",
    "credentials_already_absent",
    "credentials_would_delete",
    "credentials_failed",
    "iam_4",
    "iam_6",
    "iam_9",
)
"""The CSV header: one row per account, credential counts flattened.

``password`` .. ``queue_policies`` count the credentials reported (by kind); each is an
empty cell when unknown: ``password`` .. ``virtual_mfa_devices`` when the account was not
looked into (skipped, blocked, denied, throttled, error), the task does not read root
credentials, or ``GetAccountSummary`` says the kind is present but none was listed;
``bucket_policies`` / ``queue_policies`` except for an unlock that looked into the account.
``credentials_<outcome>`` count them by outcome (``credentials_failed``: any failure
outcome), empty for an account not looked into that lists no credential;
``iam_4`` / ``iam_6`` / ``iam_9`` hold the Security Hub control status (``passed`` |
``failed`` | ``not_applicable``, empty when not evaluated).
"""

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_CSV_KIND_COLUMNS = {
    "password": ("password",),
    "access_keys": ("access_keys", "active_access_keys"),
    "signing_certificates": ("signing_certificates",),
    "mfa_devices": ("mfa_devices", "virtual_mfa_devices"),
}
_CREDENTIAL_COUNT_COLUMNS = (
    "credentials_deleted",
    "credentials_already_absent",
    "credentials_would_delete",
    "credentials_failed",
)
_UNLOCK_TASKS = {
    RootTask.UNLOCK_S3_BUCKET_POLICY.value: "bucket_policies",
    RootTask.UNLOCK_SQS_QUEUE_POLICY.value: "queue_policies",
}


def csv_row(result: AccountResult) -> dict[str, Any]:
    """One account's CSV row (a dict keyed by :data:`CSV_FIELDS`)."""
    kinds: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    failed = active = virtual = 0
    for cred in result.credentials:
        kinds[cred.kind] = kinds.get(cred.kind, 0) + 1
        outcomes[cred.outcome.value] = outcomes.get(cred.outcome.value, 0) + 1
        failed += 1 if cred.outcome.failed else 0
        active += 1 if cred.kind == "access_key" and cred.status == "Active" else 0
        virtual += 1 if cred.kind == "mfa_device" and cred.mfa_kind == "virtual" else 0
    controls = {c.control: c.status for c in result.compliance}
    row: dict[str, Any] = {
        "account_id": result.account_id,
        "name": safe_cell(result.name or ""),
        "state": result.state or "",
        "task": result.task or "",
        "outcome": result.outcome.value,
        "detail": safe_cell(result.detail),
        "dry_run": "true" if result.dry_run else "false",
        "verified": "" if result.verified is None else str(result.verified).lower(),
        "password": kinds.get("password", 0),
        "access_keys": kinds.get("access_key", 0),
        "active_access_keys": active,
        "signing_certificates": kinds.get("signing_certificate", 0),
        "mfa_devices": kinds.get("mfa_device", 0),
        "virtual_mfa_devices": virtual,
        "bucket_policies": kinds.get("bucket_policy", 0),
        "queue_policies": kinds.get("queue_policy", 0),
        "credentials_failed": failed,
        "iam_4": controls.get("IAM.4", ""),
        "iam_6": controls.get("IAM.6", ""),
        "iam_9": controls.get("IAM.9", ""),
    }
    for kind, columns in _CSV_KIND_COLUMNS.items():
        credential_kind = ROOT_CREDENTIAL_KINDS[kind][0]
        presence = result.presence(kind)
        if presence is Presence.UNKNOWN or (
            presence is Presence.PRESENT and credential_kind not in kinds
        ):
            row.update(dict.fromkeys(columns, ""))
    if result.task is not None or not result.outcome.looked_into:
        policies = _UNLOCK_TASKS.get(result.task or "") if result.outcome.looked_into else None
        for column in _UNLOCK_TASKS.values():
            if column != policies:
                row[column] = ""
    for outcome in _CREDENTIAL_OUTCOMES:
        row[f"credentials_{outcome.value}"] = outcomes.get(outcome.value, 0)
    if not result.outcome.looked_into and not result.credentials:
        for column in _CREDENTIAL_COUNT_COLUMNS:
            row[column] = ""
    return row


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text (account names are user-chosen)."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class CsvWriter:
    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
        self._writer.writeheader()
        self._stream = stream

    def write(self, result: AccountResult) -> None:
        self._writer.writerow(csv_row(result))

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        self._stream.flush()
