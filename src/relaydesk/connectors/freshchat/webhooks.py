"""Freshchat webhook signatures: verify RSA-SHA256 over the raw body, then parse.

Freshchat signs the exact request body with RSA PKCS#1 v1.5 / SHA-256 and sends the base64
signature in ``X-Freshchat-Signature``. Its admin page shows the public key with an
``RSA PUBLIC KEY`` label around an X.509 SubjectPublicKeyInfo body, so the key is loaded by
stripping the armour and all whitespace (real or escaped newlines, ``\\r\\n``, blank lines),
base64-decoding and reading DER SPKI (with PKCS#1 DER as a fallback).

``verify_signature`` never parses JSON; ``parse_event`` is only called on verified bytes.
Any failure (no header, bad base64, wrong key, altered body) is ``BadSignature``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pydantic import ValidationError

from relaydesk.connectors.freshchat.schemas import WebhookEvent
from relaydesk.errors import InvalidInput, Unauthorized

SIGNATURE_HEADER = "X-Freshchat-Signature"


class BadSignature(Unauthorized):
    """A webhook's signature is missing or does not verify: nothing is done with it."""

    code = "bad_signature"


class InvalidPublicKey(InvalidInput):
    """The webhook public key text is not an RSA public key."""

    code = "invalid_public_key"


_ARMOUR = re.compile(r"-----(BEGIN|END)[A-Z0-9 ]*-----")
_WHITESPACE = re.compile(r"\s+")


def normalize_public_key(text: str) -> bytes:
    """Return the DER bytes of a public key given as Freshchat shows it (armour optional)."""
    body = text.replace("\\r", "").replace("\\n", "")
    body = _ARMOUR.sub("", body)
    body = _WHITESPACE.sub("", body)
    if not body:
        raise InvalidPublicKey("the webhook public key is empty")
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidPublicKey("the webhook public key is not base64 inside its armour") from exc


@functools.lru_cache(maxsize=16)
def load_public_key(text: str) -> rsa.RSAPublicKey:
    """Load an RSA public key from PEM-ish text (SPKI or PKCS#1, armour optional)."""
    der = normalize_public_key(text)
    key: object
    try:
        key = serialization.load_der_public_key(der)
    except ValueError:
        try:
            key = serialization.load_pem_public_key(
                b"-----BEGIN RSA PUBLIC KEY-----\n"
                + base64.encodebytes(der)
                + b"-----END RSA PUBLIC KEY-----\n"
            )
        except ValueError as exc:
            raise InvalidPublicKey("the webhook public key is not an RSA public key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidPublicKey("the webhook public key is not an RSA key")
    return key


def verify_signature(body: bytes, signature: str | None, public_keys: list[str]) -> None:
    """Check signature (base64) over the raw body with any of public_keys; raise BadSignature."""
    if not signature or not signature.strip():
        raise BadSignature("missing X-Freshchat-Signature header")
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadSignature("X-Freshchat-Signature is not base64") from exc
    keys = [k for k in public_keys if k]
    if not keys:
        raise BadSignature("no webhook public key configured")
    for text in keys:
        try:
            key = load_public_key(text)
        except InvalidPublicKey:
            continue
        try:
            key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            continue
        return
    raise BadSignature("X-Freshchat-Signature does not verify with the configured public key")


def parse_event(body: bytes) -> WebhookEvent:
    """Parse verified webhook bytes into a WebhookEvent; raise InvalidInput if malformed."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput("webhook body is not JSON") from exc
    if not isinstance(data, dict):
        raise InvalidInput("webhook body is not a JSON object")
    try:
        return WebhookEvent.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            f"webhook body is not a Freshchat event: {exc.errors()[0]['msg']}"
        ) from exc


__all__ = [
    "SIGNATURE_HEADER",
    "BadSignature",
    "InvalidPublicKey",
    "load_public_key",
    "normalize_public_key",
    "parse_event",
    "verify_signature",
]
