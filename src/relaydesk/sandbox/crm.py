"""Freshworks CRM (``/crm/sales/api/…``): contacts with lookup/search, and sales accounts."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from relaydesk.sandbox import records
from relaydesk.sandbox.clock import freshdesk_time
from relaydesk.sandbox.context import Sandbox, SandboxDep, read_json_object
from relaydesk.sandbox.refusals import crm_error
from relaydesk.sandbox.state import Record

router = APIRouter(prefix="/crm/sales/api")

CONTACT_FIELDS = {
    "first_name", "last_name", "email", "emails", "mobile_number", "work_number", "job_title",
    "address", "city", "state", "zipcode", "country", "owner_id", "lead_source_id",
    "contact_status_id", "lifecycle_stage_id", "tags", "custom_field", "sales_accounts",
    "sales_account_id",
}  # fmt: skip
ACCOUNT_FIELDS = {
    "name",
    "website",
    "phone",
    "owner_id",
    "address",
    "city",
    "country",
    "custom_field",
}
ENTITIES = {"contact": "contacts", "sales_account": "sales_accounts"}
ALL_CONTACTS_VIEW = 1


def _contact(sandbox: Sandbox, contact_id: int) -> Record:
    contact = sandbox.state.crm.contacts.get(contact_id)
    if contact is None:
        raise crm_error(404, "Contact does not exist")
    return contact


def _account(sandbox: Sandbox, account_id: int) -> Record:
    account = sandbox.state.crm.sales_accounts.get(account_id)
    if account is None:
        raise crm_error(404, "Sales account does not exist")
    return account


def _unwrap(body: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
    inner = body.get(key)
    if not isinstance(inner, dict):
        raise crm_error(400, f"Missing '{key}' object in request body")
    unknown = sorted(set(inner) - allowed)
    if unknown:
        raise crm_error(400, f"Unknown attribute(s): {', '.join(unknown)}")
    custom = inner.get("custom_field")
    if custom is not None and not isinstance(custom, dict):
        raise crm_error(400, "custom_field must be an object")
    return inner


def _check_contact_links(sandbox: Sandbox, fields: dict[str, Any]) -> None:
    links = fields.get("sales_accounts")
    if "sales_account_id" in fields and links is None:
        account_id = fields.pop("sales_account_id")
        links = [] if account_id is None else [{"id": account_id, "is_primary": True}]
        fields["sales_accounts"] = links
    fields.pop("sales_account_id", None)
    if links is None:
        return
    if not isinstance(links, list) or len(links) > 10:
        raise crm_error(400, "sales_accounts must be a list of at most 10 accounts")
    for link in links:
        if not isinstance(link, dict) or link.get("id") not in sandbox.state.crm.sales_accounts:
            raise crm_error(400, "Sales account does not exist")
        link.setdefault("is_primary", False)
    if links and sum(1 for link in links if link["is_primary"]) != 1:
        raise crm_error(400, "Exactly one sales account must be primary")
    emails = fields.get("emails")
    if emails is not None and not (
        isinstance(emails, list)
        and all(isinstance(e, dict) and isinstance(e.get("value"), str) for e in emails)
    ):
        raise crm_error(400, "emails must be a list of {value, is_primary}")


def _with_accounts(sandbox: Sandbox, contact: Record, include: str) -> Record:
    body: Record = {"contact": contact}
    if "sales_accounts" in include.split(","):
        body["sales_accounts"] = [
            sandbox.state.crm.sales_accounts[link["id"]]
            for link in contact.get("sales_accounts", [])
            if link["id"] in sandbox.state.crm.sales_accounts
        ]
    return body


def _field_value(record: Record, field: str) -> list[str]:
    if field == "email":
        return [record.get("email") or ""] + [e["value"] for e in record.get("emails", [])]
    if field == "name":
        return [record.get("display_name") or record.get("name") or ""]
    if field.startswith("cf_"):
        return [str(record.get("custom_field", {}).get(field, ""))]
    return [str(record.get(field) or "")]


@router.get("/lookup")
async def lookup(request: Request, sandbox: SandboxDep) -> Record:
    """Exact lookup: ``?q=<value>&f=email|name|cf_…&entities=contact,sales_account``."""
    q, f = request.query_params.get("q"), request.query_params.get("f")
    entities = request.query_params.get("entities", "contact").split(",")
    if not q or not f:
        raise crm_error(400, "Query parameters q and f are required")
    unknown = [e for e in entities if e not in ENTITIES]
    if unknown:
        raise crm_error(400, f"Invalid entities: {', '.join(unknown)}")
    result: Record = {}
    for entity in entities:
        key = ENTITIES[entity]
        pool = sandbox.state.crm.contacts if key == "contacts" else sandbox.state.crm.sales_accounts
        found = [r for r in pool.values() if q.lower() in (v.lower() for v in _field_value(r, f))]
        result[key] = {key: found}
    return result


@router.get("/search")
async def search(request: Request, sandbox: SandboxDep) -> list[Record]:
    """Fuzzy search: ``?q=<text>&include=contact,sales_account`` → ``[{id, type, name, email}]``."""
    q = (request.query_params.get("q") or "").lower()
    include = request.query_params.get("include", "contact,sales_account").split(",")
    if len(q) < 2:
        raise crm_error(400, "Search term must have at least 2 characters")
    hits: list[Record] = []
    if "contact" in include:
        for c in sandbox.state.crm.contacts.values():
            if any(q in v.lower() for v in _field_value(c, "email") + _field_value(c, "name")):
                hits.append(
                    {
                        "id": str(c["id"]),
                        "type": "contact",
                        "name": c["display_name"],
                        "email": c["email"],
                    }
                )
    if "sales_account" in include:
        for a in sandbox.state.crm.sales_accounts.values():
            if q in a["name"].lower():
                hits.append({"id": str(a["id"]), "type": "sales_account", "name": a["name"]})
    return hits


@router.post("/contacts")
async def create_contact(request: Request, sandbox: SandboxDep) -> Record:
    """Create a contact ``{"contact": {...}}`` (email or mobile_number required; no de-dup)."""
    fields = _unwrap(await read_json_object(request, "crm"), "contact", CONTACT_FIELDS)
    if not (fields.get("email") or fields.get("mobile_number") or fields.get("emails")):
        raise crm_error(400, "Please enter email or mobile number")
    _check_contact_links(sandbox, fields)
    return {"contact": records.add_crm_contact(sandbox.state, fields)}


@router.get("/contacts/filters")
async def contact_filters() -> Record:
    """List contact views (a list needs a view id)."""
    return {
        "filters": [
            {
                "id": ALL_CONTACTS_VIEW,
                "name": "All Contacts",
                "model_class_name": "Contact",
                "is_default": True,
            }
        ]
    }


@router.get("/contacts/view/{view_id}")
async def contacts_in_view(view_id: int, request: Request, sandbox: SandboxDep) -> JSONResponse:
    """List the contacts of a view, 25 a page."""
    if view_id != ALL_CONTACTS_VIEW:
        raise crm_error(404, "View does not exist")
    raw = request.query_params.get("page", "1")
    page = int(raw) if raw.isdigit() and int(raw) > 0 else 1
    contacts = list(sandbox.state.crm.contacts.values())
    body = {
        "contacts": contacts[(page - 1) * 25 : page * 25],
        "meta": {"total_pages": max(1, math.ceil(len(contacts) / 25)), "total": len(contacts)},
    }
    return JSONResponse(body)


@router.get("/contacts/{contact_id}")
async def get_contact(contact_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Return ``{"contact": …}`` (``include=sales_accounts`` adds the linked accounts)."""
    return _with_accounts(
        sandbox, _contact(sandbox, contact_id), request.query_params.get("include", "")
    )


@router.put("/contacts/{contact_id}")
async def update_contact(contact_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Update a contact (``custom_field`` merges)."""
    contact = _contact(sandbox, contact_id)
    fields = _unwrap(await read_json_object(request, "crm"), "contact", CONTACT_FIELDS)
    _check_contact_links(sandbox, fields)
    with sandbox.state.lock:
        custom = fields.pop("custom_field", None)
        contact.update(fields)
        if custom:
            contact["custom_field"] = {**contact["custom_field"], **custom}
        records.fill_crm_contact_derived(contact)
        contact["updated_at"] = freshdesk_time()
    return {"contact": contact}


@router.delete("/contacts/{contact_id}")
async def delete_contact(contact_id: int, sandbox: SandboxDep) -> bool:
    """Delete a contact."""
    _contact(sandbox, contact_id)
    with sandbox.state.lock:
        sandbox.state.crm.contacts.pop(contact_id, None)
    return True


@router.delete("/contacts/{contact_id}/forget")
async def forget_contact(contact_id: int, sandbox: SandboxDep) -> Record:
    """Erase a contact and its data (GDPR "forget")."""
    _contact(sandbox, contact_id)
    with sandbox.state.lock:
        sandbox.state.crm.contacts.pop(contact_id, None)
    return {"message": "Contact forgotten"}


@router.post("/sales_accounts")
async def create_sales_account(request: Request, sandbox: SandboxDep) -> Record:
    """Create a sales account ``{"sales_account": {"name", …}}``."""
    fields = _unwrap(await read_json_object(request, "crm"), "sales_account", ACCOUNT_FIELDS)
    if not isinstance(fields.get("name"), str) or not fields["name"].strip():
        raise crm_error(400, "Name can't be blank")
    return {"sales_account": records.add_crm_sales_account(sandbox.state, fields)}


@router.get("/sales_accounts/{account_id}")
async def get_sales_account(account_id: int, sandbox: SandboxDep) -> Record:
    """Return ``{"sales_account": …}``."""
    return {"sales_account": _account(sandbox, account_id)}


@router.put("/sales_accounts/{account_id}")
async def update_sales_account(account_id: int, request: Request, sandbox: SandboxDep) -> Record:
    """Update a sales account."""
    account = _account(sandbox, account_id)
    fields = _unwrap(await read_json_object(request, "crm"), "sales_account", ACCOUNT_FIELDS)
    with sandbox.state.lock:
        custom = fields.pop("custom_field", None)
        account.update(fields)
        if custom:
            account["custom_field"] = {**account["custom_field"], **custom}
        account["updated_at"] = freshdesk_time()
    return {"sales_account": account}


@router.delete("/sales_accounts/{account_id}")
async def delete_sales_account(account_id: int, sandbox: SandboxDep) -> bool:
    """Delete a sales account (contacts keep no link to it)."""
    _account(sandbox, account_id)
    with sandbox.state.lock:
        sandbox.state.crm.sales_accounts.pop(account_id, None)
        for contact in sandbox.state.crm.contacts.values():
            contact["sales_accounts"] = [
                a for a in contact["sales_accounts"] if a["id"] != account_id
            ]
            records.fill_crm_contact_derived(contact)
    return True
