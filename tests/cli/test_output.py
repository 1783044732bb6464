"""root_access.cli.output.emit when the engine's stream is interrupted: the document is
closed on stdout, and an --output file is left as it was."""

from __future__ import annotations

import argparse
import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from root_access import AccountResult, summarize
from root_access.cli.output import emit
from root_access.cli.signals import Interrupted
from root_access.outcomes import Outcome

DONE = AccountResult(account_id="333333333333", outcome=Outcome.NO_ROOT_CREDENTIALS)


def _args(**given: object) -> argparse.Namespace:
    return argparse.Namespace(**{"format": "json", "output": None, "quiet": True, **given})


def _stream(signum: int) -> Iterator[AccountResult]:
    """One account done, then the signal lands while the engine works on the next."""
    yield DONE
    raise Interrupted(signum)


def test_an_interrupted_stream_closes_the_json_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given / when
    with pytest.raises(Interrupted) as stopped:
        emit(_args(), _stream(signal.SIGTERM), description="audit")
    # then
    document = json.loads(capsys.readouterr().out)
    assert stopped.value.exit_code == 143
    assert document == {
        "results": [DONE.to_dict()],
        # the summary of what was reported (its sentence is tested in test_render.py),
        # with the run's exit code
        "summary": {**summarize([DONE]).to_dict(), "exit_code": 143},
        "interrupted": True,
        "signal": "SIGTERM",
    }


def test_an_interrupted_run_leaves_the_output_file_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given the results of an earlier run
    output = tmp_path / "audit.json"
    output.write_text('{"earlier": true}\n')
    # when
    with pytest.raises(Interrupted):
        emit(_args(output=str(output)), _stream(signal.SIGINT), description="audit")
    # then the file is untouched, no temporary file is left, and stdout got nothing
    assert output.read_text() == '{"earlier": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["audit.json"]
    assert capsys.readouterr().out == ""


def test_an_interrupted_table_ends_with_the_summary_and_a_line_saying_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given / when
    with pytest.raises(Interrupted):
        emit(_args(format="table"), _stream(signal.SIGINT), description="audit")
    # then the account done so far is drawn, then the summary and the interruption
    lines = capsys.readouterr().out.splitlines()
    assert any("333333333333" in line for line in lines[:-2])
    assert lines[-2:] == [
        "1 account: 0 hold root credentials, 1 holds none",
        "interrupted by SIGINT: results so far only; accounts in progress or not started are "
        "not listed",
    ]
