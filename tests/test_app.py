"""The composition root: what starting the app sets up."""

from __future__ import annotations

from anyio import to_thread
from starlette.testclient import TestClient

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.settings import Settings


def _limiter_tokens() -> float:
    return to_thread.current_default_thread_limiter().total_tokens


def test_the_thread_pool_has_web_threads_threads(settings: Settings, db: Database) -> None:
    app = create_app(settings.model_copy(update={"web_threads": 3}), db=db)
    with TestClient(app) as client:
        assert client.portal.call(_limiter_tokens) == 3
        assert client.get("/healthz").status_code == 200


def test_the_default_is_a_few_threads_per_core(settings: Settings, db: Database) -> None:
    with TestClient(create_app(settings, db=db)) as client:
        assert client.portal.call(_limiter_tokens) == Settings.model_fields["web_threads"].default
