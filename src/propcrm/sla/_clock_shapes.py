"""A folded clock's structure over a sequence of instants: :class:`ClockShape`.

A clock's state, cycle and the events that moved it are decided by which verbs reached it and
in what order; the instants of those events only feed the arithmetic: the business time of each
running stretch, a same-day target's or an agreed time's budget, and the deadline. A
:class:`ClockShape` keeps that structure as positions in a sequence of instants (a request's
steps), so that the same clock can be read for another sequence of the same kind with no fold:
what :attr:`SlaClock.budget`, :attr:`~SlaClock.consumed`, :attr:`~SlaClock.deadline` and
:attr:`~SlaClock.met` would be, by the arithmetic the fold and the deadline use.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Sequence

import attrs
import pendulum

from propcrm._validators import check_instance, check_items
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.sla._calendars import BusinessCalendar, posix_instant
from propcrm.sla._clock import SlaClock
from propcrm.sla._clock_records import ClockState
from propcrm.sla._request_fold import (
    day_offsets,
    event_posix,
    events_posix,
    same_day_ends,
    same_day_start,
)
from propcrm.sla._targets import ELAPSED, AgreedTime, SameServiceDay, Within, elapsed_seconds
from propcrm.time import aware

__all__ = ["ClockShape"]

_MICROSECONDS = 1_000_000
_STOPPED = ClockState.STOPPED
_CANCELLED = ClockState.CANCELLED

_Between = Callable[[int, int, int, int], int]
_Agreed = AgreedTime | datetime.datetime | None
"""An agreed time a request's :class:`AgreedTime` clock measures to, or its instant."""
_Add = Callable[[int, int, int], tuple[int, int]]


_ALWAYS_AWARE = (zoneinfo.ZoneInfo, datetime.timezone)


def _checked_posix(posix: object, instants: object) -> tuple[list[int], list[int]]:
    """``posix`` if it is what :meth:`ClockShape.posix` gives for ``instants``; else refused.

    Two lists of one length, that of ``instants`` (their items, ints as posix() read them, are
    not checked one by one).
    """
    if (
        type(posix) is tuple
        and len(posix) == 2
        and type(posix[0]) is list
        and type(posix[1]) is list
        and (type(instants) is list or isinstance(instants, Sequence))
        and len(posix[0]) == len(posix[1]) == len(instants)
    ):
        return posix
    raise InvalidType(
        f"posix must be what ClockShape.posix gives for the instants, got {posix!r}.",
        field="posix",
        value=posix,
        allowed="a tuple of two lists of ints (seconds, microseconds), one item an instant",
    )


def _elapsed_between(a: int, a_us: int, b: int, b_us: int) -> int:
    return elapsed_seconds((b - a) * _MICROSECONDS + b_us - a_us)


def _elapsed_add(s: int, us: int, seconds: int) -> tuple[int, int]:
    return s + seconds, us


@attrs.frozen
class ClockShape:
    """One clock's structure as positions in a sequence of instants, to read it for others.

    Build one with :meth:`of` from a folded clock and the instants its request's steps took
    (in order); then :meth:`read` gives, for another request whose steps moved the same clock
    at the same positions, its budget, time used, deadline and whether it was met, by the
    arithmetic :class:`SlaClock` uses, with no fold. Positions index the instants.

    >>> import pendulum
    >>> from propcrm.sla import BusinessCalendar, CalendarSet, RequestClocks, Started, Stopped
    >>> calendars = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
    >>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    >>> steps = [nine, nine.add(minutes=8)]
    >>> clocks = RequestClocks.open("R-1", "P1", calendars=calendars)
    >>> clocks = clocks.apply(Started(steps[0], "客服小王")).apply(Stopped(steps[1], "维修工"))
    >>> shape = ClockShape.of(clocks.clocks[0], steps)
    >>> shape.anchor, shape.segments, shape.running
    (0, ((0, 1),), None)
    >>> shape.read([nine, nine.add(minutes=12)])[:2]  # the next request: 12 minutes
    (600, 720)
    """

    clock: SlaClock
    between: _Between = attrs.field(repr=False)
    add: _Add = attrs.field(repr=False)
    anchor: int | None
    segments: tuple[tuple[int, int], ...]
    running: int | None
    needs: int = attrs.field(repr=False)
    """How many instants a sequence must have: one past the last position."""
    within: int | None = attrs.field(repr=False)
    """A :class:`Within` target's budget, the same at any instants (else ``None``)."""

    @classmethod
    def of(
        cls,
        clock: SlaClock,
        instants: Sequence[datetime.datetime],
        *,
        posix: tuple[list[int], list[int]] | None = None,
    ) -> ClockShape | None:
        """The shape of ``clock``, folded over events at ``instants``; ``None`` if not covered.

        Not covered: a calendar that is neither a :class:`BusinessCalendar` nor elapsed time, a
        target other than :class:`Within`, :class:`SameServiceDay` or :class:`AgreedTime`, or
        an instant of the clock (its anchor, a stretch's ends, its running start) that is none
        of ``instants``. An instant stands for the first of ``instants`` equal to it.
        ``posix``: what :meth:`posix` gave for these ``instants``, if the caller has it.
        """
        check_instance(clock, "clock", SlaClock)
        seconds, micros = (
            ClockShape.posix(instants) if posix is None else _checked_posix(posix, instants)
        )
        first: dict[tuple[int, int], int] = {}
        for i, at in enumerate(zip(seconds, micros, strict=True)):
            first.setdefault(at, i)
        spec = type(clock.target.spec)
        if spec is not Within and spec is not SameServiceDay and spec is not AgreedTime:
            return None
        calendar = clock.calendar
        between: _Between
        add: _Add
        if type(calendar) is BusinessCalendar:
            between, add = calendar._index.between, calendar._index.add
        elif calendar is ELAPSED:
            between, add = _elapsed_between, _elapsed_add
        else:
            return None
        given = [
            clock.anchor,
            clock.running_since,
            *(at for g in clock.segments for at in (g.start, g.end)),
        ]
        found = [None if at is None else first.get(posix_instant(at)) for at in given]
        if any(f is None and at is not None for f, at in zip(found, given, strict=True)):
            return None
        anchor, running, *ends = found
        segments = tuple((ends[k], ends[k + 1]) for k in range(0, len(ends), 2))
        needs = 1 + max((f for f in found if f is not None), default=-1)
        target = clock.target.spec
        within = int(target.seconds) if type(target) is Within else None
        return cls(clock, between, add, anchor, segments, running, needs, within)  # type: ignore[arg-type]

    @staticmethod
    def posix(instants: Sequence[datetime.datetime]) -> tuple[list[int], list[int]]:
        """The POSIX seconds and microseconds of ``instants``, as :meth:`read` takes them."""
        given = instants if type(instants) is list or type(instants) is tuple else None
        if given is not None:
            found = events_posix(given)
            if found is not None:
                return found
        pairs = [
            # A pendulum instant in an IANA zone or at a fixed offset (a step's, always aware)
            # is read as a fold reads it; anything else is checked first.
            event_posix(at)
            if type(at) is pendulum.DateTime and isinstance(at.tzinfo, _ALWAYS_AWARE)
            else posix_instant(aware(at, field="instants"))
            for at in (check_items(instants, "instants") if given is None else given)
        ]
        seconds = [p[0] for p in pairs]
        micros = [p[1] for p in pairs]
        return seconds, micros

    @staticmethod
    def day_offsets(zone: datetime.tzinfo, days: Sequence[int]) -> list[int | None]:
        """The UTC offset, in seconds, that ``zone`` keeps all through each of ``days``.

        ``days`` are local days as ordinals (:meth:`datetime.date.toordinal`); ``None`` for a
        day on which the offset changes (a daylight-saving change). :meth:`posix` reads an
        instant in an IANA zone or at a fixed offset as its wall time's seconds less its day's
        offset, so arithmetic over columns can read many instants the same way.

        >>> import datetime, zoneinfo
        >>> berlin = zoneinfo.ZoneInfo("Europe/Berlin")
        >>> days = [datetime.date(2026, 3, d).toordinal() for d in (28, 29, 30)]
        >>> ClockShape.day_offsets(berlin, days)  # summer time from 29 March
        [3600, None, 7200]
        """
        if not isinstance(zone, _ALWAYS_AWARE):
            raise InvalidType(
                f"zone must be an IANA zone or a fixed offset, got {zone!r}.",
                field="zone",
                value=zone,
                allowed="a zoneinfo.ZoneInfo (pendulum's zones are) or a datetime.timezone",
            )
        listed = check_items(days, "days", int)
        return day_offsets(zone, listed)

    def read(
        self, instants: Sequence[datetime.datetime], agreed: _Agreed = None
    ) -> tuple[int, int, int | None, bool | None]:
        """``(budget, consumed, deadline, met)`` of this clock at other ``instants``.

        ``deadline`` in POSIX microseconds (``None`` where the clock's is); ``agreed`` the
        agreed time an :class:`AgreedTime` clock measures to (or its instant), if it is not the
        folded clock's.
        Raises :class:`~propcrm.errors.InvalidQuantity` for a budget of zero or less (the
        calendar's own checks decide those: read the folded clock), and whatever the calendar
        raises for a deadline beyond its horizon, as reading the clock's deadline would.
        """
        return ClockShape.read_many([self], instants, agreed)[0]

    @staticmethod
    def read_many(
        shapes: Sequence[ClockShape],
        instants: Sequence[datetime.datetime],
        agreed: _Agreed = None,
        *,
        posix: tuple[list[int], list[int]] | None = None,
    ) -> list[tuple[int, int, int | None, bool | None]]:
        """:meth:`read` of each of ``shapes`` (a request's clocks) at the same ``instants``.

        ``posix``: what :meth:`posix` gave for these ``instants``, if the caller has it.
        """
        listed: tuple[ClockShape, ...]
        if type(shapes) is tuple and all(type(shape) is ClockShape for shape in shapes):
            listed = shapes  # (a request's clocks, read many times: already a tuple of them)
        else:
            listed = check_items(shapes, "shapes", ClockShape)
        if not listed:
            return []
        needs = max(shape.needs for shape in listed)
        s, us, due = listed[0]._checked(instants, agreed, posix, needs)
        return [shape._read(instants, s, us, due) for shape in listed]

    def _read(
        self,
        instants: Sequence[datetime.datetime],
        s: list[int],
        us: list[int],
        due: datetime.datetime | None,
    ) -> tuple[int, int, int | None, bool | None]:
        between = self.between
        lengths = [between(s[i], us[i], s[j], us[j]) for i, j in self.segments]
        consumed = sum(lengths)
        anchor = self.anchor
        if anchor is None:
            return 0, consumed, None, None
        budget = self.within
        if budget is None:
            budget = self._budget(instants, s, us, due, anchor)
        state = self.clock.state
        met = consumed <= budget if state is _STOPPED else None
        if state is _CANCELLED:
            return budget, consumed, None, met
        if budget <= 0:
            # (what a clock's deadline is then is the calendar's own checks' to decide)
            raise InvalidQuantity(
                f"this {self.clock.kind.value} clock's budget at these instants is {budget} "
                "seconds; a shape reads only positive budgets: read the clock folded instead.",
                field="budget",
                value=budget,
                allowed="a budget of 1 second or more",
            )
        reached = self._deadline(s, us, lengths, budget)
        deadline = None if reached is None else reached[0] * _MICROSECONDS + reached[1]
        return budget, consumed, deadline, met

    def _budget(
        self,
        instants: Sequence[datetime.datetime],
        s: list[int],
        us: list[int],
        due: datetime.datetime | None,
        anchor: int,
    ) -> int:
        # A same-day target's or an agreed time's budget from the anchor, as the fold's start.
        clock = self.clock
        spec = clock.target.spec
        if type(spec) is SameServiceDay:
            at = instants[anchor]
            if type(at) is not pendulum.DateTime:
                at = aware(at, field="instants")
            return same_day_start(clock.calendar, spec.cutoff, at, (s[anchor], us[anchor]))[1]
        ends = posix_instant(spec.due if due is None else due)  # type: ignore[union-attr]
        return self.between(s[anchor], us[anchor], ends[0], ends[1])

    def budget(
        self,
        instants: Sequence[datetime.datetime],
        agreed: _Agreed = None,
        *,
        posix: tuple[list[int], list[int]] | None = None,
    ) -> int:
        """The budget of this clock at ``instants`` (0 if it has not started): :meth:`read`'s."""
        s, us, due = self._checked(instants, agreed, posix)
        anchor = self.anchor
        if anchor is None:
            return 0
        within = self.within
        return within if within is not None else self._budget(instants, s, us, due, anchor)

    def budget_ends(
        self,
        anchors: Sequence[datetime.datetime],
        agreed: Sequence[datetime.datetime | None] | None = None,
    ) -> tuple[list[int], list[int]] | None:
        """Where this clock, started at each of ``anchors``, counts its budget to.

        The POSIX seconds and microseconds of each one's due instant, the budget being the
        calendar's business time from the anchor to it: a :class:`SameServiceDay` target's
        (the end of its service day's last window, or the next service day's) and an
        :class:`AgreedTime` target's (``agreed``: each request's agreed time, one per anchor,
        ``None`` for the folded clock's own). ``None`` for a :class:`Within` target (its
        budget is :attr:`within`), and for a same-day target on a calendar other than a
        :class:`BusinessCalendar` or started at an instant that is not a pendulum instant in
        its zone (:meth:`budget` reads those one at a time).
        """
        spec = self.clock.target.spec
        listed = check_items(anchors, "anchors")
        if type(spec) is SameServiceDay:
            return same_day_ends(self.clock.calendar, spec.cutoff, listed)
        if type(spec) is not AgreedTime:
            return None
        if agreed is None:
            return ClockShape.posix([spec.due] * len(listed))
        dues = check_items(agreed, "agreed")
        if len(dues) != len(listed):
            raise InvalidQuantity(
                f"{len(dues)} agreed times were given for {len(listed)} anchors.",
                field="agreed",
                value=len(dues),
                allowed=f"one agreed time, or None, for each of the {len(listed)} anchors",
            )
        return ClockShape.posix([spec.due if due is None else due for due in dues])

    def _checked(
        self,
        instants: Sequence[datetime.datetime],
        agreed: _Agreed,
        posix: tuple[list[int], list[int]] | None,
        needs: int | None = None,
    ) -> tuple[list[int], list[int], datetime.datetime | None]:
        """The POSIX seconds of ``instants`` and the instant of ``agreed``, once checked."""
        if posix is None:
            s, us = ClockShape.posix(instants)
        else:
            s, us = _checked_posix(posix, instants)
        count = len(s)
        needs = self.needs if needs is None else needs
        if count < needs:
            raise InvalidQuantity(
                f"the clocks' shapes read the instants at positions up to {needs - 1}; "
                f"{count} instants were given.",
                field="instants",
                value=count,
                allowed=f"{needs} instants or more",
            )
        due = None
        if type(agreed) is AgreedTime:
            due = agreed.due
        elif agreed is not None:
            check_instance(agreed, "agreed", AgreedTime, datetime.datetime)
            due = aware(agreed, field="agreed")  # type: ignore[arg-type]
        return s, us, due

    def _deadline(
        self, s: list[int], us: list[int], lengths: list[int], budget: int
    ) -> tuple[int, int] | None:
        # SlaClock.deadline of a started clock: its when_consumed(budget), or the deadline as it
        # stood when it last ran.
        add = self.add
        used = 0
        for (i, _), length in zip(self.segments, lengths, strict=True):
            if used + length >= budget:
                return add(s[i], us[i], budget - used)
            used += length
        running = self.running
        if running is not None:
            return add(s[running], us[running], budget - used)
        if self.clock.state is not _STOPPED:
            return None
        anchor = self.anchor
        assert anchor is not None
        last = self.segments[-1][1] if self.segments else anchor
        return add(s[last], us[last], budget - used)  # (used is all consumed here)
