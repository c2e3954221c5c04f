"""Hypothesis strategies for questionnaires: questions, published questionnaires, surveys.

Each is a plural noun with keyword-only bounds and shrinks towards the simplest value: a
questionnaire of one 1-5 scale, a survey nobody has answered yet. Surveys are filled with
responses that keep every rule of the survey (in the window, one per party, each answer fit
for its question, every required question answered), so every drawn survey has results.

>>> from hypothesis import given, settings
>>> from propcrm.questionnaires import results
>>> @settings(max_examples=20, database=None)
... @given(surveys())
... def test_no_more_respond_than_were_asked(survey):
...     rate = results(survey).rate
...     assert rate.responded <= rate.audience
>>> test_no_more_respond_than_were_asked()
"""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from propcrm.questionnaires import (
    Answer,
    ChoiceAnswer,
    Counting,
    FreeText,
    MultipleChoice,
    Option,
    Question,
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
)

__all__ = ["questionnaires", "questions", "response_policies", "surveys"]

_OPENS = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
_CODES = ["a", "b", "c", "d"]


def _options(draw: st.DrawFn) -> list[Option]:
    count = draw(st.integers(2, len(_CODES)))
    return [Option(code, f"选项{code}") for code in _CODES[:count]]


def questions(*, question_id: str = "Q1") -> st.SearchStrategy[Question]:
    """Questions of every kind, a 1-5 scale first, required or optional."""

    @st.composite
    def build(draw: st.DrawFn) -> Question:
        required = draw(st.booleans().map(lambda b: not b))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            low = draw(st.sampled_from([1, 0]))
            high = draw(st.sampled_from([5, 7, 10]))
            return Scale(question_id, "打分", low, high, required=required)
        if kind == 1:
            return SingleChoice(question_id, "单选", _options(draw), required=required)
        if kind == 2:
            options = _options(draw)
            most = draw(st.integers(1, len(options)))
            least = draw(st.integers(1, most))
            return MultipleChoice(
                question_id, "多选", options, min_picks=least, max_picks=most, required=required
            )
        length = draw(st.integers(1, 50))
        return FreeText(question_id, "意见", max_length=length, required=required)

    return build()


def questionnaires(*, max_questions: int = 4) -> st.SearchStrategy[Questionnaire]:
    """Published questionnaires of 1 to ``max_questions`` questions, version 1 or later."""

    @st.composite
    def build(draw: st.DrawFn) -> Questionnaire:
        count = draw(st.integers(1, max_questions))
        drawn = [draw(questions(question_id=f"Q{n}")) for n in range(1, count + 1)]
        version = draw(st.integers(1, 3))
        return Questionnaire("QN", "问卷", drawn, version=version).publish(_OPENS.subtract(days=1))

    return build()


def response_policies() -> st.SearchStrategy[ResponsePolicy]:
    """Policies: one response per party first, then up to three, counting the latest or all."""
    return st.just(ResponsePolicy()) | st.builds(
        ResponsePolicy, st.integers(1, 3), st.sampled_from(Counting)
    )


def _answer(draw: st.DrawFn, question: Question) -> Answer | None:
    if not question.required and draw(st.booleans()):
        return None
    qid = question.question_id
    if isinstance(question, Scale):
        return ScaleAnswer(qid, draw(st.integers(question.low, question.high)))
    if isinstance(question, SingleChoice):
        return ChoiceAnswer(qid, [draw(st.sampled_from([o.code for o in question.options]))])
    if isinstance(question, MultipleChoice):
        codes = [o.code for o in question.options]
        picks = draw(
            st.lists(
                st.sampled_from(codes),
                min_size=question.min_picks,
                max_size=question.most_picks,
                unique=True,
            )
        )
        return ChoiceAnswer(qid, picks)
    return TextAnswer(qid, draw(st.text("好差慢快", min_size=1, max_size=question.max_length)))


def surveys(*, max_parties: int = 5) -> st.SearchStrategy[Survey]:
    """Surveys of a drawn questionnaire and audience (buildings 1 and 2), with valid responses."""

    @st.composite
    def build(draw: st.DrawFn) -> Survey:
        questionnaire = draw(questionnaires())
        policy = draw(response_policies())
        count = draw(st.integers(1, max_parties))
        members = [
            Respondent(f"P{n}", [f"{n % 2 + 1}-0{n}"], [str(n % 2 + 1)])
            for n in range(1, count + 1)
        ]
        responses: list[Response] = []
        for member in members:
            times = draw(st.integers(0, policy.per_party))
            for _ in range(times):
                answers = [_answer(draw, q) for q in questionnaire.questions]
                at = _OPENS.add(minutes=draw(st.integers(0, 14 * 24 * 60)))
                responses.append(
                    Response(
                        f"R{len(responses) + 1}",
                        questionnaire.questionnaire_id,
                        questionnaire.version,
                        member.party_id,
                        at,
                        [a for a in answers if a is not None],
                    )
                )
        return Survey(
            "S1",
            questionnaire,
            SurveyAudience(_OPENS.date(), members),
            _OPENS,
            _OPENS.add(days=14),
            responses,
            policy=policy,
        )

    return build()
