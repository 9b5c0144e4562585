"""Fixtures for the job tests: a job context over the test database, a settable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.jobs.worker import JobContext, Worker, build_job_context
from relaydesk.realtime.hub import InProcessHub
from relaydesk.settings import Settings


class Clock:
    """The real time plus an offset that tests move forward by hand."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    @property
    def now(self) -> datetime:
        return utcnow() + self.offset

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(settings: Settings, db: Database) -> JobContext:
    return build_job_context(settings, db, InProcessHub())


@pytest.fixture
def make_worker(ctx: JobContext, clock: Clock) -> Callable[..., Worker]:
    def make(**kwargs: Any) -> Worker:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("poll_interval", 0.01)
        return Worker(ctx, **kwargs)

    return make
