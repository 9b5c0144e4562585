"""Writes (and the reads they need) of security state: issuing and checking one-time codes.

Actions never commit; the caller's transaction does. Times come in as ``now`` so the caller
(and tests) own the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from relaydesk.db.models.security import OneTimeCode
from relaydesk.security.otp import (
    DEFAULT_POLICY,
    CheckOutcome,
    CheckResult,
    OtpPolicy,
    ResendTooSoon,
    code_matches,
    generate_code,
    hash_code,
    normalise_candidate,
)


@dataclass(frozen=True)
class IssuedCode:
    """A freshly issued code: the plaintext exists only here, to be emailed."""

    id: str
    code: str
    email: str
    expires_at: datetime


def _ceil_seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def check_can_issue(
    session: Session,
    *,
    subject: str,
    email: str,
    now: datetime,
    policy: OtpPolicy = DEFAULT_POLICY,
) -> None:
    """Raise ResendTooSoon when a new code for subject or email would break the resend limits."""
    email = email.strip().lower()
    recent = or_(OneTimeCode.subject == subject, OneTimeCode.email == email)
    last = session.scalar(
        select(OneTimeCode.created_at)
        .where(recent)
        .order_by(OneTimeCode.created_at.desc())
        .limit(1)
    )
    if last is not None:
        last = _aware(last)
        wait = last + policy.resend_interval - now
        if wait > timedelta(0):
            secs = _ceil_seconds(wait)
            raise ResendTooSoon(
                f"A code was just sent. You can ask for a new one in {secs} seconds.",
                retry_after=secs,
            )
    hour_ago = now - timedelta(hours=1)
    rows = session.scalars(
        select(OneTimeCode.created_at)
        .where(recent, OneTimeCode.created_at > hour_ago)
        .order_by(OneTimeCode.created_at)
    ).all()
    if len(rows) >= policy.max_per_hour:
        oldest = _aware(rows[len(rows) - policy.max_per_hour])
        secs = _ceil_seconds(oldest + timedelta(hours=1) - now)
        minutes = max(1, math.ceil(secs / 60))
        raise ResendTooSoon(
            f"Too many codes were sent in the last hour. Try again in about {minutes} minutes.",
            retry_after=secs,
        )


def do_request_code(
    session: Session,
    *,
    subject: str,
    email: str,
    now: datetime,
    policy: OtpPolicy = DEFAULT_POLICY,
) -> OneTimeCode:
    """Reserve a new code for subject and email, superseding the subject's older codes.

    The row is written without a code (``code_hash`` empty): ``do_fill_code`` makes and
    hashes the code just before it is emailed, so the plaintext never rests anywhere.
    Raises ResendTooSoon when the resend limits forbid a new code.
    """
    email = email.strip().lower()
    check_can_issue(session, subject=subject, email=email, now=now, policy=policy)
    for old in session.scalars(
        select(OneTimeCode).where(
            OneTimeCode.subject == subject,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.superseded_at.is_(None),
        )
    ):
        old.superseded_at = now
    row = OneTimeCode(
        subject=subject,
        email=email,
        code_hash="",
        created_at=now,
        expires_at=now + policy.ttl,
        max_attempts=policy.max_attempts,
    )
    session.add(row)
    session.flush()
    return row


def do_fill_code(
    session: Session, code_id: str, *, policy: OtpPolicy = DEFAULT_POLICY
) -> IssuedCode | None:
    """Make the code of a reserved row and store its hash; return it for emailing.

    Returns None when the row is gone, used or superseded (nothing to send). Filling again
    (a retried email) replaces the code, so only the newest email's code works.
    """
    row = session.get(OneTimeCode, code_id, with_for_update=True)
    if row is None or row.used_at is not None or row.superseded_at is not None:
        return None
    code = generate_code(policy.digits)
    row.code_hash = hash_code(code)
    session.flush()
    return IssuedCode(id=row.id, code=code, email=row.email, expires_at=_aware(row.expires_at))


def do_issue_code(
    session: Session,
    *,
    subject: str,
    email: str,
    now: datetime,
    policy: OtpPolicy = DEFAULT_POLICY,
) -> IssuedCode:
    """Reserve and fill a code in one go (when the caller emails it itself)."""
    row = do_request_code(session, subject=subject, email=email, now=now, policy=policy)
    issued = do_fill_code(session, row.id, policy=policy)
    assert issued is not None
    return issued


def do_supersede_codes(session: Session, subject: str, *, now: datetime) -> int:
    """Retire the subject's live codes (the visitor changed the address); return how many."""
    count = 0
    for row in session.scalars(
        select(OneTimeCode).where(
            OneTimeCode.subject == subject,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.superseded_at.is_(None),
        )
    ):
        row.superseded_at = now
        count += 1
    return count


def get_live_code(session: Session, subject: str, *, lock: bool = False) -> OneTimeCode | None:
    """Return the subject's newest code that is neither used nor superseded, or None."""
    stmt = (
        select(OneTimeCode)
        .where(
            OneTimeCode.subject == subject,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.superseded_at.is_(None),
        )
        .order_by(OneTimeCode.created_at.desc())
        .limit(1)
    )
    if lock:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def do_check_code(
    session: Session,
    *,
    subject: str,
    candidate: str,
    now: datetime,
    email: str | None = None,
) -> CheckResult:
    """Check candidate against the subject's live code, spending one attempt on a miss.

    With ``email``, only a code sent to that address counts (a code sent to an address the
    visitor has since changed is MISSING), so a code can only ever verify its own address.
    A right code is used up (it cannot be replayed). Expired and exhausted codes are never
    compared, so they cannot be guessed any further.
    """
    row = get_live_code(session, subject, lock=True)
    if row is None or (email is not None and row.email != email.strip().lower()):
        return CheckResult(CheckOutcome.MISSING)
    if not row.code_hash:
        return CheckResult(CheckOutcome.PENDING, email=row.email)
    if now >= _aware(row.expires_at):
        return CheckResult(CheckOutcome.EXPIRED, email=row.email)
    if row.attempts >= row.max_attempts:
        return CheckResult(CheckOutcome.EXHAUSTED, email=row.email)
    row.attempts += 1
    if code_matches(row.code_hash, normalise_candidate(candidate)):
        row.used_at = now
        return CheckResult(CheckOutcome.OK, email=row.email)
    left = row.max_attempts - row.attempts
    if left <= 0:
        return CheckResult(CheckOutcome.EXHAUSTED, email=row.email)
    return CheckResult(CheckOutcome.WRONG, attempts_left=left, email=row.email)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
