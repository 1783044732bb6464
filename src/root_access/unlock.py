"""Shared steps of the S3 and SQS policy unlocks: evidence first, then removal.

Each unlock records the policy being removed in the result and the journal before
removing it, so the evidence survives even when the removal is interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from botocore.exceptions import ClientError

from root_access.errors import CLIENT_SIDE_ERRORS, outcome_for, outcome_for_botocore
from root_access.outcomes import Outcome
from root_access.results import AccountResult, CredentialResult
from root_access.sessions import RootSession
from root_access.sweep import Sweep, failure_result
from root_access.targeting import Target

__all__ = ["PolicyStep", "unlock_account"]

PolicyStep = tuple[
    str,  # resource id (bucket name, queue URL)
    Callable[[RootSession], "str | None"],  # read the policy (None: no policy)
    Callable[[RootSession], object],  # remove it
]


def _account_outcome(results: Iterable[CredentialResult], *, dry_run: bool) -> Outcome:
    results = tuple(results)
    for result in results:
        if result.outcome.failed:
            return result.outcome
    if dry_run and any(r.outcome is Outcome.WOULD_DELETE for r in results):
        return Outcome.WOULD_DELETE
    if any(r.outcome is Outcome.DELETED for r in results):
        return Outcome.DELETED
    return Outcome.ALREADY_ABSENT


def unlock_account(
    context: Sweep,
    target: Target,
    *,
    kind: str,
    read_action: str,
    remove_action: str,
    steps: Iterable[PolicyStep],
) -> AccountResult:
    """Run the unlock ``steps`` in one root session of ``target``; one result per resource.

    Per resource: no policy ``already_absent``; under dry run ``would_delete``; else
    ``deleted``; AWS failures map to their outcome and the next resource continues.
    """
    base = AccountResult(
        account_id=target.account_id,
        outcome=Outcome.ALREADY_ABSENT,
        task=context.task.value,
        name=target.name,
        state=target.state,
        dry_run=context.dry_run,
    )
    if target.skip is not None:
        return replace(base, outcome=target.skip, detail=target.detail)
    root = context.root_session(target.account_id)
    results: list[CredentialResult] = []

    def journal(result: CredentialResult, action: str, outcome: Outcome) -> None:
        if context.journal is not None:
            context.journal.change(
                caller=context.preflight.caller_arn,
                account_id=target.account_id,
                task_policy_arn=context.task_policy_arn,
                action=action,
                credential_kind=kind,
                credential_id=result.id,
                outcome=outcome,
                detail=result.detail,
                dry_run=context.dry_run,
                policy=result.policy,
            )

    failed: AccountResult | None = None
    for resource, read, remove in steps:
        result = CredentialResult(kind=kind, id=resource, outcome=Outcome.ALREADY_ABSENT)
        action = read_action
        try:
            policy = root.run(read)
            if policy is None:
                result = replace(result, detail="no policy attached")
            else:
                result = replace(result, policy=policy, outcome=Outcome.WOULD_DELETE)
                journal(
                    replace(result, detail="policy recorded before removal"),
                    action,
                    Outcome.POLICY_RECORDED,
                )
                if not context.dry_run:
                    action = remove_action
                    root.run(remove)
                    result = replace(result, outcome=Outcome.DELETED)
        except ClientError as error:
            if getattr(error, "operation_name", "") == "AssumeRoot":
                failed = failure_result(target, context.task, error, dry_run=context.dry_run)
                break
            outcome, detail = outcome_for(error, action=action)
            result = replace(result, outcome=outcome, detail=detail)
        except CLIENT_SIDE_ERRORS as error:
            outcome, detail = outcome_for_botocore(error, action=action)
            result = replace(result, outcome=outcome, detail=detail)
        journal(result, remove_action, result.outcome)
        results.append(result)
    credentials = tuple(results)
    final = failed or replace(
        base,
        outcome=_account_outcome(credentials, dry_run=context.dry_run),
        credentials=credentials,
    )
    if context.journal is not None:
        context.journal.account(
            caller=context.preflight.caller_arn,
            account_id=target.account_id,
            task_policy_arn=context.task_policy_arn,
            outcome=final.outcome,
            detail=final.detail,
            dry_run=context.dry_run,
        )
    return final
