"""Approach (d): the Terraform path, driven by :mod:`benchmarks.organization_scale`.

A private copy of ``modules/``, ``scripts/`` and ``src/root_access/`` gets the root
configuration ``benchmarks/terraform/main.tf``, which uses the audit module (``data
"external"`` over ``scripts/audit.py``) and the removal module (``terraform_data``
local-exec of ``scripts/delete.py``) for every account. ``terraform init`` runs from the
offline provider mirror (``terraform_offline``) and is not measured; the measured steps
are ``terraform plan -out`` (the audit and the scope listing run) and ``terraform apply``
of that saved plan (the removal runs; data sources are not read again).

``python -m benchmarks.terraform_path --accounts 10000`` measures Terraform at
organization scale on its own (issue 12): the engine's audit alone, then plan and apply
on the same organization, with the peak RSS of every process (its ``VmHWM``, sampled
every 0.2 s), the state and saved-plan sizes and the audit's
result mode; results in ``results/terraform/latest.json`` and ``latest.md``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from root_access.rules import MAX_WORKERS

__all__ = ["Step", "main", "measure_at_scale", "prepare"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "terraform"
REPORT = "audit.jsonl"
"""The audit report the benchmark configuration writes (its audit_report_path)."""
SUCCESS = frozenset(
    {"root_credentials_present", "no_root_credentials", "deleted", "already_absent"}
)
_IGNORE = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*", "*.tfplan", "__pycache__"
)


@dataclass(frozen=True)
class Step:
    """One measured Terraform command: ``completed(returncode)`` counts finished accounts."""

    name: str
    argv: list[str]
    cwd: Path
    completed: Callable[[int], int]


def _copy(work: Path) -> Path:
    root = work / "terraform"
    shutil.rmtree(root, ignore_errors=True)
    for part in ("modules", "scripts"):
        shutil.copytree(REPO / part, root / part, ignore=_IGNORE)
    shutil.copytree(REPO / "src" / "root_access", root / "src" / "root_access", ignore=_IGNORE)
    configuration = root / "benchmark"
    shutil.copytree(HERE / "terraform", configuration, ignore=_IGNORE)
    (configuration / "terraform.tfvars.json").write_text(
        json.dumps({"python_executable": sys.executable}), encoding="utf-8"
    )
    return configuration


def prepare(
    env: Mapping[str, str], work: Path, targets: frozenset[str]
) -> tuple[dict[str, str], list[Step]]:
    """Copy, write the provider mirror and ``terraform init``; return the environment to
    run Terraform with and the ``plan`` and ``apply`` steps.

    Raises ``subprocess.CalledProcessError`` when ``init`` fails, and
    ``terraform_offline``'s errors when no Terraform engine is usable.
    """
    from terraform_offline.mirror import prepare as prepare_mirror

    configuration = _copy(work)
    environment = {**env, **prepare_mirror(work / "mirror")}
    terraform = str(Path(environment["PATH"].split(":", 1)[0]) / "terraform")
    subprocess.run(
        [terraform, "init", "-input=false", "-no-color"],
        cwd=configuration,
        env=environment,
        check=True,
        capture_output=True,
    )

    def planned(returncode: int) -> int:
        # Accounts the plan's audit looked into, from its report (both result modes).
        report = configuration / REPORT
        if returncode != 0 or not report.exists():
            return 0
        audited = set()
        with report.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if record["outcome"] in SUCCESS:
                    audited.add(record["account_id"])
        return len(audited & targets)

    def applied(returncode: int) -> int:
        evidence = configuration / "evidence.jsonl"
        if not evidence.exists():
            return 0
        done = set()
        for line in evidence.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("record") == "account" and record.get("outcome") in SUCCESS:
                done.add(record["account_id"])
        return len(done & targets)

    plan = [terraform, "plan", "-input=false", "-no-color", "-out=bench.tfplan"]
    apply = [terraform, "apply", "-input=false", "-no-color", "bench.tfplan"]
    return environment, [
        Step("plan", plan, configuration, planned),
        Step("apply", apply, configuration, applied),
    ]


# --- Terraform at organization scale: ``python -m benchmarks.terraform_path`` -----------


def measure_at_scale(accounts: int, latency_ms: float, work: Path) -> dict[str, Any]:
    """The engine's audit alone, then ``terraform plan`` and ``apply`` of the benchmark
    configuration, on one generated organization of ``accounts`` accounts (seed 7, 30 %
    with root credentials) served by one simulator server. Returns the runs, the
    per-process peaks, the plan/state sizes, the audit's result mode and the ratios."""
    import os

    from benchmarks import organization_scale as scale
    from root_access.simulator import Scenario

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ROOT_ACCESS_"))}
    base_env.update(
        {
            "AWS_CONFIG_FILE": str(work / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(work / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    latency = {"latency_ms": latency_ms, "jitter": 0.2 if latency_ms else 0.0}
    scenario = Scenario.generate(
        accounts=accounts, with_credentials=scale.WITH_CREDENTIALS, seed=scale.SEED
    )
    targets = frozenset(scale._members(scenario))
    runs: list[dict[str, Any]] = []
    peaks: dict[str, dict[str, float]] = {}
    with scale._organization(scenario, base_env, latency) as bench:
        print(f"terraform_path: {accounts} accounts, engine audit", file=sys.stderr, flush=True)
        runs.append(asdict(scale._engine(bench, "audit", scenario, False, work)))
        peaks["engine audit"] = bench.peaks
        bench.env, steps = prepare(bench.env, work, targets)
        for step in steps:
            finished, calls, server_cpu = bench.measure(
                "terraform", step.name, step.argv, scenario=scenario, throttled=False,
                cwd=step.cwd,
            )  # fmt: skip
            peaks[f"terraform {step.name}"] = bench.peaks
            run = scale._run(
                "terraform", step.name, scenario, False, finished, calls, server_cpu,
                completed=step.completed(finished.returncode), measured=len(targets),
            )  # fmt: skip
            runs.append(asdict(run))
    configuration = steps[0].cwd
    state = configuration / "terraform.tfstate"
    plan = configuration / "bench.tfplan"
    summary = json.loads(state.read_text(encoding="utf-8")) if state.exists() else {}
    outputs = {name: item.get("value") for name, item in summary.get("outputs", {}).items()}
    engine, planned, applied = runs
    return {
        "accounts": accounts,
        "targets": len(targets),
        "latency_ms": latency_ms,
        "runs": runs,
        "process_peaks_mb": peaks,
        "state_mb": round(state.stat().st_size / 2**20, 2) if state.exists() else None,
        "plan_file_mb": round(plan.stat().st_size / 2**20, 2) if plan.exists() else None,
        "audit_result_mode": outputs.get("result_mode"),
        "report_mb": round((configuration / REPORT).stat().st_size / 2**20, 2)
        if (configuration / REPORT).exists()
        else None,
        "ratios": {
            "plan_wall_vs_engine_audit": round(planned["wall_seconds"] / engine["wall_seconds"], 3),
            "largest_process_rss_mb": max(planned["peak_rss_mb"], applied["peak_rss_mb"]),
        },
    }


def markdown(result: Mapping[str, Any]) -> str:
    """The results as a Markdown page (``latest.md``)."""
    machine = result["machine"]
    lines = [
        f"# Terraform at {result['accounts']:,} accounts ({result['started']})",
        "",
        f"Machine: {machine['cpus']} CPUs shared with other engineers' work (load average "
        f"{machine['load_average_start']} at start, {machine['load_average_end']} at the end), "
        f"Python {machine['python']}. Organization: `Scenario.generate(accounts="
        f"{result['accounts']}, with_credentials=0.3, seed=7)`, {result['targets']:,} ACTIVE "
        f"members; latency {result['latency_ms']:g} ms per call; {MAX_WORKERS.default} workers. "
        f"Audit result "
        f"mode: {result['audit_result_mode']}.",
        "",
        "| step | wall s | peak RSS MB (largest process) | AWS calls | CPU s (client / server) "
        "| not completed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in result["runs"]:
        name = f"{run['approach']} {run['task']}"
        lines.append(
            f"| {name} | {run['wall_seconds']:.1f} | {run['peak_rss_mb']:.0f} | {run['calls']:,} "
            f"| {run['cpu_seconds']:.1f} / {run['server_cpu_seconds']:.1f} "
            f"| {run['not_completed']} |"
        )
    lines += ["", "Peak RSS per process (MB, sampled every 0.5 s):", ""]
    for step, peaks in result["process_peaks_mb"].items():
        listed = ", ".join(f"`{name}` {mb:.0f}" for name, mb in sorted(peaks.items()))
        lines.append(f"- {step}: {listed}")
    ratios = result["ratios"]
    lines += [
        "",
        f"- plan wall / engine audit wall: {ratios['plan_wall_vs_engine_audit']:.2f} "
        "(target at most 1.3)",
        f"- largest process of plan and apply: {ratios['largest_process_rss_mb']:.0f} MB "
        "(target under 300)",
        f"- state {result['state_mb']} MB, saved plan {result['plan_file_mb']} MB, audit "
        f"report {result['report_mb']} MB",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.terraform_path [--accounts N] [--latency-ms MS]
    [--output-dir DIR]``: measure, write ``latest.json`` and ``latest.md``. Exit 0; an
    unmet target is a result, not a failure."""
    import argparse
    import os
    import platform
    import tempfile
    from datetime import datetime, timezone

    parser = argparse.ArgumentParser(prog="python -m benchmarks.terraform_path")
    parser.add_argument("--accounts", type=int, default=10000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    arguments = parser.parse_args(argv)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    load_start = [round(x, 1) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="root-access-tf-bench-") as directory:
        measured = measure_at_scale(arguments.accounts, arguments.latency_ms, Path(directory))
    result = {
        "benchmark": "terraform_path",
        "started": started,
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count() or 1,
            "python": platform.python_version(),
            "load_average_start": load_start,
            "load_average_end": [round(x, 1) for x in os.getloadavg()],
            "shared": True,
        },
        **measured,
    }
    output = arguments.output_dir
    output.mkdir(parents=True, exist_ok=True)
    (output / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (output / "latest.md").write_text(markdown(result), encoding="utf-8")
    sys.stderr.write(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
