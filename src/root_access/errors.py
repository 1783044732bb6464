"""Domain exceptions and the mapping of AWS error codes to outcomes.

AWS documents some error codes with and without the ``Exception`` suffix (the
IAM organization-feature APIs, reference §2 and §9.1), so every comparison here
accepts both spellings: :func:`error_code` strips the suffix.

Sources: IAM API Reference (error sections of each action), STS API Reference
``API_AssumeRoot.html``, IAM User Guide ``reference_policies_condition-keys.html``
(``aws:AssumedRoot``).
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from root_access.outcomes import Outcome

__all__ = [
    "ACCESS_DENIED_CODES",
    "CLIENT_SIDE_ERRORS",
    "SCP_HINT",
    "THROTTLING_CODES",
    "PreflightError",
    "RootAccessError",
    "UsageError",
    "error_code",
    "error_message",
    "has_code",
    "outcome_for",
    "outcome_for_botocore",
]

SCP_HINT = (
    "exempt root sessions in the SCP with a `Null` condition on `aws:AssumedRoot` "
    '("aws:AssumedRoot": "true" makes the deny skip AssumeRoot sessions)'
)
"""The usual fix for SCP-DENIES-ROOT, appended to every ``blocked_by_scp`` detail."""

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "TooManyRequests",
        "RequestLimitExceeded",
        "SlowDown",
        "RequestThrottled",
        "ProvisionedThroughputExceeded",
        "Throttled",
    }
)
"""Throttling error codes (without the ``Exception`` suffix) that map to ``throttled``."""

ACCESS_DENIED_CODES = frozenset({"AccessDenied", "UnauthorizedOperation", "Unauthorized"})
"""Denial codes (without the ``Exception`` suffix)."""

CLIENT_SIDE_ERRORS = (BotoCoreError, ResponseParserError)
"""Failures botocore raises without an AWS error code (connection, timeout, parameters,
an unparsable response): per account they become ``error``."""


class RootAccessError(Exception):
    """Base class of this package's exceptions; ``str()`` is one line saying what to do."""


class UsageError(RootAccessError):
    """Bad input (selection, ids, durations, names); raised before any AWS change.

    The CLI exits 2 with the message.
    """


class PreflightError(RootAccessError):
    """The environment is not ready (caller, organization, trusted access, features).

    ``case`` names the field case (for example ``ORG-TRUSTED-ACCESS``); the message is
    one line saying what to do. The CLI exits 2 with the message.
    """

    def __init__(self, case: str, message: str) -> None:
        super().__init__(message)
        self.case = case


def error_code(error: ClientError) -> str:
    """The AWS error code of ``error`` without a trailing ``Exception`` suffix.

    ``ServiceAccessNotEnabledException`` and ``ServiceAccessNotEnabled`` both give
    ``ServiceAccessNotEnabled`` (reference §2: the live spelling is unconfirmed).
    """
    code = str(error.response.get("Error", {}).get("Code", ""))
    if code.endswith("Exception") and code != "Exception":
        code = code[: -len("Exception")]
    return code


def error_message(error: ClientError) -> str:
    """The AWS error message of ``error`` (may be empty)."""
    return str(error.response.get("Error", {}).get("Message", ""))


def has_code(error: ClientError, *codes: str) -> bool:
    """True when ``error``'s code is one of ``codes`` (either spelling, suffix or not)."""
    wanted = {c[: -len("Exception")] if c.endswith("Exception") else c for c in codes}
    return error_code(error) in wanted


def _action(error: ClientError) -> str:
    operation = getattr(error, "operation_name", "") or ""
    return str(operation)


def outcome_for(error: ClientError, *, action: str | None = None) -> tuple[Outcome, str]:
    """Map an AWS error to an outcome and a one-line detail.

    - ``AccessDenied`` whose message mentions a service control policy: ``blocked_by_scp``,
      the detail names the action and :data:`SCP_HINT` (field case SCP-DENIES-ROOT);
    - other denials: ``access_denied`` with the action and the AWS message;
    - throttling codes (after botocore's retries are exhausted): ``throttled``;
    - anything else: ``error`` with ``<code>: <message>``.

    ``action`` defaults to the botocore operation name of the failed call.
    """
    code = error_code(error)
    message = error_message(error)
    name = action or _action(error)
    if code in ACCESS_DENIED_CODES:
        if "service control policy" in message.lower():
            return Outcome.BLOCKED_BY_SCP, f"{name} denied by a service control policy; {SCP_HINT}"
        return Outcome.ACCESS_DENIED, f"{name} denied: {message}".rstrip(": ")
    if code in THROTTLING_CODES:
        return Outcome.THROTTLED, f"{name} still throttled after retries ({code})"
    raw = str(error.response.get("Error", {}).get("Code", "")) or "Unknown"
    return Outcome.ERROR, f"{name} failed: {raw}: {message}".rstrip(": ")


def outcome_for_botocore(
    error: BotoCoreError | ResponseParserError, *, action: str
) -> tuple[Outcome, str]:
    """Map a client-side botocore failure (connection, timeout, parameters) to ``error``."""
    return Outcome.ERROR, f"{action} failed: {type(error).__name__}: {error}"
