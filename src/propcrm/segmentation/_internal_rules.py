"""Internal-attribute rules (brief §5): age band and household size of a person.

The brief also lists gender, native place, interests, income and values; they are sensitive
personal data segmentation does not need, so there are no rules over them.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, pgettext
from propcrm.segmentation import _later as later
from propcrm.segmentation._checks import bounds_text, check_bounds, int_bound, within
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts, SubjectKind, said

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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The party's age in the year of the date."""
        subject = facts.subject
        if subject.kind is SubjectKind.ORGANISATION:
            return Outcome.NO_MATCH, None, said(SubjectKind.ORGANISATION)
        if subject.birth_year is None:
            return insufficient(later.gettext("insufficient history: birth year not recorded"))
        age = facts.as_of.year - subject.birth_year
        observed = later.gettext("age %(age)d", age=age)
        return Outcome.of(within(age, self.at_least, self.at_most)), age, observed

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The age band, e.g. ``'年龄 ≥ 60'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "age", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The party's household size."""
        subject = facts.subject
        if subject.kind is SubjectKind.ORGANISATION:
            return Outcome.NO_MATCH, None, said(SubjectKind.ORGANISATION)
        size = subject.household_size
        if size is None:
            return insufficient(later.gettext("insufficient history: household size not recorded"))
        observed = later.gettext("household of %(size)d", size=size)
        return Outcome.of(within(size, self.at_least, self.at_most)), size, observed

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The household-size band, e.g. ``'家庭人口 ≥ 4'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "household size", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)
