"""Tests for money._rates: rates per day, month or year, a type of their own."""

from __future__ import annotations

import decimal
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import (
    InvalidAmount,
    InvalidRate,
    PropcrmError,
    RateBasisMismatch,
    UnsupportedLocale,
)
from propcrm.money import RATE_DIGITS, Money, Rate, RateBasis

DAY, MONTH, YEAR = RateBasis.DAY, RateBasis.MONTH, RateBasis.YEAR


# -- construction ---------------------------------------------------------------------------


def test_late_fee_of_the_brief_is_three_per_mille_a_day() -> None:
    late = Rate.per_mille("3", per=DAY)
    assert late == Rate("0.003", DAY)
    assert late.value == Decimal("0.003")
    assert late.per is DAY
    assert repr(late) == "Rate('0.003', 'day')"


@pytest.mark.parametrize(
    ("percent", "value"),
    [("0.3", "0.003"), (3, "0.03"), (Decimal("3.6"), "0.036"), ("100", "1"), ("0", "0")],
)
def test_percent_constructor(percent: str | int | Decimal, value: str) -> None:
    assert Rate.percent(percent, per=YEAR) == Rate(value, YEAR)


@pytest.mark.parametrize(
    ("per_mille", "value"), [("3", "0.003"), (5, "0.005"), (Decimal("0.5"), "0.0005")]
)
def test_per_mille_constructor(per_mille: str | int | Decimal, value: str) -> None:
    assert Rate.per_mille(per_mille, per=DAY) == Rate(value, DAY)


@pytest.mark.parametrize(
    ("rate", "percent"),
    [
        (Rate("0.003", DAY), Decimal("0.3")),
        (Rate("0.036", YEAR), Decimal("3.6")),
        (Rate("0.0005", MONTH), Decimal("0.05")),
        (Rate("0", DAY), Decimal(0)),
        (Rate("0.1", YEAR), Decimal(10)),
        (Rate("2", YEAR), Decimal(200)),
    ],
)
def test_as_percent(rate: Rate, percent: Decimal) -> None:
    assert rate.as_percent == percent


@given(st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False))
def test_percent_and_as_percent_round_trip(percent: Decimal) -> None:
    assert Rate.percent(percent, per=DAY).as_percent == percent


def test_equal_values_with_different_places_are_equal_rates() -> None:
    assert Rate("0.0030", DAY) == Rate("0.003", DAY)
    assert hash(Rate("0.0030", DAY)) == hash(Rate("0.003", DAY))
    assert Rate("0.003", DAY) != Rate("0.003", YEAR)


@pytest.mark.parametrize("value", ["-0.001", -1, Decimal("-0.003")])
def test_negative_rate_is_refused(value: object) -> None:
    with pytest.raises(InvalidRate, match="negative"):
        Rate(value, DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidRate):
        Rate.percent(value, per=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidRate):
        Rate.per_mille(value, per=DAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0.003, float("nan"), "NaN", "Infinity", "abc", True, None])
def test_non_decimal_rate_is_refused(value: object) -> None:
    with pytest.raises(InvalidRate, match="rate"):
        Rate(value, DAY)  # type: ignore[arg-type]


def test_float_rate_message_names_the_float() -> None:
    with pytest.raises(InvalidRate, match=r"0\.003 is a float"):
        Rate.percent(0.003, per=DAY)  # type: ignore[arg-type]


def test_invalid_rate_is_a_value_error_not_an_invalid_amount() -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        Rate("-1", DAY)
    assert issubclass(InvalidRate, PropcrmError)
    assert not issubclass(InvalidRate, InvalidAmount)


def test_basis_must_be_a_rate_basis() -> None:
    with pytest.raises(TypeError):
        Rate("0.003", "day")  # type: ignore[arg-type]


# -- conversion between bases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "basis", "expected"),
    [
        (Rate("0.003", DAY), YEAR, Rate("1.095", YEAR)),
        (Rate("0.003", DAY), MONTH, Rate("0.09", MONTH)),
        (Rate("0.003", DAY), DAY, Rate("0.003", DAY)),
        (Rate("0.09", MONTH), DAY, Rate("0.003", DAY)),
        (Rate("0.365", YEAR), DAY, Rate("0.001", DAY)),
        (Rate("0.73", YEAR), MONTH, Rate("0.06", MONTH)),
    ],
)
def test_to_basis_with_default_day_counts(rate: Rate, basis: RateBasis, expected: Rate) -> None:
    assert rate.to_basis(basis) == expected


def test_to_basis_with_explicit_day_counts() -> None:
    assert Rate("0.001", DAY).to_basis(YEAR, days_in_year=360) == Rate("0.36", YEAR)
    assert Rate("0.001", DAY).to_basis(MONTH, days_in_month=31) == Rate("0.031", MONTH)
    assert Rate("0.036", YEAR).to_basis(MONTH, days_in_year=360) == Rate("0.003", MONTH)


def test_to_basis_keeps_a_non_terminating_quotient_to_rate_digits() -> None:
    monthly = Rate.percent("3.6", per=YEAR).to_basis(MONTH)  # 0.036 × 30 / 365
    assert len(monthly.value.as_tuple().digits) <= RATE_DIGITS
    exact = decimal.Context(prec=100).divide(Decimal("1.08"), Decimal(365))
    assert abs(monthly.value - exact) < Decimal("1e-35")


@pytest.mark.parametrize("count", [0, -1, 365.0, True, "365"])
def test_to_basis_refuses_bad_day_counts(count: object) -> None:
    with pytest.raises(InvalidRate, match="positive int"):
        Rate("0.003", DAY).to_basis(YEAR, days_in_year=count)  # type: ignore[arg-type]
    with pytest.raises(InvalidRate, match="positive int"):
        Rate("0.003", DAY).to_basis(MONTH, days_in_month=count)  # type: ignore[arg-type]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=9),
    st.sampled_from([1, 30, 360, 365, 366]),
)
def test_day_to_year_to_day_round_trips(digits: int, exponent: int, days_in_year: int) -> None:
    # A daily rate times the days of a year always terminates, so the way back is exact.
    rate = Rate(Decimal(digits).scaleb(-exponent), DAY)
    yearly = rate.to_basis(YEAR, days_in_year=days_in_year)
    assert yearly.to_basis(DAY, days_in_year=days_in_year) == rate


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from([DAY, MONTH, YEAR]))
def test_year_to_day_to_year_round_trips_on_terminating_values(
    thousandths: int, target: RateBasis
) -> None:
    # Multiples of 365 thousandths (and of 30 for months) divide back exactly.
    rate = Rate(Decimal(thousandths * 365 * 30).scaleb(-3), YEAR)
    assert rate.to_basis(target).to_basis(YEAR) == rate


def test_to_basis_ignores_the_ambient_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 2
        ctx.rounding = decimal.ROUND_FLOOR
        yearly = Rate("0.003", DAY).to_basis(YEAR)
    assert yearly == Rate("1.095", YEAR)


# -- arithmetic -----------------------------------------------------------------------------


def test_rate_times_money_is_the_exact_unrounded_amount() -> None:
    fee = Rate.per_mille("3", per=DAY) * Money("1000.00")
    assert isinstance(fee, Money)
    assert repr(fee) == "Money('3.00000', 'CNY')"
    assert Rate("0.003", DAY) * Money("1234.56") == Money("3.70368")
    assert not (Rate("0.003", DAY) * Money("1234.56")).is_rounded


def test_money_times_rate_is_the_same_amount() -> None:
    assert Money("1234.56") * Rate("0.003", DAY) == Money("3.70368")  # type: ignore[operator]


def test_rate_times_money_keeps_the_currency() -> None:
    assert Rate("0.01", DAY) * Money("100", "USD") == Money("1", "USD")


def test_rate_times_number_is_a_rate() -> None:
    assert Rate("0.003", DAY) * 2 == Rate("0.006", DAY)
    assert Decimal("0.5") * Rate("0.003", DAY) == Rate("0.0015", DAY)


def test_rate_times_float_raises_invalid_amount() -> None:
    with pytest.raises(InvalidAmount, match="float"):
        Rate("0.003", DAY) * 2.0


def test_rate_times_negative_number_is_refused() -> None:
    with pytest.raises(InvalidRate):
        Rate("0.003", DAY) * -1


def test_rate_plus_money_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Rate("0.003", DAY) + Money("1")  # type: ignore[operator]


def test_rate_times_rate_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Rate("0.003", DAY) * Rate("0.003", DAY)  # type: ignore[operator]


def test_adding_rates_of_one_basis() -> None:
    assert Rate("0.003", DAY) + Rate("0.002", DAY) == Rate("0.005", DAY)


def test_adding_rates_of_different_bases_is_refused() -> None:
    with pytest.raises(RateBasisMismatch, match="to_basis"):
        Rate("0.003", DAY) + Rate("0.003", YEAR)
    with pytest.raises(TypeError):  # RateBasisMismatch is a TypeError
        Rate("0.003", MONTH) + Rate("0.003", YEAR)


# -- ordering -------------------------------------------------------------------------------


def test_ordering_within_one_basis() -> None:
    low, high = Rate("0.003", DAY), Rate("0.005", DAY)
    assert low < high
    assert low <= Rate("0.0030", DAY)
    assert high > low
    assert high >= Rate("0.005", DAY)
    assert sorted([high, low]) == [low, high]


def test_a_rate_is_neither_below_nor_above_an_equal_rate() -> None:
    # A community's rate checked against the brief's 千分之三 ceiling: equal is not above it.
    ceiling, rate = Rate.per_mille("3", per=DAY), Rate("0.0030", DAY)
    assert not rate < ceiling
    assert not rate > ceiling


@pytest.mark.parametrize(
    "operation",
    [lambda a, b: a < b, lambda a, b: a <= b, lambda a, b: a > b, lambda a, b: a >= b],
    ids=["<", "<=", ">", ">="],
)
def test_ordering_across_bases_is_refused(operation) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RateBasisMismatch):
        operation(Rate("0.003", DAY), Rate("1", YEAR))


def test_ordering_against_a_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Rate("0.003", DAY) < Decimal(1)  # type: ignore[operator]  # noqa: B015


# -- text -----------------------------------------------------------------------------------


def test_str_shows_percent_per_basis() -> None:
    assert str(Rate("0.003", DAY)) == "0.3% per day"


@pytest.mark.parametrize(
    ("rate", "text", "representation"),
    [
        (Rate.percent("10", per=YEAR), "10% per year", "Rate('0.1', 'year')"),
        (Rate("1", DAY).to_basis(MONTH), "3000% per month", "Rate('30', 'month')"),
        (Rate("0.1", DAY).to_basis(YEAR), "3650% per year", "Rate('36.5', 'year')"),
    ],
)
def test_text_uses_plain_notation_not_exponents(rate: Rate, text: str, representation: str) -> None:
    assert str(rate) == text
    assert repr(rate) == representation


@pytest.mark.parametrize(
    ("rate", "chinese", "english"),
    [
        (Rate.per_mille("3", per=RateBasis.DAY), "每日0.3%", "0.3% per day"),
        (Rate.percent("2", per=RateBasis.MONTH), "每月2%", "2% per month"),
        (Rate.percent("109.5", per=RateBasis.YEAR), "每年109.5%", "109.5% per year"),
        (Rate.percent("0.0125", per=RateBasis.DAY), "每日0.0125%", "0.0125% per day"),
        (Rate.percent("1095", per=RateBasis.YEAR), "每年1,095%", "1,095% per year"),
        (Rate("0", per=RateBasis.DAY), "每日0%", "0% per day"),
    ],
)
def test_describe_writes_the_rate_for_people_in_each_locale(
    rate: Rate, chinese: str, english: str
) -> None:
    assert rate.describe() == chinese
    assert rate.describe("en_US") == english


def test_whole_percents_are_written_plainly_whatever_the_ambient_context() -> None:
    # 3000 % is 3E+3 once trailing zeros go; writing it out needs four digits, which a
    # one-digit ambient context would refuse.
    rate = Rate("1", DAY).to_basis(MONTH)
    with localcontext() as ctx:
        ctx.prec = 1
        percent, text = rate.as_percent, str(rate)
    assert str(percent) == "3000"
    assert text == "3000% per month"


def test_describe_keeps_every_digit_whatever_the_ambient_context() -> None:
    rate = Rate.percent("0.123456789", per=RateBasis.DAY)
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        text = rate.describe("en_US")
    assert text == "0.123456789% per day"


def test_describe_refuses_an_unsupported_locale() -> None:
    with pytest.raises(UnsupportedLocale):
        Rate.percent("1", per=RateBasis.DAY).describe("en")
