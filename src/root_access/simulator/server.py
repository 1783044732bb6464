"""The simulator as a local HTTP server that any AWS client can use.

The server process (:func:`serve`, started by ``root-access simulate`` or
``python -m root_access.simulator``) loads the scenario itself, binds 127.0.0.1 only and
serves moto's server application plus control endpoints under ``/_simulator/``:

=============================================  ===============================================
``GET /_simulator/health``                     ``{"status": "ok"}``
``GET /_simulator/calls``                      the call log: ``{"total", "records", "counts"}``
``DELETE /_simulator/calls``                   forget the calls so far
``GET /_simulator/faults``                     the fault settings (scenario form)
``PUT /_simulator/faults``                     replace them (body: scenario form; 400 if invalid)
``POST /_simulator/expire-sessions``           body ``{"account_id": "…" | null}``
``GET /_simulator/root-users/<account_id>``    the root user's state (ids and dates only)
``GET /_simulator/sessions``                   AssumeRoot sessions issued: ``{"sessions":
                                               [{"access_key_id", "account_id", "task"}]}``
``GET /_simulator/issued-secrets``             ``{"secrets": [...]}``: every secret key and
                                               session token AssumeRoot issued (leak tests)
``PUT /_simulator/pipeline-policy``            body ``{"account_id": "…", "document": {…} |
                                               null}``: ``World.set_pipeline_policy``
``POST /_simulator/principals``                body ``{"account_id": "…"}``: the pipeline
                                               user's key in that account (created on first
                                               use; the simulator's fake keys, never
                                               AssumeRoot's)
=============================================  ===============================================

Load: the listen backlog is :data:`LISTEN_BACKLOG` (the kernel caps it at
``net.core.somaxconn``), each connection gets a thread (an idle keep-alive connection costs
only a blocked thread), and at most ``workers`` requests run inside moto at once; up to
``max_waiting`` more wait for a turn. A request beyond that is answered at once with the
service's own throttling error over HTTP (``Throttling`` 400 for IAM/STS,
``TooManyRequestsException`` for Organizations, ``RequestThrottled`` for SQS, ``SlowDown``
503 for S3), as AWS pushes back, never by resetting the connection. Control endpoints
bypass the gate. Injected latency (``latency_ms``) is waited before a request takes its
turn, so it never queues behind other calls: N concurrent calls take one latency, as
against AWS, not N / ``workers`` latencies.

:class:`SimulatorServer` runs that process from Python (tests, Terraform runs) and gives
``.env``, the only thing a client needs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from .calllog import CallLog, CallRecord, install_dispatch_hook
from .faults import FaultInjector, Faults, FaultsError
from .scenario import Scenario

__all__ = [
    "DEFAULT_MAX_WAITING",
    "DEFAULT_WORKERS",
    "ENV_NAMES",
    "LISTEN_BACKLOG",
    "SimulatorServer",
    "SimulatorServerError",
    "serve",
]

ENV_NAMES = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)
"""The environment a client needs, in the order ``root-access simulate`` prints it."""

_CONTROL_PREFIX = "/_simulator/"
_START_TIMEOUT_SECONDS = 120.0

LISTEN_BACKLOG = 4096
"""``listen()`` backlog: connections the kernel holds before the server accepts them."""
DEFAULT_WORKERS = 8
"""Requests served inside moto at once (moto runs them under one interpreter lock anyway;
fewer runnable threads keep the per-call CPU flat as connections grow)."""
DEFAULT_MAX_WAITING = 4096
"""Requests that may wait for a worker before the server answers a throttling error."""
_WORKERS_ENV = "ROOT_ACCESS_SIMULATOR_WORKERS"
_MAX_WAITING_ENV = "ROOT_ACCESS_SIMULATOR_MAX_WAITING"
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/[0-9]{8}/[^/]+/(?P<service>[a-z0-9-]+)/")
_SERVICE_OF_TARGET = {"AWSOrganizationsV20161128": "organizations", "AmazonSQS": "sqs"}


class _Gate:
    """WSGI middleware: at most ``workers`` requests inside ``app``, ``max_waiting`` queued.

    Past that the request is answered with the service's throttling error (see the module
    docstring); the request body is read first so a keep-alive connection stays usable.
    ``throttled`` counts those answers. ``latency`` (the fault injector's
    ``wait_latency``) runs before the request takes a slot, so a call's injected latency
    never holds one: every admitted call waits its latency at once, as against AWS.
    """

    def __init__(
        self,
        app: Any,
        *,
        workers: int,
        max_waiting: int,
        latency: Callable[[], None] = lambda: None,
    ) -> None:
        _check_gate(workers, max_waiting)
        self.app = app
        self.latency = latency
        self.capacity = workers + max_waiting
        self.slots = threading.BoundedSemaphore(workers)
        self.throttled = 0
        self._admitted = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._lock:
            admitted = self._admitted < self.capacity
            if admitted:
                self._admitted += 1
            else:
                self.throttled += 1
        if not admitted:
            return _throttling_response(environ, start_response)
        try:
            self.latency()
            with self.slots:
                # Run the whole response inside the slot: moto builds bodies eagerly.
                return list(self.app(environ, start_response))
        finally:
            with self._lock:
                self._admitted -= 1


def _check_gate(workers: int, max_waiting: int) -> None:
    if workers < 1 or max_waiting < 0:
        raise ValueError(f"workers must be >= 1 and max_waiting >= 0: {workers}, {max_waiting}")


def _service_of(headers: Any) -> str:
    """The signed service of a request (SigV4 credential scope), else its JSON target."""
    match = _CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    if match is not None:
        return match.group("service")
    target = headers.get("X-Amz-Target", "").split(".")[0]
    return _SERVICE_OF_TARGET.get(target, "sts")


def _throttling_response(environ: dict[str, Any], start_response: Any) -> Any:
    from werkzeug.wrappers import Request, Response

    from .calllog import error_response
    from .faults import Rejection, throttling_error_code

    request = Request(environ)
    request.get_data()
    service = _service_of(request.headers)
    code, status = throttling_error_code(service)
    rejection = Rejection(code=code, status=status, message="Rate exceeded")
    status, headers, body = error_response(service, request, rejection)
    response = Response(body, status=status, headers=headers)
    return response(environ, start_response)


class SimulatorServerError(RuntimeError):
    """The server process failed to start or a control request failed."""


class _ControlApp:
    """WSGI app: ``/_simulator/*`` here, everything else to moto's application."""

    def __init__(
        self,
        moto_app: Any,
        calls: CallLog,
        faults: FaultInjector,
        principals: Callable[[str], tuple[str, str]] | None = None,
    ) -> None:
        self.moto_app = moto_app
        self.calls = calls
        self.faults = faults
        self.principals = principals

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(_CONTROL_PREFIX):
            return self.moto_app(environ, start_response)
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        status, payload = self.control(request.method, path[len(_CONTROL_PREFIX) :], request)
        response = Response(json.dumps(payload), status=status, mimetype="application/json")
        return response(environ, start_response)

    def control(self, method: str, path: str, request: Any) -> tuple[int, Any]:
        route = (method, path.rstrip("/"))
        if route == ("GET", "health"):
            return 200, {"status": "ok"}
        if route == ("GET", "calls"):
            return 200, self.calls.to_dict()
        if route == ("DELETE", "calls"):
            self.calls.clear()
            return 200, {"total": 0}
        if route == ("GET", "faults"):
            return 200, self.faults.settings.to_dict()
        if route in (("PUT", "faults"), ("POST", "faults")):
            try:
                self.faults.set(Faults.from_dict(_json_body(request)))
            except (FaultsError, ValueError) as error:
                return 400, {"error": f"faults: {error}"}
            return 200, self.faults.settings.to_dict()
        if route == ("POST", "expire-sessions"):
            body = _json_body(request) or {}
            account_id = body.get("account_id") if isinstance(body, Mapping) else None
            self.faults.expire_sessions(account_id)
            return 200, {"expired": account_id or "all"}
        if route == ("PUT", "pipeline-policy"):
            from .world import World

            body = _json_body(request) or {}
            try:
                World().set_pipeline_policy(body.get("account_id", ""), body.get("document"))
            except (AttributeError, ValueError) as error:
                return 400, {"error": f"pipeline-policy: {error}"}
            return 200, {"account_id": body["account_id"]}
        if route == ("POST", "principals") and self.principals is not None:
            body = _json_body(request) or {}
            account_id = body.get("account_id") if isinstance(body, Mapping) else None
            if not isinstance(account_id, str) or not account_id.isdigit():
                return 400, {"error": 'principals: body must be {"account_id": "<12 digits>"}'}
            key, secret = self.principals(account_id)
            return 200, {"access_key_id": key, "secret_access_key": secret}
        if route == ("GET", "sessions"):
            from .state import sim_state

            issued = [
                {"access_key_id": s.access_key_id, "account_id": s.account_id, "task": s.task_name}
                for s in list(sim_state().sessions.values())
            ]
            return 200, {"sessions": issued}
        if route == ("GET", "issued-secrets"):
            from .state import sim_state

            return 200, {"secrets": list(sim_state().issued_secrets)}
        if method == "GET" and path.startswith("root-users/"):
            from .world import World

            account_id = path[len("root-users/") :].rstrip("/")
            try:
                user = World().root_user(account_id)
            except (KeyError, ValueError) as error:
                return 404, {"error": f"no root user for {account_id!r}: {error}"}
            return 200, dataclasses.asdict(user, dict_factory=_json_dict)
        return 404, {"error": f"no simulator endpoint {method} /_simulator/{path}"}


def _json_body(request: Any) -> Any:
    raw = request.get_data(as_text=True)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON body: {error.msg}") from error


def _json_dict(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in items}


def serve(
    scenario: Scenario,
    *,
    port: int = 0,
    keep_call_records: bool = True,
    on_ready: Callable[[dict[str, str]], None],
    workers: int | None = None,
    max_waiting: int | None = None,
) -> None:
    """Build ``scenario`` into moto and serve it on 127.0.0.1:``port`` until interrupted.

    ``port`` 0 picks a free port. ``on_ready`` receives the client environment (see
    :data:`ENV_NAMES`) once the socket is bound. ``workers`` / ``max_waiting`` bound the
    requests served at once / queued (module docstring); ``None`` takes
    ``$ROOT_ACCESS_SIMULATOR_WORKERS`` / ``$ROOT_ACCESS_SIMULATOR_MAX_WAITING``, else
    :data:`DEFAULT_WORKERS` / :data:`DEFAULT_MAX_WAITING`. Blocks; returns on
    KeyboardInterrupt. Raises OSError when the port is taken (before building anything),
    ValueError for ``workers`` < 1 or ``max_waiting`` < 0.
    """
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from .install import install
    from .simulator import build_world
    from .world import World

    # Bind first, ourselves: fail before building a large world, and without werkzeug's
    # own advice-and-exit on a taken port.
    workers = workers if workers is not None else _env_int(_WORKERS_ENV, DEFAULT_WORKERS)
    if max_waiting is None:
        max_waiting = _env_int(_MAX_WAITING_ENV, DEFAULT_MAX_WAITING)
    _check_gate(workers, max_waiting)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", port))
        listener.listen(LISTEN_BACKLOG)
    except OSError:
        listener.close()
        raise
    bound_port = int(listener.getsockname()[1])
    install()
    hook = install_dispatch_hook()
    world = World()
    principals = build_world(scenario, world)
    calls = CallLog(keep_records=keep_call_records)
    faults = FaultInjector(scenario.faults, latency_in_before_call=False)
    faults.set_expire_hook(world.expire_sessions)
    hook.attach(calls, faults)
    app = _ControlApp(
        _Gate(
            DomainDispatcherApplication(create_backend_app),
            workers=workers,
            max_waiting=max_waiting,
            latency=faults.wait_latency,
        ),
        calls,
        faults,
        principals.get,
    )
    with listener:
        server = make_server(
            "127.0.0.1",
            bound_port,
            app,
            threaded=True,
            request_handler=_quiet(MotoRequestHandler),
            fd=listener.fileno(),
        )
    key, secret = principals.get(scenario.organizations[0].management_account.id)
    on_ready(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{bound_port}",
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_REGION": scenario.region,
            "AWS_DEFAULT_REGION": scenario.region,
        }
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        hook.detach()


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _quiet(base: type) -> type:
    """``base`` without the per-request access log (stderr stays for real problems)."""

    class QuietHandler(base):  # type: ignore[misc]
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            return None

    return QuietHandler


class SimulatorServer:
    """Run the simulator server in a child process for the life of a ``with`` block.

    The scenario is handed to the child as a JSON file and built there, so the server
    serves any process (Terraform, the AWS CLI) that gets :attr:`env`. ``workers`` and
    ``max_waiting`` are :func:`serve`'s (``None``: its defaults). Raises
    SimulatorServerError when the child does not come up (its stderr is in the message).
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        port: int = 0,
        keep_call_records: bool = True,
        python: str = sys.executable,
        workers: int | None = None,
        max_waiting: int | None = None,
    ) -> None:
        self.scenario = scenario if scenario is not None else Scenario.default()
        self.port = port
        self.keep_call_records = keep_call_records
        self.python = python
        self.workers = workers
        self.max_waiting = max_waiting
        self.env: dict[str, str] = {}
        self._process: subprocess.Popen[str] | None = None
        self._directory: str | None = None

    @property
    def pid(self) -> int:
        """The server process id (for CPU accounting in benchmarks); only inside ``with``."""
        if self._process is None:
            raise SimulatorServerError("the simulator server is not running")
        return self._process.pid

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return self.env["AWS_ENDPOINT_URL"]

    def __enter__(self) -> SimulatorServer:
        self._directory = tempfile.mkdtemp(prefix="root-access-simulator-")
        scenario_file = Path(self._directory, "scenario.json")
        scenario_file.write_text(json.dumps(self.scenario.to_dict()), encoding="utf-8")
        stderr_path = Path(self._directory, "server.log")
        command = [
            self.python,
            "-m",
            "root_access.simulator",
            "--port",
            str(self.port),
            "--scenario",
            str(scenario_file),
        ]
        if not self.keep_call_records:
            command.append("--counters-only")
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MOTO_")}
        for name, value in ((_WORKERS_ENV, self.workers), (_MAX_WAITING_ENV, self.max_waiting)):
            if value is not None:
                environment[name] = str(value)
        try:
            with stderr_path.open("w", encoding="utf-8") as stderr:
                self._process = subprocess.Popen(
                    command,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    env=environment,
                )
            self.env = self._read_env(stderr_path)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _read_env(self, stderr_path: Path) -> dict[str, str]:
        process = self._process
        assert process is not None
        assert process.stdout is not None
        env: dict[str, str] = {}
        timer = threading.Timer(_START_TIMEOUT_SECONDS, process.kill)
        timer.start()
        try:
            for line in process.stdout:
                if line.startswith("export "):
                    name, _, value = line[len("export ") :].strip().partition("=")
                    env[name] = shlex.split(value)[0]
                if all(name in env for name in ENV_NAMES):
                    return env
        finally:
            timer.cancel()
        process.wait()
        detail = stderr_path.read_text(encoding="utf-8").strip().splitlines()
        reason = detail[-1] if detail else f"exit code {process.returncode}"
        raise SimulatorServerError(f"the simulator server did not start: {reason}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            f"{self.endpoint_url}{_CONTROL_PREFIX}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our URL
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("error", error.reason)
            raise SimulatorServerError(f"{method} /_simulator/{path}: {detail}") from error

    def calls(self) -> list[CallRecord]:
        """Every AWS call the server answered so far, in order."""
        return [CallRecord(**record) for record in self._request("GET", "calls")["records"]]

    def call_counts(self) -> dict[tuple[str, str, str | None], int]:
        """Calls per (service, action, error_code); kept even with ``keep_call_records`` off."""
        return {
            (c["service"], c["action"], c["error_code"]): c["count"]
            for c in self._request("GET", "calls")["counts"]
        }

    def clear_calls(self) -> None:
        """Forget the calls so far."""
        self._request("DELETE", "calls")

    def set_faults(self, faults: Faults | Mapping[str, Any]) -> None:
        """Replace the fault settings (a ``Faults`` or its scenario form)."""
        body = faults.to_dict() if isinstance(faults, Faults) else dict(faults)
        self._request("PUT", "faults", body)

    def expire_sessions(self, account_id: str | None = None) -> None:
        """Expire the root sessions issued so far (into ``account_id``, or all)."""
        self._request("POST", "expire-sessions", {"account_id": account_id})

    def set_pipeline_policy(self, account_id: str, document: Mapping[str, Any] | None) -> None:
        """``World.set_pipeline_policy`` in the server process."""
        body = {"account_id": account_id, "document": None if document is None else dict(document)}
        self._request("PUT", "pipeline-policy", body)

    def env_for(self, account_id: str) -> dict[str, str]:
        """:attr:`env` for the pipeline IAM user in ``account_id`` (e.g. the delegated
        administrator or another organization's management account)."""
        keys: dict[str, str] = self._request("POST", "principals", {"account_id": account_id})
        return {
            **self.env,
            "AWS_ACCESS_KEY_ID": keys["access_key_id"],
            "AWS_SECRET_ACCESS_KEY": keys["secret_access_key"],
        }

    def sessions(self) -> list[tuple[str, str]]:
        """(account_id, task_name) of every AssumeRoot session issued so far, in order."""
        return [
            (item["account_id"], item["task"])
            for item in self._request("GET", "sessions")["sessions"]
        ]

    def issued_secrets(self) -> list[str]:
        """Every secret access key and session token AssumeRoot issued so far: for tests
        that scan outputs for leaks. Never print them."""
        secrets: list[str] = self._request("GET", "issued-secrets")["secrets"]
        return secrets

    def root_user(self, account_id: str) -> dict[str, Any]:
        """The root user's state of ``account_id`` as JSON (``World.root_user`` fields)."""
        result: dict[str, Any] = self._request("GET", f"root-users/{account_id}")
        return result
