"""The worker: claims due jobs, runs their handlers, retries, dead-letters.

Claiming: on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``, so any number of workers share
the table; on SQLite one in-process worker claims inside ``BEGIN IMMEDIATE``. A job is due
when it is ``pending`` and its ``run_after`` has passed, or ``running`` with an expired lease
(its worker died). A job with an ``ordering_key`` waits while an earlier job (lower id) with
the same key is ``pending`` or ``running``; ``done``, ``dead`` and ``skipped`` jobs no longer
hold back the ones after them.

Leases: a claimed job is locked for ``lease_seconds`` and the lease is renewed while its
handler runs, so a crash is recovered within one lease, and a slow handler is not run twice.
A job whose worker died ``LOST_LEASE_LIMIT`` times while running it is dead-lettered (it may
be what kills the worker). Failures: see ``relaydesk.jobs.errors`` (a remote outage is
retried past ``max_attempts`` for ``RELAYDESK_JOB_RETRY_WINDOW_SECONDS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import random
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from relaydesk.db.base import utcnow
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.actions import LOST_LEASES_KEY, REQUEUED_AT_KEY
from relaydesk.jobs.backoff import backoff_delay
from relaydesk.jobs.context import JobContext, JobInfo, build_job_context
from relaydesk.jobs.errors import RetryLater, is_permanent
from relaydesk.jobs.registry import HandlerRegistry, PeriodicSpec, registry

__all__ = ["JobContext", "JobInfo", "Worker", "build_job_context"]

log = logging.getLogger(__name__)


ERROR_LIMIT = 4000
LOST_LEASE_LIMIT = 3  # a job whose worker died this often while running it is dead-lettered
RETRY_AFTER_CAP = 3600.0  # a remote's Retry-After longer than an hour is not believed


@dataclass
class _Claimed:
    info: JobInfo
    payload: dict[str, Any]


class Worker:
    """Runs due jobs and periodic tasks; see the module docstring for the guarantees."""

    def __init__(
        self,
        ctx: JobContext,
        *,
        worker_id: str | None = None,
        poll_interval: float = 0.2,
        batch: int = 10,
        concurrency: int = 10,
        lease_seconds: float = 30.0,
        stop_grace: float = 5.0,
        job_timeout: float = 120.0,
        handlers: HandlerRegistry | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.ctx = ctx
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.poll_interval = poll_interval
        self.batch = batch
        self.concurrency = concurrency
        self.stop_grace = stop_grace
        self.lease_seconds = lease_seconds
        self.job_timeout = job_timeout
        self.handlers = handlers or registry
        self.clock = clock
        self.rng = rng or random.Random()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._periodic_last: dict[str, float] = {}
        self._done_queue: list[tuple[JobInfo, asyncio.Future[None]]] = []
        self._flush_task: asyncio.Task[None] | None = None
        self.handlers.ensure_loaded()

    # -- running ---------------------------------------------------------------------------

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Run jobs and periodic tasks until stop is set.

        Up to ``concurrency`` jobs are in flight at once; a free slot is filled as soon as a
        job ends, so one slow remote call never holds back the others. On stop, running jobs
        get ``stop_grace`` seconds to finish; then they are cancelled and handed back.
        """
        self._bind()
        assert self._wake is not None
        wake = self._wake
        log.info("worker started", extra={"worker_id": self.worker_id})
        in_flight: dict[int, asyncio.Task[None]] = {}
        periodic_tasks: dict[str, asyncio.Task[None]] = {}
        renew = asyncio.create_task(self._renew_forever(in_flight))
        try:
            while not stop.is_set():
                self._start_due_periodics(periodic_tasks)
                wake.clear()
                free = self.concurrency - len(in_flight)
                if free > 0:
                    try:
                        claimed = await asyncio.to_thread(self._claim, free)
                    except Exception:
                        log.exception("claiming jobs failed; pausing")
                        await _wait_any(stop, None, 1.0)
                        continue
                    for job in claimed:
                        task = asyncio.create_task(self._run(job))
                        in_flight[job.info.id] = task
                        task.add_done_callback(_forget(in_flight, job.info.id, wake))
                await _wait_any(stop, wake, self.poll_interval)
        finally:
            await self._drain(in_flight, periodic_tasks)
            renew.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renew
        log.info("worker stopped", extra={"worker_id": self.worker_id})

    def _start_due_periodics(self, running: dict[str, asyncio.Task[None]]) -> None:
        now = time.monotonic()
        for spec in self.handlers.periodic_tasks():
            last = self._periodic_last.get(spec.name)
            if last is not None and now - last < spec.every_seconds:
                continue
            current = running.get(spec.name)
            if current is not None and not current.done():
                continue  # still running from last time
            self._periodic_last[spec.name] = now
            running[spec.name] = asyncio.create_task(self.run_periodic(spec))

    async def _drain(
        self, in_flight: dict[int, asyncio.Task[None]], periodic: dict[str, asyncio.Task[None]]
    ) -> None:
        tasks = [*in_flight.values(), *(t for t in periodic.values() if not t.done())]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=self.stop_grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        if self._flush_task is not None:  # completed jobs are still marked done
            await asyncio.gather(self._flush_task, return_exceptions=True)

    async def _renew_forever(self, in_flight: dict[int, asyncio.Task[None]]) -> None:
        interval = max(0.05, self.lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            ids = list(in_flight)
            if not ids:
                continue
            try:
                await asyncio.to_thread(self._renew, ids)
            except Exception:
                log.exception("lease renewal failed")

    def wake(self) -> None:
        """Make a waiting run_forever look for jobs now; callable from any thread."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(wake.set)

    async def run_until_idle(self, timeout: float = 10) -> int:
        """Run batches until none is due (or timeout seconds pass); return how many ran."""
        deadline = time.monotonic() + timeout
        total = 0
        while time.monotonic() < deadline:
            ran = await self.run_once()
            total += ran
            if ran == 0:
                break
        return total

    async def run_once(self) -> int:
        """Claim one batch of due jobs, run them concurrently, return how many were claimed."""
        self._bind()
        claimed = await asyncio.to_thread(self._claim)
        if not claimed:
            return 0
        renew = asyncio.create_task(self._renew_leases([c.info.id for c in claimed]))
        try:
            await asyncio.gather(*(self._run(c) for c in claimed))
        finally:
            renew.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renew
        return len(claimed)

    async def run_due_periodics(self) -> int:
        """Run each periodic task whose interval has passed; return how many ran."""
        now = time.monotonic()
        ran = 0
        for spec in self.handlers.periodic_tasks():
            last = self._periodic_last.get(spec.name)
            if last is not None and now - last < spec.every_seconds:
                continue
            self._periodic_last[spec.name] = now
            await self.run_periodic(spec)
            ran += 1
        return ran

    async def run_periodic(self, spec: PeriodicSpec) -> None:
        """Run one periodic task now, logging (not raising) its failure."""
        try:
            await asyncio.wait_for(spec.fn(self.ctx), timeout=self.job_timeout)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("periodic task failed", extra={"task": spec.name})

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._wake = asyncio.Event()

    # -- claiming --------------------------------------------------------------------------

    def _claim(self, limit: int | None = None) -> list[_Claimed]:
        now = self.clock()
        with self.ctx.db.transaction() as session:
            self._recover_expired(session, now)
            query = self._due_query(session, now, limit or self.batch)
            ids = list(session.execute(query).scalars())
            if not ids:
                return []
            session.execute(
                update(Job)
                .where(Job.id.in_(ids))
                .values(
                    status="running",
                    locked_by=self.worker_id,
                    locked_until=now + timedelta(seconds=self.lease_seconds),
                    attempts=Job.attempts + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            rows = session.execute(
                select(
                    Job.id,
                    Job.kind,
                    Job.payload,
                    Job.attempts,
                    Job.max_attempts,
                    Job.ordering_key,
                    Job.idempotency_key,
                    Job.created_at,
                    Job.result,
                )
                .where(Job.id.in_(ids))
                .order_by(Job.id)
            ).all()
        default_max = self.ctx.settings.job_max_attempts
        window = timedelta(seconds=self.ctx.settings.job_retry_window_seconds)
        return [
            _Claimed(
                JobInfo(
                    id=r.id,
                    kind=r.kind,
                    attempt=r.attempts,
                    max_attempts=r.max_attempts or default_max,
                    ordering_key=r.ordering_key,
                    idempotency_key=r.idempotency_key,
                    retry_until=_window_start(r.created_at, r.result) + window,
                ),
                dict(r.payload or {}),
            )
            for r in rows
        ]

    def _recover_expired(self, session: Session, now: datetime) -> None:
        """Hand back running jobs whose lease ran out (their worker died), counting it.

        A job whose worker died ``LOST_LEASE_LIMIT`` times while running it is dead-lettered
        instead: it may be what kills the process (out of memory, a crash in a C library), and
        running it again would crash the worker in a loop and hold back its ordering key for
        ever. (A graceful stop hands a job back without losing its lease.)
        """
        stmt = select(Job.id, Job.result).where(Job.status == "running", Job.locked_until < now)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=Job)
        for row in session.execute(stmt).all():
            result = dict(row.result or {})
            lost = int(result.get(LOST_LEASES_KEY) or 0) + 1
            result[LOST_LEASES_KEY] = lost
            values: dict[str, Any] = {
                "status": "pending",
                "run_after": now,
                "locked_by": None,
                "locked_until": None,
                "updated_at": now,
                "result": result,
            }
            if lost >= LOST_LEASE_LIMIT:
                values["status"] = "dead"
                values["last_error"] = (
                    f"its worker stopped (crash or kill) while running it {lost} times; "
                    "not run again in case the job itself is what kills the worker"
                )
                log.error("job dead-lettered: its worker died running it", extra={"job_id": row.id})
            else:
                log.warning("job's worker died; running it again", extra={"job_id": row.id})
            session.execute(
                update(Job)
                .where(Job.id == row.id, Job.status == "running")
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    def _due_query(self, session: Session, now: datetime, limit: int) -> Any:
        earlier = aliased(Job)
        blocked = exists().where(
            earlier.ordering_key == Job.ordering_key,
            earlier.id < Job.id,
            earlier.status.in_(("pending", "running")),
        )
        due = or_(
            and_(Job.status == "pending", Job.run_after <= now),
            and_(Job.status == "running", Job.locked_until < now),
        )
        stmt = (
            select(Job.id)
            .where(due, or_(Job.ordering_key.is_(None), ~blocked))
            .order_by(Job.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=Job)
        return stmt

    async def _renew_leases(self, ids: list[int]) -> None:
        interval = max(0.05, self.lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self._renew, ids)
            except Exception:
                log.exception("lease renewal failed")

    def _renew(self, ids: list[int]) -> None:
        until = self.clock() + timedelta(seconds=self.lease_seconds)
        with self.ctx.db.transaction() as session:
            session.execute(
                update(Job)
                .where(Job.id.in_(ids), Job.status == "running", Job.locked_by == self.worker_id)
                .values(locked_until=until)
                .execution_options(synchronize_session=False)
            )

    # -- one job ---------------------------------------------------------------------------

    async def _run(self, claimed: _Claimed) -> None:
        info = claimed.info
        spec = self.handlers.for_kind(info.kind)
        extra = {"job_id": info.id, "kind": info.kind, "attempt": info.attempt}
        if spec is None:
            log.warning("no handler for job kind; skipped", extra=extra)
            await asyncio.to_thread(
                self._finish, info, "skipped", f"no handler registered for {info.kind!r}"
            )
            return
        try:
            await asyncio.wait_for(
                spec.fn(self.ctx.for_job(info), claimed.payload), timeout=self.job_timeout
            )
        except asyncio.CancelledError:
            # Shutting down: hand the job back untouched so the next worker runs it at once.
            await asyncio.shield(asyncio.to_thread(self._release, info))
            raise
        except Exception as exc:  # every failure is recorded on the job
            await asyncio.to_thread(self._failed, info, exc)
            return
        await asyncio.shield(self._mark_done(info))

    async def _mark_done(self, info: JobInfo) -> None:
        """Mark info done; completions that arrive together share one transaction."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._done_queue.append((info, future))
        if self._flush_task is None or self._flush_task.done():
            self._flush_task = asyncio.create_task(self._flush_done())
        await future

    async def _flush_done(self) -> None:
        while self._done_queue:
            batch, self._done_queue = self._done_queue, []
            try:
                await asyncio.to_thread(self._finish_many, [info for info, _ in batch])
            except Exception as exc:
                log.exception("marking jobs done failed; their leases will expire and rerun them")
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    def _finish_many(self, infos: list[JobInfo]) -> None:
        now = self.clock()
        with self.ctx.db.transaction() as session:
            changed = session.execute(
                update(Job)
                .where(
                    Job.id.in_([i.id for i in infos]),
                    Job.status == "running",
                    Job.locked_by == self.worker_id,
                )
                .values(status="done", locked_by=None, locked_until=None, updated_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
        if changed != len(infos):
            log.warning("%d job leases lost before they finished", len(infos) - changed)

    def _failed(self, info: JobInfo, exc: BaseException) -> None:
        error = _describe(exc)
        extra = {"job_id": info.id, "kind": info.kind, "attempt": info.attempt, "error": error}
        if is_permanent(exc):
            log.error("job failed permanently; dead-lettered", extra=extra)
            self._finish(info, "dead", error)
            return
        if info.gives_up_on(exc, self.clock()):
            log.error("job out of attempts; dead-lettered", extra=extra)
            self._finish(info, "dead", error)
            return
        after = _retry_after(exc)
        settings = self.ctx.settings
        delay = (
            min(after, RETRY_AFTER_CAP)
            if after is not None
            else backoff_delay(
                info.attempt,
                base=settings.job_backoff_base_seconds,
                cap=settings.job_backoff_cap_seconds,
                rng=self.rng,
            )
        )
        if getattr(exc, "held", False) is True:  # no call made: its remote is pausing (429)
            log.info("job held back; running it again in %.1fs", delay, extra=extra)
        else:
            log.warning("job failed; retrying in %.1fs", delay, extra=extra)
        self._reschedule(info, delay, error)

    def _finish(self, info: JobInfo, status: str, error: str | None) -> None:
        now = self.clock()
        with self.ctx.db.transaction() as session:
            values: dict[str, Any] = {
                "status": status,
                "locked_by": None,
                "locked_until": None,
                "updated_at": now,
            }
            if error is not None:
                values["last_error"] = error[:ERROR_LIMIT]
            changed = session.execute(self._mine(info).values(**values)).rowcount  # type: ignore[attr-defined]
        if not changed:
            log.warning("job lease lost before it finished", extra={"job_id": info.id})

    def _reschedule(self, info: JobInfo, delay: float, error: str) -> None:
        now = self.clock()
        with self.ctx.db.transaction() as session:
            session.execute(
                self._mine(info).values(
                    status="pending",
                    locked_by=None,
                    locked_until=None,
                    run_after=now + timedelta(seconds=max(0.0, delay)),
                    last_error=error[:ERROR_LIMIT],
                    updated_at=now,
                )
            )

    def _release(self, info: JobInfo) -> None:
        now = self.clock()
        with self.ctx.db.transaction() as session:
            session.execute(
                self._mine(info).values(
                    status="pending",
                    locked_by=None,
                    locked_until=None,
                    attempts=Job.attempts - 1,
                    run_after=now,
                    updated_at=now,
                )
            )

    def _mine(self, info: JobInfo) -> Any:
        return (
            update(Job)
            .where(Job.id == info.id, Job.status == "running", Job.locked_by == self.worker_id)
            .execution_options(synchronize_session=False)
        )


def _retry_after(exc: BaseException) -> float | None:
    value = exc.after_seconds if isinstance(exc, RetryLater) else getattr(exc, "retry_after", None)
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, seconds) if not math.isnan(seconds) else None


def _window_start(created_at: datetime, result: dict[str, Any] | None) -> datetime:
    """Return when a job's retry window opened: when it was queued, or re-queued by an admin."""
    requeued = (result or {}).get(REQUEUED_AT_KEY)
    if isinstance(requeued, str):
        with contextlib.suppress(ValueError):
            return _aware(datetime.fromisoformat(requeued))
    return _aware(created_at)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "TimeoutError: handler timed out"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _forget(
    in_flight: dict[int, asyncio.Task[None]], job_id: int, wake: asyncio.Event
) -> Callable[[asyncio.Task[None]], None]:
    def done(_task: asyncio.Task[None]) -> None:
        in_flight.pop(job_id, None)
        wake.set()  # a slot is free

    return done


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event | None, timeout: float) -> None:
    """Wait until stop or wake is set, or timeout seconds pass."""
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
