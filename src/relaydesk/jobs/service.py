"""Run a Worker inside an application's lifetime (``create_app`` starts and stops it)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from relaydesk.jobs.worker import Worker

log = logging.getLogger(__name__)


class WorkerService:
    """Run a Worker as an asyncio task between an app's start and stop (``create_app``)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the worker task, woken by every commit that enqueues a job."""
        from relaydesk.jobs.outbox import attach_wakeup

        attach_wakeup(self.worker.ctx.db, self.worker.wake)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(
            self.worker.run_forever(self._stop), name="relaydesk-worker"
        )

    async def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to stop; cancel it (handing its jobs back) after timeout seconds."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stop.set()
        self.worker.wake()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=timeout)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        except Exception:
            log.exception("worker ended with an error")
