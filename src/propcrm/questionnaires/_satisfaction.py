"""The quarterly satisfaction survey, run on questionnaires (brief §4, §3).

:func:`satisfaction_questionnaire` builds the standard questionnaire: the CSAT question on the
policy's CSAT scale (1-5), the recommendation question on the NPS scale (0-10), an expectation
and a perception question on the SERVQUAL scale (1-7) for each of the ten service criteria
(optional: a respondent may skip a criterion), and an optional comment. The question ids are
fixed (:data:`CSAT_QUESTION`, :data:`NPS_QUESTION`, :func:`criterion_question_ids`), so the
converters can find them.

:func:`satisfaction_responses` turns a survey's counted responses into
:class:`~propcrm.analytics.SurveyResponse` values and :func:`satisfaction_round` into a
:class:`~propcrm.analytics.SurveyRound`, so :func:`propcrm.analytics.summarise` (CSAT with
its Wilson interval, NPS, the service-quality gaps) runs on the questionnaire's results
unchanged: the satisfaction maths lives in one place.

>>> q = satisfaction_questionnaire(criteria=[], comment=False, locale="en_US")
>>> print(q.describe("en_US"))
Quarterly satisfaction survey (SATISFACTION, version 1)
csat (scale 1-5, required): How satisfied are you with our service this quarter?
nps (scale 0-10, required): How likely are you to recommend us to a friend or neighbour?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_instance, check_items, check_text
from propcrm.analytics import (
    DEFAULT_SURVEY_POLICY,
    CriterionScore,
    ServiceCriterion,
    SurveyPolicy,
    SurveyResponse,
    SurveyRound,
)
from propcrm.errors import InvalidQuestionnaire
from propcrm.questionnaires._questionnaires import Questionnaire
from propcrm.questionnaires._questions import FreeText, Question, Scale, ScaleAnswer
from propcrm.questionnaires._surveys import Survey, check_survey
from propcrm.time import DEFAULT_ZONE, BillingPeriod, local_date, zone

__all__ = [
    "COMMENT_QUESTION",
    "CSAT_QUESTION",
    "NPS_QUESTION",
    "criterion_question_ids",
    "satisfaction_questionnaire",
    "satisfaction_responses",
    "satisfaction_round",
]

CSAT_QUESTION = "csat"
"""The id of the standard questionnaire's CSAT question."""

NPS_QUESTION = "nps"
"""The id of the standard questionnaire's would-you-recommend question."""

COMMENT_QUESTION = "comment"
"""The id of the standard questionnaire's free comment."""


def criterion_question_ids(criterion: ServiceCriterion) -> tuple[str, str]:
    """The ids of a criterion's expectation and perception questions.

    >>> criterion_question_ids(ServiceCriterion.RESPONSIVENESS)
    ('responsiveness-expectation', 'responsiveness-perception')
    """
    check_instance(criterion, "criterion", ServiceCriterion, error=InvalidQuestionnaire)
    return f"{criterion.value}-expectation", f"{criterion.value}-perception"


def _criteria(value: Iterable[ServiceCriterion]) -> tuple[ServiceCriterion, ...]:
    items: tuple[ServiceCriterion, ...] = check_items(
        value, "criteria", ServiceCriterion, error=InvalidQuestionnaire
    )
    return tuple(dict.fromkeys(items))


def satisfaction_questionnaire(
    questionnaire_id: str = "SATISFACTION",
    *,
    criteria: Iterable[ServiceCriterion] = tuple(ServiceCriterion),
    comment: bool = True,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    locale: LocaleLike = DEFAULT_LOCALE,
) -> Questionnaire:
    """The standard satisfaction questionnaire (a draft, version 1), worded in ``locale``.

    ``criteria`` chooses the service criteria asked about (all ten by default), each with an
    expectation and a perception question; the scales are ``survey_policy``'s, so the answers
    fit the analytics' rounds.
    """
    name = check_locale(locale)
    check_instance(survey_policy, "survey_policy", SurveyPolicy, error=InvalidQuestionnaire)
    if not isinstance(comment, bool):
        raise InvalidQuestionnaire(
            f"comment must be True or False, got {type(comment).__name__} {comment!r}.",
            field="comment",
            value=comment,
            allowed="a bool",
        )
    chosen = _criteria(criteria)
    csat_low, csat_high = survey_policy.csat_scale
    nps_low, nps_high = survey_policy.nps_scale
    low, high = survey_policy.servqual_scale
    questions: list[Question] = [
        Scale(
            CSAT_QUESTION,
            gettext("How satisfied are you with our service this quarter?", locale=name),
            csat_low,
            csat_high,
            low_label=pgettext("scale end", "very dissatisfied", locale=name),
            high_label=pgettext("scale end", "very satisfied", locale=name),
        ),
        Scale(
            NPS_QUESTION,
            gettext("How likely are you to recommend us to a friend or neighbour?", locale=name),
            nps_low,
            nps_high,
            low_label=pgettext("scale end", "not at all likely", locale=name),
            high_label=pgettext("scale end", "extremely likely", locale=name),
        ),
    ]
    for criterion in chosen:
        expected, perceived = criterion_question_ids(criterion)
        label = criterion.label(name)
        questions += [
            Scale(
                expected,
                gettext("%(criterion)s: what did you expect?", locale=name, criterion=label),
                low,
                high,
                required=False,
            ),
            Scale(
                perceived,
                gettext("%(criterion)s: what did you get?", locale=name, criterion=label),
                low,
                high,
                required=False,
            ),
        ]
    if comment:
        questions.append(
            FreeText(
                COMMENT_QUESTION,
                gettext("Anything else you would like to tell us?", locale=name),
            )
        )
    title = gettext("Quarterly satisfaction survey", locale=name)
    return Questionnaire(questionnaire_id, title, questions)


def _scale_of(
    questionnaire: Questionnaire, question_id: str, scale: tuple[int, int]
) -> Scale | None:
    question = next((q for q in questionnaire.questions if q.question_id == question_id), None)
    if question is None:
        return None
    if not isinstance(question, Scale) or (question.low, question.high) != scale:
        raise InvalidQuestionnaire(
            f"question {question_id} of {questionnaire.questionnaire_id} must be a scale "
            f"{scale[0]}-{scale[1]} (the survey policy's) to be counted as satisfaction.",
            field="questions",
            value=question_id,
            allowed=f"a Scale from {scale[0]} to {scale[1]}",
            question_id=question_id,
        )
    return question


def _names(value: Mapping[str, str] | None, field: str) -> Mapping[str, str]:
    if value is None:
        return {}
    mapping: Mapping[str, str] = check_instance(value, field, Mapping, error=InvalidQuestionnaire)
    for name in mapping.values():
        check_text(name, field, InvalidQuestionnaire, example="'客服一组'")
    return mapping


def satisfaction_responses(
    survey: Survey,
    *,
    teams: Mapping[str, str] | None = None,
    staff: Mapping[str, str] | None = None,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
) -> tuple[SurveyResponse, ...]:
    """The survey's counted responses as the analytics' survey responses, oldest first.

    The CSAT, NPS and criterion questions are read by their ids; a criterion counts when both
    its expectation and perception are answered. ``teams`` and ``staff`` give, by party id,
    whose service each respondent judges (the analytics' per-team and per-staff splits). A
    questionnaire with none of the questions, or with one on another scale than
    ``survey_policy``'s, is refused (:class:`~propcrm.errors.InvalidQuestionnaire`).
    """
    check_survey(survey)
    check_instance(survey_policy, "survey_policy", SurveyPolicy, error=InvalidQuestionnaire)
    team_of, staff_of = _names(teams, "teams"), _names(staff, "staff")
    questionnaire = survey.questionnaire
    csat = _scale_of(questionnaire, CSAT_QUESTION, survey_policy.csat_scale)
    nps = _scale_of(questionnaire, NPS_QUESTION, survey_policy.nps_scale)
    criteria = []
    for criterion in ServiceCriterion:
        expected, perceived = criterion_question_ids(criterion)
        pair = (
            _scale_of(questionnaire, expected, survey_policy.servqual_scale),
            _scale_of(questionnaire, perceived, survey_policy.servqual_scale),
        )
        if pair[0] is not None and pair[1] is not None:
            criteria.append((criterion, expected, perceived))
    if csat is None and nps is None and not criteria:
        raise InvalidQuestionnaire(
            f"questionnaire {questionnaire.questionnaire_id} asks none of the satisfaction "
            "questions (csat, nps, a criterion's expectation and perception).",
            field="questionnaire",
            value=questionnaire.questionnaire_id,
            allowed="a questionnaire from satisfaction_questionnaire()",
        )

    def value(answer: object) -> int | None:
        return answer.value if isinstance(answer, ScaleAnswer) else None

    converted = []
    for response in survey.counted():
        scores = []
        for criterion, expected, perceived in criteria:
            expectation = value(response.answer(expected))
            perception = value(response.answer(perceived))
            if expectation is not None and perception is not None:
                scores.append(CriterionScore(criterion, expectation, perception))
        party = response.party_id
        converted.append(
            SurveyResponse(
                response.response_id,
                response.submitted_at,
                team=team_of.get(party),
                staff=staff_of.get(party),
                party_id=party,
                csat=value(response.answer(CSAT_QUESTION)),
                nps=value(response.answer(NPS_QUESTION)),
                criteria=scores,
            )
        )
    return tuple(converted)


def satisfaction_round(
    survey: Survey,
    *,
    quarter: BillingPeriod | None = None,
    teams: Mapping[str, str] | None = None,
    staff: Mapping[str, str] | None = None,
    survey_policy: SurveyPolicy = DEFAULT_SURVEY_POLICY,
    zone_name: str = DEFAULT_ZONE,
) -> SurveyRound:
    """The analytics' survey round of ``survey``: its responses in the quarter it opened in.

    ``quarter`` defaults to the round period (``survey_policy.round_kind``) holding the day the
    survey opened in ``zone_name``; a response outside it is refused by the round itself
    (:class:`~propcrm.errors.InvalidSurveyResponse`).
    """
    check_survey(survey)
    check_instance(survey_policy, "survey_policy", SurveyPolicy, error=InvalidQuestionnaire)
    zone(check_text(zone_name, "zone_name"))
    if quarter is None:
        day = local_date(survey.opens_at, zone_name)
        quarter = BillingPeriod.containing(day, survey_policy.round_kind)
    check_instance(quarter, "quarter", BillingPeriod, error=InvalidQuestionnaire)
    responses = satisfaction_responses(
        survey, teams=teams, staff=staff, survey_policy=survey_policy
    )
    return SurveyRound(quarter, responses, survey_policy, zone_name)
