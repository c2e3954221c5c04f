"""Many requests' SLA clocks, folded once per shape of steps, equal every request's own clocks.

``clock_columns`` folds the first request of each shape and computes the others of that shape
from their own instants; the reference is each request's :attr:`Request.clocks`, read clock by
clock. Requests of one shape are made here by moving and stretching a drawn request's
instants (its steps and its agreed times alike), which keeps its actions and data.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pendulum
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.classification import Category
from propcrm.complaints import (
    CLOCK_COLUMNS,
    Action,
    Actor,
    CallbackOutcome,
    HoldReason,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Request,
    RequestKind,
    Role,
    ShapeGroup,
    Step,
    clock_columns,
    shape_clocks,
)
from propcrm.errors import InvalidType, PropcrmError
from propcrm.portfolio import SLA_CLOCK_SCHEMA, sla_clocks
from propcrm.portfolio._clock_arrays import _Index, _posix, read_over_arrays
from propcrm.portfolio._clocks import _frame
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    BusinessCalendar,
    CalendarSet,
    ClockShape,
    ClockState,
    Target,
    TargetKind,
    Within,
)
from propcrm.testing.strategies import lifecycle_policies, requests, sla_instants

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EARLIEST = pendulum.datetime(2024, 7, 1, tz="Asia/Shanghai")
LATEST = pendulum.datetime(2026, 10, 1, tz="Asia/Shanghai")

HOUR = 3600
SERVICE_DAY = 27_000  # 08:30–12:00 and 13:30–17:30
# The default response targets, a resolution on service hours and a callback within two days.
SLA = DEFAULT_SLA_POLICY
for _priority, _budget in (("P1", 4 * HOUR), ("P2", SERVICE_DAY), ("P3", 2 * SERVICE_DAY)):
    SLA = SLA.with_target(
        _priority, Target(TargetKind.RESOLUTION, Within(_budget, SERVICE_CALENDAR))
    ).with_target(
        _priority,
        Target(TargetKind.CALLBACK, Within(48 * HOUR, HOTLINE_CALENDAR), starts_with_request=False),
    )
POLICY = LifecyclePolicy(sla=SLA)

DESK = Actor("KF-01", Role.AGENT)
FIXER = Actor("WX-07", Role.HANDLER)


def reference(request: Request) -> list[tuple[Any, ...]]:
    """What a report reads of each of the request's clocks, one clock at a time."""
    rows = []
    for clock in request.clocks.clocks:
        deadline = clock.deadline
        micros = None
        if deadline is not None:
            delta = deadline - pendulum.from_timestamp(0)
            micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        rows.append(
            (
                request.request_id,
                clock.kind.value,
                clock.state.value,
                clock.cycle,
                clock.budget,
                clock.consumed,
                micros,
                clock.met,
            )
        )
    return rows


def rows_of(requests_: list[Request], *, arrays: bool = False) -> list[tuple[Any, ...]]:
    """The rows of ``clock_columns``, or with ``arrays`` of the frame, every shape's requests
    read over arrays however few (the batch path's own threshold would leave the few drawn here
    to be read one by one)."""
    if arrays:
        shaped = shape_clocks(requests_)
        assert shaped.disagreed == ()
        frame = _frame(shaped, 1).with_columns(pl.col("deadline").dt.epoch("us"))
        return frame.rows()
    result = clock_columns(requests_)
    # A shape whose arithmetic disagrees with the fold is folded one by one (so the rows stay
    # right): a defect all the same, which these tests must see.
    assert result.disagreed == ()
    columns = result.columns
    assert tuple(columns) == CLOCK_COLUMNS
    return list(zip(*columns.values(), strict=True))


def moved(request: Request, days: int, seconds: int, times: int, parts: int) -> Request | None:
    """``request`` with every instant moved: the gaps from its receipt × times / parts, then
    shifted by ``days`` and ``seconds``; ``None`` if its lifecycle refuses that or it leaves
    the years the calendars know."""
    receipt = request.history[0].at
    shift = datetime.timedelta(days=days, seconds=seconds)

    def new(at: pendulum.DateTime) -> pendulum.DateTime:
        return receipt + (at - receipt) * times // parts + shift

    steps = []
    for step in request.history:
        data = step.data
        if data.appointment is not None:
            data = attrs.evolve(data, appointment=new(data.appointment))
        steps.append(Step(step.action, step.actor, new(step.at), data))
    if steps[0].at < EARLIEST or steps[-1].at > LATEST:
        return None
    try:
        return Request.replay(steps, request.policy)
    except PropcrmError:
        return None


@st.composite
def one_shape(draw: st.DrawFn) -> list[Request]:
    """A drawn request and some others of its shape (its instants moved), in a drawn order."""
    request = draw(
        requests(
            policy=lifecycle_policies(),
            max_steps=16,
            max_gap_seconds=2 * 86_400,
            starts=sla_instants(tz="UTC") | sla_instants(),
        )
    )
    others = []
    for _ in range(draw(st.integers(1, 4))):
        other = moved(
            request,
            draw(st.integers(-300, 120)),
            draw(st.integers(0, 86_399)),
            draw(st.integers(1, 3)),
            draw(st.integers(1, 3)),
        )
        if other is not None:
            others.append(other)
    return draw(st.permutations([request, *others]))


@SLOW
@given(st.lists(one_shape(), min_size=1, max_size=3), st.booleans())
def test_every_clock_equals_the_requests_own(shapes: list[list[Request]], arrays: bool) -> None:
    every = [r for shape in shapes for r in shape]
    # Each request replayed afresh: the reference reads clocks the shapes never folded.
    fresh = [Request.replay(r.history, r.policy) for r in every]
    assert rows_of(every, arrays=arrays) == [row for r in fresh for row in reference(r)]


def test_many_requests_of_a_shape_are_read_over_arrays_as_one_by_one() -> None:
    gaps = [1, 2, 3, 30, 20, 600, 90, 60]
    # A shape of 60 requests: one every 7 hours and 13 minutes from a Monday, across nights,
    # weekends and the Qingming holiday, some stretches ending inside a window, some outside.
    batch = [
        leak(f"BX-{k}", MONDAY.add(minutes=433 * k), [g * (1 + k % 5) for g in gaps])
        for k in range(60)
    ]
    shaped = shape_clocks(batch)
    (group,) = shaped.groups
    found = read_over_arrays(group)
    assert found is not None
    # (a deadline beyond the years of the shape's instants is left to the request's own fold)
    assert int(found[1].sum()) < 10
    expected = [row for r in batch for row in reference(r)]
    assert rows_of(batch) == expected
    frame = sla_clocks(batch).with_columns(pl.col("deadline").dt.epoch("us"))
    assert frame.rows() == expected


def leak(
    request_id: str, start: pendulum.DateTime, minutes: list[int], priority: str | None = None
) -> Request:
    """A repair received at ``start``, then acknowledged, assessed, dispatched, started, held,
    resumed, resolved and called back, each ``minutes`` after the one before."""
    intake = Intake(
        request_id=request_id,
        kind=RequestKind.REPAIR,
        requester="P-1",
        channel=IntakeChannel.HOTLINE,
        category=Category.WATER_LEAK,
        description="卫生间漏水",
    )
    at = start
    request = Request.receive(intake, DESK, at, POLICY)
    assessed = {} if priority is None else {"priority": priority, "reason": "老人独居"}
    script: list[tuple[Action, Actor, dict[str, Any]]] = [
        (Action.ACKNOWLEDGE, DESK, {}),
        (Action.ASSESS, DESK, assessed),
        (Action.DISPATCH, DESK, {"assignee": "WX-07"}),
        (Action.START, FIXER, {}),
        (Action.HOLD, FIXER, {"hold_reason": HoldReason.WAITING_FOR_PARTS}),
        (Action.RESUME, FIXER, {}),
        (Action.RESOLVE, FIXER, {"note": "换了阀门"}),
        (Action.CALL_BACK, DESK, {"outcome": CallbackOutcome.SATISFIED, "score": 5}),
    ]
    for (action, actor, data), gap in zip(script, minutes, strict=True):
        at = at.add(minutes=gap)
        request = request.take(action, actor, at, **data)
    return Request.replay(request.history, request.policy)


MONDAY = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


def test_requests_of_one_shape_are_folded_once() -> None:
    gaps = [[1, 2, 3, 30, 20, 600, 90, 60], [2, 1, 1, 5, 10, 2000, 30, 4000]]
    # One over a weekend, one on a holiday (Qingming, 4–6 April 2026).
    starts = [MONDAY, MONDAY.add(days=4, hours=7), pendulum.datetime(2026, 4, 3, 16, 0)]
    batch = [
        leak(f"BX-{i}-{j}", start, gap)
        for i, start in enumerate(starts)
        for j, gap in enumerate(gaps)
    ]
    result = clock_columns(batch)
    assert (result.shapes, result.folded, result.disagreed) == (1, 1, ())
    fresh = [Request.replay(r.history, r.policy) for r in batch]
    assert list(zip(*result.columns.values(), strict=True)) == [
        row for r in fresh for row in reference(r)
    ]
    # Something differs from request to request: the shape's arithmetic is not a copy.
    consumed = result.columns["consumed_seconds"]
    assert len(result.columns["kind"]) == 3 * len(batch)
    assert len(set(consumed)) > 6
    assert len(set(result.columns["deadline_us"])) > 6


def test_a_request_that_waits_elsewhere_has_a_shape_of_its_own() -> None:
    held = leak("BX-1", MONDAY, [1, 2, 3, 30, 20, 600, 90, 60])
    history = [s for s in held.history if s.action not in (Action.HOLD, Action.RESUME)]
    plain = Request.replay(history, held.policy)
    result = clock_columns([held, plain, held, plain])
    assert (result.shapes, result.folded) == (2, 2)
    assert rows_of([plain, held]) == reference(plain) + reference(held)
    # A shape of one request is only folded: no shape is read from it.
    assert (clock_columns([held, plain, held]).shapes, clock_columns([plain]).shapes) == (1, 0)


def test_another_priority_or_a_shared_instant_makes_another_shape() -> None:
    gaps = [1, 2, 3, 30, 20, 600, 90, 60]
    plain = leak("BX-1", MONDAY, gaps)
    # The hold at the start's own instant: the resolution's stretch ends at the start.
    tied = leak("BX-2", MONDAY, [1, 2, 3, 30, 0, 600, 90, 60])
    urgent = leak("BX-3", MONDAY, gaps, priority="P1")
    batch = [tied, plain, urgent, plain, urgent, tied]
    result = clock_columns(batch)
    assert (result.shapes, result.folded) == (3, 3)
    assert rows_of(batch) == [row for r in batch for row in reference(r)]


def test_a_request_built_without_a_replay_is_read_as_its_own_clocks() -> None:
    replayed = leak("BX-1", MONDAY, [1, 2, 3, 30, 20, 600, 90, 60])
    built = Request.receive(replayed.intake, DESK, MONDAY, POLICY)
    for step in replayed.history[1:]:
        built = built.apply(step)
    assert rows_of([built, replayed]) == reference(built) + reference(replayed)


def test_the_frame_has_the_schema_and_the_instants() -> None:
    batch = [leak(f"BX-{i}", MONDAY.add(hours=i), [1, 2, 3, 30, 20, 600, 90, 60]) for i in (0, 1)]
    frame = sla_clocks(batch)
    assert list(frame.columns) == list(SLA_CLOCK_SCHEMA)
    assert [str(t) for t in frame.dtypes] == [
        "String",
        "String",
        "String",
        "Int64",
        "Int64",
        "Int64",
        "Datetime(time_unit='us', time_zone='UTC')",
        "Boolean",
    ]
    expected = [
        (
            r.request_id,
            c.kind.value,
            c.state.value,
            c.cycle,
            c.budget,
            c.consumed,
            c.deadline,
            c.met,
        )
        for r in batch
        for c in r.clocks.clocks
    ]
    assert frame.rows() == expected
    assert frame.filter(pl.col("state") == ClockState.STOPPED.value).height > 0


def test_no_requests_give_an_empty_frame() -> None:
    assert sla_clocks([]).height == 0
    assert clock_columns(()).folded == 0


@pytest.mark.parametrize("bad", [None, 3, [object()], ["BX-1"]])
def test_anything_but_requests_is_refused(bad: Any) -> None:
    with pytest.raises(InvalidType) as raised:
        clock_columns(bad)
    assert raised.match("requests")
    assert isinstance(raised.value, TypeError)


SERVICE = BusinessCalendar.china_service_hours()
APRIL = pendulum.datetime(2026, 4, 1, tz="Asia/Shanghai")
# Instants to the microsecond over a few weeks around Qingming, on window edges and off them.
instants = st.builds(
    lambda days, seconds, micros: APRIL.add(days=days, seconds=seconds, microseconds=micros),
    st.integers(0, 20),
    st.sampled_from([0, 30_600, 43_200, 48_600, 63_000]) | st.integers(0, 86_399),
    st.sampled_from([0, 1, 999_999]) | st.integers(0, 999_999),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(instants, instants, st.integers(0, 200_000)), min_size=1, max_size=8))
def test_the_calendar_over_arrays_counts_as_the_calendar(
    spans: list[tuple[pendulum.DateTime, pendulum.DateTime, int]],
) -> None:
    np = pytest.importorskip("numpy")
    (a_s, a_us), (b_s, b_us) = (
        ClockShape.posix([a for a, _, _ in spans]),
        ClockShape.posix([b for _, b, _ in spans]),
    )
    first = int(APRIL.timestamp())
    index = _Index(SERVICE, first, first + 21 * 86_400)
    arrays = [np.array(v, dtype=np.int64) for v in (a_s, a_us, b_s, b_us)]
    between = index.between(*arrays).tolist()
    assert between == [SERVICE.between(a, b) for a, b, _ in spans]
    seconds = np.array([n for _, _, n in spans], dtype=np.int64)
    out_s, out_us, beyond = index.add(arrays[0], arrays[1], seconds)
    for (a, _, n), s, us, out in zip(
        spans, out_s.tolist(), out_us.tolist(), beyond.tolist(), strict=True
    ):
        if not out:
            assert ClockShape.posix([SERVICE.add(a, n)]) == ([s], [us])


def test_over_arrays_a_fraction_of_a_second_past_a_window_goes_on_in_the_next() -> None:
    np = pytest.importorskip("numpy")
    wednesday = pendulum.datetime(2026, 4, 1, tz="Asia/Shanghai")
    cases = [
        (wednesday.add(hours=8, minutes=30, microseconds=500_000), 12_600),  # to 12:00 + ½ s
        (wednesday.add(hours=11, minutes=59, seconds=59, microseconds=999_999), 1),
        (wednesday.add(hours=12), 0),
        (wednesday.add(hours=17, minutes=29, seconds=59, microseconds=500_000), 1),
    ]
    first = int(wednesday.timestamp())
    index = _Index(SERVICE, first, first + 86_400)
    s, us = ClockShape.posix([at for at, _ in cases])
    out_s, out_us, beyond = index.add(
        np.array(s), np.array(us), np.array([n for _, n in cases], dtype=np.int64)
    )
    assert not beyond.any()
    expected = ClockShape.posix([SERVICE.add(at, n) for at, n in cases])
    assert (out_s.tolist(), out_us.tolist()) == expected
    assert expected[0][0] - s[0] == 12_600 + 5_400  # over lunch, to 13:30 and half a second


def test_a_same_day_target_started_at_its_cut_off_is_due_the_next_service_day() -> None:
    cutoff = pendulum.datetime(2026, 3, 4, 16, 0, tz="Asia/Shanghai")  # a Wednesday, 16:00
    gaps = [1, 2, 3, 30, 20, 600, 90, 60]
    # The first request is the shape's own; the others are read at their instants: one a
    # microsecond before the cut-off (due that day), one at it and one after (due Thursday).
    batch = [
        leak(f"BX-{k}", at, gaps)
        for k, at in enumerate(
            [
                cutoff.subtract(hours=3),
                cutoff.subtract(microseconds=1),
                cutoff,
                cutoff.add(seconds=1),
            ]
        )
    ]
    result = clock_columns(batch)
    assert (result.shapes, result.folded) == (1, 1)
    expected = [row for r in batch for row in reference(r)]
    assert rows_of(batch) == expected
    assert rows_of(batch, arrays=True) == expected
    kinds = result.columns["kind"]
    budgets = [
        b for b, k in zip(result.columns["budget_seconds"], kinds, strict=True) if k == "response"
    ]
    # To 17:30 that day; at the cut-off, to 17:30 the next day (1.5 hours, then 7.5).
    assert budgets[1:] == [5_400, 32_400, 32_399]


def test_over_arrays_a_same_day_target_started_on_new_years_eve_is_due_the_next_year() -> None:
    # Calendars of their own, whose index nothing has grown yet: the shape's first request
    # (1 December) folds within 2025, and the arrays must reach into 2026 themselves.
    calendars = CalendarSet(
        [BusinessCalendar.china_service_hours(), BusinessCalendar.always(HOTLINE_CALENDAR)]
    )
    # Every clock on service hours, so that each reads over the same arrays (a deadline past
    # the instants' years on another calendar would leave the request to its own fold).
    sla = SLA
    for priority in ("P1", "P2", "P3"):
        sla = sla.with_target(
            priority,
            Target(
                TargetKind.CALLBACK,
                Within(2 * SERVICE_DAY, SERVICE_CALENDAR),
                starts_with_request=False,
            ),
        )
    policy = attrs.evolve(POLICY, sla=sla, calendars=calendars)
    minutes = [1, 1, 1, 1, 1, 1, 1, 1]
    first = leak("BX-0", pendulum.datetime(2025, 12, 1, 10, 0, tz="Asia/Shanghai"), minutes)
    # After the 16:00 cut-off on Wednesday 31 December 2025, a same-day target is due on
    # Sunday 4 January 2026 (a make-up working day after the New Year holiday).
    eve = pendulum.datetime(2025, 12, 31, 16, 30, tz="Asia/Shanghai")
    batch = [
        Request.replay(r.history, policy)
        for r in (first, *(leak(f"BX-{k}", eve.add(minutes=k), minutes) for k in (1, 2)))
    ]
    shaped = shape_clocks(batch)
    (group,) = shaped.groups
    found = read_over_arrays(group, fewest=1)
    assert found is not None
    assert not found[1].any()  # (read over the arrays, none left to its own fold)
    read = rows_of(batch, arrays=True)  # (before the reference, whose folds grow the calendars)
    assert read == [row for r in batch for row in reference(r)]
    due = [row[6] for row in read if row[1] == "response"]
    local = [pendulum.from_timestamp(d / 1_000_000, tz="Asia/Shanghai") for d in due]
    assert [at.date().isoformat() for at in local] == ["2025-12-01", "2026-01-04", "2026-01-04"]


def test_steps_an_hour_apart_at_one_wall_time_are_not_read_as_one_instant() -> None:
    # Berlin's clocks go back at 03:00 on 25 October 2026: 02:30 comes twice, an hour apart.
    # The requests compare equal step by step (the same wall times), so their shape's key
    # sees a tie; their POSIX seconds do not, and the callback ran for that hour.
    berlin = pendulum.datetime(2026, 10, 24, 14, 4, tz="Europe/Berlin")
    twice = leak("BX-2", berlin, [1, 2, 3, 30, 20, 600, 90, 60])
    resolved, called = (step.at for step in twice.history[-2:])
    assert (resolved == called, resolved.fold, called.fold) == (True, 0, 1)
    # Called back at the very instant of the resolution: a real tie.
    tied = leak("BX-1", MONDAY, [1, 2, 3, 30, 20, 600, 90, 0])
    for batch in ([tied, twice, tied], [twice, tied, twice]):
        expected = [row for r in batch for row in reference(r)]
        assert rows_of(batch) == expected
        assert rows_of(batch, arrays=True) == expected
    callback = [row for row in reference(twice) if row[1] == "callback"]
    assert [row[5] for row in callback] == [3600]


# Wall times around the daylight-saving changes of 2026 (Berlin: 29 March, 25 October; New
# York: 8 March, 1 November), in either fold, to the microsecond; Shanghai and UTC have none.
wall_times = st.builds(
    lambda zone, day, minute, micros, fold: pendulum.datetime(
        2026, *day, minute // 60, minute % 60, tz=zone, fold=fold
    ).add(microseconds=micros),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Shanghai", "UTC"]),
    st.sampled_from([(3, 7), (3, 8), (3, 28), (3, 29), (10, 25), (10, 26), (11, 1), (11, 2)]),
    st.integers(0, 24 * 60 - 1) | st.integers(60, 200),
    st.sampled_from([0, 999_999]) | st.integers(0, 999_999),
    st.sampled_from([0, 1]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(wall_times, min_size=3, max_size=3), min_size=1, max_size=8))
def test_instants_over_arrays_are_read_as_posix_reads_them(rows: list[list[Any]]) -> None:
    np = pytest.importorskip("numpy")
    flat = [at for row in rows for at in row]
    group = ShapeGroup((), (), (), list(range(len(rows))), flat, [None] * len(rows))
    assert (group.width, group.instants_of(len(rows) - 1)) == (3, rows[-1])
    seconds, micros = _posix(np, group)
    expected = [ClockShape.posix(row) for row in rows]
    assert seconds.tolist() == [s for e in expected for s in e[0]]
    assert micros.tolist() == [us for e in expected for us in e[1]]
