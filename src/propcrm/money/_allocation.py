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

from propcrm.errors import InvalidAllocation, InvalidAmount, InvalidType
from propcrm.money._money import Money, as_money, to_decimal

__all__ = ["allocate", "split_evenly"]


_MAX_EVEN_PARTS = 1_000_000

_RATIOS = "ratios of zero or more (str, int or Decimal), with a positive sum"


def _ratio(value: object, index: int) -> Fraction:
    field = f"ratio #{index}"
    try:
        ratio = Fraction(to_decimal(value, what=field))
    except InvalidAmount as exc:
        raise InvalidAllocation(str(exc), field=field, value=value, allowed=_RATIOS) from None
    if ratio < 0:
        raise InvalidAllocation(
            f"ratio #{index} is {value!r}; ratios must be zero or more, with a positive sum.",
            field=field,
            value=value,
            allowed=_RATIOS,
        )
    return ratio


def _ratio_list(ratios: object) -> tuple[object, ...]:
    # A str is a Sequence too, and "123" would be read as the ratios 1, 2 and 3; a set or a
    # mapping has no order for the parts to follow.
    if isinstance(ratios, str | bytes | bytearray) or not isinstance(ratios, Sequence):
        raise InvalidType(
            f"ratios {ratios!r} is a {type(ratios).__name__}; pass a list or tuple of ratios, "
            "e.g. [1, 1, 1].",
            field="ratios",
            value=ratios,
            allowed="a list or tuple of ratios",
        )
    return tuple(ratios)


def allocate(
    total: Money | Decimal | int | str, ratios: Sequence[Decimal | int | str]
) -> tuple[Money, ...]:
    """Split ``total`` (already rounded to its minor unit) over ``ratios``, exactly.

    Raises:
        InvalidAmount: ``total`` has digits below its minor unit (round it first).
        InvalidAllocation: no ratios, a negative ratio, or ratios summing to zero.
        InvalidType: ``ratios`` is not a list or tuple (a str such as ``"123"`` is refused).
    """
    total = as_money(total)
    units = total.minor_units  # raises InvalidAmount for an unrounded total
    given = _ratio_list(ratios)
    if len(given) == 0:
        raise InvalidAllocation(
            "cannot allocate over no parts; give at least one ratio.",
            field="ratios",
            value=ratios,
            allowed=_RATIOS,
        )
    weights = [_ratio(r, i) for i, r in enumerate(given)]
    whole = sum(weights, Fraction(0))
    if whole == 0:
        raise InvalidAllocation(
            "ratios sum to zero; at least one ratio must be positive.",
            field="ratios",
            value=ratios,
            allowed=_RATIOS,
        )
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

    ``parts`` is at most a million (a community's units, many times over): a larger count is a
    mistake that would only exhaust memory.

    >>> split_evenly(Money("10.00"), 3)
    (Money('3.34', 'CNY'), Money('3.33', 'CNY'), Money('3.33', 'CNY'))
    """
    if isinstance(parts, bool) or not isinstance(parts, int) or not 1 <= parts <= _MAX_EVEN_PARTS:
        raise InvalidAllocation(
            f"parts is {parts!r}; it must be an int from 1 to {_MAX_EVEN_PARTS:,}.",
            field="parts",
            value=parts,
            allowed=f"an int from 1 to {_MAX_EVEN_PARTS}",
        )
    return allocate(total, [1] * parts)
