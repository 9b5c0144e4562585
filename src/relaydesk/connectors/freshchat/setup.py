"""Connect and configure Freshchat (and the optional CRM): shared by the CLI and admin API.

``connect_freshchat`` validates the webhook public key, checks the credentials against the
API (unless ``check=False``), then stores the connection with the key encrypted. Re-connecting
keeps the earlier configuration, except ids the (checked) account does not have, which are
unset and reported (``ConnectOutcome.unset``); a changed public key keeps the old one as
``webhook_public_key_previous`` so webhooks signed during a rotation still verify.
``configure_freshchat`` validates agent, group and topic ids against lists fetched from
Freshchat before storing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError

from relaydesk.connectors.connections import (
    FreshchatOptions,
    StoredConnection,
    load_connection,
    normalize_base_url,
    require_connection,
    save_connection,
    update_options,
)
from relaydesk.connectors.crm.sync import check_crm_credentials
from relaydesk.connectors.errors import ConnectorError
from relaydesk.connectors.freshchat.account import (
    Catalog,
    ConnectionCheckFailed,
    check_credentials,
    explain,
    fetch_catalog,
    validate_configuration,
)
from relaydesk.connectors.freshchat.client import FreshchatClient, open_freshchat_http
from relaydesk.connectors.freshchat.receiver import WEBHOOK_PATH
from relaydesk.connectors.freshchat.webhooks import load_public_key
from relaydesk.connectors.http import IntegrationLog
from relaydesk.db.engine import Database
from relaydesk.errors import InvalidInput
from relaydesk.security.secrets import SecretBox
from relaydesk.settings import Settings

CONFIG_FIELDS = (
    "ai_agent_id",
    "escalation_group_id",
    "channel_id",
    "field_mapping",
    "mirror_all",
    "answer_in_freshchat",
    "auto_resolve_seconds",
    "auto_resolve_enabled",
)


@dataclass
class ConnectOutcome:
    """What connecting did."""

    freshchat: StoredConnection
    crm: StoredConnection | None
    checked: bool
    catalog: Catalog | None
    unset: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Return a JSON summary without secrets."""
        out: dict[str, Any] = {
            "system": "freshchat",
            "base_url": self.freshchat.base_url,
            "checked": self.checked,
            "crm": self.crm.base_url if self.crm else None,
        }
        if self.catalog is not None:
            out["agents"] = len(self.catalog.agents)
            out["groups"] = len(self.catalog.groups)
            out["channels"] = len(self.catalog.channels)
        if self.unset:
            out["unset"] = list(self.unset)
        return out


def webhook_url(settings: Settings, fallback_base: str | None = None) -> str:
    """Return the URL to paste into Freshchat's Conversation Webhooks page."""
    base = (settings.public_url or fallback_base or "http://127.0.0.1:8000").rstrip("/")
    return base + WEBHOOK_PATH


async def check_connection(
    *,
    base_url: str,
    api_key: str,
    crm_base_url: str | None = None,
    crm_api_key: str | None = None,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[str | None, Catalog]:
    """Check Freshchat (and CRM) credentials; return the account's app id and catalog."""
    url = normalize_base_url(base_url, system="freshchat")
    result = await check_credentials(url, api_key, log=log, transport=transport)
    if crm_base_url or crm_api_key:
        if not (crm_base_url and crm_api_key):
            raise InvalidInput("the CRM needs both --crm-base-url and --crm-api-key")
        await check_crm_credentials(
            normalize_base_url(crm_base_url, system="crm"),
            crm_api_key,
            log=log,
            transport=transport,
        )
    return result.account.app_id, result.catalog


def store_freshchat(
    db: Database,
    box: SecretBox,
    *,
    base_url: str,
    api_key: str,
    webhook_public_key: str,
    app_id: str | None = None,
    crm_base_url: str | None = None,
    crm_api_key: str | None = None,
    bundle_alias: str | None = None,
) -> tuple[StoredConnection, StoredConnection | None]:
    """Store the Freshchat connection (and the CRM's), keeping the earlier configuration."""
    load_public_key(webhook_public_key)
    if bool(crm_base_url) != bool(crm_api_key):
        raise InvalidInput("the CRM needs both a base URL and an API key")
    with db.transaction() as session:
        existing = load_connection(session, box, "freshchat")
        options: dict[str, Any] = dict(existing.options) if existing else {}
        previous_key = options.get("webhook_public_key")
        if previous_key and previous_key.strip() != webhook_public_key.strip():
            options["webhook_public_key_previous"] = previous_key
        options["webhook_public_key"] = webhook_public_key
        if app_id:
            options["app_id"] = app_id
        fc = save_connection(
            session, box, system="freshchat", base_url=base_url, api_key=api_key, options=options
        )
        crm = None
        if crm_base_url and crm_api_key:
            alias = bundle_alias or _alias_from(crm_base_url)
            crm = save_connection(
                session,
                box,
                system="crm",
                base_url=crm_base_url,
                api_key=crm_api_key,
                options={"bundle_alias": alias},
            )
    return fc, crm


def _alias_from(url: str) -> str | None:
    host = httpx.URL(normalize_base_url(url, system="crm")).host
    return host.split(".")[0] if host.endswith("myfreshworks.com") else None


async def connect_freshchat(
    db: Database,
    box: SecretBox,
    *,
    base_url: str,
    api_key: str,
    webhook_public_key: str,
    crm_base_url: str | None = None,
    crm_api_key: str | None = None,
    bundle_alias: str | None = None,
    check: bool = True,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ConnectOutcome:
    """Validate, check (unless check=False) and store a Freshchat connection."""
    load_public_key(webhook_public_key)
    app_id: str | None = None
    catalog: Catalog | None = None
    if check:
        app_id, catalog = await check_connection(
            base_url=base_url,
            api_key=api_key,
            crm_base_url=crm_base_url,
            crm_api_key=crm_api_key,
            log=log,
            transport=transport,
        )
    fc, crm = store_freshchat(
        db,
        box,
        base_url=base_url,
        api_key=api_key,
        webhook_public_key=webhook_public_key,
        app_id=app_id,
        crm_base_url=crm_base_url,
        crm_api_key=crm_api_key,
        bundle_alias=bundle_alias,
    )
    unset: list[dict[str, str]] = []
    if catalog is not None:
        # The configuration kept from before may be another account's (a new account, a
        # move to Freshworks Omni): an id this account lacks would fail every handoff with a
        # 404. It is unset (a handoff then says Freshchat is not configured) and reported.
        unset = validate_configuration(
            catalog,
            ai_agent_id=fc.options.get("ai_agent_id"),
            escalation_group_id=fc.options.get("escalation_group_id"),
            channel_id=fc.options.get("channel_id"),
        )
        if unset:
            with db.transaction() as session:
                fc.options = update_options(session, "freshchat", {u["field"]: None for u in unset})
    return ConnectOutcome(fc, crm, check, catalog, unset)


async def load_catalog(
    db: Database,
    box: SecretBox,
    *,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Catalog:
    """Fetch agents, groups and topics with the stored Freshchat connection."""
    with db.session() as session:
        conn = require_connection(session, box, "freshchat")
    async with open_freshchat_http(
        conn.base_url, conn.api_key, log=log, transport=transport
    ) as http:
        try:
            return await fetch_catalog(FreshchatClient(http))
        except ConnectorError as exc:
            raise explain(exc, conn.base_url) from exc


def validate_options(changes: dict[str, Any], current: dict[str, Any]) -> FreshchatOptions:
    """Return the merged options, refusing unknown fields and wrong types."""
    unknown = sorted(set(changes) - set(CONFIG_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown Freshchat option(s): {', '.join(unknown)}")
    try:
        return FreshchatOptions.model_validate({**current, **changes})
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        raise InvalidInput(
            f"invalid Freshchat option: {errors[0]['field']}: {errors[0]['message']}", errors=errors
        ) from exc


async def configure_freshchat(
    db: Database,
    box: SecretBox,
    changes: dict[str, Any],
    *,
    check: bool = True,
    log: IntegrationLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FreshchatOptions:
    """Validate changes (ids against Freshchat's own lists unless check=False) and store them."""
    with db.session() as session:
        conn = require_connection(session, box, "freshchat")
    merged = validate_options(changes, conn.options)
    ids = {k: changes.get(k) for k in ("ai_agent_id", "escalation_group_id", "channel_id")}
    if check and any(ids.values()):
        catalog = await load_catalog(db, box, log=log, transport=transport)
        problems = validate_configuration(catalog, **ids)
        if problems:
            raise InvalidInput("; ".join(p["message"] for p in problems), errors=list(problems))
    with db.transaction() as session:
        stored = update_options(session, "freshchat", merged.model_dump(include=set(changes)))
    return FreshchatOptions.model_validate(stored)


__all__ = [
    "CONFIG_FIELDS",
    "ConnectOutcome",
    "ConnectionCheckFailed",
    "check_connection",
    "configure_freshchat",
    "connect_freshchat",
    "load_catalog",
    "store_freshchat",
    "validate_options",
    "webhook_url",
]
