"""Questions and the answers they take: single and multiple choice, scales, free text.

Each question has an id (unique in its questionnaire), the text put to the respondent and
whether it must be answered. :meth:`check` holds an answer against the question and refuses it
with :class:`~propcrm.errors.InvalidAnswer` naming the question (``question_id`` in the error's
context), so a form can point at the field to correct.

>>> q = SingleChoice(
...     "Q1",
...     "您对电梯维保满意吗？",
...     [Option("yes", "满意"), Option("no", "不满意")],
... )
>>> q.check(ChoiceAnswer("Q1", ["yes"]))
>>> q.check(ChoiceAnswer("Q1", ["maybe"]))
Traceback (most recent call last):
...
propcrm.errors.InvalidAnswer: question Q1: 'maybe' is not one of its options (yes, no).
>>> Scale("Q2", "服务打分", 0, 10, low_label="很差", high_label="很好").describe("en_US")
'Q2 (scale 0-10, required): 服务打分'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import check_int, check_items, check_record_id, check_text, check_unique
from propcrm.errors import InvalidAnswer, InvalidQuestionnaire

__all__ = [
    "Answer",
    "ChoiceAnswer",
    "FreeText",
    "MultipleChoice",
    "Option",
    "Question",
    "Scale",
    "ScaleAnswer",
    "SingleChoice",
    "TextAnswer",
]

MAX_QUESTION_TEXT = 500
"""Longest question text: a question, not a letter."""

MAX_SCALE = 100
"""The highest point any scale may have (the analytics' own bound: no survey scale goes beyond
0-100, so a larger one is a mistake)."""

MAX_FREE_TEXT = 10_000
"""The most characters a free-text question may allow."""


def _id(what: str, error: type[InvalidQuestionnaire] | type[InvalidAnswer]) -> Callable[..., None]:
    def check(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
        check_record_id(value, what, error, field=attribute.name)

    return check


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(
        value,
        attribute.name,
        InvalidQuestionnaire,
        max_length=MAX_QUESTION_TEXT,
        example="'您对本季度的物业服务满意吗？'",
    )


def _optional_label(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value is not None:
        check_text(value, attribute.name, InvalidQuestionnaire, max_length=100, example="'很差'")


def _required(_instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidQuestionnaire(
            f"{attribute.name} must be True or False, got {type(value).__name__} {value!r}.",
            field=attribute.name,
            value=value,
            allowed="a bool",
        )


def _required_text(required: bool, locale: LocaleLike) -> str:
    if required:
        return pgettext("question", "required", locale=locale)
    return pgettext("question", "optional", locale=locale)


@attrs.frozen
class Option:
    """One option of a choice question: a stable ``code`` (stored in answers) and its label."""

    code: str = attrs.field(validator=_id("option code", InvalidQuestionnaire))
    label: str = attrs.field()

    @label.validator
    def _check_label(self, attribute: attrs.Attribute[str], value: object) -> None:
        check_text(value, attribute.name, InvalidQuestionnaire, max_length=200, example="'满意'")


def _options(value: Iterable[Option]) -> tuple[Option, ...]:
    options: tuple[Option, ...] = check_items(value, "options", Option, error=InvalidQuestionnaire)
    if len(options) < 2:
        raise InvalidQuestionnaire(
            f"a choice question needs two options at least, got {len(options)}.",
            field="options",
            value=options,
            allowed="two options or more",
        )
    check_unique((o.code for o in options), "options", InvalidQuestionnaire, what="option code")
    return options


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    codes: tuple[str, ...] = check_items(value, "picks", str, error=InvalidAnswer)
    if not codes:
        # Skipping a question is leaving its answer out; an answer picks something.
        raise InvalidAnswer(
            "picks must name one option at least; leave the answer out to skip the question.",
            field="picks",
            value=codes,
            allowed="one option code or more",
        )
    for code in codes:
        check_record_id(code, "option code", InvalidAnswer, field="picks")
    check_unique(codes, "picks", InvalidAnswer, what="option code")
    return codes


@attrs.frozen
class ChoiceAnswer:
    """The option codes picked for a choice question (one for a single choice)."""

    question_id: str = attrs.field(validator=_id("question id", InvalidAnswer))
    picks: tuple[str, ...] = attrs.field(converter=_codes)


@attrs.frozen
class ScaleAnswer:
    """The point chosen on a scale question."""

    question_id: str = attrs.field(validator=_id("question id", InvalidAnswer))
    value: int = attrs.field()

    @value.validator
    def _check_value(self, attribute: attrs.Attribute[int], value: object) -> None:
        check_int(value, attribute.name, InvalidAnswer, minimum=0, maximum=MAX_SCALE)


@attrs.frozen
class TextAnswer:
    """What the respondent wrote for a free-text question."""

    question_id: str = attrs.field(validator=_id("question id", InvalidAnswer))
    text: str = attrs.field()

    @text.validator
    def _check_text(self, attribute: attrs.Attribute[str], value: object) -> None:
        check_text(value, attribute.name, InvalidAnswer, max_length=MAX_FREE_TEXT)


Answer = ChoiceAnswer | ScaleAnswer | TextAnswer
"""Any answer: choice, scale or free text."""


def _wrong_kind(question_id: str, answer: object, expected: type) -> InvalidAnswer:
    return InvalidAnswer(
        f"question {question_id} takes a {expected.__name__}, got {type(answer).__name__}.",
        field="answers",
        value=answer,
        allowed=expected.__name__,
        question_id=question_id,
    )


def _check_picks(question_id: str, options: tuple[Option, ...], picks: tuple[str, ...]) -> None:
    codes = [o.code for o in options]
    for pick in picks:
        if pick not in codes:
            raise InvalidAnswer(
                f"question {question_id}: {pick!r} is not one of its options ({', '.join(codes)}).",
                field="picks",
                value=pick,
                allowed=", ".join(codes),
                question_id=question_id,
            )


@attrs.frozen
class SingleChoice:
    """A question answered by picking exactly one of its options."""

    question_id: str = attrs.field(validator=_id("question id", InvalidQuestionnaire))
    text: str = attrs.field(validator=_text)
    options: tuple[Option, ...] = attrs.field(converter=_options)
    required: bool = attrs.field(default=True, kw_only=True, validator=_required)

    def check(self, answer: Answer) -> None:
        """Refuse ``answer`` unless it picks exactly one of the options."""
        if not isinstance(answer, ChoiceAnswer):
            raise _wrong_kind(self.question_id, answer, ChoiceAnswer)
        if len(answer.picks) != 1:
            raise InvalidAnswer(
                f"question {self.question_id} takes one pick, got {len(answer.picks)}.",
                field="picks",
                value=answer.picks,
                allowed="one option code",
                question_id=self.question_id,
            )
        _check_picks(self.question_id, self.options, answer.picks)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'Q1 (single choice, required): …'``."""
        return gettext(
            "%(id)s (single choice, %(required)s): %(text)s",
            locale=locale,
            id=self.question_id,
            required=_required_text(self.required, locale),
            text=self.text,
        )


@attrs.frozen
class MultipleChoice:
    """A question answered by picking ``min_picks`` to ``max_picks`` of its options.

    ``max_picks`` ``None`` allows every option.
    """

    question_id: str = attrs.field(validator=_id("question id", InvalidQuestionnaire))
    text: str = attrs.field(validator=_text)
    options: tuple[Option, ...] = attrs.field(converter=_options)
    min_picks: int = attrs.field(default=1, kw_only=True)
    max_picks: int | None = attrs.field(default=None, kw_only=True)
    required: bool = attrs.field(default=True, kw_only=True, validator=_required)

    def __attrs_post_init__(self) -> None:
        n = len(self.options)
        check_int(self.min_picks, "min_picks", InvalidQuestionnaire, minimum=1, maximum=n)
        if self.max_picks is not None:
            check_int(
                self.max_picks, "max_picks", InvalidQuestionnaire, minimum=self.min_picks, maximum=n
            )

    @property
    def most_picks(self) -> int:
        """The most options an answer may pick."""
        return len(self.options) if self.max_picks is None else self.max_picks

    def check(self, answer: Answer) -> None:
        """Refuse ``answer`` unless it picks between ``min_picks`` and ``max_picks`` options."""
        if not isinstance(answer, ChoiceAnswer):
            raise _wrong_kind(self.question_id, answer, ChoiceAnswer)
        n = len(answer.picks)
        if not self.min_picks <= n <= self.most_picks:
            raise InvalidAnswer(
                f"question {self.question_id} takes {self.min_picks} to {self.most_picks} picks, "
                f"got {n}.",
                field="picks",
                value=answer.picks,
                allowed=f"{self.min_picks} to {self.most_picks} option codes",
                question_id=self.question_id,
            )
        _check_picks(self.question_id, self.options, answer.picks)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'Q2 (multiple choice, 1-3 picks, optional): …'``."""
        return gettext(
            "%(id)s (multiple choice, %(low)d-%(high)d picks, %(required)s): %(text)s",
            locale=locale,
            id=self.question_id,
            low=self.min_picks,
            high=self.most_picks,
            required=_required_text(self.required, locale),
            text=self.text,
        )


@attrs.frozen
class Scale:
    """A question answered with a whole number from ``low`` to ``high`` (1-5, 0-10 …).

    ``low_label`` and ``high_label`` name the ends (``'非常不满意'`` … ``'非常满意'``).
    """

    question_id: str = attrs.field(validator=_id("question id", InvalidQuestionnaire))
    text: str = attrs.field(validator=_text)
    low: int = attrs.field(default=1)
    high: int = attrs.field(default=5)
    low_label: str | None = attrs.field(default=None, kw_only=True, validator=_optional_label)
    high_label: str | None = attrs.field(default=None, kw_only=True, validator=_optional_label)
    required: bool = attrs.field(default=True, kw_only=True, validator=_required)

    def __attrs_post_init__(self) -> None:
        check_int(self.low, "low", InvalidQuestionnaire, minimum=0, maximum=MAX_SCALE - 1)
        check_int(self.high, "high", InvalidQuestionnaire, minimum=self.low + 1, maximum=MAX_SCALE)

    @property
    def points(self) -> range:
        """Every answer the scale allows, lowest first."""
        return range(self.low, self.high + 1)

    def check(self, answer: Answer) -> None:
        """Refuse ``answer`` unless it is a point of the scale."""
        if not isinstance(answer, ScaleAnswer):
            raise _wrong_kind(self.question_id, answer, ScaleAnswer)
        if not self.low <= answer.value <= self.high:
            raise InvalidAnswer(
                f"question {self.question_id}: {answer.value} is outside its scale "
                f"{self.low}-{self.high}.",
                field="value",
                value=answer.value,
                allowed=f"{self.low} to {self.high}",
                question_id=self.question_id,
            )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'Q3 (scale 1-5, required): …'``."""
        return gettext(
            "%(id)s (scale %(low)d-%(high)d, %(required)s): %(text)s",
            locale=locale,
            id=self.question_id,
            low=self.low,
            high=self.high,
            required=_required_text(self.required, locale),
            text=self.text,
        )


@attrs.frozen
class FreeText:
    """A question answered in the respondent's own words, up to ``max_length`` characters."""

    question_id: str = attrs.field(validator=_id("question id", InvalidQuestionnaire))
    text: str = attrs.field(validator=_text)
    max_length: int = attrs.field(default=500, kw_only=True)
    required: bool = attrs.field(default=False, kw_only=True, validator=_required)

    def __attrs_post_init__(self) -> None:
        check_int(
            self.max_length, "max_length", InvalidQuestionnaire, minimum=1, maximum=MAX_FREE_TEXT
        )

    def check(self, answer: Answer) -> None:
        """Refuse ``answer`` unless it is text of at most ``max_length`` characters."""
        if not isinstance(answer, TextAnswer):
            raise _wrong_kind(self.question_id, answer, TextAnswer)
        if len(answer.text) > self.max_length:
            raise InvalidAnswer(
                f"question {self.question_id} takes {self.max_length} characters at most, got "
                f"{len(answer.text)}.",
                field="text",
                value=answer.text,
                allowed=f"text of at most {self.max_length} characters",
                question_id=self.question_id,
            )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'Q4 (free text, optional): …'``."""
        return gettext(
            "%(id)s (free text, %(required)s): %(text)s",
            locale=locale,
            id=self.question_id,
            required=_required_text(self.required, locale),
            text=self.text,
        )


Question = SingleChoice | MultipleChoice | Scale | FreeText
"""Any question: single or multiple choice, scale or free text."""

QUESTION_TYPES = (SingleChoice, MultipleChoice, Scale, FreeText)
ANSWER_TYPES = (ChoiceAnswer, ScaleAnswer, TextAnswer)
