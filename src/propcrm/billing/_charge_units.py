"""The units billing prints after a quantity: built in (translated) or a community's own.

>>> ChargeUnit.SERVICE.label(), ChargeUnit.SERVICE.label("en_US")
('次', 'service')
"""

from __future__ import annotations

import enum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext

__all__ = ["ChargeUnit"]


class ChargeUnit(enum.Enum):
    """A unit the built-in rules bill in; a unit a community names itself is a ``str``.

    A ``str`` unit (``'台'``, ``'度'``) is the community's data and printed as given; a
    ``ChargeUnit`` is printed in the reader's language (``'吨'``, ``'t'``).
    """

    SQUARE_METRE = "square_metre"
    HOUSEHOLD = "household"
    SPACE = "space"
    TONNE = "tonne"
    ITEM = "item"
    SERVICE = "service"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The unit as printed after a quantity: ``'个'`` (zh_CN), ``'space'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case ChargeUnit.SQUARE_METRE:
                return pgettext("charge unit", "m²", locale=locale)
            case ChargeUnit.HOUSEHOLD:
                return pgettext("charge unit", "unit", locale=locale)
            case ChargeUnit.SPACE:
                return pgettext("charge unit", "space", locale=locale)
            case ChargeUnit.TONNE:
                return pgettext("charge unit", "t", locale=locale)
            case ChargeUnit.ITEM:
                return pgettext("charge unit", "item", locale=locale)
            case ChargeUnit.SERVICE:
                # TRANSLATORS: one performance of a special service (an AC cleaned once: 1 次).
                return pgettext("charge unit", "service", locale=locale)
