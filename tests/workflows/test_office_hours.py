"""Office hours: a weekly schedule in a time zone, holidays, and the next opening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
        {"weekly": {"mon": [["09:00", "09:00"]]}},
        {"weekly": {"mon": [["00:00", "00:00"]]}},
        {"weekly": {"mon": [["24:00", "06:00"]]}},
        {"weekly": {"mon": [["09:00", "24:01"]]}},
        {"weekly": {"mon": [["09:00"]]}},
        {"weekly": {"mon": [["9am", "5pm"]]}},
        {"holidays": ["not a date"]},
        {"colour": "blue"},
    ],
)
def test_bad_office_hours_are_refused(value: object) -> None:
    with pytest.raises(InvalidInput):
        parse_office_hours(value)


# ---- daylight saving -------------------------------------------------------------------------

NEW_YORK = {
    "timezone": "America/New_York",
    "weekly": {d: [["09:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]},
}


def test_the_same_local_hours_move_in_utc_with_daylight_saving() -> None:
    hours = parse_office_hours(NEW_YORK)
    # 13:30 UTC is 08:30 EST (Friday 6 March 2026) but 09:30 EDT (Monday 9 March).
    assert not hours.is_open(datetime(2026, 3, 6, 13, 30, tzinfo=UTC))
    assert hours.is_open(datetime(2026, 3, 9, 13, 30, tzinfo=UTC))
    # Over the weekend the clocks go forward: Monday 09:00 EDT is 13:00 UTC, not 14:00.
    friday_evening = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    assert hours.next_open(friday_evening) == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    assert hours.describe_next_open(friday_evening) == "Monday at 09:00 (America/New_York)"
    # And back in November: Monday 2 Nov 09:00 EST is 14:00 UTC.
    assert hours.next_open(datetime(2026, 10, 30, 22, 0, tzinfo=UTC)) == datetime(
        2026, 11, 2, 14, 0, tzinfo=UTC
    )


def test_an_opening_inside_the_skipped_hour_is_when_the_clocks_jump() -> None:
    # Berlin skips 02:00-03:00 on Sunday 29 March 2026 (01:00 UTC).
    hours = parse_office_hours(
        {"timezone": "Europe/Berlin", "weekly": {"sun": [["02:30", "04:00"]]}}
    )
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    opening = hours.next_open(saturday)
    assert opening == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert hours.is_open(opening)
    assert not hours.is_open(opening - timedelta(seconds=1))
    assert hours.describe_next_open(saturday) == "tomorrow at 03:00 (Europe/Berlin)"


def test_the_repeated_hour_in_autumn_is_open_both_times() -> None:
    # Berlin repeats 02:00-03:00 on Sunday 25 October 2026: 00:30 and 01:30 UTC are both 02:30.
    hours = parse_office_hours(
        {"timezone": "Europe/Berlin", "weekly": {"sun": [["02:00", "03:00"]]}}
    )
    assert hours.is_open(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert hours.is_open(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 10, 25, 2, 30, tzinfo=UTC))  # 03:30 CET


# ---- across midnight -------------------------------------------------------------------------

NIGHT_SHIFT = {
    "timezone": "Europe/London",
    "weekly": {
        "mon": [["09:00", "17:00"]],
        "fri": [["20:00", "02:00"]],  # Friday 20:00 to Saturday 02:00
        "sat": [["22:00", "24:00"]],
        "sun": [["00:00", "03:00"]],  # the same kind of span, written as two days
    },
}


def test_an_overnight_interval_runs_into_the_next_day() -> None:
    hours = parse_office_hours(NIGHT_SHIFT)
    # Winter: London is UTC.
    assert not hours.is_open(datetime(2026, 12, 4, 19, 59, tzinfo=UTC))  # Fri 19:59
    assert hours.is_open(datetime(2026, 12, 4, 23, 30, tzinfo=UTC))  # Fri 23:30
    assert hours.is_open(datetime(2026, 12, 5, 1, 59, tzinfo=UTC))  # Sat 01:59
    assert not hours.is_open(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))  # Sat 02:00
    assert hours.is_open(datetime(2026, 12, 5, 23, 0, tzinfo=UTC))  # Sat 23:00
    assert hours.is_open(datetime(2026, 12, 6, 0, 0, tzinfo=UTC))  # Sun 00:00
    assert not hours.is_open(datetime(2026, 12, 6, 3, 0, tzinfo=UTC))  # Sun 03:00


def test_back_at_across_midnight() -> None:
    hours = parse_office_hours(NIGHT_SHIFT)
    saturday_morning = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert hours.describe_next_open(saturday_morning) == "today at 22:00 (Europe/London)"
    sunday_morning = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    assert hours.describe_next_open(sunday_morning) == "tomorrow at 09:00 (Europe/London)"
    # Open now, across midnight: the next opening is now.
    assert hours.next_open(datetime(2026, 12, 5, 0, 30, tzinfo=UTC)) == datetime(
        2026, 12, 5, 0, 30, tzinfo=UTC
    )
    # Summer (BST, UTC+1): Friday 20:00 local is 19:00 UTC.
    assert hours.next_open(datetime(2026, 7, 3, 12, 0, tzinfo=UTC)) == datetime(
        2026, 7, 3, 19, 0, tzinfo=UTC
    )


def test_a_holiday_cancels_its_own_night_and_cuts_the_night_before_at_midnight() -> None:
    shift = {**NIGHT_SHIFT, "holidays": ["2026-12-05"]}  # the Saturday
    hours = parse_office_hours(shift)
    assert hours.is_open(datetime(2026, 12, 4, 23, 30, tzinfo=UTC))  # Friday night, before 00:00
    assert not hours.is_open(datetime(2026, 12, 5, 0, 30, tzinfo=UTC))  # Saturday: holiday
    assert not hours.is_open(datetime(2026, 12, 5, 23, 0, tzinfo=UTC))  # Saturday's own night
    assert hours.is_open(datetime(2026, 12, 6, 0, 30, tzinfo=UTC))  # Sunday's 00:00-03:00
    assert hours.describe_next_open(datetime(2026, 12, 5, 0, 30, tzinfo=UTC)) == (
        "tomorrow at 00:00 (Europe/London)"
    )
    friday = {**NIGHT_SHIFT, "holidays": ["2026-12-04"]}
    hours = parse_office_hours(friday)
    assert not hours.is_open(datetime(2026, 12, 4, 23, 30, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 12, 5, 1, 0, tzinfo=UTC))  # the cancelled night


# ---- holidays are local dates of the schedule's zone --------------------------------------------

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def test_a_holiday_east_of_utc_starts_before_the_utc_date_does() -> None:
    tokyo = parse_office_hours(
        {
            "timezone": "Asia/Tokyo",
            "weekly": {d: [["09:00", "18:00"]] for d in WEEKDAYS},
            "holidays": ["2026-12-25"],
        }
    )
    # 24 Dec 23:30 UTC is 25 Dec 08:30 in Tokyo; 25 Dec 01:00 UTC is 10:00 on the holiday.
    assert not tokyo.is_open(datetime(2026, 12, 25, 1, 0, tzinfo=UTC))
    assert tokyo.is_open(datetime(2026, 12, 24, 1, 0, tzinfo=UTC))  # Thu 24 Dec, 10:00
    assert tokyo.next_open(datetime(2026, 12, 24, 23, 30, tzinfo=UTC)) == datetime(
        2026, 12, 28, 0, 0, tzinfo=UTC
    )  # Monday 28 Dec 09:00 JST
    assert tokyo.describe_next_open(datetime(2026, 12, 24, 23, 30, tzinfo=UTC)) == (
        "Monday at 09:00 (Asia/Tokyo)"
    )


def test_a_holiday_west_of_utc_is_open_the_evening_before_though_utc_is_on_the_holiday() -> None:
    los_angeles = parse_office_hours(
        {
            "timezone": "America/Los_Angeles",
            "weekly": {d: [["09:00", "20:00"]] for d in WEEKDAYS},
            "holidays": ["2026-12-25"],
        }
    )
    # 25 Dec 02:00 UTC is 24 Dec 18:00 in Los Angeles: open.
    assert los_angeles.is_open(datetime(2026, 12, 25, 2, 0, tzinfo=UTC))
    # 25 Dec 18:00 UTC is 10:00 on the holiday: closed; back Monday 28 Dec 09:00 PST.
    christmas = datetime(2026, 12, 25, 18, 0, tzinfo=UTC)
    assert not los_angeles.is_open(christmas)
    assert los_angeles.next_open(christmas) == datetime(2026, 12, 28, 17, 0, tzinfo=UTC)


def test_a_long_closure_names_the_date() -> None:
    hours = parse_office_hours(
        {
            "timezone": "Europe/Berlin",
            "weekly": {d: [["09:00", "17:00"]] for d in WEEKDAYS},
            "holidays": [f"2026-12-{d}" for d in range(21, 32)] + ["2027-01-01"],
        }
    )
    assert hours.describe_next_open(datetime(2026, 12, 18, 18, 0, tzinfo=UTC)) == (
        "Monday 2027-01-04 at 09:00 (Europe/Berlin)"
    )
