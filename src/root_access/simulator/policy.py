"""Evaluate IAM policy documents for one request: task policies, SCPs, resource policies.

The evaluator implements what the documents the simulator meets use: ``Effect``,
``Action``/``NotAction``, ``Resource``/``NotResource`` with ``*``/``?`` wildcards,
``Principal``/``NotPrincipal`` (``*``, ``{"AWS": ...}`` account ids, root ARNs and
principal ARNs), policy variables (``${aws:PrincipalAccount}``) and the condition
operators ``String[Not]Equals[IgnoreCase]``, ``String[Not]Like``,
``Arn[Not]Equals``/``Arn[Not]Like``, ``Null`` and ``Bool``, each with the
``IfExists`` suffix. Matching is IAM's: action names ignore case; resource ARNs,
principal ARNs and ``String*``/``Arn*`` condition values are case-sensitive (except
``...IgnoreCase``). Condition keys ignore case.

Sources: IAM User Guide, "Policy evaluation logic"
(reference_policies_evaluation-logic.html), "IAM JSON policy elements: Condition
operators" (reference_policies_elements_condition_operators.html), "AWS global
condition context keys" (reference_policies_condition-keys.html).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any

from root_access.simulator.aws import TaskPolicy

__all__ = [
    "CONDITION_OPERATORS",
    "Decision",
    "PolicyError",
    "Request",
    "evaluate",
    "matches_any",
    "parse_document",
    "task_policy",
    "task_policy_denies",
]

_BASE_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "ArnEquals",
    "ArnNotEquals",
    "ArnLike",
    "ArnNotLike",
    "Bool",
    "Null",
)
CONDITION_OPERATORS = frozenset(
    _BASE_OPERATORS + tuple(f"{op}IfExists" for op in _BASE_OPERATORS if op != "Null")
)
"""The condition operators the evaluator models (others are refused when a document is read)."""


class PolicyError(ValueError):
    """A policy document the evaluator cannot read (bad JSON, shape or operator)."""


class Decision(str, Enum):
    """The result of evaluating one document: an explicit deny, an allow, or nothing."""

    DENY = "deny"
    ALLOW = "allow"
    NONE = "none"


@dataclass(frozen=True)
class Request:
    """What a policy is evaluated against.

    ``action`` is ``service:Action``; ``resource`` an ARN or ``*``; ``context`` the
    global condition keys (``aws:principalarn``, ``aws:principalaccount``,
    ``aws:resourceaccount``, ``aws:assumedroot``...), lower-cased keys.
    ``aws:principalarn`` and ``aws:principalaccount`` also match ``Principal``.
    """

    action: str
    resource: str
    context: Mapping[str, str]


@lru_cache(maxsize=512)
def _pattern(glob: str, case_sensitive: bool) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    flags = re.DOTALL if case_sensitive else re.IGNORECASE | re.DOTALL
    return re.compile("".join(parts), flags)


def matches_any(value: str, globs: Iterable[str], *, case_sensitive: bool = True) -> bool:
    """True when ``value`` matches one of the IAM wildcard patterns (``*``, ``?``).

    Case-sensitive unless ``case_sensitive=False`` (IAM ignores case only in action names).
    """
    return any(_pattern(glob, case_sensitive).fullmatch(value) is not None for glob in globs)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _substitute(value: str, context: Mapping[str, str]) -> str:
    return re.sub(r"\$\{([^}]+)\}", lambda m: context.get(m.group(1).lower(), m.group(0)), value)


def _condition_holds(operator: str, key: str, wanted: list[str], request: Request) -> bool:
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists")
    actual = request.context.get(key.lower())
    if base == "Null":
        return (actual is None) == (wanted[0].lower() == "true")
    if actual is None:
        # Missing key: "...IfExists" holds, negated operators hold, others fail.
        return if_exists or "Not" in base
    values = [_substitute(v, request.context) for v in wanted]
    if base in ("StringEquals", "ArnEquals"):
        return actual in values
    if base in ("StringNotEquals", "ArnNotEquals"):
        return actual not in values
    if base == "StringEqualsIgnoreCase":
        return actual.lower() in (v.lower() for v in values)
    if base == "StringNotEqualsIgnoreCase":
        return actual.lower() not in (v.lower() for v in values)
    if base in ("StringLike", "ArnLike"):
        return matches_any(actual, values)
    if base in ("StringNotLike", "ArnNotLike"):
        return not matches_any(actual, values)
    if base == "Bool":
        return actual.lower() in (v.lower() for v in values)
    raise PolicyError(f"condition operator not modelled: {operator}")


def _principal_matches(principal: Any, request: Request) -> bool:
    """``Principal`` ``*``, ``{"AWS": "*"}``, an account id, its root ARN (= the whole
    account) or a principal ARN (case-sensitive)."""
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    arn = request.context.get("aws:principalarn", "")
    account = request.context.get("aws:principalaccount", "")
    for value in _as_list(principal.get("AWS", [])):
        if value == "*" or value == arn:
            return True
        if value == account or re.fullmatch(rf"arn:aws[a-z-]*:iam::{account}:root", value):
            return True
    return False


def _statement_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "Principal" in statement and not _principal_matches(statement["Principal"], request):
        return False
    if "NotPrincipal" in statement and _principal_matches(statement["NotPrincipal"], request):
        return False
    if "Action" in statement and not matches_any(
        request.action, _as_list(statement["Action"]), case_sensitive=False
    ):
        return False
    if "NotAction" in statement and matches_any(
        request.action, _as_list(statement["NotAction"]), case_sensitive=False
    ):
        return False
    if "Resource" in statement and not matches_any(
        request.resource, _as_list(statement["Resource"])
    ):
        return False
    if "NotResource" in statement and matches_any(
        request.resource, _as_list(statement["NotResource"])
    ):
        return False
    for operator, pairs in statement.get("Condition", {}).items():
        for key, wanted in pairs.items():
            if not _condition_holds(operator, key, _as_list(wanted), request):
                return False
    return True


def evaluate(statements: Sequence[Mapping[str, Any]], request: Request) -> tuple[Decision, str]:
    """``(decision, Sid)`` of a document for ``request``: an explicit ``Deny`` wins, then
    any ``Allow``; ``(Decision.NONE, "")`` when no statement matches."""
    allowed = ""
    found_allow = False
    for statement in statements:
        if not _statement_matches(statement, request):
            continue
        sid = str(statement.get("Sid", statement["Effect"]))
        if statement["Effect"] == "Deny":
            return Decision.DENY, sid
        if not found_allow:
            found_allow, allowed = True, sid
    return (Decision.ALLOW, allowed) if found_allow else (Decision.NONE, "")


@lru_cache(maxsize=1024)
def parse_document(text: str) -> tuple[Mapping[str, Any], ...]:
    """The statements of a policy document given as JSON text (cached by text).

    Raises PolicyError for malformed JSON, a missing ``Effect`` or an operator the
    evaluator does not model (``CONDITION_OPERATORS``).
    """
    try:
        document = json.loads(text)
    except (TypeError, ValueError) as error:
        raise PolicyError(f"not a JSON policy document: {error}") from error
    if not isinstance(document, Mapping) or "Statement" not in document:
        raise PolicyError("a policy document is a JSON object with a Statement")
    raw = document["Statement"]
    statements = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(statements, list):
        raise PolicyError("Statement must be an object or a list of objects")
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping):
            raise PolicyError(f"Statement[{index}] must be an object")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise PolicyError(f"Statement[{index}].Effect must be Allow or Deny")
        condition = statement.get("Condition", {})
        if not isinstance(condition, Mapping):
            raise PolicyError(f"Statement[{index}].Condition must be an object")
        for operator, pairs in condition.items():
            if operator not in CONDITION_OPERATORS:
                raise PolicyError(
                    f"Statement[{index}].Condition: operator {operator} is not modelled "
                    f"(use one of {', '.join(sorted(CONDITION_OPERATORS))})"
                )
            if not isinstance(pairs, Mapping):
                raise PolicyError(f"Statement[{index}].Condition.{operator} must be an object")
    return tuple(statements)


@lru_cache(maxsize=32)
def task_policy(task: TaskPolicy, partition: str) -> tuple[Mapping[str, Any], ...]:
    """The statements of a root-task policy, with ARNs in ``partition``.

    The stored documents are the ``aws`` partition's; other partitions get the
    same document with ``arn:aws:`` replaced (an assumption, see the fidelity doc).
    """
    text = (
        resources.files("root_access.simulator")
        .joinpath("policies", f"{task.value}.json")
        .read_text(encoding="utf-8")
    )
    if partition != "aws":
        text = text.replace('"arn:aws:', f'"arn:{partition}:')
    return parse_document(text)


def task_policy_denies(task: TaskPolicy, partition: str, request: Request) -> str | None:
    """The ``Sid`` of the first matching ``Deny`` statement, or ``None`` when allowed."""
    decision, sid = evaluate(task_policy(task, partition), request)
    return sid if decision is Decision.DENY else None
