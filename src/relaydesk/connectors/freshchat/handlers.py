"""Job handlers of the Freshchat connector, one per (event, concern).

Outbound handlers share the ordering group ``freshchat``: for one conversation the handoff,
the relay of each later message, and resolve/reopen run one at a time, in the order the
events happened (the worker's ordering key ``freshchat:<conversation id>``). Inbound webhook
jobs (kind ``freshchat.webhook:process``, enqueued by the receiver) are ordered per Freshchat
conversation. Every remote call is tagged with the job id in the integration log. Failures
propagate as connector errors: ``TransportFailed`` and ``RateLimited`` (``retry_after``) are
retried with back-off; ``RemoteRejected`` (``permanent``) is dead-lettered.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from relaydesk.connectors.actions import do_prune_connector_records
from relaydesk.connectors.errors import AlreadyGone
from relaydesk.connectors.freshchat.inbound import process_event
from relaydesk.connectors.freshchat.runtime import open_runtime
from relaydesk.connectors.freshchat.schemas import WebhookEvent
from relaydesk.connectors.freshchat.sync import (
    deliver_handoff,
    deliver_message,
    deliver_status,
    load_snapshot,
)
from relaydesk.connectors.freshchat.users import push_contact
from relaydesk.connectors.http import integration_log_context
from relaydesk.connectors.queries import freshchat_linked, freshchat_relay_wanted
from relaydesk.conversations.queries import list_conversations_for_contact
from relaydesk.db.base import utcnow
from relaydesk.jobs.registry import handler, periodic
from relaydesk.jobs.worker import JobContext

log = logging.getLogger(__name__)

ORDERING = "freshchat"


def _job(ctx: JobContext) -> tuple[int | None, int]:
    if ctx.job is None:
        return None, 1
    return ctx.job.id, ctx.job.attempt


def _relay_wanted(session: Session, payload: dict[str, Any]) -> bool:
    if payload.get("source_id"):
        return False
    return freshchat_relay_wanted(session, str(payload["conversation_id"]))


def _status_wanted(session: Session, payload: dict[str, Any]) -> bool:
    if payload.get("by") == "remote":
        return False
    return freshchat_linked(session, str(payload["conversation_id"]))


@handler(
    "conversation.handed_off",
    "freshchat",
    ordering=ORDERING,
    when=lambda _s, p: p.get("target") == "freshchat",
)
async def hand_off_to_freshchat(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Create the Freshchat conversation with the transcript (or reassign it) and add a note."""
    if payload.get("target") != "freshchat":
        return
    rt = await open_runtime(ctx)
    if rt is None:
        log.warning("handoff to Freshchat, but Freshchat is not connected")
        return
    job_id, attempt = _job(ctx)
    with integration_log_context(job_id=job_id):
        await deliver_handoff(
            ctx,
            rt,
            str(payload["conversation_id"]),
            reason=str(payload.get("reason") or ""),
            attempt=attempt,
        )


@handler("message.created", "freshchat", ordering=ORDERING, when=_relay_wanted)
async def relay_message_to_freshchat(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Post a new relaydesk message in the linked Freshchat conversation (or mirror it)."""
    if payload.get("source_id"):
        return  # it came from a remote: never echoed back
    rt = await open_runtime(ctx)
    if rt is None:
        return
    job_id, attempt = _job(ctx)
    with integration_log_context(job_id=job_id):
        outcome = await deliver_message(
            ctx, rt, str(payload["conversation_id"]), str(payload["message_id"]), attempt=attempt
        )
    log.debug("relay: %s", outcome, extra={"message_id": payload.get("message_id")})


@handler("conversation.resolved", "freshchat", ordering=ORDERING, when=_status_wanted)
async def resolve_in_freshchat(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Resolve the Freshchat conversation when relaydesk closed it (not when Freshchat did)."""
    if payload.get("by") == "remote":
        return
    rt = await open_runtime(ctx)
    if rt is None:
        return
    job_id, _ = _job(ctx)
    with integration_log_context(job_id=job_id):
        await deliver_status(ctx, rt, str(payload["conversation_id"]), status="resolved")


@handler("conversation.reopened", "freshchat", ordering=ORDERING, when=_status_wanted)
async def reopen_in_freshchat(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Reopen the Freshchat conversation when relaydesk reopened it (not when Freshchat did)."""
    if payload.get("by") == "remote":
        return
    rt = await open_runtime(ctx)
    if rt is None:
        return
    job_id, _ = _job(ctx)
    with integration_log_context(job_id=job_id):
        await deliver_status(ctx, rt, str(payload["conversation_id"]), status="reopened")


@handler(
    "contact.updated", "freshchat", ordering=ORDERING, when=lambda _s, p: bool(p.get("verified"))
)
async def push_contact_to_freshchat(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Push a JWT-verified contact's name, email and mapped attributes to its Freshchat user."""
    if not payload.get("verified"):
        return
    rt = await open_runtime(ctx)
    if rt is None:
        return
    contact_id = str(payload["contact_id"])

    def latest(session: Session) -> str | None:
        found = list_conversations_for_contact(session, contact_id)
        return found[0].id if found else None

    conversation_id = await ctx.in_transaction(latest)
    if conversation_id is None:
        return
    snap = await load_snapshot(ctx, conversation_id)
    if snap is None or not snap.contact.freshchat_user_id:
        return
    job_id, _ = _job(ctx)
    with integration_log_context(job_id=job_id):
        await push_contact(rt, snap)


@handler(
    "contact.deleted",
    "freshchat",
    ordering=ORDERING,
    when=lambda _s, p: bool(p.get("freshchat_user_id")),
)
async def forget_in_freshchat(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Delete a deleted contact's Freshchat user (and with it its conversations)."""
    user_id = payload.get("freshchat_user_id")
    if not user_id:
        return
    rt = await open_runtime(ctx)
    if rt is None:
        return
    job_id, _ = _job(ctx)
    with integration_log_context(job_id=job_id):
        try:
            await rt.client.delete_user(str(user_id))
        except AlreadyGone:
            log.info("freshchat user already gone", extra={"contact_id": payload.get("contact_id")})


def _crm_forget_wanted(_session: Session, payload: dict[str, Any]) -> bool:
    # relaydesk never creates CRM contacts: the one with the email is the company's record
    # of that person, so only an email relaydesk verified says it is the deleted contact's
    return bool(payload.get("email")) and bool(payload.get("email_verified"))


@handler("contact.deleted", "crm", when=_crm_forget_wanted)
async def forget_in_crm(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Erase a deleted contact from the Freshworks CRM ("forget"), found by verified email."""
    email = payload.get("email")
    if not email or not payload.get("email_verified"):
        return
    rt = await open_runtime(ctx)
    if rt is None or rt.crm is None:
        return
    job_id, _ = _job(ctx)
    with integration_log_context(job_id=job_id):
        for contact in await rt.crm.lookup_contacts_by_email(str(email)):
            if (contact.email or "").lower() != str(email).lower():
                continue
            try:
                await rt.crm.forget_contact(contact.id)
            except AlreadyGone:
                continue


KEEP_CONNECTOR_RECORDS = timedelta(days=30)


@periodic("connectors.prune", every_seconds=3600)
async def prune_connector_records(ctx: JobContext) -> None:
    """Delete integration log entries and webhook receipts after 30 days.

    Freshchat redelivers a webhook within minutes, so a month of receipts is plenty.
    """
    before = utcnow() - KEEP_CONNECTOR_RECORDS
    deleted = await ctx.in_transaction(
        lambda session: do_prune_connector_records(session, before=before)
    )
    if deleted:
        log.info("pruned %d integration log entries and webhook receipts", deleted)


@handler("freshchat.webhook", "process")
async def process_freshchat_webhook(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Apply one verified, de-duplicated Freshchat webhook event."""
    event = WebhookEvent.model_validate(payload["event"])
    rt = await open_runtime(ctx)
    if rt is None:
        log.warning("Freshchat webhook, but Freshchat is not connected any more")
        return
    job_id, _ = _job(ctx)
    with integration_log_context(job_id=job_id):
        outcome = await process_event(ctx, rt, event)
    log.info(
        "freshchat webhook: %s",
        outcome,
        extra={"action": event.action, "freshchat_conversation_id": event.conversation_id},
    )


__all__ = [
    "prune_connector_records",
    "forget_in_crm",
    "forget_in_freshchat",
    "hand_off_to_freshchat",
    "process_freshchat_webhook",
    "push_contact_to_freshchat",
    "relay_message_to_freshchat",
    "reopen_in_freshchat",
    "resolve_in_freshchat",
]
