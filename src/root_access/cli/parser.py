"""The argument parser: one sub-parser per command, options from the shared table.

Errors are one line and never ``sys.exit`` (:class:`Parser`); ``simulate`` is a real
sub-command whose arguments go, untouched, to the simulator's own command line.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import NoReturn

from root_access import UsageError, __version__
from root_access.cli.command import PROG, TARGETED, Command
from root_access.cli.commands import COMMANDS
from root_access.cli.options import ALWAYS, OPTIONS, add_options

__all__ = ["COMMAND_BY_NAME", "Parser", "ParserExit", "build_parser"]

COMMAND_BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


class ParserExit(Exception):
    """``--help`` / ``--version`` finished (status 0)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and never call ``sys.exit``."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)


_TOP_EPILOG = f"""\
examples:
  {PROG} status                                   # preflight and the organization tree
  {PROG} enable --trusted-access --delegated-administrator 333333333333
  {PROG} audit --all --format csv --output audit.csv
  {PROG} delete-credentials --organizational-units ou-ab12-cdefgh34 --dry-run
  {PROG} delete-credentials --accounts 222222222222 --journal evidence.jsonl
  {PROG} simulate --accounts 50 --with-credentials 30   # an offline organization

Options of a command may also come before it; each command's --help lists the ones it
takes.

{TARGETED}"""


def _add_command(subparsers: argparse._SubParsersAction[Parser], command: Command) -> None:
    examples = "\n".join(f"  {PROG} {line}" for line in command.examples)
    parser = subparsers.add_parser(
        command.name,
        help=command.help,
        description=textwrap.fill(command.description, 79),
        epilog=f"examples:\n{examples}\n\n{command.exit_codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    command.register(parser)
    add_options(parser, (*command.options, *ALWAYS))
    parser.set_defaults(command_spec=command)


def build_parser() -> Parser:
    """The full argument parser (exposed for docs and tests)."""
    parser = Parser(
        prog=PROG,
        description="AWS Organizations centralized root access: enable the features, audit "
        "member root users, delete their credentials and run the other privileged root "
        "tasks through sts:AssumeRoot.",
        epilog=_TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_options(parser, OPTIONS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        _add_command(subparsers, command)
    simulate = subparsers.add_parser(
        "simulate",
        help="run the offline simulator of the AWS APIs (see `root-access simulate --help`)",
        add_help=False,
        prefix_chars="\0",  # every argument after `simulate` is the simulator's own
    )
    simulate.add_argument("simulator_argv", nargs=argparse.REMAINDER)
    return parser
