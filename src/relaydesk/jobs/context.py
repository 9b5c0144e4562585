"""What a job handler gets: ``JobContext`` (settings, database, hub, secrets, clients)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from relaydesk.db.engine import Database
from relaydesk.realtime.hub import Hub
from relaydesk.security.secrets import SecretBox, load_secret_box
from relaydesk.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class JobInfo:
    """The job a handler is running: its id, kind and which try this is (1-based)."""

    id: int
    kind: str
    attempt: int
    max_attempts: int
    ordering_key: str | None
    idempotency_key: str | None


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

    async def in_transaction(self, fn: Callable[[Session], T]) -> T:
        """Run fn(session) inside one committed transaction, in a thread; return its result."""

        def run() -> T:
            with self.db.transaction() as session:
                return fn(session)

        return await asyncio.to_thread(run)


def build_job_context(settings: Settings, db: Database, hub: Hub) -> JobContext:
    """Return the JobContext the worker passes to handlers."""
    return JobContext(settings=settings, db=db, hub=hub, secrets=load_secret_box(settings))
