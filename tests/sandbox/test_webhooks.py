"""Webhooks: what the control surface fires, signatures, and retries to a real receiver."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from relaydesk.sandbox import RunningSandbox
from tests.sandbox.receiver import WebhookReceiver


def load_freshchat_public_key(text: str) -> rsa.RSAPublicKey:
    """Load the key as a receiver must: strip the armour and whitespace, load DER SPKI."""
    lines = [line for line in text.strip().splitlines() if not line.startswith("-----")]
    der = base64.b64decode("".join("".join(lines).split()))
    key = serialization.load_der_public_key(der)
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def verify(key: rsa.RSAPublicKey, body: bytes, signature: str) -> None:
    key.verify(base64.b64decode(signature), body, padding.PKCS1v15(), hashes.SHA256())


def _start(
    control: httpx.Client, receiver: WebhookReceiver, text: str = "Hello, I need a human"
) -> dict[str, Any]:
    assert (
        control.post("/_sandbox/freshchat/webhook", json={"url": receiver.url}).status_code == 200
    )
    response = control.post(
        "/_sandbox/freshchat/user-message",
        json={"channel_id": "Support", "email": "kim@example.com", "text": text},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_public_key_is_shown_as_freshchat_shows_it(control: httpx.Client) -> None:
    pem = control.get("/_sandbox/keys").json()["webhook_public_key_pem"]
    assert pem.startswith("-----BEGIN RSA PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A")
    assert pem.rstrip().endswith("-----END RSA PUBLIC KEY-----")
    assert load_freshchat_public_key(pem).key_size == 2048


def test_signature_verifies_and_fails_after_one_byte_changes(
    control: httpx.Client, receiver: WebhookReceiver, sandbox: RunningSandbox
) -> None:
    _start(control, receiver, "Grüße 👋 — 안녕하세요")
    [hook] = receiver.wait_for(1)
    key = load_freshchat_public_key(sandbox.keys.webhook_public_key_pem)
    signature = hook.headers["x-freshchat-signature"]
    verify(key, hook.body, signature)
    tampered = bytearray(hook.body)
    tampered[len(tampered) // 2] ^= 0x01
    with pytest.raises(InvalidSignature):
        verify(key, bytes(tampered), signature)
    assert hook.headers["x-retry-count"] == "0"
    assert hook.headers["x-freshchat-payload-version"]
    assert (
        json.loads(hook.body)["data"]["message"]["message_parts"][0]["text"]["content"]
        == "Grüße 👋 — 안녕하세요"
    )


def test_user_message_fires_message_create_as_user(
    control: httpx.Client, receiver: WebhookReceiver
) -> None:
    started = _start(control, receiver)
    event = json.loads(receiver.wait_for(1)[0].body)
    assert event["action"] == "message_create"
    assert event["actor"] == {"actor_type": "user", "actor_id": started["user"]["id"]}
    message = event["data"]["message"]
    assert message["conversation_id"] == started["conversation_id"]
    assert message["actor_type"] == "user"
    assert message["message_type"] == "normal"
    assert message["user_id"] == started["user"]["id"]
    assert message["id"] == started["message"]["id"]
    assert event["action_time"].endswith("Z")


def test_user_message_continues_the_same_conversation(
    control: httpx.Client, receiver: WebhookReceiver
) -> None:
    first = _start(control, receiver)
    again = control.post(
        "/_sandbox/freshchat/user-message",
        json={"channel_id": "Support", "email": "kim@example.com", "text": "still there?"},
    ).json()
    assert again["conversation_id"] == first["conversation_id"]
    by_id = control.post(
        "/_sandbox/freshchat/user-message",
        json={"conversation_id": first["conversation_id"], "text": "hello?"},
    ).json()
    assert by_id["conversation_id"] == first["conversation_id"]


def test_agent_reply_resolve_reopen_assign_fire_their_events(
    control: httpx.Client, receiver: WebhookReceiver, fc: httpx.Client
) -> None:
    cid = _start(control, receiver)["conversation_id"]
    agents = fc.get("/agents").json()["agents"]
    sam = next(a for a in agents if a["first_name"] == "Sam")
    group = fc.get("/groups").json()["groups"][0]
    assign = control.post(
        f"/_sandbox/freshchat/conversations/{cid}/assign",
        json={"agent_id": sam["id"], "group_id": group["id"]},
    )
    assert assign.status_code == 200
    reply = control.post(
        f"/_sandbox/freshchat/conversations/{cid}/reply", json={"text": "Hi, Sam here"}
    )
    assert reply.status_code == 200
    note = control.post(
        f"/_sandbox/freshchat/conversations/{cid}/reply", json={"text": "internal", "private": True}
    )
    assert note.json()["message_type"] == "private"
    assert (
        control.post(f"/_sandbox/freshchat/conversations/{cid}/resolve").json()["status"]
        == "resolved"
    )
    assert (
        control.post(f"/_sandbox/freshchat/conversations/{cid}/reopen").json()["status"]
        == "reopened"
    )
    events = [json.loads(r.body) for r in receiver.wait_for(6)]
    assert [e["action"] for e in events] == [
        "message_create",
        "conversation_assignment",
        "message_create",
        "message_create",
        "conversation_resolution",
        "conversation_reopen",
    ]
    assignment = events[1]["data"]["assignment"]
    assert assignment["to_agent_id"] == sam["id"]
    assert assignment["to_group_id"] == group["id"]
    assert assignment["from_agent_id"] is None
    assert assignment["conversation"]["conversation_id"] == cid
    reply_msg = events[2]["data"]["message"]
    assert (reply_msg["actor_type"], reply_msg["actor_id"]) == ("agent", sam["id"])
    assert events[3]["data"]["message"]["message_type"] == "private"
    resolve = events[4]["data"]["resolve"]
    assert resolve["resolver"] == "agent"
    assert resolve["resolver_id"] == sam["id"]
    assert resolve["conversation"]["status"] == "resolved"
    reopen = events[5]["data"]["reopen"]
    assert (reopen["reopener"], reopen["reopener_id"]) == ("agent", sam["id"])
    assert reopen["conversation"]["status"] == "reopened"


def test_a_user_writing_in_a_resolved_conversation_reopens_it(
    control: httpx.Client, receiver: WebhookReceiver
) -> None:
    cid = _start(control, receiver)["conversation_id"]
    control.post(f"/_sandbox/freshchat/conversations/{cid}/resolve")
    control.post(
        "/_sandbox/freshchat/user-message", json={"conversation_id": cid, "text": "one more thing"}
    )
    events = [json.loads(r.body) for r in receiver.wait_for(4)]
    assert [e["action"] for e in events] == [
        "message_create", "conversation_resolution", "conversation_reopen", "message_create",
    ]  # fmt: skip
    assert events[2]["data"]["reopen"]["reopener"] == "user"


def test_api_posted_messages_echo_as_webhooks(
    control: httpx.Client, receiver: WebhookReceiver, fc: httpx.Client
) -> None:
    cid = _start(control, receiver)["conversation_id"]
    ai = next(a for a in fc.get("/agents").json()["agents"] if a["first_name"] == "AI agent")
    posted = fc.post(
        f"/conversations/{cid}/messages",
        json={
            "message_parts": [{"text": {"content": "bot"}}],
            "actor_type": "agent",
            "actor_id": ai["id"],
        },
    ).json()
    fc.put(f"/conversations/{cid}", json={"status": "resolved"})
    events = [json.loads(r.body) for r in receiver.wait_for(3)]
    assert events[1]["data"]["message"]["id"] == posted["id"]
    assert events[1]["actor"] == {"actor_type": "agent", "actor_id": ai["id"]}
    assert events[2]["action"] == "conversation_resolution"
    assert events[2]["actor"]["actor_type"] == "system"


def test_failed_deliveries_are_retried_with_retry_count(
    control: httpx.Client, sandbox: RunningSandbox
) -> None:
    receiver = WebhookReceiver(fail_first=2)
    try:
        _start(control, receiver)
        hooks = receiver.wait_for(3)
        assert [h.headers["x-retry-count"] for h in hooks] == ["0", "1", "2"]
        assert len({h.body for h in hooks}) == 1
        assert sandbox.wait_for_webhooks()
        [delivery] = control.get("/_sandbox/state").json()["webhook"]["deliveries"]
        assert delivery["status"] == "delivered"
        assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]
    finally:
        receiver.stop()


def test_delivery_gives_up_after_the_last_retry(
    control: httpx.Client, sandbox: RunningSandbox
) -> None:
    receiver = WebhookReceiver(fail_first=100, fail_status=503)
    try:
        _start(control, receiver)
        receiver.wait_for(4)
        assert sandbox.wait_for_webhooks()
        [delivery] = control.get("/_sandbox/state").json()["webhook"]["deliveries"]
        assert delivery["status"] == "failed"
        assert len(delivery["attempts"]) == 4
    finally:
        receiver.stop()


def test_unreachable_receiver_is_retried(control: httpx.Client, sandbox: RunningSandbox) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    control.post("/_sandbox/freshchat/webhook", json={"url": f"http://127.0.0.1:{port}/hook"})
    control.post("/_sandbox/freshchat/user-message", json={"channel_id": "Support", "text": "hi"})
    assert sandbox.wait_for_webhooks()
    [delivery] = control.get("/_sandbox/state").json()["webhook"]["deliveries"]
    assert delivery["status"] == "failed"
    assert all(a["status"] is None and a["error"] for a in delivery["attempts"])
