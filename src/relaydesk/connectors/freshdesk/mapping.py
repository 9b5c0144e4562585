"""Contact attributes → Freshdesk ticket fields: validate a mapping, coerce values to types.

A mapping entry names a target ticket field (a custom ``cf_*`` field, or ``ticket_type``) and
either a contact ``attribute`` (``plan``, ``account_id``… from the site's JWT, or the built-in
``name``, ``email``, ``external_id``) or a constant ``value``. ``validate_mapping`` refuses,
with one clear message per problem, a target that Freshdesk does not have, a default field
that cannot be mapped, a duplicate target, and a constant of the wrong type.
``ticket_values`` turns a contact's attributes into the ticket's ``custom_fields`` and
``type``; a visitor's value that does not fit its field is left out and reported, never
allowed to block the ticket.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from relaydesk.connectors.freshdesk.schemas import TicketField

MAPPABLE_DEFAULTS = {"ticket_type"}
BUILTIN_ATTRIBUTES = {"name", "email", "external_id"}
TEXT_LIMIT = 255
_ATTRIBUTE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


class FieldMap(BaseModel):
    """One mapping entry: ``field`` ← ``attribute`` (a contact attribute) or ``value``."""

    model_config = ConfigDict(extra="forbid")

    field: str
    attribute: str | None = None
    value: Any = None

    @model_validator(mode="after")
    def _one_source(self) -> FieldMap:
        if (self.attribute is None) == (self.value is None):
            raise ValueError(f"{self.field}: give exactly one of 'attribute' or 'value'")
        return self


class ValueMismatch(ValueError):
    """A value does not fit a ticket field's type or choices."""


def _choices(tf: TicketField) -> list[str]:
    raw = tf.choices
    if isinstance(raw, list):
        return [str(c) for c in raw]
    if isinstance(raw, dict):
        return [str(k) for k in raw]
    return []


def _utc_date(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.date().isoformat()


def coerce(tf: TicketField, value: Any) -> Any:
    """Return value converted to what ticket field tf accepts; raise ValueMismatch if it can't."""
    kind = tf.type
    shown = repr(value) if not isinstance(value, str) else f"'{value}'"
    if isinstance(value, (list, dict)) or value is None:
        raise ValueMismatch(f"{tf.name} ({kind}) needs a single value, not {shown}")
    if kind == "custom_number":
        if isinstance(value, bool):
            raise ValueMismatch(f"{tf.name} is a number field: {shown} is not a whole number")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.match(value.strip()):
            return int(value.strip())
        raise ValueMismatch(f"{tf.name} is a number field: {shown} is not a whole number")
    if kind == "custom_decimal":
        if isinstance(value, bool):
            raise ValueMismatch(f"{tf.name} is a decimal field: {shown} is not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueMismatch(f"{tf.name} is a decimal field: {shown} is not a number") from None
        if not math.isfinite(number):  # JSON cannot carry NaN or infinity
            raise ValueMismatch(f"{tf.name} is a decimal field: {shown} is not a finite number")
        return number
    if kind == "custom_checkbox":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueMismatch(f"{tf.name} is a checkbox: {shown} is not true or false")
    if kind == "custom_date":
        if isinstance(value, datetime):
            return _utc_date(value)
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        try:  # a timestamp (JWT attributes often carry one): its date in UTC
            return _utc_date(datetime.fromisoformat(text))
        except ValueError:
            raise ValueMismatch(f"{tf.name} is a date field: {shown} is not YYYY-MM-DD") from None
    choices = _choices(tf)
    if kind in ("custom_dropdown", "default_ticket_type", "nested_field") or choices:
        text = str(value).strip()
        for choice in choices:
            if choice == text or choice.lower() == text.lower():
                return choice
        allowed = ", ".join(choices) or "none configured"
        raise ValueMismatch(f"{tf.name} accepts only one of: {allowed}; not {shown}")
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = str(value)
    if kind == "custom_text" and len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT]
    return text


def validate_mapping(
    entries: Sequence[FieldMap], fields: Iterable[TicketField]
) -> list[dict[str, str]]:
    """Return the problems of a mapping against Freshdesk's ticket fields (empty: valid).

    Each problem is ``{"field": ..., "message": ...}``.
    """
    by_name = {f.name: f for f in fields}
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    for entry in entries:
        name = entry.field
        tf = by_name.get(name)
        if name in seen:
            problems.append({"field": name, "message": f"{name} is mapped twice"})
            continue
        seen.add(name)
        if tf is None:
            known = ", ".join(sorted(n for n in by_name if n.startswith("cf_"))) or "none"
            problems.append(
                {
                    "field": name,
                    "message": f"Freshdesk has no ticket field {name!r} "
                    f"(custom fields: {known}; names are case-sensitive)",
                }
            )
            continue
        if tf.default and name not in MAPPABLE_DEFAULTS:
            problems.append(
                {
                    "field": name,
                    "message": f"{name} is a built-in field that cannot be mapped; "
                    "map custom fields (cf_*) or ticket_type",
                }
            )
            continue
        if entry.attribute is not None and not _ATTRIBUTE.match(entry.attribute):
            problems.append(
                {"field": name, "message": f"{entry.attribute!r} is not an attribute name"}
            )
        if entry.value is not None:
            try:
                coerce(tf, entry.value)
            except ValueMismatch as exc:
                problems.append({"field": name, "message": f"wrong type of value: {exc}"})
    return problems


@dataclass
class TicketValues:
    """What a mapping gives one ticket: custom fields, the ticket type, and left-out values."""

    custom_fields: dict[str, Any] = field(default_factory=dict)
    type: str | None = None
    problems: list[str] = field(default_factory=list)


def attribute_value(
    name: str, *, attributes: Mapping[str, Any], contact_fields: Mapping[str, Any]
) -> Any:
    """Return a contact's value for an attribute name (built-ins first), or None."""
    if name in BUILTIN_ATTRIBUTES and contact_fields.get(name) is not None:
        return contact_fields[name]
    return attributes.get(name)


def ticket_values(
    entries: Sequence[FieldMap],
    fields: Iterable[TicketField],
    *,
    attributes: Mapping[str, Any],
    contact_fields: Mapping[str, Any],
) -> TicketValues:
    """Apply a mapping to one contact: the values that fit, and why the others were left out."""
    by_name = {f.name: f for f in fields}
    out = TicketValues()
    for entry in entries:
        tf = by_name.get(entry.field)
        if tf is None:
            out.problems.append(f"{entry.field}: no such ticket field any more")
            continue
        raw = (
            entry.value
            if entry.attribute is None
            else attribute_value(
                entry.attribute, attributes=attributes, contact_fields=contact_fields
            )
        )
        if raw is None or raw == "":
            continue
        try:
            value = coerce(tf, raw)
        except ValueMismatch as exc:
            out.problems.append(str(exc))
            continue
        if entry.field == "ticket_type":
            out.type = str(value)
        else:
            out.custom_fields[entry.field] = value
    return out
