"""Nothing lost: a sweep killed with SIGKILL, then ``--resume JOURNAL`` (issue 7, part 2).

The real console script runs against the simulator server (with latency, two workers)
and is killed with ``kill -9`` after some accounts finished. The journal then holds every
change written before the kill, one flushed JSON record per line; ``--resume`` assumes
the delete task only in the accounts the journal does not record as finished, writes only
where root credentials are left, and a later rerun changes nothing.
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from root_access import completed_accounts
from root_access.simulator import Scenario, SimulatorServer

pytestmark = pytest.mark.server

SCENARIO = Scenario.generate(accounts=12, with_credentials=1.0, seed=3)
"""12 accounts: the management account, 10 ACTIVE members holding root credentials
(some with every kind), 400000000003 SUSPENDED."""
ACTIVE_MEMBERS = frozenset(
    account.id
    for organization, account in SCENARIO.accounts()
    if account.state == "ACTIVE" and account.id != organization.management_account.id
)
DELETE_TASK = "IAMDeleteRootUserCredentials"
WRITES = ("DeleteLoginProfile", "DeleteAccessKey", "DeleteSigningCertificate",
          "DeactivateMFADevice", "DeleteVirtualMFADevice")  # fmt: skip


@pytest.fixture
def simulator_scenario() -> Scenario:
    return SCENARIO


def _holds_credentials(root_user: dict[str, Any]) -> bool:
    return bool(
        root_user["password"]
        or root_user["access_keys"]
        or root_user["signing_certificates"]
        or [device for device in root_user["mfa_devices"] if device["active"]]
    )


def _account_records(journal: Path) -> int:
    text = journal.read_text() if journal.exists() else ""
    return text.count('"record":"account"')


def test_sigkill_mid_sweep_then_resume_finishes_only_what_is_left(
    simulator_server: SimulatorServer,
    server_env: dict[str, str],
    root_access_script: str,
    tmp_path: Path,
) -> None:
    # given a slow organization being cleaned by the CLI with an evidence journal
    assert len(ACTIVE_MEMBERS) == 10
    simulator_server.set_faults({"latency_ms": 30})
    journal = tmp_path / "evidence.jsonl"
    delete = [root_access_script, "delete-credentials", "--all", "--yes", "--format", "json"]
    child = subprocess.Popen(
        [*delete, "--max-workers", "2", "--journal", str(journal)],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # when it is killed with SIGKILL once three accounts are finished
    try:
        while child.poll() is None and _account_records(journal) < 3:
            select.select([], [], [], 0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    written = journal.read_text().splitlines()
    finished = completed_accounts(journal)
    holding = {a for a in ACTIVE_MEMBERS if _holds_credentials(simulator_server.root_user(a))}
    # then the run died mid-sweep and every complete line is a record of a real change
    assert child.returncode == -signal.SIGKILL
    records = [json.loads(line) for line in written if line.endswith("}")]
    assert len(records) >= len(written) - 1
    assert 3 <= len(finished) < len(ACTIVE_MEMBERS)
    assert finished & holding == set()
    changed = {r["account_id"] for r in records if r["record"] == "change"}
    assert finished <= changed
    assert {r["outcome"] for r in records if r["record"] == "change"} <= {"deleted", "deactivated"}

    # when the run is resumed from its journal
    sessions_before = len(simulator_server.sessions())
    simulator_server.set_faults({})
    simulator_server.clear_calls()
    resumed = subprocess.run(
        [*delete, "--resume", str(journal)],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # then only the unfinished accounts got a delete session, writes went only where
    # credentials were left, and nothing is left anywhere
    sessions = simulator_server.sessions()[sessions_before:]
    deleted_in = {c.account_id for c in simulator_server.calls() if c.action in WRITES}
    assert (resumed.returncode, resumed.stderr) == (0, "")
    assert {a for a, task in sessions if task == DELETE_TASK} == ACTIVE_MEMBERS - finished
    assert deleted_in == holding
    assert [a for a in ACTIVE_MEMBERS if _holds_credentials(simulator_server.root_user(a))] == []
    assert completed_accounts(journal) == ACTIVE_MEMBERS
    assert journal.read_text().startswith("\n".join(written))

    # when the whole organization is cleaned again, without --resume
    simulator_server.clear_calls()
    rerun = subprocess.run(
        delete, env=server_env, capture_output=True, text=True, timeout=300, check=False
    )
    # then the rerun is safe: every account already_absent, not one write
    results = json.loads(rerun.stdout)["results"]
    assert rerun.returncode == 0
    assert {r["account_id"] for r in results if r["outcome"] == "already_absent"} == (
        ACTIVE_MEMBERS
    )
    assert [c for c in simulator_server.calls() if c.action in WRITES] == []
