"""Hypothesis strategies for propcrm's value types.

Every strategy is a plural noun, takes keyword-only bounds and shrinks towards the simplest
value: ¥0.00 for money, the first of the month for dates and periods.

>>> from hypothesis import given
>>> @given(moneys(max_value=Money("100.00")))
... def test_fee_is_never_negative(m):
...     assert m >= Money.zero()
>>> test_fee_is_never_negative()
"""

from __future__ import annotations

from decimal import Decimal

import pendulum
from hypothesis import strategies as st

from propcrm.money import CNY, Money, Rate, RateBasis, minor_unit_places
from propcrm.testing._registry import default_strategies
from propcrm.time import BillingPeriod, PeriodKind

__all__ = ["billing_periods", "moneys", "rates", "register_type_strategies"]


def moneys(
    *,
    min_value: Money | None = None,
    max_value: Money | None = None,
    currency: str = CNY,
    rounded: bool = True,
) -> st.SearchStrategy[Money]:
    """Amounts of ``currency`` between the bounds (default ¥0.00 to ¥10,000,000.00).

    Rounded to the minor unit unless ``rounded=False`` (then up to four more places, as an
    intermediate result would have). Shrinks towards zero, or the bound nearest zero.
    """
    places = minor_unit_places(currency)
    extra = 0 if rounded else 4
    scale = 10 ** (places + extra)
    low = min_value if min_value is not None else Money.zero(currency)
    high = max_value if max_value is not None else Money("10000000", currency)
    if low.currency != currency or high.currency != currency:
        raise ValueError(f"moneys: bounds must be in {currency}")
    low_units = int((low.amount * scale).to_integral_value(rounding="ROUND_CEILING"))
    high_units = int((high.amount * scale).to_integral_value(rounding="ROUND_FLOOR"))
    if low_units > high_units:
        raise ValueError(f"moneys: min_value {low!r} is above max_value {high!r}")
    return st.integers(min_value=low_units, max_value=high_units).map(
        lambda units: Money(Decimal(units).scaleb(-(places + extra)), currency)
    )


def rates(
    *,
    min_value: Decimal = Decimal(0),
    max_value: Decimal = Decimal("0.01"),
    per: RateBasis | None = None,
    places: int = 6,
) -> st.SearchStrategy[Rate]:
    """Rates as fractions between the bounds (default 0 to 1 %), per ``per`` or any basis."""
    bases = st.just(per) if per is not None else st.sampled_from(RateBasis)
    values = st.decimals(min_value=min_value, max_value=max_value, places=places)
    return st.builds(Rate, values, bases)


def billing_periods(
    *,
    kinds: tuple[PeriodKind, ...] = (PeriodKind.MONTH,),
    min_year: int = 2000,
    max_year: int = 2099,
) -> st.SearchStrategy[BillingPeriod]:
    """Billing periods of the given kinds (months by default); shrinks to January of min_year."""

    def build(kind: PeriodKind, index: int) -> BillingPeriod:
        year, month0 = divmod(index * kind.months, 12)
        return BillingPeriod(kind, pendulum.date(min_year + year, month0 + 1, 1))

    return st.sampled_from(kinds).flatmap(
        lambda kind: st.integers(
            min_value=0, max_value=(max_year - min_year + 1) * 12 // kind.months - 1
        ).map(lambda index: build(kind, index))
    )


def register_type_strategies() -> None:
    """Register each type's default strategy, so ``st.from_type(Money)`` works.

    The hypothesis entry point does this already wherever propcrm is installed; call it yourself
    only where entry points are disabled (``HYPOTHESIS_NO_PLUGINS``).
    """
    namespace = globals()
    for cls, name in default_strategies():
        st.register_type_strategy(cls, namespace[name]())
