"""Validators the account events share: a reference, a positive rounded amount, a reason."""

from __future__ import annotations

from typing import TypeVar

import attrs
import pendulum

from propcrm._shared import shared_date
from propcrm._validators import check_instance, check_iterable, check_record_id
from propcrm.errors import InvalidAmount, InvalidParty, InvalidQuantity
from propcrm.money import Money
from propcrm.time import as_date


def valid_reference(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A non-empty reference without surrounding spaces."""
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidQuantity(
            f"{attribute.name} {value!r} must be a non-empty str without surrounding spaces, "
            "e.g. 'BANK-0001'.",
            field=attribute.name,
            value=value,
            allowed="non-empty text without surrounding spaces",
        )


def valid_amount(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    """A positive Money rounded to its minor unit."""
    if not isinstance(value, Money) or not value.is_positive or not value.is_rounded:
        raise InvalidAmount(
            f"{attribute.name} {value!r} must be a positive Money rounded to the fen.",
            field=attribute.name,
            value=value,
            allowed="a positive Money rounded to the fen",
        )


def valid_text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A non-empty piece of text (a reason, an approver): it goes on the record."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidQuantity(
            f"{attribute.name} {value!r} must be a non-empty str.",
            field=attribute.name,
            value=value,
            allowed="non-empty text",
        )


def valid_party(_instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    """``None`` or a usable party id (non-empty, no spaces, at most 64 characters)."""
    if value is not None:
        check_record_id(value, attribute.name, InvalidParty)


def check_number(value: object, field: str) -> str:
    """``value`` if it can be a statement number: non-empty text without surrounding spaces."""
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidQuantity(
            f"{field} {value!r} must be a statement number: non-empty text without surrounding "
            "spaces, e.g. 'SUNRISE/2026-11/1-2-0301'.",
            field=field,
            value=value,
            allowed="a statement number (non-empty text without surrounding spaces)",
        )
    return value


# One named converter per date field, so that a refusal names the field (attrs' mypy plugin
# reads only named functions as converters). Each keeps one date a day (propcrm._shared): an
# account's events fall on a few hundred days a portfolio shares.


def on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``on``."""
    return shared_date(as_date(value, "on"))


def received_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``received_on``."""
    return shared_date(as_date(value, "received_on"))


def paid_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``paid_on``."""
    return shared_date(as_date(value, "paid_on"))


def new_due_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``new_due_on``."""
    return shared_date(as_date(value, "new_due_on"))


def approved_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``approved_on``."""
    return shared_date(as_date(value, "approved_on"))


def raised_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``raised_on``."""
    return shared_date(as_date(value, "raised_on"))


def resolved_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``resolved_on``."""
    return shared_date(as_date(value, "resolved_on"))


def taken_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``taken_on``."""
    return shared_date(as_date(value, "taken_on"))


def due_on_date(value: object) -> pendulum.Date:
    """``value`` as a date, or ``NotADate`` naming ``due_on``."""
    return shared_date(as_date(value, "due_on"))


_T = TypeVar("_T")


def items_of(values: object, field: str, kind: type[_T]) -> list[_T]:
    """``values`` as a list of ``kind``; text, a non-iterable or another item type is refused.

    Text is refused although it is iterable: ``"2026-12-01"`` is not ten of anything.
    """
    given = check_iterable(values, field, f"an iterable of {kind.__qualname__}")
    return [check_instance(value, field, kind) for value in given]
