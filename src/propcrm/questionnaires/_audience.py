"""Who a survey asks: everyone by role, a segment, a building, a list, or a care sample.

The rules are not written again here. :func:`audience_by_rule` resolves any
:mod:`propcrm.notices` audience rule (``Everyone(roles=...)`` for all owners or all tenants,
``InSegment``, ``InBuildings``, ``Listed``, ``AnyAudience``) with
:func:`propcrm.notices.resolve_audience`; :func:`audience_from_sample` takes the quarterly
sample :func:`propcrm.care.survey_sample` drew. Either way the result is a
:class:`SurveyAudience`: the parties asked, each with the units (and buildings) they answer
for, so that response rates can be given per building.

>>> import pendulum
>>> from propcrm.care import SampledParty, SampleReason, SurveySample
>>> from propcrm.time import BillingPeriod
>>> sample = SurveySample(
...     BillingPeriod.quarter(2026, 4),
...     pendulum.date(2026, 11, 24),
...     (SampledParty("P1", ("1-0301",), (SampleReason.HOUSEHOLD_HEAD,), 0),),
... )
>>> audience = audience_from_sample(sample)
>>> audience.party_ids, audience.describe("en_US")
(('P1',), 'the survey sample of 2026-Q4')
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext
from propcrm._validators import check_instance, check_items, check_record_id, check_unique
from propcrm.care import SurveySample
from propcrm.errors import InvalidQuestionnaire
from propcrm.money import Money
from propcrm.notices import AudienceRule, resolve_audience
from propcrm.parties import PartyBook
from propcrm.segmentation import SegmentHistory
from propcrm.time import BillingPeriod, as_date

__all__ = ["Respondent", "SurveyAudience", "audience_by_rule", "audience_from_sample"]


def _ids(field: str) -> Any:
    def convert(value: Iterable[str]) -> tuple[str, ...]:
        ids: tuple[str, ...] = check_items(value, field, str, error=InvalidQuestionnaire)
        for item in ids:
            check_record_id(item, field.rstrip("s"), InvalidQuestionnaire, field=field)
        return tuple(sorted(set(ids)))

    return convert


def _units(value: Iterable[str]) -> tuple[str, ...]:
    converted: tuple[str, ...] = _ids("units")(value)
    return converted


def _buildings(value: Iterable[str]) -> tuple[str, ...]:
    converted: tuple[str, ...] = _ids("buildings")(value)
    return converted


@attrs.frozen
class Respondent:
    """One party asked, with the units it answers for and their buildings (sorted)."""

    party_id: str = attrs.field()
    units: tuple[str, ...] = attrs.field(default=(), converter=_units)
    buildings: tuple[str, ...] = attrs.field(default=(), converter=_buildings)

    @party_id.validator
    def _check_party(self, _attribute: attrs.Attribute[str], value: object) -> None:
        check_record_id(value, "party id", InvalidQuestionnaire)


def _members(value: Iterable[Respondent]) -> tuple[Respondent, ...]:
    members: tuple[Respondent, ...] = check_items(
        value, "members", Respondent, error=InvalidQuestionnaire
    )
    check_unique((m.party_id for m in members), "members", InvalidQuestionnaire, what="party id")
    return tuple(sorted(members, key=lambda m: m.party_id))


def _on(value: object) -> pendulum.Date:
    return as_date(value, "on")


def _rule(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, AudienceRule):
        raise InvalidQuestionnaire(
            f"rule must be an audience rule of propcrm.notices, got {type(value).__name__}.",
            field="rule",
            value=value,
            allowed="Everyone, InBuildings, Listed, InSegment, InArrears or AnyAudience",
        )


def _sample_of(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None:
        check_instance(value, "sample_of", BillingPeriod, error=InvalidQuestionnaire)


@attrs.frozen
class SurveyAudience:
    """The parties a survey asks, as drawn on ``on``: by a notices ``rule`` or a care sample.

    ``rule`` is the rule it was resolved from, ``sample_of`` the period of the care sample;
    neither, for a list given by hand.
    """

    on: pendulum.Date = attrs.field(converter=_on)
    members: tuple[Respondent, ...] = attrs.field(converter=_members)
    rule: AudienceRule | None = attrs.field(default=None, kw_only=True, validator=_rule)
    sample_of: BillingPeriod | None = attrs.field(default=None, kw_only=True, validator=_sample_of)

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties asked, sorted."""
        return tuple(m.party_id for m in self.members)

    def member(self, party_id: str) -> Respondent | None:
        """The respondent ``party_id``, or ``None`` if the audience does not hold it."""
        return next((m for m in self.members if m.party_id == party_id), None)

    def __len__(self) -> int:
        return len(self.members)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Whom the survey asks, in words."""
        if self.rule is not None:
            return self.rule.describe(locale)
        if self.sample_of is not None:
            return gettext(
                "the survey sample of %(period)s", locale=locale, period=self.sample_of.code
            )
        return ngettext(
            "%(num)d listed party", "%(num)d listed parties", len(self.members), locale=locale
        )


def _building_of(book: PartyBook | None) -> Any:
    buildings: dict[str, str] = {}
    if book is not None:
        buildings = {u.unit_id: u.building for u in book.units}
    return lambda units: tuple(buildings[u] for u in units if u in buildings)


def audience_by_rule(
    rule: AudienceRule,
    book: PartyBook,
    on: datetime.date,
    *,
    segments: Mapping[str, SegmentHistory] | None = None,
    arrears: Mapping[str, Money] | None = None,
) -> SurveyAudience:
    """The parties ``rule`` picks from ``book`` on ``on`` (the notices rules, resolved).

    ``Everyone(roles=frozenset({RelationKind.OWNER}))`` asks every owner,
    ``InSegment("late_payers")`` a segment's members (pass ``segments``) and so on; refusals
    are the notices rules' own (:class:`~propcrm.errors.InvalidAudience`).
    """
    resolved = resolve_audience(rule, book, on, segments=segments, arrears=arrears)
    building_of = _building_of(book)
    members = [
        Respondent(r.party_id, r.unit_ids, building_of(r.unit_ids)) for r in resolved.recipients
    ]
    return SurveyAudience(resolved.on, members, rule=rule)


def audience_from_sample(sample: SurveySample, book: PartyBook | None = None) -> SurveyAudience:
    """The parties of a care survey sample (:func:`propcrm.care.survey_sample`).

    Pass the ``book`` the sample was drawn from to know each unit's building (for per-building
    response rates).
    """
    check_instance(sample, "sample", SurveySample, error=InvalidQuestionnaire)
    if book is not None:
        check_instance(book, "book", PartyBook, error=InvalidQuestionnaire)
    building_of = _building_of(book)
    members = [Respondent(p.party_id, p.units, building_of(p.units)) for p in sample.parties]
    return SurveyAudience(sample.as_of, members, sample_of=sample.quarter)
