"""The messenger widget in Debian's Chromium, embedded in a shop page on another origin."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from relaydesk.conversations.actions import do_append_message, do_publish_typing, do_resolve
from relaydesk.conversations.queries import get_conversation
from tests.browser.conftest import HELP, Relaydesk, Site, sign_user_jwt

pytestmark = pytest.mark.browser

READY = "window.relaydesk && window.relaydesk.state === 'ready'"


def open_widget(page: Page, url: str) -> None:
    """Load a site page, open the panel and wait for the workflow's welcome."""
    page.goto(url)
    page.wait_for_function(READY)
    page.get_by_role("button", name="Open chat").click()
    expect(page.locator(".rd-msg--ai").first).to_be_visible()
    expect(page.get_by_label("Message")).to_be_focused()


def send(page: Page, text: str) -> None:
    """Type a message in the composer and press Enter."""
    composer = page.locator("#rd-input")
    composer.fill(text)
    composer.press("Enter")


def stored(page: Page, relaydesk: Relaydesk) -> dict[str, Any]:
    """Return what the widget keeps in localStorage (token, conversation id)."""
    raw = page.evaluate(f"localStorage.getItem('relaydesk:v1:{relaydesk.url}')")
    return dict(json.loads(raw)) if raw else {}


def conversation_id(page: Page, relaydesk: Relaydesk) -> str:
    """Return the id of the conversation the widget shows."""
    page.wait_for_function(
        f"(JSON.parse(localStorage.getItem('relaydesk:v1:{relaydesk.url}') || '{{}}')).conversationId"
    )
    return str(stored(page, relaydesk)["conversationId"])


def agent_writes(relaydesk: Relaydesk, conv_id: str, text: str, *, source_id: str) -> None:
    """Append an agent's reply server-side, as the Freshchat webhook does."""
    with relaydesk.db.transaction() as session:
        conversation = get_conversation(session, conv_id)
        do_append_message(
            session,
            conversation,
            author="agent",
            text=text,
            agent_id="fc-agent-1",
            source_id=source_id,
        )


def stream_connected(relaydesk: Relaydesk, conv_id: str, count: int = 1) -> None:
    """Wait until the server holds count live streams for the conversation."""
    deadline = time.monotonic() + 15
    while relaydesk.app.state.hub.subscriber_count(conv_id) != count:
        assert time.monotonic() < deadline, "the widget's stream did not (dis)connect"
        time.sleep(0.05)


def wait_for_stream_attempts(page: Page, opened: list[str], count: int) -> None:
    """Wait until the widget has tried to open its stream count times (refused tries count).

    Its reconnect timer fires when the page gets to it, later on a loaded machine: a fixed
    wait may end before the first try."""
    deadline = time.monotonic() + 30
    while len(opened) < count:
        assert time.monotonic() < deadline, opened
        page.wait_for_timeout(50)  # (lets the stream's route handler run meanwhile)


def test_question_gets_an_answer_with_its_source(
    page: Page, site: Site, relaydesk: Relaydesk, screenshots: Path
) -> None:
    open_widget(page, site.page())
    send(page, "How do I reset my password?")
    source = page.get_by_role("link", name="Reset your password")
    expect(source).to_be_visible()
    expect(source).to_have_attribute("href", f"{HELP}/reset-your-password")
    expect(source).to_have_attribute("target", "_blank")
    expect(source).to_have_attribute("rel", "noopener")
    expect(page.locator(".rd-msg--visitor .rd-bubble")).to_have_text(
        ["How do I reset my password?"]
    )
    expect(page.get_by_role("button", name="Yes")).to_be_visible()
    expect(page.locator(".rd-typing")).to_be_hidden()
    page.screenshot(path=str(screenshots / "widget-answer.png"))


def test_asking_for_a_human_offers_ticket_or_agent_and_hands_off(
    page: Page, site: Site, relaydesk: Relaydesk, screenshots: Path
) -> None:
    open_widget(page, site.page())
    send(page, "I want to talk to a human")
    ticket = page.get_by_role("button", name="Create a ticket")
    human = page.get_by_role("button", name="Human agent")
    expect(ticket).to_be_visible()
    expect(human).to_be_visible()
    human.click()
    expect(page.locator(".rd-msg--visitor .rd-bubble").last).to_have_text("Human agent")
    expect(page.locator(".rd-status")).to_have_text("You are chatting with our support team")
    expect(human).to_be_disabled()
    page.screenshot(path=str(screenshots / "widget-handoff.png"))


def test_anonymous_ticket_asks_for_an_email(page: Page, site: Site) -> None:
    open_widget(page, site.page())
    send(page, "talk to a human please")
    page.get_by_role("button", name="Create a ticket").click()
    email = page.get_by_label("Your email")
    expect(email).to_be_visible()
    expect(email).to_have_attribute("type", "email")
    expect(email).to_be_focused()
    email.fill("ana@example.com")
    email.press("Enter")
    expect(page.locator(".rd-status")).to_have_text("We opened a ticket and will reply by email")
    expect(page.get_by_label("Message")).to_have_attribute("type", "text")


def test_identified_visitor_is_not_asked_for_an_email(page: Page, site: Site) -> None:
    token = sign_user_jwt({"user_id": "u-77", "email": "lee@example.com", "name": "Lee"})
    open_widget(page, site.page(user_jwt=token))
    send(page, "can I speak to a person")
    page.get_by_role("button", name="Create a ticket").click()
    expect(page.locator(".rd-status")).to_have_text("We opened a ticket and will reply by email")
    expect(page.locator(".rd-msg--visitor .rd-bubble").last).to_have_text("Create a ticket")
    expect(page.locator("#rd-input")).to_have_attribute("type", "text")
    expect(page.get_by_label("Your email")).to_have_count(0)


def test_refused_visitor_jwt_hides_the_messenger_and_warns(page: Page, site: Site) -> None:
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    forged = sign_user_jwt({"user_id": "u-1"}, secret="not-the-identity-secret-0123456789")
    page.goto(site.page(user_jwt=forged))
    page.wait_for_function("window.relaydesk && window.relaydesk.state === 'hidden'")
    expect(page.locator(".rd-launcher")).to_have_count(0)
    assert any("visitor JWT was refused" in w for w in warnings), warnings


def test_resolved_conversation_offers_a_new_one(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    first = conversation_id(page, relaydesk)
    send(page, "What are your shipping times for standard delivery?")
    expect(page.get_by_role("link", name="Shipping times")).to_be_visible()
    page.get_by_role("button", name="Yes").click()
    restart = page.get_by_role("button", name="Start a new conversation")
    expect(restart).to_be_visible()
    expect(page.locator(".rd-composer")).to_be_hidden()
    expect(page.locator(".rd-status")).to_have_text("This conversation is resolved")
    restart.click()
    expect(page.locator(".rd-composer")).to_be_visible()
    expect(page.locator(".rd-msg--visitor")).to_have_count(0)
    expect(page.locator(".rd-msg--ai").first).to_be_visible()
    page.wait_for_function(
        f"JSON.parse(localStorage.getItem('relaydesk:v1:{relaydesk.url}')).conversationId !== '{first}'"
    )


def test_conversation_resolved_elsewhere_swaps_the_composer_live(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    with relaydesk.db.transaction() as session:
        do_resolve(session, get_conversation(session, conv_id), by="agent")
    expect(page.get_by_role("button", name="Start a new conversation")).to_be_visible()
    expect(page.locator(".rd-composer")).to_be_hidden()


def test_page_excluded_by_deploy_rules_shows_no_launcher(page: Page, site: Site) -> None:
    page.goto(site.page("/checkout/payment"))
    page.wait_for_function("window.relaydesk && window.relaydesk.state === 'hidden'")
    expect(page.locator("#relaydesk-widget")).to_have_count(0)
    expect(page.get_by_role("button", name="Open chat")).to_have_count(0)


def test_agent_reply_arrives_live_with_typing(page: Page, site: Site, relaydesk: Relaydesk) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    stream_connected(relaydesk, conv_id)
    with relaydesk.db.transaction() as session:
        do_publish_typing(session, get_conversation(session, conv_id), author="agent", on=True)
    expect(page.get_by_text("Support agent is typing…")).to_be_visible()
    agent_writes(relaydesk, conv_id, "Hi, this is Sam from support.", source_id="fc-live-1")
    expect(page.locator(".rd-msg--agent .rd-bubble")).to_have_text(
        ["Hi, this is Sam from support."]
    )
    expect(page.locator(".rd-msg--agent .rd-author")).to_have_text(["Support agent"])
    expect(page.get_by_text("Support agent is typing…")).to_be_hidden()


def test_messages_arriving_while_closed_show_an_unread_badge(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    page.keyboard.press("Escape")
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_focused()
    stream_connected(relaydesk, conv_id)
    agent_writes(relaydesk, conv_id, "Are you still there?", source_id="fc-unread-1")
    expect(page.get_by_role("button", name="Open chat (1 unread)")).to_be_visible()
    page.get_by_role("button", name="Open chat (1 unread)").click()
    expect(page.get_by_text("Are you still there?")).to_be_visible()
    expect(page.locator(".rd-badge")).to_be_hidden()


def test_reload_keeps_the_conversation(page: Page, site: Site, relaydesk: Relaydesk) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    send(page, "Can I change my plan?")
    expect(page.get_by_role("link", name="Change your plan")).to_be_visible()
    before = page.locator(".rd-msg").count()
    page.reload()
    page.wait_for_function(READY)
    # the panel was open, so it opens again, with the same messages and nothing twice
    expect(page.locator(".rd-panel")).to_be_visible()
    expect(page.get_by_role("link", name="Change your plan")).to_be_visible()
    expect(page.locator(".rd-msg")).to_have_count(before)
    assert conversation_id(page, relaydesk) == conv_id
    page.goto(site.page("/shop/other"))
    page.wait_for_function(READY)
    expect(page.get_by_text("Can I change my plan?")).to_have_count(1)


def test_a_new_conversation_carries_the_browser_s_language(
    browser: Browser, site: Site, relaydesk: Relaydesk
) -> None:
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        open_widget(page, site.page())
        conv_id = conversation_id(page, relaydesk)
    finally:
        context.close()
    with relaydesk.db.session() as session:
        assert get_conversation(session, conv_id).language == "de-DE"  # for language branches


def test_html_in_messages_is_shown_as_text(page: Page, site: Site, relaydesk: Relaydesk) -> None:
    page.add_init_script("window.__pwned = 0")
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    attack = '<img src=x onerror="window.__pwned=1"><b>bold</b>'
    send(page, attack)
    expect(page.locator(".rd-msg--visitor .rd-bubble")).to_have_text([attack])
    agent_writes(
        relaydesk,
        conv_id,
        '<script>window.__pwned=2</script><a href="javascript:window.__pwned=3">x</a>',
        source_id="fc-html-1",
    )
    expect(page.get_by_text("<script>window.__pwned=2</script>", exact=False)).to_be_visible()
    injected = page.evaluate(
        "document.getElementById('relaydesk-widget').shadowRoot"
        ".querySelectorAll('.rd-log img, .rd-log script, .rd-log b, .rd-log a[href^=javascript]').length"
    )
    assert injected == 0
    assert page.evaluate("window.__pwned") == 0


def test_stream_reconnects_and_replays_without_loss_or_duplicates(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    opened: list[str] = []
    live: list[WebSocketRoute] = []
    state = {"down": False}

    def route(ws: WebSocketRoute) -> None:
        opened.append(ws.url)
        if state["down"]:
            ws.close(code=1011, reason="server restarting")
            return
        ws.connect_to_server()
        live.append(ws)

    page.route_web_socket("**/messenger/v1/conversations/*/stream*", route)
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    stream_connected(relaydesk, conv_id)
    agent_writes(relaydesk, conv_id, "first, live", source_id="fc-drop-1")
    expect(page.get_by_text("first, live")).to_be_visible()

    state["down"] = True
    live[-1].close(code=1012, reason="restart")  # the page's side only: the server keeps its end
    wait_for_stream_attempts(page, opened, 2)  # at least one refused reconnect
    agent_writes(relaydesk, conv_id, "second, while disconnected", source_id="fc-drop-2")
    state["down"] = False
    expect(page.get_by_text("second, while disconnected")).to_be_visible(timeout=20_000)
    agent_writes(relaydesk, conv_id, "third, live again", source_id="fc-drop-3")
    expect(page.get_by_text("third, live again")).to_be_visible()
    for text in ("first, live", "second, while disconnected", "third, live again"):
        expect(page.get_by_text(text)).to_have_count(1)
    assert len(opened) >= 3
    assert all("after=" in url for url in opened[1:]), opened


def test_phone_viewport_is_full_screen_and_keyboard_operable(page: Page, site: Site) -> None:
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(site.page())
    page.wait_for_function(READY)
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_visible()  # hidden, so not tabbable, until its stylesheet is in
    page.keyboard.press("Tab")  # the page's own link
    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Support")
    expect(panel).to_be_visible()
    expect(page.get_by_label("Message")).to_be_focused()
    box = panel.bounding_box()
    assert box is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 667)
    expect(page.locator(".rd-launcher")).to_be_hidden()
    page.keyboard.type("What is your refund policy?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Refund policy")).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()


def test_demo_page_embeds_the_widget_from_its_own_origin(page: Page, relaydesk: Relaydesk) -> None:
    page.goto(relaydesk.url + "/")
    page.wait_for_function(READY)
    expect(page.get_by_role("heading", name="Try the support assistant")).to_be_visible()
    expect(page.get_by_role("link", name="sandbox inbox", exact=True)).to_have_attribute(
        "href", "http://127.0.0.1:9/_sandbox/"
    )
    page.get_by_role("button", name="Open the chat").click()
    expect(page.get_by_role("dialog", name="Pebble Coffee support")).to_be_visible()
    send(page, "How do I reset my password?")
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()


def test_reply_refused_as_closed_offers_a_new_conversation(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    # The stream never connects, so the widget learns of the resolve only from the 409.
    page.route_web_socket("**/stream*", lambda ws: None)
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    with relaydesk.db.transaction() as session:
        do_resolve(session, get_conversation(session, conv_id), by="agent")
    send(page, "Hello? Anyone there?")
    expect(
        page.get_by_text("This conversation is closed, so that message was not sent.")
    ).to_be_visible()
    expect(page.locator(".rd-msg--failed .rd-bubble")).to_have_text("Hello? Anyone there?")
    restart = page.get_by_role("button", name="Start a new conversation")
    expect(restart).to_be_focused()
    restart.click()
    expect(page.locator(".rd-composer")).to_be_visible()
    expect(page.locator(".rd-msg--failed")).to_have_count(0)


def test_identify_and_logout_switch_the_visitor(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    anonymous = stored(page, relaydesk)["token"]
    token = sign_user_jwt({"user_id": "u-spa", "email": "spa@example.com", "name": "Sam"})
    page.evaluate("jwt => window.relaydesk('identify', jwt)", token)
    page.wait_for_function(READY)
    assert stored(page, relaydesk)["identity"] == "user:u-spa"
    assert stored(page, relaydesk)["token"] != anonymous
    page.evaluate("window.relaydesk('open')")
    send(page, "I need to talk to a person")
    page.get_by_role("button", name="Create a ticket").click()
    expect(page.locator(".rd-status")).to_have_text("We opened a ticket and will reply by email")
    expect(page.get_by_label("Your email")).to_have_count(0)
    page.evaluate("window.relaydesk('logout')")
    page.wait_for_function(READY)
    assert stored(page, relaydesk)["identity"] == "anon"
    page.get_by_role("button", name="Open chat").click()
    expect(page.locator(".rd-msg--visitor")).to_have_count(0)
