"""Tests for sla._working_hours: windows, weekly hours and dated overrides."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import InvalidCalendar
from propcrm.sla import Closed, Open, WeeklyHours, Window
from propcrm.sla._working_hours import SECONDS_PER_DAY, DayKind, check_day, spill
from propcrm.testing._sla_strategies import day_windows, weekly_hours

MORNING = Window("08:30", "12:00")
AFTERNOON = Window("13:30", "17:30")


# -- windows -------------------------------------------------------------------------------------


def test_a_window_takes_text_or_times() -> None:
    assert Window("08:30", "12:00") == Window(datetime.time(8, 30), datetime.time(12, 0))
    assert Window("08:30:15", "09:00").start == datetime.time(8, 30, 15)


def test_window_offsets_and_lengths() -> None:
    assert (MORNING.start_offset, MORNING.end_offset, MORNING.nominal_seconds) == (
        30_600,
        43_200,
        12_600,
    )
    assert not MORNING.overnight


def test_an_overnight_window_ends_the_next_day() -> None:
    night = Window("22:00", "06:00")
    assert night.overnight
    assert night.end_offset == SECONDS_PER_DAY + 6 * 3600
    assert night.nominal_seconds == 8 * 3600
    assert str(night) == "22:00–06:00(+1)"


def test_midnight_to_midnight_is_the_whole_day() -> None:
    day = Window("00:00", "00:00")
    assert day.overnight
    assert day.nominal_seconds == SECONDS_PER_DAY
    assert str(day) == "00:00–24:00"
    assert str(Window("08:00", "08:00")) == "08:00–08:00(+1)"  # 24 hours from 08:00
    assert str(Window("17:00", "00:00")) == "17:00–24:00"


def test_window_text_shows_seconds_only_when_there_are_some() -> None:
    assert str(Window("08:30:15", "12:00")) == "08:30:15–12:00"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("8h30", "not a wall time"),
        ("25:00", "not a wall time"),
        (830, "is a int"),
        (datetime.time(8, 30, tzinfo=datetime.UTC), "has a time zone"),
        (datetime.time(8, 30, 0, 500), "fraction of a second"),
        (datetime.datetime(2026, 1, 1, 8, 30), "is a datetime"),  # noqa: DTZ001 - wrong on purpose
    ],
)
def test_bad_window_times_are_refused(value: object, message: str) -> None:
    with pytest.raises(InvalidCalendar, match=message):
        Window(value, "12:00")  # type: ignore[arg-type]  # wrong on purpose


@given(day_windows(granularity=1, max_size=4), day_windows(day_start=6 * 3600, max_size=4))
def test_drawn_windows_of_a_day_never_overlap(a: tuple[Window, ...], b: tuple[Window, ...]) -> None:
    for windows in (a, b):
        check_day(windows, "drawn")
        assert all(0 < w.nominal_seconds <= SECONDS_PER_DAY for w in windows)


# -- weekly hours ----------------------------------------------------------------------------------


def test_weekdays_and_every_day() -> None:
    office = WeeklyHours.weekdays(MORNING, AFTERNOON)
    assert office.on(1) == office.on(5) == (MORNING, AFTERNOON)
    assert office.on(6) == office.on(7) == ()
    assert office.days[0] == office.monday
    always = WeeklyHours.every_day(Window("00:00", "00:00"))
    assert all(len(d) == 1 for d in always.days)


def test_windows_are_kept_in_order_of_start() -> None:
    assert WeeklyHours(monday=[AFTERNOON, MORNING]).monday == (MORNING, AFTERNOON)


def test_overlapping_windows_are_refused() -> None:
    with pytest.raises(InvalidCalendar, match="on Wednesday overlap"):
        WeeklyHours(wednesday=[Window("08:00", "12:00"), Window("11:59", "13:00")])


def test_touching_windows_are_allowed() -> None:
    hours = WeeklyHours(monday=[Window("08:00", "12:00"), Window("12:00", "13:00")])
    assert len(hours.monday) == 2


def test_an_overnight_window_may_not_run_into_the_next_days_window() -> None:
    with pytest.raises(InvalidCalendar, match="Sunday runs until 06:00 on Monday"):
        WeeklyHours(monday=[Window("05:00", "09:00")], sunday=[Window("22:00", "06:00")])
    fine = WeeklyHours(monday=[Window("06:00", "09:00")], sunday=[Window("22:00", "06:00")])
    assert spill(fine.sunday) == 6 * 3600


def test_a_window_after_an_overnight_window_on_the_same_day_overlaps() -> None:
    with pytest.raises(InvalidCalendar, match="overlap"):
        WeeklyHours(friday=[Window("20:00", "02:00"), Window("23:00", "23:30")])


def test_only_windows_are_accepted() -> None:
    with pytest.raises(InvalidCalendar, match="is not a Window"):
        WeeklyHours(monday=[("08:00", "12:00")])  # type: ignore[list-item]  # wrong on purpose


@pytest.mark.parametrize("day", [0, 8, True, "1"])
def test_on_takes_an_iso_weekday(day: object) -> None:
    with pytest.raises(InvalidCalendar, match="weekday"):
        WeeklyHours().on(day)  # type: ignore[arg-type]  # wrong on purpose


def test_spill_is_zero_without_overnight_windows() -> None:
    assert spill(()) == 0
    assert spill((MORNING,)) == 0
    assert spill((Window("17:00", "00:00"),)) == 0


@given(weekly_hours(granularity=60))
def test_drawn_weekly_hours_are_valid_and_not_empty(hours: WeeklyHours) -> None:
    assert any(hours.days)
    assert attrs.evolve(hours) == hours


# -- overrides -------------------------------------------------------------------------------------


def test_closed_and_open_overrides() -> None:
    typhoon = Closed(datetime.date(2026, 9, 15), "台风停工")
    assert typhoon.day == pendulum.date(2026, 9, 15)
    assert isinstance(typhoon.day, pendulum.Date)
    assert Closed(datetime.date(2026, 9, 15)).reason == "closed"
    extra = Open(datetime.date(2026, 9, 27), [AFTERNOON, MORNING], "加班")
    assert extra.windows == (MORNING, AFTERNOON)
    assert Open(datetime.date(2026, 9, 27), [MORNING]).reason == "open"


def test_an_open_override_needs_windows_that_do_not_overlap() -> None:
    with pytest.raises(InvalidCalendar, match="at least one window"):
        Open(datetime.date(2026, 9, 27), [])
    with pytest.raises(InvalidCalendar, match="overlap"):
        Open(datetime.date(2026, 9, 27), [Window("08:00", "12:00"), Window("09:00", "10:00")])


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_an_override_needs_a_reason(reason: object) -> None:
    with pytest.raises(InvalidCalendar, match="reason"):
        Closed(datetime.date(2026, 9, 15), reason)  # type: ignore[arg-type]  # wrong on purpose


def test_an_override_day_is_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError, match="datetime"):
        Closed(pendulum.datetime(2026, 9, 15), "台风")


@given(st.sampled_from(list(DayKind)))
def test_day_kinds_have_text_values(kind: DayKind) -> None:
    assert kind.value.replace("-", "").isalpha()


def test_day_kinds_in_order_of_precedence_with_their_stored_values() -> None:
    assert [kind.value for kind in DayKind] == ["closed", "open", "holiday", "make-up", "regular"]


# -- every refusal names the field, the value and what is allowed (issue 18) ----------------------

_TIME = "a datetime.time without tzinfo, in whole seconds, or 'HH:MM' text"
_SEPT_27 = datetime.date(2026, 9, 27)


@pytest.mark.parametrize(
    ("make", "field", "value", "allowed", "context"),
    [
        (lambda: Window("8h30", "12:00"), "window time", "8h30", _TIME, {}),
        (lambda: Window(830, "12:00"), "window time", 830, _TIME, {}),
        (
            lambda: Window(datetime.time(8, 30, tzinfo=datetime.UTC), "12:00"),
            "window time",
            datetime.time(8, 30, tzinfo=datetime.UTC),
            _TIME,
            {},
        ),
        (
            lambda: Window(datetime.time(8, 30, 0, 500), "12:00"),
            "window time",
            datetime.time(8, 30, 0, 500),
            _TIME,
            {},
        ),
        (
            lambda: WeeklyHours(monday="08:00-12:00"),
            "windows",
            "08:00-12:00",
            "a collection of Window",
            {},
        ),
        (lambda: WeeklyHours(monday=MORNING), "windows", MORNING, "a collection of Window", {}),
        (
            lambda: WeeklyHours(monday=[("08:00", "12:00")]),
            "windows",
            ("08:00", "12:00"),
            "Window",
            {},
        ),
        (
            lambda: WeeklyHours(wednesday=[Window("08:00", "12:00"), Window("11:59", "13:00")]),
            "windows",
            (Window("08:00", "12:00"), Window("11:59", "13:00")),
            "windows that do not overlap",
            {"day": "Wednesday"},
        ),
        (
            lambda: WeeklyHours(
                monday=[Window("05:00", "09:00")], sunday=[Window("22:00", "06:00")]
            ),
            "sunday",
            (Window("22:00", "06:00"),),
            "an overnight window that ends before the next day's first window",
            {},
        ),
        (lambda: WeeklyHours().on("1"), "isoweekday", "1", "int from 1 to 7", {}),
        (lambda: WeeklyHours().on(8), "isoweekday", 8, "int from 1 to 7", {}),
        (lambda: Closed(_SEPT_27, " "), "reason", " ", "non-empty text", {}),
        (lambda: Open(_SEPT_27, []), "windows", (), "at least one Window", {}),
        (
            lambda: Open(_SEPT_27, [Window("08:00", "12:00"), Window("09:00", "10:00")], "加班"),
            "windows",
            (Window("08:00", "12:00"), Window("09:00", "10:00")),
            "windows that do not overlap",
            {"day": "2026-09-27"},
        ),
    ],
)
def test_a_refusal_names_the_field_the_value_and_what_is_allowed(
    make: Callable[[], object], field: str, value: object, allowed: str, context: dict[str, object]
) -> None:
    with pytest.raises(InvalidCalendar) as raised:
        make()
    error = raised.value
    assert (error.field, error.value, error.allowed, error.context) == (
        field,
        value,
        allowed,
        context,
    )
    assert len(str(error)) > 30
    assert str(error).endswith(".")


def test_refusals_say_where_the_windows_clash() -> None:
    with pytest.raises(InvalidCalendar) as raised:
        Open(_SEPT_27, [Window("08:00", "12:00"), Window("09:00", "10:00")], "加班")
    assert str(raised.value) == (
        "windows 08:00–12:00 and 09:00–10:00 on 2026-09-27 overlap; windows of a day must not "
        "overlap (a lunch break is two windows with a gap between)."
    )
    with pytest.raises(InvalidCalendar) as raised:
        WeeklyHours(monday=[Window("05:00", "09:00")], sunday=[Window("22:00", "06:00")])
    assert str(raised.value) == (
        "the overnight window of Sunday runs until 06:00 on Monday, into its window 05:00–09:00; "
        "end the overnight window before the next one starts."
    )
