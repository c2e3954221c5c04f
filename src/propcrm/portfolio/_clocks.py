"""Every SLA clock of many service requests as one frame: :func:`sla_clocks`.

A service desk's month-end report reads each request's clocks: their state, deadline and
whether they were met. Read one request at a time, a replayed request's clocks cost several
times its replay (see :attr:`propcrm.complaints.Request.clocks`); this path folds the clocks
once per *shape* of steps and computes the rest from each request's instants (see
:func:`propcrm.complaints.clock_columns`), equal to the per-request clocks on every clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from propcrm.complaints import Request, clock_columns
from propcrm.portfolio._clock_arrays import read_over_arrays
from propcrm.portfolio._frames import polars_module

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
    pl = polars_module()
    columns = clock_columns(requests, reader=read_over_arrays).columns
    deadlines = pl.Series("deadline", columns.pop("deadline_us"), dtype=pl.Int64)
    frame = pl.DataFrame(
        columns,
        schema={
            "request_id": pl.String,
            "kind": pl.String,
            "state": pl.String,
            "cycle": pl.Int64,
            "budget_seconds": pl.Int64,
            "consumed_seconds": pl.Int64,
            "met": pl.Boolean,
        },
    )
    return frame.insert_column(6, deadlines.cast(pl.Datetime("us")).dt.replace_time_zone("UTC"))
