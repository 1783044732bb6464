"""IAM organization features: ListOrganizationsFeatures, Enable/Disable RCM and RootSessions.

Source: IAM API Reference, API_EnableOrganizationsRootCredentialsManagement.html
and siblings; error shapes from botocore's IAM model. The simulator answers the
error codes WITH the ``Exception`` suffix (the shape names boto3 sees, since the
model has no query error code); the API reference lists them without it.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult, BaseResponse

from root_access.simulator.aws import ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS
from root_access.simulator.awserrors import SimulatedError
from root_access.simulator.organizations import IAM_SERVICE_PRINCIPAL, OrgView, organization_of
from root_access.simulator.principals import Caller

__all__ = ["FEATURE_ACTIONS", "handle_feature_action"]

FEATURE_ACTIONS: dict[str, tuple[str | None, bool]] = {
    "ListOrganizationsFeatures": (None, False),
    "EnableOrganizationsRootCredentialsManagement": (ROOT_CREDENTIALS_MANAGEMENT, True),
    "EnableOrganizationsRootSessions": (ROOT_SESSIONS, True),
    "DisableOrganizationsRootCredentialsManagement": (ROOT_CREDENTIALS_MANAGEMENT, False),
    "DisableOrganizationsRootSessions": (ROOT_SESSIONS, False),
}
"""Action -> (feature it changes or ``None``, True to enable)."""


def _error(code: str, message: str) -> SimulatedError:
    return SimulatedError("iam", f"{code}Exception", message, 400)


def _checked_organization(caller: Caller, action: str) -> OrgView:
    view = organization_of(caller.account_id)
    if view is None:
        raise _error("OrganizationNotFound", "The organization does not exist.")
    if not view.all_features:
        raise _error(
            "OrganizationNotInAllFeaturesMode",
            "The organization must have all features enabled.",
        )
    is_management = caller.account_id == view.management_account_id
    is_admin = caller.account_id in view.delegated_administrators(IAM_SERVICE_PRINCIPAL)
    if not (is_management or is_admin):
        raise _error(
            "AccountNotManagementOrDelegatedAdministrator",
            "The request was rejected because the account is not the management account "
            "or the delegated administrator for IAM.",
        )
    if action.startswith("Enable") and not is_management:
        raise _error(
            "CallerIsNotManagementAccount",
            "The request was rejected because the caller is not the management account.",
        )
    if not view.trusted_access(IAM_SERVICE_PRINCIPAL):
        raise _error(
            "ServiceAccessNotEnabled",
            "The request was rejected because trusted access for IAM is not enabled "
            "for the organization (organizations:EnableAWSServiceAccess iam.amazonaws.com).",
        )
    return view


def handle_feature_action(resp: BaseResponse, caller: Caller, action: str) -> ActionResult:
    """Answer one of ``FEATURE_ACTIONS`` for ``caller``; raises ``SimulatedError``.

    Output: ``{OrganizationId, EnabledFeatures}`` (the resulting list, sorted).
    Enable and Disable are idempotent here (unconfirmed for AWS).
    """
    view = _checked_organization(caller, action)
    feature, enable = FEATURE_ACTIONS[action]
    features = view.features
    if feature is not None:
        if enable:
            features.add(feature)
        else:
            features.discard(feature)
    result: dict[str, Any] = {
        "OrganizationId": view.organization_id,
        "EnabledFeatures": sorted(features),
    }
    return ActionResult(result)
