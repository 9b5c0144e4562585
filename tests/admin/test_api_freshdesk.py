"""Admin API for Freshdesk: connect (checked), lists, ticket configuration with validation."""

from __future__ import annotations

import httpx
import pytest

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.sandbox.server import RunningSandbox
from relaydesk.settings import Settings
from tests.connectors.conftest import _connector_sandbox, sandbox

__all__ = ["_connector_sandbox", "sandbox"]

SHAPE = {"ok", "error", "errors", "status", "code"}
BASE = "/admin/api/v1/freshdesk"


async def _connect(
    api: httpx.AsyncClient, sandbox: RunningSandbox, **extra: object
) -> httpx.Response:
    body = {"base_url": sandbox.url, "api_key": sandbox.keys["freshdesk_api_key"], **extra}
    return await api.post(f"{BASE}/connection", json=body)


@pytest.mark.postgres
async def test_connect_lists_and_configure(api: httpx.AsyncClient, sandbox: RunningSandbox) -> None:
    resp = await _connect(api, sandbox)
    assert resp.status_code == 200, resp.text
    assert sandbox.keys["freshdesk_api_key"] not in resp.text
    assert "cf_plan" in resp.json()["check"]["custom_fields"]
    shown = (await api.get(f"{BASE}/connection")).json()["connection"]
    assert shown["base_url"] == sandbox.url and shown["api_key"].startswith("…")
    groups = (await api.get(f"{BASE}/groups")).json()["groups"]
    support = next(g["id"] for g in groups if g["name"] == "Support")
    fields = (await api.get(f"{BASE}/ticket-fields")).json()["ticket_fields"]
    assert any(f["name"] == "cf_account_id" and f["custom"] for f in fields)
    config = {
        "group_id": support,
        "priority": 3,
        "status": 2,
        "source": 7,
        "tags": ["relaydesk", "vip"],
        "field_mapping": [
            {"field": "cf_plan", "attribute": "plan"},
            {"field": "cf_region", "value": "EU"},
        ],
    }
    put = await api.put(f"{BASE}/config", json=config)
    assert put.status_code == 200, put.text
    got = (await api.get(f"{BASE}/config")).json()
    assert got["config"]["group_id"] == support and got["config"]["tags"] == ["relaydesk", "vip"]
    assert got["choices"]["priority"]["4"] == "Urgent"
    assert (await api.post(f"{BASE}/check")).json()["ok"] is True
    # Freshdesk down: the configuration is still shown, with a warning
    httpx.post(
        f"{sandbox.url}/_sandbox/faults", json={"system": "freshdesk", "mode": "down"}
    ).raise_for_status()
    degraded = (await api.get(f"{BASE}/config")).json()
    httpx.delete(f"{sandbox.url}/_sandbox/faults")
    assert degraded["config"]["group_id"] == support
    assert "could not reach" in degraded["warning"] and degraded["choices"]["source"]["7"] == "Chat"
    # reconnecting keeps the configuration
    assert (await _connect(api, sandbox, check=False)).status_code == 200
    assert (await api.get(f"{BASE}/config")).json()["config"]["priority"] == 3
    assert (await api.delete(f"{BASE}/connection")).status_code == 200
    assert (await api.get(f"{BASE}/connection")).status_code == 409


@pytest.mark.postgres
async def test_bad_mapping_and_choices_are_refused_clearly(
    api: httpx.AsyncClient, sandbox: RunningSandbox
) -> None:
    assert (await _connect(api, sandbox)).status_code == 200
    resp = await api.put(
        f"{BASE}/config",
        json={
            "group_id": 1,
            "priority": 9,
            "field_mapping": [
                {"field": "cf_nope", "attribute": "plan"},
                {"field": "cf_seats", "value": "many"},
            ],
        },
    )
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) == SHAPE and body["code"] == "invalid_input"
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert "no group 1" in fields["group_id"]
    assert "priority 9" in fields["priority"]
    assert "no ticket field 'cf_nope'" in fields["cf_nope"]
    assert "not a whole number" in fields["cf_seats"]
    # nothing was stored
    assert (await api.get(f"{BASE}/config")).json()["config"]["field_mapping"] == []


async def test_bad_input_is_refused(api: httpx.AsyncClient, sandbox: RunningSandbox) -> None:
    missing = await api.post(f"{BASE}/connection", json={"base_url": sandbox.url})
    assert missing.status_code == 400 and set(missing.json()) == SHAPE
    wrong_key = await _connect(api, sandbox, api_key="nope")
    assert wrong_key.status_code == 400
    assert wrong_key.json()["code"] == "freshdesk_check_failed"
    assert "refused the API key (401)" in wrong_key.json()["error"]
    not_connected = await api.get(f"{BASE}/groups")
    assert not_connected.status_code == 409 and not_connected.json()["code"] == "not_connected"
    bad_shape = await api.put(f"{BASE}/config", json={"tags": ["a,b"]})
    assert bad_shape.status_code == 400
    extra = await api.put(f"{BASE}/config", json={"group": 1})
    assert extra.status_code == 400
    assert (await api.delete(f"{BASE}/connection")).status_code == 409


async def test_needs_an_admin_token(settings: Settings, db: Database) -> None:
    app = create_app(settings.model_copy(update={"worker_enabled": False}), db=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://relay.test"
    ) as client:
        assert (await client.get(f"{BASE}/config")).status_code == 401
    await app.state.integration_log.aclose()
