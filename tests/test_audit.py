"""Audit against the simulator: live IAM reads in an audit root session, per account."""

from __future__ import annotations

import pytest

from root_access import AccountResult, Outcome, Selection, UsageError, audit, summarize
from root_access.audit import RootUserCredentials, mfa_kind
from root_access.errors import SCP_HINT
from root_access.simulator import Scenario, Simulator, Throttle


def by_account(results: list[AccountResult]) -> dict[str, AccountResult]:
    return {r.account_id: r for r in results}


def test_audit_reports_every_credential_kind(simulator: Simulator) -> None:
    # given 222222222222 holds a password, an active and an inactive key, a certificate
    # and a virtual, a FIDO and a hardware MFA device
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("222222222222",)))
    # then
    assert (result.outcome, result.task, result.name, result.state) == (
        Outcome.ROOT_CREDENTIALS_PRESENT,
        "IAMAuditRootUserCredentials",
        "workload",
        "ACTIVE",
    )
    assert [(c.kind, c.status, c.mfa_kind, c.outcome) for c in result.credentials] == [
        ("password", None, None, Outcome.PRESENT),
        ("access_key", "Active", None, Outcome.PRESENT),
        ("access_key", "Inactive", None, Outcome.PRESENT),
        ("signing_certificate", "Active", None, Outcome.PRESENT),
        ("mfa_device", None, "virtual", Outcome.PRESENT),
        ("mfa_device", None, "fido", Outcome.PRESENT),
        ("mfa_device", None, "hardware", Outcome.PRESENT),
    ]
    active_key = result.credentials[1]
    assert (active_key.last_used, active_key.last_used_service, active_key.last_used_region) == (
        "2025-11-02T08:15:00Z",
        "s3",
        "eu-west-1",
    )
    assert result.summary is not None
    assert result.summary.to_dict() == {
        "password_present": True,
        "access_keys_present": True,
        "signing_certificates_present": True,
        "mfa_enabled": True,
    }
    assert [(c.control, c.status) for c in result.compliance] == [
        ("IAM.4", "failed"),
        ("IAM.9", "passed"),
        ("IAM.6", "failed"),
    ]


def test_cred_inactive_keys_and_all_certificates_are_counted(simulator: Simulator) -> None:
    # given the inactive key and the certificate of 222222222222
    expected = {k.access_key_id for k in simulator.root_user("222222222222").access_keys}
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("222222222222",)))
    # then
    assert {c.id for c in result.credentials if c.kind == "access_key"} == expected
    assert len([c for c in result.credentials if c.kind == "signing_certificate"]) == 1


def test_cred_feature_deletes_nothing_audit_is_live_per_account(simulator: Simulator) -> None:
    # given both features enabled while members still hold root credentials
    # when
    results = by_account(list(audit(simulator.session(), selection=Selection(all=True))))
    # then every targeted account was read in its own audit session
    assert results["666666666666"].outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    assert results["444444444444"].outcome is Outcome.NO_ROOT_CREDENTIALS
    summaries = {
        c.account_id
        for c in simulator.calls
        if c.action == "GetAccountSummary" and not c.error_code
    }
    assert summaries == {"222222222222", "333333333333", "444444444444", "666666666666"}


def test_cred_report_stale_audit_never_reads_the_credential_report(simulator: Simulator) -> None:
    # given / when
    list(audit(simulator.session(), selection=Selection(all=True)))
    # then
    assert not {"GenerateCredentialReport", "GetCredentialReport"} & {
        c.action for c in simulator.calls
    }


def test_cred_no_login_profile_audit_means_no_password(simulator: Simulator) -> None:
    # given 444444444444 has no login profile (GetLoginProfile: NoSuchEntity)
    # when the exhaustive audit reads it although its summary flag is 0
    [result] = audit(
        simulator.session(), selection=Selection(accounts=("444444444444",)), detail="full"
    )
    # then
    assert result.outcome is Outcome.NO_ROOT_CREDENTIALS
    assert result.credentials == ()
    assert ("GetLoginProfile", "NoSuchEntity") in {
        (c.action, c.error_code) for c in simulator.calls if c.account_id == "444444444444"
    }


def test_sts_target_mgmt_is_skipped_without_assume_root(simulator: Simulator) -> None:
    # given an organization-wide audit
    # when
    results = by_account(list(audit(simulator.session(), selection=Selection(all=True))))
    # then
    assert results["111111111111"].outcome is Outcome.SKIPPED_MANAGEMENT_ACCOUNT
    assert results["111111111111"].detail == (
        "the management account is outside centralized root access; not assumed into"
    )
    assert len([c for c in simulator.calls if c.action == "AssumeRoot"]) == 5
    assert {c.action for c in simulator.calls if c.account_id == "111111111111"} == {
        "GetCallerIdentity",
        "DescribeOrganization",
        "ListAWSServiceAccessForOrganization",
        "ListOrganizationsFeatures",
        "ListDelegatedAdministrators",
        "ListAccounts",
        "AssumeRoot",
    }


def test_acct_not_active_is_skipped_with_its_state_and_the_sweep_continues(
    simulator: Simulator,
) -> None:
    # given SUSPENDED 777777777777 and PENDING_CLOSURE 888888888888
    # when
    results = by_account(list(audit(simulator.session(), selection=Selection(all=True))))
    # then
    assert [
        (results[a].outcome, results[a].state, results[a].detail)
        for a in ("777777777777", "888888888888")
    ] == [
        (
            Outcome.SKIPPED_INACTIVE_ACCOUNT,
            "SUSPENDED",
            "account state is SUSPENDED; only ACTIVE accounts are targeted",
        ),
        (
            Outcome.SKIPPED_INACTIVE_ACCOUNT,
            "PENDING_CLOSURE",
            "account state is PENDING_CLOSURE; only ACTIVE accounts are targeted",
        ),
    ]
    assert not any(c.account_id in ("777777777777", "888888888888") for c in simulator.calls)
    assert results["222222222222"].outcome is Outcome.ROOT_CREDENTIALS_PRESENT


def test_scp_denies_root_is_blocked_by_scp_never_no_credentials(simulator: Simulator) -> None:
    # given an SCP denying every action in 555555555555's root sessions
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("555555555555",)))
    # then
    assert result.outcome is Outcome.BLOCKED_BY_SCP
    assert result.detail == f"GetAccountSummary denied by a service control policy; {SCP_HINT}"
    assert "`Null` condition on `aws:AssumedRoot`" in result.detail


def test_sts_task_scoped_a_denied_assume_root_is_that_accounts_access_denied(
    simulator: Simulator,
) -> None:
    # given the organization stops allowing the audit task after preflight
    from dataclasses import replace

    from root_access import preflight

    session = simulator.session()
    checked = preflight(session)
    session.client("iam").disable_organizations_root_credentials_management()
    stale = replace(checked, enabled_features=("RootCredentialsManagement", "RootSessions"))
    # when
    results = list(
        audit(session, selection=Selection(all=True), preflight_result=stale, max_workers=2)
    )
    # then every targeted account reports the denial and the sweep finishes
    outcomes = {r.account_id: r.outcome.value for r in results}
    assert outcomes == {
        "111111111111": "skipped_management_account",
        "222222222222": "access_denied",
        "333333333333": "access_denied",
        "444444444444": "access_denied",
        "555555555555": "access_denied",
        "666666666666": "access_denied",
        "777777777777": "skipped_inactive_account",
        "888888888888": "skipped_inactive_account",
    }
    assert summarize(results).exit_code == 1
    denied = next(r for r in results if r.account_id == "222222222222")
    assert denied.detail == (
        "AssumeRoot denied: User: arn:aws:iam::111111111111:user/pipeline is not authorized "
        "to perform: sts:AssumeRoot on resource: arn:aws:iam::222222222222:root because the "
        "organization has not enabled RootCredentialsManagement (IAMAuditRootUserCredentials)"
    )


def test_throttling_is_retried_on_every_client(simulator: Simulator) -> None:
    # given one AssumeRoot per 5 s for the organization, and GetAccessKeyLastUsed once per
    # 2 s per account: two accounts assume at once, 222222222222 reads two keys in a row
    simulator.faults.update(
        throttle=(
            Throttle("sts:AssumeRoot", rate=0.2, burst=1, per_account=False),
            Throttle("iam:GetAccessKeyLastUsed", rate=0.5, burst=1, per_account=True),
        )
    )
    selection = Selection(accounts=("222222222222", "666666666666"))
    # when
    results = by_account(audit(simulator.session(), selection=selection, max_workers=2))
    # then throttled calls happened on the caller's STS client and on a root-session client,
    # and the retries got both accounts through
    throttled = {(c.service, c.action) for c in simulator.calls if c.error_code == "Throttling"}
    assert throttled == {("sts", "AssumeRoot"), ("iam", "GetAccessKeyLastUsed")}
    assert {a: r.outcome for a, r in results.items()} == {
        "222222222222": Outcome.ROOT_CREDENTIALS_PRESENT,
        "666666666666": Outcome.ROOT_CREDENTIALS_PRESENT,
    }


def test_throttling_exhausted_is_throttled_and_others_continue(simulator: Simulator) -> None:
    # given GetAccessKeyLastUsed allows one call per account, ever: 222222222222 has two keys
    simulator.faults.update(
        throttle=(Throttle("iam:GetAccessKeyLastUsed", rate=0, burst=1, per_account=True),)
    )
    # when
    results = by_account(
        list(audit(simulator.session(), selection=Selection(all=True), max_attempts=2))
    )
    # then
    assert results["222222222222"].outcome is Outcome.THROTTLED
    assert results["222222222222"].detail == (
        "GetAccessKeyLastUsed still throttled after retries (Throttling)"
    )
    assert results["666666666666"].outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    assert summarize(results.values()).exit_code == 1
    assert summarize(results.values()).to_dict()["counts"] == {
        "blocked_by_scp": 1,
        "no_root_credentials": 2,
        "root_credentials_present": 1,
        "skipped_inactive_account": 2,
        "skipped_management_account": 1,
        "throttled": 1,
    }


@pytest.mark.parametrize(
    ("serial", "kind"),
    [
        ("arn:aws:iam::222222222222:mfa/root-account-mfa-device", "virtual"),
        ("arn:aws-cn:iam::222222222222:mfa/phone", "virtual"),
        ("arn:aws:iam::222222222222:u2f/root/passkey-1-ABC", "fido"),
        ("GAKT12345678", "hardware"),
        ("mfa/not-an-arn", "hardware"),
    ],
)
def test_mfa_kinds_are_classified_by_serial(serial: str, kind: str) -> None:
    # given / when / then
    assert mfa_kind(serial) == kind


def test_a_5xx_burst_is_retried(simulator: Simulator) -> None:
    # given the next three ListAccessKeys calls fail with 503
    simulator.faults.fail_next("iam:ListAccessKeys", 3, status=503)
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("222222222222",)))
    # then
    assert result.outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    failures = [c.error_code for c in simulator.calls if c.action == "ListAccessKeys"]
    assert failures == ["ServiceUnavailable"] * 3 + [None]


def test_the_delegated_administrator_audits_like_the_management_account(
    simulator: Simulator,
) -> None:
    # given the pipeline principal in the IAM delegated administrator 333333333333
    session = simulator.session("333333333333")
    # when
    results = by_account(audit(session, selection=Selection(all=True)))
    # then
    assert {a: r.outcome.value for a, r in results.items()} == {
        "111111111111": "skipped_management_account",
        "222222222222": "root_credentials_present",
        "333333333333": "no_root_credentials",
        "444444444444": "no_root_credentials",
        "555555555555": "blocked_by_scp",
        "666666666666": "root_credentials_present",
        "777777777777": "skipped_inactive_account",
        "888888888888": "skipped_inactive_account",
    }


def _calls_in(simulator: Simulator, account_id: str) -> list[str]:
    """The actions made in ``account_id``'s root sessions, in order."""
    return [c.action for c in simulator.calls if c.account_id == account_id]


def _assume_root_calls(simulator: Simulator) -> int:
    return len([c for c in simulator.calls if c.action == "AssumeRoot"])


def test_summary_first_a_clean_account_costs_assume_root_and_get_account_summary(
    simulator: Simulator,
) -> None:
    # given 444444444444, whose root user holds nothing
    simulator.call_log.clear()
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("444444444444",)))
    # then exactly two AWS calls were made for it
    assert result.outcome is Outcome.NO_ROOT_CREDENTIALS
    assert result.detail == ""
    assert _assume_root_calls(simulator) == 1
    assert _calls_in(simulator, "444444444444") == ["GetAccountSummary"]
    assert result.summary is not None
    assert result.summary.to_dict() == {
        "password_present": False,
        "access_keys_present": False,
        "signing_certificates_present": False,
        "mfa_enabled": False,
    }
    assert [(c.control, c.status) for c in result.compliance] == [
        ("IAM.4", "passed"),
        ("IAM.9", "not_applicable"),
        ("IAM.6", "not_applicable"),
    ]


def test_summary_first_reads_detail_only_for_the_flagged_kinds(simulator: Simulator) -> None:
    # given 666666666666: a password and one active access key, no certificate or MFA
    simulator.call_log.clear()
    # when
    [result] = audit(simulator.session(), selection=Selection(accounts=("666666666666",)))
    # then
    assert result.outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    assert [(c.kind, c.status) for c in result.credentials] == [
        ("password", None),
        ("access_key", "Active"),
    ]
    assert _assume_root_calls(simulator) == 1
    assert _calls_in(simulator, "666666666666") == [
        "GetAccountSummary",
        "GetLoginProfile",
        "GetUser",
        "ListAccessKeys",
        "GetAccessKeyLastUsed",
    ]


def test_full_detail_reads_every_kind_whatever_the_flags(simulator: Simulator) -> None:
    # given the clean 444444444444
    simulator.call_log.clear()
    # when the exhaustive mode is asked for
    [result] = audit(
        simulator.session(), selection=Selection(accounts=("444444444444",)), detail="full"
    )
    # then
    assert result.outcome is Outcome.NO_ROOT_CREDENTIALS
    assert _assume_root_calls(simulator) == 1
    assert _calls_in(simulator, "444444444444") == [
        "GetAccountSummary",
        "GetLoginProfile",
        "ListAccessKeys",
        "ListSigningCertificates",
        "ListMFADevices",
    ]


def test_summary_and_full_report_the_same_credentials(simulator: Simulator) -> None:
    # given every kind of root credential (222222222222), none (444444444444), some (666…)
    selection = Selection(accounts=("222222222222", "444444444444", "666666666666"))

    def shape(result: AccountResult) -> tuple[object, ...]:
        return (
            result.outcome,
            tuple((c.kind, c.id, c.status, c.mfa_kind, c.last_used) for c in result.credentials),
            result.summary,
            result.compliance,
        )

    # when
    summary = by_account(list(audit(simulator.session(), selection=selection)))
    full = by_account(list(audit(simulator.session(), selection=selection, detail="full")))
    # then
    assert {a: shape(r) for a, r in summary.items()} == {a: shape(r) for a, r in full.items()}


def test_inactive_key_alone_is_flagged_and_read() -> None:
    # given a root user whose only credential is an inactive access key
    scenario = Scenario.loads(
        """
region: us-east-1
organizations:
  - management_account: {id: "111111111111", name: management, email: m@example.com}
    trusted_access: [iam.amazonaws.com]
    features: [RootCredentialsManagement, RootSessions]
    accounts:
      - id: "222222222222"
        name: member
        root_credentials: {access_keys: [{status: Inactive}]}
"""
    )
    with Simulator(scenario) as sim:
        # when
        [result] = audit(sim.session(), selection=Selection(accounts=("222222222222",)))
        calls = [c.action for c in sim.calls if c.account_id == "222222222222"]
    # then AccountAccessKeysPresent counts it, so the summary-first audit lists it
    assert result.outcome is Outcome.ROOT_CREDENTIALS_PRESENT
    assert [(c.kind, c.status) for c in result.credentials] == [("access_key", "Inactive")]
    assert calls == ["GetAccountSummary", "ListAccessKeys", "GetAccessKeyLastUsed"]


def test_a_bad_detail_is_a_usage_error_before_any_aws_call(simulator: Simulator) -> None:
    # given
    simulator.call_log.clear()
    # when
    with pytest.raises(UsageError) as raised:
        audit(simulator.session(), selection=Selection(all=True), detail="everything")  # type: ignore[arg-type]
    # then
    assert str(raised.value) == (
        "detail must be one of summary, full, got 'everything': use summary "
        "(GetAccountSummary first, detail only for the kinds it flags) or full (every read)"
    )
    assert simulator.calls == []


def test_a_flag_without_a_listed_credential_still_counts_as_present() -> None:
    # given GetAccountSummary flags an access key that ListAccessKeys did not return
    found = RootUserCredentials(
        credentials=(),
        summary=None,
        flags=(
            ("password", False),
            ("access_key", True),
            ("signing_certificate", False),
            ("mfa_device", None),
        ),
    )
    # then it is present (never reported clean) and the detail says why
    assert found.present is True
    assert found.flagged_unlisted == ("access_key",)
    assert found.mismatch() == (
        "GetAccountSummary reports access keys (AccountAccessKeysPresent = 1) but "
        "ListAccessKeys found none (IAM is eventually consistent: audit again)"
    )
