"""Builders for records shaped like the remote APIs' objects (used by seeding and the routers)."""

from __future__ import annotations

from typing import Any

from relaydesk.sandbox.clock import freshchat_time, freshdesk_time
from relaydesk.sandbox.state import Record, SandboxState, new_uuid


def add_freshchat_agent(
    state: SandboxState,
    *,
    first_name: str,
    last_name: str = "",
    email: str | None = None,
    group_ids: list[str] | None = None,
    is_bot: bool = False,
) -> Record:
    """Add a Freshchat agent and return it."""
    agent_id = new_uuid()
    agent: Record = {
        "id": agent_id,
        "email": email or f"{first_name.lower().replace(' ', '.')}@example.com",
        "first_name": first_name,
        "last_name": last_name,
        "avatar": {"url": ""},
        "groups": list(group_ids or []),
        "locale": "en",
        "role_id": new_uuid(),
        "role_name": "AGENT",
        "is_deleted": False,
        "is_deactivated": False,
        "agent_status": {"name": "Available"},
        "availability_status": "AVAILABLE",
        "login_status": True,
        "routing_type": "INTELLIASSIGN",
        "agent_capacity": 10,
        "freshchat_access": True,
        "round_robin_access": False,
        "social_profiles": [],
        "is_bot": is_bot,
        "created_time": freshchat_time(),
    }
    with state.lock:
        state.freshchat.agents[agent_id] = agent
        for group_id in agent["groups"]:
            group = state.freshchat.groups.get(group_id)
            if group is not None and agent_id not in group["agents"]:
                group["agents"].append(agent_id)
    return agent


def add_freshchat_group(state: SandboxState, *, name: str, description: str = "") -> Record:
    """Add a Freshchat agent group and return it."""
    group: Record = {
        "id": new_uuid(),
        "name": name,
        "description": description,
        "routing_type": "INTELLIASSIGN",
        "routing_logic": "ROUND_ROBIN",
        "chat_group_id": None,
        "agents": [],
    }
    with state.lock:
        state.freshchat.groups[group["id"]] = group
    return group


def add_freshchat_channel(state: SandboxState, *, name: str, welcome: str = "") -> Record:
    """Add a Freshchat channel (a "topic") and return it."""
    channel: Record = {
        "id": new_uuid(),
        "name": name,
        "icon": {"url": ""},
        "tags": [],
        "public": True,
        "enabled": True,
        "source": "FRESHCHAT",
        "locale": "",
        "updated_time": freshchat_time(),
        "welcome_message": {
            "message_parts": [{"text": {"content": welcome or f"Welcome to {name}!"}}],
            "message_type": "normal",
        },
    }
    with state.lock:
        state.freshchat.channels[channel["id"]] = channel
    return channel


def add_freshdesk_group(state: SandboxState, *, name: str, description: str = "") -> Record:
    """Add a Freshdesk group and return it."""
    stamp = freshdesk_time()
    group: Record = {
        "id": state.next_freshdesk_id() + 43000000000,
        "name": name,
        "description": description,
        "escalate_to": None,
        "unassigned_for": None,
        "business_hours_id": None,
        "group_type": "support_agent_group",
        "auto_ticket_assign": False,
        "agent_ids": [],
        "created_at": stamp,
        "updated_at": stamp,
    }
    with state.lock:
        state.freshdesk.groups[group["id"]] = group
    return group


def add_freshdesk_agent(state: SandboxState, *, name: str, email: str) -> Record:
    """Add a Freshdesk agent (used as responder and as note author) and return it."""
    stamp = freshdesk_time()
    agent: Record = {
        "id": state.next_freshdesk_id() + 44000000000,
        "available": True,
        "occasional": False,
        "signature": None,
        "ticket_scope": 1,
        "type": "support_agent",
        "created_at": stamp,
        "updated_at": stamp,
        "contact": {"name": name, "email": email, "active": True, "language": "en"},
    }
    with state.lock:
        state.freshdesk.agents[agent["id"]] = agent
    return agent


def new_freshdesk_contact(state: SandboxState, fields: dict[str, Any]) -> Record:
    """Build and store a Freshdesk contact from already-validated fields."""
    stamp = freshdesk_time()
    contact: Record = {
        "id": state.next_freshdesk_id() + 47000000000,
        "active": False,
        "address": None,
        "company_id": None,
        "description": None,
        "email": None,
        "job_title": None,
        "language": "en",
        "mobile": None,
        "name": "",
        "phone": None,
        "time_zone": "Eastern Time (US & Canada)",
        "twitter_id": None,
        "unique_external_id": None,
        "other_emails": [],
        "tags": [],
        "custom_fields": {},
        "deleted": False,
        "created_at": stamp,
        "updated_at": stamp,
    }
    contact.update(fields)
    with state.lock:
        state.freshdesk.contacts[contact["id"]] = contact
    return contact


def add_ticket_field(
    state: SandboxState,
    *,
    name: str,
    label: str,
    field_type: str,
    choices: Any = None,
    default: bool = False,
    required_for_agents: bool = False,
) -> Record:
    """Add a Freshdesk ticket field (``name`` starts with ``cf_`` for custom ones)."""
    stamp = freshdesk_time()
    ticket_field: Record = {
        "id": state.next_freshdesk_id() + 48000000000,
        "name": name,
        "label": label,
        "description": label,
        "position": len(state.freshdesk.ticket_fields) + 1,
        "required_for_closure": False,
        "required_for_agents": required_for_agents,
        "type": field_type,
        "default": default,
        "customers_can_edit": not default,
        "label_for_customers": label,
        "required_for_customers": False,
        "displayed_to_customers": True,
        "created_at": stamp,
        "updated_at": stamp,
    }
    if choices is not None:
        ticket_field["choices"] = choices
    with state.lock:
        state.freshdesk.ticket_fields.append(ticket_field)
    return ticket_field


def add_crm_sales_account(state: SandboxState, fields: dict[str, Any]) -> Record:
    """Build and store a CRM sales account (company)."""
    stamp = freshdesk_time()
    account: Record = {
        "id": state.next_crm_id(),
        "name": "",
        "website": None,
        "phone": None,
        "owner_id": None,
        "address": None,
        "city": None,
        "country": None,
        "custom_field": {},
        "created_at": stamp,
        "updated_at": stamp,
    }
    account.update(fields)
    with state.lock:
        state.crm.sales_accounts[account["id"]] = account
    return account


def add_crm_contact(state: SandboxState, fields: dict[str, Any]) -> Record:
    """Build and store a CRM contact; ``emails`` and ``display_name`` are filled in."""
    stamp = freshdesk_time()
    contact: Record = {
        "id": state.next_crm_id(),
        "first_name": None,
        "last_name": None,
        "display_name": "",
        "email": None,
        "emails": [],
        "mobile_number": None,
        "work_number": None,
        "job_title": None,
        "city": None,
        "country": None,
        "owner_id": None,
        "tags": [],
        "custom_field": {},
        "sales_accounts": [],
        "created_at": stamp,
        "updated_at": stamp,
    }
    contact.update(fields)
    fill_crm_contact_derived(contact)
    with state.lock:
        state.crm.contacts[contact["id"]] = contact
    return contact


def fill_crm_contact_derived(contact: Record) -> None:
    """Keep ``display_name``, ``emails`` and ``sales_account_id`` consistent with the rest."""
    names = [contact.get("first_name") or "", contact.get("last_name") or ""]
    contact["display_name"] = " ".join(n for n in names if n) or (contact.get("email") or "")
    email = contact.get("email")
    emails = [e for e in contact.get("emails") or [] if isinstance(e, dict)]
    if email and not any(e.get("value") == email for e in emails):
        emails.insert(0, {"id": None, "value": email, "is_primary": True, "label": None})
    for position, item in enumerate(emails):
        item.setdefault("id", None)
        item.setdefault("label", None)
        item["is_primary"] = position == 0
    contact["emails"] = emails
    if not email and emails:
        contact["email"] = emails[0]["value"]
    primary = [a for a in contact.get("sales_accounts") or [] if a.get("is_primary")]
    contact["sales_account_id"] = primary[0]["id"] if primary else None
