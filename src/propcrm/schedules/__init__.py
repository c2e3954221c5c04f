"""Staff and team calendars (时间管理, issue 16; domain brief §6).

Staff on the business calendars of :mod:`propcrm.sla` (:class:`StaffCalendar`), appointments (the
一般 time agreed with a customer, home visits, decoration inspections, meetings:
:class:`Appointment`), tasks with due instants (:class:`Task`) and reminders computed as
instants (:func:`reminders`). Booking on a :class:`Schedule` detects double-booking, times
outside a person's working hours and too little travel time between buildings when the
:class:`BookingPolicy` asks for a gap; each :class:`Clash` explains itself, and the next free
slots are proposed. The team view (:meth:`Schedule.free_busy`, :meth:`Schedule.who_is_free`)
says who is free when; :func:`notifications` are records for the caller to deliver.

Depends on :mod:`propcrm.money`, :mod:`propcrm.time` and :mod:`propcrm.sla`.
"""

from propcrm.schedules._booking import (
    DEFAULT_BOOKING_POLICY,
    BookingCheck,
    BookingPolicy,
    Clash,
    ClashKind,
    FreeBusy,
    Schedule,
    Slot,
)
from propcrm.schedules._notifications import Change, Notification, notifications
from propcrm.schedules._values import (
    DEFAULT_REMINDERS,
    MAX_APPOINTMENT_SECONDS,
    Appointment,
    AppointmentKind,
    Reminder,
    ReminderRule,
    StaffCalendar,
    Task,
    reminders,
)

__all__ = [
    "DEFAULT_BOOKING_POLICY",
    "DEFAULT_REMINDERS",
    "MAX_APPOINTMENT_SECONDS",
    "Appointment",
    "AppointmentKind",
    "BookingCheck",
    "BookingPolicy",
    "Change",
    "Clash",
    "ClashKind",
    "FreeBusy",
    "Notification",
    "Reminder",
    "ReminderRule",
    "Schedule",
    "Slot",
    "StaffCalendar",
    "Task",
    "notifications",
    "reminders",
]


def __dir__() -> list[str]:
    return list(__all__)
