"""Hypothesis strategies for service requests: intakes, actors, policies, valid steps, requests.

:func:`requests` draws a valid :class:`~propcrm.complaints.Request` the way a desk makes one: it
receives a drawn intake and then walks the transition table, taking at each step one of the
actions the request allows (:attr:`~propcrm.complaints.Request.allowed_actions`) with data that
satisfies the row's ``needs`` and guards — an assignee to dispatch, the assignee as the handler
who starts and resolves, a score that fits the callback's outcome, enough unanswered attempts
before "unreachable", a quote priced from a small published price list for a special service,
times that never go backwards. :func:`next_steps` draws one such step for a given request, so
stateful tests can drive a live request with it.

Everything shrinks towards the simplest: a repair by hotline about the first category, a
policy with the default SLA, the fewest steps, the first allowed action (by code), the first
option of every choice, zero-second gaps. Instants stay inside 2025–2026, the years whose
holiday notices are confirmed, so service-hours deadlines can always be computed.

>>> from hypothesis import given, settings
>>> from propcrm.complaints import Request
>>> @settings(max_examples=10, database=None)
... @given(requests(max_steps=8))
... def test_replay_rebuilds_the_request(request):
...     again = Request.replay(request.history, request.policy)
...     assert again == request and again.clocks == request.clocks
>>> test_replay_rebuilds_the_request()
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

import pendulum
from hypothesis import strategies as st

from propcrm.billing import (
    PriceItem,
    PriceList,
    PriceLists,
)
from propcrm.classification import Category, Location
from propcrm.complaints._actors import SYSTEM, Actor, Role
from propcrm.complaints._kinds import Attachment, IntakeChannel, RequestKind
from propcrm.complaints._policy import (
    DEFAULT_CALLBACK_ATTEMPTS,
    DEFAULT_MAX_ESCALATION_LEVEL,
    DEFAULT_REOPEN_WITHIN_DAYS,
    DEFAULT_SATISFIED_FROM,
    LifecyclePolicy,
)
from propcrm.complaints._quotes import Quote, quote_service
from propcrm.complaints._requests import Request
from propcrm.complaints._states import State
from propcrm.complaints._steps import CallbackOutcome, HoldReason, Intake, Step, StepData
from propcrm.complaints._transitions import Action, Field, Transition
from propcrm.money import Money
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    PriorityChangePolicy,
    ReopenPolicy,
    SlaPolicy,
    Target,
    TargetKind,
    Within,
)
from propcrm.testing._classification_strategies import requester_profiles
from propcrm.testing._sla_clock_strategies import sla_instants
from propcrm.time import (
    DEFAULT_ZONE,
    local_date,
)

__all__ = [
    "SPECIAL_SERVICE_PRICES",
    "actors",
    "feasible_actions",
    "intakes",
    "lifecycle_policies",
    "next_steps",
    "quotes",
    "requests",
]

SPECIAL_SERVICE_PRICES = PriceLists(
    (
        PriceList(
            "2020A",
            effective_from=pendulum.date(2020, 1, 1),
            published_on=pendulum.date(2019, 12, 1),
            items=(
                PriceItem("AC-CLEAN", "空调清洗", Money("80.00"), "台"),
                PriceItem("DRAIN-CLEAR", "管道疏通", Money("120.00"), "次"),
                PriceItem("HOUSEKEEPING", "家政保洁", Money("45.50"), "小时"),
            ),
        ),
        PriceList(
            "2026A",
            effective_from=pendulum.date(2026, 1, 1),
            published_on=pendulum.date(2025, 12, 1),
            items=(
                PriceItem("AC-CLEAN", "空调清洗", Money("85.00"), "台"),
                PriceItem("DRAIN-CLEAR", "管道疏通", Money("120.00"), "次"),
                PriceItem("HOUSEKEEPING", "家政保洁", Money("48.00"), "小时"),
            ),
        ),
    )
)
"""The published special-service price lists (brief §3) that drawn quotes are priced from."""

# Staff ids per role, as a community's roster names them; the first of each is the shrink target.
_STAFF_IDS = {
    Role.AGENT: ("KF-01", "KF-02"),
    Role.DISPATCHER: ("DD-01",),
    Role.HANDLER: ("W-07", "W-12", "W-23"),
    Role.SUPERVISOR: ("ZG-01",),
    Role.MANAGER: ("JL-01",),
    Role.REQUESTER: ("P-301", "P-502", "O-001"),
}
_TEAMS = ("水电班", "综合维修班", "客服中心")
_NOTES = ("已联系业主", "更换阀门", "已答复业主", "重新密封接口", "已现场查看")
_REASONS = ("业主要求", "情况紧急", "超时未处理", "业主不满意", "重复来电")
_REFERRALS = ("供电公司", "自来水公司", "街道人民调解委员会", "社区居委会", "燃气公司")
_STATEMENTS = ("SUNRISE/2026-01/1-2-0301", "SUNRISE/2026-02/1-2-0301")
_UNITS = ("1-2-0301", "3-1-1502", "5-2-0101")
_TERRITORIES = ("A区", "B区")
_DESCRIPTIONS = ("厨房水管漏水", "楼上装修噪音", "请问物业费怎么交", "建议增加充电桩", "清洗空调")

# Instants stay inside confirmed holiday years even after a long walk: start by mid-2026.
_FIRST = pendulum.datetime(2025, 1, 1, tz=DEFAULT_ZONE)
_LAST_START = pendulum.datetime(2026, 6, 30, tz=DEFAULT_ZONE)
_DEFAULT_MAX_GAP = 6 * 3600
_HOUR = 3600
_DAY = 86_400


# -- actors, intakes, quotes, policies --------------------------------------------------------


def actors(*, role: Role | None = None) -> st.SearchStrategy[Actor]:
    """An actor in ``role`` (any role when ``None``) with a staff or party id of that role.

    The system role is always :data:`~propcrm.complaints.SYSTEM`. Shrinks to the first agent.
    """
    roles = list(Role) if role is None else [role]
    if not all(isinstance(r, Role) for r in roles):
        raise ValueError(f"actors: role must be a Role or None, got {role!r}")
    ordered = sorted(roles, key=lambda r: r is not Role.AGENT)  # an agent is the simplest
    return st.sampled_from(ordered).flatmap(_actor_of)


def _actor_of(role: Role) -> st.SearchStrategy[Actor]:
    if role is Role.SYSTEM:
        return st.just(SYSTEM)
    return st.sampled_from(_STAFF_IDS[role]).map(lambda actor_id: Actor(actor_id, role))


@st.composite
def intakes(
    draw: st.DrawFn,
    *,
    kinds: Sequence[RequestKind] | None = None,
    request_ids: st.SearchStrategy[str] | None = None,
) -> Intake:
    """An intake of one of ``kinds`` (every kind by default), with a drawn channel and category.

    Ids are ``R-0001``-like unless ``request_ids`` is given. Shrinks to a hotline repair of the
    first category with no unit, description, attachments or requester attributes.
    """
    chosen = list(RequestKind) if kinds is None else list(kinds)
    if not chosen or not all(isinstance(k, RequestKind) for k in chosen):
        raise ValueError(f"intakes: kinds must be a non-empty sequence of RequestKind, got {kinds}")
    chosen.sort(key=lambda k: k is not RequestKind.REPAIR)
    ids = request_ids if request_ids is not None else st.integers(1, 9999).map("R-{:04d}".format)
    attachments = st.lists(
        st.sampled_from(("oss://photos/leak-1.jpg", "oss://audio/call-2.amr")).map(Attachment),
        max_size=2,
        unique=True,
    )
    kind = draw(st.sampled_from(chosen))
    # A complaint says what it is about; other kinds may leave the description empty.
    texts = st.sampled_from(_DESCRIPTIONS)
    description = texts if kind is RequestKind.COMPLAINT else st.just("") | texts
    return Intake(
        request_id=draw(ids),
        kind=kind,
        requester=draw(st.sampled_from(_STAFF_IDS[Role.REQUESTER])),
        channel=draw(st.sampled_from(list(IntakeChannel))),
        category=draw(st.sampled_from(list(Category))),
        unit=draw(st.none() | st.sampled_from(_UNITS)),
        description=draw(description),
        remedy_sought=draw(st.just("") | st.just("尽快修好")),
        attachments=draw(attachments),
        location=draw(st.sampled_from(list(Location))),
        requester_profile=draw(requester_profiles()),
        territory=draw(st.none() | st.sampled_from(_TERRITORIES)),
    )


def quotes(
    *, on: datetime.date | st.SearchStrategy[datetime.date] | None = None
) -> st.SearchStrategy[Quote]:
    """A quote priced by :func:`~propcrm.complaints.quote_service` from the published list.

    The list is :data:`SPECIAL_SERVICE_PRICES`; the quote is made ``on`` a date, a strategy of
    dates, or by default a day of 2025–2026. Quantities are whole or half units from 1 to 5.
    """
    if on is None:
        days: st.SearchStrategy[datetime.date] = st.dates(
            datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
        )
    elif isinstance(on, datetime.date):
        days = st.just(on)
    else:
        days = on
    codes = st.sampled_from(("AC-CLEAN", "DRAIN-CLEAR", "HOUSEKEEPING"))
    quantities = st.integers(2, 10).map(lambda halves: f"{halves // 2}.{5 * (halves % 2)}")
    return st.builds(
        lambda code, quantity, day: quote_service(SPECIAL_SERVICE_PRICES, code, quantity, day),
        codes,
        quantities,
        days,
    )


@st.composite
def _sla_policies(draw: st.DrawFn) -> SlaPolicy:
    sla = DEFAULT_SLA_POLICY
    for priority in sla.priorities:
        if draw(st.booleans()):
            hours = draw(st.sampled_from((8, 4, 24)))
            calendar = draw(st.sampled_from((SERVICE_CALENDAR, HOTLINE_CALENDAR)))
            sla = sla.with_target(
                priority, Target(TargetKind.RESOLUTION, Within(hours * _HOUR, calendar))
            )
        if draw(st.booleans()):
            days = draw(st.sampled_from((2, 1, 3)))
            sla = sla.with_target(
                priority,
                Target(
                    TargetKind.CALLBACK,
                    Within(days * _DAY, HOTLINE_CALENDAR),
                    starts_with_request=False,
                ),
            )
        if draw(st.booleans()):
            sla = sla.with_target(
                priority, Target(TargetKind.UPDATE, Within(_DAY, HOTLINE_CALENDAR))
            )
    reopen = draw(st.sampled_from(list(ReopenPolicy)))
    change = draw(st.sampled_from(list(PriorityChangePolicy)))
    return SlaPolicy(sla.levels, priority_change=change, reopen=reopen, name="drawn")


@st.composite
def lifecycle_policies(draw: st.DrawFn, *, sla: SlaPolicy | None = None) -> LifecyclePolicy:
    """A lifecycle policy around the default SLA (or ``sla``), with drawn numbers.

    The drawn SLA adds, at each priority, maybe a resolution, a callback (started at the
    resolution) and an update target, under any reopen and priority-change policy. The numbers
    drawn are the callback attempts, the satisfied-from score, reopen on dissatisfied, the
    reopen window and the highest escalation level. No roster. Shrinks to the default policy.
    """
    chosen = sla if sla is not None else draw(st.just(DEFAULT_SLA_POLICY) | _sla_policies())
    return LifecyclePolicy(
        sla=chosen,
        callback_attempts=draw(st.sampled_from((DEFAULT_CALLBACK_ATTEMPTS, 1, 2))),
        satisfied_from=draw(st.sampled_from((DEFAULT_SATISFIED_FROM, 3, 5, 2))),
        reopen_on_dissatisfied=draw(st.sampled_from((True, False))),
        reopen_within_days=draw(st.sampled_from((DEFAULT_REOPEN_WITHIN_DAYS, 0, 7))),
        max_escalation_level=draw(st.sampled_from((DEFAULT_MAX_ESCALATION_LEVEL, 1, 2))),
    )


# -- one valid step ---------------------------------------------------------------------------

_ENDING = frozenset({Action.REJECT, Action.MARK_DUPLICATE, Action.WITHDRAW, Action.DECLINE_QUOTE})
"""Actions that end a request; a walk takes them rarely, so it usually gets somewhere."""

_SENIOR = frozenset({Role.SUPERVISOR, Role.MANAGER})
_HANDLER_GUARDED = frozenset({Action.START, Action.RESUME, Action.RESOLVE})


def _reopen_deadline(request: Request) -> pendulum.DateTime | None:
    """The last instant a closed request may be reopened (``None`` unless it is closed)."""
    if request.state is not State.CLOSED or request.closed_at is None:
        return None
    policy = request.policy
    closed = local_date(request.closed_at, policy.zone)
    last_day = closed.add(days=policy.reopen_within_days + 1)
    return pendulum.datetime(last_day.year, last_day.month, last_day.day, tz=policy.zone).subtract(
        seconds=1
    )


def _dissatisfied(request: Request) -> bool:
    callback = request.callback
    return callback is not None and callback.outcome is CallbackOutcome.DISSATISFIED


def _can(request: Request, action: Action) -> bool:
    """Whether some data, actor and time let ``action`` pass its guards on ``request``."""
    policy = request.policy
    match action:
        case Action.ESCALATE:
            return request.escalation_level < policy.max_escalation_level
        case Action.REPRIORITISE:
            return len(policy.sla.priorities) > 1
        case Action.AGREE_TIME:
            return not request.appointment_done
        case Action.START:
            return request.assignee is not None
        case Action.CLOSE:
            return not (_dissatisfied(request) and policy.reopen_on_dissatisfied)
        case Action.REOPEN:
            deadline = _reopen_deadline(request)
            return deadline is None or request.last_step.at <= deadline
        case Action.POST_CHARGE:
            return (
                request.quote is not None
                and request.quote_accepted
                and request.charge_statement is None
            )
        case _:
            return True


def feasible_actions(
    request: Request, *, actions: Iterable[Action] | None = None
) -> tuple[Action, ...]:
    """The allowed actions of ``request`` that some data, actor and time take past the guards.

    Only those in ``actions``, when given; sorted by code.

    Not a strategy: it tells a stateful test whether :func:`next_steps` can draw a step.
    """
    wanted = None if actions is None else frozenset(actions)
    return tuple(
        a for a in request.allowed_actions if (wanted is None or a in wanted) and _can(request, a)
    )


def next_steps(
    request: Request,
    *,
    actions: Iterable[Action] | None = None,
    max_gap_seconds: int = _DEFAULT_MAX_GAP,
) -> st.SearchStrategy[Step]:
    """A step that ``request`` accepts: a feasible action, the right actor, valid data.

    The action is one of ``request.allowed_actions`` (of ``actions``, when given), taken by an
    actor whose role may take it, with data that passes the row's needs and guards, at most
    ``max_gap_seconds`` after the last step (a reopen of a closed request within its window).

    Raises ``ValueError`` when no such action exists (see :func:`feasible_actions`). Actions
    that end the request (reject, duplicate, withdraw, decline) are drawn about one time in
    eight when others are possible. Shrinks to the first action by code, no gap.
    """
    if isinstance(max_gap_seconds, bool) or not isinstance(max_gap_seconds, int):
        raise ValueError(f"next_steps: max_gap_seconds must be an int, got {max_gap_seconds!r}")
    if max_gap_seconds < 0:
        raise ValueError(f"next_steps: max_gap_seconds must be 0 or more, got {max_gap_seconds}")
    choices = feasible_actions(request, actions=actions)
    if not choices:
        raise ValueError(
            f"next_steps: request {request.request_id} in state {request.state.value} can take "
            "none of the given actions"
        )
    return _steps(request, choices, max_gap_seconds)


@st.composite
def _steps(
    draw: st.DrawFn, request: Request, choices: tuple[Action, ...], max_gap_seconds: int
) -> Step:
    going_on = [a for a in choices if a not in _ENDING]
    if going_on and draw(st.integers(0, 7)) < 7:
        action = draw(st.sampled_from(going_on))
    else:
        action = draw(st.sampled_from(choices))
    row = request.policy.transitions.find(request.state, action, request.kind)
    last = request.last_step.at
    deadline = _reopen_deadline(request) if action is Action.REOPEN else None
    gap_limit = max_gap_seconds
    if deadline is not None:
        gap_limit = min(gap_limit, int((deadline - last).total_seconds()))
    at = last.add(seconds=draw(st.integers(0, gap_limit)))
    actor = draw(_actors_for(request, row))
    data = draw(_data_for(request, row, actor, at))
    return Step(action, actor, at, data)


def _actors_for(request: Request, row: Transition) -> st.SearchStrategy[Actor]:
    roles = [r for r in Role if r in row.roles]
    if row.action is Action.CLOSE and _dissatisfied(request):
        roles = [r for r in roles if r in _SENIOR]
    if row.action in _HANDLER_GUARDED and request.assignee is None:
        roles = [r for r in roles if r is not Role.HANDLER]
    return st.sampled_from(roles).flatmap(lambda role: _actor_in(request, role))


def _actor_in(request: Request, role: Role) -> st.SearchStrategy[Actor]:
    if role is Role.HANDLER and request.assignee is not None:
        return st.just(Actor(request.assignee, role))  # a handler works on their own requests
    if role is Role.REQUESTER:
        return st.just(Actor(request.intake.requester, role))
    return _actor_of(role)


_Values = Callable[[Request, Action, pendulum.DateTime], st.SearchStrategy[object]]


def _assignees(request: Request, action: Action, at: pendulum.DateTime) -> st.SearchStrategy[str]:
    handlers = _STAFF_IDS[Role.HANDLER]
    if action is Action.REASSIGN:
        return st.sampled_from([h for h in handlers if h != request.assignee])
    return st.sampled_from(handlers)


def _levels(request: Request, action: Action, at: pendulum.DateTime) -> st.SearchStrategy[int]:
    return st.integers(request.escalation_level + 1, request.policy.max_escalation_level)


def _appointments(
    request: Request, action: Action, at: pendulum.DateTime
) -> st.SearchStrategy[pendulum.DateTime]:
    return st.integers(60, 3 * 24 * 60).map(lambda minutes: at.add(minutes=minutes))


def _duplicates(request: Request, action: Action, at: pendulum.DateTime) -> st.SearchStrategy[str]:
    others = st.integers(1, 9999).map("R-{:04d}".format)
    return others.filter(lambda other: other != request.request_id)


def _priorities(request: Request, action: Action, at: pendulum.DateTime) -> st.SearchStrategy[str]:
    codes = request.policy.sla.priorities
    if action is Action.REPRIORITISE:
        return st.sampled_from([c for c in codes if c != request.priority])
    return st.sampled_from(codes)


def _sampled(values: Sequence[object]) -> _Values:
    return lambda request, action, at: st.sampled_from(values)


_VALUES: dict[Field, _Values] = {
    Field.REASON: _sampled(_REASONS),
    Field.NOTE: _sampled(_NOTES),
    Field.REFERRAL: _sampled(_REFERRALS),
    Field.DUPLICATE_OF: _duplicates,
    Field.ASSIGNEE: _assignees,
    Field.TEAM: _sampled(_TEAMS),
    Field.LEVEL: _levels,
    Field.HOLD_REASON: _sampled(list(HoldReason)),
    Field.APPOINTMENT: _appointments,
    Field.QUOTE: lambda request, action, at: quotes(on=local_date(at, request.policy.zone)),
    Field.STATEMENT: _sampled(_STATEMENTS),
    Field.PRIORITY: _priorities,
}
"""How to draw each field a step may carry; outcome and score are drawn together."""


@st.composite
def _data_for(
    draw: st.DrawFn, request: Request, row: Transition, actor: Actor, at: pendulum.DateTime
) -> StepData:
    values: dict[str, object] = {}
    for field in sorted(row.fields, key=lambda f: f.value):
        if field in (Field.OUTCOME, Field.SCORE):
            continue
        if field in row.needs or draw(st.booleans()):
            values[field.value] = draw(_VALUES[field](request, row.action, at))
    if Field.OUTCOME in row.needs:
        outcome, score = draw(_callback_results(request))
        values["outcome"] = outcome
        values["score"] = score
    # Guards that tie fields together: a changed priority needs a reason, and so does closing
    # a dissatisfied request (where the policy lets it close at all).
    changed = values.get("priority") not in (None, request.priority)
    if (changed or (row.action is Action.CLOSE and _dissatisfied(request))) and (
        Field.REASON in row.fields
    ):
        values.setdefault("reason", draw(st.sampled_from(_REASONS)))
    return StepData(**values)  # type: ignore[arg-type]  # keys are StepData's field names


@st.composite
def _callback_results(draw: st.DrawFn, request: Request) -> tuple[CallbackOutcome, int | None]:
    policy = request.policy
    outcomes = [CallbackOutcome.SATISFIED]
    if policy.satisfied_from > 1:
        outcomes.append(CallbackOutcome.DISSATISFIED)
    if request.callback_attempts >= policy.callback_attempts:
        outcomes.append(CallbackOutcome.UNREACHABLE)
    outcome = draw(st.sampled_from(outcomes))
    if outcome is CallbackOutcome.SATISFIED:
        return outcome, draw(st.integers(policy.satisfied_from, 5))
    if outcome is CallbackOutcome.DISSATISFIED:
        return outcome, draw(st.integers(1, policy.satisfied_from - 1))
    return outcome, None


# -- whole requests ---------------------------------------------------------------------------


@st.composite
def requests(
    draw: st.DrawFn,
    *,
    policy: LifecyclePolicy | st.SearchStrategy[LifecyclePolicy] | None = None,
    kinds: Sequence[RequestKind] | None = None,
    max_steps: int = 12,
    starts: st.SearchStrategy[pendulum.DateTime] | None = None,
    max_gap_seconds: int = _DEFAULT_MAX_GAP,
) -> Request:
    """A valid request: a drawn intake received, then a random walk through the table.

    The walk takes up to ``max_steps`` steps (0 or more; default 12), each drawn by
    :func:`next_steps` at most ``max_gap_seconds`` (default 6 hours) after the last and applied
    with :meth:`~propcrm.complaints.Request.apply`, so a dissatisfied callback is followed by
    the policy's reopen; it ends early when the request can take no step. ``policy`` is a
    lifecycle policy or a strategy of them (default :func:`lifecycle_policies`); ``kinds`` the
    request kinds to draw from (default all); ``starts`` a strategy of receipt instants
    (default 2025 to mid-2026, so deadlines stay in years with confirmed holidays).
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise ValueError(f"requests: max_steps must be an int of 0 or more, got {max_steps!r}")
    if policy is None:
        chosen = draw(lifecycle_policies())
    elif isinstance(policy, LifecyclePolicy):
        chosen = policy
    else:
        chosen = draw(policy)
    intake = draw(intakes(kinds=kinds))
    at = draw(
        starts if starts is not None else sla_instants(min_value=_FIRST, max_value=_LAST_START)
    )
    receiver = draw(st.sampled_from([r for r in Role if r in _receive_roles(chosen, intake)]))
    actor = Actor(intake.requester, receiver) if receiver is Role.REQUESTER else None
    request = Request.receive(intake, actor or draw(_actor_of(receiver)), at, chosen)
    for _ in range(draw(st.integers(0, max_steps))):
        if not feasible_actions(request):
            break
        request = request.apply(draw(next_steps(request, max_gap_seconds=max_gap_seconds)))
    return request


def _receive_roles(policy: LifecyclePolicy, intake: Intake) -> frozenset[Role]:
    return policy.transitions.receive_row(intake.kind).roles
