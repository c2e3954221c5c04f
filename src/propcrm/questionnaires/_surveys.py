"""A survey: a published questionnaire put to an audience over a window, and its responses.

A :class:`Survey` holds one questionnaire version, its :class:`SurveyAudience`, the instants
it opens and closes, its :class:`ResponsePolicy` and the :class:`Response` values received.
Building one, or adding a response, refuses what the rules refuse, each with its own error:

* a response after the close instant: :class:`~propcrm.errors.LateResponse`;
* a party's response beyond ``policy.per_party`` (one by default), or a response id used
  twice: :class:`~propcrm.errors.DuplicateResponse`;
* a response before the opening, from a party outside the audience, or for another
  questionnaire or version: :class:`~propcrm.errors.ResponseRefused`;
* an answer for no question of the version, outside its question's options or scale, or a
  required question left out: :class:`~propcrm.errors.InvalidAnswer`, naming the question.

When the policy allows a party several responses, ``policy.counting`` says which count in the
results: the latest (a party who changes their mind) or all of them (a feedback form).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

import attrs
import pendulum

from propcrm._validators import check_instance, check_int, check_items, check_record_id, instance_of
from propcrm.errors import (
    DuplicateResponse,
    InvalidAnswer,
    InvalidQuestionnaire,
    LateResponse,
    ResponseRefused,
)
from propcrm.questionnaires._audience import SurveyAudience
from propcrm.questionnaires._questionnaires import Questionnaire
from propcrm.questionnaires._questions import ANSWER_TYPES, Answer
from propcrm.time import aware

__all__ = ["DEFAULT_RESPONSE_POLICY", "Counting", "Response", "ResponsePolicy", "Survey"]

MAX_PER_PARTY = 100
"""The most responses a policy may allow one party."""


class Counting(enum.Enum):
    """Which of a party's responses the results count, when the policy allows several."""

    LATEST = "latest"
    """The latest only (by submission instant): a party may correct their answers."""
    ALL = "all"
    """Every response: each is a separate piece of feedback."""


@attrs.frozen
class ResponsePolicy:
    """How many responses a party may give (``per_party``) and which of them count."""

    per_party: int = attrs.field(default=1)
    counting: Counting = attrs.field(default=Counting.LATEST, validator=instance_of(Counting))

    @per_party.validator
    def _check_per_party(self, attribute: attrs.Attribute[int], value: object) -> None:
        check_int(value, attribute.name, InvalidQuestionnaire, minimum=1, maximum=MAX_PER_PARTY)


DEFAULT_RESPONSE_POLICY = ResponsePolicy()
"""One response per party per survey (the issue's default)."""


def _id(what: str) -> Callable[[object, attrs.Attribute[str], object], None]:
    def check(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
        check_record_id(value, what, ResponseRefused, field=attribute.name)

    return check


def _submitted_at(value: object) -> pendulum.DateTime:
    return aware(value, field="submitted_at")  # type: ignore[arg-type]


def _answers(value: Iterable[Answer]) -> tuple[Answer, ...]:
    return check_items(value, "answers", *ANSWER_TYPES, error=InvalidAnswer)


@attrs.frozen
class Response:
    """One party's answers to one version of a questionnaire, submitted at an instant."""

    response_id: str = attrs.field(validator=_id("response id"))
    questionnaire_id: str = attrs.field(validator=_id("questionnaire id"))
    version: int = attrs.field()
    party_id: str = attrs.field(validator=_id("party id"))
    submitted_at: pendulum.DateTime = attrs.field(converter=_submitted_at)
    answers: tuple[Answer, ...] = attrs.field(converter=_answers)

    @version.validator
    def _check_version(self, attribute: attrs.Attribute[int], value: object) -> None:
        check_int(value, attribute.name, ResponseRefused, minimum=1)

    def answer(self, question_id: str) -> Answer | None:
        """The answer to ``question_id``, or ``None`` if it was left out."""
        return next((a for a in self.answers if a.question_id == question_id), None)


def _responses(value: Iterable[Response]) -> tuple[Response, ...]:
    return check_items(value, "responses", Response, error=ResponseRefused)


def _check_responses(survey: Survey) -> None:
    questionnaire, audience = survey.questionnaire, survey.audience
    members = frozenset(audience.party_ids)
    opens, closes = survey.opens_at, survey.closes_at
    ids: set[str] = set()
    per_party: dict[str, int] = {}
    for response in survey.responses:
        rid = response.response_id
        if rid in ids:
            raise DuplicateResponse(
                f"response id {rid} is in the survey already.",
                field="response_id",
                value=rid,
                allowed="a response id not used yet",
            )
        ids.add(rid)
        key = (response.questionnaire_id, response.version)
        if key != (questionnaire.questionnaire_id, questionnaire.version):
            raise ResponseRefused(
                f"response {rid} answers {key[0]} version {key[1]}, but survey "
                f"{survey.survey_id} puts {questionnaire.questionnaire_id} version "
                f"{questionnaire.version}.",
                field="version" if key[0] == questionnaire.questionnaire_id else "questionnaire_id",
                value=key,
                allowed=f"{questionnaire.questionnaire_id} version {questionnaire.version}",
                response_id=rid,
            )
        if response.submitted_at > closes:
            raise LateResponse(
                f"response {rid} was submitted at {response.submitted_at.isoformat()}, after "
                f"survey {survey.survey_id} closed at {closes.isoformat()}.",
                field="submitted_at",
                value=response.submitted_at,
                allowed=f"{opens.isoformat()} to {closes.isoformat()}",
                response_id=rid,
            )
        if response.submitted_at < opens:
            raise ResponseRefused(
                f"response {rid} was submitted at {response.submitted_at.isoformat()}, before "
                f"survey {survey.survey_id} opened at {opens.isoformat()}.",
                field="submitted_at",
                value=response.submitted_at,
                allowed=f"{opens.isoformat()} to {closes.isoformat()}",
                response_id=rid,
            )
        party = response.party_id
        if party not in members:
            raise ResponseRefused(
                f"response {rid}: {party} is not in the audience of survey {survey.survey_id}.",
                field="party_id",
                value=party,
                allowed="a party of the survey's audience",
                response_id=rid,
            )
        count = per_party.get(party, 0) + 1
        if count > survey.policy.per_party:
            raise DuplicateResponse(
                f"response {rid}: {party} has responded to survey {survey.survey_id} "
                f"{count - 1} time(s) already; the policy allows {survey.policy.per_party}.",
                field="party_id",
                value=party,
                allowed=f"at most {survey.policy.per_party} response(s) per party",
                response_id=rid,
            )
        per_party[party] = count
        questionnaire.check_answers(response.answers)


def _opens_at(value: object) -> pendulum.DateTime:
    return aware(value, field="opens_at")  # type: ignore[arg-type]


def _closes_at(value: object) -> pendulum.DateTime:
    return aware(value, field="closes_at")  # type: ignore[arg-type]


@attrs.frozen
class Survey:
    """A published questionnaire put to ``audience`` from ``opens_at`` to ``closes_at``."""

    survey_id: str = attrs.field()
    questionnaire: Questionnaire = attrs.field(validator=instance_of(Questionnaire))
    audience: SurveyAudience = attrs.field(validator=instance_of(SurveyAudience))
    opens_at: pendulum.DateTime = attrs.field(converter=_opens_at)
    closes_at: pendulum.DateTime = attrs.field(converter=_closes_at)
    responses: tuple[Response, ...] = attrs.field(default=(), converter=_responses)
    policy: ResponsePolicy = attrs.field(
        default=DEFAULT_RESPONSE_POLICY, kw_only=True, validator=instance_of(ResponsePolicy)
    )

    @survey_id.validator
    def _check_id(self, _attribute: attrs.Attribute[str], value: object) -> None:
        check_record_id(value, "survey id", InvalidQuestionnaire)

    def __attrs_post_init__(self) -> None:
        questionnaire = self.questionnaire
        if not questionnaire.published:
            raise InvalidQuestionnaire(
                f"questionnaire {questionnaire.questionnaire_id} version {questionnaire.version} "
                "is a draft; publish it before putting it to an audience.",
                field="questionnaire",
                value=questionnaire.questionnaire_id,
                allowed="a published questionnaire",
            )
        if self.closes_at <= self.opens_at:
            raise InvalidQuestionnaire(
                f"survey {self.survey_id} closes at {self.closes_at.isoformat()}, not after it "
                f"opens at {self.opens_at.isoformat()}.",
                field="closes_at",
                value=self.closes_at,
                allowed=f"an instant after {self.opens_at.isoformat()}",
            )
        _check_responses(self)

    def respond(self, *responses: Response) -> Survey:
        """This survey with ``responses`` added, each checked (late, duplicate, answers)."""
        return attrs.evolve(self, responses=(*self.responses, *_responses(responses)))

    def counted(self) -> tuple[Response, ...]:
        """The responses the results count under the policy, oldest first."""
        ordered = sorted(self.responses, key=lambda r: (r.submitted_at, r.response_id))
        if self.policy.counting is Counting.ALL:
            return tuple(ordered)
        latest = {r.party_id: r for r in ordered}
        return tuple(r for r in ordered if latest[r.party_id] is r)

    def responded(self) -> frozenset[str]:
        """The parties who responded at least once."""
        return frozenset(r.party_id for r in self.responses)

    def response_of(self, party_id: str) -> Response | None:
        """``party_id``'s counted (latest) response, or ``None``."""
        check_record_id(party_id, "party id", ResponseRefused)
        found = [r for r in self.counted() if r.party_id == party_id]
        return found[-1] if found else None


def check_survey(value: object, field: str = "survey") -> Survey:
    """``value`` if it is a :class:`Survey`, else :class:`~propcrm.errors.InvalidType`."""
    survey: Survey = check_instance(value, field, Survey)
    return survey
