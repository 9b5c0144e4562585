"""Writes of contacts: create, identify (site JWT), update, visitor sessions, GDPR delete.

Re-exported by ``relaydesk.conversations.actions``; import them from there. Like every
action, they take the caller's session and never commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from relaydesk.conversations import events
from relaydesk.conversations.queries import (
    find_contact_by_external_id,
    hash_identifier,
    is_tombstoned,
)
from relaydesk.db.base import utcnow
from relaydesk.db.models._columns import new_id
from relaydesk.db.models.connectors import IntegrationLogEntry
from relaydesk.db.models.contacts import Contact, ContactTombstone, VisitorSession
from relaydesk.db.models.conversations import Conversation, Message
from relaydesk.db.models.jobs import Job
from relaydesk.db.models.security import OneTimeCode
from relaydesk.errors import ContactDeleted, InvalidInput
from relaydesk.jobs.outbox import record_event
from relaydesk.security.secrets import hash_token

# -- contacts ------------------------------------------------------------------------------


def _normalise_email(email: str | None) -> str | None:
    if email is None:
        return None
    email = email.strip().lower()
    return email or None


def check_not_tombstoned(
    session: Session,
    *,
    email: str | None = None,
    external_id: str | None = None,
    freshchat_user_id: str | None = None,
) -> None:
    """Raise ContactDeleted if a deleted contact had one of these identifiers."""
    if is_tombstoned(
        session, email=email, external_id=external_id, freshchat_user_id=freshchat_user_id
    ):
        raise ContactDeleted("this contact was deleted; it may not be recreated by a sync")


def do_create_contact(
    session: Session,
    *,
    name: str | None = None,
    email: str | None = None,
    external_id: str | None = None,
    verified: bool = False,
    attributes: Mapping[str, Any] | None = None,
) -> Contact:
    """Create a contact (anonymous when nothing is given). Syncs call check_not_tombstoned first."""
    contact = Contact(
        name=name,
        email=_normalise_email(email),
        external_id=external_id,
        verified=verified,
        email_verified=bool(verified and email),
        attributes=dict(attributes or {}),
    )
    session.add(contact)
    session.flush()
    return contact


def do_identify_contact(
    session: Session,
    *,
    external_id: str,
    email: str | None,
    name: str | None,
    attributes: Mapping[str, Any] | None,
) -> Contact:
    """Find or create the contact the site vouches for (JWT); update its verified data.

    Given values replace stored ones (None leaves a field alone); attributes are merged.
    Emits ``contact.updated`` when anything changed on an existing contact.
    """
    if not external_id:
        raise InvalidInput("external_id is required to identify a contact")
    email = _normalise_email(email)
    contact = find_contact_by_external_id(session, external_id)
    if contact is None:
        return do_create_contact(
            session,
            name=name,
            email=email,
            external_id=external_id,
            verified=True,
            attributes=attributes,
        )
    changed: list[str] = []
    if name is not None and contact.name != name:
        contact.name = name
        changed.append("name")
    if email is not None and contact.email != email:
        contact.email = email
        changed.append("email")
    if email is not None and not contact.email_verified:
        contact.email_verified = True
    if not contact.verified:
        contact.verified = True
        changed.append("verified")
    merged = dict(contact.attributes or {})
    for key, value in (attributes or {}).items():
        if merged.get(key) != value:
            merged[key] = value
            changed.append(f"attributes.{key}")
    contact.attributes = merged
    if changed:
        session.flush()
        record_event(
            session,
            events.ContactUpdated(contact_id=contact.id, changed=changed, verified=True),
        )
    return contact


def do_update_contact(
    session: Session,
    contact: Contact,
    *,
    name: str | None = None,
    email: str | None = None,
    email_verified: bool | None = None,
    attributes: Mapping[str, Any] | None = None,
    freshchat_user_id: str | None = None,
    freshdesk_contact_id: str | None = None,
) -> Contact:
    """Update what a visitor told us (collect block) or a remote id; emit contact.updated."""
    changed: list[str] = []
    if name is not None and contact.name != name:
        contact.name = name
        changed.append("name")
    normalised = _normalise_email(email)
    if normalised is not None and contact.email != normalised:
        contact.email = normalised
        contact.email_verified = bool(email_verified)
        changed.append("email")
    elif email_verified is not None and contact.email_verified != email_verified:
        contact.email_verified = email_verified
        changed.append("email_verified")
    if attributes:
        merged = dict(contact.attributes or {})
        for key, value in attributes.items():
            if merged.get(key) != value:
                merged[key] = value
                changed.append(f"attributes.{key}")
        contact.attributes = merged
    if freshchat_user_id is not None:
        contact.freshchat_user_id = freshchat_user_id
    if freshdesk_contact_id is not None:
        contact.freshdesk_contact_id = freshdesk_contact_id
    session.flush()
    if changed:
        record_event(
            session,
            events.ContactUpdated(
                contact_id=contact.id, changed=changed, verified=contact.verified
            ),
        )
    return contact


def do_create_visitor_session(session: Session, contact: Contact, page_url: str | None) -> str:
    """Return a new opaque visitor token for contact; only its hash is stored."""
    token = "vt_" + secrets.token_urlsafe(32)
    session.add(
        VisitorSession(token_hash=hash_token(token), contact_id=contact.id, page_url=page_url)
    )
    session.flush()
    return token


def do_delete_contact(session: Session, contact: Contact) -> ContactTombstone:
    """Delete a contact with its conversations, messages, sessions and one-time codes.

    Leaves a tombstone (hashes only).

    Pending and dead delivery jobs of its conversations are skipped (nothing more is sent
    for them, and an admin cannot retry them); the contact's data is erased from its jobs'
    payloads and results and from the integration log of their remote calls (request and
    response bodies carry transcripts and addresses). A job running at this moment keeps
    its payload until it ends.
    Emits ``contact.deleted`` carrying the remote ids, so the remote systems can be told.
    """
    conversations = list(
        session.scalars(select(Conversation).where(Conversation.contact_id == contact.id))
    )
    conversation_ids = [c.id for c in conversations]
    freshchat_user_id = contact.freshchat_user_id or next(
        (c.freshchat_user_id for c in conversations if c.freshchat_user_id), None
    )
    tombstone = ContactTombstone(
        id=new_id(),
        deleted_at=utcnow(),
        email_hash=hash_identifier(contact.email) if contact.email else None,
        external_id_hash=hash_identifier(contact.external_id) if contact.external_id else None,
        freshchat_user_id=freshchat_user_id,
    )
    session.add(tombstone)
    event = events.ContactDeleted(
        contact_id=contact.id,
        tombstone_id=tombstone.id,
        email=contact.email,
        external_id=contact.external_id,
        freshchat_user_id=freshchat_user_id,
        freshdesk_contact_id=contact.freshdesk_contact_id,
        conversation_ids=conversation_ids,
        freshchat_conversation_ids=[
            c.freshchat_conversation_id for c in conversations if c.freshchat_conversation_id
        ],
        freshdesk_ticket_ids=[
            c.freshdesk_ticket_id for c in conversations if c.freshdesk_ticket_id
        ],
        email_verified=bool(contact.email and contact.email_verified),
    )
    session.flush()
    _forget_jobs(session, contact, conversations)
    if conversation_ids:
        # one-time codes keep the address they were emailed to: erased with the contact
        code_subjects = [f"conversation:{cid}" for cid in conversation_ids]
        session.execute(delete(OneTimeCode).where(OneTimeCode.subject.in_(code_subjects)))
        session.execute(delete(Message).where(Message.conversation_id.in_(conversation_ids)))
        session.execute(delete(Conversation).where(Conversation.id.in_(conversation_ids)))
    session.execute(delete(VisitorSession).where(VisitorSession.contact_id == contact.id))
    session.execute(delete(Contact).where(Contact.id == contact.id))
    for obj in [*conversations, contact]:
        if obj in session:
            session.expunge(obj)
    record_event(session, event)
    return tombstone


def do_forget_late_remote_records(
    session: Session,
    *,
    contact_id: str,
    freshchat_user_id: str | None = None,
    email: str | None = None,
    email_verified: bool = False,
    freshdesk_ticket_id: str | None = None,
) -> ContactTombstone:
    """Tombstone and queue the erasure of remote records made for a contact deleted meanwhile.

    A handoff job in flight when the contact was deleted may find or create its Freshchat
    user, or create its Freshdesk ticket, after the delete: the erase jobs of
    ``contact.deleted`` may have run already, or did not know the user. So a second
    ``contact.deleted`` carrying only what the job made (the Freshchat user id, the ticket's
    requester email) erases them through the durable jobs (retried while the remote is
    down), and a tombstone makes their webhooks be ignored.
    """
    tombstone = ContactTombstone(
        id=new_id(),
        deleted_at=utcnow(),
        email_hash=hash_identifier(email) if email else None,
        freshchat_user_id=freshchat_user_id,
    )
    session.add(tombstone)
    session.flush()
    record_event(
        session,
        events.ContactDeleted(
            contact_id=contact_id,
            tombstone_id=tombstone.id,
            email=_normalise_email(email),
            external_id=None,
            freshchat_user_id=freshchat_user_id,
            freshdesk_contact_id=None,
            conversation_ids=[],
            freshchat_conversation_ids=[],
            freshdesk_ticket_ids=[freshdesk_ticket_id] if freshdesk_ticket_id else [],
            email_verified=email_verified,
        ),
    )
    return tombstone


def _forget_jobs(session: Session, contact: Contact, conversations: list[Conversation]) -> None:
    """Skip the contact's undelivered jobs; erase its data from jobs and the integration log."""
    patterns = [f"%:{c.id}" for c in conversations] + [f"%:contact:{contact.id}"]
    keys = [
        f"freshchat-in:{c.freshchat_conversation_id}"
        for c in conversations
        if c.freshchat_conversation_id
    ]
    matches = or_(
        *[Job.ordering_key.like(p) for p in patterns],
        Job.ordering_key.in_(keys),
    )
    job_ids = list(session.scalars(select(Job.id).where(matches)))
    if not job_ids:
        return
    for start in range(0, len(job_ids), 500):
        chunk = job_ids[start : start + 500]
        session.execute(
            delete(IntegrationLogEntry)
            .where(IntegrationLogEntry.job_id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Job)
            .where(Job.id.in_(chunk), Job.status.in_(("pending", "dead")))
            .values(status="skipped", last_error="contact deleted", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Job)
            .where(Job.id.in_(chunk), Job.status != "running")
            .values(payload={"erased": "contact deleted"}, result={})
            .execution_options(synchronize_session=False)
        )
