"""External-attribute rules (brief §5): property type, community, location, kind of customer."""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm._property_types import PropertyType
from propcrm._validators import instance_of
from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation import _later as later
from propcrm.segmentation._checks import enum_set, names_set
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily
from propcrm.segmentation._subjects import (
    OrganisationType,
    PartyFacts,
    SubjectKind,
    member_list,
    said,
)

__all__ = ["CommunityIs", "LocationIs", "OrganisationIs", "PropertyTypeIs", "SubjectKindIs"]


def _rule_types(value: object) -> frozenset[PropertyType]:
    return enum_set(value, PropertyType, InvalidSegmentRule, allow_empty=False, field="types")


def _rule_organisations(value: object) -> frozenset[OrganisationType]:
    return enum_set(value, OrganisationType, InvalidSegmentRule, allow_empty=False, field="types")


def _communities(value: object) -> frozenset[str]:
    return names_set(value, "communities")


def _locations(value: object) -> frozenset[str]:
    return names_set(value, "locations")


@attrs.frozen
class PropertyTypeIs(LeafRule):
    """Holds a unit of any of these property types (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    types: frozenset[PropertyType] = attrs.field(converter=_rule_types)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party's property types meet these."""
        held = facts.subject.property_types
        return Outcome.of(bool(held & self.types)), held, member_list(held)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'持有商业物业'`` (zh_CN), ``'holds commercial'`` (en_US)."""
        name = check_locale(locale)
        return gettext("holds %(types)s", locale=name, types=member_list(self.types, "or")(name))


@attrs.frozen
class CommunityIs(LeafRule):
    """In any of these communities (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    communities: frozenset[str] = attrs.field(converter=_communities)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party's community is one of these."""
        community = facts.subject.community
        return Outcome.of(community in self.communities), community, _recorded(community)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'community in …'`` (en_US), the communities' codes as given."""
        name = check_locale(locale)
        listed = later.listing((later.Verbatim(code) for code in sorted(self.communities)), "or")
        return gettext("community in %(names)s", locale=name, names=listed(name))


@attrs.frozen
class LocationIs(LeafRule):
    """In any of these locations (districts, cities; external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    locations: frozenset[str] = attrs.field(converter=_locations)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party's location is one of these."""
        location = facts.subject.location
        return Outcome.of(location in self.locations), location, _recorded(location)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'location in …'`` (en_US), the locations as given."""
        name = check_locale(locale)
        listed = later.listing((later.Verbatim(place) for place in sorted(self.locations)), "or")
        return gettext("location in %(names)s", locale=name, names=listed(name))


@attrs.frozen
class SubjectKindIs(LeafRule):
    """A person (an individual) or an organisation (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    kind: SubjectKind = attrs.field(validator=instance_of(SubjectKind))

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party is of this kind."""
        kind = facts.subject.kind
        return Outcome.of(kind is self.kind), kind, said(kind)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'a person'`` or ``'an organisation'`` (en_US); ``'个人'`` or ``'单位'`` (zh_CN)."""
        return self.kind.label(locale)


@attrs.frozen
class OrganisationIs(LeafRule):
    """An organisation of any of these types; a person never matches (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    types: frozenset[OrganisationType] = attrs.field(converter=_rule_organisations)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party is an organisation of these types."""
        own = facts.subject.organisation
        if own is None:
            return Outcome.NO_MATCH, None, said(SubjectKind.PERSON)
        return Outcome.of(own in self.types), own, said(own)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'organisation: …'`` (en_US), ``'单位类型：…'`` (zh_CN)."""
        name = check_locale(locale)
        return gettext(
            "organisation: %(types)s", locale=name, types=member_list(self.types, "or")(name)
        )


def _recorded(text: str | None) -> Observation:
    """A name from the record as given, or "not recorded" in the locale."""
    return (
        later.pgettext("segment record", "not recorded") if text is None else later.Verbatim(text)
    )
