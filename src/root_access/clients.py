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
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

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
    "check_sts_endpoint",
    "client_config",
    "iam_client",
    "organizations_client",
    "resolve_region",
    "s3_client",
    "sqs_client",
    "sts_client",
    "sts_endpoint_override",
    "sts_endpoint_url",
    "unset_if_empty",
    "validate_max_attempts",
]

DEFAULT_MAX_ATTEMPTS = rules.MAX_ATTEMPTS.default
"""Total attempts per call (first try included) in botocore's retry modes."""

RetryMode = Literal["standard", "adaptive"]

_STS_HOST = re.compile(
    r"^sts(?:-fips)?\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$"
)
_GLOBAL_STS_HOSTS = ("sts.amazonaws.com", "sts.amazonaws.com.cn")

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


def unset_if_empty(value: str | None) -> str | None:
    """``value``, or ``None`` when it is unset or the empty string (arguments, Terraform
    queries and the environment alike)."""
    return value if value else None


def _explicit_region(session: boto3.Session) -> str | None:
    """The region given to ``boto3.Session(region_name=...)``, if any."""
    core = getattr(session, "_session", None)
    variables = core.instance_variables() if core is not None else {}
    return unset_if_empty(variables.get("region"))


def resolve_region(
    session: boto3.Session,
    region: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The one region of a run.

    Order: ``region`` (the argument; ``--region``, the Terraform ``region`` input), the
    region the session was built with, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the
    profile's ``region``. An empty string is unset everywhere. ``aws-global`` is
    refused (it sends STS to the global endpoint, which has no AssumeRoot: field case
    STS-GLOBAL-ENDPOINT); no region at all is a :class:`UsageError`.
    """
    env = os.environ if environ is None else environ
    chosen = (
        unset_if_empty(region)
        or _explicit_region(session)
        or unset_if_empty(env.get("AWS_REGION"))
        or unset_if_empty(env.get("AWS_DEFAULT_REGION"))
        or unset_if_empty(session.region_name)
    )
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


def sts_endpoint_override(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """``(variable, url)`` of the STS endpoint override in effect, else ``None``.

    ``AWS_ENDPOINT_URL_STS`` wins over ``AWS_ENDPOINT_URL`` (as in the SDKs); an empty
    value is unset.
    """
    env = os.environ if environ is None else environ
    for name in ("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"):
        value = unset_if_empty(env.get(name))
        if value is not None:
            return name, value
    return None


def check_sts_endpoint(region: str, environ: Mapping[str, str] | None = None) -> None:
    """Refuse an STS endpoint override that cannot sign for ``region`` (no AWS call).

    Raises :class:`UsageError` (one line naming both regions) when the override's host
    is an AWS STS host of another region (``sts.eu-west-1.amazonaws.com`` while signing
    for ``us-east-1``), or the global host ``sts.amazonaws.com`` (no AssumeRoot there).
    Other hosts (a local simulator, a VPC endpoint name) are used as given.
    """
    override = sts_endpoint_override(environ)
    if override is None:
        return
    name, url = override
    host = (urlsplit(url if "//" in url else f"https://{url}").hostname or "").lower()
    if host in _GLOBAL_STS_HOSTS:
        raise UsageError(
            f"{name}={url} is the global STS endpoint, which has no AssumeRoot: point it at "
            f"the regional endpoint of {region} (https://sts.{region}.amazonaws.com) or unset it"
        )
    match = _STS_HOST.match(host)
    if match is not None and match.group("region") != region:
        raise UsageError(
            f"{name}={url} names region {match.group('region')} but requests are signed for "
            f"region {region}: make them agree (set --region {match.group('region')} or point "
            f"{name} at https://sts.{region}.amazonaws.com)"
        )


def sts_endpoint_url(region: str) -> str | None:
    """``https://sts.<region>.amazonaws.com`` (``.com.cn`` in China regions), or ``None``
    when ``AWS_ENDPOINT_URL_STS`` / ``AWS_ENDPOINT_URL`` is set (boto3 uses that)."""
    if sts_endpoint_override() is not None:
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
