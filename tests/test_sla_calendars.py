"""Tests for sla._calendars: business calendars and exact business-time arithmetic.

Scenario tests read like a day at the service desk (domain brief §3); property tests check the
arithmetic's laws on random calendars and on China's real calendar for 2025–2026, and compare
both with a brute-force minute-by-minute oracle written here, independently of the library.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import pickle
import sys
import warnings
import zoneinfo
from collections.abc import Callable
from typing import Any

import attrs
import holidays as holidays_package
import pendulum
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    BillingCyclePolicy,
    DueDaysAfterStatement,
)
from propcrm.errors import (
    InvalidCalendar,
    InvalidDuration,
    NaiveDatetime,
    NotAnInstant,
    NoWorkingTime,
    PropcrmError,
    PropcrmWarning,
    ProvisionalHolidays,
    UnconfirmedHolidays,
    UnknownTimeZone,
)
from propcrm.sla import (
    BusinessCalendar,
    ChinaHolidays,
    Closed,
    Holiday,
    HolidayList,
    HolidayYear,
    Open,
    UnconfirmedPolicy,
    WeeklyHours,
    Window,
)
from propcrm.sla._calendars import ALWAYS_WINDOW, DEFAULT_SERVICE_WINDOWS, _outside_propcrm
from propcrm.sla._working_hours import DayKind
from propcrm.testing._sla_strategies import (
    business_calendars,
    business_durations,
    calendar_instants,
)
from propcrm.time import (
    BillingPeriod,
    WorkingDayCalendar,
    next_working_day,
)

SH = "Asia/Shanghai"
HOUR = 3600
SERVICE_DAY = 27_000  # 08:30–12:00 and 13:30–17:30: 7.5 hours
CN = BusinessCalendar.china_service_hours()


def sh(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=SH)


def night_shift(**kwargs: Any) -> BusinessCalendar:
    """22:00–06:00 shifts starting Monday to Friday, in Shanghai; kwargs go to the calendar."""
    return BusinessCalendar(
        "night shift", WeeklyHours.weekdays(Window("22:00", "06:00")), SH, **kwargs
    )


# -- the oracle: minute by minute, independent of the library ------------------------------------


def _wall(zone: str, day: datetime.date, offset: int) -> int:
    """POSIX seconds of wall time ``offset`` after ``day``'s midnight (fold=0, as PEP 495)."""
    day = day + datetime.timedelta(days=offset // 86_400)
    rest = offset % 86_400
    local = datetime.datetime(
        day.year,
        day.month,
        day.day,
        rest // 3600,
        rest // 60 % 60,
        rest % 60,
        tzinfo=zoneinfo.ZoneInfo(zone),
    )
    return int(local.timestamp())


def _seconds(t: datetime.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _offsets(window: Window) -> tuple[int, int]:
    start, end = _seconds(window.start), _seconds(window.end)
    return start, end + 86_400 if end <= start else end


def _field_windows(calendar: BusinessCalendar, day: datetime.date) -> tuple[Window, ...]:
    """A day's windows straight from the calendar's fields, by the documented precedence."""
    for override in calendar.overrides:
        if override.day == day:
            return override.windows if isinstance(override, Open) else ()
    if calendar.holidays is not None:
        year = calendar.holidays.year(day.year)
        if any(h.day == day for h in year.holidays):
            return ()
        if any(m.day == day for m in year.make_up_days):
            return calendar.make_up_windows or calendar.hours.monday
    return calendar.hours.days[day.weekday()]


_CN_PACKAGE = holidays_package.China(years=range(2024, 2028))


def _china_windows(day: datetime.date) -> tuple[Window, ...]:
    """China's service hours straight from the holidays package (no provider code involved)."""
    if day in _CN_PACKAGE.weekend_workdays:
        return DEFAULT_SERVICE_WINDOWS
    if day in _CN_PACKAGE or day.weekday() >= 5:
        return ()
    return DEFAULT_SERVICE_WINDOWS


class Oracle:
    """Working minutes of a stretch of days, by expanding every window minute by minute."""

    def __init__(
        self,
        zone: str,
        windows_of: Callable[[datetime.date], tuple[Window, ...]],
        first: datetime.date,
        last: datetime.date,
    ) -> None:
        self.working: set[int] = set()
        self.low = _wall(zone, first, 0)
        self.high = _wall(zone, last + datetime.timedelta(days=1), 0)
        day = first - datetime.timedelta(days=1)  # its overnight windows reach into `first`
        while day <= last:
            for window in windows_of(day):
                start, end = _offsets(window)
                self.working.update(range(_wall(zone, day, start), _wall(zone, day, end), 60))
            day += datetime.timedelta(days=1)

    def add(self, start: int, seconds: int) -> int:
        minute, used = start, 0
        while used < seconds:
            assert self.low <= minute < self.high, "the oracle ran out of days"
            if minute in self.working:
                used += 60
            minute += 60
        return minute

    def between(self, a: int, b: int) -> int:
        return 60 * sum(1 for minute in range(a, b, 60) if minute in self.working)


def _local_date(calendar: BusinessCalendar, posix: int) -> datetime.date:
    return datetime.datetime.fromtimestamp(posix, zoneinfo.ZoneInfo(calendar.zone)).date()


def _oracle_for(
    calendar: BusinessCalendar,
    low: int,
    high: int,
    windows_of: Callable[[datetime.date], tuple[Window, ...]] | None = None,
) -> Oracle:
    return Oracle(
        calendar.zone,
        windows_of or (lambda day: _field_windows(calendar, day)),
        _local_date(calendar, low),
        _local_date(calendar, high) + datetime.timedelta(days=1),
    )


# -- construction --------------------------------------------------------------------------------


def test_china_service_hours_defaults() -> None:
    assert CN.zone == SH
    assert CN.name == "CN service hours"
    assert isinstance(CN.holidays, ChinaHolidays)
    assert CN.unconfirmed is UnconfirmedPolicy.STRICT
    assert (Window("08:30", "12:00"), Window("13:30", "17:30")) == DEFAULT_SERVICE_WINDOWS
    monday = CN.windows_on(pendulum.date(2026, 3, 2))
    assert monday == (
        (sh(2026, 3, 2, 8, 30), sh(2026, 3, 2, 12)),
        (sh(2026, 3, 2, 13, 30), sh(2026, 3, 2, 17, 30)),
    )
    assert CN.windows_on(pendulum.date(2026, 3, 7)) == ()  # Saturday


def test_china_service_hours_in_another_zone_keep_that_zone() -> None:
    # A Hong Kong office working the mainland's days: 08:30 Hong Kong time, 00:30 UTC.
    hk = BusinessCalendar.china_service_hours("HK desk", zone="Asia/Hong_Kong")
    assert (hk.name, hk.zone) == ("HK desk", "Asia/Hong_Kong")
    (first, _), _ = hk.windows_on(pendulum.date(2026, 3, 2))
    assert first == pendulum.datetime(2026, 3, 2, 0, 30, tz="UTC")
    assert first.timezone_name == "Asia/Hong_Kong"


def test_always_is_every_second() -> None:
    always = BusinessCalendar.always()
    assert always.name == "24x7"
    assert always.zone == SH
    assert always.hours == WeeklyHours.every_day(ALWAYS_WINDOW)
    t = sh(2026, 10, 1, 23, 59, 30)
    assert always.add(t, 60) == sh(2026, 10, 2, 0, 0, 30)
    assert always.between(sh(2026, 1, 1), sh(2027, 1, 1)) == 365 * 86_400


def test_always_in_a_dst_zone_counts_real_seconds() -> None:
    berlin = BusinessCalendar.always(zone="Europe/Berlin")
    day = pendulum.date(2025, 3, 30)
    ((start, end),) = berlin.windows_on(day)
    assert berlin.between(start, end) == 23 * HOUR
    autumn = pendulum.date(2025, 10, 26)
    ((start, end),) = berlin.windows_on(autumn)
    assert berlin.between(start, end) == 25 * HOUR


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(UnknownTimeZone, match="Mars/Olympus"):
        BusinessCalendar("x", WeeklyHours(), "Mars/Olympus")


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidCalendar) as refused:
        BusinessCalendar(name, WeeklyHours())
    assert str(refused.value) == f"name must not be empty, got {name!r}; e.g. 'CN service hours'."
    assert (refused.value.field, refused.value.allowed) == ("name", "non-empty text")


def test_hours_must_be_weekly_hours() -> None:
    with pytest.raises(InvalidCalendar, match="WeeklyHours"):
        BusinessCalendar("x", (Window("09:00", "17:00"),))  # type: ignore[arg-type]  # wrong on purpose


def test_two_overrides_for_one_date_are_refused() -> None:
    with pytest.raises(InvalidCalendar, match="two overrides for 2026-07-01"):
        BusinessCalendar(
            "x",
            WeeklyHours.weekdays(Window("09:00", "17:00")),
            overrides=[
                Closed(pendulum.date(2026, 7, 1), "台风"),
                Open(pendulum.date(2026, 7, 1), [Window("09:00", "10:00")]),
            ],
        )


def test_an_override_must_be_closed_or_open() -> None:
    with pytest.raises(InvalidCalendar, match="Closed"):
        BusinessCalendar("x", WeeklyHours(), overrides=[pendulum.date(2026, 7, 1)])  # type: ignore[list-item]  # wrong on purpose


def test_a_provider_needs_make_up_windows_when_monday_has_none() -> None:
    tuesday_to_saturday = WeeklyHours(tuesday=[Window("09:00", "17:00")])
    with pytest.raises(InvalidCalendar, match="make_up_windows"):
        BusinessCalendar("shop", tuesday_to_saturday, holidays=ChinaHolidays())
    cal = BusinessCalendar(
        "shop",
        tuesday_to_saturday,
        holidays=ChinaHolidays(),
        make_up_windows=[Window("10:00", "16:00")],
    )
    assert cal.windows_on(pendulum.date(2025, 10, 11)) == (
        (sh(2025, 10, 11, 10), sh(2025, 10, 11, 16)),
    )


def test_make_up_windows_are_windows_that_do_not_overlap() -> None:
    hours = WeeklyHours.weekdays(Window("09:00", "17:00"))
    with pytest.raises(InvalidCalendar, match="is not a Window"):
        BusinessCalendar("x", hours, make_up_windows=["09:00-17:00"])  # type: ignore[list-item]  # wrong on purpose
    with pytest.raises(InvalidCalendar, match="make-up workdays overlap"):
        BusinessCalendar(
            "x", hours, make_up_windows=[Window("09:00", "12:00"), Window("11:00", "13:00")]
        )


def test_the_holiday_provider_must_be_one() -> None:
    with pytest.raises(InvalidCalendar, match="holiday provider"):
        BusinessCalendar("x", WeeklyHours(), holidays="CN")  # type: ignore[arg-type]  # wrong on purpose


def test_the_policy_must_be_an_unconfirmed_policy() -> None:
    with pytest.raises(InvalidCalendar, match="UnconfirmedPolicy"):
        BusinessCalendar("x", WeeklyHours(), unconfirmed="strict")  # type: ignore[arg-type]  # wrong on purpose


@pytest.mark.parametrize("value", [0, 51, 101, True, 2.0])
def test_max_idle_years_is_a_small_positive_int(value: object) -> None:
    with pytest.raises(InvalidCalendar, match="max_idle_years"):
        BusinessCalendar("x", WeeklyHours(), max_idle_years=value)  # type: ignore[arg-type]  # wrong on purpose


def test_calendars_are_values() -> None:
    again = BusinessCalendar.china_service_hours()
    assert again == CN
    assert hash(again) == hash(CN)
    renamed = attrs.evolve(CN, name="desk")
    assert renamed != CN
    assert renamed.add(sh(2026, 3, 2, 9), HOUR) == sh(2026, 3, 2, 10)


def test_a_calendar_survives_pickling_and_copying() -> None:
    CN.add(sh(2026, 3, 2, 9), HOUR)  # build some cache first
    copied = pickle.loads(pickle.dumps(CN))
    assert copied == CN
    assert copied.add(sh(2025, 9, 30, 16), 2 * HOUR) == sh(2025, 10, 9, 9)


# -- the working-day protocol and billing ----------------------------------------------------------


def test_a_business_calendar_is_a_working_day_calendar() -> None:
    assert isinstance(CN, WorkingDayCalendar)
    assert isinstance(BusinessCalendar.always(), WorkingDayCalendar)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ((2025, 9, 28), True),  # Sunday, make-up workday for National Day
        ((2025, 9, 30), True),
        ((2025, 10, 1), False),
        ((2025, 10, 6), False),  # 中秋节
        ((2025, 10, 8), False),
        ((2025, 10, 9), True),
        ((2025, 10, 11), True),  # Saturday, make-up workday
        ((2025, 10, 12), False),
        ((2026, 2, 14), True),  # Saturday, make-up for the Spring Festival
        ((2026, 2, 16), False),  # 除夕
    ],
)
def test_is_working_day_follows_china(day: tuple[int, int, int], working: bool) -> None:
    assert CN.is_working_day(datetime.date(*day)) is working


def test_is_working_day_refuses_a_datetime() -> None:
    with pytest.raises(TypeError, match="datetime"):
        CN.is_working_day(sh(2026, 3, 2, 9))


def test_billing_rolls_a_due_date_past_national_day() -> None:
    # A September 2026 notice due one day after it is issued: nominally 1 October.
    policy = BillingCyclePolicy(due=DueDaysAfterStatement(1), roll_forward=CN)
    due = policy.due_date(BillingPeriod.month(2026, 9))
    assert due.nominal == pendulum.date(2026, 10, 1)
    assert due.due_on == pendulum.date(2026, 10, 8)  # 1–7 October off; the 8th is a Thursday
    assert due.calendar == "CN service hours"
    assert next_working_day(CN, pendulum.date(2025, 10, 1)) == pendulum.date(2025, 10, 9)


# -- arithmetic: units -----------------------------------------------------------------------------


def test_add_zero_is_the_start_even_outside_windows() -> None:
    midnight = sh(2026, 3, 7, 0, 0)  # a Saturday
    assert CN.add(midnight, 0) == midnight
    utc = pendulum.datetime(2026, 3, 6, 16, 0)
    result = CN.add(utc, 0)
    assert result == utc
    assert result.timezone_name == SH


def test_results_are_pendulum_in_the_calendar_zone() -> None:
    berlin = BusinessCalendar(
        "Berlin", WeeklyHours.weekdays(Window("09:00", "17:00")), "Europe/Berlin"
    )
    result = berlin.add(sh(2026, 3, 2, 17, 0), HOUR)  # 10:00 in Berlin
    assert isinstance(result, pendulum.DateTime)
    assert result.timezone_name == "Europe/Berlin"
    assert result == pendulum.datetime(2026, 3, 2, 11, 0, tz="Europe/Berlin")


def test_a_deadline_that_uses_up_a_window_ends_at_its_end() -> None:
    assert CN.add(sh(2026, 3, 2, 16, 30), HOUR) == sh(2026, 3, 2, 17, 30)
    assert CN.add(sh(2026, 3, 2, 8, 0), SERVICE_DAY) == sh(2026, 3, 2, 17, 30)
    assert CN.add(sh(2026, 3, 2, 8, 0), 12_600) == sh(2026, 3, 2, 12, 0)  # the morning, exactly
    assert CN.add(sh(2026, 3, 2, 8, 0), 12_601) == sh(2026, 3, 2, 13, 30, 1)


def test_a_start_outside_windows_begins_at_the_next_window() -> None:
    assert CN.add(sh(2026, 3, 2, 12, 15), 60) == sh(2026, 3, 2, 13, 31)
    assert CN.add(sh(2026, 3, 6, 18, 0), 60) == sh(2026, 3, 9, 8, 31)  # Friday evening


def test_between_counts_half_open_spans_and_flips_sign() -> None:
    a, b = sh(2026, 3, 2, 11, 0), sh(2026, 3, 2, 14, 0)
    assert CN.between(a, b) == 5400
    assert CN.between(b, a) == -5400
    assert CN.between(a, a) == 0
    assert CN.between(sh(2026, 3, 2, 17, 30), sh(2026, 3, 3, 8, 30)) == 0


def test_instants_in_other_zones_are_the_same_instants() -> None:
    utc_start = pendulum.datetime(2026, 3, 2, 1, 0)  # 09:00 in Shanghai
    assert CN.add(utc_start, HOUR) == sh(2026, 3, 2, 10, 0)
    stdlib = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)
    assert CN.between(stdlib, sh(2026, 3, 2, 10)) == HOUR


def test_microseconds_are_kept_by_add_and_truncated_by_between() -> None:
    t = sh(2026, 3, 2, 11, 59, 59).replace(microsecond=500_000)
    result = CN.add(t, 1)
    assert result == sh(2026, 3, 2, 13, 30, 0).replace(microsecond=500_000)
    assert CN.between(t, result) == 1
    assert CN.between(t, sh(2026, 3, 2, 12, 0)) == 0  # half a second
    assert CN.between(sh(2026, 3, 2, 12, 0), t) == 0  # and the sign flips exactly
    # A quarter past 11 and a quarter second: an hour later is just after lunch, never in it,
    # and a second before noon stays before noon.
    quarter = sh(2026, 3, 2, 11, 0, 0).replace(microsecond=250_000)
    assert CN.add(quarter, HOUR) == sh(2026, 3, 2, 13, 30, 0).replace(microsecond=250_000)
    assert CN.add(sh(2026, 3, 2, 11, 59, 58).replace(microsecond=250_000), 1) == sh(
        2026, 3, 2, 11, 59, 59
    ).replace(microsecond=250_000)


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (1.5, "is a float"),
        (3600.0, "is a float"),
        (True, "is a bool"),
        (-1, "is negative"),
        ("3600", "is a str"),
        (datetime.timedelta(hours=1), "is a timedelta"),
    ],
)
def test_business_time_is_whole_non_negative_seconds(seconds: object, message: str) -> None:
    with pytest.raises(InvalidDuration, match=message):
        CN.add(sh(2026, 3, 2, 9), seconds)  # type: ignore[arg-type]  # wrong on purpose


_NINE = pendulum.datetime(2026, 3, 2, 9, tz=SH)
_OFFICE = WeeklyHours.weekdays(Window("09:00", "17:00"))
_NATIONAL_DAY = datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("call", "error", "field", "value", "allowed"),
    [
        (
            lambda: BusinessCalendar("desk", _OFFICE, ["Asia/Shanghai"]),  # type: ignore[arg-type]
            UnknownTimeZone,
            "zone",
            ["Asia/Shanghai"],
            "an IANA zone name",
        ),
        (
            lambda: BusinessCalendar("desk", "9-17"),  # type: ignore[arg-type]
            InvalidCalendar,
            "hours",
            "9-17",
            "WeeklyHours",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, holidays="CN"),  # type: ignore[arg-type]
            InvalidCalendar,
            "holidays",
            "CN",
            "a HolidayProvider or None",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, overrides="2026-10-01"),  # type: ignore[arg-type]
            InvalidCalendar,
            "overrides",
            "2026-10-01",
            "a collection of Closed(day, reason) or Open(day, windows, reason)",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, overrides=[_NATIONAL_DAY]),  # type: ignore[list-item]
            InvalidCalendar,
            "overrides",
            _NATIONAL_DAY,
            "Closed or Open",
        ),
        (
            lambda: BusinessCalendar(
                "desk",
                _OFFICE,
                overrides=[Closed(_NATIONAL_DAY, "国庆"), Closed(_NATIONAL_DAY, "台风")],
            ),
            InvalidCalendar,
            "overrides",
            _NATIONAL_DAY,
            "one override a date",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, make_up_windows="08:30-12:00"),  # type: ignore[arg-type]
            InvalidCalendar,
            "make_up_windows",
            "08:30-12:00",
            "a collection of Window values, e.g. [Window('08:30', '12:00')]",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, make_up_windows=[("08:30", "12:00")]),  # type: ignore[list-item]
            InvalidCalendar,
            "make_up_windows",
            ("08:30", "12:00"),
            "Window",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, unconfirmed="strict"),  # type: ignore[arg-type]
            InvalidCalendar,
            "unconfirmed",
            "strict",
            "UnconfirmedPolicy.STRICT or UnconfirmedPolicy.PROVISIONAL",
        ),
        (
            lambda: BusinessCalendar("desk", _OFFICE, max_idle_years=51),
            InvalidCalendar,
            "max_idle_years",
            51,
            "int from 1 to 50",
        ),
        (
            lambda: BusinessCalendar(
                "weekend desk",
                WeeklyHours(saturday=[Window("09:00", "12:00")]),
                holidays=ChinaHolidays(),
            ),
            InvalidCalendar,
            "make_up_windows",
            None,
            "windows for make-up workdays when there is a holiday provider",
        ),
        (
            lambda: CN.add_many([10**12], 1),
            NotAnInstant,
            "starts",
            10**12,
            "int POSIX seconds from -62135510400 to 253402128000",
        ),
        (lambda: CN.add_many([1.5], 1), NotAnInstant, "starts", 1.5, "int POSIX seconds"),
        (lambda: CN.add_many([1, 2], [1]), InvalidDuration, "seconds", 1, "one duration or 2"),
        (
            lambda: CN.explain(_NINE, _NINE.subtract(hours=1)),
            InvalidDuration,
            "end",
            _NINE.subtract(hours=1),
            "an instant at or after 2026-03-02 09:00:00+08:00",
        ),
        (
            lambda: CN.add("2026-03-02 09:00", 1),  # type: ignore[arg-type]
            NotAnInstant,
            "start",
            "2026-03-02 09:00",
            "aware datetime.datetime",
        ),
        (
            lambda: CN.between(_NINE, "2026-03-02 10:00"),  # type: ignore[arg-type]
            NotAnInstant,
            "end",
            "2026-03-02 10:00",
            "aware datetime.datetime",
        ),
        (lambda: CN.add(_NINE, 1.5), InvalidDuration, "seconds", 1.5, "whole seconds, an int >= 0"),
        (lambda: CN.add(_NINE, "1"), InvalidDuration, "seconds", "1", "whole seconds, an int >= 0"),  # type: ignore[arg-type]
        (lambda: CN.add(_NINE, -1), InvalidDuration, "seconds", -1, "whole seconds, an int >= 0"),
    ],
)
def test_a_refusal_names_the_field_the_value_and_what_is_allowed(
    call: Callable[[], object], error: type[PropcrmError], field: str, value: object, allowed: str
) -> None:
    with pytest.raises(error) as raised:
        call()
    assert (raised.value.field, raised.value.value, raised.value.allowed) == (field, value, allowed)
    message = str(raised.value)
    assert len(message) > 30
    assert message.endswith(".")


def test_refusals_of_durations_say_what_to_pass() -> None:
    with pytest.raises(InvalidDuration) as raised:
        CN.add(_NINE, 5400.0)
    assert str(raised.value) == (
        "business time 5400.0 is a float; it is counted in whole seconds, so pass an int, e.g. "
        "5400 for 1.5 hours."
    )
    with pytest.raises(InvalidDuration) as raised:
        CN.add(_NINE, -60)
    assert str(raised.value) == (
        "business time -60 is negative; pass a non-negative number of seconds."
    )


def test_naive_datetimes_are_refused_everywhere() -> None:
    naive = datetime.datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - naive on purpose
    aware = sh(2026, 3, 2, 9)
    for call, field in (
        (lambda: CN.add(naive, 60), "start"),
        (lambda: CN.between(naive, aware), "start"),
        (lambda: CN.between(aware, naive), "end"),
        (lambda: CN.explain(naive, aware), "start"),
        (lambda: CN.explain(aware, naive), "end"),
        (lambda: CN.next_working_instant(naive), "at"),
    ):
        with pytest.raises(NaiveDatetime, match="no time zone") as refused:
            call()
        assert refused.value.field == field


class FixedBeijing(datetime.tzinfo):
    """A hand-written tzinfo for UTC+8, as some older code still builds (not an IANA zone)."""

    def utcoffset(self, dt: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(hours=8)

    def dst(self, dt: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(0)

    def tzname(self, dt: datetime.datetime | None) -> str:
        return "CST"


class NoOffset(datetime.tzinfo):
    """A tzinfo that knows no offset: datetimes carrying it are naive (Python's definition)."""

    def utcoffset(self, dt: datetime.datetime | None) -> None:
        return None

    def dst(self, dt: datetime.datetime | None) -> None:
        return None

    def tzname(self, dt: datetime.datetime | None) -> None:
        return None


def test_a_hand_written_time_zone_is_as_good_as_an_iana_one() -> None:
    eleven = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=FixedBeijing())
    assert CN.add(eleven, 3600) == sh(2026, 3, 2, 12, 0)
    assert CN.between(eleven, datetime.datetime(2026, 3, 2, 14, 0, tzinfo=FixedBeijing())) == 5400
    lunch = datetime.datetime(2026, 3, 2, 12, 15, tzinfo=FixedBeijing())
    assert CN.next_working_instant(lunch) == sh(2026, 3, 2, 13, 30)


def test_a_time_zone_without_an_offset_is_refused_as_naive() -> None:
    unknown = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=NoOffset())
    with pytest.raises(NaiveDatetime, match="has no time zone") as refused:
        CN.add(unknown, 3600)
    assert refused.value.field == "start"


def test_a_date_is_not_an_instant() -> None:
    with pytest.raises(NotAnInstant, match="expected an aware datetime, got Date"):
        CN.add(pendulum.date(2026, 3, 2), 60)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(TypeError):
        CN.between("2026-03-02", sh(2026, 3, 2))  # type: ignore[arg-type]  # wrong on purpose


def test_next_working_instant() -> None:
    inside = sh(2026, 3, 2, 9, 15)
    assert CN.next_working_instant(inside) == inside
    assert CN.next_working_instant(sh(2026, 3, 2, 12, 0)) == sh(2026, 3, 2, 13, 30)  # end: out
    assert CN.next_working_instant(sh(2026, 3, 2, 8, 30)) == sh(2026, 3, 2, 8, 30)  # start: in
    assert CN.next_working_instant(sh(2025, 9, 30, 18)) == sh(2025, 10, 9, 8, 30)
    with pytest.raises(UnconfirmedHolidays, match="2027"):  # the next window is in 2027
        CN.next_working_instant(sh(2026, 12, 31, 17, 30))


def test_next_working_instant_crosses_into_a_confirmed_next_year() -> None:
    cal = BusinessCalendar.china_service_hours(
        holidays=ChinaHolidays().confirm(2027, "checked by hand")
    )
    assert cal.next_working_instant(sh(2026, 12, 31, 17, 30)) == sh(2027, 1, 4, 8, 30)


def test_windows_on_is_cached() -> None:
    # A calendar of its own: the module's CN may have cached the day before this test runs.
    cal = BusinessCalendar.china_service_hours()
    day = pendulum.date(2026, 3, 2)
    assert cal.windows_on(day) is cal.windows_on(day)
    assert cal.windows_on(datetime.date(2026, 3, 2)) == cal.windows_on(day)


# -- years: lazy, later years, horizons ------------------------------------------------------------


@attrs.define
class CountingProvider:
    """A provider that remembers which years were asked for."""

    asked: list[int] = attrs.Factory(list)
    name: str = "counting"

    def year(self, year: int) -> HolidayYear:
        self.asked.append(year)
        return HolidayYear(year, source="all years confirmed")


def test_years_are_built_on_first_use_and_only_those_needed() -> None:
    provider = CountingProvider()
    cal = BusinessCalendar(
        "lazy",
        WeeklyHours.weekdays(*DEFAULT_SERVICE_WINDOWS),
        holidays=provider,
    )
    assert provider.asked == []
    cal.add(sh(2025, 6, 2, 9), HOUR)
    assert provider.asked == [2025]
    cal.add(sh(2035, 6, 4, 9), HOUR)  # a jump: the years in between are not needed
    assert provider.asked == [2025, 2035]
    cal.add(sh(2035, 12, 31, 17), HOUR)  # crosses into 2036
    assert provider.asked == [2025, 2035, 2036]
    cal.between(sh(2025, 6, 2, 9), sh(2025, 6, 3, 9))
    assert provider.asked == [2025, 2035, 2036]  # cached


def test_overnight_windows_need_the_day_before_the_year() -> None:
    provider = CountingProvider()
    cal = night_shift(holidays=provider, make_up_windows=[Window("09:00", "17:00")])
    cal.add(sh(2026, 1, 1, 3, 0), 60)
    assert sorted(set(provider.asked)) == [2025, 2026]


def test_an_overnight_shift_runs_into_the_new_year() -> None:
    cal = night_shift()  # a fresh calendar: its first query is in the new year
    new_year = sh(2027, 1, 1, 0, 0)  # Thursday 31 December 2026's shift runs until 06:00
    assert cal.between(new_year, sh(2027, 1, 1, 6, 0)) == 6 * HOUR
    assert night_shift().add(new_year, HOUR) == sh(2027, 1, 1, 1, 0)
    assert night_shift().next_working_instant(new_year) == new_year


def test_arithmetic_crosses_many_years() -> None:
    always = BusinessCalendar.always(zone="UTC")
    start = pendulum.datetime(2020, 1, 1)
    ten_years = 10 * 365 * 86_400 + 3 * 86_400  # 2020, 2024 and 2028 are leap years
    assert always.add(start, ten_years) == pendulum.datetime(2030, 1, 1)
    assert always.between(start, pendulum.datetime(2030, 1, 1)) == ten_years


def test_a_calendar_without_working_time_raises_rather_than_looping() -> None:
    closed = BusinessCalendar("closed", WeeklyHours())
    with pytest.raises(NoWorkingTime, match="none in the 3 years"):
        closed.add(sh(2026, 3, 2), 1)
    with pytest.raises(NoWorkingTime):
        closed.next_working_instant(sh(2026, 3, 2))
    assert closed.between(sh(2026, 1, 1), sh(2027, 1, 1)) == 0
    assert not closed.is_working_day(pendulum.date(2026, 3, 2))


def test_the_idle_horizon_is_a_policy_value() -> None:
    sparse = BusinessCalendar(
        "once",
        WeeklyHours(),
        overrides=[Open(pendulum.date(2031, 6, 2), [Window("09:00", "10:00")])],
    )
    with pytest.raises(NoWorkingTime):
        sparse.add(sh(2026, 3, 2), 60)
    patient = attrs.evolve(sparse, max_idle_years=6)
    assert patient.add(sh(2026, 3, 2), 60) == sh(2031, 6, 2, 9, 1)


def test_nothing_lies_beyond_year_9999() -> None:
    always = BusinessCalendar.always(zone="UTC")
    late = pendulum.datetime(9999, 12, 31, 23, 0)
    assert always.add(late, 3599) == pendulum.datetime(9999, 12, 31, 23, 59, 59)
    with pytest.raises(NoWorkingTime, match="9999"):
        always.add(late, 3600)
    with pytest.raises(NoWorkingTime, match="9999"):
        always.add(late, 7200)


@pytest.mark.parametrize(
    ("zone", "at", "posix"),
    [
        ("Asia/Shanghai", datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC), 253402297200),
        ("America/New_York", datetime.datetime(1, 1, 1, 1, tzinfo=datetime.UTC), -62135593200),
    ],
    ids=["new year 10000 in Shanghai", "year 0 in New York"],
)
def test_an_instant_without_a_local_date_is_refused_as_an_argument(
    zone: str, at: datetime.datetime, posix: int
) -> None:
    # Such an instant escaped as a bare OverflowError or ValueError from datetime.
    always = BusinessCalendar.always(zone=zone)
    calls: list[Callable[[], object]] = [
        lambda: always.add(at, 1),
        lambda: always.between(at, at),
        lambda: always.next_working_instant(at),
        lambda: always.explain(at, at),
    ]
    for call in calls:
        with pytest.raises(NotAnInstant) as raised:
            call()
        error = raised.value
        assert str(error) == (
            f"the instant at POSIX second {posix} lies outside years 1 to 9999 in zone {zone}; "
            "no local date holds it, so it has no business time."
        )
        assert (error.field, error.value) == ("instant", posix)
        assert error.allowed == f"an instant in years 1 to 9999 of {zone}"


def _huge_calendars() -> list[BusinessCalendar]:
    return [
        BusinessCalendar.always(),
        BusinessCalendar("no holidays", WeeklyHours.weekdays(*DEFAULT_SERVICE_WINDOWS)),
        BusinessCalendar.china_service_hours(),
        BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL),
        night_shift(),
        BusinessCalendar(
            "one hour a year",
            WeeklyHours(),
            overrides=[Open(pendulum.date(2026, 6, 1), [Window("09:00", "10:00")])],
            max_idle_years=BusinessCalendar.HORIZON_YEARS,
        ),
    ]


def test_a_duration_beyond_the_horizon_is_refused_before_building_a_year() -> None:
    always = BusinessCalendar.always()
    with pytest.raises(NoWorkingTime, match="horizon of 50 years") as raised:
        always.add(sh(2026, 3, 2), 10**15)  # took 19 s, building every year up to 9999
    assert (raised.value.field, raised.value.value) == ("seconds", 10**15)
    assert raised.value.context == {"horizon_years": 50}
    assert always._cache.index is None or not always._cache.index._years
    with pytest.raises(NoWorkingTime):
        always.add_many([int(sh(2026, 3, 2).timestamp())], 10**15)


@pytest.mark.parametrize("seconds", [10**15, 51 * 366 * 86_400])
@pytest.mark.parametrize("calendar", _huge_calendars(), ids=lambda c: c.name)
def test_huge_durations_build_at_most_the_horizon(calendar: BusinessCalendar, seconds: int) -> None:
    # A calendar without holidays grew its index a year at a time, copying the whole run each
    # time: half an hour of CPU. Now every answer, or refusal, builds at most the horizon.
    with warnings.catch_warnings(), contextlib.suppress(NoWorkingTime, UnconfirmedHolidays):
        warnings.simplefilter("ignore", ProvisionalHolidays)
        calendar.add(sh(2026, 3, 2), seconds)
    index = calendar._cache.index
    assert index is None or len(index._years) <= BusinessCalendar.HORIZON_YEARS + 1


@pytest.mark.parametrize("calendar", _huge_calendars(), ids=lambda c: c.name)
def test_between_refuses_spans_beyond_the_horizon_before_building(
    calendar: BusinessCalendar,
) -> None:
    first, last = pendulum.datetime(1, 1, 2, tz=SH), pendulum.datetime(9999, 12, 30, tz=SH)
    for a, b in [(first, last), (last, first), (sh(2026, 1, 1), sh(2077, 1, 1))]:
        with pytest.raises(InvalidDuration, match="at most 50 years") as raised:
            calendar.between(a, b)
        assert raised.value.context == {"horizon_years": 50}
        with pytest.raises(InvalidDuration):
            calendar.explain(min(a, b), max(a, b))
    assert calendar._cache.index is None or not calendar._cache.index._years


def test_spans_within_the_horizon_still_count() -> None:
    always = BusinessCalendar.always(zone="UTC")
    start, end = pendulum.datetime(2026, 1, 1), pendulum.datetime(2076, 1, 1)
    assert always.between(start, end) == (end - start).total_seconds()
    assert always.add(start, always.between(start, end)) == end


# -- holidays: strict and provisional years --------------------------------------------------------


def test_strict_refuses_a_result_that_depends_on_an_unconfirmed_year() -> None:
    late = sh(2026, 12, 31, 17, 0)
    assert CN.add(late, 1800) == sh(2026, 12, 31, 17, 30)  # 2026 alone decides this one
    with pytest.raises(UnconfirmedHolidays, match="holidays of 2027") as raised:
        CN.add(late, 3600)
    assert isinstance(raised.value, LookupError)
    assert isinstance(raised.value, PropcrmError)
    assert "confirm(2027" in str(raised.value)
    with pytest.raises(UnconfirmedHolidays, match="2027"):
        CN.is_working_day(pendulum.date(2027, 1, 4))


def test_provisional_computes_and_marks_the_result_unconfirmed() -> None:
    cal = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    late = sh(2026, 12, 31, 17, 0)
    with pytest.warns(ProvisionalHolidays, match="the holidays of 2027"):
        deadline = cal.add(late, 3600)
    assert deadline == sh(2027, 1, 4, 9, 0)  # 1 January off; 2–3 January a weekend
    why = cal.explain(late, deadline)  # 2027 was warned about once; no second warning
    assert not why.confirmed
    assert why.unconfirmed_years == (2027,)
    assert why.policy is UnconfirmedPolicy.PROVISIONAL
    assert [(y.year, y.confirmed) for y in why.years] == [(2026, True), (2027, False)]
    assert why.years[0].source is not None
    assert "2026" in why.years[0].source


def test_confirming_a_year_or_giving_its_notice_lifts_the_strict_refusal() -> None:
    confirmed = BusinessCalendar.china_service_hours(
        holidays=ChinaHolidays().confirm(2027, "国务院办公厅关于2027年部分节假日安排的通知")
    )
    assert confirmed.add(sh(2026, 12, 31, 17, 0), 3600) == sh(2027, 1, 4, 9, 0)
    noticed = BusinessCalendar.china_service_hours(
        holidays=ChinaHolidays().with_notice(
            2027,
            holidays={datetime.date(2027, 1, 1): "元旦", datetime.date(2027, 1, 4): "元旦"},
            make_up_days=[datetime.date(2027, 1, 9)],
            source="国务院办公厅关于2027年部分节假日安排的通知",
        )
    )
    assert noticed.add(sh(2026, 12, 31, 17, 0), 3600) == sh(2027, 1, 5, 9, 0)
    why = noticed.explain(sh(2026, 12, 31, 17, 0), sh(2027, 1, 5, 9, 0))
    assert why.confirmed
    assert [h.name for h in why.holidays] == ["元旦", "元旦"]


# -- local overrides -------------------------------------------------------------------------------


def test_a_typhoon_closure_and_an_extra_open_day() -> None:
    typhoon = Closed(pendulum.date(2026, 9, 15), "台风停工")
    sunday = Open(pendulum.date(2026, 9, 27), [Window("09:00", "12:00")], "社区活动")
    cal = BusinessCalendar.china_service_hours(overrides=[typhoon, sunday])
    assert not cal.is_working_day(pendulum.date(2026, 9, 15))
    assert cal.add(sh(2026, 9, 14, 17, 0), HOUR) == sh(2026, 9, 16, 9, 0)
    assert cal.add(sh(2026, 9, 26, 12, 0), HOUR) == sh(2026, 9, 27, 10, 0)
    why = cal.explain(sh(2026, 9, 14, 17, 0), sh(2026, 9, 16, 9, 0))
    assert [(o.day, o.override) for o in why.overrides] == [(pendulum.date(2026, 9, 15), typhoon)]
    assert [(h.kind, h.name, h.seconds_lost) for h in why.holidays] == [
        (DayKind.CLOSED, "台风停工", SERVICE_DAY)
    ]


def test_an_override_beats_the_provider() -> None:
    # The desk opens on National Day morning, and closes a make-up Saturday.
    cal = BusinessCalendar.china_service_hours(
        overrides=[
            Open(pendulum.date(2025, 10, 1), [Window("09:00", "11:00")], "值班"),
            Closed(pendulum.date(2025, 10, 11), "团建"),
        ]
    )
    assert cal.windows_on(pendulum.date(2025, 10, 1)) == (
        (sh(2025, 10, 1, 9), sh(2025, 10, 1, 11)),
    )
    assert not cal.is_working_day(pendulum.date(2025, 10, 11))


def test_an_open_day_meeting_last_nights_shift_counts_each_second_once() -> None:
    cal = night_shift(
        overrides=[Open(pendulum.date(2026, 3, 3), [Window("00:00", "08:00")], "盘点")]
    )
    windows = cal.windows_on(pendulum.date(2026, 3, 3))
    assert windows[0] == (sh(2026, 3, 3, 6, 0), sh(2026, 3, 3, 8, 0))  # after Monday's shift
    assert cal.between(sh(2026, 3, 2, 22, 0), sh(2026, 3, 3, 8, 0)) == 10 * HOUR


# -- scenarios: a day at the service desk ----------------------------------------------------------


def test_a_request_across_national_day_2025() -> None:
    # Reported Tuesday 30 September at 16:00 with one service day to resolve it: 1.5 hours that
    # afternoon, then nothing from 1 to 8 October, and the other 6 hours on Thursday 9 October.
    reported = sh(2025, 9, 30, 16, 0)
    deadline = CN.add(reported, SERVICE_DAY)
    assert deadline == sh(2025, 10, 9, 16, 0)
    why = CN.explain_add(reported, SERVICE_DAY)
    assert why.seconds == SERVICE_DAY
    assert [(w.day.isoformat(), w.seconds) for w in why.windows] == [
        ("2025-09-30", 5400),
        ("2025-10-09", 12_600),
        ("2025-10-09", 9000),
    ]
    closed = {h.day.day: h.name for h in why.holidays}
    assert sorted(closed) == [1, 2, 3, 6, 7, 8]  # 4–5 October is a weekend anyway
    assert closed[1] == "国庆节"
    assert closed[6] == "中秋节"
    assert "调休" in closed[7]
    assert all(h.seconds_lost == SERVICE_DAY for h in why.holidays)
    assert why.make_up_days == ()
    assert why.confirmed


def test_a_request_over_the_make_up_sunday_before_national_day() -> None:
    # Friday 26 September 17:00, two service days: Sunday 28 September is worked.
    reported = sh(2025, 9, 26, 17, 0)
    deadline = CN.add(reported, 2 * SERVICE_DAY)
    assert deadline == sh(2025, 9, 29, 17, 0)
    why = CN.explain(reported, deadline)
    assert [(m.day, m.seconds) for m in why.make_up_days] == [
        (pendulum.date(2025, 9, 28), SERVICE_DAY)
    ]
    assert why.make_up_days[0].name == "调休上班"
    assert {w.kind for w in why.windows} == {DayKind.REGULAR, DayKind.MAKE_UP}


def test_a_request_on_a_make_up_saturday() -> None:
    reported = sh(2025, 10, 11, 10, 0)  # Saturday, worked
    assert CN.add(reported, HOUR) == sh(2025, 10, 11, 11, 0)
    assert CN.next_working_instant(reported) == reported


def test_a_request_over_lunch() -> None:
    assert CN.add(sh(2026, 3, 2, 11, 30), HOUR) == sh(2026, 3, 2, 14, 0)
    assert CN.between(sh(2026, 3, 2, 11, 30), sh(2026, 3, 2, 14, 0)) == HOUR
    assert CN.add(sh(2026, 3, 2, 12, 30), 60) == sh(2026, 3, 2, 13, 31)  # asked during lunch


def test_a_request_on_the_night_shift() -> None:
    cal = night_shift()
    # Friday 05:00 is inside Thursday's shift (it belongs to the day it starts).
    assert cal.add(sh(2026, 3, 6, 5, 0), 2 * HOUR) == sh(2026, 3, 6, 23, 0)
    # Friday's shift runs into Saturday morning; Saturday has none of its own.
    assert cal.add(sh(2026, 3, 7, 5, 0), 2 * HOUR) == sh(2026, 3, 9, 23, 0)
    assert cal.windows_on(pendulum.date(2026, 3, 6)) == ((sh(2026, 3, 6, 22), sh(2026, 3, 7, 6)),)


def test_a_night_shift_before_a_holiday_is_worked_to_its_end() -> None:
    cal = night_shift(holidays=ChinaHolidays(), make_up_windows=[Window("22:00", "06:00")])
    # Tuesday 30 September's shift runs into National Day; none starts on 1 October.
    assert cal.add(sh(2025, 9, 30, 22, 0), 8 * HOUR) == sh(2025, 10, 1, 6, 0)
    assert cal.add(sh(2025, 9, 30, 22, 0), 8 * HOUR + 1) == sh(2025, 10, 9, 22, 0, 1)


def test_a_window_across_the_spring_dst_change_has_its_real_length() -> None:
    berlin = BusinessCalendar(
        "Berlin nights", WeeklyHours.every_day(Window("01:00", "04:00")), "Europe/Berlin"
    )
    ((start, end),) = berlin.windows_on(pendulum.date(2025, 3, 30))  # 02:00 -> 03:00
    assert berlin.between(start, end) == 2 * HOUR
    assert berlin.add(start, 2 * HOUR) == end
    assert berlin.add(start, 2 * HOUR) == pendulum.datetime(2025, 3, 30, 4, 0, tz="Europe/Berlin")
    ((start, end),) = berlin.windows_on(pendulum.date(2025, 10, 26))  # 03:00 -> 02:00
    assert berlin.between(start, end) == 4 * HOUR


def test_an_overnight_shift_across_dst_in_new_york() -> None:
    ny = BusinessCalendar(
        "NY nights", WeeklyHours.every_day(Window("22:00", "06:00")), "America/New_York"
    )
    saturday = pendulum.date(2026, 3, 7)  # clocks go forward at 02:00 on Sunday 8 March
    ((start, end),) = ny.windows_on(saturday)
    assert ny.between(start, end) == 7 * HOUR
    assert ny.add(start, 7 * HOUR) == pendulum.datetime(2026, 3, 8, 6, 0, tz="America/New_York")
    autumn = pendulum.date(2026, 10, 31)  # back at 02:00 on Sunday 1 November
    ((start, end),) = ny.windows_on(autumn)
    assert ny.between(start, end) == 9 * HOUR


def test_a_wall_time_in_the_dst_gap_moves_forward() -> None:
    berlin = BusinessCalendar(
        "gap", WeeklyHours.every_day(Window("02:30", "05:00")), "Europe/Berlin"
    )
    ((start, end),) = berlin.windows_on(pendulum.date(2025, 3, 30))
    assert start == pendulum.datetime(2025, 3, 30, 3, 30, tz="Europe/Berlin")
    assert berlin.between(start, end) == 90 * 60


# -- the batch API ---------------------------------------------------------------------------------


def test_add_many_equals_add() -> None:
    starts = [sh(2025, 9, 30, 16), sh(2025, 9, 26, 17), sh(2026, 3, 2, 11, 30), sh(2026, 3, 7, 3)]
    posix = [int(t.timestamp()) for t in starts]
    for seconds in (0, 1, HOUR, SERVICE_DAY, 5 * SERVICE_DAY):
        batch = CN.add_many(posix, seconds)
        assert batch == [int(CN.add(t, seconds).timestamp()) for t in starts]
    per_start = [0, 60, HOUR, SERVICE_DAY]
    assert CN.add_many(posix, per_start) == [
        int(CN.add(t, d).timestamp()) for t, d in zip(starts, per_start, strict=True)
    ]
    assert CN.add_many([], HOUR) == []


def test_add_many_refuses_bad_input() -> None:
    t = int(sh(2026, 3, 2, 9).timestamp())
    with pytest.raises(NotAnInstant, match="POSIX"):
        CN.add_many([float(t)], 60)  # type: ignore[list-item]  # wrong on purpose
    with pytest.raises(NotAnInstant):
        CN.add_many([True], 60)
    with pytest.raises(InvalidDuration, match="float"):
        CN.add_many([t], 60.0)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(InvalidDuration, match="negative"):
        CN.add_many([t, t], [60, -1])
    with pytest.raises(InvalidDuration, match="2 durations for 1 starts"):
        CN.add_many([t], [60, 60])


def test_add_many_raises_like_add_for_an_unconfirmed_year() -> None:
    with pytest.raises(UnconfirmedHolidays, match="2027"):
        CN.add_many([int(sh(2026, 12, 31, 17).timestamp())], HOUR)


# -- properties ------------------------------------------------------------------------------------

_CN_FIRST, _CN_LAST = datetime.date(2025, 1, 1), datetime.date(2026, 12, 10)
_cn_instants = calendar_instants(CN, first=_CN_FIRST, last=_CN_LAST)
_cn_durations = business_durations(max_value=4 * SERVICE_DAY)


# Random calendars are drawn over one of these stretches: a wide one, and short ones around the
# DST changes of Berlin, New York and Lord Howe and around a new year (overnight windows).
_RANGES = (
    (datetime.date(2026, 2, 20), datetime.date(2026, 4, 10)),
    (datetime.date(2026, 3, 6), datetime.date(2026, 3, 10)),
    (datetime.date(2026, 3, 27), datetime.date(2026, 4, 6)),
    (datetime.date(2026, 10, 2), datetime.date(2026, 10, 6)),
    (datetime.date(2026, 10, 23), datetime.date(2026, 11, 3)),
    (datetime.date(2026, 12, 28), datetime.date(2027, 1, 4)),
)


@st.composite
def _calendar_and_instants(
    draw: st.DrawFn, count: int = 1, microseconds: bool = False
) -> tuple[BusinessCalendar, list[pendulum.DateTime]]:
    if draw(st.booleans()):
        calendar = CN
        first, last = _CN_FIRST, _CN_LAST
    else:
        first, last = draw(st.sampled_from(_RANGES))
        # Half-hour boundaries fall into DST gaps and overlaps far more often than minutes.
        step = draw(st.sampled_from((60, 1800)))
        calendar = draw(business_calendars(first=first, last=last, granularity=step))
    instants = calendar_instants(calendar, first=first, last=last, microseconds=microseconds)
    return calendar, [draw(instants) for _ in range(count)]


def _bounded_add(
    calendar: BusinessCalendar, start: pendulum.DateTime, seconds: int
) -> pendulum.DateTime:
    """``add``, skipping examples whose sparse random calendar would run for years."""
    result = calendar.add(start, seconds)
    assume((result - start).in_days() < 60 or calendar is CN)
    return result


@settings(max_examples=150)
@given(_calendar_and_instants(), _cn_durations)
def test_between_undoes_add(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], seconds: int
) -> None:
    calendar, (start,) = pair
    assert calendar.between(start, _bounded_add(calendar, start, seconds)) == seconds


@settings(max_examples=100)
@given(_calendar_and_instants(microseconds=True), _cn_durations)
def test_between_undoes_add_with_microseconds(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], seconds: int
) -> None:
    calendar, (start,) = pair
    result = _bounded_add(calendar, start, seconds)
    assert calendar.between(start, result) == seconds
    # Counting from inside a window keeps the fraction; from outside it starts at a whole second.
    inside = calendar.next_working_instant(start) == start
    assert result.microsecond == (start.microsecond if inside or not seconds else 0)


@settings(max_examples=100)
@given(_calendar_and_instants(), _cn_durations, _cn_durations)
def test_add_is_associative(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], a: int, b: int
) -> None:
    calendar, (start,) = pair
    total = _bounded_add(calendar, start, a + b)
    assert calendar.add(calendar.add(start, a), b) == total


@settings(max_examples=100)
@given(_calendar_and_instants(), _cn_durations, _cn_durations)
def test_add_is_monotone(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], a: int, b: int
) -> None:
    calendar, (start,) = pair
    low, high = sorted((a, b))
    later = _bounded_add(calendar, start, high)
    assert calendar.add(start, low) <= later
    if low < high:
        assert calendar.add(start, low) < later


@settings(max_examples=100)
@given(_calendar_and_instants(), _cn_durations)
def test_results_land_inside_a_window_or_at_its_end(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], seconds: int
) -> None:
    calendar, (start,) = pair
    assume(seconds > 0)
    result = _bounded_add(calendar, start, seconds)
    day = result.date()
    windows = [*calendar.windows_on(day.subtract(days=1)), *calendar.windows_on(day)]
    assert any(s < result <= e for s, e in windows)


@settings(max_examples=100)
@given(_calendar_and_instants(count=3))
def test_between_is_additive_and_antisymmetric(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]],
) -> None:
    calendar, (a, b, c) = pair
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)
    assert calendar.between(b, a) == -calendar.between(a, b)
    assert (calendar.between(a, b) >= 0) if a <= b else (calendar.between(a, b) <= 0)


@settings(max_examples=60)
@given(_calendar_and_instants(count=8), _cn_durations)
def test_add_many_agrees_with_add(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], seconds: int
) -> None:
    calendar, starts = pair
    singles = [_bounded_add(calendar, t, seconds) for t in starts]
    batch = calendar.add_many([int(t.timestamp()) for t in starts], seconds)
    assert batch == [int(r.timestamp()) for r in singles]


@settings(max_examples=100)
@given(_calendar_and_instants(), business_durations(max_value=2 * SERVICE_DAY))
def test_add_agrees_with_the_minute_oracle(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]], seconds: int
) -> None:
    calendar, (start,) = pair
    result = _bounded_add(calendar, start, seconds)
    t, r = int(start.timestamp()), int(result.timestamp())
    oracle = _oracle_for(calendar, t, r, _china_windows if calendar is CN else None)
    assert oracle.add(t, seconds) == r


@settings(max_examples=100)
@given(_calendar_and_instants(count=2))
def test_between_agrees_with_the_minute_oracle(
    pair: tuple[BusinessCalendar, list[pendulum.DateTime]],
) -> None:
    calendar, (a, b) = pair
    low, high = sorted((int(a.timestamp()), int(b.timestamp())))
    assume(high - low < 40 * 86_400)
    oracle = _oracle_for(calendar, low, high, _china_windows if calendar is CN else None)
    assert calendar.between(a, b) == (
        oracle.between(low, high) if a <= b else -oracle.between(low, high)
    )


_DST_DAYS = {
    "Europe/Berlin": (datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)),
    "America/New_York": (datetime.date(2026, 3, 8), datetime.date(2026, 11, 1)),
    "Australia/Lord_Howe": (datetime.date(2026, 4, 5), datetime.date(2026, 10, 4)),
}


@st.composite
def _dst_calendar_and_instants(
    draw: st.DrawFn,
) -> tuple[BusinessCalendar, pendulum.DateTime, pendulum.DateTime]:
    zone = draw(st.sampled_from(sorted(_DST_DAYS)))
    day = draw(st.sampled_from(_DST_DAYS[zone]))
    first, last = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    calendar = draw(
        business_calendars(zones=[zone], first=first, last=last, granularity=1800, holidays=False)
    )
    instants = calendar_instants(calendar, first=first, last=last, granularity=1800)
    return calendar, draw(instants), draw(instants)


@settings(max_examples=100)
@given(_dst_calendar_and_instants(), business_durations(max_value=12 * HOUR, granularity=1800))
def test_dst_days_agree_with_the_minute_oracle(
    drawn: tuple[BusinessCalendar, pendulum.DateTime, pendulum.DateTime], seconds: int
) -> None:
    calendar, a, b = drawn
    low, high = sorted((int(a.timestamp()), int(b.timestamp())))
    oracle = _oracle_for(calendar, low, high)
    assert calendar.between(a, b) == (
        oracle.between(low, high) if a <= b else -oracle.between(low, high)
    )
    result = _bounded_add(calendar, a, seconds)
    t, r = int(a.timestamp()), int(result.timestamp())
    assert _oracle_for(calendar, t, r).add(t, seconds) == r


def test_a_window_moved_forward_by_a_dst_gap_is_counted_in_real_order() -> None:
    # The thorough profile's counterexample (issue 18): in New York on 8 March 2026 clocks go
    # from 02:00 to 03:00, so the wall window 02:01–02:02 is moved forward to 03:01–03:02 EDT,
    # inside the later window 03:00–03:05. The working time is their union, 03:00–03:05: five
    # minutes, as the oracle says; trimming in wall order counted four (240 s instead of 300).
    ny = "America/New_York"
    calendar = BusinessCalendar(
        "NY Sunday", WeeklyHours(sunday=(Window("02:01", "02:02"), Window("03:00", "03:05"))), ny
    )
    sunday = datetime.date(2026, 3, 8)
    midnight = pendulum.datetime(2026, 3, 8, tz=ny)
    three, five_past = (
        pendulum.datetime(2026, 3, 8, 3, tz=ny),
        pendulum.datetime(2026, 3, 8, 3, 5, tz=ny),
    )
    assert calendar.between(midnight, midnight.add(days=1)) == 300
    assert calendar.windows_on(sunday) == ((three, five_past),)
    assert calendar.add(midnight, 300) == five_past
    low, high = int(midnight.timestamp()), int(midnight.add(days=1).timestamp())
    assert _oracle_for(calendar, low, high).between(low, high) == 300


@settings(max_examples=30)
@given(_cn_instants, st.integers(min_value=1, max_value=10))
def test_china_oracle_over_long_spans(start: pendulum.DateTime, days: int) -> None:
    seconds = days * SERVICE_DAY
    result = CN.add(start, seconds)
    t, r = int(start.timestamp()), int(result.timestamp())
    assert _oracle_for(CN, t, r, _china_windows).add(t, seconds) == r


def test_the_oracle_matches_the_known_national_day_answer() -> None:
    # The oracle itself, checked once against the worked example above.
    t = int(sh(2025, 9, 30, 16).timestamp())
    oracle = Oracle(SH, _china_windows, datetime.date(2025, 9, 29), datetime.date(2025, 10, 10))
    assert oracle.add(t, SERVICE_DAY) == int(sh(2025, 10, 9, 16).timestamp())


def test_holiday_list_calendars_work_like_overrides() -> None:
    day = pendulum.date(2026, 3, 4)
    listed = BusinessCalendar(
        "listed",
        WeeklyHours.weekdays(Window("09:00", "17:00")),
        holidays=HolidayList([HolidayYear(2026, [Holiday(day, "厂休")], source="company")]),
    )
    closed = BusinessCalendar(
        "closed", WeeklyHours.weekdays(Window("09:00", "17:00")), overrides=[Closed(day, "厂休")]
    )
    t = sh(2026, 3, 3, 16)
    assert listed.add(t, 2 * HOUR) == closed.add(t, 2 * HOUR) == sh(2026, 3, 5, 10)


# -- provisional results are visible to a caller of add() alone ----------------------------------


def attributed_here(filename: str) -> bool:
    """Whether a warning from a call made in this file names this file as where it was raised.

    Under mutation testing (scripts/mutation.py) mutmut calls each mutated function through its
    trampoline, a frame outside propcrm between this file and the library, so the warning names
    that frame; in every other run it must name this file.
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        return filename == __file__ or filename.endswith("mutmut/mutation/trampoline.py")
    return filename == __file__


def test_a_provisional_deadline_warns_once_per_calendar_and_year() -> None:
    cal = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    late = sh(2026, 12, 31, 17, 0)
    with pytest.warns(ProvisionalHolidays) as caught:
        deadline = cal.add(late, 3600)
    assert deadline == sh(2027, 1, 4, 9, 0)  # computed, and returned despite the warning
    (record,) = caught.list
    warning = record.message
    assert isinstance(warning, ProvisionalHolidays)
    assert isinstance(warning, PropcrmWarning)
    assert isinstance(warning, UserWarning)
    assert (warning.calendar, warning.provider, warning.year) == ("CN service hours", "CN", 2027)
    assert str(warning) == (
        "calendar 'CN service hours' used the holidays of 2027 from holiday provider 'CN', but "
        "no notice confirms 2027 yet (policy PROVISIONAL): its make-up workdays may be missing, "
        "so results that depend on 2027 may change when the notice is out. "
        "explain(...).unconfirmed_years says which results; confirm the year or give its notice "
        "to make them final. Warned once per calendar and year."
    )
    assert attributed_here(record.filename)  # attributed to the caller, not to propcrm
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any further warning would raise
        assert cal.add(late, 7200) == sh(2027, 1, 4, 10, 0)
        assert cal.between(late, sh(2027, 1, 5, 9, 0)) > 0
        assert not cal.is_working_day(datetime.date(2027, 1, 1))


def test_a_confirmed_deadline_does_not_warn() -> None:
    cal = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cal.add(sh(2026, 9, 30, 17, 0), 3600) == sh(2026, 10, 8, 9, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: cal.add(sh(2026, 12, 31, 17, 0), 3600),
        lambda cal: cal.between(sh(2026, 12, 31, 17, 0), sh(2027, 1, 4, 10, 0)),
        lambda cal: cal.next_working_instant(sh(2026, 12, 31, 18, 0)),
        lambda cal: cal.is_working_day(datetime.date(2027, 1, 4)),
        lambda cal: cal.windows_on(datetime.date(2027, 1, 4)),
        lambda cal: cal.add_many([int(sh(2026, 12, 31, 17, 0).timestamp())], 3600),
        lambda cal: cal.explain(sh(2026, 12, 31, 17, 0), sh(2027, 1, 4, 10, 0)),
        lambda cal: cal.explain_add(sh(2026, 12, 31, 17, 0), 3600),
    ],
    ids=[
        "add",
        "between",
        "next_working_instant",
        "is_working_day",
        "windows_on",
        "add_many",
        "explain",
        "explain_add",
    ],
)
def test_every_query_that_depends_on_a_provisional_year_warns(
    call: Callable[[BusinessCalendar], object],
) -> None:
    cal = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    with pytest.warns(ProvisionalHolidays) as caught:
        call(cal)
    assert [w.message.year for w in caught.list] == [2027]  # type: ignore[union-attr]
    assert all(attributed_here(w.filename) for w in caught.list)


def test_an_error_filter_raises_the_warning_and_leaves_the_calendar_whole() -> None:
    cal = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    late = sh(2026, 12, 31, 17, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProvisionalHolidays)
        with pytest.raises(ProvisionalHolidays, match="2027"):
            cal.add(late, 3600)
        # Warned once: the calendar is whole, and the next call just answers.
        assert cal.add(late, 3600) == sh(2027, 1, 4, 9, 0)


def test_a_strict_calendar_still_refuses_and_never_warns() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UnconfirmedHolidays, match="2027"):
            CN.add(sh(2026, 12, 31, 17, 0), 3600)


# -- edges the mutation run found untested (issue 18) ----------------------------------------------


def test_a_holiday_entered_mid_morning_loses_only_the_rest_of_its_day() -> None:
    # From 10:00 on National Day 2025: that day loses 12:00 less 10:00 and the afternoon
    # (6 hours); the other days off lose a whole service day each.
    why = CN.explain(sh(2025, 10, 1, 10, 0), sh(2025, 10, 9, 9, 0))
    assert why.seconds == 1800  # 08:30–09:00 on Thursday 9 October
    assert [(h.day.isoformat(), h.seconds_lost) for h in why.holidays] == [
        ("2025-10-01", 6 * HOUR),
        ("2025-10-02", SERVICE_DAY),
        ("2025-10-03", SERVICE_DAY),
        ("2025-10-06", SERVICE_DAY),
        ("2025-10-07", SERVICE_DAY),
        ("2025-10-08", SERVICE_DAY),
    ]


def test_a_span_across_new_year_names_both_years_notices() -> None:
    why = CN.explain(sh(2025, 12, 31, 17, 0), sh(2026, 1, 5, 9, 0))
    assert [(y.year, y.confirmed) for y in why.years] == [(2025, True), (2026, True)]
    # 17:00–17:30 on 31 December; 1–3 January off; Sunday 4 January a make-up workday (2026's
    # notice); 08:30–09:00 on 5 January.
    assert why.seconds == 1800 + SERVICE_DAY + 1800
    assert [m.day.isoformat() for m in why.make_up_days] == ["2026-01-04"]


def test_an_explanation_starting_inside_last_nights_shift_shows_it() -> None:
    # Friday 05:00 is inside Thursday's 22:00–06:00 shift: the hour to 06:00 belongs to Thursday,
    # which is not a day of the span (no holiday or override listed for it).
    why = night_shift().explain(sh(2026, 3, 6, 5, 0), sh(2026, 3, 6, 23, 0))
    assert why.seconds == 2 * HOUR
    assert [(w.day.isoformat(), w.start, w.end, w.seconds) for w in why.windows] == [
        ("2026-03-05", sh(2026, 3, 6, 5), sh(2026, 3, 6, 6), HOUR),
        ("2026-03-06", sh(2026, 3, 6, 22), sh(2026, 3, 6, 23), HOUR),
    ]
    assert (why.holidays, why.overrides) == ((), ())


def test_an_overnight_open_day_reaches_into_the_new_year() -> None:
    # Only the New Year's Eve override runs past midnight; a calendar asked about 1 January
    # first still counts the hours of that night that fall in the new year.
    eve = Open(datetime.date(2025, 12, 31), [Window("22:00", "02:00")], "跨年值班")
    desk = BusinessCalendar(
        "desk", WeeklyHours.weekdays(Window("09:00", "17:00")), SH, overrides=[eve]
    )
    assert desk.between(sh(2026, 1, 1, 0, 30), sh(2026, 1, 1, 1, 30)) == HOUR
    why = desk.explain(sh(2026, 1, 1, 0, 30), sh(2026, 1, 1, 1, 30))
    assert [(w.day.isoformat(), w.seconds) for w in why.windows] == [("2025-12-31", HOUR)]


def test_a_night_shift_in_the_first_year_there_is() -> None:
    # 1 January of year 1 is a Monday; there is no year 0 whose last night could run into it.
    nights = BusinessCalendar("nights", WeeklyHours.weekdays(Window("22:00", "06:00")), "UTC")
    tuesday = datetime.datetime(1, 1, 2, 22, tzinfo=datetime.UTC)
    assert nights.add(tuesday, HOUR) == pendulum.datetime(1, 1, 2, 23, tz="UTC")


def test_a_result_in_the_repeated_hour_is_the_second_one_when_it_is() -> None:
    # New York's clocks go back at 02:00 on 1 November 2026: two hours after 00:30 is the
    # second 01:30 (EST), not the first.
    ny = BusinessCalendar.always(zone="America/New_York")
    start = pendulum.datetime(2026, 11, 1, 0, 30, tz="America/New_York")
    result = ny.add(start, 2 * HOUR)
    assert result.timestamp() - start.timestamp() == 2 * HOUR
    assert (result.hour, result.minute, result.fold) == (1, 30, 1)
    assert result.utcoffset() == datetime.timedelta(hours=-5)


def test_the_horizon_in_seconds_is_refused_at_once_only_beyond_51_leap_years() -> None:
    always = BusinessCalendar.always()
    longest = 51 * 366 * 86_400
    with pytest.raises(NoWorkingTime) as raised:
        always.add(sh(2026, 3, 2), longest + 1)
    assert str(raised.value) == (
        f"adding {longest + 1} working seconds reaches beyond the calendar's horizon of 50 years "
        f"(at most {longest} seconds even on a 24x7 calendar); an SLA deadline lies hours or "
        "days ahead."
    )
    assert raised.value.allowed == "a result within 50 years of the start's year"
    with pytest.raises(NoWorkingTime) as raised:
        always.add(sh(2026, 3, 2), longest)  # not refused at once: the years are searched
    assert str(raised.value).startswith(
        f"adding {longest} working seconds reaches beyond the end of 2076, 50 years after 2026;"
    )


def test_max_idle_years_takes_1_to_the_horizon() -> None:
    office = WeeklyHours.weekdays(Window("09:00", "17:00"))
    assert BusinessCalendar("desk", office, max_idle_years=1).max_idle_years == 1
    assert BusinessCalendar("desk", office, max_idle_years=50).max_idle_years == 50


def test_add_many_takes_the_first_and_last_posix_seconds_every_zone_can_show() -> None:
    first, last = -62_135_510_400, 253_402_128_000  # 2 January of year 1, 30 December 9999
    always = BusinessCalendar.always()
    assert always.add_many([first, last], 60) == [first + 60, last + 60]
    for outside in (first - 1, last + 1):
        with pytest.raises(NotAnInstant, match="is not a POSIX second of years 1 to 9999"):
            always.add_many([outside], 60)
    with pytest.raises(NotAnInstant, match="is not whole POSIX seconds"):
        always.add_many([True], 60)  # type: ignore[list-item]  # wrong on purpose


def test_working_time_to_new_year_midnight_needs_no_notice_for_the_new_year() -> None:
    # 2027 has no notice yet, and a strict calendar refuses what depends on it; a span that ends
    # at midnight of 1 January 2027 does not (it refused: the year was built for its end).
    assert CN.between(sh(2026, 12, 31, 17, 0), sh(2027, 1, 1)) == 1800
    # The year 2026: 261 weekdays, 19 of them off, and 6 make-up workdays.
    assert CN.between(sh(2026, 1, 1), sh(2027, 1, 1)) == 248 * SERVICE_DAY
    why = CN.explain(sh(2026, 12, 31, 17, 0), sh(2027, 1, 1))
    assert why.seconds == 1800
    assert [y.year for y in why.years] == [2026]
    assert why.holidays == ()
    with pytest.raises(UnconfirmedHolidays, match="2027"):
        CN.between(sh(2026, 12, 31, 17, 0), sh(2027, 1, 1).add(microseconds=1))
    empty = CN.explain(sh(2026, 1, 1), sh(2026, 1, 1))
    assert (empty.seconds, [y.year for y in empty.years]) == (0, [2026])


_NOT_AN_INSTANT = (
    "expected an aware datetime, got str '2026-11-02'; pass e.g. "
    "pendulum.datetime(2026, 3, 2, 9, 0, tz='Asia/Shanghai')."
)
_MONDAY_10 = pendulum.datetime(2026, 11, 2, 10, tz="Asia/Shanghai")


@pytest.mark.parametrize(
    ("call", "error", "field", "message"),
    [
        (
            lambda cal: cal.explain("2026-11-02", _MONDAY_10),
            NotAnInstant,
            "start",
            _NOT_AN_INSTANT,
        ),
        (lambda cal: cal.explain(_MONDAY_10, "2026-11-02"), NotAnInstant, "end", _NOT_AN_INSTANT),
        (
            lambda cal: cal.between("2026-11-02", _MONDAY_10),
            NotAnInstant,
            "start",
            _NOT_AN_INSTANT,
        ),
        (lambda cal: cal.next_working_instant("2026-11-02"), NotAnInstant, "at", _NOT_AN_INSTANT),
        (
            lambda cal: cal.add_many("x", 60),
            InvalidCalendar,
            "starts",
            "starts must be a collection of items, got str 'x'.",
        ),
        (
            lambda _cal: BusinessCalendar.china_service_hours(windows="09:00-18:00"),
            InvalidCalendar,
            "windows",
            "windows must be a collection of items, got str '09:00-18:00'.",
        ),
    ],
    ids=[
        "explain start",
        "explain end",
        "between start",
        "next working instant",
        "add_many starts",
        "windows",
    ],
)
def test_each_bad_argument_of_a_calendar_call_is_refused_by_name(
    call: Callable[[BusinessCalendar], object],
    error: type[PropcrmError],
    field: str,
    message: str,
) -> None:
    with pytest.raises(error) as refused:
        call(BusinessCalendar.china_service_hours())
    assert str(refused.value) == message
    assert refused.value.field == field


# -- explanations count whole seconds; warnings name the caller (issue 18, second run) -----------


def test_an_explanation_with_microseconds_counts_whole_seconds_per_day() -> None:
    # Entered a quarter second after 10:00 on National Day 2025, answered three quarters of a
    # second after 09:00 on 9 October: each day's seconds are truncated like between()'s.
    why = CN.explain(
        pendulum.datetime(2025, 10, 1, 10, 0, 0, 250_000, tz=SH),
        pendulum.datetime(2025, 10, 9, 9, 0, 0, 750_000, tz=SH),
    )
    assert why.seconds == 1800
    assert [(w.day.isoformat(), w.seconds) for w in why.windows] == [("2025-10-09", 1800)]
    assert why.windows[0].end == pendulum.datetime(2025, 10, 9, 9, 0, 0, 750_000, tz=SH)
    # 1 October loses 12:00 less 10:00:00.25 and the afternoon: 21,599.75 s, so 21,599.
    assert [(h.day.isoformat(), h.seconds_lost) for h in why.holidays] == [
        ("2025-10-01", 21_599),
        ("2025-10-02", SERVICE_DAY),
        ("2025-10-03", SERVICE_DAY),
        ("2025-10-06", SERVICE_DAY),
        ("2025-10-07", SERVICE_DAY),
        ("2025-10-08", SERVICE_DAY),
    ]


def test_a_holiday_morning_cut_short_loses_nothing_from_its_afternoon() -> None:
    # From 08:00 to a microsecond before noon on National Day: the morning window loses
    # 12,599.999999 s (12,599 whole), the afternoon, outside the span, loses nothing at all.
    why = CN.explain(
        sh(2025, 10, 1, 8, 0), pendulum.datetime(2025, 10, 1, 11, 59, 59, 999_999, tz=SH)
    )
    assert why.seconds == 0
    assert [(h.day.isoformat(), h.name, h.seconds_lost) for h in why.holidays] == [
        ("2025-10-01", "国庆节", 12_599)
    ]


def test_explaining_new_years_day_2020_looks_at_no_day_of_2019() -> None:
    # 2019 is before the shipped notices: a strict calendar refuses it. A calendar without
    # overnight windows has nothing of 31 December 2019 to show for a span from 1 January 2020.
    why = CN.explain(sh(2020, 1, 1, 0, 0), sh(2020, 1, 2, 10, 0))
    assert why.seconds == 5400  # 08:30–10:00 on Thursday 2 January
    assert [(h.day.isoformat(), h.name, h.seconds_lost) for h in why.holidays] == [
        ("2020-01-01", "元旦", SERVICE_DAY)
    ]
    assert [y.year for y in why.years] == [2020]


def test_a_warning_names_the_first_caller_outside_propcrm() -> None:
    # Two frames of code whose module is in propcrm (made here with exec), called from this
    # test: the warning is raised two levels up from where it is issued, in this file.
    library: dict[str, Any] = {"__name__": "propcrm.sla.fake", "sys": sys, "warnings": warnings}
    library["level"] = _outside_propcrm
    exec(
        "def issue():\n"
        "    depth = level(sys._getframe())\n"
        "    warnings.warn('provisional', UserWarning, stacklevel=depth)\n"
        "    return depth\n"
        "def load():\n"
        "    return issue()\n",
        library,
    )
    with pytest.warns(UserWarning, match="provisional") as caught:
        assert library["load"]() == 3  # issue (1), load (2), this test (3)
    assert caught.list[0].filename == __file__
    # Code that has no module name at all (exec without __name__) is outside propcrm too.
    bare: dict[str, Any] = {}
    exec("def call(f):\n    return f()\n", bare)
    with pytest.warns(UserWarning, match="provisional") as caught:
        assert bare["call"](library["issue"]) == 2  # issue (1), call (2)
    assert caught.list[0].filename == "<string>"


# -- year boundaries and odd windows (issue 18, second run) ---------------------------------------


def test_a_night_shift_of_the_first_year_runs_into_the_second() -> None:
    # 31 December of year 1 is a Monday: its 22:00–06:00 shift ends on 1 January of year 2.
    nights = BusinessCalendar("nights", WeeklyHours.weekdays(Window("22:00", "06:00")), "UTC")
    new_year = datetime.datetime(2, 1, 1, tzinfo=datetime.UTC)
    assert nights.between(new_year, new_year + datetime.timedelta(hours=6)) == 6 * HOUR


def test_an_overnight_window_over_nepals_new_year_offset_change_ends_at_its_wall_time() -> None:
    # Nepal moved from UTC+05:30 to UTC+05:45 at midnight on 1 January 1986: the 22:00–06:00
    # shift of New Year's Eve ends at 06:00 local time, 7 h 45 min of real time after it starts.
    def kathmandu(*args: int) -> pendulum.DateTime:
        return pendulum.datetime(*args, tz="Asia/Kathmandu")

    desk = BusinessCalendar(
        "night desk", WeeklyHours.every_day(Window("22:00", "06:00")), "Asia/Kathmandu"
    )
    assert desk.windows_on(datetime.date(1985, 12, 31)) == (
        (kathmandu(1985, 12, 31, 22), kathmandu(1986, 1, 1, 6)),
    )
    assert desk.between(kathmandu(1985, 12, 31, 22), kathmandu(1986, 1, 1, 7)) == 27_900


def test_the_last_nights_of_year_9999_are_worked_to_the_second() -> None:
    # From Thursday 30 December 9999 00:00 UTC: 6 h left of Wednesday's shift, then Thursday's
    # 22:00–06:00, then Friday's from 22:00, whose end lies in year 10000.
    nights = BusinessCalendar("nights", WeeklyHours.weekdays(Window("22:00", "06:00")), "UTC")
    thursday = int(datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC).timestamp())
    assert nights.add_many([thursday], 8 * HOUR) == [thursday + 24 * HOUR]
    assert nights.add_many([thursday], 16 * HOUR - 1) == [thursday + 48 * HOUR - 1]
    # Friday's shift is worked to its last second, 06:00 on 1 January 10000 (a POSIX second no
    # datetime shows); not one second more.
    assert nights.add_many([thursday], 22 * HOUR) == [thursday + 54 * HOUR]
    with pytest.raises(NoWorkingTime, match="after the end of year 9999"):
        nights.add_many([thursday], 22 * HOUR + 1)


def test_a_window_swallowed_by_last_nights_shift_is_not_shown() -> None:
    # Tuesday's stocktaking opens 05:00–06:00 and 09:00–10:00, but Monday's night shift already
    # works until 06:00: nothing of the first window is left to show.
    cal = night_shift(
        overrides=[
            Open(
                pendulum.date(2026, 3, 3),
                [Window("05:00", "06:00"), Window("09:00", "10:00")],
                "盘点",
            )
        ]
    )
    assert cal.windows_on(pendulum.date(2026, 3, 3)) == ((sh(2026, 3, 3, 9), sh(2026, 3, 3, 10)),)
    assert cal.between(sh(2026, 3, 2, 22), sh(2026, 3, 3, 10)) == 9 * HOUR


def test_windows_to_the_second() -> None:
    exact = BusinessCalendar(
        "exact", WeeklyHours.weekdays(Window(datetime.time(8, 30, 15), datetime.time(12, 0, 45)))
    )
    assert exact.windows_on(datetime.date(2026, 3, 2)) == (
        (sh(2026, 3, 2, 8, 30, 15), sh(2026, 3, 2, 12, 0, 45)),
    )


def test_a_span_into_a_year_not_yet_built_counts_that_years_windows() -> None:
    # The first query builds only 2026; the second reaches into 2027, which must be added.
    desk = BusinessCalendar("desk", WeeklyHours.weekdays(Window("09:00", "17:00")))
    assert desk.between(sh(2026, 12, 31, 9), sh(2026, 12, 31, 10)) == HOUR
    # Thursday 31 December 09:00–17:00, Friday 1 January (this desk keeps no holidays), and
    # 09:00–10:00 on Monday 4 January.
    assert desk.between(sh(2026, 12, 31, 9), sh(2027, 1, 4, 10)) == 8 * HOUR + 8 * HOUR + HOUR
