"""Delete the root user's credentials in member accounts, then verify with a fresh audit.

In an ``IAMDeleteRootUserCredentials`` session (calls without ``UserName``):
``DeleteLoginProfile``, ``DeleteAccessKey`` per key, ``DeleteSigningCertificate`` per
certificate, ``DeactivateMFADevice`` per device and, for virtual devices when asked,
``DeleteVirtualMFADevice`` (denied by the current task policy: reported as "device left
in place", not a failure). ``NoSuchEntity`` means already gone: ``already_absent``, a
success. Then a fresh ``IAMAuditRootUserCredentials`` session verifies nothing is left:
with ``detail="summary"`` (the default) through ``GetAccountSummary``'s root flags, and
the detail reads only for a kind still flagged (to name what is left); with
``detail="full"`` by re-listing every kind. An account whose live reads in the delete
session found nothing gets no second session. Sources: IAM User Guide
``id_root-user-privileged-task.html`` ("Delete root user credentials"), IAM API
Reference ``API_GetAccountSummary.html``, reference §4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import boto3
from botocore.exceptions import ClientError

from root_access.audit import DEFAULT_DETAIL, Detail, read_root_user, validate_detail
from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.errors import CLIENT_SIDE_ERRORS, has_code, outcome_for, outcome_for_botocore
from root_access.executor import DEFAULT_MAX_WORKERS
from root_access.journal import Journal
from root_access.outcomes import Outcome
from root_access.preflight import Preflight
from root_access.results import AccountResult, CredentialResult
from root_access.selection import Selection
from root_access.sessions import DEFAULT_DURATION_SECONDS, RootSession
from root_access.sweep import Sweep, failure_result, sweep
from root_access.targeting import Target
from root_access.tasks import RootTask

__all__ = ["DEVICE_LEFT_IN_PLACE", "delete_credentials"]

DEVICE_LEFT_IN_PLACE = "deactivated; virtual device left in place"

_ACTIONS = {
    "password": "DeleteLoginProfile",
    "access_key": "DeleteAccessKey",
    "signing_certificate": "DeleteSigningCertificate",
    "mfa_device": "DeactivateMFADevice",
}


def _call(credential: CredentialResult) -> Callable[[RootSession], Any]:
    if credential.kind == "password":
        return lambda s: s.client("iam").delete_login_profile()
    if credential.kind == "access_key":
        return lambda s: s.client("iam").delete_access_key(AccessKeyId=credential.id)
    if credential.kind == "signing_certificate":
        return lambda s: s.client("iam").delete_signing_certificate(CertificateId=credential.id)
    return lambda s: s.client("iam").deactivate_mfa_device(SerialNumber=credential.id)


def _delete_one(
    root: RootSession, credential: CredentialResult, *, delete_virtual_mfa: bool
) -> CredentialResult:
    action = _ACTIONS[credential.kind]
    try:
        root.run(_call(credential))
        outcome, detail = Outcome.DELETED, ""
    except ClientError as error:
        if not has_code(error, "NoSuchEntity"):
            outcome, detail = outcome_for(error, action=action)
            return replace(credential, outcome=outcome, detail=detail)
        outcome, detail = Outcome.ALREADY_ABSENT, f"{action}: NoSuchEntity"
    except CLIENT_SIDE_ERRORS as error:
        outcome, detail = outcome_for_botocore(error, action=action)
        return replace(credential, outcome=outcome, detail=detail)
    if (
        credential.kind == "mfa_device"
        and credential.mfa_kind == "virtual"
        and outcome is Outcome.DELETED
    ):
        if not delete_virtual_mfa:
            return replace(
                credential,
                outcome=Outcome.DEACTIVATED,
                detail=DEVICE_LEFT_IN_PLACE + " (deletion not requested)",
            )
        outcome, detail = _delete_virtual(root, credential.id)
    return replace(credential, outcome=outcome, detail=detail)


def _delete_virtual(root: RootSession, serial_number: str) -> tuple[Outcome, str]:
    """After a successful deactivation: ``(DELETED, ...)`` when the virtual device is
    gone too, ``(DEACTIVATED, ...)`` when it was left in place."""
    try:
        root.run(lambda s: s.client("iam").delete_virtual_mfa_device(SerialNumber=serial_number))
    except ClientError as error:
        if has_code(error, "NoSuchEntity"):
            return Outcome.DELETED, "deactivated; virtual device already deleted"
        outcome, _ = outcome_for(error, action="DeleteVirtualMFADevice")
        if outcome in (Outcome.ACCESS_DENIED, Outcome.BLOCKED_BY_SCP):
            return (
                Outcome.DEACTIVATED,
                f"{DEVICE_LEFT_IN_PLACE} (DeleteVirtualMFADevice denied by the task policy)",
            )
        code = str(error.response.get("Error", {}).get("Code", ""))
        return (
            Outcome.DEACTIVATED,
            f"{DEVICE_LEFT_IN_PLACE} (DeleteVirtualMFADevice failed: {code})",
        )
    return Outcome.DELETED, "deactivated and deleted"


def _account_outcome(credentials: tuple[CredentialResult, ...]) -> Outcome:
    for credential in credentials:
        if credential.outcome.failed:
            return credential.outcome
    if any(c.outcome in (Outcome.DELETED, Outcome.DEACTIVATED) for c in credentials):
        return Outcome.DELETED
    return Outcome.ALREADY_ABSENT


def _journal(context: Sweep, account_id: str, credential: CredentialResult) -> None:
    if context.journal is None:
        return
    context.journal.change(
        caller=context.preflight.caller_arn,
        account_id=account_id,
        task_policy_arn=context.task_policy_arn,
        action=_ACTIONS[credential.kind],
        credential_kind=credential.kind,
        credential_id=credential.id,
        outcome=credential.outcome,
        detail=credential.detail,
        dry_run=context.dry_run,
    )


def _delete_account(
    context: Sweep, target: Target, *, delete_virtual_mfa: bool, detail: Detail
) -> AccountResult:
    root = context.root_session(target.account_id)
    found = read_root_user(root, with_summary=False)
    base = AccountResult(
        account_id=target.account_id,
        outcome=Outcome.NO_ROOT_CREDENTIALS,
        task=RootTask.DELETE_CREDENTIALS.value,
        name=target.name,
        state=target.state,
        dry_run=context.dry_run,
    )
    if context.dry_run:
        planned = tuple(
            replace(c, outcome=Outcome.WOULD_DELETE, detail=_ACTIONS[c.kind])
            for c in found.credentials
        )
        for credential in planned:
            _journal(context, target.account_id, credential)
        return replace(
            base,
            outcome=Outcome.WOULD_DELETE if planned else Outcome.NO_ROOT_CREDENTIALS,
            credentials=planned,
            compliance=found.compliance(),
        )
    if not found.credentials:
        # The live reads just made in this session found nothing: no second session.
        return replace(
            base,
            outcome=Outcome.ALREADY_ABSENT,
            compliance=found.compliance(after_delete=True),
            verified=True,
        )
    done = []
    for credential in found.credentials:
        result = _delete_one(root, credential, delete_virtual_mfa=delete_virtual_mfa)
        _journal(context, target.account_id, result)
        done.append(result)
    credentials = tuple(done)
    outcome = _account_outcome(credentials)
    try:
        left = read_root_user(
            context.root_session(target.account_id, RootTask.AUDIT), detail=detail
        )
    except (ClientError, *CLIENT_SIDE_ERRORS) as error:
        failed = failure_result(target, RootTask.AUDIT, error)
        return replace(
            base,
            outcome=failed.outcome if not outcome.failed else outcome,
            credentials=credentials,
            detail=f"verification with {RootTask.AUDIT.value} failed: {failed.detail}",
            verified=False,
        )
    if left.present:
        names = ", ".join(
            [f"{c.kind} {c.id}" for c in left.credentials]
            + [f"{kind} (GetAccountSummary flag still 1)" for kind in left.flagged_unlisted]
        )
        return replace(
            base,
            outcome=outcome if outcome.failed else Outcome.ERROR,
            credentials=credentials,
            compliance=left.compliance(after_delete=True),
            detail=f"verification found credentials left: {names}",
            verified=False,
        )
    return replace(
        base,
        outcome=outcome,
        credentials=credentials,
        compliance=left.compliance(after_delete=True),
        verified=True,
    )


def delete_credentials(
    session: boto3.Session,
    *,
    selection: Selection,
    dry_run: bool = False,
    delete_virtual_mfa: bool = True,
    journal: Journal | None = None,
    resume: bool = False,
    region: str | None = None,
    max_workers: int = DEFAULT_MAX_WORKERS,
    duration_seconds: int = DEFAULT_DURATION_SECONDS,
    preflight_result: Preflight | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    skip_scp_blocked: bool = False,
    detail: Detail = DEFAULT_DETAIL,
    on_targets: Callable[[int], None] | None = None,
) -> Iterator[AccountResult]:
    """Delete every root credential of each selected account; yields results as completed.

    - ``dry_run``: only read (in the delete session); each credential ``would_delete``,
      the account ``would_delete`` or ``no_root_credentials``.
    - Otherwise per credential ``deleted`` / ``already_absent`` or a failure outcome; the
      account ``deleted`` (something was deleted), ``already_absent`` (nothing was
      there) or the first failure; ``verified`` tells whether the fresh audit found
      nothing left (else the account is ``error``). MFA controls become
      ``not_applicable`` with the COMPLIANCE-LAG note.
    - ``delete_virtual_mfa``: also try ``DeleteVirtualMFADevice`` after deactivating a
      virtual device; a denial leaves the device in place and is reported in
      ``detail``, not a failure.
    - ``journal``: each change is appended and flushed as it happens; ``resume`` leaves
      out accounts the journal records as finished.
    - ``detail``: how the fresh audit session verifies: ``summary`` (default,
      ``GetAccountSummary``, detail reads only for a kind still flagged) or ``full``
      (every kind re-listed).
    - ``on_targets(n)``: the number of results, before the first
      (:func:`root_access.sweep.counted_targets`).

    Raises :class:`UsageError` (also for a ``detail`` other than ``summary`` / ``full``)
    / :class:`PreflightError` on this call, before any change.

    ``skip_scp_blocked``: an account an SCP certainly blocks in these root sessions
    is reported ``blocked_by_scp`` (policy, statement and fix in ``detail``) without
    AssumeRoot, from a lint of its SCPs (:mod:`root_access.scp_lint`, Organizations
    reads only); the default ``False`` tries every account.
    """
    checked_detail = validate_detail(detail)
    return sweep(
        session,
        selection=selection,
        task=RootTask.DELETE_CREDENTIALS,
        work=lambda context, target: _delete_account(
            context, target, delete_virtual_mfa=delete_virtual_mfa, detail=checked_detail
        ),
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
