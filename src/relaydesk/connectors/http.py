"""Outbound HTTP for every connector: one client factory, one integration log, one error map.

``make_client(base_url, auth, timeout, system=..., log=...)`` returns an ``httpx.AsyncClient``
whose transport is wrapped by ``IntegrationTransport``. That wrapper

- writes every call to the integration log (time, system, method, path, status, latency, error,
  request and response bodies truncated, secrets redacted; never the headers), and
- turns failures into the tree of ``relaydesk.connectors.errors``: a connect error, a timeout or
  a 5xx becomes ``TransportFailed``; 429 becomes ``RateLimited`` (``retry_after`` read from the
  ``Retry-After`` header); 404 on DELETE becomes ``AlreadyGone``; any other 4xx becomes
  ``RemoteRejected(status_code, body)``. A 2xx/3xx response is returned untouched.

After a 429 the transport holds every further call to that system (same ``system`` and
origin) until the ``Retry-After`` moment, raising ``CallsPaused`` without sending them; the
429's and the held calls' ``retry_after`` is the time left plus a small random jitter (see
``relaydesk.connectors.pauses``). ``raise_errors=False`` does not change that: a held call has
no response to return.

The client itself never retries: retries belong to the durable job worker, which reads
``retry_after`` and ``permanent`` from the exception. Tests swap the inner transport
(``httpx.ASGITransport``, ``httpx.MockTransport``) through ``transport=``.

The log sink is ``IntegrationLog``: ``DatabaseIntegrationLog`` queues entries and writes them
from its own thread, so an HTTP call never waits on (or deadlocks with) a database writer.
``integration_log_context(job_id=...)`` tags the calls made inside it with the job's id.
"""

from __future__ import annotations

import contextlib
import contextvars
import email.utils
import json
import logging
import queue
import re
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from relaydesk.connectors.errors import (
    AlreadyGone,
    CallsPaused,
    ConnectorError,
    RateLimited,
    RemoteRejected,
    TransportFailed,
)
from relaydesk.connectors.pauses import RemotePauses, remote_pauses
from relaydesk.logging import redact

if TYPE_CHECKING:
    from relaydesk.db.engine import Database

log = logging.getLogger(__name__)

BODY_LIMIT = 2000
"""Characters of a request or response body kept in the integration log."""

_SECRET_FIELDS = {"api_key", "apikey", "token", "password", "secret", "authorization", "auth"}
_CREDENTIAL_VALUE = re.compile(r"(?i)\b(bearer|basic|token token=)\s*[A-Za-z0-9._~+/=-]+")
_current_job_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "relaydesk_integration_job_id", default=None
)


# --- auth -----------------------------------------------------------------------------------


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` (Freshchat)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class TokenAuth(httpx.Auth):
    """``Authorization: Token token=<key>`` (Freshworks CRM)."""

    def __init__(self, token: str) -> None:
        self._header = f"Token token={token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def basic_key_auth(api_key: str) -> httpx.BasicAuth:
    """Return HTTP Basic auth with the API key as user name and ``X`` as password (Freshdesk)."""
    return httpx.BasicAuth(api_key, "X")


# --- the integration log --------------------------------------------------------------------


@dataclass
class LogEntry:
    """One remote call as the integration log keeps it."""

    system: str
    method: str
    path: str
    status: int | None
    latency_ms: float
    error: str | None = None
    request_body: str | None = None
    response_body: str | None = None
    job_id: int | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class IntegrationLog(Protocol):
    """Where ``IntegrationTransport`` writes its entries."""

    def record(self, entry: LogEntry) -> None:
        """Keep one entry; must not block on the database."""


class NullIntegrationLog:
    """Drop every entry (tools that must not write, such as a dry-run check)."""

    def record(self, entry: LogEntry) -> None:
        """Forget entry."""


class MemoryIntegrationLog:
    """Keep entries in a list (the CLI's check before a connection exists; tests)."""

    def __init__(self) -> None:
        self.entries: list[LogEntry] = []

    def record(self, entry: LogEntry) -> None:
        """Append entry."""
        self.entries.append(entry)


class DatabaseIntegrationLog:
    """Write entries to the ``integration_log`` table from a background thread, in batches."""

    def __init__(self, db: Database, *, max_queued: int = 10_000) -> None:
        self._db = db
        self._queue: queue.Queue[LogEntry | None] = queue.Queue(maxsize=max_queued)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    def record(self, entry: LogEntry) -> None:
        """Queue entry for writing; drop it (with a warning) when the queue is full."""
        if self._closed:
            self._write([entry])
            return
        self._ensure_thread()
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            log.warning("integration log queue full; entry dropped", extra={"path": entry.path})

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued entry is written; return False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued and stop the thread; later entries are written synchronously."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._closed = True
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    async def aclose(self) -> None:
        """Close from async code (an app's shutdown hook) without blocking the loop."""
        import asyncio

        await asyncio.to_thread(self.close)

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._run, name="relaydesk-integration-log", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            batch: list[LogEntry] = []
            stop = first is None
            if first is not None:
                batch.append(first)
            taken = 1
            while not stop and len(batch) < 500:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                taken += 1
                if item is None:
                    stop = True
                else:
                    batch.append(item)
            try:
                if batch:
                    self._write(batch)
            finally:
                for _ in range(taken):
                    self._queue.task_done()
            if stop:
                return

    def _write(self, batch: list[LogEntry]) -> None:
        from relaydesk.connectors.actions import do_record_integration_calls

        try:
            with self._db.transaction() as session:
                do_record_integration_calls(session, batch)
        except Exception:
            log.exception("integration log write failed", extra={"entries": len(batch)})


@contextlib.contextmanager
def integration_log_context(*, job_id: int | None) -> Iterator[None]:
    """Tag every call made inside the block with job_id in the integration log."""
    token = _current_job_id.set(job_id)
    try:
        yield
    finally:
        _current_job_id.reset(token)


def redact_body(text: str) -> str:
    """Mask secret-looking fields of a JSON or form body, then truncate it."""
    try:
        parsed = json.loads(text)
    except ValueError:
        masked = _CREDENTIAL_VALUE.sub(lambda m: f"{m.group(1)} ***", redact(text))
    else:
        masked = json.dumps(_mask(parsed), ensure_ascii=False)
    if len(masked) > BODY_LIMIT:
        return masked[:BODY_LIMIT] + f"… [{len(masked) - BODY_LIMIT} more characters]"
    return masked


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "***" if str(k).lower() in _SECRET_FIELDS else _mask(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, str):
        return _CREDENTIAL_VALUE.sub(lambda m: f"{m.group(1)} ***", value)
    return value


def _redacted_path(url: httpx.URL) -> str:
    path = url.path
    if url.query:
        path += "?" + redact(url.query.decode("ascii", "replace"))
    return path


def _request_text(request: httpx.Request) -> str | None:
    try:
        content = request.content
    except httpx.RequestNotRead:
        return "[streamed body]"
    if not content:
        return None
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/"):
        return f"[multipart body, {len(content)} bytes]"
    return redact_body(content.decode("utf-8", "replace"))


# --- error mapping ----------------------------------------------------------------------------


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks to wait (delta or HTTP date), or None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else time.time()
    return max(0.0, when.timestamp() - current)


def response_body(response: httpx.Response) -> Any:
    """Return a response's JSON body, or its text when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text


def _remote_message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("message", "error", "description", "detail", "status"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    if isinstance(body, str) and body.strip():
        return body.strip()[:200]
    return ""


def error_for_response(system: str, response: httpx.Response) -> ConnectorError | None:
    """Return the connector error a response stands for, or None for a success."""
    status = response.status_code
    if status < 400:
        return None
    request = response.request
    where = f"{system} {request.method} {request.url.path}"
    body = response_body(response)
    detail = _remote_message(body)
    suffix = f": {detail}" if detail else ""
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return RateLimited(
            f"{where} rate limited (429){suffix}", system=system, retry_after=retry_after
        )
    if status >= 500:
        return TransportFailed(
            f"{where} failed on the remote side ({status}){suffix}",
            system=system,
            ambiguous=True,
            status_code=status,
        )
    if status == 408:
        return TransportFailed(f"{where} timed out on the remote side (408)", system=system)
    if status == 404 and request.method == "DELETE":
        return AlreadyGone(
            f"{where}: already gone (404)", system=system, status_code=404, body=body
        )
    return RemoteRejected(
        f"{where} rejected ({status}){suffix}", system=system, status_code=status, body=body
    )


def error_for_exception(system: str, request: httpx.Request, exc: Exception) -> TransportFailed:
    """Return the TransportFailed an httpx transport exception stands for."""
    where = f"{system} {request.method} {request.url.path}"
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    kind = type(exc).__name__
    reason = "unreachable" if never_sent else "no complete answer"
    return TransportFailed(
        f"{where}: {reason} ({kind}: {exc})", system=system, ambiguous=not never_sent
    )


class IntegrationTransport(httpx.AsyncBaseTransport):
    """Wrap a transport: log every call, and raise connector errors for failed ones."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        system: str,
        log: IntegrationLog,
        raise_errors: bool = True,
        pauses: RemotePauses | None = None,
    ) -> None:
        self._inner = inner
        self._system = system
        self._log = log
        self._raise = raise_errors
        self._pauses = pauses if pauses is not None else remote_pauses

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = _origin(request.url)
        wait = self._pauses.wait_for(self._system, origin)
        if wait is not None:
            raise CallsPaused(
                f"{self._system} {request.method} {request.url.path} not sent: {self._system} "
                f"answered 429 (rate limited) moments ago; its calls resume in {wait:.1f} s",
                system=self._system,
                retry_after=wait,
            )
        started = time.perf_counter()
        entry = LogEntry(
            system=self._system,
            method=request.method,
            path=_redacted_path(request.url),
            status=None,
            latency_ms=0.0,
            request_body=_request_text(request),
            job_id=_current_job_id.get(),
        )
        try:
            response = await self._inner.handle_async_request(request)
            await response.aread()
        except httpx.TransportError as exc:
            failure = error_for_exception(self._system, request, exc)
            entry.latency_ms = (time.perf_counter() - started) * 1000
            entry.error = failure.message
            self._log.record(entry)
            raise failure from exc
        entry.latency_ms = (time.perf_counter() - started) * 1000
        entry.status = response.status_code
        text = response.content.decode(response.encoding or "utf-8", "replace")
        entry.response_body = redact_body(text) if text else None
        response.request = request
        failure_or_none = error_for_response(self._system, response)
        if isinstance(failure_or_none, RateLimited):
            failure_or_none.retry_after = self._pauses.rate_limited(
                self._system, origin, failure_or_none.retry_after
            )
        else:
            self._pauses.answered(self._system, origin)
        if failure_or_none is not None:
            entry.error = failure_or_none.message
        self._log.record(entry)
        if failure_or_none is not None and self._raise:
            raise failure_or_none
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _origin(url: httpx.URL) -> str:
    """Return scheme://host:port: what one connection's calls have in common."""
    return f"{url.scheme}://{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def make_client(
    base_url: str,
    auth: httpx.Auth | None,
    timeout: float = 10.0,
    *,
    system: str,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    raise_errors: bool = True,
    headers: dict[str, str] | None = None,
    pauses: RemotePauses | None = None,
) -> httpx.AsyncClient:
    """Return an AsyncClient for one remote system: JSON headers, auth, logging, error mapping.

    ``transport`` replaces the network (``httpx.ASGITransport(app=...)`` in fast tests);
    ``raise_errors=False`` returns failed responses instead of raising (still logged);
    ``pauses`` replaces the process's record of rate-limited systems (``remote_pauses``).
    """
    inner = transport or httpx.AsyncHTTPTransport(retries=0)
    wrapped = IntegrationTransport(
        inner,
        system=system,
        log=log or NullIntegrationLog(),
        raise_errors=raise_errors,
        pauses=pauses,
    )
    all_headers = {"Accept": "application/json", "User-Agent": "relaydesk"}
    all_headers.update(headers or {})
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        auth=auth,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        transport=wrapped,
        headers=all_headers,
        follow_redirects=False,
    )


__all__ = [
    "BODY_LIMIT",
    "BearerAuth",
    "DatabaseIntegrationLog",
    "IntegrationLog",
    "IntegrationTransport",
    "LogEntry",
    "MemoryIntegrationLog",
    "NullIntegrationLog",
    "TokenAuth",
    "basic_key_auth",
    "error_for_exception",
    "error_for_response",
    "integration_log_context",
    "make_client",
    "parse_retry_after",
    "redact_body",
    "response_body",
]
