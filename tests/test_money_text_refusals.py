"""What money for people refuses, and how: amounts in text and 大写金额.

Each row is one refusal a careful caller can meet, with everything its error carries (see
``tests/refusals.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.refusals import Refusal, assert_refusal

from propcrm.errors import (
    AmountOutOfRange,
    InvalidAmount,
    InvalidMoneyText,
    InvalidType,
    UnsupportedCurrency,
)
from propcrm.money import Money, chinese_uppercase, format_money, parse_money

UPPERCASE_RANGE = "¥0 to ¥999,999,999,999.99, rounded to the fen"

REFUSALS = {
    # -- format_money and parse_money ----------------------------------------------------------
    "a format type babel does not have": Refusal(
        lambda: format_money(Money("1234.56"), format_type="short"),  # type: ignore[arg-type]
        InvalidType,
        "format_type 'short' is not one of 'standard', 'accounting', 'name'.",
        "format_type",
        "short",
        "standard, accounting, name",
    ),
    "an amount to parse that is no text": Refusal(
        # The amount itself, passed where the text a person typed was meant.
        lambda: parse_money(Decimal("1234.56")),  # type: ignore[arg-type]
        InvalidType,
        "text Decimal('1234.56') is a Decimal; parse_money reads a str such as '¥1,234.56'.",
        "text",
        Decimal("1234.56"),
        "str",
    ),
    "an amount typed with full-width digits": Refusal(
        lambda: parse_money("¥１００"),
        InvalidMoneyText,
        "text '¥１００' has the non-ASCII digit '１' (U+FF11); write numbers with ASCII digits "
        "0-9, e.g. '100'.",
        "text",
        "¥１００",
        "ASCII digits 0-9",
    ),
    "yuan written in words": Refusal(
        lambda: parse_money("一百元"),
        InvalidMoneyText,
        "'一百元' is not an amount in locale 'zh_CN'; write it like '¥1,234.56'.",
        "text",
        "一百元",
        "an amount written like '¥1,234.56'",
    ),
    "an amount with an exponent": Refusal(
        lambda: parse_money("1E3"),
        InvalidMoneyText,
        "'1E3' is not an amount in locale 'zh_CN'; write it like '¥1,234.56'.",
        "text",
        "1E3",
        "an amount written like '¥1,234.56'",
    ),
    "yuan where Hong Kong dollars are read": Refusal(
        lambda: parse_money("¥12.50", "en_US", currency="HKD"),
        InvalidMoneyText,
        "'¥12.50' is not an amount in locale 'en_US'; write it like 'HK$1,234.56'.",
        "text",
        "¥12.50",
        "an amount written like 'HK$1,234.56'",
    ),
    # -- chinese_uppercase ---------------------------------------------------------------------
    "大写金额 of dollars": Refusal(
        lambda: chinese_uppercase(Money("100.00", "USD")),
        UnsupportedCurrency,
        "大写金额 is written only for CNY amounts, not USD; convert the amount to CNY first.",
        "currency",
        "USD",
        "CNY",
    ),
    "大写金额 of a refund": Refusal(
        lambda: chinese_uppercase(Money("-0.01")),
        AmountOutOfRange,
        "amount -0.01 is negative, and negative amounts have no uppercase form (大写金额); the "
        "allowed range is ¥0 to ¥999,999,999,999.99. Write a refund as a positive amount with "
        "its own label (e.g. 退款).",
        "amount",
        Decimal("-0.01"),
        UPPERCASE_RANGE,
    ),
    "大写金额 of a trillion yuan": Refusal(
        lambda: chinese_uppercase(Money("1000000000000.00")),
        AmountOutOfRange,
        "amount ¥1,000,000,000,000.00 is above ¥999,999,999,999.99, the largest amount with a "
        "大写金额 (亿 is the largest group name written).",
        "amount",
        Decimal("1000000000000.00"),
        UPPERCASE_RANGE,
    ),
    "大写金额 below the fen": Refusal(
        lambda: chinese_uppercase(Money("250.236")),
        InvalidAmount,
        "amount 250.236 has digits below the fen and has no 大写金额; round it first with "
        ".rounded(mode), e.g. Money('250.236').rounded(RoundingMode.HALF_UP).",
        "amount",
        Decimal("250.236"),
        "an amount rounded to the fen",
    ),
}


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_carries_its_class_text_and_context(refusal: Refusal) -> None:
    assert_refusal(refusal)
