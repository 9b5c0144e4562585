"""One-time codes: hashing, expiry, attempts, resend limits (against a real database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from relaydesk.db.engine import Database
from relaydesk.db.models.security import OneTimeCode
from relaydesk.security.actions import do_check_code, do_issue_code
from relaydesk.security.otp import (
    CheckOutcome,
    ResendTooSoon,
    code_matches,
    generate_code,
    hash_code,
)

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.postgres


def test_codes_are_six_digits_and_vary() -> None:
    codes = {generate_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150


def test_hash_hides_the_code_and_verifies_it() -> None:
    h1, h2 = hash_code("123456"), hash_code("123456")
    assert "123456" not in h1
    assert h1 != h2  # a fresh salt per code
    assert code_matches(h1, "123456")
    assert not code_matches(h1, "123457")
    assert not code_matches("not-a-hash", "123456")


def issue(db: Database, now: datetime = T0, subject: str = "conv-1", email: str = "a@x.test"):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return do_issue_code(session, subject=subject, email=email, now=now)


def check(db: Database, candidate: str, now: datetime = T0, subject: str = "conv-1"):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return do_check_code(session, subject=subject, candidate=candidate, now=now)


def test_right_code_passes_once_and_is_stored_hashed(db: Database) -> None:
    issued = issue(db)
    with db.session() as session:
        row = session.scalars(select(OneTimeCode)).one()
        assert issued.code not in row.code_hash
        assert row.email == "a@x.test"
    result = check(db, f" {issued.code[:3]} {issued.code[3:]} ", T0 + timedelta(minutes=9))
    assert result.outcome is CheckOutcome.OK and result.email == "a@x.test"
    # a used code cannot be replayed
    assert check(db, issued.code).outcome is CheckOutcome.MISSING


def test_wrong_code_counts_attempts_then_exhausts(db: Database) -> None:
    issued = issue(db)
    wrong = "000000" if issued.code != "000000" else "111111"
    lefts = [check(db, wrong) for _ in range(4)]
    assert [r.outcome for r in lefts] == [CheckOutcome.WRONG] * 4
    assert [r.attempts_left for r in lefts] == [4, 3, 2, 1]
    assert check(db, wrong).outcome is CheckOutcome.EXHAUSTED
    # even the right code is refused once the attempts are spent
    assert check(db, issued.code).outcome is CheckOutcome.EXHAUSTED


def test_expired_code_is_refused(db: Database) -> None:
    issued = issue(db)
    assert check(db, issued.code, T0 + timedelta(minutes=10)).outcome is CheckOutcome.EXPIRED


def test_no_code_is_missing(db: Database) -> None:
    assert check(db, "123456").outcome is CheckOutcome.MISSING


def test_resend_supersedes_the_old_code(db: Database) -> None:
    first = issue(db)
    second = issue(db, T0 + timedelta(seconds=61))
    if first.code != second.code:
        assert check(db, first.code, T0 + timedelta(seconds=62)).outcome is CheckOutcome.WRONG
    assert check(db, second.code, T0 + timedelta(seconds=63)).ok


def test_resend_within_a_minute_is_refused(db: Database) -> None:
    issue(db)
    with pytest.raises(ResendTooSoon) as info:
        issue(db, T0 + timedelta(seconds=30))
    assert info.value.retry_after == 30
    assert info.value.status == 429
    # the limit also holds for the same address from another conversation
    with pytest.raises(ResendTooSoon):
        issue(db, T0 + timedelta(seconds=30), subject="conv-2")
    # a different address and conversation is not affected
    issue(db, T0 + timedelta(seconds=30), subject="conv-3", email="b@x.test")


def test_at_most_five_codes_an_hour(db: Database) -> None:
    for i in range(5):
        issue(db, T0 + timedelta(minutes=2 * i))
    with pytest.raises(ResendTooSoon) as info:
        issue(db, T0 + timedelta(minutes=12))
    assert "last hour" in info.value.message
    assert info.value.retry_after == 48 * 60
    issue(db, T0 + timedelta(minutes=61))


def test_email_is_normalised(db: Database) -> None:
    issued = issue(db, email="  Jane@Example.TEST ")
    assert issued.email == "jane@example.test"


def test_requested_code_is_pending_until_filled(db: Database) -> None:
    from relaydesk.security.actions import do_fill_code, do_request_code

    with db.transaction() as session:
        row_id = do_request_code(session, subject="conv-1", email="a@x.test", now=T0).id
    assert check(db, "123456").outcome is CheckOutcome.PENDING
    with db.transaction() as session:
        issued = do_fill_code(session, row_id)
    assert issued is not None
    # a retried email makes a new code; only the newest works
    with db.transaction() as session:
        again = do_fill_code(session, row_id)
    assert again is not None
    if again.code != issued.code:
        assert check(db, issued.code).outcome is CheckOutcome.WRONG
    assert check(db, again.code).ok
    with db.transaction() as session:
        assert do_fill_code(session, row_id) is None  # used: nothing more to send


def test_code_only_verifies_the_address_it_was_sent_to(db: Database) -> None:
    from relaydesk.security.actions import do_supersede_codes

    issued = issue(db, email="first@x.test")
    with db.transaction() as session:
        result = do_check_code(
            session, subject="conv-1", candidate=issued.code, now=T0, email="other@x.test"
        )
    assert result.outcome is CheckOutcome.MISSING
    with db.transaction() as session:
        assert do_supersede_codes(session, "conv-1", now=T0) == 1
    assert check(db, issued.code).outcome is CheckOutcome.MISSING
