"""Typed values passed to the constructs: which accounts, and which privileged task.

They mirror the object types of the Terraform modules' variables (``selection``,
``privileged_tasks`` / ``requests``) field for field, in snake_case, and convert to the
value the module variable takes with ``to_variable()``; fields left at their default are
left out so the module's ``optional(…, default)`` applies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from root_access_cdktf.validation import (
    PropsError,
    account_id,
    account_ids,
    boolean,
    is_token,
    non_empty_string,
    organizational_unit_ids,
    string_list,
)

__all__ = [
    "BUCKET_NAME",
    "REQUEST_ID",
    "TASKS",
    "PrivilegedTaskRequest",
    "Selection",
    "queue_url_pattern",
    "requests_variable",
]

TASKS = ("allow-password-recovery", "unlock-s3-bucket-policy", "unlock-sqs-queue-policy")
"""Privileged one-shot tasks of the ``privileged-task`` module (root-task policies
``IAMCreateRootUserPassword``, ``S3UnlockBucketPolicy``, ``SQSUnlockQueuePolicy``)."""

REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""A request id (the key of a privileged task), e.g. a ticket number ``CHG-1234``."""

BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
"""An S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens (S3 User Guide,
"Bucket naming rules")."""


def queue_url_pattern(account_id: str) -> re.Pattern[str]:
    """A queue URL of ``account_id``: ``https://sqs.<region>.amazonaws.com/<account>/<name>``
    (names of 1-80 letters, digits, ``-``, ``_``, optionally ``.fifo``; SQS Developer Guide)."""
    return re.compile(
        rf"^https?://[^/?#@]+/{re.escape(account_id)}/[A-Za-z0-9_-]{{1,80}}(\.fifo)?/?$"
    )


@dataclass(frozen=True)
class Selection:
    """The member accounts to audit or clean: account ids, OU subtrees, or ``all``.

    Exclusions apply last. The management account and inactive accounts are never assumed
    into (the engine reports them as skipped). Mirrors the modules' ``selection`` variable;
    ``validate()`` raises :class:`PropsError` for a malformed id, an empty selection,
    ``all`` mixed with explicit targets, or an account both selected and excluded.
    """

    accounts: Sequence[str] = ()
    organizational_units: Sequence[str] = ()
    exclude_accounts: Sequence[str] = ()
    exclude_organizational_units: Sequence[str] = ()
    all: bool = False

    def validate(self, where: str) -> Selection:
        """Check the selection as the ``selection`` variable's validation does; return self."""
        accounts = account_ids(self.accounts, f"{where}.accounts")
        ous = organizational_unit_ids(self.organizational_units, f"{where}.organizational_units")
        excluded = account_ids(self.exclude_accounts, f"{where}.exclude_accounts")
        organizational_unit_ids(
            self.exclude_organizational_units, f"{where}.exclude_organizational_units"
        )
        if not isinstance(self.all, bool):
            raise PropsError(f"{where}.all: expected True or False, got {self.all!r}")
        if self.all and (accounts or ous):
            raise PropsError(
                f"{where}: all=True conflicts with accounts/organizational_units; choose one"
            )
        if not self.all and not accounts and not ous:
            raise PropsError(
                f"{where}: the selection is empty; name accounts or organizational_units, "
                "or set all=True for every member account"
            )
        both = sorted(set(accounts) & set(excluded))
        if both:
            raise PropsError(f"{where}: account {both[0]!r} is both selected and excluded")
        return self

    def to_variable(self) -> dict[str, Any]:
        """The ``selection`` object the Terraform modules take (fields left empty omitted)."""
        value: dict[str, Any] = {
            name: list(getattr(self, name))
            for name in (
                "accounts",
                "organizational_units",
                "exclude_accounts",
                "exclude_organizational_units",
            )
            if getattr(self, name)
        }
        if self.all:
            value["all"] = True
        return value


@dataclass(frozen=True)
class PrivilegedTaskRequest:
    """One privileged one-shot task in one member account, keyed by a request id.

    A new request id runs once at the next apply; an id already applied never runs again.
    ``buckets`` is required (and only allowed) for ``unlock-s3-bucket-policy``,
    ``queue_urls`` for ``unlock-sqs-queue-policy``; ``dry_run=True`` only reports.
    """

    task: str
    account_id: str
    buckets: Sequence[str] = ()
    queue_urls: Sequence[str] = ()
    dry_run: bool | None = None

    def validate(self, where: str) -> PrivilegedTaskRequest:
        """Check the task name, the account id and the task's targets; return self."""
        if not is_token(self.task) and self.task not in TASKS:
            raise PropsError(
                f"{where}.task: {self.task!r} is not a privileged task; allowed values are "
                f"{list(TASKS)}"
            )
        account_id(self.account_id, f"{where}.account_id")
        boolean(self.dry_run, f"{where}.dry_run")
        targets = {
            "buckets": ("unlock-s3-bucket-policy", string_list(self.buckets, f"{where}.buckets")),
            "queue_urls": (
                "unlock-sqs-queue-policy",
                string_list(self.queue_urls, f"{where}.queue_urls"),
            ),
        }
        for name, (task, values) in targets.items():
            for value in values:
                non_empty_string(value, f"{where}.{name}")
            if self.task == task and not values:
                raise PropsError(f"{where}.{name}: {task} needs at least one entry")
            if values and self.task != task:
                raise PropsError(f"{where}.{name}: only {task} takes {name}; leave it empty")
        for bucket in targets["buckets"][1]:
            if not is_token(bucket) and BUCKET_NAME.fullmatch(bucket) is None:
                raise PropsError(
                    f"{where}.buckets: {bucket!r} is not an S3 bucket name (3-63 lowercase "
                    "letters, digits, dots and hyphens, starting and ending with a letter or digit)"
                )
        if not is_token(self.account_id):
            pattern = queue_url_pattern(self.account_id)
            for url in targets["queue_urls"][1]:
                if not is_token(url) and pattern.fullmatch(url) is None:
                    raise PropsError(
                        f"{where}.queue_urls: {url!r} is not a queue URL of account "
                        f"{self.account_id}: https://sqs.<region>.amazonaws.com/"
                        f"{self.account_id}/<queue>"
                    )
        return self

    def to_variable(self) -> dict[str, Any]:
        """One entry of the ``requests`` / ``privileged_tasks`` map (defaults omitted)."""
        value: dict[str, Any] = {"task": self.task, "account_id": self.account_id}
        if self.buckets:
            value["buckets"] = list(self.buckets)
        if self.queue_urls:
            value["queue_urls"] = list(self.queue_urls)
        if self.dry_run is not None:
            value["dry_run"] = self.dry_run
        return value


def requests_variable(
    requests: Mapping[str, PrivilegedTaskRequest] | None, where: str
) -> dict[str, Any] | None:
    """Validate a request-id -> request map and convert it for the module (``None`` kept)."""
    if requests is None:
        return None
    if not isinstance(requests, Mapping):
        raise PropsError(f"{where}: expected a mapping of request id -> PrivilegedTaskRequest")
    variable: dict[str, Any] = {}
    for request_id, request in requests.items():
        if not isinstance(request_id, str) or REQUEST_ID.fullmatch(request_id) is None:
            raise PropsError(
                f"{where}: request id {request_id!r} must be 1-64 letters, digits, '.', '_' or "
                "'-', starting with a letter or digit, e.g. 'CHG-1234'"
            )
        if not isinstance(request, PrivilegedTaskRequest):
            raise PropsError(f"{where}[{request_id!r}]: expected a PrivilegedTaskRequest")
        variable[request_id] = request.validate(f"{where}[{request_id!r}]").to_variable()
    return variable
