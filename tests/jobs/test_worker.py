"""The worker: ordering, retries, back-off, dead letters, leases, idempotency, skipping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from relaydesk.db.engine import Database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.errors import PermanentFailure, RetryLater
from relaydesk.jobs.handlers import HandlerSpec, PeriodicSpec, registry
from relaydesk.jobs.outbox import enqueue
from relaydesk.jobs.queries import count_jobs_by_status, get_job, list_jobs, retry_dead_job
from relaydesk.jobs.worker import JobContext, Worker
from tests.jobs.conftest import Clock

pytestmark = pytest.mark.postgres


def _job(db: Database, job_id: int) -> Job:
    with db.transaction() as session:
        job = get_job(session, job_id)
        session.expunge(job)
        return job


def _enqueue(db: Database, kind: str, payload: dict[str, Any], **kw: Any) -> int:
    with db.transaction() as session:
        job = enqueue(session, kind, payload, **kw)
        assert job is not None
        return job.id


def _delayed_by(run_after: datetime, seconds: float, before: datetime, after: datetime) -> bool:
    """Whether run_after is seconds after a moment between before and after (when the job
    failed): exact on a machine of any speed, unlike comparing with the time it is read."""
    delay = timedelta(seconds=seconds)
    return before + delay <= run_after <= after + delay


def spec(kind: str, fn: Any, **kw: Any) -> HandlerSpec:
    event, _, concern = kind.partition(":")
    return HandlerSpec(event, concern, fn, **kw)


async def test_jobs_with_one_ordering_key_run_in_order(
    db: Database, make_worker: Callable[..., Worker]
) -> None:
    seen: list[tuple[str, int]] = []

    async def record(ctx: JobContext, payload: dict[str, Any]) -> None:
        await asyncio.sleep(0.001 * (5 - payload["n"] % 5))
        seen.append((payload["key"], payload["n"]))

    with registry.temporary(spec("test.ordered:record", record)):
        for n in range(10):
            for key in ("a", "b"):
                _enqueue(db, "test.ordered:record", {"key": key, "n": n}, ordering_key=key)
        ran = await make_worker(batch=10).run_until_idle()
    assert ran == 20
    assert [n for k, n in seen if k == "a"] == list(range(10))
    assert [n for k, n in seen if k == "b"] == list(range(10))


async def test_a_later_job_waits_while_an_earlier_one_backs_off(
    db: Database, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    seen: list[int] = []
    fail_first = {"left": 1}

    async def flaky(ctx: JobContext, payload: dict[str, Any]) -> None:
        if payload["n"] == 1 and fail_first["left"]:
            fail_first["left"] -= 1
            raise RuntimeError("remote down")
        seen.append(payload["n"])

    with registry.temporary(spec("test.flaky:x", flaky)):
        first = _enqueue(db, "test.flaky:x", {"n": 1}, ordering_key="k")
        _enqueue(db, "test.flaky:x", {"n": 2}, ordering_key="k")
        worker = make_worker()
        assert await worker.run_until_idle() == 1
        assert seen == []
        job = _job(db, first)
        assert job.status == "pending"
        assert job.attempts == 1
        assert job.last_error == "RuntimeError: remote down"
        assert job.run_after <= clock.now + timedelta(seconds=1)
        clock.advance(2)
        assert await worker.run_until_idle() == 2
    assert seen == [1, 2]


async def test_failures_back_off_then_dead_letter_with_the_error(
    db: Database, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    async def broken(ctx: JobContext, payload: dict[str, Any]) -> None:
        raise ValueError(f"bad {ctx.job.attempt if ctx.job else '?'}")

    with registry.temporary(spec("test.broken:x", broken)):
        job_id = _enqueue(db, "test.broken:x", {}, max_attempts=4)
        worker = make_worker()
        for attempt in range(1, 5):
            before = clock.now
            assert await worker.run_once() == 1
            after = clock.now
            job = _job(db, job_id)
            if attempt < 4:
                assert job.status == "pending"
                # The clock is real time plus an offset, and a loaded machine may take any
                # time between two lines: the jittered delay is checked against the moments
                # around the failure, and "not due yet" half a minute before run_after.
                ceiling = timedelta(seconds=2 ** (attempt - 1))
                assert before <= job.run_after <= after + ceiling
                clock.advance((job.run_after - clock.now).total_seconds() - 30)
                assert await worker.run_once() == 0  # not due yet
                clock.advance((job.run_after - clock.now).total_seconds() + 0.001)
        job = _job(db, job_id)
    assert job.status == "dead"
    assert job.attempts == 4
    assert job.last_error == "ValueError: bad 4"


async def test_default_max_attempts_comes_from_settings(
    db: Database, ctx: JobContext, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    ctx.settings.job_max_attempts = 2

    async def broken(ctx: JobContext, payload: dict[str, Any]) -> None:
        raise ValueError("no")

    with registry.temporary(spec("test.broken2:x", broken)):
        job_id = _enqueue(db, "test.broken2:x", {})
        worker = make_worker()
        await worker.run_once()
        clock.advance(5)
        await worker.run_once()
    assert _job(db, job_id).status == "dead"


async def test_retry_later_and_retry_after_attribute_set_the_delay(
    db: Database, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    class RateLimited(Exception):
        def __init__(self, retry_after: float) -> None:
            super().__init__("429")
            self.retry_after = retry_after

    calls: dict[str, int] = {"a": 0, "b": 0}

    async def limited(ctx: JobContext, payload: dict[str, Any]) -> None:
        calls[payload["which"]] += 1
        if calls[payload["which"]] == 1:
            if payload["which"] == "a":
                raise RetryLater(42, "busy")
            raise RateLimited(17)

    with registry.temporary(spec("test.limited:x", limited)):
        a = _enqueue(db, "test.limited:x", {"which": "a"})
        b = _enqueue(db, "test.limited:x", {"which": "b"})
        worker = make_worker()
        before = clock.now
        assert await worker.run_once() == 2
        after = clock.now
        assert _delayed_by(_job(db, a).run_after, 42, before, after)
        assert _delayed_by(_job(db, b).run_after, 17, before, after)
        clock.advance(20)
        assert await worker.run_until_idle() == 1
        assert _job(db, b).status == "done"
        assert _job(db, a).status == "pending"
        clock.advance(30)
        assert await worker.run_until_idle() == 1
    assert _job(db, a).status == "done"


async def test_permanent_failures_are_dead_at_once(
    db: Database, make_worker: Callable[..., Worker]
) -> None:
    class Rejected(Exception):
        permanent = True

    async def reject(ctx: JobContext, payload: dict[str, Any]) -> None:
        if payload["how"] == "class":
            raise PermanentFailure("remote said 400")
        raise Rejected("remote said 422")

    with registry.temporary(spec("test.reject:x", reject)):
        a = _enqueue(db, "test.reject:x", {"how": "class"})
        b = _enqueue(db, "test.reject:x", {"how": "attr"})
        await make_worker().run_until_idle()
    assert (_job(db, a).status, _job(db, a).last_error) == (
        "dead",
        "PermanentFailure: remote said 400",
    )
    assert (_job(db, b).status, _job(db, b).last_error) == ("dead", "Rejected: remote said 422")


async def test_a_dead_job_no_longer_blocks_its_ordering_key_and_can_be_retried(
    db: Database, make_worker: Callable[..., Worker]
) -> None:
    attempts: list[int] = []

    async def once_broken(ctx: JobContext, payload: dict[str, Any]) -> None:
        attempts.append(payload["n"])
        if payload["n"] == 1 and attempts.count(1) == 1:
            raise PermanentFailure("nope")

    with registry.temporary(spec("test.dead:x", once_broken)):
        first = _enqueue(db, "test.dead:x", {"n": 1}, ordering_key="k")
        second = _enqueue(db, "test.dead:x", {"n": 2}, ordering_key="k")
        worker = make_worker()
        await worker.run_until_idle()
        assert _job(db, first).status == "dead"
        assert _job(db, second).status == "done"
        with db.transaction() as session:
            assert [j.id for j in list_jobs(session, status="dead")] == [first]
            retry_dead_job(session, first)
        await worker.run_until_idle()
    assert _job(db, first).status == "done"
    assert attempts == [1, 2, 1]


async def test_retrying_a_job_that_is_not_dead_is_refused(db: Database) -> None:
    from relaydesk.errors import Conflict, JobNotFound

    job_id = _enqueue(db, "test.any:x", {})
    with db.transaction() as session, pytest.raises(Conflict):
        retry_dead_job(session, job_id)
    with db.transaction() as session, pytest.raises(JobNotFound):
        retry_dead_job(session, 999_999)


async def test_a_job_without_a_handler_is_skipped(
    db: Database, make_worker: Callable[..., Worker]
) -> None:
    job_id = _enqueue(db, "test.nobody:listens", {}, ordering_key="k")
    later_ran: list[bool] = []

    async def later(ctx: JobContext, payload: dict[str, Any]) -> None:
        later_ran.append(True)

    with registry.temporary(spec("test.later:x", later)):
        _enqueue(db, "test.later:x", {}, ordering_key="k")
        await make_worker().run_until_idle()
    job = _job(db, job_id)
    assert job.status == "skipped"
    assert "no handler" in (job.last_error or "")
    assert later_ran == [True]


async def test_a_running_job_with_an_expired_lease_runs_again(
    db: Database, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    ran: list[str] = []

    async def work(ctx: JobContext, payload: dict[str, Any]) -> None:
        ran.append(ctx.job.kind if ctx.job else "")

    job_id = _enqueue(db, "test.crash:x", {}, ordering_key="k")
    with db.transaction() as session:  # a worker claimed it, then the process died
        job = session.get(Job, job_id)
        assert job is not None
        job.status = "running"
        job.attempts = 1
        job.locked_by = "dead-worker"
        job.locked_until = clock.now + timedelta(seconds=30)
    with registry.temporary(spec("test.crash:x", work)):
        worker = make_worker()
        assert await worker.run_until_idle() == 0  # lease still valid
        clock.advance(31)
        assert await worker.run_until_idle() == 1
    job = _job(db, job_id)
    assert ran == ["test.crash:x"]
    assert (job.status, job.attempts, job.locked_by) == ("done", 2, None)


async def test_a_long_handler_keeps_its_lease(
    db: Database, ctx: JobContext, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    # No fixed sleeps: on a loaded machine the claim, or a renewal, can take longer than a
    # short lease. The test waits for a renewal it can see in the table, then moves the clock
    # just past the lease the job was claimed with: only that renewal keeps it from the other.
    import time as _time

    started = asyncio.Event()
    release = asyncio.Event()
    runs: list[int] = []

    async def slow(ctx: JobContext, payload: dict[str, Any]) -> None:
        runs.append(1)
        started.set()
        await release.wait()

    with registry.temporary(spec("test.slow:x", slow)):
        job_id = _enqueue(db, "test.slow:x", {})
        first = make_worker(lease_seconds=3.0)  # renewed every second
        other = make_worker(lease_seconds=3.0)
        task = asyncio.create_task(first.run_once())
        try:
            await asyncio.wait_for(started.wait(), 30)
            claimed_until = _job(db, job_id).locked_until
            assert claimed_until is not None
            deadline = _time.monotonic() + 30
            while (renewed := _job(db, job_id).locked_until) == claimed_until:
                assert _time.monotonic() < deadline, "the lease was never renewed"
                await asyncio.sleep(0.05)
            assert renewed is not None and renewed > claimed_until
            clock.advance((claimed_until - clock.now).total_seconds() + 0.01)
            assert await other.run_once() == 0  # past the first lease: only renewal keeps it
        finally:
            release.set()
            await asyncio.wait_for(task, 30)
    assert runs == [1]
    assert _job(db, job_id).status == "done"


async def test_idempotency_key_enqueues_once(db: Database) -> None:
    with db.transaction() as session:
        first = enqueue(session, "test.once:x", {"n": 1}, idempotency_key="evt-1:x")
        again = enqueue(session, "test.once:x", {"n": 2}, idempotency_key="evt-1:x")
        assert first is not None
        assert again is None
    with db.transaction() as session:
        assert enqueue(session, "test.once:x", {"n": 3}, idempotency_key="evt-1:x") is None
        assert len(list_jobs(session, kind="test.once:x")) == 1
        assert count_jobs_by_status(session)["pending"] == 1


async def test_periodic_tasks_run_on_their_interval(
    db: Database, make_worker: Callable[..., Worker]
) -> None:
    ticks: list[int] = []

    async def tick(ctx: JobContext) -> None:
        ticks.append(1)

    async def broken(ctx: JobContext) -> None:
        raise RuntimeError("boom")

    with registry.temporary(
        PeriodicSpec("test.tick", 3600, tick), PeriodicSpec("test.b", 0, broken)
    ):
        worker = make_worker()
        await worker.run_due_periodics()
        await worker.run_due_periodics()
    assert ticks == [1]


async def test_run_forever_is_woken_by_a_commit_and_stops(db: Database, ctx: JobContext) -> None:
    from relaydesk.db.base import utcnow
    from relaydesk.jobs.service import WorkerService

    done = asyncio.Event()

    async def work(ctx: JobContext, payload: dict[str, Any]) -> None:
        done.set()

    with registry.temporary(spec("test.wake:x", work)):
        service = WorkerService(Worker(ctx, poll_interval=30, clock=utcnow))
        await service.start()
        await asyncio.sleep(0.05)
        _enqueue(db, "test.wake:x", {})
        await asyncio.wait_for(done.wait(), timeout=5)
        await service.stop()


async def test_two_workers_never_run_a_job_twice_nor_out_of_order(
    db: Database, ctx: JobContext
) -> None:
    from relaydesk.db.base import utcnow

    ran: list[tuple[str, int, str]] = []
    in_flight: set[str] = set()
    overlaps: list[str] = []

    async def work(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        key = payload["key"]
        if key in in_flight:
            overlaps.append(key)
        in_flight.add(key)
        await asyncio.sleep(0.002)
        in_flight.discard(key)
        assert job_ctx.job is not None
        ran.append((key, payload["n"], job_ctx.job.kind))

    keys = [f"k{i}" for i in range(8)]
    with db.transaction() as session:
        for n in range(15):
            for key in keys:
                enqueue(session, "test.race:x", {"key": key, "n": n}, ordering_key=key)
    with registry.temporary(spec("test.race:x", work)):
        workers = [Worker(ctx, worker_id=f"w{i}", batch=4, clock=utcnow) for i in range(2)]

        claimed = {w.worker_id: 0 for w in workers}

        async def drain(worker: Worker) -> None:
            idle = 0
            while idle < 3:
                n = await worker.run_once()
                claimed[worker.worker_id] += n
                idle = idle + 1 if n == 0 else 0
                await asyncio.sleep(0.005)

        await asyncio.wait_for(asyncio.gather(*(drain(w) for w in workers)), timeout=120)
    assert all(claimed.values()), claimed  # both workers took part
    assert sum(claimed.values()) == len(ran) == 15 * len(keys)
    assert overlaps == []
    for key in keys:
        assert [n for k, n, _ in ran if k == key] == list(range(15))
    with db.session() as session:
        assert count_jobs_by_status(session)["done"] == 15 * len(keys)
        # each job was claimed exactly once
        assert {j.attempts for j in list_jobs(session, limit=1000)} == {1}


async def test_finished_jobs_are_pruned(db: Database, make_worker: Callable[..., Worker]) -> None:
    from relaydesk.db.base import utcnow
    from relaydesk.jobs.actions import do_prune_jobs

    old = utcnow() - timedelta(days=10)
    ids = {}
    with db.transaction() as session:
        for status in ("done", "skipped", "dead", "pending"):
            job = enqueue(session, f"test.prune:{status}", {})
            assert job is not None
            job.status = status
            job.updated_at = old
            ids[status] = job.id
    with db.transaction() as session:
        deleted = do_prune_jobs(
            session,
            finished_before=utcnow() - timedelta(days=3),
            dead_before=old - timedelta(days=1),
        )
        left = {
            j.status
            for j in list_jobs(session, kind=None, limit=100)
            if j.kind.startswith("test.prune")
        }
    assert deleted == 2
    assert left == {"dead", "pending"}


async def test_a_slow_job_does_not_hold_back_the_others(db: Database, ctx: JobContext) -> None:
    from relaydesk.db.base import utcnow

    finished: list[str] = []
    slow_started = asyncio.Event()
    release = asyncio.Event()

    async def work(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        if payload["name"] == "slow":
            slow_started.set()
            await release.wait()
        finished.append(payload["name"])

    with registry.temporary(spec("test.pipeline:x", work)):
        _enqueue(db, "test.pipeline:x", {"name": "slow"}, ordering_key="a")
        worker = Worker(ctx, concurrency=3, poll_interval=0.02, clock=utcnow)
        stop = asyncio.Event()
        runner = asyncio.create_task(worker.run_forever(stop))
        await asyncio.wait_for(slow_started.wait(), 5)
        for n in range(6):  # more than the free slots: they cycle through two slots
            _enqueue(db, "test.pipeline:x", {"name": f"quick{n}"}, ordering_key=f"q{n}")
        _enqueue(db, "test.pipeline:x", {"name": "after-slow"}, ordering_key="a")
        for _ in range(200):
            if len(finished) == 6:
                break
            await asyncio.sleep(0.02)
        assert sorted(finished) == [f"quick{n}" for n in range(6)]
        release.set()
        for _ in range(200):
            if len(finished) == 8:
                break
            await asyncio.sleep(0.02)
        stop.set()
        await asyncio.wait_for(runner, 10)
    assert finished[-2:] == ["slow", "after-slow"]


async def test_stopping_hands_back_a_job_that_does_not_finish_in_time(
    db: Database, ctx: JobContext
) -> None:
    from relaydesk.db.base import utcnow

    started = asyncio.Event()

    async def stuck(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        started.set()
        await asyncio.sleep(60)

    with registry.temporary(spec("test.stuck:x", stuck)):
        job_id = _enqueue(db, "test.stuck:x", {})
        worker = Worker(ctx, poll_interval=0.02, stop_grace=0.2, clock=utcnow)
        stop = asyncio.Event()
        runner = asyncio.create_task(worker.run_forever(stop))
        await asyncio.wait_for(started.wait(), 5)
        stop.set()
        await asyncio.wait_for(runner, 5)
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.locked_by) == ("pending", 0, None)


async def test_a_job_whose_worker_process_was_killed_runs_again_once(
    db: Database, settings: Any, tmp_path: Any
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time as _time

    from relaydesk.db.base import utcnow

    job_id = _enqueue(db, "test.crash_process:x", {"n": 1}, ordering_key="k")
    marker = tmp_path / "started"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.crash_worker", settings.resolved_database_url,
         str(settings.data_dir), str(marker)],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )  # fmt: skip
    try:
        deadline = _time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the worker process ended early"
            assert _time.monotonic() < deadline, "the worker process never started the job"
            await asyncio.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert _job(db, job_id).status == "running"
    ran: list[int] = []

    async def work(ctx: JobContext, payload: dict[str, Any]) -> None:
        ran.append(payload["n"])

    with registry.temporary(spec("test.crash_process:x", work)):
        worker = Worker(build_ctx(settings, db), clock=utcnow)
        for _ in range(100):  # the dead process's 1 s lease runs out
            if await worker.run_until_idle():
                break
            await asyncio.sleep(0.05)
    job = _job(db, job_id)
    assert ran == [1]
    assert (job.status, job.attempts) == ("done", 2)


def build_ctx(settings: Any, db: Database) -> JobContext:
    from relaydesk.jobs.worker import build_job_context
    from relaydesk.realtime.hub import InProcessHub

    return build_job_context(settings, db, InProcessHub())


async def test_a_remote_that_stays_down_is_retried_past_max_attempts_within_the_window(
    db: Database, ctx: JobContext, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    from relaydesk.connectors.errors import RateLimited, TransportFailed

    ctx.settings.job_retry_window_seconds = 3600
    outage = {"left": 6}

    async def deliver(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        if outage["left"]:
            outage["left"] -= 1
            if outage["left"] % 2:
                raise TransportFailed("freshdesk down (503)", system="freshdesk")
            raise RateLimited("freshdesk 429", system="freshdesk", retry_after=None)

    with registry.temporary(spec("test.outage:x", deliver)):
        job_id = _enqueue(db, "test.outage:x", {}, max_attempts=2)
        worker = make_worker()
        for _ in range(6):  # three times the job's max_attempts, all in a remote outage
            assert await worker.run_once() == 1
            job = _job(db, job_id)
            assert job.status == "pending", job.last_error
            clock.advance(max(0.0, (job.run_after - clock.now).total_seconds()) + 0.001)
        assert await worker.run_once() == 1
    job = _job(db, job_id)
    assert (job.status, job.attempts) == ("done", 7)


async def test_a_remote_outage_longer_than_the_window_dead_letters(
    db: Database, ctx: JobContext, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    from relaydesk.connectors.errors import TransportFailed

    ctx.settings.job_retry_window_seconds = 800
    seen: list[bool] = []

    async def down(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        assert job_ctx.job is not None
        exc = TransportFailed("still down", system="freshdesk")
        seen.append(job_ctx.job.gives_up_on(exc, clock.now))
        raise exc

    with registry.temporary(spec("test.longoutage:x", down)):
        job_id = _enqueue(db, "test.longoutage:x", {}, max_attempts=2)
        worker = make_worker()
        for _ in range(3):
            assert await worker.run_once() == 1
            assert _job(db, job_id).status == "pending"
            clock.advance(301)  # past any back-off (capped at 300 s)
        assert await worker.run_once() == 1  # 903 s after it was queued: past the window
    assert _job(db, job_id).status == "dead"
    assert seen == [False, False, False, True]  # handlers can tell the visitor on the last


async def test_other_failures_still_dead_letter_at_max_attempts(
    db: Database, ctx: JobContext, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    ctx.settings.job_retry_window_seconds = 3600

    async def bug(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        raise KeyError("a bug, not an outage")

    with registry.temporary(spec("test.poison:x", bug)):
        job_id = _enqueue(db, "test.poison:x", {}, max_attempts=2, ordering_key="conv")
        worker = make_worker()
        await worker.run_once()
        clock.advance(5)
        await worker.run_once()
    assert _job(db, job_id).status == "dead"  # it no longer holds back the conversation


async def test_a_huge_retry_after_is_capped(
    db: Database, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    from relaydesk.connectors.errors import RateLimited

    async def limited(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        raise RateLimited("429", system="freshdesk", retry_after=float(payload["after"]))

    with registry.temporary(spec("test.hugeafter:x", limited)):
        huge = _enqueue(db, "test.hugeafter:x", {"after": 10.0**12})
        endless = _enqueue(db, "test.hugeafter:x", {"after": "inf"})
        await make_worker().run_once()
    for job_id in (huge, endless):
        job = _job(db, job_id)
        assert job.status == "pending"
        assert (job.run_after - clock.now).total_seconds() <= 3600


async def test_a_call_held_after_a_429_reruns_the_job_at_the_pause_end_quietly(
    db: Database,
    make_worker: Callable[..., Worker],
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from relaydesk.connectors.errors import CallsPaused

    runs: list[int] = []

    async def held_once(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        assert job_ctx.job is not None
        runs.append(job_ctx.job.attempt)
        if len(runs) == 1:
            raise CallsPaused("not sent", system="freshchat", retry_after=12.5)

    with registry.temporary(spec("test.held:x", held_once)):
        job_id = _enqueue(db, "test.held:x", {}, ordering_key="conv-1")
        later = _enqueue(db, "test.held:x", {}, ordering_key="conv-1")
        worker = make_worker()
        before = clock.now
        with caplog.at_level("INFO", logger="relaydesk.jobs.worker"):
            await worker.run_until_idle()
        after = clock.now
        job = _job(db, job_id)
        assert job.status == "pending" and "not sent" in (job.last_error or "")
        assert _delayed_by(job.run_after, 12.5, before, after)
        assert _job(db, later).status == "pending"  # still behind it, in order
        held = [r for r in caplog.records if "held back" in r.getMessage()]
        assert held and all(r.levelname == "INFO" for r in held)
        assert not [r for r in caplog.records if r.levelname == "WARNING"]
        clock.advance(13)
        assert await worker.run_until_idle() == 2
    assert _job(db, job_id).status == _job(db, later).status == "done"
    assert runs == [1, 2, 1]


async def test_a_job_that_keeps_killing_its_worker_is_dead_lettered(
    db: Database, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    # A job whose handler takes the process down (out of memory, a crash in a C library)
    # never reaches _failed: each restart found its lease expired and ran it again, crashing
    # the server in a loop and holding back its conversation for ever.
    ran: list[int] = []

    async def work(ctx: JobContext, payload: dict[str, Any]) -> None:
        ran.append(payload["n"])

    poison = _enqueue(db, "test.killer:x", {"n": 1}, ordering_key="conv", max_attempts=12)
    _enqueue(db, "test.killer:x", {"n": 2}, ordering_key="conv")
    with db.transaction() as session:  # its worker died twice before, and now once more
        job = session.get(Job, poison)
        assert job is not None
        job.status = "running"
        job.attempts = 3
        job.result = {"lost_leases": 2}
        job.locked_by = "killed-worker"
        job.locked_until = clock.now - timedelta(seconds=1)
    with registry.temporary(spec("test.killer:x", work)):
        assert await make_worker().run_until_idle() == 1
    job = _job(db, poison)
    assert job.status == "dead"
    assert "stopped" in (job.last_error or "")
    assert ran == [2]


async def test_a_job_remembers_that_it_made_a_remote_call_across_runs(
    db: Database, make_worker: Callable[..., Worker]
) -> None:
    seen: list[bool] = []

    async def post(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        seen.append(await job_ctx.remote_call_started())
        seen.append(await job_ctx.remote_call_started())
        raise PermanentFailure("the answer was lost")

    with registry.temporary(spec("test.remote:x", post)):
        job_id = _enqueue(db, "test.remote:x", {})
        worker = make_worker()
        await worker.run_until_idle()
        with db.transaction() as session:  # an admin retries it: attempts start again at 0
            retry_dead_job(session, job_id)
        await worker.run_until_idle()
    assert seen == [False, True, True, True]
    assert await JobContext.remote_call_started(make_worker().ctx) is False  # no job


async def test_an_admin_retry_gives_a_dead_job_a_fresh_window_and_crash_count(
    db: Database, ctx: JobContext, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    from relaydesk.connectors.errors import TransportFailed

    ctx.settings.job_retry_window_seconds = 800
    outage = {"left": 3}

    async def deliver(job_ctx: JobContext, payload: dict[str, Any]) -> None:
        if outage["left"]:
            outage["left"] -= 1
            raise TransportFailed("still down", system="freshdesk")

    job_id = _enqueue(db, "test.requeue:x", {}, max_attempts=1)
    with db.transaction() as session:  # died a day ago: its worker was killed three times
        job = session.get(Job, job_id)
        assert job is not None
        job.status, job.attempts, job.result = "dead", 1, {"lost_leases": 3}
        job.created_at = clock.now - timedelta(days=1)
    with db.transaction() as session:
        retry_dead_job(session, job_id)
    with registry.temporary(spec("test.requeue:x", deliver)):
        worker = make_worker()
        for _ in range(3):  # the outage goes on: retried within a window counted from now
            assert await worker.run_once() == 1
            assert _job(db, job_id).status == "pending"
            clock.advance(301)
        assert await worker.run_once() == 1
    job = _job(db, job_id)
    assert job.status == "done"
    assert job.result.get("lost_leases", 0) == 0
