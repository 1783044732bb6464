"""Contract of scripts/task.py: privileged root tasks and enabling trusted access."""

from __future__ import annotations

import boto3

from root_access.simulator import SimulatorServer


def _session(server: SimulatorServer) -> boto3.Session:
    env = server.env
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )


def test_enable_trusted_access(run_script, features_off_server: SimulatorServer):
    # given trusted access for IAM is off
    # when
    run = run_script(
        "task.py", request={"task": "enable-trusted-access"}, env=features_off_server.env
    )
    # then
    assert run.returncode == 0, run.stderr
    organizations = _session(features_off_server).client(
        "organizations", endpoint_url=features_off_server.endpoint_url
    )
    principals = [
        item["ServicePrincipal"]
        for item in organizations.list_aws_service_access_for_organization()[
            "EnabledServicePrincipals"
        ]
    ]
    assert principals == ["iam.amazonaws.com"]
    assert run.json()["trusted_access"] is True


def test_allow_password_recovery(run_script, simulator_server: SimulatorServer):
    # given a member without root credentials
    request = {
        "request_id": "CHG-1",
        "task": "allow-password-recovery",
        "account_id": "444444444444",
    }
    # when
    run = run_script("task.py", request=request, env=simulator_server.env)
    # then
    assert run.returncode == 0, run.stderr
    output = run.json()
    assert output["request_id"] == "CHG-1"
    assert [r["outcome"] for r in output["results"]] == ["recovery_enabled"]
    assert "request CHG-1: 444444444444 recovery_enabled" in run.stderr


def test_failed_task_exits_1(run_script, simulator_server: SimulatorServer):
    # given an unlock in the account whose root sessions an SCP denies
    request = {
        "request_id": "INC-9",
        "task": "unlock-s3-bucket-policy",
        "account_id": "555555555555",
        "buckets": ["locked-bucket"],
    }
    # when
    run = run_script("task.py", request=request, env=simulator_server.env)
    # then the apply fails and the instance is retried next time
    assert run.returncode == 1
    assert [r["outcome"] for r in run.json()["results"]] == ["blocked_by_scp"]
    assert "request INC-9 failed" in run.stderr


def test_unknown_task_is_a_usage_error(run_script, simulator_server: SimulatorServer):
    # given
    # when
    run = run_script("task.py", request={"task": "reboot"}, env=simulator_server.env)
    # then
    assert run.returncode == 2
    assert run.stderr == (
        "root-access: unknown task 'reboot': expected one of enable-trusted-access, "
        "allow-password-recovery, unlock-s3-bucket-policy, unlock-sqs-queue-policy\n"
    )


def test_task_needs_account_id(run_script, simulator_server: SimulatorServer):
    # given
    # when
    run = run_script(
        "task.py", request={"task": "allow-password-recovery"}, env=simulator_server.env
    )
    # then
    assert run.returncode == 2
    assert run.stderr == (
        "root-access: task allow-password-recovery needs account_id (a 12-digit string)\n"
    )
