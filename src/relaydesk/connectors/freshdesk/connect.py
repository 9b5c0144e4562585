"""Connect Freshdesk: check a base URL and API key against the API, then store them.

The check reads the ticket fields and the groups (the two lists the configuration needs), and
turns each failure into one sentence saying what is wrong: the key, the agent's permission,
the address, or the network. The CLI and the admin API both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.orm import Session

from relaydesk.connectors.connections import (
    StoredConnection,
    load_connection,
    normalize_base_url,
    save_connection,
)
from relaydesk.connectors.errors import NotConnected, RateLimited, RemoteRejected, TransportFailed
from relaydesk.connectors.freshdesk.client import SYSTEM, FreshdeskClient, open_freshdesk_http
from relaydesk.connectors.freshdesk.schemas import Group, TicketField
from relaydesk.connectors.http import IntegrationLog
from relaydesk.errors import InvalidInput
from relaydesk.security.secrets import SecretBox


class FreshdeskCheckFailed(InvalidInput):
    """Freshdesk refused the connection check (bad key, no permission, wrong address…)."""

    code = "freshdesk_check_failed"


@dataclass
class CheckReport:
    """What a successful check saw."""

    base_url: str
    groups: list[Group]
    ticket_fields: list[TicketField]

    def summary(self) -> dict[str, Any]:
        """Return a short JSON summary (counts and custom field names)."""
        return {
            "base_url": self.base_url,
            "groups": len(self.groups),
            "ticket_fields": len(self.ticket_fields),
            "custom_fields": [f.name for f in self.ticket_fields if f.custom],
        }


def explain_failure(exc: Exception, base_url: str) -> str:
    """Return one sentence saying why a Freshdesk call failed."""
    if isinstance(exc, RemoteRejected):
        status = exc.status_code
        if status == 401:
            return (
                f"Freshdesk at {base_url} refused the API key (401): copy the key from "
                "Profile settings → Your API Key"
            )
        if status == 403:
            return (
                f"the API key's agent may not read ticket fields or groups at {base_url} (403): "
                "use an administrator's key"
            )
        if status == 404:
            return f"no Freshdesk API at {base_url} (404): check the domain or base URL"
        return f"Freshdesk at {base_url} answered {status}: {exc.message}"
    if isinstance(exc, RateLimited):
        wait = f" in {int(exc.retry_after)} s" if exc.retry_after is not None else " later"
        return f"Freshdesk at {base_url} is rate limiting this account (429): try again{wait}"
    if isinstance(exc, TransportFailed):
        return f"could not reach Freshdesk at {base_url}: {exc.message}"
    return f"the Freshdesk check failed: {exc}"


async def check_credentials(
    base_url: str,
    api_key: str,
    *,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CheckReport:
    """Check base_url and api_key against Freshdesk; raise FreshdeskCheckFailed with the reason."""
    url = normalize_base_url(base_url, system=SYSTEM)
    if not api_key.strip():
        raise FreshdeskCheckFailed("the Freshdesk API key is empty")
    http = open_freshdesk_http(url, api_key.strip(), log=log, transport=transport)
    async with FreshdeskClient(http) as client:
        try:
            fields = await client.list_ticket_fields()
            groups = await client.list_groups()
        except (RemoteRejected, RateLimited, TransportFailed) as exc:
            raise FreshdeskCheckFailed(explain_failure(exc, url)) from exc
    return CheckReport(base_url=url, groups=groups, ticket_fields=fields)


def store_connection(
    session: Session, box: SecretBox, *, base_url: str, api_key: str
) -> StoredConnection:
    """Store the Freshdesk connection (key encrypted), keeping an earlier ticket configuration."""
    previous = load_connection(session, box, SYSTEM)
    options = dict(previous.options) if previous else {}
    return save_connection(
        session, box, system=SYSTEM, base_url=base_url, api_key=api_key, options=options
    )


def require_freshdesk(session: Session, box: SecretBox) -> StoredConnection:
    """Return the stored Freshdesk connection; raise NotConnected when there is none."""
    found = load_connection(session, box, SYSTEM)
    if found is None:
        raise NotConnected("Freshdesk is not connected: run `relaydesk connect freshdesk`")
    return found


def client_for(
    conn: StoredConnection,
    *,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FreshdeskClient:
    """Return a FreshdeskClient for a stored connection."""
    return FreshdeskClient(
        open_freshdesk_http(conn.base_url, conn.api_key, log=log, transport=transport)
    )
