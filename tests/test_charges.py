"""Tests for billing._charges: charge rules, lines and their explanations."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    parking_space,
    sample_tariff,
    sample_version,
    shop,
)

from propcrm.billing import (
    AreaBasis,
    AreaCharge,
    BillingCyclePolicy,
    BillingPolicy,
    ChargeKind,
    ChargeLine,
    ChargeUnit,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    PropertyType,
    SpecialServiceCharge,
    Statement,
    TieredPrice,
    UnitProfile,
    UnitUsage,
    issue_statement,
)
from propcrm.billing._usage import NO_USAGE
from propcrm.errors import CurrencyMismatch, InvalidAmount, InvalidQuantity, NotBillable
from propcrm.money import (
    Money,
    RoundingMode,
)
from propcrm.time import BillingPeriod

NOV = BillingPeriod.month(2026, 11)


def bill(
    unit: UnitProfile | None = None,
    *,
    period: BillingPeriod = NOV,
    usage: UnitUsage = NO_USAGE,
    policy: BillingPolicy | None = None,
    mgmt: str = "2.80",
    basis: AreaBasis = AreaBasis.BUILDING,
) -> Statement:
    tariff = sample_tariff(sample_version(mgmt=mgmt, basis=basis))
    return issue_statement(
        community=COMMUNITY,
        unit=unit or apartment(),
        period=period,
        tariff=tariff,
        usage=usage,
        policy=policy or BillingPolicy(cycle=BillingCyclePolicy(period.kind)),
    )


def line(statement: Statement, code: str) -> ChargeLine:
    (found,) = (item for item in statement.lines if item.code == code)
    return found


def codes(statement: Statement) -> list[str]:
    return [item.code for item in statement.lines]


# -- rules ----------------------------------------------------------------------------------


def test_area_rule_quantity_is_the_building_area_by_default() -> None:
    rule = AreaCharge("MGMT", "物业管理费", Money("2.80"))
    assert rule.basis is AreaBasis.BUILDING
    assert rule.quantity(apartment(), NO_USAGE) == Decimal("89.37")
    assert rule.kind is ChargeKind.AREA
    assert rule.unit_label is ChargeUnit.SQUARE_METRE
    assert (rule.unit_label.label(), rule.unit_label.label("en_US")) == ("㎡", "m²")


@pytest.mark.parametrize(
    ("basis", "formula"),
    [
        (AreaBasis.BUILDING, "unit price × building area × months"),
        (AreaBasis.INNER, "unit price × inner area × months"),
    ],
)
def test_area_rule_formula_names_its_basis(basis: AreaBasis, formula: str) -> None:
    assert AreaCharge("MGMT", "物业管理费", Money("2.80"), basis).formula("en_US") == formula


def test_fixed_rule_quantity_is_one_unit() -> None:
    rule = FixedCharge("REFUSE", "垃圾清运费", Money("30.00"))
    assert rule.quantity(apartment(), NO_USAGE) == 1
    assert (rule.kind, rule.unit_label.label()) == (ChargeKind.FIXED, "户")
    assert rule.formula("en_US") == "amount per unit × months"
    assert rule.formula() == "每户金额 × 月数"


@pytest.mark.parametrize("spaces", [0, 1, 2, 5])
def test_parking_rule_quantity_is_the_spaces_held(spaces: int) -> None:
    rule = ParkingCharge("PARK", "车位管理费", Money("150.00"))
    assert rule.quantity(apartment(), UnitUsage(parking_spaces=spaces)) == spaces
    assert (rule.kind, rule.unit_label.label()) == (ChargeKind.PARKING, "个")


def test_metered_and_service_rules_have_their_kinds_and_formulas() -> None:
    water = MeteredCharge("WATER", "水费", "water", TieredPrice.flat(Money("3.45")))
    assert water.kind is ChargeKind.METERED
    assert water.unit_label is ChargeUnit.TONNE
    assert SpecialServiceCharge("SVC", "特约服务").kind is ChargeKind.SPECIAL_SERVICE
    assert SpecialServiceCharge("SVC", "特约服务").formula("en_US") == "list price × quantity"


@pytest.mark.parametrize("code", ["", "MGMT FEE", " MGMT", 7])
def test_charge_code_must_be_a_token(code: object) -> None:
    with pytest.raises(InvalidQuantity, match="charge code"):
        AreaCharge(code, "物业管理费", Money("2.80"))  # type: ignore[arg-type]


@pytest.mark.parametrize("rule", [AreaCharge, FixedCharge, ParkingCharge])
def test_negative_prices_are_refused(rule: type) -> None:
    with pytest.raises(InvalidQuantity, match="negative"):
        rule("X", "x", Money("-0.01"))


@pytest.mark.parametrize("price", [Decimal("2.80"), "2.80", Money("2.80")])
def test_prices_are_taken_as_money_takes_them(price: object) -> None:
    assert AreaCharge("MGMT", "物业管理费", price).unit_price == Money("2.80")


@pytest.mark.parametrize("price", [2.8, None, "2,80"])
def test_prices_that_are_no_amount_are_refused(price: object) -> None:
    with pytest.raises(InvalidAmount):
        AreaCharge("MGMT", "物业管理费", price)


def test_unit_usage_refuses_negative_or_non_int_spaces() -> None:
    for spaces in (-1, 1.0, True, "2"):
        with pytest.raises(InvalidQuantity):
            UnitUsage(parking_spaces=spaces)  # type: ignore[arg-type]


# -- area charges: the brief's worked number --------------------------------------------------


def test_brief_worked_number_280_times_8937_is_25024_half_up() -> None:
    mgmt = line(bill(), "MGMT")
    assert mgmt.amount == Money("250.24")
    assert mgmt.explanation.unrounded == Money("250.236")
    assert mgmt.explanation.rounding is RoundingMode.HALF_UP


@pytest.mark.parametrize(
    ("mode", "mgmt", "expected"),
    [
        (RoundingMode.HALF_UP, "2.80", "250.24"),
        (RoundingMode.HALF_EVEN, "2.80", "250.24"),
        (RoundingMode.DOWN, "2.80", "250.23"),
        (RoundingMode.UP, "2.80", "250.24"),
        # 2.50 × 89.37 = 223.425, a tie at the fen
        (RoundingMode.HALF_UP, "2.50", "223.43"),
        (RoundingMode.HALF_EVEN, "2.50", "223.42"),
        (RoundingMode.HALF_DOWN, "2.50", "223.42"),
        (RoundingMode.DOWN, "2.50", "223.42"),
        (RoundingMode.CEILING, "2.50", "223.43"),
    ],
)
def test_rounding_mode_comes_from_the_billing_policy(
    mode: RoundingMode, mgmt: str, expected: str
) -> None:
    mgmt_line = line(bill(policy=BillingPolicy(rounding=mode), mgmt=mgmt), "MGMT")
    assert mgmt_line.amount == Money(expected)
    assert mgmt_line.explanation.rounding is mode


def test_inner_area_basis_bills_the_inner_area() -> None:
    mgmt = line(bill(basis=AreaBasis.INNER), "MGMT")
    assert mgmt.quantity == Decimal("72.15")
    assert mgmt.amount == Money("202.02")
    assert mgmt.explanation.formula("en_US") == "unit price × inner area × months"


def test_inner_area_basis_on_a_unit_without_inner_area_is_refused() -> None:
    with pytest.raises(InvalidQuantity, match="no inner area"):
        bill(apartment(inner=None), basis=AreaBasis.INNER)


def test_zero_area_gives_no_area_line() -> None:
    assert codes(bill(apartment(area="0"), usage=UnitUsage(parking_spaces=1))) == ["PARK"]


def test_zero_area_and_nothing_else_to_price_is_not_billable() -> None:
    """A flat of 0 ㎡ with no parking, readings or orders would get an empty notice."""
    with pytest.raises(NotBillable, match=r"MGMT .*prices building area, and the unit's is 0 ㎡"):
        bill(apartment(area="0"))


# -- prices by property type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "lines", "total"),
    [
        (apartment(), {"MGMT": "250.24"}, "250.24"),
        (shop(), {"MGMT": "780.00", "REFUSE": "30.00"}, "810.00"),
        (parking_space(), {"PARK-MGMT": "60.00"}, "60.00"),
    ],
    ids=["residential", "commercial", "parking"],
)
def test_one_tariff_version_prices_each_property_type_differently(
    unit: UnitProfile, lines: dict[str, str], total: str
) -> None:
    statement = bill(unit)
    assert {item.code: str(item.amount.amount) for item in statement.lines} == lines
    assert statement.total == Money(total)
    assert statement.property_type is unit.property_type
    assert statement.tariff_versions == ("2026",)


def test_a_property_type_the_tariff_does_not_price_is_not_billable() -> None:
    # An empty notice would hide a missing tariff entry; the run says what is missing instead.
    with pytest.raises(NotBillable, match="prices nothing for storage units"):
        bill(UnitProfile("B-07", PropertyType.STORAGE, "8.00"))


# -- fixed and parking charges --------------------------------------------------------------


def test_fixed_charge_is_per_unit_whatever_its_area() -> None:
    small, large = shop("S-101", "20.00"), shop("S-102", "400.00")
    assert line(bill(small), "REFUSE").amount == line(bill(large), "REFUSE").amount
    assert line(bill(small), "REFUSE").amount == Money("30.00")


@pytest.mark.parametrize(("spaces", "expected"), [(1, "150.00"), (2, "300.00"), (3, "450.00")])
def test_parking_is_priced_per_space(spaces: int, expected: str) -> None:
    park = line(bill(usage=UnitUsage(parking_spaces=spaces)), "PARK")
    assert park.amount == Money(expected)
    assert park.quantity == spaces
    assert park.unit_price == Money("150.00")
    assert park.unit_label() == "个"
    assert park.unit_label("en_US") == "space"


def test_no_parking_space_gives_no_parking_line() -> None:
    assert "PARK" not in codes(bill(usage=UnitUsage(parking_spaces=0)))
    assert codes(bill()) == ["MGMT"]


# -- periods longer than a month ------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "months", "mgmt", "park"),
    [
        (NOV, 1, "250.24", "150.00"),
        (BillingPeriod.quarter(2026, 4), 3, "750.71", "450.00"),
        (BillingPeriod.half_year(2026, 2), 6, "1501.42", "900.00"),
        (BillingPeriod.year(2026), 12, "3002.83", "1800.00"),
    ],
)
def test_longer_periods_multiply_the_monthly_price_by_months(
    period: BillingPeriod, months: int, mgmt: str, park: str
) -> None:
    statement = bill(period=period, usage=UnitUsage(parking_spaces=1))
    assert line(statement, "MGMT").amount == Money(mgmt)
    assert line(statement, "MGMT").explanation.months == months
    assert line(statement, "PARK").amount == Money(park)


def test_quarter_is_rounded_once_not_month_by_month() -> None:
    # 2.80 × 89.37 × 3 = 750.708 → 750.71, not 3 × 250.24 = 750.72
    mgmt = line(bill(period=BillingPeriod.quarter(2026, 4)), "MGMT")
    assert mgmt.explanation.unrounded == Money("750.708")
    assert mgmt.amount == Money("750.71")


def test_fixed_charge_for_a_quarter_is_three_months() -> None:
    statement = bill(shop(), period=BillingPeriod.quarter(2026, 1))
    assert line(statement, "REFUSE").amount == Money("90.00")


# -- explanations ---------------------------------------------------------------------------


def test_whole_month_area_line_explains_itself() -> None:
    mgmt = line(bill(), "MGMT")
    e = mgmt.explanation
    assert e.formula("en_US") == "unit price × building area × months"
    assert e.formula() == "单价 × 建筑面积 × 月数"
    assert e.quantity == Decimal("89.37")
    assert e.unit_label is ChargeUnit.SQUARE_METRE
    assert e.unit_price == Money("2.80")
    assert e.unrounded == Money("250.236")
    assert e.rounding is RoundingMode.HALF_UP
    assert e.months == 1
    assert e.tariff_version == "2026"
    assert e.proration is None
    assert e.tiers == ()
    assert e.price_list_version is None
    assert (mgmt.code, mgmt.name, mgmt.kind) == ("MGMT", "物业管理费", ChargeKind.AREA)


def test_line_properties_read_through_to_the_explanation() -> None:
    mgmt = line(bill(), "MGMT")
    assert mgmt.quantity is mgmt.explanation.quantity
    assert mgmt.unit_label() == ChargeUnit.SQUARE_METRE.label() == "㎡"
    assert mgmt.unit_price == mgmt.explanation.unit_price


def test_lines_are_frozen() -> None:
    mgmt = line(bill(), "MGMT")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mgmt.amount = Money("1.00")  # type: ignore[misc]


# -- currencies -----------------------------------------------------------------------------


def test_rule_priced_in_another_currency_than_the_policy_is_refused() -> None:
    with pytest.raises(CurrencyMismatch, match=r"MGMT is priced in CNY.*bills in USD"):
        bill(policy=BillingPolicy(currency="USD"))


# -- properties -----------------------------------------------------------------------------


@given(
    price=st.decimals(min_value=0, max_value=50, places=2),
    area=st.decimals(min_value="0.01", max_value=5000, places=2),
    mode=st.sampled_from(RoundingMode),
)
def test_area_line_is_the_exact_product_rounded_once_with_the_policy_mode(
    price: Decimal, area: Decimal, mode: RoundingMode
) -> None:
    statement = bill(
        apartment(area=str(area)), mgmt=str(price), policy=BillingPolicy(rounding=mode)
    )
    if price == 0:
        assert statement.lines[0].amount.is_zero
        return
    mgmt = line(statement, "MGMT")
    exact = Money(price * area)
    assert mgmt.explanation.unrounded == exact
    assert mgmt.amount == exact.rounded(mode)
    assert abs(mgmt.amount - exact) < Money("0.01")
