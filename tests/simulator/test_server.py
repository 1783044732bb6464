"""The simulator as a local server: independent clients (plain boto3, the AWS CLI) given only
the printed environment, the ``/_simulator/`` control endpoints, and 127.0.0.1-only binding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from root_access.simulator import Faults, Scenario, SimulatorServer, Throttle
from root_access.simulator.calllog import CallRecord
from root_access.simulator.faults import FaultInjector
from root_access.simulator.server import SimulatorServerError, _Gate

pytestmark = pytest.mark.server

FEATURES_OFF = """
organizations:
  - management_account: "111111111111"
    delegated_administrator: "333333333333"
    organizational_units:
      - name: Security
        accounts: [{id: "333333333333", name: security}]
      - name: Workloads
        accounts:
          - id: "222222222222"
            name: workload
            root_credentials:
              password: true
              access_keys: [{status: Active}, {status: Inactive}]
              signing_certificates: 2
              mfa_devices: [virtual, fido, hardware]
"""

AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
DELETE = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"

# A program that knows nothing of this project: only boto3 and the environment.
PLAIN_BOTO3_PROGRAM = """
import json, sys
import boto3
from botocore.exceptions import ClientError

secrets = open(sys.argv[1], "a")
session = boto3.Session()
organizations = session.client("organizations")
iam = session.client("iam")
sts = session.client("sts")
out = {}
out["accounts"] = sorted(
    a["Id"] for page in organizations.get_paginator("list_accounts").paginate()
    for a in page["Accounts"]
)
organizations.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
iam.enable_organizations_root_credentials_management()
out["features"] = sorted(iam.enable_organizations_root_sessions()["EnabledFeatures"])

def root(task):
    credentials = sts.assume_root(
        TargetPrincipal="222222222222",
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/" + task},
    )["Credentials"]
    secrets.write(credentials["SecretAccessKey"] + "\\n" + credentials["SessionToken"] + "\\n")
    secrets.flush()
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    ).client("iam")

def audit(client):
    summary = client.get_account_summary()["SummaryMap"]
    try:
        client.get_login_profile()
        password = True
    except ClientError as error:
        password = error.response["Error"]["Code"]
    return {
        "summary": [summary[k] for k in (
            "AccountPasswordPresent", "AccountAccessKeysPresent",
            "AccountSigningCertificatesPresent", "AccountMFAEnabled")],
        "password": password,
        "keys": sorted(k["Status"] for k in client.list_access_keys()["AccessKeyMetadata"]),
        "certificates": len(client.list_signing_certificates()["Certificates"]),
        "mfa": len(client.list_mfa_devices()["MFADevices"]),
    }

audit_session = root("IAMAuditRootUserCredentials")
out["before"] = audit(audit_session)
try:
    audit_session.delete_login_profile()
    out["denied"] = None
except ClientError as error:
    out["denied"] = error.response["Error"]["Code"]
delete_session = root("IAMDeleteRootUserCredentials")
delete_session.delete_login_profile()
for key in delete_session.list_access_keys()["AccessKeyMetadata"]:
    delete_session.delete_access_key(AccessKeyId=key["AccessKeyId"])
for certificate in delete_session.list_signing_certificates()["Certificates"]:
    delete_session.delete_signing_certificate(CertificateId=certificate["CertificateId"])
for device in delete_session.list_mfa_devices()["MFADevices"]:
    delete_session.deactivate_mfa_device(SerialNumber=device["SerialNumber"])
out["after"] = audit(root("IAMAuditRootUserCredentials"))
print(json.dumps(out))
"""


def client_environment(server: SimulatorServer, tmp_path: Path) -> dict[str, str]:
    """Only the printed environment, with no AWS configuration of the machine."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT", "LANG")}
    return {
        **keep,
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        **server.env,
    }


@pytest.fixture
def features_off_server() -> Iterator[SimulatorServer]:
    with SimulatorServer(Scenario.loads(FEATURES_OFF)) as server:
        yield server


def test_plain_boto3_program_walks_the_acceptance_path(
    features_off_server: SimulatorServer, tmp_path: Path
) -> None:
    # given
    secrets_file = tmp_path / "secrets.txt"
    program = tmp_path / "walk.py"
    program.write_text(PLAIN_BOTO3_PROGRAM, encoding="utf-8")

    # when
    run = subprocess.run(
        [sys.executable, str(program), str(secrets_file)],
        env=client_environment(features_off_server, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    # then
    assert run.stderr == ""
    assert json.loads(run.stdout) == {
        "accounts": ["111111111111", "222222222222", "333333333333"],
        "features": ["RootCredentialsManagement", "RootSessions"],
        "before": {
            "summary": [1, 1, 1, 1],
            "password": True,
            "keys": ["Active", "Inactive"],
            "certificates": 2,
            "mfa": 3,
        },
        "denied": "AccessDenied",
        "after": {
            "summary": [0, 0, 0, 0],
            "password": "NoSuchEntity",
            "keys": [],
            "certificates": 0,
            "mfa": 0,
        },
    }
    assert features_off_server.root_user("222222222222")["access_keys"] == []
    # the session secrets reach neither the call log nor the server's log
    served = json.dumps(features_off_server._request("GET", "calls"))
    server_log = Path(features_off_server._directory or "", "server.log").read_text()
    for secret in secrets_file.read_text().split():
        assert secret not in served
        assert secret not in server_log


def aws(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    cli = str(Path(sys.executable).with_name("aws"))
    return subprocess.run(
        [sys.executable, cli, *arguments, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assume(env: dict[str, str], task_arn: str) -> dict[str, str]:
    run = aws(
        env,
        "sts",
        "assume-root",
        "--target-principal",
        "222222222222",
        "--task-policy-arn",
        f"arn={task_arn}",
    )
    assert run.returncode == 0, run.stderr
    credentials = json.loads(run.stdout)["Credentials"]
    return {
        **env,
        "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
        "AWS_SESSION_TOKEN": credentials["SessionToken"],
    }


def summary(env: dict[str, str]) -> list[int]:
    run = aws(env, "iam", "get-account-summary")
    assert run.returncode == 0, run.stderr
    values = json.loads(run.stdout)["SummaryMap"]
    return [
        values[k]
        for k in (
            "AccountPasswordPresent",
            "AccountAccessKeysPresent",
            "AccountSigningCertificatesPresent",
            "AccountMFAEnabled",
        )
    ]


def test_aws_cli_walks_the_acceptance_path(
    features_off_server: SimulatorServer, tmp_path: Path
) -> None:
    # given
    env = client_environment(features_off_server, tmp_path)

    # when: list, enable, audit, denied delete, delete everything, audit again
    listed = aws(env, "organizations", "list-accounts", "--query", "Accounts[].Id")
    enabled = [
        aws(
            env,
            "organizations",
            "enable-aws-service-access",
            "--service-principal",
            "iam.amazonaws.com",
        ).returncode,
        aws(env, "iam", "enable-organizations-root-credentials-management").returncode,
        aws(env, "iam", "enable-organizations-root-sessions").returncode,
    ]
    audit_env = assume(env, AUDIT)
    before = summary(audit_env)
    denied = aws(audit_env, "iam", "delete-login-profile")
    delete_env = assume(env, DELETE)
    deleted = [aws(delete_env, "iam", "delete-login-profile").returncode]
    keys = json.loads(aws(delete_env, "iam", "list-access-keys").stdout)["AccessKeyMetadata"]
    for key in keys:
        deleted.append(
            aws(
                delete_env, "iam", "delete-access-key", "--access-key-id", key["AccessKeyId"]
            ).returncode
        )
    certificates = json.loads(aws(delete_env, "iam", "list-signing-certificates").stdout)[
        "Certificates"
    ]
    for certificate in certificates:
        deleted.append(
            aws(
                delete_env,
                "iam",
                "delete-signing-certificate",
                "--certificate-id",
                certificate["CertificateId"],
            ).returncode
        )
    devices = json.loads(aws(delete_env, "iam", "list-mfa-devices").stdout)["MFADevices"]
    for device in devices:
        deleted.append(
            aws(
                delete_env,
                "iam",
                "deactivate-mfa-device",
                "--serial-number",
                device["SerialNumber"],
            ).returncode
        )
    after = summary(assume(env, AUDIT))

    # then
    assert sorted(json.loads(listed.stdout)) == ["111111111111", "222222222222", "333333333333"]
    assert enabled == [0, 0, 0]
    assert before == [1, 1, 1, 1]
    assert denied.returncode != 0
    assert "(AccessDenied)" in denied.stderr
    assert deleted == [0] * 8  # password, 2 keys, 2 certificates, 3 MFA devices
    assert after == [0, 0, 0, 0]


def test_server_binds_loopback_only(simulator_server: SimulatorServer) -> None:
    # given
    port = int(simulator_server.endpoint_url.rsplit(":", 1)[1])

    # when
    listening = [
        line.split()[1]
        for name in ("/proc/net/tcp", "/proc/net/tcp6")
        if Path(name).exists()
        for line in Path(name).read_text().splitlines()[1:]
        if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A"
    ]

    # then
    assert simulator_server.endpoint_url == f"http://127.0.0.1:{port}"
    assert listening == [f"0100007F:{port:04X}"]


def test_control_endpoints(simulator_server: SimulatorServer) -> None:
    # given
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    session = boto3.Session(
        aws_access_key_id=simulator_server.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=simulator_server.env["AWS_SECRET_ACCESS_KEY"],
        region_name=simulator_server.env["AWS_REGION"],
    )
    organizations = session.client(
        "organizations",
        endpoint_url=simulator_server.endpoint_url,
        config=Config(retries={"total_max_attempts": 1}),
    )
    organizations.describe_organization()
    health = json.loads(
        urllib.request.urlopen(f"{simulator_server.endpoint_url}/_simulator/health").read()
    )

    # when
    simulator_server.set_faults(Faults(throttle=(Throttle("organizations:*", rate=0, burst=0),)))
    with pytest.raises(ClientError) as caught:
        organizations.list_roots()
    logged = simulator_server.calls()
    counts = simulator_server.call_counts()
    simulator_server.set_faults({})
    simulator_server.clear_calls()
    organizations.list_roots()

    # then
    assert health == {"status": "ok"}
    assert caught.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert logged == [
        CallRecord("organizations", "DescribeOrganization", "111111111111", None),
        CallRecord("organizations", "ListRoots", "111111111111", "TooManyRequestsException"),
    ]
    assert counts == {
        ("organizations", "DescribeOrganization", None): 1,
        ("organizations", "ListRoots", "TooManyRequestsException"): 1,
    }
    assert simulator_server.calls() == [
        CallRecord("organizations", "ListRoots", "111111111111", None)
    ]


def test_s3_and_sqs_calls_are_logged_by_the_server(simulator_server: SimulatorServer) -> None:
    # given
    import boto3

    session = boto3.Session(
        aws_access_key_id=simulator_server.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=simulator_server.env["AWS_SECRET_ACCESS_KEY"],
        region_name=simulator_server.env["AWS_REGION"],
    )

    # when
    session.client("s3", endpoint_url=simulator_server.endpoint_url).list_buckets()
    session.client("sqs", endpoint_url=simulator_server.endpoint_url).list_queues()

    # then
    assert simulator_server.calls() == [
        CallRecord("s3", "ListBuckets", "111111111111", None),
        CallRecord("sqs", "ListQueues", "111111111111", None),
    ]


def test_bad_runtime_faults_are_refused(simulator_server: SimulatorServer) -> None:
    # when
    with pytest.raises(SimulatorServerError) as caught:
        simulator_server.set_faults({"throttle": [{"api": "AssumeRoot", "rate": 1}]})

    # then
    assert str(caught.value) == (
        "PUT /_simulator/faults: faults: throttle[0].api: 'AssumeRoot' is not an API like "
        "sts:AssumeRoot or iam:*"
    )


def test_runtime_session_expiry(simulator_server: SimulatorServer, tmp_path: Path) -> None:
    # given
    env = client_environment(simulator_server, tmp_path)
    audit_env = assume(env, AUDIT)

    # when
    simulator_server.expire_sessions("222222222222")
    expired = aws(audit_env, "iam", "list-mfa-devices")

    # then
    assert expired.returncode != 0
    assert "(ExpiredToken)" in expired.stderr


def test_server_that_cannot_start_says_why() -> None:
    # given: an interpreter that cannot run the server module
    server = SimulatorServer(python=str(Path(sys.executable).with_name("no-such-python")))

    # when
    with pytest.raises(FileNotFoundError):
        server.__enter__()

    # then
    assert server.env == {}


def test_env_for_another_account_signs_as_its_pipeline_user(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given
    env = {
        **client_environment(simulator_server, tmp_path),
        **simulator_server.env_for("333333333333"),
    }

    # when
    run = aws(env, "sts", "get-caller-identity")

    # then
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["Arn"] == "arn:aws:iam::333333333333:user/pipeline"


def _client(server: SimulatorServer, service: str, **config: Any) -> Any:
    """A boto3 client of the server's pipeline user that never retries (errors surface)."""
    return boto3.Session(
        aws_access_key_id=server.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=server.env["AWS_SECRET_ACCESS_KEY"],
        region_name=server.env["AWS_REGION"],
    ).client(
        service,
        endpoint_url=server.endpoint_url,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, **config),
    )


def _outcome(call: Callable[[], Any]) -> str:
    """``ok``, the AWS error code, or the connection error's class name."""
    try:
        call()
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    except (BotoCoreError, OSError) as error:
        return type(error).__name__
    return "ok"


def test_a_thousand_concurrent_connections_complete_without_a_connection_error() -> None:
    # given an organization of 1,000 members and, per member, a client of its own
    # (a fresh connection each, no retries: a reset would surface as an error)
    scenario = Scenario.generate(accounts=1_001, with_credentials=0.0, seed=13)
    management = scenario.organizations[0].management_account.id
    members = [a.id for _, a in scenario.accounts() if a.id != management]
    with SimulatorServer(scenario, keep_call_records=False) as server:
        clients = [
            _client(server, "organizations", max_pool_connections=1, read_timeout=300)
            for _ in members
        ]
        start = threading.Barrier(len(members))
        outcomes: list[str] = ["not run"] * len(members)

        def describe(index: int) -> None:
            start.wait()
            account = members[index]
            outcomes[index] = _outcome(lambda: clients[index].describe_account(AccountId=account))

        # when a thread per account calls at once
        threads = [threading.Thread(target=describe, args=(i,)) for i in range(len(members))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = server.call_counts()
    # then every call completed, and the server answered each of them
    assert len(members) == 1_000
    assert Counter(outcomes) == {"ok": 1_000}
    assert counts[("organizations", "DescribeAccount", None)] == 1_000


def test_a_saturated_server_answers_each_service_s_throttling_error() -> None:
    # given a server with one worker and no queue, busy with one slow call
    with SimulatorServer(workers=1, max_waiting=0) as server:
        clients = {
            name: _client(server, name) for name in ("iam", "sts", "organizations", "sqs", "s3")
        }
        calls = {
            "iam": clients["iam"].list_users,
            "sts": clients["sts"].get_caller_identity,
            "organizations": clients["organizations"].describe_organization,
            "sqs": clients["sqs"].list_queues,
            "s3": clients["s3"].list_buckets,
        }
        server.set_faults({"latency_ms": 10_000})
        busy = threading.Thread(target=_client(server, "sts").get_caller_identity)
        busy.start()
        time.sleep(1.0)
        # when each service is called meanwhile
        answers = {name: _outcome(call) for name, call in calls.items()}
        busy.join()
        server.set_faults({})
        after = _outcome(clients["sts"].get_caller_identity)
    # then each is refused over HTTP with that service's code, and the server recovers
    assert answers == {
        "iam": "Throttling",
        "sts": "Throttling",
        "organizations": "TooManyRequestsException",
        "sqs": "RequestThrottled",
        "s3": "SlowDown",
    }
    assert after == "ok"


def test_injected_latency_is_waited_before_the_request_takes_a_moto_slot() -> None:
    # given a gate of one slot whose latency step records whether that slot is free
    free_during_latency: list[bool] = []
    slept: list[float] = []
    faults = FaultInjector(Faults(latency_ms=40), latency_in_before_call=False, sleep=slept.append)

    def latency() -> None:
        faults.wait_latency()
        taken = gate.slots.acquire(blocking=False)
        if taken:
            gate.slots.release()
        free_during_latency.append(taken)

    gate = _Gate(lambda environ, start_response: [b"ok"], workers=1, max_waiting=0, latency=latency)

    # when two requests pass one after the other
    bodies = [gate({}, None), gate({}, None)]

    # then each waited its latency with the slot free (calls never queue behind latency),
    # and the dispatch path no longer sleeps a second time
    assert bodies == [[b"ok"], [b"ok"]]
    assert free_during_latency == [True, True]
    assert slept == [pytest.approx(0.04), pytest.approx(0.04)]
    assert faults.before_call("iam", "ListUsers", "123456789012", None) is None
    assert len(slept) == 2
