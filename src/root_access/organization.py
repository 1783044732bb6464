"""The organization as data: the roots, their OUs and accounts (engine half of ``status``).

Reading the tree is read-only and paginated: ``organizations:ListRoots``,
``ListOrganizationalUnitsForParent`` and ``ListAccountsForParent`` (Organizations API
Reference). The CLI draws it (``root_access.cli.tree``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient

__all__ = ["OrgAccount", "OrgUnit", "read_organization"]


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


def _read_unit(organizations: OrganizationsClient, unit: OrgUnit) -> OrgUnit:
    accounts = organizations.get_paginator("list_accounts_for_parent")
    for page in accounts.paginate(ParentId=unit.id):
        unit.accounts.extend(_account(a) for a in page["Accounts"])
    units = organizations.get_paginator("list_organizational_units_for_parent")
    for children in units.paginate(ParentId=unit.id):
        for child in children["OrganizationalUnits"]:
            unit.units.append(
                _read_unit(organizations, OrgUnit(id=child["Id"], name=child.get("Name", "")))
            )
    return unit


def read_organization(organizations: OrganizationsClient) -> list[OrgUnit]:
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
