#!/usr/bin/env python3
"""Render a Terraform plan of the root-access configuration as a Markdown job summary.

The pipelines (``github/root-access.yml``, ``gitlab/.gitlab-ci.yml``) run::

    terraform plan -input=false -out=tfplan
    terraform show -json tfplan > plan.json
    python3 ../audit_summary.py plan.json >> "$GITHUB_STEP_SUMMARY"

It reads only the plan's JSON (``terraform show -json``, format 1.x, see
https://developer.hashicorp.com/terraform/internals/json-format): the resource changes,
the ``check`` results and the ``root_access`` output (every output of the root module,
see ``terraform/outputs.tf``). It makes no AWS call: the audit already ran at plan, in the
root module's ``data "external"``.

Options:

- ``--fail-on-drift`` (the scheduled drift job): exit 1 when the plan has pending resource
  changes, a check failed or could not be evaluated (e.g. ``root_credentials_removed``:
  root credentials are back), the audit result is not known at plan, or an account could
  not be audited (an entry of ``accounts_not_audited`` whose outcome is in
  :data:`NOT_AUDITED_OUTCOMES`, the engine's ``root_access.drift.NOT_AUDITED_OUTCOMES``:
  the management account, outside centralized root access, is not drift). Unknown is
  never reported as healthy.
- ``--gitlab-report FILE``: also write GitLab's Terraform report (``{"create": n,
  "update": n, "delete": n}``, ``artifacts:reports:terraform``) for the merge request widget.

Exit codes: 0 written (no drift), 1 drift found (with ``--fail-on-drift``), 2 the plan
file is missing or is not a plan's JSON. Needs only the Python standard library.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["NOT_AUDITED_OUTCOMES", "Summary", "main", "summarize"]

OUTPUT = "root_access"
CHANGED = {"create", "update", "delete"}

NOT_AUDITED_OUTCOMES = frozenset(
    {"blocked_by_scp", "access_denied", "throttled", "error", "skipped_inactive_account"}
)
"""Outcomes of an account whose root user nobody looked at: drift for ``--fail-on-drift``.
The engine's ``root_access.drift.NOT_AUDITED_OUTCOMES`` (this script needs only the
standard library, so it keeps a copy; tests/terraform/test_pipelines.py holds the two
equal). ``skipped_management_account`` is not among them."""


class PlanError(ValueError):
    """The input is not the JSON of a saved plan."""


def _cell(value: Any) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def _unknown(after_unknown: Any, key: str) -> bool:
    """True when ``key`` of an output is unknown until apply (``after_unknown``)."""
    if after_unknown is True:
        return True
    if isinstance(after_unknown, dict):
        return bool(after_unknown.get(key))
    return False


def _not_audited(accounts: Any) -> list[str]:
    """The ids of ``accounts_not_audited`` (id -> ``{outcome, reason}``) whose outcome is
    in :data:`NOT_AUDITED_OUTCOMES`, sorted. An entry without a readable outcome counts
    (unknown is never healthy)."""
    if not isinstance(accounts, dict):
        return sorted(str(account) for account in accounts)
    return sorted(
        account_id
        for account_id, entry in accounts.items()
        if not isinstance(entry, dict)
        or entry.get("outcome") in NOT_AUDITED_OUTCOMES
        or entry.get("outcome") is None
    )


class Summary:
    """What a plan says: changes, checks and the root module's audit outputs."""

    def __init__(self, plan: dict[str, Any], output: str = OUTPUT) -> None:
        if not isinstance(plan, dict) or "format_version" not in plan:
            raise PlanError("not the JSON of a plan: run terraform show -json <planfile>")
        self.changes: list[tuple[str, str]] = []
        for change in plan.get("resource_changes", []):
            actions = change["change"]["actions"]
            if CHANGED & set(actions):
                self.changes.append((change["address"], "/".join(actions)))
        self.failed_checks: list[tuple[str, str]] = []
        self.unknown_checks: list[str] = []
        for check in plan.get("checks", []):
            name = check["address"]["to_display"]
            if check["status"] == "fail":
                problems = [
                    problem["message"]
                    for instance in check.get("instances", [])
                    for problem in instance.get("problems", [])
                ]
                self.failed_checks.append((name, " ".join(problems) or "failed"))
            elif check["status"] == "unknown" and check["address"]["kind"] == "check":
                self.unknown_checks.append(name)
        change = plan.get("output_changes", {}).get(output)
        if change is None:
            raise PlanError(f"the plan has no output {output!r}: see terraform/outputs.tf")
        after = change.get("after") or {}
        unknown = change.get("after_unknown")
        self.audit_known = not _unknown(unknown, "audit_summary")
        self.audit_summary: dict[str, int] = dict(after.get("audit_summary") or {})
        self.with_root_credentials: list[str] = list(
            after.get("accounts_with_root_credentials") or []
        )
        self.not_audited: list[str] | None = (
            _not_audited(after.get("accounts_not_audited") or {})
            if "accounts_not_audited" in after
            else None
        )
        self.accounts: dict[str, Any] = dict(after.get("root_credentials") or {})
        self.counts = {
            action: sum(
                1
                for change in plan.get("resource_changes", [])
                if action in change["change"]["actions"]
            )
            for action in ("create", "update", "delete")
        }

    def drift(self) -> list[str]:
        """Why a drift job must fail (empty: the organization is as configured)."""
        reasons = [f"pending change: {address} ({actions})" for address, actions in self.changes]
        reasons += [f"check failed: {name}" for name, _ in self.failed_checks]
        reasons += [f"check not known at plan: {name}" for name in self.unknown_checks]
        if not self.audit_known:
            reasons.append("the audit result is not known at plan (changes are pending)")
        if self.not_audited:
            reasons.append(f"not audited: {', '.join(self.not_audited)}")
        return reasons

    def markdown(self, title: str) -> str:
        lines = [f"## {title}", ""]
        if self.changes:
            lines += [f"**{len(self.changes)} resource change(s) pending**", ""]
            lines += ["| Resource | Action |", "|---|---|"]
            lines += [f"| `{_cell(a)}` | {_cell(b)} |" for a, b in self.changes]
        else:
            lines.append("No resource changes.")
        lines.append("")
        if not self.audit_known:
            lines += [
                "**Audit: not known at plan.** Changes are pending, so the audit is read at "
                "apply, after them; see the apply job's summary.",
                "",
            ]
        else:
            total = self.audit_summary.get("total", 0)
            lines += [
                f"### Audit of {total} account(s)",
                "",
                "| Outcome | Accounts |",
                "|---|---:|",
            ]
            lines += [
                f"| `{_cell(outcome)}` | {count} |"
                for outcome, count in sorted(self.audit_summary.items())
                if outcome != "total"
            ]
            lines.append("")
            if self.with_root_credentials:
                lines += ["| Account | Name | Outcome |", "|---|---|---|"]
                for account_id in self.with_root_credentials:
                    account = self.accounts.get(account_id, {})
                    lines.append(
                        f"| {account_id} | {_cell(account.get('name', ''))} | "
                        f"`{_cell(account.get('outcome', ''))}` |"
                    )
                lines.append("")
                lines.append(
                    f"Root credentials present in {len(self.with_root_credentials)} account(s)."
                )
            else:
                lines.append("No selected account holds root credentials.")
            lines.append("")
            if self.not_audited:
                lines += [
                    f"**Not audited ({len(self.not_audited)}): "
                    f"{', '.join(self.not_audited)}**: their root credentials are unknown.",
                    "",
                ]
        for name, message in self.failed_checks:
            lines += ["> [!WARNING]", f"> `{name}`: {_cell(message)}", ""]
        for name in self.unknown_checks:
            lines += [f"`{name}`: not known at plan.", ""]
        return "\n".join(lines)


def summarize(plan_path: Path, output: str = OUTPUT) -> Summary:
    """The :class:`Summary` of the plan JSON at ``plan_path``; raises PlanError."""
    try:
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise PlanError(f"cannot read {plan_path}: {error}") from error
    return Summary(plan, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("plan", type=Path, help="JSON of a saved plan (terraform show -json)")
    parser.add_argument("--title", default="Root access", help="heading of the summary")
    parser.add_argument("--output", default=OUTPUT, help="output holding the root module's")
    parser.add_argument("--fail-on-drift", action="store_true", help="exit 1 on any drift")
    parser.add_argument("--gitlab-report", type=Path, help="write GitLab's Terraform report")
    options = parser.parse_args(argv)
    try:
        summary = summarize(options.plan, options.output)
    except (PlanError, KeyError, TypeError) as error:
        sys.stderr.write(f"audit_summary: {error}\n")
        return 2
    text = summary.markdown(options.title)
    reasons = summary.drift() if options.fail_on_drift else []
    if reasons:
        text += "\n**Drift:**\n\n" + "".join(f"- {_cell(reason)}\n" for reason in reasons)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if options.gitlab_report is not None:
        options.gitlab_report.write_text(json.dumps(summary.counts) + "\n", encoding="utf-8")
    for reason in reasons:
        sys.stderr.write(f"audit_summary: drift: {reason}\n")
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main())
