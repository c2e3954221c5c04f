"""Concessions (优惠): declared, approved reductions that a billing run applies and explains.

Domain brief §7: concessions (vacant units, paying ahead) "are decided and approved, never
improvised on a notice". A :class:`Concession` is that decision as a value: what kind it is,
which charges it reduces, over which days, by how much, and the :class:`Approval` behind it
(a concession without one is refused with :class:`~propcrm.errors.UnapprovedConcession`). Three
kinds, each built by its own constructor:

- :meth:`Concession.vacant_unit`: a percentage of the property fee while the unit stands
  vacant, over the evidence period (空置房优惠: the inspection or meter readings that show it);
- :meth:`Concession.paid_ahead`: for paying a year (or ``paid_months``) ahead, either a
  percentage off the months paid or free months after them (预交优惠, 赠送月份);
- :meth:`Concession.fixed_term`: a reduction between two dates, a percentage or an amount a
  month (阶段性减免).

On the notice a concession is a line of its own kind, a :class:`ConcessionLine` naming the
concession and its approval, never a negative charge: the statement's total is its charges less
its concessions. How a line is computed:

1. the charge lines the concession names (``charges``) are its base; of each, only the days
   the concession covers count, weighed by the run's proration convention
   (a percentage: ``percent`` % × line amount × covered weight / the line's weight; an amount:
   ``amount`` a month × months × the weight of the billed days it covers / the period's weight);
2. the exact sum is rounded **once**, to the fen, in the billing policy's rounding mode;
3. the rounded amount is **capped** at what is left of its base once earlier concessions on the
   notice have taken theirs, so the total never falls below zero; a capped line says so.

>>> on = pendulum.date(2026, 6, 1)
>>> approval = Approval(Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕5号", on)
>>> vacancy = Concession.vacant_unit(
...     "VAC-0301",
...     "空置房优惠",
...     unit_id="1-2-0301",
...     percent="50",
...     first=pendulum.date(2026, 9, 1),
...     last=pendulum.date(2026, 11, 30),
...     evidence="空置核查 2026-08-31 水电表读数",
...     charges=("MGMT",),
...     approval=approval,
... )
>>> vacancy.kind, vacancy.kind_label("en_US"), vacancy.covers(pendulum.date(2026, 11, 15))
('vacant_unit', 'vacant-unit discount', True)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_int, check_text, check_unique, instance_of
from propcrm.billing._charges import ChargeLine
from propcrm.billing._proration import ProrationPolicy
from propcrm.billing._repeated import check_id, items_of
from propcrm.billing._tariffs import Approval
from propcrm.errors import (
    ConcessionError,
    CurrencyMismatch,
    InvalidType,
    UnapprovedConcession,
)
from propcrm.money import (
    Money,
    RoundingMode,
    as_optional_money,
    format_money,
)
from propcrm.time import BillingPeriod, as_date

__all__ = [
    "CONCESSION_KINDS",
    "Concession",
    "ConcessionKind",
    "ConcessionLine",
    "ConcessionPart",
    "check_concessions",
    "concession_lines",
]

ConcessionKind = Literal["vacant_unit", "paid_ahead", "fixed_term"]
"""The kind of a concession, as the one-word code storage keeps."""

CONCESSION_KINDS: tuple[ConcessionKind, ...] = get_args(ConcessionKind)

_HUNDRED = Decimal(100)


def _code(_instance: object, _attribute: object, value: str) -> None:
    check_id(value, "code", ConcessionError, what="concession code", example="'VAC-0301'")


def _name(_instance: object, _attribute: object, value: str) -> None:
    check_text(value, "name", ConcessionError, max_length=200, example="'空置房优惠'")


def _kind(_instance: object, _attribute: object, value: str) -> None:
    if value not in CONCESSION_KINDS or not isinstance(value, str):
        raise ConcessionError(
            f"concession kind {value!r} is not one of {', '.join(CONCESSION_KINDS)}.",
            field="kind",
            value=value,
            allowed=", ".join(CONCESSION_KINDS),
        )


def _approval(_instance: object, _attribute: object, value: Approval) -> None:
    if not isinstance(value, Approval):
        raise UnapprovedConcession(
            f"a concession needs its Approval (who approved it, the reference, the day), got "
            f"{value!r}; concessions are decided and approved, never improvised on a notice.",
            field="approval",
            value=value,
            allowed="an Approval",
        )


def _first(value: object) -> pendulum.Date:
    return as_date(value, "first")


def _last(value: object) -> pendulum.Date:
    return as_date(value, "last")


def _charges(value: object) -> tuple[str, ...]:
    codes: tuple[str, ...] = items_of(value, str, "charges")
    if not codes:
        raise ConcessionError(
            "a concession names the charge codes it reduces, e.g. ('MGMT',); it has none.",
            field="charges",
            value=codes,
            allowed="one or more charge codes",
        )
    for code in codes:
        check_id(code, "charges", ConcessionError, what="charge code", example="'MGMT'")
    check_unique(codes, "charges", ConcessionError, what="charge code")
    return codes


def _percent(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidType(
            f"percent {value!r} must be a str, int or Decimal (a float is not exact).",
            field="percent",
            value=value,
            allowed="str, int or Decimal",
        )
    try:
        percent = Decimal(value)
    except ArithmeticError:
        percent = Decimal("NaN")
    if not percent.is_finite() or not Decimal(0) < percent <= _HUNDRED:
        raise ConcessionError(
            f"percent {value!r} must be more than 0 and at most 100 (50 is half the fee).",
            field="percent",
            value=value,
            allowed="a number more than 0 and at most 100",
        )
    return percent


def _amount(_instance: object, _attribute: object, value: Money | None) -> None:
    if value is not None and (not value.is_positive or not value.is_rounded):
        raise ConcessionError(
            f"amount {value!r} must be a positive Money rounded to the fen (a month's reduction).",
            field="amount",
            value=value,
            allowed="a positive Money rounded to the fen",
        )


def _optional_id(_instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        check_id(value, attribute.name, ConcessionError, what="unit id", example="'1-2-0301'")


def _optional_text(
    _instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_text(value, attribute.name, ConcessionError, max_length=200)


def _optional_months(
    _instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None:
        check_int(value, attribute.name, ConcessionError, minimum=1, maximum=120)


@attrs.frozen
class Concession:
    """A declared, approved concession; build one with its kind's constructor.

    Attributes:
        code: the concession's code, unique in the community (``'VAC-0301'``).
        name: its name on the notice (``'空置房优惠'``).
        kind: ``'vacant_unit'``, ``'paid_ahead'`` or ``'fixed_term'``.
        approval: who approved it, the reference and the day; required.
        first, last: the days it covers, both included.
        charges: the codes of the charge lines it reduces.
        percent: the share of those lines taken off (50 is half); or
        amount: a fixed reduction a month (fixed-term reductions only).
        unit_id: the unit it is for; ``None`` (fixed-term only): every unit billed.
        evidence: the evidence it rests on (the vacancy inspection, the receipt paid ahead).
        paid_months: the months paid ahead that earned it (paid-ahead only).
    """

    code: str = attrs.field(validator=_code)
    name: str = attrs.field(validator=_name)
    kind: ConcessionKind = attrs.field(validator=_kind)
    approval: Approval = attrs.field(validator=_approval)
    first: pendulum.Date = attrs.field(converter=_first)
    last: pendulum.Date = attrs.field(converter=_last)
    charges: tuple[str, ...] = attrs.field(converter=_charges)
    percent: Decimal | None = attrs.field(default=None, converter=_percent)
    amount: Money | None = attrs.field(default=None, converter=as_optional_money, validator=_amount)
    unit_id: str | None = attrs.field(default=None, validator=_optional_id)
    evidence: str | None = attrs.field(default=None, validator=_optional_text)
    paid_months: int | None = attrs.field(default=None, validator=_optional_months)

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            self._refuse(
                f"concession {self.code} runs from {self.first.isoformat()} to "
                f"{self.last.isoformat()}; the last day is on or after the first.",
                "last",
                self.last,
                f"on or after {self.first.isoformat()}",
            )
        if (self.percent is None) == (self.amount is None):
            self._refuse(
                f"concession {self.code} gives {'both' if self.percent else 'neither'} a "
                "percent and an amount; it gives exactly one.",
                "percent",
                (self.percent, self.amount),
                "a percent or an amount, not both",
            )
        if self.amount is not None and self.kind != "fixed_term":
            self._refuse(
                f"concession {self.code} ({self.kind}) gives an amount; only a fixed-term "
                "reduction may, the others take a percent of the fee.",
                "amount",
                self.amount,
                "None for a vacant-unit or paid-ahead concession",
            )
        if self.kind != "fixed_term":
            # Vacancy and prepayment concessions rest on one unit's facts.
            if self.unit_id is None:
                self._refuse(
                    f"concession {self.code} ({self.kind}) names no unit; it is one unit's.",
                    "unit_id",
                    None,
                    "the unit id",
                )
            if self.evidence is None:
                self._refuse(
                    f"concession {self.code} ({self.kind}) gives no evidence; name the "
                    "inspection or the receipt it rests on.",
                    "evidence",
                    None,
                    "the evidence's reference",
                )
        if (self.paid_months is None) != (self.kind != "paid_ahead"):
            self._refuse(
                f"concession {self.code} ({self.kind}): paid_months is "
                f"{self.paid_months!r}; a paid-ahead concession gives the months paid ahead, "
                "and only it.",
                "paid_months",
                self.paid_months,
                "months paid ahead for 'paid_ahead', None otherwise",
            )

    def _refuse(self, message: str, field: str, value: object, allowed: str) -> None:
        raise ConcessionError(
            message, field=field, value=value, allowed=allowed, concession=self.code
        )

    # -- constructors, one per kind -----------------------------------------------------------

    @classmethod
    def vacant_unit(
        cls,
        code: str,
        name: str,
        *,
        unit_id: str,
        percent: Decimal | int | str,
        first: datetime.date,
        last: datetime.date,
        evidence: str,
        charges: Sequence[str],
        approval: Approval,
    ) -> Concession:
        """``percent`` % off ``charges`` of a vacant unit over the evidence period.

        ``first`` to ``last`` is the period the evidence shows the unit vacant.
        """
        return cls(
            code,
            name,
            "vacant_unit",
            approval,
            first,
            last,
            charges,
            percent=percent,
            unit_id=unit_id,
            evidence=evidence,
        )

    @classmethod
    def paid_ahead(
        cls,
        code: str,
        name: str,
        *,
        unit_id: str,
        paid_from: datetime.date,
        evidence: str,
        charges: Sequence[str],
        approval: Approval,
        paid_months: int = 12,
        free_months: int | None = None,
        percent: Decimal | int | str | None = None,
    ) -> Concession:
        """For paying ``paid_months`` ahead from ``paid_from``: free months, or a percent off.

        With ``free_months`` the months right after those paid are free (the concession covers
        them at 100 %); with ``percent`` the months paid cost that much less. ``evidence`` is
        the receipt that paid ahead.

        >>> on = pendulum.date(2026, 6, 1)
        >>> approval = Approval(Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕5号", on)
        >>> gift = Concession.paid_ahead(
        ...     "PA-0502",
        ...     "预交一年赠送一个月",
        ...     unit_id="1-5-0502",
        ...     paid_from=pendulum.date(2026, 1, 1),
        ...     free_months=1,
        ...     evidence="BANK-20251220-07",
        ...     charges=("MGMT",),
        ...     approval=approval,
        ... )
        >>> gift.first, gift.last, gift.percent
        (Date(2027, 1, 1), Date(2027, 1, 31), Decimal('100'))
        """
        start = as_date(paid_from, "paid_from")
        check_int(paid_months, "paid_months", ConcessionError, minimum=1, maximum=120)
        if (free_months is None) == (percent is None):
            raise ConcessionError(
                f"concession {code!r} gives {'both' if percent is not None else 'neither'} "
                "free months and a percent; a paid-ahead concession gives one of them.",
                field="free_months",
                value=(free_months, percent),
                allowed="free_months or percent, not both",
            )
        if free_months is None:
            first, last = start, start.add(months=paid_months).subtract(days=1)
        else:
            check_int(free_months, "free_months", ConcessionError, minimum=1, maximum=12)
            first = start.add(months=paid_months)
            last = first.add(months=free_months).subtract(days=1)
            percent = _HUNDRED
        return cls(
            code,
            name,
            "paid_ahead",
            approval,
            first,
            last,
            charges,
            percent=percent,
            unit_id=unit_id,
            evidence=evidence,
            paid_months=paid_months,
        )

    @classmethod
    def fixed_term(
        cls,
        code: str,
        name: str,
        *,
        first: datetime.date,
        last: datetime.date,
        charges: Sequence[str],
        approval: Approval,
        percent: Decimal | int | str | None = None,
        amount: Money | Decimal | int | str | None = None,
        unit_id: str | None = None,
        evidence: str | None = None,
    ) -> Concession:
        """A reduction from ``first`` to ``last``: ``percent`` % or ``amount`` a month.

        Without a ``unit_id`` it is for every unit the run bills.
        """
        return cls(
            code,
            name,
            "fixed_term",
            approval,
            first,
            last,
            charges,
            percent=percent,
            amount=amount,
            unit_id=unit_id,
            evidence=evidence,
        )

    # -- reading ------------------------------------------------------------------------------

    def covers(self, day: datetime.date) -> bool:
        """Whether ``day`` is one of the days the concession covers."""
        day = as_date(day, "day")
        return self.first <= day <= self.last

    def applies_to(self, unit_id: str) -> bool:
        """Whether the concession is for ``unit_id`` (a concession for every unit: always)."""
        return self.unit_id is None or self.unit_id == unit_id

    def kind_label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind for people: ``'空置房优惠'`` (zh_CN) or ``'vacant-unit discount'``."""
        match self.kind:
            case "vacant_unit":
                return pgettext("concession", "vacant-unit discount", locale=locale)
            case "paid_ahead":
                return pgettext("concession", "paid-ahead concession", locale=locale)
            case _:
                return pgettext("concession", "fixed-term reduction", locale=locale)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The concession and its approval in one line.

        >>> on = pendulum.date(2026, 6, 1)
        >>> approval = Approval(Approver.OWNERS_COMMITTEE, "业委会决议〔2026〕5号", on)
        >>> relief = Concession.fixed_term(
        ...     "RELIEF-2026",
        ...     "阶段性减免",
        ...     first=pendulum.date(2026, 2, 1),
        ...     last=pendulum.date(2026, 4, 30),
        ...     amount="20.00",
        ...     charges=("MGMT",),
        ...     approval=approval,
        ... )
        >>> relief.describe("en_US")
        "RELIEF-2026 阶段性减免 (fixed-term reduction): CN¥20.00 a month off MGMT, 2026-02-01 to \
2026-04-30; approved by the owners' committee, 业委会决议〔2026〕5号, on 2026-06-01"
        """
        name = check_locale(locale)
        if self.percent is not None:
            measure = gettext(
                "%(percent)s%% off %(charges)s",
                locale=name,
                percent=_figure(self.percent),
                charges=", ".join(self.charges),
            )
        else:
            measure = gettext(
                "%(amount)s a month off %(charges)s",
                locale=name,
                amount=format_money(self.amount, name),  # type: ignore[arg-type]
                charges=", ".join(self.charges),
            )
        return gettext(
            "%(code)s %(name)s (%(kind)s): %(measure)s, %(first)s to %(last)s; approved by the "
            "%(approver)s, %(reference)s, on %(approved_on)s",
            locale=name,
            code=self.code,
            name=self.name,
            kind=self.kind_label(name),
            measure=measure,
            first=self.first.isoformat(),
            last=self.last.isoformat(),
            approver=self.approval.by.label(name),
            reference=self.approval.reference,
            approved_on=self.approval.approved_on.isoformat(),
        )


def _figure(value: Decimal) -> str:
    """A percentage as people write it: 50, 12.5 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def _charge(_instance: object, _attribute: object, value: str) -> None:
    check_id(value, "charge", ConcessionError, what="charge code", example="'MGMT'")


def _base(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if not isinstance(value, Money) or value.is_negative or not value.is_rounded:
        raise ConcessionError(
            f"base {value!r} must be a charge line's amount: a Money of zero or more, rounded.",
            field=attribute.name,
            value=value,
            allowed="a Money of zero or more, rounded to the fen",
        )


def _weight(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    check_int(value, attribute.name, ConcessionError, minimum=0)


@attrs.frozen
class ConcessionPart:
    """What one charge line contributed to a concession: its amount and the days covered.

    ``weight`` is the covered days' weight, ``total_weight`` the line's own (under the run's
    proration convention): a line for the whole month covered for 10 of its 30 days is 10/30.
    """

    charge: str = attrs.field(validator=_charge)
    base: Money = attrs.field(validator=_base)
    weight: int = attrs.field(validator=_weight)
    total_weight: int = attrs.field(validator=_weight)


def _parts(value: object) -> tuple[ConcessionPart, ...]:
    return items_of(value, ConcessionPart, "parts")


def _line_amount(_instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    if not isinstance(value, Money) or value.is_negative or not value.is_rounded:
        raise ConcessionError(
            f"{attribute.name} {value!r} must be a Money of zero or more rounded to the fen; a "
            "concession line takes an amount off, it never adds a negative charge.",
            field=attribute.name,
            value=value,
            allowed="a Money of zero or more, rounded to the fen",
        )


@attrs.frozen
class ConcessionLine:
    """A concession on a notice: how much it takes off, and why, as data.

    Attributes:
        concession: the concession applied (its rule and approval).
        parts: each charge line it reduces, with the days it covers of it.
        covered_first, covered_last: the days of the period it covers.
        rounding: the mode the exact reduction was rounded in, once, to the fen (the exact
            one follows from ``parts`` and the concession's percent or amount).
        uncapped: the rounded reduction, before the cap.
        amount: what the notice takes off: ``uncapped``, or what was left of the charges it
            reduces when that was less (``capped``).
    """

    concession: Concession = attrs.field(validator=instance_of(Concession))
    parts: tuple[ConcessionPart, ...] = attrs.field(converter=_parts)
    covered_first: pendulum.Date = attrs.field(converter=_first)
    covered_last: pendulum.Date = attrs.field(converter=_last)
    rounding: RoundingMode = attrs.field(validator=instance_of(RoundingMode))
    uncapped: Money = attrs.field(validator=_line_amount)
    amount: Money = attrs.field(validator=_line_amount)

    def __attrs_post_init__(self) -> None:
        if self.amount > self.uncapped:
            raise ConcessionError(
                f"concession line {self.code} takes off {self.amount.amount}, more than its "
                f"rounded reduction {self.uncapped.amount}; a cap only lowers it.",
                field="amount",
                value=self.amount,
                allowed=f"at most {self.uncapped.amount}",
                concession=self.code,
            )

    @property
    def code(self) -> str:
        """The concession's code."""
        return self.concession.code

    @property
    def name(self) -> str:
        """The concession's name, as the notice prints it."""
        return self.concession.name

    @property
    def capped(self) -> bool:
        """Whether the cap lowered the reduction to what was left of the charges."""
        return self.amount != self.uncapped

    @property
    def base(self) -> Money:
        """The charge lines it reduces, in full (before the days it covers are counted)."""
        return Money.total((p.base for p in self.parts), self.amount.currency)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The line for people: the concession, its computation, the cap, the approval."""
        name = check_locale(locale)
        concession = self.concession
        if concession.percent is not None:
            shares = " + ".join(
                f"{format_money(p.base, name)} × {p.weight}/{p.total_weight}"
                if p.weight != p.total_weight
                else format_money(p.base, name)
                for p in self.parts
            )
            computation = gettext(
                "%(percent)s%% × (%(shares)s)",
                locale=name,
                percent=_figure(concession.percent),
                shares=shares or "0",
            )
        else:
            computation = gettext(
                "%(amount)s a month for %(first)s to %(last)s",
                locale=name,
                amount=format_money(concession.amount, name),  # type: ignore[arg-type]
                first=self.covered_first.isoformat(),
                last=self.covered_last.isoformat(),
            )
        text = gettext(
            "%(name)s (%(kind)s %(code)s): %(computation)s = %(uncapped)s",
            locale=name,
            name=concession.name,
            kind=concession.kind_label(name),
            code=concession.code,
            computation=computation,
            uncapped=format_money(self.uncapped, name),
        )
        if self.capped:
            text = gettext(
                "%(text)s, capped at %(amount)s, what was left of the charges it reduces",
                locale=name,
                text=text,
                amount=format_money(self.amount, name),
            )
        return gettext(
            "%(text)s; approved by the %(approver)s, %(reference)s",
            locale=name,
            text=text,
            approver=concession.approval.by.label(name),
            reference=concession.approval.reference,
        )


# -- applying concessions to a notice's lines ---------------------------------------------------


def _line_days(line: ChargeLine, period: BillingPeriod) -> tuple[pendulum.Date, pendulum.Date]:
    proration = line.explanation.proration
    if proration is None:
        return period.start, period.end
    return proration.first, proration.last


def _merged(
    ranges: Iterable[tuple[pendulum.Date, pendulum.Date]],
) -> list[tuple[pendulum.Date, pendulum.Date]]:
    """Day ranges merged where they overlap or touch, so no day is counted twice."""
    merged: list[tuple[pendulum.Date, pendulum.Date]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1].add(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def concession_lines(
    concessions: Sequence[Concession],
    *,
    unit_id: str,
    period: BillingPeriod,
    issued_on: pendulum.Date,
    lines: Sequence[ChargeLine],
    proration: ProrationPolicy,
    rounding: RoundingMode,
    currency: str,
) -> tuple[ConcessionLine, ...]:
    """The concession lines of a notice, in the order the concessions are given.

    A concession for another unit, or covering no day of the period, gives no line; one
    approved after the notice's issue day is refused (:class:`UnapprovedConcession`).
    """
    # What each charge line still has to give, in minor units, as concessions take theirs.
    left = [line.amount.minor_units for line in lines]
    period_weight = proration.weight(period.start, period.end)
    result = []
    for concession in concessions:
        if not concession.applies_to(unit_id):
            continue
        first = max(concession.first, period.start)
        last = min(concession.last, period.end)
        if last < first:
            continue
        if concession.approval.approved_on > issued_on:
            raise UnapprovedConcession(
                f"concession {concession.code} was approved on "
                f"{concession.approval.approved_on.isoformat()}, after the notice for unit "
                f"{unit_id}, period {period.code}, issued on {issued_on.isoformat()}; a "
                "concession applies only once approved.",
                field="approval",
                value=concession.approval.approved_on,
                allowed=f"approved on or before {issued_on.isoformat()}",
                concession=concession.code,
            )
        if concession.amount is not None and concession.amount.currency != currency:
            raise CurrencyMismatch(
                f"concession {concession.code} is in {concession.amount.currency}; the notice "
                f"is in {currency}.",
                field="amount",
                value=concession.amount,
                allowed=f"an amount in {currency}",
                concession=concession.code,
            )
        targets = [i for i, line in enumerate(lines) if line.code in concession.charges]
        if not targets:
            continue  # the notice has none of the charges it reduces
        parts = []
        # Exact, in fractions of a minor unit, so that the one rounding below is the only one.
        exact = Fraction(0)
        for index in targets:
            line = lines[index]
            a, b = _line_days(line, period)
            weight = proration.weight(max(a, first), min(b, last))
            total = proration.weight(a, b)
            parts.append(ConcessionPart(line.code, line.amount, weight, total))
            if concession.percent is not None and total:
                exact += (line.amount.minor_units * Fraction(concession.percent) * weight) / (
                    100 * total
                )
        if concession.amount is not None and period_weight:
            # The days billed (a move-in bills part of the period) that the concession covers.
            covered = sum(
                proration.weight(max(a, first), min(b, last))
                for a, b in _merged(_line_days(lines[i], period) for i in targets)
            )
            exact = concession.amount.minor_units * period.months * Fraction(covered, period_weight)
        uncapped = Money.from_minor_units(_round_fraction(exact, rounding), currency)
        room = sum(left[i] for i in targets)
        units = min(uncapped.minor_units, room)
        # Take the capped amount from the lines it reduces, in their order.
        take = units
        for index in targets:
            step = min(take, left[index])
            left[index] -= step
            take -= step
        result.append(
            ConcessionLine(
                concession,
                tuple(parts),
                first,
                last,
                rounding,
                uncapped,
                Money.from_minor_units(units, currency),
            )
        )
    return tuple(result)


def _round_fraction(value: Fraction, mode: RoundingMode) -> int:
    """``value`` (zero or more) rounded to a whole minor unit with ``mode``."""
    quotient, remainder = divmod(value.numerator, value.denominator)
    if not remainder:
        return quotient
    twice, denominator = 2 * remainder, value.denominator
    if mode is RoundingMode.HALF_UP:
        return quotient + (twice >= denominator)
    if mode in (RoundingMode.DOWN, RoundingMode.FLOOR):
        return quotient
    if mode in (RoundingMode.UP, RoundingMode.CEILING):
        return quotient + 1
    if mode is RoundingMode.HALF_DOWN:
        return quotient + (twice > denominator)
    return quotient + (twice > denominator or (twice == denominator and quotient % 2 == 1))


def check_concessions(value: object) -> tuple[Concession, ...]:
    """``value`` as a tuple of concessions, each code once."""
    concessions: tuple[Concession, ...] = items_of(value, Concession, "concessions")
    check_unique(
        (c.code for c in concessions), "concessions", ConcessionError, what="concession code"
    )
    return concessions
