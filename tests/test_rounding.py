"""Tests for money._rounding: declared modes and explicit decimal contexts."""

from __future__ import annotations

import decimal
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propcrm.errors import UnsupportedLocale
from propcrm.money import EXACT, RoundingMode, quantize


@pytest.mark.parametrize(
    ("mode", "constant"),
    [
        (RoundingMode.HALF_UP, decimal.ROUND_HALF_UP),
        (RoundingMode.HALF_EVEN, decimal.ROUND_HALF_EVEN),
        (RoundingMode.HALF_DOWN, decimal.ROUND_HALF_DOWN),
        (RoundingMode.UP, decimal.ROUND_UP),
        (RoundingMode.DOWN, decimal.ROUND_DOWN),
        (RoundingMode.CEILING, decimal.ROUND_CEILING),
        (RoundingMode.FLOOR, decimal.ROUND_FLOOR),
    ],
)
def test_each_mode_is_the_matching_decimal_rounding(mode: RoundingMode, constant: str) -> None:
    assert mode.value == constant


def test_there_are_exactly_seven_modes() -> None:
    assert len(RoundingMode) == 7


@pytest.mark.parametrize(
    ("value", "places", "mode", "expected"),
    [
        ("2.345", 2, RoundingMode.HALF_UP, "2.35"),
        ("2.345", 2, RoundingMode.HALF_EVEN, "2.34"),
        ("2.355", 2, RoundingMode.HALF_EVEN, "2.36"),
        ("2.345", 2, RoundingMode.HALF_DOWN, "2.34"),
        ("2.341", 2, RoundingMode.UP, "2.35"),
        ("2.349", 2, RoundingMode.DOWN, "2.34"),
        ("-2.341", 2, RoundingMode.CEILING, "-2.34"),
        ("-2.341", 2, RoundingMode.FLOOR, "-2.35"),
        ("2.5", 0, RoundingMode.HALF_UP, "3"),
        ("2.5", 0, RoundingMode.HALF_EVEN, "2"),
        ("1", 2, RoundingMode.HALF_UP, "1.00"),
        ("1.23456789", 6, RoundingMode.HALF_UP, "1.234568"),
    ],
)
def test_quantize_known_values(value: str, places: int, mode: RoundingMode, expected: str) -> None:
    result = quantize(Decimal(value), places, mode)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -places


def test_quantize_rounds_to_as_many_as_sixty_places() -> None:
    # The widest rounding the 60-digit context holds: a rate kept to 60 places.
    result = quantize(Decimal("0.5"), 60, RoundingMode.HALF_UP)
    assert result == Decimal("0.5")
    assert result.as_tuple().exponent == -60


def test_quantize_ignores_the_ambient_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 2
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = True
        result = quantize(Decimal("12345678.915"), 2, RoundingMode.HALF_UP)
    assert result == Decimal("12345678.92")
    assert len(result.as_tuple().digits) == 10


@given(
    st.decimals(
        min_value=Decimal("-1e15"),
        max_value=Decimal("1e15"),
        allow_nan=False,
        allow_infinity=False,
        places=5,
    ),
    st.sampled_from(list(RoundingMode)),
)
def test_quantize_moves_by_less_than_one_unit(value: Decimal, mode: RoundingMode) -> None:
    result = quantize(value, 2, mode)
    assert result.as_tuple().exponent == -2
    assert abs(result - value) < Decimal("0.01")
    assert quantize(result, 2, mode) == result  # idempotent


def test_exact_traps_inexact_results() -> None:
    with pytest.raises(decimal.Inexact):
        EXACT.divide(Decimal(1), Decimal(3))


def test_exact_traps_division_by_zero_and_invalid_operations() -> None:
    with pytest.raises(decimal.DivisionByZero):
        EXACT.divide(Decimal(1), Decimal(0))
    with pytest.raises(decimal.InvalidOperation):
        EXACT.divide(Decimal(0), Decimal(0))


def test_exact_allows_terminating_results() -> None:
    assert EXACT.divide(Decimal(1), Decimal(8)) == Decimal("0.125")
    assert EXACT.multiply(Decimal("1.5"), Decimal("1.5")) == Decimal("2.25")


def test_exact_holds_large_amounts_to_a_millionth_of_a_fen() -> None:
    big = Decimal("9" * 40 + ".99999999")  # 10**40 to a millionth of a fen: 48 digits
    assert EXACT.add(big, Decimal("0.00000001")) == Decimal("1" + "0" * 40)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_every_mode_has_a_label_in_each_locale_and_no_two_share_one() -> None:
    for locale, chinese in (("zh_CN", True), ("en_US", False)):
        labels = [mode.label(locale) for mode in RoundingMode]
        assert len(set(labels)) == len(labels)
        assert all(_has_han(label) is chinese for label in labels)


def test_half_up_is_named_as_notices_name_it() -> None:
    assert RoundingMode.HALF_UP.label() == "四舍五入"
    assert RoundingMode.HALF_UP.label("en-US") == "half-up"
    assert RoundingMode.HALF_EVEN.label("zh_CN") == "四舍六入五成双"


def test_a_mode_label_refuses_an_unsupported_locale() -> None:
    with pytest.raises(UnsupportedLocale):
        RoundingMode.FLOOR.label("fr_FR")
