"""``root-access audit``: the root user of each selected member account, live."""

from __future__ import annotations

import argparse
import sys

from root_access import UsageError, audit
from root_access.cli.command import AUDIT, PROG, Command
from root_access.cli.commands._common import NO_EVIDENCE, READS
from root_access.cli.options import add_selection_arguments, selection_of, split
from root_access.cli.output import emit
from root_access.cli.progress import Totals
from root_access.cli.run import prepare_run
from root_access.drift import FAIL_ON, DriftCheck, parse_fail_on

__all__ = ["COMMAND", "fail_on", "register", "run"]


def fail_on(value: str) -> list[str]:
    """An argparse type: comma-separated ``--fail-on`` condition names (or ``none``)."""
    names = split(value)
    try:
        parse_fail_on(names)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--fail-on ")) from None
    return names


def register(parser: argparse.ArgumentParser) -> None:
    """The targeting flags and ``--fail-on``."""
    add_selection_arguments(parser)
    parser.add_argument(
        "--fail-on",
        action="extend",
        type=fail_on,
        default=[],
        metavar="LIST",
        help=f"exit 3 when a condition holds for any account: {', '.join(FAIL_ON)} "
        "(not-audited: blocked, denied, throttled, errored or not ACTIVE; comma-separated; "
        "default none), for scheduled drift jobs",
    )


def run(args: argparse.Namespace) -> int:
    """Audit the selection; stream the results out; exit 3 when a ``--fail-on``
    condition held."""
    selection = selection_of(args)
    conditions = parse_fail_on(args.fail_on)
    checked = prepare_run(args)
    totals = Totals()
    results = audit(
        checked.session(),
        selection=selection,
        region=args.region,
        max_workers=args.max_workers,
        duration_seconds=args.duration_seconds,
        detail=args.detail,
        on_targets=totals,
        skip_scp_blocked=args.skip_scp_blocked,
    )
    if not conditions:
        return emit(args, results, description="audit", totals=totals)
    drift = DriftCheck(conditions)
    code = emit(
        args, results, description="audit", watch=drift.add, judge=drift.exit_code, totals=totals
    )
    for line in drift.lines():
        sys.stderr.write(f"{PROG}: --fail-on {line}\n")
    return code


COMMAND = Command(
    name="audit",
    help="audit member root users (password, keys, certificates, MFA)",
    description="Audit the root user of each selected member account live, in an "
    "IAMAuditRootUserCredentials session: password, access keys (active and "
    "inactive), signing certificates, MFA devices, and the IAM.4/IAM.6/IAM.9 view.",
    examples=(
        "audit --all",
        "audit --organizational-units ou-ab12-cdefgh34 --exclude-accounts 444444444444",
        "audit --accounts 222222222222,555555555555 --format json",
        "audit --all --fail-on present,not-audited --format json --output audit.json",
        "audit --all --detail full",
    ),
    options=(*READS, "detail", "skip_scp_blocked"),
    exit_codes=AUDIT,
    register=register,
    run=run,
    refusals=NO_EVIDENCE,
)
