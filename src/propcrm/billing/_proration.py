"""Proration by days: a periodic charge for part of a period, and splits that sum exactly.

When a unit is delivered, moved into, sold or moved out of inside a period, or a tariff changes
inside it, the period is cut into segments. Each segment gets a *weight* under the convention of
the :class:`ProrationPolicy`, and the full-period charge (already rounded to the fen) is allocated
over the weights of **all** segments with the largest-remainder method
(:func:`propcrm.money.allocate`), so the parts of a split always sum exactly to the full charge.

Conventions:

- ``ACTUAL_DAYS`` (default): a segment weighs its calendar days, both ends counted, over the
  days of the period (16 days of a 30-day November weigh 16/30).
- ``THIRTY_360``: every month counts as 30 days; the 31st weighs nothing and the last day of
  February closes the month (the 30/360 convention).
- ``WHOLE_MONTH_CUTOFF``: each month of the period goes whole to the segment that holds its
  cut-off day (the 15th by default, the month's last day if shorter): a move-in on or before the
  cut-off pays the whole month, a later one nothing for that month.

>>> nov = BillingPeriod.month(2026, 11)
>>> parts = split_by_days(Money("250.24"), nov, [pendulum.date(2026, 11, 16)])
>>> [(p.first.day, p.last.day, p.weight, str(p.amount.amount)) for p in parts]
[(1, 15, 15, '125.12'), (16, 30, 15, '125.12')]
>>> policy = ProrationPolicy(ProrationConvention.WHOLE_MONTH_CUTOFF, cutoff_day=15)
>>> [
...     str(p.amount.amount)
...     for p in split_by_days(Money("250.24"), nov, [pendulum.date(2026, 11, 16)], policy)
... ]
['250.24', '0.00']
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext
from propcrm._validators import instance_of
from propcrm.errors import InvalidPolicy, InvalidType
from propcrm.money import (
    Money,
    allocate,
)
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = [
    "ProrationConvention",
    "ProrationPart",
    "ProrationPolicy",
    "period_segments",
    "range_segments",
    "split_by_days",
]


class ProrationConvention(enum.Enum):
    """How a part of a period is weighed against the whole."""

    ACTUAL_DAYS = "actual_days"
    THIRTY_360 = "30/360"
    WHOLE_MONTH_CUTOFF = "whole_month_cutoff"


def _cutoff(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        raise InvalidPolicy(
            f"cut-off day {value!r} must be an int from 1 to 31.",
            field="cutoff_day",
            value=value,
            allowed="int from 1 to 31",
        )


@attrs.frozen
class ProrationPolicy:
    """The convention for partial periods, and the cut-off day of ``WHOLE_MONTH_CUTOFF``."""

    convention: ProrationConvention = attrs.field(
        default=ProrationConvention.ACTUAL_DAYS, validator=instance_of(ProrationConvention)
    )
    cutoff_day: int = attrs.field(default=15, validator=_cutoff)

    def weight(self, first: pendulum.Date, last: pendulum.Date) -> int:
        """Weight of the days ``first``..``last`` (inclusive) under this convention.

        Days in the wrong order weigh nothing.
        """
        first, last = as_date(first, "first"), as_date(last, "last")
        if last < first:
            return 0
        match self.convention:
            case ProrationConvention.ACTUAL_DAYS:
                return (last - first).days + 1
            case ProrationConvention.THIRTY_360:
                return sum(_thirty_360(a, b) for a, b in _by_month(first, last))
            case ProrationConvention.WHOLE_MONTH_CUTOFF:
                return sum(1 for a, b in _by_month(first, last) if a <= self._cut(a) <= b)

    def _cut(self, day: pendulum.Date) -> pendulum.Date:
        return day.replace(day=min(self.cutoff_day, day.days_in_month))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> ProrationPolicy().describe("en_US")
        'actual days, both ends counted, over the period'
        >>> ProrationPolicy(ProrationConvention.THIRTY_360).describe()
        '30/360：每月按30天计'
        """
        match self.convention:
            case ProrationConvention.ACTUAL_DAYS:
                return gettext("actual days, both ends counted, over the period", locale=locale)
            case ProrationConvention.THIRTY_360:
                return gettext("30/360: every month counts as 30 days", locale=locale)
            case ProrationConvention.WHOLE_MONTH_CUTOFF:
                return gettext(
                    "whole month to whoever holds the unit on day %(day)d",
                    locale=locale,
                    day=self.cutoff_day,
                )


def _by_month(
    first: pendulum.Date, last: pendulum.Date
) -> Iterable[tuple[pendulum.Date, pendulum.Date]]:
    start = first
    while start <= last:
        month_end = start.end_of("month")
        end = min(month_end, last)
        yield start, end
        start = end.add(days=1)


def _thirty_360(first: pendulum.Date, last: pendulum.Date) -> int:
    # Positions on a 30-day month: a day starts at day - 1 and stops at day, except that the
    # month's last day stops at 30, so every month sums to exactly 30 and a 31st weighs nothing
    # (it starts at 30 and, the month's last day, stops there). No clamping is needed: a day
    # that is not its month's last is at most the 30th, and first <= last within one month, so
    # the stop is never before the start.
    start = first.day - 1
    stop = 30 if last.day == last.days_in_month else last.day
    return stop - start


@attrs.frozen
class ProrationPart:
    """One segment of a split: its days, its weight out of ``total_weight``, its amount."""

    first: pendulum.Date
    last: pendulum.Date
    weight: int
    total_weight: int
    amount: Money


def period_segments(
    period: BillingPeriod, cuts: Iterable[datetime.date]
) -> list[tuple[pendulum.Date, pendulum.Date]]:
    """The consecutive segments ``(first, last)`` of ``period`` cut at the given days.

    A cut is the first day of a new segment; cuts outside the period or on its first day are
    ignored, so callers can pass every event date they know of.
    """
    return range_segments(period.start, period.end, cuts)


def range_segments(
    first: pendulum.Date, last: pendulum.Date, cuts: Iterable[datetime.date]
) -> list[tuple[pendulum.Date, pendulum.Date]]:
    """The consecutive segments ``(first, last)`` of the days ``first``..``last``, cut at ``cuts``.

    A cut is the first day of a new segment; cuts outside ``(first, last]`` are ignored.
    """
    starts = sorted({d for d in _cut_days(cuts) if first < d <= last})
    bounds = [first, *starts]
    ends = [s.subtract(days=1) for s in starts] + [last]
    return list(zip(bounds, ends, strict=True))


def _cut_days(cuts: object) -> list[pendulum.Date]:
    if isinstance(cuts, str | bytes) or not isinstance(cuts, Iterable):
        raise InvalidType(
            f"cuts must be a list of dates, got {type(cuts).__name__} {cuts!r}.",
            field="cuts",
            value=cuts,
            allowed="a list or tuple of dates",
        )
    return [as_date(d, "cuts") for d in cuts]


def split_by_days(
    amount: Money | Decimal | int | str,
    period: BillingPeriod,
    cuts: Sequence[datetime.date],
    policy: ProrationPolicy | None = None,
) -> tuple[ProrationPart, ...]:
    """Split a rounded full-period ``amount`` over the segments of ``period`` cut at ``cuts``.

    The parts sum exactly to ``amount``. Raises :class:`~propcrm.errors.InvalidPolicy` when no
    segment has any weight (cannot happen with the shipped conventions on a whole period).
    """
    rule = ProrationPolicy() if policy is None else policy
    if not isinstance(rule, ProrationPolicy):
        raise InvalidType(
            f"policy {policy!r} is not a ProrationPolicy.",
            field="policy",
            value=policy,
            allowed="ProrationPolicy or None",
        )
    if not isinstance(period, BillingPeriod):
        raise InvalidType(
            f"period {period!r} is not a BillingPeriod; pass e.g. BillingPeriod.month(2026, 11).",
            field="period",
            value=period,
            allowed="BillingPeriod",
        )
    segments = period_segments(period, cuts)
    weights = [rule.weight(a, b) for a, b in segments]
    total = sum(weights)
    if total == 0:
        # Exception messages are for developers: English.
        raise InvalidPolicy(
            f"proration policy {rule.describe('en_US')!r} gives every day weight 0.",
            field="policy",
            value=rule,
            allowed="a policy that gives some day of the period weight",
        )
    shares = allocate(amount, weights)
    return tuple(
        ProrationPart(a, b, w, total, share)
        for (a, b), w, share in zip(segments, weights, shares, strict=True)
    )
