"""Tests for propcrm.segmentation's rules: typed rules, three-valued outcomes, explanations."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.analytics import (
    DEFAULT_CALLBACK_MONTHS,
    BehaviourPolicy,
    ComplaintRecord,
    FixedThresholds,
    PaymentFact,
    RfmComponent,
    RfmPolicy,
    SatisfactionScore,
    ServicePurchase,
)
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateParty,
    InvalidAmount,
    InvalidSegmentRule,
    InvalidSegmentSubject,
    RfmNotComputed,
)
from propcrm.money import Money
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
    PropertyRight,
    PropertyRightIs,
    PropertyTypeIs,
    RfmScoreBetween,
    RuleFamily,
    SegmentRule,
    SegmentSubject,
    ServicePurchases,
    ServiceSpend,
    SubjectKind,
    SubjectKindIs,
    evaluate_portfolio,
)
from propcrm.testing._segmentation_strategies import (
    as_of_dates,
    segment_rules,
    segment_subjects,
)

DAY = pendulum.date(2026, 12, 1)
MATCH, NO, UNKNOWN = Outcome.MATCH, Outcome.NO_MATCH, Outcome.INSUFFICIENT_HISTORY


def monthly(count: int, *, late_days: int = 0, paid: bool = True) -> tuple[PaymentFact, ...]:
    """``count`` monthly notices due the 10th up to November 2026, paid ``late_days`` late."""
    facts = []
    for back in range(count):
        due = pendulum.date(2026, 11, 10).subtract(months=back)
        if paid:
            facts.append(
                PaymentFact(f"N-{back}", due, Money("250.24"), paid_on=due.add(days=late_days))
            )
        else:
            facts.append(PaymentFact(f"N-{back}", due, Money("250.24")))
    return tuple(facts)


def outcome(rule: SegmentRule, subject: SegmentSubject, day: pendulum.Date = DAY) -> Outcome:
    return rule.evaluate(PartyFacts.of(subject, day)).outcome


# -- Kleene logic -----------------------------------------------------------------------------

ALL = list(Outcome)


def _rank(value: Outcome) -> int:
    return {NO: 0, UNKNOWN: 1, MATCH: 2}[value]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(ALL, ALL)))
def test_and_is_the_minimum_and_or_the_maximum_of_no_unknown_match(a: Outcome, b: Outcome) -> None:
    assert _rank(a & b) == min(_rank(a), _rank(b))
    assert _rank(a | b) == max(_rank(a), _rank(b))
    assert ~(a & b) == (~a | ~b)  # De Morgan holds in Kleene logic
    assert ~(a | b) == (~a & ~b)


def test_not_swaps_match_and_no_match_and_keeps_insufficient_history() -> None:
    assert (~MATCH, ~NO, ~UNKNOWN) == (NO, MATCH, UNKNOWN)


def test_outcome_and_nullable_booleans_convert_both_ways() -> None:
    for value in (True, False, None):
        assert Outcome.of(value).as_bool() is value
    assert UNKNOWN.value == "insufficient history"
    assert (MATCH.mark, NO.mark, UNKNOWN.mark) == ("✓", "✗", "?")


def test_outcomes_do_not_combine_with_booleans() -> None:
    with pytest.raises(TypeError):
        _ = MATCH & True  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = MATCH | None  # type: ignore[operator]


# -- the subject ------------------------------------------------------------------------------


def test_subject_accepts_one_enum_or_a_set() -> None:
    subject = SegmentSubject("P-1", property_types=PropertyType.OFFICE)
    assert subject.property_types == frozenset({PropertyType.OFFICE})
    assert SegmentSubject("P-1").kind is SubjectKind.PERSON


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"organisation": OrganisationType.ENTERPRISE}, "a person has no organisation"),
        ({"kind": SubjectKind.ORGANISATION}, "needs an OrganisationType"),
        (
            {
                "kind": SubjectKind.ORGANISATION,
                "organisation": OrganisationType.MERCHANT,
                "birth_year": 1980,
            },
            "no birth year",
        ),
        ({"household_size": 0}, "household size"),
        ({"birth_year": True}, "birth year"),
        ({"callback_on": DAY}, "must follow a move-in"),
        ({"moved_in_on": DAY, "callback_on": DAY.subtract(days=1)}, "must follow a move-in"),
        ({"property_types": "office"}, "must be a PropertyType"),
        ({"property_rights": {"owner"}}, "is not a PropertyRight"),
        ({"payments": [1]}, "not a PaymentFact"),
        ({"payments": monthly(1) + monthly(1)}, "appears twice"),
        ({"complaints": "none"}, "ComplaintHistory"),
        ({"community": " "}, "non-empty"),
    ],
)
def test_subject_refuses_contradictions(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidSegmentSubject, match=message):
        SegmentSubject("P-1", **kwargs)  # type: ignore[arg-type]


def test_subject_needs_a_party_id() -> None:
    with pytest.raises(InvalidSegmentSubject, match="party id"):
        SegmentSubject("")


# -- external, internal, property right, asks ----------------------------------------------


def test_external_attributes() -> None:
    shop = SegmentSubject(
        "P-1",
        kind=SubjectKind.ORGANISATION,
        organisation=OrganisationType.MERCHANT,
        property_types={PropertyType.COMMERCIAL, PropertyType.STORAGE},
        community="SUNRISE",
        location="浦东新区",
    )
    assert outcome(PropertyTypeIs({PropertyType.COMMERCIAL, PropertyType.OFFICE}), shop) is MATCH
    assert outcome(PropertyTypeIs(PropertyType.RESIDENTIAL), shop) is NO
    assert outcome(CommunityIs("SUNRISE"), shop) is MATCH
    assert outcome(CommunityIs({"LAKESIDE"}), shop) is NO
    assert outcome(LocationIs("浦东新区"), shop) is MATCH
    assert outcome(SubjectKindIs(SubjectKind.ORGANISATION), shop) is MATCH
    assert outcome(OrganisationIs(OrganisationType.MERCHANT), shop) is MATCH
    person = SegmentSubject("P-2")
    assert outcome(OrganisationIs(set(OrganisationType)), person) is NO
    assert outcome(CommunityIs("SUNRISE"), person) is NO  # no community recorded
    assert outcome(LocationIs("浦东新区"), person) is NO


def test_age_band_from_the_birth_year_and_the_date() -> None:
    senior = SegmentSubject("P-1", birth_year=1961)
    assert outcome(AgeBetween(at_least=65), senior) is MATCH  # 65 in 2026
    assert outcome(AgeBetween(at_least=65), senior, pendulum.date(2025, 12, 31)) is NO
    assert outcome(AgeBetween(at_least=60, at_most=64), senior) is NO
    assert outcome(AgeBetween(at_least=65), SegmentSubject("P-2")) is UNKNOWN
    company = SegmentSubject(
        "P-3", kind=SubjectKind.ORGANISATION, organisation=OrganisationType.ENTERPRISE
    )
    assert outcome(AgeBetween(at_least=0), company) is NO
    assert outcome(HouseholdSizeBetween(at_least=1), company) is NO


def test_household_size() -> None:
    assert outcome(HouseholdSizeBetween(at_least=5), SegmentSubject("P", household_size=5)) is MATCH
    assert outcome(HouseholdSizeBetween(at_most=2), SegmentSubject("P", household_size=3)) is NO
    assert outcome(HouseholdSizeBetween(at_most=2), SegmentSubject("P")) is UNKNOWN


def test_property_right_and_what_they_ask_of_us() -> None:
    both = SegmentSubject(
        "P-1",
        property_rights={PropertyRight.OWNER, PropertyRight.TENANT},
        asks={CustomerAsk.FEES},
    )
    assert outcome(PropertyRightIs(PropertyRight.TENANT), both) is MATCH
    assert outcome(PropertyRightIs(PropertyRight.OTHER_OCCUPANT), both) is NO
    assert outcome(AsksFor(CustomerAsk.FEES), both) is MATCH
    assert outcome(AsksFor({CustomerAsk.SERVICE, CustomerAsk.OPINIONS}), both) is NO


# -- lifecycle -------------------------------------------------------------------------------


def test_moved_in_within_one_month_by_default() -> None:
    assert DEFAULT_CALLBACK_MONTHS == 1
    rule = MovedInWithin()
    assert outcome(rule, SegmentSubject("P", moved_in_on=pendulum.date(2026, 11, 1))) is MATCH
    assert outcome(rule, SegmentSubject("P", moved_in_on=pendulum.date(2026, 10, 31))) is NO
    assert outcome(rule, SegmentSubject("P", moved_in_on=DAY.add(days=1))) is NO
    assert outcome(rule, SegmentSubject("P")) is NO
    assert rule.cutoff(pendulum.date(2026, 3, 31)) == pendulum.date(2026, 2, 28)
    with pytest.raises(InvalidSegmentRule, match="months"):
        MovedInWithin(0)


def test_callback_pending_until_the_callback_is_made() -> None:
    moved = pendulum.date(2026, 11, 20)
    waiting = SegmentSubject("P", moved_in_on=moved)
    assert outcome(CallbackPending(), waiting) is MATCH
    called = SegmentSubject("P", moved_in_on=moved, callback_on=pendulum.date(2026, 11, 25))
    assert outcome(CallbackPending(), called) is NO
    assert outcome(CallbackPending(), called, pendulum.date(2026, 11, 24)) is MATCH
    assert outcome(CallbackPending(), waiting, pendulum.date(2026, 11, 19)) is NO
    assert outcome(CallbackPending(), SegmentSubject("P")) is NO


# -- behaviour --------------------------------------------------------------------------------


def test_punctuality_rules_need_history() -> None:
    nobody = SegmentSubject("P-0")
    for rule in (
        OnTimeRatio(at_least="0.9"),
        AverageDaysLate(at_least="1"),
        MaxDaysLate(at_least=1),
        LateStatements(at_least=1),
        Arrears(at_least=Money("0.00")),
        ServiceSpend(at_most=Money("0.00")),
        ServicePurchases(at_most=0),
        ComplaintsInWindow(at_most=0),
        LastSatisfaction(at_least=1),
    ):
        explanation = rule.evaluate(PartyFacts.of(nobody, DAY))
        assert explanation.outcome is UNKNOWN, rule
        assert explanation.observed.startswith("insufficient history")
        assert rule.family in {RuleFamily.BEHAVIOURAL, RuleFamily.VALUE}


def test_punctuality_rules_on_a_payer() -> None:
    late = SegmentSubject("P-1", payments=monthly(4, late_days=10))
    assert outcome(OnTimeRatio(at_most="0"), late) is MATCH
    assert outcome(AverageDaysLate(at_least="10", at_most="10"), late) is MATCH
    assert outcome(MaxDaysLate(at_least=11), late) is NO
    assert outcome(LateStatements(at_least=4), late) is MATCH
    assert outcome(Arrears(at_most=Money("0.00")), late) is MATCH
    punctual = SegmentSubject("P-2", payments=monthly(12))
    facts = PartyFacts.of(punctual, DAY)
    explanation = OnTimeRatio(at_least="0.9").evaluate(facts)
    assert explanation.outcome is MATCH
    assert explanation.value == Fraction(1)
    assert explanation.observed == "12 of 12 notices on time"


def test_two_notices_are_too_few_for_punctuality_but_show_arrears() -> None:
    two = SegmentSubject("P-1", payments=monthly(2, paid=False))
    assert outcome(LateStatements(at_least=1), two) is UNKNOWN
    assert outcome(Arrears(at_least=Money("500.48")), two) is MATCH
    policy = BehaviourPolicy(min_statements=2)
    facts = PartyFacts.of(two, DAY, policy=policy)
    assert LateStatements(at_least=2).evaluate(facts).outcome is MATCH


def test_ratio_bounds_compare_exactly() -> None:
    # 2 of 3 on time: 0.666… is below 0.666667 and above 0.666666
    subject = SegmentSubject("P-1", payments=monthly(2) + monthly(3, late_days=1)[2:])
    assert outcome(OnTimeRatio(at_least="0.666667"), subject) is NO
    assert outcome(OnTimeRatio(at_least="0.666666"), subject) is MATCH


def test_spend_rules_are_discretionary_and_for_existing_customers() -> None:
    buyer = SegmentSubject(
        "P-1", purchases=[ServicePurchase(pendulum.date(2026, 11, 1), Money("80.00"))]
    )
    assert outcome(ServiceSpend(at_least=Money("80.00")), buyer) is MATCH
    assert outcome(ServicePurchases(at_least=2), buyer) is NO
    payer = SegmentSubject("P-2", payments=monthly(1))
    assert outcome(ServiceSpend(at_most=Money("0.00")), payer) is MATCH  # a real zero


def test_complaint_rules_read_the_complaint_side() -> None:
    record = ComplaintRecord(
        complaints=[pendulum.date(2026, 10, 5), pendulum.date(2026, 11, 5)],
        satisfaction=[SatisfactionScore(pendulum.date(2026, 11, 20), 2)],
    )
    subject = SegmentSubject("P-1", complaints=record)
    assert outcome(ComplaintsInWindow(at_least=2), subject) is MATCH
    assert outcome(LastSatisfaction(at_most=2), subject) is MATCH
    quiet = SegmentSubject("P-2", complaints=ComplaintRecord())
    assert outcome(ComplaintsInWindow(at_most=0), quiet) is MATCH
    assert outcome(LastSatisfaction(at_most=2), quiet) is UNKNOWN


def test_money_bounds_in_another_currency_are_refused() -> None:
    subject = SegmentSubject("P-1", payments=monthly(1))
    with pytest.raises(InvalidSegmentRule, match="USD"):
        outcome(Arrears(at_least=Money("1.00", "USD")), subject)


def test_a_history_in_another_currency_is_refused() -> None:
    subject = SegmentSubject(
        "P-1", payments=[PaymentFact("N-1", pendulum.date(2026, 11, 10), Money("1.00", "USD"))]
    )
    with pytest.raises(CurrencyMismatch):
        PartyFacts.of(subject, DAY)


# -- RFM rules -------------------------------------------------------------------------------


def test_quantile_rfm_needs_the_portfolio() -> None:
    subject = SegmentSubject("P-1", payments=monthly(3))
    facts = PartyFacts.of(subject, DAY)
    with pytest.raises(RfmNotComputed, match="relative to a portfolio"):
        RfmScoreBetween(RfmComponent.MONETARY, at_least=1).evaluate(facts)
    with pytest.raises(RfmNotComputed, match="no RFM score"):
        PartyFacts.of(subject, DAY, rfm={})


def test_fixed_threshold_rfm_works_party_by_party() -> None:
    thresholds = FixedThresholds(
        recency_days=(90, 30),
        frequency=(3, 12),
        monetary=(Money("500.00"), Money("3000.00")),
    )
    policy = BehaviourPolicy(rfm=RfmPolicy(scoring=thresholds))
    facts = PartyFacts.of(SegmentSubject("P-1", payments=monthly(3)), DAY, policy=policy)
    assert facts.rfm is not None
    assert (facts.rfm.recency, facts.rfm.frequency, facts.rfm.monetary) == (3, 2, 2)
    assert RfmScoreBetween(RfmComponent.TOTAL, at_least=7).evaluate(facts).outcome is MATCH
    nobody = PartyFacts.of(SegmentSubject("P-2"), DAY, policy=policy)
    assert RfmScoreBetween(RfmComponent.TOTAL, at_least=1).evaluate(nobody).outcome is UNKNOWN


# -- composition and explanation -------------------------------------------------------------


def test_operators_build_flat_connectives() -> None:
    a, b, c = (
        PropertyTypeIs(PropertyType.OFFICE),
        CommunityIs("SUNRISE"),
        LocationIs("徐汇区"),
    )
    assert a & b & c == AllRules((a, b, c))
    assert a | b | c == AnyRule((a, b, c))
    assert ~a == NotRule(a)
    assert (a & b) | c == AnyRule((AllRules((a, b)), c))
    with pytest.raises(InvalidSegmentRule, match="at least one rule"):
        AllRules(())
    with pytest.raises(InvalidSegmentRule, match="not a SegmentRule"):
        AnyRule((a, "b"))  # type: ignore[arg-type]
    with pytest.raises(InvalidSegmentRule, match="not a SegmentRule"):
        NotRule("a")  # type: ignore[arg-type]
    assert a.__and__("x") is NotImplemented


def test_explanation_keeps_every_part_and_what_matched() -> None:
    subject = SegmentSubject(
        "P-1", property_types={PropertyType.COMMERCIAL}, property_rights={PropertyRight.TENANT}
    )
    rule = (PropertyTypeIs(PropertyType.COMMERCIAL) & LateStatements(at_least=3)) | ~(
        PropertyRightIs(PropertyRight.OWNER)
    )
    explanation = rule.evaluate(PartyFacts.of(subject, DAY))
    assert explanation.outcome is MATCH
    assert [leaf.outcome for leaf in explanation.leaves()] == [MATCH, UNKNOWN, NO]
    assert [leaf.rule for leaf in explanation.matched()] == [
        PropertyTypeIs(PropertyType.COMMERCIAL)
    ]
    assert explanation.render().splitlines() == [
        "✓ any of",
        "  ? all of",
        "    ✓ holds commercial: commercial",
        "    ? late notices ≥ 3: insufficient history: 0 notices assessed, 3 needed",
        "  ✓ not",
        "    ✗ right: owner: tenant",
    ]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (OnTimeRatio, "needs at_least, at_most or both"),
        (lambda: LateStatements(at_least=3, at_most=2), "above at_most"),
        (lambda: LateStatements(at_least=-1), "at least 0"),
        (lambda: LateStatements(at_least=1.0), "must be an int"),
        (lambda: OnTimeRatio(at_least=0.9), "float"),
        (lambda: OnTimeRatio(at_least="1.5"), "from 0 to 1"),
        (lambda: OnTimeRatio(at_least="0.1234567"), "decimal places"),
        (lambda: Arrears(at_least=Money("0.001")), "rounded"),
        (lambda: Arrears(at_least=Money("-1.00")), "zero or more"),
        (lambda: LastSatisfaction(at_most=6), "at most 5"),
        (lambda: PropertyTypeIs(set()), "at least one"),
        (lambda: CommunityIs(set()), "at least one"),
        (lambda: RfmScoreBetween("monetary", at_least=1), "must be"),
        (lambda: SubjectKindIs("person"), "must be"),
    ],
)
def test_malformed_rules_are_refused(build: object, message: str) -> None:
    with pytest.raises((InvalidSegmentRule, TypeError), match=message):
        build()  # type: ignore[operator]


def test_money_bounds_are_taken_as_money_takes_them() -> None:
    assert Arrears(at_least="100.00").at_least == Money("100.00")
    with pytest.raises(InvalidAmount, match="is a float"):
        Arrears(at_least=1.0)


def test_rules_are_values() -> None:
    assert OnTimeRatio(at_least="0.9") == OnTimeRatio(at_least=Decimal("0.90"))
    assert hash(LateStatements(at_least=3)) == hash(LateStatements(at_least=3))
    assert OnTimeRatio(at_least="0.9").describe() == "on-time ratio ≥ 0.9"
    assert MaxDaysLate(at_least=1, at_most=9).describe() == "1 ≤ max days late ≤ 9"


# -- a portfolio ------------------------------------------------------------------------------


def test_evaluate_portfolio_ranks_rfm_over_existing_customers() -> None:
    subjects = [
        SegmentSubject("P-1", payments=monthly(12)),
        SegmentSubject("P-2", payments=monthly(3)),
        SegmentSubject("P-3"),
    ]
    result = evaluate_portfolio(
        {"top": RfmScoreBetween(RfmComponent.FREQUENCY, at_least=3)}, subjects, DAY
    )
    assert set(result.rfm) == {"P-1", "P-2"}
    assert result.outcomes("top") == {"P-1": MATCH, "P-2": NO, "P-3": UNKNOWN}
    assert result.members("top") == ("P-1",)
    assert result.rule_names == ("top",)


def test_evaluate_portfolio_refuses_duplicates_and_non_subjects() -> None:
    rule = {"x": CommunityIs("SUNRISE")}
    with pytest.raises(DuplicateParty):
        evaluate_portfolio(rule, [SegmentSubject("P"), SegmentSubject("P")], DAY)
    with pytest.raises(InvalidSegmentSubject):
        evaluate_portfolio(rule, ["P"], DAY)  # type: ignore[list-item]
    with pytest.raises(InvalidSegmentRule, match="not a rule"):
        evaluate_portfolio({"x": "rule"}, [], DAY)  # type: ignore[dict-item]


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=60)
@given(subject=segment_subjects(), rule=segment_rules(), as_of=as_of_dates())
def test_connectives_follow_kleene_logic_on_any_party(
    subject: SegmentSubject, rule: SegmentRule, as_of: pendulum.Date
) -> None:
    policy = BehaviourPolicy(
        rfm=RfmPolicy(
            scoring=FixedThresholds(recency_days=(90,), frequency=(2,), monetary=(Money("100.00"),))
        )
    )
    facts = PartyFacts.of(subject, as_of, policy=policy)
    result = rule.evaluate(facts).outcome
    assert NotRule(NotRule(rule)).evaluate(facts).outcome is result
    assert (rule & ~rule).evaluate(facts).outcome is not MATCH
    assert (rule | ~rule).evaluate(facts).outcome is not NO
    explanation = rule.evaluate(facts)
    assert all(leaf.outcome in ALL for leaf in explanation.leaves())


@settings(max_examples=40)
@given(subject=segment_subjects(), as_of=as_of_dates(), later=st.integers(1, 60))
def test_a_rule_sees_nothing_after_its_date(
    subject: SegmentSubject, as_of: pendulum.Date, later: int
) -> None:
    future = (
        *subject.payments,
        PaymentFact("N-future", as_of.add(days=later), Money("9.99"), paid_on=as_of),
    )
    extended = attrs.evolve(subject, payments=future)
    for rule in (LateStatements(at_least=1), Arrears(at_least=Money("0.01"))):
        assert outcome(rule, extended, as_of) is outcome(rule, subject, as_of)
