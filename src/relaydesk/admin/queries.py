"""Reads of admin state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.db.models.admin import AdminToken
from relaydesk.security.secrets import hash_token


def find_active_token(session: Session, plaintext: str) -> AdminToken | None:
    """Return the unrevoked token whose hash matches plaintext, or None."""
    row = session.scalar(select(AdminToken).where(AdminToken.token_hash == hash_token(plaintext)))
    if row is None or row.revoked_at is not None:
        return None
    return row


def list_tokens(session: Session) -> list[AdminToken]:
    """Return every admin token, newest first."""
    return list(session.scalars(select(AdminToken).order_by(AdminToken.created_at.desc())))
