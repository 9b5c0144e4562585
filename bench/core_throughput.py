"""Benchmark the core: message writes (with their outbox jobs), job delivery, live fan-out.

    .venv/bin/python bench/core_throughput.py [--database-url URL] [--redis-url URL]

Without --database-url it uses a fresh SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_start_conversation,
)
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.engine import Database
from relaydesk.db.migrate import upgrade_to_head
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.handlers import HandlerSpec, registry
from relaydesk.jobs.outbox import enqueue
from relaydesk.jobs.worker import JobContext, Worker, build_job_context
from relaydesk.realtime.hub import InProcessHub, RedisHub, attach_realtime
from relaydesk.settings import Settings


async def _noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    return None


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_appends(db: Database, n: int, handlers: int) -> float:
    """Return messages/s appended one transaction each, with `handlers` jobs per message."""
    specs = [HandlerSpec("message.created", f"bench{i}", _noop) for i in range(handlers)]
    with registry.temporary(*specs):
        with db.transaction() as session:
            conv_id = do_start_conversation(session, do_create_contact(session)).id
        start = time.perf_counter()
        for i in range(n):
            with db.transaction() as session:
                conv = get_conversation(session, conv_id)
                do_append_message(session, conv, author="visitor", text=f"message {i}")
        return n / (time.perf_counter() - start)


async def bench_worker(db: Database, settings: Settings, n: int, keys: int, slots: int) -> float:
    """Return jobs/s delivered by one worker's run_forever loop (no-op handler)."""
    with db.transaction() as session:
        for i in range(n):
            enqueue(session, "bench.worker:noop", {"i": i}, ordering_key=f"k{i % keys}")
    done = 0
    finished = asyncio.Event()

    async def count(ctx: JobContext, payload: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        if done == n:
            finished.set()

    with registry.temporary(HandlerSpec("bench.worker", "noop", count)):
        worker = Worker(build_job_context(settings, db, InProcessHub()), concurrency=slots)
        stop = asyncio.Event()
        start = time.perf_counter()
        runner = asyncio.create_task(worker.run_forever(stop))
        await finished.wait()
        elapsed = time.perf_counter() - start
        stop.set()
        await runner
    with db.transaction() as session:
        session.execute(delete(Job))
    return n / elapsed


async def bench_fanout(db: Database, hub: InProcessHub | RedisHub, n: int) -> tuple[float, float]:
    """Return (median, p99) ms from a message's commit (in a thread) to its subscriber."""
    await hub.start()
    attach_realtime(db, hub)
    with db.transaction() as session:
        conv_id = do_start_conversation(session, do_create_contact(session)).id
    latencies: list[float] = []
    try:
        async with hub.subscribe(conv_id) as stream:
            await asyncio.sleep(0.1)
            for i in range(n):
                sent: list[float] = []

                def write(i: int = i, sent: list[float] = sent) -> None:
                    with db.transaction() as session:
                        conv = get_conversation(session, conv_id)
                        do_append_message(session, conv, author="agent", text=f"reply {i}")
                        session.flush()
                        sent.append(time.perf_counter())  # just before the commit

                thread = threading.Thread(target=write)
                thread.start()
                await asyncio.wait_for(stream.__anext__(), 5)
                latencies.append((time.perf_counter() - sent[0]) * 1000)
                thread.join()
    finally:
        await hub.stop()
    return statistics.median(latencies), _percentile(latencies, 0.99)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=3000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    registry.ensure_loaded()
    for kind in registry.kinds():  # measure the core alone, not the connectors' handlers
        registry.unregister(kind)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(data_dir=Path(tmp) / "data", database_url=url)
        db = Database(url)
        upgrade_to_head(db.engine)
        print(f"database: {db.engine.dialect.name}")
        for handlers in (0, 3):
            rate = bench_appends(db, args.messages, handlers)
            print(f"append_message, {handlers} jobs each: {rate:.0f} messages/s")
        with db.transaction() as session:  # the append benchmark's jobs are not measured
            session.execute(delete(Job))
        for slots in (10, 50):
            rate = await bench_worker(db, settings, args.jobs, keys=100, slots=slots)
            print(f"worker, {slots} jobs in flight, 100 ordering keys: {rate:.0f} jobs/s")
        median, p99 = await bench_fanout(db, InProcessHub(), 300)
        print(f"commit -> in-process subscriber: median {median:.2f} ms, p99 {p99:.2f} ms")
        if args.redis_url:
            median, p99 = await bench_fanout(db, RedisHub(args.redis_url), 300)
            print(f"commit -> redis subscriber: median {median:.2f} ms, p99 {p99:.2f} ms")
        db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
