"""Freshdesk's background jobs (registered in ``relaydesk.jobs.handlers``).

- ``conversation.handed_off:freshdesk_ticket`` — create the ticket exactly once (see
  ``sync``), link it, and tell the visitor its number;
- ``message.created:freshdesk_note`` — add a later visitor message to the ticket as a
  public incoming note.

(The one-time-code email of the ticket block is ``relaydesk.security.handlers``.)

The first two share the ordering ``freshdesk:<conversation id>``, so a message is relayed only
after the ticket exists. Freshdesk failures propagate to the worker: ``TransportFailed`` and
``RateLimited`` are retried with back-off (Retry-After honoured), ``RemoteRejected`` is
dead-lettered at once; either way the visitor is told when the ticket cannot be created. A
Freshdesk outage is retried for ``RELAYDESK_JOB_RETRY_WINDOW_SECONDS`` (a day) however many
tries that takes, and the visitor is told the ticket failed only when the worker gives up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from relaydesk.connectors.connections import StoredConnection, load_connection
from relaydesk.connectors.errors import AlreadyGone, ConnectorError, NotConnected
from relaydesk.connectors.freshdesk.client import SYSTEM, FreshdeskClient
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.connectors.freshdesk.connect import client_for
from relaydesk.connectors.freshdesk.sync import (
    TICKET_FAILED_TEXT,
    TICKET_PENDING_TEXT,
    Requester,
    add_note_once,
    build_ticket,
    create_ticket_once,
    note_for_message,
    ticket_continued_text,
    ticket_created_text,
)
from relaydesk.connectors.freshdesk.tickets import transcript_html
from relaydesk.connectors.http import (
    DatabaseIntegrationLog,
    IntegrationLog,
    integration_log_context,
)
from relaydesk.connectors.queries import connection_state
from relaydesk.conversations.actions import (
    do_append_message,
    do_forget_late_remote_records,
    do_link_remote,
    do_set_message_remote_id,
)
from relaydesk.conversations.queries import find_message, get_contact, list_messages
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.jobs.errors import PermanentFailure, is_permanent
from relaydesk.jobs.registry import handler
from relaydesk.jobs.worker import JobContext
from relaydesk.security.secrets import SecretBox

log = logging.getLogger(__name__)

ORDERING = "freshdesk"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # "all tickets" (Freshdesk lists 30 days by default)
NOTICE_KEY = "freshdesk_ticket_id"
UPTO_KEY = "freshdesk_transcript_upto"
HANDOFF_KEY = "freshdesk_handoff"
NOTE_REMOTE_PREFIX = "freshdesk-note:"


def _client(ctx: JobContext, conn: StoredConnection) -> FreshdeskClient:
    """Return a client for conn; ``ctx.clients["freshdesk_transport"]`` replaces the network."""
    transport = ctx.clients.get("freshdesk_transport")
    return client_for(conn, log=integration_log(ctx), transport=transport)


def integration_log(ctx: JobContext) -> IntegrationLog:
    """Return the worker's shared integration log (written to the database)."""
    found: IntegrationLog | None = ctx.clients.get("integration_log")
    if found is None:
        found = ctx.clients["integration_log"] = DatabaseIntegrationLog(ctx.db)
    return found


def _say(session: Session, conversation_id: str, text: str, **meta: Any) -> None:
    conv = session.get(Conversation, conversation_id)
    if conv is not None:
        do_append_message(session, conv, author="system", text=text, meta=meta)


def _last_try(ctx: JobContext, exc: BaseException) -> bool:
    """Tell whether the worker gives up on the job after this failure (a long outage is
    retried past ``max_attempts``: see ``relaydesk.jobs.errors``)."""
    return ctx.job is not None and ctx.job.gives_up_on(exc)


def _first_try(ctx: JobContext) -> bool:
    return ctx.job is None or ctx.job.attempt <= 1


# --- the ticket -------------------------------------------------------------------------------


@dataclass
class TicketJob:
    """What the ticket job read from the database, before any remote call."""

    connection: StoredConnection
    config: FreshdeskConfig
    requester: Requester
    messages: list[Message]
    started_at: datetime
    page_url: str | None = None
    upto: int = 0
    existing_ticket_id: int | None = None  # a reopened conversation handed off again
    contact_id: str = ""


def load_ticket_job(
    session: Session, box: SecretBox, conversation_id: str, *, handoff_id: str = ""
) -> TicketJob | None:
    """Read what the ticket needs; None when there is nothing to do (done, or gone).

    ``handoff_id`` is the handoff event's id: a rerun of a job whose ticket is already linked
    finds its own notice and does nothing.
    """
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        return None  # deleted (GDPR) before the ticket was made
    messages = list_messages(session, conversation_id)
    existing: int | None = None
    if conv.freshdesk_ticket_id:
        if handoff_id and any((m.meta or {}).get(HANDOFF_KEY) == handoff_id for m in messages):
            return None  # this handoff was already done
        # handed off again after a reopen: what was said since goes to the same ticket
        existing = int(conv.freshdesk_ticket_id)
        since = transcript_upto(messages)
        messages = [
            m
            for m in messages
            if m.seq > since and not (m.remote_id or "").startswith(NOTE_REMOTE_PREFIX)
        ]
        if not any(m.author in ("visitor", "ai", "agent") for m in messages):
            return None
    conn = load_connection(session, box, SYSTEM)
    if conn is None:
        raise NotConnected("Freshdesk is not connected: run `relaydesk connect freshdesk`")
    contact = get_contact(session, conv.contact_id)
    if not contact.email:
        raise PermanentFailure("the contact has no email: the ticket needs a requester")
    return TicketJob(
        connection=conn,
        config=FreshdeskConfig.from_options(conn.options),
        requester=Requester(
            email=contact.email,
            name=contact.name,
            verified=contact.email_verified,
            external_id=contact.external_id,
            attributes=dict(contact.attributes or {}),
        ),
        messages=messages,
        started_at=conv.created_at,
        page_url=conv.page_url,
        upto=max((m.seq for m in messages), default=0),
        existing_ticket_id=existing,
        contact_id=conv.contact_id,
    )


def link_ticket(
    session: Session,
    conversation_id: str,
    ticket_id: int,
    *,
    upto: int,
    email: str,
    handoff_id: str = "",
) -> bool:
    """Link the ticket and tell the visitor its number; False if the conversation is gone."""
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        return False
    if conv.freshdesk_ticket_id == str(ticket_id):
        return True
    do_link_remote(session, conv, freshdesk_ticket_id=str(ticket_id))
    _notice(
        session,
        conv,
        ticket_created_text(ticket_id, email),
        ticket_id=ticket_id,
        upto=upto,
        handoff_id=handoff_id,
    )
    return True


def _notice(
    session: Session,
    conv: Conversation,
    text: str,
    *,
    ticket_id: int,
    upto: int,
    handoff_id: str,
) -> None:
    """Tell the visitor about the ticket; the meta records how far the ticket holds the talk."""
    do_append_message(
        session,
        conv,
        author="system",
        text=text,
        meta={NOTICE_KEY: ticket_id, UPTO_KEY: upto, HANDOFF_KEY: handoff_id},
    )


def note_continued(
    session: Session,
    conversation_id: str,
    ticket_id: int,
    *,
    upto: int,
    email: str,
    handoff_id: str = "",
) -> None:
    """Tell the visitor the new part of the conversation was added to their ticket."""
    conv = session.get(Conversation, conversation_id)
    if conv is not None:
        text = ticket_continued_text(ticket_id, email)
        _notice(session, conv, text, ticket_id=ticket_id, upto=upto, handoff_id=handoff_id)


def _to_freshdesk(session: Session, payload: dict[str, Any]) -> bool:
    return payload.get("target") == SYSTEM


@handler("conversation.handed_off", "freshdesk_ticket", ordering=ORDERING, when=_to_freshdesk)
async def create_ticket_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Create the conversation's ticket exactly once and tell the visitor its number."""
    if payload.get("target") != SYSTEM:
        return
    conversation_id = str(payload["conversation_id"])
    handoff_id = str(payload.get("event_id") or "")
    try:
        job = await ctx.in_transaction(
            lambda s: load_ticket_job(s, ctx.secrets, conversation_id, handoff_id=handoff_id)
        )
        if job is None:
            return
        if job.existing_ticket_id is not None:
            await _continue_ticket(ctx, conversation_id, job, job.existing_ticket_id, handoff_id)
            return
        with integration_log_context(job_id=ctx.job.id if ctx.job else None):
            async with _client(ctx, job.connection) as client:
                fields = await client.list_ticket_fields() if job.config.field_mapping else []
                draft = build_ticket(
                    conversation_id=conversation_id,
                    requester=job.requester,
                    messages=job.messages,
                    config=job.config,
                    ticket_fields=fields,
                    transcript_upto=job.upto,
                    page_url=job.page_url,
                )
                again = await ctx.remote_call_started()
                ticket, created = await create_ticket_once(
                    client, draft, since=job.started_at, check_first=again
                )
    except Exception as exc:
        if is_permanent(exc) or _last_try(ctx, exc):
            await ctx.in_transaction(lambda s: _say(s, conversation_id, TICKET_FAILED_TEXT))
        elif _first_try(ctx) and isinstance(exc, ConnectorError):
            await ctx.in_transaction(lambda s: _say(s, conversation_id, TICKET_PENDING_TEXT))
        raise
    log.info(
        "freshdesk ticket %s",
        "created" if created else "found",
        extra={"conversation_id": conversation_id, "ticket_id": ticket.id},
    )
    linked = await ctx.in_transaction(
        lambda s: link_ticket(
            s,
            conversation_id,
            ticket.id,
            upto=job.upto,
            email=job.requester.email,
            handoff_id=handoff_id,
        )
    )
    if not linked:  # deleted (GDPR) while the ticket was made: erase it with its requester
        await ctx.in_transaction(
            lambda s: do_forget_late_remote_records(
                s,
                contact_id=job.contact_id,
                email=job.requester.email,
                email_verified=job.requester.verified,
                freshdesk_ticket_id=str(ticket.id),
            )
        )


async def _continue_ticket(
    ctx: JobContext, conversation_id: str, job: TicketJob, ticket_id: int, handoff_id: str
) -> None:
    """Add what was said since the ticket to it as one note, and tell the visitor."""
    body = transcript_html(job.messages, visitor_name=job.requester.name)
    with integration_log_context(job_id=ctx.job.id if ctx.job else None):
        async with _client(ctx, job.connection) as client:
            again = await ctx.remote_call_started()
            await add_note_once(client, ticket_id, body, check_first=again)
    await ctx.in_transaction(
        lambda s: note_continued(
            s,
            conversation_id,
            ticket_id,
            upto=job.upto,
            email=job.requester.email,
            handoff_id=handoff_id,
        )
    )


# --- later visitor messages --------------------------------------------------------------------


@dataclass
class NoteJob:
    """A visitor message to add to the ticket."""

    connection: StoredConnection
    ticket_id: int
    message_id: str
    text: str
    author: str
    created_at: datetime


def transcript_upto(messages: list[Message]) -> int:
    """Return the last seq the ticket's transcript holds (from the ticket notice), else 0."""
    for msg in reversed(messages):
        if msg.author == "system" and NOTICE_KEY in (msg.meta or {}):
            return int((msg.meta or {}).get(UPTO_KEY) or 0)
    return 0


def load_note_job(session: Session, box: SecretBox, message_id: str) -> NoteJob | None:
    """Read the message to relay; None when it must not (or need not) go to the ticket."""
    msg = find_message(session, message_id)
    if msg is None or msg.author != "visitor" or msg.private or msg.source_id or msg.remote_id:
        return None
    conv = session.get(Conversation, msg.conversation_id)
    if conv is None or not conv.freshdesk_ticket_id:
        return None
    if msg.seq <= transcript_upto(list_messages(session, conv.id)):
        return None  # already in the ticket's transcript
    conn = load_connection(session, box, SYSTEM)
    if conn is None:
        raise NotConnected("Freshdesk is not connected: run `relaydesk connect freshdesk`")
    contact = get_contact(session, conv.contact_id)
    return NoteJob(
        connection=conn,
        ticket_id=int(conv.freshdesk_ticket_id),
        message_id=msg.id,
        text=msg.text,
        author=contact.name or contact.email or "Customer",
        created_at=msg.created_at,
    )


def _remember_note(session: Session, message_id: str, note_id: int) -> None:
    msg = find_message(session, message_id)
    if msg is not None:
        do_set_message_remote_id(session, msg, f"{NOTE_REMOTE_PREFIX}{note_id}")


def is_visitor_message_in_ticket(payload: dict[str, Any]) -> bool:
    """Tell whether a ``message.created`` is a visitor's public message in a ticketed talk."""
    return (
        payload.get("author") == "visitor"
        and not payload.get("private")
        and not payload.get("source_id")
        and payload.get("status") == "ticketed"
    )


def _needs_note(session: Session, payload: dict[str, Any]) -> bool:
    return is_visitor_message_in_ticket(payload)


@handler("message.created", "freshdesk_note", ordering=ORDERING, when=_needs_note)
async def relay_note_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Add a visitor's message in a ticketed conversation to the ticket as a note.

    Only such messages get a job at all (``when``); the check is repeated for safety.
    """
    if not is_visitor_message_in_ticket(payload):
        return
    message_id = str(payload["message_id"])
    job = await ctx.in_transaction(lambda s: load_note_job(s, ctx.secrets, message_id))
    if job is None:
        return
    body = note_for_message(job.text, author_label=job.author, created_at=job.created_at)
    with integration_log_context(job_id=ctx.job.id if ctx.job else None):
        async with _client(ctx, job.connection) as client:
            again = await ctx.remote_call_started()
            note = await add_note_once(client, job.ticket_id, body, check_first=again)
    await ctx.in_transaction(lambda s: _remember_note(s, message_id, note.id))


def _forget_wanted(session: Session, payload: dict[str, Any]) -> bool:
    if not (payload.get("freshdesk_contact_id") or payload.get("email")):
        return False
    return connection_state(session, SYSTEM).connected


@handler("contact.deleted", "freshdesk", ordering=ORDERING, when=_forget_wanted)
async def forget_in_freshdesk(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Erase a deleted contact in Freshdesk (GDPR): soft, then hard delete, with its tickets.

    The contact is the one relaydesk linked, else the one with the deleted contact's email
    (tickets are created for the visitor's email). "Already gone" is success.
    """
    conn = await ctx.in_transaction(lambda s: load_connection(s, ctx.secrets, SYSTEM))
    if conn is None:
        return
    linked = payload.get("freshdesk_contact_id")
    email = payload.get("email")
    with integration_log_context(job_id=ctx.job.id if ctx.job else None):
        async with _client(ctx, conn) as client:
            contact_id: int | None = int(linked) if linked else None
            if contact_id is None and email:
                found = await client.find_contact_by_email(str(email))
                contact_id = found.id if found is not None else None
            if contact_id is None:
                log.info(
                    "no freshdesk contact to erase", extra={"contact": payload.get("contact_id")}
                )
                return
            if not linked and not payload.get("email_verified"):
                # anyone can type an email: a contact found by an unverified one is erased
                # only when every ticket it has is one relaydesk made for this contact
                ours = {str(t) for t in payload.get("freshdesk_ticket_ids") or []}
                tickets = await client.list_tickets(requester_id=contact_id, updated_since=EPOCH)
                if any(str(t.id) not in ours for t in tickets):
                    log.warning(
                        "freshdesk contact not erased: found by an unverified email, and it "
                        "has tickets relaydesk did not make",
                        extra={"contact": payload.get("contact_id")},
                    )
                    return
            try:
                await client.delete_contact(contact_id, hard=True)
            except AlreadyGone:
                log.info("freshdesk contact already gone", extra={"freshdesk_contact": contact_id})
