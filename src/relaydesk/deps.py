"""FastAPI dependencies, declared once as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from relaydesk.admin.queries import find_active_token
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.errors import Unauthorized
from relaydesk.settings import Settings


def get_settings(request: Request) -> Settings:
    """Return the app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    """Return the app's database."""
    db: Database = request.app.state.db
    return db


def get_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """Yield a session for one request; routes open transactions with ``session.begin()``."""
    with db.sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def require_admin(request: Request, db: DatabaseDep) -> str:
    """Authenticate an admin API call by bearer token; return the token's name."""
    token = _bearer(request)
    if token is None:
        raise Unauthorized("admin API needs 'Authorization: Bearer <token>'")
    with db.transaction() as session:
        row = find_active_token(session, token)
        if row is None:
            raise Unauthorized("unknown or revoked admin token")
        row.last_used_at = utcnow()
        return row.name


AdminDep = Annotated[str, Depends(require_admin)]
