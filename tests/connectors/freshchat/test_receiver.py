"""POST /webhooks/freshchat: verify first, dedupe, enqueue, answer fast."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from relaydesk.app import create_app
from relaydesk.connectors.connections import save_connection
from relaydesk.db.engine import Database
from relaydesk.db.models.connectors import WebhookReceipt
from relaydesk.db.models.jobs import Job
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from tests.connectors.freshchat.keys import WebhookSigner

SIGNER = WebhookSigner.generate()


pytestmark = pytest.mark.postgres


def _event(message_id: str = "m1", text: str = "Hello from Alex ✓") -> bytes:
    return json.dumps(
        {
            "actor": {"actor_type": "agent", "actor_id": "agent-1"},
            "action": "message_create",
            "action_time": "2026-11-27T10:00:00.000Z",
            "data": {
                "message": {
                    "id": message_id,
                    "conversation_id": "fc-1",
                    "actor_type": "agent",
                    "actor_id": "agent-1",
                    "message_parts": [{"text": {"content": text}}],
                }
            },
        },
        ensure_ascii=False,
    ).encode()


@pytest.fixture
async def client(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    with db.transaction() as session:
        save_connection(
            session,
            load_secret_box(settings),
            system="freshchat",
            base_url="http://127.0.0.1:9",
            api_key="k" * 20,
            options={"webhook_public_key": SIGNER.public_key_pem.replace("\n", "\r\n")},
        )
    app = create_app(settings, db=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


def _counts(db: Database) -> tuple[int, int]:
    with db.session() as session:
        receipts = session.scalar(select(func.count()).select_from(WebhookReceipt)) or 0
        jobs = session.scalar(select(func.count()).select_from(Job)) or 0
    return receipts, jobs


async def test_signed_webhook_is_accepted_once(client: httpx.AsyncClient, db: Database) -> None:
    body = _event()
    headers = {"X-Freshchat-Signature": SIGNER.sign(body), "Content-Type": "application/json"}
    first = await client.post("/webhooks/freshchat", content=body, headers=headers)
    assert first.status_code == 200 and first.json() == {"ok": True, "duplicate": False}
    again = await client.post(
        "/webhooks/freshchat", content=body, headers={**headers, "X-Retry-Count": "1"}
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert _counts(db) == (1, 1)
    with db.session() as session:
        job = session.scalars(select(Job)).one()
    assert job.kind == "freshchat.webhook:process"
    assert job.ordering_key == "freshchat-in:fc-1"
    assert job.payload["event"]["data"]["message"]["id"] == "m1"


async def test_bad_signatures_change_nothing(client: httpx.AsyncClient, db: Database) -> None:
    body = _event()
    other = WebhookSigner.generate()
    cases = [
        {},
        {"X-Freshchat-Signature": ""},
        {"X-Freshchat-Signature": "%%%"},
        {"X-Freshchat-Signature": other.sign(body)},
        {"X-Freshchat-Signature": SIGNER.sign(body + b" ")},
    ]
    for headers in cases:
        resp = await client.post("/webhooks/freshchat", content=body, headers=headers)
        assert resp.status_code == 401, headers
        assert resp.json()["code"] == "bad_signature"
        assert set(resp.json()) == {"ok", "error", "errors", "status", "code"}
    tampered = _event(text="Hello from Alex ✗")
    resp = await client.post(
        "/webhooks/freshchat",
        content=tampered,
        headers={"X-Freshchat-Signature": SIGNER.sign(body)},
    )
    assert resp.status_code == 401
    assert _counts(db) == (0, 0)


async def test_verified_but_malformed_body_is_400(client: httpx.AsyncClient, db: Database) -> None:
    body = b'{"not": "an event"}'
    resp = await client.post(
        "/webhooks/freshchat", content=body, headers={"X-Freshchat-Signature": SIGNER.sign(body)}
    )
    assert resp.status_code == 400
    assert _counts(db) == (0, 0)


async def test_unknown_action_is_acknowledged(client: httpx.AsyncClient, db: Database) -> None:
    body = json.dumps({"action": "user_create", "action_time": "t", "data": {"user": {}}}).encode()
    resp = await client.post(
        "/webhooks/freshchat", content=body, headers={"X-Freshchat-Signature": SIGNER.sign(body)}
    )
    assert resp.status_code == 200
    assert _counts(db) == (1, 1)


async def test_without_a_connection_every_webhook_is_refused(
    settings: Settings, db: Database
) -> None:
    app = create_app(settings, db=db)
    body = _event()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        resp = await c.post(
            "/webhooks/freshchat",
            content=body,
            headers={"X-Freshchat-Signature": SIGNER.sign(body)},
        )
    assert resp.status_code == 401
    assert _counts(db) == (0, 0)


async def test_simultaneous_redeliveries_are_accepted_once(
    client: httpx.AsyncClient, db: Database
) -> None:
    import asyncio

    bodies = [_event(f"m{i}") for i in range(20)]
    sends = [
        client.post("/webhooks/freshchat", content=b,
                    headers={"X-Freshchat-Signature": SIGNER.sign(b)})
        for b in bodies for _ in range(3)
    ]  # fmt: skip
    answers = await asyncio.gather(*sends)
    assert all(a.status_code == 200 for a in answers)
    fresh = [a for a in answers if a.json()["duplicate"] is False]
    assert len(fresh) == 20
    assert _counts(db) == (20, 20)


async def test_an_oversized_body_is_refused_before_it_is_read_or_verified(
    client: httpx.AsyncClient, db: Database
) -> None:
    from relaydesk.connectors.freshchat.receiver import MAX_WEBHOOK_BODY

    big = _event(text="x" * (MAX_WEBHOOK_BODY + 1))
    resp = await client.post(
        "/webhooks/freshchat", content=big, headers={"X-Freshchat-Signature": SIGNER.sign(big)}
    )
    assert resp.status_code == 413
    assert resp.json()["code"] == "too_large"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: read up to the limit
        for _ in range(MAX_WEBHOOK_BODY // 65536 + 2):
            yield b"x" * 65536

    resp = await client.post(
        "/webhooks/freshchat", content=chunks(), headers={"X-Freshchat-Signature": "AAAA"}
    )
    assert resp.status_code == 413
    assert _counts(db) == (0, 0)
