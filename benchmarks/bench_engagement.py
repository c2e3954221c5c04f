"""The service desk of issue 16 at scale: booking (this step) for 50 staff over a month.

50 staff (10 teams of 5) on the service-hours calendar book 5,000 appointments of 30 minutes
to 2 hours in November 2026, each with a conflict check (double-booking, working hours and a
15-minute travel gap between buildings); a requested time that clashes is moved to the first
free slot proposed, as a desk would. Each booking is timed on its own, and the mean per
booking is reported.

The contact volume (20,000 contacts), the solution searches and the audience of a notice are
for a later step (the problem base and notices are another helper's part of issue 16); their
figures are printed as ``-`` until then.

Last line: ``contacts=20000 book_us=B search_ms=- audience_ms=-``.
"""

from __future__ import annotations

import argparse
import gc
import random
import time

import pendulum

from propcrm.errors import BookingConflict
from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    Schedule,
    StaffCalendar,
)
from propcrm.sla import BusinessCalendar, CalendarSet

CONTACTS = 20_000
STAFF = 50
FIRST = pendulum.datetime(2026, 11, 2, 8, 30, tz="Asia/Shanghai")
POLICY = BookingPolicy(travel_gap_seconds=15 * 60)
BUILDINGS = [f"B{n}" for n in range(1, 21)]


def requests(count: int, rng: random.Random) -> list[Appointment]:
    """``count`` appointment requests on working days of November, on half hours."""
    found = []
    for i in range(count):
        day = rng.randrange(0, 26)
        start = FIRST.add(days=day, minutes=30 * rng.randrange(0, 16))
        found.append(
            Appointment(
                appointment_id=f"A{i:05d}",
                kind=rng.choice(list(AppointmentKind)),
                start=start,
                end=start.add(minutes=rng.choice([30, 60, 90, 120])),
                attendees=[f"S{rng.randrange(STAFF):02d}"],
                building=rng.choice(BUILDINGS),
                party_id=f"P{rng.randrange(20_000):05d}",
            )
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    calendars = CalendarSet([BusinessCalendar.china_service_hours()])
    roster = [StaffCalendar(f"S{n:02d}", teams=[f"T{n // 5}"]) for n in range(STAFF)]
    schedule = Schedule(roster)
    wanted = requests(args.appointments, rng)

    gc.collect()
    booked = moved = dropped = 0
    book_ns = 0
    check_ns = 0
    checks = 0
    for appointment in wanted:
        began = time.perf_counter_ns()
        try:
            schedule = schedule.book(appointment, calendars, POLICY)
        except BookingConflict as refused:
            check_ns += time.perf_counter_ns() - began
            checks += 1
            proposals = refused.context["proposals"]
            if not proposals:
                dropped += 1
                continue
            slot = proposals[0]  # type: ignore[index]
            again = Appointment(
                appointment_id=appointment.appointment_id,
                kind=appointment.kind,
                start=slot.start,
                end=slot.end,
                attendees=appointment.attendees,
                building=appointment.building,
                party_id=appointment.party_id,
            )
            began = time.perf_counter_ns()
            schedule = schedule.book(again, calendars, POLICY)
            moved += 1
        book_ns += time.perf_counter_ns() - began
        booked += 1

    book_us = book_ns / max(booked, 1) / 1000
    refusal_us = check_ns / max(checks, 1) / 1000
    print(
        f"booked={booked} moved={moved} dropped={dropped} "
        f"refusal_with_proposals_us={refusal_us:.0f}"
    )
    print(f"contacts={CONTACTS} book_us={book_us:.0f} search_ms=- audience_ms=-")


if __name__ == "__main__":
    main()
