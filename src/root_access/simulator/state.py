"""The simulator's own state, kept on a moto backend so that moto's reset clears it.

moto resets every ``BackendDict`` it has handed out (``BackendDict.reset`` at
``mock_aws`` start/stop and ``/moto-api/reset`` in the server), so the state lives
in one ``SimulatorState`` backend of a ``BackendDict`` of our own. The dict itself is
moto's registry idiom (like ``moto.iam.models.iam_backends``): it holds no data
between resets.

Everything here is cross-account: the access-key index (constant-time account
lookup), root users, AssumeRoot sessions, organization features and SCP denials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend

__all__ = [
    "MAX_MFA_DEVICES",
    "MfaDeviceState",
    "RootKeyState",
    "RootSession",
    "RootUserState",
    "SigningCertificateState",
    "SimulatorState",
    "sim_state",
]

MAX_MFA_DEVICES = 8
"""AWS allows up to 8 MFA devices per root user (IAM User Guide, id_credentials_mfa)."""

_STATE_ACCOUNT = "000000000000"
_STATE_REGION = "aws"


@dataclass
class RootKeyState:
    """A root access key (mutable simulator state)."""

    access_key_id: str
    status: str
    create_date: datetime
    last_used_date: datetime | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None


@dataclass
class SigningCertificateState:
    """A root X.509 signing certificate."""

    certificate_id: str
    status: str
    upload_date: datetime
    body: str


@dataclass
class MfaDeviceState:
    """A root MFA device; ``active`` is False once deactivated (virtual devices only)."""

    serial_number: str
    kind: str
    enable_date: datetime
    active: bool = True


@dataclass
class RootUserState:
    """The root user of one account."""

    account_id: str
    create_date: datetime
    login_profile_create_date: datetime | None = None
    password_last_used: datetime | None = None
    access_keys: list[RootKeyState] = field(default_factory=list)
    signing_certificates: list[SigningCertificateState] = field(default_factory=list)
    mfa_devices: list[MfaDeviceState] = field(default_factory=list)


@dataclass
class RootSession:
    """One ``sts:AssumeRoot`` session (the secret is never stored)."""

    access_key_id: str
    account_id: str
    partition: str
    task_policy_arn: str
    task_name: str
    expiration: datetime
    caller_arn: str


class SimulatorState(BaseBackend):
    """All cross-account simulator state (one instance per moto reset cycle)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.key_accounts: dict[str, str] = {}
        """Access key id -> account id, for every IAM, root and AssumeRoot key."""
        self.root_keys: dict[str, str] = {}
        """Root-user (long-term, ``AKIA``) access key id -> account id."""
        self.root_users: dict[str, RootUserState] = {}
        self.sessions: dict[str, RootSession] = {}
        """AssumeRoot access key id -> session."""
        self.issued_secrets: list[str] = []
        """Every secret access key and session token AssumeRoot handed out, in order:
        only for leak tests (``GET /_simulator/issued-secrets``); never logged."""
        self.features: dict[str, set[str]] = {}
        """Organization id -> enabled IAM organization features."""
        self.task_features: dict[str, dict[str, str]] = {}
        """Organization id -> {task policy name: required feature} (overrides of the default)."""
        self.task_allowlists: dict[str, set[str]] = {}
        """Caller account id -> root-task names its IAM principals may pass to AssumeRoot."""
        self.org_accounts: dict[str, Any] = {}
        """Account id -> moto ``FakeAccount`` for accounts added by ``World`` (O(1) lookup)."""


_backends: BackendDict[SimulatorState] = BackendDict(
    SimulatorState, "root-access", use_boto3_regions=False, additional_regions=[_STATE_REGION]
)


def sim_state() -> SimulatorState:
    """The current ``SimulatorState`` (created on first use after each reset)."""
    return _backends[_STATE_ACCOUNT][_STATE_REGION]
