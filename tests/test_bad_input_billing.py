"""Bad input to every public entry point of propcrm.billing (issue 18).

Each test feeds one argument of one entry point the malformed values its kind allows (drawn from
``tests/bad_input.py``) and asserts with :func:`assert_refused` that only a library error with its
context comes out. The other arguments are valid, so the refusal is the bad argument's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_locales,
    bad_number_text,
    bad_text,
    wrong_types,
)
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    price_list_2026a,
    sample_price_lists,
    sample_tariff,
    sample_version,
    water_reading,
    water_tiers,
)

from propcrm.billing import (
    DEFAULT_CYCLE,
    DEFAULT_LATE_FEE,
    AbsoluteCap,
    AnnualisedRateCap,
    Approval,
    Approver,
    AreaBasis,
    AreaCharge,
    BillableSpan,
    BillingCyclePolicy,
    BillingPolicy,
    BillingRun,
    ChargeExplanation,
    ChargeLine,
    ChargeUnit,
    DueDate,
    DueDaysAfterStatement,
    DueInAdvance,
    DueOnDayOfFollowingMonth,
    FeeCategory,
    FeeUsage,
    FixedCharge,
    LateFeePolicy,
    MeteredCharge,
    MeterReading,
    MeterReplacement,
    NoCap,
    ParkingCharge,
    PercentOfPrincipalCap,
    PriceItem,
    PriceList,
    PriceLists,
    PropertyType,
    ProrationPolicy,
    SpecialServiceCharge,
    SpecialServiceOrder,
    Tariff,
    TariffPolicy,
    Tier,
    TieredPrice,
    UnitProfile,
    UnitUsage,
    issue_statement,
    opening_line,
    opening_statement,
    split_by_days,
    statement_number,
)
from propcrm.errors import DuplicateRecord, InvalidPolicy
from propcrm.money import Money, Rate, RateBasis
from propcrm.time import BillingPeriod, PeriodKind

NOV = BillingPeriod.month(2026, 11)
DAY = pendulum.date(2026, 11, 24)
UNIT = apartment()
MGMT = AreaCharge("MGMT", "物业管理费", Money("2.80"))
WATER = MeteredCharge("WATER", "水费", "water", water_tiers())
LINE = opening_line(Money("100.00"))
STATEMENT = opening_statement(
    community=COMMUNITY, unit_id="1-2-0301", period=NOV, amount="100.00", due_on=DAY
)

#: Amounts where a price or a cap is wanted: malformed, or negative.
bad_prices = st.one_of(bad_amounts, st.sampled_from(["-0.01", -1, Money("-5.00")]))
#: Quantities (areas, readings, service quantities): malformed, or negative.
bad_quantities = st.one_of(bad_amounts, st.sampled_from(["-1", -1, Decimal("-0.5")]))
#: Where an enum member is wanted: its value, its name, another enum, other types.
bad_members = st.one_of(
    wrong_types, st.sampled_from(["residential", "BUILDING", 1, RateBasis.DAY, PeriodKind.MONTH])
)
#: Where one of propcrm's values is wanted: anything else.
bad_values = st.one_of(wrong_types, st.sampled_from(["x", 1, DAY, Money("1")]))
#: Where a list of items is wanted: text, mappings, sets, scalars, lists of the wrong things.
bad_lists = st.one_of(
    st.sampled_from(["AB", b"AB", {"a": 1}, 7, None, True, object()]),
    st.lists(wrong_types, min_size=1, max_size=2),
)
#: Where a daily rate is wanted: not a Rate, not per day, or above the ceiling.
bad_daily_rates = st.one_of(
    bad_values,
    st.sampled_from(
        [
            Rate("0.003", RateBasis.YEAR),
            Rate("0.3", RateBasis.DAY),  # 0.3 % meant, 30 % given
            Rate("3", RateBasis.DAY),  # 千分之三 meant, 300 % given
            Rate("5", RateBasis.DAY),  # the 500 % a day the issue measured
            Rate("0.0100001", RateBasis.DAY),
        ]
    ),
)


def refuses(
    strategy: st.SearchStrategy[Any], call: Callable[[Any], object], examples: int = 20
) -> Callable[..., None]:
    """A test that ``call(bad)`` is refused with a library error for every ``bad`` drawn."""

    @given(bad=strategy)
    @settings(max_examples=examples)
    def test(bad: Any) -> None:
        assert_refused(lambda: call(bad))

    return test


def run(**changes: Any) -> BillingRun:
    arguments: dict[str, Any] = {
        "community": COMMUNITY,
        "period": NOV,
        "tariff": sample_tariff(),
        "price_lists": sample_price_lists(),
    }
    arguments.update(changes)
    return BillingRun(**arguments)


# -- units, spans, usage --------------------------------------------------------------------------

test_unit_profile_id = refuses(
    bad_ids, lambda bad: UnitProfile(bad, PropertyType.RESIDENTIAL, building_area="1")
)
test_unit_profile_type = refuses(bad_members, lambda bad: UnitProfile("U1", bad))
test_unit_profile_building_area = refuses(
    bad_quantities, lambda bad: UnitProfile("U1", PropertyType.RESIDENTIAL, building_area=bad)
)
test_unit_profile_inner_area = refuses(
    bad_quantities.filter(lambda v: v is not None),
    lambda bad: UnitProfile("U1", PropertyType.RESIDENTIAL, inner_area=bad),
)
test_unit_profile_area_basis = refuses(bad_members, UNIT.area)
test_unit_profile_missing_inner_area = refuses(
    st.just(AreaBasis.INNER), UnitProfile("U1", PropertyType.RESIDENTIAL).area
)
test_span_start = refuses(bad_dates.filter(lambda v: v is not None), BillableSpan)
test_span_until = refuses(
    st.one_of(bad_dates.filter(lambda v: v is not None), st.just(DAY)),
    lambda bad: BillableSpan(start=DAY, until=bad),
)
test_span_overlaps_first = refuses(bad_dates, lambda bad: BillableSpan().overlaps(bad, DAY))
test_span_overlaps_last = refuses(bad_dates, lambda bad: BillableSpan().overlaps(DAY, bad))
test_span_covers = refuses(bad_dates, BillableSpan().covers)
test_usage_parking_spaces = refuses(bad_counts, lambda bad: UnitUsage(parking_spaces=bad))
test_usage_readings = refuses(bad_lists, lambda bad: UnitUsage(readings=bad))
test_usage_orders = refuses(bad_lists, lambda bad: UnitUsage(orders=bad))


def test_usage_refuses_a_meter_or_an_order_twice() -> None:
    reading = water_reading()
    order = SpecialServiceOrder("SS-1", "PIPE", "1", DAY)
    assert_refused(lambda: UnitUsage(readings=[reading, reading]))
    assert_refused(lambda: UnitUsage(orders=[order, attrs.evolve(order, quantity=Decimal(2))]))


# -- metering ------------------------------------------------------------------------------------


def _reading(**changes: Any) -> MeterReading:
    arguments: dict[str, Any] = {
        "meter_id": "W-0301",
        "kind": "water",
        "previous": "120",
        "current": "138",
        "read_on": DAY,
    }
    arguments.update(changes)
    return MeterReading(**arguments)


test_reading_meter_id = refuses(bad_ids, lambda bad: _reading(meter_id=bad))
test_reading_kind = refuses(bad_ids, lambda bad: _reading(kind=bad))
test_reading_previous = refuses(bad_quantities, lambda bad: _reading(previous=bad))
test_reading_current = refuses(
    st.one_of(bad_quantities, st.just("119")), lambda bad: _reading(current=bad)
)
test_reading_read_on = refuses(bad_dates, lambda bad: _reading(read_on=bad))
test_reading_multiplier = refuses(
    st.one_of(bad_quantities, st.just("0")), lambda bad: _reading(multiplier=bad)
)
test_reading_replacement = refuses(
    st.one_of(
        bad_values.filter(lambda v: v is not None),
        st.just(MeterReplacement("100", "0", DAY)),  # the old meter ran backwards
    ),
    lambda bad: _reading(replacement=bad),
)
test_replacement_old_final = refuses(bad_quantities, lambda bad: MeterReplacement(bad, "0", DAY))
test_replacement_new_initial = refuses(
    bad_quantities, lambda bad: MeterReplacement("130", bad, DAY)
)
test_replacement_replaced_on = refuses(bad_dates, lambda bad: MeterReplacement("130", "0", bad))
test_tier_up_to = refuses(
    bad_quantities.filter(lambda v: v is not None), lambda bad: Tier(bad, Money("1"))
)
test_tier_unit_price = refuses(bad_prices, lambda bad: Tier(None, bad))
test_tiered_price_tiers = refuses(
    st.one_of(
        bad_lists,
        st.just([]),
        st.just([Tier("10", Money("1"))]),  # the last tier is not open
        st.just([Tier("10", Money("1")), Tier("10", Money("2")), Tier(None, Money("3"))]),
        st.just([Tier(None, Money("1")), Tier(None, Money("2"))]),
        st.just([Tier("10", Money("1")), Tier(None, Money("2", "USD"))]),
    ),
    TieredPrice,
)
test_tiered_price_flat = refuses(bad_prices, TieredPrice.flat)
test_tiered_price_consumption = refuses(bad_quantities, water_tiers().price)


# -- charge rules, lines, explanations -----------------------------------------------------------

test_area_charge_code = refuses(bad_ids, lambda bad: AreaCharge(bad, "物业管理费", Money("1")))
test_area_charge_name = refuses(bad_text, lambda bad: AreaCharge("MGMT", bad, Money("1")))
test_area_charge_price = refuses(bad_prices, lambda bad: AreaCharge("MGMT", "物业管理费", bad))
test_area_charge_basis = refuses(
    bad_members, lambda bad: AreaCharge("MGMT", "物业管理费", Money("1"), bad)
)
test_area_charge_formula = refuses(bad_locales, MGMT.formula)
test_fixed_charge_code = refuses(bad_ids, lambda bad: FixedCharge(bad, "垃圾清运费", Money("1")))
test_fixed_charge_price = refuses(bad_prices, lambda bad: FixedCharge("REFUSE", "垃圾清运费", bad))
test_parking_charge_name = refuses(bad_text, lambda bad: ParkingCharge("PARK", bad, Money("1")))
test_parking_charge_price = refuses(bad_prices, lambda bad: ParkingCharge("PARK", "车位", bad))
test_metered_charge_kind = refuses(
    bad_ids, lambda bad: MeteredCharge("WATER", "水费", bad, water_tiers())
)
test_metered_charge_prices = refuses(
    bad_values, lambda bad: MeteredCharge("WATER", "水费", "water", bad)
)
test_metered_charge_unit = refuses(
    bad_text, lambda bad: MeteredCharge("WATER", "水费", "water", water_tiers(), bad)
)
test_special_service_charge_code = refuses(bad_ids, lambda bad: SpecialServiceCharge(bad, "特约"))
test_special_service_charge_name = refuses(bad_text, lambda bad: SpecialServiceCharge("SVC", bad))
test_charge_unit_label = refuses(bad_locales, ChargeUnit.SERVICE.label)

_EXPLANATION = LINE.explanation
test_explanation_rule = refuses(
    bad_values.filter(lambda v: v is not None), lambda bad: attrs.evolve(_EXPLANATION, rule=bad)
)
test_explanation_quantity = refuses(
    bad_quantities, lambda bad: attrs.evolve(_EXPLANATION, quantity=bad)
)
test_explanation_unit_label = refuses(
    bad_text, lambda bad: attrs.evolve(_EXPLANATION, unit_label=bad)
)
test_explanation_unrounded = refuses(
    bad_amounts, lambda bad: attrs.evolve(_EXPLANATION, unrounded=bad)
)
test_explanation_rounding = refuses(
    bad_members, lambda bad: attrs.evolve(_EXPLANATION, rounding=bad)
)
test_explanation_months = refuses(
    st.one_of(bad_counts.filter(lambda v: v is not None), st.just(0)),
    lambda bad: attrs.evolve(_EXPLANATION, months=bad),
)
test_explanation_tiers = refuses(bad_lists, lambda bad: attrs.evolve(_EXPLANATION, tiers=bad))
test_explanation_formula = refuses(bad_locales, _EXPLANATION.formula)
test_line_code = refuses(bad_ids, lambda bad: attrs.evolve(LINE, code=bad))
test_line_name = refuses(bad_text, lambda bad: attrs.evolve(LINE, name=bad))
test_line_kind = refuses(bad_members, lambda bad: attrs.evolve(LINE, kind=bad))
test_line_amount = refuses(bad_amounts, lambda bad: attrs.evolve(LINE, amount=bad))
test_line_explanation = refuses(bad_values, lambda bad: attrs.evolve(LINE, explanation=bad))
test_line_unit_label = refuses(bad_locales, LINE.unit_label)
test_line_display_name = refuses(bad_locales, LINE.display_name)
test_explanation_built_by_hand = refuses(
    bad_members,
    lambda bad: ChargeExplanation(None, Decimal(1), ChargeUnit.ITEM, None, Money("1"), bad),
)
test_line_built_by_hand = refuses(
    bad_members, lambda bad: ChargeLine("X", "x", bad, Money("1"), _EXPLANATION)
)


# -- price lists and orders ----------------------------------------------------------------------

test_price_item_code = refuses(bad_ids, lambda bad: PriceItem(bad, "空调清洗", Money("80")))
test_price_item_name = refuses(bad_text, lambda bad: PriceItem("AC", bad, Money("80")))
test_price_item_price = refuses(bad_prices, lambda bad: PriceItem("AC", "空调清洗", bad))
test_price_item_unit = refuses(
    bad_text, lambda bad: PriceItem("AC", "空调清洗", Money("80"), unit_label=bad)
)
test_price_item_unit_text = refuses(bad_locales, PriceItem("AC", "空调", Money("80")).unit_text)


def _price_list(**changes: Any) -> PriceList:
    arguments: dict[str, Any] = {
        "version": "2026A",
        "effective_from": pendulum.date(2026, 1, 1),
        "published_on": pendulum.date(2025, 12, 1),
        "items": (PriceItem("AC", "空调清洗", Money("80")),),
    }
    arguments.update(changes)
    return PriceList(**arguments)


test_price_list_version = refuses(bad_ids, lambda bad: _price_list(version=bad))
test_price_list_effective_from = refuses(bad_dates, lambda bad: _price_list(effective_from=bad))
test_price_list_published_on = refuses(
    st.one_of(bad_dates, st.just(pendulum.date(2026, 1, 2))),  # after it takes effect
    lambda bad: _price_list(published_on=bad),
)
test_price_list_items = refuses(
    st.one_of(
        bad_lists,
        st.just([PriceItem("AC", "空调清洗", Money("80")), PriceItem("AC", "空调", Money("90"))]),
    ),
    lambda bad: _price_list(items=bad),
)
test_price_list_item = refuses(
    st.one_of(bad_ids, st.just("WINDOW"), st.just(["AC"])), price_list_2026a().item
)
test_price_lists_versions = refuses(
    st.one_of(bad_lists, st.just([price_list_2026a(), price_list_2026a()])), PriceLists
)
test_price_lists_in_force = refuses(
    st.one_of(bad_dates, st.just(pendulum.date(2025, 6, 1))), sample_price_lists().in_force
)
test_price_lists_version = refuses(
    st.one_of(bad_ids, st.just("2025B")), sample_price_lists().version
)
test_order_id = refuses(bad_ids, lambda bad: SpecialServiceOrder(bad, "AC", "1", DAY))
test_order_service_code = refuses(bad_ids, lambda bad: SpecialServiceOrder("SS-1", bad, "1", DAY))
test_order_quantity = refuses(
    bad_quantities, lambda bad: SpecialServiceOrder("SS-1", "AC", bad, DAY)
)
test_order_performed_on = refuses(
    bad_dates, lambda bad: SpecialServiceOrder("SS-1", "AC", "1", bad)
)
test_order_price_list_version = refuses(
    st.sampled_from(["", " ", 7, True, b"2026A"]),
    lambda bad: SpecialServiceOrder("SS-1", "AC", "1", DAY, price_list_version=bad),
)


# -- tariffs -------------------------------------------------------------------------------------

test_approval_by = refuses(bad_members, lambda bad: Approval(bad, "决议", DAY))
test_approval_reference = refuses(
    bad_text, lambda bad: Approval(Approver.PRICE_AUTHORITY, bad, DAY)
)
test_approval_approved_on = refuses(
    bad_dates, lambda bad: Approval(Approver.PRICE_AUTHORITY, "决议", bad)
)
test_approver_label = refuses(bad_locales, Approver.OWNERS_COMMITTEE.label)
_VERSION = sample_version()
test_tariff_version_name = refuses(bad_ids, lambda bad: attrs.evolve(_VERSION, version=bad))
test_tariff_version_effective_from = refuses(
    st.one_of(bad_dates, st.just(pendulum.date(2025, 10, 1))),  # before its approval
    lambda bad: attrs.evolve(_VERSION, effective_from=bad),
)
test_tariff_version_announced_on = refuses(
    bad_dates, lambda bad: attrs.evolve(_VERSION, announced_on=bad)
)
test_tariff_version_approval = refuses(bad_values, lambda bad: attrs.evolve(_VERSION, approval=bad))
test_tariff_version_charges = refuses(
    st.one_of(
        bad_lists,
        st.just({"residential": [MGMT]}),
        st.just({PropertyType.RESIDENTIAL: "MGMT"}),
        st.just({PropertyType.RESIDENTIAL: [MGMT, MGMT]}),
        st.just({PropertyType.RESIDENTIAL: [MGMT, "WATER"]}),
    ),
    lambda bad: attrs.evolve(_VERSION, charges=bad),
)
test_tariff_version_rules_for = refuses(bad_members, _VERSION.rules_for)
test_area_charge_quantity_unit = refuses(bad_values, lambda bad: MGMT.quantity(bad, UnitUsage()))
test_inner_area_charge_quantity_unit = refuses(
    bad_values,
    lambda bad: AreaCharge("MGMT", "物业管理费", Money("1"), AreaBasis.INNER).quantity(
        bad, UnitUsage()
    ),
)
test_parking_charge_quantity_usage = refuses(
    bad_values, lambda bad: ParkingCharge("PARK", "车位", Money("1")).quantity(UNIT, bad)
)
test_no_cap_describe = refuses(bad_locales, NoCap().describe)
test_due_date_describe = refuses(bad_locales, STATEMENT.due.describe)
test_tariff_policy_min_notice = refuses(
    st.one_of(bad_counts, st.just(10**6)), lambda bad: TariffPolicy(min_notice_days=bad)
)
test_tariff_policy_check = refuses(
    st.one_of(
        bad_values,
        st.just(sample_version(announced_on=pendulum.date(2025, 12, 20))),  # 12 days' notice
    ),
    TariffPolicy().check,
)
test_tariff_name = refuses(bad_ids, lambda bad: Tariff(bad, (_VERSION,)))
test_tariff_versions = refuses(
    st.one_of(bad_lists, st.just([_VERSION, _VERSION])), lambda bad: Tariff("SUNRISE", bad)
)
test_tariff_policy = refuses(bad_values, lambda bad: Tariff("SUNRISE", (_VERSION,), bad))
test_tariff_with_version = refuses(
    st.one_of(bad_values, st.just(_VERSION)), sample_tariff().with_version
)
test_tariff_in_force = refuses(
    st.one_of(bad_dates, st.just(pendulum.date(2025, 1, 1))), sample_tariff().in_force
)
test_tariff_runs_first = refuses(bad_dates, lambda bad: sample_tariff().runs(bad, DAY))
test_tariff_runs_last = refuses(
    st.one_of(bad_dates, st.just(pendulum.date(2026, 11, 1))),
    lambda bad: sample_tariff().runs(DAY, bad),
)


# -- cycles, proration, late-fee terms, policy ---------------------------------------------------

test_due_on_day = refuses(st.one_of(bad_counts, st.sampled_from([0, 32])), DueOnDayOfFollowingMonth)
test_due_days_after = refuses(st.one_of(bad_counts, st.just(367)), DueDaysAfterStatement)
test_due_in_advance = refuses(st.one_of(bad_counts, st.just(367)), DueInAdvance)
test_due_rule_nominal_period = refuses(bad_values, lambda bad: DueInAdvance().nominal(bad, DAY))
test_due_rule_nominal_date = refuses(
    bad_dates, lambda bad: DueDaysAfterStatement(5).nominal(NOV, bad)
)
test_due_rule_describe = refuses(bad_locales, DueOnDayOfFollowingMonth().describe)
test_due_date_due_on = refuses(bad_dates, lambda bad: DueDate(bad, DAY, None, None))
test_due_date_nominal = refuses(bad_dates, lambda bad: DueDate(DAY, bad, None, None))
test_due_date_rule = refuses(
    bad_values.filter(lambda v: v is not None), lambda bad: DueDate(DAY, DAY, bad, None)
)
test_due_date_calendar = refuses(
    bad_text.filter(lambda v: v is not None), lambda bad: DueDate(DAY, DAY, None, bad)
)
_not_period_kinds = bad_members.filter(lambda v: not isinstance(v, PeriodKind))
test_cycle_period_kind = refuses(_not_period_kinds, lambda bad: BillingCyclePolicy(period_kind=bad))
test_cycle_due = refuses(bad_values, lambda bad: BillingCyclePolicy(due=bad))
test_cycle_issue_days_before = refuses(
    st.one_of(bad_counts.filter(lambda v: v is not None), st.just(400)),
    lambda bad: BillingCyclePolicy(issue_days_before=bad),
)
test_cycle_roll_forward = refuses(
    bad_values.filter(lambda v: v is not None), lambda bad: BillingCyclePolicy(roll_forward=bad)
)
test_cycle_due_in_advance_needs_issue_days = refuses(
    st.just(DueInAdvance()), lambda bad: BillingCyclePolicy(due=bad)
)
test_cycle_prepaid_kind = refuses(_not_period_kinds, BillingCyclePolicy.prepaid)
test_cycle_prepaid_days = refuses(
    bad_counts, lambda bad: BillingCyclePolicy.prepaid(PeriodKind.QUARTER, issue_days_before=bad)
)
test_cycle_statement_date = refuses(
    st.one_of(bad_values, st.just(BillingPeriod.quarter(2026, 4))), DEFAULT_CYCLE.statement_date
)
test_cycle_due_date = refuses(
    st.one_of(bad_values, st.just(BillingPeriod.year(2026))), DEFAULT_CYCLE.due_date
)
test_proration_convention = refuses(bad_members, ProrationPolicy)
test_proration_cutoff_day = refuses(
    st.one_of(bad_counts, st.sampled_from([0, 32])), lambda bad: ProrationPolicy(cutoff_day=bad)
)
test_proration_weight = refuses(bad_dates, lambda bad: ProrationPolicy().weight(bad, DAY))
test_proration_describe = refuses(bad_locales, ProrationPolicy().describe)
test_split_amount = refuses(
    st.one_of(bad_amounts, st.just(Money("1.005"))), lambda bad: split_by_days(bad, NOV, [DAY])
)
test_split_period = refuses(bad_values, lambda bad: split_by_days(Money("1"), bad, [DAY]))
test_split_cuts = refuses(
    st.one_of(st.sampled_from(["2026-11-16", 7, None]), st.lists(bad_dates, min_size=1)),
    lambda bad: split_by_days(Money("1.00"), NOV, bad),
)
test_split_policy = refuses(
    bad_values.filter(lambda v: v is not None),
    lambda bad: split_by_days(Money("1.00"), NOV, [DAY], bad),
)
test_late_fee_rate = refuses(bad_daily_rates, LateFeePolicy, 30)
test_late_fee_grace_days = refuses(
    st.one_of(bad_counts, st.just(367)), lambda bad: LateFeePolicy(grace_days=bad)
)
test_late_fee_grace_kind = refuses(bad_members, lambda bad: LateFeePolicy(grace_kind=bad))
test_late_fee_start = refuses(bad_members, lambda bad: LateFeePolicy(start=bad))
test_late_fee_compounding = refuses(bad_members, lambda bad: LateFeePolicy(compounding=bad))
test_late_fee_cap = refuses(bad_values, lambda bad: LateFeePolicy(cap=bad))
test_late_fee_rounding = refuses(bad_members, lambda bad: LateFeePolicy(rounding=bad))
test_late_fee_describe = refuses(bad_locales, DEFAULT_LATE_FEE.describe)
test_late_fee_first_late_day = refuses(bad_dates, DEFAULT_LATE_FEE.first_late_day)
test_percent_cap = refuses(
    st.one_of(bad_amounts, bad_number_text, st.just("-1")), PercentOfPrincipalCap
)
test_percent_cap_describe = refuses(bad_locales, PercentOfPrincipalCap("30").describe)
test_annualised_cap_rate = refuses(
    st.one_of(bad_values, st.just(Rate("0.1", RateBasis.DAY))), AnnualisedRateCap
)
test_annualised_cap_days = refuses(
    st.one_of(bad_counts, st.sampled_from([0, 30, 1000])),
    lambda bad: AnnualisedRateCap(Rate("0.154", RateBasis.YEAR), bad),
)
test_absolute_cap = refuses(bad_prices, AbsoluteCap)
test_absolute_cap_describe = refuses(bad_locales, AbsoluteCap(Money("1")).describe)
test_policy_cycle = refuses(bad_values, lambda bad: BillingPolicy(cycle=bad))
test_policy_proration = refuses(bad_values, lambda bad: BillingPolicy(proration=bad))
test_policy_late_fee = refuses(bad_values, lambda bad: BillingPolicy(late_fee=bad))
test_policy_rounding = refuses(bad_members, lambda bad: BillingPolicy(rounding=bad))
test_policy_currency = refuses(
    st.sampled_from(["cny", "", None, 156, ["CNY"]]), lambda bad: BillingPolicy(currency=bad)
)


def test_the_late_fee_ceiling_is_one_percent_a_day() -> None:
    assert LateFeePolicy(Rate("0.01", RateBasis.DAY)).rate.as_percent == 1
    error = assert_refused(lambda: LateFeePolicy(Rate("5", RateBasis.DAY)))
    assert isinstance(error, InvalidPolicy)
    assert error.field == "rate"
    assert "ceiling" in str(error)


# -- fee categories --------------------------------------------------------------------------------

test_fee_category_label = refuses(bad_locales, FeeCategory.CLEANING.label)
test_fee_category_description = refuses(bad_locales, FeeCategory.CLEANING.description)
test_fee_usage_budget = refuses(
    st.one_of(
        bad_lists,
        st.just({"cleaning": Money("1")}),
        st.just({FeeCategory.CLEANING: 1.5}),
        st.just({FeeCategory.CLEANING: Money("1", "USD")}),
    ),
    lambda bad: FeeUsage(budget=bad),
)
test_fee_usage_currency = refuses(
    st.sampled_from(["cny", None, 7]), lambda bad: FeeUsage(currency=bad)
)
test_fee_usage_variance = refuses(bad_members, FeeUsage().variance)


# -- statements and their numbers ----------------------------------------------------------------

test_statement_number_community = refuses(
    st.one_of(bad_ids, st.just("SUN/RISE")), lambda bad: statement_number(bad, NOV, "U1")
)
test_statement_number_period = refuses(bad_values, lambda bad: statement_number("S", bad, "U1"))
test_statement_number_unit = refuses(
    st.one_of(bad_ids, st.just("1/2")), lambda bad: statement_number("S", NOV, bad)
)
test_statement_number_revision = refuses(
    bad_counts, lambda bad: statement_number("S", NOV, "U", bad)
)
test_statement_number_first_day = refuses(
    st.one_of(bad_dates.filter(lambda v: v is not None), st.just(pendulum.date(2026, 12, 1))),
    lambda bad: statement_number("S", NOV, "U", first_day=bad),
)
test_opening_line_amount = refuses(bad_prices, opening_line)
test_opening_line_name = refuses(
    bad_text.filter(lambda v: v is not None), lambda bad: opening_line(Money("1"), bad)
)


def _opening(**changes: Any) -> object:
    arguments: dict[str, Any] = {
        "community": COMMUNITY,
        "unit_id": "1-2-0301",
        "period": NOV,
        "amount": "100.00",
        "due_on": DAY,
    }
    arguments.update(changes)
    return opening_statement(**arguments)


test_opening_statement_community = refuses(bad_ids, lambda bad: _opening(community=bad))
test_opening_statement_unit_id = refuses(bad_ids, lambda bad: _opening(unit_id=bad))
test_opening_statement_period = refuses(bad_values, lambda bad: _opening(period=bad))
test_opening_statement_amount = refuses(bad_prices, lambda bad: _opening(amount=bad))
test_opening_statement_due_on = refuses(bad_dates, lambda bad: _opening(due_on=bad))
test_opening_statement_issued_on = refuses(
    bad_dates.filter(lambda v: v is not None), lambda bad: _opening(issued_on=bad)
)
test_opening_statement_property_type = refuses(bad_members, lambda bad: _opening(property_type=bad))
test_opening_statement_late_fee = refuses(bad_values, lambda bad: _opening(late_fee=bad))
test_opening_statement_billed_party = refuses(
    bad_text.filter(lambda v: v is not None), lambda bad: _opening(billed_party=bad)
)
test_statement_number = refuses(bad_ids, lambda bad: attrs.evolve(STATEMENT, number=bad))
test_statement_unit_id = refuses(bad_ids, lambda bad: attrs.evolve(STATEMENT, unit_id=bad))
test_statement_issued_on = refuses(bad_dates, lambda bad: attrs.evolve(STATEMENT, issued_on=bad))
test_statement_due = refuses(bad_values, lambda bad: attrs.evolve(STATEMENT, due=bad))
test_statement_lines = refuses(bad_lists, lambda bad: attrs.evolve(STATEMENT, lines=bad))
test_statement_total = refuses(
    st.one_of(bad_amounts, st.just(Money("100.01"))),
    lambda bad: attrs.evolve(STATEMENT, total=bad),
)
test_statement_tariff_versions = refuses(
    bad_lists, lambda bad: attrs.evolve(STATEMENT, tariff_versions=bad)
)
test_statement_revision = refuses(
    bad_counts.filter(lambda v: v is not None), lambda bad: attrs.evolve(STATEMENT, revision=bad)
)
test_statement_revised_lines = refuses(bad_lists, STATEMENT.revised)
test_statement_revised_issued_on = refuses(
    bad_dates.filter(lambda v: v is not None),
    lambda bad: STATEMENT.revised((LINE,), issued_on=bad),
)


def test_a_negative_opening_balance_is_refused_when_it_is_recorded() -> None:
    # It used to be accepted here and refused only when posted to an account.
    error = assert_refused(lambda: _opening(amount="-100.00"))
    assert error.field == "amount"


# -- billing runs --------------------------------------------------------------------------------

test_run_community = refuses(st.one_of(bad_ids, st.just("A/B")), lambda bad: run(community=bad))
test_run_period = refuses(
    st.one_of(bad_values, st.just(BillingPeriod.month(2025, 11))),  # before the tariff
    lambda bad: run(period=bad),
)
test_run_tariff = refuses(bad_values, lambda bad: run(tariff=bad))
test_run_policy = refuses(bad_values, lambda bad: run(policy=bad))
test_run_price_lists = refuses(
    bad_values.filter(lambda v: v is not None), lambda bad: run(price_lists=bad)
)
test_run_bill_unit = refuses(
    st.one_of(
        bad_values,
        st.just(UnitProfile("S-9", PropertyType.STORAGE)),  # a type the tariff does not price
    ),
    lambda bad: run().bill(bad),
)
test_run_bill_usage = refuses(
    st.one_of(
        bad_values,
        st.just(UnitUsage(readings=[_reading(kind="gas")])),  # a kind the tariff does not price
    ),
    lambda bad: run().bill(UNIT, bad),
)
test_run_bill_span = refuses(
    st.one_of(
        bad_values.filter(lambda v: v is not None),
        st.just(BillableSpan(start=pendulum.date(2026, 12, 1))),  # no day in the period
    ),
    lambda bad: run().bill(UNIT, span=bad),
)
test_run_bill_billed_party = refuses(
    bad_text.filter(lambda v: v is not None), lambda bad: run().bill(UNIT, billed_party=bad)
)
test_run_bill_all = refuses(
    st.one_of(
        bad_lists,
        st.just([UNIT]),
        st.just([(UNIT, UnitUsage()), (UNIT, UnitUsage())]),  # one unit twice
        st.just([(7, UnitUsage())]),
    ),
    lambda bad: list(run().bill_all(bad)),
)


def test_a_run_refuses_a_unit_given_twice_before_issuing_any_notice() -> None:
    other = apartment("1-2-0302")
    issued: list[object] = []

    def bill() -> None:
        issued.extend(
            run().bill_all([(UNIT, UnitUsage()), (other, UnitUsage()), (UNIT, UnitUsage())])
        )

    error = assert_refused(bill)
    assert isinstance(error, DuplicateRecord)
    assert error.value == UNIT.unit_id
    assert issued == []


def test_special_services_without_price_lists_are_refused() -> None:
    usage = UnitUsage(orders=[SpecialServiceOrder("SS-1", "PIPE", "1", DAY)])
    assert_refused(lambda: run(price_lists=None).bill(UNIT, usage))


test_issue_statement_unit = refuses(
    bad_values,
    lambda bad: issue_statement(community=COMMUNITY, unit=bad, period=NOV, tariff=sample_tariff()),
)
test_issue_statement_period = refuses(
    bad_values,
    lambda bad: issue_statement(community=COMMUNITY, unit=UNIT, period=bad, tariff=sample_tariff()),
)
test_issue_statement_policy = refuses(
    bad_values,
    lambda bad: issue_statement(
        community=COMMUNITY, unit=UNIT, period=NOV, tariff=sample_tariff(), policy=bad
    ),
)


def test_a_duck_typed_unit_with_a_float_area_is_refused() -> None:
    @attrs.frozen
    class Flat:
        unit_id: str = "1-2-0301"
        property_type: PropertyType = PropertyType.RESIDENTIAL
        building_area: object = 89.37
        inner_area: object = None

    assert_refused(lambda: run().bill(Flat()))  # type: ignore[arg-type]
