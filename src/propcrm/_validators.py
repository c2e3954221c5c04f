"""Field validators for attrs classes that raise the library's own errors.

``attrs.validators.instance_of`` raises a bare :class:`TypeError`; a caller of propcrm should be
able to catch every refusal of bad input as :class:`~propcrm.errors.PropcrmError`, with the field,
the value and what is allowed as data. Every attrs class in propcrm validates types through here.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from propcrm.errors import InvalidParty, InvalidType, PropcrmError


def _type_names(types: tuple[type, ...]) -> str:
    return " or ".join(t.__qualname__ for t in types)


@attrs.frozen(repr=False)
class _InstanceOf:
    types: tuple[type, ...]

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, self.types):
            return
        allowed = _type_names(self.types)
        owner = type(instance).__name__
        msg = f"{owner}.{attribute.name} must be {allowed}, got {type(value).__name__} {value!r}."
        raise InvalidType(msg, field=attribute.name, value=value, allowed=allowed)

    def __repr__(self) -> str:
        return f"<instance_of validator for {_type_names(self.types)}>"


def instance_of(*types: type) -> _InstanceOf:
    """A validator accepting instances of any of ``types``, refusing others with ``InvalidType``.

    >>> import attrs
    >>> @attrs.frozen
    ... class Meter:
    ...     meter_id: str = attrs.field(validator=instance_of(str))
    >>> Meter(7)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: Meter.meter_id must be str, got int 7.
    """
    return _InstanceOf(types)


# Record ids (parties, units, relations, archive records, gate registrations) share one rule.
MAX_ID_LENGTH = 64
"""Longest party, unit or relation id accepted (room for a prefix and a UUID)."""


def check_record_id(
    value: object,
    what: str,
    error: type[PropcrmError] = InvalidParty,
    *,
    field: str | None = None,
) -> str:
    """``value`` if it is a usable id: non-empty text without spaces, at most 64 characters.

    ``field`` names the argument in the error's context (default: ``what`` with underscores,
    ``'party_id'`` for ``'party id'``).

    >>> check_record_id("P0001", "party id")
    'P0001'
    >>> check_record_id("P 1", "party id")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidParty: party id 'P 1' must be non-empty text without spaces, at most 64 \
characters, e.g. 'P0001'.
    """
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_ID_LENGTH
        # Whitespace anywhere: split() cuts at exactly what str.isspace() calls whitespace,
        # in C (a check per character in Python cost more than the rest of building a unit).
        or value.split() != [value]
    ):
        raise error(
            f"{what} {value!r} must be non-empty text without spaces, at most {MAX_ID_LENGTH} "
            "characters, e.g. 'P0001'.",
            field=field or what.replace(" ", "_"),
            value=value,
            allowed=f"non-empty text without spaces, at most {MAX_ID_LENGTH} characters",
        )
    return value


# -- The few checks every public entry point uses -------------------------------------------------
#
# Issue 18 asks that bad input be refused the same way everywhere: the same checks, the library's
# own errors, and the context (field, value, what is allowed) as data. Entry points call these
# rather than writing their own isinstance tests; each returns the value it checked so that it can
# be used inline (``self.note = check_text(note, "note", InvalidRule)``).

_ASCII_DIGITS = frozenset("0123456789")


def check_int(
    value: object,
    field: str,
    error: type[PropcrmError] = InvalidType,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """``value`` if it is an ``int`` (never a ``bool``) within ``[minimum, maximum]``.

    A wrong type raises :class:`~propcrm.errors.InvalidType`; a number out of range raises
    ``error``.

    >>> check_int(3, "steps", minimum=1)
    3
    >>> check_int(True, "steps")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: steps must be an int, got bool True.
    >>> check_int(0, "steps", minimum=1)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: steps must be at least 1, got 0.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{field} must be an int, got {type(value).__name__} {value!r}."
        raise InvalidType(msg, field=field, value=value, allowed="int")
    allowed = _range_text(minimum, maximum)
    if minimum is not None and value < minimum:
        raise error(
            f"{field} must be at least {minimum}, got {value}.", **_ctx(field, value, allowed)
        )
    if maximum is not None and value > maximum:
        raise error(
            f"{field} must be at most {maximum}, got {value}.", **_ctx(field, value, allowed)
        )
    return value


def check_text(
    value: object,
    field: str,
    error: type[PropcrmError] = InvalidType,
    *,
    max_length: int | None = None,
    example: str | None = None,
) -> str:
    """``value`` if it is a ``str`` with something in it other than whitespace.

    A non-``str`` raises :class:`~propcrm.errors.InvalidType`; empty or blank text, or text
    longer than ``max_length``, raises ``error``.

    >>> from propcrm.errors import InvalidRequest
    >>> check_text("电梯困人", "description", InvalidRequest)
    '电梯困人'
    >>> check_text("  ", "description", InvalidRequest, example="'电梯困人'")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidRequest: description must not be empty, got '  '; e.g. '电梯困人'.
    """
    if not isinstance(value, str):
        msg = f"{field} must be text (str), got {type(value).__name__} {value!r}."
        raise InvalidType(msg, field=field, value=value, allowed="str")
    hint = f"; e.g. {example}" if example else ""
    if not value.strip():
        allowed = "non-empty text"
        raise error(
            f"{field} must not be empty, got {value!r}{hint}.", **_ctx(field, value, allowed)
        )
    if max_length is not None and len(value) > max_length:
        allowed = f"text of at most {max_length} characters"
        msg = f"{field} has {len(value)} characters; at most {max_length} are allowed{hint}."
        raise error(msg, **_ctx(field, value, allowed))
    return value


def check_ascii_digits(text: str, field: str, error: type[PropcrmError]) -> str:
    """``text`` if every digit in it is one of ASCII ``0``–``9``; other digits raise ``error``.

    Python's ``Decimal`` and ``int`` read full-width (``１００``) and other scripts' digits
    (``١٠٠``) as numbers. propcrm refuses them wherever a number comes in as text, rather than
    normalising, because a figure typed with an input method's digits is a figure nobody checked:
    a caller who wants them converts first (``unicodedata.normalize("NFKC", text)`` handles the
    full-width forms) and so decides it knowingly.

    >>> from propcrm.errors import InvalidAmount
    >>> check_ascii_digits("1234.56", "amount", InvalidAmount)
    '1234.56'
    >>> check_ascii_digits("１００", "amount", InvalidAmount)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidAmount: amount '１００' has the non-ASCII digit '１' (U+FF11); write \
numbers with ASCII digits 0-9, e.g. '100'.
    """
    for char in text:
        # isdecimal() is exactly what Decimal() and int() read as a digit (Unicode category Nd).
        if char.isdecimal() and char not in _ASCII_DIGITS:
            msg = (
                f"{field} {text!r} has the non-ASCII digit {char!r} (U+{ord(char):04X}); write "
                "numbers with ASCII digits 0-9, e.g. '100'."
            )
            raise error(msg, field=field, value=text, allowed="ASCII digits 0-9")
    return text


def check_unique(
    keys: Iterable[Hashable], field: str, error: type[PropcrmError], *, what: str = "id"
) -> None:
    """Refuse a collection in which two items share a key, naming the first key seen twice.

    >>> from propcrm.errors import DuplicateRecord
    >>> check_unique(["S1", "S2"], "statements", DuplicateRecord, what="statement number")
    >>> check_unique(["S1", "S2", "S1"], "statements", DuplicateRecord, what="statement number")
    Traceback (most recent call last):
    ...
    propcrm.errors.DuplicateRecord: statements names the statement number 'S1' twice; each may \
appear once.
    """
    seen: set[Hashable] = set()
    for key in keys:
        if key in seen:
            msg = f"{field} names the {what} {key!r} twice; each may appear once."
            raise error(msg, field=field, value=key, allowed=f"each {what} once")
        seen.add(key)


def _range_text(minimum: object, maximum: object) -> str | None:
    if minimum is not None and maximum is not None:
        return f"{minimum} to {maximum}"
    if minimum is not None:
        return f">= {minimum}"
    if maximum is not None:
        return f"<= {maximum}"
    return None


def _ctx(field: str, value: object, allowed: str | None) -> dict[str, Any]:
    return {"field": field, "value": value, "allowed": allowed}


def check_instance(
    value: object,
    field: str,
    *types: type,
    example: str | None = None,
    error: type[PropcrmError] = InvalidType,
) -> Any:
    """``value`` if it is an instance of one of ``types``, else :class:`InvalidType`.

    The argument form of :func:`instance_of`, for a function's parameters (a policy, a rule, a
    round) rather than an attrs field. ``bool`` is not an ``int`` here: pass ``bool`` itself to
    accept it.

    >>> from decimal import Decimal
    >>> check_instance(Decimal("1.96"), "z", Decimal)
    Decimal('1.96')
    >>> check_instance("1.96", "z", Decimal)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: z must be Decimal, got str '1.96'.
    """
    if isinstance(value, types) and not _bool_as_int(value, types):
        return value
    allowed = _type_names(types)
    hint = f"; e.g. {example}" if example else ""
    msg = f"{field} must be {allowed}, got {type(value).__name__} {value!r}{hint}."
    raise error(msg, field=field, value=value, allowed=allowed)


@contextlib.contextmanager
def in_field(field: str, value: object, allowed: str | None = None) -> Iterator[None]:
    """Name ``field`` (and ``value``, ``allowed``) on a library error raised inside, if it has none.

    A conversion shared by many fields (an amount, a currency) cannot know which field it is
    converting; the entry point that calls it does, and says so here. An error that already
    names its field keeps it.

    >>> from propcrm.errors import InvalidAmount
    >>> try:
    ...     with in_field("amount_paid", "1,5", "an amount such as '100.00'"):
    ...         raise InvalidAmount("amount '1,5' is not a decimal number")
    ... except InvalidAmount as error:
    ...     print(error.field, error.value, error.allowed)
    amount_paid 1,5 an amount such as '100.00'
    """
    try:
        yield
    except PropcrmError as error:
        if error.field is None:
            error.field, error.value = field, value
            if error.allowed is None:
                error.allowed = allowed
        raise


def check_iterable(
    value: object,
    field: str,
    allowed: str,
    *,
    refused: tuple[type, ...] = (),
    error: type[PropcrmError] = InvalidType,
) -> Iterable[Any]:
    """``value`` itself, unread, if it is an iterable that is neither text nor a mapping.

    For what is read lazily (a stream of chunks) or checked item by item by its caller; see
    :func:`check_items` for why text and mappings are refused. ``refused`` names more types
    that iterate but are never what is meant (a set, with no order). The refusal is ``error``:
    "``field`` ``value`` must be ``allowed``."

    >>> check_iterable(iter([1]), "chunks", "an iterable of frames") is not None
    True
    >>> check_iterable({"a": 1}, "chunks", "an iterable of frames")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: chunks {'a': 1} must be an iterable of frames.
    """
    if isinstance(value, (str, bytes, Mapping, *refused)) or not isinstance(value, Iterable):
        msg = f"{field} {value!r} must be {allowed}."
        raise error(msg, field=field, value=value, allowed=allowed)
    return value


def check_items(
    value: object, field: str, *types: type, error: type[PropcrmError] = InvalidType
) -> tuple[Any, ...]:
    """The items of ``value`` as a tuple, if it is a collection (not text) of ``types`` only.

    Text and mappings are refused although they are iterable: a str given where a list is wanted
    is a mistake, never a list of characters, and a dict would give its keys, not its values.
    Items are checked as :func:`check_instance` checks one value; with no ``types``, any item
    is accepted. The refusal is :class:`~propcrm.errors.InvalidType`, or ``error`` where the
    caller's context has a more specific one (a rule set's rules, a calendar's windows).

    >>> check_items(iter([1, 2]), "counts", int)
    (1, 2)
    >>> check_items("12", "counts", int)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: counts must be a collection of int, got str '12'.
    >>> from propcrm.errors import InvalidRule
    >>> check_items(["漏水", 3], "keywords", str, error=InvalidRule)
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidRule: keywords holds int 3; each item must be str.
    """
    # The types' names are written only into a refusal: this runs on every query of a book.
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        allowed = f"a collection of {_type_names(types) if types else 'items'}"
        msg = f"{field} must be {allowed}, got {type(value).__name__} {value!r}."
        raise error(msg, field=field, value=value, allowed=allowed)
    items = tuple(value)
    if types:
        for item in items:
            if not isinstance(item, types) or _bool_as_int(item, types):
                names = _type_names(types)
                held = f"{type(item).__name__} {item!r}"
                msg = f"{field} holds {held}; each item must be {names}."
                raise error(msg, field=field, value=item, allowed=f"a collection of {names}")
    return items


def _bool_as_int(value: object, types: tuple[type, ...]) -> bool:
    # True is an int to isinstance(); where an int is wanted it is always a mistake.
    return isinstance(value, bool) and int in types and bool not in types


def check_callable(value: object, field: str, *, example: str | None = None) -> Callable[..., Any]:
    """``value`` if it can be called (a function, a bound method, a class); else ``InvalidType``.

    >>> check_callable(len, "measure")
    <built-in function len>
    >>> check_callable("len", "measure")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: measure must be a callable, got str 'len'.
    """
    if not callable(value):
        hint = f"; e.g. {example}" if example else ""
        msg = f"{field} must be a callable, got {type(value).__name__} {value!r}{hint}."
        raise InvalidType(msg, field=field, value=value, allowed="a callable")
    return value


_E = TypeVar("_E", bound=enum.Enum)


def check_member(
    value: object, kind: type[_E], field: str, error: type[PropcrmError] = InvalidType
) -> _E:
    """``value`` if it is a member of the enum ``kind``; anything else (its code too) raises.

    A stored code is turned into a member by the caller (``State("closed")``), knowingly; an
    argument given as text would otherwise fail later, far from where it came in.

    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    >>> check_member(Colour.RED, Colour, "colour")
    <Colour.RED: 'red'>
    >>> check_member("red", Colour, "colour")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: colour must be a Colour member, e.g. Colour.RED, got str 'red'.
    """
    if isinstance(value, kind):
        return value
    example = f"{kind.__name__}.{next(iter(kind)).name}"
    msg = f"{field} must be a {kind.__name__} member, e.g. {example}, got {type(value).__name__} "
    raise error(f"{msg}{value!r}.", field=field, value=value, allowed=f"a {kind.__name__} member")
