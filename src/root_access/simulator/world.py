"""Programmatic builder of a simulated AWS world (organizations, accounts, root users).

``World`` is how scenarios (``root_access.simulator.scenario``) and tests shape the
state that the patched moto serves. It holds no state itself: every method reads or
writes moto's backends of the current mock (inside ``moto.mock_aws()`` or the moto
server process), so ``moto``'s reset clears everything it built. Call
``root_access.simulator.install.install()`` once before using it.

Account ids are 12-digit strings; dates are timezone-aware UTC ``datetime``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "MFA_KINDS",
    "AccessKeySpec",
    "RootAccessKey",
    "RootMFADevice",
    "RootSigningCertificate",
    "RootUser",
    "World",
]

MFA_KINDS = ("virtual", "fido", "hardware")
"""MFA device kinds, classified by serial number (reference §4 "MFA kinds")."""


@dataclass(frozen=True)
class AccessKeySpec:
    """A root access key to create with ``World.set_root_credentials``.

    ``status`` is ``"Active"`` or ``"Inactive"``. ``last_used_*`` feed
    ``GetAccessKeyLastUsed``; all ``None`` means never used (AWS then reports
    ``ServiceName``/``Region`` ``"N/A"``).
    """

    status: str = "Active"
    last_used_date: datetime | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None


@dataclass(frozen=True)
class RootAccessKey:
    """One access key of a root user (snapshot)."""

    access_key_id: str
    status: str
    create_date: datetime
    last_used_date: datetime | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None


@dataclass(frozen=True)
class RootSigningCertificate:
    """One X.509 signing certificate of a root user (snapshot)."""

    certificate_id: str
    status: str
    upload_date: datetime


@dataclass(frozen=True)
class RootMFADevice:
    """One MFA device of a root user (snapshot).

    ``serial_number`` is ``arn:<p>:iam::<id>:mfa/<name>`` (virtual),
    ``arn:<p>:iam::<id>:u2f/root/<name>-<suffix>`` (FIDO) or a plain serial such
    as ``GAKT12345678`` (hardware TOTP). ``active`` turns false on
    ``DeactivateMFADevice``; a deactivated virtual device still exists until
    ``DeleteVirtualMFADevice``.
    """

    serial_number: str
    kind: str
    enable_date: datetime
    active: bool = True


@dataclass(frozen=True)
class RootUser:
    """The state of one member account's root user, for assertions (snapshot)."""

    account_id: str
    password: bool = False
    password_create_date: datetime | None = None
    password_last_used: datetime | None = None
    access_keys: tuple[RootAccessKey, ...] = ()
    signing_certificates: tuple[RootSigningCertificate, ...] = ()
    mfa_devices: tuple[RootMFADevice, ...] = field(default=())

    @property
    def has_credentials(self) -> bool:
        """True when any password, key, certificate or active MFA device remains."""
        return bool(
            self.password
            or self.access_keys
            or self.signing_certificates
            or any(device.active for device in self.mfa_devices)
        )


class World:
    """Builder over the current moto backends (see module docstring).

    Errors: ``ValueError`` for malformed input (account ids, states, MFA kinds,
    more than 8 MFA devices); ``KeyError`` for an unknown organization/account.
    """

    def create_organization(
        self, *, management_account_id: str, feature_set: str = "ALL", partition: str = "aws"
    ) -> str:
        """Create an organization whose management account is ``management_account_id``.

        Returns the organization id (``o-`` + 10 lowercase alphanumerics).
        ``feature_set`` is ``"ALL"`` or ``"CONSOLIDATED_BILLING"``. ``partition``
        is ``aws``, ``aws-cn`` or ``aws-us-gov`` (the organization's ARNs use it).
        Several organizations may coexist (one per management account).
        """
        raise NotImplementedError

    def create_organizational_unit(
        self, *, management_account_id: str, name: str, parent_id: str | None = None
    ) -> str:
        """Create an OU under ``parent_id`` (``None`` = the root); returns ``ou-...``."""
        raise NotImplementedError

    def create_account(
        self,
        *,
        management_account_id: str,
        account_id: str,
        name: str,
        email: str | None = None,
        state: str = "ACTIVE",
        parent_id: str | None = None,
    ) -> None:
        """Add a member account with a chosen id to that management account's organization.

        ``state``: ``ACTIVE``, ``SUSPENDED``, ``PENDING_CLOSURE`` or
        ``PENDING_ACTIVATION`` (Organizations ``State``; the legacy ``Status`` is
        derived). ``parent_id`` is an OU id or ``None`` for the root. ``email``
        defaults to ``<account_id>@example.com``. A new account has no root
        credentials (as accounts created through Organizations).
        """
        raise NotImplementedError

    def create_pipeline_principal(
        self, *, account_id: str, user_name: str = "pipeline"
    ) -> tuple[str, str]:
        """Create (or reuse) an IAM user with AdministratorAccess in ``account_id``.

        Returns a fresh access key ``(access_key_id, secret_access_key)``. The
        secret is for building a boto3 session only: never print or log it.
        """
        raise NotImplementedError

    def enable_trusted_access(
        self, *, management_account_id: str, service_principal: str = "iam.amazonaws.com"
    ) -> None:
        """``organizations:EnableAWSServiceAccess`` for ``service_principal``."""
        raise NotImplementedError

    def register_delegated_administrator(
        self,
        *,
        management_account_id: str,
        account_id: str,
        service_principal: str = "iam.amazonaws.com",
    ) -> None:
        """``organizations:RegisterDelegatedAdministrator`` for a member account."""
        raise NotImplementedError

    def enable_features(self, *, management_account_id: str, features: Iterable[str]) -> None:
        """Enable IAM organization features (``RootCredentialsManagement``, ``RootSessions``).

        Unlike the API this does not require trusted access (scenarios may model an
        inconsistent organization); ``ValueError`` for an unknown feature name.
        """
        raise NotImplementedError

    def set_root_credentials(
        self,
        account_id: str,
        *,
        password: bool = False,
        access_keys: Sequence[AccessKeySpec] = (),
        signing_certificates: int = 0,
        mfa_devices: Sequence[str] = (),
    ) -> None:
        """Replace the root user's credentials of ``account_id``.

        ``mfa_devices`` lists kinds from ``MFA_KINDS`` (at most 8 devices, as AWS).
        Access key ids start ``AKIA``; they are indexed so requests signed with them
        act as the root user of ``account_id`` (no task policy applies to them).
        """
        raise NotImplementedError

    def root_user(self, account_id: str) -> RootUser:
        """A snapshot of the root user's credentials of ``account_id``."""
        raise NotImplementedError

    def deny_in_root_sessions(self, account_id: str, actions: Iterable[str]) -> None:
        """Model an SCP: deny ``actions`` (``service:Action``, ``*`` wildcards) in root sessions.

        Denied calls answer ``AccessDenied`` "... with an explicit deny in a service
        control policy". Also applies to ``sts:AssumeRoot`` itself when listed for the
        caller's account. Adds to earlier denials.
        """
        raise NotImplementedError

    def expire_sessions(self, account_id: str | None = None) -> None:
        """Expire every AssumeRoot session into ``account_id`` (``None``: all accounts).

        Requests signed with an expired session answer ``ExpiredToken``.
        """
        raise NotImplementedError

    def create_bucket(
        self, account_id: str, bucket: str, *, region: str, policy: str | None = None
    ) -> None:
        """Create an S3 bucket in ``account_id`` with an optional bucket policy (JSON text)."""
        raise NotImplementedError

    def create_queue(
        self, account_id: str, queue: str, *, region: str, policy: str | None = None
    ) -> str:
        """Create an SQS queue in ``account_id``; returns its queue URL."""
        raise NotImplementedError

    def account_for_access_key(self, access_key_id: str) -> str | None:
        """The account an access key belongs to (IAM user, root or AssumeRoot key), O(1)."""
        raise NotImplementedError
