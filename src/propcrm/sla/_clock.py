"""The event-sourced SLA clock of one target: :class:`SlaClock`, a fold over its events.

The events (six verbs and three changes of policy) are in :mod:`propcrm.sla._events`; the
clocks of a whole request, which hand each event to the clocks it applies to, in
:mod:`propcrm.sla._request_clocks`. The events are the truth: replaying them rebuilds the clock
(an equal value).

**Consumed time** is business time on the target's calendar between each resume and the next
pause (or stop); the time a clock is paused, or closed before a reopen, does not count. While a
clock runs, its deadline is ``calendar.add(last resume, budget - consumed)``; a pause outside
working hours, several pauses, and a pause followed by a stop at the same instant are all exact,
because only the running stretches are measured.

**Met and breached.** A target is met when it stops having used no more business time than its
budget; ``failed_by`` is the business time used beyond it. The deadline is the instant the budget
is used up (the end of a window, if it uses one up exactly); the target is *breached* from the
first instant after it at which business time passes (:attr:`SlaClock.breached_at`): on a 24×7
calendar the deadline itself, on service hours the next window's start when the deadline is at
a window's end.

**Policies** (recorded in the events, filled from the :class:`~propcrm.sla.SlaPolicy` when an
event leaves them out): a priority or SLA change keeps the consumed time or restarts the target
(:class:`~propcrm.sla.PriorityChangePolicy`); a reopen continues the cycle, starts a new cycle
or restarts it (:class:`~propcrm.sla.ReopenPolicy`).

Refused, each with its own error: an event earlier than the last
(:class:`~propcrm.errors.EventOutOfOrder`), a verb the state does not allow such as resuming a
running clock (:class:`~propcrm.errors.InvalidTransition`), anything after a cancel
(:class:`~propcrm.errors.ClockCancelled`), pausing an agreed time
(:class:`~propcrm.errors.NotPausable`), naming a target the request does not have
(:class:`~propcrm.errors.UnknownTarget`).

>>> import pendulum
>>> from propcrm.sla import (
...     DEFAULT_SLA_POLICY,
...     BusinessCalendar,
...     CalendarSet,
...     Paused,
...     RequestClocks,
...     Resumed,
...     Started,
...     TargetKind,
... )
>>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
>>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> clocks = RequestClocks.open("R-1", "P2", DEFAULT_SLA_POLICY, calendars)
>>> clocks = clocks.apply(Started(nine, "客服小王"))
>>> clocks.clock(TargetKind.RESPONSE).deadline
DateTime(2026, 11, 24, 9, 15, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> clocks = clocks.apply(Paused(nine.add(minutes=5), "客服小王", "resident asked to wait"))
>>> clocks = clocks.apply(Resumed(nine.add(minutes=25), "客服小王"))
>>> clocks.clock(TargetKind.RESPONSE).deadline  # 10 of 15 minutes left at 09:25
DateTime(2026, 11, 24, 9, 35, 0, tzinfo=Timezone('Asia/Shanghai'))
>>> clocks.apply(Resumed(nine.add(minutes=26), "客服小王"))
Traceback (most recent call last):
...
propcrm.errors.InvalidTransition: no target of request R-1 can resume: response is running since
2026-11-24T09:25:00+08:00.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypedDict

import attrs
import pendulum

from propcrm._trusted import derive_trusted, slot_constructor
from propcrm._validators import check_int, check_items, instance_of
from propcrm.errors import (
    ClockCancelled,
    EventOutOfOrder,
    InvalidDuration,
    InvalidEvent,
    InvalidTransition,
    InvalidType,
    NotPausable,
    UnknownTarget,
)
from propcrm.sla._calendars import (
    BusinessCalendar,
    between_posix,
    instant_of_posix,
    posix_instant,
)
from propcrm.sla._clock_records import (
    OPEN,
    ClockSegment,
    ClockState,
    CycleOutcome,
    PauseCause,
    PauseRecord,
    moved,
)
from propcrm.sla._deadline_explanations import DeadlineExplanation
from propcrm.sla._events import (
    ADDRESSED_TO,
    EVENT_TYPES,
    Cancelled,
    Paused,
    PriorityChanged,
    Reopened,
    Reset,
    Resumed,
    SlaEvent,
    Started,
    Stopped,
    TargetChanged,
    VerbEvent,
    kinds_text,
)
from propcrm.sla._targets import (
    ELAPSED,
    AgreedTime,
    BusinessTime,
    CalendarSet,
    PriorityChangePolicy,
    ReopenPolicy,
    SameServiceDay,
    ServiceDayDue,
    Target,
    TargetKind,
    Within,
    service_day_due,
)
from propcrm.time import aware, zone

__all__ = ["IN_PLACE_VERBS", "ClockDraft", "ClockFold", "SlaClock", "window_end_posix"]


class _ClockChanges(TypedDict, total=False):
    """Fields of an :class:`SlaClock` an event changes (one build per event, not an evolve each)."""

    target: Target
    state: ClockState
    cycle: int
    epoch: int
    anchor: pendulum.DateTime | None
    budget: int
    segments: tuple[ClockSegment, ...]
    running_since: pendulum.DateTime | None
    consumed: int
    stopped_at: pendulum.DateTime | None
    service_day: ServiceDayDue | None
    pauses: tuple[PauseRecord, ...]
    reopens: int
    outcomes: tuple[CycleOutcome, ...]
    events: tuple[SlaEvent, ...]


def _check_target(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Target):
        raise InvalidType(
            f"an SLA clock measures a Target, not {value!r}.",
            field="target",
            value=value,
            allowed="Target",
        )


class ClockFold:
    """How one event changes a clock's fields: the fold, shared by :class:`SlaClock` and a draft.

    :meth:`SlaClock.apply` builds a new frozen clock from the changes; a request's clocks folded
    in one pass (:class:`ClockDraft`) set them in place and are frozen once at the end. Both run
    this same code, so they refuse the same events with the same errors and reach equal values.
    """

    __slots__ = ()

    if TYPE_CHECKING:

        @property
        def origin(self) -> Target: ...
        @property
        def calendars(self) -> CalendarSet: ...
        @property
        def target(self) -> Target: ...
        @property
        def state(self) -> ClockState: ...
        @property
        def cycle(self) -> int: ...
        @property
        def epoch(self) -> int: ...
        @property
        def anchor(self) -> pendulum.DateTime | None: ...
        @property
        def budget(self) -> int: ...
        @property
        def segments(self) -> tuple[ClockSegment, ...]: ...
        @property
        def running_since(self) -> pendulum.DateTime | None: ...
        @property
        def consumed(self) -> int: ...
        @property
        def stopped_at(self) -> pendulum.DateTime | None: ...
        @property
        def service_day(self) -> ServiceDayDue | None: ...
        @property
        def pauses(self) -> tuple[PauseRecord, ...]: ...
        @property
        def reopens(self) -> int: ...
        @property
        def outcomes(self) -> tuple[CycleOutcome, ...]: ...
        @property
        def events(self) -> tuple[SlaEvent, ...]: ...
        @property
        def kind(self) -> TargetKind: ...
        @property
        def calendar(self) -> BusinessTime: ...
        def outcome(self) -> CycleOutcome | None: ...
        def apply(self, event: SlaEvent) -> ClockFold: ...

    def _changes(self, event: SlaEvent) -> _ClockChanges:
        """The fields ``event`` changes, its ``events`` included; raises if it is refused.

        Every check runs, and every new value is computed, before anything is built or updated.
        """
        if not isinstance(event, EVENT_TYPES):
            raise InvalidType(
                f"{event!r} is not an SLA event.",
                field="event",
                value=event,
                allowed="an SLA event (Started, Paused, ...)",
            )
        kind = self.target.kind
        if self.state is ClockState.CANCELLED:
            raise ClockCancelled(
                f"the {kind.value} target was cancelled; it accepts no {event.verb}.",
                target=kind.value,
                state=self.state.value,
                action=event.verb,
            )
        if self.events:
            last = self.events[-1].at
            if event.at < last:
                raise EventOutOfOrder(
                    f"a {event.verb} at {event.at.isoformat()} is earlier than the last event "
                    f"of the {kind.value} target, at {last.isoformat()}; events go forward in "
                    "time.",
                    field="at",
                    value=event.at,
                    allowed=f"at or after {last.isoformat()}",
                    target=kind.value,
                    action=event.verb,
                )
        if isinstance(event, VerbEvent) and event.targets is not None:
            if kind not in event.targets:
                raise UnknownTarget(
                    f"a {event.verb} for {kinds_text(event.targets)} was given to the "
                    f"{kind.value} clock.",
                    field="targets",
                    value=event.targets,
                    allowed=kind.value,
                    target=kind.value,
                    action=event.verb,
                )
        elif isinstance(event, TargetChanged) and event.target.kind is not kind:
            raise UnknownTarget(
                f"a change of the {event.target.kind.value} target was given to the "
                f"{kind.value} clock.",
                field="target",
                value=event.target.kind.value,
                allowed=kind.value,
                target=kind.value,
                action=event.verb,
            )
        changes = self._fold(event)
        changes["events"] = (*self.events, event)
        return changes

    def _fold(self, event: SlaEvent) -> _ClockChanges:
        """The fields ``event`` changes; raises, before anything is built, if it is refused."""
        match event:
            case Started():
                return self._start(event)
            case Paused():
                return self._pause(event)
            case Resumed():
                return self._resume(event)
            case Stopped():
                return self._stop(event)
            case Reset():
                return self._reset(event)
            case Cancelled():
                return self._cancel(event)
            case Reopened():
                return self._reopen(event)
            case TargetChanged():
                return self._retarget(event)
            case PriorityChanged():
                raise InvalidEvent(
                    "a priority change is a request-level event; apply it to RequestClocks, "
                    "which turns it into a TargetChanged for each target.",
                    field="event",
                    value=event,
                    allowed="a verb or TargetChanged event",
                    target=self.kind.value,
                    action=event.verb,
                )

    def _refuse(self, event: SlaEvent, allowed: str) -> InvalidTransition:
        return InvalidTransition(
            f"cannot {event.verb} the {self.kind.value} target at {event.at.isoformat()}: it is "
            f"{self._state_text()}; {event.verb} applies to a clock that is {allowed}.",
            target=self.kind.value,
            state=self.state.value,
            action=event.verb,
        )

    def _state_text(self) -> str:
        match self.state:
            case ClockState.RUNNING:
                assert self.running_since is not None
                return f"running since {self.running_since.isoformat()}"
            case ClockState.PAUSED:
                return f"paused since {self.pauses[-1].since.isoformat()}"
            case ClockState.STOPPED:
                assert self.stopped_at is not None
                return f"stopped at {self.stopped_at.isoformat()}"
            case _:
                return str(self.state.value).replace("_", " ")

    def _budget(
        self, target: Target, at: pendulum.DateTime, verb: str
    ) -> tuple[int, ServiceDayDue | None]:
        spec = target.spec
        if isinstance(spec, Within):
            return spec.seconds, None
        calendar = self.calendars.for_spec(spec)
        if isinstance(spec, SameServiceDay):
            due = service_day_due(calendar, at, spec.cutoff)
            return calendar.between(at, due.due), due
        if spec.due <= at:
            raise InvalidTransition(
                f"cannot {verb} the {target.kind.value} target at {at.isoformat()}: its agreed "
                f"time {spec.due.isoformat()} is not after it; agree a later time.",
                field="due",
                value=spec.due,
                allowed=f"an agreed time after {at.isoformat()}",
                target=target.kind.value,
                action=verb,
            )
        return calendar.between(at, spec.due), None

    def _measure_from(
        self, target: Target, at: pendulum.DateTime, verb: str, *, paused: PauseRecord | None
    ) -> _ClockChanges:
        """A fresh measurement of ``target`` from ``at``: nothing consumed, a new epoch."""
        budget, due = self._budget(target, at, verb)
        return {
            "target": target,
            "epoch": self.epoch + 1,
            "anchor": at,
            "budget": budget,
            "service_day": due,
            "segments": (),
            "consumed": 0,
            "running_since": None if paused is not None else at,
            "stopped_at": None,
            "pauses": () if paused is None else (moved(paused, since=at, until=None),),
        }

    def _start(self, event: Started) -> _ClockChanges:
        if self.state is not ClockState.NOT_STARTED:
            hint = "not started (reopen a stopped one)"
            raise self._refuse(event, hint)
        started = self._measure_from(self.target, event.at, event.verb, paused=None)
        started["state"] = ClockState.RUNNING
        started["cycle"] = 1
        return started

    def _close_segment(self, at: pendulum.DateTime) -> _ClockChanges:
        assert self.running_since is not None
        return {
            "segments": (*self.segments, ClockSegment(self.running_since, at)),
            "consumed": self.consumed + self.calendar.between(self.running_since, at),
            "running_since": None,
        }

    def _pause(self, event: Paused) -> _ClockChanges:
        if self.state is not ClockState.RUNNING:
            raise self._refuse(event, "running")
        if not self.target.pausable:
            raise NotPausable(
                f"the {self.kind.value} target ({self.target.spec.describe('en_US')}) never "
                "pauses.",
                target=self.kind.value,
                state=self.state.value,
                action=event.verb,
            )
        paused = self._close_segment(event.at)
        paused["state"] = ClockState.PAUSED
        paused["pauses"] = (*self.pauses, PauseRecord(event.at, None, event.reason, event.actor))
        return paused

    def _end_pause(self, at: pendulum.DateTime) -> tuple[PauseRecord, ...]:
        *earlier, last = self.pauses
        return (*earlier, moved(last, since=last.since, until=at))

    def _resume(self, event: Resumed) -> _ClockChanges:
        if self.state is not ClockState.PAUSED:
            raise self._refuse(event, "paused")
        return {
            "state": ClockState.RUNNING,
            "running_since": event.at,
            "pauses": self._end_pause(event.at),
        }

    def _stop(self, event: Stopped) -> _ClockChanges:
        stopped: _ClockChanges
        if self.state is ClockState.RUNNING:
            stopped = self._close_segment(event.at)
        elif self.state is ClockState.PAUSED:
            stopped = {"pauses": self._end_pause(event.at)}
        else:
            raise self._refuse(event, "running or paused")
        stopped["state"] = ClockState.STOPPED
        stopped["stopped_at"] = event.at
        return stopped

    def _reset(self, event: Reset) -> _ClockChanges:
        if self.state not in OPEN:
            raise self._refuse(event, "running or paused")
        paused = self.pauses[-1] if self.state is ClockState.PAUSED else None
        return self._measure_from(self.target, event.at, event.verb, paused=paused)

    def _cancel(self, event: Cancelled) -> _ClockChanges:
        cancelled: _ClockChanges
        if self.state is ClockState.STOPPED:
            raise self._refuse(
                event, "not started, running or paused (a stopped target's outcome stands)"
            )
        if self.state is ClockState.RUNNING:
            cancelled = self._close_segment(event.at)
        elif self.state is ClockState.PAUSED:
            cancelled = {"pauses": self._end_pause(event.at)}
        else:
            cancelled = {}
        cancelled["state"] = ClockState.CANCELLED
        return cancelled

    def _reopen(self, event: Reopened) -> _ClockChanges:
        if self.state is not ClockState.STOPPED:
            raise self._refuse(event, "stopped")
        policy = event.policy
        if policy is None:
            raise InvalidEvent(
                "a reopen given to a single clock must name its policy; RequestClocks fills it "
                "in from the SLA policy.",
                field="policy",
                value=None,
                allowed="a ReopenPolicy",
                target=self.kind.value,
            )
        fixed = isinstance(self.target.spec, AgreedTime)
        if fixed and policy is not ReopenPolicy.CONTINUE:
            raise InvalidTransition(
                f"the {self.kind.value} target is an agreed time, which cannot {policy.value}; "
                "reopen it with CONTINUE, or agree a new time with TargetChanged.",
                target=self.kind.value,
                state=self.state.value,
                action=event.verb,
                policy=policy.value,
            )
        assert self.stopped_at is not None
        closed = PauseRecord(
            self.stopped_at, event.at, event.reason, event.actor, PauseCause.CLOSED
        )
        if policy is ReopenPolicy.CONTINUE:
            if fixed:
                # An agreed time never pauses: the stretch it was closed counts, so the stop is
                # undone rather than turned into a gap.
                *kept, last = self.segments
                return {
                    "state": ClockState.RUNNING,
                    "segments": tuple(kept),
                    "consumed": self.consumed - self.calendar.between(last.start, last.end),
                    "running_since": last.start,
                    "stopped_at": None,
                    "pauses": (*self.pauses, closed),
                    "reopens": self.reopens + 1,
                }
            return {
                "state": ClockState.RUNNING,
                "running_since": event.at,
                "stopped_at": None,
                "pauses": (*self.pauses, closed),
                "reopens": self.reopens + 1,
            }
        outcome = self.outcome()
        assert outcome is not None
        fresh = self._measure_from(self.target, event.at, event.verb, paused=None)
        fresh["state"] = ClockState.RUNNING
        if policy is ReopenPolicy.NEW_CYCLE:
            fresh["cycle"] = self.cycle + 1
            fresh["outcomes"] = (*self.outcomes, outcome)
            fresh["reopens"] = 1
        else:
            fresh["reopens"] = self.reopens + 1
        return fresh

    def _retarget(self, event: TargetChanged) -> _ClockChanges:
        policy = event.policy
        if policy is None:
            raise InvalidEvent(
                "a target change given to a single clock must name its policy; RequestClocks "
                "fills it in from the SLA policy.",
                field="policy",
                value=None,
                allowed="a PriorityChangePolicy",
                target=self.kind.value,
            )
        new = event.target
        # A missing calendar is refused before anything changes, not when the clock is built.
        calendar = self.calendars.for_spec(new.spec)
        if self.state is ClockState.NOT_STARTED:
            return {"target": new}
        if self.state is ClockState.STOPPED:
            raise self._refuse(
                event, "not started, running or paused (a stopped target's outcome stands)"
            )
        paused = self.state is ClockState.PAUSED
        if paused and not new.pausable:
            raise NotPausable(
                f"the {self.kind.value} target is paused, and its new spec "
                f"({new.spec.describe('en_US')}) never pauses; resume it first.",
                target=self.kind.value,
                state=self.state.value,
                action=event.verb,
            )
        if isinstance(new.spec, AgreedTime) or policy is PriorityChangePolicy.RESTART:
            # An agreed time is measured from its agreement, whatever the change policy.
            return self._measure_from(
                new, event.at, event.verb, paused=self.pauses[-1] if paused else None
            )
        assert self.anchor is not None
        budget, due = self._budget(new, self.anchor, event.verb)
        return {
            "target": new,
            "budget": budget,
            "service_day": due,
            "consumed": sum(calendar.between(s.start, s.end) for s in self.segments),
        }


class _DeadlinePlan:
    """A slot for what a fast fold read of a clock's deadline, kept with the clock it built.

    Not an attrs field: it takes no part in construction, equality, hashing, repr, evolve or
    pickling, so every clock but the one the fold hands out (copies, pickles, clocks rebuilt or
    folded by :meth:`SlaClock.apply`) lacks it and computes its deadline from its fields.
    ``RequestClocksFold`` sets it through :func:`propcrm._trusted.set_cached` on the clock it
    has just built (see :meth:`SlaClock.deadline`).
    """

    __slots__ = ("_deadline_plan",)


@attrs.frozen
class SlaClock(ClockFold, _DeadlinePlan):
    """The clock of one target: a fold over the events addressed to it.

    Build one with :meth:`new` and :meth:`apply` events (or :meth:`replay` them); the fields
    are the fold's state. ``epoch`` counts measurements (start, reset, restart, new cycle), so
    that an alert is sent once per measurement. ``consumed`` is the business time of the closed
    running ``segments`` on the current target's calendar. ``reopens`` counts the reopens of the
    current cycle (a new-cycle reopen is the first of its cycle), so they add up across cycles.
    """

    origin: Target = attrs.field(validator=_check_target)
    calendars: CalendarSet = attrs.field(repr=False, validator=instance_of(CalendarSet))
    target: Target = attrs.field(validator=_check_target)
    state: ClockState = ClockState.NOT_STARTED
    cycle: int = 0
    epoch: int = 0
    anchor: pendulum.DateTime | None = None
    budget: int = 0
    segments: tuple[ClockSegment, ...] = ()
    running_since: pendulum.DateTime | None = None
    consumed: int = 0
    stopped_at: pendulum.DateTime | None = None
    service_day: ServiceDayDue | None = None
    pauses: tuple[PauseRecord, ...] = ()
    reopens: int = 0
    outcomes: tuple[CycleOutcome, ...] = ()
    events: tuple[SlaEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        self.calendars.for_spec(self.target.spec)  # refuse a missing calendar now

    @classmethod
    def new(cls, target: Target, calendars: CalendarSet) -> SlaClock:
        """A clock for ``target`` that has not started."""
        return cls(target, calendars, target)

    @classmethod
    def replay(cls, target: Target, calendars: CalendarSet, events: Iterable[SlaEvent]) -> SlaClock:
        """The clock that ``events`` build from a new clock for ``target``.

        Equal to applying them one at a time, with the same error for a refused event.
        """
        clock = cls.new(target, calendars)
        for event in check_items(events, "events", error=InvalidEvent):
            clock = clock.apply(event)
        return clock

    def rebuilt(self) -> SlaClock:
        """This clock rebuilt from its own events (equal to it)."""
        return SlaClock.replay(self.origin, self.calendars, self.events)

    # -- reading ----------------------------------------------------------------------------------

    @property
    def kind(self) -> TargetKind:
        """The kind of target measured."""
        return self.target.kind

    @property
    def calendar(self) -> BusinessTime:
        """The calendar the current target runs on."""
        return self.calendars.for_spec(self.target.spec)

    @property
    def last_event_at(self) -> pendulum.DateTime | None:
        """The timestamp of the last event applied."""
        return self.events[-1].at if self.events else None

    @property
    def is_open(self) -> bool:
        """Whether the clock is running or paused."""
        return self.state in OPEN

    def consumed_at(self, at: datetime.datetime) -> int:
        """Business seconds used in this measurement up to the instant ``at``."""
        when = aware(at, field="at")
        calendar = self.calendar
        if self.segments and when < self.segments[-1].end:
            total = sum(
                calendar.between(s.start, min(s.end, when)) for s in self.segments if s.start < when
            )
        else:
            total = self.consumed
        if self.running_since is not None and self.running_since < when:
            total += calendar.between(self.running_since, when)
        return total

    def when_consumed(self, seconds: int) -> pendulum.DateTime | None:
        """The instant this measurement had used (or, running, will have used) ``seconds``.

        ``None`` if it has not got there and is not running (paused, stopped, not started).
        """
        check_int(seconds, "seconds", InvalidDuration, minimum=0)
        if self.anchor is None or self.state is ClockState.CANCELLED:
            return None
        if seconds <= 0:
            return self.anchor
        calendar = self.calendar
        used = 0
        for segment in self.segments:
            length = calendar.between(segment.start, segment.end)
            if used + length >= seconds:
                return calendar.add(segment.start, seconds - used)
            used += length
        if self.running_since is not None:
            return calendar.add(self.running_since, seconds - used)
        return None

    @property
    def deadline(self) -> pendulum.DateTime | None:
        """When the budget is (or was) used up; ``None`` while paused with budget left.

        Running: ``calendar.add(last resume, budget - consumed)``. Stopped with budget left:
        the deadline as it stood when the clock last ran.
        """
        # A clock a request's fold built: the instant (POSIX seconds) and the business seconds
        # after it that the fold knew, on the calendar's index (every report reads deadlines).
        # (A fold plans only a started clock that is not cancelled.)
        plan = getattr(self, "_deadline_plan", None)
        if plan is not None:
            if not plan:
                return None  # paused with budget left
            deadline_at, calendar_or_start, s, us, seconds = plan
            return deadline_at(calendar_or_start, s, us, seconds)  # type: ignore[no-any-return]
        if self.anchor is None or self.state is ClockState.CANCELLED:
            return None
        calendar = self.calendar
        if type(calendar) is BusinessCalendar:
            return _deadline_posix(self, calendar)
        return _deadline_asked(self, calendar)

    @property
    def breached_at(self) -> pendulum.DateTime | None:
        """The first instant at which more than the budget has been used, if known.

        The deadline itself, unless the deadline ends a window: then the start of the next one.
        """
        if self.anchor is None or self.state is ClockState.CANCELLED:
            return None
        calendar = self.calendar
        if self.consumed > self.budget:
            used = 0
            for segment in self.segments:
                length = calendar.between(segment.start, segment.end)
                if used + length > self.budget:
                    return calendar.next_working_instant(
                        calendar.add(segment.start, self.budget - used)
                    )
                used += length
        if self.running_since is not None:
            return calendar.next_working_instant(
                calendar.add(self.running_since, self.budget - self.consumed)
            )
        return None

    def remaining(self, at: datetime.datetime) -> int:
        """Budget left at ``at``, in business seconds (negative: overdue by that much)."""
        return self.budget - self.consumed_at(at)

    def failed_by(self, at: datetime.datetime | None = None) -> int:
        """Business seconds used beyond the budget: at the stop, or at ``at`` while open."""
        if self.state is ClockState.STOPPED or at is None:
            used = self.consumed
        else:
            used = self.consumed_at(at)
        return max(0, used - self.budget)

    @property
    def met(self) -> bool | None:
        """For a stopped clock, whether it used no more than its budget; else ``None``."""
        if self.state is not ClockState.STOPPED:
            return None
        return self.consumed <= self.budget

    def outcome(self) -> CycleOutcome | None:
        """The current cycle as a finished outcome, if the clock is stopped."""
        if self.state is not ClockState.STOPPED:
            return None
        assert self.anchor is not None  # set by the start
        assert self.stopped_at is not None  # set by the stop
        deadline = self.deadline
        assert deadline is not None  # a stopped clock always has one
        return CycleOutcome(
            self.cycle,
            self.target.spec,
            self.anchor,
            self.stopped_at,
            deadline,
            self.budget,
            self.consumed,
            self.reopens,
        )

    def explain(self) -> DeadlineExplanation:
        """The deadline and everything behind it: rule, calendar detail, pauses, changes."""
        deadline = self.deadline
        detail = None
        if deadline is not None and self.anchor is not None and self.anchor < deadline:
            detail = self.calendar.explain(self.anchor, deadline)
        return DeadlineExplanation(
            kind=self.kind,
            rule=self.target.spec.describe("en_US"),
            spec=self.target.spec,
            calendar=self.calendar.name,
            state=self.state,
            cycle=self.cycle,
            started_at=self.anchor,
            budget_seconds=self.budget,
            consumed_seconds=self.consumed,
            running_since=self.running_since,
            deadline=deadline,
            breached_at=self.breached_at,
            stopped_at=self.stopped_at,
            pauses=self.pauses,
            service_day=self.service_day,
            changes=tuple(e for e in self.events if isinstance(e, TargetChanged | Reopened)),
            calendar_detail=detail,
        )

    # -- folding ----------------------------------------------------------------------------------

    def apply(self, event: SlaEvent) -> SlaClock:
        """The clock after ``event``; a refused event raises and leaves nothing half-applied."""
        changes = self._changes(event)
        if type(self) is not SlaClock:
            # A subclass may check more than SlaClock does: it gets every validator.
            return attrs.evolve(self, **changes)
        # Folding an event derives a clock from one that is already valid, for every event of
        # every replay; re-running the converters and validators there was half the cost of a
        # replay. What the fold changes keeps SlaClock's checks true: a new target comes from a
        # validated TargetChanged, and _retarget looks its calendar up before it switches, which
        # is all that __attrs_post_init__ checks (and derive_trusted runs it anyway).
        return derive_trusted(self, **changes)


def business_deadline(
    calendar: BusinessCalendar, s: int, us: int, seconds: int
) -> pendulum.DateTime:
    """``calendar.add(start, seconds)`` from ``start``'s POSIX seconds ``s`` + ``us``."""
    return calendar._out(*calendar._index.add(s, us, seconds))


def elapsed_deadline(start: pendulum.DateTime, s: int, us: int, seconds: int) -> pendulum.DateTime:
    """``ELAPSED.add(start, seconds)`` from ``start``'s POSIX seconds ``s`` + ``us``.

    For ``start`` in an IANA zone and ``0 <= seconds`` within the elapsed time's span (what a
    fold plans): the instant ``seconds`` later, in ``start``'s zone, built as the business
    calendars build theirs (an overflow is left to ``ELAPSED.add``, which refuses it).
    """
    tz = zone(start.tzinfo.name)  # type: ignore[union-attr]
    try:
        return instant_of_posix(s + seconds, us, tz)
    except (OverflowError, ValueError):
        return ELAPSED.add(start, seconds)


def _deadline_posix(clock: SlaClock, calendar: BusinessCalendar) -> pendulum.DateTime | None:
    """:attr:`SlaClock.deadline` of a started clock on a :class:`BusinessCalendar`.

    The same arithmetic as ``when_consumed(budget)`` and the stopped clock's ``add``, on the
    calendar's index, from the instants' POSIX seconds, each read once: a report reads every
    clock's deadline (a clock a replay folded reads its plan instead).
    """
    index = calendar._index
    budget = clock.budget
    anchor = clock.anchor
    assert anchor is not None
    if budget <= 0 or clock.consumed > budget:
        return _deadline_asked(clock, calendar)  # (what the calendar's own checks refuse too)
    used = 0
    for segment in clock.segments:
        start = posix_instant(segment.start)
        end = posix_instant(segment.end)
        length = index.between(start[0], start[1], end[0], end[1])
        if used + length >= budget:
            return business_deadline(calendar, start[0], start[1], budget - used)
        used += length
    if clock.running_since is not None:
        since = posix_instant(clock.running_since)
        return business_deadline(calendar, since[0], since[1], budget - used)
    if clock.state is not ClockState.STOPPED:
        return None
    segments = clock.segments
    last_ran = posix_instant(segments[-1].end if segments else anchor)
    return business_deadline(calendar, last_ran[0], last_ran[1], budget - clock.consumed)


def _deadline_asked(clock: SlaClock, calendar: BusinessTime) -> pendulum.DateTime | None:
    """:attr:`SlaClock.deadline` of a started clock, asked of the calendar step by step."""
    reached = clock.when_consumed(clock.budget)
    if reached is not None or clock.state is not ClockState.STOPPED:
        return reached
    last_ran = clock.segments[-1].end if clock.segments else clock.anchor
    assert last_ran is not None
    return calendar.add(last_ran, clock.budget - clock.consumed)


_CLOCK_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(SlaClock))
_read_clock = operator.attrgetter(*_CLOCK_FIELDS)


class ClockDraft(ClockFold):
    """A clock folded in place: :class:`SlaClock`'s own fold, its fields set rather than rebuilt.

    A request's clocks take several events each; building a frozen clock after every one of
    them was most of the cost of reading a replayed request's clocks. A draft starts from a
    frozen clock, takes events through the same :class:`ClockFold` code (so every check runs
    and every value is computed exactly as :meth:`SlaClock.apply` does), and is frozen once by
    :meth:`frozen`. After a refused event a draft may be half-changed: it is dropped, never
    frozen (the fold that owns it raises).
    """

    __slots__ = (
        "_base",
        "_calendar",
        "_calendar_of",
        "_since",
        "_since_of",
        "kind",
        *_CLOCK_FIELDS,
    )

    if TYPE_CHECKING:
        # Set in place here (ClockFold declares them read-only).
        kind: TargetKind
        origin: Target
        calendars: CalendarSet
        target: Target
        reopens: int
        outcomes: tuple[CycleOutcome, ...]
        state: ClockState
        cycle: int
        epoch: int
        anchor: pendulum.DateTime | None
        budget: int
        segments: tuple[ClockSegment, ...]
        running_since: pendulum.DateTime | None
        consumed: int
        stopped_at: pendulum.DateTime | None
        service_day: ServiceDayDue | None
        pauses: tuple[PauseRecord, ...]
        events: tuple[SlaEvent, ...]

    def __init__(self, clock: SlaClock) -> None:
        self._base = clock
        self._calendar_of: Target | None = None
        self._since_of: pendulum.DateTime | None = None
        self._since = (0, 0)
        # One statement, not a setattr per field: a draft is made for every clock of every
        # replayed request (a test holds this list to SlaClock's fields).
        (
            self.origin,
            self.calendars,
            self.target,
            self.state,
            self.cycle,
            self.epoch,
            self.anchor,
            self.budget,
            self.segments,
            self.running_since,
            self.consumed,
            self.stopped_at,
            self.service_day,
            self.pauses,
            self.reopens,
            self.outcomes,
            self.events,
        ) = _read_clock(clock)
        # A clock measures one kind for good: a change of target keeps it (_changes refuses
        # another), so it is read once, not through target at every look-up.
        self.kind = clock.kind

    @property
    def calendar(self) -> BusinessTime:
        # Looked up once per target (a retarget changes it), not at every segment it closes.
        if self._calendar_of is not self.target:
            self._calendar = self.calendars.for_spec(self.target.spec)
            self._calendar_of = self.target
        return self._calendar

    def outcome(self) -> CycleOutcome | None:
        return self.frozen().outcome()

    def apply(self, event: SlaEvent) -> ClockDraft:
        """This draft after ``event`` (changed in place); raises as :meth:`SlaClock.apply`."""
        verb = IN_PLACE_VERBS.get(type(event))
        if verb is not None and self._takes_addressed(event):  # type: ignore[arg-type]
            verb(self, event, posix_instant(event.at))
            return self
        for name, value in self._changes(event).items():
            object.__setattr__(self, name, value)
        return self

    def _takes_addressed(self, event: VerbEvent) -> bool:
        """Whether an event addressed to this clock alone goes to its in-place verb.

        (What a request's priority or target change hands a clock it starts or supersedes.)
        """
        if event.targets != ADDRESSED_TO[self.kind]:
            return False
        if isinstance(event, Reopened) and event.policy is not ReopenPolicy.CONTINUE:
            return False  # (a new cycle or a restart records an outcome: _reopen)
        return self.takes(type(event), event.at)

    # -- the verbs of almost every event, in place ----------------------------------------------
    #
    # A request's draft hands a start, pause, resume, stop, cancel or continued reopen straight
    # to these when takes() says the clock accepts it: they set exactly the fields _start,
    # _pause, _resume, _stop, _cancel and _reopen (through _changes) compute, without the dict
    # of changes, the checks takes() has made already, and with each running stretch measured
    # from POSIX seconds read once per event.
    # tests/test_sla_clock_drafts.py holds them equal to SlaClock.apply, event by event.

    def takes(self, verb: type[VerbEvent], at: pendulum.DateTime) -> bool:
        """Whether ``_changes`` would accept ``verb`` at ``at``, for the verbs below."""
        events = self.events
        if events and at < events[-1].at:
            return False
        state = self.state
        if verb is Stopped:
            return state is ClockState.RUNNING or state is ClockState.PAUSED
        if verb is Paused:
            return state is ClockState.RUNNING and self.target.pausable
        if verb is Resumed:
            return state is ClockState.PAUSED
        if verb is Started:
            spec = self.target.spec
            kind = type(spec)
            if kind is AgreedTime:
                # A time already past is refused by _start, with its message.
                return state is ClockState.NOT_STARTED and at < spec.due  # type: ignore[union-attr]
            return state is ClockState.NOT_STARTED and (kind is Within or kind is SameServiceDay)
        if verb is Cancelled:
            return (
                state is ClockState.NOT_STARTED
                or state is ClockState.RUNNING
                or (state is ClockState.PAUSED)
            )
        if verb is Reopened:
            # (Only under CONTINUE, which the request checks; an agreed time is left to _reopen.)
            return state is ClockState.STOPPED and type(self.target.spec) is not AgreedTime
        return False

    def _measured(self, at: pendulum.DateTime, at_posix: tuple[int, int]) -> int:
        """Business seconds from ``running_since`` to ``at`` on the current calendar."""
        since = self.running_since
        assert since is not None
        if self._since_of is not since:
            self._since = posix_instant(since)
            self._since_of = since
        return between_posix(self.calendar, since, self._since, at, at_posix)

    def _run_from(self, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        self.running_since = at
        self._since_of = at
        self._since = at_posix

    def start(self, event: Started, at_posix: tuple[int, int]) -> None:
        """_start: a fresh measurement, running from the event."""
        at = event.at
        spec = self.target.spec
        due: ServiceDayDue | None = None
        if type(spec) is Within:
            budget = spec.seconds
        elif type(spec) is SameServiceDay:  # _budget's arithmetic, from POSIX seconds
            calendar = self.calendar
            due = service_day_due(calendar, at, spec.cutoff)
            budget = between_posix(calendar, at, at_posix, due.due, window_end_posix(due.due))
        else:  # an agreed time after the start (takes() lets nothing else through)
            assert isinstance(spec, AgreedTime)
            budget = self.calendar.between(at, spec.due)
        self.state = ClockState.RUNNING
        self.cycle = 1
        self.epoch += 1
        self.anchor = at
        self.budget = budget
        self.service_day = due
        self.segments = ()
        self.consumed = 0
        self._run_from(at, at_posix)
        self.stopped_at = None
        self.pauses = ()
        self.events = (*self.events, event)

    def pause(self, event: Paused, at_posix: tuple[int, int]) -> None:
        """_pause: the running stretch closed, a pause opened."""
        at = event.at
        since = self.running_since
        assert since is not None
        self.consumed += self._measured(at, at_posix)
        self.segments = (*self.segments, _new_segment(since, at))
        self.running_since = None
        self.state = ClockState.PAUSED
        self.pauses = (
            *self.pauses,
            _new_pause(at, None, event.reason, event.actor, PauseCause.PAUSED),
        )
        self.events = (*self.events, event)

    def resume(self, event: Resumed, at_posix: tuple[int, int]) -> None:
        """_resume: the pause closed, running from the event."""
        at = event.at
        self.state = ClockState.RUNNING
        self._run_from(at, at_posix)
        self.pauses = self._end_pause(at)
        self.events = (*self.events, event)

    def stop(self, event: Stopped, at_posix: tuple[int, int]) -> None:
        """_stop: the running stretch or the pause closed, the clock stopped."""
        at = event.at
        if self.state is ClockState.RUNNING:
            since = self.running_since
            assert since is not None
            self.consumed += self._measured(at, at_posix)
            self.segments = (*self.segments, _new_segment(since, at))
            self.running_since = None
        else:
            self.pauses = self._end_pause(at)
        self.state = ClockState.STOPPED
        self.stopped_at = at
        self.events = (*self.events, event)

    def cancel(self, event: Cancelled, at_posix: tuple[int, int]) -> None:
        """_cancel: the running stretch or the pause closed, the clock withdrawn."""
        at = event.at
        if self.state is ClockState.RUNNING:
            since = self.running_since
            assert since is not None
            self.consumed += self._measured(at, at_posix)
            self.segments = (*self.segments, _new_segment(since, at))
            self.running_since = None
        elif self.state is ClockState.PAUSED:
            self.pauses = self._end_pause(at)
        self.state = ClockState.CANCELLED
        self.events = (*self.events, event)

    def reopen(self, event: Reopened, at_posix: tuple[int, int]) -> None:
        """_reopen under CONTINUE: running again, the time it stood stopped kept as a pause."""
        at = event.at
        stopped = self.stopped_at
        assert stopped is not None
        self.state = ClockState.RUNNING
        self._run_from(at, at_posix)
        self.stopped_at = None
        closed = _new_pause(stopped, at, event.reason, event.actor, PauseCause.CLOSED)
        self.pauses = (*self.pauses, closed)
        self.reopens += 1
        self.events = (*self.events, event)

    def frozen(self) -> SlaClock:
        """The frozen clock with this draft's fields (what applying its events one by one gives)."""
        # Every field is what SlaClock's fold computed from a valid clock (see SlaClock.apply),
        # so the trusted build keeps the _trusted contract; __attrs_post_init__ still runs.
        if type(self._base) is SlaClock:
            clock: SlaClock = _new_clock(*_read_clock(self))
            return clock
        return derive_trusted(
            self._base, **dict(zip(_CLOCK_FIELDS, _read_clock(self), strict=True))
        )


# The POSIX seconds of the window ends same-day targets are due at: the calendar keeps each
# day's windows, so the same few objects come back for every request received that day. Keyed
# by identity, each entry keeping its instant alive (an id is never reused while it stands).
_WINDOW_ENDS: dict[int, tuple[pendulum.DateTime, tuple[int, int]]] = {}
_WINDOW_ENDS_KEPT = 4096


def window_end_posix(end: pendulum.DateTime) -> tuple[int, int]:
    """:func:`posix_instant` of ``end``, a window end a same-day target is due at (kept)."""
    found = _WINDOW_ENDS.get(id(end))
    if found is not None and found[0] is end:
        return found[1]
    posix = posix_instant(end)
    if len(_WINDOW_ENDS) >= _WINDOW_ENDS_KEPT:
        _WINDOW_ENDS.clear()
    _WINDOW_ENDS[id(end)] = (end, posix)
    return posix


# The in-place verbs by exact event class (RequestClocksDraft hands events to them too).
IN_PLACE_VERBS: dict[type[SlaEvent], Callable[[ClockDraft, Any, tuple[int, int]], None]] = {
    Started: ClockDraft.start,
    Paused: ClockDraft.pause,
    Resumed: ClockDraft.resume,
    Stopped: ClockDraft.stop,
    Cancelled: ClockDraft.cancel,
    Reopened: ClockDraft.reopen,
}
"""The verbs a :class:`ClockDraft` takes in place, by the exact class of the event."""

# The clock a draft freezes, and the stretches its verbs record, built positionally through
# propcrm._trusted (every field is what the fold computed from valid values; see above).
_new_clock = slot_constructor(SlaClock, post_init=True)
_new_segment = slot_constructor(ClockSegment)
_new_pause = slot_constructor(PauseRecord)
