"""Stream the accounts of a :class:`Selection`, with their skip reasons.

``--all`` streams ``ListAccounts``; OUs are walked recursively with
``ListAccountsForParent`` + ``ListOrganizationalUnitsForParent``; explicit ids use
``DescribeAccount``. Only ACTIVE member accounts are targeted (``State``, falling
back to the older ``Status``); the management account and the others are yielded
with a skip outcome and never assumed into (field cases STS-TARGET-MGMT,
ACCT-NOT-ACTIVE). Source: Organizations API Reference (``Account.State``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from root_access.errors import UsageError, has_code
from root_access.outcomes import Outcome
from root_access.selection import Selection

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient

__all__ = [
    "Target",
    "check_selection",
    "describe_target",
    "iter_targets",
    "target_of",
]


@dataclass(frozen=True)
class Target:
    """One account of the selection; ``skip`` is set when it must not be assumed into."""

    account_id: str
    name: str | None = None
    state: str | None = None
    skip: Outcome | None = None
    detail: str = ""


def _state(account: Any) -> str:
    return str(account.get("State") or account.get("Status") or "ACTIVE")


def target_of(account: Any, management_account_id: str) -> Target:
    """The :class:`Target` of one Organizations ``Account`` (``State``, else ``Status``)."""
    account_id = str(account["Id"])
    name = account.get("Name")
    state = _state(account)
    if account_id == management_account_id:
        return Target(
            account_id,
            name,
            state,
            Outcome.SKIPPED_MANAGEMENT_ACCOUNT,
            "the management account is outside centralized root access; not assumed into",
        )
    if state != "ACTIVE":
        return Target(
            account_id,
            name,
            state,
            Outcome.SKIPPED_INACTIVE_ACCOUNT,
            f"account state is {state}; only ACTIVE accounts are targeted",
        )
    return Target(account_id, name, state)


def check_selection(organizations: OrganizationsClient, selection: Selection) -> dict[str, Any]:
    """Raise :class:`UsageError` when a selected or excluded OU, or an explicit account,
    does not exist in the organization (read-only calls, before any change).

    Returns the ``DescribeAccount`` ``Account`` of each explicit account id, for
    :func:`iter_targets` (``described=``) to reuse: one call per id per run.
    """
    for ou in (*selection.organizational_units, *selection.exclude_organizational_units):
        try:
            if ou.startswith("r-"):
                roots = [
                    r["Id"]
                    for page in organizations.get_paginator("list_roots").paginate()
                    for r in page["Roots"]
                ]
                if ou not in roots:
                    raise UsageError(f"organization root {ou} does not exist (roots: {roots})")
            else:
                organizations.describe_organizational_unit(OrganizationalUnitId=ou)
        except ClientError as error:
            if has_code(error, "OrganizationalUnitNotFound", "ParentNotFound", "InvalidInput"):
                raise UsageError(
                    f"organizational unit {ou} does not exist in this organization: "
                    "check the id with `aws organizations list-organizational-units-for-parent`"
                ) from None
            raise
    return {account_id: _describe(organizations, account_id) for account_id in selection.accounts}


def _describe(organizations: OrganizationsClient, account_id: str) -> Any:
    try:
        return organizations.describe_account(AccountId=account_id)["Account"]
    except ClientError as error:
        if has_code(error, "AccountNotFound", "InvalidInput"):
            raise UsageError(
                f"account {account_id} is not in this organization: check the id"
            ) from None
        raise


def describe_target(
    organizations: OrganizationsClient, account_id: str, *, management_account_id: str
) -> Target:
    """``DescribeAccount`` one account as a :class:`Target` (:class:`UsageError` if unknown)."""
    return target_of(_describe(organizations, account_id), management_account_id)


def _walk(organizations: OrganizationsClient, parent_id: str) -> Iterator[Any]:
    """Accounts under ``parent_id``, depth first, one page at a time."""
    accounts = organizations.get_paginator("list_accounts_for_parent")
    for page in accounts.paginate(ParentId=parent_id):
        yield from page["Accounts"]
    children = organizations.get_paginator("list_organizational_units_for_parent")
    for units in children.paginate(ParentId=parent_id):
        for child in units["OrganizationalUnits"]:
            yield from _walk(organizations, child["Id"])


def iter_targets(
    organizations: OrganizationsClient,
    selection: Selection,
    *,
    management_account_id: str,
    described: Mapping[str, Any] | None = None,
) -> Iterator[Target]:
    """Yield each selected account once, exclusions applied, in Organizations order.

    Memory holds only the ids already yielded and the excluded ids, never a page list.
    Call :func:`check_selection` first to turn unknown ids into :class:`UsageError`;
    ``described`` (its result) saves the second ``DescribeAccount`` of each explicit id.
    """
    known = described or {}
    excluded = set(selection.exclude_accounts)
    for ou in selection.exclude_organizational_units:
        excluded.update(str(a["Id"]) for a in _walk(organizations, ou))
    seen: set[str] = set()

    def accept(account: Any) -> Target | None:
        account_id = str(account["Id"])
        if account_id in excluded or account_id in seen:
            return None
        seen.add(account_id)
        return target_of(account, management_account_id)

    if selection.all:
        for page in organizations.get_paginator("list_accounts").paginate():
            for account in page["Accounts"]:
                target = accept(account)
                if target is not None:
                    yield target
        return
    for account_id in selection.accounts:
        if account_id in excluded or account_id in seen:
            continue
        account = known.get(account_id) or _describe(organizations, account_id)
        target = accept(account)
        if target is not None:
            yield target
    for ou in selection.organizational_units:
        for account in _walk(organizations, ou):
            target = accept(account)
            if target is not None:
                yield target
