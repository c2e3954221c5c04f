"""What money, rates and rounding say when they refuse: the error's class, text and context.

Each row is one refusal a careful caller can meet, with everything its error carries (see
``tests/refusals.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.refusals import Refusal, assert_refusal

from propcrm.errors import (
    AmountOutOfRange,
    CurrencyMismatch,
    InvalidAmount,
    InvalidRate,
    InvalidType,
    RateBasisMismatch,
)
from propcrm.money import Money, Rate, RateBasis, RoundingMode, quantize

LATE = Rate("0.003", RateBasis.DAY)  # 千分之三 a day, the brief's late fee (§2)
YEARLY = Rate("0.036", RateBasis.YEAR)
FEE = Money("250.24")
HKD_FEE = Money("250.24", "HKD")
HUGE = Money("1e59")  # 60 digits: one more significant digit no longer fits
NOT_MONEY = "make it a Money first (as_money(value)), so that its currency is stated."
NO_CONVERSION = "convert one of them first (propcrm never converts currencies implicitly)."
RATE_ALLOWED = "a finite decimal of zero or more (str, int or Decimal)"


REFUSALS = {
    # -- Money arithmetic ----------------------------------------------------------------------
    "fee plus a bare number": Refusal(
        lambda: FEE + 5,
        InvalidType,
        f"cannot add Money and int 5; {NOT_MONEY}",
        "other",
        5,
        "Money",
        "add",
    ),
    "a bare number plus a fee": Refusal(
        lambda: 5 + FEE,
        InvalidType,
        f"cannot add Money and int 5; {NOT_MONEY}",
        "other",
        5,
        "Money",
        "add",
    ),
    "fee minus a bare number": Refusal(
        lambda: FEE - Decimal("0.5"),
        InvalidType,
        f"cannot subtract Money and Decimal Decimal('0.5'); {NOT_MONEY}",
        "other",
        Decimal("0.5"),
        "Money",
        "subtract",
    ),
    "yuan plus Hong Kong dollars": Refusal(
        lambda: FEE + HKD_FEE,
        CurrencyMismatch,
        f"cannot add CNY and HKD amounts; {NO_CONVERSION}",
        "currency",
        "HKD",
        "CNY",
        "add",
    ),
    "Hong Kong dollars minus yuan": Refusal(
        lambda: HKD_FEE - FEE,
        CurrencyMismatch,
        f"cannot subtract HKD and CNY amounts; {NO_CONVERSION}",
        "currency",
        "CNY",
        "HKD",
        "subtract",
    ),
    "yuan against Hong Kong dollars": Refusal(
        lambda: FEE < HKD_FEE,
        CurrencyMismatch,
        f"cannot compare CNY and HKD amounts; {NO_CONVERSION}",
        "currency",
        "HKD",
        "CNY",
        "compare",
    ),
    "fee against a bare number": Refusal(
        lambda: FEE >= 250,
        InvalidType,
        f"cannot compare Money and int 250; {NOT_MONEY}",
        "other",
        250,
        "Money",
        "compare",
    ),
    "fee times text": Refusal(
        lambda: FEE * "2",
        InvalidType,
        "cannot multiply Money by str '2'; the factor is an int or Decimal "
        "(e.g. Decimal('89.37')).",
        "factor",
        "2",
        "int or Decimal",
    ),
    "fee times a float": Refusal(
        lambda: FEE * 1.5,
        InvalidAmount,
        "factor 1.5 is a float; floats cannot hold fen exactly. Pass a str, int or Decimal "
        "instead, e.g. '1.5'.",
        "factor",
        1.5,
        "str, int or Decimal",
    ),
    "fee times NaN": Refusal(
        lambda: FEE * Decimal("NaN"),
        InvalidAmount,
        "factor Decimal('NaN') is not finite; only finite decimals are allowed.",
        "factor",
        Decimal("NaN"),
        "a finite decimal",
    ),
    "a sum past 60 digits": Refusal(
        lambda: HUGE + Money("0.00001"),
        AmountOutOfRange,
        "1E+59 and 0.00001 give a result with more than 60 significant digits; "
        "propcrm refuses to round it silently.",
        "amount",
        (Decimal("1E+59"), Decimal("0.00001")),
        "results of at most 60 significant digits",
    ),
    # -- Money.total ---------------------------------------------------------------------------
    "a total of a number": Refusal(
        lambda: Money.total(5),  # type: ignore[arg-type]
        InvalidType,
        "amounts 5 is not an iterable of Money; pass a list or tuple of them.",
        "amounts",
        5,
        "an iterable of Money",
    ),
    "a total with a bare number in it": Refusal(
        lambda: Money.total([FEE, 1]),  # type: ignore[list-item]
        InvalidType,
        f"cannot add Money and int 1; {NOT_MONEY}",
        "other",
        1,
        "Money",
        "add",
    ),
    "a yuan total with Hong Kong dollars in it": Refusal(
        lambda: Money.total([FEE, HKD_FEE]),
        CurrencyMismatch,
        f"cannot add CNY and HKD amounts; {NO_CONVERSION}",
        "currency",
        "HKD",
        "CNY",
        "add",
    ),
    "a total past 60 digits": Refusal(
        lambda: Money.total([HUGE, Money("0.00001")]),
        AmountOutOfRange,
        f"{10**59} and 0.00001 give a result with more than 60 significant digits; "
        "propcrm refuses to round it silently.",
        "amount",
        (Decimal(10**59), Decimal("0.00001")),
        "results of at most 60 significant digits",
    ),
    # -- rates ---------------------------------------------------------------------------------
    "a rate written in words": Refusal(
        lambda: Rate("千分之三", RateBasis.DAY),
        InvalidRate,
        "rate '千分之三' is not a decimal number; write it like '1234.56' (a dot for the "
        "decimal point, no grouping).",
        "rate",
        "千分之三",
        RATE_ALLOWED,
    ),
    "a negative rate": Refusal(
        lambda: Rate.percent("-0.3", per=RateBasis.DAY),
        InvalidRate,
        "rate '-0.3' is negative; rates are fractions of zero or more.",
        "rate",
        "-0.3",
        RATE_ALLOWED,
    ),
    "a rate times text": Refusal(
        lambda: LATE * "30",
        InvalidType,
        "cannot multiply a Rate by str '30'; multiply it by a Money, an int or a Decimal.",
        "factor",
        "30",
        "Money, int or Decimal",
    ),
    "a rate times a float": Refusal(
        lambda: LATE * 0.5,
        InvalidAmount,
        "factor 0.5 is a float; floats cannot hold fen exactly. Pass a str, int or Decimal "
        "instead, e.g. '0.5'.",
        "factor",
        0.5,
        "str, int or Decimal",
    ),
    "a rate times infinity": Refusal(
        lambda: LATE * Decimal("Infinity"),
        InvalidAmount,
        "factor Decimal('Infinity') is not finite; only finite decimals are allowed.",
        "factor",
        Decimal("Infinity"),
        "a finite decimal",
    ),
    "a rate plus a number": Refusal(
        lambda: LATE + Decimal("0.001"),
        InvalidType,
        "cannot add Rate and Decimal Decimal('0.001'); both must be Rates.",
        "other",
        Decimal("0.001"),
        "Rate",
        "add",
    ),
    "a daily plus a yearly rate": Refusal(
        lambda: LATE + YEARLY,
        RateBasisMismatch,
        "cannot add a rate per day and one per year; convert one with .to_basis() first.",
        "per",
        RateBasis.YEAR,
        "day",
        "add",
    ),
    "a rate against a number": Refusal(
        lambda: LATE > 0,
        InvalidType,
        "cannot compare Rate and int 0; both must be Rates.",
        "other",
        0,
        "Rate",
        "compare",
    ),
    "a yearly against a daily rate": Refusal(
        lambda: YEARLY < LATE,
        RateBasisMismatch,
        "cannot compare a rate per year and one per day; convert one with .to_basis() first.",
        "per",
        RateBasis.DAY,
        "year",
        "compare",
    ),
    "a basis named in text": Refusal(
        lambda: LATE.to_basis("year"),  # type: ignore[arg-type]
        InvalidType,
        "basis 'year' is not a RateBasis; pass RateBasis.DAY, MONTH or YEAR.",
        "basis",
        "year",
        "RateBasis",
    ),
    "a year of no days": Refusal(
        lambda: LATE.to_basis(RateBasis.YEAR, days_in_year=0),
        InvalidRate,
        "day count 0 must be a positive int, e.g. 365 or 30.",
        "days_in_year",
        0,
        "int >= 1",
    ),
    "a month of True days": Refusal(
        lambda: LATE.to_basis(RateBasis.MONTH, days_in_month=True),
        InvalidRate,
        "day count True must be a positive int, e.g. 365 or 30.",
        "days_in_month",
        True,
        "int >= 1",
    ),
    # -- rounding ------------------------------------------------------------------------------
    "a rounding mode named in text": Refusal(
        lambda: quantize(Decimal("2.345"), 2, "HALF_UP"),  # type: ignore[arg-type]
        InvalidType,
        "mode 'HALF_UP' is not a RoundingMode; pass e.g. RoundingMode.HALF_UP.",
        "mode",
        "HALF_UP",
        "RoundingMode",
    ),
    "rounding to minus one place": Refusal(
        lambda: quantize(Decimal("2.345"), -1, RoundingMode.HALF_UP),
        InvalidType,
        "places -1 must be an int from 0 to 60.",
        "places",
        -1,
        "int from 0 to 60",
    ),
    "rounding to 61 places": Refusal(
        lambda: quantize(Decimal("2.345"), 61, RoundingMode.HALF_UP),
        InvalidType,
        "places 61 must be an int from 0 to 60.",
        "places",
        61,
        "int from 0 to 60",
    ),
    "rounding NaN": Refusal(
        lambda: quantize(Decimal("NaN"), 2, RoundingMode.HALF_UP),
        InvalidAmount,
        "NaN is not finite; only finite decimals are rounded.",
        "value",
        Decimal("NaN"),
        "a finite Decimal",
    ),
    "rounding a float": Refusal(
        lambda: quantize(2.345, 2, RoundingMode.HALF_UP),  # type: ignore[arg-type]
        InvalidType,
        "value 2.345 is a float; quantize rounds a Decimal.",
        "value",
        2.345,
        "Decimal",
    ),
    "rounding 10**59 to the fen": Refusal(
        lambda: quantize(Decimal("1e59"), 2, RoundingMode.HALF_UP),
        AmountOutOfRange,
        "1E+59 has too many digits to round to 2 places within 60 significant digits.",
        "value",
        Decimal("1E+59"),
        "at most 60 significant digits once rounded",
    ),
}


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_carries_its_class_text_and_context(refusal: Refusal) -> None:
    assert_refusal(refusal)


def test_the_mode_is_named_first_when_both_mode_and_places_are_wrong() -> None:
    with pytest.raises(InvalidType) as info:
        quantize(Decimal("2.345"), -1, None)  # type: ignore[arg-type]
    assert info.value.field == "mode"
