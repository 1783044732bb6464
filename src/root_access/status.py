"""``status`` as data: the preflight, what each root task needs, and the organization.

The engine half of ``root-access status``: one :func:`root_access.prepare.prepare`
(one preflight), the readiness of every root task (:func:`readiness`) and the
organization tree (:func:`root_access.organization.read_organization`). The CLI
renders it (``root_access.cli.commands.status``) and, with ``--audit``, runs
:func:`root_access.audit` reusing this preflight.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

from root_access.errors import PreflightError
from root_access.organization import OrgUnit, read_organization
from root_access.preflight import Preflight, require
from root_access.prepare import RunContext, prepare
from root_access.scp_lint import ScpLinter, ScpLintResult
from root_access.tasks import RootTask

__all__ = ["READY", "Status", "account_ids", "readiness", "scp_lint", "status"]

READY = "ready"
"""The readiness of a task nothing blocks."""


def readiness(checked: Preflight) -> tuple[dict[str, str], tuple[str, ...]]:
    """Each root task's readiness and the warnings about assumed gates.

    Returns ``({task: "ready" | the one-line preflight error that blocks it}, warnings)``;
    a task whose only gap is a feature AWS does not state as its gate is ``ready`` and
    its warning line is in ``warnings`` (see :func:`root_access.preflight.require`).
    """
    tasks: dict[str, str] = {}
    warnings: list[str] = []
    for task in RootTask:
        try:
            warnings.extend(require(checked, task))
        except PreflightError as error:
            tasks[task.value] = str(error)
        else:
            tasks[task.value] = READY
    return tasks, tuple(warnings)


@dataclass(frozen=True)
class Status:
    """What ``status`` found: ``preflight``, ``tasks`` (task -> readiness), ``warnings``
    (assumed gates that are off), ``organization`` (the roots with OUs and accounts) and
    ``scp`` (the SCP lint of every account of the tree, in tree order, for every root
    task; empty when not asked for)."""

    preflight: Preflight
    tasks: dict[str, str]
    warnings: tuple[str, ...]
    organization: list[OrgUnit]
    scp: tuple[ScpLintResult, ...] = ()

    def facts(self) -> dict[str, Any]:
        """The preflight fields plus ``tasks`` and ``warnings`` (the JSON ``preflight``)."""
        return {
            **self.preflight.to_dict(),
            "tasks": dict(self.tasks),
            "warnings": list(self.warnings),
        }


def account_ids(roots: list[OrgUnit]) -> Iterator[str]:
    """Every account id of the tree, depth first (accounts before child OUs)."""
    for root in roots:
        yield from (account.id for account in root.accounts)
        yield from account_ids(root.units)


def scp_lint(run: RunContext, roots: list[OrgUnit]) -> tuple[ScpLintResult, ...]:
    """The SCP lint of every account of ``roots`` for every root task, before any
    AssumeRoot (:class:`root_access.scp_lint.ScpLinter`): per account ``blocked`` (with
    the policy, statement and fix), ``clear``, ``unknown`` (never shown as clear) or
    ``not_subject`` (the management account)."""
    linter = ScpLinter.of_preflight(run.session, run.preflight, tuple(RootTask))
    return tuple(linter.lint_many(account_ids(roots), parents=parent_links(roots)))


def parent_links(units: list[OrgUnit], kind: str = "ROOT") -> dict[str, tuple[str, ...]]:
    """Child id (account or OU) -> ``("ROOT:r-…",)`` or ``("ORGANIZATIONAL_UNIT:ou-…",)``
    of the tree already read, as ``ListParents`` answers it (the lint reuses it)."""
    links: dict[str, tuple[str, ...]] = {}
    for unit in units:
        link = (f"{kind}:{unit.id}",)
        links.update({account.id: link for account in unit.accounts})
        links.update({child.id: link for child in unit.units})
        links.update(parent_links(unit.units, "ORGANIZATIONAL_UNIT"))
    return links


def status(session: boto3.Session, *, region: str | None = None, lint_scps: bool = True) -> Status:
    """Preflight once, then read each task's readiness, the organization tree and (with
    ``lint_scps``, the default) the SCP lint of every account in it.

    Raises :class:`root_access.UsageError` (no region, a refused STS endpoint) and
    :class:`root_access.PreflightError` (root caller, no organization). Calls: the
    preflight's, then ``ListRoots``, ``ListOrganizationalUnitsForParent`` and
    ``ListAccountsForParent`` (paginated); the lint adds ``ListParents`` per account and
    OU, ``ListPoliciesForTarget`` per account, OU and root and ``DescribePolicy`` per
    SCP, or above ``BULK_LINT_ABOVE`` accounts ``ListRoots``, ``ListPolicies`` and
    ``ListTargetsForPolicy`` with the tree already read (Organizations reads only).
    """
    run = prepare(session, region=region)
    tasks, warnings = readiness(run.preflight)
    organization = read_organization(run.organizations())
    return Status(
        preflight=run.preflight,
        tasks=tasks,
        warnings=warnings,
        organization=organization,
        scp=scp_lint(run, organization) if lint_scps else (),
    )
