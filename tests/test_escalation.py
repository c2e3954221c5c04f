"""Tests for sla._escalation: thresholds, next_action_at and polling for alerts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.errors import InvalidPolicy
from propcrm.sla import (
    DEFAULT_ESCALATION,
    DEFAULT_SLA_POLICY,
    AlertLedger,
    BusinessCalendar,
    CalendarSet,
    Crossing,
    EscalationChannel,
    EscalationLevel,
    EscalationPolicy,
    Paused,
    PriorityChanged,
    PriorityChangePolicy,
    Reopened,
    ReopenPolicy,
    RequestClocks,
    Reset,
    Resumed,
    Started,
    Stopped,
    Target,
    TargetKind,
    Within,
    next_action_at,
    poll_alerts,
)
from propcrm.sla._escalation import (
    DEFAULT_ESCALATION_LEVELS,
    DEFAULT_WARNING_FRACTION,
    alert_thresholds,
)
from propcrm.testing._sla_clock_strategies import sla_request_event_sequences

TZ = "Asia/Shanghai"
SERVICE = BusinessCalendar.china_service_hours()
CALENDARS = CalendarSet([BusinessCalendar.always(), SERVICE])
RESPONSE = TargetKind.RESPONSE


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, second, tz=TZ)


def request(
    priority: str = "P1", request_id: str = "R-1", policy: Any = DEFAULT_SLA_POLICY
) -> RequestClocks:
    return RequestClocks.open(request_id, priority, policy, CALENDARS).apply(
        Started(at(2, 9), "客服")
    )


def crossings(alerts: tuple[Any, ...]) -> list[tuple[str, int | None, str]]:
    return [(a.crossing.value, a.level, a.due_at.format("DD HH:mm:ss")) for a in alerts]


# -- the policy ---------------------------------------------------------------------------------


def test_the_default_policy_warns_at_80_percent_and_escalates_three_levels() -> None:
    assert Decimal("0.8") == DEFAULT_WARNING_FRACTION
    assert DEFAULT_ESCALATION.warning_fraction == DEFAULT_WARNING_FRACTION
    assert [(lv.level, lv.role, lv.offset_seconds) for lv in DEFAULT_ESCALATION_LEVELS] == [
        (1, "supervisor", 0),
        (2, "manager", 1800),
        (3, "general manager", 7200),
    ]
    assert DEFAULT_ESCALATION.warning_channels == {EscalationChannel.WECHAT}
    assert DEFAULT_ESCALATION.breach_channels == {EscalationChannel.SMS, EscalationChannel.WECHAT}


@pytest.mark.parametrize(("budget", "warning"), [(600, 480), (900, 720), (7, 5), (0, 0), (1, 0)])
def test_the_warning_is_the_fraction_of_the_budget_rounded_down(budget: int, warning: int) -> None:
    assert DEFAULT_ESCALATION.warning_seconds(budget) == warning


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: EscalationPolicy(warning_fraction=Decimal(1)), "between 0 and 1"),
        (lambda: EscalationPolicy(warning_fraction=0.8), "between 0 and 1"),
        (lambda: EscalationPolicy(levels=[EscalationLevel(2, "manager", 0)]), "numbered"),
        (
            lambda: EscalationPolicy(
                levels=[EscalationLevel(1, "a", 600), EscalationLevel(2, "b", 0)]
            ),
            "must not decrease",
        ),
        (lambda: EscalationLevel(0, "a", 0), "from 1 up"),
        (lambda: EscalationLevel(1, "", 0), "needs a role"),
        (lambda: EscalationLevel(1, "a", 1.5), "whole business seconds"),
        (lambda: EscalationLevel(1, "a", 0, channels=["sms"]), "EscalationChannel values"),
    ],
)
def test_malformed_escalation_policies_are_refused(build: Any, message: str) -> None:
    with pytest.raises(InvalidPolicy, match=message):
        build()


# -- thresholds and next_action_at --------------------------------------------------------------


def test_thresholds_of_an_extra_urgent_request() -> None:
    found = alert_thresholds(request().clock(RESPONSE))
    assert [(t.crossing, t.level, t.role, t.seconds, t.at) for t in found] == [
        (Crossing.WARNING, None, None, 480, at(2, 9, 8)),
        (Crossing.BREACHED, None, None, 600, at(2, 9, 10)),
        (Crossing.ESCALATED, 1, "supervisor", 600, at(2, 9, 10)),
        (Crossing.ESCALATED, 2, "manager", 2400, at(2, 9, 40)),
        (Crossing.ESCALATED, 3, "general manager", 7800, at(2, 11, 10)),
    ]


def test_an_escalation_before_the_breach_and_one_further_before_than_the_budget() -> None:
    policy = EscalationPolicy(
        levels=[EscalationLevel(1, "supervisor", -1200), EscalationLevel(2, "manager", -120)]
    )
    found = alert_thresholds(request().clock(RESPONSE), policy)
    assert [t.at for t in found if t.crossing is Crossing.ESCALATED] == [at(2, 9), at(2, 9, 8)]


def test_next_action_at_is_the_earliest_threshold_not_yet_sent() -> None:
    clocks = request()
    assert next_action_at(clocks) == at(2, 9, 8)
    _alerts, sent = poll_alerts([clocks], at(2, 9, 9))
    assert next_action_at(clocks, sent=sent) == at(2, 9, 10)
    _alerts, sent = poll_alerts([clocks], at(2, 12), sent=sent)
    assert next_action_at(clocks, sent=sent) is None


def test_a_met_request_has_nothing_left_to_do() -> None:
    clocks = request().apply(Stopped(at(2, 9, 7), "李师傅"))
    assert next_action_at(clocks) is None
    assert poll_alerts([clocks], at(2, 12)) == ((), AlertLedger())


def test_a_paused_request_has_no_next_action_until_resumed() -> None:
    clocks = request().apply(Paused(at(2, 9, 5), "客服", "业主要求稍后"))
    assert next_action_at(clocks) is None
    resumed = clocks.apply(Resumed(at(2, 9, 30), "客服"))
    assert next_action_at(resumed) == at(2, 9, 33)


def test_a_general_request_warns_and_breaches_in_service_hours() -> None:
    clocks = RequestClocks.open("R-3", "P3", DEFAULT_SLA_POLICY, CALENDARS).apply(
        Started(at(2, 16, 30), "客服")  # after the cut-off: due at the end of Tuesday
    )
    clock = clocks.clock(RESPONSE)
    assert clock.deadline == at(3, 17, 30)
    assert clock.budget == 3600 + 27_000
    found = {t.crossing: t.at for t in alert_thresholds(clock)}
    assert found[Crossing.WARNING] == SERVICE.add(at(2, 16, 30), (3600 + 27_000) * 8 // 10)
    assert found[Crossing.BREACHED] == at(4, 8, 30)  # the deadline ends a window: next morning


# -- polling ------------------------------------------------------------------------------------


def test_each_crossing_is_sent_once_in_time_order_with_its_channels() -> None:
    gas = request("P1", "R-1")
    leak = request("P2", "R-2")
    alerts, sent = poll_alerts([leak, gas], at(2, 9, 13))
    assert [(a.request_id, a.crossing.value, a.level) for a in alerts] == [
        ("R-1", "warning", None),
        ("R-1", "breached", None),
        ("R-1", "escalated", 1),
        ("R-2", "warning", None),
    ]
    assert alerts[0].channels == {EscalationChannel.WECHAT}
    assert alerts[1].channels == {EscalationChannel.SMS, EscalationChannel.WECHAT}
    assert alerts[2].role == "supervisor"
    assert alerts[1].deadline == at(2, 9, 10)
    assert alerts[1].priority == "P1"
    again, sent = poll_alerts([leak, gas], at(2, 9, 14), sent=sent)
    assert again == ()
    later, _ = poll_alerts([leak, gas], at(2, 9, 16), sent=sent)
    assert [(a.request_id, a.crossing.value, a.level) for a in later] == [
        ("R-2", "breached", None),
        ("R-2", "escalated", 1),
    ]


def test_a_crossing_reached_before_a_late_stop_is_still_reported() -> None:
    clocks = request().apply(Stopped(at(2, 9, 12), "李师傅"))
    alerts, _ = poll_alerts([clocks], at(2, 9, 30))
    assert crossings(alerts) == [
        ("warning", None, "02 09:08:00"),
        ("breached", None, "02 09:10:00"),
        ("escalated", 1, "02 09:10:00"),
    ]


def test_a_pause_moves_the_thresholds_ahead_but_never_resends_one() -> None:
    clocks = request("P2")
    warned, sent = poll_alerts([clocks], at(2, 9, 12))
    assert crossings(warned) == [("warning", None, "02 09:12:00")]
    clocks = clocks.apply(Paused(at(2, 9, 13), "客服", "业主不在家")).apply(
        Resumed(at(2, 10), "客服")
    )
    assert next_action_at(clocks, sent=sent) == at(2, 10, 2)  # 2 minutes were left
    alerts, _ = poll_alerts([clocks], at(2, 10, 5), sent=sent)
    assert crossings(alerts) == [("breached", None, "02 10:02:00"), ("escalated", 1, "02 10:02:00")]


def test_a_priority_raise_can_cross_thresholds_at_once() -> None:
    clocks = RequestClocks.open("R-5", "P3", DEFAULT_SLA_POLICY, CALENDARS).apply(
        Started(at(2, 9), "客服")
    )
    raised = clocks.apply(PriorityChanged(at(2, 9, 9), "主管", "燃气味", priority="P1"))
    assert next_action_at(raised) == at(2, 9, 8)  # already past: poll now
    alerts, _ = poll_alerts([raised], at(2, 9, 9))
    assert crossings(alerts) == [("warning", None, "02 09:08:00")]


def test_a_reset_or_a_new_cycle_is_a_new_measurement_with_its_own_alerts() -> None:
    update = Target(TargetKind.UPDATE, Within(3600, "24x7"))
    policy = DEFAULT_SLA_POLICY.with_target("P2", update)
    clocks = request("P2", policy=policy).apply(Stopped(at(2, 9, 10), "a", targets={RESPONSE}))
    first, sent = poll_alerts([clocks], at(2, 9, 50))
    assert [(a.kind, a.crossing, a.epoch) for a in first] == [
        (TargetKind.UPDATE, Crossing.WARNING, 1)
    ]
    clocks = clocks.apply(Reset(at(2, 9, 55), "客服", "已通报进度"))
    second, sent = poll_alerts([clocks], at(2, 10, 45), sent=sent)
    assert [(a.kind, a.crossing, a.epoch) for a in second] == [
        (TargetKind.UPDATE, Crossing.WARNING, 2)
    ]
    reopened = request().apply(Stopped(at(2, 9, 12), "a"))
    late, sent = poll_alerts([reopened], at(2, 9, 20))
    assert [a.crossing for a in late] == [Crossing.WARNING, Crossing.BREACHED, Crossing.ESCALATED]
    reopened = reopened.apply(
        Reopened(at(2, 10), "客服", "仍有燃气味", policy=ReopenPolicy.NEW_CYCLE)
    )
    alerts, _ = poll_alerts([reopened], at(2, 10, 9), sent=sent)
    assert [(a.crossing, a.cycle) for a in alerts] == [(Crossing.WARNING, 2)]


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=40)
@given(
    sla_request_event_sequences(max_events=8, max_gap_seconds=6 * 3600),
    st.lists(st.integers(min_value=0, max_value=12 * 3600), min_size=1, max_size=4),
)
def test_polling_in_any_steps_sends_each_crossing_once(events: Any, steps: list[int]) -> None:
    clocks = RequestClocks.replay("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS, events)
    now = events[-1].at
    sent = AlertLedger()
    seen: list[Any] = []
    for step in steps:
        now = now.add(seconds=step)
        alerts, sent = poll_alerts([clocks], now, sent=sent)
        assert all(a.due_at <= now for a in alerts)
        seen.extend(a.key for a in alerts)
    assert len(seen) == len(set(seen))
    at_once, _ = poll_alerts([clocks], now)
    assert {a.key for a in at_once} == set(seen)
    upcoming = next_action_at(clocks, sent=sent)
    assert upcoming is None or upcoming > now


@settings(max_examples=40)
@given(sla_request_event_sequences(max_events=8, max_gap_seconds=6 * 3600))
def test_thresholds_come_in_order(events: Any) -> None:
    clocks = RequestClocks.replay("R-1", "P3", DEFAULT_SLA_POLICY, CALENDARS, events)
    for clock in clocks.clocks:
        known = [t.at for t in alert_thresholds(clock) if t.at is not None]
        assert known == sorted(known)


def test_the_change_policy_is_recorded_in_the_request_events() -> None:
    clocks = request("P2").apply(
        PriorityChanged(
            at(2, 9, 5), "主管", "误报", priority="P3", policy=PriorityChangePolicy.RESTART
        )
    )
    clock = clocks.clock(RESPONSE)
    assert clock.epoch == 2  # a new measurement: the P2 thresholds are gone
    assert clock.budget == 24_900  # 09:05 to 17:30 in service hours
    assert next_action_at(clocks) == SERVICE.add(at(2, 9, 5), 19_920) == at(2, 16, 7)
