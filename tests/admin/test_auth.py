"""Admin API authentication: every route needs a live bearer token, stored only hashed."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from relaydesk.admin.actions import do_create_token, do_revoke_token
from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.db.models.admin import AdminToken
from relaydesk.settings import Settings

pytestmark = pytest.mark.postgres

_apps: list[Any] = []


def _client(settings: Settings, db: Database, token: str | None) -> httpx.AsyncClient:
    app = create_app(settings.model_copy(update={"worker_enabled": False}), db=db)
    _apps.append(app)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://relay.test", headers=headers
    )


async def test_every_admin_route_refuses_a_call_without_a_live_token(
    settings: Settings, db: Database
) -> None:
    with db.transaction() as session:
        row, token = do_create_token(session, "t")
        token_id = row.id
    async with _client(settings, db, None) as anonymous:
        routes = [
            (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
            for path, operations in _apps[-1].openapi()["paths"].items()
            if path.startswith("/admin/api/v1")
            for method in operations
        ]
        assert len(routes) > 20
        for headers in ({}, {"Authorization": "Basic " + token}, {"Authorization": "Bearer x"}):
            for method, path in routes:
                response = await anonymous.request(method, path, headers=headers)
                assert response.status_code == 401, (method, path, headers)
                assert response.json()["code"] == "unauthorized"
    async with _client(settings, db, token) as admin:
        assert (await admin.get("/admin/api/v1/whoami")).status_code == 200
        with db.transaction() as session:
            do_revoke_token(session, token_id)
        revoked = await admin.get("/admin/api/v1/whoami")  # the same app, at once
        assert revoked.status_code == 401 and revoked.json()["ok"] is False
    with db.session() as session:
        stored = list(session.scalars(select(AdminToken.token_hash)))
    assert stored and token not in stored and all(token not in h for h in stored)
