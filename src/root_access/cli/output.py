"""Results out: stdout or an atomically replaced ``--output`` file, in the chosen format.

Results stream from the engine to the writer of :mod:`root_access.cli.render` and to
the progress display on stderr (:mod:`root_access.cli.progress`) as they complete.

Interruptions (:mod:`root_access.cli.signals`): SIGINT and SIGTERM are held while
:func:`emit` writes and delivered only while it waits on the engine, so a row is never
cut in half; the writer then closes its document (JSON: ``"interrupted": true``) and
:class:`Interrupted` goes on to ``main`` (the hint, exit 130 or 143). An ``--output``
file is not replaced by an interrupted run.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from root_access import AccountResult, UsageError, summarize
from root_access.cli.mapping import render_mapping
from root_access.cli.progress import Totals, progress_for
from root_access.cli.render import summary_line, writer_for
from root_access.cli.signals import Interrupted, held, released
from root_access.results import Summary

__all__ = [
    "Output",
    "RunStopped",
    "check_writable",
    "emit",
    "output_format",
    "record",
]

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
    watch: Callable[[AccountResult], None] | None = None,
    judge: Callable[[Summary], int] | None = None,
    totals: Totals | None = None,
) -> int:
    """Stream ``results`` to stdout or ``--output`` in the chosen format; return the exit
    code: ``judge(summary)`` when given (``audit --fail-on``), else ``summary.exit_code``.

    ``watch`` sees each result as it is written; ``totals`` (the hook given to the engine
    as ``on_targets``) gives the progress display its total. Raises :class:`Interrupted`
    after closing the document when SIGINT/SIGTERM stopped the run, :class:`RunStopped`
    when an AWS failure escaped the engine.
    """
    fmt = output_format(args)
    stopped: list[Interrupted] = []
    source = iter(results)
    # A list is already done (an unlock): nothing to wait on, so a signal waits until the
    # result is written. A stream is where the engine works: signals land there.
    waiting = contextlib.nullcontext if isinstance(results, list | tuple) else released
    with held(), Output(args.output) as stream:
        writer = writer_for(fmt, stream, details=details, title=description)
        with progress_for(description, sys.stderr, quiet=args.quiet) as progress:
            if totals is not None:
                totals.bind(progress.set_total)

            def tee() -> Iterator[AccountResult]:
                while True:
                    try:
                        with waiting():  # signals land only while the engine works
                            result = next(source)
                    except StopIteration:
                        return
                    except Interrupted as stop:
                        stopped.append(stop)
                        return
                    _log.debug(
                        "%s: account %s %s %s",
                        description,
                        result.account_id,
                        result.outcome.value,
                        result.detail,
                    )
                    progress.advance(result)
                    writer.write(result)
                    if watch is not None:
                        watch(result)
                    yield result

            try:
                summary = summarize(tee())
            except (ClientError, BotoCoreError, ResponseParserError) as error:
                raise RunStopped(error) from error
        if stopped:
            stop = stopped[0]
            writer.close(summary, exit_code=stop.exit_code, interrupted=stop.name)
            _log.info("%s: interrupted by %s: %s", description, stop.name, summary_line(summary))
            close = getattr(source, "close", None)
            if close is not None:
                with released():  # accounts in progress finish; another signal stops waiting
                    close()
            raise stop
        code = judge(summary) if judge is not None else summary.exit_code
        writer.close(summary, exit_code=None if code == summary.exit_code else code)
    _log.info("%s: %s", description, summary_line(summary))
    return code


class RunStopped(Exception):
    """An AWS failure escaped the engine after the run started: results are partial."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def record(args: argparse.Namespace, data: Mapping[str, Any], title: str) -> None:
    """Write one record (an enable/disable result or plan) whole."""
    with held(), Output(args.output) as stream:
        render_mapping(output_format(args), stream, data, title=title)
