"""Reads of stored workflow documents."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from relaydesk.db.models.workflows import WorkflowRecord


def find_active_workflow(session: Session) -> WorkflowRecord | None:
    """Return the active workflow record, or None when none was ever set."""
    stmt = (
        select(WorkflowRecord)
        .where(WorkflowRecord.active.is_(True))
        .order_by(WorkflowRecord.created_at.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def find_workflow(session: Session, workflow_id: str) -> WorkflowRecord | None:
    """Return the workflow record with workflow_id (active or not), or None."""
    return session.get(WorkflowRecord, workflow_id)
