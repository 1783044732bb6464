"""Audit the root user of member accounts with live IAM reads in a root session.

Never the credential report (hours old, ``not_supported`` for root fields: field case
CRED-REPORT-STALE) and never the feature state (enabling deletes nothing:
CRED-FEATURE-DELETES-NOTHING). Calls in an ``IAMAuditRootUserCredentials`` session,
all without ``UserName``: ``GetAccountSummary``, ``GetLoginProfile``, ``GetUser``,
``ListAccessKeys`` + ``GetAccessKeyLastUsed``, ``ListSigningCertificates``,
``ListMFADevices`` (paginated). Source: IAM User Guide
``id_root-user-privileged-task.html`` and the IAM API Reference of each call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import boto3
from botocore.exceptions import ClientError

from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.compliance import evaluate
from root_access.errors import has_code
from root_access.executor import DEFAULT_MAX_WORKERS
from root_access.outcomes import Outcome
from root_access.preflight import Preflight
from root_access.results import AccountResult, AccountSummary, CredentialResult
from root_access.selection import Selection
from root_access.sessions import DEFAULT_DURATION_SECONDS, RootSession
from root_access.sweep import Sweep, sweep
from root_access.targeting import Target
from root_access.tasks import RootTask

__all__ = ["RootUserCredentials", "audit", "mfa_kind", "read_root_user"]


def mfa_kind(serial_number: str) -> str:
    """``virtual`` (``…:mfa/…``), ``fido`` (``…:u2f/…``) or ``hardware`` (plain serial).

    Field case MFA-KINDS; source: IAM ``ListMFADevices`` examples and IAM ARNs.
    """
    if serial_number.startswith("arn:") and ":mfa/" in serial_number:
        return "virtual"
    if serial_number.startswith("arn:") and ":u2f/" in serial_number:
        return "fido"
    return "hardware"


def iso(value: Any) -> str | None:
    """A botocore timestamp as UTC ISO 8601 (``2026-01-31T12:00:00Z``), else ``None``."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return str(value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return None


@dataclass(frozen=True)
class RootUserCredentials:
    """The live credentials of one root user: ``credentials`` (outcome ``ok`` each) and,
    when read, the ``GetAccountSummary`` flags."""

    credentials: tuple[CredentialResult, ...]
    summary: AccountSummary | None

    def of_kind(self, kind: str) -> tuple[CredentialResult, ...]:
        """The credentials of one ``kind``."""
        return tuple(c for c in self.credentials if c.kind == kind)

    def compliance(self, *, after_delete: bool = False) -> tuple[Any, ...]:
        """The IAM.4 / IAM.9 / IAM.6 view of these credentials."""
        return evaluate(
            password=bool(self.of_kind("password")),
            access_keys=len(self.of_kind("access_key")),
            signing_certificates=len(self.of_kind("signing_certificate")),
            mfa_kinds=tuple(c.mfa_kind or "hardware" for c in self.of_kind("mfa_device")),
            after_delete=after_delete,
        )


def _password(iam: Any) -> CredentialResult | None:
    try:
        profile = iam.get_login_profile()["LoginProfile"]
    except ClientError as error:
        if has_code(error, "NoSuchEntity"):
            return None
        raise
    last_used = None
    try:
        last_used = iso(iam.get_user().get("User", {}).get("PasswordLastUsed"))
    except ClientError as error:
        if not has_code(error, "NoSuchEntity"):
            raise
    return CredentialResult(
        kind="password",
        id="login_profile",
        outcome=Outcome.PRESENT,
        created=iso(profile.get("CreateDate")),
        last_used=last_used,
    )


def _access_keys(iam: Any) -> Iterator[CredentialResult]:
    for page in iam.get_paginator("list_access_keys").paginate():
        for key in page.get("AccessKeyMetadata", []):
            key_id = key["AccessKeyId"]
            used: dict[str, Any] = {}
            try:
                used = iam.get_access_key_last_used(AccessKeyId=key_id).get("AccessKeyLastUsed", {})
            except ClientError as error:
                if not has_code(error, "NoSuchEntity"):
                    raise
            service = used.get("ServiceName")
            region = used.get("Region")
            yield CredentialResult(
                kind="access_key",
                id=key_id,
                outcome=Outcome.PRESENT,
                status=key.get("Status"),
                created=iso(key.get("CreateDate")),
                last_used=iso(used.get("LastUsedDate")),
                last_used_service=None if service in (None, "N/A") else service,
                last_used_region=None if region in (None, "N/A") else region,
            )


def _certificates(iam: Any) -> Iterator[CredentialResult]:
    for page in iam.get_paginator("list_signing_certificates").paginate():
        for cert in page.get("Certificates", []):
            yield CredentialResult(
                kind="signing_certificate",
                id=cert["CertificateId"],
                outcome=Outcome.PRESENT,
                status=cert.get("Status"),
                created=iso(cert.get("UploadDate")),
            )


def _mfa_devices(iam: Any) -> Iterator[CredentialResult]:
    for page in iam.get_paginator("list_mfa_devices").paginate():
        for device in page.get("MFADevices", []):
            serial = device["SerialNumber"]
            yield CredentialResult(
                kind="mfa_device",
                id=serial,
                outcome=Outcome.PRESENT,
                mfa_kind=mfa_kind(serial),
                created=iso(device.get("EnableDate")),
            )


def _summary(iam: Any) -> AccountSummary:
    values = iam.get_account_summary().get("SummaryMap", {})
    return AccountSummary(
        password_present=bool(values.get("AccountPasswordPresent", 0)),
        access_keys_present=bool(values.get("AccountAccessKeysPresent", 0)),
        signing_certificates_present=bool(values.get("AccountSigningCertificatesPresent", 0)),
        mfa_enabled=bool(values.get("AccountMFAEnabled", 0)),
    )


def read_root_user(root: RootSession, *, with_summary: bool = True) -> RootUserCredentials:
    """Read the root user's credentials live in ``root`` (each call re-assumed once on
    ``ExpiredToken``). ``with_summary=False`` skips ``GetAccountSummary``, which the
    delete task policy does not allow. Raises ``ClientError`` on any other failure."""
    summary = root.run(lambda s: _summary(s.client("iam"))) if with_summary else None
    password = root.run(lambda s: _password(s.client("iam")))
    keys = root.run(lambda s: tuple(_access_keys(s.client("iam"))))
    certificates = root.run(lambda s: tuple(_certificates(s.client("iam"))))
    devices = root.run(lambda s: tuple(_mfa_devices(s.client("iam"))))
    found = ((password,) if password is not None else ()) + keys + certificates + devices
    return RootUserCredentials(credentials=found, summary=summary)


def _audit_account(context: Sweep, target: Target) -> AccountResult:
    found = read_root_user(context.root_session(target.account_id))
    return AccountResult(
        account_id=target.account_id,
        outcome=Outcome.ROOT_CREDENTIALS_PRESENT
        if found.credentials
        else Outcome.NO_ROOT_CREDENTIALS,
        task=RootTask.AUDIT.value,
        name=target.name,
        state=target.state,
        credentials=found.credentials,
        summary=found.summary,
        compliance=found.compliance(),
    )


def audit(
    session: boto3.Session,
    *,
    selection: Selection,
    region: str | None = None,
    max_workers: int = DEFAULT_MAX_WORKERS,
    duration_seconds: int = DEFAULT_DURATION_SECONDS,
    preflight_result: Preflight | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Iterator[AccountResult]:
    """Audit the root user of each selected account; yields results as they complete.

    One ``IAMAuditRootUserCredentials`` session per account. Outcomes: ``ok`` (the
    root user holds credentials, listed in ``credentials``), ``no_root_credentials``,
    ``skipped_management_account``, ``skipped_inactive_account``, ``blocked_by_scp``,
    ``access_denied``, ``throttled``, ``error``. Each result carries the
    ``GetAccountSummary`` flags and the compliance view (IAM.4 / IAM.9 / IAM.6).

    Raises :class:`UsageError` / :class:`PreflightError` on this call (before any
    AssumeRoot); AWS failures per account become outcomes. ``preflight_result`` reuses
    an earlier :func:`preflight` (it is re-checked for the audit task, no AWS call).
    """
    return sweep(
        session,
        selection=selection,
        task=RootTask.AUDIT,
        work=_audit_account,
        region=region,
        max_workers=max_workers,
        duration_seconds=duration_seconds,
        preflight_result=preflight_result,
        max_attempts=max_attempts,
    )
