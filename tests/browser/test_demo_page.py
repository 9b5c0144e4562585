"""The demo as a person tries it: the demo page's messenger and the sandbox's agent inbox.

Starts `relaydesk demo` as a subprocess, chats on the demo page in Chromium, hands off to a
human, replies as the agent from the sandbox's inbox page in a second tab, and sees the reply
arrive in the messenger. Saves the README tour's screenshots to docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.demo_process import Demo, demo_ports, running_demo

__all__ = ["demo_ports", "running_demo"]  # fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_demo_page_to_agent_reply(browser: Browser, running_demo: Demo) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    shop = context.new_page()
    shop.goto(f"{running_demo.url}/")
    shop.get_by_role("button", name="Open chat").click()
    composer = shop.get_by_label("Message")
    composer.fill("How much does international shipping to the USA cost?")
    composer.press("Enter")
    expect(shop.get_by_role("link", name="International shipping")).to_be_visible(timeout=60_000)
    shop.screenshot(path=str(SCREENSHOTS / "demo-answer.png"))

    composer.fill("this isn't helping, I want to talk to a human")
    composer.press("Enter")
    shop.get_by_role("button", name="Human agent").click()
    expect(shop.locator(".rd-status")).to_have_text(
        "You are chatting with our support team", timeout=30_000
    )

    inbox = context.new_page()
    inbox.goto(f"{running_demo.sandbox_url}/_sandbox/")
    inbox.locator("a[href*='conversation=']").first.click()
    expect(inbox.locator("#transcript")).to_contain_text(
        "How much does international shipping to the USA cost?", timeout=30_000
    )
    expect(inbox.locator("#transcript")).to_contain_text("I want to talk to a human")
    inbox.fill("#reply-text", "Hi, I'm Sam from Pebble. Happy to help with your US order!")
    inbox.screenshot(path=str(SCREENSHOTS / "demo-inbox.png"), full_page=True)
    inbox.click("text=Send")

    shop.bring_to_front()
    expect(shop.locator(".rd-msg--agent").last).to_contain_text(
        "Happy to help with your US order!", timeout=30_000
    )
    shop.screenshot(path=str(SCREENSHOTS / "demo-agent-reply.png"))
    context.close()
