"""Behaviour rules on the complaint side: complaints in the window and the latest satisfaction.

Both read :class:`~propcrm.analytics.ComplaintHistory` through the party's facts; without a
complaint record the answer is insufficient history, not "no complaints".
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from propcrm.analytics import SATISFACTION_SCALE
from propcrm.segmentation._checks import bounds_text, check_bounds, int_bound, within
from propcrm.segmentation._outcomes import Outcome
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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The complaints in the window."""
        side = facts.complaints
        if side is None:
            return insufficient("no complaint record")
        count = side.complaints
        return (
            Outcome.of(within(count, self.at_least, self.at_most)),
            count,
            f"{count} complaints since {side.first_day}",
        )

    def describe(self) -> str:
        """The band."""
        return bounds_text("complaints", self.at_least, self.at_most)


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

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The latest score."""
        side = facts.complaints
        if side is None or side.last_satisfaction is None:
            return insufficient("no satisfaction score")
        score = side.last_satisfaction
        return (
            Outcome.of(within(score, self.at_least, self.at_most)),
            score,
            f"last satisfaction {score}",
        )

    def describe(self) -> str:
        """The band."""
        return bounds_text("last satisfaction", self.at_least, self.at_most)
