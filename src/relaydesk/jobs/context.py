"""What a job handler gets: ``JobContext`` (settings, database, hub, secrets, clients)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.jobs.errors import is_permanent, is_transient
from relaydesk.realtime.hub import Hub
from relaydesk.security.secrets import SecretBox, load_secret_box
from relaydesk.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class JobInfo:
    """The job a handler is running: its id, kind and which try this is (1-based).

    ``retry_until``: until when a transient failure (``jobs.errors.is_transient``) is retried
    even past ``max_attempts`` (None: never past it).
    """

    id: int
    kind: str
    attempt: int
    max_attempts: int
    ordering_key: str | None
    idempotency_key: str | None
    retry_until: datetime | None = None

    def gives_up_on(self, exc: BaseException, now: datetime | None = None) -> bool:
        """Tell whether the worker dead-letters the job if this try fails with exc.

        Handlers use it to tell a visitor that a delivery failed for good, only then.
        """
        if is_permanent(exc):
            return True
        if self.attempt < self.max_attempts:
            return False
        if is_transient(exc) and self.retry_until is not None:
            return (now or utcnow()) >= self.retry_until
        return True


@dataclass
class JobContext:
    """What a handler gets: settings, database, hub, secrets, and lazily built clients.

    ``clients`` is shared by every job of a worker: connectors keep their HTTP clients there
    (``ctx.clients.setdefault("freshchat", ...)``). ``job`` is the running job.
    """

    settings: Settings
    db: Database
    hub: Hub
    secrets: SecretBox
    clients: dict[str, Any] = field(default_factory=dict)
    job: JobInfo | None = None

    def for_job(self, job: JobInfo) -> JobContext:
        """Return a copy of this context for one job (the clients dict is shared)."""
        return replace(self, job=job)

    async def remote_call_started(self) -> bool:
        """Record that the job is about to call a remote with side effects; return whether
        an earlier run of it already did (look at the remote before acting again).

        Without a job (a handler called directly) it returns False.
        """
        if self.job is None:
            return False
        from relaydesk.jobs.actions import do_mark_remote_call

        job_id = self.job.id
        return await self.in_transaction(lambda session: do_mark_remote_call(session, job_id))

    async def in_transaction(self, fn: Callable[[Session], T]) -> T:
        """Run fn(session) inside one committed transaction, in a thread; return its result."""

        def run() -> T:
            with self.db.transaction() as session:
                return fn(session)

        return await asyncio.to_thread(run)


def build_job_context(settings: Settings, db: Database, hub: Hub) -> JobContext:
    """Return the JobContext the worker passes to handlers."""
    return JobContext(settings=settings, db=db, hub=hub, secrets=load_secret_box(settings))
