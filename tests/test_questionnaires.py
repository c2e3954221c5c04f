"""Tests for propcrm.questionnaires: questions, versions, audiences, responses, results, and the
quarterly satisfaction survey run on them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_care import D, occupied

from propcrm.analytics import (
    CriterionScore,
    ServiceCriterion,
    SurveyResponse,
    SurveyRound,
    summarise,
)
from propcrm.care import survey_round_for, survey_sample
from propcrm.errors import (
    DuplicateResponse,
    InvalidAnswer,
    InvalidAudience,
    InvalidQuestionnaire,
    LateResponse,
    QuestionnaireFrozen,
    ResponseRefused,
)
from propcrm.notices import Everyone, InBuildings, InSegment, Listed
from propcrm.parties import RelationKind
from propcrm.questionnaires import (
    CSAT_QUESTION,
    NPS_QUESTION,
    ChoiceAnswer,
    ChoiceResult,
    Counting,
    FreeText,
    MultipleChoice,
    Option,
    Questionnaire,
    Respondent,
    Response,
    ResponsePolicy,
    Scale,
    ScaleAnswer,
    ScaleResult,
    SingleChoice,
    Survey,
    SurveyAudience,
    TextAnswer,
    TextResult,
    audience_by_rule,
    audience_from_sample,
    criterion_question_ids,
    example_survey,
    results,
    satisfaction_questionnaire,
    satisfaction_responses,
    satisfaction_round,
)
from propcrm.segmentation import Outcome, SegmentHistory
from propcrm.testing import strategies
from propcrm.time import BillingPeriod

OPENS = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
CLOSES = OPENS.add(days=14)
YES_NO = [Option("yes", "是"), Option("no", "否")]


def questionnaire(*extra: Any) -> Questionnaire:
    """Q1 single choice, Q2 multiple 1-2 picks, Q3 scale 0-10, Q4 optional free text."""
    return Questionnaire(
        "QN",
        "测试问卷",
        [
            SingleChoice("Q1", "是否满意？", YES_NO),
            MultipleChoice(
                "Q2",
                "问题？",
                [Option("a", "甲"), Option("b", "乙"), Option("c", "丙")],
                max_picks=2,
            ),
            Scale("Q3", "打分", 0, 10, low_label="差", high_label="好"),
            FreeText("Q4", "意见", max_length=10),
            *extra,
        ],
    ).publish(OPENS.subtract(days=1))


AUDIENCE = SurveyAudience(
    OPENS.date(),
    [
        Respondent("P1", ["1-0101"], ["1"]),
        Respondent("P2", ["1-0102"], ["1"]),
        Respondent("P3", ["2-0101"], ["2"]),
    ],
)


def answers(
    q1: str = "yes", q2: tuple[str, ...] = ("a",), q3: int = 8, q4: str | None = None
) -> list[Any]:
    found: list[Any] = [ChoiceAnswer("Q1", [q1]), ChoiceAnswer("Q2", q2), ScaleAnswer("Q3", q3)]
    if q4 is not None:
        found.append(TextAnswer("Q4", q4))
    return found


def response(n: int, party: str, hours: int = 1, **kwargs: Any) -> Response:
    return Response(f"R{n}", "QN", 1, party, OPENS.add(hours=hours), answers(**kwargs))


def survey(*responses: Response, policy: ResponsePolicy | None = None) -> Survey:
    extra = {} if policy is None else {"policy": policy}
    return Survey("S1", questionnaire(), AUDIENCE, OPENS, CLOSES, responses, **extra)


# -- questions --------------------------------------------------------------------------------


def test_a_single_choice_takes_exactly_one_of_its_options() -> None:
    q = questionnaire().question("Q1")
    q.check(ChoiceAnswer("Q1", ["no"]))
    with pytest.raises(InvalidAnswer) as caught:
        q.check(ChoiceAnswer("Q1", ["yes", "no"]))
    assert caught.value.context["question_id"] == "Q1"
    with pytest.raises(InvalidAnswer, match="'maybe' is not one of its options"):
        q.check(ChoiceAnswer("Q1", ["maybe"]))
    with pytest.raises(InvalidAnswer, match="takes a ChoiceAnswer, got ScaleAnswer"):
        q.check(ScaleAnswer("Q1", 1))


def test_a_multiple_choice_takes_between_its_least_and_most_picks() -> None:
    q = questionnaire().question("Q2")
    q.check(ChoiceAnswer("Q2", ["a", "c"]))
    with pytest.raises(InvalidAnswer, match="takes 1 to 2 picks, got 3") as caught:
        q.check(ChoiceAnswer("Q2", ["a", "b", "c"]))
    assert caught.value.context["question_id"] == "Q2"
    with pytest.raises(InvalidAnswer, match="leave the answer out"):
        ChoiceAnswer("Q2", [])
    with pytest.raises(InvalidAnswer, match="twice"):
        ChoiceAnswer("Q2", ["a", "a"])


def test_multiple_choice_bounds_must_fit_the_options() -> None:
    with pytest.raises(InvalidQuestionnaire, match="max_picks must be at least 2"):
        MultipleChoice("Q", "?", YES_NO, min_picks=2, max_picks=1)
    with pytest.raises(InvalidQuestionnaire, match="min_picks must be at most 2"):
        MultipleChoice("Q", "?", YES_NO, min_picks=3)
    assert MultipleChoice("Q", "?", YES_NO).most_picks == 2


def test_a_scale_takes_its_points_only() -> None:
    q = questionnaire().question("Q3")
    assert isinstance(q, Scale)
    assert list(q.points) == list(range(11))
    q.check(ScaleAnswer("Q3", 10))
    with pytest.raises(InvalidAnswer, match="11 is outside its scale 0-10"):
        q.check(ScaleAnswer("Q3", 11))
    with pytest.raises(InvalidQuestionnaire):
        Scale("Q", "?", 5, 5)


def test_free_text_takes_up_to_its_longest_answer() -> None:
    q = questionnaire().question("Q4")
    q.check(TextAnswer("Q4", "电梯太慢"))
    with pytest.raises(InvalidAnswer, match="takes 10 characters at most, got 11"):
        q.check(TextAnswer("Q4", "一" * 11))


def test_choice_questions_need_two_distinct_options() -> None:
    with pytest.raises(InvalidQuestionnaire, match="two options at least"):
        SingleChoice("Q", "?", [Option("yes", "是")])
    with pytest.raises(InvalidQuestionnaire, match="twice"):
        SingleChoice("Q", "?", [Option("yes", "是"), Option("yes", "对")])


# -- versions ---------------------------------------------------------------------------------


def test_a_draft_is_edited_and_a_published_version_is_frozen() -> None:
    draft = Questionnaire("QN", "问卷", [SingleChoice("Q1", "?", YES_NO)])
    edited = draft.with_question(FreeText("Q2", "意见")).without_question("Q1")
    assert [q.question_id for q in edited.questions] == ["Q2"]
    replaced = edited.with_question(FreeText("Q2", "其他意见"))
    assert replaced.questions[0].text == "其他意见"
    published = replaced.publish(OPENS)
    assert published.published
    assert not replaced.published
    for change in (
        lambda: published.with_question(FreeText("Q3", "?")),
        lambda: published.without_question("Q2"),
        lambda: published.publish(OPENS),
    ):
        with pytest.raises(QuestionnaireFrozen, match="revise"):
            change()
    revised = published.revise()
    assert (revised.version, revised.published_at) == (2, None)
    assert revised.questions == published.questions


def test_question_ids_are_unique_and_a_questionnaire_asks_something() -> None:
    with pytest.raises(InvalidQuestionnaire, match="used twice"):
        Questionnaire("QN", "问卷", [FreeText("Q1", "?"), FreeText("Q1", "!")])
    with pytest.raises(InvalidQuestionnaire, match="1 to 200 questions"):
        Questionnaire("QN", "问卷", [])


def test_answers_are_checked_against_the_version() -> None:
    q = questionnaire()
    assert len(q.check_answers(answers(q4="好"))) == 4
    with pytest.raises(InvalidAnswer, match="required and was not answered") as caught:
        q.check_answers(answers()[:2])
    assert caught.value.context["question_id"] == "Q3"
    with pytest.raises(InvalidAnswer, match="has no question 'Q9'"):
        q.check_answers([*answers(), TextAnswer("Q9", "?")])
    with pytest.raises(InvalidAnswer, match="answered twice"):
        q.check_answers([*answers(), ScaleAnswer("Q3", 1)])


# -- surveys and responses --------------------------------------------------------------------


def test_a_survey_accepts_one_response_per_party_in_its_window() -> None:
    s = survey(response(1, "P1"))
    s = s.respond(response(2, "P2", hours=CLOSES.diff(OPENS).in_hours()))  # at the close: on time
    assert [r.party_id for r in s.responses] == ["P1", "P2"]
    with pytest.raises(LateResponse, match="after survey S1 closed") as late:
        s.respond(Response("R3", "QN", 1, "P3", CLOSES.add(seconds=1), answers()))
    assert late.value.context["response_id"] == "R3"
    with pytest.raises(DuplicateResponse, match="allows 1"):
        s.respond(response(3, "P1", hours=2))
    with pytest.raises(DuplicateResponse, match="in the survey already"):
        s.respond(response(1, "P3"))
    with pytest.raises(ResponseRefused, match="before survey S1 opened"):
        s.respond(response(3, "P3", hours=-1))
    with pytest.raises(ResponseRefused, match="not in the audience"):
        s.respond(response(3, "P9"))


def test_a_response_names_the_version_it_answers() -> None:
    stale = Response("R1", "QN", 2, "P1", OPENS.add(hours=1), answers())
    with pytest.raises(ResponseRefused, match="answers QN version 2") as caught:
        survey(stale)
    assert caught.value.field == "version"
    other = Response("R1", "QX", 1, "P1", OPENS.add(hours=1), answers())
    with pytest.raises(ResponseRefused) as caught:
        survey(other)
    assert caught.value.field == "questionnaire_id"


def test_bad_answers_are_refused_naming_their_question() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        survey(response(1, "P1", q3=11))
    assert caught.value.context["question_id"] == "Q3"


def test_only_a_published_questionnaire_is_put_to_an_audience() -> None:
    draft = questionnaire().revise()
    with pytest.raises(InvalidQuestionnaire, match="is a draft"):
        Survey("S1", draft, AUDIENCE, OPENS, CLOSES)
    with pytest.raises(InvalidQuestionnaire, match="not after it opens"):
        Survey("S1", questionnaire(), AUDIENCE, OPENS, OPENS)


def test_a_policy_may_allow_several_responses_counting_the_latest_or_all() -> None:
    first = response(1, "P1", hours=1, q3=2)
    second = response(2, "P1", hours=2, q3=9)
    latest = survey(first, second, policy=ResponsePolicy(2))
    assert latest.counted() == (second,)
    assert latest.response_of("P1") == second
    assert latest.response_of("P2") is None
    every = survey(second, first, policy=ResponsePolicy(2, Counting.ALL))
    assert every.counted() == (first, second)
    outcome = results(latest)
    assert (outcome.responses, outcome.rate.responded) == (1, 1)
    assert results(every).responses == 2
    with pytest.raises(DuplicateResponse):
        latest.respond(response(3, "P1", hours=3))


# -- results ----------------------------------------------------------------------------------


def test_results_count_and_share_each_option_exactly() -> None:
    s = survey(
        response(1, "P1", q1="yes", q2=("a", "b"), q3=10, q4="很好"),
        response(2, "P2", q1="no", q2=("b",), q3=7),
        response(3, "P3", q1="yes", q2=("b",), q3=6),
    )
    outcome = results(s)
    q1 = outcome.question("Q1")
    assert isinstance(q1, ChoiceResult)
    assert [(o.code, o.count, o.share) for o in q1.options] == [
        ("yes", 2, Fraction(2, 3)),
        ("no", 1, Fraction(1, 3)),
    ]
    q2 = outcome.question("Q2")
    assert isinstance(q2, ChoiceResult)
    assert q2.option("b").share == 1  # everyone picked b; shares of a multiple choice exceed 1
    assert sum(o.share or 0 for o in q2.options) == Fraction(4, 3)
    q3 = outcome.question("Q3")
    assert isinstance(q3, ScaleResult)
    assert q3.mean == Fraction(23, 3)
    assert [(p.value, p.count) for p in q3.distribution if p.count] == [(6, 1), (7, 1), (10, 1)]
    assert len(q3.distribution) == 11
    q4 = outcome.question("Q4")
    assert isinstance(q4, TextResult)
    assert (q4.answered, q4.skipped) == (1, 2)
    assert [(a.party_id, a.text) for a in q4.answers] == [("P1", "很好")]


def test_response_rates_over_the_audience_and_per_building() -> None:
    outcome = results(survey(response(1, "P1"), response(2, "P2")))
    assert (outcome.rate.audience, outcome.rate.responded) == (3, 2)
    assert outcome.rate.rate == Fraction(2, 3)
    assert [(r.building, r.audience, r.responded, r.rate) for r in outcome.by_building] == [
        ("1", 2, 2, Fraction(1)),
        ("2", 1, 0, Fraction(0)),
    ]


def test_an_empty_survey_has_no_shares_and_no_means() -> None:
    outcome = results(survey())
    q1 = outcome.question("Q1")
    q3 = outcome.question("Q3")
    assert isinstance(q1, ChoiceResult)
    assert isinstance(q3, ScaleResult)
    assert q1.options[0].share is None
    assert q3.mean is None
    assert outcome.rate.rate == 0
    assert (
        results(
            Survey("S", questionnaire(), SurveyAudience(OPENS.date(), []), OPENS, CLOSES)
        ).rate.rate
        is None
    )
    assert "(—)" in q1.describe("en_US")


def test_results_explain_themselves_in_both_locales() -> None:
    outcome = results(example_survey())
    english = outcome.describe("en_US")
    chinese = outcome.describe("zh_CN")
    assert "response rate: 3 of 4 (75.0%)" in english
    assert "building 2: 1 of 2 (50.0%)" in english
    assert "mean 3.67" in english
    assert "75.0%" in chinese
    assert "response rate" not in chinese
    with pytest.raises(KeyError):
        outcome.question("Q9")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["yes", "no"]),
            st.sampled_from([("a",), ("b",), ("a", "c"), ("b", "c")]),
            st.integers(0, 10),
        ),
        max_size=3,
    )
)
def test_counts_add_up_and_the_mean_lies_on_the_scale(picked: list[tuple[str, Any, int]]) -> None:
    parties = ["P1", "P2", "P3"][: len(picked)]
    s = survey(
        *(
            response(n, party, q1=q1, q2=q2, q3=q3)
            for n, (party, (q1, q2, q3)) in enumerate(zip(parties, picked, strict=True), 1)
        )
    )
    outcome = results(s)
    q1, q2, q3 = (outcome.question(q) for q in ("Q1", "Q2", "Q3"))
    assert isinstance(q1, ChoiceResult)
    assert isinstance(q2, ChoiceResult)
    assert isinstance(q3, ScaleResult)
    # A single choice's counts add up to the respondents, its shares to one.
    assert sum(o.count for o in q1.options) == q1.answered == len(picked)
    if picked:
        assert sum(o.share or 0 for o in q1.options) == 1
        assert q3.mean is not None
        assert 0 <= q3.mean <= 10
        assert sum(p.value * p.count for p in q3.distribution) == q3.mean * q3.answered
    # A multiple choice's picks add up to the options picked.
    assert sum(o.count for o in q2.options) == sum(len(q2_) for _, q2_, _ in picked)
    assert outcome.rate.responded == len(picked)


# -- audiences --------------------------------------------------------------------------------


def test_everyone_by_role_comes_from_the_notices_rules() -> None:
    book = occupied()
    owners = audience_by_rule(Everyone(roles={RelationKind.OWNER}), book, D(2026, 10, 8))
    assert owners.party_ids == ("O2", "P1", "P2", "P3")  # the owners; tenants P5, O1 are not
    assert owners.member("P1") == Respondent("P1", ["1-2-0301"], ["1"])
    assert owners.describe("en_US") == "everyone"
    tenants = audience_by_rule(Everyone(roles={RelationKind.TENANT}), book, D(2026, 10, 8))
    assert tenants.party_ids == ("O1", "P5")
    building = audience_by_rule(InBuildings(["2"]), book, D(2026, 10, 8))
    assert building.party_ids == ("O1", "P3")
    listed = audience_by_rule(Listed(["P4"]), book, D(2026, 10, 8))
    assert listed.members == (Respondent("P4"),)


def test_a_segment_needs_its_history() -> None:
    book = occupied()
    history = SegmentHistory("vip").observe(D(2026, 10, 1), {"P2": Outcome.MATCH})
    found = audience_by_rule(InSegment("vip"), book, D(2026, 10, 8), segments={"vip": history})
    assert found.party_ids == ("P2",)
    with pytest.raises(InvalidAudience):
        audience_by_rule(InSegment("vip"), book, D(2026, 10, 8))


def test_the_care_sample_is_an_audience_with_its_buildings() -> None:
    book = occupied()
    sample = survey_sample(book, survey_round_for(D(2026, 10, 1)), as_of=D(2026, 10, 8))
    audience = audience_from_sample(sample, book)
    assert audience.party_ids == sample.party_ids
    assert audience.member("O1") == Respondent("O1", ["2-1-0101", "S-101"], ["2", "S"])
    assert audience.sample_of == BillingPeriod.quarter(2026, 4)
    assert audience.describe("zh_CN") != audience.describe("en_US")
    assert audience_from_sample(sample).member("O1").buildings == ()  # type: ignore[union-attr]


def test_an_audience_lists_each_party_once() -> None:
    with pytest.raises(InvalidQuestionnaire, match="twice"):
        SurveyAudience(OPENS.date(), [Respondent("P1"), Respondent("P1")])
    assert SurveyAudience(OPENS.date(), [Respondent("P1")]).describe("en_US") == "1 listed party"


# -- the quarterly satisfaction survey --------------------------------------------------------


def test_the_standard_questionnaire_asks_csat_nps_and_each_criterion() -> None:
    q = satisfaction_questionnaire()
    ids = [question.question_id for question in q.questions]
    assert ids[:2] == [CSAT_QUESTION, NPS_QUESTION]
    assert len(ids) == 2 + 2 * len(ServiceCriterion) + 1
    csat = q.question(CSAT_QUESTION)
    assert isinstance(csat, Scale)
    assert (csat.low, csat.high) == (1, 5)
    assert csat.low_label == "非常不满意"
    _expected, perceived = criterion_question_ids(ServiceCriterion.COURTESY)
    assert q.question(perceived).text.startswith("礼貌")
    few = satisfaction_questionnaire(criteria=[ServiceCriterion.ACCESS] * 2, comment=False)
    assert len(few.questions) == 4


def test_a_questionnaire_without_satisfaction_questions_is_not_converted() -> None:
    with pytest.raises(InvalidQuestionnaire, match="none of the satisfaction questions"):
        satisfaction_responses(survey())
    odd = Questionnaire("QN", "问卷", [Scale(CSAT_QUESTION, "?", 0, 10)]).publish(OPENS)
    odd_survey = Survey("S", odd, AUDIENCE, OPENS, CLOSES)
    with pytest.raises(InvalidQuestionnaire, match="must be a scale 1-5") as caught:
        satisfaction_round(odd_survey)
    assert caught.value.context["question_id"] == CSAT_QUESTION


QUARTER_OPENS = pendulum.datetime(2026, 10, 8, 9, tz="Asia/Shanghai")

# (csat, nps, (courtesy expectation, courtesy perception) or None, comment)
ANSWERS = {
    "O1": (5, 10, (6, 7), "保安很热情"),
    "P1": (4, 8, (7, 5), None),
    "P2": (2, 3, None, "电梯常坏"),
    "P5": (4, 9, (5, 5), None),
}


def quarterly_survey() -> Survey:
    """The Q4 2026 survey of the care sample of SUNRISE, and the four who answered."""
    book = occupied()
    sample = survey_sample(book, survey_round_for(QUARTER_OPENS.date()), as_of=QUARTER_OPENS.date())
    questionnaire = satisfaction_questionnaire("SAT").publish(QUARTER_OPENS)
    s = Survey(
        "SAT-2026Q4",
        questionnaire,
        audience_from_sample(sample, book),
        QUARTER_OPENS,
        QUARTER_OPENS.add(days=30),
    )
    expected, perceived = criterion_question_ids(ServiceCriterion.COURTESY)
    for n, (party, (c, n_, courtesy, comment)) in enumerate(sorted(ANSWERS.items()), 1):
        given: list[Any] = [ScaleAnswer(CSAT_QUESTION, c), ScaleAnswer(NPS_QUESTION, n_)]
        if courtesy is not None:
            given += [ScaleAnswer(expected, courtesy[0]), ScaleAnswer(perceived, courtesy[1])]
        if comment is not None:
            given.append(TextAnswer("comment", comment))
        at = QUARTER_OPENS.add(days=n)
        s = s.respond(Response(f"R{n}", "SAT", 1, party, at, given))
    return s


def test_the_quarterly_survey_gives_the_satisfaction_index_computed_directly() -> None:
    """A quarterly survey of the care sample: its responses, converted, give the analytics'
    CSAT, NPS and gaps equal to computing them from the same answers directly."""
    s = quarterly_survey()
    converted = satisfaction_round(s, teams={"P1": "客服一组", "P2": "客服一组"})
    assert converted.quarter == BillingPeriod.quarter(2026, 4)
    direct = SurveyRound(
        BillingPeriod.quarter(2026, 4),
        [
            SurveyResponse(
                f"R{n}",
                QUARTER_OPENS.add(days=n),
                party_id=party,
                team={"P1": "客服一组", "P2": "客服一组"}.get(party),
                csat=c,
                nps=n_,
                criteria=[]
                if courtesy is None
                else [CriterionScore(ServiceCriterion.COURTESY, *courtesy)],
            )
            for n, (party, (c, n_, courtesy, _)) in enumerate(sorted(ANSWERS.items()), 1)
        ],
    )
    assert converted == direct
    (figures,) = summarise(converted)
    assert figures == summarise(direct)[0]
    assert figures.csat is not None
    assert figures.csat.share == Fraction(3, 4)
    assert figures.nps is not None
    assert figures.nps.exact == Fraction(1, 4)
    (gap,) = figures.gaps
    assert gap.exact_gap == Fraction(-1, 3)
    # The same survey's own results: the response rate over the sample, the comments listed.
    outcome = results(s)
    assert (outcome.rate.responded, outcome.rate.audience) == (4, 4)
    comments = outcome.question("comment")
    assert isinstance(comments, TextResult)
    assert [a.text for a in comments.answers] == ["保安很热情", "电梯常坏"]


def test_only_counted_responses_are_converted() -> None:
    s = quarterly_survey()
    again = attrs.evolve(s, policy=ResponsePolicy(2))
    later = Response(
        "R9",
        "SAT",
        1,
        "P1",
        QUARTER_OPENS.add(days=9),
        [ScaleAnswer(CSAT_QUESTION, 1), ScaleAnswer(NPS_QUESTION, 0)],
    )
    converted = satisfaction_responses(again.respond(later))
    assert [r.response_id for r in converted] == ["R1", "R3", "R4", "R9"]
    assert converted[-1].csat == 1
    assert converted[-1].criteria == ()


# -- properties over any survey ---------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(strategies.surveys())
def test_results_add_up_for_any_survey(drawn: Survey) -> None:
    outcome = results(drawn)
    counted = drawn.counted()
    assert outcome.responses == len(counted) <= len(drawn.responses)
    # Every party responding is asked, once; no building answers more than it was asked.
    assert outcome.rate.responded == len({r.party_id for r in drawn.responses})
    assert outcome.rate.responded <= outcome.rate.audience
    for rate in outcome.by_building:
        assert 0 <= rate.responded <= rate.audience
    # Each question is answered or skipped by every counted response.
    for result in outcome.questions:
        assert result.answered + result.skipped == len(counted)
        if isinstance(result, ChoiceResult):
            assert all(o.count <= result.answered for o in result.options)
        if isinstance(result, ScaleResult) and result.mean is not None:
            question = drawn.questionnaire.question(result.question_id)
            assert isinstance(question, Scale)
            assert question.low <= result.mean <= question.high
            assert sum(p.count for p in result.distribution) == result.answered
    # Under LATEST, a party is counted once; the counted responses are the latest of each.
    if drawn.policy.counting is Counting.LATEST:
        assert len({r.party_id for r in counted}) == len(counted)


@settings(max_examples=30, deadline=None)
@given(strategies.surveys(), st.data())
def test_a_response_after_the_close_is_always_refused(drawn: Survey, data: st.DataObject) -> None:
    # Lateness is checked before the party's count and the answers: the close is absolute.
    late = data.draw(st.integers(1, 10**6))
    party = drawn.audience.party_ids[0]
    questionnaire = drawn.questionnaire
    extra = Response(
        "LATE",
        questionnaire.questionnaire_id,
        questionnaire.version,
        party,
        drawn.closes_at.add(seconds=late),
        [],
    )
    with pytest.raises(LateResponse):
        drawn.respond(extra)
