"""IAM identity policies enforced for an account's IAM principals (the pipeline's role).

moto does not enforce IAM unless its authorization mode is on, and that mode
(``moto.core.authorization``, ``set_initial_no_auth_action_count``) evaluates
every principal of every account, ignores condition keys such as
``sts:TaskPolicyArn`` and knows nothing of ``sts:AssumeRoot``. So the simulator
evaluates the documents itself, only for the accounts a test or scenario gave a
document (``World.set_pipeline_policy``): every request signed by an IAM user or
role of such an account is allowed only when a statement allows it and none
denies it (IAM User Guide, "Policy evaluation logic", identity-based policies
only). ``sts:GetCallerIdentity`` needs no permission (STS API Reference).

Matching follows the IAM User Guide ("IAM JSON policy elements: Condition
operators"): action names are case-insensitive; resource ARNs and
``String*``/``Arn*`` condition values are case-sensitive (``*``/``?`` wildcards
in ``Resource``, ``*Like`` and ``Arn*``); condition key names are
case-insensitive; a missing key fails every operator except ``Null``, the
negated ones and ``…IfExists``. Policy variables (``${aws:PrincipalAccount}``)
are substituted.

Request context: ``aws:PrincipalArn``, ``aws:PrincipalAccount``,
``aws:PrincipalType``, ``aws:RequestedRegion``; ``sts:TaskPolicyArn`` on
``sts:AssumeRoot`` (whose resource is the target's ``arn:<p>:iam::<id>:root``,
Service Authorization Reference, AWS STS); ``organizations:ServicePrincipal`` on
the Organizations actions that take a service principal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.responses import BaseResponse

from root_access.simulator.aws import root_arn
from root_access.simulator.awserrors import SimulatedError
from root_access.simulator.principals import PrincipalKind, identify

__all__ = ["Decision", "IdentityRequest", "evaluate", "install", "set_policy", "validate"]

_OPERATORS = frozenset(
    {
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "ArnEquals",
        "ArnNotEquals",
        "ArnLike",
        "ArnNotLike",
        "Bool",
        "Null",
    }
)
_NO_PERMISSION_NEEDED = frozenset({"sts:getcalleridentity"})
_SERVICE_PRINCIPAL_ACTIONS = frozenset(
    {
        "EnableAWSServiceAccess",
        "DisableAWSServiceAccess",
        "RegisterDelegatedAdministrator",
        "DeregisterDelegatedAdministrator",
        "ListDelegatedAdministrators",
    }
)
_STATE_ACCOUNT = "000000000000"
_STATE_REGION = "aws"
_MARK = "_root_access_identity_policies"


class _Policies(BaseBackend):
    """Account id -> statements of its identity policy (cleared by moto's reset)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.statements: dict[str, tuple[Mapping[str, Any], ...]] = {}


_backends: BackendDict[_Policies] = BackendDict(
    _Policies, "root-access-identity", use_boto3_regions=False, additional_regions=[_STATE_REGION]
)


def _policies() -> _Policies:
    return _backends[_STATE_ACCOUNT][_STATE_REGION]


@dataclass(frozen=True)
class IdentityRequest:
    """``action`` ``service:Action``; ``resource`` an ARN or ``*``; ``context`` keys any case."""

    action: str
    resource: str
    context: Mapping[str, str]


@dataclass(frozen=True)
class Decision:
    """``allowed``; when refused, ``explicit`` says a ``Deny`` statement matched."""

    allowed: bool
    explicit: bool = False


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def validate(document: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...]:
    """The statements of an identity policy document; ``ValueError`` names what is wrong."""
    if not isinstance(document, Mapping) or "Statement" not in document:
        raise ValueError("an identity policy is a JSON object with a Statement")
    raw = document["Statement"]
    statements = [raw] if isinstance(raw, Mapping) else list(raw)
    for index, statement in enumerate(statements):
        where = f"Statement[{index}]"
        if not isinstance(statement, Mapping):
            raise ValueError(f"{where} is not an object")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise ValueError(f"{where}.Effect must be Allow or Deny")
        if ("Action" in statement) == ("NotAction" in statement):
            raise ValueError(f"{where} needs exactly one of Action, NotAction")
        if ("Resource" in statement) == ("NotResource" in statement):
            raise ValueError(f"{where} needs exactly one of Resource, NotResource")
        for operator in statement.get("Condition", {}):
            if operator.removesuffix("IfExists") not in _OPERATORS:
                raise ValueError(f"{where}: condition operator not modelled: {operator}")
    return tuple(statements)


@lru_cache(maxsize=512)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def _matches(value: str, patterns: list[str], *, ignore_case: bool = False) -> bool:
    return any(_glob(p, ignore_case).fullmatch(value) is not None for p in patterns)


def _substitute(value: str, context: Mapping[str, str]) -> str:
    return re.sub(r"\$\{([^}]+)\}", lambda m: context.get(m.group(1).lower(), m.group(0)), value)


def _condition(operator: str, key: str, wanted: list[str], context: Mapping[str, str]) -> bool:
    base = operator.removesuffix("IfExists")
    actual = context.get(key.lower())
    if base == "Null":
        return (actual is None) == (wanted[0].lower() == "true")
    negated = "Not" in base
    if actual is None:
        return operator.endswith("IfExists") or negated
    values = [_substitute(v, context) for v in wanted]
    if base in ("StringEquals", "StringNotEquals"):
        hit = actual in values
    elif base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "Bool"):
        hit = actual.lower() in (v.lower() for v in values)
    else:  # String[Not]Like, Arn*: wildcards, case-sensitive
        hit = _matches(actual, values)
    return hit != negated


def _statement_matches(statement: Mapping[str, Any], request: IdentityRequest) -> bool:
    context = {k.lower(): v for k, v in request.context.items()}
    if "Action" in statement:
        if not _matches(request.action, _as_list(statement["Action"]), ignore_case=True):
            return False
    elif _matches(request.action, _as_list(statement["NotAction"]), ignore_case=True):
        return False
    if "Resource" in statement:
        resources = [_substitute(r, context) for r in _as_list(statement["Resource"])]
        if not _matches(request.resource, resources):
            return False
    else:
        excluded = [_substitute(r, context) for r in _as_list(statement["NotResource"])]
        if _matches(request.resource, excluded):
            return False
    for operator, pairs in statement.get("Condition", {}).items():
        for key, wanted in pairs.items():
            if not _condition(operator, key, _as_list(wanted), context):
                return False
    return True


def evaluate(statements: tuple[Mapping[str, Any], ...], request: IdentityRequest) -> Decision:
    """Explicit deny, else allow when a statement allows, else implicit deny."""
    allowed = False
    for statement in statements:
        if _statement_matches(statement, request):
            if statement["Effect"] == "Deny":
                return Decision(allowed=False, explicit=True)
            allowed = True
    return Decision(allowed=allowed)


def set_policy(account_id: str, document: Mapping[str, Any] | None) -> None:
    """Enforce ``document`` for the IAM principals of ``account_id`` (``None``: stop)."""
    if document is None:
        _policies().statements.pop(account_id, None)
        return
    _policies().statements[account_id] = validate(document)
    install()


# --------------------------------------------------------------------------- enforcement


def _param(resp: BaseResponse, name: str) -> str | None:
    value = resp._get_param(name)
    if value is None:
        values = resp.querystring.get(name)
        if isinstance(values, list) and values:
            value = values[0]
    if isinstance(value, Mapping):
        value = value.get("arn")
    return None if value is None else str(value)


def _principal_arn(resp: BaseResponse, account_id: str, partition: str) -> str:
    from moto.iam.models import iam_backends

    key = iam_backends[account_id][partition].access_keys.get(str(resp.access_key))
    user = getattr(key, "user_name", None) or "unknown"
    return f"arn:{partition}:iam::{account_id}:user/{user}"


def _request(resp: BaseResponse, service: str, action: str, account_id: str) -> IdentityRequest:
    partition = str(resp.partition)
    context = {
        "aws:PrincipalArn": _principal_arn(resp, account_id, partition),
        "aws:PrincipalAccount": account_id,
        "aws:PrincipalType": "User",
        "aws:RequestedRegion": str(resp.region),
    }
    resource = "*"
    if service == "sts" and action == "AssumeRoot":
        target = _param(resp, "TargetPrincipal") or ""
        resource = root_arn(partition, target) if re.fullmatch(r"[0-9]{12}", target) else target
        task = _param(resp, "TaskPolicyArn")
        if task is not None:
            context["sts:TaskPolicyArn"] = task
    elif service == "organizations" and action in _SERVICE_PRINCIPAL_ACTIONS:
        principal = _param(resp, "ServicePrincipal")
        if principal is not None:
            context["organizations:ServicePrincipal"] = principal
    elif service == "iam" and _param(resp, "UserName"):
        resource = f"arn:{partition}:iam::{account_id}:user/{_param(resp, 'UserName')}"
    return IdentityRequest(action=f"{service}:{action}", resource=resource, context=context)


def _refusal(service: str, request: IdentityRequest, decision: Decision) -> SimulatedError:
    reason = (
        "with an explicit deny in an identity-based policy"
        if decision.explicit
        else f"because no identity-based policy allows the {request.action} action"
    )
    message = (
        f"User: {request.context['aws:PrincipalArn']} is not authorized to perform: "
        f"{request.action} on resource: {request.resource} {reason}"
    )
    if service == "organizations":
        return SimulatedError(service, "AccessDeniedException", message, 400)
    return SimulatedError(service, "AccessDenied", message, 403)


def _check(resp: BaseResponse, service: str, action: str) -> None:
    statements = _policies().statements
    if not statements or f"{service}:{action}".lower() in _NO_PERMISSION_NEEDED:
        return
    caller = identify(resp)
    if caller.kind is not PrincipalKind.IAM or caller.account_id not in statements:
        return
    request = _request(resp, service, action, caller.account_id)
    decision = evaluate(statements[caller.account_id], request)
    if not decision.allowed:
        raise _refusal(service, request, decision)


def install() -> None:
    """Wrap moto's request entry points once (no effect while no policy is set)."""
    from moto.core.authorization import ActionAuthenticatorMixin

    if getattr(BaseResponse, _MARK, False):
        return
    call_action: Callable[[BaseResponse], Any] = vars(BaseResponse)["call_action"]

    def checked_call_action(resp: BaseResponse) -> Any:
        try:
            _check(resp, str(resp.service_name or ""), str(resp._get_action() or ""))
        except SimulatedError as error:
            return error.as_response()
        return call_action(resp)

    checked_call_action.__wrapped__ = call_action  # type: ignore[attr-defined]
    authorize = vars(ActionAuthenticatorMixin)["_authenticate_and_authorize_s3_action"]

    def checked_s3(resp: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
        action = resp.data.get("Action", "")
        action = str(action[0] if isinstance(action, list) else action)
        _check(resp, "s3", action)
        authorize(resp, bucket_name=bucket_name, key_name=key_name)

    checked_s3.__wrapped__ = authorize  # type: ignore[attr-defined]
    patches = (
        (BaseResponse, "call_action", checked_call_action),
        (ActionAuthenticatorMixin, "_authenticate_and_authorize_s3_action", checked_s3),
        (BaseResponse, _MARK, True),
    )
    for owner, name, value in patches:
        setattr(owner, name, value)
