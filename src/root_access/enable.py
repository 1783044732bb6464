"""Enable (or disable) centralized root access for the organization, idempotently.

Lists first and calls only for the difference (whether Enable/Disable repeat safely is
undocumented, reference §2). Calls: ``organizations:EnableAWSServiceAccess`` for
``iam.amazonaws.com`` (trusted access; the API does not turn it on by itself),
``iam:EnableOrganizationsRootCredentialsManagement`` /
``iam:EnableOrganizationsRootSessions``, ``organizations:RegisterDelegatedAdministrator``
(and their Disable / Deregister twins). Source: IAM User Guide
``id_root-enable-root-access.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from root_access.arns import ACCOUNT_ID
from root_access.clients import iam_client, organizations_client
from root_access.errors import PreflightError, UsageError, has_code
from root_access.preflight import ENABLE_TRUSTED_ACCESS, IAM_SERVICE_PRINCIPAL, Preflight
from root_access.prepare import prepare
from root_access.tasks import FEATURES, ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_organizations import OrganizationsClient

__all__ = [
    "DisablePlan",
    "EnablePlan",
    "EnableResult",
    "disable",
    "enable",
    "plan_disable",
    "plan_enable",
    "validate_features",
]

_ENABLE = {
    ROOT_CREDENTIALS_MANAGEMENT: "enable_organizations_root_credentials_management",
    ROOT_SESSIONS: "enable_organizations_root_sessions",
}
_DISABLE = {
    ROOT_CREDENTIALS_MANAGEMENT: "disable_organizations_root_credentials_management",
    ROOT_SESSIONS: "disable_organizations_root_sessions",
}


@dataclass(frozen=True)
class EnableResult:
    """What ``enable`` / ``disable`` found and changed.

    - ``organization_id``; ``trusted_access``: trusted access for ``iam.amazonaws.com``
      afterwards (``None`` when unreadable); ``enabled_features`` afterwards.
    - ``delegated_administrators``: IAM delegated administrator ids afterwards.
    - ``changes``: the calls made, in order (e.g. ``EnableOrganizationsRootSessions``);
      empty when everything was already as asked.
    """

    organization_id: str
    trusted_access: bool | None
    enabled_features: tuple[str, ...]
    delegated_administrators: tuple[str, ...]
    changes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        """True when any call changed the organization."""
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: every field plus ``changed``; lists for tuples."""
        return {
            "organization_id": self.organization_id,
            "trusted_access": self.trusted_access,
            "enabled_features": list(self.enabled_features),
            "delegated_administrators": list(self.delegated_administrators),
            "changes": list(self.changes),
            "changed": self.changed,
        }


def validate_features(features: Sequence[str]) -> tuple[str, ...]:
    """A non-empty subset of ``RootCredentialsManagement`` / ``RootSessions``, in canonical
    order, else :class:`UsageError`."""
    chosen = (features,) if isinstance(features, str) else tuple(features)
    unknown = [f for f in chosen if f not in FEATURES]
    if unknown or not chosen:
        problem = f"unknown feature {unknown[0]!r}" if unknown else "no feature given"
        raise UsageError(f"{problem}: choose from {', '.join(FEATURES)}")
    return tuple(f for f in FEATURES if f in chosen)


def _validate_admin(account_id: str | None) -> None:
    if account_id is not None and (
        not isinstance(account_id, str) or ACCOUNT_ID.fullmatch(account_id) is None
    ):
        raise UsageError(
            f"malformed delegated administrator {account_id!r}: account ids are 12-digit "
            "strings, e.g. 333333333333"
        )


def _features(iam: IAMClient) -> tuple[str, ...]:
    try:
        enabled = iam.list_organizations_features().get("EnabledFeatures", [])
    except ClientError as error:
        if has_code(error, "ServiceAccessNotEnabled"):
            raise PreflightError(
                "ORG-TRUSTED-ACCESS",
                f"trusted access for iam.amazonaws.com is off: {ENABLE_TRUSTED_ACCESS}",
            ) from None
        raise
    return tuple(f for f in FEATURES if f in enabled)


def _admins(organizations: OrganizationsClient) -> tuple[str, ...]:
    paginator = organizations.get_paginator("list_delegated_administrators")
    return tuple(
        a["Id"]
        for page in paginator.paginate(ServicePrincipal=IAM_SERVICE_PRINCIPAL)
        for a in page.get("DelegatedAdministrators", [])
    )


def _management(
    session: boto3.Session, region: str | None, verb: str, checked: Preflight | None = None
) -> Preflight:
    checked = checked or prepare(session, region=region).preflight
    if checked.caller_role != "management":
        raise PreflightError(
            "ORG-WRONG-CALLER",
            f"{verb} centralized root access needs the management account "
            f"({checked.management_account_id}); the caller is in {checked.caller_account_id}",
        )
    if checked.feature_set != "ALL":
        raise PreflightError(
            "ORG-ALL-FEATURES",
            f"organization {checked.organization_id} does not use all features: enable all "
            "features in AWS Organizations first",
        )
    return checked


def enable(
    session: boto3.Session,
    *,
    trusted_access: bool = False,
    features: Sequence[str] = FEATURES,
    delegated_administrator: str | None = None,
    region: str | None = None,
    preflight_result: Preflight | None = None,
) -> EnableResult:
    """Enable trusted access (when asked), the ``features`` and the delegated admin.

    Idempotent: lists first and calls only for what is missing. Raises
    :class:`UsageError` (unknown feature, malformed account id) before any AWS call and
    :class:`PreflightError` when the caller is not the management account
    (ORG-WRONG-CALLER) or trusted access is off and not asked for (ORG-TRUSTED-ACCESS).
    ``features`` may be empty only with ``trusted_access=True`` (the Terraform module
    enables trusted access alone, before its features resource).
    """
    wanted = () if trusted_access and not features else validate_features(features)
    _validate_admin(delegated_administrator)
    checked = _management(session, region, "enabling", preflight_result)
    organizations = organizations_client(session, checked.region)
    iam = iam_client(session, checked.region)
    changes: list[str] = []
    trusted = checked.trusted_access
    if trusted_access and trusted is not True:
        organizations.enable_aws_service_access(ServicePrincipal=IAM_SERVICE_PRINCIPAL)
        changes.append("EnableAWSServiceAccess")
        trusted = True
    enabled = _features(iam)
    for feature in wanted:
        if feature not in enabled:
            response = getattr(iam, _ENABLE[feature])()
            changes.append(_ENABLE[feature].title().replace("_", ""))
            enabled = tuple(f for f in FEATURES if f in response.get("EnabledFeatures", []))
    enabled = _features(iam)
    admins = _admins(organizations)
    if delegated_administrator is not None and delegated_administrator not in admins:
        try:
            organizations.register_delegated_administrator(
                AccountId=delegated_administrator, ServicePrincipal=IAM_SERVICE_PRINCIPAL
            )
            changes.append("RegisterDelegatedAdministrator")
        except ClientError as error:
            if not has_code(error, "AccountAlreadyRegistered"):
                raise
        admins = _admins(organizations)
    return EnableResult(
        organization_id=checked.organization_id,
        trusted_access=trusted,
        enabled_features=enabled,
        delegated_administrators=admins,
        changes=tuple(changes),
    )


def disable(
    session: boto3.Session,
    *,
    features: Sequence[str] = FEATURES,
    delegated_administrator: str | None = None,
    trusted_access: bool = False,
    region: str | None = None,
    preflight_result: Preflight | None = None,
) -> EnableResult:
    """Deregister the delegated admin (when named), disable ``features``, and (when
    ``trusted_access``) disable trusted access for ``iam.amazonaws.com``, in that order.

    Idempotent like :func:`enable`. Disabling ``RootCredentialsManagement`` stops central
    audit and deletion for every member; the caller confirms (the CLI asks). Raises
    :class:`UsageError` / :class:`PreflightError` like :func:`enable`.
    """
    unwanted = validate_features(features)
    _validate_admin(delegated_administrator)
    checked = _management(session, region, "disabling", preflight_result)
    organizations = organizations_client(session, checked.region)
    iam = iam_client(session, checked.region)
    changes: list[str] = []
    admins = _admins(organizations)
    if delegated_administrator is not None and delegated_administrator in admins:
        try:
            organizations.deregister_delegated_administrator(
                AccountId=delegated_administrator, ServicePrincipal=IAM_SERVICE_PRINCIPAL
            )
            changes.append("DeregisterDelegatedAdministrator")
        except ClientError as error:
            if not has_code(error, "AccountNotRegistered"):
                raise
        admins = _admins(organizations)
    enabled: tuple[str, ...] = ()
    if checked.trusted_access is not False:
        enabled = _features(iam)
        for feature in unwanted:
            if feature in enabled:
                getattr(iam, _DISABLE[feature])()
                changes.append(_DISABLE[feature].title().replace("_", ""))
        enabled = _features(iam)
    trusted = checked.trusted_access
    if trusted_access and trusted is not False:
        organizations.disable_aws_service_access(ServicePrincipal=IAM_SERVICE_PRINCIPAL)
        changes.append("DisableAWSServiceAccess")
        trusted = False
    return EnableResult(
        organization_id=checked.organization_id,
        trusted_access=trusted,
        enabled_features=enabled,
        delegated_administrators=admins,
        changes=tuple(changes),
    )


@dataclass(frozen=True)
class EnablePlan:
    """What :func:`enable` would change (read-only): ``enable_trusted_access``,
    ``enable_features`` (the missing ones, canonical order) and
    ``register_delegated_administrator`` (``None`` when already registered or not asked)."""

    preflight: Preflight
    enable_trusted_access: bool
    enable_features: tuple[str, ...]
    register_delegated_administrator: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of ``enable --dry-run``."""
        return {
            "organization_id": self.preflight.organization_id,
            "caller_role": self.preflight.caller_role,
            "dry_run": True,
            "enable_trusted_access": self.enable_trusted_access,
            "enable_features": list(self.enable_features),
            "register_delegated_administrator": self.register_delegated_administrator,
        }


@dataclass(frozen=True)
class DisablePlan:
    """What :func:`disable` would change (read-only): ``disable_features`` (the enabled
    ones asked for), ``deregister_delegated_administrator``, ``disable_trusted_access``."""

    preflight: Preflight
    disable_features: tuple[str, ...]
    deregister_delegated_administrator: str | None
    disable_trusted_access: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of ``disable --dry-run``."""
        return {
            "organization_id": self.preflight.organization_id,
            "dry_run": True,
            "disable_features": list(self.disable_features),
            "deregister_delegated_administrator": self.deregister_delegated_administrator,
            "disable_trusted_access": self.disable_trusted_access,
        }


def plan_enable(
    session: boto3.Session,
    *,
    trusted_access: bool = False,
    features: Sequence[str] = FEATURES,
    delegated_administrator: str | None = None,
    region: str | None = None,
) -> EnablePlan:
    """What :func:`enable` would do, from one preflight (no change, any caller).

    Raises :class:`UsageError` (unknown feature, malformed account id) before any AWS
    call and :class:`PreflightError` from the preflight.
    """
    wanted = validate_features(features) if features else ()
    _validate_admin(delegated_administrator)
    checked = prepare(session, region=region).preflight
    admins = checked.delegated_administrators or ()
    return EnablePlan(
        preflight=checked,
        enable_trusted_access=bool(trusted_access and checked.trusted_access is not True),
        enable_features=tuple(f for f in wanted if f not in (checked.enabled_features or ())),
        register_delegated_administrator=(
            delegated_administrator
            if delegated_administrator and delegated_administrator not in admins
            else None
        ),
    )


def plan_disable(
    session: boto3.Session,
    *,
    features: Sequence[str] = FEATURES,
    delegated_administrator: str | None = None,
    trusted_access: bool = False,
    region: str | None = None,
) -> DisablePlan:
    """What :func:`disable` would do, from one preflight (no change); pass
    ``plan.preflight`` to :func:`disable` as ``preflight_result`` after confirming.

    Raises :class:`UsageError` / :class:`PreflightError` like :func:`plan_enable`.
    """
    unwanted = validate_features(features)
    _validate_admin(delegated_administrator)
    checked = prepare(session, region=region).preflight
    enabled = checked.enabled_features or ()
    return DisablePlan(
        preflight=checked,
        disable_features=tuple(f for f in unwanted if f in enabled),
        deregister_delegated_administrator=(
            delegated_administrator
            if delegated_administrator in (checked.delegated_administrators or ())
            else None
        ),
        disable_trusted_access=bool(trusted_access and checked.trusted_access),
    )
