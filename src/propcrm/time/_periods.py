"""Billing periods: a month (the default), a quarter, a half-year or a year.

A period is named by its kind and its first day, which must be aligned to the kind (a quarter
starts in January, April, July or October). ``start`` and ``end`` are both inclusive dates.

>>> p = BillingPeriod.month(2026, 2)
>>> p.start, p.end, p.days
(Date(2026, 2, 1), Date(2026, 2, 28), 28)
>>> p.next().code, p.previous().code
('2026-03', '2026-01')
>>> BillingPeriod.containing(pendulum.date(2026, 11, 24), PeriodKind.QUARTER).code
'2026-Q4'
>>> PeriodKind.QUARTER.label(), PeriodKind.QUARTER.label("en_US")
('季度', 'quarter')
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Iterator
from typing import Self

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import check_int, instance_of
from propcrm.errors import InvalidPeriod, InvalidType
from propcrm.time._dates import as_date

__all__ = ["BillingPeriod", "PeriodKind"]


class PeriodKind(enum.Enum):
    """The length of a billing period, in months."""

    MONTH = 1
    QUARTER = 3
    HALF_YEAR = 6
    YEAR = 12

    @property
    def months(self) -> int:
        """Number of calendar months in a period of this kind."""
        return self.value

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind's name for people, e.g. ``'季度'`` (zh_CN) or ``'quarter'`` (en_US)."""
        match self:
            case PeriodKind.MONTH:
                return pgettext("period kind", "month", locale=locale)
            case PeriodKind.QUARTER:
                return pgettext("period kind", "quarter", locale=locale)
            case PeriodKind.HALF_YEAR:
                return pgettext("period kind", "half-year", locale=locale)
            case PeriodKind.YEAR:
                return pgettext("period kind", "year", locale=locale)


def _check_aligned(instance: BillingPeriod, _attribute: object, start: pendulum.Date) -> None:
    kind = instance.kind
    if start.day != 1 or (start.month - 1) % kind.months != 0:
        allowed = ", ".join(str(m) for m in range(1, 13, kind.months))
        raise InvalidPeriod(
            f"a {kind.name.lower()} period cannot start on {start.isoformat()}; it starts on the "
            f"1st of month {allowed}.",
            field="start",
            value=start,
            allowed=f"the 1st of month {allowed}",
        )


@functools.total_ordering
@attrs.frozen(order=False)
class BillingPeriod:
    """A billing period of ``kind`` starting on ``start`` (the 1st of an aligned month)."""

    kind: PeriodKind = attrs.field(validator=instance_of(PeriodKind))
    start: pendulum.Date = attrs.field(converter=as_date, validator=_check_aligned)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Self:
        """The calendar month ``month`` of ``year``."""
        return cls(PeriodKind.MONTH, _first(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Self:
        """Quarter 1–4 of ``year``."""
        check_int(quarter, "quarter")
        if quarter not in (1, 2, 3, 4):
            raise InvalidPeriod(
                f"quarter {quarter!r} does not exist; use 1, 2, 3 or 4.",
                field="quarter",
                value=quarter,
                allowed="1, 2, 3 or 4",
            )
        return cls(PeriodKind.QUARTER, _first(year, 3 * quarter - 2))

    @classmethod
    def half_year(cls, year: int, half: int) -> Self:
        """Half-year 1 (January–June) or 2 (July–December) of ``year``."""
        check_int(half, "half")
        if half not in (1, 2):
            raise InvalidPeriod(
                f"half-year {half!r} does not exist; use 1 or 2.",
                field="half",
                value=half,
                allowed="1 or 2",
            )
        return cls(PeriodKind.HALF_YEAR, _first(year, 6 * half - 5))

    @classmethod
    def year(cls, year: int) -> Self:
        """The calendar year ``year``."""
        return cls(PeriodKind.YEAR, _first(year, 1))

    @classmethod
    def containing(cls, day: datetime.date, kind: PeriodKind = PeriodKind.MONTH) -> Self:
        """The period of ``kind`` that contains ``day``."""
        d = as_date(day, "day")
        if not isinstance(kind, PeriodKind):
            raise InvalidType(
                f"kind {kind!r} is not a PeriodKind; pass e.g. PeriodKind.MONTH.",
                field="kind",
                value=kind,
                allowed="PeriodKind",
            )
        month = d.month - (d.month - 1) % kind.months
        return cls(kind, _first(d.year, month))

    # -- shape --------------------------------------------------------------------------------

    @property
    def end(self) -> pendulum.Date:
        """The last day of the period (inclusive)."""
        return self.start.add(months=self.kind.months).subtract(days=1)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int:
        """Number of calendar months in the period."""
        return self.kind.months

    @property
    def code(self) -> str:
        """A stable label: ``2026-11``, ``2026-Q4``, ``2026-H2`` or ``2026``."""
        y, m = self.start.year, self.start.month
        match self.kind:
            case PeriodKind.MONTH:
                return f"{y:04d}-{m:02d}"
            case PeriodKind.QUARTER:
                return f"{y:04d}-Q{(m + 2) // 3}"
            case PeriodKind.HALF_YEAR:
                return f"{y:04d}-H{(m + 5) // 6}"
            case PeriodKind.YEAR:
                return f"{y:04d}"

    def contains(self, day: datetime.date) -> bool:
        """Whether ``day`` falls inside the period."""
        return self.start <= as_date(day, "day") <= self.end

    def month_periods(self) -> Iterator[BillingPeriod]:
        """The calendar months that make up this period, in order."""
        first = BillingPeriod(PeriodKind.MONTH, self.start)
        for _ in range(self.months):
            yield first
            first = first.next()

    def next(self) -> BillingPeriod:
        """The period of the same kind that follows."""
        return BillingPeriod(self.kind, self.start.add(months=self.kind.months))

    def previous(self) -> BillingPeriod:
        """The period of the same kind that precedes."""
        return BillingPeriod(self.kind, self.start.subtract(months=self.kind.months))

    def __lt__(self, other: BillingPeriod) -> bool:
        if not isinstance(other, BillingPeriod):
            # Nothing else orders with a period; say so in the library's terms (as Money does).
            raise InvalidType(
                f"cannot compare BillingPeriod and {type(other).__name__} {other!r}.",
                field="other",
                value=other,
                allowed="BillingPeriod",
                operation="compare",
            )
        return (self.start, self.kind.months) < (other.start, other.kind.months)

    def __str__(self) -> str:
        return self.code


def _first(year: int, month: int) -> pendulum.Date:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        raise InvalidPeriod(
            f"year {year!r} is out of range; use an int from 1 to 9998.",
            field="year",
            value=year,
            allowed="int from 1 to 9998",
        )
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidPeriod(
            f"month {month!r} does not exist; use an int from 1 to 12.",
            field="month",
            value=month,
            allowed="int from 1 to 12",
        )
    return pendulum.date(year, month, 1)
