"""Money: an exact decimal amount with its ISO currency.

Amounts are built from ``str``, ``int`` or ``Decimal`` only. Arithmetic is exact (it runs in
:data:`~propcrm.money.EXACT`, never in the ambient decimal context) and stays within one
currency. An amount may carry more places than its currency's minor unit while a rule computes;
it is brought to the fen once, at a declared point, by :meth:`Money.rounded` with a declared mode.

>>> price = Money("2.80")
>>> fee = price * Decimal("89.37")
>>> fee
Money('250.2360', 'CNY')
>>> fee.rounded()
Money('250.24', 'CNY')
>>> Money("1", "USD") + Money("1")
Traceback (most recent call last):
...
propcrm.errors.CurrencyMismatch: cannot add USD and CNY amounts; convert one of them first \
(propcrm never converts currencies implicitly).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, ClassVar, Self, final

import attrs

from propcrm._shared import Memo
from propcrm._trusted import slot_constructor
from propcrm._validators import check_ascii_digits
from propcrm.errors import AmountOutOfRange, CurrencyMismatch, InvalidAmount, InvalidType
from propcrm.money._currency import CNY, check_currency, minor_unit_places
from propcrm.money._rounding import EXACT, RoundingMode, quantize

__all__ = ["Money", "as_money", "as_optional_money", "to_decimal"]

_ALLOWED = "str, int or Decimal"

# Far beyond any real figure and beyond the 60 digits exact arithmetic holds (between the two,
# arithmetic refuses to round, as it always has), yet short of "1e999999", which would print a
# million digits and overflow the first multiplication.
MAX_MAGNITUDE_DIGITS = 100

# A cache, not a setting (see propcrm._shared): Money.from_minor_units keeps one value per count
# of minor units and currency, so that a portfolio's equal amounts (a fee, a standard payment)
# are one object, not 150 bytes each. Emptied when full.
MINOR_UNITS_BOUND = 4096
_BY_MINOR_UNITS: Memo[tuple[int, str], Money] = Memo(MINOR_UNITS_BOUND)

# Money.total's starting zero per currency (0.00 for CNY), for codes check_currency accepted:
# a notice's total is a sum, and a billing run sums one for every unit. Bounded by the ISO list.
_ZEROS: dict[str, Decimal] = {}


def to_decimal(value: object, *, what: str = "amount", field: str | None = None) -> Decimal:
    """Convert ``str``, ``int`` or ``Decimal`` to a finite ``Decimal``; refuse anything else.

    Floats are refused loudly because 0.1 is not one tenth in binary; ``bool`` is refused because
    ``True`` as an amount is always a bug; an exponent beyond 10**±100 (``'1e999999'``) raises
    :class:`~propcrm.errors.AmountOutOfRange`. Text must use ASCII digits: full-width
    (``１００``) or other scripts' digits (``١٠٠``) are refused, not normalised (see
    :mod:`propcrm.money`). ``what`` names the number in messages; ``field`` names it in the
    error's context (``what`` when not given).

    >>> to_decimal("1,5")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidAmount: amount '1,5' is not a decimal number; write it like '1234.56' \
(a dot for the decimal point, no grouping).
    >>> to_decimal("１００")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidAmount: amount '１００' has the non-ASCII digit '１' (U+FF11); write \
numbers with ASCII digits 0-9, e.g. '100'.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise InvalidAmount(
            f"{what} {value!r} is a bool; pass a str, int or Decimal.",
            field=field or what,
            value=value,
            allowed=_ALLOWED,
        )
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        check_ascii_digits(value, what, InvalidAmount)
        try:
            if "_" in value:  # Decimal() reads "1_000" as 1000; grouping is refused everywhere
                raise decimal.InvalidOperation
            result = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise InvalidAmount(
                f"{what} {value!r} is not a decimal number; write it like '1234.56' "
                "(a dot for the decimal point, no grouping).",
                field=field or what,
                value=value,
                allowed="decimal text such as '1234.56'",
            ) from None
    elif isinstance(value, float):
        example = f"Money('{value:.2f}')" if what == "amount" else repr(str(value))
        raise InvalidAmount(
            f"{what} {value!r} is a float; floats cannot hold fen exactly. "
            f"Pass a str, int or Decimal instead, e.g. {example}.",
            field=field or what,
            value=value,
            allowed=_ALLOWED,
        )
    else:
        raise InvalidAmount(
            f"{what} {value!r} is a {type(value).__name__}; pass a str, int or Decimal.",
            field=field or what,
            value=value,
            allowed=_ALLOWED,
        )
    if not result.is_finite():
        raise InvalidAmount(
            f"{what} {value!r} is not finite; only finite decimals are allowed.",
            field=field or what,
            value=value,
            allowed="a finite decimal",
        )
    if not -MAX_MAGNITUDE_DIGITS < result.adjusted() < MAX_MAGNITUDE_DIGITS:
        raise AmountOutOfRange(
            f"{what} {value!r} is written with an exponent beyond 10**±{MAX_MAGNITUDE_DIGITS}; "
            "no amount, rate or quantity is that large or that small.",
            field=field or what,
            value=value,
            allowed=f"a magnitude from 10**-{MAX_MAGNITUDE_DIGITS} to 10**{MAX_MAGNITUDE_DIGITS}",
        )
    # -0 equals 0 but would print as "-0.00" on a notice.
    return result or result.copy_abs()


def _mismatch(verb: str, left: str, right: str) -> CurrencyMismatch:
    return CurrencyMismatch(
        f"cannot {verb} {left} and {right} amounts; convert one of them first "
        "(propcrm never converts currencies implicitly).",
        field="currency",
        value=right,
        allowed=left,
        operation=verb,
    )


def _out_of_range(left: Decimal, right: Decimal) -> AmountOutOfRange:
    return AmountOutOfRange(
        f"{left} and {right} give a result with more than {EXACT.prec} significant digits; "
        "propcrm refuses to round it silently.",
        field="amount",
        value=(left, right),
        allowed=f"results of at most {EXACT.prec} significant digits",
    )


def _not_money(verb: str, other: object) -> InvalidType:
    return InvalidType(
        f"cannot {verb} Money and {type(other).__name__} {other!r}; make it a Money first "
        "(as_money(value)), so that its currency is stated.",
        field="other",
        value=other,
        allowed="Money",
        operation=verb,
    )


def _exact(operation: Any, left: Decimal, right: Decimal) -> Decimal:
    try:
        result: Decimal = operation(left, right)
    except (decimal.Inexact, decimal.Overflow):
        raise _out_of_range(left, right) from None
    return result


@final
# No __weakref__ slot: a Money is 48 bytes instead of 56, which pymalloc rounds to 64, and every
# line, total, balance and receipt holds one (nothing refers to an amount weakly).
@attrs.frozen(eq=True, order=False, repr=False, weakref_slot=False)
class Money:
    """An exact amount of one currency (CNY by default).

    Attributes:
        amount: the exact decimal amount; may hold more places than the minor unit until rounded.
        currency: the ISO 4217 code.

    Equality compares amount and currency (``Money('1.0') == Money('1.00')``; different
    currencies are simply unequal, and a Money never equals a number); ordering across
    currencies raises :class:`~propcrm.errors.CurrencyMismatch`, and ordering against anything
    but a Money (``Money("1") < 5``) raises :class:`~propcrm.errors.InvalidType`, since a bare
    number has no currency to compare in. Adding or subtracting anything but a Money raises
    :class:`~propcrm.errors.InvalidType` too.

    >>> Money("1") == 1, Money("1") < Money("5")
    (False, True)
    >>> Money("1") < 5
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: cannot compare Money and int 5; make it a Money first \
(as_money(value)), so that its currency is stated.
    """

    amount: Decimal = attrs.field(converter=to_decimal)
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))

    # The fast constructor of exact results of already-validated values (a statement's lines
    # and totals for a whole portfolio), where re-running the converter would only cost time:
    # propcrm._trusted.slot_constructor, under that module's contract; set below the class.
    _trusted: ClassVar[Callable[[Decimal, str], Money]]

    @classmethod
    def zero(cls, currency: str = CNY) -> Self:
        """The zero amount of ``currency``, at its minor unit (``Money('0.00', 'CNY')``)."""
        return cls.from_minor_units(0, currency)

    @classmethod
    def from_minor_units(cls, units: int, currency: str = CNY) -> Self:
        """Build from an integer count of minor units: ``Money.from_minor_units(1234)`` is ¥12.34.

        >>> Money.from_minor_units(1234)
        Money('12.34', 'CNY')
        """
        if isinstance(units, bool) or not isinstance(units, int):
            raise InvalidAmount(
                f"minor units {units!r} must be an int, e.g. 1234 for ¥12.34.",
                field="units",
                value=units,
                allowed="int",
            )
        plain = type(units) is int and type(currency) is str  # (a subclass is never a key)
        if plain and (kept := _BY_MINOR_UNITS.get((units, currency))) is not None:
            return kept
        check_currency(currency)
        places = minor_unit_places(currency)
        money = cls._trusted(Decimal(units).scaleb(-places, context=EXACT), currency)
        return _BY_MINOR_UNITS.keep((units, currency), money) if plain else money

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str = CNY) -> Self:
        """Exact sum of ``amounts``, all in ``currency``; the empty sum is zero.

        >>> Money.total([Money("1.10"), Money("2.205")])
        Money('3.305', 'CNY')
        """
        # Starting from 0.00 (not 0) gives the empty sum the currency's places, as on a notice.
        acc = _ZEROS.get(currency) if type(currency) is str else None
        if acc is None:
            acc = Decimal(0).scaleb(-minor_unit_places(check_currency(currency)), EXACT)
            _ZEROS[currency] = acc
        add = EXACT.add  # inlines _exact: a statement total runs this loop for every notice
        if type(amounts) is not list and not isinstance(amounts, Iterable):
            raise InvalidType(
                f"amounts {amounts!r} is not an iterable of Money; pass a list or tuple of them.",
                field="amounts",
                value=amounts,
                allowed="an iterable of Money",
            )
        for item in amounts:
            if type(item) is not Money:  # Money is final
                raise _not_money("add", item)
            if item.currency != currency:
                raise _mismatch("add", currency, item.currency)
            try:
                acc = add(acc, item.amount)
            except decimal.Inexact:
                raise _out_of_range(acc, item.amount) from None
        return cls._trusted(acc, currency)

    # -- rounding ---------------------------------------------------------------------------

    @property
    def places(self) -> int:
        """Decimal places of this currency's minor unit (2 for CNY)."""
        return minor_unit_places(self.currency)

    def rounded(self, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """This amount rounded to the currency's minor unit with ``mode`` (half-up by default).

        >>> Money("0.125").rounded(), Money("0.125").rounded(RoundingMode.HALF_EVEN)
        (Money('0.13', 'CNY'), Money('0.12', 'CNY'))
        """
        return Money._trusted(quantize(self.amount, self.places, mode), self.currency)

    @property
    def is_rounded(self) -> bool:
        """Whether the amount has no digits below the minor unit."""
        return self.amount == quantize(self.amount, self.places, RoundingMode.DOWN)

    @property
    def minor_units(self) -> int:
        """The amount as an integer count of minor units (fen); the amount must be rounded.

        >>> Money("12.34").minor_units
        1234
        """
        places = minor_unit_places(self.currency)  # (not self.places: a call less, per replay)
        # Scaling only moves the exponent; the amount is rounded when the scaled one is whole.
        # (Replays read every statement's total this way: no quantize on the way.)
        scaled = self.amount.scaleb(places, context=EXACT)
        units = int(scaled)
        if scaled != units:
            raise InvalidAmount(
                f"{self!r} has digits below the minor unit; round it first with .rounded(mode).",
                field="amount",
                value=self.amount,
                allowed=f"an amount with at most {places} decimal places",
            )
        return units

    # -- predicates -------------------------------------------------------------------------

    @property
    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return not self.amount

    @property
    def is_positive(self) -> bool:
        """Whether the amount is above zero."""
        return self.amount > 0

    @property
    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0

    def __bool__(self) -> bool:
        return bool(self.amount)

    # -- arithmetic -------------------------------------------------------------------------

    def _same(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise _mismatch(verb, self.currency, other.currency)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise _not_money("add", other)
        self._same(other, "add")
        return Money._trusted(_exact(EXACT.add, self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        # Only so that the builtin sum() works with its default start of 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        raise _not_money("add", other)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise _not_money("subtract", other)
        self._same(other, "subtract")
        return Money._trusted(_exact(EXACT.subtract, self.amount, other.amount), self.currency)

    def __mul__(self, other: object) -> Money:
        if isinstance(other, Decimal | int) and not isinstance(other, bool):
            factor = to_decimal(other, what="factor")
            product = _exact(EXACT.multiply, self.amount, factor)
            # A negative amount times zero is -0, which __init__ never stores (see to_decimal).
            return Money._trusted(product or product.copy_abs(), self.currency)
        if isinstance(other, float):
            to_decimal(other, what="factor")  # raises with the float message
        if isinstance(other, Money) or type(other).__module__ == "builtins":
            # No builtin type multiplies by Money, so Python's own TypeError would follow;
            # anything else (a Rate) gets its chance through its __rmul__.
            raise InvalidType(
                f"cannot multiply Money by {type(other).__name__} {other!r}; the factor is an "
                "int or Decimal (e.g. Decimal('89.37')).",
                field="factor",
                value=other,
                allowed="int or Decimal",
            )
        return NotImplemented

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        # Negating zero would give -0, which prints as "-0.00" and __init__ never stores.
        return Money._trusted(
            self.amount.copy_negate() if self.amount else self.amount, self.currency
        )

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._trusted(self.amount.copy_abs(), self.currency)

    # -- ordering ---------------------------------------------------------------------------

    def _key(self, other: object, verb: str) -> tuple[Decimal, Decimal]:
        if not isinstance(other, Money):
            raise _not_money(verb, other)
        self._same(other, "compare")
        return self.amount, other.amount

    def __lt__(self, other: object) -> bool:
        left, right = self._key(other, "compare")
        return left < right

    def __le__(self, other: object) -> bool:
        left, right = self._key(other, "compare")
        return left <= right

    def __gt__(self, other: object) -> bool:
        left, right = self._key(other, "compare")
        return left > right

    def __ge__(self, other: object) -> bool:
        left, right = self._key(other, "compare")
        return left >= right

    # -- text -------------------------------------------------------------------------------

    def __repr__(self) -> str:
        # Fixed-point, never exponent notation: Money("1e3") shows as Money('1000', 'CNY').
        return f"Money('{self.amount:f}', '{self.currency}')"

    def __str__(self) -> str:
        # Locale-free on purpose; use propcrm.money.format_money for people.
        return f"{self.currency} {self.amount:f}"


def as_money(value: object) -> Money:
    """The one door for amounts: a :class:`Money` as it is, anything else through ``Money(value)``.

    Every public entry point that takes an amount (receipts, waivers, prices, caps, quotes,
    opening balances, thresholds, …) converts it with this, so each accepts exactly what
    ``Money`` accepts (a ``str``, ``int`` or ``Decimal``, in CNY) and refuses the rest with
    ``Money``'s own :class:`~propcrm.errors.InvalidAmount`. An amount in another currency is
    passed as a ``Money``.

    >>> as_money("100.00"), as_money(Money("12.5", "HKD"))
    (Money('100.00', 'CNY'), Money('12.5', 'HKD'))
    >>> as_money(100.0)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidAmount: amount 100.0 is a float; floats cannot hold fen exactly. Pass a \
str, int or Decimal instead, e.g. Money('100.00').
    """
    return value if isinstance(value, Money) else Money(value)


def as_optional_money(value: object) -> Money | None:
    """:func:`as_money` for an optional amount: ``None`` stays ``None``.

    >>> as_optional_money(None), as_optional_money("1")
    (None, Money('1', 'CNY'))
    """
    return None if value is None else as_money(value)


Money._trusted = staticmethod(slot_constructor(Money))
