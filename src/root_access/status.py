"""``status`` as data: the preflight, what each root task needs, and the organization.

The engine half of ``root-access status``: one :func:`root_access.prepare.prepare`
(one preflight), the readiness of every root task (:func:`readiness`) and the
organization tree (:func:`root_access.organization.read_organization`). The CLI
renders it (``root_access.cli.commands.status``) and, with ``--audit``, runs
:func:`root_access.audit` reusing this preflight.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from root_access.errors import PreflightError
from root_access.organization import OrgUnit, read_organization
from root_access.preflight import Preflight, require
from root_access.prepare import prepare
from root_access.tasks import RootTask

__all__ = ["READY", "Status", "readiness", "status"]

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
    (assumed gates that are off) and ``organization`` (the roots with OUs and accounts)."""

    preflight: Preflight
    tasks: dict[str, str]
    warnings: tuple[str, ...]
    organization: list[OrgUnit]

    def facts(self) -> dict[str, Any]:
        """The preflight fields plus ``tasks`` and ``warnings`` (the JSON ``preflight``)."""
        return {
            **self.preflight.to_dict(),
            "tasks": dict(self.tasks),
            "warnings": list(self.warnings),
        }


def status(session: boto3.Session, *, region: str | None = None) -> Status:
    """Preflight once, then read each task's readiness and the organization tree.

    Raises :class:`root_access.UsageError` (no region, a refused STS endpoint) and
    :class:`root_access.PreflightError` (root caller, no organization). Calls: the
    preflight's, then ``ListRoots``, ``ListOrganizationalUnitsForParent`` and
    ``ListAccountsForParent`` (paginated).
    """
    run = prepare(session, region=region)
    tasks, warnings = readiness(run.preflight)
    return Status(
        preflight=run.preflight,
        tasks=tasks,
        warnings=warnings,
        organization=read_organization(run.organizations()),
    )
