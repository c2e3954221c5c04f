"""Working-day calendars: the protocol billing rolls due dates through, and a simple calendar.

The SLA engine's business calendars (with China's holidays and make-up workdays) implement
:class:`WorkingDayCalendar`; billing needs nothing more than it, so billing never depends on the
SLA package. :class:`WeekdayCalendar` is the plain Monday-to-Friday calendar with explicit
closed and open days, enough for tests, demos and communities that keep their own list.

>>> cal = WeekdayCalendar(closed=frozenset({pendulum.date(2026, 10, 1)}))
>>> cal.is_working_day(pendulum.date(2026, 10, 1)), cal.is_working_day(pendulum.date(2026, 10, 2))
(False, True)
>>> next_working_day(cal, pendulum.date(2026, 10, 3))
Date(2026, 10, 5)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._validators import check_text
from propcrm.errors import InvalidPolicy, InvalidType
from propcrm.time._dates import as_date

__all__ = ["MAX_ROLL_DAYS", "WeekdayCalendar", "WorkingDayCalendar", "next_working_day"]

MAX_ROLL_DAYS = 366
"""How far :func:`next_working_day` looks before deciding a calendar has no working days."""


@runtime_checkable
class WorkingDayCalendar(Protocol):
    """Anything that says whether a date is a working day."""

    @property
    def name(self) -> str:
        """A short name for explanations, e.g. ``'CN-mainland'``."""
        ...

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is a working day."""
        ...


def _dates(values: object) -> frozenset[pendulum.Date]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidType(
            f"expected a collection of dates, got {type(values).__name__} {values!r}; pass e.g. "
            "frozenset({pendulum.date(2026, 10, 1)}).",
            field="dates",
            value=values,
            allowed="a set, list or tuple of dates",
        )
    return frozenset(as_date(v) for v in values)


def _name(_instance: object, _attribute: object, value: object) -> None:
    check_text(value, "name", InvalidPolicy, max_length=64, example="'weekdays'")


@attrs.frozen
class WeekdayCalendar:
    """Monday to Friday, except ``closed`` dates, plus ``open`` dates (make-up workdays)."""

    closed: frozenset[pendulum.Date] = attrs.field(default=frozenset(), converter=_dates)
    open: frozenset[pendulum.Date] = attrs.field(default=frozenset(), converter=_dates)
    name: str = attrs.field(default="weekdays", validator=_name)

    def __attrs_post_init__(self) -> None:
        both = self.closed & self.open
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise InvalidPolicy(
                f"dates {listed} are both closed and open; list each in one only.",
                field="open",
                value=tuple(sorted(both)),
                allowed="dates not also closed",
            )

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is a working day of this calendar."""
        d = as_date(day, "day")
        if d in self.open:
            return True
        return d.isoweekday() <= 5 and d not in self.closed


def next_working_day(calendar: WorkingDayCalendar, day: datetime.date) -> pendulum.Date:
    """``day`` itself if it is a working day, else the first working day after it."""
    d = as_date(day, "day")
    if not isinstance(calendar, WorkingDayCalendar):
        raise InvalidType(
            f"calendar {calendar!r} is not a working-day calendar; pass one with a name and "
            "is_working_day(day), e.g. WeekdayCalendar().",
            field="calendar",
            value=calendar,
            allowed="WorkingDayCalendar",
        )
    for _ in range(MAX_ROLL_DAYS):
        if calendar.is_working_day(d):
            return d
        d = d.add(days=1)
    raise InvalidPolicy(
        f"calendar {calendar.name!r} has no working day within {MAX_ROLL_DAYS} days of "
        f"{as_date(day).isoformat()}; check its closed dates.",
        field="calendar",
        value=calendar.name,
        allowed=f"a calendar with a working day within {MAX_ROLL_DAYS} days",
        day=as_date(day),
    )
