"""What a Freshchat job works with: the stored connection's client, options and snapshots.

``open_runtime(ctx)`` returns None when Freshchat is not connected (the job then has nothing
to do). The HTTP client is cached in the worker's shared ``ctx.clients`` and rebuilt when the
connection changes. Snapshots copy what a job needs out of the database in one short
transaction, so no transaction is ever held open across a remote call (SQLite has a single
writer; holding it while Freshchat is slow would stall everything).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from relaydesk.connectors.actions import DELIVERY_MARK, REFUSED_MARK
from relaydesk.connectors.connections import FreshchatOptions, load_connection
from relaydesk.connectors.crm.client import CrmClient, open_crm_http
from relaydesk.connectors.freshchat.client import FreshchatClient, open_freshchat_http
from relaydesk.connectors.freshchat.transcript import TranscriptLine
from relaydesk.connectors.http import DatabaseIntegrationLog, IntegrationLog
from relaydesk.conversations.queries import get_contact, list_messages
from relaydesk.db.models.conversations import Conversation

if TYPE_CHECKING:
    from relaydesk.jobs.worker import JobContext


@dataclass
class FreshchatRuntime:
    """The Freshchat client, the CRM client (if connected) and the current options."""

    client: FreshchatClient
    options: FreshchatOptions
    crm: CrmClient | None = None


@dataclass(frozen=True)
class ContactSnapshot:
    """A contact as the sync needs it."""

    id: str
    name: str | None
    email: str | None
    external_id: str | None
    verified: bool
    email_verified: bool
    attributes: dict[str, Any]
    freshchat_user_id: str | None

    @property
    def reference_id(self) -> str:
        """Return the Freshchat ``reference_id``: the site's user id, else relaydesk's id."""
        return self.external_id or f"relaydesk:{self.id}"

    @property
    def label(self) -> str:
        """Return how the summary note names the customer."""
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email or "An anonymous visitor"


@dataclass(frozen=True)
class ConversationSnapshot:
    """A conversation, its contact and its messages, copied out of one transaction."""

    id: str
    status: str
    assignee: str
    channel: str
    freshchat_conversation_id: str | None
    freshchat_user_id: str | None
    contact: ContactSnapshot
    lines: list[TranscriptLine] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        """Tell whether the conversation has a Freshchat twin."""
        return self.freshchat_conversation_id is not None


def log_sink(ctx: JobContext) -> IntegrationLog:
    """Return the integration log shared by the worker's jobs."""
    sink = ctx.clients.get("integration_log")
    if sink is None:
        sink = ctx.clients["integration_log"] = DatabaseIntegrationLog(ctx.db)
    return sink


def _fingerprint(base_url: str, api_key: str) -> str:
    return hashlib.sha256(f"{base_url}\n{api_key}".encode()).hexdigest()


async def open_runtime(ctx: JobContext) -> FreshchatRuntime | None:
    """Return the runtime of the stored Freshchat connection, or None if not connected."""

    def load(session: Session) -> tuple[Any, Any]:
        return (
            load_connection(session, ctx.secrets, "freshchat"),
            load_connection(session, ctx.secrets, "crm"),
        )

    fc, crm = await ctx.in_transaction(load)
    if fc is None:
        return None
    sink = log_sink(ctx)
    key = _fingerprint(fc.base_url, fc.api_key)
    cached = ctx.clients.get("freshchat")
    if not (isinstance(cached, tuple) and cached[0] == key):
        http = open_freshchat_http(
            fc.base_url, fc.api_key, log=sink, timeout=ctx.settings.http_timeout_seconds
        )
        cached = ctx.clients["freshchat"] = (key, FreshchatClient(http))
    crm_client: CrmClient | None = None
    if crm is not None:
        crm_key = _fingerprint(crm.base_url, crm.api_key)
        cached_crm = ctx.clients.get("crm")
        if not (isinstance(cached_crm, tuple) and cached_crm[0] == crm_key):
            http = open_crm_http(
                crm.base_url, crm.api_key, log=sink, timeout=ctx.settings.http_timeout_seconds
            )
            cached_crm = ctx.clients["crm"] = (crm_key, CrmClient(http))
        crm_client = cached_crm[1]
    return FreshchatRuntime(client=cached[1], options=fc.freshchat_options(), crm=crm_client)


async def close_clients(clients: dict[str, Any]) -> None:
    """Close the HTTP clients the connectors cached in a worker's shared ``clients``."""
    for name in ("freshchat", "crm"):
        cached = clients.pop(name, None)
        if isinstance(cached, tuple) and hasattr(cached[1], "aclose"):
            await cached[1].aclose()


def snapshot_conversation(
    session: Session, conversation: Conversation, *, include_private: bool = True
) -> ConversationSnapshot:
    """Copy a conversation, its contact and its messages out of the session."""
    contact = get_contact(session, conversation.contact_id)
    lines = [
        TranscriptLine(
            id=m.id,
            seq=m.seq,
            author=m.author,
            text=m.text or "",
            private=m.private,
            source_id=m.source_id,
            remote_id=m.remote_id,
            sources=[dict(s) for s in m.sources or []],
            buttons=[dict(b) for b in m.buttons or []],
            delivery_started=bool((m.meta or {}).get(DELIVERY_MARK, {}).get("freshchat")),
            delivery_refused=bool((m.meta or {}).get(REFUSED_MARK, {}).get("freshchat")),
        )
        for m in list_messages(session, conversation.id, include_private=include_private)
    ]
    return ConversationSnapshot(
        id=conversation.id,
        status=conversation.status,
        assignee=conversation.assignee,
        channel=conversation.channel,
        freshchat_conversation_id=conversation.freshchat_conversation_id,
        freshchat_user_id=conversation.freshchat_user_id or contact.freshchat_user_id,
        contact=ContactSnapshot(
            id=contact.id,
            name=contact.name,
            email=contact.email,
            external_id=contact.external_id,
            verified=contact.verified,
            email_verified=contact.email_verified,
            attributes=dict(contact.attributes or {}),
            freshchat_user_id=contact.freshchat_user_id,
        ),
        lines=lines,
    )


__all__ = [
    "ContactSnapshot",
    "close_clients",
    "ConversationSnapshot",
    "FreshchatRuntime",
    "log_sink",
    "open_runtime",
    "snapshot_conversation",
]
