"""Tests for propcrm.billing.late_fees: the late-fee rule (违约金) printed on every notice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.billing_fixtures import COMMUNITY, apartment, sample_tariff

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    DEFAULT_LATE_FEE_RATE,
    DEFAULT_POLICY,
    BillingPeriod,
    BillingPolicy,
    LateFeePolicy,
    issue_statement,
)
from propcrm.errors import InvalidPolicy
from propcrm.money import Money, Rate, RateBasis


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
