"""Find the service control policies that would block root sessions, before AssumeRoot.

An SCP written before centralized root access existed (the common "deny everything
the root user does" guardrail) also denies the AssumeRoot sessions the central team
needs, unless it exempts them with ``"Null": {"aws:AssumedRoot": "true"}`` (IAM User
Guide, ``reference_policies_condition-keys.html#condition-keys-assumedroot``; AWS
Security Blog, "Secure root user access for member accounts in AWS Organizations").
Teams otherwise find out account by account when a deletion fails.

For each targeted account the lint reads the SCPs attached to the account and to every
parent up to the root (``ListParents``, ``ListPoliciesForTarget`` with
``SERVICE_CONTROL_POLICY``, ``DescribePolicy``; Organizations read permissions only, no
AssumeRoot), evaluates each ``Deny`` statement against the calls a root session of each
task makes, and names the policy, the statement and the condition to add. SCPs never
apply to the management account (Organizations User Guide, "Service control
policies"), so it is reported ``not_subject``. An account whose policies could not be
read is ``unknown``, never ``clear``.

Linting more than :data:`BULK_LINT_ABOVE` accounts reads the organization in bulk
first (``ListRoots``, ``ListOrganizationalUnitsForParent`` and ``ListAccountsForParent``
per parent, ``ListPolicies`` and ``ListTargetsForPolicy`` per SCP): about one call per
20 accounts plus a few per OU and per SCP, instead of two per account, and the
Organizations API is the slow, sequential part of a lint (it has low request quotas).

The lint reads only ``Deny`` statements. An SCP allow list that omits an action also
blocks it (implicit deny); the lint does not model allow lists and says so in its
``detail`` when an account has policies other than ``FullAWSAccess``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import boto3
from botocore.exceptions import ClientError

from root_access.arns import root_arn
from root_access.clients import organizations_client
from root_access.errors import error_code, has_code
from root_access.policy_documents import Request, matching_denies, parse_document
from root_access.preflight import Preflight
from root_access.tasks import RootTask

__all__ = [
    "BULK_LINT_ABOVE",
    "EXEMPTION",
    "TASK_ACTIONS",
    "VERB_TASKS",
    "ScpBlock",
    "ScpLintResult",
    "ScpLinter",
    "ScpStatus",
    "lint_account",
    "lint_scps",
    "root_session_requests",
    "session_tasks",
]

EXEMPTION = '"Null": {"aws:AssumedRoot": "true"}'
"""The condition that exempts AssumeRoot sessions from a root-denying statement."""

FULL_AWS_ACCESS = "p-FullAWSAccess"

BULK_LINT_ABOVE = 50
"""Accounts above which :meth:`ScpLinter.lint_many` reads the whole organization's
parents and SCP attachments in bulk first. Per account the lint costs about two
Organizations calls (``ListParents``, ``ListPoliciesForTarget``); the bulk read costs
about one per 20 accounts plus two per OU and one or more per SCP, whatever the
selection's size, so it pays off from a few dozen accounts up."""

TASK_ACTIONS: Mapping[RootTask, tuple[str, ...]] = {
    RootTask.AUDIT: (
        "iam:GetAccountSummary",
        "iam:GetLoginProfile",
        "iam:GetUser",
        "iam:ListAccessKeys",
        "iam:GetAccessKeyLastUsed",
        "iam:ListSigningCertificates",
        "iam:ListMFADevices",
    ),
    RootTask.DELETE_CREDENTIALS: (
        "iam:GetLoginProfile",
        "iam:DeleteLoginProfile",
        "iam:ListAccessKeys",
        "iam:DeleteAccessKey",
        "iam:ListSigningCertificates",
        "iam:DeleteSigningCertificate",
        "iam:ListMFADevices",
        "iam:DeactivateMFADevice",
    ),
    RootTask.CREATE_PASSWORD: ("iam:GetLoginProfile", "iam:CreateLoginProfile"),
    RootTask.UNLOCK_S3_BUCKET_POLICY: (
        "s3:ListAllMyBuckets",
        "s3:GetBucketPolicy",
        "s3:DeleteBucketPolicy",
    ),
    RootTask.UNLOCK_SQS_QUEUE_POLICY: (
        "sqs:GetQueueUrl",
        "sqs:GetQueueAttributes",
        "sqs:SetQueueAttributes",
    ),
}
"""The calls a root session of each task makes (the engine's audit, delete, recovery
and unlock code; a subset of what each task policy allows, IAM User Guide
``security-iam-awsmanpol.html``)."""


VERB_TASKS: Mapping[str, tuple[RootTask, ...]] = {
    "audit": (RootTask.AUDIT,),
    "delete-credentials": (RootTask.DELETE_CREDENTIALS, RootTask.AUDIT),
    "allow-password-recovery": (RootTask.CREATE_PASSWORD,),
    "unlock-s3-bucket-policy": (RootTask.UNLOCK_S3_BUCKET_POLICY,),
    "unlock-sqs-queue-policy": (RootTask.UNLOCK_SQS_QUEUE_POLICY,),
}
"""The task policies each verb opens root sessions with: ``delete-credentials`` also
verifies in an audit session, so an SCP that blocks the audit blocks it too."""


def session_tasks(task: RootTask) -> tuple[RootTask, ...]:
    """The task policies a run of ``task`` opens root sessions with (``task`` itself,
    plus the audit session that verifies a deletion)."""
    if task is RootTask.DELETE_CREDENTIALS:
        return VERB_TASKS["delete-credentials"]
    return (task,)


class ScpStatus(str, Enum):
    """The lint's verdict for one account."""

    BLOCKED = "blocked"
    """An SCP statement denies at least one call of at least one checked task."""
    CLEAR = "clear"
    """Every SCP that applies was read and none denies a checked call."""
    UNKNOWN = "unknown"
    """The policies could not be read (access denied, throttled, ...): not clear."""
    NOT_SUBJECT = "not_subject"
    """The management account: SCPs never apply to it."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ScpBlock:
    """One SCP statement that denies one call of one task in a root session.

    ``certain`` is False when the statement names specific resources (buckets, queues)
    that the lint cannot know before the task runs: it may block.
    """

    task: str
    action: str
    policy_id: str
    policy_name: str
    target_id: str
    statement: str
    certain: bool = True

    @property
    def fix(self) -> str:
        """One line: what to change so the statement spares root sessions."""
        return (
            f"add {EXEMPTION} to the Condition of statement {self.statement} in SCP "
            f"{self.policy_name} ({self.policy_id}) attached to {self.target_id}"
        )

    def to_dict(self) -> dict[str, Any]:
        """``{task, action, policy_id, policy_name, target_id, statement, certain, fix}``."""
        return {
            "task": self.task,
            "action": self.action,
            "policy_id": self.policy_id,
            "policy_name": self.policy_name,
            "target_id": self.target_id,
            "statement": self.statement,
            "certain": self.certain,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class ScpLintResult:
    """The lint's answer for one account: ``status``, the blocking statements
    (``blocks``), the ids the policies came from (``targets``: account, OUs, root) and a
    one-line ``detail``."""

    account_id: str
    status: ScpStatus
    blocks: tuple[ScpBlock, ...] = ()
    targets: tuple[str, ...] = ()
    detail: str = ""

    def blocked_tasks(self) -> frozenset[str]:
        """The task policy names an SCP denies (``IAMAuditRootUserCredentials``, ...)."""
        return frozenset(b.task for b in self.blocks)

    @property
    def certainly_blocked(self) -> bool:
        """True when a blocking statement applies whatever the resource (not only "may
        block"): what ``skip_scp_blocked`` skips."""
        return self.status is ScpStatus.BLOCKED and any(b.certain for b in self.blocks)

    def blocks_task(self, task: RootTask | str) -> bool | None:
        """True / False, or None when unknown."""
        if self.status is ScpStatus.UNKNOWN:
            return None
        return str(task) in self.blocked_tasks()

    def to_dict(self) -> dict[str, Any]:
        """``{account_id, status, blocked_tasks, blocks: [...], targets, detail}``."""
        return {
            "account_id": self.account_id,
            "status": self.status.value,
            "blocked_tasks": sorted(self.blocked_tasks()),
            "blocks": [b.to_dict() for b in self.blocks],
            "targets": list(self.targets),
            "detail": self.detail,
        }


def root_session_requests(
    *, partition: str, account_id: str, task: RootTask, organization_id: str | None, region: str
) -> Iterator[Request]:
    """The requests a root session of ``task`` in ``account_id`` makes, with the
    condition keys AWS sets in them: ``aws:PrincipalArn`` (the root user's ARN),
    ``aws:AssumedRoot`` (``true``), ``aws:PrincipalAccount``, ``aws:PrincipalOrgID`` and
    ``aws:RequestedRegion`` (IAM User Guide, global condition context keys)."""
    principal = root_arn(partition, account_id)
    context: dict[str, str] = {
        "aws:PrincipalArn": principal,
        "aws:AssumedRoot": "true",
        "aws:PrincipalAccount": account_id,
        "aws:RequestedRegion": region,
    }
    if organization_id:
        context["aws:PrincipalOrgID"] = organization_id
    for action in TASK_ACTIONS[task]:
        resource = principal if action.startswith("iam:") else None
        yield Request(action=action, resource=resource, context=context)


@dataclass
class _Reader:
    """Organizations reads with per-run caches (OUs and policies are shared by many
    accounts, so each is read once)."""

    client: Any
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attached: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: int = 0

    def chain(self, account_id: str) -> tuple[str, ...]:
        """``(account_id, parent OU, ..., root id)``."""
        chain = [account_id]
        current = account_id
        while True:
            if current not in self.parents:
                self.calls += 1
                parents = self.client.list_parents(ChildId=current)["Parents"]
                self.parents[current] = tuple(f"{p['Type']}:{p['Id']}" for p in parents)
            found = self.parents[current]
            if not found:
                return tuple(chain)
            kind, parent = found[0].split(":", 1)
            chain.append(parent)
            if kind == "ROOT":
                return tuple(chain)
            current = parent

    def _pages(self, operation: str, key: str, **parameters: Any) -> Iterator[dict[str, Any]]:
        for page in self.client.get_paginator(operation).paginate(**parameters):
            self.calls += 1
            yield from page[key]

    def prefetch(self, known: Mapping[str, tuple[str, ...]] | None = None) -> None:
        """Read every parent link (unless ``known``: child id -> ``("KIND:parent",)``)
        and SCP attachment of the organization in bulk (see the module docstring), so
        :meth:`chain` and :meth:`policies` answer from the cache. Raises ``ClientError``."""
        parents: dict[str, tuple[str, ...]] = dict(known or {})
        roots = list(self._pages("list_roots", "Roots"))
        pending = [] if known is not None else [(root["Id"], "ROOT") for root in roots]
        while pending:
            parent, kind = pending.pop()
            link = (f"{kind}:{parent}",)
            for unit in self._pages(
                "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent
            ):
                parents[unit["Id"]] = link
                pending.append((unit["Id"], "ORGANIZATIONAL_UNIT"))
            for account in self._pages("list_accounts_for_parent", "Accounts", ParentId=parent):
                parents[account["Id"]] = link
        attached: dict[str, list[tuple[str, str]]] = {
            target: [] for target in (*parents, *(root["Id"] for root in roots))
        }
        enabled = all(
            any(
                t.get("Type") == "SERVICE_CONTROL_POLICY" and t.get("Status") == "ENABLED"
                for t in root.get("PolicyTypes", [])
            )
            for root in roots
        )
        if enabled:  # else no SCP applies: ListPoliciesForTarget answers PolicyTypeNotEnabled
            for policy in self._pages("list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY"):
                entry = (policy["Id"], policy.get("Name", policy["Id"]))
                for target in self._pages(
                    "list_targets_for_policy", "Targets", PolicyId=policy["Id"]
                ):
                    attached.setdefault(target["TargetId"], []).append(entry)
        self.parents.update(parents)
        self.attached.update({target: tuple(found) for target, found in attached.items()})

    def policies(self, target_id: str) -> tuple[tuple[str, str], ...]:
        """``((policy_id, name), ...)`` of the SCPs attached to ``target_id``."""
        if target_id not in self.attached:
            found: list[tuple[str, str]] = []
            paginator = self.client.get_paginator("list_policies_for_target")
            try:
                for page in paginator.paginate(TargetId=target_id, Filter="SERVICE_CONTROL_POLICY"):
                    self.calls += 1
                    found += [(p["Id"], p.get("Name", p["Id"])) for p in page["Policies"]]
            except ClientError as error:
                if not has_code(error, "PolicyTypeNotEnabled"):
                    raise
            self.attached[target_id] = tuple(found)
        return self.attached[target_id]

    def document(self, policy_id: str) -> dict[str, Any]:
        if policy_id not in self.documents:
            self.calls += 1
            policy = self.client.describe_policy(PolicyId=policy_id)["Policy"]
            self.documents[policy_id] = parse_document(policy["Content"])
        return self.documents[policy_id]


def lint_account(
    reader: _Reader,
    *,
    account_id: str,
    tasks: Sequence[RootTask],
    partition: str,
    organization_id: str | None,
    region: str,
) -> ScpLintResult:
    """Lint one member account (see the module docstring)."""
    try:
        chain = reader.chain(account_id)
        attached = [(target, reader.policies(target)) for target in chain]
        blocks: list[ScpBlock] = []
        for target, policies in attached:
            for policy_id, name in policies:
                document = reader.document(policy_id)
                for task in tasks:
                    for request in root_session_requests(
                        partition=partition,
                        account_id=account_id,
                        task=task,
                        organization_id=organization_id,
                        region=region,
                    ):
                        for match in matching_denies(document, request):
                            blocks.append(
                                ScpBlock(
                                    task=task.value,
                                    action=request.action,
                                    policy_id=policy_id,
                                    policy_name=name,
                                    target_id=target,
                                    statement=match.statement,
                                    certain=match.certain,
                                )
                            )
    except ClientError as error:
        return ScpLintResult(
            account_id,
            ScpStatus.UNKNOWN,
            detail=f"could not read the SCPs: {error_code(error)}",
        )
    except ValueError as error:
        return ScpLintResult(account_id, ScpStatus.UNKNOWN, detail=f"unreadable SCP: {error}")
    if blocks:
        first = blocks[0]
        detail = f"{first.task} blocked: {first.action} denied; {first.fix}"
        return ScpLintResult(account_id, ScpStatus.BLOCKED, tuple(blocks), chain, detail)
    return ScpLintResult(account_id, ScpStatus.CLEAR, (), chain)


class ScpLinter:
    """The lint as a reusable, thread-safe object: one Organizations client and one cache
    of parents, attachments and documents for a run (a sweep's workers share it).

    ``lint(account_id)`` returns the :class:`ScpLintResult` of one account for ``tasks``
    (the management account is ``not_subject``). Calls as :func:`lint_scps`.
    """

    def __init__(
        self,
        session: boto3.Session,
        *,
        tasks: Sequence[RootTask],
        partition: str,
        region: str,
        management_account_id: str,
        organization_id: str | None = None,
    ) -> None:
        self.tasks = tuple(tasks)
        self.partition = partition
        self.region = region
        self.management_account_id = management_account_id
        self.organization_id = organization_id
        self._reader = _Reader(organizations_client(session, region))
        self._lock = threading.Lock()

    @classmethod
    def of_preflight(
        cls, session: boto3.Session, checked: Preflight, tasks: Sequence[RootTask]
    ) -> ScpLinter:
        """The linter of a run: partition, region, management account and organization
        from its preflight."""
        return cls(
            session,
            tasks=tasks,
            partition=checked.partition,
            region=checked.region,
            management_account_id=checked.management_account_id,
            organization_id=checked.organization_id,
        )

    @property
    def calls(self) -> int:
        """Organizations calls made so far."""
        return self._reader.calls

    def lint_many(
        self, account_ids: Iterable[str], *, parents: Mapping[str, tuple[str, ...]] | None = None
    ) -> Iterator[ScpLintResult]:
        """:meth:`lint` of each account, in order; above :data:`BULK_LINT_ABOVE`
        accounts the organization's parents (``parents`` when the caller has read the
        tree) and attachments are read in bulk first. A bulk read that fails falls back
        to the per-account reads (whose failures make those accounts ``unknown``)."""
        ids = list(account_ids)
        if len(ids) > BULK_LINT_ABOVE:
            with self._lock, contextlib.suppress(ClientError):
                self._reader.prefetch(parents)  # on failure each account's own reads decide
        for account_id in ids:
            yield self.lint(account_id)

    def lint(self, account_id: str) -> ScpLintResult:
        """The lint's answer for ``account_id`` (see the module docstring)."""
        if account_id == self.management_account_id:
            return ScpLintResult(
                account_id,
                ScpStatus.NOT_SUBJECT,
                detail="the management account is never subject to SCPs",
            )
        with self._lock:
            return lint_account(
                self._reader,
                account_id=account_id,
                tasks=self.tasks,
                partition=self.partition,
                organization_id=self.organization_id,
                region=self.region,
            )


def lint_scps(
    session: boto3.Session,
    *,
    account_ids: Iterable[str],
    tasks: Sequence[RootTask],
    partition: str,
    region: str,
    management_account_id: str,
    organization_id: str | None = None,
) -> Iterator[ScpLintResult]:
    """Lint each member account in ``account_ids`` for ``tasks``; yields one
    :class:`ScpLintResult` per account, in order. No AssumeRoot, no change.

    Calls: ``organizations:ListParents`` per account and per OU, then
    ``ListPoliciesForTarget`` and ``DescribePolicy`` once per target and per policy
    (cached for the run); above :data:`BULK_LINT_ABOVE` accounts the bulk reads of the
    module docstring instead of the first two. A read that fails makes that account
    ``unknown``.
    """
    linter = ScpLinter(
        session,
        tasks=tasks,
        partition=partition,
        region=region,
        management_account_id=management_account_id,
        organization_id=organization_id,
    )
    yield from linter.lint_many(account_ids)
