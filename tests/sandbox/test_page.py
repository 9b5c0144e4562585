"""The sandbox's agent inbox page (HTTP level; the browser test is in test_page_browser.py)."""

from __future__ import annotations

import json

import httpx

from tests.sandbox.receiver import WebhookReceiver


def _conversation(control: httpx.Client, text: str) -> str:
    body = {"channel_id": "Support", "email": "kim@example.com", "text": text}
    return str(
        control.post("/_sandbox/freshchat/user-message", json=body).json()["conversation_id"]
    )


def test_inbox_shows_transcript_and_tickets(control: httpx.Client, fd: httpx.Client) -> None:
    cid = _conversation(control, "Where is my order?")
    control.post(
        f"/_sandbox/freshchat/conversations/{cid}/reply", json={"text": "checking", "private": True}
    )
    fd.post(
        "/tickets",
        json={"email": "kim@example.com", "subject": "Order 42", "description": "<p>x</p>"},
    )
    page = control.get("/_sandbox/")
    assert page.status_code == 200
    assert "Where is my order?" in page.text
    assert "Private note" in page.text
    assert "Order 42" in page.text


def test_inbox_escapes_every_text(control: httpx.Client, fd: httpx.Client) -> None:
    _conversation(control, "<script>alert(1)</script>")
    fd.post(
        "/tickets",
        json={
            "email": "kim@example.com",
            "subject": "<img src=x onerror=alert(2)>",
            "description": "<p>x</p>",
        },
    )
    page = control.get("/_sandbox/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_reply_form_posts_redirects_and_fires_webhook(
    control: httpx.Client, receiver: WebhookReceiver
) -> None:
    control.post("/_sandbox/freshchat/webhook", json={"url": receiver.url})
    cid = _conversation(control, "hello")
    response = control.post(
        f"/_sandbox/ui/conversations/{cid}/reply", data={"text": "Hi from the page"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/_sandbox/?conversation={cid}"
    events = [json.loads(r.body) for r in receiver.wait_for(2)]
    assert events[1]["data"]["message"]["message_parts"] == [
        {"text": {"content": "Hi from the page"}}
    ]
    assert events[1]["actor"]["actor_type"] == "agent"
    control.post(f"/_sandbox/ui/conversations/{cid}/resolve")
    assert json.loads(receiver.wait_for(3)[2].body)["action"] == "conversation_resolution"


def test_page_form_refusals(control: httpx.Client) -> None:
    assert (
        control.post("/_sandbox/ui/conversations/nope/reply", data={"text": "x"}).status_code == 404
    )
    cid = _conversation(control, "hello")
    assert control.post(f"/_sandbox/ui/conversations/{cid}/explode").status_code == 404
