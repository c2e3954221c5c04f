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

from propcrm._i18n import LocaleLike, check_locale, gettext, ngettext, pgettext
from propcrm.classification import Category, Location
from propcrm.complaints import (
    SYSTEM,
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


def run_complaints(locale: LocaleLike = "zh_CN", complaint: Request | None = None) -> str:
    """The complaint's history step by step, the replay check and the SLA clocks.

    The complaint is the sample's unless given.
    """
    name = check_locale(locale)
    complaint = sample_complaint() if complaint is None else complaint
    intake = complaint.intake
    rows = [
        gettext(
            "A complaint from receipt to close (accept → handle → track → call back)", locale=name
        ),
        gettext(
            "%(request)s %(kind)s · %(channel)s · %(category)s “%(description)s”",
            locale=name,
            request=complaint.request_id,
            kind=intake.kind.label(name),
            channel=intake.channel.label(name),
            category=intake.category.label(name),
            description=intake.description,
        ),
    ]
    previous: Step | None = None
    for count, step in enumerate(complaint.history, start=1):
        # Each prefix of the history is a request too: replaying it shows the state after it.
        state = Request.replay(complaint.history[:count], DEMO_POLICY).state.label(name)
        detail = _detail(step, previous, name)
        values = {"step": step.describe(name), "state": state, "detail": detail}
        rows.append(
            "  "
            + (
                gettext("%(step)s → %(state)s: %(detail)s", locale=name, **values)
                if detail
                else gettext("%(step)s → %(state)s", locale=name, **values)
            )
        )
        previous = step
    replayed = Request.replay(complaint.history, DEMO_POLICY)
    same = replayed == complaint and replayed.clocks == complaint.clocks
    # Computed apart: extraction misreads a gettext call nested in another's arguments.
    verdict = (
        pgettext("replay", "identical", locale=name)
        if same
        else pgettext("replay", "DIFFERENT", locale=name)
    )
    rows.append(
        "  "
        + ngettext(
            "replayed from its %(num)d step: %(verdict)s",
            "replayed from its %(num)d steps: %(verdict)s",
            len(complaint.history),
            locale=name,
            verdict=verdict,
        )
    )
    rows.append("  " + gettext("SLA targets:", locale=name))
    for clock in complaint.clocks.clocks:
        cycles = [*clock.outcomes, clock.outcome()]
        for cycle in cycles:
            if cycle is None:
                continue
            cycle_values: dict[str, object] = {
                "target": clock.kind.label(name),
                "cycle": cycle.cycle,
                "used": cycle.consumed // 60,
                "budget": cycle.budget // 60,
                "due": cycle.deadline.format("MM-DD HH:mm"),
            }
            rows.append(
                "    "
                + (
                    gettext(
                        "%(target)s #%(cycle)d: met, used %(used)d of %(budget)d min, due %(due)s",
                        locale=name,
                        **cycle_values,
                    )
                    if cycle.met
                    else gettext(
                        "%(target)s #%(cycle)d: missed, used %(used)d of %(budget)d min, "
                        "due %(due)s",
                        locale=name,
                        **cycle_values,
                    )
                )
            )
    return "\n".join(rows)


def _detail(step: Step, previous: Step | None, locale: str) -> str:
    """What the step carried, in a few words; names and notes as the staff wrote them."""
    data = step.data
    parts = []
    if data.assignee is not None:
        parts.append(gettext("to %(assignee)s", locale=locale, assignee=data.assignee))
    if data.level is not None:
        parts.append(gettext("level %(level)d", locale=locale, level=data.level))
    if data.outcome is not None:
        score = f" {data.score}/5" if data.score is not None else ""
        parts.append(f"{data.outcome.label(locale)}{score}")
    if data.priority is not None:
        parts.append(data.priority)
    if step.action is Action.REOPEN and step.actor == SYSTEM and previous is not None:
        # The policy's reopen after a dissatisfied callback: its stored reason is a record in
        # English, so the demo says it in the locale from the callback it follows.
        parts.append(
            gettext(
                "dissatisfied callback (score %(score)s): reopened by policy",
                locale=locale,
                score=previous.data.score,
            )
        )
    else:
        text = data.note or data.reason
        if text is not None:
            parts.append(text)
    return pgettext("clause separator", ", ", locale=locale).join(parts)
