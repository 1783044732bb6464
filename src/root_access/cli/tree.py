"""The organization as a tree for ``root-access status``: OUs, accounts, root posture.

Like the IAM console's root access management page: every account under its OU
path, its state, whether it is the management account or the IAM delegated
administrator, and (after an audit) whether its root user holds credentials.

The engine reads the tree (:mod:`root_access.organization`); this module words and
draws it. Drawing uses ``rich.tree`` when ``rich`` is installed (imported lazily),
else plain ``|--`` text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from root_access.cli.mapping import render_mapping
from root_access.cli.render import console_for, credentials_summary, safe_cell
from root_access.cli.scp import CSV_COLUMNS, by_account, csv_cells, render_scp
from root_access.organization import OrgAccount, OrgUnit, read_organization
from root_access.outcomes import Outcome
from root_access.results import AccountResult
from root_access.status import Status

__all__ = [
    "OrgAccount",
    "OrgUnit",
    "account_rows",
    "draw",
    "posture",
    "read_organization",
    "render_status",
    "to_dict",
]


def posture(result: AccountResult | None) -> str:
    """Root-credential posture of an account from its audit result.

    ``not audited`` (no result), ``no root credentials``, ``root credentials: <summary>``;
    an account the audit did not look into reads ``not audited (<outcome>): <why>``
    (``the management account``, its state such as ``SUSPENDED``, or the failure's
    detail): what its root user holds is unknown, never "none".
    """
    if result is None:
        return "not audited"
    if result.outcome == Outcome.NO_ROOT_CREDENTIALS:
        return "no root credentials"
    if result.outcome == Outcome.ROOT_CREDENTIALS_PRESENT:
        return f"root credentials: {credentials_summary(result)}"
    if result.outcome == Outcome.SKIPPED_MANAGEMENT_ACCOUNT:
        why = "the management account"
    elif result.outcome == Outcome.SKIPPED_INACTIVE_ACCOUNT:
        why = result.state or "not ACTIVE"
    else:
        why = result.detail
    return f"not audited ({result.outcome.value}): {why}".rstrip(": ")


def _role(account_id: str, management: str | None, delegated: tuple[str, ...]) -> str:
    if account_id == management:
        return "management account"
    if account_id in delegated:
        return "IAM delegated administrator"
    return ""


def _label(
    account: OrgAccount,
    management: str | None,
    delegated: tuple[str, ...],
    audit: Mapping[str, AccountResult] | None,
) -> str:
    parts = [account.id, account.name, account.state]
    role = _role(account.id, management, delegated)
    if role:
        parts.append(f"[{role}]")
    if audit is not None:
        parts.append("- " + posture(audit.get(account.id)))
    return "  ".join(p for p in parts if p)


def account_rows(
    roots: list[OrgUnit],
    *,
    management_account_id: str | None = None,
    delegated_administrators: tuple[str, ...] = (),
    audit: Mapping[str, AccountResult] | None = None,
) -> Iterator[dict[str, str]]:
    """One flat row per account: ``account_id, name, state, path, role, posture``.

    ``path`` is the OU path from the root, names joined with ``/`` (``Root/Workloads/Prod``).
    """

    def walk(unit: OrgUnit, path: str) -> Iterator[dict[str, str]]:
        here = f"{path}/{unit.name}" if path else unit.name
        for account in unit.accounts:
            yield {
                "account_id": account.id,
                "name": account.name,
                "state": account.state,
                "path": here,
                "role": _role(account.id, management_account_id, delegated_administrators),
                "posture": posture(audit.get(account.id)) if audit is not None else "",
            }
        for child in unit.units:
            yield from walk(child, here)

    for root in roots:
        yield from walk(root, "")


def to_dict(
    unit: OrgUnit,
    *,
    management_account_id: str | None = None,
    delegated_administrators: tuple[str, ...] = (),
    audit: Mapping[str, AccountResult] | None = None,
) -> dict[str, Any]:
    """``{id, name, accounts: [{id, name, state, role, posture}], units: [...]}`` (nested);
    ``posture`` is present only when ``audit`` is given."""

    def account(a: OrgAccount) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": a.id,
            "name": a.name,
            "state": a.state,
            "role": _role(a.id, management_account_id, delegated_administrators) or None,
        }
        if audit is not None:
            data["posture"] = posture(audit.get(a.id))
        return data

    return {
        "id": unit.id,
        "name": unit.name,
        "accounts": [account(a) for a in unit.accounts],
        "units": [
            to_dict(
                u,
                management_account_id=management_account_id,
                delegated_administrators=delegated_administrators,
                audit=audit,
            )
            for u in unit.units
        ],
    }


def _plain(
    unit: OrgUnit, prefix: str, label: Any, out: list[str], is_root: bool, last: bool
) -> None:
    if is_root:
        out.append(f"{unit.name} ({unit.id})")
        child_prefix = ""
    else:
        out.append(f"{prefix}{'`-- ' if last else '|-- '}{unit.name} ({unit.id})")
        child_prefix = prefix + ("    " if last else "|   ")
    items: list[OrgAccount | OrgUnit] = [*unit.accounts, *unit.units]
    for index, item in enumerate(items):
        end = index == len(items) - 1
        if isinstance(item, OrgAccount):
            out.append(f"{child_prefix}{'`-- ' if end else '|-- '}{label(item)}")
        else:
            _plain(item, child_prefix, label, out, False, end)


def draw(
    roots: list[OrgUnit],
    stream: IO[str],
    *,
    management_account_id: str | None = None,
    delegated_administrators: tuple[str, ...] = (),
    audit: Mapping[str, AccountResult] | None = None,
) -> None:
    """Draw the organization on ``stream``: accounts first, then child OUs, per node.

    Each account reads ``<id>  <name>  <state>  [<role>]  - <posture>`` (posture only
    when ``audit`` is given, as :func:`posture` words it).
    """

    def label(account: OrgAccount) -> str:
        return _label(account, management_account_id, delegated_administrators, audit)

    try:
        from rich.markup import escape
        from rich.tree import Tree
    except ImportError:
        lines: list[str] = []
        for root in roots:
            _plain(root, "", label, lines, True, True)
        stream.write("\n".join(lines) + "\n")
        stream.flush()
        return

    def add(node: Any, unit: OrgUnit) -> None:
        for account in unit.accounts:
            node.add(escape(label(account)))
        for child in unit.units:
            add(node.add(f"[bold]{escape(child.name)}[/bold] ({child.id})"), child)

    console = console_for(stream)
    for root in roots:
        tree = Tree(f"[bold]{escape(root.name)}[/bold] ({root.id})")
        add(tree, root)
        console.print(tree)
    stream.flush()


def render_status(
    fmt: str,
    out: IO[str],
    found: Status,
    *,
    audit: Mapping[str, AccountResult] | None = None,
) -> None:
    """Render ``status`` in ``fmt``: ``json`` ``{preflight: {...facts, tasks, warnings},
    organization: [tree], scp_lint: [ScpLintResult.to_dict()]}``; ``csv`` one row per
    account (:func:`account_rows` plus the lint's :data:`root_access.cli.scp.CSV_COLUMNS`);
    ``table`` / ``markdown`` the facts (:func:`root_access.cli.mapping.render_mapping`),
    the drawn tree, then the SCP lint section (:func:`root_access.cli.scp.render_scp`).
    The lint parts are left out when ``found.scp`` is empty (not linted)."""
    preflight = found.preflight
    options: dict[str, Any] = {
        "management_account_id": preflight.management_account_id,
        "delegated_administrators": preflight.delegated_administrators or (),
        "audit": audit,
    }
    roots = found.organization
    if fmt == "json":
        document = {
            "preflight": found.facts(),
            "organization": [to_dict(root, **options) for root in roots],
        }
        if found.scp:
            document["scp_lint"] = [result.to_dict() for result in found.scp]
        out.write(json.dumps(document, indent=2) + "\n")
        return
    if fmt == "csv":
        lint = by_account(found.scp) if found.scp else None
        columns = ("account_id", "name", "state", "path", "role", "posture")
        writer = csv.DictWriter(
            out,
            fieldnames=columns + (CSV_COLUMNS if lint is not None else ()),
            lineterminator="\n",
        )
        writer.writeheader()
        for row in account_rows(roots, **options):
            if lint is not None:
                row.update(csv_cells(lint.get(row["account_id"])))
            writer.writerow({key: safe_cell(value) for key, value in row.items()})
        return
    flat: dict[str, Any] = dict(preflight.to_dict())
    flat.update({f"task {task}": state for task, state in found.tasks.items()})
    for number, line in enumerate(found.warnings, start=1):
        flat[f"warning {number}"] = line
    render_mapping(fmt, out, flat, title="preflight")
    if fmt == "markdown":
        out.write("\n```text\n")
        draw(roots, out, **options)
        out.write("```\n")
    else:
        out.write("\n")
        draw(roots, out, **options)
    if found.scp:
        render_scp(fmt, out, found.scp)
