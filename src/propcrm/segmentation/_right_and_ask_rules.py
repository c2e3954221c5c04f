"""Rules by property right (owner, tenant, other occupant, §1) and by what a party asks of us.

Two of property management's own schemes beside the brief's three families; what a party asks
for is service, a hearing for its opinions, or fee matters.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation._checks import enum_set
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily
from propcrm.segmentation._subjects import CustomerAsk, PartyFacts, PropertyRight, member_list

__all__ = ["AsksFor", "PropertyRightIs"]


def _rule_rights(value: object) -> frozenset[PropertyRight]:
    return enum_set(value, PropertyRight, InvalidSegmentRule, allow_empty=False, field="rights")


def _rule_asks(value: object) -> frozenset[CustomerAsk]:
    return enum_set(value, CustomerAsk, InvalidSegmentRule, allow_empty=False, field="asks")


@attrs.frozen
class PropertyRightIs(LeafRule):
    """Holds any of these property rights: owner, tenant, other occupant (§1)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.PROPERTY_RIGHT
    rights: frozenset[PropertyRight] = attrs.field(converter=_rule_rights)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party holds one of these rights."""
        held = facts.subject.property_rights
        return Outcome.of(bool(held & self.rights)), held, member_list(held)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'right: tenant'`` (en_US), ``'产权身份：租户'`` (zh_CN)."""
        name = check_locale(locale)
        return gettext(
            "right: %(rights)s", locale=name, rights=member_list(self.rights, "or")(name)
        )


@attrs.frozen
class AsksFor(LeafRule):
    """Has asked us for any of these: service, opinions, fee matters."""

    family: ClassVar[RuleFamily | None] = RuleFamily.ASKS
    asks: frozenset[CustomerAsk] = attrs.field(converter=_rule_asks)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the party asked for one of these."""
        asked = facts.subject.asks
        return Outcome.of(bool(asked & self.asks)), asked, member_list(asked)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'asks for fees'`` (en_US), ``'有费用方面的诉求'`` (zh_CN)."""
        name = check_locale(locale)
        return gettext("asks for %(asks)s", locale=name, asks=member_list(self.asks, "or")(name))
