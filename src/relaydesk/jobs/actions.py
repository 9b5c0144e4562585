"""Writes on the job table outside the worker: retry a dead job, prune finished ones, and
record that a job has made a remote call with side effects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.models.jobs import Job
from relaydesk.errors import Conflict, JobNotFound

LOST_LEASES_KEY = "lost_leases"
REQUEUED_AT_KEY = "requeued_at"


def do_retry_dead_job(session: Session, job_id: int) -> Job:
    """Put a dead (or skipped) job back in the queue with a fresh count of attempts.

    It also gets a fresh retry window for remote outages (counted from now, not from when it
    was first queued) and a fresh count of lost leases.
    """
    job = session.get(Job, job_id)
    if job is None:
        raise JobNotFound(f"job {job_id} not found")
    if job.status not in ("dead", "skipped"):
        raise Conflict(f"job {job_id} is {job.status}; only dead or skipped jobs can be retried")
    now = utcnow()
    job.status = "pending"
    job.attempts = 0
    job.run_after = now
    job.updated_at = now
    job.locked_by = None
    job.locked_until = None
    result = dict(job.result or {})
    result.pop(LOST_LEASES_KEY, None)
    result[REQUEUED_AT_KEY] = now.isoformat()
    job.result = result
    session.flush()
    return job


def do_prune_jobs(session: Session, *, finished_before: datetime, dead_before: datetime) -> int:
    """Delete done/skipped jobs last touched before finished_before, and dead ones before
    dead_before (their payloads may hold a deleted contact's identifiers). Return the count."""
    result = session.execute(
        delete(Job)
        .where(
            or_(
                Job.status.in_(("done", "skipped")) & (Job.updated_at < finished_before),
                (Job.status == "dead") & (Job.updated_at < dead_before),
            )
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


REMOTE_CALL_KEY = "remote_call_started"


def do_mark_remote_call(session: Session, job_id: int) -> bool:
    """Record on the job that it is about to make a remote call with side effects.

    Return whether an earlier run of the job already recorded one: then the remote may have
    acted although the job did not finish (an answer lost, a worker stopped or killed, a dead
    job retried by an admin: none of these leaves a trace in the attempt count), so the
    caller must look at the remote before acting again.
    """
    job = session.get(Job, job_id, with_for_update=True)
    if job is None:
        return False
    result = dict(job.result or {})
    before = bool(result.get(REMOTE_CALL_KEY))
    if not before:
        result[REMOTE_CALL_KEY] = True
        job.result = result
        session.flush()
    return before
