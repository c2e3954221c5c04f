"""A request's clocks folded in one pass (RequestClocksFold) equal the step-by-step fold.

:class:`~propcrm.sla.RequestClocksFold` picks the clocks a verb goes to, builds the event and
moves the clocks over plain fields, and folds cancels, added targets and priority changes
itself; everything else it hands to :meth:`RequestClocks.apply`. These properties hold it equal
to :meth:`RequestClocks.apply` event by event (values, errors, and the values it builds
without validators), for generated event sequences, for generated sends, and for the
benchmark's kind of policy (three targets on two calendars, one starting at the resolution).
"""

from __future__ import annotations

import datetime
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_sla_fast_fold import AGENT, lifecycles

from propcrm._trusted import rebuilt_validated
from propcrm.complaints import SYSTEM, Action, LifecyclePolicy, Request, Step
from propcrm.errors import PropcrmError
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
    RequestClocksFold,
    Resumed,
    SameServiceDay,
    SlaPolicy,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    Within,
)
from propcrm.sla._request_fold import _OPENED, _ZONE_DAYS
from propcrm.testing.strategies import sla_instants, sla_request_event_sequences

CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
RESPONSE, RESOLUTION, CALLBACK = TargetKind.RESPONSE, TargetKind.RESOLUTION, TargetKind.CALLBACK
UPDATE, AGREED = TargetKind.UPDATE, TargetKind.AGREED_TIME


def _benchmark_like(sla: SlaPolicy) -> SlaPolicy:
    """``sla`` with resolution targets on service hours and a callback, as the benchmark's."""
    for priority, budget in (("P1", 4 * 3600), ("P2", 27_000), ("P3", 54_000)):
        sla = sla.with_target(
            priority, Target(RESOLUTION, Within(budget, SERVICE_CALENDAR))
        ).with_target(
            priority,
            Target(CALLBACK, Within(2 * 86_400, HOTLINE_CALENDAR), starts_with_request=False),
        )
    # An update target at one level only: a priority change opens or supersedes it.
    return sla.with_target("P1", Target(UPDATE, Within(3600, HOTLINE_CALENDAR)))


BENCHMARK_LIKE = _benchmark_like(DEFAULT_SLA_POLICY)
POLICIES = [
    SlaPolicy(BENCHMARK_LIKE.levels, priority_change=change, reopen=reopen, name="drawn")
    for change in PriorityChangePolicy
    for reopen in ReopenPolicy
]
VERB_STATES = {
    Started: [ClockState.NOT_STARTED],
    Paused: [ClockState.RUNNING],
    Resumed: [ClockState.PAUSED],
    Stopped: [ClockState.RUNNING, ClockState.PAUSED],
    Reopened: [ClockState.STOPPED],
}
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(clocks: RequestClocks | RequestClocksFold, event: Any) -> tuple[Any, Any]:
    """``clocks`` after ``event`` (frozen), or the error it raised as (type, message, context)."""
    try:
        if isinstance(clocks, RequestClocksFold):
            clocks.apply(event)
            return clocks.frozen(), None
        return clocks.apply(event), None
    except PropcrmError as error:
        return None, (type(error), str(error), error.context)


def assert_identical(fast: RequestClocks, reference: RequestClocks) -> None:
    """Equal, field for field, and every value built without validators equal to its rebuild."""
    assert fast == reference
    assert fast.events == reference.events
    assert fast.priority == reference.priority
    assert fast.cancelled is reference.cancelled
    for mine, theirs in zip(fast.clocks, reference.clocks, strict=True):
        for field in ("segments", "pauses", "events", "service_day", "outcomes", "target"):
            assert getattr(mine, field) == getattr(theirs, field), field
        assert rebuilt_validated(mine) == mine
        for value in (*mine.events, *mine.segments, *mine.pauses):
            assert rebuilt_validated(value) == value
    for event in fast.events:
        assert rebuilt_validated(event) == event


@SETTINGS
@given(sla_request_event_sequences(max_events=14))
def test_a_fold_applies_every_event_as_apply_does(events: tuple[Any, ...]) -> None:
    reference = RequestClocks.open("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS)
    fold = RequestClocksFold("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS)
    for event in events:
        reference = reference.apply(event)
        fold.apply(event)
        assert_identical(fold.frozen(), reference)
        # Each event again (most are refused now): the same error, and nothing changed.
        again, error = outcome(reference, event)
        mine, my_error = outcome(fold, event)
        assert my_error == error
        if error is None:
            reference = again
            assert mine == again
        assert_identical(fold.frozen(), reference)


@st.composite
def sends(draw: st.DrawFn) -> tuple[SlaPolicy, str, list[tuple[Any, ...]]]:
    """A policy, a priority, and a history of sends and other events at increasing instants."""
    policy = draw(st.sampled_from(POLICIES))
    priority = draw(st.sampled_from(policy.priorities))
    at = draw(sla_instants() | sla_instants(tz="UTC"))
    history: list[tuple[Any, ...]] = [("start", at)]
    for _ in range(draw(st.integers(0, 16))):
        at = at.add(
            seconds=draw(st.sampled_from([0, 60, 3600, 86_400])) + draw(st.integers(0, 3 * 86_400))
        )
        what = draw(st.sampled_from(["send"] * 8 + ["priority", "agree", "cancel"]))
        if what == "send":
            verb = draw(st.sampled_from([Started, Paused, Resumed, Stopped, Reopened]))
            # Mostly the states the verb applies to (a sender's case), sometimes any.
            states = draw(
                st.just(list(VERB_STATES[verb]))
                | st.lists(st.sampled_from(list(ClockState)), min_size=1, unique=True)
            )
            kinds = draw(
                st.none()
                | st.lists(
                    st.sampled_from([RESPONSE, RESOLUTION, CALLBACK, UPDATE, AGREED]),
                    min_size=1,
                    unique=True,
                )
            )
            history.append(
                ("send", verb, at, states, kinds, draw(st.booleans()), draw(st.booleans()))
            )
        elif what == "priority":
            history.append(
                (
                    "event",
                    PriorityChanged(
                        at, "主管", "现场判断", priority=draw(st.sampled_from(policy.priorities))
                    ),
                )
            )
        elif what == "agree":
            due = at.add(seconds=draw(st.integers(-3600, 3 * 86_400)))
            history.append(
                ("event", TargetChanged(at, "客服", "预约", target=Target(AGREED, AgreedTime(due))))
            )
        else:
            history.append(("event", Cancelled(at, "客服", "业主撤回")))
    return policy, priority, history


def _picked(
    clocks: RequestClocks,
    states: list[ClockState],
    kinds: list[TargetKind] | None,
    pausable: bool,
    agreed: bool,
) -> list[TargetKind]:
    """The kinds send() picks, as its docstring says, read off the reference clocks."""
    return [
        c.kind
        for c in clocks.clocks
        if c.state in states
        and (kinds is None or c.kind in kinds)
        and (not pausable or c.target.pausable)
        and (agreed or not isinstance(c.target.spec, AgreedTime))
    ]


@SETTINGS
@given(sends())
def test_a_send_picks_the_clocks_builds_the_event_and_applies_it(
    drawn: tuple[SlaPolicy, str, list[tuple[Any, ...]]],
) -> None:
    policy, priority, history = drawn
    reference = RequestClocks.open("R-9", priority, policy, CALENDARS)
    fold = RequestClocksFold("R-9", priority, policy, CALENDARS)
    for item in history:
        if item[0] == "start":
            event: Any = Started(item[1], "客服", "receive")
            expected, error = outcome(reference, event)
            try:
                fold.start(item[1], "客服", "receive")
                mine: Any = None
            except PropcrmError as refused:
                mine = (type(refused), str(refused), refused.context)
            assert mine == error
        elif item[0] == "send":
            _, verb, at, states, kinds, pausable, agreed = item
            reason = "客服说明"
            chosen = _picked(reference, states, kinds, pausable, agreed)
            event = verb(at, "客服", reason, targets=chosen) if chosen else None
            expected, error = (reference, None) if event is None else outcome(reference, event)
            try:
                sent = fold.send(
                    verb, at, "客服", reason, states, kinds, pausable=pausable, agreed=agreed
                )
                mine = None
            except PropcrmError as refused:
                sent, mine = None, (type(refused), str(refused), refused.context)
            assert mine == error
            if error is None:
                assert sent == event
        else:
            expected, error = outcome(reference, item[1])
            _, mine = outcome(fold, item[1])
            assert mine == error
        if error is None:
            reference = expected
        assert_identical(fold.frozen(), reference)


def test_a_fold_starts_a_same_day_target_as_apply_does() -> None:
    # The default P3 response: due at the end of the service day, counted on service hours.
    at = pendulum.datetime(2026, 9, 30, 16, 30, tz="Asia/Shanghai")  # after the cut-off
    fold = RequestClocksFold("R-3", "P3", calendars=CALENDARS)
    fold.start(at, "客服", "receive")
    reference = RequestClocks.open("R-3", "P3", calendars=CALENDARS).apply(
        Started(at, "客服", "receive")
    )
    assert_identical(fold.frozen(), reference)
    clock = fold.frozen().clock(RESPONSE)
    assert isinstance(clock.target.spec, SameServiceDay)
    assert clock.service_day is not None
    assert clock.service_day.due_day == pendulum.date(
        2026, 10, 8
    )  # the National Day week ends on the 7th


def _live(history: tuple[Step, ...], policy: LifecyclePolicy) -> Request:
    """``history`` taken live: received, then each step applied (clocks moved at every step)."""
    receipt, *rest = history
    assert receipt.data.intake is not None
    request = Request.receive(receipt.data.intake, receipt.actor, receipt.at, policy)
    for step in rest:
        if step.action is Action.REOPEN and step.actor is SYSTEM:
            continue  # apply adds it after the dissatisfied callback
        request = request.apply(step)
    return request


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_replayed_request_withdrawn_midway_has_the_clocks_the_live_one_moved(
    data: st.DataObject,
) -> None:
    # The benchmark's kind of policy, under every reopen and priority-change policy: holds,
    # agreed times, priority changes, resolutions, dissatisfied callbacks and reopens over
    # nights, weekends, holidays and make-up days, then a withdrawal wherever it is allowed.
    policy = LifecyclePolicy(sla=data.draw(st.sampled_from(POLICIES)))
    drawn = data.draw(lifecycles(policy))
    cut = data.draw(st.integers(1, len(drawn.history)))
    live = _live(drawn.history[:cut], policy)
    if Action.WITHDRAW in live.allowed_actions:
        at = live.last_step.at.add(seconds=data.draw(st.integers(0, 3 * 86_400)))
        live = live.take(Action.WITHDRAW, AGENT, at, reason="业主撤回")
        assert live.clocks.cancelled
    replayed = Request.replay(live.history, policy)
    assert_identical(replayed.clocks, live.clocks)


def test_a_pause_sent_to_a_running_agreed_time_is_refused_as_apply_refuses_it() -> None:
    # pausable=False picks an agreed time too, which never pauses: NotPausable, as from apply.
    nine = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
    agreed = TargetChanged(
        nine, "客服", "预约", target=Target(AGREED, AgreedTime(nine.add(hours=5)))
    )
    reference = RequestClocks.open("R-4", "P2", BENCHMARK_LIKE, CALENDARS)
    reference = reference.apply(Started(nine, "客服", "receive")).apply(agreed)
    fold = RequestClocksFold("R-4", "P2", BENCHMARK_LIKE, CALENDARS)
    fold.start(nine, "客服", "receive")
    fold.apply(agreed)
    assert_identical(fold.frozen(), reference)
    later = nine.add(minutes=30)
    expected = outcome(
        reference, Paused(later, "师傅", "等配件", targets=[RESPONSE, RESOLUTION, AGREED])
    )
    assert expected[1] is not None
    assert expected[1][0].__name__ == "NotPausable"
    with pytest.raises(PropcrmError) as refused:
        fold.send(Paused, later, "师傅", "等配件", [ClockState.RUNNING])
    assert (type(refused.value), str(refused.value), refused.value.context) == expected[1]
    assert_identical(fold.frozen(), reference)


def test_a_continued_reopen_sent_to_a_stopped_agreed_time_undoes_its_stop_as_apply_does() -> None:
    # agreed=True picks the agreed time too: reopened under CONTINUE, its stop is undone (the
    # time it stood stopped counts), which only SlaClock's own _reopen does.
    nine = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
    agreed = TargetChanged(
        nine, "客服", "预约", target=Target(AGREED, AgreedTime(nine.add(hours=5)))
    )
    stop = Stopped(nine.add(hours=1), "师傅", "start", targets=[RESPONSE, AGREED])
    reference = RequestClocks.open("R-5", "P2", BENCHMARK_LIKE, CALENDARS)
    reference = reference.apply(Started(nine, "客服", "receive")).apply(agreed).apply(stop)
    fold = RequestClocksFold("R-5", "P2", BENCHMARK_LIKE, CALENDARS)
    fold.start(nine, "客服", "receive")
    fold.apply(agreed)
    fold.apply(stop)
    later = nine.add(hours=2)
    reference = reference.apply(Reopened(later, "客服", "返修", targets=[RESPONSE, AGREED]))
    fold.send(Reopened, later, "客服", "返修", [ClockState.STOPPED], [RESPONSE, AGREED])
    assert_identical(fold.frozen(), reference)
    assert fold.frozen().clock(AGREED).running_since == nine  # its stop undone


# The common verbs a replay sends, written out, and the send() each stands for: the verb, its
# states, whether it takes kinds, pausable.
WRITTEN_OUT = {
    "_stop": (Stopped, VERB_STATES[Stopped], True, False),
    "_start_kinds": (Started, VERB_STATES[Started], True, False),
    "_pause": (Paused, VERB_STATES[Paused], False, True),
    "_resume": (Resumed, VERB_STATES[Resumed], False, False),
}
KINDS = [RESPONSE, RESOLUTION, CALLBACK, UPDATE, AGREED]


def _when(item: tuple[Any, ...]) -> pendulum.DateTime:
    """The instant of an item of :func:`sends` or :func:`common_sends`."""
    if item[0] == "start":
        return item[1]
    if item[0] == "event":
        return item[1].at
    return item[2]


@st.composite
def common_sends(draw: st.DrawFn) -> tuple[SlaPolicy, str, list[tuple[Any, ...]]]:
    """:func:`sends`, with most sends one of the common verbs (by its method's name)."""
    policy, priority, history = draw(sends())
    common: list[tuple[Any, ...]] = []
    for item in history:
        if item[0] == "send" and draw(st.integers(0, 3)):
            name = draw(st.sampled_from(sorted(WRITTEN_OUT)))
            kinds = None
            if WRITTEN_OUT[name][2]:
                kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True))
            at = item[2]
            if not draw(st.integers(0, 7)):
                # Before the last event (refused by RequestClocks' fold, if anything is picked).
                at = _when(common[-1]).subtract(seconds=1)
            common.append(("common", name, at, kinds))
        else:
            common.append(item)
    return policy, priority, common


def _refused(move: Any, *args: Any, **kwargs: Any) -> Any:
    """``move(*args, **kwargs)``: ``None``, or the error it raised as (type, message, context)."""
    try:
        move(*args, **kwargs)
    except PropcrmError as error:
        return (type(error), str(error), error.context)
    return None


def assert_planned_alike(clocks: RequestClocks) -> None:
    """Each clock's deadline, from the plan its fold kept, as computed from its fields."""
    for clock in clocks.clocks:
        assert clock.deadline == rebuilt_validated(clock).deadline


@SETTINGS
@given(common_sends(), st.data())
def test_the_common_verbs_written_out_fold_as_send_does(
    drawn: tuple[SlaPolicy, str, list[tuple[Any, ...]]], data: st.DataObject
) -> None:
    # A replay's receipt (_received) and its stops, pauses, resumes and starts (_stop, _pause,
    # _resume, _start_kinds) against RequestClocksFold(...).start() and send() with the states
    # and flags each stands for: the same clocks, events and errors, with the memos emptied or
    # kept, and now and then an instant or an actor the converters change or refuse.
    policy, priority, history = drawn
    _OPENED.clear()
    _ZONE_DAYS.clear()
    if data.draw(st.booleans(), label="level opened before"):
        RequestClocksFold("R-0", priority, policy, CALENDARS)
    actors = st.sampled_from(["客服"] * 6 + [" 客服 ", "  "])

    def instant(at: pendulum.DateTime) -> Any:
        if data.draw(st.integers(0, 7), label="plain datetime") == 0:
            return datetime.datetime.fromtimestamp(at.timestamp(), datetime.UTC)
        return at

    (_, first), *rest = history
    at, actor = instant(first), data.draw(actors)
    reference = RequestClocksFold("R-9", priority, policy, CALENDARS)
    error = _refused(reference.start, at, actor, "receive")
    if error is not None:
        with pytest.raises(PropcrmError) as refused:
            RequestClocksFold._received("R-9", priority, policy, CALENDARS, at, actor, "receive")
        assert (type(refused.value), str(refused.value), refused.value.context) == error
        return
    fast = RequestClocksFold._received("R-9", priority, policy, CALENDARS, at, actor, "receive")
    assert_identical(fast.frozen(), reference.frozen())
    for item in rest:
        if item[0] in {"send", "common"}:
            at, actor = instant(item[2]), data.draw(actors)
        if item[0] == "send":
            _, verb, _when, states, kinds, pausable, agreed = item
            sent = (verb, at, actor, "客服说明", states, kinds)
            flags = {"pausable": pausable, "agreed": agreed}
            assert _refused(fast.send, *sent, **flags) == _refused(reference.send, *sent, **flags)
        elif item[0] == "common":
            _, name, _when, kinds = item
            verb, states, _takes_kinds, pausable = WRITTEN_OUT[name]
            error = _refused(
                reference.send, verb, at, actor, "客服说明", states, kinds, pausable=pausable
            )
            written = getattr(fast, name)
            if kinds is None:
                assert _refused(written, at, actor, "客服说明") == error
            else:
                assert _refused(written, at, actor, "客服说明", tuple(kinds)) == error
        else:
            assert outcome(fast, item[1])[1] == outcome(reference, item[1])[1]
        frozen = fast.frozen()
        assert_identical(frozen, reference.frozen())
        assert_planned_alike(frozen)


@pytest.mark.parametrize("hours", [-1, 5])
def test_a_start_of_an_agreed_time_written_out_is_sent_as_send_sends_it(hours: int) -> None:
    # An agreed time set before the request started is not started, and is no target _start_kinds
    # starts itself: send() starts it (due later) or refuses it (due already), as apply does.
    nine = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
    agreed = TargetChanged(
        nine, "客服", "预约", target=Target(AGREED, AgreedTime(nine.add(hours=hours)))
    )
    folds = [RequestClocksFold("R-6", "P2", BENCHMARK_LIKE, CALENDARS) for _ in range(2)]
    for fold in folds:
        fold.apply(agreed)
    assert folds[0].clocks[-1].state is ClockState.NOT_STARTED
    later = nine.add(minutes=30)
    states = VERB_STATES[Started]
    expected = _refused(folds[0].send, Started, later, "客服", "到场", states, [AGREED, RESPONSE])
    assert _refused(folds[1]._start_kinds, later, "客服", "到场", (AGREED, RESPONSE)) == expected
    assert (expected is None) is (hours > 0)
    assert_identical(folds[1].frozen(), folds[0].frozen())
