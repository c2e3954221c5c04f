"""Chinese and English display names for the complaints package's enums, in one place.

Each enum derives from :class:`Labelled` and its module registers its members' names in
:data:`LABELS`; ``label(locale)`` picks Chinese for any ``zh`` locale, English otherwise.
:func:`is_chinese` is the one test of a locale every module of this package uses.
"""

from __future__ import annotations

import enum
from functools import cache

from babel import Locale, UnknownLocaleError

from propcrm.errors import UnknownLocale
from propcrm.i18n import DEFAULT_LOCALE

__all__ = ["LABELS", "Labelled", "is_chinese"]

LABELS: dict[enum.Enum, tuple[str, str]] = {}
"""(Chinese, English) per member; each module adds its own enums' names."""


# A local copy of the SLA package's private locale test (same rule, same error) until the
# translation catalogs (propcrm.i18n) replace every zh/en pair of this package.
@cache
def is_chinese(locale: str) -> bool:
    """Whether ``locale`` is a Chinese one; ``UnknownLocale`` for a name CLDR does not know.

    >>> is_chinese("zh_TW"), is_chinese("en_US")
    (True, False)
    """
    try:
        return Locale.parse(locale).language == "zh"
    except (UnknownLocaleError, ValueError, TypeError):
        raise UnknownLocale(
            f"locale {locale!r} is not a CLDR locale; use one like 'zh_CN' or 'en_US'."
        ) from None


class Labelled(enum.Enum):
    """An enum whose members carry a Chinese and an English label (registered in LABELS)."""

    def label(self, locale: str = DEFAULT_LOCALE) -> str:
        """The member's display name: Chinese for any ``zh`` locale, English otherwise."""
        zh, en = LABELS[self]
        return zh if is_chinese(locale) else en
