"""Organizations facts the simulator needs, read from moto's organizations backends.

Several organizations coexist: each management account's ``OrganizationsBackend``
holds one organization, and ``organizations_backends.master_accounts`` maps each
member to its management account (moto's own bookkeeping). Lookups here never
create backends for accounts that have none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moto.organizations.models import OrganizationsBackend, organizations_backends

from root_access.simulator.aws import DEFAULT_TASK_FEATURES
from root_access.simulator.awserrors import SimulatedError
from root_access.simulator.state import sim_state

__all__ = [
    "IAM_SERVICE_PRINCIPAL",
    "OrgView",
    "find_account",
    "indexed_account",
    "list_accounts",
    "list_accounts_for_parent",
    "organization_of",
    "routed_backend",
]

IAM_SERVICE_PRINCIPAL = "iam.amazonaws.com"


@dataclass(frozen=True)
class OrgView:
    """An account's organization: the management backend and the account's role in it."""

    backend: OrganizationsBackend
    management_account_id: str
    partition: str

    @property
    def org(self) -> Any:
        """moto's ``FakeOrganization``."""
        return self.backend.org

    @property
    def organization_id(self) -> str:
        return str(self.org.id)

    @property
    def all_features(self) -> bool:
        return bool(self.org.feature_set == "ALL")

    def trusted_access(self, service_principal: str = IAM_SERVICE_PRINCIPAL) -> bool:
        """True when trusted access is enabled for ``service_principal``."""
        return any(s["ServicePrincipal"] == service_principal for s in self.backend.services)

    def delegated_administrators(self, service_principal: str = IAM_SERVICE_PRINCIPAL) -> set[str]:
        """Account ids registered as delegated administrator for ``service_principal``."""
        return {
            admin.account.id for admin in self.backend.admins if service_principal in admin.services
        }

    def is_delegated_administrator(self, account_id: str) -> bool:
        """True when ``account_id`` is a delegated administrator for any service."""
        return any(admin.account.id == account_id for admin in self.backend.admins)

    @property
    def task_features(self) -> dict[str, str]:
        """Task policy name -> the feature AssumeRoot requires for it in this organization.

        ``aws.DEFAULT_TASK_FEATURES`` overridden by ``World.set_task_features``.
        """
        return {**DEFAULT_TASK_FEATURES, **sim_state().task_features.get(self.organization_id, {})}

    @property
    def features(self) -> set[str]:
        """Enabled IAM organization features (mutable set kept in simulator state)."""
        return sim_state().features.setdefault(self.organization_id, set())


def organization_of(account_id: str) -> OrgView | None:
    """The organization ``account_id`` belongs to (as management account or member)."""
    own = dict.get(organizations_backends, account_id)
    if own is not None:
        for partition, backend in dict.items(own):
            if backend.org is not None:
                return OrgView(backend, account_id, partition)
    owner = organizations_backends.master_accounts.get(account_id)
    if owner is None:
        return None
    management_account_id, partition = owner
    backend = organizations_backends[management_account_id][partition]
    if backend.org is None:
        return None
    return OrgView(backend, management_account_id, partition)


def find_account(view: OrgView, account_id: str) -> Any | None:
    """moto's ``FakeAccount`` for ``account_id`` in that organization, or ``None``.

    Constant time for accounts added through ``World``; a linear scan otherwise.
    """
    indexed = indexed_account(view.backend, account_id)
    if indexed is not None:
        return indexed
    for account in view.backend.accounts:
        if account.id == account_id:
            return account
    return None


_READ_PREFIXES = ("Describe", "List")


def routed_backend(account_id: str, partition: str, action: str) -> OrganizationsBackend | None:
    """The management account's backend when a delegated administrator reads the organization.

    AWS lets a delegated administrator (of any service) call the read-only
    Organizations APIs and deregister itself (Organizations User Guide,
    orgs_delegate_policies.html / services-that-can-integrate-iam.html); moto would
    answer from the member's empty backend. ``None``: keep moto's choice.
    """
    if not (action.startswith(_READ_PREFIXES) or action == "DeregisterDelegatedAdministrator"):
        return None
    view = organization_of(account_id)
    if view is None or view.management_account_id == account_id or view.partition != partition:
        return None
    if not view.is_delegated_administrator(account_id):
        return None
    return view.backend


def indexed_account(backend: OrganizationsBackend, account_id: str) -> Any | None:
    """``FakeAccount`` from the World index when it still belongs to ``backend``'s organization."""
    account = sim_state().org_accounts.get(account_id)
    if account is None or backend.org is None or account.organization_id != backend.org.id:
        return None
    owner = organizations_backends.master_accounts.get(account_id)
    if owner is None or owner[0] != backend.account_id:
        return None
    return account


def _page(resp: Any, accounts: list[Any], limit_default: int) -> str:
    token = resp._get_param("NextToken")
    start = 0
    if token:
        if not str(token).isdigit():
            raise SimulatedError(
                "organizations", "InvalidInputException", "You specified an invalid value.", 400
            )
        start = int(token)
    limit = int(resp._get_param("MaxResults") or limit_default)
    page = accounts[start : start + limit]
    result: dict[str, Any] = {"Accounts": [account.describe() for account in page]}
    if start + limit < len(accounts):
        result["NextToken"] = str(start + limit)
    return json.dumps(result)


def list_accounts(resp: Any) -> str:
    """``ListAccounts`` in O(page) (moto re-describes and re-sorts every account per page).

    Accounts come in the order they joined; ``NextToken`` is an opaque offset.
    """
    return _page(resp, list(resp.organizations_backend.accounts), 20)


def list_accounts_for_parent(resp: Any) -> str:
    """``ListAccountsForParent`` with one cheap scan per page (no sort, no describe)."""
    backend = resp.organizations_backend
    parent_id = backend.validate_parent_id(resp._get_param("ParentId"))
    accounts = [account for account in backend.accounts if account.parent_id == parent_id]
    return _page(resp, accounts, 20)
