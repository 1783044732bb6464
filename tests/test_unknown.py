"""Unknown is never zero (issue 11.1, 11.2): an audit and a delete of an organization that
holds every kind of account (tests/scenarios/every-kind.yaml), rendered in every format.

Real components: the simulator, the engine's ``audit`` / ``delete_credentials`` and the
CLI's writers. The accounts that were not looked into (the management account, SCP
blocked with a password, SUSPENDED with a password, PENDING_CLOSURE with a password and a
key, an account whose ``GetAccountSummary`` fails) must read as unknown everywhere:
``null`` in JSON, empty CSV cells, ``-`` in tables and markdown, never green.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

from root_access import AccountResult, CredentialResult, Outcome, audit, summarize
from root_access.cli.render import OUTCOME_STYLES, credentials_summary, writer_for
from root_access.delete import delete_credentials
from root_access.results import AccountSummary, Presence
from root_access.selection import Selection
from root_access.simulator import Scenario, Simulator

SCENARIO = Path(__file__).parent / "scenarios" / "every-kind.yaml"
AUDIT = "IAMAuditRootUserCredentials"

UNKNOWN = {"password": None, "access_keys": None, "signing_certificates": None, "mfa_devices": None}
NONE = {
    "password": False,
    "access_keys": False,
    "signing_certificates": False,
    "mfa_devices": False,
}

AUDIT_TEXT = (
    "9 accounts: 2 hold root credentials, 2 hold none, 5 not audited (1 blocked by an SCP, "
    "1 error, 1 management account, 1 PENDING_CLOSURE, 1 SUSPENDED)"
)
ORDER = (
    "111111111111",
    "333333333333",
    "222222222222",
    "444444444444",
    "555555555555",
    "666666666666",
    "777777777777",
    "100000000001",
    "888888888888",
)


@pytest.fixture
def simulator_scenario() -> Scenario:
    return Scenario.load(SCENARIO)


@pytest.fixture
def audited(simulator: Simulator) -> list[AccountResult]:
    """The audit of every account, one worker (listing order), one attempt per call."""
    return list(
        audit(
            simulator.session(),
            selection=Selection(all=True),
            region=simulator.region,
            max_workers=1,
            max_attempts=1,
        )
    )


def _write(fmt: str, results: list[AccountResult], stream: io.StringIO | None = None) -> str:
    out = stream or io.StringIO()
    writer = writer_for(fmt, out, title="audit")
    for result in results:
        writer.write(result)
    writer.close(summarize(results))
    return out.getvalue()


def test_audit_outcomes_of_every_kind_of_account(audited: list[AccountResult]) -> None:
    # given the organization / when audited / then
    assert sorted((r.account_id, r.outcome.value) for r in audited) == sorted(
        [
            ("111111111111", "skipped_management_account"),
            ("333333333333", "no_root_credentials"),
            ("222222222222", "root_credentials_present"),
            ("444444444444", "no_root_credentials"),
            ("555555555555", "blocked_by_scp"),
            ("666666666666", "root_credentials_present"),
            ("777777777777", "skipped_inactive_account"),
            ("100000000001", "error"),
            ("888888888888", "skipped_inactive_account"),
        ]
    )


def test_json_lists_no_credentials_for_an_account_not_looked_into(
    audited: list[AccountResult],
) -> None:
    # given the audit
    # when
    document = json.loads(_write("json", audited))
    # then an account nobody looked into has null credentials and compliance, never the
    # empty lists of an account looked into and found clean
    shapes = {
        r["account_id"]: (
            None if r["credentials"] is None else len(r["credentials"]),
            None if r["compliance"] is None else "listed",
        )
        for r in document["results"]
    }
    assert shapes == {
        "111111111111": (None, None),
        "333333333333": (0, "listed"),
        "222222222222": (6, "listed"),
        "444444444444": (0, "listed"),
        "555555555555": (None, None),
        "666666666666": (1, "listed"),
        "777777777777": (None, None),
        "100000000001": (None, None),
        "888888888888": (None, None),
    }


def test_json_says_null_for_every_kind_of_an_account_not_looked_into(
    audited: list[AccountResult],
) -> None:
    # given the audit
    # when
    document = json.loads(_write("json", audited))
    # then
    assert {r["account_id"]: r["root_credentials"] for r in document["results"]} == {
        "111111111111": UNKNOWN,
        "333333333333": NONE,
        "222222222222": {
            "password": True,
            "access_keys": True,
            "signing_certificates": True,
            "mfa_devices": True,
        },
        "444444444444": NONE,
        "555555555555": UNKNOWN,
        "666666666666": {**NONE, "mfa_devices": True},
        "777777777777": UNKNOWN,
        "100000000001": UNKNOWN,
        "888888888888": UNKNOWN,
    }
    assert document["summary"] == {
        "total": 9,
        "failed": 2,
        "exit_code": 1,
        "counts": {
            "blocked_by_scp": 1,
            "error": 1,
            "no_root_credentials": 2,
            "root_credentials_present": 2,
            "skipped_inactive_account": 2,
            "skipped_management_account": 1,
        },
        "task": AUDIT,
        "text": AUDIT_TEXT,
        "root_credentials": {"present": 2, "absent": 2, "unknown": 5},
        "not_looked_into": {
            "total": 5,
            "outcomes": {
                "blocked_by_scp": 1,
                "error": 1,
                "skipped_inactive_account": 2,
                "skipped_management_account": 1,
            },
            "states": {"PENDING_CLOSURE": 1, "SUSPENDED": 1},
        },
        "credentials": {"present": 7},
    }


CSV_COLUMNS = (
    "password",
    "access_keys",
    "active_access_keys",
    "signing_certificates",
    "mfa_devices",
    "virtual_mfa_devices",
    "bucket_policies",
    "queue_policies",
    "iam_4",
    "iam_6",
    "iam_9",
    "credentials_deleted",
    "credentials_failed",
)


def test_csv_cells_are_empty_for_an_account_not_looked_into(audited: list[AccountResult]) -> None:
    # given the audit
    # when
    rows = list(csv.DictReader(io.StringIO(_write("csv", audited))))
    # then
    unknown = ("",) * 13
    clean = ("0",) * 6 + ("", "", "passed", "not_applicable", "not_applicable", "0", "0")
    assert {r["account_id"]: tuple(r[c] for c in CSV_COLUMNS) for r in rows} == {
        "111111111111": unknown,
        "333333333333": clean,
        "222222222222": (
            *("1", "2", "1", "1", "2", "1", "", ""),
            *("failed", "failed", "passed", "0", "0"),
        ),
        "444444444444": clean,
        "555555555555": unknown,
        "666666666666": ("0", "0", "0", "0", "1", "0", "", "", *clean[-5:]),
        "777777777777": unknown,
        "100000000001": unknown,
        "888888888888": unknown,
    }


ROWS = [
    ("100000000001", "error", "-"),
    ("111111111111", "skipped_management_account", "-"),
    (
        "222222222222",
        "root_credentials_present",
        "password, 2 access keys (1 active), 1 signing certificate, "
        "2 MFA devices (hardware, virtual)",
    ),
    ("333333333333", "no_root_credentials", "none"),
    ("444444444444", "no_root_credentials", "none"),
    ("555555555555", "blocked_by_scp", "-"),
    ("666666666666", "root_credentials_present", "1 MFA device (hardware)"),
    ("777777777777", "skipped_inactive_account", "-"),
    ("888888888888", "skipped_inactive_account", "-"),
]
"""(account, outcome, credentials) of table and markdown rows, sorted by account id."""


def test_markdown_shows_a_dash_for_an_account_not_looked_into(
    audited: list[AccountResult],
) -> None:
    # given the audit
    # when
    lines = _write("markdown", audited).splitlines()
    # then
    cells = sorted(line.split(" | ")[:5] for line in lines[2:11])
    assert [(c[0].lstrip("| "), c[3], c[4]) for c in cells] == ROWS
    assert lines[11:] == ["", f"**Summary:** {AUDIT_TEXT}"]


def test_plain_table_shows_a_dash_for_an_account_not_looked_into(
    audited: list[AccountResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given rich is not installed
    monkeypatch.setitem(sys.modules, "rich.table", None)
    # when
    lines = _write("table", audited).splitlines()
    # then the rows are sorted by account id
    header = lines[1]
    start, end = header.index("Outcome"), header.index("Detail")
    assert [
        (line[:12], line[start:end].split()[0], line[start:end].split(None, 1)[1].strip())
        for line in lines[3:12]
    ] == ROWS
    assert lines[12:] == [AUDIT_TEXT]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


_GREEN = "\x1b[32m"
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def test_rich_table_never_colours_credentials_or_unknown_green(
    audited: list[AccountResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a colour terminal
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    # when
    text = _write("table", audited, _Terminal())
    # then green is used on exactly the two clean accounts, nowhere else
    lines = text.splitlines()
    coloured = {account: next(line for line in lines if account in line) for account in ORDER}
    green = {account for account, line in coloured.items() if _GREEN in line}
    assert green == {"333333333333", "444444444444"}
    assert "\x1b[1;33mroot_credentials_present" in coloured["222222222222"]
    assert "\x1b[35mskipped_inactive_account" in coloured["777777777777"]
    assert "\x1b[35mskipped_management_account" in coloured["111111111111"]
    assert re.search(r"\x1b\[[0-9;]*31[0-9;]*mblocked_by_scp", coloured["555555555555"])
    # and the summary sentence is red (an account failed)
    summary = [line for line in lines if AUDIT_TEXT in _SGR.sub("", line)]
    assert len(summary) == 1
    assert "\x1b[1;31m" in summary[0]


def test_every_outcome_has_a_style_and_only_known_clean_ones_are_green() -> None:
    # given / when
    green = {o.value for o, style in OUTCOME_STYLES.items() if "green" in style}
    # then
    assert set(OUTCOME_STYLES) == set(Outcome)
    assert green == {
        "no_root_credentials",
        "deleted",
        "already_absent",
        "recovery_enabled",
        "policy_recorded",
    }


def test_delete_sentences_and_unknown_cells(simulator: Simulator) -> None:
    # given the organization
    session = simulator.session()
    options = {
        "selection": Selection(all=True),
        "region": simulator.region,
        "max_workers": 1,
        "max_attempts": 1,
    }
    # when a dry run, then the deletion
    planned = list(delete_credentials(session, dry_run=True, **options))  # type: ignore[arg-type]
    done = list(delete_credentials(session, **options))  # type: ignore[arg-type]
    # then
    assert summarize(planned).text == (
        "9 accounts: 3 would have root credentials deleted, 2 already clean, 1 failed "
        "(blocked by an SCP), 3 skipped (1 management account, 1 PENDING_CLOSURE, 1 SUSPENDED)"
    )
    assert summarize(done).text == (
        "9 accounts: 2 deleted, 2 already clean, 2 failed (1 blocked by an SCP, 1 error), "
        "3 skipped (1 management account, 1 PENDING_CLOSURE, 1 SUSPENDED)"
    )
    assert summarize(planned).to_dict()["root_credentials"] == {
        "present": 3,
        "absent": 2,
        "unknown": 4,
    }
    assert summarize(done).to_dict()["root_credentials"] == {
        "present": 0,
        "absent": 4,
        "unknown": 5,
    }
    after = {r.account_id: r.to_dict()["root_credentials"] for r in done}
    assert (after["222222222222"], after["555555555555"], after["777777777777"]) == (
        NONE,
        UNKNOWN,
        UNKNOWN,
    )
    rows = {r["account_id"]: r for r in csv.DictReader(io.StringIO(_write("csv", done)))}
    columns = ("outcome", "password", "mfa_devices", "credentials_deleted")
    assert {a: tuple(r[c] for c in columns) for a, r in rows.items()} == {
        "111111111111": ("skipped_management_account", "", "", ""),
        "333333333333": ("already_absent", "0", "0", "0"),
        "222222222222": ("deleted", "1", "2", "5"),
        "444444444444": ("already_absent", "0", "0", "0"),
        "555555555555": ("blocked_by_scp", "", "", ""),
        "666666666666": ("deleted", "0", "1", "1"),
        "777777777777": ("skipped_inactive_account", "", "", ""),
        # the password was deleted but the verification failed: the kinds are unknown,
        # never 0, and the deletion that did happen is still counted
        "100000000001": ("error", "", "", "1"),
        "888888888888": ("skipped_inactive_account", "", "", ""),
    }
    # and the SUSPENDED account's password is still there, reported as unknown
    assert simulator.root_user("777777777777").has_credentials


def test_a_summary_flag_without_a_listed_credential_reads_present() -> None:
    # given a summary-first audit that saw AccountAccessKeysPresent = 1 but listed no key
    result = AccountResult(
        "222222222222",
        Outcome.ROOT_CREDENTIALS_PRESENT,
        task=AUDIT,
        credentials=(CredentialResult("password", "login_profile", Outcome.PRESENT),),
        summary=AccountSummary(
            password_present=True,
            access_keys_present=True,
            signing_certificates_present=False,
            mfa_enabled=False,
        ),
    )
    # when
    row = next(csv.DictReader(io.StringIO(_write("csv", [result]))))
    # then the kind is present, its count unknown (empty), never 0
    assert result.root_credentials == {
        "password": Presence.PRESENT,
        "access_keys": Presence.PRESENT,
        "signing_certificates": Presence.ABSENT,
        "mfa_devices": Presence.ABSENT,
    }
    assert (row["password"], row["access_keys"], row["active_access_keys"]) == ("1", "", "")
    assert (row["signing_certificates"], row["mfa_devices"]) == ("0", "0")
    assert credentials_summary(result) == "password, access keys"


@pytest.mark.parametrize(
    "outcome",
    [o for o in Outcome if not o.looked_into],
)
def test_every_outcome_not_looked_into_is_unknown_for_every_kind(outcome: Outcome) -> None:
    # given an audit result that did not look into the account, even with summary flags
    result = AccountResult(
        "222222222222",
        outcome,
        task=AUDIT,
        state="SUSPENDED",
        summary=AccountSummary(True, True, True, True),
    )
    # when / then
    assert set(result.root_credentials.values()) == {Presence.UNKNOWN}
    assert result.holds_root_credentials is Presence.UNKNOWN
    assert result.to_dict()["root_credentials"] == UNKNOWN
    assert credentials_summary(result) == "-"


def test_password_recovery_and_unlocks_do_not_claim_to_know_root_credentials() -> None:
    # given a password recovery result (the task never reads access keys or devices)
    result = AccountResult(
        "222222222222", Outcome.RECOVERY_ENABLED, task="IAMCreateRootUserPassword"
    )
    # when / then
    assert result.to_dict()["root_credentials"] == UNKNOWN
    row = next(csv.DictReader(io.StringIO(_write("csv", [result]))))
    assert row["password"] == row["mfa_devices"] == row["bucket_policies"] == ""
    assert summarize([result]).text == "1 account: 1 allows password recovery"


def test_unlock_summary_counts_policies() -> None:
    # given an S3 unlock of two buckets, one policy deleted and one already absent
    result = AccountResult(
        "222222222222",
        Outcome.DELETED,
        task="S3UnlockBucketPolicy",
        credentials=(
            CredentialResult("bucket_policy", "b1", Outcome.DELETED),
            CredentialResult("bucket_policy", "b2", Outcome.ALREADY_ABSENT),
        ),
    )
    # when
    row = next(csv.DictReader(io.StringIO(_write("csv", [result]))))
    # then
    assert summarize([result]).text == (
        "1 account: 1 bucket policy deleted, 1 bucket policy already absent"
    )
    assert (row["bucket_policies"], row["queue_policies"], row["password"]) == ("2", "", "")


def test_the_cli_says_the_same_in_every_format(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the organization without the failing account (the CLI retries it 10 times)
    from root_access.cli import main

    text = (
        "8 accounts: 2 hold root credentials, 2 hold none, 4 not audited (1 blocked by an SCP, "
        "1 management account, 1 PENDING_CLOSURE, 1 SUSPENDED)"
    )
    outputs: dict[str, str] = {}
    # when
    for fmt in ("json", "csv", "markdown", "table"):
        code = main(["audit", "--all", "--exclude-accounts", "100000000001", "--format", fmt])
        outputs[fmt] = capsys.readouterr().out
        assert code == 1
    # then
    document = json.loads(outputs["json"])
    assert document["summary"]["text"] == text
    assert {r["account_id"]: r["root_credentials"] for r in document["results"]} == {
        "111111111111": UNKNOWN,
        "333333333333": NONE,
        "222222222222": {k: True for k in NONE},
        "444444444444": NONE,
        "555555555555": UNKNOWN,
        "666666666666": {**NONE, "mfa_devices": True},
        "777777777777": UNKNOWN,
        "888888888888": UNKNOWN,
    }
    rows = {r["account_id"]: r for r in csv.DictReader(io.StringIO(outputs["csv"]))}
    assert {a: (r["password"], r["access_keys"]) for a, r in rows.items()} == {
        "111111111111": ("", ""),
        "333333333333": ("0", "0"),
        "222222222222": ("1", "2"),
        "444444444444": ("0", "0"),
        "555555555555": ("", ""),
        "666666666666": ("0", "0"),
        "777777777777": ("", ""),
        "888888888888": ("", ""),
    }
    assert outputs["markdown"].splitlines()[-1] == f"**Summary:** {text}"
    assert outputs["table"].splitlines()[-1] == text
    suspended = next(line for line in outputs["table"].splitlines() if "777777777777" in line)
    assert [cell.strip() for cell in suspended.split("│")[4:6]] == ["skipped_inactive_account", "-"]
