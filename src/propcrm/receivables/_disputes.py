"""Disputes (异议): the window to raise one and what an outcome does.

Domain brief §2: a resident who disputes an amount must raise it **at least 5 days before the
payment deadline**; a dispute is no excuse for paying late. So a dispute does not stop late
fees; an upheld one corrects the statement (a new revision), and the late fees follow the
corrected amount.

>>> DEFAULT_DISPUTES.last_day_to_raise(pendulum.date(2026, 12, 10))
Date(2026, 12, 5)
>>> DEFAULT_DISPUTES.check_raised_in_time("S/2026-11/U", pendulum.date(2026, 12, 10),
...                                       pendulum.date(2026, 12, 6))
Traceback (most recent call last):
...
propcrm.errors.DisputeTooLate: a dispute of statement S/2026-11/U raised on 2026-12-06 is too \
late: the statement is due on 2026-12-10 and disputes must be raised at least 5 days before, by \
2026-12-05 at the latest.
"""

from __future__ import annotations

import datetime

import attrs
import pendulum

from propcrm._validators import instance_of
from propcrm.billing import Statement
from propcrm.errors import DisputeTooLate, InvalidPolicy, InvalidQuantity
from propcrm.money import Money, as_optional_money
from propcrm.receivables._events import (
    raised_on_date,
    resolved_on_date,
    valid_amount,
    valid_reference,
    valid_text,
)
from propcrm.time import as_date

__all__ = [
    "DEFAULT_DISPUTES",
    "DEFAULT_DISPUTE_NOTICE_DAYS",
    "DisputePolicy",
    "DisputeRaised",
    "DisputeResolved",
]

DEFAULT_DISPUTE_NOTICE_DAYS = 5
"""Disputes are raised at least this many days before the due date (domain brief §2)."""


def _days(_instance: object, _attribute: object, value: int) -> None:
    # InvalidPolicy for a wrong type too: the whole policy value is what the caller got wrong.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise InvalidPolicy(
            f"dispute notice {value!r} must be an int from 0 to 366 days.",
            field="min_days_before_due",
            value=value,
            allowed="an int from 0 to 366",
        )


@attrs.frozen
class DisputePolicy:
    """How many days before the due date a dispute must be raised at the latest."""

    min_days_before_due: int = attrs.field(default=DEFAULT_DISPUTE_NOTICE_DAYS, validator=_days)

    def last_day_to_raise(self, due_on: datetime.date) -> pendulum.Date:
        """The last day a dispute of a statement due on ``due_on`` may be raised."""
        return as_date(due_on, "due_on").subtract(days=self.min_days_before_due)

    def check_raised_in_time(
        self, statement: str, due_on: datetime.date, raised_on: datetime.date
    ) -> None:
        """Raise :class:`~propcrm.errors.DisputeTooLate`, giving the last allowed date, if late."""
        last = self.last_day_to_raise(due_on)
        raised = as_date(raised_on, "raised_on")
        if raised > last:
            raise DisputeTooLate(
                f"a dispute of statement {statement} raised on {raised.isoformat()} "
                f"is too late: the statement is due on {as_date(due_on).isoformat()} and "
                f"disputes must be raised at least {self.min_days_before_due} days before, by "
                f"{last.isoformat()} at the latest.",
                field="raised_on",
                value=raised,
                allowed=f"on or before {last.isoformat()}",
                statement=statement,
            )


DEFAULT_DISPUTES = DisputePolicy()
"""At least 5 days before the due date."""


@attrs.frozen
class DisputeRaised:
    """A resident disputes ``statement`` (optionally only ``amount`` of it)."""

    reference: str = attrs.field(validator=valid_reference)
    statement: str = attrs.field(validator=valid_reference)
    raised_on: pendulum.Date = attrs.field(converter=raised_on_date)
    reason: str = attrs.field(validator=valid_text)
    amount: Money | None = attrs.field(
        default=None,
        converter=as_optional_money,
        validator=attrs.validators.optional(valid_amount),
    )

    @property
    def on(self) -> pendulum.Date:
        """The effective date: the day it was raised."""
        return self.raised_on


@attrs.frozen
class DisputeResolved:
    """The outcome of dispute ``reference``: upheld with a corrected statement, or rejected."""

    reference: str = attrs.field(validator=valid_reference)
    upheld: bool = attrs.field(validator=instance_of(bool))
    resolved_on: pendulum.Date = attrs.field(converter=resolved_on_date)
    note: str = attrs.field(validator=valid_text)
    corrected: Statement | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Statement))
    )

    def __attrs_post_init__(self) -> None:
        if self.upheld and self.corrected is None:
            raise InvalidQuantity(
                f"dispute {self.reference} is upheld, so it must carry the corrected statement "
                "(a revision that supersedes the disputed one).",
                field="corrected",
                value=None,
                allowed="the corrected statement, when upheld",
            )
        if not self.upheld and self.corrected is not None:
            raise InvalidQuantity(
                f"dispute {self.reference} is rejected; a rejected dispute corrects nothing.",
                field="corrected",
                value=self.corrected.number,
                allowed="None, when rejected",
            )

    @property
    def on(self) -> pendulum.Date:
        """The effective date: the day it was resolved."""
        return self.resolved_on
