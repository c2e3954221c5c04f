"""Tests for sla._business_time: the interval index and its arithmetic in POSIX seconds.

The index is tested on synthetic years (each "year" is 1,000 seconds long) so every answer can
be worked out by hand; the calendar-level laws are tested in test_sla_calendars.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import InvalidDuration, NoWorkingTime
from propcrm.sla._business_time import (
    DEFAULT_MAX_IDLE_YEARS,
    HORIZON_YEARS,
    LAST_YEAR,
    MICROSECONDS,
    IntervalIndex,
    YearIntervals,
)

YEAR = 1_000


def synthetic(
    windows: dict[int, list[tuple[int, int]]] | None = None,
    default: list[tuple[int, int]] | None = None,
    lead: dict[int, list[tuple[int, int]]] | None = None,
    built: list[int] | None = None,
    **kwargs: int,
) -> IntervalIndex:
    """Year y covers [y*YEAR, (y+1)*YEAR); its windows are offsets inside it."""
    pattern = [(100, 200), (300, 400)] if default is None else default

    def build(year: int) -> YearIntervals:
        if built is not None:
            built.append(year)
        base = year * YEAR
        offsets = (windows or {}).get(year, pattern)
        return YearIntervals.of(
            year,
            base,
            base + YEAR,
            [(base + s, base + e) for s, e in offsets],
            [(base + s, base + e) for s, e in (lead or {}).get(year, [])],
        )

    return IntervalIndex(build, lambda posix: posix // YEAR, **kwargs)


def test_year_intervals_of_pairs() -> None:
    year = YearIntervals.of(1, 1000, 2000, [(1100, 1200), (1300, 1400)], [(1000, 1050)])
    assert (year.year, year.begin, year.end) == (1, 1000, 2000)
    assert year.starts == (1100, 1300)
    assert year.ends == (1200, 1400)
    assert (year.lead_starts, year.lead_ends) == ((1000,), (1050,))
    assert year.seconds == 200


def test_add_within_and_across_windows() -> None:
    index = synthetic()
    assert index.add(2_150, 0, 10) == (2_160, 0)
    assert index.add(2_150, 0, 50) == (2_200, 0)  # the window used up: its end
    assert index.add(2_150, 0, 51) == (2_301, 0)
    assert index.add(2_000, 0, 1) == (2_101, 0)  # before the first window
    assert index.add(2_250, 0, 0) == (2_250, 0)  # zero: the start itself


def test_add_crosses_years_and_builds_them_one_by_one() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    assert index.add(2_350, 0, 250) == (3_400, 0)  # 50 left in year 2, all 200 of year 3
    assert built == [2, 3]
    assert index.add(2_350, 0, 251) == (4_101, 0)
    assert built == [2, 3, 4]


def test_between_is_half_open_and_antisymmetric() -> None:
    index = synthetic()
    assert index.between(2_000, 0, 3_000, 0) == 200
    assert index.between(2_150, 0, 2_350, 0) == 100
    assert index.between(2_350, 0, 2_150, 0) == -100
    assert index.between(2_200, 0, 2_300, 0) == 0
    assert index.between(2_000, 0, 5_000, 0) == 600


def test_microseconds() -> None:
    index = synthetic()
    half = MICROSECONDS // 2
    assert index.add(2_199, half, 1) == (2_300, half)
    assert index.between(2_199, half, 2_300, half) == 1
    assert index.between(2_199, half, 2_200, 0) == 0  # half a second: truncated
    assert index.between(2_200, 0, 2_199, half) == 0
    assert index.add(2_250, half, 1) == (2_301, 0)  # outside: counting starts at 2_300
    assert index.add(2_250, half, 0) == (2_250, half)
    assert index.add(2_198, half, 1) == (2_199, half)  # within the window's last second
    assert index.between(2_199, half, 2_200, half) == 0  # half a second in, half after the end
    assert index.add(2_200, half, 1) == (2_301, 0)  # from just after the end: the next window
    whole_years = synthetic(default=[(0, YEAR)])  # every second worked: years join up
    whole_years.add(2_500, 0, 1)  # the run holds year 2 alone
    quarter = MICROSECONDS // 4
    assert whole_years.between(2_999, quarter, 3_000, half) == 1  # 1.25 s across the new year


def test_next_working() -> None:
    index = synthetic()
    assert index.next_working(2_150, 5) == (2_150, 5)
    assert index.next_working(2_200, 0) == (2_300, 0)
    assert index.next_working(2_450, 0) == (3_100, 0)


def test_adjacent_intervals_are_joined() -> None:
    index = synthetic(default=[(0, 500), (500, 1_000)])
    assert index.add(2_990, 0, 20) == (3_010, 0)
    assert index.next_working(3_000, 0) == (3_000, 0)
    assert index.between(2_000, 0, 4_000, 0) == 2_000
    joined = synthetic(default=[(0, 500), (500, 1_000)])
    joined.between(2_000, 0, 3_999, 0)
    run = joined._run
    assert run is not None
    # Two years of two touching windows each: one interval, worked through.
    assert (run.starts, run.ends, run.cumend) == ([2_000], [4_000], [2_000])
    separate = synthetic(default=[(0, 400), (500, 1_000)])
    separate.between(2_000, 0, 3_999, 0)
    run = separate._run
    assert run is not None
    assert (run.starts, run.ends, run.cumend) == (
        [2_000, 2_500, 3_500],
        [2_400, 3_400, 4_000],
        [400, 1_300, 1_800],
    )


def test_idle_years_are_counted_across_calls() -> None:
    # The run already ends with year 3 closed; year 4 is the second closed year in a row,
    # fewer than the three that give up, and year 5 works.
    index = synthetic(default=[], windows={2: [(100, 200)], 5: [(100, 200)]})
    assert index.between(2_000, 0, 3_500, 0) == 100
    assert index.add(2_150, 0, 60) == (5_110, 0)


def test_lead_intervals_count_before_a_fresh_range() -> None:
    # Year 5 starts with 50 seconds of year 4's overnight window.
    index = synthetic(lead={5: [(0, 50)]}, windows={5: [(100, 200)], 4: [(900, 1_050)]})
    assert index.between(5_000, 0, 5_100, 0) == 50
    assert index.add(5_010, 0, 40) == (5_050, 0)
    assert index.add(5_010, 0, 41) == (5_101, 0)


def test_a_jump_builds_only_the_years_it_needs() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    index.add(2_100, 0, 1)
    index.add(40_100, 0, 1)
    assert built == [2, 40]
    index.between(39_500, 0, 40_500, 0)  # touches the current range: extends it backwards
    assert built == [2, 40, 39]
    index.add(2_100, 0, 1)  # year 2 is cached
    assert built == [2, 40, 39]
    gap: list[int] = []
    skipping = synthetic(built=gap)
    skipping.add(2_100, 0, 1)
    skipping.add(4_100, 0, 1)  # one year past the run: year 3 is not needed
    assert gap == [2, 4]
    before: list[int] = []
    backwards = synthetic(built=before)
    backwards.add(5_100, 0, 1)
    assert backwards.between(3_100, 0, 3_500, 0) == 200  # two years before: 4 is not needed
    assert before == [5, 3]


def test_between_builds_every_year_it_spans() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    index.between(2_000, 0, 6_500, 0)
    assert built == [2, 3, 4, 5, 6]


def test_no_working_time_raises_after_the_idle_horizon() -> None:
    index = synthetic(default=[])
    with pytest.raises(NoWorkingTime, match=f"none in the {DEFAULT_MAX_IDLE_YEARS} years"):
        index.add(2_000, 0, 1)
    with pytest.raises(NoWorkingTime):
        index.next_working(2_000, 0)
    assert index.between(2_000, 0, 9_000, 0) == 0


def test_the_idle_horizon_can_be_longer() -> None:
    index = synthetic(default=[], windows={9: [(0, 10)]}, max_idle_years=8)
    assert index.add(2_000, 0, 5) == (9_005, 0)


def test_nothing_beyond_the_last_year() -> None:
    index = synthetic()
    start = LAST_YEAR * YEAR
    assert index.add(start, 0, 200) == (start + 400, 0)
    with pytest.raises(NoWorkingTime, match=str(LAST_YEAR)):
        index.add(start, 0, 201)


def test_add_many_matches_add() -> None:
    index = synthetic()
    starts = [2_050, 2_150, 2_200, 2_399, 3_000, 9_999]
    for seconds in (0, 1, 50, 100, 101, 450):
        assert index.add_many(starts, seconds) == [index.add(s, 0, seconds)[0] for s in starts]
    assert index.add_many(starts, [0, 1, 2, 3, 4, 5]) == [
        index.add(s, 0, d)[0] for s, d in zip(starts, [0, 1, 2, 3, 4, 5], strict=True)
    ]
    assert index.add_many([], 5) == []


def _windows() -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(st.integers(0, YEAR), max_size=8, unique=True).map(
        lambda points: list(zip(sorted(points)[::2], sorted(points)[1::2], strict=False))
    )


@given(
    st.dictionaries(st.integers(2, 6), _windows()),
    st.integers(2_000, 6_999),
    st.integers(0, 300),
    st.integers(0, 300),
)
def test_laws_on_synthetic_years(
    windows: dict[int, list[tuple[int, int]]], start: int, a: int, b: int
) -> None:
    index = synthetic(windows=windows, default=[(100, 200)], max_idle_years=20)
    end, _ = index.add(start, 0, a)
    assert index.between(start, 0, end, 0) == a
    assert index.add(end, 0, b) == index.add(start, 0, a + b)
    assert index.add_many([start], a) == [end]
    if a:
        working = [
            (s, e)
            for year in range(start // YEAR, end // YEAR + 1)
            for s, e in (
                (year * YEAR + s, year * YEAR + e) for s, e in windows.get(year, [(100, 200)])
            )
        ]
        assert any(s < end <= e for s, e in working)


# -- growth is linear, and nothing reaches beyond the horizon (issue 18) ---------------------------


def test_growing_across_many_years_copies_the_run_once() -> None:
    # Growing one year at a time copied the whole run each time: quadratic in the years crossed.
    built: list[int] = []
    index = synthetic(built=built)
    assert index.add(2_100, 0, 40 * 200) == (41_400, 0)  # all of years 2 to 41
    assert built == list(range(2, 42))
    assert index.copied == 2  # year 2's two intervals, once, when the run grew to year 41
    index.add(2_100, 0, 50 * 200)  # growing again copies the run once more, not once a year
    assert index.copied == 2 + 40 * 2


def test_add_refuses_a_result_beyond_the_horizon_after_building_at_most_the_horizon() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    with pytest.raises(NoWorkingTime, match=f"{HORIZON_YEARS} years after 2") as raised:
        index.add(2_100, 0, 10**12)
    assert raised.value.context == {"horizon_years": HORIZON_YEARS, "start_year": 2}
    assert built == list(range(2, 3 + HORIZON_YEARS))
    last = (2 + HORIZON_YEARS) * YEAR  # the last year within the horizon: its first window
    assert index.add(2_100, 0, (HORIZON_YEARS + 1) * 200 - 100) == (last + 200, 0)


def test_between_refuses_a_span_over_more_years_than_the_horizon_before_building() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    with pytest.raises(InvalidDuration, match=f"at most {HORIZON_YEARS} years") as raised:
        index.between(2_000, 0, (3 + HORIZON_YEARS) * YEAR, 0)
    assert (raised.value.field, raised.value.value) == ("end", 3 + HORIZON_YEARS)
    with pytest.raises(InvalidDuration):
        index.between(LAST_YEAR * YEAR, 0, 1 * YEAR, 0)  # backwards, too
    assert built == []
    assert index.between(2_000, 0, (3 + HORIZON_YEARS) * YEAR - 1, 0) == (HORIZON_YEARS + 1) * 200


def test_the_horizon_counts_from_the_start_of_each_call() -> None:
    index = synthetic(default=[(100, 200)])
    assert index.add(2_100, 0, 51 * 100) == (52_200, 0)
    assert index.add(52_100, 0, 51 * 100) == (102_200, 0)  # a later start may reach further


def test_a_run_walked_across_many_calls_stays_bounded() -> None:
    index = synthetic(default=[(100, 200)])
    start = 2_150
    for _ in range(400):
        start, _us = index.add(start, 0, 100)  # one year further on each call
    run = index._run
    assert run is not None
    assert run.last - run.first <= 3 * HORIZON_YEARS + 1
    # Each growth copies at most the bounded run: linear in the calls, not quadratic.
    assert index.copied <= 400 * (3 * HORIZON_YEARS + 1)


def test_next_working_grows_across_idle_years_in_one_copy() -> None:
    index = synthetic(default=[], windows={2: [(100, 200)], 9: [(500, 600)]}, max_idle_years=8)
    assert index.next_working(2_300, 0) == (9_500, 0)
    assert index.copied == 1


# -- errors name what was refused, and the run is grown exactly as far as needed (issue 18) ------


def test_growth_reaches_the_last_year_but_not_beyond() -> None:
    index = synthetic()
    start = (LAST_YEAR - 1) * YEAR + 350  # 50 seconds left in year 9998
    assert index.add(start, 0, 51) == (LAST_YEAR * YEAR + 101, 0)  # grown into year 9999
    with pytest.raises(NoWorkingTime) as raised:
        index.add(start, 0, 251)  # all of 9998 and 9999, and one second more
    assert str(raised.value) == (
        "adding 251 working seconds needs working time after the end of year 9999; no instant "
        "lies beyond it."
    )
    error = raised.value
    assert (error.field, error.value, error.allowed) == ("year", LAST_YEAR + 1, "up to 9999")


def test_the_horizon_error_names_the_last_year_it_reaches() -> None:
    with pytest.raises(NoWorkingTime) as raised:
        synthetic().add(2_100, 0, 10**12)
    assert str(raised.value) == (
        "adding 1000000000000 working seconds reaches beyond the end of 52, 50 years after 2; "
        "the calendar looks no further (an SLA deadline lies hours or days ahead)."
    )
    assert raised.value.allowed == "a result within 50 years of the start's year"


def test_the_idle_error_names_the_year_and_the_policy() -> None:
    index = synthetic(default=[])
    with pytest.raises(NoWorkingTime) as raised:
        index.add(2_000, 0, 1)
    error = raised.value
    assert str(error) == (
        "adding 1 working seconds needs working time, but the calendar has none in the 3 years "
        "up to the end of 4; give it windows or fewer closed days."
    )
    assert (error.field, error.value) == ("year", 4)
    assert error.allowed == "fewer than 3 years in a row without windows"
    assert error.context == {"max_idle_years": 3}
    with pytest.raises(NoWorkingTime) as raised:
        index.next_working(2_000, 0)
    assert str(raised.value).startswith(
        "finding the next working instant needs working time, but the calendar has none in the "
        "3 years up to the end of 4;"
    )


def test_a_working_year_resets_the_count_of_idle_years() -> None:
    # Years 4 and 5 are closed: two idle years in a row, fewer than the three that give up.
    index = synthetic(default=[], windows={2: [(100, 200)], 3: [(100, 200)], 6: [(100, 200)]})
    assert index.add(2_100, 0, 250) == (6_150, 0)


def test_the_span_error_names_its_years_and_the_limit() -> None:
    with pytest.raises(InvalidDuration) as raised:
        synthetic().between(2_000, 0, (3 + HORIZON_YEARS) * YEAR, 0)
    assert str(raised.value) == (
        "the span from 2 to 53 covers 51 years; business time is counted over at most 50 years "
        "at once."
    )
    assert raised.value.allowed == "an end within 50 years of the start's year"
    assert raised.value.context == {"horizon_years": HORIZON_YEARS}


def test_next_working_builds_only_the_year_that_holds_the_next_second() -> None:
    # Year 3 has one working second: enough, so year 4 is never built (a strict calendar would
    # refuse an unconfirmed year 4 although the answer does not depend on it).
    built: list[int] = []
    index = synthetic(default=[], windows={2: [(100, 200)], 3: [(100, 101)]}, built=built)
    assert index.next_working(2_450, 0) == (3_100, 0)
    assert built == [2, 3]


def test_a_run_over_twice_the_horizon_starts_afresh_instead_of_growing() -> None:
    index = synthetic(default=[(100, 200)])  # 100 working seconds a year
    index.between(2_000, 0, 52_000, 0)
    index.between(50_000, 0, 100_500, 0)  # the run now holds years 2 to 100
    copied = index.copied
    assert index.add(100_150, 0, 150) == (101_200, 0)  # years 2 to 101: 99 years, grown
    assert index.copied - copied == 99
    copied = index.copied
    assert index.add(100_150, 0, 250) == (102_200, 0)  # years 2 to 102: exactly twice, grown
    assert index.copied - copied == 100
    copied = index.copied
    assert index.add(100_150, 0, 350) == (103_200, 0)  # 2 to 103 is too long: years 100 to 103
    assert index.copied == copied  # built afresh, nothing copied
    run = index._run
    assert run is not None
    assert (run.first, run.last) == (2, 102)  # the fresh run is the call's own, not kept


def test_a_batch_over_a_long_run_starts_afresh_at_its_earliest_start() -> None:
    index = synthetic()
    index.between(2_000, 0, 52_000, 0)
    index.between(45_000, 0, 90_500, 0)  # the run holds years 2 to 90
    # Growing to year 110 would span 108 years: afresh from year 60, the earliest start's.
    assert index.add_many([60_150, 90_150], 20 * 200) == [80_150, 110_150]


def test_a_batch_within_the_horizon_is_answered_from_one_run() -> None:
    index = synthetic()
    assert index.add_many([2_150, 52_150], 10) == [2_160, 52_160]
    run = index._run
    assert run is not None
    assert (run.first, run.last) == (2, 52)


def test_a_batch_with_starts_further_apart_than_the_horizon_adds_each_alone() -> None:
    index = synthetic()
    assert index.add_many([2_150, 53_350], [50, 50]) == [2_200, 53_400]  # each window used up
    assert index.add_many([53_350, 2_150], [0, 51]) == [53_350, 2_301]


def test_a_batch_grows_once_and_only_as_far_as_its_longest_duration() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    assert index.add_many([2_150], 350) == [3_400]  # year 3 used up exactly: 4 is not needed
    assert built == [2, 3]
    built.clear()
    index = synthetic(built=built)
    assert index.add_many([2_050], 200) == [2_400]  # before the first window: all of year 2
    assert built == [2]
    built.clear()
    index = synthetic(built=built)
    assert index.add_many([2_150], 2_000) == [12_150]
    assert built == list(range(2, 13))
    assert index.copied == 2  # year 2's two intervals, copied once for all ten years


def test_a_batch_reaches_as_far_as_the_horizon_of_its_latest_start() -> None:
    index = synthetic()
    assert index.add_many([2_150, 30_150], 6_000) == [32_150, 60_150]  # 58 years after 2
    with pytest.raises(NoWorkingTime) as raised:
        synthetic().add_many([2_150, 30_150], 10**9)
    assert str(raised.value).startswith(
        "adding 1000000000 working seconds reaches beyond the end of 80, 50 years after 30;"
    )


def test_a_span_to_the_first_instant_of_a_year_does_not_build_that_year() -> None:
    # [2_000, 3_000) holds no instant of year 3, so a calendar never has to know year 3 for it.
    built: list[int] = []
    index = synthetic(built=built)
    assert index.between(2_000, 0, 3_000, 0) == 200
    assert built == [2]
    assert index.between(2_000, 0, 3_000, 1) == 200  # one microsecond into year 3: built
    assert built == [2, 3]
    assert index.between(3_000, 0, 2_000, 0) == -200
    whole_years = synthetic(default=[(0, YEAR)])
    assert whole_years.between(2_500, 0, 3_001, 0) == 501  # the first second of year 3 counts


def _years(index: IntervalIndex) -> tuple[int, int]:
    run = index._run
    assert run is not None
    return run.first, run.last


def test_a_query_at_the_first_instant_of_the_run_is_answered_from_it() -> None:
    built: list[int] = []
    index = synthetic(built=built)
    index.add(2_100, 0, 1)
    assert index.between(2_000, 0, 2_500, 0) == 200
    assert (built, index.copied) == ([2], 0)


def test_the_run_grows_into_the_next_and_the_previous_year() -> None:
    index = synthetic()
    index.add(2_100, 0, 1)
    assert index.add(3_100, 0, 1) == (3_101, 0)  # the year after: the run grows
    assert _years(index) == (2, 3)
    assert index.copied == 2  # year 2's two intervals
    assert index.between(2_100, 0, 4_500, 0) == 600  # from inside the run: grown, not rebuilt
    assert _years(index) == (2, 4)
    assert index.copied == 2 + 4
    earlier = synthetic()
    earlier.add(5_100, 0, 1)
    assert earlier.between(4_100, 0, 4_500, 0) == 200  # the year before: built with the run's
    assert _years(earlier) == (4, 5)


def test_a_run_reaching_over_twice_the_horizon_is_replaced_by_the_querys_years() -> None:
    index = synthetic(default=[(100, 200)])
    index.between(2_000, 0, 52_500, 0)
    assert _years(index) == (2, 52)
    index.between(52_000, 0, 102_500, 0)  # years 2 to 102: exactly twice the horizon, grown
    assert _years(index) == (2, 102)
    index.between(101_000, 0, 103_500, 0)  # 2 to 103 would be longer: afresh, 101 to 103
    assert _years(index) == (101, 103)
