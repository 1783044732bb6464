"""What the two unlock commands share: ``--account``, ``--dry-run``, no ``--resume``."""

from __future__ import annotations

import argparse

from root_access.cli.commands._common import add_dry_run
from root_access.cli.options import account_id

__all__ = ["NO_RESUME", "OPTIONS", "add_account"]

OPTIONS = ("format", "output", "duration_seconds", "yes", "journal")
"""Shared options of the unlocks (one account: no --max-workers; no --resume)."""

NO_RESUME = {
    "resume": "--resume applies to multi-account commands; rerun the unlock instead (it is "
    "safe: an absent policy is already_absent)",
    "max_workers": "--max-workers applies to multi-account commands; `{command}` works on "
    "one account: drop --max-workers",
}


def add_account(parser: argparse.ArgumentParser, owns: str) -> None:
    """``--account`` (required) and ``--dry-run``."""
    parser.add_argument(
        "--account",
        required=True,
        type=account_id,
        metavar="ID",
        help=f"the member account (12 digits) that owns the {owns}",
    )
    add_dry_run(parser)
