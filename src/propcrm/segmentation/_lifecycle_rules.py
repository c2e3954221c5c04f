"""Lifecycle rules: moved in recently, and the move-in callback still to be made (brief §4)."""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext
from propcrm._validators import check_int
from propcrm.analytics import DEFAULT_CALLBACK_MONTHS
from propcrm.errors import InvalidSegmentRule
from propcrm.segmentation import _later as later
from propcrm.segmentation._outcomes import Observation, Outcome
from propcrm.segmentation._rules import LeafRule, RuleFamily
from propcrm.segmentation._subjects import PartyFacts
from propcrm.time import as_date

__all__ = ["CallbackPending", "MovedInWithin"]


@attrs.frozen
class MovedInWithin(LeafRule):
    """Moved in on or before the date and no earlier than ``months`` months before it (§4).

    Month arithmetic clamps to the month's end: on 30 April, one month back is 30 March.
    """

    family: ClassVar[RuleFamily | None] = RuleFamily.LIFECYCLE
    months: int = attrs.field(
        default=DEFAULT_CALLBACK_MONTHS,
        validator=lambda _i, a, v: check_int(v, a.name, InvalidSegmentRule, minimum=1, maximum=120),
    )

    def cutoff(self, as_of: pendulum.Date) -> pendulum.Date:
        """The earliest move-in day that counts on ``as_of``."""
        return as_date(as_of, "as_of").subtract(months=self.months)

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """The move-in day against the window."""
        moved = facts.subject.moved_in_on
        if moved is None:
            return Outcome.NO_MATCH, None, later.gettext("no move-in recorded")
        inside = self.cutoff(facts.as_of) <= moved <= facts.as_of
        return Outcome.of(inside), moved, later.gettext("moved in on %(day)s", day=moved)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'moved in within the last month'`` (en_US), ``'近1个月内入住'`` (zh_CN)."""
        return ngettext(
            "moved in within the last %(num)d month",
            "moved in within the last %(num)d months",
            self.months,
            locale=locale,
        )


@attrs.frozen
class CallbackPending(LeafRule):
    """Moved in on or before the date, and no move-in callback visit by then (§4)."""

    family: ClassVar[RuleFamily | None] = RuleFamily.LIFECYCLE

    def observe(self, facts: PartyFacts) -> tuple[Outcome, object, Observation]:
        """Whether the callback after the move-in is still to be made."""
        subject = facts.subject
        moved = subject.moved_in_on
        if moved is None or moved > facts.as_of:
            return Outcome.NO_MATCH, None, later.gettext("not moved in")
        done = subject.callback_on
        if done is not None and done <= facts.as_of:
            return Outcome.NO_MATCH, done, later.gettext("called back on %(day)s", day=done)
        return Outcome.MATCH, None, later.gettext("no callback yet")

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """``'move-in callback pending'`` (en_US), ``'入住回访待完成'`` (zh_CN)."""
        return gettext("move-in callback pending", locale=locale)
