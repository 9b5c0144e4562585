"""Admin API for Freshchat (and the optional Freshworks CRM): connect, check, configure.

POST   /freshchat/connection   {base_url, api_key, webhook_public_key, crm_base_url?,
                                crm_api_key?, bundle_alias?, check=true}: check, then store
GET    /freshchat/connection   the stored connection (never a key) and the webhook URL
DELETE /freshchat/connection   forget it (and the CRM connection)
POST   /freshchat/check        check the stored credentials again
GET    /freshchat/agents       agents, fetched from Freshchat
GET    /freshchat/groups       groups, fetched from Freshchat
GET    /freshchat/channels     topics (channels), fetched from Freshchat
GET    /freshchat/config       the configuration (AI agent, group, topic, options)
PATCH  /freshchat/config       change it; ids that Freshchat does not know are refused
GET    /crm/connection         the stored CRM connection (never the key)
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from relaydesk.connectors.actions import do_delete_connection
from relaydesk.connectors.connections import FreshchatOptions, load_connection, public_view
from relaydesk.connectors.errors import NotConnected
from relaydesk.connectors.freshchat.account import Catalog, check_credentials
from relaydesk.connectors.freshchat.setup import (
    configure_freshchat,
    connect_freshchat,
    load_catalog,
    webhook_url,
)
from relaydesk.connectors.http import IntegrationLog
from relaydesk.deps import DatabaseDep, SettingsDep
from relaydesk.errors import InvalidInput
from relaydesk.security.secrets import load_secret_box

router = APIRouter(tags=["freshchat"])


class FreshchatConnectionIn(BaseModel):
    """Body of POST /freshchat/connection."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(min_length=1, max_length=512, description="Chat URL or subdomain.")
    api_key: str = Field(min_length=1, max_length=1024)
    webhook_public_key: str = Field(min_length=1, max_length=8192)
    crm_base_url: str | None = Field(default=None, max_length=512)
    crm_api_key: str | None = Field(default=None, max_length=1024)
    bundle_alias: str | None = Field(default=None, max_length=128)
    check: bool = True


class FreshchatConfigIn(BaseModel):
    """Body of PATCH /freshchat/config: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    ai_agent_id: str | None = Field(default=None, min_length=1, max_length=64)
    escalation_group_id: str | None = Field(default=None, min_length=1, max_length=64)
    channel_id: str | None = Field(default=None, min_length=1, max_length=64)
    field_mapping: dict[str, str] | None = None
    mirror_all: bool | None = None
    answer_in_freshchat: bool | None = None
    auto_resolve_seconds: int | None = Field(default=None, ge=1, le=90 * 24 * 3600)
    auto_resolve_enabled: bool | None = None


def _log(request: Request) -> IntegrationLog | None:
    found: IntegrationLog | None = getattr(request.app.state, "integration_log", None)
    return found


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _invalidate_keys(request: Request) -> None:
    cache = getattr(request.app.state, "freshchat_webhook_keys", None)
    if cache is not None:
        cache.invalidate()


def _config_view(options: FreshchatOptions) -> dict[str, Any]:
    shown = options.model_dump(mode="json")
    for key in ("webhook_public_key", "webhook_public_key_previous"):
        shown[key] = "(set)" if shown.get(key) else None
    return shown


def _catalog_view(catalog: Catalog, kind: str) -> list[dict[str, Any]]:
    if kind == "agents":
        return [
            {"id": a.id, "name": a.name, "email": a.email, "groups": a.groups}
            for a in catalog.agents
        ]
    if kind == "groups":
        return [{"id": g.id, "name": g.name} for g in catalog.groups]
    return [{"id": c.id, "name": c.name} for c in catalog.channels]


@router.post("/freshchat/connection")
async def connect(
    body: FreshchatConnectionIn, request: Request, settings: SettingsDep, db: DatabaseDep
) -> dict[str, Any]:
    """Check the credentials against Freshchat (unless check is false), then store them."""
    outcome = await connect_freshchat(
        db,
        load_secret_box(settings),
        base_url=body.base_url,
        api_key=body.api_key,
        webhook_public_key=body.webhook_public_key,
        crm_base_url=body.crm_base_url,
        crm_api_key=body.crm_api_key,
        bundle_alias=body.bundle_alias,
        check=body.check,
        log=_log(request),
    )
    _invalidate_keys(request)
    return {
        "ok": True,
        "connection": public_view(outcome.freshchat),
        "crm": public_view(outcome.crm) if outcome.crm else None,
        "check": outcome.summary(),
        "webhook_url": webhook_url(settings, _base(request)),
    }


@router.get("/freshchat/connection")
def get_connection(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return the stored connection (without keys) and the webhook URL to paste."""
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "freshchat")
    if conn is None:
        raise NotConnected("Freshchat is not connected")
    return {
        "ok": True,
        "connection": public_view(conn),
        "webhook_url": webhook_url(settings, _base(request)),
    }


@router.delete("/freshchat/connection")
def delete_connection(request: Request, db: DatabaseDep) -> dict[str, Any]:
    """Forget the Freshchat connection, its configuration and the CRM connection."""
    with db.transaction() as session:
        existed = do_delete_connection(session, "freshchat")
        do_delete_connection(session, "crm")
    if not existed:
        raise NotConnected("Freshchat is not connected")
    _invalidate_keys(request)
    return {"ok": True}


@router.post("/freshchat/check")
async def check(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Check the stored Freshchat credentials again."""
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "freshchat")
    if conn is None:
        raise NotConnected("Freshchat is not connected")
    result = await check_credentials(conn.base_url, conn.api_key, log=_log(request))
    return {
        "ok": True,
        "account": result.account.model_dump(mode="json", include={"app_id", "account_id"}),
        "agents": len(result.catalog.agents),
        "groups": len(result.catalog.groups),
        "channels": len(result.catalog.channels),
    }


async def _list(
    kind: str, request: Request, settings: SettingsDep, db: DatabaseDep
) -> dict[str, Any]:
    catalog = await load_catalog(db, load_secret_box(settings), log=_log(request))
    return {"ok": True, kind: _catalog_view(catalog, kind)}


@router.get("/freshchat/agents")
async def agents(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return Freshchat's active agents (choose the one that represents the AI)."""
    return await _list("agents", request, settings, db)


@router.get("/freshchat/groups")
async def groups(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return Freshchat's agent groups (choose the escalation group)."""
    return await _list("groups", request, settings, db)


@router.get("/freshchat/channels")
async def channels(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return Freshchat's enabled topics (choose the one the AI works in)."""
    return await _list("channels", request, settings, db)


@router.get("/freshchat/config")
def get_config(settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return the Freshchat configuration."""
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "freshchat")
    if conn is None:
        raise NotConnected("Freshchat is not connected")
    return {"ok": True, "config": _config_view(conn.freshchat_options())}


@router.patch("/freshchat/config")
async def patch_config(
    body: FreshchatConfigIn, request: Request, settings: SettingsDep, db: DatabaseDep
) -> dict[str, Any]:
    """Change the configuration; agent, group and topic ids are checked against Freshchat."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        raise InvalidInput("nothing to change")
    options = await configure_freshchat(db, load_secret_box(settings), changes, log=_log(request))
    return {"ok": True, "config": _config_view(options)}


@router.get("/crm/connection")
def get_crm_connection(settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return the stored CRM connection, without its key."""
    with db.session() as session:
        conn = load_connection(session, load_secret_box(settings), "crm")
    if conn is None:
        raise NotConnected("the Freshworks CRM is not connected")
    return {"ok": True, "connection": public_view(conn)}
