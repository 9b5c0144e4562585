"""Ticket field definitions shaped like Freshdesk's ``GET /api/v2/ticket_fields``."""

from __future__ import annotations

from typing import Any

from relaydesk.connectors.freshdesk.schemas import Group, TicketField


def _f(i: int, name: str, kind: str, *, default: bool = False, choices: Any = None) -> TicketField:
    return TicketField(id=i, name=name, label=name, type=kind, default=default, choices=choices)


FIELDS = [
    _f(1, "subject", "default_subject", default=True),
    _f(2, "ticket_type", "default_ticket_type", default=True, choices=["Question", "Incident"]),
    _f(3, "source", "default_source", default=True, choices={"Email": 1, "Portal": 2, "Chat": 7}),
    _f(
        4,
        "status",
        "default_status",
        default=True,
        choices={"2": ["Open", "Being Processed"], "3": ["Pending", "x"]},
    ),
    _f(
        5,
        "priority",
        "default_priority",
        default=True,
        choices={"Low": 1, "Medium": 2, "High": 3, "Urgent": 4},
    ),
    _f(6, "cf_plan", "custom_text"),
    _f(7, "cf_seats", "custom_number"),
    _f(8, "cf_region", "custom_dropdown", choices=["EU", "US", "APAC"]),
    _f(9, "cf_vip", "custom_checkbox"),
    _f(10, "cf_since", "custom_date"),
    _f(11, "cf_score", "custom_decimal"),
]
GROUPS = [Group(id=101, name="Support"), Group(id=102, name="Billing")]
