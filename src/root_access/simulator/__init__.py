"""An offline simulator of the AWS APIs behind centralized root access, built on moto.

In process::

    from root_access.simulator import Scenario, Simulator

    with Simulator(Scenario.load("scenario.yaml")) as sim:
        session = sim.session()          # boto3.Session of the pipeline IAM user

As a local server: ``root-access simulate`` or ``SimulatorServer(scenario)``.
See docs/simulator.md. The engine never imports this package.
"""

from __future__ import annotations

from .calllog import CallLog, CallRecord
from .faults import ErrorBurst, FaultInjector, Faults, Throttle
from .scenario import Scenario, ScenarioError
from .server import SimulatorServer
from .simulator import Simulator

__all__ = [
    "CallLog",
    "CallRecord",
    "ErrorBurst",
    "FaultInjector",
    "Faults",
    "Scenario",
    "ScenarioError",
    "Simulator",
    "SimulatorServer",
    "Throttle",
]
