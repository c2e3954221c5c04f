"""Exact money: amounts with their currency, declared rounding, rates, allocation and text.

This package is the bottom layer of propcrm, beside :mod:`propcrm.time`; every rule above it
computes with these types.
"""

from propcrm.money._allocation import (
    allocate,
    split_evenly,
)
from propcrm.money._currency import (
    CNY,
    check_currency,
    minor_unit_places,
)
from propcrm.money._formatting import (
    format_money,
    parse_money,
)
from propcrm.money._money import (
    Money,
    as_money,
    as_optional_money,
    to_decimal,
)
from propcrm.money._rates import (
    RATE_DIGITS,
    Rate,
    RateBasis,
)
from propcrm.money._rounding import (
    EXACT,
    RoundingMode,
    quantize,
)
from propcrm.money._uppercase import (
    MAX_UPPERCASE,
    chinese_uppercase,
)

__all__ = [
    "CNY",
    "EXACT",
    "MAX_UPPERCASE",
    "RATE_DIGITS",
    "Money",
    "Rate",
    "RateBasis",
    "RoundingMode",
    "allocate",
    "as_money",
    "as_optional_money",
    "check_currency",
    "chinese_uppercase",
    "format_money",
    "minor_unit_places",
    "parse_money",
    "quantize",
    "split_evenly",
    "to_decimal",
]


def __dir__() -> list[str]:
    return list(__all__)
