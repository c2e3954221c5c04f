"""A special-service quote: priced from the published price list, rounded once, to the fen.

Special services (特约服务) are "market priced from a price list published in advance, costed
separately" (brief §3). A :class:`Quote` records the list version, the item, the quantity, the
unit price and the amount, rounded once in the declared mode. The customer accepts the quote,
the work is done, and the charge goes on the unit's next fee notice at the quoted price (see
:mod:`propcrm.complaints`).

>>> from propcrm.billing import PriceItem, PriceList, PriceLists
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
>>> q = quote_service(lists, "AC-CLEAN", "3", pendulum.date(2026, 11, 24))
>>> q.amount, q.price_list_version, q.describe()
(Money('240.00', 'CNY'), '2026A', '空调清洗 3 台 × ¥80.00 = ¥240.00（价目表 2026A）')
>>> q.describe("en_US")
'空调清洗 3 台 × CN¥80.00 = CN¥240.00 (price list 2026A)'
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm._validators import check_ascii_digits, check_instance, check_text
from propcrm.billing import ChargeUnit, PriceLists
from propcrm.errors import InvalidAmount, QuoteError
from propcrm.money import (
    Money,
    RoundingMode,
    as_money,
    format_money,
    to_decimal,
)
from propcrm.time import as_date

__all__ = ["DEFAULT_QUOTE_ROUNDING", "Quote", "quote_service"]

DEFAULT_QUOTE_ROUNDING = RoundingMode.HALF_UP
"""四舍五入 to the fen, as on fee notices (the billing policy's default mode)."""


def _text(_instance: object, attribute: Any, value: Any) -> None:
    check_text(value, attribute.name, QuoteError)


def _unit(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, ChargeUnit):
        check_text(value, "unit_label", QuoteError)


def _money(value: object, field: str) -> Money:
    try:
        return as_money(value)
    except InvalidAmount as error:
        if error.field is not None or error.context:
            raise
        # The quote's own field names the amount a caller got wrong.
        raise InvalidAmount(
            str(error), field=field, value=value, allowed="Money, or a str, int or Decimal"
        ) from None


def _unit_price(value: object) -> Money:
    return _money(value, "unit_price")


def _amount(value: object) -> Money:
    return _money(value, "amount")


def _quantity(value: object) -> Decimal:
    # Numbers enter through money's one door (exact decimals, never a float); digits are ASCII.
    if isinstance(value, str):
        check_ascii_digits(value, "quantity", QuoteError)
    try:
        quantity = to_decimal(value, what="quoted quantity")
    except InvalidAmount as error:
        raise QuoteError(
            str(error), field="quantity", value=value, allowed="a decimal more than 0"
        ) from None
    if quantity < 0:
        raise QuoteError(
            f"quoted quantity {value!r} is negative; it must be more than 0.",
            field="quantity",
            value=value,
            allowed="a decimal more than 0",
        )
    if quantity <= 0:
        raise QuoteError(
            f"a quoted quantity must be more than 0, not {value!r}.",
            field="quantity",
            value=value,
            allowed="a decimal more than 0",
        )
    return quantity


def _mode(_instance: object, attribute: Any, value: Any) -> None:
    _check_mode(value, attribute.name)


def _check_mode(value: object, field: str) -> None:
    if not isinstance(value, RoundingMode):
        raise QuoteError(
            f"a quote's rounding is a RoundingMode, e.g. HALF_UP, not {value!r}.",
            field=field,
            value=value,
            allowed="a RoundingMode member",
        )


def _quoted_on(value: Any) -> pendulum.Date:
    return as_date(value, "quoted_on")


@attrs.frozen
class Quote:
    """What a special service will cost: ``quantity`` × ``unit_price``, rounded once.

    Build one with :func:`quote_service`, which prices it from the list in force; the
    constructor checks that the amount is exactly the product rounded in ``rounding``.
    """

    price_list_version: str = attrs.field(validator=_text)
    service_code: str = attrs.field(validator=_text)
    service_name: str = attrs.field(validator=_text)
    quantity: Decimal = attrs.field(converter=_quantity)
    unit: ChargeUnit | str = attrs.field(validator=_unit, alias="unit_label")
    unit_price: Money = attrs.field(converter=_unit_price)
    amount: Money = attrs.field(converter=_amount)
    quoted_on: pendulum.Date = attrs.field(converter=_quoted_on)
    rounding: RoundingMode = attrs.field(default=DEFAULT_QUOTE_ROUNDING, validator=_mode)

    def __attrs_post_init__(self) -> None:
        expected = (self.unit_price * self.quantity).rounded(self.rounding)
        if self.amount != expected:
            raise QuoteError(
                f"quote for {self.service_code}: {self.quantity} × {self.unit_price} rounds to "
                f"{expected} ({self.rounding.name}), not {self.amount}.",
                field="amount",
                value=self.amount,
                allowed=str(expected),
                service_code=self.service_code,
            )

    @property
    def unit_label(self) -> str:
        """The unit in the default locale (zh_CN), as :attr:`PriceItem.unit_label` gives it."""
        return self.unit_text()

    def unit_text(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The unit for people: a built-in unit in ``locale``, a community's own as published."""
        if isinstance(self.unit, ChargeUnit):
            return self.unit.label(locale)
        check_locale(locale)
        return self.unit

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for a work order or a notice, in ``locale``.

        The service's name is the price list's own word, printed as published; so is its unit,
        unless it is a built-in unit (次, "service"), printed in the reader's language.
        """
        return gettext(
            # TRANSLATORS: a special-service quote: the item, quantity × unit price = amount,
            # and the price list it comes from. The item and unit are the community's own words.
            "%(service)s %(quantity)s %(unit)s × %(price)s = %(amount)s (price list %(version)s)",
            locale=locale,
            service=self.service_name,
            quantity=format(self.quantity.normalize(), "f"),
            unit=self.unit_text(locale),
            price=format_money(self.unit_price, locale),
            amount=format_money(self.amount, locale),
            version=self.price_list_version,
        )


def quote_service(
    price_lists: PriceLists,
    service_code: str,
    quantity: object,
    on: datetime.date,
    *,
    rounding: RoundingMode = DEFAULT_QUOTE_ROUNDING,
) -> Quote:
    """Price ``quantity`` of ``service_code`` from the list in force ``on`` (brief §3).

    Raises :class:`~propcrm.errors.NoPriceListInForce` before the first list,
    :class:`~propcrm.errors.UnknownPriceItem` for a code the list lacks, and
    :class:`~propcrm.errors.QuoteError` for a quantity that is not more than 0.
    """
    day = as_date(on, "on")
    check_instance(price_lists, "price_lists", PriceLists)
    check_text(service_code, "service_code", QuoteError, example="'AC-CLEAN'")
    _check_mode(rounding, "rounding")
    price_list = price_lists.in_force(day)
    item = price_list.item(service_code)
    amount = _quantity(quantity)
    return Quote(
        price_list_version=price_list.version,
        service_code=item.code,
        service_name=item.name,
        quantity=amount,
        unit_label=item.unit,
        unit_price=item.unit_price,
        amount=(item.unit_price * amount).rounded(rounding),
        quoted_on=day,
        rounding=rounding,
    )
