"""Confirmation before destructive work: show the plan, ask, or require ``--yes``.

The destructive verbs (``delete-credentials``; ``allow-password-recovery`` over more than
one account; the unlocks; ``disable``) ask before they change anything:

- ``--dry-run`` never asks (it changes nothing); ``--yes`` skips the question.
- Without a terminal on stdin they refuse in one line before any AWS call (exit 2):
  a pipeline says ``--yes`` on purpose (:func:`must_ask`).
- At a terminal they first run the verb's dry run (reads only, no journal) and show
  what the real run would do, e.g. ``delete-credentials would remove 3 root credentials
  (1 password, 1 access key, 1 MFA device) from 2 of 8 accounts (4 skipped; 1 could not
  be read: 1 blocked_by_scp). Go ahead? [y/N]``; only ``y`` / ``yes`` goes ahead
  (:func:`confirm_plan`). When the dry run finds nothing to change, nothing is asked.

The Terraform entry scripts never reach this module: a ``terraform apply`` is the
confirmation there.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from root_access import AccountResult, UsageError
from root_access.cli.command import PROG
from root_access.cli.progress import Totals, progress_for
from root_access.outcomes import Outcome
from root_access.selection import Selection

__all__ = ["NOT_CONFIRMED", "Plan", "ask", "confirm_plan", "must_ask", "several_accounts"]

NOT_CONFIRMED = 2
"""Exit code of a run the user did not confirm (nothing was changed)."""

_NOUNS = {
    "password": ("password", "passwords"),
    "access_key": ("access key", "access keys"),
    "signing_certificate": ("signing certificate", "signing certificates"),
    "mfa_device": ("MFA device", "MFA devices"),
    "bucket_policy": ("bucket policy", "bucket policies"),
    "queue_policy": ("queue policy", "queue policies"),
}
_KIND_ORDER = tuple(_NOUNS)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # closed
        return False


def several_accounts(selection: Selection) -> bool:
    """True unless ``selection`` names exactly one account id (and no OU, no ``--all``)."""
    return bool(selection.all or selection.organizational_units or len(selection.accounts) != 1)


def must_ask(args: argparse.Namespace, *, does: str, applies: bool = True) -> bool:
    """True when this run must ask first (not ``--dry-run``, not ``--yes``, ``applies``).

    Raises :class:`UsageError` (one line, exit 2) when it must ask but stdin is not a
    terminal; call it before any AWS call. ``does`` completes "``<verb> <does>``".
    """
    if not applies or args.dry_run or args.yes:
        return False
    if not _isatty(sys.stdin):
        raise UsageError(
            f"{args.command} {does} and needs confirmation: run it at a terminal, or pass "
            "--yes (see what it would do with --dry-run)"
        )
    return True


def ask(question: str) -> bool:
    """Ask ``question`` on stderr, read the answer from stdin; True for ``y`` / ``yes``."""
    sys.stderr.write(question)
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


@dataclass
class Plan:
    """What a dry run found: ``accounts`` reported, ``changing`` (accounts something
    would change in), ``items`` (credential kind -> would-delete count), ``skipped``,
    ``failed`` (outcome -> accounts that could not be read)."""

    accounts: int = 0
    changing: int = 0
    skipped: int = 0
    items: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)

    def add(self, result: AccountResult) -> None:
        """Count one dry-run result."""
        self.accounts += 1
        would = [c for c in result.credentials if c.outcome is Outcome.WOULD_DELETE]
        for cred in would:
            self.items[cred.kind] = self.items.get(cred.kind, 0) + 1
            if cred.kind in ("bucket_policy", "queue_policy"):
                self.targets.append(cred.id)
        if would or result.outcome is Outcome.WOULD_ENABLE_RECOVERY:
            self.changing += 1
        if result.outcome in (
            Outcome.SKIPPED_INACTIVE_ACCOUNT,
            Outcome.SKIPPED_MANAGEMENT_ACCOUNT,
        ):
            self.skipped += 1
        if result.failed:
            self.failed[result.outcome.value] = self.failed.get(result.outcome.value, 0) + 1

    def items_text(self) -> str:
        """``3 root credentials (1 password, 1 access key, 1 MFA device)``-style phrase."""
        total = sum(self.items.values())
        parts = []
        for kind in _KIND_ORDER:
            n = self.items.get(kind, 0)
            if n:
                one, many = _NOUNS[kind]
                parts.append(f"{n} {one if n == 1 else many}")
        return f"{total} root credential{'' if total == 1 else 's'} ({', '.join(parts)})"

    def rest_text(self) -> str:
        """`` (4 skipped; 1 could not be read: 1 blocked_by_scp)`` or empty."""
        parts = []
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        failed = sum(self.failed.values())
        if failed:
            why = ", ".join(f"{n} {name}" for name, n in sorted(self.failed.items()))
            parts.append(f"{failed} could not be read: {why}")
        return f" ({'; '.join(parts)})" if parts else ""


def _sentence(verb: str, plan: Plan) -> str:
    of = f"{plan.changing} of {plan.accounts} account{'' if plan.accounts == 1 else 's'}"
    if verb == "delete-credentials":
        return f"{verb} would remove {plan.items_text()} from {of}{plan.rest_text()}."
    if verb == "allow-password-recovery":
        return f"{verb} would allow password recovery in {of}{plan.rest_text()}."
    kind = "bucket_policy" if "bucket_policy" in plan.items else "queue_policy"
    one, many = _NOUNS[kind]
    n = plan.items.get(kind, 0)
    return (
        f"{verb} would delete {n} {one if n == 1 else many} ({', '.join(plan.targets)})"
        f"{plan.rest_text()}."
    )


def confirm_plan(
    args: argparse.Namespace,
    results: Iterable[AccountResult],
    totals: Totals | None = None,
) -> bool:
    """Run the dry run ``results`` (progress on stderr), say what the real run would do
    and ask; True to go ahead (also when the dry run finds nothing to change).
    ``totals``: the hook the dry run was given as ``on_targets`` (the progress total)."""
    plan = Plan()
    with progress_for(f"{args.command} (planning)", sys.stderr, quiet=args.quiet) as progress:
        if totals is not None:
            totals.bind(progress.set_total)
        for result in results:
            progress.advance(result)
            plan.add(result)
    if not plan.changing:
        return True
    if ask(f"{_sentence(args.command, plan)} Go ahead? [y/N] "):
        return True
    sys.stderr.write(f"{PROG}: not confirmed; nothing was changed\n")
    return False
