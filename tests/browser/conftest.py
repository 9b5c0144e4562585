"""Browser tests: the real app under uvicorn in a thread, a shop page on another origin, Chromium.

One relaydesk server per test module (real SQLite file, the real agent over a small imported
knowledge base, the default workflow, office hours always open, deploy rules that exclude the
checkout, "prevent replies to closed conversations" on, the demo page at ``/``) and one "site" server whose
pages embed the one-line snippet. Each test gets a fresh browser context from
pytest-playwright's ``page`` fixture, so its localStorage starts empty.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from playwright.sync_api import expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from relaydesk.app import create_app
from relaydesk.config.actions import do_set_product_setting
from relaydesk.db.engine import Database
from relaydesk.demo.page import install_demo_page
from relaydesk.knowledge import import_articles, load_embedder
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_install_default_workflow

pytestmark = pytest.mark.browser

# Playwright's assertions give up after 5 s by default: a loaded 2-core CI machine can take
# longer for an answer to arrive. 10 s, not more: the widget hides a typing indicator by itself
# after 15 s, and the typing tests must still see it go because of the message.
expect.set_options(timeout=10_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDENTITY_SECRET = "browser-test-identity-secret-0123456789abcdef"
HELP = "https://help.example.com/articles"

ARTICLES = {
    "reset-your-password": f"""---
title: Reset your password
url: {HELP}/reset-your-password
---
# Reset your password

If you forgot your password, open the sign-in page and choose **Forgot password**. Enter the
email address of your account and we send you a reset link. The link works for 30 minutes.
Open it, choose a new password of at least 10 characters, and sign in again.

If the email does not arrive within five minutes, check your spam folder.
""",
    "shipping-times": f"""---
title: Shipping times
url: {HELP}/shipping-times
---
# Shipping times

Orders placed before 2 pm ship the same working day. Standard delivery takes 2 to 4 working
days; express delivery arrives the next working day. You get a tracking link by email as soon
as the parcel leaves our warehouse.
""",
    "refund-policy": f"""---
title: Refund policy
url: {HELP}/refund-policy
---
# Refund policy

You can return any unused item within 30 days of delivery for a full refund. Start a return
from the Orders page; refunds reach your card within 5 working days after the return arrives.
""",
    "change-your-plan": f"""---
title: Change your plan
url: {HELP}/change-your-plan
---
# Change your plan

Upgrade or downgrade your subscription plan at any time under Settings, then Billing. An
upgrade takes effect at once and is charged pro rata; a downgrade starts with the next
billing period.
""",
}


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> int:
    deadline = time.monotonic() + 180  # start-up loads the agent
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return int(server.servers[0].sockets[0].getsockname()[1])


@dataclass
class ServerThread:
    """A uvicorn server on 127.0.0.1 and a free port, in a daemon thread."""

    app: Any
    port: int = 0

    def __post_init__(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        self.port = _wait_started(self.server, self.thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Relaydesk:
    """The running relaydesk: its URL, database and settings."""

    url: str
    db: Database
    settings: Settings
    app: Any


@dataclass
class Site:
    """The customer's site: pages that embed the snippet, on an origin of their own."""

    url: str
    api: str

    def page(self, path: str = "/shop", *, user_jwt: str | None = None) -> str:
        """Return the address of a site page (optionally for a logged-in visitor)."""
        query = f"?jwt={user_jwt}" if user_jwt else ""
        return f"{self.url}{path}{query}"


def site_app(api: str) -> Starlette:
    """Build the customer's site: any path is a product page embedding the snippet."""

    async def page(request: Request) -> HTMLResponse:
        token = request.query_params.get("jwt")
        identity = f' data-user-jwt="{html.escape(token)}"' if token else ""
        body = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Lumen Lamps — {html.escape(request.url.path)}</title>
  <style>body {{ font-family: Georgia, serif; margin: 2rem; color: #222; }}
  button {{ background: red; }} .rd-launcher {{ display: none; }}</style>
</head>
<body>
  <h1>Lumen Lamps</h1>
  <p>Hand-made desk lamps, shipped in two days.</p>
  <a href="/shop/other">Another page</a>
  <script src="{api}/widget.js" data-relaydesk{identity} async></script>
</body>
</html>"""
        return HTMLResponse(body)

    return Starlette(routes=[Route("/{path:path}", page)])


def sign_user_jwt(claims: dict[str, Any], secret: str = IDENTITY_SECRET) -> str:
    """Return a site-signed visitor JWT (HS256), valid for an hour."""
    return jwt.encode({"exp": int(time.time()) + 3600, **claims}, secret, algorithm="HS256")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium (Playwright's own browsers are never downloaded)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def relaydesk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Relaydesk]:
    """Run the whole app on a free port: real SQLite, the agent over an imported KB."""
    root = tmp_path_factory.mktemp("relaydesk")
    kb = root / "kb"
    kb.mkdir()
    for slug, text in ARTICLES.items():
        (kb / f"{slug}.md").write_text(text)
    settings = Settings(
        data_dir=root / "data",
        identity_secret=IDENTITY_SECRET,
        secret_key=None,
        worker_enabled=False,
        # The real agent over the cheap deterministic embedder: the packaged MiniLM model
        # costs a minute of exemplar embedding on a fresh data dir, and the widget is under test.
        embedding_backend="hashing",
    )
    app = create_app(settings)
    install_demo_page(app, inbox_url="http://127.0.0.1:9/_sandbox/")
    db: Database = app.state.db
    import_articles(db, kb, load_embedder(settings))
    with db.transaction() as session:
        do_install_default_workflow(session)
        do_set_product_setting(session, "office_hours", {"always": True})
        do_set_product_setting(session, "deploy_rules", {"exclude": ["*/checkout*"]})
        do_set_product_setting(session, "prevent_replies_when_closed", True)
    with ServerThread(app) as server:
        warm_up(server.url)
        yield Relaydesk(url=server.url, db=db, settings=settings, app=app)


def warm_up(url: str) -> None:
    """Ask one question through the public API, so the agent is loaded before the tests."""
    with httpx.Client(base_url=f"{url}/messenger/v1", timeout=60) as client:
        session = client.post("/sessions", json={"page_url": "https://warm.up/"})
        session.raise_for_status()
        headers = {"Authorization": f"Bearer {session.json()['visitor_token']}"}
        conversation = client.post("/conversations", headers=headers).raise_for_status().json()
        reply = client.post(
            f"/conversations/{conversation['id']}/messages",
            headers=headers,
            json={"text": "How do I reset my password?"},
        )
        reply.raise_for_status()


@pytest.fixture(scope="module")
def site(relaydesk: Relaydesk) -> Iterator[Site]:
    """Serve the customer's site on its own origin."""
    with ServerThread(site_app(relaydesk.url)) as server:
        yield Site(url=server.url, api=relaydesk.url)


@pytest.fixture
def screenshots() -> Path:
    """The folder the README's tour takes its screenshots from."""
    folder = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
