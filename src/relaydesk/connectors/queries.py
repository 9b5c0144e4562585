"""Reads of the connectors' own tables: connections and the integration log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.db.models.connectors import Connection, IntegrationLogEntry


def find_connection(session: Session, system: str) -> Connection | None:
    """Return system's connection row, or None."""
    return session.get(Connection, system)


def list_integration_log(
    session: Session,
    *,
    system: str | None = None,
    errors_only: bool = False,
    since: datetime | None = None,
    job_id: int | None = None,
    limit: int = 50,
) -> list[IntegrationLogEntry]:
    """Return the newest integration log entries first."""
    stmt = select(IntegrationLogEntry)
    if system:
        stmt = stmt.where(IntegrationLogEntry.system == system)
    if errors_only:
        stmt = stmt.where(IntegrationLogEntry.error.is_not(None))
    if since is not None:
        stmt = stmt.where(IntegrationLogEntry.created_at >= since)
    if job_id is not None:
        stmt = stmt.where(IntegrationLogEntry.job_id == job_id)
    stmt = stmt.order_by(IntegrationLogEntry.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def find_unlinked_freshchat_handoff(session: Session, contact_id: str) -> str | None:
    """Return a contact's messenger conversation on its way to Freshchat but not linked yet.

    That is one handed off to Freshchat (or mirrored) whose Freshchat conversation is still
    being created: webhooks about it can arrive before relaydesk knows its Freshchat id.
    """
    from relaydesk.db.models.conversations import Conversation

    stmt = (
        select(Conversation.id)
        .where(
            Conversation.contact_id == contact_id,
            Conversation.channel == "messenger",
            Conversation.freshchat_conversation_id.is_(None),
            Conversation.status != "resolved",
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()
