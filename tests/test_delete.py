"""Delete root credentials against the simulator: plan, delete, verify, evidence, resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from root_access import (
    AccountResult,
    Journal,
    Outcome,
    RootTask,
    Selection,
    audit,
    completed_accounts,
    delete_credentials,
    summarize,
)
from root_access.compliance import COMPLIANCE_LAG_NOTE
from root_access.delete import _delete_one
from root_access.errors import SCP_HINT
from root_access.results import CredentialResult
from root_access.sessions import RootSession
from root_access.simulator import Scenario, Simulator, SimulatorServer

DELETE = RootTask.DELETE_CREDENTIALS.policy_arn("aws")
LEFT = (
    "deactivated; virtual device left in place (DeleteVirtualMFADevice denied by the task policy)"
)


def by_account(results: Any) -> dict[str, AccountResult]:
    return {r.account_id: r for r in results}


def record_secrets(session: boto3.Session) -> list[str]:
    """Collect every secret AssumeRoot hands out through ``session`` (to scan for them)."""
    secrets: list[str] = []

    def keep(parsed: dict[str, Any], **_: Any) -> None:
        credentials = parsed.get("Credentials", {})
        secrets.extend(
            credentials[k] for k in ("SecretAccessKey", "SessionToken") if k in credentials
        )

    session.events.register("after-call.sts.AssumeRoot", keep)
    return secrets


def test_dry_run_plans_every_credential_and_changes_nothing(simulator: Simulator) -> None:
    # given
    before = simulator.root_user("222222222222")
    # when
    [result] = delete_credentials(
        simulator.session(), selection=Selection(accounts=("222222222222",)), dry_run=True
    )
    # then
    assert (result.outcome, result.dry_run, result.task) == (
        Outcome.WOULD_DELETE,
        True,
        "IAMDeleteRootUserCredentials",
    )
    assert [(c.kind, c.outcome, c.detail) for c in result.credentials] == [
        ("password", Outcome.WOULD_DELETE, "DeleteLoginProfile"),
        ("access_key", Outcome.WOULD_DELETE, "DeleteAccessKey"),
        ("access_key", Outcome.WOULD_DELETE, "DeleteAccessKey"),
        ("signing_certificate", Outcome.WOULD_DELETE, "DeleteSigningCertificate"),
        ("mfa_device", Outcome.WOULD_DELETE, "DeactivateMFADevice"),
        ("mfa_device", Outcome.WOULD_DELETE, "DeactivateMFADevice"),
        ("mfa_device", Outcome.WOULD_DELETE, "DeactivateMFADevice"),
    ]
    assert simulator.root_user("222222222222") == before
    writes = {"DeleteLoginProfile", "DeleteAccessKey", "DeleteSigningCertificate"}
    assert not writes & {c.action for c in simulator.calls}


def test_delete_removes_every_credential_and_verifies_with_a_fresh_audit(
    simulator: Simulator,
) -> None:
    # given
    before = simulator.root_user("222222222222")
    # when
    [result] = delete_credentials(
        simulator.session(), selection=Selection(accounts=("222222222222",))
    )
    # then
    assert (result.outcome, result.verified, result.detail) == (Outcome.DELETED, True, "")
    assert [(c.kind, c.id, c.outcome, c.detail) for c in result.credentials] == [
        ("password", "login_profile", Outcome.DELETED, ""),
        ("access_key", before.access_keys[0].access_key_id, Outcome.DELETED, ""),
        ("access_key", before.access_keys[1].access_key_id, Outcome.DELETED, ""),
        (
            "signing_certificate",
            before.signing_certificates[0].certificate_id,
            Outcome.DELETED,
            "",
        ),
        ("mfa_device", before.mfa_devices[0].serial_number, Outcome.DEACTIVATED, LEFT),
        ("mfa_device", before.mfa_devices[1].serial_number, Outcome.DELETED, ""),
        ("mfa_device", before.mfa_devices[2].serial_number, Outcome.DELETED, ""),
    ]
    after = simulator.root_user("222222222222")
    assert (after.password, after.access_keys, after.signing_certificates) == (False, (), ())
    assert [d.active for d in after.mfa_devices] == [False] * len(after.mfa_devices)
    audits = [c for c in simulator.calls if c.action == "GetAccountSummary"]
    assert [c.account_id for c in audits] == ["222222222222"]


def test_mfa_kinds_deactivate_all_and_delete_only_virtual(simulator: Simulator) -> None:
    # given a virtual, a FIDO and a hardware device
    # when
    list(delete_credentials(simulator.session(), selection=Selection(accounts=("222222222222",))))
    # then
    calls = [(c.action, c.error_code) for c in simulator.calls if c.account_id == "222222222222"]
    assert calls.count(("DeactivateMFADevice", None)) == 3
    assert [c for c in calls if c[0] == "DeleteVirtualMFADevice"] == [
        ("DeleteVirtualMFADevice", "AccessDenied")
    ]


def test_virtual_mfa_deletion_can_be_turned_off(simulator: Simulator) -> None:
    # given / when
    [result] = delete_credentials(
        simulator.session(),
        selection=Selection(accounts=("222222222222",)),
        delete_virtual_mfa=False,
    )
    # then
    virtual = [c for c in result.credentials if c.mfa_kind == "virtual"]
    assert [(c.outcome, c.detail) for c in virtual] == [
        (Outcome.DEACTIVATED, "deactivated; virtual device left in place (deletion not requested)")
    ]
    assert not any(c.action == "DeleteVirtualMFADevice" for c in simulator.calls)


def test_compliance_lag_after_delete_mfa_controls_are_not_applicable(
    simulator: Simulator,
) -> None:
    # given / when
    [result] = delete_credentials(
        simulator.session(), selection=Selection(accounts=("666666666666",))
    )
    # then
    assert [(c.control, c.status, c.note) for c in result.compliance] == [
        ("IAM.4", "passed", ""),
        ("IAM.9", "not_applicable", COMPLIANCE_LAG_NOTE),
        ("IAM.6", "not_applicable", COMPLIANCE_LAG_NOTE),
    ]
    assert not any(
        c.action in ("EnableMFADevice", "CreateVirtualMFADevice") for c in simulator.calls
    )


def test_a_rerun_is_idempotent_already_absent(simulator: Simulator) -> None:
    # given a first deletion
    session = simulator.session()
    list(delete_credentials(session, selection=Selection(accounts=("666666666666",))))
    # when
    [again] = delete_credentials(session, selection=Selection(accounts=("666666666666",)))
    # then
    assert (again.outcome, again.credentials, again.verified) == (
        Outcome.ALREADY_ABSENT,
        (),
        True,
    )
    assert not again.failed


def test_cred_no_login_profile_delete_is_already_absent(simulator: Simulator) -> None:
    # given a password the plan saw but that is gone when DeleteLoginProfile runs
    root = RootSession(
        simulator.session(),
        TargetPrincipal="444444444444",
        TaskPolicyArn=DELETE,
        region="us-east-1",
    )
    planned = CredentialResult(kind="password", id="login_profile", outcome=Outcome.PRESENT)
    # when
    result = _delete_one(root, planned, delete_virtual_mfa=True)
    # then
    assert (result.outcome, result.detail) == (
        Outcome.ALREADY_ABSENT,
        "DeleteLoginProfile: NoSuchEntity",
    )
    assert not result.outcome.failed


def test_scp_denies_root_delete_is_blocked_by_scp_never_clean(
    simulator: Simulator,
) -> None:
    # given an SCP denying every action in 555555555555's root sessions
    # when
    [result] = delete_credentials(
        simulator.session(), selection=Selection(accounts=("555555555555",))
    )
    # then
    assert result.outcome is Outcome.BLOCKED_BY_SCP
    assert result.detail == f"GetLoginProfile denied by a service control policy; {SCP_HINT}"
    assert simulator.root_user("555555555555").password is True


def test_scp_denying_one_action_fails_that_credential_and_deletes_the_rest() -> None:
    # given an SCP that denies only DeleteLoginProfile in root sessions
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
        root_credentials: {password: true, access_keys: [{status: Active}]}
        scp_deny: ["iam:DeleteLoginProfile"]
"""
    )
    with Simulator(scenario) as sim:
        # when
        [result] = delete_credentials(
            sim.session(), selection=Selection(accounts=("222222222222",))
        )
        after = sim.root_user("222222222222")
    # then
    assert result.outcome is Outcome.BLOCKED_BY_SCP
    assert [(c.kind, c.outcome) for c in result.credentials] == [
        ("password", Outcome.BLOCKED_BY_SCP),
        ("access_key", Outcome.DELETED),
    ]
    assert result.verified is False
    assert result.detail == "verification found credentials left: password login_profile"
    assert (after.password, after.access_keys) == (True, ())


def test_journal_records_every_change_and_no_secret(simulator: Simulator, tmp_path: Path) -> None:
    # given
    session = simulator.session()
    secrets = record_secrets(session)
    path = tmp_path / "evidence.jsonl"
    # when
    with Journal(path) as journal:
        results = list(delete_credentials(session, selection=Selection(all=True), journal=journal))
    # then
    records = [json.loads(line) for line in path.read_text().splitlines()]
    changes = [r for r in records if r["record"] == "change"]
    assert [
        (r["account_id"], r["action"]) for r in changes if r["account_id"] == "666666666666"
    ] == [
        ("666666666666", "DeleteLoginProfile"),
        ("666666666666", "DeleteAccessKey"),
    ]
    assert {r["caller"] for r in records} == {"arn:aws:iam::111111111111:user/pipeline"}
    assert {r["task_policy_arn"] for r in records} == {DELETE}
    accounts = {r["account_id"]: r["outcome"] for r in records if r["record"] == "account"}
    assert accounts == {
        "222222222222": "deleted",
        "333333333333": "already_absent",
        "444444444444": "already_absent",
        "555555555555": "blocked_by_scp",
        "666666666666": "deleted",
    }
    # five delete sessions; verification sessions only where something was deleted
    # (333333333333 and 444444444444 had nothing, 555555555555 stopped first)
    assert len(secrets) == 2 * (5 + 2)
    written = path.read_text() + json.dumps([r.to_dict() for r in results]) + repr(results)
    assert [s for s in secrets if s in written] == []


def test_resume_finishes_only_what_is_left(simulator: Simulator, tmp_path: Path) -> None:
    # given a journal where 222222222222 and 666666666666 already finished
    session = simulator.session()
    path = tmp_path / "evidence.jsonl"
    with Journal(path) as journal:
        list(
            delete_credentials(
                session,
                selection=Selection(accounts=("222222222222", "666666666666")),
                journal=journal,
            )
        )
    simulator.call_log.clear()
    # when
    with Journal(path) as journal:
        results = by_account(
            delete_credentials(session, selection=Selection(all=True), journal=journal, resume=True)
        )
    # then
    assert completed_accounts(path, task_policy_arn=DELETE) >= {"222222222222", "666666666666"}
    assert sorted(results) == [
        "111111111111",
        "333333333333",
        "444444444444",
        "555555555555",
        "777777777777",
        "888888888888",
    ]
    assert summarize(results.values()).counts == {
        "already_absent": 2,
        "blocked_by_scp": 1,
        "skipped_inactive_account": 2,
        "skipped_management_account": 1,
    }
    # one delete session each for 333333333333, 444444444444 and 555555555555; nothing was
    # left to delete in any of them, so no verification session
    assert len([c for c in simulator.calls if c.action == "AssumeRoot"]) == 3


@pytest.mark.server
def test_delete_over_the_simulator_server(
    simulator_server: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a client environment pointed at the server (AWS_ENDPOINT_URL for every client)
    for name, value in simulator_server.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_STS", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    session = boto3.Session()
    # when
    results = by_account(delete_credentials(session, selection=Selection(all=True)))
    audited = by_account(audit(session, selection=Selection(all=True)))
    # then
    assert {a: r.outcome.value for a, r in results.items()} == {
        "111111111111": "skipped_management_account",
        "222222222222": "deleted",
        "333333333333": "already_absent",
        "444444444444": "already_absent",
        "555555555555": "blocked_by_scp",
        "666666666666": "deleted",
        "777777777777": "skipped_inactive_account",
        "888888888888": "skipped_inactive_account",
    }
    assert audited["222222222222"].outcome is Outcome.NO_ROOT_CREDENTIALS
    assert audited["666666666666"].outcome is Outcome.NO_ROOT_CREDENTIALS
    assert ("sts", "AssumeRoot") in {(c.service, c.action) for c in simulator_server.calls()}


def test_partition_comes_from_the_caller_never_hard_coded() -> None:
    # given an organization in the China partition
    scenario = Scenario.loads(
        """
region: cn-north-1
organizations:
  - management_account: {id: "111111111111", name: management, email: m@example.com}
    partition: aws-cn
    trusted_access: [iam.amazonaws.com]
    features: [RootCredentialsManagement, RootSessions]
    accounts:
      - id: "222222222222"
        name: member
        root_credentials: {password: true, mfa_devices: [virtual]}
"""
    )
    with Simulator(scenario) as sim:
        # when
        [result] = delete_credentials(
            sim.session(), selection=Selection(accounts=("222222222222",))
        )
    # then
    assert (result.outcome, result.verified) == (Outcome.DELETED, True)
    assert [c.id for c in result.credentials] == [
        "login_profile",
        "arn:aws-cn:iam::222222222222:mfa/root-account-mfa-device-1",
    ]


DELETE_SESSION_READS = [
    "GetLoginProfile",
    "GetUser",
    "ListAccessKeys",
    "GetAccessKeyLastUsed",
    "ListSigningCertificates",
    "ListMFADevices",
    "DeleteLoginProfile",
    "DeleteAccessKey",
]
"""666666666666 (a password, one active key) in its delete session: reads, then deletes."""


@pytest.mark.parametrize(
    ("detail", "verification"),
    [
        ("summary", ["GetAccountSummary"]),
        (
            "full",
            [
                "GetAccountSummary",
                "GetLoginProfile",
                "ListAccessKeys",
                "ListSigningCertificates",
                "ListMFADevices",
            ],
        ),
    ],
)
def test_delete_verifies_through_the_summary_unless_full_is_asked(
    simulator: Simulator, detail: str, verification: list[str]
) -> None:
    # given 666666666666 holds a password and an active access key
    simulator.call_log.clear()
    # when
    [result] = delete_credentials(
        simulator.session(),
        selection=Selection(accounts=("666666666666",)),
        detail=detail,  # type: ignore[arg-type]
    )
    # then one delete session, one audit session whose reads are exactly these
    assert (result.outcome, result.verified, result.detail) == (Outcome.DELETED, True, "")
    assert len([c for c in simulator.calls if c.action == "AssumeRoot"]) == 2
    actions = [c.action for c in simulator.calls if c.account_id == "666666666666"]
    assert actions == DELETE_SESSION_READS + verification
