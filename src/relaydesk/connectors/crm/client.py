"""CrmClient: the Freshworks CRM (Freshsales) API, one method per endpoint.

Base ``https://<bundle_alias>.myfreshworks.com`` (paths add ``/crm/sales/api``), auth
``Authorization: Token token=<key>``. Responses wrap records (``{"contact": {...}}``); the
lookup groups hits by entity (``{"contacts": {"contacts": [...]}}``). Parsing is lenient.
"""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.connectors.crm.schemas import CrmContact, CrmSalesAccount
from relaydesk.connectors.errors import RemoteRejected
from relaydesk.connectors.http import IntegrationLog, TokenAuth, make_client

SYSTEM = "crm"
API = "/crm/sales/api"


def open_crm_http(
    base_url: str,
    api_key: str,
    *,
    log: IntegrationLog | None = None,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """Return the AsyncClient for a CRM account (a trailing ``/crm/sales/api`` is dropped)."""
    root = base_url.rstrip("/")
    if root.endswith(API):
        root = root[: -len(API)]
    return make_client(
        root,
        TokenAuth(api_key),
        timeout,
        system=SYSTEM,
        log=log,
        transport=transport,
        headers={"Content-Type": "application/json"},
    )


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise RemoteRejected(
            f"crm {response.request.url.path}: answer is not JSON",
            system=SYSTEM,
            status_code=response.status_code,
            body=response.text[:500],
        ) from exc


def _unwrap(data: Any, key: str) -> dict[str, Any]:
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        return dict(data[key])
    return dict(data) if isinstance(data, dict) else {}


class CrmClient:
    """Freshworks CRM API. One method per endpoint; no business logic."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def aclose(self) -> None:
        """Close the underlying HTTP client."""
        await self.http.aclose()

    async def __aenter__(self) -> CrmClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def list_contact_filters(self) -> list[dict[str, Any]]:
        """``GET /contacts/filters``: the contact views (a cheap credentials check)."""
        data = _json(await self.http.get(f"{API}/contacts/filters"))
        filters = data.get("filters") if isinstance(data, dict) else data
        return [f for f in filters or [] if isinstance(f, dict)]

    async def lookup_contacts_by_email(self, email: str) -> list[CrmContact]:
        """``GET /lookup?q=<email>&f=email&entities=contact``: exact email match."""
        response = await self.http.get(
            f"{API}/lookup", params={"q": email, "f": "email", "entities": "contact"}
        )
        data = _json(response)
        hits: Any = data.get("contacts") if isinstance(data, dict) else None
        if isinstance(hits, dict):
            hits = hits.get("contacts")
        return [CrmContact.model_validate(c) for c in hits or [] if isinstance(c, dict)]

    async def get_contact(self, contact_id: str) -> CrmContact:
        """``GET /contacts/{id}?include=sales_accounts``."""
        data = _json(
            await self.http.get(
                f"{API}/contacts/{contact_id}", params={"include": "sales_accounts"}
            )
        )
        contact = _unwrap(data, "contact")
        accounts = data.get("sales_accounts") if isinstance(data, dict) else None
        if isinstance(accounts, list):
            names = {str(a.get("id")): a.get("name") for a in accounts if isinstance(a, dict)}
            links = contact.get("sales_accounts") or [
                {"id": a.get("id"), "is_primary": i == 0} for i, a in enumerate(accounts)
            ]
            contact["sales_accounts"] = [
                {**link, "name": link.get("name") or names.get(str(link.get("id")))}
                for link in links
                if isinstance(link, dict)
            ]
        return CrmContact.model_validate(contact)

    async def get_sales_account(self, account_id: str) -> CrmSalesAccount:
        """``GET /sales_accounts/{id}``."""
        data = _json(await self.http.get(f"{API}/sales_accounts/{account_id}"))
        return CrmSalesAccount.model_validate(_unwrap(data, "sales_account"))

    async def forget_contact(self, contact_id: str) -> None:
        """``DELETE /contacts/{id}/forget`` (GDPR); AlreadyGone on 404."""
        await self.http.delete(f"{API}/contacts/{contact_id}/forget")


__all__ = ["API", "SYSTEM", "CrmClient", "open_crm_http"]
