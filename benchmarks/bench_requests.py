"""Benchmark: replay the histories of 100,000 service requests through the lifecycle.

Run ``python benchmarks/bench_requests.py`` (``--requests N`` for a smaller run). The histories
are built first and not timed: a seeded generator (never the clock) writes, for each request,
the steps a service desk takes over 2025–2026 — mostly repairs, some complaints, enquiries,
suggestions and a few special-service orders; acknowledgements, assessments (a few
re-prioritised), dispatches, agreed times, holds and resumes, reassignments, escalations,
mediation, progress updates, resolutions, callback attempts and callbacks (a dissatisfied one
followed by the policy's reopen and a second resolution), charges, closes, withdrawals,
rejections and duplicates. About 8 steps each; some are still open at the end. The times run
over weekends and China's holidays, so the service-hours calendar has work to do.

The steps are built as values (``Step``/``StepData``) following the transition table, not by
``Request.take``, which would also move the SLA clocks at every step (much slower to build).
A sample is folded live (``Request.receive`` then ``Request.apply`` step by step) and must
equal its replay, SLA clocks included; any difference exits non-zero.

Timed in CPU seconds (``time.process_time``: the machine is shared, so wall time measures the
neighbours too; the wall-clock times are printed beside):

- **replay**: ``Request.replay(history, policy)`` for every history: the lifecycle fold with
  every check of the table (state, role, data) and every guard. The SLA clocks of a replayed
  request are built lazily, when ``.clocks`` is first read, so they are not in this time;
- **replay + clocks**: the same for every history, then reading ``.clocks`` (the request's
  clocks folded from its history in one pass, :class:`~propcrm.sla.RequestClocksFold`: each
  step's verb picks the clocks it moves, builds its one event and moves them; frozen once)
  and what a report reads of every clock: its state, its deadline (computed when read) and
  whether it was met; timed over all the histories, not a sample;
- **replay + clocks over columns**: every history replayed, then all the requests' clocks read
  at once by :func:`propcrm.portfolio.sla_clocks` (each shape of steps folded once, the other
  requests of a shape computed from their own instants over numpy arrays), as one frame; every
  row is then checked (not timed) against the request's own clocks, and any difference exits
  non-zero;
- **live** (a sample): ``Request.receive`` and ``Request.apply`` per step, the path a desk
  takes as the steps happen (clocks moved at every step).

The policy has response targets (the default SLA), resolution targets on the service-hours
calendar and a callback target, so the clocks see pauses, reopens and holidays.

``--profile`` runs the replay under ``cProfile`` and writes the top functions to stderr.

The last line printed is machine-readable::

    requests=100000 seconds=S seconds_with_clocks=C per_transition_us=T
    batch_seconds_with_clocks=B batch_clocks_ratio=R

(one line) where a transition is a step after the receipt (the receipt itself is counted
apart), C is replay + clocks one request at a time and B replay + clocks over columns, all in
CPU seconds, and R the clocks' part of B over the replay's part of B. The goals (issue 15)
are S < 3, 100,000 histories with their clocks under 5 s on a two-core machine, and clocks
that cost no more than the replay (R ≤ 1 over columns); nothing asserts them.

Measured on the two-core machine, shared with three other workers and loaded (7 December
2026), 100,000 histories, the one-pass fold (RequestClocksFold) against the main branch's
draft fold (RequestClocksDraft), run alternately three times: S = 1.45, 1.41 and 1.36 CPU
seconds, C = 7.72, 7.93 and 7.97 (C/S = 5.3 to 5.9); before, S = 1.31, 1.37 and 1.36,
C = 9.37, 10.03 and 9.67 (7.1 to 7.3×). The clocks alone (C - S) went from 8.1-8.7 CPU
seconds to 6.3-6.6. An earlier, less loaded round measured S = 1.56, C = 11.70 before that;
and before the drafts' in-place verbs, S = 1.83, C = 20.27. C < 5 is not reached: what
remains is mostly what the clocks must build (about 20 frozen values per request: its events,
their copies for each clock, the stretches and pauses, the clocks) and the POSIX seconds of
each step's instant. On the quiet machine (load average about 1), one run:
``requests=100000 seconds=1.27 seconds_with_clocks=7.13 per_transition_us=1.59``.

Since 7 December 2026 C also reads every clock's state, deadline and met (before, it read only
``.clocks``, less than a report reads; the deadlines alone cost about as much again). Measured
on the shared two-core machine, heavily loaded (load average 3.5 to 7.8), 100,000 histories,
main's code against this one with the same benchmark, run alternately three times: before,
S = 1.40, 1.39 and 1.39, C = 12.15, 12.65 and 11.54; after (the POSIX seconds a fold reads
remembered for the calendars, a deadline on a BusinessCalendar computed on its index),
S = 1.37, 1.29 and 1.28, C = 11.38, 10.73 and 10.89. C < 5 is not reached.

Later the same day, the clocks a replay folds carry their deadline's plan (the POSIX instant
and the business seconds after it that the fold knew: a report's read is one addition on the
calendar's index, and an agreed time's one sum in its zone); the replay records after which
steps the request waits, so the clocks' fold walks no transition table; an instant's POSIX
seconds are its wall time less its day's offset, kept per zone and day (and no longer
remembered by identity: the plans do not read them again); an added target's clock (an agreed
time's) is built for the fold directly. Measured on the shared two-core machine (load average
1.9 to 2.4), 100,000 histories, main's code against this one with the same benchmark, run
alternately twice: main S = 1.27 and 1.29, C = 11.35 and 11.60 CPU seconds (11.42 and 11.71 s
wall); this one S = 1.45 and 1.38, C = 8.05 and 8.15 (8.12 and 8.15 s wall), C/S = 5.6 to
5.9. What a report reads of the clocks (state, deadline, met) went from about 25 µs a request
to about 7; the replay itself costs about 0.7 µs more (it records the waits). C < 5 is still
not reached: folding the clocks, about 55 µs a request, is mostly the values they hold (each
step's events and their copies for each clock, stretches, pauses, about 20 frozen values).

Later still (7 December 2026), fewer calls per request: a replay's receipt builds its level's
clocks started in one pass (from drafts kept per policy, calendars and priority); its stops,
pauses, resumes and the callback's start go through written-out verbs (one picking loop, the
event, the verb; no general send() checks and _move); a stop closes its stretch in place; the
clocks keep their segments, pauses and events as tuples the frozen clocks take as they are,
and are frozen in one loop; a same-day target starts from the day's kept answers and the
calendar's index; a planned deadline builds its instant in place; a replay's step finds its
row and runs its checks and guards without a call each when they pass. The profiler counts
about 230 Python calls per request for the clocks, against about 316; a replay's agreed time
and priority change are built through propcrm._trusted. Measured on the shared two-core
machine (load average 1.9 to 4.3), 100,000 histories, main's code against this one with the
same benchmark, run alternately twice: main S = 1.80 and 1.60, C = 10.32 and 9.78 CPU seconds
(10.35 and 9.79 s wall); this one S = 1.51 and 1.34, C = 8.89 and 7.93 (8.90 and 8.06 s
wall): C is 0.81 to 0.86 of main's, the clocks alone (C - S) 6.6-7.4 CPU seconds against
8.2-8.5. (An earlier pair, before the replay's own steps and the agreed times were trimmed,
load average 1.2 to 2.0: main C = 10.09 and 10.60, this one 8.73 and 8.65; interleaved with
main's code in one process, 10,000 histories, the clocks alone 0.82 to 0.84 of main's.)
C < 5 is still not reached: what is left per request is mostly values that must be
built (its events and each clock's copies, stretches, the frozen clocks and the deadlines
read) and the calls around each of them (a cut of a call or two per step now moves C by about
1 %: inlining a stop's verb into the fold measured 0.6 %). The written-out verbs were then
made one short path (``_short``) and the planned deadline built by the calendar's ``_out``
again (one construction of an instant), at no cost measured. Quiet (load average about 1), the
same afternoon, the code of that morning then this one: ``requests=100000 seconds=1.51
seconds_with_clocks=9.16``, then 7.49 and 7.62 (S = 1.42 and 1.34): the clocks alone 7.65 CPU
seconds to 6.07 and 6.28.

``--floor`` also times what any fold that returns these clocks must spend (see :func:`floor`):
their frozen values built again by slot constructors, and their state, deadline and met read
again. Quiet (load average 0.7 to 0.9) on 7 December 2026 at 16:04, the machine itself slower
than the day before (S = 1.90 where the same code gave 1.34 to 1.42): C = 10.74, and 17.7
values per request built in 1.30 CPU s and read in 0.92, so S plus the floor is 4.13 s, 83 % of
the 5 s goal, before the fold's own arithmetic (6.6 s of C here). The goal is out of reach of a
per-request fold of these values in Python: it needs clocks computed over columns for many
requests at once, or a clock that holds fewer values.

On 7 December 2026 in the evening the clocks over columns (``sla_clocks``) came: requests of one
shape of steps have clocks of one structure, so each shape is folded once and the others read
from their own instants. The machine slowed through the evening (S = 1.47 at 19:14, 1.89 at
20:20), so each figure is beside the replay of the same run. Read one request at a time
(propcrm.sla.ClockShape.read_many), at 19:14: S = 1.47, C = 9.30, B = 6.38; at 19:42, the
shapes' reads checked once per request: S = 1.70, C = 9.93, B = 5.86. Over numpy arrays for a
shape of 48 requests or more, at 20:20: ``requests=100000 seconds=1.89 seconds_with_clocks=10.82
per_transition_us=2.37 batch_seconds_with_clocks=5.04``: the clocks alone 3.15 CPU s against
8.93 one request at a time. Then each request's instants read in one pass over their zone's
days, one look-up of its shape and the columns built by one transposition; with the machine
back at its usual speed, at 20:20 and 20:22, ``requests=100000 seconds=1.44
seconds_with_clocks=8.45 per_transition_us=1.80 batch_seconds_with_clocks=4.14`` and
``seconds=1.62 seconds_with_clocks=9.30 per_transition_us=2.03 batch_seconds_with_clocks=4.21``:
B under 5 s, the clocks alone 2.6 to 2.7 CPU s against 7.0 to 7.7 one request at a time (still
about twice the replay). Timed by stage (100,000 histories, 3.0 s in all): reading each
request's steps (which move the clocks, their POSIX seconds, the shape's key) 0.9 s, reading
the shapes' other requests 1.0 (of which the same-day budgets, request by request, 0.35),
folding the 1,367 shapes' first requests 0.45, the columns 0.3.

The next evening (7 December 2026, 21:20 to 22:25) the clocks over columns were made cheaper
than the replay they follow, each step measured against the code before it in alternate runs:
the frame's columns filled in place over numpy (no row tuples), the same-day and agreed budgets
counted over arrays, each calendar's worked time at a shape's instants searched once, a shape's
instants read as POSIX seconds over arrays (the largest step: reading each request's steps went
from 0.75 to 0.3 CPU s), and a shape read from its first request only once a second comes
(591 of the 1,367 shapes have one request). Quiet, at 22:23 and 22:24: ``requests=100000
seconds=1.27 seconds_with_clocks=7.36 per_transition_us=1.59 batch_seconds_with_clocks=2.51
batch_clocks_ratio=0.93`` and ``seconds=1.27 seconds_with_clocks=7.68 per_transition_us=1.59
batch_seconds_with_clocks=2.47 batch_clocks_ratio=0.96``. Then a shape's requests held to
the equal instants of the request it was read from (two steps at 02:30 on a night the clocks
go back compare equal as datetimes, not as instants), at 22:37 and 22:38: ``requests=100000
seconds=1.33 seconds_with_clocks=7.44 per_transition_us=1.66 batch_seconds_with_clocks=2.52
batch_clocks_ratio=0.90`` and ``seconds=1.32 seconds_with_clocks=8.12 per_transition_us=1.65
batch_seconds_with_clocks=2.48 batch_clocks_ratio=0.98``. Then each shape's instants kept one
after another as its requests are grouped (ShapeGroup.instants), at 23:17 and 23:18 with the
machine a third slower: ``requests=100000 seconds=1.79 seconds_with_clocks=10.25
per_transition_us=2.24 batch_seconds_with_clocks=3.17 batch_clocks_ratio=0.90`` and
``seconds=1.64 seconds_with_clocks=9.95 per_transition_us=2.06 batch_seconds_with_clocks=3.17
batch_clocks_ratio=0.86``.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import gc
import pstats
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import attrs
import pendulum

from propcrm._trusted import slot_constructor
from propcrm.classification import Category, Location
from propcrm.complaints import (
    SYSTEM,
    Action,
    Actor,
    CallbackOutcome,
    HoldReason,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Quote,
    Request,
    RequestKind,
    Role,
    Step,
    StepData,
)
from propcrm.money import Money
from propcrm.portfolio import sla_clocks
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    AgreedTime,
    CalendarSet,
    SameServiceDay,
    SlaPolicy,
    Target,
    TargetKind,
    Within,
)

REQUESTS = 100_000
LIVE_SAMPLE = 1_000
SEED = 20250101
ZONE = pendulum.timezone("Asia/Shanghai")
FIRST = int(pendulum.datetime(2025, 1, 1, tz="Asia/Shanghai").timestamp())
LAST = int(pendulum.datetime(2026, 11, 30, tz="Asia/Shanghai").timestamp())

MINUTE = 60
HOUR = 3600
DAY = 86400
SERVICE_DAY = 27_000  # 08:30–12:00 and 13:30–17:30

KINDS = (
    (RequestKind.REPAIR, 0.62),
    (RequestKind.COMPLAINT, 0.15),
    (RequestKind.ENQUIRY, 0.12),
    (RequestKind.SUGGESTION, 0.06),
    (RequestKind.SPECIAL_SERVICE, 0.05),
)

# What each kind is about: (category, location, description), picked uniformly.
SUBJECTS: dict[RequestKind, tuple[tuple[Category, Location, str], ...]] = {
    RequestKind.REPAIR: (
        (Category.WATER_LEAK, Location.IN_HOME, "厨房水管漏水"),
        (Category.WATER_LEAK, Location.IN_HOME, "卫生间天花板渗水"),
        (Category.BLOCKED_DRAIN, Location.IN_HOME, "下水道堵塞"),
        (Category.ELECTRICAL_FAULT, Location.IN_HOME, "插座没电"),
        (Category.DOOR_LOCK, Location.IN_HOME, "门锁坏了"),
        (Category.LIFT_FAULT, Location.COMMON_AREA, "3号电梯按钮失灵"),
        (Category.COMMON_AREA_LIGHTING, Location.COMMON_AREA, "楼道灯不亮"),
        (Category.HEATING_AIR_CONDITIONING, Location.IN_HOME, "暖气不热"),
        (Category.INTERCOM, Location.IN_HOME, "可视对讲没有图像"),
        (Category.NO_WATER, Location.IN_HOME, "家里停水"),
        (Category.ROOF_LEAK, Location.ROOF, "顶楼漏雨"),
        (Category.BURST_PIPE, Location.GARAGE, "车库水管爆裂"),
        (Category.POWER_OUTAGE, Location.IN_HOME, "整户停电"),
        (Category.FACILITY_DAMAGE, Location.GROUNDS, "健身器材损坏"),
    ),
    RequestKind.COMPLAINT: (
        (Category.NOISE, Location.IN_HOME, "楼上装修噪音扰民"),
        (Category.PARKING, Location.GARAGE, "车位被占"),
        (Category.CLEANING, Location.COMMON_AREA, "楼道垃圾没人清理"),
        (Category.DECORATION_VIOLATION, Location.IN_HOME, "邻居违规拆改承重墙"),
        (Category.PET, Location.GROUNDS, "小区里狗不拴绳"),
        (Category.GREENING, Location.GROUNDS, "绿化带无人修剪"),
        (Category.OTHER, Location.UNSPECIFIED, "客服态度差"),
    ),
    RequestKind.ENQUIRY: (
        (Category.OTHER, Location.UNSPECIFIED, "物业费怎么交"),
        (Category.PARKING, Location.GARAGE, "月租车位怎么办理"),
        (Category.OTHER, Location.UNSPECIFIED, "装修需要办什么手续"),
    ),
    RequestKind.SUGGESTION: (
        (Category.GREENING, Location.GROUNDS, "建议多种些树"),
        (Category.CLEANING, Location.COMMON_AREA, "建议垃圾分类点加盖"),
        (Category.OTHER, Location.UNSPECIFIED, "建议开通线上缴费"),
    ),
    RequestKind.SPECIAL_SERVICE: (
        (Category.HEATING_AIR_CONDITIONING, Location.IN_HOME, "空调清洗"),
        (Category.BLOCKED_DRAIN, Location.IN_HOME, "管道疏通"),
        (Category.CLEANING, Location.IN_HOME, "家庭保洁"),
    ),
}

# Special services priced from a published list: (code, name, unit, unit price).
SERVICES = (
    ("AC-CLEAN", "空调清洗", "台", Decimal("80.00")),
    ("DRAIN", "管道疏通", "次", Decimal("120.00")),
    ("HOME-CLEAN", "家庭保洁", "小时", Decimal("45.50")),
)

AGENTS = tuple(Actor(f"KF-{n:02d}", Role.AGENT) for n in range(1, 41))
DISPATCHERS = tuple(Actor(f"DD-{n:02d}", Role.DISPATCHER) for n in range(1, 11))
HANDLERS = tuple(Actor(f"W-{n:03d}", Role.HANDLER) for n in range(1, 201))
SUPERVISORS = tuple(Actor(f"ZG-{n:02d}", Role.SUPERVISOR) for n in range(1, 9))
MANAGERS = tuple(Actor(f"JL-{n}", Role.MANAGER) for n in range(1, 4))
HANDLER_BY_ID = {a.actor_id: a for a in HANDLERS}
TEAMS = ("水电班", "土建班", "电梯班", "综合班")
NOTES = ("已处理", "已更换配件", "已答复业主", "现场检查无异常", "已修复")
UPDATES = ("配件已到货", "已联系业主", "师傅已出发")
PRIORITIES = ("P1", "P2", "P3")
# The code a request stores with the reopen its policy adds after a dissatisfied callback (the
# history is data: a code, shown in either language by complaints.reason_text).
REOPENED_BY_POLICY = "reopen_on_dissatisfied"


def benchmark_policy() -> LifecyclePolicy:
    """Response targets (default), resolution on service hours, a callback within 2 days."""
    sla = DEFAULT_SLA_POLICY
    for priority, budget in (("P1", 4 * HOUR), ("P2", SERVICE_DAY), ("P3", 2 * SERVICE_DAY)):
        sla = sla.with_target(
            priority, Target(TargetKind.RESOLUTION, Within(budget, SERVICE_CALENDAR))
        ).with_target(
            priority,
            Target(
                TargetKind.CALLBACK, Within(2 * DAY, HOTLINE_CALENDAR), starts_with_request=False
            ),
        )
    return LifecyclePolicy(sla=sla)


POLICY = benchmark_policy()
"""The policy every history is built and replayed under."""


class _History:
    """One request's history as it is written: the steps and what the generator must know."""

    def __init__(self, rng: random.Random, start: int) -> None:
        self.rng = rng
        self.t = start
        self.steps: list[Step] = []
        self.data_cache: dict[tuple[Any, ...], StepData] = {}
        self.assignee: Actor | None = None
        self.level = 0
        self.priority = ""
        self.quote: Quote | None = None
        self.charged = False
        self.reopened = False

    def add(self, action: Action, actor: Actor, gap: tuple[int, int], **data: Any) -> None:
        self.t += self.rng.randint(*gap)
        self.steps.append(
            Step(action, actor, pendulum.DateTime.fromtimestamp(self.t, ZONE), _data(data))
        )

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, choices: tuple[Any, ...]) -> Any:
        return choices[self.rng.randrange(len(choices))]


_DATA: dict[tuple[tuple[str, Any], ...], StepData] = {}


def _data(fields: dict[str, Any]) -> StepData:
    """Equal step data shared between histories (most steps carry one of a few notes)."""
    key = tuple(sorted(fields.items()))
    found = _DATA.get(key)
    if found is None:
        found = _DATA[key] = StepData(**fields)
    return found


def _receive(h: _History, index: int, kind: RequestKind) -> bool:
    """The receipt, classified as ``Request.receive`` would; False when the request ends."""
    rng = h.rng
    category, location, description = h.pick(SUBJECTS[kind])
    channel = h.pick(tuple(IntakeChannel))
    requester = f"P-{rng.randrange(1, 40_000):05d}"
    no_unit = kind is RequestKind.SUGGESTION or location is not Location.IN_HOME
    intake = Intake(
        request_id=f"R-{index:06d}",
        kind=kind,
        requester=requester,
        unit=None
        if no_unit
        else f"{rng.randrange(1, 30)}-{rng.randrange(1, 4)}-0{rng.randrange(101, 2999)}",
        channel=channel,
        category=category,
        location=location,
        description=description,
    )
    if channel in (IntakeChannel.APP, IntakeChannel.WECHAT):
        actor = Actor(requester, Role.REQUESTER)
    else:
        actor = h.pick(AGENTS)
    at = pendulum.DateTime.fromtimestamp(h.t, ZONE)
    # The receipt exactly as Request.receive records it (classified by the default rules).
    receipt = Request.receipt(intake, actor, at, POLICY)
    h.priority = receipt.data.priority or ""
    h.steps.append(receipt)
    if h.chance(0.02):
        h.add(Action.WITHDRAW, actor, (5 * MINUTE, 2 * HOUR), reason="业主已自行解决")
        return False
    auto = actor.role is Role.REQUESTER and h.chance(0.5)
    h.add(Action.ACKNOWLEDGE, SYSTEM if auto else h.pick(AGENTS), (0, 20 * MINUTE))
    if h.chance(0.015):
        h.add(
            Action.REJECT,
            h.pick(AGENTS),
            (5 * MINUTE, 4 * HOUR),
            reason="不属于物业服务范围",
            referral="供水公司 96116",
        )
        return False
    if h.chance(0.015):
        h.add(
            Action.MARK_DUPLICATE,
            h.pick(AGENTS),
            (MINUTE, HOUR),
            reason="同一问题已报",
            duplicate_of=f"R-{max(index - 1 - rng.randrange(50), 0):06d}" if index else "R-999999",
        )
        return False
    if h.chance(0.08):
        new = h.pick(tuple(p for p in PRIORITIES if p != h.priority))
        h.priority = new
        h.add(Action.ASSESS, h.pick(AGENTS), (MINUTE, 30 * MINUTE), priority=new, reason="现场判断")
    else:
        h.add(Action.ASSESS, h.pick(AGENTS), (MINUTE, 30 * MINUTE))
    return True


def _escalate(h: _History, actor: Actor, gap: tuple[int, int]) -> None:
    if h.level < 3:
        h.level += 1
        h.add(Action.ESCALATE, actor, gap, level=h.level, reason="超时未处理")


def _dispatch(h: _History) -> None:
    h.assignee = h.pick(HANDLERS)
    if h.chance(0.5):
        h.add(
            Action.DISPATCH,
            h.pick(DISPATCHERS),
            (2 * MINUTE, 90 * MINUTE),
            assignee=h.assignee.actor_id,
            team=h.pick(TEAMS),
        )
    else:
        h.add(
            Action.DISPATCH,
            h.pick(DISPATCHERS),
            (2 * MINUTE, 90 * MINUTE),
            assignee=h.assignee.actor_id,
        )


def _reassign(h: _History) -> None:
    assert h.assignee is not None
    new = h.pick(HANDLERS)
    while new is h.assignee:
        new = h.pick(HANDLERS)
    h.assignee = new
    h.add(
        Action.REASSIGN,
        h.pick(DISPATCHERS),
        (10 * MINUTE, 6 * HOUR),
        assignee=new.actor_id,
        reason="原师傅请假",
    )


def _work(h: _History, kind: RequestKind, first: bool) -> None:
    """From dispatched (or reopened) to resolved: start, holds, updates, reassignments."""
    assert h.assignee is not None
    if first and h.chance(0.2):
        # An agreed time, some hours or days ahead, on the half hour; kept, or missed a bit.
        ahead = h.t + h.rng.randint(2 * HOUR, 3 * DAY)
        appointment = pendulum.DateTime.fromtimestamp(ahead - ahead % 1800, ZONE)
        h.add(Action.AGREE_TIME, h.pick(AGENTS), (MINUTE, 10 * MINUTE), appointment=appointment)
        h.t = max(h.t, int(appointment.timestamp()) - 15 * MINUTE)
    h.add(Action.START, h.assignee, (5 * MINUTE, 5 * HOUR))
    if h.chance(0.05):
        _reassign(h)
        h.add(Action.START, h.assignee, (10 * MINUTE, 3 * HOUR))
    if h.chance(0.06):
        h.add(
            Action.REPRIORITISE,
            h.pick(AGENTS),
            (MINUTE, HOUR),
            priority=_other(h),
            reason="影响范围扩大",
        )
    holds = 0
    while holds < 3 and h.chance(0.3 if holds == 0 else 0.2):
        holds += 1
        reason = h.pick(tuple(HoldReason))
        h.add(Action.HOLD, h.assignee, (10 * MINUTE, 3 * HOUR), hold_reason=reason)
        h.add(Action.RESUME, h.assignee, (2 * HOUR, 4 * DAY))
    if h.chance(0.1):
        h.add(Action.UPDATE, h.pick(AGENTS), (10 * MINUTE, 2 * HOUR), note=h.pick(UPDATES))
    if kind is RequestKind.COMPLAINT and h.chance(0.04):
        h.add(
            Action.REFER_TO_MEDIATION,
            h.pick(SUPERVISORS),
            (HOUR, DAY),
            referral="街道人民调解委员会",
            reason="双方分歧较大",
        )
        h.add(Action.RESOLVE, h.pick(MANAGERS), (3 * DAY, 20 * DAY), note="调解达成协议")
        return
    h.add(Action.RESOLVE, h.assignee, (20 * MINUTE, 6 * HOUR), note=h.pick(NOTES))


def _other(h: _History) -> str:
    new = h.pick(tuple(p for p in PRIORITIES if p != h.priority))
    h.priority = new
    return str(new)


def _call_back(h: _History) -> bool:
    """Attempts and the callback; True when the customer is satisfied (or unreachable)."""
    attempts = 0
    while attempts < 3 and h.chance(0.15 if attempts == 0 else 0.5):
        attempts += 1
        h.add(Action.CALLBACK_ATTEMPT, h.pick(AGENTS), (2 * HOUR, DAY))
    agent = h.pick(AGENTS)
    if attempts == 3 and h.chance(0.5):
        h.add(Action.CALL_BACK, agent, (2 * HOUR, DAY), outcome=CallbackOutcome.UNREACHABLE)
        return True
    if not h.reopened and h.chance(0.1):
        score = h.rng.randint(1, 3)
        h.add(
            Action.CALL_BACK,
            agent,
            (2 * HOUR, DAY),
            outcome=CallbackOutcome.DISSATISFIED,
            score=score,
        )
        # What the default policy adds after a dissatisfied callback, at the same instant.
        h.add(Action.REOPEN, SYSTEM, (0, 0), reason=REOPENED_BY_POLICY)
        h.reopened = True
        return False
    score = 5 if h.chance(0.7) else 4
    h.add(Action.CALL_BACK, agent, (2 * HOUR, DAY), outcome=CallbackOutcome.SATISFIED, score=score)
    return True


def _quote(h: _History) -> None:
    code, name, unit, price = h.pick(SERVICES)
    quantity = h.rng.randint(1, 4)
    on = pendulum.DateTime.fromtimestamp(h.t, ZONE).date()
    h.quote = Quote(
        price_list_version="2026A" if on.year == 2026 else "2025A",
        service_code=code,
        service_name=name,
        quantity=quantity,
        unit_label=unit,
        unit_price=Money(price),
        amount=Money(price * quantity),
        quoted_on=on,
    )
    h.add(Action.QUOTE, h.pick(DISPATCHERS), (10 * MINUTE, 4 * HOUR), quote=h.quote)


def history(index: int, rng: random.Random) -> list[Step]:
    """One request's steps, receipt first, as the desk would have taken them."""
    h = _History(rng, rng.randint(FIRST, LAST))
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    if _receive(h, index, kind) and _first_resolution(h, kind) and not h.chance(0.06):
        _callbacks(h, kind, index)  # (6 % are still waiting for their callback)
    return h.steps


def _first_resolution(h: _History, kind: RequestKind) -> bool:
    """From assessed to the first resolution; False when the request ends before it."""
    if kind is RequestKind.COMPLAINT and h.chance(0.2):
        _escalate(h, h.pick(SUPERVISORS), (5 * MINUTE, 2 * HOUR))
    if kind is RequestKind.SPECIAL_SERVICE:
        _quote(h)
        if h.chance(0.1):
            h.add(Action.DECLINE_QUOTE, h.pick(AGENTS), (HOUR, 2 * DAY), reason="价格太高")
            return False
        h.add(Action.ACCEPT_QUOTE, h.pick(AGENTS), (HOUR, 2 * DAY))
    if kind in (RequestKind.ENQUIRY, RequestKind.SUGGESTION):
        h.add(Action.RESOLVE, h.pick(AGENTS), (5 * MINUTE, 2 * DAY), note="已答复业主")
        return True
    _dispatch(h)
    if h.chance(0.04):
        _escalate(h, SYSTEM, (HOUR, 3 * HOUR))
    if h.chance(0.02):
        h.add(Action.WITHDRAW, h.pick(AGENTS), (HOUR, DAY), reason="业主撤回")
        return False
    _work(h, kind, first=True)
    return True


def _callbacks(h: _History, kind: RequestKind, index: int) -> None:
    """Charge, call back (a dissatisfied one reopens: work and resolve again), close."""
    while True:
        if h.quote is not None and not h.charged and h.chance(0.8):
            h.charged = True
            h.add(Action.POST_CHARGE, SYSTEM, (HOUR, 3 * DAY), statement=f"FN-{index:06d}")
        if _call_back(h):
            break
        if h.assignee is None:
            _dispatch(h)  # an enquiry answered at the desk goes to someone now
        elif h.chance(0.3):
            _reassign(h)
        if kind is RequestKind.COMPLAINT and h.chance(0.3):
            _escalate(h, h.pick(SUPERVISORS), (10 * MINUTE, 2 * HOUR))
        _work(h, kind, first=False)
    if not h.chance(0.05):  # (5 % are called back, not yet closed)
        h.add(Action.CLOSE, h.pick(AGENTS), (0, 2 * HOUR))


def live(steps: list[Step], policy: LifecyclePolicy) -> Request:
    """The request folded as the desk does it: receive, then apply each step as it happens."""
    receipt = steps[0]
    intake = receipt.data.intake
    assert intake is not None
    request = Request.receive(intake, receipt.actor, receipt.at, policy)
    for step in steps[1:]:
        if step.action is Action.REOPEN and step.actor is SYSTEM:
            continue  # apply adds it after the dissatisfied callback
        request = request.apply(step)
    return request


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# What the floor walks past: values a clock shares with its policy (its targets, their specs,
# the calendars), not built per request. (An agreed time's target is built per request: left
# out, it makes the floor lower, not higher.)
_SHARED = (Target, Within, SameServiceDay, AgreedTime, CalendarSet, SlaPolicy)


def _values(value: object, found: dict[int, object]) -> None:
    """Every frozen value reachable from ``value`` that a request's clocks build, by identity."""
    if id(value) in found or isinstance(value, _SHARED):
        return
    if isinstance(value, tuple):
        for item in value:
            _values(item, found)
    elif attrs.has(type(value)):
        found[id(value)] = value
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(value))):
            _values(getattr(value, field.name), found)


def check_frame(frame: Any, histories: list[list[Step]], policy: LifecyclePolicy) -> str | None:
    """Where ``frame`` differs from the clocks each history's replay reads, or ``None``."""
    rows = frame.iter_rows()
    for h in histories:
        request = Request.replay(h, policy)
        for clock in request.clocks.clocks:
            mine = next(rows, None)
            theirs = (
                request.request_id,
                clock.kind.value,
                clock.state.value,
                clock.cycle,
                clock.budget,
                clock.consumed,
                clock.deadline,
                clock.met,
            )
            if mine != theirs:
                return f"request {request.request_id}: frame {mine!r}, clock {theirs!r}"
    extra = next(rows, None)
    return None if extra is None else f"the frame has a row no clock has: {extra!r}"


def floor(requests: list[Request]) -> tuple[float, float, float]:
    """What any fold that returns these clocks spends at the least, in CPU seconds.

    ``(values per request, building them, reading them)``: every frozen value of the requests'
    clocks (the clocks, their events, stretches, pauses, outcomes, same-day dues; not the
    targets and calendars they share with the policy) built again from its fields through
    ``propcrm._trusted``'s slot constructors, the fastest way the library has to build a value,
    and each clock's state, deadline and met read again once the clocks are built (a deadline
    is worked out at each read, from the plan the fold left: one addition on the calendar's
    index and one instant). The fold's own arithmetic and checks come on top.
    """
    found: dict[int, object] = {}
    for request in requests:
        _values(request.clocks, found)
    makers: dict[type, tuple[Callable[..., object], tuple[str, ...]]] = {}
    work = []
    for value in found.values():
        cls = cast("type[attrs.AttrsInstance]", type(value))
        if cls not in makers:
            post_init = hasattr(cls, "__attrs_post_init__")
            names = tuple(f.name for f in attrs.fields(cls))
            makers[cls] = (slot_constructor(cls, post_init=post_init), names)
        make, names = makers[cls]
        work.append((make, [getattr(value, name) for name in names]))
    gc.disable()
    start = time.process_time()
    for make, fields in work:
        make(*fields)
    built = time.process_time() - start
    start = time.process_time()
    for request in requests:
        for clock in request.clocks.clocks:
            clock.state, clock.deadline, clock.met  # noqa: B018 (read, as the report reads)
    read = time.process_time() - start
    gc.enable()
    return len(found) / len(requests), built, read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--live-sample", type=int, default=LIVE_SAMPLE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", action="store_true", help="cProfile the replay (stderr)")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time building the clocks' values alone (what any fold must spend)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    policy = POLICY

    started = time.perf_counter()
    histories = [history(i, rng) for i in range(args.requests)]
    built = time.perf_counter() - started
    steps = sum(len(h) for h in histories)
    transitions = steps - len(histories)
    actions = collections.Counter(s.action for h in histories for s in h)
    intakes = (h[0].data.intake for h in histories)
    kinds = collections.Counter(i.kind for i in intakes if i is not None)
    print(
        f"generated {len(histories)} histories, {steps} steps in {built:.1f} s (not timed): "
        f"{steps / len(histories):.2f} steps and {transitions / len(histories):.2f} transitions "
        "per request (a transition is a step after the receipt)"
    )
    print("  kinds: " + ", ".join(f"{k.value} {n}" for k, n in kinds.most_common()))
    print(
        "  steps: "
        + ", ".join(f"{a.value} {n}" for a, n in actions.most_common() if a is not Action.RECEIVE)
    )

    sample = rng.sample(range(len(histories)), min(args.live_sample, len(histories)))
    live_requests: list[Request] = []
    live_seconds = timed(lambda: live_requests.extend(live(histories[i], policy) for i in sample))
    for i, request in zip(sample, live_requests, strict=True):
        replayed = Request.replay(histories[i], policy)
        if replayed != request or request.history != tuple(histories[i]):
            print(f"MISMATCH: request {i}: replay {replayed!r} live {request!r}")
            return 1
        if replayed.clocks != request.clocks:
            print(f"MISMATCH: request {i}: clocks {replayed.clocks!r} live {request.clocks!r}")
            return 1
    print(
        f"check: {len(sample)} histories folded live (receive + apply) equal their replay, "
        "SLA clocks included"
    )

    gc.collect()
    gc.freeze()  # the histories live for the whole run; keep the collector off them
    gc.disable()  # a replay makes no cycles
    replay = Request.replay
    states: collections.Counter[str] = collections.Counter()
    profiler = cProfile.Profile() if args.profile else None
    wall, start = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    for h in histories:
        states[replay(h, policy).state.value] += 1
    if profiler is not None:
        profiler.disable()
    seconds = time.process_time() - start
    wall = time.perf_counter() - wall
    gc.enable()
    per_request = seconds / len(histories)
    per_transition = seconds / transitions
    print(
        f"replay: {len(histories)} requests, {transitions} transitions in {seconds:.2f} CPU s "
        f"({wall:.2f} s wall; {per_request * 1e6:.1f} µs per request, "
        f"{per_transition * 1e6:.2f} µs per transition)"
    )
    print("  final states: " + ", ".join(f"{s} {n}" for s, n in states.most_common()))

    gc.disable()
    wall, start = time.perf_counter(), time.process_time()
    read: collections.Counter[tuple[object, bool, bool | None]] = collections.Counter()
    for h in histories:
        # What a report of the request's targets reads: each clock's state, deadline and
        # whether it was met (reading the clocks builds them; a deadline is computed when read).
        for clock in replay(h, policy).clocks.clocks:
            read[clock.state, clock.deadline is not None, clock.met] += 1
    with_clocks = time.process_time() - start
    wall = time.perf_counter() - wall
    gc.enable()
    print(
        f"replay + SLA clocks: {len(histories)} requests and their {read.total()} clocks' state, "
        f"deadline and met ({sum(n for (_s, d, _m), n in read.items() if d)} deadlines) "
        f"in {with_clocks:.2f} CPU s "
        f"({wall:.2f} s wall; "
        f"{with_clocks / len(histories) * 1e6:.0f} µs per request), "
        f"{with_clocks / seconds:.1f}× the replay alone (the clocks are built when first read)"
    )
    # The same reading over columns: every request replayed, then all their clocks at once
    # (propcrm.portfolio.sla_clocks: each shape of steps folded once), as one frame. polars and
    # numpy are imported first, once a process, as an application that reports would have.
    sla_clocks([])
    gc.disable()
    wall, start = time.perf_counter(), time.process_time()
    replayed = [replay(h, policy) for h in histories]
    middle = time.process_time()
    frame = sla_clocks(replayed)
    batch = time.process_time() - start
    wall = time.perf_counter() - wall
    gc.enable()
    # The clocks' part against the replay's, both of this one run.
    clocks_ratio = (batch - (middle - start)) / (middle - start)
    mismatch = check_frame(frame, histories, policy)
    if mismatch is not None:
        print(f"MISMATCH: {mismatch}")
        return 1
    print(
        f"replay + SLA clocks over columns (sla_clocks): the same {frame.height} clocks in "
        f"{batch:.2f} CPU s ({wall:.2f} s wall), {batch / seconds:.1f}× the replay alone; "
        f"the clocks {clocks_ratio:.2f}× the replay they follow; "
        "every clock checked equal to the request's own (state, cycle, budget, time used, "
        "deadline, met)"
    )
    per_live = live_seconds / len(sample)
    print(
        f"live fold (receive + apply per step): {len(sample)} requests in {live_seconds:.2f} s "
        f"({per_live * 1e6:.0f} µs per request); replay is {per_live / per_request:.0f}× faster"
    )
    if args.floor:
        clocked = [replay(h, policy) for h in histories]
        each, building, reading = floor(clocked)
        print(
            f"floor: the clocks' {each:.1f} frozen values per request built again from their "
            f"fields by slot constructors in {building:.2f} CPU s, their state, deadline and met "
            f"read again in {reading:.2f}; with the replay, {seconds + building + reading:.2f} s "
            "before the fold's own arithmetic"
        )
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
    print(
        f"requests={len(histories)} seconds={seconds:.2f} seconds_with_clocks={with_clocks:.2f} "
        f"per_transition_us={per_transition * 1e6:.2f} batch_seconds_with_clocks={batch:.2f} "
        f"batch_clocks_ratio={clocks_ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
