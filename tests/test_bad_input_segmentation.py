# ruff: noqa: PLW0108 - one lambda per entry point keeps every table uniform
"""Bad input to every public entry point of propcrm.segmentation is refused with a library error.

Issue 18: each entry point of ``propcrm.segmentation.__all__`` (rule and subject constructors,
functions, the batch path, and methods a caller calls with arguments) is fed, argument by
argument, the malformed values its kind allows; :func:`assert_refused` lets only a
:class:`~propcrm.errors.PropcrmError` carrying its context out.
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_amounts,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_locales,
    bad_number_text,
    bad_text,
    wrong_types,
)

from propcrm._property_types import PropertyType
from propcrm.analytics import PaymentFact, RfmComponent
from propcrm.errors import DuplicateParty
from propcrm.money import Money
from propcrm.receivables import Account
from propcrm.segmentation import (
    AgeBetween,
    AllRules,
    AnyRule,
    Arrears,
    AsksFor,
    AverageDaysLate,
    CallbackPending,
    CommunityIs,
    ComplaintsInWindow,
    CustomerAsk,
    HouseholdSizeBetween,
    LastSatisfaction,
    LateStatements,
    LocationIs,
    MaxDaysLate,
    MovedInWithin,
    NotRule,
    OnTimeRatio,
    OrganisationIs,
    OrganisationType,
    Outcome,
    PartyFacts,
    PortfolioFrames,
    PropertyRight,
    PropertyRightIs,
    PropertyTypeIs,
    RfmScoreBetween,
    Segment,
    SegmentHistory,
    SegmentMembership,
    SegmentPolicy,
    SegmentSubject,
    ServicePurchases,
    ServiceSpend,
    SubjectKind,
    SubjectKindIs,
    batch_outcomes,
    batch_rfm,
    behaviour_frame,
    compile_rule,
    evaluate_batch,
    evaluate_portfolio,
    flag_mask,
    frames_from_subjects,
    payment_facts,
    ready_segments,
    segment_subject,
)

DAY = pendulum.date(2026, 12, 31)
SUBJECT = SegmentSubject(
    "P-1",
    moved_in_on=pendulum.date(2026, 12, 10),
    payments=[PaymentFact("N-1", pendulum.date(2026, 11, 10), Money("100.00"))],
)
FACTS = PartyFacts.of(SUBJECT, DAY)
RULE = CommunityIs("SUNRISE")
NAMES = {"zh_CN": "贵宾户", "en_US": "VIP"}
HISTORY = SegmentHistory("vip").observe(DAY, {"P-1": Outcome.MATCH})
SPELL = SegmentMembership("P-1", "vip", DAY)
EVALUATION = evaluate_portfolio({"vip": RULE}, [SUBJECT], DAY)
FRAMES = frames_from_subjects([SUBJECT], DAY)
RESULT = evaluate_batch({"vip": RULE}, FRAMES, DAY)

amounts = bad_amounts
number_text = bad_number_text

Call = Callable[[object], object]

DATES: dict[str, Call] = {
    "SegmentSubject.moved_in_on": lambda v: (
        SegmentSubject("P-1", moved_in_on=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", moved_in_on=None, callback_on=DAY)
    ),
    "SegmentSubject.callback_on": lambda v: (
        SegmentSubject("P-1", moved_in_on=DAY, callback_on=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", callback_on=DAY)
    ),
    "PartyFacts.of": lambda v: PartyFacts.of(SUBJECT, v),  # type: ignore[arg-type]
    "MovedInWithin.cutoff": lambda v: MovedInWithin().cutoff(v),  # type: ignore[arg-type]
    "SegmentHistory.observe": lambda v: SegmentHistory("vip").observe(v, {}),  # type: ignore[arg-type]
    "SegmentHistory.members_on": lambda v: HISTORY.members_on(v),  # type: ignore[arg-type]
    "SegmentMembership.holds_on": lambda v: SPELL.holds_on(v),  # type: ignore[arg-type]
    "evaluate_portfolio": lambda v: evaluate_portfolio({"vip": RULE}, [SUBJECT], v),  # type: ignore[arg-type]
    "frames_from_subjects": lambda v: frames_from_subjects([SUBJECT], v),  # type: ignore[arg-type]
    "behaviour_frame": lambda v: behaviour_frame(FRAMES, v),  # type: ignore[arg-type]
    "compile_rule": lambda v: compile_rule(RULE, v),  # type: ignore[arg-type]
    "evaluate_batch": lambda v: evaluate_batch({"vip": RULE}, FRAMES, v),  # type: ignore[arg-type]
    "payment_facts": lambda v: payment_facts(Account("1-2-0301"), v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", DATES)
@settings(max_examples=10)
@given(bad=bad_dates)
def test_dates_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: DATES[entry](bad))


AMOUNTS: dict[str, Call] = {
    "Arrears.at_least": lambda v: (
        Arrears(at_least=v)  # type: ignore[arg-type]
        if v is not None
        else Arrears(at_least=None, at_most=None)
    ),
    "Arrears.at_most": lambda v: Arrears(at_most=v),  # type: ignore[arg-type]
    "ServiceSpend.at_least": lambda v: ServiceSpend(at_least=v),  # type: ignore[arg-type]
    "ServiceSpend.at_most": lambda v: ServiceSpend(at_most=v),  # type: ignore[arg-type]
    "OnTimeRatio.at_least": lambda v: OnTimeRatio(at_least=v),  # type: ignore[arg-type]
    "OnTimeRatio.at_most": lambda v: OnTimeRatio(at_most=v),  # type: ignore[arg-type]
    "AverageDaysLate.at_least": lambda v: AverageDaysLate(at_least=v),  # type: ignore[arg-type]
    "AverageDaysLate.at_most": lambda v: AverageDaysLate(at_most=v),  # type: ignore[arg-type]
    "SegmentPolicy.reliable_on_time_ratio": lambda v: SegmentPolicy(reliable_on_time_ratio=v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", AMOUNTS)
@settings(max_examples=20)
@given(bad=amounts)
def test_amounts_and_decimal_bounds_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: AMOUNTS[entry](bad))


@pytest.mark.parametrize("entry", [k for k in AMOUNTS if not k.startswith(("Arrears", "Service"))])
@settings(max_examples=10)
@given(bad=number_text)
def test_number_text_is_refused_as_a_ratio(entry: str, bad: object) -> None:
    assert_refused(lambda: AMOUNTS[entry](bad))


def test_absurd_decimal_bounds_are_refused() -> None:
    assert_refused(lambda: OnTimeRatio(at_least="1.5"))
    assert_refused(lambda: AverageDaysLate(at_most="36501"))
    assert_refused(lambda: OnTimeRatio(at_least="0.0000001"))
    assert_refused(lambda: Arrears(at_least="-1.00"))
    assert_refused(lambda: ServiceSpend(at_most="1.001"))
    assert_refused(lambda: OnTimeRatio(at_least="0.9", at_most="0.1"))


IDS: dict[str, Call] = {
    "SegmentSubject.party_id": lambda v: SegmentSubject(v),  # type: ignore[arg-type]
    "SegmentHistory.segment": lambda v: SegmentHistory(v),  # type: ignore[arg-type]
    "SegmentHistory.of_party": lambda v: HISTORY.of_party(v),  # type: ignore[arg-type]
    "SegmentHistory.observe.outcomes": lambda v: HISTORY.observe(
        DAY.add(days=1),
        {v: Outcome.MATCH},  # type: ignore[dict-item]
    ),
    "Segment.code": lambda v: Segment(v, NAMES, RULE),  # type: ignore[arg-type]
    "segment_subject.party_id": lambda v: segment_subject(_book(), v, DAY),  # type: ignore[arg-type]
}


def _book() -> object:
    from propcrm.parties import PartyBook

    return PartyBook()


@pytest.mark.parametrize("entry", IDS)
@settings(max_examples=12)
@given(bad=bad_ids)
def test_ids_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: IDS[entry](bad))


TEXT: dict[str, Call] = {
    "SegmentSubject.community": lambda v: (
        SegmentSubject("P-1", community=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", community="")
    ),
    "SegmentSubject.location": lambda v: (
        SegmentSubject("P-1", location=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", location=" ")
    ),
    "CommunityIs.communities": lambda v: CommunityIs(v),  # type: ignore[arg-type]
    "LocationIs.locations": lambda v: LocationIs({"浦东", v}),  # type: ignore[arg-type]
    "Segment.names": lambda v: Segment("vip", {"zh_CN": "贵宾户", "en_US": v}, RULE),  # type: ignore[dict-item]
    "evaluate_portfolio.rules": lambda v: evaluate_portfolio({v: RULE}, [], DAY),  # type: ignore[dict-item]
    "evaluate_batch.rules": lambda v: evaluate_batch({v: RULE}, FRAMES, DAY),  # type: ignore[dict-item]
    "PortfolioEvaluation.outcomes": lambda v: EVALUATION.outcomes(v),  # type: ignore[arg-type]
    "PortfolioEvaluation.members": lambda v: EVALUATION.members(v),  # type: ignore[arg-type]
    "batch_outcomes.rule_name": lambda v: batch_outcomes(RESULT, v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", TEXT)
@settings(max_examples=10)
@given(bad=bad_text)
def test_text_is_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: TEXT[entry](bad))


COUNTS: dict[str, Call] = {
    "SegmentSubject.birth_year": lambda v: (
        SegmentSubject("P-1", birth_year=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", birth_year=1800)
    ),
    "SegmentSubject.household_size": lambda v: (
        SegmentSubject("P-1", household_size=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", household_size=0)
    ),
    "MovedInWithin.months": lambda v: MovedInWithin(v),  # type: ignore[arg-type]
    "SegmentPolicy.chronic_late_statements": lambda v: SegmentPolicy(chronic_late_statements=v),  # type: ignore[arg-type]
    "SegmentPolicy.high_value_monetary_score": lambda v: SegmentPolicy(
        high_value_monetary_score=v,  # type: ignore[arg-type]
    ),
    "SegmentPolicy.callback_months": lambda v: SegmentPolicy(callback_months=v),  # type: ignore[arg-type]
    "SegmentPolicy.frequent_complaints": lambda v: SegmentPolicy(frequent_complaints=v),  # type: ignore[arg-type]
    "SegmentPolicy.at_risk_complaints": lambda v: SegmentPolicy(at_risk_complaints=v),  # type: ignore[arg-type]
    "SegmentPolicy.at_risk_satisfaction": lambda v: SegmentPolicy(at_risk_satisfaction=v),  # type: ignore[arg-type]
}
# The bounds of the counting rules: None means "no bound", so it draws no bound at all instead.
for _name, _rule in {
    "MaxDaysLate": MaxDaysLate,
    "LateStatements": LateStatements,
    "ComplaintsInWindow": ComplaintsInWindow,
    "LastSatisfaction": LastSatisfaction,
    "AgeBetween": AgeBetween,
    "HouseholdSizeBetween": HouseholdSizeBetween,
    "ServicePurchases": ServicePurchases,
}.items():
    COUNTS[f"{_name}.at_least"] = lambda v, rule=_rule: rule(at_least=v)
    COUNTS[f"{_name}.at_most"] = lambda v, rule=_rule: rule(at_most=v)
COUNTS["RfmScoreBetween.at_least"] = lambda v: RfmScoreBetween(RfmComponent.TOTAL, at_least=v)  # type: ignore[arg-type]
COUNTS["RfmScoreBetween.at_most"] = lambda v: RfmScoreBetween(RfmComponent.TOTAL, at_most=v)  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", COUNTS)
@settings(max_examples=10)
@given(bad=bad_counts)
def test_counts_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: COUNTS[entry](bad))


def test_absurd_thresholds_are_refused() -> None:
    assert_refused(lambda: LastSatisfaction(at_least=6))
    assert_refused(lambda: AgeBetween(at_most=151))
    assert_refused(lambda: MovedInWithin(121))
    assert_refused(lambda: SegmentPolicy(at_risk_satisfaction=6))
    assert_refused(lambda: SegmentPolicy(chronic_late_statements=1001))
    assert_refused(lambda: SegmentSubject("P-1", birth_year=2201))
    assert_refused(lambda: SegmentSubject("P-1", household_size=101))


LOCALES: dict[str, Call] = {
    "Outcome.label": lambda v: Outcome.MATCH.label(v),  # type: ignore[arg-type]
    "Explanation.render": lambda v: RULE.evaluate(FACTS).render(v),  # type: ignore[arg-type]
    "Explanation.observed": lambda v: RULE.evaluate(FACTS).observed(v),  # type: ignore[arg-type]
    "Segment.label": lambda v: ready_segments()["at-risk"].label(v),  # type: ignore[arg-type]
    "Segment.names": lambda v: Segment("vip", {**NAMES, v: "VIP"}, RULE),  # type: ignore[dict-item]
    "SubjectKind.label": lambda v: SubjectKind.PERSON.label(v),  # type: ignore[arg-type]
    "OrganisationType.label": lambda v: OrganisationType.MERCHANT.label(v),  # type: ignore[arg-type]
    "PropertyRight.label": lambda v: PropertyRight.OWNER.label(v),  # type: ignore[arg-type]
    "CustomerAsk.label": lambda v: CustomerAsk.FEES.label(v),  # type: ignore[arg-type]
    "AllRules.describe": lambda v: (RULE & RULE).describe(v),  # type: ignore[arg-type]
    "AnyRule.describe": lambda v: (RULE | RULE).describe(v),  # type: ignore[arg-type]
    "NotRule.describe": lambda v: (~RULE).describe(v),  # type: ignore[arg-type]
}
for _rule in (
    PropertyTypeIs(PropertyType.OFFICE),
    RULE,
    LocationIs("浦东"),
    SubjectKindIs(SubjectKind.PERSON),
    OrganisationIs(OrganisationType.MERCHANT),
    AgeBetween(at_least=60),
    HouseholdSizeBetween(at_least=4),
    PropertyRightIs(PropertyRight.TENANT),
    AsksFor(CustomerAsk.FEES),
    MovedInWithin(),
    CallbackPending(),
    OnTimeRatio(at_least="0.9"),
    AverageDaysLate(at_least=10),
    MaxDaysLate(at_least=30),
    LateStatements(at_least=3),
    Arrears(at_most="0.00"),
    ServiceSpend(at_least="500.00"),
    ServicePurchases(at_least=2),
    RfmScoreBetween(RfmComponent.MONETARY, at_least=4),
    ComplaintsInWindow(at_least=3),
    LastSatisfaction(at_most=2),
):
    LOCALES[f"{type(_rule).__name__}.describe"] = lambda v, rule=_rule: rule.describe(v)  # type: ignore[misc]


@pytest.mark.parametrize("entry", LOCALES)
@settings(max_examples=10)
@given(bad=bad_locales)
def test_unknown_locales_are_refused(entry: str, bad: object) -> None:
    assert_refused(lambda: LOCALES[entry](bad))


_EMPTY_IS_VALID = {
    "SegmentSubject.property_types",
    "SegmentSubject.property_rights",
    "SegmentSubject.asks",
    "SegmentSubject.payments",
    "SegmentSubject.purchases",
    "evaluate_portfolio.rules",
    "evaluate_portfolio.subjects",
    "frames_from_subjects.subjects",
    "flag_mask",
    "evaluate_batch.rules",
    "segment_subject.accounts",
    "segment_subject.purchases",
    "SegmentHistory.observe.outcomes",
}

WRONG: dict[str, Call] = {
    "SegmentSubject.kind": lambda v: SegmentSubject("P-1", kind=v),  # type: ignore[arg-type]
    "SegmentSubject.organisation": lambda v: SegmentSubject(
        "P-1",
        kind=SubjectKind.ORGANISATION,
        organisation=v,  # type: ignore[arg-type]
    ),
    "SegmentSubject.property_types": lambda v: SegmentSubject("P-1", property_types=v),  # type: ignore[arg-type]
    "SegmentSubject.property_rights": lambda v: SegmentSubject("P-1", property_rights=v),  # type: ignore[arg-type]
    "SegmentSubject.asks": lambda v: SegmentSubject("P-1", asks=v),  # type: ignore[arg-type]
    "SegmentSubject.payments": lambda v: SegmentSubject("P-1", payments=v),  # type: ignore[arg-type]
    "SegmentSubject.purchases": lambda v: SegmentSubject("P-1", purchases=v),  # type: ignore[arg-type]
    "SegmentSubject.complaints": lambda v: (
        SegmentSubject("P-1", complaints=v)  # type: ignore[arg-type]
        if v is not None
        else SegmentSubject("P-1", complaints=object())
    ),  # type: ignore[arg-type]
    "PartyFacts.of.subject": lambda v: PartyFacts.of(v, DAY),  # type: ignore[arg-type]
    "PartyFacts.of.policy": lambda v: PartyFacts.of(SUBJECT, DAY, policy=v),  # type: ignore[arg-type]
    "PartyFacts.of.currency": lambda v: PartyFacts.of(SUBJECT, DAY, currency=v),  # type: ignore[arg-type]
    "PartyFacts.of.rfm": lambda v: (
        PartyFacts.of(SUBJECT, DAY, rfm=v)  # type: ignore[arg-type]
        if v is not None
        else PartyFacts.of(SUBJECT, DAY, rfm={})
    ),
    "PropertyTypeIs.types": lambda v: PropertyTypeIs(v),  # type: ignore[arg-type]
    "OrganisationIs.types": lambda v: OrganisationIs(v),  # type: ignore[arg-type]
    "PropertyRightIs.rights": lambda v: PropertyRightIs(v),  # type: ignore[arg-type]
    "AsksFor.asks": lambda v: AsksFor(v),  # type: ignore[arg-type]
    "SubjectKindIs.kind": lambda v: SubjectKindIs(v),  # type: ignore[arg-type]
    "CommunityIs.communities": lambda v: CommunityIs(v),  # type: ignore[arg-type]
    "RfmScoreBetween.component": lambda v: RfmScoreBetween(v, at_least=1),  # type: ignore[arg-type]
    "AllRules.rules": lambda v: AllRules(v),  # type: ignore[arg-type]
    "AnyRule.rules": lambda v: AnyRule(v),  # type: ignore[arg-type]
    "NotRule.rule": lambda v: NotRule(v),  # type: ignore[arg-type]
    "Segment.names": lambda v: Segment("vip", v, RULE),  # type: ignore[arg-type]
    "Segment.rule": lambda v: Segment("vip", NAMES, v),  # type: ignore[arg-type]
    "ready_segments.policy": lambda v: ready_segments(v),  # type: ignore[arg-type]
    "SegmentHistory.observe.outcomes": lambda v: HISTORY.observe(DAY.add(days=1), v),  # type: ignore[arg-type]
    "SegmentHistory.observe.outcome": lambda v: HISTORY.observe(DAY.add(days=1), {"P-1": v}),  # type: ignore[dict-item]
    "evaluate_portfolio.rules": lambda v: evaluate_portfolio(v, [SUBJECT], DAY),  # type: ignore[arg-type]
    "evaluate_portfolio.subjects": lambda v: evaluate_portfolio({"vip": RULE}, v, DAY),  # type: ignore[arg-type]
    "evaluate_portfolio.policy": lambda v: evaluate_portfolio({}, [SUBJECT], DAY, policy=v),  # type: ignore[arg-type]
    "evaluate_portfolio.currency": lambda v: evaluate_portfolio({}, [SUBJECT], DAY, currency=v),  # type: ignore[arg-type]
    "frames_from_subjects.subjects": lambda v: frames_from_subjects(v, DAY),  # type: ignore[arg-type]
    "frames_from_subjects.policy": lambda v: frames_from_subjects([SUBJECT], DAY, policy=v),  # type: ignore[arg-type]
    "frames_from_subjects.currency": lambda v: frames_from_subjects([SUBJECT], DAY, currency=v),  # type: ignore[arg-type]
    "behaviour_frame.frames": lambda v: behaviour_frame(v, DAY),  # type: ignore[arg-type]
    "behaviour_frame.policy": lambda v: behaviour_frame(FRAMES, DAY, policy=v),  # type: ignore[arg-type]
    "behaviour_frame.currency": lambda v: behaviour_frame(FRAMES, DAY, currency=v),  # type: ignore[arg-type]
    "PortfolioFrames.parties": lambda v: behaviour_frame(
        PortfolioFrames(v, FRAMES.payments, FRAMES.purchases, FRAMES.complaints),  # type: ignore[arg-type]
        DAY,
    ),
    "compile_rule.rule": lambda v: compile_rule(v, DAY),  # type: ignore[arg-type]
    "compile_rule.policy": lambda v: compile_rule(RULE, DAY, policy=v),  # type: ignore[arg-type]
    "compile_rule.currency": lambda v: compile_rule(RULE, DAY, currency=v),  # type: ignore[arg-type]
    "evaluate_batch.rules": lambda v: evaluate_batch(v, FRAMES, DAY),  # type: ignore[arg-type]
    "evaluate_batch.frames": lambda v: evaluate_batch({"vip": RULE}, v, DAY),  # type: ignore[arg-type]
    "evaluate_batch.policy": lambda v: evaluate_batch({}, FRAMES, DAY, policy=v),  # type: ignore[arg-type]
    "evaluate_batch.currency": lambda v: evaluate_batch({}, FRAMES, DAY, currency=v),  # type: ignore[arg-type]
    "batch_outcomes.result": lambda v: batch_outcomes(v, "vip"),  # type: ignore[arg-type]
    "batch_rfm.result": lambda v: batch_rfm(v),  # type: ignore[arg-type]
    "flag_mask": lambda v: flag_mask(v),  # type: ignore[arg-type]
    "payment_facts.account": lambda v: payment_facts(v, DAY),  # type: ignore[arg-type]
    "segment_subject.book": lambda v: segment_subject(v, "P-1", DAY),  # type: ignore[arg-type]
    "segment_subject.accounts": lambda v: segment_subject(_book(), "P-1", DAY, accounts=v),  # type: ignore[arg-type]
    "segment_subject.purchases": lambda v: segment_subject(_book(), "P-1", DAY, purchases=v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", WRONG)
@settings(max_examples=12)
@given(bad=wrong_types)
def test_wrong_types_are_refused(entry: str, bad: object) -> None:
    if entry in _EMPTY_IS_VALID and bad in ((), [], {}):
        return  # nothing held, no rule, an empty portfolio: valid
    if entry == "CommunityIs.communities" and bad == {"100"}:
        return  # a set of community codes is what the rule takes
    assert_refused(lambda: WRONG[entry](bad))


def test_duplicates_are_refused() -> None:
    twice = [SUBJECT, SegmentSubject("P-1")]
    assert isinstance(assert_refused(lambda: evaluate_portfolio({}, twice, DAY)), DuplicateParty)
    assert isinstance(assert_refused(lambda: frames_from_subjects(twice, DAY)), DuplicateParty)
    fact = PaymentFact("N-1", DAY, Money("1.00"))
    error = assert_refused(lambda: SegmentSubject("P-1", payments=[fact, fact]))
    assert (error.field, error.value) == ("payments", "N-1")
    error = assert_refused(lambda: Segment("vip", {**NAMES, "zh-CN": "贵宾"}, RULE))
    assert error.field == "names"
