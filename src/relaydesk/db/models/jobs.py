"""The durable outbox: jobs written in the same transaction as the state change they deliver."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base, UTCDateTime
from relaydesk.db.models._columns import created_column


class Job(Base):
    """A unit of delivery work. Jobs sharing an ``ordering_key`` run one at a time, in id order.

    status: ``pending`` → ``running`` → ``done`` | ``dead`` (dead-lettered after max attempts)
    | ``skipped`` (no handler for its kind, or its conversation was deleted). A ``running`` job
    whose ``locked_until`` has passed is claimable again (its worker died). ``max_attempts``
    NULL means the worker's default (``RELAYDESK_JOB_MAX_ATTEMPTS``).
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_claim", "status", "run_after"),
        Index("ix_jobs_ordering", "ordering_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ordering_key: Mapped[str | None] = mapped_column(String(160))
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int | None] = mapped_column()
    run_after: Mapped[datetime] = created_column()
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = created_column()
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
