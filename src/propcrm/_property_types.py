"""Property types: what a unit is used as, which decides its prices (domain brief §2, §5).

Shared by billing (prices differ by property type) and, later, the parties model (units), so it
lives in the bottom layer beside :mod:`propcrm.money` and :mod:`propcrm.time`.

>>> PropertyType.RESIDENTIAL.label(), PropertyType.RESIDENTIAL.label("en_US")
('住宅', 'residential')
>>> PropertyType("parking") is PropertyType.PARKING
True
"""

from __future__ import annotations

import enum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext

__all__ = ["PropertyType"]


class PropertyType(enum.Enum):
    """Property type of a unit; the value is a stable English code, ``label`` its name."""

    # Hashed by identity, which agrees with equality (members are singletons compared by
    # identity): a billing run looks its rules up by a unit's type for every unit, and Enum's
    # own __hash__ (of the name) is Python code. Hash values were never stable across processes.
    __hash__ = object.__hash__

    RESIDENTIAL = "residential"
    OFFICE = "office"
    COMMERCIAL = "commercial"
    PARKING = "parking"
    STORAGE = "storage"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The name printed on fee notices, e.g. ``'住宅'`` (zh_CN) or ``'residential'``."""
        # One literal per member, so that extraction finds every message.
        match self:
            case PropertyType.RESIDENTIAL:
                return pgettext("property type", "residential", locale=locale)
            case PropertyType.OFFICE:
                return pgettext("property type", "office", locale=locale)
            case PropertyType.COMMERCIAL:
                return pgettext("property type", "commercial", locale=locale)
            case PropertyType.PARKING:
                return pgettext("property type", "parking space", locale=locale)
            case PropertyType.STORAGE:
                return pgettext("property type", "storage room", locale=locale)
