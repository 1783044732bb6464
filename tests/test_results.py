"""Results: the stable JSON shape and the summary with its exit code."""

from __future__ import annotations

from root_access import AccountResult, CredentialResult, Outcome, summarize
from root_access.results import AccountSummary


def test_account_result_to_dict_is_the_stable_shape() -> None:
    # given
    result = AccountResult(
        account_id="222222222222",
        outcome=Outcome.ROOT_CREDENTIALS_PRESENT,
        task="IAMAuditRootUserCredentials",
        name="member",
        state="ACTIVE",
        credentials=(
            CredentialResult(
                kind="access_key", id="AKIAEXAMPLE", outcome=Outcome.PRESENT, status="Inactive"
            ),
        ),
        summary=AccountSummary(
            password_present=False,
            access_keys_present=True,
            signing_certificates_present=False,
            mfa_enabled=False,
        ),
    )
    # when
    shape = result.to_dict()
    # then
    assert shape == {
        "account_id": "222222222222",
        "name": "member",
        "state": "ACTIVE",
        "task": "IAMAuditRootUserCredentials",
        "outcome": "root_credentials_present",
        "detail": "",
        "dry_run": False,
        "verified": None,
        "summary": {
            "password_present": False,
            "access_keys_present": True,
            "signing_certificates_present": False,
            "mfa_enabled": False,
        },
        "credentials": [
            {
                "kind": "access_key",
                "id": "AKIAEXAMPLE",
                "outcome": "present",
                "detail": "",
                "status": "Inactive",
                "mfa_kind": None,
                "created": None,
                "last_used": None,
                "last_used_service": None,
                "last_used_region": None,
                "policy": None,
            }
        ],
        "compliance": [],
        "root_credentials": {
            "password": False,
            "access_keys": True,
            "signing_certificates": False,
            "mfa_devices": False,
        },
    }
    assert result.has_root_credentials


def test_summary_counts_outcomes_and_exits_1_when_any_account_failed() -> None:
    # given
    results = [
        AccountResult("222222222222", Outcome.DELETED),
        AccountResult("444444444444", Outcome.THROTTLED),
        AccountResult("555555555555", Outcome.DELETED),
        AccountResult("111111111111", Outcome.SKIPPED_MANAGEMENT_ACCOUNT),
    ]
    # when
    summary = summarize(iter(results))
    # then
    assert summary.to_dict() == {
        "total": 4,
        "failed": 1,
        "exit_code": 1,
        "counts": {"deleted": 2, "skipped_management_account": 1, "throttled": 1},
        "task": None,
        "text": "4 accounts: 2 deleted, 1 failed (throttled), 1 skipped (management account)",
        "root_credentials": {"present": 0, "absent": 0, "unknown": 4},
        "not_looked_into": {
            "total": 2,
            "outcomes": {"skipped_management_account": 1, "throttled": 1},
            "states": {},
        },
        "credentials": {},
    }


def test_summary_exits_0_when_every_account_ended_well() -> None:
    # given
    results = [
        AccountResult("222222222222", Outcome.NO_ROOT_CREDENTIALS),
        AccountResult("444444444444", Outcome.SKIPPED_INACTIVE_ACCOUNT, state="SUSPENDED"),
    ]
    # when / then
    assert summarize(results).exit_code == 0


def test_failure_outcomes_are_exactly_the_four() -> None:
    # given / when
    failed = {o.value for o in Outcome if o.failed}
    # then
    assert failed == {"blocked_by_scp", "access_denied", "throttled", "error"}
