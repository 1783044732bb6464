"""Output formats of the CLI (root_access.cli.render), from hand-made results."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from root_access import AccountResult, CredentialResult, Outcome, summarize
from root_access.cli.mapping import render_mapping
from root_access.cli.render import (
    CSV_FIELDS,
    credentials_summary,
    default_format,
    summary_line,
    writer_for,
)
from root_access.results import ComplianceResult


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def workload() -> AccountResult:
    """An audited account holding every kind of root credential."""
    return AccountResult(
        account_id="222222222222",
        outcome=Outcome.ROOT_CREDENTIALS_PRESENT,
        task="IAMAuditRootUserCredentials",
        name="workload",
        state="ACTIVE",
        credentials=(
            CredentialResult("password", "login_profile", Outcome.PRESENT),
            CredentialResult(
                "access_key", "AKIAEXAMPLE000000001", Outcome.PRESENT, status="Active"
            ),
            CredentialResult(
                "access_key", "AKIAEXAMPLE000000002", Outcome.PRESENT, status="Inactive"
            ),
            CredentialResult("signing_certificate", "CERT1", Outcome.PRESENT, status="Active"),
            CredentialResult(
                "mfa_device",
                "arn:aws:iam::222222222222:mfa/root",
                Outcome.PRESENT,
                mfa_kind="virtual",
            ),
            CredentialResult("mfa_device", "GAHT12345678", Outcome.PRESENT, mfa_kind="hardware"),
        ),
        compliance=(
            ComplianceResult("IAM.4", "t", "iam-root-access-key-check", {}, "failed"),
            ComplianceResult("IAM.9", "t", "root-account-mfa-enabled", {}, "passed"),
            ComplianceResult("IAM.6", "t", "root-account-hardware-mfa-enabled", {}, "passed"),
        ),
    )


@pytest.fixture
def results(workload: AccountResult) -> list[AccountResult]:
    """Three accounts: credentials, clean, blocked by an SCP."""
    return [
        workload,
        AccountResult("444444444444", Outcome.NO_ROOT_CREDENTIALS, name="clean", state="ACTIVE"),
        AccountResult(
            "555555555555",
            Outcome.BLOCKED_BY_SCP,
            name="=cmd|' /C calc'!A0",
            state="ACTIVE",
            detail="AssumeRoot denied by a service control policy",
        ),
    ]


def _write(fmt: str, results: list[AccountResult], **options: object) -> str:
    stream = io.StringIO()
    writer = writer_for(fmt, stream, **options)  # type: ignore[arg-type]
    for result in results:
        writer.write(result)
    writer.close(summarize(results))
    return stream.getvalue()


def test_json_is_results_and_summary(results: list[AccountResult]) -> None:
    # given three results
    # when
    document = json.loads(_write("json", results))
    # then
    assert document == {
        "results": [r.to_dict() for r in results],
        "summary": {
            "total": 3,
            "failed": 1,
            "exit_code": 1,
            "counts": {
                "blocked_by_scp": 1,
                "no_root_credentials": 1,
                "root_credentials_present": 1,
            },
            "task": "IAMAuditRootUserCredentials",
            "text": "3 accounts: 1 holds root credentials, 1 holds none, "
            "1 not audited (blocked by an SCP)",
            "root_credentials": {"present": 1, "absent": 1, "unknown": 1},
            "not_looked_into": {
                "total": 1,
                "outcomes": {"blocked_by_scp": 1},
                "states": {},
            },
            "credentials": {"present": 6},
        },
        "interrupted": False,
    }
    assert [r["root_credentials"] for r in document["results"]] == [
        {"password": True, "access_keys": True, "signing_certificates": True, "mfa_devices": True},
        {
            "password": False,
            "access_keys": False,
            "signing_certificates": False,
            "mfa_devices": False,
        },
        {"password": None, "access_keys": None, "signing_certificates": None, "mfa_devices": None},
    ]


def test_json_with_no_results_is_valid() -> None:
    # given no result
    # when
    document = json.loads(_write("json", []))
    # then
    assert document == {
        "results": [],
        "summary": {
            "total": 0,
            "failed": 0,
            "exit_code": 0,
            "counts": {},
            "task": None,
            "text": "0 accounts: none selected",
            "root_credentials": {"present": 0, "absent": 0, "unknown": 0},
            "not_looked_into": {"total": 0, "outcomes": {}, "states": {}},
            "credentials": {},
        },
        "interrupted": False,
    }


def test_csv_has_one_row_per_account_with_counts_flattened(results: list[AccountResult]) -> None:
    # given three results
    # when
    rows = list(csv.DictReader(io.StringIO(_write("csv", results))))
    # then
    assert tuple(rows[0].keys()) == CSV_FIELDS
    assert len(rows) == 3
    assert rows[0] == {
        "account_id": "222222222222",
        "name": "workload",
        "state": "ACTIVE",
        "task": "IAMAuditRootUserCredentials",
        "outcome": "root_credentials_present",
        "detail": "",
        "dry_run": "false",
        "verified": "",
        "password": "1",
        "access_keys": "2",
        "active_access_keys": "1",
        "signing_certificates": "1",
        "mfa_devices": "2",
        "virtual_mfa_devices": "1",
        "bucket_policies": "",
        "queue_policies": "",
        "credentials_deleted": "0",
        "credentials_already_absent": "0",
        "credentials_would_delete": "0",
        "credentials_failed": "0",
        "iam_4": "failed",
        "iam_6": "passed",
        "iam_9": "passed",
    }


def test_csv_header_is_exact() -> None:
    # given no result
    # when
    header = _write("csv", []).splitlines()[0]
    # then
    assert header == (
        "account_id,name,state,task,outcome,detail,dry_run,verified,password,access_keys,"
        "active_access_keys,signing_certificates,mfa_devices,virtual_mfa_devices,"
        "bucket_policies,queue_policies,credentials_deleted,credentials_already_absent,"
        "credentials_would_delete,credentials_failed,iam_4,iam_6,iam_9"
    )


def test_csv_neutralises_spreadsheet_formulas(results: list[AccountResult]) -> None:
    # given an account whose name starts with '='
    # when
    rows = list(csv.DictReader(io.StringIO(_write("csv", results))))
    # then
    assert rows[2]["name"] == "'=cmd|' /C calc'!A0"


def test_csv_counts_delete_outcomes() -> None:
    # given a deletion with one credential deleted, one absent and one failed
    result = AccountResult(
        "222222222222",
        Outcome.ACCESS_DENIED,
        credentials=(
            CredentialResult("password", "login_profile", Outcome.DELETED),
            CredentialResult("access_key", "AKIAEXAMPLE000000001", Outcome.ALREADY_ABSENT),
            CredentialResult("signing_certificate", "CERT1", Outcome.ACCESS_DENIED),
        ),
        verified=False,
    )
    # when
    row = next(csv.DictReader(io.StringIO(_write("csv", [result]))))
    # then
    assert (
        row["credentials_deleted"],
        row["credentials_already_absent"],
        row["credentials_would_delete"],
        row["credentials_failed"],
        row["verified"],
    ) == ("1", "1", "0", "1", "false")


def test_markdown_table(results: list[AccountResult]) -> None:
    # given three results
    # when
    text = _write("markdown", results)
    # then
    assert text.splitlines() == [
        "| Account | Name | State | Outcome | Credentials | Detail |",
        "|---|---|---|---|---|---|",
        "| 222222222222 | workload | ACTIVE | root_credentials_present | password, "
        "2 access keys (1 active), 1 signing certificate, 2 MFA devices (hardware, virtual) |  |",
        "| 444444444444 | clean | ACTIVE | no_root_credentials | none |  |",
        "| 555555555555 | =cmd\\|' /C calc'!A0 | ACTIVE | blocked_by_scp | - | "
        "AssumeRoot denied by a service control policy |",
        "",
        "**Summary:** 3 accounts: 1 holds root credentials, 1 holds none, 1 not audited "
        "(blocked by an SCP)",
    ]


def test_markdown_details_add_one_row_per_credential() -> None:
    # given a deleted account with two credentials
    result = AccountResult(
        "222222222222",
        Outcome.DELETED,
        credentials=(
            CredentialResult("password", "login_profile", Outcome.DELETED),
            CredentialResult(
                "mfa_device",
                "arn:aws:iam::222222222222:mfa/root",
                Outcome.DELETED,
                mfa_kind="virtual",
                detail="virtual device deleted",
            ),
        ),
    )
    # when
    lines = _write("markdown", [result], details=True).splitlines()
    # then
    assert lines[2:5] == [
        "| 222222222222 |  |  | deleted | password, 1 MFA device (virtual): 2 deleted |  |",
        "|  |  |   password | deleted | login_profile |  |",
        "|  |  |   mfa_device (virtual) | deleted | arn:aws:iam::222222222222:mfa/root | "
        "virtual device deleted |",
    ]


def test_table_with_rich_lists_every_account_and_ends_with_the_summary(
    results: list[AccountResult],
) -> None:
    # given three results
    # when
    text = _write("table", results, title="audit")
    # then
    assert "222222222222" in text
    assert "444444444444" in text
    assert "blocked_by_scp" in text
    assert text.splitlines()[-1] == (
        "3 accounts: 1 holds root credentials, 1 holds none, 1 not audited (blocked by an SCP)"
    )


def test_table_without_rich_is_plain_text(
    results: list[AccountResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given rich is not installed
    monkeypatch.setitem(sys.modules, "rich.table", None)
    # when
    text = _write("table", results[1:], title="audit")
    # then
    assert text.splitlines() == [
        "audit",
        "Account       Name                State   Outcome              Credentials  Detail",
        "------------  ------------------  ------  -------------------  -----------  " + "-" * 45,
        "444444444444  clean               ACTIVE  no_root_credentials  none",
        "555555555555  =cmd|' /C calc'!A0  ACTIVE  blocked_by_scp       -            "
        "AssumeRoot denied by a service control policy",
        "2 accounts: 0 hold root credentials, 1 holds none, 1 not audited (blocked by an SCP)",
    ]


def test_unknown_format_is_refused() -> None:
    # given an unknown format
    # when / then
    with pytest.raises(ValueError, match="unknown format 'xml': choose one of table, json"):
        writer_for("xml", io.StringIO())


def test_default_format_is_table_on_a_terminal_and_json_otherwise() -> None:
    # given a terminal and a pipe
    # when / then
    assert default_format(_Terminal()) == "table"
    assert default_format(io.StringIO()) == "json"


@pytest.mark.parametrize(
    ("credentials", "outcome", "expected"),
    [
        ((), Outcome.NO_ROOT_CREDENTIALS, "none"),
        ((), Outcome.SKIPPED_MANAGEMENT_ACCOUNT, "-"),
        (
            (CredentialResult("bucket_policy", "b1", Outcome.WOULD_DELETE),),
            Outcome.WOULD_DELETE,
            "1 bucket policy: 1 would_delete",
        ),
        (
            (
                CredentialResult("queue_policy", "q1", Outcome.DELETED),
                CredentialResult("queue_policy", "q2", Outcome.ALREADY_ABSENT),
            ),
            Outcome.DELETED,
            "2 queue policies: 1 already_absent, 1 deleted",
        ),
    ],
)
def test_credentials_summary(
    credentials: tuple[CredentialResult, ...], outcome: Outcome, expected: str
) -> None:
    # given
    result = AccountResult("222222222222", outcome, credentials=credentials)
    # when / then
    assert credentials_summary(result) == expected


def test_summary_line_with_no_account() -> None:
    # given / when / then
    assert summary_line(summarize([])) == "0 accounts: none selected"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "json",
            '{\n  "organization_id": "o-exampleorg",\n  "changes": [\n    "A",\n    "B"\n  ]\n}\n',
        ),
        ("csv", 'field,value\norganization_id,o-exampleorg\nchanges,"A, B"\n'),
        (
            "markdown",
            "### enable\n\n| Field | Value |\n|---|---|\n| organization_id | o-exampleorg |\n"
            "| changes | A, B |\n",
        ),
    ],
)
def test_render_mapping(fmt: str, expected: str) -> None:
    # given one record
    stream = io.StringIO()
    # when
    render_mapping(
        fmt, stream, {"organization_id": "o-exampleorg", "changes": ["A", "B"]}, title="enable"
    )
    # then
    assert stream.getvalue() == expected


def test_large_tables_are_drawn_as_plain_text(
    results: list[AccountResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given more rows than rich is asked to lay out
    monkeypatch.setattr("root_access.cli.render.RICH_TABLE_MAX_ROWS", 2)
    # when
    lines = _write("table", results, title="audit").splitlines()
    # then
    assert lines[0] == "audit"
    assert lines[1].split() == ["Account", "Name", "State", "Outcome", "Credentials", "Detail"]
    assert [line[:12] for line in lines[3:6]] == ["222222222222", "444444444444", "555555555555"]


def test_render_mapping_says_none_for_an_empty_list() -> None:
    # given a record with an empty list
    stream = io.StringIO()
    # when
    render_mapping("markdown", stream, {"enable_features": []})
    # then
    assert stream.getvalue() == "| Field | Value |\n|---|---|\n| enable_features | none |\n"


def test_render_mapping_table_without_rich_is_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # given rich is not installed
    monkeypatch.setitem(sys.modules, "rich.table", None)
    stream = io.StringIO()
    # when
    render_mapping("table", stream, {"organization_id": "o-exampleorg", "changed": False})
    # then
    assert stream.getvalue().splitlines() == [
        "Field            Value",
        "---------------  ------------",
        "organization_id  o-exampleorg",
        "changed          false",
    ]


@pytest.mark.parametrize(
    ("outcomes", "colour"),
    [
        ((Outcome.NO_ROOT_CREDENTIALS, Outcome.NO_ROOT_CREDENTIALS), "\x1b[32m"),
        ((Outcome.NO_ROOT_CREDENTIALS, Outcome.SKIPPED_INACTIVE_ACCOUNT), "\x1b[33m"),
        ((Outcome.NO_ROOT_CREDENTIALS, Outcome.ROOT_CREDENTIALS_PRESENT), "\x1b[33m"),
        ((Outcome.NO_ROOT_CREDENTIALS, Outcome.THROTTLED), "\x1b[1;31m"),
    ],
)
def test_summary_sentence_is_green_only_when_every_account_is_known_clean(
    outcomes: tuple[Outcome, ...], colour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a colour terminal and two accounts
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    results = [
        AccountResult(f"22222222222{i}", o, task="IAMAuditRootUserCredentials", state="SUSPENDED")
        for i, o in enumerate(outcomes)
    ]
    stream = _Terminal()
    writer = writer_for("table", stream)
    # when
    for result in results:
        writer.write(result)
    writer.close(summarize(results))
    # then
    assert stream.getvalue().splitlines()[-1].startswith(colour + "2 accounts: ")
