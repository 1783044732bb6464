"""Programmatic builder of a simulated AWS world (organizations, accounts, root users).

``World`` is how scenarios (``root_access.simulator.scenario``) and tests shape the
state that the patched moto serves. It holds no state itself: every method reads or
writes moto's backends of the current mock (inside ``moto.mock_aws()`` or the moto
server process), so ``moto``'s reset clears everything it built. Call
``root_access.simulator.install.install()`` once before using it.

Account ids are 12-digit strings; dates are timezone-aware UTC ``datetime``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlparse

from moto.core.base_backend import AccountSpecificBackend
from moto.organizations import utils as org_utils
from moto.organizations.models import FakeAccount, OrganizationsBackend, organizations_backends

from root_access.simulator.aws import FEATURES, TaskPolicy
from root_access.simulator.organizations import OrgView, organization_of
from root_access.simulator.policy import parse_document
from root_access.simulator.rootuser import (
    check_mfa_limit,
    new_access_key_id,
    new_mfa_device,
    new_signing_certificate,
    root_user_state,
)
from root_access.simulator.scp import SCP_TYPE, scp_deny_document, scp_enabled
from root_access.simulator.state import RootKeyState, sim_state

__all__ = [
    "ACCOUNT_STATES",
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
        _check_account_id(management_account_id)
        if feature_set not in ("ALL", "CONSOLIDATED_BILLING"):
            raise ValueError(f"feature_set must be ALL or CONSOLIDATED_BILLING: {feature_set!r}")
        backend = organizations_backends[management_account_id][partition]
        backend.create_organization(region=_home_region(partition), FeatureSet=feature_set)
        organization: Any = backend.org
        return str(organization.id)

    def create_organizational_unit(
        self, *, management_account_id: str, name: str, parent_id: str | None = None
    ) -> str:
        """Create an OU under ``parent_id`` (``None`` = the root); returns ``ou-...``."""
        view = self._view(management_account_id)
        parent = parent_id or view.org.root_id
        result = view.backend.create_organizational_unit(Name=name, ParentId=parent)
        return str(result["OrganizationalUnit"]["Id"])

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
        _check_account_id(account_id)
        if state not in ACCOUNT_STATES:
            raise ValueError(f"state must be one of {', '.join(ACCOUNT_STATES)}: {state!r}")
        view = self._view(management_account_id)
        if account_id == management_account_id or organization_of(account_id) is not None:
            raise ValueError(f"account {account_id} already belongs to an organization")
        backend: OrganizationsBackend = view.backend
        org = view.org
        parent = backend.validate_parent_id(parent_id) if parent_id else org.root_id
        # FakeAccount.__init__ would draw a random id and create an IAM role in that
        # account; a scenario account needs its chosen id and nothing else.
        account: Any = FakeAccount.__new__(FakeAccount)
        account.type = "ACCOUNT"
        account.region = org.region
        account.organization_id = org.id
        account.master_account_id = org.master_account_id
        account.create_account_status_id = org_utils.make_random_create_account_status_id()
        account.id = account_id
        account.name = name
        account.email = email or f"{account_id}@example.com"
        # Distinct join times keep moto's ListAccounts pagination (keyed on them) exact.
        account.create_time = _EPOCH + timedelta(seconds=len(backend.accounts))
        account.status = _LEGACY_STATUS[state]
        account.state = state
        account.joined_method = "CREATED"
        account.parent_id = parent
        account.attached_policies = []
        account.tags = {}
        for policy in backend.policies:
            if policy.id in (org_utils.DEFAULT_SCP_POLICY_ID, org_utils.DEFAULT_RCP_POLICY_ID):
                account.attached_policies.append(policy)
                policy.attachments.append(account)
        backend.accounts.append(account)
        organizations_backends.master_accounts[account_id] = (
            management_account_id,
            view.partition,
        )
        sim_state().org_accounts[account_id] = account

    def create_pipeline_principal(
        self, *, account_id: str, user_name: str = "pipeline"
    ) -> tuple[str, str]:
        """Create (or reuse) an IAM user with AdministratorAccess in ``account_id``.

        Returns a new access key ``(access_key_id, secret_access_key)`` (the newest
        existing one when the user already holds IAM's limit of two). The
        secret is for building a boto3 session only: never print or log it.
        """
        _check_account_id(account_id)
        from moto.iam.models import iam_backends

        view = organization_of(account_id)
        partition = view.partition if view is not None else "aws"
        iam = iam_backends[account_id][partition]
        if user_name not in iam.users:
            iam.create_user(region_name=_home_region(partition), user_name=user_name, path="/")
            iam.put_user_policy(user_name, "AdministratorAccess", _ADMIN_POLICY)
        existing = iam.list_access_keys(user_name)
        key = existing[-1] if len(existing) >= _KEYS_PER_USER else iam.create_access_key(user_name)
        return str(key.access_key_id), str(key.secret_access_key)

    def enable_trusted_access(
        self, *, management_account_id: str, service_principal: str = "iam.amazonaws.com"
    ) -> None:
        """``organizations:EnableAWSServiceAccess`` for ``service_principal``."""
        self._view(management_account_id).backend.enable_aws_service_access(
            ServicePrincipal=service_principal
        )

    def register_delegated_administrator(
        self,
        *,
        management_account_id: str,
        account_id: str,
        service_principal: str = "iam.amazonaws.com",
    ) -> None:
        """``organizations:RegisterDelegatedAdministrator`` for a member account."""
        self._view(management_account_id).backend.register_delegated_administrator(
            AccountId=account_id, ServicePrincipal=service_principal
        )

    def enable_features(self, *, management_account_id: str, features: Iterable[str]) -> None:
        """Enable IAM organization features (``RootCredentialsManagement``, ``RootSessions``).

        Unlike the API this does not require trusted access (scenarios may model an
        inconsistent organization); ``ValueError`` for an unknown feature name.
        """
        wanted = set(features)
        unknown = wanted - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features {sorted(unknown)}; allowed: {list(FEATURES)}")
        self._view(management_account_id).features.update(wanted)

    def set_root_credentials(
        self,
        account_id: str,
        *,
        password: bool = False,
        access_keys: Sequence[AccessKeySpec] = (),
        signing_certificates: int = 0,
        mfa_devices: Sequence[str] = (),
        password_last_used: datetime | None = None,
    ) -> None:
        """Replace the root user's credentials of ``account_id``.

        ``password_last_used`` feeds ``GetUser``'s ``PasswordLastUsed`` (UTC).

        ``mfa_devices`` lists kinds from ``MFA_KINDS`` (at most 8 devices, as AWS).
        Access key ids start ``AKIA``; they are indexed so requests signed with them
        act as the root user of ``account_id`` (no task policy applies to them).
        """
        _check_account_id(account_id)
        check_mfa_limit(mfa_devices)
        view = organization_of(account_id)
        partition = view.partition if view is not None else "aws"
        state = sim_state()
        user = root_user_state(account_id)
        for old in user.access_keys:
            state.root_keys.pop(old.access_key_id, None)
            state.key_accounts.pop(old.access_key_id, None)
        now = _now()
        user.login_profile_create_date = now if password else None
        user.password_last_used = password_last_used
        user.access_keys = []
        for spec in access_keys:
            if spec.status not in ("Active", "Inactive"):
                raise ValueError(f"access key status must be Active or Inactive: {spec.status!r}")
            key = RootKeyState(
                access_key_id=new_access_key_id("AKIA"),
                status=spec.status,
                create_date=now,
                last_used_date=spec.last_used_date,
                last_used_service=spec.last_used_service,
                last_used_region=spec.last_used_region,
            )
            user.access_keys.append(key)
            state.root_keys[key.access_key_id] = account_id
            state.key_accounts[key.access_key_id] = account_id
        user.signing_certificates = [new_signing_certificate() for _ in range(signing_certificates)]
        user.mfa_devices = [
            new_mfa_device(account_id, partition, kind, index)
            for index, kind in enumerate(mfa_devices, start=1)
        ]

    def root_user(self, account_id: str) -> RootUser:
        """A snapshot of the root user's credentials of ``account_id``."""
        user = sim_state().root_users.get(account_id)
        if user is None:
            return RootUser(account_id=account_id)
        return RootUser(
            account_id=account_id,
            password=user.login_profile_create_date is not None,
            password_create_date=user.login_profile_create_date,
            password_last_used=user.password_last_used,
            access_keys=tuple(
                RootAccessKey(
                    access_key_id=k.access_key_id,
                    status=k.status,
                    create_date=k.create_date,
                    last_used_date=k.last_used_date,
                    last_used_service=k.last_used_service,
                    last_used_region=k.last_used_region,
                )
                for k in user.access_keys
            ),
            signing_certificates=tuple(
                RootSigningCertificate(c.certificate_id, c.status, c.upload_date)
                for c in user.signing_certificates
            ),
            mfa_devices=tuple(
                RootMFADevice(d.serial_number, d.kind, d.enable_date, d.active)
                for d in user.mfa_devices
            ),
        )

    def create_scp(
        self,
        *,
        management_account_id: str,
        name: str,
        document: str | Mapping[str, Any],
        description: str = "",
    ) -> str:
        """``organizations:CreatePolicy`` of a ``SERVICE_CONTROL_POLICY``; returns ``p-...``.

        ``document`` is the policy (JSON text or a mapping). Enables the SCP policy
        type on the root first when it is off (``EnablePolicyType``), as a console
        user would. ``ValueError`` for a document the evaluator cannot read
        (``policy.PolicyError``); moto's ``DuplicatePolicyException`` for a taken name.
        """
        view = self._view(management_account_id)
        text = document if isinstance(document, str) else json.dumps(document)
        parse_document(text)
        if not scp_enabled(view):
            view.backend.enable_policy_type(RootId=view.org.root_id, PolicyType=SCP_TYPE)
        result = view.backend.create_policy(
            Content=text, Description=description, Name=name, Type=SCP_TYPE
        )
        return str(result["Policy"]["PolicySummary"]["Id"])

    def attach_scp(self, *, management_account_id: str, policy_id: str, target_id: str) -> None:
        """``organizations:AttachPolicy``: ``target_id`` is the root (``r-...``), an OU or
        an account id. Inherited by every account below (``scp.scp_decision``)."""
        self._view(management_account_id).backend.attach_policy(
            PolicyId=policy_id, TargetId=target_id
        )

    def root_id(self, management_account_id: str) -> str:
        """The organization's root id (``r-...``)."""
        return str(self._view(management_account_id).org.root_id)

    def deny_in_root_sessions(self, account_id: str, actions: Iterable[str]) -> str:
        """Shorthand for an SCP attached to ``account_id`` that denies ``actions``
        (``service:Action``, ``*`` wildcards) in its root sessions only.

        Creates and attaches (``create_scp``/``attach_scp``) the document
        ``scp_deny_document(actions)``: ``Deny`` the actions on ``*`` when
        ``aws:AssumedRoot`` is present. Denied calls answer ``AccessDenied`` "... with an
        explicit deny in a service control policy"; AssumeRoot itself still succeeds
        (the SCP applies to calls made in the session). Adds to earlier denials.
        Returns the policy id. ``KeyError`` when the account is in no organization;
        no effect on a management account (SCPs never apply to it).
        """
        _check_account_id(account_id)
        patterns = list(actions)
        for pattern in patterns:
            if pattern != "*" and ":" not in pattern:
                raise ValueError(f"SCP actions look like service:Action: {pattern!r}")
        view = organization_of(account_id)
        if view is None:
            raise KeyError(f"account {account_id} is in no organization")
        prefix = f"deny-{account_id}-"
        existing = len([p for p in view.backend.policies if str(p.name).startswith(prefix)])
        policy_id = self.create_scp(
            management_account_id=view.management_account_id,
            name=f"{prefix}in-root-sessions-{existing + 1}",
            document=scp_deny_document(patterns),
            description="scp_deny of a simulator scenario",
        )
        self.attach_scp(
            management_account_id=view.management_account_id,
            policy_id=policy_id,
            target_id=account_id,
        )
        return policy_id

    def set_task_features(
        self, *, management_account_id: str, task_features: Mapping[str, str]
    ) -> None:
        """Choose which organization feature AssumeRoot requires per task policy.

        ``task_features`` maps task policy names (``IAMCreateRootUserPassword``, ...)
        to ``RootCredentialsManagement`` or ``RootSessions``; tasks left out keep
        ``aws.DEFAULT_TASK_FEATURES`` (an assumption: AWS does not say). Replaces an
        earlier choice. ``ValueError`` for an unknown task or feature.
        """
        tasks = {task.value for task in TaskPolicy}
        for task, feature in task_features.items():
            if task not in tasks:
                raise ValueError(f"unknown task policy {task!r}; allowed: {sorted(tasks)}")
            if feature not in FEATURES:
                raise ValueError(f"unknown feature {feature!r}; allowed: {list(FEATURES)}")
        view = self._view(management_account_id)
        sim_state().task_features[view.organization_id] = dict(task_features)

    def allow_root_tasks(self, account_id: str, tasks: Iterable[str]) -> None:
        """Limit the IAM principals of ``account_id`` to these task policies in AssumeRoot.

        Models an identity policy with ``Condition ArnEquals sts:TaskPolicyArn``
        (Service Authorization Reference, AWS STS condition keys): AssumeRoot with any
        other task answers ``AccessDenied`` "... because no identity-based policy allows
        the sts:AssumeRoot action". ``tasks`` are ``TaskPolicy`` names
        (``IAMAuditRootUserCredentials``, ...); replaces an earlier limit.
        """
        names = {str(task) for task in tasks}
        unknown = names - {task.value for task in TaskPolicy}
        if unknown:
            raise ValueError(f"unknown root tasks {sorted(unknown)}")
        sim_state().task_allowlists[account_id] = names

    def expire_sessions(self, account_id: str | None = None) -> None:
        """Expire every AssumeRoot session into ``account_id`` (``None``: all accounts).

        Requests signed with an expired session answer ``ExpiredToken``.
        """
        past = _now() - timedelta(seconds=1)
        for session in sim_state().sessions.values():
            if account_id is None or session.account_id == account_id:
                session.expiration = past

    def create_bucket(
        self, account_id: str, bucket: str, *, region: str, policy: str | None = None
    ) -> None:
        """Create an S3 bucket in ``account_id`` with an optional bucket policy (JSON text)."""
        from moto.s3.models import s3_backends

        backend = s3_backends[account_id][_partition_of_region(region)]
        backend.create_bucket(bucket, region)
        if policy is not None:
            backend.put_bucket_policy(bucket, policy.encode("utf-8"))

    def create_queue(
        self, account_id: str, queue: str, *, region: str, policy: str | None = None
    ) -> str:
        """Create an SQS queue in ``account_id``; returns its URL at the Regional endpoint.

        (Through the server, ask ``GetQueueUrl``: the URL then carries the server's host.)
        """
        from moto.sqs.models import sqs_backends

        attributes = {"Policy": policy} if policy is not None else {}
        created = sqs_backends[account_id][region].create_queue(queue, tags=None, **attributes)
        endpoint = AccountSpecificBackend.get_session().client(
            "sqs", region_name=region, aws_access_key_id="unused", aws_secret_access_key="unused"
        )
        return str(created.url(urlparse(endpoint.meta.endpoint_url)))

    def account_for_access_key(self, access_key_id: str) -> str | None:
        """The account an access key belongs to (IAM user, root or AssumeRoot key), O(1)."""
        return sim_state().key_accounts.get(access_key_id)

    def _view(self, management_account_id: str) -> OrgView:
        view = organization_of(management_account_id)
        if view is None or view.management_account_id != management_account_id:
            raise KeyError(f"no organization managed by {management_account_id}")
        return view

    def set_pipeline_policy(self, account_id: str, document: dict[str, Any] | None) -> None:
        """Enforce an IAM identity policy ``document`` for the IAM principals of ``account_id``.

        Every request they sign is then allowed only when a statement allows it and none
        denies it, with ``sts:TaskPolicyArn`` on ``sts:AssumeRoot``
        (``root_access.simulator.identity``); refusals answer ``AccessDenied`` (403;
        ``AccessDeniedException`` in Organizations) "... because no identity-based policy
        allows ...". ``None`` stops enforcing (the pipeline user's AdministratorAccess
        applies again). Replaces an earlier document. ``ValueError`` for a malformed
        document or account id.
        """
        from root_access.simulator.identity import set_policy

        _check_account_id(account_id)
        set_policy(account_id, document)


ACCOUNT_STATES = ("ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "PENDING_ACTIVATION")
"""Organizations ``State`` values a scenario account may have."""

_LEGACY_STATUS = {
    "ACTIVE": "ACTIVE",
    "SUSPENDED": "SUSPENDED",
    "PENDING_CLOSURE": "PENDING_CLOSURE",
    "PENDING_ACTIVATION": "ACTIVE",
}
"""``State`` -> the deprecated ``Status`` (whose enum lacks PENDING_ACTIVATION)."""

_KEYS_PER_USER = 2
_EPOCH = datetime(2020, 1, 1)
_ADMIN_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _check_account_id(account_id: str) -> None:
    if not re.fullmatch(r"[0-9]{12}", account_id):
        raise ValueError(f"account ids are 12 digits: {account_id!r}")


def _home_region(partition: str) -> str:
    """The first Region botocore lists for ``partition`` (moto needs one per backend)."""
    session = AccountSpecificBackend.get_session()
    regions = session.get_available_regions("sts", partition_name=partition)
    if not regions:
        raise ValueError(f"unknown partition {partition!r}")
    return str(regions[0])


def _partition_of_region(region: str) -> str:
    from moto.utilities.utils import get_partition

    return str(get_partition(region))
