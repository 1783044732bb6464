"""``root-access simulate``: the offline simulator, when its extra is installed."""

from __future__ import annotations

from root_access import UsageError

__all__ = ["SIMULATOR_EXTRA", "run"]

SIMULATOR_EXTRA = "root-access[simulator]"

_SIMULATOR_MODULES = ("moto", "werkzeug", "flask", "yaml", "responses", "jinja2")


def run(argv: list[str]) -> int:
    """Run the simulator's command line with ``argv``; its exit code.

    Raises :class:`UsageError` (one line, exit 2) naming the extra to install when the
    simulator's dependencies are missing (a CLI-only install).
    """
    try:
        from root_access.simulator.cli import main as simulator_main
    except ImportError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in _SIMULATOR_MODULES:
            raise
        raise UsageError(
            f"`root-access simulate` needs the simulator extra ({missing} is not installed): "
            f"pip install '{SIMULATOR_EXTRA}'"
        ) from None
    try:
        return int(simulator_main(argv) or 0)
    except SystemExit as done:  # the simulator's argparse (--help, usage errors)
        return done.code if isinstance(done.code, int) else 2
