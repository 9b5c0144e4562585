"""Write product settings; never commits."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.connectors import ProductSetting
from relaydesk.errors import InvalidInput

MAX_KEY = 64


def do_set_product_setting(session: Session, key: str, value: Any) -> None:
    """Store value (anything JSON can hold) under key, replacing any earlier value."""
    if not key or len(key) > MAX_KEY:
        raise InvalidInput(f"setting key must be 1-{MAX_KEY} characters")
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"setting {key!r} is not JSON: {exc}") from None
    row = session.get(ProductSetting, key)
    if row is None:
        session.add(ProductSetting(key=key, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()


def do_delete_product_setting(session: Session, key: str) -> None:
    """Forget key (its default applies again)."""
    row = session.get(ProductSetting, key)
    if row is not None:
        session.delete(row)
        session.flush()
