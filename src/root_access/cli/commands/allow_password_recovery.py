"""``root-access allow-password-recovery``: let member root users recover their password."""

from __future__ import annotations

import argparse

from root_access import allow_password_recovery
from root_access.cli.command import TARGETED, Command
from root_access.cli.commands._common import add_dry_run
from root_access.cli.options import add_selection_arguments, selection_of
from root_access.cli.output import emit
from root_access.cli.run import prepare_run

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """Targeting and ``--dry-run``."""
    add_selection_arguments(parser)
    add_dry_run(parser)


def run(args: argparse.Namespace) -> int:
    """Allow password recovery in the selection; stream the results."""
    selection = selection_of(args)
    checked = prepare_run(args)
    with checked.evidence() as journal:
        results = allow_password_recovery(
            checked.session(),
            selection=selection,
            dry_run=args.dry_run,
            journal=journal,
            resume=checked.resume,
            region=args.region,
            max_workers=args.max_workers,
            duration_seconds=args.duration_seconds,
        )
        title = "allow-password-recovery" + (" (dry run)" if args.dry_run else "")
        return emit(args, results, description=title)


COMMAND = Command(
    name="allow-password-recovery",
    help="let member root users recover their password (IAMCreateRootUserPassword)",
    description="Create a login profile without a password (CreateLoginProfile with "
    "no arguments) so the root user can use 'Forgot password'. Already allowed is a "
    "no-op success.",
    examples=(
        "allow-password-recovery --accounts 222222222222",
        "allow-password-recovery --accounts 222222222222 --dry-run",
    ),
    options=("format", "output", "max_workers", "duration_seconds", "journal", "resume"),
    exit_codes=TARGETED,
    register=register,
    run=run,
)
