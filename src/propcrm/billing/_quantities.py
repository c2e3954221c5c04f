"""Quantities billing multiplies prices by: areas, readings, counts of services.

>>> quantity_value("89.37", "area")
Decimal('89.37')
>>> quantity_value("-1", "area")
Traceback (most recent call last):
...
propcrm.errors.InvalidQuantity: area '-1' is negative; it must be 0 or more.
"""

from __future__ import annotations

from decimal import Decimal

from propcrm.errors import InvalidAmount, InvalidQuantity
from propcrm.money import to_decimal

__all__ = ["quantity_value"]

_ALLOWED = "a decimal of 0 or more (str, int or Decimal, ASCII digits)"


def quantity_value(value: object, what: str = "quantity") -> Decimal:
    """A non-negative exact decimal quantity (``str``, ``int`` or ``Decimal``; never a float)."""
    try:
        result = to_decimal(value, what=what)
    except InvalidAmount as exc:
        raise InvalidQuantity(str(exc), field=what, value=value, allowed=_ALLOWED) from None
    if result < 0:
        raise InvalidQuantity(
            f"{what} {value!r} is negative; it must be 0 or more.",
            field=what,
            value=value,
            allowed=_ALLOWED,
        )
    return result
