"""``RootCredentialsAudit``: the ``modules/root-credentials-audit`` Terraform module.

A read-only ``data "external"`` that runs the engine's audit (``sts:AssumeRoot`` with the
``IAMAuditRootUserCredentials`` task policy) for a selection of member accounts on every
plan. Source: IAM User Guide, "Perform a privileged task on an AWS Organizations member
account" (id_root-user-privileged-task.html).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from constructs import Construct

from root_access_cdktf._engine import engine_variables
from root_access_cdktf._module import RootAccessModule
from root_access_cdktf.props import Selection
from root_access_cdktf.validation import boolean

__all__ = ["RootCredentialsAudit"]


class RootCredentialsAudit(RootAccessModule):
    """Audit the root user of the selected member accounts at plan time (``module.<id>``).

    ``selection`` defaults to the module's default (``all = true``). ``max_workers`` is the
    bounded number of accounts audited in parallel, 1 to 64. Outputs are tokens resolved by
    Terraform: ``accounts`` (posture per account id), ``accounts_with_root_credentials``,
    ``summary`` (count per outcome) and ``account_ids``.

    Raises ``PropsError`` at construction (synth time) for a bad prop.
    """

    MODULE = "root-credentials-audit"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        create: bool | None = None,
        selection: Selection | None = None,
        python_executable: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        max_workers: int | None = None,
        source: str | None = None,
        providers: Sequence[Any] | None = None,
        depends_on: Sequence[Any] | None = None,
    ) -> None:
        where = type(self).__name__
        variables: dict[str, Any] = {
            "create": boolean(create, f"{where}.create"),
            "selection": None
            if selection is None
            else selection.validate(f"{where}.selection").to_variable(),
            **engine_variables(
                where,
                python_executable=python_executable,
                profile=profile,
                region_name=region,
                max_workers=max_workers,
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
    def accounts(self) -> Any:
        """Token for the per-account posture map keyed by account id (``AccountResult``:
        ``outcome``, ``credentials`` and ``root_credentials`` per kind, ``true`` / ``false`` /
        ``null``; ``null`` = unknown, the account was not audited)."""
        return self.get("accounts")

    @property
    def accounts_with_root_credentials(self) -> list[str]:
        """Token for the sorted ids of audited accounts whose root user holds credentials
        (accounts that could not be audited are not in it: their posture is unknown, see
        ``accounts``)."""
        return self.get_list("accounts_with_root_credentials")

    @property
    def summary(self) -> Any:
        """Token for the number of accounts per outcome (``root_credentials_present``,
        ``no_root_credentials``, ``skipped_*``, failures), plus ``total``."""
        return self.get("summary")

    @property
    def account_ids(self) -> list[str]:
        """Token for the sorted ids of every account in the selection, skipped ones included."""
        return self.get_list("account_ids")
