"""Admin API for contacts' personal data (GDPR): find, export, delete.

GET    /contacts?email=&external_id=   the contacts with that email or site user id
GET    /contacts/{contact_id}/export   everything relaydesk keeps about one, as JSON
DELETE /contacts/{contact_id}          delete it with its conversations; Freshchat, Freshdesk
                                       and the CRM are told by jobs (docs/events.md)
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from relaydesk.conversations.actions import do_delete_contact
from relaydesk.conversations.queries import export_contact, find_contacts, get_contact
from relaydesk.deps import DatabaseDep
from relaydesk.errors import ContactNotFound, InvalidInput

router = APIRouter(prefix="/contacts", tags=["contacts"])


def _contact_id(contact_id: str) -> str:
    """Return contact_id, or raise ContactNotFound for one no contact can have.

    Ids are 32 hex characters; a NUL (which PostgreSQL refuses in a string) or an over-long
    id is simply not found.
    """
    if "\x00" in contact_id or len(contact_id) > 64:
        raise ContactNotFound(f"contact {contact_id[:64]!r} not found")
    return contact_id


def _lookup(value: str | None, name: str) -> str | None:
    if value is not None and "\x00" in value:
        raise InvalidInput(f"{name} may not contain NUL characters")
    return value


def contact_summary(contact: Any) -> dict[str, Any]:
    """Return who a contact is, without its conversations."""
    return {
        "id": contact.id,
        "created_at": contact.created_at.isoformat(),
        "name": contact.name,
        "email": contact.email,
        "external_id": contact.external_id,
        "verified": bool(contact.verified),
    }


@router.get("")
def find(
    db: DatabaseDep,
    email: Annotated[str | None, Query(max_length=320)] = None,
    external_id: Annotated[str | None, Query(max_length=255)] = None,
) -> dict[str, Any]:
    """List the contacts with this email or external id (at least one is required)."""
    email, external_id = _lookup(email, "email"), _lookup(external_id, "external_id")
    if not (email or "").strip() and not (external_id or "").strip():
        raise InvalidInput("give email or external_id: which contact's data is asked for")
    with db.session() as session:
        found = find_contacts(session, email=email, external_id=external_id)
        return {"ok": True, "contacts": [contact_summary(c) for c in found]}


@router.get("/{contact_id}/export")
def export(contact_id: str, db: DatabaseDep) -> dict[str, Any]:
    """Return everything relaydesk keeps about the contact (its conversations included)."""
    contact_id = _contact_id(contact_id)
    with db.session() as session:
        return {"ok": True, **export_contact(session, contact_id)}


@router.delete("/{contact_id}")
def delete(contact_id: str, db: DatabaseDep) -> dict[str, Any]:
    """Delete the contact, its conversations, messages and sessions; leave a tombstone."""
    contact_id = _contact_id(contact_id)
    with db.transaction() as session:
        contact = get_contact(session, contact_id)
        tombstone = do_delete_contact(session, contact)
        return {"ok": True, "deleted": contact_id, "tombstone_id": tombstone.id}
