"""``root-access status``: preflight, task readiness and the organization as a tree."""

from __future__ import annotations

import argparse
import sys

from root_access import AccountResult, Selection, audit, summarize
from root_access.cli.command import STATUS, Command
from root_access.cli.commands._common import NO_EVIDENCE, READS
from root_access.cli.output import Output, output_format
from root_access.cli.progress import progress_for
from root_access.cli.run import prepare_run
from root_access.cli.tree import render_status
from root_access.status import status

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """``--audit``."""
    parser.add_argument(
        "--audit",
        action="store_true",
        help="also audit every member account (IAMAuditRootUserCredentials) to show each "
        "root user's credential posture",
    )


def run(args: argparse.Namespace) -> int:
    """Read the status (one preflight), audit with it when asked, render."""
    session = prepare_run(args).session()
    found = status(session, region=args.region)
    audit_results: dict[str, AccountResult] | None = None
    exit_code = 0
    if args.audit:
        audit_results = {}
        stream = audit(
            session,
            selection=Selection(all=True),
            preflight_result=found.preflight,
            region=args.region,
            max_workers=args.max_workers,
            duration_seconds=args.duration_seconds,
        )
        with progress_for("audit", sys.stderr, quiet=args.quiet) as progress:
            for result in stream:
                progress.advance(result)
                audit_results[result.account_id] = result
        exit_code = summarize(audit_results.values()).exit_code
    with Output(args.output) as out:
        render_status(output_format(args), out, found, audit=audit_results)
    return exit_code


COMMAND = Command(
    name="status",
    help="preflight checks, the organization as a tree, and the SCP lint",
    description="Check the caller, region, organization, trusted access for "
    "iam.amazonaws.com and the enabled features, then draw the organization "
    "(OUs, accounts, management account, IAM delegated administrator), and lint the "
    "service control policies of every account before any AssumeRoot: which accounts "
    "an SCP would block in root sessions, for which task, naming the policy, the "
    "statement and the condition to add (unknown when they cannot be read).",
    examples=("status", "status --audit --format json"),
    options=READS,
    exit_codes=STATUS,
    register=register,
    run=run,
    refusals=NO_EVIDENCE,
)
