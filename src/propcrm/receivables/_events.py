"""Validators the account events share: a reference, a positive rounded amount, a reason."""

from __future__ import annotations

import attrs

from propcrm.errors import InvalidAmount, InvalidQuantity
from propcrm.money import Money


def valid_reference(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A non-empty reference without surrounding spaces."""
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidQuantity(
            f"{attribute.name} {value!r} must be a non-empty str without surrounding spaces, "
            "e.g. 'BANK-0001'."
        )


def valid_amount(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    """A positive Money rounded to its minor unit."""
    if not isinstance(value, Money) or not value.is_positive or not value.is_rounded:
        raise InvalidAmount(
            f"{attribute.name} {value!r} must be a positive Money rounded to the fen."
        )


def valid_text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A non-empty piece of text (a reason, an approver): it goes on the record."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidQuantity(f"{attribute.name} {value!r} must be a non-empty str.")
