"""Tests for time._clock: injectable clocks, with no reading of the wall clock."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest

from propcrm.errors import NaiveDatetime, UnknownTimeZone
from propcrm.time import (
    Clock,
    FixedClock,
    SystemClock,
)

EVENING = pendulum.datetime(2026, 11, 30, 23, 59, tz="Asia/Shanghai")


def test_fixed_clock_reads_its_instant_in_shanghai_by_default() -> None:
    clock = FixedClock(EVENING)
    assert clock.now() == EVENING
    assert clock.now().timezone_name == "Asia/Shanghai"
    assert clock.today() == pendulum.date(2026, 11, 30)


def test_fixed_clock_reads_the_same_instant_every_time() -> None:
    clock = FixedClock(EVENING)
    assert clock.now() == clock.now()
    assert clock.today() == clock.today()


def test_fixed_clock_converts_the_instant_to_its_zone() -> None:
    clock = FixedClock(pendulum.datetime(2026, 11, 30, 17, 0, tz="UTC"))
    assert clock.now().hour == 1
    assert clock.now().timezone_name == "Asia/Shanghai"
    assert clock.today() == pendulum.date(2026, 12, 1)


def test_fixed_clock_in_another_zone() -> None:
    clock = FixedClock(EVENING, tz="UTC")
    assert clock.now() == EVENING
    assert clock.now().timezone_name == "UTC"
    assert clock.today() == pendulum.date(2026, 11, 30)
    assert FixedClock(
        pendulum.datetime(2026, 12, 1, 0, 30, tz="Asia/Shanghai"), tz="UTC"
    ).today() == (pendulum.date(2026, 11, 30))


def test_fixed_clock_accepts_a_stdlib_aware_datetime() -> None:
    instant = datetime.datetime(2026, 11, 30, 16, 0, tzinfo=datetime.UTC)
    clock = FixedClock(instant)  # type: ignore[arg-type]
    assert isinstance(clock.now(), pendulum.DateTime)
    assert clock.today() == pendulum.date(2026, 12, 1)


def test_fixed_clock_refuses_a_naive_instant() -> None:
    with pytest.raises(NaiveDatetime):
        FixedClock(datetime.datetime(2026, 11, 30, 23, 59))  # type: ignore[arg-type]  # noqa: DTZ001
    with pytest.raises(NaiveDatetime):
        FixedClock(pendulum.naive(2026, 11, 30, 23, 59))


def test_fixed_clock_refuses_an_unknown_zone_when_built() -> None:
    # As SystemClock does: refuse the zone now, not at the first reading.
    with pytest.raises(UnknownTimeZone):
        FixedClock(EVENING, tz="Mars/Olympus")


def test_advance_across_midnight_changes_the_date() -> None:
    clock = FixedClock(EVENING)
    later = clock.advance(minutes=2)
    assert later.today() == pendulum.date(2026, 12, 1)
    assert later.now() == pendulum.datetime(2026, 12, 1, 0, 1, tz="Asia/Shanghai")


def test_advance_returns_a_new_clock_and_leaves_the_old_one() -> None:
    clock = FixedClock(EVENING)
    later = clock.advance(days=1)
    assert clock.now() == EVENING
    assert later.now() == EVENING.add(days=1)
    assert later.tz == clock.tz


@pytest.mark.parametrize(
    ("kwargs", "elapsed"),
    [
        ({"days": 2}, datetime.timedelta(days=2)),
        ({"hours": 5}, datetime.timedelta(hours=5)),
        ({"minutes": 90}, datetime.timedelta(minutes=90)),
        ({"seconds": 1}, datetime.timedelta(seconds=1)),
        ({"days": 1, "hours": 1, "minutes": 1, "seconds": 1}, datetime.timedelta(seconds=90061)),
        ({}, datetime.timedelta(0)),
    ],
)
def test_advance_moves_by_the_given_elapsed_time(
    kwargs: dict[str, int], elapsed: datetime.timedelta
) -> None:
    clock = FixedClock(EVENING)
    assert clock.advance(**kwargs).now() - clock.now() == elapsed


def test_advance_is_elapsed_time_across_a_dst_change() -> None:
    # New York moves its clocks forward at 02:00 on 2026-03-08: 24 hours later is 13:00 local.
    clock = FixedClock(
        pendulum.datetime(2026, 3, 7, 12, tz="America/New_York"), tz="America/New_York"
    )
    later = clock.advance(hours=24)
    assert later.now() == pendulum.datetime(2026, 3, 8, 17, tz="UTC")
    assert later.now().hour == 13


def test_fixed_clock_is_frozen() -> None:
    clock = FixedClock(EVENING)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        clock.tz = "UTC"  # type: ignore[misc]


def test_clocks_satisfy_the_clock_protocol() -> None:
    assert isinstance(FixedClock(EVENING), Clock)
    assert isinstance(SystemClock(), Clock)
    assert not isinstance(object(), Clock)


def test_system_clock_refuses_an_unknown_zone_when_built() -> None:
    with pytest.raises(UnknownTimeZone):
        SystemClock("Mars/Olympus")


@pytest.mark.parametrize("tz", ["Asia/Shanghai", "UTC"])
def test_system_clock_returns_an_aware_datetime_in_its_zone(tz: str) -> None:
    # The only test that reads the machine clock, and it does not look at the value.
    now = SystemClock(tz).now()
    assert isinstance(now, pendulum.DateTime)
    assert now.utcoffset() is not None
    assert now.timezone_name == tz
