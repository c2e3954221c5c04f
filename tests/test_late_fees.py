"""Tests for billing._late_fee_terms and receivables._late_fees: the late-fee rule (违约金)."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.billing_fixtures import COMMUNITY, apartment, sample_tariff

from propcrm._trusted import rebuilt_validated
from propcrm.billing import (
    DEFAULT_LATE_FEE,
    DEFAULT_POLICY,
    AbsoluteCap,
    AnnualisedRateCap,
    BillingPolicy,
    Compounding,
    GraceKind,
    LateFeeCap,
    LateFeePolicy,
    NoCap,
    PercentOfPrincipalCap,
    StartRule,
    issue_statement,
)
from propcrm.billing._late_fee_terms import (
    DEFAULT_LATE_FEE_RATE,
    MAX_DAILY_LATE_FEE_RATE,
    NO_CAP,
)
from propcrm.errors import (
    CurrencyMismatch,
    InvalidAmount,
    InvalidPolicy,
    InvalidQuantity,
    InvalidType,
    NotADate,
    PropcrmError,
    UnsupportedLocale,
)
from propcrm.money import (
    Money,
    Rate,
    RateBasis,
    RoundingMode,
)
from propcrm.receivables import (
    PrincipalReduction,
    late_fee,
    lpr_reference,
)
from propcrm.receivables._late_fees import (
    ACCRUAL,
    CapOutcome,
    fee_form,
    fee_of_base,
    late_fee_units,
)
from propcrm.testing._account_strategies import (
    PaymentHistory,
    late_fee_policies,
    payment_histories,
)
from propcrm.time import BillingPeriod


def test_default_rate_is_three_per_mille_per_day() -> None:
    assert Rate("0.003", RateBasis.DAY) == DEFAULT_LATE_FEE_RATE
    assert DEFAULT_LATE_FEE_RATE.value == Decimal("0.003")
    assert DEFAULT_LATE_FEE_RATE.per is RateBasis.DAY
    assert DEFAULT_LATE_FEE_RATE.as_percent == Decimal("0.3")


def test_default_policy_uses_the_default_rate() -> None:
    assert LateFeePolicy().rate == DEFAULT_LATE_FEE_RATE
    assert LateFeePolicy() == DEFAULT_LATE_FEE
    assert DEFAULT_POLICY.late_fee == DEFAULT_LATE_FEE


def test_one_day_late_on_a_thousand_yuan_is_three_yuan() -> None:
    assert DEFAULT_LATE_FEE.rate * Money("1000.00") == Money("3.00")


def test_default_sentence_in_chinese() -> None:
    assert DEFAULT_LATE_FEE.describe() == (
        "逾期未缴的，自到期日次日起每日按欠缴金额的千分之三计收违约金。"
    )
    assert DEFAULT_LATE_FEE.describe("zh_CN") == DEFAULT_LATE_FEE.describe()


def test_default_sentence_in_english() -> None:
    assert DEFAULT_LATE_FEE.describe("en_US") == (
        "Overdue amounts incur a late fee of 0.3% of the amount owed per day, "
        "from the day after the due date."
    )


@pytest.mark.parametrize(
    ("per_mille", "zh", "percent"),
    [
        ("3", "千分之三", "0.3%"),
        ("5", "千分之五", "0.5%"),
        ("1", "千分之一", "0.1%"),
        ("0.5", "千分之零点五", "0.05%"),
        ("2.5", "千分之二点五", "0.25%"),
        # The ceiling, 1 % a day, is the one whole number of two digits a contract can state.
        ("10", "千分之十", "1%"),
        ("9.5", "千分之九点五", "0.95%"),
        # Every digit of a rate is printed: a notice may not round the rate it charges.
        ("0.125", "千分之零点一二五", "0.0125%"),
    ],
)
def test_other_daily_rates_read_in_both_languages(per_mille: str, zh: str, percent: str) -> None:
    policy = LateFeePolicy(Rate.per_mille(per_mille, per=RateBasis.DAY))
    assert zh in policy.describe("zh_CN")
    assert f" {percent} " in policy.describe("en_US")


@pytest.mark.parametrize("basis", [RateBasis.MONTH, RateBasis.YEAR])
def test_a_rate_that_is_not_per_day_is_refused(basis: RateBasis) -> None:
    with pytest.raises(InvalidPolicy, match="per day"):
        LateFeePolicy(Rate.percent("3", per=basis))


@pytest.mark.parametrize("rate", [Decimal("0.003"), "0.003", None])
def test_a_rate_that_is_not_a_rate_is_refused(rate: object) -> None:
    with pytest.raises(InvalidPolicy):
        LateFeePolicy(rate)  # type: ignore[arg-type]


def test_a_daily_rate_converted_from_a_yearly_one_is_accepted() -> None:
    yearly = Rate.percent("36.5", per=RateBasis.YEAR)
    policy = LateFeePolicy(yearly.to_basis(RateBasis.DAY))
    assert policy.rate == Rate("0.001", RateBasis.DAY)
    assert "千分之一" in policy.describe()


def test_every_notice_carries_the_late_fee_policy() -> None:
    custom = LateFeePolicy(Rate.per_mille("1", per=RateBasis.DAY))
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        policy=BillingPolicy(late_fee=custom),
    )
    assert notice.late_fee is custom
    assert notice.late_fee.describe() == (
        "逾期未缴的，自到期日次日起每日按欠缴金额的千分之一计收违约金。"
    )


def test_a_due_date_start_states_it_in_both_languages() -> None:
    policy = LateFeePolicy(start=StartRule.DUE_DATE)
    assert policy.describe() == "逾期未缴的，自到期日起每日按欠缴金额的千分之三计收违约金。"
    assert policy.describe("en_US") == (
        "Overdue amounts incur a late fee of 0.3% of the amount owed per day, from the due date."
    )


def test_a_rate_with_many_digits_is_printed_whole() -> None:
    # Thirty-one significant digits: more than Python's default decimal context keeps (28).
    rate = Rate("0.001234567890123456789012345678901", RateBasis.DAY)
    policy = LateFeePolicy(rate)
    assert policy.describe() == (
        "逾期未缴的，自到期日次日起每日按欠缴金额的千分之"
        "一点二三四五六七八九零一二三四五六七八九零一二三四五六七八九零一计收违约金。"
    )
    assert "fee of 0.1234567890123456789012345678901% of" in policy.describe("en_US")
    cap = PercentOfPrincipalCap("0.123456789012345678901234567891")
    assert cap.describe("en_US") == "at most 0.123456789012345678901234567891% of the principal"


def test_the_terms_read_the_same_whatever_the_process_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A server started with LANG=de_DE must still print 0.3 %, not 0,3 %: the figures follow
    # the locale asked for, never babel's process-wide default.
    monkeypatch.setattr("babel.numbers.LC_NUMERIC", "de_DE")
    assert "千分之三" in DEFAULT_LATE_FEE.describe()
    assert " 0.3% " in DEFAULT_LATE_FEE.describe("en_US")
    assert PercentOfPrincipalCap("12.5").describe() == "不超过本金的12.5%"
    assert PercentOfPrincipalCap("1500").describe("en_US") == "at most 1,500% of the principal"
    yearly = AnnualisedRateCap(Rate.percent("15.4", per=RateBasis.YEAR))
    assert yearly.describe("en_US") == "at most 15.4% a year (365-day year)"
    assert yearly.describe() == "年化不超过15.4%（一年按365天计）"


# == the fee: worked examples ==================================================================
# Domain brief §2: 0.3 % of the amount owed per day, from the day it becomes overdue.

NOV_10 = pendulum.date(2026, 11, 10)
NOV_30 = pendulum.date(2026, 11, 30)
THOUSAND = Money("1000.00")


def paid(day: pendulum.Date, amount: str, source: str = "R-1") -> PrincipalReduction:
    return PrincipalReduction(day, Money(amount), source)


def test_the_briefs_worked_example_is_twenty_days_at_three_per_mille() -> None:
    # 1,000.00 due 10 Nov, the bank's receipt reaches the company on 30 Nov: 20 × 0.3 % × 1,000.
    fee = late_fee(THOUSAND, NOV_10, NOV_30, [paid(NOV_30, "1000.00")], statement="S/2026-10/U")
    assert fee.amount == Money("60.00")
    assert fee.days_counted == 20
    (segment,) = fee.segments
    assert (segment.start, segment.end, segment.days) == (pendulum.date(2026, 11, 11), NOV_30, 20)
    assert (segment.base, segment.rate, segment.amount) == (
        THOUSAND,
        DEFAULT_LATE_FEE_RATE,
        Money("60.00"),
    )
    assert fee.statement == "S/2026-10/U"
    assert fee.read == ("R-1",)
    assert (fee.principal, fee.due_on, fee.as_of, fee.policy) == (
        THOUSAND,
        NOV_10,
        NOV_30,
        DEFAULT_LATE_FEE,
    )


def test_the_fee_stops_growing_once_the_principal_is_paid() -> None:
    later = late_fee(THOUSAND, NOV_10, pendulum.date(2027, 5, 1), [paid(NOV_30, "1000.00")])
    assert later.amount == Money("60.00")
    assert later.days_counted == 20


def test_a_receipt_on_the_due_date_owes_nothing() -> None:
    fee = late_fee(THOUSAND, NOV_10, pendulum.date(2026, 12, 31), [paid(NOV_10, "1000.00")])
    assert fee.amount == Money("0.00")
    assert fee.segments == ()
    assert fee.days_counted == 0


def test_one_day_after_the_due_date_is_one_day_late() -> None:
    fee = late_fee(THOUSAND, NOV_10, pendulum.date(2026, 11, 11))
    assert fee.amount == Money("3.00")
    assert fee.days_counted == 1


@pytest.mark.parametrize("as_of", [pendulum.date(2026, 11, 1), NOV_10])
def test_nothing_is_owed_up_to_the_due_date(as_of: pendulum.Date) -> None:
    fee = late_fee(THOUSAND, NOV_10, as_of)
    assert fee.amount == Money("0.00")
    assert fee.segments == ()


def test_a_leap_february_counts_the_29th() -> None:
    leap = late_fee(THOUSAND, pendulum.date(2028, 2, 10), pendulum.date(2028, 3, 1))
    common = late_fee(THOUSAND, pendulum.date(2027, 2, 10), pendulum.date(2027, 3, 1))
    # 11–29 February and 1 March: 20 days in 2028, 19 in 2027.
    assert (leap.days_counted, leap.amount) == (20, Money("60.00"))
    assert (common.days_counted, common.amount) == (19, Money("57.00"))
    (segment,) = leap.segments
    assert segment.start <= pendulum.date(2028, 2, 29) <= segment.end


def test_a_partial_payment_splits_the_fee_into_segments() -> None:
    fee = late_fee(THOUSAND, NOV_10, NOV_30, [paid(pendulum.date(2026, 11, 20), "400.00")])
    assert [(s.start.day, s.end.day, s.days, s.base) for s in fee.segments] == [
        (11, 20, 10, THOUSAND),
        (21, 30, 10, Money("600.00")),
    ]
    assert fee.amount == Money("48.00")  # 10 × 3.00 + 10 × 1.80


def test_reductions_are_read_in_date_order_whatever_order_they_come_in() -> None:
    early = paid(pendulum.date(2026, 11, 15), "100.00", "R-1")
    late = paid(pendulum.date(2026, 11, 25), "200.00", "R-2")
    one = late_fee(THOUSAND, NOV_10, NOV_30, [late, early])
    other = late_fee(THOUSAND, NOV_10, NOV_30, [early, late])
    assert one == other
    assert [s.base.amount for s in one.segments] == [
        Decimal("1000.00"),
        Decimal("900.00"),
        Decimal("700.00"),
    ]
    assert one.read == ("R-1", "R-2")


def test_the_breakdown_reads_only_the_reductions_up_to_the_as_of_date() -> None:
    fee = late_fee(
        THOUSAND,
        NOV_10,
        pendulum.date(2026, 11, 20),
        [paid(pendulum.date(2026, 11, 15), "100.00", "R-1"), paid(NOV_30, "900.00", "R-2")],
    )
    assert fee.read == ("R-1",)
    assert fee.amount == Money("15.00") + Money("13.50")  # 5 days on 1,000, 5 on 900


# -- grace --------------------------------------------------------------------------------------

THRESHOLD_5 = LateFeePolicy(grace_days=5, grace_kind=GraceKind.THRESHOLD)
DEDUCTIBLE_5 = LateFeePolicy(grace_days=5, grace_kind=GraceKind.DEDUCTIBLE)


@pytest.mark.parametrize("policy", [THRESHOLD_5, DEDUCTIBLE_5])
def test_paid_within_the_grace_days_owes_nothing_under_either_kind(policy: LateFeePolicy) -> None:
    fee = late_fee(
        THOUSAND, NOV_10, NOV_30, [paid(pendulum.date(2026, 11, 15), "1000.00")], policy=policy
    )
    assert fee.amount == Money("0.00")


def test_a_threshold_charges_every_late_day_once_it_is_passed() -> None:
    fee = late_fee(
        THOUSAND, NOV_10, NOV_30, [paid(pendulum.date(2026, 11, 20), "1000.00")], policy=THRESHOLD_5
    )
    assert fee.amount == Money("30.00")  # 10 days from 11 Nov, as if there were no grace
    assert fee.segments[0].start == pendulum.date(2026, 11, 11)
    assert fee.grace_outcome == "not_paid_within"
    assert "not paid within the 5-day grace threshold" in fee.grace("en_US")
    assert fee.grace() == "未在5天宽限期内缴清：违约金自逾期首日起计"


def test_a_deductible_never_charges_the_grace_days() -> None:
    fee = late_fee(
        THOUSAND,
        NOV_10,
        NOV_30,
        [paid(pendulum.date(2026, 11, 20), "1000.00")],
        policy=DEDUCTIBLE_5,
    )
    assert fee.amount == Money("15.00")  # 16–20 Nov
    assert fee.segments[0].start == pendulum.date(2026, 11, 16)
    assert fee.grace_outcome == "deductible"
    assert fee.grace("en_US") == "the first 5 late days are never charged (deductible)"
    assert fee.grace() == "逾期前5天不计违约金（免计）"
    one = late_fee(
        THOUSAND,
        NOV_10,
        NOV_30,
        policy=LateFeePolicy(grace_days=1, grace_kind=GraceKind.DEDUCTIBLE),
    )
    assert one.grace("en_US") == "the first 1 late day is never charged (deductible)"


def test_within_a_threshold_no_fee_is_due_yet() -> None:
    fee = late_fee(THOUSAND, NOV_10, pendulum.date(2026, 11, 15), policy=THRESHOLD_5)
    assert fee.amount == Money("0.00")
    assert fee.grace_outcome == "within"
    assert "still within the 5-day grace threshold" in fee.grace("en_US")
    assert fee.grace() == "仍在5天宽限期内：暂不计违约金"
    passed = late_fee(THOUSAND, NOV_10, pendulum.date(2026, 11, 16), policy=THRESHOLD_5)
    assert passed.amount == Money("18.00")  # the sixth late day brings all six


def test_a_threshold_met_by_the_last_grace_day_owes_nothing() -> None:
    fee = late_fee(
        THOUSAND, NOV_10, NOV_30, [paid(pendulum.date(2026, 11, 15), "1000.00")], policy=THRESHOLD_5
    )
    assert fee.grace_outcome == "paid_within"
    assert "paid in full within the 5-day grace threshold" in fee.grace("en_US")
    assert fee.grace() == "已在5天宽限期内缴清：不计违约金"
    missed = late_fee(
        THOUSAND, NOV_10, NOV_30, [paid(pendulum.date(2026, 11, 16), "1000.00")], policy=THRESHOLD_5
    )
    assert missed.amount == Money("18.00")


def test_no_grace_says_so() -> None:
    fee = late_fee(THOUSAND, NOV_10, NOV_30)
    assert fee.grace_outcome == "none"
    assert (fee.grace(), fee.grace("en_US")) == ("无宽限期", "no grace days")


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "en"])
def test_the_explanations_refuse_an_unsupported_locale(locale: str) -> None:
    fee = late_fee(THOUSAND, NOV_10, NOV_30, policy=LateFeePolicy(cap=PercentOfPrincipalCap("5")))
    with pytest.raises(UnsupportedLocale):
        fee.grace(locale)
    with pytest.raises(UnsupportedLocale):
        fee.rounding(locale)
    with pytest.raises(UnsupportedLocale):
        fee.cap.describe(locale)


@pytest.mark.parametrize("days", [-1, 367, True, 1.5])
def test_grace_days_out_of_range_are_refused(days: object) -> None:
    with pytest.raises(InvalidPolicy, match="grace days"):
        LateFeePolicy(grace_days=days)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", [0, 1, 366])
def test_grace_days_from_none_to_a_leap_year_are_accepted(days: int) -> None:
    assert LateFeePolicy(grace_days=days).grace_days == days


# -- start rule ---------------------------------------------------------------------------------


def test_a_due_date_start_counts_the_due_date_itself() -> None:
    policy = LateFeePolicy(start=StartRule.DUE_DATE)
    assert policy.first_late_day(NOV_10) == NOV_10
    assert DEFAULT_LATE_FEE.first_late_day(NOV_10) == pendulum.date(2026, 11, 11)
    on_time = late_fee(THOUSAND, NOV_10, NOV_30, [paid(NOV_10, "1000.00")], policy=policy)
    assert on_time.amount == Money("3.00")
    before = late_fee(THOUSAND, NOV_10, NOV_30, [paid(NOV_10.subtract(days=1), "1000.00")])
    assert before.amount == Money("0.00")
    assert "自到期日起" in policy.describe()
    assert "from the due date" in policy.describe("en_US")


# -- compounding --------------------------------------------------------------------------------


def test_simple_accrues_on_the_principal_only() -> None:
    assert DEFAULT_LATE_FEE.compounding is Compounding.SIMPLE
    assert late_fee(THOUSAND, NOV_10, NOV_30).amount == Money("60.00")


def test_daily_compounding_charges_the_rate_on_unpaid_fees_too() -> None:
    policy = LateFeePolicy(compounding=Compounding.DAILY)
    fee = late_fee(THOUSAND, NOV_10, NOV_30, policy=policy)
    expected = THOUSAND.amount * (Decimal("1.003") ** 20 - 1)  # 61.741176…
    assert fee.amount == Money("61.74")
    assert abs(fee.exact.amount - expected) < Decimal("1e-20")
    one_day = late_fee(THOUSAND, NOV_10, pendulum.date(2026, 11, 11), policy=policy)
    assert one_day.amount == Money("3.00")  # nothing to compound on the first day


def test_daily_compounding_shows_the_compounded_base_of_each_segment() -> None:
    policy = LateFeePolicy(compounding=Compounding.DAILY)
    fee = late_fee(
        THOUSAND, NOV_10, NOV_30, [paid(pendulum.date(2026, 11, 20), "400.00")], policy=policy
    )
    first, second = fee.segments
    assert first.base == THOUSAND
    assert second.base == Money("600.00") + first.amount


# -- caps ---------------------------------------------------------------------------------------

LPR = Rate.percent("3.0", per=RateBasis.YEAR)
HUNDRED_DAYS = pendulum.date(2027, 2, 18)  # 11 Nov 2026 to 18 Feb 2027: 100 days


def test_no_cap_is_the_default_and_never_bites() -> None:
    fee = late_fee(THOUSAND, NOV_10, HUNDRED_DAYS)
    assert DEFAULT_LATE_FEE.cap == NO_CAP == NoCap()
    assert fee.amount == Money("300.00")
    assert fee.cap == CapOutcome(NO_CAP, None, Money("300.00"), Money("300.00"))
    assert (fee.cap.describe(), fee.cap.describe("en_US")) == ("不设上限", "no cap")
    assert not fee.cap.bit
    assert fee.cap.reduced_by == Money("0.00")


def test_a_percentage_of_the_principal_cap_bites() -> None:
    policy = LateFeePolicy(cap=PercentOfPrincipalCap("5"))
    fee = late_fee(THOUSAND, NOV_10, HUNDRED_DAYS, policy=policy)
    assert fee.amount == Money("50.00")
    assert fee.cap.cap == PercentOfPrincipalCap("5")
    assert fee.cap.describe("en_US") == "at most 5% of the principal"
    assert fee.cap.describe() == "不超过本金的5%"
    assert (fee.cap.limit, fee.cap.uncapped, fee.cap.capped) == (
        Money("50.00"),
        Money("300.00"),
        Money("50.00"),
    )
    assert fee.cap.bit
    assert fee.cap.reduced_by == Money("250.00")


def test_an_annualised_rate_cap_bites() -> None:
    four_lpr = lpr_reference(LPR, 4)  # 12 % a year
    fee = late_fee(
        THOUSAND, NOV_10, HUNDRED_DAYS, policy=LateFeePolicy(cap=AnnualisedRateCap(four_lpr))
    )
    # 1,000.00 × 100 days × 12 % / 365 = 32.876…; half-up would give 32.88, above the cap.
    assert fee.amount == Money("32.87")
    assert fee.cap.describe("en_US") == "at most 12% a year (365-day year)"
    assert fee.cap.describe() == "年化不超过12%（一年按365天计）"
    assert fee.cap.bit
    assert abs(fee.cap.limit.amount - Decimal("32.876712328767")) < Decimal("1e-12")  # type: ignore[union-attr]
    assert abs(fee.cap.reduced_by.amount - Decimal("267.123287671233")) < Decimal("1e-12")


def test_an_annualised_cap_follows_the_balance_days() -> None:
    cap = AnnualisedRateCap(Rate.percent("36.5", per=RateBasis.YEAR))  # 0.1 % a day
    fee = late_fee(
        THOUSAND,
        NOV_10,
        NOV_30,
        [paid(pendulum.date(2026, 11, 20), "400.00")],
        policy=LateFeePolicy(cap=cap),
    )
    assert fee.cap.limit == Money("16.00")  # (10 × 1,000 + 10 × 600) × 0.1 %
    assert fee.amount == Money("16.00")


def test_an_absolute_cap_bites() -> None:
    policy = LateFeePolicy(cap=AbsoluteCap(Money("100.00")))
    fee = late_fee(THOUSAND, NOV_10, HUNDRED_DAYS, policy=policy)
    assert fee.amount == Money("100.00")
    assert fee.cap.describe("en_US") == "at most CN¥100.00"
    assert fee.cap.describe() == "不超过¥100.00"
    assert fee.cap.reduced_by == Money("200.00")


@pytest.mark.parametrize(
    "cap",
    [
        PercentOfPrincipalCap("100"),
        AnnualisedRateCap(Rate.percent("200", per=RateBasis.YEAR)),
        AbsoluteCap(Money("1000.00")),
    ],
)
def test_a_cap_above_the_fee_does_not_bite(cap: LateFeeCap) -> None:
    fee = late_fee(THOUSAND, NOV_10, NOV_30, policy=LateFeePolicy(cap=cap))
    assert fee.amount == Money("60.00")
    assert not fee.cap.bit
    assert fee.cap.capped == fee.cap.uncapped


@pytest.mark.parametrize(
    ("percent", "words"),
    [
        ("-1", "must be a finite number of zero or more."),
        (1.5, "must be a str, int or Decimal, e.g. '100'."),
        (True, "must be a str, int or Decimal, e.g. '100'."),
        (None, "must be a str, int or Decimal, e.g. '100'."),
        ("abc", "is not a decimal number, e.g. '100'."),
        ("NaN", "is not a decimal number, e.g. '100'."),
    ],
)
def test_a_bad_percentage_cap_is_refused(percent: object, words: str) -> None:
    with pytest.raises(InvalidPolicy) as refused:
        PercentOfPrincipalCap(percent)  # type: ignore[arg-type]
    assert str(refused.value) == f"cap percent {percent!r} {words}"
    assert refused.value.field == "cap percent"
    assert refused.value.value == percent
    assert refused.value.allowed == "a finite decimal of zero or more (str, int or Decimal)"


def test_an_annualised_cap_must_be_a_yearly_rate() -> None:
    with pytest.raises(InvalidPolicy, match="per year"):
        AnnualisedRateCap(Rate.percent("0.1", per=RateBasis.DAY))


def test_an_absolute_cap_must_be_money_of_zero_or_more() -> None:
    with pytest.raises(InvalidPolicy, match="zero or more"):
        AbsoluteCap(Money("-1.00"))
    assert AbsoluteCap("100.00").amount == Money("100.00")
    with pytest.raises(InvalidAmount, match="float"):
        AbsoluteCap(100.0)


def test_an_absolute_cap_in_another_currency_is_refused() -> None:
    policy = LateFeePolicy(cap=AbsoluteCap(Money("100.00", "USD")))
    with pytest.raises(CurrencyMismatch, match="USD"):
        late_fee(THOUSAND, NOV_10, NOV_30, policy=policy)


# -- rounding -----------------------------------------------------------------------------------


def test_the_fee_is_rounded_once_at_the_end_not_per_segment() -> None:
    # 1.50 for a day (0.0045) then 0.50 for two (0.0030): each segment alone rounds to 0.00,
    # the exact sum 0.0075 rounds to 0.01.
    fee = late_fee(
        Money("1.50"),
        NOV_10,
        pendulum.date(2026, 11, 13),
        [paid(pendulum.date(2026, 11, 11), "1.00")],
    )
    assert [s.amount.rounded() for s in fee.segments] == [Money("0.00"), Money("0.00")]
    assert fee.exact == Money("0.0075")
    assert fee.amount == Money("0.01")
    assert fee.rounding("en_US") == (
        "accrued at full precision (0.0075); rounded once, half-up, to the fen: CN¥0.01"
    )
    assert fee.rounding() == "按全精度累计（0.0075），仅取整一次，四舍五入到分：¥0.01"


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (RoundingMode.HALF_UP, "0.02"),
        (RoundingMode.HALF_EVEN, "0.02"),
        (RoundingMode.HALF_DOWN, "0.01"),
        (RoundingMode.DOWN, "0.01"),
        (RoundingMode.UP, "0.02"),
    ],
)
def test_the_policy_declares_the_rounding_mode(mode: RoundingMode, expected: str) -> None:
    # 5.00 × 0.3 % = 0.015 exactly: a tie.
    fee = late_fee(
        Money("5.00"), NOV_10, pendulum.date(2026, 11, 11), policy=LateFeePolicy(rounding=mode)
    )
    assert fee.exact == Money("0.015")
    assert fee.amount == Money(expected)


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("principal", [Money("-1.00"), Money("1.005"), "1.005"])
def test_a_principal_must_be_rounded_money_of_zero_or_more(principal: object) -> None:
    with pytest.raises(InvalidAmount, match="principal"):
        late_fee(principal, NOV_10, NOV_30)  # type: ignore[arg-type]


def test_reductions_above_the_principal_are_refused_as_credit() -> None:
    with pytest.raises(InvalidAmount, match=r"exceed the principal 1000\.00 of statement S-1"):
        late_fee(
            THOUSAND,
            NOV_10,
            NOV_30,
            [paid(NOV_30, "600.00"), paid(NOV_30, "400.01", "R-2")],
            statement="S-1",
        )


def test_a_reduction_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="USD"):
        late_fee(THOUSAND, NOV_10, NOV_30, [PrincipalReduction(NOV_30, Money("1.00", "USD"), "R")])


@pytest.mark.parametrize("amount", [Money("0.00"), Money("-1.00"), Money("0.001")])
def test_a_reduction_is_positive_and_rounded(amount: Money) -> None:
    with pytest.raises(InvalidAmount, match="principal reduction"):
        PrincipalReduction(NOV_30, amount, "R")


def test_a_dollar_statement_is_explained_in_dollars_throughout() -> None:
    # Every figure of the breakdown is in the statement's currency, not the default yuan: the
    # segments' bases and amounts, the cap's limit, the fee before and after it.
    wire = PrincipalReduction(pendulum.date(2026, 11, 20), Money("400.00", "USD"), "WIRE-1")
    policy = LateFeePolicy(cap=PercentOfPrincipalCap("4"))
    fee = late_fee(Money("1000.00", "USD"), NOV_10, NOV_30, [wire], policy=policy)
    assert [(s.days, s.base, s.amount) for s in fee.segments] == [
        (10, Money("1000.00", "USD"), Money("30.00", "USD")),
        (10, Money("600.00", "USD"), Money("18.00", "USD")),
    ]
    assert (fee.cap.limit, fee.cap.uncapped, fee.cap.capped) == (
        Money("40.00", "USD"),
        Money("48.00", "USD"),
        Money("40.00", "USD"),
    )
    assert (fee.exact, fee.amount) == (Money("40.00", "USD"), Money("40.00", "USD"))


def test_a_compounded_dollar_statement_shows_its_compounded_base_in_dollars() -> None:
    # 10 days on 1,000.00 compound to 30.408…; the next 10 days accrue on 600.00 plus that.
    wire = PrincipalReduction(pendulum.date(2026, 11, 20), Money("400.00", "USD"), "WIRE-1")
    policy = LateFeePolicy(compounding=Compounding.DAILY)
    fee = late_fee(Money("1000.00", "USD"), NOV_10, NOV_30, [wire], policy=policy)
    first, second = fee.segments
    growth = ACCRUAL.subtract(ACCRUAL.power(Decimal("1.003"), 10), 1)
    assert first.base == Money("1000.00", "USD")
    assert first.amount == Money(ACCRUAL.multiply(Decimal(1000), growth), "USD")
    assert second.base == Money(ACCRUAL.add(Decimal(600), first.amount.amount), "USD")
    assert second.amount == Money(ACCRUAL.multiply(second.base.amount, growth), "USD")
    assert fee.amount == Money("49.58", "USD")


# == the fee: properties =======================================================================


def reference_fee(
    principal: Money,
    due_on: pendulum.Date,
    as_of: pendulum.Date,
    reductions: Sequence[PrincipalReduction],
    policy: LateFeePolicy,
) -> Money:
    """The rule read literally, day by day, in exact fractions: the slow reference.

    A day is late if principal was owed at the start of it; its fee is the rate on that
    principal (plus the fee accrued before it, under daily compounding). Sum, then cap, then
    round once.
    """

    def owed_at_start_of(day: pendulum.Date) -> Fraction:
        return Fraction(principal.amount) - sum(
            (Fraction(r.amount.amount) for r in reductions if r.effective_on < day), Fraction(0)
        )

    first = due_on if policy.start is StartRule.DUE_DATE else due_on.add(days=1)
    if policy.grace_days:
        end_of_grace = first.add(days=policy.grace_days)
        if policy.grace_kind is GraceKind.DEDUCTIBLE:
            first = end_of_grace
        elif as_of < end_of_grace or owed_at_start_of(end_of_grace) <= 0:
            return Money.zero(principal.currency)
    rate = Fraction(policy.rate.value)
    total = accrued = balance_days = Fraction(0)
    day = first
    while day <= as_of:
        owed = owed_at_start_of(day)
        if owed > 0:
            base = owed + accrued if policy.compounding is Compounding.DAILY else owed
            fee_of_day = base * rate
            accrued += fee_of_day
            total += fee_of_day
            balance_days += owed
        day = day.add(days=1)
    cap = policy.cap
    limit: Fraction | None = None
    if isinstance(cap, PercentOfPrincipalCap):
        limit = Fraction(principal.amount) * Fraction(cap.percent) / 100
    elif isinstance(cap, AnnualisedRateCap):
        limit = balance_days * Fraction(cap.rate.value) / cap.days_in_year
    elif isinstance(cap, AbsoluteCap):
        limit = Fraction(cap.amount.amount)
    units = round_fraction(total * 100, policy.rounding)
    if limit is not None:
        # The cap bounds the rounded fee too: never a fen above it.
        units = min(round_fraction(min(total, limit) * 100, policy.rounding), int(limit * 100))
    return Money.from_minor_units(units, principal.currency)


def round_fraction(value: Fraction, mode: RoundingMode) -> int:
    """A non-negative fraction rounded to an integer with ``mode``."""
    whole, rest = divmod(value, 1)
    half = Fraction(1, 2)
    up = {
        RoundingMode.DOWN: False,
        RoundingMode.FLOOR: False,
        RoundingMode.UP: rest > 0,
        RoundingMode.CEILING: rest > 0,
        RoundingMode.HALF_UP: rest >= half,
        RoundingMode.HALF_DOWN: rest > half,
        RoundingMode.HALF_EVEN: rest > half or (rest == half and whole % 2 == 1),
    }[mode]
    return int(whole) + up


def test_the_reference_agrees_with_the_briefs_worked_example() -> None:
    assert reference_fee(
        THOUSAND, NOV_10, NOV_30, [paid(NOV_30, "1000.00")], DEFAULT_LATE_FEE
    ) == Money("60.00")


# The day-by-day reference is the check that matters most: it gets the most examples.
thorough = settings(max_examples=300)
few = settings(max_examples=100)
as_of_offsets = st.integers(min_value=-15, max_value=200)


@thorough
@given(payment_histories(policies=late_fee_policies(), max_receipts=4), as_of_offsets)
def test_the_piecewise_fee_equals_the_day_by_day_reference(
    history: PaymentHistory, offset: int
) -> None:
    as_of = history.due_on.add(days=offset)
    policy = history.statement.late_fee
    fee = late_fee(history.principal, history.due_on, as_of, history.reductions(), policy=policy)
    expected = reference_fee(history.principal, history.due_on, as_of, history.reductions(), policy)
    assert fee.amount == expected


@few
@given(payment_histories(policies=late_fee_policies()), as_of_offsets)
def test_the_fee_is_never_negative(history: PaymentHistory, offset: int) -> None:
    as_of = history.due_on.add(days=offset)
    fee = late_fee(
        history.principal,
        history.due_on,
        as_of,
        history.reductions(),
        policy=history.statement.late_fee,
    )
    assert not fee.amount.is_negative
    assert not fee.exact.is_negative
    assert all(not s.amount.is_negative and s.days > 0 for s in fee.segments)


@few
@given(
    payment_histories(policies=late_fee_policies()),
    as_of_offsets,
    st.integers(min_value=0, max_value=120),
)
def test_the_fee_never_decreases_as_the_as_of_date_moves_on(
    history: PaymentHistory, offset: int, more: int
) -> None:
    def fee_on(day: pendulum.Date) -> Money:
        return late_fee(
            history.principal,
            history.due_on,
            day,
            history.reductions(),
            policy=history.statement.late_fee,
        ).amount

    day = history.due_on.add(days=offset)
    assert fee_on(day) <= fee_on(day.add(days=more))


@few
@given(
    payment_histories(policies=late_fee_policies()),
    st.integers(min_value=1, max_value=200),
)
def test_the_fee_grows_every_day_while_unpaid_without_cap_or_grace(
    history: PaymentHistory, days: int
) -> None:
    policy = attrs.evolve(history.statement.late_fee, cap=NO_CAP, grace_days=0)
    principal = history.principal
    first = policy.first_late_day(history.due_on)
    fees = [
        late_fee(principal, history.due_on, first.add(days=n), policy=policy).exact
        for n in (days - 1, days)
    ]
    assert fees[0] < fees[1]


@few
@given(
    payment_histories(
        policies=late_fee_policies(), paid_in_full=True, max_days_late=0, max_receipts=3
    ),
    st.integers(min_value=0, max_value=400),
)
def test_nothing_is_owed_when_paid_by_the_due_date(history: PaymentHistory, days: int) -> None:
    policy = history.statement.late_fee
    assume(
        policy.start is StartRule.DAY_AFTER_DUE
        or all(r.on < history.due_on for r in history.receipts)
    )
    fee = late_fee(
        history.principal,
        history.due_on,
        history.due_on.add(days=days),
        history.reductions(),
        policy=policy,
    )
    assert fee.amount == Money("0.00")
    assert fee.days_counted == 0


@few
@given(payment_histories(policies=late_fee_policies()), as_of_offsets)
def test_the_fee_is_never_above_the_cap(history: PaymentHistory, offset: int) -> None:
    policy = history.statement.late_fee
    fee = late_fee(
        history.principal,
        history.due_on,
        history.due_on.add(days=offset),
        history.reductions(),
        policy=policy,
    )
    limit = fee.cap.limit
    if limit is None:
        assert fee.cap.capped == fee.cap.uncapped
        return
    assert fee.exact <= limit
    assert fee.cap.capped == min(fee.cap.uncapped, limit)
    assert fee.cap.bit == (fee.cap.uncapped > limit)
    # Rounded once, in the policy's mode, and never above the cap itself.
    assert fee.amount <= limit


def test_a_fee_rounded_at_a_cap_is_never_above_it() -> None:
    # 30 % of 1,000.05 is 300.015: half-up would give 300.02, above the cap; the whole fen
    # below the cap is the most the fee may be.
    policy = LateFeePolicy(cap=PercentOfPrincipalCap("30"))
    fee = late_fee(Money("1000.05"), NOV_10, HUNDRED_DAYS, policy=policy)
    assert fee.cap.limit == Money("300.015")
    assert fee.amount == Money("300.01")


@thorough
@given(payment_histories(policies=late_fee_policies(), max_receipts=4), as_of_offsets)
def test_the_fast_path_for_a_portfolio_equals_the_explained_fee(
    history: PaymentHistory, offset: int
) -> None:
    as_of = history.due_on.add(days=offset)
    policy = history.statement.late_fee
    reductions = sorted(history.reductions(), key=lambda r: r.effective_on)
    units = late_fee_units(
        policy,
        history.principal.minor_units,
        [(r.effective_on.toordinal(), r.amount.minor_units) for r in reductions],
        history.due_on.toordinal(),
        as_of.toordinal(),
    )
    fee = late_fee(history.principal, history.due_on, as_of, reductions, policy=policy)
    assert units == fee.amount.minor_units


@thorough
@given(payment_histories(policies=late_fee_policies(), max_receipts=4), st.integers(0, 200))
def test_the_closed_form_a_ledger_keeps_equals_the_explained_fee_after_the_last_step(
    history: PaymentHistory, after: int
) -> None:
    """fee_form: from the last reduction on, the fee is the balance times the days and a constant.

    Every cap, grace rule, start rule and rounding the strategies draw; daily compounding has no
    closed form (None), and accounts work it out step by step.
    """
    policy = history.statement.late_fee
    reductions = sorted(history.reductions(), key=lambda r: r.effective_on)
    steps = [(r.effective_on.toordinal(), r.amount.minor_units) for r in reductions]
    owed, due = history.principal.minor_units, history.due_on.toordinal()
    form = fee_form(policy, owed, steps, due)
    if policy.compounding is Compounding.DAILY:
        assert form is None
        return
    assert form is not None
    lag, intercept = form
    last = max([due - 15, *(day for day, _ in steps)]) + after
    balance = owed - sum(units for _, units in steps)
    age = last - due
    closed = 0 if age < lag else fee_of_base(policy, owed, balance * age + intercept)
    as_of = pendulum.Date.fromordinal(last)
    explained = late_fee(history.principal, history.due_on, as_of, reductions, policy=policy)
    assert closed == explained.amount.minor_units
    assert closed == late_fee_units(policy, owed, steps, due, last)


@few
@given(payment_histories(policies=late_fee_policies(), max_receipts=4), as_of_offsets)
def test_balance_days_count_the_principal_owed_on_each_counted_day(
    history: PaymentHistory, offset: int
) -> None:
    as_of = history.due_on.add(days=offset)
    policy = history.statement.late_fee
    fee = late_fee(history.principal, history.due_on, as_of, history.reductions(), policy=policy)
    owed_on_counted_days = Decimal(0)
    for segment in fee.segments:
        day = segment.start
        while day <= segment.end:
            owed = history.principal.amount - sum(
                (r.amount.amount for r in history.reductions() if r.effective_on < day),
                Decimal(0),
            )
            owed_on_counted_days += owed
            day = day.add(days=1)
    assert fee.base_days == owed_on_counted_days
    if isinstance(policy.cap, AnnualisedRateCap) and fee.cap.limit is not None:
        expected = Fraction(fee.base_days) * Fraction(policy.cap.rate.value) / 365
        assert abs(Fraction(fee.cap.limit.amount) - expected) < Fraction(1, 10**20)


def test_compounding_does_not_change_the_balance_days() -> None:
    reductions = [paid(pendulum.date(2026, 11, 20), "400.00")]
    simple = late_fee(THOUSAND, NOV_10, pendulum.date(2026, 12, 30), reductions)
    daily = late_fee(
        THOUSAND,
        NOV_10,
        pendulum.date(2026, 12, 30),
        reductions,
        policy=LateFeePolicy(compounding=Compounding.DAILY),
    )
    assert simple.base_days == daily.base_days == Decimal("34000.00")  # 10 × 1,000 + 40 × 600
    assert daily.amount > simple.amount


@given(policy=late_fee_policies(max_grace_days=5))
def test_a_policys_cached_rate_ratio_is_its_daily_rate_as_an_exact_fraction(
    policy: LateFeePolicy,
) -> None:
    """The ratio set while a policy is built is its rate's exact fraction, as if validated."""
    assert policy.rate_ratio == policy.rate.value.as_integer_ratio()
    rebuilt = rebuilt_validated(policy)
    assert rebuilt == policy
    assert rebuilt.rate_ratio == policy.rate_ratio


# == worked examples, on the explained fee and on the portfolio's fast path ====================
# Each case is a story with its fee worked out by hand; both paths must give it to the fen
# (accounts use the fast path, notices the explained one).

NOV = {day: pendulum.date(2026, 11, day) for day in range(1, 31)}
PER_MILLE_1 = Rate.per_mille("1", per=RateBasis.DAY)


def both_paths(
    principal: Money,
    as_of: pendulum.Date,
    reductions: Sequence[PrincipalReduction] = (),
    policy: LateFeePolicy = DEFAULT_LATE_FEE,
    due_on: pendulum.Date = NOV_10,
) -> tuple[Money, Money]:
    """The fee from :func:`late_fee` and from :func:`late_fee_units`, for the same story."""
    explained = late_fee(principal, due_on, as_of, reductions, policy=policy).amount
    steps = sorted((r.effective_on.toordinal(), r.amount.minor_units) for r in reductions)
    fast = late_fee_units(
        policy, principal.minor_units, steps, due_on.toordinal(), as_of.toordinal()
    )
    return explained, Money.from_minor_units(fast, principal.currency)


@pytest.mark.parametrize(
    ("story", "reductions", "as_of", "policy", "expected"),
    [
        (
            # 11 Nov on 1,000.00, then 19 days on 600.00: 3.00 + 34.20.
            "a receipt on the first late day lowers the base from the second",
            [paid(NOV[11], "400.00")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "37.20",
        ),
        (
            # 11–20 Nov on 1,000.00, 21 Nov on 700.00, 22–30 Nov on 400.00.
            "receipts on consecutive days each lower the base from the day after",
            [paid(NOV[20], "300.00", "R-1"), paid(NOV[21], "300.00", "R-2")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "42.90",
        ),
        (
            # Three days running, then paid off: 11–15 on 1,000, 16 on 900, 17 on 800, 18 on 700.
            "three receipts on three days running, the last one paying it off",
            [
                paid(NOV[15], "100.00", "R-1"),
                paid(NOV[16], "100.00", "R-2"),
                paid(NOV[17], "100.00", "R-3"),
                paid(NOV[18], "700.00", "R-4"),
            ],
            NOV_30,
            DEFAULT_LATE_FEE,
            "22.20",
        ),
        (
            # Two receipts on one day act as one.
            "two receipts on the same day",
            [paid(NOV[20], "300.00", "R-1"), paid(NOV[20], "700.00", "R-2")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "30.00",
        ),
        (
            # A receipt on the as-of day lowers nothing yet: 20 days on 1,000.
            "a receipt on the as-of day counts from the next day",
            [paid(NOV_30, "400.00")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "60.00",
        ),
        (
            # The base falls on 20 Nov; the as-of day, 21 Nov, is the first on 600.
            "the as-of day right after a receipt",
            [paid(NOV[20], "400.00")],
            NOV[21],
            DEFAULT_LATE_FEE,
            "31.80",
        ),
        (
            # Before the first late day: the receipt lowers the base of every late day.
            "a part paid before the due date",
            [paid(NOV[5], "400.00")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "36.00",
        ),
        (
            # Paid on the due date itself: the base is 600 from the first late day.
            "a part paid on the due date",
            [paid(NOV_10, "400.00")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "36.00",
        ),
        (
            # A threshold of 5 days not met by one fen: the fee runs from 11 Nov, 2 days on
            # 1,000.00 (6.00) and 18 on 0.01 (0.00054).
            "a threshold missed by one fen charges from the first late day",
            [paid(NOV[12], "999.99")],
            NOV_30,
            THRESHOLD_5,
            "6.00",
        ),
        (
            "a threshold met to the fen owes nothing",
            [paid(NOV[12], "999.99", "R-1"), paid(NOV[15], "0.01", "R-2")],
            NOV_30,
            THRESHOLD_5,
            "0.00",
        ),
        (
            # Paid on the threshold's last day, 15 Nov, seen from the day after: no fee, though
            # 15 Nov itself began with the whole principal owed.
            "a threshold met on its last day, the day after",
            [paid(NOV[15], "1000.00")],
            NOV[16],
            THRESHOLD_5,
            "0.00",
        ),
        (
            # Paid in full on the day after the threshold's last day: all 6 days count.
            "a threshold missed by one day",
            [paid(NOV[16], "1000.00")],
            NOV_30,
            THRESHOLD_5,
            "18.00",
        ),
        (
            # Still within the threshold on its last day, though nothing is paid.
            "the last day of a threshold",
            [],
            NOV[15],
            THRESHOLD_5,
            "0.00",
        ),
        (
            # A deductible of 5 days: 16–30 Nov, less 400 from 21 Nov: 5 × 3.00 + 10 × 1.80.
            "a deductible and a partial payment",
            [paid(NOV[20], "400.00")],
            NOV_30,
            DEDUCTIBLE_5,
            "33.00",
        ),
        (
            # The due date counts: 10–30 Nov is 21 days, less 400 from 16 Nov: 6 × 3 + 15 × 1.8.
            "a due-date start and a partial payment",
            [paid(NOV[15], "400.00")],
            NOV_30,
            LateFeePolicy(start=StartRule.DUE_DATE),
            "45.00",
        ),
        (
            # A due-date start with a 5-day threshold: 10–14 Nov are the grace days; paid on
            # 14 Nov, within them.
            "a due-date start and a threshold met on its last day",
            [paid(NOV[14], "1000.00")],
            NOV_30,
            LateFeePolicy(start=StartRule.DUE_DATE, grace_days=5),
            "0.00",
        ),
        (
            # The same, paid a day later: 10–15 Nov, 6 days on 1,000.
            "a due-date start and a threshold missed by a day",
            [paid(NOV[15], "1000.00")],
            NOV_30,
            LateFeePolicy(start=StartRule.DUE_DATE, grace_days=5),
            "18.00",
        ),
        (
            # Deductible from the due date: 15–30 Nov, 16 days on 1,000.
            "a due-date start and a deductible",
            [],
            NOV_30,
            LateFeePolicy(start=StartRule.DUE_DATE, grace_days=5, grace_kind=GraceKind.DEDUCTIBLE),
            "48.00",
        ),
        (
            # 20 days on 1,000 is 60.00; a 5 % cap of the principal is 50.00.
            "a cap of the principal that bites",
            [],
            NOV_30,
            LateFeePolicy(cap=PercentOfPrincipalCap("5")),
            "50.00",
        ),
        (
            # Exactly at the cap: 60.00 against a cap of 60.00.
            "a fee exactly at an absolute cap",
            [],
            NOV_30,
            LateFeePolicy(cap=AbsoluteCap(Money("60.00"))),
            "60.00",
        ),
        (
            # 36.5 % a year is 0.1 % a day: a third of the 0.3 % fee, on the same balances.
            "an annualised cap on balances that fall",
            [paid(NOV[20], "400.00")],
            NOV_30,
            LateFeePolicy(cap=AnnualisedRateCap(Rate.percent("36.5", per=RateBasis.YEAR))),
            "16.00",
        ),
        (
            "paid in full on the due date",
            [paid(NOV_10, "1000.00")],
            NOV_30,
            DEFAULT_LATE_FEE,
            "0.00",
        ),
        (
            "a cap of zero percent",
            [],
            NOV_30,
            LateFeePolicy(cap=PercentOfPrincipalCap("0")),
            "0.00",
        ),
        (
            "a cap of zero",
            [],
            NOV_30,
            LateFeePolicy(cap=AbsoluteCap(Money("0.00"))),
            "0.00",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and " " in value else "",
)
def test_worked_examples_give_the_same_fee_on_both_paths(
    story: str,
    reductions: list[PrincipalReduction],
    as_of: pendulum.Date,
    policy: LateFeePolicy,
    expected: str,
) -> None:
    assert both_paths(THOUSAND, as_of, reductions, policy) == (Money(expected), Money(expected))


# 1 ‰ a day for one day: the fee is the principal / 1,000, so these principals give fees of
# 1.4, 1.5, 1.6, 2.5 and 3.5 fen (below, at and above half, ties on an even and an odd fen) and
# 2 fen.
ROUNDING_PRINCIPALS = ("14.00", "15.00", "16.00", "25.00", "35.00", "20.00")


@pytest.mark.parametrize(
    ("mode", "fen"),
    [
        (RoundingMode.HALF_UP, (1, 2, 2, 3, 4, 2)),
        (RoundingMode.HALF_EVEN, (1, 2, 2, 2, 4, 2)),
        (RoundingMode.HALF_DOWN, (1, 1, 2, 2, 3, 2)),
        (RoundingMode.DOWN, (1, 1, 1, 2, 3, 2)),
        (RoundingMode.FLOOR, (1, 1, 1, 2, 3, 2)),
        (RoundingMode.UP, (2, 2, 2, 3, 4, 2)),
        (RoundingMode.CEILING, (2, 2, 2, 3, 4, 2)),
    ],
)
def test_every_rounding_mode_rounds_below_at_and_above_half(
    mode: RoundingMode, fen: tuple[int, ...]
) -> None:
    policy = LateFeePolicy(PER_MILLE_1, rounding=mode)
    for principal, expected in zip(ROUNDING_PRINCIPALS, fen, strict=True):
        fee = Money.from_minor_units(expected)
        assert both_paths(Money(principal), NOV[11], policy=policy) == (fee, fee), principal


@pytest.mark.parametrize("mode", list(RoundingMode))
def test_a_cap_with_a_fraction_of_a_fen_bounds_every_rounding_mode(mode: RoundingMode) -> None:
    # 30 % of 1,000.05 is 300.015: no mode may round the capped fee up past it.
    policy = LateFeePolicy(cap=PercentOfPrincipalCap("30"), rounding=mode)
    fee = Money("300.01")
    assert both_paths(Money("1000.05"), HUNDRED_DAYS, policy=policy) == (fee, fee)


@pytest.mark.parametrize("compounding", list(Compounding))
def test_the_fee_does_not_depend_on_the_callers_decimal_context(compounding: Compounding) -> None:
    # Regression: daily compounding summed its segments in the ambient context, so a caller
    # working at 6 digits was charged 61,741.20 instead of 61,741.18.
    policy = LateFeePolicy(compounding=compounding)
    million = Money("1000000.00")
    reductions = [paid(pendulum.date(2026, 11, 20), "400000.00")]
    expected = late_fee(million, NOV_10, NOV_30, reductions, policy=policy)
    with decimal.localcontext(prec=6, rounding=decimal.ROUND_DOWN):
        assert late_fee(million, NOV_10, NOV_30, reductions, policy=policy) == expected
        alone = late_fee(million, NOV_10, NOV_30, policy=policy)
    if compounding is Compounding.DAILY:
        # Unpaid, 20 days compounded: 1,000,000 × (1.003²⁰ − 1), to the 40 digits the accrual
        # keeps. With 400,000 paid on 20 Nov: 1,000,000 × g, then (600,000 + that) × g, with
        # g = 1.003¹⁰ − 1: 30,403.… + 19,174.… = 49,577.873….
        assert alone.amount == Money("61741.18")
        assert alone.exact.amount == ACCRUAL.multiply(
            Decimal(1000000), ACCRUAL.subtract(ACCRUAL.power(Decimal("1.003"), 20), 1)
        )
        assert expected.amount == Money("49577.87")
    else:
        assert (alone.amount, expected.amount) == (Money("60000.00"), Money("48000.00"))


def test_a_caps_limit_keeps_its_digits_whatever_the_callers_decimal_context() -> None:
    policy = LateFeePolicy(cap=AnnualisedRateCap(lpr_reference(LPR, 4)))
    expected = late_fee(THOUSAND, NOV_10, HUNDRED_DAYS, policy=policy)
    with decimal.localcontext(prec=6):
        assert late_fee(THOUSAND, NOV_10, HUNDRED_DAYS, policy=policy) == expected
    # 1,000.00 × 100 days × 12 % / 365, to the 40 digits the accrual keeps.
    assert expected.cap.limit == Money("32.87671232876712328767123287671232876712")


# == the explanations ==========================================================================


def test_reductions_above_the_principal_of_no_named_statement() -> None:
    with pytest.raises(InvalidAmount, match=r"exceed the principal 1000\.00; what is paid above"):
        late_fee(THOUSAND, NOV_10, NOV_30, [paid(NOV_30, "1000.01")])


def test_the_first_late_day_refuses_a_date_given_as_text() -> None:
    with pytest.raises(NotADate, match=r"^due_on: ") as refused:
        DEFAULT_LATE_FEE.first_late_day("2026-11-10")  # type: ignore[arg-type]
    assert refused.value.field == "due_on"


def test_the_rounding_line_shows_every_digit_accrued(monkeypatch: pytest.MonkeyPatch) -> None:
    # The figures follow the locale asked for, never babel's process-wide default.
    monkeypatch.setattr("babel.numbers.LC_NUMERIC", "de_DE")
    daily = LateFeePolicy(compounding=Compounding.DAILY)
    fee = late_fee(Money("1000000.00"), NOV_10, NOV_30, policy=daily)
    exact = ACCRUAL.multiply(
        Decimal(1000000), ACCRUAL.subtract(ACCRUAL.power(Decimal("1.003"), 20), 1)
    ).normalize(ACCRUAL)
    # More digits than Python's default decimal context (28) keeps.
    assert len(exact.as_tuple().digits) == 38
    assert fee.rounding("en_US") == (
        f"accrued at full precision ({exact:,f}); rounded once, half-up, to the fen: CN¥61,741.18"
    )
    # A whole number of yuan still shows the fen.
    assert late_fee(THOUSAND, NOV_10, NOV_30).rounding("en_US") == (
        "accrued at full precision (60.00); rounded once, half-up, to the fen: CN¥60.00"
    )


def test_the_fast_path_compounds_a_dollar_statement_under_a_dollar_cap() -> None:
    # A cap in dollars means the statement is in dollars: the fast path builds its amounts in
    # the cap's currency. 10 days on 1,000 compounded, then 10 on 600 plus that: 49.5778….
    policy = LateFeePolicy(compounding=Compounding.DAILY, cap=AbsoluteCap(Money("100.00", "USD")))
    steps = [(pendulum.date(2026, 11, 20).toordinal(), 40000)]
    units = late_fee_units(policy, 100000, steps, NOV_10.toordinal(), NOV_30.toordinal())
    assert units == 4958
    dollars = late_fee(
        Money("1000.00", "USD"),
        NOV_10,
        NOV_30,
        [PrincipalReduction(pendulum.date(2026, 11, 20), Money("400.00", "USD"))],
        policy=policy,
    )
    assert dollars.amount == Money("49.58", "USD")


def test_a_reduction_refuses_a_date_given_as_text() -> None:
    with pytest.raises(NotADate, match=r"^effective_on: ") as refused:
        PrincipalReduction("2026-11-30", Money("1.00"), "R")  # type: ignore[arg-type]
    assert refused.value.field == "effective_on"


@pytest.mark.parametrize(("days", "capped"), [(360, "100.00"), (365, "98.63"), (366, "98.36")])
def test_an_annualised_cap_counts_a_year_of_360_to_366_days(days: int, capped: str) -> None:
    cap = AnnualisedRateCap(Rate.percent("36", per=RateBasis.YEAR), days_in_year=days)
    fee = late_fee(THOUSAND, NOV_10, HUNDRED_DAYS, policy=LateFeePolicy(cap=cap))
    # 1,000.00 × 100 days × 36 % / days: 100.00 in a 360-day year, less in a longer one.
    assert fee.cap.limit is not None
    assert abs(Fraction(fee.cap.limit.amount) - Fraction(36000, days)) < Fraction(1, 10**30)
    assert fee.amount == Money(capped)  # the whole fen at or below the cap
    assert cap.describe("en_US") == f"at most 36% a year ({days}-day year)"


@pytest.mark.parametrize(
    ("days", "error"),
    [(359, InvalidPolicy), (367, InvalidPolicy), ("365", InvalidType), (True, InvalidType)],
)
def test_an_annualised_cap_refuses_another_count_of_days(
    days: object, error: type[PropcrmError]
) -> None:
    with pytest.raises(error, match=r"^days_in_year") as refused:
        AnnualisedRateCap(Rate.percent("36", per=RateBasis.YEAR), days_in_year=days)  # type: ignore[arg-type]
    assert refused.value.field == "days_in_year"


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"due_on": "2026-11-10"}, NotADate, "due_on"),
        ({"as_of": "2026-11-30"}, NotADate, "as_of"),
        ({"policy": None}, InvalidType, "policy"),
        ({"statement": ""}, InvalidQuantity, "statement"),
        ({"statement": 5}, InvalidType, "statement"),
        ({"reductions": "R-1"}, InvalidType, "reductions"),
        ({"reductions": [1]}, InvalidType, "reductions"),
    ],
)
def test_each_argument_of_the_fee_is_checked_and_named(
    change: dict[str, object], error: type[PropcrmError], field: str
) -> None:
    arguments: dict[str, object] = {
        "principal": THOUSAND,
        "due_on": NOV_10,
        "as_of": NOV_30,
        "reductions": (),
        **change,
    }
    with pytest.raises(error, match=f"^{field}") as refused:
        late_fee(**arguments)  # type: ignore[arg-type]
    assert refused.value.field == field


@pytest.mark.parametrize("cap", ["none", None, 100])
def test_a_cap_is_one_of_the_four_kinds(cap: object) -> None:
    with pytest.raises(InvalidType, match=r"^cap ") as refused:
        LateFeePolicy(cap=cap)  # type: ignore[arg-type]
    assert refused.value.field == "cap"


# == refusals, as data =========================================================================

USD_1 = Money("1.00", "USD")


@pytest.mark.parametrize(
    ("call", "error", "refusal"),
    [
        (
            lambda: PrincipalReduction(NOV_30, Money("0.00"), "R"),
            InvalidAmount,
            ("amount", Money("0.00"), "a positive Money rounded to the fen"),
        ),
        (
            lambda: late_fee(Money("-1.00"), NOV_10, NOV_30),
            InvalidAmount,
            ("principal", Money("-1.00"), "a Money of zero or more, rounded to the fen"),
        ),
        (
            lambda: late_fee(THOUSAND, NOV_10, NOV_30, [PrincipalReduction(NOV_30, USD_1, "R-9")]),
            CurrencyMismatch,
            ("reductions", USD_1, "amounts in CNY"),
        ),
        (
            lambda: late_fee(
                THOUSAND,
                NOV_10,
                NOV_30,
                policy=LateFeePolicy(cap=AbsoluteCap(Money("100.00", "USD"))),
            ),
            CurrencyMismatch,
            ("policy.cap", Money("100.00", "USD"), "a cap in CNY"),
        ),
        (
            lambda: late_fee(
                THOUSAND, NOV_10, NOV_30, [paid(NOV_30, "600.00"), paid(NOV_30, "400.01", "R-2")]
            ),
            InvalidAmount,
            ("reductions", Money("1000.01"), "at most the principal 1000.00"),
        ),
        (
            lambda: LateFeePolicy(grace_days=-1),
            InvalidPolicy,
            ("grace_days", -1, "int from 0 to 366"),
        ),
        (
            lambda: AnnualisedRateCap(Rate.percent("3", per=RateBasis.DAY)),
            InvalidPolicy,
            ("rate", Rate.percent("3", per=RateBasis.DAY), "a Rate per year"),
        ),
        (
            lambda: AnnualisedRateCap("0.12"),  # type: ignore[arg-type]
            InvalidPolicy,
            ("rate", "0.12", "a Rate per year"),
        ),
        (
            lambda: AbsoluteCap(Money("-1.00")),
            InvalidPolicy,
            ("amount", Money("-1.00"), "an amount of zero or more"),
        ),
        (
            lambda: LateFeePolicy(Rate.percent("3", per=RateBasis.YEAR)),
            InvalidPolicy,
            ("rate", Rate.percent("3", per=RateBasis.YEAR), "a Rate per day"),
        ),
        (
            lambda: LateFeePolicy(Rate.percent("1.5", per=RateBasis.DAY)),
            InvalidPolicy,
            ("rate", Rate.percent("1.5", per=RateBasis.DAY), "0 to 0.01 per day"),
        ),
        (
            lambda: LateFeePolicy(cap="none"),  # type: ignore[arg-type]
            InvalidType,
            ("cap", "none", "NoCap, PercentOfPrincipalCap, AnnualisedRateCap or AbsoluteCap"),
        ),
    ],
)
def test_every_refusal_says_what_was_wrong_as_data(
    call: Callable[[], object], error: type[PropcrmError], refusal: tuple[object, ...]
) -> None:
    with pytest.raises(error) as refused:
        call()
    found = refused.value
    assert (found.field, found.value, found.allowed, found.context) == (*refusal, {})


def test_a_rate_above_the_ceiling_is_refused_in_words() -> None:
    with pytest.raises(InvalidPolicy) as refused:
        LateFeePolicy(Rate.percent("1.5", per=RateBasis.DAY))
    assert str(refused.value) == (
        "late-fee rate 1.5% a day is above the ceiling of 1% a day; the brief's rate is 0.3% a "
        "day (Rate.per_mille('3', per=RateBasis.DAY)). Was the rate given in percent or per "
        "mille rather than as a fraction?"
    )
    assert LateFeePolicy(MAX_DAILY_LATE_FEE_RATE).rate == Rate.percent("1", per=RateBasis.DAY)


def test_a_reduction_without_a_source_is_named_by_its_amount() -> None:
    with pytest.raises(CurrencyMismatch) as refused:
        late_fee(THOUSAND, NOV_10, NOV_30, [PrincipalReduction(NOV_30, USD_1)])
    assert str(refused.value) == (
        "reduction Money('1.00', 'USD') is in USD; the principal is in CNY."
    )
