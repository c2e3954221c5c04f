"""The locale helpers of classification's display text: the default locale and a Chinese test.

A stopgap until every label goes through the translation catalogs: names and descriptions
are Chinese for a Chinese locale and English otherwise.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from propcrm.errors import UnknownLocale

__all__ = ["DEFAULT_LOCALE", "is_chinese"]

DEFAULT_LOCALE = "zh_CN"
"""Locale of display names and descriptions unless another is asked for."""


@cache
def is_chinese(locale: str) -> bool:
    """Whether ``locale`` is a Chinese one; :class:`~propcrm.errors.UnknownLocale` if not CLDR.

    >>> is_chinese("zh_Hant_TW"), is_chinese("en_US")
    (True, False)
    """
    try:
        return Locale.parse(locale).language == "zh"
    except (UnknownLocaleError, ValueError, TypeError):
        raise UnknownLocale(
            f"locale {locale!r} is not a CLDR locale; use one like 'zh_CN' or 'en_US'."
        ) from None
