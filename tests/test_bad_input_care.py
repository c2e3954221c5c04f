"""Bad input to every public entry point of propcrm.care is refused with a library error.

Issue 18: each argument of each entry point in ``propcrm.care.__all__`` is fed the malformed
values of its kind (:mod:`tests.bad_input`); :func:`assert_refused` checks that only a
:class:`~propcrm.errors.PropcrmError` carrying its context comes out. Where a shared strategy's
value is valid for an argument (``None`` for an optional one, a bool for a flag), the case leaves
it out and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    wrong_types,
)

from propcrm.analytics import ComplaintRecord
from propcrm.care import (
    DEFAULT_CARE_POLICY,
    CareKey,
    CareKind,
    CarePolicy,
    SampledParty,
    SampleReason,
    VisitPriority,
    callback_response,
    customers_on,
    move_in_callbacks,
    plan_visits,
    survey_round_for,
    survey_rounds,
    survey_sample,
)
from propcrm.parties import Merchant

D = pendulum.date
DAY = D(2026, 11, 24)
AT = pendulum.datetime(2026, 11, 28, 15, 0, tz="Asia/Shanghai")
FEW = settings(max_examples=8, deadline=None)
SHOP = Merchant(
    relation_id="R9", party_id="O1", unit_id="S-101", start=D(2026, 11, 3), shop_name="阳光便利店"
)
KEY = CareKey(CareKind.MOVE_IN_CALLBACK, "O1", "S-101", D(2026, 11, 3))
(TASK,) = move_in_callbacks([SHOP], as_of=DAY)
ROUND = survey_round_for(DAY)
PLAN = plan_visits(["P1"], as_of=DAY, complaints={}, last_visited={}, capacity=1)


def plan(**changes: Any) -> object:
    values: dict[str, Any] = {
        "as_of": DAY,
        "complaints": {},
        "last_visited": {},
        "capacity": 5,
    }
    values.update(changes)
    parties = values.pop("parties", ["P1", "P2"])
    return plan_visits(parties, **values)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: CareKey(CareKind.MOVE_IN_CALLBACK, bad, "S-101", DAY),
        lambda bad: CareKey(CareKind.MOVE_IN_CALLBACK, "O1", bad, DAY),
        lambda bad: plan(parties=[bad]),
        lambda bad: survey_sample([bad], ROUND, as_of=DAY),
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: CareKey(CareKind.MOVE_IN_CALLBACK, "O1", "S-101", bad),
        DEFAULT_CARE_POLICY.callback_due,
        DEFAULT_CARE_POLICY.complaint_window,
        DEFAULT_CARE_POLICY.visit_due,
        lambda bad: move_in_callbacks([SHOP], as_of=bad),
        lambda bad: move_in_callbacks([SHOP], as_of=DAY, since=bad if bad is not None else "x"),
        lambda bad: plan(as_of=bad),
        lambda bad: (
            plan(last_visited={"P1": bad})
            if bad is not None
            else plan(last_visited={"P1": "2026-11-01"})
        ),
        survey_round_for,
        lambda bad: survey_sample(["P1"], ROUND, as_of=bad),
        lambda bad: customers_on(None, bad),  # the book is refused first, or the date
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_instants)
def test_instants_are_refused(bad: object) -> None:
    assert_refused(lambda: callback_response(KEY, score=4, answered_at=bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: callback_response(KEY, score=bad, answered_at=AT),
        lambda bad: plan(capacity=bad),
        lambda bad: CarePolicy(callback_months=bad),
        lambda bad: CarePolicy(complaint_lookback_months=bad),
        lambda bad: CarePolicy(visit_cadence_months=bad),
        lambda bad: CarePolicy(dissatisfied_up_to=bad),
        survey_rounds,
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("callback_months", 1_200),
        ("complaint_lookback_months", 10_000),
        ("visit_cadence_months", 121),
        ("dissatisfied_up_to", 5),
    ],
)
def test_absurd_policy_values_are_refused(field: str, value: int) -> None:
    error = assert_refused(lambda: CarePolicy(**{field: value}))
    assert (error.field, error.value) == (field, value)


@pytest.mark.parametrize(
    "call",
    [
        CareKind.REGULAR_VISIT.label,
        VisitPriority.DUE.label,
        SampleReason.PAYER.label,
        lambda bad: SampledParty("P1", ("1-2-0301",), (SampleReason.LISTED,), 0).describe(bad),
        TASK.describe,
        TASK.reason.describe,
        TASK.reason.rule,
        PLAN.visits[0].describe,
        PLAN.visits[0].reason.describe,
    ],
)
@FEW
@given(bad=bad_locales)
def test_unknown_locales_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: CareKey(bad, "O1", "S-101", DAY),
        lambda bad: CarePolicy(move_in_kinds=bad),
        lambda bad: move_in_callbacks(bad, as_of=DAY),
        lambda bad: move_in_callbacks([bad], as_of=DAY),
        lambda bad: move_in_callbacks([SHOP], as_of=DAY, policy=bad),
        lambda bad: move_in_callbacks([SHOP], as_of=DAY, done=bad),
        lambda bad: move_in_callbacks([SHOP], as_of=DAY, done=[bad]),
        lambda bad: callback_response(bad, score=4, answered_at=AT),
        lambda bad: callback_response(KEY, score=4, answered_at=AT, survey_policy=bad),
        lambda bad: callback_response(KEY, score=4, answered_at=AT, zone=bad),
        lambda bad: plan(parties=bad),
        lambda bad: plan(complaints=bad),
        lambda bad: plan(complaints={"P1": bad}),
        lambda bad: plan(last_visited=bad),
        lambda bad: plan(policy=bad),
        lambda bad: customers_on(bad, DAY),
        lambda bad: survey_rounds(2026, survey_policy=bad),
        lambda bad: survey_round_for(DAY, survey_policy=bad),
        lambda bad: survey_sample(bad, ROUND, as_of=DAY),
        lambda bad: survey_sample(["P1"], bad, as_of=DAY),
        lambda bad: survey_sample(["P1"], ROUND, as_of=DAY, complaints=bad or 7),
        lambda bad: survey_sample(["P1"], ROUND, as_of=DAY, policy=bad),
    ],
)
@FEW
# An empty collection is a valid "none" for these arguments, and so is a set of one code for
# the parties: they are left out of the wrong values here and tested below.
@given(bad=wrong_types.filter(lambda v: not (isinstance(v, list | tuple | dict) and not v)))
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    if bad == {"100"}:
        bad = {"1 00"}  # a set of text is an iterable of ids: make its one id malformed
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: CarePolicy(survey_vacant_units=bad),
        lambda bad: callback_response(KEY, score=4, answered_at=AT, staff=bad or 7),
        lambda bad: callback_response(KEY, score=4, answered_at=AT, team=bad or 7),
        lambda bad: callback_response(KEY, score=4, answered_at=AT, response_id=bad or 7),
    ],
)
@FEW
# A flag takes a bool; staff, team and response id take None (not known) or text.
@given(bad=wrong_types.filter(lambda v: not isinstance(v, bool) and v is not None))
def test_flags_and_optional_text_refuse_the_wrong_type(
    call: Callable[[Any], object], bad: object
) -> None:
    assert_refused(lambda: call(bad))


def test_duplicates_in_collections_are_refused() -> None:
    for call in (
        lambda: plan(parties=["P1", "P1"]),
        lambda: survey_sample(["P1", "P1"], ROUND, as_of=DAY),
        lambda: move_in_callbacks([SHOP, SHOP], as_of=DAY),
    ):
        assert_refused(call)


def test_a_complaint_history_that_is_not_one_is_refused() -> None:
    assert_refused(lambda: plan(complaints={"P1": [D(2026, 11, 2)]}))
    assert_refused(lambda: survey_sample(["P1"], ROUND, as_of=DAY, complaints={"P1": "twice"}))
    record = ComplaintRecord(complaints=[D(2026, 11, 2)])
    assert plan(complaints={"P1": record}).visits[0].party_id == "P1"  # type: ignore[attr-defined]
