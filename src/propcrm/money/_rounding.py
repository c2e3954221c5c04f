"""Declared rounding: the modes a rule may choose and the explicit decimal contexts.

No arithmetic in propcrm runs in the ambient (thread-local) decimal context, which any caller may
have changed. Exact operations use :data:`EXACT`, which traps on any loss of precision, and
rounding happens only through :func:`quantize`, with the mode named by the caller.

>>> from decimal import Decimal
>>> quantize(Decimal("2.345"), 2, RoundingMode.HALF_UP)
Decimal('2.35')
>>> quantize(Decimal("2.345"), 2, RoundingMode.HALF_EVEN)
Decimal('2.34')
>>> RoundingMode.HALF_UP.label(), RoundingMode.HALF_UP.label("en_US")
('四舍五入', 'half-up')
"""

from __future__ import annotations

import decimal
import enum
from decimal import Decimal
from functools import cache

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm.errors import AmountOutOfRange, InvalidAmount, InvalidType

__all__ = ["EXACT", "RoundingMode", "quantize"]

# 60 significant digits hold any amount up to 10**40 to a millionth of a fen; beyond that an
# operation raises (Inexact is trapped) rather than rounding behind the caller's back.
EXACT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Inexact,
    ],
)

# Quantizing rounds on purpose, so Inexact must not trap there; the mode is always passed in.
_ROUNDING = decimal.Context(
    prec=60,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.Overflow],
)


class RoundingMode(enum.Enum):
    """How an amount is brought to its declared number of places.

    ``HALF_UP`` (四舍五入) is the default everywhere money is rounded, as on Chinese fee notices;
    ``HALF_EVEN`` (banker's rounding) and the directed modes are there for policies that need them.
    """

    HALF_UP = decimal.ROUND_HALF_UP
    HALF_EVEN = decimal.ROUND_HALF_EVEN
    HALF_DOWN = decimal.ROUND_HALF_DOWN
    UP = decimal.ROUND_UP
    DOWN = decimal.ROUND_DOWN
    CEILING = decimal.ROUND_CEILING
    FLOOR = decimal.ROUND_FLOOR

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The mode's name for people, e.g. ``'四舍五入'`` (zh_CN) or ``'half-up'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case RoundingMode.HALF_UP:
                return pgettext("rounding mode", "half-up", locale=locale)
            case RoundingMode.HALF_EVEN:
                return pgettext("rounding mode", "half-even", locale=locale)
            case RoundingMode.HALF_DOWN:
                return pgettext("rounding mode", "half-down", locale=locale)
            case RoundingMode.UP:
                return pgettext("rounding mode", "up (away from zero)", locale=locale)
            case RoundingMode.DOWN:
                return pgettext("rounding mode", "down (towards zero)", locale=locale)
            case RoundingMode.CEILING:
                return pgettext("rounding mode", "ceiling", locale=locale)
            case RoundingMode.FLOOR:
                return pgettext("rounding mode", "floor", locale=locale)


# Each mode's decimal constant: an enum's ``.value`` is a descriptor lookup, and quantize runs
# for every line, fee and balance.
_DECIMAL_MODES = {mode: mode.value for mode in RoundingMode}


@cache
def _exponent(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def quantize(value: Decimal, places: int, mode: RoundingMode) -> Decimal:
    """Round ``value`` to ``places`` decimal places with ``mode``, whatever the ambient context.

    A result that rounds to zero is +0 (never -0.00 on a notice); a value too large to hold
    ``places`` places in 60 digits raises :class:`~propcrm.errors.AmountOutOfRange`. ``value``
    must be a finite ``Decimal``, ``places`` an int from 0 to 60 and ``mode`` a
    :class:`RoundingMode` (:class:`~propcrm.errors.InvalidAmount` or
    :class:`~propcrm.errors.InvalidType` otherwise).
    """
    # Exact type tests: cheap enough for the hot paths that round every line (bool is no int).
    if (
        type(places) is not int
        or not 0 <= places <= _ROUNDING.prec
        or type(mode) is not RoundingMode
    ):
        raise _bad_arguments(places, mode)
    try:
        if not value.is_finite():
            raise InvalidAmount(
                f"{value} is not finite; only finite decimals are rounded.",
                field="value",
                value=value,
                allowed="a finite Decimal",
            )
        result = value.quantize(_exponent(places), rounding=_DECIMAL_MODES[mode], context=_ROUNDING)
    except AttributeError:  # not a Decimal: found only when it fails, so the hot path pays nothing
        raise InvalidType(
            f"value {value!r} is a {type(value).__name__}; quantize rounds a Decimal.",
            field="value",
            value=value,
            allowed="Decimal",
        ) from None
    except decimal.InvalidOperation:
        raise AmountOutOfRange(
            f"{value} has too many digits to round to {places} places within "
            f"{_ROUNDING.prec} significant digits.",
            field="value",
            value=value,
            allowed=f"at most {_ROUNDING.prec} significant digits once rounded",
        ) from None
    return result or result.copy_abs()


def _bad_arguments(places: object, mode: object) -> InvalidType:
    if type(mode) is not RoundingMode:
        return InvalidType(
            f"mode {mode!r} is not a RoundingMode; pass e.g. RoundingMode.HALF_UP.",
            field="mode",
            value=mode,
            allowed="RoundingMode",
        )
    return InvalidType(
        f"places {places!r} must be an int from 0 to {_ROUNDING.prec}.",
        field="places",
        value=places,
        allowed=f"int from 0 to {_ROUNDING.prec}",
    )
