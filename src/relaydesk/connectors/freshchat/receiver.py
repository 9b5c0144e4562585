"""``POST /webhooks/freshchat``: verify, record a receipt and a job in one transaction, answer.

1. Read the raw body once and verify ``X-Freshchat-Signature`` against the stored public
   key(s) *before* parsing anything: a bad or missing signature answers 401 and changes
   nothing.
2. Parse the verified bytes (a verified but malformed body answers 400).
3. In one transaction: insert a ``WebhookReceipt`` keyed by the event's dedup key (the
   message id for ``message_create``, else action + conversation + action time) and enqueue
   a ``freshchat.webhook:process`` job ordered per Freshchat conversation. A redelivery finds
   the receipt and only answers 200 (``duplicate: true``).
4. Wake the in-process worker and answer 200 — the work itself happens in the job.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from relaydesk.connectors.actions import do_record_webhook_receipt
from relaydesk.connectors.connections import FreshchatOptions
from relaydesk.connectors.freshchat.schemas import WebhookEvent
from relaydesk.connectors.freshchat.webhooks import SIGNATURE_HEADER, parse_event, verify_signature
from relaydesk.connectors.queries import find_connection
from relaydesk.db.engine import Database
from relaydesk.deps import DatabaseDep
from relaydesk.jobs.outbox import enqueue

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/freshchat"
PROCESS_KIND = "freshchat.webhook:process"
KEY_CACHE_SECONDS = 5.0

router = APIRouter()


class WebhookKeyCache:
    """The configured webhook public keys, re-read from the database every few seconds."""

    def __init__(self, ttl: float = KEY_CACHE_SECONDS) -> None:
        self.ttl = ttl
        self._keys: list[str] = []
        self._loaded_at = -1e9

    def invalidate(self) -> None:
        """Forget the cached keys (after the connection changed)."""
        self._loaded_at = -1e9

    def keys(self, db: Database) -> list[str]:
        """Return the current public keys (newest first)."""
        now = time.monotonic()
        if now - self._loaded_at > self.ttl:
            with db.session() as session:
                row = find_connection(session, "freshchat")
                options = FreshchatOptions.model_validate(row.options if row else {})
            self._keys = [
                k for k in (options.webhook_public_key, options.webhook_public_key_previous) if k
            ]
            self._loaded_at = now
        return self._keys


def key_cache(request: Request) -> WebhookKeyCache:
    """Return the app's webhook key cache, creating it on first use."""
    cache = getattr(request.app.state, "freshchat_webhook_keys", None)
    if cache is None:
        cache = WebhookKeyCache()
        request.app.state.freshchat_webhook_keys = cache
    return cache


def ordering_key_for(event: WebhookEvent) -> str:
    """Return the ordering key of an inbound event's job: one queue per Freshchat conversation."""
    return f"freshchat-in:{event.conversation_id or '-'}"


def accept_event(session: Session, event: WebhookEvent, *, retry_count: str | None) -> bool:
    """Record the receipt and enqueue the processing job; False for a redelivery."""
    key = event.dedup_key()
    if not do_record_webhook_receipt(session, system="freshchat", event_key=key):
        return False
    payload: dict[str, Any] = {
        "event": event.model_dump(mode="json"),
        "received_at": time.time(),
        "retry_count": retry_count,
    }
    enqueue(
        session,
        PROCESS_KIND,
        payload,
        ordering_key=ordering_key_for(event),
        idempotency_key=f"freshchat-webhook:{key}"[:255],
    )
    return True


def _wake_worker(request: Request) -> None:
    service = getattr(request.app.state, "worker", None)
    wake = getattr(getattr(service, "worker", service), "wake", None)
    if callable(wake):
        wake()


@router.post(WEBHOOK_PATH)
async def receive_freshchat_webhook(request: Request, db: DatabaseDep) -> dict[str, Any]:
    """Accept one signed Freshchat conversation webhook."""
    body = await request.body()
    keys = await asyncio.to_thread(key_cache(request).keys, db)
    verify_signature(body, request.headers.get(SIGNATURE_HEADER), keys)
    event = parse_event(body)
    retry_count = request.headers.get("x-retry-count")

    def store() -> bool:
        with db.transaction() as session:
            return accept_event(session, event, retry_count=retry_count)

    fresh = await asyncio.to_thread(store)
    if fresh:
        _wake_worker(request)
    else:
        log.info("duplicate webhook ignored", extra={"action": event.action})
    return {"ok": True, "duplicate": not fresh}


__all__ = [
    "PROCESS_KIND",
    "WEBHOOK_PATH",
    "WebhookKeyCache",
    "accept_event",
    "ordering_key_for",
    "receive_freshchat_webhook",
    "router",
]
