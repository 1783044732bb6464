"""``root-access unlock-s3-bucket-policy``: delete a bucket policy that locks everyone out."""

from __future__ import annotations

import argparse

from root_access import AccountResult, Journal, unlock_s3_bucket_policy
from root_access.cli.command import CHANGES_ONE_ACCOUNT, Command
from root_access.cli.commands._unlock import NO_RESUME, OPTIONS, add_account
from root_access.cli.confirm import NOT_CONFIRMED, confirm_plan
from root_access.cli.options import split
from root_access.cli.output import emit
from root_access.cli.run import prepare_run
from root_access.unlock_s3 import validate_bucket_name

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """``--account``, ``--bucket`` (repeatable) and ``--dry-run``."""
    add_account(parser, "buckets")
    parser.add_argument(
        "--bucket",
        required=True,
        action="extend",
        type=split,
        metavar="NAME",
        help="bucket name (comma-separated or repeated)",
    )


def run(args: argparse.Namespace) -> int:
    """Record and delete each bucket's policy; print the account's result."""
    buckets = tuple(dict.fromkeys(validate_bucket_name(b) for b in args.bucket))
    checked = prepare_run(args, destructive="deletes bucket policies")
    session = checked.session()

    def unlock(dry_run: bool, journal: Journal | None) -> AccountResult:
        return unlock_s3_bucket_policy(
            session,
            account_id=args.account,
            buckets=buckets,
            dry_run=dry_run,
            journal=journal,
            region=args.region,
            duration_seconds=args.duration_seconds,
        )

    with checked.evidence() as journal:
        if checked.asks and not confirm_plan(args, [unlock(True, None)]):
            return NOT_CONFIRMED
        result = unlock(args.dry_run, journal)
        title = "unlock-s3-bucket-policy" + (" (dry run)" if args.dry_run else "")
        return emit(args, [result], description=title, details=True)


COMMAND = Command(
    name="unlock-s3-bucket-policy",
    help="delete a bucket policy that locks everyone out (S3UnlockBucketPolicy)",
    description="Record the bucket policy (as evidence) and delete it, in an "
    "S3UnlockBucketPolicy root session of the member account that owns the bucket.",
    examples=("unlock-s3-bucket-policy --account 222222222222 --bucket my-bucket --dry-run",),
    options=OPTIONS,
    exit_codes=CHANGES_ONE_ACCOUNT,
    register=register,
    run=run,
    refusals=NO_RESUME,
)
