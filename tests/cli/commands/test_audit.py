"""`root-access audit --fail-on` (issue 15 item 2): a scheduled drift job fails with exit
3 when an account holds root credentials or could not be audited; 1 and 2 keep their
meaning."""

from __future__ import annotations

import json

import pytest

from root_access.cli import main
from root_access.simulator import Simulator


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_present_fails_with_3_and_names_the_accounts(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default organization (222222222222 and 666666666666 hold credentials)
    # when
    code, out, err = _run(capsys, "audit", "--all", "--fail-on", "present", "--format", "json")
    # then
    document = json.loads(out)
    assert code == 3
    assert document["summary"]["exit_code"] == 3
    assert document["interrupted"] is False
    assert err == (
        "root-access: --fail-on present: 2 accounts hold root credentials "
        "(222222222222, 666666666666)\n"
    )


def test_not_audited_counts_failures_and_suspended_accounts_not_the_management_account(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given an SCP-blocked account, two inactive ones and the management account
    # when both conditions are asked for (repeated flag and comma list combine)
    code, _, err = _run(
        capsys, "audit", "--all", "--fail-on", "not-audited", "--fail-on", "present,not-audited"
    )
    # then
    assert code == 3
    assert err == (
        "root-access: --fail-on present: 2 accounts hold root credentials "
        "(222222222222, 666666666666)\n"
        "root-access: --fail-on not-audited: 3 accounts could not be audited "
        "(555555555555, 777777777777, 888888888888)\n"
    )


@pytest.mark.parametrize(
    ("accounts", "fail_on", "expected"),
    [
        ("333333333333,444444444444", "present,not-audited", 0),  # clean: nothing holds
        ("555555555555", "present", 1),  # failed, but only present was asked for
        ("555555555555", "none", 1),  # the default: no condition
        ("222222222222", "not-audited", 0),  # present, but only not-audited was asked for
        ("666666666666", "present", 3),
    ],
)
def test_exit_code_by_condition(
    cli_env: Simulator,
    capsys: pytest.CaptureFixture[str],
    accounts: str,
    fail_on: str,
    expected: int,
) -> None:
    # given / when
    code, _, err = _run(capsys, "audit", "--accounts", accounts, "--fail-on", fail_on)
    # then
    assert code == expected
    assert ("--fail-on" in err) == (expected == 3)


def test_the_drift_job_passes_once_the_credentials_are_gone(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the two accounts with credentials cleaned
    deleted = _run(capsys, "delete-credentials", "--accounts", "222222222222,666666666666",
                   "--yes")  # fmt: skip
    # when the scheduled drift audit runs over them
    code, _, err = _run(capsys, "audit", "--accounts", "222222222222,666666666666",
                        "--fail-on", "present,not-audited")  # fmt: skip
    # then
    assert deleted[0] == 0
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("presnt", "'presnt' is not a condition: choose from present, not-audited "
         "(comma-separated), or none"),
        ("none,present", "'none' is not a condition: choose from present, not-audited "
         "(comma-separated), or none"),
    ],
)  # fmt: skip
def test_an_unknown_condition_is_one_line_exit_2_and_no_call(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    # given / when
    result = _run(capsys, "audit", "--all", "--fail-on", value)
    # then
    assert result == (
        2,
        "",
        f"root-access: error: argument --fail-on: {message} (see `root-access audit --help`)\n",
    )
    assert cli_env.calls == []
