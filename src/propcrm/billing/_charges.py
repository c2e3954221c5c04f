"""Charge rules: how each line of a fee notice is computed, and the line with its explanation.

Every rule is a frozen value; computing a line is a pure function of the rule, the unit, its
usage and the period. Each line carries a :class:`ChargeExplanation` saying which quantity, unit
price, months, tiers, proration, tariff or price-list version and rounding produced its amount.

Periodic rules (priced per month and prorated by days):

- :class:`AreaCharge`: unit price per ㎡ per month × building (or inner) area
  (2.80 元/㎡/月 × 89.37 ㎡ = 250.236 → ¥250.24, domain brief §2);
- :class:`FixedCharge`: a fixed amount per unit per month;
- :class:`ParkingCharge`: a price per parking space per month.

Usage rules (priced on what was used, never prorated):

- :class:`MeteredCharge`: reading delta × multiplier, priced by tiers (阶梯价格);
- :class:`SpecialServiceCharge`: special-service orders priced from the published price list.

>>> rule = AreaCharge("MGMT", "物业管理费", unit_price=Money("2.80"))
>>> unit = UnitProfile("1-2-0301", PropertyType.RESIDENTIAL, building_area="89.37")
>>> rule.quantity(unit, UnitUsage()), rule.formula("en_US")
(Decimal('89.37'), 'unit price × building area × months')
>>> rule.formula(), rule.unit_label.label(), rule.unit_label.label("en_US")
('单价 × 建筑面积 × 月数', '㎡', 'm²')
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import ClassVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm.billing._metering import (
    MeterReading,
    TieredPrice,
    TierUse,
)
from propcrm.billing._price_lists import SpecialServiceOrder
from propcrm.billing._proration import ProrationPolicy
from propcrm.billing._units import (
    AreaBasis,
    BillableUnit,
    unit_area,
)
from propcrm.billing._usage import UnitUsage
from propcrm.errors import InvalidQuantity
from propcrm.money import (
    Money,
    RoundingMode,
    as_money,
    format_money,
)

__all__ = [
    "AreaCharge",
    "ChargeExplanation",
    "ChargeKind",
    "ChargeLine",
    "ChargeRule",
    "ChargeUnit",
    "FixedCharge",
    "MeteredCharge",
    "ParkingCharge",
    "PeriodicCharge",
    "Proration",
    "SpecialServiceCharge",
]


class ChargeKind(enum.Enum):
    """The family of a charge rule."""

    AREA = "area"
    FIXED = "fixed"
    PARKING = "parking"
    METERED = "metered"
    SPECIAL_SERVICE = "special_service"


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


def _unit_text(unit: ChargeUnit | str, locale: LocaleLike = DEFAULT_LOCALE) -> str:
    """``unit`` for people: a built-in unit in ``locale``, a community's own as given."""
    if isinstance(unit, ChargeUnit):
        return unit.label(locale)
    check_locale(locale)  # refused the same way whichever kind of unit the line has
    return unit


def _code(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise InvalidQuantity(f"charge code {value!r} must be a non-empty str without spaces.")


def _price(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if value.is_negative:
        raise InvalidQuantity(f"{attribute.name} {value!r} is negative; prices are 0 or more.")


@attrs.frozen
class AreaCharge:
    """Unit price per ㎡ per month × the unit's building area (or inner area) × months."""

    code: str = attrs.field(validator=_code)
    name: str
    unit_price: Money = attrs.field(converter=as_money, validator=_price)
    basis: AreaBasis = AreaBasis.BUILDING

    kind: ClassVar[ChargeKind] = ChargeKind.AREA
    unit_label: ClassVar[ChargeUnit] = ChargeUnit.SQUARE_METRE

    def quantity(self, unit: BillableUnit, _usage: UnitUsage) -> Decimal:
        """The area billed."""
        return unit_area(unit, self.basis)

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        match self.basis:
            case AreaBasis.BUILDING:
                return gettext("unit price × building area × months", locale=locale)
            case AreaBasis.INNER:
                return gettext("unit price × inner area × months", locale=locale)


@attrs.frozen
class FixedCharge:
    """A fixed amount per unit per month (e.g. a household's share of shared utilities)."""

    code: str = attrs.field(validator=_code)
    name: str
    unit_price: Money = attrs.field(converter=as_money, validator=_price)

    kind: ClassVar[ChargeKind] = ChargeKind.FIXED
    unit_label: ClassVar[ChargeUnit] = ChargeUnit.HOUSEHOLD

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        return gettext("amount per unit × months", locale=locale)

    def quantity(self, _unit: BillableUnit, _usage: UnitUsage) -> Decimal:
        """Always one unit."""
        return Decimal(1)


@attrs.frozen
class ParkingCharge:
    """A price per parking space per month × the spaces the unit holds."""

    code: str = attrs.field(validator=_code)
    name: str
    unit_price: Money = attrs.field(converter=as_money, validator=_price)

    kind: ClassVar[ChargeKind] = ChargeKind.PARKING
    unit_label: ClassVar[ChargeUnit] = ChargeUnit.SPACE

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        return gettext("price per space × spaces × months", locale=locale)

    def quantity(self, _unit: BillableUnit, usage: UnitUsage) -> Decimal:
        """The number of spaces in the unit's usage."""
        return Decimal(usage.parking_spaces)


@attrs.frozen
class MeteredCharge:
    """Consumption of the unit's meters of ``meter_kind``, priced by tiers."""

    code: str = attrs.field(validator=_code)
    name: str
    meter_kind: str
    prices: TieredPrice
    unit_label: ChargeUnit | str = ChargeUnit.TONNE

    kind: ClassVar[ChargeKind] = ChargeKind.METERED

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        return gettext("(current − previous) × multiplier, priced by tiers", locale=locale)


@attrs.frozen
class SpecialServiceCharge:
    """Special-service orders, priced from the list in force when performed, or the version named.

    An order that names a price-list version (an accepted quote's) is priced from that version.
    """

    code: str = attrs.field(validator=_code)
    name: str

    kind: ClassVar[ChargeKind] = ChargeKind.SPECIAL_SERVICE

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        return gettext("list price × quantity", locale=locale)


PeriodicCharge = AreaCharge | FixedCharge | ParkingCharge
"""Rules priced per month and prorated by days."""

ChargeRule = AreaCharge | FixedCharge | ParkingCharge | MeteredCharge | SpecialServiceCharge
"""Every kind of charge rule a tariff version can hold."""


@attrs.frozen
class Proration:
    """How a periodic line was prorated: its days, weight and the full-period amount split."""

    policy: ProrationPolicy
    first: pendulum.Date
    last: pendulum.Date
    weight: int
    total_weight: int
    full_amount: Money


@attrs.frozen
class ChargeExplanation:
    """Everything that decided a line's amount, as data.

    ``rule`` is the rule that computed the line (``None``: an amount carried over from another
    system); ``unit_label`` the unit of ``quantity``, built in or the community's own.
    """

    rule: ChargeRule | None
    quantity: Decimal
    unit_label: ChargeUnit | str
    unit_price: Money | None
    unrounded: Money
    rounding: RoundingMode
    months: int | None = None
    tariff_version: str | None = None
    price_list_version: str | None = None
    proration: Proration | None = None
    tiers: tuple[TierUse, ...] = ()
    reading: MeterReading | None = None
    order: SpecialServiceOrder | None = None

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words, with the proration's share of the period if any."""
        if self.rule is None:
            return gettext(
                "%(amount)s carried over",
                locale=locale,
                amount=format_money(self.unrounded, locale),
            )
        text = self.rule.formula(locale)
        if self.proration is None:
            return text
        return gettext(
            "(%(formula)s) × %(weight)d/%(total)d",
            locale=locale,
            formula=text,
            weight=self.proration.weight,
            total=self.proration.total_weight,
        )


@attrs.frozen
class ChargeLine:
    """One line of a fee notice: which rule, the rounded amount and why."""

    code: str
    name: str
    kind: ChargeKind
    amount: Money
    explanation: ChargeExplanation

    @property
    def quantity(self) -> Decimal:
        """The quantity billed (area, spaces, consumption, service quantity)."""
        return self.explanation.quantity

    def unit_label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The unit of the quantity: ㎡, 个, 吨 (zh_CN), m², space, t (en_US); or the community's.

        A unit the community named (台, 次, …) is printed as given.
        """
        return _unit_text(self.explanation.unit_label, locale)

    @property
    def unit_price(self) -> Money | None:
        """The unit price, or ``None`` for tiered prices (see ``explanation.tiers``)."""
        return self.explanation.unit_price
