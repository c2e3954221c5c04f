"""Tests for money._allocation: exact largest-remainder allocation."""

from __future__ import annotations

import decimal
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.refusals import Refusal, assert_refusal

from propcrm.errors import InvalidAllocation, InvalidAmount, InvalidType
from propcrm.money import (
    Money,
    allocate,
    split_evenly,
)

FEN = Fraction(1, 100)


def money_list(*amounts: str, currency: str = "CNY") -> tuple[Money, ...]:
    return tuple(Money(a, currency) for a in amounts)


# -- known values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "ratios", "expected"),
    [
        ("100.00", [1, 1, 1], ("33.34", "33.33", "33.33")),
        ("0.05", [Decimal("0.7"), Decimal("0.3")], ("0.04", "0.01")),
        ("0.02", [1, 1, 1], ("0.01", "0.01", "0.00")),
        ("0.01", [1, 1, 1], ("0.01", "0.00", "0.00")),
        ("10.00", [1, 2, 2], ("2.00", "4.00", "4.00")),
        ("1.00", [1, 1, 1, 1, 1, 1], ("0.17", "0.17", "0.17", "0.17", "0.16", "0.16")),
        ("0.10", [3, 3, 4], ("0.03", "0.03", "0.04")),
        # remainders 1/3 and 2/3 of a fen: the larger remainder wins over the earlier part
        ("0.01", [1, 2], ("0.00", "0.01")),
        # the remainder decides, not the size of the share: 3 1/3 and 1 2/3 fen
        ("0.05", [2, 1], ("0.03", "0.02")),
        ("100.00", ["1", "1", "1"], ("33.34", "33.33", "33.33")),
        ("-100.00", [1, 1, 1], ("-33.34", "-33.33", "-33.33")),
        ("0.00", [1, 2], ("0.00", "0.00")),
        ("7.00", [5], ("7.00",)),
    ],
)
def test_allocate_known_values(
    total: str, ratios: list[Decimal | int | str], expected: tuple[str, ...]
) -> None:
    assert allocate(Money(total), ratios) == money_list(*expected)


def test_ties_go_to_the_earlier_part() -> None:
    assert allocate(Money("0.02"), [1, 1, 1, 1]) == money_list("0.01", "0.01", "0.00", "0.00")
    assert allocate(Money("0.01"), [2, 1, 1]) == money_list("0.01", "0.00", "0.00")
    assert allocate(Money("0.01"), [1, 2, 1]) == money_list("0.00", "0.01", "0.00")


def test_zero_ratios_get_zero() -> None:
    assert allocate(Money("0.05"), [0, 1, 0, 1, 0]) == money_list(
        "0.00", "0.03", "0.00", "0.02", "0.00"
    )


def test_allocate_keeps_the_currency_and_its_minor_unit() -> None:
    assert allocate(Money("100", "JPY"), [1, 1, 1]) == money_list("34", "33", "33", currency="JPY")
    assert allocate(Money("1.00", "USD"), [1, 1]) == money_list("0.50", "0.50", currency="USD")


def test_allocate_parts_are_rounded() -> None:
    assert all(part.is_rounded for part in allocate(Money("100.00"), [1, 1, 1]))


# -- errors ---------------------------------------------------------------------------------


def test_unrounded_total_is_refused() -> None:
    with pytest.raises(InvalidAmount, match="round it first"):
        allocate(Money("100.005"), [1, 1])


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        ([], "no parts"),
        ([1, -1, 1], "ratio #1"),
        ([Decimal("-0.5")], "zero or more"),
        ([0, 0, 0], "sum to zero"),
        ([0], "sum to zero"),
        ([1.5, 1], "float"),
        ([True, 1], "bool"),
        (["abc"], "ratio #0 'abc' is not a decimal"),
        ([1, "x"], "ratio #1 'x' is not a decimal"),
        ([Decimal("NaN")], "not finite"),
    ],
)
def test_bad_ratios_are_refused(ratios: list[object], message: str) -> None:
    with pytest.raises(InvalidAllocation, match=message):
        allocate(Money("1.00"), ratios)  # type: ignore[arg-type]


@pytest.mark.parametrize("ratios", ["123", b"12", {1, 2}, {"owner": 1, "tenant": 1}, 3])
def test_ratios_must_be_a_list_or_tuple(ratios: object) -> None:
    # "123" is a sequence of characters, not the ratios 1, 2 and 3; a set has no order.
    with pytest.raises(InvalidType, match="pass a list or tuple of ratios"):
        allocate(Money("6.00"), ratios)  # type: ignore[arg-type]


RATIOS = "ratios of zero or more (str, int or Decimal), with a positive sum"

#: Each refusal with everything its error carries (tests/refusals.py): a form that splits a
#: repair bill over units marks the right field with it.
REFUSALS = {
    "ratios written as text": Refusal(
        lambda: allocate(Money("6.00"), "123"),  # type: ignore[arg-type]
        InvalidType,
        "ratios '123' is a str; pass a list or tuple of ratios, e.g. [1, 1, 1].",
        "ratios",
        "123",
        "a list or tuple of ratios",
    ),
    "no ratios": Refusal(
        lambda: allocate(Money("6.00"), []),
        InvalidAllocation,
        "cannot allocate over no parts; give at least one ratio.",
        "ratios",
        [],
        RATIOS,
    ),
    "ratios that sum to zero": Refusal(
        lambda: allocate(Money("6.00"), [0, 0]),
        InvalidAllocation,
        "ratios sum to zero; at least one ratio must be positive.",
        "ratios",
        [0, 0],
        RATIOS,
    ),
    "a ratio that is no number": Refusal(
        lambda: allocate(Money("6.00"), [1, "x"]),
        InvalidAllocation,
        "ratio #1 'x' is not a decimal number; write it like '1234.56' (a dot for the decimal "
        "point, no grouping).",
        "ratio #1",
        "x",
        RATIOS,
    ),
    "a negative ratio": Refusal(
        lambda: allocate(Money("6.00"), [1, -1]),
        InvalidAllocation,
        "ratio #1 is -1; ratios must be zero or more, with a positive sum.",
        "ratio #1",
        -1,
        RATIOS,
    ),
    "a split into no parts": Refusal(
        lambda: split_evenly(Money("6.00"), 0),
        InvalidAllocation,
        "parts is 0; it must be an int from 1 to 1,000,000.",
        "parts",
        0,
        "an int from 1 to 1000000",
    ),
}


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_carries_its_class_text_and_context(refusal: Refusal) -> None:
    assert_refusal(refusal)


# -- split_evenly ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        ("10.00", 3, ("3.34", "3.33", "3.33")),
        ("10.00", 1, ("10.00",)),
        ("0.01", 2, ("0.01", "0.00")),
        ("-10.00", 3, ("-3.34", "-3.33", "-3.33")),
        ("9.00", 3, ("3.00", "3.00", "3.00")),
    ],
)
def test_split_evenly(total: str, parts: int, expected: tuple[str, ...]) -> None:
    assert split_evenly(Money(total), parts) == money_list(*expected)


@pytest.mark.parametrize("parts", [0, -1, 2.0, True, "3", None])
def test_split_evenly_refuses_bad_part_counts(parts: object) -> None:
    with pytest.raises(InvalidAllocation, match="parts"):
        split_evenly(Money("10.00"), parts)  # type: ignore[arg-type]


def test_split_evenly_refuses_an_unrounded_total() -> None:
    with pytest.raises(InvalidAmount):
        split_evenly(Money("10.001"), 3)


# -- properties -----------------------------------------------------------------------------

totals = st.integers(min_value=-(10**12), max_value=10**12).map(Money.from_minor_units)
ratio_values = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
)
ratio_lists = st.lists(ratio_values, min_size=1, max_size=12).filter(lambda rs: sum(rs) > 0)


def exact_shares(total: Money, ratios: list[int | Decimal]) -> list[Fraction]:
    whole = sum(Fraction(r) for r in ratios)
    return [Fraction(total.amount) * Fraction(r) / whole for r in ratios]


@given(totals, ratio_lists)
def test_parts_sum_exactly_to_the_total(total: Money, ratios: list[int | Decimal]) -> None:
    parts = allocate(total, ratios)
    assert len(parts) == len(ratios)
    assert Money.total(parts) == total


@given(totals, ratio_lists)
def test_the_extra_fen_go_to_the_largest_remainders(
    total: Money, ratios: list[int | Decimal]
) -> None:
    # Hamilton's rule: every part rounded up had a remainder at least as large as every part
    # rounded down.
    parts = allocate(total, ratios)
    shares = [abs(s) for s in exact_shares(total, ratios)]
    up, down = [], []
    for part, share in zip(parts, shares, strict=True):
        remainder = share - int(share / FEN) * FEN
        (up if abs(Fraction(part.amount)) > share - remainder else down).append(remainder)
    assert not up or not down or min(up) >= max(down)


@given(totals, ratio_lists)
def test_each_part_is_within_one_fen_of_its_exact_share(
    total: Money, ratios: list[int | Decimal]
) -> None:
    parts = allocate(total, ratios)
    for part, share in zip(parts, exact_shares(total, ratios), strict=True):
        assert part.is_rounded
        assert abs(Fraction(part.amount) - share) < FEN


@given(totals, ratio_lists)
def test_zero_ratios_always_get_zero(total: Money, ratios: list[int | Decimal]) -> None:
    parts = allocate(total, ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        if ratio == 0:
            assert part.is_zero


@given(totals, ratio_lists)
def test_allocation_is_deterministic(total: Money, ratios: list[int | Decimal]) -> None:
    assert allocate(total, ratios) == allocate(total, list(ratios))
    # Ratios written as text or scaled by a constant describe the same split.
    assert allocate(total, [str(r) for r in ratios]) == allocate(total, ratios)
    assert allocate(total, [r * 10 for r in ratios]) == allocate(total, ratios)


@given(totals, ratio_lists)
def test_allocating_a_negated_total_negates_each_part(
    total: Money, ratios: list[int | Decimal]
) -> None:
    negated = allocate(-total, ratios)
    assert negated == tuple(-part for part in allocate(total, ratios))


@given(totals, st.integers(min_value=1, max_value=50))
def test_split_evenly_parts_differ_by_at_most_one_fen(total: Money, parts: int) -> None:
    shares = split_evenly(total, parts)
    assert Money.total(shares) == total
    units = [s.minor_units for s in shares]
    assert max(units) - min(units) <= 1
    assert list(map(abs, units)) == sorted(map(abs, units), reverse=True)  # extra fen first


def test_allocate_ignores_a_narrow_ambient_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        parts = allocate(Money("1000.00"), [1, 1, 1])
    assert parts == money_list("333.34", "333.33", "333.33")
