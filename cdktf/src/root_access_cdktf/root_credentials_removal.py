"""``RootCredentialsRemoval``: the ``modules/root-credentials-removal`` Terraform module.

Deletes the root credentials (password, access keys, signing certificates; MFA devices
deactivated) of the selected member accounts at apply only, through ``sts:AssumeRoot`` with
the ``IAMDeleteRootUserCredentials`` task policy (``terraform_data`` + ``local-exec``).
Source: IAM User Guide, "Delete root user credentials for a member account"
(id_root-user-privileged-task.html).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from constructs import Construct

from root_access_cdktf._engine import engine_variables
from root_access_cdktf._module import RootAccessModule
from root_access_cdktf.props import Selection
from root_access_cdktf.validation import PropsError, boolean, non_empty_string

__all__ = ["RootCredentialsRemoval"]


class RootCredentialsRemoval(RootAccessModule):
    """Delete the root credentials of an explicit selection at apply (``module.<id>``).

    ``selection`` is required: deletion never runs without an explicit target list (or an
    explicit ``all=True``). ``dry_run=True`` reports ``would_delete`` and deletes nothing;
    ``evidence_path`` names a JSON-lines file of per-account results (no secrets).
    ``detail`` is how the verifying audit session reads: ``"summary"`` (module default,
    ``GetAccountSummary``) or ``"full"`` (every kind re-listed).

    Raises ``PropsError`` at construction (synth time) for a bad prop.
    """

    MODULE = "root-credentials-removal"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        selection: Selection,
        create: bool | None = None,
        dry_run: bool | None = None,
        delete_virtual_mfa: bool | None = None,
        skip_scp_blocked: bool | None = None,
        evidence_path: str | None = None,
        python_executable: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        max_workers: int | None = None,
        detail: str | None = None,
        source: str | None = None,
        providers: Sequence[Any] | None = None,
        depends_on: Sequence[Any] | None = None,
    ) -> None:
        where = type(self).__name__
        if not isinstance(selection, Selection):
            raise PropsError(
                f"{where}.selection: required; pass Selection(accounts=[...]) or "
                "Selection(all=True)"
            )
        variables: dict[str, Any] = {
            "create": boolean(create, f"{where}.create"),
            "selection": selection.validate(f"{where}.selection").to_variable(),
            "dry_run": boolean(dry_run, f"{where}.dry_run"),
            "delete_virtual_mfa": boolean(delete_virtual_mfa, f"{where}.delete_virtual_mfa"),
            "skip_scp_blocked": boolean(skip_scp_blocked, f"{where}.skip_scp_blocked"),
            "evidence_path": None
            if evidence_path is None
            else non_empty_string(evidence_path, f"{where}.evidence_path"),
            **engine_variables(
                where,
                python_executable=python_executable,
                profile=profile,
                region_name=region,
                max_workers=max_workers,
                detail=detail,
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
    def run_id(self) -> str:
        """Token for the id of the last run (module output ``id``; changes on each rerun)."""
        return self.get_string("id")

    @property
    def account_ids(self) -> list[str]:
        """Token for the ids the selection resolved to at plan time."""
        return self.get_list("account_ids")

    @property
    def evidence_path_output(self) -> str:
        """Token for the evidence file of the last run (module output ``evidence_path``)."""
        return self.get_string("evidence_path")
