"""Pieces several commands share: ``--dry-run``, the refusal of evidence options."""

from __future__ import annotations

import argparse

__all__ = ["NO_EVIDENCE", "READS", "add_dry_run"]

READS = ("format", "output", "max_workers", "duration_seconds")
"""Shared options of the read-only multi-account verbs (audit, status)."""


def _no_evidence(flag: str) -> str:
    return (
        f"{flag} applies to the root-session changes (delete-credentials, "
        "allow-password-recovery, unlock-*), not to `{command}`: drop " + flag
    )


NO_EVIDENCE = {"journal": _no_evidence("--journal"), "resume": _no_evidence("--resume")}
"""Refusals of ``--journal`` / ``--resume`` on the verbs that change nothing per account."""


def add_dry_run(parser: argparse.ArgumentParser) -> None:
    """``--dry-run``: reads only."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="do the reads and show what would change; change nothing",
    )
