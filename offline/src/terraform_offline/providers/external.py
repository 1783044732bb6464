"""Stand-in for ``hashicorp/external`` 2.4.0: the ``external`` data source.

Faithful to upstream ``internal/provider/data_source.go`` (v2.4.0) and
``docs/data-sources/external.md``:

- ``program``: argv list, no shell; null and empty elements dropped; the first element is
  looked up on ``PATH`` (a name with a slash is taken as a path); ``working_dir`` is the
  program's cwd (default: Terraform's).
- stdin: one JSON object of the non-null ``query`` values (``{}`` without ``query``).
- stdout must be one JSON object whose values are strings, else the error
  "Unexpected External Program Results"; a non-zero exit reports stderr in
  "External Program Execution Failed".
- ``result`` (map of strings) and ``id`` (always ``"-"``) are computed.

Not reproduced: upstream's fallback of running an unknown program name through
``$SHELL -i -c`` (a compatibility workaround slated for removal, #192/#197).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from typing import Any

from tf import runner, schema, types
from tf.iface import Config, DataSource, ReadDataContext, State
from tf.provider import Provider
from tf.utils import Diagnostics

__all__ = ["ExternalDataSource", "ExternalProvider", "decode_result", "main"]

_LOOKUP_DETAIL = """The data source received an unexpected error while attempting to parse the query. The data source received an unexpected error while attempting to find the program.

The program must be accessible according to the platform where Terraform is running.

If the expected program should be automatically found on the platform where Terraform is running, ensure that the program is in an expected directory. On Unix-based platforms, these directories are typically searched based on the '$PATH' environment variable. On Windows-based platforms, these directories are typically searched based on the '%PATH%' environment variable.

If the expected program is relative to the Terraform configuration, it is recommended that the program name includes the interpolated value of 'path.module' before the program name to ensure that it is compatible with varying module usage. For example: "${path.module}/my-program"

The program must also be executable according to the platform where Terraform is running. On Unix-based platforms, the file on the filesystem must have the executable bit set. On Windows-based platforms, no action is typically necessary.
"""  # noqa: E501

_RESULTS_DETAIL = """The data source received unexpected results after executing the program.

Program output must be a JSON encoded map of string keys and string values.

If the error is unclear, the output can be viewed by enabling Terraform's logging at TRACE level. Terraform documentation on logging: https://www.terraform.io/internals/debugging
"""  # noqa: E501

_GO_KIND = {dict: "object", list: "array", bool: "bool", int: "number", float: "number"}


def _go_kind(value: Any) -> str:
    return _GO_KIND.get(type(value), "string")


def decode_result(stdout: str) -> dict[str, str]:
    """Decode program stdout as Go's ``json.Unmarshal`` into ``map[string]string`` does.

    Returns the map (a JSON ``null`` value becomes ``""``; a top-level ``null`` an empty
    map, as in Go). Raises ``ValueError`` with Go's error text (``json: cannot unmarshal
    object into Go value of type string``, ``unexpected end of JSON input``, ...).
    """
    if not stdout.strip():
        raise ValueError("unexpected end of JSON input")
    try:
        value = json.loads(stdout)
    except json.JSONDecodeError as exc:
        char = exc.doc[exc.pos] if exc.pos < len(exc.doc) else ""
        if not char:
            raise ValueError("unexpected end of JSON input") from exc
        where = (
            "after top-level value" if exc.msg == "Extra data" else "looking for beginning of value"
        )
        raise ValueError(f"invalid character {char!r} {where}") from exc
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(
            f"json: cannot unmarshal {_go_kind(value)} into Go value of type map[string]string"
        )
    result: dict[str, str] = {}
    first_error: str | None = None
    for key, item in value.items():
        if item is None:
            result[key] = ""
        elif isinstance(item, str):
            result[key] = item
        elif first_error is None:
            first_error = f"json: cannot unmarshal {_go_kind(item)} into Go value of type string"
    if first_error is not None:
        raise ValueError(first_error)
    return result


def _look_path(name: str) -> tuple[str | None, str | None]:
    """Go ``exec.LookPath``: (path, None) or (None, Go's error text)."""
    if "/" in name:
        if os.path.isfile(name) and os.access(name, os.X_OK):
            return name, None
        if os.path.exists(name):
            return None, f'exec: "{name}": permission denied'
        return None, f'exec: "{name}": stat {name}: no such file or directory'
    found = shutil.which(name)
    if found is None:
        return None, f'exec: "{name}": executable file not found in $PATH'
    return found, None


def _exit_state(returncode: int) -> str:
    if returncode < 0:
        name = signal.strsignal(-returncode) or f"signal {-returncode}"
        return f"signal: {name.lower()}"
    return f"exit status {returncode}"


class ExternalDataSource(DataSource):
    """``data "external"``: run a program, return its flat string map as ``result``."""

    def __init__(self, provider: ExternalProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "external"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(
            version=0,
            attributes=[
                schema.Attribute("program", types.List(types.String()), required=True),
                schema.Attribute("working_dir", types.String(), optional=True),
                schema.Attribute("query", types.Map(types.String()), optional=True),
                schema.Attribute("result", types.Map(types.String()), computed=True),
                schema.Attribute("id", types.String(), computed=True),
            ],
        )

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        super().validate(diags, type_name, config)
        program = config.get("program")
        if isinstance(program, list) and len(program) < 1:
            diags.add_error(
                "Invalid Attribute Value",
                f"Attribute program list must contain at least 1 elements, got: {len(program)}",
                path=["program"],
            )

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        diags = ctx.diagnostics
        program = [arg for arg in (config.get("program") or []) if arg]
        if not program:
            diags.add_error(
                "External Program Missing",
                "The data source was configured without a program to execute. "
                "Verify the configuration contains at least one non-empty value.",
                path=["program"],
            )
            return None
        query = {k: v for k, v in (config.get("query") or {}).items() if v is not None}
        executable, lookup_error = _look_path(program[0])
        if executable is None:
            diags.add_error(
                "External Program Lookup Failed",
                _LOOKUP_DETAIL
                + f"\nPlatform: {sys.platform}"
                + f"\nProgram: {config['program'][0]}"
                + f"\nError: {lookup_error}",
                path=["program"],
            )
            return None
        working_dir = config.get("working_dir") or None
        try:
            done = subprocess.run(
                program,
                executable=executable,
                input=json.dumps(query).encode(),
                capture_output=True,
                cwd=working_dir,
                check=False,
            )
        except OSError as exc:
            diags.add_error(
                "External Program Execution Failed",
                "The data source received an unexpected error while attempting to execute "
                f"the program.\n\nProgram: {executable}\nError: {exc}",
                path=["program"],
            )
            return None
        stderr = done.stderr.decode(errors="replace")
        if done.returncode != 0:
            state = _exit_state(done.returncode)
            if stderr:
                detail = (
                    "The data source received an unexpected error while attempting to execute "
                    f"the program.\n\nProgram: {executable}"
                    f"\nError Message: {stderr}\nState: {state}"
                )
            else:
                detail = (
                    "The data source received an unexpected error while attempting to execute "
                    "the program.\n\nThe program was executed, however it returned no additional "
                    f"error messaging.\n\nProgram: {executable}\nState: {state}"
                )
            diags.add_error("External Program Execution Failed", detail, path=["program"])
            return None
        try:
            result = decode_result(done.stdout.decode(errors="replace"))
        except ValueError as exc:
            diags.add_error(
                "Unexpected External Program Results",
                _RESULTS_DETAIL + f"\nProgram: {executable}\nResult Error: {exc}",
                path=["program"],
            )
            return None
        return {
            "program": config.get("program"),
            "working_dir": config.get("working_dir"),
            "query": config.get("query"),
            "result": result,
            "id": "-",
        }


class ExternalProvider(Provider):
    """``registry.terraform.io/hashicorp/external``; no provider arguments."""

    def get_model_prefix(self) -> str:
        return ""

    def full_name(self) -> str:
        return "registry.terraform.io/hashicorp/external"

    def get_provider_schema(self, diags: Diagnostics) -> schema.Schema:
        return schema.Schema(version=0, attributes=[])

    def validate_config(self, diags: Diagnostics, config: Config) -> None:
        return None

    def configure_provider(self, diags: Diagnostics, config: Config) -> None:
        return None

    def get_data_sources(self) -> list[type[DataSource]]:
        return [ExternalDataSource]

    def get_resources(self) -> list[type[Any]]:
        return []


def main() -> None:
    """Serve the provider (Terraform starts this through the mirror's launcher)."""
    runner.run_provider(ExternalProvider(), sys.argv)


if __name__ == "__main__":
    main()
