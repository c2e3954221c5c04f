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
from typing import Any, ClassVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_int, check_text, instance_of
from propcrm.billing._charge_units import ChargeUnit
from propcrm.billing._metering import (
    MeterReading,
    TieredPrice,
    TierUse,
)
from propcrm.billing._price_lists import SpecialServiceOrder
from propcrm.billing._proration import ProrationPolicy
from propcrm.billing._quantities import quantity_value
from propcrm.billing._repeated import check_id, items_of
from propcrm.billing._units import (
    AreaBasis,
    BillableUnit,
    unit_area,
)
from propcrm.billing._usage import UnitUsage
from propcrm.errors import InvalidQuantity, InvalidType
from propcrm.money import (
    Money,
    RoundingMode,
    as_money,
    as_optional_money,
    format_money,
)
from propcrm.time import as_date

__all__ = [
    "OPENING_BALANCE",
    "AreaCharge",
    "ChargeExplanation",
    "ChargeKind",
    "ChargeLine",
    "ChargeRule",
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


def _unit_text(unit: ChargeUnit | str, locale: LocaleLike = DEFAULT_LOCALE) -> str:
    """``unit`` for people: a built-in unit in ``locale``, a community's own as given."""
    if isinstance(unit, ChargeUnit):
        return unit.label(locale)
    check_locale(locale)  # refused the same way whichever kind of unit the line has
    return unit


def _code(_instance: object, _attribute: object, value: str) -> None:
    check_id(value, "code", InvalidQuantity, what="charge code", example="'MGMT'")


def _name(_instance: object, _attribute: object, value: str) -> None:
    check_text(value, "name", InvalidQuantity, max_length=200, example="'物业管理费'")


def _price(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if value.is_negative:
        raise InvalidQuantity(
            f"{attribute.name} {value!r} is negative; prices are 0 or more.",
            field=attribute.name,
            value=value,
            allowed="a price of 0 or more",
        )


def _meter_kind(_instance: object, _attribute: object, value: str) -> None:
    check_id(value, "meter_kind", InvalidQuantity, what="meter kind", example="'water'")


def _unit(_instance: object, _attribute: object, value: ChargeUnit | str) -> None:
    if not isinstance(value, ChargeUnit):
        check_text(value, "unit_label", InvalidQuantity, max_length=20, example="'度'")


@attrs.frozen
class AreaCharge:
    """Unit price per ㎡ per month × the unit's building area (or inner area) × months."""

    code: str = attrs.field(validator=_code)
    name: str = attrs.field(validator=_name)
    unit_price: Money = attrs.field(converter=as_money, validator=_price)
    basis: AreaBasis = attrs.field(default=AreaBasis.BUILDING, validator=instance_of(AreaBasis))

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
    name: str = attrs.field(validator=_name)
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
    name: str = attrs.field(validator=_name)
    unit_price: Money = attrs.field(converter=as_money, validator=_price)

    kind: ClassVar[ChargeKind] = ChargeKind.PARKING
    unit_label: ClassVar[ChargeUnit] = ChargeUnit.SPACE

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        return gettext("price per space × spaces × months", locale=locale)

    def quantity(self, _unit: BillableUnit, usage: UnitUsage) -> Decimal:
        """The number of spaces in the unit's usage."""
        try:
            return Decimal(usage.parking_spaces)
        except AttributeError:  # looked for only when missing: this runs for every unit
            raise InvalidType(
                f"usage {usage!r} is not a UnitUsage.",
                field="usage",
                value=usage,
                allowed="UnitUsage",
            ) from None


@attrs.frozen
class MeteredCharge:
    """Consumption of the unit's meters of ``meter_kind``, priced by tiers."""

    code: str = attrs.field(validator=_code)
    name: str = attrs.field(validator=_name)
    meter_kind: str = attrs.field(validator=_meter_kind)
    prices: TieredPrice = attrs.field(validator=instance_of(TieredPrice))
    unit_label: ChargeUnit | str = attrs.field(default=ChargeUnit.TONNE, validator=_unit)

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
    name: str = attrs.field(validator=_name)

    kind: ClassVar[ChargeKind] = ChargeKind.SPECIAL_SERVICE

    def formula(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The computation, in words."""
        return gettext("list price × quantity", locale=locale)


PeriodicCharge = AreaCharge | FixedCharge | ParkingCharge
"""Rules priced per month and prorated by days."""

ChargeRule = AreaCharge | FixedCharge | ParkingCharge | MeteredCharge | SpecialServiceCharge
"""Every kind of charge rule a tariff version can hold."""


def _first(value: object) -> pendulum.Date:
    return as_date(value, "first")


def _last(value: object) -> pendulum.Date:
    return as_date(value, "last")


def _weight(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    check_int(value, attribute.name, InvalidQuantity, minimum=0)


@attrs.frozen
class Proration:
    """How a periodic line was prorated: its days, weight and the full-period amount split."""

    policy: ProrationPolicy = attrs.field(validator=instance_of(ProrationPolicy))
    first: pendulum.Date = attrs.field(converter=_first)
    last: pendulum.Date = attrs.field(converter=_last)
    weight: int = attrs.field(validator=_weight)
    total_weight: int = attrs.field(validator=_weight)
    full_amount: Money = attrs.field(converter=as_money)

    @full_amount.validator
    def _consistent(self, _attribute: object, _value: Money) -> None:
        # A validator, not __attrs_post_init__: attrs runs it once every field is set, and the
        # billing run's fast path (propcrm._trusted.slot_constructor) skips it, as it may.
        if self.last < self.first or self.weight > self.total_weight:
            raise InvalidQuantity(
                f"a proration of {self.first.isoformat()}–{self.last.isoformat()} weighing "
                f"{self.weight}/{self.total_weight} is impossible; the days run forward and the "
                "weight is at most the total.",
                field="weight",
                value=(self.first, self.last, self.weight, self.total_weight),
                allowed="first <= last and weight <= total_weight",
            )


def _optional(kind: type | tuple[type, ...]) -> Any:
    return attrs.validators.optional(
        instance_of(*kind) if isinstance(kind, tuple) else instance_of(kind)
    )


def _explained_quantity(value: object) -> Decimal:
    return quantity_value(value, "quantity")


def _tier_uses(value: object) -> tuple[TierUse, ...]:
    return items_of(value, TierUse, "tiers")


def _optional_months(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None:
        check_int(value, "months", InvalidQuantity, minimum=1, maximum=12)


def _optional_version(
    _instance: object, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if value is not None:
        check_id(value, attribute.name, InvalidQuantity, what=attribute.name, example="'2026A'")


@attrs.frozen
class ChargeExplanation:
    """Everything that decided a line's amount, as data.

    ``rule`` is the rule that computed the line (``None``: an amount carried over from another
    system); ``unit_label`` the unit of ``quantity``, built in or the community's own.
    """

    rule: ChargeRule | None = attrs.field(
        validator=_optional(
            (AreaCharge, FixedCharge, ParkingCharge, MeteredCharge, SpecialServiceCharge)
        )
    )
    quantity: Decimal = attrs.field(converter=_explained_quantity)
    unit_label: ChargeUnit | str = attrs.field(validator=_unit)
    unit_price: Money | None = attrs.field(converter=as_optional_money)
    unrounded: Money = attrs.field(converter=as_money)
    rounding: RoundingMode = attrs.field(validator=instance_of(RoundingMode))
    months: int | None = attrs.field(default=None, validator=_optional_months)
    tariff_version: str | None = attrs.field(default=None, validator=_optional_version)
    price_list_version: str | None = attrs.field(default=None, validator=_optional_version)
    proration: Proration | None = attrs.field(default=None, validator=_optional(Proration))
    tiers: tuple[TierUse, ...] = attrs.field(default=(), converter=_tier_uses)
    reading: MeterReading | None = attrs.field(default=None, validator=_optional(MeterReading))
    order: SpecialServiceOrder | None = attrs.field(
        default=None, validator=_optional(SpecialServiceOrder)
    )

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


OPENING_BALANCE = "opening balance"
"""The stored name of a balance carried over without a name of its own; shown translated."""


@attrs.frozen
class ChargeLine:
    """One line of a fee notice: which rule, the rounded amount and why.

    ``name`` is stored as given (the tariff's or the caller's words). A balance carried over
    without a name stores the stable name ``'opening balance'``, which :meth:`display_name`
    shows in the reader's language.
    """

    code: str = attrs.field(validator=_code)
    name: str = attrs.field(validator=_name)
    kind: ChargeKind = attrs.field(validator=instance_of(ChargeKind))
    amount: Money = attrs.field(converter=as_money)
    explanation: ChargeExplanation = attrs.field(validator=instance_of(ChargeExplanation))

    def display_name(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The line's name for people: ``name`` as given, or the carried-over balance's.

        >>> from propcrm.billing import opening_line
        >>> line = opening_line(Money("100.00"))
        >>> line.name, line.display_name(), line.display_name("en_US")
        ('opening balance', '期初欠费', 'opening balance')
        >>> opening_line(Money("100.00"), "旧系统欠费").display_name("en_US")
        '旧系统欠费'
        """
        if self.explanation.rule is None and self.name == OPENING_BALANCE:
            return pgettext("charge line", "opening balance", locale=locale)
        check_locale(locale)  # refused the same way whichever name the line has
        return self.name

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
