"""Evaluate the ``Deny`` statements of IAM policy documents against one request.

Enough of IAM's policy language to answer the question the SCP lint asks: "would this
service control policy deny this action to this principal?" Statements, ``Action`` /
``NotAction``, ``Resource`` / ``NotResource`` and the condition operators that
guardrail SCPs use (``String*``, ``Arn*``, ``Null``, ``Bool``, with ``...IfExists`` and
the ``ForAnyValue:`` / ``ForAllValues:`` set prefixes). Matching follows the IAM
User Guide: action names are case-insensitive; ARNs and ``String*`` / ``Arn*`` values
are case-sensitive; ``*`` and ``?`` are wildcards in ``*Like`` operators, actions and
resources (``reference_policies_elements_*.html``,
``reference_policies_elements_condition_operators.html``).

This module is the engine's own reading of AWS's rules; the simulator carries an
independent one, so that a wrong rule here is caught by the tests instead of mirrored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["DenyMatch", "Request", "matching_denies", "parse_document"]


@dataclass(frozen=True)
class Request:
    """One request to evaluate.

    - ``action``: ``service:Action``, e.g. ``iam:GetAccountSummary``.
    - ``resource``: the resource ARN, or ``None`` when unknown (a ``Resource`` other than
      ``*`` then counts as possibly matching; the lint says so).
    - ``context``: condition keys present in the request (``aws:PrincipalArn``,
      ``aws:AssumedRoot``, ...); a key not in it is absent (``Null`` true).
    """

    action: str
    resource: str | None
    context: Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class DenyMatch:
    """A ``Deny`` statement that matches a request.

    ``statement``: the statement's ``Sid``, else ``#<index>`` (0-based);
    ``document``: the statement itself (as parsed JSON); ``certain``: False when the
    match depends on a resource the lint could not know.
    """

    statement: str
    document: Mapping[str, Any]
    certain: bool


def parse_document(text: str | Mapping[str, Any]) -> dict[str, Any]:
    """Parse a policy document (JSON text or an already parsed mapping).

    Raises ``ValueError`` when it is not a JSON object with a ``Statement``.
    """
    document = json.loads(text) if isinstance(text, str) else dict(text)
    if not isinstance(document, dict) or "Statement" not in document:
        raise ValueError("not an IAM policy document (no Statement)")
    return document


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


@lru_cache(maxsize=4096)
def _wildcard(pattern: str, *, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _like(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    return _wildcard(pattern, ignore_case=ignore_case).match(value) is not None


def _action_matches(statement: Mapping[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(_like(p, action, ignore_case=True) for p in _as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(_like(p, action, ignore_case=True) for p in _as_list(statement["NotAction"]))
    return False


def _resource_matches(
    statement: Mapping[str, Any], resource: str | None, context: Mapping[str, Any]
) -> bool | None:
    """True / False, or None when the resource is unknown and the pattern is not ``*``."""
    key, negate = ("Resource", False) if "Resource" in statement else ("NotResource", True)
    patterns = [_substitute(str(p), context) for p in _as_list(statement.get(key, "*"))]
    if resource is None:
        if not negate and "*" in patterns:
            return True
        return None
    hit = any(_like(p, resource) for p in patterns)
    return not hit if negate else hit


def _bool_value(value: str) -> str:
    return value.lower() if value.lower() in ("true", "false") else value


def _compare(operator: str, wanted: str, actual: str) -> bool:
    if operator in ("StringEquals", "ArnEquals"):
        return actual == wanted
    if operator == "StringEqualsIgnoreCase":
        return actual.lower() == wanted.lower()
    if operator in ("StringLike", "ArnLike"):
        return _like(wanted, actual)
    if operator == "Bool":
        return _bool_value(actual) == _bool_value(wanted)
    raise ValueError(f"unsupported condition operator {operator!r}")


_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _substitute(value: str, context: Mapping[str, Any]) -> str:
    """Replace policy variables (``${aws:PrincipalAccount}``) with context values."""

    def one(match: re.Match[str]) -> str:
        found = context.get(match.group(1).lower())
        return match.group(0) if found is None or not isinstance(found, str) else found

    return re.sub(r"\$\{([^}]+)\}", one, value)


_KNOWN = frozenset(
    {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool", "Null"}
    | set(_NEGATED)
)


def _condition_holds(operator: str, key: str, wanted: Any, context: Mapping[str, Any]) -> bool:
    values = [_substitute(str(v), context) for v in _as_list(wanted)]
    set_prefix = ""
    if ":" in operator:
        set_prefix, operator = operator.split(":", 1)
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    if operator not in _KNOWN:
        raise ValueError(f"unsupported condition operator {operator!r}")
    key = key.lower()  # condition key names are case-insensitive; values are not
    present = key in context
    if operator == "Null":
        return any((not present) == (_bool_value(v) == "true") for v in values)
    base = _NEGATED.get(operator, operator)
    negate = operator in _NEGATED
    if not present:
        # IAM: a key missing from the request fails the condition, except with
        # ...IfExists, a negated operator (StringNotLike, ArnNotLike, ...: true), or
        # ForAllValues (vacuously true) (condition operators page, "Condition keys").
        return if_exists or negate or set_prefix == "ForAllValues"
    actual = [str(v) for v in _as_list(context[key])]

    def one(value: str) -> bool:
        hit = any(_compare(base, w, value) for w in values)
        return not hit if negate else hit

    if set_prefix == "ForAllValues":
        return all(one(a) for a in actual)
    return any(one(a) for a in actual)


def _conditions_hold(statement: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    block = statement.get("Condition") or {}
    for operator, keys in block.items():
        for key, wanted in keys.items():
            if not _condition_holds(operator, key, wanted, context):
                return False
    return True


def matching_denies(document: Mapping[str, Any], request: Request) -> Iterator[DenyMatch]:
    """Every ``Deny`` statement of ``document`` that applies to ``request``, in order.

    Raises ``ValueError`` on a condition operator this module does not know (the lint
    reports the statement as unreadable rather than guessing).
    """
    context = {k.lower(): v for k, v in request.context.items()}
    for index, statement in enumerate(_as_list(document.get("Statement"))):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Deny":
            continue
        if not _action_matches(statement, request.action):
            continue
        resource = _resource_matches(statement, request.resource, context)
        if resource is False:
            continue
        if not _conditions_hold(statement, context):
            continue
        name = str(statement.get("Sid") or f"#{index}")
        yield DenyMatch(statement=name, document=statement, certain=resource is True)
