"""The SCP lint of ``root-access status`` worded for people and for machines.

The engine answers per account (:class:`root_access.scp_lint.ScpLintResult`); this
module groups the blocking statements (one line per policy statement, with the tasks it
blocks) and writes them as the status's ``SCP lint`` section (table, markdown) or its
CSV columns. ``unknown`` is always written as unknown, never as clear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO

from root_access.scp_lint import ScpBlock, ScpLintResult, ScpStatus

__all__ = [
    "CSV_COLUMNS",
    "Statement",
    "by_account",
    "csv_cells",
    "render_scp",
    "statements",
    "verdict",
]

CSV_COLUMNS = ("scp_lint", "scp_blocked_tasks", "scp_fix")
"""The status CSV's lint columns: the verdict (:func:`verdict`), the blocked task
policies (space-separated) and the fixes (``; ``-separated), or the lint's detail."""

TITLE = "SCP lint (root sessions, read before any AssumeRoot)"


@dataclass(frozen=True)
class Statement:
    """One SCP statement that blocks root sessions: where it is, which task policies
    it blocks, whether certainly (``certain``) or only for some resources, and the fix."""

    policy_id: str
    policy_name: str
    target_id: str
    statement: str
    tasks: tuple[str, ...]
    certain: bool
    fix: str

    @property
    def where(self) -> str:
        """``SCP <name> (<id>) on <target>, statement <sid>``."""
        return (
            f"SCP {self.policy_name} ({self.policy_id}) on {self.target_id}, "
            f"statement {self.statement}"
        )


def statements(result: ScpLintResult) -> list[Statement]:
    """The blocking statements of ``result``, one per (policy, target, statement), in
    the order the lint found them; ``tasks`` sorted; ``certain`` when any of its
    blocks is."""
    tasks: dict[tuple[str, str, str], set[str]] = {}
    certain: dict[tuple[str, str, str], bool] = {}
    firsts: dict[tuple[str, str, str], ScpBlock] = {}
    for block in result.blocks:
        key = (block.policy_id, block.target_id, block.statement)
        firsts.setdefault(key, block)
        tasks.setdefault(key, set()).add(block.task)
        certain[key] = certain.get(key, False) or block.certain
    return [
        Statement(
            policy_id=block.policy_id,
            policy_name=block.policy_name,
            target_id=block.target_id,
            statement=block.statement,
            tasks=tuple(sorted(tasks[key])),
            certain=certain[key],
            fix=block.fix,
        )
        for key, block in firsts.items()
    ]


def verdict(result: ScpLintResult | None) -> str:
    """``blocked``, ``may block`` (only resource-specific statements), ``clear``,
    ``unknown`` (also when the account was not linted) or ``not subject``."""
    if result is None or result.status is ScpStatus.UNKNOWN:
        return "unknown"
    if result.status is ScpStatus.BLOCKED:
        return "blocked" if result.certainly_blocked else "may block"
    if result.status is ScpStatus.NOT_SUBJECT:
        return "not subject"
    return "clear"


def csv_cells(result: ScpLintResult | None) -> dict[str, str]:
    """The :data:`CSV_COLUMNS` cells of one account."""
    if result is None:
        return {"scp_lint": "unknown", "scp_blocked_tasks": "", "scp_fix": "not linted"}
    found = statements(result)
    return {
        "scp_lint": verdict(result),
        "scp_blocked_tasks": " ".join(sorted(result.blocked_tasks())),
        "scp_fix": "; ".join(s.fix for s in found) if found else result.detail,
    }


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_scp(fmt: str, out: IO[str], results: Iterable[ScpLintResult]) -> None:
    """Write the lint section in ``table`` (indented lines) or ``markdown`` (a table):
    per account its verdict, then for each blocking statement the tasks it blocks, the
    policy and statement, and the fix."""
    found = list(results)
    if fmt == "markdown":
        out.write(f"\n### {TITLE}\n\n")
        out.write("| Account | Verdict | Blocked tasks | Policy and statement | Fix |\n")
        out.write("|---|---|---|---|---|\n")
        for result in found:
            rows = statements(result)
            if not rows:
                out.write(
                    f"| {result.account_id} | {verdict(result)} |  |  | {_md(result.detail)} |\n"
                )
            for row in rows:
                out.write(
                    f"| {result.account_id} | {verdict(result)} | {', '.join(row.tasks)} | "
                    f"{_md(row.where)} | {_md(row.fix)} |\n"
                )
        return
    out.write(f"\n{TITLE}\n")
    for result in found:
        line = f"  {result.account_id}  {verdict(result)}"
        if result.status is not ScpStatus.BLOCKED and result.detail:
            line += f"  {result.detail}"
        out.write(line + "\n")
        for row in statements(result):
            may = "" if row.certain else " (may block: names specific resources)"
            out.write(f"      blocks {', '.join(row.tasks)}{may}\n")
            out.write(f"      {row.where}\n")
            out.write(f"      fix: {row.fix}\n")


def by_account(results: Iterable[ScpLintResult]) -> Mapping[str, ScpLintResult]:
    """``{account_id: result}``."""
    return {result.account_id: result for result in results}
