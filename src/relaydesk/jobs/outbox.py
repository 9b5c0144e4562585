"""The outbox: jobs written in the caller's transaction, next to the change they deliver.

Nothing here commits. When the transaction rolls back, its jobs vanish with it; when it
commits, the worker picks them up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, cast

from sqlalchemy import Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from relaydesk.db.after_commit import pending_after_commit, queue_after_commit, register_dispatcher
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.registry import HandlerRegistry, registry

log = logging.getLogger(__name__)

WAKE_INFO_KEY = "relaydesk.jobs_wake"
AFTER_COMMIT_KIND = "jobs.wake"


class OutboxEvent(Protocol):
    """What ``record_event`` needs of an event (``relaydesk.conversations.events.Event``)."""

    name: ClassVar[str]

    @property
    def event_id(self) -> str: ...

    @property
    def subject(self) -> str: ...

    def to_payload(self) -> dict[str, Any]: ...


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    ordering_key: str | None = None,
    idempotency_key: str | None = None,
    run_after: datetime | None = None,
    max_attempts: int | None = None,
) -> Job | None:
    """Add a job in the caller's transaction; return None if idempotency_key already exists.

    ``max_attempts=None`` means the worker's default (``RELAYDESK_JOB_MAX_ATTEMPTS``).
    """
    row = _job_row(kind, payload, ordering_key, idempotency_key, run_after, max_attempts)
    ids = _insert_jobs(session, [row])
    if not ids:
        log.info("job already queued", extra={"kind": kind, "idempotency_key": idempotency_key})
        return None
    return session.get(Job, ids[0])


def enqueue_many(session: Session, jobs: Sequence[Mapping[str, Any]]) -> list[int]:
    """Add several jobs in one INSERT (each mapping: ``kind``, ``payload`` and optionally
    ``ordering_key``, ``idempotency_key``, ``run_after``, ``max_attempts``); return new ids.

    Jobs whose idempotency key already exists are skipped, as with ``enqueue``.
    """
    rows = [
        _job_row(
            job["kind"],
            job["payload"],
            job.get("ordering_key"),
            job.get("idempotency_key"),
            job.get("run_after"),
            job.get("max_attempts"),
        )
        for job in jobs
    ]
    return _insert_jobs(session, rows) if rows else []


def record_event(
    session: Session,
    event: OutboxEvent,
    *,
    handlers: HandlerRegistry | None = None,
    delay: timedelta | None = None,
) -> list[int]:
    """Write one job per handler registered for event, in the caller's transaction.

    Kind ``"<event>:<concern>"``, ordering key ``"<ordering or concern>:<subject>"``
    (the subject is the conversation id, or ``contact:<id>``), idempotency key
    ``"<event id>:<concern>"``. All in one INSERT; returns the new jobs' ids.
    """
    reg = handlers or registry
    reg.ensure_loaded()
    specs = reg.for_event(event.name)
    if not specs:
        return []
    payload = event.to_payload()
    run_after = utcnow() + delay if delay is not None else None
    rows = [
        _job_row(
            spec.kind,
            payload,
            f"{spec.ordering_group}:{event.subject}",
            f"{event.event_id}:{spec.concern}",
            run_after,
            spec.max_attempts,
        )
        for spec in specs
        if spec.wants(session, payload)
    ]
    return _insert_jobs(session, rows) if rows else []


def _job_row(
    kind: str,
    payload: dict[str, Any],
    ordering_key: str | None,
    idempotency_key: str | None,
    run_after: datetime | None,
    max_attempts: int | None,
) -> dict[str, Any]:
    now = utcnow()
    return {
        "kind": kind,
        "payload": payload,
        "ordering_key": ordering_key,
        "idempotency_key": idempotency_key,
        "status": "pending",
        "attempts": 0,
        "max_attempts": max_attempts,
        "run_after": run_after or now,
        "created_at": now,
        "updated_at": now,
        "locked_by": None,
        "locked_until": None,
        "last_error": None,
        "result": {},
    }


def _insert_jobs(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in one statement, skipping existing idempotency keys; return new ids."""
    table = cast(Table, Job.__table__)
    dialect = session.get_bind().dialect.name
    stmt: Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=["idempotency_key"])
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=["idempotency_key"])
    else:
        stmt = insert(table)
    # executemany with RETURNING ("insertmanyvalues"): one cached statement, one round trip
    ids = sorted(session.execute(stmt.returning(table.c.id), rows).scalars())
    if ids and not pending_after_commit(session, AFTER_COMMIT_KIND):
        queue_after_commit(session, AFTER_COMMIT_KIND, True)
    return ids


def attach_wakeup(db: Database, wake: Callable[[], None]) -> None:
    """Call wake() (thread-safe) after every commit of db's sessions that enqueued a job."""
    info = dict(db.sessions.kw.get("info") or {})
    info[WAKE_INFO_KEY] = wake
    db.sessions.configure(info=info)


def _wake_after_commit(session: Session, _items: list[Any]) -> None:
    wake = session.info.get(WAKE_INFO_KEY)
    if wake is not None:
        wake()


register_dispatcher(AFTER_COMMIT_KIND, _wake_after_commit)
