"""relaydesk on a real port (worker on), connected to the sandbox's Freshchat, and a visitor.

``running_stack`` starts ``create_app`` under uvicorn with a one-article knowledge base, the
hybrid workflow, Freshchat connected and configured (AI agent, Support group, Support topic)
and the sandbox's webhook URL pointing at relaydesk's ``/webhooks/freshchat``. The worker's
back-off is short so fault tests take seconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy.orm import Session
from websockets.sync.client import ClientConnection, connect

from relaydesk.app import create_app
from relaydesk.config.actions import do_set_product_setting
from relaydesk.connectors.connections import update_options
from relaydesk.connectors.freshchat.runtime import close_clients
from relaydesk.connectors.freshchat.setup import store_freshchat
from relaydesk.db.engine import Database
from relaydesk.jobs.worker import JobContext, build_job_context
from relaydesk.knowledge import import_articles, load_embedder
from relaydesk.realtime.hub import build_hub
from relaydesk.sandbox.server import RunningSandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.default import default_workflow
from relaydesk.workflows.validation import validate_workflow
from tests.connectors.servers import ThreadServer
from tests.messenger_visitor import MessengerVisitor

PAGE = "https://shop.example.com/help"
IDENTITY_SECRET = "freshchat-e2e-identity-secret-0123456789abcdef"
V1 = "/messenger/v1"
ARTICLE = """---
title: Reset your password
url: https://help.example.com/articles/reset-your-password
---
# Reset your password

If you forgot your password, open the sign-in page and choose Forgot password. Enter the
email address of your account and we send you a reset link. The link works for 30 minutes.
"""


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "it") -> Any:
    """Poll predicate until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Stack:
    """relaydesk running against the sandbox."""

    url: str
    app: Any
    db: Database
    settings: Settings
    sandbox: RunningSandbox
    ids: dict[str, str]

    # -- the sandbox's side ---------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        return data

    def fc_conversations(self) -> list[dict[str, Any]]:
        return list(self.state()["freshchat"]["conversations"])

    def fc_conversation(self, conversation_id: str) -> dict[str, Any]:
        for conv in self.fc_conversations():
            if conv["conversation_id"] == conversation_id:
                return conv
        raise AssertionError(f"no Freshchat conversation {conversation_id}")

    def control(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(f"{self.sandbox.url}/_sandbox{path}", json=body or {})
        assert response.status_code < 300, response.text
        data: dict[str, Any] = response.json()
        return data

    def fault(self, mode: str, **extra: Any) -> None:
        self.control("/faults", {"system": "freshchat", "mode": mode, **extra})

    def clear_faults(self) -> None:
        httpx.delete(f"{self.sandbox.url}/_sandbox/faults").raise_for_status()

    # -- relaydesk's side -----------------------------------------------------------------

    def wake(self) -> None:
        service = self.app.state.worker
        if service is not None:
            service.worker.wake()

    def jobs(self, status: str | None = None) -> list[Any]:
        from relaydesk.jobs.queries import list_jobs

        with self.db.session() as session:
            return list_jobs(session, status=status, limit=1000)

    def idle(self, timeout: float = 30.0) -> None:
        """Wait until no job is pending or running and no webhook is in flight."""

        def quiet() -> bool:
            self.wake()
            busy = [j for j in self.jobs() if j.status in ("pending", "running")]
            return not busy and self.sandbox.wait_for_webhooks(0.05)

        wait_until(quiet, timeout, "relaydesk and the sandbox to go idle")
        time.sleep(0.1)
        wait_until(quiet, timeout, "relaydesk and the sandbox to go idle")

    def use_workflow(self, document: dict[str, Any]) -> None:
        with self.db.transaction() as session:
            do_activate_workflow(session, validate_workflow(document))

    def configure(self, **changes: Any) -> None:
        with self.db.transaction() as session:
            update_options(session, "freshchat", changes)


class Visitor(MessengerVisitor):
    """A visitor using the messenger HTTP API (and WebSocket), as the widget does."""

    def __init__(self, stack: Stack, user_jwt: str | None = None) -> None:
        self.stack = stack
        super().__init__(stack.url, page_url=PAGE, user_jwt=user_jwt)

    def send(self, **body: str) -> list[dict[str, Any]]:
        """Send text= or button_id=; return every message the step produced."""
        return self.post(**body)

    def stream(self) -> ClientConnection:
        url = self.stack.url.replace("http://", "ws://")
        return connect(f"{url}{V1}/conversations/{self.conversation_id}/stream?token={self.token}")

    def hand_off(self) -> str:
        """Ask a question, ask for a human, press "Human agent"; return the Freshchat id."""
        self.start()
        replies = self.send(text="How do I reset my password?")
        if not _offers_human(replies):
            replies = self.send(text="I want to talk to a human")
        assert _offers_human(replies), replies
        self.send(button_id="human")
        return str(wait_until(self.freshchat_id, 30, "the handoff to reach Freshchat"))

    def freshchat_id(self) -> str | None:
        from relaydesk.conversations.queries import get_conversation

        with self.stack.db.session() as session:
            return get_conversation(session, self.conversation_id).freshchat_conversation_id


def sign_user_jwt(**claims: Any) -> str:
    """Return a JWT the site signs for a logged-in visitor."""
    import jwt

    return jwt.encode({"exp": int(time.time()) + 3600, **claims}, IDENTITY_SECRET, "HS256")


def _offers_human(messages: list[dict[str, Any]]) -> bool:
    return any(b["id"] == "human" for m in messages for b in m.get("buttons") or [])


def next_event(ws: ClientConnection, kind: str, timeout: float = 10.0) -> dict[str, Any]:
    """Return the next WebSocket event of kind (skipping others)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {kind} event")
        event: dict[str, Any] = json.loads(ws.recv(timeout=left))
        if event.get("type") == kind:
            return event


def freshchat_ids(sandbox: RunningSandbox) -> dict[str, str]:
    """Return the seeded AI agent, Support group and Support/Billing topic ids."""
    state = httpx.get(f"{sandbox.url}/_sandbox/state").json()["freshchat"]
    return {
        "ai_agent": next(a["id"] for a in state["agents"] if a.get("is_bot")),
        "human_agent": next(a["id"] for a in state["agents"] if a["first_name"] == "Alex"),
        "group": next(g["id"] for g in state["groups"] if g["name"] == "Support"),
        "channel": next(c["id"] for c in state["channels"] if c["name"] == "Support"),
        "other_channel": next(c["id"] for c in state["channels"] if c["name"] == "Billing"),
    }


def build_settings(root: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": root / "data",
        "identity_secret": IDENTITY_SECRET,
        "secret_key": None,
        "embedding_backend": "hashing",
        "worker_enabled": True,
        "job_backoff_base_seconds": 0.2,
        "job_backoff_cap_seconds": 1.0,
        "job_max_attempts": 30,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def job_context(
    root: Path,
    sandbox: RunningSandbox,
    database_url: str,
    *,
    crm: bool = False,
    **overrides: Any,
) -> AsyncIterator[tuple[Database, JobContext]]:
    """Prepare a connected data dir under root and yield its database and a job context
    (the jobs' Freshchat clients are closed and the database disposed afterwards)."""
    from relaydesk.db.migrate import open_database

    settings = build_settings(root, database_url=database_url, **overrides)
    prepare(root, sandbox, settings, crm=crm)
    db = open_database(settings)
    ctx = build_job_context(settings, db, build_hub(settings))
    try:
        yield db, ctx
    finally:
        await close_clients(ctx.clients)
        db.dispose()


def prepare(
    root: Path, sandbox: RunningSandbox, settings: Settings, *, crm: bool = False, **options: Any
) -> None:
    """Import the knowledge base, connect and configure Freshchat, install the workflow."""
    from relaydesk.db.migrate import open_database

    kb = root / "kb"
    kb.mkdir(parents=True, exist_ok=True)
    (kb / "reset-your-password.md").write_text(ARTICLE)
    db = open_database(settings)
    try:
        import_articles(db, kb, load_embedder(settings))
        ids = freshchat_ids(sandbox)
        config = httpx.get(
            f"{sandbox.url}/v2/accounts/configuration",
            headers={"Authorization": f"Bearer {sandbox.keys.freshchat_api_key}"},
        ).json()
        box = load_secret_box(settings)
        store_freshchat(
            db,
            box,
            base_url=sandbox.url,
            api_key=sandbox.keys.freshchat_api_key,
            webhook_public_key=sandbox.keys.webhook_public_key_pem,
            app_id=config["app_id"],
            crm_base_url=sandbox.url if crm else None,
            crm_api_key=sandbox.keys.crm_api_key if crm else None,
        )
        with db.transaction() as session:
            update_options(
                session,
                "freshchat",
                {
                    "ai_agent_id": ids["ai_agent"],
                    "escalation_group_id": ids["group"],
                    "channel_id": ids["channel"],
                    **options,
                },
            )
            do_set_product_setting(session, "office_hours", {"always": True})
            do_activate_workflow(session, default_workflow())
    finally:
        db.dispose()


@contextmanager
def serve_stack(
    root: Path, sandbox: RunningSandbox, settings: Settings, *, port: int = 0
) -> Iterator[Stack]:
    """Run relaydesk (already prepared in root) and point the sandbox's webhooks at it."""
    app = create_app(settings)
    server = ThreadServer(app, port)
    url = server.start()
    httpx.post(
        f"{sandbox.url}/_sandbox/freshchat/webhook", json={"url": url + "/webhooks/freshchat"}
    )
    try:
        yield Stack(url, app, app.state.db, settings, sandbox, freshchat_ids(sandbox))
    finally:
        server.stop()


@contextmanager
def running_stack(
    root: Path,
    sandbox: RunningSandbox,
    *,
    settings: dict[str, Any] | None = None,
    crm: bool = False,
    **options: Any,
) -> Iterator[Stack]:
    """Prepare relaydesk in root and run it against sandbox."""
    built = build_settings(root, **(settings or {}))
    prepare(root, sandbox, built, crm=crm, **options)
    with serve_stack(root, sandbox, built) as stack:
        yield stack


T = TypeVar("T")


class SimulatedKill(BaseException):
    """The process died here."""


@dataclass
class KillingContext(JobContext):
    """A job context that 'dies' the first time a transaction named kill_at would commit."""

    kill_at: str = ""
    killed: list[str] = field(default_factory=list)

    async def in_transaction(self, fn: Callable[[Session], T]) -> T:
        if fn.__name__ == self.kill_at and not self.killed:
            self.killed.append(fn.__name__)
            raise SimulatedKill(fn.__name__)
        return await super().in_transaction(fn)
