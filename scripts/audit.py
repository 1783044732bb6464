#!/usr/bin/env python3
"""Terraform ``data "external"`` program: read-only audit of member accounts' root users.

stdin (one JSON object of strings, the data source's ``query``):
  ``accounts``, ``organizational_units``, ``exclude_accounts``,
  ``exclude_organizational_units`` (JSON-encoded lists of ids), ``all`` (``"true"`` /
  ``"false"``), ``max_workers`` (decimal), ``region``, ``profile`` (optional),
  ``detail`` (``"summary"``, the default: ``GetAccountSummary`` first and detail reads
  only for the kinds it flags; ``"full"``: every read), ``scope_only`` (``"true"``: list
  the selected accounts only, no AssumeRoot), and the result mode (see "Result modes"
  below): ``result_mode`` (``auto`` | ``full`` | ``compact``; default ``auto``),
  ``report_path`` (optional: always write the report there) and ``default_report_path``
  (where a compact result writes it otherwise), ``fail_on`` (optional: JSON-encoded list
  of drift condition names, ``present`` / ``not-audited``; see "Drift" below).

stdout (exactly one flat JSON object of strings):
  audit, both modes: ``result_mode`` (``full`` or ``compact``: the mode used),
  ``summary`` (JSON object: outcome -> count, plus ``total``), ``with_root_credentials``
  (JSON list of the ids whose audit found a root credential, sorted),
  ``root_credential_kinds`` (JSON object: each of those ids -> sorted kinds found),
  ``not_audited`` (JSON object: id -> ``{"outcome", "reason"}`` for every account of the
  selection the audit could not look into), ``digest`` (SHA-256, hex, of the report's
  bytes) and ``report_path`` (the file written, ``""`` when none);
  full mode only: ``accounts`` (JSON object: account id -> ``AccountResult.to_dict()``);
  both modes: ``scp_lint`` (JSON object ``{"blocked": {id: {"tasks", "policy",
  "statement", "fix"}}, "unknown": [ids]}``: the SCP lint of the selection's ACTIVE
  member accounts for the audit and delete root sessions, see ``_scp_lint``);
  scope: ``account_ids`` (JSON list of ids, sorted);
  with ``fail_on`` in the query: ``fail_on_held`` (JSON list of one line per named
  condition that held, each naming its accounts; ``[]`` when none held).

Drift: the conditions are the engine's (``root_access.drift``: ``condition_holds``,
``DriftCheck``, the one rule the CLI's ``audit --fail-on`` uses); the module's
postcondition only checks that ``fail_on_held`` is empty and prints its lines.

Result modes: ``full`` puts every account's record in the result (and so in Terraform's
plan and state); ``compact`` leaves ``accounts`` out and writes the records to the report
file instead; ``auto`` is ``full`` up to ``root_access.rules.COMPACT_ABOVE`` accounts in
the selection and
``compact`` above. The report is JSON Lines, one ``AccountResult.to_dict()`` per line
sorted by account id, replaced atomically on every read (every plan and refresh);
``digest`` is the SHA-256 of exactly those bytes, also in full mode without a file.

Exit 0 even when some accounts failed (their outcome says so); exit 2 with one stderr
line on a usage or setup error (bad selection, wrong caller, feature off, no
credentials, a report file that cannot be written). Logs go to stderr. Only reads AWS:
it runs on every plan (field cases EXT-STRINGS-ONLY, EXT-STDOUT, EXT-RUNS-ON-PLAN); the
report file is its only write. AWS calls: Organizations listing and the SCP lint's reads
(``ListParents``, ``ListPoliciesForTarget``, ``DescribePolicy``), ``sts:AssumeRoot`` with
``IAMAuditRootUserCredentials`` and the audit IAM reads (IAM User Guide,
id_root-user-privileged-task.html).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _entry

if TYPE_CHECKING:
    from types import ModuleType

    import boto3

    from root_access import AccountResult, Preflight
    from root_access.drift import DriftCheck

__all__ = ["main", "result_mode"]


def _rules() -> ModuleType:
    """``root_access.rules``: the result modes (``RESULT_MODE``), the ``auto`` threshold
    (``COMPACT_ABOVE``, the one place of it) and the ``max_workers`` default."""
    _entry.engine()
    from root_access import rules

    return rules


def _scope(request: dict[str, Any]) -> dict[str, str]:
    """The accounts the selection resolves to (Organizations reads only)."""
    _entry.engine()  # the installed package, else ../src
    from root_access import resolve_targets

    selection = _entry.selection_from(request)
    session = _entry.session_from(request)
    ids = sorted(
        target.account_id
        for target in resolve_targets(
            session, selection=selection, region=_entry.text(request, "region")
        )
    )
    return {"account_ids": json.dumps(ids)}


def _audit(request: dict[str, Any]) -> dict[str, str]:
    _entry.engine()  # the installed package, else ../src
    from root_access import audit, summarize
    from root_access.audit import DEFAULT_DETAIL, validate_detail

    selection = _entry.selection_from(request)
    session = _entry.session_from(request)
    requested = _requested_mode(request)
    collected = _Collected()
    # Absent: the engine's default (summary); the engine validates the value.
    detail = _entry.text(request, "detail")
    drift = _drift_check(request)
    checked = _preflight(session, request)

    def streamed() -> Iterator[AccountResult]:
        # Keep each account as its JSON line and the few ids that need action, not the
        # result objects.
        for result in audit(
            session,
            selection=selection,
            region=_entry.text(request, "region"),
            max_workers=_entry.integer(request, "max_workers", _rules().MAX_WORKERS.default),
            preflight_result=checked,
            detail=validate_detail(detail or DEFAULT_DETAIL),
        ):
            collected.add(result)
            if drift is not None:
                drift.add(result)
            _entry.LOG.info("%s %s %s", result.account_id, result.outcome.value, result.detail)
            yield result

    summary = summarize(streamed())
    counts = {**dict(summary.counts), "total": summary.total}
    output = {
        **_result(request, requested, collected, counts),
        **_scp_lint(session, checked, collected),
    }
    if drift is not None:
        output["fail_on_held"] = json.dumps(drift.lines())
    return output


# --- Drift conditions (issue 15 item 2, the Terraform path) -----------------------------


def _drift_check(request: dict[str, Any]) -> DriftCheck | None:
    """A ``root_access.drift.DriftCheck`` of the query's ``fail_on`` (a JSON-encoded list
    of condition names), or None when the query has no ``fail_on``. Checked before any
    AWS call: raises SetupError for text that is not a list of strings or an unknown
    name (the names of ``root_access.drift.FAIL_ON``)."""
    value = _entry.text(request, "fail_on")
    if value is None:
        return None
    try:
        names = json.loads(value)
    except json.JSONDecodeError:
        names = None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise _entry.SetupError(
            f"fail_on must be a JSON-encoded list of condition names, e.g. '[\"present\"]', "
            f"got {value!r}"
        )
    _entry.engine()
    from root_access.drift import FAIL_ON, DriftCheck, parse_fail_on

    unknown = [name for name in names if name not in FAIL_ON]
    if unknown:
        raise _entry.SetupError(
            f"fail_on {unknown[0]!r} is not a condition: choose from {', '.join(FAIL_ON)}"
        )
    return DriftCheck(parse_fail_on(names))


# --- The SCP lint (issue 14 item 2): which accounts an SCP would block in root sessions ---

SCP_LINT_VERBS = ("audit", "delete-credentials")
"""The verbs whose root sessions the audit's lint checks: the Terraform path's sweeps
(the audit data source, the removal module)."""


def _preflight(session: boto3.Session, request: dict[str, Any]) -> Preflight:
    """The run's one preflight (the audit reuses it; the lint needs its partition,
    organization and management account). A read-only ``prepare``: ``detail``, workers,
    region and the STS endpoint are checked first (no AWS call), no account is described."""
    from root_access import prepare
    from root_access.audit import validate_detail

    detail = _entry.text(request, "detail")

    def validate() -> None:
        if detail is not None:
            validate_detail(detail)

    return prepare(
        session,
        region=_entry.text(request, "region"),
        max_workers=_entry.integer(request, "max_workers", _rules().MAX_WORKERS.default),
        validate=validate,
    ).preflight


def _scp_lint(session: boto3.Session, checked: Preflight, collected: _Collected) -> dict[str, str]:
    """``scp_lint``: JSON ``{"blocked": {id: {tasks, policy, statement, fix}}, "unknown":
    [ids]}`` over the selection's ACTIVE member accounts (Organizations reads only; the
    first blocking statement of each blocked account, every task it blocks)."""
    from root_access.scp_lint import VERB_TASKS, ScpLinter, ScpStatus

    skipped = {"skipped_management_account", "skipped_inactive_account"}
    ids = [
        account_id
        for account_id, _ in collected.lines
        if collected.not_audited.get(account_id, {}).get("outcome") not in skipped
    ]
    tasks = tuple(dict.fromkeys(t for verb in SCP_LINT_VERBS for t in VERB_TASKS[verb]))
    blocked: dict[str, dict[str, Any]] = {}
    unknown: list[str] = []
    linter = ScpLinter.of_preflight(session, checked, tasks)
    for result in linter.lint_many(ids):
        if result.status is ScpStatus.UNKNOWN:
            unknown.append(result.account_id)
        elif result.status is ScpStatus.BLOCKED:
            first = result.blocks[0]
            blocked[result.account_id] = {
                "tasks": sorted(result.blocked_tasks()),
                "policy": f"{first.policy_name} ({first.policy_id})",
                "statement": first.statement,
                "fix": first.fix,
            }
    return {
        "scp_lint": json.dumps(
            {"blocked": blocked, "unknown": sorted(unknown)}, sort_keys=True, separators=(",", ":")
        )
    }


# --- Result modes (issue 12: Terraform at 10,000 accounts) ------------------------------


def result_mode(requested: str, accounts: int) -> str:
    """The mode a result uses: ``full`` or ``compact``.

    ``requested`` is one of ``rules.RESULT_MODE.values``; ``auto`` is ``compact`` when
    ``accounts`` (the selection's size, skipped accounts included) is above
    ``rules.COMPACT_ABOVE``. Raises ``SetupError`` for any other value.
    """
    rules = _rules()
    if requested not in rules.RESULT_MODE.values:
        raise _entry.SetupError(
            f"result_mode must be one of {', '.join(rules.RESULT_MODE.values)}, got {requested!r}"
        )
    if requested == "auto":
        return "compact" if accounts > rules.COMPACT_ABOVE else "full"
    return requested


def _requested_mode(request: dict[str, Any]) -> str:
    """The query's ``result_mode`` (default ``auto``), checked before any AWS call."""
    requested = _entry.text(request, "result_mode") or _rules().RESULT_MODE.default[0]
    result_mode(requested, 0)
    # A report known now is tried now: a path that cannot be written stops the plan
    # before the audit, not after it.
    report = _report_path(request, "compact" if requested == "compact" else "full")
    if report is not None:
        _write_report(Path(report), [], probe=True)
    return requested


def _report_path(request: dict[str, Any], mode: str) -> str | None:
    """The report file to write: ``report_path`` when given; else, for a compact result,
    ``default_report_path``; else None. Raises SetupError for a compact result without
    either."""
    report = _entry.text(request, "report_path")
    if report is None and mode == "compact":
        report = _entry.text(request, "default_report_path")
        if report is None:
            raise _entry.SetupError(
                "a compact result needs a report file: set report_path (the module sets "
                "default_report_path to path.root/root-credentials-audit.jsonl)"
            )
    return report


class _Collected:
    """What a result needs of each account: its record as one JSON line, and the ids
    that need action (root credentials found; not audited, with outcome and reason)."""

    def __init__(self) -> None:
        from root_access import Outcome

        self.lines: list[tuple[str, str]] = []
        self.kinds: dict[str, list[str]] = {}
        self.not_audited: dict[str, dict[str, str]] = {}
        # The two outcomes of an account the audit looked into; every other outcome
        # (skipped, blocked by an SCP, denied, throttled, error) leaves its root user
        # unknown (docs/outcomes.md).
        self.audited = frozenset({Outcome.ROOT_CREDENTIALS_PRESENT, Outcome.NO_ROOT_CREDENTIALS})
        # A credential outcome that means "the root user holds it" (as in
        # AccountResult.has_root_credentials).
        self.holding = frozenset({Outcome.PRESENT, Outcome.WOULD_DELETE})

    def add(self, result: AccountResult) -> None:
        record = result.to_dict()
        self.lines.append(
            (result.account_id, json.dumps(record, sort_keys=True, separators=(",", ":")))
        )
        if result.outcome not in self.audited:
            self.not_audited[result.account_id] = {
                "outcome": result.outcome.value,
                "reason": result.detail or result.outcome.value,
            }
        if result.has_root_credentials:
            found = {
                credential.kind
                for credential in result.credentials
                if credential.outcome in self.holding
            }
            self.kinds[result.account_id] = sorted(found)


def _result(
    request: dict[str, Any], requested: str, collected: _Collected, counts: dict[str, int]
) -> dict[str, str]:
    """The flat map of strings for ``requested`` mode; writes the report when asked to
    (``report_path``) or when the result is compact (else ``default_report_path``)."""
    collected.lines.sort()
    mode = result_mode(requested, len(collected.lines))
    report = _report_path(request, mode)
    digest = hashlib.sha256()
    for _, line in collected.lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    if report is not None:
        _write_report(Path(report), collected.lines)
    output = {
        "result_mode": mode,
        "summary": json.dumps(counts, sort_keys=True),
        "with_root_credentials": json.dumps(sorted(collected.kinds)),
        "root_credential_kinds": json.dumps(collected.kinds, sort_keys=True),
        "not_audited": json.dumps(collected.not_audited, sort_keys=True),
        "digest": digest.hexdigest(),
        "report_path": report or "",
    }
    if mode == "full":
        output["accounts"] = (
            "{" + ",".join(f"{json.dumps(key)}:{line}" for key, line in collected.lines) + "}"
        )
    return output


def _write_report(path: Path, lines: list[tuple[str, str]], *, probe: bool = False) -> None:
    """Replace ``path`` with the JSON Lines (a temporary file beside it, then a rename),
    so a reader never sees half a report. ``probe``: only check that it can be written
    (the temporary file is removed, an earlier report stays). Raises SetupError naming
    the path."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("w", encoding="utf-8") as report:
            for _, line in lines:
                report.write(line)
                report.write("\n")
        if probe:
            temporary.unlink()
        else:
            os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        where = f": {error.filename}" if error.filename and error.filename != str(path) else ""
        raise _entry.SetupError(
            f"cannot write the audit report {str(path)!r} ({error.strerror}{where}): set "
            "report_path to a writable file"
        ) from None


def main() -> int:
    """Read the query, audit (or list the scope), print one flat JSON object of strings."""
    with _entry.stdout_reserved() as stdout:
        request = _entry.read_stdin_query()
        output = _scope(request) if _entry.boolean(request, "scope_only") else _audit(request)
        stdout.write(json.dumps(output, separators=(",", ":")))
        stdout.write("\n")
    return _entry.EXIT_OK


if __name__ == "__main__":
    sys.exit(_entry.run(main))
