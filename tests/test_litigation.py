"""Tests for receivables._litigation: a late fee beside what a court would likely allow.

Courts reduce late fees they find excessive (Civil Code art. 585; domain brief §2), measuring
them against the one-year Loan Prime Rate: the LPR plus 30 %, or up to four times the LPR.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    Compounding,
    LateFeePolicy,
    PercentOfPrincipalCap,
)
from propcrm.errors import InvalidPolicy, InvalidRate
from propcrm.money import (
    Money,
    Rate,
    RateBasis,
)
from propcrm.receivables import (
    LitigationExposure,
    PrincipalReduction,
    late_fee,
    litigation_exposure,
    lpr_reference,
)
from propcrm.receivables._litigation import DAYS_IN_YEAR
from propcrm.testing._account_strategies import (
    PaymentHistory,
    late_fee_policies,
    payment_histories,
)

LPR = Rate.percent("3.0", per=RateBasis.YEAR)
"""A one-year LPR of 3.0 %, supplied by the user as of the day they compute."""
DUE = pendulum.date(2026, 11, 10)
THOUSAND = Money("1000.00")


def twenty_days_late() -> PrincipalReduction:
    return PrincipalReduction(pendulum.date(2026, 11, 30), THOUSAND, "receipt BANK-1")


# -- the reference rate -----------------------------------------------------------------------


def test_lpr_plus_thirty_percent_is_one_point_three_times_the_lpr() -> None:
    assert lpr_reference(LPR) == Rate("0.039", RateBasis.YEAR)
    assert lpr_reference(LPR, "1.3") == lpr_reference(LPR, Decimal("1.3"))


def test_four_times_the_lpr() -> None:
    assert lpr_reference(LPR, 4) == Rate("0.12", RateBasis.YEAR)
    assert lpr_reference(LPR, 4).as_percent == Decimal(12)


def test_the_lpr_must_be_a_yearly_rate() -> None:
    with pytest.raises(InvalidRate, match="per year"):
        lpr_reference(Rate.percent("0.01", per=RateBasis.DAY))


@pytest.mark.parametrize("factor", [0, "-1.3", "0"])
def test_the_factor_must_be_above_zero(factor: object) -> None:
    with pytest.raises(InvalidPolicy, match="above zero"):
        lpr_reference(LPR, factor)  # type: ignore[arg-type]


@pytest.mark.parametrize("factor", [1.3, "abc", None])
def test_the_factor_must_be_an_exact_number(factor: object) -> None:
    with pytest.raises(ValueError, match="LPR factor"):
        lpr_reference(LPR, factor)  # type: ignore[arg-type]


# -- exposure -----------------------------------------------------------------------------------


def test_the_briefs_rate_is_109_5_percent_a_year() -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30), [twenty_days_late()])
    exposure = litigation_exposure(fee, lpr_reference(LPR), label="LPR + 30 %")
    assert exposure.contractual_annual_rate == Rate("1.095", RateBasis.YEAR)
    assert exposure.effective_annual_rate is not None
    assert exposure.effective_annual_rate.as_percent == Decimal("109.5")
    assert exposure.label == "LPR + 30 %"
    assert exposure.fee is fee
    assert exposure.reference_rate == Rate("0.039", RateBasis.YEAR)


def test_the_worked_example_under_lpr_plus_thirty_percent() -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30), [twenty_days_late()])
    exposure = litigation_exposure(fee, lpr_reference(LPR), label="LPR + 30 %")
    # 1,000.00 × 20 days × 3.9 % / 365 = 2.1369…
    assert exposure.reference_fee == Money("2.14")
    assert exposure.excess == Money("57.86")
    assert exposure.ratio is not None
    assert exposure.ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) == Decimal("28.0374")


def test_the_worked_example_under_four_times_the_lpr() -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30), [twenty_days_late()])
    exposure = litigation_exposure(fee, lpr_reference(LPR, 4), label="4 × LPR")
    # 1,000.00 × 20 days × 12 % / 365 = 6.5753…
    assert exposure.reference_fee == Money("6.58")
    assert exposure.excess == Money("53.42")


def test_the_reference_runs_on_the_same_balances_and_days() -> None:
    fee = late_fee(
        THOUSAND,
        DUE,
        pendulum.date(2026, 11, 30),
        [PrincipalReduction(pendulum.date(2026, 11, 20), Money("400.00"), "receipt BANK-1")],
    )
    assert fee.base_days == Decimal("16000.00")  # 10 × 1,000 + 10 × 600
    exposure = litigation_exposure(fee, Rate.percent("36.5", per=RateBasis.YEAR), label="0.1 %/day")
    assert exposure.reference_fee == Money("16.00")


def test_a_capped_fee_shows_the_rate_it_actually_charged() -> None:
    policy = LateFeePolicy(cap=PercentOfPrincipalCap("5"))
    fee = late_fee(THOUSAND, DUE, pendulum.date(2027, 2, 18), policy=policy)  # 100 days
    exposure = litigation_exposure(fee, lpr_reference(LPR), label="LPR + 30 %")
    assert fee.amount == Money("50.00")
    assert exposure.contractual_annual_rate.as_percent == Decimal("109.5")
    assert exposure.effective_annual_rate is not None
    assert exposure.effective_annual_rate.as_percent == Decimal("18.25")  # 50 / 100,000 × 365
    assert exposure.reference_fee == Money("10.68")  # 100,000 × 3.9 % / 365
    assert exposure.excess == Money("39.32")


def test_a_fee_below_the_reference_has_no_excess() -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30), [twenty_days_late()])
    exposure = litigation_exposure(fee, Rate.percent("200", per=RateBasis.YEAR), label="high")
    assert exposure.reference_fee > fee.amount
    assert exposure.excess == Money("0.00")
    assert exposure.ratio is not None
    assert exposure.ratio < 1


def test_no_late_day_means_no_rate_and_no_ratio() -> None:
    fee = late_fee(THOUSAND, DUE, DUE)
    exposure = litigation_exposure(fee, lpr_reference(LPR), label="LPR + 30 %")
    assert exposure.effective_annual_rate is None
    assert exposure.reference_fee == Money("0.00")
    assert exposure.ratio is None
    assert exposure.excess == Money("0.00")


def test_a_360_day_year_is_a_choice() -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30), [twenty_days_late()])
    exposure = litigation_exposure(
        fee, Rate.percent("36", per=RateBasis.YEAR), label="36 %", days_in_year=360
    )
    assert DAYS_IN_YEAR == 365
    assert exposure.reference_fee == Money("20.00")
    assert exposure.contractual_annual_rate.as_percent == Decimal(108)


def test_the_reference_must_be_a_yearly_rate() -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30))
    with pytest.raises(InvalidRate, match="per year"):
        litigation_exposure(fee, Rate("0.001", RateBasis.DAY), label="daily")


@pytest.mark.parametrize("days", [0, -365, True, 365.0])
def test_the_days_in_a_year_must_be_a_positive_int(days: object) -> None:
    fee = late_fee(THOUSAND, DUE, pendulum.date(2026, 11, 30))
    with pytest.raises(InvalidPolicy, match="days in a year"):
        litigation_exposure(fee, LPR, label="LPR", days_in_year=days)  # type: ignore[arg-type]


@settings(max_examples=40)
@given(
    payment_histories(policies=late_fee_policies(compounding=False)),
    st.integers(min_value=0, max_value=200),
    st.sampled_from(["1.3", "4"]),
)
def test_the_excess_is_the_fee_above_the_reference(
    history: PaymentHistory, days: int, factor: str
) -> None:
    fee = late_fee(
        history.principal,
        history.due_on,
        history.due_on.add(days=days),
        history.reductions(),
        policy=history.statement.late_fee,
    )
    exposure: LitigationExposure = litigation_exposure(
        fee, lpr_reference(LPR, factor), label=f"{factor} × LPR"
    )
    assert exposure.reference_fee.is_rounded
    assert not exposure.excess.is_negative
    assert exposure.excess == max(fee.amount - exposure.reference_fee, Money("0.00"))
    assert (exposure.effective_annual_rate is None) == (fee.base_days == 0)


def test_the_reference_runs_on_the_principal_under_daily_compounding_too() -> None:
    # A court's reference rate applies to the principal owed, whatever the contract compounds.
    reductions = [PrincipalReduction(pendulum.date(2026, 11, 20), Money("400.00"), "BANK-1")]
    as_of = pendulum.date(2026, 12, 30)
    simple = late_fee(THOUSAND, DUE, as_of, reductions)
    daily = late_fee(
        THOUSAND, DUE, as_of, reductions, policy=LateFeePolicy(compounding=Compounding.DAILY)
    )
    four = lpr_reference(LPR, 4)
    by_simple = litigation_exposure(simple, four, label="4 × LPR")
    by_daily = litigation_exposure(daily, four, label="4 × LPR")
    # 10 days × 1,000.00 + 40 × 600.00 = 34,000 balance-days; × 12 % / 365 = 11.18
    assert by_daily.reference_fee == by_simple.reference_fee == Money("11.18")
    assert by_daily.excess > by_simple.excess
    assert by_daily.effective_annual_rate is not None
    assert by_daily.effective_annual_rate > by_simple.contractual_annual_rate
