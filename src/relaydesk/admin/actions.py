"""Writes of admin state: API tokens."""

from __future__ import annotations

from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.admin import AdminToken
from relaydesk.errors import NotFound
from relaydesk.security.secrets import hash_token, new_token


def do_create_token(session: Session, name: str) -> tuple[AdminToken, str]:
    """Create an admin API token; return the row and the plaintext (shown once)."""
    plaintext = new_token("rdk")
    row = AdminToken(name=name, token_hash=hash_token(plaintext))
    session.add(row)
    session.flush()
    return row, plaintext


def do_revoke_token(session: Session, token_id: str) -> AdminToken:
    """Revoke the token with this id (or id prefix)."""
    rows = [t for t in session.query(AdminToken).all() if t.id.startswith(token_id)]
    if len(rows) != 1:
        raise NotFound(f"no single admin token matches id {token_id!r}")
    row = rows[0]
    row.revoked_at = row.revoked_at or utcnow()
    return row
