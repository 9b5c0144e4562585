"""The conversation store's own background work: the auto-resolve sweep."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from relaydesk.conversations.actions import (
    do_resolve,
    do_schedule_auto_resolve,
    lock_conversation,
)
from relaydesk.conversations.queries import list_conversations_due_for_auto_resolve
from relaydesk.conversations.states import Actor, Status
from relaydesk.db.base import utcnow
from relaydesk.jobs.registry import periodic
from relaydesk.jobs.worker import JobContext

log = logging.getLogger(__name__)

AUTO_RESOLVE_SWEEP_SECONDS = 5.0


def resolve_due_conversations(session: Session) -> list[str]:
    """Resolve (by ``system``) every conversation whose auto-resolve time has come.

    Returns the ids resolved. A conversation already resolved just has its timer cleared.
    """
    resolved: list[str] = []
    now = utcnow()
    for conversation in list_conversations_due_for_auto_resolve(session, now):
        lock_conversation(session, conversation)  # a reply may have cancelled it meanwhile
        due = conversation.auto_resolve_at
        if due is None or due > now:
            continue
        if conversation.status == Status.RESOLVED.value:
            do_schedule_auto_resolve(session, conversation, None)
            continue
        do_resolve(session, conversation, by=Actor.SYSTEM)
        resolved.append(conversation.id)
    return resolved


@periodic("conversations.auto_resolve", every_seconds=AUTO_RESOLVE_SWEEP_SECONDS)
async def auto_resolve_sweep(ctx: JobContext) -> None:
    """Resolve the conversations that stayed inactive past their auto-resolve time."""
    resolved = await ctx.in_transaction(resolve_due_conversations)
    if resolved:
        log.info("auto-resolved %d conversations", len(resolved))
