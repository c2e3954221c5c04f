"""Questionnaires (问卷调查): questions, versions, audiences, responses and results.

A :class:`Questionnaire` holds questions (:class:`SingleChoice`, :class:`MultipleChoice` with
its least and most picks, :class:`Scale` with labelled ends, :class:`FreeText` with a longest
answer), each required or optional; a version is edited as a draft and frozen once published.
A :class:`Survey` puts a published version to a :class:`SurveyAudience` (everyone by role, a
segment, a building or a list through :func:`audience_by_rule`, which resolves the
:mod:`propcrm.notices` rules; or the care sample, :func:`audience_from_sample`) over a window,
and accepts one :class:`Response` per party (unless its :class:`ResponsePolicy` allows more),
refusing late ones and answers that do not fit their question. :func:`results` gives counts and
exact shares per option, scale means and distributions, free text, and response rates over the
audience and per building, each with ``describe(locale)``.

The quarterly satisfaction survey runs on it: :func:`satisfaction_questionnaire` builds the
standard questionnaire (CSAT, NPS, the ten SERVQUAL criteria), and :func:`satisfaction_round`
converts a survey's responses into the :class:`~propcrm.analytics.SurveyRound` whose figures
:func:`propcrm.analytics.summarise` computes.

>>> from propcrm.questionnaires import example_survey, results
>>> outcome = results(example_survey())
>>> outcome.rate.rate, outcome.question("Q1").mean
(Fraction(3, 4), Fraction(11, 3))
>>> print(outcome.question("Q2").describe("en_US").splitlines()[1])
  噪音: 1 (33.3%)

Depends on :mod:`propcrm.time`, :mod:`propcrm.parties`, :mod:`propcrm.analytics` (the
satisfaction maths), :mod:`propcrm.care` (the survey sample) and :mod:`propcrm.notices` (the
audience rules).
"""

from propcrm.questionnaires._audience import (
    Respondent,
    SurveyAudience,
    audience_by_rule,
    audience_from_sample,
)
from propcrm.questionnaires._examples import example_survey
from propcrm.questionnaires._questionnaires import MAX_QUESTIONS, Questionnaire
from propcrm.questionnaires._questions import (
    Answer,
    ChoiceAnswer,
    FreeText,
    MultipleChoice,
    Option,
    Question,
    Scale,
    ScaleAnswer,
    SingleChoice,
    TextAnswer,
)
from propcrm.questionnaires._results import (
    ChoiceResult,
    OptionCount,
    QuestionResult,
    ResponseRate,
    ScalePoint,
    ScaleResult,
    SurveyResults,
    TextResult,
    WrittenAnswer,
    results,
)
from propcrm.questionnaires._satisfaction import (
    COMMENT_QUESTION,
    CSAT_QUESTION,
    NPS_QUESTION,
    criterion_question_ids,
    satisfaction_questionnaire,
    satisfaction_responses,
    satisfaction_round,
)
from propcrm.questionnaires._surveys import (
    DEFAULT_RESPONSE_POLICY,
    Counting,
    Response,
    ResponsePolicy,
    Survey,
)

__all__ = [
    "COMMENT_QUESTION",
    "CSAT_QUESTION",
    "DEFAULT_RESPONSE_POLICY",
    "MAX_QUESTIONS",
    "NPS_QUESTION",
    "Answer",
    "ChoiceAnswer",
    "ChoiceResult",
    "Counting",
    "FreeText",
    "MultipleChoice",
    "Option",
    "OptionCount",
    "Question",
    "QuestionResult",
    "Questionnaire",
    "Respondent",
    "Response",
    "ResponsePolicy",
    "ResponseRate",
    "Scale",
    "ScaleAnswer",
    "ScalePoint",
    "ScaleResult",
    "SingleChoice",
    "Survey",
    "SurveyAudience",
    "SurveyResults",
    "TextAnswer",
    "TextResult",
    "WrittenAnswer",
    "audience_by_rule",
    "audience_from_sample",
    "criterion_question_ids",
    "example_survey",
    "results",
    "satisfaction_questionnaire",
    "satisfaction_responses",
    "satisfaction_round",
]


def __dir__() -> list[str]:
    return list(__all__)
