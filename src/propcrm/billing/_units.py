"""What billing needs to know about a unit, and the span of days it is billable.

Billing asks only for :class:`BillableUnit`: an id, a property type and two areas. Any object with
those attributes will do (the parties model's units will), so billing never imports it.
:class:`UnitProfile` is the plain frozen value for callers that have nothing richer.

>>> unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area="89.37")
>>> unit.area(AreaBasis.BUILDING)
Decimal('89.37')
"""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from propcrm._property_types import PropertyType
from propcrm._validators import instance_of
from propcrm.billing._quantities import quantity_value
from propcrm.billing._repeated import check_id
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.time import as_date

__all__ = [
    "ALWAYS",
    "AreaBasis",
    "BillableSpan",
    "BillableUnit",
    "UnitProfile",
    "area_value",
    "unit_area",
]


class AreaBasis(enum.Enum):
    """Which area an area-based fee multiplies.

    Building area (建筑面积) is the usual basis; inner area (套内面积) where the tariff says so.
    """

    BUILDING = "building"
    INNER = "inner"


@runtime_checkable
class BillableUnit(Protocol):
    """The attributes of a unit that billing reads."""

    @property
    def unit_id(self) -> str:
        """Stable identifier of the unit, e.g. ``'1-2-0301'`` (building-entrance-room)."""
        ...

    @property
    def property_type(self) -> PropertyType:
        """The unit's property type, which selects its prices."""
        ...

    @property
    def building_area(self) -> Decimal:
        """Building area (建筑面积) in square metres."""
        ...

    @property
    def inner_area(self) -> Decimal | None:
        """Inner area (套内面积) in square metres, when known."""
        ...


def area_value(value: object) -> Decimal:
    """An area in ㎡: a non-negative exact decimal (``str``, ``int`` or ``Decimal``)."""
    return quantity_value(value, "area")


def _optional_area(value: object) -> Decimal | None:
    return None if value is None else area_value(value)


def _unit_id(_instance: object, _attribute: object, value: str) -> None:
    check_id(value, "unit_id", InvalidQuantity, what="unit id", example="'1-2-0301'")


@attrs.frozen
class UnitProfile:
    """A unit as billing sees it; satisfies :class:`BillableUnit`."""

    unit_id: str = attrs.field(validator=_unit_id)
    property_type: PropertyType = attrs.field(validator=instance_of(PropertyType))
    building_area: Decimal = attrs.field(converter=area_value, default=Decimal(0))
    inner_area: Decimal | None = attrs.field(converter=_optional_area, default=None)

    def area(self, basis: AreaBasis) -> Decimal:
        """The area ``basis`` names; inner area must be known to bill on it."""
        return unit_area(self, basis)


def unit_area(unit: BillableUnit, basis: AreaBasis) -> Decimal:
    """The area of ``unit`` that ``basis`` names."""
    if basis is AreaBasis.BUILDING:
        try:
            return unit.building_area
        except AttributeError:  # looked for only when missing: this runs for every unit
            raise _not_a_unit(unit) from None
    if not isinstance(basis, AreaBasis):
        raise InvalidType(
            f"basis {basis!r} is not an AreaBasis; pass AreaBasis.BUILDING or AreaBasis.INNER.",
            field="basis",
            value=basis,
            allowed="AreaBasis",
        )
    inner = getattr(unit, "inner_area", _MISSING)
    if inner is _MISSING:
        raise _not_a_unit(unit)
    if inner is None:
        raise InvalidQuantity(
            f"unit {unit.unit_id} has no inner area, but the tariff bills on inner area; "
            "record the unit's inner area (套内面积) or bill on building area.",
            field="inner_area",
            value=None,
            allowed="the unit's inner area in m²",
            unit_id=unit.unit_id,
        )
    return inner  # type: ignore[return-value]  # a BillableUnit's inner_area: Decimal


_MISSING = object()


def _not_a_unit(unit: object) -> InvalidType:
    return InvalidType(
        f"unit {unit!r} is not a billable unit: it needs unit_id, property_type, building_area "
        "and inner_area (a UnitProfile has them).",
        field="unit",
        value=unit,
        allowed="a BillableUnit such as UnitProfile",
    )


def _optional_start(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "start")


def _optional_until(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "until")


@attrs.frozen
class BillableSpan:
    """The days a unit is billable: from ``start`` (inclusive) until ``until`` (exclusive).

    Half-open, like every dated relation in propcrm: a sale on the 16th closes the seller's span
    ``until`` the 16th and opens the buyer's ``from`` the 16th, and no day is billed twice.
    ``None`` means unbounded on that side.

    >>> span = BillableSpan(start=pendulum.date(2026, 11, 16))
    >>> span.covers(pendulum.date(2026, 11, 15)), span.covers(pendulum.date(2026, 11, 16))
    (False, True)
    """

    start: pendulum.Date | None = attrs.field(default=None, converter=_optional_start)
    until: pendulum.Date | None = attrs.field(default=None, converter=_optional_until)

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.until is not None and self.until <= self.start:
            raise InvalidQuantity(
                f"billable span until {self.until.isoformat()} is not after its start "
                f"{self.start.isoformat()}; the end is exclusive and must be later.",
                field="until",
                value=self.until,
                allowed=f"a date after {self.start.isoformat()}",
            )

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether any day from ``first`` to ``last`` (both included) is billable."""
        a, b = as_date(first, "first"), as_date(last, "last")
        return (self.until is None or self.until > a) and (self.start is None or self.start <= b)

    def __str__(self) -> str:
        words = []
        if self.start is not None:
            words.append(f"from {self.start.isoformat()}")
        if self.until is not None:
            words.append(f"until {self.until.isoformat()} (exclusive)")
        return " ".join(words) or "always"

    def covers(self, day: datetime.date) -> bool:
        """Whether ``day`` is billable."""
        d = as_date(day, "day")
        return (self.start is None or self.start <= d) and (self.until is None or d < self.until)


ALWAYS = BillableSpan()
"""The span of a unit billable on every day."""
