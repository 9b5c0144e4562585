"""FreshchatClient against the sandbox over real HTTP."""

from __future__ import annotations

import pytest

from relaydesk.connectors.errors import AlreadyGone, RemoteRejected
from relaydesk.connectors.freshchat.client import FreshchatClient, open_freshchat_http
from relaydesk.connectors.freshchat.schemas import (
    ConversationCreate,
    ConversationUpdate,
    MessageCreate,
    UserCreate,
    text_part,
)
from relaydesk.connectors.http import MemoryIntegrationLog
from relaydesk.sandbox import RunningSandbox


def _client(sandbox: RunningSandbox, log: MemoryIntegrationLog | None = None) -> FreshchatClient:
    return FreshchatClient(
        open_freshchat_http(sandbox.url + "/v2", sandbox.keys.freshchat_api_key, log=log)
    )


async def test_users_conversations_messages_round_trip(sandbox: RunningSandbox) -> None:
    log = MemoryIntegrationLog()
    async with _client(sandbox, log) as fc:
        config = await fc.get_account_configuration()
        assert config.app_id
        agents = await fc.list_agents()
        ai = next(a for a in agents if a.email == "ai-agent@example.com")
        groups = await fc.list_groups()
        channels = await fc.list_channels()
        assert {g.name for g in groups} >= {"Support"} and {c.name for c in channels} >= {"Support"}
        user = await fc.create_user(
            UserCreate(
                email="jo@example.com",
                first_name="Jo",
                reference_id="rd-1",
                properties=[{"name": "plan", "value": "pro"}],
            )
        )
        assert [u.id for u in await fc.find_users(reference_id="rd-1")] == [user.id]
        assert [u.id for u in await fc.find_users(email="JO@example.com")] == [user.id]
        conv = await fc.create_conversation(
            ConversationCreate(
                app_id=config.app_id,
                channel_id=channels[0].id,
                users=[{"id": user.id}],
                messages=[
                    MessageCreate(
                        message_parts=[text_part("first")], actor_type="user", actor_id=user.id
                    ),
                    MessageCreate(
                        message_parts=[text_part("second")], actor_type="agent", actor_id=ai.id
                    ),
                ],
            )
        )
        assert [m.text for m in conv.messages] == ["first", "second"]
        posted = await fc.post_message(
            conv.conversation_id,
            MessageCreate(
                message_parts=[text_part("a note")],
                actor_type="agent",
                actor_id=ai.id,
                message_type="private",
            ),
        )
        assert posted.id and posted.is_private
        listed = await fc.list_messages(conv.conversation_id)
        assert [m.text for m in listed] == ["first", "second", "a note"]
        updated = await fc.update_conversation(
            conv.conversation_id, ConversationUpdate(assigned_group_id=groups[0].id)
        )
        assert updated.assigned_group_id == groups[0].id
        await fc.update_conversation(conv.conversation_id, ConversationUpdate(status="resolved"))
        assert (await fc.get_conversation(conv.conversation_id)).status == "resolved"
        assert conv.conversation_id in await fc.list_user_conversations(user.id)
        await fc.delete_user(user.id)
        with pytest.raises(AlreadyGone):
            await fc.delete_user(user.id)
    assert all(e.system == "freshchat" for e in log.entries)
    assert any(e.method == "POST" and e.path == "/v2/conversations" for e in log.entries)


async def test_many_messages_are_paged(sandbox: RunningSandbox) -> None:
    async with _client(sandbox) as fc:
        channel = (await fc.list_channels())[0]
        user = await fc.create_user(UserCreate(email="p@example.com"))
        conv = await fc.create_conversation(
            ConversationCreate(
                channel_id=channel.id,
                users=[{"id": user.id}],
                messages=[
                    MessageCreate(
                        message_parts=[text_part(f"m{i}")], actor_type="user", actor_id=user.id
                    )
                    for i in range(120)
                ],
            )
        )
        listed = await fc.list_messages(conv.conversation_id)
    assert len(listed) == 120 and len({m.id for m in listed}) == 120


async def test_unknown_ids_are_rejected(sandbox: RunningSandbox) -> None:
    async with _client(sandbox) as fc:
        with pytest.raises(RemoteRejected) as info:
            await fc.get_conversation("nope")
    assert info.value.status_code == 404
    assert info.value.body["status"] == "CONVERSATION_NOT_FOUND"
