"""Changes to Freshchat records, shared by the API router and the control surface.

Each change fires the webhook Freshchat would fire. Changes made through the public API fire
too (as Freshchat echoes API-posted messages), unless ``SandboxOptions.echo_api_messages`` /
``echo_api_changes`` turn that off; their actor is the message's actor, or ``system`` for
status and assignment changes.
"""

from __future__ import annotations

from typing import Any

from relaydesk.sandbox import events
from relaydesk.sandbox.clock import freshchat_time
from relaydesk.sandbox.context import Sandbox
from relaydesk.sandbox.state import Record, new_uuid

API_ACTOR = ("system", "")


def create_user(sandbox: Sandbox, fields: dict[str, Any]) -> Record:
    """Store a new Freshchat user from validated fields and return it."""
    stamp = freshchat_time()
    user: Record = {
        "id": new_uuid(),
        "created_time": stamp,
        "updated_time": stamp,
        "email": None,
        "first_name": None,
        "last_name": None,
        "phone": None,
        "avatar": {"url": ""},
        "reference_id": None,
        "properties": [],
        "login_status": False,
        "org_contact_id": str(sandbox.state.next_internal_id()),
    }
    user.update(fields)
    with sandbox.state.lock:
        sandbox.state.freshchat.users[user["id"]] = user
    return user


def find_user_by_email(sandbox: Sandbox, email: str) -> Record | None:
    """Return the user with this email (case-insensitive), or None."""
    with sandbox.state.lock:
        for user in sandbox.state.freshchat.users.values():
            if (user.get("email") or "").lower() == email.lower():
                return user
    return None


def delete_user(sandbox: Sandbox, user_id: str) -> None:
    """Erase a user with their conversations and messages."""
    fc = sandbox.state.freshchat
    with sandbox.state.lock:
        fc.users.pop(user_id, None)
        gone = [
            cid
            for cid, conv in fc.conversations.items()
            if any(u["id"] == user_id for u in conv["users"])
        ]
        for cid in gone:
            fc.conversations.pop(cid, None)
            fc.messages.pop(cid, None)


def new_message(
    sandbox: Sandbox,
    conv: Record,
    *,
    parts: list[Record],
    actor_type: str,
    actor_id: str,
    message_type: str = "normal",
    reply_parts: list[Record] | None = None,
    source: str = "api",
) -> Record:
    """Append a message to conv and return it (no webhook)."""
    user_id = conv["users"][0]["id"] if conv["users"] else None
    message: Record = {
        "message_parts": parts,
        "reply_parts": reply_parts or [],
        "app_id": conv["app_id"],
        "actor_id": actor_id,
        "org_actor_id": actor_id if actor_type == "agent" else None,
        "id": new_uuid(),
        "channel_id": conv["channel_id"],
        "conversation_id": conv["conversation_id"],
        "interaction_id": conv["interaction_id"],
        "message_type": message_type,
        "actor_type": actor_type,
        "created_time": freshchat_time(),
        "user_id": user_id,
        "message_source": source,
        "restrictResponse": False,
        "botsPrivateNote": False,
    }
    with sandbox.state.lock:
        sandbox.state.freshchat.messages.setdefault(conv["conversation_id"], []).append(message)
        conv["updated_time"] = message["created_time"]
    return message


def post_message(sandbox: Sandbox, conv: Record, *, from_api: bool, **fields: Any) -> Record:
    """Append a message and fire ``message_create``; a user writing reopens a resolved chat."""
    actor_type = fields["actor_type"]
    if actor_type == "user" and conv["status"] == "resolved":
        set_status(sandbox, conv, "reopened", actor=("user", fields["actor_id"]), from_api=from_api)
    message = new_message(sandbox, conv, **fields)
    if not from_api or sandbox.state.options.echo_api_messages:
        sandbox.fire(events.message_create(message))
    return message


def create_conversation(
    sandbox: Sandbox,
    *,
    channel_id: str,
    user_ids: list[str],
    messages: list[dict[str, Any]],
    status: str = "new",
    agent_id: str | None = None,
    group_id: str | None = None,
    properties: Any = None,
    from_api: bool = True,
) -> Record:
    """Create a conversation with its first messages; each message fires ``message_create``."""
    stamp = freshchat_time()
    conv: Record = {
        "conversation_id": new_uuid(),
        "conversation_internal_id": sandbox.state.next_internal_id(),
        "app_id": sandbox.state.app_id,
        "channel_id": channel_id,
        "user_id": user_ids[0] if user_ids else None,
        "org_contact_id": None,
        "users": [{"id": uid} for uid in user_ids],
        "status": "assigned" if agent_id and status == "new" else status,
        "assigned_agent_id": agent_id,
        "assigned_org_agent_id": agent_id,
        "assigned_group_id": group_id,
        "skill_id": None,
        "properties": properties if properties is not None else {},
        "created_by": "api" if from_api else "user",
        "created_time": stamp,
        "updated_time": stamp,
        "interaction_id": sandbox.state.next_interaction_id(),
    }
    with sandbox.state.lock:
        sandbox.state.freshchat.conversations[conv["conversation_id"]] = conv
        sandbox.state.freshchat.messages[conv["conversation_id"]] = []
    for item in messages:
        post_message(sandbox, conv, from_api=from_api, **item)
    return conv


def set_status(
    sandbox: Sandbox, conv: Record, status: str, *, actor: tuple[str, str], from_api: bool
) -> None:
    """Resolve or reopen conv, firing ``conversation_resolution`` / ``conversation_reopen``."""
    previous = conv["status"]
    if status == previous:
        return
    with sandbox.state.lock:
        conv["status"] = status
        conv["updated_time"] = freshchat_time()
        if status == "reopened":
            conv["interaction_id"] = sandbox.state.next_interaction_id()
    if from_api and not sandbox.state.options.echo_api_changes:
        return
    actor_type, actor_id = actor
    if status == "resolved":
        sandbox.fire(events.conversation_resolution(conv, actor_type=actor_type, actor_id=actor_id))
    elif status == "reopened" or (status == "new" and previous == "resolved"):
        sandbox.fire(events.conversation_reopen(conv, actor_type=actor_type, actor_id=actor_id))


def assign(
    sandbox: Sandbox,
    conv: Record,
    *,
    agent_id: str | None,
    group_id: str | None,
    actor: tuple[str, str],
    from_api: bool,
) -> None:
    """Assign conv to an agent and/or group, firing ``conversation_assignment``."""
    previous = {
        "assigned_agent_id": conv.get("assigned_agent_id"),
        "assigned_group_id": conv.get("assigned_group_id"),
    }
    with sandbox.state.lock:
        if agent_id is not None:
            conv["assigned_agent_id"] = agent_id or None
            conv["assigned_org_agent_id"] = agent_id or None
        if group_id is not None:
            conv["assigned_group_id"] = group_id or None
        if conv["assigned_agent_id"] and conv["status"] in ("new", "reopened"):
            conv["status"] = "assigned"
        conv["updated_time"] = freshchat_time()
    changed = previous != {
        "assigned_agent_id": conv.get("assigned_agent_id"),
        "assigned_group_id": conv.get("assigned_group_id"),
    }
    if not changed or (from_api and not sandbox.state.options.echo_api_changes):
        return
    actor_type, actor_id = actor
    sandbox.fire(
        events.conversation_assignment(conv, previous, actor_type=actor_type, actor_id=actor_id)
    )


def public_conversation(sandbox: Sandbox, conv: Record, *, with_messages: bool = False) -> Record:
    """Return conv as the API shows it (``interaction_id`` is internal)."""
    shown = {k: v for k, v in conv.items() if k != "interaction_id"}
    if with_messages:
        shown["messages"] = list(sandbox.state.freshchat.messages.get(conv["conversation_id"], []))
    return shown
