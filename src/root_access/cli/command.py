"""The shape of one command: its help, the shared options it takes, its exit codes.

Each module of :mod:`root_access.cli.commands` defines ``COMMAND``; the parser
(:mod:`root_access.cli.parser`) registers them in order.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "AUDIT",
    "CHANGES",
    "CHANGES_ONE_ACCOUNT",
    "CONFIGURES",
    "PROG",
    "STATUS",
    "TARGETED",
    "Command",
]

PROG = "root-access"

_INTERRUPTED = "  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM:\n       {what}\n"

TARGETED = """\
exit codes (each command's --help says what they mean for it):
  0    every targeted account ended well
  1    some targeted account did not (its outcome says why; rerunning is safe)
  2    usage or preflight error, or not confirmed, reported in one line on stderr;
       nothing was changed
  3    audit --fail-on: a named condition held
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM
"""
"""Exit codes in general (the top-level help)."""

AUDIT = """\
exit codes:
  0    every targeted account was audited and no --fail-on condition held
  1    some targeted account could not be audited (its outcome says why; rerunning is
       safe)
  2    usage or preflight error, reported in one line on stderr
  3    a --fail-on condition held (present: an account holds root credentials;
       not-audited: an account was not audited, including SUSPENDED ones); one line
       per condition on stderr
""" + _INTERRUPTED.format(
    what="stdout holds the accounts audited so far (an --output FILE is left as it was)"
)
"""Exit codes of ``audit``."""

CHANGES = """\
exit codes:
  0    every targeted account ended well
  1    some targeted account did not (its outcome says why; rerunning is safe)
  2    usage or preflight error, or not confirmed, reported in one line on stderr;
       nothing was changed
""" + _INTERRUPTED.format(
    what="stdout holds the accounts done so far (an --output FILE is left as it was);\n"
    "       with --journal FILE, --resume FILE finishes only the rest"
)
"""Exit codes of the multi-account changes (delete-credentials, password recovery)."""

CHANGES_ONE_ACCOUNT = """\
exit codes:
  0    every named resource ended well
  1    the account or a resource did not (its outcome says why; rerunning is safe)
  2    usage or preflight error, or not confirmed, reported in one line on stderr;
       nothing was changed
""" + _INTERRUPTED.format(what="rerunning is safe")
"""Exit codes of the single-account unlocks."""

STATUS = """\
exit codes:
  0    the preflight and the organization were read (with --audit: every account ended
       well)
  1    with --audit: some account could not be audited (its posture says why)
  2    usage or preflight error, reported in one line on stderr
""" + _INTERRUPTED.format(what="nothing is written")

CONFIGURES = """\
exit codes:
  0    done: the organization is as asked (with --dry-run: the plan was printed)
  2    usage, preflight or AWS error, or not confirmed, reported in one line on stderr
""" + _INTERRUPTED.format(what="rerunning is safe (only what is missing is done)")
"""Exit codes of enable and disable (organization settings, no targeted accounts)."""


@dataclass(frozen=True)
class Command:
    """One verb of ``root-access``.

    - ``name``, ``help`` (one line in the command list), ``description``, ``examples``
      (command lines without the program name) and ``exit_codes`` (the help footer).
    - ``options``: the shared options (keys of :data:`root_access.cli.options.OPTIONS`)
      it takes beyond the ones every command takes.
    - ``register(parser)`` adds its own arguments; ``run(args)`` returns the exit code.
    - ``refusals``: shared option ``dest`` -> the one-line error when it is given anyway.
    """

    name: str
    help: str
    description: str
    examples: tuple[str, ...]
    options: tuple[str, ...]
    exit_codes: str
    register: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    refusals: Mapping[str, str] = field(default_factory=dict)
