"""Adjustments to an account: waivers, write-offs, credits, refunds, collection costs, corrections.

Each is an explicit, authorised event: none is hidden as a negative charge on a statement
(domain brief §2 wants transparent accounts). Waivers and write-offs name their approver and
reason; a correction is a new revision of the statement, never an edit of the issued one.

>>> ok = Authorisation("finance manager Li", "pipe burst in the unit; goodwill")
>>> waiver = LateFeeWaiver("W-1", "SUNRISE/2026-11/1-2-0301", ok, on=pendulum.date(2026, 12, 20))
>>> waiver.amount is None  # the whole late fee accrued by that day
True
"""

from __future__ import annotations

import attrs
import pendulum

from propcrm._validators import instance_of
from propcrm.billing import Statement
from propcrm.errors import InvalidQuantity
from propcrm.money import Money, as_money, as_optional_money
from propcrm.receivables._events import (
    on_date,
    valid_amount,
    valid_reference,
    valid_text,
)

__all__ = [
    "Authorisation",
    "CollectionCost",
    "Correction",
    "Credit",
    "LateFeeWaiver",
    "PrincipalWaiver",
    "Refund",
    "WriteOff",
]

_optional_amount = attrs.validators.optional(valid_amount)


@attrs.frozen
class Authorisation:
    """Who approved an adjustment and why; both are on the record."""

    approver: str = attrs.field(validator=valid_text)
    reason: str = attrs.field(validator=valid_text)


@attrs.frozen
class LateFeeWaiver:
    """Waives ``amount`` of a statement's late fee (``None``: all of it accrued by ``on``)."""

    reference: str = attrs.field(validator=valid_reference)
    statement: str = attrs.field(validator=valid_reference)
    authorisation: Authorisation = attrs.field(validator=instance_of(Authorisation))
    on: pendulum.Date = attrs.field(converter=on_date)
    amount: Money | None = attrs.field(
        default=None, converter=as_optional_money, validator=_optional_amount
    )


@attrs.frozen
class PrincipalWaiver:
    """Waives ``amount`` of a statement's principal (``None``: all of it still owed on ``on``).

    Late fees stop accruing on the waived part from the day after ``on``.
    """

    reference: str = attrs.field(validator=valid_reference)
    statement: str = attrs.field(validator=valid_reference)
    authorisation: Authorisation = attrs.field(validator=instance_of(Authorisation))
    on: pendulum.Date = attrs.field(converter=on_date)
    amount: Money | None = attrs.field(
        default=None, converter=as_optional_money, validator=_optional_amount
    )


@attrs.frozen
class WriteOff:
    """Writes off everything a statement still owes on ``on`` (principal, late fees, costs).

    A bad debt given up, e.g. past the three-year limitation period; it is kept apart from
    waivers in every report.
    """

    reference: str = attrs.field(validator=valid_reference)
    statement: str = attrs.field(validator=valid_reference)
    authorisation: Authorisation = attrs.field(validator=instance_of(Authorisation))
    on: pendulum.Date = attrs.field(converter=on_date)


@attrs.frozen
class Credit:
    """Money credited to the account without a receipt (a transfer in, a goodwill credit).

    It settles what is owed in the allocation policy's order, like a receipt; what is left
    waits for later statements.
    """

    reference: str = attrs.field(validator=valid_reference)
    amount: Money = attrs.field(converter=as_money, validator=valid_amount)
    on: pendulum.Date = attrs.field(converter=on_date)
    reason: str = attrs.field(validator=valid_text)


@attrs.frozen
class Refund:
    """Pays ``amount`` of the account's credit back to the payer; never more than the credit."""

    reference: str = attrs.field(validator=valid_reference)
    amount: Money = attrs.field(converter=as_money, validator=valid_amount)
    on: pendulum.Date = attrs.field(converter=on_date)
    authorisation: Authorisation = attrs.field(validator=instance_of(Authorisation))


@attrs.frozen
class CollectionCost:
    """A cost of collecting a statement (实现债权的有关费用), settled first under art. 561."""

    reference: str = attrs.field(validator=valid_reference)
    statement: str = attrs.field(validator=valid_reference)
    amount: Money = attrs.field(converter=as_money, validator=valid_amount)
    on: pendulum.Date = attrs.field(converter=on_date)
    reason: str = attrs.field(validator=valid_text)


@attrs.frozen
class Correction:
    """Replaces a statement with its corrected revision from ``on``.

    Late fees follow the corrected amount for every day, as if it had been issued so; what was
    paid above it becomes credit. ``dispute`` names the upheld dispute behind it, if any.
    """

    reference: str = attrs.field(validator=valid_reference)
    corrected: Statement = attrs.field(validator=instance_of(Statement))
    on: pendulum.Date = attrs.field(converter=on_date)
    reason: str = attrs.field(validator=valid_text)
    dispute: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(valid_reference)
    )

    def __attrs_post_init__(self) -> None:
        if self.corrected.supersedes is None or self.corrected.revision < 1:
            raise InvalidQuantity(
                f"correction {self.reference} must carry a revision (revision ≥ 1) that names "
                f"the statement it supersedes; {self.corrected.number} does not.",
                field="corrected",
                value=self.corrected.number,
                allowed="a revision (revision >= 1) that supersedes a statement",
            )

    @property
    def statement(self) -> str:
        """The number of the statement it replaces."""
        assert self.corrected.supersedes is not None  # checked in __attrs_post_init__
        return self.corrected.supersedes
