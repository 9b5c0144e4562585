"""Property: whatever fails and retries, each ordering key's jobs succeed once each, in order."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from relaydesk.db.engine import Database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.errors import RetryLater
from relaydesk.jobs.handlers import HandlerSpec, registry
from relaydesk.jobs.outbox import enqueue
from relaydesk.jobs.worker import JobContext, Worker
from tests.jobs.conftest import Clock

plans = st.lists(  # one entry per job: its key and how many times it fails first
    st.tuples(st.sampled_from("abc"), st.integers(0, 3), st.booleans()), min_size=1, max_size=12
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(plan=plans, batch=st.integers(1, 5))
def test_ordering_survives_any_failures(
    db: Database, ctx: JobContext, plan: list[tuple[str, int, bool]], batch: int
) -> None:
    with db.transaction() as session:
        session.execute(delete(Job))
        ids = []
        for n, (key, _, _) in enumerate(plan):
            job = enqueue(session, "test.prop:x", {"n": n}, ordering_key=key, max_attempts=10)
            assert job is not None
            ids.append(job.id)
    failures = {n: fails for n, (_, fails, _) in enumerate(plan)}
    succeeded: list[int] = []

    async def work(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        n = payload["n"]
        if failures[n] > 0:
            failures[n] -= 1
            if plan[n][2]:
                raise RetryLater(0.5, "busy")
            raise RuntimeError("flaky")
        succeeded.append(n)

    async def drive() -> None:
        clock = Clock()
        worker = Worker(ctx, batch=batch, clock=clock)
        for _ in range(200):
            await worker.run_until_idle()
            if len(succeeded) == len(plan):
                return
            clock.advance(10)

    with registry.temporary(HandlerSpec("test.prop", "x", work)):
        asyncio.run(drive())
    assert sorted(succeeded) == list(range(len(plan)))  # each exactly once
    for key in "abc":
        mine = [n for n in succeeded if plan[n][0] == key]
        assert mine == sorted(mine)
