"""A unit's usage inputs for one billing period: parking spaces, meter readings, service orders.

>>> UnitUsage(parking_spaces=1).parking_spaces
1
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from propcrm.billing._metering import MeterReading
from propcrm.billing._price_lists import SpecialServiceOrder
from propcrm.billing._repeated import items_of, repeated
from propcrm.errors import InvalidQuantity

__all__ = ["NO_USAGE", "UnitUsage"]


def _spaces(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidQuantity(
            f"parking spaces {value!r} must be an int of 0 or more.",
            field="parking_spaces",
            value=value,
            allowed="int >= 0",
        )


def _readings(values: Iterable[MeterReading]) -> tuple[MeterReading, ...]:
    return items_of(values, MeterReading, "readings")


def _orders(values: Iterable[SpecialServiceOrder]) -> tuple[SpecialServiceOrder, ...]:
    return items_of(values, SpecialServiceOrder, "orders")


def _unique(field: str, what: str, keys: Iterable[str]) -> None:
    twice = repeated(keys)
    if twice:
        raise InvalidQuantity(
            f"{what} {', '.join(twice)} given twice; each is billed once, so list it once.",
            field=field,
            value=twice[0],
            allowed=f"each {what} once",
        )


@attrs.frozen
class UnitUsage:
    """What a unit used in a period, beyond what its area and type already say.

    A meter may appear once and an order once: the same order twice would bill it twice.
    """

    parking_spaces: int = attrs.field(default=0, validator=_spaces)
    readings: tuple[MeterReading, ...] = attrs.field(default=(), converter=_readings)
    orders: tuple[SpecialServiceOrder, ...] = attrs.field(default=(), converter=_orders)

    def __attrs_post_init__(self) -> None:
        _unique("readings", "meter", (r.meter_id for r in self.readings))
        _unique("orders", "service order", (o.order_id for o in self.orders))


NO_USAGE = UnitUsage()
"""A period with no parking, no meter readings and no special services."""
