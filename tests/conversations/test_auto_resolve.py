"""Auto-resolve scheduling: set when the AI writes; a reply, a handoff or an option cancels it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relaydesk.config.actions import do_set_product_setting
from relaydesk.connectors.actions import do_delete_connection
from relaydesk.conversations.actions import (
    do_append_message,
    do_create_contact,
    do_hand_off,
    do_start_conversation,
)
from relaydesk.conversations.auto_resolve import auto_resolve_period
from relaydesk.conversations.handlers import resolve_due_conversations
from relaydesk.conversations.queries import get_conversation
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from tests.factories import make_freshchat_connection

pytestmark = pytest.mark.postgres


def _connect_freshchat(db: Database, **options: object) -> None:
    with db.transaction() as session:
        make_freshchat_connection(session, **options)


def test_an_ai_answer_schedules_and_a_reply_cancels(db: Database) -> None:
    with db.transaction() as session:
        do_set_product_setting(session, "auto_resolve_after_seconds", 60)
    with db.transaction() as session:
        conv = do_start_conversation(session, do_create_contact(session))
        do_append_message(session, conv, author="visitor", text="hi")
        assert conv.auto_resolve_at is None
        do_append_message(session, conv, author="ai", text="hello")
        at = get_conversation(session, conv.id).auto_resolve_at
        assert at is not None and timedelta(seconds=55) < at - utcnow() <= timedelta(seconds=60)
    with db.transaction() as session:
        conv = get_conversation(session, conv.id)
        do_append_message(session, conv, author="visitor", text="wait, one more thing")
    with db.transaction() as session:
        assert get_conversation(session, conv.id).auto_resolve_at is None


def test_the_default_period_is_a_day(db: Database) -> None:
    with db.transaction() as session:
        assert auto_resolve_period(session) == 24 * 3600


def test_the_freshchat_options_override_the_period_or_turn_it_off(db: Database) -> None:
    _connect_freshchat(db, auto_resolve_seconds=30)
    with db.transaction() as session:
        assert auto_resolve_period(session) == 30
        conv = do_start_conversation(session, do_create_contact(session))
        do_append_message(session, conv, author="ai", text="hello")
        at = conv.auto_resolve_at
        assert at is not None and at - utcnow() <= timedelta(seconds=30)
    _connect_freshchat(db, auto_resolve_enabled=False)
    with db.transaction() as session:
        assert auto_resolve_period(session) is None
        conv = do_start_conversation(session, do_create_contact(session))
        do_append_message(session, conv, author="ai", text="hello")
        assert conv.auto_resolve_at is None
    with db.transaction() as session:
        do_delete_connection(session, "freshchat")
    with db.transaction() as session:  # a bulk delete clears the cache too
        assert auto_resolve_period(session) == 24 * 3600


def test_a_changed_setting_is_seen_by_the_next_transaction(db: Database) -> None:
    with db.transaction() as session:
        assert auto_resolve_period(session) == 24 * 3600  # now cached
    with db.transaction() as session:
        do_set_product_setting(session, "auto_resolve_after_seconds", 90)
        assert auto_resolve_period(session) == 90  # a transaction reads its own writes
    with db.transaction() as session:
        assert auto_resolve_period(session) == 90


def test_due_conversations_are_resolved_by_the_sweep(db: Database) -> None:
    with db.transaction() as session:
        conv = do_start_conversation(session, do_create_contact(session))
        do_append_message(session, conv, author="ai", text="hello")
        assert conv.auto_resolve_at is not None
        conv.auto_resolve_at = utcnow() - timedelta(seconds=1)
    with db.transaction() as session:
        assert resolve_due_conversations(session) == [conv.id]
        assert get_conversation(session, conv.id).status == "resolved"


def test_visitor_private_and_handed_off_messages_do_not_schedule(db: Database) -> None:
    with db.transaction() as session:
        conv = do_start_conversation(session, do_create_contact(session))
        do_append_message(session, conv, author="visitor", text="hi")
        do_append_message(session, conv, author="ai", text="note", private=True)
        assert conv.auto_resolve_at is None
        do_append_message(session, conv, author="ai", text="Connecting you to a person.")
        do_hand_off(session, conv, target="freshchat", reason="asked for a person")
        assert conv.auto_resolve_at is None
        do_append_message(session, conv, author="ai", text="An agent will be with you shortly.")
        assert conv.auto_resolve_at is None  # it waits on the agent, not the customer
