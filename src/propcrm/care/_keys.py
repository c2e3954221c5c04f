"""What identifies a piece of scheduled care: its :class:`CareKind` and :class:`CareKey`."""

from __future__ import annotations

import enum

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._validators import instance_of
from propcrm.care._inputs import record_id
from propcrm.time import as_date

__all__ = ["CareKey", "CareKind"]


class CareKind(enum.Enum):
    """What a piece of scheduled care is; :meth:`label` is the customer-service term."""

    MOVE_IN_CALLBACK = "move_in_callback"
    REGULAR_VISIT = "regular_visit"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The customer-service term: ``'入住回访'`` (zh_CN) or ``'move-in callback'`` (en_US).

        >>> CareKind.REGULAR_VISIT.label(), CareKind.REGULAR_VISIT.label("en_US")
        ('定期走访', 'regular visit')
        """
        # One literal per member, so that extraction finds every message.
        match self:
            case CareKind.MOVE_IN_CALLBACK:
                return pgettext("care kind", "move-in callback", locale=locale)
            case CareKind.REGULAR_VISIT:
                return pgettext("care kind", "regular visit", locale=locale)


def _on(value: object) -> pendulum.Date:
    return as_date(value, "on")


@attrs.frozen
class CareKey:
    """What identifies one piece of care: its kind, the party, the unit and the day it arose.

    For a move-in callback ``on`` is the move-in day, so a customer who moves out and back in
    later is called back again, while the callback for the first stay stays done. Keep
    ``task.key`` (or its :attr:`code`) when a callback is made and pass it back as ``done``.

    >>> CareKey(CareKind.MOVE_IN_CALLBACK, "P1", "1-2-0301", pendulum.date(2026, 11, 3)).code
    'move_in_callback/P1/1-2-0301/2026-11-03'
    """

    kind: CareKind = attrs.field(validator=instance_of(CareKind))
    party_id: str = attrs.field(validator=record_id("party id"))
    unit_id: str = attrs.field(validator=record_id("unit id"))
    on: pendulum.Date = attrs.field(converter=_on)

    @property
    def code(self) -> str:
        """A stable text form for storage: ``kind/party/unit/day``."""
        return f"{self.kind.value}/{self.party_id}/{self.unit_id}/{self.on.isoformat()}"
