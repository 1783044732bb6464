"""The single dispatch point: root-session enforcement and the added operations.

``call_action`` wraps moto's ``BaseResponse.call_action`` (every non-S3 request
of every service passes it) and ``authorize_s3`` wraps
``_authenticate_and_authorize_s3_action`` (every S3 request passes it). For a
request signed with AssumeRoot credentials they check, in order: expiry
(``ExpiredToken``), the account's SCP denials (``AccessDenied`` "... with an
explicit deny in a service control policy") and the session's task policy
(``AccessDenied`` "... because no session policy allows ..."). Then the added
operations are answered; anything else falls through to moto.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from moto.core.responses import ActionResult, BaseResponse

from root_access.simulator.assumeroot import assume_root, root_caller_identity
from root_access.simulator.awserrors import SimulatedError, access_denied
from root_access.simulator.features import FEATURE_ACTIONS, handle_feature_action
from root_access.simulator.organizations import (
    list_accounts,
    list_accounts_for_parent,
    organization_of,
)
from root_access.simulator.policy import Request, matches_any, task_policy_denies
from root_access.simulator.principals import Caller, PrincipalKind, identify
from root_access.simulator.rootuser import ROOT_USER_ACTIONS, handle_root_user_action
from root_access.simulator.state import sim_state
from root_access.tasks import RootTask

__all__ = ["authorize_s3", "call_action", "enforce_session"]

_ALWAYS_ALLOWED = frozenset({"sts:GetCallerIdentity"})
"""GetCallerIdentity needs no permission and cannot be denied (STS API Reference)."""

_ORGANIZATIONS_MANAGEMENT_ONLY = frozenset(
    {
        "EnableAWSServiceAccess",
        "DisableAWSServiceAccess",
        "RegisterDelegatedAdministrator",
        "CreateAccount",
        "CreateOrganizationalUnit",
        "InviteAccountToOrganization",
        "MoveAccount",
        "EnablePolicyType",
        "DisablePolicyType",
    }
)

_Original = Callable[[BaseResponse], Any]


def _param(resp: BaseResponse, name: str) -> Any:
    value = resp._get_param(name)
    if value is None:
        values = resp.querystring.get(name)
        if isinstance(values, list) and values:
            value = values[0]
    return value


def _resource(resp: BaseResponse, caller: Caller, service: str, action: str) -> tuple[str, str]:
    """``(resource ARN or "*", resource account)`` of a request in a root session."""
    partition, account = caller.partition, caller.account_id
    if service == "iam":
        user_name = _param(resp, "UserName")
        if user_name:
            return f"arn:{partition}:iam::{account}:user/{user_name}", account
        if action == "DeleteVirtualMFADevice":
            return str(_param(resp, "SerialNumber")), account
        if action in ROOT_USER_ACTIONS:
            return caller.root_arn, account
        return "*", account
    if service == "sqs":
        queue_url = _param(resp, "QueueUrl")
        if queue_url:
            path = urlparse(str(queue_url)).path.strip("/").split("/")
            if len(path) == 2 and re.fullmatch(r"[0-9]{12}", path[0]):
                return f"arn:{partition}:sqs:{resp.region}:{path[0]}:{path[1]}", path[0]
        return "*", account
    return "*", account


def enforce_session(
    caller: Caller, service: str, iam_action: str, resource: str, resource_account: str
) -> None:
    """Raise ``SimulatedError`` unless the root session may perform ``iam_action``."""
    session = caller.session
    if session is None:
        return
    if session.expiration <= datetime.now(timezone.utc):
        raise SimulatedError(
            service, "ExpiredToken", "The security token included in the request is expired", 400
        )
    if iam_action in _ALWAYS_ALLOWED:
        return
    denials = sim_state().scp_denials.get(caller.account_id)
    if denials and matches_any(iam_action, denials):
        raise access_denied(
            service,
            principal_arn=caller.root_arn,
            action=iam_action,
            resource=resource,
            reason="with an explicit deny in a service control policy",
        )
    request = Request(
        action=iam_action,
        resource=resource,
        context={
            "aws:principalarn": caller.root_arn,
            "aws:principalaccount": caller.account_id,
            "aws:resourceaccount": resource_account,
            "aws:assumedroot": "true",
            "aws:principaltype": "Root",
        },
    )
    if task_policy_denies(RootTask(session.task_name), session.partition, request) is not None:
        raise access_denied(
            service,
            principal_arn=caller.root_arn,
            action=iam_action,
            resource=resource,
            reason=f"because no session policy allows the {iam_action} action",
        )


def _touch_root_key(caller: Caller, service: str, region: str) -> None:
    """Record a root access key's use (``GetAccessKeyLastUsed``), as AWS does per request."""
    user = sim_state().root_users.get(caller.account_id)
    if user is None:
        return
    for key in user.access_keys:
        if key.access_key_id == caller.access_key_id:
            key.last_used_date = datetime.now(timezone.utc).replace(microsecond=0)
            key.last_used_service = service
            key.last_used_region = region


def _organizations(resp: BaseResponse, caller: Caller, action: str) -> None:
    """Organizations' caller rules for members (reference §1 "Who may call what").

    Members get ``AccessDeniedException`` for management-only calls; a delegated
    administrator may read the organization and deregister itself only; other
    members may only describe their organization.
    """
    view = organization_of(caller.account_id)
    if view is None or view.management_account_id == caller.account_id:
        return
    if action in _ORGANIZATIONS_MANAGEMENT_ONLY:
        allowed = False
    elif action == "DeregisterDelegatedAdministrator":
        allowed = _param(resp, "AccountId") == caller.account_id
    elif action.startswith(("List", "Describe")) and action != "DescribeOrganization":
        allowed = view.is_delegated_administrator(caller.account_id)
    else:
        allowed = True
    if not allowed:
        raise SimulatedError(
            "organizations",
            "AccessDeniedException",
            "You don't have permissions to access this resource.",
            400,
        )


def _route(resp: BaseResponse, caller: Caller, service: str, action: str) -> Any:
    if service == "sts":
        if action == "AssumeRoot":
            return assume_root(resp, caller)
        if action == "GetCallerIdentity" and caller.is_root:
            return root_caller_identity(caller)
        return None
    if service == "iam":
        if action in FEATURE_ACTIONS:
            return handle_feature_action(resp, caller, action)
        if action in ROOT_USER_ACTIONS and caller.is_root and not _param(resp, "UserName"):
            return handle_root_user_action(resp, action, caller.account_id, caller.partition)
        return None
    if service == "organizations":
        _organizations(resp, caller, action)
        if action == "ListAccounts":
            return 200, dict(resp.response_headers), list_accounts(resp)
        if action == "ListAccountsForParent":
            return 200, dict(resp.response_headers), list_accounts_for_parent(resp)
    return None


def call_action(original: _Original) -> _Original:
    """Wrap moto's ``BaseResponse.call_action`` with the simulator's dispatch."""

    def patched(resp: BaseResponse) -> Any:
        service = str(resp.service_name or "")
        action = str(resp._get_action() or "")
        try:
            caller = identify(resp)
            if caller.kind is PrincipalKind.ROOT_SESSION:
                resource, resource_account = _resource(resp, caller, service, action)
                enforce_session(caller, service, f"{service}:{action}", resource, resource_account)
            elif caller.kind is PrincipalKind.ROOT:
                _touch_root_key(caller, service, str(resp.region))
            result = _route(resp, caller, service, action)
        except SimulatedError as error:
            return error.as_response()
        if result is None:
            return original(resp)
        if isinstance(result, ActionResult):
            return resp.serialized(result)
        return result

    patched.__wrapped__ = original  # type: ignore[attr-defined]
    return patched


def authorize_s3(original: Callable[..., None]) -> Callable[..., None]:
    """Wrap ``_authenticate_and_authorize_s3_action``: root-session checks for S3."""

    def patched(
        resp: BaseResponse, bucket_name: str | None = None, key_name: str | None = None
    ) -> None:
        caller = identify(resp)
        if caller.kind is PrincipalKind.ROOT_SESSION:
            action = str(resp.data.get("Action", ""))
            if isinstance(resp.data.get("Action"), list):
                action = str(resp.data["Action"][0])
            resource = f"arn:{caller.partition}:s3:::{bucket_name}" if bucket_name else "*"
            if bucket_name and key_name:
                resource = f"{resource}/{key_name}"
            enforce_session(caller, "s3", f"s3:{action}", resource, caller.account_id)
        elif caller.kind is PrincipalKind.ROOT:
            _touch_root_key(caller, "s3", str(resp.region))
        original(resp, bucket_name=bucket_name, key_name=key_name)

    patched.__wrapped__ = original  # type: ignore[attr-defined]
    return patched
