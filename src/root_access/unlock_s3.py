"""Unlock an S3 bucket whose policy denies everyone: record it, then delete it.

In an ``S3UnlockBucketPolicy`` session: ``GetBucketPolicy`` (evidence) then
``DeleteBucketPolicy``. Bucket names are validated before any call. Source: IAM User
Guide ``id_root-user-privileged-task.html`` ("Unlock an S3 bucket policy"), S3 User
Guide ``bucketnamingrules.html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import boto3
from botocore.exceptions import ClientError

from root_access import rules
from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.errors import UsageError, has_code
from root_access.journal import Journal
from root_access.preflight import Preflight
from root_access.results import AccountResult
from root_access.sessions import DEFAULT_DURATION_SECONDS, RootSession
from root_access.sweep import single_account
from root_access.tasks import RootTask
from root_access.unlock import PolicyStep, unlock_account

__all__ = ["unlock_s3_bucket_policy", "validate_bucket_name"]

_BUCKET = rules.BUCKET_NAME.compiled
_IP = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def validate_bucket_name(name: str) -> str:
    """Return ``name`` if it follows the general purpose bucket naming rules, else raise
    :class:`UsageError` (3-63 characters of ``a-z0-9.-``, letter or digit at both ends,
    no ``..``, not an IP address, no reserved prefix or suffix)."""
    if (
        not isinstance(name, str)
        or _BUCKET.fullmatch(name) is None
        or ".." in name
        or _IP.fullmatch(name) is not None
        or name.startswith(_PREFIXES)
        or name.endswith(_SUFFIXES)
    ):
        raise UsageError(
            f"malformed bucket name {name!r}: 3-63 lowercase letters, digits, dots and "
            "hyphens, starting and ending with a letter or digit"
        )
    return name


def _read(bucket: str) -> Callable[[RootSession], str | None]:
    def read(root: RootSession) -> str | None:
        try:
            return str(root.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])
        except ClientError as error:
            if has_code(error, "NoSuchBucketPolicy"):
                return None
            raise

    return read


def unlock_s3_bucket_policy(
    session: boto3.Session,
    *,
    account_id: str,
    buckets: Sequence[str],
    dry_run: bool = False,
    journal: Journal | None = None,
    region: str | None = None,
    duration_seconds: int = DEFAULT_DURATION_SECONDS,
    preflight_result: Preflight | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> AccountResult:
    """Delete the bucket policy of each bucket in ``account_id``, recording it first.

    One result per bucket (``kind`` ``bucket_policy``, ``id`` the bucket name,
    ``policy`` the removed document): ``deleted``, ``already_absent`` (no policy),
    ``would_delete`` under ``dry_run``, or a failure outcome. The account outcome is
    the first failure, else ``deleted`` / ``would_delete`` / ``already_absent``.

    Raises :class:`UsageError` before any AWS call for a malformed account id or bucket
    name or no bucket, and before any change for the management or an unknown account;
    :class:`PreflightError` from preflight.
    """
    names = tuple(buckets) if not isinstance(buckets, str) else (buckets,)

    def validate() -> None:
        if not names:
            raise UsageError("no bucket given: name at least one --bucket")
        for name in names:
            validate_bucket_name(name)

    context, target = single_account(
        session,
        account_id=account_id,
        task=RootTask.UNLOCK_S3_BUCKET_POLICY,
        region=region,
        duration_seconds=duration_seconds,
        journal=journal,
        dry_run=dry_run,
        preflight_result=preflight_result,
        validate=validate,
        max_attempts=max_attempts,
    )
    steps: list[PolicyStep] = [
        (
            name,
            _read(name),
            (lambda n: lambda root: root.client("s3").delete_bucket_policy(Bucket=n))(name),
        )
        for name in dict.fromkeys(names)
    ]
    return unlock_account(
        context,
        target,
        kind="bucket_policy",
        read_action="GetBucketPolicy",
        remove_action="DeleteBucketPolicy",
        steps=steps,
    )
