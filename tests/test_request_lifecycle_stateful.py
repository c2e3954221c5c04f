"""A stateful test of the request lifecycle: random command sequences against a live request.

Hypothesis drives one :class:`~propcrm.complaints.Request` at a time through random commands:
valid steps of every action family (drawn by :func:`next_steps`, which satisfies the row's needs
and guards), random commands with random (often invalid) data and actors, actions the state does
not allow, roles the row does not allow, and steps back in time. After every command the request
must be in a reachable, consistent state; a refused command must raise a
:class:`~propcrm.errors.RequestError` and leave the request as it was; and the history must
replay to an equal request with equal SLA clocks (the replay builds the clocks from scratch, the
live request step by step). Issue 7: "no sequence reaches an invalid state, and replay equals
the live object".

What the machine found (since fixed in the core) is pinned by the regression tests at the end.
"""

from __future__ import annotations

import collections
import itertools
from typing import Any, ClassVar

import attrs
import pendulum
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from propcrm.classification import Category, Location
from propcrm.complaints import (
    SYSTEM,
    TERMINAL_STATES,
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
    Transition,
)
from propcrm.errors import (
    ActionNotPermitted,
    GuardRefused,
    IllegalTransition,
    PropcrmError,
    RequestError,
    StepOutOfOrder,
    UnknownPriority,
)
from propcrm.sla import DEFAULT_SLA_POLICY, HOTLINE_CALENDAR, ClockState, Target, TargetKind, Within
from propcrm.testing._complaints_strategies import (
    actors,
    feasible_actions,
    intakes,
    lifecycle_policies,
    next_steps,
    quotes,
)
from propcrm.testing._sla_clock_strategies import sla_instants

TZ = "Asia/Shanghai"
LAST_START = pendulum.datetime(2026, 6, 30, tz=TZ)

# The action families the machine has one rule each for.
INTAKE = frozenset({Action.ACKNOWLEDGE, Action.ASSESS})
QUOTES = frozenset({Action.QUOTE, Action.ACCEPT_QUOTE, Action.POST_CHARGE})
WORK = frozenset(
    {
        Action.DISPATCH,
        Action.REASSIGN,
        Action.ESCALATE,
        Action.REPRIORITISE,
        Action.AGREE_TIME,
        Action.START,
        Action.HOLD,
        Action.RESUME,
        Action.UPDATE,
    }
)
RESOLUTION = frozenset({Action.REFER_TO_MEDIATION, Action.RESOLVE})
CALLBACK = frozenset({Action.CALLBACK_ATTEMPT, Action.CALL_BACK, Action.CLOSE, Action.REOPEN})
ENDING = frozenset({Action.REJECT, Action.MARK_DUPLICATE, Action.WITHDRAW, Action.DECLINE_QUOTE})

# States in which every pausable target waits (the wait is not the company's).
PAUSED_STATES = frozenset({State.ON_HOLD, State.IN_MEDIATION})
RESOLVED_STATES = frozenset({State.RESOLVED, State.CALLED_BACK, State.CLOSED})
ASSIGNED_STATES = frozenset({State.DISPATCHED, State.IN_PROGRESS, State.ON_HOLD})

# -- random (mostly invalid) step data ----------------------------------------------------------

_ANY_INTAKE = Intake(
    request_id="R-9999",
    kind=RequestKind.REPAIR,
    requester="P-301",
    channel=IntakeChannel.APP,
    category=Category.OTHER,
)
_TEXTS = st.sampled_from(("业主要求", "更换阀门", "供电公司", "R-0001", "W-07"))


def _random_fields(at: pendulum.DateTime) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "intake": st.just(_ANY_INTAKE),
        "priority": st.sampled_from(("P1", "P2", "P3", "P9")),
        "classified_by": _TEXTS,
        "reason": _TEXTS,
        "note": _TEXTS,
        "referral": _TEXTS,
        "duplicate_of": st.sampled_from(("R-0001", "R-0002", "R-9999")),
        "assignee": st.sampled_from(("W-07", "W-12", "W-99", "ZG-01")),
        "team": _TEXTS,
        "level": st.integers(1, 5),
        "hold_reason": st.sampled_from(list(HoldReason)),
        "outcome": st.sampled_from(list(CallbackOutcome)),
        "score": st.integers(1, 5),
        "appointment": st.integers(-3600, 86_400).map(lambda s: at.add(seconds=s)),
        "quote": quotes(),
        "statement": st.just("SUNRISE/2026-01/1-2-0301"),
    }


@st.composite
def random_data(draw: st.DrawFn, at: pendulum.DateTime, row: Transition | None) -> StepData:
    """Any StepData: random fields with random values; often the row's own fields."""
    fields = _random_fields(at)
    names = sorted(fields)
    if row is not None and draw(st.booleans()):
        names = sorted(f.value for f in row.fields) or names
    chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
    return StepData(**{name: draw(fields[name]) for name in chosen})


def _same(a: Request, b: Request) -> bool:
    return a == b and a.history == b.history and a.clocks == b.clocks


class RequestLifecycle(RuleBasedStateMachine):
    """One live request, driven by random commands; checked after each."""

    # What refused commands raised, across the run (printed by test_report_refusals).
    refusals: ClassVar[collections.Counter[str]] = collections.Counter()

    def __init__(self) -> None:
        super().__init__()
        self.request: Request | None = None
        self.policy: LifecyclePolicy | None = None
        self.highest_level = 0

    # -- helpers ----------------------------------------------------------------------------

    @property
    def live(self) -> Request:
        assert self.request is not None
        return self.request

    def accept(self, step: Step) -> None:
        before = self.live
        after = before.apply(step)
        assert after.history[: len(before.history)] == before.history  # append-only
        assert after.history[len(before.history)] == step
        callback = after.callback
        if (
            step.action is Action.CALL_BACK
            and callback is not None
            and callback.outcome is CallbackOutcome.DISSATISFIED
            and after.policy.reopen_on_dissatisfied
        ):
            # 有解必答 and the policy: a dissatisfied customer's request reopens at once, by SYSTEM.
            assert after.state is State.REOPENED
            assert after.last_step.action is Action.REOPEN
            assert after.last_step.actor == SYSTEM
            assert after.last_step.at == step.at
            assert after.reopens == before.reopens + 1
            assert len(after.history) == len(before.history) + 2
        else:
            assert len(after.history) == len(before.history) + 1
        self.request = after

    def refused(self, step: Step, error: Exception) -> None:
        """``error`` refused ``step``: check it is the lifecycle's, and nothing changed."""
        before = self.live
        kind = type(error).__name__
        if isinstance(error, RequestError):
            pass
        elif isinstance(error, UnknownPriority):
            # A priority code the SLA policy lacks is refused by the SLA (guards.py looks the
            # level up); a PropcrmError and LookupError, not a RequestError.
            assert step.data.priority is not None
            assert step.data.priority not in before.policy.sla.priorities
        else:
            # A ClockError here would be a step the table and guards accepted but the SLA
            # clocks refused: the lifecycle and its clocks disagree. Never allowed.
            raise error
        self.refusals[kind] += 1
        assert self.request is before
        assert _same(Request.replay(before.history, before.policy), before)

    def attempt(self, step: Step) -> None:
        before = self.live
        row_allowed = step.action in before.allowed_actions
        try:
            self.accept(step)
        except PropcrmError as error:
            self.refused(step, error)
            return
        # Accepted: the table allowed it and the role may take it.
        assert row_allowed
        row = before.policy.transitions.find(before.state, step.action, before.kind)
        assert step.actor.role in row.roles
        assert row.needs <= step.data.given <= row.fields

    def valid_step(self, data: st.DataObject, family: frozenset[Action]) -> None:
        step = data.draw(next_steps(self.live, actions=family), label="step")
        self.accept(step)

    def has(self, family: frozenset[Action]) -> bool:
        return self.request is not None and bool(feasible_actions(self.live, actions=family))

    # -- the receipt ----------------------------------------------------------------------------

    @initialize(
        policy=lifecycle_policies(),
        intake=intakes(),
        at=sla_instants(max_value=LAST_START),
        role=st.sampled_from((Role.AGENT, Role.REQUESTER, Role.SYSTEM)),
        head_start=st.integers(0, 16),
        data=st.data(),
    )
    def receive(
        self,
        policy: LifecyclePolicy,
        intake: Intake,
        at: pendulum.DateTime,
        role: Role,
        head_start: int,
        data: st.DataObject,
    ) -> None:
        actor = SYSTEM if role is Role.SYSTEM else Actor(intake.requester, role)
        self.policy = policy
        self.request = Request.receive(intake, actor, at, policy)
        assert self.live.state is State.RECEIVED
        assert self.live.history[0].data.priority == self.live.priority
        # A head start of valid steps, so the commands below also meet requests deep in
        # their lifecycle (dispatched, on hold, called back, closed, reopened).
        self.walk(data, head_start)

    def walk(self, data: st.DataObject, steps: int) -> None:
        for _ in range(steps):
            if not feasible_actions(self.live):
                return
            self.accept(data.draw(next_steps(self.live), label="walk"))

    # -- valid steps, one rule per action family ----------------------------------------------

    @precondition(lambda self: self.has(frozenset(Action)))
    @rule(data=st.data(), steps=st.integers(1, 6))
    def a_few_valid_steps(self, data: st.DataObject, steps: int) -> None:
        self.walk(data, steps)

    @precondition(lambda self: self.has(INTAKE))
    @rule(data=st.data())
    def acknowledge_or_assess(self, data: st.DataObject) -> None:
        self.valid_step(data, INTAKE)

    @precondition(lambda self: self.has(QUOTES))
    @rule(data=st.data())
    def quote_accept_or_charge(self, data: st.DataObject) -> None:
        self.valid_step(data, QUOTES)

    @precondition(lambda self: self.has(WORK))
    @rule(data=st.data())
    def work_on_it(self, data: st.DataObject) -> None:
        self.valid_step(data, WORK)

    @precondition(lambda self: self.has(RESOLUTION))
    @rule(data=st.data())
    def resolve_or_mediate(self, data: st.DataObject) -> None:
        self.valid_step(data, RESOLUTION)

    @precondition(lambda self: self.has(CALLBACK))
    @rule(data=st.data())
    def call_back_close_or_reopen(self, data: st.DataObject) -> None:
        self.valid_step(data, CALLBACK)

    @precondition(lambda self: self.has(ENDING))
    @rule(data=st.data(), now=st.integers(0, 3))
    def end_it(self, data: st.DataObject, now: int) -> None:
        # Ending is one call in four, so most sequences live long enough to get somewhere.
        if now == 0:
            self.valid_step(data, ENDING)

    # -- random and illegal commands ---------------------------------------------------------

    @precondition(lambda self: self.request is not None)
    @rule(
        data=st.data(),
        any_action=st.booleans(),
        gap=st.integers(-600, 6 * 3600),
        handler_is_assignee=st.booleans(),
    )
    def random_command(
        self, data: st.DataObject, any_action: bool, gap: int, handler_is_assignee: bool
    ) -> None:
        request = self.live
        # Half the time an action the state allows, so roles, data and guards get tried too.
        actions = list(Action) if any_action or request.is_final else request.allowed_actions
        action = data.draw(st.sampled_from(actions), label="action")
        row = (
            None
            if action not in request.allowed_actions
            else request.policy.transitions.find(request.state, action, request.kind)
        )
        roles = sorted(
            row.roles if row is not None and data.draw(st.booleans()) else Role,
            key=list(Role).index,
        )
        role = data.draw(st.sampled_from(roles), label="role")
        at = request.last_step.at.add(seconds=gap)
        if role is Role.HANDLER and handler_is_assignee and request.assignee is not None:
            actor = Actor(request.assignee, role)
        else:
            actor = data.draw(actors(role=role), label="actor")
        step = Step(action, actor, at, data.draw(random_data(at, row), label="data"))
        self.attempt(step)

    @precondition(lambda self: self.request is not None)
    @rule(data=st.data())
    def illegal_action(self, data: st.DataObject) -> None:
        request = self.live
        illegal = sorted(set(Action) - set(request.allowed_actions), key=lambda a: a.value)
        action = data.draw(st.sampled_from(illegal), label="illegal action")
        step = Step(action, Actor("ZG-01", Role.SUPERVISOR), request.last_step.at)
        with pytest.raises(IllegalTransition) as refused:
            request.apply(step)
        message = str(refused.value)
        assert request.state.value in message
        assert action.value in message
        for allowed in request.allowed_actions:
            assert allowed.value in message
        if not request.allowed_actions:
            assert "none (final)" in message
        self.refused(step, refused.value)

    @precondition(lambda self: self.request is not None and bool(self.live.allowed_actions))
    @rule(data=st.data())
    def wrong_role(self, data: st.DataObject) -> None:
        request = self.live
        action = data.draw(st.sampled_from(request.allowed_actions), label="action")
        row = request.policy.transitions.find(request.state, action, request.kind)
        others = [r for r in Role if r not in row.roles]
        if not others:
            return
        role = data.draw(st.sampled_from(others), label="role")
        step = Step(action, data.draw(actors(role=role)), request.last_step.at)
        with pytest.raises(ActionNotPermitted) as refused:
            request.apply(step)
        assert role.value in str(refused.value)
        self.refused(step, refused.value)

    @precondition(lambda self: self.has(frozenset(Action)))
    @rule(data=st.data(), seconds=st.integers(1, 86_400))
    def back_in_time(self, data: st.DataObject, seconds: int) -> None:
        request = self.live
        valid = data.draw(next_steps(request), label="step")
        step = attrs.evolve(valid, at=request.last_step.at.subtract(seconds=seconds))
        with pytest.raises(StepOutOfOrder):
            request.apply(step)
        self.refused(step, StepOutOfOrder("back in time"))

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def replay_equals_the_live_request(self) -> None:
        if self.request is None:
            return
        request = self.live
        again = Request.replay(request.history, request.policy)
        assert again == request
        assert again.history == request.history
        assert again.clocks == request.clocks  # from scratch vs step by step

    @invariant()
    def the_state_is_reachable_and_consistent(self) -> None:
        if self.request is None:
            return
        r = self.live
        policy = r.policy
        assert r.state in policy.transitions.reachable(r.kind)
        steps = r.history
        assert steps[0].action is Action.RECEIVE
        assert all(a.at <= b.at for a, b in itertools.pairwise(steps))
        # A final state allows nothing; any other allows something (nothing is stranded).
        assert (r.state in TERMINAL_STATES) == (not r.allowed_actions) == r.is_final
        # Escalation goes up, never past the policy's highest level.
        assert 0 <= r.escalation_level <= policy.max_escalation_level
        assert r.escalation_level >= self.highest_level
        self.highest_level = r.escalation_level
        # On hold exactly when a hold reason is set.
        assert (r.state is State.ON_HOLD) == (r.hold_reason is not None)
        # Right after a resolution no callback is recorded yet; it belongs to the next one.
        if r.last_step.action is Action.RESOLVE:
            assert r.callback is None
            assert r.callback_attempts == 0
            assert r.resolved_at == r.last_step.at
        if r.state in RESOLVED_STATES:
            assert r.resolution is not None
            assert r.resolved_at is not None
        if r.state is State.CALLED_BACK:
            assert r.callback is not None
        # 有应必解, 有解必答: closed only with a resolution and a callback record.
        if r.state is State.CLOSED:
            assert r.resolution is not None
            assert r.callback is not None
            assert r.callback.score is not None or not r.callback.outcome.reached
            assert r.closed_at is not None
        else:
            assert r.closed_at is None
        if r.callback is not None and r.callback.outcome.reached:
            assert r.callback.score is not None
        if r.callback is not None and r.callback.outcome is CallbackOutcome.UNREACHABLE:
            assert r.callback.attempts >= policy.callback_attempts
        if r.state in ASSIGNED_STATES:
            assert r.assignee is not None
        if r.state is State.IN_MEDIATION:
            assert r.referral is not None
        if r.state is State.REJECTED:
            assert r.referral is not None
        if r.state is State.DUPLICATE:
            assert r.duplicate_of not in (None, r.request_id)
        if r.charge_statement is not None:
            assert r.quote is not None
            assert r.quote_accepted
        assert r.reopens == sum(1 for s in steps if s.action is Action.REOPEN)
        assert len(r.callbacks) == sum(1 for s in steps if s.action is Action.CALL_BACK)

    @invariant()
    def the_clocks_follow_the_state(self) -> None:
        if self.request is None:
            return
        r = self.live
        clocks = r.clocks
        assert clocks.priority == r.priority
        # Rejected, duplicate, withdrawn: every clock is cancelled.
        assert clocks.cancelled == (r.state in TERMINAL_STATES)
        # 有求必应: every request has a response target.
        assert TargetKind.RESPONSE in {c.kind for c in clocks.clocks}
        if r.state in PAUSED_STATES:
            # The wait is not the company's: no pausable target runs.
            assert not [
                c.kind for c in clocks.clocks if c.state is ClockState.RUNNING and c.target.pausable
            ]
        if r.state in RESOLVED_STATES:
            running = {c.kind for c in clocks.clocks if c.state is ClockState.RUNNING}
            assert running <= {TargetKind.CALLBACK}
            if r.state is not State.RESOLVED:
                assert not running


# CI: derandomized by the profile; 80 sequences of up to 30 commands stay well under 20 s.
RequestLifecycle.TestCase.settings = settings(
    max_examples=80, stateful_step_count=30, database=None
)
TestRequestLifecycle = RequestLifecycle.TestCase


# -- what the machine found (fixed in the core since): pinned as regressions ----------------

AGENT = Actor("KF-01", Role.AGENT)
SUPERVISOR = Actor("ZG-01", Role.SUPERVISOR)
PLUMBER = Actor("W-07", Role.HANDLER)
MORNING = pendulum.datetime(2026, 3, 10, 9, 0, tz=TZ)


def _assessed(kind: RequestKind, category: Category = Category.OTHER) -> Request:
    intake = Intake(
        request_id="R-0100",
        kind=kind,
        requester="P-301",
        channel=IntakeChannel.COUNTER,
        category=category,
        location=Location.IN_HOME,
        description="楼上深夜噪音",
    )
    request = Request.receive(intake, AGENT, MORNING)
    request = request.take(Action.ACKNOWLEDGE, AGENT, MORNING.add(minutes=1))
    return request.take(Action.ASSESS, AGENT, MORNING.add(minutes=2))


def test_a_second_agreed_time_after_the_first_was_stopped_is_refused_by_the_lifecycle() -> None:
    enquiry = _assessed(RequestKind.ENQUIRY)
    enquiry = enquiry.take(
        Action.AGREE_TIME, AGENT, MORNING.add(minutes=3), appointment=MORNING.add(hours=2)
    )
    enquiry = enquiry.take(Action.RESOLVE, AGENT, MORNING.add(minutes=10), note="已答复业主")
    enquiry = enquiry.take(
        Action.CALL_BACK,
        AGENT,
        MORNING.add(hours=1),
        outcome=CallbackOutcome.DISSATISFIED,
        score=2,
    )
    assert enquiry.state is State.REOPENED  # reopened by SYSTEM
    # The resolution stopped the agreed time (kept or missed); the clocks would refuse to
    # retarget it, so the lifecycle refuses first, with its own error.
    assert enquiry.appointment_done
    with pytest.raises(GuardRefused, match="already kept or missed"):
        enquiry.take(
            Action.AGREE_TIME, AGENT, MORNING.add(hours=2), appointment=MORNING.add(hours=5)
        )


def test_an_agreed_time_survives_a_priority_change() -> None:
    repair = _assessed(RequestKind.REPAIR)
    repair = repair.take(
        Action.AGREE_TIME, AGENT, MORNING.add(minutes=3), appointment=MORNING.add(hours=4)
    )
    repair = repair.take(
        Action.REPRIORITISE, AGENT, MORNING.add(minutes=4), priority="P2", reason="业主要求"
    )
    # The appointment was agreed with the customer; a new priority does not unmake it.
    assert repair.clocks.clock(TargetKind.AGREED_TIME).state is ClockState.RUNNING
    repair = repair.take(
        Action.AGREE_TIME, AGENT, MORNING.add(minutes=5), appointment=MORNING.add(hours=6)
    )
    assert repair.appointment == MORNING.add(hours=6)


def _on_hold() -> Request:
    complaint = _assessed(RequestKind.COMPLAINT, Category.NOISE)
    complaint = complaint.take(Action.DISPATCH, AGENT, MORNING.add(minutes=3), assignee="W-07")
    complaint = complaint.take(Action.START, PLUMBER, MORNING.add(minutes=20))
    return complaint.take(
        Action.HOLD,
        PLUMBER,
        MORNING.add(minutes=30),
        hold_reason=HoldReason.WAITING_FOR_THIRD_PARTY,
    )


def test_mediation_from_hold_clears_the_hold_reason() -> None:
    complaint = _on_hold().take(
        Action.REFER_TO_MEDIATION,
        SUPERVISOR,
        MORNING.add(hours=1),
        referral="街道人民调解委员会",
        reason="邻里纠纷",
    )
    assert complaint.state is State.IN_MEDIATION
    assert complaint.hold_reason is None


def test_withdrawing_while_on_hold_clears_the_hold_reason() -> None:
    complaint = _on_hold().take(Action.WITHDRAW, AGENT, MORNING.add(hours=1), reason="业主撤诉")
    assert complaint.state is State.WITHDRAWN
    assert complaint.hold_reason is None


def test_an_unknown_priority_is_refused_by_the_sla_and_changes_nothing() -> None:
    intake = Intake(
        request_id="R-0101",
        kind=RequestKind.REPAIR,
        requester="P-301",
        channel=IntakeChannel.HOTLINE,
        category=Category.OTHER,
    )
    request = Request.receive(intake, AGENT, MORNING)
    request = request.take(Action.ACKNOWLEDGE, AGENT, MORNING.add(minutes=1))
    with pytest.raises(UnknownPriority, match="P9"):
        request.take(Action.ASSESS, AGENT, MORNING.add(minutes=2), priority="P9", reason="x")
    assert Request.replay(request.history) == request
    assert DEFAULT_SLA_POLICY.priorities == ("P1", "P2", "P3")


def test_a_target_added_by_a_new_priority_on_hold_stays_paused() -> None:
    # Found by the thorough profile (issue 18): on hold, a reprioritise to a level with a target
    # the old level lacked added that target running ("pausable target running while on
    # hold"); the wait is still the owner's, so it starts paused, live and in a replay.
    sla = DEFAULT_SLA_POLICY.with_target(
        "P2", Target(TargetKind.UPDATE, Within(86_400, HOTLINE_CALENDAR))
    )
    policy = LifecyclePolicy(sla=sla)
    intake = Intake(
        request_id="R-0102",
        kind=RequestKind.REPAIR,
        requester="P-301",
        channel=IntakeChannel.HOTLINE,
        category=Category.OTHER,
    )
    request = Request.receive(intake, AGENT, MORNING, policy)
    assert request.priority == "P3"
    request = request.take(Action.ACKNOWLEDGE, AGENT, MORNING)
    request = request.take(Action.ASSESS, AGENT, MORNING)
    request = request.take(Action.DISPATCH, AGENT, MORNING, assignee="W-07")
    request = request.take(Action.START, PLUMBER, MORNING.add(minutes=5))
    request = request.take(
        Action.HOLD, PLUMBER, MORNING.add(minutes=6), hold_reason=HoldReason.WAITING_FOR_OWNER
    )
    on_hold = request.take(
        Action.REPRIORITISE, AGENT, MORNING.add(minutes=7), priority="P2", reason="业主要求"
    )
    update = on_hold.clocks.clock(TargetKind.UPDATE)
    assert update.state is ClockState.PAUSED
    assert update.pauses[-1].reason == HoldReason.WAITING_FOR_OWNER.value
    again = Request.replay(on_hold.history, policy)
    assert again.clocks == on_hold.clocks
    resumed = on_hold.take(Action.RESUME, PLUMBER, MORNING.add(hours=2))
    assert resumed.clocks.clock(TargetKind.UPDATE).state is ClockState.RUNNING
    # Measured from the reprioritise: the two hours on hold do not count against it.
    assert resumed.clocks.clock(TargetKind.UPDATE).consumed == 0
