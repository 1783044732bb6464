"""Run the installed ``root-access`` console script as a real process against the
simulator server: its path, its environment, waiting on the server's call log."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from root_access.simulator.server import SimulatorServer

__all__ = ["CHANGES", "changes", "read_until", "script", "server_env", "wait_until"]

CHANGES = ("Delete", "Deactivate", "Create", "Update", "Put", "Remove")
"""Prefixes of the AWS actions that change something (every other call only reads)."""


def script() -> str:
    """The installed ``root-access`` console script of this interpreter's environment."""
    found = shutil.which("root-access", path=str(Path(sys.executable).parent))
    assert found is not None, "the root-access console script is not installed"
    return found


def server_env(server: SimulatorServer, tmp_path: Path) -> dict[str, str]:
    """A clean environment pointed at ``server`` (no profile, no shared config files)."""
    keep = {"PATH", "HOME", "SYSTEMROOT", "LANG", "LC_ALL"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(server.env)
    env["AWS_CONFIG_FILE"] = str(tmp_path / "aws-config-absent")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "aws-credentials-absent")
    return env


def changes(server: SimulatorServer) -> list[str]:
    """The actions of the calls so far that change something (see :data:`CHANGES`)."""
    return [c.action for c in server.calls() if c.action.startswith(CHANGES)]


def wait_until(
    condition: Callable[[], bool], child: subprocess.Popen[str], timeout: float = 120.0
) -> None:
    """Poll ``condition`` every 50 ms while ``child`` runs; fail if it ends or times out."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert child.poll() is None, f"the run ended first (exit {child.returncode})"
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def read_until(fd: int, text: str, timeout: float = 120.0) -> str:
    """Read ``fd`` until ``text`` has been seen; return everything read."""
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out waiting for {text!r}; read {seen!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, f"stream closed before {text!r}; read {seen!r}"
            seen += chunk
    return seen.decode()
