"""Admin API fixtures: a client of the app with an admin token (the job worker off)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from relaydesk.admin.actions import do_create_token
from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.settings import Settings


@pytest.fixture
async def api(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the admin API, authenticated with a fresh admin token."""
    with db.transaction() as session:
        _, token = do_create_token(session, "t")
    app = create_app(settings.model_copy(update={"worker_enabled": False}), db=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://relay.test",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        yield client
    log = getattr(app.state, "integration_log", None)
    if log is not None:
        await log.aclose()
