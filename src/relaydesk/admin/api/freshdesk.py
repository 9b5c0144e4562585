"""Admin API for Freshdesk: connect and check, the lists to choose from, ticket configuration.

POST   /freshdesk/connection      {base_url, api_key, check=true}  check, then store
GET    /freshdesk/connection      the stored connection (never the key)
DELETE /freshdesk/connection      forget it
POST   /freshdesk/check           check the stored connection again
GET    /freshdesk/groups          groups, from Freshdesk
GET    /freshdesk/ticket-fields   ticket fields (default and cf_*), from Freshdesk
GET    /freshdesk/config          the ticket configuration and the allowed choices
PUT    /freshdesk/config          replace it, validated against Freshdesk's own lists
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from relaydesk.connectors.actions import do_delete_connection
from relaydesk.connectors.connections import StoredConnection, public_view, update_options
from relaydesk.connectors.errors import NotConnected, RateLimited, RemoteRejected, TransportFailed
from relaydesk.connectors.freshdesk.config import FreshdeskConfig, choice_lists, validate_config
from relaydesk.connectors.freshdesk.connect import (
    FreshdeskCheckFailed,
    check_credentials,
    client_for,
    explain_failure,
    require_freshdesk,
    store_connection,
)
from relaydesk.connectors.freshdesk.schemas import Group, TicketField
from relaydesk.connectors.http import IntegrationLog
from relaydesk.deps import DatabaseDep, SettingsDep
from relaydesk.errors import InvalidInput
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings

router = APIRouter(prefix="/freshdesk", tags=["freshdesk"])


class ConnectionIn(BaseModel):
    """Body of POST /freshdesk/connection."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(min_length=1, max_length=512)
    api_key: str = Field(min_length=1, max_length=512)
    check: bool = True


def _log(request: Request) -> IntegrationLog | None:
    found: IntegrationLog | None = getattr(request.app.state, "integration_log", None)
    return found


def _stored(settings: Settings, db: DatabaseDep) -> StoredConnection:
    with db.session() as session:
        return require_freshdesk(session, load_secret_box(settings))


async def _lists(
    conn: StoredConnection, log: IntegrationLog | None
) -> tuple[list[Group], list[TicketField]]:
    async with client_for(conn, log=log) as client:
        try:
            return await client.list_groups(), await client.list_ticket_fields()
        except (RemoteRejected, RateLimited, TransportFailed) as exc:
            raise FreshdeskCheckFailed(explain_failure(exc, conn.base_url)) from exc


@router.post("/connection")
async def connect(
    body: ConnectionIn, request: Request, settings: SettingsDep, db: DatabaseDep
) -> dict[str, Any]:
    """Check the credentials against Freshdesk (unless check is false), then store them."""
    report = None
    if body.check:
        report = await check_credentials(body.base_url, body.api_key, log=_log(request))
    with db.transaction() as session:
        conn = store_connection(
            session, load_secret_box(settings), base_url=body.base_url, api_key=body.api_key
        )
    return {
        "ok": True,
        "connection": public_view(conn),
        "check": report.summary() if report else None,
    }


@router.get("/connection")
def get_connection(settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return the stored connection, without its key."""
    return {"ok": True, "connection": public_view(_stored(settings, db))}


@router.delete("/connection")
def delete_connection(db: DatabaseDep) -> dict[str, Any]:
    """Forget the Freshdesk connection and its configuration."""
    with db.transaction() as session:
        existed = do_delete_connection(session, "freshdesk")
    if not existed:
        raise NotConnected("Freshdesk is not connected")
    return {"ok": True}


@router.post("/check")
async def check(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Check the stored connection against Freshdesk again."""
    conn = _stored(settings, db)
    report = await check_credentials(conn.base_url, conn.api_key, log=_log(request))
    return {"ok": True, "check": report.summary()}


@router.get("/groups")
async def groups(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return Freshdesk's agent groups."""
    found, _ = await _lists(_stored(settings, db), _log(request))
    return {"ok": True, "groups": [g.model_dump() for g in found]}


@router.get("/ticket-fields")
async def ticket_fields(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return Freshdesk's ticket fields; custom ones (cf_*) can be mapped."""
    _, fields = await _lists(_stored(settings, db), _log(request))
    return {
        "ok": True,
        "ticket_fields": [{**f.model_dump(), "custom": f.custom} for f in fields],
    }


@router.get("/config")
async def get_config(request: Request, settings: SettingsDep, db: DatabaseDep) -> dict[str, Any]:
    """Return the ticket configuration and the account's priority/status/source choices.

    When Freshdesk cannot be reached the configuration is still shown, with Freshdesk's
    standard choices and a ``warning`` saying why.
    """
    conn = _stored(settings, db)
    config = FreshdeskConfig.from_options(conn.options)
    warning = None
    fields: list[TicketField] = []
    try:
        _, fields = await _lists(conn, _log(request))
    except FreshdeskCheckFailed as exc:
        warning = exc.message
    choices = {
        k: {str(v): label for v, label in c.items()} for k, c in choice_lists(fields).items()
    }
    return {
        "ok": True,
        "config": config.model_dump(mode="json"),
        "choices": choices,
        "warning": warning,
    }


@router.put("/config")
async def put_config(
    body: FreshdeskConfig, request: Request, settings: SettingsDep, db: DatabaseDep
) -> dict[str, Any]:
    """Replace the ticket configuration after validating it against Freshdesk's lists."""
    conn = _stored(settings, db)
    found_groups, fields = await _lists(conn, _log(request))
    problems = validate_config(body, groups=found_groups, fields=fields)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidInput(f"{first['field']}: {first['message']}{more}", errors=problems)
    with db.transaction() as session:
        update_options(session, "freshdesk", body.to_options())
    return {"ok": True, "config": body.model_dump(mode="json")}
