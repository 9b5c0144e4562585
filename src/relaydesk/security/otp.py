"""One-time codes for email verification: generation, hashing and the rules they follow.

A code is 6 random digits (``secrets``), stored only as an argon2 hash (argon2 carries its
own random salt per hash), valid for 10 minutes and for 5 attempts. Resending is limited:
one code per subject or address every 60 s, five per hour. The database side (issue, check)
lives in :mod:`relaydesk.security.actions`; this module holds no SQL.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from relaydesk.errors import TooManyRequests

# Cheap enough for a web request (~10 ms) yet far slower than SHA-256 for an offline guesser.
_HASHER = PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1)


@dataclass(frozen=True)
class OtpPolicy:
    """How codes are made and limited. The defaults are relaydesk's policy."""

    digits: int = 6
    ttl: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    resend_interval: timedelta = timedelta(seconds=60)
    max_per_hour: int = 5


DEFAULT_POLICY = OtpPolicy()


class CheckOutcome(enum.StrEnum):
    """What checking a code found."""

    OK = "ok"
    WRONG = "wrong"  # attempts remain
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"  # no attempts left
    MISSING = "missing"  # no live code for this subject (never sent, used or superseded)
    PENDING = "pending"  # asked for, but the email with it has not gone out yet


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, with the attempts left on the code (0 unless WRONG)."""

    outcome: CheckOutcome
    attempts_left: int = 0
    email: str | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the code was right."""
        return self.outcome is CheckOutcome.OK


class ResendTooSoon(TooManyRequests):
    """A new code was asked for before the resend limit allows; ``retry_after`` in seconds."""

    code = "otp_resend_too_soon"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def generate_code(digits: int = DEFAULT_POLICY.digits) -> str:
    """Return a new random code of ``digits`` decimal digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def hash_code(code: str) -> str:
    """Return the argon2 hash (with its own random salt) under which a code is stored."""
    return _HASHER.hash(code)


def code_matches(code_hash: str, candidate: str) -> bool:
    """Tell whether candidate is the code behind code_hash (constant-time in argon2)."""
    try:
        return _HASHER.verify(code_hash, candidate)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_candidate(text: str) -> str:
    """Strip what people type around a code: spaces, dashes, dots."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-.")
