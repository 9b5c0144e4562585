"""Reads of the connectors' own tables: connections and the integration log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.db.models.connectors import Connection, IntegrationLogEntry


def find_connection(session: Session, system: str) -> Connection | None:
    """Return system's connection row, or None."""
    return session.get(Connection, system)


def list_integration_log(
    session: Session,
    *,
    system: str | None = None,
    errors_only: bool = False,
    since: datetime | None = None,
    job_id: int | None = None,
    limit: int = 50,
) -> list[IntegrationLogEntry]:
    """Return the newest integration log entries first."""
    stmt = select(IntegrationLogEntry)
    if system:
        stmt = stmt.where(IntegrationLogEntry.system == system)
    if errors_only:
        stmt = stmt.where(IntegrationLogEntry.error.is_not(None))
    if since is not None:
        stmt = stmt.where(IntegrationLogEntry.created_at >= since)
    if job_id is not None:
        stmt = stmt.where(IntegrationLogEntry.job_id == job_id)
    stmt = stmt.order_by(IntegrationLogEntry.id.desc()).limit(limit)
    return list(session.scalars(stmt))
