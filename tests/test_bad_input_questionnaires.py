"""Bad input to every public entry point of propcrm.questionnaires is refused with a library error.

Each argument of each entry point in ``propcrm.questionnaires.__all__`` is fed the malformed
values of its kind (:mod:`tests.bad_input`); :func:`assert_refused` checks that only a
:class:`~propcrm.errors.PropcrmError` with its context comes out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from tests.bad_input import (
    assert_refused,
    bad_counts,
    bad_dates,
    bad_ids,
    bad_instants,
    bad_locales,
    bad_text,
    wrong_types,
)
from tests.test_care import D, occupied
from tests.test_questionnaires import (
    AUDIENCE,
    CLOSES,
    OPENS,
    YES_NO,
    answers,
    questionnaire,
    response,
    survey,
)

from propcrm.care import survey_round_for, survey_sample
from propcrm.notices import Everyone
from propcrm.questionnaires import (
    ChoiceAnswer,
    FreeText,
    MultipleChoice,
    Option,
    Questionnaire,
    Respondent,
    Response,
    ResponsePolicy,
    Scale,
    ScaleAnswer,
    SingleChoice,
    Survey,
    SurveyAudience,
    TextAnswer,
    audience_by_rule,
    audience_from_sample,
    criterion_question_ids,
    example_survey,
    results,
    satisfaction_questionnaire,
    satisfaction_responses,
    satisfaction_round,
)

FEW = settings(max_examples=8, deadline=None)
NOT_NONE = wrong_types.filter(lambda value: value is not None)
# An empty mapping is a valid ``segments=`` (no segment histories): only non-mappings are wrong.
NOT_A_MAPPING = NOT_NONE.filter(lambda value: not isinstance(value, Mapping))
NOT_EMPTY = NOT_NONE.filter(lambda value: value not in ([], (), {}))
NOT_BOOL = NOT_NONE.filter(lambda value: not isinstance(value, bool))
QUESTIONNAIRE = questionnaire()
DRAFT = QUESTIONNAIRE.revise()
SURVEY = survey(response(1, "P1"))
BOOK = occupied()
SAMPLE = survey_sample(BOOK, survey_round_for(D(2026, 10, 1)), as_of=D(2026, 10, 8))
SATISFACTION = satisfaction_questionnaire().publish(OPENS)
SATISFACTION_SURVEY = Survey("SAT", SATISFACTION, AUDIENCE, OPENS, CLOSES)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: Option(bad, "是"),
        lambda bad: SingleChoice(bad, "?", YES_NO),
        lambda bad: MultipleChoice(bad, "?", YES_NO),
        lambda bad: Scale(bad, "?"),
        lambda bad: FreeText(bad, "?"),
        lambda bad: ChoiceAnswer(bad, ["yes"]),
        lambda bad: ChoiceAnswer("Q1", [bad]),
        lambda bad: ScaleAnswer(bad, 1),
        lambda bad: TextAnswer(bad, "好"),
        lambda bad: Questionnaire(bad, "问卷", QUESTIONNAIRE.questions),
        QUESTIONNAIRE.question,
        DRAFT.without_question,
        Respondent,
        lambda bad: Respondent("P1", [bad]),
        lambda bad: Respondent("P1", [], [bad]),
        lambda bad: Response(bad, "QN", 1, "P1", OPENS, answers()),
        lambda bad: Response("R1", bad, 1, "P1", OPENS, answers()),
        lambda bad: Response("R1", "QN", 1, bad, OPENS, answers()),
        lambda bad: Survey(bad, QUESTIONNAIRE, AUDIENCE, OPENS, CLOSES),
        SURVEY.response_of,
        satisfaction_questionnaire,
    ],
)
@FEW
@given(bad=bad_ids)
def test_ids_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: Option("yes", bad),
        lambda bad: SingleChoice("Q1", bad, YES_NO),
        lambda bad: MultipleChoice("Q1", bad, YES_NO),
        lambda bad: Scale("Q1", bad),
        lambda bad: (
            Scale("Q1", "?", low_label=bad) if bad is not None else Scale("Q", "?", low_label="")
        ),
        lambda bad: (
            Scale("Q1", "?", high_label=bad) if bad is not None else Scale("Q", "?", high_label="")
        ),
        lambda bad: FreeText("Q1", bad),
        lambda bad: TextAnswer("Q1", bad),
        lambda bad: Questionnaire("QN", bad, QUESTIONNAIRE.questions),
        lambda bad: satisfaction_responses(SATISFACTION_SURVEY, teams={"P1": bad}),
        lambda bad: satisfaction_responses(SATISFACTION_SURVEY, staff={"P1": bad}),
        lambda bad: satisfaction_round(SATISFACTION_SURVEY, zone_name=bad),
    ],
)
@FEW
@given(bad=bad_text)
def test_text_is_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: MultipleChoice("Q1", "?", YES_NO, min_picks=bad),
        lambda bad: (
            MultipleChoice("Q1", "?", YES_NO, max_picks=bad)
            if bad is not None
            else MultipleChoice("Q1", "?", YES_NO, max_picks=3)
        ),
        lambda bad: Scale("Q1", "?", bad, 5),
        lambda bad: Scale("Q1", "?", 1, bad),
        lambda bad: FreeText("Q1", "?", max_length=bad),
        lambda bad: ScaleAnswer("Q1", bad),
        lambda bad: Questionnaire("QN", "问卷", QUESTIONNAIRE.questions, version=bad),
        lambda bad: Response("R1", "QN", bad, "P1", OPENS, answers()),
        ResponsePolicy,
    ],
)
@FEW
@given(bad=bad_counts)
def test_counts_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: SurveyAudience(bad, []),
        lambda bad: audience_by_rule(Everyone(), BOOK, bad),
    ],
)
@FEW
@given(bad=bad_dates)
def test_dates_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: (
            Questionnaire("QN", "问卷", QUESTIONNAIRE.questions, published_at=bad)
            if bad is not None
            else Questionnaire("QN", "问卷", QUESTIONNAIRE.questions, published_at="2026-03-01")
        ),
        DRAFT.publish,
        lambda bad: Response("R1", "QN", 1, "P1", bad, answers()),
        lambda bad: Survey("S1", QUESTIONNAIRE, AUDIENCE, bad, CLOSES),
        lambda bad: Survey("S1", QUESTIONNAIRE, AUDIENCE, OPENS, bad),
    ],
)
@FEW
@given(bad=bad_instants)
def test_instants_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: SingleChoice("Q1", "?", [bad, *YES_NO]),
        lambda bad: MultipleChoice("Q1", "?", bad),
        lambda bad: ChoiceAnswer("Q1", [bad]),
        lambda bad: Questionnaire("QN", "问卷", [bad]),
        DRAFT.with_question,
        QUESTIONNAIRE.check_answers,
        lambda bad: QUESTIONNAIRE.check_answers([bad]),
        lambda bad: QUESTIONNAIRE.question("Q1").check(bad),
        lambda bad: QUESTIONNAIRE.question("Q3").check(bad),
        lambda bad: QUESTIONNAIRE.question("Q4").check(bad),
        lambda bad: SurveyAudience(OPENS.date(), [bad]),
        lambda bad: SurveyAudience(OPENS.date(), [], rule=bad),
        lambda bad: SurveyAudience(OPENS.date(), [], sample_of=bad),
        lambda bad: Response("R1", "QN", 1, "P1", OPENS, [bad]),
        lambda bad: ResponsePolicy(1, bad),
        lambda bad: Survey("S1", bad, AUDIENCE, OPENS, CLOSES),
        lambda bad: Survey("S1", QUESTIONNAIRE, bad, OPENS, CLOSES),
        lambda bad: Survey("S1", QUESTIONNAIRE, AUDIENCE, OPENS, CLOSES, [bad]),
        lambda bad: Survey("S1", QUESTIONNAIRE, AUDIENCE, OPENS, CLOSES, policy=bad),
        SURVEY.respond,
        lambda bad: audience_by_rule(bad, BOOK, D(2026, 10, 8)),
        lambda bad: audience_by_rule(Everyone(), bad, D(2026, 10, 8)),
        audience_from_sample,
        lambda bad: audience_from_sample(SAMPLE, bad),
        results,
        criterion_question_ids,
        lambda bad: satisfaction_questionnaire(criteria=[bad]),
        lambda bad: satisfaction_questionnaire(survey_policy=bad),
        satisfaction_responses,
        lambda bad: satisfaction_responses(SATISFACTION_SURVEY, survey_policy=bad),
        satisfaction_round,
        lambda bad: satisfaction_round(SATISFACTION_SURVEY, quarter=bad),
        lambda bad: satisfaction_round(SATISFACTION_SURVEY, survey_policy=bad),
    ],
)
@FEW
@given(bad=NOT_NONE)
def test_wrong_types_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@FEW
@given(bad=NOT_A_MAPPING)
def test_segments_that_are_not_a_mapping_are_refused(bad: object) -> None:
    assert_refused(lambda: audience_by_rule(Everyone(), BOOK, D(2026, 10, 8), segments=bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: SingleChoice("Q1", "?", YES_NO, required=bad),
        lambda bad: MultipleChoice("Q1", "?", YES_NO, required=bad),
        lambda bad: Scale("Q1", "?", required=bad),
        lambda bad: FreeText("Q1", "?", required=bad),
        lambda bad: satisfaction_questionnaire(comment=bad),
    ],
)
@FEW
@given(bad=NOT_BOOL)
def test_flags_that_are_not_bools_are_refused(call: Callable[[Any], object], bad: object) -> None:
    assert_refused(lambda: call(bad))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: satisfaction_questionnaire(criteria=bad),
        lambda bad: satisfaction_responses(SATISFACTION_SURVEY, teams=bad),
        lambda bad: satisfaction_responses(SATISFACTION_SURVEY, staff=bad),
    ],
)
@FEW
@given(bad=NOT_EMPTY)
def test_collections_of_the_wrong_type_are_refused(
    call: Callable[[Any], object], bad: object
) -> None:
    # An empty collection is valid here (no criteria asked, nobody's team known).
    assert_refused(lambda: call(bad))


@FEW
@given(bad=bad_locales)
def test_locales_are_refused(bad: object) -> None:
    outcome = results(example_survey())
    for describe in (
        outcome.describe,
        outcome.rate.describe,
        outcome.by_building[0].describe,
        *(result.describe for result in outcome.questions),
        outcome.questions[1].options[0].describe,  # type: ignore[union-attr]
        QUESTIONNAIRE.describe,
        *(question.describe for question in QUESTIONNAIRE.questions),
        AUDIENCE.describe,
        audience_from_sample(SAMPLE).describe,
        lambda locale: satisfaction_questionnaire(locale=locale),
    ):
        assert_refused(lambda describe=describe: describe(bad))  # type: ignore[misc]


def test_broken_rules_are_refused() -> None:
    assert_refused(lambda: SingleChoice("Q", "?", YES_NO[:1]))
    assert_refused(lambda: Scale("Q", "?", 5, 1))
    assert_refused(lambda: Questionnaire("QN", "问卷", [FreeText("Q", "?")] * 2))
    assert_refused(lambda: Survey("S1", DRAFT, AUDIENCE, OPENS, CLOSES))
    assert_refused(lambda: Survey("S1", QUESTIONNAIRE, AUDIENCE, CLOSES, OPENS))
    assert_refused(lambda: SURVEY.respond(response(2, "P1")))
    assert_refused(lambda: SURVEY.respond(response(2, "P9")))
    assert_refused(
        lambda: SURVEY.respond(attrs.evolve(response(2, "P2"), submitted_at=CLOSES.add(days=1)))
    )
    assert_refused(lambda: SURVEY.respond(response(2, "P2", q3=99)))
    assert_refused(lambda: satisfaction_responses(SURVEY))
