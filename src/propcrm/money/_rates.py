"""Rates: a decimal fraction per day, month or year, a type of its own.

A rate is never an amount: ``Rate + Money`` raises :class:`~propcrm.errors.InvalidType` (a
``TypeError``), while ``Rate * Money`` gives the
(unrounded) amount the rate yields. The late fee of the domain brief (§2), 千分之三 per day:

>>> late = Rate.per_mille("3", per=RateBasis.DAY)
>>> late
Rate('0.003', 'day')
>>> late.as_percent
Decimal('0.3')
>>> late * Money("1000.00")
Money('3.00000', 'CNY')
>>> late.to_basis(RateBasis.YEAR)
Rate('1.095', 'year')
>>> late.describe(), late.to_basis(RateBasis.YEAR).describe("en_US")
('每日0.3%', '109.5% per year')
"""

from __future__ import annotations

import decimal
import enum
from decimal import Decimal
from typing import Self, final

import attrs
from babel.numbers import format_decimal

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm._validators import instance_of
from propcrm.errors import InvalidAmount, InvalidRate, InvalidType, RateBasisMismatch
from propcrm.money._money import Money, to_decimal
from propcrm.money._rounding import EXACT

__all__ = ["RATE_DIGITS", "Rate", "RateBasis"]

RATE_DIGITS = 34
_RATE_CONTEXT = decimal.Context(prec=RATE_DIGITS, rounding=decimal.ROUND_HALF_EVEN)
_HUNDRED = Decimal(100)
_THOUSAND = Decimal(1000)


class RateBasis(enum.Enum):
    """The time unit a rate is quoted per."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def _plain(value: Decimal) -> Decimal:
    # normalize() strips trailing zeros but writes 30 as 3E+1; keep plain notation for people.
    reduced = value.normalize(EXACT)
    exponent = reduced.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return reduced.quantize(Decimal(1), context=EXACT)
    return reduced


_RATE_ALLOWED = "a finite decimal of zero or more (str, int or Decimal)"


def _rate_value(value: object) -> Decimal:
    try:
        result = to_decimal(value, what="rate")
    except InvalidAmount as exc:
        raise InvalidRate(str(exc), field="rate", value=value, allowed=_RATE_ALLOWED) from None
    if result < 0:
        raise InvalidRate(
            f"rate {value!r} is negative; rates are fractions of zero or more.",
            field="rate",
            value=value,
            allowed=_RATE_ALLOWED,
        )
    return result


def _not_rate(verb: str, other: object) -> InvalidType:
    return InvalidType(
        f"cannot {verb} Rate and {type(other).__name__} {other!r}; both must be Rates.",
        field="other",
        value=other,
        allowed="Rate",
        operation=verb,
    )


def _basis_mismatch(verb: str, left: RateBasis, right: RateBasis) -> RateBasisMismatch:
    return RateBasisMismatch(
        f"cannot {verb} a rate per {left.value} and one per {right.value}; "
        "convert one with .to_basis() first.",
        field="per",
        value=right,
        allowed=left.value,
        operation=verb,
    )


@final
@attrs.frozen(order=False, repr=False)
class Rate:
    """A non-negative simple rate: ``value`` is the fraction per ``per`` (0.003 = 0.3 %).

    Conversions between bases are simple (no compounding) and take the day count explicitly:
    a year has ``days_in_year`` days (365 by default) and a month ``days_in_month`` (30 by
    default), the conventions Chinese courts use when they annualise a daily rate.
    """

    value: Decimal = attrs.field(converter=_rate_value)
    per: RateBasis = attrs.field(validator=instance_of(RateBasis))

    @classmethod
    def percent(cls, value: str | int | Decimal, *, per: RateBasis) -> Self:
        """A rate given in percent: ``Rate.percent("0.3", per=RateBasis.DAY)`` is 0.003 a day."""
        return cls(EXACT.divide(_rate_value(value), _HUNDRED), per)

    @classmethod
    def per_mille(cls, value: str | int | Decimal, *, per: RateBasis) -> Self:
        """A rate given in per mille (千分之): ``Rate.per_mille("3", per=RateBasis.DAY)``."""
        return cls(EXACT.divide(_rate_value(value), _THOUSAND), per)

    @property
    def as_percent(self) -> Decimal:
        """The rate in percent (0.003 → 0.3)."""
        return _plain(EXACT.multiply(self.value, _HUNDRED))

    def to_basis(
        self, basis: RateBasis, *, days_in_year: int = 365, days_in_month: int = 30
    ) -> Rate:
        """The same simple rate quoted per ``basis``.

        >>> Rate.percent("36.5", per=RateBasis.YEAR).to_basis(RateBasis.MONTH)
        Rate('0.03', 'month')
        """
        if not isinstance(basis, RateBasis):
            raise InvalidType(
                f"basis {basis!r} is not a RateBasis; pass RateBasis.DAY, MONTH or YEAR.",
                field="basis",
                value=basis,
                allowed="RateBasis",
            )
        for field, count in (("days_in_year", days_in_year), ("days_in_month", days_in_month)):
            if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
                raise InvalidRate(
                    f"day count {count!r} must be a positive int, e.g. 365 or 30.",
                    field=field,
                    value=count,
                    allowed="int >= 1",
                )
        days = {RateBasis.DAY: 1, RateBasis.MONTH: days_in_month, RateBasis.YEAR: days_in_year}
        scaled = EXACT.multiply(self.value, Decimal(days[basis]))
        # A quotient such as 3.6 %/year over 365 days does not terminate; it is kept to
        # RATE_DIGITS significant digits (half-even), far below a fen on any real balance.
        return Rate(_plain(_RATE_CONTEXT.divide(scaled, Decimal(days[self.per]))), basis)

    def __mul__(self, other: object) -> Rate | Money:
        if isinstance(other, Money):
            return other * self.value
        if isinstance(other, Decimal | int) and not isinstance(other, bool):
            return Rate(EXACT.multiply(self.value, to_decimal(other, what="factor")), self.per)
        if isinstance(other, float):
            to_decimal(other, what="factor")  # raises with the float message
        raise InvalidType(
            f"cannot multiply a Rate by {type(other).__name__} {other!r}; multiply it by a "
            "Money, an int or a Decimal.",
            field="factor",
            value=other,
            allowed="Money, int or Decimal",
        )

    __rmul__ = __mul__

    def __add__(self, other: object) -> Rate:
        if not isinstance(other, Rate):
            raise _not_rate("add", other)
        if other.per is not self.per:
            raise _basis_mismatch("add", self.per, other.per)
        return Rate(EXACT.add(self.value, other.value), self.per)

    def _key(self, other: object) -> tuple[Decimal, Decimal]:
        if not isinstance(other, Rate):
            raise _not_rate("compare", other)
        if other.per is not self.per:
            raise _basis_mismatch("compare", self.per, other.per)
        return self.value, other.value

    def __lt__(self, other: object) -> bool:
        left, right = self._key(other)
        return left < right

    def __le__(self, other: object) -> bool:
        left, right = self._key(other)
        return left <= right

    def __gt__(self, other: object) -> bool:
        left, right = self._key(other)
        return left > right

    def __ge__(self, other: object) -> bool:
        left, right = self._key(other)
        return left >= right

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The rate in percent per its basis, for people, every digit kept.

        >>> Rate.percent("1234.5", per=RateBasis.MONTH).describe("en_US")
        '1,234.5% per month'
        """
        name = check_locale(locale)
        # babel computes in the ambient decimal context; this one is fixed and wide enough.
        with decimal.localcontext(_RATE_CONTEXT):
            percent = format_decimal(self.as_percent, locale=name, decimal_quantization=False)
        match self.per:
            case RateBasis.DAY:
                return gettext("%(percent)s%% per day", locale=name, percent=percent)
            case RateBasis.MONTH:
                return gettext("%(percent)s%% per month", locale=name, percent=percent)
            case RateBasis.YEAR:
                return gettext("%(percent)s%% per year", locale=name, percent=percent)

    def __repr__(self) -> str:
        return f"Rate('{self.value}', '{self.per.value}')"

    def __str__(self) -> str:
        return f"{self.as_percent}% per {self.per.value}"
