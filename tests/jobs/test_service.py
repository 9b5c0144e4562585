"""The worker and hub inside create_app: started with the app, woken by commits, stopped cleanly."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.jobs.handlers import HandlerSpec, registry
from relaydesk.jobs.outbox import enqueue
from relaydesk.jobs.queries import get_job
from relaydesk.jobs.service import WorkerService
from relaydesk.jobs.worker import JobContext
from relaydesk.realtime.hub import InProcessHub
from relaydesk.settings import Settings

pytestmark = pytest.mark.postgres


def test_the_app_runs_jobs_in_its_worker_and_stops_it(settings: Settings, db: Database) -> None:
    ran = threading.Event()
    seen: list[dict[str, Any]] = []

    async def work(ctx: JobContext, payload: dict[str, Any]) -> None:
        assert isinstance(ctx.hub, InProcessHub)
        seen.append(payload)
        ran.set()

    settings.worker_enabled = True
    settings.embedding_backend = "hashing"  # the messenger's answer engine loads fast
    app = create_app(settings, db=db)
    assert isinstance(app.state.hub, InProcessHub)
    service = app.state.worker
    assert isinstance(service, WorkerService)
    service.worker.poll_interval = 30  # only the commit's wake-up can make it run soon
    with registry.temporary(HandlerSpec("test.app", "x", work)), TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        with db.transaction() as session:
            job = enqueue(session, "test.app:x", {"n": 1})
            assert job is not None
            job_id = job.id
        assert ran.wait(5), "the worker did not run the job"
    assert seen == [{"n": 1}]
    with db.session() as session:
        assert get_job(session, job_id).status == "done"
    assert service._task is None


def test_the_worker_can_be_disabled(settings: Settings, db: Database) -> None:
    settings.worker_enabled = False
    settings.embedding_backend = "hashing"
    app = create_app(settings, db=db)
    assert app.state.worker is None
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
