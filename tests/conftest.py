"""Shared pytest configuration: the simulator's fixtures (``simulator``, ``simulator_server``)."""

pytest_plugins = ["root_access.simulator.pytest_plugin"]
