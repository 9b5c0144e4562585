"""The Freshdesk API v2 client: one typed method per endpoint, no business logic.

The ``httpx.AsyncClient`` is injected (``open_freshdesk_http`` builds the production one with
Basic auth ``<api key>:X``, the integration log and the error mapping of
``relaydesk.connectors.http``), so tests point it at the sandbox over real HTTP.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx

from relaydesk.connectors.connections import normalize_base_url
from relaydesk.connectors.errors import AlreadyGone, RemoteRejected
from relaydesk.connectors.freshdesk.schemas import (
    Contact,
    ContactCreate,
    Group,
    Note,
    NoteCreate,
    Ticket,
    TicketCreate,
    TicketField,
)
from relaydesk.connectors.http import IntegrationLog, basic_key_auth, make_client

SYSTEM = "freshdesk"
API = "/api/v2"
PER_PAGE = 100
MAX_PAGES = 50
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def open_freshdesk_http(
    base_url: str,
    api_key: str,
    *,
    log: IntegrationLog | None = None,
    timeout: float = 15.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """Return the AsyncClient for Freshdesk at base_url (a domain or URL), keyed with api_key."""
    return make_client(
        normalize_base_url(base_url, system=SYSTEM),
        basic_key_auth(api_key),
        timeout,
        system=SYSTEM,
        log=log,
        transport=transport,
        headers={"Content-Type": "application/json"},
    )


def _next_page_url(response: httpx.Response) -> str | None:
    found = _NEXT_LINK.search(response.headers.get("link", ""))
    return found.group(1) if found else None


def _expect_list(response: httpx.Response, what: str) -> list[Any]:
    body = _json(response)
    if not isinstance(body, list):
        raise RemoteRejected(
            f"freshdesk answered {what} with something that is not a list: is this a Freshdesk API?",
            system=SYSTEM,
            status_code=response.status_code,
            body=str(body)[:200],
        )
    return body


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise RemoteRejected(
            f"freshdesk {response.request.method} {response.request.url.path} did not answer "
            f"JSON (status {response.status_code}): is the base URL a Freshdesk API?",
            system=SYSTEM,
            status_code=response.status_code,
            body=response.text[:200],
        ) from exc


def _no_contact_with_email(exc: RemoteRejected) -> bool:
    """Tell whether Freshdesk refused a list filter because no contact has the email."""
    body = exc.body if isinstance(exc.body, dict) else {}
    return exc.status_code == 400 and any(
        isinstance(err, dict)
        and err.get("field") == "email"
        and (
            err.get("code") == "invalid_value"
            or "no contact" in str(err.get("message", "")).lower()
        )
        for err in body.get("errors") or []
    )


class FreshdeskClient:
    """Freshdesk API v2: tickets, notes, replies, contacts, groups, ticket fields."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def aclose(self) -> None:
        """Close the underlying HTTP client."""
        await self.http.aclose()

    async def __aenter__(self) -> FreshdeskClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _get_all(self, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        """GET a paginated list, following ``Link: rel="next"`` up to MAX_PAGES pages."""
        items: list[Any] = []
        query: dict[str, Any] | None = {"per_page": PER_PAGE, **(params or {})}
        url: str = path
        for _ in range(MAX_PAGES):
            response = await self.http.get(url, params=query)
            items.extend(_expect_list(response, path))
            nxt = _next_page_url(response)
            if nxt is None:
                break
            url, query = nxt, None
        return items

    # --- tickets ---------------------------------------------------------------------------

    async def create_ticket(self, body: TicketCreate) -> Ticket:
        """Create a ticket (``POST /api/v2/tickets``)."""
        response = await self.http.post(f"{API}/tickets", json=body.to_json())
        return Ticket.model_validate(_json(response))

    async def get_ticket(self, ticket_id: int) -> Ticket:
        """Return one ticket (``GET /api/v2/tickets/{id}``)."""
        response = await self.http.get(f"{API}/tickets/{int(ticket_id)}")
        return Ticket.model_validate(_json(response))

    async def list_tickets(
        self,
        *,
        email: str | None = None,
        requester_id: int | None = None,
        updated_since: datetime | None = None,
    ) -> list[Ticket]:
        """List tickets, filtered by requester email or id (no search-index lag).

        Without ``updated_since`` Freshdesk returns only the last 30 days. Freshdesk refuses
        an ``email`` that no contact has (400, "There is no contact matching the given
        email"): such a requester has no tickets, so that is an empty list.
        """
        params: dict[str, Any] = {}
        if email is not None:
            params["email"] = email
        if requester_id is not None:
            params["requester_id"] = requester_id
        if updated_since is not None:
            params["updated_since"] = updated_since.strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            rows = await self._get_all(f"{API}/tickets", params)
        except RemoteRejected as exc:
            if email is not None and _no_contact_with_email(exc):
                return []
            raise
        return [Ticket.model_validate(r) for r in rows]

    async def add_note(
        self, ticket_id: int, body_html: str, *, private: bool = True, incoming: bool | None = None
    ) -> Note:
        """Add a note to a ticket (private by default, as in Freshdesk)."""
        body = NoteCreate(body=body_html, private=private, incoming=incoming)
        response = await self.http.post(
            f"{API}/tickets/{int(ticket_id)}/notes", json=body.to_json()
        )
        return Note.model_validate(_json(response))

    async def list_conversations(self, ticket_id: int) -> list[Note]:
        """Return a ticket's notes and replies, oldest first (``…/{id}/conversations``)."""
        rows = await self._get_all(f"{API}/tickets/{int(ticket_id)}/conversations")
        return [Note.model_validate(r) for r in rows]

    async def reply(self, ticket_id: int, body_html: str) -> Note:
        """Reply publicly on a ticket (Freshdesk emails it to the requester)."""
        response = await self.http.post(
            f"{API}/tickets/{int(ticket_id)}/reply", json={"body": body_html}
        )
        return Note.model_validate(_json(response))

    # --- configuration lists ---------------------------------------------------------------

    async def list_groups(self) -> list[Group]:
        """Return every agent group."""
        return [Group.model_validate(g) for g in await self._get_all(f"{API}/groups")]

    async def list_ticket_fields(self) -> list[TicketField]:
        """Return every ticket field, default and custom (``cf_*``)."""
        response = await self.http.get(f"{API}/ticket_fields")
        return [TicketField.model_validate(f) for f in _expect_list(response, "ticket_fields")]

    # --- contacts --------------------------------------------------------------------------

    async def create_contact(self, body: ContactCreate) -> Contact:
        """Create a contact."""
        response = await self.http.post(f"{API}/contacts", json=body.to_json())
        return Contact.model_validate(_json(response))

    async def filter_contacts(self, *, email: str) -> list[Contact]:
        """Return the contacts with this email (``GET /api/v2/contacts?email=``)."""
        rows = await self._get_all(f"{API}/contacts", {"email": email})
        return [Contact.model_validate(c) for c in rows]

    async def find_contact_by_email(self, email: str) -> Contact | None:
        """Return the contact whose email is exactly email (case-insensitive), or None."""
        for contact in await self.filter_contacts(email=email):
            if (contact.email or "").lower() == email.lower():
                return contact
        return None

    async def delete_contact(self, contact_id: int, *, hard: bool = False) -> None:
        """Delete a contact: soft, or hard (GDPR: soft delete first, then ``hard_delete``).

        Raises AlreadyGone when it does not exist.
        """
        try:
            await self.http.delete(f"{API}/contacts/{int(contact_id)}")
        except AlreadyGone:
            if not hard:
                raise  # a soft-deleted contact can still be hard-deleted
        if hard:
            await self.http.delete(f"{API}/contacts/{int(contact_id)}/hard_delete")
