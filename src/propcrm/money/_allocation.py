"""Exact allocation of an amount over parts: the parts always sum to the whole.

The method is the largest remainder (Hamilton) method, in integer minor units:

1. each part first gets ``floor(total × ratio / sum of ratios)`` minor units;
2. the minor units left over (fewer than the number of parts) go one each to the parts with the
   largest fractional remainders;
3. ties between equal remainders go to the **earlier** part, so the result is deterministic and
   independent of anything but the order of the ratios.

A negative total is allocated as its absolute value and negated, so ``allocate(-x, r)`` is
``-allocate(x, r)`` part by part.

>>> allocate(Money("100.00"), [1, 1, 1])
(Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY'))
>>> allocate(Money("0.05"), [Decimal("0.7"), Decimal("0.3")])
(Money('0.04', 'CNY'), Money('0.01', 'CNY'))
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from propcrm.errors import InvalidAllocation, InvalidAmount
from propcrm.money._money import Money, as_money, to_decimal

__all__ = ["allocate", "split_evenly"]


def _ratio(value: object, index: int) -> Fraction:
    try:
        ratio = Fraction(to_decimal(value, what=f"ratio #{index}"))
    except InvalidAmount as exc:
        raise InvalidAllocation(str(exc)) from None
    if ratio < 0:
        raise InvalidAllocation(
            f"ratio #{index} is {value!r}; ratios must be zero or more, with a positive sum."
        )
    return ratio


def allocate(
    total: Money | Decimal | int | str, ratios: Sequence[Decimal | int | str]
) -> tuple[Money, ...]:
    """Split ``total`` (already rounded to its minor unit) over ``ratios``, exactly.

    Raises:
        InvalidAmount: ``total`` has digits below its minor unit (round it first).
        InvalidAllocation: no ratios, a negative ratio, or ratios summing to zero.
    """
    total = as_money(total)
    units = total.minor_units  # raises InvalidAmount for an unrounded total
    if len(ratios) == 0:
        raise InvalidAllocation("cannot allocate over no parts; give at least one ratio.")
    weights = [_ratio(r, i) for i, r in enumerate(ratios)]
    whole = sum(weights, Fraction(0))
    if whole == 0:
        raise InvalidAllocation("ratios sum to zero; at least one ratio must be positive.")
    sign = -1 if units < 0 else 1
    magnitude = abs(units)
    exact = [magnitude * w / whole for w in weights]
    floors = [int(e) for e in exact]  # int() truncates: floor, since every share is >= 0
    left = magnitude - sum(floors)
    # Largest remainder first; among equal remainders the earlier part first (stable sort).
    order = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return tuple(Money.from_minor_units(sign * f, total.currency) for f in floors)


def split_evenly(total: Money | Decimal | int | str, parts: int) -> tuple[Money, ...]:
    """Split ``total`` into ``parts`` equal shares; the first shares take the extra fen.

    >>> split_evenly(Money("10.00"), 3)
    (Money('3.34', 'CNY'), Money('3.33', 'CNY'), Money('3.33', 'CNY'))
    """
    if isinstance(parts, bool) or not isinstance(parts, int) or parts < 1:
        raise InvalidAllocation(f"parts is {parts!r}; it must be an int of 1 or more.")
    return allocate(total, [1] * parts)
