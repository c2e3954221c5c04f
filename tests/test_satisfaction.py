"""Tests for analytics._satisfaction: quarterly rounds, CSAT, NPS and service-quality gaps."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.analytics import (
    DEFAULT_SURVEY_POLICY,
    CriterionScore,
    IntervalMethod,
    ServiceCriterion,
    SurveyGrouping,
    SurveyPolicy,
    SurveyResponse,
    SurveyRound,
    csat,
    nps,
    quarterly,
    summarise,
)
from propcrm.analytics._satisfaction import DEFAULT_MIN_RESPONSES, _round
from propcrm.errors import (
    InvalidPolicy,
    InvalidSurveyResponse,
    InvalidType,
    NaiveDatetime,
    UnsupportedLocale,
)
from propcrm.money import (
    RoundingMode,
    quantize,
)
from propcrm.testing._personal_data_strategies import survey_rounds
from propcrm.time import (
    BillingPeriod,
    PeriodKind,
)

Q1 = BillingPeriod.quarter(2026, 1)
AT = pendulum.datetime(2026, 2, 1, 10, tz="Asia/Shanghai")


def response(rid: str, **answers: object) -> SurveyResponse:
    return SurveyResponse(rid, AT, **answers)  # type: ignore[arg-type]  # answers vary by test


# -- the stated definitions -------------------------------------------------------------------


def test_policy_defaults_are_the_issues_definitions() -> None:
    policy = DEFAULT_SURVEY_POLICY
    assert policy.csat_scale == (1, 5)
    assert policy.nps_scale == (0, 10)
    assert policy.servqual_scale == (1, 7)
    assert policy.csat_satisfied_from == 4
    assert (policy.nps_detractors_up_to, policy.nps_promoters_from) == (6, 9)
    assert policy.min_responses == DEFAULT_MIN_RESPONSES == 30
    assert policy.round_kind is PeriodKind.QUARTER
    assert len(ServiceCriterion) == 10


def test_csat_is_the_share_of_fours_and_fives() -> None:
    result = csat([1, 2, 3, 4, 5, 5, 4, 4])
    assert result is not None
    assert (result.responses, result.satisfied, result.share) == (8, 5, Fraction(5, 8))
    assert result.score == Decimal("62.5")


def test_nps_is_promoters_minus_detractors() -> None:
    result = nps([0, 6, 7, 8, 9, 10, 10, 10])
    assert result is not None
    assert (result.promoters, result.passives, result.detractors) == (4, 2, 2)
    assert result.exact == Fraction(2, 8)
    assert result.score == Decimal("25.0")


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([10, 9], Decimal("100.0")), ([0, 6], Decimal("-100.0")), ([7, 8], Decimal("0.0"))],
)
def test_nps_extremes(scores: list[int], expected: Decimal) -> None:
    result = nps(scores)
    assert result is not None
    assert result.score == expected


def test_no_answers_give_no_score() -> None:
    assert csat([]) is None
    assert nps([]) is None


@pytest.mark.parametrize(("func", "bad"), [(csat, 0), (csat, 6), (nps, 11), (nps, -1)])
def test_answers_outside_the_scale_are_refused(func: object, bad: int) -> None:
    with pytest.raises(InvalidSurveyResponse, match="outside the scale") as refused:
        func([3, bad])  # type: ignore[operator]  # csat or nps
    assert (refused.value.field, refused.value.value) == ("scores", bad)


def test_an_answer_that_is_not_an_int_is_refused() -> None:
    with pytest.raises(InvalidType, match="each item must be int"):
        csat([3, True])


def test_the_minimum_responses_flag() -> None:
    just_below = csat([5] * 29)
    enough = csat([5] * 30)
    assert just_below is not None
    assert enough is not None
    assert just_below.low_sample
    assert not enough.low_sample
    small = csat([5] * 3, SurveyPolicy(min_responses=3))
    assert small is not None
    assert not small.low_sample


# -- intervals --------------------------------------------------------------------------------


def _wilson_float(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(8, 10), (0, 10), (10, 10), (1, 3), (45, 50), (37, 120)])
def test_the_csat_interval_is_the_wilson_interval_rounded_outwards(k: int, n: int) -> None:
    result = csat([5] * k + [1] * (n - k))
    assert result is not None
    low, high = _wilson_float(k, n)
    assert (
        Decimal(str(low * 100)) - Decimal("0.1")
        <= result.interval.low
        <= Decimal(str(low * 100)) + Decimal("1e-9")
    )
    assert (
        Decimal(str(high * 100)) - Decimal("1e-9")
        <= result.interval.high
        <= Decimal(str(high * 100)) + Decimal("0.1")
    )
    assert (result.interval.method, result.interval.z) == (IntervalMethod.WILSON, Decimal("1.96"))


def test_a_known_wilson_interval() -> None:
    # 8 of 10 satisfied: the Wilson 95 % interval is 49.0 % to 94.3 %
    result = csat([5] * 8 + [2] * 2)
    assert result is not None
    assert (result.interval.low, result.interval.high) == (Decimal("49.0"), Decimal("94.4"))


def test_the_nps_interval_is_a_wald_interval_cut_to_the_scale() -> None:
    result = nps([10] * 20 + [0] * 5 + [8] * 5)
    assert result is not None
    p_promoters, p_detractors = 20 / 30, 5 / 30
    mean = p_promoters - p_detractors
    se = math.sqrt((p_promoters + p_detractors - mean * mean) / 30)
    assert float(result.interval.low) == pytest.approx(100 * (mean - 1.96 * se), abs=0.1)
    assert float(result.interval.high) == pytest.approx(100 * (mean + 1.96 * se), abs=0.1)
    everyone = nps([10] * 40)
    assert everyone is not None
    assert (everyone.interval.low, everyone.interval.high) == (Decimal("100.0"), Decimal("100.0"))


def test_a_wider_z_gives_a_wider_interval() -> None:
    scores = [5] * 20 + [2] * 10
    narrow = csat(scores)
    wide = csat(scores, SurveyPolicy(z=Decimal("2.576")))
    assert narrow is not None
    assert wide is not None
    assert wide.interval.low < narrow.interval.low
    assert wide.interval.high > narrow.interval.high
    assert (wide.interval.method, wide.interval.z) == (IntervalMethod.WILSON, Decimal("2.576"))
    assert wide.interval.describe("en_US") == "Wilson score interval, z = 2.576"
    assert wide.interval.describe("zh_CN") == "Wilson得分区间，z = 2.576"


def test_an_interval_stores_its_method_as_a_code_and_says_it_in_each_locale() -> None:
    result = nps([10, 9, 3])
    assert result is not None
    assert result.interval.method.value == "wald"
    assert "IntervalMethod.WALD" in repr(result.interval)
    assert result.interval.describe("en_US") == "Wald interval on +1/0/-1 scores, z = 1.96"
    assert result.interval.describe("zh_CN") == "正态近似（Wald）区间，按+1/0/-1计分，z = 1.96"
    with pytest.raises(UnsupportedLocale):
        result.interval.describe("fr_FR")


@settings(max_examples=150)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=200))
def test_csat_and_its_interval_stay_within_0_and_100(scores: list[int]) -> None:
    result = csat(scores)
    assert result is not None
    assert Decimal(0) <= result.interval.low <= result.score <= result.interval.high <= 100
    assert result.satisfied == sum(1 for s in scores if s >= 4)


@settings(max_examples=150)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_and_its_interval_stay_within_minus_100_and_100(scores: list[int]) -> None:
    result = nps(scores)
    assert result is not None
    assert -100 <= result.interval.low <= result.score <= result.interval.high <= 100
    assert result.promoters + result.passives + result.detractors == len(scores)
    assert -1 <= result.exact <= 1


# -- exact rounding ---------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    st.integers(-(10**6), 10**6),
    st.integers(0, 6),
    st.integers(0, 6),
    st.integers(0, 3),
    st.sampled_from(RoundingMode),
)
def test_exact_rounding_agrees_with_decimal_quantize(
    numerator: int, twos: int, fives: int, places: int, mode: RoundingMode
) -> None:
    value = Fraction(numerator, 2**twos * 5**fives)  # a finite decimal: Decimal holds it exactly
    exact = Decimal(numerator) / Decimal(2**twos * 5**fives)
    assert _round(value, places, mode) == quantize(exact, places, mode)


def test_rounding_never_gives_minus_zero() -> None:
    assert str(_round(Fraction(-1, 1000), 1, RoundingMode.HALF_EVEN)) == "0.0"


# -- rounds -----------------------------------------------------------------------------------


def test_a_round_is_one_quarter() -> None:
    with pytest.raises(InvalidSurveyResponse, match="covers one quarter, not a month"):
        SurveyRound(BillingPeriod.month(2026, 1))
    survey = SurveyRound.for_quarter(2026, 1)
    assert survey.quarter == Q1
    assert survey.next_round().quarter == BillingPeriod.quarter(2026, 2)


def test_a_response_answered_outside_the_quarter_is_refused_in_the_rounds_zone() -> None:
    survey = SurveyRound.for_quarter(2026, 1)
    # 16:30 UTC on 31 March is 00:30 on 1 April in Shanghai: the next quarter
    late = SurveyResponse("R1", pendulum.datetime(2026, 3, 31, 16, 30, tz="UTC"), csat=5)
    with pytest.raises(InvalidSurveyResponse, match="2026-04-01, outside round 2026-Q1"):
        survey.with_response(late)
    assert SurveyRound(Q1, (late,), zone="UTC").responses == (late,)


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({"csat": 6}, "CSAT 6 is outside the scale 1-5"),
        ({"nps": 11}, "NPS 11 is outside the scale 0-10"),
        (
            {"criteria": (CriterionScore(ServiceCriterion.COURTESY, 8, 5),)},
            "courtesy expectation 8 is outside the scale 1-7",
        ),
    ],
)
def test_scores_outside_the_rounds_scales_are_refused(
    answers: dict[str, object], fragment: str
) -> None:
    with pytest.raises(InvalidSurveyResponse, match=fragment):
        SurveyRound.for_quarter(2026, 1).with_response(response("R1", **answers))


def test_a_response_id_appears_once_per_round() -> None:
    survey = SurveyRound.for_quarter(2026, 1).with_response(response("R1", csat=5))
    with pytest.raises(InvalidSurveyResponse, match="response id 'R1' twice"):
        survey.with_response(response("R1", csat=4))


def test_responses_check_their_own_shape() -> None:
    with pytest.raises(InvalidType, match="must be an int"):
        response("R1", csat=4.5)
    with pytest.raises(InvalidSurveyResponse, match="non-empty text"):
        response(" ")
    with pytest.raises(InvalidSurveyResponse, match=r"criterion .* twice"):
        response(
            "R1",
            criteria=[
                CriterionScore(ServiceCriterion.ACCESS, 5, 5),
                CriterionScore(ServiceCriterion.ACCESS, 4, 4),
            ],
        )
    with pytest.raises(NaiveDatetime):
        SurveyResponse("R1", pendulum.naive(2026, 2, 1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"csat_satisfied_from": 1},
        {"csat_satisfied_from": 6},
        {"nps_promoters_from": 6},
        {"nps_detractors_up_to": -1},
        {"min_responses": 0},
        {"z": Decimal(0)},
        {"z": 1.96},
        {"z": Decimal(95)},
        {"min_responses": 10**9},
        {"percent_places": 9},
        {"csat_scale": (5, 1)},
    ],
)
def test_impossible_policies_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidPolicy) as refused:
        SurveyPolicy(**kwargs)  # type: ignore[arg-type]  # values of several types
    assert refused.value.field is not None


@pytest.mark.parametrize("field", ["csat_satisfied_from", "nps_promoters_from", "min_responses"])
def test_a_bool_is_not_a_policy_threshold(field: str) -> None:
    with pytest.raises(InvalidType):
        SurveyPolicy(**{field: True})  # type: ignore[arg-type]


# -- summaries --------------------------------------------------------------------------------


def _scores(*pairs: tuple[ServiceCriterion, int, int]) -> tuple[CriterionScore, ...]:
    return tuple(CriterionScore(c, e, p) for c, e, p in pairs)


def test_gaps_are_mean_perception_minus_mean_expectation() -> None:
    survey = SurveyRound(
        Q1,
        (
            response("R1", criteria=_scores((ServiceCriterion.RESPONSIVENESS, 7, 4))),
            response(
                "R2",
                criteria=_scores(
                    (ServiceCriterion.RESPONSIVENESS, 6, 4), (ServiceCriterion.TANGIBLES, 5, 6)
                ),
            ),
        ),
    )
    (summary,) = summarise(survey)
    gaps = {gap.criterion: gap for gap in summary.gaps}
    responsiveness = gaps[ServiceCriterion.RESPONSIVENESS]
    assert (responsiveness.expectation, responsiveness.perception) == (
        Decimal("6.50"),
        Decimal("4.00"),
    )
    assert responsiveness.gap == Decimal("-2.50")
    assert gaps[ServiceCriterion.TANGIBLES].gap == Decimal("1.00")
    assert summary.servqual_gap == Decimal("-0.75")  # unweighted mean of -2.5 and +1
    assert [gap.criterion for gap in summary.gaps] == [
        ServiceCriterion.TANGIBLES,
        ServiceCriterion.RESPONSIVENESS,
    ]  # in the brief's order


def test_summaries_per_team_and_per_staff_member() -> None:
    survey = SurveyRound(
        Q1,
        (
            response("R1", team="工程部", staff="S2", csat=5),
            response("R2", team="客服一组", staff="S1", csat=2),
            response("R3", team="客服一组", staff="S2", csat=4),
            response("R4", csat=3),
        ),
    )
    teams = summarise(survey, SurveyGrouping.TEAM)
    assert [(s.team, s.responses) for s in teams] == [("客服一组", 2), ("工程部", 1), (None, 1)]
    staff = summarise(survey, SurveyGrouping.STAFF)
    assert [(s.staff, s.responses) for s in staff] == [("S1", 1), ("S2", 2), (None, 1)]
    assert all(s.quarter == "2026-Q1" for s in (*teams, *staff))
    s2 = staff[1].csat
    assert s2 is not None
    assert s2.score == Decimal("100.0")


def test_an_empty_round_gives_one_empty_summary() -> None:
    (summary,) = summarise(SurveyRound.for_quarter(2026, 3))
    assert summary.responses == 0
    assert summary.csat is None
    assert summary.nps is None
    assert summary.gaps == ()
    assert summary.servqual_gap is None
    assert summary.low_sample


@settings(max_examples=40)
@given(survey_rounds(), st.sampled_from(SurveyGrouping))
def test_a_split_loses_no_response_and_agrees_with_the_whole(
    survey: SurveyRound, by: SurveyGrouping
) -> None:
    (whole,) = summarise(survey)
    parts = summarise(survey, by)
    assert sum(part.responses for part in parts) == whole.responses == len(survey.responses)
    satisfied = sum(part.csat.satisfied for part in parts if part.csat is not None)
    assert satisfied == (whole.csat.satisfied if whole.csat is not None else 0)
    promoters = sum(part.nps.promoters for part in parts if part.nps is not None)
    assert promoters == (whole.nps.promoters if whole.nps is not None else 0)
    for part in (whole, *parts):
        assert part.low_sample is (part.responses < DEFAULT_MIN_RESPONSES)
        if part.nps is not None:
            assert -100 <= part.nps.score <= 100
        if part.csat is not None:
            assert 0 <= part.csat.score <= 100
        for gap in part.gaps:
            assert -6 <= gap.gap <= 6


def test_quarterly_lists_rounds_oldest_first_and_refuses_a_quarter_twice() -> None:
    q1 = SurveyRound.for_quarter(2026, 1).with_response(response("R1", team="A", csat=5))
    q2 = q1.next_round()
    trend = quarterly([q2, q1], SurveyGrouping.TEAM)
    assert [(s.quarter, s.team) for s in trend] == [("2026-Q1", "A")]  # Q2 has no team yet
    assert [s.quarter for s in quarterly([q2, q1])] == ["2026-Q1", "2026-Q2"]
    with pytest.raises(InvalidSurveyResponse, match="two rounds for 2026-Q1"):
        quarterly([q1, SurveyRound.for_quarter(2026, 1)])


# -- scenario ---------------------------------------------------------------------------------


def test_scenario_quarterly_survey_assesses_staff_on_satisfaction() -> None:
    """Brief §4: a satisfaction survey every quarter; staff assessed on customer satisfaction."""
    q2 = SurveyRound.for_quarter(2026, 1).next_round()
    answered = pendulum.datetime(2026, 5, 12, 15, tz="Asia/Shanghai")
    for i in range(40):
        q2 = q2.with_response(
            SurveyResponse(
                f"Q2-{i:03d}",
                answered,
                team="客服一组",
                staff="S001" if i < 32 else "S002",
                csat=5 if i % 4 else 3,
                nps=10 if i % 2 else 7,
                criteria=_scores((ServiceCriterion.RESPONSIVENESS, 6, 5 if i % 4 else 3)),
            )
        )
    by_staff = {s.staff: s for s in summarise(q2, SurveyGrouping.STAFF)}
    s001, s002 = by_staff["S001"], by_staff["S002"]
    assert s001.quarter == "2026-Q2"
    assert not s001.low_sample  # 32 responses: enough to assess
    assert s002.low_sample  # 8 responses: shown, but flagged
    assert s001.csat is not None
    assert s001.csat.score == Decimal("75.0")
    assert s001.nps is not None
    assert s001.nps.score == Decimal("50.0")
    assert s001.gaps[0].gap == Decimal("-1.50")
    assert attrs.evolve(q2, responses=()).responses == ()


# -- text in each locale ------------------------------------------------------------------------


def test_the_ten_criteria_are_named_in_each_locale() -> None:
    assert [c.label() for c in ServiceCriterion] == [
        "有形性",
        "可靠性",
        "响应性",
        "胜任能力",
        "礼貌",
        "可信性",
        "安全性",
        "易接近性",
        "沟通",
        "了解客户",
    ]
    assert [c.label("en_US") for c in ServiceCriterion][-1] == "understanding the customer"
    # The stored codes are one word each: what serialization and storage keep.
    assert [c.value for c in ServiceCriterion][-1] == "understanding"
    with pytest.raises(UnsupportedLocale):
        ServiceCriterion.ACCESS.label("zh_TW")
