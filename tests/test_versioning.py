"""Tests for billing._versioning: the lookups behind versioned tariffs and price lists."""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.billing._versioning import (
    in_force_index,
    sorted_versions,
    version_runs,
)
from propcrm.errors import OverlappingVersions

JAN_1 = pendulum.date(2026, 1, 1)
JUL_16 = pendulum.date(2026, 7, 16)
OCT_1 = pendulum.date(2026, 10, 1)
STARTS = (JAN_1, JUL_16, OCT_1)


@attrs.frozen
class Version:
    version: str
    effective_from: pendulum.Date


# -- in_force_index -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "index"),
    [
        (pendulum.date(2025, 12, 31), -1),  # before the first version
        (JAN_1, 0),  # the first version's first day
        (pendulum.date(2026, 7, 15), 0),  # the first version's last day
        (JUL_16, 1),
        (pendulum.date(2026, 9, 30), 1),
        (OCT_1, 2),
        (pendulum.date(2099, 1, 1), 2),
    ],
)
def test_in_force_index_on_edge_days(day: pendulum.Date, index: int) -> None:
    assert in_force_index(STARTS, day) == index


def test_in_force_index_without_versions_is_minus_one() -> None:
    assert in_force_index((), JAN_1) == -1


# -- version_runs ---------------------------------------------------------------------------


def test_runs_inside_one_version() -> None:
    assert version_runs(STARTS, pendulum.date(2026, 8, 1), pendulum.date(2026, 8, 31)) == [
        (pendulum.date(2026, 8, 1), pendulum.date(2026, 8, 31), 1)
    ]


def test_runs_split_where_a_version_takes_effect() -> None:
    assert version_runs(STARTS, pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 31)) == [
        (pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 15), 0),
        (JUL_16, pendulum.date(2026, 7, 31), 1),
    ]


def test_runs_starting_on_a_versions_first_day_are_one_run() -> None:
    assert version_runs(STARTS, JUL_16, pendulum.date(2026, 7, 31)) == [
        (JUL_16, pendulum.date(2026, 7, 31), 1)
    ]


def test_runs_ending_on_a_versions_first_day_give_it_one_day() -> None:
    assert version_runs(STARTS, pendulum.date(2026, 7, 1), JUL_16) == [
        (pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 15), 0),
        (JUL_16, JUL_16, 1),
    ]


def test_runs_ending_the_day_before_a_version_do_not_reach_it() -> None:
    assert version_runs(STARTS, pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 15)) == [
        (pendulum.date(2026, 7, 1), pendulum.date(2026, 7, 15), 0)
    ]


def test_runs_before_the_first_version_get_index_minus_one() -> None:
    assert version_runs(STARTS, pendulum.date(2025, 12, 1), pendulum.date(2026, 1, 31)) == [
        (pendulum.date(2025, 12, 1), pendulum.date(2025, 12, 31), -1),
        (JAN_1, pendulum.date(2026, 1, 31), 0),
    ]


def test_runs_across_every_version() -> None:
    runs = version_runs(STARTS, pendulum.date(2025, 12, 31), pendulum.date(2026, 12, 31))
    assert [index for _, _, index in runs] == [-1, 0, 1, 2]


def test_runs_of_a_single_day() -> None:
    assert version_runs(STARTS, JUL_16, JUL_16) == [(JUL_16, JUL_16, 1)]


def test_runs_without_versions_are_one_uncovered_run() -> None:
    assert version_runs((), JAN_1, OCT_1) == [(JAN_1, OCT_1, -1)]


# -- sorted_versions ------------------------------------------------------------------------


def test_sorted_versions_orders_by_effective_date() -> None:
    versions = (Version("c", OCT_1), Version("a", JAN_1), Version("b", JUL_16))
    assert [v.version for v in sorted_versions(versions, "tariff")] == ["a", "b", "c"]


def test_two_versions_on_one_day_are_refused_naming_both() -> None:
    with pytest.raises(OverlappingVersions, match=r"tariff versions 'a' and 'b' both take effect"):
        sorted_versions((Version("a", JAN_1), Version("b", JAN_1)), "tariff")


def test_one_name_twice_is_refused() -> None:
    with pytest.raises(OverlappingVersions, match="price list version name"):
        sorted_versions((Version("a", JAN_1), Version("a", JUL_16)), "price list")


def test_no_versions_is_an_empty_tuple() -> None:
    assert sorted_versions((), "tariff") == ()


# -- properties -----------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=800).map(lambda n: pendulum.date(2025, 1, 1).add(days=n))


@given(
    starts=st.lists(days, max_size=6, unique=True).map(sorted),
    bounds=st.lists(days, min_size=2, max_size=2).map(sorted),
)
def test_runs_tile_the_range_and_agree_with_in_force_index(
    starts: list[pendulum.Date], bounds: list[pendulum.Date]
) -> None:
    first, last = bounds
    runs = version_runs(starts, first, last)
    assert runs[0][0] == first
    assert runs[-1][1] == last
    for (_, end, index), (begin, _, next_index) in itertools.pairwise(runs):
        assert begin == end.add(days=1)
        assert next_index == index + 1
    for begin, end, index in runs:
        assert begin <= end
        assert in_force_index(starts, begin) == index
        assert in_force_index(starts, end) == index
