"""The single dispatch point: policy enforcement and the added operations.

``call_action`` wraps moto's ``BaseResponse.call_action`` (every non-S3 request
of every service passes it) and ``authorize_s3`` wraps
``_authenticate_and_authorize_s3_action`` (every S3 request passes it). ``authorize``
checks, in order: a root session's expiry (``ExpiredToken``, per service); for root
users and root sessions of member accounts the SCPs over the account (documents
attached through Organizations, ``scp``); for root sessions their task policy; for
every caller the bucket or queue policy's explicit denies (except the owner
account's root managing that policy). Another account's queue answers
``AccessDenied``. Then the added operations are answered; anything else falls
through to moto.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from moto.core.responses import ActionResult, BaseResponse

from root_access.simulator.assumeroot import assume_root, root_caller_identity
from root_access.simulator.aws import TaskPolicy
from root_access.simulator.awserrors import SimulatedError, access_denied, expired_token
from root_access.simulator.features import FEATURE_ACTIONS, handle_feature_action
from root_access.simulator.organizations import (
    list_accounts,
    list_accounts_for_parent,
    organization_of,
)
from root_access.simulator.policy import (
    Decision,
    Request,
    evaluate,
    parse_document,
    task_policy_denies,
)
from root_access.simulator.principals import Caller, PrincipalKind, identify
from root_access.simulator.rootuser import ROOT_USER_ACTIONS, handle_root_user_action
from root_access.simulator.scp import SCP_TYPE, scp_decision, scp_enabled
from root_access.simulator.state import sim_state

__all__ = ["authorize", "authorize_s3", "call_action", "enforce_session"]

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
    """``(resource ARN or "*", resource account)`` of an IAM or SQS request."""
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


def _context(caller: Caller, principal_arn: str, resource_account: str) -> dict[str, str]:
    context = {
        "aws:principalarn": principal_arn,
        "aws:principalaccount": caller.account_id,
        "aws:resourceaccount": resource_account,
        "aws:principaltype": "User" if caller.kind is PrincipalKind.IAM else "Account",
    }
    if caller.kind is PrincipalKind.ROOT_SESSION:
        context["aws:assumedroot"] = "true"
    return context


def authorize(
    caller: Caller,
    service: str,
    iam_action: str,
    resource: str,
    resource_account: str,
    *,
    principal_arn: str | None = None,
    resource_policy: str | None = None,
) -> None:
    """Raise ``SimulatedError`` unless ``caller`` may perform ``iam_action`` on ``resource``.

    Checks, in order: session expiry (``ExpiredToken``); for root users and root
    sessions of member accounts, the SCPs over the account (``scp.scp_decision``);
    for root sessions, the task policy; then ``resource_policy`` (a bucket or queue
    policy, JSON text) for every caller. Every denial is ``AccessDenied`` (403)
    naming the policy type ("with an explicit deny in a service control policy",
    "... in a session policy", "... in a resource-based policy"; "because no service
    control policy allows ..." for an implicit SCP deny). ``principal_arn`` defaults
    to the root ARN (IAM callers pass theirs).
    """
    session = caller.session
    if session is not None and session.expiration <= datetime.now(timezone.utc):
        raise expired_token(service)
    if iam_action in _ALWAYS_ALLOWED:
        return
    arn = principal_arn or caller.root_arn
    request = Request(iam_action, resource, _context(caller, arn, resource_account))

    def denied(reason: str) -> SimulatedError:
        return access_denied(
            service, principal_arn=arn, action=iam_action, resource=resource, reason=reason
        )

    if caller.is_root:
        view = organization_of(caller.account_id)
        if view is not None:
            decision, _ = scp_decision(view, caller.account_id, request)
            if decision is Decision.DENY:
                raise denied("with an explicit deny in a service control policy")
            if decision is Decision.NONE:
                raise denied(f"because no service control policy allows the {iam_action} action")
    if session is not None and task_policy_denies(
        TaskPolicy(session.task_name), session.partition, request
    ):
        raise denied("with an explicit deny in a session policy")
    if resource_policy:
        decision, _ = evaluate(parse_document(resource_policy), request)
        if decision is Decision.DENY:
            raise denied("with an explicit deny in a resource-based policy")


def enforce_session(
    caller: Caller, service: str, iam_action: str, resource: str, resource_account: str
) -> None:
    """Root-session checks only (no resource policy): ``authorize`` for root sessions."""
    if caller.session is not None:
        authorize(caller, service, iam_action, resource, resource_account)


_OWNER_ROOT_ACTIONS = frozenset(
    {
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "sqs:GetQueueAttributes",
        "sqs:SetQueueAttributes",
        "sqs:GetQueueUrl",
    }
)
"""What the owner account's root user may always do despite its bucket or queue policy
(S3 User Guide: the root user can always get, put and delete the bucket policy;
SQS: the modelled counterpart, the actions SQSUnlockQueuePolicy leaves; reference §10)."""


def _owner_root(caller: Caller, resource_account: str, iam_action: str) -> bool:
    return (
        caller.is_root
        and caller.account_id == resource_account
        and iam_action in _OWNER_ROOT_ACTIONS
    )


def _iam_principal_arn(caller: Caller, region: str) -> str:
    from moto.sts.models import sts_backends

    backend = sts_backends[caller.account_id][caller.partition]
    _, arn, _ = backend.get_caller_identity(caller.access_key_id, region)
    return str(arn)


def _queue_policy(queue_arn: str) -> str | None:
    parts = queue_arn.split(":")
    if len(parts) != 6:
        return None
    from moto.sqs.models import sqs_backends

    _, _, _, region, account, name = parts
    backend = dict.get(sqs_backends, account)
    if backend is None or region not in backend:
        return None
    queue = backend[region].queues.get(name)
    policy = getattr(queue, "policy", None)
    if isinstance(policy, dict):
        return json.dumps(policy)
    return str(policy) if policy else None


def _sqs(resp: BaseResponse, caller: Caller, action: str) -> None:
    """Queue access: another account's queue answers AccessDenied (moto would look the
    queue up in the caller's own account and answer NonExistentQueue); the queue
    policy's explicit denies apply to every caller but the owner's root user."""
    resource, resource_account = _resource(resp, caller, "sqs", action)
    iam_action = f"sqs:{action}"
    policy = (
        None
        if _owner_root(caller, resource_account, iam_action)
        else (_queue_policy(resource) if resource != "*" else None)
    )
    foreign = resource_account != caller.account_id
    needs_arn = not caller.is_root and (policy is not None or foreign)
    arn = _iam_principal_arn(caller, str(resp.region)) if needs_arn else None
    authorize(
        caller, "sqs", iam_action, resource, resource_account,
        principal_arn=arn, resource_policy=policy,
    )  # fmt: skip
    if foreign:
        raise access_denied(
            "sqs",
            principal_arn=arn or caller.root_arn,
            action=iam_action,
            resource=resource,
            reason=f"because no resource-based policy allows the {iam_action} action",
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


def _check_policy_type_enabled(resp: BaseResponse, caller: Caller) -> None:
    """``AttachPolicy`` of an SCP needs the type enabled on the root (Organizations API
    Reference, AttachPolicy: ``PolicyTypeNotEnabledException``); moto attaches anyway."""
    view = organization_of(caller.account_id)
    if view is None or view.management_account_id != caller.account_id:
        return
    policy_id = _param(resp, "PolicyId")
    policy = next((p for p in view.backend.policies if p.id == policy_id), None)
    if policy is not None and policy.type == SCP_TYPE and not scp_enabled(view):
        raise SimulatedError(
            "organizations",
            "PolicyTypeNotEnabledException",
            "This operation can be performed only for enabled policy types.",
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
        if action == "AttachPolicy":
            _check_policy_type_enabled(resp, caller)
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
            if service == "sqs":
                _sqs(resp, caller, action)
            elif caller.is_root:
                resource, resource_account = _resource(resp, caller, service, action)
                authorize(caller, service, f"{service}:{action}", resource, resource_account)
            if caller.kind is PrincipalKind.ROOT:
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


_S3_ACTIONS = {
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
    "HeadBucket": "ListBucket",
    "ListBuckets": "ListAllMyBuckets",
    "DeleteObjects": "DeleteObject",
}
"""moto's S3 operation names -> IAM action names (Service Authorization Reference, Amazon S3)."""


def _bucket_policy(bucket_name: str) -> tuple[str | None, str | None]:
    """``(owner account, bucket policy text)`` of a bucket, ``(None, None)`` if absent."""
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(bucket_name)
    if owner is None:
        return None, None
    partition, account_id = owner
    bucket = s3_backends[account_id][partition].buckets.get(bucket_name)
    policy = getattr(bucket, "policy", None)
    if isinstance(policy, bytes):
        policy = policy.decode("utf-8")
    return account_id, (str(policy) if policy else None)


def authorize_s3(original: Callable[..., None]) -> Callable[..., None]:
    """Wrap ``_authenticate_and_authorize_s3_action``: ``authorize`` for every S3 request.

    Root callers get the SCP and task-policy checks; every caller the bucket
    policy's explicit denies (``AccessDenied`` 403 with its code, where moto answered
    some with a bare 403 and let others through), except the owner account's root
    user managing the bucket policy.
    """

    def patched(
        resp: BaseResponse, bucket_name: str | None = None, key_name: str | None = None
    ) -> None:
        caller = identify(resp)
        raw = resp.data.get("Action", "")
        action = str(raw[0] if isinstance(raw, list) else raw)
        iam_action = f"s3:{_S3_ACTIONS.get(action, action)}"
        resource = f"arn:{caller.partition}:s3:::{bucket_name}" if bucket_name else "*"
        if bucket_name and key_name:
            resource = f"{resource}/{key_name}"
        owner, policy = _bucket_policy(bucket_name) if bucket_name else (None, None)
        resource_account = owner or caller.account_id
        if policy is not None and _owner_root(caller, resource_account, iam_action):
            policy = None
        if caller.is_root or policy is not None:
            arn = None if caller.is_root else _iam_principal_arn(caller, str(resp.region))
            authorize(
                caller, "s3", iam_action, resource, resource_account,
                principal_arn=arn, resource_policy=policy,
            )  # fmt: skip
        if caller.kind is PrincipalKind.ROOT:
            _touch_root_key(caller, "s3", str(resp.region))
        original(resp, bucket_name=bucket_name, key_name=key_name)

    patched.__wrapped__ = original  # type: ignore[attr-defined]
    return patched
