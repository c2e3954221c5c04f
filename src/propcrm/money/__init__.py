"""Exact money: amounts with their currency, declared rounding, rates, allocation and text.

This package is the bottom layer of propcrm, beside :mod:`propcrm.time`; every rule above it
computes with these types.

**Digits.** Wherever text becomes a number (amounts, ratios, rates, quantities, meter readings,
parsed money), only the ASCII digits 0-9 are read. Full-width (``１００``), Arabic-Indic
(``١٠٠``) and every other script's digits are **refused, never normalised**: Python's
``Decimal`` would read them silently, and a figure typed with an input method's digits is one
nobody checked. A caller who wants them converts first (``unicodedata.normalize("NFKC", text)``
for the full-width forms) and so decides it knowingly.

>>> Money("１００")
Traceback (most recent call last):
...
propcrm.errors.InvalidAmount: amount '１００' has the non-ASCII digit '１' (U+FF11); write numbers \
with ASCII digits 0-9, e.g. '100'.

**Comparisons.** A ``Money`` equals only a ``Money`` of the same amount and currency (never a
number, so hashing stays consistent); ordering it against anything else (``Money("1") < 5``)
raises :class:`~propcrm.errors.InvalidType`, and against another currency
:class:`~propcrm.errors.CurrencyMismatch`.
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
