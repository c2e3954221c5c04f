"""Tests for sla._reports: records from clocks, attainment, nearest-rank percentiles."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.errors import InvalidPolicy
from propcrm.money import RoundingMode
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    BusinessCalendar,
    CalendarSet,
    Cancelled,
    Paused,
    RecordStatus,
    Reopened,
    ReopenPolicy,
    ReportDimension,
    RequestClocks,
    SlaRecord,
    Started,
    Stopped,
    TargetKind,
    attainment,
    records_of,
)
from propcrm.sla._reports import (
    MEDIAN_PERCENT,
    P90_PERCENT,
    PERCENT_PLACES,
    PERCENT_ROUNDING,
    nearest_rank,
)
from propcrm.time import PeriodKind

TZ = "Asia/Shanghai"
CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
RESPONSE = TargetKind.RESPONSE


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


def record(
    request_id: str,
    used: int,
    *,
    budget: int = 600,
    priority: str = "P1",
    stopped: bool = True,
    started_at: pendulum.DateTime | None = None,
    **labels: Any,
) -> SlaRecord:
    start = started_at if started_at is not None else at(2, 9)
    return SlaRecord(
        request_id,
        RESPONSE,
        priority,
        used_seconds=used,
        budget_seconds=budget,
        started_at=start,
        stopped_at=start.add(seconds=used) if stopped else None,
        **labels,
    )


# -- records ------------------------------------------------------------------------------------


def test_a_records_status_follows_from_its_times() -> None:
    assert record("R-1", 600).status is RecordStatus.MET
    assert record("R-1", 601).status is RecordStatus.BREACHED
    assert record("R-1", 601).failed_by == 1
    assert record("R-1", 100, stopped=False).status is RecordStatus.OPEN
    assert record("R-1", 700, stopped=False).status is RecordStatus.BREACHED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"request_id": ""}, "needs a request_id"),
        ({"used_seconds": -1}, "used_seconds"),
        ({"budget_seconds": 1.5}, "budget_seconds"),
        ({"stopped_at": at(2, 8)}, "before it starts"),
    ],
)
def test_malformed_records_are_refused(changes: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {
        "request_id": "R-1",
        "kind": RESPONSE,
        "priority": "P1",
        "used_seconds": 60,
        "budget_seconds": 600,
        "started_at": at(2, 9),
    }
    fields.update(changes)
    with pytest.raises(InvalidPolicy, match=message):
        SlaRecord(**fields)


def test_records_of_a_request_cover_every_cycle_and_open_targets() -> None:
    clocks = RequestClocks.open("R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS)
    clocks = clocks.apply(Started(at(2, 9), "客服")).apply(Stopped(at(2, 9, 8), "李师傅"))
    clocks = clocks.apply(
        Reopened(at(2, 11), "客服", "业主反映仍漏水", policy=ReopenPolicy.NEW_CYCLE)
    )
    first, second = records_of(clocks, as_of=at(2, 11, 30), category="water_leak", team="A")
    assert (first.cycle, first.status, first.used_seconds, first.reopens) == (
        1,
        RecordStatus.MET,
        480,
        0,
    )
    assert (second.cycle, second.status, second.used_seconds, second.reopens) == (
        2,
        RecordStatus.BREACHED,
        1800,
        1,
    )
    assert second.deadline == at(2, 11, 10)
    assert second.stopped_at is None
    assert {first.category, second.team} == {"water_leak", "A"}


def test_cancelled_and_paused_targets_in_records() -> None:
    clocks = RequestClocks.open("R-2", "P2", DEFAULT_SLA_POLICY, CALENDARS)
    clocks = clocks.apply(Started(at(2, 9), "客服"))
    paused = clocks.apply(Paused(at(2, 9, 5), "客服", "业主不在家"))
    (open_record,) = records_of(paused, as_of=at(2, 18))
    assert open_record.status is RecordStatus.OPEN
    assert open_record.used_seconds == 300
    assert records_of(clocks.apply(Cancelled(at(2, 9, 1), "客服", "撤销")), as_of=at(2, 18)) == ()


# -- percentiles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        ([15, 20, 35, 40, 50], 30, 20),  # the textbook example: rank ⌈1.5⌉ = 2
        ([15, 20, 35, 40, 50], 40, 20),
        ([15, 20, 35, 40, 50], 50, 35),
        ([15, 20, 35, 40, 50], 100, 50),
        ([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 25, 7),
        ([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 50, 8),
        ([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 90, 16),
        ([40, 10, 30, 20], 50, 20),  # unsorted input; even count: the lower middle
        ([7], 90, 7),
        ([], 50, None),
    ],
)
def test_nearest_rank_percentiles(values: list[int], percent: int, expected: int | None) -> None:
    assert nearest_rank(values, percent) == expected


@pytest.mark.parametrize("percent", [0, 101, 50.0, True])
def test_percentiles_are_whole_percents_from_1_to_100(percent: Any) -> None:
    with pytest.raises(InvalidPolicy, match="percentile"):
        nearest_rank([1, 2], percent)


@settings(max_examples=80)
@given(
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50),
    st.integers(min_value=1, max_value=100),
)
def test_a_nearest_rank_percentile_is_a_value_with_enough_at_or_below_it(
    values: list[int], percent: int
) -> None:
    found = nearest_rank(values, percent)
    assert found in values
    at_or_below = sum(1 for v in values if v <= found)
    below = sum(1 for v in values if v < found)
    assert at_or_below >= math.ceil(percent * len(values) / 100)
    assert below < math.ceil(percent * len(values) / 100)


# -- attainment ---------------------------------------------------------------------------------


def test_declared_rounding_and_percentiles() -> None:
    assert (PERCENT_PLACES, PERCENT_ROUNDING) == (1, RoundingMode.HALF_UP)
    assert (MEDIAN_PERCENT, P90_PERCENT) == (50, 90)


def test_attainment_per_priority() -> None:
    records = [
        record("R-1", 300),
        record("R-2", 540),
        record("R-3", 900, category="gas_smell"),
        record("R-4", 800, budget=900, priority="P2"),
        record("R-5", 100, budget=900, priority="P2", stopped=False),
    ]
    p1, p2 = attainment(records)
    assert p1.key == (("priority", "P1"),)
    assert (p1.met, p1.breached, p1.open, p1.decided) == (2, 1, 0, 3)
    assert p1.percent_met == Decimal("66.7")
    assert (p1.median_seconds, p1.p90_seconds) == (540, 900)
    assert [r.request_id for r in p1.breaches] == ["R-3"]
    assert (p2.met, p2.breached, p2.open, p2.percent_met) == (1, 0, 1, Decimal("100.0"))
    assert (p2.median_seconds, p2.p90_seconds) == (800, 800)  # open records have no time yet


def test_percent_met_rounds_once_half_up_or_as_declared() -> None:
    records = [record(f"R-{n}", 300) for n in range(7)] + [record("R-7", 900)]  # 7 of 8
    (row,) = attainment(records)
    assert row.percent_met == Decimal("87.5")
    (whole,) = attainment(records, places=0)
    assert whole.percent_met == Decimal(88)
    (even,) = attainment(records, places=0, rounding=RoundingMode.HALF_EVEN)
    assert even.percent_met == Decimal(88)
    (down,) = attainment(records, places=0, rounding=RoundingMode.DOWN)
    assert down.percent_met == Decimal(87)
    thirds = [record("A", 1), record("B", 1), record("C", 601)]
    assert attainment(thirds, places=4)[0].percent_met == Decimal("66.6667")


def test_nothing_decided_has_no_percent() -> None:
    (row,) = attainment([record("R-1", 10, stopped=False)])
    assert (row.met, row.breached, row.open, row.percent_met, row.median_seconds) == (
        0,
        0,
        1,
        None,
        None,
    )
    assert attainment([]) == ()


def test_attainment_by_category_team_kind_and_period() -> None:
    records = [
        record("R-1", 300, category="water_leak", team="A", started_at=at(30, 9, month=3)),
        record("R-2", 900, category="water_leak", team="B", started_at=at(1, 9, month=4)),
        record("R-3", 300, category=None, team="A", started_at=at(1, 10, month=4)),
    ]
    rows = attainment(records, by=[ReportDimension.PERIOD, ReportDimension.CATEGORY])
    assert [(r.key, r.met, r.breached) for r in rows] == [
        ((("period", "2026-03"), ("category", "water_leak")), 1, 0),
        ((("period", "2026-04"), ("category", "water_leak")), 0, 1),
        ((("period", "2026-04"), ("category", None)), 1, 0),
    ]
    teams = attainment(records, by=[ReportDimension.TEAM, ReportDimension.KIND])
    assert [r.key for r in teams] == [
        (("team", "A"), ("kind", "response")),
        (("team", "B"), ("kind", "response")),
    ]
    quarters = attainment(records, by=[ReportDimension.PERIOD], period=PeriodKind.QUARTER)
    assert [r.key for r in quarters] == [(("period", "2026-Q1"),), (("period", "2026-Q2"),)]
    (everything,) = attainment(records, by=())
    assert (everything.key, everything.met, everything.breached) == ((), 2, 1)


def test_a_records_period_is_its_local_start_date() -> None:
    utc_evening = pendulum.datetime(2026, 3, 31, 17, 0, tz="UTC")  # 1 April, 01:00 in Shanghai
    (row,) = attainment([record("R-1", 60, started_at=utc_evening)], by=[ReportDimension.PERIOD])
    assert row.key == (("period", "2026-04"),)
    (utc,) = attainment(
        [record("R-1", 60, started_at=utc_evening)], by=[ReportDimension.PERIOD], tz="UTC"
    )
    assert utc.key == (("period", "2026-03"),)


def test_reopens_add_up_per_group() -> None:
    (row,) = attainment([record("R-1", 60, reopens=2), record("R-2", 60, reopens=1)])
    assert row.reopens == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"by": [ReportDimension.TEAM, ReportDimension.TEAM]}, InvalidPolicy, "at most once"),
        ({"by": ["team"]}, InvalidPolicy, "at most once"),
        ({"places": -1}, InvalidPolicy, "percent places"),
    ],
)
def test_attainment_refuses_bad_arguments(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        attainment([record("R-1", 60)], **kwargs)


def test_attainment_reads_records_only() -> None:
    with pytest.raises(TypeError, match="reads SlaRecord values"):
        attainment(["R-1"])  # type: ignore[list-item]


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=1200),
            st.booleans(),
            st.sampled_from(["P1", "P2", "P3"]),
        ),
        max_size=30,
    )
)
def test_counts_add_up_and_percent_is_between_0_and_100(rows: list[tuple[int, bool, str]]) -> None:
    records = [
        record(f"R-{n}", used, stopped=stopped, priority=priority)
        for n, (used, stopped, priority) in enumerate(rows)
    ]
    result = attainment(records)
    assert sum(r.met + r.breached + r.open for r in result) == len(records)
    for row in result:
        assert len(row.breaches) == row.breached
        if row.percent_met is not None:
            assert Decimal(0) <= row.percent_met <= Decimal(100)
            assert row.percent_met.as_tuple().exponent == -PERCENT_PLACES
        if row.median_seconds is not None:
            assert row.p90_seconds is not None
            assert row.median_seconds <= row.p90_seconds
