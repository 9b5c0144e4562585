"""Freshdesk API v2 tickets (``/api/v2/tickets…``): create, get, list, update, notes, replies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from relaydesk.sandbox import records
from relaydesk.sandbox.clock import freshdesk_time
from relaydesk.sandbox.context import Sandbox, SandboxDep, read_json_object
from relaydesk.sandbox.freshdesk_checks import (
    Problems,
    check_choice,
    check_custom_fields,
    check_email,
    check_positive_int,
    check_string,
    check_string_list,
    check_unknown_fields,
    html_to_text,
    paged_list,
    require_json_content_type,
)
from relaydesk.sandbox.refusals import freshdesk_field_error, freshdesk_invalid, freshdesk_not_found
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/api/v2")

STATUSES = [2, 3, 4, 5]
PRIORITIES = [1, 2, 3, 4]
SOURCES = [1, 2, 3, 5, 6, 7, 9, 10]
REQUESTER_FIELDS = (
    "requester_id",
    "email",
    "phone",
    "twitter_id",
    "facebook_id",
    "unique_external_id",
)
TICKET_FIELDS = {
    "name", *REQUESTER_FIELDS, "subject", "type", "status", "priority", "description",
    "responder_id", "cc_emails", "custom_fields", "due_by", "email_config_id", "fr_due_by",
    "group_id", "parent_id", "product_id", "source", "tags", "company_id",
}  # fmt: skip
NOTE_FIELDS = {"body", "private", "incoming", "notify_emails", "user_id"}
REPLY_FIELDS = {"body", "from_email", "user_id", "cc_emails", "bcc_emails"}


def get_ticket(sandbox: Sandbox, ticket_id: int) -> Record:
    """Return a ticket or refuse with Freshdesk's empty 404."""
    ticket = sandbox.state.freshdesk.tickets.get(ticket_id)
    if ticket is None:
        raise freshdesk_not_found()
    return ticket


def _check_ticket(sandbox: Sandbox, body: dict[str, Any], *, creating: bool) -> Problems:
    """Validate a ticket body; return the problems (not yet raised)."""
    fd = sandbox.state.freshdesk
    problems = Problems()
    check_unknown_fields(problems, body, TICKET_FIELDS)
    if creating and not any(body.get(f) not in (None, "") for f in REQUESTER_FIELDS):
        listed = "requester_id, phone, email, twitter_id, facebook_id"
        problems.add("requester_id", f"Please fill at least 1 of {listed} fields", "missing_field")
    if (
        creating
        and body.get("phone")
        and not (body.get("email") or body.get("requester_id"))
        and not body.get("name")
    ):
        problems.add("name", "Mandatory attribute missing", "missing_field")
    check_string(problems, body, "subject", required=creating, max_length=255)
    check_string(problems, body, "description", required=creating)
    check_string(problems, body, "name", max_length=255)
    check_email(problems, body)
    check_choice(problems, body, "status", STATUSES)
    check_choice(problems, body, "priority", PRIORITIES)
    check_choice(problems, body, "source", SOURCES)
    tags = check_string_list(problems, body, "tags")
    if tags and any(len(tag) > 32 for tag in tags):  # Freshdesk's own API tests word it so
        problems.add(
            "tags",
            "It should only contain elements that have maximum of 32 characters",
            "invalid_value",
        )
    check_string_list(problems, body, "cc_emails")
    requester_id = check_positive_int(problems, body, "requester_id")
    if requester_id is not None and requester_id not in fd.contacts:
        problems.add(
            "requester_id", "There is no contact matching the given requester_id", "invalid_value"
        )
    group_id = check_positive_int(problems, body, "group_id")
    if group_id is not None and group_id not in fd.groups:
        problems.add("group_id", "There is no group matching the given group_id", "invalid_value")
    responder_id = check_positive_int(problems, body, "responder_id")
    if responder_id is not None and responder_id not in fd.agents:
        problems.add(
            "responder_id", "There is no agent matching the given responder_id", "invalid_value"
        )
    ticket_type = body.get("type")
    types: list[str] = next(
        (f.get("choices", []) for f in fd.ticket_fields if f["name"] == "ticket_type"), []
    )
    if ticket_type is not None and ticket_type not in types:
        problems.add(
            "type", f"It should be one of these values: '{','.join(types)}'", "invalid_value"
        )
    check_custom_fields(problems, sandbox.state, body.get("custom_fields"))
    return problems


def _requester(sandbox: Sandbox, body: dict[str, Any]) -> int:
    """Find or create the requester contact of a new ticket."""
    if body.get("requester_id"):
        return int(body["requester_id"])
    fd = sandbox.state.freshdesk
    for key in ("email", "phone", "twitter_id", "facebook_id", "unique_external_id"):
        value = body.get(key)
        if not value:
            continue
        for contact in fd.contacts.values():
            if key == "email" and (contact.get("email") or "").lower() == str(value).lower():
                return int(contact["id"])
            if key != "email" and contact.get(key) == value:
                return int(contact["id"])
        name = body.get("name") or (str(value).split("@")[0] if key == "email" else str(value))
        return int(records.new_freshdesk_contact(sandbox.state, {"name": name, key: value})["id"])
    raise AssertionError("validated ticket has no requester")


def _all_custom_fields(sandbox: Sandbox) -> dict[str, Any]:
    return {f["name"]: None for f in sandbox.state.freshdesk.ticket_fields if not f["default"]}


def _listed(ticket: Record) -> Record:
    """A ticket as list endpoints show it (no description)."""
    return {k: v for k, v in ticket.items() if k not in ("description", "description_text")}


@router.post("/tickets", status_code=201)
async def create_ticket(request: Request, sandbox: SandboxDep) -> Response:
    """Create a ticket (requester by email/phone/id; HTML description; custom fields)."""
    require_json_content_type(request)
    body = await read_json_object(request, "freshdesk")
    _check_ticket(sandbox, body, creating=True).raise_if_any()
    stamp = freshdesk_time()
    ticket_id = sandbox.state.next_ticket_id()
    ticket: Record = {
        "cc_emails": body.get("cc_emails", []),
        "fwd_emails": [],
        "reply_cc_emails": body.get("cc_emails", []),
        "ticket_cc_emails": body.get("cc_emails", []),
        "fr_escalated": False,
        "spam": False,
        "email_config_id": body.get("email_config_id"),
        "group_id": body.get("group_id"),
        "priority": body.get("priority", 1),
        "requester_id": _requester(sandbox, body),
        "responder_id": body.get("responder_id"),
        "source": body.get("source", 2),
        "company_id": body.get("company_id"),
        "status": body.get("status", 2),
        "subject": body["subject"],
        "support_email": None,
        "to_emails": None,
        "product_id": body.get("product_id"),
        "id": ticket_id,
        "type": body.get("type"),
        "due_by": body.get("due_by", stamp),
        "fr_due_by": body.get("fr_due_by", stamp),
        "is_escalated": False,
        "description": body["description"],
        "description_text": html_to_text(body["description"]),
        "custom_fields": {**_all_custom_fields(sandbox), **(body.get("custom_fields") or {})},
        "created_at": stamp,
        "updated_at": stamp,
        "tags": body.get("tags", []),
        "attachments": [],
    }
    with sandbox.state.lock:
        sandbox.state.freshdesk.tickets[ticket_id] = ticket
        sandbox.state.freshdesk.conversations[ticket_id] = []
    location = str(request.url_for("get_ticket", ticket_id=ticket_id))
    return JSONResponse(ticket, status_code=201, headers={"Location": location})


@router.get("/tickets")
async def list_tickets(request: Request, sandbox: SandboxDep) -> Response:
    """List tickets, newest first; filters ``email``, ``requester_id``, ``updated_since``."""
    tickets = sorted(sandbox.state.freshdesk.tickets.values(), key=lambda t: t["id"], reverse=True)
    params = request.query_params
    if "email" in params:
        ids = {
            c["id"] for c in sandbox.state.freshdesk.contacts.values()
            if (c.get("email") or "").lower() == params["email"].lower()
        }  # fmt: skip
        if not ids:  # as Freshdesk answers (its API tests and client code show it)
            raise freshdesk_invalid(
                [
                    freshdesk_field_error(
                        "email", "There is no contact matching the given email", "invalid_value"
                    )
                ]
            )
        tickets = [t for t in tickets if t["requester_id"] in ids]
    if "requester_id" in params:
        tickets = [t for t in tickets if str(t["requester_id"]) == params["requester_id"]]
    if "updated_since" in params:
        tickets = [t for t in tickets if t["updated_at"] >= params["updated_since"]]
    return paged_list(request, [_listed(t) for t in tickets])


@router.get("/tickets/{ticket_id}", name="get_ticket")
async def get_ticket_route(ticket_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Return a ticket; ``include=conversations`` adds the oldest 10, ``requester`` the contact."""
    ticket = dict(get_ticket(sandbox, ticket_id))
    include = set(request.query_params.get("include", "").split(","))
    if "conversations" in include:
        ticket["conversations"] = sandbox.state.freshdesk.conversations.get(ticket_id, [])[:10]
    if "requester" in include:
        contact = sandbox.state.freshdesk.contacts.get(ticket["requester_id"], {})
        ticket["requester"] = {
            k: contact.get(k) for k in ("id", "name", "email", "mobile", "phone")
        }
    return ticket


@router.put("/tickets/{ticket_id}")
async def update_ticket(ticket_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Update status, priority, group, agent, tags, custom fields…"""
    ticket = get_ticket(sandbox, ticket_id)
    require_json_content_type(request)
    body = await read_json_object(request, "freshdesk")
    _check_ticket(sandbox, body, creating=False).raise_if_any()
    with sandbox.state.lock:
        custom = body.pop("custom_fields", None)
        ticket.update({k: v for k, v in body.items() if k in ticket})
        if custom:
            ticket["custom_fields"] = {**ticket["custom_fields"], **custom}
        if "description" in body:
            ticket["description_text"] = html_to_text(body["description"])
        ticket["updated_at"] = freshdesk_time()
    return ticket


@router.get("/tickets/{ticket_id}/conversations")
async def ticket_conversations(ticket_id: int, request: Request, sandbox: SandboxDep) -> Response:
    """List a ticket's notes and replies, oldest first."""
    get_ticket(sandbox, ticket_id)
    return paged_list(request, list(sandbox.state.freshdesk.conversations.get(ticket_id, [])))


def _add_conversation(sandbox: Sandbox, ticket: Record, entry: Record) -> Record:
    stamp = freshdesk_time()
    entry.update(
        {
            "id": sandbox.state.next_freshdesk_id() + 49000000000,
            "ticket_id": ticket["id"],
            "attachments": [],
            "created_at": stamp,
            "updated_at": stamp,
        }
    )
    with sandbox.state.lock:
        sandbox.state.freshdesk.conversations.setdefault(ticket["id"], []).append(entry)
        ticket["updated_at"] = stamp
    return entry


def _default_user_id(sandbox: Sandbox) -> int | None:
    return next(iter(sandbox.state.freshdesk.agents), None)


@router.post("/tickets/{ticket_id}/notes", status_code=201)
async def add_note(ticket_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Add a note (private unless ``"private": false``)."""
    ticket = get_ticket(sandbox, ticket_id)
    require_json_content_type(request)
    body = await read_json_object(request, "freshdesk")
    problems = Problems()
    check_unknown_fields(problems, body, NOTE_FIELDS)
    if body.get("body") is None:
        problems.add("body", "Mandatory attribute missing", "missing_field")
    text = check_string(problems, body, "body")
    for flag in ("private", "incoming"):
        if flag in body and not isinstance(body[flag], bool):
            problems.add(
                flag,
                f"Value set is of type {type(body[flag]).__name__.title()}.It should be a/an Boolean",
                "datatype_mismatch",
            )
    check_string_list(problems, body, "notify_emails")
    problems.raise_if_any()
    assert text is not None
    entry: Record = {
        "body": text,
        "body_text": html_to_text(text),
        "incoming": body.get("incoming", False),
        "private": body.get("private", True),
        "user_id": body.get("user_id") or _default_user_id(sandbox),
        "support_email": None,
        "source": 2,
        "category": 2,
        "to_emails": body.get("notify_emails", []),
        "notified_to": body.get("notify_emails", []),
        "from_email": None,
        "cc_emails": [],
        "bcc_emails": [],
    }
    return _add_conversation(sandbox, ticket, entry)


@router.post("/tickets/{ticket_id}/reply", status_code=201)
async def add_reply(ticket_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Reply to the requester (public)."""
    ticket = get_ticket(sandbox, ticket_id)
    require_json_content_type(request)
    body = await read_json_object(request, "freshdesk")
    problems = Problems()
    check_unknown_fields(problems, body, REPLY_FIELDS)
    if body.get("body") is None:
        problems.add("body", "Mandatory attribute missing", "missing_field")
    text = check_string(problems, body, "body")
    check_email(problems, body, "from_email")
    check_string_list(problems, body, "cc_emails")
    check_string_list(problems, body, "bcc_emails")
    problems.raise_if_any()
    assert text is not None
    requester = sandbox.state.freshdesk.contacts.get(ticket["requester_id"], {})
    entry: Record = {
        "body": text,
        "body_text": html_to_text(text),
        "incoming": False,
        "private": False,
        "user_id": body.get("user_id") or _default_user_id(sandbox),
        "support_email": None,
        "source": 0,
        "category": 3,
        "from_email": body.get("from_email") or "support@sandbox.freshdesk.com",
        "to_emails": [requester.get("email")] if requester.get("email") else [],
        "cc_emails": body.get("cc_emails", []),
        "bcc_emails": body.get("bcc_emails", []),
    }
    return _add_conversation(sandbox, ticket, entry)
