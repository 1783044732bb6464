"""Interruptions of a run (SIGINT, SIGTERM): stop cleanly, leave stdout parseable.

:func:`interruptions` (around one command, main thread only) makes SIGINT and SIGTERM
raise :class:`Interrupted` in the main thread; inside :func:`held` a signal waits until
the block ends, so a result row or a document's closing is never written in half. The
writer then closes what it started (:mod:`root_access.cli.output`) and ``main`` prints the
verb's hint and exits ``128 + signal number`` (130 for SIGINT, 143 for SIGTERM, the shell
convention). Worker threads are never interrupted: an account in progress finishes,
queued ones are cancelled (:func:`root_access.executor.run_bounded`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

__all__ = ["SIGNALS", "Interrupted", "exit_code", "held", "interruptions", "released"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""The signals a run stops cleanly on."""


class Interrupted(BaseException):
    """The run was interrupted by ``signum`` (a BaseException, like KeyboardInterrupt,
    so that no ``except Exception`` turns it into an account's failure)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        """``SIGINT`` or ``SIGTERM``."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """``128 + signum``: 130 for SIGINT, 143 for SIGTERM."""
        return exit_code(self.signum)


def exit_code(signum: int) -> int:
    """The exit code of a run interrupted by ``signum``: ``128 + signum``."""
    return 128 + int(signum)


class _State:
    depth = 0
    pending: int | None = None


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state.depth:
        _state.pending = _state.pending or signum
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while the block runs (a write that must not be cut in half);
    a signal that came meanwhile raises :class:`Interrupted` when the block ends."""
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
    if not _state.depth and _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise Interrupted(signum)


@contextlib.contextmanager
def released() -> Iterator[None]:
    """Inside :func:`held`, let signals land again for the block (the wait on the engine);
    one that came while held raises :class:`Interrupted` right away."""
    depth, _state.depth = _state.depth, 0
    try:
        if _state.pending is not None:
            signum, _state.pending = _state.pending, None
            raise Interrupted(signum)
        yield
    finally:
        _state.depth = depth


@contextlib.contextmanager
def interruptions() -> Iterator[None]:
    """Install the handlers for the block (main thread only; elsewhere a no-op), then
    restore the previous ones."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
    for signum in SIGNALS:
        previous[signum] = signal.signal(signum, _handler)
    _state.depth, _state.pending = 0, None
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        _state.depth, _state.pending = 0, None
