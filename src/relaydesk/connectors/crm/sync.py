"""CRM sync: a contact known by email gets name, email and company from Freshworks CRM.

``check_crm_credentials`` is the connect-time check; ``crm_profile`` looks a contact up by
email and returns what relaydesk fills in (name, email, company, and the CRM ids).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from relaydesk.connectors.crm.client import CrmClient, open_crm_http
from relaydesk.connectors.errors import ConnectorError, RateLimited, RemoteRejected
from relaydesk.connectors.freshchat.account import ConnectionCheckFailed
from relaydesk.connectors.http import IntegrationLog


@dataclass
class CrmProfile:
    """What the CRM knows about an email address."""

    crm_contact_id: str
    email: str | None
    name: str | None
    first_name: str | None
    last_name: str | None
    company: str | None
    job_title: str | None


def explain_crm(exc: ConnectorError, base_url: str) -> ConnectionCheckFailed:
    """Return the ConnectionCheckFailed a CRM failure during a check stands for."""
    if isinstance(exc, RemoteRejected):
        if exc.status_code == 401:
            return ConnectionCheckFailed(
                "bad_key", f"Freshworks CRM refused the API key (401) at {base_url}"
            )
        if exc.status_code == 403:
            return ConnectionCheckFailed(
                "no_permission", "the CRM API key lacks permission (403) to read contacts"
            )
        return ConnectionCheckFailed(
            "wrong_domain",
            f"{base_url} does not serve the Freshworks CRM API ({exc.status_code}): "
            "check the bundle alias",
        )
    if isinstance(exc, RateLimited):
        return ConnectionCheckFailed("unreachable", "the CRM is rate limiting this account (429)")
    return ConnectionCheckFailed("unreachable", f"cannot reach the CRM at {base_url}: {exc}")


async def check_crm_credentials(
    base_url: str,
    api_key: str,
    *,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> None:
    """Call the CRM with these credentials; raise ConnectionCheckFailed saying what is wrong."""
    async with open_crm_http(base_url, api_key, log=log, transport=transport) as http:
        try:
            await CrmClient(http).list_contact_filters()
        except ConnectorError as exc:
            raise explain_crm(exc, base_url) from exc


async def crm_profile(client: CrmClient, email: str) -> CrmProfile | None:
    """Return the CRM's data for email (exact match), with its primary company; None if unknown."""
    matches = [c for c in await client.lookup_contacts_by_email(email) if c.has_email(email)]
    if not matches:
        return None
    contact = await client.get_contact(matches[0].id)
    company: str | None = None
    for item in contact.sales_accounts:
        if item.get("is_primary") and item.get("name"):
            company = str(item["name"])
    account_id = contact.primary_account_id()
    if company is None and account_id:
        try:
            company = (await client.get_sales_account(account_id)).name
        except RemoteRejected:
            company = None
    return CrmProfile(
        crm_contact_id=contact.id,
        email=contact.email or email,
        name=contact.name,
        first_name=contact.first_name,
        last_name=contact.last_name,
        company=company,
        job_title=contact.job_title,
    )


__all__ = ["CrmProfile", "check_crm_credentials", "crm_profile", "explain_crm"]
