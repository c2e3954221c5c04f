"""Bad input to every public entry point of propcrm.schedules is refused with a library error.

Issue 18's rule for issue 16's staff calendars: each argument of each entry point in
``propcrm.schedules.__all__`` is fed the malformed values of its kind (:mod:`tests.bad_input`);
:func:`assert_refused` checks that only a :class:`~propcrm.errors.PropcrmError` carrying its
context comes out. Where a shared strategy's value is valid for an argument (``None`` for an
optional one, an empty list for a list), the case leaves it out and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_ids,
    bad_instants,
    bad_locales,
    wrong_types,
)

from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    Change,
    ReminderRule,
    Schedule,
    StaffCalendar,
    Task,
    notifications,
    reminders,
)
from propcrm.sla import BusinessCalendar, CalendarSet

FEW = settings(max_examples=8, deadline=None)
AT = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
TEAM = Schedule([StaffCalendar("S1", teams=["repair"])])


def appointment(**changes: Any) -> Appointment:
    values: dict[str, Any] = {
        "appointment_id": "A1",
        "kind": AppointmentKind.HOME_VISIT,
        "start": AT,
        "end": AT.add(hours=1),
        "attendees": ["S1"],
    }
    values.update(changes)
    return Appointment(**values)


VISIT = appointment()
BOOKED = TEAM.book(VISIT, CALENDARS)
TASK = Task(task_id="T1", title="复查", assignee="S1", due=AT)


def task(**changes: Any) -> Task:
    values: dict[str, Any] = {"task_id": "T1", "title": "复查", "assignee": "S1", "due": AT}
    values.update(changes)
    return Task(**values)


def _or(bad: object, fallback: object) -> object:
    # None is a valid value of an optional id; the fallback is a bad one of the same argument.
    return fallback if bad is None else bad


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: appointment(appointment_id=bad),
        lambda bad: appointment(attendees=[bad]),
        lambda bad: appointment(building=_or(bad, "")),
        lambda bad: appointment(party_id=_or(bad, " ")),
        lambda bad: appointment(unit_id=_or(bad, "a b")),
        lambda bad: appointment(request_id=_or(bad, "")),
        StaffCalendar,
        lambda bad: StaffCalendar("S1", teams=[bad]),
        lambda bad: task(task_id=bad),
        lambda bad: task(assignee=bad),
        lambda bad: task(title=bad) if bad not in ("x" * 200, "P 1", b"P1") else task(title=""),
        lambda bad: task(request_id=_or(bad, "")),
        TEAM.member,
        TEAM.team,
        BOOKED.appointment,
        BOOKED.cancel,
        lambda bad: TEAM.of_staff(bad, AT, AT.add(hours=1)),
        lambda bad: TEAM.next_free_slots([bad], 3600, AT, CALENDARS),
        lambda bad: TEAM.free_busy([bad], AT, AT.add(hours=8), CALENDARS),
        lambda bad: TEAM.who_is_free([bad], AT, AT.add(hours=1), CALENDARS),
        lambda bad: BOOKED.reschedule(bad, AT, AT.add(hours=1), CALENDARS),
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: appointment(start=bad),
        lambda bad: appointment(end=bad),
        lambda bad: task(due=bad),
        lambda bad: task(done_at=_or(bad, "2026-11-24")),
        TASK.overdue,
        TASK.done,
        lambda bad: reminders(VISIT, after=_or(bad, 1)),
        lambda bad: notifications(VISIT, Change.BOOKED, at=bad),
        lambda bad: TEAM.of_staff("S1", bad, AT),
        lambda bad: TEAM.of_staff("S1", AT, bad),
        lambda bad: TEAM.next_free_slots(["S1"], 3600, bad, CALENDARS),
        lambda bad: TEAM.free_busy(["S1"], bad, AT, CALENDARS),
        lambda bad: TEAM.free_busy(["S1"], AT, bad, CALENDARS),
        lambda bad: TEAM.who_is_free(["S1"], bad, AT, CALENDARS),
        lambda bad: BOOKED.reschedule("A1", bad, AT, CALENDARS),
        lambda bad: BOOKED.reschedule("A1", AT, bad, CALENDARS),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: BookingPolicy(travel_gap_seconds=bad),
        lambda bad: BookingPolicy(slot_step_seconds=bad),
        lambda bad: BookingPolicy(proposals=bad),
        lambda bad: BookingPolicy(horizon_days=bad),
        lambda bad: ReminderRule(leads=[bad]),
        lambda bad: TEAM.next_free_slots(["S1"], bad, AT, CALENDARS),
        lambda bad: TEAM.next_free_slots(["S1"], 3600, AT, CALENDARS, count=_or(bad, 0)),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: appointment(kind=bad),
        lambda bad: StaffCalendar("S1", calendar=bad),
        # a set of staff ids is a valid attendee list, and so is a list; empty ones are not
        lambda bad: (
            appointment(attendees=bad)
            if bad not in ((), [], {"100"})
            else appointment(attendees=[])
        ),
        lambda bad: appointment(title=bad),
        lambda bad: (
            StaffCalendar("S1", teams=bad) if bad not in ((), [], {"100"}) else StaffCalendar(7)
        ),
        lambda bad: ReminderRule(leads=bad) if bad not in ((), []) else ReminderRule(leads="1"),
        lambda bad: ReminderRule(parties=bad) if not isinstance(bad, bool) else ReminderRule(7),
        reminders,
        lambda bad: reminders(VISIT, bad),
        # an empty roster is a valid (if idle) schedule
        lambda bad: Schedule(bad) if bad not in ((), []) else Schedule("S1"),
        lambda bad: Schedule([bad]),
        lambda bad: Schedule(TEAM.staff, bad) if bad not in ((), []) else Schedule(TEAM.staff, 1),
        lambda bad: TEAM.book(bad, CALENDARS),
        lambda bad: TEAM.book(VISIT, bad),
        lambda bad: TEAM.book(VISIT, CALENDARS, bad),
        lambda bad: TEAM.check(bad, CALENDARS),
        lambda bad: TEAM.conflicts(VISIT, CALENDARS, bad),
        lambda bad: BOOKED.reschedule("A1", AT, AT.add(hours=1), bad),
        lambda bad: (
            TEAM.next_free_slots(bad, 3600, AT, CALENDARS)
            if bad not in ((), [])
            else TEAM.next_free_slots("S1", 3600, AT, CALENDARS)
        ),
        lambda bad: TEAM.next_free_slots(["S1"], 3600, AT, bad),
        lambda bad: TEAM.next_free_slots(["S1"], 3600, AT, CALENDARS, bad),
        lambda bad: TEAM.next_free_slots(["S1"], 3600, AT, CALENDARS, building=_or(bad, "")),
        lambda bad: TEAM.free_busy(["S1"], AT, AT.add(hours=1), bad),
        lambda bad: TEAM.who_is_free(["S1"], AT, AT.add(hours=1), bad),
        lambda bad: notifications(bad, Change.BOOKED, at=AT),
        lambda bad: notifications(VISIT, bad, at=AT),
    ],
)
@FEW
@given(bad=wrong_types)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        notifications(VISIT, Change.BOOKED, at=AT)[0].text,
        TEAM.check(appointment(start=AT.replace(hour=12), end=AT.replace(hour=13)), CALENDARS)
        .conflicts[0]
        .explain,
        lambda bad: TEAM.check(
            appointment(start=AT.replace(hour=12), end=AT.replace(hour=13)), CALENDARS
        ).explain(bad),
        AppointmentKind.HOME_VISIT.label,
        Change.MOVED.label,
    ],
)
@FEW
@given(bad=bad_locales)
def test_locales_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


def test_spans_that_end_before_they_start_are_refused() -> None:
    """A team view or a probe that ends before it starts is refused with context."""
    assert_refused(lambda: TEAM.free_busy(["S1"], AT, AT, CALENDARS))
    assert_refused(lambda: TEAM.who_is_free(["S1"], AT, AT.subtract(hours=1), CALENDARS))
    assert_refused(lambda: BOOKED.reschedule("A1", AT, AT.subtract(hours=1), CALENDARS))
