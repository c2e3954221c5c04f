"""What a report reads of many replayed requests' SLA clocks, each clock's shape folded once.

Which clocks a request's steps start, pause, resume, stop, reopen, retarget or cancel, and at
which of its steps, depends on the steps' actions and a little of their data (a new priority,
whether an agreed time lies ahead), on which steps the request waits after, on which steps
share an instant, and on the policy; never on the instants themselves. The instants only feed
the arithmetic: the business time of each running stretch, a same-day target's or an agreed
time's budget, the deadline. So requests whose steps have the same **shape** have clocks of the
same structure, and a portfolio of service requests has far fewer shapes than requests (the
benchmark's 100,000 histories have some 1,400).

:func:`shape_clocks` groups requests by shape and folds the clocks of the first request of
each through the request's own fold (:attr:`Request.clocks
<propcrm.complaints.Request.clocks>`); once a second request of the shape comes, it reads their
structure as positions in the shape's steps (each stretch's two steps, the anchor, the running
stretch's start, the agreed time's step). Every other request of the shape is then computed
from its own instants with the same calendar arithmetic the fold and
:attr:`~propcrm.sla.SlaClock.deadline` use: :func:`clock_columns` one request at a time,
:func:`propcrm.portfolio.sla_clocks` over arrays. A shape is only used once that arithmetic
has given back exactly what the fold gave its first request (state, cycle, budget, time used,
deadline, met); otherwise, and for anything the arithmetic does not cover (a calendar other
than a :class:`~propcrm.sla.BusinessCalendar` or elapsed time, an instant that is no step's, a
budget of zero, equal instants other than the first request's), the requests' clocks are
folded one by one. The result equals reading every request's clocks: the property tests of
``tests/test_portfolio_clocks.py`` and the benchmark (``benchmarks/bench_requests.py``, every
clock of 100,000 histories) hold it so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import attrs
import pendulum

from propcrm._validators import check_instance, check_items
from propcrm.complaints._clocks import STEP_SENDERS
from propcrm.complaints._requests import Request
from propcrm.complaints._transitions import Action
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.sla import AgreedTime, ClockShape, SlaClock

__all__ = [
    "CLOCK_COLUMNS",
    "ClockColumns",
    "ShapeGroup",
    "ShapedClocks",
    "clock_columns",
    "shape_clocks",
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

    ``shapes``: the shapes whose clocks were computed from their first request's (a shape of
    one request is only folded);
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


class _Plan:
    """What of a sequence of actions and waits reaches the clocks: the same for many requests.

    ``relevant``: the steps whose instants the clocks read (the receipt, each step that sends
    the clocks a verb, each the request waits after); ``priorities`` and ``agreed``: the steps
    whose new priority, or whether the agreed time lies ahead, goes into the shape's key;
    ``signature``: the rest of the key, each relevant step's action and the waits.
    """

    __slots__ = ("agreed", "priorities", "relevant", "signature")

    def __init__(self, actions: tuple[Action, ...], waits: tuple[tuple[int, str], ...]) -> None:
        waiting = {end for end, _ in waits}
        relevant = [0]  # (the receipt: its priority is in the key)
        priorities: list[int] = []
        agreed: list[int] = []
        signature: list[object] = [_WAITS] if 0 in waiting else []
        kinds = _STEP_KINDS
        for i, action in enumerate(actions):
            kind = kinds.get(action)
            if not i or (kind is None and i not in waiting):
                continue  # nothing reaches the clocks
            relevant.append(i)
            signature.append(action)
            if kind is _PRIORITY:
                priorities.append(i)
            elif kind is _AGREED:
                agreed.append(i)
            if i in waiting:
                signature.append(_WAITS)
        self.relevant = tuple(relevant)
        self.priorities = tuple(priorities)
        self.agreed = tuple(agreed)
        self.signature = tuple(signature)


# Plans by (actions, waits): a portfolio's requests have few such sequences. Cleared when full.
_PLANS: dict[tuple[tuple[Action, ...], tuple[tuple[int, str], ...]], _Plan] = {}
_PLANS_KEPT = 1 << 14


class _Steps:
    """The steps of one request that move its clocks: their instants, and its shape's key."""

    __slots__ = ("_posix", "agreed", "ats", "key")

    def __init__(self, request: Request) -> None:
        history = request.history
        waits = request._waits
        if waits is None:  # (built by the constructor, not by a replay)
            waits = Request.replay(history, request.policy)._waits
            assert waits is not None
        actions = tuple([step.action for step in history])
        plan = _PLANS.get((actions, waits))
        if plan is None:
            if len(_PLANS) >= _PLANS_KEPT:
                _PLANS.clear()
            plan = _PLANS[actions, waits] = _Plan(actions, waits)
        ats = [history[i].at for i in plan.relevant]
        data: list[object] = [history[i].data.priority for i in plan.priorities]
        agreed: pendulum.DateTime | None = None
        for i in plan.agreed:
            step = history[i]
            agreed = step.data.appointment  # (the latest is the one a clock measures to)
            assert agreed is not None  # the table makes it needed
            data.append(agreed > step.at)  # (one already past is refused)
        # Which steps share an instant with the one before (a clock's instant stands for the
        # first of them). Compared as datetimes, which is cheap: two instants of one zone
        # compare by their wall times, so around a daylight-saving change this may differ from
        # their POSIX seconds; a shape's requests are held to its own POSIX ties when read.
        ties = tuple([k for k in range(1, len(ats)) if ats[k] == ats[k - 1]])
        # (the policy by identity: the requests, and so their policies, outlive the call)
        self.key = (
            id(request.policy),
            history[0].data.priority,
            plan.signature,
            tuple(data),
            ties,
        )
        self.ats = ats
        self.agreed = agreed
        self._posix: tuple[list[int], list[int]] | None = None

    @property
    def posix(self) -> tuple[list[int], list[int]]:
        """The instants' :meth:`ClockShape.posix <propcrm.sla.ClockShape.posix>`, when asked.

        (A shape's requests read over arrays convert theirs all at once.)
        """
        posix = self._posix
        if posix is None:
            posix = self._posix = ClockShape.posix(self.ats)
        return posix


# -- a shape's clocks ------------------------------------------------------------------------------

_Row = tuple[str, str, int, int, int, int | None, bool | None]
"""A clock's row without its request: kind, state, cycle, budget, time used, deadline, met."""

_Heads = tuple[tuple[str, str, int], ...]
"""The kind, state and cycle of each of a shape's clocks, which every request of it has."""


def _clock_row(clock: SlaClock) -> _Row:
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


@attrs.frozen
class ShapeGroup:
    """The requests of one shape whose clocks :func:`shape_clocks` left to be read.

    ``clocks``: the shape's clocks, as positions in its requests' steps; ``heads``: the kind,
    state and cycle of each, which every request of the shape has; ``ties``: the positions
    whose instant is the one before's, in the request the shape was read from (a clock's
    instant stands for the first of equal ones, so a request read from the shape must have the
    same: one that has not is folded on its own); ``positions``: where the requests stand in
    :attr:`ShapedClocks.requests`; ``instants``: the instants of the requests' steps that move
    their clocks, :attr:`width` a request, one request after another (:meth:`instants_of`);
    ``agreed``: each request's latest agreed time (``None``: none), which an
    :class:`~propcrm.sla.AgreedTime` clock measures to.
    """

    clocks: tuple[ClockShape, ...]
    heads: _Heads
    ties: tuple[int, ...]
    positions: list[int]
    instants: list[pendulum.DateTime]
    agreed: list[pendulum.DateTime | None]

    @property
    def width(self) -> int:
        """How many instants each request has: as many as its steps that move its clocks."""
        return len(self.instants) // len(self.positions) if self.positions else 0

    def instants_of(self, k: int) -> list[pendulum.DateTime]:
        """The instants of the group's ``k``-th request."""
        width = self.width
        return self.instants[k * width : (k + 1) * width]


@attrs.frozen
class ShapedClocks:
    """Requests grouped by the shape of their clocks: what :func:`shape_clocks` gives.

    ``rows``: the rows of the requests whose clocks were folded (the first of each shape, and
    those of a shape the arithmetic does not cover), by position, each row
    ``(kind, state, cycle, budget, consumed, deadline_us, met)`` as :data:`CLOCK_COLUMNS`
    has them after ``request_id``; ``groups``: the other requests, a :class:`ShapeGroup` a
    shape, to be read (:meth:`read`, or over arrays as :func:`propcrm.portfolio.sla_clocks`
    does); ``shapes``: how many shapes were read from their first request (one per group);
    ``disagreed``: as :attr:`ClockColumns.disagreed`.
    """

    requests: tuple[Request, ...]
    rows: dict[int, list[_Row]]
    groups: tuple[ShapeGroup, ...]
    shapes: int
    disagreed: tuple[str, ...]

    def fold(self, position: int) -> list[_Row]:
        """The rows of the request at ``position``, its clocks folded on their own."""
        return [_clock_row(c) for c in self.requests[position].clocks.clocks]

    def read(self, group: ShapeGroup) -> list[list[_Row] | None]:
        """The rows of ``group``'s requests, read one by one from the shape.

        ``None`` for a request whose budget the shape does not read (zero or less: the
        calendar's own checks decide those), or whose equal instants are not the shape's
        (:attr:`ShapeGroup.ties`): :meth:`fold` it.
        """
        check_instance(group, "group", ShapeGroup)
        read = ClockShape.read_many
        clocks, heads, ties = group.clocks, group.heads, group.ties
        rows: list[list[_Row] | None] = []
        for k, agreed in enumerate(group.agreed):
            instants = group.instants_of(k)
            posix = ClockShape.posix(instants)
            if _ties(posix) != ties:
                rows.append(None)
                continue
            try:
                values = read(clocks, instants, agreed, posix=posix)
            except InvalidQuantity:
                rows.append(None)
            else:
                rows.append(_with_heads(heads, values))
        return rows


def _ties(posix: tuple[list[int], list[int]]) -> tuple[int, ...]:
    """The positions whose instant (POSIX seconds and microseconds) is the one before's."""
    seconds, micros = posix
    return tuple(
        [
            k
            for k in range(1, len(seconds))
            if seconds[k] == seconds[k - 1] and micros[k] == micros[k - 1]
        ]
    )


def _with_heads(heads: _Heads, read: list[tuple[int, int, int | None, bool | None]]) -> list[_Row]:
    """A request's rows: each clock's kind, state and cycle, then what was read of it."""
    return [(*head, *values) for head, values in zip(heads, read, strict=True)]


def _shape_of(
    request: Request, steps: _Steps, rows: list[_Row]
) -> tuple[tuple[tuple[ClockShape, ...], _Heads] | None, bool]:
    """The shape of ``request``'s clocks and their heads (``None``: not covered).

    And whether the shape's arithmetic disagreed with the fold, which gave ``rows``.
    """
    shape = []
    heads = []
    for clock in request.clocks.clocks:
        # An agreed time's clock measures to the request's latest agreed time.
        spec = clock.target.spec
        if type(spec) is AgreedTime and steps.agreed != spec.due:
            return None, False
        clock_shape = ClockShape.of(clock, steps.ats, posix=steps.posix)
        if clock_shape is None:
            return None, False
        shape.append(clock_shape)
        heads.append((clock.kind.value, clock.state.value, clock.cycle))
    try:
        read = ClockShape.read_many(tuple(shape), steps.ats, steps.agreed, posix=steps.posix)
    except InvalidQuantity:
        return None, False
    # The shape is used only if it gives back exactly what the fold gave.
    if _with_heads(tuple(heads), read) != rows:
        return None, True
    return (tuple(shape), tuple(heads)), False


class _Seen:
    """A shape met: its first request, and once a second came, its clocks and other requests."""

    __slots__ = ("agreed", "at", "first", "instants", "positions", "shape", "steps")

    def __init__(self, first: Request, at: int, steps: _Steps) -> None:
        self.first: Request | None = first  # (until its shape is read)
        self.at = at  # (its position)
        self.steps = steps
        self.shape: tuple[tuple[ClockShape, ...], _Heads] | None = None
        self.positions: list[int] = []
        self.instants: list[pendulum.DateTime] = []
        self.agreed: list[pendulum.DateTime | None] = []


def shape_clocks(requests: Iterable[Request]) -> ShapedClocks:
    """``requests`` grouped by the shape of their clocks, the first of each shape folded.

    What :func:`clock_columns` reads: each shape's first request folded through its own
    clocks (its rows in :attr:`ShapedClocks.rows`), the others of the shape in a
    :class:`ShapeGroup` to be read from the shape (see the module's docstring).
    """
    listed: tuple[Request, ...] = check_items(requests, "requests", Request, error=InvalidType)
    seen: dict[tuple[object, ...], _Seen] = {}
    rows: dict[int, list[_Row]] = {}
    disagreed: list[str] = []
    for position, request in enumerate(listed):
        steps = _Steps(request)
        found = seen.get(steps.key)
        if found is None:
            rows[position] = [_clock_row(c) for c in request.clocks.clocks]
            seen[steps.key] = _Seen(request, position, steps)
            continue
        first = found.first
        if first is not None:
            # A second request of the shape: read the shape from the first's clocks (a shape
            # of one request is never read).
            found.shape, differs = _shape_of(first, found.steps, rows[found.at])
            found.first = None
            if differs:
                disagreed.append(first.request_id)
        if found.shape is None:
            rows[position] = [_clock_row(c) for c in request.clocks.clocks]
        else:
            found.positions.append(position)
            found.instants += steps.ats
            found.agreed.append(steps.agreed)
    groups = tuple(
        ShapeGroup(
            *found.shape,
            _ties(found.steps.posix),
            found.positions,
            found.instants,
            found.agreed,
        )
        for found in seen.values()
        if found.shape is not None
    )
    return ShapedClocks(listed, rows, groups, len(groups), tuple(disagreed))


def clock_columns(requests: Iterable[Request]) -> ClockColumns:
    """Every SLA clock of ``requests``, as :data:`CLOCK_COLUMNS`, in the requests' order.

    Equal to reading each request's :attr:`~propcrm.complaints.Request.clocks` and, of every
    clock, its kind, state, cycle, budget, time used, deadline and whether it was met; each
    shape's clocks are folded once and read for the shape's other requests one by one (see
    the module's docstring; :func:`propcrm.portfolio.sla_clocks` reads them over arrays). A
    clock whose deadline the calendar refuses raises that error, as reading it would.
    """
    shaped = shape_clocks(requests)
    every: list[list[_Row] | None] = [None] * len(shaped.requests)
    for position, rows in shaped.rows.items():
        every[position] = rows
    folded = len(shaped.rows)
    for group in shaped.groups:
        for position, read in zip(group.positions, shaped.read(group), strict=True):
            if read is None:
                folded += 1
            every[position] = shaped.fold(position) if read is None else read
    return ClockColumns(_columns(shaped.requests, every), shaped.shapes, folded, shaped.disagreed)


def _columns(listed: tuple[Request, ...], every: list[list[_Row] | None]) -> dict[str, list[Any]]:
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
