"""The job table's own upkeep: finished jobs are pruned (periodic task ``jobs.prune``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from relaydesk.db.base import utcnow
from relaydesk.jobs.actions import do_prune_jobs
from relaydesk.jobs.registry import periodic
from relaydesk.jobs.worker import JobContext

log = logging.getLogger(__name__)

KEEP_FINISHED = timedelta(days=3)
KEEP_DEAD = timedelta(days=30)


@periodic("jobs.prune", every_seconds=3600)
async def prune_jobs(ctx: JobContext) -> None:
    """Delete done and skipped jobs after 3 days, dead ones after 30."""
    now = utcnow()
    deleted = await ctx.in_transaction(
        lambda session: do_prune_jobs(
            session, finished_before=now - KEEP_FINISHED, dead_before=now - KEEP_DEAD
        )
    )
    if deleted:
        log.info("pruned %d finished jobs", deleted)
