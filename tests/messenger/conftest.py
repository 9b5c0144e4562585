"""Messenger fixtures: the whole app over a fresh database, a deterministic responder, clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select, text

from relaydesk.app import create_app
from relaydesk.db.engine import Database
from relaydesk.db.models.conversations import Conversation
from relaydesk.security.jwt import encode_hs256
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_install_default_workflow
from tests.workflows.responders import ScriptedResponder

PAGE = "https://shop.example.com/help"


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    """The test settings, without the job worker (nothing here delivers anywhere)."""
    return settings.model_copy(update={"worker_enabled": False})


@pytest.fixture
def responder() -> ScriptedResponder:
    """A deterministic responder standing in for the agent in API-shape tests."""
    return ScriptedResponder()


@pytest.fixture
def app(app_settings: Settings, db: Database, responder: ScriptedResponder) -> FastAPI:
    """The relaydesk app with the default workflow installed and the scripted responder."""
    application = create_app(app_settings, db=db)
    application.state.messenger.engine.responder = responder
    with db.transaction() as session:
        do_install_default_workflow(session)
    return application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://relaydesk.test") as c:
        yield c


def user_jwt(settings: Settings, **claims: Any) -> str:
    """Return a JWT the site signs for a logged-in visitor (valid for 10 minutes)."""
    assert settings.identity_secret is not None
    return encode_hs256(
        {"exp": int(time.time()) + 600, **claims}, settings.identity_secret.get_secret_value()
    )


async def new_visitor(
    client: httpx.AsyncClient, *, page_url: str = PAGE, jwt: str | None = None
) -> dict[str, Any]:
    """Open a session; return its JSON (visitor_token, contact, settings)."""
    response = await client.post(
        "/messenger/v1/sessions", json={"page_url": page_url, "user_jwt": jwt}
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def auth(token: str) -> dict[str, str]:
    """Return the Authorization header of a visitor token."""
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """Run app under uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _waiting_on_locks(db: Database) -> int:
    with db.engine.connect() as conn:
        query = text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return int(conn.execute(query).scalar_one())


def start_behind_row_lock(
    db: Database, conversation_id: str, threads: list[threading.Thread]
) -> None:
    """Start threads while the conversation's row is held (PostgreSQL), and let go only once
    every one of them waits on it: their requests are then inside the server together."""
    with db.transaction() as session:
        stmt = select(Conversation).where(Conversation.id == conversation_id).with_for_update()
        session.scalars(stmt).one()
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 15
        while _waiting_on_locks(db) < len(threads) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_on_locks(db) >= len(threads)
