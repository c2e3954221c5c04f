"""Tests for billing._metering: readings, meter replacements and tiered prices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    sample_tariff,
    water_reading,
    water_tiers,
)

from propcrm.billing import (
    MeterReading,
    MeterReplacement,
    Tier,
    TieredPrice,
    UnitUsage,
    issue_statement,
)
from propcrm.billing._metering import TierUse
from propcrm.errors import (
    CurrencyMismatch,
    InvalidAmount,
    InvalidMeterReading,
    InvalidQuantity,
    InvalidType,
    NotADate,
    PropcrmError,
)
from propcrm.money import Money
from propcrm.time import BillingPeriod

NOV_30 = pendulum.date(2026, 11, 30)


def reading(previous: str, current: str, **kwargs: object) -> MeterReading:
    return MeterReading("W-0301", "water", previous, current, NOV_30, **kwargs)  # type: ignore[arg-type]


# -- consumption ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "current", "multiplier", "consumption"),
    [
        ("120", "138", "1", "18"),
        ("120", "120", "1", "0"),
        ("1520.4", "1532.9", "1", "12.5"),
        ("0", "7", "1", "7"),
        # an electricity meter behind a 40:1 current transformer
        ("352.18", "357.43", "40", "210"),
        ("10", "12", "0.5", "1"),
    ],
)
def test_consumption_is_reading_delta_times_multiplier(
    previous: str, current: str, multiplier: str, consumption: str
) -> None:
    r = reading(previous, current, multiplier=multiplier)
    assert r.consumption == Decimal(consumption)
    assert r.delta == Decimal(current) - Decimal(previous)


def test_multiplier_defaults_to_one() -> None:
    assert reading("120", "138").multiplier == 1


def test_reading_below_the_previous_is_refused() -> None:
    with pytest.raises(InvalidMeterReading, match=r"below the previous.*MeterReplacement"):
        reading("138", "120")


def test_invalid_meter_reading_is_an_invalid_quantity() -> None:
    assert issubclass(InvalidMeterReading, InvalidQuantity)
    with pytest.raises(InvalidQuantity):
        reading("138", "137.99")


@pytest.mark.parametrize("value", ["-1", 12.5, "abc", True, "NaN"])
def test_bad_reading_values_are_refused(value: object) -> None:
    with pytest.raises(InvalidQuantity):
        MeterReading("W-0301", "water", "0", value, NOV_30)


@pytest.mark.parametrize("multiplier", ["0", "-1", 1.5])
def test_multiplier_must_be_above_zero(multiplier: object) -> None:
    with pytest.raises(InvalidQuantity, match="multiplier"):
        reading("0", "1", multiplier=multiplier)


def test_reading_date_must_be_a_date() -> None:
    with pytest.raises(TypeError):
        MeterReading("W-0301", "water", "0", "1", "2026-11-30")  # type: ignore[arg-type]


# -- meter replacement ----------------------------------------------------------------------


def test_replacement_sums_the_old_and_the_new_meter() -> None:
    swap = MeterReplacement(
        old_final="130", new_initial="0", replaced_on=pendulum.date(2026, 11, 20)
    )
    r = reading("120", "8", replacement=swap)
    # 10 t on the old meter, 8 t on the new one
    assert r.delta == Decimal(18)
    assert r.consumption == Decimal(18)


def test_replacement_with_a_multiplier_multiplies_the_sum() -> None:
    swap = MeterReplacement("1005", "2", pendulum.date(2026, 11, 20))
    r = MeterReading("E-0301", "power", "1000", "5", NOV_30, multiplier="10", replacement=swap)
    assert r.consumption == Decimal(80)


def test_replacement_new_meter_starting_above_zero() -> None:
    swap = MeterReplacement("130", "3.5", pendulum.date(2026, 11, 20))
    assert reading("120", "11.5", replacement=swap).consumption == Decimal(18)


@pytest.mark.parametrize(
    ("previous", "old_final", "new_initial", "current"),
    [
        ("120", "119", "0", "8"),  # the old meter ran backwards
        ("120", "130", "10", "8"),  # the new meter ran backwards
    ],
)
def test_replacement_whose_own_readings_go_down_is_refused(
    previous: str, old_final: str, new_initial: str, current: str
) -> None:
    swap = MeterReplacement(old_final, new_initial, pendulum.date(2026, 11, 20))
    with pytest.raises(InvalidMeterReading, match="replaced on 2026-11-20"):
        reading(previous, current, replacement=swap)


def test_replacement_refuses_negative_readings() -> None:
    with pytest.raises(InvalidQuantity):
        MeterReplacement("-1", "0", pendulum.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("previous", "old_final", "new_initial", "current", "consumption"),
    [
        # the old meter was swapped the day after its last reading: it ran nothing
        ("120", "120", "0", "8", "8"),
        # the new meter was read the day it went in: it has run nothing yet
        ("120", "130", "5", "5", "10"),
    ],
)
def test_a_meter_that_ran_nothing_on_either_side_of_a_replacement_is_accepted(
    previous: str, old_final: str, new_initial: str, current: str, consumption: str
) -> None:
    swap = MeterReplacement(old_final, new_initial, pendulum.date(2026, 11, 20))
    assert reading(previous, current, replacement=swap).consumption == Decimal(consumption)


@pytest.mark.parametrize(
    ("make", "error", "field", "message"),
    [
        (
            lambda: MeterReading(" ", "water", "0", "1", NOV_30),
            InvalidQuantity,
            "meter_id",
            (
                "meter id ' ' must be a non-empty str without spaces, at most 64 characters, "
                "e.g. 'W-0301'."
            ),
        ),
        (
            lambda: MeterReading("W-0301", "", "0", "1", NOV_30),
            InvalidQuantity,
            "kind",
            (
                "meter kind '' must be a non-empty str without spaces, at most 64 characters, "
                "e.g. 'water'."
            ),
        ),
        (
            lambda: MeterReading("W-0301", "water", "-1", "1", NOV_30),
            InvalidQuantity,
            "meter reading",
            "meter reading '-1' is negative; it must be 0 or more.",
        ),
        (
            lambda: MeterReading("W-0301", "water", "0", "1", NOV_30, multiplier="-2"),
            InvalidQuantity,
            "meter multiplier",
            "meter multiplier '-2' is negative; it must be 0 or more.",
        ),
        (
            lambda: MeterReading("W-0301", "water", "0", "1", NOV_30, replacement="yes"),
            InvalidType,
            "replacement",
            "replacement 'yes' is not a MeterReplacement; pass one, or None.",
        ),
        (
            lambda: MeterReading("W-0301", "water", "0", "1", "2026-11-30"),
            NotADate,
            "read_on",
            (
                "read_on: expected a date, got str '2026-11-30'; pass datetime.date or "
                "pendulum.Date, e.g. pendulum.date(2026, 2, 28)."
            ),
        ),
        (
            lambda: MeterReplacement("130", "-1", pendulum.date(2026, 11, 20)),
            InvalidQuantity,
            "meter reading",
            "meter reading '-1' is negative; it must be 0 or more.",
        ),
        (
            lambda: MeterReplacement("130", "0", "2026-11-20"),
            NotADate,
            "replaced_on",
            (
                "replaced_on: expected a date, got str '2026-11-20'; pass datetime.date or "
                "pendulum.Date, e.g. pendulum.date(2026, 2, 28)."
            ),
        ),
        (
            lambda: Tier("-5", Money("3.45")),
            InvalidQuantity,
            "tier bound",
            "tier bound '-5' is negative; it must be 0 or more.",
        ),
        (
            lambda: Tier("15", Money("-3.45")),
            InvalidQuantity,
            "unit_price",
            "tier unit price Money('-3.45', 'CNY') is negative; prices are 0 or more.",
        ),
        (
            lambda: water_tiers().price("-1"),
            InvalidQuantity,
            "consumption",
            "consumption '-1' is negative; it must be 0 or more.",
        ),
    ],
    ids=[
        "meter id",
        "kind",
        "reading",
        "multiplier",
        "replacement",
        "read on",
        "new initial",
        "replaced on",
        "tier bound",
        "tier price",
        "consumption",
    ],
)
def test_each_bad_value_is_refused_by_name(
    make: Callable[[], object], error: type[PropcrmError], field: str, message: str
) -> None:
    with pytest.raises(error) as refused:
        make()
    assert str(refused.value) == message
    assert refused.value.field == field


# -- tier tables ----------------------------------------------------------------------------


def test_flat_price_is_one_open_tier() -> None:
    flat = TieredPrice.flat(Money("6.20"))
    assert flat.tiers == (Tier(None, Money("6.20")),)
    amount, uses = flat.price(Decimal("12.5"))
    assert amount == Money("77.5")
    assert len(uses) == 1


@pytest.mark.parametrize(
    ("tiers", "match"),
    [
        ((), "at least one tier"),
        ((Tier("15", Money("3.45")),), "last tier must be open"),
        (
            (Tier("15", Money("3.45")), Tier("25", Money("4.83"))),
            "last tier must be open",
        ),
        (
            (Tier(None, Money("3.45")), Tier(None, Money("4.83"))),
            "only the last tier may be open",
        ),
        (
            (Tier("25", Money("3.45")), Tier("15", Money("4.83")), Tier(None, Money("5.83"))),
            "rise strictly",
        ),
        (
            (Tier("15", Money("3.45")), Tier("15", Money("4.83")), Tier(None, Money("5.83"))),
            "rise strictly",
        ),
        ((Tier("0", Money("3.45")), Tier(None, Money("4.83"))), "rise strictly above 0"),
    ],
)
def test_malformed_tier_tables_are_refused(tiers: tuple[Tier, ...], match: str) -> None:
    with pytest.raises(InvalidQuantity, match=match):
        TieredPrice(tiers)


def test_tiers_in_mixed_currencies_are_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="one currency"):
        TieredPrice((Tier("15", Money("3.45")), Tier(None, Money("4.83", "USD"))))


def test_negative_tier_bound_is_refused() -> None:
    with pytest.raises(InvalidQuantity):
        Tier("-5", Money("3.45"))


def test_a_free_first_tier_below_one_unit_is_accepted() -> None:
    # Bounds need only rise above 0: the first half ton free, the rest at 3.45.
    lifeline = TieredPrice((Tier("0.5", Money("0.00")), Tier(None, Money("3.45"))))
    total, uses = lifeline.price(Decimal(2))
    assert total == Money("5.175")
    assert [(u.quantity, u.amount) for u in uses] == [
        (Decimal("0.5"), Money("0.00")),
        (Decimal("1.5"), Money("5.175")),
    ]


def test_tier_price_is_taken_as_money_takes_it() -> None:
    assert Tier("15", Decimal("3.45")).unit_price == Money("3.45")
    with pytest.raises(InvalidAmount, match="float"):
        Tier("15", 3.45)


# -- tiered pricing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consumption", "amount", "quantities"),
    [
        ("0", "0", []),
        ("10", "34.50", ["10"]),
        ("15", "51.75", ["15"]),  # exactly on the first bound: one tier only
        ("15.5", "54.165", ["15", "0.5"]),
        ("18", "66.24", ["15", "3"]),
        ("25", "100.05", ["15", "10"]),  # exactly on the second bound
        ("30", "129.20", ["15", "10", "5"]),
        ("100", "537.30", ["15", "10", "75"]),
    ],
)
def test_tiers_split_consumption_exactly(
    consumption: str, amount: str, quantities: list[str]
) -> None:
    total, uses = water_tiers().price(Decimal(consumption))
    assert total == Money(amount)
    assert [u.quantity for u in uses] == [Decimal(q) for q in quantities]


def test_tier_uses_record_bounds_prices_and_unrounded_amounts() -> None:
    _, uses = water_tiers().price(Decimal(30))
    assert uses == (
        TierUse(Decimal(0), Decimal(15), Decimal(15), Money("3.45"), Money("51.75")),
        TierUse(Decimal(15), Decimal(25), Decimal(10), Money("4.83"), Money("48.30")),
        TierUse(Decimal(25), None, Decimal(5), Money("5.83"), Money("29.15")),
    )


def test_tiered_amount_is_left_unrounded() -> None:
    total, _ = water_tiers().price(Decimal("15.5"))
    assert total.amount == Decimal("54.165")
    assert not total.is_rounded


def test_tiered_price_keeps_its_currency() -> None:
    usd = TieredPrice((Tier("10", Money("1.00", "USD")), Tier(None, Money("2.00", "USD"))))
    total, uses = usd.price(Decimal(12))
    assert total == Money("14.00", "USD")
    # each tier's share too: 10 at 1.00 and 2 at 2.00, in dollars
    assert [u.amount for u in uses] == [Money("10.00", "USD"), Money("4.00", "USD")]


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ("15", "tiers must be a list or tuple of Tier, got str '15'."),
        ((Tier(None, Money("3.45")), "4.83"), "tiers holds str '4.83'; each item must be a Tier."),
    ],
)
def test_a_tier_table_that_is_not_a_list_of_tiers_is_refused_by_name(
    tiers: object, message: str
) -> None:
    with pytest.raises(InvalidType) as refused:
        TieredPrice(tiers)  # type: ignore[arg-type]
    assert str(refused.value) == message
    assert refused.value.field == "tiers"


def test_zero_consumption_costs_zero_and_uses_no_tier() -> None:
    total, uses = water_tiers().price(Decimal(0))
    assert total.is_zero
    assert uses == ()


@given(
    consumption=st.decimals(min_value=0, max_value=10_000, places=3),
)
def test_tier_quantities_sum_to_the_consumption(consumption: Decimal) -> None:
    total, uses = water_tiers().price(consumption)
    assert sum((u.quantity for u in uses), Decimal(0)) == consumption
    assert Money.total(u.amount for u in uses) == total
    assert all(u.quantity > 0 for u in uses)


@given(
    a=st.decimals(min_value=0, max_value=500, places=2),
    b=st.decimals(min_value=0, max_value=500, places=2),
)
def test_tiered_price_is_monotone_and_progressive(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    tiers = water_tiers()
    price_low, _ = tiers.price(low)
    price_high, _ = tiers.price(high)
    assert price_low <= price_high
    # every extra tonne costs at least the first tier's price and at most the last tier's
    extra = price_high - price_low
    assert Money("3.45") * (high - low) <= extra <= Money("5.83") * (high - low)


# -- readings on a notice -------------------------------------------------------------------


def test_metered_line_on_a_notice_bills_consumption_by_tiers() -> None:
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        usage=UnitUsage(readings=[water_reading("120", "138")]),
    )
    water = next(line for line in notice.lines if line.code == "WATER")
    assert water.amount == Money("66.24")
    assert water.quantity == Decimal(18)
    assert (water.unit_label(), water.unit_label("en_US")) == ("吨", "t")
    assert water.unit_price is None  # tiered: see the tiers
    assert [u.quantity for u in water.explanation.tiers] == [Decimal(15), Decimal(3)]
    assert water.explanation.reading == water_reading("120", "138")
    assert (
        water.explanation.formula("en_US") == "(current − previous) × multiplier, priced by tiers"
    )


def test_metered_line_with_a_replaced_meter_bills_the_summed_consumption() -> None:
    swap = MeterReplacement("130", "0", pendulum.date(2026, 11, 20))
    r = MeterReading("W-0301", "water", "120", "20", NOV_30, replacement=swap)
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        usage=UnitUsage(readings=[r]),
    )
    water = next(line for line in notice.lines if line.code == "WATER")
    # 10 t + 20 t = 30 t: 15 × 3.45 + 10 × 4.83 + 5 × 5.83
    assert water.quantity == Decimal(30)
    assert water.amount == Money("129.20")


def test_metered_amount_is_rounded_half_up_to_the_fen() -> None:
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        usage=UnitUsage(readings=[water_reading("120", "135.5")]),
    )
    water = next(line for line in notice.lines if line.code == "WATER")
    assert water.explanation.unrounded == Money("54.165")
    assert water.amount == Money("54.17")


def test_a_reading_whose_kind_has_no_metered_rule_is_refused() -> None:
    gas = MeterReading("G-0301", "gas", "10", "25", NOV_30)
    with pytest.raises(InvalidQuantity, match=r"'gas'.*no metered charge"):
        issue_statement(
            community=COMMUNITY,
            unit=apartment(),
            period=BillingPeriod.month(2026, 11),
            tariff=sample_tariff(),
            usage=UnitUsage(readings=[gas]),
        )


def test_two_meters_of_one_kind_give_two_lines() -> None:
    kitchen = water_reading("120", "130", meter_id="W-0301-A")
    bathroom = water_reading("50", "58", meter_id="W-0301-B")
    notice = issue_statement(
        community=COMMUNITY,
        unit=apartment(),
        period=BillingPeriod.month(2026, 11),
        tariff=sample_tariff(),
        usage=UnitUsage(readings=[kitchen, bathroom]),
    )
    water = [line for line in notice.lines if line.code == "WATER"]
    assert [line.amount for line in water] == [Money("34.50"), Money("27.60")]
