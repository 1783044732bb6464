"""Worker counts measured against each other (issue 12, part 4).

``python -m benchmarks.concurrency [--accounts 1000] [--workers 16,32,64]
[--output benchmarks/results/concurrency.json]``

The organization of ``organization_scale`` (``Scenario.generate``, 30 % of the members
with root credentials, seed 7) on one simulator server with 50 ms ± 20 % per call. The
engine's audit (``root-access audit --all --max-workers N``, summary-first reads) runs
once per worker count, then again with an ``sts:AssumeRoot`` quota (one shared token
bucket, ``organization_scale.throttle_for``: 25 calls/s, burst 25 at 1,000 targets).

Per run: wall time, AWS calls, the latency floor (calls x latency / workers), the
forced time of the quota, the simulator's CPU seconds (one process: at most one CPU,
the bound when the floor falls below it) and accounts not completed. Reported, never
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.organization_scale import (
    BIN,
    LATENCY,
    SEED,
    SUCCESS,
    WITH_CREDENTIALS,
    _members,
    _organization,
    forced_seconds,
    throttle_for,
)
from root_access.simulator import Scenario

__all__ = ["main"]

HERE = Path(__file__).resolve().parent


def _audit(bench: Any, scenario: Scenario, workers: int, work: Path) -> dict[str, Any]:
    output = work / f"audit-{workers}.json"
    command = [
        str(BIN / "root-access"), "audit", "--all", "--max-workers", str(workers),
        "--format", "json", "--output", str(output), "--quiet",
    ]  # fmt: skip
    finished, calls, server_cpu = bench.measure(
        f"engine x{workers}", "audit", command, scenario=scenario, throttled=False
    )
    counts = bench.server.call_counts()
    results = json.loads(output.read_text(encoding="utf-8"))["results"] if output.exists() else []
    output.unlink(missing_ok=True)
    targets = set(_members(scenario))
    completed = sum(1 for r in results if r["account_id"] in targets and r["outcome"] in SUCCESS)
    assume_roots = sum(n for (_, action, code), n in counts.items() if action == "AssumeRoot")
    throttled = sum(n for (_, _, code), n in counts.items() if code == "Throttling")
    latency_floor = calls * LATENCY["latency_ms"] / 1000 / workers
    return {
        "workers": workers,
        "wall_seconds": round(finished.wall_seconds, 2),
        "calls": calls,
        "assume_root_calls": assume_roots,
        "throttled_answers": throttled,
        "calls_per_targets": round(calls / len(targets), 2),
        "latency_floor_seconds": round(latency_floor, 2),
        "wall_over_latency_floor": round(finished.wall_seconds / latency_floor, 2),
        "client_cpu_seconds": round(finished.cpu_seconds, 2),
        "server_cpu_seconds": round(server_cpu, 2),
        "peak_rss_mb": round(finished.peak_rss_mb, 1),
        "not_completed": len(targets) - completed,
        "exit": finished.returncode,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every worker count with and without the quota; write the JSON result."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.concurrency")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument(
        "--workers", type=lambda v: [int(x) for x in v.split(",")], default=[16, 32, 64]
    )
    parser.add_argument("--output", type=Path, default=HERE / "results" / "concurrency.json")
    arguments = parser.parse_args(argv)
    scenario = Scenario.generate(
        accounts=arguments.accounts, with_credentials=WITH_CREDENTIALS, seed=SEED
    )
    targets = len(_members(scenario))
    quota = throttle_for(targets)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="root-access-concurrency-") as directory:
        work = Path(directory)
        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ROOT_ACCESS_"))
        }
        base_env.update(
            {
                "AWS_CONFIG_FILE": str(work / "no-aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(work / "no-aws-credentials"),
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        for throttled in (False, True):
            faults: dict[str, Any] = dict(LATENCY)
            if throttled:
                faults["throttle"] = [quota]
            with _organization(scenario, base_env, faults) as bench:
                for workers in arguments.workers:
                    run = _audit(bench, scenario, workers, work)
                    run["throttled"] = throttled
                    if throttled:
                        forced = forced_seconds(targets, quota)
                        run["forced_seconds"] = round(forced, 2)
                        run["wall_over_forced"] = round(run["wall_seconds"] / forced, 2)
                    runs.append(run)
    result = {
        "benchmark": "concurrency",
        "accounts": arguments.accounts,
        "targets": targets,
        "latency": LATENCY,
        "quota": quota,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "runs": runs,
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
