"""The shared multi-account run: validate, preflight, stream targets, bounded workers.

Every multi-account task (audit, delete, password recovery) goes through
:func:`sweep`: input is validated before any AWS call, preflight and unknown ids fail
before any change, then targets stream through a bounded worker pool. Skipped
accounts are never assumed into; an AWS failure in one account becomes that
account's outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from root_access.arns import ACCOUNT_ID
from root_access.clients import (
    DEFAULT_MAX_ATTEMPTS,
    client_config,
    organizations_client,
    sts_client,
    validate_max_attempts,
)
from root_access.errors import (
    CLIENT_SIDE_ERRORS,
    UsageError,
    has_code,
    outcome_for,
    outcome_for_botocore,
)
from root_access.executor import run_bounded, validate_max_workers
from root_access.journal import Journal, completed_accounts
from root_access.outcomes import Outcome
from root_access.preflight import Preflight, preflight, require
from root_access.results import AccountResult
from root_access.selection import Selection
from root_access.sessions import ClientPool, RootSession, validate_duration
from root_access.targeting import Target, check_selection, describe_target, iter_targets
from root_access.tasks import RootTask

if TYPE_CHECKING:
    from mypy_boto3_sts import STSClient

__all__ = ["REGIONAL_ENDPOINT_HINT", "Sweep", "failure_result", "single_account", "sweep"]

REGIONAL_ENDPOINT_HINT = (
    "AssumeRoot reached the global STS endpoint (InvalidAction): a regional endpoint is "
    "required: pass a real --region and unset AWS_STS_REGIONAL_ENDPOINTS=legacy"
)


@dataclass(frozen=True)
class Sweep:
    """What a per-account worker needs: the preflight, shared clients and options."""

    caller: boto3.Session
    preflight: Preflight
    task: RootTask
    config: Config
    sts: STSClient
    duration_seconds: int
    journal: Journal | None
    dry_run: bool
    pool: ClientPool

    @property
    def task_policy_arn(self) -> str:
        """The task policy ARN of this sweep's task in the caller's partition."""
        return self.preflight.task_policy_arn(self.task)

    def root_session(self, account_id: str, task: RootTask | None = None) -> RootSession:
        """A fresh (lazily assumed) root session into ``account_id`` for ``task``."""
        return RootSession(
            self.caller,
            TargetPrincipal=account_id,
            TaskPolicyArn=self.preflight.task_policy_arn(task or self.task),
            DurationSeconds=self.duration_seconds,
            region=self.preflight.region,
            sts=self.sts,
            config=self.config,
            pool=self.pool,
        )


def failure_result(
    target: Target,
    task: RootTask,
    error: ClientError | BotoCoreError | ResponseParserError,
    *,
    dry_run: bool = False,
) -> AccountResult:
    """The account result for an AWS failure that ended the account's work."""
    if isinstance(error, ClientError):
        if (
            has_code(error, "InvalidAction")
            and getattr(error, "operation_name", "") == "AssumeRoot"
        ):
            outcome, detail = Outcome.ERROR, REGIONAL_ENDPOINT_HINT
        else:
            outcome, detail = outcome_for(error)
    else:
        outcome, detail = outcome_for_botocore(error, action="request")
    return AccountResult(
        account_id=target.account_id,
        outcome=outcome,
        task=task.value,
        name=target.name,
        state=target.state,
        detail=detail,
        dry_run=dry_run,
    )


def _context(
    session: boto3.Session,
    checked: Preflight,
    task: RootTask,
    *,
    max_attempts: int,
    pool: int,
    duration_seconds: int,
    journal: Journal | None,
    dry_run: bool,
) -> Sweep:
    """The shared state of one run: clients (retries on every one; the one AssumeRoot
    client every worker shares in botocore's adaptive mode, see ``clients``) and options."""
    config = client_config(max_attempts=max_attempts, pool=pool)
    return Sweep(
        caller=session,
        preflight=checked,
        task=task,
        config=config,
        sts=sts_client(
            session,
            checked.region,
            client_config(max_attempts=max_attempts, mode="adaptive", pool=pool),
        ),
        duration_seconds=duration_seconds,
        journal=journal,
        dry_run=dry_run,
        pool=ClientPool(session, config),
    )


def sweep(
    session: boto3.Session,
    *,
    selection: Selection,
    task: RootTask,
    work: Callable[[Sweep, Target], AccountResult],
    region: str | None,
    max_workers: int,
    duration_seconds: int,
    journal: Journal | None = None,
    resume: bool = False,
    dry_run: bool = False,
    preflight_result: Preflight | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Iterator[AccountResult]:
    """Validate and preflight now (raising), then return the stream of account results.

    Raises :class:`UsageError` (bad selection, duration, workers; unknown OU or
    account; the management account named) and :class:`PreflightError` before any
    change. With ``resume`` and a ``journal``, accounts the journal records as finished
    for this task are left out.
    """
    selection.validate()
    if resume and journal is None:
        raise UsageError("resume needs the journal of the interrupted run: pass journal=")
    validate_duration(duration_seconds)
    validate_max_workers(max_workers)
    validate_max_attempts(max_attempts)
    checked = preflight_result or preflight(session, region=region, task=task)
    if preflight_result is not None:
        require(checked, task)
    selection.validate(management_account_id=checked.management_account_id)
    context = _context(
        session,
        checked,
        task,
        max_attempts=max_attempts,
        pool=max_workers,
        duration_seconds=duration_seconds,
        journal=journal,
        dry_run=dry_run,
    )
    organizations = organizations_client(session, checked.region, context.config)
    check_selection(organizations, selection)
    done = (
        completed_accounts(journal.path, task_policy_arn=checked.task_policy_arn(task))
        if resume and journal is not None
        else frozenset()
    )

    def one(target: Target) -> AccountResult:
        if target.skip is not None:
            return AccountResult(
                account_id=target.account_id,
                outcome=target.skip,
                task=task.value,
                name=target.name,
                state=target.state,
                detail=target.detail,
                dry_run=dry_run,
            )
        try:
            result = work(context, target)
        except (ClientError, *CLIENT_SIDE_ERRORS) as error:
            result = failure_result(target, task, error, dry_run=dry_run)
        if journal is not None and task is not RootTask.AUDIT:
            journal.account(
                caller=checked.caller_arn,
                account_id=target.account_id,
                task_policy_arn=context.task_policy_arn,
                outcome=result.outcome,
                detail=result.detail,
                dry_run=dry_run,
            )
        return result

    targets = (
        t
        for t in iter_targets(
            organizations, selection, management_account_id=checked.management_account_id
        )
        if t.account_id not in done
    )
    return run_bounded(targets, one, max_workers=max_workers)


def single_account(
    session: boto3.Session,
    *,
    account_id: str,
    task: RootTask,
    region: str | None,
    duration_seconds: int,
    journal: Journal | None,
    dry_run: bool,
    preflight_result: Preflight | None,
    validate: Callable[[], None],
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> tuple[Sweep, Target]:
    """Validate (``validate()`` first, no AWS call), preflight and describe one account.

    Raises :class:`UsageError` for a malformed or unknown account id, the management
    account, or what ``validate`` rejects; :class:`PreflightError` from preflight.
    """
    if not isinstance(account_id, str) or ACCOUNT_ID.fullmatch(account_id) is None:
        raise UsageError(
            f"malformed account id {account_id!r}: account ids are 12-digit strings, "
            "e.g. 222222222222"
        )
    validate()
    validate_duration(duration_seconds)
    validate_max_attempts(max_attempts)
    checked = preflight_result or preflight(session, region=region, task=task)
    if preflight_result is not None:
        require(checked, task)
    if account_id == checked.management_account_id:
        raise UsageError(
            f"account {account_id} is the management account, which centralized root "
            "access does not cover: name a member account"
        )
    context = _context(
        session,
        checked,
        task,
        max_attempts=max_attempts,
        pool=1,
        duration_seconds=duration_seconds,
        journal=journal,
        dry_run=dry_run,
    )
    target = describe_target(
        organizations_client(session, checked.region, context.config),
        account_id,
        management_account_id=checked.management_account_id,
    )
    return context, target
