"""Freshchat API v2 (``/v2/…``): users, conversations, messages, agents, groups, channels."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from relaydesk.sandbox import freshchat_actions as actions
from relaydesk.sandbox.clock import freshchat_time
from relaydesk.sandbox.context import Sandbox, SandboxDep, read_json_object
from relaydesk.sandbox.refusals import freshchat_bad_request, freshchat_error, freshchat_not_found
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/v2")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PART_TYPES = {
    "text", "image", "file", "video", "url_button", "quick_reply_button", "collection",
    "template_content", "callback", "email", "reference",
}  # fmt: skip
STATUSES = ("new", "assigned", "resolved", "reopened")
USER_FIELDS = ("email", "first_name", "last_name", "phone", "avatar", "reference_id", "properties")


def paginate(request: Request, key: str, items: list[Record]) -> JSONResponse:
    """Answer one page of items as ``{key: [...], "pagination": {...}, "links": {...}}``."""
    page = _int_param(request, "page", 1)
    size = min(_int_param(request, "items_per_page", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    total_pages = max(1, math.ceil(len(items) / size))
    chunk = items[(page - 1) * size : page * size]
    links: dict[str, Any] = {}
    query = {k: v for k, v in request.query_params.items() if k not in ("page", "items_per_page")}

    def href(number: int) -> dict[str, str]:
        params = urlencode({**query, "items_per_page": size, "page": number})
        return {"href": f"{request.url.path}?{params}", "rel": key, "type": "GET"}

    if page < total_pages:
        links["next_page"] = href(page + 1)
    if page > 1:
        links["previous_page"] = href(page - 1)
    body = {
        key: chunk,
        "pagination": {
            "total_items": len(items),
            "total_pages": total_pages,
            "current_page": page,
            "items_per_page": size,
        },
        "links": links,
    }
    return JSONResponse(body)


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise freshchat_bad_request(f"{name} must be a positive integer")
    return int(raw)


def _get(records: dict[str, Record], record_id: str, kind: str) -> Record:
    record = records.get(record_id)
    if record is None:
        raise freshchat_not_found(kind)
    return record


def _check_user_fields(body: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(body) - set(USER_FIELDS))
    if unknown:
        raise freshchat_bad_request(f"Unrecognized field(s): {', '.join(unknown)}")
    for name in ("email", "first_name", "last_name", "phone", "reference_id"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise freshchat_bad_request(f"{name} must be a string")
    email = body.get("email")
    if email is not None and ("@" not in email or email.startswith("@")):
        raise freshchat_bad_request("Invalid email")
    properties = body.get("properties")
    if properties is not None and not (
        isinstance(properties, list)
        and all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in properties)
    ):
        raise freshchat_bad_request("properties must be a list of {name, value}")
    return body


def _check_parts(parts: Any) -> list[Record]:
    if not isinstance(parts, list) or not parts:
        raise freshchat_bad_request("message_parts is required")
    for part in parts:
        if not isinstance(part, dict) or len(part) != 1 or next(iter(part)) not in PART_TYPES:
            raise freshchat_bad_request("Invalid message part")
        if "text" in part and not isinstance((part["text"] or {}).get("content"), str):
            raise freshchat_bad_request("text.content is required for a text part")
    return parts


def _check_message(sandbox: Sandbox, body: dict[str, Any], member_ids: list[str]) -> dict[str, Any]:
    """Validate a message body (POST messages, or one of a new conversation's messages)."""
    parts = _check_parts(body.get("message_parts"))
    actor_type = body.get("actor_type")
    actor_id = body.get("actor_id")
    if actor_type not in ("user", "agent", "system"):
        raise freshchat_bad_request("actor_type must be one of user, agent, system")
    if actor_type != "system" and not isinstance(actor_id, str):
        raise freshchat_bad_request("actor_id is required")
    if actor_type == "agent" and actor_id not in sandbox.state.freshchat.agents:
        raise freshchat_not_found("agent")
    if actor_type == "user" and actor_id not in member_ids:
        raise freshchat_bad_request("actor_id must be a user of the conversation")
    message_type = body.get("message_type", "normal")
    if message_type not in ("normal", "private"):
        raise freshchat_bad_request("message_type must be normal or private")
    reply_parts = body.get("reply_parts")
    return {
        "parts": parts,
        "actor_type": actor_type,
        "actor_id": actor_id or "",
        "message_type": message_type,
        "reply_parts": reply_parts if isinstance(reply_parts, list) else None,
    }


@router.get("/accounts/configuration")
async def account_configuration(sandbox: SandboxDep) -> Record:
    """Return the account configuration (the cheap token check)."""
    return {
        "app_id": sandbox.state.app_id,
        "account_id": sandbox.state.account_id,
        "organisation_id": 7000000001,
        "datacenter": "US",
        "account_domain": "sandbox.freshchat.com",
        "organisation_domain": "sandbox.myfreshworks.com",
        "bundle_id": 7000000002,
        "bundle_type": "CUSTOMER_SERVICE",
        "plan_type": "PRO",
        "web_chat_id": sandbox.state.app_id,
    }


@router.post("/users", status_code=201)
async def create_user(request: Request, sandbox: SandboxDep) -> Record:
    """Create a user."""
    body = _check_user_fields(await read_json_object(request, "freshchat"))
    return actions.create_user(sandbox, body)


@router.get("/users")
async def list_users(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """List users, filtered by ``email`` or ``reference_id``."""
    users = list(sandbox.state.freshchat.users.values())
    email = request.query_params.get("email")
    reference_id = request.query_params.get("reference_id")
    if email is not None:
        users = [u for u in users if (u.get("email") or "").lower() == email.lower()]
    if reference_id is not None:
        users = [u for u in users if u.get("reference_id") == reference_id]
    return paginate(request, "users", users)


@router.get("/users/{user_id}")
async def get_user(user_id: str, sandbox: SandboxDep) -> Record:
    """Return one user."""
    return _get(sandbox.state.freshchat.users, user_id, "user")


@router.put("/users/{user_id}")
async def update_user(user_id: str, request: Request, sandbox: SandboxDep) -> Record:
    """Update a user; ``properties`` are merged by name."""
    user = _get(sandbox.state.freshchat.users, user_id, "user")
    body = _check_user_fields(await read_json_object(request, "freshchat"))
    with sandbox.state.lock:
        properties = body.pop("properties", None)
        user.update(body)
        if properties is not None:
            merged = {p["name"]: p for p in user["properties"]}
            merged.update(
                {p["name"]: {"name": p["name"], "value": p.get("value")} for p in properties}
            )
            user["properties"] = list(merged.values())
        user["updated_time"] = freshchat_time()
    return user


@router.delete("/users/{user_id}", status_code=202)
async def delete_user(user_id: str, sandbox: SandboxDep) -> Record:
    """Erase a user with their conversations (GDPR); answers 202 like agent deletion."""
    _get(sandbox.state.freshchat.users, user_id, "user")
    actions.delete_user(sandbox, user_id)
    return {"code": 202, "status": "ACCEPTED", "message": "User deletion request accepted"}


@router.get("/users/{user_id}/conversations")
async def user_conversations(user_id: str, sandbox: SandboxDep) -> Record:
    """List a user's conversation ids."""
    _get(sandbox.state.freshchat.users, user_id, "user")
    convs = [
        {"id": c["conversation_id"], "status": c["status"], "channel_id": c["channel_id"]}
        for c in sandbox.state.freshchat.conversations.values()
        if any(u["id"] == user_id for u in c["users"])
    ]
    return {"conversations": convs}


@router.post("/conversations", status_code=201)
async def create_conversation(request: Request, sandbox: SandboxDep) -> Record:
    """Create a conversation in a channel with its first messages."""
    body = await read_json_object(request, "freshchat")
    fc = sandbox.state.freshchat
    channel_id = body.get("channel_id")
    if not isinstance(channel_id, str):
        raise freshchat_bad_request("channel_id is required")
    _get(fc.channels, channel_id, "channel")
    users = body.get("users")
    if not isinstance(users, list) or not users:
        raise freshchat_bad_request("users is required")
    user_ids: list[str] = []
    for item in users:
        user_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(user_id, str) or user_id not in fc.users:
            raise freshchat_not_found("user")
        user_ids.append(user_id)
    raw_messages = body.get("messages", [])
    if not isinstance(raw_messages, list):
        raise freshchat_bad_request("messages must be a list")
    messages = [
        _to_post_fields(_check_message(sandbox, m if isinstance(m, dict) else {}, user_ids))
        for m in raw_messages
    ]
    status = body.get("status", "new")
    if status not in STATUSES:
        raise freshchat_bad_request(f"status must be one of {', '.join(STATUSES)}")
    agent_id, group_id = _check_assignment(sandbox, body)
    conv = actions.create_conversation(
        sandbox,
        channel_id=channel_id,
        user_ids=user_ids,
        messages=messages,
        status=status,
        agent_id=agent_id or None,
        group_id=group_id or None,
        properties=body.get("properties"),
    )
    return actions.public_conversation(sandbox, conv, with_messages=True)


def _to_post_fields(checked: dict[str, Any]) -> dict[str, Any]:
    return {
        "parts": checked["parts"],
        "actor_type": checked["actor_type"],
        "actor_id": checked["actor_id"],
        "message_type": checked["message_type"],
        "reply_parts": checked["reply_parts"],
    }


def _check_assignment(sandbox: Sandbox, body: dict[str, Any]) -> tuple[str | None, str | None]:
    """Validate ``assigned_agent_id`` / ``assigned_group_id`` (a blank string unassigns)."""
    fc = sandbox.state.freshchat
    agent_id = body.get("assigned_agent_id")
    group_id = body.get("assigned_group_id")
    if agent_id is not None:
        agent_id = str(agent_id).strip()
        if agent_id:
            _get(fc.agents, agent_id, "agent")
    if group_id is not None:
        group_id = str(group_id).strip()
        if group_id:
            _get(fc.groups, group_id, "group")
    return agent_id, group_id


@router.get("/conversations/fields")
async def conversation_fields() -> list[Record]:
    """Return the conversation property schema."""
    return [
        {
            "id": "priority", "name": "priority", "label": "Priority", "type": "DROPDOWN",
            "custom": False, "required": False, "editable": True, "position": 1,
            "column_name": "priority", "default_value": "Low", "fields": [],
            "choices": [{"id": str(i), "value": v} for i, v in enumerate(["Low", "Medium", "High", "Urgent"], 1)],
        },
        {
            "id": "cf_relaydesk_id", "name": "cf_relaydesk_id", "label": "relaydesk conversation",
            "type": "TEXT", "custom": True, "required": False, "editable": True, "position": 2,
            "column_name": "cf_str01", "default_value": None, "fields": [], "choices": [],
        },
    ]  # fmt: skip


@router.get("/conversations/{conversation_id}")
async def get_conversation(conversation_id: str, sandbox: SandboxDep) -> Record:
    """Return one conversation (without its messages)."""
    conv = _get(sandbox.state.freshchat.conversations, conversation_id, "conversation")
    return actions.public_conversation(sandbox, conv)


@router.put("/conversations/{conversation_id}")
async def update_conversation(
    conversation_id: str, request: Request, sandbox: SandboxDep
) -> Record:
    """Update status, assignment and properties."""
    conv = _get(sandbox.state.freshchat.conversations, conversation_id, "conversation")
    body = await read_json_object(request, "freshchat")
    status = body.get("status")
    if status is not None and status not in STATUSES:
        raise freshchat_bad_request(f"status must be one of {', '.join(STATUSES)}")
    agent_id, group_id = _check_assignment(sandbox, body)
    if status == "assigned" and not (agent_id or conv.get("assigned_agent_id")):
        raise freshchat_bad_request("assigned_agent_id is required when status is assigned")
    properties = body.get("properties")
    if properties is not None and not isinstance(properties, dict | list):
        raise freshchat_bad_request("properties must be an object")
    if agent_id is not None or group_id is not None:
        actions.assign(
            sandbox, conv, agent_id=agent_id, group_id=group_id,
            actor=actions.API_ACTOR, from_api=True,
        )  # fmt: skip
    if status in ("resolved", "reopened", "new"):
        actions.set_status(sandbox, conv, status, actor=actions.API_ACTOR, from_api=True)
    elif status == "assigned":
        with sandbox.state.lock:
            conv["status"] = "assigned"
    if isinstance(properties, dict):
        with sandbox.state.lock:
            current = conv["properties"] if isinstance(conv["properties"], dict) else {}
            conv["properties"] = {**current, **properties}
    return actions.public_conversation(sandbox, conv)


@router.get("/conversations/{conversation_id}/messages")
async def list_messages(
    conversation_id: str, request: Request, sandbox: SandboxDep
) -> JSONResponse:
    """List messages, newest first; ``created_from`` keeps those created at or after it."""
    _get(sandbox.state.freshchat.conversations, conversation_id, "conversation")
    messages = list(reversed(sandbox.state.freshchat.messages.get(conversation_id, [])))
    created_from = request.query_params.get("created_from")
    if created_from:
        messages = [m for m in messages if m["created_time"] >= _normalise_time(created_from)]
    return paginate(request, "messages", messages)


def _normalise_time(value: str) -> str:
    """Turn an ISO time into the sandbox's ``…SS.mmmZ`` form so strings compare in order."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise freshchat_bad_request("created_from must be an ISO-8601 time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return freshchat_time(moment.astimezone(UTC))


@router.post("/conversations/{conversation_id}/messages", status_code=201)
async def post_message(conversation_id: str, request: Request, sandbox: SandboxDep) -> Record:
    """Post a message as a user or an agent (``message_type`` ``private`` for a note)."""
    conv = _get(sandbox.state.freshchat.conversations, conversation_id, "conversation")
    body = await read_json_object(request, "freshchat")
    member_ids = [u["id"] for u in conv["users"]]
    checked = _check_message(sandbox, body, member_ids)
    return actions.post_message(sandbox, conv, from_api=True, **_to_post_fields(checked))


@router.get("/agents")
async def list_agents(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """List agents."""
    return paginate(request, "agents", list(sandbox.state.freshchat.agents.values()))


@router.get("/agents/{agent_id}")
async def get_agent(agent_id: str, sandbox: SandboxDep) -> Record:
    """Return one agent."""
    return _get(sandbox.state.freshchat.agents, agent_id, "agent")


@router.get("/groups")
async def list_groups(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """List agent groups."""
    return paginate(request, "groups", list(sandbox.state.freshchat.groups.values()))


@router.get("/groups/{group_id}")
async def get_group(group_id: str, sandbox: SandboxDep) -> Record:
    """Return one group."""
    return _get(sandbox.state.freshchat.groups, group_id, "group")


@router.get("/channels")
async def list_channels(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """List channels (topics)."""
    return paginate(request, "channels", list(sandbox.state.freshchat.channels.values()))


@router.get("/roles")
async def list_roles(request: Request) -> JSONResponse:
    """List roles."""
    roles = [
        {"id": "agent", "name": "Agent", "description": "Agent", "is_custom_role": False},
        {"id": "admin", "name": "Admin", "description": "Admin", "is_custom_role": False},
    ]
    return paginate(request, "roles", roles)


__all__ = ["freshchat_error", "paginate", "router"]
