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
- ``csv``: one row per account, header :data:`CSV_FIELDS`; credential counts flattened;
  a count that is unknown (the account was not looked into) is an empty cell, never 0.
  Rows are whole, interrupted or not (no trailer: count the rows).
- ``markdown``: a GitHub table, one row per account, then the summary sentence (and, when
  interrupted, a line saying so).
- ``table``: one row per account (account, name, state, outcome, credentials, detail),
  sorted by account id; with ``details=True`` one indented row per credential below its
  account; then the summary sentence (and, when interrupted, a line saying so). With
  rich, each outcome has a colour (:data:`OUTCOME_STYLES`): green only for outcomes that
  leave a root user known clean.

Unknown is never zero: an account that was not looked into shows ``-`` as its
credentials in ``table`` and ``markdown``, empty CSV cells and ``null`` in
``root_credentials`` of the JSON.

``close(summary, exit_code=..., interrupted=...)``: ``exit_code`` is the run's when it
differs from ``summary.exit_code`` (``audit --fail-on``, an interruption); ``interrupted``
the signal's name.

``json``, ``csv`` and ``markdown`` list accounts in completion order (they stream).

Nothing here ever sees session credentials: results carry ids, counts and statuses only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO, Any, Protocol

from root_access.cli.csv_rows import CSV_FIELDS, CsvWriter, safe_cell
from root_access.outcomes import Outcome
from root_access.results import (
    ROOT_CREDENTIAL_KINDS,
    AccountResult,
    CredentialResult,
    Presence,
    Summary,
)

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "OUTCOME_STYLES",
    "RICH_TABLE_MAX_ROWS",
    "ResultWriter",
    "console_for",
    "credentials_summary",
    "default_format",
    "safe_cell",
    "summary_line",
    "writer_for",
]

FORMATS = ("table", "json", "csv", "markdown")
"""The values of ``--format``."""

RICH_TABLE_MAX_ROWS = 2000
"""Above this many rows ``table`` is drawn as plain aligned text: rich lays out 10,000
rows in about a minute, plain text in well under a second."""

OUTCOME_STYLES: Mapping[Outcome, str] = {
    Outcome.ROOT_CREDENTIALS_PRESENT: "bold yellow",
    Outcome.PRESENT: "yellow",
    Outcome.WOULD_DELETE: "yellow",
    Outcome.WOULD_ENABLE_RECOVERY: "yellow",
    Outcome.DEACTIVATED: "yellow",
    Outcome.SKIPPED_MANAGEMENT_ACCOUNT: "magenta",
    Outcome.SKIPPED_INACTIVE_ACCOUNT: "magenta",
    Outcome.BLOCKED_BY_SCP: "bold red",
    Outcome.ACCESS_DENIED: "bold red",
    Outcome.THROTTLED: "bold red",
    Outcome.ERROR: "bold red",
    Outcome.NO_ROOT_CREDENTIALS: "green",
    Outcome.DELETED: "green",
    Outcome.ALREADY_ABSENT: "green",
    Outcome.RECOVERY_ENABLED: "green",
    Outcome.POLICY_RECORDED: "green",
}
"""The rich style of each outcome in ``table``. Green only where the root user is known
clean or the change is done; credentials found (or to delete) are yellow; accounts not
looked into are magenta (skipped) or red (failed): unknown never reads as healthy."""


def default_format(stream: IO[str]) -> str:
    """``table`` when ``stream`` is a terminal, else ``json`` (pipes stay machine-readable)."""
    isatty = getattr(stream, "isatty", None)
    return "table" if isatty is not None and isatty() else "json"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def credentials_summary(result: AccountResult) -> str:
    """One short phrase for an account's root credentials, e.g.
    ``password, 2 access keys (1 active), 1 MFA device (virtual)``; ``none`` when the
    account was looked into and holds none; ``-`` (unknown) when it was not looked at
    (skipped or failed before the audit). A kind that ``GetAccountSummary`` reports but
    that was not listed is named without a count (``access keys``)."""
    creds = result.credentials
    reads = result.reads_root_credentials
    if not creds:
        if reads and result.holds_root_credentials is Presence.ABSENT:
            return "none"
        if not reads:
            return "-"
    parts: list[str] = []
    by_kind: dict[str, list[CredentialResult]] = {}
    for cred in creds:
        by_kind.setdefault(cred.kind, []).append(cred)
    flagged_only = {
        kind
        for kind, (credential_kind, _) in ROOT_CREDENTIAL_KINDS.items()
        if reads and result.presence(kind) is Presence.PRESENT and credential_kind not in by_kind
    }
    if "password" in by_kind or "password" in flagged_only:
        parts.append("password")
    keys = by_kind.get("access_key", [])
    if keys:
        active = sum(1 for k in keys if k.status == "Active")
        parts.append(f"{_plural(len(keys), 'access key')} ({active} active)")
    elif "access_keys" in flagged_only:
        parts.append("access keys")
    certs = by_kind.get("signing_certificate", [])
    if certs:
        parts.append(_plural(len(certs), "signing certificate"))
    elif "signing_certificates" in flagged_only:
        parts.append("signing certificates")
    mfa = by_kind.get("mfa_device", [])
    if mfa:
        kinds = sorted({m.mfa_kind or "unknown" for m in mfa})
        parts.append(f"{_plural(len(mfa), 'MFA device')} ({', '.join(kinds)})")
    elif "mfa_devices" in flagged_only:
        parts.append("MFA devices")
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
    return text or "-"


def summary_line(summary: Summary) -> str:
    """The run in one plain sentence (:attr:`Summary.text`), e.g. ``200 accounts: 60
    hold root credentials, 138 hold none, 2 not audited (1 blocked by an SCP,
    1 SUSPENDED)`` or ``16 accounts: 12 deleted, 3 already clean, 1 failed (access
    denied)``. The same words are in the JSON summary's ``text``."""
    return summary.text


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
        self._accounts: list[tuple[str, list[tuple[tuple[str, ...], Outcome, bool]]]] = []

    def write(self, result: AccountResult) -> None:
        rows = [(_row(result), result.outcome, True)]
        if self._details:
            rows += [
                (r, c.outcome, False)
                for r, c in zip(_credential_rows(result), result.credentials, strict=True)
            ]
        self._accounts.append((result.account_id, rows))

    @property
    def _rows(self) -> list[tuple[tuple[str, ...], Outcome, bool]]:
        """Every row, accounts sorted by id (results arrive in completion order)."""
        return [row for _, rows in sorted(self._accounts, key=lambda a: a[0]) for row in rows]

    def close(
        self, summary: Summary, *, exit_code: int | None = None, interrupted: str | None = None
    ) -> None:
        rows = self._rows
        Table = _rich_table()
        if Table is None or len(rows) > RICH_TABLE_MAX_ROWS:
            _plain_table(self._stream, self._title, [r for r, _, _ in rows])
            self._stream.write(summary_line(summary) + "\n")
        else:
            from rich.text import Text

            table = Table(title=self._title, show_lines=False)
            for column in _COLUMNS:
                fixed = column in ("Account", "State", "Outcome")
                table.add_column(column, no_wrap=fixed, overflow="fold")
            outcome_column = _COLUMNS.index("Outcome")
            for row, outcome, account in rows:
                cells = [Text(cell) for cell in row]
                cells[outcome_column].stylize(OUTCOME_STYLES.get(outcome, ""))
                table.add_row(*cells, style="red" if account and outcome.failed else None)
            console = console_for(self._stream)
            console.print(table)
            console.print(
                Text(summary_line(summary), style=_summary_style(summary)), soft_wrap=True
            )
        if interrupted:
            self._stream.write(f"interrupted by {interrupted}: {_INCOMPLETE}\n")
        self._stream.flush()


def _summary_style(summary: Summary) -> str:
    """Red when an account failed, yellow when root credentials were found or accounts
    were not looked into (unknown), green only when every account is known clean."""
    if summary.failed:
        return "bold red"
    clean = (
        Outcome.NO_ROOT_CREDENTIALS,
        Outcome.DELETED,
        Outcome.ALREADY_ABSENT,
        Outcome.RECOVERY_ENABLED,
    )
    if summary.total and all(Outcome(name) in clean for name in summary.counts):
        return "green"
    return "yellow"


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
        return CsvWriter(stream)
    if fmt == "markdown":
        return _MarkdownWriter(stream, details=details)
    if fmt == "table":
        return _TableWriter(stream, details=details, title=title)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
