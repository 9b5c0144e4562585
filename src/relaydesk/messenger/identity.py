"""Who a visitor is: the site's signed JWT (a verified identity) or nobody in particular.

A logged-in visitor arrives with a JWT the site signed with the messenger's identity secret
(HS256; ``RELAYDESK_IDENTITY_SECRET``, and ``RELAYDESK_IDENTITY_SECRET_PREVIOUS`` while a
rotation is under way). Its ``user_id`` names the contact across devices; ``email`` and
``name`` and every other claim (``plan``, ``account_id``…, or an ``attributes`` object)
become verified contact attributes. Anonymous visitors get only an opaque visitor token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relaydesk.errors import InvalidToken
from relaydesk.security.jwt import JWTRejected, decode_hs256
from relaydesk.settings import Settings

# Registered JWT claims that are not contact attributes.
_RESERVED = frozenset(
    {"exp", "iat", "nbf", "iss", "aud", "jti", "sub", "user_id", "email", "name", "attributes"}
)
MAX_ATTRIBUTES = 50
MAX_USER_ID = 255
MAX_EMAIL = 320
MAX_NAME = 255
MAX_ATTRIBUTE_KEY = 100
MAX_JWT = 8192


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a valid site JWT says about the visitor."""

    user_id: str
    email: str | None = None
    name: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def identity_secrets(settings: Settings) -> list[str]:
    """Return the identity secrets to try, the current one first."""
    found: list[str] = []
    for secret in (settings.identity_secret, settings.identity_secret_previous):
        if secret is not None and secret.get_secret_value():
            found.append(secret.get_secret_value())
    return found


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _storable(value: str) -> bool:
    """Tell whether a claim's text can be stored: no NUL, no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(claim: str, value: str) -> None:
    if not _storable(value):
        raise InvalidToken(f"user JWT claim {claim!r} holds a NUL character or invalid Unicode")


def identity_from_claims(claims: dict[str, Any]) -> VerifiedIdentity:
    """Return the identity in verified claims; raise InvalidToken when it cannot be trusted.

    Refused: no ``user_id`` (or an empty one), a ``user_id`` over 255 characters or an
    ``email`` over 320 (cutting them would make two people one contact), text that cannot be
    stored (NUL, lone surrogates), more than 50 attributes or an attribute name over 100.
    """
    user_id = claims.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, str | int) or str(user_id) == "":
        raise InvalidToken("user JWT lacks a user_id claim")
    user_id = str(user_id)
    if len(user_id) > MAX_USER_ID:
        raise InvalidToken(f"user JWT user_id is longer than {MAX_USER_ID} characters")
    _check_text("user_id", user_id)
    email = claims.get("email")
    email = email.strip() if isinstance(email, str) and email.strip() else None
    if email is not None:
        if len(email) > MAX_EMAIL:
            raise InvalidToken(f"user JWT email is longer than {MAX_EMAIL} characters")
        _check_text("email", email)
    name = claims.get("name")
    name = name.strip()[:MAX_NAME] if isinstance(name, str) and name.strip() else None
    if name is not None:
        _check_text("name", name)
    attributes: dict[str, Any] = {}
    nested = claims.get("attributes")
    if isinstance(nested, dict):
        attributes.update({str(k): v for k, v in nested.items() if _scalar(v)})
    attributes.update({k: v for k, v in claims.items() if k not in _RESERVED and _scalar(v)})
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidToken(f"user JWT carries more than {MAX_ATTRIBUTES} attributes")
    for key, value in attributes.items():
        if len(key) > MAX_ATTRIBUTE_KEY:
            raise InvalidToken(f"user JWT attribute names are at most {MAX_ATTRIBUTE_KEY} long")
        _check_text(key[:40], key)
        if isinstance(value, str):
            _check_text(key, value)
    return VerifiedIdentity(user_id=user_id, email=email, name=name, attributes=attributes)


def verify_user_jwt(settings: Settings, token: str) -> VerifiedIdentity:
    """Return the identity in a site-signed JWT; raise InvalidToken (401) when it is refused."""
    if len(token) > MAX_JWT:
        raise InvalidToken(f"user JWT refused: longer than {MAX_JWT} characters")
    try:
        claims = decode_hs256(token, identity_secrets(settings))
    except JWTRejected as exc:
        raise InvalidToken(f"user JWT refused: {exc.reason}") from exc
    return identity_from_claims(claims)
