"""Money for people: locale-aware formatting and parsing through babel.

The locale is always an argument: ``zh_CN`` by default or ``en_US``, the two locales propcrm
writes text in (any other raises :class:`~propcrm.errors.UnsupportedLocale`, so that an amount is
never written in a third language beside the rest of a notice); the process locale is never
read. Formatting rounds first, explicitly, with the declared mode.

>>> format_money(Money("1234.56"))
'¥1,234.56'
>>> format_money(Money("1234.56"), locale="en_US")
'CN¥1,234.56'
>>> parse_money("¥1,234.56")
Money('1234.56', 'CNY')
>>> parse_money("CN¥1,234.56", locale="en_US")
Money('1234.56', 'CNY')
>>> format_money(Money("1234.56"), locale="de_DE")
Traceback (most recent call last):
...
propcrm.errors.UnsupportedLocale: locale 'de_DE' is not supported; propcrm writes text for \
'zh_CN' and 'en_US' only (a str such as 'zh_CN' or 'zh-CN', or a babel Locale).
"""

from __future__ import annotations

import decimal
import functools
from typing import Literal

from babel.numbers import (
    NumberFormatError,
    format_currency,
    get_currency_symbol,
    parse_decimal,
)

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale
from propcrm._validators import check_ascii_digits
from propcrm.errors import InvalidMoneyText, InvalidType
from propcrm.money._currency import CNY, check_currency
from propcrm.money._money import Money, as_money
from propcrm.money._rounding import RoundingMode

__all__ = ["DEFAULT_LOCALE", "format_money", "parse_money"]

# babel computes in the ambient decimal context; give it a wide, fixed one instead.
_BABEL = decimal.Context(
    prec=60, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation]
)

_FORMAT_TYPES = ("standard", "accounting", "name")

# Currencies written with the yen/yuan sign, in its half- and full-width forms.
_YEN_SIGNS = frozenset({"CNY", "JPY"})


def format_money(
    money: Money | decimal.Decimal | int | str,
    locale: LocaleLike = DEFAULT_LOCALE,
    *,
    rounding: RoundingMode = RoundingMode.HALF_UP,
    format_type: Literal["standard", "accounting", "name"] = "standard",
) -> str:
    """Format ``money`` for ``locale``, rounded to its minor unit with ``rounding`` first.

    ``format_type`` is babel's: ``'standard'``, ``'accounting'`` or ``'name'``.
    """
    name = check_locale(locale)
    if format_type not in _FORMAT_TYPES:
        raise InvalidType(
            f"format_type {format_type!r} is not one of {', '.join(map(repr, _FORMAT_TYPES))}.",
            field="format_type",
            value=format_type,
            allowed=", ".join(_FORMAT_TYPES),
        )
    rounded = as_money(money).rounded(rounding)
    return _formatted(str(rounded.amount), rounded.currency, name, format_type)


# A bank file's report or a month's notices write the same amounts again and again, and babel
# takes some 30 µs an amount: remembered by the rounded amount's text (exact: "1.50" is not
# "1.5"), currency, locale and format.
@functools.lru_cache(maxsize=16384)
def _formatted(
    amount: str,
    currency: str,
    locale: str,
    format_type: Literal["standard", "accounting", "name"],
) -> str:
    with decimal.localcontext(_BABEL):
        return format_currency(
            decimal.Decimal(amount), currency, locale=locale, format_type=format_type
        )


def parse_money(text: str, locale: LocaleLike = DEFAULT_LOCALE, *, currency: str = CNY) -> Money:
    """Parse text written by :func:`format_money` (or a person) back into ``Money``.

    The currency's symbol for ``locale`` and its ISO code may appear and are removed; the rest is
    parsed strictly with the locale's separators, in ASCII digits only (``'¥１００'`` is refused:
    see :mod:`propcrm.money`).

    >>> parse_money("¥１００")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidMoneyText: text '¥１００' has the non-ASCII digit '１' (U+FF11); write \
numbers with ASCII digits 0-9, e.g. '100'.
    """
    locale = check_locale(locale)
    check_currency(currency)
    if not isinstance(text, str):
        raise InvalidType(
            f"text {text!r} is a {type(text).__name__}; parse_money reads a str such as "
            "'¥1,234.56'.",
            field="text",
            value=text,
            allowed="str",
        )
    check_ascii_digits(text, "text", InvalidMoneyText)
    cleaned = text.strip()
    negative = cleaned.startswith(("-", "\u2212"))
    if negative:
        cleaned = cleaned[1:].strip()
    # Only this currency's own marks are removed: "$100" is not an amount in CNY.
    tokens = {get_currency_symbol(currency, locale=locale), currency}
    if currency in _YEN_SIGNS:
        tokens |= {"¥", "￥"}
    for token in sorted(tokens, key=len, reverse=True):
        cleaned = cleaned.replace(token, "")
    cleaned = cleaned.strip()
    if not cleaned or any(c in cleaned for c in "-\u2212+eE_"):
        # One leading sign only, no exponents (a person never writes "1e3" for an amount)
        # and no underscores, which Decimal() would read as grouping.
        raise _not_an_amount(text, locale, currency)
    try:
        with decimal.localcontext(_BABEL):
            amount = parse_decimal(cleaned, locale=locale, strict=True)
    except (NumberFormatError, decimal.InvalidOperation):
        raise _not_an_amount(text, locale, currency) from None
    return Money(amount.copy_negate() if negative else amount, currency)


def _not_an_amount(text: str, locale: str, currency: str) -> InvalidMoneyText:
    example = format_money(Money("1234.56", currency), locale)
    return InvalidMoneyText(
        f"{text!r} is not an amount in locale {locale!r}; write it like {example!r}.",
        field="text",
        value=text,
        allowed=f"an amount written like {example!r}",
    )
