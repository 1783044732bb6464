"""Simulator calls per second at 100, 1,000 and 10,000 accounts.

Run: ``.venv/bin/python -m benchmarks.simulator_throughput``; writes
``benchmarks/results/simulator_throughput.json`` (``--quick``: a smoke run written to
``benchmarks/results/raw/``, which git ignores).

For each size it builds a generated organization (seed 7, 30 % with credentials) into
the in-process simulator, then, for the same number of ACTIVE member accounts at every
size, makes the calls an audit makes per account: ``organizations:DescribeAccount``,
``sts:AssumeRoot`` (audit task), then in the root session ``iam:GetAccountSummary`` and
``iam:ListMFADevices``, and ``sts:GetCallerIdentity`` as the pipeline user. Only the
time inside the calls counts (not client construction). Client and simulator share the
process, so the process CPU time per call (``time.process_time``) is the figure compared:
wall-clock time is reported too, but on a shared machine it mostly measures the load.
Each size is measured ``repeats`` times, in turn, and the best run kept. Acceptance
(issue 2): the CPU time per call at 10,000 accounts is within 1.5x of the time at 100.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3
import moto

from root_access.simulator import Scenario, Simulator

__all__ = ["main", "measure"]

SIZES = (100, 1_000, 10_000)
AUDIT_TASK: Any = {"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}
RESULTS = Path(__file__).resolve().parent / "results" / "simulator_throughput.json"
QUICK_RESULTS = RESULTS.parent / "raw" / "simulator_throughput.quick.json"
"""Smoke runs (``--quick``) write here (git-ignored), never over the measured figures."""
ACCEPTANCE_RATIO = 1.5


def measure(accounts: int, *, targets: int, rounds: int, seed: int = 7) -> dict[str, Any]:
    """Build ``accounts`` accounts and time ``rounds`` passes over ``targets`` members.

    Returns ``{accounts, build_seconds, calls, cpu_seconds, calls_per_cpu_second,
    cpu_ms_per_call, wall_seconds, calls_per_second, ms_per_call}``.
    """
    scenario = Scenario.generate(accounts=accounts, with_credentials=0.3, seed=seed)
    started = time.perf_counter()
    with Simulator(scenario, keep_call_records=False) as simulator:
        build_seconds = time.perf_counter() - started
        management = scenario.organizations[0].management_account.id
        members = [
            a.id for _, a in scenario.accounts() if a.state == "ACTIVE" and a.id != management
        ]
        chosen = random.Random(seed).sample(members, targets)
        session = simulator.session()
        organizations = session.client("organizations")
        sts = session.client("sts")
        spent = cpu = 0.0
        calls_before = simulator.call_log.total
        for _ in range(rounds):
            for account_id in chosen:
                tick, cpu_tick = time.perf_counter(), time.process_time()
                organizations.describe_account(AccountId=account_id)
                credentials = sts.assume_root(TargetPrincipal=account_id, TaskPolicyArn=AUDIT_TASK)[
                    "Credentials"
                ]
                spent += time.perf_counter() - tick
                cpu += time.process_time() - cpu_tick
                iam = boto3.Session(
                    aws_access_key_id=credentials["AccessKeyId"],
                    aws_secret_access_key=credentials["SecretAccessKey"],
                    aws_session_token=credentials["SessionToken"],
                    region_name=simulator.region,
                ).client("iam")
                tick, cpu_tick = time.perf_counter(), time.process_time()
                iam.get_account_summary()
                iam.list_mfa_devices()
                sts.get_caller_identity()
                spent += time.perf_counter() - tick
                cpu += time.process_time() - cpu_tick
        calls = simulator.call_log.total - calls_before
    return {
        "accounts": accounts,
        "build_seconds": round(build_seconds, 3),
        "calls": calls,
        "cpu_seconds": round(cpu, 3),
        "calls_per_cpu_second": round(calls / cpu, 1),
        "cpu_ms_per_call": round(1000 * cpu / calls, 3),
        "wall_seconds": round(spent, 3),
        "calls_per_second": round(calls / spent, 1),
        "ms_per_call": round(1000 * spent / calls, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size, print a table to stderr and write the JSON results."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.simulator_throughput")
    parser.add_argument("--quick", action="store_true", help="fewer calls (a smoke run)")
    parser.add_argument("--output", type=Path, help=f"default: {RESULTS.name}")
    arguments = parser.parse_args(argv)
    output = arguments.output or (QUICK_RESULTS if arguments.quick else RESULTS)
    targets, rounds, repeats = (20, 1, 1) if arguments.quick else (50, 2, 2)
    measure(100, targets=10, rounds=1)  # warm up imports and botocore's model caches
    best: dict[int, dict[str, Any]] = {}
    for _ in range(repeats):
        for size in SIZES:
            row = measure(size, targets=targets, rounds=rounds)
            if size not in best or row["cpu_ms_per_call"] < best[size]["cpu_ms_per_call"]:
                best[size] = row
    results = [best[size] for size in SIZES]
    ratio = results[-1]["cpu_ms_per_call"] / results[0]["cpu_ms_per_call"]
    report = {
        "benchmark": "simulator_throughput",
        "moto": moto.__version__,
        "python": platform.python_version(),
        "calls_per_account": 5,
        "targets": targets,
        "rounds": rounds,
        "repeats": repeats,
        "results": results,
        "cpu_per_call_ratio_10000_to_100": round(ratio, 3),
        "wall_per_call_ratio_10000_to_100": round(
            results[-1]["ms_per_call"] / results[0]["ms_per_call"], 3
        ),
        "acceptance": f"CPU time per call at 10,000 accounts within {ACCEPTANCE_RATIO}x of 100",
        "passed": ratio <= ACCEPTANCE_RATIO,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for row in results:
        print(
            f"{row['accounts']:>6} accounts: build {row['build_seconds']:>6.2f} s, "
            f"{row['calls_per_cpu_second']:>7.1f} calls/CPU-s ({row['cpu_ms_per_call']:.2f} ms), "
            f"wall {row['calls_per_second']:>7.1f} calls/s ({row['ms_per_call']:.2f} ms)",
            file=sys.stderr,
        )
    print(
        f"CPU per-call ratio 10,000/100: {ratio:.2f} (passed: {report['passed']})", file=sys.stderr
    )
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
