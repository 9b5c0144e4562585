"""Factories for tests: ``make_contact(session, **overrides)`` and friends.

They write through the conversation store's actions (so events and jobs are real) and never
commit: use them inside ``with db.transaction() as session:``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_start_conversation,
)
from relaydesk.db.models.contacts import Contact
from relaydesk.db.models.conversations import Conversation, Message

_counter = 0


def _next() -> int:
    global _counter
    _counter += 1
    return _counter


def make_contact(session: Session, **overrides: Any) -> Contact:
    """Create a contact; by default a named one with a unique email."""
    n = _next()
    values: dict[str, Any] = {
        "name": f"Visitor {n}",
        "email": f"visitor{n}@example.com",
        "external_id": None,
        "verified": False,
        "attributes": {},
    }
    values.update(overrides)
    return do_create_contact(session, **values)


def make_conversation(
    session: Session, contact: Contact | None = None, **overrides: Any
) -> Conversation:
    """Start a conversation (for a new contact unless one is given)."""
    contact = contact or make_contact(session)
    values: dict[str, Any] = {"channel": "messenger", "page_url": "https://example.com/help"}
    status = overrides.pop("status", None)
    assignee = overrides.pop("assignee", None)
    values.update(overrides)
    conversation = do_start_conversation(session, contact, **values)
    if status is not None:
        conversation.status = str(status)
    if assignee is not None:
        conversation.assignee = str(assignee)
    session.flush()
    return conversation


def make_message(
    session: Session, conversation: Conversation | None = None, **overrides: Any
) -> Message:
    """Append a message (a visitor's "Hello" by default)."""
    conversation = conversation or make_conversation(session)
    values: dict[str, Any] = {"author": "visitor", "text": "Hello"}
    values.update(overrides)
    return do_append_message(session, conversation, **values)


def make_freshchat_connection(session: Session, **options: Any) -> None:
    """Store a Freshchat connection with options (no key that works: for the store's logic)."""
    from relaydesk.connectors.actions import do_save_connection

    do_save_connection(
        session,
        system="freshchat",
        base_url="https://example.freshchat.com",
        api_key_encrypted="not-used-here",
        options=dict(options),
    )
