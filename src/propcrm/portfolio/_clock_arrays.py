"""A shape's SLA clocks read for many requests at once, over numpy arrays.

:func:`propcrm.complaints.shape_clocks` groups requests by the shape of their steps and reads
each shape's clocks from its first request; :func:`read_over_arrays` reads them for all the
other requests of a shape at once: their instants as POSIX seconds (wall time less each local
day's offset, :meth:`ClockShape.day_offsets <propcrm.sla.ClockShape.day_offsets>`), the
business time of each stretch, each budget, the deadline and whether it was met, with the
calendar's own index (:meth:`~propcrm.sla.BusinessCalendar.working_intervals`) searched over
arrays, in integer microseconds, as :meth:`ClockShape.read <propcrm.sla.ClockShape.read>`
counts one request. A shape of few requests, one with a budget of zero or less, one with a
request spanning more than 300 days, or one whose years the calendar refuses is left to be read
request by request; a request whose deadline lies beyond the years the arrays hold, or whose
equal instants are not the shape's, has its clocks folded on its own (the calendar grows its
own index, or refuses). The property tests of ``tests/test_portfolio_clocks.py`` hold the
arrays equal to the request-by-request reading and to the requests' own clocks.
"""

from __future__ import annotations

import datetime
import operator
from typing import Any

import pendulum

from propcrm.complaints import ShapeGroup
from propcrm.errors import InvalidType, PropcrmError
from propcrm.portfolio._frames import numpy_module
from propcrm.sla import BusinessCalendar, ClockShape, ClockState

__all__ = ["FEWEST", "read_over_arrays"]

_MICROSECONDS = 1_000_000
# Below this many requests a shape is read request by request (arrays cost more to set up).
FEWEST = 24
# A request spanning more than this is left to ClockShape: its calendar checks long spans
# against its horizon, which the arrays do not.
_LONGEST = 300 * 86_400
_STOPPED = ClockState.STOPPED
_CANCELLED = ClockState.CANCELLED
_DATETIME = pendulum.DateTime
_EPOCH_DAY = datetime.date(1970, 1, 1).toordinal()
_TZINFO = operator.attrgetter("tzinfo")
_TOORDINAL = datetime.datetime.toordinal
_WALL = tuple(operator.attrgetter(name) for name in ("hour", "minute", "second", "microsecond"))


class _Unsettled(Exception):
    """The arrays cannot settle this shape: read it request by request."""


def _seconds(np: Any, micros: Any) -> Any:
    """Whole seconds of ``micros``, truncated toward zero (a span counted backwards)."""
    return np.where(micros >= 0, micros // _MICROSECONDS, -((-micros) // _MICROSECONDS))


class _Time:
    """Business or elapsed time over arrays of POSIX seconds and microseconds."""

    np: Any
    _cells: tuple[Any, Any] | None = None

    def worked_before(self, s: Any, us: Any) -> Any:
        """Microseconds of this time from a fixed start to each instant ``s`` + ``us``."""
        raise NotImplementedError

    def cells(self, s: Any, us: Any) -> Any:
        """:meth:`worked_before` of every instant of a shape's requests, computed once."""
        cells = self._cells
        if cells is None or cells[0] is not s:
            cells = self._cells = (s, self.worked_before(s, us))
        return cells[1]

    def between(self, a: Any, a_us: Any, b: Any, b_us: Any) -> Any:
        return _seconds(self.np, self.worked_before(b, b_us) - self.worked_before(a, a_us))


class _Index(_Time):
    """A business calendar's intervals as arrays: ``between`` and ``add`` over many instants."""

    def __init__(self, calendar: BusinessCalendar, low: int, high: int) -> None:
        self.np = numpy_module()
        self.calendar = calendar
        self.low = low
        self.grow(high)

    def grow(self, high: int) -> None:
        """The intervals over the years from ``low``'s to ``high``'s."""
        np = self.np
        try:
            starts, ends, worked = self.calendar.working_intervals(self.low, high)
        except PropcrmError as error:  # (a year its holidays refuse: as they would)
            raise _Unsettled from error
        if not worked:
            raise _Unsettled  # (no working time in those years: the calendar says what then)
        self.high = high
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        self.worked = np.asarray(worked, dtype=np.int64)
        self.total = int(worked[-1]) if worked else 0
        self._cells = None  # (counted from the first interval, which may be another now)

    def worked_before(self, s: Any, us: Any) -> Any:
        """Working microseconds from the intervals' start to each instant ``s`` + ``us``."""
        np = self.np
        i = np.searchsorted(self.starts, s, side="right") - 1
        k = np.maximum(i, 0)
        end = self.ends[k]
        cum = self.worked[k]
        inside = (cum - (end - s)) * _MICROSECONDS + us
        done = cum * _MICROSECONDS
        return np.where(i < 0, 0, np.where(s >= end, done, inside))

    def add(self, s: Any, us: Any, seconds: Any, worked: Any = None) -> tuple[Any, Any, Any]:
        """The instants ``seconds`` after each, and where that lies beyond these intervals.

        ``worked``: :meth:`worked_before` of the instants, if the caller has it.
        """
        np = self.np
        start = self.worked_before(s, us) if worked is None else worked
        target = start + seconds * _MICROSECONDS
        # (beyond the intervals read: left to the calendar, which grows its own or refuses)
        beyond = target > self.total * _MICROSECONDS
        target = np.where(beyond, 0, target)
        whole, frac = np.divmod(target, _MICROSECONDS)
        j = np.searchsorted(self.worked, whole + (frac > 0), side="left")
        j = np.minimum(j, len(self.worked) - 1)
        out = (self.ends[j] - self.worked[j]) * _MICROSECONDS + target
        out_s, out_us = np.divmod(out, _MICROSECONDS)
        zero = seconds == 0
        return np.where(zero, s, out_s), np.where(zero, us, out_us), beyond & ~zero


class _Elapsed(_Time):
    """Elapsed time over arrays."""

    def __init__(self) -> None:
        self.np = numpy_module()

    def worked_before(self, s: Any, us: Any) -> Any:
        return s * _MICROSECONDS + us

    def add(self, s: Any, us: Any, seconds: Any, worked: Any = None) -> tuple[Any, Any, Any]:
        del worked  # (elapsed time needs only the instants)
        return s + seconds, us, self.np.zeros(len(s), dtype=bool)


def _clock(
    shape: ClockShape,
    index: Any,
    s: Any,
    us: Any,
    budgets: Any,
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """``(budget, consumed, deadline µs, has one, met, unsettled)`` arrays of one clock."""
    np = index.np
    count = s.shape[0]
    cells = index.cells(s, us)
    lengths = [_seconds(np, cells[:, j] - cells[:, i]) for i, j in shape.segments]
    consumed = sum(lengths) if lengths else np.zeros(count, dtype=np.int64)
    state = shape.clock.state
    deadline = np.zeros(count, dtype=np.int64)
    known = np.zeros(count, dtype=bool)
    unsettled = np.zeros(count, dtype=bool)
    if shape.anchor is None:
        return np.zeros(count, dtype=np.int64), consumed, deadline, known, None, unsettled
    met = consumed <= budgets if state is _STOPPED else None
    if state is _CANCELLED:
        return budgets, consumed, deadline, known, met, unsettled
    if int(budgets.min()) <= 0:
        raise _Unsettled  # (the calendar's own checks decide a budget of zero or less)
    # SlaClock.deadline: the stretch in which the budget ran out, else from the running
    # stretch's start, else (stopped) from where it last ran; paused with budget left: none.
    used = np.zeros(count, dtype=np.int64)
    for (i, _), length in zip(shape.segments, lengths, strict=True):
        here = ~known & (used + length >= budgets)
        if here.any():
            at_s, at_us, beyond = index.add(
                s[:, i], us[:, i], np.where(here, budgets - used, 0), cells[:, i]
            )
            deadline = np.where(here, at_s * _MICROSECONDS + at_us, deadline)
            known |= here
            unsettled |= beyond
        used = used + length
    left = ~known
    last = shape.running
    if last is None and state is _STOPPED:
        last = shape.segments[-1][1] if shape.segments else shape.anchor
    if last is not None and left.any():
        at_s, at_us, beyond = index.add(
            s[:, last], us[:, last], np.where(left, budgets - used, 0), cells[:, last]
        )
        deadline = np.where(left, at_s * _MICROSECONDS + at_us, deadline)
        known |= left
        unsettled |= beyond
    return budgets, consumed, deadline, known, met, unsettled


_Columns = tuple[Any, Any, Any, Any, Any]
"""One clock's arrays over a shape's requests: budget, consumed, deadline (µs), whether it has
one, and met (``None`` unless the clock is stopped)."""


def _budgets(shape: ClockShape, index: Any, s: Any, us: Any, group: ShapeGroup) -> Any:
    """Each request's budget of a clock whose budget depends on its instants.

    The business time from its anchor to where :meth:`ClockShape.budget_ends` says it counts,
    over arrays; request by request where that says nothing.
    """
    np = index.np
    anchor = shape.anchor
    assert anchor is not None  # (a clock not started has no budget to read)
    ends = shape.budget_ends(group.instants[anchor :: group.width], group.agreed)
    if ends is None:
        # (each request's POSIX seconds as the arrays read them, not read again)
        return np.array(
            [
                shape.budget(group.instants_of(k), agreed, posix=posix)
                for k, (agreed, posix) in enumerate(
                    zip(group.agreed, zip(s.tolist(), us.tolist(), strict=True), strict=True)
                )
            ],
            dtype=np.int64,
        )
    end_s = np.array(ends[0], dtype=np.int64)
    end_us = np.array(ends[1], dtype=np.int64)
    last = int(end_s.max())
    if type(index) is _Index and last > index.high:
        index.grow(last)  # (due in the year after the instants')
    return _seconds(np, index.worked_before(end_s, end_us) - index.cells(s, us)[:, anchor])


def _posix(np: Any, group: ShapeGroup) -> tuple[Any, Any]:
    """The POSIX seconds and microseconds of every instant of ``group``, one after another.

    As :meth:`ClockShape.posix` reads them: a pendulum instant in an IANA zone or at a fixed
    offset is its wall time less its local day's offset (:meth:`ClockShape.day_offsets`),
    here over arrays; anything else, or a day on which its zone's offset changes, request by
    request.
    """
    flat = group.instants
    size = len(flat)
    if set(map(type, flat)) == {_DATETIME}:
        zones = np.fromiter(map(id, map(_TZINFO, flat)), dtype=np.uint64, count=size)
        ids, first = np.unique(zones, return_index=True)
        days = np.fromiter(map(_TOORDINAL, flat), dtype=np.int64, count=size)
        offsets = np.zeros(size, dtype=np.int64)
        settled = True
        for zone_id, k in zip(ids.tolist(), first.tolist(), strict=True):
            mine = zones == zone_id
            unique, inverse = np.unique(days[mine], return_inverse=True)
            try:
                found = ClockShape.day_offsets(flat[k].tzinfo, unique.tolist())
            except InvalidType:  # (neither an IANA zone nor a fixed offset)
                settled = False
                break
            if None in found:
                settled = False  # (a day its offset changes on: read as posix reads it)
                break
            offsets[mine] = np.asarray(found, dtype=np.int64)[inverse]
        if settled:
            hour, minute, second, micros = (
                np.fromiter(map(field, flat), dtype=np.int64, count=size) for field in _WALL
            )
            wall = hour * 3600 + minute * 60 + second
            return (days - _EPOCH_DAY) * 86_400 + wall - offsets, micros
    s, us = ClockShape.posix(flat)
    return np.asarray(s, dtype=np.int64), np.asarray(us, dtype=np.int64)


def _read_all(group: ShapeGroup) -> tuple[list[_Columns], Any]:
    np = numpy_module()
    count = len(group.positions)
    width = group.width
    if width == 0:
        raise _Unsettled
    if len(group.instants) != count * width:
        raise _Unsettled  # (a group not as shape_clocks builds them)
    s, us = _posix(np, group)
    s = s.reshape(count, width)
    us = us.reshape(count, width)
    # A request whose equal instants are not the shape's is left to its own fold.
    ties = (s[:, 1:] == s[:, :-1]) & (us[:, 1:] == us[:, :-1])
    expected = np.zeros(width - 1, dtype=bool)
    expected[[k - 1 for k in group.ties]] = True
    unsettled = (ties != expected).any(axis=1)
    if int((s.max(axis=1) - s.min(axis=1)).max()) > _LONGEST:
        raise _Unsettled  # (a request longer than that: its calendar checks the spans)
    low, high = int(s.min()), int(s.max())
    columns: list[_Columns] = []
    indexes: dict[int, Any] = {}
    for clock_shape in group.clocks:
        calendar = clock_shape.clock.calendar
        index: Any
        if type(calendar) is BusinessCalendar:
            index = indexes.get(id(calendar))
            if index is None:
                index = indexes[id(calendar)] = _Index(calendar, low, high)
        else:
            index = _Elapsed()  # (a ClockShape's other calendar: elapsed time)
        within = clock_shape.within
        if clock_shape.anchor is None:
            budgets = np.zeros(count, dtype=np.int64)  # (not started: no budget)
        elif within is not None:
            budgets = np.full(count, within, dtype=np.int64)
        else:
            try:
                budgets = _budgets(clock_shape, index, s, us, group)
            except PropcrmError as error:  # (a day the calendar refuses: read one by one)
                raise _Unsettled from error
        *found, beyond = _clock(clock_shape, index, s, us, budgets)
        unsettled |= beyond
        columns.append(tuple(found))
    return columns, unsettled


def read_over_arrays(
    group: ShapeGroup, *, fewest: int = FEWEST
) -> tuple[list[_Columns], Any] | None:
    """The clocks of ``group``'s requests over numpy arrays (see the module).

    One :data:`_Columns` a clock of the shape, and which requests are left to be folded on
    their own; ``None`` for a group of fewer than ``fewest`` requests, or one it leaves to be
    read request by request.
    """
    if len(group.positions) < fewest:
        return None
    try:
        return _read_all(group)
    except _Unsettled:
        return None
