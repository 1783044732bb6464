"""Drift conditions of an audit: what makes a scheduled drift job fail.

``root-access audit --fail-on present,not-audited`` exits :data:`EXIT_FAIL_ON` (3) when
a named condition holds for any audited account (:class:`DriftCheck`):

- ``present``: the account's root user holds a password, access key, signing
  certificate or MFA device (outcome ``root_credentials_present``).
- ``not-audited``: the account could not be looked into, so it may hold root
  credentials: ``blocked_by_scp``, ``access_denied``, ``throttled``, ``error``, and
  ``skipped_inactive_account``. A SUSPENDED (or PENDING_CLOSURE) account is counted:
  its root user can still hold a password, nobody looked (the engine never assumes
  into an account that is not ACTIVE), and unknown is never clean. To accept such an
  account, exclude it explicitly (``--exclude-accounts``), a decision the pipeline
  then records. The management account (``skipped_management_account``) is not
  counted: centralized root access does not cover it (AWS IAM User Guide, "Centrally
  manage root access for member accounts"), so no audit of it is missing.

Exit 3 takes precedence over 1 (some account failed) when a named condition holds; 1
and 2 keep their meaning otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from root_access.errors import UsageError
from root_access.outcomes import Outcome
from root_access.results import AccountResult, Summary

__all__ = [
    "EXIT_FAIL_ON",
    "FAIL_ON",
    "NOT_AUDITED_OUTCOMES",
    "DriftCheck",
    "condition_holds",
    "parse_fail_on",
]

_SHOWN = 10

EXIT_FAIL_ON = 3
"""Exit code of an audit where a ``--fail-on`` condition held."""

FAIL_ON: Mapping[str, str] = {
    "present": "hold root credentials",
    "not-audited": "could not be audited",
}
"""The ``--fail-on`` condition names and what an account they hold for is said to do."""

NOT_AUDITED_OUTCOMES = frozenset(
    {
        Outcome.BLOCKED_BY_SCP,
        Outcome.ACCESS_DENIED,
        Outcome.THROTTLED,
        Outcome.ERROR,
        Outcome.SKIPPED_INACTIVE_ACCOUNT,
    }
)
"""Audit outcomes of a member account whose root user nobody looked at."""


def parse_fail_on(values: Iterable[str]) -> tuple[str, ...]:
    """The condition names of ``--fail-on`` (``none`` alone: none), in :data:`FAIL_ON`
    order. Raises :class:`UsageError` naming the unknown one and the valid names."""
    names = [v.strip() for v in values if v.strip()]
    if names == ["none"]:
        return ()
    for name in names:
        if name not in FAIL_ON:
            raise UsageError(
                f"--fail-on {name!r} is not a condition: choose from "
                f"{', '.join(FAIL_ON)} (comma-separated), or none"
            )
    return tuple(name for name in FAIL_ON if name in names)


def condition_holds(condition: str, result: AccountResult) -> bool:
    """True when ``condition`` (a key of :data:`FAIL_ON`) holds for one audit result."""
    if condition == "present":
        return result.outcome is Outcome.ROOT_CREDENTIALS_PRESENT or result.has_root_credentials
    if condition == "not-audited":
        return result.outcome in NOT_AUDITED_OUTCOMES
    raise ValueError(f"unknown condition {condition!r}")


@dataclass
class DriftCheck:
    """Watches audit results as they stream (:meth:`add`) for ``conditions``.

    ``held``: condition -> the account ids it held for, in arrival order.
    """

    conditions: tuple[str, ...]
    held: dict[str, list[str]] = field(default_factory=dict)

    def add(self, result: AccountResult) -> None:
        """Note one account's audit result."""
        for condition in self.conditions:
            if condition_holds(condition, result):
                self.held.setdefault(condition, []).append(result.account_id)

    @property
    def failed(self) -> bool:
        """True when any condition held for any account."""
        return any(self.held.values())

    def exit_code(self, summary: Summary) -> int:
        """:data:`EXIT_FAIL_ON` when a condition held, else ``summary.exit_code``."""
        return EXIT_FAIL_ON if self.failed else summary.exit_code

    def lines(self) -> list[str]:
        """One line per condition that held, e.g. ``present: 2 accounts hold root
        credentials (222222222222, 666666666666)``."""
        out = []
        for condition in self.conditions:
            ids = self.held.get(condition, [])
            if ids:
                noun = "account" if len(ids) == 1 else "accounts"
                verb = FAIL_ON[condition]
                if len(ids) == 1:
                    verb = verb.replace("hold ", "holds ")
                shown = sorted(ids)[:_SHOWN]
                more = f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else ""
                out.append(f"{condition}: {len(ids)} {noun} {verb} ({', '.join(shown)}{more})")
        return out
