"""Tests for time._zones: explicit zones and aware datetimes."""

from __future__ import annotations

import datetime
import zoneinfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import NaiveDatetime, PropcrmError, UnknownTimeZone
from propcrm.time import (
    DEFAULT_ZONE,
    aware,
    local_date,
    zone,
)


class _NoOffset(datetime.tzinfo):
    """A tzinfo that does not know its offset: such a datetime is naive all the same."""

    def utcoffset(self, dt: datetime.datetime | None) -> None:
        return None

    def dst(self, dt: datetime.datetime | None) -> None:
        return None

    def tzname(self, dt: datetime.datetime | None) -> str:
        return "unknown"


def test_default_zone_is_shanghai() -> None:
    assert DEFAULT_ZONE == "Asia/Shanghai"


@pytest.mark.parametrize("name", ["Asia/Shanghai", "UTC", "Asia/Hong_Kong", "America/New_York"])
def test_zone_returns_the_iana_zone(name: str) -> None:
    tz = zone(name)
    assert tz.name == name


@pytest.mark.parametrize("name", ["Nowhere/Zone", "", "Asia/Beijing", "+08:00", "CST+8"])
def test_unknown_zone_is_refused(name: str) -> None:
    with pytest.raises(UnknownTimeZone) as info:
        zone(name)
    assert repr(name) in str(info.value)
    assert "Asia/Shanghai" in str(info.value)  # the message shows a valid name


def test_unknown_time_zone_is_a_value_error() -> None:
    assert issubclass(UnknownTimeZone, ValueError)
    assert issubclass(UnknownTimeZone, PropcrmError)


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 11, 24, 9, 30),  # noqa: DTZ001
        datetime.datetime(2026, 11, 24, 9, 30, tzinfo=_NoOffset()),
        pendulum.naive(2026, 11, 24, 9, 30),
    ],
)
def test_aware_refuses_naive_datetimes(value: datetime.datetime) -> None:
    with pytest.raises(NaiveDatetime, match="has no time zone") as info:
        aware(value)
    assert isinstance(info.value, ValueError)
    with pytest.raises(NaiveDatetime):
        aware(value, "Asia/Shanghai")


def test_aware_message_shows_an_aware_example() -> None:
    with pytest.raises(NaiveDatetime, match=r"pendulum\.datetime\(2026, 11, 24, 9, 30, tz="):
        aware(datetime.datetime(2026, 11, 24, 9, 30))  # noqa: DTZ001


def test_aware_keeps_the_zone_when_none_is_given() -> None:
    value = pendulum.datetime(2026, 11, 24, 1, 30, tz="UTC")
    result = aware(value)
    assert isinstance(result, pendulum.DateTime)
    assert result == value
    assert result.timezone_name == "UTC"


def test_aware_converts_to_the_given_zone() -> None:
    result = aware(pendulum.datetime(2026, 11, 24, 1, 30, tz="UTC"), "Asia/Shanghai")
    assert (result.year, result.month, result.day, result.hour, result.minute) == (
        2026,
        11,
        24,
        9,
        30,
    )
    assert result.timezone_name == "Asia/Shanghai"
    assert result == pendulum.datetime(2026, 11, 24, 1, 30, tz="UTC")


def test_aware_accepts_stdlib_aware_datetimes() -> None:
    value = datetime.datetime(2026, 11, 24, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    result = aware(value, "UTC")
    assert isinstance(result, pendulum.DateTime)
    assert result.hour == 1
    assert result == value
    fixed = datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC)
    assert aware(fixed) == fixed


def test_aware_refuses_an_unknown_target_zone() -> None:
    with pytest.raises(UnknownTimeZone):
        aware(pendulum.datetime(2026, 11, 24, tz="UTC"), "Mars/Olympus")


@pytest.mark.parametrize(
    ("instant", "tz", "expected"),
    [
        (
            pendulum.datetime(2026, 11, 30, 17, 0, tz="UTC"),
            "Asia/Shanghai",
            pendulum.date(2026, 12, 1),
        ),
        (
            pendulum.datetime(2026, 11, 30, 15, 59, tz="UTC"),
            "Asia/Shanghai",
            pendulum.date(2026, 11, 30),
        ),
        (
            pendulum.datetime(2026, 11, 30, 16, 0, tz="UTC"),
            "Asia/Shanghai",
            pendulum.date(2026, 12, 1),
        ),
        (
            pendulum.datetime(2026, 12, 31, 16, 0, tz="UTC"),
            "Asia/Shanghai",
            pendulum.date(2027, 1, 1),
        ),
        (
            pendulum.datetime(2026, 12, 1, 0, 30, tz="Asia/Shanghai"),
            "UTC",
            pendulum.date(2026, 11, 30),
        ),
    ],
)
def test_local_date_is_the_date_in_the_given_zone(
    instant: pendulum.DateTime, tz: str, expected: pendulum.Date
) -> None:
    assert local_date(instant, tz) == expected


def test_local_date_defaults_to_shanghai() -> None:
    assert local_date(pendulum.datetime(2026, 11, 30, 17, 0, tz="UTC")) == pendulum.date(
        2026, 12, 1
    )


def test_local_date_returns_a_date_not_a_datetime() -> None:
    result = local_date(pendulum.datetime(2026, 11, 30, 17, 0, tz="UTC"))
    assert isinstance(result, pendulum.Date)
    assert not isinstance(result, datetime.datetime)


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(NaiveDatetime):
        local_date(datetime.datetime(2026, 11, 30, 17, 0))  # noqa: DTZ001


@given(
    st.datetimes(
        min_value=datetime.datetime(1992, 1, 1),  # noqa: DTZ001
        max_value=datetime.datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(datetime.UTC),
    )
)
def test_shanghai_date_is_the_utc_date_eight_hours_later(instant: datetime.datetime) -> None:
    # China has kept UTC+8 without daylight saving since 1991.
    assert local_date(instant) == (instant + datetime.timedelta(hours=8)).date()
