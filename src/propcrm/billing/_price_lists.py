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

from propcrm.billing._quantities import quantity_value
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


@attrs.frozen
class PriceItem:
    """One priced service: code, name, price per ``unit_label`` (次, 台, 小时, …)."""

    code: str
    name: str
    unit_price: Money = attrs.field(converter=as_money)
    unit_label: str = "次"

    def __attrs_post_init__(self) -> None:
        if self.unit_price.is_negative:
            raise PriceListError(f"service {self.code} has a negative price; prices are 0 or more.")


def _items(items: tuple[PriceItem, ...]) -> Mapping[str, PriceItem]:
    by_code: dict[str, PriceItem] = {}
    for item in items:
        if item.code in by_code:
            raise PriceListError(f"service code {item.code!r} appears twice; codes are unique.")
        by_code[item.code] = item
    return MappingProxyType(by_code)


@attrs.frozen(eq=False)
class PriceList:
    """A price list version, published on ``published_on`` and in force from ``effective_from``."""

    version: str
    effective_from: pendulum.Date = attrs.field(converter=as_date)
    published_on: pendulum.Date = attrs.field(converter=as_date)
    items: Mapping[str, PriceItem] = attrs.field(converter=_items)

    def __attrs_post_init__(self) -> None:
        if self.published_on > self.effective_from:
            raise PriceListError(
                f"price list {self.version} takes effect on {self.effective_from.isoformat()} "
                f"but is published on {self.published_on.isoformat()}; special-service prices "
                "are published in advance (domain brief §3)."
            )

    def item(self, code: str) -> PriceItem:
        """The item ``code``; :class:`~propcrm.errors.UnknownPriceItem` if the list lacks it."""
        try:
            return self.items[code]
        except KeyError:
            known = ", ".join(sorted(self.items)) or "none"
            raise UnknownPriceItem(
                f"price list {self.version} has no service {code!r}; it lists: {known}."
            ) from None


def _sorted_lists(lists: Iterable[PriceList]) -> tuple[PriceList, ...]:
    return sorted_versions(tuple(lists), "price list")


@attrs.frozen(eq=False)
class PriceLists:
    """All versions of a community's special-service price list."""

    versions: tuple[PriceList, ...] = attrs.field(converter=_sorted_lists)

    def in_force(self, day: datetime.date) -> PriceList:
        """The version in force on ``day``."""
        d = as_date(day)
        index = in_force_index([v.effective_from for v in self.versions], d)
        if index < 0:
            raise NoPriceListInForce(
                f"no special-service price list is in force on {d.isoformat()}; the first "
                + (
                    f"takes effect on {self.versions[0].effective_from.isoformat()}."
                    if self.versions
                    else "has not been published."
                )
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
            f"{known}."
        )


def _service_quantity(value: object) -> Decimal:
    return quantity_value(value, "service quantity")


def _optional_version(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise PriceListError(
            f"an order's price_list_version is a published version's name (e.g. '2026A'), or "
            f"None to price it from the list in force when performed; not {value!r}."
        )


@attrs.frozen
class SpecialServiceOrder:
    """A performed special-service order to bill: which service, how much, when performed.

    By default an order is priced from the list in force on ``performed_on``. An order the
    customer accepted a quote for names the quote's ``price_list_version`` (by keyword), and is
    priced from that version: the customer pays the price agreed, even if a newer list took
    effect before the work was done.
    """

    order_id: str
    service_code: str
    quantity: Decimal = attrs.field(converter=_service_quantity)
    performed_on: pendulum.Date = attrs.field(converter=as_date)
    price_list_version: str | None = attrs.field(
        default=None, validator=_optional_version, kw_only=True
    )
