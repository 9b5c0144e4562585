"""``POST /webhooks/freshchat``: verify, record a receipt and a job in one transaction, answer.

1. Read the raw body once (at most ``MAX_WEBHOOK_BODY``, else 413) and verify
   ``X-Freshchat-Signature`` against the stored public key(s) *before* parsing anything: a
   bad or missing signature answers 401 and changes nothing.
2. Parse the verified bytes (a verified but malformed body answers 400).
3. In one transaction: insert a ``WebhookReceipt`` keyed by the event's dedup key (the
   message id for ``message_create``, else action + conversation + action time) and enqueue
   a ``freshchat.webhook:process`` job ordered per Freshchat conversation. A redelivery finds
   the receipt and only answers 200 (``duplicate: true``).
4. Wake the in-process worker and answer 200 — the work itself happens in the job.

Group commit: webhooks arriving together share one transaction (``WebhookAcceptor``): one
writer at a time, so SQLite's single write lock is never fought over, and one commit for
the whole batch. Each request still answers only after its own receipt and job committed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from relaydesk.connectors.actions import do_record_webhook_receipts
from relaydesk.connectors.connections import FreshchatOptions
from relaydesk.connectors.freshchat.schemas import WebhookEvent
from relaydesk.connectors.freshchat.webhooks import SIGNATURE_HEADER, parse_event, verify_signature
from relaydesk.connectors.queries import find_connection
from relaydesk.db.engine import Database
from relaydesk.errors import PayloadTooLarge
from relaydesk.jobs.outbox import enqueue_many

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/freshchat"
PROCESS_KIND = "freshchat.webhook:process"
KEY_CACHE_SECONDS = 5.0
MAX_WEBHOOK_BODY = 1024 * 1024
"""Largest webhook body accepted (bytes); Freshchat's events are a few KB."""

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

    def fresh(self) -> bool:
        """Tell whether the cached keys are recent enough to use without the database."""
        return time.monotonic() - self._loaded_at <= self.ttl

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


def _job_payload(event: WebhookEvent, retry_count: str | None) -> dict[str, Any]:
    return {
        "event": event.model_dump(mode="json"),
        "received_at": time.time(),
        "retry_count": retry_count,
    }


def accept_event(session: Session, event: WebhookEvent, *, retry_count: str | None) -> bool:
    """Record the receipt and enqueue the processing job; False for a redelivery."""
    return accept_events(session, [(event, retry_count)]) == [True]


def accept_events(session: Session, items: list[tuple[WebhookEvent, str | None]]) -> list[bool]:
    """Record receipts and enqueue jobs for several events; True for each one that was new."""
    keys = [event.dedup_key()[:255] for event, _ in items]
    fresh = do_record_webhook_receipts(session, system="freshchat", event_keys=keys)
    accepted: list[bool] = []
    jobs: list[dict[str, Any]] = []
    for (event, retry_count), key in zip(items, keys, strict=True):
        if key not in fresh:
            accepted.append(False)
            continue
        fresh.discard(key)  # the same event twice in one batch: only the first is new
        jobs.append(
            {
                "kind": PROCESS_KIND,
                "payload": _job_payload(event, retry_count),
                "ordering_key": ordering_key_for(event),
                "idempotency_key": f"freshchat-webhook:{key}"[:255],
            }
        )
        accepted.append(True)
    enqueue_many(session, jobs)
    return accepted


_Pending = tuple[WebhookEvent, str | None, "asyncio.Future[bool]"]


class WebhookAcceptor:
    """Write accepted webhooks in batches: one transaction for every event waiting."""

    def __init__(self, db: Database, *, max_batch: int = 256) -> None:
        self.db = db
        self.max_batch = max_batch
        self._pending: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None

    async def accept(self, event: WebhookEvent, retry_count: str | None) -> bool:
        """Store event (receipt + job); return False when it was a redelivery."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((event, retry_count, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            try:
                results = await asyncio.to_thread(self._write, [(e, r) for e, r, _ in batch])
            except Exception as exc:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, _, future), fresh in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(fresh)

    def _write(self, items: list[tuple[WebhookEvent, str | None]]) -> list[bool]:
        with self.db.transaction() as session:
            return accept_events(session, items)


def acceptor(request: Request, db: Database) -> WebhookAcceptor:
    """Return the app's webhook acceptor, creating it on first use."""
    found = getattr(request.app.state, "freshchat_acceptor", None)
    if found is None:
        found = WebhookAcceptor(db)
        request.app.state.freshchat_acceptor = found
    return found


def _wake_worker(request: Request) -> None:
    service = getattr(request.app.state, "worker", None)
    wake = getattr(getattr(service, "worker", service), "wake", None)
    if callable(wake):
        wake()


async def read_limited_body(request: Request, limit: int | None = None) -> bytes:
    """Return the raw body; raise PayloadTooLarge past limit, before reading all of it.

    The endpoint is open to anyone until the signature is checked: without a limit a
    stranger could make relaydesk hold (and hash) any amount of data.
    """
    limit = MAX_WEBHOOK_BODY if limit is None else limit
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise PayloadTooLarge(f"webhook body over {limit // 1024} KB")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"webhook body over {limit // 1024} KB")
        chunks.append(chunk)
    return b"".join(chunks)


_ACCEPTED = b'{"ok":true,"duplicate":false}'
_DUPLICATE = b'{"ok":true,"duplicate":true}'


@router.post(WEBHOOK_PATH, response_class=Response)
async def receive_freshchat_webhook(request: Request) -> Response:
    """Accept one signed Freshchat conversation webhook.

    Kept lean (no dependencies, a ready-made body): it is the hottest inbound path.
    """
    db: Database = request.app.state.db
    body = await read_limited_body(request)
    cache = key_cache(request)
    keys = cache.keys(db) if cache.fresh() else await asyncio.to_thread(cache.keys, db)
    verify_signature(body, request.headers.get(SIGNATURE_HEADER), keys)
    event = parse_event(body)
    retry_count = request.headers.get("x-retry-count")
    fresh = await acceptor(request, db).accept(event, retry_count)
    if fresh:
        _wake_worker(request)
    else:
        log.info("duplicate webhook ignored", extra={"action": event.action})
    return Response(_ACCEPTED if fresh else _DUPLICATE, media_type="application/json")


__all__ = [
    "MAX_WEBHOOK_BODY",
    "PROCESS_KIND",
    "WEBHOOK_PATH",
    "WebhookKeyCache",
    "WebhookAcceptor",
    "accept_event",
    "accept_events",
    "ordering_key_for",
    "read_limited_body",
    "receive_freshchat_webhook",
    "router",
]
