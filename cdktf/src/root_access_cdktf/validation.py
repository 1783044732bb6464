"""Synth-time checks of construct props, the same rules as the Terraform modules' variables.

Each check raises :class:`PropsError` (a ``ValueError``) whose one-line message names the
construct prop, the rule and the allowed values, so a bad prop stops ``python app.py``
before any Terraform run. Values that are still unresolved tokens (references to other
resources, known only at apply) are passed through unchecked: Terraform's own variable
validation checks them at plan.

Rules: account ids are 12-digit strings and OU ids ``ou-<root>-<suffix>`` or the root
``r-<suffix>`` (Organizations API Reference, ``Account.Id``, ``OrganizationalUnit.Id``,
``Root.Id``); feature names as ``iam:ListOrganizationsFeatures`` returns them (IAM API
Reference, ``EnabledFeatures``). This package ships without the engine, so the patterns
and names here are copies of the engine's table ``root_access.rules`` (docs/input-rules.md);
``tests/test_modules_parity.py`` fails when they drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from root_access_cdktf._cdk import cdk

__all__ = [
    "ACCOUNT_ID",
    "DETAILS",
    "FAIL_ON",
    "FEATURES",
    "OU_ID",
    "REGION",
    "RESULT_MODES",
    "PropsError",
    "account_id",
    "account_ids",
    "boolean",
    "detail",
    "fail_on",
    "features",
    "is_token",
    "non_empty_string",
    "organizational_unit_ids",
    "positive_int",
    "region",
    "result_mode",
    "string_list",
]

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
OU_ID = re.compile(r"^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
FEATURES = ("RootCredentialsManagement", "RootSessions")
"""The two organization features of centralized root access, in the modules' default order."""
DETAILS = ("summary", "full")
"""How much the audit reads per account (the modules' ``detail``): summary-first or every kind."""
RESULT_MODES = ("auto", "full", "compact")
"""The audit's result modes (``result_mode`` / ``audit_result_mode``; scripts/audit.py)."""
FAIL_ON = ("present", "not-audited")
"""The audit's drift conditions (``fail_on`` / ``audit_fail_on``; the engine's
``root_access.drift.FAIL_ON``)."""


class PropsError(ValueError):
    """A construct prop breaks a rule of the matching Terraform variable (raised at synth)."""


def is_token(value: Any) -> bool:
    """True when ``value`` is (or holds) an unresolved CDK token, checked at plan instead."""
    return bool(cdk.Token.is_unresolved(value))


def string_list(values: Iterable[str] | None, where: str) -> list[str]:
    """``values`` as a list; refuses a bare string (a classic ``"222222222222"`` for ``[...]``)."""
    if values is None:
        return []
    if isinstance(values, str):
        raise PropsError(f"{where}: expected a list of strings, got the string {values!r}")
    result = list(values)
    for value in result:
        if not isinstance(value, str):
            raise PropsError(f"{where}: expected strings, got {value!r}")
    return result


def account_id(value: str, where: str) -> str:
    """Check one AWS account id: exactly 12 digits, as a string (leading zeros matter)."""
    if is_token(value):
        return value
    if not isinstance(value, str) or ACCOUNT_ID.fullmatch(value) is None:
        raise PropsError(
            f"{where}: {value!r} is not an AWS account id; account ids are 12-digit strings, "
            "e.g. '222222222222'"
        )
    return value


def account_ids(values: Iterable[str] | None, where: str) -> list[str]:
    """Check a list of account ids (see :func:`account_id`); duplicates are refused."""
    result = string_list(values, where)
    for value in result:
        account_id(value, where)
    _no_duplicates(result, where)
    return result


def organizational_unit_ids(values: Iterable[str] | None, where: str) -> list[str]:
    """Check OU ids (``ou-xxxx-yyyyyyyy``) or the organization root (``r-xxxx``)."""
    result = string_list(values, where)
    for value in result:
        if not is_token(value) and OU_ID.fullmatch(value) is None:
            raise PropsError(
                f"{where}: {value!r} is not an organizational unit id; expected "
                "'ou-xxxx-yyyyyyyy' or the root 'r-xxxx'"
            )
    _no_duplicates(result, where)
    return result


def features(values: Iterable[str] | None, where: str) -> list[str]:
    """Check a non-empty subset of ``RootCredentialsManagement`` and ``RootSessions``."""
    result = string_list(values, where)
    if is_token(result):
        return result
    if not result:
        raise PropsError(f"{where}: name at least one feature; allowed values are {list(FEATURES)}")
    for value in result:
        if value not in FEATURES:
            raise PropsError(
                f"{where}: {value!r} is not a centralized root access feature; "
                f"allowed values are {list(FEATURES)}"
            )
    _no_duplicates(result, where)
    return result


def positive_int(value: int, where: str, *, maximum: int | None = None) -> int:
    """Check an integer in ``1..maximum`` (booleans are refused although Python counts them)."""
    if is_token(value):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise PropsError(f"{where}: expected an integer, got {value!r}")
    if value < 1 or (maximum is not None and value > maximum):
        upper = f"..{maximum}" if maximum is not None else " or more"
        raise PropsError(f"{where}: {value} is out of range; allowed values are 1{upper}")
    return value


def non_empty_string(value: str, where: str) -> str:
    """Check a string that is not empty or blank (the modules' ``length(trimspace(…)) > 0``)."""
    if is_token(value):
        return value
    if not isinstance(value, str) or not value.strip():
        raise PropsError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def boolean(value: bool | None, where: str) -> bool | None:
    """Check a ``bool`` (``None`` keeps the module default); refuses ``"true"`` and ``1``."""
    if value is None or is_token(value):
        return value
    if not isinstance(value, bool):
        raise PropsError(f"{where}: expected True or False, got {value!r}")
    return value


def region(value: str, where: str) -> str:
    """Check an AWS Region name such as ``eu-west-1`` (never a partition-wide ``aws-global``)."""
    if is_token(value):
        return value
    if not isinstance(value, str) or REGION.fullmatch(value) is None:
        raise PropsError(f"{where}: {value!r} is not an AWS Region name such as 'eu-west-1'")
    return value


def detail(value: str, where: str) -> str:
    """Check an audit detail: ``summary`` (GetAccountSummary first) or ``full`` (the
    modules' ``detail`` validation)."""
    if is_token(value):
        return value
    if value not in DETAILS:
        raise PropsError(
            f"{where}: {value!r} is not an audit detail; allowed values are {list(DETAILS)}"
        )
    return value


def fail_on(values: Iterable[str] | None, where: str) -> list[str] | None:
    """Check drift conditions (the modules' ``fail_on`` validation): each ``present`` or
    ``not-audited``, none twice; ``None`` is the module's default (``[]``)."""
    if values is None:
        return None
    if is_token(values):
        return values  # type: ignore[return-value]
    chosen = string_list(values, where)
    for value in chosen:
        if value not in FAIL_ON:
            raise PropsError(
                f"{where}: {value!r} is not a drift condition; allowed values are {list(FAIL_ON)}"
            )
    _no_duplicates(chosen, where)
    return chosen


def result_mode(value: str, where: str) -> str:
    """Check an audit result mode: ``auto`` (compact above 1,000 accounts), ``full`` or
    ``compact`` (the modules' ``result_mode`` validation)."""
    if is_token(value):
        return value
    if value not in RESULT_MODES:
        raise PropsError(
            f"{where}: {value!r} is not an audit result mode; allowed values are "
            f"{list(RESULT_MODES)}"
        )
    return value


def _no_duplicates(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise PropsError(f"{where}: {value!r} is listed twice")
        seen.add(value)
