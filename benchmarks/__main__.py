"""``python -m benchmarks [--quick|--full]`` (``make bench`` runs ``--quick``).

Runs :mod:`benchmarks.organization_scale` (engine, AWS CLI loop, hand-written boto3 loop
and Terraform side by side; results in ``benchmarks/results/latest.*``). ``--full`` then
also runs :mod:`benchmarks.simulator_throughput` (the simulator's own calls per second).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; the exit code is the highest one returned."""
    from benchmarks import organization_scale, simulator_throughput

    arguments = list(sys.argv[1:] if argv is None else argv)
    worst = organization_scale.main(arguments)
    if "--full" in arguments:
        print("benchmarks: simulator_throughput", file=sys.stderr, flush=True)
        worst = max(worst, simulator_throughput.main([]))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
