"""Working hours in local wall time: windows, weekly hours and dated overrides.

A :class:`Window` is a stretch of local wall time on one day, e.g. 08:30–12:00. A window whose
end is at or before its start runs overnight and ends on the next day (22:00–06:00); it belongs
to the day it starts, so a holiday on the next day does not cut it short. ``Window("00:00",
"00:00")`` is a whole day (24×7 is that window every day).

:class:`WeeklyHours` gives each weekday its windows (a lunch break is two windows).
:class:`Closed` and :class:`Open` are dated overrides of equal standing: a day closed for a
typhoon or a holiday, a day open with its own windows (a make-up workday, 调休上班).

>>> hours = WeeklyHours.weekdays(Window("08:30", "12:00"), Window("13:30", "17:30"))
>>> [str(w) for w in hours.on(1)], hours.on(6)
(['08:30–12:00', '13:30–17:30'], ())
>>> Window("22:00", "06:00").overnight, Window("22:00", "06:00").nominal_seconds
(True, 28800)
>>> WeeklyHours.weekdays(Window("08:00", "12:00"), Window("11:00", "17:00"))
Traceback (most recent call last):
...
propcrm.errors.InvalidCalendar: windows 08:00–12:00 and 11:00–17:00 on Monday overlap; \
windows of a day must not overlap (a lunch break is two windows with a gap between).
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections.abc import Iterable

import attrs
import pendulum

from propcrm.errors import InvalidCalendar
from propcrm.time import as_date

__all__ = [
    "SECONDS_PER_DAY",
    "Closed",
    "DatedOverride",
    "DayKind",
    "Open",
    "WeeklyHours",
    "Window",
]

SECONDS_PER_DAY = 86_400
"""Seconds in a day of wall time (a DST day has more or fewer real seconds)."""

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


_ALLOWED_TIME = "a datetime.time without tzinfo, in whole seconds, or 'HH:MM' text"


def _to_time(value: datetime.time | str) -> datetime.time:
    if isinstance(value, str):
        try:
            parsed = datetime.time.fromisoformat(value)
        except ValueError:
            raise InvalidCalendar(
                f"window time {value!r} is not a wall time; write it as 'HH:MM' or 'HH:MM:SS', "
                "e.g. '08:30'.",
                field="window time",
                value=value,
                allowed=_ALLOWED_TIME,
            ) from None
        value = parsed
    if not isinstance(value, datetime.time):
        raise InvalidCalendar(
            f"window time {value!r} is a {type(value).__name__}; pass a datetime.time or "
            "'HH:MM' text, e.g. '08:30'.",
            field="window time",
            value=value,
            allowed=_ALLOWED_TIME,
        )
    if value.tzinfo is not None:
        raise InvalidCalendar(
            f"window time {value} has a time zone; windows are local wall time in the calendar's "
            "zone, so pass a time without tzinfo.",
            field="window time",
            value=value,
            allowed=_ALLOWED_TIME,
        )
    if value.microsecond:
        raise InvalidCalendar(
            f"window time {value} has a fraction of a second; windows are whole seconds.",
            field="window time",
            value=value,
            allowed=_ALLOWED_TIME,
        )
    return value


def _seconds(value: datetime.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds % SECONDS_PER_DAY, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


@attrs.frozen
class Window:
    """A stretch of local wall time, ``[start, end)``; it ends the next day if ``end <= start``.

    >>> Window("13:30", "17:30").nominal_seconds
    14400
    >>> str(Window("22:00", "06:00")), str(Window("00:00", "00:00"))
    ('22:00–06:00(+1)', '00:00–24:00')
    """

    start: datetime.time = attrs.field(converter=_to_time)
    end: datetime.time = attrs.field(converter=_to_time)

    @property
    def overnight(self) -> bool:
        """Whether the window ends on the day after it starts."""
        return self.end <= self.start

    @property
    def start_offset(self) -> int:
        """Seconds of wall time from the start day's midnight to the start."""
        return _seconds(self.start)

    @property
    def end_offset(self) -> int:
        """Wall-time seconds from the start day's midnight to the end (over a day if overnight)."""
        end = _seconds(self.end)
        return end + SECONDS_PER_DAY if self.overnight else end

    @property
    def nominal_seconds(self) -> int:
        """Length in wall-clock seconds; the real length differs on a DST change."""
        return self.end_offset - self.start_offset

    def __str__(self) -> str:
        if self.end_offset == SECONDS_PER_DAY:
            return f"{_clock(self.start_offset)}–24:00"
        suffix = "(+1)" if self.overnight else ""
        return f"{_clock(self.start_offset)}–{_clock(self.end_offset)}{suffix}"


def _windows(values: Iterable[Window]) -> tuple[Window, ...]:
    if isinstance(values, str | bytes | Window) or not isinstance(values, Iterable):
        raise InvalidCalendar(
            f"windows {values!r} must be a collection of Window, e.g. [Window('08:30', '12:00')].",
            field="windows",
            value=values,
            allowed="a collection of Window",
        )
    found = tuple(values)
    for value in found:
        if not isinstance(value, Window):
            raise InvalidCalendar(
                f"{value!r} is not a Window; pass Window(start, end), e.g. "
                "Window('08:30', '12:00').",
                field="windows",
                value=value,
                allowed="Window",
            )
    return tuple(sorted(found, key=lambda w: w.start_offset))


def check_day(windows: tuple[Window, ...], what: str) -> None:
    """Refuse windows of one day that overlap (they arrive sorted by start)."""
    for before, after in itertools.pairwise(windows):
        if before.end_offset > after.start_offset:
            raise InvalidCalendar(
                f"windows {before} and {after} on {what} overlap; windows of a day must not "
                "overlap (a lunch break is two windows with a gap between).",
                field="windows",
                value=(before, after),
                allowed="windows that do not overlap",
                day=what,
            )


def spill(windows: tuple[Window, ...]) -> int:
    """Seconds of wall time the day's overnight windows run into the next day (0 if none)."""
    return max([w.end_offset - SECONDS_PER_DAY for w in windows] + [0])


@attrs.frozen
class WeeklyHours:
    """The windows of each weekday; an empty day is closed.

    Windows of one day must not overlap, nor may an overnight window run into the next day's
    first window (Sunday's runs into Monday's).

    >>> WeeklyHours.every_day(Window("00:00", "00:00")).on(7)
    (Window(start=datetime.time(0, 0), end=datetime.time(0, 0)),)
    """

    monday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    tuesday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    wednesday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    thursday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    friday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    saturday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    sunday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)

    def __attrs_post_init__(self) -> None:
        days = self.days
        for index, windows in enumerate(days):
            check_day(windows, _WEEKDAY_NAMES[index])
        for index, windows in enumerate(days):
            following = days[(index + 1) % 7]
            runs_into = spill(windows)
            if following and runs_into > following[0].start_offset:
                raise InvalidCalendar(
                    f"the overnight window of {_WEEKDAY_NAMES[index]} runs until "
                    f"{_clock(runs_into)} on {_WEEKDAY_NAMES[(index + 1) % 7]}, into its window "
                    f"{following[0]}; end the overnight window before the next one starts.",
                    field=_WEEKDAY_NAMES[index].lower(),
                    value=windows,
                    allowed="an overnight window that ends before the next day's first window",
                )

    @classmethod
    def weekdays(cls, *windows: Window) -> WeeklyHours:
        """The same windows Monday to Friday; Saturday and Sunday closed."""
        return cls(*([windows] * 5))

    @classmethod
    def every_day(cls, *windows: Window) -> WeeklyHours:
        """The same windows every day of the week."""
        return cls(*([windows] * 7))

    @property
    def days(self) -> tuple[tuple[Window, ...], ...]:
        """The windows of Monday … Sunday, in that order."""
        return (
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
            self.sunday,
        )

    def on(self, isoweekday: int) -> tuple[Window, ...]:
        """The windows of an ISO weekday (1 = Monday … 7 = Sunday)."""
        if isinstance(isoweekday, bool) or not isinstance(isoweekday, int):
            raise InvalidCalendar(
                f"weekday {isoweekday!r} must be an int from 1 to 7.",
                field="isoweekday",
                value=isoweekday,
                allowed="int from 1 to 7",
            )
        if not 1 <= isoweekday <= 7:
            raise InvalidCalendar(
                f"weekday {isoweekday} must be from 1 (Monday) to 7 (Sunday).",
                field="isoweekday",
                value=isoweekday,
                allowed="int from 1 to 7",
            )
        return self.days[isoweekday - 1]


def _reason(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidCalendar(
            f"override reason {value!r} must be non-empty text, e.g. '台风停工' (typhoon closure).",
            field="reason",
            value=value,
            allowed="non-empty text",
        )


@attrs.frozen
class Closed:
    """The calendar does not work on ``day`` (a holiday, a typhoon closure).

    Windows of the day before that run overnight into ``day`` still count: they belong to the
    day they start.
    """

    day: pendulum.Date = attrs.field(converter=as_date)
    reason: str = attrs.field(default="closed", validator=_reason)


def _open_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    found = _windows(windows)
    if not found:
        raise InvalidCalendar(
            "an Open override needs at least one window; use Closed(day) for a day without work.",
            field="windows",
            value=found,
            allowed="at least one Window",
        )
    return found


@attrs.frozen
class Open:
    """The calendar works ``windows`` on ``day`` instead of its weekly hours (a make-up workday)."""

    day: pendulum.Date = attrs.field(converter=as_date)
    windows: tuple[Window, ...] = attrs.field(converter=_open_windows)
    reason: str = attrs.field(default="open", validator=_reason)

    def __attrs_post_init__(self) -> None:
        check_day(self.windows, self.day.isoformat())


DatedOverride = Closed | Open
"""A dated override: a day closed, or open with its own windows."""


class DayKind(enum.Enum):
    """Why a day has the windows it has, in order of precedence (overrides first)."""

    CLOSED = "closed"
    """Closed by a local override (:class:`Closed`)."""
    OPEN = "open"
    """Opened by a local override (:class:`Open`) with its own windows."""
    HOLIDAY = "holiday"
    """A public holiday from the calendar's holiday provider."""
    MAKE_UP = "make-up"
    """A make-up workday (调休上班) from the calendar's holiday provider."""
    REGULAR = "regular"
    """The weekly hours of its weekday (possibly none: a weekend)."""
