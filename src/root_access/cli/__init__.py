"""The ``root-access`` command line: the human-facing door into the engine.

A thin root: :func:`main` parses argv (:mod:`root_access.cli.parser`, options from the
table in :mod:`root_access.cli.options`), runs one command module of
:mod:`root_access.cli.commands` and maps errors to exit codes. Every input is validated
before any AWS call (one line on stderr, exit 2); results go to stdout or ``--output``
(:mod:`root_access.cli.output`, :mod:`root_access.cli.render`); logs and progress to
stderr, secrets redacted (:mod:`root_access.cli.logs`).

Exit codes: 0 every targeted account ended well; 1 some did not; 2 usage or
preflight error, or not confirmed (nothing was changed); 3 ``audit --fail-on``: a named
condition held; 130 / 143 interrupted by SIGINT / SIGTERM (stdout stays parseable, see
:mod:`root_access.cli.signals`). Each command's ``--help`` says what they mean for it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shlex
import signal
import sys
from collections.abc import Sequence

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from root_access import PreflightError, UsageError, __version__
from root_access.cli import simulate
from root_access.cli.command import PROG
from root_access.cli.logs import configure_logging, redact, verbosity
from root_access.cli.options import ALWAYS, OPTIONS, fill_defaults
from root_access.cli.output import RunStopped
from root_access.cli.parser import ParserExit, build_parser
from root_access.cli.signals import Interrupted, exit_code, interruptions
from root_access.errors import error_code, error_message

__all__ = [
    "EXIT_FAILED",
    "EXIT_FAIL_ON",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "main",
    "redact",
    "rerun_hint",
]

EXIT_OK = 0
"""Every targeted account ended well."""
EXIT_FAILED = 1
"""At least one targeted account did not end well (see its outcome)."""
EXIT_USAGE = 2
"""Usage or preflight error, or not confirmed: nothing was changed."""
EXIT_FAIL_ON = 3
"""``audit --fail-on``: a named condition held (see :mod:`root_access.drift`)."""

_log = logging.getLogger("root_access.cli")

_FLAGS = {flag: name for name, option in OPTIONS.items() for flag in option.flags}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fail(message: str) -> int:
    sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
    sys.stderr.flush()
    return EXIT_USAGE


def _refuse(command: str, name: str, refusals: dict[str, str]) -> UsageError:
    flag = OPTIONS[name].flags[-1]
    text = refusals.get(name) or (
        f"{flag} does not apply to `{command}`: drop it (see `{PROG} {command} --help`)"
    )
    return UsageError(text.replace("{command}", command))


def _parse(arguments: list[str]) -> argparse.Namespace:
    parser = build_parser()
    args, extra = parser.parse_known_args(arguments)
    if args.command == "simulate":
        return args
    spec = args.command_spec
    refusals = dict(spec.refusals)
    accepted = {*spec.options, *ALWAYS}
    for token in extra:
        name = _FLAGS.get(token.split("=", 1)[0])
        if name is not None and name not in accepted:
            raise _refuse(args.command, name, refusals)
    if extra:
        raise UsageError(
            f"unrecognized arguments: {' '.join(extra)} (see `{PROG} {args.command} --help`)"
        )
    for name in OPTIONS:
        if name not in accepted and hasattr(args, name):  # given before the command
            raise _refuse(args.command, name, refusals)
    return fill_defaults(args)


def rerun_hint(args: argparse.Namespace) -> str:
    """What to do after a run that stopped part-way, for this verb: ``--resume`` with the
    journal actually given on the verbs that take ``--resume``, else a plain rerun."""
    spec = args.command_spec
    journal = getattr(args, "resume", None) or getattr(args, "journal", None)
    if "resume" in spec.options:
        if journal:
            return (
                f"rerun with --resume {shlex.quote(journal)} and the same targeting to finish "
                "only what is left"
            )
        return (
            f"rerun `{PROG} {args.command}` with the same targeting to finish (rerunning is "
            "safe); with --journal FILE a later run can --resume only what is left"
        )
    return f"rerun `{PROG} {args.command}` to finish (rerunning is safe)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``root-access`` with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    0 every targeted account ended well; 1 some did not; 2 usage or preflight error
    (one line on stderr, nothing changed); 3 an ``audit --fail-on`` condition held;
    130 / 143 interrupted by SIGINT / SIGTERM. Never raises ``SystemExit``.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parse(arguments)
        if args.command == "simulate":
            return simulate.run(list(args.simulator_argv))
        level = verbosity(args)
    except ParserExit as done:
        return done.status
    except UsageError as error:
        return _fail(str(error))
    logs = configure_logging(level, args.quiet)
    _log.info("root-access %s %s", __version__, args.command)
    try:
        with interruptions():
            code: int = args.command_spec.run(args)
        return code
    except (UsageError, PreflightError) as error:
        return _fail(str(error))
    except RunStopped as stopped:
        _log.debug("run stopped", exc_info=level >= 2)
        sys.stderr.write(
            f"{PROG}: error: the run stopped part-way: {_one_line(str(stopped))}; results "
            f"are incomplete: {rerun_hint(args)}\n"
        )
        return EXIT_FAILED
    except Interrupted as interrupted:
        return _interrupted(args, interrupted.name, interrupted.exit_code)
    except ClientError as error:
        _log.debug("AWS error", exc_info=level >= 2)
        return _fail(f"AWS {error_code(error)} during preflight: {error_message(error)}")
    except (BotoCoreError, ResponseParserError) as error:
        _log.debug("botocore error", exc_info=level >= 2)
        return _fail(f"{error} (check credentials, --profile, --region and the network)")
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, no traceback on the closed pipe.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:  # handlers not installed (not the main thread)
        return _interrupted(args, "SIGINT", exit_code(signal.SIGINT))
    finally:
        logs.close()


def _interrupted(args: argparse.Namespace, name: str, code: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    sys.stderr.write(
        f"\n{PROG}: interrupted by {name}: results are incomplete; {rerun_hint(args)}\n"
    )
    sys.stderr.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
