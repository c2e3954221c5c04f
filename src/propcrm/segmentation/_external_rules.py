"""External-attribute rules (brief §5): property type, community, location, kind of customer."""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm._property_types import PropertyType
from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation._checks import enum_set, member_names, names_set
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily
from propcrm.segmentation._subjects import OrganisationType, PartyFacts, SubjectKind

__all__ = ["CommunityIs", "LocationIs", "OrganisationIs", "PropertyTypeIs", "SubjectKindIs"]


def _rule_types(value: object) -> frozenset[PropertyType]:
    return enum_set(value, PropertyType, InvalidSegmentRule, allow_empty=False)


def _rule_organisations(value: object) -> frozenset[OrganisationType]:
    return enum_set(value, OrganisationType, InvalidSegmentRule, allow_empty=False)


@attrs.frozen
class PropertyTypeIs(LeafRule):
    """Holds a unit of any of these property types (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    types: frozenset[PropertyType] = attrs.field(converter=_rule_types)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party's property types meet these."""
        held = facts.subject.property_types
        return Outcome.of(bool(held & self.types)), held, member_names(held)

    def describe(self) -> str:
        """``holds …``."""
        return f"holds {member_names(self.types)}"


@attrs.frozen
class CommunityIs(LeafRule):
    """In any of these communities (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    communities: frozenset[str] = attrs.field(converter=names_set)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party's community is one of these."""
        community = facts.subject.community
        return Outcome.of(community in self.communities), community, f"{community}"

    def describe(self) -> str:
        """``community in …``."""
        return f"community in {', '.join(sorted(self.communities))}"


@attrs.frozen
class LocationIs(LeafRule):
    """In any of these locations (districts, cities; external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    locations: frozenset[str] = attrs.field(converter=names_set)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party's location is one of these."""
        location = facts.subject.location
        return Outcome.of(location in self.locations), location, f"{location}"

    def describe(self) -> str:
        """``location in …``."""
        return f"location in {', '.join(sorted(self.locations))}"


@attrs.frozen
class SubjectKindIs(LeafRule):
    """A person (an individual) or an organisation (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    kind: SubjectKind = attrs.field(validator=attrs.validators.instance_of(SubjectKind))

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party is of this kind."""
        kind = facts.subject.kind
        return Outcome.of(kind is self.kind), kind, f"a {kind.value}"

    def describe(self) -> str:
        """``a person`` or ``an organisation``."""
        return f"a {self.kind.value}"


@attrs.frozen
class OrganisationIs(LeafRule):
    """An organisation of any of these types; a person never matches (external, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.EXTERNAL
    types: frozenset[OrganisationType] = attrs.field(converter=_rule_organisations)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party is an organisation of these types."""
        own = facts.subject.organisation
        if own is None:
            return Outcome.NO_MATCH, None, "a person"
        return Outcome.of(own in self.types), own, f"a {own.value}"

    def describe(self) -> str:
        """``organisation: …``."""
        return f"organisation: {member_names(self.types)}"
