"""Whose Freshchat user a handoff goes to: an email a visitor merely typed proves nothing.

A visitor who types someone else's email must not be handed off as that person's Freshchat
user (agents would take them for the customer and see the customer's history), and the
customer's own later conversations in Freshchat's widget must never land in the visitor's
messenger. A JWT-verified email still finds the customer's existing user.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.connectors.freshchat.receiver import accept_event
from relaydesk.connectors.freshchat.schemas import WebhookEvent
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.queries import (
    get_conversation,
    list_conversations_for_contact,
    list_messages,
)
from relaydesk.db.engine import Database
from relaydesk.jobs.worker import JobContext, Worker
from relaydesk.sandbox import RunningSandbox, events
from tests.connectors.freshchat.stack import freshchat_ids, job_context

pytestmark = pytest.mark.postgres

CUSTOMER = "jane.customer@example.com"


@dataclass
class Setup:
    db: Database
    ctx: JobContext
    sandbox: RunningSandbox

    def control(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{self.sandbox.url}/_sandbox{path}", json=body)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def remote_conversation(self, conversation_id: str) -> dict[str, Any]:
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()["freshchat"]
        return next(c for c in state["conversations"] if c["conversation_id"] == conversation_id)

    async def hand_off(self, contact_id: str, text: str) -> str:
        with self.db.transaction() as session:
            from relaydesk.conversations.queries import get_contact

            conv = do_start_conversation(session, get_contact(session, contact_id))
            do_append_message(session, conv, author="visitor", text=text)
            do_hand_off(session, conv, target="freshchat", reason="asked for a person")
            conversation_id = conv.id
        await Worker(self.ctx).run_until_idle(timeout=30)
        with self.db.session() as session:
            fcid = get_conversation(session, conversation_id).freshchat_conversation_id
        assert fcid is not None
        return fcid


@pytest.fixture
async def setup(tmp_path: Path, sandbox: RunningSandbox, database_url: str) -> AsyncIterator[Setup]:
    async with job_context(tmp_path, sandbox, database_url) as (db, ctx):
        yield Setup(db, ctx, sandbox)


async def test_a_typed_email_does_not_make_a_visitor_the_customer(setup: Setup) -> None:
    channel = freshchat_ids(setup.sandbox)["channel"]
    # the customer has chatted in Freshchat's own widget before
    first = setup.control(
        "/freshchat/user-message", {"text": "Hi", "email": CUSTOMER, "channel_id": channel}
    )
    customer_user = first["user"]["id"]
    with setup.db.transaction() as session:  # a visitor types the customer's email
        visitor = do_create_contact(session, email=CUSTOMER).id
    fcid = await setup.hand_off(visitor, "Send the refund to my new card")
    assert setup.remote_conversation(fcid)["users"] != [{"id": customer_user}]
    # the customer writes in Freshchat's widget again: their thread is not the visitor's
    setup.control("/freshchat/conversations/" + first["conversation_id"] + "/resolve", {})
    later = setup.control(
        "/freshchat/user-message",
        {"text": "Where is my order?", "email": CUSTOMER, "channel_id": channel},
    )
    assert later["conversation_id"] != fcid
    event = WebhookEvent.model_validate(events.message_create(later["message"]))
    with setup.db.transaction() as session:
        accept_event(session, event, retry_count=None)
    await Worker(setup.ctx).run_until_idle(timeout=30)
    with setup.db.session() as session:  # nothing of the customer's reaches the visitor
        seen = [
            m.text
            for c in list_conversations_for_contact(session, visitor)
            for m in list_messages(session, c.id)
        ]
    assert "Where is my order?" not in seen


async def test_a_verified_email_finds_the_customers_freshchat_user(setup: Setup) -> None:
    channel = freshchat_ids(setup.sandbox)["channel"]
    first = setup.control(
        "/freshchat/user-message", {"text": "Hi", "email": CUSTOMER, "channel_id": channel}
    )
    with setup.db.transaction() as session:
        contact = do_create_contact(session, email=CUSTOMER, external_id="u-1", verified=True)
        contact_id = contact.id
    fcid = await setup.hand_off(contact_id, "Hello again")
    assert setup.remote_conversation(fcid)["users"] == [{"id": first["user"]["id"]}]


async def _returning_customer(setup: Setup, *, days_ago: int) -> tuple[str, str]:
    """A verified customer known in Freshchat with an old widget chat; return (contact, old)."""
    from datetime import UTC, datetime, timedelta

    from relaydesk.conversations.actions import do_update_contact
    from relaydesk.sandbox.clock import freshchat_time

    channel = freshchat_ids(setup.sandbox)["channel"]
    old = setup.control(
        "/freshchat/user-message", {"text": "Hi", "email": CUSTOMER, "channel_id": channel}
    )
    fcid = old["conversation_id"]
    setup.control(f"/freshchat/conversations/{fcid}/reply", {"text": "Hello Jane, how can I help?"})
    if days_ago:
        stamp = freshchat_time(datetime.now(UTC) - timedelta(days=days_ago))
        state = setup.sandbox.state.freshchat
        with setup.sandbox.state.lock:
            state.conversations[fcid]["created_time"] = stamp
            for message in state.messages[fcid]:
                message["created_time"] = stamp
    with setup.db.transaction() as session:
        contact = do_create_contact(session, email=CUSTOMER, external_id="u-7", verified=True)
        do_update_contact(session, contact, freshchat_user_id=old["user"]["id"])
        return contact.id, fcid


def _conversations_of(setup: Setup, user_id: str) -> list[dict[str, Any]]:
    state = httpx.get(f"{setup.sandbox.url}/_sandbox/state").json()["freshchat"]
    return [c for c in state["conversations"] if c["users"] == [{"id": user_id}]]


async def test_a_returning_customers_old_chat_that_starts_alike_is_not_taken_for_the_handoff(
    setup: Setup,
) -> None:
    contact_id, old = await _returning_customer(setup, days_ago=0)
    with setup.db.transaction() as session:
        from relaydesk.conversations.queries import get_contact

        conv = do_start_conversation(session, get_contact(session, contact_id))
        do_append_message(session, conv, author="visitor", text="Hi")
        do_append_message(session, conv, author="ai", text="Hi! What can I do for you?")
        do_hand_off(session, conv, target="freshchat", reason="asked for a person")
        conversation_id = conv.id
    await Worker(setup.ctx).run_until_idle(timeout=30)
    with setup.db.session() as session:
        fcid = get_conversation(session, conversation_id).freshchat_conversation_id
    assert fcid is not None and fcid != old
    new = setup.remote_conversation(fcid)
    assert new["assigned_group_id"] == freshchat_ids(setup.sandbox)["group"]


async def test_a_returning_customers_chat_from_yesterday_is_not_taken_for_the_handoff(
    setup: Setup,
) -> None:
    contact_id, old = await _returning_customer(setup, days_ago=1)
    fcid = await setup.hand_off(contact_id, "Hi")
    assert fcid != old
    assert (
        setup.remote_conversation(fcid)["assigned_group_id"]
        == freshchat_ids(setup.sandbox)["group"]
    )
