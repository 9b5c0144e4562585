"""Freshdesk API v2 shapes (only the fields relaydesk reads or writes).

Incoming shapes ignore unknown fields; outgoing ones (``*Create``) leave out unset fields,
so Freshdesk's defaults apply.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Remote(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Outgoing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_json(self) -> dict[str, Any]:
        """Return the request body: set fields only, None left out."""
        return self.model_dump(mode="json", exclude_none=True)


class Ticket(_Remote):
    """A Freshdesk ticket."""

    id: int
    subject: str | None = None
    description: str | None = None
    description_text: str | None = None
    status: int | None = None
    priority: int | None = None
    source: int | None = None
    group_id: int | None = None
    requester_id: int | None = None
    responder_id: int | None = None
    type: str | None = None
    tags: list[str] | None = None  # None: the answer did not say (some list views omit it)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None


class TicketCreate(_Outgoing):
    """Body of ``POST /api/v2/tickets``."""

    email: str
    name: str | None = None
    subject: str
    description: str
    status: int = 2
    priority: int = 1
    source: int = 7
    group_id: int | None = None
    type: str | None = None
    tags: list[str] = Field(default_factory=list)
    custom_fields: dict[str, Any] = Field(default_factory=dict)


class Note(_Remote):
    """A note (or reply) on a ticket."""

    id: int
    ticket_id: int | None = None
    body: str | None = None
    body_text: str | None = None
    private: bool | None = None
    incoming: bool | None = None


class NoteCreate(_Outgoing):
    """Body of ``POST /api/v2/tickets/{id}/notes``."""

    body: str
    private: bool = True
    incoming: bool | None = None


class Group(_Remote):
    """A Freshdesk agent group."""

    id: int
    name: str
    description: str | None = None


class TicketField(_Remote):
    """A ticket field definition from ``GET /api/v2/ticket_fields``.

    ``choices`` is a list of values, or a mapping of label → value (priority, source) or of
    value → labels (status), depending on the field.
    """

    id: int
    name: str
    label: str | None = None
    type: str
    default: bool = False
    required_for_agents: bool = False
    choices: Any = None

    @property
    def custom(self) -> bool:
        """Tell whether this is a custom field (``cf_*``)."""
        return not self.default


class Contact(_Remote):
    """A Freshdesk contact (requester)."""

    id: int
    name: str | None = None
    email: str | None = None
    unique_external_id: str | None = None


class ContactCreate(_Outgoing):
    """Body of ``POST /api/v2/contacts``."""

    name: str
    email: str | None = None
    unique_external_id: str | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)
