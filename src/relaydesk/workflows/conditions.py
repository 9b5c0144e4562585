"""Evaluate a branch rule's conditions against the conversation, its contact and the clock."""

from __future__ import annotations

from typing import Any

from relaydesk.messenger.deploy_rules import pattern_matches
from relaydesk.workflows.context import StepContext
from relaydesk.workflows.schema import (
    AttributeCondition,
    ChannelCondition,
    Condition,
    LanguageCondition,
    OfficeHoursCondition,
    PageURLCondition,
)


def contact_value(ctx: StepContext, name: str) -> Any:
    """Return a contact field (name, email, phone, verified) or custom attribute; None if unknown."""
    contact = ctx.contact
    if name == "name":
        return contact.name
    if name == "email":
        return contact.email
    if name == "verified":
        return contact.verified
    attributes = contact.attributes or {}
    return attributes.get(name)


def _known(value: Any) -> bool:
    return value is not None and value != ""


def condition_holds(condition: Condition, ctx: StepContext) -> bool:
    """Tell whether one condition holds."""
    if isinstance(condition, AttributeCondition):
        value = contact_value(ctx, condition.name)
        if condition.known is not None:
            return _known(value) == condition.known
        if isinstance(condition.equals, str) and isinstance(value, str):
            return value.casefold() == condition.equals.casefold()
        return bool(value == condition.equals)
    if isinstance(condition, OfficeHoursCondition):
        return ctx.office_hours.is_open(ctx.now) == condition.open
    if isinstance(condition, PageURLCondition):
        url = ctx.conversation.page_url or ""
        return bool(url) and pattern_matches(condition.pattern, url)
    if isinstance(condition, LanguageCondition):
        language = (ctx.conversation.language or "").split("-")[0].lower()
        return language in {code.split("-")[0].lower() for code in condition.in_}
    if isinstance(condition, ChannelCondition):
        return ctx.conversation.channel in condition.in_
    raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover


def all_hold(conditions: list[Condition], ctx: StepContext) -> bool:
    """Tell whether every condition holds."""
    return all(condition_holds(c, ctx) for c in conditions)
