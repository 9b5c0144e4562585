"""The control surface under ``/_sandbox`` (JSON): keys, state, reset, seeding, acting as a
Freshchat agent or widget user (each firing the webhook Freshchat would), and faults.
Refusals here are ``{"error": "..."}`` with a 4xx status: this is the sandbox's own API.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from relaydesk.sandbox import freshchat_actions as actions
from relaydesk.sandbox import records
from relaydesk.sandbox.context import Sandbox, SandboxDep
from relaydesk.sandbox.faults import MODES, SYSTEMS
from relaydesk.sandbox.refusals import Refusal
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/_sandbox")


def control_error(status: int, message: str) -> Refusal:
    """Return a control-surface refusal."""
    return Refusal(JSONResponse({"error": message}, status_code=status))


async def read_body(request: Request) -> dict[str, Any]:
    """Parse a JSON object body (an empty body is ``{}``)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        value = await request.json()
    except ValueError as exc:
        raise control_error(400, "body must be JSON") from exc
    if not isinstance(value, dict):
        raise control_error(400, "body must be a JSON object")
    return value


def _text(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise control_error(400, f"{name} is required and must be a non-empty string")
    return value


@router.get("/keys")
async def keys(sandbox: SandboxDep) -> dict[str, str]:
    """Return the API keys and the webhook public key."""
    return sandbox.state.keys.as_dict()


@router.get("/state")
async def state(sandbox: SandboxDep) -> Record:
    """Return every record, every API call with its status, and webhook deliveries."""
    snapshot = sandbox.state.snapshot()
    snapshot["faults"] = sandbox.faults.active()
    return snapshot


@router.post("/reset")
async def reset(request: Request, sandbox: SandboxDep) -> Record:
    """Forget everything (records, calls, webhook URL, faults) and seed the demo data again."""
    await read_body(request)
    sandbox.reset()
    return {"ok": True}


@router.post("/freshchat/webhook")
async def set_webhook(request: Request, sandbox: SandboxDep) -> Record:
    """Set where conversation webhooks go (``{"url": null}`` turns them off)."""
    body = await read_body(request)
    url = body.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise control_error(400, "url must be an http(s) URL or null")
    with sandbox.state.lock:
        sandbox.state.webhook_url = url or None
    return {"url": sandbox.state.webhook_url}


def _conversation(sandbox: Sandbox, conversation_id: str) -> Record:
    conv = sandbox.state.freshchat.conversations.get(conversation_id)
    if conv is None:
        raise control_error(404, f"no Freshchat conversation {conversation_id}")
    return conv


def _agent_id(sandbox: Sandbox, body: dict[str, Any], conv: Record) -> str:
    """The acting agent: the one named, else the assigned one, else the first human agent."""
    agents = sandbox.state.freshchat.agents
    agent_id = body.get("agent_id")
    if agent_id is not None:
        if agent_id not in agents:
            raise control_error(404, f"no Freshchat agent {agent_id}")
        return str(agent_id)
    assigned = conv.get("assigned_agent_id")
    if assigned in agents and not agents[assigned].get("is_bot"):
        return str(assigned)
    humans = [a["id"] for a in agents.values() if not a.get("is_bot")]
    if not humans:
        raise control_error(400, "no human agent to act as")
    return str(humans[0])


@router.post("/freshchat/conversations/{conversation_id}/reply")
async def agent_reply(conversation_id: str, request: Request, sandbox: SandboxDep) -> Record:
    """Reply as a live agent (``"private": true`` for a private note); fires message_create."""
    conv = _conversation(sandbox, conversation_id)
    body = await read_body(request)
    text = _text(body, "text")
    agent_id = _agent_id(sandbox, body, conv)
    return actions.post_message(
        sandbox,
        conv,
        from_api=False,
        parts=[{"text": {"content": text}}],
        actor_type="agent",
        actor_id=agent_id,
        message_type="private" if body.get("private") else "normal",
        source="web",
    )


@router.post("/freshchat/conversations/{conversation_id}/resolve")
async def resolve(conversation_id: str, request: Request, sandbox: SandboxDep) -> Record:
    """Resolve as an agent; fires conversation_resolution."""
    conv = _conversation(sandbox, conversation_id)
    agent_id = _agent_id(sandbox, await read_body(request), conv)
    actions.set_status(sandbox, conv, "resolved", actor=("agent", agent_id), from_api=False)
    return actions.public_conversation(sandbox, conv)


@router.post("/freshchat/conversations/{conversation_id}/reopen")
async def reopen(conversation_id: str, request: Request, sandbox: SandboxDep) -> Record:
    """Reopen as an agent; fires conversation_reopen."""
    conv = _conversation(sandbox, conversation_id)
    agent_id = _agent_id(sandbox, await read_body(request), conv)
    actions.set_status(sandbox, conv, "reopened", actor=("agent", agent_id), from_api=False)
    return actions.public_conversation(sandbox, conv)


@router.post("/freshchat/conversations/{conversation_id}/assign")
async def assign(conversation_id: str, request: Request, sandbox: SandboxDep) -> Record:
    """Assign to an agent and/or group as an agent; fires conversation_assignment."""
    conv = _conversation(sandbox, conversation_id)
    body = await read_body(request)
    fc = sandbox.state.freshchat
    agent_id = body.get("agent_id")
    group_id = body.get("group_id")
    if agent_id is None and group_id is None:
        raise control_error(400, "give agent_id and/or group_id")
    if agent_id and agent_id not in fc.agents:
        raise control_error(404, f"no Freshchat agent {agent_id}")
    if group_id and group_id not in fc.groups:
        raise control_error(404, f"no Freshchat group {group_id}")
    actor_id = _agent_id(sandbox, {}, conv)
    actions.assign(
        sandbox, conv, agent_id=agent_id, group_id=group_id,
        actor=("agent", actor_id), from_api=False,
    )  # fmt: skip
    return actions.public_conversation(sandbox, conv)


def _channel(sandbox: Sandbox, key: str) -> Record:
    """Find a channel by id or by name."""
    channels = sandbox.state.freshchat.channels
    if key in channels:
        return channels[key]
    for channel in channels.values():
        if channel["name"].lower() == key.lower():
            return channel
    raise control_error(404, f"no Freshchat channel {key}")


@router.post("/freshchat/user-message")
async def user_message(request: Request, sandbox: SandboxDep) -> Record:
    """A user writes in Freshchat's own widget: user and conversation are made as needed."""
    body = await read_body(request)
    text = _text(body, "text")
    email = _text(body, "email", required=False)
    conversation_id = _text(body, "conversation_id", required=False)
    fc = sandbox.state.freshchat
    conv: Record | None
    user: Record | None
    if conversation_id is not None:
        conv = _conversation(sandbox, conversation_id)
        channel = fc.channels[conv["channel_id"]]
        user = fc.users[conv["users"][0]["id"]]
    else:
        channel = _channel(sandbox, _text(body, "channel_id") or "")
        user = actions.find_user_by_email(sandbox, email) if email else None
        if user is None:
            name = body.get("name") if isinstance(body.get("name"), str) else None
            user = actions.create_user(
                sandbox, {"email": email, "first_name": name or (email or "Visitor").split("@")[0]}
            )
        mine = [
            c for c in fc.conversations.values()
            if c["channel_id"] == channel["id"] and any(u["id"] == user["id"] for u in c["users"])
        ]  # fmt: skip
        conv = mine[-1] if mine else None
    fields: dict[str, Any] = {
        "parts": [{"text": {"content": text}}],
        "actor_type": "user",
        "actor_id": user["id"],
        "source": "web",
    }
    if conv is None:
        conv = actions.create_conversation(
            sandbox, channel_id=channel["id"], user_ids=[user["id"]], messages=[fields],
            from_api=False,
        )  # fmt: skip
        message = fc.messages[conv["conversation_id"]][-1]
    else:
        message = actions.post_message(sandbox, conv, from_api=False, **fields)
    return {"user": user, "conversation_id": conv["conversation_id"], "message": message}


@router.post("/freshchat/agents", status_code=201)
async def seed_agent(request: Request, sandbox: SandboxDep) -> Record:
    """Add a Freshchat agent: ``{"first_name", "last_name"?, "email"?, "group_ids"?}``."""
    body = await read_body(request)
    group_ids = body.get("group_ids") or []
    if not isinstance(group_ids, list) or any(
        g not in sandbox.state.freshchat.groups for g in group_ids
    ):
        raise control_error(400, "group_ids must list existing Freshchat group ids")
    return records.add_freshchat_agent(
        sandbox.state,
        first_name=_text(body, "first_name") or "",
        last_name=_text(body, "last_name", required=False) or "",
        email=_text(body, "email", required=False),
        group_ids=group_ids,
        is_bot=bool(body.get("is_bot")),
    )


@router.post("/freshchat/groups", status_code=201)
async def seed_group(request: Request, sandbox: SandboxDep) -> Record:
    """Add a Freshchat group: ``{"name", "description"?}``."""
    body = await read_body(request)
    return records.add_freshchat_group(
        sandbox.state, name=_text(body, "name") or "",
        description=_text(body, "description", required=False) or "",
    )  # fmt: skip


@router.post("/freshchat/channels", status_code=201)
async def seed_channel(request: Request, sandbox: SandboxDep) -> Record:
    """Add a Freshchat channel (topic): ``{"name"}``."""
    body = await read_body(request)
    return records.add_freshchat_channel(sandbox.state, name=_text(body, "name") or "")


@router.get("/faults")
async def list_faults(sandbox: SandboxDep) -> list[dict[str, object]]:
    """Return the active faults."""
    return sandbox.faults.active()


@router.post("/faults")
async def set_fault(request: Request, sandbox: SandboxDep) -> dict[str, object]:
    """Inject a fault: ``{"system", "mode", "calls"?, "seconds"?, "retry_after"?}``."""
    body = await read_body(request)
    system, mode = body.get("system"), body.get("mode")
    if system not in SYSTEMS:
        raise control_error(400, f"system must be one of {', '.join(SYSTEMS)}")
    if mode not in MODES:
        raise control_error(400, f"mode must be one of {', '.join(MODES)}")
    calls, seconds = body.get("calls"), body.get("seconds")
    if calls is not None and (not isinstance(calls, int) or isinstance(calls, bool) or calls < 1):
        raise control_error(400, "calls must be a positive integer")
    if seconds is not None and (not isinstance(seconds, int | float) or seconds <= 0):
        raise control_error(400, "seconds must be a positive number")
    retry_after = body.get("retry_after", 1)
    if not isinstance(retry_after, int) or retry_after < 0:
        raise control_error(400, "retry_after must be a non-negative integer")
    fault = sandbox.faults.set(
        str(system), str(mode), calls=calls,
        seconds=None if seconds is None else float(seconds), retry_after=retry_after,
    )  # fmt: skip
    return fault.as_dict()


@router.delete("/faults")
async def clear_faults(request: Request, sandbox: SandboxDep) -> Record:
    """Clear every fault (or only ``?system=…``'s)."""
    sandbox.faults.clear(request.query_params.get("system"))
    return {"ok": True}


@router.post("/ratelimits")
async def set_rate_limit(request: Request, sandbox: SandboxDep) -> Record:
    """Set a system's limit: ``{"system", "limit", "window"?}`` (window in seconds)."""
    body = await read_body(request)
    system, limit, window = body.get("system"), body.get("limit"), body.get("window")
    if system not in SYSTEMS:
        raise control_error(400, f"system must be one of {', '.join(SYSTEMS)}")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise control_error(400, "limit must be a positive integer")
    if window is not None and (not isinstance(window, int | float) or window <= 0):
        raise control_error(400, "window must be a positive number of seconds")
    limiter = sandbox.limiters[str(system)]
    limiter.configure(limit, None if window is None else float(window))
    return {"system": system, "limit": limiter.limit, "window": limiter.window}
