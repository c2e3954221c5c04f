"""Bad input to every public entry point of propcrm.complaints is refused with a library error.

Issue 18: each argument of each entry point in ``propcrm.complaints.__all__`` is fed the
malformed values of its kind (:mod:`tests.bad_input`), and :func:`assert_refused` checks that only
a :class:`~propcrm.errors.PropcrmError` with its context comes out. Where a malformed value of a
shared strategy is valid for one argument (``None`` for an optional unit, spaces in an actor id,
which desks write as "KF-01 小王"), the case leaves it out and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)

from propcrm.classification import Category
from propcrm.complaints import (
    DEFAULT_TRANSITIONS,
    Action,
    Actor,
    Attachment,
    CallbackScore,
    ComplaintLog,
    Gap,
    Intake,
    IntakeChannel,
    LifecyclePolicy,
    LoggedComplaint,
    Request,
    RequestKind,
    Role,
    Roster,
    Skill,
    StaffMember,
    State,
    Step,
    StepData,
    Team,
    Transition,
    TransitionTable,
    billable_orders,
    choose_assignee,
    clock_columns,
    complaint_logs,
    mermaid,
    post_charge,
    post_charges,
    principle_gaps,
    quote_service,
    shape_clocks,
    skill_for,
    status_counts,
    transition_table_markdown,
)
from propcrm.testing._complaints_strategies import SPECIAL_SERVICE_PRICES

AT = pendulum.datetime(2026, 11, 24, 9, 0, tz="Asia/Shanghai")
DAY = pendulum.date(2026, 11, 24)
AGENT = Actor("KF-01", Role.AGENT)
FEW = settings(max_examples=8, deadline=None)

_INTAKE: dict[str, Any] = {
    "request_id": "R-1",
    "kind": RequestKind.COMPLAINT,
    "requester": "P-301",
    "channel": IntakeChannel.HOTLINE,
    "category": Category.NOISE,
    "description": "楼上深夜噪音",
}


def intake(**changes: Any) -> Intake:
    return Intake(**{**_INTAKE, **changes})


REQUEST = Request.receive(intake(), AGENT, AT)
QUOTE = quote_service(SPECIAL_SERVICE_PRICES, "AC-CLEAN", "2", DAY)
MEMBER = StaffMember("S01", "王师傅", {"plumbing"}, {"B1"}, team="ENG")
ROSTER = Roster([MEMBER], [Team("ENG", "工程部", {"plumbing"}, {"*"})])
LOG = ComplaintLog.of([REQUEST], "P-301")
REPORT = principle_gaps([REQUEST], as_of=AT.add(hours=1))
STEP = Step(Action.ACKNOWLEDGE, AGENT, AT)


def _not(*valid: object) -> Callable[[object], bool]:
    return lambda value: (
        not any(value is v or (type(value) is type(v) and value == v) for v in valid)
    )


# -- identifiers -------------------------------------------------------------------------------

# A record id refuses every malformed id of the strategy, spaces and overlong ones included.
ID_CALLS: list[Callable[[Any], object]] = [
    lambda bad: intake(request_id=bad),
    lambda bad: intake(requester=bad),
    lambda bad: intake(unit=bad) if bad is not None else intake(unit=""),
    lambda bad: intake(territory=bad) if bad is not None else intake(territory=""),
    lambda bad: LoggedComplaint(bad, DAY),
    lambda bad: CallbackScore(bad, AT, DAY, 4),
    ComplaintLog,
    lambda bad: ComplaintLog.of([REQUEST], bad),
    lambda bad: StaffMember(bad, "王师傅", {"plumbing"}, {"B1"}),
    lambda bad: Team(bad, "工程部", {"plumbing"}, {"B1"}),
    lambda bad: choose_assignee(ROSTER, bad, "plumbing"),
    lambda bad: choose_assignee(ROSTER, "B1", bad),
    lambda bad: ROSTER.check(bad, "B1", "plumbing"),
    ROSTER.member,
    ROSTER.team,
]


@pytest.mark.parametrize("call", ID_CALLS)
@FEW
@given(bad=bad_ids)
def test_record_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
# An actor id may hold a name after the staff id ("KF-01 小王"), so spaces are allowed.
@given(bad=bad_ids.filter(_not("P 1")))
def test_actor_ids_are_refused(bad: object) -> None:
    assert_refused(lambda: Actor(bad, Role.AGENT))


def _short(value: object) -> bool:
    return not (isinstance(value, str) and len(value) > 64)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: billable_orders([], unit=bad, through=DAY),
        lambda bad: StaffMember("S01", bad, {"plumbing"}, {"B1"}),
    ],
)
@FEW
# A unit asked about is matched against the host's own ids, and a name may be long and spaced.
@given(bad=bad_ids.filter(_not("P 1")).filter(_short))
def test_names_and_looked_up_ids_refuse_the_rest(
    call: Callable[[Any], object], bad: object
) -> None:
    assert_refused(lambda: call(bad))


# -- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: intake(description=bad),  # a complaint needs its description
        lambda bad: StepData(note=bad) if bad is not None else StepData(note=""),
        lambda bad: StepData(reason=bad) if bad is not None else StepData(reason=" "),
        lambda bad: StepData(referral=bad) if bad is not None else StepData(referral=" "),
        lambda bad: StepData(assignee=bad) if bad is not None else StepData(assignee=" "),
        Attachment,
        lambda bad: attrs.evolve(QUOTE, service_name=bad),
        lambda bad: attrs.evolve(QUOTE, price_list_version=bad),
    ],
)
@FEW
@given(bad=bad_text)
def test_empty_or_non_text_is_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_text.filter(_not("")))
def test_other_kinds_refuse_blank_or_non_text_descriptions(bad: object) -> None:
    # Empty is "not given" for a repair; blank or not text is a slip.
    assert_refused(lambda: intake(kind=RequestKind.REPAIR, description=bad))
    assert_refused(lambda: intake(remedy_sought=bad))


# -- dates and instants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: LoggedComplaint("C-1", bad),
        lambda bad: (
            LoggedComplaint("C-1", DAY, bad)
            if bad is not None
            else LoggedComplaint("C-1", DAY, "2026-11-30")
        ),
        lambda bad: CallbackScore("C-1", AT, bad, 4),
        lambda bad: LOG.complaints_between(bad, DAY),
        lambda bad: LOG.complaints_between(DAY, bad),
        LOG.last_satisfaction,
        lambda bad: quote_service(SPECIAL_SERVICE_PRICES, "AC-CLEAN", "1", bad),
        lambda bad: attrs.evolve(QUOTE, quoted_on=bad),
        lambda bad: billable_orders([], unit="1-2-0301", through=bad),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: Request.receive(intake(), AGENT, bad),
        lambda bad: REQUEST.take(Action.ACKNOWLEDGE, AGENT, bad),
        REQUEST.as_of,
        lambda bad: Step(Action.ACKNOWLEDGE, AGENT, bad),
        lambda bad: StepData(appointment=bad) if bad is not None else StepData(appointment=DAY),
        lambda bad: CallbackScore("C-1", bad, DAY, 4),
        lambda bad: principle_gaps([REQUEST], as_of=bad),
        lambda bad: (
            status_counts([REQUEST], as_of=bad)
            if bad is not None
            else status_counts([REQUEST], as_of=DAY)
        ),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: StepData(level=bad) if bad is not None else StepData(level=0),
        lambda bad: StepData(score=bad) if bad is not None else StepData(score=0),
        lambda bad: CallbackScore("C-1", AT, DAY, bad),
        lambda bad: LifecyclePolicy(callback_attempts=bad),
        lambda bad: LifecyclePolicy(max_escalation_level=bad),
        lambda bad: LifecyclePolicy(reopen_within_days=bad),
        lambda bad: LifecyclePolicy(satisfied_from=bad),
        lambda bad: StaffMember("S01", "王师傅", {"plumbing"}, {"B1"}, max_open=bad),
        lambda bad: choose_assignee(ROSTER, "B1", "plumbing", open_load={"S01": bad}),
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("callback_attempts", 10_000),
        ("max_escalation_level", 1_000),
        ("reopen_within_days", 100_000),
    ],
)
def test_absurd_policy_values_are_refused(field: str, value: int) -> None:
    error = assert_refused(lambda: LifecyclePolicy(**{field: value}))
    assert (error.field, error.value) == (field, value)


@FEW
@given(bad=bad_amounts)
def test_quoted_quantities_are_refused(bad: object) -> None:
    assert_refused(lambda: quote_service(SPECIAL_SERVICE_PRICES, "AC-CLEAN", bad, DAY))


def test_a_non_positive_quantity_is_refused() -> None:
    for quantity in ("0", "-1", Decimal("-0.5")):
        assert_refused(lambda q=quantity: quote_service(SPECIAL_SERVICE_PRICES, "AC-CLEAN", q, DAY))


# -- locales -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        Role.AGENT.label,
        State.CLOSED.label,
        Action.CLOSE.label,
        RequestKind.REPAIR.label,
        IntakeChannel.APP.label,
        Skill.GAS.label,
        Gap.RESPONSE.label,
        Gap.RESPONSE.principle,
        STEP.describe,
        STEP.reason_text,
        QUOTE.describe,
        REPORT.explain,
        REPORT.entries[0].explain,
        lambda bad: choose_assignee(ROSTER, "B1", "plumbing").explain(bad),
        lambda bad: mermaid(locale=bad),
        lambda bad: transition_table_markdown(locale=bad),
    ],
)
@FEW
@given(bad=bad_locales)
def test_unknown_locales_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


# -- wrong types and malformed collections -----------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: Actor("KF-01", bad),
        lambda bad: intake(kind=bad),
        lambda bad: intake(channel=bad),
        lambda bad: intake(category=bad),
        lambda bad: intake(location=bad),
        lambda bad: intake(requester_profile=bad),
        lambda bad: Step(bad, AGENT, AT),
        lambda bad: Step(Action.ACKNOWLEDGE, bad, AT),
        lambda bad: Step(Action.ACKNOWLEDGE, AGENT, AT, bad),
        lambda bad: Request.receive(bad, AGENT, AT),
        lambda bad: Request.receive(intake(), bad, AT),
        lambda bad: Request.receive(intake(), AGENT, AT, bad),
        lambda bad: Request.replay([bad]),
        lambda bad: Request.replay(REQUEST.history, bad),
        REQUEST.apply,
        lambda bad: REQUEST.take(bad, AGENT, AT),
        lambda bad: REQUEST.take(Action.ACKNOWLEDGE, bad, AT),
        lambda bad: DEFAULT_TRANSITIONS.find(bad, Action.CLOSE, RequestKind.REPAIR),
        lambda bad: DEFAULT_TRANSITIONS.find(State.CLOSED, bad, RequestKind.REPAIR),
        lambda bad: DEFAULT_TRANSITIONS.find(State.CLOSED, Action.CLOSE, bad),
        lambda bad: DEFAULT_TRANSITIONS.allowed(bad, RequestKind.REPAIR),
        lambda bad: DEFAULT_TRANSITIONS.allowed(State.CLOSED, bad),
        DEFAULT_TRANSITIONS.receive_row,
        DEFAULT_TRANSITIONS.reachable,
        lambda bad: TransitionTable([bad]),
        lambda bad: Transition(bad, {State.RECEIVED}, None, {Role.AGENT}),
        lambda bad: Transition(Action.UPDATE, {State.RECEIVED}, None, bad),
        lambda bad: Transition(Action.UPDATE, {State.RECEIVED}, None, {Role.AGENT}, kinds=bad),
        lambda bad: LifecyclePolicy(transitions=bad),
        lambda bad: LifecyclePolicy(sla=bad),
        lambda bad: LifecyclePolicy(rules=bad),
        lambda bad: LifecyclePolicy(calendars=bad),
        lambda bad: LifecyclePolicy(zone=bad),
        lambda bad: ComplaintLog("P-1", [bad]),
        lambda bad: ComplaintLog("P-1", zone=bad),
        lambda bad: ComplaintLog.of([bad], "P-1"),
        lambda bad: ComplaintLog.of([REQUEST], "P-1", zone=bad),
        lambda bad: complaint_logs([bad]),
        lambda bad: complaint_logs([REQUEST], zone=bad),
        lambda bad: principle_gaps([bad], as_of=AT),
        lambda bad: status_counts([bad]),
        lambda bad: REPORT.explain(tz=bad),
        lambda bad: StaffMember("S01", "王师傅", {"plumbing"}, {"B1"}, team=bad or " "),
        lambda bad: Roster([bad]),
        lambda bad: choose_assignee(bad, "B1", "plumbing"),
        skill_for,
        lambda bad: skill_for(Category.PET, bad),
        lambda bad: quote_service(bad, "AC-CLEAN", "1", DAY),
        lambda bad: quote_service(SPECIAL_SERVICE_PRICES, bad, "1", DAY),
        lambda bad: quote_service(SPECIAL_SERVICE_PRICES, "AC-CLEAN", "1", DAY, rounding=bad),
        lambda bad: attrs.evolve(QUOTE, unit_price=bad),
        lambda bad: attrs.evolve(QUOTE, rounding=bad),
        lambda bad: billable_orders([bad], unit="1-2-0301", through=DAY),
        lambda bad: post_charge(bad, None, AGENT, AT),  # type: ignore[arg-type]
        lambda bad: post_charge(REQUEST, bad, AGENT, AT),
        lambda bad: post_charges(bad, None, AGENT, AT),  # type: ignore[arg-type]
        lambda bad: post_charges([REQUEST], bad, AGENT, AT),
        mermaid,
        lambda bad: mermaid(kind=bad) if bad is not None else mermaid(kind="repair"),
        transition_table_markdown,
    ],
)
@FEW
@given(bad=wrong_types)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


# -- duplicates --------------------------------------------------------------------------------


def test_duplicate_ids_in_collections_are_refused() -> None:
    leak = Attachment("oss://photos/leak-1.jpg")
    complaint = LoggedComplaint("C-1", DAY)
    for call in (
        lambda: intake(attachments=[leak, leak]),
        lambda: ComplaintLog("P-301", [complaint, complaint]),
        lambda: ComplaintLog.of([REQUEST, REQUEST], "P-301"),
        lambda: complaint_logs([REQUEST, REQUEST]),
        lambda: principle_gaps([REQUEST, REQUEST], as_of=AT),
        lambda: status_counts([REQUEST, REQUEST]),
        lambda: billable_orders([REQUEST, REQUEST], unit="1-2-0301", through=DAY),
        lambda: Roster([MEMBER, MEMBER]),
        lambda: TransitionTable([*DEFAULT_TRANSITIONS.rows, DEFAULT_TRANSITIONS.rows[1]]),
    ):
        assert_refused(call)


def _empty_or_codes(value: object) -> bool:
    # An empty collection, or a set of text codes, is a valid value for these arguments.
    return (isinstance(value, list | tuple | dict) and not value) or value == {"100"}


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: intake(attachments=bad),
        Request.replay,
        TransitionTable,
        lambda bad: Transition(Action.UPDATE, bad, None, {Role.AGENT}),
        lambda bad: Transition(Action.UPDATE, {State.RECEIVED}, None, {Role.AGENT}, needs=bad),
        lambda bad: Transition(Action.UPDATE, {State.RECEIVED}, None, {Role.AGENT}, guards=bad),
        lambda bad: LifecyclePolicy(reopened_targets=bad),
        lambda bad: ComplaintLog("P-1", bad),
        lambda bad: ComplaintLog("P-1", (), bad),
        lambda bad: ComplaintLog.of(bad, "P-1"),
        complaint_logs,
        lambda bad: principle_gaps(bad, as_of=AT),
        status_counts,
        lambda bad: StaffMember("S01", "王师傅", bad, {"B1"}),
        lambda bad: StaffMember("S01", "王师傅", {"plumbing"}, bad),
        Roster,
        lambda bad: Roster((), bad),
        lambda bad: choose_assignee(ROSTER, "B1", "plumbing", open_load=bad),
        lambda bad: choose_assignee(ROSTER, "B1", "plumbing", exclude=bad or "S01"),
        lambda bad: billable_orders(bad, unit="1-2-0301", through=DAY),
    ],
)
@FEW
@given(bad=wrong_types.filter(lambda v: not _empty_or_codes(v)))
def test_malformed_collections_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: LifecyclePolicy(reopen_on_dissatisfied=bad),
        lambda bad: ComplaintLog.of([REQUEST], "P-1", count_rejected=bad),
        lambda bad: complaint_logs([REQUEST], count_rejected=bad),
        lambda bad: StaffMember("S01", "王师傅", {"plumbing"}, {"B1"}, active=bad),
    ],
)
@FEW
@given(bad=wrong_types.filter(lambda v: not isinstance(v, bool)))
def test_flags_refuse_anything_but_a_bool(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: StepData(intake=bad),
        lambda bad: StepData(hold_reason=bad),
        lambda bad: StepData(outcome=bad),
        lambda bad: StepData(quote=bad),
    ],
)
@FEW
@given(bad=wrong_types.filter(lambda v: v is not None))
def test_optional_step_data_refuses_the_wrong_type(
    call: Callable[[Any], object], bad: object
) -> None:
    # Left out (None) is how a step carries none of it.
    assert_refused(lambda: call(bad))


@FEW
@given(bad=wrong_types)
def test_clock_columns_refuse_anything_but_requests(bad: object) -> None:
    # A request list holding something else is refused whole, before any clock is folded;
    # an empty collection is no requests (an empty report).
    empty = hasattr(bad, "__len__") and not isinstance(bad, str) and not bad
    for given_ in ([bad],) if empty else (bad, [bad]):
        for call in (clock_columns, shape_clocks):
            refused = assert_refused(lambda call=call, given_=given_: call(given_))
            assert getattr(refused, "field", None) == "requests"


@FEW
@given(bad=wrong_types)
def test_shaped_clocks_read_only_their_groups(bad: object) -> None:
    shaped = shape_clocks([])
    refused = assert_refused(lambda: shaped.read(bad))
    assert getattr(refused, "field", None) == "group"
