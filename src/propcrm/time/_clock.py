"""Clocks: the only way a rule learns the current time.

Rules take a :class:`Clock` (or an explicit instant); none calls ``now()`` itself. Production
code passes a :class:`SystemClock`; tests pass a :class:`FixedClock` and move it by hand.

>>> clock = FixedClock(pendulum.datetime(2026, 11, 30, 23, 59, tz="Asia/Shanghai"))
>>> clock.today()
Date(2026, 11, 30)
>>> clock.advance(minutes=2).today()
Date(2026, 12, 1)
"""

from __future__ import annotations

import datetime
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._validators import check_int
from propcrm.errors import InvalidDuration
from propcrm.time._zones import DEFAULT_ZONE, aware, zone

__all__ = ["Clock", "FixedClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the current instant and the date in its zone."""

    def now(self) -> pendulum.DateTime:
        """The current instant, aware, in the clock's zone."""
        ...

    def today(self) -> pendulum.Date:
        """The current date in the clock's zone."""
        ...


@attrs.frozen
class SystemClock:
    """The machine's clock, read in ``tz`` (Asia/Shanghai by default)."""

    tz: str = attrs.field(default=DEFAULT_ZONE)

    def __attrs_post_init__(self) -> None:
        zone(self.tz)  # refuse an unknown zone now, not at the first reading

    def now(self) -> pendulum.DateTime:
        """The current instant in the clock's zone."""
        return pendulum.now(zone(self.tz))

    def today(self) -> pendulum.Date:
        """The current date in the clock's zone."""
        return self.now().date()


# A clock moved further than this in one step has been given a wrong unit (ms for s, say);
# timedelta itself stops at 999,999,999 days with a bare OverflowError.
_MAX_ADVANCE_DAYS = 100 * 366


def _aware_instant(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value)


@attrs.frozen
class FixedClock:
    """A clock that always reads ``instant`` (converted to ``tz``); for tests and replays."""

    instant: pendulum.DateTime = attrs.field(converter=_aware_instant)
    tz: str = attrs.field(default=DEFAULT_ZONE)

    def __attrs_post_init__(self) -> None:
        zone(self.tz)  # refuse an unknown zone now, not at the first reading

    def now(self) -> pendulum.DateTime:
        """The fixed instant, in the clock's zone."""
        return self.instant.in_timezone(zone(self.tz))

    def today(self) -> pendulum.Date:
        """The fixed instant's date in the clock's zone."""
        return self.now().date()

    def advance(
        self, *, days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0
    ) -> FixedClock:
        """A new clock moved forward by the given amount of absolute (elapsed) time.

        Each amount is an int (a clock moves back with a negative one).
        """
        limit = _MAX_ADVANCE_DAYS * 86_400
        for field, amount, unit in (
            ("days", days, 86_400),
            ("hours", hours, 3_600),
            ("minutes", minutes, 60),
            ("seconds", seconds, 1),
        ):
            # timedelta() would take a float or a bool, and fail with a bare TypeError on text.
            check_int(amount, field, InvalidDuration, minimum=-limit // unit, maximum=limit // unit)
        delta = datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        return attrs.evolve(self, instant=self.instant + delta)
