"""Deferrals (缓缴): the company moves a statement's due date.

Domain brief §2: where a technical problem behind a dispute cannot be settled quickly, the
company may confirm a deferral of the deadline. The approver, the reason and the new date are
recorded; late fees start after the new date. A deferral can only move a due date later.

>>> d = Deferral(
...     "D-1",
...     "SUNRISE/2026-11/1-2-0301",
...     pendulum.date(2026, 12, 31),
...     Authorisation("customer service manager Wang", "meter under test"),
...     approved_on=pendulum.date(2026, 12, 3),
... )
>>> d.on, d.new_due_on
(Date(2026, 12, 3), Date(2026, 12, 31))
"""

from __future__ import annotations

import attrs
import pendulum

from propcrm._validators import instance_of
from propcrm.receivables._adjustments import Authorisation
from propcrm.receivables._events import approved_on_date, new_due_on_date, valid_reference

__all__ = ["Deferral"]


@attrs.frozen
class Deferral:
    """Moves ``statement``'s due date to ``new_due_on``, approved on ``approved_on``."""

    reference: str = attrs.field(validator=valid_reference)
    statement: str = attrs.field(validator=valid_reference)
    new_due_on: pendulum.Date = attrs.field(converter=new_due_on_date)
    authorisation: Authorisation = attrs.field(validator=instance_of(Authorisation))
    approved_on: pendulum.Date = attrs.field(converter=approved_on_date)

    @property
    def on(self) -> pendulum.Date:
        """The effective date: the day it was approved."""
        return self.approved_on
