"""The widget's harder promises in Debian's Chromium: a server-side drop with messages in the
gap, markup in every field the widget renders, a phone-sized screen, the keyboard and the
screen-reader semantics, and the typing indicator while an answer is on its way."""

from __future__ import annotations

import time
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, Route, WebSocketRoute, expect

from relaydesk.conversations.actions import do_append_message, do_resolve
from relaydesk.conversations.queries import get_conversation
from relaydesk.workflows.actions import do_activate_workflow
from relaydesk.workflows.default import DEFAULT_PATH, default_workflow
from relaydesk.workflows.validation import validate_workflow
from tests.browser.conftest import Relaydesk, Site, sign_user_jwt
from tests.browser.test_widget import (
    READY,
    agent_writes,
    conversation_id,
    open_widget,
    send,
    stream_connected,
    wait_for_stream_attempts,
)

pytestmark = pytest.mark.browser

SHADOW = "document.getElementById('relaydesk-widget').shadowRoot"
PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def drop_streams_server_side(relaydesk: Relaydesk) -> None:
    """End every live stream from the server, as the hub does when its Redis link drops: the
    socket closes with 1013 (try again) and the widget must reconnect with ``after=``."""
    fanout = relaydesk.app.state.hub._fanout
    assert fanout.call_in_loop(fanout.interrupt_all)


def texts(page: Page) -> list[str]:
    """Return the bubbles' texts in the order they are shown."""
    return list(page.locator(".rd-msg .rd-bubble").all_inner_texts())


def focused(page: Page, script: str) -> Any:
    """Evaluate script with ``el`` bound to the element focused inside the widget."""
    return page.evaluate(f"(() => {{ const el = {SHADOW}.activeElement; return {script}; }})()")


def focus_is_visible(page: Page) -> bool:
    """Tell whether the focused control inside the widget draws a focus outline of 2px or more."""
    return bool(
        focused(
            page,
            "!!el && getComputedStyle(el).outlineStyle !== 'none' "
            "&& parseFloat(getComputedStyle(el).outlineWidth) >= 2",
        )
    )


def test_server_side_drop_with_messages_in_the_gap_shows_each_once(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    opened: list[str] = []
    state = {"down": False}

    def route(ws: WebSocketRoute) -> None:
        opened.append(ws.url)
        if state["down"]:  # the server is unreachable: every reconnect fails
            ws.close(code=1011, reason="unavailable")
            return
        ws.connect_to_server()

    page.route_web_socket("**/messenger/v1/conversations/*/stream*", route)
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    stream_connected(relaydesk, conv_id, 1)
    agent_writes(relaydesk, conv_id, "Before the drop.", source_id="gap-0")
    expect(page.get_by_text("Before the drop.")).to_be_visible()

    state["down"] = True
    drop_streams_server_side(relaydesk)
    stream_connected(relaydesk, conv_id, 0)
    agent_writes(relaydesk, conv_id, "Written during the gap.", source_id="gap-1")
    # the visitor asks meanwhile: the HTTP answer brings newer messages than the gap's
    send(page, "How do I reset my password?")
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()
    wait_for_stream_attempts(page, opened, 2)  # at least one refused reconnect
    state["down"] = False

    expect(page.get_by_text("Written during the gap.")).to_be_visible(timeout=20_000)
    stream_connected(relaydesk, conv_id, 1)
    agent_writes(relaydesk, conv_id, "Live again.", source_id="gap-2")
    expect(page.get_by_text("Live again.")).to_be_visible()
    shown = texts(page)
    for text in ("Before the drop.", "Written during the gap.", "Live again."):
        assert shown.count(text) == 1, shown
    assert shown.count("How do I reset my password?") == 1, shown
    expect(page.get_by_role("link", name="Reset your password")).to_have_count(1)
    # shown in the conversation's order, the gap's message before the question asked after it
    assert shown.index("Written during the gap.") < shown.index("How do I reset my password?")
    assert all("after=" in url for url in opened[1:]), opened


def test_reload_mid_conversation_keeps_it_and_stays_live(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    send(page, "What are your shipping times for standard delivery?")
    expect(page.get_by_role("link", name="Shipping times")).to_be_visible()
    before = texts(page)
    page.goto("about:blank")
    agent_writes(relaydesk, conv_id, "Written while you were away.", source_id="away-1")
    page.go_back()
    page.wait_for_function(READY)
    expect(page.get_by_role("dialog", name="Support")).to_be_visible()
    expect(page.get_by_text("Written while you were away.")).to_be_visible()
    assert texts(page) == [*before, "Written while you were away."]
    assert conversation_id(page, relaydesk) == conv_id
    stream_connected(relaydesk, conv_id, 1)
    agent_writes(relaydesk, conv_id, "And live after the reload.", source_id="away-2")
    expect(page.get_by_text("And live after the reload.")).to_have_count(1)
    assert texts(page) == [*before, "Written while you were away.", "And live after the reload."]


def test_markup_in_every_rendered_field_stays_text(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    page.add_init_script("window.__pwned = 0")
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    hostile_url = 'https://help.example.com/a"><img src=x onerror="window.__pwned=4">'
    with relaydesk.db.transaction() as session:
        do_append_message(
            session,
            get_conversation(session, conv_id),
            author="agent",
            text=f"Text {PAYLOAD} javascript:window.__pwned=2 <b>bold</b>",
            sources=[
                {"slug": "js", "title": f"Title {PAYLOAD}", "url": "javascript:window.__pwned=2"},
                {"slug": "data", "title": "Data URL", "url": "data:text/html,<script>x</script>"},
                {"slug": "quote", "title": "Quoted URL", "url": hostile_url},
            ],
            buttons=[
                {"id": '"><img src=x onerror="window.__pwned=5">', "label": f"Pick {PAYLOAD}"}
            ],
            input={"field": '"><svg onload="window.__pwned=6">', "label": f"Label {PAYLOAD}"},
            source_id="xss-every-field",
        )
    bubble = page.locator(".rd-msg--agent .rd-bubble")
    expect(bubble).to_have_text(f"Text {PAYLOAD} javascript:window.__pwned=2 <b>bold</b>")
    sources = page.locator(".rd-msg--agent .rd-sources li")
    expect(sources).to_have_text([f"Title {PAYLOAD}", "Data URL", "Quoted URL"])
    # only the http(s) source is a link, its address kept whole as an attribute value
    links = page.locator(".rd-msg--agent .rd-sources a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute(
        "href", "https://help.example.com/a%22%3E%3Cimg%20src=x%20onerror=%22window.__pwned=4%22%3E"
    )
    button = page.get_by_role("button", name=f"Pick {PAYLOAD}")
    expect(button).to_be_visible()
    composer = page.get_by_label(f"Label {PAYLOAD}")
    expect(composer).to_be_visible()
    expect(composer).to_have_attribute("placeholder", f"Label {PAYLOAD}")
    # the server's answer to an unknown button is shown as text as well
    button.click()
    expect(page.locator(".rd-msg--error")).to_have_count(1)
    injected = page.evaluate(
        f"{SHADOW}.querySelectorAll('img, script, b, iframe, [onerror], [onload], "
        "a[href^=javascript], a[href^=data]').length"
        " + document.querySelectorAll('body img, body b, [onerror], [onload]').length"
    )
    assert injected == 0
    assert page.evaluate("window.__pwned") == 0


def test_contact_name_in_workflow_text_stays_text(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    page.add_init_script("window.__pwned = 0")
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    for block in document["blocks"]:
        if block["id"] == "welcome":
            block["text"] = "Hi {contact.name}, ask me anything."
    with relaydesk.db.transaction() as session:
        do_activate_workflow(session, validate_workflow(document))
    try:
        token = sign_user_jwt({"user_id": "u-xss", "email": "x@example.com", "name": PAYLOAD})
        open_widget(page, site.page(user_jwt=token))
        expect(page.locator(".rd-msg--ai .rd-bubble").first).to_have_text(
            f"Hi {PAYLOAD}, ask me anything."
        )
    finally:
        with relaydesk.db.transaction() as session:
            do_activate_workflow(session, default_workflow())
    assert page.evaluate(f"{SHADOW}.querySelectorAll('img').length") == 0
    assert page.evaluate("window.__pwned") == 0


def test_phone_viewport_has_no_horizontal_scroll_and_the_composer_is_reachable(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    long_word = "Supercalifragilistic" * 12
    with relaydesk.db.transaction() as session:
        do_append_message(
            session,
            get_conversation(session, conv_id),
            author="agent",
            text=f"{long_word} https://help.example.com/{'a' * 180}",
            sources=[{"slug": "long", "title": "T" * 160, "url": f"https://h.example/{'p' * 160}"}],
            buttons=[{"id": "long", "label": "Choose" * 30}],
            source_id="phone-long",
        )
    expect(page.get_by_role("button", name="Choose" * 30)).to_be_visible()
    send(page, "What is your refund policy?")
    expect(page.get_by_role("link", name="Refund policy")).to_be_visible()
    widths = page.evaluate(
        f"""(() => {{
        const log = {SHADOW}.querySelector('.rd-log');
        const right = Math.max(...[...log.querySelectorAll('.rd-msg, .rd-msg *')]
            .map((n) => n.getBoundingClientRect().right));
        return {{page: document.scrollingElement.scrollWidth, view: innerWidth,
                 log: log.scrollWidth, logView: log.clientWidth, right}};
    }})()"""
    )
    assert widths["page"] <= widths["view"] == 390, widths
    assert widths["log"] <= widths["logView"], widths
    assert widths["right"] <= 390, widths
    panel = page.get_by_role("dialog", name="Support").bounding_box()
    assert panel == {"x": 0, "y": 0, "width": 390, "height": 844}
    for control in (page.locator("#rd-input"), page.get_by_role("button", name="Send")):
        box = control.bounding_box()
        assert box is not None
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390, box
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844, box
    composer = page.locator("#rd-input")
    composer.focus()
    page.keyboard.type("Thanks")
    page.keyboard.press("Enter")
    expect(page.locator(".rd-msg--visitor .rd-bubble").last).to_have_text("Thanks")
    close = page.get_by_role("button", name="Close chat").first
    close.click()
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()


def test_keyboard_focus_order_enter_escape_and_live_region(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    page.goto(site.page())
    page.wait_for_function(READY)
    launcher = page.get_by_role("button", name="Open chat")
    # the widget stays hidden, so out of the tab order, until its stylesheet is in
    expect(launcher).to_be_visible()
    page.keyboard.press("Tab")  # the page's own link
    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Support")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Close chat").first).to_have_attribute(
        "aria-expanded", "true"
    )
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator(".rd-typing")).to_have_attribute("role", "status")
    composer = page.get_by_label("Message")
    expect(composer).to_be_focused()
    assert focus_is_visible(page)

    page.keyboard.type("How do I reset my password?")
    page.keyboard.press("Enter")
    no = page.get_by_role("button", name="No", exact=True)
    expect(no).to_be_visible()
    # each new message is announced with who wrote it
    answer = page.locator(".rd-msg--ai").last
    expect(answer.locator(".rd-author")).to_have_text("Assistant")
    expect(page.locator(".rd-msg--visitor .rd-author").last).to_have_text("You:")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back past the composer: the newest choice
    expect(no).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    human = page.get_by_role("button", name="Human agent")
    expect(human).to_be_visible()
    expect(page.get_by_label("Message")).to_be_focused()
    expect(no).to_be_disabled()
    page.keyboard.press("Shift+Tab")
    expect(human).to_be_focused()
    page.keyboard.press(" ")
    expect(page.locator(".rd-status")).to_have_text("You are chatting with our support team")
    expect(page.get_by_label("Message")).to_be_focused()

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Message")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the answer's source link (the used choices are disabled)
    expect(page.get_by_role("link", name="Reset your password")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the log itself, scrollable with the arrow keys
    expect(log).to_be_focused()
    assert focus_is_visible(page)


def test_panel_restored_before_its_stylesheet_takes_focus_once_shown(
    page: Page, site: Site
) -> None:
    open_widget(page, site.page())
    held: list[Route] = []
    page.route("**/widget.css", lambda route: held.append(route))
    page.reload()
    page.wait_for_function(READY)
    for _ in range(250):  # the route's callback comes on Playwright's own turn
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1
    # still hidden while the stylesheet is on its way, so nothing in it can hold the focus
    assert page.evaluate(f"{SHADOW}.host.hidden") is True
    held[0].continue_()
    expect(page.get_by_role("dialog", name="Support")).to_be_visible()
    expect(page.get_by_label("Message")).to_be_focused()


def test_typing_shows_while_the_answer_is_on_its_way(page: Page, site: Site) -> None:
    held: list[Route] = []
    open_widget(page, site.page())
    page.route("**/messenger/v1/conversations/*/messages", lambda route: held.append(route))
    send(page, "How do I reset my password?")
    expect(page.get_by_text("Assistant is typing…")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Assistant is typing…")
    dots = f"getComputedStyle({SHADOW}.querySelector('.rd-dots i')).animationName"
    assert page.evaluate(dots) == "rd-blink"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(dots) == "none"
    pending = page.locator(".rd-msg--pending .rd-bubble")
    expect(pending).to_have_text("How do I reset my password?")
    for _ in range(250):  # the route's callback comes on Playwright's own turn
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1
    page.evaluate(f"{SHADOW}.querySelector('.rd-msg--pending').rdMark = 'typed'")
    held[0].continue_()
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()
    expect(page.get_by_text("Assistant is typing…")).to_be_hidden()
    expect(page.locator(".rd-msg--pending")).to_have_count(0)
    expect(page.locator(".rd-msg--visitor")).to_have_count(1)
    # confirmed in place (the server's id on the typed copy): the live region, which announces
    # additions, does not read the visitor's own message out a second time
    confirmed = page.evaluate(
        f"(() => {{ const n = {SHADOW}.querySelector('.rd-msg--visitor');"
        " return [n.rdMark, n.dataset.id || null, n.classList.contains('rd-msg--local')]; })()"
    )
    assert confirmed[0] == "typed" and confirmed[1] and confirmed[2] is False, confirmed


def test_coming_back_online_reconnects_at_once(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    opened: list[str] = []

    def route(ws: WebSocketRoute) -> None:
        opened.append(ws.url)
        ws.connect_to_server()

    page.route_web_socket("**/messenger/v1/conversations/*/stream*", route)
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    stream_connected(relaydesk, conv_id, 1)
    assert len(opened) == 1
    # after a network change the old socket may be dead without knowing it: start a new one
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.wait_for_function("navigator.onLine")
    deadline = time.monotonic() + 2
    while len(opened) < 2:
        assert time.monotonic() < deadline, opened
        page.wait_for_timeout(50)
    assert "after=" in opened[1]
    stream_connected(relaydesk, conv_id, 1)
    agent_writes(relaydesk, conv_id, "Back online.", source_id="online-1")
    expect(page.get_by_text("Back online.")).to_have_count(1)


def test_closed_conversation_still_offers_a_new_one_after_a_reload(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    with relaydesk.db.transaction() as session:
        do_resolve(session, get_conversation(session, conv_id), by="agent")
    restart = page.get_by_role("button", name="Start a new conversation")
    expect(restart).to_be_visible()
    page.reload()
    page.wait_for_function(READY)
    expect(restart).to_be_visible()
    expect(restart).to_be_focused()
    expect(page.locator(".rd-composer")).to_be_hidden()
    assert conversation_id(page, relaydesk) == conv_id


def test_identified_visitor_finds_the_conversation_on_another_device(
    browser: Browser, site: Site, relaydesk: Relaydesk
) -> None:
    token = sign_user_jwt({"user_id": "u-two-devices", "email": "two@example.com"})
    laptop = browser.new_context()
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        first = laptop.new_page()
        open_widget(first, site.page(user_jwt=token))
        send(first, "Can I change my plan?")
        expect(first.get_by_role("link", name="Change your plan")).to_be_visible()
        second = phone.new_page()  # its own, empty localStorage
        second.goto(site.page(user_jwt=token))
        second.wait_for_function(READY)
        second.get_by_role("button", name="Open chat").click()
        expect(second.get_by_text("Can I change my plan?")).to_have_count(1)
        expect(second.get_by_role("link", name="Change your plan")).to_be_visible()
        assert conversation_id(second, relaydesk) == conversation_id(first, relaydesk)
    finally:
        laptop.close()
        phone.close()


def test_full_screen_panel_keeps_tab_inside_and_the_desktop_panel_does_not(
    page: Page, site: Site
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_widget(page, site.page())
    dialog = page.get_by_role("dialog", name="Support")
    expect(dialog).to_have_attribute("aria-modal", "true")
    send_button = page.get_by_role("button", name="Send")
    close = page.locator(".rd-close")
    page.keyboard.press("Tab")
    expect(send_button).to_be_focused()
    page.keyboard.press("Tab")  # not into the page hidden behind the panel: back to the top
    expect(close).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(send_button).to_be_focused()
    page.keyboard.press("Escape")
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_focused()

    page.set_viewport_size({"width": 1280, "height": 720})
    page.keyboard.press("Enter")
    expect(dialog).to_have_attribute("aria-modal", "false")
    expect(page.get_by_label("Message")).to_be_focused()
    page.keyboard.press("Tab")
    expect(send_button).to_be_focused()
    page.keyboard.press("Tab")  # a side panel next to the page: focus moves on to the page
    assert page.evaluate("document.activeElement.id") != "relaydesk-widget"
    expect(dialog).to_be_visible()


def test_messages_are_shown_by_author(page: Page, site: Site, relaydesk: Relaydesk) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    send(page, "I want to talk to a human")
    page.get_by_role("button", name="Human agent").click()
    expect(page.locator(".rd-msg--system")).to_have_count(1)
    agent_writes(relaydesk, conv_id, "Sam here.", source_id="authors-1")
    expect(page.get_by_text("Sam here.")).to_be_visible()
    log = page.locator(".rd-log").bounding_box()
    assert log is not None

    def placed(author: str) -> tuple[str, str]:
        message = page.locator(f".rd-msg--{author}").last
        box = message.locator(".rd-bubble").bounding_box()
        assert box is not None
        left, right = box["x"] - log["x"], log["x"] + log["width"] - (box["x"] + box["width"])
        side = "right" if left > right + 20 else "left" if right > left + 20 else "centre"
        label = message.locator(".rd-author")
        hidden = label.evaluate("n => getComputedStyle(n).clipPath !== 'none'")
        shown = "read out" if hidden else "shown"
        return side, f"{label.inner_text()} ({shown})"

    assert placed("visitor") == ("right", "You: (read out)")
    assert placed("ai") == ("left", "Assistant (shown)")
    assert placed("agent") == ("left", "Support agent (shown)")
    assert placed("system") == ("centre", "Notice: (read out)")
