"""Receipts (收款): money the company has received for an account, and who paid it.

Domain brief §2: a payment counts from the day the bank's receipt (回单) reaches the company, not
the day the payer paid. ``received_on`` is that day and the only date the rules read;
``paid_on`` is the payer's own date, kept for enquiries.

A receipt is identified by its ``reference`` (the bank's serial number, a cashier's receipt
number): posting the same receipt twice never credits twice, and the same reference with another
amount or date is refused (see :class:`~propcrm.receivables.Account`).

An occupant paying for the owner is recorded as such: ``payer`` is who paid and ``role`` says in
what capacity; the account's billed party stays liable.

>>> r = Receipt("BANK-20261130-01", Money("1000.00"), received_on=pendulum.date(2026, 11, 30))
>>> r.on, r.role
(Date(2026, 11, 30), <PayerRole.BILLED_PARTY: 'billed_party'>)
"""

from __future__ import annotations

import enum

import attrs
import pendulum

from propcrm._validators import check_unique, instance_of
from propcrm.errors import InvalidQuantity
from propcrm.money import Money, as_money
from propcrm.receivables._events import (
    paid_on_date,
    received_on_date,
    valid_amount,
    valid_party,
    valid_reference,
)

__all__ = ["PayerRole", "Receipt"]


class PayerRole(enum.Enum):
    """In what capacity the payer paid; liability stays with the billed party either way."""

    BILLED_PARTY = "billed_party"
    OCCUPANT_FOR_OWNER = "occupant_for_owner"
    THIRD_PARTY = "third_party"


def _statements(value: object) -> tuple[str, ...]:
    if type(value) is tuple and not value:  # no designation: nothing to check (most receipts)
        return ()
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise InvalidQuantity(
            f"designation {value!r} must be a tuple of statement numbers, e.g. ('S/2026-11/U',).",
            field="designation",
            value=value,
            allowed="a tuple of statement numbers",
        )
    numbers = tuple(value)
    if not all(isinstance(n, str) and n and n == n.strip() for n in numbers):
        raise InvalidQuantity(
            f"designation {numbers!r} must list statement numbers (non-empty text).",
            field="designation",
            value=numbers,
            allowed="distinct statement numbers",
        )
    # A statement named twice would be settled twice over in the payer's order.
    check_unique(numbers, "designation", InvalidQuantity, what="statement")
    return numbers


@attrs.frozen
class Receipt:
    """Money received for an account.

    Attributes:
        reference: unique per account (the bank's serial number).
        amount: positive, rounded to the fen.
        received_on: the day the bank's 回单 reached the company; the effective date.
        paid_on: the day the payer paid, if known (on or before ``received_on``).
        payer: who paid (a party id), if not the billed party.
        role: in what capacity the payer paid.
        designation: statement numbers the payer asked this money to settle, in order; honoured
            where the allocation policy allows (Civil Code art. 560).
    """

    reference: str = attrs.field(validator=valid_reference)
    amount: Money = attrs.field(converter=as_money, validator=valid_amount)
    received_on: pendulum.Date = attrs.field(converter=received_on_date)
    paid_on: pendulum.Date | None = attrs.field(
        default=None, converter=attrs.converters.optional(paid_on_date)
    )
    payer: str | None = attrs.field(default=None, validator=valid_party)
    role: PayerRole = attrs.field(default=PayerRole.BILLED_PARTY, validator=instance_of(PayerRole))
    designation: tuple[str, ...] = attrs.field(default=(), converter=_statements)

    def __attrs_post_init__(self) -> None:
        if self.paid_on is not None and self.paid_on > self.received_on:
            raise InvalidQuantity(
                f"receipt {self.reference} was paid on {self.paid_on.isoformat()}, after its bank "
                f"receipt reached the company on {self.received_on.isoformat()}; the payer's date "
                "is on or before the receipt's.",
                field="paid_on",
                value=self.paid_on,
                allowed=f"on or before {self.received_on.isoformat()}",
            )
        if self.role is not PayerRole.BILLED_PARTY and not self.payer:
            raise InvalidQuantity(
                f"receipt {self.reference} is paid by someone other than the billed party "
                f"({self.role.value}); name the payer.",
                field="payer",
                value=self.payer,
                allowed=f"a party id when the role is {self.role.value}",
            )

    @property
    def on(self) -> pendulum.Date:
        """The effective date: the day the bank's receipt reached the company."""
        return self.received_on
