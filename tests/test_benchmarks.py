"""Smoke test of the benchmark harness (``python -m benchmarks``): 5 accounts, no latency.

Timings are never asserted; only the shape of what the harness writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

RUN_KEYS = {
    "approach",
    "task",
    "accounts",
    "targets",
    "throttled",
    "wall_seconds",
    "accounts_per_second",
    "calls",
    "calls_per_second",
    "peak_rss_mb",
    "cpu_seconds",
    "server_cpu_seconds",
    "not_completed",
    "measured_targets",
    "extrapolated",
    "with_credentials",
    "calls_per_target",
    "note",
    "errors",
    "quota",
}
TARGET_KEYS = {"id", "target", "measured_at", "value", "threshold", "met", "note"}


@pytest.mark.server
@pytest.mark.terraform
def test_harness_writes_results_of_every_approach(tmp_path: Path):
    # given
    readme_before = (REPO / "README.md").read_text(encoding="utf-8")
    command = [
        sys.executable, "-m", "benchmarks", "--sizes", "5", "--latency-ms", "0",
        "--cli-budget", "1", "--output-dir", str(tmp_path),
    ]  # fmt: skip

    # when
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)

    # then
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == ""
    report = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert set(report) == {
        "benchmark", "mode", "started", "finished", "machine", "settings", "runs", "targets",
        "bound",
    }  # fmt: skip
    assert report["mode"] == "custom"
    assert report["settings"] == {
        "sizes": [5], "seed": 7, "with_credentials": 0.3, "max_workers": 32,
        "latency_ms": 0.0, "jitter": 0.0,
    }  # fmt: skip
    assert [(r["approach"], r["task"], r["throttled"]) for r in report["runs"]] == [
        ("engine", "audit", False),
        ("boto3-loop", "audit", False),
        ("aws-cli-loop", "audit", False),
        ("engine", "delete", False),
        ("boto3-loop", "delete", False),
        ("terraform", "plan", False),
        ("terraform", "apply", False),
        ("engine", "audit", True),
        ("boto3-loop", "audit", True),
        ("boto3-loop-adaptive", "audit", True),
        ("engine", "audit", False),
        ("engine-full", "audit", False),
    ]
    for run in report["runs"]:
        assert set(run) == RUN_KEYS
        assert (run["accounts"], run["targets"], run["not_completed"]) == (5, 4, 0), run
    cli = report["runs"][2]
    assert (cli["measured_targets"], cli["extrapolated"]) == (1, True)
    assert cli["note"] == "measured on 1 of 4 accounts"
    assert report["runs"][9]["quota"] == {
        "api": "sts:AssumeRoot", "rate": 10.0, "burst": 10.0, "per_account": False,
    }  # fmt: skip
    assert [t["id"] for t in report["targets"]] == [
        "audit_vs_aws_cli_loop",
        "audit_vs_boto3_loop",
        "delete_vs_boto3_loop",
        "per_account_10000_vs_1000",
        "peak_rss_10000",
        "clean_calls_per_account",
        "clean_summary_vs_full_wall",
        "throttled_none_lost",
        "throttled_time_5",
    ]
    assert all(set(t) == TARGET_KEYS for t in report["targets"])
    assert report["targets"][7]["met"] is True
    assert [r["with_credentials"] for r in report["runs"]] == [0.3] * 10 + [0.03] * 2
    for run in report["runs"]:
        assert run["calls_per_target"] == round(run["calls"] / run["measured_targets"], 2)
    # the exhaustive mode reads every kind: more calls than summary-first on one organization
    assert report["runs"][-1]["calls"] > report["runs"][-2]["calls"]
    assert report["targets"][6]["met"] is None  # measured at 5, the target is at 10,000
    assert (
        (tmp_path / "latest.md")
        .read_text(encoding="utf-8")
        .startswith("# Benchmark results (custom, ")
    )
    markdown = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "| engine-full | audit (3% with credentials) | 7.50 |" in markdown
    assert (tmp_path / "latest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (REPO / "README.md").read_text(encoding="utf-8") == readme_before
