"""The package's layout holds (issue 10 item 2): the engine never imports the CLI or
``rich``; every command has its own module; no module outside the simulator passes 500
lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from root_access.cli.commands import COMMANDS

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "root_access"
ENGINE = sorted(
    p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in ("cli", "simulator")
)
OUTSIDE_SIMULATOR = sorted(
    p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "simulator"
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _forbidden(names: set[str]) -> list[str]:
    return sorted(
        name
        for name in names
        if name in ("rich", "root_access.cli")
        or name.startswith(("rich.", "root_access.cli.", "root_access.simulator"))
    )


def test_the_engine_is_found() -> None:
    assert {p.name for p in ENGINE} >= {"prepare.py", "sweep.py", "status.py", "__init__.py"}


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_engine_module_imports_the_cli_rich_or_the_simulator(path: Path) -> None:
    assert _forbidden(_imports(path)) == []


def test_the_import_check_can_fail(tmp_path: Path) -> None:
    # given a module that imports the CLI and rich
    module = tmp_path / "bad.py"
    module.write_text("import rich.table\nfrom root_access.cli import render\n")
    # when / then
    assert _forbidden(_imports(module)) == [
        "rich.table",
        "root_access.cli",
        "root_access.cli.render",
    ]


@pytest.mark.parametrize("path", OUTSIDE_SIMULATOR, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_outside_the_simulator_is_over_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


def test_each_command_has_its_own_module() -> None:
    modules = [command.run.__module__ for command in COMMANDS]
    assert modules == [
        f"root_access.cli.commands.{command.name.replace('-', '_')}" for command in COMMANDS
    ]
    assert len(set(modules)) == len(COMMANDS) == 8
