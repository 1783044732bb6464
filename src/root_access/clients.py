"""boto3 clients with retries on every call, a resolved region, and regional STS.

- Retries: botocore ``standard`` mode (or ``adaptive``) with
  :data:`DEFAULT_MAX_ATTEMPTS` attempts on EVERY client: the caller's STS and
  Organizations clients and the clients built from root-session credentials
  (field case THROTTLING). Source: Boto3 guide "Retries". A sweep's one shared
  ``AssumeRoot`` client uses ``adaptive`` mode: AssumeRoot has no published quota, and
  the adaptive client-side rate limiter, shared by every worker, backs the whole sweep
  off together instead of leaving the quota idle while single workers sleep
  (benchmarks: docs/benchmarks.md, throttled runs).
- STS is always regional: ``sts:AssumeRoot`` fails on the global endpoint with
  ``InvalidAction`` (field case STS-GLOBAL-ENDPOINT). The endpoint is derived from the
  region unless ``AWS_ENDPOINT_URL_STS`` or ``AWS_ENDPOINT_URL`` is set (the
  simulator server and other local endpoints), which boto3 then honours itself.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore.config import Config

from root_access import rules
from root_access.errors import UsageError

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_organizations import OrganizationsClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sts import STSClient

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "RetryMode",
    "client_config",
    "iam_client",
    "organizations_client",
    "resolve_region",
    "s3_client",
    "sqs_client",
    "sts_client",
    "sts_endpoint_url",
    "validate_max_attempts",
]

DEFAULT_MAX_ATTEMPTS = rules.MAX_ATTEMPTS.default
"""Total attempts per call (first try included) in botocore's retry modes."""

RetryMode = Literal["standard", "adaptive"]

MAX_ATTEMPTS_LIMIT = rules.MAX_ATTEMPTS.maximum


def validate_max_attempts(max_attempts: int) -> int:
    """Return ``max_attempts`` if it is an int in 1..50 (``rules.MAX_ATTEMPTS``), else raise
    :class:`UsageError`."""
    if not rules.MAX_ATTEMPTS.contains(max_attempts):
        raise UsageError(
            f"max attempts {max_attempts!r} is out of range: use {rules.MAX_ATTEMPTS.span} "
            f"(default {DEFAULT_MAX_ATTEMPTS})"
        )
    return max_attempts


def client_config(
    *, max_attempts: int = DEFAULT_MAX_ATTEMPTS, mode: RetryMode = "standard", pool: int = 10
) -> Config:
    """The botocore ``Config`` every client of this package uses.

    ``pool`` is the connection pool size (at least the number of worker threads
    sharing the client).
    """
    return Config(
        retries={"total_max_attempts": max_attempts, "mode": mode},
        max_pool_connections=max(pool, 10),
        connect_timeout=10,
        read_timeout=60,
    )


def resolve_region(session: boto3.Session, region: str | None = None) -> str:
    """The region to use: ``region`` if given, else the session's (``AWS_REGION``,
    ``AWS_DEFAULT_REGION``, the profile), else :class:`UsageError`.

    ``aws-global`` is refused: it sends STS to the global endpoint.
    """
    chosen = region or session.region_name
    if not chosen:
        raise UsageError(
            "no AWS region: pass --region or set AWS_REGION (STS must use a regional endpoint)"
        )
    if chosen == "aws-global":
        raise UsageError(
            "region aws-global uses the global STS endpoint, which has no AssumeRoot: "
            "pass a real region such as us-east-1"
        )
    return chosen


def sts_endpoint_url(region: str) -> str | None:
    """``https://sts.<region>.amazonaws.com`` (``.com.cn`` in China regions), or ``None``
    when ``AWS_ENDPOINT_URL_STS`` / ``AWS_ENDPOINT_URL`` is set (boto3 uses that)."""
    if os.environ.get("AWS_ENDPOINT_URL_STS") or os.environ.get("AWS_ENDPOINT_URL"):
        return None
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://sts.{region}.{suffix}"


def _client(
    session: boto3.Session, service: str, region: str, config: Config | None, **kwargs: Any
) -> Any:
    return session.client(  # type: ignore[call-overload]
        service, region_name=region, config=config or client_config(), **kwargs
    )


def sts_client(session: boto3.Session, region: str, config: Config | None = None) -> STSClient:
    """A regional STS client with retries (see :func:`sts_endpoint_url`)."""
    endpoint = sts_endpoint_url(region)
    if endpoint is None:
        return _client(session, "sts", region, config)  # type: ignore[no-any-return]
    return _client(session, "sts", region, config, endpoint_url=endpoint)  # type: ignore[no-any-return]


def organizations_client(
    session: boto3.Session, region: str, config: Config | None = None
) -> OrganizationsClient:
    """An Organizations client with retries."""
    return _client(session, "organizations", region, config)  # type: ignore[no-any-return]


def iam_client(session: boto3.Session, region: str, config: Config | None = None) -> IAMClient:
    """An IAM client with retries (IAM is global; ``region`` picks the partition)."""
    return _client(session, "iam", region, config)  # type: ignore[no-any-return]


def s3_client(session: boto3.Session, region: str, config: Config | None = None) -> S3Client:
    """An S3 client with retries."""
    return _client(session, "s3", region, config)  # type: ignore[no-any-return]


def sqs_client(session: boto3.Session, region: str, config: Config | None = None) -> SQSClient:
    """An SQS client with retries, for the queue's region."""
    return _client(session, "sqs", region, config)  # type: ignore[no-any-return]
