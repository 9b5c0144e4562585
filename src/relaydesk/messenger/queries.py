"""Reads the messenger needs beyond the conversation store's: visitor sessions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from relaydesk.db.models.contacts import VisitorSession
from relaydesk.security.secrets import hash_token


def find_visitor_session(session: Session, token: str) -> VisitorSession | None:
    """Return the visitor session an opaque visitor token opens, or None."""
    if not token or len(token) > 256:
        return None
    return session.get(VisitorSession, hash_token(token))
