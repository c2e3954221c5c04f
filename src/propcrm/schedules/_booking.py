"""Booking with conflict checks: double-booking, working hours, travel between buildings.

A :class:`Schedule` is the roster (:class:`~propcrm.schedules.StaffCalendar`, each on a business
calendar of working hours) and the appointments booked on it. :meth:`Schedule.check` finds
every :class:`Clash` of a proposed appointment, each explaining itself as data and in words:

* **double-booked**: an attendee already has an appointment sharing an instant with it;
* **outside hours**: it does not lie inside one working stretch of the attendee's calendar
  (windows that touch count as one stretch, across midnights: 23:30–00:30 is inside 24×7);
* **travel gap**: the attendee has an appointment in another building ending less than
  :attr:`BookingPolicy.travel_gap_seconds` before it starts (or starting that soon after it
  ends). No gap is asked unless the policy gives one (the brief: "if the policy gives a minimum
  gap").

:meth:`Schedule.book` books an appointment without conflicts and refuses one with, raising
:class:`~propcrm.errors.BookingConflict` with the conflicts and the next free slots
(:meth:`Schedule.next_free_slots`: instants on the policy's step, for every attendee at once).

>>> from propcrm.sla import BusinessCalendar, CalendarSet
>>> calendars = CalendarSet([BusinessCalendar.china_service_hours()])
>>> at = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
>>> def visit(aid, start, hours=1, building="B1"):
...     return Appointment(
...         appointment_id=aid,
...         kind=AppointmentKind.HOME_VISIT,
...         start=start,
...         end=start.add(hours=hours),
...         attendees=["S1"],
...         building=building,
...     )
>>> schedule = Schedule([StaffCalendar("S1")]).book(visit("A1", at), calendars)
>>> check = schedule.check(visit("A2", at.add(minutes=30)), calendars)
>>> [c.kind.value for c in check.conflicts], check.conflicts[0].other_id
(['double_booked'], 'A1')
>>> print(check.conflicts[0].explain("en_US"))
S1 is already booked from 2026-11-24T09:00:00+08:00 to 2026-11-24T10:00:00+08:00 (A1).
>>> [s.start.format("HH:mm") for s in check.proposals]
['10:00', '10:30', '11:00']
"""

from __future__ import annotations

import bisect
import datetime
import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext
from propcrm._trusted import set_cached
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_unique,
)
from propcrm.errors import (
    BookingConflict,
    DuplicateRecord,
    InvalidAppointment,
    InvalidPolicy,
    UnknownAppointment,
    UnknownStaff,
)
from propcrm.schedules._values import Appointment, AppointmentKind, StaffCalendar, micros
from propcrm.sla import BusinessTime, CalendarSet
from propcrm.time import aware, zone

__all__ = [
    "DEFAULT_BOOKING_POLICY",
    "BookingCheck",
    "BookingPolicy",
    "Clash",
    "ClashKind",
    "FreeBusy",
    "Schedule",
    "Slot",
]

# Proposals further than this are no "next free slot": the desk would rather call back.
_MAX_HORIZON_DAYS = 92


def _gap(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "travel_gap_seconds", InvalidPolicy, minimum=0, maximum=86_400)


def _step(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "slot_step_seconds", InvalidPolicy, minimum=60, maximum=86_400)


def _proposals(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "proposals", InvalidPolicy, minimum=0, maximum=50)


def _horizon(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "horizon_days", InvalidPolicy, minimum=1, maximum=_MAX_HORIZON_DAYS)


@attrs.frozen
class BookingPolicy:
    """The booking rules: travel gap between buildings, slot step, proposals and their horizon.

    Slots start on the step counted from local midnight in the calendar's zone (every 30 minutes
    by default); three are proposed, searched up to 14 days ahead. Not in the brief: common
    choices, set your own. ``travel_gap_seconds`` 0 asks no gap.
    """

    travel_gap_seconds: int = attrs.field(default=0, validator=_gap)
    slot_step_seconds: int = attrs.field(default=1800, validator=_step)
    proposals: int = attrs.field(default=3, validator=_proposals)
    horizon_days: int = attrs.field(default=14, validator=_horizon)


DEFAULT_BOOKING_POLICY = BookingPolicy()
"""No travel gap; 30-minute slots; three proposals within 14 days."""


class ClashKind(enum.Enum):
    """Why a booking clashes."""

    DOUBLE_BOOKED = "double_booked"
    OUTSIDE_HOURS = "outside_hours"
    TRAVEL_GAP = "travel_gap"


@attrs.frozen(kw_only=True)
class Clash:
    """One reason a booking is refused, for one attendee, as data.

    ``other_id`` is the clashing appointment (double-booked, travel gap); ``start``/``end`` the
    span it holds (for outside hours: the working stretch nearest the booking, ``None`` on a day
    without one); ``needed_seconds`` the travel gap the policy asks and ``gap_seconds`` the gap
    there is.
    """

    kind: ClashKind
    staff: str
    appointment_id: str
    other_id: str | None = None
    start: pendulum.DateTime | None = None
    end: pendulum.DateTime | None = None
    needed_seconds: int | None = None
    gap_seconds: int | None = None

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One sentence for people."""
        match self.kind:
            case ClashKind.DOUBLE_BOOKED:
                assert self.start is not None
                assert self.end is not None
                return gettext(
                    "%(staff)s is already booked from %(start)s to %(end)s (%(other)s).",
                    locale=locale,
                    staff=self.staff,
                    start=self.start.isoformat(),
                    end=self.end.isoformat(),
                    other=self.other_id,
                )
            case ClashKind.OUTSIDE_HOURS:
                if self.start is None or self.end is None:
                    return gettext(
                        "%(staff)s does not work that day.", locale=locale, staff=self.staff
                    )
                return gettext(
                    "%(staff)s works from %(start)s to %(end)s; the appointment is outside it.",
                    locale=locale,
                    staff=self.staff,
                    start=self.start.isoformat(),
                    end=self.end.isoformat(),
                )
            case ClashKind.TRAVEL_GAP:
                return gettext(
                    "%(staff)s has %(gap)s minutes between %(other)s and this appointment in "
                    "another building; the policy asks %(needed)s.",
                    locale=locale,
                    staff=self.staff,
                    gap=(self.gap_seconds or 0) // 60,
                    other=self.other_id,
                    needed=(self.needed_seconds or 0) // 60,
                )


@attrs.frozen
class Slot:
    """A free span ``[start, end)`` for every one of ``staff``."""

    start: pendulum.DateTime
    end: pendulum.DateTime
    staff: frozenset[str]


@attrs.frozen
class BookingCheck:
    """What :meth:`Schedule.check` found: the conflicts, and (if any) the next free slots."""

    appointment: Appointment
    conflicts: tuple[Clash, ...]
    proposals: tuple[Slot, ...]

    @property
    def ok(self) -> bool:
        """Whether the appointment can be booked as it is."""
        return not self.conflicts

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """Each conflict in a sentence, then the proposals."""
        lines = [c.explain(locale) for c in self.conflicts]
        if self.proposals:
            lines.append(
                gettext(
                    "next free: %(slots)s",
                    locale=locale,
                    slots=", ".join(s.start.isoformat() for s in self.proposals),
                )
            )
        return tuple(lines)


@attrs.frozen
class FreeBusy:
    """One member's day(s) in the team view: busy appointments and free working time."""

    staff: str
    busy: tuple[tuple[pendulum.DateTime, pendulum.DateTime, str], ...]
    free: tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]


def _roster(value: Iterable[StaffCalendar]) -> tuple[StaffCalendar, ...]:
    return check_items(value, "staff", StaffCalendar, error=InvalidAppointment)


def _appointments(value: Iterable[Appointment]) -> tuple[Appointment, ...]:
    return check_items(value, "appointments", Appointment, error=InvalidAppointment)


_Index = Mapping[str, tuple[Appointment, ...]]


def _key(appointment: Appointment) -> tuple[pendulum.DateTime, str]:
    return (appointment.start, appointment.appointment_id)


@attrs.frozen
class Schedule:
    """The roster and the appointments booked on it; booking returns a new schedule.

    Built directly, the appointments are taken as they are (an import of what was booked
    before); :meth:`book` is where conflicts are refused. Every attendee must be on the roster.
    """

    staff: tuple[StaffCalendar, ...] = attrs.field(converter=_roster)
    appointments: tuple[Appointment, ...] = attrs.field(default=(), converter=_appointments)
    _members: Mapping[str, StaffCalendar] = attrs.field(init=False, repr=False, eq=False)
    _by_staff: _Index = attrs.field(init=False, repr=False, eq=False)
    _by_id: Mapping[str, Appointment] = attrs.field(init=False, repr=False, eq=False)
    # Working stretches per calendar and day, memoised: a pure function of the calendar, shared
    # by the schedules booked from this one (booking asks for the same days again and again).
    _windows: dict[Any, Any] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        check_unique((m.staff_id for m in self.staff), "staff", DuplicateRecord, what="staff id")
        members = {m.staff_id: m for m in self.staff}
        by_id: dict[str, Appointment] = {}
        lists: dict[str, list[Appointment]] = {s: [] for s in members}
        for appointment in self.appointments:
            if appointment.appointment_id in by_id:
                raise DuplicateRecord(
                    f"appointment {appointment.appointment_id} is in the schedule twice.",
                    field="appointments",
                    value=appointment.appointment_id,
                    allowed="each appointment id once",
                )
            by_id[appointment.appointment_id] = appointment
            for staff in appointment.attendees:
                if staff not in members:
                    raise _unknown(staff, members)
                lists[staff].append(appointment)
        set_cached(self, "_members", members)
        set_cached(self, "_windows", {})
        set_cached(self, "_by_id", by_id)
        set_cached(self, "_by_staff", {s: tuple(sorted(v, key=_key)) for s, v in lists.items()})

    # -- reading ------------------------------------------------------------------------------

    def member(self, staff: str) -> StaffCalendar:
        """The roster entry of ``staff``; :class:`~propcrm.errors.UnknownStaff` if none."""
        check_record_id(staff, "staff", InvalidAppointment)
        member = self._members.get(staff)
        if member is None:
            raise _unknown(staff, self._members)
        return member

    def team(self, team: str) -> tuple[str, ...]:
        """The staff ids of ``team``, in roster order."""
        check_record_id(team, "team", InvalidAppointment)
        return tuple(m.staff_id for m in self.staff if team in m.teams)

    def appointment(self, appointment_id: str) -> Appointment:
        """The appointment ``appointment_id``; :class:`UnknownAppointment` if none."""
        check_record_id(appointment_id, "appointment id", InvalidAppointment)
        found = self._by_id.get(appointment_id)
        if found is None:
            raise UnknownAppointment(
                f"no appointment {appointment_id} in the schedule.",
                field="appointment_id",
                value=appointment_id,
                allowed="the id of a booked appointment",
            )
        return found

    def of_staff(
        self, staff: str, start: datetime.datetime, end: datetime.datetime
    ) -> tuple[Appointment, ...]:
        """The appointments of ``staff`` sharing an instant with ``[start, end)``, in order."""
        self.member(staff)
        since, until = aware(start, field="start"), aware(end, field="end")
        return tuple(_overlapping(self._by_staff[staff], since, until))

    # -- checking and booking -----------------------------------------------------------------

    def conflicts(
        self,
        appointment: Appointment,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> tuple[Clash, ...]:
        """Every conflict of ``appointment`` with this schedule, attendee by attendee."""
        check_instance(appointment, "appointment", Appointment, error=InvalidAppointment)
        check_instance(calendars, "calendars", CalendarSet)
        check_instance(policy, "policy", BookingPolicy)
        for staff in appointment.attendees:
            self.member(staff)
        return self._conflicts(appointment, calendars, policy)

    def check(
        self,
        appointment: Appointment,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> BookingCheck:
        """The conflicts of ``appointment`` and, if there are any, the next free slots."""
        conflicts = self.conflicts(appointment, calendars, policy)
        proposals = (
            self._free_slots(appointment, appointment.start, calendars, policy, policy.proposals)
            if conflicts
            else ()
        )
        return BookingCheck(appointment, conflicts, proposals)

    def book(
        self,
        appointment: Appointment,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> Schedule:
        """This schedule with ``appointment`` booked; :class:`BookingConflict` if it clashes.

        The error's context holds ``conflicts`` and ``proposals`` (the next free slots).
        """
        check_instance(appointment, "appointment", Appointment, error=InvalidAppointment)
        if appointment.appointment_id in self._by_id:
            raise DuplicateRecord(
                f"appointment {appointment.appointment_id} is booked already; reschedule it.",
                field="appointment_id",
                value=appointment.appointment_id,
                allowed="a new appointment id",
            )
        check = self.check(appointment, calendars, policy)
        if check.conflicts:
            raise BookingConflict(
                "; ".join(c.explain("en_US") for c in check.conflicts),
                field="appointment",
                value=appointment.appointment_id,
                allowed=", ".join(s.start.isoformat() for s in check.proposals) or None,
                conflicts=check.conflicts,
                proposals=check.proposals,
            )
        return self._with(appointment)

    def reschedule(
        self,
        appointment_id: str,
        start: datetime.datetime,
        end: datetime.datetime,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
    ) -> Schedule:
        """This schedule with the appointment moved to ``[start, end)``, checked as a booking."""
        moved = attrs.evolve(self.appointment(appointment_id), start=start, end=end)
        return self.cancel(appointment_id).book(moved, calendars, policy)

    def cancel(self, appointment_id: str) -> Schedule:
        """This schedule without the appointment ``appointment_id``."""
        self.appointment(appointment_id)
        return Schedule(
            self.staff, tuple(a for a in self.appointments if a.appointment_id != appointment_id)
        )

    # -- free time ----------------------------------------------------------------------------

    def next_free_slots(
        self,
        staff: Iterable[str],
        seconds: int,
        after: datetime.datetime,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
        *,
        building: str | None = None,
        count: int | None = None,
    ) -> tuple[Slot, ...]:
        """The first free slots of ``seconds`` for all of ``staff`` at once, from ``after`` on.

        ``building`` is where the slot would be (for the travel gap); ``count`` defaults to the
        policy's number of proposals.
        """
        members = check_items(staff, "staff", str, error=InvalidAppointment)
        check_int(seconds, "seconds", InvalidAppointment, minimum=60, maximum=86_400)
        since = aware(after, field="after")
        check_instance(calendars, "calendars", CalendarSet)
        check_instance(policy, "policy", BookingPolicy)
        wanted = policy.proposals if count is None else count
        check_int(wanted, "count", InvalidAppointment, minimum=1, maximum=50)
        for member in members:
            self.member(member)
        probe = Appointment(
            appointment_id="probe",
            kind=_PROBE_KIND,
            start=since,
            end=since.add(seconds=seconds),
            attendees=members,
            building=building,
        )
        return self._free_slots(probe, since, calendars, policy, wanted)

    def free_busy(
        self,
        staff: Iterable[str],
        start: datetime.datetime,
        end: datetime.datetime,
        calendars: CalendarSet,
    ) -> tuple[FreeBusy, ...]:
        """The team view: for each of ``staff``, what is booked and what working time is free."""
        members = check_items(staff, "staff", str, error=InvalidAppointment)
        since, until = aware(start, field="start"), aware(end, field="end")
        check_instance(calendars, "calendars", CalendarSet)
        if until <= since or (until - since).days > _MAX_HORIZON_DAYS:
            raise InvalidAppointment(
                f"the team view runs from {since.isoformat()} to {until.isoformat()}; it must "
                f"end after it starts, within {_MAX_HORIZON_DAYS} days.",
                field="end",
                value=until,
                allowed=f"after {since.isoformat()}",
            )
        views = []
        for staff_id in members:
            calendar = calendars[self.member(staff_id).calendar]
            busy = tuple(
                (a.start, a.end, a.appointment_id)
                for a in _overlapping(self._by_staff[staff_id], since, until)
            )
            free: list[tuple[pendulum.DateTime, pendulum.DateTime]] = []
            tz = _tz(calendar.zone)
            low, high = micros(since), micros(until)
            # Each day's stretches repeat the day before's windows, so the days' stretches
            # overlap; joined, free time across midnight is listed once and in one piece.
            spans = _joined(
                stretch
                for offset in range((until - since).days + 2)
                for stretch in _day_stretches(
                    calendar,
                    _local_day(low, calendar) + datetime.timedelta(days=offset),
                    self._windows,
                )
            )
            for w_start, w_end in spans:
                cursor, stop = max(w_start, low), min(w_end, high)
                if cursor >= stop:
                    continue
                for _, _, appointment_id in busy:
                    b_start, b_end = self._by_id[appointment_id].span
                    if b_end <= cursor or b_start >= stop:
                        continue
                    if b_start > cursor:
                        free.append((_instant(cursor, tz), _instant(b_start, tz)))
                    cursor = max(cursor, b_end)
                if cursor < stop:
                    free.append((_instant(cursor, tz), _instant(stop, tz)))
            views.append(FreeBusy(staff_id, busy, tuple(free)))
        return tuple(views)

    def who_is_free(
        self,
        staff: Iterable[str],
        start: datetime.datetime,
        end: datetime.datetime,
        calendars: CalendarSet,
        policy: BookingPolicy = DEFAULT_BOOKING_POLICY,
        *,
        building: str | None = None,
    ) -> tuple[str, ...]:
        """Those of ``staff`` who could take ``[start, end)`` at ``building`` without conflict."""
        members = check_items(staff, "staff", str, error=InvalidAppointment)
        free = []
        for staff_id in members:
            probe = Appointment(
                appointment_id="probe",
                kind=_PROBE_KIND,
                start=start,
                end=end,
                attendees=[staff_id],
                building=building,
            )
            if not self.conflicts(probe, calendars, policy):
                free.append(staff_id)
        return tuple(free)

    # -- internals ----------------------------------------------------------------------------

    def _with(self, appointment: Appointment) -> Schedule:
        # The fast path of a booking: the new schedule's caches are this one's plus one
        # appointment, so a booking costs the attendees' lists, not the whole schedule.
        by_staff = dict(self._by_staff)
        for staff in appointment.attendees:
            items = list(by_staff[staff])
            bisect.insort(items, appointment, key=_key)
            by_staff[staff] = tuple(items)
        by_id = dict(self._by_id)
        by_id[appointment.appointment_id] = appointment
        new = object.__new__(Schedule)
        set_cached(new, "staff", self.staff)
        set_cached(new, "appointments", (*self.appointments, appointment))
        set_cached(new, "_members", self._members)
        set_cached(new, "_by_staff", by_staff)
        set_cached(new, "_by_id", by_id)
        set_cached(new, "_windows", self._windows)
        return new

    def _conflicts(
        self,
        appointment: Appointment,
        calendars: CalendarSet,
        policy: BookingPolicy,
    ) -> tuple[Clash, ...]:
        start_us, end_us = appointment.span
        found: list[Clash] = []
        for staff in sorted(appointment.attendees):
            calendar = calendars[self._members[staff].calendar]
            stretch = _stretch_of(calendar, start_us, end_us, self._windows)
            if stretch is None or not (stretch[0] <= start_us and end_us <= stretch[1]):
                found.append(_outside_hours(calendar, appointment, staff, stretch))
            for other, overlap in _near(
                self._by_staff[staff], appointment, policy.travel_gap_seconds
            ):
                found.append(_clash(staff, appointment, other, overlap, policy))
        return tuple(found)

    def _free_slots(
        self,
        appointment: Appointment,
        after: pendulum.DateTime,
        calendars: CalendarSet,
        policy: BookingPolicy,
        count: int,
    ) -> tuple[Slot, ...]:
        if count == 0:
            return ()
        step_us = policy.slot_step_seconds * 1_000_000
        length_us = appointment.span[1] - appointment.span[0]
        gap_us = policy.travel_gap_seconds * 1_000_000
        staff = tuple(
            (s, calendars[self._members[s].calendar]) for s in sorted(appointment.attendees)
        )
        tz = _tz(staff[0][1].zone)
        candidate = micros(_ceil_step(after, policy.slot_step_seconds, staff[0][1].zone))
        horizon = micros(after) + policy.horizon_days * 86_400 * 1_000_000
        slots: list[Slot] = []
        while candidate < horizon and len(slots) < count:
            retry = self._first_clash(staff, candidate, candidate + length_us, appointment, gap_us)
            if retry is None:
                slots.append(
                    Slot(
                        _instant(candidate, tz),
                        _instant(candidate + length_us, tz),
                        appointment.attendees,
                    )
                )
                candidate += step_us
            else:
                # Jump to the first step at or after the earliest instant that could be free.
                candidate += max(1, -(-(retry - candidate) // step_us)) * step_us
        return tuple(slots)

    def _first_clash(
        self,
        staff: tuple[tuple[str, BusinessTime], ...],
        start_us: int,
        end_us: int,
        appointment: Appointment,
        gap_us: int,
    ) -> int | None:
        """``None`` if all of ``staff`` are free for ``[start_us, end_us)``, else when to retry.

        The retry instant (microseconds) is the earliest a slot could start without the clash
        found: the end of a booking it overlaps, past the travel gap, or the next stretch.
        """
        retry: int | None = None
        for staff_id, calendar in staff:
            stretch = _stretch_of(calendar, start_us, end_us, self._windows)
            if stretch is None or not (stretch[0] <= start_us and end_us <= stretch[1]):
                following = _next_stretch_start(calendar, start_us, self._windows)
                found = following if following is not None else end_us
                retry = found if retry is None else max(retry, found)
                continue
            booked = self._by_staff[staff_id]
            low, high = start_us - gap_us, end_us + gap_us
            first = bisect.bisect_left(booked, low - _WEEK_US, key=_start_us)
            for other in booked[first:]:
                o_start, o_end = other.span
                if o_start >= high:
                    break
                if o_end <= low or other.appointment_id == appointment.appointment_id:
                    continue
                if o_start < end_us and start_us < o_end:
                    found = o_end
                elif (
                    gap_us
                    and other.building is not None
                    and appointment.building is not None
                    and other.building != appointment.building
                ):
                    found = o_end + gap_us
                else:
                    continue
                retry = found if retry is None else max(retry, found)
        return retry


# Free-slot searches probe with a throwaway appointment of this kind; it is never booked.
_PROBE_KIND = AppointmentKind.OTHER


def _unknown(staff: str, members: Mapping[str, StaffCalendar]) -> UnknownStaff:
    return UnknownStaff(
        f"staff {staff} is not on the roster; add a StaffCalendar first.",
        field="staff",
        value=staff,
        allowed=", ".join(sorted(members)) or "nobody is on the roster",
    )


_WEEK_US = 7 * 86_400 * 1_000_000
"""An appointment lasts at most a week, so any reaching an instant began within a week of it."""

_DAY_US = 86_400 * 1_000_000


def _start_us(appointment: Appointment) -> int:
    return appointment.span[0]


def _tz(name: str) -> Any:
    return zone(name)


def _instant(us: int, tz: Any) -> pendulum.DateTime:
    seconds, rest = divmod(us, 1_000_000)
    return pendulum.from_timestamp(seconds, tz=tz).add(microseconds=rest)


def _overlapping(
    booked: tuple[Appointment, ...], start: datetime.datetime, end: datetime.datetime
) -> Iterator[Appointment]:
    low, high = micros(aware(start)), micros(aware(end))
    first = bisect.bisect_left(booked, low - _WEEK_US, key=_start_us)
    for appointment in booked[first:]:
        o_start, o_end = appointment.span
        if o_start >= high:
            break
        if o_end > low:
            yield appointment


def _near(
    booked: tuple[Appointment, ...], appointment: Appointment, gap_seconds: int
) -> Iterator[tuple[Appointment, bool]]:
    """Booked appointments overlapping ``appointment`` (True) or too near in another building.

    "Too near" (False) is within the policy's travel gap.
    """
    start_us, end_us = appointment.span
    gap_us = gap_seconds * 1_000_000
    low, high = start_us - gap_us, end_us + gap_us
    first = bisect.bisect_left(booked, low - _WEEK_US, key=_start_us)
    for other in booked[first:]:
        o_start, o_end = other.span
        if o_start >= high:
            break
        if o_end <= low or other.appointment_id == appointment.appointment_id:
            continue
        if o_start < end_us and start_us < o_end:
            yield other, True
        elif (
            gap_us
            and other.building is not None
            and appointment.building is not None
            and other.building != appointment.building
        ):
            yield other, False


def _clash(
    staff: str, appointment: Appointment, other: Appointment, overlap: bool, policy: BookingPolicy
) -> Clash:
    if overlap:
        return Clash(
            kind=ClashKind.DOUBLE_BOOKED,
            staff=staff,
            appointment_id=appointment.appointment_id,
            other_id=other.appointment_id,
            start=other.start,
            end=other.end,
        )
    a_start, a_end = appointment.span
    o_start, o_end = other.span
    gap_us = a_start - o_end if o_end <= a_start else o_start - a_end
    return Clash(
        kind=ClashKind.TRAVEL_GAP,
        staff=staff,
        appointment_id=appointment.appointment_id,
        other_id=other.appointment_id,
        start=other.start,
        end=other.end,
        needed_seconds=policy.travel_gap_seconds,
        gap_seconds=gap_us // 1_000_000,
    )


def _ceil_step(at: pendulum.DateTime, step: int, zone_name: str) -> pendulum.DateTime:
    local = at.in_timezone(zone_name)
    midnight = local.start_of("day")
    elapsed = (local.hour * 3600 + local.minute * 60 + local.second) * 1_000_000 + local.microsecond
    step_us = step * 1_000_000
    return midnight.add(microseconds=-(-elapsed // step_us) * step_us)


_Stretches = tuple[tuple[int, int], ...]


def _joined(spans: Iterable[tuple[int, int]]) -> _Stretches:
    """``spans`` sorted, those that overlap or touch joined into one."""
    merged: list[tuple[int, int]] = []
    for w_start, w_end in sorted(spans):
        if merged and w_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], w_end))
        else:
            merged.append((w_start, w_end))
    return tuple(merged)


def _day_stretches(calendar: BusinessTime, day: datetime.date, cache: dict[Any, Any]) -> _Stretches:
    """The working stretches of ``day`` and the day before, in microseconds, memoised.

    The day before counts because an overnight window reaches into ``day``; windows that touch
    are merged into one stretch (08:30–12:00 and 12:00–13:00 hold a 11:30–12:30 appointment).
    """
    key = (id(calendar), day)
    hit = cache.get(key)
    if hit is not None and hit[0] is calendar:
        stretches: _Stretches = hit[1]
        return stretches
    found = _joined(
        (micros(aware(a)), micros(aware(b)))
        for d in (day - datetime.timedelta(days=1), day)
        for a, b in calendar.windows_on(d)
    )
    # The calendar is kept in the entry so that its id cannot be reused while the entry lives.
    cache[key] = (calendar, found)
    return found


def _local_day(us: int, calendar: BusinessTime) -> datetime.date:
    return datetime.datetime.fromtimestamp(us // 1_000_000, _tz(calendar.zone)).date()


def _stretch_of(
    calendar: BusinessTime, start_us: int, end_us: int, cache: dict[Any, Any]
) -> tuple[int, int] | None:
    """The stretch containing ``start_us``, or failing that one overlapping the span.

    A stretch containing ``start_us`` is followed across midnights up to ``end_us``: a day's
    stretches hold only the windows of that day and the one before, so a 24×7 day ends at the
    next midnight although the next day's window carries on from it.
    """
    day = _local_day(start_us, calendar)
    overlapping = None
    for stretch in _day_stretches(calendar, day, cache):
        if stretch[0] <= start_us < stretch[1]:
            return _carried(calendar, stretch, end_us, cache)
        if overlapping is None and stretch[0] < end_us and start_us < stretch[1]:
            overlapping = stretch
    return overlapping


def _carried(
    calendar: BusinessTime, stretch: tuple[int, int], end_us: int, cache: dict[Any, Any]
) -> tuple[int, int]:
    """``stretch`` joined with the stretches that touch its end, until it reaches ``end_us``.

    The stretches of the day its end falls on hold every window that could start at or before
    that end (a window belongs to the day it starts); each step moves the end forward, and an
    appointment lasts at most a week, so the loop ends within days.
    """
    start_us, reach = stretch
    while reach < end_us:
        following = next(
            (
                s[1]
                for s in _day_stretches(calendar, _local_day(reach, calendar), cache)
                if s[0] <= reach < s[1]
            ),
            None,
        )
        if following is None:
            break
        reach = following
    return (start_us, reach)


def _next_stretch_start(calendar: BusinessTime, after_us: int, cache: dict[Any, Any]) -> int | None:
    """The start of the first stretch beginning after ``after_us``, looking a fortnight ahead."""
    day = _local_day(after_us, calendar)
    for offset in range(15):
        for w_start, _w_end in _day_stretches(
            calendar, day + datetime.timedelta(days=offset), cache
        ):
            if w_start > after_us:
                return w_start
    return None


def _outside_hours(
    calendar: BusinessTime,
    appointment: Appointment,
    staff: str,
    stretch: tuple[int, int] | None,
) -> Clash:
    if stretch is None:
        day = _local_day(appointment.span[0], calendar)
        same_day = [
            s for s in _day_stretches(calendar, day, {}) if _local_day(s[0], calendar) == day
        ]
        stretch = same_day[0] if same_day else None
    tz = _tz(calendar.zone)
    return Clash(
        kind=ClashKind.OUTSIDE_HOURS,
        staff=staff,
        appointment_id=appointment.appointment_id,
        start=_instant(stretch[0], tz) if stretch else None,
        end=_instant(stretch[1], tz) if stretch else None,
    )
