"""Every SLA clock of many service requests as one frame: :func:`sla_clocks`.

A service desk's month-end report reads each request's clocks: their state, deadline and
whether they were met. Read one request at a time, a replayed request's clocks cost several
times its replay (see :attr:`propcrm.complaints.Request.clocks`); this path folds the clocks
once per *shape* of steps (:func:`propcrm.complaints.shape_clocks`) and computes the rest from
each request's instants over numpy arrays, each column filled in place, equal to the
per-request clocks on every clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from propcrm.complaints import Request, ShapedClocks, ShapeGroup, shape_clocks
from propcrm.portfolio._clock_arrays import FEWEST, read_over_arrays
from propcrm.portfolio._frames import numpy_module, polars_module

__all__ = ["SLA_CLOCK_SCHEMA", "sla_clocks"]

SLA_CLOCK_SCHEMA: Final[dict[str, str]] = {
    "request_id": "String",
    "kind": "String",
    "state": "String",
    "cycle": "Int64",
    "budget_seconds": "Int64",
    "consumed_seconds": "Int64",
    "deadline": "Datetime(us, UTC)",
    "met": "Boolean",
}
"""The frame :func:`sla_clocks` returns: one row per clock, in the requests' and clocks' order.

``kind`` and ``state`` are the :class:`~propcrm.sla.TargetKind` and
:class:`~propcrm.sla.ClockState` values; ``budget_seconds`` and ``consumed_seconds`` the
business seconds of the target and used so far; ``deadline`` the instant of
:attr:`~propcrm.sla.SlaClock.deadline` in UTC (convert with ``dt.convert_time_zone``), null
where that is ``None``; ``met`` as :attr:`~propcrm.sla.SlaClock.met` (null unless stopped).
"""


def sla_clocks(requests: Iterable[Request]) -> Any:
    """Every SLA clock of ``requests`` as a polars frame of :data:`SLA_CLOCK_SCHEMA`.

    The same figures as reading each request's :attr:`~propcrm.complaints.Request.clocks`
    (kind, state, cycle, budget, time used, deadline, met), computed once per shape of steps;
    a request the shape arithmetic does not cover has its clocks folded on its own. Pass
    replayed requests (:meth:`Request.replay <propcrm.complaints.Request.replay>`): the
    replay records when each waits, which the clocks need. A deadline the calendar refuses
    (beyond its horizon) raises that error, as reading it would.

    >>> import pendulum
    >>> from propcrm.classification import Category
    >>> from propcrm.complaints import Action, Actor, Intake, IntakeChannel, RequestKind, Role
    >>> desk, fixer = Actor("KF-01", Role.AGENT), Actor("WX-07", Role.HANDLER)
    >>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    >>> def leak(request_id, minutes_to_start):
    ...     intake = Intake(
    ...         request_id=request_id,
    ...         kind=RequestKind.REPAIR,
    ...         requester="P-1",
    ...         channel=IntakeChannel.HOTLINE,
    ...         category=Category.WATER_LEAK,
    ...         description="卫生间漏水",
    ...     )
    ...     request = Request.receive(intake, desk, nine)
    ...     request = request.take(Action.ACKNOWLEDGE, desk, nine.add(minutes=1))
    ...     request = request.take(Action.ASSESS, desk, nine.add(minutes=2))
    ...     request = request.take(Action.DISPATCH, desk, nine.add(minutes=3), assignee="WX-07")
    ...     request = request.take(Action.START, fixer, nine.add(minutes=minutes_to_start))
    ...     return Request.replay(request.history)
    >>> frame = sla_clocks([leak("BX-1", 20), leak("BX-2", 50)])
    >>> frame.select("request_id", "kind", "state", "consumed_seconds", "met").rows()
    [('BX-1', 'response', 'stopped', 1200, True), ('BX-2', 'response', 'stopped', 3000, True)]
    >>> frame["deadline"].dt.convert_time_zone("Asia/Shanghai").dt.strftime("%H:%M").to_list()
    ['17:30', '17:30']
    """
    return _frame(shape_clocks(requests), FEWEST)


def _frame(shaped: ShapedClocks, fewest: int) -> Any:
    """The frame of ``shaped``'s clocks: its groups of ``fewest`` requests or more over arrays."""
    np = numpy_module()
    # Rows read one request at a time, by position: the folded ones, and those of groups too
    # small for arrays (or that the arrays leave).
    loose: dict[int, list[Any]] = dict(shaped.rows)
    read: list[tuple[Any, ShapeGroup, list[Any]]] = []
    for group in shaped.groups:
        found = read_over_arrays(group, fewest=fewest)
        if found is None:
            for position, rows in zip(group.positions, shaped.read(group), strict=True):
                loose[position] = shaped.fold(position) if rows is None else rows
            continue
        columns: list[Any] = found[0]
        unsettled = found[1]
        positions = np.asarray(group.positions, dtype=np.int64)
        if unsettled.any():
            for position in positions[unsettled].tolist():
                loose[position] = shaped.fold(position)
            kept = ~unsettled
            positions = positions[kept]
            columns = [tuple(a if a is None else a[kept] for a in c) for c in columns]
        read.append((positions, group, columns))
    counts = np.zeros(len(shaped.requests), dtype=np.int64)
    for positions, group, _ in read:
        counts[positions] = len(group.clocks)
    for position, rows in loose.items():
        counts[position] = len(rows)
    table = _Table(np, counts)
    for positions, group, columns in read:
        table.put_arrays(positions, group.heads, columns)
    table.put_rows(loose)
    return table.frame([r.request_id for r in shaped.requests])


class _Table:
    """The frame's columns as numpy arrays, each clock's row put at its request's place."""

    def __init__(self, np: Any, counts: Any) -> None:
        self.np = np
        self.counts = counts
        ends = np.cumsum(counts)
        self.starts = ends - counts  # (each request's first row)
        total = int(ends[-1]) if len(ends) else 0
        self.names: dict[str, int] = {}  # (a kind's or a state's code in the columns)
        integers = ("kind", "state", "cycle", "budget", "consumed", "deadline")
        self.columns = {name: np.zeros(total, dtype=np.int64) for name in integers}
        for name in ("dated", "met", "stopped"):
            self.columns[name] = np.zeros(total, dtype=bool)

    def _code(self, name: str) -> int:
        return self.names.setdefault(name, len(self.names))

    def put_arrays(self, positions: Any, heads: Any, read: list[Any]) -> None:
        """The rows of a shape's requests at ``positions``, over arrays: one ``read`` a clock."""
        columns = self.columns
        first = self.starts[positions]
        for k, ((kind, state, cycle), (budget, consumed, deadline, known, met)) in enumerate(
            zip(heads, read, strict=True)
        ):
            rows = first + k
            columns["kind"][rows] = self._code(kind)
            columns["state"][rows] = self._code(state)
            columns["cycle"][rows] = cycle
            columns["budget"][rows] = budget
            columns["consumed"][rows] = consumed
            columns["deadline"][rows] = deadline
            columns["dated"][rows] = known
            if met is not None:
                columns["met"][rows] = met
                columns["stopped"][rows] = True

    def put_rows(self, loose: dict[int, list[Any]]) -> None:
        """The rows read one request at a time, by the request's position."""
        if not loose:
            return
        at: list[int] = []
        flat: list[Any] = []
        starts = self.starts.tolist()
        for position, rows in loose.items():
            row = starts[position]
            at.extend(range(row, row + len(rows)))
            flat.extend(rows)
        places = self.np.asarray(at, dtype=self.np.int64)
        columns = self.columns
        kinds, states, cycles, budgets, used, deadlines, mets = zip(*flat, strict=True)
        columns["kind"][places] = [self._code(k) for k in kinds]
        columns["state"][places] = [self._code(k) for k in states]
        columns["cycle"][places] = cycles
        columns["budget"][places] = budgets
        columns["consumed"][places] = used
        columns["deadline"][places] = [0 if d is None else d for d in deadlines]
        columns["dated"][places] = [d is not None for d in deadlines]
        columns["met"][places] = [bool(m) for m in mets]
        columns["stopped"][places] = [m is not None for m in mets]

    def frame(self, request_ids: list[str]) -> Any:
        """The frame of :data:`SLA_CLOCK_SCHEMA`."""
        pl = polars_module()
        np = self.np
        columns = self.columns
        labels = pl.Series(list(self.names), dtype=pl.String)
        ids = pl.Series(request_ids, dtype=pl.String)
        deadline = pl.Series(columns["deadline"]).cast(pl.Datetime("us"))
        frame = pl.DataFrame(
            {
                "request_id": ids.gather(np.repeat(np.arange(len(request_ids)), self.counts)),
                "kind": labels.gather(columns["kind"]),
                "state": labels.gather(columns["state"]),
                "cycle": columns["cycle"],
                "budget_seconds": columns["budget"],
                "consumed_seconds": columns["consumed"],
                "deadline": deadline.dt.replace_time_zone("UTC"),
                "met": columns["met"],
                "_dated": columns["dated"],
                "_stopped": columns["stopped"],
            }
        )
        return frame.with_columns(
            pl.when(pl.col("_dated")).then(pl.col("deadline")),
            pl.when(pl.col("_stopped")).then(pl.col("met")),
        ).drop("_dated", "_stopped")
