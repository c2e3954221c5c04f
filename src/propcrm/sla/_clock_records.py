"""What a clock keeps besides its events: its state, the stretches it ran, its pauses, its cycles.

:class:`ClockState` is where a target's clock is; a clock records each stretch it ran as a
:class:`ClockSegment`, each stretch it did not run as a :class:`PauseRecord` (a pause, or a
stop that a reopen later continued, told apart by :class:`PauseCause`), and each finished
cycle as a :class:`CycleOutcome`.

>>> import pendulum
>>> from propcrm.sla import Within
>>> nine = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> ran = nine.add(minutes=12)
>>> done = CycleOutcome(1, Within(600), nine, ran, nine.add(minutes=10), 600, 720, 0)
>>> done.met, done.failed_by
(False, 120)
"""

from __future__ import annotations

import enum
from typing import Final

import attrs
import pendulum

from propcrm.sla._targets import TargetSpec

__all__ = [
    "CANCELLABLE",
    "OPEN",
    "ClockSegment",
    "ClockState",
    "CycleOutcome",
    "PauseCause",
    "PauseRecord",
    "moved",
]


class ClockState(enum.Enum):
    """Where a target's clock is."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


OPEN: Final = (ClockState.RUNNING, ClockState.PAUSED)
"""The states of an open clock: running or paused."""
CANCELLABLE: Final = (ClockState.NOT_STARTED, *OPEN)
"""The states a cancel withdraws: not started or open."""


@attrs.frozen
class ClockSegment:
    """A stretch ``[start, end)`` during which a clock ran (see :attr:`SlaClock.segments`)."""

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


def moved(
    record: PauseRecord, *, since: pendulum.DateTime, until: pendulum.DateTime | None
) -> PauseRecord:
    """``record`` over another stretch (what ``attrs.evolve`` gave, without its bookkeeping)."""
    if type(record) is not PauseRecord:
        return attrs.evolve(record, since=since, until=until)
    return PauseRecord(since, until, record.reason, record.actor, record.cause)
