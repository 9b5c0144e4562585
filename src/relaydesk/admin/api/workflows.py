"""Admin API for the workflow.

GET  /workflow            the active workflow (the built-in default when none was set)
PUT  /workflow            validate a document and make it active (400 lists every problem)
POST /workflow/validate   check a document without storing it: {"ok", "problems"}
GET  /workflow/schema     the JSON Schema of workflow documents
GET  /workflow/default    the built-in default workflow
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from relaydesk.deps import DatabaseDep
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.default import default_workflow
from relaydesk.workflows.queries import find_active_workflow
from relaydesk.workflows.schema import workflow_json_schema
from relaydesk.workflows.validation import check_workflow, validate_workflow

router = APIRouter(prefix="/workflow", tags=["workflow"])

DocumentBody = Annotated[Any, Body(description="A workflow document (JSON).")]


@router.get("")
def get_workflow(db: DatabaseDep) -> dict[str, Any]:
    """Return the active workflow document with its id."""
    with db.session() as session:
        record = find_active_workflow(session)
        if record is None:
            return {
                "ok": True,
                "id": "default",
                "stored": False,
                "document": default_workflow().to_json(),
            }
        return {
            "ok": True,
            "id": record.id,
            "stored": True,
            "created_at": record.created_at.isoformat(),
            "document": record.document,
        }


@router.put("")
def put_workflow(db: DatabaseDep, document: DocumentBody) -> dict[str, Any]:
    """Validate document and make it the active workflow for new conversations."""
    valid = validate_workflow(document)
    with db.transaction() as session:
        record = do_activate_workflow(session, valid)
        return {"ok": True, "id": record.id, "stored": True, "document": record.document}


@router.post("/validate")
def validate(document: DocumentBody) -> dict[str, Any]:
    """Check document; list every problem with its block id."""
    _doc, problems = check_workflow(document)
    return {"ok": not problems, "problems": [p.to_json() for p in problems]}


@router.get("/schema")
def schema() -> dict[str, Any]:
    """Return the JSON Schema of workflow documents."""
    return workflow_json_schema()


@router.get("/default")
def default() -> dict[str, Any]:
    """Return the built-in default workflow (the seed's hybrid path)."""
    return {"ok": True, "document": default_workflow().to_json()}
