"""The demo's complaint: one request walked through its whole lifecycle, step by step.

A resident complains on WeChat late one evening that the flat above is still renovating. The
complaint is acknowledged (受理), assessed, dispatched to the customer-service officer of the
building and handled (处理); the supervisor takes it over (升级); the decorator is spoken to and
the complaint resolved. The callback (回访) finds the resident dissatisfied, so the policy reopens
it; the officer goes back with the decorator's signed hours, resolves it again, and the second
callback is satisfied, so it closes. Then the history is replayed, and the SLA clocks explained.

The community's policy adds a resolution target and a callback target to the brief's response
levels: the brief gives no figures for them (§3–§4), so these are the demo community's own.
"""

from __future__ import annotations

import pendulum

from propcrm.classification import Category, Location
from propcrm.complaints import (
    Action,
    Actor,
    CallbackOutcome,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Request,
    RequestKind,
    Role,
    Step,
)
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    Target,
    TargetKind,
    Within,
)
from propcrm.time import DEFAULT_ZONE

__all__ = ["DEMO_POLICY", "run_complaints", "sample_complaint"]

_HOUR = 3600
_RESOLUTION = Target(TargetKind.RESOLUTION, Within(2 * 7 * _HOUR, SERVICE_CALENDAR))
"""Two service days of 7 working hours: the demo community's own resolution target."""
_CALLBACK = Target(
    TargetKind.CALLBACK, Within(24 * _HOUR, HOTLINE_CALENDAR), starts_with_request=False
)
"""A callback within 24 hours of each resolution: the demo community's own."""


def _sla() -> LifecyclePolicy:
    sla = DEFAULT_SLA_POLICY
    for priority in sla.priorities:
        sla = sla.with_target(priority, _RESOLUTION).with_target(priority, _CALLBACK)
    return LifecyclePolicy(sla=sla)


DEMO_POLICY = _sla()
"""The brief's response levels, plus the demo community's resolution and callback targets."""

AGENT = Actor("KF-01 小王", Role.AGENT)
OFFICER = Actor("GJ-03 李管家", Role.HANDLER)
SUPERVISOR = Actor("ZG-01 陈主管", Role.SUPERVISOR)


def _at(day: int, hour: int, minute: int) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=DEFAULT_ZONE)


def sample_complaint() -> Request:
    """The demo's complaint, from receipt to close."""
    complaint = Request.receive(
        Intake(
            request_id="TS-2026-1124-001",
            kind=RequestKind.COMPLAINT,
            requester="P-0301",
            unit="1-2-0301",
            channel=IntakeChannel.WECHAT,
            category=Category.DECORATION_VIOLATION,
            location=Location.IN_HOME,
            description="楼上1-2-0401晚上十点还在装修电钻，影响休息",
            remedy_sought="要求晚上八点后停止施工",
            territory="B1",
        ),
        AGENT,
        _at(23, 22, 15),
        DEMO_POLICY,
    )
    steps: tuple[tuple[Action, Actor, pendulum.DateTime, dict[str, object]], ...] = (
        (Action.ACKNOWLEDGE, AGENT, _at(23, 22, 16), {"note": "已受理，明早处理"}),
        (Action.ASSESS, AGENT, _at(24, 8, 40), {}),
        (Action.DISPATCH, AGENT, _at(24, 8, 45), {"assignee": "GJ-03 李管家", "team": "客服一组"}),
        (Action.START, OFFICER, _at(24, 9, 30), {"note": "上门约谈0401装修负责人"}),
        (
            Action.ESCALATE,
            OFFICER,
            _at(24, 10, 0),
            {"level": 1, "assignee": "ZG-01 陈主管", "reason": "装修户不配合"},
        ),
        (Action.RESOLVE, SUPERVISOR, _at(24, 14, 0), {"note": "装修户承诺晚八点后停工"}),
        (
            Action.CALL_BACK,
            AGENT,
            _at(25, 10, 0),
            {"outcome": CallbackOutcome.DISSATISFIED, "score": 2, "note": "昨晚九点仍在施工"},
        ),
        (Action.START, SUPERVISOR, _at(25, 10, 30), {}),
        (
            Action.RESOLVE,
            SUPERVISOR,
            _at(25, 15, 0),
            {"note": "装修户签署施工时间承诺书，暂扣押金"},
        ),
        (
            Action.CALL_BACK,
            AGENT,
            _at(26, 10, 0),
            {"outcome": CallbackOutcome.SATISFIED, "score": 5, "note": "昨晚已安静"},
        ),
        (Action.CLOSE, AGENT, _at(26, 10, 5), {}),
    )
    for action, actor, at, data in steps:
        complaint = complaint.take(action, actor, at, **data)
    return complaint


def run_complaints(locale: str = "zh_CN") -> str:
    """The complaint's history step by step, the replay check and the SLA clocks."""
    zh = locale.startswith("zh")
    complaint = sample_complaint()
    intake = complaint.intake
    rows = [
        "投诉处理全过程（受理 → 处理 → 跟踪 → 回访）"
        if zh
        else "A complaint from receipt to close (accept → handle → track → call back)",
        (
            f"{complaint.request_id} {intake.kind.label(locale)} · {intake.channel.label(locale)} "
            f"· {intake.category.label(locale)}「{intake.description}」"
        ),
    ]
    for count, step in enumerate(complaint.history, start=1):
        # Each prefix of the history is a request too: replaying it shows the state after it.
        state = Request.replay(complaint.history[:count], DEMO_POLICY).state.label(locale)
        detail = _detail(step, locale)
        rows.append(
            f"  {step.describe(locale)} → {state}"
            + (f"：{detail}" if zh else f": {detail}") * bool(detail)
        )
    replayed = Request.replay(complaint.history, DEMO_POLICY)
    same = replayed == complaint and replayed.clocks == complaint.clocks
    rows.append(
        (f"  按 {len(complaint.history)} 条历史重放：{'一致' if same else '不一致'}")
        if zh
        else f"  replayed from its {len(complaint.history)} steps: "
        + ("identical" if same else "DIFFERENT")
    )
    rows.append("  时限（SLA）：" if zh else "  SLA targets:")
    for clock in complaint.clocks.clocks:
        cycles = [*clock.outcomes, clock.outcome()]
        for cycle in cycles:
            if cycle is None:
                continue
            verdict = ("达成" if zh else "met") if cycle.met else ("超时" if zh else "missed")
            used, budget = cycle.consumed // 60, cycle.budget // 60
            due = cycle.deadline.format("MM-DD HH:mm")
            rows.append(
                f"    {clock.kind.label(locale)} #{cycle.cycle}: {verdict}，"
                f"用时 {used} 分钟 / 时限 {budget} 分钟，截止 {due}"
                if zh
                else f"    {clock.kind.value} #{cycle.cycle}: {verdict}, used {used} of "
                f"{budget} min, due {due}"
            )
    return "\n".join(rows)


def _detail(step: Step, locale: str) -> str:
    """What the step carried, in a few words."""
    zh = locale.startswith("zh")
    data = step.data
    parts = []
    if data.assignee is not None:
        parts.append(f"{'交' if zh else 'to'} {data.assignee}")
    if data.level is not None:
        parts.append(f"{'升至第' if zh else 'level '}{data.level}{'级' if zh else ''}")
    if data.outcome is not None:
        score = f" {data.score}/5" if data.score is not None else ""
        parts.append(f"{data.outcome.label(locale)}{score}")
    if data.priority is not None:
        parts.append(data.priority)
    text = data.note or data.reason
    if text is not None:
        parts.append(text)
    return ("，" if zh else ", ").join(parts)
