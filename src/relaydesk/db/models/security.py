"""One-time codes that verify a visitor's email address (stored hashed, never in clear)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base, UTCDateTime
from relaydesk.db.models._columns import created_column, id_column


class OneTimeCode(Base):
    """An emailed one-time code: its argon2 hash, expiry and the attempts spent on it.

    ``subject`` ties the code to what it verifies (e.g. a conversation id); only the newest
    code of a subject is live, older ones are ``superseded_at``.
    """

    __tablename__ = "one_time_codes"
    __table_args__ = (
        Index("ix_one_time_codes_subject_created", "subject", "created_at"),
        Index("ix_one_time_codes_email_created", "email", "created_at"),
    )

    id: Mapped[str] = id_column()
    created_at: Mapped[datetime] = created_column()
    subject: Mapped[str] = mapped_column(String(128))
    email: Mapped[str] = mapped_column(String(320))
    code_hash: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
