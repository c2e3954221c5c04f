r"""Customer satisfaction: quarterly survey rounds, CSAT, NPS and the ten service-quality gaps.

The brief (§4): a satisfaction survey every quarter, and staff performance assessed on customer
satisfaction; (§3): customers judge service quality on ten criteria. A :class:`SurveyRound`
holds one quarter's :class:`SurveyResponse` values; :func:`summarise` aggregates a round for the
whole community, per team or per staff member, into :class:`SatisfactionSummary` values
(:func:`quarterly` does it for several rounds, oldest first):

- **CSAT** (1-5): the share of responses scoring 4 or 5, as a percentage, with a Wilson score
  interval;
- **NPS** (0-10): % promoters (9-10) - % detractors (0-6), from -100 to 100, with a Wald
  interval on the mean of the per-response scores +1 / 0 / -1;
- **service-quality gaps** (SERVQUAL): for each of the ten criteria, mean perception minus mean
  expectation on a 1-7 scale; negative means the service falls short of what was expected.

Every figure is computed exactly (:class:`fractions.Fraction`) and rounded once, at the end:
scores to :attr:`SurveyPolicy.percent_places` places with :attr:`SurveyPolicy.rounding`
(half-even by default), interval bounds outwards (lower bound down, upper bound up, so the
printed interval always contains the computed one). A group with fewer responses than
:attr:`SurveyPolicy.min_responses` (30 by default) is flagged ``low_sample``: the figures are
still given, but should not be used to judge a team or a person.

>>> q1 = BillingPeriod.quarter(2026, 1)
>>> at = pendulum.datetime(2026, 2, 1, 10, tz="Asia/Shanghai")
>>> answers = [(5, 10), (4, 9), (4, 8), (3, 7), (2, 3)]
>>> survey = SurveyRound(
...     q1,
...     tuple(
...         SurveyResponse(f"R{i}", at, team="客服一组", csat=c, nps=n)
...         for i, (c, n) in enumerate(answers)
...     ),
... )
>>> summary = summarise(survey)[0]
>>> summary.csat.score, summary.nps.score, summary.low_sample
(Decimal('60.0'), Decimal('20.0'), True)
>>> summary.csat.interval  # doctest: +NORMALIZE_WHITESPACE
ConfidenceInterval(low=Decimal('23.0'), high=Decimal('88.3'), method=IntervalMethod.WILSON,
                   z=Decimal('1.96'))
>>> summary.csat.interval.describe("en_US")
'Wilson score interval, z = 1.96'
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, pgettext
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_text,
    check_unique,
    in_field,
    instance_of,
)
from propcrm.errors import InvalidPolicy, InvalidSurveyResponse
from propcrm.money import RoundingMode
from propcrm.time import (
    DEFAULT_ZONE,
    BillingPeriod,
    PeriodKind,
    aware,
    local_date,
    zone,
)

__all__ = [
    "CSAT_SCALE",
    "DEFAULT_CSAT_SATISFIED_FROM",
    "DEFAULT_MIN_RESPONSES",
    "DEFAULT_NPS_DETRACTORS_UP_TO",
    "DEFAULT_NPS_PROMOTERS_FROM",
    "DEFAULT_SURVEY_POLICY",
    "DEFAULT_Z",
    "MAX_SCALE",
    "MAX_Z",
    "NPS_SCALE",
    "SERVQUAL_SCALE",
    "ConfidenceInterval",
    "CriterionGap",
    "CriterionScore",
    "CsatResult",
    "IntervalMethod",
    "NpsResult",
    "SatisfactionSummary",
    "ServiceCriterion",
    "SurveyGrouping",
    "SurveyPolicy",
    "SurveyResponse",
    "SurveyRound",
    "csat",
    "nps",
    "quarterly",
    "summarise",
]

CSAT_SCALE = (1, 5)
"""The CSAT question's scale (the issue: CSAT 1-5)."""

NPS_SCALE = (0, 10)
"""The "would you recommend us" question's scale (the issue: NPS 0-10)."""

SERVQUAL_SCALE = (1, 7)
"""Expectation and perception scale of each service-quality criterion (SERVQUAL's 7 points)."""

DEFAULT_CSAT_SATISFIED_FROM = 4
"""Lowest CSAT score counted as satisfied (the issue: CSAT = share of 4 and 5)."""

DEFAULT_NPS_PROMOTERS_FROM = 9
"""Lowest NPS answer counted as a promoter (9-10)."""

DEFAULT_NPS_DETRACTORS_UP_TO = 6
"""Highest NPS answer counted as a detractor (0-6)."""

DEFAULT_MIN_RESPONSES = 30
"""Fewest responses a group needs before its figures are used to judge it (flag, not error)."""

_T = TypeVar("_T")

DEFAULT_Z = Decimal("1.96")
"""Normal quantile for the intervals: 1.96 gives 95 % confidence."""

MAX_Z = Decimal(6)
"""The largest ``z`` a policy accepts: 6 is 99.9999998 % confidence; anything above is a typing
mistake (a percentage such as 95 typed for a quantile), not a confidence level."""

MAX_SCALE = 100
"""The highest answer any survey scale may have; answers are never negative. Survey questions
are scored on short scales (1-5, 0-10, 1-7); a scale beyond 0-100 is a mistake, not a survey."""

# The most responses a group may need before it is judged: more than any community returns.
_MAX_MIN_RESPONSES = 1_000_000


class ServiceCriterion(enum.Enum):
    """The ten criteria customers judge service quality on (brief §3)."""

    TANGIBLES = "tangibles"
    RELIABILITY = "reliability"
    RESPONSIVENESS = "responsiveness"
    COMPETENCE = "competence"
    COURTESY = "courtesy"
    CREDIBILITY = "credibility"
    SECURITY = "security"
    ACCESS = "access"
    COMMUNICATION = "communication"
    UNDERSTANDING = "understanding"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The criterion's name for a survey report.

        >>> ServiceCriterion.RESPONSIVENESS.label(), ServiceCriterion.ACCESS.label("en_US")
        ('响应性', 'access')
        """
        # One literal per member, so that extraction finds every message.
        match self:
            case ServiceCriterion.TANGIBLES:
                return pgettext("service criterion", "tangibles", locale=locale)
            case ServiceCriterion.RELIABILITY:
                return pgettext("service criterion", "reliability", locale=locale)
            case ServiceCriterion.RESPONSIVENESS:
                return pgettext("service criterion", "responsiveness", locale=locale)
            case ServiceCriterion.COMPETENCE:
                return pgettext("service criterion", "competence", locale=locale)
            case ServiceCriterion.COURTESY:
                return pgettext("service criterion", "courtesy", locale=locale)
            case ServiceCriterion.CREDIBILITY:
                return pgettext("service criterion", "credibility", locale=locale)
            case ServiceCriterion.SECURITY:
                return pgettext("service criterion", "security", locale=locale)
            case ServiceCriterion.ACCESS:
                return pgettext("service criterion", "access", locale=locale)
            case ServiceCriterion.COMMUNICATION:
                return pgettext("service criterion", "communication", locale=locale)
            case ServiceCriterion.UNDERSTANDING:
                return pgettext("service criterion", "understanding the customer", locale=locale)


def _scale(
    _instance: object, attribute: attrs.Attribute[tuple[int, int]], value: tuple[int, int]
) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 0 <= value[0] < value[1] <= MAX_SCALE
    ):
        raise InvalidPolicy(
            f"{attribute.name} {value!r} must be a (lowest, highest) pair of ints from 0 to "
            f"{MAX_SCALE}, lowest below highest.",
            field=attribute.name,
            value=value,
            allowed=f"a (lowest, highest) pair of ints from 0 to {MAX_SCALE}, lowest below highest",
        )


def _places(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    check_int(value, attribute.name, InvalidPolicy, minimum=0, maximum=6)


def _threshold(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    check_int(value, attribute.name, InvalidPolicy)


@attrs.frozen
class SurveyPolicy:
    """Scales, thresholds, sample-size flag, confidence and rounding of the survey figures."""

    csat_scale: tuple[int, int] = attrs.field(default=CSAT_SCALE, validator=_scale)
    nps_scale: tuple[int, int] = attrs.field(default=NPS_SCALE, validator=_scale)
    servqual_scale: tuple[int, int] = attrs.field(default=SERVQUAL_SCALE, validator=_scale)
    csat_satisfied_from: int = attrs.field(
        default=DEFAULT_CSAT_SATISFIED_FROM, validator=_threshold
    )
    nps_promoters_from: int = attrs.field(default=DEFAULT_NPS_PROMOTERS_FROM, validator=_threshold)
    nps_detractors_up_to: int = attrs.field(
        default=DEFAULT_NPS_DETRACTORS_UP_TO, validator=_threshold
    )
    min_responses: int = attrs.field(
        default=DEFAULT_MIN_RESPONSES,
        validator=lambda _i, _a, v: check_int(
            v, "min_responses", InvalidPolicy, minimum=1, maximum=_MAX_MIN_RESPONSES
        ),
    )
    z: Decimal = DEFAULT_Z
    """Normal quantile of the intervals, above 0 and at most :data:`MAX_Z`."""
    percent_places: int = attrs.field(default=1, validator=_places)
    gap_places: int = attrs.field(default=2, validator=_places)
    rounding: RoundingMode = attrs.field(
        default=RoundingMode.HALF_EVEN, validator=instance_of(RoundingMode)
    )
    round_kind: PeriodKind = attrs.field(
        default=PeriodKind.QUARTER, validator=instance_of(PeriodKind)
    )
    """How often a round is run (brief §4: every quarter)."""

    def __attrs_post_init__(self) -> None:
        low, high = self.csat_scale
        if not low < self.csat_satisfied_from <= high:
            raise InvalidPolicy(
                f"csat_satisfied_from {self.csat_satisfied_from} must lie above {low} and at most "
                f"{high}, the CSAT scale.",
                field="csat_satisfied_from",
                value=self.csat_satisfied_from,
                allowed=f"above {low} and at most {high}",
            )
        low, high = self.nps_scale
        if not low <= self.nps_detractors_up_to < self.nps_promoters_from <= high:
            raise InvalidPolicy(
                f"NPS thresholds must satisfy {low} <= detractors up to "
                f"({self.nps_detractors_up_to}) < promoters from ({self.nps_promoters_from}) "
                f"<= {high}.",
                field="nps_promoters_from",
                value=(self.nps_detractors_up_to, self.nps_promoters_from),
                allowed=f"{low} <= detractors up to < promoters from <= {high}",
            )
        z = self.z
        if not isinstance(z, Decimal) or not z.is_finite() or not 0 < z <= MAX_Z:
            raise InvalidPolicy(
                f"z {z!r} must be a Decimal above 0 and at most {MAX_Z}, e.g. Decimal('1.96') "
                "for 95 % confidence.",
                field="z",
                value=z,
                allowed=f"a Decimal above 0 and at most {MAX_Z}",
            )


DEFAULT_SURVEY_POLICY = SurveyPolicy()
"""The brief's and the issue's definitions: CSAT 1-5 (4-5 satisfied), NPS 0-10, 1-7 gaps, 30."""


def _score(_instance: object, attribute: attrs.Attribute[_T], value: _T) -> None:
    # The policy's scale is checked when the response joins a round; no scale goes below 0
    # or above MAX_SCALE, so an answer outside those is refused at once.
    if value is not None:
        check_int(value, attribute.name, InvalidSurveyResponse, minimum=0, maximum=MAX_SCALE)


@attrs.frozen
class CriterionScore:
    """One criterion as the respondent expected it and as they perceived it."""

    criterion: ServiceCriterion = attrs.field(validator=instance_of(ServiceCriterion))
    expectation: int = attrs.field(validator=_score)
    perception: int = attrs.field(validator=_score)

    def __attrs_post_init__(self) -> None:
        if self.expectation is None or self.perception is None:
            raise InvalidSurveyResponse(
                f"{self.criterion.value}: a criterion score needs both an expectation and a "
                "perception.",
                field="expectation" if self.expectation is None else "perception",
                value=None,
                allowed=f"an int from 0 to {MAX_SCALE}",
            )

    @property
    def gap(self) -> int:
        """Perception minus expectation (negative: worse than expected)."""
        return self.perception - self.expectation


def _unique_criteria(
    _instance: object, _attribute: object, value: tuple[CriterionScore, ...]
) -> None:
    # A response scores each service-quality criterion at most once.
    check_unique(
        (score.criterion for score in value), "criteria", InvalidSurveyResponse, what="criterion"
    )


def _criteria(value: Iterable[CriterionScore]) -> tuple[CriterionScore, ...]:
    return check_items(value, "criteria", CriterionScore)


def _responses(value: Iterable[SurveyResponse]) -> tuple[SurveyResponse, ...]:
    return check_items(value, "responses", SurveyResponse)


def _optional_id(_instance: object, attribute: attrs.Attribute[_T], value: _T) -> None:
    if value is not None:
        check_record_id(value, attribute.name, InvalidSurveyResponse)


def _optional_name(_instance: object, attribute: attrs.Attribute[_T], value: _T) -> None:
    if value is not None:
        check_text(value, attribute.name, InvalidSurveyResponse, example="'客服一组'")


def _answered_at(value: object) -> pendulum.DateTime:
    return aware(value, field="answered_at")  # type: ignore[arg-type]


@attrs.frozen
class SurveyResponse:
    """One respondent's answers; any question may be left unanswered (``None`` / absent).

    ``team`` and ``staff`` say whose service the response judges; ``party_id`` (optional) links
    it to the respondent for follow-up, without holding any personal data itself.
    """

    response_id: str = attrs.field(
        validator=lambda _i, a, v: check_record_id(v, a.name, InvalidSurveyResponse)
    )
    answered_at: pendulum.DateTime = attrs.field(converter=_answered_at)
    team: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name)
    staff: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name)
    party_id: str | None = attrs.field(default=None, kw_only=True, validator=_optional_id)
    csat: int | None = attrs.field(default=None, kw_only=True, validator=_score)
    nps: int | None = attrs.field(default=None, kw_only=True, validator=_score)
    criteria: tuple[CriterionScore, ...] = attrs.field(
        default=(), kw_only=True, converter=_criteria, validator=_unique_criteria
    )


def _check_in_scale(value: int | None, scale: tuple[int, int], what: str, response_id: str) -> None:
    if value is not None and not scale[0] <= value <= scale[1]:
        raise InvalidSurveyResponse(
            f"response {response_id}: {what} {value} is outside the scale {scale[0]}-{scale[1]}.",
            field=what,
            value=value,
            allowed=f"{scale[0]} to {scale[1]}",
            response_id=response_id,
        )


def _zone(_instance: object, _attribute: object, value: object) -> None:
    allowed = "an IANA zone name such as 'Asia/Shanghai'"
    name = check_instance(value, "zone", str)
    with in_field("zone", value, allowed):
        zone(name)


def _check_round(instance: SurveyRound) -> None:
    policy, period = instance.policy, instance.quarter
    if period.kind is not policy.round_kind:
        raise InvalidSurveyResponse(
            f"a survey round covers one {policy.round_kind.name.lower()}, not a "
            f"{period.kind.name.lower()} like {period.code}.",
            field="quarter",
            value=period,
            allowed=f"a period of kind {policy.round_kind.name}",
        )
    check_unique(
        (response.response_id for response in instance.responses),
        "responses",
        InvalidSurveyResponse,
        what="response id",
    )
    for response in instance.responses:
        rid = response.response_id
        day = local_date(response.answered_at, instance.zone)
        if not period.contains(day):
            raise InvalidSurveyResponse(
                f"response {rid} was answered on {day.isoformat()}, outside round {period.code} "
                f"({period.start.isoformat()} to {period.end.isoformat()}).",
                field="answered_at",
                value=response.answered_at,
                allowed=f"{period.start.isoformat()} to {period.end.isoformat()}",
                response_id=rid,
            )
        _check_in_scale(response.csat, policy.csat_scale, "CSAT", rid)
        _check_in_scale(response.nps, policy.nps_scale, "NPS", rid)
        for score in response.criteria:
            name = score.criterion.value
            _check_in_scale(score.expectation, policy.servqual_scale, f"{name} expectation", rid)
            _check_in_scale(score.perception, policy.servqual_scale, f"{name} perception", rid)


@attrs.frozen
class SurveyRound:
    """One quarter's survey: its responses, checked against the policy's scales and the quarter.

    >>> SurveyRound(BillingPeriod.month(2026, 1))
    Traceback (most recent call last):
    ...
    propcrm.errors.InvalidSurveyResponse: a survey round covers one quarter, not a month like \
2026-01.
    """

    quarter: BillingPeriod = attrs.field(validator=instance_of(BillingPeriod))
    responses: tuple[SurveyResponse, ...] = attrs.field(default=(), converter=_responses)
    policy: SurveyPolicy = attrs.field(
        default=DEFAULT_SURVEY_POLICY, validator=instance_of(SurveyPolicy)
    )
    zone: str = attrs.field(default=DEFAULT_ZONE, validator=_zone)

    def __attrs_post_init__(self) -> None:
        _check_round(self)

    @classmethod
    def for_quarter(
        cls, year: int, quarter: int, *, policy: SurveyPolicy = DEFAULT_SURVEY_POLICY
    ) -> SurveyRound:
        """An empty round for ``quarter`` (1-4) of ``year``."""
        check_int(year, "year")
        check_int(quarter, "quarter")
        with in_field("quarter", (year, quarter), "a year from 1 to 9998 and a quarter 1 to 4"):
            period = BillingPeriod.quarter(year, quarter)
        return cls(period, (), policy)

    def with_response(self, response: SurveyResponse) -> SurveyRound:
        """This round with ``response`` added (refused if outside the quarter or a scale)."""
        check_instance(response, "response", SurveyResponse)
        return attrs.evolve(self, responses=(*self.responses, response))

    def next_round(self) -> SurveyRound:
        """An empty round for the following quarter, with the same policy and zone."""
        return SurveyRound(self.quarter.next(), (), self.policy, self.zone)


# -- exact rounding ---------------------------------------------------------------------------


def _round(value: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """``value`` rounded to ``places`` with ``mode``, exactly (no decimal context involved)."""
    scaled = value * 10**places
    floor = math.floor(scaled)
    rest = scaled - floor
    half = Fraction(1, 2)
    up: bool
    match mode:
        case RoundingMode.FLOOR:
            up = False
        case RoundingMode.CEILING:
            up = rest > 0
        case RoundingMode.DOWN:
            up = rest > 0 and scaled < 0
        case RoundingMode.UP:
            up = rest > 0 and scaled > 0
        case RoundingMode.HALF_UP:
            up = rest > half or (rest == half and scaled > 0)
        case RoundingMode.HALF_DOWN:
            up = rest > half or (rest == half and scaled < 0)
        case RoundingMode.HALF_EVEN:
            up = rest > half or (rest == half and floor % 2 == 1)
    units = floor + 1 if up else floor
    return Decimal(units).scaleb(-places) + 0  # + 0 turns -0 into 0


def _sqrt_above(value: Fraction, places: int) -> Fraction:
    """A number at least ``sqrt(value)`` and above it by less than 10**-(places + 6) / den."""
    scale = 10 ** (places + 6)
    numerator, denominator = value.numerator, value.denominator
    root = math.isqrt(numerator * denominator * scale * scale)
    if root * root == numerator * denominator * scale * scale:
        return Fraction(root, denominator * scale)
    return Fraction(root + 1, denominator * scale)


class IntervalMethod(enum.Enum):
    """How a confidence interval was computed; the value is a stable code, for storage.

    >>> IntervalMethod.WILSON.label("en_US"), IntervalMethod.WALD.label()
    ('Wilson score interval', '正态近似（Wald）区间，按+1/0/-1计分')
    """

    WILSON = "wilson"
    """The Wilson score interval (CSAT)."""
    WALD = "wald"
    """A Wald interval on the +1 / 0 / -1 scores (NPS)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The method's name for a survey report."""
        # One literal per member, so that extraction finds every message.
        match self:
            case IntervalMethod.WILSON:
                return pgettext("confidence interval", "Wilson score interval", locale=locale)
            case IntervalMethod.WALD:
                return pgettext(
                    "confidence interval", "Wald interval on +1/0/-1 scores", locale=locale
                )


@attrs.frozen
class ConfidenceInterval:
    """A confidence interval in the score's own units (percent, or NPS points).

    ``method`` and ``z`` say how it was computed, as data; :meth:`describe` says it in words.
    """

    low: Decimal
    high: Decimal
    method: IntervalMethod
    z: Decimal

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The method and its ``z``, for a survey report.

        >>> ConfidenceInterval(
        ...     Decimal(40), Decimal(80), IntervalMethod.WILSON, DEFAULT_Z
        ... ).describe()
        'Wilson得分区间，z = 1.96'
        """
        return gettext(
            "%(method)s, z = %(z)s", locale=locale, method=self.method.label(locale), z=self.z
        )


def _interval(
    centre: Fraction,
    half_width: Fraction,
    bounds: tuple[int, int],
    policy: SurveyPolicy,
    method: IntervalMethod,
) -> ConfidenceInterval:
    low = max(Fraction(bounds[0]), (centre - half_width) * 100)
    high = min(Fraction(bounds[1]), (centre + half_width) * 100)
    return ConfidenceInterval(
        _round(low, policy.percent_places, RoundingMode.FLOOR),
        _round(high, policy.percent_places, RoundingMode.CEILING),
        method,
        policy.z,
    )


# -- CSAT -------------------------------------------------------------------------------------


@attrs.frozen
class CsatResult:
    """CSAT of a group: share of satisfied answers as a percentage, with its Wilson interval."""

    responses: int
    satisfied: int
    share: Fraction
    score: Decimal
    interval: ConfidenceInterval
    low_sample: bool


def _validated(scores: Iterable[int], policy: SurveyPolicy, what: str) -> list[int]:
    check_instance(policy, "policy", SurveyPolicy)
    scale = policy.csat_scale if what == "CSAT" else policy.nps_scale
    values = list(check_items(scores, "scores", int))
    for value in values:
        if not scale[0] <= value <= scale[1]:
            raise InvalidSurveyResponse(
                f"{what} answer {value!r} is outside the scale {scale[0]}-{scale[1]}.",
                field="scores",
                value=value,
                allowed=f"{scale[0]} to {scale[1]}",
            )
    return values


def csat(scores: Iterable[int], policy: SurveyPolicy = DEFAULT_SURVEY_POLICY) -> CsatResult | None:
    """CSAT of ``scores``: % scoring ``csat_satisfied_from`` or more; ``None`` if there are none.

    The interval is the Wilson score interval, which stays inside 0-100 and is sensible for small
    samples and shares near 0 or 100 %:
    centre = (p + z²/2n) / (1 + z²/n), half width = z / (1 + z²/n) · √(p(1-p)/n + z²/4n²).

    >>> result = csat([5, 5, 4, 3, 1])
    >>> result.score, result.interval.low, result.interval.high, result.low_sample
    (Decimal('60.0'), Decimal('23.0'), Decimal('88.3'), True)
    >>> csat([]) is None
    True
    """
    values = _validated(scores, policy, "CSAT")
    n = len(values)
    if n == 0:
        return None
    satisfied = sum(1 for value in values if value >= policy.csat_satisfied_from)
    p = Fraction(satisfied, n)
    z = Fraction(policy.z)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    spread = p * (1 - p) / n + z2 / (4 * n * n)
    half_width = z / denominator * _sqrt_above(spread, policy.percent_places + 2)
    return CsatResult(
        responses=n,
        satisfied=satisfied,
        share=p,
        score=_round(p * 100, policy.percent_places, policy.rounding),
        interval=_interval(centre, half_width, (0, 100), policy, IntervalMethod.WILSON),
        low_sample=n < policy.min_responses,
    )


# -- NPS --------------------------------------------------------------------------------------


@attrs.frozen
class NpsResult:
    """NPS of a group: % promoters - % detractors, from -100 to 100, with a Wald interval."""

    responses: int
    promoters: int
    passives: int
    detractors: int
    exact: Fraction
    score: Decimal
    interval: ConfidenceInterval
    low_sample: bool


def nps(scores: Iterable[int], policy: SurveyPolicy = DEFAULT_SURVEY_POLICY) -> NpsResult | None:
    """NPS of ``scores``: % promoters (9-10) - % detractors (0-6); ``None`` if there are none.

    The interval treats each answer as +1 (promoter), 0 (passive) or -1 (detractor): NPS is
    their mean, with variance ``p_P + p_D - NPS²``, and the interval is NPS ± z·√(variance/n),
    cut to [-100, 100] (the usual NPS margin of error, a Wald interval). It is too narrow for
    small samples and zero-width when all answers fall in one group; the ``low_sample`` flag
    marks those cases.

    >>> result = nps([10, 9, 8, 7, 3])
    >>> result.score, result.promoters, result.detractors
    (Decimal('20.0'), 2, 1)
    >>> result.interval.low, result.interval.high, result.interval.describe("en_US")
    (Decimal('-45.6'), Decimal('85.6'), 'Wald interval on +1/0/-1 scores, z = 1.96')
    """
    values = _validated(scores, policy, "NPS")
    n = len(values)
    if n == 0:
        return None
    promoters = sum(1 for value in values if value >= policy.nps_promoters_from)
    detractors = sum(1 for value in values if value <= policy.nps_detractors_up_to)
    mean = Fraction(promoters - detractors, n)
    variance = Fraction(promoters + detractors, n) - mean * mean
    half_width = Fraction(policy.z) * _sqrt_above(variance / n, policy.percent_places + 2)
    return NpsResult(
        responses=n,
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        exact=mean,
        score=_round(mean * 100, policy.percent_places, policy.rounding),
        interval=_interval(mean, half_width, (-100, 100), policy, IntervalMethod.WALD),
        low_sample=n < policy.min_responses,
    )


# -- service-quality gaps ---------------------------------------------------------------------


@attrs.frozen
class CriterionGap:
    """One criterion over a group: mean expectation, mean perception and their gap."""

    criterion: ServiceCriterion
    responses: int
    expectation: Decimal
    perception: Decimal
    gap: Decimal
    exact_gap: Fraction
    low_sample: bool


def _gaps(
    responses: Sequence[SurveyResponse], policy: SurveyPolicy
) -> tuple[tuple[CriterionGap, ...], Decimal | None]:
    gaps = []
    for criterion in ServiceCriterion:
        scores = [s for r in responses for s in r.criteria if s.criterion is criterion]
        if not scores:
            continue
        n = len(scores)
        expectation = Fraction(sum(s.expectation for s in scores), n)
        perception = Fraction(sum(s.perception for s in scores), n)
        places, mode = policy.gap_places, policy.rounding
        gaps.append(
            CriterionGap(
                criterion,
                n,
                _round(expectation, places, mode),
                _round(perception, places, mode),
                _round(perception - expectation, places, mode),
                perception - expectation,
                n < policy.min_responses,
            )
        )
    if not gaps:
        return (), None
    overall = sum((gap.exact_gap for gap in gaps), Fraction(0)) / len(gaps)
    return tuple(gaps), _round(overall, policy.gap_places, policy.rounding)


# -- summaries --------------------------------------------------------------------------------


class SurveyGrouping(enum.Enum):
    """How a round is split: the whole round, per team, or per staff member."""

    QUARTER = "quarter"
    TEAM = "team"
    STAFF = "staff"


@attrs.frozen
class SatisfactionSummary:
    """All figures of one group in one quarter.

    ``servqual_gap`` is the unweighted mean of the criterion gaps present. ``low_sample`` is set
    when the group has fewer responses than ``minimum_responses``; each figure also carries its
    own flag, as criteria and questions can be skipped.
    """

    quarter: str
    team: str | None
    staff: str | None
    responses: int
    csat: CsatResult | None
    nps: NpsResult | None
    gaps: tuple[CriterionGap, ...]
    servqual_gap: Decimal | None
    minimum_responses: int
    low_sample: bool


def _summary(
    survey: SurveyRound, team: str | None, staff: str | None, responses: Sequence[SurveyResponse]
) -> SatisfactionSummary:
    policy = survey.policy
    gaps, overall = _gaps(responses, policy)
    return SatisfactionSummary(
        quarter=survey.quarter.code,
        team=team,
        staff=staff,
        responses=len(responses),
        csat=csat((r.csat for r in responses if r.csat is not None), policy),
        nps=nps((r.nps for r in responses if r.nps is not None), policy),
        gaps=gaps,
        servqual_gap=overall,
        minimum_responses=policy.min_responses,
        low_sample=len(responses) < policy.min_responses,
    )


def summarise(
    survey: SurveyRound, by: SurveyGrouping = SurveyGrouping.QUARTER
) -> tuple[SatisfactionSummary, ...]:
    """The round's figures: one summary, or one per team or per staff member, sorted by name.

    Responses without a team (or staff member) form their own group, listed last, so nothing
    is left out of a split. An empty round gives one empty summary for the quarter, and no
    groups when split.
    """
    check_instance(survey, "survey", SurveyRound)
    check_instance(by, "by", SurveyGrouping)
    if by is SurveyGrouping.QUARTER:
        return (_summary(survey, None, None, survey.responses),)
    groups: dict[str | None, list[SurveyResponse]] = {}
    for response in survey.responses:
        key = response.team if by is SurveyGrouping.TEAM else response.staff
        groups.setdefault(key, []).append(response)
    ordered = sorted(groups, key=lambda key: (key is None, key or ""))
    if by is SurveyGrouping.TEAM:
        return tuple(_summary(survey, key, None, groups[key]) for key in ordered)
    return tuple(_summary(survey, None, key, groups[key]) for key in ordered)


def quarterly(
    rounds: Iterable[SurveyRound], by: SurveyGrouping = SurveyGrouping.QUARTER
) -> tuple[SatisfactionSummary, ...]:
    """The summaries of several rounds, oldest quarter first: a trend across quarters.

    Two rounds for the same quarter are refused: merge their responses into one round.

    >>> q1 = SurveyRound.for_quarter(2026, 1)
    >>> [s.quarter for s in quarterly([q1.next_round(), q1])]
    ['2026-Q1', '2026-Q2']
    """
    surveys: tuple[SurveyRound, ...] = check_items(rounds, "rounds", SurveyRound)
    check_instance(by, "by", SurveyGrouping)
    ordered = sorted(surveys, key=lambda survey: survey.quarter)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.quarter == later.quarter:
            raise InvalidSurveyResponse(
                f"two rounds for {later.quarter.code}; a quarter has one survey round, so merge "
                "their responses into one.",
                field="rounds",
                value=later.quarter.code,
                allowed="one round per quarter",
            )
    return tuple(summary for survey in ordered for summary in summarise(survey, by))
