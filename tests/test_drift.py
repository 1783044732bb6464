"""The drift conditions of root_access.drift: which audit outcomes each --fail-on name
holds for, and how the names are read."""

from __future__ import annotations

import pytest

from root_access import AccountResult, UsageError
from root_access.drift import EXIT_FAIL_ON, DriftCheck, condition_holds, parse_fail_on
from root_access.outcomes import Outcome
from root_access.results import CredentialResult, Summary

NOT_AUDITED = {
    Outcome.BLOCKED_BY_SCP,
    Outcome.ACCESS_DENIED,
    Outcome.THROTTLED,
    Outcome.ERROR,
    Outcome.SKIPPED_INACTIVE_ACCOUNT,
}


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_each_outcome_holds_for_exactly_its_conditions(outcome: Outcome) -> None:
    # given one account's result with that outcome
    result = AccountResult(account_id="222222222222", outcome=outcome)
    # when
    held = {c for c in ("present", "not-audited") if condition_holds(c, result)}
    # then
    expected = {
        *(["present"] if outcome is Outcome.ROOT_CREDENTIALS_PRESENT else []),
        *(["not-audited"] if outcome in NOT_AUDITED else []),
    }
    assert held == expected


def test_a_credential_still_present_counts_whatever_the_account_outcome() -> None:
    # given a result whose credential list still shows a password
    result = AccountResult(
        account_id="222222222222",
        outcome=Outcome.ERROR,
        credentials=(CredentialResult("password", "login_profile", Outcome.PRESENT),),
    )
    # when / then
    assert (condition_holds("present", result), condition_holds("not-audited", result)) == (
        True,
        True,
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["not-audited", "present"], ("present", "not-audited")),
        (["present", "present"], ("present",)),
        (["none"], ()),
        ([], ()),
    ],
)
def test_names_are_read_in_a_fixed_order(values: list[str], expected: tuple[str, ...]) -> None:
    assert parse_fail_on(values) == expected


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(UsageError, match=r"^--fail-on 'absent' is not a condition: choose"):
        parse_fail_on(["absent"])


def test_the_check_exits_3_only_when_a_condition_held() -> None:
    # given a check for present over a failed and a clean account
    check = DriftCheck(("present",))
    check.add(AccountResult(account_id="555555555555", outcome=Outcome.BLOCKED_BY_SCP))
    check.add(AccountResult(account_id="333333333333", outcome=Outcome.NO_ROOT_CREDENTIALS))
    failed = Summary(counts={"blocked_by_scp": 1}, total=2, failed=1)
    before = check.exit_code(failed)
    # when an account with credentials comes in
    check.add(AccountResult(account_id="666666666666", outcome=Outcome.ROOT_CREDENTIALS_PRESENT))
    # then
    assert (before, check.exit_code(failed), EXIT_FAIL_ON) == (1, 3, 3)
    assert check.lines() == ["present: 1 account holds root credentials (666666666666)"]
