"""The agent's inbox page at ``/_sandbox/``: server-rendered, plain forms that POST and redirect.

Replying, resolving, reopening and assigning here go through the same actions as the JSON
control surface, so each fires the webhook Freshchat would fire.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from relaydesk.sandbox import freshchat_actions as actions
from relaydesk.sandbox.context import Sandbox, SandboxDep
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/_sandbox")
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def _part_text(part: Record) -> str:
    if "text" in part:
        return str(part["text"].get("content", ""))
    kind = next(iter(part), "part")
    inner = part.get(kind) or {}
    return f"[{kind}] {inner.get('url') or inner.get('label') or ''}".strip()


def _names(sandbox: Sandbox) -> dict[str, str]:
    fc = sandbox.state.freshchat
    names = {a["id"]: f"{a['first_name']} {a['last_name']}".strip() for a in fc.agents.values()}
    for user in fc.users.values():
        full = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
        names[user["id"]] = full or user.get("email") or "Visitor"
    names.update({g["id"]: g["name"] for g in fc.groups.values()})
    names.update({c["id"]: c["name"] for c in fc.channels.values()})
    return names


def _view(sandbox: Sandbox, selected_id: str | None) -> dict[str, Any]:
    with sandbox.state.lock:
        snapshot = sandbox.state.snapshot()
    names = _names(sandbox)
    conversations = sorted(
        snapshot["freshchat"]["conversations"], key=lambda c: c["updated_time"], reverse=True
    )
    for conv in conversations:
        for message in conv["messages"]:
            message["text"] = "\n".join(_part_text(p) for p in message["message_parts"])
            message["author"] = names.get(message["actor_id"], message["actor_type"])
    selected = next((c for c in conversations if c["conversation_id"] == selected_id), None)
    if selected is None and conversations:
        selected = conversations[0]
    if selected is not None:
        selected["default_agent_id"] = _acting_agent(sandbox, {}, selected)
    contacts = {c["id"]: c for c in snapshot["freshdesk"]["contacts"]}
    groups = {g["id"]: g["name"] for g in snapshot["freshdesk"]["groups"]}
    return {
        "conversations": conversations,
        "selected": selected,
        "names": names,
        "agents": snapshot["freshchat"]["agents"],
        "groups": snapshot["freshchat"]["groups"],
        "channels": snapshot["freshchat"]["channels"],
        "tickets": sorted(snapshot["freshdesk"]["tickets"], key=lambda t: t["id"], reverse=True),
        "fd_contacts": contacts,
        "fd_groups": groups,
        "webhook": snapshot["webhook"],
        "statuses": {2: "Open", 3: "Pending", 4: "Resolved", 5: "Closed"},
        "priorities": {1: "Low", 2: "Medium", 3: "High", 4: "Urgent"},
    }


@router.get("/", response_class=HTMLResponse)
async def inbox(request: Request, sandbox: SandboxDep) -> HTMLResponse:
    """Show the Freshchat inbox and the Freshdesk ticket list."""
    view = _view(sandbox, request.query_params.get("conversation"))
    return HTMLResponse(templates.get_template("inbox.html").render(**view))


def _back(conversation_id: str | None = None) -> RedirectResponse:
    target = "/_sandbox/" + (f"?conversation={conversation_id}" if conversation_id else "")
    return RedirectResponse(target, status_code=303)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _acting_agent(sandbox: Sandbox, form: dict[str, str], conv: Record) -> str | None:
    agents = sandbox.state.freshchat.agents
    chosen = form.get("agent_id")
    if chosen in agents:
        return chosen
    assigned = conv.get("assigned_agent_id")
    if assigned in agents and not agents[assigned].get("is_bot"):
        return str(assigned)
    return next((a["id"] for a in agents.values() if not a.get("is_bot")), None)


@router.post("/ui/conversations/{conversation_id}/{action}")
async def conversation_action(
    conversation_id: str, action: str, request: Request, sandbox: SandboxDep
) -> Response:
    """Handle the inbox's reply / resolve / reopen / assign forms."""
    conv = sandbox.state.freshchat.conversations.get(conversation_id)
    if conv is None:
        return HTMLResponse("No such conversation", status_code=404)
    form = await _form(request)
    agent_id = _acting_agent(sandbox, form, conv)
    if agent_id is None:
        return HTMLResponse("No human agent to act as", status_code=400)
    actor = ("agent", agent_id)
    if action == "reply":
        text = form.get("text", "").strip()
        if not text:
            return _back(conversation_id)
        actions.post_message(
            sandbox, conv, from_api=False, parts=[{"text": {"content": text}}],
            actor_type="agent", actor_id=agent_id,
            message_type="private" if form.get("private") else "normal", source="web",
        )  # fmt: skip
    elif action in ("resolve", "reopen"):
        status = "resolved" if action == "resolve" else "reopened"
        actions.set_status(sandbox, conv, status, actor=actor, from_api=False)
    elif action == "assign":
        fc = sandbox.state.freshchat
        to_agent = form.get("assign_agent_id")
        to_group = form.get("assign_group_id")
        actions.assign(
            sandbox, conv,
            agent_id=to_agent if to_agent in fc.agents or to_agent == "" else None,
            group_id=to_group if to_group in fc.groups or to_group == "" else None,
            actor=actor, from_api=False,
        )  # fmt: skip
    else:
        return HTMLResponse("Unknown action", status_code=404)
    return _back(conversation_id)
