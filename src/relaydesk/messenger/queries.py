"""Reads the messenger needs beyond the conversation store's: visitor sessions, locked rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.db.models.contacts import VisitorSession
from relaydesk.db.models.conversations import Conversation
from relaydesk.security.secrets import hash_token


def find_visitor_session(session: Session, token: str) -> VisitorSession | None:
    """Return the visitor session an opaque visitor token opens, or None."""
    if not token or len(token) > 256:
        return None
    return session.get(VisitorSession, hash_token(token))


def find_contact_conversation_for_update(
    session: Session, conversation_id: str, contact_id: str
) -> Conversation | None:
    """Return the contact's conversation read fresh under a row lock, or None.

    PostgreSQL: ``SELECT … FOR UPDATE``, so a second request for the same conversation waits
    here and then sees the first one's workflow state (two presses of one button run one
    step). SQLite: ``BEGIN IMMEDIATE`` already serialises writers; the clause is left out.
    """
    stmt = (
        select(Conversation)
        .where(Conversation.id == conversation_id, Conversation.contact_id == contact_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).first()
