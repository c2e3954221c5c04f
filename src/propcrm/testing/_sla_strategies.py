"""Hypothesis strategies for business calendars: windows, weekly hours, calendars, instants.

Every strategy shrinks towards the simplest value: no windows, Shanghai, no overrides, the
first day of the range, zero seconds. ``granularity`` (seconds) aligns window boundaries and
instants, e.g. 60 for minute-aligned calendars that a minute-by-minute oracle can check.

>>> from hypothesis import given, settings
>>> @settings(max_examples=10, database=None)
... @given(
...     business_calendars().flatmap(lambda c: st.tuples(st.just(c), calendar_instants(c))),
...     business_durations(),
... )
... def test_between_undoes_add(pair, seconds):
...     calendar, start = pair
...     assert calendar.between(start, calendar.add(start, seconds)) == seconds
>>> test_between_undoes_add()
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pendulum
from hypothesis import strategies as st

from propcrm.sla import (
    BusinessCalendar,
    Closed,
    Holiday,
    HolidayList,
    HolidayYear,
    MakeUpDay,
    Open,
    WeeklyHours,
    Window,
)
from propcrm.sla._working_hours import SECONDS_PER_DAY, DatedOverride
from propcrm.time import zone as _zone

__all__ = [
    "CALENDAR_ZONES",
    "business_calendars",
    "business_durations",
    "calendar_instants",
    "day_windows",
    "weekly_hours",
]

CALENDAR_ZONES = (
    "Asia/Shanghai",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
)
"""Zones the calendar strategies draw from: no DST, DST by an hour (both hemispheres' kinds of
rules), a half-hour offset, and DST by half an hour."""

_DEFAULT_FIRST = datetime.date(2026, 2, 20)
_DEFAULT_LAST = datetime.date(2026, 4, 10)  # spans the March DST changes of Berlin and New York


def _check_granularity(granularity: int) -> int:
    if isinstance(granularity, bool) or not isinstance(granularity, int):
        raise ValueError(f"granularity must be an int of seconds, got {granularity!r}")
    if granularity < 1 or 3600 % granularity:
        raise ValueError(f"granularity {granularity} must divide an hour (1, 60, 900, …)")
    return granularity


def _time(offset: int) -> datetime.time:
    offset %= SECONDS_PER_DAY
    return datetime.time(offset // 3600, offset // 60 % 60, offset % 60)


def day_windows(
    *,
    day_start: int = 0,
    granularity: int = 60,
    min_size: int = 0,
    max_size: int = 3,
) -> st.SearchStrategy[tuple[Window, ...]]:
    """Non-overlapping windows of one day, inside ``[day_start, day_start + 1 day]``.

    With ``day_start > 0`` the last window may run overnight, ending by ``day_start`` of the
    next day, so a week of such days is always valid :class:`WeeklyHours`.
    """
    step = _check_granularity(granularity)
    slots = SECONDS_PER_DAY // step

    def windows(bounds: list[int]) -> tuple[Window, ...]:
        points = sorted(bounds)
        pairs = zip(points[::2], points[1::2], strict=True)
        # A window starts on its own day: one drawn to start after midnight is left out.
        return tuple(
            Window(_time(day_start + a * step), _time(day_start + b * step))
            for a, b in pairs
            if day_start + a * step < SECONDS_PER_DAY
        )

    return (
        st.integers(min_value=min_size, max_value=max_size)
        .flatmap(
            lambda n: st.lists(
                st.integers(min_value=0, max_value=slots),
                min_size=2 * n,
                max_size=2 * n,
                unique=True,
            )
        )
        .map(windows)
    )


@st.composite
def weekly_hours(
    draw: st.DrawFn,
    *,
    granularity: int = 60,
    overnight: bool = True,
    max_windows: int = 3,
) -> WeeklyHours:
    """Weekly hours with at least one window in the week (lunch breaks, overnight shifts, 24 h)."""
    day_start = draw(st.sampled_from((0, 6 * 3600) if overnight else (0,)))
    days = draw(
        st.lists(
            day_windows(day_start=day_start, granularity=granularity, max_size=max_windows),
            min_size=7,
            max_size=7,
        ).filter(any)
    )
    return WeeklyHours(*days)


def _dates(first: datetime.date, last: datetime.date) -> st.SearchStrategy[datetime.date]:
    span = (last - first).days
    return st.integers(min_value=0, max_value=span).map(
        lambda n: first + datetime.timedelta(days=n)
    )


@st.composite
def business_calendars(
    draw: st.DrawFn,
    *,
    zones: Sequence[str] = CALENDAR_ZONES,
    granularity: int = 60,
    first: datetime.date = _DEFAULT_FIRST,
    last: datetime.date = _DEFAULT_LAST,
    max_overrides: int = 6,
    holidays: bool = True,
) -> BusinessCalendar:
    """Random calendars: weekly hours, dated overrides and listed holidays between first and last.

    Open overrides may start at midnight, so they can meet the day before's overnight window
    (working time is then counted once). Holidays come from a :class:`HolidayList` that
    confirms every year (years other than first's and last's have none).
    """
    step = _check_granularity(granularity)
    zone = draw(st.sampled_from(tuple(zones)))
    hours = draw(weekly_hours(granularity=step))
    days = draw(st.lists(_dates(first, last), max_size=max_overrides, unique=True))
    overrides: list[DatedOverride] = []
    listed: list[tuple[datetime.date, str]] = []
    for day in days:
        kind = draw(
            st.sampled_from(
                ("closed", "open", "holiday", "make-up") if holidays else ("closed", "open")
            )
        )
        if kind == "closed":
            overrides.append(Closed(day, "台风停工"))
        elif kind == "open":
            windows = draw(day_windows(granularity=step, min_size=1))
            overrides.append(Open(day, windows, "加班"))
        else:
            listed.append((day, kind))
    provider = None
    make_up = None
    if holidays:
        years = sorted({first.year, last.year} | {d.year for d, _ in listed})
        provider = HolidayList(
            unlisted="no holidays in other years",
            years=[
                HolidayYear(
                    year,
                    [Holiday(d, "节日") for d, k in listed if k == "holiday" and d.year == year],
                    [MakeUpDay(d) for d, k in listed if k == "make-up" and d.year == year],
                    source=f"test list {year}",
                )
                for year in range(years[0], years[-1] + 1)
            ],
        )
        make_up = draw(day_windows(granularity=step, min_size=1))
    return BusinessCalendar(
        "random",
        hours,
        zone,
        holidays=provider,
        overrides=overrides,
        make_up_windows=make_up,
    )


def calendar_instants(
    calendar: BusinessCalendar,
    *,
    first: datetime.date = _DEFAULT_FIRST,
    last: datetime.date = _DEFAULT_LAST,
    granularity: int = 60,
    microseconds: bool = False,
) -> st.SearchStrategy[pendulum.DateTime]:
    """Instants in ``calendar``'s zone from local midnight of ``first`` to the end of ``last``."""
    step = _check_granularity(granularity)
    tz = _zone(calendar.zone)
    low = int(datetime.datetime(first.year, first.month, first.day, tzinfo=tz).timestamp())
    after = last + datetime.timedelta(days=1)
    high = int(datetime.datetime(after.year, after.month, after.day, tzinfo=tz).timestamp()) - 1
    posix = st.integers(min_value=-(-low // step), max_value=high // step).map(lambda n: n * step)
    if not microseconds:
        return posix.map(lambda s: pendulum.DateTime.fromtimestamp(s, tz))
    return st.tuples(posix, st.integers(min_value=0, max_value=999_999)).map(
        lambda p: datetime.datetime.replace(
            pendulum.DateTime.fromtimestamp(p[0], tz), microsecond=p[1]
        )
    )


def business_durations(
    *, max_value: int = 3 * SECONDS_PER_DAY, granularity: int = 60
) -> st.SearchStrategy[int]:
    """Whole seconds of business time from 0 to ``max_value``, multiples of ``granularity``."""
    step = _check_granularity(granularity)
    return st.integers(min_value=0, max_value=max_value // step).map(lambda n: n * step)
