"""Selection validation: shapes and combinations, no AWS call."""

from __future__ import annotations

import pytest

from root_access import Selection, UsageError


def test_valid_selection_validates_to_itself() -> None:
    # given
    selection = Selection(
        accounts=("222222222222",),
        organizational_units=("ou-ab12-cdefgh34", "r-ab12"),
        exclude_accounts=("444444444444",),
    )
    # when
    validated = selection.validate(management_account_id="111111111111")
    # then
    assert validated is selection


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (
            Selection(accounts=("12345",)),
            "malformed account id '12345': account ids are 12-digit strings, e.g. 222222222222",
        ),
        (
            Selection(accounts=("22222222222a",)),
            "malformed account id '22222222222a': account ids are 12-digit strings, "
            "e.g. 222222222222",
        ),
        (
            Selection(all=True, exclude_accounts=("1",)),
            "malformed account id '1': account ids are 12-digit strings, e.g. 222222222222",
        ),
        (
            Selection(organizational_units=("ou-bad",)),
            "malformed organizational unit id 'ou-bad': expected ou-xxxx-yyyyyyyy or the root "
            "r-xxxx",
        ),
        (
            Selection(),
            "empty selection: name --accounts or --organizational-units, or ask for an "
            "organization-wide run with --all",
        ),
        (
            Selection(exclude_accounts=("222222222222",)),
            "empty selection: name --accounts or --organizational-units, or ask for an "
            "organization-wide run with --all",
        ),
        (
            Selection(all=True, accounts=("222222222222",)),
            "--all conflicts with --accounts/--organizational-units: choose one selection",
        ),
        (
            Selection(accounts=("222222222222",), exclude_accounts=("222222222222",)),
            "account 222222222222 is both selected and excluded: remove it from one list",
        ),
        (
            Selection(
                organizational_units=("ou-ab12-cdefgh34",),
                exclude_organizational_units=("ou-ab12-cdefgh34",),
            ),
            "organizational unit ou-ab12-cdefgh34 is both selected and excluded: remove it "
            "from one list",
        ),
    ],
)
def test_bad_selection_is_a_usage_error(selection: Selection, message: str) -> None:
    # given a malformed, empty or conflicting selection
    # when / then
    with pytest.raises(UsageError) as raised:
        selection.validate()
    assert str(raised.value) == message


def test_management_account_named_explicitly_is_rejected() -> None:
    # given
    selection = Selection(accounts=("222222222222", "111111111111"))
    # when / then
    with pytest.raises(UsageError) as raised:
        selection.validate(management_account_id="111111111111")
    assert str(raised.value) == (
        "account 111111111111 is the management account, which centralized root access "
        "does not cover: remove it from --accounts"
    )


def test_a_string_instead_of_a_list_is_rejected() -> None:
    # given / when / then
    with pytest.raises(UsageError) as raised:
        Selection(accounts="222222222222")  # type: ignore[arg-type]
    assert str(raised.value) == "accounts must be a list of ids, not the string '222222222222'"


def test_lists_are_stored_as_tuples() -> None:
    # given / when
    selection = Selection(accounts=["222222222222"])  # type: ignore[arg-type]
    # then
    assert selection.accounts == ("222222222222",)
