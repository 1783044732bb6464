"""Props every module shares: how Terraform runs the engine's scripts."""

from __future__ import annotations

from typing import Any

from root_access_cdktf.validation import detail as checked_detail
from root_access_cdktf.validation import non_empty_string, positive_int, region
from root_access_cdktf.validation import result_mode as checked_result_mode

__all__ = ["MAX_WORKERS", "audit_result_variables", "engine_variables"]

MAX_WORKERS = 64
"""Upper bound of ``max_workers`` in the modules (bounded worker pool); the engine's
``root_access.rules.MAX_WORKERS`` (held to it by tests/test_modules_parity.py)."""


def engine_variables(
    where: str,
    *,
    python_executable: str | None,
    profile: str | None,
    region_name: str | None,
    max_workers: int | None = None,
    detail: str | None = None,
) -> dict[str, Any]:
    """Validated ``python_executable``, ``profile``, ``region`` (and ``max_workers``,
    ``detail``) variables.

    ``None`` means "the module's default". Raises ``PropsError`` on a bad value.
    """
    variables: dict[str, Any] = {
        "python_executable": None
        if python_executable is None
        else non_empty_string(python_executable, f"{where}.python_executable"),
        "profile": None if profile is None else non_empty_string(profile, f"{where}.profile"),
        "region": None if region_name is None else region(region_name, f"{where}.region"),
    }
    if max_workers is not None:
        variables["max_workers"] = positive_int(
            max_workers, f"{where}.max_workers", maximum=MAX_WORKERS
        )
    if detail is not None:
        variables["detail"] = checked_detail(detail, f"{where}.detail")
    return variables


def audit_result_variables(
    where: str, *, result_mode: str | None, report_path: str | None, prefix: str
) -> dict[str, Any]:
    """Validated ``<prefix>result_mode`` and ``<prefix>report_path`` variables (the audit
    module's names with ``prefix=""``, the root module's with ``prefix="audit_"``).

    ``None`` means "the module's default". Raises ``PropsError`` on a bad value.
    """
    mode, report = f"{prefix}result_mode", f"{prefix}report_path"
    return {
        mode: None if result_mode is None else checked_result_mode(result_mode, f"{where}.{mode}"),
        report: None if report_path is None else non_empty_string(report_path, f"{where}.{report}"),
    }
