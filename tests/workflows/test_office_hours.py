"""Office hours: a weekly schedule in a time zone, holidays, and the next opening."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from relaydesk.errors import InvalidInput
from relaydesk.workflows.office_hours import OfficeHours, parse_office_hours

BERLIN = {
    "timezone": "Europe/Berlin",
    "weekly": {
        "mon": [["09:00", "17:00"]],
        "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
        "fri": [["09:00", "17:00"]],
    },
    "holidays": ["2026-11-30"],
}


def test_open_and_closed_in_the_schedule_zone() -> None:
    hours = parse_office_hours(BERLIN)
    # Friday 27 Nov 2026, 10:00 UTC = 11:00 Berlin: open.
    assert hours.is_open(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    # 16:30 UTC = 17:30 Berlin: closed.
    assert not hours.is_open(datetime(2026, 11, 27, 16, 30, tzinfo=UTC))
    # 07:30 UTC = 08:30 Berlin: not yet.
    assert not hours.is_open(datetime(2026, 11, 27, 7, 30, tzinfo=UTC))


def test_lunch_break_is_closed() -> None:
    hours = parse_office_hours(BERLIN)
    assert not hours.is_open(datetime(2026, 12, 1, 11, 30, tzinfo=UTC))  # Tue 12:30 Berlin
    assert hours.is_open(datetime(2026, 12, 1, 12, 30, tzinfo=UTC))  # Tue 13:30 Berlin


def test_holiday_is_closed_and_skipped_by_next_open() -> None:
    hours = parse_office_hours(BERLIN)
    monday_holiday = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert not hours.is_open(monday_holiday)
    assert hours.next_open(monday_holiday) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert hours.describe_next_open(monday_holiday) == "tomorrow at 09:00 (Europe/Berlin)"


def test_next_open_over_a_weekend() -> None:
    hours = parse_office_hours(BERLIN)
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    # Monday is a holiday, so Tuesday 09:00 Berlin.
    assert hours.next_open(friday_evening) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert hours.describe_next_open(friday_evening) == "Tuesday at 09:00 (Europe/Berlin)"


def test_next_open_later_today_and_when_open() -> None:
    hours = parse_office_hours(BERLIN)
    early = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    assert hours.describe_next_open(early) == "today at 09:00 (Europe/Berlin)"
    open_now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert hours.next_open(open_now) == open_now


def test_no_setting_is_always_open_and_an_empty_week_never_opens() -> None:
    now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert parse_office_hours(None).is_open(now)
    closed = OfficeHours(timezone="UTC")
    assert not closed.is_open(now)
    assert closed.next_open(now) is None


@pytest.mark.parametrize(
    "value",
    [
        {"timezone": "Mars/Olympus"},
        {"weekly": {"funday": [["09:00", "10:00"]]}},
        {"weekly": {"mon": [["17:00", "09:00"]]}},
        {"weekly": {"mon": [["9am", "5pm"]]}},
        {"holidays": ["not a date"]},
        {"colour": "blue"},
    ],
)
def test_bad_office_hours_are_refused(value: object) -> None:
    with pytest.raises(InvalidInput):
        parse_office_hours(value)
