"""SLA scenarios that read like a day at the service desk (domain brief §3, §4).

The SUNRISE community (阳光花园) runs a 24-hour hotline (24×7) and a service desk open
08:30–12:00 and 13:30–17:30 on China's working days, make-up workdays (调休) included. Repair
requests are 特急 (on site within 10 minutes), 急 (15 minutes) or 一般 (the same service day,
or a time agreed with the resident); requests after 16:00 are due the next service day. The
night team works 22:00–06:00 every day.
"""

from __future__ import annotations

import pendulum
import pytest

from propcrm.errors import InvalidTransition, OutageNoticeTooShort
from propcrm.sla import (
    DEFAULT_OUTAGE_NOTICE,
    DEFAULT_SLA_POLICY,
    AgreedTime,
    BusinessCalendar,
    CalendarSet,
    ClockState,
    Crossing,
    NoticeRule,
    Paused,
    PlannedOutage,
    PriorityChanged,
    RecordStatus,
    Reopened,
    ReopenPolicy,
    ReportDimension,
    RequestClocks,
    Resumed,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
    Utility,
    WeeklyHours,
    Window,
    Within,
    attainment,
    next_action_at,
    poll_alerts,
    records_of,
)

TZ = "Asia/Shanghai"
HOTLINE = BusinessCalendar.always()
SERVICE = BusinessCalendar.china_service_hours()
NIGHT = BusinessCalendar("night team", WeeklyHours.every_day(Window("22:00", "06:00")))
CALENDARS = CalendarSet([HOTLINE, SERVICE, NIGHT])
RESPONSE = TargetKind.RESPONSE
RESOLUTION = TargetKind.RESOLUTION

# SUNRISE adds resolution targets: in-home repairs are resolved within 4 service hours
# (特急 and 急) or 2 service days (一般).
SUNRISE = (
    DEFAULT_SLA_POLICY.with_target("P1", Target(RESOLUTION, Within(4 * 3600, SERVICE.name)))
    .with_target("P2", Target(RESOLUTION, Within(4 * 3600, SERVICE.name)))
    .with_target("P3", Target(RESOLUTION, Within(2 * 27_000, SERVICE.name)))
)


def shanghai(y: int, m: int, d: int, hh: int, mm: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, hh, mm, tz=TZ)


def received(request_id: str, priority: str, when: pendulum.DateTime) -> RequestClocks:
    """The hotline accepts a request (受理): every target's clock starts."""
    return RequestClocks.open(request_id, priority, SUNRISE, CALENDARS).apply(
        Started(when, "客服小王", "电话受理")
    )


def due(clocks: RequestClocks, kind: TargetKind = RESPONSE) -> pendulum.DateTime | None:
    return clocks.clock(kind).deadline


# -- the brief's worked examples --------------------------------------------------------------


def test_extra_urgent_gas_smell_at_midnight_is_due_on_site_in_10_minutes() -> None:
    """特急: a resident smells gas at 23:55 on National Day eve; the hotline never closes."""
    gas = received("R-001", "P1", shanghai(2025, 9, 30, 23, 55))
    assert due(gas) == shanghai(2025, 10, 1, 0, 5)
    on_site = gas.apply(Stopped(shanghai(2025, 10, 1, 0, 3), "维修李师傅", targets={RESPONSE}))
    assert on_site.clock(RESPONSE).met is True
    # The repair itself is counted in service hours: National Day closes 1–8 October, so the
    # 4 hours are 08:30–12:00 and 13:30–14:00 on Thursday 9 October.
    assert due(on_site, RESOLUTION) == shanghai(2025, 10, 9, 14, 0)


def test_urgent_burst_pipe_is_due_in_15_minutes_and_late_by_business_seconds() -> None:
    """急: a burst pipe at 14:20; the plumber arrives at 14:38, three minutes late."""
    pipe = received("R-002", "P2", shanghai(2026, 3, 2, 14, 20))
    assert due(pipe) == shanghai(2026, 3, 2, 14, 35)
    late = pipe.apply(Stopped(shanghai(2026, 3, 2, 14, 38), "维修李师傅", targets={RESPONSE}))
    assert late.clock(RESPONSE).met is False
    assert late.clock(RESPONSE).failed_by() == 180


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (shanghai(2026, 3, 2, 9, 0), shanghai(2026, 3, 2, 17, 30)),  # the same day
        (shanghai(2026, 3, 2, 15, 59), shanghai(2026, 3, 2, 17, 30)),  # just before 16:00
        (shanghai(2026, 3, 2, 16, 0), shanghai(2026, 3, 3, 17, 30)),  # the cut-off: next day
        (shanghai(2026, 3, 6, 18, 0), shanghai(2026, 3, 9, 17, 30)),  # Friday evening: Monday
    ],
)
def test_general_requests_are_due_the_same_service_day_with_a_1600_cutoff(
    when: pendulum.DateTime, expected: pendulum.DateTime
) -> None:
    """一般: a dripping tap is due by the end of the service day it is reported on."""
    assert due(received("R-003", "P3", when)) == expected


def test_general_request_at_a_time_agreed_with_the_resident() -> None:
    """一般, or at a time agreed: the resident is at work until 19:00, so the visit is 19:30."""
    tap = received("R-004", "P3", shanghai(2026, 3, 2, 10, 0))
    appointment = AgreedTime(shanghai(2026, 3, 2, 19, 30))
    agreed = tap.apply(
        TargetChanged(
            shanghai(2026, 3, 2, 10, 5),
            "客服小王",
            "业主约定晚上上门",
            target=Target(RESPONSE, appointment),
        )
    )
    assert due(agreed) == shanghai(2026, 3, 2, 19, 30)
    with pytest.raises(Exception, match="never pauses"):
        agreed.apply(Paused(shanghai(2026, 3, 2, 12), "客服小王", "x", targets={RESPONSE}))
    visited = agreed.apply(Stopped(shanghai(2026, 3, 2, 19, 25), "维修李师傅", targets={RESPONSE}))
    assert visited.clock(RESPONSE).met is True


# -- a day at the service desk ------------------------------------------------------------------


def test_a_request_across_the_national_day_holiday() -> None:
    """Tuesday 30 September 2025, 16:30: a blocked drain, after the cut-off.

    The next service day is Thursday 9 October: 1–8 October are holidays (国庆节, 中秋节 and two
    days moved by 调休). The explanation names them.
    """
    drain = received("R-005", "P3", shanghai(2025, 9, 30, 16, 30))
    assert due(drain) == shanghai(2025, 10, 9, 17, 30)
    why = drain.clock(RESPONSE).explain()
    assert why.service_day is not None
    assert not why.service_day.before_cutoff
    assert why.calendar_detail.holidays[0].name == "国庆节"
    assert [h.day.day for h in why.calendar_detail.holidays] == [1, 2, 3, 6, 7, 8]
    assert why.calendar_detail.confirmed
    # Two service days to resolve: 1 h on the 30th, 7.5 h on the 9th, 6.5 h on the 10th.
    assert due(drain, RESOLUTION) == shanghai(2025, 10, 10, 16, 30)


def test_a_request_on_a_make_up_weekend_day() -> None:
    """Sunday 28 September 2025 is a make-up workday (调休上班): the desk is open."""
    door = received("R-006", "P3", shanghai(2025, 9, 28, 10, 0))
    assert due(door) == shanghai(2025, 9, 28, 17, 30)
    # Two service days (15 h): 6 h on the Sunday, 7.5 h on Monday, 1.5 h on Tuesday.
    assert due(door, RESOLUTION) == shanghai(2025, 9, 30, 10, 0)
    why = door.clock(RESOLUTION).explain()
    assert [m.day for m in why.calendar_detail.make_up_days] == [pendulum.date(2025, 9, 28)]
    # An ordinary Sunday a week earlier waits for Monday.
    assert due(received("R-007", "P3", shanghai(2025, 9, 21, 10, 0))) == shanghai(
        2025, 9, 22, 17, 30
    )


def test_a_lunch_break_does_not_count() -> None:
    """A lift fault reported at 11:00 (急): 4 service hours to fix skip 12:00–13:30."""
    lift = received("R-008", "P2", shanghai(2026, 3, 2, 11, 0))
    assert due(lift, RESOLUTION) == shanghai(2026, 3, 2, 16, 30)
    windows = lift.clock(RESOLUTION).explain().calendar_detail.windows
    assert [(w.start.format("HH:mm"), w.end.format("HH:mm")) for w in windows] == [
        ("11:00", "12:00"),
        ("13:30", "16:30"),
    ]


def test_an_overnight_shift() -> None:
    """The night team gets two hours of night work for a corridor light at 05:30.

    Half an hour is left of Monday night's shift (22:00–06:00); the rest is done on the next
    night, so it is due at 23:30 on Monday.
    """
    light = Target(TargetKind.RESOLUTION, Within(2 * 3600, NIGHT.name))
    policy = SUNRISE.with_target("P3", light)
    clocks = RequestClocks.open("R-009", "P3", policy, CALENDARS).apply(
        Started(shanghai(2026, 3, 2, 5, 30), "值班员")
    )
    assert due(clocks, RESOLUTION) == shanghai(2026, 3, 2, 23, 30)
    paused = clocks.apply(
        Paused(shanghai(2026, 3, 2, 22, 0), "值班员", "等待物业电工", targets={RESOLUTION})
    ).apply(Resumed(shanghai(2026, 3, 2, 22, 20), "值班员", targets={RESOLUTION}))
    assert due(paused, RESOLUTION) == shanghai(2026, 3, 2, 23, 50)


def test_two_pauses_one_of_them_at_night() -> None:
    """A leaking radiator (急), resolved over two days with two pauses.

    Paused 10:00–11:00 for parts (an hour of service time), and 18:00–08:00 while the resident
    is away overnight, which costs nothing: the desk is closed then anyway.
    """
    radiator = received("R-010", "P2", shanghai(2026, 3, 2, 9, 0))
    radiator = radiator.apply(Stopped(shanghai(2026, 3, 2, 9, 12), "李师傅", targets={RESPONSE}))
    assert due(radiator, RESOLUTION) == shanghai(2026, 3, 2, 14, 30)
    radiator = radiator.apply(Paused(shanghai(2026, 3, 2, 10), "李师傅", "等待配件"))
    radiator = radiator.apply(Resumed(shanghai(2026, 3, 2, 11), "李师傅"))
    assert due(radiator, RESOLUTION) == shanghai(2026, 3, 2, 15, 30)
    radiator = radiator.apply(Paused(shanghai(2026, 3, 2, 18), "李师傅", "业主不在家"))
    radiator = radiator.apply(Resumed(shanghai(2026, 3, 3, 8), "李师傅"))
    assert due(radiator, RESOLUTION) == shanghai(2026, 3, 2, 15, 30)  # already breached
    clock = radiator.clock(RESOLUTION)
    assert clock.consumed == 3600 + 5 * 3600  # 09:00–10:00, then 11:00–12:00 and 13:30–17:30
    assert clock.failed_by(shanghai(2026, 3, 3, 9)) == 2 * 3600 + 30 * 60
    assert len(clock.explain().pauses) == 2
    done = radiator.apply(Stopped(shanghai(2026, 3, 3, 9, 0), "李师傅"))
    assert done.clock(RESOLUTION).met is False


def test_a_priority_raised_after_5_minutes() -> None:
    """A 一般 'strange smell' turns out to be gas: raised to 特急 after 5 minutes.

    The community keeps the time used (the default policy): 5 of the 10 minutes are gone, so
    the plumber must be on site by 09:10, not 09:15.
    """
    smell = received("R-011", "P3", shanghai(2026, 3, 2, 9, 0))
    assert due(smell) == shanghai(2026, 3, 2, 17, 30)
    gas = smell.apply(
        PriorityChanged(shanghai(2026, 3, 2, 9, 5), "主管张经理", "确认燃气泄漏", priority="P1")
    )
    assert due(gas) == shanghai(2026, 3, 2, 9, 10)
    # The resolution target keeps its 5 minutes too: 4 service hours from 09:00.
    assert due(gas, RESOLUTION) == shanghai(2026, 3, 2, 14, 30)
    assert gas.clock(RESPONSE).explain().changes[0].target.spec == Within(600, "24x7")
    assert gas.rebuilt() == gas


def test_a_reopen() -> None:
    """A blocked drain is cleared, but the resident calls back: it is blocked again.

    The SUNRISE policy continues the same cycle: the time the request was closed does not count,
    the time already used does.
    """
    drain = received("R-012", "P2", shanghai(2026, 3, 2, 9, 0))
    drain = drain.apply(Stopped(shanghai(2026, 3, 2, 9, 10), "李师傅", targets={RESPONSE}))
    drain = drain.apply(Stopped(shanghai(2026, 3, 2, 11, 0), "李师傅"))
    assert drain.clock(RESOLUTION).met is True
    again = drain.apply(Reopened(shanghai(2026, 3, 2, 15, 0), "客服小王", "业主反映再次堵塞"))
    assert again.clock(RESPONSE).state is ClockState.RUNNING  # someone must respond again
    assert due(again, RESOLUTION) == shanghai(2026, 3, 2, 17, 0)  # 2 of 4 hours left
    with pytest.raises(InvalidTransition, match="no target of request R-012 can reopen"):
        again.apply(Reopened(shanghai(2026, 3, 2, 15, 1), "客服小王", "again"))
    fixed = again.apply(Stopped(shanghai(2026, 3, 2, 15, 10), "李师傅", targets={RESPONSE}))
    fixed = fixed.apply(Stopped(shanghai(2026, 3, 2, 16, 0), "李师傅"))
    (record,) = [
        r for r in records_of(fixed, as_of=shanghai(2026, 3, 2, 18)) if r.kind is RESOLUTION
    ]
    assert (record.status, record.reopens, record.used_seconds) == (RecordStatus.MET, 1, 3 * 3600)

    # Another community counts a reopen as a new cycle: two outcomes, both reported.
    new_cycle = drain.apply(
        Reopened(
            shanghai(2026, 3, 2, 15, 0),
            "客服小王",
            "业主反映再次堵塞",
            policy=ReopenPolicy.NEW_CYCLE,
        )
    )
    assert due(new_cycle, RESOLUTION) == shanghai(2026, 3, 3, 10, 0)  # 4 full hours again
    assert [o.met for o in new_cycle.clock(RESOLUTION).outcomes] == [True]


def test_end_of_day_alerts_and_attainment() -> None:
    """At 17:30 the supervisor polls the day's alerts and reads the attainment report."""
    day = shanghai(2026, 3, 2, 0, 0)
    requests = [
        received("R-101", "P1", day.add(hours=9)).apply(
            Stopped(day.add(hours=9, minutes=7), "李师傅", targets={RESPONSE})
        ),
        received("R-102", "P2", day.add(hours=10)).apply(
            Stopped(day.add(hours=10, minutes=20), "王师傅", targets={RESPONSE})
        ),
        received("R-103", "P3", day.add(hours=11)),
    ]
    alerts, sent = poll_alerts(requests, day.add(hours=17, minutes=30))
    breaches = [(a.request_id, a.kind) for a in alerts if a.crossing is Crossing.BREACHED]
    assert breaches == [
        ("R-102", RESPONSE),  # on site after 20 minutes
        ("R-101", RESOLUTION),  # not fixed by 14:30
        ("R-102", RESOLUTION),  # not fixed by 15:30
    ]
    assert {a.request_id for a in alerts if a.crossing is Crossing.WARNING} == {
        "R-102",
        "R-101",
        "R-103",
    }
    assert next_action_at(requests[2], sent=sent) == shanghai(2026, 3, 3, 8, 30)  # breach
    records = [
        r
        for clocks in requests
        for r in records_of(clocks, as_of=day.add(hours=17, minutes=30), team="A")
        if r.kind is RESPONSE
    ]
    (row,) = attainment(records, by=[ReportDimension.TEAM])
    assert (row.met, row.breached, row.open) == (1, 1, 1)
    assert str(row.percent_met) == "50.0"
    assert [r.request_id for r in row.breaches] == ["R-102"]


def test_a_planned_water_outage_needs_24_hours_notice() -> None:
    """Tank cleaning is announced at 10:00 for 09:00 the next day: 23 hours is not enough."""
    tank = PlannedOutage(
        Utility.WATER,
        "3号楼",
        starts_at=shanghai(2026, 7, 2, 9),
        ends_at=shanghai(2026, 7, 2, 13),
        announced_at=shanghai(2026, 7, 1, 10),
        reason="二次供水水箱清洗",
    )
    with pytest.raises(OutageNoticeTooShort, match="23 hours ahead"):
        DEFAULT_OUTAGE_NOTICE.check(tank)
    burst = PlannedOutage(
        Utility.WATER,
        "3号楼",
        starts_at=shanghai(2026, 7, 1, 10, 30),
        ends_at=shanghai(2026, 7, 1, 14),
        announced_at=shanghai(2026, 7, 1, 10),
        reason="主水管爆裂抢修",
        emergency=True,
    )
    assert DEFAULT_OUTAGE_NOTICE.check(burst).rule is NoticeRule.EMERGENCY
