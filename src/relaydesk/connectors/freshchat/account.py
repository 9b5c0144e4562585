"""Connect and configure: check credentials, fetch agents/groups/topics, validate choices.

``check_credentials`` calls the API and turns any failure into ``ConnectionCheckFailed``
with a ``reason`` an admin can act on:

- ``bad_key``           401: the API key is wrong or was regenerated;
- ``no_permission``     403: the key works but may not read agents/channels;
- ``wrong_domain``      the host does not resolve, answers 404/3xx, or is not the Freshchat API;
- ``unreachable``       connection refused, timed out, or the API failed (5xx, 429).
"""

from __future__ import annotations

import httpx
from pydantic import BaseModel

from relaydesk.connectors.errors import ConnectorError, RateLimited, RemoteRejected, TransportFailed
from relaydesk.connectors.freshchat.client import FreshchatClient, open_freshchat_http
from relaydesk.connectors.freshchat.schemas import (
    AccountConfiguration,
    FreshchatAgent,
    FreshchatChannel,
    FreshchatGroup,
)
from relaydesk.connectors.http import IntegrationLog
from relaydesk.errors import InvalidInput

REASONS = ("bad_key", "no_permission", "wrong_domain", "unreachable")


class ConnectionCheckFailed(InvalidInput):
    """Connecting was refused: the credentials or the address do not work."""

    code = "connection_check_failed"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, errors=[{"reason": reason, "message": message}])
        self.reason = reason


class Catalog(BaseModel):
    """What an admin chooses from when configuring Freshchat."""

    agents: list[FreshchatAgent]
    groups: list[FreshchatGroup]
    channels: list[FreshchatChannel]


class CheckResult(BaseModel):
    """A successful credentials check."""

    account: AccountConfiguration
    catalog: Catalog


_DNS_HINTS = ("name or service not known", "nodename nor servname", "getaddrinfo", "no address")


def explain(exc: ConnectorError, base_url: str) -> ConnectionCheckFailed:
    """Return the ConnectionCheckFailed an API failure during a check stands for."""
    if isinstance(exc, RemoteRejected):
        status = exc.status_code
        if status == 401:
            return ConnectionCheckFailed(
                "bad_key", f"Freshchat refused the API key (401) at {base_url}: check the key"
            )
        if status == 403:
            return ConnectionCheckFailed(
                "no_permission",
                "the API key works but lacks permission (403) to read agents, groups or "
                "topics: generate the token as an admin",
            )
        if status in (404, 405) or 300 <= status < 400:
            return ConnectionCheckFailed(
                "wrong_domain",
                f"{base_url} does not serve the Freshchat API ({status}): check the domain "
                "(use the Chat URL shown next to the API key)",
            )
        return ConnectionCheckFailed("wrong_domain", f"unexpected answer from {base_url}: {exc}")
    if isinstance(exc, RateLimited):
        return ConnectionCheckFailed(
            "unreachable", "Freshchat is rate limiting this account (429): try again shortly"
        )
    if isinstance(exc, TransportFailed):
        text = exc.message.lower()
        if any(hint in text for hint in _DNS_HINTS):
            return ConnectionCheckFailed(
                "wrong_domain", f"the host of {base_url} does not exist: check the domain"
            )
        return ConnectionCheckFailed("unreachable", f"cannot reach Freshchat at {base_url}: {exc}")
    return ConnectionCheckFailed("unreachable", str(exc))


async def fetch_catalog(client: FreshchatClient) -> Catalog:
    """Return the account's agents (active ones), groups and enabled topics."""
    agents = [a for a in await client.list_agents() if not (a.is_deleted or a.is_deactivated)]
    return Catalog(
        agents=agents,
        groups=await client.list_groups(),
        channels=[c for c in await client.list_channels() if c.enabled],
    )


async def check_credentials(
    base_url: str,
    api_key: str,
    *,
    log: IntegrationLog | None = None,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CheckResult:
    """Call the API with these credentials; raise ConnectionCheckFailed saying what is wrong."""
    async with open_freshchat_http(
        base_url, api_key, log=log, timeout=timeout, transport=transport
    ) as http:
        client = FreshchatClient(http)
        try:
            response = await http.get("/v2/accounts/configuration")
            if response.status_code >= 300:
                raise RemoteRejected(
                    f"freshchat answered {response.status_code}",
                    system="freshchat",
                    status_code=response.status_code,
                )
            try:
                account = AccountConfiguration.model_validate(response.json())
            except ValueError as exc:
                raise ConnectionCheckFailed(
                    "wrong_domain", f"{base_url} answered, but not as the Freshchat API"
                ) from exc
            catalog = await fetch_catalog(client)
        except ConnectorError as exc:
            raise explain(exc, base_url) from exc
    return CheckResult(account=account, catalog=catalog)


def validate_configuration(
    catalog: Catalog,
    *,
    ai_agent_id: str | None,
    escalation_group_id: str | None,
    channel_id: str | None,
) -> list[dict[str, str]]:
    """Return the problems of a configuration (ids that do not exist in Freshchat)."""
    problems: list[dict[str, str]] = []
    checks = (
        ("ai_agent_id", ai_agent_id, {a.id for a in catalog.agents}, "agent"),
        ("escalation_group_id", escalation_group_id, {g.id for g in catalog.groups}, "group"),
        ("channel_id", channel_id, {c.id for c in catalog.channels}, "topic (channel)"),
    )
    for field, value, known, kind in checks:
        if value is not None and value not in known:
            problems.append(
                {"field": field, "message": f"no {kind} {value!r} in this Freshchat account"}
            )
    return problems


__all__ = [
    "REASONS",
    "Catalog",
    "CheckResult",
    "ConnectionCheckFailed",
    "check_credentials",
    "explain",
    "fetch_catalog",
    "validate_configuration",
]
