"""Per-account and per-credential results, and the run summary.

``AccountResult.to_dict()`` is THE stable JSON shape: ``root-access --format json``,
the Terraform audit data source and the evidence all use it. Fields are only ever
added, never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from root_access.outcomes import Outcome
from root_access.tasks import RootTask

__all__ = [
    "ROOT_CREDENTIAL_KINDS",
    "AccountResult",
    "AccountSummary",
    "ComplianceResult",
    "CredentialResult",
    "Presence",
    "Summary",
    "summarize",
]

_AUDIT_TASK = RootTask.AUDIT.value
_UNLOCK_TASKS = (RootTask.UNLOCK_S3_BUCKET_POLICY.value, RootTask.UNLOCK_SQS_QUEUE_POLICY.value)
_READS_ROOT_CREDENTIALS = (_AUDIT_TASK, RootTask.DELETE_CREDENTIALS.value)
"""Tasks whose run reads the root user's credentials (audit; delete reads them first)."""
_HELD = (Outcome.PRESENT, Outcome.WOULD_DELETE)
"""Credential outcomes of a credential the root user still holds after the run."""


class Presence(str, Enum):
    """Whether the root user holds credentials of one kind: known present, known absent,
    or unknown (the account was not looked into). Unknown is never "none"."""

    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    def to_json(self) -> bool | None:
        """``true`` present, ``false`` absent, ``null`` unknown."""
        if self is Presence.UNKNOWN:
            return None
        return self is Presence.PRESENT


ROOT_CREDENTIAL_KINDS: Mapping[str, tuple[str, str]] = {
    "password": ("password", "password_present"),
    "access_keys": ("access_key", "access_keys_present"),
    "signing_certificates": ("signing_certificate", "signing_certificates_present"),
    "mfa_devices": ("mfa_device", "mfa_enabled"),
}
"""The four kinds of root credential, in report order: name (as in
``AccountResult.root_credentials``, the CSV columns and ``GetAccountSummary``'s
``AccountPasswordPresent`` / ``AccountAccessKeysPresent`` /
``AccountSigningCertificatesPresent`` / ``AccountMFAEnabled``) -> (``CredentialResult.kind``,
``AccountSummary`` flag)."""


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
    def reads_root_credentials(self) -> bool:
        """True when this result says what the root user holds: an audit (or a delete,
        which reads the credentials first) that looked into the account."""
        if not self.outcome.looked_into:
            return False
        if self.task is None:
            return self.outcome in (Outcome.ROOT_CREDENTIALS_PRESENT, Outcome.NO_ROOT_CREDENTIALS)
        return self.task in _READS_ROOT_CREDENTIALS

    def presence(self, kind: str) -> Presence:
        """Whether the root user holds credentials of ``kind`` (a key of
        :data:`ROOT_CREDENTIAL_KINDS`): present when one is listed as ``present`` (audit)
        or ``would_delete`` (dry run) or its ``GetAccountSummary`` flag is set; absent when
        the account was looked into and neither (a delete's ``deleted``, ``deactivated``
        and ``already_absent`` credentials are gone); unknown when it was not looked into
        (skipped, blocked, denied, throttled, error) or the task does not read root
        credentials (password recovery, unlocks). Raises ``KeyError`` for an unknown kind.
        """
        credential_kind, flag = ROOT_CREDENTIAL_KINDS[kind]
        if not self.reads_root_credentials:
            return Presence.UNKNOWN
        listed = any(c.kind == credential_kind and c.outcome in _HELD for c in self.credentials)
        flagged = self.summary is not None and bool(getattr(self.summary, flag))
        return Presence.PRESENT if listed or flagged else Presence.ABSENT

    @property
    def root_credentials(self) -> dict[str, Presence]:
        """:meth:`presence` of every kind, in :data:`ROOT_CREDENTIAL_KINDS` order."""
        return {kind: self.presence(kind) for kind in ROOT_CREDENTIAL_KINDS}

    @property
    def holds_root_credentials(self) -> Presence:
        """Present when any kind is present, absent when every kind is absent, else
        unknown."""
        kinds = set(self.root_credentials.values())
        if Presence.PRESENT in kinds:
            return Presence.PRESENT
        return Presence.ABSENT if kinds == {Presence.ABSENT} else Presence.UNKNOWN

    @property
    def has_root_credentials(self) -> bool:
        """True when the audit found a password, key, certificate or MFA device. False
        also when the account was not looked into: use :attr:`holds_root_credentials`
        (present / absent / unknown) to tell "none" from "unknown"."""
        return any(
            c.kind in ("password", "access_key", "signing_certificate", "mfa_device")
            and c.outcome in (Outcome.PRESENT, Outcome.WOULD_DELETE)
            for c in self.credentials
        )

    def to_dict(self) -> dict[str, Any]:
        """THE stable JSON shape of one account (used by CLI json, Terraform, evidence).

        ``{account_id, name, state, task, outcome, detail, dry_run, verified,
        summary: {...} | null, credentials: [...] | null, compliance: [...] | null,
        root_credentials: {password, access_keys, signing_certificates, mfa_devices}}``;
        each ``root_credentials`` value is ``true`` (present), ``false`` (absent) or
        ``null`` (unknown: not looked into), see :meth:`presence`; so are ``credentials``
        and ``compliance`` of an account not looked into with nothing recorded ([] is "none").
        """
        unknown = not self.outcome.looked_into
        credentials = [c.to_dict() for c in self.credentials] or (None if unknown else [])
        compliance = [c.to_dict() for c in self.compliance] or (None if unknown else [])
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
            "credentials": credentials,
            "compliance": compliance,
            "root_credentials": {k: v.to_json() for k, v in self.root_credentials.items()},
        }


@dataclass(frozen=True)
class Summary:
    """Counts per outcome over a run, the exit code, and the run in one plain sentence.

    - ``counts``: outcome value -> number of accounts (only outcomes that occurred).
    - ``total``: accounts reported; ``failed``: accounts with a failure outcome.
    - ``exit_code``: 0 when every targeted account ended well, else 1.
    - ``task``: the root-task policy name of the run (``None`` when no result named one).
    - ``inactive_states``: ``State`` -> number of ``skipped_inactive_account`` accounts
      (``SUSPENDED``, ``PENDING_CLOSURE``, ...).
    - ``root_credentials``: accounts by :meth:`AccountResult.holds_root_credentials`:
      ``{present, absent, unknown}``: holding some root credential after the run, holding
      none, unknown (not looked into, or a task that does not read root credentials).
    - ``credentials``: credential outcome value -> number of credentials (or policies).
    """

    counts: Mapping[str, int] = field(default_factory=dict)
    total: int = 0
    failed: int = 0
    task: str | None = None
    inactive_states: Mapping[str, int] = field(default_factory=dict)
    root_credentials: Mapping[str, int] = field(default_factory=dict)
    credentials: Mapping[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all accounts ended well, 1 some did not."""
        return 1 if self.failed else 0

    @property
    def not_looked_into(self) -> int:
        """Accounts that were not looked into (skipped or failed): their root user's
        credentials are unknown."""
        return sum(self.counts.get(o.value, 0) for o in Outcome if not o.looked_into)

    @property
    def text(self) -> str:
        """The run in one plain sentence, e.g. ``200 accounts: 60 hold root credentials,
        138 hold none, 2 not audited (1 blocked by an SCP, 1 SUSPENDED)`` or
        ``16 accounts: 12 deleted, 3 already clean, 1 failed (access denied)``."""
        return summary_text(self)

    def to_dict(self) -> dict[str, Any]:
        """``{total, failed, exit_code, counts: {outcome: n}}`` (counts sorted by name),
        plus (added fields) ``task``, ``text`` (:attr:`text`), ``root_credentials``
        ``{present, absent, unknown}``, ``not_looked_into`` ``{total, outcomes: {outcome:
        n}, states: {state: n}}`` and ``credentials`` ``{outcome: n}``."""
        return {
            "total": self.total,
            "failed": self.failed,
            "exit_code": self.exit_code,
            "counts": dict(sorted(self.counts.items())),
            "task": self.task,
            "text": self.text,
            "root_credentials": {p.value: self.root_credentials.get(p.value, 0) for p in Presence},
            "not_looked_into": {
                "total": self.not_looked_into,
                "outcomes": {
                    name: n
                    for name, n in sorted(self.counts.items())
                    if not Outcome(name).looked_into
                },
                "states": dict(sorted(self.inactive_states.items())),
            },
            "credentials": dict(sorted(self.credentials.items())),
        }


def summarize(results: Iterable[AccountResult]) -> Summary:
    """Count ``results`` per outcome; streams (keeps only the counters)."""
    counts: dict[str, int] = {}
    states: dict[str, int] = {}
    found: dict[str, int] = {}
    credentials: dict[str, int] = {}
    task: str | None = None
    total = failed = 0
    for result in results:
        counts[result.outcome.value] = counts.get(result.outcome.value, 0) + 1
        total += 1
        failed += 1 if result.failed else 0
        task = task or result.task
        if result.outcome == Outcome.SKIPPED_INACTIVE_ACCOUNT:
            state = result.state or "not ACTIVE"
            states[state] = states.get(state, 0) + 1
        presence = result.holds_root_credentials.value
        found[presence] = found.get(presence, 0) + 1
        for cred in result.credentials:
            credentials[cred.outcome.value] = credentials.get(cred.outcome.value, 0) + 1
    return Summary(
        counts=counts,
        total=total,
        failed=failed,
        task=task,
        inactive_states=states,
        root_credentials=found,
        credentials=credentials,
    )


# -- the summary sentence ----------------------------------------------------------

_REASONS = {
    Outcome.BLOCKED_BY_SCP: "blocked by an SCP",
    Outcome.ACCESS_DENIED: "access denied",
    Outcome.THROTTLED: "throttled",
    Outcome.ERROR: "error",
    Outcome.SKIPPED_MANAGEMENT_ACCOUNT: "management account",
}
"""How each not-looked-into outcome reads in a summary's parentheses (inactive accounts
read as their state: ``1 SUSPENDED``)."""

_PHRASES: Mapping[Outcome, tuple[str, str]] = {
    Outcome.ROOT_CREDENTIALS_PRESENT: ("holds root credentials", "hold root credentials"),
    Outcome.NO_ROOT_CREDENTIALS: ("holds none", "hold none"),
    Outcome.DELETED: ("deleted", "deleted"),
    Outcome.ALREADY_ABSENT: ("already clean", "already clean"),
    Outcome.WOULD_DELETE: (
        "would have root credentials deleted",
        "would have root credentials deleted",
    ),
    Outcome.RECOVERY_ENABLED: ("allows password recovery", "allow password recovery"),
    Outcome.WOULD_ENABLE_RECOVERY: (
        "would allow password recovery",
        "would allow password recovery",
    ),
}
"""Account outcomes as plain words after a count (singular, plural)."""


def _count(n: int, outcome: Outcome) -> str:
    singular, plural = _PHRASES[outcome]
    return f"{n} {singular if n == 1 else plural}"


def _reasons(summary: Summary, outcomes: Iterable[Outcome]) -> str:
    parts: list[str] = []
    for outcome in outcomes:
        n = summary.counts.get(outcome.value, 0)
        if not n:
            continue
        if outcome == Outcome.SKIPPED_INACTIVE_ACCOUNT:
            parts += [f"{k} {state}" for state, k in sorted(summary.inactive_states.items())]
            rest = n - sum(summary.inactive_states.values())
            parts += [f"{rest} not ACTIVE"] if rest > 0 else []
        else:
            parts.append(f"{n} {_REASONS[outcome]}")
    return ", ".join(parts)


_SKIPPED = (Outcome.SKIPPED_MANAGEMENT_ACCOUNT, Outcome.SKIPPED_INACTIVE_ACCOUNT)
_FAILURES = (Outcome.BLOCKED_BY_SCP, Outcome.ACCESS_DENIED, Outcome.THROTTLED, Outcome.ERROR)


def _group(summary: Summary, label: str, outcomes: tuple[Outcome, ...]) -> list[str]:
    """``2 not audited (1 blocked by an SCP, 1 SUSPENDED)``; one reason reads without
    its count: ``1 failed (access denied)``."""
    n = sum(summary.counts.get(o.value, 0) for o in outcomes)
    if not n:
        return []
    reasons = _reasons(summary, outcomes)
    if ", " not in reasons:
        reasons = reasons.split(" ", 1)[1]
    return [f"{n} {label} ({reasons})"]


def _policy_words(summary: Summary) -> list[str]:
    noun = "bucket polic" if summary.task == _UNLOCK_TASKS[0] else "queue polic"
    parts: list[str] = []
    for outcome, words in (
        (Outcome.DELETED, "deleted"),
        (Outcome.ALREADY_ABSENT, "already absent"),
        (Outcome.WOULD_DELETE, "would be deleted"),
    ):
        n = summary.credentials.get(outcome.value, 0)
        if n:
            parts.append(f"{n} {noun}{'y' if n == 1 else 'ies'} {words}")
    return parts


def summary_text(summary: Summary) -> str:
    """:attr:`Summary.text`: ``<n> accounts: <plain counts>``. Audits say how many hold
    root credentials, how many hold none and how many were not audited (and why);
    deletes, password recovery and unlocks say what was done, what was already clean,
    what failed (and why) and what was skipped (and why)."""
    head = f"{summary.total} account{'' if summary.total == 1 else 's'}"
    if not summary.total:
        return f"{head}: none selected"
    audit = summary.task == _AUDIT_TASK or (
        summary.task is None
        and any(
            o.value in summary.counts
            for o in (Outcome.ROOT_CREDENTIALS_PRESENT, Outcome.NO_ROOT_CREDENTIALS)
        )
    )
    parts: list[str] = []
    if audit:
        parts += [
            _count(summary.counts.get(o.value, 0), o)
            for o in (Outcome.ROOT_CREDENTIALS_PRESENT, Outcome.NO_ROOT_CREDENTIALS)
        ]
        parts += _group(summary, "not audited", _FAILURES + _SKIPPED)
        return f"{head}: {', '.join(parts)}"
    if summary.task in _UNLOCK_TASKS:
        parts += _policy_words(summary)
    else:
        clean = summary.counts.get(Outcome.ALREADY_ABSENT.value, 0) + summary.counts.get(
            Outcome.NO_ROOT_CREDENTIALS.value, 0
        )
        for outcome in (
            Outcome.DELETED,
            Outcome.WOULD_DELETE,
            Outcome.RECOVERY_ENABLED,
            Outcome.WOULD_ENABLE_RECOVERY,
        ):
            n = summary.counts.get(outcome.value, 0)
            parts += [_count(n, outcome)] if n else []
        parts += [_count(clean, Outcome.ALREADY_ABSENT)] if clean else []
    parts += _group(summary, "failed", _FAILURES)
    parts += _group(summary, "skipped", _SKIPPED)
    known = {o.value for o in (*_PHRASES, *_FAILURES, *_SKIPPED)}
    others = {k: v for k, v in summary.counts.items() if k not in known}
    parts += [f"{n} {name}" for name, n in sorted(others.items())]
    return f"{head}: {', '.join(parts) or 'nothing done'}"
