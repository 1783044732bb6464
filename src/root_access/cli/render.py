"""Output formats of the ``root-access`` CLI: ``table``, ``json``, ``csv`` and ``markdown``.

Results stream in one :class:`~root_access.results.AccountResult` at a time; every
writer but ``table`` writes each account as it arrives, so memory stays flat over
10,000 accounts. ``table`` (the default on a terminal) draws a ``rich`` table when
``rich`` is installed (the ``cli`` extra) and an aligned plain-text table otherwise;
``rich`` is imported only inside the functions that draw.

Shapes (stable; fields are only ever added):

- ``json``: ``{"results": [AccountResult.to_dict(), ...], "summary": Summary.to_dict(),
  "interrupted": false}``; a run stopped by SIGINT/SIGTERM still closes the document:
  the results so far, ``"interrupted": true``, ``"signal": "SIGINT"`` and the summary of
  what was reported, its ``exit_code`` the run's (130/143).
- ``csv``: one row per account, header :data:`CSV_FIELDS`; credential counts flattened.
  Rows are whole, interrupted or not (no trailer: count the rows).
- ``markdown``: a GitHub table, one row per account, then the summary line (and, when
  interrupted, a line saying so).
- ``table``: one row per account (account, name, state, outcome, credentials, detail),
  sorted by account id; with ``details=True`` one indented row per credential below its
  account; then the summary line (and, when interrupted, a line saying so).

``close(summary, exit_code=..., interrupted=...)``: ``exit_code`` is the run's when it
differs from ``summary.exit_code`` (``audit --fail-on``, an interruption); ``interrupted``
the signal's name.

``json``, ``csv`` and ``markdown`` list accounts in completion order (they stream).

Nothing here ever sees session credentials: results carry ids, counts and statuses only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any, Protocol

from root_access.outcomes import Outcome
from root_access.results import AccountResult, CredentialResult, Summary

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "RICH_TABLE_MAX_ROWS",
    "ResultWriter",
    "console_for",
    "credentials_summary",
    "default_format",
    "render_mapping",
    "safe_cell",
    "summary_line",
    "writer_for",
]

FORMATS = ("table", "json", "csv", "markdown")
"""The values of ``--format``."""

RICH_TABLE_MAX_ROWS = 2000
"""Above this many rows ``table`` is drawn as plain aligned text: rich lays out 10,000
rows in about a minute, plain text in well under a second."""

_CREDENTIAL_OUTCOMES = (
    Outcome.DELETED,
    Outcome.ALREADY_ABSENT,
    Outcome.WOULD_DELETE,
)

CSV_FIELDS = (
    "account_id",
    "name",
    "state",
    "task",
    "outcome",
    "detail",
    "dry_run",
    "verified",
    "password",
    "access_keys",
    "active_access_keys",
    "signing_certificates",
    "mfa_devices",
    "virtual_mfa_devices",
    "bucket_policies",
    "queue_policies",
    "credentials_deleted",
    "credentials_already_absent",
    "credentials_would_delete",
    "credentials_failed",
    "iam_4",
    "iam_6",
    "iam_9",
)
"""The CSV header: one row per account, credential counts flattened.

``password`` .. ``queue_policies`` count the credentials reported (by kind);
``credentials_<outcome>`` count them by outcome (``credentials_failed``: any failure
outcome); ``iam_4`` / ``iam_6`` / ``iam_9`` hold the Security Hub control status
(``passed`` | ``failed`` | ``not_applicable``, empty when not evaluated).
"""

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def default_format(stream: IO[str]) -> str:
    """``table`` when ``stream`` is a terminal, else ``json`` (pipes stay machine-readable)."""
    isatty = getattr(stream, "isatty", None)
    return "table" if isatty is not None and isatty() else "json"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def credentials_summary(result: AccountResult) -> str:
    """One short phrase for an account's root credentials, e.g.
    ``password, 2 access keys (1 active), 1 MFA device (virtual)``; ``none`` when the
    result lists no credential; ``-`` when the account was not looked at (skipped
    or failed before the audit)."""
    creds = result.credentials
    if not creds:
        return "none" if result.outcome == Outcome.NO_ROOT_CREDENTIALS else "-"
    parts: list[str] = []
    by_kind: dict[str, list[CredentialResult]] = {}
    for cred in creds:
        by_kind.setdefault(cred.kind, []).append(cred)
    if "password" in by_kind:
        parts.append("password")
    keys = by_kind.get("access_key", [])
    if keys:
        active = sum(1 for k in keys if k.status == "Active")
        parts.append(f"{_plural(len(keys), 'access key')} ({active} active)")
    certs = by_kind.get("signing_certificate", [])
    if certs:
        parts.append(_plural(len(certs), "signing certificate"))
    mfa = by_kind.get("mfa_device", [])
    if mfa:
        kinds = sorted({m.mfa_kind or "unknown" for m in mfa})
        parts.append(f"{_plural(len(mfa), 'MFA device')} ({', '.join(kinds)})")
    for kind, label in (("bucket_policy", "bucket policy"), ("queue_policy", "queue policy")):
        items = by_kind.get(kind, [])
        if items:
            parts.append(_plural(len(items), label, label[:-1] + "ies"))
    outcomes: dict[str, int] = {}
    for cred in creds:
        if cred.outcome != Outcome.PRESENT:
            outcomes[cred.outcome.value] = outcomes.get(cred.outcome.value, 0) + 1
    text = ", ".join(parts)
    if outcomes:
        text += ": " + ", ".join(f"{n} {name}" for name, n in sorted(outcomes.items()))
    return text


def summary_line(summary: Summary) -> str:
    """``<n> accounts: <outcome> <count>, ...; <failed> failed`` (outcomes sorted)."""
    counts = ", ".join(f"{name} {n}" for name, n in sorted(summary.counts.items()))
    head = _plural(summary.total, "account")
    return f"{head}: {counts or 'none'}; {summary.failed} failed"


def _csv_row(result: AccountResult) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    failed = active = virtual = 0
    for cred in result.credentials:
        kinds[cred.kind] = kinds.get(cred.kind, 0) + 1
        outcomes[cred.outcome.value] = outcomes.get(cred.outcome.value, 0) + 1
        failed += 1 if cred.outcome.failed else 0
        active += 1 if cred.kind == "access_key" and cred.status == "Active" else 0
        virtual += 1 if cred.kind == "mfa_device" and cred.mfa_kind == "virtual" else 0
    controls = {c.control: c.status for c in result.compliance}
    row: dict[str, Any] = {
        "account_id": result.account_id,
        "name": safe_cell(result.name or ""),
        "state": result.state or "",
        "task": result.task or "",
        "outcome": result.outcome.value,
        "detail": safe_cell(result.detail),
        "dry_run": "true" if result.dry_run else "false",
        "verified": "" if result.verified is None else str(result.verified).lower(),
        "password": kinds.get("password", 0),
        "access_keys": kinds.get("access_key", 0),
        "active_access_keys": active,
        "signing_certificates": kinds.get("signing_certificate", 0),
        "mfa_devices": kinds.get("mfa_device", 0),
        "virtual_mfa_devices": virtual,
        "bucket_policies": kinds.get("bucket_policy", 0),
        "queue_policies": kinds.get("queue_policy", 0),
        "credentials_failed": failed,
        "iam_4": controls.get("IAM.4", ""),
        "iam_6": controls.get("IAM.6", ""),
        "iam_9": controls.get("IAM.9", ""),
    }
    for outcome in _CREDENTIAL_OUTCOMES:
        row[f"credentials_{outcome.value}"] = outcomes.get(outcome.value, 0)
    return row


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text (account names are user-chosen)."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class ResultWriter(Protocol):
    """Writes results as they stream in, then the summary."""

    def write(self, result: AccountResult) -> None:
        """Write (or buffer, for ``table``) one account's result."""

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        """Write what is left and the summary; the stream stays open. ``exit_code``: the
        run's, when not ``summary.exit_code``; ``interrupted``: the signal's name."""


class _JsonWriter:
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._first = True

    def write(self, result: AccountResult) -> None:
        prefix = '{"results": [\n  ' if self._first else ",\n  "
        self._first = False
        self._stream.write(prefix + json.dumps(result.to_dict(), sort_keys=False))

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        head = '{"results": [' if self._first else "\n"
        data = summary.to_dict()
        if exit_code is not None:
            data["exit_code"] = exit_code
        tail = f', "signal": {json.dumps(interrupted)}' if interrupted else ""
        self._stream.write(
            f'{head}], "summary": {json.dumps(data)}, '
            f'"interrupted": {json.dumps(interrupted is not None)}{tail}}}\n'
        )
        self._stream.flush()


class _CsvWriter:
    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
        self._writer.writeheader()
        self._stream = stream

    def write(self, result: AccountResult) -> None:
        self._writer.writerow(_csv_row(result))

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        self._stream.flush()


_COLUMNS = ("Account", "Name", "State", "Outcome", "Credentials", "Detail")

_INCOMPLETE = "results so far only; accounts in progress or not started are not listed"


def _row(result: AccountResult) -> tuple[str, ...]:
    return (
        result.account_id,
        result.name or "",
        result.state or "",
        result.outcome.value,
        credentials_summary(result),
        result.detail,
    )


def _credential_rows(result: AccountResult) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for cred in result.credentials:
        label = cred.kind + (f" ({cred.mfa_kind})" if cred.mfa_kind else "")
        label += f" {cred.status}" if cred.status else ""
        rows.append(("", "", f"  {label}", cred.outcome.value, cred.id, cred.detail))
    return rows


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


class _MarkdownWriter:
    def __init__(self, stream: IO[str], *, details: bool) -> None:
        self._stream = stream
        self._details = details
        stream.write("| " + " | ".join(_COLUMNS) + " |\n")
        stream.write("|" + "---|" * len(_COLUMNS) + "\n")

    def write(self, result: AccountResult) -> None:
        rows = [_row(result)]
        if self._details:
            rows += _credential_rows(result)
        for row in rows:
            self._stream.write("| " + " | ".join(_md(c) for c in row) + " |\n")

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        self._stream.write(f"\n**Summary:** {summary_line(summary)}\n")
        if interrupted:
            self._stream.write(f"\n**Interrupted** by {interrupted}: {_INCOMPLETE}\n")
        self._stream.flush()


class _TableWriter:
    def __init__(self, stream: IO[str], *, details: bool, title: str | None) -> None:
        self._stream = stream
        self._details = details
        self._title = title
        self._accounts: list[tuple[str, list[tuple[tuple[str, ...], bool]]]] = []

    def write(self, result: AccountResult) -> None:
        rows = [(_row(result), result.failed)]
        if self._details:
            rows += [(r, False) for r in _credential_rows(result)]
        self._accounts.append((result.account_id, rows))

    @property
    def _rows(self) -> list[tuple[tuple[str, ...], bool]]:
        """Every row, accounts sorted by id (results arrive in completion order)."""
        return [row for _, rows in sorted(self._accounts, key=lambda a: a[0]) for row in rows]

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        rows = self._rows
        Table = _rich_table()
        if Table is None or len(rows) > RICH_TABLE_MAX_ROWS:
            _plain_table(self._stream, self._title, [r for r, _ in rows])
        else:
            table = Table(title=self._title, show_lines=False)
            for column in _COLUMNS:
                fixed = column in ("Account", "State", "Outcome")
                table.add_column(column, no_wrap=fixed, overflow="fold")
            for row, failed in rows:
                table.add_row(*row, style="red" if failed else None)
            console_for(self._stream).print(table)
        self._stream.write(summary_line(summary) + "\n")
        if interrupted:
            self._stream.write(f"interrupted by {interrupted}: {_INCOMPLETE}\n")
        self._stream.flush()


def _rich_table() -> Any:
    """``rich.table.Table``, or None when rich is not installed."""
    try:
        from rich.table import Table
    except ImportError:
        return None
    return Table


def console_for(stream: IO[str]) -> Any:
    """A rich Console on ``stream``: the terminal's width, or 160 columns for files and
    pipes (so ``--format table --output FILE`` does not fold at 80)."""
    from rich.console import Console

    isatty = getattr(stream, "isatty", None)
    width = None if isatty is not None and isatty() else 160
    return Console(file=stream, soft_wrap=False, width=width)


def _plain_table(
    stream: IO[str],
    title: str | None,
    rows: Iterable[tuple[str, ...]],
    columns: tuple[str, ...] = _COLUMNS,
) -> None:
    rows = list(rows)
    widths = [len(c) for c in columns]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    if title:
        stream.write(title + "\n")
    for row in (columns, tuple("-" * w for w in widths), *rows):
        stream.write(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )


def writer_for(
    fmt: str, stream: IO[str], *, details: bool = False, title: str | None = None
) -> ResultWriter:
    """A :class:`ResultWriter` for ``fmt`` (one of :data:`FORMATS`) writing to ``stream``.

    ``details`` adds one row per credential (table and markdown; delete and unlocks).
    Raises ``ValueError`` for an unknown format (the CLI validates it first).
    """
    if fmt == "json":
        return _JsonWriter(stream)
    if fmt == "csv":
        return _CsvWriter(stream)
    if fmt == "markdown":
        return _MarkdownWriter(stream, details=details)
    if fmt == "table":
        return _TableWriter(stream, details=details, title=title)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value) or "none"
    if isinstance(value, Mapping):
        return json.dumps(value, sort_keys=True)
    return str(value)


def render_mapping(
    fmt: str, stream: IO[str], data: Mapping[str, Any], *, title: str | None = None
) -> None:
    """Write one record (preflight facts, an enable result) in ``fmt``.

    ``json``: the mapping itself; ``csv``: header ``field,value``; ``markdown`` and
    ``table``: a two-column Field/Value table (lists joined with ``, ``).
    """
    if fmt == "json":
        stream.write(json.dumps(dict(data), indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("field", "value"))
        for key, value in data.items():
            writer.writerow((key, safe_cell(_flat(value))))
    elif fmt == "markdown":
        if title:
            stream.write(f"### {_md(title)}\n\n")
        stream.write("| Field | Value |\n|---|---|\n")
        for key, value in data.items():
            stream.write(f"| {_md(key)} | {_md(_flat(value))} |\n")
    elif fmt == "table":
        rows = [(str(k), _flat(v)) for k, v in data.items()]
        try:
            from rich.table import Table
        except ImportError:
            _plain_table(stream, title, rows, ("Field", "Value"))
        else:
            table = Table(title=title, show_header=False)
            table.add_column("Field", style="bold")
            table.add_column("Value", overflow="fold")
            for row in rows:
                table.add_row(*row)
            console_for(stream).print(table)
    else:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    stream.flush()
