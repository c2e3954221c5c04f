"""Hypothesis strategies for the contact log and the staff calendars (issue 16).

:func:`contact_logs` draws a log the way a desk writes one: contacts in time order, some
promising a callback (due by the policy, within business seconds, or at an agreed time), later
ones keeping a promised callback, answered or not. :func:`schedules` draws a roster and
appointments that never overlap for anyone, as :meth:`~propcrm.schedules.Schedule.book` leaves
them. Everything shrinks towards the simplest: the first channel, purpose and outcome, the
first staff, no callback, one-hour appointments back to back from 2 November 2026, 09:00.

>>> from hypothesis import given, settings
>>> @settings(max_examples=10, database=None)
... @given(schedules())
... def test_nobody_is_double_booked(schedule):
...     for staff in schedule.staff:
...         mine = sorted(
...             (a for a in schedule.appointments if staff.staff_id in a.attendees),
...             key=lambda a: a.start,
...         )
...         assert all(a.end <= b.start for a, b in zip(mine, mine[1:]))
>>> test_nobody_is_double_booked()
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from propcrm.contacts import (
    Callback,
    Channel,
    Contact,
    ContactLog,
    ContactOutcome,
    Direction,
    PhoneBook,
    PhoneEntry,
    Purpose,
)
from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    ReminderRule,
    Schedule,
    StaffCalendar,
    Task,
)
from propcrm.sla import HOTLINE_CALENDAR, SERVICE_CALENDAR, AgreedTime, SameServiceDay, Within
from propcrm.testing._personal_data_strategies import mobile_numbers

__all__ = [
    "appointments",
    "booking_policies",
    "callbacks",
    "contact_logs",
    "contacts",
    "phone_books",
    "phone_entries",
    "reminder_rules",
    "schedules",
    "staff_calendars",
    "tasks",
]

_START = pendulum.datetime(2026, 11, 2, 9, 0, tz="Asia/Shanghai")
_STAFF = ("S1", "S2", "S3")
_PARTIES = ("P1", "P2", "P3")
_BUILDINGS = ("B1", "B2", "B7")
# Outcomes a contact that promises nothing may have (a promise needs its Callback).
_PLAIN = tuple(o for o in ContactOutcome if o is not ContactOutcome.CALLBACK_PROMISED)


def _instants(max_minutes: int = 60 * 24 * 28) -> st.SearchStrategy[pendulum.DateTime]:
    return st.integers(min_value=0, max_value=max_minutes).map(lambda m: _START.add(minutes=m))


def callbacks(*, callback_id: str = "CB1") -> st.SearchStrategy[Callback]:
    """Callbacks due by the policy's default, within business time, the same day or agreed."""
    due = st.one_of(
        st.none(),
        st.sampled_from([3600, 7200, 14_400]).map(lambda s: Within(s, SERVICE_CALENDAR)),
        st.just(SameServiceDay(SERVICE_CALENDAR)),
        _instants().map(lambda at: AgreedTime(at.add(days=1))),
    )
    return st.builds(
        Callback,
        st.just(callback_id),
        due=due,
        staff=st.one_of(st.none(), st.sampled_from(_STAFF)),
    )


@st.composite
def contacts(draw: st.DrawFn, *, contact_id: str = "C1") -> Contact:
    """A contact on any channel; a promise carries its callback (never keeps one)."""
    promised = draw(st.booleans())
    party = (
        draw(st.sampled_from(_PARTIES))
        if promised
        else draw(st.one_of(st.sampled_from(_PARTIES), st.none()))
    )
    return Contact(
        contact_id=contact_id,
        at=draw(_instants()),
        channel=draw(st.sampled_from(Channel)),
        direction=draw(st.sampled_from(Direction)),
        purpose=draw(st.sampled_from(Purpose)),
        outcome=ContactOutcome.CALLBACK_PROMISED if promised else draw(st.sampled_from(_PLAIN)),
        staff=draw(st.sampled_from(_STAFF)),
        party_id=party,
        unit_id=draw(st.one_of(st.none(), st.just("1-2-0301"))) if party else None,
        number=draw(st.one_of(st.none(), mobile_numbers())),
        duration_seconds=draw(st.integers(min_value=0, max_value=3600)),
        request_id=draw(st.one_of(st.none(), st.just("R-1"))),
        callback=draw(callbacks(callback_id=f"CB-{contact_id}")) if promised else None,
    )


@st.composite
def contact_logs(draw: st.DrawFn, *, max_contacts: int = 12) -> ContactLog:
    """A valid log: contacts in time order, callbacks kept only after they were promised."""
    count = draw(st.integers(min_value=0, max_value=max_contacts))
    at = _START
    promised: list[str] = []
    logged: list[Contact] = []
    for i in range(count):
        at = at.add(minutes=draw(st.integers(min_value=0, max_value=600)))
        keeps = draw(st.one_of(st.none(), st.sampled_from(promised))) if promised else None
        contact = draw(contacts(contact_id=f"C{i}"))
        if keeps is not None and contact.callback is not None:
            keeps = None
        if keeps is not None:
            contact = Contact(
                contact_id=contact.contact_id,
                at=at,
                channel=contact.channel,
                direction=Direction.OUTBOUND,
                purpose=Purpose.CALLBACK,
                outcome=draw(st.sampled_from([ContactOutcome.RESOLVED, ContactOutcome.NO_ANSWER])),
                staff=contact.staff,
                party_id=contact.party_id,
                keeps=keeps,
            )
        else:
            contact = Contact(
                contact_id=contact.contact_id,
                at=at,
                channel=contact.channel,
                direction=contact.direction,
                purpose=contact.purpose,
                outcome=contact.outcome,
                staff=contact.staff,
                party_id=contact.party_id,
                unit_id=contact.unit_id,
                number=contact.number,
                duration_seconds=contact.duration_seconds,
                request_id=contact.request_id,
                callback=contact.callback,
            )
        if contact.callback is not None:
            promised.append(contact.callback.callback_id)
        logged.append(contact)
    return ContactLog(logged)


@st.composite
def phone_entries(draw: st.DrawFn, *, entry_id: str = "E1") -> PhoneEntry:
    """A party's number (for a unit, maybe) or a staff number, over a span of dates."""
    since = pendulum.date(2026, 1, 1).add(days=draw(st.integers(min_value=0, max_value=300)))
    until = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
    number = draw(mobile_numbers())
    ends = None if until is None else since.add(days=until)
    if draw(st.booleans()):
        return PhoneEntry(
            entry_id,
            number,
            party_id=draw(st.sampled_from(_PARTIES)),
            unit_id=draw(st.one_of(st.none(), st.just("1-2-0301"))),
            since=since,
            until=ends,
        )
    return PhoneEntry(
        entry_id, number, staff=draw(st.sampled_from(_STAFF)), since=since, until=ends
    )


@st.composite
def phone_books(draw: st.DrawFn, *, max_entries: int = 6) -> PhoneBook:
    """A valid phone book: staff numbers are distinct, so no number serves two staff at once."""
    count = draw(st.integers(min_value=0, max_value=max_entries))
    entries = [draw(phone_entries(entry_id=f"E{i}")) for i in range(count)]
    staff_numbers: set[object] = set()
    kept = []
    for entry in entries:
        if entry.staff is not None:
            if entry.number in staff_numbers:
                continue
            staff_numbers.add(entry.number)
        kept.append(entry)
    return PhoneBook(kept)


def staff_calendars(*, staff_id: str = "S1") -> st.SearchStrategy[StaffCalendar]:
    """A member on service hours or the 24×7 hotline calendar, in a team or none."""
    return st.builds(
        StaffCalendar,
        st.just(staff_id),
        calendar=st.sampled_from([SERVICE_CALENDAR, HOTLINE_CALENDAR]),
        teams=st.sampled_from([frozenset(), frozenset({"repair"}), frozenset({"desk"})]),
    )


@st.composite
def appointments(
    draw: st.DrawFn,
    *,
    appointment_id: str = "A1",
    staff: tuple[str, ...] = _STAFF,
    start: pendulum.DateTime | None = None,
) -> Appointment:
    """An appointment of one to all of ``staff``, 15 minutes to 2 hours long."""
    begins = start if start is not None else draw(_instants())
    attendees = draw(st.lists(st.sampled_from(staff), min_size=1, max_size=len(staff), unique=True))
    return Appointment(
        appointment_id=appointment_id,
        kind=draw(st.sampled_from(AppointmentKind)),
        start=begins,
        end=begins.add(minutes=draw(st.sampled_from([60, 15, 30, 90, 120]))),
        attendees=attendees,
        building=draw(st.one_of(st.none(), st.sampled_from(_BUILDINGS))),
        party_id=draw(st.one_of(st.none(), st.sampled_from(_PARTIES))),
        unit_id=draw(st.one_of(st.none(), st.just("1-2-0301"))),
    )


@st.composite
def schedules(draw: st.DrawFn, *, max_appointments: int = 10) -> Schedule:
    """A roster of up to three and appointments placed one after another: nobody double-booked."""
    size = draw(st.integers(min_value=1, max_value=len(_STAFF)))
    roster = [draw(staff_calendars(staff_id=s)) for s in _STAFF[:size]]
    count = draw(st.integers(min_value=0, max_value=max_appointments))
    at = _START
    booked = []
    for i in range(count):
        appointment = draw(appointments(appointment_id=f"A{i}", staff=_STAFF[:size], start=at))
        booked.append(appointment)
        at = appointment.end.add(minutes=draw(st.sampled_from([0, 15, 30, 60])))
    return Schedule(roster, booked)


@st.composite
def tasks(draw: st.DrawFn, *, task_id: str = "T1") -> Task:
    """A task open or done, on time or late."""
    due = draw(_instants())
    done = draw(st.one_of(st.none(), st.integers(min_value=-600, max_value=600)))
    return Task(
        task_id=task_id,
        title=draw(st.sampled_from(["回访", "复查漏水", "装修巡查"])),
        assignee=draw(st.sampled_from(_STAFF)),
        due=due,
        done_at=None if done is None else due.add(minutes=done),
    )


def booking_policies() -> st.SearchStrategy[BookingPolicy]:
    """Booking policies with and without a travel gap, on 15- to 60-minute steps."""
    return st.builds(
        BookingPolicy,
        travel_gap_seconds=st.sampled_from([0, 600, 1200, 1800]),
        slot_step_seconds=st.sampled_from([1800, 900, 3600]),
        proposals=st.integers(min_value=0, max_value=5),
        horizon_days=st.integers(min_value=1, max_value=30),
    )


def reminder_rules() -> st.SearchStrategy[ReminderRule]:
    """Reminder rules of up to three leads up to a week."""
    return st.builds(
        ReminderRule,
        leads=st.lists(st.integers(min_value=0, max_value=7 * 86_400), max_size=3),
        parties=st.booleans(),
    )
