"""The event-sourced SLA clock: each target of a request is a fold over the request's events.

Six verbs drive a clock: :class:`Started`, :class:`Paused`, :class:`Resumed`, :class:`Stopped`,
:class:`Reset` and :class:`Cancelled`. Three more events record changes of policy:
:class:`PriorityChanged`, :class:`TargetChanged` (an SLA change for one target, e.g. a time
agreed with the customer) and :class:`Reopened`. Every event is a frozen value with an aware
timestamp, an actor and a reason; the events are the truth, and replaying them rebuilds the
clock (an equal value).

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

Refused, each with its own error: an event earlier than the last (:class:`EventOutOfOrder`), a
verb the state does not allow such as resuming a running clock (:class:`InvalidTransition`),
anything after a cancel (:class:`ClockCancelled`), pausing an agreed time
(:class:`NotPausable`), naming a target the request does not have (:class:`UnknownTarget`).

>>> from propcrm.sla import BusinessCalendar
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

import collections
import datetime
import enum
import itertools
import operator
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, ClassVar, Final, TypedDict, TypeVar

import attrs
import pendulum

from propcrm.errors import (
    ClockCancelled,
    EventOutOfOrder,
    InvalidEvent,
    InvalidTransition,
    NotPausable,
    UnknownTarget,
)
from propcrm.sla._targets import (
    DEFAULT_SLA_POLICY,
    ELAPSED,
    AgreedTime,
    BusinessTime,
    CalendarSet,
    PriorityChangePolicy,
    ReopenPolicy,
    SameServiceDay,
    ServiceDayDue,
    SlaPolicy,
    Target,
    TargetKind,
    TargetSpec,
    Within,
    service_day_due,
)
from propcrm.time import aware

__all__ = [
    "Cancelled",
    "ClockState",
    "CycleOutcome",
    "DeadlineExplanation",
    "PauseCause",
    "PauseRecord",
    "Paused",
    "PriorityChanged",
    "Reopened",
    "RequestClocks",
    "Reset",
    "Resumed",
    "Segment",
    "SlaClock",
    "SlaEvent",
    "Started",
    "Stopped",
    "TargetChanged",
]


# -- events -------------------------------------------------------------------------------------


def _instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value)


def _actor(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(
            f"an SLA event needs the actor who recorded it (staff id or name), not {value!r}."
        )


def _reason(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidEvent(f"an event's reason is a str, not {value!r}.")


def _selector(value: Any) -> frozenset[TargetKind] | None:
    if value is None:
        return None
    kinds = frozenset({value}) if isinstance(value, TargetKind) else frozenset(value)
    if not kinds or not all(isinstance(k, TargetKind) for k in kinds):
        raise InvalidEvent(
            f"targets {value!r} must be None (every target the verb applies to) or a non-empty "
            "set of TargetKind, e.g. {TargetKind.RESPONSE}."
        )
    return kinds


@attrs.frozen
class _Event:
    """Fields every SLA event has: when, who, why."""

    at: pendulum.DateTime = attrs.field(converter=_instant)
    actor: str = attrs.field(validator=_actor)
    reason: str = attrs.field(default="", validator=_reason)

    verb: ClassVar[str] = "event"
    needs_reason: ClassVar[bool] = False

    def __attrs_post_init__(self) -> None:
        if self.needs_reason and not self.reason.strip():
            raise InvalidEvent(
                f"a {self.verb} event needs a reason (it is shown in the deadline's explanation)."
            )


@attrs.frozen
class _VerbEvent(_Event):
    """An event addressed to some targets; ``targets=None`` means every target it applies to."""

    targets: frozenset[TargetKind] | None = attrs.field(
        default=None, converter=_selector, kw_only=True
    )


@attrs.frozen
class Started(_VerbEvent):
    """Start the clock(s): the request is received (or a call-back becomes due)."""

    verb: ClassVar[str] = "start"


@attrs.frozen
class Paused(_VerbEvent):
    """Pause the clock(s), e.g. waiting for the customer or for parts; needs a reason."""

    verb: ClassVar[str] = "pause"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class Resumed(_VerbEvent):
    """Resume paused clock(s)."""

    verb: ClassVar[str] = "resume"


@attrs.frozen
class Stopped(_VerbEvent):
    """Stop the clock(s): the target is reached (on site, resolved, called back)."""

    verb: ClassVar[str] = "stop"


@attrs.frozen
class Reset(_VerbEvent):
    """Start the measurement again from zero now (e.g. a progress update was given)."""

    verb: ClassVar[str] = "reset"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class Cancelled(_VerbEvent):
    """Withdraw the clock(s): no outcome is recorded. With ``targets=None`` the whole request."""

    verb: ClassVar[str] = "cancel"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class Reopened(_VerbEvent):
    """Reopen stopped clock(s) under ``policy`` (``None``: the SLA policy's; filled when stored)."""

    policy: ReopenPolicy | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(attrs.validators.instance_of(ReopenPolicy)),
    )

    verb: ClassVar[str] = "reopen"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class PriorityChanged(_Event):
    """The request's priority changes to ``priority`` (a code of the SLA policy)."""

    priority: str = attrs.field(kw_only=True, validator=attrs.validators.instance_of(str))
    policy: PriorityChangePolicy | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(attrs.validators.instance_of(PriorityChangePolicy)),
    )

    verb: ClassVar[str] = "priority change"
    needs_reason: ClassVar[bool] = True


@attrs.frozen
class TargetChanged(_Event):
    """One target's spec changes (or a target is added), e.g. a time agreed with the customer."""

    target: Target = attrs.field(kw_only=True, validator=attrs.validators.instance_of(Target))
    policy: PriorityChangePolicy | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(attrs.validators.instance_of(PriorityChangePolicy)),
    )

    verb: ClassVar[str] = "target change"
    needs_reason: ClassVar[bool] = True


SlaEvent = (
    Started
    | Paused
    | Resumed
    | Stopped
    | Reset
    | Cancelled
    | Reopened
    | PriorityChanged
    | TargetChanged
)
"""Any event of an SLA clock."""

_VerbEvents = Started | Paused | Resumed | Stopped | Reset | Cancelled | Reopened
"""The events addressed to targets (the six verbs and a reopen)."""

_EVENT_TYPES = (
    Started,
    Paused,
    Resumed,
    Stopped,
    Reset,
    Cancelled,
    Reopened,
    PriorityChanged,
    TargetChanged,
)

_ONLY: Final = {kind: frozenset({kind}) for kind in TargetKind}
"""The ``targets`` of an event addressed to one kind, as a request hands it to that clock."""


# -- deriving values inside the fold ------------------------------------------------------------

_T = TypeVar("_T", bound=attrs.AttrsInstance)
_V = TypeVar("_V", bound=_VerbEvent)
_SETATTR: Final = object.__setattr__


def _derived(value: _T, changes: Mapping[str, Any]) -> _T:
    """``attrs.evolve(value, **changes)`` without running the class's ``__init__`` again.

    Why: folding an event derives values from ones that are already valid, several per event
    when it was done with chains of ``evolve``, and ``evolve`` re-ran every converter, validator
    and ``__attrs_post_init__`` on each: half the cost of replaying a request. Skipping them is
    safe only for the exact classes registered in ``_DERIVABLE`` (at the end of the module),
    whose checks no change the fold makes can break: an :class:`SlaClock` checks only that its
    targets are :class:`Target` s on a supplied calendar (the fold takes a new target from a
    validated :class:`TargetChanged` and looks its calendar up before it switches),
    :class:`RequestClocks` checks nothing, and a verb event is only ever narrowed (by
    :func:`_addressed`) to ``targets=_ONLY[kind]``, what its converter returns for that kind.
    Any other class (a subclass may check more) goes through ``attrs.evolve``. The copy has the
    same fields, so equality, hashing and ``repr`` are those of the evolved value.
    """
    layout = _DERIVABLE.get(type(value))
    if layout is None:
        # The attrs mypy plugin wants a concrete attrs class here, not a TypeVar bound to one.
        return attrs.evolve(value, **changes)  # type: ignore[misc]
    names, read, index = layout
    values = list(read(value))
    for name, changed in changes.items():
        values[index[name]] = changed
    new = object.__new__(type(value))
    # Frozen attrs classes set their fields with object.__setattr__ in their own __init__ too;
    # mapping it over the fields and draining the iterator keeps the loop in C.
    _drain(map(_SETATTR, itertools.repeat(new), names, values))
    return new


def _updated(value: _T, changes: Mapping[str, Any]) -> _T:
    """``value`` with ``changes`` set in place; only for a value its caller built and owns.

    Why: a replay folds every event into clocks it made itself, and building a whole new value
    for each event (even with :func:`_derived`) was most of what remained of its cost. Safe
    because nobody else can see the value until the replay returns it (so nobody sees it change,
    or hashes it before it is done); because every check runs and every new field is computed
    before any is set (``_changes``), so it is never half-updated; and because a refused event
    raises out of the replay, which drops the value. It skips the same checks as
    :func:`_derived` (see why that is safe there), so it is only for the same exact classes
    (``_DERIVABLE``); the replays that call it fold a subclass with ``apply`` instead.
    """
    for name, changed in changes.items():
        _SETATTR(value, name, changed)
    return value


_Layout = tuple[tuple[str, ...], "operator.attrgetter[Any]", Mapping[str, int]]
_drain: Final[Callable[[Iterable[object]], None]] = collections.deque[object](maxlen=0).extend
"""Run an iterator for its effects, keeping nothing (the ``consume`` recipe of itertools)."""


def _layouts(*classes: type) -> dict[type, _Layout]:
    """Per class: its field names, one reader of them all (in C) and each name's position."""
    found: dict[type, _Layout] = {}
    for cls in classes:
        names = tuple(a.name for a in attrs.fields(cls))
        found[cls] = (names, operator.attrgetter(*names), {n: i for i, n in enumerate(names)})
    return found


def _addressed(event: _V, kind: TargetKind) -> _V:
    """``event`` as a request gives it to the clock of ``kind`` (``targets={kind}``).

    The event itself when it already names just that kind: events are frozen, so sharing one
    is indistinguishable from an equal copy. Only the exact event classes are shared or copied
    directly; anything else is evolved, as it always was.
    """
    only = _ONLY[kind]
    layout = _DERIVABLE.get(type(event))
    if layout is None:
        return attrs.evolve(event, targets=only)
    if event.targets == only:
        return event
    # What _derived does, without its changes mapping: this runs for every clock of a broadcast.
    copy = object.__new__(type(event))
    for name, value in zip(layout[0], layout[1](event), strict=True):
        _SETATTR(copy, name, value)
    _SETATTR(copy, "targets", only)
    return copy


# -- clock values -------------------------------------------------------------------------------


class ClockState(enum.Enum):
    """Where a target's clock is."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


_OPEN = (ClockState.RUNNING, ClockState.PAUSED)
_CANCELLABLE = (ClockState.NOT_STARTED, *_OPEN)


@attrs.frozen
class Segment:
    """A stretch ``[start, end)`` during which the clock ran."""

    start: pendulum.DateTime
    end: pendulum.DateTime


class PauseCause(enum.Enum):
    """Why the clock did not run: a pause, or a stop that a reopen later continued."""

    PAUSED = "paused"
    CLOSED = "closed"


@attrs.frozen
class PauseRecord:
    """A stretch the clock did not run, from ``since`` until ``until`` (``None``: still)."""

    since: pendulum.DateTime
    until: pendulum.DateTime | None
    reason: str
    actor: str
    cause: PauseCause = PauseCause.PAUSED


@attrs.frozen
class CycleOutcome:
    """A finished cycle of a target: when it ran, its deadline and the business time it used."""

    cycle: int
    spec: TargetSpec
    started_at: pendulum.DateTime
    stopped_at: pendulum.DateTime
    deadline: pendulum.DateTime
    budget: int
    consumed: int
    reopens: int

    @property
    def met(self) -> bool:
        """Whether the cycle used no more business time than its budget."""
        return self.consumed <= self.budget

    @property
    def failed_by(self) -> int:
        """Business seconds used beyond the budget (0 when met)."""
        return max(0, self.consumed - self.budget)


@attrs.frozen
class DeadlineExplanation:
    """Everything behind a target's deadline, as data.

    ``calendar_detail`` is the calendar's own account of ``[started_at, deadline)`` (windows,
    holidays skipped, make-up days, whether the holiday years are confirmed), from its
    ``explain``; ``None`` when there is no deadline yet or the calendar has nothing to say.
    """

    kind: TargetKind
    rule: str
    spec: TargetSpec
    calendar: str
    state: ClockState
    cycle: int
    started_at: pendulum.DateTime | None
    budget_seconds: int
    consumed_seconds: int
    running_since: pendulum.DateTime | None
    deadline: pendulum.DateTime | None
    breached_at: pendulum.DateTime | None
    stopped_at: pendulum.DateTime | None
    pauses: tuple[PauseRecord, ...]
    service_day: ServiceDayDue | None
    changes: tuple[SlaEvent, ...]
    calendar_detail: Any

    @property
    def remaining_seconds(self) -> int:
        """Budget minus the business time consumed up to the last event (negative: overdue)."""
        return self.budget_seconds - self.consumed_seconds

    def summary(self) -> str:
        """One line for people: the rule, the deadline and what moved it."""
        if self.deadline is None:
            when = "no deadline while paused" if self.state is ClockState.PAUSED else "not running"
        else:
            when = f"due {self.deadline.format('YYYY-MM-DD HH:mm')}"
        parts = [f"{self.kind.value} {self.rule}: {when}"]
        if self.service_day is not None:
            sd = self.service_day
            parts.append(
                f"received {sd.received_at.format('MM-DD HH:mm')}, "
                + ("before" if sd.before_cutoff else "after")
                + " the cut-off"
            )
        if self.pauses:
            paused = sum(
                ELAPSED.between(p.since, p.until) for p in self.pauses if p.until is not None
            )
            parts.append(f"{len(self.pauses)} pause(s), {paused // 60} min")
        holidays = getattr(self.calendar_detail, "holidays", ())
        if holidays:
            first = holidays[0]
            parts.append(f"{len(holidays)} holiday(s) skipped ({first.name} from {first.day})")
        make_up = getattr(self.calendar_detail, "make_up_days", ())
        if make_up:
            parts.append(f"make-up workday {make_up[0].day} worked")
        if self.changes:
            last = self.changes[-1]
            parts.append(
                f"{len(self.changes)} change(s), last {last.at.format('MM-DD HH:mm')}: "
                f"{last.reason}"
            )
        return "; ".join(parts)


# -- one target's clock -------------------------------------------------------------------------


class _ClockChanges(TypedDict, total=False):
    """Fields of an :class:`SlaClock` an event changes (one build per event, not an evolve each)."""

    target: Target
    state: ClockState
    cycle: int
    epoch: int
    anchor: pendulum.DateTime | None
    budget: int
    segments: tuple[Segment, ...]
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
        raise TypeError(f"an SLA clock measures a Target, not {value!r}.")


@attrs.frozen
class SlaClock:
    """The clock of one target: a fold over the events addressed to it.

    Build one with :meth:`new` and :meth:`apply` events (or :meth:`replay` them); the fields
    are the fold's state. ``epoch`` counts measurements (start, reset, restart, new cycle), so
    that an alert is sent once per measurement. ``consumed`` is the business time of the closed
    running ``segments`` on the current target's calendar. ``reopens`` counts the reopens of the
    current cycle (a new-cycle reopen is the first of its cycle), so they add up across cycles.
    """

    origin: Target = attrs.field(validator=_check_target)
    calendars: CalendarSet = attrs.field(repr=False)
    target: Target = attrs.field(validator=_check_target)
    state: ClockState = ClockState.NOT_STARTED
    cycle: int = 0
    epoch: int = 0
    anchor: pendulum.DateTime | None = None
    budget: int = 0
    segments: tuple[Segment, ...] = ()
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
        if cls is not SlaClock:  # a subclass's new() might not hand back a clock of its own
            for event in events:
                clock = clock.apply(event)
            return clock
        # The new clock is this replay's own until it returns, so each event may update it in
        # place (see _updated), instead of building a new clock per event.
        for event in events:
            clock = _updated(clock, clock._changes(event))
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
        return self.state in _OPEN

    def consumed_at(self, at: datetime.datetime) -> int:
        """Business seconds used in this measurement up to the instant ``at``."""
        when = aware(at)
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
        if self.anchor is None or self.state is ClockState.CANCELLED:
            return None
        reached = self.when_consumed(self.budget)
        if reached is not None or self.state is not ClockState.STOPPED:
            return reached
        last_ran = self.segments[-1].end if self.segments else self.anchor
        return self.calendar.add(last_ran, self.budget - self.consumed)

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
            rule=self.target.spec.describe(),
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
        return _derived(self, self._changes(event))

    def _changes(self, event: SlaEvent) -> _ClockChanges:
        """The fields ``event`` changes, its ``events`` included; raises if it is refused.

        Every check runs, and every new value is computed, before anything is built or updated.
        """
        if not isinstance(event, _EVENT_TYPES):
            raise TypeError(f"{event!r} is not an SLA event.")
        kind = self.target.kind
        if self.state is ClockState.CANCELLED:
            raise ClockCancelled(
                f"the {kind.value} target was cancelled; it accepts no {event.verb}."
            )
        if self.events:
            last = self.events[-1].at
            if event.at < last:
                raise EventOutOfOrder(
                    f"a {event.verb} at {event.at.isoformat()} is earlier than the last event "
                    f"of the {kind.value} target, at {last.isoformat()}; events go forward in "
                    "time."
                )
        if isinstance(event, _VerbEvent) and event.targets is not None:
            if kind not in event.targets:
                raise UnknownTarget(
                    f"a {event.verb} for {_kinds(event.targets)} was given to the "
                    f"{kind.value} clock."
                )
        elif isinstance(event, TargetChanged) and event.target.kind is not kind:
            raise UnknownTarget(
                f"a change of the {event.target.kind.value} target was given to the "
                f"{kind.value} clock."
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
                    "which turns it into a TargetChanged for each target."
                )

    def _refuse(self, event: SlaEvent, allowed: str) -> InvalidTransition:
        return InvalidTransition(
            f"cannot {event.verb} the {self.kind.value} target at {event.at.isoformat()}: it is "
            f"{self._state_text()}; {event.verb} applies to a clock that is {allowed}."
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
                f"time {spec.due.isoformat()} is not after it; agree a later time."
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
            "pauses": () if paused is None else (_moved(paused, since=at, until=None),),
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
            "segments": (*self.segments, Segment(self.running_since, at)),
            "consumed": self.consumed + self.calendar.between(self.running_since, at),
            "running_since": None,
        }

    def _pause(self, event: Paused) -> _ClockChanges:
        if self.state is not ClockState.RUNNING:
            raise self._refuse(event, "running")
        if not self.target.pausable:
            raise NotPausable(
                f"the {self.kind.value} target ({self.target.spec.describe()}) never pauses."
            )
        paused = self._close_segment(event.at)
        paused["state"] = ClockState.PAUSED
        paused["pauses"] = (*self.pauses, PauseRecord(event.at, None, event.reason, event.actor))
        return paused

    def _end_pause(self, at: pendulum.DateTime) -> tuple[PauseRecord, ...]:
        *earlier, last = self.pauses
        return (*earlier, _moved(last, since=last.since, until=at))

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
        if self.state not in _OPEN:
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
                "in from the SLA policy."
            )
        fixed = isinstance(self.target.spec, AgreedTime)
        if fixed and policy is not ReopenPolicy.CONTINUE:
            raise InvalidTransition(
                f"the {self.kind.value} target is an agreed time, which cannot {policy.value}; "
                "reopen it with CONTINUE, or agree a new time with TargetChanged."
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
                "fills it in from the SLA policy."
            )
        new = event.target
        # A missing calendar is refused before anything changes; this lookup is also what lets
        # the clock switch to ``new`` without its __attrs_post_init__ (see _derived).
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
                f"({new.spec.describe()}) never pauses; resume it first."
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


def _moved(
    record: PauseRecord, *, since: pendulum.DateTime, until: pendulum.DateTime | None
) -> PauseRecord:
    """``record`` over another stretch (what ``attrs.evolve`` gave, without its bookkeeping)."""
    if type(record) is not PauseRecord:
        return attrs.evolve(record, since=since, until=until)
    return PauseRecord(since, until, record.reason, record.actor, record.cause)


def _kinds(kinds: Iterable[TargetKind]) -> str:
    return ", ".join(sorted(k.value for k in kinds))


# -- a request's clocks -------------------------------------------------------------------------


def _applicable(event: _VerbEvents, clocks: tuple[SlaClock, ...]) -> list[TargetKind]:
    """The kinds of the ``clocks`` a broadcast event (``targets=None``) applies to, in order.

    One match on the event, then one pass over the clocks (not a match per clock).
    """
    match event:
        case Started():
            return [
                c.target.kind
                for c in clocks
                if c.state is ClockState.NOT_STARTED and c.target.starts_with_request
            ]
        case Paused():
            return [
                c.target.kind for c in clocks if c.state is ClockState.RUNNING and c.target.pausable
            ]
        case Resumed():
            return [c.target.kind for c in clocks if c.state is ClockState.PAUSED]
        case Stopped() | Reset():
            return [c.target.kind for c in clocks if c.state in _OPEN]
        case Cancelled():
            return [c.target.kind for c in clocks if c.state in _CANCELLABLE]
        case Reopened():
            return [
                c.target.kind
                for c in clocks
                if c.state is ClockState.STOPPED and not isinstance(c.target.spec, AgreedTime)
            ]


class _RequestChanges(TypedDict, total=False):
    """Fields of :class:`RequestClocks` an event changes."""

    priority: str
    clocks: tuple[SlaClock, ...]
    events: tuple[SlaEvent, ...]
    cancelled: bool


@attrs.frozen
class RequestClocks:
    """All the SLA clocks of one request, and the events that built them.

    Events with ``targets=None`` go to every target they apply to (a pause pauses every running
    target that pauses; a stop stops every open one; a reopen reopens every stopped one except
    agreed times, which are kept or missed) and are refused if they apply to none; events naming
    targets are refused unless each named target can take them. A cancel without targets
    cancels the request: its open targets are withdrawn, stopped ones keep their outcome, and
    every later event is refused.

    A priority change retargets every open target whose kind the new level has, under the
    change policy; opens the kinds only the new level has (starting them now); and cancels open
    targets the new level lacks, as superseded. Stopped targets keep their outcome, and an agreed
    time is kept as it is: it belongs to the request, not to a level.
    """

    request_id: str
    initial_priority: str
    priority: str
    policy: SlaPolicy = attrs.field(repr=False)
    calendars: CalendarSet = attrs.field(repr=False)
    clocks: tuple[SlaClock, ...]
    events: tuple[SlaEvent, ...] = ()
    cancelled: bool = False

    @classmethod
    def open(
        cls,
        request_id: str,
        priority: str,
        policy: SlaPolicy = DEFAULT_SLA_POLICY,
        calendars: CalendarSet | None = None,
    ) -> RequestClocks:
        """The clocks of a new request at ``priority``, none started yet."""
        if not isinstance(request_id, str) or not request_id.strip():
            raise InvalidEvent(f"a request needs an id, not {request_id!r}.")
        given = calendars if calendars is not None else CalendarSet(())
        given.check(policy)
        level = policy.level(priority)
        clocks = tuple(SlaClock.new(t, given) for t in level.targets)
        return cls(request_id, priority, priority, policy, given, clocks)

    @classmethod
    def replay(
        cls,
        request_id: str,
        priority: str,
        policy: SlaPolicy,
        calendars: CalendarSet,
        events: Iterable[SlaEvent],
    ) -> RequestClocks:
        """The clocks that ``events`` build for a new request at ``priority``.

        Equal to applying them one at a time, with the same error for a refused event.
        """
        clocks = cls.open(request_id, priority, policy, calendars)
        if cls is not RequestClocks:  # a subclass's open() might not hand back clocks of its own
            for event in events:
                clocks = clocks.apply(event)
            return clocks
        # The request and its clocks are this replay's own until it returns (open() built them,
        # and every clock added later is new), so each event may update them in place (see
        # _updated), instead of building new clocks and a new request per event.
        for event in events:
            clocks = _updated(clocks, clocks._changes(event, owned=True))
        return clocks

    def rebuilt(self) -> RequestClocks:
        """These clocks rebuilt from their own events (equal to them)."""
        return RequestClocks.replay(
            self.request_id, self.initial_priority, self.policy, self.calendars, self.events
        )

    @property
    def kinds(self) -> tuple[TargetKind, ...]:
        """The kinds of the request's targets, in order."""
        return tuple(c.kind for c in self.clocks)

    def clock(self, kind: TargetKind) -> SlaClock:
        """The clock of target ``kind``; :class:`~propcrm.errors.UnknownTarget` if none."""
        for clock in self.clocks:
            if clock.kind is kind:
                return clock
        raise UnknownTarget(
            f"request {self.request_id} has no {kind.value} target; it has "
            f"{_kinds(self.kinds) or 'none'}."
        )

    def explain(self) -> tuple[DeadlineExplanation, ...]:
        """The explanation of every target's deadline, in order."""
        return tuple(c.explain() for c in self.clocks)

    # -- folding ----------------------------------------------------------------------------------

    def apply(self, event: SlaEvent) -> RequestClocks:
        """The clocks after ``event``; a refused event raises and changes nothing."""
        return _derived(self, self._changes(event, owned=False))

    def _changes(self, event: SlaEvent, *, owned: bool) -> _RequestChanges:
        """The fields ``event`` changes; raises if it is refused.

        ``owned``: the clocks are the caller's own (a replay's), and a verb may update them in
        place (see :func:`_updated`); otherwise nothing here is changed, new clocks are built.
        """
        if not isinstance(event, _EVENT_TYPES):
            raise TypeError(f"{event!r} is not an SLA event.")
        if self.cancelled:
            raise ClockCancelled(
                f"request {self.request_id} was cancelled; it accepts no {event.verb}."
            )
        if self.events and event.at < self.events[-1].at:
            raise EventOutOfOrder(
                f"a {event.verb} at {event.at.isoformat()} is earlier than the last event of "
                f"request {self.request_id}, at {self.events[-1].at.isoformat()}; events go "
                "forward in time."
            )
        match event:
            case PriorityChanged():
                return self._change_priority(event)
            case TargetChanged():
                return self._change_target(event)
            case Reopened() if event.policy is None:
                return self._verb(attrs.evolve(event, policy=self.policy.reopen), owned=owned)
            case _:
                return self._verb(event, owned=owned)

    def _replaced(self, clocks: Iterable[SlaClock], event: SlaEvent) -> _RequestChanges:
        return {"clocks": tuple(clocks), "events": (*self.events, event)}

    def _verb(self, event: _VerbEvents, *, owned: bool) -> _RequestChanges:
        # A broadcast's kinds as a list, not a set: membership then tests enum members by
        # identity in C, where a set calls Enum.__hash__ (Python code) for every clock.
        chosen: Collection[TargetKind]
        if event.targets is None:
            chosen = _applicable(event, self.clocks)
            if not chosen and not isinstance(event, Cancelled):
                states = "; ".join(f"{c.kind.value} is {c._state_text()}" for c in self.clocks)
                raise InvalidTransition(
                    f"no target of request {self.request_id} can {event.verb}: {states}."
                )
        else:
            for kind in event.targets:
                self.clock(kind)  # UnknownTarget for a kind the request lacks
            chosen = event.targets
        clocks = self.clocks
        if owned:
            # One after another: if a later clock refuses the event, the replay that owns them
            # raises and drops them all, so none is seen half-updated. The tuple stays as it is.
            for clock in clocks:
                kind = clock.target.kind
                if kind in chosen:
                    _updated(clock, clock._changes(_addressed(event, kind)))
        else:
            clocks = tuple(
                c.apply(_addressed(event, c.kind)) if c.kind in chosen else c for c in clocks
            )
        return {
            "clocks": clocks,
            "events": (*self.events, event),
            "cancelled": isinstance(event, Cancelled) and event.targets is None,
        }

    def _started(self) -> bool:
        return any(c.state is not ClockState.NOT_STARTED for c in self.clocks)

    def _added(self, target: Target, event: SlaEvent) -> SlaClock:
        clock = SlaClock.new(target, self.calendars)
        if self._started() and target.starts_with_request:
            start = Started(event.at, event.actor, event.reason, targets=frozenset({target.kind}))
            clock = clock.apply(start)
        return clock

    def _change_target(self, event: TargetChanged) -> _RequestChanges:
        if event.policy is None:
            event = attrs.evolve(event, policy=self.policy.priority_change)
        kind = event.target.kind
        if kind in self.kinds:
            clocks = tuple(c.apply(event) if c.kind is kind else c for c in self.clocks)
        else:
            clocks = (*self.clocks, self._added(event.target, event))
        return self._replaced(clocks, event)

    def _change_priority(self, event: PriorityChanged) -> _RequestChanges:
        if event.policy is None:
            event = attrs.evolve(event, policy=self.policy.priority_change)
        if event.priority == self.priority:
            raise InvalidTransition(
                f"request {self.request_id} is already at priority {self.priority}."
            )
        level = self.policy.level(event.priority)
        clocks: list[SlaClock] = []
        for clock in self.clocks:
            if clock.state in (ClockState.STOPPED, ClockState.CANCELLED) or isinstance(
                clock.target.spec, AgreedTime
            ):
                # An agreed time belongs to the request, not to a level: a new priority keeps it.
                clocks.append(clock)
            elif clock.kind in level.kinds:
                change = TargetChanged(
                    event.at,
                    event.actor,
                    event.reason,
                    target=level.target(clock.kind),
                    policy=event.policy,
                )
                clocks.append(clock.apply(change))
            else:
                superseded = Cancelled(
                    event.at,
                    event.actor,
                    f"superseded: priority changed to {event.priority}",
                    targets=frozenset({clock.kind}),
                )
                clocks.append(clock.apply(superseded))
        have = set(self.kinds)
        clocks.extend(self._added(t, event) for t in level.targets if t.kind not in have)
        changes = self._replaced(clocks, event)
        changes["priority"] = event.priority
        return changes


_DERIVABLE: Final = _layouts(
    SlaClock, RequestClocks, Started, Paused, Resumed, Stopped, Reset, Cancelled, Reopened
)
"""The exact classes :func:`_derived` may copy without re-validating (see why there)."""
