"""Results out: stdout or an atomically replaced ``--output`` file, in the chosen format.

Results stream from the engine to the writer of :mod:`root_access.cli.render` and to
the progress display on stderr (:mod:`root_access.cli.progress`) as they complete.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from root_access import AccountResult, UsageError, summarize
from root_access.cli.mapping import render_mapping
from root_access.cli.progress import progress_for
from root_access.cli.render import summary_line, writer_for

__all__ = ["Output", "RunStopped", "check_writable", "emit", "output_format", "record"]

_log = logging.getLogger("root_access.cli")


def check_writable(path: str, flag: str) -> None:
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{flag} {path} is a directory: name a file")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: directory {parent} does not exist: create it first")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{flag} {path}: directory {parent} is not writable")


_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "json")
    isatty = getattr(sys.stdout, "isatty", None)
    return "table" if isatty is not None and isatty() else "json"


class Output:
    """stdout, or ``--output FILE`` written to a temporary file and renamed on success,
    so a failed or killed run never leaves a half-written FILE."""

    def __init__(self, path: str | None) -> None:
        self._path = path
        self._tmp: str | None = None
        self._stream: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self._path is None:
            return sys.stdout
        target = Path(self._path)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self._stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is None or self._tmp is None or self._path is None:
            sys.stdout.flush()
            return
        self._stream.close()
        if exc_type is None:
            os.replace(self._tmp, self._path)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)


def emit(
    args: argparse.Namespace,
    results: Iterable[AccountResult],
    *,
    description: str,
    details: bool = False,
) -> int:
    fmt = output_format(args)
    with Output(args.output) as stream:
        writer = writer_for(fmt, stream, details=details, title=description)
        with progress_for(description, sys.stderr, quiet=args.quiet) as progress:

            def tee() -> Iterator[AccountResult]:
                for result in results:
                    _log.debug(
                        "%s: account %s %s %s",
                        description,
                        result.account_id,
                        result.outcome.value,
                        result.detail,
                    )
                    progress.advance(result)
                    writer.write(result)
                    yield result

            try:
                summary = summarize(tee())
            except (ClientError, BotoCoreError, ResponseParserError) as error:
                raise RunStopped(error) from error
        writer.close(summary)
    _log.info("%s: %s", description, summary_line(summary))
    return summary.exit_code


class RunStopped(Exception):
    """An AWS failure escaped the engine after the run started: results are partial."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def record(args: argparse.Namespace, data: Mapping[str, Any], title: str) -> None:
    with Output(args.output) as stream:
        render_mapping(output_format(args), stream, data, title=title)
