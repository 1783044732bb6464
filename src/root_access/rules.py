"""The input rules of every door, defined once: id formats, names, limits and defaults.

One table (:data:`RULES`) holds each rule a request is checked against before any AWS
call: the shapes of account, OU, root, organization and policy-target ids, Regions,
request ids, bucket and queue names; the organization feature and privileged-task names;
the ranges and defaults of ``max_workers``, ``duration_seconds`` and ``max_attempts``;
the audit's ``detail``, ``result_mode`` (and :data:`COMPACT_ABOVE`) and ``fail_on`` names.
The engine's validation (``Selection``, ``validate_max_workers``, ``validate_duration``,
``validate_max_attempts``, the bucket and queue URL checks) and the CLI's help read it.
The Terraform variables' ``validation`` blocks cannot import Python and the cdktf
package ships without the engine, so tests hold them to the table: ``tests/test_rules.py``
(HCL: regexes, ranges, defaults, allowed values, error wording) and cdktf's
``tests/test_modules_parity.py`` (regexes, names, bounds). The table is printed in
docs/input-rules.md.

Regexes are anchored (``^...$``) and written in the subset that Python's ``re`` and
Terraform's ``regex()`` (RE2) read alike, so one text serves both.

This module imports nothing from the rest of the engine, so every module can read it.
Sources: Organizations API Reference (``Account.Id``, ``OrganizationalUnit.Id``,
``Root.Id``, ``Organization.Id`` patterns), IAM API Reference
(``EnableOrganizationsRootCredentialsManagement``, ``EnableOrganizationsRootSessions``),
STS API Reference (``AssumeRoot``: ``DurationSeconds`` 0..900, default 900; the
service rejects 901 while botocore checks only the minimum, and the meaning of 0 is
unconfirmed, so we require 1..900), Boto3 guide "Retries"
(``total_max_attempts``), S3 User Guide "Bucket naming rules", SQS Developer Guide
"Queue names".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ACCOUNT_ID",
    "BUCKET_NAME",
    "COMPACT_ABOVE",
    "DETAIL",
    "DURATION_SECONDS",
    "FAIL_ON",
    "FEATURES",
    "MAX_ATTEMPTS",
    "MAX_WORKERS",
    "ORGANIZATIONAL_UNIT_ID",
    "ORGANIZATION_ID",
    "POLICY_TARGET_ID",
    "PRIVILEGED_TASKS",
    "QUEUE_NAME",
    "REGION",
    "REQUEST_ID",
    "RESULT_MODE",
    "ROLE_ARN_PATTERN",
    "ROOT_ID",
    "RULES",
    "TARGET_ID",
    "Choice",
    "Pattern",
    "Range",
    "Rule",
    "markdown_table",
    "queue_url_regex",
]


@dataclass(frozen=True)
class Pattern:
    """A string that must match ``regex`` (anchored; Python ``re`` and Terraform RE2)."""

    name: str
    regex: str
    what: str
    """What a valid value is, as error messages say it, e.g. ``12-digit account id string``."""
    example: str
    source: str

    @property
    def compiled(self) -> re.Pattern[str]:
        """``regex`` compiled for ``fullmatch``."""
        return _compiled(self.regex)

    def matches(self, value: object) -> bool:
        """True when ``value`` is a string matching the whole pattern."""
        return isinstance(value, str) and self.compiled.fullmatch(value) is not None

    @property
    def body(self) -> str:
        """``regex`` without its anchors, to embed in a larger pattern."""
        return self.regex.removeprefix("^").removesuffix("$")


@dataclass(frozen=True)
class Range:
    """A whole number in ``minimum..maximum`` (booleans are not numbers here)."""

    name: str
    minimum: int
    maximum: int
    default: int
    unit: str
    what: str
    source: str

    def contains(self, value: object) -> bool:
        """True when ``value`` is an int (not a bool) in ``minimum..maximum``."""
        return (
            not isinstance(value, bool)
            and isinstance(value, int)
            and self.minimum <= value <= self.maximum
        )

    @property
    def span(self) -> str:
        """``1..64``: the range as messages print it."""
        return f"{self.minimum}..{self.maximum}"


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of names (case-sensitive); ``default`` is the default subset."""

    name: str
    values: tuple[str, ...]
    default: tuple[str, ...]
    what: str
    source: str


Rule = Pattern | Range | Choice

ACCOUNT_ID = Pattern(
    "account_id",
    r"^[0-9]{12}$",
    "12-digit account id string",
    "222222222222",
    "Organizations API Reference, Account.Id",
)
ORGANIZATIONAL_UNIT_ID = Pattern(
    "organizational_unit_id",
    r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$",
    "OU id (ou-xxxx-yyyyyyyy)",
    "ou-abcd-11111111",
    "Organizations API Reference, OrganizationalUnit.Id",
)
ROOT_ID = Pattern(
    "root_id",
    r"^r-[0-9a-z]{4,32}$",
    "root id (r-xxxx)",
    "r-abcd",
    "Organizations API Reference, Root.Id",
)
TARGET_ID = Pattern(
    "target_id",
    f"^({ORGANIZATIONAL_UNIT_ID.body}|{ROOT_ID.body})$",
    "OU id (ou-xxxx-yyyyyyyy) or the root id (r-xxxx)",
    "ou-abcd-11111111",
    "Organizations API Reference, OrganizationalUnit.Id and Root.Id",
)
"""What ``organizational_units`` takes: an OU subtree or the whole root."""
POLICY_TARGET_ID = Pattern(
    "policy_target_id",
    f"^({ROOT_ID.body}|{ORGANIZATIONAL_UNIT_ID.body}|{ACCOUNT_ID.body})$",
    "root id (r-xxxx), OU id (ou-xxxx-yyyyyyyy) or 12-digit account id",
    "r-abcd",
    "Organizations API Reference, AttachPolicy TargetId",
)
"""What an organization policy (SCP) attaches to: the root, an OU or one account."""
ORGANIZATION_ID = Pattern(
    "organization_id",
    r"^o-[a-z0-9]{10,32}$",
    "organization id (o-xxxxxxxxxx)",
    "o-exampleorgid",
    "Organizations API Reference, Organization.Id",
)
ROLE_ARN_PATTERN = Pattern(
    "role_arn_pattern",
    rf"^arn:(aws|aws-cn|aws-us-gov|\*):iam::({ACCOUNT_ID.body}|\*):role/.+$",
    "IAM role ARN, '*' allowed for the partition, the account and in the path/name",
    "arn:aws:iam::111111111111:role/pipeline",
    "IAM User Guide, IAM identifiers (role ARNs) and aws:PrincipalArn condition key",
)
"""An ``aws:PrincipalArn`` value naming the pipeline roles that may call ``sts:AssumeRoot``."""
REGION = Pattern(
    "region",
    r"^[a-z]{2}(-[a-z]+)+-[0-9]+$",
    "AWS Region name",
    "eu-west-1",
    "AWS General Reference, Regions (never a partition-wide aws-global)",
)
REQUEST_ID = Pattern(
    "request_id",
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    "1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
    "CHG-1234",
    "this project: the key of a privileged-task request (e.g. a ticket number)",
)
BUCKET_NAME = Pattern(
    "bucket_name",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
    "example-bucket",
    "S3 User Guide, Bucket naming rules",
)
QUEUE_NAME = Pattern(
    "queue_name",
    r"^[A-Za-z0-9_-]{1,80}(\.fifo)?$",
    "1-80 letters, digits, '-' or '_', optionally ending in .fifo",
    "example-queue",
    "SQS Developer Guide, Queue names",
)

FEATURES = Choice(
    "enabled_features",
    ("RootCredentialsManagement", "RootSessions"),
    ("RootCredentialsManagement", "RootSessions"),
    "IAM organization feature of centralized root access",
    "IAM API Reference, ListOrganizationsFeatures (EnabledFeatures)",
)
PRIVILEGED_TASKS = Choice(
    "task",
    ("allow-password-recovery", "unlock-s3-bucket-policy", "unlock-sqs-queue-policy"),
    (),
    "privileged one-shot task (root-task policies IAMCreateRootUserPassword, "
    "S3UnlockBucketPolicy, SQSUnlockQueuePolicy)",
    "IAM User Guide, id_root-user-privileged-task.html",
)

DETAIL = Choice(
    "detail",
    ("summary", "full"),
    ("summary",),
    "how much the audit reads per account (GetAccountSummary first, or every read)",
    "IAM API Reference, GetAccountSummary (the root flags); root_access.audit",
)
RESULT_MODE = Choice(
    "result_mode",
    ("auto", "full", "compact"),
    ("auto",),
    "how much of a Terraform audit goes into plan and state (auto: compact above "
    "COMPACT_ABOVE accounts)",
    "this project: docs/terraform.md (Full and compact results), docs/benchmarks.md",
)
FAIL_ON = Choice(
    "fail_on",
    ("present", "not-audited"),
    (),
    "drift condition that fails an audit (root credentials present; an account not audited)",
    "this project: root_access.drift (issue 15)",
)

COMPACT_ABOVE = 1000
"""``result_mode = "auto"`` gives a compact Terraform result when the selection holds MORE
than this many accounts (skipped ones included). At 1,000 accounts a full result kept
Terraform's plan under 200 MB; at 10,000 it took 1.1 GB (docs/benchmarks.md)."""

MAX_WORKERS = Range(
    "max_workers",
    1,
    64,
    32,
    "accounts",
    "accounts worked on at once (bounded worker pool)",
    "this project: benchmarks (docs/benchmarks.md, worker count); AssumeRoot has no "
    "published quota, STS's is 600 requests/s per account and Region (IAM User Guide, "
    "IAM and AWS STS quotas)",
)
DURATION_SECONDS = Range(
    "duration_seconds",
    1,
    900,
    900,
    "seconds",
    "AssumeRoot session length",
    "STS API Reference, AssumeRoot DurationSeconds (field case STS-DURATION)",
)
MAX_ATTEMPTS = Range(
    "max_attempts",
    1,
    50,
    10,
    "attempts",
    "total attempts per AWS call, first try included (botocore retry modes)",
    "Boto3 guide, Retries (total_max_attempts)",
)

RULES: tuple[Rule, ...] = (
    ACCOUNT_ID,
    ORGANIZATIONAL_UNIT_ID,
    ROOT_ID,
    TARGET_ID,
    POLICY_TARGET_ID,
    ORGANIZATION_ID,
    ROLE_ARN_PATTERN,
    REGION,
    REQUEST_ID,
    BUCKET_NAME,
    QUEUE_NAME,
    FEATURES,
    PRIVILEGED_TASKS,
    DETAIL,
    RESULT_MODE,
    FAIL_ON,
    MAX_WORKERS,
    DURATION_SECONDS,
    MAX_ATTEMPTS,
)
"""Every rule, in the order docs/input-rules.md lists them."""


def queue_url_regex(account_id: str) -> str:
    """The shape check every door applies to a queue URL of ``account_id``:
    ``https://<host>/<account_id>/<queue name>`` (:data:`QUEUE_NAME`).

    ``account_id`` is inserted as given: a 12-digit id (nothing to escape) or, for the
    Terraform variables, the interpolation ``${request.account_id}``. The engine's
    ``parse_queue_url`` is stricter (known SQS hosts and local endpoints only).
    """
    return f"^https?://[^/?#@]+/{account_id}/{QUEUE_NAME.body}/?$"


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(regex: str) -> re.Pattern[str]:
    pattern = _CACHE.get(regex)
    if pattern is None:
        pattern = _CACHE[regex] = re.compile(regex)
    return pattern


def markdown_table() -> str:
    """:data:`RULES` as the Markdown table in docs/input-rules.md (one row per rule)."""
    rows = ["| Rule | Accepts | Default | Source |", "| --- | --- | --- | --- |"]
    for rule in RULES:
        if isinstance(rule, Pattern):
            accepts = f"{rule.what}: `{rule.regex}`, e.g. `{rule.example}`"
            default = "-"
        elif isinstance(rule, Range):
            accepts = f"{rule.what}: whole number {rule.span} {rule.unit}"
            default = f"`{rule.default}`"
        else:
            accepts = f"{rule.what}: " + ", ".join(f"`{value}`" for value in rule.values)
            default = ", ".join(f"`{value}`" for value in rule.default) or "-"
        accepts = accepts.replace("|", "\\|")
        rows.append(f"| `{rule.name}` | {accepts} | {default} | {rule.source} |")
    return "\n".join(rows) + "\n"
