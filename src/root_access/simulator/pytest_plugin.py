"""pytest fixtures for the simulator: ``pytest_plugins = ["root_access.simulator.pytest_plugin"]``.

- ``simulator_scenario``: the scenario both fixtures use; the packaged ``default.yaml``
  (one organization, trusted access and both features on). Override it in a
  ``conftest.py`` or test module to use another one.
- ``simulator``: a running in-process :class:`~root_access.simulator.Simulator`.
- ``simulator_server``: a running :class:`~root_access.simulator.SimulatorServer`
  (a child process on 127.0.0.1); give ``simulator_server.env`` to subprocesses.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .scenario import Scenario
from .server import SimulatorServer
from .simulator import Simulator

__all__ = ["simulator", "simulator_scenario", "simulator_server"]


@pytest.fixture
def simulator_scenario() -> Scenario:
    """The scenario of the ``simulator`` and ``simulator_server`` fixtures."""
    return Scenario.default()


@pytest.fixture
def simulator(simulator_scenario: Scenario) -> Iterator[Simulator]:
    """Simulated AWS in this process for one test (fresh state each time)."""
    with Simulator(simulator_scenario) as running:
        yield running


@pytest.fixture
def simulator_server(simulator_scenario: Scenario) -> Iterator[SimulatorServer]:
    """The simulator as a local server in a child process for one test."""
    with SimulatorServer(simulator_scenario) as running:
        yield running
