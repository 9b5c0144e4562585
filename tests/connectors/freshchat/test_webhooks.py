"""Webhook signatures: RSA-SHA256 over the raw bytes, keys in every shape Freshchat shows."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization

from relaydesk.connectors.freshchat.webhooks import (
    BadSignature,
    InvalidPublicKey,
    load_public_key,
    parse_event,
    verify_signature,
)
from relaydesk.errors import InvalidInput
from tests.connectors.freshchat.keys import WebhookSigner


@pytest.fixture(scope="module")
def signer() -> WebhookSigner:
    return WebhookSigner.generate()


BODY = json.dumps(
    {
        "actor": {"actor_type": "agent", "actor_id": "a1"},
        "action": "message_create",
        "action_time": "2026-11-27T10:00:00.000Z",
        "data": {
            "message": {
                "id": "m1",
                "conversation_id": "c1",
                "message_parts": [{"text": {"content": "안녕하세요 👋"}}],
            }
        },
    },
    ensure_ascii=False,
).encode()


def _variants(pem: str) -> list[str]:
    body = "".join(pem.strip().splitlines()[1:-1])
    return [
        pem,
        pem.replace("\n", "\r\n"),
        pem.replace("\n", "\n\n"),
        body,
        pem.replace("\n", "\\n"),
        "  " + pem + "\n\n",
        pem.replace("RSA PUBLIC KEY", "PUBLIC KEY"),
    ]


def test_every_key_shape_verifies(signer: WebhookSigner) -> None:
    signature = signer.sign(BODY)
    for text in _variants(signer.public_key_pem):
        verify_signature(BODY, signature, [text])


def test_pkcs1_key_also_loads(signer: WebhookSigner) -> None:
    pkcs1 = (
        signer.private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        .decode()
    )
    verify_signature(BODY, signer.sign(BODY), [pkcs1])


def test_altered_body_is_refused(signer: WebhookSigner) -> None:
    signature = signer.sign(BODY)
    altered = BODY.replace(b"m1", b"m2")
    with pytest.raises(BadSignature):
        verify_signature(altered, signature, [signer.public_key_pem])
    reencoded = json.dumps(json.loads(BODY)).encode()  # \u-escaped: not the raw bytes
    with pytest.raises(BadSignature):
        verify_signature(reencoded, signature, [signer.public_key_pem])


def test_missing_garbled_or_foreign_signature_is_refused(signer: WebhookSigner) -> None:
    other = WebhookSigner.generate()
    for sig in (None, "", "not base64!!", base64.b64encode(b"x" * 256).decode(), other.sign(BODY)):
        with pytest.raises(BadSignature):
            verify_signature(BODY, sig, [signer.public_key_pem])
    with pytest.raises(BadSignature):
        verify_signature(BODY, signer.sign(BODY), [])


def test_rotation_accepts_either_key(signer: WebhookSigner) -> None:
    new = WebhookSigner.generate()
    keys = [new.public_key_pem, signer.public_key_pem]
    verify_signature(BODY, signer.sign(BODY), keys)
    verify_signature(BODY, new.sign(BODY), keys)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "-----BEGIN RSA PUBLIC KEY-----\n-----END RSA PUBLIC KEY-----",
        "@@@@",
        base64.b64encode(b"not a key").decode(),
    ],
)
def test_bad_public_keys_are_refused(bad: str) -> None:
    with pytest.raises(InvalidPublicKey):
        load_public_key(bad)


def test_parse_event_reads_message_and_dedup_key() -> None:
    event = parse_event(BODY)
    assert event.action == "message_create"
    assert event.conversation_id == "c1"
    assert event.message is not None and event.message.text == "안녕하세요 👋"
    assert event.dedup_key() == "message_create:m1"


def test_parse_event_reads_old_payload_and_other_actions() -> None:
    old = {
        "action": "message_create",
        "actor": {"actor_type": "agent"},
        "data": {
            "message": {
                "id": "m9",
                "conversation_id": "c9",
                "msg_parts": [{"part_type": "text", "properties": {"text": "hi"}}],
            }
        },
    }
    event = parse_event(json.dumps(old).encode())
    assert event.message is not None and event.message.text == "hi"
    resolve = {
        "action": "conversation_resolution",
        "action_time": "t1",
        "data": {"resolve": {"conversation": {"conversation_id": "c2"}}},
    }
    parsed = parse_event(json.dumps(resolve).encode())
    assert parsed.conversation_id == "c2"
    assert parsed.dedup_key() == "conversation_resolution:c2:t1"


@pytest.mark.parametrize("bad", [b"", b"[1]", b"{", b'{"no_action": 1}', b"\xff\xfe"])
def test_parse_event_refuses_malformed_bodies(bad: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_event(bad)


def test_events_without_an_action_time_are_told_apart_and_redeliveries_are_not() -> None:
    def resolution(resolver: str, interaction: str) -> bytes:
        return json.dumps(
            {
                "action": "conversation_resolution",
                "actor": {"actor_type": "agent", "actor_id": resolver},
                "data": {
                    "resolve": {
                        "resolver": "agent",
                        "resolver_id": resolver,
                        "conversation": {"conversation_id": "c3", "interaction_id": interaction},
                    }
                },
            }
        ).encode()

    first = parse_event(resolution("a1", "i1")).dedup_key()
    assert parse_event(resolution("a1", "i1")).dedup_key() == first  # a redelivery
    assert parse_event(resolution("a1", "i2")).dedup_key() != first  # resolved again later
    assert parse_event(resolution("a2", "i1")).dedup_key() != first
