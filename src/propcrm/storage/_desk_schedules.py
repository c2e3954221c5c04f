"""The staff calendars, stored: the roster, appointments booked with their checks, and tasks.

Appointments are versioned entries (booked, rescheduled, cancelled; never deleted). Booking
reads the schedule around the appointment from the store and books on it with
:meth:`~propcrm.schedules.Schedule.book`, so the conflicts and the next free slots are those of
what is stored. Two clerks booking the same member of staff at once cannot both win: each
booking also writes a version row per attendee and day it touches (travel gap included), read
before the schedule, so the second commit finds the row moved on and is refused with
:class:`~propcrm.errors.ConcurrencyConflict`; on retry it sees the first booking and its clash.

>>> from propcrm.schedules import Appointment, AppointmentKind, StaffCalendar
>>> from propcrm.sla import BusinessCalendar, CalendarSet
>>> from propcrm.storage import MemoryStore
>>> calendars = CalendarSet([BusinessCalendar.china_service_hours()])
>>> at = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> def visit(aid, start):
...     return Appointment(
...         appointment_id=aid, kind=AppointmentKind.HOME_VISIT, start=start,
...         end=start.add(hours=1), attendees=["S1"], building="B1",
...     )
>>> store = MemoryStore()
>>> with store() as uow:
...     uow.schedules.save_staff("SUNRISE", StaffCalendar("S1"), 0)
...     uow.schedules.book("SUNRISE", visit("A1", at), calendars)
...     uow.commit()
1
1
>>> with store() as uow:
...     uow.schedules.book("SUNRISE", visit("A2", at.add(minutes=30)), calendars)
Traceback (most recent call last):
...
propcrm.errors.BookingConflict: S1 is already booked from 2026-11-24T09:00:00+08:00 to \
2026-11-24T10:00:00+08:00 (A1).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

import attrs
import pendulum

from propcrm._validators import check_instance, check_text, instance_of
from propcrm.errors import InvalidAppointment, RecordExists
from propcrm.schedules import (
    DEFAULT_BOOKING_POLICY,
    Appointment,
    BookingPolicy,
    Schedule,
    StaffCalendar,
    Task,
)
from propcrm.sla import CalendarSet
from propcrm.storage._desk import just_after, state_scope, timeline
from propcrm.storage._entries import Entries, EntryRows, sortable
from propcrm.storage._values import Page, Versioned, check_key
from propcrm.time import aware, local_date

__all__ = ["Booking", "ScheduleRepository", "Schedules"]

_CANCELLED, _DONE = "cancelled", "done"
_WEEK = datetime.timedelta(days=7)
_DAY = datetime.timedelta(days=1)


def _cancelled_at(value: datetime.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else aware(value, field="cancelled_at")


def _reason(_instance: object, _attribute: object, value: Any) -> None:
    # No reason is '' (a cancellation at the customer's call needs none); one is short text.
    if not isinstance(value, str) or value:
        check_text(value, "reason", InvalidAppointment, max_length=200)


@attrs.frozen
class Booking:
    """An appointment as the store keeps it: booked, or cancelled at an instant (and kept).

    >>> at = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
    >>> from propcrm.schedules import Appointment, AppointmentKind
    >>> meeting = Appointment(
    ...     appointment_id="A1",
    ...     kind=AppointmentKind.MEETING,
    ...     start=at,
    ...     end=at.add(hours=1),
    ...     attendees=["S1"],
    ... )
    >>> Booking(meeting).cancelled, Booking(meeting, at, "业主改期").cancelled
    (False, True)
    """

    appointment: Appointment = attrs.field(validator=instance_of(Appointment))
    cancelled_at: pendulum.DateTime | None = attrs.field(default=None, converter=_cancelled_at)
    reason: str = attrs.field(default="", validator=_reason)

    @property
    def cancelled(self) -> bool:
        """Whether the appointment was cancelled."""
        return self.cancelled_at is not None


class ScheduleRepository(Protocol):
    """A community's staff calendars: the roster, appointments and tasks, as the desk books them.

    Staff calendars and appointments are versioned: write at the version read. Booking and
    rescheduling are checked against the stored schedule (double-booking, working hours, the
    travel gap) and refused with :class:`~propcrm.errors.BookingConflict`, which carries the
    conflicts and the next free slots; two clerks booking one person at once cannot both win.
    """

    def save_staff(self, community: str, calendar: StaffCalendar, expected_version: int) -> int:
        """Store a member's calendar (0: new to the roster); the new version."""
        ...

    def staff(self, community: str, staff_id: str) -> Versioned[StaffCalendar]:
        """A member's calendar and its version."""
        ...

    def roster(self, community: str) -> tuple[StaffCalendar, ...]:
        """Every member's calendar, by staff id."""
        ...

    def book(
        self,
        community: str,
        appointment: Appointment,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> int:
        """Book ``appointment`` if it clashes with nothing stored; its version (1)."""
        ...

    def reschedule(
        self,
        community: str,
        appointment_id: str,
        start: datetime.datetime,
        end: datetime.datetime,
        expected_version: int,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> int:
        """Move the appointment read at ``expected_version`` to ``[start, end)``, checked."""
        ...

    def cancel(
        self,
        community: str,
        appointment_id: str,
        expected_version: int,
        *,
        at: datetime.datetime,
        reason: str = "",
    ) -> int:
        """Cancel the appointment read at ``expected_version``; it is kept, as cancelled."""
        ...

    def appointment(self, community: str, appointment_id: str) -> Versioned[Booking]:
        """The appointment as booked (or cancelled), and its version."""
        ...

    def schedule(
        self, community: str, start: datetime.datetime, end: datetime.datetime
    ) -> Schedule:
        """The roster and the appointments (not cancelled) sharing an instant with the window.

        :meth:`~propcrm.schedules.Schedule.check`, ``next_free_slots``, ``free_busy`` and
        ``who_is_free`` on it see what is stored in the window; take the window wide enough
        for the question (a free-slot search looks ``horizon_days`` ahead).
        """
        ...

    def bookings(
        self,
        community: str,
        since: datetime.datetime,
        until: datetime.datetime,
        *,
        cancelled: bool = False,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Booking]:
        """Appointments starting in ``[since, until)``, by start; the cancelled too if asked."""
        ...

    def add_task(self, community: str, task: Task) -> bool:
        """Store a new task; ``False`` if the same is stored, refused if its id is taken."""
        ...

    def task(self, community: str, task_id: str) -> Versioned[Task]:
        """The task and its version."""
        ...

    def task_done(
        self, community: str, task_id: str, at: datetime.datetime, expected_version: int
    ) -> int:
        """Mark the open task read at ``expected_version`` done at ``at``; the new version."""
        ...

    def tasks_due(
        self,
        community: str,
        before: datetime.datetime,
        *,
        assignee: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Task]:
        """The open tasks due at or before ``before`` (``assignee``'s if given), by due time."""
        ...


class Schedules:
    def __init__(self, uow: EntryRows) -> None:
        self._uow = uow
        self._staff = Entries(uow, "desk.staff", StaffCalendar, "staff calendar")
        # Scope: the community (cancelled: its own scope); at: the start.
        self._bookings = Entries(uow, "desk.appointment", Booking, "appointment")
        # One row per attendee and day a booking touches; its version is the lock.
        self._days = Entries(uow, "desk.staff_day", pendulum.Date, "staff day")
        # Scope: the community (done: its own scope); subject: the assignee; at: the due time.
        self._tasks = Entries(uow, "desk.task", Task, "task")

    # -- the roster ---------------------------------------------------------------------------

    def save_staff(self, community: str, calendar: StaffCalendar, expected_version: int) -> int:
        check_key(community, "community")
        check_instance(calendar, "calendar", StaffCalendar, error=InvalidAppointment)
        return self._staff.put(
            (community, calendar.staff_id),
            calendar,
            expected_version,
            scope=community,
            subject=calendar.staff_id,
        )

    def staff(self, community: str, staff_id: str) -> Versioned[StaffCalendar]:
        return self._staff.get((check_key(community, "community"), staff_id))

    def roster(self, community: str) -> tuple[StaffCalendar, ...]:
        found = self._staff.find(scope=check_key(community, "community"))
        return tuple(sorted((e.value for e in found), key=lambda m: m.staff_id))

    # -- appointments -------------------------------------------------------------------------

    def book(
        self,
        community: str,
        appointment: Appointment,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> int:
        check_key(community, "community")
        check_instance(appointment, "appointment", Appointment, error=InvalidAppointment)
        check_instance(calendars, "calendars", CalendarSet)
        check_instance(policy, "policy", BookingPolicy)
        key = (community, appointment.appointment_id)
        if self._bookings.read(key) is not None:
            raise RecordExists(
                f"appointment {appointment.appointment_id} is booked already; reschedule or "
                "cancel it.",
                field="appointment_id",
                value=appointment.appointment_id,
            )
        locks = self._locks(community, appointment, policy)
        self._around(community, appointment, policy).book(appointment, calendars, policy)
        self._take(locks)
        return self._bookings.put(
            key, Booking(appointment), 0, scope=community, at=sortable(appointment.start)
        )

    def reschedule(
        self,
        community: str,
        appointment_id: str,
        start: datetime.datetime,
        end: datetime.datetime,
        expected_version: int,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> int:
        stored = self._booked(community, appointment_id, "rescheduled", expected_version)
        check_instance(calendars, "calendars", CalendarSet)
        check_instance(policy, "policy", BookingPolicy)
        moved = attrs.evolve(
            stored.value.appointment, start=aware(start, field="start"), end=aware(end, field="end")
        )
        locks = self._locks(community, moved, policy)
        around = self._around(community, moved, policy)
        others = tuple(a for a in around.appointments if a.appointment_id != appointment_id)
        Schedule(around.staff, others).book(moved, calendars, policy)
        self._take(locks)
        return self._bookings.put(
            (community, appointment_id),
            Booking(moved),
            expected_version,
            scope=community,
            at=sortable(moved.start),
        )

    def cancel(
        self,
        community: str,
        appointment_id: str,
        expected_version: int,
        *,
        at: datetime.datetime,
        reason: str = "",
    ) -> int:
        stored = self._booked(community, appointment_id, "cancelled", expected_version)
        appointment = stored.value.appointment
        # Cancelling frees time and takes none: it needs no day lock, only its own version.
        return self._bookings.put(
            (community, appointment_id),
            Booking(appointment, aware(at, field="at"), reason),
            expected_version,
            scope=state_scope(community, _CANCELLED),
            at=sortable(appointment.start),
        )

    def _booked(
        self, community: str, appointment_id: str, verb: str, expected_version: int
    ) -> Versioned[Booking]:
        stored = self.appointment(community, appointment_id)
        self._bookings.expect((community, appointment_id), expected_version)
        if stored.value.cancelled:
            raise InvalidAppointment(
                f"appointment {appointment_id} was cancelled; it cannot be {verb}. Book a new one.",
                field="appointment_id",
                value=appointment_id,
                allowed="an appointment booked and not cancelled",
            )
        return stored

    def appointment(self, community: str, appointment_id: str) -> Versioned[Booking]:
        return self._bookings.get(
            (check_key(community, "community"), check_key(appointment_id, "appointment_id"))
        )

    def schedule(
        self, community: str, start: datetime.datetime, end: datetime.datetime
    ) -> Schedule:
        check_key(community, "community")
        since, until = aware(start, field="start"), aware(end, field="end")
        if until <= since:
            raise InvalidAppointment(
                f"a schedule's window runs from {since.isoformat()} to {until.isoformat()}; it "
                "must end after it starts.",
                field="end",
                value=until,
                allowed=f"after {since.isoformat()}",
            )
        # An appointment lasts at most a week: any reaching the window began within a week.
        found = self._bookings.find(
            scope=community, since=sortable(since - _WEEK), until=sortable(until)
        )
        booked = [e.value.appointment for e in found if e.value.appointment.end > since]
        return Schedule(self.roster(community), booked)

    def bookings(
        self,
        community: str,
        since: datetime.datetime,
        until: datetime.datetime,
        *,
        cancelled: bool = False,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Booking]:
        check_key(community, "community")
        check_instance(cancelled, "cancelled", bool)
        scopes = (community, state_scope(community, _CANCELLED)) if cancelled else community
        return timeline(
            self._bookings,
            "bookings",
            scope=scopes,
            since=since,
            until=until,
            limit=limit,
            after=after,
        )

    def _locks(
        self, community: str, appointment: Appointment, policy: BookingPolicy
    ) -> list[tuple[tuple[str, str, str], pendulum.Date, int]]:
        """The day rows of every attendee over the span and its travel gap, at the versions read.

        Read before the schedule: a booking committed after this read moves a row on, and the
        write at the version read here is refused.
        """
        gap = datetime.timedelta(seconds=policy.travel_gap_seconds)
        first = local_date(appointment.start - gap)
        last = local_date(appointment.end + gap - datetime.timedelta(microseconds=1))
        days = [first.add(days=n) for n in range((last - first).days + 1)]
        locks = []
        for staff in sorted(appointment.attendees):
            for day in days:
                key = (community, staff, day.isoformat())
                row = self._days.read(key)
                locks.append((key, day, 0 if row is None else row.version))
        return locks

    def _take(self, locks: Iterable[tuple[tuple[str, str, str], pendulum.Date, int]]) -> None:
        for key, day, version in locks:
            self._days.put(key, day, version, scope=key[0], subject=key[1], at=sortable(day))

    def _around(self, community: str, appointment: Appointment, policy: BookingPolicy) -> Schedule:
        """What the booking's checks and proposals read: a day before, to the horizon after."""
        start = appointment.start - _DAY
        end = appointment.end + datetime.timedelta(days=policy.horizon_days) + _DAY
        return self.schedule(community, start, end)

    # -- tasks --------------------------------------------------------------------------------

    def add_task(self, community: str, task: Task) -> bool:
        check_key(community, "community")
        check_instance(task, "task", Task, error=InvalidAppointment)
        scope = community if task.done_at is None else state_scope(community, _DONE)
        return self._tasks.add(
            (community, task.task_id),
            task,
            scope=scope,
            subject=task.assignee,
            at=sortable(task.due),
        )

    def task(self, community: str, task_id: str) -> Versioned[Task]:
        return self._tasks.get((check_key(community, "community"), check_key(task_id, "task_id")))

    def task_done(
        self, community: str, task_id: str, at: datetime.datetime, expected_version: int
    ) -> int:
        stored = self.task(community, task_id)
        self._tasks.expect((community, task_id), expected_version)
        if stored.value.done_at is not None:
            raise InvalidAppointment(
                f"task {task_id} was done at {stored.value.done_at.isoformat()} already.",
                field="task_id",
                value=task_id,
                allowed="an open task",
            )
        done = stored.value.done(aware(at, field="at"))
        return self._tasks.put(
            (community, task_id),
            done,
            expected_version,
            scope=state_scope(community, _DONE),
            subject=done.assignee,
            at=sortable(done.due),
        )

    def tasks_due(
        self,
        community: str,
        before: datetime.datetime,
        *,
        assignee: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> Page[Task]:
        check_key(community, "community")
        if assignee is not None:
            check_key(assignee, "assignee")
        return timeline(
            self._tasks,
            "tasks due",
            scope=community,
            # An open task's subject is its assignee: the index narrows to theirs.
            subject=assignee,
            until=just_after(aware(before, field="before")),
            limit=limit,
            after=after,
        )
