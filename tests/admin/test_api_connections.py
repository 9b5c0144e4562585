"""Admin API: connect/check/configure Freshchat, lists from Freshchat, the integration log."""

from __future__ import annotations

import httpx
import pytest

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.sandbox import RunningSandbox
from relaydesk.settings import Settings
from tests.connectors.conftest import _connector_sandbox, sandbox

__all__ = ["_connector_sandbox", "sandbox"]

SHAPE = {"ok", "error", "errors", "status", "code"}


async def _connect(
    api: httpx.AsyncClient, sandbox: RunningSandbox, **extra: object
) -> httpx.Response:
    body = {
        "base_url": sandbox.url,
        "api_key": sandbox.keys.freshchat_api_key,
        "webhook_public_key": sandbox.keys.webhook_public_key_pem,
        **extra,
    }
    return await api.post("/admin/api/v1/freshchat/connection", json=body)


@pytest.mark.postgres
async def test_connect_configure_and_read_back(
    api: httpx.AsyncClient, sandbox: RunningSandbox
) -> None:
    resp = await _connect(api, sandbox)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["webhook_url"] == "http://relay.test/webhooks/freshchat"
    assert sandbox.keys.freshchat_api_key not in resp.text
    agents = (await api.get("/admin/api/v1/freshchat/agents")).json()["agents"]
    groups = (await api.get("/admin/api/v1/freshchat/groups")).json()["groups"]
    channels = (await api.get("/admin/api/v1/freshchat/channels")).json()["channels"]
    ai = next(a["id"] for a in agents if a["email"] == "ai-agent@example.com")
    support = next(g["id"] for g in groups if g["name"] == "Support")
    topic = next(c["id"] for c in channels if c["name"] == "Support")
    patched = await api.patch(
        "/admin/api/v1/freshchat/config",
        json={
            "ai_agent_id": ai,
            "escalation_group_id": support,
            "channel_id": topic,
            "auto_resolve_seconds": 60,
        },
    )
    assert patched.status_code == 200, patched.text
    config = (await api.get("/admin/api/v1/freshchat/config")).json()["config"]
    assert (config["ai_agent_id"], config["escalation_group_id"], config["channel_id"]) == (
        ai,
        support,
        topic,
    )
    assert config["webhook_public_key"] == "(set)" and config["auto_resolve_seconds"] == 60
    conn = (await api.get("/admin/api/v1/freshchat/connection")).json()
    assert conn["connection"]["base_url"] == sandbox.url
    check = await api.post("/admin/api/v1/freshchat/check")
    assert check.status_code == 200 and check.json()["agents"] == 3
    # the log writer is asynchronous: wait until it has written what it was given
    app = api._transport.app  # type: ignore[attr-defined]
    assert app.state.integration_log.flush(30)
    logs = await api.get("/admin/api/v1/logs", params={"system": "freshchat"})
    assert logs.status_code == 200
    entries = logs.json()["entries"]
    assert any(e["path"] == "/v2/accounts/configuration" and e["status"] == 200 for e in entries)
    assert sandbox.keys.freshchat_api_key not in logs.text


async def test_bad_inputs_are_refused(api: httpx.AsyncClient, sandbox: RunningSandbox) -> None:
    wrong = await _connect(api, sandbox, api_key="nope")
    assert wrong.status_code == 400 and set(wrong.json()) == SHAPE
    assert wrong.json()["code"] == "connection_check_failed"
    assert wrong.json()["errors"][0]["reason"] == "bad_key"
    missing = await api.post("/admin/api/v1/freshchat/connection", json={"base_url": "x"})
    assert missing.status_code == 400 and set(missing.json()) == SHAPE
    bad_key = await _connect(api, sandbox, webhook_public_key="garbage", check=False)
    assert bad_key.status_code == 400 and bad_key.json()["code"] == "invalid_public_key"
    not_connected = await api.get("/admin/api/v1/freshchat/config")
    assert not_connected.status_code == 409 and not_connected.json()["code"] == "not_connected"
    assert (await api.get("/admin/api/v1/freshchat/agents")).status_code == 409
    assert (await _connect(api, sandbox)).status_code == 200
    unknown = await api.patch("/admin/api/v1/freshchat/config", json={"channel_id": "nope"})
    assert unknown.status_code == 400 and "no topic" in unknown.json()["error"]
    extra = await api.patch("/admin/api/v1/freshchat/config", json={"colour": "red"})
    assert extra.status_code == 400
    empty = await api.patch("/admin/api/v1/freshchat/config", json={})
    assert empty.status_code == 400
    assert (await api.get("/admin/api/v1/logs", params={"system": "zendesk"})).status_code == 400
    assert (await api.get("/admin/api/v1/logs", params={"limit": 0})).status_code == 400


async def test_logs_and_dead_letters(api: httpx.AsyncClient, sandbox: RunningSandbox) -> None:
    await _connect(api, sandbox, api_key="nope")
    app = api._transport.app  # type: ignore[attr-defined]
    assert app.state.integration_log.flush(5)
    entries = (await api.get("/admin/api/v1/logs", params={"errors": True})).json()["entries"]
    assert entries and entries[0]["status"] == 401 and entries[0]["system"] == "freshchat"
    assert "nope" not in str(entries)
    dead = await api.get("/admin/api/v1/logs/dead-letters")
    assert dead.status_code == 200 and dead.json()["jobs"] == []
    assert (await api.post("/admin/api/v1/logs/dead-letters/999/retry")).status_code == 404


async def test_admin_api_needs_a_token(settings: Settings, db: Database) -> None:
    app = create_app(settings.model_copy(update={"worker_enabled": False}), db=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        for path in ("/admin/api/v1/freshchat/config", "/admin/api/v1/logs"):
            assert (await c.get(path)).status_code == 401
    await app.state.integration_log.aclose()
