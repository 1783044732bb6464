"""``root-access delete-credentials``: delete member root credentials, then verify."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from root_access import AccountResult, Journal, delete_credentials
from root_access.cli.command import CHANGES, Command
from root_access.cli.commands._common import add_dry_run
from root_access.cli.confirm import NOT_CONFIRMED, confirm_plan
from root_access.cli.options import add_selection_arguments, selection_of
from root_access.cli.output import emit
from root_access.cli.progress import Totals
from root_access.cli.run import prepare_run

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """Targeting, ``--dry-run`` and ``--keep-virtual-mfa-devices``."""
    add_selection_arguments(parser)
    add_dry_run(parser)
    parser.add_argument(
        "--keep-virtual-mfa-devices",
        action="store_true",
        help="deactivate virtual MFA devices but do not try to delete them",
    )


def run(args: argparse.Namespace) -> int:
    """Delete (or plan to delete) the selection's root credentials; stream the results."""
    selection = selection_of(args)
    checked = prepare_run(args, destructive="deletes member root credentials")
    session = checked.session()

    def sweep(
        dry_run: bool, journal: Journal | None, on_targets: Totals | None = None
    ) -> Iterator[AccountResult]:
        return delete_credentials(
            session,
            selection=selection,
            dry_run=dry_run,
            delete_virtual_mfa=not args.keep_virtual_mfa_devices,
            journal=journal,
            resume=checked.resume and journal is not None,
            region=args.region,
            max_workers=args.max_workers,
            duration_seconds=args.duration_seconds,
            detail=args.detail,
            on_targets=on_targets,
            skip_scp_blocked=args.skip_scp_blocked,
        )

    with checked.evidence() as journal:
        planned = Totals()
        if checked.asks and not confirm_plan(args, sweep(True, None, planned), planned):
            return NOT_CONFIRMED
        totals = Totals()
        results = sweep(args.dry_run, journal, totals)
        title = "delete-credentials (dry run)" if args.dry_run else "delete-credentials"
        return emit(args, results, description=title, details=True, totals=totals)


COMMAND = Command(
    name="delete-credentials",
    help="delete member root credentials (password, keys, certificates, MFA)",
    description="Delete every root credential of each selected member account in an "
    "IAMDeleteRootUserCredentials session: the password, every access key and "
    "signing certificate; deactivate every MFA device and try to delete the virtual ones "
    "(a device the task policy does not let us delete is left in place, deactivated); "
    "then verify with a fresh audit. What is already gone is already_absent. At a "
    "terminal it first shows what it would remove (the dry run) and asks; without one, "
    "--yes is required.",
    examples=(
        "delete-credentials --accounts 222222222222 --dry-run",
        "delete-credentials --all --yes --journal evidence.jsonl --format json",
        "delete-credentials --organizational-units ou-ab12-cdefgh34 --journal evidence.jsonl",
        "delete-credentials --resume evidence.jsonl --organizational-units ou-ab12-cdefgh34",
    ),
    options=(
        "format",
        "output",
        "max_workers",
        "duration_seconds",
        "detail",
        "skip_scp_blocked",
        "yes",
        "journal",
        "resume",
    ),
    exit_codes=CHANGES,
    register=register,
    run=run,
)
