"""HS256 verification: only HS256, a good signature under a current or previous key, a live exp."""

from __future__ import annotations

import base64
import json
import time

import jwt as pyjwt
import pytest

from relaydesk.security.jwt import JWTRejected, decode_hs256, encode_hs256

SECRET = "current-secret-0123456789abcdef0123"
OLD = "previous-secret-0123456789abcdef012"


def _claims(**extra: object) -> dict[str, object]:
    return {"user_id": "u1", "exp": int(time.time()) + 600, **extra}


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_good_token_gives_its_claims() -> None:
    token = encode_hs256(_claims(email="a@example.com"), SECRET)
    claims = decode_hs256(token, [SECRET])
    assert claims["user_id"] == "u1"
    assert claims["email"] == "a@example.com"


def test_previous_secret_is_accepted_during_rotation() -> None:
    token = encode_hs256(_claims(), OLD)
    assert decode_hs256(token, [SECRET, OLD])["user_id"] == "u1"
    with pytest.raises(JWTRejected, match="bad signature"):
        decode_hs256(token, [SECRET])


def test_wrong_secret_is_refused() -> None:
    token = encode_hs256(_claims(), "some-other-secret-0123456789abcdef")
    with pytest.raises(JWTRejected, match="bad signature"):
        decode_hs256(token, [SECRET])


def test_tampered_payload_is_refused() -> None:
    token = encode_hs256(_claims(), SECRET)
    header, _payload, signature = token.split(".")
    forged = f"{header}.{_b64(_claims(user_id='admin'))}.{signature}"
    with pytest.raises(JWTRejected, match="bad signature"):
        decode_hs256(forged, [SECRET])


def test_alg_none_is_refused() -> None:
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}."
    with pytest.raises(JWTRejected, match="algorithm 'none'"):
        decode_hs256(forged, [SECRET])


@pytest.mark.parametrize("alg", ["HS512", "HS384"])
def test_other_hmac_algorithms_are_refused(alg: str) -> None:
    token = pyjwt.encode(_claims(), SECRET + "x" * 40, algorithm=alg)
    with pytest.raises(JWTRejected, match="algorithm"):
        decode_hs256(token, [SECRET + "x" * 40])


def test_expired_token_is_refused() -> None:
    token = encode_hs256(_claims(exp=int(time.time()) - 120), SECRET)
    with pytest.raises(JWTRejected, match="expired"):
        decode_hs256(token, [SECRET])


def test_token_without_exp_is_refused() -> None:
    token = encode_hs256({"user_id": "u1"}, SECRET)
    with pytest.raises(JWTRejected, match="'exp'"):
        decode_hs256(token, [SECRET])


def test_token_not_yet_valid_is_refused() -> None:
    token = encode_hs256(_claims(nbf=int(time.time()) + 3600), SECRET)
    with pytest.raises(JWTRejected, match="not yet valid"):
        decode_hs256(token, [SECRET])


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c", "....", "é.é.é"])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(JWTRejected):
        decode_hs256(token, [SECRET])


def test_no_secret_configured_refuses_everything() -> None:
    token = encode_hs256(_claims(), SECRET)
    with pytest.raises(JWTRejected, match="not configured"):
        decode_hs256(token, [])
