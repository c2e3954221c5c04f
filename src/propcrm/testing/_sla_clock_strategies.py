"""Hypothesis strategies for SLA clock events: valid sequences, and the instants they start at.

Each strategy simulates the clock's state machine while it draws, so every sequence it returns
is accepted by :class:`~propcrm.sla.SlaClock` (clock-level sequences) or
:class:`~propcrm.sla.RequestClocks` (request-level sequences) without an error: a start first,
a pause only while running, a resume only while paused, a reopen only after a stop, nothing
after a cancel, timestamps never going backwards (equal ones included: a pause and a stop in one
step). They shrink towards the fewest events, the smallest gaps and the first choice of each
step (a stop).

>>> from hypothesis import given, settings
>>> from propcrm.sla import CalendarSet, SlaClock, Target, TargetKind, Within
>>> from propcrm.sla._targets import ElapsedTime
>>> target = Target(TargetKind.RESPONSE, Within(600, "24x7"))
>>> calendars = CalendarSet([ElapsedTime("24x7")])
>>> @settings(max_examples=20, database=None)
... @given(sla_clock_event_sequences(targets=[target]))
... def test_replay_rebuilds_the_clock(events):
...     clock = SlaClock.replay(target, calendars, events)
...     assert clock.rebuilt() == clock
>>> test_replay_rebuilds_the_clock()
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import attrs
import pendulum
from hypothesis import strategies as st

from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    AgreedTime,
    Cancelled,
    Paused,
    PriorityChanged,
    PriorityChangePolicy,
    Reopened,
    ReopenPolicy,
    Reset,
    Resumed,
    SlaEvent,
    SlaPolicy,
    Started,
    Stopped,
    Target,
    TargetChanged,
    TargetKind,
)
from propcrm.time import DEFAULT_ZONE

__all__ = [
    "sla_clock_event_sequences",
    "sla_instants",
    "sla_request_event_sequences",
]

_ACTORS = ("客服小王", "维修李师傅", "主管张经理")
_PAUSE_REASONS = ("等待业主回复", "等待配件", "业主不在家")
_REASONS = ("进度已告知业主", "业主要求", "重新派单")

# China's holidays are confirmed (and shipped) through 2026; instants stay well inside it so
# that a sequence of long gaps and a next-day deadline still land in a confirmed year.
_FIRST = pendulum.datetime(2025, 1, 1, tz=DEFAULT_ZONE)
_LAST = pendulum.datetime(2026, 9, 30, tz=DEFAULT_ZONE)


def sla_instants(
    *,
    min_value: datetime.datetime = _FIRST,
    max_value: datetime.datetime = _LAST,
    tz: str = DEFAULT_ZONE,
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware instants in whole seconds between the bounds, in zone ``tz``.

    Shrinks towards ``min_value`` (by default 1 January 2025, 00:00 in Shanghai; the default
    upper bound is 30 September 2026).
    """
    low, high = pendulum.instance(min_value), pendulum.instance(max_value)
    if low.tzinfo is None or high.tzinfo is None or low > high:
        raise ValueError(f"sla_instants: need aware bounds with min <= max, got {low}, {high}")
    span = high.int_timestamp - low.int_timestamp
    return st.integers(min_value=0, max_value=span).map(
        lambda s: pendulum.from_timestamp(low.int_timestamp + s, tz=tz)
    )


def _check_targets(targets: Sequence[Target]) -> tuple[Target, ...]:
    found = tuple(targets)
    if not found:
        raise ValueError("targets must not be empty")
    kinds = {t.kind for t in found}
    if len(kinds) != 1 or any(isinstance(t.spec, AgreedTime) for t in found):
        raise ValueError(
            "targets must be specs of one kind (the first is where the clock starts), none of "
            f"them an agreed time; got {found}"
        )
    return found


def _choices(
    state: str, *, pausable: bool, retarget: bool, reopen: bool, cancel: bool
) -> list[str]:
    """The verbs the state machine allows next; the first (a stop) is the one to shrink to."""
    if state == "stopped":
        return ["reopen"] if reopen else []
    choices = ["stop", "reset"] + (["pause"] if pausable and state == "running" else [])
    choices += ["resume"] if state == "paused" else []
    choices += ["retarget"] if retarget else []
    choices += ["cancel"] if cancel else []
    return choices


@attrs.frozen
class _Plan:
    """What a sequence may hold: the targets (or priorities) it moves between, the policies."""

    targets: tuple[Target, ...]
    priorities: tuple[str, ...] | None
    only: frozenset[TargetKind] | None
    reopen_policies: st.SearchStrategy[ReopenPolicy | None]
    change_policies: st.SearchStrategy[PriorityChangePolicy | None]


def _switchable(plan: _Plan, current: int, state: str) -> list[int]:
    """The other targets a change may move to (only pausable ones while paused)."""
    return [
        i
        for i, target in enumerate(plan.targets)
        if i != current and (state != "paused" or target.pausable)
    ]


def _next_event(
    draw: st.DrawFn, plan: _Plan, verb: str, at: pendulum.DateTime, current: int, state: str
) -> tuple[SlaEvent, str | None, int]:
    """The event for ``verb``, the state after it (``None``: unchanged) and the target index."""
    actor = draw(st.sampled_from(_ACTORS))
    only = plan.only
    match verb:
        case "stop":
            return Stopped(at, actor, targets=only), "stopped", current
        case "pause":
            reason = draw(st.sampled_from(_PAUSE_REASONS))
            return Paused(at, actor, reason, targets=only), "paused", current
        case "resume":
            return Resumed(at, actor, targets=only), "running", current
        case "reset":
            return Reset(at, actor, draw(st.sampled_from(_REASONS)), targets=only), None, current
        case "cancel":
            return Cancelled(at, actor, "业主撤销", targets=only), "cancelled", current
        case "reopen":
            policy = draw(plan.reopen_policies)
            reopened = Reopened(at, actor, "业主反映未修好", targets=only, policy=policy)
            return reopened, "running", current
    chosen = draw(st.sampled_from(_switchable(plan, current, state)))
    change = draw(plan.change_policies)
    if plan.priorities is not None:
        priority = plan.priorities[chosen]
        event: SlaEvent = PriorityChanged(
            at, actor, "重新评估优先级", priority=priority, policy=change
        )
    else:
        event = TargetChanged(at, actor, "调整服务标准", target=plan.targets[chosen], policy=change)
    return event, None, chosen


@st.composite
def _sequence(
    draw: st.DrawFn,
    *,
    starts: st.SearchStrategy[pendulum.DateTime],
    plan: _Plan,
    max_events: int,
    max_gap_seconds: int,
    retarget: bool,
    reopen: bool,
    cancel: bool,
) -> tuple[SlaEvent, ...]:
    at = draw(starts)
    events: list[SlaEvent] = [
        Started(at, draw(st.sampled_from(_ACTORS)), "受理", targets=plan.only)
    ]
    state, current = "running", 0
    for _ in range(draw(st.integers(min_value=0, max_value=max_events - 1))):
        choices = _choices(
            state,
            pausable=plan.targets[current].pausable,
            retarget=retarget and bool(_switchable(plan, current, state)),
            reopen=reopen,
            cancel=cancel,
        )
        if state == "cancelled" or not choices:
            break
        at = at.add(seconds=draw(st.integers(min_value=0, max_value=max_gap_seconds)))
        event, after, current = _next_event(
            draw, plan, draw(st.sampled_from(choices)), at, current, state
        )
        events.append(event)
        state = after or state
    return tuple(events)


def _plan(targets: tuple[Target, ...], priorities: tuple[str, ...] | None) -> _Plan:
    # A request fills a missing policy in from its SLA policy; a single clock needs it given.
    request_level = priorities is not None
    reopens: list[ReopenPolicy | None] = [*ReopenPolicy, *([None] if request_level else [])]
    changes: list[PriorityChangePolicy | None] = [
        *PriorityChangePolicy,
        *([None] if request_level else []),
    ]
    return _Plan(
        targets,
        priorities,
        None if request_level else frozenset({targets[0].kind}),
        st.sampled_from(reopens),
        st.sampled_from(changes),
    )


def sla_clock_event_sequences(
    *,
    targets: Sequence[Target],
    starts: st.SearchStrategy[pendulum.DateTime] | None = None,
    max_events: int = 12,
    max_gap_seconds: int = 3 * 86_400,
    retarget: bool = True,
    reopen: bool = True,
    cancel: bool = True,
) -> st.SearchStrategy[tuple[SlaEvent, ...]]:
    """Valid event sequences for one target's :class:`~propcrm.sla.SlaClock`.

    The clock starts with ``targets[0]``; a :class:`~propcrm.sla.TargetChanged` switches to
    another of ``targets`` (all of one kind) under either change policy. Events name the target
    and carry their policies, as the clock-level fold needs.

    Args:
        targets: the specs the clock may run under, all of one kind, no agreed time.
        starts: the instant of the first event; default :func:`sla_instants`.
        max_events: the most events, the start included (1 or more); default 12.
        max_gap_seconds: the longest gap between two events (0 or more); default 3 days.
        retarget: whether to draw target changes; default ``True``.
        reopen: whether to draw reopens after a stop; default ``True``.
        cancel: whether to draw a cancel (which ends the sequence); default ``True``.
    """
    found = _check_targets(targets)
    if max_events < 1 or max_gap_seconds < 0:
        raise ValueError("max_events must be 1 or more and max_gap_seconds 0 or more")
    return _sequence(
        starts=starts if starts is not None else sla_instants(),
        plan=_plan(found, None),
        max_events=max_events,
        max_gap_seconds=max_gap_seconds,
        retarget=retarget,
        reopen=reopen,
        cancel=cancel,
    )


def sla_request_event_sequences(
    *,
    policy: SlaPolicy = DEFAULT_SLA_POLICY,
    priority: str = "P3",
    starts: st.SearchStrategy[pendulum.DateTime] | None = None,
    max_events: int = 12,
    max_gap_seconds: int = 3 * 86_400,
    retarget: bool = True,
    reopen: bool = True,
    cancel: bool = True,
) -> st.SearchStrategy[tuple[SlaEvent, ...]]:
    """Valid request-level event sequences for :class:`~propcrm.sla.RequestClocks`.

    For policies whose levels each have one target, all of the same kind (the default policy:
    a response target at every level); events go to every target (``targets=None``), and a
    :class:`~propcrm.sla.PriorityChanged` moves between the policy's priorities, starting from
    ``priority``. Reopens and changes carry a policy, or none (the request fills it in).
    """
    levels = tuple(policy.levels)
    kinds = {target.kind for level in levels for target in level.targets}
    if any(len(level.targets) != 1 for level in levels) or len(kinds) != 1:
        raise ValueError("every level of the policy must have exactly one target, of one kind")
    codes = policy.priorities
    if priority not in codes:
        raise ValueError(f"priority {priority!r} is not in the policy's {codes}")
    ordered = (priority, *(c for c in codes if c != priority))
    return _sequence(
        starts=starts if starts is not None else sla_instants(),
        plan=_plan(tuple(policy.level(c).targets[0] for c in ordered), ordered),
        max_events=max_events,
        max_gap_seconds=max_gap_seconds,
        retarget=retarget,
        reopen=reopen,
        cancel=cancel,
    )
