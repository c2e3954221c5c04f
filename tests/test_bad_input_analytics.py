# ruff: noqa: PLW0108 - one lambda per entry point keeps every table uniform
"""Bad input to every public entry point of propcrm.analytics is refused with a library error.

Issue 18: each entry point of ``propcrm.analytics.__all__`` (constructors of the values a caller
builds, functions, and methods a caller calls with arguments) is fed, argument by argument, the
malformed values its kind allows; :func:`assert_refused` lets only a
:class:`~propcrm.errors.PropcrmError` carrying its context out. Result values the library builds
(``PaymentBehaviour``, ``CsatResult`` …) are not entry points.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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

from propcrm.analytics import (
    BehaviourPolicy,
    ComplaintRecord,
    ConfidenceInterval,
    CriterionScore,
    FixedThresholds,
    IntervalMethod,
    PaymentFact,
    Quantiles,
    RfmComponent,
    RfmInput,
    RfmPolicy,
    SatisfactionScore,
    ServiceCriterion,
    ServicePurchase,
    SurveyPolicy,
    SurveyResponse,
    SurveyRound,
    complaint_behaviour,
    csat,
    is_existing_customer,
    nps,
    payment_behaviour,
    quarterly,
    rfm_input,
    rfm_scores,
    spend_behaviour,
    summarise,
)
from propcrm.errors import DuplicateParty, InvalidBehaviourFact, InvalidSurveyResponse
from propcrm.money import Money
from propcrm.time import BillingPeriod

DAY = pendulum.date(2026, 12, 31)
DUE = pendulum.date(2026, 12, 10)
AT = pendulum.datetime(2026, 2, 1, 10, tz="Asia/Shanghai")
FACT = PaymentFact("N-1", DUE, Money("100.00"), paid_on=DUE)
PURCHASE = ServicePurchase(DUE, Money("80.00"))
RECORD = ComplaintRecord(complaints=[DUE], satisfaction=[SatisfactionScore(DUE, 4)])
INPUT = RfmInput("P-1", DAY, DUE, 1, Money("100.00"))
Q1 = BillingPeriod.quarter(2026, 1)
ROUND = SurveyRound(Q1, (SurveyResponse("R1", AT, csat=5, nps=9),))
INTERVAL = ConfidenceInterval(Decimal(40), Decimal(80), IntervalMethod.WILSON, Decimal("1.96"))

amounts = bad_amounts

Call = Callable[[object], object]

DATES: dict[str, Call] = {
    "PaymentFact.due_on": lambda v: PaymentFact("N-1", v, Money("1.00")),  # type: ignore[arg-type]
    "PaymentFact.paid_on": lambda v: (
        PaymentFact(
            "N-1",
            DUE,
            Money("1.00"),
            paid_on=v,  # type: ignore[arg-type]
        )
        if v is not None
        else PaymentFact("N-1", DUE, Money("1.00"), paid_on=None, amount_paid=Money("1.00"))
    ),
    "PaymentFact.paid_by": lambda v: FACT.paid_by(v),  # type: ignore[arg-type]
    "PaymentFact.settled_on": lambda v: FACT.settled_on(v),  # type: ignore[arg-type]
    "ServicePurchase.purchased_on": lambda v: ServicePurchase(v, Money("1.00")),  # type: ignore[arg-type]
    "SatisfactionScore.surveyed_on": lambda v: SatisfactionScore(v, 3),  # type: ignore[arg-type]
    "ComplaintRecord.complaints": lambda v: ComplaintRecord(complaints=[v]),  # type: ignore[list-item]
    "ComplaintRecord.complaints_between.first": lambda v: RECORD.complaints_between(v, DAY),  # type: ignore[arg-type]
    "ComplaintRecord.complaints_between.last": lambda v: RECORD.complaints_between(DUE, v),  # type: ignore[arg-type]
    "ComplaintRecord.last_satisfaction": lambda v: RECORD.last_satisfaction(v),  # type: ignore[arg-type]
    "RfmInput.as_of": lambda v: RfmInput("P-1", v, None, 0, Money("0.00")),  # type: ignore[arg-type]
    # None is "no event", a valid value: it draws a last event after the date instead.
    "RfmInput.last_event": lambda v: (
        RfmInput("P-1", DAY, v, 0, Money("0.00"))  # type: ignore[arg-type]
        if v is not None
        else RfmInput("P-1", DAY, DAY.add(days=1), 0, Money("0.00"))
    ),
    "BehaviourPolicy.window_start": lambda v: BehaviourPolicy().window_start(v),  # type: ignore[arg-type]
    "BehaviourPolicy.complaint_window": lambda v: BehaviourPolicy().complaint_window(v),  # type: ignore[arg-type]
    "payment_behaviour.as_of": lambda v: payment_behaviour([FACT], v),  # type: ignore[arg-type]
    "spend_behaviour.as_of": lambda v: spend_behaviour([PURCHASE], v),  # type: ignore[arg-type]
    "is_existing_customer.as_of": lambda v: is_existing_customer([FACT], [], v),  # type: ignore[arg-type]
    "complaint_behaviour.as_of": lambda v: complaint_behaviour(RECORD, v),  # type: ignore[arg-type]
    "rfm_input.as_of": lambda v: rfm_input("P-1", [FACT], [], v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", DATES)
@settings(max_examples=12)
@given(bad=bad_dates)
def test_dates_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: DATES[entry](bad))


def test_a_last_event_after_the_date_is_refused() -> None:
    error = assert_refused(lambda: RfmInput("P-1", DAY, DAY.add(days=1), 0, Money("0.00")))
    assert error.field == "last_event"


INSTANTS: dict[str, Call] = {
    "SurveyResponse.answered_at": lambda v: SurveyResponse("R1", v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", INSTANTS)
@settings(max_examples=10)
@given(bad=bad_instants)
def test_instants_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: INSTANTS[entry](bad))


AMOUNTS: dict[str, Call] = {
    "PaymentFact.amount": lambda v: PaymentFact("N-1", DUE, v),  # type: ignore[arg-type]
    "PaymentFact.amount_paid": lambda v: PaymentFact(
        "N-1",
        DUE,
        Money("100.00"),
        paid_on=DUE,
        amount_paid=v,  # type: ignore[arg-type]
    ),
    "ServicePurchase.amount": lambda v: ServicePurchase(DUE, v),  # type: ignore[arg-type]
    "FixedThresholds.monetary": lambda v: FixedThresholds((30,), (2,), (v,)),
    "RfmInput.monetary": lambda v: RfmInput("P-1", DAY, None, 0, v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", AMOUNTS)
@settings(max_examples=25)
@given(bad=amounts)
def test_amounts_are_refused(entry: str, bad: object) -> None:
    error = assert_refused(lambda: AMOUNTS[entry](bad))
    assert error.field is not None


IDS: dict[str, Call] = {
    "PaymentFact.statement_id": lambda v: PaymentFact(v, DUE, Money("1.00")),  # type: ignore[arg-type]
    "RfmInput.party_id": lambda v: RfmInput(v, DAY, None, 0, Money("0.00")),  # type: ignore[arg-type]
    "rfm_input.party_id": lambda v: rfm_input(v, [FACT], [], DAY),  # type: ignore[arg-type]
    "SurveyResponse.response_id": lambda v: SurveyResponse(v, AT),  # type: ignore[arg-type]
    "SurveyResponse.party_id": lambda v: (
        SurveyResponse("R1", AT, party_id=v)  # type: ignore[arg-type]
        if v is not None
        else SurveyResponse("R1", AT, party_id="")
    ),
}


@pytest.mark.parametrize("entry", IDS)
@settings(max_examples=15)
@given(bad=bad_ids)
def test_ids_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: IDS[entry](bad))


TEXT: dict[str, Call] = {
    "SurveyResponse.team": lambda v: (
        SurveyResponse("R1", AT, team=v)  # type: ignore[arg-type]
        if v is not None
        else SurveyResponse("R1", AT, team=" ")
    ),
    "SurveyResponse.staff": lambda v: (
        SurveyResponse("R1", AT, staff=v)  # type: ignore[arg-type]
        if v is not None
        else SurveyResponse("R1", AT, staff="\t")
    ),
    # '' is the default, "not recorded"; blank text and other types are refused.
    "ServicePurchase.service": lambda v: (
        ServicePurchase(DUE, Money("1.00"), service=v)  # type: ignore[arg-type]
        if v != ""
        else ServicePurchase(DUE, Money("1.00"), service=" ")
    ),
}


@pytest.mark.parametrize("entry", TEXT)
@settings(max_examples=12)
@given(bad=bad_text)
def test_text_is_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: TEXT[entry](bad))


COUNTS: dict[str, Call] = {
    "BehaviourPolicy.window_months": lambda v: BehaviourPolicy(window_months=v),  # type: ignore[arg-type]
    "BehaviourPolicy.min_statements": lambda v: BehaviourPolicy(min_statements=v),  # type: ignore[arg-type]
    "BehaviourPolicy.complaint_window_months": lambda v: BehaviourPolicy(
        complaint_window_months=v,  # type: ignore[arg-type]
    ),
    "Quantiles.count": lambda v: Quantiles(v),  # type: ignore[arg-type]
    "FixedThresholds.recency_days": lambda v: FixedThresholds((v,), (2,), (Money("1.00"),)),
    "FixedThresholds.frequency": lambda v: FixedThresholds((30,), (v,), (Money("1.00"),)),
    "RfmInput.frequency": lambda v: RfmInput("P-1", DAY, None, v, Money("0.00")),  # type: ignore[arg-type]
    "SatisfactionScore.score": lambda v: SatisfactionScore(DUE, v),  # type: ignore[arg-type]
    "CriterionScore.expectation": lambda v: CriterionScore(ServiceCriterion.ACCESS, v, 5),  # type: ignore[arg-type]
    "CriterionScore.perception": lambda v: CriterionScore(ServiceCriterion.ACCESS, 5, v),  # type: ignore[arg-type]
    "SurveyResponse.csat": lambda v: (
        SurveyResponse("R1", AT, csat=v)  # type: ignore[arg-type]
        if v is not None
        else SurveyResponse("R1", AT, csat=None, nps=True)
    ),  # type: ignore[arg-type]
    "SurveyResponse.nps": lambda v: (
        SurveyResponse("R1", AT, nps=v)  # type: ignore[arg-type]
        if v is not None
        else SurveyResponse("R1", AT, nps=False)
    ),  # type: ignore[arg-type]
    "SurveyPolicy.csat_satisfied_from": lambda v: SurveyPolicy(csat_satisfied_from=v),  # type: ignore[arg-type]
    "SurveyPolicy.nps_promoters_from": lambda v: SurveyPolicy(nps_promoters_from=v),  # type: ignore[arg-type]
    "SurveyPolicy.nps_detractors_up_to": lambda v: SurveyPolicy(
        nps_detractors_up_to=v if v != -1 else 10,  # type: ignore[arg-type]
    ),
    "SurveyPolicy.min_responses": lambda v: SurveyPolicy(min_responses=v),  # type: ignore[arg-type]
    "SurveyPolicy.percent_places": lambda v: SurveyPolicy(percent_places=v),  # type: ignore[arg-type]
    "SurveyPolicy.gap_places": lambda v: SurveyPolicy(gap_places=v),  # type: ignore[arg-type]
    "SurveyRound.for_quarter.year": lambda v: SurveyRound.for_quarter(v, 1),  # type: ignore[arg-type]
    "SurveyRound.for_quarter.quarter": lambda v: SurveyRound.for_quarter(2026, v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", COUNTS)
@settings(max_examples=12)
@given(bad=bad_counts)
def test_counts_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: COUNTS[entry](bad))


@pytest.mark.parametrize(
    ("entry", "call"),
    [
        ("SurveyResponse.csat", lambda: SurveyRound(Q1, (SurveyResponse("R1", AT, csat=6),))),
        ("SurveyResponse.nps", lambda: ROUND.with_response(SurveyResponse("R2", AT, nps=11))),
        (
            "CriterionScore",
            lambda: SurveyRound(
                Q1,
                (
                    SurveyResponse(
                        "R1", AT, criteria=[CriterionScore(ServiceCriterion.ACCESS, 0, 8)]
                    ),
                ),
            ),
        ),
        ("csat", lambda: csat([5, 0])),
        ("nps", lambda: nps([10, -1])),
        ("SatisfactionScore", lambda: SatisfactionScore(DUE, 6)),
    ],
)
def test_survey_scores_out_of_scale_are_refused(entry: str, call: Callable[[], object]) -> None:
    assert_refused(call)


@settings(max_examples=12)
@given(bad=st.sampled_from([Decimal(0), Decimal(-1), Decimal(95), Decimal("NaN"), "1.96", 1.96]))
def test_absurd_confidence_is_refused(bad: object) -> None:
    assert_refused(lambda: SurveyPolicy(z=bad))  # type: ignore[arg-type]


LOCALES: dict[str, Call] = {
    "RfmComponent.label": lambda v: RfmComponent.MONETARY.label(v),  # type: ignore[arg-type]
    "Quantiles.describe": lambda v: Quantiles().describe(v),  # type: ignore[arg-type]
    "FixedThresholds.describe": lambda v: FixedThresholds((30,), (2,), ("1.00",)).describe(v),  # type: ignore[arg-type]
    "ServiceCriterion.label": lambda v: ServiceCriterion.ACCESS.label(v),  # type: ignore[arg-type]
    "IntervalMethod.label": lambda v: IntervalMethod.WALD.label(v),  # type: ignore[arg-type]
    "ConfidenceInterval.describe": lambda v: INTERVAL.describe(v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", LOCALES)
@settings(max_examples=10)
@given(bad=bad_locales)
def test_unknown_locales_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: LOCALES[entry](bad))


WRONG: dict[str, Call] = {
    "payment_behaviour.payments": lambda v: payment_behaviour(v, DAY),  # type: ignore[arg-type]
    "payment_behaviour.payments item": lambda v: payment_behaviour([FACT, v], DAY),  # type: ignore[list-item]
    "payment_behaviour.policy": lambda v: payment_behaviour([FACT], DAY, policy=v),  # type: ignore[arg-type]
    "payment_behaviour.currency": lambda v: payment_behaviour([FACT], DAY, currency=v),  # type: ignore[arg-type]
    "spend_behaviour.purchases": lambda v: spend_behaviour(v, DAY),  # type: ignore[arg-type]
    "spend_behaviour.policy": lambda v: spend_behaviour([], DAY, policy=v),  # type: ignore[arg-type]
    "spend_behaviour.currency": lambda v: spend_behaviour([], DAY, currency=v),  # type: ignore[arg-type]
    "is_existing_customer.payments": lambda v: is_existing_customer(v, [], DAY),  # type: ignore[arg-type]
    "is_existing_customer.purchases": lambda v: is_existing_customer([], v, DAY),  # type: ignore[arg-type]
    "complaint_behaviour.history": lambda v: (
        complaint_behaviour(v, DAY)  # type: ignore[arg-type]
        if v is not None
        else complaint_behaviour(RECORD, DAY, policy=None)
    ),  # type: ignore[arg-type]
    "complaint_behaviour.policy": lambda v: complaint_behaviour(RECORD, DAY, policy=v),  # type: ignore[arg-type]
    "rfm_input.payments": lambda v: rfm_input("P-1", v, [], DAY),  # type: ignore[arg-type]
    "rfm_input.purchases": lambda v: rfm_input("P-1", [], v, DAY),  # type: ignore[arg-type]
    "rfm_input.policy": lambda v: rfm_input("P-1", [FACT], [], DAY, policy=v),  # type: ignore[arg-type]
    "rfm_input.currency": lambda v: rfm_input("P-1", [FACT], [], DAY, currency=v),  # type: ignore[arg-type]
    "rfm_scores.inputs": lambda v: rfm_scores(v),  # type: ignore[arg-type]
    "rfm_scores.policy": lambda v: rfm_scores([INPUT], policy=v),  # type: ignore[arg-type]
    "ComplaintRecord.complaints": lambda v: ComplaintRecord(complaints=v),  # type: ignore[arg-type]
    "ComplaintRecord.satisfaction": lambda v: ComplaintRecord(satisfaction=v),  # type: ignore[arg-type]
    "Quantiles.ties": lambda v: Quantiles(ties=v),  # type: ignore[arg-type]
    "FixedThresholds.recency_days": lambda v: FixedThresholds(v, (2,), ("1.00",)),  # type: ignore[arg-type]
    "FixedThresholds.frequency": lambda v: FixedThresholds((30,), v, ("1.00",)),  # type: ignore[arg-type]
    "FixedThresholds.monetary": lambda v: FixedThresholds((30,), (2,), v),  # type: ignore[arg-type]
    "RfmPolicy.source": lambda v: RfmPolicy(source=v),  # type: ignore[arg-type]
    "RfmPolicy.scoring": lambda v: RfmPolicy(scoring=v),  # type: ignore[arg-type]
    "BehaviourPolicy.rfm": lambda v: BehaviourPolicy(rfm=v),  # type: ignore[arg-type]
    "CriterionScore.criterion": lambda v: CriterionScore(v, 5, 5),  # type: ignore[arg-type]
    "SurveyResponse.criteria": lambda v: SurveyResponse("R1", AT, criteria=v),  # type: ignore[arg-type]
    "SurveyPolicy.csat_scale": lambda v: SurveyPolicy(csat_scale=v),  # type: ignore[arg-type]
    "SurveyPolicy.rounding": lambda v: SurveyPolicy(rounding=v),  # type: ignore[arg-type]
    "SurveyPolicy.round_kind": lambda v: SurveyPolicy(round_kind=v),  # type: ignore[arg-type]
    "SurveyRound.quarter": lambda v: SurveyRound(v),  # type: ignore[arg-type]
    "SurveyRound.responses": lambda v: SurveyRound(Q1, v),  # type: ignore[arg-type]
    "SurveyRound.policy": lambda v: SurveyRound(Q1, (), v),  # type: ignore[arg-type]
    "SurveyRound.zone": lambda v: SurveyRound(Q1, (), zone=v),  # type: ignore[arg-type]
    "SurveyRound.for_quarter.policy": lambda v: SurveyRound.for_quarter(2026, 1, policy=v),  # type: ignore[arg-type]
    "SurveyRound.with_response": lambda v: ROUND.with_response(v),  # type: ignore[arg-type]
    "csat.scores": lambda v: csat(v),  # type: ignore[arg-type]
    "csat.policy": lambda v: csat([5], v),  # type: ignore[arg-type]
    "nps.scores": lambda v: nps(v),  # type: ignore[arg-type]
    "nps.policy": lambda v: nps([9], v),  # type: ignore[arg-type]
    "summarise.survey": lambda v: summarise(v),  # type: ignore[arg-type]
    "summarise.by": lambda v: summarise(ROUND, v),  # type: ignore[arg-type]
    "quarterly.rounds": lambda v: quarterly(v),  # type: ignore[arg-type]
    "quarterly.by": lambda v: quarterly([ROUND], v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", WRONG)
@settings(max_examples=12)
@given(bad=wrong_types)
def test_wrong_types_are_refused(entry: str, bad: object) -> None:
    if bad in ((), []) and entry.endswith(("payments", "purchases", "inputs", "rounds")):
        return  # an empty history or portfolio is a valid one
    if bad in ((), []) and entry in {
        "ComplaintRecord.complaints",
        "ComplaintRecord.satisfaction",
        "SurveyResponse.criteria",
        "SurveyRound.responses",
        "FixedThresholds.recency_days",
        "FixedThresholds.frequency",
        "FixedThresholds.monetary",
        "csat.scores",
        "nps.scores",
    }:
        return  # nothing recorded, no bound, no answer: valid
    assert_refused(lambda: WRONG[entry](bad))


def test_text_is_never_a_collection() -> None:
    assert_refused(lambda: rfm_scores("AB"))  # type: ignore[arg-type]
    assert_refused(lambda: csat("45"))  # type: ignore[arg-type]
    assert_refused(lambda: FixedThresholds("9", (2,), ("1.00",)))  # type: ignore[arg-type]


def test_duplicates_are_refused() -> None:
    error = assert_refused(lambda: rfm_scores([INPUT, INPUT]))
    assert isinstance(error, InvalidBehaviourFact)
    assert (error.field, error.value) == ("inputs", "P-1")
    response = SurveyResponse("R1", AT, csat=4)
    error = assert_refused(lambda: SurveyRound(Q1, (response, response)))
    assert isinstance(error, InvalidSurveyResponse)
    assert error.value == "R1"
    access = CriterionScore(ServiceCriterion.ACCESS, 5, 5)
    assert_refused(lambda: SurveyResponse("R1", AT, criteria=[access, access]))
    assert_refused(lambda: quarterly([ROUND, ROUND]))
    same_day = [SatisfactionScore(DUE, 1), SatisfactionScore(DUE, 2)]
    assert_refused(lambda: ComplaintRecord(satisfaction=same_day))
    assert not issubclass(InvalidBehaviourFact, DuplicateParty)


def test_a_naive_survey_answer_names_its_field() -> None:
    error = assert_refused(
        lambda: SurveyResponse("R1", datetime.datetime(2026, 2, 1, 10))  # noqa: DTZ001 - naive
    )
    assert error.field == "answered_at"
