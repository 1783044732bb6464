"""Smoke test of ``python -m benchmarks.terraform_path`` (Terraform at organization
scale): 5 accounts, no latency. Only the shape of what it writes is checked, never a
timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.server
@pytest.mark.terraform
def test_terraform_path_measures_engine_plan_and_apply_on_one_organization(tmp_path: Path):
    # given
    command = [
        sys.executable, "-m", "benchmarks.terraform_path", "--accounts", "5",
        "--latency-ms", "0", "--output-dir", str(tmp_path),
    ]  # fmt: skip
    # when
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    # then
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == ""
    result = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert [(run["approach"], run["task"]) for run in result["runs"]] == [
        ("engine", "audit"),
        ("terraform", "plan"),
        ("terraform", "apply"),
    ]
    assert [run["not_completed"] for run in result["runs"]] == [0, 0, 0]
    assert (result["accounts"], result["targets"], result["latency_ms"]) == (5, 4, 0.0)
    assert result["audit_result_mode"] == "full"  # 5 accounts: auto is full
    assert result["machine"]["shared"] is True
    steps = ["engine audit", "terraform apply", "terraform plan"]
    assert sorted(result["process_peaks_mb"]) == steps
    assert "audit.py" in result["process_peaks_mb"]["terraform plan"]
    assert "delete.py" in result["process_peaks_mb"]["terraform apply"]
    assert set(result["ratios"]) == {"plan_wall_vs_engine_audit", "largest_process_rss_mb"}
    assert result["report_mb"] is not None
    assert result["state_mb"] is not None
    page = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert page.startswith("# Terraform at 5 accounts (")
    assert "shared with other engineers' work" in page
