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


def _scalar_text(value: Any) -> str | None:
    """Return a scalar as the text a visitor would type ("5", "2.5", "true"); None otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format(value, "g") if isinstance(value, float) else str(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        try:
            number = float(text)
        except ValueError:
            return text
        if number != number or number in (float("inf"), float("-inf")):
            return text
        return str(int(number)) if number.is_integer() else format(number, "g")
    return None


def values_equal(value: Any, expected: Any) -> bool:
    """Tell whether an attribute equals a condition's value.

    Strings ignore case and surrounding spaces; a collected answer (always text) equals the
    number or boolean it spells ("5" equals 5, "TRUE" equals true), as a JWT's number does.
    """
    if value is None or expected is None:
        return value is None and expected is None
    left, right = _scalar_text(value), _scalar_text(expected)
    return left is not None and left == right


def condition_holds(condition: Condition, ctx: StepContext) -> bool:
    """Tell whether one condition holds."""
    if isinstance(condition, AttributeCondition):
        value = contact_value(ctx, condition.name)
        if condition.known is not None:
            return _known(value) == condition.known
        return values_equal(value, condition.equals)
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
