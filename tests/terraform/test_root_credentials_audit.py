"""The audit outputs hold exactly what their descriptions say, applied for real.

``modules/root-credentials-audit`` and the root module are applied with the offline
Terraform engine against the default scenario, which holds every kind of account:

- 222222222222, 666666666666: root credentials (every kind; password and an access key);
- 333333333333, 444444444444: none;
- 555555555555: an SCP denies root sessions, its root user has a password;
- 777777777777: SUSPENDED, with a password; 888888888888: PENDING_CLOSURE;
- 111111111111: the management account.

Each output's description is read from its ``outputs.tf`` (python-hcl2) and its claims
(the phrases of ``CLAIMS``) are checked against the value: an output added without a
claim here, or a claim dropped from a description, fails. Issue 11 (unknown is never
"none") and issue 12 (compact result mode: no per-account records in state).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import hcl2
import pytest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REPO = Path(__file__).resolve().parents[2]
AUDIT = Path("modules") / "root-credentials-audit"
EVERY_ACCOUNT = [
    "111111111111",
    "222222222222",
    "333333333333",
    "444444444444",
    "555555555555",
    "666666666666",
    "777777777777",
    "888888888888",
]
OUTCOMES = {
    "111111111111": "skipped_management_account",
    "222222222222": "root_credentials_present",
    "333333333333": "no_root_credentials",
    "444444444444": "no_root_credentials",
    "555555555555": "blocked_by_scp",
    "666666666666": "root_credentials_present",
    "777777777777": "skipped_inactive_account",
    "888888888888": "skipped_inactive_account",
}
WITH_ROOT_CREDENTIALS = ["222222222222", "666666666666"]
KINDS = {
    "222222222222": ["access_key", "mfa_device", "password", "signing_certificate"],
    "666666666666": ["access_key", "password"],
}
SCP_REASON = (
    "GetAccountSummary denied by a service control policy; exempt root sessions in the SCP "
    'with a `Null` condition on `aws:AssumedRoot` ("aws:AssumedRoot": "true" makes the deny '
    "skip AssumeRoot sessions)"
)
NOT_AUDITED = {
    "111111111111": {
        "outcome": "skipped_management_account",
        "reason": "the management account is outside centralized root access; not assumed into",
    },
    "555555555555": {"outcome": "blocked_by_scp", "reason": SCP_REASON},
    "777777777777": {
        "outcome": "skipped_inactive_account",
        "reason": "account state is SUSPENDED; only ACTIVE accounts are targeted",
    },
    "888888888888": {
        "outcome": "skipped_inactive_account",
        "reason": "account state is PENDING_CLOSURE; only ACTIVE accounts are targeted",
    },
}
SUMMARY = {
    "blocked_by_scp": 1,
    "no_root_credentials": 2,
    "root_credentials_present": 2,
    "skipped_inactive_account": 2,
    "skipped_management_account": 1,
    "total": 8,
}
DEFAULT_REPORT = "./root-credentials-audit.jsonl"

CLAIMS: dict[str, tuple[str, ...]] = {
    "result_mode": ('"full"', '"compact"', "null when create = false"),
    "accounts": (
        "every account of the selection",
        "audited or not (skipped, blocked and failed accounts included",
        "Compact result mode: null",
    ),
    "account_ids": ("every account of the selection, audited or not", "Compact result mode: null"),
    "accounts_with_root_credentials": (
        "whose audit found at least one root credential",
        "An account that could not be audited is NOT listed, whatever its root user holds",
        "in both result modes",
    ),
    "root_credential_kinds": (
        "For each account in accounts_with_root_credentials (and only those)",
        "sorted kinds",
        "Both result modes",
    ),
    "accounts_not_audited": (
        "Every selected account whose root user the audit could not look into",
        "{ outcome, reason }",
        "skipped_management_account",
        "skipped_inactive_account (SUSPENDED, PENDING_CLOSURE, …; reason names the state)",
        "blocked_by_scp",
        "Both result modes",
    ),
    "summary": ("Number of selected accounts per audit outcome", "plus total (every account"),
    "report_path": (
        "path.root/root-credentials-audit.jsonl in compact mode",
        "null when no report was written (full mode without report_path",
    ),
    "digest": ("SHA-256 (lowercase hex)", "sorted by account id", "computed in full mode too"),
    "scp_blocked_accounts": (
        "read before any AssumeRoot",
        "every selected ACTIVE member account that a service control policy would block",
        "{ tasks (sorted task policy names it blocks",
        'policy ("<name> (<policy id>)" of the first blocking SCP)',
        "An account whose SCPs could not be read is not listed here but in "
        "scp_lint_unknown_accounts",
        "Both result modes",
    ),
    "scp_lint_unknown_accounts": (
        "whose SCPs the lint could not read",
        "unknown, never clear",
        "Both result modes",
    ),
}
"""Per audit-module output: phrases its description must hold (checked against values)."""

ROOT_CLAIMS: dict[str, tuple[str, ...]] = {
    "root_credentials": (
        "every account of the selection after this apply",
        "audited or not (skipped, blocked and failed accounts included",
        "Compact mode: null",
    ),
    "accounts_with_root_credentials": (
        "whose audit after this apply found at least one root credential",
        "An account that could not be audited (blocked by an SCP, SUSPENDED, …) is NOT "
        "listed, whatever its root user holds",
        "Both result modes",
    ),
    "root_credential_kinds": CLAIMS["root_credential_kinds"],
    "accounts_not_audited": (
        "Every selected account whose root user the audit after this apply could not look into",
        "{ outcome, reason }",
        "skipped_inactive_account (SUSPENDED, PENDING_CLOSURE, …; reason names the state)",
        "blocked_by_scp",
        "The check accounts_audited warns about each of them but the management account",
    ),
    "audit_summary": ("per audit outcome", "plus total (every account of the selection)"),
    "audit_result_mode": ('"full"', '"compact"', "null when create = false"),
    "audit_report_path": (
        "path.root/root-credentials-audit.jsonl in compact mode",
        "null when no report was written (full mode without audit_report_path",
    ),
    "audit_digest": ("SHA-256 (lowercase hex)", "computed in full mode too"),
    "scp_blocked_accounts": (
        "read before any AssumeRoot",
        '{ tasks, policy ("<name> (<policy id>)"), statement, fix }',
        "Read at plan when nothing is pending, else after this apply",
        "scp_lint_unknown_accounts instead",
    ),
    "scp_lint_unknown_accounts": ("could not read", "unknown, never clear"),
}
"""Per root-module output of the audit: phrases its description must hold."""


def descriptions(module: Path) -> dict[str, str]:
    """Output name -> description (the HCL string, unquoted), from ``module/outputs.tf``."""
    with (module / "outputs.tf").open(encoding="utf-8") as handle:
        parsed = hcl2.load(handle)
    return {
        name.strip('"'): json.loads(body["description"])  # "…" with \" escapes
        for block in parsed["output"]
        for name, body in block.items()
    }


def outputs_of(tf: Any, names: Any) -> dict[str, Any]:
    """Every output in ``names``; ``terraform output -json`` leaves null ones out."""
    values = tf.outputs()
    return {name: values.get(name) for name in names}


def canonical_lines(records: Mapping[str, Any]) -> bytes:
    """The report's bytes for ``records``: one sorted-key JSON object a line, by id."""
    return b"".join(
        json.dumps(records[key], sort_keys=True, separators=(",", ":")).encode() + b"\n"
        for key in sorted(records)
    )


def assert_ids_that_need_action(outputs: Mapping[str, Any]) -> None:
    """The values of the outputs a compact result keeps (the same in both modes)."""
    assert outputs["scp_lint_unknown_accounts"] == []
    assert sorted(outputs["scp_blocked_accounts"]) == ["555555555555"]
    assert outputs["accounts_with_root_credentials"] == WITH_ROOT_CREDENTIALS
    assert outputs["root_credential_kinds"] == KINDS
    assert outputs["accounts_not_audited"] == NOT_AUDITED
    assert outputs["summary"] == SUMMARY
    # the SCP-blocked and the SUSPENDED accounts hold passwords, yet they are never
    # counted as holding none or listed as holding some: they are unknown
    for account_id in ("555555555555", "777777777777"):
        assert account_id not in outputs["accounts_with_root_credentials"]
        assert account_id in outputs["accounts_not_audited"]


def test_descriptions_claim_what_each_output_holds_in_full_and_compact_mode(
    workspace: Path, terraform, simulator_server: SimulatorServer, python: str, scp_blocked
):
    # given every audit output's description, and the module over the whole organization
    described = descriptions(REPO / AUDIT)
    assert sorted(described) == sorted(CLAIMS)
    for name, phrases in CLAIMS.items():
        missing = [phrase for phrase in phrases if phrase not in described[name]]
        assert missing == [], f"output {name}: description lacks {missing}"
    module = workspace / AUDIT
    variables = {"selection": {"all": True}, "python_executable": python, "region": "us-east-1"}
    tf = terraform(module, simulator_server, variables)
    tf.init()
    # when applied with the default result mode (auto: 8 accounts is full)
    tf.apply()
    full = outputs_of(tf, described)
    # then each output holds what its description claims
    assert full["result_mode"] == "full"
    assert full["scp_blocked_accounts"] == scp_blocked(simulator_server)
    assert sorted(full["accounts"]) == EVERY_ACCOUNT
    assert {k: v["outcome"] for k, v in full["accounts"].items()} == OUTCOMES
    assert full["account_ids"] == EVERY_ACCOUNT
    assert_ids_that_need_action(full)
    assert full["report_path"] is None
    assert not (module / "root-credentials-audit.jsonl").exists()
    records = canonical_lines(full["accounts"])
    assert full["digest"] == hashlib.sha256(records).hexdigest()
    full_state = tf.state_text()
    assert '\\"compliance\\"' in full_state  # the records are in state (the scan can fail)

    # when the same organization is applied in compact mode
    tf.write_variables({**variables, "result_mode": "compact"})
    tf.apply()
    compact = outputs_of(tf, described)
    # then the records are in the report (the digest is its SHA-256), not in state
    assert compact["result_mode"] == "compact"
    assert compact["accounts"] is None
    assert compact["account_ids"] is None
    assert_ids_that_need_action(compact)
    assert compact["report_path"] == DEFAULT_REPORT
    report = (module / DEFAULT_REPORT).read_bytes()
    assert report == records
    assert compact["digest"] == hashlib.sha256(report).hexdigest() == full["digest"]
    compact_state = tf.state_text()
    assert '\\"compliance\\"' not in compact_state
    assert '"compliance"' not in compact_state
    key_ids = [
        credential["id"]
        for credential in full["accounts"]["222222222222"]["credentials"]
        if credential["kind"] == "access_key"
    ]
    assert len(key_ids) == 2
    assert [key for key in key_ids if key in full_state] == key_ids
    assert [key for key in key_ids if key in compact_state] == []
    assert len(compact_state) < len(full_state) / 2

    # when full mode is asked to write a report too, at a path of the caller's choosing
    tf.write_variables({**variables, "result_mode": "full", "report_path": "out/audit.jsonl"})
    tf.apply()
    # then the report is there, with the same bytes and digest
    written = outputs_of(tf, described)
    assert written["report_path"] == "out/audit.jsonl"
    assert (module / "out" / "audit.jsonl").read_bytes() == records
    assert written["digest"] == full["digest"]


def test_root_module_outputs_and_the_accounts_audited_check(
    workspace: Path, terraform, simulator_server: SimulatorServer, root_variables, scp_blocked
):
    # given the root module's audit output descriptions
    described = descriptions(REPO)
    audit_outputs = {name for name in described if name in ROOT_CLAIMS}
    assert sorted(audit_outputs) == sorted(ROOT_CLAIMS)
    for name, phrases in ROOT_CLAIMS.items():
        missing = [phrase for phrase in phrases if phrase not in described[name]]
        assert missing == [], f"root output {name}: description lacks {missing}"
    # and the root module, audit only, over every account of the organization
    variables = root_variables(
        selection={"all": True},
        remove_root_credentials=False,
        enable_trusted_access=False,
        delegated_administrator_account_id=None,
    )
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    # when
    applied = " ".join(tf.apply().split())
    outputs = outputs_of(tf, described)
    # then the root outputs pass the audit's on
    assert outputs["audit_result_mode"] == "full"
    assert outputs["scp_blocked_accounts"] == scp_blocked(simulator_server)
    assert outputs["scp_lint_unknown_accounts"] == []
    assert {k: v["outcome"] for k, v in outputs["root_credentials"].items()} == OUTCOMES
    assert outputs["accounts_with_root_credentials"] == WITH_ROOT_CREDENTIALS
    assert outputs["root_credential_kinds"] == KINDS
    assert outputs["accounts_not_audited"] == NOT_AUDITED
    assert outputs["audit_summary"] == SUMMARY
    assert outputs["audit_report_path"] is None
    assert (
        outputs["audit_digest"]
        == hashlib.sha256(canonical_lines(outputs["root_credentials"])).hexdigest()
    )
    # and the accounts_audited check warns about exactly the three accounts in scope that
    # could not be audited, with outcome and reason, not about the management account
    warning = (
        "3 selected account(s) could not be audited, so whether their root user holds "
        "credentials is unknown (they are not in accounts_with_root_credentials): "
        f"555555555555 (blocked_by_scp: {SCP_REASON}); "
        "777777777777 (skipped_inactive_account: account state is SUSPENDED; only ACTIVE "
        "accounts are targeted); 888888888888 (skipped_inactive_account: account state is "
        "PENDING_CLOSURE; only ACTIVE accounts are targeted). Every one is in the output "
        "accounts_not_audited."
    )
    assert 'in check "accounts_audited"' in applied
    assert warning in applied
    # and the drift check stays quiet: nothing was to be removed
    assert 'in check "root_credentials_removed"' not in applied
    # and the next plan warns the same way, and changes nothing
    plan = " ".join(tf.run("plan", "-input=false", "-no-color").out.split())
    assert warning in plan
    assert "No changes." in plan
