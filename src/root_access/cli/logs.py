"""Logging to stderr for the CLI, with secrets redacted.

Session credentials never reach any output: the engine returns ids, counts and
outcomes only, and this handler redacts secrets should botocore debug logging
(``-vvv``) ever print a response body or header holding them.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from dataclasses import dataclass

from root_access.cli.options import VERBOSE_ENV
from root_access.errors import UsageError

__all__ = ["Logging", "configure_logging", "redact", "verbosity"]


_SECRET_PATTERNS = (
    re.compile(r"(<(SecretAccessKey|SessionToken)>)[^<]*(</\2>)"),
    re.compile(
        r"""(['"]?(?:SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token|"""
        r"""Password|NewPassword)['"]?\s*[:=]\s*b?['"]?)[^'",\s}&]+""",
        re.IGNORECASE,
    ),
    re.compile(r"""((?:X-Amz-Security-Token)['"]?\s*[:=]\s*b?['"]?)[^'",\s}&]+""", re.IGNORECASE),
)


def redact(text: str) -> str:
    """``text`` with AWS secret keys, session tokens and passwords replaced by ``***``."""
    text = _SECRET_PATTERNS[0].sub(r"\1***\3", text)
    for pattern in _SECRET_PATTERNS[1:]:
        text = pattern.sub(r"\1***", text)
    return text


class _StderrHandler(logging.Handler):
    """Writes to the *current* ``sys.stderr`` (so progress displays and tests see it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(redact(self.format(record)) + "\n")
        except (OSError, ValueError):
            self.handleError(record)


@dataclass
class Logging:
    handler: logging.Handler
    loggers: list[tuple[logging.Logger, int]]

    def close(self) -> None:
        for logger, level in self.loggers:
            logger.removeHandler(self.handler)
            logger.setLevel(level)


def verbosity(args: argparse.Namespace) -> int:
    if args.verbose is not None:
        return int(args.verbose)
    raw = os.environ.get(VERBOSE_ENV, "").strip()
    if not raw:
        return 0
    try:
        return max(int(raw), 0)
    except ValueError:
        raise UsageError(
            f"{VERBOSE_ENV}={raw!r} is not a number: set it to 0, 1, 2 or 3 (like -v counts)"
        ) from None


def configure_logging(verbosity: int, quiet: bool) -> Logging:
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if quiet:
        ours, botocore = logging.ERROR, logging.ERROR
    else:
        ours = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        botocore = logging.DEBUG if verbosity >= 3 else logging.WARNING
    loggers = []
    for name, level in (("root_access", ours), ("botocore", botocore), ("boto3", botocore)):
        logger = logging.getLogger(name)
        loggers.append((logger, logger.level))
        logger.setLevel(level)
        logger.addHandler(handler)
    return Logging(handler, loggers)
