"""Tests for propcrm.schedules: booking with conflicts, next free slots, team view, reminders.

The SUNRISE maintenance team (维修班): 师傅老陈 (S1) and 师傅小刘 (S2) on service hours
(08:30–12:00, 13:30–17:30 on China's working days); 客服主管 (S3) on the 24×7 calendar. Buildings
B1 and B7 are at opposite ends of the estate.
"""

from __future__ import annotations

import contextlib
import itertools

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.errors import (
    BookingConflict,
    DuplicateRecord,
    InvalidAppointment,
    InvalidPolicy,
    UnknownAppointment,
    UnknownStaff,
)
from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    Change,
    ClashKind,
    ReminderRule,
    Schedule,
    StaffCalendar,
    Task,
    notifications,
    reminders,
)
from propcrm.sla import BusinessCalendar, CalendarSet, WeeklyHours, Window

CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
NINE = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")  # a Tuesday
TEAM = Schedule(
    [
        StaffCalendar("S1", teams=["repair"]),
        StaffCalendar("S2", teams=["repair"]),
        StaffCalendar("S3", calendar="24x7"),
    ]
)
GAP = BookingPolicy(travel_gap_seconds=20 * 60)


def visit(
    aid: str,
    start: pendulum.DateTime = NINE,
    minutes: int = 60,
    *,
    staff: tuple[str, ...] = ("S1",),
    building: str | None = "B1",
    kind: AppointmentKind = AppointmentKind.HOME_VISIT,
) -> Appointment:
    return Appointment(
        appointment_id=aid,
        kind=kind,
        start=start,
        end=start.add(minutes=minutes),
        attendees=staff,
        building=building,
        party_id="P1",
        unit_id="1-2-0301",
    )


# -- the values -----------------------------------------------------------------------------------


def test_an_appointment_ends_after_it_starts_and_holds_someone() -> None:
    """A zero-length, reversed, week-long-plus or unattended appointment is refused."""
    with pytest.raises(InvalidAppointment):
        visit("A1", minutes=0)
    with pytest.raises(InvalidAppointment):
        visit("A1", minutes=-30)
    with pytest.raises(InvalidAppointment):
        visit("A1", minutes=7 * 24 * 60 + 1)
    with pytest.raises(InvalidAppointment) as caught:
        visit("A1", staff=())
    assert caught.value.field == "attendees"


def test_a_task_is_overdue_only_after_its_due_instant() -> None:
    """Open past due is overdue; done late stays overdue; done on time never is."""
    task = Task(task_id="T1", title="复查漏水", assignee="S1", due=NINE)
    assert not task.overdue(NINE)
    assert task.overdue(NINE.add(seconds=1))
    assert task.done(NINE.add(hours=1)).overdue(NINE.add(days=3))
    assert not task.done(NINE.subtract(hours=1)).overdue(NINE.add(days=3))


def test_reminders_are_instants_before_the_start() -> None:
    """A day and an hour before, to the staff and the customer, in time order."""
    found = reminders(visit("A1"))
    assert [(r.recipient, r.lead_seconds) for r in found] == [
        ("S1", 86_400),
        ("P1", 86_400),
        ("S1", 3_600),
        ("P1", 3_600),
    ]
    assert all(r.at == NINE.subtract(seconds=r.lead_seconds) for r in found)


def test_reminders_after_an_instant_and_for_tasks() -> None:
    """Reminders already past are left out; a task reminds its assignee only."""
    assert len(reminders(visit("A1"), after=NINE.subtract(hours=2))) == 2
    task = Task(task_id="T1", title="复查漏水", assignee="S2", due=NINE)
    rule = ReminderRule(leads=[1800], parties=False)
    (only,) = reminders(task, rule)
    assert (only.recipient, only.at) == ("S2", NINE.subtract(minutes=30))


def test_a_reminder_rule_refuses_a_lead_beyond_thirty_days() -> None:
    """A lead is whole seconds from 0 to 30 days."""
    with pytest.raises(InvalidPolicy):
        ReminderRule(leads=[31 * 86_400])
    with pytest.raises(InvalidPolicy):
        ReminderRule(leads=[-1])


# -- booking --------------------------------------------------------------------------------------


def test_a_free_time_inside_working_hours_is_booked() -> None:
    """Tuesday 09:00–10:00 for 老陈 is free and inside his hours."""
    booked = TEAM.book(visit("A1"), CALENDARS)
    assert booked.appointment("A1") == visit("A1")
    assert booked.of_staff("S1", NINE, NINE.add(hours=8)) == (visit("A1"),)
    assert TEAM.appointments == ()  # the schedule booked on is unchanged


def test_double_booking_is_refused_with_the_conflict_and_the_next_free_slots() -> None:
    """09:30 clashes with 09:00–10:00; the next free half-hours are proposed."""
    booked = TEAM.book(visit("A1"), CALENDARS)
    with pytest.raises(BookingConflict) as caught:
        booked.book(visit("A2", NINE.add(minutes=30)), CALENDARS)
    (clash,) = caught.value.context["conflicts"]  # type: ignore[misc]
    assert (clash.kind, clash.staff, clash.other_id) == (ClashKind.DOUBLE_BOOKED, "S1", "A1")
    assert (clash.start, clash.end) == (NINE, NINE.add(hours=1))
    proposals = caught.value.context["proposals"]
    assert [s.start.format("HH:mm") for s in proposals] == ["10:00", "10:30", "11:00"]  # type: ignore[attr-defined]
    assert "老陈" not in clash.explain("zh_CN")  # staff are ids, not names
    assert "S1" in clash.explain("zh_CN")


def test_a_booking_across_lunch_is_outside_hours() -> None:
    """11:30–12:30 runs into the 12:00–13:30 break."""
    check = TEAM.check(visit("A1", NINE.replace(hour=11, minute=30)), CALENDARS)
    (clash,) = check.conflicts
    assert clash.kind is ClashKind.OUTSIDE_HOURS
    assert clash.end == NINE.replace(hour=12)
    assert [s.start.format("HH:mm") for s in check.proposals] == ["13:30", "14:00", "14:30"]


def test_a_booking_on_a_weekend_is_outside_hours_and_moves_to_monday() -> None:
    """Saturday has no service hours; the first proposal is Monday 08:30 (on the step)."""
    saturday = pendulum.datetime(2026, 11, 28, 10, 0, tz="Asia/Shanghai")
    check = TEAM.check(visit("A1", saturday), CALENDARS)
    (clash,) = check.conflicts
    assert (clash.kind, clash.start) == (ClashKind.OUTSIDE_HOURS, None)
    assert "does not work" in clash.explain("en_US")
    assert check.proposals[0].start == pendulum.datetime(2026, 11, 30, 8, 30, tz="Asia/Shanghai")


def test_the_24x7_supervisor_can_meet_at_night() -> None:
    """S3 works on the 24×7 calendar: a 22:00 meeting is inside hours."""
    night = NINE.replace(hour=22)
    assert TEAM.check(visit("A1", night, staff=("S3",)), CALENDARS).ok


# Round the clock on weekdays only, and a night shift: their windows meet or cross midnight.
NIGHT_DESK = CalendarSet(
    [
        BusinessCalendar.always(),
        BusinessCalendar("weekdays", WeeklyHours.weekdays(Window("00:00", "00:00"))),
        BusinessCalendar("nights", WeeklyHours.every_day(Window("22:00", "06:00"))),
        BusinessCalendar.china_service_hours(),
    ]
)
NIGHT_TEAM = Schedule(
    [
        StaffCalendar("S3", calendar="24x7"),
        StaffCalendar("S4", calendar="weekdays"),
        StaffCalendar("S5", calendar="nights"),
    ]
)


def test_the_24x7_supervisor_can_meet_across_midnight() -> None:
    """23:30–00:30 and a three-day stand-by lie inside S3's hours, and are booked."""
    late = visit("A1", NINE.replace(hour=23, minute=30), staff=("S3",))
    assert NIGHT_TEAM.check(late, NIGHT_DESK).ok
    standby = visit("A2", NINE.add(days=1), 3 * 24 * 60, staff=("S3",))
    assert NIGHT_TEAM.check(standby, NIGHT_DESK).ok
    booked = NIGHT_TEAM.book(late, NIGHT_DESK).book(standby, NIGHT_DESK)
    assert [a.appointment_id for a in booked.of_staff("S3", NINE, NINE.add(days=5))] == [
        "A1",
        "A2",
    ]


def test_across_midnight_every_part_must_be_working_time() -> None:
    """Thursday night into Friday is inside weekday hours, Friday night into Saturday is not;
    a night shift holds 23:00–05:00 but not 05:30–06:30."""
    thursday = NINE.replace(hour=23, minute=30).add(days=2)
    assert NIGHT_TEAM.check(visit("A1", thursday, staff=("S4",)), NIGHT_DESK).ok
    friday = visit("A2", thursday.add(days=1), staff=("S4",))
    check = NIGHT_TEAM.check(friday, NIGHT_DESK)
    (clash,) = check.conflicts
    assert (clash.kind, clash.staff) == (ClashKind.OUTSIDE_HOURS, "S4")
    assert check.proposals[0].start == thursday.add(days=4).replace(hour=0, minute=0)
    night = NINE.replace(hour=23)
    assert NIGHT_TEAM.check(visit("A3", night, 6 * 60, staff=("S5",)), NIGHT_DESK).ok
    dawn = NIGHT_TEAM.check(visit("A4", night.add(hours=6, minutes=30), staff=("S5",)), NIGHT_DESK)
    (clash,) = dawn.conflicts
    assert (clash.kind, clash.end) == (ClashKind.OUTSIDE_HOURS, night.add(hours=7))


def test_the_team_view_runs_across_midnight_in_one_piece() -> None:
    """S3's night, 20:00–04:00, with 23:30–00:30 booked: free before and after, once each."""
    evening = NINE.replace(hour=20)
    booked = NIGHT_TEAM.book(
        visit("A1", evening.add(hours=3, minutes=30), staff=("S3",)), NIGHT_DESK
    )
    (s3,) = booked.free_busy(["S3"], evening, evening.add(hours=8), NIGHT_DESK)
    assert s3.free == (
        (evening, evening.add(hours=3, minutes=30)),
        (evening.add(hours=4, minutes=30), evening.add(hours=8)),
    )
    (s5,) = NIGHT_TEAM.free_busy(["S5"], evening, evening.add(hours=28), NIGHT_DESK)
    assert s5.free == (
        (evening.add(hours=2), evening.add(hours=10)),
        (evening.add(hours=26), evening.add(hours=28)),
    )


@settings(max_examples=60)
@given(
    staff=st.sampled_from(["S3", "S4", "S5"]),
    start=st.integers(min_value=0, max_value=7 * 24 * 4),
    quarters=st.integers(min_value=1, max_value=3 * 24 * 4),
)
def test_outside_hours_is_any_part_outside_the_working_windows(
    staff: str, start: int, quarters: int
) -> None:
    """An appointment is inside hours exactly when all its time is working time: the
    calendar's own ``between`` counts every second of it, whatever midnights it crosses."""
    at = NINE.replace(hour=0).add(minutes=15 * start)
    appointment = visit("A1", at, 15 * quarters, staff=(staff,))
    calendar = NIGHT_DESK[NIGHT_TEAM.member(staff).calendar]
    inside = calendar.between(appointment.start, appointment.end) == appointment.seconds
    check = NIGHT_TEAM.check(appointment, NIGHT_DESK)
    assert check.ok is inside
    for slot in check.proposals:
        assert calendar.between(slot.start, slot.end) == appointment.seconds


def test_travel_between_buildings_needs_the_policys_gap() -> None:
    """B1 until 10:00, then B7 at 10:10: 10 minutes where the policy asks 20."""
    booked = TEAM.book(visit("A1"), CALENDARS, GAP)
    far = visit("A2", NINE.add(minutes=70), building="B7")
    (clash,) = booked.check(far, CALENDARS, GAP).conflicts
    assert (clash.kind, clash.gap_seconds, clash.needed_seconds) == (
        ClashKind.TRAVEL_GAP,
        600,
        1200,
    )
    assert "10" in clash.explain("en_US")
    assert "20" in clash.explain("en_US")
    # the same building, or no gap asked, or far enough: no conflict
    assert booked.check(attrs.evolve(far, building="B1"), CALENDARS, GAP).ok
    assert booked.check(far, CALENDARS).ok
    assert booked.check(visit("A2", NINE.add(minutes=80), building="B7"), CALENDARS, GAP).ok


def test_travel_gap_also_applies_before_the_next_appointment() -> None:
    """Ending at 09:55 in B7 leaves 5 minutes to reach B1 for 10:00."""
    booked = TEAM.book(visit("A1", NINE.add(hours=1)), CALENDARS, GAP)
    before = visit("A2", NINE, minutes=55, building="B7")
    (clash,) = booked.check(before, CALENDARS, GAP).conflicts
    assert (clash.kind, clash.gap_seconds) == (ClashKind.TRAVEL_GAP, 300)


def test_a_meeting_clashes_for_each_attendee() -> None:
    """Both 老陈 and 小刘 are booked; a meeting with both lists a conflict for each."""
    booked = TEAM.book(visit("A1"), CALENDARS).book(visit("A2", staff=("S2",)), CALENDARS)
    meeting = visit("M1", staff=("S1", "S2"), kind=AppointmentKind.MEETING, building=None)
    check = booked.check(meeting, CALENDARS)
    assert [(c.staff, c.other_id) for c in check.conflicts] == [("S1", "A1"), ("S2", "A2")]
    assert all(s.staff == frozenset({"S1", "S2"}) for s in check.proposals)


def test_unknown_staff_and_a_booked_id_are_refused() -> None:
    """An attendee off the roster, or an id booked already."""
    with pytest.raises(UnknownStaff):
        TEAM.book(visit("A1", staff=("S9",)), CALENDARS)
    booked = TEAM.book(visit("A1"), CALENDARS)
    with pytest.raises(DuplicateRecord):
        booked.book(visit("A1", NINE.add(hours=3)), CALENDARS)
    with pytest.raises(UnknownAppointment):
        booked.appointment("A9")


def test_cancel_frees_the_time_and_reschedule_checks_like_a_booking() -> None:
    """Cancelling A1 makes 09:00 free again; moving A2 onto A3 is refused."""
    booked = TEAM.book(visit("A1"), CALENDARS).book(visit("A3", NINE.add(hours=2)), CALENDARS)
    assert booked.cancel("A1").check(visit("A2"), CALENDARS).ok
    moved = booked.reschedule("A1", NINE.add(hours=1), NINE.add(hours=2), CALENDARS)
    assert moved.appointment("A1").start == NINE.add(hours=1)
    with pytest.raises(BookingConflict):
        booked.reschedule("A1", NINE.add(hours=2), NINE.add(hours=3), CALENDARS)


def test_a_schedule_built_from_stored_appointments_refuses_strangers_and_twins() -> None:
    """A stored schedule names only rostered staff, and each appointment once."""
    with pytest.raises(UnknownStaff):
        Schedule([StaffCalendar("S1")], [visit("A1", staff=("S2",))])
    with pytest.raises(DuplicateRecord):
        Schedule([StaffCalendar("S1")], [visit("A1"), visit("A1")])
    with pytest.raises(DuplicateRecord):
        Schedule([StaffCalendar("S1"), StaffCalendar("S1")])


# -- free time and the team view ------------------------------------------------------------------


def test_next_free_slots_for_two_people() -> None:
    """老陈 is busy 09:00–10:00 and 小刘 10:00–11:00: together, 11:00 is the first hour."""
    booked = TEAM.book(visit("A1"), CALENDARS).book(
        visit("A2", NINE.add(hours=1), staff=("S2",)), CALENDARS
    )
    slots = booked.next_free_slots(["S1", "S2"], 3600, NINE, CALENDARS, count=2)
    assert [s.start.format("HH:mm") for s in slots] == ["11:00", "13:30"]


def test_the_team_view_says_who_is_free_when() -> None:
    """Tuesday morning: 老陈 busy 09:00–10:00, 小刘 free all morning."""
    booked = TEAM.book(visit("A1"), CALENDARS)
    morning = booked.free_busy(["S1", "S2"], NINE.replace(hour=8), NINE.replace(hour=12), CALENDARS)
    s1, s2 = morning
    assert s1.busy == ((NINE, NINE.add(hours=1), "A1"),)
    assert s1.free == (
        (NINE.replace(hour=8, minute=30), NINE),
        (NINE.add(hours=1), NINE.replace(hour=12)),
    )
    assert s2.free == ((NINE.replace(hour=8, minute=30), NINE.replace(hour=12)),)
    assert booked.who_is_free(booked.team("repair"), NINE, NINE.add(hours=1), CALENDARS) == ("S2",)


# -- notifications --------------------------------------------------------------------------------


def test_notifications_are_records_for_each_person_concerned() -> None:
    """A moved inspection tells the inspector and the owner, in their language."""
    inspection = visit("A1", kind=AppointmentKind.DECORATION_INSPECTION)
    sent = notifications(inspection, Change.MOVED, at=NINE.subtract(days=1))
    assert [(n.recipient, n.recipient_is_staff) for n in sent] == [("S1", True), ("P1", False)]
    assert "moved" in sent[0].text("en_US")
    assert "1-2-0301" in sent[1].text("zh_CN")


# -- properties -----------------------------------------------------------------------------------

_starts = st.builds(
    lambda day, slot, minutes: (
        NINE.replace(hour=8, minute=30).add(days=day, minutes=15 * slot),
        minutes,
    ),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=40),
    st.sampled_from([15, 30, 60, 90, 120]),
)


@settings(max_examples=40)
@given(
    requests=st.lists(
        st.tuples(_starts, st.sampled_from(["S1", "S2"]), st.sampled_from(["B1", "B7"])),
        max_size=12,
    ),
    gap=st.sampled_from([0, 900, 1800]),
)
def test_booked_appointments_never_clash(
    requests: list[tuple[tuple[pendulum.DateTime, int], str, str]], gap: int
) -> None:
    """Whatever is booked or refused, no two booked appointments of one person overlap, all lie
    in working hours, and buildings far apart keep the gap."""
    policy = BookingPolicy(travel_gap_seconds=gap)
    schedule = TEAM
    for i, ((start, minutes), staff, building) in enumerate(requests):
        appointment = visit(f"A{i}", start, minutes, staff=(staff,), building=building)
        check = schedule.check(appointment, CALENDARS, policy)
        if check.ok:
            schedule = schedule.book(appointment, CALENDARS, policy)
        else:
            with pytest.raises(BookingConflict):
                schedule.book(appointment, CALENDARS, policy)
    assert rebuilt_validated(schedule) == schedule
    for staff in ("S1", "S2"):
        mine = sorted(
            (a for a in schedule.appointments if staff in a.attendees), key=lambda a: a.start
        )
        for a, b in itertools.pairwise(mine):
            assert a.end <= b.start
            if a.building != b.building:
                assert (b.start - a.end).total_seconds() >= gap
        for appointment in mine:
            assert not Schedule(TEAM.staff).check(appointment, CALENDARS).conflicts


@settings(max_examples=30)
@given(
    start=_starts,
    booked=st.lists(_starts, max_size=6),
)
def test_a_proposed_slot_can_be_booked(
    start: tuple[pendulum.DateTime, int], booked: list[tuple[pendulum.DateTime, int]]
) -> None:
    """Every slot proposed after a refusal books without conflict."""
    schedule = TEAM
    for i, (at, minutes) in enumerate(booked):
        with contextlib.suppress(BookingConflict):
            schedule = schedule.book(visit(f"B{i}", at, minutes), CALENDARS)
    wanted = visit("A", start[0], start[1])
    check = schedule.check(wanted, CALENDARS)
    for slot in check.proposals:
        assert slot.start >= wanted.start
        schedule.book(attrs.evolve(wanted, start=slot.start, end=slot.end), CALENDARS)
    if check.proposals:
        starts = [s.start for s in check.proposals]
        assert starts == sorted(starts)


@settings(max_examples=30)
@given(leads=st.lists(st.integers(min_value=0, max_value=30 * 86_400), max_size=4))
def test_reminders_come_before_the_start_latest_lead_first(leads: list[int]) -> None:
    """Each reminder is its lead before the start, and they are in time order."""
    found = reminders(visit("A1"), ReminderRule(leads=leads))
    assert all(r.at <= NINE for r in found)
    assert [r.at for r in found] == sorted(r.at for r in found)
    assert len(found) == 2 * len(set(leads))
