"""Units (房屋): where a unit is, what it is used as, its areas, and the dated facts of its life.

A unit's sale (销售), handover (交付), occupancy (入住) and decoration (装修) are separate dated
facts, never one mutable status code (domain brief §1); :meth:`Unit.status` derives the status on
any date from them, so the history of a unit is always there to ask.

A :class:`Unit` satisfies billing's ``BillableUnit`` protocol (``unit_id``, ``property_type``,
``building_area``, ``inner_area``) structurally, so billing can bill it without importing this
package and this package never imports billing.

>>> flat = Unit(
...     unit_id="1-2-0301",
...     community="SUNRISE",
...     building="1",
...     entrance="2",
...     floor=3,
...     number="0301",
...     property_type=PropertyType.RESIDENTIAL,
...     building_area="89.37",
...     inner_area="72.15",
... )
>>> flat = flat.with_fact(Sale(pendulum.date(2025, 6, 1))).with_fact(
...     Handover(pendulum.date(2026, 3, 1))
... )
>>> flat.status(pendulum.date(2026, 2, 1)).code, flat.status(pendulum.date(2026, 3, 1)).code
(<UnitStatusCode.SOLD: 'sold'>, <UnitStatusCode.VACANT: 'vacant'>)
>>> flat.address
'SUNRISE 1栋2单元0301室'
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._property_types import PropertyType
from propcrm._validators import check_ascii_digits, check_record_id, instance_of
from propcrm.errors import InvalidAmount, InvalidQuantity, InvalidUnit, UnitNotReady
from propcrm.money import to_decimal
from propcrm.time import as_date

__all__ = [
    "Decoration",
    "DecorationPermit",
    "Handover",
    "Occupancy",
    "Sale",
    "Unit",
    "UnitFact",
    "UnitStatus",
    "UnitStatusCode",
    "area_value",
]


def area_value(value: object, what: str = "area") -> Decimal:
    """An area in ㎡: a non-negative exact decimal (``str``, ``int`` or ``Decimal``, never a float).

    The same rule as billing's areas (billing is not imported here; the two agree by test).

    >>> area_value("89.37")
    Decimal('89.37')
    >>> area_value(89.37)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidQuantity: area 89.37 is a float; floats cannot hold fen exactly. Pass \
a str, int or Decimal instead, e.g. '89.37'.
    """
    field = what.replace(" ", "_")
    allowed = "0 or more ㎡, as a str, int or Decimal"
    if isinstance(value, str):
        check_ascii_digits(value, what, InvalidQuantity)
        if "e" in value.lower():  # "1e999999" is a number, but no area anyone measured
            raise InvalidQuantity(
                f"{what} {value!r} is in exponent notation; write it like '89.37'.",
                field=field,
                value=value,
                allowed=allowed,
            )
    try:
        result = to_decimal(value, what=what)
    except InvalidAmount as exc:
        raise InvalidQuantity(str(exc), field=field, value=value, allowed=allowed) from None
    if result < 0:
        raise InvalidQuantity(
            f"{what} {value!r} is negative; it must be 0 or more.",
            field=field,
            value=value,
            allowed=allowed,
        )
    return result


def _optional_area(value: object) -> Decimal | None:
    return None if value is None else area_value(value, "inner area")


# One named converter a field, so that a refused date names its field (and mypy's attrs plugin
# reads the converter's type).
def _issued_on(value: object) -> pendulum.Date:
    return as_date(value, "issued_on")


def _on(value: object) -> pendulum.Date:
    return as_date(value, "on")


def _start(value: object) -> pendulum.Date:
    return as_date(value, "start")


def _until(value: object) -> pendulum.Date:
    return as_date(value, "until")


def _optional_until(value: object) -> pendulum.Date | None:
    return None if value is None else as_date(value, "until")


def _text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidUnit(
            f"{attribute.name} {value!r} must be non-empty text.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def _optional_text(
    _instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidUnit(
            f"{attribute.name} {value!r} must be non-empty text or None.",
            field=attribute.name,
            value=value,
            allowed="non-empty text or None",
        )


def _floor(_instance: object, _attribute: object, value: int) -> None:
    # Chinese buildings have no floor 0: the floor below 1 is -1 (地下一层).
    if isinstance(value, bool) or not isinstance(value, int) or value == 0:
        raise InvalidUnit(
            f"floor {value!r} must be a non-zero int: 1, 2, … above ground, -1, -2, … below.",
            field="floor",
            value=value,
            allowed="a non-zero int",
        )


# -- dated facts ------------------------------------------------------------------------------


@attrs.frozen
class DecorationPermit:
    """A decoration permit (装修许可证) issued by the property company.

    ``hot_work`` records whether hot work (动火作业: welding, cutting) is permitted; it needs its
    own approval, so a permit without it does not cover hot work.
    """

    number: str = attrs.field(validator=_text)
    issued_on: pendulum.Date = attrs.field(converter=_issued_on)
    hot_work: bool = attrs.field(default=False, validator=instance_of(bool))


@attrs.frozen
class Sale:
    """The unit was sold (a first sale by the developer or a resale) on ``on``.

    Who sold and who bought is in the owner relations; this fact dates the event.
    """

    on: pendulum.Date = attrs.field(converter=_on)
    reference: str = attrs.field(default="", validator=instance_of(str))


@attrs.frozen
class Handover:
    """The unit was handed over (交付) to its owner on ``on``; from then on it must be owned."""

    on: pendulum.Date = attrs.field(converter=_on)
    reference: str = attrs.field(default="", validator=instance_of(str))


@attrs.frozen
class Occupancy:
    """The unit was occupied (入住) from ``start`` until ``until`` (exclusive; ``None``: still)."""

    start: pendulum.Date = attrs.field(converter=_start)
    until: pendulum.Date | None = attrs.field(default=None, converter=_optional_until)

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.until <= self.start:
            raise InvalidUnit(
                f"occupancy until {self.until.isoformat()} is not after its start "
                f"{self.start.isoformat()}; the end is exclusive and must be later.",
                field="until",
                value=self.until,
                allowed=f"a date after {self.start.isoformat()}",
            )

    def covers(self, day: datetime.date) -> bool:
        """Whether the unit was occupied on ``day``."""
        d = as_date(day, "day")
        return self.start <= d and (self.until is None or d < self.until)


@attrs.frozen
class Decoration:
    """Decoration works (装修) from ``start`` until ``until`` (exclusive) under ``permit``."""

    start: pendulum.Date = attrs.field(converter=_start)
    until: pendulum.Date = attrs.field(converter=_until)
    permit: DecorationPermit = attrs.field(validator=instance_of(DecorationPermit))

    def __attrs_post_init__(self) -> None:
        if self.until <= self.start:
            raise InvalidUnit(
                f"decoration until {self.until.isoformat()} is not after its start "
                f"{self.start.isoformat()}; the end is exclusive and must be later.",
                field="until",
                value=self.until,
                allowed=f"a date after {self.start.isoformat()}",
            )
        if self.permit.issued_on > self.start:
            raise InvalidUnit(
                f"decoration starting {self.start.isoformat()} has permit {self.permit.number} "
                f"issued later, on {self.permit.issued_on.isoformat()}; works need the permit "
                "first.",
                field="permit",
                value=self.permit,
                allowed=f"a permit issued by {self.start.isoformat()}",
            )

    def covers(self, day: datetime.date) -> bool:
        """Whether the works were under way on ``day``."""
        d = as_date(day, "day")
        return self.start <= d < self.until


UnitFact = Sale | Handover | Occupancy | Decoration
"""A dated fact in a unit's life."""

_FACT_TYPES = (Sale, Handover, Occupancy, Decoration)


def _fact_day(fact: UnitFact) -> pendulum.Date:
    return fact.on if isinstance(fact, Sale | Handover) else fact.start


def _fact_order(fact: UnitFact) -> tuple[pendulum.Date, int]:
    return _fact_day(fact), _FACT_TYPES.index(type(fact))


_FACTS_ALLOWED = "a sequence of Sale, Handover, Occupancy and Decoration values"


def _facts(values: Iterable[UnitFact]) -> tuple[UnitFact, ...]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidUnit(
            f"facts must be a sequence of unit facts, not {type(values).__name__} {values!r}.",
            field="facts",
            value=values,
            allowed=_FACTS_ALLOWED,
        )
    facts = tuple(values)
    for fact in facts:
        if not isinstance(fact, _FACT_TYPES):
            raise InvalidUnit(
                f"unit fact {fact!r} is a {type(fact).__name__}; a fact is a Sale, Handover, "
                "Occupancy or Decoration.",
                field="facts",
                value=fact,
                allowed=_FACTS_ALLOWED,
            )
    return tuple(sorted(facts, key=_fact_order))


# -- status -----------------------------------------------------------------------------------


class UnitStatusCode(enum.Enum):
    """The status of a unit on a date, derived from its facts; ``label(locale)`` names it.

    >>> UnitStatusCode.SOLD.label(), UnitStatusCode.SOLD.label("en_US")
    ('已售未交付', 'sold, not handed over')
    """

    UNSOLD = "unsold"
    SOLD = "sold"
    VACANT = "vacant"
    OCCUPIED = "occupied"
    DECORATING = "decorating"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The term used in customer-service records, e.g. ``'已入住'`` (zh_CN)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case UnitStatusCode.UNSOLD:
                return pgettext("unit status", "unsold", locale=locale)
            case UnitStatusCode.SOLD:
                return pgettext("unit status", "sold, not handed over", locale=locale)
            case UnitStatusCode.VACANT:
                return pgettext("unit status", "handed over, vacant", locale=locale)
            case UnitStatusCode.OCCUPIED:
                return pgettext("unit status", "occupied", locale=locale)
            case UnitStatusCode.DECORATING:
                return pgettext("unit status", "under decoration", locale=locale)


@attrs.frozen
class UnitStatus:
    """A unit's status on ``on`` and the facts it comes from.

    ``code`` sums the facts up: decorating (works under way) before occupied, occupied before
    vacant (handed over, nobody in), vacant before sold (not handed over yet), else unsold.
    """

    on: pendulum.Date
    last_sale: Sale | None
    handover: Handover | None
    occupancy: Occupancy | None
    decoration: Decoration | None

    @property
    def code(self) -> UnitStatusCode:
        """The one status code these facts give."""
        if self.decoration is not None:
            return UnitStatusCode.DECORATING
        if self.occupancy is not None:
            return UnitStatusCode.OCCUPIED
        if self.handover is not None:
            return UnitStatusCode.VACANT
        if self.last_sale is not None:
            return UnitStatusCode.SOLD
        return UnitStatusCode.UNSOLD

    @property
    def handed_over(self) -> bool:
        """Whether the unit had been handed over by ``on``."""
        return self.handover is not None


# -- the unit ---------------------------------------------------------------------------------


def _check_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "unit id", InvalidUnit)


def _check_community(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "community code", InvalidUnit, field="community")


@attrs.frozen(kw_only=True)
class Unit:
    """A unit of a community: a flat, office, shop, parking space or storage room.

    Attributes:
        unit_id: stable id, unique in the portfolio (e.g. ``'1-2-0301'``, or with the community
            code when a portfolio has several communities); no spaces.
        community: the community's code (e.g. ``'SUNRISE'``).
        building, entrance, floor, number: where it is (栋, 单元, 层, 室); ``entrance`` is
            ``None`` where there is none (a parking level); floors below ground are negative.
        property_type: what it is used as; selects its prices.
        building_area, inner_area: 建筑面积 and 套内面积 in ㎡, exact decimals; the inner area,
            when known, is not above the building area.
        facts: dated sales, handover, occupancies and decorations, kept in date order.
    """

    unit_id: str = attrs.field(validator=_check_id)
    community: str = attrs.field(validator=_check_community)
    building: str = attrs.field(validator=_text)
    entrance: str | None = attrs.field(default=None, validator=_optional_text)
    floor: int = attrs.field(validator=_floor)
    number: str = attrs.field(validator=_text)
    property_type: PropertyType = attrs.field(validator=instance_of(PropertyType))
    building_area: Decimal = attrs.field(converter=area_value)
    inner_area: Decimal | None = attrs.field(default=None, converter=_optional_area)
    facts: tuple[UnitFact, ...] = attrs.field(default=(), converter=_facts)

    def __attrs_post_init__(self) -> None:
        if self.inner_area is not None and self.inner_area > self.building_area:
            raise InvalidQuantity(
                f"unit {self.unit_id}: inner area {self.inner_area} ㎡ is above the building "
                f"area {self.building_area} ㎡; the building area includes the inner area.",
                field="inner_area",
                value=self.inner_area,
                allowed=f"at most the building area, {self.building_area} ㎡",
            )
        _check_facts(self.unit_id, self.facts)

    @property
    def address(self) -> str:
        """Where the unit is, as written on Chinese notices: ``'SUNRISE 1栋2单元0301室'``."""
        entrance = f"{self.entrance}单元" if self.entrance is not None else ""
        return f"{self.community} {self.building}栋{entrance}{self.number}室"

    @property
    def handover(self) -> Handover | None:
        """The handover (交付), if the unit has been handed over."""
        if not self.facts:
            return None  # most units of a book: checked for each of an import's 100,000
        return next((f for f in self.facts if isinstance(f, Handover)), None)

    def with_fact(self, fact: UnitFact) -> Unit:
        """A copy with ``fact`` added; the facts are checked together again."""
        return attrs.evolve(self, facts=(*self.facts, fact))

    def end_occupancy(self, on: datetime.date) -> Unit:
        """A copy whose occupancy in force on ``on`` ends on ``on`` (the move-out day)."""
        day = as_date(on, "on")
        current = next((f for f in self.facts if isinstance(f, Occupancy) and f.covers(day)), None)
        if current is None or current.start == day:
            raise InvalidUnit(
                f"unit {self.unit_id} has no occupancy in force on {day.isoformat()} that began "
                "before it; record a move-in first.",
                unit_id=self.unit_id,
                on=day,
            )
        facts = tuple(attrs.evolve(f, until=day) if f is current else f for f in self.facts)
        return attrs.evolve(self, facts=facts)

    def status(self, on: datetime.date) -> UnitStatus:
        """The unit's status on ``on``, derived from its facts."""
        day = as_date(on, "on")
        sale: Sale | None = None
        handover: Handover | None = None
        occupancy: Occupancy | None = None
        decoration: Decoration | None = None
        for fact in self.facts:
            if isinstance(fact, Sale) and fact.on <= day:
                sale = fact
            elif isinstance(fact, Handover) and fact.on <= day:
                handover = fact
            elif isinstance(fact, Occupancy) and fact.covers(day):
                occupancy = fact
            elif isinstance(fact, Decoration) and fact.covers(day):
                decoration = fact
        return UnitStatus(day, sale, handover, occupancy, decoration)

    def occupied_on(self, day: datetime.date) -> bool:
        """Whether an occupancy covers ``day``."""
        return self.status(as_date(day, "day")).occupancy is not None


def _check_facts(unit_id: str, facts: tuple[UnitFact, ...]) -> None:
    if not facts:
        return  # no handover, nothing to overlap: most units, built 100,000 at a time
    handovers = [f for f in facts if isinstance(f, Handover)]
    if len(handovers) > 1:
        raise InvalidUnit(
            f"unit {unit_id} has {len(handovers)} handovers "
            f"({', '.join(h.on.isoformat() for h in handovers)}); a unit is handed over once.",
            field="facts",
            value=tuple(handovers),
            allowed="at most one Handover",
            unit_id=unit_id,
        )
    handed_over = handovers[0].on if handovers else None
    for kind, label in ((Occupancy, "occupancies"), (Decoration, "decorations")):
        spans = [f for f in facts if isinstance(f, kind)]
        for fact in spans:
            assert isinstance(fact, Occupancy | Decoration)
            if handed_over is None or fact.start < handed_over:
                when = (
                    "it has no handover"
                    if handed_over is None
                    else (f"it was handed over on {handed_over.isoformat()}")
                )
                raise UnitNotReady(
                    f"unit {unit_id}: {type(fact).__name__.lower()} from "
                    f"{fact.start.isoformat()} is before the unit was handed over ({when}); "
                    "record the handover (交付) first.",
                    unit_id=unit_id,
                    fact=fact,
                    handover=handed_over,
                )
        for before, after in itertools.pairwise(spans):
            assert isinstance(before, Occupancy | Decoration)
            assert isinstance(after, Occupancy | Decoration)
            if before.until is None or before.until > after.start:
                raise InvalidUnit(
                    f"unit {unit_id}: {label} from {before.start.isoformat()} and "
                    f"{after.start.isoformat()} overlap; end the first before the next begins.",
                    field="facts",
                    value=(before, after),
                    allowed=f"{label} that do not overlap",
                    unit_id=unit_id,
                )
