"""Targets (issue 6), the Markdown table, the plot and the README block of a benchmark run.

``evaluate(runs, sizes)`` returns one row per target: ``{id, target, measured_at,
value, threshold, met, note}`` where ``met`` is true, false or null (not measured in
this mode). ``markdown(report)`` renders ``latest.md``; ``plot(report, path)`` writes the
log-log PNG of wall time against organization size per approach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.organization_scale import CLEAN_WITH_CREDENTIALS, WITH_CREDENTIALS

__all__ = ["calls_table", "evaluate", "markdown", "plot", "update_readme"]

Row = Mapping[str, Any]


def _find(
    runs: Sequence[Row],
    approach: str,
    task: str,
    accounts: int,
    throttled: bool = False,
    with_credentials: float = WITH_CREDENTIALS,
) -> Row | None:
    for run in runs:
        if (
            run["approach"],
            run["task"],
            run["accounts"],
            run["throttled"],
            run.get("with_credentials", WITH_CREDENTIALS),
        ) == (approach, task, accounts, throttled, with_credentials):
            return run
    return None


def _target(
    id_: str,
    target: str,
    measured_at: int | None,
    value: float | None,
    threshold: float,
    met: bool | None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "id": id_,
        "target": target,
        "measured_at": measured_at,
        "value": None if value is None else round(value, 3),
        "threshold": threshold,
        "met": met,
        "note": note,
    }


def forced_by_quota(run: Row) -> float:
    """Seconds the AssumeRoot quota alone forces on ``run`` (one AssumeRoot per target)."""
    quota = run["quota"]
    return max(0.0, (run["targets"] - quota["burst"]) / quota["rate"])


def evaluate(
    runs: Sequence[Row],
    sizes: Sequence[int],
    *,
    latency_ms: float = 50.0,
    workers: int = 32,
) -> list[dict[str, Any]]:
    """The targets of issues 6 and 12, each met / not met / not measured (null)."""
    reference = 1000 if 1000 in sizes else max(sizes)
    rows: list[dict[str, Any]] = []

    engine = _find(runs, "engine", "audit", reference)
    cli = next((r for r in runs if r["approach"] == "aws-cli-loop" and r["measured_targets"]), None)
    if engine is not None and cli is not None:
        per_account = cli["wall_seconds"] / cli["measured_targets"]
        cli_time = per_account * engine["targets"]
        note = (
            f"AWS CLI loop measured on {cli['measured_targets']} accounts of the "
            f"{cli['accounts']}-account organization, {per_account:.2f} s per account, "
            f"extrapolated to {engine['targets']} targets"
        )
        ratio = cli_time / engine["wall_seconds"]
        rows.append(
            _target(
                "audit_vs_aws_cli_loop",
                "root-access audit at least 20x faster than the AWS CLI loop at 1,000 accounts",
                reference,
                ratio,
                20.0,
                ratio >= 20.0,
                note,
            )
        )
    else:
        rows.append(
            _target(
                "audit_vs_aws_cli_loop",
                "root-access audit at least 20x faster than the AWS CLI loop at 1,000 accounts",
                None,
                None,
                20.0,
                None,
                "not measured in this mode",
            )
        )

    for task in ("audit", "delete"):
        common = [
            size
            for size in sizes
            if _find(runs, "engine", task, size) and _find(runs, "boto3-loop", task, size)
        ]
        at = reference if reference in common else max(common, default=None)
        engine_run = _find(runs, "engine", task, at) if at is not None else None
        loop = _find(runs, "boto3-loop", task, at) if at is not None else None
        if engine_run is not None and loop is not None:
            ratio = engine_run["wall_seconds"] / loop["wall_seconds"]
            rows.append(
                _target(
                    f"{task}_vs_boto3_loop",
                    f"root-access {task} within 1.2x of the hand-written concurrent loop's "
                    "wall time (same workers)",
                    at,
                    ratio,
                    1.2,
                    ratio <= 1.2,
                )
            )

    small = _find(runs, "engine", "audit", 1000)
    large = _find(runs, "engine", "audit", 10000)
    if small is not None and large is not None:
        ratio = (large["wall_seconds"] / large["targets"]) / (
            small["wall_seconds"] / small["targets"]
        )
        rows.append(
            _target(
                "per_account_10000_vs_1000",
                "per-account time at 10,000 accounts within 1.3x of that at 1,000",
                10000,
                ratio,
                1.3,
                ratio <= 1.3,
            )
        )
    else:
        rows.append(
            _target(
                "per_account_10000_vs_1000",
                "per-account time at 10,000 accounts within 1.3x of that at 1,000",
                None,
                None,
                1.3,
                None,
                "needs --full (10,000 accounts)",
            )
        )
    biggest = max(sizes)
    engine_rss = [
        r["peak_rss_mb"] for r in runs if r["approach"] == "engine" and r["accounts"] == biggest
    ]
    if engine_rss:
        peak = max(engine_rss)
        measured_10000 = biggest >= 10000
        rows.append(
            _target(
                "peak_rss_10000",
                "peak RSS under 300 MB at 10,000 accounts",
                biggest,
                peak,
                300.0,
                (peak < 300.0) if measured_10000 else None,
                ""
                if measured_10000
                else f"measured at {biggest} accounts only (10,000 needs --full)",
            )
        )

    rows.extend(_scale_targets(runs, sizes, latency_ms=latency_ms, workers=workers))

    throttled = [r for r in runs if r["approach"] == "engine" and r["throttled"]]
    if throttled:
        lost = sum(r["not_completed"] for r in throttled)
        rows.append(
            _target(
                "throttled_none_lost",
                "with throttling on, every account completes",
                max(r["accounts"] for r in throttled),
                lost,
                0,
                lost == 0,
                "accounts not completed, summed over the throttled engine runs",
            )
        )
        for run in throttled:
            forced = forced_by_quota(run)
            ratio = run["wall_seconds"] / forced if forced else None
            rows.append(
                _target(
                    f"throttled_time_{run['accounts']}",
                    "with throttling on, finishes within 1.5x of the time the quota forces",
                    run["accounts"],
                    ratio,
                    1.5,
                    None if ratio is None else ratio <= 1.5,
                    f"quota forces {forced:.1f} s "
                    f"({run['quota']['rate']:g} AssumeRoot/s, burst "
                    f"{run['quota']['burst']:g})",
                )
            )
    else:
        rows.append(
            _target(
                "throttled_none_lost",
                "with throttling on, every account completes",
                None,
                None,
                0,
                None,
                "not measured in this mode",
            )
        )
    return rows


def _scale_targets(
    runs: Sequence[Row], sizes: Sequence[int], *, latency_ms: float, workers: int
) -> list[dict[str, Any]]:
    """Issue 12's targets: calls per clean account, summary-first against exhaustive wall
    time, the engine against its latency floor, Terraform at 10,000 accounts."""
    rows: list[dict[str, Any]] = []
    biggest = max(sizes)
    clean = _find(runs, "engine", "audit", biggest, with_credentials=CLEAN_WITH_CREDENTIALS)
    exhaustive = _find(
        runs, "engine-full", "audit", biggest, with_credentials=CLEAN_WITH_CREDENTIALS
    )
    if clean is not None:
        rows.append(
            _target(
                "clean_calls_per_account",
                "audit where 97 % of members are clean: at most 2.2 AWS calls per clean account",
                biggest,
                clean["calls_per_target"],
                2.2,
                clean["calls_per_target"] <= 2.2,
                "all calls of the run / members: an upper bound (the 3 % with credentials, "
                "the preflight and the ListAccounts pages included)",
            )
        )
    if clean is not None and exhaustive is not None:
        ratio = clean["wall_seconds"] / exhaustive["wall_seconds"]
        rows.append(
            _target(
                "clean_summary_vs_full_wall",
                "same audit: wall time at most 0.45x that of the exhaustive mode "
                "(--detail full) at 10,000 accounts",
                biggest,
                ratio,
                0.45,
                (ratio <= 0.45) if biggest >= 10000 else None,
                f"{clean['calls']:,} against {exhaustive['calls']:,} calls"
                + ("" if biggest >= 10000 else f"; measured at {biggest:,} (10,000 needs --full)"),
            )
        )
    for size in (1000, 10000):
        engine = _find(runs, "engine", "audit", size)
        if engine is None or not latency_ms:
            continue
        floor = engine["calls"] * latency_ms / 1000 / workers
        simulator = engine["server_cpu_seconds"]
        ratio = engine["wall_seconds"] / floor
        rows.append(
            _target(
                f"latency_floor_{size}",
                "engine audit wall within 1.15x of its latency floor (calls x latency / workers)",
                size,
                ratio,
                1.15,
                ratio <= 1.15,
                f"floor {floor:.1f} s ({engine['calls']:,} calls x {latency_ms:g} ms / "
                f"{workers}); the simulator's one process used {simulator:.1f} CPU s "
                f"(its bound: wall / that = {engine['wall_seconds'] / simulator:.2f})"
                if simulator
                else f"floor {floor:.1f} s",
            )
        )
    terraform = [r for r in runs if r["approach"] == "terraform" and r["accounts"] >= 10000]
    plan = next((r for r in terraform if r["task"] == "plan"), None)
    engine = _find(runs, "engine", "audit", plan["accounts"]) if plan is not None else None
    if terraform:
        peak = max(r["peak_rss_mb"] for r in terraform)
        rows.append(
            _target(
                "terraform_rss_10000",
                "terraform plan and apply at 10,000 accounts: every process under 300 MB",
                terraform[0]["accounts"],
                peak,
                300.0,
                peak < 300.0,
                "the largest process of each step's tree (sampled VmHWM)",
            )
        )
    if plan is not None and engine is not None:
        ratio = plan["wall_seconds"] / engine["wall_seconds"]
        rows.append(
            _target(
                "terraform_plan_vs_engine_10000",
                "terraform plan at 10,000 accounts within 1.3x of the engine's audit alone",
                plan["accounts"],
                ratio,
                1.3,
                ratio <= 1.3,
            )
        )
    return rows


def calls_table(report: Mapping[str, Any]) -> str:
    """AWS calls per target account (all calls of a run / its members) per approach and
    task, one column per organization size: the count the floor is made of."""
    sizes = sorted({r["accounts"] for r in report["runs"]})
    cells: dict[str, dict[int, float]] = {}
    for run in report["runs"]:
        if run["throttled"] or not run["measured_targets"]:
            continue
        label = f"{run['approach']} | {run['task']}"
        if run.get("with_credentials", WITH_CREDENTIALS) != WITH_CREDENTIALS:
            label += f" ({run['with_credentials']:.0%} with credentials)"
        cells.setdefault(label, {})[run["accounts"]] = run.get(
            "calls_per_target", round(run["calls"] / run["measured_targets"], 2)
        )
    lines = [
        "| approach | task | " + " | ".join(f"{size:,} accounts" for size in sizes) + " |",
        "|---|---|" + "---:|" * len(sizes),
    ]
    for label, values in cells.items():
        row = " | ".join(f"{values[s]:.2f}" if s in values else "-" for s in sizes)
        lines.append(f"| {label} | {row} |")
    return "\n".join(lines) + "\n"


def _met(value: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "not measured"}[value]


def table(report: Mapping[str, Any]) -> str:
    """The runs and the targets as Markdown (what the README quotes)."""
    lines = [
        "| approach | task | accounts | throttled | wall s | accounts/s | calls/s "
        "| calls/account | peak RSS MB | CPU s (client / server) | not completed | note |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in report["runs"]:
        note = run["note"]
        if run.get("with_credentials", WITH_CREDENTIALS) != WITH_CREDENTIALS:
            note = (note + "; " if note else "") + (
                f"{run['with_credentials']:.0%} of members with root credentials"
            )
        if run["errors"]:
            note = (note + "; " if note else "") + ", ".join(
                f"{k}: {v}" for k, v in sorted(run["errors"].items())
            )
        lines.append(
            f"| {run['approach']} | {run['task']} | {run['accounts']:,} | "
            f"{'yes' if run['throttled'] else 'no'} | {run['wall_seconds']:.2f} | "
            f"{run['accounts_per_second']:.1f} | {run['calls_per_second']:.1f} | "
            f"{run.get('calls_per_target', 0.0):.2f} | {run['peak_rss_mb']:.0f} | "
            f"{run['cpu_seconds']:.1f} / "
            f"{run['server_cpu_seconds']:.1f} | {run['not_completed']} | {note} |"
        )
    lines += [
        "",
        "| target | at | value | threshold | result | note |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in report["targets"]:
        value = "-" if row["value"] is None else f"{row['value']:g}"
        at = "-" if row["measured_at"] is None else f"{row['measured_at']:,}"
        lines.append(
            f"| {row['target']} | {at} | {value} | {row['threshold']:g} | {_met(row['met'])} "
            f"| {row['note']} |"
        )
    lines += ["", "AWS calls per account (all calls of a run / its member accounts):", ""]
    return "\n".join(lines) + "\n" + calls_table(report)


def markdown(report: Mapping[str, Any]) -> str:
    """``latest.md``: settings, the table, the bound analysis."""
    settings = report["settings"]
    head = [
        f"# Benchmark results ({report['mode']}, {report['finished']})",
        "",
        f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
        f"load average at start {report['machine']['load_average']}. Organizations from "
        f"`Scenario.generate(accounts=N, with_credentials={settings['with_credentials']}, "
        f"seed={settings['seed']})`; latency {settings['latency_ms']:g} ms "
        f"± {settings['jitter'] * 100:g} %; {settings['max_workers']} workers. CPU s: the "
        "measured process tree / the simulator server during the run.",
        "",
        "",
    ]
    bound = ["", "## Where the time goes", ""] + [f"- {line}" for line in report["bound"]]
    return "\n".join(head) + table(report) + "\n".join(bound) + "\n"


def plot(report: Mapping[str, Any], path: Path) -> None:
    """Log-log wall time against organization size, one line per approach and task."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=100)
    series: dict[str, list[tuple[int, float]]] = {}
    targets = {r["accounts"]: r["targets"] for r in report["runs"]}
    dashed: set[str] = set()
    for run in report["runs"]:
        label = f"{run['approach']} {run['task']}" + (" (throttled)" if run["throttled"] else "")
        if run["extrapolated"] and run["measured_targets"]:
            label += f" (per account on {run['measured_targets']}, extrapolated)"
            dashed.add(label)
            per_account = run["wall_seconds"] / run["measured_targets"]
            series[label] = [(size, per_account * n) for size, n in sorted(targets.items())]
            continue
        series.setdefault(label, []).append((run["accounts"], run["wall_seconds"]))
    for label, points in sorted(series.items()):
        points.sort()
        axes.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            linestyle="--" if label in dashed else "-",
            label=label,
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("organization size (accounts)")
    axes.set_ylabel("wall time (s)")
    axes.set_title(f"root-access benchmarks ({report['mode']})")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def update_readme(readme: Path, block: str) -> None:
    """Replace the text between the BENCH markers of ``readme`` (append a section if none)."""
    begin, end = "<!-- BEGIN_BENCH -->", "<!-- END_BENCH -->"
    text = readme.read_text(encoding="utf-8")
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{block}{end}{tail}"
    else:
        text = (
            text.rstrip("\n")
            + "\n\n## Benchmarks\n\n`make bench` (quick) or `python -m benchmarks --full`; see "
            "[docs/benchmarks.md](docs/benchmarks.md). Latest results "
            "(`benchmarks/results/latest.md`):\n\n"
            f"{begin}\n{block}{end}\n"
        )
    readme.write_text(text, encoding="utf-8")
