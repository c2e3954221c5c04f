"""The fast paths of reading a replayed request's clocks equal the step-by-step reference.

A replayed request folds its clocks in one :class:`~propcrm.sla.RequestClocksDraft`, whose
clocks take starts, pauses, resumes and stops in place (POSIX seconds read once per event, the
working time of a stretch read straight from the calendar's index), whose same-day targets ask
a per-day cache, and whose steps skip the event mapping when their action sends nothing. The
live request applied every step to frozen :class:`~propcrm.sla.RequestClocks` through the fold
of :class:`~propcrm.sla.SlaClock`: the reference. These properties hold them equal, value for value.
"""

from __future__ import annotations

import copy
import datetime
import pickle
import re
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.classification import Category, Location
from propcrm.complaints import (
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
    State,
    Step,
    StepData,
)
from propcrm.complaints._clocks import (
    _agreed_time,
    _priority_changed,
    _target,
    _target_changed,
    clock_events,
    open_clocks,
    pause_reason,
)
from propcrm.errors import InvalidDuration, InvalidTransition, PropcrmError
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    AgreedTime,
    BusinessCalendar,
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
    SlaClock,
    SlaPolicy,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    UnconfirmedPolicy,
    Within,
)
from propcrm.sla._calendars import instant_of_posix, posix_instant
from propcrm.sla._clock import (
    _CLOCK_FIELDS,
    _WINDOW_ENDS,
    ClockDraft,
    _deadline_asked,
    business_deadline,
    elapsed_deadline,
)
from propcrm.sla._request_clocks import _REQUEST_FIELDS
from propcrm.sla._request_fold import event_posix as _fold_posix
from propcrm.sla._request_fold import same_day_start
from propcrm.sla._targets import _NEXT_DAY, _SAME_DAY, ELAPSED, service_day_due
from propcrm.testing.strategies import intakes, lifecycle_policies, requests, sla_instants

PAUSED = ClockState.PAUSED
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_identical(fast: RequestClocks, reference: RequestClocks) -> None:
    assert fast == reference
    assert fast.events == reference.events
    for mine, theirs in zip(fast.clocks, reference.clocks, strict=True):
        assert type(mine) is SlaClock
        for name in _CLOCK_FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), name
        assert mine.rebuilt() == mine
        assert rebuilt_validated(mine) == mine
        # A clock built any other way has no deadline plan: it computes its deadline from its
        # fields, and gets the one the fold planned.
        plain = rebuilt_validated(mine)
        assert not hasattr(plain, "_deadline_plan")
        assert (plain.deadline, type(plain.deadline)) == (mine.deadline, type(mine.deadline))
        for event in mine.events:
            rebuilt = rebuilt_validated(event)
            assert rebuilt == event
            assert type(rebuilt.at) is type(event.at)
    for event in fast.events:
        assert rebuilt_validated(event) == event
    assert_read_alike(fast, reference)


def assert_read_alike(fast: RequestClocks, reference: RequestClocks) -> None:
    """What a report reads of each clock equals the calendar's step-by-step answers.

    The fast clocks' deadlines are read from the plans their fold kept; the reference's are
    asked of the calendar, instant by instant.
    """
    read = [(c.state, c.deadline, c.met, c.breached_at) for c in fast.clocks]
    for (state, deadline, met, breached_at), theirs in zip(read, reference.clocks, strict=True):
        asked = (
            None
            if theirs.anchor is None or theirs.state is ClockState.CANCELLED
            else _deadline_asked(theirs, theirs.calendar)
        )
        assert (state, deadline, met) == (theirs.state, asked, theirs.met)
        assert type(deadline) is type(asked)
        assert breached_at == theirs.breached_at


@SLOW
@given(
    requests(
        policy=lifecycle_policies(),
        max_steps=20,
        max_gap_seconds=3 * 86_400,
        starts=sla_instants(tz="UTC") | sla_instants(),
    )
)
def test_replayed_clocks_equal_the_step_by_step_fold(request: Request) -> None:
    # Long gaps cross nights, weekends and holidays on the service calendar; receipts in UTC
    # make the same-day rule convert them to the calendar's zone.
    replayed = Request.replay(request.history, request.policy)
    assert_identical(replayed.clocks, request.clocks)


def _every_target(sla: SlaPolicy) -> SlaPolicy:
    """``sla`` with a resolution, a callback and an update target at every level."""
    for priority in sla.priorities:
        for target in (
            Target(TargetKind.RESOLUTION, Within(4 * 3600, SERVICE_CALENDAR)),
            Target(
                TargetKind.CALLBACK, Within(86_400, HOTLINE_CALENDAR), starts_with_request=False
            ),
            Target(TargetKind.UPDATE, Within(86_400, HOTLINE_CALENDAR)),
        ):
            sla = sla.with_target(priority, target)
    return sla


EVERY_TARGET = _every_target(DEFAULT_SLA_POLICY)
# Every reopen and priority-change policy, on the default levels with every target.
SLA_POLICIES = [
    SlaPolicy(EVERY_TARGET.levels, priority_change=change, reopen=reopen, name="drawn")
    for change in PriorityChangePolicy
    for reopen in ReopenPolicy
]


# -- whole lifecycles: the steps a desk takes, with holds, callbacks and reopens ---------------

AGENT = Actor("KF-01", Role.AGENT)
DISPATCHER = Actor("DD-01", Role.DISPATCHER)
HANDLER = Actor("W-001", Role.HANDLER)


@st.composite
def lifecycles(draw: st.DrawFn, policy: LifecyclePolicy) -> Request:
    """A repair taken through the desk's usual steps, live (its clocks moved at every step).

    The random walk of ``requests`` rarely gets past the first states; this goes through
    holds, agreed times, priority changes, resolutions, dissatisfied callbacks (which the policy
    reopens) and closes, with gaps of up to three days over nights, weekends and holidays.
    """
    gaps = st.integers(0, 3 * 86_400)
    at = draw(sla_instants() | sla_instants(tz="UTC"))

    def later() -> pendulum.DateTime:
        nonlocal at
        at = at.add(seconds=draw(gaps))
        return at

    request = Request.receive(draw(intakes(kinds=[RequestKind.REPAIR])), AGENT, at, policy).take(
        Action.ACKNOWLEDGE, AGENT, later()
    )
    if draw(st.booleans()):
        priority = draw(st.sampled_from([p for p in ("P1", "P2", "P3") if p != request.priority]))
        request = request.take(Action.ASSESS, AGENT, later(), priority=priority, reason="现场判断")
    else:
        request = request.take(Action.ASSESS, AGENT, later())
    request = request.take(Action.DISPATCH, DISPATCHER, later(), assignee=HANDLER.actor_id)
    if draw(st.booleans()):
        when = later()
        appointment = when.add(seconds=draw(st.integers(1, 3 * 86_400)))
        request = request.take(Action.AGREE_TIME, AGENT, when, appointment=appointment)
    for round_ in range(draw(st.integers(1, 3))):
        request = request.take(Action.START, HANDLER, later())
        if draw(st.booleans()):
            priority = draw(
                st.sampled_from([p for p in ("P1", "P2", "P3") if p != request.priority])
            )
            request = request.take(
                Action.REPRIORITISE, AGENT, later(), priority=priority, reason="影响范围扩大"
            )
        for _ in range(draw(st.integers(0, 2))):
            reason = draw(st.sampled_from(list(HoldReason)))
            request = request.take(Action.HOLD, HANDLER, later(), hold_reason=reason)
            request = request.take(Action.RESUME, HANDLER, later())
        if draw(st.booleans()):
            request = request.take(Action.UPDATE, AGENT, later(), note="已联系业主")
        request = request.take(Action.RESOLVE, HANDLER, later(), note="已修复")
        if draw(st.booleans()):
            return request  # still waiting for its callback
        if round_ < 2 and draw(st.booleans()):
            # Dissatisfied: the policy reopens it at once; it is worked and resolved again.
            request = request.take(
                Action.CALL_BACK, AGENT, later(), outcome=CallbackOutcome.DISSATISFIED, score=2
            )
            if request.state is not State.REOPENED:
                return request
            continue
        request = request.take(
            Action.CALL_BACK, AGENT, later(), outcome=CallbackOutcome.SATISFIED, score=5
        )
        break
    if request.state is State.CALLED_BACK and draw(st.booleans()):
        request = request.take(Action.CLOSE, AGENT, later())
    return request


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_replayed_lifecycle_folds_the_clocks_the_live_one_moved(data: st.DataObject) -> None:
    policy = LifecyclePolicy(sla=SLA_POLICIES[data.draw(st.integers(0, len(SLA_POLICIES) - 1))])
    request = data.draw(lifecycles(policy))
    replayed = Request.replay(request.history, policy)
    assert_identical(replayed.clocks, request.clocks)
    # And the mapping sends what the reference mapping sends, step by step.
    clocks = open_clocks(
        request.request_id,
        request.history[0].data.priority or "",
        request.history[0],
        policy.sla,
        policy.calendars,
        draft=True,
    )
    for step in request.history[1:]:
        sent = clock_events(clocks, step, policy.reopened_targets)
        assert sent == reference_events(clocks, step, policy.reopened_targets)
        for event in sent:
            clocks.apply(event)


def reference_events(
    clocks: RequestClocks | RequestClocksDraft, step: Step, reopened: frozenset[TargetKind]
) -> list[Any]:
    """The mapping of steps to clock events as one match, through the validated constructors."""
    at, actor, data = step.at, step.actor.actor_id, step.data
    code = step.action.value
    open_kinds = {c.kind for c in clocks.clocks if c.state in (ClockState.RUNNING, PAUSED)}
    match step.action:
        case Action.START:
            stop = open_kinds & {TargetKind.RESPONSE, TargetKind.AGREED_TIME}
            return [Stopped(at, actor, code, targets=stop)] if stop else []
        case Action.HOLD | Action.REFER_TO_MEDIATION:
            running = {
                c.kind for c in clocks.clocks if c.state is ClockState.RUNNING and c.target.pausable
            }
            return [Paused(at, actor, pause_reason(step), targets=running)] if running else []
        case Action.RESUME:
            paused = {c.kind for c in clocks.clocks if c.state is PAUSED}
            return [Resumed(at, actor, code, targets=paused)] if paused else []
        case Action.RESOLVE:
            events: list[Any] = []
            stop = open_kinds - {TargetKind.CALLBACK}
            if stop:
                events.append(Stopped(at, actor, code, targets=stop))
            for clock in clocks.clocks:
                if clock.kind is TargetKind.CALLBACK and clock.state is ClockState.NOT_STARTED:
                    events.append(Started(at, actor, code, targets={TargetKind.CALLBACK}))
                elif clock.kind is TargetKind.CALLBACK and clock.state is ClockState.STOPPED:
                    events.append(
                        Reopened(
                            at,
                            actor,
                            code,
                            targets={TargetKind.CALLBACK},
                            policy=ReopenPolicy.NEW_CYCLE,
                        )
                    )
            return events
        case Action.CALL_BACK:
            callback = open_kinds & {TargetKind.CALLBACK}
            return [Stopped(at, actor, code, targets=callback)] if callback else []
        case Action.REOPEN:
            chosen = {
                c.kind
                for c in clocks.clocks
                if c.state is ClockState.STOPPED
                and c.kind in reopened
                and not isinstance(c.target.spec, AgreedTime)
            }
            return [Reopened(at, actor, data.reason or code, targets=chosen)] if chosen else []
        case Action.ASSESS | Action.REPRIORITISE:
            if data.priority is None or data.priority == clocks.priority:
                return []
            return [PriorityChanged(at, actor, data.reason or code, priority=data.priority)]
        case Action.AGREE_TIME:
            assert data.appointment is not None
            target = Target(TargetKind.AGREED_TIME, AgreedTime(data.appointment))
            return [TargetChanged(at, actor, data.reason or code, target=target)]
        case Action.UPDATE:
            update = open_kinds & {TargetKind.UPDATE}
            return [Reset(at, actor, data.note or code, targets=update)] if update else []
        case Action.REJECT | Action.MARK_DUPLICATE | Action.WITHDRAW | Action.DECLINE_QUOTE:
            return [Cancelled(at, actor, data.reason or code)]
        case _:
            return []


@SLOW
@given(requests(policy=lifecycle_policies(sla=EVERY_TARGET), max_steps=20))
def test_each_step_sends_the_events_of_the_reference_mapping(request: Request) -> None:
    policy = request.policy
    receipt = request.history[0]
    priority = receipt.data.priority
    assert priority is not None
    clocks = open_clocks(
        request.request_id, priority, receipt, policy.sla, policy.calendars, draft=True
    )
    for step in request.history[1:]:
        sent = clock_events(clocks, step, policy.reopened_targets)
        assert sent == reference_events(clocks, step, policy.reopened_targets)
        assert [type(e) for e in sent] == [
            type(e) for e in reference_events(clocks, step, policy.reopened_targets)
        ]
        for event in sent:
            clocks.apply(event)


def test_the_drafts_copy_lists_are_the_classes_fields() -> None:
    # The drafts copy a frozen value's fields in one statement each: those lists must be the
    # classes' fields, in order.
    assert tuple(f.name for f in attrs.fields(SlaClock)) == _CLOCK_FIELDS
    assert tuple(f.name for f in attrs.fields(RequestClocks)) == _REQUEST_FIELDS


@SLOW
@given(requests(policy=lifecycle_policies(), max_steps=16))
def test_a_draft_copies_and_freezes_every_field(request: Request) -> None:
    clocks = request.clocks
    for clock in clocks.clocks:
        draft = ClockDraft(clock)
        assert all(getattr(draft, n) is getattr(clock, n) for n in _CLOCK_FIELDS)
        assert draft.kind is clock.kind
        assert draft.frozen() == clock
    assert RequestClocksDraft(clocks).frozen() == clocks


# -- the same-day rule's cache ----------------------------------------------------------------


@attrs.frozen
class _Uncached:
    """A calendar that is not a BusinessCalendar: the same-day rule asks it afresh each time."""

    inner: BusinessCalendar

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def zone(self) -> str:
        return self.inner.zone

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)

    def windows_on(self, day: datetime.date) -> Any:
        return self.inner.windows_on(day)


_CN = BusinessCalendar.china_service_hours(unconfirmed=UnconfirmedPolicy.PROVISIONAL)


@settings(max_examples=200, deadline=None)
@given(
    at=sla_instants() | sla_instants(tz="UTC") | sla_instants(tz="America/New_York"),
    cutoff=st.sampled_from(
        [datetime.time(16, 0), datetime.time(12, 0), datetime.time(9, 15), datetime.time(23, 0)]
    ),
)
def test_the_same_day_rule_answers_as_without_its_cache(
    at: pendulum.DateTime, cutoff: datetime.time
) -> None:
    cached = service_day_due(_CN, at, cutoff)
    again = service_day_due(_CN, at, cutoff)
    fresh = service_day_due(_Uncached(_CN), at, cutoff)
    # A stdlib datetime takes aware()'s way in, not the shortcut for pendulum instants.
    stdlib = datetime.datetime(
        at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond, at.tzinfo
    ).replace(fold=at.fold)
    assert type(stdlib) is datetime.datetime
    assert cached == again == fresh == service_day_due(_CN, stdlib, cutoff)
    for name in ("service_day", "due_day"):
        assert type(getattr(cached, name)) is type(getattr(fresh, name))


# -- a short span skips the horizon's look-ups --------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(start=sla_instants(), seconds=st.integers(0, 48 * 366 * 86_400))
def test_between_counts_a_span_as_with_the_horizon_check(
    start: pendulum.DateTime, seconds: int
) -> None:
    always = BusinessCalendar.always()
    end = start.add(seconds=seconds)
    assert always.between(start, end) == seconds
    assert always.between(end, start) == -seconds


def test_the_longest_unchecked_span_is_within_the_horizon() -> None:
    # From the last second of a year, the short span reaches at most 48 years later.
    always = BusinessCalendar.always(zone="UTC")
    start = pendulum.datetime(2026, 12, 31, 23, 59, 59)
    end = start.add(seconds=(BusinessCalendar.HORIZON_YEARS - 2) * 365 * 86_400)
    assert end.year - start.year <= BusinessCalendar.HORIZON_YEARS
    assert always.between(start, end) == int((end - start).total_seconds())


def test_an_agreed_time_already_past_is_refused_by_the_draft_as_by_apply() -> None:
    calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
    nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    opened = RequestClocks.open("R-1", "P2", DEFAULT_SLA_POLICY, calendars)
    started = opened.apply(Started(nine, "客服小王"))
    for due in (nine.add(minutes=30), nine.add(minutes=10), nine.subtract(minutes=1)):
        change = TargetChanged(
            nine.add(minutes=10),
            "客服小王",
            "业主约定时间",
            target=Target(TargetKind.AGREED_TIME, AgreedTime(due)),
        )
        draft = RequestClocksDraft(started)
        if due > change.at:
            assert draft.apply(change).frozen() == started.apply(change)
            continue
        with pytest.raises(InvalidTransition) as refused:
            started.apply(change)
        with pytest.raises(InvalidTransition) as raised:
            draft.apply(change)
        assert str(raised.value) == str(refused.value)
        assert draft.frozen() == started


# -- the deadlines a fold plans --------------------------------------------------------------


_INTAKE = Intake(
    request_id="R-1",
    kind=RequestKind.REPAIR,
    requester="P-301",
    channel=IntakeChannel.HOTLINE,
    category=Category.WATER_LEAK,
    location=Location.IN_HOME,
    description="卫生间漏水",
)


def test_a_replayed_request_plans_its_clocks_deadlines_and_no_other_clock_has_one() -> None:
    nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    policy = LifecyclePolicy(sla=EVERY_TARGET)
    live = (
        Request.receive(_INTAKE, AGENT, nine, policy)
        .take(Action.ACKNOWLEDGE, AGENT, nine.add(minutes=1))
        .take(Action.ASSESS, AGENT, nine.add(minutes=2))
        .take(Action.DISPATCH, DISPATCHER, nine.add(minutes=3), assignee=HANDLER.actor_id)
        .take(Action.START, HANDLER, nine.add(minutes=15))  # (the response's whole budget)
        .take(Action.HOLD, HANDLER, nine.add(hours=1), hold_reason=HoldReason.WAITING_FOR_PARTS)
    )
    replayed = Request.replay(live.history, policy).clocks
    planned = {c.kind: c._deadline_plan for c in replayed.clocks if hasattr(c, "_deadline_plan")}
    # The response stopped as its budget ran out (in the stretch from the receipt), the
    # resolution and the update paused with budget left (no deadline); the callback has not
    # started (no plan: its deadline is None).
    assert set(planned) == {TargetKind.RESPONSE, TargetKind.RESOLUTION, TargetKind.UPDATE}
    assert planned[TargetKind.RESOLUTION] == planned[TargetKind.UPDATE] == ()
    assert planned[TargetKind.RESPONSE][2:] == (nine.int_timestamp, 0, 900)
    for mine, theirs in zip(replayed.clocks, live.clocks.clocks, strict=True):
        assert not hasattr(theirs, "_deadline_plan")  # (folded by SlaClock.apply)
        for other in (
            attrs.evolve(mine),
            copy.copy(mine),
            pickle.loads(pickle.dumps(mine)),
            rebuilt_validated(mine),
        ):
            assert other == mine
            assert not hasattr(other, "_deadline_plan")
            assert other.deadline == mine.deadline == theirs.deadline


def test_a_priority_change_that_keeps_the_time_consumed_plans_on_the_new_budget() -> None:
    # The resolution runs out of its budget before a hold, then changes level keeping the time
    # consumed: the deadline is where the new budget ran out, not the old one.
    sla = EVERY_TARGET
    for priority, hours in (("P1", 2), ("P2", 3), ("P3", 4)):
        sla = sla.with_target(
            priority, Target(TargetKind.RESOLUTION, Within(hours * 3600, SERVICE_CALENDAR))
        )
    sla = SlaPolicy(sla.levels, priority_change=PriorityChangePolicy.KEEP_CONSUMED, name="kept")
    policy = LifecyclePolicy(sla=sla)
    nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")  # (a Tuesday)
    live = (
        Request.receive(_INTAKE, AGENT, nine, policy)
        .take(Action.ACKNOWLEDGE, AGENT, nine.add(minutes=1))
        .take(Action.ASSESS, AGENT, nine.add(minutes=2))
        .take(Action.DISPATCH, DISPATCHER, nine.add(minutes=3), assignee=HANDLER.actor_id)
        .take(Action.START, HANDLER, nine.add(minutes=10))
        .take(Action.HOLD, HANDLER, nine.add(hours=6), hold_reason=HoldReason.WAITING_FOR_PARTS)
        .take(Action.RESUME, HANDLER, nine.add(hours=6, minutes=30))
    )
    other = next(p for p in ("P1", "P2", "P3") if p != live.priority)
    live = live.take(Action.REPRIORITISE, AGENT, nine.add(hours=7), priority=other, reason="升级")
    replayed = Request.replay(live.history, policy).clocks
    assert_identical(replayed, live.clocks)
    resolution = replayed.clock(TargetKind.RESOLUTION)
    assert resolution.consumed > resolution.budget  # (4.5 hours of service time)


@pytest.mark.parametrize("change", list(PriorityChangePolicy))
def test_a_target_a_new_priority_adds_on_hold_is_paused_at_once_in_a_replay(
    change: PriorityChangePolicy,
) -> None:
    # Only P1 has an update target: raised to P1 while on hold, the request starts it, and the
    # wait pauses it at the same instant (the step after which the replay says it waits).
    sla = SlaPolicy(
        DEFAULT_SLA_POLICY.with_target(
            "P1", Target(TargetKind.UPDATE, Within(86_400, HOTLINE_CALENDAR))
        ).levels,
        priority_change=change,
        name="update at P1",
    )
    policy = LifecyclePolicy(sla=sla)
    nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    live = (
        Request.receive(_INTAKE, AGENT, nine, policy)
        .take(Action.ACKNOWLEDGE, AGENT, nine.add(minutes=1))
        .take(Action.ASSESS, AGENT, nine.add(minutes=2), priority="P3", reason="不急")
        .take(Action.DISPATCH, DISPATCHER, nine.add(minutes=3), assignee=HANDLER.actor_id)
        .take(Action.START, HANDLER, nine.add(minutes=10))
        .take(Action.HOLD, HANDLER, nine.add(hours=1), hold_reason=HoldReason.WAITING_FOR_OWNER)
        .take(Action.UPDATE, AGENT, nine.add(hours=2), note="已联系业主")
        .take(Action.REPRIORITISE, AGENT, nine.add(hours=3), priority="P1", reason="漏水加重")
        .take(Action.UPDATE, AGENT, nine.add(hours=3, minutes=30), note="师傅明天到")
        .take(Action.RESUME, HANDLER, nine.add(hours=4))
    )
    update = live.clocks.clock(TargetKind.UPDATE)
    # Started and paused by the change, measured again from the update, resumed with the work.
    assert [type(e) for e in update.events if e.at == nine.add(hours=3)] == [Started, Paused]
    assert update.anchor == nine.add(hours=3, minutes=30)
    replayed = Request.replay(live.history, policy)
    assert_identical(replayed.clocks, live.clocks)
    # A request built by its constructor (not by a replay) folds the same clocks.
    assert_identical(attrs.evolve(replayed).clocks, live.clocks)


@settings(max_examples=100, deadline=None)
@given(
    at=sla_instants() | sla_instants(tz="UTC") | sla_instants(tz="America/New_York"),
    ahead=st.integers(1, 5 * 86_400),
    microseconds=st.sampled_from([0, 1, 999_999]),
    tz=st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York", "Australia/Lord_Howe"]),
)
def test_an_agreed_time_in_any_zone_folds_its_budget_as_the_elapsed_calendar(
    at: pendulum.DateTime, ahead: int, microseconds: int, tz: str
) -> None:
    policy = LifecyclePolicy()
    appointment = at.add(seconds=3 + ahead, microseconds=microseconds).in_timezone(tz)
    live = (
        Request.receive(_INTAKE, AGENT, at, policy)
        .take(Action.ACKNOWLEDGE, AGENT, at.add(microseconds=microseconds))
        .take(Action.ASSESS, AGENT, at.add(seconds=1))
        .take(Action.DISPATCH, DISPATCHER, at.add(seconds=2), assignee=HANDLER.actor_id)
        .take(Action.AGREE_TIME, AGENT, at.add(seconds=3), appointment=appointment)
    )
    replayed = Request.replay(live.history, policy)
    assert_identical(replayed.clocks, live.clocks)


def test_an_agreed_time_beyond_the_elapsed_span_is_refused_when_read_as_before() -> None:
    nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    policy = LifecyclePolicy()
    live = (
        Request.receive(_INTAKE, AGENT, nine, policy)
        .take(Action.ACKNOWLEDGE, AGENT, nine.add(minutes=1))
        .take(Action.ASSESS, AGENT, nine.add(minutes=2))
        .take(Action.DISPATCH, DISPATCHER, nine.add(minutes=3), assignee=HANDLER.actor_id)
        .take(Action.AGREE_TIME, AGENT, nine.add(minutes=4), appointment=nine.add(years=60))
    )
    replayed = Request.replay(live.history, policy)
    errors = []
    for clocks in (live.clocks, replayed.clocks):
        with pytest.raises(InvalidDuration) as refused:
            _ = clocks.clock(TargetKind.AGREED_TIME).deadline
        errors.append(str(refused.value))
    assert errors[0] == errors[1]


@settings(max_examples=300, deadline=None)
@given(
    start=sla_instants() | sla_instants(tz="UTC") | sla_instants(tz="America/New_York"),
    seconds=st.integers(0, 400 * 86_400) | st.integers(0, 3 * 3600),
    microsecond=st.sampled_from([0, 1, 500_000, 999_999]),
)
def test_an_elapsed_deadline_planned_is_the_elapsed_calendars_sum(
    start: pendulum.DateTime, seconds: int, microsecond: int
) -> None:
    # Over daylight saving's changes too: the same instant, zone, fold and offset.
    start = start.replace(microsecond=microsecond)
    planned = elapsed_deadline(start, *posix_instant(start), seconds)
    added = ELAPSED.add(start, seconds)
    assert planned == added
    assert type(planned) is type(added)
    assert planned.tzinfo is added.tzinfo
    assert (planned.fold, planned.utcoffset()) == (added.fold, added.utcoffset())
    assert planned.isoformat() == added.isoformat()


# -- the POSIX seconds a fold reads --------------------------------------------------------------


# Days on which a zone's offset changes: daylight saving's starts and ends (an hour, half an
# hour at Lord Howe, at midnight in Santiago and Havana), and a zone that moved to the other
# side of the date line (Apia skipped 30 December 2011).
_CHANGING = [
    ("America/New_York", (2026, 3, 8)),
    ("America/New_York", (2026, 11, 1)),
    ("Australia/Lord_Howe", (2026, 4, 5)),
    ("Australia/Lord_Howe", (2026, 10, 4)),
    ("America/Santiago", (2026, 4, 5)),
    ("America/Santiago", (2026, 9, 6)),
    ("America/Havana", (2026, 3, 8)),
    ("America/Havana", (2026, 11, 1)),
    ("Pacific/Apia", (2011, 12, 29)),
    ("Pacific/Apia", (2011, 12, 31)),
    ("Asia/Shanghai", (1991, 4, 14)),
    ("Asia/Shanghai", (1991, 9, 15)),
]


@pytest.mark.parametrize(("tz", "day"), _CHANGING)
def test_a_fold_reads_an_instant_on_a_day_its_zone_changes_offset_as_its_timestamp(
    tz: str, day: tuple[int, int, int]
) -> None:
    # Every quarter hour of the day and the days around it, both occurrences of a repeated
    # wall time, and microseconds.
    start = pendulum.datetime(*day, tz=tz).subtract(days=1)
    for quarter in range(3 * 96):
        at = start.add(minutes=15 * quarter)
        for instant in (at, at.add(microseconds=1), at.add(seconds=899, microseconds=999_999)):
            stamp = datetime.datetime.timestamp(instant)
            us = instant.microsecond
            expected = (int(stamp), 0) if not us else (round(stamp - us / 1_000_000), us)
            assert _fold_posix(instant) == expected, instant.isoformat()


@settings(max_examples=300, deadline=None)
@given(
    seconds=st.integers(0, 80 * 366 * 86_400),
    microsecond=st.sampled_from([0, 1, 999_999]),
    tz=st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York", "Australia/Lord_Howe"]),
)
def test_a_fold_reads_any_instant_as_its_timestamp(seconds: int, microsecond: int, tz: str) -> None:
    at = pendulum.from_timestamp(seconds, tz=tz).replace(microsecond=microsecond)
    stamp = datetime.datetime.timestamp(at)
    expected = (
        (int(stamp), 0) if not microsecond else (round(stamp - microsecond / 1e6), microsecond)
    )
    assert _fold_posix(at) == expected


@pytest.mark.parametrize(("tz", "day"), _CHANGING)
def test_an_instant_built_from_posix_seconds_keeps_its_wall_time_and_fold(
    tz: str, day: tuple[int, int, int]
) -> None:
    # Every five minutes of the day and the days around it: a repeated wall time's second
    # occurrence is built with fold=1 (keywords), any other positionally; both are the instant.
    zone = pendulum.timezone(tz)
    first = int(pendulum.datetime(*day, tz=tz).subtract(days=1).timestamp())
    for posix in range(first, first + 3 * 86_400, 300):
        for us in (0, 999_999):
            built = instant_of_posix(posix, us, zone)
            local = datetime.datetime.fromtimestamp(posix, zone)
            assert type(built) is pendulum.DateTime
            assert built.tzinfo is zone
            assert (built.replace(tzinfo=None), built.fold) == (
                local.replace(tzinfo=None, microsecond=us),
                local.fold,
            )
            assert datetime.datetime.timestamp(built) == posix + us / 1_000_000


@settings(max_examples=300, deadline=None)
@given(
    at=sla_instants() | sla_instants(tz="UTC") | sla_instants(tz="America/New_York"),
    cutoff=st.sampled_from(
        [datetime.time(16, 0), datetime.time(12, 0), datetime.time(9, 15), datetime.time(23, 0)]
    ),
    memos_emptied=st.booleans(),
    near=st.none()
    | st.tuples(
        st.sampled_from([0, -1, 1]) | st.integers(-120, 120), st.sampled_from([0, 1, 999_999])
    ),
)
def test_a_fold_starts_a_same_day_target_as_the_rule_and_the_calendar_answer(
    at: pendulum.DateTime,
    cutoff: datetime.time,
    memos_emptied: bool,
    near: tuple[int, int] | None,
) -> None:
    # The fold's start of a same-day target (the day's kept answers, the index from POSIX
    # seconds) against service_day_due and between on the calendar itself, or refused alike;
    # ``near``: seconds and microseconds around the cut-off of the instant's day.
    if near is not None:
        seconds, us = near
        at = at.replace(hour=cutoff.hour, minute=cutoff.minute, second=0, microsecond=us)
        at = at.add(seconds=seconds)
    if memos_emptied:
        _SAME_DAY.clear()
        _NEXT_DAY.clear()
        _WINDOW_ENDS.clear()
    try:
        expected: Any = service_day_due(_CN, at, cutoff)
    except PropcrmError as error:
        with pytest.raises(type(error), match=re.escape(str(error))):
            same_day_start(_CN, cutoff, at, posix_instant(at))
        return
    due, budget = same_day_start(_CN, cutoff, at, posix_instant(at))
    assert due == expected
    assert budget == _CN.between(at, expected.due)
    for name in ("service_day", "due_day", "cutoff_at", "due"):
        assert type(getattr(due, name)) is type(getattr(expected, name))
    assert rebuilt_validated(due) == due


@settings(max_examples=300, deadline=None)
@given(
    start=sla_instants() | sla_instants(tz="UTC"),
    microsecond=st.sampled_from([0, 1, 999_999]),
    seconds=st.integers(0, 30 * 86_400),
    calendar=st.sampled_from([_CN, BusinessCalendar.always()]),
)
def test_a_deadline_planned_on_a_business_calendar_is_the_calendars_sum(
    start: pendulum.DateTime, microsecond: int, seconds: int, calendar: BusinessCalendar
) -> None:
    # What a clock's plan computes when its deadline is read (the index's sum and the instant
    # built in place) against the calendar's own add, microseconds and all.
    start = start.replace(microsecond=microsecond)
    planned = business_deadline(calendar, *posix_instant(start), seconds)
    expected = calendar.add(start, seconds)
    assert (planned, type(planned), planned.tzinfo) == (expected, type(expected), expected.tzinfo)
    assert planned.isoformat() == expected.isoformat()


@settings(max_examples=200, deadline=None)
@given(
    appointment=sla_instants() | sla_instants(tz="UTC") | sla_instants(tz="America/New_York"),
    fixed=st.booleans(),
    priority=st.sampled_from(["P1", "P2", "P3"]),
    change=st.sampled_from(list(PriorityChangePolicy)),
)
def test_a_replays_agreed_time_and_priority_change_are_built_as_validated(
    appointment: pendulum.DateTime, fixed: bool, priority: str, change: PriorityChangePolicy
) -> None:
    # What a replay sends for an agreed time and a priority change, built without validators
    # from a step's checked data, against the same built by the constructors.
    if fixed:  # (a fixed offset, as a stdlib datetime the step's converter took in)
        offset = datetime.timezone(appointment.utcoffset())
        appointment = datetime.datetime.fromtimestamp(appointment.timestamp(), offset)
    due = StepData(appointment=appointment).appointment
    assert due is not None
    spec = _agreed_time(due)
    target = _target(TargetKind.AGREED_TIME, spec, False, True)
    expected = Target(TargetKind.AGREED_TIME, AgreedTime(due))
    assert target == expected
    assert (type(spec.due), spec.due.tzinfo, spec.due.fold) == (
        type(expected.spec.due),
        expected.spec.due.tzinfo,
        expected.spec.due.fold,
    )
    at = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
    changed = _target_changed(at, "KF-01", "agree_time", target, change)
    assert changed == TargetChanged(at, "KF-01", "agree_time", target=expected, policy=change)
    assert rebuilt_validated(changed) == changed
    moved = _priority_changed(at, "KF-01", "assess", priority, change)
    assert moved == PriorityChanged(at, "KF-01", "assess", priority=priority, policy=change)
    assert rebuilt_validated(moved) == moved
