"""Complaint and repair scenarios that read like the domain brief (§3–§4, issue 7).

The SUNRISE community (阳光花园) accepts every request centrally at customer service (§4): a
24-hour hotline and a counter. Its lifecycle policy is the shipped one with the shipped SLA
response levels (特急 10 minutes, 急 15 minutes, 一般 the same service day, §3), to which SUNRISE
adds targets of its own — the brief gives no numbers for them, so they are named here:

* resolution: 特急 (P1) within 4 hours and 急 (P2) within 8 hours, round the clock; 一般 (P3)
  within 15 service hours (two service days of 08:30–12:00 and 13:30–17:30);
* callback (回访): within 48 hours of each resolution, round the clock.

Every request walks 受理 accept → 处理 handle → 跟踪 track → 回访 call back (§4), with the
principle 有求必应, 有应必解, 有解必答 enforced as guards.
"""

from __future__ import annotations

import attrs
import pendulum
import pytest

from propcrm.classification import (
    Category,
    Location,
    RequesterAttribute,
    RequesterProfile,
    classify,
)
from propcrm.complaints import (
    SYSTEM,
    Action,
    Actor,
    CallbackOutcome,
    HoldReason,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Request,
    RequestKind,
    Role,
    State,
)
from propcrm.errors import GuardRefused, IllegalTransition
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    ClockState,
    SlaPolicy,
    Target,
    TargetKind,
    Within,
)

TZ = "Asia/Shanghai"
HOUR = 3600
MINUTE = 60

# SUNRISE's own targets (not in the brief): explicit, named, used below.
SUNRISE_RESOLUTION = {
    "P1": Within(4 * HOUR, HOTLINE_CALENDAR),
    "P2": Within(8 * HOUR, HOTLINE_CALENDAR),
    "P3": Within(15 * HOUR, SERVICE_CALENDAR),
}
SUNRISE_CALLBACK = Within(48 * HOUR, HOTLINE_CALENDAR)


def _sunrise_sla() -> SlaPolicy:
    sla = DEFAULT_SLA_POLICY
    for priority, resolution in SUNRISE_RESOLUTION.items():
        sla = sla.with_target(priority, Target(TargetKind.RESOLUTION, resolution))
        sla = sla.with_target(
            priority, Target(TargetKind.CALLBACK, SUNRISE_CALLBACK, starts_with_request=False)
        )
    return attrs.evolve(sla, name="SUNRISE")


SUNRISE = LifecyclePolicy(sla=_sunrise_sla())

# The people at SUNRISE's service desk.
XIAO_WANG = Actor("KF-01", Role.AGENT)  # night-shift hotline agent
XIAO_LI = Actor("KF-02", Role.AGENT)  # day-shift agent who makes the callbacks
DISPATCHER = Actor("DD-01", Role.DISPATCHER)
MASTER_LI = Actor("W-07", Role.HANDLER)  # the night plumber, 李师傅
STEWARD_ZHAO = Actor("GJ-03", Role.HANDLER)  # the building steward, 赵管家
SUPERVISOR_ZHANG = Actor("ZG-01", Role.SUPERVISOR)


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    """An instant in November 2026 (Tuesday 24th to Thursday 26th are working days)."""
    return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)


# -- (a) a leaking pipe reported at night ---------------------------------------------------

LEAK = Intake(
    request_id="R-0001",
    kind=RequestKind.REPAIR,
    requester="P-301",
    unit="1-2-0301",
    channel=IntakeChannel.HOTLINE,
    category=Category.WATER_LEAK,
    location=Location.IN_HOME,
    description="厨房水管漏水，水流不止",
    remedy_sought="尽快上门维修",
    requester_profile=RequesterProfile.of(RequesterAttribute.ELDERLY_LIVING_ALONE),
)


def night_leak() -> Request:
    """23:40, hotline, an elderly resident living alone: the leak, start to close."""
    leak = Request.receive(LEAK, XIAO_WANG, at(24, 23, 40), SUNRISE)
    leak = leak.take(Action.ACKNOWLEDGE, XIAO_WANG, at(24, 23, 41))
    leak = leak.take(Action.ASSESS, XIAO_WANG, at(24, 23, 42))
    leak = leak.take(
        Action.ESCALATE, XIAO_WANG, at(24, 23, 43), level=1, reason="夜间漏水，独居老人"
    )
    leak = leak.take(Action.DISPATCH, DISPATCHER, at(24, 23, 44), assignee="W-07", team="水电班")
    leak = leak.take(Action.START, MASTER_LI, at(24, 23, 49), note="已到现场，关闭进户阀")
    leak = leak.take(
        Action.HOLD,
        MASTER_LI,
        at(25, 0, 30),
        hold_reason=HoldReason.WAITING_FOR_PARTS,
        note="三角阀需更换，夜间无配件",
    )
    leak = leak.take(Action.RESUME, MASTER_LI, at(25, 8, 30), note="配件已到")
    leak = leak.take(Action.RESOLVE, MASTER_LI, at(25, 9, 30), note="更换三角阀")
    leak = leak.take(
        Action.CALL_BACK,
        XIAO_LI,
        at(25, 14, 0),
        outcome=CallbackOutcome.DISSATISFIED,
        score=2,
        note="接口仍有渗水",
    )
    leak = leak.take(Action.START, MASTER_LI, at(25, 14, 20))
    leak = leak.take(Action.RESOLVE, MASTER_LI, at(25, 15, 0), note="重新密封接口")
    leak = leak.take(
        Action.CALL_BACK, XIAO_LI, at(26, 10, 0), outcome=CallbackOutcome.SATISFIED, score=5
    )
    return leak.take(Action.CLOSE, XIAO_LI, at(26, 10, 1))


def test_the_night_leak_is_extra_urgent_because_the_resident_is_elderly_and_alone() -> None:
    leak = Request.receive(LEAK, XIAO_WANG, at(24, 23, 40), SUNRISE)
    why = classify(leak.facts, SUNRISE.rules)
    # A leak in a home is 急 (P2); an elderly person living alone raises it one level to 特急.
    assert why.rule.name == "leak-in-home"
    assert why.base_priority.code == "P2"
    assert why.raised_by is not None
    assert why.raised_by.name == "elderly-alone-at-home"
    assert leak.priority == "P1"
    # The receipt records the priority and the rule set it came from, for replay.
    receipt = leak.history[0]
    assert receipt.data.priority == "P1"
    assert receipt.data.classified_by is not None
    assert "leak-in-home" in receipt.data.classified_by
    assert "2026.1" in receipt.data.classified_by


def test_the_receipt_says_the_priority_was_raised_and_by_which_rule() -> None:
    leak = Request.receive(LEAK, XIAO_WANG, at(24, 23, 40), SUNRISE)
    classified_by = leak.history[0].data.classified_by
    assert classified_by is not None
    assert "elderly-alone-at-home" in classified_by


def test_the_plumber_was_on_site_within_the_ten_minutes_of_an_extra_urgent_repair() -> None:
    response = night_leak().clocks.clock(TargetKind.RESPONSE)
    assert response.deadline == at(24, 23, 50)  # 特急: 10 minutes, round the clock (§3)
    assert response.state is ClockState.STOPPED
    assert response.stopped_at == at(24, 23, 49)  # the start step: on site
    assert response.met is True
    assert response.consumed == 9 * MINUTE


def test_the_night_leak_was_escalated_once_and_dispatched_to_the_night_plumber() -> None:
    leak = night_leak()
    assert leak.escalation_level == 1
    escalation = next(s for s in leak.history if s.action is Action.ESCALATE)
    assert escalation.data.reason == "夜间漏水，独居老人"
    assert [(a.assignee, a.team, a.by) for a in leak.assignments] == [
        ("W-07", "水电班", DISPATCHER)
    ]


def test_waiting_for_parts_does_not_count_against_the_resolution_target() -> None:
    leak = night_leak()
    resolution = leak.clocks.clock(TargetKind.RESOLUTION)
    pause = resolution.pauses[0]
    assert (pause.since, pause.until, pause.reason) == (
        at(25, 0, 30),
        at(25, 8, 30),
        HoldReason.WAITING_FOR_PARTS.value,
    )
    # 23:40–00:30 and 08:30–09:30 the first time; 14:00–15:00 after the reopen (the reopen
    # policy continues the cycle): 50 + 60 + 60 minutes of the 4 hours.
    assert resolution.consumed == (50 + 60 + 60) * MINUTE
    assert resolution.met is True
    assert resolution.reopens == 1
    # Without the pause the first resolution alone (09:30 after 23:40) would have missed.
    assert at(25, 9, 30) > at(24, 23, 40).add(seconds=SUNRISE_RESOLUTION["P1"].seconds)


def test_the_dissatisfied_callback_reopens_the_leak_automatically_by_system() -> None:
    leak = night_leak()
    callback_at = at(25, 14, 0)
    after_callback = [s for s in leak.history if s.at == callback_at]
    assert [(s.action, s.actor) for s in after_callback] == [
        (Action.CALL_BACK, XIAO_LI),
        (Action.REOPEN, SYSTEM),
    ]
    assert "dissatisfied" in (after_callback[1].data.reason or "")
    assert leak.reopens == 1


def test_each_resolution_of_the_leak_owes_its_own_callback() -> None:
    leak = night_leak()
    assert [(c.outcome, c.score, c.actor, c.at) for c in leak.callbacks] == [
        (CallbackOutcome.DISSATISFIED, 2, XIAO_LI, at(25, 14, 0)),
        (CallbackOutcome.SATISFIED, 5, XIAO_LI, at(26, 10, 0)),
    ]
    callback = leak.clocks.clock(TargetKind.CALLBACK)
    assert callback.cycle == 2
    (first,) = callback.outcomes
    assert (first.started_at, first.stopped_at, first.met) == (at(25, 9, 30), at(25, 14, 0), True)
    second = callback.outcome()
    assert second is not None
    assert (second.started_at, second.stopped_at, second.met) == (
        at(25, 15, 0),
        at(26, 10, 0),
        True,
    )


def test_the_leak_closes_with_a_resolution_and_a_callback_and_every_step_is_on_record() -> None:
    leak = night_leak()
    assert leak.state is State.CLOSED
    assert leak.resolution == "重新密封接口"
    assert leak.callback is not None
    assert leak.callback.outcome is CallbackOutcome.SATISFIED
    assert [(s.action, s.actor, s.at) for s in leak.history] == [
        (Action.RECEIVE, XIAO_WANG, at(24, 23, 40)),
        (Action.ACKNOWLEDGE, XIAO_WANG, at(24, 23, 41)),
        (Action.ASSESS, XIAO_WANG, at(24, 23, 42)),
        (Action.ESCALATE, XIAO_WANG, at(24, 23, 43)),
        (Action.DISPATCH, DISPATCHER, at(24, 23, 44)),
        (Action.START, MASTER_LI, at(24, 23, 49)),
        (Action.HOLD, MASTER_LI, at(25, 0, 30)),
        (Action.RESUME, MASTER_LI, at(25, 8, 30)),
        (Action.RESOLVE, MASTER_LI, at(25, 9, 30)),
        (Action.CALL_BACK, XIAO_LI, at(25, 14, 0)),
        (Action.REOPEN, SYSTEM, at(25, 14, 0)),
        (Action.START, MASTER_LI, at(25, 14, 20)),
        (Action.RESOLVE, MASTER_LI, at(25, 15, 0)),
        (Action.CALL_BACK, XIAO_LI, at(26, 10, 0)),
        (Action.CLOSE, XIAO_LI, at(26, 10, 1)),
    ]
    replayed = Request.replay(leak.history, SUNRISE)
    assert replayed == leak
    assert replayed.clocks == leak.clocks


def test_the_leak_cannot_close_before_it_is_called_back() -> None:
    leak = night_leak()
    resolved = Request.replay(leak.history[:9], SUNRISE)
    assert resolved.state is State.RESOLVED
    with pytest.raises(IllegalTransition, match="cannot close; from resolved it can: call_back"):
        resolved.take(Action.CLOSE, XIAO_LI, at(25, 10, 0))


# -- (b) noise from a neighbour's renovation, sent to mediation -----------------------------

MEDIATION_COMMITTEE = "街道人民调解委员会"

NOISE = Intake(
    request_id="R-0002",
    kind=RequestKind.COMPLAINT,
    requester="P-502",
    unit="3-1-1502",
    channel=IntakeChannel.COUNTER,
    category=Category.NOISE,
    location=Location.IN_HOME,
    description="楼上装修噪音，中午和周末也施工",
    remedy_sought="规定施工时间",
)


def renovation_noise() -> Request:
    """A day-time noise complaint the steward cannot settle, mediated by the street committee."""
    noise = Request.receive(NOISE, XIAO_LI, at(24, 10, 0), SUNRISE)
    noise = noise.take(Action.ACKNOWLEDGE, XIAO_LI, at(24, 10, 2))
    noise = noise.take(Action.ASSESS, XIAO_LI, at(24, 10, 5))
    noise = noise.take(Action.DISPATCH, DISPATCHER, at(24, 10, 10), assignee="GJ-03")
    noise = noise.take(Action.START, STEWARD_ZHAO, at(24, 11, 0), note="上门与楼上业主沟通")
    noise = noise.take(
        Action.REFER_TO_MEDIATION,
        SUPERVISOR_ZHANG,
        at(24, 15, 0),
        referral=MEDIATION_COMMITTEE,
        reason="双方协商未果，邻里纠纷",
    )
    noise = noise.take(
        Action.RESOLVE,
        SUPERVISOR_ZHANG,
        at(26, 16, 0),
        note="经调解，双方约定工作日8:00-12:00、14:00-18:00施工",
    )
    noise = noise.take(
        Action.CALL_BACK, XIAO_LI, at(27, 10, 0), outcome=CallbackOutcome.SATISFIED, score=4
    )
    return noise.take(Action.CLOSE, XIAO_LI, at(27, 10, 5))


def test_the_renovation_noise_is_general_by_day() -> None:
    noise = renovation_noise()
    assert noise.priority == "P3"
    assert classify(noise.facts, SUNRISE.rules).rule.name == "noise"


def test_mediation_by_the_street_committee_pauses_the_sla() -> None:
    noise = renovation_noise()
    mediation = next(s for s in noise.history if s.action is Action.REFER_TO_MEDIATION)
    assert mediation.actor == SUPERVISOR_ZHANG
    assert noise.referral == MEDIATION_COMMITTEE
    resolution = noise.clocks.clock(TargetKind.RESOLUTION)
    (pause,) = resolution.pauses
    assert (pause.since, pause.until) == (at(24, 15, 0), at(26, 16, 0))
    assert MEDIATION_COMMITTEE in pause.reason
    # Service hours until the referral: 10:00–12:00 and 13:30–15:00 on the 24th. The two days
    # of mediation would have used the 15 service hours up; paused, they count for nothing.
    assert resolution.consumed == (2 * HOUR) + (90 * MINUTE)
    assert resolution.met is True


def test_the_mediated_complaint_is_called_back_satisfied_and_closed() -> None:
    noise = renovation_noise()
    assert noise.state is State.CLOSED
    assert noise.resolution is not None
    assert "调解" in noise.resolution
    assert noise.callback is not None
    assert (noise.callback.outcome, noise.callback.score) == (CallbackOutcome.SATISFIED, 4)
    assert noise.reopens == 0
    assert [s.state for s in _states(noise)] == [
        State.RECEIVED,
        State.ACKNOWLEDGED,
        State.ASSESSED,
        State.DISPATCHED,
        State.IN_PROGRESS,
        State.IN_MEDIATION,
        State.RESOLVED,
        State.CALLED_BACK,
        State.CLOSED,
    ]
    response = noise.clocks.clock(TargetKind.RESPONSE)
    assert response.met is True  # the steward was there the same service day
    assert Request.replay(noise.history, SUNRISE) == noise


def _states(request: Request) -> list[Request]:
    """The request after each step of its history."""
    return [
        Request.replay(request.history[: n + 1], request.policy)
        for n in range(len(request.history))
    ]


def test_only_a_complaint_goes_to_mediation() -> None:
    leak = Request.replay(night_leak().history[:6], SUNRISE)
    assert leak.state is State.IN_PROGRESS
    with pytest.raises(IllegalTransition, match="repair request in state in_progress"):
        leak.take(
            Action.REFER_TO_MEDIATION,
            SUPERVISOR_ZHANG,
            at(24, 23, 59),
            referral=MEDIATION_COMMITTEE,
            reason="x",
        )


# -- (c) an enquiry answered at the desk --------------------------------------------------------


def test_an_enquiry_is_answered_at_the_desk_without_dispatch() -> None:
    enquiry = Request.receive(
        Intake(
            request_id="R-0003",
            kind=RequestKind.ENQUIRY,
            requester="P-301",
            channel=IntakeChannel.COUNTER,
            category=Category.OTHER,
            description="请问物业费可以用微信缴纳吗",
        ),
        XIAO_LI,
        at(24, 10, 0),
        SUNRISE,
    )
    enquiry = enquiry.take(Action.ACKNOWLEDGE, XIAO_LI, at(24, 10, 0))
    enquiry = enquiry.take(Action.ASSESS, XIAO_LI, at(24, 10, 1))
    enquiry = enquiry.take(
        Action.RESOLVE, XIAO_LI, at(24, 10, 3), note="可以，关注物业公众号即可缴费"
    )
    enquiry = enquiry.take(
        Action.CALL_BACK, XIAO_LI, at(24, 10, 4), outcome=CallbackOutcome.SATISFIED, score=5
    )
    enquiry = enquiry.take(Action.CLOSE, XIAO_LI, at(24, 10, 4))
    assert enquiry.state is State.CLOSED
    assert enquiry.assignee is None
    assert enquiry.assignments == ()
    assert {s.actor for s in enquiry.history} == {XIAO_LI}
    response = enquiry.clocks.clock(TargetKind.RESPONSE)
    assert response.met is True  # 一般: the same service day; answered in three minutes
    assert enquiry.clocks.clock(TargetKind.RESOLUTION).consumed == 3 * MINUTE


def test_a_repair_is_not_answered_at_the_desk() -> None:
    leak = Request.replay(night_leak().history[:3], SUNRISE)
    assert leak.state is State.ASSESSED
    with pytest.raises(IllegalTransition, match="repair request in state assessed cannot resolve"):
        leak.take(Action.RESOLVE, XIAO_WANG, at(24, 23, 45), note="x")


# -- (d) a matter for the power utility -----------------------------------------------------


def test_a_request_for_the_power_utility_is_rejected_with_a_referral_and_nothing_follows() -> None:
    meter = Request.receive(
        Intake(
            request_id="R-0004",
            kind=RequestKind.REPAIR,
            requester="P-502",
            unit="3-1-1502",
            channel=IntakeChannel.HOTLINE,
            category=Category.OTHER,
            description="户内电表显示欠费，要求物业恢复供电",
        ),
        XIAO_LI,
        at(24, 9, 0),
        SUNRISE,
    )
    meter = meter.take(Action.ACKNOWLEDGE, XIAO_LI, at(24, 9, 1))
    meter = meter.take(
        Action.REJECT,
        XIAO_LI,
        at(24, 9, 5),
        reason="电表欠费停电由供电公司处理，非物业服务范围",
        referral="国网供电公司 95598",
    )
    assert meter.state is State.REJECTED
    assert meter.is_final
    assert meter.referral == "国网供电公司 95598"
    assert meter.allowed_actions == ()
    assert meter.clocks.cancelled
    with pytest.raises(IllegalTransition, match=r"it can: none \(final\)"):
        meter.take(Action.REOPEN, Actor("P-502", Role.REQUESTER), at(24, 10, 0), reason="x")


# -- (e) a duplicate ----------------------------------------------------------------------------


def test_a_second_call_about_the_same_leak_is_marked_a_duplicate_of_the_first() -> None:
    again = Request.receive(
        attrs.evolve(LEAK, request_id="R-0005", requester="P-302", unit="1-2-0201"),
        XIAO_WANG,
        at(24, 23, 55),
        SUNRISE,
    )
    with pytest.raises(GuardRefused, match="duplicate of itself"):
        again.take(
            Action.MARK_DUPLICATE,
            XIAO_WANG,
            at(24, 23, 56),
            reason="同一漏水",
            duplicate_of="R-0005",
        )
    again = again.take(
        Action.MARK_DUPLICATE,
        XIAO_WANG,
        at(24, 23, 56),
        reason="楼下住户反映同一处漏水，已在R-0001处理",
        duplicate_of="R-0001",
    )
    assert again.state is State.DUPLICATE
    assert again.duplicate_of == "R-0001"
    assert again.is_final
    assert again.clocks.cancelled
