"""A worker process that claims one job and hangs in its handler until it is killed.

python -m tests.jobs.crash_worker DATABASE_URL DATA_DIR MARKER_FILE
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from relaydesk.db.engine import Database
from relaydesk.jobs.handlers import HandlerSpec, registry
from relaydesk.jobs.worker import JobContext, Worker, build_job_context
from relaydesk.realtime.hub import InProcessHub
from relaydesk.settings import Settings


async def main(url: str, data_dir: str, marker: str) -> None:
    async def hang(ctx: JobContext, payload: dict[str, Any]) -> None:
        Path(marker).write_text("started")
        await asyncio.sleep(3600)

    registry.register(HandlerSpec("test.crash_process", "x", hang))
    db = Database(url)
    settings = Settings(data_dir=Path(data_dir), database_url=url)
    worker = Worker(build_job_context(settings, db, InProcessHub()), lease_seconds=1.0)
    await worker.run_once()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
