"""Smoke test of ``python -m benchmarks.reapply`` at 12 accounts: exact AWS call counts
(the benchmark's point), never timings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.server
def test_reapply_benchmark_counts_assume_root_calls(tmp_path: Path) -> None:
    # given
    output = tmp_path / "reapply.json"
    # when
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.reapply", "--accounts", "12", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    # then the tainted re-apply assumed only into the failed member (delete + verify), and
    # the changed request into every one of the 11 members
    assert run.returncode == 0, run.stderr
    result = json.loads(output.read_text())
    assert result["failing_member"] == "400000000005"
    assert (result["first"]["exit"], result["first"]["failed_accounts"]) == (1, ["400000000005"])
    assert result["reapply"]["exit"] == 0
    assert result["reapply"]["assume_root_calls"] == 2
    assert result["reapply"]["resume"]["skipped_accounts"] == 10
    assert result["afresh"]["resume"]["resumed"] is False
    assert result["afresh"]["assume_root_calls"] == 11
    assert result["met"] is True
