"""Tests for sla._calendar_explanations: how a calendar counted a span, as data."""

from __future__ import annotations

import datetime

import attrs
import pendulum
import pytest
from hypothesis import given, settings

from propcrm.errors import InvalidDuration, ProvisionalHolidays
from propcrm.sla import (
    BusinessCalendar,
    ChinaHolidays,
    Closed,
    Open,
    UnconfirmedPolicy,
    WeeklyHours,
    Window,
)
from propcrm.sla._calendar_explanations import (
    DaySkipped,
    MakeUpDayWorked,
    OverrideApplied,
    SpanExplanation,
    WindowUsed,
    YearStatus,
)
from propcrm.sla._working_hours import DayKind
from propcrm.testing._sla_strategies import (
    business_calendars,
    business_durations,
    calendar_instants,
)

SH = "Asia/Shanghai"
CN = BusinessCalendar.china_service_hours()


def sh(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=SH)


def test_an_explanation_is_structured_data() -> None:
    why = CN.explain(sh(2026, 3, 2, 11, 0), sh(2026, 3, 2, 14, 0))
    assert isinstance(why, SpanExplanation)
    assert why.calendar == "CN service hours"
    assert why.zone == SH
    assert (why.start, why.end, why.seconds) == (sh(2026, 3, 2, 11), sh(2026, 3, 2, 14), 5400)
    assert why.windows == (
        WindowUsed(
            pendulum.date(2026, 3, 2), DayKind.REGULAR, sh(2026, 3, 2, 11), sh(2026, 3, 2, 12), 3600
        ),
        WindowUsed(
            pendulum.date(2026, 3, 2),
            DayKind.REGULAR,
            sh(2026, 3, 2, 13, 30),
            sh(2026, 3, 2, 14),
            1800,
        ),
    )
    assert (why.holidays, why.make_up_days, why.overrides) == ((), (), ())
    assert why.years == (YearStatus(2026, "CN", True, ChinaHolidays().confirmed_years[2026]),)
    assert why.confirmed
    assert why.unconfirmed_years == ()
    assert why.policy is UnconfirmedPolicy.STRICT
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        why.seconds = 0  # type: ignore[misc]  # frozen on purpose


def test_explain_add_explains_the_deadline() -> None:
    why = CN.explain_add(sh(2025, 9, 30, 16, 0), 27_000)
    assert why.end == sh(2025, 10, 9, 16, 0)
    assert why.seconds == 27_000
    assert sum(w.seconds for w in why.windows) == 27_000


def test_holidays_with_their_names_and_lost_time() -> None:
    why = CN.explain(sh(2026, 9, 30, 17, 0), sh(2026, 10, 8, 9, 0))
    assert [(h.day.day, h.kind, h.name) for h in why.holidays] == [
        (1, DayKind.HOLIDAY, "国庆节"),
        (2, DayKind.HOLIDAY, "国庆节"),
        (3, DayKind.HOLIDAY, "国庆节"),
        (5, DayKind.HOLIDAY, "国庆节（补假）"),
        (6, DayKind.HOLIDAY, "休息日（由 2026-09-20 调休）"),
        (7, DayKind.HOLIDAY, "休息日（由 2026-10-10 调休）"),
    ]
    lost = {h.day.day: h.seconds_lost for h in why.holidays}
    assert lost[3] == 0  # a Saturday: nothing lost
    assert lost[1] == 27_000


def test_the_last_day_of_the_span_loses_only_what_lies_inside_it() -> None:
    why = CN.explain(sh(2025, 9, 30, 17, 0), sh(2025, 10, 1, 10, 0))
    assert why.holidays == (
        DaySkipped(pendulum.date(2025, 10, 1), DayKind.HOLIDAY, "国庆节", 5400),
    )


def test_make_up_days_worked() -> None:
    why = CN.explain(sh(2025, 10, 10, 17, 0), sh(2025, 10, 13, 9, 0))
    assert why.make_up_days == (MakeUpDayWorked(pendulum.date(2025, 10, 11), "调休上班", 27_000),)
    assert [w.kind for w in why.windows] == [
        DayKind.REGULAR,
        DayKind.MAKE_UP,
        DayKind.MAKE_UP,
        DayKind.REGULAR,
    ]


def test_overrides_applied() -> None:
    typhoon = Closed(pendulum.date(2026, 7, 14), "台风停工")
    duty = Open(pendulum.date(2026, 7, 12), [Window("09:00", "11:00")], "周日值班")
    cal = BusinessCalendar.china_service_hours(overrides=[typhoon, duty])
    why = cal.explain(sh(2026, 7, 11, 0, 0), sh(2026, 7, 16, 0, 0))
    assert why.overrides == (
        OverrideApplied(pendulum.date(2026, 7, 12), duty),
        OverrideApplied(pendulum.date(2026, 7, 14), typhoon),
    )
    assert [(h.kind, h.name) for h in why.holidays] == [(DayKind.CLOSED, "台风停工")]
    assert why.windows[0] == WindowUsed(
        pendulum.date(2026, 7, 12), DayKind.OPEN, sh(2026, 7, 12, 9), sh(2026, 7, 12, 11), 7200
    )


def test_overnight_windows_belong_to_the_day_they_start() -> None:
    nights = BusinessCalendar("nights", WeeklyHours.weekdays(Window("22:00", "06:00")), SH)
    why = nights.explain(sh(2026, 3, 3, 2, 0), sh(2026, 3, 3, 23, 0))
    assert [(w.day.day, w.start.hour, w.end.hour, w.seconds) for w in why.windows] == [
        (2, 2, 6, 4 * 3600),
        (3, 22, 23, 3600),
    ]
    assert why.years == ()  # no holiday provider
    assert why.confirmed


def test_an_unconfirmed_year_is_marked() -> None:
    cal = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    with pytest.warns(ProvisionalHolidays, match="2027"):
        why = cal.explain(sh(2026, 12, 30, 9, 0), sh(2027, 1, 5, 9, 0))
    assert not why.confirmed
    assert why.unconfirmed_years == (2027,)
    assert why.years[1] == YearStatus(2027, "CN", False, None)


def test_an_empty_span() -> None:
    t = sh(2026, 3, 2, 9, 0)
    why = CN.explain(t, t)
    assert why.seconds == 0
    assert why.windows == ()


def test_a_span_must_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidDuration, match="before it starts"):
        CN.explain(sh(2026, 3, 2, 10), sh(2026, 3, 2, 9))


def test_microseconds_in_an_explanation() -> None:
    start = sh(2026, 3, 2, 9, 0).replace(microsecond=250_000)
    why = CN.explain_add(start, 60)
    assert why.windows[0].start == start
    assert why.windows[0].seconds == 60


@settings(max_examples=60)
@given(
    business_calendars(first=datetime.date(2026, 3, 1), last=datetime.date(2026, 4, 5)).flatmap(
        lambda c: calendar_instants(
            c, first=datetime.date(2026, 3, 1), last=datetime.date(2026, 4, 5)
        ).map(lambda t: (c, t))
    ),
    business_durations(max_value=20 * 3600),
)
def test_the_windows_used_add_up_to_the_span(
    drawn: tuple[BusinessCalendar, pendulum.DateTime], seconds: int
) -> None:
    calendar, start = drawn
    end = calendar.add(start, seconds)
    why = calendar.explain(start, end)
    assert why.seconds == seconds
    assert sum(w.seconds for w in why.windows) == seconds
    assert all(start <= w.start < w.end <= end for w in why.windows)
    assert list(why.windows) == sorted(why.windows, key=lambda w: w.start)
