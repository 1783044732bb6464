"""``root-access audit``: the root user of each selected member account, live."""

from __future__ import annotations

import argparse

from root_access import audit
from root_access.cli.command import TARGETED, Command
from root_access.cli.commands._common import NO_EVIDENCE, READS
from root_access.cli.options import add_selection_arguments, selection_of
from root_access.cli.output import emit
from root_access.cli.run import prepare_run

__all__ = ["COMMAND", "register", "run"]


def register(parser: argparse.ArgumentParser) -> None:
    """The targeting flags."""
    add_selection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Audit the selection; stream the results out."""
    selection = selection_of(args)
    checked = prepare_run(args)
    results = audit(
        checked.session(),
        selection=selection,
        region=args.region,
        max_workers=args.max_workers,
        duration_seconds=args.duration_seconds,
    )
    return emit(args, results, description="audit")


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
    ),
    options=READS,
    exit_codes=TARGETED,
    register=register,
    run=run,
    refusals=NO_EVIDENCE,
)
