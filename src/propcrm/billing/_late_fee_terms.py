"""The late-fee terms (违约金条款) a fee notice states: rate, start, grace, compounding, cap.

Domain brief §2: **0.3 % (千分之三) of the amount owed, per day, from the day it becomes overdue**.
The defaults of :class:`LateFeePolicy` are the brief's: simple interest on the outstanding
principal (never on late fees), counted from the first day after the due date, no grace, no cap,
rounded half-up to the fen once per statement. Every notice carries its policy, and
:meth:`LateFeePolicy.describe` is the sentence printed on it. Applying the terms to what is
owed (:func:`propcrm.receivables.late_fee`) belongs to collection, in :mod:`propcrm.receivables`.

>>> DEFAULT_LATE_FEE.describe()
'逾期未缴的，自到期日次日起每日按欠缴金额的千分之三计收违约金。'
>>> print(DEFAULT_LATE_FEE.describe("en_US"))
Overdue amounts incur a late fee of 0.3% of the amount owed per day, from the day after the
due date.
"""

from __future__ import annotations

import datetime
import decimal
import enum
from decimal import Decimal

import attrs
import pendulum
from babel.numbers import format_decimal

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm._trusted import set_cached
from propcrm._validators import check_int, instance_of
from propcrm.errors import InvalidAmount, InvalidPolicy, InvalidType
from propcrm.money import (
    EXACT,
    Money,
    Rate,
    RateBasis,
    RoundingMode,
    as_money,
    format_money,
    to_decimal,
)
from propcrm.time import as_date

__all__ = [
    "DEFAULT_LATE_FEE",
    "DEFAULT_LATE_FEE_RATE",
    "MAX_DAILY_LATE_FEE_RATE",
    "NO_CAP",
    "AbsoluteCap",
    "AnnualisedRateCap",
    "Compounding",
    "GraceKind",
    "LateFeeCap",
    "LateFeePolicy",
    "NoCap",
    "PercentOfPrincipalCap",
    "StartRule",
]

DEFAULT_LATE_FEE_RATE = Rate.per_mille("3", per=RateBasis.DAY)
"""0.3 % of the amount owed per day (domain brief §2)."""

_MILLE = Decimal(1000)


class GraceKind(enum.Enum):
    """How grace days work.

    ``THRESHOLD``: a principal paid in full within the grace days owes no fee at all; one paid
    later owes the fee from the first late day, as if there were no grace.
    ``DEDUCTIBLE``: the first grace days are never charged, whenever the principal is paid.
    """

    THRESHOLD = "threshold"
    DEDUCTIBLE = "deductible"


class StartRule(enum.Enum):
    """The first day that can be late.

    ``DAY_AFTER_DUE`` (the brief's rule, the default): the due date is the last day to pay.
    ``DUE_DATE``: the due date itself already counts (communities whose contracts say 到期之日起).
    """

    DAY_AFTER_DUE = "day_after_due"
    DUE_DATE = "due_date"


class Compounding(enum.Enum):
    """Whether unpaid late fees themselves bear the daily rate.

    ``SIMPLE`` (the default): the fee accrues on the outstanding principal only. ``DAILY``: the
    base of each day also includes the fee accrued before it (rarely lawful; courts reduce it).
    """

    SIMPLE = "simple"
    DAILY = "daily"


MAX_DAILY_LATE_FEE_RATE = Rate.percent("1", per=RateBasis.DAY)
"""The highest daily late-fee rate a policy accepts: 1 % a day (365 % a year).

More than three times the domain brief's 0.3 % and far above what Chinese courts uphold
(they reduce excessive late fees, Civil Code art. 585), yet low enough to catch the usual
slip of a rate given in the wrong unit: ``Rate("0.3", DAY)`` meant as 0.3 % is 30 % a day,
and ``Rate("3", DAY)`` meant as 千分之三 is 300 %.
"""


def _non_negative_days(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise InvalidPolicy(
            f"grace days {value!r} must be an int from 0 to 366.",
            field="grace_days",
            value=value,
            allowed="int from 0 to 366",
        )


def _cap_decimal(value: object, what: str) -> Decimal:
    allowed = "a finite decimal of zero or more (str, int or Decimal)"
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise InvalidPolicy(
            f"{what} {value!r} must be a str, int or Decimal, e.g. '100'.",
            field=what,
            value=value,
            allowed=allowed,
        )
    try:
        # to_decimal's own error is replaced below: its wording is not read.
        result = to_decimal(value)
    except InvalidAmount:
        raise InvalidPolicy(
            f"{what} {value!r} is not a decimal number, e.g. '100'.",
            field=what,
            value=value,
            allowed=allowed,
        ) from None
    if result < 0:
        raise InvalidPolicy(
            f"{what} {value!r} must be a finite number of zero or more.",
            field=what,
            value=value,
            allowed=allowed,
        )
    return result


def _cap_percent(value: object) -> Decimal:
    return _cap_decimal(value, "cap percent")


@attrs.frozen
class NoCap:
    """No cap: the fee keeps accruing while principal is owed."""

    def limit_units(self, principal: int, base_units: int) -> tuple[int, int] | None:
        """The most the fee may reach, as a fraction of a minor unit, or ``None``.

        ``principal`` is in minor units and ``base_units`` is Σ base × days in minor units.
        """
        return None

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations: ``'不设上限'`` (zh_CN), ``'no cap'`` (en_US)."""
        return gettext("no cap", locale=locale)


@attrs.frozen
class PercentOfPrincipalCap:
    """The fee may not exceed ``percent`` % of the statement's principal (e.g. 100 or 30)."""

    percent: Decimal = attrs.field(converter=_cap_percent)

    def limit_units(self, principal: int, base_units: int) -> tuple[int, int] | None:
        """``percent`` % of the principal."""
        numerator, denominator = self.percent.as_integer_ratio()
        return principal * numerator, denominator * 100

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> PercentOfPrincipalCap("30").describe(), PercentOfPrincipalCap("30").describe("en_US")
        ('不超过本金的30%', 'at most 30% of the principal')
        """
        name = check_locale(locale)
        return gettext(
            "at most %(percent)s%% of the principal",
            locale=name,
            percent=_figure(self.percent, name),
        )


def _days_in_year(_instance: object, _attribute: object, value: int) -> None:
    # 360 and 366 are conventions too; a count outside a year's length is a mistake.
    check_int(value, "days_in_year", InvalidPolicy, minimum=360, maximum=366)


@attrs.frozen
class AnnualisedRateCap:
    """The fee may not exceed what ``rate`` (per year) gives on the same balances and days.

    ``days_in_year`` spreads the yearly rate over days (365, as Chinese courts count).
    """

    rate: Rate = attrs.field()
    days_in_year: int = attrs.field(default=365, validator=_days_in_year)

    @rate.validator
    def _yearly(self, _attribute: object, value: Rate) -> None:
        if not isinstance(value, Rate) or value.per is not RateBasis.YEAR:
            raise InvalidPolicy(
                f"an annualised cap {value!r} must be a Rate per year.",
                field="rate",
                value=value,
                allowed="a Rate per year",
            )

    def limit_units(self, principal: int, base_units: int) -> tuple[int, int] | None:
        """The yearly rate's simple interest over the fee's balance-days."""
        numerator, denominator = self.rate.value.as_integer_ratio()
        return base_units * numerator, denominator * self.days_in_year

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> cap = AnnualisedRateCap(Rate.percent("15.4", per=RateBasis.YEAR))
        >>> cap.describe(), cap.describe("en_US")
        ('年化不超过15.4%（一年按365天计）', 'at most 15.4% a year (365-day year)')
        """
        name = check_locale(locale)
        return gettext(
            "at most %(percent)s%% a year (%(days)d-day year)",
            locale=name,
            percent=_figure(self.rate.as_percent, name),
            days=self.days_in_year,
        )


@attrs.frozen
class AbsoluteCap:
    """The fee of one statement may not exceed ``amount``."""

    amount: Money = attrs.field(converter=as_money)

    @amount.validator
    def _positive(self, _attribute: object, value: Money) -> None:
        if value.is_negative:
            raise InvalidPolicy(
                f"an absolute cap {value!r} must be a Money of zero or more.",
                field="amount",
                value=value,
                allowed="an amount of zero or more",
            )

    def limit_units(self, principal: int, base_units: int) -> tuple[int, int] | None:
        """The fixed amount (in the statement's currency: see :func:`late_fee`)."""
        return self.amount.minor_units, 1

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations.

        >>> AbsoluteCap(Money("100.00")).describe(), AbsoluteCap(Money("100.00")).describe("en_US")
        ('不超过¥100.00', 'at most CN¥100.00')
        """
        return gettext(
            "at most %(amount)s", locale=locale, amount=format_money(self.amount, locale)
        )


LateFeeCap = NoCap | PercentOfPrincipalCap | AnnualisedRateCap | AbsoluteCap
"""The caps a community can choose."""

NO_CAP = NoCap()


def _daily(_instance: object, _attribute: object, value: Rate) -> None:
    if not isinstance(value, Rate) or value.per is not RateBasis.DAY:
        raise InvalidPolicy(
            f"late-fee rate {value!r} must be a Rate per day.",
            field="rate",
            value=value,
            allowed="a Rate per day",
        )
    if value.value > MAX_DAILY_LATE_FEE_RATE.value:
        raise InvalidPolicy(
            f"late-fee rate {value.as_percent}% a day is above the ceiling of "
            f"{MAX_DAILY_LATE_FEE_RATE.as_percent}% a day; the brief's rate is 0.3% a day "
            "(Rate.per_mille('3', per=RateBasis.DAY)). Was the rate given in percent or per "
            "mille rather than as a fraction?",
            field="rate",
            value=value,
            allowed=f"0 to {MAX_DAILY_LATE_FEE_RATE.value} per day",
        )


def _cap(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, NoCap | PercentOfPrincipalCap | AnnualisedRateCap | AbsoluteCap):
        raise InvalidType(
            f"cap {value!r} is not one of NoCap, PercentOfPrincipalCap, AnnualisedRateCap or "
            "AbsoluteCap.",
            field="cap",
            value=value,
            allowed="NoCap, PercentOfPrincipalCap, AnnualisedRateCap or AbsoluteCap",
        )


@attrs.frozen
class LateFeePolicy:
    """Everything that decides a late fee; each default is the domain brief's (§2).

    Attributes:
        rate: per day, on the outstanding principal (0.3 %); at most 1 % a day
            (:data:`MAX_DAILY_LATE_FEE_RATE`), a ceiling that catches a rate given in the wrong
            unit.
        grace_days: days after the due date before a fee applies (0: none).
        grace_kind: whether the grace days are a threshold or a deductible (see
            :class:`GraceKind`); irrelevant while ``grace_days`` is 0.
        start: the first day that can be late (the day after the due date).
        compounding: whether unpaid fees bear the rate too (never, by default).
        cap: the community's cap (none by default).
        rounding: the mode of the one rounding, to the fen, of each statement's fee.
        rate_ratio: ``rate`` as an exact ``(numerator, denominator)``, derived.
    """

    rate: Rate = attrs.field(default=DEFAULT_LATE_FEE_RATE, validator=_daily)
    grace_days: int = attrs.field(default=0, validator=_non_negative_days)
    grace_kind: GraceKind = attrs.field(
        default=GraceKind.THRESHOLD, validator=instance_of(GraceKind)
    )
    start: StartRule = attrs.field(
        default=StartRule.DAY_AFTER_DUE, validator=instance_of(StartRule)
    )
    compounding: Compounding = attrs.field(
        default=Compounding.SIMPLE, validator=instance_of(Compounding)
    )
    cap: LateFeeCap = attrs.field(default=NO_CAP, validator=_cap)
    rounding: RoundingMode = attrs.field(
        default=RoundingMode.HALF_UP, validator=instance_of(RoundingMode)
    )
    # The daily rate as an exact fraction, for the integer arithmetic of the fee's computation
    # in propcrm.receivables; computed once per policy, not once per statement.
    rate_ratio: tuple[int, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        set_cached(self, "rate_ratio", self.rate.value.as_integer_ratio())

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The sentence printed on a fee notice, in ``locale``.

        The Chinese states the rate per mille in Chinese numerals, as contracts write it
        (千分之三, 千分之零点五); the English in percent.
        """
        name = check_locale(locale)
        mille = EXACT.multiply(self.rate.value, _MILLE).normalize(EXACT)
        values = {
            "percent": _figure(self.rate.as_percent, name),
            "per_mille": _chinese_number(mille),
        }
        match self.start:
            case StartRule.DAY_AFTER_DUE:
                # TRANSLATORS: percent is the daily rate in percent, in the locale's digits;
                # per_mille the same rate per mille in Chinese numerals (三, 零点五), as
                # Chinese contracts write it. Use the one your language writes.
                return gettext(
                    "Overdue amounts incur a late fee of %(percent)s%% of the amount owed per "
                    "day (%(per_mille)s per mille), from the day after the due date.",
                    locale=name,
                    **values,
                )
            case StartRule.DUE_DATE:
                # TRANSLATORS: percent and per_mille as in the day-after-the-due-date sentence.
                return gettext(
                    "Overdue amounts incur a late fee of %(percent)s%% of the amount owed per "
                    "day (%(per_mille)s per mille), from the due date.",
                    locale=name,
                    **values,
                )

    def first_late_day(self, due_on: datetime.date) -> pendulum.Date:
        """The first day that can be late for a statement due on ``due_on``."""
        due = as_date(due_on, "due_on")
        return due if self.start is StartRule.DUE_DATE else due.add(days=1)


# Wide enough for any rate or cap a policy holds; babel formats in the ambient decimal context.
_FIGURES = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


def _figure(value: Decimal, locale: str) -> str:
    """``value`` in ``locale``'s digits, every digit kept (``locale`` already checked)."""
    with decimal.localcontext(_FIGURES):
        return format_decimal(value, locale=locale, decimal_quantization=False)


_DIGITS = "零一二三四五六七八九"


def _chinese_number(value: Decimal) -> str:
    """Per-mille figures as contracts write them: 三, 零点五, 二点五, 十.

    The rate's ceiling (:data:`MAX_DAILY_LATE_FEE_RATE`, 10 per mille) leaves one whole digit,
    or the ceiling itself, 十.
    """
    whole, _, frac = f"{value:f}".partition(".")
    spoken = "十" if whole == "10" else _DIGITS[int(whole)]
    return spoken + ("点" + "".join(_DIGITS[int(c)] for c in frac) if frac else "")


DEFAULT_LATE_FEE = LateFeePolicy()
"""0.3 % per day from the day after the due date, simple, no grace, no cap, half-up."""
