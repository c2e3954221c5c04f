"""What identifies a piece of scheduled care: its :class:`CareKind` and :class:`CareKey`."""

from __future__ import annotations

import enum

import attrs
import pendulum

from propcrm.care._inputs import record_id
from propcrm.time import as_date

__all__ = ["CareKey", "CareKind"]


class CareKind(enum.Enum):
    """What a piece of scheduled care is; ``label`` is the customer-service term."""

    MOVE_IN_CALLBACK = "move_in_callback"
    REGULAR_VISIT = "regular_visit"

    @property
    def label(self) -> str:
        """The Chinese term."""
        return _CARE_LABELS[self]


_CARE_LABELS = {
    CareKind.MOVE_IN_CALLBACK: "入住回访",
    CareKind.REGULAR_VISIT: "定期走访",
}


@attrs.frozen
class CareKey:
    """What identifies one piece of care: its kind, the party, the unit and the day it arose.

    For a move-in callback ``on`` is the move-in day, so a customer who moves out and back in
    later is called back again, while the callback for the first stay stays done. Keep
    ``task.key`` (or its :attr:`code`) when a callback is made and pass it back as ``done``.

    >>> CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", pendulum.date(2026, 11, 3)).code
    'move_in_callback/P1/1-2-0301/2026-11-03'
    """

    kind: CareKind = attrs.field(validator=attrs.validators.instance_of(CareKind))
    party_id: str = attrs.field(validator=record_id("party id"))
    unit_id: str = attrs.field(validator=record_id("unit id"))
    on: pendulum.Date = attrs.field(converter=as_date)

    @property
    def code(self) -> str:
        """A stable text form for storage: ``kind/party/unit/day``."""
        return f"{self.kind.value}/{self.party_id}/{self.unit_id}/{self.on.isoformat()}"
