"""``sts:AssumeRoot`` and ``GetCallerIdentity`` for root principals.

Source: STS API Reference API_AssumeRoot.html; IAM User Guide
id_root-user-privileged-task.html. Facts AWS does not document (error codes for a
refused target, a disabled feature, a foreign policy ARN) are modelled as
``AccessDenied``/``ValidationError`` and listed in docs/simulator-fidelity.md.
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from moto.core.responses import ActionResult, BaseResponse

from root_access.simulator.aws import TaskPolicy, root_arn
from root_access.simulator.awserrors import SimulatedError, access_denied
from root_access.simulator.organizations import (
    IAM_SERVICE_PRINCIPAL,
    OrgView,
    find_account,
    organization_of,
)
from root_access.simulator.policy import Decision, Request
from root_access.simulator.principals import Caller
from root_access.simulator.rootuser import new_access_key_id
from root_access.simulator.scp import scp_decision
from root_access.simulator.state import RootSession, sim_state

__all__ = [
    "GLOBAL_STS_HOSTS",
    "MAX_DURATION_SECONDS",
    "assume_root",
    "assume_root_gate",
    "root_caller_identity",
]

MAX_DURATION_SECONDS = 900
GLOBAL_STS_HOSTS = frozenset({"sts.amazonaws.com"})
"""Hosts of STS's global endpoint, which answers AssumeRoot with ``InvalidAction``."""

_TASK_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):iam::aws:policy/root-task/(?P<name>.+)$")
_TARGET_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):iam::(?P<account>[0-9]{12}):root$")


def assume_root_gate(view: OrgView, task: TaskPolicy) -> str | None:
    """The one rule for which organization feature each task needs.

    Returns the missing feature's name, or ``None`` when AssumeRoot may proceed.
    The feature per task is the organization's setting (``OrgView.task_features``),
    by default ``aws.DEFAULT_TASK_FEATURES``: an assumption (reference §1, §10),
    RootCredentialsManagement for audit and delete, RootSessions for password
    recovery and the S3/SQS unlocks.
    """
    needed = view.task_features[task.value]
    return None if needed in view.features else needed


def _validation(message: str) -> SimulatedError:
    return SimulatedError("sts", "ValidationError", message, 400)


def _host(resp: BaseResponse) -> str:
    host = resp.headers.get("Host") or resp.parsed_url.netloc or ""
    return str(host).split(":")[0].lower()


def _task_policy_arn(resp: BaseResponse) -> str | None:
    value = resp._get_param("TaskPolicyArn")
    if isinstance(value, dict):
        value = value.get("arn")
    if value is None:
        value = resp.querystring.get("TaskPolicyArn.arn", [None])[0]
    return None if value is None else str(value)


def _duration(resp: BaseResponse) -> int:
    raw = resp._get_param("DurationSeconds")
    if raw is None or raw == "":
        return MAX_DURATION_SECONDS
    try:
        duration = int(raw)
    except ValueError as error:
        raise _validation(f"Invalid DurationSeconds: {raw}") from error
    if duration > MAX_DURATION_SECONDS or duration < 0:
        raise _validation(
            f"1 validation error detected: Value '{duration}' at 'durationSeconds' failed "
            f"to satisfy constraint: Member must have value less than or equal to "
            f"{MAX_DURATION_SECONDS}"
        )
    return duration or MAX_DURATION_SECONDS


def _target_account(target: str, partition: str) -> str:
    if re.fullmatch(r"[0-9]{12}", target):
        return target
    match = _TARGET_ARN.match(target)
    if match is None or match.group("partition") != partition:
        raise _validation(
            f"Invalid TargetPrincipal {target!r}: expected an account id or "
            f"arn:{partition}:iam::<account-id>:root"
        )
    return match.group("account")


def _task(task_arn: str | None, partition: str) -> TaskPolicy:
    match = _TASK_ARN.match(task_arn or "")
    names = {task.value: task for task in TaskPolicy}
    if match is None or match.group("partition") != partition or match.group("name") not in names:
        raise _validation(
            f"Invalid TaskPolicyArn {task_arn!r}: expected one of "
            f"arn:{partition}:iam::aws:policy/root-task/<{'|'.join(names)}>"
        )
    return names[match.group("name")]


def _caller_arn(resp: BaseResponse, caller: Caller) -> str:
    if caller.is_root:
        return caller.root_arn
    from moto.sts.models import sts_backends

    backend = sts_backends[caller.account_id][caller.partition]
    _, arn, _ = backend.get_caller_identity(caller.access_key_id, resp.region)
    return str(arn)


def _principal_arn(caller_arn: str) -> str:
    """``aws:PrincipalArn`` of a caller: a role session's ARN
    (``arn:aws:sts::<acct>:assumed-role/<role>/<session>``) becomes the role's ARN
    (``arn:aws:iam::<acct>:role/<role>``; the path is not in the session ARN), as in
    the IAM User Guide's global condition keys page; users keep theirs."""
    match = re.fullmatch(r"arn:([^:]+):sts::([0-9]{12}):assumed-role/([^/]+)/.+", caller_arn)
    if match is None:
        return caller_arn
    partition, account, role = match.groups()
    return f"arn:{partition}:iam::{account}:role/{role}"


def assume_root(resp: BaseResponse, caller: Caller) -> ActionResult:
    """Answer ``sts:AssumeRoot``: validate, authorize, then issue a root session.

    Output: ``{Credentials{AccessKeyId (ASIA...), SecretAccessKey, SessionToken,
    Expiration}}``. Errors (``SimulatedError``): ``InvalidAction`` on the global
    endpoint; ``ValidationError`` for a bad target, task policy ARN or
    DurationSeconds > 900; ``AccessDenied`` for root callers, callers that are
    neither the management account nor the IAM delegated administrator, the
    management account as target, targets outside the caller's organization,
    non-ACTIVE targets and a disabled organization feature.
    """
    if _host(resp) in GLOBAL_STS_HOSTS:
        raise SimulatedError("sts", "InvalidAction", "Unknown Operation", 400)
    partition = caller.partition
    target_id = _target_account(str(resp._get_param("TargetPrincipal") or ""), partition)
    task = _task(_task_policy_arn(resp), partition)
    duration = _duration(resp)
    target_arn = root_arn(partition, target_id)

    def denied(reason: str) -> SimulatedError:
        return access_denied(
            "sts",
            principal_arn=_caller_arn(resp, caller),
            action="sts:AssumeRoot",
            resource=target_arn,
            reason=reason,
        )

    if caller.is_root:
        raise denied("because root user credentials cannot call sts:AssumeRoot")
    allowlist = sim_state().task_allowlists.get(caller.account_id)
    if allowlist is not None and task.value not in allowlist:
        raise denied("because no identity-based policy allows the sts:AssumeRoot action")
    view = organization_of(caller.account_id)
    if view is None or view.partition != partition:
        raise denied("because the caller's account is not in an organization")
    is_management = caller.account_id == view.management_account_id
    if not is_management and caller.account_id not in view.delegated_administrators(
        IAM_SERVICE_PRINCIPAL
    ):
        raise denied(
            "because the caller's account is neither the management account nor the "
            "delegated administrator for IAM"
        )
    if not is_management:
        # SCPs over the delegated administrator's account apply to its principals'
        # sts:AssumeRoot calls, as to any call (the management account is exempt).
        decision, _ = scp_decision(
            view,
            caller.account_id,
            Request(
                "sts:AssumeRoot",
                target_arn,
                {
                    "aws:principalarn": _principal_arn(_caller_arn(resp, caller)),
                    "aws:principalaccount": caller.account_id,
                    "aws:resourceaccount": target_id,
                    "sts:taskpolicyarn": task.arn(partition),
                },
            ),
        )
        if decision is Decision.DENY:
            raise denied("with an explicit deny in a service control policy")
        if decision is Decision.NONE:
            raise denied("because no service control policy allows the sts:AssumeRoot action")
    if target_id == view.management_account_id:
        raise denied("because the target is the organization's management account")
    account = find_account(view, target_id)
    if account is None:
        raise denied("because the target account is not in the caller's organization")
    if account.state != "ACTIVE":
        raise denied(f"because the target account is {account.state}")
    missing = assume_root_gate(view, task)
    if missing is not None:
        raise denied(f"because the organization has not enabled {missing} ({task.value})")
    return ActionResult(_issue(target_id, partition, task, duration, _caller_arn(resp, caller)))


def _issue(
    account_id: str, partition: str, task: TaskPolicy, duration: int, caller_arn: str
) -> dict[str, Any]:
    state = sim_state()
    access_key_id = new_access_key_id("ASIA")
    expiration = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=duration)
    state.sessions[access_key_id] = RootSession(
        access_key_id=access_key_id,
        account_id=account_id,
        partition=partition,
        task_policy_arn=task.arn(partition),
        task_name=task.value,
        expiration=expiration,
        caller_arn=caller_arn,
    )
    state.key_accounts[access_key_id] = account_id
    token = base64.b64encode(b"RootSession" + secrets.token_bytes(300)).decode("ascii")
    secret_access_key = secrets.token_urlsafe(30)[:40]
    state.issued_secrets += [secret_access_key, token]
    return {
        "Credentials": {
            "AccessKeyId": access_key_id,
            "SecretAccessKey": secret_access_key,
            "SessionToken": token,
            "Expiration": expiration,
        }
    }


def root_caller_identity(caller: Caller) -> ActionResult:
    """``GetCallerIdentity`` for a root user or root session: the account's root ARN."""
    return ActionResult(
        {"UserId": caller.account_id, "Account": caller.account_id, "Arn": caller.root_arn}
    )
