"""Column helpers shared by the model modules."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.db.base import UTCDateTime, utcnow


def new_id() -> str:
    """Return a new opaque 32-character identifier."""
    return uuid.uuid4().hex


def id_column() -> Mapped[str]:
    """Return a string primary key filled with a new uuid."""
    return mapped_column(primary_key=True, default=new_id)


def created_column() -> Mapped[datetime]:
    """Return a creation timestamp column."""
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)
