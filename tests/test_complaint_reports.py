"""Tests for complaints._reports: 有求必应, 有应必解, 有解必答 as a report (brief §4).

The requests are built as the desk builds them, step by step with ``Request.take``. ``FULL`` is
a lifecycle policy whose SLA has, besides the default response targets, an 8-business-hour
resolution target and a 2-day callback target that starts at the resolution.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.classification import Category, Location
from propcrm.complaints import (
    DEFAULT_LIFECYCLE_POLICY,
    Action,
    Actor,
    CallbackOutcome,
    Gap,
    GapEntry,
    GapReport,
    HoldReason,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    Request,
    RequestKind,
    Role,
    State,
    principle_gaps,
    status_counts,
)
from propcrm.errors import (
    IllegalTransition,
    InvalidRequest,
    NaiveDatetime,
    NotAnInstant,
    RequestError,
    UnsupportedLocale,
)
from propcrm.sla import (
    DEFAULT_SLA_POLICY,
    HOTLINE_CALENDAR,
    SERVICE_CALENDAR,
    ClockState,
    Target,
    TargetKind,
    Within,
)

AGENT = Actor("KF-01", Role.AGENT)
PLUMBER = Actor("W-07", Role.HANDLER)
SUPERVISOR = Actor("S-1", Role.SUPERVISOR)
NIGHT = pendulum.datetime(2026, 11, 24, 23, 40, tz="Asia/Shanghai")
MONDAY = pendulum.datetime(2026, 11, 23, 9, 0, tz="Asia/Shanghai")


def _full_sla() -> Any:
    sla = DEFAULT_SLA_POLICY
    for priority in ("P1", "P2", "P3"):
        sla = sla.with_target(
            priority, Target(TargetKind.RESOLUTION, Within(8 * 3600, SERVICE_CALENDAR))
        ).with_target(
            priority,
            Target(
                TargetKind.CALLBACK, Within(2 * 86400, HOTLINE_CALENDAR), starts_with_request=False
            ),
        )
    return sla


FULL = LifecyclePolicy(sla=_full_sla())


def received(
    request_id: str,
    at: pendulum.DateTime,
    *,
    kind: RequestKind = RequestKind.REPAIR,
    requester: str = "P-301",
    category: Category = Category.WATER_LEAK,
    policy: LifecyclePolicy = FULL,
) -> Request:
    intake = Intake(
        request_id=request_id,
        kind=kind,
        requester=requester,
        unit="1-2-0301",
        channel=IntakeChannel.HOTLINE,
        category=category,
        location=Location.IN_HOME,
        description="厨房水管漏水",
    )
    return Request.receive(intake, AGENT, at, policy)


def dispatched(request: Request, at: pendulum.DateTime) -> Request:
    return (
        request.take(Action.ACKNOWLEDGE, AGENT, at)
        .take(Action.ASSESS, AGENT, at)
        .take(Action.DISPATCH, AGENT, at, assignee="W-07")
    )


def started(request: Request, at: pendulum.DateTime) -> Request:
    return dispatched(request, at).take(Action.START, PLUMBER, at)


def resolved(request: Request, at: pendulum.DateTime) -> Request:
    return started(request, at).take(Action.RESOLVE, PLUMBER, at, note="换阀门")


def closed(request: Request, at: pendulum.DateTime) -> Request:
    return (
        resolved(request, at)
        .take(Action.CALL_BACK, AGENT, at, outcome=CallbackOutcome.SATISFIED, score=5)
        .take(Action.CLOSE, AGENT, at)
    )


def only(report: GapReport) -> GapEntry:
    (entry,) = report.entries
    return entry


# -- 有求必应: the response ----------------------------------------------------------------------


def test_a_night_leak_misses_a_response_until_the_plumber_is_on_site() -> None:
    leak = received("R-1", NIGHT).take(Action.ACKNOWLEDGE, AGENT, NIGHT.add(minutes=1))
    early = only(principle_gaps([leak], as_of=NIGHT.add(minutes=10)))
    assert early.gap is Gap.RESPONSE
    assert early.since == early.received_at == NIGHT
    assert early.deadline == NIGHT.add(minutes=15)  # P2: 15 minutes on the 24-hour hotline
    assert early.clock_state is ClockState.RUNNING
    assert not early.overdue
    assert early.waited_seconds == 600
    assert (early.state, early.priority, early.assignee) == (State.ACKNOWLEDGED, "P2", None)
    assert (early.requester, early.unit) == ("P-301", "1-2-0301")
    assert only(principle_gaps([leak], as_of=NIGHT.add(minutes=15))).overdue is False
    assert only(principle_gaps([leak], as_of=NIGHT.add(minutes=16))).overdue is True

    on_site = (
        leak.take(Action.ASSESS, AGENT, NIGHT.add(minutes=2))
        .take(Action.DISPATCH, AGENT, NIGHT.add(minutes=3), assignee="W-07")
        .take(Action.START, PLUMBER, NIGHT.add(minutes=12))
    )
    assert only(principle_gaps([on_site], as_of=NIGHT.add(minutes=16))).gap is Gap.RESOLUTION


def test_a_complaint_in_mediation_before_anyone_came_still_misses_a_response_paused() -> None:
    complaint = received("R-1", NIGHT, kind=RequestKind.COMPLAINT, category=Category.NOISE)
    waiting = (
        complaint.take(Action.ACKNOWLEDGE, AGENT, NIGHT.add(minutes=1))
        .take(Action.ASSESS, AGENT, NIGHT.add(minutes=2))
        .take(
            Action.REFER_TO_MEDIATION,
            SUPERVISOR,
            NIGHT.add(minutes=5),
            referral="街道人民调解委员会",
            reason="邻里纠纷",
        )
    )
    entry = only(principle_gaps([waiting], as_of=NIGHT.add(days=3)))
    assert entry.gap is Gap.RESPONSE
    assert entry.clock_state is ClockState.PAUSED
    assert entry.deadline is None  # paused with budget left
    assert not entry.overdue  # three days later, but the clock ran only until the referral
    assert entry.hold_reason is None
    assert "计时暂停" in entry.explain()


# -- 有应必解: the resolution --------------------------------------------------------------------


def test_work_under_way_misses_a_resolution_with_the_policys_resolution_deadline() -> None:
    leak = started(received("R-1", MONDAY), MONDAY.add(minutes=10)).take(
        Action.ESCALATE, SUPERVISOR, MONDAY.add(minutes=20), level=1, reason="整栋楼停水"
    )
    as_of = MONDAY.add(hours=3)
    entry = only(principle_gaps([leak], as_of=as_of))
    assert entry.gap is Gap.RESOLUTION
    assert entry.since == MONDAY  # since receipt: never reopened
    assert entry.waited_seconds == 3 * 3600
    assert entry.deadline == leak.clocks.clock(TargetKind.RESOLUTION).deadline
    assert entry.deadline is not None
    assert entry.deadline > as_of
    assert (entry.assignee, entry.escalation_level) == ("W-07", 1)
    assert not entry.overdue
    late = only(principle_gaps([leak], as_of=entry.deadline.add(hours=1)))
    assert late.overdue


def test_without_a_resolution_target_the_gap_has_no_deadline_and_is_never_overdue() -> None:
    leak = started(received("R-1", MONDAY, policy=DEFAULT_LIFECYCLE_POLICY), MONDAY)
    entry = only(principle_gaps([leak], as_of=MONDAY.add(days=20)))
    assert entry.gap is Gap.RESOLUTION
    assert (entry.deadline, entry.clock_state, entry.overdue) == (None, None, False)
    assert "无时限目标" in entry.explain()
    assert "no time target" in entry.explain("en_US")


def test_a_hold_after_work_started_pauses_the_resolution_clock() -> None:
    leak = started(received("R-1", MONDAY), MONDAY).take(
        Action.HOLD, PLUMBER, MONDAY.add(hours=1), hold_reason=HoldReason.WAITING_FOR_PARTS
    )
    entry = only(principle_gaps([leak], as_of=MONDAY.add(days=3)))
    assert (entry.gap, entry.state, entry.clock_state) == (
        Gap.RESOLUTION,
        State.ON_HOLD,
        ClockState.PAUSED,
    )
    assert (entry.deadline, entry.overdue) == (None, False)


def test_a_dissatisfied_callback_reopens_and_the_resolution_is_owed_again_since_the_reopen() -> (
    None
):
    first = resolved(received("R-1", MONDAY), MONDAY.add(hours=1))
    again = first.take(
        Action.CALL_BACK,
        AGENT,
        MONDAY.add(hours=5),
        outcome=CallbackOutcome.DISSATISFIED,
        score=2,
    )
    assert again.state is State.REOPENED  # by policy, at the callback's instant
    entry = only(principle_gaps([again], as_of=MONDAY.add(hours=6)))
    assert entry.gap is Gap.RESOLUTION
    assert (entry.since, entry.received_at, entry.reopens) == (MONDAY.add(hours=5), MONDAY, 1)
    assert entry.deadline == again.clocks.clock(TargetKind.RESOLUTION).deadline
    assert entry.clock_state is ClockState.RUNNING


# -- 有解必答: the callback ----------------------------------------------------------------------


def test_a_resolved_request_misses_a_callback_with_its_unanswered_attempts() -> None:
    done_at = MONDAY.add(hours=2)
    leak = (
        resolved(received("R-1", MONDAY), done_at)
        .take(Action.CALLBACK_ATTEMPT, AGENT, done_at.add(hours=1))
        .take(Action.CALLBACK_ATTEMPT, AGENT, done_at.add(hours=3))
    )
    entry = only(principle_gaps([leak], as_of=done_at.add(hours=4)))
    assert entry.gap is Gap.CALLBACK
    assert entry.since == done_at
    assert entry.deadline == done_at.add(days=2)  # two days on the 24-hour calendar
    assert entry.callback_attempts == 2
    assert not entry.overdue
    assert "回访未接通 2 次" in entry.explain()
    assert "2 unanswered callback attempts" in entry.explain("en_US")
    assert only(principle_gaps([leak], as_of=done_at.add(days=2, seconds=1))).overdue


def test_one_unanswered_callback_attempt_is_singular_in_english() -> None:
    done_at = MONDAY.add(hours=2)
    leak = resolved(received("R-1", MONDAY), done_at).take(
        Action.CALLBACK_ATTEMPT, AGENT, done_at.add(hours=1)
    )
    entry = only(principle_gaps([leak], as_of=done_at.add(hours=2)))
    assert "回访未接通 1 次" in entry.explain()
    assert entry.explain("en_US").endswith("; 1 unanswered callback attempt")


def test_an_enquiry_answered_at_the_desk_goes_straight_to_the_callback() -> None:
    enquiry = (
        received("R-1", MONDAY, kind=RequestKind.ENQUIRY, category=Category.OTHER)
        .take(Action.ACKNOWLEDGE, AGENT, MONDAY)
        .take(Action.ASSESS, AGENT, MONDAY)
        .take(Action.RESOLVE, AGENT, MONDAY.add(minutes=5), note="物业费缴纳方式已告知")
    )
    entry = only(principle_gaps([enquiry], as_of=MONDAY.add(hours=1)))
    assert (entry.gap, entry.kind, entry.assignee) == (Gap.CALLBACK, RequestKind.ENQUIRY, None)


# -- what is never a gap ------------------------------------------------------------------------


def test_a_closed_request_is_never_listed_and_none_closes_without_a_callback() -> None:
    leak = resolved(received("R-1", MONDAY), MONDAY.add(hours=1))
    with pytest.raises(IllegalTransition, match="cannot close; from resolved it can: call_back"):
        leak.take(Action.CLOSE, AGENT, MONDAY.add(hours=2))
    called = leak.take(
        Action.CALL_BACK, AGENT, MONDAY.add(hours=2), outcome=CallbackOutcome.SATISFIED, score=4
    )
    done = called.take(Action.CLOSE, AGENT, MONDAY.add(hours=3))
    assert done.callback is not None
    assert done.resolution is not None
    for request in (called, done):
        report = principle_gaps([request], as_of=MONDAY.add(days=30))
        assert (report.entries, report.considered) == ((), 1)


@pytest.mark.parametrize(
    ("action", "data", "state"),
    [
        (Action.WITHDRAW, {"reason": "水管自己修好了"}, State.WITHDRAWN),
        (Action.REJECT, {"reason": "市政供水", "referral": "自来水公司"}, State.REJECTED),
        (
            Action.MARK_DUPLICATE,
            {"reason": "同一漏水", "duplicate_of": "R-0"},
            State.DUPLICATE,
        ),
    ],
)
def test_withdrawn_rejected_and_duplicate_requests_owe_nothing(
    action: Action, data: dict[str, str], state: State
) -> None:
    request = received("R-1", MONDAY).take(action, AGENT, MONDAY.add(minutes=1), **data)
    assert request.state is state
    report = principle_gaps([request], as_of=MONDAY.add(days=2))
    assert (report.entries, report.considered) == ((), 1)


# -- as of an instant ---------------------------------------------------------------------------


def test_requests_received_after_the_instant_are_not_considered() -> None:
    report = principle_gaps([received("R-1", MONDAY.add(hours=1))], as_of=MONDAY)
    assert (report.entries, report.considered) == ((), 0)


def test_history_after_the_instant_is_not_read() -> None:
    done = closed(received("R-1", MONDAY), MONDAY.add(hours=4))
    before = only(principle_gaps([done], as_of=MONDAY.add(minutes=30)))
    assert (before.gap, before.state) == (Gap.RESPONSE, State.RECEIVED)
    cut = Request.replay(done.history[:1], FULL)
    assert principle_gaps([done], as_of=MONDAY.add(minutes=30)) == principle_gaps(
        [cut], as_of=MONDAY.add(minutes=30)
    )
    assert principle_gaps([done], as_of=MONDAY.add(hours=4)).entries == ()


# -- order, counts and text ---------------------------------------------------------------------


def _portfolio() -> list[Request]:
    return [
        started(received("R-3", MONDAY.add(hours=2)), MONDAY.add(hours=2)),
        received("R-2", MONDAY.add(hours=3)),  # response due 15 minutes later: overdue
        resolved(received("R-1", MONDAY), MONDAY.add(hours=1)),
        received(
            "R-4", MONDAY.add(hours=4), kind=RequestKind.COMPLAINT, category=Category.NOISE
        ).take(Action.ACKNOWLEDGE, AGENT, MONDAY.add(hours=4)),
        closed(received("R-5", MONDAY), MONDAY.add(hours=1)),
    ]


def test_overdue_entries_come_first_then_the_longest_waiting() -> None:
    report = principle_gaps(_portfolio(), as_of=MONDAY.add(hours=4, minutes=5))
    assert [(e.request_id, e.gap, e.overdue) for e in report] == [
        ("R-2", Gap.RESPONSE, True),
        ("R-1", Gap.CALLBACK, False),
        ("R-3", Gap.RESOLUTION, False),
        ("R-4", Gap.RESPONSE, False),
    ]
    assert report.overdue == report.entries[:1]
    assert report.considered == 5
    assert len(report) == 4


def test_counts_by_gap_and_by_kind() -> None:
    report = principle_gaps(_portfolio(), as_of=MONDAY.add(hours=4, minutes=5))
    assert report.by_gap == {Gap.RESPONSE: 2, Gap.RESOLUTION: 1, Gap.CALLBACK: 1}
    assert report.by_kind == {
        RequestKind.COMPLAINT: 1,
        RequestKind.REPAIR: 3,
        RequestKind.ENQUIRY: 0,
        RequestKind.SUGGESTION: 0,
        RequestKind.SPECIAL_SERVICE: 0,
    }
    assert report.count(Gap.RESPONSE, RequestKind.COMPLAINT) == 1
    assert [e.request_id for e in report.of(Gap.RESPONSE)] == ["R-2", "R-4"]


def test_explain_in_chinese_and_english() -> None:
    report = principle_gaps(_portfolio(), as_of=MONDAY.add(hours=4, minutes=5))
    zh = report.explain()
    assert zh[0] == "截至 2026/11/23 13:05：未响应 2，未解决 1，未回访 1；已超时 1"
    assert zh[1].startswith("R-2 报修 未响应（有求必应）：2026/11/23 12:00 起，已等待 1小时")
    assert zh[1].endswith("已超时")
    assert "R-3 报修 未解决（有应必解）" in zh[3]
    assert "处理人 W-07" in zh[3]
    en = report.explain("en_US")
    assert en[0].startswith("As of 11/23/26, 1:05")
    assert en[0].endswith(
        "2 missing a response, 1 missing a resolution, 1 missing a callback; 1 overdue"
    )
    assert "R-1 repair missing a callback (every resolution is reported back)" in en[2]
    assert len(en) == len(zh) == 5


def test_explain_shows_times_in_the_zone_asked_for() -> None:
    report = principle_gaps([received("R-1", MONDAY)], as_of=MONDAY.add(minutes=1))
    assert "2026/11/23 01:00" in report.explain(tz="UTC")[1]


def test_gap_labels_and_targets() -> None:
    assert [g.label() for g in Gap] == ["未响应", "未解决", "未回访"]
    assert [g.principle() for g in Gap] == ["有求必应", "有应必解", "有解必答"]
    assert [g.label("en_US") for g in Gap] == [
        "missing a response",
        "missing a resolution",
        "missing a callback",
    ]
    assert [g.principle("en_US") for g in Gap] == [
        "every request gets a response",
        "every response gets a resolution",
        "every resolution is reported back",
    ]


@pytest.mark.parametrize("locale", ["fr_FR", "zh_TW", "en"])
def test_an_unsupported_locale_is_refused_by_the_report(locale: str) -> None:
    report = principle_gaps(_portfolio(), as_of=MONDAY.add(hours=4, minutes=5))
    with pytest.raises(UnsupportedLocale):
        report.explain(locale)
    with pytest.raises(UnsupportedLocale):
        report.entries[0].explain(locale)
    with pytest.raises(UnsupportedLocale):
        Gap.RESPONSE.label(locale)
    with pytest.raises(UnsupportedLocale):
        Gap.RESPONSE.principle(locale)
    assert [g.target for g in Gap] == [
        TargetKind.RESPONSE,
        TargetKind.RESOLUTION,
        TargetKind.CALLBACK,
    ]


def test_status_counts_by_state_and_kind() -> None:
    portfolio = _portfolio()
    assert status_counts(portfolio) == {
        (State.RECEIVED, RequestKind.REPAIR): 1,
        (State.ACKNOWLEDGED, RequestKind.COMPLAINT): 1,
        (State.IN_PROGRESS, RequestKind.REPAIR): 1,
        (State.RESOLVED, RequestKind.REPAIR): 1,
        (State.CLOSED, RequestKind.REPAIR): 1,
    }
    states, kinds = list(State), list(RequestKind)
    keys = list(status_counts(portfolio))
    assert keys == sorted(keys, key=lambda k: (states.index(k[0]), kinds.index(k[1])))
    assert status_counts(portfolio, as_of=MONDAY.add(minutes=30)) == {
        (State.RECEIVED, RequestKind.REPAIR): 2,
    }


# -- bad input ----------------------------------------------------------------------------------


def test_a_request_given_twice_is_refused() -> None:
    leak = received("R-1", MONDAY)
    with pytest.raises(InvalidRequest, match="R-1 is given twice"):
        principle_gaps([leak, leak.take(Action.ACKNOWLEDGE, AGENT, MONDAY)], as_of=MONDAY)
    with pytest.raises(InvalidRequest, match="given twice"):
        status_counts([leak, leak])


def test_only_requests_and_aware_instants_are_read() -> None:
    with pytest.raises(InvalidRequest, match="reads Requests"):
        principle_gaps(["R-1"], as_of=MONDAY)  # type: ignore[list-item]  # bad input on purpose
    with pytest.raises(NaiveDatetime):
        principle_gaps([], as_of=datetime.datetime(2026, 11, 23, 9, 0))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(NotAnInstant, match="as_of must be an aware datetime"):
        principle_gaps([], as_of=pendulum.date(2026, 11, 23))  # type: ignore[arg-type]  # on purpose


# -- properties over random lifecycles ----------------------------------------------------------

_WORKERS = ("W-07", "W-08")
_MINUTES = (0, 1, 5, 14, 16, 45, 120, 480, 1440)
_StepData = Callable[[st.DrawFn, Request], tuple[Actor, dict[str, Any]]]


def _reassign(draw: st.DrawFn, request: Request) -> tuple[Actor, dict[str, Any]]:
    other = next(w for w in _WORKERS if w != request.assignee)
    return SUPERVISOR, {"assignee": other, "reason": "换人"}


def _call_back(draw: st.DrawFn, request: Request) -> tuple[Actor, dict[str, Any]]:
    if request.callback_attempts >= 3 and draw(st.booleans()):
        return AGENT, {"outcome": CallbackOutcome.UNREACHABLE}
    score = draw(st.integers(1, 5))
    outcome = CallbackOutcome.SATISFIED if score >= 4 else CallbackOutcome.DISSATISFIED
    return AGENT, {"outcome": outcome, "score": score}


def _reprioritise(draw: st.DrawFn, request: Request) -> tuple[Actor, dict[str, Any]]:
    other = draw(st.sampled_from([p for p in ("P1", "P2", "P3") if p != request.priority]))
    return AGENT, {"priority": other, "reason": "复核"}


_MOVES: dict[Action, _StepData] = {
    Action.ACKNOWLEDGE: lambda d, r: (AGENT, {}),
    Action.ASSESS: lambda d, r: (AGENT, {}),
    Action.REJECT: lambda d, r: (AGENT, {"reason": "不属物业", "referral": "居委会"}),
    Action.MARK_DUPLICATE: lambda d, r: (AGENT, {"reason": "重复", "duplicate_of": "R-0"}),
    Action.DISPATCH: lambda d, r: (AGENT, {"assignee": d(st.sampled_from(_WORKERS))}),
    Action.REASSIGN: _reassign,
    Action.ESCALATE: lambda d, r: (
        SUPERVISOR,
        {"level": r.escalation_level + 1, "reason": "升级"},
    ),
    Action.REPRIORITISE: _reprioritise,
    Action.START: lambda d, r: (SUPERVISOR, {}),
    Action.HOLD: lambda d, r: (
        SUPERVISOR,
        {"hold_reason": d(st.sampled_from(list(HoldReason)))},
    ),
    Action.RESUME: lambda d, r: (SUPERVISOR, {}),
    Action.UPDATE: lambda d, r: (SUPERVISOR, {"note": "进度"}),
    Action.REFER_TO_MEDIATION: lambda d, r: (
        SUPERVISOR,
        {"referral": "人民调解委员会", "reason": "争议"},
    ),
    Action.RESOLVE: lambda d, r: (SUPERVISOR, {"note": "已处理"}),
    Action.CALLBACK_ATTEMPT: lambda d, r: (AGENT, {}),
    Action.CALL_BACK: _call_back,
    Action.CLOSE: lambda d, r: (AGENT, {}),
    Action.REOPEN: lambda d, r: (AGENT, {"reason": "又漏了"}),
    Action.WITHDRAW: lambda d, r: (AGENT, {"reason": "不需要了"}),
}

_FORWARD = frozenset(
    {
        Action.ACKNOWLEDGE,
        Action.ASSESS,
        Action.DISPATCH,
        Action.START,
        Action.RESOLVE,
        Action.CALL_BACK,
        Action.CLOSE,
        Action.RESUME,
    }
)
_ENDING = frozenset({Action.REJECT, Action.MARK_DUPLICATE, Action.WITHDRAW})

# Categories that the default rules classify to each of P1, P2 and P3.
_CATEGORIES = (Category.GAS_SMELL, Category.WATER_LEAK, Category.NOISE, Category.CLEANING)


@st.composite
def lifecycles(
    draw: st.DrawFn, request_id: str
) -> tuple[Request, tuple[tuple[pendulum.DateTime, Request], ...]]:
    """A request walked through random allowed steps, and each version of it with its time."""
    policy = draw(st.sampled_from([FULL, DEFAULT_LIFECYCLE_POLICY]))
    at = MONDAY.add(hours=draw(st.integers(-48, 72)), minutes=draw(st.integers(0, 59)))
    request = received(
        request_id,
        at,
        kind=draw(st.sampled_from(list(RequestKind))),
        category=draw(st.sampled_from(_CATEGORIES)),
        policy=policy,
    )
    versions = [(at, request)]
    for _ in range(draw(st.integers(0, 14))):
        choices = [a for a in request.allowed_actions if a in _MOVES]
        if not choices:
            break
        # Mostly forward, sometimes sideways, rarely to an end: walks reach every stage.
        bucket = draw(st.integers(0, 19))
        forward = [a for a in choices if a in _FORWARD]
        ending = [a for a in choices if a in _ENDING]
        if bucket < 13 and forward:
            choices = forward
        elif bucket < 19 and len(ending) < len(choices):
            choices = [a for a in choices if a not in _ENDING]
        action = draw(st.sampled_from(choices))
        at = at.add(minutes=draw(st.sampled_from(_MINUTES)))
        actor, data = _MOVES[action](draw, request)
        try:
            request = request.take(action, actor, at, **data)
        except RequestError:
            continue  # a guard refused this one (e.g. escalation past the top level)
        versions.append((at, request))
    return request, tuple(versions)


@st.composite
def portfolios(
    draw: st.DrawFn,
) -> tuple[list[Request], list[tuple[tuple[pendulum.DateTime, Request], ...]]]:
    count = draw(st.integers(1, 4))
    walks = [draw(lifecycles(f"R-{i + 1}")) for i in range(count)]
    return [final for final, _ in walks], [versions for _, versions in walks]


def _version_at(
    versions: tuple[tuple[pendulum.DateTime, Request], ...], at: pendulum.DateTime
) -> Request | None:
    found = None
    for when, version in versions:
        if when <= at:
            found = version
    return found


_AS_OF = st.integers(-60, 24 * 60 * 8).map(lambda m: MONDAY.add(minutes=m))


@settings(max_examples=100)
@given(portfolios(), _AS_OF)
def test_every_request_owed_something_is_listed_once_under_the_right_gap(
    portfolio: tuple[list[Request], list[tuple[tuple[pendulum.DateTime, Request], ...]]],
    as_of: pendulum.DateTime,
) -> None:
    finals, walks = portfolio
    report = principle_gaps(finals, as_of=as_of)
    listed = {e.request_id: e for e in report}
    assert len(listed) == len(report.entries)
    then = [v for v in (_version_at(w, as_of) for w in walks) if v is not None]
    assert report.considered == len(then)
    for request in then:
        entry = listed.get(request.request_id)
        response_open = request.clocks.clock(TargetKind.RESPONSE).is_open
        if request.is_final or request.state in (State.CALLED_BACK, State.CLOSED):
            assert entry is None
        elif response_open:
            assert entry is not None
            assert entry.gap is Gap.RESPONSE
        elif request.state is State.RESOLVED:
            assert entry is not None
            assert entry.gap is Gap.CALLBACK
            assert entry.since == request.resolved_at
        else:
            assert entry is not None
            assert entry.gap is Gap.RESOLUTION
        if entry is not None:
            assert entry.state is request.state
            assert entry.received_at <= entry.since <= as_of
            if entry.overdue:
                assert entry.deadline is not None
                assert entry.deadline < as_of


@settings(max_examples=100)
@given(portfolios(), _AS_OF)
def test_the_report_reads_each_request_as_it_stood_at_the_instant(
    portfolio: tuple[list[Request], list[tuple[tuple[pendulum.DateTime, Request], ...]]],
    as_of: pendulum.DateTime,
) -> None:
    finals, walks = portfolio
    then = [v for v in (_version_at(w, as_of) for w in walks) if v is not None]
    assert principle_gaps(finals, as_of=as_of) == principle_gaps(then, as_of=as_of)
    assert status_counts(finals, as_of=as_of) == status_counts(then)


@settings(max_examples=100)
@given(portfolios(), _AS_OF)
def test_counts_add_up_and_the_order_is_overdue_first_then_oldest(
    portfolio: tuple[list[Request], list[tuple[tuple[pendulum.DateTime, Request], ...]]],
    as_of: pendulum.DateTime,
) -> None:
    finals, _ = portfolio
    report = principle_gaps(finals, as_of=as_of)
    assert sum(report.by_gap.values()) == sum(report.by_kind.values()) == len(report)
    assert sum(report.count(g, k) for g in Gap for k in RequestKind) == len(report)
    keys = [(not e.overdue, e.since, e.request_id) for e in report]
    assert keys == sorted(keys)
    assert report.overdue == report.entries[: len(report.overdue)]
    assert len(report.explain()) == len(report.explain("en_US")) == len(report) + 1
    assert sum(status_counts(finals, as_of=as_of).values()) == report.considered
