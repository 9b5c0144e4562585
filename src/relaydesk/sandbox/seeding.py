"""Seeding endpoints of the control surface for Freshdesk and the CRM (JSON in, record out).

Freshchat's (agents, groups, channels) live in ``control.py`` with the rest of Freshchat.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from relaydesk.sandbox import freshchat_actions, records
from relaydesk.sandbox.clock import freshdesk_time
from relaydesk.sandbox.context import SandboxDep
from relaydesk.sandbox.control import control_error, read_body
from relaydesk.sandbox.freshdesk import get_ticket
from relaydesk.sandbox.freshdesk_checks import html_to_text
from relaydesk.sandbox.freshdesk_contacts import find_contact_by_email
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/_sandbox")

FIELD_TYPES = (
    "custom_text",
    "custom_paragraph",
    "custom_number",
    "custom_checkbox",
    "custom_dropdown",
)


def _name(body: dict[str, Any], key: str = "name") -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise control_error(400, f"{key} is required and must be a non-empty string")
    return value


@router.post("/freshchat/users", status_code=201)
async def seed_freshchat_user(request: Request, sandbox: SandboxDep) -> Record:
    """Add a Freshchat user: ``{"email"?, "first_name"?, "last_name"?, "reference_id"?}``."""
    body = await read_body(request)
    allowed = {"email", "first_name", "last_name", "phone", "reference_id", "properties"}
    if set(body) - allowed:
        raise control_error(400, f"unknown fields: {', '.join(sorted(set(body) - allowed))}")
    return freshchat_actions.create_user(sandbox, body)


@router.post("/freshdesk/contacts", status_code=201)
async def seed_freshdesk_contact(request: Request, sandbox: SandboxDep) -> Record:
    """Add a Freshdesk contact: ``{"name", "email", "custom_fields"?}``."""
    body = await read_body(request)
    name, email = _name(body), _name(body, "email")
    if find_contact_by_email(sandbox, email) is not None:
        raise control_error(409, f"a Freshdesk contact already has {email}")
    custom = body.get("custom_fields") or {}
    if not isinstance(custom, dict):
        raise control_error(400, "custom_fields must be an object")
    return records.new_freshdesk_contact(
        sandbox.state, {"name": name, "email": email, "custom_fields": custom}
    )


@router.post("/freshdesk/groups", status_code=201)
async def seed_freshdesk_group(request: Request, sandbox: SandboxDep) -> Record:
    """Add a Freshdesk group: ``{"name"}``."""
    return records.add_freshdesk_group(sandbox.state, name=_name(await read_body(request)))


@router.post("/freshdesk/ticket_fields", status_code=201)
async def seed_ticket_field(request: Request, sandbox: SandboxDep) -> Record:
    """Add a custom ticket field: ``{"name": "cf_…", "label", "type", "choices"?}``."""
    body = await read_body(request)
    name = _name(body)
    if not name.startswith("cf_"):
        raise control_error(400, "custom field names start with cf_")
    if any(f["name"] == name for f in sandbox.state.freshdesk.ticket_fields):
        raise control_error(409, f"ticket field {name} exists")
    kind = body.get("type")
    if kind not in FIELD_TYPES:
        raise control_error(400, f"type must be one of {', '.join(FIELD_TYPES)}")
    choices = body.get("choices")
    if kind == "custom_dropdown" and not (isinstance(choices, list) and choices):
        raise control_error(400, "a dropdown needs a non-empty choices list")
    return records.add_ticket_field(
        sandbox.state, name=name, label=str(body.get("label") or name), field_type=str(kind),
        choices=choices if kind == "custom_dropdown" else None,
    )  # fmt: skip


@router.post("/freshdesk/tickets/{ticket_id}/reply", status_code=201)
async def freshdesk_agent_reply(ticket_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """An agent answers a ticket in Freshdesk: ``{"body", "private"?}`` (a note if private)."""
    body = await read_body(request)
    text = _name(body, "body")
    fd = sandbox.state.freshdesk
    if ticket_id not in fd.tickets:
        raise control_error(404, f"no Freshdesk ticket {ticket_id}")
    ticket = get_ticket(sandbox, ticket_id)
    private = bool(body.get("private"))
    entry: Record = {
        "id": sandbox.state.next_freshdesk_id() + 49000000000,
        "ticket_id": ticket_id,
        "body": text,
        "body_text": html_to_text(text),
        "incoming": False,
        "private": private,
        "user_id": next(iter(fd.agents), None),
        "source": 2 if private else 0,
        "category": 2 if private else 3,
        "attachments": [],
        "created_at": freshdesk_time(),
        "updated_at": freshdesk_time(),
    }
    with sandbox.state.lock:
        fd.conversations.setdefault(ticket_id, []).append(entry)
        ticket["updated_at"] = entry["created_at"]
    return entry


@router.post("/crm/sales_accounts", status_code=201)
async def seed_sales_account(request: Request, sandbox: SandboxDep) -> Record:
    """Add a CRM sales account: ``{"name", "website"?, "custom_field"?}``."""
    body = await read_body(request)
    fields = {
        "name": _name(body),
        "website": body.get("website"),
        "custom_field": body.get("custom_field") or {},
    }
    return records.add_crm_sales_account(sandbox.state, fields)


@router.post("/crm/contacts", status_code=201)
async def seed_crm_contact(request: Request, sandbox: SandboxDep) -> Record:
    """Add a CRM contact: ``{"email", "first_name"?, "last_name"?, "custom_field"?, "sales_account_id"?}``."""
    body = await read_body(request)
    email = _name(body, "email")
    account_id = body.get("sales_account_id")
    if account_id is not None and account_id not in sandbox.state.crm.sales_accounts:
        raise control_error(404, f"no CRM sales account {account_id}")
    custom = body.get("custom_field") or {}
    if not isinstance(custom, dict):
        raise control_error(400, "custom_field must be an object")
    fields: dict[str, Any] = {
        "email": email,
        "first_name": body.get("first_name"),
        "last_name": body.get("last_name"),
        "custom_field": custom,
        "sales_accounts": [] if account_id is None else [{"id": account_id, "is_primary": True}],
    }
    return records.add_crm_contact(sandbox.state, fields)
