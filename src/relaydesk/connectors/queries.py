"""Reads of the connectors' own tables: connections and the integration log."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.db.models.connectors import Connection, IntegrationLogEntry
from relaydesk.db.row_cache import cached


def find_connection(session: Session, system: str) -> Connection | None:
    """Return system's connection row, or None."""
    return session.get(Connection, system)


@dataclass(frozen=True)
class ConnectionState:
    """Whether a system is connected, and its options (a copy: read only)."""

    connected: bool
    options: dict[str, Any]


def connection_state(session: Session, system: str) -> ConnectionState:
    """Return system's connection state through the row cache (read for every message)."""

    def load() -> ConnectionState:
        row = session.get(Connection, system)
        if row is None:
            return ConnectionState(False, {})
        return ConnectionState(True, copy.deepcopy(dict(row.options or {})))

    return cached(session, ("connection", system), load)


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


def freshchat_relay_wanted(session: Session, conversation_id: str) -> bool:
    """Tell whether a conversation's messages may need relaying to Freshchat.

    True when Freshchat is connected and the conversation is linked to a Freshchat
    conversation, handed off to Freshchat (its link may still be in the making), or
    mirrored (``mirror_all``). Runs in the writing transaction of every new message.
    """
    from relaydesk.db.models.conversations import Conversation

    connection = connection_state(session, "freshchat")
    if not connection.connected:
        return False
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return False
    if conversation.freshchat_conversation_id or conversation.handed_off_to == "freshchat":
        return True
    return bool(connection.options.get("mirror_all")) and conversation.channel == "messenger"


def freshchat_linked(session: Session, conversation_id: str) -> bool:
    """Tell whether Freshchat is connected and the conversation is (or is being) linked."""
    from relaydesk.db.models.conversations import Conversation

    if not connection_state(session, "freshchat").connected:
        return False
    conversation = session.get(Conversation, conversation_id)
    return conversation is not None and (
        conversation.freshchat_conversation_id is not None
        or conversation.handed_off_to == "freshchat"
    )
