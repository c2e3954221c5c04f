"""Field validators for attrs classes that raise the library's own errors.

``attrs.validators.instance_of`` raises a bare :class:`TypeError`; a caller of propcrm should be
able to catch every refusal of bad input as :class:`~propcrm.errors.PropcrmError`, with the field,
the value and what is allowed as data. Every attrs class in propcrm validates types through here.
"""

from __future__ import annotations

from typing import Any

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


def check_record_id(value: object, what: str, error: type[PropcrmError] = InvalidParty) -> str:
    """``value`` if it is a usable id: non-empty text without spaces, at most 64 characters.

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
        or any(c.isspace() for c in value)
    ):
        raise error(
            f"{what} {value!r} must be non-empty text without spaces, at most {MAX_ID_LENGTH} "
            "characters, e.g. 'P0001'."
        )
    return value
