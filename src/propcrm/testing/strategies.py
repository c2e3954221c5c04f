"""Hypothesis strategies for propcrm's value types.

One import for them all: money and billing (defined here), accounts and late fees, SLA
calendars, classification and clocks, parties, personal data, surveys and segmentation, service
requests (intakes, actors, lifecycle policies, quotes, steps, requests), the contact log and
staff calendars (contacts, contact logs, phone books, appointments, schedules, tasks), solution
entries and bases, notices and community activities, assembly meetings and ballot boxes,
questionnaires and surveys, parking, public affairs (move-ins, decorations, goods releases),
prospects' leads, concessions, notices with concessions and prepaid balances (defined in the
private ``propcrm.testing._*_strategies`` modules and re-exported here).

Every strategy is a plural noun, takes keyword-only bounds and shrinks towards the simplest
value: ¥0.00 for money, the first of the month for dates, the earliest period, the first option
of every choice (the first property type, charge kind, approver, …) and the fewest items.
They are deterministic (nothing reads the wall clock or an ambient decimal context), and
every value they draw passes the validators of its type: the composite ones (tariffs,
statements) are built through propcrm's own constructors and billing run, never by hand.

>>> from hypothesis import given, settings
>>> @settings(max_examples=20, database=None)
... @given(moneys(max_value=Money("100.00")))
... def test_fee_is_never_negative(m):
...     assert m >= Money.zero()
>>> test_fee_is_never_negative()
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

import attrs
import pendulum
from hypothesis import reject
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.billing._billing_runs import issue_statement
from propcrm.billing._charges import (
    AreaCharge,
    ChargeKind,
    ChargeRule,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    SpecialServiceCharge,
)
from propcrm.billing._cycles import BillingCyclePolicy
from propcrm.billing._metering import (
    MeterReading,
    MeterReplacement,
    Tier,
    TieredPrice,
)
from propcrm.billing._policy import BillingPolicy
from propcrm.billing._proration import (
    ProrationConvention,
    ProrationPolicy,
)
from propcrm.billing._statements import Statement
from propcrm.billing._tariffs import (
    DEFAULT_MIN_NOTICE_DAYS,
    Approval,
    Approver,
    Tariff,
    TariffPolicy,
    TariffVersion,
)
from propcrm.billing._units import (
    ALWAYS,
    AreaBasis,
    BillableSpan,
    UnitProfile,
)
from propcrm.billing._usage import UnitUsage
from propcrm.money import (
    CNY,
    EXACT,
    Money,
    Rate,
    RateBasis,
    check_currency,
    minor_unit_places,
)
from propcrm.money import to_decimal as _to_decimal
from propcrm.testing._account_strategies import (
    accounts,
    late_fee_policies,
    payment_histories,
    receipts,
)
from propcrm.testing._affairs_strategies import (
    decoration_affairs,
    goods_releases,
    leads,
    move_in_policies,
    move_ins,
    owner_consents,
)
from propcrm.testing._assembly_strategies import (
    assembly_policies,
    ballot_boxes,
    meetings,
)
from propcrm.testing._classification_strategies import (
    descriptions,
    predicates,
    priorities,
    priority_scales,
    raise_rules,
    request_facts,
    requester_profiles,
    rule_sets,
    rules,
    time_of_day_predicates,
)
from propcrm.testing._complaints_strategies import (
    actors,
    intakes,
    lifecycle_policies,
    next_steps,
    quotes,
    requests,
)
from propcrm.testing._engagement_strategies import (
    appointments,
    booking_policies,
    callbacks,
    contact_logs,
    contacts,
    phone_books,
    phone_entries,
    reminder_rules,
    schedules,
    staff_calendars,
    tasks,
)
from propcrm.testing._notices_strategies import (
    activity_rosters,
    audience_rules,
    delivery_logs,
    notices,
)
from propcrm.testing._parking_strategies import (
    parking_applications,
    parking_leases,
    parking_policies,
    parking_spaces,
    waiting_lists,
)
from propcrm.testing._parties_strategies import (
    book_operations,
    organisations,
    parties,
    party_books,
    persons,
    relations,
    units,
)
from propcrm.testing._personal_data_strategies import (
    consent_channels,
    consent_purposes,
    credit_code_texts,
    credit_codes,
    id_card_numbers,
    id_number_texts,
    mobile_numbers,
    mobile_texts,
    person_name_texts,
    person_names,
    plate_texts,
    survey_responses,
    survey_rounds,
    vehicle_plates,
)
from propcrm.testing._prepaid_strategies import (
    concession_lines,
    concessions,
    prepaid_balances,
    prepaid_movements,
    statements_with_concessions,
)
from propcrm.testing._questionnaire_strategies import (
    questionnaires,
    questions,
    response_policies,
    surveys,
)
from propcrm.testing._registry import default_strategies
from propcrm.testing._segmentation_strategies import (
    as_of_dates,
    behaviour_policies,
    complaint_records,
    payment_fact_histories,
    portfolios,
    segment_rules,
    segment_subjects,
    service_purchases,
)
from propcrm.testing._sla_clock_strategies import (
    sla_clock_event_sequences,
    sla_instants,
    sla_request_event_sequences,
)
from propcrm.testing._sla_strategies import (
    business_calendars,
    business_durations,
    calendar_instants,
    day_windows,
    weekly_hours,
)
from propcrm.testing._solutions_strategies import solution_bases, solution_entries
from propcrm.time import (
    BillingPeriod,
    PeriodKind,
    as_date,
)

__all__ = [
    "accounts",
    "activity_rosters",
    "actors",
    "appointments",
    "as_of_dates",
    "assembly_policies",
    "audience_rules",
    "ballot_boxes",
    "behaviour_policies",
    "billing_periods",
    "book_operations",
    "booking_policies",
    "business_calendars",
    "business_durations",
    "calendar_instants",
    "callbacks",
    "charge_rules",
    "complaint_records",
    "concession_lines",
    "concessions",
    "consent_channels",
    "consent_purposes",
    "contact_logs",
    "contacts",
    "credit_code_texts",
    "credit_codes",
    "day_windows",
    "decoration_affairs",
    "delivery_logs",
    "descriptions",
    "goods_releases",
    "id_card_numbers",
    "id_number_texts",
    "intakes",
    "late_fee_policies",
    "leads",
    "lifecycle_policies",
    "meetings",
    "meter_readings",
    "mobile_numbers",
    "mobile_texts",
    "moneys",
    "move_in_policies",
    "move_ins",
    "next_steps",
    "notices",
    "organisations",
    "owner_consents",
    "parking_applications",
    "parking_leases",
    "parking_policies",
    "parking_spaces",
    "parties",
    "party_books",
    "payment_fact_histories",
    "payment_histories",
    "person_name_texts",
    "person_names",
    "persons",
    "phone_books",
    "phone_entries",
    "plate_texts",
    "portfolios",
    "predicates",
    "prepaid_balances",
    "prepaid_movements",
    "priorities",
    "priority_scales",
    "questionnaires",
    "questions",
    "quotes",
    "raise_rules",
    "rates",
    "receipts",
    "register_type_strategies",
    "relations",
    "reminder_rules",
    "request_facts",
    "requester_profiles",
    "requests",
    "response_policies",
    "rule_sets",
    "rules",
    "schedules",
    "segment_rules",
    "segment_subjects",
    "service_purchases",
    "sla_clock_event_sequences",
    "sla_instants",
    "sla_request_event_sequences",
    "solution_bases",
    "solution_entries",
    "staff_calendars",
    "statements",
    "statements_with_concessions",
    "survey_responses",
    "survey_rounds",
    "surveys",
    "tariff_versions",
    "tariffs",
    "tasks",
    "tiered_prices",
    "time_of_day_predicates",
    "unit_profiles",
    "unit_usages",
    "units",
    "vehicle_plates",
    "waiting_lists",
    "weekly_hours",
]

_T = TypeVar("_T")

_Number = str | int | Decimal
"""A decimal bound as callers write it: ``"0.01"``, ``1`` or ``Decimal("0.01")``."""

_DateOrStrategy = datetime.date | st.SearchStrategy[datetime.date] | None
"""A fixed date, a strategy of dates, or ``None`` for the strategy's default dates."""

_DEFAULT_MAX_MONEY = 10_000_000
_DEFAULT_MAX_UNIT_PRICE = 100
_AREA_PLACES = 2

# Realistic codes and names for each kind of rule; a drawn rule takes one of them, so rules
# shrink to the first (物业管理费 for an area charge) and codes of different kinds never clash.
_AREA_RULES = (
    ("MGMT", "物业管理费"),
    ("ELEVATOR", "电梯运行费"),
    ("SECURITY", "秩序维护费"),
    ("HEATING", "采暖费"),
)
_FIXED_RULES = (
    ("GARBAGE", "生活垃圾处理费"),
    ("SHARED-POWER", "公摊电费"),
    ("CABLE-TV", "有线电视费"),
)
_PARKING_RULES = (
    ("PARKING", "车位管理费"),
    ("EV-CHARGER", "充电桩管理费"),
    ("BICYCLE", "非机动车位费"),
)
_METERED_RULES = (
    ("WATER", "水费", "water", "吨"),
    ("POWER", "电费", "power", "度"),
    ("GAS", "燃气费", "gas", "立方米"),
)
_SERVICE_RULES = (("SVC", "特约服务"), ("HOUSEKEEPING", "家政服务"))
_COMMUNITIES = ("SUNRISE", "LAKESIDE", "RIVERSIDE", "PARKVIEW")
_PERIODIC_KINDS = (ChargeKind.AREA, ChargeKind.FIXED, ChargeKind.PARKING)


# -- helpers ----------------------------------------------------------------------------------


def _units(value: Decimal, places: int, *, up: bool) -> int:
    """``value`` counted in units of ``10**-places``, rounded up or down, in integers only."""
    numerator, denominator = value.as_integer_ratio()
    scale: int = 10**places
    scaled = numerator * scale
    return -(-scaled // denominator) if up else scaled // denominator


def _scaled(units: int, places: int) -> Decimal:
    """``units × 10**-places`` as a decimal with exactly ``places`` places."""
    return Decimal(units).scaleb(-places, context=EXACT)


def _decimal_range(low: _Number, high: _Number, places: int, what: str) -> tuple[int, int]:
    """The unit counts of ``[low, high]`` at ``places`` places; refuses an empty range."""
    low_d = _to_decimal(low, what=f"{what} lower bound")
    high_d = _to_decimal(high, what=f"{what} upper bound")
    low_units, high_units = _units(low_d, places, up=True), _units(high_d, places, up=False)
    if low_units > high_units:
        raise ValueError(f"{what}: the range {low_d}..{high_d} holds no value with {places} places")
    return low_units, high_units


def _check_int(value: int, what: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{what} must be an int of at least {minimum}, got {value!r}")
    return value


def _choices(values: Sequence[_T], what: str) -> tuple[_T, ...]:
    result = tuple(values)
    if not result:
        raise ValueError(f"{what} must not be empty")
    return result


def _currency(currency: str | None, *bounds: Money | None) -> str:
    """The currency of a money strategy: ``currency``, else the bounds', else CNY."""
    given = {b.currency for b in bounds if b is not None}
    if currency is None:
        if len(given) > 1:
            raise ValueError(f"bounds are in {sorted(given)}; give them in one currency")
        return given.pop() if given else CNY
    check_currency(currency)
    if given - {currency}:
        raise ValueError(f"bounds must be in {currency}, got {sorted(given)}")
    return currency


def _price_bound(max_unit_price: Money | None, currency: str | None) -> tuple[Money, str]:
    code = _currency(currency, max_unit_price)
    bound = max_unit_price if max_unit_price is not None else Money(_DEFAULT_MAX_UNIT_PRICE, code)
    if bound.is_negative:
        raise ValueError(f"max_unit_price {bound!r} is negative; prices are 0 or more")
    return bound, code


def _dates_in(period: BillingPeriod) -> st.SearchStrategy[pendulum.Date]:
    """Days of ``period``; shrinks to its first day."""
    return st.integers(min_value=0, max_value=period.days - 1).map(
        lambda n: period.start.add(days=n)
    )


def _dates(value: _DateOrStrategy = None) -> st.SearchStrategy[pendulum.Date]:
    """``value`` as a strategy of pendulum dates; ``None``: any day of 2000–2099."""
    if value is None:
        return billing_periods().flatmap(_dates_in)
    if isinstance(value, st.SearchStrategy):
        return value.map(as_date)
    return st.just(as_date(value))


# -- money and time ---------------------------------------------------------------------------


def moneys(
    *,
    min_value: Money | None = None,
    max_value: Money | None = None,
    currency: str | None = None,
    rounded: bool = True,
) -> st.SearchStrategy[Money]:
    """Amounts of one currency between the bounds, both included.

    Shrinks towards zero, or towards the bound nearest zero when zero is outside the bounds.

    Args:
        min_value: the smallest amount; default zero.
        max_value: the largest amount; default 10,000,000.00.
        currency: the ISO code; default the bounds' currency, else CNY. Bounds in another
            currency are refused.
        rounded: draw amounts rounded to the minor unit (the default); with ``False`` up to four
            more places, as an intermediate result of a rule would have.
    """
    code = _currency(currency, min_value, max_value)
    places = minor_unit_places(code) + (0 if rounded else 4)
    low = min_value if min_value is not None else Money.zero(code)
    high = max_value if max_value is not None else Money(_DEFAULT_MAX_MONEY, code)
    low_units, high_units = (
        _units(low.amount, places, up=True),
        _units(high.amount, places, up=False),
    )
    if low_units > high_units:
        raise ValueError(f"moneys: min_value {low!r} is above max_value {high!r}")
    return st.integers(min_value=low_units, max_value=high_units).map(
        lambda units: Money(_scaled(units, places), code)
    )


def rates(
    *,
    min_value: _Number = "0",
    max_value: _Number = "0.01",
    per: RateBasis | None = None,
    places: int = 6,
) -> st.SearchStrategy[Rate]:
    """Rates between the bounds (fractions: 0.003 is 0.3 %), both included.

    Shrinks towards the lower bound and towards a daily basis.

    Args:
        min_value: the smallest fraction, 0 or more (``str``, ``int`` or ``Decimal``); default 0.
        max_value: the largest fraction; default ``"0.01"`` (1 %).
        per: the basis of every rate; default any basis.
        places: decimal places of the fraction; default 6.
    """
    _check_int(places, "places")
    low, high = _decimal_range(min_value, max_value, places, "rates")
    if low < 0:
        raise ValueError(f"rates: min_value {min_value!r} is negative; rates are 0 or more")
    bases = st.just(per) if per is not None else st.sampled_from(RateBasis)
    values = st.integers(min_value=low, max_value=high).map(lambda u: _scaled(u, places))
    return st.builds(Rate, values, bases)


def billing_periods(
    *,
    kinds: Sequence[PeriodKind] = (PeriodKind.MONTH,),
    min_year: int = 2000,
    max_year: int = 2099,
) -> st.SearchStrategy[BillingPeriod]:
    """Billing periods of the given kinds starting in ``min_year``..``max_year``.

    A period always starts on the 1st of a month aligned to its kind. Shrinks to the first kind
    and its earliest period: January of ``min_year``.

    Args:
        kinds: the period kinds to draw, first the one to shrink to; default months only.
        min_year: the first year a period may start in (1 or later); default 2000.
        max_year: the last year a period may start in (9998 at most); default 2099.
    """
    choices = _choices(kinds, "kinds")
    if not 1 <= _check_int(min_year, "min_year", minimum=1) <= max_year <= 9998:
        raise ValueError(f"years must satisfy 1 <= min_year <= max_year <= 9998, got {max_year}")

    def nth(kind: PeriodKind, index: int) -> BillingPeriod:
        year, month0 = divmod(index * kind.months, 12)
        return BillingPeriod(kind, pendulum.date(min_year + year, month0 + 1, 1))

    def of_kind(kind: PeriodKind) -> st.SearchStrategy[BillingPeriod]:
        last = (max_year - min_year + 1) * 12 // kind.months - 1
        return st.integers(min_value=0, max_value=last).map(lambda index: nth(kind, index))

    return st.sampled_from(choices).flatmap(of_kind)


# -- units and usage --------------------------------------------------------------------------


def unit_profiles(
    *,
    property_types: Sequence[PropertyType] = tuple(PropertyType),
    min_area: _Number = "1.00",
    max_area: _Number = "500.00",
    inner_area: bool | None = None,
) -> st.SearchStrategy[UnitProfile]:
    """Units with ids like ``'1-2-0301'`` and areas in ㎡ to exactly two places.

    The inner area is never above the building area; it shrinks towards the building area (no
    shared area), the building area towards ``min_area`` and the id towards ``'1-1-0101'``.

    Args:
        property_types: the types to draw, first the one to shrink to; default all, residential
            first.
        min_area: the smallest building area (``str``, ``int`` or ``Decimal``); default 1.00.
        max_area: the largest building area; default 500.00.
        inner_area: ``True``: always record an inner area; ``False``: never (``None``); ``None``
            (default): either, shrinking to none.
    """
    types = _choices(property_types, "property_types")
    low, high = _decimal_range(min_area, max_area, _AREA_PLACES, "unit_profiles")
    if low < 0:
        raise ValueError(f"unit_profiles: min_area {min_area!r} is negative")
    has_inner = st.booleans() if inner_area is None else st.just(inner_area)

    @st.composite
    def draw_unit(draw: st.DrawFn) -> UnitProfile:
        ptype = draw(st.sampled_from(types))
        building, entrance = draw(st.integers(1, 30)), draw(st.integers(1, 4))
        floor, room = draw(st.integers(1, 33)), draw(st.integers(1, 4))
        area = draw(st.integers(min_value=low, max_value=high))
        inner: Decimal | None = None
        if draw(has_inner):
            shared = draw(st.integers(min_value=0, max_value=area))
            inner = _scaled(area - shared, _AREA_PLACES)
        return UnitProfile(
            f"{building}-{entrance}-{floor:02d}{room:02d}",
            ptype,
            building_area=_scaled(area, _AREA_PLACES),
            inner_area=inner,
        )

    return draw_unit()


def meter_readings(
    *,
    kinds: Sequence[str] = ("water",),
    read_on: _DateOrStrategy = None,
    max_reading: _Number = 99_999,
    max_delta: _Number = 100,
    places: int = 0,
    multipliers: Sequence[_Number] = (1,),
    replacements: bool = False,
) -> st.SearchStrategy[MeterReading]:
    """Valid readings of one meter: they never go down unless the meter was replaced.

    The meter id is the kind in capitals and a number (``'WATER-0001'``). Shrinks towards the
    first kind, a reading of 0 → 0 and no replacement.

    Args:
        kinds: meter kinds to draw (``'water'``, ``'power'``, …), first the one to shrink to.
        read_on: the reading date, or a strategy of them; default any day of 2000–2099.
        max_reading: the largest previous reading (and first reading of a new meter).
        max_delta: the largest advance of the meter(s), before the multiplier.
        places: decimal places of the readings; default 0 (whole tonnes or kWh).
        multipliers: multipliers to draw (each above 0), first the one to shrink to; default 1.
        replacements: also draw readings across a meter replacement (shrinking to none); the
            replacement is dated on the reading date or up to 27 days before it.
    """
    meter_kinds = _choices(kinds, "kinds")
    if any(not isinstance(k, str) or not k or any(c.isspace() for c in k) for k in meter_kinds):
        raise ValueError(f"meter kinds must be non-empty strs without spaces, got {meter_kinds}")
    _check_int(places, "places")
    _, reading_top = _decimal_range(0, max_reading, places, "meter_readings max_reading")
    _, delta_top = _decimal_range(0, max_delta, places, "meter_readings max_delta")
    factors = tuple(_to_decimal(m, what="multiplier") for m in _choices(multipliers, "multipliers"))
    if any(f <= 0 for f in factors):
        raise ValueError(f"multipliers must be above 0, got {factors}")
    days = _dates(read_on)
    replaced = st.booleans() if replacements else st.just(False)

    @st.composite
    def draw_reading(draw: st.DrawFn) -> MeterReading:
        kind = draw(st.sampled_from(meter_kinds))
        number = draw(st.integers(1, 9999))
        day = draw(days)
        previous = draw(st.integers(min_value=0, max_value=reading_top))
        delta = draw(st.integers(min_value=0, max_value=delta_top))
        multiplier = draw(st.sampled_from(factors))
        replacement = None
        current = previous + delta
        if draw(replaced):
            old_part = draw(st.integers(min_value=0, max_value=delta))
            new_initial = draw(st.integers(min_value=0, max_value=reading_top))
            replacement = MeterReplacement(
                old_final=_scaled(previous + old_part, places),
                new_initial=_scaled(new_initial, places),
                replaced_on=day.subtract(days=draw(st.integers(0, 27))),
            )
            current = new_initial + delta - old_part
        return MeterReading(
            f"{kind.upper()}-{number:04d}",
            kind,
            previous=_scaled(previous, places),
            current=_scaled(current, places),
            read_on=day,
            multiplier=multiplier,
            replacement=replacement,
        )

    return draw_reading()


def unit_usages(
    *,
    max_parking_spaces: int = 2,
    meter_kinds: Sequence[str] = ("water",),
    max_readings: int = 2,
    read_on: _DateOrStrategy = None,
    replacements: bool = False,
) -> st.SearchStrategy[UnitUsage]:
    """A unit's usage in a period: parking spaces and readings of distinct meters.

    Draws no special-service orders (they are priced from a price list the caller publishes).
    Shrinks towards no parking and no readings.

    Args:
        max_parking_spaces: the most parking spaces; default 2.
        meter_kinds: the kinds of meter the unit has; empty for none. Default water only.
        max_readings: the most readings (each of its own meter); default 2.
        read_on: the reading date, or a strategy of them; default any day of 2000–2099.
        replacements: whether readings may cross a meter replacement (see ``meter_readings``).
    """
    _check_int(max_parking_spaces, "max_parking_spaces")
    _check_int(max_readings, "max_readings")
    readings: st.SearchStrategy[list[MeterReading]] = st.just([])
    if meter_kinds and max_readings:
        readings = st.lists(
            meter_readings(kinds=meter_kinds, read_on=read_on, replacements=replacements),
            max_size=max_readings,
            unique_by=lambda r: r.meter_id,
        )
    return st.builds(
        UnitUsage,
        parking_spaces=st.integers(min_value=0, max_value=max_parking_spaces),
        readings=readings,
    )


# -- charge rules -----------------------------------------------------------------------------


def tiered_prices(
    *,
    max_tiers: int = 3,
    max_width: int = 50,
    max_unit_price: Money | None = None,
    currency: str | None = None,
) -> st.SearchStrategy[TieredPrice]:
    """Tiered (阶梯) prices: bounds rising strictly above 0, the last tier open.

    Tier bounds are whole quantities (15 吨, 30 吨, …). Shrinks towards one flat tier at ¥0.00.

    Args:
        max_tiers: the most tiers, 1 or more; default 3.
        max_width: the widest closed tier, in whole units; default 50.
        max_unit_price: the highest price per unit; default 100.00.
        currency: the prices' currency; default that of ``max_unit_price``, else CNY.
    """
    _check_int(max_tiers, "max_tiers", minimum=1)
    _check_int(max_width, "max_width", minimum=1)
    bound, code = _price_bound(max_unit_price, currency)
    prices = moneys(max_value=bound, currency=code)

    @st.composite
    def draw_prices(draw: st.DrawFn) -> TieredPrice:
        count = draw(st.integers(min_value=1, max_value=max_tiers))
        tiers = []
        up_to = 0
        for _ in range(count - 1):
            up_to += draw(st.integers(min_value=1, max_value=max_width))
            tiers.append(Tier(Decimal(up_to), draw(prices)))
        tiers.append(Tier(None, draw(prices)))
        return TieredPrice(tiers)

    return draw_prices()


def _area_charge_rules(
    prices: st.SearchStrategy[Money], bases: Sequence[AreaBasis]
) -> st.SearchStrategy[AreaCharge]:
    return st.builds(
        lambda named, price, basis: AreaCharge(named[0], named[1], price, basis),
        st.sampled_from(_AREA_RULES),
        prices,
        st.sampled_from(_choices(bases, "area_bases")),
    )


def _fixed_charge_rules(prices: st.SearchStrategy[Money]) -> st.SearchStrategy[FixedCharge]:
    return st.builds(
        lambda named, price: FixedCharge(named[0], named[1], price),
        st.sampled_from(_FIXED_RULES),
        prices,
    )


def _parking_charge_rules(prices: st.SearchStrategy[Money]) -> st.SearchStrategy[ParkingCharge]:
    return st.builds(
        lambda named, price: ParkingCharge(named[0], named[1], price),
        st.sampled_from(_PARKING_RULES),
        prices,
    )


def _metered_charge_rules(
    tiers: st.SearchStrategy[TieredPrice],
) -> st.SearchStrategy[MeteredCharge]:
    return st.builds(
        lambda named, table: MeteredCharge(
            named[0], named[1], meter_kind=named[2], prices=table, unit_label=named[3]
        ),
        st.sampled_from(_METERED_RULES),
        tiers,
    )


def _service_charge_rules() -> st.SearchStrategy[SpecialServiceCharge]:
    return st.sampled_from(_SERVICE_RULES).map(
        lambda named: SpecialServiceCharge(named[0], named[1])
    )


def charge_rules(
    *,
    kinds: Sequence[ChargeKind] = tuple(ChargeKind),
    max_unit_price: Money | None = None,
    currency: str | None = None,
    area_bases: Sequence[AreaBasis] = tuple(AreaBasis),
) -> st.SearchStrategy[ChargeRule]:
    """Charge rules of the given kinds, with realistic codes and names.

    Area, fixed and parking rules are priced from ¥0.00 to ``max_unit_price`` per month;
    metered rules (water, power, gas) carry a valid :func:`tiered_prices` table. Shrinks
    towards the first kind (an area charge, 物业管理费, ¥0.00 on building area).

    Args:
        kinds: the kinds to draw, first the one to shrink to; default all five.
        max_unit_price: the highest unit price (and tier price); default 100.00.
        currency: the prices' currency; default that of ``max_unit_price``, else CNY.
        area_bases: the areas an area charge may bill; an inner-area rule needs units with an
            inner area. Default both, building first.
    """
    bound, code = _price_bound(max_unit_price, currency)
    prices = moneys(max_value=bound, currency=code)
    builders: dict[ChargeKind, st.SearchStrategy[ChargeRule]] = {
        ChargeKind.AREA: _area_charge_rules(prices, area_bases),
        ChargeKind.FIXED: _fixed_charge_rules(prices),
        ChargeKind.PARKING: _parking_charge_rules(prices),
        ChargeKind.METERED: _metered_charge_rules(
            tiered_prices(max_unit_price=bound, currency=code)
        ),
        ChargeKind.SPECIAL_SERVICE: _service_charge_rules(),
    }
    return st.one_of([builders[kind] for kind in _choices(kinds, "kinds")])


# -- tariffs ----------------------------------------------------------------------------------


@attrs.frozen
class _TariffShape:
    """What every drawn version of a tariff looks like (shared by the two tariff strategies)."""

    min_notice_days: int
    property_types: tuple[PropertyType, ...]
    max_rules: int
    periodic: st.SearchStrategy[ChargeRule]
    water: st.SearchStrategy[MeteredCharge]

    @classmethod
    def of(
        cls,
        *,
        min_notice_days: int,
        property_types: Sequence[PropertyType],
        max_rules: int,
        max_unit_price: Money | None,
        currency: str | None,
        area_bases: Sequence[AreaBasis],
    ) -> _TariffShape:
        _check_int(min_notice_days, "min_notice_days")
        _check_int(max_rules, "max_rules", minimum=1)
        bound, code = _price_bound(max_unit_price, currency)
        water_rule = _METERED_RULES[0]
        water = tiered_prices(max_unit_price=bound, currency=code).map(
            lambda table: MeteredCharge(
                water_rule[0],
                water_rule[1],
                meter_kind=water_rule[2],
                prices=table,
                unit_label=water_rule[3],
            )
        )
        periodic = charge_rules(
            kinds=_PERIODIC_KINDS, max_unit_price=bound, currency=code, area_bases=area_bases
        )
        return cls(
            min_notice_days,
            _choices(property_types, "property_types"),
            max_rules,
            periodic,
            water,
        )

    def draw_version(self, draw: st.DrawFn, effective_from: pendulum.Date) -> TariffVersion:
        """A version effective on ``effective_from``, announced and approved in time."""
        # Announced at least the minimum notice before it takes effect; approved up to 60 days
        # before the announcement or any day after it up to the effective date.
        notice = self.min_notice_days + draw(st.integers(min_value=0, max_value=60))
        announced_on = effective_from.subtract(days=notice)
        approved_on = announced_on.add(days=draw(st.integers(min_value=-60, max_value=notice)))
        approver = draw(st.sampled_from(Approver))
        body = "业委会决议" if approver is Approver.OWNERS_COMMITTEE else "价格主管部门批复"
        reference = f"{body}〔{approved_on.year}〕{draw(st.integers(1, 99))}号"
        charges: dict[PropertyType, tuple[ChargeRule, ...]] = {}
        for ptype in self.property_types:
            rules: list[ChargeRule] = draw(
                st.lists(
                    self.periodic, min_size=1, max_size=self.max_rules, unique_by=lambda r: r.code
                )
            )
            if ptype is PropertyType.RESIDENTIAL:
                rules.append(draw(self.water))
            charges[ptype] = tuple(rules)
        return TariffVersion(
            f"{effective_from.year:04d}-{effective_from.month:02d}",
            effective_from=effective_from,
            announced_on=announced_on,
            approval=Approval(approver, reference, approved_on),
            charges=charges,
        )


def tariff_versions(
    *,
    effective_from: _DateOrStrategy = None,
    min_notice_days: int = DEFAULT_MIN_NOTICE_DAYS,
    property_types: Sequence[PropertyType] = tuple(PropertyType),
    max_rules: int = 3,
    max_unit_price: Money | None = None,
    currency: str | None = None,
    area_bases: Sequence[AreaBasis] = tuple(AreaBasis),
) -> st.SearchStrategy[TariffVersion]:
    """Tariff versions that meet the notice policy and were approved by their effective date.

    Each version prices every one of ``property_types`` with 1 to ``max_rules`` periodic rules
    (area, fixed, parking; unique codes per property type), and residential units also with a
    tiered ``WATER`` rule for meter kind ``'water'``. It is announced ``min_notice_days`` to 60
    days more before it takes effect and named after its effective month (``'2026-07'``).
    Shrinks towards the earliest day, the minimum notice and one area rule per type at ¥0.00.

    Args:
        effective_from: the effective date, or a strategy of them; default any day of
            2000–2099.
        min_notice_days: the notice of the :class:`~propcrm.billing.TariffPolicy` to meet.
        property_types: the property types every version prices; default all.
        max_rules: the most periodic rules per property type; default 3.
        max_unit_price: the highest unit price; default 100.00.
        currency: the prices' currency; default that of ``max_unit_price``, else CNY.
        area_bases: the areas area rules may bill (see :func:`charge_rules`).
    """
    shape = _TariffShape.of(
        min_notice_days=min_notice_days,
        property_types=property_types,
        max_rules=max_rules,
        max_unit_price=max_unit_price,
        currency=currency,
        area_bases=area_bases,
    )
    days = _dates(effective_from)

    @st.composite
    def draw_version(draw: st.DrawFn) -> TariffVersion:
        return shape.draw_version(draw, draw(days))

    return draw_version()


def tariffs(
    *,
    min_versions: int = 1,
    max_versions: int = 3,
    first_effective: _DateOrStrategy = None,
    min_notice_days: int = DEFAULT_MIN_NOTICE_DAYS,
    property_types: Sequence[PropertyType] = tuple(PropertyType),
    max_rules: int = 3,
    max_unit_price: Money | None = None,
    currency: str | None = None,
    area_bases: Sequence[AreaBasis] = tuple(AreaBasis),
) -> st.SearchStrategy[Tariff]:
    """Versioned tariffs of a community, each version drawn as by :func:`tariff_versions`.

    The first version takes effect on ``first_effective``; each later one 1 to 24 months after
    the previous one's month, on one of its first 28 days. The tariff's policy requires
    ``min_notice_days`` of notice, and every version meets it. The name is a community code
    such as ``'SUNRISE'``. Shrinks towards one version effective on 1 January 2000.

    Args:
        min_versions: the fewest versions, 1 or more; default 1.
        max_versions: the most versions; default 3.
        first_effective: the first version's effective date, or a strategy of them; default any
            day of 2000–2099.
        min_notice_days: the tariff policy's minimum notice; default 30 days.
        property_types: the property types every version prices; default all.
        max_rules: the most periodic rules per property type; default 3.
        max_unit_price: the highest unit price; default 100.00.
        currency: the prices' currency; default that of ``max_unit_price``, else CNY.
        area_bases: the areas area rules may bill (see :func:`charge_rules`).
    """
    _check_int(min_versions, "min_versions", minimum=1)
    if _check_int(max_versions, "max_versions", minimum=1) < min_versions:
        raise ValueError(f"max_versions {max_versions} is below min_versions {min_versions}")
    shape = _TariffShape.of(
        min_notice_days=min_notice_days,
        property_types=property_types,
        max_rules=max_rules,
        max_unit_price=max_unit_price,
        currency=currency,
        area_bases=area_bases,
    )
    firsts = _dates(first_effective)

    @st.composite
    def draw_tariff(draw: st.DrawFn) -> Tariff:
        name = draw(st.sampled_from(_COMMUNITIES))
        count = draw(st.integers(min_value=min_versions, max_value=max_versions))
        effective = draw(firsts)
        versions = [shape.draw_version(draw, effective)]
        for _ in range(count - 1):
            month = effective.first_of("month").add(months=draw(st.integers(1, 24)))
            effective = month.add(days=draw(st.integers(0, 27)))
            versions.append(shape.draw_version(draw, effective))
        return Tariff(name, versions, TariffPolicy(min_notice_days))

    return draw_tariff()


# -- statements -------------------------------------------------------------------------------


def _meter_kinds(tariff: Tariff, ptype: PropertyType) -> tuple[str, ...]:
    """The meter kinds every version of ``tariff`` prices for ``ptype``."""
    per_version = [
        {r.meter_kind for r in v.rules_for(ptype) if isinstance(r, MeteredCharge)}
        for v in tariff.versions
    ]
    return tuple(sorted(set.intersection(*per_version)))


def _unpriced_versions(tariff: Tariff, unit: UnitProfile) -> list[TariffVersion]:
    """The versions of ``tariff`` with no area or fixed rule that prices ``unit`` above 0."""

    def prices(rule: ChargeRule) -> bool:
        if isinstance(rule, FixedCharge):
            return True
        return isinstance(rule, AreaCharge) and bool(unit.area(rule.basis))

    return [
        v for v in tariff.versions if not any(prices(r) for r in v.rules_for(unit.property_type))
    ]


def _spans(period: BillingPeriod) -> st.SearchStrategy[BillableSpan]:
    """The whole period (shrunk to), or a move-in or move-out inside it."""
    cut = st.integers(min_value=1, max_value=period.days - 1).map(
        lambda n: period.start.add(days=n)
    )
    return st.one_of(
        st.just(ALWAYS),
        cut.map(lambda day: BillableSpan(start=day)),
        cut.map(lambda day: BillableSpan(until=day)),
    )


def statements(
    *,
    period: BillingPeriod | st.SearchStrategy[BillingPeriod] | None = None,
    property_types: Sequence[PropertyType] = tuple(PropertyType),
    policy: BillingPolicy | None = None,
    max_versions: int = 2,
    max_unit_price: Money | None = None,
    spans: bool = True,
) -> st.SearchStrategy[Statement]:
    """Fee notices issued by :func:`propcrm.billing.issue_statement`, never assembled by hand.

    Each draws a period, a unit, a tariff whose first version is in force from the period's
    start (taking effect 0 to 12 months before it; a later version may change prices
    mid-period), the unit's usage (parking spaces, and water readings taken in the period for
    residential units; at least one parking space where a version prices the unit by parking
    spaces alone, since a run refuses a notice with nothing to price) and, with ``spans``, a
    move-in or move-out inside the period, then bills them. So every statement is valid and
    consistent: its total is the sum of its lines, each rounded once. Shrinks towards the
    earliest period, a whole-period residential unit and one version.

    Args:
        period: the period, or a strategy of periods; default the months of 2000–2099 (of the
            kind of ``policy``'s cycle, when given).
        property_types: the unit types to draw; default all, residential first.
        policy: the billing policy; its cycle's period kind must match the periods. Default
            the domain defaults (in arrears, due on the 10th) for the period's kind, with any
            proration convention (actual days first).
        max_versions: the most tariff versions; default 2.
        max_unit_price: the highest unit price in the tariff; default 100.00 of the policy's
            currency.
        spans: whether to draw units billable for part of the period; default ``True``.
    """
    _check_int(max_versions, "max_versions", minimum=1)
    types = _choices(property_types, "property_types")
    currency = policy.currency if policy is not None else CNY
    bound, _ = _price_bound(max_unit_price, currency)
    if period is None:
        kind = policy.cycle.period_kind if policy is not None else PeriodKind.MONTH
        periods = billing_periods(kinds=(kind,))
    elif isinstance(period, BillingPeriod):
        if policy is not None and policy.cycle.period_kind is not period.kind:
            raise ValueError(
                f"statements: the policy bills {policy.cycle.period_kind.name.lower()} periods, "
                f"not {period.kind.name.lower()} ones like {period.code}"
            )
        periods = st.just(period)
    else:
        periods = period
    conventions = st.sampled_from(ProrationConvention)

    @st.composite
    def draw_statement(draw: st.DrawFn) -> Statement:
        drawn = draw(periods)
        billing = policy
        if billing is None:
            billing = BillingPolicy(
                cycle=BillingCyclePolicy(period_kind=drawn.kind),
                proration=ProrationPolicy(draw(conventions)),
            )
        unit = draw(unit_profiles(property_types=types))
        bases = tuple(AreaBasis) if unit.inner_area is not None else (AreaBasis.BUILDING,)
        first = drawn.start.subtract(months=draw(st.integers(min_value=0, max_value=12)))
        tariff = draw(
            tariffs(
                max_versions=max_versions,
                first_effective=first,
                property_types=types,
                max_unit_price=bound,
                area_bases=bases,
            )
        )
        usage = draw(
            unit_usages(
                meter_kinds=_meter_kinds(tariff, unit.property_type),
                read_on=_dates_in(drawn),
                replacements=True,
            )
        )
        # A run refuses a notice with nothing to price: where a version prices the unit by
        # parking spaces alone, give it a space; where not even that (an inner area of 0 and
        # no parking rule: rare), draw again.
        unpriced = _unpriced_versions(tariff, unit)
        if unpriced and not usage.parking_spaces:
            usage = attrs.evolve(usage, parking_spaces=1)
        if any(
            not any(isinstance(r, ParkingCharge) for r in v.rules_for(unit.property_type))
            for v in unpriced
        ):
            reject()
        span = draw(_spans(drawn)) if spans else ALWAYS
        return issue_statement(
            community=tariff.name,
            unit=unit,
            period=drawn,
            tariff=tariff,
            usage=usage,
            span=span,
            policy=billing,
        )

    return draw_statement()


# -- registration -----------------------------------------------------------------------------
# Zero-argument strategies for the types whose public strategy covers several types; the
# registry names them so the hypothesis entry point can look them up.


def _area_charges() -> st.SearchStrategy[AreaCharge]:
    return _area_charge_rules(moneys(max_value=Money(_DEFAULT_MAX_UNIT_PRICE)), tuple(AreaBasis))


def _fixed_charges() -> st.SearchStrategy[FixedCharge]:
    return _fixed_charge_rules(moneys(max_value=Money(_DEFAULT_MAX_UNIT_PRICE)))


def _parking_charges() -> st.SearchStrategy[ParkingCharge]:
    return _parking_charge_rules(moneys(max_value=Money(_DEFAULT_MAX_UNIT_PRICE)))


def _metered_charges() -> st.SearchStrategy[MeteredCharge]:
    return _metered_charge_rules(tiered_prices())


def _special_service_charges() -> st.SearchStrategy[SpecialServiceCharge]:
    return _service_charge_rules()


def register_type_strategies() -> None:
    """Register each type's default strategy, so ``st.from_type(Money)`` works.

    The hypothesis entry point does this already wherever propcrm is installed; call it yourself
    only where entry points are disabled (``HYPOTHESIS_NO_PLUGINS``).
    """
    namespace = globals()
    for cls, name in default_strategies():
        st.register_type_strategy(cls, namespace[name]())
