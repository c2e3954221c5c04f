"""Litigation exposure: a contractual late fee beside what a court would likely allow.

Chinese courts reduce late fees they find excessive (Civil Code art. 585; domain brief §2). The
contractual 0.3 % a day is 109.5 % a year, many times the one-year Loan Prime Rate (LPR) that
courts measure against: some allow the LPR plus 30 %, others up to four times the LPR. So beside
every fee the library can say what it amounts to as an annual rate, and what the same balances
and days would give under a reference annual rate the caller supplies.

>>> fee = late_fee(Money("1000.00"), pendulum.date(2026, 11, 10), pendulum.date(2026, 11, 30))
>>> lpr = Rate.percent("3.0", per=RateBasis.YEAR)
>>> exposure = litigation_exposure(fee, lpr_reference(lpr, "1.3"), label="LPR + 30 %")
>>> exposure.contractual_annual_rate.as_percent, exposure.reference_fee
(Decimal('109.5'), Money('2.14', 'CNY'))
>>> exposure.excess
Money('57.86', 'CNY')
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from propcrm._validators import check_instance, check_text
from propcrm.errors import InvalidPolicy, InvalidRate, PropcrmError
from propcrm.money import (
    EXACT,
    Money,
    Rate,
    RateBasis,
    to_decimal,
)
from propcrm.receivables._late_fees import (
    ACCRUAL,
    LateFee,
)

__all__ = ["DAYS_IN_YEAR", "LitigationExposure", "litigation_exposure", "lpr_reference"]

DAYS_IN_YEAR = 365
"""Days a yearly rate is spread over, as Chinese courts count."""

# Courts measure against the LPR plus 30 % to four times it; a hundredfold is no reference.
_MAX_LPR_FACTOR = 100


def lpr_reference(lpr: Rate, factor: str | int | Decimal = "1.3") -> Rate:
    """``factor`` times the one-year LPR: ``"1.3"`` for LPR + 30 %, ``4`` for four times.

    >>> lpr_reference(Rate.percent("3.0", per=RateBasis.YEAR), 4).as_percent
    Decimal('12')
    """
    if not isinstance(lpr, Rate) or lpr.per is not RateBasis.YEAR:
        raise InvalidRate(
            f"the LPR {lpr!r} must be a Rate per year.",
            field="lpr",
            value=lpr,
            allowed="a Rate per year",
        )
    if isinstance(factor, bool):
        raise InvalidPolicy(
            f"LPR factor {factor!r} must be a number, e.g. '1.3' or 4.",
            field="factor",
            value=factor,
            allowed="a number above zero",
        )
    try:
        multiple = to_decimal(factor, what="LPR factor")
    except PropcrmError as error:
        # Restated as the policy value it is, with the context the caller needs.
        raise InvalidPolicy(
            str(error), field="factor", value=factor, allowed=f"above 0, at most {_MAX_LPR_FACTOR}"
        ) from error
    if not multiple.is_finite() or multiple <= 0 or multiple > _MAX_LPR_FACTOR:
        raise InvalidPolicy(
            f"LPR factor {factor!r} must be above zero and at most {_MAX_LPR_FACTOR}, e.g. "
            "'1.3' or 4.",
            field="factor",
            value=factor,
            allowed=f"above 0, at most {_MAX_LPR_FACTOR}",
        )
    return Rate(EXACT.multiply(lpr.value, multiple), RateBasis.YEAR)


@attrs.frozen
class LitigationExposure:
    """A late fee beside the same balances and days under a reference annual rate.

    Attributes:
        fee: the contractual fee, with its breakdown.
        label: what the reference is (``'LPR + 30 %'``).
        reference_rate: the reference annual rate.
        contractual_annual_rate: the policy's daily rate × 365 (simple).
        effective_annual_rate: what the fee actually charged, after grace and cap, as a
            yearly rate on its balance-days (``None`` when no day bore a fee).
        reference_fee: the fee under the reference rate, rounded like the contractual one.
    """

    fee: LateFee
    label: str
    reference_rate: Rate
    contractual_annual_rate: Rate
    effective_annual_rate: Rate | None
    reference_fee: Money

    @property
    def excess(self) -> Money:
        """How much the contractual fee exceeds the reference (zero if it does not)."""
        over = self.fee.amount - self.reference_fee
        return over if over.is_positive else Money.zero(over.currency)

    @property
    def ratio(self) -> Decimal | None:
        """Contractual fee ÷ reference fee (``None`` when the reference fee is zero)."""
        if not self.reference_fee:
            return None
        return ACCRUAL.divide(self.fee.amount.amount, self.reference_fee.amount)


def litigation_exposure(
    fee: LateFee, reference: Rate, *, label: str, days_in_year: int = DAYS_IN_YEAR
) -> LitigationExposure:
    """``fee`` beside what ``reference`` (a yearly rate) gives on the same balance-days."""
    check_instance(fee, "fee", LateFee)
    check_text(label, "label", InvalidPolicy, example="'LPR + 30 %'")
    if not isinstance(reference, Rate) or reference.per is not RateBasis.YEAR:
        raise InvalidRate(
            f"the reference {reference!r} must be a Rate per year.",
            field="reference",
            value=reference,
            allowed="a Rate per year",
        )
    if isinstance(days_in_year, bool) or not isinstance(days_in_year, int) or days_in_year <= 0:
        raise InvalidPolicy(
            f"days in a year {days_in_year!r} must be a positive int, e.g. 365.",
            field="days_in_year",
            value=days_in_year,
            allowed="a positive int",
        )
    base_days = fee.base_days
    currency = fee.principal.currency
    daily = ACCRUAL.divide(reference.value, Decimal(days_in_year))
    recomputed = Money(ACCRUAL.multiply(base_days, daily), currency)
    contractual = fee.policy.rate.to_basis(RateBasis.YEAR, days_in_year=days_in_year)
    effective = None
    if base_days:
        per_day = ACCRUAL.divide(fee.exact.amount, base_days)
        effective = Rate(ACCRUAL.multiply(per_day, Decimal(days_in_year)), RateBasis.YEAR)
    return LitigationExposure(
        fee=fee,
        label=label,
        reference_rate=reference,
        contractual_annual_rate=contractual,
        effective_annual_rate=effective,
        reference_fee=recomputed.rounded(fee.policy.rounding),
    )
