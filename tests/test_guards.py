"""Tests for complaints._guards: every Guard passes a good step and refuses a bad one."""

from __future__ import annotations

import types
from typing import Any

import pendulum
import pytest

from propcrm.classification import Category, Location
from propcrm.complaints import (
    DEFAULT_TRANSITIONS,
    SYSTEM,
    Action,
    Actor,
    CallbackOutcome,
    Field,
    Guard,
    HoldReason,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Quote,
    Request,
    RequestKind,
    Role,
    Roster,
    StaffMember,
    State,
    Step,
    StepData,
    Transition,
    TransitionTable,
)
from propcrm.complaints import _guards as guards
from propcrm.complaints._draft import Draft
from propcrm.errors import DispatchError, GuardRefused, MissingStepData, UnknownPriority
from propcrm.money import Money
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    ServiceLevel,
    Target,
    TargetKind,
    Within,
)

T0 = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
AGENT = Actor("KF-01", Role.AGENT)
DISPATCHER = Actor("D-01", Role.DISPATCHER)
PLUMBER = Actor("W-07", Role.HANDLER)
OTHER_PLUMBER = Actor("W-08", Role.HANDLER)
SUPERVISOR = Actor("S-1", Role.SUPERVISOR)
MANAGER = Actor("M-1", Role.MANAGER)
OWNER = Actor("P-301", Role.REQUESTER)
DESK = {Role.AGENT, Role.SUPERVISOR, Role.MANAGER}
QUOTE = Quote(
    "2026A", "AC-CLEAN", "空调清洗", "3", "台", Money("80.00"), Money("240.00"), T0.date()
)
NOT_REOPENING = LifecyclePolicy(reopen_on_dissatisfied=False)


def intake(kind: RequestKind = RequestKind.REPAIR, **changes: Any) -> Intake:
    values: dict[str, Any] = {
        "request_id": "R-1",
        "kind": kind,
        "requester": "P-301",
        "channel": IntakeChannel.APP,
        "category": Category.WATER_LEAK,
        "location": Location.IN_HOME,
        "territory": "B1",
    }
    values.update(changes)
    return Intake(**values)


def step(request: Request, action: Action, actor: Actor, **data: Any) -> Request:
    return request.take(action, actor, request.last_step.at.add(minutes=1), **data)


def received(
    kind: RequestKind = RequestKind.REPAIR, policy: LifecyclePolicy | None = None, **kw: Any
) -> Request:
    return Request.receive(intake(kind, **kw), AGENT, T0, policy or LifecyclePolicy())


def assessed(kind: RequestKind = RequestKind.REPAIR, **kw: Any) -> Request:
    return step(step(received(kind, **kw), Action.ACKNOWLEDGE, AGENT), Action.ASSESS, AGENT)


def dispatched(**kw: Any) -> Request:
    return step(assessed(**kw), Action.DISPATCH, DISPATCHER, assignee="W-07")


def in_progress(**kw: Any) -> Request:
    return step(dispatched(**kw), Action.START, PLUMBER)


def resolved(**kw: Any) -> Request:
    return step(in_progress(**kw), Action.RESOLVE, PLUMBER, note="fixed")


def called_back(outcome: CallbackOutcome, score: int | None, **kw: Any) -> Request:
    return step(resolved(**kw), Action.CALL_BACK, AGENT, outcome=outcome, score=score)


def with_rows(*rows: Transition, drop: Action | None = None) -> LifecyclePolicy:
    """The default policy with ``rows`` added (and the rows of ``drop`` left out)."""
    kept = tuple(r for r in DEFAULT_TRANSITIONS.rows if r.action is not drop)
    return LifecyclePolicy(transitions=TransitionTable((*kept, *rows)))


def test_every_guard_has_a_check() -> None:
    assert set(guards._CHECKS) == set(Guard)


# -- 有求必应 RESPONSE_TARGET -----------------------------------------------------------------


def test_response_target_passes_at_a_priority_with_a_response_target() -> None:
    assert received().state is State.RECEIVED


def test_response_target_refuses_a_priority_without_one() -> None:
    # A LifecyclePolicy refuses such an SLA up front, so the guard is checked on its own.
    sla = DEFAULT_SLA_POLICY.with_level(
        ServiceLevel("P4", [Target(TargetKind.RESOLUTION, Within(86400, HOTLINE_CALENDAR))])
    )
    receipt = Step(Action.RECEIVE, AGENT, T0, StepData(intake=intake(), priority="P4"))
    draft = Draft(receipt, intake(), "P4")
    policy: Any = types.SimpleNamespace(sla=sla)
    with pytest.raises(GuardRefused) as caught:
        guards.check_guard(Guard.RESPONSE_TARGET, draft, receipt, policy)
    assert str(caught.value) == (
        "request R-1 cannot be received at priority P4: it has no response target, and every "
        "request gets a response (有求必应, §4)."
    )


def test_response_target_refuses_a_priority_the_sla_lacks() -> None:
    receipt = Step(Action.RECEIVE, AGENT, T0, StepData(intake=intake(), priority="P9"))
    with pytest.raises(UnknownPriority, match="no service level for priority 'P9'"):
        Request.replay([receipt])


# -- 有应必解 RESOLUTION_RECORDED ------------------------------------------------------------


def test_resolution_recorded_passes_after_a_resolution() -> None:
    r = called_back(CallbackOutcome.SATISFIED, 5)
    assert step(r, Action.CLOSE, AGENT).state is State.CLOSED


def test_resolution_recorded_refuses_a_close_without_a_resolution() -> None:
    early_close = Transition(
        Action.CLOSE, {State.ASSESSED}, State.CLOSED, DESK, guards=[Guard.RESOLUTION_RECORDED]
    )
    r = assessed(policy=with_rows(early_close))
    with pytest.raises(GuardRefused) as caught:
        step(r, Action.CLOSE, AGENT)
    assert str(caught.value) == (
        "request R-1 cannot close: no resolution is recorded, and every response gets a "
        "resolution (有应必解, §4)."
    )


# -- 有解必答 CALLBACK_RECORDED --------------------------------------------------------------


def test_callback_recorded_passes_with_an_unreachable_callback_without_score() -> None:
    r = resolved()
    for _ in range(3):
        r = step(r, Action.CALLBACK_ATTEMPT, AGENT)
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.UNREACHABLE)
    assert step(r, Action.CLOSE, AGENT).state is State.CLOSED


def test_callback_recorded_refuses_a_close_without_a_callback() -> None:
    close_resolved = Transition(
        Action.CLOSE, {State.RESOLVED}, State.CLOSED, DESK, guards=[Guard.CALLBACK_RECORDED]
    )
    r = resolved(policy=with_rows(close_resolved))
    with pytest.raises(GuardRefused, match=r"no callback record .*\(有解必答, §4\)"):
        step(r, Action.CLOSE, AGENT)


def test_callback_recorded_refuses_a_reached_callback_without_a_score() -> None:
    lax_callback = Transition(
        Action.CALL_BACK,
        {State.RESOLVED},
        State.CALLED_BACK,
        DESK,
        needs={Field.OUTCOME},
        takes={Field.SCORE, Field.NOTE},
    )
    r = resolved(policy=with_rows(lax_callback, drop=Action.CALL_BACK))
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.SATISFIED)
    with pytest.raises(GuardRefused, match="if the customer was reached, a satisfaction score"):
        step(r, Action.CLOSE, AGENT)


# -- DISSATISFIED_CLOSE ---------------------------------------------------------------------


def test_dissatisfied_close_refused_when_the_policy_reopens() -> None:
    r = called_back(CallbackOutcome.DISSATISFIED, 2, policy=NOT_REOPENING)
    # The same history under the default policy: replay adds no reopen, and close is refused.
    replayed = Request.replay(r.history)
    assert replayed.state is State.CALLED_BACK
    with pytest.raises(GuardRefused) as caught:
        step(replayed, Action.CLOSE, SUPERVISOR, reason="owner gave up")
    assert str(caught.value) == (
        "request R-1 cannot close: the customer was dissatisfied (score 2), and the policy "
        "reopens dissatisfied requests; reopen it."
    )


def test_dissatisfied_close_is_for_senior_staff_with_a_reason() -> None:
    r = called_back(CallbackOutcome.DISSATISFIED, 2, policy=NOT_REOPENING)
    with pytest.raises(GuardRefused, match="for a supervisor or manager, not a agent"):
        step(r, Action.CLOSE, AGENT, reason="x")
    with pytest.raises(MissingStepData, match="closing a dissatisfied request needs a reason"):
        step(r, Action.CLOSE, SUPERVISOR)
    assert step(r, Action.CLOSE, MANAGER, reason="compensated").state is State.CLOSED


def test_dissatisfied_close_passes_a_satisfied_callback() -> None:
    r = called_back(CallbackOutcome.SATISFIED, 4, policy=NOT_REOPENING)
    assert step(r, Action.CLOSE, AGENT).state is State.CLOSED


# -- CALLBACK_OUTCOME -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "score"),
    [(CallbackOutcome.SATISFIED, 4), (CallbackOutcome.SATISFIED, 5)]
    + [(CallbackOutcome.DISSATISFIED, s) for s in (1, 2, 3)],
)
def test_callback_outcome_passes_a_fitting_score(outcome: CallbackOutcome, score: int) -> None:
    assert called_back(outcome, score, policy=NOT_REOPENING).callback.score == score  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("outcome", "score", "says"),
    [
        (CallbackOutcome.SATISFIED, 3, "a score of 3 is dissatisfied"),
        (CallbackOutcome.DISSATISFIED, 4, "a score of 4 is satisfied"),
    ],
)
def test_callback_outcome_refuses_a_score_that_does_not_fit(
    outcome: CallbackOutcome, score: int, says: str
) -> None:
    with pytest.raises(GuardRefused, match=f"{says} under the policy \\(satisfied from 4\\)"):
        called_back(outcome, score)


def test_callback_outcome_needs_a_score_when_reached() -> None:
    with pytest.raises(MissingStepData, match=r"a satisfied callback needs the customer's"):
        called_back(CallbackOutcome.SATISFIED, None)


def test_callback_outcome_unreachable_only_after_the_attempts() -> None:
    r = resolved()
    for _ in range(2):
        r = step(r, Action.CALLBACK_ATTEMPT, AGENT)
    with pytest.raises(GuardRefused) as caught:
        step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.UNREACHABLE)
    assert str(caught.value) == (
        "request R-1: the customer can be recorded as unreachable after 3 unanswered "
        "attempts; 2 are on record."
    )
    r = step(r, Action.CALLBACK_ATTEMPT, AGENT)
    assert step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.UNREACHABLE).callback


def test_callback_outcome_unreachable_has_no_score() -> None:
    r = step(resolved(policy=LifecyclePolicy(callback_attempts=1)), Action.CALLBACK_ATTEMPT, AGENT)
    with pytest.raises(GuardRefused, match="an unreachable customer gave no score"):
        step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.UNREACHABLE, score=1)
    assert step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.UNREACHABLE).callback


# -- PRIORITY_CHANGE ------------------------------------------------------------------------


def test_priority_change_passes_a_confirmation_and_a_change_with_reason() -> None:
    r = step(received(), Action.ACKNOWLEDGE, AGENT)
    assert step(r, Action.ASSESS, AGENT, priority="P2").priority == "P2"  # confirms
    assert step(r, Action.ASSESS, AGENT, priority="P1", reason="gas nearby").priority == "P1"


def test_priority_change_needs_a_reason() -> None:
    r = step(received(), Action.ACKNOWLEDGE, AGENT)
    with pytest.raises(MissingStepData) as caught:
        step(r, Action.ASSESS, AGENT, priority="P3")
    assert str(caught.value) == (
        "request R-1: changing the priority from P2 to P3 needs a reason (the classifier's "
        "choice is overridden)."
    )


def test_priority_change_refuses_the_same_priority_when_reprioritising() -> None:
    with pytest.raises(GuardRefused, match="already at priority P2; reprioritise to another"):
        step(dispatched(), Action.REPRIORITISE, AGENT, priority="P2", reason="x")


def test_priority_change_refuses_an_unknown_priority() -> None:
    with pytest.raises(UnknownPriority, match="'P7'"):
        step(dispatched(), Action.REPRIORITISE, AGENT, priority="P7", reason="x")


# -- ASSIGNEE_FITS --------------------------------------------------------------------------

ROSTER = Roster(
    [
        StaffMember("W-07", "王师傅", {"plumbing"}, {"B1"}),
        StaffMember("E-01", "张师傅", {"electrical"}, {"B1"}),
    ]
)


def test_assignee_fits_passes_anyone_without_a_roster() -> None:
    assert step(assessed(), Action.DISPATCH, DISPATCHER, assignee="anyone").assignee == "anyone"


def test_assignee_fits_passes_a_fitting_member() -> None:
    r = assessed(policy=LifecyclePolicy(roster=ROSTER))
    assert step(r, Action.DISPATCH, DISPATCHER, assignee="W-07").assignee == "W-07"


def test_assignee_fits_refuses_a_member_without_the_skill() -> None:
    r = assessed(policy=LifecyclePolicy(roster=ROSTER))
    with pytest.raises(DispatchError, match=r"E-01 .*lacks skill 'plumbing'"):
        step(r, Action.DISPATCH, DISPATCHER, assignee="E-01")


def test_assignee_fits_uses_the_policys_skills() -> None:
    policy = LifecyclePolicy(roster=ROSTER, skills={Category.WATER_LEAK: "electrical"})
    r = assessed(policy=policy)
    assert step(r, Action.DISPATCH, DISPATCHER, assignee="E-01").assignee == "E-01"
    other = assessed(policy=policy, category=Category.NOISE)
    with pytest.raises(GuardRefused, match="no skill is mapped for category noise"):
        step(other, Action.DISPATCH, DISPATCHER, assignee="E-01")


def test_assignee_fits_refuses_a_request_without_territory() -> None:
    r = assessed(policy=LifecyclePolicy(roster=ROSTER), territory=None)
    with pytest.raises(GuardRefused, match="has no territory, so it cannot be checked"):
        step(r, Action.DISPATCH, DISPATCHER, assignee="W-07")
    # An escalation naming nobody is not checked.
    assert step(r, Action.ESCALATE, AGENT, level=1, reason="x").escalation_level == 1


# -- NEW_ASSIGNEE, HAS_ASSIGNEE, HANDLER_IS_ASSIGNEE ----------------------------------------


def test_new_assignee() -> None:
    r = dispatched()
    assert step(r, Action.REASSIGN, SUPERVISOR, assignee="W-08", reason="x").assignee == "W-08"
    with pytest.raises(GuardRefused) as caught:
        step(r, Action.REASSIGN, SUPERVISOR, assignee="W-07", reason="x")
    assert str(caught.value) == (
        "request R-1 is already assigned to W-07; reassign it to someone else."
    )


def test_has_assignee() -> None:
    # An enquiry answered at the desk, then reopened: nobody is assigned.
    r = step(assessed(RequestKind.ENQUIRY), Action.RESOLVE, AGENT, note="answered")
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.DISSATISFIED, score=1)
    assert (r.state, r.assignee) == (State.REOPENED, None)
    with pytest.raises(GuardRefused, match="has no assignee; dispatch it before work starts"):
        step(r, Action.START, SUPERVISOR)
    r = step(r, Action.DISPATCH, DISPATCHER, assignee="W-07")
    assert step(r, Action.START, SUPERVISOR).state is State.IN_PROGRESS


@pytest.mark.parametrize(
    ("make", "action", "data"),
    [
        (dispatched, Action.START, {}),
        (in_progress, Action.RESOLVE, {"note": "x"}),
        (
            lambda: step(
                in_progress(), Action.HOLD, PLUMBER, hold_reason=HoldReason.WAITING_FOR_PARTS
            ),
            Action.RESUME,
            {},
        ),
    ],
)
def test_handler_is_assignee(make: Any, action: Action, data: dict[str, Any]) -> None:
    r = make()
    with pytest.raises(GuardRefused) as caught:
        step(r, action, OTHER_PLUMBER, **data)
    assert str(caught.value) == (
        "request R-1 is assigned to W-07, not W-08; a handler works only on their own "
        "requests (reassign it first)."
    )
    assert step(r, action, PLUMBER, **data).last_step.action is action
    assert step(r, action, SUPERVISOR, **data).last_step.action is action  # not a handler


# -- ESCALATION_LEVEL -----------------------------------------------------------------------


def test_escalation_level_goes_up_to_the_max() -> None:
    r = step(dispatched(), Action.ESCALATE, SUPERVISOR, level=2, reason="x")
    assert r.escalation_level == 2
    with pytest.raises(GuardRefused) as caught:
        step(r, Action.ESCALATE, SUPERVISOR, level=2, reason="x")
    assert str(caught.value) == (
        "request R-1 is at escalation level 2; an escalation goes up, to a level from 3 to 3, "
        "not 2."
    )
    with pytest.raises(GuardRefused, match="from 3 to 3, not 4"):
        step(r, Action.ESCALATE, SUPERVISOR, level=4, reason="x")
    assert step(r, Action.ESCALATE, SYSTEM, level=3, reason="x").escalation_level == 3


def test_escalation_level_follows_the_policy() -> None:
    r = dispatched(policy=LifecyclePolicy(max_escalation_level=5))
    assert step(r, Action.ESCALATE, SUPERVISOR, level=5, reason="x").escalation_level == 5


# -- APPOINTMENT_AHEAD ----------------------------------------------------------------------


def test_appointment_ahead_passes_and_may_be_moved_before_it_is_kept() -> None:
    r = dispatched()
    first = step(r, Action.AGREE_TIME, AGENT, appointment=T0.add(hours=5))
    moved = step(first, Action.AGREE_TIME, AGENT, appointment=T0.add(hours=8), reason="owner")
    assert moved.appointment == T0.add(hours=8)


def test_appointment_ahead_refuses_a_time_not_after_the_step() -> None:
    r = dispatched()
    when = r.last_step.at.add(minutes=1)
    with pytest.raises(GuardRefused, match="an agreed time lies after the step"):
        r.take(Action.AGREE_TIME, AGENT, when, appointment=when)


def test_appointment_ahead_refuses_a_new_time_after_one_was_kept() -> None:
    r = step(dispatched(), Action.AGREE_TIME, AGENT, appointment=T0.add(hours=5))
    r = step(r, Action.START, PLUMBER)
    r = step(r, Action.RESOLVE, PLUMBER, note="x")
    r = step(r, Action.CALL_BACK, AGENT, outcome=CallbackOutcome.DISSATISFIED, score=2)
    assert r.state is State.REOPENED
    with pytest.raises(GuardRefused, match="was already kept or missed"):
        step(r, Action.AGREE_TIME, AGENT, appointment=T0.add(days=2))


# -- REOPEN_WINDOW --------------------------------------------------------------------------


def closed(policy: LifecyclePolicy | None = None) -> Request:
    return step(called_back(CallbackOutcome.SATISFIED, 5, policy=policy), Action.CLOSE, AGENT)


def test_reopen_window_is_thirty_days_after_closing() -> None:
    r = closed()
    day30 = r.closed_at.add(days=30)  # type: ignore[union-attr]
    assert r.take(Action.REOPEN, OWNER, day30, reason="again").state is State.REOPENED
    with pytest.raises(GuardRefused) as caught:
        r.take(Action.REOPEN, OWNER, r.closed_at.add(days=31), reason="again")  # type: ignore[union-attr]
    assert str(caught.value) == (
        "request R-1 was closed on 2026-11-24; it can be reopened until 2026-12-24 (30 days). "
        "Open a new request."
    )


def test_reopen_window_counts_local_dates() -> None:
    r = closed(LifecyclePolicy(reopen_within_days=0))
    same_day = pendulum.datetime(2026, 11, 24, 23, 59, tz="Asia/Shanghai")
    assert r.take(Action.REOPEN, OWNER, same_day, reason="x").state is State.REOPENED
    next_day = pendulum.datetime(2026, 11, 24, 16, 0, tz="UTC")  # 00:00 on the 25th in Shanghai
    with pytest.raises(GuardRefused, match="until 2026-11-24 \\(0 days\\)"):
        r.take(Action.REOPEN, OWNER, next_day, reason="x")


def test_reopen_window_does_not_apply_before_closing() -> None:
    r = called_back(CallbackOutcome.SATISFIED, 5)
    later = r.last_step.at.add(days=400)
    assert r.take(Action.REOPEN, OWNER, later, reason="x").state is State.REOPENED


# -- NOT_ITSELF -----------------------------------------------------------------------------


def test_not_itself() -> None:
    r = received()
    assert step(r, Action.MARK_DUPLICATE, AGENT, reason="x", duplicate_of="R-0").is_final
    with pytest.raises(GuardRefused) as caught:
        step(r, Action.MARK_DUPLICATE, AGENT, reason="x", duplicate_of="R-1")
    assert str(caught.value) == ("request R-1 cannot be a duplicate of itself; name the original.")


# -- CHARGE_POSTABLE ------------------------------------------------------------------------


def special_resolved(policy: LifecyclePolicy | None = None, quoted: bool = True) -> Request:
    r = assessed(RequestKind.SPECIAL_SERVICE, policy=policy)
    if quoted:
        r = step(step(r, Action.QUOTE, AGENT, quote=QUOTE), Action.ACCEPT_QUOTE, OWNER)
    r = step(r, Action.DISPATCH, DISPATCHER, assignee="W-07")
    return step(step(r, Action.START, PLUMBER), Action.RESOLVE, PLUMBER, note="done")


def test_charge_postable_once() -> None:
    r = step(special_resolved(), Action.POST_CHARGE, SYSTEM, statement="ST-12")
    assert r.charge_statement == "ST-12"
    with pytest.raises(GuardRefused) as caught:
        step(r, Action.POST_CHARGE, SYSTEM, statement="ST-13")
    assert str(caught.value) == (
        "request R-1's charge is already on statement ST-12; a charge is posted once."
    )


def test_charge_postable_needs_an_accepted_quote() -> None:
    unquoted = Transition(
        Action.DISPATCH,
        {State.ASSESSED},
        State.DISPATCHED,
        {Role.DISPATCHER},
        needs={Field.ASSIGNEE},
        kinds={RequestKind.SPECIAL_SERVICE},
    )
    r = special_resolved(with_rows(unquoted), quoted=False)
    with pytest.raises(GuardRefused, match="has no accepted quote, so there is nothing to charge"):
        step(r, Action.POST_CHARGE, SYSTEM, statement="ST-12")
