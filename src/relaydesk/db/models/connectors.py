"""Connections to Freshworks, product settings, webhook receipts and the integration log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base
from relaydesk.db.models._columns import created_column


class Connection(Base):
    """A connection to one remote system (freshchat, freshdesk, crm); the key is encrypted."""

    __tablename__ = "connections"

    system: Mapped[str] = mapped_column(String(16), primary_key=True)
    base_url: Mapped[str] = mapped_column(String(512))
    api_key_encrypted: Mapped[str] = mapped_column(Text)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = created_column()


class ProductSetting(Base):
    """One product setting (deploy rules, office hours, auto-resolve…) as a JSON value."""

    __tablename__ = "product_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = created_column()


class WebhookReceipt(Base):
    """An inbound webhook already accepted, so a redelivery is processed once."""

    __tablename__ = "webhook_receipts"
    __table_args__ = (UniqueConstraint("system", "event_key", name="uq_webhook_receipts_event"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    system: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = created_column()


class IntegrationLogEntry(Base):
    """One call to a remote API: what was asked, what came back, how long it took."""

    __tablename__ = "integration_log"
    __table_args__ = (Index("ix_integration_log_system_time", "system", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = created_column()
    system: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(1024))
    status: Mapped[int | None] = mapped_column()
    latency_ms: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    request_body: Mapped[str | None] = mapped_column(Text)
    response_body: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[int | None] = mapped_column()
