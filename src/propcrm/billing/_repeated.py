"""The checks behind billing's collections: each item of the right kind, each key once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Set
from typing import Any

from propcrm._validators import MAX_ID_LENGTH
from propcrm.errors import InvalidType, PropcrmError

__all__ = ["check_id", "items_of", "repeated"]


def items_of(
    values: object, kind: type[Any] | tuple[type[Any], ...], field: str
) -> tuple[Any, ...]:
    """``values`` as a tuple, if it is a collection (not text) of ``kind`` only.

    >>> items_of("AB", str, "codes")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidType: codes must be a list or tuple of str, got str 'AB'.
    """
    name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
    # A mapping would give its keys and a set no order: neither is a list of items.
    if isinstance(values, str | bytes | Mapping | Set) or not isinstance(values, Iterable):
        raise InvalidType(
            f"{field} must be a list or tuple of {name}, got {type(values).__name__} {values!r}.",
            field=field,
            value=values,
            allowed=f"a list or tuple of {name}",
        )
    items = tuple(values)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidType(
                f"{field} holds {type(item).__name__} {item!r}; each item must be a {name}.",
                field=field,
                value=item,
                allowed=name,
            )
    return items


def repeated(keys: Iterable[str]) -> list[str]:
    """The keys that occur more than once, sorted, so an error can name every one of them.

    >>> repeated(["MGMT", "PARK", "MGMT"])
    ['MGMT']
    """
    return sorted(key for key, count in Counter(keys).items() if count > 1)


def check_id(
    value: object, field: str, error: type[PropcrmError], *, what: str, example: str
) -> str:
    """``value`` if it is a usable id or code: non-empty text, no whitespace, at most 64 characters.

    ``what`` names it in the message (``'unit id'``), ``field`` in the error's data.

    >>> from propcrm.errors import InvalidQuantity
    >>> check_id("1-2-0301", "unit_id", InvalidQuantity, what="unit id", example="'1-2-0301'")
    '1-2-0301'
    >>> check_id("1 2", "unit_id", InvalidQuantity, what="unit id", example="'1-2-0301'")
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidQuantity: unit id '1 2' must be a non-empty str without spaces, at \
most 64 characters, e.g. '1-2-0301'.
    """
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_ID_LENGTH
        or any(c.isspace() for c in value)
    ):
        raise error(
            f"{what} {value!r} must be a non-empty str without spaces, at most {MAX_ID_LENGTH} "
            f"characters, e.g. {example}.",
            field=field,
            value=value,
            allowed=f"non-empty text without spaces, at most {MAX_ID_LENGTH} characters",
        )
    return value
