"""What every command checks before any AWS call, and the caller's session.

:func:`prepare_run` checks the paths and flag combinations (``--output``, ``--journal``,
``--resume``, ``-q`` with ``-v``), decides whether a destructive verb must ask first
(:func:`root_access.cli.confirm.must_ask`: without a terminal it needs ``--yes``) and
opens the evidence journal; :meth:`Run.session`
builds the caller's session through the engine's one resolution of profile and region
(:func:`root_access.open_session`).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3

from root_access import Journal, UsageError, open_session
from root_access.cli.confirm import must_ask
from root_access.cli.output import check_writable

__all__ = ["Run", "prepare_run"]


@dataclass
class Run:
    """The checked options of one command: ``args``, the ``journal`` (``--journal`` or
    ``--resume``), ``resume``, ``asks`` (show the dry run and ask before changing)."""

    args: argparse.Namespace
    journal: Journal | None
    resume: bool
    asks: bool = False

    @contextlib.contextmanager
    def evidence(self) -> Iterator[Journal | None]:
        """The open journal (closed at the end), or ``None`` without one."""
        if self.journal is None:
            yield None
            return
        with self.journal:
            yield self.journal

    def session(self) -> boto3.Session:
        """The caller's boto3 session (``--profile``, ``--region``; empty means unset)."""
        return open_session(profile=self.args.profile, region=self.args.region)


def prepare_run(
    args: argparse.Namespace, *, destructive: str | None = None, several: bool = True
) -> Run:
    """Check the paths and flag combinations of a command (no AWS call).

    ``destructive``: what the verb does ("deletes member root credentials"), for verbs
    that confirm first; ``several``: whether this run's scope calls for it. Raises
    :class:`UsageError` when it must ask but stdin is not a terminal (before the journal
    is opened)."""
    if args.quiet and args.verbose:
        raise UsageError("-q and -v contradict each other: pick one")
    if args.output:
        check_writable(args.output, "--output")
    journal_path = args.journal
    if args.resume:
        if not Path(args.resume).is_file():
            raise UsageError(
                f"--resume {args.resume}: no such journal; pass the --journal file of the "
                "interrupted run"
            )
        if args.journal and Path(args.journal).resolve() != Path(args.resume).resolve():
            raise UsageError(
                "--resume appends to the journal it resumes: drop --journal or give the same file"
            )
        journal_path = args.resume
    if journal_path:
        check_writable(journal_path, "--journal")
    asks = must_ask(args, does=destructive, applies=several) if destructive else False
    return Run(
        args=args,
        journal=Journal(journal_path) if journal_path else None,
        resume=bool(args.resume),
        asks=asks,
    )
