"""Behaviour rules on the complaint side: complaints in the window and the latest satisfaction.

Both read :class:`~propcrm.analytics.ComplaintHistory` through the party's facts; without a
complaint record the answer is insufficient history, not "no complaints".
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, pgettext
from propcrm.analytics import SATISFACTION_SCALE
from propcrm.segmentation import _later as later
from propcrm.segmentation._checks import bounds_text, check_bounds, int_bound, within
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily, insufficient
from propcrm.segmentation._subjects import PartyFacts

__all__ = ["ComplaintsInWindow", "LastSatisfaction"]


@attrs.frozen
class ComplaintsInWindow(LeafRule):
    """Complaints in the policy's complaint window within the bounds (behavioural, §4).

    Without a complaint record (``SegmentSubject.complaints`` is ``None``) the answer is
    insufficient history; a record with no complaints counts zero.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None, validator=int_bound("complaints"), kw_only=True
    )
    at_most: int | None = attrs.field(default=None, validator=int_bound("complaints"), kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The complaints in the window."""
        side = facts.complaints
        if side is None:
            return insufficient(later.gettext("insufficient history: no complaint record"))
        count = side.complaints
        return (
            Outcome.of(within(count, self.at_least, self.at_most)),
            count,
            later.ngettext(
                "%(num)d complaint since %(day)s",
                "%(num)d complaints since %(day)s",
                count,
                day=side.first_day,
            ),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'投诉次数 ≥ 3'`` (zh_CN) or ``'complaints ≥ 3'`` (en_US)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "complaints", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)


@attrs.frozen
class LastSatisfaction(LeafRule):
    """The latest satisfaction score (1–5) given by the date within the bounds."""

    family: ClassVar[RuleFamily | None] = RuleFamily.BEHAVIOURAL
    at_least: int | None = attrs.field(
        default=None,
        validator=int_bound("satisfaction", minimum=1, maximum=SATISFACTION_SCALE.stop - 1),
        kw_only=True,
    )
    at_most: int | None = attrs.field(
        default=None,
        validator=int_bound("satisfaction", minimum=1, maximum=SATISFACTION_SCALE.stop - 1),
        kw_only=True,
    )

    def __attrs_post_init__(self) -> None:
        check_bounds(self, self.at_least, self.at_most)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The latest score."""
        side = facts.complaints
        if side is None or side.last_satisfaction is None:
            return insufficient(later.gettext("insufficient history: no satisfaction score"))
        score = side.last_satisfaction
        return (
            Outcome.of(within(score, self.at_least, self.at_most)),
            score,
            later.gettext("last satisfaction %(score)d", score=score),
        )

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The band, e.g. ``'最近满意度 ≤ 2'`` (zh_CN)."""
        name = check_locale(locale)
        measure = pgettext("segment measure", "last satisfaction", locale=name)
        return bounds_text(measure, self.at_least, self.at_most, name)
