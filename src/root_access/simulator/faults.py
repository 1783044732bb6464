"""Faults the simulator injects into AWS calls: latency, throttling, 5xx bursts, session expiry.

Settings (:class:`Faults`) come from a scenario's ``faults`` section or are set at run
time (``Simulator.faults.set(...)``, ``SimulatorServer.set_faults(...)``, or
``POST /_simulator/faults`` on a server). :class:`FaultInjector` applies them to each
call at the single dispatch point installed by :mod:`root_access.simulator.calllog`,
in process and in the server alike.

Error codes are AWS's (reference §3, field case THROTTLING): ``Throttling`` (HTTP 400)
for STS and IAM, ``TooManyRequestsException`` (400) for Organizations,
``RequestThrottled`` (400) for SQS and ``SlowDown`` (503) for S3; 5xx bursts answer
``InternalFailure`` (500) or ``ServiceUnavailable`` (503); an expired session answers
``ExpiredToken`` with each service's status and message (``awserrors.expired_token``).
"""

from __future__ import annotations

import fnmatch
import random
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .awserrors import expired_token

__all__ = [
    "ErrorBurst",
    "FaultInjector",
    "Faults",
    "FaultsError",
    "Rejection",
    "Throttle",
    "throttling_error_code",
]

_BURST_CODES = {500: "InternalFailure", 503: "ServiceUnavailable"}


class FaultsError(ValueError):
    """A malformed fault setting; ``path`` names the field (``throttle[0].rate``)."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True, slots=True)
class Throttle:
    """A requests-per-second quota on the calls matching ``api``.

    ``api`` is ``service:Action`` with shell wildcards (``sts:AssumeRoot``,
    ``organizations:List*``, ``iam:*``). ``rate`` is in requests per second, ``burst``
    the bucket size (default: ``max(1, rate)``). With ``per_account`` each calling
    account has its own bucket, else one bucket serves all accounts.
    """

    api: str
    rate: float
    burst: float | None = None
    per_account: bool = True

    @property
    def capacity(self) -> float:
        """The token-bucket size: ``burst`` or ``max(1, rate)``."""
        return self.burst if self.burst is not None else max(1.0, self.rate)


@dataclass(frozen=True, slots=True)
class ErrorBurst:
    """The next ``count`` calls matching ``api`` (optionally only from ``account_id``) fail.

    ``status`` is 500 (``InternalFailure``) or 503 (``ServiceUnavailable``).
    """

    api: str
    count: int
    status: int = 503
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Faults:
    """Fault settings. The default injects nothing.

    ``latency_ms`` is added to every call, varied by ``±jitter`` (a fraction, 0..1);
    ``session_expiry_after_calls`` makes each session credential (``ASIA…`` access key)
    answer ``ExpiredToken`` after that many calls.
    """

    latency_ms: float = 0.0
    jitter: float = 0.0
    throttle: tuple[Throttle, ...] = ()
    errors: tuple[ErrorBurst, ...] = ()
    session_expiry_after_calls: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Faults:
        """Read the scenario form (see docs/simulator.md); raises FaultsError."""
        allowed = ("latency_ms", "jitter", "throttle", "errors", "session_expiry")
        if not isinstance(data, Mapping):
            raise FaultsError("", "expected a mapping")
        for key in data:
            if key not in allowed:
                raise FaultsError(
                    str(key), f"unknown field (expected one of: {', '.join(allowed)})"
                )
        latency = _number(data.get("latency_ms", 0), "latency_ms", minimum=0)
        jitter = _number(data.get("jitter", 0), "jitter", minimum=0)
        if jitter > 1:
            raise FaultsError("jitter", f"{jitter} is above 1 (a fraction of latency_ms)")
        throttles = tuple(
            _throttle(item, f"throttle[{i}]")
            for i, item in enumerate(_list(data.get("throttle"), "throttle"))
        )
        bursts = tuple(
            _burst(item, f"errors[{i}]")
            for i, item in enumerate(_list(data.get("errors"), "errors"))
        )
        expiry: int | None = None
        if data.get("session_expiry") is not None:
            section = data["session_expiry"]
            if not isinstance(section, Mapping) or set(section) - {"after_calls"}:
                raise FaultsError("session_expiry", "expected a mapping with after_calls")
            expiry = int(
                _number(section.get("after_calls"), "session_expiry.after_calls", minimum=1)
            )
        return cls(
            latency_ms=latency,
            jitter=jitter,
            throttle=throttles,
            errors=bursts,
            session_expiry_after_calls=expiry,
        )

    def to_dict(self) -> dict[str, Any]:
        """The scenario form; ``Faults.from_dict(f.to_dict()) == f``."""
        data: dict[str, Any] = {
            "latency_ms": self.latency_ms,
            "jitter": self.jitter,
            "throttle": [
                {"api": t.api, "rate": t.rate, "burst": t.burst, "per_account": t.per_account}
                for t in self.throttle
            ],
            "errors": [
                {"api": b.api, "count": b.count, "status": b.status, "account_id": b.account_id}
                for b in self.errors
            ],
        }
        if self.session_expiry_after_calls is not None:
            data["session_expiry"] = {"after_calls": self.session_expiry_after_calls}
        return data


def _list(value: Any, path: str) -> Sequence[Any]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise FaultsError(path, "expected a list")
    return value


def _number(value: Any, path: str, *, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FaultsError(path, f"expected a number, got {value!r}")
    if value < minimum:
        raise FaultsError(path, f"{value} is below {minimum:g}")
    return float(value)


def _api(value: Any, path: str) -> str:
    if not isinstance(value, str) or value.count(":") != 1 or not all(value.split(":")):
        raise FaultsError(path, f"{value!r} is not an API like sts:AssumeRoot or iam:*")
    return value


def _throttle(item: Any, path: str) -> Throttle:
    if not isinstance(item, Mapping):
        raise FaultsError(path, "expected a mapping")
    unknown = set(item) - {"api", "rate", "burst", "per_account"}
    if unknown:
        raise FaultsError(f"{path}.{sorted(unknown)[0]}", "unknown field")
    rate = _number(item.get("rate"), f"{path}.rate", minimum=0)
    burst = item.get("burst")
    per_account = item.get("per_account", True)
    if not isinstance(per_account, bool):
        raise FaultsError(f"{path}.per_account", "expected true or false")
    return Throttle(
        api=_api(item.get("api"), f"{path}.api"),
        rate=rate,
        burst=None if burst is None else _number(burst, f"{path}.burst", minimum=0),
        per_account=per_account,
    )


def _burst(item: Any, path: str) -> ErrorBurst:
    if not isinstance(item, Mapping):
        raise FaultsError(path, "expected a mapping")
    unknown = set(item) - {"api", "count", "status", "account_id"}
    if unknown:
        raise FaultsError(f"{path}.{sorted(unknown)[0]}", "unknown field")
    status = item.get("status", 503)
    if status not in _BURST_CODES:
        raise FaultsError(f"{path}.status", f"{status!r} is not one of 500, 503")
    account_id = item.get("account_id")
    if account_id is not None and (not isinstance(account_id, str) or len(account_id) != 12):
        raise FaultsError(f"{path}.account_id", f"{account_id!r} is not a 12-digit account id")
    return ErrorBurst(
        api=_api(item.get("api"), f"{path}.api"),
        count=int(_number(item.get("count"), f"{path}.count", minimum=1)),
        status=int(status),
        account_id=account_id,
    )


def throttling_error_code(service: str) -> tuple[str, int]:
    """AWS's throttling error code and HTTP status for a service (``iam``, ``sts``, ...)."""
    if service == "organizations":
        return "TooManyRequestsException", 400
    if service == "sqs":
        return "RequestThrottled", 400
    if service == "s3":
        return "SlowDown", 503
    return "Throttling", 400


@dataclass(frozen=True, slots=True)
class Rejection:
    """The error the injector answers instead of the call: code, HTTP status, message."""

    code: str
    status: int
    message: str


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


@dataclass(slots=True)
class _State:
    faults: Faults
    bursts_left: list[int] = field(default_factory=list)
    buckets: dict[tuple[int, str], _Bucket] = field(default_factory=dict)
    session_calls: dict[str, int] = field(default_factory=dict)


class FaultInjector:
    """Applies :class:`Faults` to calls; thread-safe; one per simulator.

    ``clock`` (seconds, monotonic) and ``sleep`` are injectable; ``seed`` fixes the jitter.
    ``latency_in_before_call=False`` leaves the latency to :meth:`wait_latency`, which the
    HTTP server calls before a request takes one of its few moto slots: AWS's latency is
    network and service time, paid by every call at once, never queued behind other calls.
    """

    def __init__(
        self,
        faults: Faults | None = None,
        *,
        seed: int | None = None,
        clock: Any = time.monotonic,
        sleep: Any = time.sleep,
        latency_in_before_call: bool = True,
    ) -> None:
        self._latency_in_before_call = latency_in_before_call
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._clock = clock
        self._sleep = sleep
        self._state = _State(faults=Faults())
        self._expire_hook: Any = None
        self.set(faults or Faults())

    @property
    def settings(self) -> Faults:
        """The current settings."""
        return self._state.faults

    def set(self, faults: Faults) -> None:
        """Replace the settings; resets token buckets, burst counters and session counts."""
        with self._lock:
            self._state = _State(faults=faults, bursts_left=[b.count for b in faults.errors])

    def update(self, **changes: Any) -> None:
        """Change some settings (``latency_ms=50``, ``throttle=(Throttle(...),)``, ...)."""
        self.set(replace(self.settings, **changes))

    def clear(self) -> None:
        """Inject nothing from now on."""
        self.set(Faults())

    def fail_next(
        self, api: str, count: int, *, status: int = 503, account_id: str | None = None
    ) -> None:
        """Add a 5xx burst: the next ``count`` calls to ``api`` fail with ``status``."""
        self.update(errors=(*self.settings.errors, ErrorBurst(api, count, status, account_id)))

    def wait_latency(self) -> None:
        """Sleep one call's latency: ``latency_ms`` varied by ``±jitter`` (nothing at 0)."""
        faults = self._state.faults
        if faults.latency_ms > 0:
            spread = self._random.uniform(-faults.jitter, faults.jitter) if faults.jitter else 0.0
            self._sleep(faults.latency_ms * (1.0 + spread) / 1000.0)

    def set_expire_hook(self, hook: Any) -> None:
        """The callable ``expire_sessions`` delegates to (``World.expire_sessions``)."""
        self._expire_hook = hook

    def expire_sessions(self, account_id: str | None = None) -> None:
        """Expire every root session issued so far (of one account, or all): calls made
        with them answer ``ExpiredToken``; sessions assumed later work."""
        if self._expire_hook is None:
            raise RuntimeError("session expiry needs a running simulator")
        self._expire_hook(account_id)

    def before_call(
        self, service: str, action: str, account_id: str, access_key: str | None
    ) -> Rejection | None:
        """Apply latency (unless :meth:`wait_latency` does), then return the rejection for
        this call, or None to let it pass."""
        faults = self._state.faults
        if self._latency_in_before_call:
            self.wait_latency()
        if not (faults.throttle or faults.errors or faults.session_expiry_after_calls):
            return None
        api = f"{service}:{action}"
        with self._lock:
            state = self._state
            if (
                faults.session_expiry_after_calls is not None
                and access_key is not None
                and access_key.startswith("ASIA")
            ):
                used = state.session_calls.get(access_key, 0) + 1
                state.session_calls[access_key] = used
                if used > faults.session_expiry_after_calls:
                    expired = expired_token(service)
                    return Rejection("ExpiredToken", expired.status, expired.message)
            for index, burst in enumerate(faults.errors):
                if state.bursts_left[index] <= 0 or not fnmatch.fnmatchcase(api, burst.api):
                    continue
                if burst.account_id is not None and burst.account_id != account_id:
                    continue
                state.bursts_left[index] -= 1
                code = _BURST_CODES[burst.status]
                return Rejection(
                    code, burst.status, "We encountered an internal error. Please try again."
                )
            now = self._clock()
            for index, throttle in enumerate(faults.throttle):
                if not fnmatch.fnmatchcase(api, throttle.api):
                    continue
                key = (index, account_id if throttle.per_account else "*")
                bucket = state.buckets.get(key)
                if bucket is None:
                    bucket = state.buckets[key] = _Bucket(throttle.capacity, now)
                bucket.tokens = min(
                    throttle.capacity, bucket.tokens + (now - bucket.updated) * throttle.rate
                )
                bucket.updated = now
                if bucket.tokens < 1.0:
                    code, status = throttling_error_code(service)
                    return Rejection(code, status, "Rate exceeded")
                bucket.tokens -= 1.0
        return None
