"""Lifecycle rules: moved in recently, and the move-in callback still to be made (brief §4)."""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from propcrm.analytics import DEFAULT_CALLBACK_MONTHS
from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation._outcomes import Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily
from propcrm.segmentation._subjects import PartyFacts

__all__ = ["CallbackPending", "MovedInWithin"]


@attrs.frozen
class MovedInWithin(LeafRule):
    """Moved in on or before the date and no earlier than ``months`` months before it (§4).

    Month arithmetic clamps to the month's end: on 30 April, one month back is 30 March.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.LIFECYCLE
    months: int = attrs.field(default=DEFAULT_CALLBACK_MONTHS)

    def __attrs_post_init__(self) -> None:
        months = self.months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
            raise InvalidSegmentRule(f"months {months!r} must be an int from 1 to 120.")

    def cutoff(self, as_of: pendulum.Date) -> pendulum.Date:
        """The earliest move-in day that counts on ``as_of``."""
        return as_of.subtract(months=self.months)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """The move-in day against the window."""
        moved = facts.subject.moved_in_on
        if moved is None:
            return Outcome.NO_MATCH, None, "no move-in recorded"
        inside = self.cutoff(facts.as_of) <= moved <= facts.as_of
        return Outcome.of(inside), moved, f"moved in {moved}"

    def describe(self) -> str:
        """``moved in within the last … months``."""
        if self.months == 1:
            return "moved in within the last month"
        return f"moved in within the last {self.months} months"


@attrs.frozen
class CallbackPending(LeafRule):
    """Moved in on or before the date, and no move-in callback visit by then (§4)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.LIFECYCLE

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, str]:
        """Whether the callback after the move-in is still to be made."""
        subject = facts.subject
        moved = subject.moved_in_on
        if moved is None or moved > facts.as_of:
            return Outcome.NO_MATCH, None, "not moved in"
        done = subject.callback_on
        if done is not None and done <= facts.as_of:
            return Outcome.NO_MATCH, done, f"called back {done}"
        return Outcome.MATCH, None, "no callback yet"

    def describe(self) -> str:
        """``move-in callback pending``."""
        return "move-in callback pending"
