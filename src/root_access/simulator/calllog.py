"""The call log and the one dispatch point every simulated AWS call passes.

:func:`install_dispatch_hook` wraps the request handlers moto registers for the
services the simulator models (IAM, STS, Organizations, S3, SQS) in each service's
``moto.<service>.urls.url_paths`` table. moto reads that one table both in process
(``mock_aws``: ``backend.urls``) and in its server (``backend.flask_paths``), so the
same wrapper sees every call in both modes. For each call it asks the attached
:class:`~root_access.simulator.faults.FaultInjector` whether to delay or reject it,
runs moto's handler, and appends a :class:`CallRecord` to the attached :class:`CallLog`.

A record holds the service, the action, the calling account and the error code (None on
success), never a credential.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from werkzeug.exceptions import HTTPException

from .faults import FaultInjector, Rejection

__all__ = [
    "SERVICES",
    "CallLog",
    "CallRecord",
    "DispatchHook",
    "error_response",
    "install_dispatch_hook",
]

SERVICES = ("iam", "sts", "organizations", "s3", "sqs")
"""The moto services whose calls pass the dispatch hook."""

_ACCESS_KEY = re.compile(r"Credential=(?P<key>[A-Z0-9]{16,128})/")
_XML_CODE = re.compile(rb"<Code>([^<]+)</Code>")
_JSON_TYPE = re.compile(rb'"__type"\s*:\s*"([^"]+)"')
_MARK = "_root_access_dispatch_hook"
_QUERY_NAMESPACES = {
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
    "sqs": "http://queue.amazonaws.com/doc/2012-11-05/",
}

Handler = Callable[[Any, str, Any], Any]


class CallRecord(NamedTuple):
    """One AWS call: ``error_code`` is None when it succeeded."""

    service: str
    action: str
    account_id: str
    error_code: str | None

    def to_dict(self) -> dict[str, str | None]:
        """``{"service", "action", "account_id", "error_code"}``."""
        return self._asdict()


class CallLog:
    """A thread-safe log of calls.

    With ``keep_records`` (the default) every :class:`CallRecord` is kept in order;
    without it only the counters are kept, so memory stays flat on long runs.
    ``counts`` always holds the number of calls per (service, action, error_code).
    """

    def __init__(self, *, keep_records: bool = True) -> None:
        self.keep_records = keep_records
        self._lock = threading.Lock()
        self._records: list[CallRecord] = []
        self._counts: Counter[tuple[str, str, str | None]] = Counter()

    def append(self, record: CallRecord) -> None:
        """Record one call."""
        with self._lock:
            self._counts[(record.service, record.action, record.error_code)] += 1
            if self.keep_records:
                self._records.append(record)

    def clear(self) -> None:
        """Forget every call so far."""
        with self._lock:
            self._records.clear()
            self._counts.clear()

    @property
    def records(self) -> list[CallRecord]:
        """A copy of the records (empty when ``keep_records`` is off)."""
        with self._lock:
            return list(self._records)

    @property
    def counts(self) -> Counter[tuple[str, str, str | None]]:
        """A copy of the counters per (service, action, error_code)."""
        with self._lock:
            return Counter(self._counts)

    @property
    def total(self) -> int:
        """How many calls were made."""
        with self._lock:
            return sum(self._counts.values())

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[CallRecord]:
        return iter(self.records)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form served at ``/_simulator/calls``: records and counters."""
        return {
            "total": self.total,
            "records": [r.to_dict() for r in self.records],
            "counts": [
                {"service": s, "action": a, "error_code": e, "count": n}
                for (s, a, e), n in sorted(
                    self.counts.items(), key=lambda i: (i[0][0], i[0][1], i[0][2] or "")
                )
            ],
        }


@dataclass(slots=True)
class _Target:
    calls: CallLog
    faults: FaultInjector | None


class DispatchHook:
    """The state behind the wrapped handlers: what the calls are logged to now.

    ``attach`` a call log (and a fault injector) while a simulator runs; with nothing
    attached the wrapped handlers only call moto's.
    """

    def __init__(self) -> None:
        self._target: _Target | None = None

    def attach(self, calls: CallLog, faults: FaultInjector | None = None) -> None:
        """Log calls to ``calls`` and apply ``faults`` from now on."""
        self._target = _Target(calls, faults)

    @property
    def attached(self) -> bool:
        """True while a simulator logs calls through this hook."""
        return self._target is not None

    def detach(self) -> None:
        """Stop logging and injecting."""
        self._target = None

    def wrap_table(self, service: str, url_paths: dict[str, Handler]) -> None:
        """Wrap every handler of a moto ``url_paths`` table in place (once)."""
        for path, handler in list(url_paths.items()):
            if getattr(handler, _MARK, None) is not self:
                url_paths[path] = self.wrap(service, handler)

    def wrap(self, service: str, handler: Handler) -> Handler:
        """The handler moto calls instead of ``handler`` for ``service``."""

        def dispatch(request: Any, full_url: str, headers: Any) -> Any:
            target = self._target
            if target is None:
                return handler(request, full_url, headers)
            action = _action(service, request)
            access_key = _access_key(request)
            account_id = _account_id(access_key)
            if target.faults is not None:
                rejection = target.faults.before_call(service, action, account_id, access_key)
                if rejection is not None:
                    target.calls.append(CallRecord(service, action, account_id, rejection.code))
                    return error_response(service, request, rejection)
            code: str | None = "InternalFailure"  # what a crash of moto's handler answers
            try:
                result = handler(request, full_url, headers)
                code = _error_code(result)
            except HTTPException as error:
                code = str(getattr(error, "error_type", None) or error.code)
                raise
            finally:
                target.calls.append(CallRecord(service, action, account_id, code))
            return result

        setattr(dispatch, _MARK, self)
        # moto's server names its Flask endpoints after handler.__self__ (the Response class).
        dispatch.__self__ = getattr(handler, "__self__", None)  # type: ignore[attr-defined]
        return dispatch


def install_dispatch_hook() -> DispatchHook:
    """Wrap the handlers of :data:`SERVICES` once (idempotent) and return the hook.

    The hook lives on the wrapped handlers in moto's own tables, so every caller in
    the process gets the same one. moto reloads ``moto.s3.urls`` whenever it reads S3's
    table, so S3's table is wrapped again after each reload.
    """
    import importlib

    modules = {service: importlib.import_module(f"moto.{service}.urls") for service in SERVICES}
    for handler in modules["iam"].url_paths.values():
        existing = getattr(handler, _MARK, None)
        if isinstance(existing, DispatchHook):
            return existing
    hook = DispatchHook()
    for service, module in modules.items():
        hook.wrap_table(service, module.url_paths)
    _rewrap_s3_on_reload(hook)
    return hook


def _rewrap_s3_on_reload(hook: DispatchHook) -> None:
    from moto.s3.models import S3Backend

    reload_module: Any = S3Backend._url_module

    def url_module(backend: Any) -> Any:
        module = reload_module.fget(backend)
        hook.wrap_table("s3", module.url_paths)
        return module

    S3Backend._url_module = property(url_module)  # type: ignore[method-assign, assignment]


def _access_key(request: Any) -> str | None:
    match = _ACCESS_KEY.search(request.headers.get("Authorization", ""))
    if match is not None:
        return match.group("key")
    key = request.args.get("X-Amz-Credential", "") or request.args.get("AWSAccessKeyId", "")
    return str(key).split("/", 1)[0] or None


def _account_id(access_key: str | None) -> str:
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(access_key or ""))


def _action(service: str, request: Any) -> str:
    target = request.headers.get("X-Amz-Target")
    if target:
        return str(target).rsplit(".", 1)[-1]
    action = request.args.get("Action") or request.form.get("Action")
    if action:
        return str(action)
    from moto.core.routing import get_service_router
    from werkzeug.exceptions import NotFound

    try:
        operation, _ = get_service_router(service).match(request)
    except (NotFound, NotImplementedError):
        return f"{request.method} {request.path}"
    return str(operation.name)


def _error_code(result: Any) -> str | None:
    if not isinstance(result, tuple) or len(result) != 3:
        return None
    status, headers, body = result
    if int(status) < 400:
        return None
    query_error = (headers or {}).get("x-amzn-query-error")
    if query_error:
        return str(query_error).split(";", 1)[0]
    raw = body.encode() if isinstance(body, str) else body if isinstance(body, bytes) else b""
    match = _XML_CODE.search(raw) or _JSON_TYPE.search(raw)
    if match is not None:
        return match.group(1).decode().rsplit("#", 1)[-1]
    return f"HTTP{int(status)}"


def error_response(
    service: str, request: Any, rejection: Rejection
) -> tuple[int, dict[str, str], str]:
    """An AWS-shaped error response for ``rejection`` in the protocol of ``request``.

    JSON protocols (Organizations, SQS JSON) get ``{"__type", "message"}`` (SQS also
    the ``x-amzn-query-error`` header), S3 a REST-XML ``<Error>``, query protocols
    (IAM, STS, SQS query) an ``<ErrorResponse>``.
    """
    code = rejection.code
    json_protocol = bool(request.headers.get("X-Amz-Target")) or "json" in request.headers.get(
        "Content-Type", ""
    )
    if json_protocol:
        if code == "ExpiredToken":
            code = "ExpiredTokenException"
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": code}
        if service == "sqs":
            headers["x-amzn-query-error"] = f"{rejection.code};Sender"
        body = json.dumps(
            {"__type": code, "message": rejection.message, "Message": rejection.message}
        )
        return rejection.status, headers, body
    kind = "Receiver" if rejection.status >= 500 else "Sender"
    if service == "s3":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{rejection.message}</Message>"
            "<RequestId>simulator</RequestId></Error>"
        )
    else:
        namespace = _QUERY_NAMESPACES.get(service, "")
        body = (
            f'<ErrorResponse xmlns="{namespace}"><Error><Type>{kind}</Type>'
            f"<Code>{code}</Code><Message>{rejection.message}</Message></Error>"
            "<RequestId>simulator</RequestId></ErrorResponse>"
        )
    return rejection.status, {"Content-Type": "text/xml"}, body
