"""What a report reads of many replayed requests' SLA clocks, each clock's shape folded once.

Which clocks a request's steps start, pause, resume, stop, reopen, retarget or cancel, and at
which of its steps, depends on the steps' actions and a little of their data (a new priority,
whether an agreed time lies ahead), on which steps the request waits after, on which steps
share an instant, and on the policy; never on the instants themselves. The instants only feed
the arithmetic: the business time of each running stretch, a same-day target's or an agreed
time's budget, the deadline. So requests whose steps have the same **shape** have clocks of the
same structure, and a portfolio of service requests has far fewer shapes than requests (the
benchmark's 100,000 histories have some 1,400).

:func:`clock_columns` folds the clocks of the first request of each shape through the
request's own fold (:attr:`Request.clocks <propcrm.complaints.Request.clocks>`), reads their
structure as positions in the shape's steps (each stretch's two steps, the anchor, the running
stretch's start, the agreed time's step), and computes every other request of that shape from
its own instants with the same calendar arithmetic the fold and
:attr:`~propcrm.sla.SlaClock.deadline` use. A shape is only used once that arithmetic has given back
exactly what the fold gave its first request (state, cycle, budget, time used, deadline, met);
otherwise, and for anything the arithmetic does not cover (a calendar other than a
:class:`~propcrm.sla.BusinessCalendar` or elapsed time, an instant that is no step's, a budget of
zero), its requests' clocks are folded one by one. The result equals reading every request's
clocks: the property tests of ``tests/test_portfolio_clocks.py`` and the benchmark
(``benchmarks/bench_requests.py``, every clock of 100,000 histories) hold it so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import attrs
import pendulum

from propcrm._validators import check_items
from propcrm.complaints._clocks import STEP_SENDERS
from propcrm.complaints._requests import Request
from propcrm.complaints._transitions import Action
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.sla import AgreedTime, ClockShape, SlaClock

__all__ = [
    "CLOCK_COLUMNS",
    "ClockColumns",
    "ShapeMember",
    "ShapeReader",
    "clock_columns",
    "read_one_by_one",
]

CLOCK_COLUMNS: Final = (
    "request_id",
    "kind",
    "state",
    "cycle",
    "budget_seconds",
    "consumed_seconds",
    "deadline_us",
    "met",
)
"""The columns :func:`clock_columns` gives, in order: one row per clock of each request.

``kind`` and ``state`` are the members' values; ``deadline_us`` is the deadline's POSIX time in
microseconds (``None`` where :attr:`SlaClock.deadline <propcrm.sla.SlaClock.deadline>` is);
``met`` as :attr:`SlaClock.met <propcrm.sla.SlaClock.met>`.
"""

_MICROSECONDS = 1_000_000
_PRIORITY = "priority"
_AGREED = "agreed"
_WAITS = "waits"  # (after a step the request waits after, in a shape's key)
# What of a step moving the clocks goes into its shape's key beside its action: the new
# priority, whether the agreed time lies ahead; nothing (a step not here moves none).
_STEP_KINDS: dict[Action, str] = {
    **dict.fromkeys(STEP_SENDERS, ""),
    Action.ASSESS: _PRIORITY,
    Action.REPRIORITISE: _PRIORITY,
    Action.AGREE_TIME: _AGREED,
}


@attrs.frozen
class ClockColumns:
    """Every clock of many requests, one list per column of :data:`CLOCK_COLUMNS`.

    ``shapes``: the shapes whose clocks were computed from their first request's;
    ``folded``: the requests whose clocks were folded one by one (the first of each shape
    among them); ``disagreed``: the first requests of shapes whose arithmetic did not give back
    what the fold gave (their shapes' requests were folded one by one, so the columns are
    right; but it is a defect of this module: please report it).
    """

    columns: dict[str, list[Any]]
    shapes: int
    folded: int
    disagreed: tuple[str, ...] = ()


# -- a request's shape ---------------------------------------------------------------------------


class _Steps:
    """The steps of one request that move its clocks: their instants, and its shape's key."""

    __slots__ = ("agreed", "ats", "key", "posix")

    def __init__(self, request: Request) -> None:
        history = request.history
        waits = request._waits
        if waits is None:  # (built by the constructor, not by a replay)
            waits = Request.replay(history, request.policy)._waits
            assert waits is not None
        waiting = {end for end, _ in waits}
        # (the policy by identity: the requests, and so their policies, outlive the call)
        key: list[object] = [id(request.policy), history[0].data.priority]
        ats: list[pendulum.DateTime] = [history[0].at]
        agreed: AgreedTime | None = None
        if 0 in waiting:
            key.append(_WAITS)
        kinds = _STEP_KINDS
        for i, step in enumerate(history):
            if not i:
                continue  # (the receipt: its priority is in the key already)
            action = step.action
            kind = kinds.get(action)
            if kind is None and i not in waiting:
                continue  # nothing reaches the clocks
            at = step.at
            if kind is _PRIORITY:
                key.append((action, step.data.priority))
            elif kind is _AGREED:
                appointment = step.data.appointment
                assert appointment is not None  # the table makes it needed
                spec = AgreedTime(appointment)
                agreed = spec  # (the latest is the one an agreed-time clock measures to)
                key.append((action, spec.due > at))  # (one already past is refused)
            else:
                key.append(action)
            if waiting and i in waiting:
                key.append(_WAITS)
            ats.append(at)
        posix = self.posix = ClockShape.posix(ats)
        # Which steps share an instant with the one before (a clock's instant stands for the
        # first of them).
        seconds, micros = posix
        key.append(
            tuple(
                [
                    k
                    for k in range(1, len(seconds))
                    if seconds[k] == seconds[k - 1] and micros[k] == micros[k - 1]
                ]
            )
        )
        self.key = tuple(key)
        self.ats = ats
        self.agreed = agreed


# -- a shape's clocks ------------------------------------------------------------------------------


def _clock_row(clock: SlaClock) -> tuple[Any, ...]:
    """The row of a folded clock."""
    deadline = clock.deadline
    at = None
    if deadline is not None:
        s, us = ClockShape.posix([deadline])
        at = s[0] * _MICROSECONDS + us[0]
    return (
        clock.kind.value,
        clock.state.value,
        clock.cycle,
        clock.budget,
        clock.consumed,
        at,
        clock.met,
    )


_Shape = tuple[tuple[ClockShape, ...], tuple[tuple[str, str, int], ...]]
"""A shape's clocks, and the kind, state and cycle of each, which every request of it has."""


def _with_heads(
    heads: tuple[tuple[str, str, int], ...], read: list[tuple[int, int, int | None, bool | None]]
) -> list[tuple[Any, ...]]:
    """A request's rows: each clock's kind, state and cycle, then what was read of it."""
    return [(*head, *values) for head, values in zip(heads, read, strict=True)]


def _shape_of(request: Request, steps: _Steps) -> tuple[_Shape | None, list[Any], bool]:
    """The shape of ``request``'s clocks (``None``: not covered), and its folded rows.

    And whether the shape's arithmetic disagreed with the fold.
    """
    folded = request.clocks.clocks
    rows = [_clock_row(c) for c in folded]
    shape = []
    heads = []
    for clock in folded:
        # An agreed time's clock measures to the request's latest agreed time.
        if type(clock.target.spec) is AgreedTime and steps.agreed != clock.target.spec:
            return None, rows, False
        clock_shape = ClockShape.of(clock, steps.ats)
        if clock_shape is None:
            return None, rows, False
        shape.append(clock_shape)
        heads.append((clock.kind.value, clock.state.value, clock.cycle))
    (read,) = read_one_by_one(tuple(shape), [(steps.ats, steps.posix, steps.agreed)])
    if read is None:
        return None, rows, False
    # The shape is used only if it gives back exactly what the fold gave.
    if _with_heads(tuple(heads), read) != rows:
        return None, rows, True
    return (tuple(shape), tuple(heads)), rows, False


ShapeMember = tuple[Sequence[pendulum.DateTime], tuple[list[int], list[int]], AgreedTime | None]
"""One request of a shape as a :data:`ShapeReader` takes it: its steps' instants, their
:meth:`ClockShape.posix <propcrm.sla.ClockShape.posix>` and its latest agreed time."""

ShapeReader = Callable[
    [tuple[ClockShape, ...], list[ShapeMember]],
    list[list[tuple[int, int, int | None, bool | None]] | None] | None,
]
"""Reads one shape's clocks for many of its requests: for each request, what
:meth:`ClockShape.read_many <propcrm.sla.ClockShape.read_many>` gives, or ``None`` to have that
request's clocks folded on their own; or ``None`` for the shape, to have it read request by
request."""


def read_one_by_one(
    shape: tuple[ClockShape, ...], members: list[ShapeMember]
) -> list[list[tuple[int, int, int | None, bool | None]] | None]:
    """The default :data:`ShapeReader`: :meth:`ClockShape.read_many` for each request."""
    read = ClockShape.read_many
    results: list[list[tuple[int, int, int | None, bool | None]] | None] = []
    for instants, posix, agreed in members:
        try:
            results.append(read(shape, instants, agreed, posix=posix))
        except InvalidQuantity:  # (a budget of zero or less: the fold decides)
            results.append(None)
    return results


_Rows = list[tuple[Any, ...]]


def clock_columns(
    requests: Iterable[Request], *, reader: ShapeReader | None = None
) -> ClockColumns:
    """Every SLA clock of ``requests``, as :data:`CLOCK_COLUMNS`, in the requests' order.

    Equal to reading each request's :attr:`~propcrm.complaints.Request.clocks` and, of every
    clock, its kind, state, cycle, budget, time used, deadline and whether it was met; each
    shape's clocks are folded once (see the module's docstring). ``reader`` reads a shape's
    clocks for its other requests, all at once (:func:`propcrm.portfolio.sla_clocks` passes
    one over arrays); by default one request at a time. A clock whose deadline the calendar
    refuses raises that error, as reading it would.
    """
    listed: tuple[Request, ...] = check_items(requests, "requests", Request, error=InvalidType)
    if reader is not None and not callable(reader):
        raise InvalidType(
            f"reader must be a callable that reads a shape's clocks, got {reader!r}.",
            field="reader",
            value=reader,
            allowed="a ShapeReader, or None",
        )
    # Each shape's key: its clocks (None: not covered), and the other requests of it met.
    shapes: dict[tuple[object, ...], tuple[_Shape | None, list[tuple[int, _Steps]]]] = {}
    every: list[_Rows | None] = []
    folded = 0
    disagreed: list[str] = []
    for position, request in enumerate(listed):
        steps = _Steps(request)
        found = shapes.get(steps.key)
        rows: _Rows | None = None
        if found is None:
            shape, rows, differs = _shape_of(request, steps)
            shapes[steps.key] = (shape, [])
            folded += 1
            if differs:
                disagreed.append(request.request_id)
        elif found[0] is None:
            rows = [_clock_row(c) for c in request.clocks.clocks]
            folded += 1
        else:
            found[1].append((position, steps))
        every.append(rows)
    for shape, members in shapes.values():
        if shape is not None and members:
            folded += _read(shape, members, listed, every, reader)
    return ClockColumns(
        _columns(listed, every),
        sum(1 for shape, _ in shapes.values() if shape is not None),
        folded,
        tuple(disagreed),
    )


def _read(
    shape: _Shape,
    members: list[tuple[int, _Steps]],
    listed: tuple[Request, ...],
    every: list[_Rows | None],
    reader: ShapeReader | None,
) -> int:
    """The rows of a shape's ``members`` put in ``every``; how many were folded."""
    clock_shapes, heads = shape
    given: list[ShapeMember] = [(st.ats, st.posix, st.agreed) for _, st in members]
    read = None if reader is None else reader(clock_shapes, given)
    if read is None:
        read = read_one_by_one(clock_shapes, given)
    elif len(read) != len(given):
        raise InvalidType(
            f"the reader gave {len(read)} results for {len(given)} requests.",
            field="reader",
            value=reader,
            allowed="a ShapeReader: one result a request, or None",
        )
    folded = 0
    for (position, _), values in zip(members, read, strict=True):
        if values is None:
            every[position] = [_clock_row(c) for c in listed[position].clocks.clocks]
            folded += 1
        else:
            every[position] = _with_heads(heads, values)
    return folded


def _columns(listed: tuple[Request, ...], every: list[_Rows | None]) -> dict[str, list[Any]]:
    flat: list[tuple[Any, ...]] = []
    add = flat.append
    for request, rows in zip(listed, every, strict=True):
        assert rows is not None
        request_id = request.request_id
        for row in rows:
            add((request_id, *row))
    if not flat:
        return {name: [] for name in CLOCK_COLUMNS}
    columns = zip(*flat, strict=True)  # (every row has the same columns)
    return {name: list(column) for name, column in zip(CLOCK_COLUMNS, columns, strict=True)}
