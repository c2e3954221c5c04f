"""Tests for testing.strategies: the hypothesis strategies other projects test with."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Any

import pendulum
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from propcrm.affairs import DecorationAffair, GoodsRelease, MoveIn, MoveInPolicy, OwnerConsent
from propcrm.analytics import ComplaintRecord, SurveyResponse, SurveyRound
from propcrm.assembly import AssemblyPolicy, BallotBox, Meeting
from propcrm.billing import (
    AreaBasis,
    AreaCharge,
    BillingCyclePolicy,
    BillingPolicy,
    ChargeKind,
    Concession,
    ConcessionLine,
    FixedCharge,
    LateFeePolicy,
    MeteredCharge,
    MeterReading,
    ParkingCharge,
    PropertyType,
    SpecialServiceCharge,
    Statement,
    Tariff,
    TariffPolicy,
    TariffVersion,
    TieredPrice,
    UnitProfile,
    UnitUsage,
    statement_number,
)
from propcrm.classification import Priority, RequestFacts, RuleSet
from propcrm.complaints import (
    Actor,
    Intake,
    LifecyclePolicy,
    Quote,
    Request,
)
from propcrm.contacts import Contact, ContactLog, PhoneBook
from propcrm.money import (
    CNY,
    Money,
    Rate,
    RateBasis,
)
from propcrm.notices import ActivityRoster, DeliveryLog, Notice
from propcrm.parking import Application, Lease, ParkingPolicy, ParkingSpace, WaitingList
from propcrm.parties import (
    Organisation,
    PartyBook,
    Person,
)
from propcrm.parties import Unit as PartyUnit
from propcrm.personal_data import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.prospects import Lead
from propcrm.questionnaires import Questionnaire, Survey
from propcrm.receivables import (
    Account,
    PrepaidBalance,
    PrepaidMovement,
    Receipt,
)
from propcrm.schedules import Appointment, Schedule, Task
from propcrm.segmentation import SegmentSubject
from propcrm.sla import BusinessCalendar, WeeklyHours
from propcrm.solutions import SolutionBase, SolutionEntry
from propcrm.testing import _registry, strategies
from propcrm.testing.strategies import (
    billing_periods,
    charge_rules,
    meter_readings,
    moneys,
    rates,
    statements,
    tariff_versions,
    tariffs,
    tiered_prices,
    unit_profiles,
    unit_usages,
)
from propcrm.time import BillingPeriod, PeriodKind

# Modest example counts keep the file fast; no example database, so nothing is written to disk.
few = settings(max_examples=25, database=None, deadline=None)
# find() with the default phases ends in the "explain" phase, which re-runs varied examples and
# (since every example satisfies ``lambda x: True``) returns the last of them, not the minimum.
minimal = settings(database=None, phases=[Phase.generate, Phase.shrink])
no_db = settings(database=None)


def simplest(strategy: st.SearchStrategy[Any]) -> Any:
    return find(strategy, lambda _: True, settings=minimal)


# -- money and rates ------------------------------------------------------------------------


@few
@given(moneys(min_value=Money("-50.00"), max_value=Money("120.00")))
def test_moneys_stay_within_bounds(m: Money) -> None:
    assert m.currency == CNY
    assert Money("-50.00") <= m <= Money("120.00")
    assert m.is_rounded
    assert m.amount.as_tuple().exponent == -2


@few
@given(moneys(max_value=Money("1", "JPY")))
def test_moneys_take_currency_from_bounds(m: Money) -> None:
    assert m.currency == "JPY"
    assert Money.zero("JPY") <= m <= Money("1", "JPY")
    assert m.is_rounded


@few
@given(moneys(currency="USD", rounded=False, max_value=Money("0.01", "USD")))
def test_unrounded_moneys_have_four_more_places(m: Money) -> None:
    assert m.currency == "USD"
    assert m.amount.as_tuple().exponent == -6
    assert Money.zero("USD") <= m <= Money("0.01", "USD")


def test_moneys_ignore_the_ambient_decimal_context() -> None:
    low, high = Money("123456789012.34"), Money("123456789012.99")
    with localcontext() as ctx:
        ctx.prec = 4
        strategy = moneys(min_value=low, max_value=high)

        @few
        @given(strategy)
        def check(m: Money) -> None:
            assert low <= m <= high
            assert len(m.amount.as_tuple().digits) == 14

        check()


def test_moneys_shrink_to_zero() -> None:
    assert find(moneys(), lambda m: True, settings=no_db) == Money("0.00")
    assert simplest(moneys(min_value=Money("-9.99"))) == Money("0.00")


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(Money("5.005"), Money("9.00"), "5.01"), (Money("-9.00"), Money("-3.50"), "-3.50")],
)
def test_moneys_shrink_to_the_bound_nearest_zero(low: Money, high: Money, expected: str) -> None:
    assert simplest(moneys(min_value=low, max_value=high)) == Money(expected)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_value": Money("2.00"), "max_value": Money("1.00")},
        {"min_value": Money("1.001"), "max_value": Money("1.009")},
        {"max_value": Money("1.00", "USD"), "currency": CNY},
        {"min_value": Money("1.00", "USD"), "max_value": Money("2.00")},
    ],
)
def test_moneys_refuse_impossible_bounds(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"moneys|bounds"):
        moneys(**kwargs)


@few
@given(rates(min_value="0.001", max_value=Decimal("0.005"), per=RateBasis.DAY, places=4))
def test_rates_take_str_and_decimal_bounds(rate: Rate) -> None:
    assert rate.per is RateBasis.DAY
    assert Decimal("0.001") <= rate.value <= Decimal("0.005")
    assert rate.value.as_tuple().exponent == -4


def test_rates_shrink_to_zero_per_day() -> None:
    assert simplest(rates()) == Rate("0", RateBasis.DAY)
    assert simplest(rates(min_value=1, max_value=2)) == Rate("1", RateBasis.DAY)


@pytest.mark.parametrize(
    "kwargs", [{"min_value": "-0.01"}, {"min_value": "0.02"}, {"max_value": "x"}, {"places": -1}]
)
def test_rates_refuse_bad_bounds(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # several messages; all say what was wrong
        rates(**kwargs)


# -- periods --------------------------------------------------------------------------------


@few
@given(billing_periods(kinds=tuple(PeriodKind), min_year=2020, max_year=2030))
def test_billing_periods_start_on_an_aligned_first(period: BillingPeriod) -> None:
    assert period.start.day == 1
    assert (period.start.month - 1) % period.kind.months == 0
    assert 2020 <= period.start.year <= 2030
    assert BillingPeriod.containing(period.start, period.kind) == period


def test_billing_periods_shrink_to_january_of_min_year() -> None:
    assert find(billing_periods(), lambda p: True, settings=no_db) == BillingPeriod.month(2000, 1)
    january = find(billing_periods(min_year=2026), lambda p: True, settings=no_db)
    assert january == BillingPeriod.month(2026, 1)
    quarters = billing_periods(kinds=(PeriodKind.QUARTER, PeriodKind.MONTH), min_year=2024)
    assert simplest(quarters) == BillingPeriod.quarter(2024, 1)


def test_billing_periods_reach_the_last_period_of_max_year() -> None:
    last = find(
        billing_periods(kinds=(PeriodKind.HALF_YEAR,), min_year=2025, max_year=2026),
        lambda p: p.start.year == 2026 and p.start.month == 7,
        settings=minimal,
    )
    assert last == BillingPeriod.half_year(2026, 2)


@pytest.mark.parametrize(
    "kwargs", [{"kinds": ()}, {"min_year": 2030, "max_year": 2029}, {"max_year": 9999}]
)
def test_billing_periods_refuse_bad_bounds(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"kinds|years"):
        billing_periods(**kwargs)


# -- units and usage ------------------------------------------------------------------------


@few
@given(unit_profiles(min_area="20", max_area=Decimal("150.50")))
def test_unit_profiles_have_two_place_areas_and_inner_within_building(unit: UnitProfile) -> None:
    assert Decimal(20) <= unit.building_area <= Decimal("150.50")
    assert unit.building_area.as_tuple().exponent == -2
    if unit.inner_area is not None:
        assert unit.inner_area.as_tuple().exponent == -2
        assert Decimal(0) <= unit.inner_area <= unit.building_area
    assert UnitProfile(unit.unit_id, unit.property_type, unit.building_area, unit.inner_area)


@few
@given(
    unit_profiles(property_types=[PropertyType.PARKING], inner_area=True),
    unit_profiles(inner_area=False),
)
def test_unit_profiles_respect_type_and_inner_area_choice(
    parking: UnitProfile, other: UnitProfile
) -> None:
    assert parking.property_type is PropertyType.PARKING
    assert parking.inner_area is not None
    assert other.inner_area is None


def test_unit_profiles_shrink_to_the_smallest_residential_unit() -> None:
    assert simplest(unit_profiles()) == UnitProfile(
        "1-1-0101", PropertyType.RESIDENTIAL, building_area=Decimal("1.00")
    )


@few
@given(
    meter_readings(
        kinds=["water", "power"],
        max_delta="10.5",
        places=1,
        multipliers=[1, "40"],
        replacements=True,
        read_on=pendulum.date(2026, 11, 30),
    )
)
def test_meter_readings_are_valid(reading: MeterReading) -> None:
    assert reading.kind in {"water", "power"}
    assert reading.meter_id.startswith(reading.kind.upper())
    assert reading.read_on == pendulum.date(2026, 11, 30)
    assert Decimal(0) <= reading.delta <= Decimal("10.5")
    assert reading.consumption == reading.delta * reading.multiplier
    assert reading.multiplier in {Decimal(1), Decimal(40)}
    if reading.replacement is not None:
        assert reading.replacement.replaced_on <= reading.read_on
    else:
        assert reading.current >= reading.previous


def test_meter_readings_draw_replacements_only_when_asked() -> None:
    replaced = find(
        meter_readings(replacements=True), lambda r: r.replacement is not None, settings=minimal
    )
    assert replaced.replacement is not None
    assert replaced.consumption == 0

    @few
    @given(meter_readings())
    def never_replaced(reading: MeterReading) -> None:
        assert reading.replacement is None

    never_replaced()


@few
@given(unit_usages(max_parking_spaces=3, meter_kinds=["water", "power"], max_readings=3))
def test_unit_usages_hold_distinct_meters(usage: UnitUsage) -> None:
    assert 0 <= usage.parking_spaces <= 3
    assert len(usage.readings) <= 3
    assert len({r.meter_id for r in usage.readings}) == len(usage.readings)
    assert usage.orders == ()


@few
@given(unit_usages(meter_kinds=()))
def test_unit_usages_without_meters_have_no_readings(usage: UnitUsage) -> None:
    assert usage.readings == ()


def test_unit_usages_shrink_to_nothing_used() -> None:
    assert simplest(unit_usages()) == UnitUsage()


# -- charge rules ---------------------------------------------------------------------------


@few
@given(tiered_prices(max_tiers=4, max_width=10, max_unit_price=Money("8.00")))
def test_tiered_prices_are_valid(prices: TieredPrice) -> None:
    assert TieredPrice(prices.tiers) == prices  # the validator passes again
    assert 1 <= len(prices.tiers) <= 4
    assert prices.tiers[-1].up_to is None
    assert all(Money.zero() <= t.unit_price <= Money("8.00") for t in prices.tiers)
    bounds = [t.up_to for t in prices.tiers[:-1]]
    assert bounds == sorted({b for b in bounds if b is not None})
    amount, uses = prices.price(Decimal(45))
    assert amount == Money.total(u.amount for u in uses)
    assert sum(u.quantity for u in uses) == 45


def test_tiered_prices_shrink_to_one_free_tier() -> None:
    assert simplest(tiered_prices()) == TieredPrice.flat(Money("0.00"))


@few
@given(charge_rules(max_unit_price=Money("3.50")))
def test_charge_rules_are_valid(rule: Any) -> None:
    assert rule.code
    assert " " not in rule.code
    if isinstance(rule, AreaCharge | FixedCharge | ParkingCharge):
        assert Money.zero() <= rule.unit_price <= Money("3.50")
    elif isinstance(rule, MeteredCharge):
        assert TieredPrice(rule.prices.tiers) == rule.prices
        assert all(t.unit_price <= Money("3.50") for t in rule.prices.tiers)
    else:
        assert isinstance(rule, SpecialServiceCharge)


@few
@given(
    charge_rules(
        kinds=[ChargeKind.FIXED, ChargeKind.METERED],
        max_unit_price=Money("9", "HKD"),
    )
)
def test_charge_rules_respect_kinds_and_currency(rule: Any) -> None:
    assert rule.kind in {ChargeKind.FIXED, ChargeKind.METERED}
    prices = [rule.unit_price] if isinstance(rule, FixedCharge) else rule.prices.tiers
    assert all("HKD" in repr(p) for p in prices)


def test_charge_rules_shrink_to_a_free_management_fee() -> None:
    assert simplest(charge_rules()) == AreaCharge("MGMT", "物业管理费", Money("0.00"))


# -- tariffs --------------------------------------------------------------------------------


def check_version(version: TariffVersion, min_notice_days: int) -> None:
    TariffPolicy(min_notice_days).check(version)
    assert version.announced_on.add(days=min_notice_days) <= version.effective_from
    assert version.approval.approved_on <= version.effective_from
    assert version.approval.reference.strip()
    assert set(version.charges) == set(PropertyType)
    for ptype, rules in version.charges.items():
        codes = [r.code for r in rules]
        assert len(codes) == len(set(codes))
        periodic = [r for r in rules if isinstance(r, AreaCharge | FixedCharge | ParkingCharge)]
        assert 1 <= len(periodic) <= 3
        water = [r for r in rules if isinstance(r, MeteredCharge) and r.meter_kind == "water"]
        assert len(water) == (ptype is PropertyType.RESIDENTIAL)


@few
@given(tariff_versions(effective_from=pendulum.date(2026, 7, 16), min_notice_days=45))
def test_tariff_versions_meet_the_notice_policy(version: TariffVersion) -> None:
    assert version.effective_from == pendulum.date(2026, 7, 16)
    assert version.version == "2026-07"
    check_version(version, 45)


@few
@given(tariffs(min_versions=2, max_versions=4))
def test_tariffs_are_valid_and_pass_their_policy(tariff: Tariff) -> None:
    assert 2 <= len(tariff.versions) <= 4
    starts = [v.effective_from for v in tariff.versions]
    assert starts == sorted(set(starts))
    for version in tariff.versions:
        check_version(version, tariff.policy.min_notice_days)
    rebuilt = Tariff(tariff.name, tariff.versions, tariff.policy)  # validators pass again
    assert rebuilt.in_force(starts[-1]) is tariff.versions[-1]


@few
@given(tariffs(min_notice_days=0, first_effective=st.just(pendulum.date(2030, 1, 1))))
def test_tariffs_take_the_policy_and_first_date(tariff: Tariff) -> None:
    assert tariff.policy == TariffPolicy(0)
    assert tariff.versions[0].effective_from == pendulum.date(2030, 1, 1)
    for version in tariff.versions:
        check_version(version, 0)


def test_tariffs_shrink_to_one_version_on_the_first_of_january_2000() -> None:
    tariff = simplest(tariffs())
    assert len(tariff.versions) == 1
    version = tariff.versions[0]
    assert version.effective_from == pendulum.date(2000, 1, 1)
    assert version.announced_on == pendulum.date(1999, 12, 2)  # exactly 30 days' notice
    rule = version.rules_for(PropertyType.OFFICE)
    assert rule == (AreaCharge("MGMT", "物业管理费", Money("0.00")),)


def test_tariffs_refuse_bad_counts() -> None:
    with pytest.raises(ValueError, match="max_versions"):
        tariffs(min_versions=3, max_versions=2)
    with pytest.raises(ValueError, match="min_notice_days"):
        tariffs(min_notice_days=-1)


# -- statements -----------------------------------------------------------------------------


def check_statement(statement: Statement) -> None:
    assert statement.total == Money.total((line.amount for line in statement.lines), CNY)
    assert all(line.amount.is_rounded for line in statement.lines)
    # A notice for part of the period (a move-in) adds its first day to the plain number.
    assert statement.number.startswith(
        statement_number(statement.community, statement.period, statement.unit_id)
    )
    assert statement.issued_on <= statement.due_on
    assert statement.tariff_versions
    words = statement.total_in_words()
    assert isinstance(words, str)
    assert words


@few
@given(statements())
def test_statements_are_consistent(statement: Statement) -> None:
    check_statement(statement)
    assert statement.period.kind is PeriodKind.MONTH
    assert statement.issued_on == statement.period.end


@few
@given(statements(period=billing_periods(kinds=tuple(PeriodKind), min_year=2025, max_year=2027)))
def test_statements_for_any_period_kind(statement: Statement) -> None:
    check_statement(statement)
    assert 2025 <= statement.period.start.year <= 2027


@few
@given(
    statements(
        period=BillingPeriod.month(2026, 11),
        property_types=[PropertyType.PARKING, PropertyType.STORAGE],
        spans=False,
    )
)
def test_statements_respect_a_fixed_period_and_types(statement: Statement) -> None:
    check_statement(statement)
    assert statement.period == BillingPeriod.month(2026, 11)
    assert statement.property_type in {PropertyType.PARKING, PropertyType.STORAGE}
    assert all(line.explanation.reading is None for line in statement.lines)
    assert all(line.explanation.proration is None for line in statement.lines) or (
        len(statement.tariff_versions) > 1
    )


@few
@given(statements(policy=BillingPolicy(cycle=BillingCyclePolicy.prepaid(PeriodKind.QUARTER))))
def test_statements_follow_a_given_policy(statement: Statement) -> None:
    check_statement(statement)
    assert statement.period.kind is PeriodKind.QUARTER
    assert statement.due_on == statement.period.start
    assert statement.issued_on == statement.period.start.subtract(days=15)


def test_statements_refuse_a_period_the_policy_does_not_bill() -> None:
    with pytest.raises(ValueError, match="quarter periods"):
        statements(
            period=BillingPeriod.month(2026, 11),
            policy=BillingPolicy(cycle=BillingCyclePolicy.prepaid(PeriodKind.QUARTER)),
        )


def test_statements_shrink_to_the_first_month_of_a_residential_unit() -> None:
    statement = simplest(statements())
    assert statement.period == BillingPeriod.month(2000, 1)
    assert statement.property_type is PropertyType.RESIDENTIAL
    assert statement.total == Money("0.00")
    check_statement(statement)


def test_strategies_never_read_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_clock(*_args: object, **_kwargs: object) -> Any:
        raise AssertionError("a strategy read the wall clock")

    for name in ("now", "today", "tomorrow", "yesterday"):
        monkeypatch.setattr(pendulum, name, no_clock)

    @few
    @given(statements(), tariffs(), meter_readings())
    def draw(statement: Statement, tariff: Tariff, reading: MeterReading) -> None:
        assert statement.issued_on.year <= 2100
        assert tariff.versions
        assert reading.read_on.year <= 2099

    draw()


# -- a property test as a downstream project writes one -------------------------------------


@few
@given(statements())
def test_any_statement_totals_its_lines_and_reads_in_words(statement: Statement) -> None:
    assert statement.total == sum((line.amount for line in statement.lines), Money.zero())
    assert isinstance(statement.total_in_words(), str)
    assert statement.total_in_words()


# -- st.from_type and the entry point -------------------------------------------------------

REGISTERED = [
    Money,
    Rate,
    BillingPeriod,
    UnitProfile,
    UnitUsage,
    TieredPrice,
    MeterReading,
    AreaCharge,
    FixedCharge,
    ParkingCharge,
    MeteredCharge,
    SpecialServiceCharge,
    TariffVersion,
    Tariff,
    Statement,
    Concession,
    ConcessionLine,
    LateFeePolicy,
    Receipt,
    Account,
    PrepaidBalance,
    PrepaidMovement,
    Priority,
    RequestFacts,
    RuleSet,
    BusinessCalendar,
    WeeklyHours,
    Person,
    Organisation,
    PartyUnit,
    PartyBook,
    MobileNumber,
    IdCardNumber,
    CreditCode,
    VehiclePlate,
    PersonName,
    SurveyResponse,
    SurveyRound,
    SegmentSubject,
    ComplaintRecord,
    Intake,
    Actor,
    Quote,
    LifecyclePolicy,
    Request,
    Contact,
    ContactLog,
    PhoneBook,
    Appointment,
    Schedule,
    Task,
    SolutionEntry,
    SolutionBase,
    Notice,
    DeliveryLog,
    ActivityRoster,
    ParkingSpace,
    Lease,
    Application,
    WaitingList,
    ParkingPolicy,
    AssemblyPolicy,
    Meeting,
    BallotBox,
    MoveInPolicy,
    MoveIn,
    DecorationAffair,
    OwnerConsent,
    GoodsRelease,
    Lead,
    Questionnaire,
    Survey,
]


def test_the_registry_names_a_zero_argument_strategy_for_each_type() -> None:
    registered = _registry.default_strategies()
    assert [cls for cls, _ in registered] == REGISTERED
    for cls, name in registered:
        strategy = getattr(strategies, name)()
        assert isinstance(strategy, st.SearchStrategy), cls


@pytest.mark.parametrize("cls", REGISTERED, ids=lambda c: c.__name__)
def test_from_type_draws_valid_values(cls: type) -> None:
    @settings(max_examples=5, database=None, deadline=None)
    @given(st.from_type(cls))
    def check(value: object) -> None:
        assert isinstance(value, cls)
        if isinstance(value, Statement):
            check_statement(value)
        if isinstance(value, Tariff):
            for version in value.versions:
                value.policy.check(version)

    check()


def run_python(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    result = subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        env={**environ, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_from_type_works_through_the_entry_point_alone() -> None:
    # A fresh interpreter that never imports propcrm.testing: only the entry point registers.
    out = run_python(
        """
        import sys
        from hypothesis import Phase, find, settings, strategies as st
        from propcrm.billing import (
            Statement,
            Tariff,
        )
        from propcrm.money import Money
        from propcrm.time import BillingPeriod
        quick = settings(database=None, phases=[Phase.generate, Phase.shrink])
        print(find(st.from_type(Money), lambda m: True, settings=quick))
        print(find(st.from_type(BillingPeriod), lambda p: True, settings=quick).code)
        print(find(st.from_type(Statement), lambda s: True, settings=quick).number)
        print(len(find(st.from_type(Tariff), lambda t: True, settings=quick).versions))
        """
    )
    assert out.split("\n") == ["CNY 0.00", "2000-01", "SUNRISE/2000-01/1-1-0101", "1", ""]


def test_register_type_strategies_where_plugins_are_disabled() -> None:
    out = run_python(
        """
        from hypothesis import find, settings, strategies as st
        from propcrm.money import Money
        from propcrm.testing.strategies import register_type_strategies
        no_db = settings(database=None)
        try:
            find(st.from_type(Money), lambda m: m.amount != 0, settings=no_db)
        except Exception as exc:
            print("unregistered:", type(exc).__name__)
        register_type_strategies()
        print(find(st.from_type(Money), lambda m: True, settings=no_db))
        """,
        HYPOTHESIS_NO_PLUGINS="1",
    )
    first, last = out.splitlines()
    assert first.startswith("unregistered:")  # without the entry point hypothesis guesses
    assert last == "CNY 0.00"


# -- the module's surface -------------------------------------------------------------------


def test_all_is_sorted_and_complete() -> None:
    # Defined here or re-exported from the package's private strategy modules.
    public = {
        name
        for name, obj in vars(strategies).items()
        if inspect.isfunction(obj)
        and obj.__module__.startswith("propcrm.testing.")
        and obj.__module__ != "propcrm.testing._registry"
        and not name.startswith("_")
    }
    assert strategies.__all__ == sorted(strategies.__all__)
    assert set(strategies.__all__) == public


@pytest.mark.parametrize("name", strategies.__all__)
def test_every_strategy_is_documented_with_keyword_only_bounds(name: str) -> None:
    function: Callable[..., Any] = getattr(strategies, name)
    assert inspect.getdoc(function)
    parameters = inspect.signature(function).parameters.values()
    # Bounds (anything with a default) are keyword-only; only what a strategy draws *from*
    # (e.g. the calendar of calendar_instants) may come first, positionally.
    assert all(
        p.kind is inspect.Parameter.KEYWORD_ONLY
        for p in parameters
        if p.default is not inspect.Parameter.empty
    )


def test_strategies_use_only_the_given_area_bases() -> None:
    @few
    @given(charge_rules(kinds=[ChargeKind.AREA], area_bases=[AreaBasis.INNER]))
    def check(rule: Any) -> None:
        assert rule.basis is AreaBasis.INNER

    check()


@few
@given(strategies.requests(max_steps=10))
def test_requests_replay_to_themselves(request: Request) -> None:
    again = Request.replay(request.history, request.policy)
    assert again == request
    assert again.clocks == request.clocks
