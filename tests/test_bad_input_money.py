"""Bad input to every public entry point of propcrm.money and propcrm.time (issue 18).

Each test feeds one argument of one entry point the malformed values its kind allows (drawn from
``tests/bad_input.py``) and asserts with :func:`assert_refused` that only a library error with its
context comes out. The other arguments are valid, so the refusal is the bad argument's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_instants,
    bad_locales,
    bad_number_text,
    bad_text,
    wrong_types,
)

from propcrm.errors import InvalidType
from propcrm.money import (
    Money,
    Rate,
    RateBasis,
    RoundingMode,
    allocate,
    as_money,
    as_optional_money,
    check_currency,
    chinese_uppercase,
    format_money,
    minor_unit_places,
    parse_money,
    quantize,
    split_evenly,
    to_decimal,
)
from propcrm.time import (
    BillingPeriod,
    FixedClock,
    PeriodKind,
    SystemClock,
    WeekdayCalendar,
    as_date,
    aware,
    days_inclusive,
    format_days,
    local_date,
    next_working_day,
    zone,
)

NOV = BillingPeriod.month(2026, 11)
DAY = pendulum.date(2026, 11, 24)
INSTANT = pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Shanghai")
DAILY = Rate("0.003", RateBasis.DAY)

#: Currency codes a careful caller could get wrong: lower case, unknown, empty, not text.
bad_currencies = st.sampled_from(["cny", "RMB", "", " CNY", "XXXX", None, 156, True, ["CNY"]])
#: Values that are not a RoundingMode (its name, its decimal constant, other types).
bad_modes = st.sampled_from(["HALF_UP", "ROUND_HALF_UP", None, 1, True, PeriodKind.MONTH])
#: Zone names: fixed offsets, abbreviations, wrong case, empty, not text.
bad_zones = st.sampled_from(["+08:00", "CST", "asia/shanghai", "", " ", None, 8, ["UTC"]])
#: Where a list of ratios is wanted: text (a sequence of characters), sets, mappings, scalars.
bad_ratio_lists = st.one_of(
    st.sampled_from(["123", b"12", {1, 2}, {"a": 1}, 3, None, True, iter([1, 2])]),
    st.lists(bad_amounts, min_size=1, max_size=3),
    st.just([]),
    st.just([0, 0]),
    st.just([1, -1]),
)


def refuses(
    strategy: st.SearchStrategy[Any], call: Callable[[Any], object], examples: int = 25
) -> Callable[..., None]:
    """A test that ``call(bad)`` is refused with a library error for every ``bad`` drawn."""

    @given(bad=strategy)
    @settings(max_examples=examples)
    def test(bad: Any) -> None:
        assert_refused(lambda: call(bad))

    return test


# -- money: construction and conversion ----------------------------------------------------------

test_money_amount = refuses(bad_amounts, Money, 40)
test_money_currency = refuses(bad_currencies, lambda bad: Money("1", bad))
test_money_zero_currency = refuses(bad_currencies, Money.zero)
test_from_minor_units_units = refuses(
    st.one_of(bad_amounts, st.sampled_from(["100", Decimal(100)])), Money.from_minor_units
)
test_from_minor_units_currency = refuses(bad_currencies, lambda bad: Money.from_minor_units(1, bad))
test_total_amounts = refuses(
    st.one_of(
        wrong_types.filter(lambda v: v not in ([], (), {})),  # empty: the empty sum, zero
        st.lists(st.one_of(bad_amounts, st.just(Money("1", "USD"))), min_size=1, max_size=3),
        st.just("12"),
    ),
    Money.total,
)
test_total_currency = refuses(bad_currencies, lambda bad: Money.total([], bad))
test_rounded_mode = refuses(bad_modes, lambda bad: Money("1.005").rounded(bad))
test_as_money = refuses(bad_amounts, as_money, 40)
test_as_optional_money = refuses(bad_amounts.filter(lambda v: v is not None), as_optional_money)
test_to_decimal = refuses(bad_amounts, to_decimal, 40)
test_check_currency = refuses(bad_currencies, check_currency)
test_minor_unit_places = refuses(bad_currencies, minor_unit_places)


# -- money: arithmetic and ordering ---------------------------------------------------------------

_non_money = st.one_of(wrong_types, bad_number_text, st.sampled_from([5, Decimal(5), "5"]))

test_money_less_than = refuses(_non_money, lambda bad: Money("1") < bad)
test_money_greater_or_equal = refuses(_non_money, lambda bad: Money("1") >= bad)
test_money_ordered_by_other = refuses(_non_money, lambda bad: bad > Money("1"))
test_money_ordered_across_currencies = refuses(
    st.sampled_from(["USD", "HKD", "JPY"]), lambda bad: Money("1") < Money("1", bad)
)
test_money_add = refuses(_non_money, lambda bad: Money("1") + bad)
test_money_radd = refuses(
    _non_money.filter(lambda v: not (type(v) is int and v == 0)), lambda bad: bad + Money("1")
)
test_money_subtract = refuses(_non_money, lambda bad: Money("1") - bad)
test_money_multiply = refuses(
    st.one_of(wrong_types, bad_number_text, st.just(Money("2"))), lambda bad: Money("1") * bad
)


@given(bad=st.sampled_from([5, Decimal(5), "5", None, 5.0, INSTANT]))
@settings(max_examples=10)
def test_money_equality_with_a_non_money_stays_false(bad: object) -> None:
    # The hashing contract: equality never raises and never equates a Money with a number.
    assert (Money("5") == bad) is False
    assert Money("5") != bad


# -- money: rates ---------------------------------------------------------------------------------

test_rate_value = refuses(
    st.one_of(bad_amounts, st.sampled_from(["-0.001", -1])), lambda bad: Rate(bad, RateBasis.DAY)
)
test_rate_basis = refuses(
    st.one_of(wrong_types, st.sampled_from(["day", "DAY", PeriodKind.MONTH])),
    lambda bad: Rate("0.003", bad),
)
test_rate_percent = refuses(bad_amounts, lambda bad: Rate.percent(bad, per=RateBasis.DAY))
test_rate_per_mille = refuses(bad_amounts, lambda bad: Rate.per_mille(bad, per=RateBasis.DAY))
test_rate_to_basis = refuses(
    st.one_of(wrong_types, st.sampled_from(["year", PeriodKind.YEAR])),
    DAILY.to_basis,
)
test_rate_days_in_year = refuses(
    bad_counts, lambda bad: DAILY.to_basis(RateBasis.YEAR, days_in_year=bad)
)
test_rate_days_in_month = refuses(
    bad_counts, lambda bad: DAILY.to_basis(RateBasis.MONTH, days_in_month=bad)
)
test_rate_describe_locale = refuses(bad_locales, DAILY.describe)
test_rate_multiply = refuses(
    st.one_of(wrong_types, bad_number_text, st.just(DAILY)), lambda bad: DAILY * bad
)
test_rate_add = refuses(
    st.one_of(wrong_types, st.just(Money("1")), st.just(Rate("0.1", RateBasis.YEAR))),
    lambda bad: DAILY + bad,
)
test_rate_compare = refuses(
    st.one_of(wrong_types, st.just(Money("1")), st.just(Rate("0.1", RateBasis.YEAR))),
    lambda bad: bad > DAILY,
)
test_rounding_mode_label_locale = refuses(bad_locales, RoundingMode.HALF_UP.label)


# -- money: rounding, allocation, text ------------------------------------------------------------

test_quantize_value = refuses(
    st.one_of(wrong_types, st.sampled_from(["1.005", 1, Decimal("NaN"), Decimal("-Infinity")])),
    lambda bad: quantize(bad, 2, RoundingMode.HALF_UP),
)
test_quantize_places = refuses(
    st.one_of(bad_counts, st.sampled_from([61, 10**6, -1])),
    lambda bad: quantize(Decimal("1.005"), bad, RoundingMode.HALF_UP),
)
test_quantize_mode = refuses(bad_modes, lambda bad: quantize(Decimal("1.005"), 2, bad))
test_allocate_total = refuses(
    st.one_of(bad_amounts, st.just(Money("1.005"))), lambda bad: allocate(bad, [1, 1])
)
test_allocate_ratios = refuses(bad_ratio_lists, lambda bad: allocate(Money("1.00"), bad), 40)
test_split_evenly_total = refuses(bad_amounts, lambda bad: split_evenly(bad, 2))
test_split_evenly_parts = refuses(
    st.one_of(bad_counts, st.sampled_from([0, 10**12])), lambda bad: split_evenly(Money("1"), bad)
)
test_chinese_uppercase = refuses(
    st.one_of(
        bad_amounts,
        st.sampled_from([Money("-1.00"), Money("1.005"), Money("1", "USD"), Money("1e13")]),
    ),
    chinese_uppercase,
    40,
)
test_format_money_amount = refuses(bad_amounts, format_money, 40)
test_format_money_locale = refuses(bad_locales, lambda bad: format_money(Money("1"), bad))
test_format_money_rounding = refuses(bad_modes, lambda bad: format_money(Money("1"), rounding=bad))
test_format_money_format_type = refuses(
    st.one_of(wrong_types, st.sampled_from(["", "short", "STANDARD"])),
    lambda bad: format_money(Money("1"), format_type=bad),
)
test_parse_money_text = refuses(
    st.one_of(
        wrong_types,
        # Grouping is the locale's own in parse_money: "1,000.00" is an amount there.
        bad_number_text.filter(lambda v: v != "1,000.00"),
        bad_text,
        st.sampled_from(["$100", "¥1e3", "--1", "1_000", "¥1,0_00"]),
    ),
    parse_money,
    40,
)
test_parse_money_locale = refuses(bad_locales, lambda bad: parse_money("¥1.00", bad))
test_parse_money_currency = refuses(bad_currencies, lambda bad: parse_money("¥1.00", currency=bad))


@pytest.mark.parametrize("text", ["１００", "١٠٠", "१००", "¥１,２３４.５６", "CN¥1٠٠"])
def test_non_ascii_digits_are_refused_wherever_money_text_comes_in(text: str) -> None:
    for call in (lambda: Money(text), lambda: parse_money(text), lambda: to_decimal(text)):
        error = assert_refused(call)
        assert "non-ASCII digit" in str(error)
    assert_refused(lambda: Rate(text, RateBasis.DAY))
    assert_refused(lambda: allocate(Money("1.00"), [text, "1"]))


def test_a_string_is_not_a_list_of_ratios() -> None:
    # "123" used to be read as the three ratios 1, 2 and 3.
    error = assert_refused(lambda: allocate(Money("6.00"), "123"))
    assert isinstance(error, InvalidType)
    assert error.field == "ratios"


# -- time -----------------------------------------------------------------------------------------

test_as_date = refuses(bad_dates, as_date)
test_aware_value = refuses(bad_instants, aware)
test_aware_zone = refuses(
    bad_zones.filter(lambda v: v is not None), lambda bad: aware(INSTANT, bad)
)
test_zone = refuses(bad_zones, zone)
test_local_date_value = refuses(bad_instants, local_date)
test_local_date_zone = refuses(bad_zones, lambda bad: local_date(INSTANT, bad))
test_days_inclusive_first = refuses(bad_dates, lambda bad: days_inclusive(bad, DAY))
test_days_inclusive_last = refuses(bad_dates, lambda bad: days_inclusive(DAY, bad))
test_format_days_count = refuses(bad_counts, format_days)
test_format_days_locale = refuses(bad_locales, lambda bad: format_days(3, bad))
test_period_kind_label_locale = refuses(bad_locales, PeriodKind.MONTH.label)

_bad_years = st.one_of(bad_counts, st.sampled_from([0, 9999, 10**6, "2026"]))
_bad_months = st.one_of(bad_counts, st.sampled_from([0, 13, "11"]))
test_period_kind = refuses(
    st.one_of(wrong_types, st.sampled_from(["month", 1, RateBasis.MONTH])),
    lambda bad: BillingPeriod(bad, pendulum.date(2026, 11, 1)),
)
test_period_start = refuses(
    st.one_of(bad_dates, st.just(pendulum.date(2026, 11, 2))),
    lambda bad: BillingPeriod(PeriodKind.MONTH, bad),
)
test_period_month_year = refuses(_bad_years, lambda bad: BillingPeriod.month(bad, 1))
test_period_month_month = refuses(_bad_months, lambda bad: BillingPeriod.month(2026, bad))
test_period_quarter = refuses(
    st.one_of(bad_counts, st.sampled_from([0, 5])), lambda bad: BillingPeriod.quarter(2026, bad)
)
test_period_half_year = refuses(
    st.one_of(bad_counts, st.sampled_from([0, 3])), lambda bad: BillingPeriod.half_year(2026, bad)
)
test_period_year = refuses(_bad_years, BillingPeriod.year)
test_period_containing_day = refuses(bad_dates, BillingPeriod.containing)
test_period_containing_kind = refuses(
    st.one_of(wrong_types, st.sampled_from(["month", 3])),
    lambda bad: BillingPeriod.containing(DAY, bad),
)
test_period_contains = refuses(bad_dates, NOV.contains)
test_period_ordering = refuses(
    st.one_of(wrong_types, st.sampled_from([DAY, "2026-11"])), lambda bad: bad > NOV
)

test_fixed_clock_instant = refuses(bad_instants, FixedClock)
test_fixed_clock_zone = refuses(bad_zones, lambda bad: FixedClock(INSTANT, bad))
test_system_clock_zone = refuses(bad_zones, SystemClock)
_bad_steps = st.one_of(bad_counts.filter(lambda v: v != -1), st.just(10**12))
test_clock_advance_days = refuses(_bad_steps, lambda bad: FixedClock(INSTANT).advance(days=bad))
test_clock_advance_hours = refuses(_bad_steps, lambda bad: FixedClock(INSTANT).advance(hours=bad))
test_clock_advance_minutes = refuses(
    _bad_steps, lambda bad: FixedClock(INSTANT).advance(minutes=bad)
)
test_clock_advance_seconds = refuses(
    _bad_steps, lambda bad: FixedClock(INSTANT).advance(seconds=bad)
)

_bad_date_sets = st.one_of(
    st.sampled_from([None, 7, "2026-10-01", True]),
    st.lists(bad_dates, min_size=1, max_size=2),
)
test_calendar_closed = refuses(_bad_date_sets, lambda bad: WeekdayCalendar(closed=bad))
test_calendar_open = refuses(_bad_date_sets, lambda bad: WeekdayCalendar(open=bad))
test_calendar_name = refuses(bad_text, lambda bad: WeekdayCalendar(name=bad))
test_calendar_is_working_day = refuses(bad_dates, WeekdayCalendar().is_working_day)
test_next_working_day_calendar = refuses(
    st.one_of(wrong_types, st.sampled_from(["weekdays", PeriodKind.MONTH])),
    lambda bad: next_working_day(bad, DAY),
)
test_next_working_day_day = refuses(bad_dates, lambda bad: next_working_day(WeekdayCalendar(), bad))


def test_a_calendar_with_no_working_day_is_refused_with_its_context() -> None:
    every_day = frozenset(DAY.add(days=n) for n in range(400))
    error = assert_refused(
        lambda: next_working_day(WeekdayCalendar(closed=every_day, name="closed"), DAY)
    )
    assert error.value == "closed"


def test_a_date_both_closed_and_open_names_it() -> None:
    day = datetime.date(2026, 10, 1)
    error = assert_refused(lambda: WeekdayCalendar(closed={day}, open={day}))
    assert error.field == "open"
