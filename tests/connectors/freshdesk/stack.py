"""The whole of relaydesk on a real port, with the sandbox as Freshdesk and a real SMTP server.

``Stack`` runs ``create_app`` under uvicorn in a thread (in-process job worker on), with a
small knowledge base, Freshdesk connected and configured against the sandbox, and SMTP
pointed at an aiosmtpd server. ``Visitor`` drives the messenger HTTP API like the widget does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt

from relaydesk.app import create_app
from relaydesk.config.actions import do_set_product_setting
from relaydesk.connectors.connections import update_options
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.connectors.freshdesk.connect import store_connection
from relaydesk.connectors.freshdesk.mapping import FieldMap
from relaydesk.db.base import utcnow
from relaydesk.db.engine import Database
from relaydesk.knowledge import import_articles, load_embedder
from relaydesk.sandbox.server import RunningSandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.validation import validate_workflow
from tests.connectors.servers import ThreadServer
from tests.messenger_visitor import MessengerVisitor
from tests.smtp import Inbox

IDENTITY_SECRET = "freshdesk-e2e-identity-secret-0123456789abcdef"
PAGE = "https://shop.example.com/help"
ARTICLE = """---
title: Reset your password
url: https://help.example.com/articles/reset-your-password
---
# Reset your password

If you forgot your password, open the sign-in page and choose Forgot password. Enter the
email address of your account and we send you a reset link. The link works for 30 minutes.
"""


def hybrid_workflow(*, verify_email: bool) -> dict[str, Any]:
    """The seed's hybrid path, with the ticket block's verify_email setting given."""
    return {
        "version": 1,
        "name": f"hybrid verify={verify_email}",
        "start": "welcome",
        "blocks": [
            {"id": "welcome", "type": "message", "text": "Hi! Ask me anything.", "next": "ai"},
            {"id": "ai", "type": "ai", "on_unresolved": "offer"},
            {
                "id": "offer",
                "type": "branch",
                "text": "How would you like to continue?",
                "buttons": [
                    {"id": "ticket", "label": "Create a ticket", "next": "ticket"},
                    {"id": "human", "label": "Human agent", "next": "human"},
                ],
            },
            {"id": "ticket", "type": "handoff_freshdesk_ticket", "verify_email": verify_email},
            {"id": "human", "type": "handoff_freshchat"},
        ],
    }


@dataclass
class Clock:
    """Real time plus an offset the test moves forward (the workflow engine's clock)."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@dataclass
class Stack:
    """relaydesk running against the sandbox and the SMTP server."""

    url: str
    app: Any
    db: Database
    settings: Settings
    sandbox: RunningSandbox
    smtp: Inbox
    clock: Clock
    group_id: int
    config: FreshdeskConfig

    def use_workflow(self, *, verify_email: bool) -> None:
        """Make new conversations run the hybrid workflow with this verify_email setting."""
        with self.db.transaction() as session:
            do_activate_workflow(
                session, validate_workflow(hybrid_workflow(verify_email=verify_email))
            )

    def tickets(self) -> list[dict[str, Any]]:
        """Return the sandbox's Freshdesk tickets."""
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        return list(state["freshdesk"]["tickets"])

    def ticket_posts(self) -> list[dict[str, Any]]:
        """Return the sandbox's log of ticket-create calls (any status)."""
        state = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        return [
            c
            for c in state["calls"]
            if c["system"] == "freshdesk"
            and c["method"] == "POST"
            and c["path"].endswith("/tickets")
        ]

    def wake_worker(self) -> None:
        service = self.app.state.worker
        if service is not None:
            service.worker.wake()


class Visitor(MessengerVisitor):
    """A visitor using the messenger HTTP API, as the widget would."""

    def __init__(self, stack: Stack, user_jwt: str | None = None) -> None:
        self.stack = stack
        super().__init__(stack.url, page_url=PAGE, user_jwt=user_jwt)

    def send(self, **body: str) -> list[dict[str, Any]]:
        """Send text= or button_id=; return the replies (not the visitor's own message)."""
        return [m for m in self.post(**body) if m["author"] != "visitor"]

    def wait_for_text(self, needle: str, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until a message containing needle appears; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self.conversation()["messages"]:
                if needle in m["text"]:
                    return m
            self.stack.wake_worker()
            time.sleep(0.1)
        raise AssertionError(f"no message with {needle!r}; got {self.texts()}")


def sign_user_jwt(claims: dict[str, Any]) -> str:
    return jwt.encode(
        {"exp": int(time.time()) + 3600, **claims}, IDENTITY_SECRET, algorithm="HS256"
    )


def wait_until(
    predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition"
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def running_stack(root: Path, sandbox: RunningSandbox, smtp: Inbox) -> Iterator[Stack]:
    """Start relaydesk in root's data dir, connected to sandbox and smtp."""
    kb = root / "kb"
    kb.mkdir(parents=True, exist_ok=True)
    (kb / "reset-your-password.md").write_text(ARTICLE)
    settings = Settings(
        data_dir=root / "data",
        identity_secret=IDENTITY_SECRET,
        secret_key=None,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_from="help@shop.example.com",
        worker_enabled=True,
    )
    app = create_app(settings)
    db: Database = app.state.db
    clock = Clock()
    app.state.messenger.engine.clock = clock
    import_articles(db, kb, load_embedder(settings))
    groups = httpx.get(
        f"{sandbox.url}/api/v2/groups", auth=(sandbox.keys["freshdesk_api_key"], "X")
    ).json()
    support = next(g["id"] for g in groups if g["name"] == "Support")
    config = FreshdeskConfig(
        group_id=support,
        priority=2,
        status=2,
        source=7,
        tags=["relaydesk", "chat"],
        field_mapping=[
            FieldMap(field="cf_plan", attribute="plan"),
            FieldMap(field="cf_account_id", attribute="account_id"),
            FieldMap(field="cf_seats", attribute="seats"),
        ],
    )
    with db.transaction() as session:
        store_connection(
            session,
            load_secret_box(settings),
            base_url=sandbox.url,
            api_key=sandbox.keys["freshdesk_api_key"],
        )
        update_options(session, "freshdesk", config.to_options())
        do_set_product_setting(session, "office_hours", {"always": True})
    server = ThreadServer(app)
    url = server.start()
    try:
        yield Stack(url, app, db, settings, sandbox, smtp, clock, support, config)
    finally:
        server.stop()
