"""Tests for time._dates: calendar dates, never instants."""

from __future__ import annotations

import datetime

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import InvalidDuration, UnsupportedLocale
from propcrm.time import as_date, days_inclusive, format_days


@pytest.mark.parametrize(
    "value", [datetime.date(2026, 2, 28), pendulum.date(2026, 2, 28), pendulum.Date(2026, 2, 28)]
)
def test_as_date_accepts_dates(value: datetime.date) -> None:
    result = as_date(value)
    assert isinstance(result, pendulum.Date)
    assert result == pendulum.date(2026, 2, 28)


def test_as_date_returns_a_pendulum_date_unchanged() -> None:
    value = pendulum.date(2026, 2, 28)
    assert as_date(value) is value


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 2, 28, tzinfo=datetime.UTC),
        datetime.datetime(2026, 2, 28),  # noqa: DTZ001
        pendulum.datetime(2026, 2, 28, tz="Asia/Shanghai"),
    ],
)
def test_as_date_refuses_datetimes(value: datetime.datetime) -> None:
    with pytest.raises(TypeError, match="local_date"):
        as_date(value)


@pytest.mark.parametrize("value", ["2026-02-28", 20260228, None, (2026, 2, 28)])
def test_as_date_refuses_other_values(value: object) -> None:
    with pytest.raises(TypeError, match="expected a date") as info:
        as_date(value)
    assert type(value).__name__ in str(info.value)
    assert "pendulum.date(2026, 2, 28)" in str(info.value)


@pytest.mark.parametrize(
    ("first", "last", "days"),
    [
        (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), 30),
        (datetime.date(2026, 11, 1), datetime.date(2026, 11, 1), 1),
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 1), 0),
        (datetime.date(2026, 11, 30), datetime.date(2026, 11, 1), 0),
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 29),
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), 365),
        (pendulum.date(2024, 1, 1), pendulum.date(2024, 12, 31), 366),
        (datetime.date(2026, 12, 31), pendulum.date(2027, 1, 1), 2),
    ],
)
def test_days_inclusive(first: datetime.date, last: datetime.date, days: int) -> None:
    assert days_inclusive(first, last) == days


@given(st.dates(), st.integers(min_value=0, max_value=1000))
def test_days_inclusive_counts_both_ends(first: datetime.date, offset: int) -> None:
    try:
        last = first + datetime.timedelta(days=offset)
    except OverflowError:
        return
    assert days_inclusive(first, last) == offset + 1
    assert days_inclusive(last, first) == (1 if offset == 0 else 0)


@pytest.mark.parametrize(
    ("days", "chinese", "english"),
    [(0, "0天", "0 days"), (1, "1天", "1 day"), (2, "2天", "2 days"), (366, "366天", "366 days")],
)
def test_format_days_uses_each_locales_plural_forms(days: int, chinese: str, english: str) -> None:
    assert format_days(days) == chinese
    assert format_days(days, "en_US") == english


@pytest.mark.parametrize("days", [-1, True, 1.5, "3", None])
def test_format_days_refuses_what_is_not_a_count_of_days(days: object) -> None:
    with pytest.raises(InvalidDuration, match="pass an int of 0 or more"):
        format_days(days)  # type: ignore[arg-type]


def test_format_days_refuses_an_unsupported_locale() -> None:
    with pytest.raises(UnsupportedLocale):
        format_days(3, "de_DE")
