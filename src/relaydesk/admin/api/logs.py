"""Admin API for the integration log and dead-lettered deliveries.

GET  /logs?system=&limit=&errors=&job_id=   remote API calls, newest first
GET  /logs/dead-letters?limit=              jobs that ran out of tries, with their error
POST /logs/dead-letters/{job_id}/retry      put a dead job back in the queue
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from relaydesk.connectors.queries import list_integration_log
from relaydesk.deps import DatabaseDep
from relaydesk.jobs.queries import list_jobs, retry_dead_job

router = APIRouter(prefix="/logs", tags=["logs"])

MAX_JOB_ID = 2**31 - 1  # job ids are INTEGER (32 bits on PostgreSQL); a larger one is bad input
JobId = Annotated[int, Path(ge=1, le=MAX_JOB_ID)]


@router.get("")
def integration_log(
    db: DatabaseDep,
    system: Annotated[Literal["freshchat", "freshdesk", "crm"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    errors: bool = False,
    job_id: Annotated[int | None, Query(ge=1, le=MAX_JOB_ID)] = None,
) -> dict[str, Any]:
    """Return integration log entries (bodies truncated, secrets redacted), newest first."""
    with db.session() as session:
        rows = list_integration_log(
            session, system=system, errors_only=errors, job_id=job_id, limit=limit
        )
        entries = [
            {
                "id": e.id,
                "time": e.created_at.isoformat(),
                "system": e.system,
                "method": e.method,
                "path": e.path,
                "status": e.status,
                "latency_ms": e.latency_ms,
                "error": e.error,
                "request_body": e.request_body,
                "response_body": e.response_body,
                "job_id": e.job_id,
            }
            for e in rows
        ]
    return {"ok": True, "entries": entries}


def _job_view(job: Any) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "attempts": job.attempts,
        "error": job.last_error,
        "ordering_key": job.ordering_key,
        "updated_at": job.updated_at.isoformat(),
    }


@router.get("/dead-letters")
def dead_letters(
    db: DatabaseDep, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> dict[str, Any]:
    """Return dead-lettered jobs with their last error."""
    with db.session() as session:
        jobs = [_job_view(j) for j in list_jobs(session, status="dead", limit=limit)]
    return {"ok": True, "jobs": jobs}


@router.post("/dead-letters/{job_id}/retry")
def retry_dead_letter(job_id: JobId, db: DatabaseDep) -> dict[str, Any]:
    """Queue a dead-lettered job again with a fresh count of tries."""
    with db.transaction() as session:
        job = _job_view(retry_dead_job(session, job_id))
    return {"ok": True, "job": job}
