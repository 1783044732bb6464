"""``make demo`` (``python examples/demo/demo.py``): real offline Terraform against the
simulator server's demo organization."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.terraform, pytest.mark.server]


def test_demo_turns_everything_on_and_removes_what_it_may() -> None:
    # when
    run = subprocess.run(
        [sys.executable, str(Path(__file__).parents[1] / "examples" / "demo" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    # then
    lines = [line for line in run.stderr.splitlines() if line.startswith("demo: ")]
    assert run.returncode == 0, run.stderr[-2000:]
    assert "demo: enabled features: RootCredentialsManagement, RootSessions" in lines
    assert "demo: IAM delegated administrator: 333333333333" in lines
    assert "demo: member accounts with root credentials: 23 before, 2 after" in lines
    assert [line for line in lines if "still holds" in line] == [
        "demo:   still holds root credentials: 100000000032 (sandbox-lab: blocked by an SCP)",
        "demo:   still holds root credentials: 100000000033 (retired-1: SUSPENDED)",
    ]
    assert "Apply complete" not in run.stdout  # the removal resource fails on the SCP account
    assert "1 account(s) failed: 100000000032" in run.stdout + run.stderr
