"""Simulator server under concurrent connections: per-call server CPU at 16, 100 and 1,000.

Run: ``.venv/bin/python -m benchmarks.simulator_load``; writes
``benchmarks/results/simulator_load.json`` (``--quick``: 16 and 100 only, written to
``benchmarks/results/raw/``, which git ignores).

For each level it starts a :class:`~root_access.simulator.SimulatorServer` (default
scenario), gives each of ``connections`` threads a boto3 client of its own (so a
connection of its own, no retries), releases them together and has each make
``sts:GetCallerIdentity`` and ``organizations:DescribeOrganization`` calls. The figure
compared is the server process's CPU time (``/proc/<pid>/stat`` utime + stime) during the
calls divided by the calls answered; errors are counted by code (a connection error by
its class name). Issue 13 reported ~0.9 ms at 16 connections and ~14 ms at 100 with the
thread-per-request server and its backlog of 128.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from root_access.simulator import SimulatorServer
from root_access.simulator.server import DEFAULT_MAX_WAITING, DEFAULT_WORKERS, LISTEN_BACKLOG

__all__ = ["main", "measure"]

LEVELS = (16, 100, 1_000)
CALLS = 2_000
"""Calls per level (spread over the connections, at least 2 per connection)."""
RESULTS = Path(__file__).resolve().parent / "results" / "simulator_load.json"
QUICK_RESULTS = RESULTS.parent / "raw" / "simulator_load.quick.json"


def _server_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(connections: int, *, calls: int = CALLS) -> dict[str, Any]:
    """One level: ``{connections, calls, server_cpu_ms_per_call, wall_seconds, outcomes}``."""
    per_connection = max(2, calls // connections)
    with SimulatorServer(keep_call_records=False) as server:
        session = boto3.Session(
            aws_access_key_id=server.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=server.env["AWS_SECRET_ACCESS_KEY"],
            region_name=server.env["AWS_REGION"],
        )
        config = Config(
            retries={"max_attempts": 1, "mode": "standard"},
            max_pool_connections=1,
            read_timeout=300,
        )
        clients = [
            (
                session.client("sts", endpoint_url=server.endpoint_url, config=config),
                session.client("organizations", endpoint_url=server.endpoint_url, config=config),
            )
            for _ in range(connections)
        ]
        start = threading.Barrier(connections + 1)
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()

        def run(index: int) -> None:
            sts, organizations = clients[index]
            start.wait()
            for number in range(per_connection):
                try:
                    if number % 2:
                        organizations.describe_organization()
                    else:
                        sts.get_caller_identity()
                    outcome = "ok"
                except ClientError as error:
                    outcome = str(error.response["Error"]["Code"])
                except (BotoCoreError, OSError) as error:
                    outcome = type(error).__name__
                with lock:
                    outcomes[outcome] += 1

        threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
        for thread in threads:
            thread.start()
        cpu_before = _server_cpu_seconds(server.pid)
        tick = time.perf_counter()
        start.wait()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - tick
        cpu = _server_cpu_seconds(server.pid) - cpu_before
    answered = sum(outcomes.values())
    return {
        "connections": connections,
        "calls": answered,
        "server_cpu_ms_per_call": round(1000 * cpu / answered, 3),
        "wall_seconds": round(wall, 2),
        "outcomes": dict(sorted(outcomes.items())),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each level, print and write the results; 1 when any call failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.simulator_load")
    parser.add_argument("--quick", action="store_true", help="16 and 100 connections only")
    arguments = parser.parse_args(argv)
    levels = LEVELS[:2] if arguments.quick else LEVELS
    rows = [measure(level) for level in levels]
    base = rows[0]["server_cpu_ms_per_call"]
    for row in rows:
        row["ratio_to_16"] = round(row["server_cpu_ms_per_call"] / base, 2) if base else None
        print(json.dumps(row), flush=True)
    report = {
        "benchmark": "simulator_load",
        "server": {
            "listen_backlog": LISTEN_BACKLOG,
            "workers": DEFAULT_WORKERS,
            "max_waiting": DEFAULT_MAX_WAITING,
        },
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "levels": rows,
    }
    target = QUICK_RESULTS if arguments.quick else RESULTS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    failed = any(set(row["outcomes"]) - {"ok"} for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
