"""Allow password recovery for member root users: ``CreateLoginProfile`` with no arguments.

In an ``IAMCreateRootUserPassword`` session; the root session never sends a password
(the root mailbox owner then uses "Forgot password"). ``EntityAlreadyExists`` means a
login profile exists: a no-op success (field case CRED-RECOVERY-EXISTS). Source: IAM
User Guide ``id_root-user-privileged-task.html`` ("Allow password recovery").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import boto3
from botocore.exceptions import ClientError

from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.errors import has_code
from root_access.executor import DEFAULT_MAX_WORKERS
from root_access.journal import Journal
from root_access.outcomes import Outcome
from root_access.preflight import Preflight
from root_access.results import AccountResult, CredentialResult
from root_access.selection import Selection
from root_access.sessions import DEFAULT_DURATION_SECONDS, RootSession
from root_access.sweep import Sweep, sweep
from root_access.targeting import Target
from root_access.tasks import RootTask

__all__ = ["allow_password_recovery"]

ALREADY = "a login profile already exists; nothing changed"


def _exists(root: RootSession) -> bool:
    try:
        root.run(lambda s: s.client("iam").get_login_profile())
    except ClientError as error:
        if has_code(error, "NoSuchEntity"):
            return False
        raise
    return True


def _create(root: RootSession) -> str:
    try:
        root.run(lambda s: s.client("iam").create_login_profile())
    except ClientError as error:
        if has_code(error, "EntityAlreadyExists"):
            return ALREADY
        raise
    return "login profile created without a password"


def _recover_account(context: Sweep, target: Target) -> AccountResult:
    root = context.root_session(target.account_id)
    if context.dry_run:
        outcome, detail = (
            (Outcome.RECOVERY_ENABLED, ALREADY)
            if _exists(root)
            else (Outcome.WOULD_ENABLE_RECOVERY, "CreateLoginProfile")
        )
    else:
        outcome, detail = Outcome.RECOVERY_ENABLED, _create(root)
    credential = CredentialResult(
        kind="password", id="login_profile", outcome=outcome, detail=detail
    )
    if context.journal is not None:
        context.journal.change(
            caller=context.preflight.caller_arn,
            account_id=target.account_id,
            task_policy_arn=context.task_policy_arn,
            action="CreateLoginProfile",
            credential_kind="password",
            credential_id="login_profile",
            outcome=outcome,
            detail=detail,
            dry_run=context.dry_run,
        )
    return AccountResult(
        account_id=target.account_id,
        outcome=outcome,
        task=RootTask.CREATE_PASSWORD.value,
        name=target.name,
        state=target.state,
        detail=detail,
        credentials=(credential,),
        dry_run=context.dry_run,
    )


def allow_password_recovery(
    session: boto3.Session,
    *,
    selection: Selection,
    dry_run: bool = False,
    journal: Journal | None = None,
    resume: bool = False,
    region: str | None = None,
    max_workers: int = DEFAULT_MAX_WORKERS,
    duration_seconds: int = DEFAULT_DURATION_SECONDS,
    preflight_result: Preflight | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    on_targets: Callable[[int], None] | None = None,
    skip_scp_blocked: bool = False,
) -> Iterator[AccountResult]:
    """Let each selected member's root user recover its password; yields as completed.

    Outcome ``recovery_enabled`` (created, or already present: a no-op success), under
    ``dry_run`` ``would_enable_recovery`` when no login profile exists, plus the skip
    and failure outcomes. ``on_targets(n)``: the number of results, before the first
    (:func:`root_access.sweep.counted_targets`). Raises :class:`UsageError` /
    :class:`PreflightError` on this call, before any change.

    ``skip_scp_blocked``: an account an SCP certainly blocks in these root sessions
    is reported ``blocked_by_scp`` (policy, statement and fix in ``detail``) without
    AssumeRoot, from a lint of its SCPs (:mod:`root_access.scp_lint`, Organizations
    reads only); the default ``False`` tries every account.
    """
    return sweep(
        session,
        selection=selection,
        task=RootTask.CREATE_PASSWORD,
        work=_recover_account,
        region=region,
        max_workers=max_workers,
        duration_seconds=duration_seconds,
        journal=journal,
        resume=resume,
        dry_run=dry_run,
        preflight_result=preflight_result,
        max_attempts=max_attempts,
        on_targets=on_targets,
        skip_scp_blocked=skip_scp_blocked,
    )
