"""The messenger API answers cross-origin requests (the widget runs on the customer's site)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.settings import Settings

SITE = "https://shop.example.com"
PREFLIGHT = {
    "Origin": SITE,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
}


@pytest.fixture
async def client(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"worker_enabled": False}), db=db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://rd.test") as c:
        yield c


async def test_messenger_preflight_allows_any_origin(client: httpx.AsyncClient) -> None:
    response = await client.options("/messenger/v1/conversations", headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "idempotency-key" in allowed  # the widget sends one with each message
    assert "access-control-allow-credentials" not in response.headers


async def test_messenger_answers_carry_the_cors_header(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/messenger/v1/sessions", json={"page_url": f"{SITE}/"}, headers={"Origin": SITE}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


async def test_admin_api_sends_no_cors_headers(client: httpx.AsyncClient) -> None:
    preflight = await client.options("/admin/api/v1/workflow", headers=PREFLIGHT)
    plain = await client.get("/admin/api/v1/workflow", headers={"Origin": SITE})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in plain.headers
