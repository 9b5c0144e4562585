"""Writes of workflow documents: set the active one, install the default on first start."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.workflows import WorkflowRecord
from relaydesk.workflows.default import default_workflow
from relaydesk.workflows.queries import find_active_workflow
from relaydesk.workflows.schema import WorkflowDocument


def do_activate_workflow(session: Session, document: WorkflowDocument) -> WorkflowRecord:
    """Store a validated document as the active workflow (earlier ones stay, inactive).

    Records are never changed: a conversation keeps running the document it started with.
    """
    session.execute(
        update(WorkflowRecord).where(WorkflowRecord.active.is_(True)).values(active=False)
    )
    record = WorkflowRecord(
        name=document.name, document=document.to_json(), active=True, created_at=utcnow()
    )
    session.add(record)
    session.flush()
    return record


def do_install_default_workflow(session: Session) -> WorkflowRecord | None:
    """Make the default workflow active when no workflow was ever set; return it if installed."""
    if find_active_workflow(session) is not None:
        return None
    return do_activate_workflow(session, default_workflow())
