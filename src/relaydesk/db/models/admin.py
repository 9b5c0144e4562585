"""Admin API tokens (stored hashed, revocable) and console users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base, UTCDateTime
from relaydesk.db.models._columns import created_column, id_column


class AdminToken(Base):
    """A bearer token for the admin HTTP API; only its SHA-256 is kept."""

    __tablename__ = "admin_tokens"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AdminUser(Base):
    """A console user; the password is an argon2 hash."""

    __tablename__ = "admin_users"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = created_column()
