"""Writes of admin state: API tokens."""

from __future__ import annotations

from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.admin import AdminToken
from relaydesk.errors import InvalidInput, NotFound
from relaydesk.security.secrets import hash_token, new_token


def do_create_token(session: Session, name: str) -> tuple[AdminToken, str]:
    """Create an admin API token; return the row and the plaintext (shown once)."""
    name = name.strip()
    if not name or len(name) > 128:
        raise InvalidInput("a token's name is 1 to 128 characters")
    plaintext = new_token("rdk")
    row = AdminToken(name=name, token_hash=hash_token(plaintext))
    session.add(row)
    session.flush()
    return row, plaintext


def do_revoke_token(session: Session, token_id: str) -> AdminToken:
    """Revoke the token with this id (or an unambiguous prefix of it, 4 characters or more)."""
    token_id = token_id.strip()
    if len(token_id) < 4:
        raise NotFound(f"no single admin token matches id {token_id!r}: give its id")
    rows = [t for t in session.query(AdminToken).all() if t.id.startswith(token_id)]
    if len(rows) != 1:
        raise NotFound(f"no single admin token matches id {token_id!r}")
    row = rows[0]
    row.revoked_at = row.revoked_at or utcnow()
    return row
