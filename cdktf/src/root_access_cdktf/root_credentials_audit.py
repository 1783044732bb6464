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

from root_access_cdktf._engine import audit_result_variables, engine_variables
from root_access_cdktf._module import RootAccessModule, ScpLintOutputs
from root_access_cdktf.props import Selection
from root_access_cdktf.validation import boolean
from root_access_cdktf.validation import fail_on as checked_fail_on

__all__ = ["RootCredentialsAudit"]


class RootCredentialsAudit(RootAccessModule, ScpLintOutputs):
    """Audit the root user of the selected member accounts at plan time (``module.<id>``).

    ``selection`` defaults to the module's default (``all = true``). ``max_workers`` is the
    bounded number of accounts audited in parallel, 1 to 64. ``detail`` is ``"summary"``
    (the module default: ``GetAccountSummary`` first, detail reads only for the kinds it
    flags) or ``"full"`` (every read). ``result_mode`` is ``"auto"``
    (the module default: full up to 1,000 accounts, compact above), ``"full"`` or
    ``"compact"`` (no per-account records in plan and state; they go to the JSON Lines
    file ``report_path``, default ``path.root/root-credentials-audit.jsonl``). Outputs are
    tokens resolved by Terraform, each holding what the module output of the same name
    holds (modules/root-credentials-audit/README.md): ``accounts`` and ``account_ids``
    (null in compact mode), ``accounts_with_root_credentials`` (accounts the audit found
    holding root credentials; never an account it could not audit),
    ``root_credential_kinds``, ``accounts_not_audited`` (account id -> outcome and reason),
    ``summary``, ``result_mode``, ``report_path`` and ``digest``. ``fail_on``: drift
    conditions (``"present"``, ``"not-audited"``) that fail the plan when they hold for
    any selected account, the error naming the accounts (default none).
    ``summary``, ``result_mode``, ``report_path``, ``digest``, and the SCP lint's
    ``scp_blocked_accounts`` (account id -> tasks, policy, statement, fix) and
    ``scp_lint_unknown_accounts``.

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
        detail: str | None = None,
        result_mode: str | None = None,
        report_path: str | None = None,
        fail_on: Sequence[str] | None = None,
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
                detail=detail,
            ),
            **audit_result_variables(
                where, result_mode=result_mode, report_path=report_path, prefix=""
            ),
            "fail_on": checked_fail_on(fail_on, f"{where}.fail_on"),
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
        """Token for every account of the selection keyed by id, audited or not
        (``AccountResult.to_dict()``: ``root_credentials`` per kind is ``true`` / ``false`` /
        ``null``, null = unknown, not audited); null in compact mode (see ``report_path``)."""
        return self.get("accounts")

    @property
    def account_ids(self) -> list[str]:
        """Token for the sorted ids of every account in the selection, audited or not;
        null in compact mode."""
        return self.get_list("account_ids")

    @property
    def accounts_with_root_credentials(self) -> list[str]:
        """Token for the sorted ids of the accounts whose audit found a root credential;
        an account that could not be audited is never listed (``accounts_not_audited``)."""
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
    def summary(self) -> Any:
        """Token for the number of accounts per outcome (``root_credentials_present``,
        ``no_root_credentials``, ``skipped_*``, failures), plus ``total``."""
        return self.get("summary")

    @property
    def result_mode(self) -> str:
        """Token for the result mode the audit used: ``full`` or ``compact``."""
        return self.get_string("result_mode")

    @property
    def report_path(self) -> str:
        """Token for the JSON Lines report written (every account's record), or null."""
        return self.get_string("report_path")

    @property
    def digest(self) -> str:
        """Token for the SHA-256 (hex) of the report's JSON Lines (both modes)."""
        return self.get_string("digest")
