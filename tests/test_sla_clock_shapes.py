"""A clock's shape read at its own instants gives back the clock; at others, the clock they fold.

:class:`~propcrm.sla.ClockShape` keeps which of a request's steps anchor, open and close a
clock's stretches; reading it at another request's instants must give what folding that
request would (the batch SLA report's property tests hold that for whole requests).
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.complaints import Request
from propcrm.complaints._clock_shapes import _Steps
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.sla import (
    AgreedTime,
    BusinessCalendar,
    CalendarSet,
    ClockShape,
    ClockState,
    Paused,
    RequestClocks,
    Resumed,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
)
from propcrm.sla._calendars import posix_instant
from propcrm.testing.strategies import lifecycle_policies, requests, sla_instants

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
NINE = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")


def micros(at: pendulum.DateTime | None) -> int | None:
    if at is None:
        return None
    (s,), (us,) = ClockShape.posix([at])
    return s * 1_000_000 + us


@SLOW
@given(
    requests(
        policy=lifecycle_policies(),
        max_steps=16,
        max_gap_seconds=2 * 86_400,
        starts=sla_instants(tz="UTC") | sla_instants(),
    )
)
def test_a_shape_read_at_its_own_instants_gives_back_its_clock(request: Request) -> None:
    steps = _Steps(request)
    for clock in request.clocks.clocks:
        shape = ClockShape.of(clock, steps.ats)
        if shape is None:
            continue
        try:
            read = shape.read(steps.ats)
        except InvalidQuantity:
            assert clock.budget <= 0
            continue
        assert read == (clock.budget, clock.consumed, micros(clock.deadline), clock.met)
        assert ClockShape.of(clock, steps.ats, posix=steps.posix) == shape
        anchor = shape.anchor
        ends = None if anchor is None else shape.budget_ends([steps.ats[anchor]], [steps.agreed])
        if ends is not None:  # (a same-day target in its calendar's zone, or an agreed time)
            assert anchor is not None
            (end_s,), (end_us,) = ends
            a_s, a_us = steps.posix[0][anchor], steps.posix[1][anchor]
            assert shape.between(a_s, a_us, end_s, end_us) == clock.budget


def test_a_paused_clock_has_no_deadline_and_another_sequence_reads_its_own_stretches() -> None:
    at = [NINE, NINE.add(minutes=3), NINE.add(minutes=40)]
    clocks = RequestClocks.open("R-1", "P1", calendars=CALENDARS)
    clocks = clocks.apply(Started(at[0], "客服小王")).apply(Paused(at[1], "客服小王", "等业主"))
    response = clocks.clock(TargetKind.RESPONSE)
    assert response.state is ClockState.PAUSED
    shape = ClockShape.of(response, at)
    assert shape is not None
    assert (shape.anchor, shape.segments, shape.running) == (0, ((0, 1),), None)
    assert shape.read(at) == (response.budget, 180, None, None)
    # Another request, paused after 5 minutes, resumed and stopped: its own shape.
    later = [NINE, NINE.add(minutes=5), NINE.add(minutes=6), NINE.add(minutes=7)]
    moved = clocks.clock(TargetKind.RESPONSE)
    assert shape.read(later)[:2] == (moved.budget, 300)
    again = (
        RequestClocks.open("R-2", "P1", calendars=CALENDARS)
        .apply(Started(later[0], "客服小王"))
        .apply(Paused(later[1], "客服小王", "等业主"))
        .apply(Resumed(later[2], "客服小王"))
        .apply(Stopped(later[3], "维修工"))
        .clock(TargetKind.RESPONSE)
    )
    other = ClockShape.of(again, later)
    assert other is not None
    assert other.segments == ((0, 1), (2, 3))
    assert other.read(later) == (again.budget, 360, micros(again.deadline), True)


def test_an_instant_that_is_none_of_the_sequence_is_not_covered() -> None:
    at = [NINE, NINE.add(minutes=8)]
    clocks = RequestClocks.open("R-1", "P1", calendars=CALENDARS)
    clocks = clocks.apply(Started(at[0], "客服小王")).apply(Stopped(at[1], "维修工"))
    clock = clocks.clock(TargetKind.RESPONSE)
    assert ClockShape.of(clock, [at[0], at[1].add(seconds=1)]) is None
    assert ClockShape.of(clock, at) is not None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda at, micros, zone: at.add(microseconds=micros).in_timezone(zone),
            sla_instants(tz="UTC") | sla_instants(),
            st.integers(0, 999_999),
            st.sampled_from(
                [
                    "Asia/Shanghai",
                    "UTC",
                    "America/New_York",  # (days whose offset changes)
                    pendulum.fixed_timezone(5 * 3600 + 1800),
                ]
            ),
        ),
        max_size=12,
    )
)
def test_many_instants_read_into_posix_seconds_as_one_at_a_time(
    instants: list[pendulum.DateTime],
) -> None:
    assert ClockShape.posix(instants) == (
        [posix_instant(at)[0] for at in instants],
        [posix_instant(at)[1] for at in instants],
    )


def test_an_agreed_time_too_close_to_measure_is_left_to_the_folded_clock() -> None:
    at = [NINE, NINE.add(minutes=1)]
    target = Target(TargetKind.AGREED_TIME, AgreedTime(NINE.add(hours=2)))
    clocks = RequestClocks.open("R-1", "P1", calendars=CALENDARS)
    clocks = clocks.apply(Started(at[0], "客服小王")).apply(
        TargetChanged(at[1], "客服小王", "约好上门时间", target=target)
    )
    agreed = clocks.clock(TargetKind.AGREED_TIME)
    shape = ClockShape.of(agreed, at)
    assert shape is not None
    assert shape.read(at)[0] == agreed.budget == 7_140
    # Another request agreed a time half a second after its own step: no whole second to spend.
    close = AgreedTime(NINE.add(minutes=1, microseconds=500_000))
    for agreed_ in (close, close.due):  # (the agreed time, or its instant)
        with pytest.raises(InvalidQuantity) as refused:
            shape.read(at, agreed_)
        assert refused.value.field == "budget"
        assert isinstance(refused.value, ValueError)
    # Its budget counts to each request's own agreed time, or to the folded clock's.
    later = NINE.add(hours=3)
    assert shape.read(at, later)[0] == shape.budget(at, AgreedTime(later)) == 10_740
    ends = shape.budget_ends([at[1], at[1]], [later, None])
    assert ends == ClockShape.posix([later, NINE.add(hours=2)])
    assert shape.budget_ends([at[1]]) == ClockShape.posix([NINE.add(hours=2)])
    with pytest.raises(InvalidQuantity) as refused:
        shape.budget_ends([at[1]], [later, later])
    assert refused.value.field == "agreed"
    with pytest.raises(InvalidType) as wrong:
        shape.read(at, "tomorrow at nine")  # type: ignore[arg-type]
    assert wrong.value.field == "agreed"


def test_a_same_day_target_counts_to_its_service_days_end_and_says_when_it_cannot() -> None:
    wednesday = pendulum.datetime(2026, 3, 4, 10, 0, tz="Asia/Shanghai")
    at = [wednesday, wednesday.add(minutes=20)]
    shapes = []
    for priority in ("P3", "P1"):  # (a same-day response target, and one within an hour)
        clocks = RequestClocks.open("R-1", priority, calendars=CALENDARS)
        clocks = clocks.apply(Started(at[0], "客服小王")).apply(Stopped(at[1], "维修工"))
        shapes.append(ClockShape.of(clocks.clock(TargetKind.RESPONSE), at))
    same_day, within = shapes
    assert same_day is not None
    assert within is not None
    # Before the 16:00 cut-off: due at 17:30 that day; at it and after, 17:30 the next day.
    starts = [wednesday, wednesday.add(hours=6), wednesday.add(hours=6, microseconds=-1)]
    ends = same_day.budget_ends(starts)
    assert ends is not None
    seconds, micros_ = ends
    assert [
        pendulum.from_timestamp(s, tz="Asia/Shanghai").strftime("%d %H:%M") for s in seconds
    ] == [
        "04 17:30",
        "05 17:30",
        "04 17:30",
    ]
    assert micros_ == [0, 0, 0]
    assert same_day.budget_ends([wednesday.in_timezone("UTC")]) is None  # (another zone)
    assert within.budget_ends(starts) is None  # (not a same-day target)
    with pytest.raises(InvalidType):
        same_day.budget_ends(wednesday)  # type: ignore[arg-type]


def test_day_offsets_say_each_days_offset_and_refuse_what_is_not_a_zone_or_a_day() -> None:
    shanghai = NINE.tzinfo
    assert shanghai is not None
    day = NINE.toordinal()
    assert ClockShape.day_offsets(shanghai, [day, day + 1]) == [28_800, 28_800]
    assert ClockShape.day_offsets(shanghai, []) == []
    for zone in (None, "Asia/Shanghai", 8):
        with pytest.raises(InvalidType) as refused:
            ClockShape.day_offsets(zone, [day])  # type: ignore[arg-type]
        assert refused.value.field == "zone"
    for days in ("738000", [day, "738001"], None):
        with pytest.raises(InvalidType) as refused:
            ClockShape.day_offsets(shanghai, days)  # type: ignore[arg-type]
        assert refused.value.field == "days"
