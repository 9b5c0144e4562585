"""Workflow documents; exactly one is active."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import Base
from relaydesk.db.models._columns import created_column, id_column


class WorkflowRecord(Base):
    """A stored, validated workflow document."""

    __tablename__ = "workflows"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(128))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = created_column()
