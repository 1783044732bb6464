"""AWS calls per account of the audit, summary-first against exhaustive (issue 12, part 1).

``python -m benchmarks.audit_calls [--accounts 1000] [--output PATH]`` (default
``benchmarks/results/audit_calls.json``).

The ``organization_scale`` organization (``Scenario.generate``, 30 % of the members with
root credentials, seed 7) in the in-process simulator, no latency: ``audit()`` with
``detail="summary"`` and ``detail="full"``; the simulator's call log counts every call
per account (``AssumeRoot`` is counted once per audited account). Counts, not timings.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from root_access import Outcome, Selection, audit
from root_access.simulator import Scenario, Simulator

__all__ = ["main"]

HERE = Path(__file__).resolve().parent


def main(argv: Sequence[str] | None = None) -> int:
    """Count the calls of both modes; write and print the JSON result."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit_calls")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "audit_calls.json")
    arguments = parser.parse_args(argv)
    scenario = Scenario.generate(accounts=arguments.accounts, with_credentials=0.3, seed=7)
    modes: dict[str, Any] = {}
    with Simulator(scenario) as simulator:
        for detail in ("summary", "full"):
            simulator.call_log.clear()
            results = list(audit(simulator.session(), selection=Selection(all=True), detail=detail))
            calls = simulator.calls
            per_account = Counter(c.account_id for c in calls)
            groups = {
                "clean": [
                    r.account_id for r in results if r.outcome is Outcome.NO_ROOT_CREDENTIALS
                ],
                "with_root_credentials": [
                    r.account_id for r in results if r.outcome is Outcome.ROOT_CREDENTIALS_PRESENT
                ],
            }
            audited = sum(len(ids) for ids in groups.values())
            modes[detail] = {
                "calls": len(calls),
                "assume_root_calls": sum(1 for c in calls if c.action == "AssumeRoot"),
                "calls_per_audited_account": round(len(calls) / audited, 2),
                **{
                    f"calls_per_{name}_account": round(
                        (sum(per_account[a] for a in ids) + len(ids)) / len(ids), 2
                    )
                    for name, ids in groups.items()
                    if ids
                },
                **{f"{name}_accounts": len(ids) for name, ids in groups.items()},
            }
    result = {"benchmark": "audit_calls", "accounts": arguments.accounts, "modes": modes}
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
