"""End to end: the messenger, relaydesk's worker and the sandbox's Freshchat over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import Stack, Visitor, next_event, running_stack, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def stack(tmp_path: Path, sandbox: RunningSandbox, database_url: str) -> Iterator[Stack]:
    with running_stack(tmp_path, sandbox, settings={"database_url": database_url}) as running:
        yield running


def test_handoff_carries_the_whole_transcript_in_order(stack: Stack) -> None:
    visitor = Visitor(stack)
    fcid = visitor.hand_off()
    stack.idle()
    conv = stack.fc_conversation(fcid)
    assert conv["channel_id"] == stack.ids["channel"]
    assert conv["assigned_group_id"] == stack.ids["group"]
    normal = [m for m in conv["messages"] if m["message_type"] == "normal"]
    ours = list(visitor.conversation()["messages"])
    assert len(normal) == len(ours), (normal, ours)
    for remote, local in zip(normal, ours, strict=True):
        text = remote["message_parts"][0]["text"]["content"]
        assert text.startswith(local["text"].strip()[:40])
        if local["author"] == "visitor":
            assert remote["actor_type"] == "user"
        else:
            assert (remote["actor_type"], remote["actor_id"]) == ("agent", stack.ids["ai_agent"])
    for local, remote in zip(ours, normal, strict=True):
        for source in local["sources"]:  # the AI's sources travel as links
            assert source["url"] in remote["message_parts"][0]["text"]["content"]
        if local["buttons"]:  # buttons travel as quick replies
            labels = [p["quick_reply_button"]["label"] for p in remote["reply_parts"]]
            assert labels == [b["label"] for b in local["buttons"]]
    notes = [m for m in conv["messages"] if m["message_type"] == "private"]
    assert len(notes) == 1
    note = notes[0]["message_parts"][0]["text"]["content"]
    assert "How do I reset my password?" in note and "What the AI tried" in note
    users = stack.state()["freshchat"]["users"]
    assert len(users) == 1 and users[0]["reference_id"].startswith("relaydesk:")


def test_agent_reply_reaches_the_messenger_and_resolve_closes_it(stack: Stack) -> None:
    visitor = Visitor(stack)
    fcid = visitor.hand_off()
    stack.idle()
    with visitor.stream() as ws:
        next_event(ws, "status")
        stack.control(f"/freshchat/conversations/{fcid}/reply", {"text": "Hi, Alex here."})
        event = next_event(ws, "message")
        assert event["message"]["author"] == "agent"
        assert event["message"]["text"] == "Hi, Alex here."
        visitor.send(text="Thanks Alex, my email is jo@example.com")
        wait_until(
            lambda: any(
                m["message_parts"][0]["text"]["content"].startswith("Thanks Alex")
                for m in stack.fc_conversation(fcid)["messages"]
            ),
            what="the visitor's message to reach Freshchat",
        )
        stack.control(f"/freshchat/conversations/{fcid}/resolve")
        assert next_event(ws, "status")["status"] == "resolved"
    assert visitor.conversation()["status"] == "resolved"
    assert visitor.texts().count("Hi, Alex here.") == 1
    stack.idle()
    relayed = [
        m
        for m in stack.fc_conversation(fcid)["messages"]
        if m["message_parts"][0]["text"]["content"].startswith("Thanks Alex")
    ]
    assert len(relayed) == 1 and relayed[0]["actor_type"] == "user"


def test_close_in_relaydesk_resolves_in_freshchat(stack: Stack) -> None:
    from relaydesk.conversations.actions import do_resolve
    from relaydesk.conversations.queries import get_conversation

    visitor = Visitor(stack)
    fcid = visitor.hand_off()
    stack.idle()
    with stack.db.transaction() as session:
        do_resolve(session, get_conversation(session, visitor.conversation_id), by="system")
    wait_until(lambda: stack.fc_conversation(fcid)["status"] == "resolved", what="resolved")
    stack.idle()
    assert visitor.conversation()["status"] == "resolved"


def test_conversation_in_freshchat_widget_is_answered_by_the_ai(stack: Stack) -> None:
    started = stack.control(
        "/freshchat/user-message",
        {
            "channel_id": stack.ids["channel"],
            "email": "widget@example.com",
            "text": "How do I reset my password?",
        },
    )
    fcid = started.get("conversation_id") or started["conversation"]["conversation_id"]

    def answered() -> list[dict]:  # type: ignore[type-arg]
        return [
            m
            for m in stack.fc_conversation(fcid)["messages"]
            if m["actor_type"] == "agent" and m["actor_id"] == stack.ids["ai_agent"]
        ]

    wait_until(answered, what="the AI's answer in Freshchat")
    stack.idle()
    conv = stack.fc_conversation(fcid)
    assert conv["assigned_agent_id"] == stack.ids["ai_agent"]
    # ask for a person: the workflow offers the choice as quick replies, the user taps one
    stack.control("/freshchat/user-message", {"conversation_id": fcid, "text": "I want a human"})
    stack.idle()
    offered = [
        m for m in stack.fc_conversation(fcid)["messages"]
        if any(p["quick_reply_button"]["label"] == "Human agent" for p in m.get("reply_parts") or [])
    ]  # fmt: skip
    assert offered, stack.fc_conversation(fcid)["messages"]
    stack.control("/freshchat/user-message", {"conversation_id": fcid, "text": "Human agent"})
    wait_until(
        lambda: stack.fc_conversation(fcid)["assigned_group_id"] == stack.ids["group"],
        what="the conversation to go to the escalation group",
    )
    stack.idle()
    conv = stack.fc_conversation(fcid)
    assert conv["assigned_agent_id"] is None
    notes = [m for m in conv["messages"] if m["message_type"] == "private"]
    assert len(notes) == 1
    before = len(answered())
    # now a human owns it: the AI stays silent
    stack.control("/freshchat/user-message", {"conversation_id": fcid, "text": "Hello?"})
    stack.idle()
    assert len(answered()) == before
    # another topic: left alone
    other = stack.control(
        "/freshchat/user-message",
        {
            "channel_id": stack.ids["other_channel"],
            "email": "billing@example.com",
            "text": "How do I reset my password?",
        },
    )
    other_id = other.get("conversation_id") or other["conversation"]["conversation_id"]
    stack.idle()
    assert all(m["actor_type"] == "user" for m in stack.fc_conversation(other_id)["messages"])


def test_assignment_changes_are_reflected(stack: Stack) -> None:
    from relaydesk.conversations.queries import get_conversation

    visitor = Visitor(stack)
    fcid = visitor.hand_off()
    stack.idle()

    def owner() -> tuple[str, str | None, str]:
        with stack.db.session() as session:
            conv = get_conversation(session, visitor.conversation_id)
            return conv.assignee, conv.agent_id, conv.status

    stack.control(f"/freshchat/conversations/{fcid}/assign", {"agent_id": stack.ids["human_agent"]})
    wait_until(
        lambda: owner() == ("human", stack.ids["human_agent"], "with_agent"),
        what="the human agent to own the conversation",
    )
    stack.control(f"/freshchat/conversations/{fcid}/assign", {"agent_id": stack.ids["ai_agent"]})
    wait_until(
        lambda: owner()[0] == "ai" and owner()[2] == "open",
        what="the AI agent to own the conversation again",
    )
    replies = visitor.send(text="How do I reset my password?")
    assert any(m["author"] == "ai" for m in replies)
