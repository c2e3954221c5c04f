"""How the steps of a request drive its SLA clocks: the one place this mapping is written.

The lifecycle never sets a deadline itself; each step becomes zero or more events of the
request's :class:`~propcrm.sla.RequestClocks` (brief §3–§4):

* **receive** opens the clocks at the classified priority and starts every target that starts
  with the request: the response target at least (有求必应);
* **start** (someone on site, or handling) stops the response target and an agreed time: the
  brief's levels are "on site or handled within 10 / 15 minutes, or the same day";
* **hold** and **refer to mediation** pause every running target that pauses, with the reason;
  **resume** resumes them;
* **resolve** stops every open target but the callback, then starts the callback target (or
  opens a new cycle of it after a reopen: each resolution owes its own callback);
* **call back** stops the callback target;
* **reopen** reopens the policy's reopened targets (resolution, same-day) that were stopped,
  under the SLA policy's reopen policy;
* **assess** with another priority, and **reprioritise**, change the priority (the SLA's
  priority-change policy applies); **agree a time** sets an agreed-time target;
* **update** resets a progress-update target;
* **reject**, **mark duplicate**, **withdraw** and **decline quote** cancel the request's clocks.

Events are addressed to the targets that can take them, so a step never fails on a clock
that has nothing to do (a hold when every target has stopped pauses nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal, overload

import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, pgettext
from propcrm._trusted import slot_constructor
from propcrm.complaints._steps import REOPENED_BY_POLICY, HoldReason, Step
from propcrm.complaints._transitions import Action
from propcrm.sla import (
    AgreedTime,
    CalendarSet,
    Cancelled,
    ClockState,
    Paused,
    PriorityChanged,
    Reopened,
    ReopenPolicy,
    RequestClocks,
    RequestClocksDraft,
    RequestClocksFold,
    Reset,
    Resumed,
    SlaEvent,
    SlaPolicy,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
)

__all__ = [
    "STEP_SENDERS",
    "clock_events",
    "fold_clocks",
    "open_clocks",
    "pause_reason",
    "pause_running",
    "paused_event",
    "reason_text",
]

_OPEN = (ClockState.RUNNING, ClockState.PAUSED)
_ON_SITE = frozenset({TargetKind.RESPONSE, TargetKind.AGREED_TIME})
_CANCELLING = frozenset(
    {Action.REJECT, Action.MARK_DUPLICATE, Action.WITHDRAW, Action.DECLINE_QUOTE}
)
_CALLBACK = frozenset({TargetKind.CALLBACK})
_UPDATE = frozenset({TargetKind.UPDATE})

# The events a step sends are built for every step of every replay. Each field comes from the
# step, which is validated: its instant by the same converter an event's runs, an actor id that
# is non-empty text, a reason that is an action's or hold reason's code or the staff's own
# non-empty words, and targets that are a non-empty frozenset of TargetKind (an event is sent
# only when some target takes it). So they are built by propcrm._trusted's positional
# constructors, in field order (at, actor, reason, targets[, policy]), under its contract: the
# property tests compare them with the validated constructors (tests/test_sla_clock_drafts.py).
_started = slot_constructor(Started, post_init=True)
_paused = slot_constructor(Paused, post_init=True)
_resumed = slot_constructor(Resumed, post_init=True)
_stopped = slot_constructor(Stopped, post_init=True)
_reset = slot_constructor(Reset, post_init=True)
_cancelled = slot_constructor(Cancelled, post_init=True)
_reopened = slot_constructor(Reopened, post_init=True)
# A replay's agreed time and priority change, likewise (tests/test_sla_fast_fold.py holds the
# replayed clocks' events equal to the live request's, which builds them validated): the
# appointment a step's converter made aware (what AgreedTime's converter returns for it, an
# equal instant in the same zone), an agreed time's target as Target's defaults make it (not
# pausable, starting with the request), a priority the step checked as non-empty text, and
# the SLA policy's own priority-change policy.
_target_changed = slot_constructor(TargetChanged, post_init=True)
_priority_changed = slot_constructor(PriorityChanged, post_init=True)
_target = slot_constructor(Target, post_init=True)
_agreed_time = slot_constructor(AgreedTime)

# An action's code, read for every step: Enum's value is a Python-level property.
_CODES = {action: action.value for action in Action}


@overload
def open_clocks(
    request_id: str,
    priority: str,
    receipt: Step,
    sla: SlaPolicy,
    calendars: CalendarSet,
    *,
    draft: Literal[False] = False,
) -> RequestClocks: ...


@overload
def open_clocks(
    request_id: str,
    priority: str,
    receipt: Step,
    sla: SlaPolicy,
    calendars: CalendarSet,
    *,
    draft: Literal[True],
) -> RequestClocksDraft: ...


def open_clocks(
    request_id: str,
    priority: str,
    receipt: Step,
    sla: SlaPolicy,
    calendars: CalendarSet,
    *,
    draft: bool = False,
) -> RequestClocks | RequestClocksDraft:
    """The clocks of a request received by ``receipt`` at ``priority``, started.

    ``draft=True``: as a :class:`~propcrm.sla.RequestClocksDraft`, to fold a whole history.
    """
    opened = RequestClocks.open(request_id, priority, sla, calendars)
    start = _started(receipt.at, receipt.actor.actor_id, _CODES[receipt.action], None)
    return RequestClocksDraft(opened).apply(start) if draft else opened.apply(start)


_Clocks = RequestClocks | RequestClocksDraft | RequestClocksFold


def _kinds(clocks: _Clocks, *states: ClockState) -> frozenset[TargetKind]:
    return frozenset(c.kind for c in clocks.clocks if c.state in states)


def clock_events(
    clocks: RequestClocks | RequestClocksDraft | RequestClocksFold,
    step: Step,
    reopened_targets: frozenset[TargetKind],
) -> list[SlaEvent]:
    """The SLA events ``step`` sends to ``clocks`` (which are the clocks just before it)."""
    send = _SENDERS.get(step.action)
    # Most steps send nothing: one look-up, not a case per action.
    return [] if send is None else send(clocks, step, reopened_targets)


# An event's reason is data the deadline explanations show: the staff's own words when the
# step has them, else a stable code (the action's, a hold reason's), never made-up text.


def _start(clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]) -> list[SlaEvent]:
    stop = frozenset(c.kind for c in clocks.clocks if c.kind in _ON_SITE and c.state in _OPEN)
    if not stop:
        return []
    return [_stopped(step.at, step.actor.actor_id, _CODES[step.action], stop)]


def _pause(clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]) -> list[SlaEvent]:
    running = frozenset(
        c.kind for c in clocks.clocks if c.state is ClockState.RUNNING and c.target.pausable
    )
    if not running:
        return []
    return [_paused(step.at, step.actor.actor_id, pause_reason(step), running)]


def _resume(
    clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    paused = frozenset(c.kind for c in clocks.clocks if c.state is ClockState.PAUSED)
    if not paused:
        return []
    return [_resumed(step.at, step.actor.actor_id, _CODES[step.action], paused)]


def _call_back(
    clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    callback = _kinds(clocks, *_OPEN) & _CALLBACK
    if not callback:
        return []
    return [_stopped(step.at, step.actor.actor_id, _CODES[step.action], callback)]


def _reopen(clocks: _Clocks, step: Step, reopened_targets: frozenset[TargetKind]) -> list[SlaEvent]:
    chosen = frozenset(
        c.kind
        for c in clocks.clocks
        if c.state is ClockState.STOPPED
        and c.kind in reopened_targets
        and not isinstance(c.target.spec, AgreedTime)
    )
    if not chosen:
        return []
    reason = step.data.reason or _CODES[step.action]
    return [_reopened(step.at, step.actor.actor_id, reason, chosen, None)]


def _prioritise(
    clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    data = step.data
    if data.priority is None or data.priority == clocks.priority:
        return []
    reason = data.reason or _CODES[step.action]
    return [PriorityChanged(step.at, step.actor.actor_id, reason, priority=data.priority)]


def _agree_time(
    _clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    data = step.data
    assert data.appointment is not None  # the table makes it needed
    target = Target(TargetKind.AGREED_TIME, AgreedTime(data.appointment))
    reason = data.reason or _CODES[step.action]
    return [TargetChanged(step.at, step.actor.actor_id, reason, target=target)]


def _update(
    clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    update = _kinds(clocks, *_OPEN) & _UPDATE
    if not update:
        return []
    reason = step.data.note or _CODES[step.action]
    return [_reset(step.at, step.actor.actor_id, reason, update)]


def _cancel(
    _clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    reason = step.data.reason or _CODES[step.action]
    return [_cancelled(step.at, step.actor.actor_id, reason, None)]


def pause_reason(step: Step) -> str:
    """Why ``step`` (a hold, a referral to mediation) pauses the clocks: a code, or the mediator."""
    if step.data.hold_reason is not None:
        return step.data.hold_reason.value
    # The mediator is who the request now waits for, as the staff named them.
    return step.data.referral or step.action.value


def _resolve(
    clocks: _Clocks, step: Step, _reopened_targets: frozenset[TargetKind]
) -> list[SlaEvent]:
    at, actor, code = step.at, step.actor.actor_id, _CODES[step.action]
    events: list[SlaEvent] = []
    stop = _kinds(clocks, *_OPEN) - {TargetKind.CALLBACK}
    if stop:
        events.append(_stopped(at, actor, code, stop))
    for clock in clocks.clocks:
        if clock.kind is not TargetKind.CALLBACK:
            continue
        callback = _CALLBACK
        if clock.state is ClockState.NOT_STARTED:
            events.append(_started(at, actor, code, callback))
        elif clock.state is ClockState.STOPPED:
            events.append(_reopened(at, actor, code, callback, ReopenPolicy.NEW_CYCLE))
    return events


# What each action sends the clocks (an action not here sends nothing).
_SENDERS: dict[Action, Callable[[_Clocks, Step, frozenset[TargetKind]], list[SlaEvent]]] = {
    Action.START: _start,
    Action.HOLD: _pause,
    Action.REFER_TO_MEDIATION: _pause,
    Action.RESUME: _resume,
    Action.RESOLVE: _resolve,
    Action.CALL_BACK: _call_back,
    Action.REOPEN: _reopen,
    Action.ASSESS: _prioritise,
    Action.REPRIORITISE: _prioritise,
    Action.AGREE_TIME: _agree_time,
    Action.UPDATE: _update,
    **dict.fromkeys(_CANCELLING, _cancel),
}


# -- the replay's one pass: each step straight to the clocks it moves ---------------------------
#
# What clock_events sends for a step and RequestClocks.apply does with it, in one pass: the fold
# picks the clocks a step moves, builds the one event and moves them
# (RequestClocksFold.send). Written action by action as the senders above; the property tests
# of tests/test_sla_fast_fold.py hold the clocks a replay folds this way equal to the live
# request's, event for event.

_STOPPED = (ClockState.STOPPED,)
_BUT_CALLBACK = tuple(k for k in TargetKind if k is not TargetKind.CALLBACK)
_Fold = RequestClocksFold


def _send_start(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    fold._stop(step.at, step.actor.actor_id, _CODES[step.action], _ON_SITE)


def _send_pause(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    fold._pause(step.at, step.actor.actor_id, pause_reason(step))


def _send_resume(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    fold._resume(step.at, step.actor.actor_id, _CODES[step.action])


def _send_resolve(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    at, actor, code = step.at, step.actor.actor_id, _CODES[step.action]
    # The callback's state before the stop (which never reaches it), as _resolve reads it.
    callback = None
    for clock in fold.clocks:
        if clock.kind is TargetKind.CALLBACK:
            callback = clock.state
    fold._stop(at, actor, code, _BUT_CALLBACK)
    if callback is ClockState.NOT_STARTED:
        fold._start_kinds(at, actor, code, _CALLBACK)
    elif callback is ClockState.STOPPED:
        fold.apply(_reopened(at, actor, code, _CALLBACK, ReopenPolicy.NEW_CYCLE))


def _send_call_back(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    fold._stop(step.at, step.actor.actor_id, _CODES[step.action], _CALLBACK)


def _send_reopen(fold: _Fold, step: Step, reopened_targets: frozenset[TargetKind]) -> None:
    reason = step.data.reason or _CODES[step.action]
    fold.send(
        Reopened, step.at, step.actor.actor_id, reason, _STOPPED, reopened_targets, agreed=False
    )


def _send_agree_time(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    data = step.data
    assert data.appointment is not None  # the table makes it needed
    target = _target(TargetKind.AGREED_TIME, _agreed_time(data.appointment), False, True)
    reason = data.reason or _CODES[step.action]
    policy = fold.policy.priority_change
    fold.apply(_target_changed(step.at, step.actor.actor_id, reason, target, policy))


def _send_prioritise(fold: _Fold, step: Step, _reopened_targets: frozenset[TargetKind]) -> None:
    data = step.data
    if data.priority is None or data.priority == fold.priority:
        return  # (_prioritise sends nothing: most assessments keep the priority)
    reason = data.reason or _CODES[step.action]
    policy = fold.policy.priority_change  # (filled in, as the request's fold stores it)
    at, actor = step.at, step.actor.actor_id
    fold.apply(_priority_changed(at, actor, reason, data.priority, policy))


def _send_events(fold: _Fold, step: Step, reopened_targets: frozenset[TargetKind]) -> None:
    for event in clock_events(fold, step, reopened_targets):
        fold.apply(event)


# What each action does to the clocks in a replay (an action not here does nothing).
_SEND: dict[Action, Callable[[_Fold, Step, frozenset[TargetKind]], None]] = {
    **dict.fromkeys(_SENDERS, _send_events),
    Action.START: _send_start,
    Action.HOLD: _send_pause,
    Action.REFER_TO_MEDIATION: _send_pause,
    Action.RESUME: _send_resume,
    Action.RESOLVE: _send_resolve,
    Action.CALL_BACK: _send_call_back,
    Action.REOPEN: _send_reopen,
    Action.AGREE_TIME: _send_agree_time,
    Action.ASSESS: _send_prioritise,
    Action.REPRIORITISE: _send_prioritise,
}


def fold_clocks(
    request_id: str,
    priority: str,
    receipt: Step,
    sla: SlaPolicy,
    calendars: CalendarSet,
) -> RequestClocksFold:
    """The clocks of a request received by ``receipt`` at ``priority``, started, to fold steps."""
    # (RequestClocksFold(...) then start(...), a level's clocks built started in one pass)
    return RequestClocksFold._received(
        request_id,
        priority,
        sla,
        calendars,
        receipt.at,
        receipt.actor.actor_id,
        _CODES[receipt.action],
    )


STEP_SENDERS: Final = _SEND
"""What each action does to a replay's clocks (an action not here does nothing)."""

PAUSE_SENDER: Final = _send_pause
"""What a hold or a referral to mediation does to a replay's clocks: pause what runs and pauses."""


def pause_running(fold: RequestClocksFold, step: Step, waiting: str) -> None:
    """After ``step``, pause the running targets that pause: the request waits, for ``waiting``."""
    fold._pause(step.at, step.actor.actor_id, waiting)


def reason_text(reason: str, locale: LocaleLike = DEFAULT_LOCALE) -> str:
    """A reason the lifecycle gave a clock event, for people, in ``locale``.

    The lifecycle records a stable code where the staff wrote nothing (an action's, a hold
    reason's, the policy's reopen); this says it in ``locale``. Anything else is a person's own
    words (or a mediator's name) and is returned as written. Pass it to a deadline
    explanation's ``summary(locale, reason_text=reason_text)``.

    >>> reason_text("agree_time"), reason_text("waiting_for_parts", "en_US")
    ('预约时间', 'waiting for parts')
    >>> reason_text("业主要求改期", "en_US")
    '业主要求改期'
    """
    check_locale(locale)
    if reason == REOPENED_BY_POLICY:
        return pgettext("step reason", "dissatisfied callback: reopened by policy", locale=locale)
    for vocabulary in (Action, HoldReason):
        try:
            member = vocabulary(reason)
        except ValueError:
            continue
        return member.label(locale)
    return reason


def paused_event(
    at: pendulum.DateTime, actor: str, reason: str, targets: frozenset[TargetKind]
) -> Paused:
    """A pause of ``targets`` while the request waits (on hold, in mediation), for ``reason``.

    Built trusted, as the events above: ``at`` and ``actor`` come from a validated step, the
    reason is a hold reason's code or a mediator's name, ``targets`` are non-empty.
    """
    event: Paused = _paused(at, actor, reason, targets)
    return event
