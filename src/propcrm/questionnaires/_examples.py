"""A small survey for the guide, the doctests and the demo: the lift questionnaire of 2026 Q1.

Four owners in two buildings are asked; three answer before the close.
"""

from __future__ import annotations

import pendulum

from propcrm.questionnaires._audience import Respondent, SurveyAudience
from propcrm.questionnaires._questionnaires import Questionnaire
from propcrm.questionnaires._questions import (
    ChoiceAnswer,
    FreeText,
    MultipleChoice,
    Option,
    Scale,
    ScaleAnswer,
    TextAnswer,
)
from propcrm.questionnaires._surveys import Response, Survey

__all__ = ["example_survey"]

_OPENS = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")


def example_survey() -> Survey:
    """The lift survey of 2026 Q1 with three responses out of four owners asked.

    >>> survey = example_survey()
    >>> len(survey.audience), len(survey.responses)
    (4, 3)
    """
    questionnaire = Questionnaire(
        "Q-LIFT",
        "电梯服务调查",
        [
            Scale("Q1", "电梯运行是否平稳？", 1, 5, low_label="很不平稳", high_label="很平稳"),
            MultipleChoice(
                "Q2",
                "您遇到过哪些问题？",
                [
                    Option("noise", "噪音"),
                    Option("wait", "等待时间长"),
                    Option("stuck", "困人"),
                    Option("none", "没有问题"),
                ],
                max_picks=3,
            ),
            FreeText("Q3", "其他意见", max_length=200),
        ],
    ).publish(_OPENS.subtract(days=1))
    audience = SurveyAudience(
        _OPENS.date(),
        [
            Respondent("P1", ["1-0101"], ["1"]),
            Respondent("P2", ["1-0102"], ["1"]),
            Respondent("P3", ["2-0101"], ["2"]),
            Respondent("P4", ["2-0102"], ["2"]),
        ],
    )

    def answer(n: int, party: str, scale: int, picks: list[str], text: str | None) -> Response:
        answers: list[ScaleAnswer | ChoiceAnswer | TextAnswer] = [
            ScaleAnswer("Q1", scale),
            ChoiceAnswer("Q2", picks),
        ]
        if text is not None:
            answers.append(TextAnswer("Q3", text))
        at = _OPENS.add(days=n)
        return Response(f"R{n}", "Q-LIFT", 1, party, at, answers)

    return Survey(
        "LIFT-2026Q1",
        questionnaire,
        audience,
        _OPENS,
        _OPENS.add(days=14),
        [
            answer(1, "P1", 4, ["noise", "wait"], "早高峰等太久"),
            answer(2, "P2", 4, ["none"], None),
            answer(3, "P3", 3, ["wait"], None),
        ],
    )
