"""Site JWTs become verified identities; anything doubtful is refused with 401."""

from __future__ import annotations

import time

import pytest

from relaydesk.errors import InvalidToken
from relaydesk.messenger.identity import verify_user_jwt
from relaydesk.security.jwt import encode_hs256
from relaydesk.settings import Settings

CURRENT = "current-identity-secret-0123456789abcdef"
PREVIOUS = "previous-identity-secret-0123456789abcdef"


def _settings(**kw: object) -> Settings:
    return Settings(identity_secret=CURRENT, **kw)  # type: ignore[arg-type]


def test_claims_become_identity_and_attributes() -> None:
    token = encode_hs256(
        {
            "user_id": 42,
            "email": "ann@example.com",
            "name": "Ann",
            "plan": "pro",
            "attributes": {"account_id": "acc-9"},
            "exp": int(time.time()) + 60,
            "iat": int(time.time()),
        },
        CURRENT,
    )
    ident = verify_user_jwt(_settings(), token)
    assert ident.user_id == "42"
    assert ident.email == "ann@example.com" and ident.name == "Ann"
    assert ident.attributes == {"plan": "pro", "account_id": "acc-9"}


def test_missing_user_id_is_refused() -> None:
    token = encode_hs256({"email": "a@example.com", "exp": int(time.time()) + 60}, CURRENT)
    with pytest.raises(InvalidToken, match="user_id"):
        verify_user_jwt(_settings(), token)


def test_rotation_accepts_previous_secret_only_when_configured() -> None:
    token = encode_hs256({"user_id": "u", "exp": int(time.time()) + 60}, PREVIOUS)
    with pytest.raises(InvalidToken):
        verify_user_jwt(_settings(), token)
    assert verify_user_jwt(_settings(identity_secret_previous=PREVIOUS), token).user_id == "u"


def test_no_secret_refuses_jwts() -> None:
    token = encode_hs256({"user_id": "u", "exp": int(time.time()) + 60}, CURRENT)
    with pytest.raises(InvalidToken, match="not configured"):
        verify_user_jwt(Settings(), token)
