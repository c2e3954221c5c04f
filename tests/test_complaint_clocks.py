"""Tests for complaints._clocks: how each step of a request drives its SLA clocks."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest

from propcrm.classification import Category, Location
from propcrm.complaints import (
    SYSTEM,
    Action,
    Actor,
    CallbackOutcome,
    HoldReason,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Quote,
    Request,
    RequestKind,
    Role,
    Step,
    StepData,
)
from propcrm.complaints._clocks import clock_events, open_clocks
from propcrm.complaints._policy import DEFAULT_CALENDARS, DEFAULT_REOPENED_TARGETS
from propcrm.money import Money
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    AgreedTime,
    Cancelled,
    ClockState,
    Paused,
    PriorityChanged,
    Reopened,
    ReopenPolicy,
    Reset,
    Resumed,
    SlaPolicy,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    Within,
)

T0 = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
AGENT = Actor("KF-01", Role.AGENT)
DISPATCHER = Actor("D-01", Role.DISPATCHER)
PLUMBER = Actor("W-07", Role.HANDLER)
MANAGER = Actor("M-1", Role.MANAGER)
OWNER = Actor("P-301", Role.REQUESTER)
R, K, CB, U = TargetKind.RESPONSE, TargetKind.RESOLUTION, TargetKind.CALLBACK, TargetKind.UPDATE


def sla(reopen: ReopenPolicy = ReopenPolicy.CONTINUE) -> SlaPolicy:
    """Response, a 24×7 resolution, a callback after resolution and a progress update."""
    policy = attrs.evolve(DEFAULT_SLA_POLICY, reopen=reopen)
    for p in policy.priorities:
        policy = policy.with_target(p, Target(K, Within(8 * 3600, HOTLINE_CALENDAR)))
        policy = policy.with_target(
            p, Target(CB, Within(2 * 86400, HOTLINE_CALENDAR), starts_with_request=False)
        )
        policy = policy.with_target(p, Target(U, Within(4 * 3600, HOTLINE_CALENDAR)))
    return policy


POLICY = LifecyclePolicy(sla=sla())


def received(kind: RequestKind = RequestKind.REPAIR, policy: LifecyclePolicy = POLICY) -> Request:
    made = Intake(
        request_id="R-1",
        kind=kind,
        requester="P-301",
        channel=IntakeChannel.HOTLINE,
        category=Category.WATER_LEAK,
        location=Location.IN_HOME,
        description="卫生间漏水",
    )
    return Request.receive(made, AGENT, T0, policy)


def step(request: Request, action: Action, actor: Actor, **data: Any) -> Request:
    return request.take(action, actor, request.last_step.at.add(minutes=10), **data)


def dispatched(**kw: Any) -> Request:
    r = step(received(**kw), Action.ACKNOWLEDGE, AGENT)
    r = step(r, Action.ASSESS, AGENT)
    return step(r, Action.DISPATCH, DISPATCHER, assignee="W-07")


def in_progress(**kw: Any) -> Request:
    return step(dispatched(**kw), Action.START, PLUMBER)


def resolved(**kw: Any) -> Request:
    return step(in_progress(**kw), Action.RESOLVE, PLUMBER, note="fixed")


def states(request: Request) -> dict[TargetKind, ClockState]:
    return {c.kind: c.state for c in request.clocks.clocks}


def events_of(request: Request, action: Action, actor: Actor, **data: Any) -> list[Any]:
    """The events ``action`` would send, read without taking it."""
    at = request.last_step.at.add(minutes=10)
    s = Step(action, actor, at, StepData(**data))
    return clock_events(request.clocks, s, POLICY.reopened_targets)


# -- receive --------------------------------------------------------------------------------


def test_open_clocks_starts_what_starts_with_the_request() -> None:
    receipt = received().history[0]
    clocks = open_clocks("R-1", "P2", receipt, POLICY.sla, DEFAULT_CALENDARS)
    assert clocks.events == (Started(T0, "KF-01", "receive"),)
    assert {c.kind: c.state for c in clocks.clocks} == {
        R: ClockState.RUNNING,
        K: ClockState.RUNNING,
        CB: ClockState.NOT_STARTED,
        U: ClockState.RUNNING,
    }
    assert received().clocks == clocks


# -- start ----------------------------------------------------------------------------------


def test_start_stops_the_response_on_site() -> None:
    r = dispatched()
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.START, PLUMBER) == [
        Stopped(at, "W-07", "start", targets=frozenset({R}))
    ]
    after = step(r, Action.START, PLUMBER)
    assert states(after)[R] is ClockState.STOPPED
    assert states(after)[K] is ClockState.RUNNING
    # On site at 09:40, 40 minutes after the call: 急 allows 15 (brief §3).
    assert after.clocks.clock(R).met is False
    assert after.clocks.clock(R).failed_by() == 25 * 60


def test_start_stops_an_agreed_time_too() -> None:
    r = dispatched()
    when = r.last_step.at.add(hours=2)
    r = step(r, Action.AGREE_TIME, AGENT, appointment=when)
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.START, PLUMBER) == [
        Stopped(at, "W-07", "start", targets=frozenset({R, TargetKind.AGREED_TIME}))
    ]
    r = step(r, Action.START, PLUMBER)
    assert r.clocks.clock(TargetKind.AGREED_TIME).met is True


def test_start_with_nothing_on_site_open_sends_nothing() -> None:
    r = step(resolved(), Action.CALL_BACK, AGENT, outcome=CallbackOutcome.DISSATISFIED, score=2)
    assert events_of(r, Action.START, PLUMBER) == []  # the response was met long ago


# -- hold, resume, mediation ----------------------------------------------------------------


def test_hold_pauses_the_running_targets_and_resume_resumes_them() -> None:
    r = in_progress()
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.HOLD, PLUMBER, hold_reason=HoldReason.WAITING_FOR_PARTS) == [
        Paused(at, "W-07", "waiting_for_parts", targets=frozenset({K, U}))
    ]
    held = step(r, Action.HOLD, PLUMBER, hold_reason=HoldReason.WAITING_FOR_PARTS)
    assert states(held)[K] is ClockState.PAUSED
    assert states(held)[R] is ClockState.STOPPED
    resumed = held.take(Action.RESUME, PLUMBER, held.last_step.at.add(hours=3))
    assert resumed.sla_events[-1] == Resumed(
        resumed.last_step.at, "W-07", "resume", targets=frozenset({K, U})
    )
    assert states(resumed)[K] is ClockState.RUNNING


def test_the_hold_does_not_count() -> None:
    r = in_progress()
    running = r.clocks.clock(K).deadline
    held = step(r, Action.HOLD, PLUMBER, hold_reason=HoldReason.WAITING_FOR_OWNER)
    resumed = held.take(Action.RESUME, PLUMBER, held.last_step.at.add(hours=3))
    assert running is not None
    assert resumed.clocks.clock(K).deadline == running.add(hours=3)  # three hours on hold


def test_mediation_pauses_with_the_referral_as_reason() -> None:
    r = step(received(RequestKind.COMPLAINT), Action.ACKNOWLEDGE, AGENT)
    r = step(r, Action.ASSESS, AGENT)
    at = r.last_step.at.add(minutes=10)
    events = events_of(r, Action.REFER_TO_MEDIATION, MANAGER, referral="街道调解委员会", reason="x")
    assert events == [Paused(at, "M-1", "街道调解委员会", targets=frozenset({R, K, U}))]
    r = step(r, Action.REFER_TO_MEDIATION, MANAGER, referral="街道调解委员会", reason="x")
    assert states(r)[K] is ClockState.PAUSED


def test_hold_with_nothing_running_sends_nothing() -> None:
    r = received(policy=LifecyclePolicy())
    r = step(step(r, Action.ACKNOWLEDGE, AGENT), Action.ASSESS, AGENT)
    r = step(step(r, Action.DISPATCH, DISPATCHER, assignee="W-07"), Action.START, PLUMBER)
    assert events_of(r, Action.HOLD, PLUMBER, hold_reason=HoldReason.WAITING_FOR_OWNER) == []
    held = step(r, Action.HOLD, PLUMBER, hold_reason=HoldReason.WAITING_FOR_OWNER)
    assert events_of(held, Action.RESUME, PLUMBER) == []


# -- resolve, call back ---------------------------------------------------------------------


def test_resolve_stops_all_but_the_callback_and_starts_it() -> None:
    r = in_progress()
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.RESOLVE, PLUMBER, note="x") == [
        Stopped(at, "W-07", "resolve", targets=frozenset({K, U})),
        Started(at, "W-07", "resolve", targets=frozenset({CB})),
    ]
    done = step(r, Action.RESOLVE, PLUMBER, note="x")
    assert states(done) == {
        R: ClockState.STOPPED,
        K: ClockState.STOPPED,
        CB: ClockState.RUNNING,
        U: ClockState.STOPPED,
    }


def test_call_back_stops_the_callback() -> None:
    r = resolved()
    at = r.last_step.at.add(minutes=10)
    events = events_of(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.SATISFIED, score=5)
    assert events == [Stopped(at, "KF-01", "call_back", targets=frozenset({CB}))]
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.SATISFIED, score=5)
    assert r.clocks.clock(CB).met is True


def test_a_second_resolution_opens_a_new_callback_cycle() -> None:
    r = step(resolved(), Action.CALL_BACK, AGENT, outcome=CallbackOutcome.DISSATISFIED, score=2)
    r = step(r, Action.START, PLUMBER)
    at = r.last_step.at.add(minutes=10)
    events = events_of(r, Action.RESOLVE, PLUMBER, note="again")
    assert events[-1] == Reopened(
        at,
        "W-07",
        "resolve",
        targets=frozenset({CB}),
        policy=ReopenPolicy.NEW_CYCLE,
    )
    r = step(r, Action.RESOLVE, PLUMBER, note="again")
    callback = r.clocks.clock(CB)
    assert (callback.state, callback.cycle, len(callback.outcomes)) == (ClockState.RUNNING, 2, 1)


# -- reopen ---------------------------------------------------------------------------------


def reopened(reopen: ReopenPolicy) -> Request:
    policy = LifecyclePolicy(sla=sla(reopen))
    r = resolved(policy=policy)
    return step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.DISSATISFIED, score=2)


def test_reopen_reopens_the_policys_targets() -> None:
    r = resolved()
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.SATISFIED, score=5)
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.REOPEN, OWNER, reason="dripping") == [
        Reopened(at, "P-301", "dripping", targets=frozenset({K}))
    ]
    assert {K, TargetKind.SERVICE_DAY} == DEFAULT_REOPENED_TARGETS
    # Response and update are not reopened: the response was given.
    r = step(r, Action.REOPEN, OWNER, reason="dripping")
    assert states(r)[K] is ClockState.RUNNING
    assert states(r)[R] is ClockState.STOPPED
    assert states(r)[U] is ClockState.STOPPED


def test_reopen_with_nothing_to_reopen_sends_nothing() -> None:
    r = resolved()
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.SATISFIED, score=5)
    s = Step(Action.REOPEN, OWNER, r.last_step.at.add(minutes=1), StepData(reason="x"))
    assert clock_events(r.clocks, s, frozenset({TargetKind.SERVICE_DAY})) == []


def test_reopen_continues_the_cycle_under_continue() -> None:
    r = reopened(ReopenPolicy.CONTINUE)
    resolution = r.clocks.clock(K)
    assert (resolution.state, resolution.cycle, resolution.reopens) == (ClockState.RUNNING, 1, 1)
    assert resolution.outcomes == ()
    assert resolution.consumed == 50 * 60  # received 09:00, resolved 09:50: kept


def test_reopen_starts_a_new_cycle_under_new_cycle() -> None:
    r = reopened(ReopenPolicy.NEW_CYCLE)
    resolution = r.clocks.clock(K)
    assert (resolution.state, resolution.cycle) == (ClockState.RUNNING, 2)
    assert len(resolution.outcomes) == 1
    assert resolution.outcomes[0].met
    assert resolution.consumed == 0
    assert Request.replay(r.history, r.policy).clocks == r.clocks


def test_reopen_leaves_an_agreed_time_alone() -> None:
    r = dispatched()
    r = step(r, Action.AGREE_TIME, AGENT, appointment=r.last_step.at.add(hours=2))
    r = step(step(r, Action.START, PLUMBER), Action.RESOLVE, PLUMBER, note="x")
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.DISSATISFIED, score=2)
    s = Step(Action.REOPEN, OWNER, r.last_step.at, StepData(reason="x"))
    assert r.clocks.clock(TargetKind.AGREED_TIME).state is ClockState.STOPPED
    reopened_targets = frozenset({K, TargetKind.AGREED_TIME})
    chosen = clock_events(r.clocks, s, reopened_targets)
    assert all(TargetKind.AGREED_TIME not in (e.targets or ()) for e in chosen)


# -- priority, agreed time, update ----------------------------------------------------------


def test_assess_with_a_new_priority_sends_a_priority_change() -> None:
    r = step(received(), Action.ACKNOWLEDGE, AGENT)
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.ASSESS, AGENT, priority="P1", reason="gas") == [
        PriorityChanged(at, "KF-01", "gas", priority="P1")
    ]
    assert events_of(r, Action.ASSESS, AGENT) == []
    assert events_of(r, Action.ASSESS, AGENT, priority="P2") == []  # confirmed
    r = step(r, Action.ASSESS, AGENT, priority="P1", reason="gas")
    assert r.clocks.priority == "P1"
    assert r.clocks.clock(R).deadline == T0.add(minutes=10)  # 特急: 10 minutes


def test_reprioritise_sends_a_priority_change() -> None:
    r = dispatched()
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.REPRIORITISE, AGENT, priority="P3", reason="slow drip") == [
        PriorityChanged(at, "KF-01", "slow drip", priority="P3")
    ]
    assert step(r, Action.REPRIORITISE, AGENT, priority="P3", reason="x").clocks.priority == "P3"


def test_agree_time_adds_an_agreed_time_target() -> None:
    r = dispatched()
    when = r.last_step.at.add(hours=2)
    at = r.last_step.at.add(minutes=10)
    target = Target(TargetKind.AGREED_TIME, AgreedTime(when))
    assert events_of(r, Action.AGREE_TIME, AGENT, appointment=when) == [
        TargetChanged(at, "KF-01", "agree_time", target=target)
    ]
    assert events_of(r, Action.AGREE_TIME, AGENT, appointment=when, reason="owner asked") == [
        TargetChanged(at, "KF-01", "owner asked", target=target)
    ]
    r = step(r, Action.AGREE_TIME, AGENT, appointment=when)
    agreed = r.clocks.clock(TargetKind.AGREED_TIME)
    assert (agreed.state, agreed.deadline) == (ClockState.RUNNING, when)


def test_update_resets_the_update_target() -> None:
    r = dispatched()
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, Action.UPDATE, AGENT, note="on the way") == [
        Reset(at, "KF-01", "on the way", targets=frozenset({U}))
    ]
    r = step(r, Action.UPDATE, AGENT, note="on the way")
    assert r.clocks.clock(U).deadline == at.add(hours=4)


def test_update_without_an_update_target_sends_nothing() -> None:
    r = received(policy=LifecyclePolicy())
    r = step(r, Action.ACKNOWLEDGE, AGENT)
    assert events_of(r, Action.UPDATE, AGENT, note="x") == []


# -- cancelling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "reason"),
    [
        (Action.REJECT, {"reason": "not ours", "referral": "供水公司"}, "not ours"),
        (Action.MARK_DUPLICATE, {"reason": "same", "duplicate_of": "R-0"}, "same"),
        (Action.WITHDRAW, {"reason": "fixed myself"}, "fixed myself"),
    ],
)
def test_reject_duplicate_and_withdraw_cancel_the_clocks(
    action: Action, data: dict[str, Any], reason: str
) -> None:
    r = received()
    at = r.last_step.at.add(minutes=10)
    assert events_of(r, action, AGENT, **data) == [Cancelled(at, "KF-01", reason)]
    done = step(r, action, AGENT, **data)
    assert done.clocks.cancelled
    assert states(done)[R] is ClockState.CANCELLED


def test_a_declined_quote_cancels_the_clocks() -> None:
    quote = Quote("2026A", "AC", "空调清洗", "1", "台", Money("80.00"), Money("80.00"), T0.date())
    r = step(received(RequestKind.SPECIAL_SERVICE), Action.ACKNOWLEDGE, AGENT)
    r = step(step(r, Action.ASSESS, AGENT), Action.QUOTE, AGENT, quote=quote)
    done = step(r, Action.DECLINE_QUOTE, OWNER, reason="too dear")
    assert done.clocks.cancelled
    assert done.sla_events[-1] == Cancelled(done.last_step.at, "P-301", "too dear")


@pytest.mark.parametrize(
    ("action", "actor", "data"),
    [
        (Action.ACKNOWLEDGE, AGENT, {}),
        (Action.ESCALATE, SYSTEM, {"level": 1, "reason": "x"}),
    ],
)
def test_other_steps_leave_the_clocks_alone(
    action: Action, actor: Actor, data: dict[str, Any]
) -> None:
    r = received()
    assert events_of(r, action, actor, **data) == []
    assert step(r, action, actor, **data).clocks == r.clocks


def test_dispatch_reassign_attempt_and_close_send_nothing() -> None:
    r = step(step(received(), Action.ACKNOWLEDGE, AGENT), Action.ASSESS, AGENT)
    assert events_of(r, Action.DISPATCH, DISPATCHER, assignee="W-07") == []
    r = step(r, Action.DISPATCH, DISPATCHER, assignee="W-07")
    assert events_of(r, Action.REASSIGN, DISPATCHER, assignee="W-08", reason="x") == []
    done = resolved()
    assert events_of(done, Action.CALLBACK_ATTEMPT, AGENT) == []
    called = step(done, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.SATISFIED, score=5)
    assert events_of(called, Action.CLOSE, AGENT) == []
