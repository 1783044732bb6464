"""Audit the root user of member accounts with live IAM reads in a root session.

Never the credential report (hours old, ``not_supported`` for root fields: field case
CRED-REPORT-STALE) and never the feature state (enabling deletes nothing:
CRED-FEATURE-DELETES-NOTHING). Calls in an ``IAMAuditRootUserCredentials`` session,
all without ``UserName``.

Summary first (``detail="summary"``, the default): ``GetAccountSummary``, whose four
root flags are AWS's documented way to audit a member's root user, then the detail
reads only for the kinds whose flag is 1 (or missing from the answer):

==========================================  ==============================================
flag                                        detail reads
==========================================  ==============================================
``AccountPasswordPresent``                  ``GetLoginProfile`` + ``GetUser``
``AccountAccessKeysPresent``                ``ListAccessKeys`` + ``GetAccessKeyLastUsed``
``AccountSigningCertificatesPresent``       ``ListSigningCertificates``
``AccountMFAEnabled``                       ``ListMFADevices``
==========================================  ==============================================

A clean account costs ``AssumeRoot`` + ``GetAccountSummary``. ``detail="full"`` reads
every kind whatever the flags say (exhaustive). Sources: IAM User Guide
``id_root-user-privileged-task.html`` and ``id_root-user_manage_delete-key.html``, the IAM
API Reference ``API_GetAccountSummary.html`` and the page of each call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore.exceptions import ClientError

from root_access import rules
from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.compliance import evaluate
from root_access.errors import UsageError, has_code
from root_access.executor import DEFAULT_MAX_WORKERS
from root_access.outcomes import Outcome
from root_access.preflight import Preflight
from root_access.results import AccountResult, AccountSummary, CredentialResult
from root_access.selection import Selection
from root_access.sessions import DEFAULT_DURATION_SECONDS, RootSession
from root_access.sweep import Sweep, sweep
from root_access.targeting import Target
from root_access.tasks import RootTask

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_iam.type_defs import AccessKeyLastUsedTypeDef

__all__ = [
    "DEFAULT_DETAIL",
    "DETAIL_MODES",
    "KIND_FLAGS",
    "Detail",
    "RootUserCredentials",
    "audit",
    "mfa_kind",
    "read_root_user",
    "validate_detail",
]

Detail = Literal["summary", "full"]
"""How much the audit reads: ``summary`` (flags first, detail for flagged kinds) or
``full`` (every detail read)."""

DETAIL_MODES: tuple[str, ...] = rules.DETAIL.values
"""The ``detail`` values (``root_access.rules.DETAIL``; ``Detail`` is held to it by
tests/test_rules.py)."""
DEFAULT_DETAIL: Detail = "summary"
"""``rules.DETAIL``'s default."""

KIND_FLAGS: dict[str, str] = {
    "password": "AccountPasswordPresent",
    "access_key": "AccountAccessKeysPresent",
    "signing_certificate": "AccountSigningCertificatesPresent",
    "mfa_device": "AccountMFAEnabled",
}
"""Credential kind -> its ``GetAccountSummary`` root flag (IAM API Reference,
``API_GetAccountSummary.html``)."""

_KIND_NAMES = {
    "password": "a password",
    "access_key": "access keys",
    "signing_certificate": "signing certificates",
    "mfa_device": "an MFA device",
}
_KIND_READS = {
    "password": "GetLoginProfile",
    "access_key": "ListAccessKeys",
    "signing_certificate": "ListSigningCertificates",
    "mfa_device": "ListMFADevices",
}


def validate_detail(detail: object) -> Detail:
    """``detail`` when it is ``"summary"`` or ``"full"``; else :class:`UsageError` (one line)."""
    if detail == "summary":
        return "summary"
    if detail == "full":
        return "full"
    raise UsageError(
        f"detail must be one of {', '.join(DETAIL_MODES)}, got {detail!r}: use summary "
        "(GetAccountSummary first, detail only for the kinds it flags) or full (every read)"
    )


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
    """The live credentials of one root user.

    - ``credentials``: what the detail reads found (outcome ``present`` each).
    - ``summary``: the ``GetAccountSummary`` flags, when read.
    - ``read``: the kinds whose detail was read (all four without a summary or with
      ``detail="full"``; else the flagged ones). A kind not read had its flag at 0.
    - ``flags``: ``(kind, flag)`` pairs from ``GetAccountSummary`` (``None``: the key
      was missing from the answer); empty when the summary was not read.
    - ``flagged_unlisted``: kinds the summary flags (1) although their detail read found
      nothing (IAM is eventually consistent): still counted as present.
    - ``unflagged_listed``: kinds the detail read found although the summary said 0.
    """

    credentials: tuple[CredentialResult, ...]
    summary: AccountSummary | None
    read: frozenset[str] = frozenset(KIND_FLAGS)
    flags: tuple[tuple[str, bool | None], ...] = ()

    def of_kind(self, kind: str) -> tuple[CredentialResult, ...]:
        """The credentials of one ``kind``."""
        return tuple(c for c in self.credentials if c.kind == kind)

    def _flag(self, kind: str) -> bool | None:
        return dict(self.flags).get(kind)

    @property
    def flagged_unlisted(self) -> tuple[str, ...]:
        """Kinds flagged 1 by ``GetAccountSummary`` whose detail read found none."""
        return tuple(k for k in KIND_FLAGS if self._flag(k) is True and not self.of_kind(k))

    @property
    def unflagged_listed(self) -> tuple[str, ...]:
        """Kinds flagged 0 by ``GetAccountSummary`` whose detail read found some."""
        return tuple(k for k in KIND_FLAGS if self._flag(k) is False and self.of_kind(k))

    @property
    def present(self) -> bool:
        """True when any credential was found or a summary flag reports one."""
        return bool(self.credentials or self.flagged_unlisted)

    def mismatch(self) -> str:
        """One line naming where the flags and the detail reads disagree, else ``""``."""
        parts = [
            f"GetAccountSummary reports {_KIND_NAMES[k]} ({KIND_FLAGS[k]} = 1) but "
            f"{_KIND_READS[k]} found none"
            for k in self.flagged_unlisted
        ] + [
            f"{_KIND_READS[k]} found {_KIND_NAMES[k]} although {KIND_FLAGS[k]} = 0"
            for k in self.unflagged_listed
        ]
        if not parts:
            return ""
        return "; ".join(parts) + " (IAM is eventually consistent: audit again)"

    def compliance(self, *, after_delete: bool = False) -> tuple[Any, ...]:
        """The IAM.4 / IAM.9 / IAM.6 view of these credentials."""
        return evaluate(
            password=bool(self.of_kind("password")),
            access_keys=len(self.of_kind("access_key")),
            signing_certificates=len(self.of_kind("signing_certificate")),
            mfa_kinds=tuple(c.mfa_kind or "hardware" for c in self.of_kind("mfa_device")),
            after_delete=after_delete,
        )


def _password(iam: IAMClient) -> CredentialResult | None:
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


def _access_keys(iam: IAMClient) -> Iterator[CredentialResult]:
    for page in iam.get_paginator("list_access_keys").paginate():
        for key in page.get("AccessKeyMetadata", []):
            key_id = key["AccessKeyId"]
            used: AccessKeyLastUsedTypeDef | None = None
            try:
                used = iam.get_access_key_last_used(AccessKeyId=key_id).get("AccessKeyLastUsed")
            except ClientError as error:
                if not has_code(error, "NoSuchEntity"):
                    raise
            # .get: an answer may leave out any key, whatever the model says.
            service = used.get("ServiceName") if used else None
            region = used.get("Region") if used else None
            yield CredentialResult(
                kind="access_key",
                id=key_id,
                outcome=Outcome.PRESENT,
                status=key.get("Status"),
                created=iso(key.get("CreateDate")),
                last_used=iso(used.get("LastUsedDate")) if used else None,
                last_used_service=None if service in (None, "N/A") else service,
                last_used_region=None if region in (None, "N/A") else region,
            )


def _certificates(iam: IAMClient) -> Iterator[CredentialResult]:
    for page in iam.get_paginator("list_signing_certificates").paginate():
        for cert in page.get("Certificates", []):
            yield CredentialResult(
                kind="signing_certificate",
                id=cert["CertificateId"],
                outcome=Outcome.PRESENT,
                status=cert.get("Status"),
                created=iso(cert.get("UploadDate")),
            )


def _mfa_devices(iam: IAMClient) -> Iterator[CredentialResult]:
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


def _flags(iam: IAMClient) -> dict[str, bool | None]:
    """Kind -> its root flag (``None`` when the key is missing from ``SummaryMap``)."""
    values = iam.get_account_summary().get("SummaryMap", {})
    return {
        kind: (None if key not in values else bool(values[key])) for kind, key in KIND_FLAGS.items()
    }


def _summary(flags: dict[str, bool | None]) -> AccountSummary:
    return AccountSummary(
        password_present=bool(flags["password"]),
        access_keys_present=bool(flags["access_key"]),
        signing_certificates_present=bool(flags["signing_certificate"]),
        mfa_enabled=bool(flags["mfa_device"]),
    )


def read_root_user(
    root: RootSession, *, with_summary: bool = True, detail: Detail = DEFAULT_DETAIL
) -> RootUserCredentials:
    """Read the root user's credentials live in ``root`` (each call re-assumed once on
    ``ExpiredToken``).

    ``detail="summary"``: ``GetAccountSummary`` first, then the detail reads of the kinds
    whose flag is 1 or missing (a missing flag is never taken for 0). ``detail="full"``:
    every detail read after the summary. ``with_summary=False`` skips
    ``GetAccountSummary``, which the delete task policy does not allow, and reads every
    kind. Raises ``ClientError`` on any failure other than ``NoSuchEntity``.
    """
    flags = root.run(lambda s: _flags(s.client("iam"))) if with_summary else None
    if flags is None or detail == "full":
        read = frozenset(KIND_FLAGS)
    else:
        read = frozenset(kind for kind, flag in flags.items() if flag is not False)
    found: tuple[CredentialResult, ...] = ()
    if "password" in read:
        password = root.run(lambda s: _password(s.client("iam")))
        found += (password,) if password is not None else ()
    if "access_key" in read:
        found += root.run(lambda s: tuple(_access_keys(s.client("iam"))))
    if "signing_certificate" in read:
        found += root.run(lambda s: tuple(_certificates(s.client("iam"))))
    if "mfa_device" in read:
        found += root.run(lambda s: tuple(_mfa_devices(s.client("iam"))))
    return RootUserCredentials(
        credentials=found,
        summary=_summary(flags) if flags is not None else None,
        read=read,
        flags=tuple(flags.items()) if flags is not None else (),
    )


def _audit_account(context: Sweep, target: Target, *, detail: Detail) -> AccountResult:
    found = read_root_user(context.root_session(target.account_id), detail=detail)
    return AccountResult(
        account_id=target.account_id,
        outcome=Outcome.ROOT_CREDENTIALS_PRESENT if found.present else Outcome.NO_ROOT_CREDENTIALS,
        task=RootTask.AUDIT.value,
        name=target.name,
        state=target.state,
        detail=found.mismatch(),
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
    skip_scp_blocked: bool = False,
    detail: Detail = DEFAULT_DETAIL,
    on_targets: Callable[[int], None] | None = None,
) -> Iterator[AccountResult]:
    """Audit the root user of each selected account; yields results as they complete.

    One ``IAMAuditRootUserCredentials`` session per account. ``detail="summary"`` (the
    default) reads ``GetAccountSummary`` and then only the kinds it flags: a clean
    account costs ``AssumeRoot`` + ``GetAccountSummary``; ``detail="full"`` reads every
    kind (see the module docstring). Outcomes: ``root_credentials_present`` (the root
    user holds credentials, listed in ``credentials``; also when a flag is 1 but the
    detail read found none, said in ``detail``), ``no_root_credentials``,
    ``skipped_management_account``, ``skipped_inactive_account``, ``blocked_by_scp``,
    ``access_denied``, ``throttled``, ``error``. Each result carries the
    ``GetAccountSummary`` flags and the compliance view (IAM.4 / IAM.9 / IAM.6).

    Raises :class:`UsageError` (also for a ``detail`` other than ``summary`` / ``full``) /
    :class:`PreflightError` on this call (before any AssumeRoot); AWS failures per
    account become outcomes. ``preflight_result`` reuses an earlier :func:`preflight`
    (it is re-checked for the audit task, no AWS call). ``on_targets(n)`` is called with
    the number of results before the first (:func:`root_access.sweep.counted_targets`:
    the targets are then listed whole first, still once).

    ``skip_scp_blocked``: an account an SCP certainly blocks in these root sessions
    is reported ``blocked_by_scp`` (policy, statement and fix in ``detail``) without
    AssumeRoot, from a lint of its SCPs (:mod:`root_access.scp_lint`, Organizations
    reads only); the default ``False`` tries every account.
    """
    checked_detail = validate_detail(detail)
    return sweep(
        session,
        selection=selection,
        task=RootTask.AUDIT,
        work=lambda context, target: _audit_account(context, target, detail=checked_detail),
        region=region,
        max_workers=max_workers,
        duration_seconds=duration_seconds,
        preflight_result=preflight_result,
        max_attempts=max_attempts,
        on_targets=on_targets,
        skip_scp_blocked=skip_scp_blocked,
    )
