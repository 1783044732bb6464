"""Progress of a long run on stderr, for people at a terminal.

Silent when stderr is not a terminal (pipelines, Terraform, tests) or with ``-q``, so
logs and results stay clean. Uses ``rich`` (the ``cli`` extra) when installed, imported
lazily; otherwise a one-line ``\\r`` counter. The number of accounts is not known in
advance (results stream from the engine), so progress shows a count, the failures so
far and the elapsed time rather than a percentage.
"""

from __future__ import annotations

from types import TracebackType
from typing import IO, Any

from root_access.results import AccountResult

__all__ = ["Progress", "progress_for"]


class Progress:
    """Counts accounts as they complete. Use as a context manager; call :meth:`advance`.

    This base class draws nothing (the silent case).
    """

    def __init__(self, description: str) -> None:
        self.description = description
        self.done = 0
        self.failed = 0

    def advance(self, result: AccountResult) -> None:
        """Count one finished account (``result.failed`` counts as a failure)."""
        self.done += 1
        self.failed += 1 if result.failed else 0
        self._draw()

    def _draw(self) -> None:
        """Redraw; nothing in the silent case."""

    def _text(self) -> str:
        return f"{self.description}: {self.done} accounts done, {self.failed} failed"

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class _PlainProgress(Progress):
    def __init__(self, description: str, stream: IO[str]) -> None:
        super().__init__(description)
        self._stream = stream

    def _draw(self) -> None:
        self._stream.write("\r" + self._text())
        self._stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.done:
            self._stream.write("\n")
            self._stream.flush()


class _RichProgress(Progress):
    def __init__(self, description: str, stream: IO[str]) -> None:
        super().__init__(description)
        from rich.console import Console
        from rich.progress import Progress as RichProgress
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress: Any = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task: Any = None

    def __enter__(self) -> Progress:
        self._progress.start()
        self._task = self._progress.add_task(self._text(), total=None)
        return self

    def _draw(self) -> None:
        if self._task is not None:
            self._progress.update(self._task, description=self._text())

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()


def progress_for(description: str, stream: IO[str], *, quiet: bool = False) -> Progress:
    """The progress display for a run: silent unless ``stream`` is a terminal and not
    ``quiet``; ``rich`` when installed, else a plain ``\\r`` counter."""
    isatty = getattr(stream, "isatty", None)
    if quiet or isatty is None or not isatty():
        return Progress(description)
    try:
        return _RichProgress(description, stream)
    except ImportError:
        return _PlainProgress(description, stream)
