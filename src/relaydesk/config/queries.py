"""Read product settings (JSON values stored in ``product_settings``)."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.config.keys import AUTO_RESOLVE_AFTER_SECONDS, PREVENT_REPLIES_WHEN_CLOSED
from relaydesk.db.models.connectors import ProductSetting
from relaydesk.db.row_cache import cached


def get_product_setting(session: Session, key: str, default: Any = None) -> Any:
    """Return the stored value of key, or default when it was never set."""
    row = session.get(ProductSetting, key)
    return default if row is None else row.value


def cached_product_setting(session: Session, key: str, default: Any = None) -> Any:
    """Return ``get_product_setting`` through the row cache (``db/row_cache.py``).

    For settings read on every message; the value is a copy, free to change.
    """
    value = cached(
        session, ("product_setting", key), lambda: get_product_setting(session, key, default)
    )
    return copy.deepcopy(value)


def list_product_settings(session: Session) -> dict[str, Any]:
    """Return every stored product setting as a dict."""
    return {row.key: row.value for row in session.scalars(select(ProductSetting))}


def prevent_replies_when_closed(session: Session) -> bool:
    """Tell whether visitors may not write to resolved conversations."""
    value = cached_product_setting(
        session, PREVENT_REPLIES_WHEN_CLOSED.key, PREVENT_REPLIES_WHEN_CLOSED.default
    )
    return bool(value)


def auto_resolve_after_seconds(session: Session) -> int:
    """Return the inactivity, in seconds, after which a conversation is auto-resolved."""
    value = cached_product_setting(
        session, AUTO_RESOLVE_AFTER_SECONDS.key, AUTO_RESOLVE_AFTER_SECONDS.default
    )
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return int(AUTO_RESOLVE_AFTER_SECONDS.default)
