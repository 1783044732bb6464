"""Progress on stderr (root_access.progress): silent unless stderr is a terminal."""

from __future__ import annotations

import io
import sys

import pytest

from root_access import AccountResult, Outcome
from root_access.progress import Progress, progress_for


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


RESULTS = (
    AccountResult("222222222222", Outcome.ROOT_CREDENTIALS_PRESENT),
    AccountResult("555555555555", Outcome.BLOCKED_BY_SCP),
)


def _advance(progress: Progress) -> None:
    with progress:
        for result in RESULTS:
            progress.advance(result)


def test_silent_when_stderr_is_not_a_terminal() -> None:
    # given a pipe
    stream = io.StringIO()
    # when
    progress = progress_for("audit", stream)
    _advance(progress)
    # then
    assert (stream.getvalue(), progress.done, progress.failed) == ("", 2, 1)


def test_silent_when_quiet_even_on_a_terminal() -> None:
    # given a terminal and -q
    stream = _Terminal()
    # when
    _advance(progress_for("audit", stream, quiet=True))
    # then
    assert stream.getvalue() == ""


def test_plain_counter_on_a_terminal_without_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a terminal and no rich
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    stream = _Terminal()
    # when
    _advance(progress_for("audit", stream))
    # then
    assert stream.getvalue() == (
        "\raudit: 1 accounts done, 0 failed\raudit: 2 accounts done, 1 failed\n"
    )


def test_rich_display_on_a_terminal_ends_with_the_final_count() -> None:
    # given a terminal and rich
    stream = _Terminal()
    # when
    _advance(progress_for("audit", stream))
    # then
    assert "audit: 2 accounts done, 1 failed" in stream.getvalue()
