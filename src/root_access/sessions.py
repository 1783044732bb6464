"""Root sessions: ``sts:AssumeRoot`` into one member account for one task.

One short session per account and task (at most 900 seconds); the credentials live
only in the returned ``boto3.Session`` in memory: never logged, printed, written or
passed to a child process. Source: STS API Reference ``API_AssumeRoot.html``; IAM
User Guide ``id_root-user-privileged-task.html``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import boto3
import botocore.session
from botocore.config import Config
from botocore.configprovider import ConstantProvider
from botocore.exceptions import ClientError

from root_access import rules
from root_access.clients import client_config, sts_client
from root_access.errors import UsageError, has_code

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sts import STSClient

__all__ = [
    "DEFAULT_DURATION_SECONDS",
    "MAX_DURATION_SECONDS",
    "ClientPool",
    "RootSession",
    "assume_root",
    "validate_duration",
]

_log = logging.getLogger(__name__)

DEFAULT_DURATION_SECONDS = rules.DURATION_SECONDS.default
MAX_DURATION_SECONDS = rules.DURATION_SECONDS.maximum

T = TypeVar("T")


def validate_duration(duration_seconds: int) -> int:
    """Return ``duration_seconds`` if it is an int in 1..900, else raise :class:`UsageError`.

    The service rejects values above 900 while botocore only checks the minimum
    (field case STS-DURATION).
    """
    if not rules.DURATION_SECONDS.contains(duration_seconds):
        raise UsageError(
            f"duration {duration_seconds!r} is out of range: AssumeRoot sessions last "
            f"{rules.DURATION_SECONDS.span} seconds (default {DEFAULT_DURATION_SECONDS})"
        )
    return duration_seconds


def _assume(
    sts: STSClient, *, TargetPrincipal: str, TaskPolicyArn: str, DurationSeconds: int
) -> tuple[str, str, str]:
    response = sts.assume_root(
        TargetPrincipal=TargetPrincipal,
        TaskPolicyArn={"arn": TaskPolicyArn},
        DurationSeconds=DurationSeconds,
    )
    credentials = response["Credentials"]
    return (
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )


def assume_root(
    session: boto3.Session,
    *,
    TargetPrincipal: str,
    TaskPolicyArn: str,
    DurationSeconds: int = DEFAULT_DURATION_SECONDS,
    region: str,
    client: STSClient | None = None,
) -> boto3.Session:
    """Call ``sts:AssumeRoot`` on the regional endpoint and return the root session.

    - ``TargetPrincipal``: the member account id (12 digits) or its root ARN.
    - ``TaskPolicyArn``: one of the five ``arn:<partition>:iam::aws:policy/root-task/…``.
    - ``DurationSeconds``: 1..900 (validated before any call; :class:`UsageError`).
    - ``client``: a regional STS client to reuse (thread-safe), else one is built.

    Returns a ``boto3.Session`` holding the temporary credentials for ``region``.
    Raises ``botocore.exceptions.ClientError`` as AWS answers (map it with
    :func:`root_access.errors.outcome_for`; ``InvalidAction`` means the call reached
    the global endpoint).
    """
    validate_duration(DurationSeconds)
    sts = client if client is not None else sts_client(session, region)
    key, secret, token = _assume(
        sts,
        TargetPrincipal=TargetPrincipal,
        TaskPolicyArn=TaskPolicyArn,
        DurationSeconds=DurationSeconds,
    )
    return _root_session(key, secret, token, region)


def _root_session(key: str, secret: str, token: str, region: str) -> boto3.Session:
    """A ``boto3.Session`` signing with root-session credentials, with no profile (an
    empty ``AWS_PROFILE`` in the environment is not read as a profile named "")."""
    core = botocore.session.Session()
    core.get_component("config_store").set_config_provider("profile", ConstantProvider(None))
    return boto3.Session(
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=region,
        botocore_session=core,
    )


class ClientPool:
    """Clients for root sessions, built once per worker thread and re-signed per session.

    Building a boto3 session and its clients costs hundreds of milliseconds of CPU
    (service models, client classes); across 10,000 accounts that dominates a sweep.
    Each worker thread instead keeps one botocore session whose ``Credentials`` object
    takes the credentials of the root session it is working for just before each
    call; the clients are built once per thread with the shared ``config`` (retries).
    A thread works on one account at a time, so credentials never cross accounts.
    Credentials stay in memory only.
    """

    def __init__(self, caller: boto3.Session, config: Config) -> None:
        self._config = config
        self._loader = caller._session.get_component("data_loader")
        profile = caller.profile_name
        self._profile = profile if profile in caller.available_profiles else None
        self._local = threading.local()

    def __repr__(self) -> str:
        return "ClientPool()"

    def client(self, service: str, region: str, credentials: tuple[str, str, str]) -> Any:
        """The calling thread's ``service`` client for ``region``, signing with
        ``credentials`` (access key id, secret access key, session token)."""
        local = self._local
        if not hasattr(local, "session"):
            session = botocore.session.Session(profile=self._profile)
            # The caller's profile, resolved once (open_session): an empty AWS_PROFILE in
            # the environment must not be read again as a profile named "".
            session.get_component("config_store").set_config_provider(
                "profile", ConstantProvider(self._profile)
            )
            session.register_component("data_loader", self._loader)
            session.set_credentials("", "", "")
            local.session = session
            local.credentials = session.get_credentials()
            local.clients = {}
        signing = local.credentials
        signing.access_key, signing.secret_key, signing.token = credentials
        key = (service, region)
        if key not in local.clients:
            local.clients[key] = local.session.create_client(
                service, region_name=region, config=self._config
            )
        return local.clients[key]


class RootSession:
    """A lazily assumed root session for one account and one task, re-assumed once.

    ``run(step)`` calls ``step(self)``; when the step fails with ``ExpiredToken`` the
    session is assumed again and the (idempotent) step retried once (field case
    STS-SESSION-EXPIRY). ``client(service)`` returns a client with retries signing with
    the current credentials (from ``pool`` when given). Not thread-safe: one per
    account, used by one worker.
    """

    def __init__(
        self,
        caller: boto3.Session,
        *,
        TargetPrincipal: str,
        TaskPolicyArn: str,
        DurationSeconds: int = DEFAULT_DURATION_SECONDS,
        region: str,
        sts: STSClient | None = None,
        config: Config | None = None,
        pool: ClientPool | None = None,
    ) -> None:
        self._caller = caller
        self.target_principal = TargetPrincipal
        self.task_policy_arn = TaskPolicyArn
        self.duration_seconds = validate_duration(DurationSeconds)
        self.region = region
        self._sts = sts
        self._config = config or client_config()
        self._pool = pool
        self._credentials: tuple[str, str, str] | None = None
        self._clients: dict[tuple[str, str], Any] = {}
        self.assumed = 0

    def __repr__(self) -> str:
        return (
            f"RootSession(TargetPrincipal={self.target_principal!r}, "
            f"TaskPolicyArn={self.task_policy_arn!r})"
        )

    def _assume(self) -> tuple[str, str, str]:
        self._clients.clear()
        if self._sts is None:
            self._sts = sts_client(self._caller, self.region, self._config)
        self._credentials = _assume(
            self._sts,
            TargetPrincipal=self.target_principal,
            TaskPolicyArn=self.task_policy_arn,
            DurationSeconds=self.duration_seconds,
        )
        self.assumed += 1
        return self._credentials

    @property
    def session(self) -> boto3.Session:
        """A ``boto3.Session`` of the root session (assumed on first use)."""
        key, secret, token = self._credentials or self._assume()
        return _root_session(key, secret, token, self.region)

    @overload
    def client(self, service: Literal["iam"], region: str | None = None) -> IAMClient: ...
    @overload
    def client(self, service: Literal["s3"], region: str | None = None) -> S3Client: ...
    @overload
    def client(self, service: Literal["sqs"], region: str | None = None) -> SQSClient: ...
    @overload
    def client(self, service: str, region: str | None = None) -> Any: ...

    def client(self, service: str, region: str | None = None) -> Any:
        """A client of ``service`` with retries for the root session (assumed on first use);
        typed for ``iam``, ``s3`` and ``sqs`` (boto3-stubs)."""
        credentials = self._credentials or self._assume()
        where = region or self.region
        if self._pool is not None:
            return self._pool.client(service, where, credentials)
        key = (service, where)
        if key not in self._clients:
            self._clients[key] = self.session.client(  # type: ignore[call-overload]
                service, region_name=where, config=self._config
            )
        return self._clients[key]

    def run(self, step: Callable[[RootSession], T]) -> T:
        """Run ``step(self)``; on ``ExpiredToken`` assume again and retry it once."""
        try:
            return step(self)
        except ClientError as error:
            if not has_code(error, "ExpiredToken", "ExpiredTokenException"):
                raise
            _log.info(
                "root session for %s (%s) expired: assuming again and retrying the step once",
                self.target_principal,
                self.task_policy_arn,
            )
        self._assume()
        return step(self)
