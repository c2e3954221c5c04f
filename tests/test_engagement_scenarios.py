"""A day at the SUNRISE service desk (阳光花园客服中心), read like the domain brief (§3, §6).

Tuesday 24 November 2026. At 09:30 owner 张先生 (P1, flat 1-2-0301) calls the hotline about his
water bill; 客服小王 (S1) promises to call back the same day. At 10:00 tenant 李女士 (P2) reports
a leak in 3-1-1201; a home visit is agreed for 14:00 with 师傅老陈 (M1), who already has a
decoration inspection in building 7 until 14:00, across the estate from building 3. 小王 calls
张先生 back at 15:00; nobody calls 李女士 back about her leak visit, promised for 11:00.
"""

from __future__ import annotations

import pendulum
import pytest

from propcrm.contacts import (
    Callback,
    CallbackStatus,
    Channel,
    Contact,
    ContactLog,
    ContactOutcome,
    Direction,
    Purpose,
    callback_states,
    contact_statistics,
)
from propcrm.errors import BookingConflict
from propcrm.schedules import (
    Appointment,
    AppointmentKind,
    BookingPolicy,
    ClashKind,
    Schedule,
    StaffCalendar,
)
from propcrm.sla import AgreedTime, BusinessCalendar, CalendarSet, poll_alerts

CALENDARS = CalendarSet([BusinessCalendar.always(), BusinessCalendar.china_service_hours()])
DAY = pendulum.datetime(2026, 11, 24, 0, 0, tz="Asia/Shanghai")


def at(hour: int, minute: int = 0) -> pendulum.DateTime:
    return DAY.replace(hour=hour, minute=minute)


DESK = ContactLog(
    [
        Contact(
            contact_id="C1",
            at=at(9, 30),
            channel=Channel.HOTLINE,
            direction=Direction.INBOUND,
            purpose=Purpose.FEES,
            outcome=ContactOutcome.CALLBACK_PROMISED,
            staff="S1",
            party_id="P1",
            unit_id="1-2-0301",
            callback=Callback("CB1"),
        ),
        Contact(
            contact_id="C2",
            at=at(10),
            channel=Channel.WECHAT,
            direction=Direction.INBOUND,
            purpose=Purpose.REPAIR,
            outcome=ContactOutcome.CALLBACK_PROMISED,
            staff="S1",
            party_id="P2",
            unit_id="3-1-1201",
            request_id="R-88",
            callback=Callback("CB2", due=AgreedTime(at(11))),
        ),
        Contact(
            contact_id="C3",
            at=at(15),
            channel=Channel.HOTLINE,
            direction=Direction.OUTBOUND,
            purpose=Purpose.CALLBACK,
            outcome=ContactOutcome.RESOLVED,
            staff="S1",
            party_id="P1",
            keeps="CB1",
        ),
    ]
)


def test_one_callback_is_kept_and_one_missed_and_escalated() -> None:
    """By the evening 张先生's callback is kept; 李女士's is missed and escalated up the line."""
    kept, missed = (
        callback_states(DESK, CALENDARS, as_of=at(18), statuses=[s])
        for s in (CallbackStatus.KEPT, CallbackStatus.MISSED)
    )
    assert [s.callback.callback_id for s in kept] == ["CB1"]
    assert [s.callback.callback_id for s in missed] == ["CB2"]
    alerts, _ = poll_alerts([s.clocks for s in (*kept, *missed)], at(18))
    escalated = [(a.request_id, a.role) for a in alerts if a.role]
    assert escalated == [("CB2", "supervisor"), ("CB2", "manager"), ("CB2", "general manager")]
    stats = contact_statistics(DESK, DAY.date(), DAY.date(), calendars=CALENDARS)
    assert (stats.callbacks_kept, stats.callbacks_missed) == (1, 1)


def test_the_leak_visit_is_refused_for_travel_and_moved_to_the_next_free_slot() -> None:
    """老陈 cannot walk from building 7 to building 3 in no time; 14:30 is proposed."""
    policy = BookingPolicy(travel_gap_seconds=15 * 60)
    team = Schedule([StaffCalendar("M1", teams=["repair"]), StaffCalendar("M2", teams=["repair"])])
    team = team.book(
        Appointment(
            appointment_id="INS-7",
            kind=AppointmentKind.DECORATION_INSPECTION,
            start=at(13, 30),
            end=at(14),
            attendees=["M1"],
            building="B7",
        ),
        CALENDARS,
        policy,
    )
    visit = Appointment(
        appointment_id="V-88",
        kind=AppointmentKind.AGREED_TIME,
        start=at(14),
        end=at(15),
        attendees=["M1"],
        building="B3",
        party_id="P2",
        unit_id="3-1-1201",
        request_id="R-88",
    )
    with pytest.raises(BookingConflict) as refused:
        team.book(visit, CALENDARS, policy)
    (clash,) = refused.value.context["conflicts"]  # type: ignore[misc]
    assert clash.kind is ClashKind.TRAVEL_GAP
    first = refused.value.context["proposals"][0]  # type: ignore[index]
    assert first.start == at(14, 30)
    assert team.who_is_free(
        team.team("repair"), at(14), at(15), CALENDARS, policy, building="B3"
    ) == ("M2",)
