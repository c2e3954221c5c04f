"""The rules a party book keeps beyond the relations' own: :class:`PartyBookPolicy`.

How fully a unit must be owned from its handover on, which relations may not be in force on the
same day, and whether residents need the unit to be occupied. :data:`DEFAULT_BOOK_POLICY` holds
the defaults; a community loosens them per book (``PartyBook(..., policy=...)``).
"""

from __future__ import annotations

import attrs

from propcrm._validators import check_items, instance_of
from propcrm.parties._relations import EXCLUSIVITY_RULES, ExclusivityRule, OwnershipCoverage

__all__ = ["DEFAULT_BOOK_POLICY", "PartyBookPolicy"]


def _rules(values: object) -> tuple[ExclusivityRule, ...]:
    rules: tuple[ExclusivityRule, ...] = check_items(values, "exclusivity", ExclusivityRule)
    return rules


@attrs.frozen
class PartyBookPolicy:
    """The rules a party book keeps beyond the relations' own.

    Attributes:
        ownership_after_handover: how fully a unit must be owned from its handover on
            (default: 100 % every day; see :class:`OwnershipCoverage`).
        exclusivity: which relations may not be in force on the same day.
        residents_need_occupancy: residents live in a unit only while it is occupied (入住),
            so the unit's status and its residents never disagree (default on).
    """

    ownership_after_handover: OwnershipCoverage = attrs.field(
        default=OwnershipCoverage.FULL,
        validator=instance_of(OwnershipCoverage),
    )
    exclusivity: tuple[ExclusivityRule, ...] = attrs.field(
        default=EXCLUSIVITY_RULES, converter=_rules
    )
    residents_need_occupancy: bool = attrs.field(default=True, validator=instance_of(bool))


DEFAULT_BOOK_POLICY = PartyBookPolicy()
"""Full ownership after handover, the standard exclusivity rules, residents within occupancy."""
