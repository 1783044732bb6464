"""Evaluate the root-task policy documents (and SCP denials) for one request.

The five task policies (``policies/*.json``, AWS's current versions) only deny:
a request in a root session is allowed unless a ``Deny`` statement matches. The
evaluator implements what those documents use: ``Action``/``NotAction``,
``Resource``/``NotResource`` with ``*``/``?`` wildcards, policy variables
(``${aws:PrincipalAccount}``) and the condition operators ``String[Not]Equals``,
``String[Not]Like``, ``Arn[Not]Like``/``Arn[Not]Equals``, ``Null`` and ``Bool``,
each with the ``IfExists`` suffix. Source: IAM User Guide, "Policy evaluation
logic" and "IAM JSON policy elements: Condition operators".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from root_access.tasks import RootTask

__all__ = [
    "Request",
    "matches_any",
    "task_policy",
    "task_policy_denies",
]


@dataclass(frozen=True)
class Request:
    """What a policy is evaluated against.

    ``action`` is ``service:Action``; ``resource`` an ARN or ``*``; ``context`` the
    global condition keys (``aws:PrincipalArn``, ``aws:PrincipalAccount``,
    ``aws:ResourceAccount``, ``aws:AssumedRoot``...), lower-cased keys.
    """

    action: str
    resource: str
    context: Mapping[str, str]


@lru_cache(maxsize=16)
def _pattern(glob: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def matches_any(value: str, globs: Iterable[str]) -> bool:
    """True when ``value`` matches one of the IAM wildcard patterns (case-insensitive)."""
    return any(_pattern(glob).fullmatch(value) is not None for glob in globs)


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
        return if_exists or base.startswith(("StringNot", "ArnNot"))
    values = [_substitute(v, request.context) for v in wanted]
    if base in ("StringEquals", "ArnEquals"):
        return actual in values
    if base in ("StringNotEquals", "ArnNotEquals"):
        return actual not in values
    if base in ("StringLike", "ArnLike"):
        return matches_any(actual, values)
    if base in ("StringNotLike", "ArnNotLike"):
        return not matches_any(actual, values)
    if base == "Bool":
        return actual.lower() in (v.lower() for v in values)
    raise ValueError(f"condition operator not modelled: {operator}")


def _statement_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "Action" in statement and not matches_any(request.action, _as_list(statement["Action"])):
        return False
    if "NotAction" in statement and matches_any(request.action, _as_list(statement["NotAction"])):
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


@lru_cache(maxsize=32)
def task_policy(task: RootTask, partition: str) -> tuple[Mapping[str, Any], ...]:
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
    document = json.loads(text)
    return tuple(document["Statement"])


def task_policy_denies(task: RootTask, partition: str, request: Request) -> str | None:
    """The ``Sid`` of the first matching ``Deny`` statement, or ``None`` when allowed."""
    for statement in task_policy(task, partition):
        if statement["Effect"] == "Deny" and _statement_matches(statement, request):
            return str(statement.get("Sid", "Deny"))
    return None
