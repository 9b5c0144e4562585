"""A message stored by the server whose answer never reached the widget: "Try again" sends it
with the same ``Idempotency-Key``, so the visitor sees it (and its answer) once and the server
holds it once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, Route, WebSocketRoute, expect

from relaydesk.conversations.queries import list_messages
from tests.browser.conftest import Relaydesk, Site
from tests.browser.test_widget import conversation_id, open_widget, send, stream_connected

pytestmark = pytest.mark.browser

MESSAGES = "**/messenger/v1/conversations/*/messages"
STREAM = "**/messenger/v1/conversations/*/stream*"
QUESTION = "How do I reset my password?"


def visitor_texts(relaydesk: Relaydesk, conv_id: str) -> list[str]:
    """Return the texts of the visitor's messages the server holds."""
    with relaydesk.db.session() as session:
        return [m.text for m in list_messages(session, conv_id) if m.author == "visitor"]


def shown(page: Page, text: str) -> int:
    """Return how many bubbles show exactly text."""
    return list(page.locator(".rd-msg .rd-bubble").all_inner_texts()).count(text)


def hold(page: Page) -> list[Route]:
    """Hold the widget's message requests; return the list they are put in."""
    held: list[Route] = []
    page.route(MESSAGES, lambda route: held.append(route))
    return held


def lose_the_answer(page: Page, held: list[Route]) -> str:
    """Let the first held request reach the server, then drop its answer; return its key."""
    expect(page.locator(".rd-msg--pending")).to_have_count(1)
    while not held:
        page.wait_for_timeout(20)
    route = held.pop()
    key = route.request.all_headers().get("idempotency-key")
    assert key, route.request.all_headers()
    response = route.fetch()  # the server stores the message and runs the step...
    assert response.status == 200, response.text()
    route.abort("connectionreset")  # ...but the answer is lost on the way back
    return key


def test_try_again_after_a_lost_answer_shows_the_message_and_answer_once(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    state = {"down": True}

    def stream(ws: WebSocketRoute) -> None:
        if state["down"]:  # the connection is down: the stream cannot bring the message either
            ws.close(code=1011, reason="unavailable")
            return
        ws.connect_to_server()

    page.route_web_socket(STREAM, stream)
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    held = hold(page)
    send(page, QUESTION)
    first_key = lose_the_answer(page, held)

    expect(page.locator(".rd-msg--failed")).to_have_count(1)
    retry = page.get_by_role("button", name="Try again")
    expect(retry).to_be_visible()
    assert visitor_texts(relaydesk, conv_id) == [QUESTION]  # stored, though the widget lost it

    keys: list[str | None] = []

    def record(route: Route) -> None:
        keys.append(route.request.all_headers().get("idempotency-key"))
        route.continue_()

    page.unroute(MESSAGES)
    page.route(MESSAGES, record)
    retry.click()
    source = page.get_by_role("link", name="Reset your password")
    expect(source).to_have_count(1)
    assert keys == [first_key]  # the retry sent the same key
    expect(page.locator(".rd-msg--failed")).to_have_count(0)
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    expect(page.locator(".rd-msg--visitor")).to_have_count(1)
    assert shown(page, QUESTION) == 1
    assert visitor_texts(relaydesk, conv_id) == [QUESTION]  # and the server stored it once

    # the stream comes back and replays from the history's last message: still once each
    state["down"] = False
    page.evaluate("window.dispatchEvent(new Event('online'))")  # reconnect now, not after back-off
    deadline = time.monotonic() + 15
    while relaydesk.app.state.hub.subscriber_count(conv_id) != 1:
        assert time.monotonic() < deadline, "the widget's stream did not reconnect"
        page.wait_for_timeout(50)  # (lets the stream's route handler run meanwhile)
    send(page, "How long do refunds take?")
    expect(page.locator(".rd-msg--pending")).to_have_count(0, timeout=20_000)
    expect(page.locator(".rd-msg--visitor")).to_have_count(2)
    assert len(keys) == 2 and keys[1] and keys[1] != first_key  # a new message, a new key
    expect(source).to_have_count(1)
    assert shown(page, QUESTION) == 1
    assert visitor_texts(relaydesk, conv_id) == [QUESTION, "How long do refunds take?"]


def test_a_lost_answer_the_stream_delivered_needs_no_retry(
    page: Page, site: Site, relaydesk: Relaydesk
) -> None:
    open_widget(page, site.page())
    conv_id = conversation_id(page, relaydesk)
    stream_connected(relaydesk, conv_id, 1)
    held = hold(page)
    send(page, QUESTION)
    expect(page.locator(".rd-msg--pending")).to_have_count(1)
    while not held:
        page.wait_for_timeout(20)
    route = held.pop()
    assert route.fetch().status == 200
    # the stream brings the stored message and the answer before the HTTP answer is lost
    source = page.get_by_role("link", name="Reset your password")
    expect(source).to_have_count(1)
    route.abort("connectionreset")
    page.wait_for_timeout(300)
    expect(page.locator(".rd-msg--failed")).to_have_count(0)
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    expect(page.locator(".rd-msg--pending")).to_have_count(0)
    assert shown(page, QUESTION) == 1
    expect(source).to_have_count(1)
    assert visitor_texts(relaydesk, conv_id) == [QUESTION]
