"""What relaydesk messages look like in Freshchat: authors, sources, quick replies, the note."""

from __future__ import annotations

from relaydesk.connectors.crm.sync import CrmProfile
from relaydesk.connectors.freshchat.runtime import ContactSnapshot, ConversationSnapshot
from relaydesk.connectors.freshchat.schemas import FreshchatMessage
from relaydesk.connectors.freshchat.transcript import (
    TranscriptLine,
    find_unrecorded,
    line_text,
    message_body,
    same_message,
    summary_note,
    transcript_lines,
)
from relaydesk.connectors.freshchat.users import user_body

SOURCES = [{"slug": "reset", "title": "Reset your password", "url": "https://help/reset"}]


def _line(seq: int, author: str, text: str, **extra: object) -> TranscriptLine:
    return TranscriptLine(id=f"m{seq}", seq=seq, author=author, text=text, **extra)  # type: ignore[arg-type]


def test_visitor_as_user_and_ai_as_the_ai_agent_with_sources_as_links() -> None:
    visitor = message_body(_line(1, "visitor", "hi"), user_id="u1", ai_agent_id="ai1")
    assert (visitor.actor_type, visitor.actor_id, visitor.user_id) == ("user", "u1", "u1")
    answer = message_body(
        _line(2, "ai", "Use the reset link.", sources=SOURCES), user_id="u1", ai_agent_id="ai1"
    )
    assert (answer.actor_type, answer.actor_id, answer.message_type) == ("agent", "ai1", "normal")
    text = answer.message_parts[0]["text"]["content"]
    assert text == "Use the reset link.\n\nSources:\n- Reset your password: https://help/reset"


def test_buttons_become_quick_replies_and_stay_readable() -> None:
    buttons = [
        {"id": "ticket", "label": "Create a ticket"},
        {"id": "human", "label": "Human agent"},
    ]
    body = message_body(
        _line(3, "ai", "How would you like to continue?", buttons=buttons),
        user_id="u1",
        ai_agent_id="ai1",
    )
    assert body.reply_parts is not None
    assert [p["quick_reply_button"]["label"] for p in body.reply_parts] == [
        "Create a ticket",
        "Human agent",
    ]
    assert "[Create a ticket / Human agent]" in line_text(_line(3, "ai", "x", buttons=buttons))


def test_without_an_ai_agent_messages_go_as_system() -> None:
    body = message_body(_line(1, "ai", "hello"), user_id="u1", ai_agent_id=None)
    assert (body.actor_type, body.actor_id) == ("system", None)


def test_transcript_keeps_order_and_drops_private_and_remote_messages() -> None:
    lines = [
        _line(3, "ai", "answer"),
        _line(1, "ai", "welcome"),
        _line(2, "visitor", "question"),
        _line(4, "ai", "internal", private=True),
        _line(5, "agent", "from freshchat", source_id="fc-1"),
    ]
    assert [x.text for x in transcript_lines(lines)] == ["welcome", "question", "answer"]


def test_summary_note_has_question_attempts_and_reason() -> None:
    lines = [
        _line(1, "visitor", "My parcel is lost"),
        _line(2, "ai", "Parcels arrive in 3 days.\nMore text", sources=SOURCES),
        _line(3, "visitor", "It has been two weeks"),
    ]
    note = summary_note(lines, reason="the customer asked for a person", contact_label="Jo")
    assert "Question: My parcel is lost" in note
    assert "Latest message: It has been two weeks" in note
    assert "- Parcels arrive in 3 days. (sources: Reset your password)" in note
    assert "Why handed over: the customer asked for a person" in note


def test_an_unrecorded_remote_copy_is_found_but_recorded_ones_are_not() -> None:
    body = message_body(_line(1, "visitor", "yes"), user_id="u1", ai_agent_id="ai1")
    remote = [
        FreshchatMessage(
            id="r1", actor_type="user", actor_id="u1", message_parts=[{"text": {"content": "yes"}}]
        ),
        FreshchatMessage(
            id="r2", actor_type="user", actor_id="u1", message_parts=[{"text": {"content": "yes"}}]
        ),
        FreshchatMessage(
            id="r3",
            actor_type="agent",
            actor_id="ai1",
            message_parts=[{"text": {"content": "yes"}}],
        ),
    ]
    assert same_message(remote[0], body) and not same_message(remote[2], body)
    found = find_unrecorded(remote, body, known_ids={"r1"})
    assert found is not None and found.id == "r2"
    assert find_unrecorded(remote, body, known_ids={"r1", "r2"}) is None


def _snap(**contact: object) -> ConversationSnapshot:
    base: dict[str, object] = {
        "id": "c1",
        "name": None,
        "email": "jo@example.com",
        "external_id": None,
        "verified": False,
        "email_verified": False,
        "attributes": {},
        "freshchat_user_id": None,
    }
    base.update(contact)
    return ConversationSnapshot(
        id="conv",
        status="open",
        assignee="ai",
        channel="messenger",
        freshchat_conversation_id=None,
        freshchat_user_id=None,
        contact=ContactSnapshot(**base),  # type: ignore[arg-type]
    )


def test_user_body_maps_attributes_and_uses_the_crm() -> None:
    snap = _snap(name="Jo Bloggs", external_id="site-7", attributes={"plan": "pro", "x": 1})
    body = user_body(snap, {"plan": "plan_name"}, None)
    assert (body.first_name, body.last_name, body.reference_id) == ("Jo", "Bloggs", "site-7")
    assert body.properties == [{"name": "plan_name", "value": "pro"}]
    profile = CrmProfile(
        crm_contact_id="9",
        email="jo@example.com",
        name="Joanna Bloggs",
        first_name="Joanna",
        last_name="Bloggs",
        company="Acme",
        job_title=None,
    )
    anonymous = user_body(_snap(), {}, profile)
    assert (anonymous.first_name, anonymous.reference_id) == ("Joanna", "relaydesk:c1")
    assert anonymous.properties == [{"name": "company", "value": "Acme"}]
