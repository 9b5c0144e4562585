"""Relay to Freshchat when a delivery job was dead-lettered: nothing dropped, nothing reordered.

The worker lets later jobs of a conversation run once an earlier one is dead (its ordering
guarantee only holds back behind pending and running jobs), so the relay itself must never
post a message before an earlier one that is still undelivered, nor leave it behind.
Jobs run on a real worker against the sandbox over HTTP; tries are capped low so a single
injected failure dead-letters a job deterministically.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.engine import Database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.queries import retry_dead_job
from relaydesk.jobs.worker import JobContext, Worker
from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import freshchat_ids, job_context

pytestmark = pytest.mark.postgres


@dataclass
class Setup:
    db: Database
    ctx: JobContext
    sandbox: RunningSandbox

    def remote(self) -> list[dict[str, Any]]:
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        return list(state["freshchat"]["conversations"])

    def texts(self, kind: str = "normal") -> list[str]:
        [conv] = self.remote()
        return [
            m["message_parts"][0]["text"]["content"]
            for m in conv["messages"]
            if m["message_type"] == kind
        ]

    def fault(self, mode: str, **extra: Any) -> None:
        httpx.post(
            f"{self.sandbox.url}/_sandbox/faults",
            json={"system": "freshchat", "mode": mode, **extra},
        ).raise_for_status()

    def clear_faults(self) -> None:
        httpx.delete(f"{self.sandbox.url}/_sandbox/faults").raise_for_status()

    async def run(self) -> None:
        await Worker(self.ctx).run_until_idle(timeout=30)

    def say(self, conversation_id: str, text: str, author: str = "visitor") -> None:
        with self.db.transaction() as session:
            do_append_message(
                session, get_conversation(session, conversation_id), author=author, text=text
            )

    def jobs(self, status: str) -> list[Job]:
        with self.db.session() as session:
            return list(session.query(Job).filter(Job.status == status).order_by(Job.id))


@pytest.fixture
async def setup(tmp_path: Path, sandbox: RunningSandbox, database_url: str) -> AsyncIterator[Setup]:
    # one try, and no retry window for outages: one injected 500 dead-letters a job
    async with job_context(
        tmp_path, sandbox, database_url, job_max_attempts=1, job_retry_window_seconds=0
    ) as (db, ctx):
        yield Setup(db, ctx, sandbox)


def _handed_off(setup: Setup, *texts: str) -> str:
    with setup.db.transaction() as session:
        conv = do_start_conversation(session, do_create_contact(session, email="o@example.com"))
        for text in texts:
            do_append_message(session, conv, author="visitor", text=text)
        do_hand_off(session, conv, target="freshchat", reason="asked for a person")
        return conv.id


async def test_a_dead_lettered_message_is_delivered_before_the_next_one(setup: Setup) -> None:
    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    assert setup.texts() == ["Hello"]
    setup.fault("500", calls=1)
    setup.say(conversation_id, "First")
    await setup.run()
    [dead] = setup.jobs("dead")  # one try only: Freshchat's 500 dead-lettered it
    setup.clear_faults()
    setup.say(conversation_id, "Second")
    await setup.run()
    assert setup.texts() == ["Hello", "First", "Second"]
    with setup.db.transaction() as session:  # an admin's retry of the dead job posts nothing
        retry_dead_job(session, dead.id)
    await setup.run()
    assert setup.texts() == ["Hello", "First", "Second"]
    assert not setup.jobs("dead")


def _status(setup: Setup) -> str:
    [conv] = setup.remote()
    return str(conv["status"])


async def test_a_late_resolve_does_not_close_a_conversation_reopened_since(setup: Setup) -> None:
    from relaydesk.conversations.actions import do_reopen, do_resolve

    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    setup.fault("500", calls=1)
    with setup.db.transaction() as session:
        do_resolve(session, get_conversation(session, conversation_id), by="agent")
    await setup.run()
    [dead] = setup.jobs("dead")  # the resolve never reached Freshchat
    setup.clear_faults()
    with setup.db.transaction() as session:  # the customer came back
        do_reopen(session, get_conversation(session, conversation_id), by="visitor")
    await setup.run()
    assert _status(setup) != "resolved"
    with setup.db.transaction() as session:  # retried later: it is stale by now
        retry_dead_job(session, dead.id)
    await setup.run()
    assert _status(setup) != "resolved"
    with setup.db.session() as session:
        assert get_conversation(session, conversation_id).status != "resolved"


async def test_a_malformed_message_event_is_acknowledged_not_crashed_on(setup: Setup) -> None:
    from relaydesk.connectors.freshchat.receiver import accept_event
    from relaydesk.connectors.freshchat.schemas import WebhookEvent
    from relaydesk.conversations.queries import list_messages

    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    [remote] = setup.remote()
    message = {  # no message id, and a part that is not an object
        "conversation_id": remote["conversation_id"],
        "actor_type": "agent",
        "message_parts": ["Hello?"],
    }
    event = {
        "actor": {"actor_type": "agent", "actor_id": "a-1"},
        "action": "message_create",
        "action_time": "2026-11-27T10:00:00.000Z",
        "data": {"message": message},
    }
    with setup.db.transaction() as session:
        assert accept_event(session, WebhookEvent.model_validate(event), retry_count=None)
    await setup.run()
    assert not setup.jobs("dead")  # acknowledged and logged; no crash, no retries
    with setup.db.session() as session:
        assert [m.text for m in list_messages(session, conversation_id)] == ["Hello"]


async def test_a_resolution_delivered_after_the_later_reopen_does_not_close_it(
    setup: Setup,
) -> None:
    from relaydesk.connectors.freshchat.receiver import accept_event
    from relaydesk.connectors.freshchat.schemas import WebhookEvent
    from relaydesk.sandbox import events

    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    [remote] = setup.remote()
    fcid, agent = remote["conversation_id"], "an agent"
    sandbox_control = f"{setup.sandbox.url}/_sandbox/freshchat/conversations/{fcid}"
    httpx.post(f"{sandbox_control}/resolve", json={}).raise_for_status()
    [resolved] = setup.remote()
    resolution = events.conversation_resolution(resolved, actor_type="agent", actor_id=agent)
    httpx.post(f"{sandbox_control}/reopen", json={}).raise_for_status()
    [reopened] = setup.remote()
    reopen = events.conversation_reopen(reopened, actor_type="agent", actor_id=agent)
    # Freshchat's first try of the resolution failed; its retry comes after the reopen
    for event in (reopen, resolution):
        with setup.db.transaction() as session:
            assert accept_event(session, WebhookEvent.model_validate(event), retry_count=None)
        await setup.run()
    assert _status(setup) == "reopened"
    with setup.db.session() as session:
        assert get_conversation(session, conversation_id).status != "resolved"


async def test_a_message_freshchat_refuses_does_not_stall_the_ones_after_it(
    setup: Setup,
) -> None:
    from relaydesk.connectors.connections import update_options

    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    with setup.db.transaction() as session:  # Freshchat refuses the AI's messages (404)
        update_options(session, "freshchat", {"ai_agent_id": "a-deleted-agent"})
    setup.say(conversation_id, "The AI's answer", author="ai")
    await setup.run()
    [dead] = setup.jobs("dead")
    assert "404" in (dead.last_error or "")
    setup.say(conversation_id, "Thanks")
    await setup.run()
    assert setup.texts() == ["Hello", "Thanks"]
    assert [j.id for j in setup.jobs("dead")] == [dead.id]


def _assign_in_freshchat(setup: Setup, fcid: str, agent_id: str) -> dict[str, Any]:
    """Assign in the sandbox's Freshchat; return the assignment event Freshchat sends."""
    from relaydesk.sandbox import events

    [before] = setup.remote()
    httpx.post(
        f"{setup.sandbox.url}/_sandbox/freshchat/conversations/{fcid}/assign",
        json={"agent_id": agent_id},
    ).raise_for_status()
    [after] = setup.remote()
    return events.conversation_assignment(after, before, actor_type="agent", actor_id=agent_id)


async def _deliver(setup: Setup, event: dict[str, Any]) -> None:
    from relaydesk.connectors.freshchat.receiver import accept_event
    from relaydesk.connectors.freshchat.schemas import WebhookEvent

    with setup.db.transaction() as session:
        assert accept_event(session, WebhookEvent.model_validate(event), retry_count=None)
    await setup.run()


async def test_assignments_delivered_out_of_order_leave_the_latest_owner(setup: Setup) -> None:
    ids = freshchat_ids(setup.sandbox)
    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    [remote] = setup.remote()
    to_alex = _assign_in_freshchat(setup, remote["conversation_id"], ids["human_agent"])
    to_ai = _assign_in_freshchat(setup, remote["conversation_id"], ids["ai_agent"])
    await _deliver(setup, to_ai)
    await _deliver(setup, to_alex)  # Freshchat's retry of the earlier one
    with setup.db.session() as session:
        assert get_conversation(session, conversation_id).assignee == "ai"


async def test_an_assignment_event_without_the_assignee_fields_is_still_reflected(
    setup: Setup,
) -> None:
    ids = freshchat_ids(setup.sandbox)
    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    [remote] = setup.remote()
    fcid = remote["conversation_id"]
    await _deliver(setup, _assign_in_freshchat(setup, fcid, ids["ai_agent"]))
    with setup.db.session() as session:
        assert get_conversation(session, conversation_id).assignee == "ai"
    event = _assign_in_freshchat(setup, fcid, ids["human_agent"])
    # the fields of a real conversation_assignment payload are not documented
    event["data"] = {"assignment": {"conversation": {"conversation_id": fcid}}}
    await _deliver(setup, event)
    with setup.db.session() as session:
        conversation = get_conversation(session, conversation_id)
        assert (conversation.assignee, conversation.agent_id) == ("human", ids["human_agent"])


async def test_a_reply_crossing_relaydesks_close_reopens_the_conversation_in_freshchat(
    setup: Setup,
) -> None:
    from relaydesk.conversations.actions import do_resolve
    from relaydesk.conversations.queries import find_conversation_by_freshchat_id
    from relaydesk.sandbox import events
    from relaydesk.sandbox.freshchat_actions import new_message

    channel = freshchat_ids(setup.sandbox)["channel"]
    started = httpx.post(
        f"{setup.sandbox.url}/_sandbox/freshchat/user-message",
        json={
            "text": "How do I reset my password?",
            "email": "u@example.com",
            "channel_id": channel,
        },
    ).json()
    fcid = started["conversation_id"]
    await _deliver(setup, events.message_create(started["message"]))  # the AI answers there
    with setup.db.transaction() as session:  # relaydesk closes it (auto-resolve, say)
        conversation = find_conversation_by_freshchat_id(session, fcid)
        assert conversation is not None
        do_resolve(session, conversation, by="system")
    await setup.run()
    assert _status(setup) == "resolved"
    # the customer wrote just before the close took effect: Freshchat kept it resolved
    conv = setup.sandbox.state.freshchat.conversations[fcid]
    late = new_message(
        setup.sandbox.sandbox,
        conv,
        parts=[{"text": {"content": "Wait, one more question"}}],
        actor_type="user",
        actor_id=started["user"]["id"],
    )
    await _deliver(setup, events.message_create(late))
    with setup.db.session() as session:
        conversation = find_conversation_by_freshchat_id(session, fcid)
        assert conversation is not None and conversation.status != "resolved"
    assert _status(setup) != "resolved"


async def test_status_and_assignment_events_still_apply_when_freshchat_cannot_be_asked(
    setup: Setup,
) -> None:
    from relaydesk.sandbox import events

    ids = freshchat_ids(setup.sandbox)
    conversation_id = _handed_off(setup, "Hello")
    await setup.run()
    [remote] = setup.remote()
    fcid = remote["conversation_id"]
    to_ai = _assign_in_freshchat(setup, fcid, ids["ai_agent"])
    httpx.post(
        f"{setup.sandbox.url}/_sandbox/freshchat/conversations/{fcid}/resolve", json={}
    ).raise_for_status()
    [resolved] = setup.remote()
    resolution = events.conversation_resolution(resolved, actor_type="agent", actor_id="x")
    # Freshchat's API fails (its webhooks still come): the events' own data is used, so
    # they neither wait for the API nor hold back the conversation's later events
    setup.fault("500", calls=2)
    await _deliver(setup, to_ai)
    await _deliver(setup, resolution)
    assert not setup.jobs("dead")
    with setup.db.session() as session:
        conversation = get_conversation(session, conversation_id)
        assert (conversation.assignee, conversation.status) == ("ai", "resolved")
