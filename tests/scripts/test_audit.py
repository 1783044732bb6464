"""Contract of scripts/audit.py, the ``data "external"`` program (docs/architecture.md).

Field cases: EXT-STRINGS-ONLY, EXT-STDOUT, EXT-RUNS-ON-PLAN, EXT-STATE-SECRETS,
EXT-INTERPRETER; the failed account is SCP-DENIES-ROOT (555555555555 in the default
scenario).
"""

from __future__ import annotations

import json
import re

from root_access.simulator import SimulatorServer

ALL = {"all": "true"}
SESSION_SECRET = re.compile(r"ASIA[0-9A-Z]{16}|Um9vdFNlc3Npb24|SessionToken|SecretAccessKey")


def test_audit_prints_one_flat_object_of_strings(run_script, simulator_server: SimulatorServer):
    # given the default organization and an organization-wide query
    # when
    run = run_script("audit.py", query={**ALL, "max_workers": "4"}, env=simulator_server.env)
    # then exit 0 although 555555555555 failed, and stdout is one object of strings
    assert run.returncode == 0, run.stderr
    output = run.json()
    assert sorted(output) == [
        "accounts",
        "digest",
        "not_audited",
        "report_path",
        "result_mode",
        "root_credential_kinds",
        "scp_lint",
        "summary",
        "with_root_credentials",
    ]
    assert all(isinstance(value, str) for value in output.values())
    assert run.stdout.count("\n") == 1
    assert json.loads(output["with_root_credentials"]) == ["222222222222", "666666666666"]
    assert json.loads(output["summary"]) == {
        "blocked_by_scp": 1,
        "no_root_credentials": 2,
        "root_credentials_present": 2,
        "skipped_inactive_account": 2,
        "skipped_management_account": 1,
        "total": 8,
    }


def test_audit_accounts_decode_to_typed_posture(run_script, simulator_server: SimulatorServer):
    # given
    query = {"accounts": json.dumps(["222222222222", "555555555555"])}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env)
    # then nested data is JSON inside the string: booleans stay booleans
    assert run.returncode == 0, run.stderr
    accounts = json.loads(run.json()["accounts"])
    assert sorted(accounts) == ["222222222222", "555555555555"]
    workload = accounts["222222222222"]
    assert workload["outcome"] == "root_credentials_present"
    assert workload["summary"] == {
        "password_present": True,
        "access_keys_present": True,
        "signing_certificates_present": True,
        "mfa_enabled": True,
    }
    assert sorted(c["kind"] for c in workload["credentials"]) == [
        "access_key",
        "access_key",
        "mfa_device",
        "mfa_device",
        "mfa_device",
        "password",
        "signing_certificate",
    ]
    assert accounts["555555555555"]["outcome"] == "blocked_by_scp"
    assert "aws:AssumedRoot" in accounts["555555555555"]["detail"]


def test_audit_logs_only_on_stderr(run_script, simulator_server: SimulatorServer):
    # given
    query = {"accounts": json.dumps(["444444444444"])}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env)
    # then the per-account log line is on stderr, stdout holds the object only
    assert run.returncode == 0
    assert "444444444444 no_root_credentials" in run.stderr
    assert run.stdout.lstrip().startswith("{")
    assert "root-access INFO" not in run.stdout


def test_audit_output_holds_no_session_secret(run_script, simulator_server: SimulatorServer):
    # given
    # when
    run = run_script("audit.py", query=ALL, env=simulator_server.env)
    # then no AssumeRoot credential, and not the caller's secret, anywhere in the output
    assert run.returncode == 0
    everything = run.stdout + run.stderr
    assert SESSION_SECRET.search(everything) is None
    assert simulator_server.env["AWS_SECRET_ACCESS_KEY"] not in everything
    issued = simulator_server.issued_secrets()
    assert issued
    assert [secret for secret in issued if secret in everything] == []


def test_audit_only_reads(run_script, simulator_server: SimulatorServer):
    # given
    before = simulator_server.root_user("222222222222")
    simulator_server.clear_calls()
    # when
    run = run_script("audit.py", query=ALL, env=simulator_server.env)
    # then nothing changed and no write call was made (EXT-RUNS-ON-PLAN)
    assert run.returncode == 0
    assert simulator_server.root_user("222222222222") == before
    writes = [
        call.action
        for call in simulator_server.calls()
        if call.action.startswith(("Delete", "Create", "Deactivate", "Enable", "Put", "Set"))
    ]
    assert writes == []


def test_scope_only_lists_the_selected_accounts_without_assume_root(
    run_script, simulator_server: SimulatorServer
):
    # given
    simulator_server.clear_calls()
    # when
    run = run_script("audit.py", query={**ALL, "scope_only": "true"}, env=simulator_server.env)
    # then
    assert run.returncode == 0, run.stderr
    assert run.json() == {
        "account_ids": json.dumps(
            [
                "111111111111",
                "222222222222",
                "333333333333",
                "444444444444",
                "555555555555",
                "666666666666",
                "777777777777",
                "888888888888",
            ]
        )
    }
    assert [c.action for c in simulator_server.calls() if c.action == "AssumeRoot"] == []


def test_usage_error_is_one_stderr_line_and_exit_2(run_script):
    # given a malformed account id (no AWS needed: input is checked first)
    query = {"accounts": json.dumps(["12345"])}
    # when
    run = run_script("audit.py", query=query)
    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("root-access: malformed account id '12345'")


def test_list_that_is_not_json_is_a_usage_error(run_script):
    # given
    # when
    run = run_script("audit.py", query={"accounts": "222222222222,444444444444"})
    # then
    assert run.returncode == 2
    assert run.stderr == (
        "root-access: accounts must be a JSON-encoded list of ids, "
        "got '222222222222,444444444444'\n"
    )


def test_stdin_that_is_not_an_object_is_a_usage_error(run_script):
    # given
    # when
    run = run_script("audit.py", query=["all"])  # type: ignore[arg-type]
    # then
    assert run.returncode == 2
    assert (
        run.stderr == "root-access: the external query on stdin must be one JSON object, got list\n"
    )


def test_missing_credentials_is_one_stderr_line(run_script):
    # given no AWS credentials at all, a Region and an endpoint nobody listens on
    env = {"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    # when
    run = run_script("audit.py", query=ALL, env=env)
    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("root-access: ")


def test_preflight_error_when_feature_is_off(run_script, features_off_server: SimulatorServer):
    # given an organization without RootCredentialsManagement
    # when
    run = run_script("audit.py", query=ALL, env=features_off_server.env)
    # then one line that names what to do
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert "RootCredentialsManagement" in run.stderr or "trusted access" in run.stderr


def test_falls_back_to_src_beside_scripts(
    run_script, simulator_server: SimulatorServer, python_without_package
):
    # given an interpreter with boto3 but without the installed package
    python, env = python_without_package
    query = {"accounts": json.dumps(["444444444444"])}
    # when
    run = run_script("audit.py", query=query, python=python, env={**simulator_server.env, **env})
    # then the engine came from ../src and the audit ran
    assert run.returncode == 0, run.stderr
    assert json.loads(run.json()["with_root_credentials"]) == []


def test_interpreter_without_boto3_names_python_executable(run_script, python_without_boto3):
    # given an interpreter that cannot import boto3 (EXT-INTERPRETER)
    # when
    run = run_script("audit.py", query=ALL, python=python_without_boto3)
    # then one line naming the module input to set
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert "python_executable" in run.stderr


def test_detail_query_key_picks_summary_first_or_full_reads(
    run_script, simulator_server: SimulatorServer
):
    # given the clean 444444444444
    query = {"accounts": json.dumps(["444444444444"])}
    # when audited with the default, then with detail = full
    simulator_server.clear_calls()
    summary = run_script("audit.py", query=query, env=simulator_server.env)
    summary_calls = [c.action for c in simulator_server.calls() if c.account_id == "444444444444"]
    simulator_server.clear_calls()
    full = run_script("audit.py", query={**query, "detail": "full"}, env=simulator_server.env)
    full_calls = [c.action for c in simulator_server.calls() if c.account_id == "444444444444"]
    # then
    assert (summary.returncode, full.returncode) == (0, 0)
    assert summary_calls == ["GetAccountSummary"]
    assert full_calls == [
        "GetAccountSummary",
        "GetLoginProfile",
        "ListAccessKeys",
        "ListSigningCertificates",
        "ListMFADevices",
    ]


def test_a_bad_detail_is_one_stderr_line_and_exit_2(run_script, simulator_server):
    # given
    simulator_server.clear_calls()
    # when
    run = run_script("audit.py", query={**ALL, "detail": "deep"}, env=simulator_server.env)
    # then before any AWS call
    assert simulator_server.calls() == []
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (
        "root-access: detail must be one of summary, full, got 'deep': use summary "
        "(GetAccountSummary first, detail only for the kinds it flags) or full (every read)\n"
    )
