"""A service request: one type for every kind, a fold over its append-only history.

A request is created by :meth:`Request.receive` (which classifies it with the SLA classifier
and starts its clocks) and changed only by steps (:meth:`Request.apply`, or :meth:`Request.take`
for short). Each step is checked against the one transition table of the
:class:`~propcrm.complaints.LifecyclePolicy` — the state allows the action, the actor's role may
take it, the step carries exactly the data it needs and may carry, and every guard passes —
before anything changes; a refused step raises one specific error and leaves the request as it
was. The history holds the actor, time and data of every step, and :meth:`Request.replay`
rebuilds an equal request from it, SLA clocks included.

A night-time leak, from the hotline to the handler on site:

>>> import pendulum
>>> from propcrm.complaints import Action, Actor, Intake, IntakeChannel, RequestKind, Role
>>> from propcrm.classification import Category, Location
>>> from propcrm.sla import TargetKind
>>> agent, plumber = Actor("KF-01", Role.AGENT), Actor("W-07", Role.HANDLER)
>>> night = pendulum.datetime(2026, 11, 24, 23, 40, tz="Asia/Shanghai")
>>> leak = Request.receive(
...     Intake(
...         request_id="R-0001",
...         kind=RequestKind.REPAIR,
...         requester="P-301",
...         unit="1-2-0301",
...         channel=IntakeChannel.HOTLINE,
...         category=Category.WATER_LEAK,
...         location=Location.IN_HOME,
...         description="厨房水管漏水，水流不止",
...     ),
...     agent,
...     night,
... )
>>> leak.state.value, leak.priority
('received', 'P2')
>>> leak.clocks.clock(TargetKind.RESPONSE).deadline
DateTime(2026, 11, 24, 23, 55, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> leak = leak.take(Action.ACKNOWLEDGE, agent, night.add(minutes=1))
>>> leak = leak.take(Action.ASSESS, agent, night.add(minutes=2))
>>> leak = leak.take(Action.DISPATCH, agent, night.add(minutes=3), assignee="W-07")
>>> leak = leak.take(Action.START, plumber, night.add(minutes=9))
>>> leak.clocks.clock(TargetKind.RESPONSE).met
True
>>> leak.take(Action.CLOSE, agent, night.add(minutes=30))
Traceback (most recent call last):
...
propcrm.errors.IllegalTransition: a repair request in state in_progress cannot close; from \
in_progress it can: escalate, hold, reassign, reprioritise, resolve, update, withdraw.
>>> Request.replay(leak.history) == leak
True
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs
import pendulum

from propcrm._trusted import set_cached
from propcrm._validators import check_instance
from propcrm.classification import RequestFacts, classify
from propcrm.complaints._actors import SYSTEM, Actor
from propcrm.complaints._clocks import (
    PAUSE_SENDER,
    STEP_SENDERS,
    clock_events,
    fold_clocks,
    open_clocks,
    pause_running,
    paused_event,
)
from propcrm.complaints._draft import Draft
from propcrm.complaints._guards import GUARD_CHECKS, check_guard
from propcrm.complaints._kinds import RequestKind
from propcrm.complaints._policy import DEFAULT_LIFECYCLE_POLICY, LifecyclePolicy
from propcrm.complaints._quotes import Quote
from propcrm.complaints._states import TERMINAL_STATES, State
from propcrm.complaints._steps import (
    REOPENED_BY_POLICY,
    CallbackOutcome,
    CallbackRecord,
    HoldReason,
    Intake,
    Step,
    StepData,
)
from propcrm.complaints._transitions import Action, Field, Transition
from propcrm.errors import (
    ActionNotPermitted,
    IllegalTransition,
    InvalidHistory,
    InvalidRequest,
    MissingStepData,
    StepOutOfOrder,
    UnexpectedStepData,
)
from propcrm.sla import ClockState, RequestClocks, RequestClocksDraft, SlaEvent
from propcrm.time import aware

__all__ = ["Assignment", "Request", "each_once"]


@attrs.frozen
class Assignment:
    """One assignment of a request, read from its history: who, which team, when, by whom, why."""

    at: pendulum.DateTime
    assignee: str
    team: str | None
    by: Actor
    action: Action
    reason: str | None


_ASSIGNING = (Action.DISPATCH, Action.REASSIGN, Action.ESCALATE)
_NO_WAITS: tuple[tuple[int, str], ...] = ()
_ON_HOLD, _IN_MEDIATION = State.ON_HOLD, State.IN_MEDIATION


@attrs.frozen
class Request:
    """A service request as its history has made it. Build with :meth:`receive` or :meth:`replay`.

    The fields are the fold's state (read them; change the request only by steps). ``callback``
    is the callback of the latest resolution (``None`` until there is one);
    ``callback_attempts`` counts its unanswered attempts. ``clocks`` are the request's SLA
    clocks, built from its history when first read and kept.
    """

    request_id: str
    kind: RequestKind
    intake: Intake
    received_at: pendulum.DateTime
    state: State
    priority: str
    assignee: str | None
    team: str | None
    escalation_level: int
    hold_reason: HoldReason | None
    appointment: pendulum.DateTime | None
    appointment_done: bool
    resolution: str | None
    resolved_at: pendulum.DateTime | None
    callback_attempts: int
    callback: CallbackRecord | None
    quote: Quote | None
    quote_accepted: bool
    charge_statement: str | None
    referral: str | None
    duplicate_of: str | None
    closed_at: pendulum.DateTime | None
    reopens: int
    history: tuple[Step, ...]
    policy: LifecyclePolicy = attrs.field(eq=False, repr=False)
    _clocks: list[RequestClocks] = attrs.field(init=False, factory=list, eq=False, repr=False)
    # After which steps (their index in the history) the request waits, and for what: what its
    # clocks' fold needs of the states, recorded by the replay that computed them (None: not
    # built by a replay; a replay gives them then).
    _waits: tuple[tuple[int, str], ...] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        intake: Intake,
        actor: Actor,
        at: datetime.datetime,
        policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
    ) -> Request:
        """A new request: classified by ``policy.rules``, its clocks started at ``at``.

        The receipt step records the priority and the rule that gave it, so a replay under a
        later rule set rebuilds what happened rather than what would happen now.
        """
        receipt = cls.receipt(intake, actor, at, policy)
        draft = _receive(receipt, policy)
        clocks = open_clocks(
            draft.request_id, draft.priority, receipt, policy.sla, policy.calendars
        )
        return cls._frozen(draft, policy, clocks)

    @staticmethod
    def receipt(
        intake: Intake,
        actor: Actor,
        at: datetime.datetime,
        policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
    ) -> Step:
        """The receipt step :meth:`receive` records: the intake, the priority and why.

        ``classified_by`` is a reference, not prose, so the history reads the same in any
        language: ``<rule set>@<version>/<rule>``, and ``+<raise rule>:<base priority>`` when a
        raise rule raised the priority (``物业报修@2026.1/leak-in-home+elderly-alone-at-home:P2``).
        ``Classification.explain(locale)`` says it for people.
        """
        if not isinstance(intake, Intake):
            raise InvalidRequest(
                f"receive takes an Intake, not {intake!r}.",
                field="intake",
                value=intake,
                allowed="Intake",
            )
        check_instance(actor, "actor", Actor)
        check_instance(policy, "policy", LifecyclePolicy)
        facts = intake.facts(aware(at, field="at"))
        classification = classify(facts, policy.rules)
        rules = policy.rules
        classified_by = f"{rules.name}@{rules.version}/{classification.rule.name}"
        raised_by = classification.raised_by
        if raised_by is not None:
            classified_by += f"+{raised_by.name}:{classification.base_priority.code}"
        return Step(
            Action.RECEIVE,
            actor,
            facts.received_at,
            StepData(
                intake=intake,
                priority=classification.priority.code,
                classified_by=classified_by,
            ),
        )

    @classmethod
    def replay(
        cls, history: Iterable[Step], policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY
    ) -> Request:
        """The request ``history`` builds: the receipt, then every step as recorded.

        Every step is checked as it was when it was taken. Policy follow-ups (the reopen after
        a dissatisfied callback) are not added: they are in the history already.
        """
        check_instance(policy, "policy", LifecyclePolicy)
        if (
            type(history) is not list
            and type(history) is not tuple
            and (isinstance(history, str | bytes | Mapping) or not isinstance(history, Iterable))
        ):
            raise InvalidHistory(
                f"a history is a sequence of Steps, not {history!r}.",
                field="history",
                value=history,
                allowed="an iterable of Step",
            )
        steps = iter(history)
        first = next(steps, None)
        if first is None:
            raise InvalidHistory(
                "a request's history begins with its receipt; this one is empty.",
                field="history",
                value=(),
                allowed="a receive step, then the steps after it",
            )
        _check_history_step(first)
        draft = _receive(first, policy)
        waits: list[tuple[int, str]] = []
        for step in steps:
            if type(step) is not Step:  # (a Step needs no call to say so, at every step)
                _check_history_step(step)
            _take(draft, step, policy)
            state = draft.state
            if state is _ON_HOLD or state is _IN_MEDIATION:
                waiting = _waiting(state, draft.hold_reason, draft.referral)
                if waiting is not None:
                    waits.append((len(draft.history) - 1, waiting))
        request = cls._frozen(draft, policy, None)
        # (built here, not yet handed out: what its clocks' fold reads of the states)
        set_cached(request, "_waits", tuple(waits) if waits else _NO_WAITS)
        return request

    @classmethod
    def _frozen(
        cls, draft: Draft, policy: LifecyclePolicy, clocks: RequestClocks | None
    ) -> Request:
        request = cls(
            draft.request_id,
            draft.kind,
            draft.intake,
            draft.received_at,
            draft.state,
            draft.priority,
            draft.assignee,
            draft.team,
            draft.escalation_level,
            draft.hold_reason,
            draft.appointment,
            draft.appointment_done,
            draft.resolution,
            draft.resolved_at,
            draft.callback_attempts,
            draft.callback,
            draft.quote,
            draft.quote_accepted,
            draft.charge_statement,
            draft.referral,
            draft.duplicate_of,
            draft.closed_at,
            draft.reopens,
            tuple(draft.history),
            policy,
        )
        if clocks is not None:
            request._clocks.append(clocks)
        return request

    def _draft(self) -> Draft:
        draft = Draft.__new__(Draft)
        for name in Draft.__slots__:
            value = getattr(self, name)
            setattr(draft, name, list(value) if name == "history" else value)
        return draft

    # -- steps --------------------------------------------------------------------------------

    def apply(self, step: Step) -> Request:
        """The request after ``step`` (and any step the policy adds after it).

        With the default policy, a dissatisfied callback is followed at once by a reopen by
        :data:`~propcrm.complaints.SYSTEM`. A refused step raises and changes nothing.
        """
        if not isinstance(step, Step):
            raise InvalidRequest(
                f"apply takes a Step, not {step!r}.", field="step", value=step, allowed="Step"
            )
        request = self._stepped(step)
        callback = request.callback
        if (
            step.action is Action.CALL_BACK
            and callback is not None
            and callback.outcome is CallbackOutcome.DISSATISFIED
            and self.policy.reopen_on_dissatisfied
        ):
            request = request._stepped(
                Step(Action.REOPEN, SYSTEM, step.at, StepData(reason=REOPENED_BY_POLICY))
            )
        return request

    def take(self, action: Action, actor: Actor, at: datetime.datetime, **data: Any) -> Request:
        """Shorthand for ``apply(Step(action, actor, at, StepData(**data)))``."""
        return self.apply(Step(action, actor, at, StepData(**data)))

    def _stepped(self, step: Step) -> Request:
        draft = self._draft()
        _take(draft, step, self.policy)
        waiting = _waiting(draft.state, draft.hold_reason, draft.referral)
        clocks = _advance(self.clocks, step, self.policy, waiting)
        return Request._frozen(draft, self.policy, clocks)

    # -- reading ------------------------------------------------------------------------------

    def as_of(self, at: datetime.datetime) -> Request | None:
        """The request as its history stood at ``at`` (``None`` if it came in later).

        A prefix of a valid history is valid, since each step was checked against the steps
        before it. A dissatisfied callback and the reopen the policy adds share their instant,
        so a cut never separates them.
        """
        instant = aware(at, field="at")
        if self.received_at > instant:
            return None
        if self.last_step.at <= instant:
            return self
        return Request.replay((s for s in self.history if s.at <= instant), self.policy)

    @property
    def clocks(self) -> RequestClocks:
        """The request's SLA clocks (built from the history when first read, then kept)."""
        if not self._clocks:
            receipt = self.history[0]
            # Folded in one pass, frozen once: equal to the live path's apply per step.
            clocks = fold_clocks(
                self.request_id,
                _received_priority(receipt),
                receipt,
                self.policy.sla,
                self.policy.calendars,
            )
            # The clocks need to know when the request waits: the replay recorded it (after
            # each such step, the live path pauses what still runs).
            waits = self._waits
            if waits is None:  # (built by the constructor, not by a replay or a step)
                waits = Request.replay(self.history, self.policy)._waits
                assert waits is not None
            history = self.history
            sender_of = STEP_SENDERS.get
            reopened = self.policy.reopened_targets
            begin = 1
            for end, waiting in waits:
                send = None
                for step in history[begin : end + 1]:
                    send = sender_of(step.action)
                    if send is not None:
                        send(clocks, step, reopened)
                # A hold's or a referral's own pause has paused whatever ran and pauses.
                if send is not PAUSE_SENDER:
                    pause_running(clocks, history[end], waiting)
                begin = end + 1
            for step in history[begin:]:
                send = sender_of(step.action)
                if send is not None:
                    send(clocks, step, reopened)
            self._clocks.append(clocks.frozen())
        return self._clocks[0]

    @property
    def sla_events(self) -> tuple[SlaEvent, ...]:
        """The SLA events the history has sent to the clocks, in order."""
        return self.clocks.events

    @property
    def facts(self) -> RequestFacts:
        """What the SLA classifier reads of the request."""
        return self.intake.facts(self.received_at)

    @property
    def allowed_actions(self) -> tuple[Action, ...]:
        """The actions the request's state allows for its kind, sorted by code."""
        return self.policy.transitions.allowed(self.state, self.kind)

    @property
    def is_final(self) -> bool:
        """Whether nothing can happen to the request any more (rejected, duplicate, withdrawn)."""
        return self.state in TERMINAL_STATES

    @property
    def last_step(self) -> Step:
        """The latest step of the history."""
        return self.history[-1]

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        """Every dispatch, reassignment and escalation to a person, in order."""
        return tuple(
            Assignment(s.at, s.data.assignee, s.data.team, s.actor, s.action, s.data.reason)
            for s in self.history
            if s.action in _ASSIGNING and s.data.assignee is not None
        )

    @property
    def callbacks(self) -> tuple[CallbackRecord, ...]:
        """Every callback recorded, across reopens, in order."""
        records = []
        attempts = 0
        for step in self.history:
            if step.action is Action.RESOLVE:
                attempts = 0
            elif step.action is Action.CALLBACK_ATTEMPT:
                attempts += 1
            elif step.action is Action.CALL_BACK:
                records.append(_callback_record(step, attempts))
        return tuple(records)


_C = TypeVar("_C", RequestClocks, RequestClocksDraft)


# -- the fold ---------------------------------------------------------------------------------


def _waiting(state: State, hold_reason: HoldReason | None, referral: str | None) -> str | None:
    """Why a request in ``state`` waits on someone else (the pause reason), or ``None``."""
    if state is State.ON_HOLD and hold_reason is not None:
        return hold_reason.value
    if state is State.IN_MEDIATION:
        return referral or Action.REFER_TO_MEDIATION.value
    return None


def _advance(clocks: _C, step: Step, policy: LifecyclePolicy, waiting: str | None) -> _C:
    """``clocks`` after the SLA events ``step`` sends them (the same live and in a replay).

    ``waiting`` is why the request waits after the step (on hold, in mediation), if it does.
    A waiting request's pausable targets stay paused whatever the step: a new priority may add
    a target, which the SLA starts at once, and the wait is still not the company's.
    """
    for event in clock_events(clocks, step, policy.reopened_targets):
        clocks = clocks.apply(event)
    if waiting is not None:
        running = frozenset(
            c.kind for c in clocks.clocks if c.state is ClockState.RUNNING and c.target.pausable
        )
        if running:
            clocks = clocks.apply(paused_event(step.at, step.actor.actor_id, waiting, running))
    return clocks


def _received_priority(receipt: Step) -> str:
    priority = receipt.data.priority
    assert priority is not None  # a receipt needs it, so a built request has it
    return priority


def _check_history_step(step: object) -> None:
    if not isinstance(step, Step):
        raise InvalidHistory(
            f"a history holds Steps, not {step!r}.", field="history", value=step, allowed="Step"
        )


def _check_step(row: Transition, step: Step, request_id: str) -> None:
    if step.actor.role not in row.roles:
        roles = ", ".join(sorted(r.value for r in row.roles))
        raise ActionNotPermitted(
            f"request {request_id}: a {step.actor.role.value} cannot {step.action.value}; "
            f"it is for: {roles}.",
            request_id=request_id,
            action=step.action,
            role=step.actor.role,
            actor=step.actor.actor_id,
            roles=row.roles,
        )
    given = step.data.given
    if not row.needs <= given:
        missing = ", ".join(sorted(f.value for f in row.needs - given))
        raise MissingStepData(
            f"request {request_id}: {step.action.value} needs {missing}.",
            request_id=request_id,
            action=step.action,
            missing=row.needs - given,
        )
    if not given <= row.fields:
        extra = ", ".join(sorted(f.value for f in given - row.fields))
        takes = ", ".join(sorted(f.value for f in row.fields)) or "no data"
        raise UnexpectedStepData(
            f"request {request_id}: {step.action.value} does not take {extra}; it takes {takes}.",
            request_id=request_id,
            action=step.action,
            unexpected=given - row.fields,
            takes=row.fields,
        )


def _receive(receipt: Step, policy: LifecyclePolicy) -> Draft:
    if receipt.action is not Action.RECEIVE or receipt.data.intake is None:
        raise InvalidHistory(
            f"a request's history begins with its receipt (a receive step with the intake), "
            f"not {receipt.action.value}.",
            action=receipt.action,
            field="history",
            value=receipt,
            allowed="a receive step with the intake first",
        )
    intake = receipt.data.intake
    row = policy.transitions.receive_row(intake.kind)
    _check_step(row, receipt, intake.request_id)
    draft = Draft(receipt, intake, _received_priority(receipt))
    for guard in row.guards:
        check_guard(guard, draft, receipt, policy)
    return draft


def _take(draft: Draft, step: Step, policy: LifecyclePolicy) -> None:
    """Check ``step`` against the table and guards, then apply it to ``draft``."""
    last_at = draft.history[-1].at  # (Draft.last_at, read for every step of every replay)
    if step.at < last_at:
        raise StepOutOfOrder(
            f"request {draft.request_id}: a {step.action.value} at {step.at.isoformat()} is "
            f"earlier than its last step, at {last_at.isoformat()}; steps go "
            "forward in time.",
            request_id=draft.request_id,
            action=step.action,
            at=step.at,
            last_at=last_at,
        )
    transitions = policy.transitions
    state, action, kind = draft.state, step.action, draft.kind
    # find's own look-up of members, written out (every step of every replay); anything it
    # does not hold is asked of find, which refuses it.
    row = (
        transitions._index.get((state, action, kind))
        if type(state) is State and type(action) is Action and type(kind) is RequestKind
        else None
    )
    if row is None:
        try:
            row = transitions.find(state, action, kind)
        except IllegalTransition as error:
            # The table knows states and actions, not requests: the refusal names the request.
            error.context.setdefault("request_id", draft.request_id)
            raise
    given = step.data.given
    if not (step.actor.role in row.roles and row.needs <= given <= row.fields):
        _check_step(row, step, draft.request_id)  # (which refuses it, with its message)
    for guard in row.guards:
        GUARD_CHECKS[guard](draft, step, policy)  # (check_guard, written out)
    # What the step changes beyond the state: one dict lookup per step (the members hash by
    # identity), not up to fifteen comparisons.
    effect = _EFFECTS.get(step.action)
    if effect is not None:
        effect(draft, step)
    if row.target is not None:
        draft.state = row.target
        if row.target is not State.ON_HOLD:
            draft.hold_reason = None  # a hold reason is set exactly while the request is on hold
    draft.history.append(step)


def _callback_record(step: Step, attempts: int) -> CallbackRecord:
    outcome = step.data.outcome
    assert outcome is not None  # the table makes it needed
    return CallbackRecord(step.at, step.actor, outcome, step.data.score, attempts, step.data.note)


def _prioritise(draft: Draft, step: Step) -> None:
    if step.data.priority is not None:
        draft.priority = step.data.priority


def _refer(draft: Draft, step: Step) -> None:
    draft.referral = step.data.referral


def _mark_duplicate(draft: Draft, step: Step) -> None:
    draft.duplicate_of = step.data.duplicate_of


def _quote(draft: Draft, step: Step) -> None:
    draft.quote = step.data.quote
    draft.quote_accepted = False


def _accept_quote(draft: Draft, _step: Step) -> None:
    draft.quote_accepted = True


def _assign(draft: Draft, step: Step) -> None:
    draft.assignee = step.data.assignee
    draft.team = step.data.team


def _escalate(draft: Draft, step: Step) -> None:
    draft.escalation_level = _needed(step.data.level, Field.LEVEL)
    if step.data.assignee is not None:
        # Escalated to a person: the request leaves the team's queue with them.
        draft.assignee = step.data.assignee
        draft.team = None


def _agree_time(draft: Draft, step: Step) -> None:
    draft.appointment = step.data.appointment


def _start(draft: Draft, _step: Step) -> None:
    if draft.appointment is not None:
        draft.appointment_done = True


def _hold(draft: Draft, step: Step) -> None:
    draft.hold_reason = step.data.hold_reason


def _resolve(draft: Draft, step: Step) -> None:
    # A resolution stops an agreed time too: it was kept or missed.
    draft.appointment_done = draft.appointment is not None
    draft.resolution = step.data.note
    draft.resolved_at = step.at
    draft.callback = None
    draft.callback_attempts = 0


def _attempt_callback(draft: Draft, _step: Step) -> None:
    draft.callback_attempts += 1


def _call_back(draft: Draft, step: Step) -> None:
    draft.callback = _callback_record(step, draft.callback_attempts)


def _close(draft: Draft, step: Step) -> None:
    draft.closed_at = step.at


def _reopen(draft: Draft, _step: Step) -> None:
    draft.reopens += 1
    draft.closed_at = None


def _post_charge(draft: Draft, step: Step) -> None:
    draft.charge_statement = step.data.statement


# What each action changes beyond the state; actions not listed change nothing else.
_EFFECTS: dict[Action, Callable[[Draft, Step], None]] = {
    Action.ASSESS: _prioritise,
    Action.REPRIORITISE: _prioritise,
    Action.REJECT: _refer,
    Action.REFER_TO_MEDIATION: _refer,
    Action.MARK_DUPLICATE: _mark_duplicate,
    Action.QUOTE: _quote,
    Action.ACCEPT_QUOTE: _accept_quote,
    Action.DISPATCH: _assign,
    Action.REASSIGN: _assign,
    Action.ESCALATE: _escalate,
    Action.AGREE_TIME: _agree_time,
    Action.START: _start,
    Action.HOLD: _hold,
    Action.RESOLVE: _resolve,
    Action.CALLBACK_ATTEMPT: _attempt_callback,
    Action.CALL_BACK: _call_back,
    Action.CLOSE: _close,
    Action.REOPEN: _reopen,
    Action.POST_CHARGE: _post_charge,
}


def _needed(value: int | None, field: Field) -> int:
    assert value is not None, field  # the table makes it needed
    return value


def each_once(requests: Iterable[Request], reader: str) -> tuple[Request, ...]:
    """``requests`` as a tuple, refusing anything but a Request and a request id given twice.

    Reports and logs read a portfolio's requests, each once, as its latest history holds it;
    the same request twice would count its complaints, gaps or scores twice. ``reader`` names
    who reads them, for the message.
    """
    if isinstance(requests, str | bytes | Mapping) or not isinstance(requests, Iterable):
        raise InvalidRequest(
            f"{reader} reads a collection of Requests, not {requests!r}.",
            field="requests",
            value=requests,
            allowed="an iterable of Request",
        )
    found = tuple(requests)
    for request in found:
        if not isinstance(request, Request):
            raise InvalidRequest(
                f"{reader} reads Requests, not {request!r}.",
                field="requests",
                value=request,
                allowed="Request",
            )
    seen: set[str] = set()
    for request in found:
        if request.request_id in seen:
            # The same request twice would count its complaints, gaps or scores twice.
            raise InvalidRequest(
                f"request {request.request_id} is given twice to {reader}; give each request "
                "once, as its latest history holds it.",
                field="requests",
                value=request.request_id,
                allowed="each request id once",
            )
        seen.add(request.request_id)
    return found
