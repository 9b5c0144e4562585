"""The conversation store: state changes, their jobs (same transaction) and live events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from relaydesk.conversations import actions, queries
from relaydesk.conversations.states import Status
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.db.models.contacts import Contact, ContactTombstone
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.db.models.jobs import Job
from relaydesk.errors import ContactDeleted, ConversationClosed, InvalidTransition
from relaydesk.jobs.handlers import HandlerSpec, registry
from relaydesk.jobs.worker import JobContext
from relaydesk.realtime.hub import pending_realtime
from tests.factories import make_contact, make_conversation, make_message

pytestmark = pytest.mark.postgres

EVENTS = (
    "conversation.started",
    "message.created",
    "conversation.handed_off",
    "conversation.assigned",
    "conversation.resolved",
    "conversation.reopened",
    "contact.deleted",
    "contact.updated",
)


async def _noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    return None


@pytest.fixture
def recorder() -> Iterator[None]:
    """Register a 'test' concern for every event, so each event writes one job."""
    specs = [HandlerSpec(name, "test", _noop) for name in EVENTS]
    with registry.temporary(*specs):
        yield


def _jobs(db: Database, kind_prefix: str = "") -> list[Job]:
    with db.session() as session:
        stmt = select(Job).where(Job.kind.like(f"{kind_prefix}%"), Job.kind.like("%:test"))
        return list(session.scalars(stmt.order_by(Job.id)))


def test_starting_a_conversation_writes_its_job_in_the_same_transaction(
    db: Database, recorder: None
) -> None:
    with db.transaction() as session:
        conv = make_conversation(session, language="en")
    [job] = _jobs(db, "conversation.started")
    assert job.kind == "conversation.started:test"
    assert job.ordering_key == f"test:{conv.id}"
    assert job.idempotency_key == f"{job.payload['event_id']}:test"
    assert job.payload["conversation_id"] == conv.id
    assert job.payload["event"] == "conversation.started"
    assert job.payload["language"] == "en"
    assert conv.status == "open" and conv.assignee == "ai"


def test_a_rolled_back_change_leaves_no_job_and_no_live_event(db: Database, recorder: None) -> None:
    with db.transaction() as session:
        conv_id = make_conversation(session).id
    before = len(_jobs(db))
    with pytest.raises(RuntimeError), db.transaction() as session:
        conv = queries.get_conversation(session, conv_id)
        make_message(session, conv, text="never stored")
        assert pending_realtime(session)
        raise RuntimeError("the route failed after writing")
    assert len(_jobs(db)) == before
    with db.session() as session:
        assert queries.list_messages(session, conv_id) == []


def test_messages_are_numbered_in_order_and_counted(db: Database, recorder: None) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        texts = ["one", "two", "three"]
        for text in texts:
            make_message(session, conv, text=text)
        note = make_message(session, conv, author="agent", text="internal", private=True)
    with db.session() as session:
        public = queries.list_messages(session, conv.id)
        everything = queries.list_messages(session, conv.id, include_private=True)
        conv = queries.get_conversation(session, conv.id)
    assert [m.text for m in public] == texts
    assert [m.seq for m in everything] == [1, 2, 3, 4]
    assert everything[-1].id == note.id
    assert conv.message_count == 4
    jobs = _jobs(db, "message.created")
    assert [j.payload["seq"] for j in jobs] == [1, 2, 3, 4]
    assert jobs[-1].payload["private"] is True


def test_a_redelivered_remote_message_is_stored_once(db: Database, recorder: None) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        first = make_message(session, conv, author="agent", text="Hi!", source_id="fc-msg-1")
    with db.transaction() as session:
        conv = queries.get_conversation(session, conv.id)
        again = make_message(session, conv, author="agent", text="Hi!", source_id="fc-msg-1")
        assert not pending_realtime(session)
    assert again.id == first.id
    assert len(_jobs(db, "message.created")) == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_message_shapes_are_normalised(db: Database) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        msg = make_message(
            session,
            conv,
            author="ai",
            text="See this",
            buttons=[{"id": "yes", "label": "Yes"}],
            sources=[{"slug": "reset", "title": "Reset", "url": "https://x/reset", "score": 0.9}],
            input={"field": "email", "label": "Your email"},
        )
        [(conv_id, event)] = pending_realtime(session)
    assert conv_id == conv.id
    assert event["type"] == "message"
    assert set(event["message"]) == {
        "id",
        "author",
        "text",
        "buttons",
        "sources",
        "input",
        "created_at",
    }
    assert event["message"]["sources"] == [
        {"slug": "reset", "title": "Reset", "url": "https://x/reset"}
    ]
    assert msg.input == {"field": "email", "label": "Your email"}


def test_private_notes_are_not_published(db: Database) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        make_message(session, conv, author="agent", text="note", private=True)
        assert pending_realtime(session) == []


def test_visitor_and_agent_messages_cancel_auto_resolve_but_ai_messages_do_not(
    db: Database,
) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        at = utcnow() + timedelta(hours=1)
        actions.do_schedule_auto_resolve(session, conv, at)
        make_message(session, conv, author="ai", text="Did that help?")
        assert conv.auto_resolve_at is not None
        make_message(session, conv, author="visitor", text="one more thing")
        assert conv.auto_resolve_at is None
        actions.do_schedule_auto_resolve(session, conv, at)
        make_message(session, conv, author="agent", text="sure", private=True)
        assert conv.auto_resolve_at is not None
        make_message(session, conv, author="agent", text="sure")
        assert conv.auto_resolve_at is None


def test_hand_off_to_freshchat_makes_it_with_agent(db: Database, recorder: None) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_hand_off(session, conv, target="freshchat", reason="asked for a human")
        assert (conv.status, conv.assignee, conv.handed_off_to) == (
            "with_agent",
            "human",
            "freshchat",
        )
        events = [e for _, e in pending_realtime(session)]
    assert events == [{"type": "status", "status": "with_agent"}]
    [job] = _jobs(db, "conversation.handed_off")
    assert job.payload["target"] == "freshchat"
    assert job.payload["reason"] == "asked for a human"


def test_hand_off_to_freshdesk_makes_it_ticketed(db: Database) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_hand_off(session, conv, target="freshdesk", reason="ticket")
        assert conv.status == Status.TICKETED


def test_hand_off_twice_is_rejected(db: Database) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_hand_off(session, conv, target="freshchat", reason="human")
        with pytest.raises(InvalidTransition, match="already with_agent"):
            actions.do_hand_off(session, conv, target="freshchat", reason="again")


def test_hand_off_of_a_resolved_conversation_is_rejected(db: Database) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_resolve(session, conv, by="visitor")
        with pytest.raises(InvalidTransition, match="from resolved to ticketed") as info:
            actions.do_hand_off(session, conv, target="freshdesk", reason="late")
    assert info.value.status == 409
    assert info.value.code == "invalid_transition"


def test_resolving_twice_emits_one_event(db: Database, recorder: None) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_schedule_auto_resolve(session, conv, utcnow() + timedelta(minutes=5))
        actions.do_resolve(session, conv, by="ai")
        actions.do_resolve(session, conv, by="remote")
        assert (conv.status, conv.resolved_by, conv.auto_resolve_at) == ("resolved", "ai", None)
    [job] = _jobs(db, "conversation.resolved")
    assert job.payload["by"] == "ai"
    assert job.payload["previous_status"] == "open"


def test_reopen_returns_to_the_agent_when_a_human_owns_it_in_freshchat(
    db: Database, recorder: None
) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_hand_off(session, conv, target="freshchat", reason="human")
        actions.do_link_remote(
            session, conv, freshchat_conversation_id="fc-1", freshchat_user_id="u1"
        )
        actions.do_resolve(session, conv, by="remote")
        actions.do_reopen(session, conv, by="remote")
        assert (conv.status, conv.assignee) == ("with_agent", "human")
        other = make_conversation(session)
        actions.do_resolve(session, other, by="visitor")
        actions.do_reopen(session, other, by="visitor")
        assert (other.status, other.assignee) == ("open", "ai")
        actions.do_reopen(session, other, by="visitor")  # not resolved: nothing happens
        contact = session.get(Contact, conv.contact_id)
        assert contact is not None and contact.freshchat_user_id == "u1"
    assert [j.payload["status"] for j in _jobs(db, "conversation.reopened")] == [
        "with_agent",
        "open",
    ]


def test_assigning_moves_ownership_and_status(db: Database, recorder: None) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.do_assign(session, conv, assignee="human", agent_id="ag-1", group_id="g-1")
        assert (conv.status, conv.assignee, conv.agent_id) == ("with_agent", "human", "ag-1")
        actions.do_assign(session, conv, assignee="human", agent_id="ag-1", group_id="g-1")
        actions.do_assign(session, conv, assignee="ai")
        assert (conv.status, conv.assignee) == ("open", "ai")
    payloads = [j.payload for j in _jobs(db, "conversation.assigned")]
    assert [(p["previous_assignee"], p["assignee"]) for p in payloads] == [
        ("ai", "human"),
        ("human", "ai"),
    ]


def test_posting_to_a_closed_conversation(db: Database) -> None:
    with db.transaction() as session:
        conv = make_conversation(session)
        actions.check_can_post(conv, prevent_replies_when_closed=True)
        actions.do_resolve(session, conv, by="visitor")
        actions.check_can_post(conv, prevent_replies_when_closed=False)
        with pytest.raises(ConversationClosed) as info:
            actions.check_can_post(conv, prevent_replies_when_closed=True)
    assert info.value.status == 409


def test_identify_finds_or_creates_and_merges_verified_attributes(
    db: Database, recorder: None
) -> None:
    with db.transaction() as session:
        first = actions.do_identify_contact(
            session,
            external_id="u-7",
            email="Ana@Example.com",
            name="Ana",
            attributes={"plan": "pro"},
        )
        assert (first.email, first.verified, first.email_verified) == (
            "ana@example.com",
            True,
            True,
        )
    with db.transaction() as session:
        again = actions.do_identify_contact(
            session, external_id="u-7", email=None, name="Ana B", attributes={"account_id": 3}
        )
        same = actions.do_identify_contact(
            session, external_id="u-7", email=None, name="Ana B", attributes={"account_id": 3}
        )
    assert again.id == first.id == same.id
    assert again.attributes == {"plan": "pro", "account_id": 3}
    [job] = _jobs(db, "contact.updated")
    assert job.payload["changed"] == ["name", "attributes.account_id"]
    assert job.ordering_key == f"test:contact:{first.id}"


def test_visitor_tokens_are_stored_hashed(db: Database) -> None:
    with db.transaction() as session:
        contact = make_contact(session)
        token = actions.do_create_visitor_session(session, contact, "https://example.com/")
    with db.session() as session:
        found = queries.find_contact_by_visitor_token(session, token)
        assert found is not None and found.id == contact.id
        assert queries.find_contact_by_visitor_token(session, token + "x") is None
        from relaydesk.db.models.contacts import VisitorSession

        stored = session.scalars(select(VisitorSession.token_hash)).all()
        assert token not in stored


def test_deleting_a_contact_removes_everything_and_leaves_a_tombstone(
    db: Database, recorder: None
) -> None:
    with db.transaction() as session:
        contact = make_contact(session, email="Gone@Example.com", external_id="ext-9")
        token = actions.do_create_visitor_session(session, contact, None)
        conv = make_conversation(session, contact)
        make_message(session, conv, text="my data")
        actions.do_link_remote(
            session,
            conv,
            freshchat_conversation_id="fc-9",
            freshchat_user_id="fu-9",
            freshdesk_ticket_id="t-9",
        )
        keep = make_conversation(session)
        make_message(session, keep, text="someone else")
        actions.do_update_contact(session, contact, name="Renamed")
    pending_before = [
        j.id for j in _jobs(db, "message.created") if j.payload["conversation_id"] == conv.id
    ] + [j.id for j in _jobs(db, "contact.updated")]
    kept_pending = [
        j.id for j in _jobs(db, "message.created") if j.payload["conversation_id"] == keep.id
    ]
    with db.transaction() as session:
        contact = queries.get_contact(session, contact.id)
        tombstone = actions.do_delete_contact(session, contact)
    with db.session() as session:
        assert session.get(Contact, contact.id) is None
        assert session.get(Conversation, conv.id) is None
        assert queries.list_messages(session, conv.id, include_private=True) == []
        assert queries.find_contact_by_visitor_token(session, token) is None
        assert len(queries.list_messages(session, keep.id)) == 1
        stone = session.get(ContactTombstone, tombstone.id)
        assert stone is not None and stone.freshchat_user_id == "fu-9"
        assert queries.is_tombstoned(session, email="gone@example.com")
        assert queries.is_tombstoned(session, external_id="ext-9")
        assert queries.is_tombstoned(session, freshchat_user_id="fu-9")
        assert not queries.is_tombstoned(session, email="other@example.com")
        with pytest.raises(ContactDeleted):
            actions.check_not_tombstoned(session, email="GONE@example.com")
        skipped = {
            j.id: j.status for j in session.scalars(select(Job).where(Job.id.in_(pending_before)))
        }
        kept = {j.status for j in session.scalars(select(Job).where(Job.id.in_(kept_pending)))}
    assert len(skipped) == 2 and set(skipped.values()) == {"skipped"}
    assert kept == {"pending"}
    [job] = _jobs(db, "contact.deleted")
    assert job.payload["conversation_ids"] == [conv.id]
    assert job.payload["freshchat_conversation_ids"] == ["fc-9"]
    assert job.payload["freshdesk_ticket_ids"] == ["t-9"]
    assert job.payload["tombstone_id"] == tombstone.id
    assert job.status == "pending"


def test_auto_resolve_sweep_resolves_due_conversations(db: Database, recorder: None) -> None:
    from relaydesk.conversations.handlers import resolve_due_conversations

    with db.transaction() as session:
        due = make_conversation(session)
        later = make_conversation(session)
        actions.do_schedule_auto_resolve(session, due, utcnow() - timedelta(seconds=1))
        actions.do_schedule_auto_resolve(session, later, utcnow() + timedelta(hours=1))
    with db.transaction() as session:
        assert resolve_due_conversations(session) == [due.id]
    with db.session() as session:
        assert queries.get_conversation(session, due.id).status == "resolved"
        assert queries.get_conversation(session, later.id).status == "open"
    [job] = _jobs(db, "conversation.resolved")
    assert job.payload["by"] == "system"


def test_unknown_ids_raise_not_found(db: Database) -> None:
    from relaydesk.errors import ContactNotFound, ConversationNotFound, MessageNotFound

    with db.session() as session:
        with pytest.raises(ConversationNotFound):
            queries.get_conversation(session, "nope")
        with pytest.raises(ContactNotFound):
            queries.get_contact(session, "nope")
        with pytest.raises(MessageNotFound):
            queries.get_message(session, "nope")
        assert queries.find_conversation_by_freshchat_id(session, "nope") is None


def test_concurrent_appends_get_distinct_consecutive_numbers(db: Database) -> None:
    import threading

    with db.transaction() as session:
        conv_id = make_conversation(session).id
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with db.transaction() as session:
                    conv = queries.get_conversation(session, conv_id)
                    make_message(session, conv, text=f"{n}-{i}", source_id=f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as session:
        messages = queries.list_messages(session, conv_id)
        conv = queries.get_conversation(session, conv_id)
    assert [m.seq for m in messages] == list(range(1, 41))
    assert conv.message_count == 40
    for n in range(4):  # each writer's messages stay in its order
        mine = [m.text for m in messages if m.text.startswith(f"{n}-")]
        assert mine == [f"{n}-{i}" for i in range(10)]


def test_export_gives_a_contacts_data_as_json(db: Database) -> None:
    import json

    with db.transaction() as session:
        contact = make_contact(session, name="Ana", attributes={"plan": "pro"})
        conv = make_conversation(session, contact)
        make_message(session, conv, text="hello")
        make_message(session, conv, author="agent", text="note", private=True)
        make_conversation(session)  # someone else's
    with db.session() as session:
        data = queries.export_contact(session, contact.id)
    json.dumps(data)
    assert data["contact"]["name"] == "Ana"
    assert data["contact"]["attributes"] == {"plan": "pro"}
    [exported] = data["conversations"]
    assert [m["text"] for m in exported["messages"]] == ["hello", "note"]
