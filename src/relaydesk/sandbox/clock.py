"""Timestamps in the forms Freshworks APIs write them."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def freshchat_time(moment: datetime | None = None) -> str:
    """Format a time as Freshchat does: ``2022-11-22T10:55:23.126Z``."""
    moment = moment or now()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def freshdesk_time(moment: datetime | None = None) -> str:
    """Format a time as Freshdesk and the CRM do: ``2024-05-01T09:30:00Z``."""
    moment = moment or now()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
