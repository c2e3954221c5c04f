"""Tests for money._money: exact amounts with their currency."""

from __future__ import annotations

import decimal
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import (
    AmountOutOfRange,
    CurrencyMismatch,
    InvalidAmount,
    PropcrmError,
    UnknownCurrency,
)
from propcrm.money import (
    Money,
    Rate,
    RateBasis,
    RoundingMode,
    to_decimal,
)

# Amounts with up to 6 places and at most 20 integer digits: far inside EXACT's 60 digits, so
# sums and differences of a few of them must come out exact.
amounts = st.decimals(
    min_value=Decimal("-1e20"),
    max_value=Decimal("1e20"),
    allow_nan=False,
    allow_infinity=False,
    places=6,
)
# Reference results are computed in a context of our own, wide enough and trapping any rounding.
_EXACT_REFERENCE = decimal.Context(prec=200, traps=[decimal.Inexact])


# -- construction ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.34", Decimal("12.34")),
        (" 12.34 ", Decimal("12.34")),
        ("-0.005", Decimal("-0.005")),
        (12, Decimal(12)),
        (0, Decimal(0)),
        (-7, Decimal(-7)),
        (Decimal("0.10"), Decimal("0.10")),
        (Decimal("1E+3"), Decimal(1000)),
    ],
)
def test_money_is_built_from_str_int_and_decimal(value: object, expected: Decimal) -> None:
    money = Money(value)
    assert money.amount == expected
    assert isinstance(money.amount, Decimal)
    assert money.currency == "CNY"


def test_money_keeps_the_places_it_was_given() -> None:
    assert Money("0.10").amount.as_tuple().exponent == -2
    assert repr(Money("0.10")) == "Money('0.10', 'CNY')"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.1, "0.1"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (Decimal("NaN"), "NaN"),
        (Decimal("Infinity"), "Infinity"),
        (Decimal("-Infinity"), "-Infinity"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("abc", "abc"),
        ("1,5", "1,5"),
        ("", "''"),
        (True, "True"),
        (False, "False"),
        (None, "None"),
        ([1, 2], "[1, 2]"),
    ],
)
def test_money_refuses_anything_but_a_finite_exact_number(value: object, shown: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        Money(value)
    assert shown in str(info.value)


def test_invalid_amount_is_both_a_propcrm_error_and_a_value_error() -> None:
    with pytest.raises(ValueError, match="float"):
        Money(0.5)
    with pytest.raises(PropcrmError):
        Money(0.5)


def test_float_message_suggests_the_str_form() -> None:
    with pytest.raises(InvalidAmount, match=r"Money\('0\.10'\)"):
        Money(0.1)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_money_from_any_float_raises_invalid_amount(value: float) -> None:
    with pytest.raises(InvalidAmount):
        Money(value)


def test_to_decimal_names_what_it_converts() -> None:
    with pytest.raises(InvalidAmount, match=r"^factor 'x'"):
        to_decimal("x", what="factor")
    assert to_decimal("1.50") == Decimal("1.50")


@pytest.mark.parametrize("code", ["usd", "XXXX", "", "RMB", 156, None])
def test_unknown_currency_is_refused(code: object) -> None:
    with pytest.raises(UnknownCurrency):
        Money("1", code)  # type: ignore[arg-type]


def test_zero_is_zero_of_its_currency() -> None:
    assert Money.zero() == Money("0")
    assert Money.zero("USD") == Money("0", "USD")
    with pytest.raises(UnknownCurrency):
        Money.zero("usd")


# -- equality and hashing -------------------------------------------------------------------


def test_equal_amounts_with_different_places_are_equal_and_hash_equal() -> None:
    assert Money("1.0") == Money("1.00")
    assert hash(Money("1.0")) == hash(Money("1.00"))
    assert len({Money("1"), Money("1.0"), Money("1.00")}) == 1


def test_equality_across_currencies_is_false_not_an_error() -> None:
    assert Money("1", "USD") != Money("1", "CNY")
    assert not (Money("1", "USD") == Money("1", "CNY"))  # noqa: SIM201


def test_money_is_not_equal_to_a_bare_number() -> None:
    assert Money("1") != Decimal(1)
    assert Money("1") != 1


# -- arithmetic -----------------------------------------------------------------------------


def test_addition_and_subtraction_are_exact() -> None:
    assert Money("0.1") + Money("0.2") == Money("0.3")
    assert Money("1.10") - Money("2.205") == Money("-1.105")
    assert (Money("1.10") + Money("2.205")).amount.as_tuple().exponent == -3


def test_multiplication_by_int_and_decimal_is_exact_and_unrounded() -> None:
    fee = Money("2.80") * Decimal("89.37")
    assert repr(fee) == "Money('250.2360', 'CNY')"
    assert Money("2.80") * 3 == Money("8.40")
    assert 3 * Money("2.80") == Money("8.40")
    assert Decimal("0.5") * Money("0.01") == Money("0.005")


@pytest.mark.parametrize("factor", [1.5, float("nan"), 0.0])
def test_multiplication_by_float_raises_invalid_amount(factor: float) -> None:
    with pytest.raises(InvalidAmount, match="float"):
        Money("1") * factor
    with pytest.raises(InvalidAmount, match="float"):
        factor * Money("1")


def test_multiplication_by_bool_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1") * True


def test_money_times_money_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1") * Money("2")  # type: ignore[operator]


def test_money_plus_rate_is_a_type_error() -> None:
    rate = Rate("0.003", RateBasis.DAY)
    with pytest.raises(TypeError):
        Money("1") + rate  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money("1") - rate  # type: ignore[operator]


@pytest.mark.parametrize("other", [1, Decimal(1), "1"])
def test_money_plus_a_bare_number_is_a_type_error(other: object) -> None:
    with pytest.raises(TypeError):
        Money("1") + other  # type: ignore[operator]


def test_negation_and_absolute_value() -> None:
    assert -Money("1.25") == Money("-1.25")
    assert -Money("-1.25") == Money("1.25")
    assert abs(Money("-1.25")) == Money("1.25")
    assert abs(Money("1.25")) == Money("1.25")
    assert +Money("1.25") == Money("1.25")
    assert -Money("5", "USD") == Money("-5", "USD")


def test_negation_and_absolute_value_never_round() -> None:
    # Negation and abs are exact by nature; any amount the constructor accepts has a negative.
    digits = "1" * 61
    assert -Money(digits) == Money("-" + digits)
    assert abs(Money("-" + digits)) == Money(digits)


def test_exact_arithmetic_refuses_to_round_silently() -> None:
    huge = Money("1" * 60)
    with pytest.raises(AmountOutOfRange, match="significant digits"):
        huge + Money("0.1")
    with pytest.raises(InvalidAmount):  # AmountOutOfRange is an InvalidAmount
        huge * Decimal("1.1")


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
    ids=["+", "-", "<", "<=", ">", ">="],
)
def test_currency_mismatch_on_arithmetic_and_ordering(operation) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CurrencyMismatch, match="USD and CNY"):
        operation(Money("1", "USD"), Money("1"))
    with pytest.raises(TypeError):  # CurrencyMismatch is also a TypeError
        operation(Money("1", "USD"), Money("1"))


def test_ordering_within_one_currency() -> None:
    assert Money("1.00") < Money("1.01")
    assert Money("1.0") <= Money("1.00")
    assert Money("-1") > Money("-2")
    assert Money("2") >= Money("2.000")
    assert sorted([Money("3"), Money("-1"), Money("2")]) == [Money("-1"), Money("2"), Money("3")]
    assert max(Money("3"), Money("7")) == Money("7")


def test_an_amount_is_neither_below_nor_above_an_equal_amount() -> None:
    # A receipt of exactly the amount due is not short of it (the strict orders stay strict).
    due, paid = Money("250.24"), Money("250.240")
    assert not paid < due
    assert not paid > due
    assert paid <= due
    assert paid >= due


def test_ordering_against_a_bare_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1") < 2  # type: ignore[operator]  # noqa: B015


# -- sums -----------------------------------------------------------------------------------


def test_total_is_exact_and_empty_total_is_zero() -> None:
    assert repr(Money.total([Money("1.10"), Money("2.205")])) == "Money('3.305', 'CNY')"
    assert Money.total([]) == Money("0")
    assert Money.total([], "USD") == Money("0", "USD")
    assert Money.total(iter([Money("1", "USD")] * 3), "USD") == Money("3", "USD")


@pytest.mark.parametrize(("currency", "shown"), [("CNY", "CNY 0.00"), ("JPY", "JPY 0")])
def test_an_empty_total_is_written_to_the_minor_unit(currency: str, shown: str) -> None:
    # A statement with no lines prints its total as 0.00, as a notice does, not as 0.
    assert str(Money.total([], currency)) == shown


def test_an_empty_total_keeps_its_places_whatever_the_ambient_context() -> None:
    # A context whose smallest exponent is 0 would clamp 0.00 to 0 if total() used it.
    with localcontext(decimal.Context(prec=1, Emin=0, Emax=1)):
        empty = Money.total([])
    assert repr(empty) == "Money('0.00', 'CNY')"


def test_total_refuses_other_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        Money.total([Money("1"), Money("1", "USD")])
    with pytest.raises(CurrencyMismatch):
        Money.total([Money("1")], "USD")


def test_builtin_sum_works_with_its_default_start() -> None:
    assert sum([Money("0.10"), Money("0.20"), Money("0.30")]) == Money("0.60")
    assert sum([Money("1", "USD")], Money.zero("USD")) == Money("1", "USD")


def test_builtin_sum_refuses_a_non_zero_int_start() -> None:
    with pytest.raises(TypeError):
        sum([Money("1")], 1)


# -- predicates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "truthy", "zero", "positive", "negative"),
    [
        ("0", False, True, False, False),
        ("0.00", False, True, False, False),
        ("-0", False, True, False, False),
        ("0.001", True, False, True, False),
        ("-0.001", True, False, False, True),
    ],
)
def test_truthiness_and_sign_predicates(
    amount: str, truthy: bool, zero: bool, positive: bool, negative: bool
) -> None:
    money = Money(amount)
    assert bool(money) is truthy
    assert money.is_zero is zero
    assert money.is_positive is positive
    assert money.is_negative is negative


# -- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "mode", "expected"),
    [
        ("0.125", RoundingMode.HALF_UP, "0.13"),
        ("0.125", RoundingMode.HALF_EVEN, "0.12"),
        ("0.125", RoundingMode.HALF_DOWN, "0.12"),
        ("0.125", RoundingMode.UP, "0.13"),
        ("0.125", RoundingMode.DOWN, "0.12"),
        ("0.125", RoundingMode.CEILING, "0.13"),
        ("0.125", RoundingMode.FLOOR, "0.12"),
        ("-0.125", RoundingMode.HALF_UP, "-0.13"),
        ("-0.125", RoundingMode.HALF_EVEN, "-0.12"),
        ("-0.125", RoundingMode.HALF_DOWN, "-0.12"),
        ("-0.125", RoundingMode.UP, "-0.13"),
        ("-0.125", RoundingMode.DOWN, "-0.12"),
        ("-0.125", RoundingMode.CEILING, "-0.12"),
        ("-0.125", RoundingMode.FLOOR, "-0.13"),
        ("2.675", RoundingMode.HALF_UP, "2.68"),
        ("2.675", RoundingMode.HALF_EVEN, "2.68"),
        ("2.675", RoundingMode.HALF_DOWN, "2.67"),
        ("2.675", RoundingMode.DOWN, "2.67"),
        ("0.005", RoundingMode.HALF_UP, "0.01"),
        ("0.005", RoundingMode.HALF_EVEN, "0.00"),
        ("0.005", RoundingMode.HALF_DOWN, "0.00"),
        ("0.005", RoundingMode.UP, "0.01"),
        ("0.005", RoundingMode.CEILING, "0.01"),
        ("0.005", RoundingMode.FLOOR, "0.00"),
        ("0.0051", RoundingMode.HALF_DOWN, "0.01"),
        ("0.001", RoundingMode.UP, "0.01"),
        ("-0.001", RoundingMode.FLOOR, "-0.01"),
        ("-0.001", RoundingMode.CEILING, "0.00"),
        ("7", RoundingMode.HALF_UP, "7.00"),
    ],
)
def test_rounded_with_every_mode(amount: str, mode: RoundingMode, expected: str) -> None:
    result = Money(amount).rounded(mode)
    assert result == Money(expected)
    assert result.amount.as_tuple().exponent == -2  # exactly two places


def test_rounded_defaults_to_half_up() -> None:
    assert Money("0.125").rounded() == Money("0.13")
    assert Money("-0.125").rounded() == Money("-0.13")


def test_rounded_keeps_the_currency() -> None:
    assert Money("1.005", "USD").rounded() == Money("1.01", "USD")


@pytest.mark.parametrize(
    ("amount", "mode", "expected"),
    [
        ("5", RoundingMode.HALF_UP, "5"),
        ("2.5", RoundingMode.HALF_UP, "3"),
        ("2.5", RoundingMode.HALF_EVEN, "2"),
        ("-2.5", RoundingMode.HALF_UP, "-3"),
        ("0.4", RoundingMode.UP, "1"),
    ],
)
def test_jpy_rounds_to_whole_yen(amount: str, mode: RoundingMode, expected: str) -> None:
    money = Money(amount, "JPY")
    assert money.places == 0
    result = money.rounded(mode)
    assert result == Money(expected, "JPY")
    assert result.amount.as_tuple().exponent == 0


def test_places_follows_the_currency() -> None:
    assert Money("1").places == 2
    assert Money("1", "JPY").places == 0
    assert Money("1", "KWD").places == 3


@pytest.mark.parametrize(
    ("amount", "is_rounded"),
    [("1.23", True), ("1.230", True), ("1", True), ("1.231", False), ("-0.001", False)],
)
def test_is_rounded(amount: str, is_rounded: bool) -> None:
    assert Money(amount).is_rounded is is_rounded


# -- minor units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "units"),
    [
        ("12.34", "CNY", 1234),
        ("12.340", "CNY", 1234),
        ("-0.01", "CNY", -1),
        ("0", "CNY", 0),
        ("100", "CNY", 10000),
        ("5", "JPY", 5),
        ("1.234", "KWD", 1234),
    ],
)
def test_minor_units(amount: str, currency: str, units: int) -> None:
    assert Money(amount, currency).minor_units == units


@pytest.mark.parametrize(("amount", "currency"), [("12.345", "CNY"), ("0.5", "JPY")])
def test_minor_units_refuses_an_unrounded_amount(amount: str, currency: str) -> None:
    with pytest.raises(InvalidAmount, match="round it first"):
        _ = Money(amount, currency).minor_units


@pytest.mark.parametrize(
    ("units", "currency", "expected"),
    [(1234, "CNY", "12.34"), (-5, "CNY", "-0.05"), (0, "CNY", "0"), (5, "JPY", "5")],
)
def test_from_minor_units(units: int, currency: str, expected: str) -> None:
    money = Money.from_minor_units(units, currency)
    assert money == Money(expected, currency)
    assert money.minor_units == units


@pytest.mark.parametrize("units", [1.5, "12", True, Decimal(3), None])
def test_from_minor_units_refuses_non_int(units: object) -> None:
    with pytest.raises(InvalidAmount, match="must be an int"):
        Money.from_minor_units(units)  # type: ignore[arg-type]


def test_from_minor_units_refuses_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        Money.from_minor_units(1, "usd")


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_minor_units_round_trip(units: int) -> None:
    assert Money.from_minor_units(units).minor_units == units


# -- text -----------------------------------------------------------------------------------


def test_repr_and_str_are_locale_free() -> None:
    assert repr(Money("1234.5")) == "Money('1234.5', 'CNY')"
    assert str(Money("1234.5", "USD")) == "USD 1234.5"


# -- exactness and the ambient context ------------------------------------------------------


@given(amounts, amounts)
def test_adding_then_subtracting_gives_back_the_amount(a: Decimal, b: Decimal) -> None:
    assert Money(a) + Money(b) - Money(b) == Money(a)
    assert (Money(a) + Money(b)).amount == _EXACT_REFERENCE.add(a, b)


@given(amounts, amounts, amounts)
def test_addition_is_associative(a: Decimal, b: Decimal, c: Decimal) -> None:
    assert (Money(a) + Money(b)) + Money(c) == Money(a) + (Money(b) + Money(c))


@given(amounts, amounts, amounts)
def test_arithmetic_ignores_a_narrow_ambient_context(a: Decimal, b: Decimal, c: Decimal) -> None:
    exact = _EXACT_REFERENCE
    expected_sum = exact.subtract(exact.add(a, b), c)
    expected_product = exact.multiply(a, Decimal("1.5"))
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        total = Money(a) + Money(b) - Money(c)
        product = Money(a) * Decimal("1.5")
        negated = -Money(a)
    assert total.amount == expected_sum
    assert product.amount == expected_product
    assert negated.amount == exact.minus(a)


def test_known_operations_ignore_a_narrow_ambient_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        assert Money("1234.5678") + Money("0.0001") == Money("1234.5679")
        assert Money("1234.56") * 3 == Money("3703.68")
        assert Money("1234.565").rounded() == Money("1234.57")
        assert Money("1234.56").minor_units == 123456
        assert Money.total([Money("1000.01")] * 3) == Money("3000.03")


def test_from_minor_units_ignores_a_narrow_ambient_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        money = Money.from_minor_units(123456)
    assert money == Money("1234.56")


# -- the fast constructor (propcrm._trusted.slot_constructor) -------------------------------


@given(amounts, amounts, st.sampled_from(["CNY", "USD", "JPY"]), st.sampled_from(RoundingMode))
def test_money_built_by_the_fast_path_equals_its_validated_rebuild(
    a: Decimal, b: Decimal, currency: str, mode: RoundingMode
) -> None:
    """Every operation that builds through Money._trusted gives what Money(...) would."""
    from propcrm._trusted import rebuilt_validated

    x, y = Money(a, currency), Money(b, currency)
    for built in (
        x + y,
        x - y,
        x * 3,
        -x,
        abs(x),
        x.rounded(mode),
        Money.total([x, y], currency),
        Money.from_minor_units(7, currency),
    ):
        rebuilt = rebuilt_validated(built)
        assert rebuilt == built
        assert type(built) is Money
        # Field for field, the exponent included (Money('1.0') and Money('1.00') are equal).
        assert str(rebuilt.amount) == str(built.amount)
        assert rebuilt.currency == built.currency


def test_money_fast_path_is_the_shared_slot_constructor() -> None:
    from propcrm._trusted import slot_constructor

    assert Money._trusted is slot_constructor(Money)


# -- comparing and combining with what is not Money (issue 18) -------------------------------


@pytest.mark.parametrize("other", [5, Decimal(5), "5", None, 5.0])
def test_ordering_money_against_a_non_money_is_a_library_error(other: object) -> None:
    from propcrm.errors import InvalidType

    for compare in (
        lambda: Money("1") < other,
        lambda: Money("1") <= other,
        lambda: Money("1") > other,
        lambda: Money("1") >= other,
        lambda: other < Money("1"),  # type: ignore[operator]
    ):
        with pytest.raises(InvalidType, match="cannot compare Money") as caught:
            compare()
        assert caught.value.value == other
        assert caught.value.allowed == "Money"


@pytest.mark.parametrize("other", [1, Decimal(1), "1"])
def test_money_never_equals_a_number_and_hashes_consistently(other: object) -> None:
    assert Money("1") != other
    assert (Money("1") == other) is False
    assert hash(Money("1")) == hash(Money("1.00"))


@pytest.mark.parametrize("other", [5, Decimal(5), "5", None])
def test_adding_or_subtracting_a_non_money_is_a_library_error(other: object) -> None:
    from propcrm.errors import InvalidType

    with pytest.raises(InvalidType, match="cannot add"):
        Money("1") + other  # type: ignore[operator]
    with pytest.raises(InvalidType, match="cannot subtract"):
        Money("1") - other  # type: ignore[operator]
    with pytest.raises(InvalidType, match="cannot add"):
        other + Money("1")  # type: ignore[operator]


def test_sum_still_starts_from_zero() -> None:
    assert sum([Money("1"), Money("2")]) == Money("3")


@pytest.mark.parametrize("factor", ["2", Money("2"), True, None])
def test_multiplying_by_a_non_number_is_a_library_error(factor: object) -> None:
    from propcrm.errors import InvalidType

    with pytest.raises(InvalidType, match="cannot multiply Money"):
        Money("1") * factor  # type: ignore[operator]


@pytest.mark.parametrize("text", ["１００", "١٠٠", "१००", "1０"])
def test_non_ascii_digits_are_refused_not_normalised(text: str) -> None:
    with pytest.raises(InvalidAmount, match="non-ASCII digit") as caught:
        Money(text)
    assert caught.value.field == "amount"
    assert caught.value.value == text


def test_negating_zero_or_multiplying_by_zero_never_gives_minus_zero() -> None:
    # The fast path stored -0 here, which printed as "-0.00" and which Money(...) never builds.
    assert repr(-Money("0.00")) == "Money('0.00', 'CNY')"
    assert repr(Money("-1.50") * 0) == "Money('0.00', 'CNY')"
    assert repr(0 * Money("-1.5")) == "Money('0.0', 'CNY')"


@pytest.mark.parametrize("text", ["1e999999", "-1E+100", "1e-100", "0E-999999"])
def test_amounts_written_with_absurd_exponents_are_refused(text: str) -> None:
    # "1e999999" was accepted: its repr printed a million digits and multiplying it overflowed.
    with pytest.raises(AmountOutOfRange, match="exponent") as caught:
        Money(text)
    assert caught.value.field == "amount"
    assert Money("9" * 99).amount.adjusted() == 98  # the largest magnitude still accepted
