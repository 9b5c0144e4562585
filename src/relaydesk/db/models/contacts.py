"""Contacts (visitors and customers), their visitor sessions, and GDPR tombstones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base, UTCDateTime
from relaydesk.db.models._columns import created_column, id_column


class Contact(Base):
    """A person who talks to relaydesk: anonymous, or identified by the site's JWT."""

    __tablename__ = "contacts"

    id: Mapped[str] = id_column()
    created_at: Mapped[datetime] = created_column()
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    verified: Mapped[bool] = mapped_column(default=False)
    email_verified: Mapped[bool] = mapped_column(default=False)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    freshchat_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    freshdesk_contact_id: Mapped[str | None] = mapped_column(String(64))


class VisitorSession(Base):
    """An opaque visitor token (stored hashed) that reaches one contact's conversations."""

    __tablename__ = "visitor_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = created_column()
    page_url: Mapped[str | None] = mapped_column(String(2048))


class ContactTombstone(Base):
    """What is left of a deleted contact, so no later sync recreates or touches it."""

    __tablename__ = "contact_tombstones"

    id: Mapped[str] = id_column()
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    external_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    freshchat_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
