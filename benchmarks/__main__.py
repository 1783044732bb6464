"""``python -m benchmarks [--quick]`` (``make bench``): run every benchmark module here.

Each module ``benchmarks/<name>.py`` with a ``main(argv) -> int`` is run in turn with the
same arguments; the exit code is the highest one returned.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark; ``--quick`` is passed on (smoke runs, results under results/raw/)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    worst = 0
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("_"):
            continue
        benchmark = importlib.import_module(f"benchmarks.{module.name}")
        if callable(getattr(benchmark, "main", None)):
            print(f"benchmarks: {module.name}", file=sys.stderr, flush=True)
            worst = max(worst, int(benchmark.main(arguments)))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
