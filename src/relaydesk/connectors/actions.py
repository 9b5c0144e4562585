"""Writes of the connectors' own tables: connections, webhook receipts, the integration log.

Actions never commit; the caller's transaction does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Insert, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.connectors import Connection, IntegrationLogEntry, WebhookReceipt
from relaydesk.db.row_cache import mark_changed

if TYPE_CHECKING:
    from relaydesk.connectors.http import LogEntry


def do_record_integration_calls(session: Session, entries: Iterable[LogEntry]) -> int:
    """Insert integration log entries; return how many."""
    rows = [
        IntegrationLogEntry(
            created_at=e.created_at,
            system=e.system,
            method=e.method[:8],
            path=e.path[:1024],
            status=e.status,
            latency_ms=round(e.latency_ms, 2),
            error=e.error,
            request_body=e.request_body,
            response_body=e.response_body,
            job_id=e.job_id,
        )
        for e in entries
    ]
    session.add_all(rows)
    return len(rows)


def do_save_connection(
    session: Session,
    *,
    system: str,
    base_url: str,
    api_key_encrypted: str,
    options: dict[str, Any],
) -> Connection:
    """Create or replace the connection row of system."""
    row = session.get(Connection, system)
    if row is None:
        row = Connection(system=system)
        session.add(row)
    row.base_url = base_url
    row.api_key_encrypted = api_key_encrypted
    row.options = dict(options)
    row.updated_at = utcnow()
    session.flush()
    return row


def do_update_connection_options(
    session: Session, system: str, changes: dict[str, Any]
) -> Connection | None:
    """Merge changes into the options of system's connection; return it, or None if missing."""
    row = session.get(Connection, system)
    if row is None:
        return None
    merged = dict(row.options or {})
    merged.update(changes)
    row.options = merged
    row.updated_at = utcnow()
    session.flush()
    return row


def do_delete_connection(session: Session, system: str) -> bool:
    """Remove system's connection; tell whether there was one."""
    result = session.execute(delete(Connection).where(Connection.system == system))
    mark_changed(session)  # a bulk delete is not seen by the row cache's flush hook
    return bool(getattr(result, "rowcount", 0))


def do_record_webhook_receipt(session: Session, *, system: str, event_key: str) -> bool:
    """Record that an inbound event was accepted; False if it was already (a redelivery).

    Uses a savepoint so a duplicate leaves the caller's transaction usable.
    """
    existing = session.execute(
        select(WebhookReceipt.id).where(
            WebhookReceipt.system == system, WebhookReceipt.event_key == event_key[:255]
        )
    ).first()
    if existing is not None:
        return False
    try:
        with session.begin_nested():
            session.add(WebhookReceipt(system=system, event_key=event_key[:255]))
    except IntegrityError:
        return False
    return True


def do_record_webhook_receipts(session: Session, *, system: str, event_keys: list[str]) -> set[str]:
    """Record many inbound events at once; return the keys that were new (not redeliveries).

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (SQLite ≥ 3.35, PostgreSQL): a key
    already stored, or repeated in event_keys, is returned at most once.
    """
    keys = list(dict.fromkeys(k[:255] for k in event_keys))
    if not keys:
        return set()
    now = utcnow()
    rows = [{"system": system, "event_key": k, "received_at": now} for k in keys]
    table = cast(Table, WebhookReceipt.__table__)
    dialect = session.get_bind().dialect.name
    stmt: Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing(
            index_elements=["system", "event_key"]
        )
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=["system", "event_key"])
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        fresh = set()
        for key in keys:
            if do_record_webhook_receipt(session, system=system, event_key=key):
                fresh.add(key)
        return fresh
    return set(session.execute(stmt.returning(table.c.event_key), rows).scalars())


def do_prune_connector_records(session: Session, *, before: datetime) -> int:
    """Delete integration log entries and webhook receipts older than before; return how many."""
    logged = session.execute(
        delete(IntegrationLogEntry).where(IntegrationLogEntry.created_at < before)
    )
    receipts = session.execute(delete(WebhookReceipt).where(WebhookReceipt.received_at < before))
    return int(getattr(logged, "rowcount", 0) or 0) + int(getattr(receipts, "rowcount", 0) or 0)


DELIVERY_MARK = "delivery_started"


def do_mark_delivery_started(session: Session, message_id: str, system: str) -> None:
    """Note on a message that a post to system is about to start (an intent record).

    A later run that finds the mark but no remote id knows the earlier post may have reached
    the remote, and looks there before posting again, whatever its attempt counter says.
    """
    from relaydesk.db.models.conversations import Message

    message = session.get(Message, message_id)
    if message is None:
        return
    meta = dict(message.meta or {})
    started = dict(meta.get(DELIVERY_MARK) or {})
    started[system] = utcnow().isoformat()
    meta[DELIVERY_MARK] = started
    message.meta = meta
    session.flush()


REFUSED_MARK = "delivery_refused"


def do_mark_delivery_refused(session: Session, message_id: str, system: str, reason: str) -> None:
    """Note on a message that system refused it for good (a 4xx): later relays skip it."""
    from relaydesk.db.models.conversations import Message

    message = session.get(Message, message_id)
    if message is None:
        return
    meta = dict(message.meta or {})
    meta[REFUSED_MARK] = {**dict(meta.get(REFUSED_MARK) or {}), system: reason[:200]}
    message.meta = meta
    session.flush()
