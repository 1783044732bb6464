"""Progress on stderr (root_access.cli.progress): silent unless stderr is a terminal; total,
percentage, rate, ETA and a note while botocore retries calls."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from root_access import AccountResult, Outcome, audit
from root_access.cli.progress import RETRY_LOGGERS, Progress, format_duration, progress_for
from root_access.selection import Selection
from root_access.simulator import Scenario, Simulator


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    """Monotonic seconds that the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


RESULTS = (
    AccountResult("222222222222", Outcome.ROOT_CREDENTIALS_PRESENT),
    AccountResult("555555555555", Outcome.BLOCKED_BY_SCP),
)


def _advance(progress: Progress, clock: _Clock | None = None) -> None:
    with progress:
        for result in RESULTS:
            if clock is not None:
                clock.now += 2
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
    _advance(progress_for("audit", stream, quiet=True, total=2))
    # then
    assert stream.getvalue() == ""


def test_plain_counter_without_a_total_shows_count_failures_and_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a terminal, no rich, and an account every 2 seconds
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    stream, clock = _Terminal(), _Clock()
    # when
    _advance(progress_for("audit", stream, clock=clock), clock)
    # then
    assert stream.getvalue() == (
        "\raudit: 1 account done, 0 failed, 0.5/s\raudit: 2 accounts done, 1 failed, 0.5/s\n"
    )


def test_plain_counter_with_a_total_shows_percentage_and_eta(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given 400 targets, one account done every 2 seconds
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    stream, clock = _Terminal(), _Clock()
    progress = progress_for("audit", stream, clock=clock)
    # when the targets are listed, then two accounts finish
    with progress:
        progress.set_total(400)
        for result in RESULTS:
            clock.now += 2
            progress.advance(result)
    # then
    assert stream.getvalue().split("\r")[1:] == [
        "audit: 0/400 accounts (0%), 0 failed",
        "audit: 1/400 accounts (0%), 0 failed, 0.5/s, ETA 13m 18s",
        "audit: 2/400 accounts (0%), 1 failed, 0.5/s, ETA 13m 16s\n",
    ]


def test_percentage_reaches_100_and_the_eta_disappears() -> None:
    # given a silent progress over two targets
    clock = _Clock()
    progress = Progress("delete-credentials", total=2, clock=clock)
    # when
    _advance(progress, clock)
    # then
    assert progress._text() == "delete-credentials: 2/2 accounts (100%), 1 failed, 0.5/s"
    assert progress.eta == 0


def test_a_shorter_line_blanks_the_rest_of_the_longer_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a plain counter that showed a retry note
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    stream, clock = _Terminal(), _Clock()
    progress = progress_for("audit", stream, clock=clock)
    with progress:
        progress.retried()
        # when the note expires (31 s later) and an account finishes
        clock.now += 31
        progress.advance(RESULTS[0])
    # then the second line is padded to the first one's length
    first, second = stream.getvalue().rstrip("\n").split("\r")[1:]
    assert first == (
        "audit: 0 accounts done, 0 failed · 1 call retried in the last 30 s "
        "(throttling or transient errors)"
    )
    assert second == "audit: 1 account done, 0 failed, 0.0/s".ljust(len(first))


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0s"), (42.4, "42s"), (458, "7m 38s"), (7500, "2h 05m"), (-3, "0s")],
)
def test_format_duration(seconds: float, expected: str) -> None:
    # given / when / then
    assert format_duration(seconds) == expected


def test_rich_display_on_a_terminal_ends_with_the_final_count() -> None:
    # given a terminal and rich
    stream, clock = _Terminal(), _Clock()
    # when
    _advance(progress_for("audit", stream, total=2, clock=clock), clock)
    # then
    assert "audit: 2/2 accounts (100%), 1 failed, 0.5/s" in stream.getvalue()


@pytest.fixture
def simulator_scenario() -> Scenario:
    """The default organization; IAM answers 503 twice to the first GetAccountSummary
    calls (botocore retries them)."""
    data = Scenario.default().to_dict()
    data["faults"] = {"errors": [{"api": "iam:GetAccountSummary", "count": 2, "status": 503}]}
    return Scenario.from_dict(data)


def test_retries_of_a_real_run_show_a_note_and_print_nothing_else(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a terminal without rich, and an audit whose first IAM calls answer 503
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    stream = _Terminal()
    levels = [(logging.getLogger(n).level, logging.getLogger(n).propagate) for n in RETRY_LOGGERS]
    # when
    with progress_for("audit", stream) as progress:
        for result in audit(simulator.session(), selection=Selection(all=True), max_workers=1):
            progress.advance(result)
    # then the display said so, and the audit still finished
    assert progress.done == 8
    assert "2 calls retried in the last 30 s (throttling or transient errors)" in stream.getvalue()
    # and botocore's debug records went nowhere else; the loggers are as they were
    assert not [r for r in caplog.records if r.name in RETRY_LOGGERS]
    assert [
        (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in RETRY_LOGGERS
    ] == levels


def test_a_silent_progress_does_not_watch_retries(simulator: Simulator) -> None:
    # given a pipe
    stream = io.StringIO()
    # when
    with progress_for("audit", stream) as progress:
        for result in audit(simulator.session(), selection=Selection(all=True), max_workers=1):
            progress.advance(result)
    # then
    assert (stream.getvalue(), progress.recent_retries) == ("", 0)


def test_the_cli_gives_the_total_before_the_first_result_with_one_listing(
    cli_env: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given stderr at a terminal and the plain counter
    from root_access.cli import main

    monkeypatch.setitem(sys.modules, "rich.progress", None)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    # when the whole organization is audited
    code = main(["audit", "--all", "--format", "json"])
    document = json.loads(capsys.readouterr().out)

    # then the first drawing already shows the total, every drawing too, and the
    # organization's accounts were listed once
    total = document["summary"]["total"]
    drawn = [part for part in terminal.getvalue().split("\r") if part.startswith("audit:")]
    assert code == 1
    assert drawn[0] == f"audit: 0/{total} accounts (0%), 0 failed"
    assert [part for part in drawn if f"/{total} accounts (" not in part] == []
    assert drawn[-1].startswith(f"audit: {total}/{total} accounts (100%)")
    assert sum(1 for call in cli_env.calls if call.action == "ListAccounts") == 1


def test_the_dry_run_before_the_question_shows_the_total_too(
    cli_env: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a person at a terminal who answers "n", and the plain counter
    from root_access.cli import main

    class _Keyboard(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setitem(sys.modules, "rich.progress", None)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\n"))

    # when a deletion over the whole organization is planned and refused
    code = main(["delete-credentials", "--all", "--format", "json"])
    capsys.readouterr()

    # then the planning display had its total from its first line; nothing was changed
    drawn = [part for part in terminal.getvalue().split("\r") if part.startswith("delete")]
    assert code == 2
    assert drawn[0] == "delete-credentials (planning): 0/8 accounts (0%), 0 failed"
    assert [call for call in cli_env.calls if call.action.startswith("Delete")] == []
