"""Tests for sla._clock: the event-sourced SLA clock of one target and of a request."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.errors import (
    ClockCancelled,
    EventOutOfOrder,
    InvalidDuration,
    InvalidEvent,
    InvalidTransition,
    InvalidType,
    MissingCalendar,
    NaiveDatetime,
    NotPausable,
    PropcrmError,
    UnknownPriority,
    UnknownTarget,
    UnsupportedLocale,
)
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    AgreedTime,
    BusinessCalendar,
    BusinessTime,
    CalendarSet,
    Cancelled,
    ClockState,
    Paused,
    PriorityChanged,
    PriorityChangePolicy,
    Reopened,
    ReopenPolicy,
    RequestClocks,
    RequestClocksDraft,
    Reset,
    Resumed,
    SameServiceDay,
    SlaClock,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    Within,
    _request_clocks,
)
from propcrm.sla._calendar_explanations import SpanExplanation
from propcrm.sla._clock_records import CycleOutcome, PauseCause, PauseRecord
from propcrm.sla._events import VerbEvent, _copier, addressed
from propcrm.sla._targets import ELAPSED
from propcrm.testing._sla_clock_strategies import (
    sla_clock_event_sequences,
    sla_instants,
    sla_request_event_sequences,
)

TZ = "Asia/Shanghai"
HOTLINE = BusinessCalendar.always()
SERVICE = BusinessCalendar.china_service_hours()
CALENDARS = CalendarSet([HOTLINE, SERVICE])
RESPONSE = TargetKind.RESPONSE
TEN_MINUTES = Target(RESPONSE, Within(600, "24x7"))
TWO_HOURS_SERVICE = Target(RESPONSE, Within(7200, SERVICE.name))
SAME_DAY = Target(RESPONSE, SameServiceDay(SERVICE.name))


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3) -> pendulum.DateTime:
    """An instant in March 2026 (a month without holidays), Shanghai time."""
    return pendulum.datetime(2026, month, day, hour, minute, second, tz=TZ)


def started(
    target: Target, when: pendulum.DateTime, calendars: CalendarSet = CALENDARS
) -> SlaClock:
    return SlaClock.new(target, calendars).apply(Started(when, "客服小王"))


def keep(event: Any) -> Any:
    """A clock-level copy of a change event, with the keep-consumed policy."""
    return attrs.evolve(event, policy=PriorityChangePolicy.KEEP_CONSUMED)


@attrs.frozen
class Always24x7:
    """A tiny 24×7 test double: the clock must need nothing but the BusinessTime protocol."""

    name: str = "24x7"
    zone: str = TZ

    def is_working_day(self, day: datetime.date) -> bool:
        return True

    def windows_on(
        self, day: datetime.date
    ) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
        start = pendulum.datetime(day.year, day.month, day.day, tz=self.zone)
        return ((start, start.add(days=1)),)

    def add(self, start: datetime.datetime, seconds: int) -> pendulum.DateTime:
        return pendulum.instance(start).add(seconds=seconds)

    def between(self, a: datetime.datetime, b: datetime.datetime) -> int:
        return int(pendulum.instance(b).int_timestamp - pendulum.instance(a).int_timestamp)

    def explain(self, start: datetime.datetime, end: datetime.datetime) -> str:
        return f"24x7 from {start} to {end}"

    def next_working_instant(self, at: datetime.datetime) -> pendulum.DateTime:
        return pendulum.instance(at)


# -- the protocol and the test double --------------------------------------------------------


def test_the_clock_runs_on_anything_with_the_business_time_protocol() -> None:
    double = Always24x7()
    assert isinstance(double, BusinessTime)
    assert isinstance(HOTLINE, BusinessTime)
    assert isinstance(SERVICE, BusinessTime)
    clock = started(TEN_MINUTES, at(2, 9), CalendarSet([double]))
    assert clock.deadline == at(2, 9, 10)
    assert clock.explain().calendar_detail == f"24x7 from {at(2, 9)} to {at(2, 9, 10)}"


# -- start, deadline, no pauses --------------------------------------------------------------


def test_a_new_clock_has_not_started_and_has_no_deadline() -> None:
    clock = SlaClock.new(TEN_MINUTES, CALENDARS)
    assert clock.state is ClockState.NOT_STARTED
    assert clock.deadline is None
    assert clock.breached_at is None
    assert clock.met is None
    assert clock.explain().deadline is None


def test_started_clock_is_due_its_budget_later_on_its_calendar() -> None:
    clock = started(TEN_MINUTES, at(2, 23, 55))
    assert clock.state is ClockState.RUNNING
    assert clock.deadline == at(3, 0, 5)
    assert clock.breached_at == clock.deadline
    assert clock.cycle == 1
    assert clock.epoch == 1


def test_two_hours_from_11_skips_the_lunch_break() -> None:
    clock = started(TWO_HOURS_SERVICE, at(2, 11))  # Monday: 11:00–12:00, then 13:30–14:30
    assert clock.deadline == at(2, 14, 30)


def test_deadline_that_uses_up_a_window_ends_there_and_is_breached_at_the_next_window() -> None:
    clock = started(TWO_HOURS_SERVICE, at(2, 15, 30))
    assert clock.deadline == at(2, 17, 30)
    assert clock.breached_at == at(3, 8, 30)


def test_a_start_outside_service_hours_counts_from_the_next_window() -> None:
    clock = started(TWO_HOURS_SERVICE, at(6, 20))  # Friday evening
    assert clock.deadline == at(9, 10, 30)  # Monday, 08:30 + 2 h


# -- pauses ------------------------------------------------------------------------------------


def test_several_pauses_move_the_deadline_by_exactly_the_business_time_paused() -> None:
    clock = started(TWO_HOURS_SERVICE, at(2, 9))
    clock = clock.apply(Paused(at(2, 9, 20), "李师傅", "等待配件"))
    assert clock.deadline is None  # unknown until resumed
    clock = clock.apply(Resumed(at(2, 10, 0), "李师傅"))
    assert clock.consumed == 20 * 60
    assert clock.deadline == at(2, 11, 40)
    clock = clock.apply(Paused(at(2, 10, 30), "李师傅", "业主不在家"))
    clock = clock.apply(Resumed(at(2, 14, 0), "李师傅"))
    assert clock.consumed == 50 * 60
    assert clock.deadline == at(2, 15, 10)
    assert [(p.since, p.until) for p in clock.pauses] == [
        (at(2, 9, 20), at(2, 10)),
        (at(2, 10, 30), at(2, 14)),
    ]


def test_a_pause_at_night_changes_nothing_but_is_recorded() -> None:
    clock = started(TWO_HOURS_SERVICE, at(2, 16, 30))
    before = clock.deadline
    assert before == at(3, 9, 30)
    night = clock.apply(Paused(at(2, 21), "值班", "业主要求明早再来")).apply(
        Resumed(at(3, 7), "值班")
    )
    assert night.consumed == 3600  # 16:30–17:30
    assert night.deadline == before
    assert len(night.pauses) == 1


def test_a_pause_then_stop_in_one_step_counts_time_to_the_pause() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    clock = clock.apply(Paused(at(2, 9, 8), "李师傅", "等待业主确认"))
    clock = clock.apply(Stopped(at(2, 9, 8), "李师傅"))
    assert clock.state is ClockState.STOPPED
    assert clock.consumed == 480
    assert clock.met is True
    assert clock.failed_by() == 0
    assert clock.pauses[-1].until == at(2, 9, 8)


def test_a_stop_while_paused_ends_the_pause_at_the_stop() -> None:
    clock = started(TEN_MINUTES, at(2, 9)).apply(Paused(at(2, 9, 5), "a", "等待"))
    clock = clock.apply(Stopped(at(2, 12), "a"))
    assert clock.consumed == 300
    assert clock.deadline == at(2, 9, 10)  # as it stood when the clock last ran
    assert clock.met is True


# -- stop, met and failed_by ------------------------------------------------------------------


def test_stopped_in_time_is_met_and_stopped_late_fails_by_the_business_time_over() -> None:
    on_time = started(TEN_MINUTES, at(2, 9)).apply(Stopped(at(2, 9, 10), "a"))
    assert on_time.met is True
    assert on_time.failed_by() == 0
    late = started(TEN_MINUTES, at(2, 9)).apply(Stopped(at(2, 9, 13), "a"))
    assert late.met is False
    assert late.failed_by() == 180
    assert late.deadline == at(2, 9, 10)
    assert late.breached_at == at(2, 9, 10)


def test_a_stop_after_the_window_end_but_before_work_resumes_is_met() -> None:
    clock = started(TWO_HOURS_SERVICE, at(2, 15, 30)).apply(Stopped(at(2, 19), "a"))
    assert clock.deadline == at(2, 17, 30)
    assert clock.met is True  # no business time passed after 17:30
    assert clock.failed_by() == 0


def test_failed_by_while_running_is_measured_at_the_instant_asked() -> None:
    clock = started(TWO_HOURS_SERVICE, at(2, 16))
    assert clock.failed_by(at(2, 17, 30)) == 0
    assert clock.failed_by(at(3, 9)) == 0  # 1.5 h on Monday, 0.5 h on Tuesday: all of it
    assert clock.failed_by(at(3, 9, 30)) == 30 * 60
    assert clock.remaining(at(3, 9, 30)) == -30 * 60
    assert clock.consumed_at(at(3, 9, 30)) == 9000


def test_outcome_is_none_until_stopped() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    assert clock.outcome() is None
    outcome = clock.apply(Stopped(at(2, 9, 4), "a")).outcome()
    assert outcome is not None
    assert (outcome.cycle, outcome.consumed, outcome.budget, outcome.met) == (1, 240, 600, True)
    assert outcome.deadline == at(2, 9, 10)


# -- reset and cancel -------------------------------------------------------------------------


def test_reset_starts_a_new_measurement_from_zero() -> None:
    update = Target(TargetKind.UPDATE, Within(7200, SERVICE.name))
    clock = started(update, at(2, 9)).apply(Reset(at(2, 10, 30), "客服", "已向业主通报进度"))
    assert clock.anchor == at(2, 10, 30)
    assert clock.consumed == 0
    assert clock.epoch == 2
    assert clock.deadline == at(2, 14)  # 1.5 h before lunch, 0.5 h after
    paused = clock.apply(Paused(at(2, 11), "客服", "等待业主")).apply(
        Reset(at(2, 11, 30), "客服", "已通报")
    )
    assert paused.state is ClockState.PAUSED
    assert paused.consumed == 0
    assert paused.pauses[-1].since == at(2, 11, 30)


def test_cancel_withdraws_the_clock_and_refuses_anything_after() -> None:
    clock = started(TEN_MINUTES, at(2, 9)).apply(Cancelled(at(2, 9, 2), "客服", "业主撤销报修"))
    assert clock.state is ClockState.CANCELLED
    assert clock.deadline is None
    with pytest.raises(ClockCancelled, match="was cancelled; it accepts no resume"):
        clock.apply(Resumed(at(2, 9, 3), "客服"))


def test_a_stopped_target_cannot_be_cancelled_its_outcome_stands() -> None:
    clock = started(TEN_MINUTES, at(2, 9)).apply(Stopped(at(2, 9, 5), "a"))
    with pytest.raises(InvalidTransition, match="outcome stands"):
        clock.apply(Cancelled(at(2, 9, 6), "a", "撤销"))


# -- refused events ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "error", "message"),
    [
        ([Resumed(at(2, 9, 1), "a")], InvalidTransition, "cannot resume .* running since"),
        ([Started(at(2, 9, 1), "a")], InvalidTransition, "cannot start .* running"),
        (
            [Paused(at(2, 9, 1), "a", "x"), Paused(at(2, 9, 2), "a", "y")],
            InvalidTransition,
            "cannot pause .* paused since",
        ),
        (
            [Stopped(at(2, 9, 1), "a"), Stopped(at(2, 9, 2), "a")],
            InvalidTransition,
            "cannot stop .* stopped at",
        ),
        ([Stopped(at(2, 9, 1), "a"), Reset(at(2, 9, 2), "a", "x")], InvalidTransition, "reset"),
        ([Paused(at(2, 8, 59), "a", "x")], EventOutOfOrder, "earlier than the last event"),
        (
            [Reopened(at(2, 9, 1), "a", "x", policy=ReopenPolicy.CONTINUE)],
            InvalidTransition,
            "cannot reopen",
        ),
        ([Reopened(at(2, 9, 1), "a", "x")], InvalidTransition, "cannot reopen"),
        (
            [PriorityChanged(at(2, 9, 1), "a", "x", priority="P1")],
            InvalidEvent,
            "request-level event",
        ),
        (
            [Paused(at(2, 9, 1), "a", "x", targets={TargetKind.RESOLUTION})],
            UnknownTarget,
            "for resolution was given to the response clock",
        ),
    ],
)
def test_impossible_events_are_refused_with_specific_errors(
    events: list[Any], error: type[Exception], message: str
) -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    *before, last = events
    for event in before:
        clock = clock.apply(event)
    with pytest.raises(error, match=message):
        clock.apply(last)


def test_a_refused_event_changes_nothing() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    with pytest.raises(InvalidTransition):
        clock.apply(Resumed(at(2, 9, 1), "a"))
    assert clock.events == (Started(at(2, 9), "客服小王"),)


def test_events_before_the_start_and_verbs_before_a_start_are_refused() -> None:
    fresh = SlaClock.new(TEN_MINUTES, CALENDARS)
    for event in (Paused(at(2, 9), "a", "x"), Resumed(at(2, 9), "a"), Stopped(at(2, 9), "a")):
        with pytest.raises(InvalidTransition, match="not started"):
            fresh.apply(event)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Started(at(2, 9), ""), "needs the actor"),
        (lambda: Paused(at(2, 9), "a"), "pause event needs a reason"),
        (lambda: Cancelled(at(2, 9), "a", " "), "cancel event needs a reason"),
        (lambda: Reset(at(2, 9), "a"), "reset event needs a reason"),
        (lambda: Reopened(at(2, 9), "a"), "reopen event needs a reason"),
        (lambda: Stopped(at(2, 9), "a", targets=set()), "non-empty set of TargetKind"),
        (lambda: Stopped(at(2, 9), "a", targets={"response"}), "non-empty set of TargetKind"),
        (lambda: Started(at(2, 9), "a", 3), "reason is a str"),
    ],
)
def test_malformed_events_are_refused(build: Any, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        build()


def test_event_timestamps_must_be_aware() -> None:
    from propcrm.errors import NaiveDatetime

    with pytest.raises(NaiveDatetime):
        Started(datetime.datetime(2026, 3, 2, 9, 0), "a")  # noqa: DTZ001 - the point of the test


def test_a_single_target_accepts_a_single_kind() -> None:
    assert Stopped(at(2, 9), "a", targets=RESPONSE).targets == frozenset({RESPONSE})


# -- agreed times ------------------------------------------------------------------------------


def test_an_agreed_time_is_due_at_that_instant_and_never_pauses() -> None:
    agreed = Target(TargetKind.AGREED_TIME, AgreedTime(at(3, 14)))
    assert agreed.pausable is False
    clock = started(agreed, at(2, 16))
    assert clock.deadline == at(3, 14)
    assert clock.calendar is ELAPSED
    with pytest.raises(NotPausable, match="never pauses"):
        clock.apply(Paused(at(2, 17), "a", "业主要求"))
    late = clock.apply(Stopped(at(3, 14, 20), "a"))
    assert late.met is False
    assert late.failed_by() == 20 * 60


def test_an_agreed_time_in_the_past_is_refused() -> None:
    agreed = Target(TargetKind.AGREED_TIME, AgreedTime(at(2, 8)))
    with pytest.raises(InvalidTransition, match=r"agreed time .* is not after it"):
        started(agreed, at(2, 9))


def test_an_agreed_time_reopened_keeps_its_instant_and_cannot_restart() -> None:
    agreed = Target(TargetKind.AGREED_TIME, AgreedTime(at(3, 14)))
    stopped = started(agreed, at(2, 16)).apply(Stopped(at(3, 13), "a"))
    assert stopped.met is True
    again = stopped.apply(Reopened(at(3, 15), "a", "没修好", policy=ReopenPolicy.CONTINUE))
    assert again.deadline == at(3, 14)
    assert again.failed_by(at(3, 15)) == 3600
    assert again.pauses[-1].cause is PauseCause.CLOSED
    for policy in (ReopenPolicy.NEW_CYCLE, ReopenPolicy.RESTART):
        with pytest.raises(InvalidTransition, match="agree a new time"):
            stopped.apply(Reopened(at(3, 15), "a", "没修好", policy=policy))


# -- reopening ---------------------------------------------------------------------------------


def stopped_at_9_06() -> SlaClock:
    return started(TEN_MINUTES, at(2, 9)).apply(Stopped(at(2, 9, 6), "李师傅"))


def test_reopen_continue_keeps_the_time_used_and_skips_the_time_closed() -> None:
    clock = stopped_at_9_06().apply(
        Reopened(at(2, 11), "客服", "业主反映仍漏水", policy=ReopenPolicy.CONTINUE)
    )
    assert clock.state is ClockState.RUNNING
    assert (clock.cycle, clock.epoch, clock.reopens, clock.consumed) == (1, 1, 1, 360)
    assert clock.deadline == at(2, 11, 4)
    assert clock.pauses[-1].cause is PauseCause.CLOSED
    assert clock.outcomes == ()


def test_reopen_new_cycle_keeps_the_first_outcome_and_starts_in_full() -> None:
    clock = stopped_at_9_06().apply(
        Reopened(at(2, 11), "客服", "业主反映仍漏水", policy=ReopenPolicy.NEW_CYCLE)
    )
    assert (clock.cycle, clock.epoch, clock.reopens, clock.consumed) == (2, 2, 1, 0)
    assert clock.deadline == at(2, 11, 10)
    (first,) = clock.outcomes
    assert (first.cycle, first.met, first.consumed, first.reopens) == (1, True, 360, 0)


def test_reopen_restart_voids_the_stop_and_starts_in_full() -> None:
    clock = stopped_at_9_06().apply(
        Reopened(at(2, 11), "客服", "业主反映仍漏水", policy=ReopenPolicy.RESTART)
    )
    assert (clock.cycle, clock.epoch, clock.reopens, clock.consumed) == (1, 2, 1, 0)
    assert clock.deadline == at(2, 11, 10)
    assert clock.outcomes == ()


def test_a_single_clock_needs_the_reopen_and_change_policies_named() -> None:
    with pytest.raises(InvalidEvent, match="must name its policy"):
        stopped_at_9_06().apply(Reopened(at(2, 11), "a", "x"))
    with pytest.raises(InvalidEvent, match="must name its policy"):
        started(TEN_MINUTES, at(2, 9)).apply(
            TargetChanged(at(2, 9, 1), "a", "x", target=TWO_HOURS_SERVICE)
        )


# -- target changes -----------------------------------------------------------------------------


def test_keep_consumed_counts_the_time_used_against_the_new_target() -> None:
    clock = started(SAME_DAY, at(2, 9))
    raised = clock.apply(keep(TargetChanged(at(2, 9, 5), "主管", "燃气味", target=TEN_MINUTES)))
    assert raised.deadline == at(2, 9, 10)
    assert raised.epoch == clock.epoch


def test_keep_consumed_measures_the_time_used_again_on_the_new_calendar() -> None:
    clock = started(TEN_MINUTES, at(2, 11, 50)).apply(Paused(at(2, 12, 30), "a", "等待"))
    assert clock.consumed == 40 * 60  # 24×7
    lowered = clock.apply(keep(TargetChanged(at(2, 13), "主管", "降级", target=TWO_HOURS_SERVICE)))
    assert lowered.consumed == 10 * 60  # 11:50–12:00 on service hours; lunch does not count
    assert lowered.state is ClockState.PAUSED
    assert lowered.apply(Resumed(at(2, 14), "a")).deadline == at(2, 15, 50)


def test_restart_gives_the_new_target_in_full_from_the_change() -> None:
    clock = started(SAME_DAY, at(2, 9))
    change = TargetChanged(
        at(2, 9, 5), "主管", "燃气味", target=TEN_MINUTES, policy=PriorityChangePolicy.RESTART
    )
    raised = clock.apply(change)
    assert raised.deadline == at(2, 9, 15)
    assert raised.epoch == clock.epoch + 1
    assert raised.explain().changes == (change,)


def test_an_agreed_time_is_measured_from_its_agreement_whatever_the_policy() -> None:
    clock = started(SAME_DAY, at(2, 9))
    agreed = Target(RESPONSE, AgreedTime(at(3, 10)))
    moved = clock.apply(keep(TargetChanged(at(2, 9, 30), "客服", "与业主约定", target=agreed)))
    assert moved.anchor == at(2, 9, 30)
    assert moved.deadline == at(3, 10)
    paused = clock.apply(Paused(at(2, 9, 10), "a", "等待"))
    with pytest.raises(NotPausable, match="resume it first"):
        paused.apply(keep(TargetChanged(at(2, 9, 30), "客服", "与业主约定", target=agreed)))


def test_a_target_change_cannot_touch_a_stopped_target_or_another_kind() -> None:
    with pytest.raises(InvalidTransition, match="outcome stands"):
        stopped_at_9_06().apply(keep(TargetChanged(at(2, 10), "a", "x", target=SAME_DAY)))
    other = Target(TargetKind.RESOLUTION, Within(3600, "24x7"))
    with pytest.raises(UnknownTarget, match="change of the resolution target"):
        started(TEN_MINUTES, at(2, 9)).apply(keep(TargetChanged(at(2, 10), "a", "x", target=other)))


def test_a_change_to_an_unsupplied_calendar_is_refused_before_anything_changes() -> None:
    night = Target(RESPONSE, Within(600, "night shift"))
    with pytest.raises(MissingCalendar, match="'night shift'"):
        started(TEN_MINUTES, at(2, 9)).apply(keep(TargetChanged(at(2, 10), "a", "x", target=night)))
    with pytest.raises(MissingCalendar):
        SlaClock.new(night, CALENDARS)


def test_a_target_change_before_the_start_just_replaces_the_target() -> None:
    clock = SlaClock.new(SAME_DAY, CALENDARS).apply(
        keep(TargetChanged(at(2, 8), "a", "x", target=TEN_MINUTES))
    )
    assert clock.target == TEN_MINUTES
    assert clock.origin == SAME_DAY
    assert clock.apply(Started(at(2, 9), "a")).deadline == at(2, 9, 10)


# -- explanations ------------------------------------------------------------------------------


def test_the_explanation_holds_the_rule_the_calendar_detail_and_the_pauses() -> None:
    # Tuesday 30 September 2025, 16:30: after the cut-off, and National Day closes 1–8 October.
    received = pendulum.datetime(2025, 9, 30, 16, 30, tz=TZ)
    clock = started(SAME_DAY, received).apply(Paused(received.add(minutes=10), "a", "等待业主"))
    clock = clock.apply(Resumed(received.add(minutes=20), "a"))
    why = clock.explain()
    assert why.kind is RESPONSE
    assert why.calendar == SERVICE.name
    assert why.service_day is not None
    assert why.service_day.before_cutoff is False
    # Due at the end of 9 October, the next service day; the 10 minutes paused in working
    # time move that to 08:40 on the 10th.
    assert why.service_day.due == pendulum.datetime(2025, 10, 9, 17, 30, tz=TZ)
    assert why.budget_seconds == 3600 + 27_000  # 16:30–17:30, then all 7.5 h of 9 October
    assert why.deadline == pendulum.datetime(2025, 10, 10, 8, 40, tz=TZ)
    assert why.consumed_seconds == 600
    assert why.remaining_seconds == why.budget_seconds - 600
    assert [(p.since, p.until, p.reason) for p in why.pauses] == [
        (received.add(minutes=10), received.add(minutes=20), "等待业主")
    ]
    detail = why.calendar_detail
    assert isinstance(detail, SpanExplanation)
    assert [h.day.day for h in detail.holidays] == [1, 2, 3, 6, 7, 8]
    assert detail.holidays[0].name == "国庆节"
    assert "after the cut-off" in why.summary("en_US")
    assert "国庆节" in why.summary("en_US")
    assert why.rule == "the same service day (cut-off 16:00), on CN service hours"  # for logs
    assert why.summary("en_US") == (
        "response the same service day (cut-off 16:00), on CN service hours: "
        "due 2025-10-10 08:40; received 09-30 16:30, after the cut-off; 1 pause, 10 min; "
        "6 holidays skipped (国庆节 from 2025-10-01)"
    )
    assert (
        why.summary()
        == why.summary("zh_CN")
        == (
            "响应时限：同一服务日内（截单时间 16:00，此后受理的顺延至下一服务日），"
            "按日历“CN service hours”计时，截止 2025-10-10 08:40；"
            "09-30 16:30受理，晚于当日截单时间；暂停1次，共10分钟；"
            "跳过节假日6天（国庆节，自2025-10-01起）"
        )
    )


def test_the_summary_of_a_paused_clock_says_it_has_no_deadline() -> None:
    clock = started(TEN_MINUTES, at(2, 9)).apply(Paused(at(2, 9, 1), "a", "等待"))
    assert "no deadline while paused" in clock.explain().summary("en_US")
    # "1 pause(s)" before: a real plural form now.
    assert "1 pause, 0 min" in clock.explain().summary("en_US")
    assert "暂停中，无截止时间" in clock.explain().summary()
    assert "暂停1次，共0分钟" in clock.explain().summary()


@pytest.mark.parametrize(
    ("pauses", "en", "zh"),
    [(1, "1 pause, 1 min", "暂停1次，共1分钟"), (2, "2 pauses, 2 min", "暂停2次，共2分钟")],
)
def test_the_summary_counts_pauses_in_each_locale(pauses: int, en: str, zh: str) -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    for n in range(pauses):
        clock = clock.apply(Paused(at(2, 9, 2 * n + 1), "a", "等待"))
        clock = clock.apply(Resumed(at(2, 9, 2 * n + 2), "a"))
    summary = clock.explain().summary("en_US")
    assert summary.startswith("response within 10 minutes, on 24x7: due ")
    assert summary.endswith(f"; {en}")
    assert clock.explain().summary("zh_CN").endswith(f"；{zh}")


def test_the_summary_of_a_clock_not_started_and_an_unsupported_locale() -> None:
    why = SlaClock.new(TEN_MINUTES, CALENDARS).explain()
    assert why.summary("en_US") == "response within 10 minutes, on 24x7: not running"
    assert why.summary() == "响应时限：10分钟内，按日历“24x7”计时，未计时"
    with pytest.raises(UnsupportedLocale, match="'zh_CN' and 'en_US'"):
        why.summary("fr_FR")


# -- a request's clocks -------------------------------------------------------------------------

P1_WITH_RESOLUTION = DEFAULT_SLA_POLICY.with_target(
    "P1", Target(TargetKind.RESOLUTION, Within(4 * 3600, SERVICE.name))
)


def opened(priority: str = "P1", policy: Any = P1_WITH_RESOLUTION) -> RequestClocks:
    return RequestClocks.open("R-1", priority, policy, CALENDARS).apply(Started(at(2, 9), "客服"))


def test_a_request_opens_one_clock_per_target_of_its_level() -> None:
    clocks = opened()
    assert clocks.kinds == (RESPONSE, TargetKind.RESOLUTION)
    assert clocks.clock(RESPONSE).deadline == at(2, 9, 10)
    assert clocks.clock(TargetKind.RESOLUTION).deadline == at(2, 14, 30)
    with pytest.raises(UnknownTarget, match="has no callback target"):
        clocks.clock(TargetKind.CALLBACK)


def test_a_request_refuses_a_policy_on_calendars_it_was_not_given() -> None:
    with pytest.raises(MissingCalendar, match="CN service hours"):
        RequestClocks.open("R-1", "P1", DEFAULT_SLA_POLICY, CalendarSet([HOTLINE]))
    with pytest.raises(UnknownPriority, match="'P9'"):
        RequestClocks.open("R-1", "P9", DEFAULT_SLA_POLICY, CALENDARS)
    with pytest.raises(InvalidEvent, match="needs an id"):
        RequestClocks.open(" ", "P1", DEFAULT_SLA_POLICY, CALENDARS)


def test_broadcast_verbs_go_to_every_target_they_apply_to() -> None:
    clocks = opened().apply(Stopped(at(2, 9, 8), "李师傅", targets={RESPONSE}))
    clocks = clocks.apply(Paused(at(2, 10), "李师傅", "等待配件"))
    assert clocks.clock(RESPONSE).state is ClockState.STOPPED
    assert clocks.clock(TargetKind.RESOLUTION).state is ClockState.PAUSED
    stored = clocks.clock(TargetKind.RESOLUTION).events[-1]
    assert stored == Paused(at(2, 10), "李师傅", "等待配件", targets={TargetKind.RESOLUTION})
    with pytest.raises(InvalidTransition, match="no target of request R-1 can pause"):
        clocks.apply(Paused(at(2, 10, 5), "李师傅", "again"))
    with pytest.raises(InvalidTransition, match="cannot resume the response target"):
        clocks.apply(Resumed(at(2, 10, 5), "李师傅", targets={RESPONSE}))
    with pytest.raises(UnknownTarget, match="has no callback target"):
        clocks.apply(Resumed(at(2, 10, 5), "李师傅", targets={TargetKind.CALLBACK}))


def test_cancelling_the_request_withdraws_open_targets_and_refuses_anything_after() -> None:
    clocks = opened().apply(Stopped(at(2, 9, 8), "李师傅", targets={RESPONSE}))
    clocks = clocks.apply(Cancelled(at(2, 9, 30), "客服", "业主撤销报修"))
    assert clocks.cancelled
    assert clocks.clock(RESPONSE).state is ClockState.STOPPED  # its outcome stands
    assert clocks.clock(TargetKind.RESOLUTION).state is ClockState.CANCELLED
    with pytest.raises(ClockCancelled, match="request R-1 was cancelled"):
        clocks.apply(Resumed(at(2, 9, 31), "客服"))


def test_a_request_refuses_events_out_of_order() -> None:
    with pytest.raises(EventOutOfOrder, match="last event of request R-1"):
        opened().apply(Stopped(at(2, 8), "a"))


def test_a_priority_change_retargets_adds_and_supersedes_kinds() -> None:
    clocks = RequestClocks.open("R-1", "P3", P1_WITH_RESOLUTION, CALENDARS)
    clocks = clocks.apply(Started(at(2, 9), "客服"))
    raised = clocks.apply(PriorityChanged(at(2, 9, 5), "主管", "燃气味", priority="P1"))
    assert raised.priority == "P1"
    assert raised.initial_priority == "P3"
    assert raised.clock(RESPONSE).deadline == at(2, 9, 10)  # 5 of 10 minutes used
    resolution = raised.clock(TargetKind.RESOLUTION)
    assert resolution.anchor == at(2, 9, 5)  # a kind new to the request starts at the change
    change = raised.events[-1]
    assert isinstance(change, PriorityChanged)
    assert change.policy is PriorityChangePolicy.KEEP_CONSUMED  # filled from the SLA policy
    lowered = raised.apply(PriorityChanged(at(2, 9, 6), "主管", "误报", priority="P3"))
    assert lowered.clock(TargetKind.RESOLUTION).state is ClockState.CANCELLED
    assert lowered.clock(TargetKind.RESOLUTION).events[-1].reason == (
        "superseded: priority changed to P3"
    )
    with pytest.raises(InvalidTransition, match="already at priority P3"):
        lowered.apply(PriorityChanged(at(2, 9, 7), "主管", "x", priority="P3"))
    assert lowered.rebuilt() == lowered


def test_a_target_change_adds_an_agreed_time_to_a_request() -> None:
    clocks = opened("P3", DEFAULT_SLA_POLICY)
    appointment = Target(TargetKind.AGREED_TIME, AgreedTime(at(3, 14)))
    clocks = clocks.apply(
        TargetChanged(at(2, 9, 30), "客服", "与业主约定上门时间", target=appointment)
    )
    assert clocks.kinds == (RESPONSE, TargetKind.AGREED_TIME)
    assert clocks.clock(TargetKind.AGREED_TIME).deadline == at(3, 14)
    paused = clocks.apply(Paused(at(2, 10), "客服", "等待"))
    assert paused.clock(RESPONSE).state is ClockState.PAUSED
    assert paused.clock(TargetKind.AGREED_TIME).state is ClockState.RUNNING  # never pauses
    done = paused.apply(Stopped(at(3, 13, 50), "李师傅"))
    assert all(c.met for c in done.clocks)


def test_a_reopen_without_a_policy_takes_the_sla_policys_and_records_it() -> None:
    policy = attrs.evolve(P1_WITH_RESOLUTION, reopen=ReopenPolicy.NEW_CYCLE)
    clocks = opened("P1", policy).apply(Stopped(at(2, 9, 8), "李师傅"))
    clocks = clocks.apply(Reopened(at(2, 15), "客服", "业主反映仍漏水"))
    assert clocks.events[-1] == Reopened(
        at(2, 15), "客服", "业主反映仍漏水", policy=ReopenPolicy.NEW_CYCLE
    )
    assert all(c.cycle == 2 for c in clocks.clocks)
    assert clocks.rebuilt() == clocks


def test_a_callback_target_starts_when_the_host_starts_it() -> None:
    callback = Target(TargetKind.CALLBACK, Within(86_400, "24x7"), starts_with_request=False)
    policy = DEFAULT_SLA_POLICY.with_target("P2", callback)
    clocks = RequestClocks.open("R-9", "P2", policy, CALENDARS).apply(Started(at(2, 9), "客服"))
    assert clocks.clock(TargetKind.CALLBACK).state is ClockState.NOT_STARTED
    clocks = clocks.apply(Stopped(at(2, 9, 12), "李师傅"))
    assert clocks.clock(TargetKind.CALLBACK).state is ClockState.NOT_STARTED
    clocks = clocks.apply(Started(at(2, 16), "客服", targets={TargetKind.CALLBACK}))
    assert clocks.clock(TargetKind.CALLBACK).deadline == at(3, 16)


# -- replay and properties ---------------------------------------------------------------------

CLOCK_TARGETS = [
    TWO_HOURS_SERVICE,
    TEN_MINUTES,
    SAME_DAY,
    Target(RESPONSE, Within(900, "24x7"), pausable=False),
]
sequences = sla_clock_event_sequences(targets=CLOCK_TARGETS, max_events=10)


@settings(max_examples=150)
@given(sequences)
def test_replaying_a_clocks_events_rebuilds_an_equal_clock(events: tuple[Any, ...]) -> None:
    clock = SlaClock.replay(CLOCK_TARGETS[0], CALENDARS, events)
    assert clock.rebuilt() == clock
    assert clock.events == events


@settings(max_examples=100)
@given(sla_request_event_sequences(max_events=10))
def test_replaying_a_requests_events_rebuilds_equal_clocks(events: tuple[Any, ...]) -> None:
    clocks = RequestClocks.replay("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS, events)
    assert clocks.rebuilt() == clocks
    for clock in clocks.clocks:
        assert clock.rebuilt() == clock


@settings(max_examples=150)
@given(sequences, st.integers(min_value=0, max_value=5 * 86_400))
def test_consumed_time_never_exceeds_the_time_elapsed(events: tuple[Any, ...], later: int) -> None:
    clock = SlaClock.replay(CLOCK_TARGETS[0], CALENDARS, events)
    if clock.anchor is None or clock.state is ClockState.CANCELLED:
        return
    probe = events[-1].at.add(seconds=later)
    used = clock.consumed_at(probe)
    assert 0 <= used <= clock.calendar.between(clock.anchor, probe)
    assert used <= ELAPSED.between(clock.anchor, probe)


@settings(max_examples=150)
@given(
    sequences,
    st.integers(min_value=0, max_value=2 * 86_400),
    st.integers(min_value=0, max_value=2 * 86_400),
)
def test_pausing_never_brings_a_deadline_earlier(
    events: tuple[Any, ...], wait: int, paused_for: int
) -> None:
    clock = SlaClock.replay(CLOCK_TARGETS[0], CALENDARS, events)
    if clock.state is not ClockState.RUNNING or not clock.target.pausable:
        return
    before = clock.deadline
    assert before is not None
    pause_at = events[-1].at.add(seconds=wait)
    after = clock.apply(Paused(pause_at, "a", "等待")).apply(
        Resumed(pause_at.add(seconds=paused_for), "a")
    )
    assert after.deadline is not None
    assert after.deadline >= before


@settings(max_examples=150)
@given(sla_instants(), st.sampled_from([TWO_HOURS_SERVICE, TEN_MINUTES]))
def test_without_pauses_the_deadline_is_the_calendars_add(
    start: pendulum.DateTime, target: Target
) -> None:
    clock = started(target, start)
    assert isinstance(target.spec, Within)
    assert clock.deadline == clock.calendar.add(start, target.spec.seconds)


@settings(max_examples=100)
@given(sla_instants())
def test_without_pauses_the_same_day_deadline_is_the_end_of_a_service_day(
    start: pendulum.DateTime,
) -> None:
    clock = started(SAME_DAY, start)
    deadline = clock.deadline
    assert deadline is not None
    assert clock.service_day is not None
    assert deadline == clock.service_day.due
    assert deadline == SERVICE.windows_on(clock.service_day.due_day)[-1][1]
    assert clock.calendar.add(start, clock.budget) == deadline or clock.budget == 0


# -- a replay folds in place: the same clocks as applying one event at a time ------------------

THREE_TARGETS = DEFAULT_SLA_POLICY.with_target(
    "P2", Target(TargetKind.RESOLUTION, Within(8 * 3600, SERVICE.name))
).with_target(
    "P2", Target(TargetKind.CALLBACK, Within(2 * 86_400, HOTLINE.name), starts_with_request=False)
)
# Weighted towards the verbs a running request takes; a cancel ends a request, so it is rare.
KINDS_OF_EVENT = (
    *(Paused, Resumed, Stopped, Reopened) * 3,
    *(Started, Reset, PriorityChanged, TargetChanged) * 2,
    Cancelled,
)


@st.composite
def request_events(draw: st.DrawFn, when: pendulum.DateTime) -> Any:
    """Any event at ``when`` for a P2 request of three targets: accepted or refused ones."""
    actor = draw(st.sampled_from(["客服小王", "维修李师傅"]))
    choice = draw(st.sampled_from(KINDS_OF_EVENT))
    if choice is PriorityChanged:
        code = draw(st.sampled_from(["P1", "P2", "P3"]))
        return PriorityChanged(when, actor, "重新评估优先级", priority=code)
    if choice is TargetChanged:
        kind = draw(st.sampled_from([RESPONSE, TargetKind.RESOLUTION, TargetKind.AGREED_TIME]))
        spec = draw(
            st.sampled_from(
                [
                    Within(600, HOTLINE.name),
                    Within(7200, SERVICE.name),
                    AgreedTime(when.add(hours=30)),
                ]
            )
        )
        policy = draw(st.sampled_from([None, *PriorityChangePolicy]))
        return TargetChanged(when, actor, "与业主约定", target=Target(kind, spec), policy=policy)
    kind = draw(
        st.sampled_from([None, None, None, RESPONSE, TargetKind.RESOLUTION, TargetKind.CALLBACK])
    )
    if choice is Reopened:
        reopen = draw(st.sampled_from([None, *ReopenPolicy]))
        return Reopened(when, actor, "业主反映未修好", targets=kind, policy=reopen)
    return choice(when, actor, "等待业主", targets=kind)


def folded(data: st.DataObject) -> tuple[RequestClocks, list[Any], pendulum.DateTime]:
    """A request folded one event at a time from drawn events, the refused ones left out.

    Checks on the way that no value already handed out ever changes (a refused event changes
    nothing, an accepted one makes a new value).
    """
    when = data.draw(sla_instants())
    events: list[Any] = [Started(when, "客服小王", "受理")]
    clocks = RequestClocks.open("R-7", "P2", THREE_TARGETS, CALENDARS)
    seen = [(clocks, repr(clocks))]
    clocks = clocks.apply(events[0])
    seen.append((clocks, repr(clocks)))
    for _ in range(data.draw(st.integers(min_value=0, max_value=14))):
        when = when.add(seconds=data.draw(st.integers(min_value=0, max_value=86_400)))
        event = data.draw(request_events(when))
        try:
            clocks = clocks.apply(event)
        except PropcrmError:
            continue
        events.append(event)
        seen.append((clocks, repr(clocks)))
    assert all(repr(value) == text for value, text in seen)
    return clocks, events, when


def outcome(fold: Callable[[], RequestClocks]) -> tuple[str, str]:
    """What a fold gives: the clocks' repr, or the error's class and message."""
    try:
        return "clocks", repr(fold())
    except PropcrmError as error:
        return type(error).__name__, str(error)


@settings(max_examples=60)
@given(st.data())
def test_a_replay_equals_applying_its_events_one_at_a_time(data: st.DataObject) -> None:
    clocks, events, _ = folded(data)
    start = RequestClocks.open("R-7", "P2", THREE_TARGETS, CALENDARS)
    replayed = RequestClocks.replay("R-7", "P2", THREE_TARGETS, CALENDARS, events)
    assert replayed == functools.reduce(RequestClocks.apply, events, start) == clocks
    assert repr(replayed) == repr(clocks)
    assert hash(replayed) == hash(clocks)
    for clock in replayed.clocks:
        single = SlaClock.replay(clock.origin, CALENDARS, clock.events)
        assert single == functools.reduce(
            SlaClock.apply, clock.events, SlaClock.new(clock.origin, CALENDARS)
        )
        assert single == clock


@settings(max_examples=60)
@given(st.data())
def test_a_replay_refuses_an_event_exactly_as_apply_does(data: st.DataObject) -> None:
    clocks, events, when = folded(data)
    later = data.draw(st.sampled_from([when, when.subtract(minutes=1)]))
    extra = data.draw(request_events(later))
    before = repr(clocks)
    applied = outcome(lambda: clocks.apply(extra))
    replayed = outcome(
        lambda: RequestClocks.replay("R-7", "P2", THREE_TARGETS, CALENDARS, [*events, extra])
    )
    assert replayed == applied
    assert repr(clocks) == before


@settings(max_examples=60)
@given(st.data())
def test_the_trusted_fold_builds_what_the_validated_constructors_build(data: st.DataObject) -> None:
    """Every value the fold derives through propcrm._trusted equals its validated rebuild."""
    clocks, _, _ = folded(data)
    assert rebuilt_validated(clocks) == clocks
    for clock in clocks.clocks:
        assert rebuilt_validated(clock) == clock
        for event in clock.events:
            assert rebuilt_validated(event) == event


@given(st.data())
def test_an_addressed_event_equals_the_event_evolved_to_that_target(data: st.DataObject) -> None:
    """``addressed`` (a trusted copy) equals ``attrs.evolve(event, targets={kind})``."""
    when = data.draw(sla_instants())
    event = data.draw(request_events(when))
    kind = data.draw(st.sampled_from(list(TargetKind)))
    if isinstance(event, VerbEvent):
        copy = addressed(event, kind)
        assert copy == attrs.evolve(event, targets={kind}) == rebuilt_validated(copy)
        assert type(copy) is type(event)


def test_a_replayed_broadcast_is_recorded_per_clock_with_that_clock_as_its_target() -> None:
    start = Started(at(2, 9), "客服")
    clocks = RequestClocks.replay("R-7", "P2", THREE_TARGETS, CALENDARS, [start])
    assert clocks.events == (start,)
    assert clocks.clock(RESPONSE).events == (Started(at(2, 9), "客服", targets={RESPONSE}),)
    resolution = clocks.clock(TargetKind.RESOLUTION)
    assert resolution.events == (Started(at(2, 9), "客服", targets={TargetKind.RESOLUTION}),)
    assert clocks.clock(TargetKind.CALLBACK).events == ()


@attrs.frozen
class CappedClock(SlaClock):
    """A subclass with a check of its own, which every fold must still run."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.consumed > 3600:
            raise InvalidEvent(f"a capped clock counts up to an hour, not {self.consumed} s.")


def test_a_subclass_of_the_clock_folds_through_its_own_checks() -> None:
    events = [Started(at(2, 9), "a"), Stopped(at(2, 11), "a")]
    first = CappedClock.new(TWO_HOURS_SERVICE, CALENDARS).apply(events[0])
    assert type(first) is CappedClock
    with pytest.raises(InvalidEvent, match="up to an hour, not 7200 s"):
        first.apply(events[1])
    with pytest.raises(InvalidEvent, match="up to an hour, not 7200 s"):
        CappedClock.replay(TWO_HOURS_SERVICE, CALENDARS, events)
    assert type(CappedClock.replay(TWO_HOURS_SERVICE, CALENDARS, events[:1])) is CappedClock


# -- edges a coverage run showed untested (issue 18: clock) ----------------------------------------


def test_a_request_answered_the_next_morning_was_breached_when_the_desk_opened() -> None:
    # Two service hours from 15:30 on Monday end exactly at closing, 17:30; the first second over
    # the budget is the next working one, 08:30 on Tuesday, not 17:30.
    clock = started(TWO_HOURS_SERVICE, at(2, 15, 30))
    assert (clock.deadline, clock.breached_at) == (at(2, 17, 30), at(3, 8, 30))
    late = clock.apply(Stopped(at(3, 9, 0), "维修工老张", "已到场"))
    assert late.consumed == 2 * 3600 + 1800
    assert (late.deadline, late.breached_at) == (at(2, 17, 30), at(3, 8, 30))
    on_time = clock.apply(Stopped(at(2, 17, 0), "维修工老张", "已到场"))
    assert (on_time.consumed, on_time.breached_at) == (5400, None)


def test_a_clock_refuses_what_is_not_a_target_or_an_event_by_name() -> None:
    with pytest.raises(TypeError) as refused:
        SlaClock.new("response", CALENDARS)  # type: ignore[arg-type]  # wrong on purpose
    assert str(refused.value) == "an SLA clock measures a Target, not 'response'."
    assert refused.value.field == "target"  # type: ignore[attr-defined]
    clock = started(TEN_MINUTES, at(2, 9))
    with pytest.raises(TypeError) as refused:
        clock.apply("stop")  # type: ignore[arg-type]  # wrong on purpose
    assert str(refused.value) == "'stop' is not an SLA event."
    assert refused.value.field == "event"  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match=r"'stop' is not an SLA event\."):
        opened().apply("stop")  # type: ignore[arg-type]  # wrong on purpose


def test_a_priority_change_goes_to_the_request_not_to_one_clock() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    with pytest.raises(InvalidEvent) as refused:
        clock.apply(PriorityChanged(at(2, 9, 5), "主管", "业主投诉升级", priority="P2"))
    assert str(refused.value) == (
        "a priority change is a request-level event; apply it to RequestClocks, which turns it "
        "into a TargetChanged for each target."
    )
    assert refused.value.field == "event"


def test_a_draft_refusing_an_event_one_clock_already_took_is_left_as_before() -> None:
    # The response clock would pause, but the resolution target is stopped and refuses: the
    # draft is rolled back to before the pause, both clocks as they were.
    resolution = TargetKind.RESOLUTION
    draft = RequestClocksDraft(opened())
    draft.apply(Stopped(at(2, 9, 5), "李师傅", targets={resolution}))
    before = draft.frozen()
    with pytest.raises(InvalidTransition, match="cannot pause the resolution target"):
        draft.apply(Paused(at(2, 9, 6), "李师傅", "等待配件", targets={RESPONSE, resolution}))
    assert draft.frozen() == before
    assert [c.state for c in draft.clocks] == [ClockState.RUNNING, ClockState.STOPPED]
    # And it goes on from there: the response is met at 09:08.
    assert draft.apply(Stopped(at(2, 9, 8), "李师傅")).frozen().clock(RESPONSE).met
    with pytest.raises(UnknownTarget, match="request R-1 has no callback target"):
        draft.clock(TargetKind.CALLBACK)


def test_a_request_explains_every_deadline_in_order() -> None:
    assert [why.summary("en_US") for why in opened().explain()] == [
        "response within 10 minutes, on 24x7: due 2026-03-02 09:10",
        "resolution within 4 hours, on CN service hours: due 2026-03-02 14:30",
    ]


def test_a_paused_repair_says_how_much_time_it_had_used_at_any_moment() -> None:
    # Two service hours from 09:00; waiting for parts 09:30–10:00, the owner out from 10:30.
    fresh = SlaClock.new(TWO_HOURS_SERVICE, CALENDARS)
    assert (fresh.last_event_at, fresh.is_open, fresh.when_consumed(0)) == (None, False, None)
    clock = (
        started(TWO_HOURS_SERVICE, at(2, 9))
        .apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
        .apply(Resumed(at(2, 10), "李师傅"))
        .apply(Paused(at(2, 10, 30), "李师傅", "业主不在家"))
    )
    assert (clock.last_event_at, clock.is_open, clock.consumed) == (at(2, 10, 30), True, 3600)
    assert clock.consumed_at(at(2, 9, 15)) == 900  # inside the first stretch
    assert clock.consumed_at(at(2, 9, 45)) == 1800  # during the first pause
    assert clock.consumed_at(at(2, 10, 15)) == 2700  # inside the second stretch
    assert clock.consumed_at(at(2, 11)) == 3600  # paused since 10:30
    assert clock.when_consumed(0) == at(2, 9)
    assert clock.when_consumed(1800) == at(2, 9, 30)
    assert clock.when_consumed(2700) == at(2, 10, 15)
    assert clock.when_consumed(7200) is None  # paused: it has not got there
    stopped = clock.apply(Stopped(at(2, 11), "李师傅"))
    assert (stopped.is_open, stopped.when_consumed(0)) == (False, at(2, 9))


@pytest.mark.parametrize(
    "targets", ["response", 3, [["response"]], [RESPONSE, "resolution"], []], ids=repr
)
def test_an_event_names_its_targets_as_a_set_of_target_kinds(targets: Any) -> None:
    with pytest.raises(InvalidEvent) as refused:
        Started(at(2, 9), "客服小王", targets=targets)
    assert str(refused.value) == (
        f"targets {targets!r} must be None (every target the verb applies to) or a non-empty "
        "set of TargetKind, e.g. {TargetKind.RESPONSE}."
    )
    assert (refused.value.field, refused.value.value) == ("targets", targets)
    assert Started(at(2, 9), "客服小王", targets=RESPONSE).targets == frozenset({RESPONSE})


def test_a_clocks_explanation_carries_its_cycle_start_run_and_stop() -> None:
    # Two service hours from 09:00, waiting for parts 09:30–10:00: due (and breached) at 11:30.
    clock = (
        started(TWO_HOURS_SERVICE, at(2, 9))
        .apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
        .apply(Resumed(at(2, 10), "李师傅"))
    )
    running = clock.explain()
    assert (running.cycle, running.started_at, running.running_since) == (1, at(2, 9), at(2, 10))
    assert (running.deadline, running.breached_at, running.stopped_at) == (
        at(2, 11, 30),
        at(2, 11, 30),
        None,
    )
    assert isinstance(running.calendar_detail, SpanExplanation)
    assert running.calendar_detail.seconds == 2 * 3600 + 1800  # 09:00–11:30, pause included
    paused = clock.apply(Paused(at(2, 10, 30), "李师傅", "业主不在家")).explain()
    assert (paused.deadline, paused.running_since, paused.calendar_detail) == (None, None, None)
    stopped = clock.apply(Stopped(at(2, 11), "李师傅")).explain()
    assert (stopped.stopped_at, stopped.breached_at) == (at(2, 11), None)


def test_a_verb_events_copier_rebuilds_it_with_other_targets() -> None:
    # The copiers are built once at import; read one directly, as the clocks use it.
    make, read, where = _copier(Paused)
    event = Paused(at(2, 9, 20), "李师傅", "等待配件", targets={RESPONSE})
    fields = list(read(event))
    assert fields == [at(2, 9, 20), "李师傅", "等待配件", frozenset({RESPONSE})]
    assert fields[where] == frozenset({RESPONSE})
    assert make(*fields) == event
    fields[where] = frozenset({TargetKind.RESOLUTION})
    assert make(*fields).targets == frozenset({TargetKind.RESOLUTION})


# -- survivors of the mutation run (issue 18: clock) ----------------------------------------------


def test_a_resumed_repair_adds_the_stretch_since_it_resumed_to_what_it_had_used() -> None:
    # Two service hours from 09:00, waiting for parts 09:30–10:00, working again since 10:00.
    clock = (
        started(TWO_HOURS_SERVICE, at(2, 9))
        .apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
        .apply(Resumed(at(2, 10), "李师傅"))
    )
    assert clock.consumed_at(at(2, 10, 15)) == 1800 + 900
    assert clock.remaining(at(2, 10, 15)) == 7200 - 2700


def test_failed_by_without_an_instant_counts_the_closed_stretches_and_a_stop_stands() -> None:
    # Ten minutes to respond from 09:00; the agent paused at 09:12, two minutes late already.
    paused = started(TEN_MINUTES, at(2, 9)).apply(Paused(at(2, 9, 12), "客服小王", "业主稍后回电"))
    assert paused.failed_by() == 120
    # Stopped at 09:13, three minutes over: asking about 09:11 does not undo the stop.
    late = started(TEN_MINUTES, at(2, 9)).apply(Stopped(at(2, 9, 13), "客服小王"))
    assert late.failed_by(at(2, 9, 11)) == 180
    assert late.failed_by(at(2, 10)) == 180


def test_a_clock_asked_about_a_naive_instant_names_the_argument() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    with pytest.raises(NaiveDatetime) as refused:
        clock.consumed_at(datetime.datetime(2026, 3, 2, 9, 5))  # noqa: DTZ001 - the point
    assert refused.value.field == "at"


def test_when_consumed_refuses_a_negative_number_of_seconds() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    with pytest.raises(InvalidDuration) as refused:
        clock.when_consumed(-1)
    assert (refused.value.field, refused.value.value) == ("seconds", -1)


def test_an_outcome_records_the_rule_the_start_the_stop_and_the_deadline() -> None:
    outcome = started(TEN_MINUTES, at(2, 9)).apply(Stopped(at(2, 9, 4), "客服小王")).outcome()
    assert outcome == CycleOutcome(
        cycle=1,
        spec=Within(600, "24x7"),
        started_at=at(2, 9),
        stopped_at=at(2, 9, 4),
        deadline=at(2, 9, 10),
        budget=600,
        consumed=240,
        reopens=0,
    )


def test_asking_a_request_for_a_target_it_lacks_lists_the_ones_it_has() -> None:
    with pytest.raises(UnknownTarget) as refused:
        opened().clock(TargetKind.CALLBACK)
    assert refused.value.allowed == "resolution, response"
    assert str(refused.value) == (
        "request R-1 has no callback target; it has resolution, response."
    )


def test_a_draft_is_made_from_a_requests_clocks_only() -> None:
    with pytest.raises(InvalidType) as refused:
        RequestClocksDraft("R-1")  # type: ignore[arg-type]  # wrong on purpose
    assert (refused.value.field, refused.value.value) == ("clocks", "R-1")


def test_a_draft_raised_to_a_level_with_more_targets_opens_them_as_the_request_does() -> None:
    # P1 answers in ten minutes; P2 in fifteen, with eight service hours to resolve and a
    # call-back that starts only when asked for. Raised to P2 at 09:05 on Monday.
    start = Started(at(2, 9), "客服小王")
    raised = PriorityChanged(at(2, 9, 5), "主管", "业主投诉升级", priority="P2")
    clocks = RequestClocks.open("R-7", "P1", THREE_TARGETS, CALENDARS)
    expected = clocks.apply(start).apply(raised)
    draft = RequestClocksDraft(clocks).apply(start).apply(raised)
    assert [c.kind for c in draft.clocks] == [RESPONSE, TargetKind.RESOLUTION, TargetKind.CALLBACK]
    folded = draft.frozen()
    assert folded == expected
    assert folded.clock(RESPONSE).deadline == at(2, 9, 15)
    # 09:05–12:00 and 13:30–17:30 on Monday are 6 h 55 min; the last 65 min run from 08:30.
    assert folded.clock(TargetKind.RESOLUTION).deadline == at(3, 9, 35)
    assert folded.clock(TargetKind.CALLBACK).state is ClockState.NOT_STARTED
    # The resolution target opened by the change is started by it, addressed to it alone.
    assert folded.clock(TargetKind.RESOLUTION).events == (
        Started(at(2, 9, 5), "主管", "业主投诉升级", targets={TargetKind.RESOLUTION}),
    )


def test_a_draft_folds_its_clocks_in_place() -> None:
    # What makes a draft cheap: the response clock read before the stop is the one that stops.
    draft = RequestClocksDraft(opened())
    response = draft.clock(RESPONSE)
    draft.apply(Stopped(at(2, 9, 8), "李师傅", targets={RESPONSE}))
    assert response.state is ClockState.STOPPED
    assert draft.clock(RESPONSE) is response


def test_a_draft_of_subclassed_clocks_runs_their_checks_at_every_event() -> None:
    # Clocks of a subclass are folded as frozen values, through its own check: a resolution
    # capped at an hour refuses the stop at 11:30 (2.5 service hours) when it is applied.
    base = RequestClocks.open("R-1", "P1", P1_WITH_RESOLUTION, CALENDARS)
    capped = attrs.evolve(
        base, clocks=tuple(CappedClock.new(c.target, CALENDARS) for c in base.clocks)
    )
    start = Started(at(2, 9), "客服")
    draft = RequestClocksDraft(capped).apply(start)
    assert draft.frozen() == capped.apply(start)
    assert [type(c) for c in draft.frozen().clocks] == [CappedClock, CappedClock]
    with pytest.raises(InvalidEvent, match="up to an hour, not 9000 s"):
        draft.apply(Stopped(at(2, 11, 30), "李师傅"))
    assert draft.frozen() == capped.apply(start)


def test_a_refused_verb_carries_the_target_its_state_and_the_verb() -> None:
    with pytest.raises(InvalidTransition) as refused:
        started(TEN_MINUTES, at(2, 9)).apply(Resumed(at(2, 9, 5), "客服小王"))
    assert refused.value.context == {"target": "response", "state": "running", "action": "resume"}


def test_a_replay_takes_a_collection_of_events_not_text() -> None:
    with pytest.raises(InvalidEvent) as refused:
        SlaClock.replay(TEN_MINUTES, CALENDARS, "Started")  # type: ignore[arg-type]  # on purpose
    assert (refused.value.field, refused.value.value) == ("events", "Started")
    with pytest.raises(InvalidEvent) as refused:
        RequestClocks.replay("R-1", "P1", DEFAULT_SLA_POLICY, CALENDARS, "Started")  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.value) == ("events", "Started")


def test_a_cancelled_clock_never_reaches_any_amount_of_time() -> None:
    cancelled = started(TEN_MINUTES, at(2, 9)).apply(Cancelled(at(2, 9, 5), "主管", "重复工单"))
    assert (cancelled.when_consumed(0), cancelled.when_consumed(60)) == (None, None)


def test_when_consumed_counts_single_seconds_from_the_start_of_the_measurement() -> None:
    clock = started(TEN_MINUTES, at(2, 9))
    assert clock.when_consumed(1) == at(2, 9, 0, 1)
    # Reset while waiting for parts: the new measurement starts at the reset, paused.
    reset = (
        started(TWO_HOURS_SERVICE, at(2, 9))
        .apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
        .apply(Reset(at(2, 10), "李师傅", "已告知业主进展"))
    )
    assert (reset.when_consumed(0), reset.when_consumed(1)) == (at(2, 10), None)


def test_a_request_level_change_of_one_target_retargets_that_clock_alone() -> None:
    # The resolution (four service hours from 09:00) is given eight at 10:00: parts are needed.
    eight_hours = Target(TargetKind.RESOLUTION, Within(8 * 3600, SERVICE.name))
    change = TargetChanged(at(2, 10), "主管", "需要订购配件", target=eight_hours)
    kept = opened().apply(change)
    # The SLA policy keeps the time used: 09:00–12:00 and 13:30–17:30 are 7 h, then 08:30–09:30.
    assert kept.events[-1] == attrs.evolve(change, policy=PriorityChangePolicy.KEEP_CONSUMED)
    assert kept.kinds == (RESPONSE, TargetKind.RESOLUTION)
    assert kept.clock(TargetKind.RESOLUTION).deadline == at(3, 9, 30)
    assert kept.clock(RESPONSE) == opened().clock(RESPONSE)
    # A change naming its own policy keeps it: restarted at 10:00, due at 10:30 on Tuesday.
    restarted = opened().apply(attrs.evolve(change, policy=PriorityChangePolicy.RESTART))
    assert restarted.events[-1].policy is PriorityChangePolicy.RESTART
    assert restarted.clock(TargetKind.RESOLUTION).deadline == at(3, 10, 30)


def test_a_priority_change_keeps_a_stopped_targets_outcome_and_an_agreed_time() -> None:
    # A P3 leak: answered at 09:20, a visit agreed for 14:00 on Tuesday, then raised to P1.
    appointment = Target(TargetKind.AGREED_TIME, AgreedTime(at(3, 14)))
    clocks = (
        opened("P3", DEFAULT_SLA_POLICY)
        .apply(Stopped(at(2, 9, 20), "客服", targets={RESPONSE}))
        .apply(TargetChanged(at(2, 9, 30), "客服", "与业主约定上门时间", target=appointment))
    )
    raised = clocks.apply(PriorityChanged(at(2, 10), "主管", "业主投诉升级", priority="P1"))
    assert raised.priority == "P1"
    assert raised.clock(RESPONSE) == clocks.clock(RESPONSE)
    assert raised.clock(RESPONSE).met is True
    agreed = raised.clock(TargetKind.AGREED_TIME)
    assert (agreed.state, agreed.deadline) == (ClockState.RUNNING, at(3, 14))


def test_a_target_added_before_the_request_starts_waits_for_the_start() -> None:
    appointment = Target(TargetKind.AGREED_TIME, AgreedTime(at(3, 14)))
    fresh = RequestClocks.open("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS)
    added = fresh.apply(TargetChanged(at(2, 8), "客服", "预约上门", target=appointment))
    assert [c.state for c in added.clocks] == [ClockState.NOT_STARTED, ClockState.NOT_STARTED]
    begun = added.apply(Started(at(2, 9), "客服"))
    assert begun.clock(TargetKind.AGREED_TIME).anchor == at(2, 9)


def test_a_broadcast_resume_resumes_every_paused_target() -> None:
    # Both targets wait for the owner from 09:05 to 09:20; a resume without targets ends both.
    paused = opened().apply(Paused(at(2, 9, 5), "李师傅", "业主不在家"))
    resumed = paused.apply(Resumed(at(2, 9, 20), "李师傅"))
    assert [c.state for c in resumed.clocks] == [ClockState.RUNNING, ClockState.RUNNING]
    assert resumed.clock(RESPONSE).deadline == at(2, 9, 25)


def test_a_broadcast_reopen_reopens_the_stopped_targets_only() -> None:
    # The response was met at 09:08; the resolution still runs when the owner calls again.
    answered = opened().apply(Stopped(at(2, 9, 8), "客服", targets={RESPONSE}))
    again = answered.apply(Reopened(at(2, 9, 30), "客服", "业主再次来电"))
    assert [c.state for c in again.clocks] == [ClockState.RUNNING, ClockState.RUNNING]
    assert again.clock(RESPONSE).reopens == 1
    assert again.clock(TargetKind.RESOLUTION) == answered.clock(TargetKind.RESOLUTION)


def test_a_broadcast_no_target_can_take_says_what_each_target_is_doing() -> None:
    with pytest.raises(InvalidTransition) as refused:
        opened().apply(Resumed(at(2, 9, 5), "客服"))
    states = (
        "response is running since 2026-03-02T09:00:00+08:00; "
        "resolution is running since 2026-03-02T09:00:00+08:00"
    )
    assert str(refused.value) == f"no target of request R-1 can resume: {states}."
    assert refused.value.context["state"] == states


def test_a_target_superseded_by_a_priority_change_is_cancelled_by_name() -> None:
    # P1 here has a resolution target, P2 only a response: raising it supersedes the resolution.
    raised = opened().apply(PriorityChanged(at(2, 9, 5), "主管", "业主投诉升级", priority="P2"))
    resolution = raised.clock(TargetKind.RESOLUTION)
    assert resolution.state is ClockState.CANCELLED
    assert resolution.events[-1] == Cancelled(
        at(2, 9, 5),
        "主管",
        "superseded: priority changed to P2",
        targets={TargetKind.RESOLUTION},
    )


def test_a_requests_clock_is_looked_up_by_target_kind() -> None:
    with pytest.raises(InvalidType) as refused:
        opened().clock("response")  # type: ignore[arg-type]  # wrong on purpose
    assert (refused.value.field, refused.value.value) == ("kind", "response")


def test_a_priority_that_is_not_text_is_unknown_to_the_policy() -> None:
    with pytest.raises(UnknownPriority):
        RequestClocks.open("R-1", ["P1"], DEFAULT_SLA_POLICY, CALENDARS)  # type: ignore[arg-type]


def test_requests_opened_at_one_level_share_the_clocks_built_for_it() -> None:
    # Fresh policies and calendar sets: the module's cache may hold the shared ones already.
    policy, other_policy = attrs.evolve(P1_WITH_RESOLUTION), attrs.evolve(P1_WITH_RESOLUTION)
    calendars, other_calendars = CalendarSet([HOTLINE, SERVICE]), CalendarSet([HOTLINE, SERVICE])
    first = RequestClocks.open("R-1", "P1", policy, calendars)
    urgent = RequestClocks.open("R-2", "P2", policy, calendars)
    assert urgent.kinds == (RESPONSE,)
    assert urgent.clock(RESPONSE).target.spec == Within(900, "24x7")
    RequestClocks.open("R-3", "P1", other_policy, calendars)
    RequestClocks.open("R-4", "P1", policy, other_calendars)
    assert RequestClocks.open("R-5", "P1", policy, calendars).clocks is first.clocks


def test_the_cache_of_opened_clocks_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    cache: dict[Any, Any] = {}
    monkeypatch.setattr(_request_clocks, "_OPENED", cache)
    limit = _request_clocks._OPENED_MAX
    sets = [CalendarSet([HOTLINE, SERVICE]) for _ in range(limit + 1)]
    for calendars in sets[:limit]:
        RequestClocks.open("R-1", "P1", P1_WITH_RESOLUTION, calendars)
    assert len(cache) == limit
    RequestClocks.open("R-1", "P1", P1_WITH_RESOLUTION, sets[limit])
    assert len(cache) == 1


@attrs.frozen
class ShortRequest(RequestClocks):
    """A subclass with a check of its own on a field the fold changes: at most three events."""

    events: tuple[Any, ...] = attrs.field(default=(), validator=attrs.validators.max_len(3))


def test_a_subclass_of_the_request_folds_through_its_own_checks() -> None:
    request = ShortRequest.open("R-1", "P1", P1_WITH_RESOLUTION, CALENDARS)
    three = (
        request.apply(Started(at(2, 9), "客服"))
        .apply(Paused(at(2, 9, 5), "李师傅", "业主不在家"))
        .apply(Resumed(at(2, 9, 20), "李师傅"))
    )
    assert type(three) is ShortRequest
    assert three.clock(RESPONSE).deadline == at(2, 9, 25)
    with pytest.raises(ValueError, match="events"):
        three.apply(Stopped(at(2, 9, 30), "李师傅"))


def test_a_request_opened_without_calendars_has_none_for_its_policy() -> None:
    with pytest.raises(MissingCalendar) as refused:
        RequestClocks.open("R-1", "P1")
    assert str(refused.value) == (
        "SLA policy 'default' runs on calendar(s) 24x7, CN service hours, which were not "
        "supplied; the calendars are none."
    )
    with pytest.raises(InvalidType) as refused_type:
        RequestClocks.open("R-1", "P1", DEFAULT_SLA_POLICY, "24x7")  # type: ignore[arg-type]
    assert (refused_type.value.field, refused_type.value.value) == ("calendars", "24x7")


def test_a_cancel_while_paused_ends_the_pause_at_the_cancel() -> None:
    paused = started(TWO_HOURS_SERVICE, at(2, 9)).apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
    cancelled = paused.apply(Cancelled(at(2, 10), "主管", "重复工单"))
    assert (cancelled.pauses[-1].since, cancelled.pauses[-1].until) == (at(2, 9, 30), at(2, 10))


def test_a_reset_or_restart_onto_an_agreed_time_already_past_is_refused_with_its_verb() -> None:
    # A visit agreed for 10:00; a progress update at 10:30 would restart it from the past.
    visit = Target(TargetKind.AGREED_TIME, AgreedTime(at(2, 10)))
    with pytest.raises(InvalidTransition) as refused:
        started(visit, at(2, 9)).apply(Reset(at(2, 10, 30), "李师傅", "已告知业主进展"))
    assert refused.value.context["action"] == "reset"
    assert str(refused.value).startswith("cannot reset the agreed_time target at")
    # A response target moved onto that visit at 10:30, restarting: the same refusal.
    moved = TargetChanged(
        at(2, 10, 30),
        "客服",
        "与业主约定",
        target=Target(RESPONSE, AgreedTime(at(2, 10))),
        policy=PriorityChangePolicy.RESTART,
    )
    with pytest.raises(InvalidTransition) as refused:
        started(TEN_MINUTES, at(2, 9)).apply(moved)
    assert refused.value.context["action"] == "target change"


def test_an_agreed_time_due_at_the_very_start_is_refused_with_its_verb() -> None:
    visit = Target(TargetKind.AGREED_TIME, AgreedTime(at(2, 9)))
    with pytest.raises(InvalidTransition) as refused:
        started(visit, at(2, 9))
    assert str(refused.value) == (
        "cannot start the agreed_time target at 2026-03-02T09:00:00+08:00: its agreed time "
        "2026-03-02T09:00:00+08:00 is not after it; agree a later time."
    )
    assert refused.value.context["action"] == "start"


def test_starting_a_running_target_again_says_to_reopen_a_stopped_one() -> None:
    with pytest.raises(InvalidTransition) as refused:
        started(TEN_MINUTES, at(2, 9)).apply(Started(at(2, 9, 5), "客服小王"))
    assert str(refused.value) == (
        "cannot start the response target at 2026-03-02T09:05:00+08:00: it is running since "
        "2026-03-02T09:00:00+08:00; start applies to a clock that is not started (reopen a "
        "stopped one)."
    )


def test_a_pause_and_a_reopen_record_who_when_and_why() -> None:
    paused = started(TWO_HOURS_SERVICE, at(2, 9)).apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
    assert paused.pauses == (PauseRecord(at(2, 9, 30), None, "等待配件", "李师傅"),)
    # Stopped at 10:00, reopened at 15:00 to continue: the time closed is recorded as a gap.
    stopped = paused.apply(Resumed(at(2, 9, 45), "李师傅")).apply(Stopped(at(2, 10), "李师傅"))
    again = stopped.apply(
        Reopened(at(2, 15), "客服", "业主反映仍漏水", policy=ReopenPolicy.CONTINUE)
    )
    assert again.pauses[-1] == PauseRecord(
        at(2, 10), at(2, 15), "业主反映仍漏水", "客服", PauseCause.CLOSED
    )
    assert (again.running_since, again.reopens) == (at(2, 15), 1)


def test_an_agreed_time_reopened_twice_counts_both_reopens() -> None:
    agreed = Target(TargetKind.AGREED_TIME, AgreedTime(at(3, 14)))
    stopped = started(agreed, at(2, 16)).apply(Stopped(at(3, 13), "李师傅"))
    again = stopped.apply(Reopened(at(3, 13, 30), "客服", "没修好", policy=ReopenPolicy.CONTINUE))
    assert again.reopens == 1
    twice = again.apply(Stopped(at(3, 13, 40), "李师傅")).apply(
        Reopened(at(3, 13, 50), "客服", "还是漏", policy=ReopenPolicy.CONTINUE)
    )
    assert twice.reopens == 2


def test_a_reset_while_paused_starts_a_paused_measurement() -> None:
    reset = (
        started(TWO_HOURS_SERVICE, at(2, 9))
        .apply(Paused(at(2, 9, 30), "李师傅", "等待配件"))
        .apply(Reset(at(2, 10), "李师傅", "已告知业主进展"))
    )
    assert (reset.state, reset.running_since, reset.deadline) == (ClockState.PAUSED, None, None)
    assert reset.pauses == (PauseRecord(at(2, 10), None, "等待配件", "李师傅"),)


def test_a_priority_change_needs_a_priority_code() -> None:
    with pytest.raises(InvalidEvent) as refused:
        PriorityChanged(at(2, 9), "主管", "业主投诉升级", priority="")
    assert str(refused.value) == "priority must not be empty, got ''; e.g. 'P1'."
    assert (refused.value.field, refused.value.value) == ("priority", "")


def test_an_event_at_a_naive_instant_names_its_at_field() -> None:
    with pytest.raises(NaiveDatetime) as refused:
        Started(datetime.datetime(2026, 3, 2, 9, 0), "客服小王")  # noqa: DTZ001 - the point
    assert refused.value.field == "at"


@attrs.frozen
class ShortClock(SlaClock):
    """A subclass with a check of its own on a field the fold changes: at most two events."""

    events: tuple[Any, ...] = attrs.field(default=(), validator=attrs.validators.max_len(2))


def test_a_subclass_of_the_clock_checks_every_field_the_fold_changes() -> None:
    short = ShortClock.new(TEN_MINUTES, CALENDARS).apply(Started(at(2, 9), "客服小王"))
    short = short.apply(Paused(at(2, 9, 5), "客服小王", "业主稍后回电"))
    assert (type(short), short.consumed) == (ShortClock, 300)
    with pytest.raises(ValueError, match="events"):
        short.apply(Resumed(at(2, 9, 20), "客服小王"))


@attrs.frozen
class WorkOrderPause(Paused):
    """A pause that also names its work order: a subclass of an event, with a check of its own."""

    work_order: str = attrs.field(kw_only=True, validator=attrs.validators.min_len(1))


def test_a_subclassed_event_reaches_each_clock_as_itself_addressed_to_that_clock() -> None:
    pause = WorkOrderPause(at(2, 9, 5), "李师傅", "等待配件", work_order="WO-1")
    paused = opened().apply(pause)
    for kind in (RESPONSE, TargetKind.RESOLUTION):
        assert paused.clock(kind).events[-1] == WorkOrderPause(
            at(2, 9, 5), "李师傅", "等待配件", targets={kind}, work_order="WO-1"
        )
    assert addressed(pause, RESPONSE).targets == frozenset({RESPONSE})
