"""How tickets are made: group, priority, status, source, tags and the field mapping.

The configuration is kept in the ``options`` of the ``freshdesk`` connection row (next to
the encrypted key) and validated against lists fetched from Freshdesk itself: a group that
does not exist, a priority/status/source that is not one of the account's choices, or a bad
mapping is refused with one message per problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from relaydesk.connectors.freshdesk.mapping import FieldMap, validate_mapping
from relaydesk.connectors.freshdesk.schemas import Group, TicketField

log = logging.getLogger(__name__)

# Freshdesk's standard values, used when the account's ticket fields carry no choices.
PRIORITIES = {"Low": 1, "Medium": 2, "High": 3, "Urgent": 4}
STATUSES = {"Open": 2, "Pending": 3, "Resolved": 4, "Closed": 5}
SOURCES = {
    "Email": 1,
    "Portal": 2,
    "Phone": 3,
    "Chat": 7,
    "Feedback Widget": 9,
    "Outbound Email": 10,
}
TAG_MAX = 32  # Freshdesk refuses a ticket with a longer tag (400 on "tags")


class FreshdeskConfig(BaseModel):
    """The ticket settings of the Freshdesk connection."""

    model_config = ConfigDict(extra="forbid")

    group_id: int | None = None
    priority: int = 1
    status: int = 2
    source: int = 7
    tags: list[str] = Field(default_factory=lambda: ["relaydesk"])
    field_mapping: list[FieldMap] = Field(default_factory=list)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        cleaned = []
        for tag in tags:
            tag = tag.strip()
            if not tag or len(tag) > TAG_MAX or "," in tag:
                raise ValueError(f"bad tag {tag!r}: 1-{TAG_MAX} characters, no commas")
            if tag not in cleaned:
                cleaned.append(tag)
        return cleaned

    @classmethod
    def from_options(cls, options: dict[str, Any] | None) -> FreshdeskConfig:
        """Return the configuration stored in a connection's options (defaults if none)."""
        stored = dict((options or {}).get("tickets") or {})
        tags = stored.get("tags")
        if isinstance(tags, list):
            # stored before the 32-character limit was enforced: Freshdesk would refuse it
            kept = [t for t in tags if not (isinstance(t, str) and len(t.strip()) > TAG_MAX)]
            if len(kept) != len(tags):
                log.warning("stored freshdesk tags over %d characters left out", TAG_MAX)
            stored["tags"] = kept
        return cls.model_validate(stored)

    def to_options(self) -> dict[str, Any]:
        """Return the options fragment that stores this configuration."""
        return {"tickets": self.model_dump(mode="json")}


def _allowed(fields: dict[str, TicketField], name: str, fallback: dict[str, int]) -> dict[int, str]:
    tf = fields.get(name)
    raw = tf.choices if tf else None
    allowed: dict[int, str] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, int) and not isinstance(value, bool):
                allowed[value] = str(key)  # label → value (priority, source)
            elif str(key).isdigit():
                label = value[0] if isinstance(value, list) and value else str(value)
                allowed[int(key)] = str(label)  # value → labels (status)
    return allowed or {v: k for k, v in fallback.items()}


def choice_lists(fields: Iterable[TicketField]) -> dict[str, dict[int, str]]:
    """Return the account's priority, status and source choices as value → label."""
    by_name = {f.name: f for f in fields}
    return {
        "priority": _allowed(by_name, "priority", PRIORITIES),
        "status": _allowed(by_name, "status", STATUSES),
        "source": _allowed(by_name, "source", SOURCES),
    }


def validate_config(
    config: FreshdeskConfig, *, groups: Iterable[Group], fields: Iterable[TicketField]
) -> list[dict[str, str]]:
    """Return every problem of config against the account's groups and fields (empty: valid)."""
    fields = list(fields)
    groups = list(groups)
    problems: list[dict[str, str]] = []
    if config.group_id is not None and config.group_id not in {g.id for g in groups}:
        names = ", ".join(f"{g.id} ({g.name})" for g in groups) or "none"
        problems.append(
            {
                "field": "group_id",
                "message": f"Freshdesk has no group {config.group_id}; groups: {names}",
            }
        )
    for name, allowed in choice_lists(fields).items():
        value = getattr(config, name)
        if value not in allowed:
            shown = ", ".join(f"{v} ({label})" for v, label in sorted(allowed.items()))
            problems.append({"field": name, "message": f"{name} {value} is not one of: {shown}"})
    problems.extend(validate_mapping(config.field_mapping, fields))
    return problems
