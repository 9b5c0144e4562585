"""Office hours: a weekly schedule in a time zone, plus holidays, and the next opening time.

Stored as the product setting ``office_hours``::

    {"timezone": "Europe/Berlin",
     "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "17:00"]]},
     "holidays": ["2026-12-25", "2026-12-26"]}

Days not listed are closed; an interval ends at most at ``24:00``. With no setting at all
the team counts as always open (``OfficeHours.always_open()``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from relaydesk.errors import InvalidInput

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SETTING_KEY = "office_hours"
_HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


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
        if value not in available_timezones() and value != "UTC":
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
                if _minutes(end) <= _minutes(start):
                    raise ValueError(f"{day}: interval {start}-{end} must end after it starts")
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
        if day in self.holidays:
            return []
        return sorted(
            (_minutes(a), _minutes(b)) for a, b in self.weekly.get(DAYS[day.weekday()], [])
        )

    def is_open(self, now: datetime) -> bool:
        """Tell whether the team is open at now (an aware datetime)."""
        if self.always:
            return True
        local = now.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        return any(a <= minute < b for a, b in self._intervals(local.date()))

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
                opening = datetime.combine(day, time(start // 60, start % 60), self.zone)
                return opening.astimezone(UTC)
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
