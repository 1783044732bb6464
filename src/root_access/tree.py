"""The organization as a tree for ``root-access status``: OUs, accounts, root posture.

Like the IAM console's root access management page: every account under its OU
path, its state, whether it is the management account or the IAM delegated
administrator, and (after an audit) whether its root user holds credentials.

Reading the tree is read-only and paginated: ``organizations:ListRoots``,
``ListOrganizationalUnitsForParent`` and ``ListAccountsForParent`` (Organizations API
Reference). Drawing uses ``rich.tree`` when ``rich`` is installed (imported lazily),
else plain ``|--`` text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from root_access.outcomes import Outcome
from root_access.render import console_for, credentials_summary
from root_access.results import AccountResult

__all__ = [
    "OrgAccount",
    "OrgUnit",
    "account_rows",
    "draw",
    "posture",
    "read_organization",
    "to_dict",
]


@dataclass(frozen=True)
class OrgAccount:
    """One account as Organizations lists it (``State``, falling back to ``Status``)."""

    id: str
    name: str
    state: str


@dataclass
class OrgUnit:
    """The organization root (``r-…``) or an OU (``ou-…``) with its direct children."""

    id: str
    name: str
    units: list[OrgUnit] = field(default_factory=list)
    accounts: list[OrgAccount] = field(default_factory=list)


def _account(raw: Mapping[str, Any]) -> OrgAccount:
    state = raw.get("State") or raw.get("Status") or "ACTIVE"
    return OrgAccount(id=str(raw["Id"]), name=str(raw.get("Name", "")), state=str(state))


def _read_unit(organizations: Any, unit: OrgUnit) -> OrgUnit:
    for page in organizations.get_paginator("list_accounts_for_parent").paginate(ParentId=unit.id):
        unit.accounts.extend(_account(a) for a in page["Accounts"])
    for page in organizations.get_paginator("list_organizational_units_for_parent").paginate(
        ParentId=unit.id
    ):
        for child in page["OrganizationalUnits"]:
            unit.units.append(
                _read_unit(organizations, OrgUnit(id=child["Id"], name=child.get("Name", "")))
            )
    return unit


def read_organization(organizations: Any) -> list[OrgUnit]:
    """The organization's roots (one in practice), each with its OUs and accounts.

    ``organizations`` is a boto3 Organizations client of the management account or a
    delegated administrator. ``ClientError`` propagates (``AccessDenied`` when the
    caller may not list the organization).
    """
    roots: list[OrgUnit] = []
    for page in organizations.get_paginator("list_roots").paginate():
        for root in page["Roots"]:
            roots.append(_read_unit(organizations, OrgUnit(id=root["Id"], name=root["Name"])))
    return roots


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
