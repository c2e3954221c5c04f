"""A questionnaire: its questions, versioned, and frozen once a version is published.

A draft is edited (:meth:`Questionnaire.with_question`, :meth:`~Questionnaire.without_question`)
until :meth:`~Questionnaire.publish` fixes it; after that every edit is refused
(:class:`~propcrm.errors.QuestionnaireFrozen`) and :meth:`~Questionnaire.revise` starts the
next version as a new draft. Responses name the version they answer, so results never mix two
sets of questions.

>>> import pendulum
>>> from propcrm.questionnaires import FreeText, Scale
>>> draft = Questionnaire("Q-LIFT", "电梯服务调查", [Scale("Q1", "电梯运行是否平稳？")])
>>> published = draft.publish(pendulum.datetime(2026, 3, 1, 9, tz="Asia/Shanghai"))
>>> published.with_question(FreeText("Q2", "其他意见"))
Traceback (most recent call last):
...
propcrm.errors.QuestionnaireFrozen: questionnaire Q-LIFT version 1 was published on \
2026-03-01T09:00:00+08:00; revise() it into version 2 to change it.
>>> published.revise().with_question(FreeText("Q2", "其他意见")).version
2
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext
from propcrm._validators import check_instance, check_int, check_items, check_record_id, check_text
from propcrm.errors import InvalidAnswer, InvalidQuestionnaire, QuestionnaireFrozen
from propcrm.questionnaires._questions import ANSWER_TYPES, QUESTION_TYPES, Answer, Question
from propcrm.time import aware

__all__ = ["MAX_QUESTIONS", "Questionnaire"]

MAX_QUESTIONS = 200
"""The most questions a questionnaire may hold."""


def _questions(value: Iterable[Question]) -> tuple[Question, ...]:
    questions: tuple[Question, ...] = check_items(
        value, "questions", *QUESTION_TYPES, error=InvalidQuestionnaire
    )
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise InvalidQuestionnaire(
            f"a questionnaire holds 1 to {MAX_QUESTIONS} questions, got {len(questions)}.",
            field="questions",
            value=len(questions),
            allowed=f"1 to {MAX_QUESTIONS} questions",
        )
    seen: set[str] = set()
    for question in questions:
        if question.question_id in seen:
            raise InvalidQuestionnaire(
                f"question id {question.question_id} is used twice; each question has its own.",
                field="questions",
                value=question.question_id,
                allowed="each question id once",
                question_id=question.question_id,
            )
        seen.add(question.question_id)
    return questions


def _published_at(value: object) -> pendulum.DateTime | None:
    if value is None:
        return None
    return aware(value, field="published_at")  # type: ignore[arg-type]


@attrs.frozen
class Questionnaire:
    """Questions under an id and a version; ``published_at`` is set once the version is fixed."""

    questionnaire_id: str = attrs.field()
    title: str = attrs.field()
    questions: tuple[Question, ...] = attrs.field(converter=_questions)
    version: int = attrs.field(default=1, kw_only=True)
    published_at: pendulum.DateTime | None = attrs.field(
        default=None, kw_only=True, converter=_published_at
    )

    @questionnaire_id.validator
    def _check_id(self, _attribute: attrs.Attribute[str], value: object) -> None:
        check_record_id(value, "questionnaire id", InvalidQuestionnaire)

    @title.validator
    def _check_title(self, attribute: attrs.Attribute[str], value: object) -> None:
        check_text(
            value, attribute.name, InvalidQuestionnaire, max_length=200, example="'季度满意度调查'"
        )

    @version.validator
    def _check_version(self, attribute: attrs.Attribute[int], value: object) -> None:
        check_int(value, attribute.name, InvalidQuestionnaire, minimum=1, maximum=10_000)

    @property
    def published(self) -> bool:
        """Whether this version is fixed."""
        return self.published_at is not None

    def question(self, question_id: str) -> Question:
        """The question with ``question_id``; :class:`~propcrm.errors.InvalidAnswer` if none."""
        for question in self.questions:
            if question.question_id == question_id:
                return question
        raise InvalidAnswer(
            f"questionnaire {self.questionnaire_id} has no question {question_id!r}.",
            field="question_id",
            value=question_id,
            allowed=", ".join(q.question_id for q in self.questions),
            question_id=question_id,
        )

    def _editable(self) -> None:
        if self.published_at is not None:
            raise QuestionnaireFrozen(
                f"questionnaire {self.questionnaire_id} version {self.version} was published on "
                f"{self.published_at.isoformat()}; revise() it into version {self.version + 1} "
                "to change it.",
                field="published_at",
                value=self.published_at,
                allowed="a draft (published_at None)",
                questionnaire_id=self.questionnaire_id,
            )

    def with_question(self, question: Question) -> Questionnaire:
        """This draft with ``question`` added at the end (or replacing the one with its id)."""
        self._editable()
        check_instance(question, "question", *QUESTION_TYPES, error=InvalidQuestionnaire)
        ids = [q.question_id for q in self.questions]
        if question.question_id in ids:
            at = ids.index(question.question_id)
            questions = (*self.questions[:at], question, *self.questions[at + 1 :])
        else:
            questions = (*self.questions, question)
        return attrs.evolve(self, questions=questions)

    def without_question(self, question_id: str) -> Questionnaire:
        """This draft without the question ``question_id``."""
        self._editable()
        self.question(question_id)
        return attrs.evolve(
            self, questions=tuple(q for q in self.questions if q.question_id != question_id)
        )

    def publish(self, at: datetime.datetime) -> Questionnaire:
        """This version, published (fixed) at the instant ``at``."""
        self._editable()
        return attrs.evolve(self, published_at=aware(at, field="at"))

    def revise(self) -> Questionnaire:
        """A draft of the next version with the same questions, to edit and publish."""
        return attrs.evolve(self, version=self.version + 1, published_at=None)

    def check_answers(self, answers: Iterable[Answer]) -> tuple[Answer, ...]:
        """``answers``, checked: each for a question of this version, once, and valid for it.

        Every required question must be answered; an optional one may be left out. Each
        refusal is an :class:`~propcrm.errors.InvalidAnswer` naming the question.
        """
        items: tuple[Answer, ...] = check_items(
            answers, "answers", *ANSWER_TYPES, error=InvalidAnswer
        )
        by_id: Mapping[str, Question] = {q.question_id: q for q in self.questions}
        seen: set[str] = set()
        for answer in items:
            question = by_id.get(answer.question_id)
            if question is None:
                self.question(answer.question_id)  # raises, naming the questions there are
            if answer.question_id in seen:
                raise InvalidAnswer(
                    f"question {answer.question_id} is answered twice; once is enough.",
                    field="answers",
                    value=answer.question_id,
                    allowed="one answer per question",
                    question_id=answer.question_id,
                )
            seen.add(answer.question_id)
            by_id[answer.question_id].check(answer)
        for question in self.questions:
            if question.required and question.question_id not in seen:
                raise InvalidAnswer(
                    f"question {question.question_id} is required and was not answered.",
                    field="answers",
                    value=None,
                    allowed=f"an answer to {question.question_id}",
                    question_id=question.question_id,
                )
        return items

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The title and version, then one line per question."""
        head = gettext(
            "%(title)s (%(id)s, version %(version)d)",
            locale=locale,
            title=self.title,
            id=self.questionnaire_id,
            version=self.version,
        )
        return "\n".join([head, *(q.describe(locale) for q in self.questions)])
