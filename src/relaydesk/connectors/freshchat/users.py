"""Freshchat users for relaydesk contacts: find by reference id or email, else create.

``reference_id`` is the site's user id (from its JWT), else ``relaydesk:<contact id>``; an
existing user is found by email only when relaydesk verified the email (site JWT, one-time
code): a typed email gets a user of its own. The user carries name, email and the contact
attributes named in the field mapping, and — with the Freshworks CRM connected — the name
and company the CRM knows for the email. The user id is committed on the contact before any
conversation is created, so Freshchat's webhooks about what relaydesk posts can be recognised
as relaydesk's own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy.orm import Session

from relaydesk.connectors.crm.sync import CrmProfile, crm_profile
from relaydesk.connectors.errors import ConnectorError
from relaydesk.connectors.freshchat.client import FreshchatClient
from relaydesk.connectors.freshchat.runtime import ConversationSnapshot, FreshchatRuntime
from relaydesk.connectors.freshchat.schemas import FreshchatUser, UserCreate
from relaydesk.conversations.actions import (
    do_forget_late_remote_records,
    do_link_remote,
    do_update_contact,
)
from relaydesk.conversations.queries import get_contact, get_conversation
from relaydesk.errors import ConversationNotFound

if TYPE_CHECKING:
    from relaydesk.jobs.worker import JobContext

log = logging.getLogger(__name__)


def _split_name(name: str | None) -> tuple[str | None, str | None]:
    if not name or not name.strip():
        return None, None
    first, _, last = name.strip().partition(" ")
    return first, last.strip() or None


def user_body(
    snap: ConversationSnapshot, mapping: dict[str, str], profile: CrmProfile | None
) -> UserCreate:
    """Return the Freshchat user for a contact: name, email, mapped attributes, CRM company."""
    contact = snap.contact
    name = contact.name or (profile.name if profile else None)
    first, last = _split_name(name)
    if profile and not contact.name:
        first, last = profile.first_name or first, profile.last_name or last
    properties: list[dict[str, object]] = []
    for attribute, prop in mapping.items():
        value = contact.attributes.get(attribute)
        if value is not None:
            properties.append({"name": prop, "value": str(value)})
    if profile and profile.company and not any(p["name"] == "company" for p in properties):
        properties.append({"name": "company", "value": profile.company})
    return UserCreate(
        email=contact.email or (profile.email if profile else None),
        first_name=first,
        last_name=last,
        reference_id=contact.reference_id,
        properties=properties,
    )


async def lookup_crm(rt: FreshchatRuntime, email: str | None) -> CrmProfile | None:
    """Return what the CRM knows about email (None without CRM, email, or on a CRM failure)."""
    if rt.crm is None or not email:
        return None
    try:
        return await crm_profile(rt.crm, email)
    except ConnectorError as exc:
        log.warning("CRM lookup failed; handing off without it", extra={"error": exc.message})
        return None
    except ValidationError as exc:
        # The CRM's payloads are not all documented: an answer of another shape must not
        # block the handoff it only enriches.
        log.warning(
            "CRM answer not understood; handing off without it", extra={"error": str(exc)[:300]}
        )
        return None


async def find_user(
    client: FreshchatClient, body: UserCreate, *, by_email: bool = True
) -> FreshchatUser | None:
    """Return the Freshchat user with body's reference id, else with its email, or None.

    ``by_email=False`` looks by reference id only (the email is not proven to be the
    visitor's).
    """
    if body.reference_id:
        for user in await client.find_users(reference_id=body.reference_id):
            if user.reference_id == body.reference_id:
                return user
    if body.email and by_email:
        for user in await client.find_users(email=body.email):
            if (user.email or "").lower() == body.email.lower():
                return user
    return None


async def ensure_user(ctx: JobContext, rt: FreshchatRuntime, snap: ConversationSnapshot) -> str:
    """Return the contact's Freshchat user id: known, found, or created (and committed)."""
    if snap.freshchat_user_id:
        return snap.freshchat_user_id
    profile = await lookup_crm(rt, snap.contact.email)
    body = user_body(snap, rt.options.field_mapping, profile)
    # Only a verified email (site JWT, one-time code) finds an existing user: anyone can type
    # a customer's email, and the customer's Freshchat user would hand them the customer's
    # history and put the customer's own widget messages into their conversation.
    user = await find_user(rt.client, body, by_email=snap.contact.email_verified)
    if user is None:
        user = await rt.client.create_user(body)
    elif snap.contact.verified:
        await rt.client.update_user(user.id, body)
    company = profile.company if profile else None
    crm_name = profile.name if profile and not snap.contact.name else None

    def link_user(session: Session) -> bool:
        try:
            conversation = get_conversation(session, snap.id)
        except ConversationNotFound:  # deleted (GDPR) while the user was found or made
            do_forget_late_remote_records(
                session, contact_id=snap.contact.id, freshchat_user_id=user.id
            )
            return False
        do_link_remote(session, conversation, freshchat_user_id=user.id)
        if company or crm_name:
            contact = get_contact(session, snap.contact.id)
            do_update_contact(
                session,
                contact,
                name=crm_name,
                attributes={"company": company} if company else None,
            )
        return True

    if not await ctx.in_transaction(link_user):
        raise ConversationNotFound(f"conversation {snap.id} was deleted during its handoff")
    return user.id


async def push_contact(rt: FreshchatRuntime, snap: ConversationSnapshot) -> None:
    """Send a verified contact's name, email and mapped attributes to its Freshchat user."""
    if not snap.contact.freshchat_user_id:
        return
    body = user_body(snap, rt.options.field_mapping, await lookup_crm(rt, snap.contact.email))
    await rt.client.update_user(snap.contact.freshchat_user_id, body)


__all__ = ["ensure_user", "find_user", "lookup_crm", "push_contact", "user_body"]
