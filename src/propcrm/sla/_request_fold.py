"""A request's clocks folded in one pass from the verbs sent to them: :class:`RequestClocksFold`.

:class:`~propcrm.sla.RequestClocksDraft` takes events one at a time, each through the checks and
dispatch of the shared fold. A replay knows more: it sends a verb to the clocks in given states
(stop what is open, pause what runs), so the clocks it moves are picked, the event built and the
clocks moved in one pass over a few plain fields per clock, with each instant read into POSIX
seconds once and business time counted on the calendar's own index. A cancel of the request,
a target it lacks added, a priority change that keeps the time consumed and a reopen are folded
the same way. The frozen :class:`~propcrm.sla.RequestClocks` is built once, at the end.
Anything else (a reset, a new target for a clock, a restart on a priority change, an agreed
time reopened, an event that would be refused) is handed to
:meth:`RequestClocks.apply <propcrm.sla.RequestClocks.apply>`, the reference fold, and the
fold goes on from what it returns.
"""

from __future__ import annotations

import datetime
import enum
import zoneinfo
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum

from propcrm._trusted import derive_trusted, set_cached, slot_constructor
from propcrm._validators import check_instance, check_items, check_member
from propcrm.errors import InvalidType
from propcrm.sla._calendars import (
    ZONES,
    BusinessCalendar,
    between_posix,
    posix_instant,
    zone_of,
)
from propcrm.sla._clock import (
    SlaClock,
    business_deadline,
    elapsed_deadline,
    window_end_posix,
)
from propcrm.sla._clock_records import (
    CANCELLABLE,
    ClockSegment,
    ClockState,
    CycleOutcome,
    PauseCause,
    PauseRecord,
)
from propcrm.sla._events import (
    ADDRESSED_TO,
    Cancelled,
    Paused,
    PriorityChanged,
    Reopened,
    Resumed,
    SlaEvent,
    Started,
    Stopped,
    TargetChanged,
    VerbEvents,
    addressed,
)
from propcrm.sla._request_clocks import RequestClocks
from propcrm.sla._targets import (
    DEFAULT_SLA_POLICY,
    ELAPSED,
    ELAPSED_SPAN,
    AgreedTime,
    BusinessTime,
    CalendarSet,
    PriorityChangePolicy,
    ReopenPolicy,
    SameServiceDay,
    ServiceDayDue,
    ServiceLevel,
    SlaPolicy,
    Target,
    TargetKind,
    Within,
    elapsed_seconds,
    kept_day_plan,
    kept_next_service_day,
    service_day_due,
)

__all__ = ["RequestClocksFold"]

_NOT_STARTED = ClockState.NOT_STARTED
_RUNNING = ClockState.RUNNING
_PAUSED = ClockState.PAUSED
_STOPPED = ClockState.STOPPED
_CANCELLED = ClockState.CANCELLED
_CONTINUE = ReopenPolicy.CONTINUE
# The states the common verbs pick (see RequestClocksFold._stop and the others).
_OPEN = (_RUNNING, _PAUSED)
_RUNNING_ONLY = (_RUNNING,)
_PAUSED_ONLY = (_PAUSED,)
_NOT_STARTED_ONLY = (_NOT_STARTED,)
_KEEP = PriorityChangePolicy.KEEP_CONSUMED

# Built positionally through propcrm._trusted under its contract: the events from the sender's
# validated instant, actor and reason and a non-empty set of the request's kinds; the records
# and clocks from what the fold computed, exactly as SlaClock's fold computes them. The
# property tests of tests/test_sla_request_fold.py and tests/test_sla_fast_fold.py rebuild
# every one through its constructor.
_new_clock = slot_constructor(SlaClock, post_init=True)
_new_request_clocks = slot_constructor(RequestClocks)
_new_segment = slot_constructor(ClockSegment)
_new_service_day = slot_constructor(ServiceDayDue)
_new_pause = slot_constructor(PauseRecord)
_new_target_changed = slot_constructor(TargetChanged, post_init=True)
_new_cancelled = slot_constructor(Cancelled, post_init=True)
_MAKERS: dict[type[SlaEvent], Any] = {
    verb: slot_constructor(verb, post_init=True)
    for verb in (Started, Paused, Resumed, Stopped, Reopened)
}
_new_started = _MAKERS[Started]


def _plain(at: object, actor: object, reason: object) -> bool:
    """Whether an event's converters and validators would keep these as they are.

    A pendulum instant in an IANA zone or at a fixed offset (always aware), an actor that is
    non-empty text, a reason that is text (a verb that needs one checks it after building).
    """
    return (
        type(at) is pendulum.DateTime
        and isinstance(at.tzinfo, _ALWAYS_AWARE)
        and type(actor) is str
        and type(reason) is str
        and bool(actor.strip())
    )


_ALWAYS_AWARE = (zoneinfo.ZoneInfo, datetime.timezone)
_DATETIME = pendulum.DateTime


def event_posix(at: pendulum.DateTime) -> tuple[int, int]:
    """:func:`posix_instant` of an event's instant, which its converter made aware already."""
    tz = at.tzinfo
    day = at.toordinal()
    # (by identity: a pendulum zone's hash is computed in Python, for every instant read)
    found = _ZONE_DAYS.get(id(tz))
    days = found[1] if found is not None and found[0] is tz else _new_zone(tz)
    offset = days.get(day, False)
    if offset is False:
        offset = _new_day(days, tz, day)
    posix: tuple[int, int]
    if offset is not None:
        # The wall time's seconds less the day's offset: what timestamp() computes.
        seconds = (day - _EPOCH_DAY) * 86_400 + at.hour * 3600 + at.minute * 60 + at.second
        posix = (seconds - offset, at.microsecond)
    else:
        stamp = datetime.datetime.timestamp(at)
        us = at.microsecond
        # (posix_instant's arithmetic, without its checks of the type and the zone)
        posix = (int(stamp), 0) if not us else (round(stamp - us / 1_000_000), us)
    return posix


def events_posix(ats: Sequence[object]) -> tuple[list[int], list[int]] | None:
    """:func:`event_posix` of each of ``ats``, or ``None`` if one is not such an instant.

    Such an instant: a pendulum ``DateTime`` in an IANA zone or at a fixed offset (a step's,
    always aware). A request's steps share their zone, whose days are looked up once.
    """
    seconds: list[int] = []
    micros: list[int] = []
    last_tz: object = None
    days: dict[int, int | None] = {}
    for at in ats:
        if type(at) is not _DATETIME:
            return None
        tz = at.tzinfo
        if tz is not last_tz:
            if not isinstance(tz, _ALWAYS_AWARE):
                return None
            days = _zone_days(tz)
            last_tz = tz
        day = at.toordinal()
        offset = days.get(day, False)
        if offset is False or offset is None:
            s, us = event_posix(at)  # (a new day, or one whose offset changes)
        else:
            s = (day - _EPOCH_DAY) * 86_400 + at.hour * 3600 + at.minute * 60 + at.second - offset
            us = at.microsecond
        seconds.append(s)
        micros.append(us)
    return seconds, micros


# The UTC offset each zone keeps all through a local day, by the zone and the day's ordinal:
# a fold reads every step's instant, and timestamp() asks the zone each time, which costs more
# than the arithmetic. None for a day on which the offset changes (a daylight-saving change;
# China has had none since 1991, but the zone is the caller's): its instants are read by
# timestamp(). Keyed by the zone's identity, each entry keeping its zone alive, so an id is
# never reused while its entry stands.
_ZONE_DAYS: dict[int, tuple[datetime.tzinfo | None, dict[int, int | None]]] = {}
_ZONES_KEPT = 64
_DAYS_KEPT = 1 << 14
_EPOCH_DAY = datetime.date(1970, 1, 1).toordinal()


def day_offsets(tz: datetime.tzinfo, days: Sequence[int]) -> list[int | None]:
    """:func:`event_posix`'s offset of each local day of ``days`` (ordinals) in ``tz``.

    The offset in seconds ``tz`` keeps all through the day, ``None`` for a day on which it
    changes; kept with the zone's other days.
    """
    kept = _zone_days(tz)
    offsets: list[int | None] = []
    for day in days:
        offset = kept.get(day, False)
        if offset is False:
            offset = _new_day(kept, tz, day)
        offsets.append(offset)
    return offsets


def _zone_days(tz: datetime.tzinfo) -> dict[int, int | None]:
    """The zone's kept days (event_posix looks them up inline, on its hot path)."""
    found = _ZONE_DAYS.get(id(tz))
    return found[1] if found is not None and found[0] is tz else _new_zone(tz)


def _new_zone(tz: datetime.tzinfo | None) -> dict[int, int | None]:
    """A zone's kept days, new (the kept zones cleared when full)."""
    if len(_ZONE_DAYS) >= _ZONES_KEPT:
        _ZONE_DAYS.clear()
    days: dict[int, int | None] = {}
    _ZONE_DAYS[id(tz)] = (tz, days)
    return days


def _new_day(days: dict[int, int | None], tz: datetime.tzinfo | None, day: int) -> int | None:
    """:func:`_day_offset`, kept in the zone's ``days`` (cleared when full)."""
    if len(days) >= _DAYS_KEPT:
        days.clear()
    offset = days[day] = _day_offset(tz, day)
    return offset


def _day_offset(tz: datetime.tzinfo | None, day: int) -> int | None:
    """The offset, in seconds, that ``tz`` keeps through the local day ``day`` (an ordinal).

    ``None`` if it differs anywhere in the day: at any hour's start or the day's last instant,
    in either occurrence of a repeated wall time (an offset that changed within the day differs
    at its ends; one that changed and changed back would do so within an hour).
    """
    assert tz is not None
    y, m, d = datetime.date.fromordinal(day).timetuple()[:3]
    walls = [
        datetime.datetime(y, m, d, hour, tzinfo=tz, fold=fold)
        for hour in range(24)
        for fold in (0, 1)
    ]
    walls += [datetime.datetime(y, m, d, 23, 59, 59, 999_999, tzinfo=tz, fold=f) for f in (0, 1)]
    offsets = {wall.utcoffset() for wall in walls}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    if offset is None or offset.microseconds:
        return None
    return offset.days * 86_400 + offset.seconds


class _Clock:
    """One target's clock as the fold moves it: SlaClock's fields.

    Its segments, pauses and events are tuples, grown by concatenation (a clock holds a few),
    which the frozen clock takes as they are.
    """

    __slots__ = (
        "agreed",
        "anchor",
        "budget",
        "calendar",
        "consumed",
        "crossing",
        "cycle",
        "epoch",
        "events",
        "index_between",
        "kind",
        "last_ran",
        "origin",
        "outcomes",
        "pausable",
        "pauses",
        "reopens",
        "running_since",
        "segments",
        "service_day",
        "since",
        "startable",
        "starts",
        "state",
        "stopped_at",
        "target",
    )

    if TYPE_CHECKING:
        agreed: bool
        anchor: pendulum.DateTime | None
        budget: int
        calendar: BusinessTime
        consumed: int
        crossing: tuple[pendulum.DateTime, int, int, int] | None
        cycle: int
        epoch: int
        events: tuple[SlaEvent, ...]
        index_between: Callable[[int, int, int, int], int] | None
        kind: TargetKind
        last_ran: tuple[pendulum.DateTime, int, int] | None
        origin: Target
        outcomes: tuple[CycleOutcome, ...]
        pausable: bool
        pauses: tuple[PauseRecord, ...]
        reopens: int
        running_since: pendulum.DateTime | None
        segments: tuple[ClockSegment, ...]
        service_day: ServiceDayDue | None
        since: tuple[int, int] | None
        startable: bool
        starts: bool
        state: ClockState
        stopped_at: pendulum.DateTime | None
        target: Target

    @classmethod
    def of(cls, clock: SlaClock) -> _Clock:
        """``clock`` to fold: its fields, and what the fold asks of its target, read once."""
        lean = cls.__new__(cls)
        (
            lean.origin,
            lean.target,
            lean.kind,
            lean.pausable,
            lean.agreed,
            lean.startable,
            lean.starts,
            lean.calendar,
            lean.index_between,
            lean.state,
            lean.cycle,
            lean.epoch,
            lean.anchor,
            lean.budget,
            segments,
            lean.running_since,
            lean.since,
            lean.consumed,
            lean.stopped_at,
            lean.service_day,
            pauses,
            lean.reopens,
            lean.outcomes,
            events,
        ) = _read(clock)
        lean.segments, lean.pauses, lean.events = segments, pauses, events
        # (not known of stretches measured before: the deadline is then asked when read)
        lean.crossing = None
        anchor = lean.anchor
        if anchor is None:
            lean.last_ran = None
        else:
            last = segments[-1].end if segments else anchor
            lean.last_ran = (last, *posix_instant(last))
        return lean

    @classmethod
    def opened(
        cls,
        draft: _Draft,
        event: Started | None,
        at: pendulum.DateTime | None,
        at_posix: tuple[int, int],
    ) -> _Clock:
        """A new clock of a level, from its ``draft``: started by ``event``, or (``None``) not.

        What :meth:`of` reads of the new clock, then :meth:`start` (a target that starts with
        the request and is startable), in one pass.
        """
        lean = cls.__new__(cls)
        (
            lean.origin,
            target,
            lean.kind,
            lean.pausable,
            lean.agreed,
            lean.startable,
            lean.starts,
            calendar,
            lean.index_between,
            within,
        ) = draft
        lean.target = target
        lean.calendar = calendar
        lean.reopens = 0
        lean.outcomes = ()
        lean.crossing = lean.last_ran = None
        if event is None:
            lean.state = _NOT_STARTED
            lean.cycle = lean.epoch = lean.budget = lean.consumed = 0
            lean.anchor = lean.running_since = lean.since = lean.stopped_at = None
            lean.service_day = None
            lean.segments = lean.pauses = lean.events = ()
            return lean
        if within is not None:
            lean.budget = within
            lean.service_day = None
        else:  # (SameServiceDay: start's budget)
            assert at is not None
            cutoff = target.spec.cutoff  # type: ignore[union-attr]
            lean.service_day, lean.budget = same_day_start(calendar, cutoff, at, at_posix)
        lean.state = _RUNNING
        lean.cycle = lean.epoch = 1
        lean.anchor = lean.running_since = at
        lean.since = at_posix
        lean.consumed = 0
        lean.stopped_at = None
        lean.segments = lean.pauses = ()
        lean.events = (event,)
        return lean

    @classmethod
    def new(cls, target: Target, calendars: CalendarSet) -> _Clock:
        """``SlaClock.new(target, calendars)`` to fold: a target of a validated event or policy.

        What :meth:`of` reads of that clock, without building it: its one check is the
        calendar's look-up (a missing one raises here as there).
        """
        lean = cls.__new__(cls)
        lean.origin = target
        lean.retarget(target, calendars)
        lean.kind = target.kind
        lean.state = _NOT_STARTED
        lean.cycle = lean.epoch = lean.budget = lean.consumed = lean.reopens = 0
        lean.anchor = lean.running_since = lean.since = lean.stopped_at = None
        lean.service_day = lean.crossing = lean.last_ran = None
        lean.segments = lean.pauses = lean.events = ()
        lean.outcomes = ()
        return lean

    def frozen(self, calendars: CalendarSet) -> SlaClock:
        clock: SlaClock = _new_clock(
            self.origin,
            calendars,
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
        )
        plan = self.deadline_plan()
        if plan is not None:
            set_cached(clock, "_deadline_plan", plan)
        return clock

    def deadline_plan(self) -> tuple[Any, ...] | None:
        """What :attr:`SlaClock.deadline` computes, from the POSIX seconds the fold read.

        ``(deadline_at, calendar or start, s, us, seconds)``: the deadline is ``seconds`` of
        the calendar's time after the instant ``s`` + ``us`` (see :func:`deadline_at`); ``()``:
        it is ``None``. ``None`` when not known here (a calendar of another kind, stretches
        measured before this fold took the clock, a budget changed since): the clock computes
        it when read, as any other clock.
        """
        state = self.state
        if self.anchor is None or state is _CANCELLED:
            return None
        budget = self.budget
        consumed = self.consumed
        if budget <= 0:
            return None
        start: tuple[pendulum.DateTime, int, int, int] | None
        if consumed >= budget:
            # when_consumed(budget): the stretch in which the budget ran out.
            start = self.crossing
        elif state is _RUNNING:
            since, running = self.since, self.running_since
            assert since is not None
            assert running is not None
            start = (running, since[0], since[1], budget - consumed)
        elif state is _STOPPED:
            # With budget left: the deadline as it stood when the clock last ran.
            last = self.last_ran
            assert last is not None
            start = (*last, budget - consumed)
        else:
            return ()  # paused with budget left (a started clock runs, is paused or is stopped)
        if start is None:
            return None
        at, s, us, seconds = start
        calendar = self.calendar
        if type(calendar) is BusinessCalendar:
            return (business_deadline, calendar, s, us, seconds)
        if calendar is ELAPSED and type(at.tzinfo) is pendulum.Timezone and seconds <= ELAPSED_SPAN:
            return (elapsed_deadline, at, s, us, seconds)
        return None

    def _closed(self, length: int, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        """The running stretch closed at ``at``, of ``length`` business seconds."""
        before = self.consumed
        consumed = self.consumed = before + length
        budget = self.budget
        if before < budget <= consumed and self.crossing is None:
            since = self.since
            assert since is not None
            assert self.running_since is not None
            self.crossing = (self.running_since, since[0], since[1], budget - before)
        self.last_ran = (at, at_posix[0], at_posix[1])

    # The verbs: exactly the fields SlaClock's _start, _pause, _resume, _stop and _reopen
    # (under CONTINUE) compute, with each running stretch measured from POSIX seconds.

    def _measured(self, at: pendulum.DateTime, at_posix: tuple[int, int]) -> int:
        since = self.running_since
        since_posix = self.since
        assert since is not None
        assert since_posix is not None
        index_between = self.index_between
        if index_between is not None:  # a BusinessCalendar: between_posix, its index directly
            return index_between(since_posix[0], since_posix[1], at_posix[0], at_posix[1])
        return between_posix(self.calendar, since, since_posix, at, at_posix)

    def retarget(self, target: Target, calendars: CalendarSet) -> None:
        """Measure ``target`` from now on (its calendar and what the fold asks of it)."""
        spec_kind = type(target.spec)
        calendar = calendars.for_spec(target.spec)
        self.target = target
        self.pausable = target.pausable
        self.agreed = spec_kind is AgreedTime
        self.startable = spec_kind is Within or spec_kind is SameServiceDay
        self.starts = target.starts_with_request
        self.calendar = calendar
        self.index_between = calendar._index.between if type(calendar) is BusinessCalendar else None

    def keep_consumed(self, new: Target, calendars: CalendarSet) -> None:
        """SlaClock's _retarget under KEEP_CONSUMED (of a target it pauses, if paused).

        Started: the new budget from the anchor, the closed stretches measured again on the
        new target's calendar.
        """
        self.retarget(new, calendars)
        if self.state is _NOT_STARTED:
            return
        anchor = self.anchor
        assert anchor is not None
        spec = new.spec
        calendar = self.calendar
        if type(spec) is Within:
            self.budget, self.service_day = spec.seconds, None
        else:
            assert isinstance(spec, SameServiceDay)
            due = service_day_due(calendar, anchor, spec.cutoff)
            self.budget, self.service_day = calendar.between(anchor, due.due), due
        self.consumed = sum(calendar.between(s.start, s.end) for s in self.segments)
        self.crossing = None  # (measured again on a new budget: asked when read)

    def can_start(self, at: pendulum.DateTime) -> bool:
        """Whether SlaClock's fold starts this clock at ``at`` as :meth:`start` does."""
        if self.state is not _NOT_STARTED:
            return False
        spec = self.target.spec
        # An agreed time already past is refused by SlaClock's _start, with its message.
        return self.startable or (type(spec) is AgreedTime and at < spec.due)

    def start(self, event: SlaEvent, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        spec = self.target.spec
        due: ServiceDayDue | None = None
        if type(spec) is Within:
            budget = spec.seconds
        elif type(spec) is AgreedTime:
            agreed = spec.due
            if (
                self.calendar is ELAPSED
                and type(agreed) is pendulum.DateTime
                and isinstance(agreed.tzinfo, _ALWAYS_AWARE)
            ):
                # ELAPSED.between(at, agreed), from POSIX seconds: truncated toward zero.
                to = event_posix(agreed)
                budget = elapsed_seconds((to[0] - at_posix[0]) * 1_000_000 + to[1] - at_posix[1])
            else:
                budget = self.calendar.between(at, agreed)  # (_budget's, after can_start)
        else:
            assert isinstance(spec, SameServiceDay)
            calendar = self.calendar
            due, budget = same_day_start(calendar, spec.cutoff, at, at_posix)
        self.state = _RUNNING
        self.cycle = 1
        self.epoch += 1
        self.anchor = at
        self.budget = budget
        self.service_day = due
        self.segments = ()
        self.consumed = 0
        self.running_since = at
        self.since = at_posix
        self.stopped_at = None
        self.pauses = ()
        self.crossing = self.last_ran = None  # (a stretch closes before any stop)
        self.events += (event,)

    def pause(self, event: Paused, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        self._closed(self._measured(at, at_posix), at, at_posix)
        self.segments += (_new_segment(self.running_since, at),)
        self.running_since = self.since = None
        self.state = _PAUSED
        self.pauses += (_new_pause(at, None, event.reason, event.actor, PauseCause.PAUSED),)
        self.events += (event,)

    def _end_pause(self, at: pendulum.DateTime) -> None:
        *kept, last = self.pauses
        self.pauses = (*kept, _new_pause(last.since, at, last.reason, last.actor, last.cause))

    def resume(self, event: SlaEvent, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        self.state = _RUNNING
        self.running_since = at
        self.since = at_posix
        self._end_pause(at)
        self.events += (event,)

    def stop(self, event: SlaEvent, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        if self.state is _RUNNING:
            self._closed(self._measured(at, at_posix), at, at_posix)
            self.segments += (_new_segment(self.running_since, at),)
            self.running_since = self.since = None
        else:
            self._end_pause(at)
        self.state = _STOPPED
        self.stopped_at = at
        self.events += (event,)

    def cancel(self, event: SlaEvent, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        if self.state is _RUNNING:
            self._closed(self._measured(at, at_posix), at, at_posix)
            self.segments += (_new_segment(self.running_since, at),)
            self.running_since = self.since = None
        elif self.state is _PAUSED:
            self._end_pause(at)
        self.state = _CANCELLED
        self.events += (event,)

    def restart(
        self, event: Reopened, at: pendulum.DateTime, at_posix: tuple[int, int], outcome: Any
    ) -> None:
        """_reopen under NEW_CYCLE or RESTART: measured afresh, ``outcome`` the cycle's end."""
        cycle, reopens = self.cycle, self.reopens
        self.start(event, at, at_posix)  # (_measure_from, as a start; it sets cycle 1)
        if event.policy is ReopenPolicy.NEW_CYCLE:
            self.cycle = cycle + 1
            self.outcomes = (*self.outcomes, outcome)
            self.reopens = 1
        else:
            self.cycle = cycle
            self.reopens = reopens + 1

    def reopen(self, event: Reopened, at: pendulum.DateTime, at_posix: tuple[int, int]) -> None:
        stopped = self.stopped_at
        self.state = _RUNNING
        self.running_since = at
        self.since = at_posix
        self.stopped_at = None
        self.pauses += (_new_pause(stopped, at, event.reason, event.actor, PauseCause.CLOSED),)
        self.reopens += 1
        self.events += (event,)


def same_day_start(
    calendar: BusinessTime, cutoff: datetime.time, at: pendulum.DateTime, at_posix: tuple[int, int]
) -> tuple[ServiceDayDue, int]:
    """A same-day target started at ``at``: when it is due, and its budget (business seconds).

    What ``service_day_due(calendar, at, cutoff)`` and ``between_posix`` from ``at`` to its due
    instant give. On a BusinessCalendar, for a pendulum instant in the calendar's own zone, it
    goes straight to the day's kept answers (its cut-off and the end of its last window) and
    counts on the calendar's index from the POSIX seconds the fold read.
    """
    if (
        type(calendar) is not BusinessCalendar
        or type(at) is not _DATETIME
        or at.tzinfo is not (ZONES.get(calendar.zone) or zone_of(calendar.zone))
    ):
        asked = service_day_due(calendar, at, cutoff)
        return asked, between_posix(calendar, at, at_posix, asked.due, window_end_posix(asked.due))
    # (service_day_due's own steps for such an instant, its memo of the day's answers included)
    day, cutoff_at, end = kept_day_plan(calendar, at, at.tzinfo, cutoff)
    due: ServiceDayDue
    if cutoff_at is not None and at < cutoff_at:
        assert end is not None  # a cut-off needs the day's windows
        due = _new_service_day(at, day, cutoff_at, True, end, day)
        ends = window_end_posix(end)
    else:
        # (asked only now, as service_day_due asks it: its own memo, its own refusals)
        next_end, following = kept_next_service_day(calendar, day)
        due = _new_service_day(at, day, cutoff_at, False, next_end, following)
        ends = window_end_posix(next_end)
    return due, calendar._index.between(at_posix[0], at_posix[1], ends[0], ends[1])


def same_day_ends(
    calendar: BusinessTime, cutoff: datetime.time, ats: Sequence[object]
) -> tuple[list[int], list[int]] | None:
    """The POSIX instants from which same-day targets started at ``ats`` count their budgets.

    For each, what :func:`same_day_start` counts its budget to (its due instant's window end),
    each local day's answers asked once; ``None`` unless every one of ``ats`` is on that
    function's own path (a pendulum instant in a :class:`BusinessCalendar`'s own zone).
    """
    if type(calendar) is not BusinessCalendar:
        return None
    tz = ZONES.get(calendar.zone) or zone_of(calendar.zone)
    seconds: list[int] = []
    micros: list[int] = []
    # Each local day's plan: the day, its cut-off, the end due before it, the end due after it.
    days: dict[int, list[Any]] = {}
    for at in ats:
        if type(at) is not _DATETIME or at.tzinfo is not tz:
            return None
        plan = days.get(at.toordinal())
        if plan is None:
            day, cutoff_at, end = kept_day_plan(calendar, at, tz, cutoff)
            plan = days[at.toordinal()] = [
                day,
                cutoff_at,
                None if end is None else window_end_posix(end),
                None,
            ]
        cutoff_at = plan[1]
        if cutoff_at is not None and at < cutoff_at:
            ends = plan[2]
        else:
            ends = plan[3]
            if ends is None:
                # (asked only for a day a target starts after its cut-off, as same_day_start asks)
                next_end, _ = kept_next_service_day(calendar, plan[0])
                ends = plan[3] = window_end_posix(next_end)
        seconds.append(ends[0])
        micros.append(ends[1])
    return seconds, micros


def _read(clock: SlaClock) -> tuple[Any, ...]:
    """What :meth:`_Clock.of` sets, in its order."""
    target = clock.target
    spec_kind = type(target.spec)
    calendar = clock.calendar
    since = clock.running_since
    return (
        clock.origin,
        target,
        target.kind,
        target.pausable,
        spec_kind is AgreedTime,
        spec_kind is Within or spec_kind is SameServiceDay,
        target.starts_with_request,
        calendar,
        calendar._index.between if type(calendar) is BusinessCalendar else None,
        clock.state,
        clock.cycle,
        clock.epoch,
        clock.anchor,
        clock.budget,
        clock.segments,
        since,
        None if since is None else posix_instant(since),
        clock.consumed,
        clock.stopped_at,
        clock.service_day,
        clock.pauses,
        clock.reopens,
        clock.outcomes,
        clock.events,
    )


_Draft = tuple[
    Target,
    Target,
    TargetKind,
    bool,
    bool,
    bool,
    bool,
    BusinessTime,
    Callable[[int, int, int, int], int] | None,
    int | None,
]
"""A new clock of a level as :meth:`_Clock.opened` builds it: what :func:`_read` reads of it
(but the fields every new clock has alike) and a Within target's seconds (else ``None``)."""


def _draft(clock: SlaClock) -> _Draft:
    spec = clock.target.spec
    within = spec.seconds if type(spec) is Within else None
    return (*_read(clock)[:9], within)


# The states in which SlaClock's fold takes each verb the way the verbs above fold it (a start
# also needs a Within or same-day target: _Clock.startable).
_TAKES: dict[type[SlaEvent], tuple[ClockState, ...]] = {
    Started: (_NOT_STARTED,),
    Paused: (_RUNNING,),
    Resumed: (_PAUSED,),
    Stopped: (_RUNNING, _PAUSED),
    Reopened: (_STOPPED,),
}


_VERBS: dict[type[SlaEvent], Any] = {
    Started: _Clock.start,
    Paused: _Clock.pause,
    Resumed: _Clock.resume,
    Stopped: _Clock.stop,
    Reopened: _Clock.reopen,
}


# The states and kinds send() was given and found to be tuples or frozensets of members (the
# senders' constants, a policy's reopened targets): read as they are the next time. Keyed by
# identity, each entry keeping its value alive, so an id is never reused while it stands.
_CHECKED: dict[int, object] = {}
_CHECKED_KEPT = 256

# The new clocks of a policy's level on a calendar set, as RequestClocks.open opened them (and
# checked the level against the calendars), drafted for _Clock.opened, and whether start()
# takes them as _received starts them. Keyed by identity, each entry keeping its policy
# and calendars alive, so an id is never reused while its entry stands.
_OPENED: dict[tuple[int, int, str], tuple[SlaPolicy, CalendarSet, tuple[_Draft, ...], bool]] = {}
_OPENED_KEPT = 256

# The events apply() folds itself (exact classes: a subclass may check more).
_FOLDED = frozenset({Cancelled, TargetChanged, PriorityChanged, Reopened})


_M = TypeVar("_M", bound=enum.Enum)


def _checked(
    verb: object, states: object, kinds: object, pausable: object, agreed: object
) -> tuple[tuple[ClockState, ...], tuple[TargetKind, ...] | None]:
    """``send``'s states and kinds as tuples of members; anything wrong is refused."""
    if type(verb) is not type or verb not in _TAKES:  # (a list would not even hash)
        raise InvalidType(
            f"send takes one of the verbs Started, Paused, Resumed, Stopped, Reopened, not "
            f"{verb!r}.",
            field="verb",
            value=verb,
            allowed="Started, Paused, Resumed, Stopped or Reopened",
        )
    check_instance(pausable, "pausable", bool)
    check_instance(agreed, "agreed", bool)
    checked = _members(states, "states", ClockState)
    return checked, None if kinds is None else _members(kinds, "kinds", TargetKind)


def _members(value: Any, field: str, kind: type[_M]) -> Any:
    """``value`` if it is a collection of ``kind``'s members (kept, if immutable), else refused."""
    items = tuple(check_member(m, kind, field) for m in check_items(value, field, kind))
    if type(value) is not tuple and type(value) is not frozenset:
        return items  # (a list or set may change: not kept)
    if len(_CHECKED) >= _CHECKED_KEPT:
        _CHECKED.clear()
    _CHECKED[id(value)] = value
    return value


class RequestClocksFold:
    """A request's clocks folded in one pass from verbs sent to them: the way a replay reads them.

    :meth:`send` picks the clocks in the given states (of the given kinds), builds the one
    event that names them, and moves them; :meth:`apply` takes any other event through
    :meth:`RequestClocks.apply`, the reference fold; :meth:`frozen` builds the
    :class:`RequestClocks` once. The result equals applying the same events to
    :class:`RequestClocks` one at a time, with the same error for a refused one. Read
    ``priority`` and ``clocks`` (each with ``kind``, ``state`` and ``target``) between events
    to decide the next; do not keep a clock, it changes with the next event. A refused event
    leaves the fold as it was, but for an error a calendar raises while clocks move (a year
    beyond its horizon, holidays not confirmed): then drop the fold, as its clocks may be
    half-moved.

    >>> import pendulum
    >>> from propcrm.sla import BusinessCalendar, CalendarSet, ClockState, Stopped, TargetKind
    >>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
    >>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    >>> fold = RequestClocksFold("R-1", "P1", calendars=calendars)
    >>> fold.start(nine, "客服小王", "receive")
    >>> sent = fold.send(Stopped, nine.add(minutes=8), "维修工", "start", [ClockState.RUNNING])
    >>> sent.targets
    frozenset({<TargetKind.RESPONSE: 'response'>})
    >>> clocks = fold.frozen()
    >>> clocks.clock(TargetKind.RESPONSE).met, clocks.events[-1] is sent
    (True, True)
    """

    __slots__ = (
        "_at",
        "_at_posix",
        "calendars",
        "cancelled",
        "clocks",
        "events",
        "initial_priority",
        "policy",
        "priority",
        "request_id",
    )

    def __init__(
        self,
        request_id: str,
        priority: str,
        policy: SlaPolicy = DEFAULT_SLA_POLICY,
        calendars: CalendarSet | None = None,
    ) -> None:
        """The clocks of a new request at ``priority``, none started: :meth:`RequestClocks.open`."""
        self._at: pendulum.DateTime | None = None
        self._at_posix = (0, 0)
        key = (id(policy), id(calendars), priority)
        found = (
            _OPENED.get(key)
            if type(priority) is str and type(request_id) is str and request_id.strip()
            else None
        )
        if found is None or found[0] is not policy or found[1] is not calendars:
            opened = RequestClocks.open(request_id, priority, policy, calendars)
            self._take(opened)
            if opened.calendars is calendars:  # (none given: a new empty set each time)
                if len(_OPENED) >= _OPENED_KEPT:
                    _OPENED.clear()
                drafts = tuple([_draft(c) for c in opened.clocks])
                # Whether start() takes the opened clocks as _Clock.opened starts them: some
                # target starts with the request, and each that does is startable.
                starting = [d for d in drafts if d[6]]
                plain_start = bool(starting) and all(d[5] for d in starting)
                _OPENED[key] = (policy, calendars, drafts, plain_start)
            return
        # What RequestClocks.open gives, once it has checked the request id (as here) and the
        # level against these calendars (when this entry was made).
        self.request_id = request_id
        self.initial_priority = self.priority = priority
        self.policy = policy
        self.calendars = calendars
        self.events: list[SlaEvent] = []
        self.cancelled = False
        at_posix = self._at_posix
        self.clocks = [_Clock.opened(d, None, None, at_posix) for d in found[2]]

    @classmethod
    def _received(
        cls,
        request_id: str,
        priority: str,
        policy: SlaPolicy,
        calendars: CalendarSet,
        at: pendulum.DateTime,
        actor: str,
        reason: str,
    ) -> RequestClocksFold:
        """``RequestClocksFold(request_id, priority, policy, calendars)``, then :meth:`start`.

        The clocks of a level opened before on these calendars are built started, each in one
        pass (the receipt of every replayed request); anything else as the two calls do.
        """
        found = (
            _OPENED.get((id(policy), id(calendars), priority))
            if type(priority) is str and type(request_id) is str and request_id.strip()
            else None
        )
        if (
            found is None
            or found[0] is not policy
            or found[1] is not calendars
            or not found[3]
            or not _plain(at, actor, reason)
        ):
            fold = cls(request_id, priority, policy, calendars)
            fold.start(at, actor, reason)
            return fold
        fold = cls.__new__(cls)
        fold.request_id = request_id
        fold.initial_priority = fold.priority = priority
        fold.policy = policy
        fold.calendars = calendars
        fold.cancelled = False
        fold._at = at
        at_posix = fold._at_posix = event_posix(at)
        event: Started = _new_started(at, actor, reason, None)
        fold.events = [event]
        opened = _Clock.opened
        fold.clocks = [
            opened(d, _new_started(at, actor, reason, ADDRESSED_TO[d[2]]), at, at_posix)
            if d[6]
            else opened(d, None, at, at_posix)
            for d in found[2]
        ]
        return fold

    def _take(self, clocks: RequestClocks) -> None:
        self.request_id = clocks.request_id
        self.initial_priority = clocks.initial_priority
        self.priority = clocks.priority
        self.policy = clocks.policy
        self.calendars = clocks.calendars
        self.events = list(clocks.events)
        self.cancelled = clocks.cancelled
        # RequestClocks.open builds SlaClocks, and RequestClocks' fold keeps building them.
        self.clocks = [_Clock.of(c) for c in clocks.clocks]

    def _posix(self, at: pendulum.DateTime) -> tuple[int, int]:
        # The events of one step share their instant: it is read once.
        if at is not self._at:
            self._at_posix = event_posix(at)
            self._at = at
        return self._at_posix

    def _forward(self, at: pendulum.DateTime) -> bool:
        """Whether an event at ``at`` may be folded here (else :meth:`apply` decides)."""
        events = self.events
        return not self.cancelled and (not events or events[-1].at <= at)

    def start(self, at: pendulum.DateTime, actor: str, reason: str) -> None:
        """Start every target that starts with the request: a :class:`Started` to all of them.

        ``at``, ``actor`` and ``reason`` as :meth:`send` takes them.
        """
        if not _plain(at, actor, reason):
            self.apply(Started(at, actor, reason))  # validated: it refuses what is wrong
            return
        make = _MAKERS[Started]
        event: Started = make(at, actor, reason, None)
        picked = [c for c in self.clocks if c.state is _NOT_STARTED and c.starts]
        if not picked or not self._forward(at) or not all(c.startable for c in picked):
            self.apply(event)
            return
        at_posix = self._posix(at)
        for clock in picked:
            # What addressed() builds: the event with targets={kind}.
            clock.start(make(at, actor, reason, ADDRESSED_TO[clock.kind]), at, at_posix)
        self.events.append(event)

    def send(
        self,
        verb: type[VerbEvents],
        at: pendulum.DateTime,
        actor: str,
        reason: str,
        states: Collection[ClockState],
        kinds: Collection[TargetKind] | None = None,
        *,
        pausable: bool = False,
        agreed: bool = True,
    ) -> VerbEvents | None:
        """Send ``verb`` to the clocks in ``states`` (and of ``kinds``); the event, or ``None``.

        The clocks picked are in one of ``states``, of one of ``kinds`` when given, pause when
        ``pausable``, and are not agreed times unless ``agreed``. None picked: nothing is sent.
        Otherwise ``verb(at, actor, reason, targets=<their kinds>)`` is applied as
        :meth:`RequestClocks.apply` applies it (a reopen under the SLA policy's reopen policy),
        and returned. ``verb`` is :class:`Started`, :class:`Paused`, :class:`Resumed`,
        :class:`Stopped` or :class:`Reopened`; ``at``, ``actor`` and ``reason`` are what its
        constructor keeps unchanged (an aware pendulum instant, non-empty text, and a non-empty
        reason where the verb needs one), or the event is built by that constructor, which
        refuses what is wrong.
        """
        if (
            _CHECKED.get(id(states)) is not states
            or (kinds is not None and _CHECKED.get(id(kinds)) is not kinds)
            or type(verb) is not type
            or verb not in _TAKES
            or type(pausable) is not bool
            or type(agreed) is not bool
        ):
            states, kinds = _checked(verb, states, kinds, pausable, agreed)
        allowed = _TAKES[verb]
        # _plain(), written out (a send per step of every replay).
        plain = (
            type(at) is pendulum.DateTime
            and isinstance(at.tzinfo, _ALWAYS_AWARE)
            and type(actor) is str
            and type(reason) is str
            and bool(actor.strip())
        )
        if not plain:
            verb(at, actor, reason)  # validated: what is wrong is refused, picked or not
        picked = []
        takes = True
        for c in self.clocks:
            if (
                c.state in states
                and (kinds is None or c.kind in kinds)
                and (not pausable or c.pausable)
                and (agreed or not c.agreed)
            ):
                picked.append(c)
                if (
                    c.state not in allowed
                    or (verb is Started and not c.startable)
                    or (verb is Paused and not c.pausable)  # (NotPausable, from the fold)
                    or (verb is Reopened and c.agreed)  # (its stop undone, or refused)
                ):
                    takes = False
        if not picked:
            return None
        # (one clock, as most steps move: the set addressed() would build, kept per kind)
        targets = (
            ADDRESSED_TO[picked[0].kind]
            if len(picked) == 1
            else frozenset([c.kind for c in picked])
        )
        event: VerbEvents
        if not plain:
            event = verb(at, actor, reason, targets=targets)  # (validated: it converts them)
            self.apply(event)
            return event
        if verb is Reopened:
            event = _MAKERS[Reopened](at, actor, reason, targets, None)
            if self.policy.reopen is not _CONTINUE:
                self.apply(event)  # a new cycle or a restart records an outcome
                return event
            # What the request's fold stores and hands its clocks: the policy filled in.
            sent: VerbEvents = derive_trusted(event, policy=_CONTINUE)
        else:
            event = sent = _MAKERS[verb](at, actor, reason, targets)
        events = self.events
        if not takes or self.cancelled or (events and at < events[-1].at):
            self.apply(event)  # RequestClocks' fold refuses it, or takes it its own way
            return event
        if at is not self._at:
            self._at_posix = event_posix(at)
            self._at = at
        self._move(verb, picked, sent, self._at_posix)
        events.append(sent)
        return event

    # The common verbs a replay sends, short: what send() does with a sender's constant states
    # and kinds (checked once, by the sender's property tests, not at every step), with one
    # picking loop and no general checks (_short). Anything the fast fold does not
    # take (an instant or text its converters would change, a cancelled request, an event out
    # of order, a start of a target that does not start) goes through send() itself.

    def _stop(
        self, at: pendulum.DateTime, actor: str, reason: str, kinds: Collection[TargetKind]
    ) -> None:
        """``send(Stopped, at, actor, reason, (RUNNING, PAUSED), kinds)``; ``kinds`` a constant."""
        picked = [
            c
            for c in self.clocks
            if (c.state is _RUNNING or c.state is _PAUSED) and c.kind in kinds
        ]
        self._short(Stopped, at, actor, reason, picked, _OPEN, kinds)

    def _pause(self, at: pendulum.DateTime, actor: str, reason: str) -> None:
        """``send(Paused, at, actor, reason, (RUNNING,), pausable=True)``."""
        picked = [c for c in self.clocks if c.state is _RUNNING and c.pausable]
        self._short(Paused, at, actor, reason, picked, _RUNNING_ONLY, pausable=True)

    def _resume(self, at: pendulum.DateTime, actor: str, reason: str) -> None:
        """``send(Resumed, at, actor, reason, (PAUSED,))``."""
        picked = [c for c in self.clocks if c.state is _PAUSED]
        self._short(Resumed, at, actor, reason, picked, _PAUSED_ONLY)

    def _start_kinds(
        self, at: pendulum.DateTime, actor: str, reason: str, kinds: Collection[TargetKind]
    ) -> None:
        """``send(Started, at, actor, reason, (NOT_STARTED,), kinds)``; ``kinds`` a constant."""
        picked = [c for c in self.clocks if c.state is _NOT_STARTED and c.kind in kinds]
        self._short(Started, at, actor, reason, picked, _NOT_STARTED_ONLY, kinds)

    def _short(
        self,
        verb: type[Started | Paused | Resumed | Stopped],
        at: pendulum.DateTime,
        actor: str,
        reason: str,
        picked: list[_Clock],
        states: Collection[ClockState],
        kinds: Collection[TargetKind] | None = None,
        *,
        pausable: bool = False,
    ) -> None:
        """``send(verb, at, actor, reason, states, kinds, pausable=...)``, ``picked`` its clocks.

        The sender picked the clocks send() would pick for its constant states and kinds.
        """
        if (
            type(at) is not _DATETIME
            or not isinstance(at.tzinfo, _ALWAYS_AWARE)
            or type(actor) is not str
            or type(reason) is not str
            or not actor.strip()
        ):
            # (validated: what is wrong is refused)
            self.send(verb, at, actor, reason, states, kinds, pausable=pausable)
            return
        if not picked:
            return
        events = self.events
        if (
            self.cancelled
            or (events and at < events[-1].at)
            or (verb is Started and not all(c.startable for c in picked))
        ):
            # (RequestClocks' fold takes it its own way, or refuses it)
            self.send(verb, at, actor, reason, states, kinds, pausable=pausable)
            return
        if at is not self._at:
            self._at_posix = event_posix(at)
            self._at = at
        make = _MAKERS[verb]
        if len(picked) == 1:
            event = make(at, actor, reason, ADDRESSED_TO[picked[0].kind])
        else:
            event = make(at, actor, reason, frozenset([c.kind for c in picked]))
        self._move(verb, picked, event, self._at_posix)
        events.append(event)

    def _move(
        self, verb: type[VerbEvents], picked: list[_Clock], sent: Any, at_posix: tuple[int, int]
    ) -> None:
        """Move each of ``picked`` by ``sent``, addressed to it, through ``verb``'s own verb."""
        move = _VERBS[verb]
        at = sent.at
        if len(picked) == 1:
            move(picked[0], sent, at, at_posix)  # (already addressed to its one clock)
        elif verb is Reopened:
            for clock in picked:
                move(clock, addressed(sent, clock.kind), at, at_posix)
        else:
            make = _MAKERS[verb]
            actor, reason = sent.actor, sent.reason
            for clock in picked:
                # What addressed() builds: the event with targets={kind}.
                move(clock, make(at, actor, reason, ADDRESSED_TO[clock.kind]), at, at_posix)

    def apply(self, event: SlaEvent) -> None:
        """Fold ``event`` as :meth:`RequestClocks.apply` does; a refused one raises, as there.

        A cancel of the whole request, a target change that adds a target and a priority change
        that keeps the time consumed are folded here; anything else, or anything one of them
        would refuse, through :meth:`RequestClocks.apply` itself.
        """
        cls = type(event)
        if cls in _FOLDED and self._forward(event.at):
            if cls is Cancelled and event.targets is None:  # type: ignore[union-attr]
                self._cancel(event)  # type: ignore[arg-type]
                return
            if cls is TargetChanged and self._added(event):  # type: ignore[arg-type]
                return
            if cls is PriorityChanged and self._reprioritised(event):  # type: ignore[arg-type]
                return
            if cls is Reopened and self._reopened(event):  # type: ignore[arg-type]
                return
        self._take(self.frozen().apply(event))

    def _cancel(self, event: Cancelled) -> None:
        at = event.at
        at_posix = self._posix(at)
        for clock in self.clocks:
            if clock.state in CANCELLABLE:
                clock.cancel(addressed(event, clock.kind), at, at_posix)
        self.events.append(event)
        self.cancelled = True  # every later event is refused (by RequestClocks.apply)

    def _reopened(self, event: Reopened) -> bool:
        """A reopen of stopped targets that are not agreed times (False: nothing done)."""
        if event.policy is None:
            event = derive_trusted(event, policy=self.policy.reopen)
        targets = event.targets
        if targets is None:
            picked = [c for c in self.clocks if c.state is _STOPPED and not c.agreed]
        else:
            picked = [c for c in self.clocks if c.kind in targets]
            if len(picked) != len(targets):
                return False  # a kind the request lacks: UnknownTarget
        if not picked or not all(c.state is _STOPPED and not c.agreed for c in picked):
            return False
        at = event.at
        at_posix = self._posix(at)
        calendars = self.calendars
        for clock in picked:
            sent = addressed(event, clock.kind)
            if event.policy is _CONTINUE:
                clock.reopen(sent, at, at_posix)
            else:
                # The cycle's outcome as SlaClock reads it, deadline and all.
                clock.restart(sent, at, at_posix, clock.frozen(calendars).outcome())
        self.events.append(event)
        return True

    def _started(self) -> bool:
        return any(c.state is not _NOT_STARTED for c in self.clocks)

    def _new(self, target: Target, event: SlaEvent, started: bool) -> _Clock | None:
        """RequestClocks' new clock for ``target`` at ``event``; ``None`` if it would refuse it.

        Started if the request has started and the target starts with it.
        """
        clock = _Clock.new(target, self.calendars)
        if not (started and target.starts_with_request):
            return clock
        at = event.at
        if not clock.can_start(at):
            return None
        start = _MAKERS[Started](at, event.actor, event.reason, ADDRESSED_TO[target.kind])
        clock.start(start, at, self._posix(at))
        return clock

    def _added(self, event: TargetChanged) -> bool:
        """A change of a target the request lacks: the target added (False: not folded here)."""
        kind = event.target.kind
        if any(c.kind is kind for c in self.clocks):
            return False  # a change of a clock's target: SlaClock's _retarget
        if event.policy is None:
            event = derive_trusted(event, policy=self.policy.priority_change)
        clock = self._new(event.target, event, self._started())
        if clock is None:
            return False
        self.clocks.append(clock)
        self.events.append(event)
        return True

    def _keeps(self, level: ServiceLevel) -> bool:
        """Whether each clock ``level`` retargets takes its new target as keep_consumed does.

        Checked before anything moves: what SlaClock's _retarget refuses, or measures afresh.
        """
        kinds = level.kinds
        for clock in self.clocks:
            state = clock.state
            if state is _STOPPED or state is _CANCELLED or clock.agreed or clock.kind not in kinds:
                continue
            new = level.target(clock.kind)
            if type(new.spec) is AgreedTime or (state is _PAUSED and not new.pausable):
                return False
        return True

    def _reprioritised(self, event: PriorityChanged) -> bool:
        """A priority change, folded if every clock takes it as below (False: nothing done)."""
        policy = self.policy
        if event.priority == self.priority or event.priority not in policy.priorities:
            return False  # refused by RequestClocks.apply, with its error
        if event.policy is None:
            event = derive_trusted(event, policy=policy.priority_change)
        if event.policy is not _KEEP:
            return False  # a restart measures afresh: SlaClock's _retarget
        level = policy.level(event.priority)
        kinds = level.kinds
        at = event.at
        if not self._keeps(level):
            return False
        started = self._started()
        added: list[_Clock] = []
        have = [c.kind for c in self.clocks]
        for target in level.targets:
            if target.kind not in have:
                fresh = self._new(target, event, started)
                if fresh is None:
                    return False
                added.append(fresh)
        at_posix = self._posix(at)
        actor, reason, change_policy = event.actor, event.reason, event.policy
        for clock in self.clocks:
            state = clock.state
            if state is _STOPPED or state is _CANCELLED or clock.agreed:
                continue  # an agreed time belongs to the request, not to a level
            kind = clock.kind
            if kind in kinds:
                new = level.target(kind)
                change = _new_target_changed(at, actor, reason, new, change_policy)
                clock.keep_consumed(new, self.calendars)
                clock.events += (change,)
            else:
                superseded = _new_cancelled(
                    at,
                    actor,
                    f"superseded: priority changed to {event.priority}",
                    ADDRESSED_TO[kind],
                )
                clock.cancel(superseded, at, at_posix)
        self.clocks.extend(added)
        self.priority = event.priority
        self.events.append(event)
        return True

    def frozen(self) -> RequestClocks:
        """The frozen clocks: equal to applying every event to :class:`RequestClocks` in turn."""
        calendars = self.calendars
        # Every field is what RequestClocks' own fold computes (see RequestClocks.apply).
        clocks: RequestClocks = _new_request_clocks(
            self.request_id,
            self.initial_priority,
            self.priority,
            self.policy,
            calendars,
            tuple([c.frozen(calendars) for c in self.clocks]),
            tuple(self.events),
            self.cancelled,
        )
        return clocks
