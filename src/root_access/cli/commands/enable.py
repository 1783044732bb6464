"""``root-access enable``: turn on centralized root access (idempotent)."""

from __future__ import annotations

import argparse

from root_access import FEATURES, enable
from root_access.cli.command import CONFIGURES, Command
from root_access.cli.commands._common import NO_EVIDENCE, add_dry_run
from root_access.cli.options import account_id, features
from root_access.cli.output import record
from root_access.cli.run import prepare_run
from root_access.enable import plan_enable

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """``--trusted-access``, ``--features``, ``--delegated-administrator``, ``--dry-run``."""
    parser.add_argument(
        "--trusted-access",
        action="store_true",
        help="also enable trusted access for iam.amazonaws.com (organizations:"
        "EnableAWSServiceAccess; the API does not do it for you)",
    )
    parser.add_argument(
        "--features",
        type=features,
        default=list(FEATURES),
        metavar="LIST",
        help=f"features to enable (default: {','.join(FEATURES)})",
    )
    parser.add_argument(
        "--delegated-administrator",
        type=account_id,
        metavar="ACCOUNT_ID",
        help="register this member account as the IAM delegated administrator",
    )
    add_dry_run(parser)


def run(args: argparse.Namespace) -> int:
    """Enable what is missing (or print the plan with ``--dry-run``)."""
    session = prepare_run(args).session()
    if args.dry_run:
        plan = plan_enable(
            session,
            trusted_access=args.trusted_access,
            features=tuple(args.features),
            delegated_administrator=args.delegated_administrator,
            region=args.region,
        )
        record(args, plan.to_dict(), "enable (dry run)")
        return 0
    result = enable(
        session,
        trusted_access=args.trusted_access,
        features=tuple(args.features),
        delegated_administrator=args.delegated_administrator,
        region=args.region,
    )
    record(args, result.to_dict(), "enable")
    return 0


COMMAND = Command(
    name="enable",
    help="enable RootCredentialsManagement and RootSessions (idempotent)",
    description="Enable the organization features for centralized root access, from "
    "the management account. Only what is missing is enabled.",
    examples=(
        "enable --trusted-access",
        "enable --features RootCredentialsManagement",
        "enable --delegated-administrator 333333333333 --dry-run",
    ),
    options=("format", "output"),
    exit_codes=CONFIGURES,
    register=register,
    run=run,
    refusals=NO_EVIDENCE,
)
