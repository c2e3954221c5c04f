"""All the SLA clocks of one request: :class:`RequestClocks`, and how events reach each clock.

A request's events go to the clocks of its targets: a broadcast (``targets=None``) to every
target it applies to, a named one to the targets it names; a priority change retargets, opens
and supersedes targets by the new level's; a cancel without targets cancels the request.

>>> import pendulum
>>> from propcrm.sla import BusinessCalendar, CalendarSet, Started, Stopped, TargetKind
>>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
>>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> clocks = RequestClocks.open("R-1", "P1", calendars=calendars)
>>> clocks = clocks.apply(Started(nine, "客服小王")).apply(Stopped(nine.add(minutes=8), "维修工"))
>>> clocks.clock(TargetKind.RESPONSE).met
True
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

import attrs
import pendulum

from propcrm._trusted import derive_trusted, slot_constructor
from propcrm._validators import check_instance, check_items
from propcrm.errors import (
    ClockCancelled,
    EventOutOfOrder,
    InvalidEvent,
    InvalidTransition,
    InvalidType,
    UnknownTarget,
)
from propcrm.sla._calendars import posix_instant
from propcrm.sla._clock import IN_PLACE_VERBS, ClockDraft, ClockFold, SlaClock
from propcrm.sla._clock_records import CANCELLABLE, OPEN, ClockState
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
    VerbEvents,
    addressed,
    kinds_text,
)
from propcrm.sla._targets import (
    DEFAULT_SLA_POLICY,
    AgreedTime,
    CalendarSet,
    ReopenPolicy,
    SlaPolicy,
    Target,
    TargetKind,
)

__all__ = ["RequestClocks", "RequestClocksDraft"]


def _applicable(event: VerbEvents, clocks: tuple[ClockFold, ...]) -> list[TargetKind]:
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
            return [c.target.kind for c in clocks if c.state in OPEN]
        case Cancelled():
            return [c.target.kind for c in clocks if c.state in CANCELLABLE]
        case Reopened():
            return [
                c.target.kind
                for c in clocks
                if c.state is ClockState.STOPPED and not isinstance(c.target.spec, AgreedTime)
            ]


class _RequestChanges(TypedDict, total=False):
    """Fields of :class:`RequestClocks` an event changes."""

    priority: str
    clocks: tuple[ClockFold, ...]
    events: tuple[SlaEvent, ...]
    cancelled: bool


_E = TypeVar("_E", Reopened, TargetChanged, PriorityChanged)


def _with_policy(event: _E, policy: Any) -> _E:
    """``event`` with the SLA policy's ``policy`` filled in (it had none)."""
    if type(event) not in _TRUSTED_CHANGES:
        return attrs.evolve(event, policy=policy)  # a subclass may check more: validated
    # A validated event and a policy the (validated) SlaPolicy holds: propcrm._trusted's
    # contract, as for the events below.
    return derive_trusted(event, policy=policy)


_TRUSTED_CHANGES = frozenset({Reopened, TargetChanged, PriorityChanged})

# What a priority or target change sends each clock: fields from the validated change event,
# a target from the validated policy, the kind's own selector (ADDRESSED_TO). Built through
# propcrm._trusted under its contract; tests/test_sla_clock_drafts.py rebuilds every event a
# fold stores through the validated constructors.
_new_started = slot_constructor(Started, post_init=True)
_new_cancelled = slot_constructor(Cancelled, post_init=True)
_new_target_changed = slot_constructor(TargetChanged, post_init=True)


# The new (not started) clocks of a policy's level on a calendar set: the same frozen values for
# every request opened there, so they are built (and the policy checked against the calendars)
# once. Keyed by identity, each entry keeping its policy and calendars alive, so an id is never
# reused while its entry stands.
_OPENED: dict[tuple[int, int, str], tuple[SlaPolicy, CalendarSet, tuple[SlaClock, ...]]] = {}
_OPENED_MAX = 256


def _new_clocks(policy: SlaPolicy, calendars: CalendarSet, priority: str) -> tuple[SlaClock, ...]:
    key = (id(policy), id(calendars), priority)
    found = _OPENED.get(key) if type(priority) is str else None  # (a list would not hash)
    if found is not None and found[0] is policy and found[1] is calendars:
        return found[2]
    calendars.check(policy)
    clocks = tuple(SlaClock.new(t, calendars) for t in policy.level(priority).targets)
    if len(_OPENED) >= _OPENED_MAX:
        _OPENED.clear()
    _OPENED[key] = (policy, calendars, clocks)
    return clocks


class RequestFold:
    """How one event changes a request's clocks: shared by :class:`RequestClocks` and its draft.

    :meth:`RequestClocks.apply` builds new frozen values from the changes; a
    :class:`RequestClocksDraft` sets them in place. Both run this code, so they refuse the same
    events with the same errors and reach equal values.
    """

    __slots__ = ()

    if TYPE_CHECKING:

        @property
        def request_id(self) -> str: ...
        @property
        def priority(self) -> str: ...
        @property
        def policy(self) -> SlaPolicy: ...
        @property
        def calendars(self) -> CalendarSet: ...
        @property
        def clocks(self) -> tuple[ClockFold, ...]: ...
        @property
        def events(self) -> tuple[SlaEvent, ...]: ...
        @property
        def cancelled(self) -> bool: ...
        @property
        def kinds(self) -> tuple[TargetKind, ...]: ...
        def clock(self, kind: TargetKind) -> ClockFold: ...

    def _new_clock(self, target: Target) -> ClockFold:
        return SlaClock.new(target, self.calendars)

    def _changes(self, event: SlaEvent) -> _RequestChanges:
        """The fields ``event`` changes; raises, before anything is built, if it is refused."""
        if not isinstance(event, EVENT_TYPES):
            raise InvalidType(
                f"{event!r} is not an SLA event.",
                field="event",
                value=event,
                allowed="an SLA event (Started, Paused, ...)",
            )
        if self.cancelled:
            raise ClockCancelled(
                f"request {self.request_id} was cancelled; it accepts no {event.verb}.",
                request_id=self.request_id,
                state="cancelled",
                action=event.verb,
            )
        if self.events and event.at < self.events[-1].at:
            raise EventOutOfOrder(
                f"a {event.verb} at {event.at.isoformat()} is earlier than the last event of "
                f"request {self.request_id}, at {self.events[-1].at.isoformat()}; events go "
                "forward in time.",
                field="at",
                value=event.at,
                allowed=f"at or after {self.events[-1].at.isoformat()}",
                request_id=self.request_id,
                action=event.verb,
            )
        match event:
            case PriorityChanged():
                return self._change_priority(event)
            case TargetChanged():
                return self._change_target(event)
            case Reopened() if event.policy is None:
                return self._verb(_with_policy(event, self.policy.reopen))
            case _:
                return self._verb(event)

    def _replaced(self, clocks: Iterable[ClockFold], event: SlaEvent) -> _RequestChanges:
        return {"clocks": tuple(clocks), "events": (*self.events, event)}

    def _verb(self, event: VerbEvents) -> _RequestChanges:
        # A broadcast's kinds as a list, not a set: membership then tests enum members by
        # identity in C, where a set calls Enum.__hash__ (Python code) for every clock.
        chosen: Collection[TargetKind]
        if event.targets is None:
            chosen = _applicable(event, self.clocks)
            if not chosen and not isinstance(event, Cancelled):
                states = "; ".join(f"{c.kind.value} is {c._state_text()}" for c in self.clocks)
                raise InvalidTransition(
                    f"no target of request {self.request_id} can {event.verb}: {states}.",
                    request_id=self.request_id,
                    state=states,
                    action=event.verb,
                )
        else:
            for kind in event.targets:
                self.clock(kind)  # UnknownTarget for a kind the request lacks
            chosen = tuple(event.targets)  # (a tuple, for the same reason as the list above)
        clocks = tuple(
            c.apply(addressed(event, c.kind)) if c.kind in chosen else c for c in self.clocks
        )
        return {
            "clocks": clocks,
            "events": (*self.events, event),
            "cancelled": isinstance(event, Cancelled) and event.targets is None,
        }

    def _started(self) -> bool:
        return any(c.state is not ClockState.NOT_STARTED for c in self.clocks)

    def _added(self, target: Target, event: SlaEvent) -> ClockFold:
        clock = self._new_clock(target)
        if self._started() and target.starts_with_request:
            start = _new_started(event.at, event.actor, event.reason, ADDRESSED_TO[target.kind])
            clock = clock.apply(start)
        return clock

    def _change_target(self, event: TargetChanged) -> _RequestChanges:
        if event.policy is None:
            event = _with_policy(event, self.policy.priority_change)
        kind = event.target.kind
        if kind in self.kinds:
            clocks = tuple(c.apply(event) if c.kind is kind else c for c in self.clocks)
        else:
            clocks = (*self.clocks, self._added(event.target, event))
        return self._replaced(clocks, event)

    def _change_priority(self, event: PriorityChanged) -> _RequestChanges:
        if event.policy is None:
            event = _with_policy(event, self.policy.priority_change)
        if event.priority == self.priority:
            raise InvalidTransition(
                f"request {self.request_id} is already at priority {self.priority}.",
                field="priority",
                value=event.priority,
                allowed="a priority other than the current one",
                request_id=self.request_id,
                action=event.verb,
            )
        level = self.policy.level(event.priority)
        clocks: list[ClockFold] = []
        for clock in self.clocks:
            if clock.state in (ClockState.STOPPED, ClockState.CANCELLED) or isinstance(
                clock.target.spec, AgreedTime
            ):
                # An agreed time belongs to the request, not to a level: a new priority keeps it.
                clocks.append(clock)
            elif clock.kind in level.kinds:
                change = _new_target_changed(
                    event.at, event.actor, event.reason, level.target(clock.kind), event.policy
                )
                clocks.append(clock.apply(change))
            else:
                superseded = _new_cancelled(
                    event.at,
                    event.actor,
                    f"superseded: priority changed to {event.priority}",
                    ADDRESSED_TO[clock.kind],
                )
                clocks.append(clock.apply(superseded))
        have = set(self.kinds)
        clocks.extend(self._added(t, event) for t in level.targets if t.kind not in have)
        changes = self._replaced(clocks, event)
        changes["priority"] = event.priority
        return changes


@attrs.frozen
class RequestClocks(RequestFold):
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
            raise InvalidEvent(
                f"a request needs an id, not {request_id!r}.",
                field="request_id",
                value=request_id,
                allowed="non-empty text",
            )
        given = calendars if calendars is not None else CalendarSet(())
        check_instance(given, "calendars", CalendarSet)
        return cls(
            request_id, priority, priority, policy, given, _new_clocks(policy, given, priority)
        )

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
        for event in check_items(events, "events", error=InvalidEvent):
            clocks = clocks.apply(event)
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
        check_instance(kind, "kind", TargetKind)
        for clock in self.clocks:
            if clock.kind is kind:
                return clock
        raise UnknownTarget(
            f"request {self.request_id} has no {kind.value} target; it has "
            f"{kinds_text(self.kinds) or 'none'}.",
            field="kind",
            value=kind,
            allowed=kinds_text(self.kinds),
            request_id=self.request_id,
        )

    def explain(self) -> tuple[DeadlineExplanation, ...]:
        """The explanation of every target's deadline, in order."""
        return tuple(c.explain() for c in self.clocks)

    # -- folding ----------------------------------------------------------------------------------

    def apply(self, event: SlaEvent) -> RequestClocks:
        """The clocks after ``event``; a refused event raises and changes nothing."""
        changes = self._changes(event)
        if type(self) is not RequestClocks:
            # A subclass may check more than RequestClocks does: it gets every validator.
            fields: dict[str, Any] = dict(changes)
            return attrs.evolve(self, **fields)
        # RequestClocks checks nothing of its own, and every value the fold puts in it (clocks,
        # events, the priority, after policy.level() accepted it) is already valid, so the next
        # value is derived without re-running the converters, for every event of every replay.
        return derive_trusted(self, **changes)


_REQUEST_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(RequestClocks))

_read_request = operator.attrgetter(*_REQUEST_FIELDS)
_CLOCKS_AT = _REQUEST_FIELDS.index("clocks")
_new_request_clocks = slot_constructor(RequestClocks)


class RequestClocksDraft(RequestFold):
    """A request's clocks folded in place: many events, then one frozen :class:`RequestClocks`.

    :meth:`RequestClocks.apply` builds a new frozen value, and a new clock for every target an
    event reaches, after every event. A draft runs the same fold (the same checks, errors and
    values) but changes its clocks in place and builds the frozen values once, in
    :meth:`frozen`: the way to fold a whole history. Starts, pauses, resumes, stops, cancels and
    continued reopens (most of a history's events) go straight to each clock's in-place verb,
    which measures the running stretch from POSIX seconds read once per event; the other events
    take the shared fold. Read
    ``priority``, ``clocks`` (each with the fields of an :class:`SlaClock`: ``kind``, ``state``,
    ``target`` ...) and ``events`` between events to decide the next; do not keep a clock, it
    changes with the next event.

    A refused event raises the error :meth:`RequestClocks.apply` raises and leaves the draft as
    it was before the event.

    >>> import pendulum
    >>> from propcrm.sla import BusinessCalendar, CalendarSet, Started, Stopped, TargetKind
    >>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
    >>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    >>> opened = RequestClocks.open("R-1", "P1", calendars=calendars)
    >>> draft = RequestClocksDraft(opened).apply(Started(nine, "客服小王"))
    >>> [(c.kind.value, c.state.value) for c in draft.clocks]
    [('response', 'running')]
    >>> clocks = draft.apply(Stopped(nine.add(minutes=8), "维修工")).frozen()
    >>> clocks == opened.apply(Started(nine, "客服小王")).apply(
    ...     Stopped(nine.add(minutes=8), "维修工")
    ... )
    True
    >>> clocks.clock(TargetKind.RESPONSE).met
    True
    """

    __slots__ = ("_at", "_at_posix", "_start", *_REQUEST_FIELDS)

    if TYPE_CHECKING:
        # Set in place here (RequestFold declares them read-only).
        request_id: str
        initial_priority: str
        priority: str
        policy: SlaPolicy
        calendars: CalendarSet
        clocks: tuple[ClockFold, ...]
        events: tuple[SlaEvent, ...]
        cancelled: bool

    def __init__(self, clocks: RequestClocks) -> None:
        check_instance(clocks, "clocks", RequestClocks)
        self._start = clocks
        # The last instant read into POSIX seconds: a step's events share their instant.
        self._at: pendulum.DateTime | None = None
        self._at_posix = (0, 0)
        self._take(clocks)

    def _take(self, clocks: RequestClocks) -> None:
        # One statement, not a setattr per field (a test holds this list to RequestClocks').
        (
            self.request_id,
            self.initial_priority,
            self.priority,
            self.policy,
            self.calendars,
            self.clocks,
            self.events,
            self.cancelled,
        ) = _read_request(clocks)
        if all(type(c) is SlaClock for c in clocks.clocks):
            self.clocks = tuple(ClockDraft(c) for c in clocks.clocks)

    def _new_clock(self, target: Target) -> ClockFold:
        return ClockDraft(SlaClock.new(target, self.calendars))

    @property
    def kinds(self) -> tuple[TargetKind, ...]:
        """The kinds of the request's targets, in order."""
        return tuple(c.kind for c in self.clocks)

    def clock(self, kind: TargetKind) -> ClockFold:
        """The clock of target ``kind``, as :meth:`RequestClocks.clock` finds it."""
        for clock in self.clocks:
            if clock.kind is kind:
                return clock
        return self.frozen().clock(kind)  # raises RequestClocks' own error

    def apply(self, event: SlaEvent) -> RequestClocksDraft:
        """This draft after ``event`` (changed in place, and returned)."""
        try:
            if self._took(event):
                return self
            changes = self._changes(event)
        except Exception:
            # A clock may have taken the event before another refused it: fold the events
            # accepted since the start again (a refusal is rare; a copy per event would not be).
            accepted = self._start
            for done in self.events[len(accepted.events) :]:
                accepted = accepted.apply(done)
            self._take(accepted)
            raise
        for name, value in changes.items():
            setattr(self, name, value)
        return self

    def _took(self, event: SlaEvent) -> bool:
        """Whether ``event`` was a start, pause, resume, stop, cancel or reopen taken in place.

        What :meth:`_changes` does for those verbs (the checks, the targets chosen, each
        clock's fold), straight onto the clocks' own in-place verbs, once every chosen clock
        :meth:`~ClockDraft.takes` it. Anything else, or an event some check would refuse,
        returns False with nothing changed, and :meth:`_changes` folds or refuses it as ever.
        """
        cls = type(event)
        verb = IN_PLACE_VERBS.get(cls)
        if verb is None or self.cancelled:
            return False
        if cls is Reopened:
            continued = self._continued(event)  # type: ignore[arg-type]
            if continued is None:
                return False  # a new cycle or a restart records an outcome: _reopen
            event = continued
        verb_event: VerbEvents = event  # type: ignore[assignment]
        picked = self._picked(verb_event)
        if picked is None:
            return False
        at, targets = verb_event.at, verb_event.targets
        if at is not self._at:
            self._at_posix = posix_instant(at)
            self._at = at
        at_posix = self._at_posix
        if targets is not None and len(targets) == 1:
            # Already addressed to its one clock: what addressed() would return.
            verb(picked[0], verb_event, at_posix)
        else:
            for clock in picked:
                verb(clock, addressed(verb_event, clock.kind), at_posix)
        self.events = (*self.events, event)
        if cls is Cancelled and targets is None:
            self.cancelled = True  # a cancel of the whole request: every later event is refused
        return True

    def _picked(self, event: VerbEvents) -> list[ClockDraft] | None:
        """The clocks ``event`` goes to, if :meth:`_changes` would accept it and each takes it."""
        at = event.at
        events = self.events
        if events and at < events[-1].at:
            return None
        clocks = self.clocks
        targets = event.targets
        if targets is None:
            chosen = _applicable(event, clocks)
            picked = [c for c in clocks if c.kind in chosen]
        else:
            picked = [c for c in clocks if c.kind in targets]
            if len(picked) != len(targets):
                return None  # a kind the request lacks: UnknownTarget
        if not picked:
            return None
        cls = type(event)
        for clock in picked:
            if type(clock) is not ClockDraft or not clock.takes(cls, at):
                return None
        return picked  # type: ignore[return-value]  # (every one a ClockDraft, checked above)

    def _continued(self, event: Reopened) -> Reopened | None:
        """``event`` with its policy filled in as :meth:`_changes` fills it, if it continues."""
        if event.policy is None:
            event = _with_policy(event, self.policy.reopen)
        return event if event.policy is ReopenPolicy.CONTINUE else None

    def frozen(self) -> RequestClocks:
        """The frozen clocks: equal to applying every event to :class:`RequestClocks` in turn."""
        fields = list(_read_request(self))
        fields[_CLOCKS_AT] = tuple(c.frozen() if type(c) is ClockDraft else c for c in self.clocks)
        # Every field is what RequestClocks' own fold computed (see RequestClocks.apply).
        clocks: RequestClocks = _new_request_clocks(*fields)
        return clocks
