"""Conversations and their messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base, UTCDateTime
from relaydesk.db.models._columns import created_column, id_column


class Conversation(Base):
    """One conversation: its public status, who owns it, and where the workflow stands."""

    __tablename__ = "conversations"

    id: Mapped[str] = id_column()
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = created_column()
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(32), default="messenger")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    assignee: Mapped[str] = mapped_column(String(16), default="ai")
    agent_id: Mapped[str | None] = mapped_column(String(64))
    group_id: Mapped[str | None] = mapped_column(String(64))
    handed_off_to: Mapped[str | None] = mapped_column(String(16))
    resolved_by: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    page_url: Mapped[str | None] = mapped_column(String(2048))
    workflow_id: Mapped[str | None] = mapped_column(String(32))
    workflow_state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    freshchat_conversation_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    freshchat_user_id: Mapped[str | None] = mapped_column(String(64))
    freshdesk_ticket_id: Mapped[str | None] = mapped_column(String(64))
    last_activity_at: Mapped[datetime] = created_column()
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    auto_resolve_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    message_count: Mapped[int] = mapped_column(default=0)


class Message(Base):
    """One message; ``seq`` orders a conversation, ``source_id`` de-duplicates remote ones.

    ``client_key`` is the ``Idempotency-Key`` a visitor's message was sent with: a repeat of
    the key in the conversation stores nothing and answers with the step the first one ran
    (its messages' ids are in ``meta["step_message_ids"]``).
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_seq"),
        UniqueConstraint("conversation_id", "source_id", name="uq_messages_conversation_source"),
        UniqueConstraint(
            "conversation_id", "client_key", name="uq_messages_conversation_client_key"
        ),
        Index("ix_messages_conversation_seq", "conversation_id", "seq"),
    )

    id: Mapped[str] = id_column()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = created_column()
    author: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    input: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    private: Mapped[bool] = mapped_column(default=False)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(128))
    remote_id: Mapped[str | None] = mapped_column(String(128))
    client_key: Mapped[str | None] = mapped_column(String(100))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
