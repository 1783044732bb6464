"""The shared multi-account run: prepare once, stream targets, bounded workers.

Every multi-account task (audit, delete, password recovery) goes through
:func:`sweep`, every single-account task (the unlocks) through :func:`single_account`;
both are built on :func:`root_access.prepare.prepare` (input validated before any AWS
call, one preflight, unknown ids fail before any change, one ``DescribeAccount`` per
explicit id). Targets then stream through a bounded worker pool. Skipped accounts are
never assumed into; an AWS failure in one account becomes that account's outcome,
except ``RegionDisabledException`` on AssumeRoot, which stops the run at once
(:class:`RegionDisabledError`, exit 2): no further account is touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from root_access.clients import DEFAULT_MAX_ATTEMPTS, client_config, sts_client
from root_access.errors import (
    CLIENT_SIDE_ERRORS,
    PreflightError,
    UsageError,
    error_message,
    has_code,
    outcome_for,
    outcome_for_botocore,
)
from root_access.executor import run_bounded
from root_access.journal import Journal, completed_accounts
from root_access.outcomes import Outcome
from root_access.preflight import Preflight
from root_access.prepare import RunContext, prepare
from root_access.results import AccountResult
from root_access.scp_lint import ScpLinter, ScpStatus, session_tasks
from root_access.selection import Selection
from root_access.sessions import ClientPool, RootSession
from root_access.targeting import Target
from root_access.tasks import RootTask

if TYPE_CHECKING:
    from mypy_boto3_sts import STSClient

__all__ = [
    "REGIONAL_ENDPOINT_HINT",
    "RegionDisabledError",
    "Sweep",
    "counted_targets",
    "failure_result",
    "single_account",
    "sweep",
]

_log = logging.getLogger("root_access.sweep")

REGIONAL_ENDPOINT_HINT = (
    "AssumeRoot reached the global STS endpoint (InvalidAction): a regional endpoint is "
    "required: pass a real --region and unset AWS_STS_REGIONAL_ENDPOINTS=legacy"
)


class RegionDisabledError(PreflightError):
    """AssumeRoot answered ``RegionDisabledException``: STS is not active in the region.

    Raised at the first occurrence (field case STS-REGION-DISABLED); the run stops and
    no further account is touched. Source: STS API Reference ``API_AssumeRoot.html``
    (Errors) and IAM User Guide ``id_credentials_temp_enable-regions.html``.
    """

    def __init__(self, region: str | None, message: str) -> None:
        where = region or "the run's region"
        super().__init__(
            "STS-REGION-DISABLED",
            f"AssumeRoot is refused in region {where} (RegionDisabledException: {message}): "
            f"activate STS in {where} (IAM console > Account settings > Security Token "
            "Service (STS) > Endpoints > Activate) or pass --region of an active region; "
            "the run stopped before any further account",
        )
        self.region = region
        self.aws_message = message


def _region_disabled(error: BaseException) -> bool:
    return (
        isinstance(error, ClientError)
        and has_code(error, "RegionDisabledException")
        and getattr(error, "operation_name", "") == "AssumeRoot"
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
    region: str | None = None,
) -> AccountResult:
    """The account result for an AWS failure that ended the account's work.

    Raises :class:`RegionDisabledError` for ``RegionDisabledException`` on AssumeRoot:
    that is the region's state, not the account's, and stops the run.
    """
    if isinstance(error, ClientError) and _region_disabled(error):
        raise RegionDisabledError(region, error_message(error))
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
    run: RunContext,
    task: RootTask,
    *,
    journal: Journal | None,
    dry_run: bool,
) -> Sweep:
    """The shared state of one run: clients (retries on every one; the one AssumeRoot
    client every worker shares in botocore's adaptive mode, see ``clients``) and options."""
    return Sweep(
        caller=run.session,
        preflight=run.preflight,
        task=task,
        config=run.config,
        sts=sts_client(
            run.session,
            run.region,
            client_config(max_attempts=run.max_attempts, mode="adaptive", pool=run.max_workers),
        ),
        duration_seconds=run.duration_seconds,
        journal=journal,
        dry_run=dry_run,
        pool=ClientPool(run.session, run.config),
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
    on_targets: Callable[[int], None] | None = None,
    skip_scp_blocked: bool = False,
) -> Iterator[AccountResult]:
    """Prepare now (raising), then return the stream of account results.

    ``skip_scp_blocked``: lint each ACTIVE member's SCPs first
    (:class:`root_access.scp_lint.ScpLinter`, Organizations reads only) and report an
    account an SCP statement certainly blocks for this task's root sessions as
    ``blocked_by_scp`` (detail: the policy, the statement and the fix) without any
    AssumeRoot; an account whose SCPs could not be read is tried anyway. Default: try
    every account.

    Raises :class:`UsageError` (bad selection, duration, workers; unknown OU or
    account; the management account named) and :class:`PreflightError` before any
    change (see :func:`root_access.prepare.prepare`). With ``resume`` and a ``journal``,
    accounts the journal records as finished for this task are left out. While
    streaming, :class:`RegionDisabledError` stops the run at the first occurrence.
    ``on_targets``: see :func:`counted_targets` (the number of results, before the first).
    """

    def validate() -> None:
        if resume and journal is None:
            raise UsageError("resume needs the journal of the interrupted run: pass journal=")

    run = prepare(
        session,
        task=task,
        selection=selection,
        region=region,
        max_workers=max_workers,
        duration_seconds=duration_seconds,
        max_attempts=max_attempts,
        preflight_result=preflight_result,
        validate=validate,
    )
    context = _context(run, task, journal=journal, dry_run=dry_run)
    checked = run.preflight
    done = (
        completed_accounts(journal.path, task_policy_arn=checked.task_policy_arn(task))
        if resume and journal is not None
        else frozenset()
    )
    stopped: list[RegionDisabledError] = []
    linter = _linter(run, task) if skip_scp_blocked else None

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
        if stopped:
            raise stopped[0]  # another worker found the region disabled: touch nothing
        try:
            try:
                blocked = _scp_blocked(linter, target, task, dry_run) if linter else None
                result = blocked or work(context, target)
            except (ClientError, *CLIENT_SIDE_ERRORS) as error:
                result = failure_result(target, task, error, dry_run=dry_run, region=run.region)
        except RegionDisabledError as error:
            stop = error if error.region else RegionDisabledError(run.region, error.aws_message)
            stopped.append(stop)
            raise stop from None
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

    targets = (t for t in run.targets() if t.account_id not in done)
    return run_bounded(counted_targets(targets, on_targets), one, max_workers=max_workers)


def counted_targets(
    targets: Iterator[Target], on_targets: Callable[[int], None] | None
) -> Iterator[Target]:
    """``targets`` as they stream, or, with ``on_targets``, listed whole first.

    With ``on_targets`` the targets are listed once, when the stream is first read
    (the same Organizations calls as without it, never a second listing), then
    ``on_targets(n)`` is called with their number (skipped accounts included: one result
    each; accounts left out by ``resume`` not) before any account is worked on. The cost:
    the listing finishes before the first AssumeRoot, and the run holds one
    :class:`Target` per account (a few hundred bytes each) instead of a stream.
    """
    if on_targets is None:
        return targets

    def listed() -> Iterator[Target]:
        every = list(targets)
        on_targets(len(every))
        yield from every

    return listed()


def _linter(run: RunContext, task: RootTask) -> ScpLinter:
    """The run's SCP linter for the root sessions ``task`` opens."""
    return ScpLinter.of_preflight(run.session, run.preflight, session_tasks(task))


def _scp_blocked(
    linter: ScpLinter, target: Target, task: RootTask, dry_run: bool
) -> AccountResult | None:
    """``blocked_by_scp`` for an account an SCP certainly blocks, else ``None`` (clear,
    unknown or "may block": the account is tried)."""
    try:
        found = linter.lint(target.account_id)
    except (ClientError, *CLIENT_SIDE_ERRORS) as error:
        _log.warning("%s: SCPs unknown (%s); trying it anyway", target.account_id, error)
        return None
    if found.status is ScpStatus.UNKNOWN:
        _log.warning("%s: SCPs unknown (%s); trying it anyway", target.account_id, found.detail)
    if not found.certainly_blocked:
        return None
    return AccountResult(
        account_id=target.account_id,
        outcome=Outcome.BLOCKED_BY_SCP,
        task=task.value,
        name=target.name,
        state=target.state,
        detail=f"skipped without AssumeRoot (skip_scp_blocked): {found.detail}",
        dry_run=dry_run,
    )


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
    """Prepare one account (``validate()`` first, no AWS call): preflight, describe.

    Raises :class:`UsageError` for a malformed or unknown account id, the management
    account, or what ``validate`` rejects; :class:`PreflightError` from preflight.
    """
    run = prepare(
        session,
        task=task,
        account_id=account_id,
        region=region,
        max_workers=1,
        duration_seconds=duration_seconds,
        max_attempts=max_attempts,
        preflight_result=preflight_result,
        validate=validate,
    )
    assert run.account is not None
    return _context(run, task, journal=journal, dry_run=dry_run), run.account
