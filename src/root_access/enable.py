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
from typing import Any

import boto3
from botocore.exceptions import ClientError

from root_access.arns import ACCOUNT_ID
from root_access.clients import iam_client, organizations_client
from root_access.errors import PreflightError, UsageError, has_code
from root_access.preflight import (
    ENABLE_TRUSTED_ACCESS,
    IAM_SERVICE_PRINCIPAL,
    Preflight,
    preflight,
)
from root_access.tasks import FEATURES, ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS

__all__ = ["EnableResult", "disable", "enable", "validate_features"]

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


def _features(iam: Any) -> tuple[str, ...]:
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


def _admins(organizations: Any) -> tuple[str, ...]:
    paginator = organizations.get_paginator("list_delegated_administrators")
    return tuple(
        a["Id"]
        for page in paginator.paginate(ServicePrincipal=IAM_SERVICE_PRINCIPAL)
        for a in page.get("DelegatedAdministrators", [])
    )


def _management(session: boto3.Session, region: str | None, verb: str) -> Preflight:
    checked = preflight(session, region=region)
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
    checked = _management(session, region, "enabling")
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
) -> EnableResult:
    """Deregister the delegated admin (when named), disable ``features``, and (when
    ``trusted_access``) disable trusted access for ``iam.amazonaws.com``, in that order.

    Idempotent like :func:`enable`. Disabling ``RootCredentialsManagement`` stops central
    audit and deletion for every member; the caller confirms (the CLI asks). Raises
    :class:`UsageError` / :class:`PreflightError` like :func:`enable`.
    """
    unwanted = validate_features(features)
    _validate_admin(delegated_administrator)
    checked = _management(session, region, "disabling")
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
