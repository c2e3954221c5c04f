"""Rules by property right (owner, tenant, other occupant, §1) and by what a party asks of us.

Two of property management's own schemes beside the brief's three families; what a party asks
for is service, a hearing for its opinions, or fee matters.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation._checks import enum_set, member_names
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily
from propcrm.segmentation._subjects import CustomerAsk, PartyFacts, PropertyRight

__all__ = ["AsksFor", "PropertyRightIs"]


def _rule_rights(value: object) -> frozenset[PropertyRight]:
    return enum_set(value, PropertyRight, InvalidSegmentRule, allow_empty=False)


def _rule_asks(value: object) -> frozenset[CustomerAsk]:
    return enum_set(value, CustomerAsk, InvalidSegmentRule, allow_empty=False)


@attrs.frozen
class PropertyRightIs(LeafRule):
    """Holds any of these property rights: owner, tenant, other occupant (§1)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.PROPERTY_RIGHT
    rights: frozenset[PropertyRight] = attrs.field(converter=_rule_rights)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party holds one of these rights."""
        held = facts.subject.property_rights
        return Outcome.of(bool(held & self.rights)), held, member_names(held)

    def describe(self) -> str:
        """``right: …``."""
        return f"right: {member_names(self.rights)}"


@attrs.frozen
class AsksFor(LeafRule):
    """Has asked us for any of these: service, opinions, fee matters."""

    family: ClassVar[RuleFamily | None] = RuleFamily.ASKS
    asks: frozenset[CustomerAsk] = attrs.field(converter=_rule_asks)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the party asked for one of these."""
        asked = facts.subject.asks
        return Outcome.of(bool(asked & self.asks)), asked, member_names(asked)

    def describe(self) -> str:
        """``asks for …``."""
        return f"asks for {member_names(self.asks)}"
