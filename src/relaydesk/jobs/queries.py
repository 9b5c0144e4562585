"""Reads (and the one admin write) on the job table: list, get, retry a dead job."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relaydesk.db.models.jobs import Job
from relaydesk.errors import JobNotFound

STATUSES = ("pending", "running", "done", "dead", "skipped")


def list_jobs(
    session: Session,
    *,
    status: str | None = None,
    kind: str | None = None,
    ordering_key: str | None = None,
    limit: int = 100,
) -> list[Job]:
    """Return jobs, newest first, optionally filtered by status, kind and ordering key."""
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(Job.status == status)
    if kind is not None:
        stmt = stmt.where(Job.kind == kind)
    if ordering_key is not None:
        stmt = stmt.where(Job.ordering_key == ordering_key)
    return list(session.scalars(stmt))


def get_job(session: Session, job_id: int) -> Job:
    """Return the job with job_id or raise JobNotFound."""
    job = session.get(Job, job_id)
    if job is None:
        raise JobNotFound(f"job {job_id} not found")
    return job


def count_jobs_by_status(session: Session) -> dict[str, int]:
    """Return how many jobs are in each status (every status present, zero included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in session.execute(select(Job.status, func.count()).group_by(Job.status)):
        counts[status] = n
    return counts


def retry_dead_job(session: Session, job_id: int) -> Job:
    """Put a dead (or skipped) job back in the queue (``actions.do_retry_dead_job``)."""
    from relaydesk.jobs.actions import do_retry_dead_job

    return do_retry_dead_job(session, job_id)
