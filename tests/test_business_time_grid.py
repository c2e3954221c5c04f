"""``add_many`` over a grid of cells equals ``add`` one start at a time, and bisection.

A run whose interval bounds all fall on multiples of some step from its start (half-hour
windows: 1800 s) is cut into cells no bound falls inside, and ``add_many`` looks cells up where
it bisected. Calendars on a finer grid (odd minutes), or whose cells would be too many, keep the
bisection. Both must give ``add``'s answer, to the second, for every start.
"""

from __future__ import annotations

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.sla import BusinessCalendar, UnconfirmedPolicy, WeeklyHours, Window
from propcrm.sla._business_time import _add_by_bisection
from propcrm.testing.strategies import business_calendars, business_durations, calendar_instants


def expected(calendar: BusinessCalendar, starts: list[int], seconds: list[int]) -> list[int]:
    zone = pendulum.timezone(calendar.zone)
    return [
        int(calendar.add(pendulum.DateTime.fromtimestamp(s, zone), d).timestamp())
        for s, d in zip(starts, seconds, strict=True)
    ]


@st.composite
def batches(draw: st.DrawFn, granularity: int) -> tuple[BusinessCalendar, list[int], list[int]]:
    calendar = draw(business_calendars(granularity=granularity))
    instants = draw(st.lists(calendar_instants(calendar, granularity=60), min_size=1, max_size=40))
    durations = business_durations(max_value=4 * 86_400, granularity=60)
    seconds = draw(st.lists(durations, min_size=len(instants), max_size=len(instants)))
    return calendar, [int(i.timestamp()) for i in instants], seconds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.sampled_from([900, 1800, 3600, 60]).flatmap(batches))
def test_add_many_equals_add_on_grids_and_off_them(
    batch: tuple[BusinessCalendar, list[int], list[int]],
) -> None:
    calendar, starts, seconds = batch
    found = calendar.add_many(starts, seconds)
    used = calendar._index._grid  # the run add_many worked on, and its grid (if any)
    assert found == expected(calendar, starts, seconds)
    if used is None:
        return  # every start was 0 seconds from itself, or the starts were far apart
    run, grid = used
    # Every start lies in the run and every result in it: bisection agrees, zero durations
    # aside (add_many gives those back as they came).
    moving = [k for k, d in enumerate(seconds) if d]
    bisected = _add_by_bisection(run, [starts[k] for k in moving], [seconds[k] for k in moving])
    assert bisected == [found[k] for k in moving]
    if grid is not None:
        for s, e in zip(run.starts, run.ends, strict=True):
            assert (s - grid.begin) % grid.step == 0 == (e - grid.begin) % grid.step


def test_the_service_calendar_is_cut_into_half_hours() -> None:
    calendar = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)
    first = int(pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai").timestamp())
    starts = list(range(first, first + 40 * 86_400, 1_237))
    seconds = [(k * 977) % (3 * 27_000) for k in range(len(starts))]
    assert calendar.add_many(starts, seconds) == expected(calendar, starts, seconds)
    grid = calendar._index._grid
    assert grid is not None
    assert grid[1] is not None
    assert grid[1].step == 1800


def test_a_calendar_of_odd_minutes_is_bisected() -> None:
    calendar = BusinessCalendar(
        "odd", WeeklyHours.weekdays(Window("08:07", "11:53"), Window("13:01", "17:29"))
    )
    first = int(pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai").timestamp())
    starts = list(range(first, first + 20 * 86_400, 3_001))
    seconds = [(k * 613) % 60_000 for k in range(len(starts))]
    assert calendar.add_many(starts, seconds) == expected(calendar, starts, seconds)
    grid = calendar._index._grid
    assert grid is not None
    assert grid[1] is None


def test_add_many_takes_starts_from_an_iterator() -> None:
    # The starts were checked by reading them into a tuple, and the index then given the spent
    # iterator: a generator of starts failed with a bare TypeError.
    calendar = BusinessCalendar.china_service_hours()
    first = int(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai").timestamp())
    starts = [first, first + 7_200, first + 86_400]
    assert calendar.add_many(iter(starts), 3_600) == calendar.add_many(starts, 3_600)
    assert calendar.add_many((s for s in starts), [60, 60, 60]) == calendar.add_many(starts, 60)
