"""The compliance view: Security Hub IAM.4 / IAM.9 / IAM.6 with CIS and Config ids."""

from __future__ import annotations

from root_access.compliance import COMPLIANCE_LAG_NOTE, evaluate


def statuses(results: tuple) -> dict[str, str]:  # type: ignore[type-arg]
    return {r.control: r.status for r in results}


def test_controls_carry_config_rules_and_cis_ids() -> None:
    # given / when
    results = evaluate(password=False, access_keys=0, signing_certificates=0, mfa_kinds=())
    # then
    assert [(r.control, r.config_rule, dict(r.cis)) for r in results] == [
        (
            "IAM.4",
            "iam-root-access-key-check",
            {"1.2": "1.12", "1.4": "1.4", "3.0": "1.4", "5.0": "1.3"},
        ),
        (
            "IAM.9",
            "root-account-mfa-enabled",
            {"1.2": "1.13", "1.4": "1.5", "3.0": "1.5", "5.0": "1.4"},
        ),
        (
            "IAM.6",
            "root-account-hardware-mfa-enabled",
            {"1.2": "1.14", "1.4": "1.6", "3.0": "1.6", "5.0": "1.5"},
        ),
    ]


def test_password_and_key_without_mfa_fail_all_three() -> None:
    # given / when
    results = evaluate(password=True, access_keys=1, signing_certificates=0, mfa_kinds=())
    # then
    assert statuses(results) == {"IAM.4": "failed", "IAM.9": "failed", "IAM.6": "failed"}


def test_virtual_mfa_passes_iam9_but_fails_iam6() -> None:
    # given / when
    results = evaluate(password=True, access_keys=0, signing_certificates=0, mfa_kinds=("virtual",))
    # then
    assert statuses(results) == {"IAM.4": "passed", "IAM.9": "passed", "IAM.6": "failed"}


def test_fido_and_hardware_mfa_pass_iam6() -> None:
    # given / when
    results = evaluate(
        password=True, access_keys=0, signing_certificates=1, mfa_kinds=("fido", "hardware")
    )
    # then
    assert statuses(results) == {"IAM.4": "passed", "IAM.9": "passed", "IAM.6": "passed"}


def test_compliance_lag_after_delete_mfa_controls_not_applicable_with_note() -> None:
    # given no credentials left after a deletion
    # when
    results = evaluate(
        password=False, access_keys=0, signing_certificates=0, mfa_kinds=(), after_delete=True
    )
    # then
    assert statuses(results) == {
        "IAM.4": "passed",
        "IAM.9": "not_applicable",
        "IAM.6": "not_applicable",
    }
    assert [r.note for r in results] == ["", COMPLIANCE_LAG_NOTE, COMPLIANCE_LAG_NOTE]
    assert "next periodic evaluation" in COMPLIANCE_LAG_NOTE
    assert "never add MFA" in COMPLIANCE_LAG_NOTE
