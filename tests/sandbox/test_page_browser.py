"""Play the live agent in Debian's Chromium: reply from the sandbox page, see the webhook."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.sandbox.receiver import WebhookReceiver

pytestmark = pytest.mark.browser


def test_reply_and_resolve_from_the_page(
    page: Page, control: httpx.Client, receiver: WebhookReceiver, sandbox: object
) -> None:
    control.post("/_sandbox/freshchat/webhook", json={"url": receiver.url})
    cid = control.post(
        "/_sandbox/freshchat/user-message",
        json={"channel_id": "Support", "email": "kim@example.com", "text": "I need a human"},
    ).json()["conversation_id"]
    page.goto(f"{control.base_url}/_sandbox/")
    expect(page.locator("#transcript")).to_contain_text("I need a human")
    page.fill("#reply-text", "Hello Kim, Alex here")
    page.click("text=Send")
    expect(page.locator("#transcript")).to_contain_text("Hello Kim, Alex here")
    reply = json.loads(receiver.wait_for(2)[1].body)
    assert reply["action"] == "message_create"
    assert reply["data"]["message"]["conversation_id"] == cid
    assert reply["data"]["message"]["message_parts"][0]["text"]["content"] == "Hello Kim, Alex here"
    assert reply["actor"]["actor_type"] == "agent"
    control.post(
        "/_sandbox/freshchat/user-message", json={"conversation_id": cid, "text": "Thanks Alex!"}
    )
    expect(page.locator("#transcript")).to_contain_text("Thanks Alex!", timeout=10_000)
    page.click("button:has-text('Resolve')")
    expect(page.locator("#conversation-status")).to_have_text("resolved")
    assert json.loads(receiver.wait_for(4)[3].body)["action"] == "conversation_resolution"


def test_a_click_is_not_lost_to_the_inbox_refresh(
    page: Page, control: httpx.Client, sandbox: object
) -> None:
    # The inbox reloads itself every 4 s. A reload that came just after a click on Resolve
    # replaced the form's pending submission: the click was lost (a loaded machine made the
    # browser test flaky). Here the refresh comes at once, in the same task as the click.
    cid = control.post(
        "/_sandbox/freshchat/user-message",
        json={"channel_id": "Support", "email": "kim@example.com", "text": "I need a human"},
    ).json()["conversation_id"]
    page.goto(f"{control.base_url}/_sandbox/?conversation={cid}")
    expect(page.locator("#conversation-status")).to_have_text("new")
    page.evaluate(
        """() => {
            const resolve = [...document.querySelectorAll("form.inline")]
                .find((form) => form.action.endsWith("/resolve"));
            resolve.requestSubmit();
            window.sandboxRefresh();
        }"""
    )
    expect(page.locator("#conversation-status")).to_have_text("resolved")
