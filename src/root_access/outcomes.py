"""The fixed vocabulary of per-account and per-credential outcomes.

Every result this package reports carries one of these values, so that tests,
pipelines and the Terraform modules can compare exact strings. The meaning of
each value is documented in ``docs/outcomes.md``.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["FAILED_OUTCOMES", "NOT_LOOKED_INTO_OUTCOMES", "Outcome"]


class Outcome(str, Enum):
    """What happened to one account (or one credential of its root user)."""

    ROOT_CREDENTIALS_PRESENT = "root_credentials_present"
    """Audit: the root user holds at least one password, access key, signing certificate
    or MFA device. A finding that needs action, not a failure of the run."""
    PRESENT = "present"
    """Audit, per credential: this credential exists on the root user."""
    NO_ROOT_CREDENTIALS = "no_root_credentials"
    """Audit: the root user holds no password, key, certificate or MFA device."""
    DELETED = "deleted"
    """Delete: the credential existed and was deleted. For an MFA device: deactivated
    (``DeactivateMFADevice``) and, for a virtual device, its IAM entity deleted too."""
    DEACTIVATED = "deactivated"
    """Delete, per credential: a virtual MFA device was deactivated (it no longer
    protects or signs in the root user) but the device itself was left in place, because
    ``DeleteVirtualMFADevice`` was not requested or was denied (the current
    ``IAMDeleteRootUserCredentials`` policy does not allow it)."""
    ALREADY_ABSENT = "already_absent"
    """Delete: the credential was already gone (``NoSuchEntity``); a success."""
    WOULD_DELETE = "would_delete"
    """Dry run: the credential exists and would be deleted."""
    WOULD_ENABLE_RECOVERY = "would_enable_recovery"
    """Dry run of password recovery: no login profile exists; one would be created."""
    POLICY_RECORDED = "policy_recorded"
    """Unlock evidence: the bucket or queue policy was read and recorded in the journal
    before its removal (the record an operator needs to restore it)."""
    RECOVERY_ENABLED = "recovery_enabled"
    """Password recovery: a login profile without password now exists (or already did)."""
    SKIPPED_MANAGEMENT_ACCOUNT = "skipped_management_account"
    """The management account is outside centralized root access; never assumed into."""
    SKIPPED_INACTIVE_ACCOUNT = "skipped_inactive_account"
    """The account is not ACTIVE (SUSPENDED, PENDING_CLOSURE, ...); never assumed into."""
    BLOCKED_BY_SCP = "blocked_by_scp"
    """A service control policy denied the root session or one of its calls."""
    ACCESS_DENIED = "access_denied"
    """AssumeRoot or a call in the session was denied (not by an SCP)."""
    THROTTLED = "throttled"
    """The account exhausted its retries on throttling errors."""
    ERROR = "error"
    """Any other failure; the detail field carries the AWS error code and message."""

    def __str__(self) -> str:
        return self.value

    @property
    def failed(self) -> bool:
        """True when the account did not end well (exit code 1 if any did)."""
        return self in FAILED_OUTCOMES

    @property
    def looked_into(self) -> bool:
        """False when the account's root user was never read (skipped, or the session or
        a call failed): whatever it holds is *unknown*, never "none"."""
        return self not in NOT_LOOKED_INTO_OUTCOMES


FAILED_OUTCOMES = frozenset(
    {Outcome.BLOCKED_BY_SCP, Outcome.ACCESS_DENIED, Outcome.THROTTLED, Outcome.ERROR}
)

NOT_LOOKED_INTO_OUTCOMES = frozenset(
    {
        Outcome.SKIPPED_MANAGEMENT_ACCOUNT,
        Outcome.SKIPPED_INACTIVE_ACCOUNT,
        *FAILED_OUTCOMES,
    }
)
"""Account outcomes of accounts that were not looked into: every credential kind of
their root user is unknown (``null`` in JSON, an empty CSV cell, ``-`` in tables)."""
