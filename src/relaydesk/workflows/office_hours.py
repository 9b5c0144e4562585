"""Office hours: a weekly schedule in a time zone, plus holidays, and the next opening time.

Stored as the product setting ``office_hours``::

    {"timezone": "Europe/Berlin",
     "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "17:00"]]},
     "holidays": ["2026-12-25", "2026-12-26"]}

Times are local to ``timezone`` (daylight saving included). Days not listed are closed. An
interval that ends at or before it starts runs overnight: ``"fri": [["22:00", "02:00"]]`` is
open from Friday 22:00 to Saturday 02:00; ``24:00`` ends a day. Holidays are whole local days
closed: a shift that starts on a holiday does not happen, and one that starts the evening
before stops at midnight. With no setting at all the team counts as always open
(``OfficeHours.always_open()``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from relaydesk.errors import InvalidInput

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SETTING_KEY = "office_hours"
_HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


@cache
def _known_zones() -> frozenset[str]:
    """Return the IANA zone names (read from disk once: about 10 ms each time otherwise)."""
    return frozenset(available_timezones())


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class OfficeHours(BaseModel):
    """A weekly schedule in a time zone, with holidays (whole days closed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = Field(default="UTC", description="An IANA time zone, e.g. Europe/Berlin.")
    weekly: dict[str, list[tuple[_HHMM, _HHMM]]] = Field(
        default_factory=dict, description="Opening intervals per day (mon … sun)."
    )
    holidays: list[date] = Field(default_factory=list, description="Closed dates (local).")
    always: bool = Field(default=False, description="Open around the clock (ignores the rest).")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in _known_zones() and value != "UTC":
            raise ValueError(f"unknown time zone {value!r}")
        return value

    @field_validator("weekly")
    @classmethod
    def _known_days(
        cls, value: dict[str, list[tuple[str, str]]]
    ) -> dict[str, list[tuple[str, str]]]:
        for day, intervals in value.items():
            if day not in DAYS:
                raise ValueError(f"unknown day {day!r}; use {', '.join(DAYS)}")
            for start, end in intervals:
                if start == "24:00":
                    raise ValueError(f"{day}: an interval cannot start at 24:00")
                if _minutes(end) % 1440 == _minutes(start):
                    raise ValueError(f"{day}: interval {start}-{end} is empty (or use 00:00-24:00)")
        return value

    @model_validator(mode="after")
    def _zone_loads(self) -> OfficeHours:
        try:
            ZoneInfo(self.timezone)
        except ZoneInfoNotFoundError as exc:  # pragma: no cover - guarded by _known_zone
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        return self

    @classmethod
    def always_open(cls) -> OfficeHours:
        """Return office hours that are always open (the default with no setting)."""
        return cls(always=True)

    @property
    def zone(self) -> ZoneInfo:
        """Return the schedule's time zone."""
        return ZoneInfo(self.timezone)

    def _intervals(self, day: date) -> list[tuple[int, int]]:
        """Return the open minute ranges [a, b) of a local date (0 ≤ a < b ≤ 1440), sorted.

        The day's own intervals (an overnight one up to midnight) and the part after
        midnight of the day before's overnight intervals; nothing on a holiday.
        """
        if day in self.holidays:
            return []
        ranges: list[tuple[int, int]] = []
        for start, end in self.weekly.get(DAYS[day.weekday()], []):
            a, b = _minutes(start), _minutes(end)
            ranges.append((a, b if b > a else 1440))
        before = day - timedelta(days=1)
        if before not in self.holidays:
            for start, end in self.weekly.get(DAYS[before.weekday()], []):
                a, b = _minutes(start), _minutes(end)
                if 0 < b <= a:
                    ranges.append((0, b))
        return sorted(ranges)

    def is_open(self, now: datetime) -> bool:
        """Tell whether the team is open at now (an aware datetime)."""
        if self.always:
            return True
        local = now.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        return any(a <= minute < b for a, b in self._intervals(local.date()))

    def _instant(self, day: date, minute: int) -> datetime:
        """Return the UTC instant of a local date and minute of the day.

        A wall time that daylight saving skips (02:30 on the spring-forward night) is the
        moment the clocks jump: the first instant at or after that wall time.
        """
        wall = datetime.combine(day, time(minute // 60, minute % 60))
        instant = wall.replace(tzinfo=self.zone).astimezone(UTC)
        if instant.astimezone(self.zone).replace(tzinfo=None) == wall:
            return instant
        low = wall.replace(tzinfo=self.zone, fold=1).astimezone(UTC)  # before the jump
        while instant - low > timedelta(seconds=1):
            middle = low + (instant - low) / 2
            if middle.astimezone(self.zone).replace(tzinfo=None) >= wall:
                instant = middle
            else:
                low = middle
        return instant.replace(microsecond=0)  # zone transitions fall on whole seconds

    def next_open(self, now: datetime) -> datetime | None:
        """Return when the team next opens after now (now itself when open); None if never."""
        if self.always or self.is_open(now):
            return now
        local = now.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        for offset in range(370):
            day = local.date() + timedelta(days=offset)
            for start, _end in self._intervals(day):
                if offset == 0 and start <= minute:
                    continue
                return self._instant(day, start)
        return None

    def describe_next_open(self, now: datetime) -> str:
        """Return the next opening time in words, in the schedule's time zone."""
        opening = self.next_open(now)
        if opening is None:
            return "soon"
        if opening == now:
            return "now"
        local_now = now.astimezone(self.zone)
        local = opening.astimezone(self.zone)
        days = (local.date() - local_now.date()).days
        clock = local.strftime("%H:%M")
        zone = self.timezone
        if days == 0:
            return f"today at {clock} ({zone})"
        if days == 1:
            return f"tomorrow at {clock} ({zone})"
        if days < 7:
            return f"{DAY_NAMES[local.weekday()]} at {clock} ({zone})"
        return f"{DAY_NAMES[local.weekday()]} {local.date().isoformat()} at {clock} ({zone})"


def parse_office_hours(value: Any) -> OfficeHours:
    """Return the OfficeHours in a stored/posted value; None means always open."""
    if value is None:
        return OfficeHours.always_open()
    try:
        return OfficeHours.model_validate(value)
    except ValidationError as exc:
        errors = [{"loc": [str(p) for p in e["loc"]], "msg": str(e["msg"])} for e in exc.errors()]
        first = errors[0]
        where = ".".join(first["loc"]) or "office_hours"
        raise InvalidInput(f"office hours: {where}: {first['msg']}", errors=errors) from exc
