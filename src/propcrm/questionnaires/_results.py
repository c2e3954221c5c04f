"""A survey's results: per question counts and shares, scale means, free text, response rates.

:func:`results` reads the counted responses of a :class:`Survey` (see its policy) and gives a
:class:`SurveyResults`: for each question a :class:`ChoiceResult`, :class:`ScaleResult` or
:class:`TextResult`, and the :class:`ResponseRate` over the audience, overall and per building.
Every share and mean is an exact :class:`fractions.Fraction`; only :meth:`describe` rounds,
for people.

A share is out of those who answered the question (a skipped optional question does not dilute
it); for a multiple choice the shares of the options add up to more than one, as each
respondent may pick several. A response rate is the parties who responded out of the parties
asked; a party answering for units in two buildings counts in both buildings' rates.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs

from propcrm._i18n import (
    DEFAULT_LOCALE,
    LocaleLike,
    check_locale,
    gettext,
    ngettext,
    percent_text,
    pgettext,
)
from propcrm.questionnaires._questions import (
    ChoiceAnswer,
    FreeText,
    MultipleChoice,
    Scale,
    ScaleAnswer,
    SingleChoice,
    TextAnswer,
)
from propcrm.questionnaires._surveys import Response, Survey, check_survey

__all__ = [
    "ChoiceResult",
    "OptionCount",
    "QuestionResult",
    "ResponseRate",
    "ScalePoint",
    "ScaleResult",
    "SurveyResults",
    "TextResult",
    "WrittenAnswer",
    "results",
]


def _percent(share: Fraction | None, locale: LocaleLike) -> str:
    return percent_text(share, places=1, locale=locale)


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


@attrs.frozen
class OptionCount:
    """How many respondents picked one option, and their share of those who answered."""

    code: str
    label: str
    count: int
    share: Fraction | None

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'满意: 12 (40.0%)'``."""
        return gettext(
            "%(label)s: %(count)d (%(percent)s)",
            locale=locale,
            label=self.label,
            count=self.count,
            percent=_percent(self.share, locale),
        )


def _answered_line(question_id: str, text: str, answered: int, skipped: int, locale: str) -> str:
    return gettext(
        "%(id)s %(text)s: %(answered)d answered, %(skipped)d skipped",
        locale=locale,
        id=question_id,
        text=text,
        answered=answered,
        skipped=skipped,
    )


@attrs.frozen
class ChoiceResult:
    """A choice question's counts per option, in the question's order."""

    question_id: str
    text: str
    answered: int
    skipped: int
    options: tuple[OptionCount, ...]

    def option(self, code: str) -> OptionCount:
        """The count of option ``code`` (``KeyError`` if the question has none)."""
        for option in self.options:
            if option.code == code:
                return option
        raise KeyError(code)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """A line for the question, then one per option."""
        name = check_locale(locale)
        head = _answered_line(self.question_id, self.text, self.answered, self.skipped, name)
        return "\n".join([head, *(f"  {o.describe(name)}" for o in self.options)])


@attrs.frozen
class ScalePoint:
    """How many respondents chose one point of a scale, and their share."""

    value: int
    count: int
    share: Fraction | None


@attrs.frozen
class ScaleResult:
    """A scale question's mean (exact; ``None`` if nobody answered) and distribution."""

    question_id: str
    text: str
    answered: int
    skipped: int
    mean: Fraction | None
    distribution: tuple[ScalePoint, ...]

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """A line for the question with the mean, then the distribution."""
        name = check_locale(locale)
        head = _answered_line(self.question_id, self.text, self.answered, self.skipped, name)
        mean = "-"
        if self.mean is not None:
            exact = Decimal(self.mean.numerator) / Decimal(self.mean.denominator)
            mean = str(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))
        separator = pgettext("list separator", ", ", locale=name)
        spread = separator.join(
            f"{p.value}: {p.count}" for p in self.distribution if p.count or self.answered == 0
        )
        line = gettext("mean %(mean)s; %(spread)s", locale=name, mean=mean, spread=spread)
        return f"{head}\n  {line}"


@attrs.frozen
class WrittenAnswer:
    """One free-text answer, with the response and party it came from."""

    response_id: str
    party_id: str
    text: str


@attrs.frozen
class TextResult:
    """A free-text question's answers, oldest first."""

    question_id: str
    text: str
    answered: int
    skipped: int
    answers: tuple[WrittenAnswer, ...]

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """A line for the question, then each answer."""
        name = check_locale(locale)
        head = _answered_line(self.question_id, self.text, self.answered, self.skipped, name)
        return "\n".join([head, *(f"  {a.party_id}: {a.text}" for a in self.answers)])


QuestionResult = ChoiceResult | ScaleResult | TextResult
"""The result of any question."""


@attrs.frozen
class ResponseRate:
    """Parties who responded out of those asked: the whole audience, or one ``building``."""

    building: str | None
    audience: int
    responded: int
    rate: Fraction | None

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'response rate: 12 of 30 (40.0%)'``, or the same for one building."""
        if self.building is None:
            return gettext(
                "response rate: %(part)d of %(whole)d (%(percent)s)",
                locale=locale,
                part=self.responded,
                whole=self.audience,
                percent=_percent(self.rate, locale),
            )
        return gettext(
            "building %(building)s: %(part)d of %(whole)d (%(percent)s)",
            locale=locale,
            building=self.building,
            part=self.responded,
            whole=self.audience,
            percent=_percent(self.rate, locale),
        )


@attrs.frozen
class SurveyResults:
    """Everything a survey gave: counted responses, response rates, a result per question."""

    survey_id: str
    questionnaire_id: str
    version: int
    responses: int
    rate: ResponseRate
    by_building: tuple[ResponseRate, ...]
    questions: tuple[QuestionResult, ...]

    def question(self, question_id: str) -> QuestionResult:
        """The result of ``question_id`` (``KeyError`` if the questionnaire has none)."""
        for result in self.questions:
            if result.question_id == question_id:
                return result
        raise KeyError(question_id)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The survey, its response rates, then every question's result."""
        name = check_locale(locale)
        head = ngettext(
            "Survey %(survey)s (%(id)s, version %(version)d): %(num)d response counted",
            "Survey %(survey)s (%(id)s, version %(version)d): %(num)d responses counted",
            self.responses,
            locale=name,
            survey=self.survey_id,
            id=self.questionnaire_id,
            version=self.version,
        )
        lines = [head, self.rate.describe(name)]
        lines += [f"  {rate.describe(name)}" for rate in self.by_building]
        lines += [result.describe(name) for result in self.questions]
        return "\n".join(lines)


def _result(
    question: SingleChoice | MultipleChoice | Scale | FreeText, counted: tuple[Response, ...]
) -> QuestionResult:
    qid = question.question_id
    given = [(r, r.answer(qid)) for r in counted]
    answered = [(r, a) for r, a in given if a is not None]
    n, skipped = len(answered), len(given) - len(answered)
    if isinstance(question, SingleChoice | MultipleChoice):
        picks = Counter(p for _, a in answered if isinstance(a, ChoiceAnswer) for p in a.picks)
        options = tuple(
            OptionCount(o.code, o.label, picks[o.code], _share(picks[o.code], n))
            for o in question.options
        )
        return ChoiceResult(qid, question.text, n, skipped, options)
    if isinstance(question, Scale):
        values = [a.value for _, a in answered if isinstance(a, ScaleAnswer)]
        counts = Counter(values)
        points = tuple(ScalePoint(v, counts[v], _share(counts[v], n)) for v in question.points)
        mean = Fraction(sum(values), n) if n else None
        return ScaleResult(qid, question.text, n, skipped, mean, points)
    written = tuple(
        WrittenAnswer(r.response_id, r.party_id, a.text)
        for r, a in answered
        if isinstance(a, TextAnswer)
    )
    return TextResult(qid, question.text, n, skipped, written)


def results(survey: Survey) -> SurveyResults:
    """The results of ``survey``: every question of its version, and its response rates.

    >>> from propcrm.questionnaires import example_survey
    >>> print(results(example_survey()).describe("en_US"))  # doctest: +ELLIPSIS
    Survey LIFT-2026Q1 (Q-LIFT, version 1): 3 responses counted
    response rate: 3 of 4 (75.0%)
      building 1: 2 of 2 (100.0%)
      building 2: 1 of 2 (50.0%)
    Q1 电梯运行是否平稳？: 3 answered, 0 skipped
      mean 3.67; 3: 1, 4: 2
    ...
    """
    check_survey(survey)
    counted = survey.counted()
    responded = survey.responded()
    audience = survey.audience
    rate = ResponseRate(
        None,
        len(audience),
        len(responded),
        _share(len(responded), len(audience)),
    )
    asked: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for member in audience.members:
        for building in member.buildings:
            asked[building] += 1
            if member.party_id in responded:
                answered[building] += 1
    by_building = tuple(
        ResponseRate(b, asked[b], answered[b], _share(answered[b], asked[b])) for b in sorted(asked)
    )
    questionnaire = survey.questionnaire
    return SurveyResults(
        survey.survey_id,
        questionnaire.questionnaire_id,
        questionnaire.version,
        len(counted),
        rate,
        by_building,
        tuple(_result(q, counted) for q in questionnaire.questions),
    )
