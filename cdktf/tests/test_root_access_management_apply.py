"""Parity: applying the synthesized stack reaches the same end state as the HCL root module.

Two simulator servers start from the same organization (trusted access, features and the
delegated administrator off; member root credentials of every kind). One gets
``terraform apply`` of the HCL root module with a set of inputs; the other gets
``terraform apply`` of a CDK stack whose ``RootAccessManagement`` has the same props. The
organization (trusted access, features, delegated administrator), every member's root user
and the outputs must then be the same, and be the expected ones.

Also here: the plan of that stack (resources inside the modules carry the props), and a
stack composed of the per-module constructs applied against the simulator.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest
from root_access.simulator import Scenario, SimulatorServer

from root_access_cdktf import (
    OrganizationRootAccess,
    PrivilegedTask,
    PrivilegedTaskRequest,
    RootAccessManagement,
    RootCredentialsAudit,
    RootCredentialsRemoval,
    Selection,
)
from root_access_cdktf.cdk import aws_provider_module, cdk

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REPOSITORY = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
OUTPUTS = (
    "accounts_not_audited",
    "accounts_with_root_credentials",
    "audit_result_mode",
    "audit_summary",
    "delegated_administrator_account_id",
    "enabled_features",
    "privileged_task_request_ids",
    "root_credential_kinds",
)
EXCLUDED = ["555555555555"]
"""Kept out of the removal: 555… is blocked by an SCP. 444… stays selected and gets password
recovery in the same apply (the root module runs privileged tasks after the removal)."""
SESSION_SECRET = re.compile(r"ASIA[0-9A-Z]{16}|SessionToken|SecretAccessKey")
"""What a leaked AssumeRoot credential looks like in state (EXT-STATE-SECRETS)."""
IGNORED = shutil.ignore_patterns(
    "__pycache__", ".terraform", ".terraform.lock.hcl", "*.tfstate*", "tests"
)


def fresh_organization() -> Scenario:
    """The default scenario before centralized root access (trusted access, features, admin off)."""
    data = Scenario.default().to_dict()
    data["organizations"][0].update(
        {"trusted_access": [], "features": [], "delegated_administrator": None}
    )
    return Scenario.from_dict(data, source="default.yaml without root access")


@pytest.fixture
def servers() -> Iterator[tuple[SimulatorServer, SimulatorServer]]:
    """Two simulator servers on the same fresh organization: HCL, then CDK."""
    with (
        SimulatorServer(fresh_organization()) as hcl,
        SimulatorServer(fresh_organization()) as cdk_,
    ):
        yield hcl, cdk_


def terraform_env(server: SimulatorServer, tmp_path: Path) -> dict[str, str]:
    """This worker's offline Terraform env plus the simulator's, nothing from the shell's AWS."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "TF_VAR_", "TF_LOG", "ROOT_ACCESS_"))
    }
    environment.update(server.env)
    environment.update(
        {
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return environment


def terraform(directory: Path, env: Mapping[str, str], *args: str) -> str:
    """Run ``terraform <args>`` in ``directory``; fail the test with its output if it fails."""
    result = subprocess.run(
        ["terraform", *args], cwd=directory, env=dict(env), capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def apply(directory: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """init, apply, then a plan that must show no changes; returns the outputs."""
    terraform(directory, env, "init", "-input=false", "-no-color")
    terraform(directory, env, "apply", "-input=false", "-no-color", "-auto-approve")
    terraform(directory, env, "plan", "-input=false", "-no-color", "-detailed-exitcode")
    outputs = json.loads(terraform(directory, env, "output", "-json"))
    return {name: outputs[name]["value"] for name in OUTPUTS}


def end_state(server: SimulatorServer) -> dict[str, Any]:
    """The organization's root-access settings and every member's root-user credentials."""
    session = boto3.Session(
        aws_access_key_id=server.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=server.env["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    )
    iam = session.client("iam", endpoint_url=server.endpoint_url)
    organizations = session.client("organizations", endpoint_url=server.endpoint_url)
    accounts = [
        account["Id"]
        for page in organizations.get_paginator("list_accounts").paginate()
        for account in page["Accounts"]
    ]
    root_users = {}
    for account_id in sorted(accounts):
        user = server.root_user(account_id)
        root_users[account_id] = {
            "password": user["password"],
            "access_keys": sorted(key["status"] for key in user["access_keys"]),
            "signing_certificates": len(user["signing_certificates"]),
            "active_mfa_devices": sorted(
                device["kind"] for device in user["mfa_devices"] if device["active"]
            ),
        }
    return {
        "trusted_access": sorted(
            item["ServicePrincipal"]
            for item in organizations.list_aws_service_access_for_organization()[
                "EnabledServicePrincipals"
            ]
        ),
        "enabled_features": sorted(iam.list_organizations_features()["EnabledFeatures"]),
        "delegated_administrators": sorted(
            admin["Id"]
            for admin in organizations.list_delegated_administrators(
                ServicePrincipal="iam.amazonaws.com"
            )["DelegatedAdministrators"]
        ),
        "root_users": root_users,
    }


def hcl_workspace(tmp_path: Path, inputs: Mapping[str, Any]) -> Path:
    """A private copy of the HCL root module (with modules/, scripts/, the engine) + tfvars."""
    workspace = tmp_path / "hcl"
    workspace.mkdir()
    for path in REPOSITORY.glob("*.tf"):
        shutil.copy(path, workspace / path.name)
    for part in ("modules", "scripts"):
        shutil.copytree(REPOSITORY / part, workspace / part, ignore=IGNORED)
    shutil.copytree(
        REPOSITORY / "src" / "root_access", workspace / "src" / "root_access", ignore=IGNORED
    )
    (workspace / "providers.tf").write_text(f'provider "aws" {{\n  region = "{REGION}"\n}}\n')
    (workspace / "terraform.tfvars.json").write_text(json.dumps(inputs))
    return workspace


def cdk_workspace(tmp_path: Path, python: str) -> Path:
    """The same configuration as a CDK stack, synthesized with ``App.synth()``."""
    app = cdk.App(outdir=str(tmp_path / "cdktf.out"))
    stack = cdk.TerraformStack(app, "parity")
    cdk.LocalBackend(stack, path=str(tmp_path / "parity.tfstate"))
    aws_provider_module().AwsProvider(stack, "aws", region=REGION)
    root_access = RootAccessManagement(
        stack,
        "root_access",
        delegated_administrator_account_id="333333333333",
        enable_trusted_access=True,
        selection=Selection(all=True, exclude_accounts=EXCLUDED),
        remove_root_credentials=True,
        evidence_path="evidence/root-access.jsonl",
        privileged_tasks={
            "CHG-1": PrivilegedTaskRequest(
                task="allow-password-recovery", account_id="444444444444"
            )
        },
        python_executable=python,
        region=REGION,
    )
    for name in OUTPUTS:
        cdk.TerraformOutput(stack, name, value=root_access.get(name))
    app.synth()
    return tmp_path / "cdktf.out" / "stacks" / "parity"


def test_the_synthesized_stack_reaches_the_same_end_state_as_the_hcl_root_module(
    servers: tuple[SimulatorServer, SimulatorServer],
    tmp_path: Path,
    terraform_available: None,
) -> None:
    # given two identical fresh organizations and the same inputs in HCL and in Python
    hcl_server, cdk_server = servers
    python = sys.executable
    hcl_dir = hcl_workspace(
        tmp_path,
        {
            "delegated_administrator_account_id": "333333333333",
            "enable_trusted_access": True,
            "selection": {"all": True, "exclude_accounts": EXCLUDED},
            "remove_root_credentials": True,
            "evidence_path": "evidence/root-access.jsonl",
            "privileged_tasks": {
                "CHG-1": {"task": "allow-password-recovery", "account_id": "444444444444"}
            },
            "python_executable": python,
            "region": REGION,
        },
    )
    cdk_dir = cdk_workspace(tmp_path, python)

    # when each is applied against its own organization (then re-planned: no changes)
    hcl_outputs = apply(hcl_dir, terraform_env(hcl_server, tmp_path))
    cdk_outputs = apply(cdk_dir, terraform_env(cdk_server, tmp_path))

    # then both organizations end in the same state, with the same outputs
    hcl_state, cdk_state = end_state(hcl_server), end_state(cdk_server)
    assert cdk_state == hcl_state
    assert cdk_outputs == hcl_outputs
    # and that state is the intended one: root access on, members cleaned except the
    # excluded ones and the inactive ones; password recovery allowed where requested
    assert cdk_state["trusted_access"] == ["iam.amazonaws.com"]
    assert cdk_state["enabled_features"] == ["RootCredentialsManagement", "RootSessions"]
    assert cdk_state["delegated_administrators"] == ["333333333333"]
    clean = {"password": False, "access_keys": [], "signing_certificates": 0}
    for account_id in ("222222222222", "666666666666"):
        assert cdk_state["root_users"][account_id] == {**clean, "active_mfa_devices": []}
    assert cdk_state["root_users"]["444444444444"]["password"] is True
    assert cdk_state["root_users"]["555555555555"]["password"] is True
    assert cdk_outputs["privileged_task_request_ids"] == ["CHG-1"]
    # and the CDK stack's state holds no session secret nor the caller's secret key
    state = (tmp_path / "parity.tfstate").read_text()
    assert "444444444444" in state
    assert SESSION_SECRET.search(state) is None
    assert cdk_server.env["AWS_SECRET_ACCESS_KEY"] not in state
    # and the deletions left evidence beside each configuration
    assert (cdk_dir / "evidence" / "root-access.jsonl").is_file()
    assert (hcl_dir / "evidence" / "root-access.jsonl").is_file()


@pytest.fixture
def server() -> Iterator[SimulatorServer]:
    """One simulator server on a fresh organization."""
    with SimulatorServer(fresh_organization()) as running:
        yield running


def test_the_plan_holds_the_module_resources_with_the_props(
    server: SimulatorServer, tmp_path: Path, terraform_available: None
) -> None:
    # given the synthesized stack (resources live inside the modules, where
    # Testing.to_have_resource_with_properties does not look)
    directory = cdk_workspace(tmp_path, sys.executable)
    env = terraform_env(server, tmp_path)
    terraform(directory, env, "init", "-input=false", "-no-color")

    # when Terraform plans it against the organization
    terraform(directory, env, "plan", "-input=false", "-no-color", "-out=tfplan")
    plan = json.loads(terraform(directory, env, "show", "-json", "tfplan"))

    # then the props reached the resources Terraform will create
    changes = {
        change["address"]: change["change"]
        for change in plan["resource_changes"]
        if change["change"]["actions"] == ["create"]
    }
    organization = "module.root_access.module.organization_root_access"
    assert changes[f"{organization}.aws_iam_organizations_features.this[0]"]["after"][
        "enabled_features"
    ] == ["RootCredentialsManagement", "RootSessions"]
    administrator = changes[f"{organization}.aws_organizations_delegated_administrator.this[0]"]
    assert administrator["after"]["account_id"] == "333333333333"
    assert administrator["after"]["service_principal"] == "iam.amazonaws.com"
    removal = changes["module.root_access.module.root_credentials_removal.terraform_data.this[0]"]
    request = removal["after"]["triggers_replace"]["request"]
    assert (request["all"], request["exclude_accounts"], request["dry_run"]) == (
        True,
        EXCLUDED,
        False,
    )
    task = changes['module.root_access.module.privileged_tasks.terraform_data.this["CHG-1"]']
    assert task["after"]["input"]["task"] == "allow-password-recovery"
    assert task["after"]["input"]["account_id"] == "444444444444"


def test_the_smaller_constructs_compose_like_the_root_module(
    server: SimulatorServer, tmp_path: Path, terraform_available: None
) -> None:
    # given a stack built from the per-module constructs, ordered with depends_on
    python = sys.executable
    app = cdk.App(outdir=str(tmp_path / "cdktf.out"))
    stack = cdk.TerraformStack(app, "composed")
    cdk.LocalBackend(stack, path=str(tmp_path / "composed.tfstate"))
    aws_provider_module().AwsProvider(stack, "aws", region=REGION)
    engine = {"python_executable": python, "region": REGION}
    organization = OrganizationRootAccess(
        stack,
        "organization",
        delegated_administrator_account_id="333333333333",
        enable_trusted_access=True,
        **engine,
    )
    removal = RootCredentialsRemoval(
        stack,
        "removal",
        selection=Selection(accounts=["222222222222"]),
        depends_on=[organization],
        **engine,
    )
    tasks = PrivilegedTask(
        stack,
        "tasks",
        requests={"CHG-1": PrivilegedTaskRequest("allow-password-recovery", "444444444444")},
        depends_on=[organization],
        **engine,
    )
    audit = RootCredentialsAudit(
        stack,
        "audit",
        selection=Selection(accounts=["222222222222", "444444444444"]),
        depends_on=[removal, tasks],
        **engine,
    )
    cdk.TerraformOutput(
        stack, "accounts_with_root_credentials", value=audit.accounts_with_root_credentials
    )
    cdk.TerraformOutput(stack, "request_ids", value=tasks.request_ids)
    app.synth()
    directory = tmp_path / "cdktf.out" / "stacks" / "composed"
    env = terraform_env(server, tmp_path)

    # when it is applied (then re-planned: no changes)
    terraform(directory, env, "init", "-input=false", "-no-color")
    terraform(directory, env, "apply", "-input=false", "-no-color", "-auto-approve")
    terraform(directory, env, "plan", "-input=false", "-no-color", "-detailed-exitcode")
    outputs = json.loads(terraform(directory, env, "output", "-json"))

    # then root access is on, only the selected account was cleaned, and the audit (read
    # after the removal and the task) sees the recovered password of 444444444444
    state = end_state(server)
    assert state["trusted_access"] == ["iam.amazonaws.com"]
    assert state["enabled_features"] == ["RootCredentialsManagement", "RootSessions"]
    assert state["delegated_administrators"] == ["333333333333"]
    assert state["root_users"]["222222222222"] == {
        "password": False,
        "access_keys": [],
        "signing_certificates": 0,
        "active_mfa_devices": [],
    }
    assert state["root_users"]["444444444444"]["password"] is True
    assert state["root_users"]["666666666666"]["access_keys"] == ["Active"]
    assert outputs["accounts_with_root_credentials"]["value"] == ["444444444444"]
    assert outputs["request_ids"]["value"] == ["CHG-1"]
