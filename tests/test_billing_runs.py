"""Tests for billing._billing_runs: billing a portfolio, unit by unit."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.billing_fixtures import (
    COMMUNITY,
    apartment,
    parking_space,
    rise_tariff,
    sample_price_lists,
    sample_tariff,
    sample_version,
    shop,
    water_reading,
)

from propcrm._trusted import rebuilt_validated
from propcrm.billing import (
    DEFAULT_POLICY,
    AreaCharge,
    BillableSpan,
    BillingPolicy,
    BillingRun,
    ChargeRule,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    PriceItem,
    PriceList,
    PriceLists,
    PropertyType,
    SpecialServiceCharge,
    SpecialServiceOrder,
    Statement,
    Tariff,
    TieredPrice,
    UnitProfile,
    UnitUsage,
    issue_statement,
)
from propcrm.errors import (
    CurrencyMismatch,
    InvalidQuantity,
    NoTariffInForce,
    NotBillable,
    UnknownPriceListVersion,
    UnsupportedCurrency,
)
from propcrm.money import Money
from propcrm.testing.strategies import statements
from propcrm.time import BillingPeriod

NOV = BillingPeriod.month(2026, 11)


def portfolio() -> list[tuple[UnitProfile, UnitUsage]]:
    return [
        (apartment(), UnitUsage(parking_spaces=1, readings=[water_reading("120", "138")])),
        (apartment("1-2-0302", "120.05", None), UnitUsage(readings=[water_reading("0", "31")])),
        (apartment("1-2-0303", "64.80", "52.00"), UnitUsage(parking_spaces=2)),
        (shop(), UnitUsage(readings=[water_reading("500", "512.5", meter_id="W-S101")])),
        (parking_space(), UnitUsage()),
        (
            apartment("3-1-1201", "143.20"),
            UnitUsage(
                orders=[SpecialServiceOrder("SO-9", "AC-CLEAN", "3", pendulum.date(2026, 11, 20))]
            ),
        ),
    ]


def run(**kwargs: object) -> BillingRun:
    options: dict[str, object] = {
        "community": COMMUNITY,
        "period": NOV,
        "tariff": sample_tariff(),
        "price_lists": sample_price_lists(),
    }
    options.update(kwargs)
    return BillingRun(**options)  # type: ignore[arg-type]


# -- the run --------------------------------------------------------------------------------


def test_run_works_out_the_period_dates_once() -> None:
    r = run()
    assert r.issued_on == pendulum.date(2026, 11, 30)
    assert r.due.due_on == pendulum.date(2026, 12, 10)
    assert r.policy is DEFAULT_POLICY


def test_bill_all_gives_the_same_as_issue_statement_per_unit() -> None:
    statements = list(run().bill_all(portfolio()))
    singles = [
        issue_statement(
            community=COMMUNITY,
            unit=unit,
            period=NOV,
            tariff=sample_tariff(),
            usage=usage,
            price_lists=sample_price_lists(),
        )
        for unit, usage in portfolio()
    ]
    assert statements == singles
    assert [s.number for s in statements] == [
        "SUNRISE/2026-11/1-2-0301",
        "SUNRISE/2026-11/1-2-0302",
        "SUNRISE/2026-11/1-2-0303",
        "SUNRISE/2026-11/S-101",
        "SUNRISE/2026-11/P-B1-023",
        "SUNRISE/2026-11/3-1-1201",
    ]
    assert [str(s.total.amount) for s in statements] == [
        "466.48",  # 250.24 + 150.00 + 66.24
        "471.17",  # 336.14 + 135.03 (31 t: 51.75 + 48.30 + 34.98)
        "481.44",  # 181.44 + 300.00
        "887.50",  # 780.00 + 30.00 + 77.50
        "60.00",
        "670.96",  # 400.96 + 3 × 90.00 (the 2026B list is in force on 20 Nov)
    ]


def test_bill_all_is_lazy_and_bills_in_order() -> None:
    billed = run().bill_all(iter(portfolio()))
    assert isinstance(billed, Iterator)
    assert next(billed).unit_id == "1-2-0301"
    assert next(billed).unit_id == "1-2-0302"


def test_bill_all_over_a_tariff_change_matches_single_notices() -> None:
    july = BillingPeriod.month(2026, 7)
    units = [(apartment(), UnitUsage(parking_spaces=1)), (shop(), UnitUsage())]
    statements = list(run(period=july, tariff=rise_tariff()).bill_all(units))
    singles = [
        issue_statement(community=COMMUNITY, unit=u, period=july, tariff=rise_tariff(), usage=g)
        for u, g in units
    ]
    assert statements == singles
    assert all(s.tariff_versions == ("2025", "2026-07") for s in statements)


def test_bill_one_unit_with_a_span_and_a_party() -> None:
    notice = run().bill(
        apartment(), UnitUsage(), BillableSpan(start=pendulum.date(2026, 11, 16)), "李娜"
    )
    assert notice.total == Money("125.12")
    assert notice.billed_party == "李娜"


def test_any_billable_unit_can_be_billed() -> None:
    @attrs.frozen
    class Flat:
        unit_id: str
        property_type: PropertyType
        building_area: Decimal
        inner_area: Decimal | None
        owner: str

    flat = Flat("1-2-0301", PropertyType.RESIDENTIAL, Decimal("89.37"), None, "王芳")
    assert run().bill(flat).total == Money("250.24")


# -- refusals before any unit is billed -----------------------------------------------------


def test_bad_community_code_fails_when_the_run_is_made() -> None:
    with pytest.raises(InvalidQuantity, match="community code"):
        run(community="SUN RISE")


def test_period_without_a_tariff_fails_when_the_run_is_made() -> None:
    with pytest.raises(NoTariffInForce):
        run(period=BillingPeriod.month(2025, 12))


# -- usage dated outside the period ---------------------------------------------------------


def test_late_reading_is_priced_by_the_version_in_force_when_it_was_read() -> None:
    august = BillingPeriod.month(2026, 8)
    late = water_reading(read_on=pendulum.date(2026, 7, 10))
    notice = run(period=august, tariff=rise_tariff()).bill(apartment(), UnitUsage(readings=[late]))
    water = next(line for line in notice.lines if line.code == "WATER")
    assert water.explanation.tariff_version == "2025"


def test_reading_before_any_tariff_version_is_refused() -> None:
    early = water_reading(read_on=pendulum.date(2025, 12, 31))
    with pytest.raises(NoTariffInForce):
        run().bill(apartment(), UnitUsage(readings=[early]))


# -- currencies -----------------------------------------------------------------------------


def usd_tariff() -> Tariff:
    base = sample_version()
    usd = attrs.evolve(
        base,
        charges={
            PropertyType.RESIDENTIAL: (
                AreaCharge("MGMT", "management", Money("0.40", "USD")),
                MeteredCharge("WATER", "water", "water", TieredPrice.flat(Money("0.50", "USD"))),
            )
        },
    )
    return sample_tariff(usd)


def test_a_community_may_bill_in_another_currency() -> None:
    notice = run(tariff=usd_tariff(), policy=BillingPolicy(currency="USD")).bill(
        apartment(), UnitUsage(readings=[water_reading("120", "138")])
    )
    assert notice.currency == "USD"
    assert notice.total == Money("44.75", "USD")  # 35.748 → 35.75, plus 9.00
    with pytest.raises(UnsupportedCurrency):
        notice.total_in_words()


def test_periodic_rule_in_another_currency_than_the_policy_is_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="MGMT is priced in USD"):
        run(tariff=usd_tariff()).bill(apartment())


def test_metered_rule_in_another_currency_than_the_policy_is_refused() -> None:
    tariff = sample_tariff(
        attrs.evolve(
            sample_version(),
            charges={
                PropertyType.RESIDENTIAL: (
                    MeteredCharge(
                        "WATER", "water", "water", TieredPrice.flat(Money("0.50", "USD"))
                    ),
                )
            },
        )
    )
    # 18 t at US$0.50 must not become a ¥9.00 line
    with pytest.raises(CurrencyMismatch):
        run(tariff=tariff).bill(apartment(), UnitUsage(readings=[water_reading("120", "138")]))


def test_price_list_in_another_currency_than_the_policy_is_refused() -> None:
    usd_list = PriceLists(
        (
            PriceList(
                "USD-2026",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=(PriceItem("PIPE", "pipe", Money("7.00", "USD")),),
            ),
        )
    )
    order = SpecialServiceOrder("SO-1", "PIPE", "1", pendulum.date(2026, 11, 3))
    # US$7.00 must not become a ¥7.00 line
    with pytest.raises(CurrencyMismatch):
        run(price_lists=usd_list).bill(apartment(), UnitUsage(orders=[order]))


# -- properties -----------------------------------------------------------------------------


@given(
    areas=st.lists(st.decimals(min_value="1", max_value="500", places=2), min_size=1, max_size=8),
    spaces=st.integers(min_value=0, max_value=2),
)
def test_run_and_single_notices_agree_on_any_portfolio(areas: list[Decimal], spaces: int) -> None:
    units = [
        (apartment(f"1-1-{i:04d}", str(area)), UnitUsage(parking_spaces=spaces))
        for i, area in enumerate(areas)
    ]
    batch = list(run().bill_all(units))
    for (unit, usage), statement in zip(units, batch, strict=True):
        assert statement == issue_statement(
            community=COMMUNITY, unit=unit, period=NOV, tariff=sample_tariff(), usage=usage
        )


@given(statement=statements())
def test_a_run_only_issues_notices_that_pass_the_statements_own_checks(
    statement: Statement,
) -> None:
    # BillingRun builds notices with propcrm._trusted.slot_constructor, skipping Statement's
    # validation; rebuilding one through the validating constructor must accept it unchanged.
    assert rebuilt_validated(statement) == statement
    assert statement.total.is_rounded
    # Its lines, their explanations and prorations come from propcrm._trusted.slot_constructor:
    # each must pass its own constructor's checks unchanged too.
    for line in statement.lines:
        assert rebuilt_validated(line) == line
        assert rebuilt_validated(line.explanation) == line.explanation
        if line.explanation.proration is not None:
            assert rebuilt_validated(line.explanation.proration) == line.explanation.proration


# -- special-service orders naming a price-list version -------------------------------------


def quoted_order(day: pendulum.Date, version: str | None, order_id: str = "SO-9") -> UnitUsage:
    return UnitUsage(
        orders=[SpecialServiceOrder(order_id, "AC-CLEAN", "2", day, price_list_version=version)]
    )


def test_run_prices_an_order_from_the_version_it_names() -> None:
    notice = run().bill(apartment(), quoted_order(pendulum.date(2026, 11, 20), "2026A"))
    (line,) = (line for line in notice.lines if line.explanation.order is not None)
    assert (line.amount, line.explanation.price_list_version) == (Money("160.00"), "2026A")
    assert line.explanation.tariff_version == "2026"
    assert notice.total == Money("250.24") + Money("160.00")


def test_run_refuses_an_order_naming_a_version_it_does_not_have() -> None:
    with pytest.raises(UnknownPriceListVersion, match="2026A, 2026B"):
        run().bill(apartment(), quoted_order(pendulum.date(2026, 11, 20), "2027A"))


def test_a_named_version_changes_nothing_but_the_service_lines_list() -> None:
    unit = apartment()
    usage = UnitUsage(parking_spaces=1, readings=[water_reading("120", "138")])
    day = pendulum.date(2026, 11, 20)
    plain = run().bill(unit, attrs.evolve(usage, orders=quoted_order(day, None).orders))
    named = run().bill(unit, attrs.evolve(usage, orders=quoted_order(day, "2026A").orders))
    assert plain.lines[:-1] == named.lines[:-1]  # the periodic and metered lines
    assert (plain.lines[-1].amount, named.lines[-1].amount) == (Money("180.00"), Money("160.00"))
    assert plain.lines[-1].name == named.lines[-1].name == "特约服务：空调清洗"


def test_bill_all_prices_named_orders_as_single_notices_do() -> None:
    units = [
        (apartment("1-1-0101"), quoted_order(pendulum.date(2026, 11, 3), "2026A", "SO-1")),
        (apartment("1-1-0102"), quoted_order(pendulum.date(2026, 11, 20), "2026A", "SO-2")),
        (apartment("1-1-0103"), quoted_order(pendulum.date(2026, 11, 20), None, "SO-3")),
    ]
    batch = list(run().bill_all(units))
    assert [s.total - s.lines[0].amount for s in batch] == [
        Money("160.00"),
        Money("160.00"),
        Money("180.00"),
    ]
    for (unit, usage), statement in zip(units, batch, strict=True):
        assert statement == issue_statement(
            community=COMMUNITY,
            unit=unit,
            period=NOV,
            tariff=sample_tariff(),
            usage=usage,
            price_lists=sample_price_lists(),
        )


@settings(max_examples=40)
@given(day=st.integers(min_value=1, max_value=30).map(lambda d: pendulum.date(2026, 11, d)))
def test_naming_the_version_in_force_bills_exactly_what_the_performed_date_would(
    day: pendulum.Date,
) -> None:
    in_force = sample_price_lists().in_force(day).version
    plain = run().bill(apartment(), quoted_order(day, None))
    named = run().bill(apartment(), quoted_order(day, in_force))
    assert [(line.amount, line.explanation.price_list_version) for line in named.lines] == [
        (line.amount, line.explanation.price_list_version) for line in plain.lines
    ]


# -- empty notices: a charge with nothing to price ------------------------------------------


def only(ptype: PropertyType, *rules: ChargeRule) -> Tariff:
    """A tariff whose one 2026 version prices ``ptype`` units with ``rules`` alone."""
    return sample_tariff(attrs.evolve(sample_version(), charges={ptype: rules}))


PARK_ONLY = ParkingCharge("PARK", "车位管理费", Money("150.00"))
SPACE = UnitProfile("P-B1-023", PropertyType.PARKING)


@pytest.mark.parametrize(
    "span",
    [BillableSpan(), BillableSpan(start=pendulum.date(2026, 11, 16))],
    ids=["whole-period", "prorated"],
)
def test_a_parking_charge_with_no_spaces_refuses_the_notice(span: BillableSpan) -> None:
    """A parking unit priced per space, with no space in its usage, gets no ¥0.00 notice."""
    expected = (
        r"unit P-B1-023 \(parking\) would get an empty notice for period 2026-11: "
        r"PARK \(车位管理费\) prices parking spaces, and its usage holds none"
    )
    with pytest.raises(NotBillable, match=expected):
        issue_statement(
            community=COMMUNITY,
            unit=SPACE,
            period=NOV,
            tariff=only(PropertyType.PARKING, PARK_ONLY),
            span=span,
        )
    with pytest.raises(NotBillable, match=expected):
        list(run(tariff=only(PropertyType.PARKING, PARK_ONLY)).bill_all([(SPACE, UnitUsage())]))


def test_a_parking_charge_with_a_space_bills_it() -> None:
    """The same unit with its space in the usage gets its 150.00 line."""
    notice = run(tariff=only(PropertyType.PARKING, PARK_ONLY)).bill(
        SPACE, UnitUsage(parking_spaces=1)
    )
    assert (notice.total, [line.code for line in notice.lines]) == (Money("150.00"), ["PARK"])


def test_a_metered_charge_with_no_reading_refuses_the_notice() -> None:
    """A unit priced only by its water meter, with no reading, would get an empty notice."""
    water = MeteredCharge("WATER", "水费", "water", TieredPrice.flat(Money("3.45")))
    with pytest.raises(NotBillable, match=r"WATER \(水费\) prices water meter readings"):
        run(tariff=only(PropertyType.STORAGE, water)).bill(
            UnitProfile("B-07", PropertyType.STORAGE)
        )


def test_a_reading_of_nothing_is_a_legitimate_zero_line() -> None:
    """A meter read with no consumption is billed: a ¥0.00 line that says so."""
    water = MeteredCharge("WATER", "水费", "water", TieredPrice.flat(Money("3.45")))
    notice = run(tariff=only(PropertyType.STORAGE, water)).bill(
        UnitProfile("B-07", PropertyType.STORAGE), UnitUsage(readings=[water_reading("120", "120")])
    )
    assert [(line.code, line.quantity, line.amount) for line in notice.lines] == [
        ("WATER", Decimal(0), Money("0.00"))
    ]


def test_a_special_service_rule_with_no_order_refuses_the_notice() -> None:
    """A type priced only by special services has nothing to bill without an order."""
    rule = SpecialServiceCharge("SVC", "特约服务")
    with pytest.raises(NotBillable, match=r"SVC \(特约服务\) prices special-service orders"):
        run(tariff=only(PropertyType.STORAGE, rule)).bill(UnitProfile("B-07", PropertyType.STORAGE))


def test_a_zero_priced_fixed_charge_is_a_legitimate_zero_line() -> None:
    """A fixed charge priced at ¥0.00 is a line the tariff means, so the notice stands."""
    free = FixedCharge("PARK-MGMT", "车位管理费", Money("0.00"))
    notice = run(tariff=only(PropertyType.PARKING, free)).bill(SPACE)
    assert [(line.code, line.amount) for line in notice.lines] == [("PARK-MGMT", Money("0.00"))]


def test_billable_days_before_the_type_is_priced_refuse_the_notice() -> None:
    """Storage priced only from 16 November: a unit billable until then has nothing to pay."""
    tariff = sample_tariff(
        sample_version("2026"),
        attrs.evolve(
            sample_version("2026-11", effective_from=pendulum.date(2026, 11, 16)),
            charges={PropertyType.STORAGE: (FixedCharge("STORE", "储藏室管理费", Money("20.00")),)},
        ),
    )
    unit = UnitProfile("B-07", PropertyType.STORAGE)
    with pytest.raises(NotBillable, match="prices nothing for storage units on its billable days"):
        run(tariff=tariff).bill(unit, span=BillableSpan(until=pendulum.date(2026, 11, 10)))
    later = run(tariff=tariff).bill(unit, span=BillableSpan(start=pendulum.date(2026, 11, 20)))
    assert [line.code for line in later.lines] == ["STORE"]
