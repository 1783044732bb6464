"""Every example applied for real against the simulator server.

Each test: init, plan, apply, the organization's end state through boto3, a second plan
without changes and, where the example manages the features, a destroy refused by
prevent_destroy. Named profiles (a private AWS config per test) give each provider alias
and each engine script its own principal, as a pipeline would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import tftest

from root_access.simulator import Scenario, SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

FEATURES = ["RootCredentialsManagement", "RootSessions"]
FRESH = {"trusted_access": [], "features": [], "delegated_administrator": None}


def _profiles(tmp_path: Path, server: SimulatorServer, accounts: Mapping[str, str]) -> dict:
    """An AWS config with one named profile per ``{profile: account_id}``; the returned
    environment names it and carries no default credentials."""
    config = tmp_path / "aws-config"
    lines = []
    for profile, account_id in accounts.items():
        env = server.env_for(account_id)
        lines += [
            f"[profile {profile}]",
            f"aws_access_key_id = {env['AWS_ACCESS_KEY_ID']}",
            f"aws_secret_access_key = {env['AWS_SECRET_ACCESS_KEY']}",
            f"region = {env['AWS_REGION']}",
            "",
        ]
    config.write_text("\n".join(lines))
    return {
        "AWS_CONFIG_FILE": str(config),
        "AWS_ENDPOINT_URL": server.endpoint_url,
        "AWS_REGION": server.env["AWS_REGION"],
        "AWS_DEFAULT_REGION": server.env["AWS_REGION"],
    }


def _no_changes(tf) -> None:
    result = tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
    assert result.retcode == 0, result.out


def _refuses_destroy(tf) -> None:
    with pytest.raises(tftest.TerraformTestError) as refused:
        tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    assert "Instance cannot be destroyed" in refused.value.args[0]


def _features(client, server: SimulatorServer, env: Mapping[str, str] | None = None) -> list:
    iam = client(server, "iam") if env is None else _client(env, "iam")
    return sorted(iam.list_organizations_features()["EnabledFeatures"])


def _client(env: Mapping[str, str], service: str) -> Any:
    import boto3

    session = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    return session.client(service, endpoint_url=env["AWS_ENDPOINT_URL"])


@pytest.fixture
def two_organizations() -> Iterator[SimulatorServer]:
    """The default organization (fresh) plus a second one: management 900000000000,
    member 900000000001 with a root password and an access key."""
    data = Scenario.default().to_dict()
    data["organizations"][0].update(FRESH)
    data["organizations"].append(
        {
            "management_account": {
                "id": "900000000000",
                "name": "second-management",
                "email": "second@example.com",
            },
            "feature_set": "ALL",
            "trusted_access": [],
            "features": [],
            "organizational_units": [
                {
                    "name": "Workloads",
                    "accounts": [
                        {
                            "id": "900000000001",
                            "name": "second-workload",
                            "root_credentials": {
                                "password": True,
                                "access_keys": [{"status": "Active"}],
                            },
                        }
                    ],
                }
            ],
        }
    )
    with SimulatorServer(Scenario.from_dict(data, source="two organizations")) as server:
        yield server


NOT_AUDITED = {
    "111111111111": "skipped_management_account",
    "777777777777": "skipped_inactive_account",
    "888888888888": "skipped_inactive_account",
}
"""The default organization's accounts no audit can look into (unknown, never clean)."""


def _not_audited(output: dict[str, dict[str, str]]) -> dict[str, str]:
    return {account_id: item["outcome"] for account_id, item in output.items()}


def test_management_account(
    workspace, terraform, fresh_organization, python, client, has_root_credentials
):
    # given a fresh organization and the example as a pipeline would run it
    variables = {
        "python_executable": python,
        "selection": {"all": True, "exclude_accounts": ["555555555555"]},
    }
    tf = terraform(workspace / "examples" / "management-account", fresh_organization, variables)
    tf.init()
    tf.run("validate", "-no-color")
    # when
    tf.apply()
    # then
    server = fresh_organization
    assert _features(client, server) == FEATURES
    outputs = tf.outputs()
    assert outputs["delegated_administrator_account_id"] == "333333333333"
    assert outputs["accounts_with_root_credentials"] == []
    assert _not_audited(outputs["accounts_not_audited"]) == NOT_AUDITED
    assert "disabled_organization_id" not in outputs  # null outputs are left out
    for account_id in ("222222222222", "666666666666"):
        assert not has_root_credentials(server.root_user(account_id))
    evidence = tf.directory / "evidence" / "root-credentials.jsonl"
    finished = {
        record["account_id"]: record["outcome"]
        for record in map(json.loads, evidence.read_text().splitlines())
        if record["record"] == "account"
    }
    assert finished["222222222222"] == "deleted"
    _no_changes(tf)
    _refuses_destroy(tf)


def test_delegated_administrator(
    workspace, terraform, fresh_organization, python, client, has_root_credentials, tmp_path
):
    # given profiles for the management account and the security account
    server = fresh_organization
    env = _profiles(tmp_path, server, {"management": "111111111111", "security": "333333333333"})
    variables = {
        "python_executable": python,
        "selection": {"all": True, "exclude_accounts": ["555555555555"]},
    }
    tf = terraform(workspace / "examples" / "delegated-administrator", None, variables, env)
    tf.init()
    # when
    tf.apply()
    # then the security account is the delegated administrator and did the deletions
    outputs = tf.outputs()
    assert outputs["delegated_administrator_account_id"] == "333333333333"
    assert outputs["enabled_features"] == FEATURES
    assert outputs["accounts_with_root_credentials"] == []
    assert _not_audited(outputs["accounts_not_audited"]) == NOT_AUDITED
    assert outputs["disabled_audit_accounts"] == {}
    assert not has_root_credentials(server.root_user("222222222222"))
    assume_root_callers = {c.account_id for c in server.calls() if c.action == "AssumeRoot"}
    assert assume_root_callers == {"333333333333"}
    _no_changes(tf)
    _refuses_destroy(tf)


def test_multiple_organizations(
    workspace, terraform, two_organizations, python, has_root_credentials, tmp_path
):
    # given one profile per organization's management account
    server = two_organizations
    env = _profiles(
        tmp_path,
        server,
        {"first-management": "111111111111", "second-management": "900000000000"},
    )
    variables = {
        "python_executable": python,
        "organizations": {
            "first": {
                "profile": "first-management",
                "delegated_administrator_account_id": "333333333333",
                "selection": {"all": True, "exclude_accounts": ["555555555555"]},
            },
            "second": {"profile": "second-management"},
        },
    }
    tf = terraform(workspace / "examples" / "multiple-organizations", None, variables, env)
    tf.init()
    # when
    tf.apply()
    # then both organizations have the features and no member root credentials
    outputs = tf.outputs()
    assert outputs["enabled_features"] == {"first": FEATURES, "second": FEATURES}
    assert outputs["accounts_with_root_credentials"] == {"first": [], "second": []}
    assert {key: _not_audited(value) for key, value in outputs["accounts_not_audited"].items()} == {
        "first": NOT_AUDITED,
        "second": {"900000000000": "skipped_management_account"},
    }
    assert outputs["organization_ids"]["first"] != outputs["organization_ids"]["second"]
    assert "disabled_organization_id" not in outputs  # null outputs are left out
    assert not has_root_credentials(server.root_user("222222222222"))
    assert not has_root_credentials(server.root_user("900000000001"))
    second = server.env_for("900000000000")
    assert sorted(_client(second, "iam").list_organizations_features()["EnabledFeatures"]) == (
        FEATURES
    )
    _no_changes(tf)
    _refuses_destroy(tf)


def test_break_glass_unlock(workspace, terraform, simulator_server, python):
    # given a bucket and a queue in 222222222222 whose policies deny everyone
    server = simulator_server
    member = server.env_for("222222222222")
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
    s3 = _client(member, "s3")
    s3.create_bucket(Bucket="locked-bucket")
    s3.put_bucket_policy(Bucket="locked-bucket", Policy=json.dumps(deny))
    sqs = _client(member, "sqs")
    queue_url = sqs.create_queue(QueueName="locked-queue", Attributes={"Policy": json.dumps(deny)})[
        "QueueUrl"
    ]
    variables = {
        "python_executable": python,
        "requests": {
            "INC-0001": {
                "task": "unlock-s3-bucket-policy",
                "account_id": "222222222222",
                "buckets": ["locked-bucket"],
            },
            "INC-0002": {
                "task": "unlock-sqs-queue-policy",
                "account_id": "222222222222",
                "queue_urls": [queue_url],
            },
        },
    }
    tf = terraform(workspace / "examples" / "break-glass-unlock", server, variables)
    tf.init()
    # when
    tf.apply()
    # then both policies are gone and kept as evidence
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket="locked-bucket")
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
    assert attributes.get("Attributes", {}).get("Policy", "") == ""
    evidence = (tf.directory / "evidence" / "break-glass.jsonl").read_text()
    assert "locked-bucket" in evidence
    assert tf.outputs()["request_ids"] == ["INC-0001", "INC-0002"]
    assert tf.outputs()["disabled_request_ids"] == []
    # and applying again runs neither request again
    server.clear_calls()
    _no_changes(tf)
    tf.apply()
    assert [c for c in server.calls() if c.action == "AssumeRoot"] == []
