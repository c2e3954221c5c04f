"""Internal-attribute rules (brief §5): age band and household size of a person.

The brief also lists gender, native place, interests, income and values; they are sensitive
personal data segmentation does not need, so there are no rules over them.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm.segmentation._checks import bounds_text, check_bounds, int_bound, within
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts, SubjectKind

__all__ = ["AgeBetween", "HouseholdSizeBetween"]


@attrs.frozen
class AgeBetween(LeafRule):
    """A person whose age band is within the bounds (internal, §5).

    Age is the calendar year of the date less the birth year (the age reached that year; the
    record holds the birth year, not the birthday). Organisations never match; a person without a
    recorded birth year answers insufficient history.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.INTERNAL
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("age", maximum=150), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=int_bound("age", maximum=150), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The party's age in the year of the date."""
        subject = facts.subject
        if subject.kind is SubjectKind.ORGANISATION:
            return Outcome.NO_MATCH, None, "an organisation"
        if subject.birth_year is None:
            return insufficient("birth year not recorded")
        age = facts.as_of.year - subject.birth_year
        return Outcome.of(within(age, self.at_least, self.at_most)), age, f"age {age}"

    def describe(self) -> str:
        """The age band."""
        return bounds_text("age", self.at_least, self.at_most)


@attrs.frozen
class HouseholdSizeBetween(LeafRule):
    """A person whose household size is within the bounds (internal, §5)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.INTERNAL
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("household size", minimum=1), kw_only=True
    )
    at_most: int | None = attrs.field(
        default=None, validator=int_bound("household size", minimum=1), kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The party's household size."""
        subject = facts.subject
        if subject.kind is SubjectKind.ORGANISATION:
            return Outcome.NO_MATCH, None, "an organisation"
        size = subject.household_size
        if size is None:
            return insufficient("household size not recorded")
        return Outcome.of(within(size, self.at_least, self.at_most)), size, f"household of {size}"

    def describe(self) -> str:
        """The household-size band."""
        return bounds_text("household size", self.at_least, self.at_most)
