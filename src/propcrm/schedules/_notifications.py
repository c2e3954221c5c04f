"""Notifying the people concerned: records the caller delivers, never a network call.

:func:`notifications` turns a booking, a move or a cancellation into one :class:`Notification`
per person concerned (each attendee, and the customer): whom, about which appointment, what
changed, when; :meth:`Notification.text` renders it for people in their locale. The caller
sends it on its own channels and keeps its own delivery records.

>>> from propcrm.schedules import AppointmentKind
>>> at = pendulum.datetime(2026, 11, 24, 14, 0, tz="Asia/Shanghai")
>>> visit = Appointment(
...     appointment_id="A1", kind=AppointmentKind.DECORATION_INSPECTION, start=at,
...     end=at.add(hours=1), attendees=["S1"], party_id="P1", unit_id="1-2-0301",
... )
>>> sent = notifications(visit, Change.BOOKED, at=at.subtract(days=1))
>>> [(n.recipient, n.recipient_is_staff) for n in sent]
[('S1', True), ('P1', False)]
>>> sent[1].text("en_US")
'decoration inspection booked: 2026-11-24T14:00:00+08:00 to 2026-11-24T15:00:00+08:00, unit \
1-2-0301'
"""

from __future__ import annotations

import datetime
import enum

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_instance
from propcrm.errors import InvalidAppointment
from propcrm.schedules._values import Appointment
from propcrm.time import aware

__all__ = ["Change", "Notification", "notifications"]


class Change(enum.Enum):
    """What happened to an appointment."""

    BOOKED = "booked"
    MOVED = "moved"
    CANCELLED = "cancelled"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The change's name, e.g. ``'已预约'`` (zh_CN) or ``'booked'`` (en_US)."""
        match self:
            case Change.BOOKED:
                return pgettext("appointment change", "booked", locale=locale)
            case Change.MOVED:
                return pgettext("appointment change", "moved", locale=locale)
            case Change.CANCELLED:
                return pgettext("appointment change", "cancelled", locale=locale)


@attrs.frozen(kw_only=True)
class Notification:
    """Tell ``recipient`` (a staff id, or the customer's party id) what ``change`` happened."""

    recipient: str
    recipient_is_staff: bool
    appointment: Appointment
    change: Change
    at: pendulum.DateTime

    def text(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The message for people, in ``locale``."""
        where = (
            gettext(", unit %(unit)s", locale=locale, unit=self.appointment.unit_id)
            if self.appointment.unit_id is not None
            else ""
        )
        return gettext(
            "%(kind)s %(change)s: %(start)s to %(end)s%(where)s",
            locale=locale,
            kind=self.appointment.kind.label(locale),
            change=self.change.label(locale),
            start=self.appointment.start.isoformat(),
            end=self.appointment.end.isoformat(),
            where=where,
        )


def notifications(
    appointment: Appointment, change: Change, *, at: datetime.datetime
) -> tuple[Notification, ...]:
    """One notification per attendee (sorted), then the customer, for ``change`` made at ``at``."""
    check_instance(appointment, "appointment", Appointment, error=InvalidAppointment)
    if not isinstance(change, Change):
        raise InvalidAppointment(
            f"change must be a Change, not {change!r}.",
            field="change",
            value=change,
            allowed=", ".join(c.name for c in Change),
        )
    when = aware(at, field="at")
    people = [(staff, True) for staff in sorted(appointment.attendees)]
    if appointment.party_id is not None:
        people.append((appointment.party_id, False))
    return tuple(
        Notification(
            recipient=person,
            recipient_is_staff=staff,
            appointment=appointment,
            change=change,
            at=when,
        )
        for person, staff in people
    )
