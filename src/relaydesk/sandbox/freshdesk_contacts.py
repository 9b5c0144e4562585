"""Freshdesk API v2 contacts, groups, agents and ticket fields."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response

from relaydesk.sandbox import records
from relaydesk.sandbox.clock import freshdesk_time
from relaydesk.sandbox.context import Sandbox, SandboxDep, read_json_object
from relaydesk.sandbox.freshdesk_checks import (
    Problems,
    check_email,
    check_positive_int,
    check_string,
    check_string_list,
    check_unknown_fields,
    paged_list,
    require_json_content_type,
)
from relaydesk.sandbox.refusals import freshdesk_invalid, freshdesk_not_found
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/api/v2")

CONTACT_IDS = ("email", "mobile", "phone", "twitter_id", "unique_external_id")
CONTACT_FIELDS = {
    "name", *CONTACT_IDS, "address", "company_id", "description", "job_title", "language",
    "time_zone", "other_emails", "tags", "custom_fields", "view_all_tickets",
}  # fmt: skip
SEARCH_TERM = re.compile(r"(\w+):'([^']*)'")


def get_contact(sandbox: Sandbox, contact_id: int) -> Record:
    """Return a contact (soft-deleted ones too) or refuse with an empty 404."""
    contact = sandbox.state.freshdesk.contacts.get(contact_id)
    if contact is None:
        raise freshdesk_not_found()
    return contact


def find_contact_by_email(sandbox: Sandbox, email: str) -> Record | None:
    """Return the contact whose primary or other email is email."""
    wanted = email.lower()
    for contact in sandbox.state.freshdesk.contacts.values():
        emails = [contact.get("email") or "", *contact.get("other_emails", [])]
        if wanted in (e.lower() for e in emails):
            return contact
    return None


def _check_contact(sandbox: Sandbox, body: dict[str, Any], *, existing: Record | None) -> None:
    problems = Problems()
    check_unknown_fields(problems, body, CONTACT_FIELDS)
    if existing is None and body.get("name") is None:
        problems.add("name", "Mandatory attribute missing", "missing_field")
    check_string(problems, body, "name", max_length=255)
    email = check_email(problems, body)
    if existing is None and not any(body.get(f) for f in CONTACT_IDS):
        message = "Please fill at least 1 of email, mobile, phone, twitter_id fields"
        problems.add("email", message, "missing_field")
    for name in ("mobile", "phone", "twitter_id", "unique_external_id", "job_title", "description"):
        check_string(problems, body, name)
    check_string_list(problems, body, "tags")
    check_string_list(problems, body, "other_emails")
    check_positive_int(problems, body, "company_id")
    custom = body.get("custom_fields")
    if custom is not None and not isinstance(custom, dict):
        problems.add("custom_fields", "It should be a/an key/value pair", "datatype_mismatch")
    problems.raise_if_any()
    if email:
        other = find_contact_by_email(sandbox, email)
        if other is not None and other is not existing:
            duplicate = Problems()
            duplicate.add("email", "It should be a unique value", "duplicate_value")
            duplicate.errors[0]["additional_info"] = {"user_id": other["id"]}
            duplicate.raise_if_any(status=409)


@router.post("/contacts", status_code=201)
async def create_contact(request: Request, sandbox: SandboxDep) -> Record:
    """Create a contact (``name`` and one of email/mobile/phone/… required)."""
    require_json_content_type(request)
    body = await read_json_object(request, "freshdesk")
    _check_contact(sandbox, body, existing=None)
    return records.new_freshdesk_contact(sandbox.state, body)


@router.get("/contacts")
async def list_contacts(request: Request, sandbox: SandboxDep) -> Response:
    """List contacts; filters ``email``, ``mobile``, ``phone``, ``company_id``, ``state``."""
    params = request.query_params
    contacts = list(sandbox.state.freshdesk.contacts.values())
    state = params.get("state")
    if state == "deleted":
        contacts = [c for c in contacts if c["deleted"]]
    else:
        contacts = [c for c in contacts if not c["deleted"]]
        if state in ("verified", "unverified"):
            contacts = [c for c in contacts if c["active"] == (state == "verified")]
        elif state == "blocked":
            contacts = []
        elif state is not None:
            problems = Problems()
            problems.add(
                "state",
                "It should be one of these values: 'blocked,deleted,unverified,verified'",
                "invalid_value",
            )
            problems.raise_if_any()
    if "email" in params:
        found = find_contact_by_email(sandbox, params["email"])
        contacts = [c for c in contacts if c is found]
    for name in ("mobile", "phone", "company_id"):
        if name in params:
            contacts = [c for c in contacts if str(c.get(name)) == params[name]]
    return paged_list(request, contacts)


@router.get("/search/contacts")
async def search_contacts(request: Request, sandbox: SandboxDep) -> Record:
    """Search contacts: ``query="email:'jane@example.com'"`` (AND/OR of field:'value')."""
    query = request.query_params.get("query", "")
    if len(query) < 2 or not (query.startswith('"') and query.endswith('"')):
        raise freshdesk_invalid(
            [
                {
                    "field": "query",
                    "message": "Given query is not wrapped in double quotes",
                    "code": "invalid_value",
                }
            ]
        )
    inner = query[1:-1]
    terms = SEARCH_TERM.findall(inner)
    if not terms:
        raise freshdesk_invalid(
            [{"field": "query", "message": "Given query is invalid", "code": "invalid_value"}]
        )
    match_any = " OR " in inner

    def matches(contact: Record) -> bool:
        hits = [str(contact.get(f) or "").lower() == v.lower() for f, v in terms]
        return any(hits) if match_any else all(hits)

    found = [
        c for c in sandbox.state.freshdesk.contacts.values() if not c["deleted"] and matches(c)
    ]
    return {"results": found[:30], "total": len(found)}


@router.get("/contacts/{contact_id}")
async def get_contact_route(contact_id: int, sandbox: SandboxDep) -> Record:
    """Return a contact."""
    return get_contact(sandbox, contact_id)


@router.put("/contacts/{contact_id}")
async def update_contact(contact_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Update a contact (``custom_fields`` merge)."""
    contact = get_contact(sandbox, contact_id)
    require_json_content_type(request)
    body = await read_json_object(request, "freshdesk")
    _check_contact(sandbox, body, existing=contact)
    with sandbox.state.lock:
        custom = body.pop("custom_fields", None)
        contact.update(body)
        if custom:
            contact["custom_fields"] = {**contact["custom_fields"], **custom}
        contact["updated_at"] = freshdesk_time()
    return contact


@router.delete("/contacts/{contact_id}", status_code=204)
async def soft_delete_contact(contact_id: int, sandbox: SandboxDep) -> Response:
    """Soft-delete a contact (it then lists under ``state=deleted``)."""
    contact = get_contact(sandbox, contact_id)
    if contact["deleted"]:
        raise freshdesk_not_found()
    with sandbox.state.lock:
        contact["deleted"] = True
        contact["updated_at"] = freshdesk_time()
    return Response(status_code=204)


@router.delete("/contacts/{contact_id}/hard_delete", status_code=204)
async def hard_delete_contact(contact_id: int, request: Request, sandbox: SandboxDep) -> Response:
    """Erase a contact and its tickets; without ``force=true`` it must be soft-deleted first."""
    contact = get_contact(sandbox, contact_id)
    if not contact["deleted"] and request.query_params.get("force") != "true":
        problems = Problems()
        problems.add(
            "contact_id",
            "The contact should be soft deleted first, or pass force=true",
            "invalid_value",
        )
        problems.raise_if_any()
    fd = sandbox.state.freshdesk
    with sandbox.state.lock:
        fd.contacts.pop(contact_id, None)
        for ticket_id in [t["id"] for t in fd.tickets.values() if t["requester_id"] == contact_id]:
            fd.tickets.pop(ticket_id, None)
            fd.conversations.pop(ticket_id, None)
    return Response(status_code=204)


@router.get("/groups")
async def list_groups(request: Request, sandbox: SandboxDep) -> Response:
    """List groups."""
    return paged_list(request, list(sandbox.state.freshdesk.groups.values()))


@router.get("/groups/{group_id}")
async def get_group(group_id: int, sandbox: SandboxDep) -> Record:
    """Return a group."""
    group = sandbox.state.freshdesk.groups.get(group_id)
    if group is None:
        raise freshdesk_not_found()
    return group


@router.get("/agents")
async def list_agents(request: Request, sandbox: SandboxDep) -> Response:
    """List agents."""
    return paged_list(request, list(sandbox.state.freshdesk.agents.values()))


@router.get("/agents/me")
async def current_agent(sandbox: SandboxDep) -> Record:
    """Return the agent whose key is in use (the first seeded agent)."""
    agent = next(iter(sandbox.state.freshdesk.agents.values()), None)
    if agent is None:
        raise freshdesk_not_found()
    return agent


@router.get("/agents/{agent_id}")
async def get_agent(agent_id: int, sandbox: SandboxDep) -> Record:
    """Return an agent."""
    agent = sandbox.state.freshdesk.agents.get(agent_id)
    if agent is None:
        raise freshdesk_not_found()
    return agent


@router.get("/ticket_fields")
async def ticket_fields(sandbox: SandboxDep) -> list[Record]:
    """Return every ticket field, default and custom (``cf_*``)."""
    return list(sandbox.state.freshdesk.ticket_fields)
