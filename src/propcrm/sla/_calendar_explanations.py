"""How a business calendar counted a span of working time, as data.

:meth:`BusinessCalendar.explain <propcrm.sla.BusinessCalendar.explain>` returns a
:class:`SpanExplanation`: the windows used (per day, with their seconds), the holidays and
closed days skipped (with the provider's names and the working time they took away), the
make-up workdays worked, the local overrides that applied, and whether every year it touched
follows a confirmed holiday notice. The SLA clock attaches it to each deadline.
"""

from __future__ import annotations

import attrs
import pendulum

from propcrm.sla._holidays import UnconfirmedPolicy
from propcrm.sla._working_hours import DatedOverride, DayKind

__all__ = [
    "DaySkipped",
    "MakeUpDayWorked",
    "OverrideApplied",
    "SpanExplanation",
    "WindowUsed",
    "YearStatus",
]


@attrs.frozen
class WindowUsed:
    """Working time counted in one window of one day (the window clipped to the span)."""

    day: pendulum.Date
    """The day the window belongs to (the day it starts, for an overnight window)."""
    kind: DayKind
    start: pendulum.DateTime
    end: pendulum.DateTime
    seconds: int
    """Whole working seconds of the window within the span."""


@attrs.frozen
class DaySkipped:
    """A holiday or closed day inside the span."""

    day: pendulum.Date
    kind: DayKind
    """:attr:`DayKind.HOLIDAY` (from the provider) or :attr:`DayKind.CLOSED` (an override)."""
    name: str
    """The holiday's name from the provider, or the override's reason."""
    seconds_lost: int
    """Working seconds the day's weekly hours would have had within the span (0 on a weekend)."""


@attrs.frozen
class MakeUpDayWorked:
    """A make-up workday (调休上班) inside the span, and the seconds worked on it."""

    day: pendulum.Date
    name: str
    seconds: int


@attrs.frozen
class OverrideApplied:
    """A local override dated inside the span."""

    day: pendulum.Date
    override: DatedOverride


@attrs.frozen
class YearStatus:
    """Whether a year's holidays follow a confirmed notice, and which one."""

    year: int
    provider: str
    confirmed: bool
    source: str | None


@attrs.frozen
class SpanExplanation:
    """How the calendar counted ``seconds`` of working time in ``[start, end)``."""

    calendar: str
    zone: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    seconds: int
    windows: tuple[WindowUsed, ...]
    holidays: tuple[DaySkipped, ...]
    make_up_days: tuple[MakeUpDayWorked, ...]
    overrides: tuple[OverrideApplied, ...]
    years: tuple[YearStatus, ...]
    """The holiday years the span touched (empty for a calendar without a holiday provider)."""
    policy: UnconfirmedPolicy

    @property
    def confirmed(self) -> bool:
        """Whether every year the span touched follows a confirmed holiday notice."""
        return all(y.confirmed for y in self.years)

    @property
    def unconfirmed_years(self) -> tuple[int, ...]:
        """The years touched whose holidays are provisional."""
        return tuple(y.year for y in self.years if not y.confirmed)
