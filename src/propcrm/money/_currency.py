"""ISO 4217 currency codes and their minor units, from babel's CLDR data.

>>> minor_unit_places("CNY"), minor_unit_places("JPY")
(2, 0)
>>> check_currency("usd")
Traceback (most recent call last):
...
propcrm.errors.UnknownCurrency: currency 'usd' is not an ISO 4217 code; use an upper-case code \
such as 'CNY', 'USD' or 'HKD'.
"""

from __future__ import annotations

from functools import cache

from babel.numbers import get_currency_precision, list_currencies

from propcrm.errors import UnknownCurrency

__all__ = ["CNY", "check_currency", "minor_unit_places"]

CNY = "CNY"
"""Renminbi, the default currency: 1 元 = 10 角 = 100 分 (fen)."""


@cache
def _known() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(code: object) -> str:
    """Return ``code`` if it is a known ISO 4217 code, else raise :class:`UnknownCurrency`."""
    if not isinstance(code, str) or code not in _known():
        raise UnknownCurrency(
            f"currency {code!r} is not an ISO 4217 code; use an upper-case code such as "
            "'CNY', 'USD' or 'HKD'.",
            field="currency",
            value=code,
            allowed="an upper-case ISO 4217 code",
        )
    return code


def minor_unit_places(code: object) -> int:
    """Decimal places of the currency's minor unit (2 for CNY: the fen)."""
    # Only a str reaches the cache (which checks it once): an unhashable code would fail there
    # with a bare TypeError.
    return _places(code if type(code) is str else check_currency(code))


@cache
def _places(code: str) -> int:
    return int(get_currency_precision(check_currency(code)))
