"""``OrganizationRootAccess``: the ``modules/organization-root-access`` Terraform module.

Enables the IAM organization features ``RootCredentialsManagement`` and ``RootSessions``
(``aws_iam_organizations_features``, destroy guarded by ``prevent_destroy``) and optionally
registers an IAM delegated administrator (``aws_organizations_delegated_administrator`` for
``iam.amazonaws.com``). Source: IAM User Guide, "Centrally manage root access for member
accounts" (id_root-enable-root-access.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from constructs import Construct

from root_access_cdktf._engine import engine_variables
from root_access_cdktf._module import RootAccessModule
from root_access_cdktf.validation import account_id, boolean, features

__all__ = ["OrganizationRootAccess"]


class OrganizationRootAccess(RootAccessModule):
    """Turn on centralized root access for the organization (``module.<id>``).

    Run it with the management account's credentials (the caller's AWS provider). Every
    prop left ``None`` takes the module's default: both features, no delegated
    administrator, trusted access checked by a precondition rather than enabled.

    Raises ``PropsError`` at construction (synth time) for a bad prop.
    """

    MODULE = "organization-root-access"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        create: bool | None = None,
        enabled_features: Iterable[str] | None = None,
        delegated_administrator_account_id: str | None = None,
        enable_trusted_access: bool | None = None,
        python_executable: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        source: str | None = None,
        providers: Sequence[Any] | None = None,
        depends_on: Sequence[Any] | None = None,
    ) -> None:
        where = type(self).__name__
        variables: dict[str, Any] = {
            "create": boolean(create, f"{where}.create"),
            "enabled_features": None
            if enabled_features is None
            else features(enabled_features, f"{where}.enabled_features"),
            "delegated_administrator_account_id": None
            if delegated_administrator_account_id is None
            else account_id(
                delegated_administrator_account_id, f"{where}.delegated_administrator_account_id"
            ),
            "enable_trusted_access": boolean(
                enable_trusted_access, f"{where}.enable_trusted_access"
            ),
            **engine_variables(
                where, python_executable=python_executable, profile=profile, region_name=region
            ),
        }
        super().__init__(
            scope,
            id,
            variables=variables,
            source=source,
            providers=providers,
            depends_on=depends_on,
        )

    @property
    def organization_id(self) -> str:
        """Token for the organization id (``o-…``); null when ``create=False``."""
        return self.get_string("organization_id")

    @property
    def management_account_id(self) -> str:
        """Token for the management account's 12-digit id."""
        return self.get_string("management_account_id")

    @property
    def enabled_features(self) -> list[str]:
        """Token for the features the module keeps enabled."""
        return self.get_list("enabled_features")

    @property
    def delegated_administrator_account_id(self) -> str:
        """Token for the registered IAM delegated administrator's account id, or null."""
        return self.get_string("delegated_administrator_account_id")

    @property
    def trusted_access_enabled_by_module(self) -> Any:
        """Token (boolean) that is true when the module enabled trusted access for IAM."""
        return self.get_boolean("trusted_access_enabled_by_module")
