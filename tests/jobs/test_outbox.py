"""The outbox: one job per registered handler, keyed for order and idempotency."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from relaydesk.conversations.events import ConversationResolved
from relaydesk.db.engine import Database
from relaydesk.jobs.handlers import HandlerRegistry, HandlerSpec, handler, registry
from relaydesk.jobs.outbox import record_event
from relaydesk.jobs.queries import get_job, list_jobs
from relaydesk.jobs.worker import JobContext

pytestmark = pytest.mark.postgres


async def _noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    return None


def test_one_job_per_handler_with_its_keys(db: Database) -> None:
    handlers = HandlerRegistry()
    handlers.register(HandlerSpec("conversation.resolved", "alpha", _noop))
    handlers.register(HandlerSpec("conversation.resolved", "beta", _noop, 3, "remote"))
    handlers.register(HandlerSpec("conversation.reopened", "alpha", _noop))
    event = ConversationResolved(conversation_id="c1", by="ai", previous_status="open")
    with db.transaction() as session:
        ids = record_event(session, event, handlers=handlers)
        again = record_event(session, event, handlers=handlers)
        jobs = [get_job(session, job_id) for job_id in ids]
    assert again == []
    assert [(j.kind, j.ordering_key, j.idempotency_key, j.max_attempts) for j in jobs] == [
        ("conversation.resolved:alpha", "alpha:c1", f"{event.event_id}:alpha", None),
        ("conversation.resolved:beta", "remote:c1", f"{event.event_id}:beta", 3),
    ]
    assert jobs[0].payload == {
        "event": "conversation.resolved",
        "event_id": event.event_id,
        "occurred_at": event.occurred_at,
        "conversation_id": "c1",
        "by": "ai",
        "previous_status": "open",
    }


def test_when_decides_inside_the_transaction_whether_a_job_is_needed(db: Database) -> None:
    asked: list[tuple[Session, dict[str, Any]]] = []

    def only_remote(session: Session, payload: dict[str, Any]) -> bool:
        asked.append((session, payload))
        return bool(payload["by"] == "remote")

    with (
        registry.temporary(
            HandlerSpec("conversation.resolved", "test_when", _noop, when=only_remote)
        ),
        db.transaction() as session,
    ):
        record_event(
            session, ConversationResolved(conversation_id="c", by="ai", previous_status="open")
        )
        record_event(
            session, ConversationResolved(conversation_id="c", by="remote", previous_status="open")
        )
        jobs = list_jobs(session, kind="conversation.resolved:test_when")
    assert [j.payload["by"] for j in jobs] == ["remote"]
    assert len(asked) == 2 and asked[0][0] is session


def test_registering_another_function_for_a_kind_is_refused() -> None:
    local = HandlerRegistry()
    local.register(HandlerSpec("x.y", "z", _noop))

    async def other(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    with pytest.raises(ValueError, match="already has a handler"):
        local.register(HandlerSpec("x.y", "z", other))


def test_the_decorator_registers_in_the_shared_registry() -> None:
    @handler("test.decorated", "concern", max_attempts=2, ordering="grp")
    async def decorated(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    try:
        spec = registry.for_kind("test.decorated:concern")
        assert spec is not None
        assert (spec.fn, spec.max_attempts, spec.ordering_group) == (decorated, 2, "grp")
        assert registry.for_event("test.decorated") == [spec]
    finally:
        registry.unregister("test.decorated:concern")
