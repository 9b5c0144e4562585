"""Webhooks about a handoff's Freshchat conversation that arrive before relaydesk linked it.

Freshchat created the conversation, but relaydesk did not record it yet: the answer timed out
(Freshchat slow) or relaydesk died before its commit. Until the retry adopts it, Freshchat's
webhooks about it name a conversation relaydesk does not know: the echo of the transcript's
visitor messages, and an agent who already replied. Neither may start an AI conversation of
its own in that Freshchat conversation, and the agent's reply must reach the visitor.

A crash is simulated as in ``test_restart.py``; webhook events are built by the sandbox's own
event module from the sandbox's stored messages and accepted as the receiver does once the
signature verified.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from relaydesk.connectors.freshchat.receiver import accept_event
from relaydesk.connectors.freshchat.runtime import close_clients
from relaydesk.connectors.freshchat.schemas import WebhookEvent
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.queries import (
    find_conversation_by_freshchat_id,
    get_conversation,
    list_messages,
)
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.db.migrate import open_database
from relaydesk.db.models.jobs import Job
from relaydesk.jobs.worker import JobContext, Worker, build_job_context
from relaydesk.realtime.hub import build_hub
from relaydesk.sandbox import RunningSandbox, events
from tests.connectors.freshchat.stack import KillingContext, SimulatedKill, build_settings, prepare

pytestmark = pytest.mark.postgres


@dataclass
class Setup:
    db: Database
    base: JobContext
    killing: KillingContext
    sandbox: RunningSandbox
    conversation_id: str = ""

    def remote(self) -> dict[str, Any]:
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()["freshchat"]
        [conv] = state["conversations"]
        return dict(conv)

    def webhook(self, message: dict[str, Any]) -> None:
        """Accept Freshchat's message_create about message (as the receiver does)."""
        event = WebhookEvent.model_validate(events.message_create(message))
        with self.db.transaction() as session:
            assert accept_event(session, event, retry_count=None)

    def agent_replies(self, text: str) -> dict[str, Any]:
        """Reply in the sandbox's Freshchat as a human agent; return the stored message."""
        fcid = self.remote()["conversation_id"]
        httpx.post(
            f"{self.sandbox.url}/_sandbox/freshchat/conversations/{fcid}/reply",
            json={"text": text},
        ).raise_for_status()
        return next(
            m
            for m in self.remote()["messages"]
            if m["actor_type"] == "agent" and m["message_parts"][0]["text"]["content"] == text
        )

    def texts(self) -> list[tuple[str, str]]:
        with self.db.session() as session:
            return [(m.author, m.text) for m in list_messages(session, self.conversation_id)]

    async def run_webhooks(self) -> None:
        """Run the webhook jobs to the end (an echo waits a few short rounds first)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            await Worker(self.base).run_until_idle()
            with self.db.session() as session:
                busy = (
                    session.query(Job)
                    .filter(Job.kind == "freshchat.webhook:process")
                    .filter(Job.status.in_(("pending", "running")))
                    .count()
                )
            if not busy:
                return
            time.sleep(0.1)
        raise AssertionError("webhook jobs did not finish")

    async def restart(self) -> None:
        """Let the killed worker's lease expire and run a new worker."""
        with self.db.transaction() as session:
            session.execute(
                update(Job)
                .where(Job.status == "running")
                .values(locked_until=utcnow() - timedelta(seconds=1))
            )
        await Worker(self.base, worker_id="restarted").run_until_idle()


@pytest.fixture
async def setup(tmp_path: Path, sandbox: RunningSandbox, database_url: str) -> AsyncIterator[Setup]:
    settings = build_settings(tmp_path, database_url=database_url)
    prepare(tmp_path, sandbox, settings)
    db = open_database(settings)
    base = build_job_context(settings, db, build_hub(settings))
    killing = KillingContext(
        settings=base.settings, db=base.db, hub=base.hub, secrets=base.secrets, kill_at="link"
    )
    found = Setup(db, base, killing, sandbox)
    try:
        with db.transaction() as session:
            conv = do_start_conversation(session, do_create_contact(session, email="w@example.com"))
            do_append_message(session, conv, author="visitor", text="My parcel is lost")
            do_append_message(session, conv, author="ai", text="Let me find someone for you.")
            do_hand_off(session, conv, target="freshchat", reason="asked for a person")
            found.conversation_id = conv.id
        with pytest.raises(SimulatedKill):  # Freshchat created it; relaydesk never linked it
            await Worker(killing, worker_id="killed").run_until_idle()
        yield found
    finally:
        await close_clients(base.clients)
        await close_clients(killing.clients)
        db.dispose()


async def test_the_echo_of_a_handoff_being_linked_never_starts_an_ai_conversation(
    setup: Setup,
) -> None:
    remote = setup.remote()
    [first] = [m for m in remote["messages"] if m["actor_type"] == "user"]
    setup.webhook(first)
    await setup.run_webhooks()
    with setup.db.session() as session:
        assert find_conversation_by_freshchat_id(session, remote["conversation_id"]) is None
    after = setup.remote()
    assert after["assigned_agent_id"] is None  # still the escalation group's, not the AI's
    assert len(after["messages"]) == len(remote["messages"])  # the AI did not answer there
    await setup.restart()
    with setup.db.session() as session:
        linked = get_conversation(session, setup.conversation_id).freshchat_conversation_id
    assert linked == remote["conversation_id"]


async def test_an_agent_reply_before_the_link_reaches_the_visitor(setup: Setup) -> None:
    reply = setup.agent_replies("Hi, I am Alex. Which parcel?")
    setup.webhook(reply)  # Freshchat's webhook names a conversation relaydesk does not know
    await setup.run_webhooks()
    await setup.restart()  # the handoff's retry adopts the conversation
    with setup.db.session() as session:
        conversation = get_conversation(session, setup.conversation_id)
        assert conversation.freshchat_conversation_id == setup.remote()["conversation_id"]
        assert conversation.assignee == "human"
    assert setup.texts().count(("agent", "Hi, I am Alex. Which parcel?")) == 1


async def test_a_reply_taken_at_adoption_is_not_added_again_by_its_late_webhook(
    setup: Setup,
) -> None:
    reply = setup.agent_replies("Hi, I am Alex. Which parcel?")
    await setup.restart()
    assert setup.texts().count(("agent", "Hi, I am Alex. Which parcel?")) == 1
    setup.webhook(reply)  # Freshchat's delivery only arrives now
    await setup.run_webhooks()
    assert setup.texts().count(("agent", "Hi, I am Alex. Which parcel?")) == 1
