"""``root-access allow-password-recovery``: let member root users recover their password."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from root_access import AccountResult, Journal, allow_password_recovery
from root_access.cli.command import CHANGES, Command
from root_access.cli.commands._common import add_dry_run
from root_access.cli.confirm import NOT_CONFIRMED, confirm_plan, several_accounts
from root_access.cli.options import add_selection_arguments, selection_of
from root_access.cli.output import emit
from root_access.cli.progress import Totals
from root_access.cli.run import prepare_run

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """Targeting and ``--dry-run``."""
    add_selection_arguments(parser)
    add_dry_run(parser)


def run(args: argparse.Namespace) -> int:
    """Allow password recovery in the selection; stream the results."""
    selection = selection_of(args)
    checked = prepare_run(
        args,
        destructive="lets the root users of several accounts recover their password",
        several=several_accounts(selection),
    )
    session = checked.session()

    def sweep(
        dry_run: bool, journal: Journal | None, on_targets: Totals | None = None
    ) -> Iterator[AccountResult]:
        return allow_password_recovery(
            session,
            selection=selection,
            dry_run=dry_run,
            journal=journal,
            resume=checked.resume and journal is not None,
            region=args.region,
            max_workers=args.max_workers,
            duration_seconds=args.duration_seconds,
            on_targets=on_targets,
            skip_scp_blocked=args.skip_scp_blocked,
        )

    with checked.evidence() as journal:
        planned = Totals()
        if checked.asks and not confirm_plan(args, sweep(True, None, planned), planned):
            return NOT_CONFIRMED
        totals = Totals()
        results = sweep(args.dry_run, journal, totals)
        title = "allow-password-recovery" + (" (dry run)" if args.dry_run else "")
        return emit(args, results, description=title, totals=totals)


COMMAND = Command(
    name="allow-password-recovery",
    help="let member root users recover their password (IAMCreateRootUserPassword)",
    description="Create a login profile without a password (CreateLoginProfile with "
    "no arguments) so the root user can use 'Forgot password'. Already allowed is a "
    "no-op success. Over more than one account, at a terminal it first shows the dry run "
    "and asks; without one, --yes is required.",
    examples=(
        "allow-password-recovery --accounts 222222222222",
        "allow-password-recovery --accounts 222222222222 --dry-run",
        "allow-password-recovery --organizational-units ou-ab12-cdefgh34 --yes",
    ),
    options=(
        "format",
        "output",
        "max_workers",
        "duration_seconds",
        "skip_scp_blocked",
        "yes",
        "journal",
        "resume",
    ),
    exit_codes=CHANGES,
    register=register,
    run=run,
)
