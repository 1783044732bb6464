"""``root-access unlock-sqs-queue-policy``: remove a queue policy that locks everyone out."""

from __future__ import annotations

import argparse

from root_access import AccountResult, Journal, unlock_sqs_queue_policy
from root_access.cli.command import CHANGES_ONE_ACCOUNT, Command
from root_access.cli.commands._unlock import NO_RESUME, OPTIONS, add_account
from root_access.cli.confirm import NOT_CONFIRMED, confirm_plan
from root_access.cli.options import split
from root_access.cli.output import emit
from root_access.cli.run import prepare_run
from root_access.unlock_sqs import parse_queue_url

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """``--account``, ``--queue-url`` (repeatable) and ``--dry-run``."""
    add_account(parser, "queues")
    parser.add_argument(
        "--queue-url",
        required=True,
        action="extend",
        type=split,
        metavar="URL",
        help="queue URL (comma-separated or repeated)",
    )


def run(args: argparse.Namespace) -> int:
    """Record and remove each queue's policy; print the account's result."""
    urls = tuple(
        dict.fromkeys(parse_queue_url(u, account_id=args.account)[0] for u in args.queue_url)
    )
    checked = prepare_run(args, destructive="removes queue policies")
    session = checked.session()

    def unlock(dry_run: bool, journal: Journal | None) -> AccountResult:
        return unlock_sqs_queue_policy(
            session,
            account_id=args.account,
            queue_urls=urls,
            dry_run=dry_run,
            journal=journal,
            region=args.region,
            duration_seconds=args.duration_seconds,
        )

    with checked.evidence() as journal:
        if checked.asks and not confirm_plan(args, [unlock(True, None)]):
            return NOT_CONFIRMED
        result = unlock(args.dry_run, journal)
        title = "unlock-sqs-queue-policy" + (" (dry run)" if args.dry_run else "")
        return emit(args, [result], description=title, details=True)


COMMAND = Command(
    name="unlock-sqs-queue-policy",
    help="delete a queue policy that locks everyone out (SQSUnlockQueuePolicy)",
    description="Record the queue policy (as evidence) and remove it, in an "
    "SQSUnlockQueuePolicy root session of the member account that owns the queue.",
    examples=(
        "unlock-sqs-queue-policy --account 222222222222 "
        "--queue-url https://sqs.eu-west-1.amazonaws.com/222222222222/orders --dry-run",
    ),
    options=OPTIONS,
    exit_codes=CHANGES_ONE_ACCOUNT,
    register=register,
    run=run,
    refusals=NO_RESUME,
)
