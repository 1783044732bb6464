"""``python -m benchmarks [--quick|--full]`` (``make bench`` runs ``--quick``).

Runs :mod:`benchmarks.organization_scale` (engine, AWS CLI loop, hand-written boto3 loop
and Terraform side by side; results in ``benchmarks/results/latest.*``). ``--full`` then
also runs, each writing its own file under ``benchmarks/results/``:
:mod:`benchmarks.audit_calls` (calls per account, summary-first against exhaustive),
:mod:`benchmarks.concurrency` (16, 32 and 64 workers, with and without a quota),
:mod:`benchmarks.reapply` (a tainted removal's re-apply),
:mod:`benchmarks.simulator_load` (the server's CPU per call as connections grow) and
:mod:`benchmarks.simulator_throughput` (the simulator's own calls per second).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; the exit code is the highest one returned."""
    from benchmarks import (
        audit_calls,
        concurrency,
        organization_scale,
        reapply,
        simulator_load,
        simulator_throughput,
    )

    arguments = list(sys.argv[1:] if argv is None else argv)
    worst = organization_scale.main(arguments)
    if "--full" in arguments:
        for name, module in (
            ("audit_calls", audit_calls),
            ("concurrency", concurrency),
            ("reapply", reapply),
            ("simulator_load", simulator_load),
            ("simulator_throughput", simulator_throughput),
        ):
            print(f"benchmarks: {name}", file=sys.stderr, flush=True)
            worst = max(worst, module.main([]))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
