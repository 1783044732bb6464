"""Fixtures of the entry-script contract tests: run ``scripts/*.py`` as Terraform does.

Each script runs as a subprocess with a clean environment (no inherited AWS settings),
its input on stdin (``audit.py``, the external query) or in ``ROOT_ACCESS_REQUEST``
(``delete.py``, ``task.py``), and the simulator server's environment when AWS is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest

from root_access.simulator import Scenario, SimulatorServer

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"


@dataclass(frozen=True)
class ScriptRun:
    """A finished script: exit code, stdout, stderr."""

    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as exactly one JSON document (fails on anything else)."""
        return json.loads(self.stdout)


class RunScript(Protocol):
    def __call__(
        self,
        name: str,
        *,
        query: Mapping[str, Any] | None = None,
        request: Mapping[str, Any] | str | None = None,
        env: Mapping[str, str] | None = None,
        python: list[str] | None = None,
        cwd: Path | None = None,
    ) -> ScriptRun: ...


def _base_env(tmp_path: Path) -> dict[str, str]:
    """PATH and HOME only: no AWS variable leaks in from the developer's shell."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@pytest.fixture
def run_script(tmp_path: Path) -> RunScript:
    """Run ``scripts/<name>`` the way Terraform does (argv = interpreter + script path)."""

    def run(
        name: str,
        *,
        query: Mapping[str, Any] | None = None,
        request: Mapping[str, Any] | str | None = None,
        env: Mapping[str, str] | None = None,
        python: list[str] | None = None,
        cwd: Path | None = None,
    ) -> ScriptRun:
        environment = {**_base_env(tmp_path), **(env or {})}
        if request is not None:
            environment["ROOT_ACCESS_REQUEST"] = (
                request if isinstance(request, str) else json.dumps(request)
            )
        done = subprocess.run(
            [*(python or [sys.executable]), str(SCRIPTS / name)],
            input=json.dumps(query) if query is not None else "",
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd or tmp_path,
            timeout=300,
            check=False,
        )
        return ScriptRun(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def python_without_package() -> tuple[list[str], dict[str, str]]:
    """An interpreter that has boto3 but not the installed root_access package.

    ``-S`` skips site (and so the editable install's ``.pth``); PYTHONPATH gives back the
    venv's site-packages as a plain directory, where boto3 lives.
    """
    site_packages = sysconfig.get_paths()["purelib"]
    return [sys.executable, "-S"], {"PYTHONPATH": site_packages}


@pytest.fixture
def python_without_boto3() -> list[str]:
    """An interpreter that can import neither boto3 nor root_access (EXT-INTERPRETER)."""
    return [sys.executable, "-S", "-E"]


def organization_scenario(**changes: Any) -> Scenario:
    """The default scenario with the first organization's settings replaced."""
    data = Scenario.default().to_dict()
    data["organizations"][0].update(changes)
    return Scenario.from_dict(data, source="default.yaml (changed by the test)")


@pytest.fixture
def features_off_server() -> Iterator[SimulatorServer]:
    """An organization whose trusted access for IAM, features and delegated admin are off."""
    scenario = organization_scenario(trusted_access=[], features=[], delegated_administrator=None)
    with SimulatorServer(scenario) as server:
        yield server
