"""A deadline explained as data: the rule, the calendar's account, the pauses and the changes.

:meth:`SlaClock.explain <propcrm.sla.SlaClock.explain>` returns a :class:`DeadlineExplanation`;
its :meth:`~DeadlineExplanation.summary` is the one line a desk shows.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from propcrm.sla._clock_records import ClockState, PauseRecord
from propcrm.sla._events import SlaEvent
from propcrm.sla._targets import ELAPSED, ServiceDayDue, TargetKind, TargetSpec

__all__ = ["DeadlineExplanation"]


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
