"""Shared pytest configuration: the simulator's fixtures (``simulator``, ``simulator_server``)
and temp hygiene (``temp_hygiene``: a private temp directory per session; a test that
leaves anything in it fails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from root_access.simulator import Simulator

pytest_plugins = ["root_access.simulator.pytest_plugin", "temp_hygiene"]


@pytest.fixture
def cli_env(simulator: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Simulator:
    """The environment ``root_access.cli.main`` reads, pointed at the in-process ``simulator``:
    the pipeline user's keys in the management account, the scenario's region, no profile,
    no shared config files and no verbosity."""
    key, secret = simulator.credentials()
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_STS_REGIONAL_ENDPOINTS",
        "ROOT_ACCESS_VERBOSE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_DEFAULT_REGION", simulator.region)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config-absent"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials-absent"))
    return simulator
