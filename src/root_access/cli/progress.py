"""Progress of a long run on stderr, for people at a terminal.

Silent when stderr is not a terminal (pipelines, Terraform, tests) or with ``-q``, so
logs and results stay clean. Uses ``rich`` (the ``cli`` extra) when installed, imported
lazily; otherwise a one-line ``\\r`` counter.

What it shows: the accounts done and failed so far, the rate (accounts per second since
the display started) and, once the number of targets is known (``total=`` or
:meth:`Progress.set_total`, called when the targets are listed), the total, the
percentage and the estimated time left::

    audit: 120/2000 accounts (6%), 2 failed, 4.1/s, ETA 7m 38s

While botocore is retrying calls (throttling or transient errors) it adds a note, e.g.
``· 12 calls retried in the last 30 s (throttling or transient errors)``. The retries are
seen through the log records of botocore's retry handlers (``botocore.retries.standard``
for the ``standard`` and ``adaptive`` retry modes, ``botocore.retryhandler`` for
``legacy``), so every client of the run is covered without a hook in the engine; the
loggers are only turned on (for this display alone) while a drawing display is active.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any

from root_access.results import AccountResult

__all__ = [
    "RETRY_LOGGERS",
    "RETRY_WINDOW_SECONDS",
    "Progress",
    "Totals",
    "format_duration",
    "progress_for",
]

RETRY_WINDOW_SECONDS = 30.0
"""A retry counts towards the note for this long."""

RETRY_LOGGERS = ("botocore.retries.standard", "botocore.retryhandler")
"""botocore's retry handlers' loggers: ``standard`` / ``adaptive`` modes, ``legacy`` mode."""

_RETRY_MESSAGES = ("Retry needed, retrying request", "Retry needed, action of")
"""How those handlers' DEBUG records start when a call is about to be retried."""


def format_duration(seconds: float) -> str:
    """``42s``, ``7m 38s``, ``2h 05m`` (rounded to the second)."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


class Progress:
    """Counts accounts as they complete. Use as a context manager; call :meth:`advance`.

    ``total``: the number of targets when known (else ``None``, or later
    :meth:`set_total`). ``clock``: seconds, monotonic (tests pass a fake one). This base
    class draws nothing (the silent case) and does not watch retries.
    """

    def __init__(
        self,
        description: str,
        *,
        total: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.description = description
        self.done = 0
        self.failed = 0
        self.total = total
        self._clock = clock
        self._started = clock()
        self._retries: deque[float] = deque()
        self._lock = threading.Lock()

    def set_total(self, total: int) -> None:
        """The number of targets, once they are listed (percentage and ETA from then on)."""
        with self._lock:
            self.total = total
        self._draw()

    def advance(self, result: AccountResult) -> None:
        """Count one finished account (``result.failed`` counts as a failure)."""
        with self._lock:
            self.done += 1
            self.failed += 1 if result.failed else 0
        self._draw()

    def retried(self) -> None:
        """Count one call that botocore is about to retry (any thread)."""
        with self._lock:
            self._retries.append(self._clock())
        self._draw()

    @property
    def recent_retries(self) -> int:
        """Calls retried in the last :data:`RETRY_WINDOW_SECONDS`."""
        with self._lock:
            horizon = self._clock() - RETRY_WINDOW_SECONDS
            while self._retries and self._retries[0] < horizon:
                self._retries.popleft()
            return len(self._retries)

    @property
    def rate(self) -> float | None:
        """Accounts per second since the display started; ``None`` before the first."""
        elapsed = self._clock() - self._started
        return self.done / elapsed if self.done and elapsed > 0 else None

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, when the total is known, else ``None``."""
        rate = self.rate
        if self.total is None or rate is None:
            return None
        return max(0, self.total - self.done) / rate

    def _draw(self) -> None:
        """Redraw; nothing in the silent case."""

    def _text(self) -> str:
        if self.total is None:
            accounts = "1 account" if self.done == 1 else f"{self.done} accounts"
            text = f"{self.description}: {accounts} done, {self.failed} failed"
        else:
            percent = 100 * self.done // self.total if self.total else 100
            text = (
                f"{self.description}: {self.done}/{self.total} accounts ({percent}%), "
                f"{self.failed} failed"
            )
        rate = self.rate
        if rate is not None:
            text += f", {rate:.1f}/s"
        eta = self.eta
        if eta is not None and self.total is not None and self.done < self.total:
            text += f", ETA {format_duration(eta)}"
        retries = self.recent_retries
        if retries:
            calls = "1 call" if retries == 1 else f"{retries} calls"
            text += (
                f" · {calls} retried in the last {RETRY_WINDOW_SECONDS:.0f} s "
                "(throttling or transient errors)"
            )
        return text

    def __enter__(self) -> Progress:
        self._started = self._clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class _RetryWatch(logging.Handler):
    """Feeds botocore's retry-handler log records into a progress display.

    While attached, each logger in :data:`RETRY_LOGGERS` that was not already enabled for
    DEBUG is set to DEBUG with ``propagate`` off, so its records reach this handler only
    (nothing new is printed); both are restored on :meth:`detach`.
    """

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.DEBUG)
        self._progress = progress
        self._saved: list[tuple[logging.Logger, int, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, str) and record.msg.startswith(_RETRY_MESSAGES):
            self._progress.retried()

    def attach(self) -> None:
        for name in RETRY_LOGGERS:
            logger = logging.getLogger(name)
            self._saved.append((logger, logger.level, logger.propagate))
            if not logger.isEnabledFor(logging.DEBUG):
                logger.setLevel(logging.DEBUG)
                logger.propagate = False
            logger.addHandler(self)

    def detach(self) -> None:
        for logger, level, propagate in self._saved:
            logger.removeHandler(self)
            logger.setLevel(level)
            logger.propagate = propagate
        self._saved.clear()


class _DrawingProgress(Progress):
    """A progress display that draws, and shows botocore's retries while it is active."""

    def __init__(self, description: str, **options: Any) -> None:
        super().__init__(description, **options)
        self._watch = _RetryWatch(self)

    def __enter__(self) -> Progress:
        super().__enter__()
        self._watch.attach()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._watch.detach()


class _PlainProgress(_DrawingProgress):
    def __init__(self, description: str, stream: IO[str], **options: Any) -> None:
        super().__init__(description, **options)
        self._stream = stream
        self._width = 0
        self._drawing = threading.Lock()

    def _draw(self) -> None:
        with self._drawing:
            text = self._text()
            self._stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
            self._stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        if self._width:
            self._stream.write("\n")
            self._stream.flush()


class _RichProgress(_DrawingProgress):
    def __init__(self, description: str, stream: IO[str], **options: Any) -> None:
        super().__init__(description, **options)
        from rich.console import Console
        from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress
        from rich.text import Text

        outer = self

        class _Status(ProgressColumn):
            """The same words as the plain counter, recomputed at every refresh (so the
            rate, the ETA and the retry note stay current between accounts)."""

            def render(self, task: Any) -> Text:
                return Text(outer._text())

        self._progress: Any = RichProgress(
            SpinnerColumn(),
            BarColumn(bar_width=20),
            _Status(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task: Any = None

    def __enter__(self) -> Progress:
        super().__enter__()
        self._progress.start()
        self._task = self._progress.add_task(self.description, total=self.total)
        return self

    def _draw(self) -> None:
        if self._task is not None:
            self._progress.update(self._task, total=self.total, completed=self.done)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        self._progress.stop()


class Totals:
    """The engine's ``on_targets`` hook: the number of targets, passed on to a progress
    display (:meth:`Progress.set_total`) once it is open.

    Give the same object as ``on_targets=`` to the engine and as ``totals=`` to
    ``root_access.cli.output.emit`` (or ``confirm.confirm_plan``); the engine lists the
    targets when the results are first read, inside them, so the total arrives before
    the first result.
    """

    def __init__(self) -> None:
        self.total: int | None = None
        self._sink: Callable[[int], None] | None = None

    def __call__(self, total: int) -> None:
        self.total = total
        if self._sink is not None:
            self._sink(total)

    def bind(self, sink: Callable[[int], None]) -> None:
        """Send the total to ``sink`` (now, when it is already known)."""
        self._sink = sink
        if self.total is not None:
            sink(self.total)


def progress_for(
    description: str,
    stream: IO[str],
    *,
    quiet: bool = False,
    total: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """The progress display for a run: silent unless ``stream`` is a terminal and not
    ``quiet``; ``rich`` when installed, else a plain ``\\r`` counter. ``total``: the
    number of targets when already known (else call :meth:`Progress.set_total` once
    they are listed); ``clock``: monotonic seconds (for the rate and the ETA)."""
    isatty = getattr(stream, "isatty", None)
    if quiet or isatty is None or not isatty():
        return Progress(description, total=total, clock=clock)
    try:
        return _RichProgress(description, stream, total=total, clock=clock)
    except ImportError:
        return _PlainProgress(description, stream, total=total, clock=clock)
