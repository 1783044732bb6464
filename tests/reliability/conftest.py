"""Fixtures of the reliability and security suite (issue 7).

- ``cli``: run ``root_access.cli.main`` in process against the ``simulator`` fixture
  (through ``cli_env``) and get ``(exit_code, stdout, stderr)``.
- ``server_env``: the environment a ``root-access`` subprocess needs to reach the
  ``simulator_server`` fixture, and nothing else of the developer's shell.
- ``root_access_script``: the installed console script.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from root_access.cli import main
from root_access.simulator import Simulator, SimulatorServer

CliRun = Callable[..., tuple[int, str, str]]


def outcomes(stdout: str) -> dict[str, str]:
    """``{account_id: outcome}`` of a ``--format json`` run."""
    return {r["account_id"]: r["outcome"] for r in json.loads(stdout)["results"]}


@pytest.fixture
def cli(cli_env: Simulator, capsys: pytest.CaptureFixture[str]) -> CliRun:
    """``cli(*argv) -> (exit_code, stdout, stderr)`` against the in-process simulator."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def root_access_script() -> str:
    """The installed ``root-access`` console script of this interpreter's environment."""
    found = shutil.which("root-access", path=str(Path(sys.executable).parent))
    assert found is not None, "the root-access console script is not installed"
    return found


@pytest.fixture
def server_env(simulator_server: SimulatorServer, tmp_path: Path) -> dict[str, str]:
    """PATH/HOME/locale plus the server's ``env``; no shared AWS config or profile."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(simulator_server.env)
    env["AWS_CONFIG_FILE"] = str(tmp_path / "aws-config-absent")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "aws-credentials-absent")
    return env


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def terraform_copy(tmp_path: Path) -> Path:
    """A private copy of modules/, scripts/ and src/root_access/ (what the modules read),
    with an empty ``stack/`` directory beside them for the test's root configuration."""
    from terraform_offline.pytest_plugin import COPY_IGNORE

    destination = tmp_path / "repo"
    ignore = shutil.ignore_patterns(*COPY_IGNORE)
    for part in ("modules", "scripts"):
        shutil.copytree(REPO / part, destination / part, ignore=ignore)
    shutil.copytree(
        REPO / "src" / "root_access", destination / "src" / "root_access", ignore=ignore
    )
    (destination / "stack").mkdir()
    return destination


@pytest.fixture
def terraform_base_env(tmp_path: Path, terraform_env: dict[str, str]) -> dict[str, str]:
    """The offline Terraform environment without any AWS, TF_VAR or ROOT_ACCESS setting
    inherited from the developer's shell."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "TF_VAR_", "TF_LOG", "ROOT_ACCESS_"))
    }
    environment.update(terraform_env)
    environment.update(
        {
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return environment
