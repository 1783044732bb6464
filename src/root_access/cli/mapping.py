"""One record (preflight facts, an enable result, a plan) in the chosen output format.

Beside the per-account writers of :mod:`root_access.cli.render`, sharing its cell safety
(:func:`root_access.cli.render.safe_cell`) and table drawing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from typing import IO, Any

from root_access.cli.render import FORMATS, _md, _plain_table, console_for, safe_cell

__all__ = ["render_mapping"]


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
