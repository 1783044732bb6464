"""``root-access simulate``: serve the simulator on 127.0.0.1 until stopped.

``main(argv)`` is what ``root-access simulate ...`` delegates to (``argv`` without the
``simulate`` word) and what ``python -m root_access.simulator`` runs. On stdout it prints
the environment a client needs as ``export`` lines, so ``eval "$(root-access simulate &)"``
style use and scripts can read it; a status line goes to stderr.

Exit codes: 0 stopped with Ctrl-C, 1 the port could not be bound, 2 usage or a malformed
scenario (one line on stderr naming the file and field).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from typing import NoReturn

from .scenario import Scenario, ScenarioError

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(prog: str = "root-access simulate") -> argparse.ArgumentParser:
    """The argument parser of ``root-access simulate``."""
    parser = _Parser(
        prog=prog,
        description=(
            "Serve an offline simulator of the AWS APIs behind centralized root access "
            "(Organizations, IAM, STS AssumeRoot, S3, SQS) on 127.0.0.1, and print the "
            "environment a client needs as export lines."
        ),
        epilog=(
            "Exit codes: 0 stopped (Ctrl-C), 1 the port could not be bound, "
            "2 usage error or malformed scenario. Call log and runtime faults: "
            "GET /_simulator/calls, PUT /_simulator/faults on the same port."
        ),
    )
    parser.add_argument(
        "--port", type=_port, default=0, help="TCP port on 127.0.0.1 (default: 0, a free port)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--scenario",
        metavar="FILE",
        help="a scenario file (.yaml/.json) or a packaged scenario name: default, demo, "
        "break-glass (default: default)",
    )
    source.add_argument(
        "--accounts",
        type=_positive,
        metavar="N",
        help="generate an organization of N accounts (the management account included)",
    )
    parser.add_argument(
        "--with-credentials",
        type=_percent,
        default=30.0,
        metavar="PCT",
        help="with --accounts: percent of member accounts whose root user holds credentials "
        "(default: 30)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="with --accounts: random seed (default: 0)"
    )
    parser.add_argument(
        "--counters-only",
        action="store_true",
        help="keep only call counters, not every call (flat memory for long load runs)",
    )
    return parser


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port between 0 and 65535")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"{value} is below 2 (management and security accounts)")
    return value


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 100")
    return value


def load_scenario(arguments: argparse.Namespace) -> Scenario:
    """The scenario the arguments name (file, packaged name, or generated); ScenarioError."""
    if arguments.accounts is not None:
        return Scenario.generate(
            accounts=arguments.accounts,
            with_credentials=arguments.with_credentials / 100.0,
            seed=arguments.seed,
        )
    if arguments.scenario is None:
        return Scenario.default()
    return Scenario.named(arguments.scenario)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``root-access simulate``; returns the exit code (see module docstring)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.accounts is None:
        given = [o for o in ("--with-credentials", "--seed") if o in (argv or sys.argv[1:])]
        if given:
            parser.error(f"argument {given[0]}: only with --accounts")
    try:
        scenario = load_scenario(arguments)
    except ScenarioError as error:
        print(f"root-access simulate: {error}", file=sys.stderr)
        return EXIT_USAGE

    from .server import ENV_NAMES, serve

    def announce(env: dict[str, str]) -> None:
        for name in ENV_NAMES:
            print(f"export {name}={shlex.quote(env[name])}")
        sys.stdout.flush()
        accounts = sum(1 for _ in scenario.accounts())
        print(
            f"# simulator: {accounts} accounts in {len(scenario.organizations)} organization(s) "
            f"from {scenario.source}, serving {env['AWS_ENDPOINT_URL']}; Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )

    try:
        serve(
            scenario,
            port=arguments.port,
            keep_call_records=not arguments.counters_only,
            on_ready=announce,
        )
    except OSError as error:
        print(
            f"root-access simulate: cannot serve on 127.0.0.1:{arguments.port}: {error.strerror}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK
