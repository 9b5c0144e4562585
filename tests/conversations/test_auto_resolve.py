"""Auto-resolve scheduling: after the AI's answer; a visitor's reply cancels it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relaydesk.config.actions import do_set_product_setting
from relaydesk.connectors.freshchat.auto_resolve import schedule_after_ai_message
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_start_conversation,
)
from relaydesk.conversations.handlers import resolve_due_conversations
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database

pytestmark = pytest.mark.postgres


def _payload(message: object, conversation_id: str) -> dict[str, object]:
    return {
        "author": "ai",
        "private": False,
        "conversation_id": conversation_id,
        "message_id": message.id,
    }  # type: ignore[attr-defined]


def test_ai_answer_schedules_and_a_reply_cancels(db: Database) -> None:
    with db.transaction() as session:
        do_set_product_setting(session, "auto_resolve_after_seconds", 60)
        conv = do_start_conversation(session, do_create_contact(session))
        do_append_message(session, conv, author="visitor", text="hi")
        answer = do_append_message(session, conv, author="ai", text="hello")
        assert (
            schedule_after_ai_message(session, _payload(answer, conv.id)) == "auto-resolve in 60s"
        )
        at = get_conversation(session, conv.id).auto_resolve_at
        assert at is not None and timedelta(seconds=55) < at - utcnow() <= timedelta(seconds=60)
        do_append_message(session, conv, author="visitor", text="wait, one more thing")
        assert get_conversation(session, conv.id).auto_resolve_at is None


def test_a_reply_before_the_job_ran_prevents_scheduling(db: Database) -> None:
    with db.transaction() as session:
        conv = do_start_conversation(session, do_create_contact(session))
        answer = do_append_message(session, conv, author="ai", text="hello")
        do_append_message(session, conv, author="visitor", text="thanks but")
        outcome = schedule_after_ai_message(session, _payload(answer, conv.id))
        assert outcome == "the customer or an agent wrote since"
        assert get_conversation(session, conv.id).auto_resolve_at is None


def test_due_conversations_are_resolved_by_the_sweep(db: Database) -> None:
    with db.transaction() as session:
        do_set_product_setting(session, "auto_resolve_after_seconds", 1)
        conv = do_start_conversation(session, do_create_contact(session))
        answer = do_append_message(session, conv, author="ai", text="hello")
        schedule_after_ai_message(session, _payload(answer, conv.id))
        get_conversation(session, conv.id).auto_resolve_at = utcnow() - timedelta(seconds=1)
    with db.transaction() as session:
        assert resolve_due_conversations(session) == [conv.id]
        assert get_conversation(session, conv.id).status == "resolved"


def test_visitor_and_private_messages_do_not_schedule(db: Database) -> None:
    with db.transaction() as session:
        conv = do_start_conversation(session, do_create_contact(session))
        visitor = do_append_message(session, conv, author="visitor", text="hi")
        payload = {**_payload(visitor, conv.id), "author": "visitor"}
        assert schedule_after_ai_message(session, payload) == "not an AI message"
        note = do_append_message(session, conv, author="ai", text="note", private=True)
        private = {**_payload(note, conv.id), "private": True}
        assert schedule_after_ai_message(session, private) == "not an AI message"
