"""Published, versioned price lists for special services (特约服务, domain brief §3).

Special services are voluntary and market-priced from a list published in advance; every charge
records the list version it was priced from.

>>> lists = PriceLists(
...     (
...         PriceList(
...             "2026A",
...             effective_from=pendulum.date(2026, 1, 1),
...             published_on=pendulum.date(2025, 12, 1),
...             items=(PriceItem("AC-CLEAN", "空调清洗", Money("80.00"), "台"),),
...         ),
...     )
... )
>>> lists.in_force(pendulum.date(2026, 11, 3)).item("AC-CLEAN").unit_price
Money('80.00', 'CNY')

An order priced by an accepted quote names the quote's version, and is billed from it even
after a newer list has taken effect:

>>> SpecialServiceOrder(
...     "SS-0001", "AC-CLEAN", "2", pendulum.date(2026, 11, 20), price_list_version="2026A"
... ).price_list_version
'2026A'
>>> lists.version("2025B")
Traceback (most recent call last):
...
propcrm.errors.UnknownPriceListVersion: no special-service price list version '2025B' is \
published; the versions are: 2026A.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale
from propcrm._validators import check_text
from propcrm.billing._charge_units import ChargeUnit
from propcrm.billing._quantities import quantity_value
from propcrm.billing._repeated import check_id, items_of
from propcrm.billing._versioning import (
    in_force_index,
    sorted_versions,
)
from propcrm.errors import (
    NoPriceListInForce,
    PriceListError,
    UnknownPriceItem,
    UnknownPriceListVersion,
)
from propcrm.money import Money, as_money
from propcrm.time import as_date

__all__ = ["PriceItem", "PriceList", "PriceLists", "SpecialServiceOrder"]


def _code(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "code", PriceListError, what="service code", example="'AC-CLEAN'")


def _name(_instance: object, _attribute: object, value: Any) -> None:
    check_text(value, "name", PriceListError, max_length=200, example="'空调清洗'")


def _unit_label(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, ChargeUnit):
        check_text(value, "unit_label", PriceListError, max_length=20, example="'台'")


@attrs.frozen
class PriceItem:
    """One priced service: code, name, price per unit.

    The unit (the ``unit_label`` argument, stored as ``unit``) is the community's own word (台,
    小时, …), printed as given, or a built-in :class:`~propcrm.billing.ChargeUnit`, printed in
    the reader's language. The default is ``ChargeUnit.SERVICE``, one performance of the
    service: 次 in Chinese, "service" in English. :meth:`unit_text` gives it for a locale.

    >>> item = PriceItem("PIPE", "管道疏通", Money("50.00"))
    >>> item.unit, item.unit_text(), item.unit_text("en_US")
    (<ChargeUnit.SERVICE: 'service'>, '次', 'service')
    >>> PriceItem("AC-CLEAN", "空调清洗", Money("80.00"), "台").unit_text("en_US")
    '台'
    """

    code: str = attrs.field(validator=_code)
    name: str = attrs.field(validator=_name)
    unit_price: Money = attrs.field(converter=as_money)
    unit: ChargeUnit | str = attrs.field(
        default=ChargeUnit.SERVICE, validator=_unit_label, alias="unit_label"
    )

    @property
    def unit_label(self) -> str:
        """The unit in the default locale (zh_CN): ``unit_text()``, kept for existing callers."""
        return self.unit_text()

    def unit_text(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The unit for people: a built-in unit in ``locale``, a community's own as given."""
        if isinstance(self.unit, ChargeUnit):
            return self.unit.label(locale)
        check_locale(locale)  # refused the same way whichever kind of unit the item has
        return self.unit

    def __attrs_post_init__(self) -> None:
        if self.unit_price.is_negative:
            raise PriceListError(
                f"service {self.code} has a negative price; prices are 0 or more.",
                field="unit_price",
                value=self.unit_price,
                allowed="a price of 0 or more",
                code=self.code,
            )


def _items(items: object) -> Mapping[str, PriceItem]:
    by_code: dict[str, PriceItem] = {}
    for item in items_of(items, PriceItem, "items"):
        if item.code in by_code:
            raise PriceListError(
                f"service code {item.code!r} appears twice; codes are unique.",
                field="items",
                value=item.code,
                allowed="each service code once",
            )
        by_code[item.code] = item
    return MappingProxyType(by_code)


def _version(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "version", PriceListError, what="price list version", example="'2026A'")


def _effective_from(value: object) -> pendulum.Date:
    return as_date(value, "effective_from")


def _published_on(value: object) -> pendulum.Date:
    return as_date(value, "published_on")


@attrs.frozen(eq=False)
class PriceList:
    """A price list version, published on ``published_on`` and in force from ``effective_from``."""

    version: str = attrs.field(validator=_version)
    effective_from: pendulum.Date = attrs.field(converter=_effective_from)
    published_on: pendulum.Date = attrs.field(converter=_published_on)
    items: Mapping[str, PriceItem] = attrs.field(converter=_items)

    def __attrs_post_init__(self) -> None:
        if self.published_on > self.effective_from:
            raise PriceListError(
                f"price list {self.version} takes effect on {self.effective_from.isoformat()} "
                f"but is published on {self.published_on.isoformat()}; special-service prices "
                "are published in advance (domain brief §3).",
                field="published_on",
                value=self.published_on,
                allowed=f"on or before {self.effective_from.isoformat()}",
                version=self.version,
            )

    def item(self, code: str) -> PriceItem:
        """The item ``code``; :class:`~propcrm.errors.UnknownPriceItem` if the list lacks it."""
        try:
            return self.items[code]
        except (KeyError, TypeError):  # TypeError: an unhashable code
            known = ", ".join(sorted(self.items)) or "none"
            raise UnknownPriceItem(
                f"price list {self.version} has no service {code!r}; it lists: {known}.",
                field="code",
                value=code,
                allowed=known,
                version=self.version,
            ) from None


def _sorted_lists(lists: Iterable[PriceList]) -> tuple[PriceList, ...]:
    return sorted_versions(items_of(lists, PriceList, "versions"), "price list")


@attrs.frozen(eq=False)
class PriceLists:
    """All versions of a community's special-service price list."""

    versions: tuple[PriceList, ...] = attrs.field(converter=_sorted_lists)

    def in_force(self, day: datetime.date) -> PriceList:
        """The version in force on ``day``."""
        d = as_date(day, "day")
        index = in_force_index([v.effective_from for v in self.versions], d)
        if index < 0:
            first = self.versions[0].effective_from if self.versions else None
            raise NoPriceListInForce(
                f"no special-service price list is in force on {d.isoformat()}; the first "
                + (
                    f"takes effect on {first.isoformat()}."
                    if first is not None
                    else "has not been published."
                ),
                field="day",
                value=d,
                allowed=f"on or after {first.isoformat()}" if first else "no day",
            )
        return self.versions[index]

    def version(self, name: str) -> PriceList:
        """The version published as ``name`` (e.g. the one a customer's quote was priced from).

        Raises :class:`~propcrm.errors.UnknownPriceListVersion`, naming the published versions,
        if there is none.
        """
        for price_list in self.versions:
            if price_list.version == name:
                return price_list
        known = ", ".join(v.version for v in self.versions) or "none"
        raise UnknownPriceListVersion(
            f"no special-service price list version {name!r} is published; the versions are: "
            f"{known}.",
            field="name",
            value=name,
            allowed=known,
        )


def _service_quantity(value: object) -> Decimal:
    return quantity_value(value, "service quantity")


def _performed_on(value: object) -> pendulum.Date:
    return as_date(value, "performed_on")


def _order_id(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "order_id", PriceListError, what="order id", example="'SS-0001'")


def _service_code(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "service_code", PriceListError, what="service code", example="'AC-CLEAN'")


def _optional_version(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise PriceListError(
            f"an order's price_list_version is a published version's name (e.g. '2026A'), or "
            f"None to price it from the list in force when performed; not {value!r}.",
            field="price_list_version",
            value=value,
            allowed="a published version's name, or None",
        )


@attrs.frozen
class SpecialServiceOrder:
    """A performed special-service order to bill: which service, how much, when performed.

    By default an order is priced from the list in force on ``performed_on``. An order the
    customer accepted a quote for names the quote's ``price_list_version`` (by keyword), and is
    priced from that version: the customer pays the price agreed, even if a newer list took
    effect before the work was done.
    """

    order_id: str = attrs.field(validator=_order_id)
    service_code: str = attrs.field(validator=_service_code)
    quantity: Decimal = attrs.field(converter=_service_quantity)
    performed_on: pendulum.Date = attrs.field(converter=_performed_on)
    price_list_version: str | None = attrs.field(
        default=None, validator=_optional_version, kw_only=True
    )
