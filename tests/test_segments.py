"""Tests for propcrm.segmentation's ready segments and dated membership history."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._property_types import PropertyType
from propcrm.analytics import ComplaintRecord, PaymentFact, SatisfactionScore
from propcrm.errors import (
    InvalidPolicy,
    InvalidSegmentRule,
    MembershipOutOfOrder,
    PropcrmError,
    UnsupportedLocale,
)
from propcrm.money import Money
from propcrm.segmentation import (
    DEFAULT_SEGMENT_POLICY,
    AllRules,
    CommunityIs,
    MembershipChange,
    MembershipChangeKind,
    Outcome,
    PartyFacts,
    PropertyRight,
    Segment,
    SegmentHistory,
    SegmentMembership,
    SegmentPolicy,
    SegmentSubject,
    evaluate_portfolio,
    ready_segments,
)
from propcrm.segmentation._history import track_segment
from propcrm.segmentation._segments import (
    DEFAULT_AT_RISK_COMPLAINTS,
    DEFAULT_AT_RISK_SATISFACTION,
    DEFAULT_CHRONIC_LATE_STATEMENTS,
    DEFAULT_FREQUENT_COMPLAINTS,
    DEFAULT_HIGH_VALUE_MONETARY_SCORE,
    DEFAULT_RELIABLE_ON_TIME_RATIO,
    at_risk,
    chronic_late_payer,
    frequent_complainer,
    high_value_commercial_tenant,
    new_resident_due_callback,
    reliable_payer,
)

DAY = pendulum.date(2026, 12, 1)
NAMES = {"zh_CN": "标签", "en_US": "name"}
MATCH, NO, UNKNOWN = Outcome.MATCH, Outcome.NO_MATCH, Outcome.INSUFFICIENT_HISTORY


def monthly(
    count: int, *, late: frozenset[int] = frozenset(), amount: str = "250.24"
) -> tuple[PaymentFact, ...]:
    """Notices due the 10th for ``count`` months up to November 2026.

    Months in ``late`` (counted back from November, 0 first) are paid 20 days late, the others
    a day early.
    """
    facts = []
    for back in range(count):
        due = pendulum.date(2026, 11, 10).subtract(months=back)
        paid_on = due.add(days=20) if back in late else due.subtract(days=1)
        facts.append(PaymentFact(f"N-{back}", due, Money(amount), paid_on=paid_on))
    return tuple(facts)


def outcome(segment: Segment, subject: SegmentSubject, day: pendulum.Date = DAY) -> Outcome:
    return segment.evaluate(PartyFacts.of(subject, day)).outcome


# -- the policy -------------------------------------------------------------------------------


def test_policy_defaults() -> None:
    assert (
        SegmentPolicy(
            chronic_late_statements=DEFAULT_CHRONIC_LATE_STATEMENTS,
            reliable_on_time_ratio=DEFAULT_RELIABLE_ON_TIME_RATIO,
            high_value_monetary_score=DEFAULT_HIGH_VALUE_MONETARY_SCORE,
            callback_months=1,  # §4: a callback within one month of move-in
            frequent_complaints=DEFAULT_FREQUENT_COMPLAINTS,
            at_risk_complaints=DEFAULT_AT_RISK_COMPLAINTS,
            at_risk_satisfaction=DEFAULT_AT_RISK_SATISFACTION,
        )
        == DEFAULT_SEGMENT_POLICY
    )
    assert Decimal("0.9") == DEFAULT_RELIABLE_ON_TIME_RATIO


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chronic_late_statements": 0}, "chronic_late_statements must be at least 1"),
        ({"reliable_on_time_ratio": "1.1"}, "from 0 to 1"),
        ({"reliable_on_time_ratio": 0.9}, "float"),
        ({"at_risk_satisfaction": 6}, "at_risk_satisfaction must be at most 5"),
        ({"callback_months": True}, "callback_months must be an int"),
    ],
)
def test_policy_refuses_values_out_of_range(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PropcrmError, match=message) as refused:
        SegmentPolicy(**kwargs)  # type: ignore[arg-type]
    assert refused.value.field == next(iter(kwargs))


def test_policy_errors_are_invalid_policy() -> None:
    with pytest.raises(InvalidPolicy):
        SegmentPolicy(frequent_complaints=0)


def test_ready_segments_are_six_coded_named_segments() -> None:
    segments = ready_segments()
    assert list(segments) == [
        "chronic-late-payer",
        "reliable-payer",
        "high-value-commercial-tenant",
        "new-resident-callback",
        "frequent-complainer",
        "at-risk",
    ]
    for code, segment in segments.items():
        assert segment.code == code
        assert segment.label()
        assert segment.label("en_US")
        assert segment.label() != segment.label("en_US")
        assert segment.describe() == segment.label()
        assert segment.describe("en_US") == segment.label("en_US")
        assert segment.children() == (segment.rule,)
    assert [segment.label() for segment in segments.values()] == [
        "长期欠费拖欠户",
        "按时缴费户",
        "高价值商业租户",
        "新入住待回访",
        "频繁投诉户",
        "流失风险户",
    ]
    assert [segment.label("en_US") for segment in segments.values()] == [
        "chronic late payer",
        "reliable payer",
        "high-value commercial tenant",
        "new resident due the callback",
        "frequent complainer",
        "at risk",
    ]


def test_a_segment_needs_a_code_and_a_rule() -> None:
    with pytest.raises(InvalidSegmentRule, match="code"):
        Segment("", NAMES, CommunityIs("SUNRISE"))
    with pytest.raises(InvalidSegmentRule, match="not a SegmentRule"):
        Segment("x", NAMES, "rule")  # type: ignore[arg-type]


def test_a_segment_of_your_own_is_named_in_every_supported_locale() -> None:
    vip = Segment("vip", {"zh-CN": "贵宾户", "en_US": "VIP"}, CommunityIs("SUNRISE"))
    assert (vip.label(), vip.label("en-us"), vip.describe("en_US")) == ("贵宾户", "VIP", "VIP")
    assert vip == Segment("vip", {"en_US": "VIP", "zh_CN": "贵宾户"}, CommunityIs("SUNRISE"))
    with pytest.raises(InvalidSegmentRule, match="missing: en_US"):
        Segment("vip", {"zh_CN": "贵宾户"}, CommunityIs("SUNRISE"))
    with pytest.raises(InvalidSegmentRule, match="names must not be empty"):
        Segment("vip", {"zh_CN": "贵宾户", "en_US": " "}, CommunityIs("SUNRISE"))
    with pytest.raises(InvalidSegmentRule, match="zh_CN twice"):
        Segment("vip", {**NAMES, "zh-CN": "贵宾"}, CommunityIs("SUNRISE"))
    with pytest.raises(InvalidSegmentRule, match="mapping of locale to name"):
        Segment("vip", "贵宾户", CommunityIs("SUNRISE"))  # type: ignore[arg-type]
    with pytest.raises(UnsupportedLocale):
        Segment("vip", {**NAMES, "fr_FR": "client VIP"}, CommunityIs("SUNRISE"))
    with pytest.raises(UnsupportedLocale):
        vip.label("en")


# -- the six segments, as the brief describes them ------------------------------------------


def test_chronic_late_payer_is_late_on_three_notices_of_the_year() -> None:
    assert (
        outcome(
            chronic_late_payer(),
            SegmentSubject("P", payments=monthly(12, late=frozenset({0, 3, 7}))),
        )
        is MATCH
    )
    assert (
        outcome(
            chronic_late_payer(), SegmentSubject("P", payments=monthly(12, late=frozenset({0, 3})))
        )
        is NO
    )
    assert (
        outcome(
            chronic_late_payer(), SegmentSubject("P", payments=monthly(2, late=frozenset({0, 1})))
        )
        is UNKNOWN
    )
    stricter = SegmentPolicy(chronic_late_statements=4)
    subject = SegmentSubject("P", payments=monthly(12, late=frozenset({0, 3, 7})))
    assert outcome(chronic_late_payer(stricter), subject) is NO


def test_reliable_payer_pays_on_time_and_owes_nothing() -> None:
    assert (
        outcome(reliable_payer(), SegmentSubject("P", payments=monthly(12, late=frozenset({5}))))
        is MATCH
    )
    assert (
        outcome(reliable_payer(), SegmentSubject("P", payments=monthly(12, late=frozenset({5, 6}))))
        is NO
    )
    unpaid = (
        *monthly(11, amount="100.00"),
        PaymentFact("N-x", pendulum.date(2025, 12, 10), Money("1.00")),
    )
    assert outcome(reliable_payer(), SegmentSubject("P", payments=unpaid)) is NO
    assert outcome(reliable_payer(), SegmentSubject("P")) is UNKNOWN


def test_high_value_commercial_tenant_needs_the_portfolio_ranks() -> None:
    def shop(pid: str, amount: str, rights: set[PropertyRight]) -> SegmentSubject:
        return SegmentSubject(
            pid,
            property_types={PropertyType.COMMERCIAL},
            property_rights=rights,
            payments=monthly(12, amount=amount),
        )

    tenant = {PropertyRight.TENANT}
    subjects = [
        shop("S-1", "9000.00", tenant),
        shop("S-2", "100.00", tenant),
        shop("S-3", "9500.00", {PropertyRight.OWNER}),
        shop("S-4", "200.00", tenant),
        shop("S-5", "300.00", tenant),
    ]
    segment = high_value_commercial_tenant()
    result = evaluate_portfolio({"hv": segment}, subjects, DAY)
    assert result.members("hv") == ("S-1",)
    explanation = result.explanations["S-3"]["hv"]
    assert [leaf.outcome for leaf in explanation.leaves()] == [NO, MATCH, MATCH]


def test_new_resident_is_due_a_callback_within_one_month_of_move_in() -> None:
    moved = pendulum.date(2026, 11, 15)
    subject = SegmentSubject("P", moved_in_on=moved)
    segment = new_resident_due_callback()
    assert outcome(segment, subject, pendulum.date(2026, 11, 15)) is MATCH
    assert outcome(segment, subject, pendulum.date(2026, 12, 15)) is MATCH
    assert outcome(segment, subject, pendulum.date(2026, 12, 16)) is NO  # the month is over
    called = SegmentSubject("P", moved_in_on=moved, callback_on=pendulum.date(2026, 11, 20))
    assert outcome(segment, called, pendulum.date(2026, 11, 19)) is MATCH
    assert outcome(segment, called, pendulum.date(2026, 11, 20)) is NO


def test_frequent_complainer_and_at_risk() -> None:
    record = ComplaintRecord(
        complaints=[pendulum.date(2026, 9, 15), pendulum.date(2026, 10, 15), DAY],
        satisfaction=[SatisfactionScore(pendulum.date(2026, 11, 1), 2)],
    )
    subject = SegmentSubject("P", complaints=record)
    assert outcome(frequent_complainer(), subject) is MATCH
    assert outcome(at_risk(), subject) is MATCH
    happy = ComplaintRecord(
        complaints=[DAY], satisfaction=[SatisfactionScore(pendulum.date(2026, 11, 1), 4)]
    )
    assert outcome(at_risk(), SegmentSubject("P", complaints=happy)) is NO
    unsurveyed = SegmentSubject("P", complaints=ComplaintRecord(complaints=[DAY]))
    assert outcome(at_risk(), unsurveyed) is UNKNOWN
    quiet = SegmentSubject("P", complaints=ComplaintRecord())
    assert outcome(at_risk(), quiet) is NO  # no complaint decides, whatever the survey says
    assert outcome(frequent_complainer(), SegmentSubject("P")) is UNKNOWN


def test_a_segment_explains_itself_under_its_name() -> None:
    subject = SegmentSubject("P", payments=monthly(12, late=frozenset({1})))
    explanation = reliable_payer().evaluate(PartyFacts.of(subject, DAY))
    assert explanation.render("en_US").splitlines() == [
        "✓ reliable payer",
        "  ✓ on-time ratio ≥ 0.9: 11 of 12 notices on time",
        "  ✓ arrears ≤ CN¥0.00: arrears CN¥0.00",
    ]
    assert explanation.render().splitlines() == [
        "✓ 按时缴费户",
        "  ✓ 按时缴费率 ≥ 0.9：12张通知单中11张按时缴清",
        "  ✓ 欠费 ≤ ¥0.00：欠费¥0.00",
    ]
    nested = Segment("x", NAMES, ~reliable_payer())
    assert [
        line.strip()[:1]
        for line in nested.evaluate(PartyFacts.of(subject, DAY)).render().splitlines()
    ] == [
        "✗",
        "✗",
        "✓",
        "✓",
        "✓",
    ]
    assert isinstance(reliable_payer().rule, AllRules)


# -- dated membership -------------------------------------------------------------------------


def test_history_records_entering_and_leaving() -> None:
    d1, d2, d3 = pendulum.date(2026, 10, 1), pendulum.date(2026, 11, 1), pendulum.date(2026, 12, 1)
    history = track_segment(
        "at-risk",
        [
            (d1, {"A": MATCH, "B": NO}),
            (d2, {"A": MATCH, "B": MATCH}),
            (d3, {"A": UNKNOWN, "B": MATCH}),
        ],
    )
    assert history.memberships == (
        SegmentMembership("A", "at-risk", d1, d3),
        SegmentMembership("B", "at-risk", d2),
    )
    assert history.changes == (
        MembershipChange("A", "at-risk", d1, MembershipChangeKind.ENTERED, MATCH),
        MembershipChange("B", "at-risk", d2, MembershipChangeKind.ENTERED, MATCH),
        MembershipChange("A", "at-risk", d3, MembershipChangeKind.LEFT, UNKNOWN),
    )
    assert history.members_on(d1.subtract(days=1)) == frozenset()
    assert history.members_on(d2.add(days=5)) == {"A", "B"}
    assert history.members_on(d3) == {"B"}
    assert history.of_party("A") == (SegmentMembership("A", "at-risk", d1, d3),)
    assert history.observed_on == (d1, d2, d3)


def test_a_party_can_leave_and_enter_again_and_leave_the_portfolio() -> None:
    d = [pendulum.date(2026, m, 1) for m in (8, 9, 10, 11)]
    history = track_segment(
        "s", [(d[0], {"A": MATCH}), (d[1], {"A": NO}), (d[2], {"A": MATCH}), (d[3], {})]
    )
    assert history.of_party("A") == (
        SegmentMembership("A", "s", d[0], d[1]),
        SegmentMembership("A", "s", d[2], d[3]),
    )
    assert history.changes[-1] == MembershipChange("A", "s", d[3], MembershipChangeKind.LEFT, None)
    assert SegmentMembership("A", "s", d[0], d[1]).holds_on(d[0])
    assert not SegmentMembership("A", "s", d[0], d[1]).holds_on(d[1])


def test_history_is_appended_in_date_order_only() -> None:
    history = SegmentHistory("s").observe(DAY, {"A": MATCH})
    with pytest.raises(MembershipOutOfOrder, match="must be later"):
        history.observe(DAY, {"A": NO})
    with pytest.raises(MembershipOutOfOrder):
        history.observe(DAY.subtract(days=1), {})
    with pytest.raises(InvalidSegmentRule, match="not an Outcome"):
        history.observe(DAY.add(days=1), {"A": True})  # type: ignore[dict-item]
    with pytest.raises(InvalidSegmentRule, match="segment '' must be non-empty"):
        SegmentHistory("")


def test_history_from_successive_evaluations_of_a_portfolio() -> None:
    mover = SegmentSubject("P-1", moved_in_on=pendulum.date(2026, 11, 5))
    segment = new_resident_due_callback()
    history = SegmentHistory(segment.code)
    for day in (
        pendulum.date(2026, 11, 1),
        pendulum.date(2026, 11, 10),
        pendulum.date(2026, 12, 10),
    ):
        evaluation = evaluate_portfolio({segment.code: segment}, [mover], day)
        history = history.observe(day, evaluation.outcomes(segment.code))
    assert history.memberships == (
        SegmentMembership(
            "P-1", segment.code, pendulum.date(2026, 11, 10), pendulum.date(2026, 12, 10)
        ),
    )


_OUTCOMES = st.dictionaries(st.sampled_from("ABCD"), st.sampled_from(list(Outcome)), max_size=4)


@settings(max_examples=60)
@given(evaluations=st.lists(_OUTCOMES, max_size=8))
def test_membership_spells_never_overlap_and_follow_the_last_evaluation(
    evaluations: list[dict[str, Outcome]],
) -> None:
    days = [pendulum.date(2026, 1, 1).add(days=7 * i) for i in range(len(evaluations))]
    history = track_segment("s", zip(days, evaluations, strict=True))
    for party in "ABCD":
        spells = history.of_party(party)
        for before, after in itertools.pairwise(spells):
            assert before.until is not None
            assert before.until <= after.since
    for day, outcomes in zip(days, evaluations, strict=True):
        assert history.members_on(day) == {p for p, o in outcomes.items() if o is Outcome.MATCH}
    entered = sum(c.kind is MembershipChangeKind.ENTERED for c in history.changes)
    assert entered == len(history.memberships)
