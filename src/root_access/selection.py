"""Which accounts a multi-account command targets, validated before any AWS call.

Account ids are 12-digit strings, OU ids ``ou-<root>-<suffix>``, the organization
root ``r-<suffix>`` (Organizations API Reference, ``OrganizationalUnit.Id`` and
``Root.Id`` patterns). An organization-wide run must be asked for with ``all=True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from root_access import rules
from root_access.arns import ACCOUNT_ID
from root_access.errors import UsageError

__all__ = ["OU_ID", "ROOT_ID", "Selection"]

OU_ID = rules.ORGANIZATIONAL_UNIT_ID.compiled
"""Organizations ``OrganizationalUnitId`` pattern."""
ROOT_ID = rules.ROOT_ID.compiled
"""Organizations ``RootId`` pattern."""


def _strings(values: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise UsageError(f"{what} must be a list of ids, not the string {values!r}")
    return tuple(values)


@dataclass(frozen=True)
class Selection:
    """Accounts to act on: explicit ids, OU subtrees (nested OUs included), or ``all``.

    Exclusions apply last. ``validate()`` checks the shape only (no AWS call) and
    raises :class:`UsageError` with one line saying what to do.
    """

    accounts: tuple[str, ...] = ()
    organizational_units: tuple[str, ...] = ()
    exclude_accounts: tuple[str, ...] = ()
    exclude_organizational_units: tuple[str, ...] = ()
    all: bool = False

    def __post_init__(self) -> None:
        for name in (
            "accounts",
            "organizational_units",
            "exclude_accounts",
            "exclude_organizational_units",
        ):
            object.__setattr__(self, name, _strings(getattr(self, name), name))

    def validate(self, *, management_account_id: str | None = None) -> Selection:
        """Check ids and flag combinations; return ``self`` for chaining.

        Raises :class:`UsageError` for: malformed account or OU ids, an empty selection,
        ``all`` combined with explicit accounts or OUs, an account both selected and
        excluded, and (when ``management_account_id`` is given) the management account
        named explicitly as a target.
        """
        for value in (*self.accounts, *self.exclude_accounts):
            if not isinstance(value, str) or ACCOUNT_ID.fullmatch(value) is None:
                raise UsageError(
                    f"malformed account id {value!r}: account ids are 12-digit strings, "
                    f"e.g. {rules.ACCOUNT_ID.example}"
                )
        for value in (*self.organizational_units, *self.exclude_organizational_units):
            if not isinstance(value, str) or (
                OU_ID.fullmatch(value) is None and ROOT_ID.fullmatch(value) is None
            ):
                raise UsageError(
                    f"malformed organizational unit id {value!r}: expected ou-xxxx-yyyyyyyy "
                    "or the root r-xxxx"
                )
        if self.all and (self.accounts or self.organizational_units):
            raise UsageError(
                "--all conflicts with --accounts/--organizational-units: choose one selection"
            )
        if not self.all and not self.accounts and not self.organizational_units:
            raise UsageError(
                "empty selection: name --accounts or --organizational-units, "
                "or ask for an organization-wide run with --all"
            )
        both = sorted(set(self.accounts) & set(self.exclude_accounts))
        if both:
            raise UsageError(
                f"account {both[0]} is both selected and excluded: remove it from one list"
            )
        both = sorted(set(self.organizational_units) & set(self.exclude_organizational_units))
        if both:
            raise UsageError(
                f"organizational unit {both[0]} is both selected and excluded: "
                "remove it from one list"
            )
        if management_account_id is not None and management_account_id in self.accounts:
            raise UsageError(
                f"account {management_account_id} is the management account, which centralized "
                "root access does not cover: remove it from --accounts"
            )
        return self
