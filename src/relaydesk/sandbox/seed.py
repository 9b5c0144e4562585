"""The demo data a fresh sandbox starts with."""

from __future__ import annotations

from relaydesk.sandbox.records import (
    add_crm_contact,
    add_crm_sales_account,
    add_freshchat_agent,
    add_freshchat_channel,
    add_freshchat_group,
    add_freshdesk_agent,
    add_freshdesk_group,
    add_ticket_field,
    new_freshdesk_contact,
)
from relaydesk.sandbox.state import SandboxState

STATUS_CHOICES = {
    "2": ["Open", "Being Processed"],
    "3": ["Pending", "Awaiting your Reply"],
    "4": ["Resolved", "This ticket has been Resolved"],
    "5": ["Closed", "This ticket has been Closed"],
}
PRIORITY_CHOICES = {"Low": 1, "Medium": 2, "High": 3, "Urgent": 4}
SOURCE_CHOICES = {
    "Email": 1,
    "Portal": 2,
    "Phone": 3,
    "Chat": 7,
    "Feedback Widget": 9,
    "Outbound Email": 10,
}


def seed_all(state: SandboxState) -> None:
    """Seed Freshchat, Freshdesk and CRM demo data."""
    seed_freshchat(state)
    seed_freshdesk(state)
    seed_crm(state)


def seed_freshchat(state: SandboxState) -> None:
    """An "AI agent", two human agents, a "Support" group and the "Support"/"Billing" topics."""
    support = add_freshchat_group(state, name="Support", description="Escalations from the AI")
    billing = add_freshchat_group(state, name="Billing team", description="Invoices and refunds")
    add_freshchat_agent(state, first_name="AI agent", email="ai-agent@example.com", is_bot=True)
    add_freshchat_agent(
        state,
        first_name="Alex",
        last_name="Rivera",
        email="alex@example.com",
        group_ids=[support["id"]],
    )
    add_freshchat_agent(
        state,
        first_name="Sam",
        last_name="Chen",
        email="sam@example.com",
        group_ids=[support["id"], billing["id"]],
    )
    add_freshchat_channel(state, name="Support", welcome="Hi! How can we help?")
    add_freshchat_channel(state, name="Billing", welcome="Questions about your invoice?")


def seed_freshdesk(state: SandboxState) -> None:
    """Groups, agents, ticket fields (with custom ``cf_*`` fields) and one contact."""
    support = add_freshdesk_group(state, name="Support")
    billing = add_freshdesk_group(state, name="Billing")
    add_freshdesk_agent(state, name="Alex Rivera", email="alex@example.com")
    add_freshdesk_agent(state, name="Sam Chen", email="sam@example.com")
    add_ticket_field(
        state,
        name="requester",
        label="Search a requester",
        field_type="default_requester",
        default=True,
    )
    add_ticket_field(
        state,
        name="subject",
        label="Subject",
        field_type="default_subject",
        default=True,
        required_for_agents=True,
    )
    add_ticket_field(
        state,
        name="ticket_type",
        label="Type",
        field_type="default_ticket_type",
        default=True,
        choices=["Question", "Incident", "Problem", "Feature Request", "Refund"],
    )
    add_ticket_field(
        state,
        name="source",
        label="Source",
        field_type="default_source",
        default=True,
        choices=SOURCE_CHOICES,
    )
    add_ticket_field(
        state,
        name="status",
        label="Status",
        field_type="default_status",
        default=True,
        required_for_agents=True,
        choices=STATUS_CHOICES,
    )
    add_ticket_field(
        state,
        name="priority",
        label="Priority",
        field_type="default_priority",
        default=True,
        required_for_agents=True,
        choices=PRIORITY_CHOICES,
    )
    add_ticket_field(
        state,
        name="group",
        label="Group",
        field_type="default_group",
        default=True,
        choices={g["name"]: g["id"] for g in (support, billing)},
    )
    add_ticket_field(
        state,
        name="agent",
        label="Agent",
        field_type="default_agent",
        default=True,
        choices={a["contact"]["name"]: a["id"] for a in state.freshdesk.agents.values()},
    )
    add_ticket_field(
        state,
        name="description",
        label="Description",
        field_type="default_description",
        default=True,
    )
    add_ticket_field(state, name="cf_plan", label="Plan", field_type="custom_text")
    add_ticket_field(state, name="cf_account_id", label="Account ID", field_type="custom_text")
    add_ticket_field(state, name="cf_seats", label="Seats", field_type="custom_number")
    add_ticket_field(
        state,
        name="cf_freshchat_conversation_id",
        label="Freshchat conversation",
        field_type="custom_text",
    )
    add_ticket_field(
        state,
        name="cf_region",
        label="Region",
        field_type="custom_dropdown",
        choices=["EU", "US", "APAC"],
    )
    new_freshdesk_contact(
        state,
        {"name": "Jane Doe", "email": "jane@example.com", "custom_fields": {}},
    )


def seed_crm(state: SandboxState) -> None:
    """One sales account and two contacts, one linked to it."""
    account = add_crm_sales_account(
        state,
        {
            "name": "Acme Inc",
            "website": "https://acme.example.com",
            "custom_field": {"cf_plan": "Enterprise"},
        },
    )
    add_crm_contact(
        state,
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane@example.com",
            "job_title": "Head of Operations",
            "custom_field": {"cf_plan": "Enterprise", "cf_account_id": "ACME-001"},
            "sales_accounts": [{"id": account["id"], "is_primary": True}],
        },
    )
    add_crm_contact(
        state,
        {
            "first_name": "Omar",
            "last_name": "Haddad",
            "email": "omar@example.com",
            "custom_field": {"cf_plan": "Starter"},
        },
    )
