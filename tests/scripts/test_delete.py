"""Contract of scripts/delete.py, the removal module's ``local-exec`` program.

Input only through ROOT_ACCESS_REQUEST; exit 1 when an account failed (the resource is
tainted and the next apply retries); evidence without secrets (EXT-STATE-SECRETS).
"""

from __future__ import annotations

import json
import re

from root_access import request_digest
from root_access.simulator import SimulatorServer

SESSION_SECRET = re.compile(r"ASIA[0-9A-Z]{16}|Um9vdFNlc3Npb24|SessionToken|SecretAccessKey")


def _request(**changes: object) -> dict[str, object]:
    return {"accounts": ["222222222222"], "region": "us-east-1", **changes}


def _has_credentials(root_user: dict[str, object]) -> bool:
    return bool(
        root_user["password"]
        or root_user["access_keys"]
        or root_user["signing_certificates"]
        or [device for device in root_user["mfa_devices"] if device["active"]]  # type: ignore[union-attr]
    )


def test_deletes_every_root_credential_and_writes_evidence(
    run_script, simulator_server: SimulatorServer, tmp_path
):
    # given
    evidence = tmp_path / "evidence" / "delete.jsonl"
    # when
    run = run_script(
        "delete.py", request=_request(evidence_path=str(evidence)), env=simulator_server.env
    )
    # then
    assert run.returncode == 0, run.stderr
    assert not _has_credentials(simulator_server.root_user("222222222222"))
    digest = request_digest({"accounts": ["222222222222"], "region": "us-east-1"})
    assert run.json() == {
        "summary": {"total": 1, "failed": 0, "exit_code": 0, "counts": {"deleted": 1}},
        "failed_accounts": [],
        "resume": {"request": digest, "resumed": False, "skipped_accounts": 0},
    }
    records = [json.loads(line) for line in evidence.read_text().splitlines()]
    assert records[-2]["record"] == "account"
    assert records[-2]["account_id"] == "222222222222"
    assert records[-2]["outcome"] == "deleted"
    assert [(r["record"], r.get("event"), r.get("request")) for r in (records[0], records[-1])] == [
        ("run", "start", digest),
        ("run", "end", digest),
    ]
    everything = evidence.read_text() + run.stdout + run.stderr
    assert SESSION_SECRET.search(everything) is None
    issued = simulator_server.issued_secrets()
    assert issued
    assert [secret for secret in issued if secret in everything] == []


def test_dry_run_deletes_nothing(run_script, simulator_server: SimulatorServer):
    # given
    before = simulator_server.root_user("222222222222")
    # when
    run = run_script("delete.py", request=_request(dry_run=True), env=simulator_server.env)
    # then
    assert run.returncode == 0, run.stderr
    assert simulator_server.root_user("222222222222") == before
    assert "222222222222 would_delete (dry run)" in run.stderr


def test_second_run_finds_nothing_left(run_script, simulator_server: SimulatorServer):
    # given a first run deleted everything
    first = run_script("delete.py", request=_request(), env=simulator_server.env)
    assert first.returncode == 0, first.stderr
    # when the same request runs again (a replaced terraform_data)
    second = run_script("delete.py", request=_request(), env=simulator_server.env)
    # then it is idempotent and succeeds
    assert second.returncode == 0, second.stderr
    assert second.json()["failed_accounts"] == []


def test_blocked_account_exits_1_and_others_are_still_cleaned(
    run_script, simulator_server: SimulatorServer
):
    # given 555555555555, whose root sessions an SCP denies, and 666666666666
    request = _request(accounts=["555555555555", "666666666666"])
    # when
    run = run_script("delete.py", request=request, env=simulator_server.env)
    # then the apply fails (exit 1), naming the account; the other one is clean
    assert run.returncode == 1
    assert run.json()["failed_accounts"] == ["555555555555"]
    assert "555555555555 blocked_by_scp" in run.stderr
    assert "1 account(s) failed: 555555555555" in run.stderr
    assert simulator_server.root_user("555555555555")["password"] is True
    assert not _has_credentials(simulator_server.root_user("666666666666"))


def test_request_comes_only_from_the_environment(run_script):
    # given no ROOT_ACCESS_REQUEST
    # when
    run = run_script("delete.py")
    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith("root-access: ROOT_ACCESS_REQUEST is not set")
    assert run.stderr.count("\n") == 1


def test_request_that_is_not_json_is_a_usage_error(run_script):
    # given
    # when
    run = run_script("delete.py", request="accounts=222222222222")
    # then
    assert run.returncode == 2
    assert run.stderr.startswith("root-access: ROOT_ACCESS_REQUEST is not JSON")


def test_deletion_needs_a_selection(run_script):
    # given an empty request: no accounts, no OUs, not all
    # when
    run = run_script("delete.py", request={})
    # then nothing is deleted by default
    assert run.returncode == 2
    assert run.stderr.startswith("root-access: empty selection")


def _assume_root_calls(server: SimulatorServer) -> list[str]:
    return [c.action for c in server.calls() if c.action == "AssumeRoot"]


def test_a_failed_run_resumes_with_the_same_request_and_says_how_many_it_skipped(
    run_script, simulator_server: SimulatorServer, tmp_path
):
    # given a run that cleaned 666666666666 and failed on the SCP-blocked 555555555555
    evidence = tmp_path / "evidence.jsonl"
    request = _request(accounts=["555555555555", "666666666666"], evidence_path=str(evidence))
    first = run_script("delete.py", request=request, env=simulator_server.env)
    assert first.returncode == 1, first.stderr
    simulator_server.clear_calls()
    # when the tainted removal runs again with the same request
    second = run_script("delete.py", request=request, env=simulator_server.env)
    # then only the failed account is assumed into; the done one is skipped and counted
    assert second.returncode == 1
    assert second.json()["resume"] == {
        "request": first.json()["resume"]["request"],
        "resumed": True,
        "skipped_accounts": 1,
    }
    assert second.json()["summary"]["total"] == 1
    assert (
        f"resuming the failed run of this request: skipping 1 account(s) {evidence} records as done"
    ) in second.stderr
    assert _assume_root_calls(simulator_server) == ["AssumeRoot"]
    members = {c.account_id for c in simulator_server.calls()} - {"111111111111"}
    assert members == {"555555555555"}


def test_a_changed_request_starts_afresh(run_script, simulator_server: SimulatorServer, tmp_path):
    # given a failed run
    evidence = tmp_path / "evidence.jsonl"
    request = _request(accounts=["555555555555", "666666666666"], evidence_path=str(evidence))
    assert run_script("delete.py", request=request, env=simulator_server.env).returncode == 1
    simulator_server.clear_calls()
    # when an option changes (a different request)
    changed = {**request, "delete_virtual_mfa": False}
    run = run_script("delete.py", request=changed, env=simulator_server.env)
    # then every account is worked on again
    assert run.returncode == 1
    assert run.json()["resume"]["resumed"] is False
    assert run.json()["resume"]["skipped_accounts"] == 0
    assert run.json()["summary"]["total"] == 2
    assert len(_assume_root_calls(simulator_server)) == 2


def test_the_same_request_after_a_clean_run_starts_afresh(
    run_script, simulator_server: SimulatorServer, tmp_path
):
    # given a clean run (e.g. then terraform apply -replace for re-created credentials)
    evidence = tmp_path / "evidence.jsonl"
    request = _request(accounts=["666666666666"], evidence_path=str(evidence))
    assert run_script("delete.py", request=request, env=simulator_server.env).returncode == 0
    # when
    run = run_script("delete.py", request=request, env=simulator_server.env)
    # then nothing is skipped
    assert run.returncode == 0
    assert run.json()["resume"]["resumed"] is False
    assert run.json()["summary"]["total"] == 1


def test_max_workers_is_not_part_of_the_request_digest(
    run_script, simulator_server: SimulatorServer, tmp_path
):
    # given a failed run
    evidence = tmp_path / "evidence.jsonl"
    request = _request(accounts=["555555555555", "666666666666"], evidence_path=str(evidence))
    assert run_script("delete.py", request=request, env=simulator_server.env).returncode == 1
    # when only the parallelism changes
    run = run_script("delete.py", request={**request, "max_workers": 2}, env=simulator_server.env)
    # then it still resumes
    assert run.json()["resume"]["resumed"] is True
    assert run.json()["resume"]["skipped_accounts"] == 1
