"""The package's public surface and its import rules (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import root_access

PACKAGE = Path(root_access.__file__).parent
ENGINE = sorted(p for p in PACKAGE.glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(("." * node.level) + node.module)
    return names


def test_the_engine_never_imports_the_simulator_or_rich() -> None:
    # given every module of the package outside the simulator and the CLI's renderers
    engine = [p for p in ENGINE if p.name not in ("cli.py", "render.py", "progress.py", "tree.py")]
    # when
    offending = {
        p.name: sorted(
            m
            for m in imported_modules(p)
            if "simulator" in m or m.split(".")[0] in ("rich", "moto", "yaml")
        )
        for p in engine
    }
    # then
    assert {name: mods for name, mods in offending.items() if mods} == {}


def test_the_public_api_names_are_exported() -> None:
    # given the names docs/architecture.md promises
    promised = {
        "Selection",
        "preflight",
        "audit",
        "delete_credentials",
        "allow_password_recovery",
        "unlock_s3_bucket_policy",
        "unlock_sqs_queue_policy",
        "enable",
        "disable",
        "summarize",
        "assume_root",
        "Journal",
        "completed_accounts",
        "AccountResult",
        "CredentialResult",
        "Summary",
        "Preflight",
        "EnableResult",
        "Outcome",
        "RootTask",
        "UsageError",
        "PreflightError",
    }
    # when
    exported = set(root_access.__all__)
    # then
    assert promised - exported == set()
    assert [name for name in root_access.__all__ if not hasattr(root_access, name)] == []


def test_every_engine_module_declares_all() -> None:
    # given / when
    missing = [p.name for p in ENGINE if "__all__" not in p.read_text(encoding="utf-8")]
    # then
    assert missing == []
