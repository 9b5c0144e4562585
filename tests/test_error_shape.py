"""Every error body has the canonical shape."""

from __future__ import annotations

import httpx
import pytest

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.settings import Settings

SHAPE = {"ok", "error", "errors", "status", "code"}


@pytest.mark.postgres
async def test_unknown_path_and_admin_without_token_use_the_error_shape(
    settings: Settings, db: Database
) -> None:
    app = create_app(settings, db=db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        missing = await client.get("/no/such/path")
        assert missing.status_code == 404
        assert set(missing.json()) == SHAPE
        assert missing.json()["ok"] is False
        assert missing.json()["code"] == "not_found"
        health = await client.get("/healthz")
        assert health.json()["ok"] is True


async def test_admin_api_refuses_missing_and_wrong_tokens(settings: Settings, db: Database) -> None:
    from relaydesk.admin.actions import do_create_token

    with db.transaction() as session:
        _, token = do_create_token(session, "t")
    app = create_app(settings, db=db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        none = await client.get("/admin/api/v1/whoami")
        assert none.status_code == 401
        assert set(none.json()) == SHAPE
        wrong = await client.get("/admin/api/v1/whoami", headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401
        ok = await client.get("/admin/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
