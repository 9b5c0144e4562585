"""``collect``: ask for a name, email, phone number or custom attribute, and validate it.

The question is skipped when the contact already has the value (``skip_if_known``) — for
example a visitor identified by the site's JWT is never asked for an email. A collected email
is not verified (only the JWT, or a one-time code, verifies it).
"""

from __future__ import annotations

import re
from typing import Any

from relaydesk.conversations.contact_actions import do_update_contact
from relaydesk.workflows.conditions import contact_value
from relaydesk.workflows.context import Goto, Step, StepContext, VisitorInput, Wait
from relaydesk.workflows.schema import CollectBlock

EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
PHONE_CHARS = re.compile(r"[\s().\-/]")
MAX_VALUE = 500

LABELS = {"name": "Your name", "email": "Your email", "phone": "Your phone number"}
INVALID = {
    "name": "Please tell me your name.",
    "email": "That doesn't look like an email address. Please try again.",
    "phone": "That doesn't look like a phone number. Please include the country code.",
    "attribute": "Sorry, that doesn't look right. Please try again.",
}


def clean_email(text: str) -> str | None:
    """Return text as a lower-case email address, or None when it is not one."""
    value = text.strip().strip("<>").strip()
    if len(value) > 254 or not EMAIL.match(value):
        return None
    return value.lower()


def clean_phone(text: str) -> str | None:
    """Return text as a phone number (``+`` and 7–15 digits), or None when it is not one."""
    value = PHONE_CHARS.sub("", text.strip())
    digits = value[1:] if value.startswith("+") else value
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        return None
    return value


def clean_value(block: CollectBlock, text: str) -> str | None:
    """Return the visitor's answer cleaned for the block's field, or None when invalid."""
    text = text.strip()
    if block.field == "email":
        value = clean_email(text)
    elif block.field == "phone":
        value = clean_phone(text)
    else:
        value = text if 0 < len(text) <= (255 if block.field == "name" else MAX_VALUE) else None
    if value is not None and block.pattern and not re.fullmatch(block.pattern, value):
        return None
    return value


def field_name(block: CollectBlock) -> str:
    """Return the name of the value the block collects (``email``, ``plan``…)."""
    return block.attribute or block.field if block.field == "attribute" else block.field


def input_request(block: CollectBlock) -> dict[str, str]:
    """Return the widget's input request for the block."""
    name = field_name(block)
    return {"field": name, "label": block.label or LABELS.get(name, name.replace("_", " "))}


def remember(ctx: StepContext, name: str, value: str) -> None:
    """Store a collected value on the contact (name, email, or an attribute)."""
    changes: dict[str, Any] = {}
    if name == "name":
        changes["name"] = value
    elif name == "email":
        changes["email"] = value
        changes["email_verified"] = False
    else:
        changes["attributes"] = {name: value}
    do_update_contact(ctx.session, ctx.contact, **changes)


def enter(block: CollectBlock, ctx: StepContext) -> Step:
    """Skip when known; otherwise ask and wait."""
    value = contact_value(ctx, field_name(block))
    if block.skip_if_known and value not in (None, ""):
        return Goto(block.next)
    ctx.say(block.prompt, input=input_request(block))
    return Wait()


def resume(block: CollectBlock, ctx: StepContext, given: VisitorInput) -> Step:
    """Validate the answer: keep it and go on, or say why and ask again."""
    value = clean_value(block, given.text or "")
    if value is None:
        ctx.say(block.invalid_text or INVALID[block.field], input=input_request(block))
        return Wait()
    remember(ctx, field_name(block), value)
    return Goto(block.next)
