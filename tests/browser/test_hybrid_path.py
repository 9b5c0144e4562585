"""The seed's hybrid path in the widget, in Debian's Chromium, against the sandbox and SMTP.

relaydesk runs with its job worker, Freshdesk and Freshchat connected to the sandbox, SMTP
pointed at an aiosmtpd server, and the default workflow with the ticket block's email
verification on. After the AI's answer did not help, the visitor picks "Create a ticket"
(email → one-time code → ticket #N) or "Human agent" (a Freshchat conversation, whose agent's
reply comes back into the widget).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from playwright.sync_api import Page, expect

from relaydesk.app import create_app
from relaydesk.config.actions import do_set_product_setting
from relaydesk.connectors.connections import update_options
from relaydesk.connectors.freshchat.setup import configure_freshchat, connect_freshchat
from relaydesk.connectors.freshdesk.config import FreshdeskConfig
from relaydesk.connectors.freshdesk.connect import store_connection
from relaydesk.db.engine import Database
from relaydesk.knowledge import import_articles, load_embedder
from relaydesk.sandbox.server import RunningSandbox, start_sandbox
from relaydesk.security.secrets import load_secret_box
from relaydesk.settings import Settings
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.default import DEFAULT_PATH
from relaydesk.workflows.validation import validate_workflow
from tests.browser.conftest import ARTICLES, IDENTITY_SECRET, ServerThread, site_app
from tests.smtp import Inbox, running_smtp_server

pytestmark = pytest.mark.browser

READY = "window.relaydesk && window.relaydesk.state === 'ready'"


@dataclass
class Hybrid:
    """relaydesk, the shop site, the sandbox and the SMTP server, all running."""

    url: str
    site: str
    db: Database
    sandbox: RunningSandbox
    smtp: Inbox

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(f"{self.sandbox.url}/_sandbox/state").json()
        return data


def _connect(settings: Settings, db: Database, sandbox: RunningSandbox) -> None:
    box = load_secret_box(settings)
    keys = sandbox.keys
    groups = httpx.get(f"{sandbox.url}/api/v2/groups", auth=(keys["freshdesk_api_key"], "X")).json()
    with db.transaction() as session:
        store_connection(session, box, base_url=sandbox.url, api_key=keys["freshdesk_api_key"])
        support = next(g["id"] for g in groups if g["name"] == "Support")
        update_options(session, "freshdesk", FreshdeskConfig(group_id=support).to_options())

    async def freshchat() -> None:
        await connect_freshchat(
            db,
            box,
            base_url=sandbox.url,
            api_key=keys["freshchat_api_key"],
            webhook_public_key=keys["webhook_public_key_pem"],
        )
        state = httpx.get(f"{sandbox.url}/_sandbox/state").json()["freshchat"]
        agent = next(a["id"] for a in state["agents"] if a["email"] == "ai-agent@example.com")
        group = next(g["id"] for g in state["groups"] if g["name"] == "Support")
        channel = next(c["id"] for c in state["channels"] if c["name"] == "Support")
        await configure_freshchat(
            db, box, {"ai_agent_id": agent, "escalation_group_id": group, "channel_id": channel}
        )

    # Playwright's sync API keeps an event loop running in this thread: use another one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, freshchat()).result()


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hybrid]:
    root = tmp_path_factory.mktemp("hybrid")
    kb = root / "kb"
    kb.mkdir()
    for slug, text in ARTICLES.items():
        (kb / f"{slug}.md").write_text(text)
    with running_smtp_server() as smtp, start_sandbox(port=0) as sandbox:
        settings = Settings(
            data_dir=root / "data",
            identity_secret=IDENTITY_SECRET,
            secret_key=None,
            smtp_host=smtp.host,
            smtp_port=smtp.port,
            worker_enabled=True,
        )
        app = create_app(settings)
        db: Database = app.state.db
        import_articles(db, kb, load_embedder(settings))
        document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
        for block in document["blocks"]:
            if block["type"] == "handoff_freshdesk_ticket":
                block["verify_email"] = True
        with db.transaction() as session:
            do_activate_workflow(session, validate_workflow(document))
            do_set_product_setting(session, "office_hours", {"always": True})
        _connect(settings, db, sandbox)
        with ServerThread(app) as server, ServerThread(site_app(server.url)) as site:
            httpx.post(
                f"{sandbox.url}/_sandbox/freshchat/webhook",
                json={"url": f"{server.url}/webhooks/freshchat"},
            ).raise_for_status()
            yield Hybrid(url=server.url, site=f"{site.url}/shop", db=db, sandbox=sandbox, smtp=smtp)


def open_and_ask(page: Page, hybrid: Hybrid) -> None:
    """Open the widget, get an answer with its source, say it did not help: the two choices."""
    page.goto(hybrid.site)
    page.wait_for_function(READY)
    page.get_by_role("button", name="Open chat").click()
    expect(page.locator(".rd-msg--ai").first).to_be_visible()
    composer = page.locator("#rd-input")
    composer.fill("How do I reset my password?")
    composer.press("Enter")
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()
    page.get_by_role("button", name="No").click()
    expect(page.get_by_role("button", name="Create a ticket")).to_be_visible()
    expect(page.get_by_role("button", name="Human agent")).to_be_visible()


def test_ticket_branch_verifies_the_email_then_shows_the_ticket_number(
    page: Page, hybrid: Hybrid, screenshots: Path
) -> None:
    open_and_ask(page, hybrid)
    page.get_by_role("button", name="Create a ticket").click()
    email = page.get_by_label("Your email")
    expect(email).to_be_visible()
    email.fill("web.visitor@example.com")
    email.press("Enter")
    code_box = page.get_by_label("6-digit code")
    expect(code_box).to_be_visible()
    expect(code_box).to_have_attribute("autocomplete", "one-time-code")
    expect(code_box).to_have_attribute("inputmode", "numeric")
    expect(page.get_by_role("button", name="Send a new code")).to_be_visible()
    code = hybrid.smtp.last_code("web.visitor@example.com")
    wrong = "000000" if code != "000000" else "111111"
    code_box.fill(wrong)
    code_box.press("Enter")
    expect(page.get_by_text("That code isn't right. You have 4 attempts left.")).to_be_visible()
    code_box = page.get_by_label("6-digit code")
    code_box.fill(code)
    code_box.press("Enter")
    expect(page.get_by_text("Thanks, your email is confirmed.")).to_be_visible()
    expect(page.locator(".rd-status")).to_have_text("We opened a ticket and will reply by email")
    notice = page.get_by_text(re.compile(r"Your ticket #\d+ has been created"))
    expect(notice).to_be_visible(timeout=20_000)
    number = int(re.search(r"#(\d+)", notice.inner_text()).group(1))  # type: ignore[union-attr]
    tickets = hybrid.state()["freshdesk"]["tickets"]
    (ticket,) = [t for t in tickets if t["id"] == number]
    assert ticket["subject"] == "How do I reset my password?"
    assert "reset-your-password" in ticket["description"] and code not in ticket["description"]
    page.screenshot(path=str(screenshots / "widget-ticket.png"))


def test_human_branch_reaches_freshchat_and_the_agent_replies(page: Page, hybrid: Hybrid) -> None:
    open_and_ask(page, hybrid)
    page.get_by_role("button", name="Human agent").click()
    expect(page.locator(".rd-status")).to_have_text("You are chatting with our support team")

    def freshchat_conversation() -> dict[str, Any] | None:
        for conv in hybrid.state()["freshchat"]["conversations"]:
            texts = [
                p.get("text", {}).get("content", "")
                for m in conv.get("messages", [])
                for p in m.get("message_parts", [])
            ]
            if "How do I reset my password?" in texts:
                return dict(conv)
        return None

    found = None
    for _ in range(200):  # the worker's handoff job creates it
        found = freshchat_conversation()
        if found is not None:
            break
        page.wait_for_timeout(100)
    assert found is not None, "no Freshchat conversation with the transcript"
    transcript = [
        p.get("text", {}).get("content", "")
        for m in found.get("messages", [])
        for p in m.get("message_parts", [])
    ]
    assert any("Forgot password" in t for t in transcript), transcript  # the AI's answer too
    reply = httpx.post(
        f"{hybrid.sandbox.url}/_sandbox/freshchat/conversations/{found['conversation_id']}/reply",
        json={"text": "Hi, Alex here. Let me look at your account."},
    )
    reply.raise_for_status()
    expect(page.get_by_text("Hi, Alex here. Let me look at your account.")).to_be_visible(
        timeout=20_000
    )
