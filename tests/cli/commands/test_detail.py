"""``--detail {summary,full}`` on ``audit`` and ``delete-credentials``: the CLI passes it
to the engine, and the simulator's call log shows what each mode costs."""

from __future__ import annotations

import pytest

from root_access.audit import DETAIL_MODES
from root_access.cli import main
from root_access.simulator import Simulator

CLEAN = "333333333333"
HOLDING = "222222222222"

SUMMARY_READS = ["GetAccountSummary"]
FULL_READS = [
    "GetAccountSummary",
    "GetLoginProfile",
    "ListAccessKeys",
    "ListSigningCertificates",
    "ListMFADevices",
]


def _iam_reads(simulator: Simulator, account_id: str) -> list[str]:
    return [
        call.action
        for call in simulator.calls
        if call.service == "iam"
        and call.account_id == account_id
        and call.action.startswith(("Get", "List"))
    ]


def _assume_root(simulator: Simulator) -> int:
    return sum(1 for call in simulator.calls if call.action == "AssumeRoot")


@pytest.mark.parametrize(
    ("argv", "reads"),
    [
        ((), SUMMARY_READS),
        (("--detail", "summary"), SUMMARY_READS),
        (("--detail", "full"), FULL_READS),
    ],
    ids=["default", "summary", "full"],
)
def test_audit_of_a_clean_account_costs_what_the_mode_says(
    cli_env: Simulator,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    reads: list[str],
) -> None:
    # given a member whose root user holds nothing
    # when it is audited in the mode
    code = main(["audit", "--accounts", CLEAN, "--format", "json", *argv])
    capsys.readouterr()

    # then one AssumeRoot and exactly the mode's reads
    assert code == 0
    assert (_assume_root(cli_env), _iam_reads(cli_env, CLEAN)) == (1, reads)


@pytest.mark.parametrize(
    ("detail", "verification"), [("summary", SUMMARY_READS), ("full", FULL_READS)]
)
def test_delete_credentials_verifies_in_the_mode(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], detail: str, verification: list[str]
) -> None:
    # given a member holding root credentials
    # when they are deleted with --detail
    code = main(["delete-credentials", "--accounts", HOLDING, "--yes", "--detail", detail])
    capsys.readouterr()

    # then the delete session lists every kind (no GetAccountSummary in its task policy)
    # and the fresh audit session verifies with the mode's reads; two AssumeRoot
    reads = _iam_reads(cli_env, HOLDING)
    listed = ["GetLoginProfile", "GetUser", "ListAccessKeys"]
    assert code == 0
    assert reads[: len(listed)] == listed
    assert _assume_root(cli_env) == 2
    verify = reads[reads.index("GetAccountSummary") :]
    assert verify == verification


def test_an_unknown_detail_is_one_line_exit_2_and_no_call(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given / when
    code = main(["audit", "--all", "--detail", "partial"])
    captured = capsys.readouterr()

    # then
    assert (code, captured.out) == (2, "")
    assert captured.err == (
        "root-access: error: argument --detail: invalid choice: 'partial' (choose from "
        f"{', '.join(repr(mode) for mode in DETAIL_MODES)}) (see `root-access audit --help`)\n"
    )
    assert cli_env.calls == []


@pytest.mark.parametrize(
    ("command", "listed"),
    [("audit", True), ("delete-credentials", True), ("status", False), ("enable", False)],
)
def test_help_lists_detail_only_where_it_applies(
    capsys: pytest.CaptureFixture[str], command: str, listed: bool
) -> None:
    # given / when
    code = main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())

    # then the help names the cost of a clean account in each mode
    assert code == 0
    assert ("--detail {summary,full}" in text) == listed
    assert ("a clean account costs AssumeRoot + GetAccountSummary (2 calls)" in text) == listed
