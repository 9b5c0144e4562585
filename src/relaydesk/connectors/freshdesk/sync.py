"""Ticket handoff and relay to Freshdesk: create the ticket exactly once, then add notes.

**Exactly once.** A ticket is created by a durable job (``conversation.handed_off`` with
target ``freshdesk``). The job may run more than once: Freshdesk can time out or fail with a
5xx *after* it created the ticket (an ambiguous failure), the worker can die between the
create call and the commit that links the ticket, or Freshdesk can be down or rate limiting
(429) for a while. So every ticket carries a marker tag, ``rd-<conversation id>`` (cut to
Freshdesk's 32-character tag limit), and before each create the job looks for a ticket with
that tag among the requester's tickets (``GET /api/v2/tickets?email=…&updated_since=…``: the
list filter, not the search API, because search lags behind by minutes). If one exists it is
linked instead of creating a second. (The lookup is skipped when no earlier run of the job
reached the create call: the job records that it does, ``JobContext.remote_call_started``.) A Freshdesk failure raises ``TransportFailed`` or
``RateLimited(retry_after)`` and the worker retries with back-off (honouring Retry-After);
the lookup runs again first, so the outcome is one ticket whatever failed where. Meanwhile
the visitor has been told the ticket is being created; the job tells them its number.

**Later messages.** Visitor messages in a ``ticketed`` conversation are added to the ticket
as *public, incoming notes* (shown in the ticket as the requester's), and the visitor is
told that the team replies by email. Why: the ticket is where the agent works, so nothing
the visitor adds must be lost or live only in relaydesk; agent replies are emailed by
Freshdesk to the (verified) requester address, which also reaches a visitor who has closed
the page. Messages already in the transcript (up to the ticket's creation) are not added
again.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from relaydesk.connectors.errors import RemoteRejected
from relaydesk.connectors.freshdesk.client import FreshdeskClient
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.connectors.freshdesk.mapping import ticket_values
from relaydesk.connectors.freshdesk.schemas import Note, Ticket, TicketCreate, TicketField
from relaydesk.connectors.freshdesk.tickets import (
    TRANSCRIPT_TITLE,
    TranscriptMessage,
    esc,
    message_note_html,
    subject_from,
    transcript_html,
)

log = logging.getLogger(__name__)

TAG_LIMIT = 32
MARKER_PREFIX = "rd-"
LOOKBACK = timedelta(days=1)
_TAG = re.compile(r"<[^>]*>")


def ticket_marker(conversation_id: str) -> str:
    """Return the tag that marks the ticket of a conversation (at most 32 characters)."""
    return (MARKER_PREFIX + conversation_id)[:TAG_LIMIT]


@dataclass(frozen=True)
class Requester:
    """Who the ticket is for."""

    email: str
    name: str | None = None
    verified: bool = False
    external_id: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class TicketDraft:
    """The ticket about to be created, and the mapped values that were left out."""

    body: TicketCreate
    marker: str
    problems: list[str] = field(default_factory=list)
    transcript_upto: int = 0


def build_ticket(
    *,
    conversation_id: str,
    requester: Requester,
    messages: Sequence[TranscriptMessage],
    config: FreshdeskConfig,
    ticket_fields: Sequence[TicketField] = (),
    transcript_upto: int = 0,
    page_url: str | None = None,
) -> TicketDraft:
    """Return the ticket for a conversation: transcript, subject, requester, config, fields."""
    marker = ticket_marker(conversation_id)
    values = ticket_values(
        config.field_mapping,
        ticket_fields,
        attributes=requester.attributes,
        contact_fields={
            "name": requester.name,
            "email": requester.email,
            "external_id": requester.external_id,
        },
    )
    header: dict[str, object] = {
        "Customer": requester.name or "",
        "Email": requester.email + (" (verified)" if requester.verified else " (not verified)"),
        "Conversation": conversation_id,
        "Page": page_url or "",
    }
    if values.problems:
        header["Fields left out"] = "; ".join(values.problems)
    description = transcript_html(messages, visitor_name=requester.name, header=header)
    tags = [*config.tags, marker]
    body = TicketCreate(
        email=requester.email,
        name=requester.name or None,
        subject=subject_from(messages),
        description=description,
        status=config.status,
        priority=config.priority,
        source=config.source,
        group_id=config.group_id,
        type=values.type,
        tags=list(dict.fromkeys(tags)),
        custom_fields=values.custom_fields,
    )
    return TicketDraft(
        body=body, marker=marker, problems=values.problems, transcript_upto=transcript_upto
    )


async def find_existing_ticket(
    client: FreshdeskClient, *, marker: str, email: str, since: datetime
) -> Ticket | None:
    """Return the requester's ticket that carries marker, or None.

    A listed ticket whose answer carries no ``tags`` is read on its own to see them.
    """
    for ticket in await client.list_tickets(email=email, updated_since=since - LOOKBACK):
        tags = ticket.tags
        if tags is None:
            tags = (await client.get_ticket(ticket.id)).tags or []
        if marker in tags:
            return ticket
    return None


def _rejected_fields(exc: RemoteRejected) -> set[str]:
    body = exc.body if isinstance(exc.body, dict) else {}
    names = set()
    for err in body.get("errors") or []:
        if isinstance(err, dict) and isinstance(err.get("field"), str):
            names.add(err["field"])
    return names


async def create_ticket_once(
    client: FreshdeskClient, draft: TicketDraft, *, since: datetime, check_first: bool = True
) -> tuple[Ticket, bool]:
    """Create the draft's ticket unless one with its marker exists; return (ticket, created).

    ``check_first=False`` skips the lookup: for a job that has certainly not tried to create
    the ticket before (``JobContext.remote_call_started``), which saves a call on Freshdesk's
    smallest quota, the ticket list.

    If Freshdesk refuses a mapped field or the configured group (400 naming it: the account's
    fields or groups changed since the configuration was validated), the ticket is created
    once more without the mapped values and/or the group, and the refusal is recorded in its
    transcript header, so the customer's request is never lost to a stale setting. Other
    failures propagate.
    """
    existing = (
        await find_existing_ticket(client, marker=draft.marker, email=draft.body.email, since=since)
        if check_first
        else None
    )
    if existing is not None:
        log.info("freshdesk ticket already exists", extra={"ticket_id": existing.id})
        return existing, False
    try:
        return await client.create_ticket(draft.body), True
    except RemoteRejected as exc:
        body = draft.body
        mapped = set(body.custom_fields) | ({"type"} if body.type else set())
        refused = _rejected_fields(exc)
        group_refused = body.group_id is not None and "group_id" in refused
        extra_tags = [t for t in body.tags if t != draft.marker]
        tags_refused = bool(extra_tags) and "tags" in refused
        if exc.status_code != 400 or not (refused & mapped or group_refused or tags_refused):
            raise
        update: dict[str, Any] = {}
        notes: list[str] = []
        if refused & mapped:
            update.update(custom_fields={}, type=None)
            notes.append(
                "<p><b>Mapped fields refused by Freshdesk:</b> "
                + esc(", ".join(sorted(refused & mapped)))
                + "</p>"
            )
        if group_refused:
            update["group_id"] = None
            notes.append(
                f"<p><b>The configured group {esc(body.group_id)} was refused by Freshdesk"
                " (deleted?); the ticket was created without a group.</b></p>"
            )
        if tags_refused:
            # Keep the marker (the exactly-once lookup needs it) and the tags Freshdesk takes;
            # when none is too long, the refusal is about something else: keep only the marker.
            left_out = [t for t in extra_tags if len(t) > TAG_LIMIT] or extra_tags
            update["tags"] = [t for t in body.tags if t not in left_out]
            notes.append(
                "<p><b>Tags refused by Freshdesk:</b> " + esc(", ".join(left_out)) + "</p>"
            )
        update["description"] = body.description.replace(
            TRANSCRIPT_TITLE, "".join(notes) + TRANSCRIPT_TITLE, 1
        )
        log.warning(
            "freshdesk refused configured values; creating without them",
            extra={"fields": sorted(refused)},
        )
        return await client.create_ticket(body.model_copy(update=update)), True


def _plain(html_or_text: str) -> str:
    """Return the words of an HTML (or text) body, tags dropped and whitespace collapsed."""
    text = html.unescape(_TAG.sub(" ", html_or_text))
    return " ".join(text.split())


async def add_note_once(
    client: FreshdeskClient, ticket_id: int, body_html: str, *, check_first: bool
) -> Note:
    """Add a public incoming note unless (check_first) the ticket already has it.

    A retry must check first: the last try may have been added although its answer was lost
    (a timeout or a 5xx after Freshdesk acted), and a second copy would confuse the agent.
    """
    if check_first:
        wanted = _plain(body_html)
        for note in await client.list_conversations(ticket_id):
            if note.private or note.incoming is False:
                continue
            if wanted in (_plain(note.body_text or ""), _plain(note.body or "")):
                log.info("freshdesk note already added", extra={"note_id": note.id})
                return note
    return await client.add_note(ticket_id, body_html, private=False, incoming=True)


def note_for_message(text: str, *, author_label: str, created_at: datetime) -> str:
    """Return the HTML note body for a later visitor message."""
    return message_note_html(text, author_label=author_label, created_at=created_at)


def ticket_created_text(ticket_id: int, email: str) -> str:
    """Return what the visitor is told once the ticket exists."""
    return (
        f"Your ticket #{ticket_id} has been created. Our team will reply by email to {email}. "
        "Anything you add here is added to the ticket."
    )


def ticket_continued_text(ticket_id: int, email: str) -> str:
    """Return what the visitor is told when a reopened conversation goes to its ticket again."""
    return (
        f"I've added this conversation to your ticket #{ticket_id}. Our team will reply by "
        f"email to {email}."
    )


TICKET_PENDING_TEXT = (
    "Your ticket is being created; our help desk is slow to answer, so this may take a "
    "while. You'll see its number here as soon as it exists. You can keep adding details."
)
TICKET_FAILED_TEXT = (
    "Sorry, we couldn't create your ticket. Please try again later or write to us by email."
)
