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
    InvalidType,
    PropcrmError,
    RfmNotComputed,
    UnsupportedLocale,
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
from propcrm.segmentation._rules import LeafRule
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
    assert UNKNOWN.value == "insufficient_history"
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
        ({"household_size": 0}, "household_size must be at least 1"),
        ({"birth_year": True}, "birth_year must be an int"),
        ({"callback_on": DAY}, "must follow a move-in"),
        ({"moved_in_on": DAY, "callback_on": DAY.subtract(days=1)}, "must follow a move-in"),
        ({"property_types": "office"}, "must be a PropertyType"),
        ({"property_rights": {"owner"}}, "is not a PropertyRight"),
        ({"payments": [1]}, "each item must be PaymentFact"),
        ({"payments": monthly(1) + monthly(1)}, "names the notice 'N-0' twice"),
        ({"complaints": "none"}, "ComplaintHistory"),
        ({"community": " "}, "must not be empty"),
    ],
)
def test_subject_refuses_contradictions(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PropcrmError, match=message) as refused:
        SegmentSubject("P-1", **kwargs)  # type: ignore[arg-type]
    assert refused.value.field in {*kwargs, "property_types", "property_rights", "organisation"}


def test_subject_needs_a_party_id() -> None:
    with pytest.raises(InvalidSegmentSubject, match="party_id '' must be non-empty"):
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
        assert explanation.observed("en_US").startswith("insufficient history")
        assert explanation.observed().startswith("历史不足")
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
    assert explanation.observed("en_US") == "12 of 12 notices on time"
    assert explanation.observed() == "12张通知单中12张按时缴清"


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
    assert explanation.render("en_US").splitlines() == [
        "✓ any of",
        "  ? all of",
        "    ✓ holds commercial: commercial",
        "    ? late notices ≥ 3: insufficient history: 0 notices assessed, 3 needed",
        "  ✓ not",
        "    ✗ right: owner: tenant",
    ]
    assert explanation.render().splitlines() == [
        "✓ 满足以下任一",
        "  ? 同时满足以下全部",
        "    ✓ 持有商业物业：商业",
        "    ? 逾期通知单数 ≥ 3：历史不足：已评估0张通知单，需要3张",
        "  ✓ 不满足以下",
        "    ✗ 产权身份为业主：租户",
    ]
    assert explanation.render("en_US", indent="\t").splitlines()[1] == "\t? all of"


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
    assert OnTimeRatio(at_least="0.9").describe("en_US") == "on-time ratio ≥ 0.9"
    assert MaxDaysLate(at_least=1, at_most=9).describe("en_US") == "1 ≤ max days late ≤ 9"
    assert OnTimeRatio(at_least="0.9").describe() == "按时缴费率 ≥ 0.9"
    assert MaxDaysLate(at_least=1, at_most=9).describe() == "1 ≤ 最长逾期天数 ≤ 9"
    facts = PartyFacts.of(SegmentSubject("P-1", payments=monthly(12)), DAY)
    assert OnTimeRatio(at_least="0.9").evaluate(facts) == OnTimeRatio(at_least="0.9").evaluate(
        facts
    )


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
    with pytest.raises(InvalidType, match=r"subjects holds .*; each item must be SegmentSubject"):
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


# -- text in each locale ------------------------------------------------------------------------

_SPOKEN = SegmentSubject(
    "P-1",
    property_types={PropertyType.RESIDENTIAL, PropertyType.PARKING},
    property_rights={PropertyRight.OWNER},
    asks={CustomerAsk.FEES, CustomerAsk.SERVICE},
    community="SUNRISE",
    location="浦东新区",
    birth_year=1961,
    household_size=1,
    moved_in_on=pendulum.date(2026, 11, 3),
    callback_on=pendulum.date(2026, 11, 20),
    payments=monthly(5, late_days=3),
    purchases=[ServicePurchase(pendulum.date(2026, 10, 1), Money("80.00"))],
    complaints=ComplaintRecord(
        complaints=[pendulum.date(2026, 11, 2)],
        satisfaction=[SatisfactionScore(pendulum.date(2026, 11, 5), 2)],
    ),
)
_THRESHOLDS = BehaviourPolicy(
    rfm=RfmPolicy(
        scoring=FixedThresholds(recency_days=(90, 30), frequency=(2,), monetary=(Money("50.00"),))
    )
)

RENDERED = [
    (
        PropertyTypeIs({PropertyType.COMMERCIAL, PropertyType.OFFICE}),
        "✗ 持有办公或商业物业：住宅和车位",
        "✗ holds office or commercial: residential and parking",
    ),
    (
        CommunityIs({"SUNRISE", "MOON"}),
        "✓ 所在小区为MOON或SUNRISE：SUNRISE",
        "✓ community in MOON or SUNRISE: SUNRISE",
    ),
    (LocationIs("浦东新区"), "✓ 所在地区为浦东新区：浦东新区", "✓ location in 浦东新区: 浦东新区"),
    (SubjectKindIs(SubjectKind.ORGANISATION), "✗ 单位：个人", "✗ an organisation: a person"),
    (
        OrganisationIs(OrganisationType.OWNERS_COMMITTEE),
        "✗ 单位类型为业主委员会：个人",
        "✗ organisation: owners' committee: a person",
    ),
    (AgeBetween(at_least=60, at_most=70), "✓ 60 ≤ 年龄 ≤ 70：65岁", "✓ 60 ≤ age ≤ 70: age 65"),
    (
        HouseholdSizeBetween(at_most=1),
        "✓ 家庭人口 ≤ 1：家庭1人",
        "✓ household size ≤ 1: household of 1",
    ),
    (
        MovedInWithin(),
        "✓ 近1个月内入住：2026年11月3日入住",
        "✓ moved in within the last month: moved in on Nov 3, 2026",
    ),
    (
        MovedInWithin(3),
        "✓ 近3个月内入住：2026年11月3日入住",
        "✓ moved in within the last 3 months: moved in on Nov 3, 2026",
    ),
    (
        CallbackPending(),
        "✗ 入住回访待完成：2026年11月20日已回访",
        "✗ move-in callback pending: called back on Nov 20, 2026",
    ),
    (
        OnTimeRatio(at_least="0.9"),
        "✗ 按时缴费率 ≥ 0.9：5张通知单中0张按时缴清",
        "✗ on-time ratio ≥ 0.9: 0 of 5 notices on time",
    ),
    (
        AverageDaysLate(at_least="2.5"),
        "✓ 平均逾期天数 ≥ 2.5：平均逾期3天",
        "✓ average days late ≥ 2.5: 3 days late on average",
    ),
    (
        MaxDaysLate(at_most=3),
        "✓ 最长逾期天数 ≤ 3：最长逾期3天",
        "✓ max days late ≤ 3: 3 days at most",
    ),
    (
        LateStatements(at_least=1),
        "✓ 逾期通知单数 ≥ 1：5张通知单中5张逾期",
        "✓ late notices ≥ 1: 5 of 5 notices late",
    ),
    (
        Arrears(at_most=Money("0.00")),
        "✓ 欠费 ≤ ¥0.00：欠费¥0.00",
        "✓ arrears ≤ CN¥0.00: arrears CN¥0.00",
    ),
    (
        ComplaintsInWindow(at_least=1),
        "✓ 投诉次数 ≥ 1：2026年9月2日以来投诉1次",
        "✓ complaints ≥ 1: 1 complaint since Sep 2, 2026",
    ),
    (
        LastSatisfaction(at_most=2),
        "✓ 最近满意度 ≤ 2：最近满意度2分",
        "✓ last satisfaction ≤ 2: last satisfaction 2",
    ),
    (
        PropertyRightIs({PropertyRight.TENANT, PropertyRight.OTHER_OCCUPANT}),
        "✗ 产权身份为租户或非业主使用人：业主",
        "✗ right: tenant or other occupant: owner",
    ),
    (
        AsksFor(CustomerAsk.OPINIONS),
        "✗ 有意见方面的诉求：服务和费用",
        "✗ asks for opinions: service and fees",
    ),
    (
        ServiceSpend(at_least=Money("50.00")),
        "✓ 特约服务消费 ≥ ¥50.00：特约服务1次，共¥80.00",
        "✓ special-service spend ≥ CN¥50.00: spent CN¥80.00 on 1 purchase",
    ),
    (
        ServicePurchases(at_least=1),
        "✓ 特约服务次数 ≥ 1：1次",
        "✓ special-service purchases ≥ 1: 1 purchase",
    ),
    (
        RfmScoreBetween(RfmComponent.TOTAL, at_least=3),
        "✓ RFM合计得分 ≥ 3：合计得分7",
        "✓ RFM total score ≥ 3: total score 7",
    ),
]


@pytest.mark.parametrize(("rule", "zh_cn", "en_us"), RENDERED, ids=lambda v: type(v).__name__)
def test_every_leaf_rule_explains_itself_in_each_locale(
    rule: SegmentRule, zh_cn: str, en_us: str
) -> None:
    explanation = rule.evaluate(PartyFacts.of(_SPOKEN, DAY, policy=_THRESHOLDS))
    assert explanation.render() == explanation.render("zh_CN") == zh_cn
    assert explanation.render("en-US") == en_us
    # The rule alone and the observation alone are the two halves of the line.
    assert zh_cn == f"{explanation.outcome.mark} {rule.describe()}：{explanation.observed()}"
    assert en_us.endswith(f"{rule.describe('en_US')}: {explanation.observed('en_US')}")
    for locale in ("fr_FR", "zh", "en"):
        with pytest.raises(UnsupportedLocale):
            explanation.render(locale)
        with pytest.raises(UnsupportedLocale):
            explanation.observed(locale)
        with pytest.raises(UnsupportedLocale):
            rule.describe(locale)


def test_every_leaf_rule_family_is_covered_by_the_locale_table() -> None:
    assert {type(rule) for rule, _, _ in RENDERED} == set(LeafRule.__subclasses__())
    for _, zh_cn, en_us in RENDERED:
        # No English word in Chinese text but the data and RFM; no Chinese in English but data.
        assert not any(word in zh_cn for word in ("of", "in", "late", "none", "history"))
        assert not any("\u4e00" <= c <= "\u9fff" for c in en_us.replace("浦东新区", ""))


def test_connectives_and_outcomes_are_written_in_each_locale() -> None:
    rule = ~(LateStatements(at_least=1) | PropertyRightIs(PropertyRight.OWNER)) & AgeBetween(
        at_least=18
    )
    lines = rule.evaluate(PartyFacts.of(_SPOKEN, DAY)).render().splitlines()
    assert [line.split("：")[0] for line in lines] == [
        "✗ 同时满足以下全部",
        "  ✗ 不满足以下",
        "    ✓ 满足以下任一",
        "      ✓ 逾期通知单数 ≥ 1",
        "      ✓ 产权身份为业主",
        "  ✓ 年龄 ≥ 18",
    ]
    english = rule.evaluate(PartyFacts.of(_SPOKEN, DAY)).render("en_US").splitlines()
    assert [line.split(":")[0] for line in english[:3]] == ["✗ all of", "  ✗ not", "    ✓ any of"]
    assert [o.label() for o in Outcome] == ["符合", "不符合", "历史不足"]
    assert [o.label("en_US") for o in Outcome] == ["match", "no match", "insufficient history"]
    with pytest.raises(UnsupportedLocale):
        Outcome.MATCH.label("de_DE")


@pytest.mark.parametrize(
    ("member", "zh_cn", "en_us"),
    [
        (SubjectKind.PERSON, "个人", "a person"),
        (SubjectKind.ORGANISATION, "单位", "an organisation"),
        (OrganisationType.ENTERPRISE, "企业", "enterprise"),
        (OrganisationType.GOVERNMENT_AGENCY, "政府机关", "government agency"),
        (OrganisationType.OWNERS_COMMITTEE, "业主委员会", "owners' committee"),
        (OrganisationType.RESIDENTS_COMMITTEE, "居民委员会", "residents' committee"),
        (OrganisationType.PROPERTY_COMPANY, "物业服务企业", "property company"),
        (OrganisationType.MERCHANT, "商户", "merchant"),
        (PropertyRight.OWNER, "业主", "owner"),
        (PropertyRight.TENANT, "租户", "tenant"),
        (PropertyRight.OTHER_OCCUPANT, "非业主使用人", "other occupant"),
        (CustomerAsk.SERVICE, "服务", "service"),
        (CustomerAsk.OPINIONS, "意见", "opinions"),
        (CustomerAsk.FEES, "费用", "fees"),
    ],
)
def test_vocabulary_labels_in_each_locale(
    member: SubjectKind | OrganisationType | PropertyRight | CustomerAsk, zh_cn: str, en_us: str
) -> None:
    assert member.label() == member.label("zh_CN") == zh_cn
    assert member.label("en_US") == en_us
    with pytest.raises(UnsupportedLocale):
        member.label("ja_JP")


def test_property_types_read_as_on_fee_notices() -> None:
    held = SegmentSubject("P-1", property_types=set(PropertyType))
    explanation = PropertyTypeIs(PropertyType.STORAGE).evaluate(PartyFacts.of(held, DAY))
    assert explanation.observed() == "住宅、办公、商业、车位和储藏室"
    assert explanation.observed("en_US") == "residential, office, commercial, parking, and storage"
    nothing = PropertyTypeIs(PropertyType.STORAGE).evaluate(PartyFacts.of(SegmentSubject("P"), DAY))
    assert (nothing.observed(), nothing.observed("en_US")) == ("无", "none")
