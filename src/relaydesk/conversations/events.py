"""Every event the conversation store emits, as dataclasses with dotted names.

An action records an event with ``relaydesk.jobs.outbox.record_event`` in the caller's
transaction: one job per handler registered for the event's name (``relaydesk.jobs.handlers``),
whose payload is ``event.to_payload()``: ``{"event": name, "event_id", "occurred_at", **fields}``.
docs/events.md documents each one; ``tests/test_docs.py`` keeps it complete.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

from relaydesk.db.base import utcnow
from relaydesk.db.models._columns import new_id


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event: a unique ``event_id`` and when it happened (ISO 8601, UTC)."""

    name: ClassVar[str]
    event_id: str = field(default_factory=new_id)
    occurred_at: str = field(default_factory=lambda: utcnow().isoformat())

    @property
    def subject(self) -> str:
        """Return what jobs of this event are ordered by: the conversation, else the contact."""
        conversation_id = getattr(self, "conversation_id", None)
        if conversation_id:
            return str(conversation_id)
        return f"contact:{getattr(self, 'contact_id', '')}"

    def to_payload(self) -> dict[str, Any]:
        """Return the event as the JSON payload its jobs carry."""
        return {"event": self.name, **dataclasses.asdict(self)}


@dataclass(frozen=True, kw_only=True)
class ContactUpdated(Event):
    """``contact.updated``: a contact's verified identity or attributes changed.

    Fields: contact_id, changed (names of the fields that changed: name, email,
    external_id, attributes.<key>…), verified.
    """

    name: ClassVar[str] = "contact.updated"
    contact_id: str
    changed: list[str]
    verified: bool


@dataclass(frozen=True, kw_only=True)
class ContactDeleted(Event):
    """``contact.deleted``: a contact and all its conversations were deleted (GDPR).

    Fields: contact_id, tombstone_id, email, external_id, freshchat_user_id,
    freshdesk_contact_id, conversation_ids, freshchat_conversation_ids,
    freshdesk_ticket_ids, email_verified (whether relaydesk verified the email: only then
    is a remote record found by it the contact's own). The identifiers are carried so the remote systems can be told;
    relaydesk itself keeps only the tombstone (hashes). A handoff in flight at the delete
    emits it again with only what it made remotely meanwhile
    (``do_forget_late_remote_records``).
    """

    name: ClassVar[str] = "contact.deleted"
    contact_id: str
    tombstone_id: str
    email: str | None
    external_id: str | None
    freshchat_user_id: str | None
    freshdesk_contact_id: str | None
    conversation_ids: list[str]
    freshchat_conversation_ids: list[str]
    freshdesk_ticket_ids: list[str]
    email_verified: bool = False


@dataclass(frozen=True, kw_only=True)
class ConversationStarted(Event):
    """``conversation.started``: a new conversation.

    Fields: conversation_id, contact_id, channel (``messenger``, ``freshchat``…), page_url,
    language, freshchat_conversation_id (set when it started in Freshchat).
    """

    name: ClassVar[str] = "conversation.started"
    conversation_id: str
    contact_id: str
    channel: str
    page_url: str | None
    language: str | None
    freshchat_conversation_id: str | None


@dataclass(frozen=True, kw_only=True)
class MessageCreated(Event):
    """``message.created``: a message was added to a conversation.

    Fields: conversation_id, message_id, seq (its place in the conversation), author
    (visitor, ai, agent, system), private (an internal note: never shown to the visitor,
    never relayed as a reply), source_id (set when the message came from a remote system:
    never echo it back), agent_id, channel, status (the conversation's status at the time).
    """

    name: ClassVar[str] = "message.created"
    conversation_id: str
    message_id: str
    seq: int
    author: str
    private: bool
    source_id: str | None
    agent_id: str | None
    channel: str
    status: str


@dataclass(frozen=True, kw_only=True)
class ConversationHandedOff(Event):
    """``conversation.handed_off``: the conversation goes to a person.

    Fields: conversation_id, contact_id, target (``freshchat``: live agent, status
    with_agent; ``freshdesk``: a ticket, status ticketed), reason (free text: why).
    """

    name: ClassVar[str] = "conversation.handed_off"
    conversation_id: str
    contact_id: str
    target: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ConversationAssigned(Event):
    """``conversation.assigned``: the owner changed (AI ↔ human, or another agent or group).

    Fields: conversation_id, assignee (ai, human), previous_assignee, agent_id, group_id,
    status (after the change).
    """

    name: ClassVar[str] = "conversation.assigned"
    conversation_id: str
    assignee: str
    previous_assignee: str
    agent_id: str | None
    group_id: str | None
    status: str


@dataclass(frozen=True, kw_only=True)
class ConversationResolved(Event):
    """``conversation.resolved``: the conversation was closed.

    Fields: conversation_id, by (visitor, ai, agent, system — auto-resolve or workflow
    close —, remote: it was resolved in Freshchat, so do not tell Freshchat again),
    previous_status.
    """

    name: ClassVar[str] = "conversation.resolved"
    conversation_id: str
    by: str
    previous_status: str


@dataclass(frozen=True, kw_only=True)
class ConversationReopened(Event):
    """``conversation.reopened``: a resolved conversation is open again.

    Fields: conversation_id, by (visitor, ai, agent, system, remote), status (open, or
    with_agent when a human owns it in Freshchat).
    """

    name: ClassVar[str] = "conversation.reopened"
    conversation_id: str
    by: str
    status: str


ALL_EVENTS: tuple[type[Event], ...] = (
    ContactUpdated,
    ContactDeleted,
    ConversationStarted,
    MessageCreated,
    ConversationHandedOff,
    ConversationAssigned,
    ConversationResolved,
    ConversationReopened,
)
