"""Tests for time._calendars: working days and rolling a date forward."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import InvalidPolicy
from propcrm.time import (
    MAX_ROLL_DAYS,
    WeekdayCalendar,
    WorkingDayCalendar,
    next_working_day,
)


def d(year: int, month: int, day: int) -> pendulum.Date:
    return pendulum.date(year, month, day)


# National Day 2026: 1–7 October closed (Thursday to Wednesday); Sunday 11 October is a make-up
# working day.
NATIONAL_DAY = WeekdayCalendar(
    closed=frozenset(d(2026, 10, day) for day in range(1, 8)),
    open=frozenset({d(2026, 10, 11)}),
    name="CN-2026-national-day",
)


@attrs.frozen
class NeverOpen:
    name: str = "never"

    def is_working_day(self, day: datetime.date) -> bool:
        return False


# -- WeekdayCalendar ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (d(2026, 11, 23), True),  # Monday
        (d(2026, 11, 27), True),  # Friday
        (d(2026, 11, 28), False),  # Saturday
        (d(2026, 11, 29), False),  # Sunday
        (datetime.date(2026, 11, 24), True),
    ],
)
def test_plain_calendar_works_monday_to_friday(day: datetime.date, working: bool) -> None:
    assert WeekdayCalendar().is_working_day(day) is working


def test_plain_calendar_defaults() -> None:
    cal = WeekdayCalendar()
    assert cal.name == "weekdays"
    assert cal.closed == frozenset()
    assert cal.open == frozenset()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (d(2026, 9, 30), True),  # Wednesday before the holiday
        (d(2026, 10, 1), False),  # closed Thursday
        (d(2026, 10, 5), False),  # closed Monday
        (d(2026, 10, 7), False),  # closed Wednesday
        (d(2026, 10, 8), True),  # back to work on Thursday
        (d(2026, 10, 10), False),  # ordinary Saturday
        (d(2026, 10, 11), True),  # make-up Sunday
        (d(2026, 10, 18), False),  # ordinary Sunday
    ],
)
def test_closed_and_open_days(day: pendulum.Date, working: bool) -> None:
    assert NATIONAL_DAY.is_working_day(day) is working


def test_closed_and_open_accept_stdlib_dates() -> None:
    cal = WeekdayCalendar(
        closed=frozenset({datetime.date(2026, 10, 1)}),
        open=frozenset({datetime.date(2026, 10, 11)}),
    )
    assert not cal.is_working_day(d(2026, 10, 1))
    assert cal.is_working_day(d(2026, 10, 11))
    assert all(isinstance(day, pendulum.Date) for day in cal.closed | cal.open)


def test_a_closed_weekend_day_stays_closed() -> None:
    cal = WeekdayCalendar(closed=frozenset({d(2026, 10, 3)}))
    assert not cal.is_working_day(d(2026, 10, 3))


def test_a_date_both_closed_and_open_is_refused() -> None:
    with pytest.raises(InvalidPolicy, match="2026-10-01"):
        WeekdayCalendar(
            closed=frozenset({d(2026, 10, 1), d(2026, 10, 2)}),
            open=frozenset({datetime.date(2026, 10, 1)}),
        )


def test_closed_days_must_be_dates_not_datetimes() -> None:
    with pytest.raises(TypeError):
        WeekdayCalendar(closed=frozenset({pendulum.datetime(2026, 10, 1, tz="Asia/Shanghai")}))


def test_is_working_day_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        WeekdayCalendar().is_working_day(pendulum.datetime(2026, 10, 1, tz="Asia/Shanghai"))


def test_weekday_calendar_satisfies_the_protocol() -> None:
    assert isinstance(WeekdayCalendar(), WorkingDayCalendar)
    assert isinstance(NeverOpen(), WorkingDayCalendar)
    assert not isinstance(object(), WorkingDayCalendar)


# -- next_working_day -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (d(2026, 11, 24), d(2026, 11, 24)),  # a working day is itself
        (d(2026, 11, 28), d(2026, 11, 30)),  # Saturday rolls to Monday
        (d(2026, 11, 29), d(2026, 11, 30)),  # Sunday rolls to Monday
        (d(2026, 12, 31), d(2026, 12, 31)),
        (d(2027, 1, 2), d(2027, 1, 4)),  # across the year end into the weekend's Monday
    ],
)
def test_next_working_day_on_a_plain_calendar(day: pendulum.Date, expected: pendulum.Date) -> None:
    assert next_working_day(WeekdayCalendar(), day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (d(2026, 9, 30), d(2026, 9, 30)),
        (d(2026, 10, 1), d(2026, 10, 8)),  # over the whole holiday, weekend included
        (d(2026, 10, 3), d(2026, 10, 8)),
        (d(2026, 10, 7), d(2026, 10, 8)),
        (d(2026, 10, 10), d(2026, 10, 11)),  # Saturday rolls to the make-up Sunday
        (d(2026, 10, 11), d(2026, 10, 11)),
        (d(2026, 10, 17), d(2026, 10, 19)),
    ],
)
def test_next_working_day_over_holidays_and_make_up_days(
    day: pendulum.Date, expected: pendulum.Date
) -> None:
    assert next_working_day(NATIONAL_DAY, day) == expected


def test_next_working_day_accepts_a_stdlib_date_and_returns_a_pendulum_date() -> None:
    result = next_working_day(WeekdayCalendar(), datetime.date(2026, 11, 28))
    assert isinstance(result, pendulum.Date)
    assert result == d(2026, 11, 30)


def test_next_working_day_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        next_working_day(WeekdayCalendar(), pendulum.datetime(2026, 11, 28, tz="Asia/Shanghai"))


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(InvalidPolicy, match="'never'"):
        next_working_day(NeverOpen(), d(2026, 1, 1))


def test_a_weekday_calendar_with_every_day_closed_is_refused() -> None:
    start = d(2026, 1, 1)
    every_day = frozenset(start.add(days=n) for n in range(MAX_ROLL_DAYS + 10))
    cal = WeekdayCalendar(closed=every_day, name="all-closed")
    with pytest.raises(InvalidPolicy, match="no working day within 366 days of 2026-01-01"):
        next_working_day(cal, start)


def test_a_working_day_at_the_edge_of_the_search_is_found() -> None:
    start = d(2026, 1, 1)
    closed = frozenset(start.add(days=n) for n in range(MAX_ROLL_DAYS - 1))
    last = start.add(days=MAX_ROLL_DAYS - 1)
    cal = WeekdayCalendar(closed=closed, open=frozenset({last}))
    assert next_working_day(cal, start) == last


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_next_working_day_is_the_first_working_day_from_the_date(day: datetime.date) -> None:
    cal = WeekdayCalendar()
    result = next_working_day(cal, day)
    assert cal.is_working_day(result)
    assert 0 <= (result - day).days <= 2
    between = (as_pendulum(day).add(days=n) for n in range((result - day).days))
    assert not any(cal.is_working_day(x) for x in between)


def as_pendulum(day: datetime.date) -> pendulum.Date:
    return pendulum.date(day.year, day.month, day.day)
