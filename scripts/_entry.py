"""Shared plumbing of the Terraform entry scripts (``audit.py``, ``delete.py``, ``task.py``).

The scripts run under whatever ``python3`` the Terraform runner has (module input
``python_executable``) with only boto3 installed: the engine is imported from the installed
``root_access`` package, else from ``../src`` beside this directory. This module only reads
input, wires logging to stderr and maps setup failures to one stderr line and exit code 2;
everything else is the engine's public API (docs/architecture.md, "Terraform script
contract").

Secrets never pass through here: inputs are selections and options, outputs are ids,
outcomes and counts (field case EXT-STATE-SECRETS).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3

    from root_access import Selection

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_SETUP",
    "REQUEST_ENV",
    "SetupError",
    "boolean",
    "engine",
    "id_list",
    "integer",
    "read_environment_request",
    "read_stdin_query",
    "run",
    "selection_from",
    "session_from",
    "stdout_reserved",
    "text",
]

EXIT_OK = 0
EXIT_FAILED = 1
"""At least one account failed (delete/task): apply fails, the resource is tainted."""
EXIT_SETUP = 2
"""Usage or setup error (bad input, wrong caller, feature off, no credentials)."""

REQUEST_ENV = "ROOT_ACCESS_REQUEST"
"""Environment variable holding the local-exec request (one JSON object)."""

LOG = logging.getLogger("root_access.scripts")


class SetupError(Exception):
    """Bad input or environment; ``str()`` is the one line printed on stderr."""


def engine() -> ModuleType:
    """The ``root_access`` package: installed, else ``../src`` beside ``scripts/``.

    Raises SetupError when neither works (boto3 missing or too old, package absent),
    naming the module input ``python_executable``.
    """
    try:
        return importlib.import_module("root_access")
    except ImportError as first:
        source = Path(__file__).resolve().parent.parent / "src"
        if not (source / "root_access" / "__init__.py").is_file():
            raise SetupError(
                f"{sys.executable} cannot import root_access ({first}): install the package "
                "or set the module input python_executable to an interpreter that has it"
            ) from None
        # Terraform checkouts of this repository carry the engine beside the scripts.
        sys.path.insert(0, str(source))
        try:
            return importlib.import_module("root_access")
        except ImportError as second:
            raise SetupError(
                f"{sys.executable} cannot import the engine ({second}): it needs boto3>=1.40; "
                "install it or set the module input python_executable to an interpreter "
                "that has it"
            ) from None


def _configure_logging() -> None:
    level = os.environ.get("ROOT_ACCESS_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, level, logging.INFO),
        format="root-access %(levelname)s %(message)s",
    )
    # botocore logs request details (never secrets at INFO, but noisy): keep warnings only.
    logging.getLogger("botocore").setLevel(logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.WARNING)


@contextlib.contextmanager
def stdout_reserved() -> Iterator[IO[str]]:
    """Point ``sys.stdout`` at stderr while the engine runs; yield the real stdout.

    One stray ``print`` would break every plan (field case EXT-STDOUT), so only the
    caller writes to the yielded stream, once.
    """
    real = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield real
    finally:
        sys.stdout = real


def _object(text: str, source: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as error:
        raise SetupError(f"{source} is not JSON ({error.msg} at char {error.pos})") from None
    if not isinstance(value, dict):
        raise SetupError(f"{source} must be one JSON object, got {type(value).__name__}")
    return value


def read_stdin_query() -> dict[str, Any]:
    """The ``data "external"`` query: one JSON object of strings on stdin (``{}`` if empty)."""
    return _object(sys.stdin.read(), "the external query on stdin")


def read_environment_request() -> dict[str, Any]:
    """The local-exec request: the JSON object in ``$ROOT_ACCESS_REQUEST``.

    Raises SetupError when the variable is unset or not a JSON object.
    """
    text = os.environ.get(REQUEST_ENV)
    if text is None:
        raise SetupError(
            f"{REQUEST_ENV} is not set: this script takes its request as one JSON object in "
            "that environment variable (Terraform's local-exec environment)"
        )
    return _object(text, REQUEST_ENV)


def id_list(request: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """``request[key]`` as a tuple of strings: a JSON list, or a JSON-encoded list string."""
    value = request.get(key)
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise SetupError(f"{key} must be a JSON-encoded list of ids, got {value!r}") from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SetupError(f"{key} must be a list of id strings, got {value!r}")
    return tuple(value)


def boolean(request: Mapping[str, Any], key: str, default: bool = False) -> bool:
    """``request[key]`` as a bool: JSON true/false or the strings ``"true"``/``"false"``."""
    value = request.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise SetupError(f"{key} must be true or false, got {value!r}")


def integer(request: Mapping[str, Any], key: str, default: int) -> int:
    """``request[key]`` as an int (JSON number or decimal string)."""
    value = request.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise SetupError(f"{key} must be a whole number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SetupError(f"{key} must be a whole number, got {value!r}") from None
    if number != int(number):
        raise SetupError(f"{key} must be a whole number, got {value!r}")
    return int(number)


def text(request: Mapping[str, Any], key: str) -> str | None:
    """``request[key]`` as a non-empty string, or None."""
    value = request.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SetupError(f"{key} must be a string, got {value!r}")
    return value


def selection_from(request: Mapping[str, Any]) -> Selection:
    """The engine ``Selection`` named by ``accounts``, ``organizational_units``,
    ``exclude_accounts``, ``exclude_organizational_units`` and ``all``; validated
    (raises the engine's UsageError)."""
    engine()
    from root_access import Selection

    return Selection(
        accounts=id_list(request, "accounts"),
        organizational_units=id_list(request, "organizational_units"),
        exclude_accounts=id_list(request, "exclude_accounts"),
        exclude_organizational_units=id_list(request, "exclude_organizational_units"),
        all=boolean(request, "all"),
    ).validate()


def session_from(request: Mapping[str, Any]) -> boto3.Session:
    """The caller's boto3 Session through the engine's one resolution of profile and
    region (``root_access.open_session``): ``profile``, else ``AWS_PROFILE``; ``region``,
    else ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's; empty means unset.

    boto3 reads ``AWS_ENDPOINT_URL`` and the usual AWS environment itself; the engine's
    ``prepare`` refuses an STS endpoint that names another region.
    """
    engine()
    from root_access import open_session

    return open_session(profile=text(request, "profile"), region=text(request, "region"))


def run(main: Callable[[], int]) -> int:
    """Run ``main`` with logging on stderr; setup failures become one stderr line, exit 2.

    Caught: SetupError, the engine's UsageError and PreflightError, botocore's credential,
    profile, region and connection errors (``BotoCoreError``) and a ClientError that
    escaped the engine (an organization-level call it does not map to an account).
    Anything else is a bug and keeps its traceback.
    """
    _configure_logging()
    try:
        package = engine()
        from botocore.exceptions import BotoCoreError, ClientError
    except SetupError as error:
        return _fail(str(error))
    except ImportError as error:
        return _fail(
            f"{sys.executable} cannot import botocore ({error}): install boto3>=1.40 or set "
            "the module input python_executable to an interpreter that has it"
        )
    setup_errors = (SetupError, package.UsageError, package.PreflightError, BotoCoreError)
    try:
        return main()
    except setup_errors as error:
        return _fail(str(error))
    except ClientError as error:
        detail = error.response.get("Error", {})
        return _fail(
            f"{error.operation_name} failed: {detail.get('Code', 'Unknown')}: "
            f"{detail.get('Message', '')}"
        )


def _fail(message: str) -> int:
    """Write ``message`` as ONE stderr line (Terraform shows it in the diagnostic)."""
    sys.stderr.write("root-access: " + " ".join(message.split()) + "\n")
    sys.stderr.flush()
    return EXIT_SETUP
