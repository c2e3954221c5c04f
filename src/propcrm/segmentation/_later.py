"""Text chosen when a rule is evaluated and written in a locale only when it is read.

An :class:`~propcrm.segmentation.Explanation` is data: evaluating a rule decides *what* was
observed ("6 of 6 notices late"), not in which language; :meth:`Explanation.render` writes it in
the locale asked for. The helpers here mirror ``propcrm._i18n``'s ``gettext``, ``ngettext``
and ``pgettext`` (same names, so that extraction finds their literals) without a locale, and give
a :class:`Later`: a value called with a locale to get the text. Values are written for that
locale when it is known: Money with ``format_money``, dates with babel's medium date format,
another ``Later`` by calling it, a :class:`Listing` as a list of the locale (``A、B和C``)::

    >>> from propcrm.money import Money
    >>> said = gettext("arrears %(amount)s", amount=Money("250.24"))
    >>> said("zh_CN"), said("en_US")
    ('欠费¥250.24', 'arrears CN¥250.24')
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Literal

import attrs
from babel.dates import format_date
from babel.lists import format_list

# Imported under other names: this module's own gettext, ngettext and pgettext defer them.
from propcrm._i18n import LocaleLike, check_locale
from propcrm._i18n import gettext as translated
from propcrm._i18n import ngettext as translated_plural
from propcrm._i18n import pgettext as translated_in
from propcrm.money import Money, format_money

__all__ = [
    "Later",
    "Listing",
    "Verbatim",
    "gettext",
    "listing",
    "ngettext",
    "pgettext",
    "written",
]


def written(value: object, locale: str) -> object:
    """``value`` as it is written in ``locale`` (a checked locale name) inside a message."""
    if isinstance(value, Later | Listing | Verbatim):
        return value(locale)
    if isinstance(value, Money):
        return format_money(value, locale)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return format_date(value, "medium", locale=locale)
    return value


@attrs.frozen
class Later:
    """A catalog message and its values, written when called with a locale.

    Frozen and compared by value, so two explanations of the same observation are equal.
    """

    message: str
    plural: str | None = None
    count: int | None = None
    context: str | None = None
    values: tuple[tuple[str, object], ...] = ()

    def __call__(self, locale: LocaleLike) -> str:
        name = check_locale(locale)
        values = {key: written(value, name) for key, value in self.values}
        if self.plural is not None and self.count is not None:
            return translated_plural(self.message, self.plural, self.count, locale=name, **values)
        if self.context is not None:
            return translated_in(self.context, self.message, locale=name, **values)
        return translated(self.message, locale=name, **values)


@attrs.frozen
class Verbatim:
    """Data written as it was given in every locale: a community's code, a place's name."""

    text: str

    def __call__(self, locale: LocaleLike) -> str:
        check_locale(locale)
        return self.text


@attrs.frozen
class Listing:
    """Several texts written as one list of the locale; ``empty`` when there are none.

    ``style`` is CLDR's: ``"standard"`` joins with "and" (what a party holds), ``"or"`` with
    "or" (what a rule accepts).
    """

    items: tuple[Later | Verbatim, ...]
    empty: Later
    style: Literal["standard", "or"] = "standard"

    def __call__(self, locale: LocaleLike) -> str:
        name = check_locale(locale)
        if not self.items:
            return self.empty(name)
        return format_list([item(name) for item in self.items], style=self.style, locale=name)


def listing(
    items: Iterable[Later | Verbatim], style: Literal["standard", "or"] = "standard"
) -> Listing:
    """The texts as one list, in the order given; "none" in the locale when there are none."""
    return Listing(tuple(items), pgettext("empty list", "none"), style)


def gettext(message: str, /, **values: object) -> Later:
    """``_i18n.gettext`` without a locale: the message, written later."""
    return Later(message, values=tuple(values.items()))


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> Later:
    """``_i18n.ngettext`` without a locale; ``num`` is ``n`` unless given."""
    return Later(singular, plural, n, values=tuple(values.items()))


def pgettext(context: str, message: str, /, **values: object) -> Later:
    """``_i18n.pgettext`` without a locale."""
    return Later(message, context=context, values=tuple(values.items()))
