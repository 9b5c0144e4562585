"""The product setting keys the core reads, with their defaults and a description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SettingKey:
    """One product setting: its key, default value and what it does."""

    key: str
    default: Any
    description: str


PREVENT_REPLIES_WHEN_CLOSED = SettingKey(
    "prevent_replies_when_closed",
    True,
    "Refuse visitor messages in resolved conversations (the widget offers a new one).",
)
AUTO_RESOLVE_AFTER_SECONDS = SettingKey(
    "auto_resolve_after_seconds",
    24 * 3600,
    "Inactivity after which an AI-resolved or waiting conversation is resolved (seconds).",
)

DEPLOY_RULES = SettingKey(
    "deploy_rules",
    None,
    "URL include/exclude patterns of the pages that show the messenger (none: every page).",
)
OFFICE_HOURS = SettingKey(
    "office_hours",
    None,
    "Weekly schedule, time zone and holidays of the team (none: always open).",
)
IDENTITY = SettingKey(
    "identity",
    None,
    'Messenger identity options: {"require_jwt": true} refuses anonymous visitors.',
)

KNOWN: dict[str, SettingKey] = {
    s.key: s
    for s in (
        PREVENT_REPLIES_WHEN_CLOSED,
        AUTO_RESOLVE_AFTER_SECONDS,
        DEPLOY_RULES,
        OFFICE_HOURS,
        IDENTITY,
    )
}
