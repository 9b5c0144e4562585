"""Reads of contacts, conversations and messages. ``get_*`` raise, ``find_*`` return None."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from relaydesk.db.models.contacts import Contact, ContactTombstone, VisitorSession
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.db.models.security import OneTimeCode
from relaydesk.errors import ContactNotFound, ConversationNotFound, MessageNotFound
from relaydesk.security.secrets import hash_token


def hash_identifier(value: str) -> str:
    """Return the hash a tombstone keeps of an email or external id (case-insensitive)."""
    return hash_token(value.strip().lower())


def get_contact(session: Session, contact_id: str) -> Contact:
    """Return the contact with contact_id or raise ContactNotFound."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise ContactNotFound(f"contact {contact_id} not found")
    return contact


def find_contact_by_email(session: Session, email: str) -> Contact | None:
    """Return the oldest contact with this email (case-insensitive), or None."""
    stmt = (
        select(Contact)
        .where(Contact.email == email.strip().lower())
        .order_by(Contact.verified.desc(), Contact.created_at)
        .limit(1)
    )
    return session.scalars(stmt).first()


def find_contacts(
    session: Session, *, email: str | None = None, external_id: str | None = None
) -> list[Contact]:
    """Return every contact with this email (case-insensitive) or external id, oldest first.

    An email may belong to several contacts (an anonymous visitor who typed it, and the
    verified one); a GDPR request concerns all of them.
    """
    conditions = []
    if email:
        conditions.append(Contact.email == email.strip().lower())
    if external_id:
        conditions.append(Contact.external_id == external_id)
    if not conditions:
        return []
    stmt = select(Contact).where(or_(*conditions)).order_by(Contact.created_at, Contact.id)
    return list(session.scalars(stmt))


def find_contact_by_external_id(session: Session, external_id: str) -> Contact | None:
    """Return the contact the site identifies as external_id (JWT user_id), or None."""
    return session.scalars(select(Contact).where(Contact.external_id == external_id)).first()


def find_contact_by_freshchat_user_id(session: Session, user_id: str) -> Contact | None:
    """Return the contact linked to a Freshchat user, or None."""
    stmt = select(Contact).where(Contact.freshchat_user_id == user_id).limit(1)
    return session.scalars(stmt).first()


def find_contact_by_visitor_token(session: Session, token: str) -> Contact | None:
    """Return the contact an opaque visitor token belongs to, or None."""
    stmt = (
        select(Contact)
        .join(VisitorSession, VisitorSession.contact_id == Contact.id)
        .where(VisitorSession.token_hash == hash_token(token))
    )
    return session.scalars(stmt).first()


def is_tombstoned(
    session: Session,
    *,
    email: str | None = None,
    external_id: str | None = None,
    freshchat_user_id: str | None = None,
) -> bool:
    """Tell whether a deleted contact had this email, external id or Freshchat user id."""
    conditions = []
    if email:
        conditions.append(ContactTombstone.email_hash == hash_identifier(email))
    if external_id:
        conditions.append(ContactTombstone.external_id_hash == hash_identifier(external_id))
    if freshchat_user_id:
        conditions.append(ContactTombstone.freshchat_user_id == freshchat_user_id)
    if not conditions:
        return False
    stmt = select(ContactTombstone.id).where(or_(*conditions)).limit(1)
    return session.scalars(stmt).first() is not None


def get_conversation(session: Session, conversation_id: str) -> Conversation:
    """Return the conversation with conversation_id or raise ConversationNotFound."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(f"conversation {conversation_id} not found")
    return conversation


def get_conversation_for_contact(
    session: Session, conversation_id: str, contact_id: str
) -> Conversation:
    """Return the contact's own conversation; another contact's is ConversationNotFound too."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.contact_id != contact_id:
        raise ConversationNotFound(f"conversation {conversation_id} not found")
    return conversation


def find_conversation_by_freshchat_id(
    session: Session, freshchat_conversation_id: str
) -> Conversation | None:
    """Return the conversation linked to a Freshchat conversation, or None."""
    stmt = select(Conversation).where(
        Conversation.freshchat_conversation_id == freshchat_conversation_id
    )
    return session.scalars(stmt).first()


def find_conversation_by_freshdesk_ticket_id(
    session: Session, ticket_id: str
) -> Conversation | None:
    """Return the conversation linked to a Freshdesk ticket, or None."""
    stmt = select(Conversation).where(Conversation.freshdesk_ticket_id == ticket_id).limit(1)
    return session.scalars(stmt).first()


def list_conversations_for_contact(session: Session, contact_id: str) -> list[Conversation]:
    """Return the contact's conversations, most recently active first."""
    stmt = (
        select(Conversation)
        .where(Conversation.contact_id == contact_id)
        .order_by(Conversation.last_activity_at.desc(), Conversation.id)
    )
    return list(session.scalars(stmt))


def list_conversations_due_for_auto_resolve(
    session: Session, now: datetime, *, limit: int = 500
) -> list[Conversation]:
    """Return conversations whose auto-resolve time has come, oldest first."""
    stmt = (
        select(Conversation)
        .where(Conversation.auto_resolve_at.is_not(None), Conversation.auto_resolve_at <= now)
        .order_by(Conversation.auto_resolve_at)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def get_message(session: Session, message_id: str) -> Message:
    """Return the message with message_id or raise MessageNotFound."""
    message = session.get(Message, message_id)
    if message is None:
        raise MessageNotFound(f"message {message_id} not found")
    return message


def find_message(session: Session, message_id: str) -> Message | None:
    """Return the message with message_id, or None (a deleted contact's, for example)."""
    return session.get(Message, message_id)


def find_message_by_source_id(
    session: Session, conversation_id: str, source_id: str
) -> Message | None:
    """Return the conversation's message that came from a remote with source_id, or None."""
    stmt = select(Message).where(
        Message.conversation_id == conversation_id, Message.source_id == source_id
    )
    return session.scalars(stmt).first()


def find_message_by_client_key(
    session: Session, conversation_id: str, client_key: str
) -> Message | None:
    """Return the conversation's message sent with an ``Idempotency-Key``, or None."""
    stmt = select(Message).where(
        Message.conversation_id == conversation_id, Message.client_key == client_key
    )
    return session.scalars(stmt).first()


def list_messages_by_id(
    session: Session, conversation_id: str, message_ids: list[str]
) -> list[Message]:
    """Return those of the conversation's messages with the given ids, in order."""
    if not message_ids:
        return []
    stmt = (
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.id.in_(message_ids))
        .order_by(Message.seq)
    )
    return list(session.scalars(stmt))


def find_message_by_remote_id(
    session: Session, conversation_id: str, remote_id: str
) -> Message | None:
    """Return the conversation's message delivered to a remote under remote_id, or None."""
    stmt = select(Message).where(
        Message.conversation_id == conversation_id, Message.remote_id == remote_id
    )
    return session.scalars(stmt).first()


def list_messages(
    session: Session,
    conversation_id: str,
    *,
    include_private: bool = False,
    after_seq: int | None = None,
) -> list[Message]:
    """Return a conversation's messages in order (private notes only when asked)."""
    stmt = select(Message).where(Message.conversation_id == conversation_id).order_by(Message.seq)
    if not include_private:
        stmt = stmt.where(Message.private.is_(False))
    if after_seq is not None:
        stmt = stmt.where(Message.seq > after_seq)
    return list(session.scalars(stmt))


def recent_turns(
    session: Session, conversation_id: str, *, last: int, skip_newest: int = 0
) -> list[tuple[str, str]]:
    """Return the newest ``last`` public messages as (author, text), oldest first, minus empty.

    ``skip_newest`` leaves out that many of the very newest first. Reads two columns only
    (the agent's history, read for every question).
    """
    stmt = (
        select(Message.author, Message.text)
        .where(Message.conversation_id == conversation_id, Message.private.is_(False))
        .order_by(Message.seq.desc())
        .offset(skip_newest)
        .limit(last)
    )
    rows = [(author, text) for author, text in session.execute(stmt) if text]
    return rows[::-1]


def export_contact(session: Session, contact_id: str) -> dict[str, Any]:
    """Return everything relaydesk keeps about a contact, as JSON-ready data (GDPR export).

    Secrets (hashes of visitor tokens and of one-time codes) are left out; what they were
    issued for, when, and their state are in.
    """
    contact = get_contact(session, contact_id)
    conversations = []
    for conversation in list_conversations_for_contact(session, contact_id):
        conversations.append(
            {
                "id": conversation.id,
                "created_at": conversation.created_at.isoformat(),
                "updated_at": _iso(conversation.updated_at),
                "channel": conversation.channel,
                "status": conversation.status,
                "assignee": conversation.assignee,
                "handed_off_to": conversation.handed_off_to,
                "resolved_by": conversation.resolved_by,
                "resolved_at": _iso(conversation.resolved_at),
                "page_url": conversation.page_url,
                "language": conversation.language,
                "workflow_state": conversation.workflow_state,
                "freshchat_conversation_id": conversation.freshchat_conversation_id,
                "freshchat_user_id": conversation.freshchat_user_id,
                "freshdesk_ticket_id": conversation.freshdesk_ticket_id,
                "one_time_codes": [
                    {
                        "email": code.email,
                        "created_at": _iso(code.created_at),
                        "expires_at": _iso(code.expires_at),
                        "attempts": code.attempts,
                        "max_attempts": code.max_attempts,
                        "used_at": _iso(code.used_at),
                        "superseded_at": _iso(code.superseded_at),
                    }
                    for code in session.scalars(
                        select(OneTimeCode)
                        .where(OneTimeCode.subject == f"conversation:{conversation.id}")
                        .order_by(OneTimeCode.created_at, OneTimeCode.id)
                    )
                ],
                "messages": [
                    {
                        "id": m.id,
                        "created_at": m.created_at.isoformat(),
                        "author": m.author,
                        "text": m.text,
                        "private": m.private,
                        "buttons": m.buttons,
                        "sources": m.sources,
                        "input": m.input,
                        "remote_id": m.remote_id,
                    }
                    for m in list_messages(session, conversation.id, include_private=True)
                ],
            }
        )
    return {
        "contact": {
            "id": contact.id,
            "created_at": contact.created_at.isoformat(),
            "name": contact.name,
            "email": contact.email,
            "external_id": contact.external_id,
            "verified": contact.verified,
            "email_verified": contact.email_verified,
            "attributes": contact.attributes,
            "freshchat_user_id": contact.freshchat_user_id,
            "freshdesk_contact_id": contact.freshdesk_contact_id,
        },
        "visitor_sessions": [
            {"created_at": _iso(s.created_at), "page_url": s.page_url}
            for s in session.scalars(
                select(VisitorSession)
                .where(VisitorSession.contact_id == contact_id)
                .order_by(VisitorSession.created_at)
            )
        ],
        "conversations": conversations,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def __getattr__(name: str) -> object:
    # do_create_visitor_session is a write and lives in actions; re-exported here lazily
    # because the first interface sketch listed it next to the queries.
    if name == "do_create_visitor_session":
        from relaydesk.conversations.actions import do_create_visitor_session

        return do_create_visitor_session
    raise AttributeError(name)
