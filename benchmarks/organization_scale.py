"""Organization-scale audit and deletion, side by side with what users would otherwise run.

``python -m benchmarks [--quick|--full]`` (``make bench`` is ``--quick``). For each
organization size a generated scenario (``Scenario.generate``, 30 % of the members with
root credentials, seed 7) is served by ONE simulator server (a child process) with a
per-call latency of 50 ms ± 20 %, and every approach runs against it in its own process,
one after the other:

- ``engine``: ``root-access audit --all`` and ``root-access delete-credentials --all``
  (summary-first reads, the default ``--detail summary``);
- ``aws-cli-loop``: ``benchmarks/aws_cli_loop.sh``, the sequential ``aws`` loop (audit,
  the same summary-first reads), on every account with ``--full``;
- ``boto3-loop``: ``benchmarks/handwritten.py``, the minimal concurrent loop making the
  same calls with the same worker count (the floor for the engine's overhead);
- ``terraform``: ``terraform plan`` with the audit data source and ``terraform apply``
  of the removal (``benchmarks/terraform/``), at 1,000 and 10,000 accounts (``--quick``:
  100);
- ``engine`` and ``engine-full`` on a mostly clean organization (3 % of the members with
  root credentials, the state after a removal): ``root-access audit --all`` against
  ``--detail full`` (exhaustive reads), at the largest size.

Deletion changes the organization, so each deletion runs on a fresh server built from the
same scenario (identical organization). Then the audits run again with a throttling
quota on ``sts:AssumeRoot`` (one shared token bucket, ``rate`` per second, burst
``rate``), which forces at least ``(accounts - burst) / rate`` seconds.

Measured per run: wall time (seconds), accounts per second, AWS calls (the server's call
counters, throttled answers included) per second, peak RSS of the measured process
tree (the largest ``VmHWM`` of its processes, sampled every 0.2 s; ``ru_maxrss`` only
when nothing was sampled, which on Linux includes the harness's own RSS), CPU seconds
of the measured process tree and of the simulator server, and accounts not completed
(ACTIVE members without a successful outcome). Results: ``results/latest.json``, ``latest.md``,
``latest.png`` and the README's table between its BENCH markers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psutil

from root_access.rules import MAX_WORKERS as MAX_WORKERS_RULE
from root_access.simulator import Scenario, SimulatorServer

__all__ = ["Run", "main", "measure"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
README = REPO / "README.md"
BEGIN, END = "<!-- BEGIN_BENCH -->", "<!-- END_BENCH -->"

SEED = 7
WITH_CREDENTIALS = 0.3
CLEAN_WITH_CREDENTIALS = 0.03
"""The mostly clean organization of the summary-first comparison (97 % of members clean)."""
MAX_WORKERS = MAX_WORKERS_RULE.default
"""Every approach runs with the engine's default worker count (``root_access.rules``)."""
LATENCY = {"latency_ms": 50.0, "jitter": 0.2}
SUCCESS = frozenset(
    {"root_credentials_present", "no_root_credentials", "deleted", "already_absent"}
)
BIN = Path(sys.executable).parent


@dataclass
class Run:
    """One approach on one organization. Times in seconds, memory in MB."""

    approach: str
    task: str
    accounts: int
    targets: int
    throttled: bool
    wall_seconds: float
    accounts_per_second: float
    calls: int
    calls_per_second: float
    peak_rss_mb: float
    cpu_seconds: float
    server_cpu_seconds: float
    not_completed: int
    measured_targets: int
    extrapolated: bool = False
    with_credentials: float = WITH_CREDENTIALS
    calls_per_target: float = 0.0
    note: str = ""
    errors: dict[str, int] = field(default_factory=dict)
    quota: dict[str, Any] | None = None


def _members(scenario: Scenario) -> list[str]:
    management = {o.management_account.id for o in scenario.organizations}
    return [a.id for _, a in scenario.accounts() if a.state == "ACTIVE" and a.id not in management]


def _server_process() -> psutil.Process:
    """The simulator server child (the harness runs one at a time)."""
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if "root_access.simulator" in child.cmdline():
                return child
    raise RuntimeError("the simulator server process was not found")


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


@dataclass
class _Finished:
    wall_seconds: float
    peak_rss_mb: float
    cpu_seconds: float
    returncode: int
    stdout: str


def _execute(command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> _Finished:
    """Run ``command`` to the end; wall time, peak RSS and CPU of its process tree."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            cwd=cwd,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
    return _Finished(
        wall_seconds=wall,
        peak_rss_mb=usage.ru_maxrss / 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=process.returncode,
        stdout=stdout,
    )


def _label(process: Any) -> str:
    """A short name for one process of Terraform's tree (script, provider or engine)."""
    command = process.cmdline()
    if not command:
        return str(process.name())
    words = [Path(word).name for word in command]
    if words[0].startswith("python"):
        arguments = [word for word in command[1:] if not word.startswith("-")]
        if "-m" in command[1:]:
            return str(command[command.index("-m") + 1])
        return Path(arguments[0]).name if arguments else words[0]
    return words[0]


def high_water_mb(pid: int) -> float | None:
    """``VmHWM`` of ``pid`` in MB (``/proc/<pid>/status``: the peak RSS of its address
    space since its last exec), or None when it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


class _PeakSampler:
    """Polls the peak RSS (``VmHWM``) of every process below this one (the simulator
    server excepted) every ``interval`` seconds; ``peaks`` holds the largest in MB per
    process label, ``peak`` the largest of all. ``VmHWM`` is the address space's own high
    water mark, so only a peak reached in a process's last ``interval`` is missed.
    ``wait4``'s ``ru_maxrss`` is no measure of a child's memory on Linux: a child spawned
    by ``subprocess`` (vfork, then exec) inherits this process's high water mark, so it
    reads at least the harness's own RSS."""

    def __init__(self, exclude: int, interval: float = 0.2) -> None:
        import threading

        self.exclude = exclude
        self.interval = interval
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            for process in me.children(recursive=True):
                if process.pid == self.exclude:
                    continue
                try:
                    label = _label(process)
                except psutil.Error:
                    continue
                rss = high_water_mb(process.pid)
                if rss is not None:
                    self.peaks[label] = round(max(self.peaks.get(label, 0.0), rss), 1)

    @property
    def peak(self) -> float | None:
        """The largest peak RSS sampled, in MB (None when nothing was sampled)."""
        return max(self.peaks.values(), default=None)


class _Bench:
    """The simulator server of one organization, and the environment clients get."""

    def __init__(self, server: SimulatorServer, base_env: Mapping[str, str]) -> None:
        self.server = server
        self.process = _server_process()
        self.env = {**base_env, **server.env}
        self.peaks: dict[str, float] = {}
        """Peak RSS in MB per process label of the last :meth:`measure`."""

    def measure(
        self,
        approach: str,
        task: str,
        command: Sequence[str],
        *,
        scenario: Scenario,
        throttled: bool,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> tuple[_Finished, int, float]:
        """Run ``command`` (with ``env``, else the bench's); returns (finished, AWS calls,
        server CPU seconds) and keeps the sampled peaks in :attr:`peaks`."""
        self.server.clear_calls()
        cpu_before = _cpu(self.process)
        with _PeakSampler(self.process.pid) as sampler:
            finished = _execute(command, self.env if env is None else env, cwd)
        self.peaks = sampler.peaks
        finished.peak_rss_mb = sampler.peak or finished.peak_rss_mb
        server_cpu = _cpu(self.process) - cpu_before
        calls = sum(self.server.call_counts().values())
        print(
            f"  {approach:13} {task:7} {len(_members(scenario)):>6} targets"
            f"{' throttled' if throttled else ''}: {finished.wall_seconds:8.2f} s, "
            f"rss {finished.peak_rss_mb:6.1f} MB, {calls} calls, exit {finished.returncode}",
            file=sys.stderr,
            flush=True,
        )
        return finished, calls, server_cpu


def _run(
    approach: str,
    task: str,
    scenario: Scenario,
    throttled: bool,
    finished: _Finished,
    calls: int,
    server_cpu: float,
    *,
    completed: int,
    measured: int,
    note: str = "",
    errors: Mapping[str, int] | None = None,
    with_credentials: float = WITH_CREDENTIALS,
) -> Run:
    targets = len(_members(scenario))
    wall = finished.wall_seconds
    return Run(
        approach=approach,
        task=task,
        accounts=sum(1 for _ in scenario.accounts()),
        targets=targets,
        throttled=throttled,
        wall_seconds=round(wall, 2),
        accounts_per_second=round(completed / wall, 2),
        calls=calls,
        calls_per_second=round(calls / wall, 1),
        peak_rss_mb=round(finished.peak_rss_mb, 1),
        cpu_seconds=round(finished.cpu_seconds, 2),
        server_cpu_seconds=round(server_cpu, 2),
        not_completed=measured - completed,
        measured_targets=measured,
        extrapolated=measured < targets,
        with_credentials=with_credentials,
        calls_per_target=round(calls / measured, 2) if measured else 0.0,
        note=note,
        errors=dict(errors or {}),
    )


def _engine(
    bench: _Bench,
    task: str,
    scenario: Scenario,
    throttled: bool,
    work: Path,
    *,
    detail: str = "summary",
    with_credentials: float = WITH_CREDENTIALS,
) -> Run:
    approach = "engine" if detail == "summary" else f"engine-{detail}"
    output = work / f"engine-{task}.json"
    command = [
        str(BIN / "root-access"),
        *(["audit"] if task == "audit" else ["delete-credentials", "--yes"]),
        "--all",
        "--detail",
        detail,
        "--max-workers",
        str(MAX_WORKERS),
        "--format",
        "json",
        "--output",
        str(output),
        "--quiet",
    ]
    finished, calls, server_cpu = bench.measure(
        approach, task, command, scenario=scenario, throttled=throttled
    )
    results = json.loads(output.read_text(encoding="utf-8"))["results"] if output.exists() else []
    output.unlink(missing_ok=True)
    targets = set(_members(scenario))
    outcomes = [r["outcome"] for r in results if r["account_id"] in targets]
    completed = sum(1 for o in outcomes if o in SUCCESS)
    errors: dict[str, int] = {}
    for outcome in outcomes:
        if outcome not in SUCCESS:
            errors[outcome] = errors.get(outcome, 0) + 1
    return _run(
        approach,
        task,
        scenario,
        throttled,
        finished,
        calls,
        server_cpu,
        completed=completed,
        measured=len(targets),
        errors=errors,
        with_credentials=with_credentials,
    )


def _boto3_loop(
    bench: _Bench, task: str, scenario: Scenario, throttled: bool, retry_mode: str = "standard"
) -> Run:
    approach = "boto3-loop" if retry_mode == "standard" else f"boto3-loop-{retry_mode}"
    command = [
        sys.executable, "-m", "benchmarks.handwritten", task,
        "--max-workers", str(MAX_WORKERS), "--retry-mode", retry_mode,
    ]  # fmt: skip
    finished, calls, server_cpu = bench.measure(
        approach, task, command, scenario=scenario, throttled=throttled, cwd=REPO
    )
    summary = json.loads(finished.stdout or '{"completed": 0, "errors": {}}')
    return _run(
        approach,
        task,
        scenario,
        throttled,
        finished,
        calls,
        server_cpu,
        completed=summary["completed"],
        measured=len(_members(scenario)),
        errors=summary["errors"],
    )


def _cli_loop(bench: _Bench, scenario: Scenario, budget_seconds: float) -> Run:
    aws = shutil.which("aws", path=str(BIN)) or "aws"
    deadline = int(time.time() + budget_seconds) if budget_seconds else 0
    env = {**bench.env, "AWS_CLI": aws, "AWS_PAGER": ""}
    command = ["bash", str(HERE / "aws_cli_loop.sh"), str(deadline)]
    finished, calls, server_cpu = bench.measure(
        "aws-cli-loop", "audit", command, scenario=scenario, throttled=False, env=env
    )
    lines = finished.stdout.split()
    completed, failed = lines[0::2].count("done"), lines[0::2].count("failed")
    measured = completed + failed
    targets = len(_members(scenario))
    note = "" if measured >= targets else f"measured on {measured} of {targets} accounts"
    return _run(
        "aws-cli-loop",
        "audit",
        scenario,
        False,
        finished,
        calls,
        server_cpu,
        completed=completed,
        measured=measured,
        note=note,
    )


def _terraform(scenario: Scenario, base_env: Mapping[str, str], work: Path) -> list[Run]:
    from benchmarks.terraform_path import prepare

    runs: list[Run] = []
    targets = frozenset(_members(scenario))
    with _organization(scenario, base_env, LATENCY) as bench:
        bench.env, steps = prepare(bench.env, work, targets)
        for step in steps:
            finished, calls, server_cpu = bench.measure(
                "terraform",
                step.name,
                step.argv,
                scenario=scenario,
                throttled=False,
                cwd=step.cwd,
            )
            runs.append(
                _run(
                    "terraform",
                    step.name,
                    scenario,
                    False,
                    finished,
                    calls,
                    server_cpu,
                    completed=step.completed(finished.returncode),
                    measured=len(targets),
                )
            )
    return runs


def throttle_for(targets: int) -> dict[str, Any]:
    """The AssumeRoot quota used at ``targets`` accounts: one shared bucket whose forced
    time is about twice the unthrottled engine run (10/s up to 100 targets, 25/s above)."""
    rate = 10.0 if targets <= 100 else 25.0
    return {"api": "sts:AssumeRoot", "rate": rate, "burst": rate, "per_account": False}


def forced_seconds(assume_roots: int, throttle: Mapping[str, Any]) -> float:
    """Seconds a token bucket of ``rate``/s and ``burst`` needs for ``assume_roots`` calls."""
    return max(0.0, (assume_roots - float(throttle["burst"])) / float(throttle["rate"]))


@contextlib.contextmanager
def _organization(
    scenario: Scenario, base_env: Mapping[str, str], faults: Mapping[str, Any]
) -> Iterator[_Bench]:
    with SimulatorServer(scenario, keep_call_records=False) as server:
        server.set_faults(dict(faults))
        yield _Bench(server, base_env)


def measure(
    sizes: Sequence[int],
    *,
    latency: Mapping[str, Any],
    cli_budget_seconds: float,
    cli_sizes: Sequence[int],
    delete_sizes: Sequence[int],
    terraform_sizes: Sequence[int],
    throttled_sizes: Sequence[int],
    clean_sizes: Sequence[int] = (),
    work: Path,
) -> list[Run]:
    """Every approach at every size; see the module docstring."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ROOT_ACCESS_"))}
    base_env.update(
        {
            "AWS_CONFIG_FILE": str(work / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(work / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    runs: list[Run] = []
    for size in sizes:
        scenario = Scenario.generate(accounts=size, with_credentials=WITH_CREDENTIALS, seed=SEED)
        print(f"benchmarks: {size} accounts", file=sys.stderr, flush=True)
        with _organization(scenario, base_env, latency) as bench:
            runs.append(_engine(bench, "audit", scenario, False, work))
            runs.append(_boto3_loop(bench, "audit", scenario, False))
            if size in cli_sizes:
                runs.append(_cli_loop(bench, scenario, cli_budget_seconds))
        if size in delete_sizes:
            with _organization(scenario, base_env, latency) as bench:
                runs.append(_engine(bench, "delete", scenario, False, work))
            with _organization(scenario, base_env, latency) as bench:
                runs.append(_boto3_loop(bench, "delete", scenario, False))
        if size in terraform_sizes:
            runs.extend(_terraform(scenario, base_env, work))
        if size in throttled_sizes:
            throttle = throttle_for(len(_members(scenario)))
            faults = {**latency, "throttle": [throttle]}
            with _organization(scenario, base_env, faults) as bench:
                runs.append(_engine(bench, "audit", scenario, True, work))
                runs.append(_boto3_loop(bench, "audit", scenario, True))
                runs.append(_boto3_loop(bench, "audit", scenario, True, "adaptive"))
            for run in runs[-3:]:
                run.quota = throttle
        if size in clean_sizes:
            clean = Scenario.generate(
                accounts=size, with_credentials=CLEAN_WITH_CREDENTIALS, seed=SEED
            )
            with _organization(clean, base_env, latency) as bench:
                for detail in ("summary", "full"):
                    run = _engine(
                        bench, "audit", clean, False, work, detail=detail,
                        with_credentials=CLEAN_WITH_CREDENTIALS,
                    )  # fmt: skip
                    runs.append(run)
    return runs


def bound(
    runs: Sequence[Run], *, latency_ms: float, cpus: int, load: float | None = None
) -> list[str]:
    """Per concurrent run: the latency floor (calls x latency / workers), the CPU floor
    ((client + server CPU) / CPUs), the simulator floor (its CPU seconds: one process
    under one GIL) and the CPU share the run actually got."""
    lines = []
    for run in runs:
        if run.approach not in ("engine", "engine-full", "boto3-loop") or run.throttled:
            continue
        latency_floor = run.calls * latency_ms / 1000 / MAX_WORKERS
        used = run.cpu_seconds + run.server_cpu_seconds
        cpu_floor = used / cpus
        floors = {
            "latency": latency_floor,
            "CPU (client + simulator)": cpu_floor,
            "the simulator's one GIL": run.server_cpu_seconds,
        }
        which = max(floors, key=lambda name: floors[name])
        lines.append(
            f"{run.approach} {run.task} at {run.accounts:,} "
            f"({run.with_credentials:.0%} with root credentials): wall {run.wall_seconds:.1f} s; "
            f"latency floor {latency_floor:.1f} s ({run.calls} calls x {latency_ms:g} ms / "
            f"{MAX_WORKERS} workers); CPU floor {cpu_floor:.1f} s (client {run.cpu_seconds:.1f}"
            f" + simulator {run.server_cpu_seconds:.1f} CPU s / {cpus} CPUs); simulator floor "
            f"{run.server_cpu_seconds:.1f} s (one process, at most one CPU); the largest is "
            f"{which}; CPU used {used / run.wall_seconds:.2f} of {cpus} CPUs"
            + (
                (
                    "; the rest of the wall time is waiting for CPUs shared with other processes"
                    if load is None or load > cpus or used / run.wall_seconds > 0.9 * cpus
                    else "; the CPUs were not saturated, so the rest of the wall time is most "
                    "likely queueing inside the two Python processes (client and simulator each "
                    "run their threads under one interpreter lock: a thread woken by the "
                    "network waits for it behind the threads computing); not profiled"
                )
                if run.wall_seconds > 1.2 * floors[which]
                else ""
            )
        )
    return lines


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("boto3", "botocore", "moto", "awscli"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, then write latest.json / latest.md / latest.png (and the README block when
    writing to benchmarks/results/). Exit 0; unmet targets are results, not failures."""
    from benchmarks import report as render

    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="100 and 1,000 accounts (default)")
    mode.add_argument("--full", action="store_true", help="100, 1,000 and 10,000 accounts")
    parser.add_argument(
        "--sizes",
        type=lambda v: [int(x) for x in v.split(",")],
        help="organization sizes instead of the mode's, e.g. 5,50",
    )
    parser.add_argument("--latency-ms", type=float, default=LATENCY["latency_ms"])
    parser.add_argument(
        "--cli-budget",
        type=float,
        default=None,
        help="seconds the AWS CLI loop may run (default: 30 quick, 0 = all)",
    )
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    arguments = parser.parse_args(argv)
    full = arguments.full
    sizes = arguments.sizes or ([100, 1000, 10000] if full else [100, 1000])
    small = min(sizes)
    latency = {
        "latency_ms": arguments.latency_ms,
        "jitter": LATENCY["jitter"] if arguments.latency_ms else 0.0,
    }
    budget = arguments.cli_budget if arguments.cli_budget is not None else (0.0 if full else 30.0)
    cpus = os.cpu_count() or 1
    load = [round(x, 1) for x in os.getloadavg()]
    started = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="root-access-bench-") as directory:
        runs = measure(
            sizes,
            latency=latency,
            cli_budget_seconds=budget,
            cli_sizes=[small],
            delete_sizes=sizes if full else [small],
            terraform_sizes=[s for s in sizes if s >= 1000] if full else [small],
            throttled_sizes=[s for s in sizes if s <= 1000] if full else [small],
            clean_sizes=[max(sizes)],
            work=Path(directory),
        )
    rows = [asdict(r) for r in runs]
    result = {
        "benchmark": "organization_scale",
        "mode": "full" if full else ("custom" if arguments.sizes else "quick"),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": cpus,
            "python": platform.python_version(),
            "load_average": load,
            **_versions(),
        },
        "settings": {
            "sizes": sizes,
            "seed": SEED,
            "with_credentials": WITH_CREDENTIALS,
            "max_workers": MAX_WORKERS,
            **latency,
        },
        "runs": rows,
        "targets": render.evaluate(
            rows, sizes, latency_ms=arguments.latency_ms, workers=MAX_WORKERS
        ),
        "bound": bound(runs, latency_ms=arguments.latency_ms, cpus=cpus, load=load[0]),
    }
    output = arguments.output_dir
    output.mkdir(parents=True, exist_ok=True)
    (output / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (output / "latest.md").write_text(render.markdown(result), encoding="utf-8")
    render.plot(result, output / "latest.png")
    if output.resolve() == RESULTS.resolve():
        render.update_readme(README, render.table(result))
    sys.stderr.write(render.table(result))
    return 0
