"""make_client: error mapping over real HTTP, the integration log, redaction."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from relaydesk.connectors.errors import (
    AlreadyGone,
    CallsPaused,
    RateLimited,
    RemoteRejected,
    TransportFailed,
)
from relaydesk.connectors.http import (
    BearerAuth,
    DatabaseIntegrationLog,
    MemoryIntegrationLog,
    integration_log_context,
    make_client,
    parse_retry_after,
    redact_body,
)
from relaydesk.connectors.pauses import jitter_ceiling
from relaydesk.connectors.queries import list_integration_log
from relaydesk.db.engine import Database
from tests.connectors.servers import closed_port, serve


def _remote() -> FastAPI:
    app = FastAPI()

    @app.get("/ok")
    async def ok(request: Request) -> dict[str, object]:
        return {"auth": request.headers.get("authorization"), "api_key": "s3cr3t"}

    @app.post("/echo")
    async def echo(request: Request) -> Response:
        return Response(await request.body(), media_type="application/json")

    @app.get("/limited")
    async def limited() -> Response:
        return JSONResponse({"message": "slow down"}, status_code=429, headers={"Retry-After": "7"})

    @app.get("/broken")
    async def broken() -> Response:
        return JSONResponse({"code": 500, "status": "ERR", "message": "boom"}, status_code=500)

    @app.get("/bad")
    async def bad() -> Response:
        return JSONResponse({"code": 400, "status": "BAD", "message": "no such field"}, 400)

    @app.delete("/gone")
    async def gone() -> Response:
        return JSONResponse({"message": "user not found"}, status_code=404)

    @app.get("/gone")
    async def gone_get() -> Response:
        return JSONResponse({"message": "user not found"}, status_code=404)

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(2)
        return {"late": "yes"}

    return app


@pytest.fixture(scope="module")
def remote_url() -> object:
    with serve(_remote()) as url:
        yield url


async def test_success_is_returned_and_logged_without_secrets(remote_url: str) -> None:
    sink = MemoryIntegrationLog()
    async with make_client(remote_url, BearerAuth("tok-123"), 5, system="freshchat", log=sink) as c:
        resp = await c.get("/ok", params={"api_key": "qs-secret", "email": "a@b.c"})
    assert resp.json()["auth"] == "Bearer tok-123"
    [entry] = sink.entries
    assert (entry.system, entry.method, entry.status, entry.error) == (
        "freshchat",
        "GET",
        200,
        None,
    )
    assert entry.path.startswith("/ok?")
    assert "qs-secret" not in entry.path and "email=a%40b.c" in entry.path
    assert entry.response_body is not None and "s3cr3t" not in entry.response_body
    assert "tok-123" not in repr(entry)
    assert entry.latency_ms > 0


async def test_request_body_is_logged_redacted_and_truncated(remote_url: str) -> None:
    sink = MemoryIntegrationLog()
    async with make_client(remote_url, None, 5, system="crm", log=sink) as c:
        await c.post("/echo", json={"token": "abc", "text": "x" * 5000})
    entry = sink.entries[0]
    assert entry.request_body is not None
    assert "abc" not in entry.request_body
    assert len(entry.request_body) < 2100 and "more characters" in entry.request_body


async def test_429_becomes_rate_limited_with_retry_after(remote_url: str) -> None:
    sink = MemoryIntegrationLog()
    async with make_client(remote_url, None, 5, system="freshchat", log=sink) as c:
        with pytest.raises(RateLimited) as info:
            await c.get("/limited")
        with pytest.raises(CallsPaused) as held:  # then held back, unsent, and not logged
            await c.get("/ok")
    assert info.value.retry_after is not None  # Retry-After plus a small jitter
    assert 7.0 <= info.value.retry_after <= 7.0 + jitter_ceiling(7.0)
    assert info.value.permanent is False and info.value.held is False
    assert held.value.held is True and held.value.retry_after is not None
    assert held.value.retry_after <= 7.0 + jitter_ceiling(7.0)
    assert "/ok not sent" in held.value.message
    assert len(sink.entries) == 1
    assert sink.entries[0].status == 429 and "rate limited" in (sink.entries[0].error or "")


async def test_5xx_becomes_transport_failed(remote_url: str) -> None:
    async with make_client(remote_url, None, 5, system="freshchat") as c:
        with pytest.raises(TransportFailed) as info:
            await c.get("/broken")
    assert info.value.status_code == 500 and info.value.ambiguous
    assert "boom" in info.value.message


async def test_4xx_becomes_remote_rejected_with_body(remote_url: str) -> None:
    async with make_client(remote_url, None, 5, system="freshchat") as c:
        with pytest.raises(RemoteRejected) as info:
            await c.get("/bad")
        with pytest.raises(RemoteRejected) as not_found:
            await c.get("/gone")
    assert info.value.status_code == 400 and info.value.permanent
    assert info.value.body["status"] == "BAD"
    assert not isinstance(not_found.value, AlreadyGone)


async def test_404_on_delete_is_already_gone(remote_url: str) -> None:
    async with make_client(remote_url, None, 5, system="freshchat") as c:
        with pytest.raises(AlreadyGone):
            await c.delete("/gone")


async def test_timeout_is_an_ambiguous_transport_failure(remote_url: str) -> None:
    sink = MemoryIntegrationLog()
    async with make_client(remote_url, None, 0.3, system="freshchat", log=sink) as c:
        with pytest.raises(TransportFailed) as info:
            await c.get("/slow")
    assert info.value.ambiguous
    assert sink.entries[0].status is None and "ReadTimeout" in (sink.entries[0].error or "")


async def test_connect_error_is_an_unambiguous_transport_failure() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    async with make_client(url, None, 2, system="freshchat") as c:
        with pytest.raises(TransportFailed) as info:
            await c.get("/anything")
    assert info.value.ambiguous is False
    assert "unreachable" in info.value.message


async def test_raise_errors_false_returns_failures(remote_url: str) -> None:
    async with make_client(remote_url, None, 5, system="x", raise_errors=False) as c:
        resp = await c.get("/bad")
    assert resp.status_code == 400


def test_retry_after_as_http_date_and_garbage() -> None:
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30, abs=1.5)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-3") == 0.0


def test_redact_body_masks_nested_fields() -> None:
    text = redact_body('{"a": {"api_key": "k", "list": [{"password": "p"}]}, "b": "ok"}')
    assert '"k"' not in text and '"p"' not in text and '"ok"' in text
    assert "token=***" in redact_body("token=abc&x=1")


async def test_database_log_writes_rows_with_job_id(remote_url: str, db: Database) -> None:
    sink = DatabaseIntegrationLog(db)
    try:
        async with make_client(remote_url, None, 5, system="freshchat", log=sink) as c:
            with integration_log_context(job_id=42):
                await c.get("/ok")
            with pytest.raises(RemoteRejected):
                await c.get("/bad")
        assert sink.flush(5)
    finally:
        sink.close()
    with db.session() as session:
        rows = list_integration_log(session, system="freshchat")
        errors = list_integration_log(session, errors_only=True)
    assert [r.path for r in rows] == ["/bad", "/ok"]
    assert rows[1].job_id == 42 and rows[0].job_id is None
    assert [r.status for r in errors] == [400]


async def test_mock_transport_seam_needs_no_network() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"message": "maintenance"})

    async with make_client(
        "http://remote", None, 1, system="freshdesk", transport=httpx.MockTransport(handler)
    ) as c:
        with pytest.raises(TransportFailed, match="maintenance"):
            await c.get("/api/v2/tickets")
