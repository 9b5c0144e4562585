"""Verify HS256 JSON Web Tokens signed by the customer's site, with key rotation.

Only HS256 is accepted: a token whose header names another algorithm (``none``, ``HS512``,
``RS256``…) is refused before any signature check. Every token must carry ``exp``; ``nbf``
and ``iat`` are checked when present. Several keys may be given (the current secret and the
previous one during a rotation): the first whose signature matches wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jwt as pyjwt

ALGORITHM = "HS256"
LEEWAY_SECONDS = 30


class JWTRejected(Exception):
    """A token was refused; ``reason`` says why in words a site developer can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def encode_hs256(claims: dict[str, Any], secret: str) -> str:
    """Return claims signed with HS256 under secret (for tests, the CLI and the demo)."""
    return pyjwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_hs256(
    token: str,
    secrets: Sequence[str],
    *,
    required: Sequence[str] = ("exp",),
    leeway: int = LEEWAY_SECONDS,
) -> dict[str, Any]:
    """Return the verified claims of token, or raise JWTRejected with the reason."""
    if not secrets:
        raise JWTRejected("identity verification is not configured (no identity secret)")
    if not isinstance(token, str) or token.count(".") != 2:
        raise JWTRejected("malformed token")
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.InvalidTokenError as exc:
        raise JWTRejected("malformed token header") from exc
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise JWTRejected(f"algorithm {alg!r} is not accepted; sign with HS256")
    last_error: Exception | None = None
    for secret in secrets:
        try:
            claims: dict[str, Any] = pyjwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                leeway=leeway,
                options={"require": list(required), "verify_aud": False},
            )
        except pyjwt.InvalidSignatureError as exc:
            last_error = exc
            continue
        except pyjwt.ExpiredSignatureError as exc:
            raise JWTRejected("token expired") from exc
        except pyjwt.ImmatureSignatureError as exc:
            raise JWTRejected("token not yet valid") from exc
        except pyjwt.MissingRequiredClaimError as exc:
            raise JWTRejected(f"token lacks the {exc.claim!r} claim") from exc
        except pyjwt.InvalidTokenError as exc:
            raise JWTRejected(f"invalid token: {exc}") from exc
        return claims
    raise JWTRejected("bad signature") from last_error
