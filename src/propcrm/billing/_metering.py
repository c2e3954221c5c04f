"""Meter readings and tiered (阶梯) prices for metered charges such as water and power.

Consumption is the reading delta times the meter's multiplier. A reading lower than the previous
one is refused unless it is marked as a meter replacement, which records the old meter's final
reading and the new meter's first one.

>>> reading = MeterReading(
...     "W-0301", "water", previous="120", current="138", read_on=pendulum.date(2026, 11, 30)
... )
>>> reading.consumption
Decimal('18')
>>> water = TieredPrice(
...     (Tier(up_to="15", unit_price=Money("3.45")), Tier(up_to=None, unit_price=Money("4.83")))
... )
>>> amount, uses = water.price(reading.consumption)
>>> amount, [str(u.quantity) for u in uses]
(Money('66.24', 'CNY'), ['15', '3'])
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from propcrm.billing._quantities import quantity_value
from propcrm.billing._repeated import check_id, items_of
from propcrm.errors import CurrencyMismatch, InvalidMeterReading, InvalidQuantity, InvalidType
from propcrm.money import (
    EXACT,
    Money,
    as_money,
)
from propcrm.time import as_date

__all__ = ["MeterReading", "MeterReplacement", "Tier", "TierUse", "TieredPrice"]


def _reading(value: object) -> Decimal:
    return quantity_value(value, "meter reading")


def _multiplier(value: object) -> Decimal:
    result = quantity_value(value, "meter multiplier")
    if result == 0:
        raise InvalidQuantity(
            "meter multiplier is 0; a multiplier is above 0 (1 for most meters).",
            field="multiplier",
            value=value,
            allowed="a decimal above 0",
        )
    return result


def _replaced_on(value: object) -> pendulum.Date:
    return as_date(value, "replaced_on")


def _read_on(value: object) -> pendulum.Date:
    return as_date(value, "read_on")


def _meter_id(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "meter_id", InvalidQuantity, what="meter id", example="'W-0301'")


def _meter_kind(_instance: object, _attribute: object, value: Any) -> None:
    check_id(value, "kind", InvalidQuantity, what="meter kind", example="'water'")


def _replacement(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, MeterReplacement):
        raise InvalidType(
            f"replacement {value!r} is not a MeterReplacement; pass one, or None.",
            field="replacement",
            value=value,
            allowed="MeterReplacement or None",
        )


@attrs.frozen
class MeterReplacement:
    """A meter swapped during the period: the old meter's last reading, the new one's first."""

    old_final: Decimal = attrs.field(converter=_reading)
    new_initial: Decimal = attrs.field(converter=_reading)
    replaced_on: pendulum.Date = attrs.field(converter=_replaced_on)


@attrs.frozen
class MeterReading:
    """Two readings of one meter for a billing period, and how to turn them into consumption."""

    meter_id: str = attrs.field(validator=_meter_id)
    kind: str = attrs.field(validator=_meter_kind)
    previous: Decimal = attrs.field(converter=_reading)
    current: Decimal = attrs.field(converter=_reading)
    read_on: pendulum.Date = attrs.field(converter=_read_on)
    multiplier: Decimal = attrs.field(default=Decimal(1), converter=_multiplier)
    replacement: MeterReplacement | None = attrs.field(default=None, validator=_replacement)

    def __attrs_post_init__(self) -> None:
        if self.replacement is None:
            if self.current < self.previous:
                raise InvalidMeterReading(
                    f"meter {self.meter_id}: reading {self.current} is below the previous "
                    f"reading {self.previous}; if the meter was replaced, pass a "
                    "MeterReplacement with the old meter's final and the new meter's first "
                    "reading.",
                    field="current",
                    value=self.current,
                    allowed=f"a reading of {self.previous} or more",
                    meter_id=self.meter_id,
                )
            return
        r = self.replacement
        if r.old_final < self.previous or self.current < r.new_initial:
            raise InvalidMeterReading(
                f"meter {self.meter_id}: replaced on {r.replaced_on.isoformat()}, but the old "
                f"meter ran {self.previous} → {r.old_final} and the new one {r.new_initial} → "
                f"{self.current}; each meter's readings must not go down.",
                field="replacement",
                value=r,
                allowed="readings that never go down on either meter",
                meter_id=self.meter_id,
            )

    @property
    def delta(self) -> Decimal:
        """Units the meter(s) advanced, before the multiplier."""
        if self.replacement is None:
            return EXACT.subtract(self.current, self.previous)
        r = self.replacement
        old = EXACT.subtract(r.old_final, self.previous)
        return EXACT.add(old, EXACT.subtract(self.current, r.new_initial))

    @property
    def consumption(self) -> Decimal:
        """Billable consumption: the delta times the multiplier."""
        return EXACT.multiply(self.delta, self.multiplier)


def _tier_price(_instance: object, _attribute: object, value: Money) -> None:
    if value.is_negative:
        raise InvalidQuantity(
            f"tier unit price {value!r} is negative; prices are 0 or more.",
            field="unit_price",
            value=value,
            allowed="a price of 0 or more",
        )


def _optional_bound(value: object) -> Decimal | None:
    return None if value is None else quantity_value(value, "tier bound")


@attrs.frozen
class Tier:
    """Consumption up to ``up_to`` (cumulative; ``None`` for the open last tier) at a price."""

    up_to: Decimal | None = attrs.field(converter=_optional_bound)
    unit_price: Money = attrs.field(converter=as_money, validator=_tier_price)


@attrs.frozen
class TierUse:
    """How much consumption fell in one tier, and what it cost (unrounded)."""

    lower: Decimal
    upper: Decimal | None
    quantity: Decimal
    unit_price: Money
    amount: Money


_TIERS = "tiers with strictly rising bounds, the last one open (up_to=None)"


def _check_tiers(_instance: object, _attribute: object, tiers: tuple[Tier, ...]) -> None:
    if not tiers:
        raise InvalidQuantity(
            "a tiered price needs at least one tier.", field="tiers", value=tiers, allowed=_TIERS
        )
    if tiers[-1].up_to is not None:
        raise InvalidQuantity(
            "the last tier must be open (up_to=None) so every quantity has a price.",
            field="tiers",
            value=tiers[-1],
            allowed=_TIERS,
        )
    bounds = [t.up_to for t in tiers[:-1]]
    if any(b is None for b in bounds):
        raise InvalidQuantity(
            "only the last tier may be open (up_to=None).",
            field="tiers",
            value=tiers,
            allowed=_TIERS,
        )
    previous = Decimal(0)
    for bound in bounds:
        assert bound is not None
        if bound <= previous:
            # Also what refuses the same tier twice: its bound would not rise.
            raise InvalidQuantity(
                f"tier bounds must rise strictly above 0; {bound} follows {previous}.",
                field="tiers",
                value=bound,
                allowed=_TIERS,
            )
        previous = bound
    currencies = {t.unit_price.currency for t in tiers}
    if len(currencies) > 1:
        raise CurrencyMismatch(
            f"tiers are priced in {sorted(currencies)}; use one currency.",
            field="tiers",
            value=sorted(currencies),
            allowed="one currency",
        )


def _tier_tuple(tiers: Iterable[Tier]) -> tuple[Tier, ...]:
    return items_of(tiers, Tier, "tiers")


@attrs.frozen
class TieredPrice:
    """Progressive prices: each tier's price applies to the consumption inside that tier."""

    tiers: tuple[Tier, ...] = attrs.field(converter=_tier_tuple, validator=_check_tiers)

    @classmethod
    def flat(cls, unit_price: Money | Decimal | int | str) -> TieredPrice:
        """A single price for any consumption."""
        return cls((Tier(None, unit_price),))

    def price(self, consumption: Decimal) -> tuple[Money, tuple[TierUse, ...]]:
        """The exact (unrounded) amount for ``consumption`` and the tiers it used."""
        consumption = quantity_value(consumption, "consumption")
        uses: list[TierUse] = []
        lower = Decimal(0)
        currency = self.tiers[0].unit_price.currency
        total = Decimal(0)
        for tier in self.tiers:
            if consumption <= lower:
                break
            top = consumption if tier.up_to is None else min(consumption, tier.up_to)
            qty = EXACT.subtract(top, lower)
            amount = EXACT.multiply(qty, tier.unit_price.amount)
            total = EXACT.add(total, amount)
            uses.append(TierUse(lower, tier.up_to, qty, tier.unit_price, Money(amount, currency)))
            if tier.up_to is None:
                break
            lower = tier.up_to
        return Money(total, currency), tuple(uses)
