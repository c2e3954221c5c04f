"""Tests for billing._statements: deterministic, self-consistent fee notices."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    sample_price_lists,
    sample_tariff,
    water_reading,
)

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    BillableSpan,
    ChargeKind,
    ChargeLine,
    ChargeUnit,
    PropertyType,
    ProrationConvention,
    SpecialServiceOrder,
    Statement,
    UnitUsage,
    issue_statement,
    statement_number,
)
from propcrm.billing._units import ALWAYS
from propcrm.errors import CurrencyMismatch, InvalidAmount, InvalidQuantity
from propcrm.money import (
    Money,
    RoundingMode,
)
from propcrm.time import BillingPeriod

NOV = BillingPeriod.month(2026, 11)


def november_notice(
    usage: UnitUsage | None = None,
    span: BillableSpan = ALWAYS,
    billed_party: str | None = None,
) -> Statement:
    return issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=NOV,
        tariff=sample_tariff(),
        usage=usage or UnitUsage(),
        span=span,
        price_lists=sample_price_lists(),
        billed_party=billed_party,
    )


def full_usage() -> UnitUsage:
    return UnitUsage(
        parking_spaces=1,
        readings=[water_reading("120", "138")],
        orders=[SpecialServiceOrder("SO-7", "PIPE", "1", pendulum.date(2026, 11, 12))],
    )


def by_code(statement: Statement) -> dict[str, ChargeLine]:
    return {line.code: line for line in statement.lines}


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "unit_id", "revision", "number"),
    [
        (NOV, "1-2-0301", 0, "SUNRISE/2026-11/1-2-0301"),
        (NOV, "1-2-0301", 1, "SUNRISE/2026-11/1-2-0301/R1"),
        (NOV, "1-2-0301", 2, "SUNRISE/2026-11/1-2-0301/R2"),
        (BillingPeriod.quarter(2026, 4), "S-101", 0, "SUNRISE/2026-Q4/S-101"),
        (BillingPeriod.half_year(2026, 2), "S-101", 0, "SUNRISE/2026-H2/S-101"),
        (BillingPeriod.year(2027), "P-B1-023", 3, "SUNRISE/2027/P-B1-023/R3"),
    ],
)
def test_statement_numbers_are_deterministic(
    period: BillingPeriod, unit_id: str, revision: int, number: str
) -> None:
    assert statement_number(COMMUNITY, period, unit_id, revision) == number
    assert statement_number(COMMUNITY, period, unit_id, revision) == number


def test_number_of_a_notice_starting_inside_the_period_names_its_first_day() -> None:
    day = pendulum.date(2026, 11, 16)
    assert statement_number(COMMUNITY, NOV, "1-2-0301", first_day=day) == (
        "SUNRISE/2026-11/1-2-0301/F1116"
    )
    assert statement_number(COMMUNITY, NOV, "1-2-0301", 2, first_day=day) == (
        "SUNRISE/2026-11/1-2-0301/F1116/R2"
    )


def test_first_day_on_the_periods_first_day_adds_nothing() -> None:
    assert statement_number(COMMUNITY, NOV, "1-2-0301", first_day=NOV.start) == (
        "SUNRISE/2026-11/1-2-0301"
    )


@pytest.mark.parametrize("revision", [-1, True, "2", 1.0])
def test_revision_must_be_a_non_negative_int(revision: object) -> None:
    with pytest.raises(InvalidQuantity, match="revision"):
        statement_number(COMMUNITY, NOV, "1-2-0301", revision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("community", "unit_id"), [("SUN RISE", "1-2-0301"), ("", "1-2-0301"), (COMMUNITY, "1 2")]
)
def test_number_parts_must_be_tokens(community: str, unit_id: str) -> None:
    with pytest.raises(InvalidQuantity, match="without spaces"):
        statement_number(community, NOV, unit_id)


def test_billing_under_a_community_code_with_spaces_is_refused() -> None:
    with pytest.raises(InvalidQuantity, match="community code"):
        issue_statement(community="SUN RISE", unit=apartment(), period=NOV, tariff=sample_tariff())


def test_same_inputs_twice_give_the_same_notice_and_number() -> None:
    first, second = november_notice(full_usage()), november_notice(full_usage())
    assert first == second
    assert first.number == second.number == "SUNRISE/2026-11/1-2-0301"


def test_seller_and_buyer_notices_have_different_numbers() -> None:
    sale = pendulum.date(2026, 11, 16)
    seller = november_notice(span=BillableSpan(until=sale))
    buyer = november_notice(span=BillableSpan(start=sale))
    assert seller.number == "SUNRISE/2026-11/1-2-0301"
    assert buyer.number == "SUNRISE/2026-11/1-2-0301/F1116"


# -- the notice -----------------------------------------------------------------------------


def test_notice_carries_unit_period_dates_and_party() -> None:
    notice = november_notice(billed_party="张伟")
    assert notice.community == COMMUNITY
    assert notice.unit_id == "1-2-0301"
    assert notice.property_type is PropertyType.RESIDENTIAL
    assert notice.period == NOV
    assert notice.issued_on == pendulum.date(2026, 11, 30)
    assert notice.due_on == pendulum.date(2026, 12, 10)
    assert notice.due.due_on == notice.due_on
    assert notice.currency == "CNY"
    assert notice.billed_party == "张伟"
    assert notice.revision == 0
    assert notice.supersedes is None
    assert notice.tariff_versions == ("2026",)


def test_total_is_the_sum_of_the_lines() -> None:
    notice = november_notice(full_usage())
    assert [(line.code, line.amount) for line in notice.lines] == [
        ("MGMT", Money("250.24")),
        ("PARK", Money("150.00")),
        ("WATER", Money("66.24")),
        ("SVC", Money("50.00")),
    ]
    assert notice.total == Money("516.48")
    assert notice.total == Money.total(line.amount for line in notice.lines)


def test_notice_without_lines_totals_zero() -> None:
    empty = attrs.evolve(november_notice(), lines=(), total=Money("0.00"))
    assert empty.total.is_zero
    assert empty.total_in_words() == "零元整"


@pytest.mark.parametrize(
    ("usage", "words"),
    [
        (UnitUsage(), "贰佰伍拾元贰角肆分"),
        (UnitUsage(parking_spaces=1), "肆佰元贰角肆分"),
        (full_usage(), "伍佰壹拾陆元肆角捌分"),
    ],
    ids=["250.24", "400.24", "516.48"],
)
def test_total_in_words_on_a_real_notice(usage: UnitUsage, words: str) -> None:
    assert november_notice(usage).total_in_words() == words


def test_notice_carries_the_late_fee_policy_and_its_sentence() -> None:
    notice = november_notice()
    assert notice.late_fee == DEFAULT_LATE_FEE
    assert notice.late_fee.describe() == (
        "逾期未缴的，自到期日次日起每日按欠缴金额的千分之三计收违约金。"
    )


# -- consistency checks on hand-built notices -----------------------------------------------


def test_hand_built_notice_with_a_wrong_total_is_refused() -> None:
    notice = november_notice()
    with pytest.raises(
        InvalidAmount, match=r"total 250.25 differs from the sum of its lines 250.24"
    ):
        attrs.evolve(notice, total=Money("250.25"))


def test_hand_built_notice_with_an_unrounded_line_is_refused() -> None:
    notice = november_notice()
    raw = attrs.evolve(notice.lines[0], amount=Money("250.236"))
    with pytest.raises(InvalidAmount, match="not rounded"):
        attrs.evolve(notice, lines=(raw,), total=Money("250.236"))


def test_hand_built_notice_with_a_line_in_another_currency_is_refused() -> None:
    notice = november_notice()
    with pytest.raises(CurrencyMismatch, match="one currency"):
        attrs.evolve(notice, total=Money("250.24", "USD"))
    usd_line = attrs.evolve(notice.lines[0], amount=Money("10.00", "USD"))
    with pytest.raises(CurrencyMismatch):
        attrs.evolve(notice, lines=(*notice.lines, usd_line))


def test_hand_built_correction_that_adds_up_is_accepted() -> None:
    notice = november_notice()
    fixed = attrs.evolve(notice.lines[0], amount=Money("250.00"))
    correction = attrs.evolve(
        notice,
        number=statement_number(COMMUNITY, NOV, "1-2-0301", 1),
        lines=(fixed,),
        total=Money("250.00"),
        revision=1,
        supersedes=notice.number,
    )
    assert correction.number == "SUNRISE/2026-11/1-2-0301/R1"
    assert correction.supersedes == "SUNRISE/2026-11/1-2-0301"


def test_notices_are_frozen() -> None:
    notice = november_notice()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        notice.total = Money("0.00")  # type: ignore[misc]


# -- explanations on the notice -------------------------------------------------------------


def test_area_line_explanation_on_a_whole_month() -> None:
    e = by_code(november_notice(full_usage()))["MGMT"].explanation
    assert e.formula("en_US") == "unit price × building area × months"
    assert e.quantity == Decimal("89.37")
    assert e.unit_price == Money("2.80")
    assert e.unrounded == Money("250.236")
    assert e.rounding is RoundingMode.HALF_UP
    assert e.months == 1
    assert e.tariff_version == "2026"
    assert e.proration is None


def test_parking_line_explanation() -> None:
    e = by_code(november_notice(full_usage()))["PARK"].explanation
    assert e.formula("en_US") == "price per space × spaces × months"
    assert (e.quantity, e.unit_label, e.unit_price) == (
        Decimal(1),
        ChargeUnit.SPACE,
        Money("150.00"),
    )
    assert e.unrounded == Money("150.00")
    assert e.months == 1
    assert e.tariff_version == "2026"


def test_metered_line_explanation_carries_tiers_and_the_reading() -> None:
    water = by_code(november_notice(full_usage()))["WATER"]
    e = water.explanation
    assert water.kind is ChargeKind.METERED
    assert e.quantity == Decimal(18)
    assert e.unit_price is None
    assert e.unrounded == Money("66.24")
    assert e.rounding is RoundingMode.HALF_UP
    assert e.months is None
    assert e.tariff_version == "2026"
    assert [(t.quantity, t.unit_price) for t in e.tiers] == [
        (Decimal(15), Money("3.45")),
        (Decimal(3), Money("4.83")),
    ]
    assert e.reading is not None
    assert e.reading.meter_id == "W-0301"


def test_service_line_explanation_carries_the_price_list_version_and_order() -> None:
    e = by_code(november_notice(full_usage()))["SVC"].explanation
    assert e.formula("en_US") == "list price × quantity"
    assert (e.quantity, e.unit_label, e.unit_price) == (Decimal(1), "次", Money("50.00"))
    assert e.price_list_version == "2026A"
    assert e.tariff_version == "2026"
    assert e.order is not None
    assert e.order.order_id == "SO-7"


def test_partial_period_line_explanation_carries_the_proration() -> None:
    notice = november_notice(span=BillableSpan(start=pendulum.date(2026, 11, 16)))
    e = by_code(notice)["MGMT"].explanation
    assert e.proration is not None
    assert e.proration.policy.convention is ProrationConvention.ACTUAL_DAYS
    assert (e.proration.weight, e.proration.total_weight) == (15, 30)
    assert e.proration.full_amount == Money("250.24")
    assert e.unrounded == Money("250.236")
    assert e.months == 1
    assert e.tariff_version == "2026"
    assert e.formula("en_US").endswith("× 15/30")


# -- properties -----------------------------------------------------------------------------


@given(
    area=st.decimals(min_value="0.01", max_value="2000", places=2),
    spaces=st.integers(min_value=0, max_value=3),
    tonnes=st.integers(min_value=0, max_value=60),
)
def test_every_issued_total_is_the_sum_of_rounded_lines(
    area: Decimal, spaces: int, tonnes: int
) -> None:
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(area=str(area)),
        period=NOV,
        tariff=sample_tariff(),
        usage=UnitUsage(parking_spaces=spaces, readings=[water_reading("100", str(100 + tonnes))]),
    )
    assert all(line.amount.is_rounded for line in notice.lines)
    assert notice.total == Money.total(line.amount for line in notice.lines)
    assert notice.total_in_words().endswith(("分", "角", "整"))
