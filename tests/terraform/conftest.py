"""Fixtures of the Terraform tests: a private copy of the repository's Terraform parts,
the offline engine and provider mirror (``terraform_offline.pytest_plugin``) and the
simulator server.

Each test works in its own ``tmp_path`` copy (no lock file, no state), so ``pytest -n 2``
is safe. Terraform runs through tftest with the engine the offline plugin chose.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest
import tftest
from terraform_offline.engine import Engine
from terraform_offline.pytest_plugin import COPY_IGNORE

from root_access.simulator import Scenario, SimulatorServer

REPO = Path(__file__).resolve().parents[2]
TERRAFORM_PARTS = ("modules", "examples", "scripts", "policies")

SESSION_SECRET = re.compile(
    r"ASIA[0-9A-Z]{16}"  # AssumeRoot access key ids
    r"|Um9vdFNlc3Npb24"  # the simulator's session tokens: base64 of b"RootSession..."
    r"|SessionToken|SecretAccessKey|aws_session_token|aws_secret_access_key"
)
"""What a leaked AssumeRoot credential looks like (EXT-STATE-SECRETS)."""


def copy_terraform(destination: Path) -> Path:
    """Copy the root module (with its tests/*.tftest.hcl), modules/, examples/, scripts/,
    policies/ (the pipeline_policies output) and src/root_access/ (the scripts' fallback
    and the engine version the removal module hashes)."""
    ignore = shutil.ignore_patterns(*COPY_IGNORE)
    destination.mkdir(parents=True, exist_ok=True)
    for path in REPO.glob("*.tf"):
        shutil.copy(path, destination / path.name)
    (destination / "tests").mkdir()
    for path in REPO.glob("tests/*.tftest.hcl"):
        shutil.copy(path, destination / "tests" / path.name)
    for part in TERRAFORM_PARTS:
        shutil.copytree(REPO / part, destination / part, ignore=ignore)
    shutil.copytree(
        REPO / "src" / "root_access", destination / "src" / "root_access", ignore=ignore
    )
    return destination


def organization_scenario(**changes: Any) -> Scenario:
    """The default scenario with the first organization's settings replaced."""
    data = Scenario.default().to_dict()
    data["organizations"][0].update(changes)
    return Scenario.from_dict(data, source="default.yaml (changed by the test)")


FRESH_ORGANIZATION = {"trusted_access": [], "features": [], "delegated_administrator": None}
"""An organization before centralized root access: trusted access, features, admin off."""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A private copy of the repository's Terraform parts."""
    return copy_terraform(tmp_path / "repo")


@pytest.fixture
def fresh_organization() -> Iterator[SimulatorServer]:
    """The default organization with trusted access, features and delegated admin off."""
    with SimulatorServer(organization_scenario(**FRESH_ORGANIZATION)) as server:
        yield server


def base_env(tmp_path: Path) -> dict[str, str]:
    """No AWS setting inherited from the developer's shell."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "TF_VAR_", "TF_LOG", "ROOT_ACCESS_"))
    }
    environment.update(
        {
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return environment


class Workspace:
    """tftest over one directory of the copy, with the simulator's environment."""

    def __init__(
        self,
        directory: Path,
        engine: Engine,
        env: Mapping[str, str],
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self.directory = directory
        self.env = dict(env)
        self.tf = tftest.TerraformTest(str(directory), binary=engine.path, env=self.env)
        if variables is not None:
            self.write_variables(variables)

    def write_variables(self, variables: Mapping[str, Any]) -> None:
        """Write ``terraform.tfvars.json`` (read by every command)."""
        (self.directory / "terraform.tfvars.json").write_text(json.dumps(variables))

    def init(self) -> str:
        """``terraform init`` from the offline mirror (no lock file is ever committed)."""
        return self.run("init", "-input=false", "-no-color").out

    def run(self, *args: str) -> tftest.TerraformCommandOutput:
        """Any Terraform command; raises tftest.TerraformTestError on a non-zero exit."""
        return self.tf.execute_command(*args)

    def plan_json(self) -> dict[str, Any]:
        """``plan -out`` then ``show -json`` of that plan, parsed."""
        self.run("plan", "-input=false", "-no-color", "-out=tfplan")
        return json.loads(self.run("show", "-json", "tfplan").out)

    def changes(self) -> list[tuple[str, tuple[str, ...]]]:
        """(address, actions) of every resource a fresh plan would change."""
        plan = self.plan_json()
        return [
            (change["address"], tuple(change["change"]["actions"]))
            for change in plan.get("resource_changes", [])
            if change["change"]["actions"] not in (["no-op"], ["read"])
        ]

    def output_changes(self) -> list[str]:
        plan = self.plan_json()
        return [
            name
            for name, change in plan.get("output_changes", {}).items()
            if change["actions"] != ["no-op"]
        ]

    def apply(self) -> str:
        return self.run("apply", "-input=false", "-no-color", "-auto-approve").out

    def outputs(self) -> dict[str, Any]:
        return {
            name: item["value"]
            for name, item in json.loads(self.run("output", "-json").out).items()
        }

    def state_text(self) -> str:
        return self.run("state", "pull").out


@pytest.fixture
def terraform(terraform_engine: Engine, terraform_env: dict[str, str], tmp_path: Path) -> Any:
    """Factory ``terraform(directory, server, variables=None, env=None) -> Workspace``."""

    def make(
        directory: Path,
        server: SimulatorServer | None,
        variables: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Workspace:
        environment = {
            **base_env(tmp_path),
            **terraform_env,
            **(server.env if server is not None else {}),
            **(env or {}),
        }
        return Workspace(directory, terraform_engine, environment, variables)

    return make


def caller_session(server: SimulatorServer) -> boto3.Session:
    """The simulator's pipeline principal in the management account."""
    env = server.env
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )


def client(server: SimulatorServer, service: str) -> Any:
    """A boto3 client on the simulator server (management account)."""
    return caller_session(server).client(service, endpoint_url=server.endpoint_url)


def has_root_credentials(root_user: Mapping[str, Any]) -> bool:
    """True when the simulator's root user still holds any credential."""
    return bool(
        root_user["password"]
        or root_user["access_keys"]
        or root_user["signing_certificates"]
        or [device for device in root_user["mfa_devices"] if device["active"]]
    )


PYTHON = sys.executable
"""The interpreter the modules get as python_executable (has boto3 and the engine)."""


@pytest.fixture
def python() -> str:
    """The module input python_executable: this interpreter (boto3 and the engine)."""
    return PYTHON


@pytest.fixture(name="client")
def client_fixture() -> Any:
    """``client(server, service)``: a boto3 client on the simulator (management account)."""
    return client


def scp_blocked(server: SimulatorServer) -> dict[str, Any]:
    """What the SCP lint reports for the default scenario's 555555555555 (its SCP's id
    is generated): ``{id: {tasks, policy, statement, fix}}`` (scripts/audit.py scp_lint)."""
    found = client(server, "organizations").list_policies_for_target(
        TargetId="555555555555", Filter="SERVICE_CONTROL_POLICY"
    )
    [policy] = [p for p in found["Policies"] if p["Id"] != "p-FullAWSAccess"]
    where = f"{policy['Name']} ({policy['Id']})"
    return {
        "555555555555": {
            "tasks": ["IAMAuditRootUserCredentials", "IAMDeleteRootUserCredentials"],
            "policy": where,
            "statement": "DenyInRootSessions",
            "fix": 'add "Null": {"aws:AssumedRoot": "true"} to the Condition of statement '
            f"DenyInRootSessions in SCP {where} attached to 555555555555",
        }
    }


@pytest.fixture(name="scp_blocked")
def scp_blocked_fixture() -> Any:
    """``scp_blocked(server)``: the lint's record of the SCP-blocked account."""
    return scp_blocked


@pytest.fixture(name="has_root_credentials")
def has_root_credentials_fixture() -> Any:
    """``has_root_credentials(server.root_user(id))``."""
    return has_root_credentials


@pytest.fixture
def session_secret() -> re.Pattern[str]:
    """The pattern of a leaked AssumeRoot credential (EXT-STATE-SECRETS)."""
    return SESSION_SECRET


def root_variables(**changes: Any) -> dict[str, Any]:
    """Root-module variables of a landing-zone pipeline (555555555555, SCP-blocked, is
    excluded), with ``changes`` applied."""
    return {
        "delegated_administrator_account_id": "333333333333",
        "enable_trusted_access": True,
        "selection": {"all": True, "exclude_accounts": ["555555555555"]},
        "remove_root_credentials": True,
        "evidence_path": "evidence/root-access.jsonl",
        "python_executable": PYTHON,
        "region": "us-east-1",
        **changes,
    }


class OrganizationState:
    """The simulated organization's settings, read through boto3 (management account)."""

    def __init__(self, server: SimulatorServer) -> None:
        self.server = server

    def features(self) -> list[str]:
        return sorted(client(self.server, "iam").list_organizations_features()["EnabledFeatures"])

    def delegated_administrators(self) -> list[str]:
        response = client(self.server, "organizations").list_delegated_administrators(
            ServicePrincipal="iam.amazonaws.com"
        )
        return [admin["Id"] for admin in response["DelegatedAdministrators"]]

    def trusted_principals(self) -> list[str]:
        organizations = client(self.server, "organizations")
        response = organizations.list_aws_service_access_for_organization()
        return [item["ServicePrincipal"] for item in response["EnabledServicePrincipals"]]


@pytest.fixture(name="root_variables")
def root_variables_fixture() -> Any:
    """``root_variables(**changes)``: the root module's variables for a pipeline run."""
    return root_variables


@pytest.fixture(name="organization_state")
def organization_state_fixture() -> Any:
    """``organization_state(server)``: features, delegated admins, trusted access."""
    return OrganizationState
