"""Tests for money._uppercase (大写金额)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from propcrm.errors import AmountOutOfRange, InvalidAmount, PropcrmError, UnsupportedCurrency
from propcrm.money._money import Money
from propcrm.money._uppercase import MAX_UPPERCASE, chinese_uppercase

# -- an independent reader ------------------------------------------------------------------
# Deliberately shares nothing with the module under test: its own tables, its own algorithm.

_READ_DIGITS = {
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_READ_PLACES = {"拾": 10, "佰": 100, "仟": 1000}
# Each named position, as a number of fen; they must appear in strictly decreasing order.
_READ_POSITIONS = {"亿": 10**10, "万": 10**6, "元": 100, "角": 10, "分": 1}


def read_back(text: str) -> int:
    """Read an uppercase amount back into a number of fen; strict about shape, not spelling."""
    fen = 0
    group = 0  # the value of the current group of up to four digits, before its position name
    digit: int | None = None  # a digit waiting for its place or position name
    last_position = 10**12
    for char in text:
        if char in {"零", "整"}:
            continue
        if char in _READ_DIGITS:
            if digit is not None:
                raise ValueError(f"two digits in a row in {text!r}")
            digit = _READ_DIGITS[char]
        elif char in _READ_PLACES:
            if digit is None or last_position <= 100:
                raise ValueError(f"{char} without a digit or after 元 in {text!r}")
            group += digit * _READ_PLACES[char]
            digit = None
        elif char in _READ_POSITIONS:
            position = _READ_POSITIONS[char]
            value = group + (digit or 0)
            if position >= last_position:
                raise ValueError(f"{char} out of order in {text!r}")
            if position < 100 and (group or not value):
                raise ValueError(f"{char} needs exactly one digit in {text!r}")
            if position > 100 and not value:
                raise ValueError(f"{char} names an empty group in {text!r}")
            fen += value * position
            last_position = position
            group, digit = 0, None
        else:
            raise ValueError(f"unexpected {char!r} in {text!r}")
    if digit is not None or group:
        raise ValueError(f"dangling digits at the end of {text!r}")
    return fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("零元整", 0),
        ("伍角陆分", 56),
        ("壹仟零伍元整", 100_500),
        ("壹拾万零柒仟元伍角叁分", 10_700_053),
        ("壹亿元零壹分", 10_000_000_001),
    ],
)
def test_reader_reads_known_texts(text: str, fen: int) -> None:
    assert read_back(text) == fen


@pytest.mark.parametrize(
    "text",
    ["拾元整", "壹壹元", "元亿", "壹元壹", "壹万壹拾", "壹元x", "伍角壹元", "万元整", "壹拾角"],
)
def test_reader_rejects_malformed_texts(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        read_back(text)


# -- worked examples ------------------------------------------------------------------------

EXAMPLES = [
    # the module's worked examples
    ("10.00", "壹拾元整"),
    ("110000.00", "壹拾壹万元整"),
    ("1000000000.00", "壹拾亿元整"),
    ("1005.00", "壹仟零伍元整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),
    ("100010000.00", "壹亿零壹万元整"),
    ("1000000001.00", "壹拾亿零壹元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("100000000.01", "壹亿元零壹分"),
    ("1.50", "壹元伍角"),
    ("0.00", "零元整"),
    ("0.56", "伍角陆分"),
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    # further cases
    ("0.01", "壹分"),
    ("0.10", "壹角"),
    ("20.00", "贰拾元整"),
    ("1010.00", "壹仟零壹拾元整"),
    ("100000.00", "壹拾万元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("100000000000.00", "壹仟亿元整"),
    ("1000000.00", "壹佰万元整"),
    ("10000.10", "壹万元壹角"),
    ("60000000.30", "陆仟万元叁角"),
    # a few more corners of the 零 rule
    ("1.05", "壹元零伍分"),
    ("100000001.00", "壹亿零壹元整"),
    ("100001000.00", "壹亿零壹仟元整"),
    ("10010.00", "壹万零壹拾元整"),
    ("1001001.00", "壹佰万零壹仟零壹元整"),
    # one 零 per run of zeros, never one after a 零 already written (mutation testing, issue 18)
    ("1011.00", "壹仟零壹拾壹元整"),
    ("11000.00", "壹万壹仟元整"),
    ("10001000.00", "壹仟万零壹仟元整"),
    ("10101000.00", "壹仟零壹拾万零壹仟元整"),
]


@pytest.mark.parametrize(("amount", "expected"), EXAMPLES)
def test_worked_examples(amount: str, expected: str) -> None:
    assert chinese_uppercase(Money(amount)) == expected


@pytest.mark.parametrize(("amount", "expected"), EXAMPLES)
def test_worked_examples_read_back(amount: str, expected: str) -> None:
    assert read_back(expected) == Money(amount).minor_units


@pytest.mark.parametrize("amount", ["1005", "1005.0", "1005.000", Decimal("1.005E+3"), 1005])
def test_trailing_zeros_and_exponents_do_not_matter(amount: str | int | Decimal) -> None:
    assert chinese_uppercase(Money(amount)) == "壹仟零伍元整"


def test_negative_zero_is_zero() -> None:
    assert chinese_uppercase(Money("-0.00")) == "零元整"


def test_max_uppercase() -> None:
    assert Money("999999999999.99") == MAX_UPPERCASE
    assert MAX_UPPERCASE.minor_units == 99_999_999_999_999


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["-0.01", "-1", "-16409.02"])
def test_negative_amounts_are_refused(amount: str) -> None:
    with pytest.raises(AmountOutOfRange, match=r"negative amounts have no uppercase form") as info:
        chinese_uppercase(Money(amount))
    assert "¥999,999,999,999.99" in str(info.value)
    assert "refund" in str(info.value)


@pytest.mark.parametrize("amount", ["1000000000000.00", "999999999999.991", "1E+20"])
def test_amounts_above_the_maximum_are_refused(amount: str) -> None:
    with pytest.raises(AmountOutOfRange, match=r"is above ¥999,999,999,999\.99"):
        chinese_uppercase(Money(amount))


def test_over_max_message_names_the_value() -> None:
    with pytest.raises(AmountOutOfRange, match=r"^amount ¥1,000,000,000,000\.00 is above"):
        chinese_uppercase(Money("1000000000000.00"))


@pytest.mark.parametrize("amount", ["1.005", "0.001", "16409.025"])
def test_sub_fen_amounts_are_refused(amount: str) -> None:
    with pytest.raises(
        InvalidAmount, match=r"below the fen.*round it first with \.rounded\(mode\)"
    ):
        chinese_uppercase(Money(amount))


def test_sub_fen_is_not_out_of_range() -> None:
    with pytest.raises(InvalidAmount) as info:
        chinese_uppercase(Money("1.005"))
    assert not isinstance(info.value, AmountOutOfRange)


def test_rounded_sub_fen_amount_is_accepted() -> None:
    assert chinese_uppercase(Money("1.005").rounded()) == "壹元零壹分"


@pytest.mark.parametrize("currency", ["USD", "HKD", "JPY"])
def test_other_currencies_are_refused(currency: str) -> None:
    with pytest.raises(UnsupportedCurrency, match=rf"only for CNY amounts, not {currency}"):
        chinese_uppercase(Money("1.00", currency))


@pytest.mark.parametrize("value", [Decimal("1.00"), "1.00", 1])
def test_amounts_are_taken_as_money_takes_them(value: object) -> None:
    assert chinese_uppercase(value) == "壹元整"


@pytest.mark.parametrize("value", [None, 1.0, "一元"])
def test_what_is_no_amount_is_refused_as_money_refuses_it(value: object) -> None:
    with pytest.raises(InvalidAmount):
        chinese_uppercase(value)


def test_errors_are_propcrm_errors() -> None:
    for money in (Money("-1"), Money("1.005"), Money("1", "USD"), Money("1E+12")):
        with pytest.raises(PropcrmError):
            chinese_uppercase(money)


# -- properties -----------------------------------------------------------------------------

fen_amounts = st.integers(min_value=0, max_value=MAX_UPPERCASE.minor_units)


@settings(max_examples=2000, deadline=None)
@given(fen_amounts)
def test_uppercase_reads_back_to_the_same_amount(n: int) -> None:
    assert read_back(chinese_uppercase(Money.from_minor_units(n))) == n


def _check_zero_shape(text: str) -> None:
    assert "零零" not in text
    assert not text.startswith("零") or text == "零元整"
    assert not text.endswith("零")


@settings(max_examples=2000, deadline=None)
@given(fen_amounts)
def test_zero_is_never_doubled_leading_or_trailing(n: int) -> None:
    _check_zero_shape(chinese_uppercase(Money.from_minor_units(n)))


def _zero_runs_between_digits(n: int) -> int:
    """How many 零 the text of ``n`` fen must hold, worked out from its digits alone.

    One for every run of zeros between two non-zero yuan digits (a group name such as 万 in
    the middle of the run does not replace it), and one between the yuan and the fen when
    there are yuan and fen but no jiao.
    """
    yuan, jiao, fen = n // 100, n // 10 % 10, n % 10
    runs = len(re.findall(r"(?<=[1-9])0+(?=[1-9])", str(yuan)))
    return runs + (1 if yuan and not jiao and fen else 0)


@settings(max_examples=2000, deadline=None)
@given(fen_amounts)
def test_one_zero_for_each_run_of_zeros_between_digits(n: int) -> None:
    assume(n > 0)  # zero itself is written 零元整
    assert chinese_uppercase(Money.from_minor_units(n)).count("零") == _zero_runs_between_digits(n)


@pytest.mark.parametrize(("amount", "expected"), EXAMPLES)
def test_the_zero_count_rule_agrees_with_the_worked_examples(amount: str, expected: str) -> None:
    if expected != "零元整":
        assert expected.count("零") == _zero_runs_between_digits(Money(amount).minor_units)


EDGES = sorted(
    {n for power in range(14) for n in (10**power - 1, 10**power, 10**power + 1)}
    | {0, MAX_UPPERCASE.minor_units}
)


@pytest.mark.parametrize("n", EDGES)
def test_boundaries(n: int) -> None:
    text = chinese_uppercase(Money.from_minor_units(n))
    assert read_back(text) == n
    _check_zero_shape(text)
    assert text.endswith(("整", "角", "分"))
    assert text.endswith("整") == (n % 100 == 0)
