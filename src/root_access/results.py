"""Per-account and per-credential results, and the run summary.

``AccountResult.to_dict()`` is THE stable JSON shape: ``root-access --format json``,
the Terraform audit data source and the evidence all use it. Fields are only ever
added, never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from root_access.outcomes import Outcome

__all__ = [
    "AccountResult",
    "AccountSummary",
    "ComplianceResult",
    "CredentialResult",
    "Summary",
    "summarize",
]


@dataclass(frozen=True)
class CredentialResult:
    """One credential of a member account's root user (or one policy an unlock removed).

    - ``kind``: ``password`` | ``access_key`` | ``signing_certificate`` | ``mfa_device`` |
      ``bucket_policy`` | ``queue_policy``.
    - ``id``: access key id, certificate id, MFA serial number, bucket name or queue URL;
      ``login_profile`` for the password.
    - ``outcome``: audit ``present``; delete ``deleted`` / ``deactivated`` (virtual MFA
      device left in place) / ``already_absent`` / ``would_delete`` or a failure outcome.
    - ``status``: ``Active`` / ``Inactive`` for keys and certificates.
    - ``mfa_kind``: ``virtual`` | ``fido`` | ``hardware`` for MFA devices.
    - ``created``, ``last_used``: UTC ISO 8601 timestamps when AWS reports them.
    - ``last_used_service``, ``last_used_region``: for access keys (GetAccessKeyLastUsed).
    - ``policy``: the policy document an unlock removed (evidence), JSON text.
    - ``detail``: one line, e.g. "device left in place" or the AWS error.
    """

    kind: str
    id: str
    outcome: Outcome
    detail: str = ""
    status: str | None = None
    mfa_kind: str | None = None
    created: str | None = None
    last_used: str | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None
    policy: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape: every field, ``outcome`` as its string value."""
        return {
            "kind": self.kind,
            "id": self.id,
            "outcome": self.outcome.value,
            "detail": self.detail,
            "status": self.status,
            "mfa_kind": self.mfa_kind,
            "created": self.created,
            "last_used": self.last_used,
            "last_used_service": self.last_used_service,
            "last_used_region": self.last_used_region,
            "policy": self.policy,
        }


@dataclass(frozen=True)
class AccountSummary:
    """The root user's ``GetAccountSummary`` flags (each 0 or 1 in AWS, here booleans)."""

    password_present: bool
    access_keys_present: bool
    signing_certificates_present: bool
    mfa_enabled: bool

    def to_dict(self) -> dict[str, bool]:
        """``{password_present, access_keys_present, signing_certificates_present,
        mfa_enabled}``."""
        return {
            "password_present": self.password_present,
            "access_keys_present": self.access_keys_present,
            "signing_certificates_present": self.signing_certificates_present,
            "mfa_enabled": self.mfa_enabled,
        }


@dataclass(frozen=True)
class ComplianceResult:
    """One compliance control evaluated from the live audit (reference §6).

    - ``control``: Security Hub control id (``IAM.4``, ``IAM.6``, ``IAM.9``).
    - ``config_rule``: the AWS Config managed rule behind it.
    - ``cis``: CIS benchmark ids by version (``{"1.2": "1.12", ...}``).
    - ``status``: ``passed`` | ``failed`` | ``not_applicable``.
    - ``note``: e.g. the COMPLIANCE-LAG warning after a deletion.
    """

    control: str
    title: str
    config_rule: str
    cis: Mapping[str, str]
    status: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of this control."""
        return {
            "control": self.control,
            "title": self.title,
            "config_rule": self.config_rule,
            "cis": dict(self.cis),
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True)
class AccountResult:
    """What happened to one account of the selection.

    - ``account_id``: 12-digit string; ``name`` and ``state`` from Organizations
      (``state`` is ``ACTIVE``, ``SUSPENDED``, ``PENDING_CLOSURE``, ...).
    - ``task``: the root-task policy name used (``IAMAuditRootUserCredentials``, ...).
    - ``outcome``: see ``docs/outcomes.md``; ``detail`` one line.
    - ``credentials``: per-credential results (audit: present credentials).
    - ``summary``: the ``GetAccountSummary`` flags (audit only, else ``None``).
    - ``compliance``: Security Hub / CIS / Config view (audit and delete).
    - ``dry_run``: True when nothing was changed on purpose.
    - ``verified``: delete: True when a fresh audit session found no credential left
      (virtual MFA devices left in place excepted); ``None`` when not verified.
    """

    account_id: str
    outcome: Outcome
    task: str | None = None
    name: str | None = None
    state: str | None = None
    detail: str = ""
    credentials: tuple[CredentialResult, ...] = ()
    summary: AccountSummary | None = None
    compliance: tuple[ComplianceResult, ...] = ()
    dry_run: bool = False
    verified: bool | None = None

    @property
    def failed(self) -> bool:
        """True when this account did not end well (its outcome is a failure)."""
        return self.outcome.failed

    @property
    def has_root_credentials(self) -> bool:
        """True when the audit found a password, key, certificate or MFA device."""
        return any(
            c.kind in ("password", "access_key", "signing_certificate", "mfa_device")
            and c.outcome in (Outcome.PRESENT, Outcome.WOULD_DELETE)
            for c in self.credentials
        )

    def to_dict(self) -> dict[str, Any]:
        """THE stable JSON shape of one account (used by CLI json, Terraform, evidence).

        ``{account_id, name, state, task, outcome, detail, dry_run, verified,
        summary: {...} | null, credentials: [...], compliance: [...]}``.
        """
        return {
            "account_id": self.account_id,
            "name": self.name,
            "state": self.state,
            "task": self.task,
            "outcome": self.outcome.value,
            "detail": self.detail,
            "dry_run": self.dry_run,
            "verified": self.verified,
            "summary": self.summary.to_dict() if self.summary is not None else None,
            "credentials": [c.to_dict() for c in self.credentials],
            "compliance": [c.to_dict() for c in self.compliance],
        }


@dataclass(frozen=True)
class Summary:
    """Counts per outcome over a run, and the exit code.

    - ``counts``: outcome value -> number of accounts (only outcomes that occurred).
    - ``total``: accounts reported; ``failed``: accounts with a failure outcome.
    - ``exit_code``: 0 when every targeted account ended well, else 1.
    """

    counts: Mapping[str, int] = field(default_factory=dict)
    total: int = 0
    failed: int = 0

    @property
    def exit_code(self) -> int:
        """0 all accounts ended well, 1 some did not."""
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        """``{total, failed, exit_code, counts: {outcome: n}}`` (counts sorted by name)."""
        return {
            "total": self.total,
            "failed": self.failed,
            "exit_code": self.exit_code,
            "counts": dict(sorted(self.counts.items())),
        }


def summarize(results: Iterable[AccountResult]) -> Summary:
    """Count ``results`` per outcome; streams (keeps only the counters)."""
    counts: dict[str, int] = {}
    total = failed = 0
    for result in results:
        counts[result.outcome.value] = counts.get(result.outcome.value, 0) + 1
        total += 1
        failed += 1 if result.failed else 0
    return Summary(counts=counts, total=total, failed=failed)
