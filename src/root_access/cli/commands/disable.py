"""``root-access disable``: turn centralized root access features off (asks first)."""

from __future__ import annotations

import argparse
import sys

from root_access import FEATURES, disable
from root_access.cli.command import CONFIGURES, PROG, Command
from root_access.cli.commands._common import NO_EVIDENCE, add_dry_run
from root_access.cli.confirm import ask
from root_access.cli.options import account_id, features
from root_access.cli.output import record
from root_access.cli.run import prepare_run
from root_access.enable import plan_disable

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """``--features``, ``--delegated-administrator``, ``--trusted-access``, ``--dry-run``
    (``--yes`` is a shared option)."""
    parser.add_argument(
        "--features",
        type=features,
        default=list(FEATURES),
        metavar="LIST",
        help=f"features to disable (default: {','.join(FEATURES)})",
    )
    parser.add_argument(
        "--delegated-administrator",
        type=account_id,
        metavar="ACCOUNT_ID",
        help="also deregister this IAM delegated administrator",
    )
    parser.add_argument(
        "--trusted-access",
        action="store_true",
        help="also disable trusted access for iam.amazonaws.com (after the features)",
    )
    add_dry_run(parser)


def run(args: argparse.Namespace) -> int:
    """Plan, confirm (unless ``--yes``), then disable with the plan's preflight."""
    checked = prepare_run(args, destructive="turns features off for the whole organization")
    session = checked.session()
    plan = plan_disable(
        session,
        features=tuple(args.features),
        delegated_administrator=args.delegated_administrator,
        trusted_access=args.trusted_access,
        region=args.region,
    )
    if args.dry_run:
        record(args, plan.to_dict(), "disable (dry run)")
        return 0
    if checked.asks:
        what = ", ".join(plan.disable_features) or "nothing"
        question = (
            f"Disable {what} for organization {plan.preflight.organization_id}? Central audit "
            "and deletion of member root credentials stop for every member account. [y/N] "
        )
        if not ask(question):
            sys.stderr.write(f"{PROG}: not confirmed; nothing was disabled\n")
            return 2
    result = disable(
        session,
        features=tuple(args.features),
        delegated_administrator=args.delegated_administrator,
        trusted_access=args.trusted_access,
        region=args.region,
        preflight_result=plan.preflight,
    )
    record(args, result.to_dict(), "disable")
    return 0


COMMAND = Command(
    name="disable",
    help="disable centralized root access features (asks for confirmation)",
    description="Disable RootCredentialsManagement and/or RootSessions for the whole "
    "organization. Asks for confirmation; without a terminal, --yes is required.",
    examples=("disable --features RootSessions", "disable --yes"),
    options=("format", "output", "yes"),
    exit_codes=CONFIGURES,
    register=register,
    run=run,
    refusals=NO_EVIDENCE,
)
