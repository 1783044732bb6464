"""The organization tree of `root-access status` (root_access.cli.tree)."""

from __future__ import annotations

import io
import sys

import pytest

from root_access import AccountResult, CredentialResult, Outcome
from root_access.cli.tree import OrgAccount, OrgUnit, account_rows, draw, posture, to_dict


@pytest.fixture
def organization() -> list[OrgUnit]:
    """Root with the management account, a Security OU and a nested Workloads/Prod OU."""
    production = OrgUnit(
        "ou-ab12-prod0001",
        "Production",
        accounts=[OrgAccount("666666666666", "payments", "ACTIVE")],
    )
    workloads = OrgUnit(
        "ou-ab12-work0001",
        "Workloads",
        units=[production],
        accounts=[
            OrgAccount("222222222222", "workload", "ACTIVE"),
            OrgAccount("777777777777", "closed", "SUSPENDED"),
        ],
    )
    security = OrgUnit(
        "ou-ab12-secu0001", "Security", accounts=[OrgAccount("333333333333", "security", "ACTIVE")]
    )
    root = OrgUnit(
        "r-ab12",
        "Root",
        units=[security, workloads],
        accounts=[OrgAccount("111111111111", "management", "ACTIVE")],
    )
    return [root]


@pytest.fixture
def audit() -> dict[str, AccountResult]:
    """Audit results of some accounts (the others are not audited)."""
    return {
        "111111111111": AccountResult("111111111111", Outcome.SKIPPED_MANAGEMENT_ACCOUNT),
        "222222222222": AccountResult(
            "222222222222",
            Outcome.ROOT_CREDENTIALS_PRESENT,
            credentials=(CredentialResult("password", "login_profile", Outcome.PRESENT),),
        ),
        "333333333333": AccountResult("333333333333", Outcome.NO_ROOT_CREDENTIALS),
        "666666666666": AccountResult(
            "666666666666", Outcome.BLOCKED_BY_SCP, detail="AssumeRoot denied by an SCP"
        ),
    }


def _options(audit: dict[str, AccountResult] | None) -> dict[str, object]:
    return {
        "management_account_id": "111111111111",
        "delegated_administrators": ("333333333333",),
        "audit": audit,
    }


def test_draw_without_rich_is_plain_text(
    organization: list[OrgUnit], audit: dict[str, AccountResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given rich is not installed
    monkeypatch.setitem(sys.modules, "rich.tree", None)
    stream = io.StringIO()
    # when
    draw(organization, stream, **_options(audit))  # type: ignore[arg-type]
    # then
    assert stream.getvalue().splitlines() == [
        "Root (r-ab12)",
        "|-- 111111111111  management  ACTIVE  [management account]  - not audited "
        "(skipped_management_account): the management account",
        "|-- Security (ou-ab12-secu0001)",
        "|   `-- 333333333333  security  ACTIVE  [IAM delegated administrator]  - no root "
        "credentials",
        "`-- Workloads (ou-ab12-work0001)",
        "    |-- 222222222222  workload  ACTIVE  - root credentials: password",
        "    |-- 777777777777  closed  SUSPENDED  - not audited",
        "    `-- Production (ou-ab12-prod0001)",
        "        `-- 666666666666  payments  ACTIVE  - not audited (blocked_by_scp): AssumeRoot "
        "denied by an SCP",
    ]


def test_draw_with_rich_shows_every_ou_and_account(organization: list[OrgUnit]) -> None:
    # given rich is installed and no audit
    stream = io.StringIO()
    # when
    draw(organization, stream, **_options(None))  # type: ignore[arg-type]
    # then
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Root (r-ab12)"
    assert len(lines) == 9
    assert lines[-1].endswith("666666666666  payments  ACTIVE")
    assert "not audited" not in stream.getvalue()


def test_account_rows_give_the_ou_path_role_and_posture(
    organization: list[OrgUnit], audit: dict[str, AccountResult]
) -> None:
    # given the organization and an audit
    # when
    rows = list(account_rows(organization, **_options(audit)))  # type: ignore[arg-type]
    # then
    assert [(r["account_id"], r["path"], r["role"], r["posture"]) for r in rows] == [
        (
            "111111111111",
            "Root",
            "management account",
            "not audited (skipped_management_account): the management account",
        ),
        ("333333333333", "Root/Security", "IAM delegated administrator", "no root credentials"),
        ("222222222222", "Root/Workloads", "", "root credentials: password"),
        ("777777777777", "Root/Workloads", "", "not audited"),
        (
            "666666666666",
            "Root/Workloads/Production",
            "",
            "not audited (blocked_by_scp): AssumeRoot denied by an SCP",
        ),
    ]


def test_to_dict_nests_units_and_omits_posture_without_audit(
    organization: list[OrgUnit],
) -> None:
    # given a production OU only
    production = organization[0].units[1].units[0]
    # when
    data = to_dict(production, **_options(None))  # type: ignore[arg-type]
    # then
    assert data == {
        "id": "ou-ab12-prod0001",
        "name": "Production",
        "accounts": [{"id": "666666666666", "name": "payments", "state": "ACTIVE", "role": None}],
        "units": [],
    }


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, "not audited"),
        (AccountResult("1", Outcome.NO_ROOT_CREDENTIALS), "no root credentials"),
        (
            AccountResult("1", Outcome.SKIPPED_INACTIVE_ACCOUNT, state="SUSPENDED"),
            "not audited (skipped_inactive_account): SUSPENDED",
        ),
        (AccountResult("1", Outcome.THROTTLED), "not audited (throttled)"),
        (
            AccountResult("1", Outcome.ERROR, detail="ListMFADevices failed: InternalFailure"),
            "not audited (error): ListMFADevices failed: InternalFailure",
        ),
    ],
)
def test_posture_words(result: AccountResult | None, expected: str) -> None:
    # given / when / then
    assert posture(result) == expected
