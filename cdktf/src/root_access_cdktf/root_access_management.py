"""``RootAccessManagement``: the project's root Terraform module, for a landing-zone pipeline.

Composes the four modules: trusted access, the IAM organization features and the IAM
delegated administrator; optional deletion of the selected accounts' root credentials;
one-shot privileged tasks keyed by request id; and a read-only audit of the selection read
after them. Source: IAM User Guide, "Centrally manage root access for member accounts"
(id_root-enable-root-access.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from constructs import Construct

from root_access_cdktf._engine import audit_result_variables, engine_variables
from root_access_cdktf._module import RootAccessModule, ScpLintOutputs
from root_access_cdktf.props import PrivilegedTaskRequest, Selection, requests_variable
from root_access_cdktf.validation import (
    account_id,
    boolean,
    fail_on,
    features,
    non_empty_string,
)

__all__ = ["RootAccessManagement"]


class RootAccessManagement(RootAccessModule, ScpLintOutputs):
    """Centralized root access for one organization, as code (``module.<id>``).

    Props are the root module's variables in snake_case; ``None`` keeps the module's
    default (both features; ``selection`` all accounts; audit only, no deletion). Run it
    with the management account's credentials (the caller's AWS provider). Constructs never
    create providers: pass ``providers=[...]`` for an aliased one.

    Raises ``PropsError`` at construction (synth time) for a bad prop, before any Terraform
    run.
    """

    MODULE = None

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        create: bool | None = None,
        enabled_features: Iterable[str] | None = None,
        delegated_administrator_account_id: str | None = None,
        enable_trusted_access: bool | None = None,
        selection: Selection | None = None,
        remove_root_credentials: bool | None = None,
        dry_run: bool | None = None,
        delete_virtual_mfa: bool | None = None,
        skip_scp_blocked: bool | None = None,
        evidence_path: str | None = None,
        privileged_tasks: Mapping[str, PrivilegedTaskRequest] | None = None,
        python_executable: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        max_workers: int | None = None,
        detail: str | None = None,
        audit_result_mode: str | None = None,
        audit_report_path: str | None = None,
        audit_fail_on: Sequence[str] | None = None,
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
            "selection": None
            if selection is None
            else selection.validate(f"{where}.selection").to_variable(),
            "remove_root_credentials": boolean(
                remove_root_credentials, f"{where}.remove_root_credentials"
            ),
            "dry_run": boolean(dry_run, f"{where}.dry_run"),
            "delete_virtual_mfa": boolean(delete_virtual_mfa, f"{where}.delete_virtual_mfa"),
            "skip_scp_blocked": boolean(skip_scp_blocked, f"{where}.skip_scp_blocked"),
            "evidence_path": None
            if evidence_path is None
            else non_empty_string(evidence_path, f"{where}.evidence_path"),
            "privileged_tasks": requests_variable(privileged_tasks, f"{where}.privileged_tasks"),
            **engine_variables(
                where,
                python_executable=python_executable,
                profile=profile,
                region_name=region,
                max_workers=max_workers,
                detail=detail,
            ),
            **audit_result_variables(
                where,
                result_mode=audit_result_mode,
                report_path=audit_report_path,
                prefix="audit_",
            ),
            "audit_fail_on": fail_on(audit_fail_on, f"{where}.audit_fail_on"),
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
        """Token for the organization id (``o-…``)."""
        return self.get_string("organization_id")

    @property
    def enabled_features(self) -> list[str]:
        """Token for the IAM organization features enabled."""
        return self.get_list("enabled_features")

    @property
    def delegated_administrator_account_id(self) -> str:
        """Token for the registered IAM delegated administrator's account id, or null."""
        return self.get_string("delegated_administrator_account_id")

    @property
    def root_credentials(self) -> Any:
        """Token for every account of the selection after the apply, keyed by id, audited
        or not (``AccountResult.to_dict()``); null in compact mode (``audit_report_path``)."""
        return self.get("root_credentials")

    @property
    def accounts_with_root_credentials(self) -> list[str]:
        """Token for the sorted ids of the accounts whose audit after the apply found a root
        credential; an account that could not be audited is never listed
        (``accounts_not_audited``)."""
        return self.get_list("accounts_with_root_credentials")

    @property
    def root_credential_kinds(self) -> Any:
        """Token for the sorted kinds of root credential found, per account id of
        ``accounts_with_root_credentials``."""
        return self.get("root_credential_kinds")

    @property
    def accounts_not_audited(self) -> Any:
        """Token for every selected account the audit could not look into, keyed by id:
        ``{outcome, reason}`` (skipped, blocked by an SCP, denied, throttled, error)."""
        return self.get("accounts_not_audited")

    @property
    def audit_summary(self) -> Any:
        """Token for the number of selected accounts per audit outcome, plus ``total``."""
        return self.get("audit_summary")

    @property
    def audit_result_mode(self) -> str:
        """Token for the result mode the audit used: ``full`` or ``compact``."""
        return self.get_string("audit_result_mode")

    @property
    def audit_report_path(self) -> str:
        """Token for the JSON Lines report the audit wrote (every account's record), or null."""
        return self.get_string("audit_report_path")

    @property
    def audit_digest(self) -> str:
        """Token for the SHA-256 (hex) of the audit report's JSON Lines (both modes)."""
        return self.get_string("audit_digest")

    @property
    def removal_id(self) -> str:
        """Token for the id of the last deletion run; null without remove_root_credentials."""
        return self.get_string("removal_id")

    @property
    def privileged_task_request_ids(self) -> list[str]:
        """Token for the ids of the privileged-task requests applied."""
        return self.get_list("privileged_task_request_ids")
