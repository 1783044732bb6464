"""The scenario's data model: frozen dataclasses, no parsing.

``scenario`` reads documents into these; ``generate`` builds them for large
organizations; ``simulator.build_world`` turns them into moto state. Keeping them
here lets ``generate`` and ``scenario`` depend on the model without depending on
each other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "ACCOUNT_STATES",
    "FEATURE_SETS",
    "KEY_STATUSES",
    "MAX_ACCESS_KEYS",
    "MAX_MFA_DEVICES",
    "MAX_OU_DEPTH",
    "MFA_KINDS",
    "AccessKey",
    "AccessKeyLastUsed",
    "Account",
    "Bucket",
    "Organization",
    "OrganizationalUnit",
    "Pipeline",
    "Queue",
    "RootCredentials",
    "ServiceControlPolicy",
]

ACCOUNT_STATES = ("ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "PENDING_ACTIVATION")
"""Account ``State`` values of the Organizations API (DescribeAccount)."""
FEATURE_SETS = ("ALL", "CONSOLIDATED_BILLING")
MFA_KINDS = ("virtual", "fido", "hardware")
"""MFA device kinds, told apart by serial number (reference §4)."""
KEY_STATUSES = ("Active", "Inactive")
MAX_MFA_DEVICES = 8
"""IAM allows up to 8 MFA devices per user, the root user included."""
MAX_ACCESS_KEYS = 2
MAX_OU_DEPTH = 5
"""Organizations allows OUs nested five levels below the root."""


@dataclass(frozen=True, slots=True)
class AccessKeyLastUsed:
    """When and where a root access key was last used (GetAccessKeyLastUsed)."""

    date: datetime
    service: str
    region: str


@dataclass(frozen=True, slots=True)
class AccessKey:
    """A root access key: ``status`` is ``Active`` or ``Inactive``."""

    status: str = "Active"
    last_used: AccessKeyLastUsed | None = None


@dataclass(frozen=True, slots=True)
class RootCredentials:
    """The credentials a member account's root user holds.

    ``signing_certificates`` is a count; ``mfa_devices`` holds one kind
    (``virtual``/``fido``/``hardware``) per device.
    """

    password: bool = False
    access_keys: tuple[AccessKey, ...] = ()
    signing_certificates: int = 0
    mfa_devices: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """True when the root user holds at least one credential."""
        return bool(
            self.password or self.access_keys or self.signing_certificates or self.mfa_devices
        )


@dataclass(frozen=True, slots=True)
class ServiceControlPolicy:
    """An SCP document (JSON text) attached to the root, an OU or an account.

    The same ``name`` may be attached at several places with the same document: it is
    one Organizations policy with several targets.
    """

    name: str
    document: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Bucket:
    """An S3 bucket of an account; ``policy`` is the bucket policy (JSON text) or None.

    ``region`` None means the scenario's Region.
    """

    name: str
    region: str | None = None
    policy: str | None = None


@dataclass(frozen=True, slots=True)
class Queue:
    """An SQS queue of an account; ``policy`` is the queue policy (JSON text) or None."""

    name: str
    region: str | None = None
    policy: str | None = None


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The pipeline principal's IAM policy (JSON text) in ``account_id``.

    ``account_id`` None means the organization's management account. Applied with
    ``World.set_pipeline_policy`` when the World has it.
    """

    policy: str
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """A member account (or the management account) of an organization."""

    id: str
    name: str
    email: str | None = None
    state: str = "ACTIVE"
    root_credentials: RootCredentials = field(default_factory=RootCredentials)
    scp_deny: tuple[str, ...] = ()
    """Shorthand: IAM actions (``service:Action``) an SCP denies in root sessions."""
    service_control_policies: tuple[ServiceControlPolicy, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    queues: tuple[Queue, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganizationalUnit:
    """An OU (or the root, named ``Root``) with its accounts, child OUs and SCPs."""

    name: str
    accounts: tuple[Account, ...] = ()
    organizational_units: tuple[OrganizationalUnit, ...] = ()
    service_control_policies: tuple[ServiceControlPolicy, ...] = ()

    def walk(self) -> Iterator[Account]:
        """Every account in this OU and below, depth first."""
        yield from self.accounts
        for child in self.organizational_units:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Organization:
    """One organization: its management account, settings and tree.

    ``task_features`` maps task policy names to the feature AssumeRoot requires for
    them (tasks left out keep ``aws.DEFAULT_TASK_FEATURES``).
    """

    management_account: Account
    root: OrganizationalUnit
    feature_set: str = "ALL"
    partition: str = "aws"
    trusted_access: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    delegated_administrator: str | None = None
    task_features: Mapping[str, str] = field(default_factory=dict)
    pipeline: Pipeline | None = None

    def accounts(self) -> Iterator[Account]:
        """The management account, then every member account, depth first."""
        yield self.management_account
        yield from self.root.walk()
