"""Unlock an SQS queue whose policy denies everyone: record it, then remove it.

In an ``SQSUnlockQueuePolicy`` session, in the queue's region:
``GetQueueAttributes(["Policy"])`` (evidence) then ``SetQueueAttributes({"Policy": ""})``
(the empty value removes the policy; changes take up to 60 s). Queue URLs are validated
before any call and must belong to the account. Source: IAM User Guide
``id_root-user-privileged-task.html`` ("Unlock an SQS queue policy"), SQS API Reference
``API_SetQueueAttributes.html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import boto3

from root_access import rules
from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.errors import UsageError
from root_access.journal import Journal
from root_access.preflight import Preflight
from root_access.results import AccountResult
from root_access.sessions import DEFAULT_DURATION_SECONDS, RootSession
from root_access.sweep import single_account
from root_access.tasks import RootTask
from root_access.unlock import PolicyStep, unlock_account

__all__ = ["parse_queue_url", "unlock_sqs_queue_policy"]

_PATH = re.compile(rf"^/(?P<account>{rules.ACCOUNT_ID.body})/(?P<name>{rules.QUEUE_NAME.body})/?$")
_HOSTS = (
    re.compile(rf"^sqs\.(?P<region>{rules.REGION.body})\.amazonaws\.com(\.cn)?$"),
    re.compile(rf"^(?P<region>{rules.REGION.body})\.queue\.amazonaws\.com(\.cn)?$"),
    re.compile(r"^queue\.amazonaws\.com$"),
)
_LOCAL = ("127.0.0.1", "localhost", "::1")


def parse_queue_url(url: str, *, account_id: str) -> tuple[str, str | None]:
    """Validate a queue URL of ``account_id``; return ``(url, region or None)``.

    Accepts ``https://sqs.<region>.amazonaws.com[.cn]/<account>/<name>``, the legacy
    ``https://<region>.queue.amazonaws.com/…`` and local endpoints (``127.0.0.1``,
    ``localhost``: the simulator). Raises :class:`UsageError` when the URL is malformed
    or names another account.
    """
    if not isinstance(url, str):
        raise UsageError(f"malformed queue URL {url!r}")
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = _PATH.fullmatch(parts.path or "")
    region: str | None = None
    local = host in _LOCAL and parts.scheme in ("http", "https")
    matched = next((m for m in (h.fullmatch(host) for h in _HOSTS) if m), None)
    if (
        path is None
        or parts.query
        or parts.fragment
        or parts.username
        or (not local and (parts.scheme != "https" or matched is None))
    ):
        raise UsageError(
            f"malformed queue URL {url!r}: expected https://sqs.<region>.amazonaws.com/"
            "<account-id>/<queue-name>"
        )
    if matched is not None and "region" in matched.groupdict():
        region = matched.group("region")
    if path.group("account") != account_id:
        raise UsageError(
            f"queue URL {url!r} belongs to account {path.group('account')}, not "
            f"{account_id}: name queues of the account being unlocked"
        )
    return url, region


def _read(url: str, region: str | None) -> Callable[[RootSession], str | None]:
    def read(root: RootSession) -> str | None:
        sqs = root.client("sqs", region)
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
        policy = attributes.get("Attributes", {}).get("Policy")
        return str(policy) if policy else None

    return read


def _remove(url: str, region: str | None) -> Callable[[RootSession], object]:
    return lambda root: root.client("sqs", region).set_queue_attributes(
        QueueUrl=url, Attributes={"Policy": ""}
    )


def unlock_sqs_queue_policy(
    session: boto3.Session,
    *,
    account_id: str,
    queue_urls: Sequence[str],
    dry_run: bool = False,
    journal: Journal | None = None,
    region: str | None = None,
    duration_seconds: int = DEFAULT_DURATION_SECONDS,
    preflight_result: Preflight | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> AccountResult:
    """Remove the policy of each queue of ``account_id``, recording it first.

    One result per queue (``kind`` ``queue_policy``, ``id`` the queue URL, ``policy``
    the removed document): ``deleted``, ``already_absent`` (no policy), ``would_delete``
    under ``dry_run``, or a failure outcome. The account outcome is the first failure,
    else ``deleted`` / ``would_delete`` / ``already_absent``.

    Raises :class:`UsageError` before any AWS call for a malformed account id, a
    malformed queue URL or one of another account, or no queue; before any change for
    the management or an unknown account; :class:`PreflightError` from preflight.
    """
    urls = tuple(queue_urls) if not isinstance(queue_urls, str) else (queue_urls,)
    parsed: list[tuple[str, str | None]] = []

    def validate() -> None:
        if not urls:
            raise UsageError("no queue given: name at least one --queue-url")
        parsed.extend(parse_queue_url(url, account_id=account_id) for url in urls)

    context, target = single_account(
        session,
        account_id=account_id,
        task=RootTask.UNLOCK_SQS_QUEUE_POLICY,
        region=region,
        duration_seconds=duration_seconds,
        journal=journal,
        dry_run=dry_run,
        preflight_result=preflight_result,
        validate=validate,
        max_attempts=max_attempts,
    )
    steps: list[PolicyStep] = [
        (url, _read(url, queue_region), _remove(url, queue_region))
        for url, queue_region in dict.fromkeys(parsed)
    ]
    return unlock_account(
        context,
        target,
        kind="queue_policy",
        read_action="GetQueueAttributes",
        remove_action="SetQueueAttributes",
        steps=steps,
    )
