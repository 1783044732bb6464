"""Apply the simulator's extensions to moto 5.2.5 (idempotent).

``install()`` patches moto in place, at its extension points:

- ``BaseResponse.call_action`` (every non-S3 request) and
  ``_authenticate_and_authorize_s3_action`` (every S3 request): root-session
  enforcement and the added operations (``dispatch``);
- Organizations: ``iam.amazonaws.com`` accepted for trusted access and delegated
  administration; delegated administrators read the management account's backend;
  account lookups and ``ListAccounts``/``ListAccountsForParent`` pages cost O(page);
- IAM: every backend's ``access_keys`` feeds a constant-time key -> account index,
  which replaces moto's scan in ``get_account_id_from``; ``GetAccountSummary``
  reports the root user's flags;
- S3 ``ListBuckets`` reports ``BucketRegion`` (moto omits it); moto's own partial
  bucket-policy check (a bare 403 for some object calls) gives way to the simulator's;
- ``BackendDict`` account lookups use dict membership instead of a list copy, and
  its reset also clears moto's member -> management account map;
- the server's routing: ``moto.backends.list_of_moto_modules`` lists moto's package
  directory once (moto's server scanned it, ~170 ``isdir`` calls, on every request
  while holding its global dispatch lock).

Call it before ``moto.mock_aws()`` starts (or in the moto server process).
"""

from __future__ import annotations

from typing import Any

import moto.backends as moto_backends
import moto.iam.models as iam_models
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.base_backend import BackendDict
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult, BaseResponse
from moto.organizations.models import (
    FakeDelegatedAdministrator,
    FakeServiceAccess,
    OrganizationsBackend,
    organizations_backends,
)
from moto.organizations.responses import OrganizationsResponse
from moto.s3.responses import S3Response

from root_access.simulator import dispatch
from root_access.simulator.organizations import (
    IAM_SERVICE_PRINCIPAL,
    indexed_account,
    routed_backend,
)
from root_access.simulator.rootuser import root_flags
from root_access.simulator.state import sim_state

__all__ = ["install", "installed"]

_MARK = "_root_access_simulator_installed"


class _IndexedKeys(dict[str, Any]):
    """An IAM backend's ``access_keys`` that mirrors its ids into the account index."""

    def __init__(self, account_id: str, initial: dict[str, Any]) -> None:
        super().__init__(initial)
        self.account_id = account_id
        index = sim_state().key_accounts
        for key in initial:
            index[key] = account_id

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        sim_state().key_accounts[key] = self.account_id

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        sim_state().key_accounts.pop(key, None)

    def pop(self, key: str, *default: Any) -> Any:
        sim_state().key_accounts.pop(key, None)
        return super().pop(key, *default)


def _get_account_id_from(access_key: str) -> str:
    """moto's key -> account lookup, O(1) through the index (default account if unknown)."""
    return sim_state().key_accounts.get(access_key, DEFAULT_ACCOUNT_ID)


def _replace(owner: object, name: str, value: object) -> None:
    """Monkeypatch one attribute of a moto class or module."""
    setattr(owner, name, value)


def _patch_iam() -> None:
    backend_init = vars(iam_models.IAMBackend)["__init__"]

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        backend_init(self, *args, **kwargs)
        self.access_keys = _IndexedKeys(self.account_id, self.access_keys)

    _replace(iam_models.IAMBackend, "__init__", init)
    _replace(iam_models, "get_account_id_from", _get_account_id_from)
    for account_id, account in list(iam_models.iam_backends.items()):
        for backend in list(dict.values(account)):
            backend.access_keys = _IndexedKeys(account_id, backend.access_keys)

    summary_map = vars(iam_models.AccountSummary)["summary_map"].fget

    def summary(self: Any) -> dict[str, Any]:
        result = dict(summary_map(self))
        result.update(root_flags(self._iam_backend.account_id))
        return result

    _replace(iam_models.AccountSummary, "summary_map", property(summary))


def _patch_organizations() -> None:
    for services in (
        FakeServiceAccess.TRUSTED_SERVICES,
        FakeDelegatedAdministrator.SUPPORTED_SERVICES,
    ):
        if IAM_SERVICE_PRINCIPAL not in services:
            services.append(IAM_SERVICE_PRINCIPAL)
    own_backend = vars(OrganizationsResponse)["organizations_backend"].fget

    def organizations_backend(self: Any) -> Any:
        routed = routed_backend(self.current_account, self.partition, str(self._get_action()))
        return routed if routed is not None else own_backend(self)

    _replace(OrganizationsResponse, "organizations_backend", property(organizations_backend))
    by_scan = vars(OrganizationsBackend)["get_account_by_id"]

    def get_account_by_id(self: Any, account_id: str) -> Any:
        account = indexed_account(self, account_id)
        return account if account is not None else by_scan(self, account_id)

    _replace(OrganizationsBackend, "get_account_by_id", get_account_by_id)


def _patch_backend_dict() -> None:
    reset = vars(BackendDict)["reset"].__func__

    def reset_all(cls: Any) -> None:
        reset(cls)
        # moto keeps member -> management mappings outside the backends; a reset
        # must drop them too, or the next organization inherits stale members.
        organizations_backends.master_accounts.clear()

    _replace(BackendDict, "reset", classmethod(reset_all))
    create = vars(BackendDict)["_create_account_specific_backend"]
    instances: list[Any] = vars(BackendDict)["_instances"]

    def fast_create(self: Any, account_id: str) -> None:
        if dict.__contains__(self, account_id) and self in instances:
            return
        create(self, account_id)

    _replace(BackendDict, "_create_account_specific_backend", fast_create)


def _patch_server_routing() -> None:
    modules = tuple(moto_backends.list_of_moto_modules())

    def list_of_moto_modules() -> tuple[str, ...]:
        """moto's service modules, listed once (the package directory does not change)."""
        return modules

    _replace(moto_backends, "list_of_moto_modules", list_of_moto_modules)


def _patch_s3() -> None:
    def all_buckets(self: Any) -> Any:
        """moto's ``ListBuckets`` plus ``BucketRegion`` (S3 API Reference, ListBuckets)."""
        self.data["Action"] = "ListAllMyBuckets"
        self._authenticate_and_authorize_s3_action()
        listed = self.backend.list_buckets(
            prefix=self._get_param("prefix"),
            bucket_region=self._get_param("bucket-region"),
            max_buckets=self._get_param("max-buckets"),
        )
        buckets = [
            {
                "Name": bucket.name,
                "CreationDate": bucket.creation_date_ISO8601,
                "BucketRegion": bucket.region_name,
            }
            for bucket in listed
        ]
        self.data["Action"] = "ListBuckets"
        owner = {"ID": "bcaf1ffd86f41161ca5fb16fd081034f", "DisplayName": "webfile"}
        return self.serialized(ActionResult({"Owner": owner, "Buckets": buckets}))

    _replace(S3Response, "all_buckets", all_buckets)

    from moto.iam.access_control import PermissionResult
    from moto.s3.models import FakeBucket

    own_permission = vars(FakeBucket)["get_permission"]

    def get_permission(self: Any, action: str, resource: str) -> Any:
        """moto's partial bucket-policy check, without its bare-403 denials: the
        simulator's S3 hook (``dispatch.authorize_s3``) answers those with the code."""
        result = own_permission(self, action, resource)
        return PermissionResult.NEUTRAL if result == PermissionResult.DENIED else result

    _replace(FakeBucket, "get_permission", get_permission)


def install() -> None:
    """Patch moto once; later calls are no-ops. Raises nothing."""
    if installed():
        return
    call_action = vars(BaseResponse)["call_action"]
    _replace(BaseResponse, "call_action", dispatch.call_action(call_action))
    authorize = vars(ActionAuthenticatorMixin)["_authenticate_and_authorize_s3_action"]
    _replace(
        ActionAuthenticatorMixin,
        "_authenticate_and_authorize_s3_action",
        dispatch.authorize_s3(authorize),
    )
    _patch_backend_dict()
    _patch_iam()
    _patch_organizations()
    _patch_s3()
    _patch_server_routing()
    _replace(BaseResponse, _MARK, True)


def installed() -> bool:
    """True once ``install()`` has patched moto in this process."""
    return bool(getattr(BaseResponse, _MARK, False))
