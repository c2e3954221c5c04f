"""Dated segment membership: who belonged to a segment when, from successive evaluations.

Evaluating a segment on successive dates and feeding the outcomes to a :class:`SegmentHistory`
records who entered and who left, and when, as half-open spells ``[since, until)``.

>>> import pendulum
>>> from propcrm.segmentation import Outcome
>>> history = SegmentHistory("chronic-late-payer")
>>> history = history.observe(pendulum.date(2026, 12, 1), {"P-7": Outcome.MATCH})
>>> history = history.observe(pendulum.date(2027, 3, 1), {"P-7": Outcome.NO_MATCH})
>>> history.memberships
(SegmentMembership(party_id='P-7', segment='chronic-late-payer', since=Date(2026, 12, 1), \
until=Date(2027, 3, 1)),)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from propcrm._validators import check_instance, check_record_id
from propcrm.errors import InvalidSegmentRule, MembershipOutOfOrder
from propcrm.segmentation._checks import check_code
from propcrm.segmentation._outcomes import Outcome
from propcrm.time import as_date

__all__ = [
    "MembershipChange",
    "MembershipChangeKind",
    "SegmentHistory",
    "SegmentMembership",
    "track_segment",
]


@attrs.frozen
class SegmentMembership:
    """One spell of a party in a segment, half-open: ``[since, until)``; ``until`` None if open."""

    party_id: str
    segment: str
    since: pendulum.Date
    until: pendulum.Date | None = None

    def holds_on(self, day: pendulum.Date) -> bool:
        """Whether the party was a member on ``day``."""
        on = as_date(day, "day")
        return self.since <= on and (self.until is None or on < self.until)


class MembershipChangeKind(enum.Enum):
    """A party entering or leaving a segment."""

    ENTERED = "entered"
    LEFT = "left"


@attrs.frozen
class MembershipChange:
    """A party entering or leaving a segment on an evaluation date, with the outcome then.

    ``outcome`` is ``None`` when the party left because the evaluation no longer included it.
    """

    party_id: str
    segment: str
    on: pendulum.Date
    kind: MembershipChangeKind
    outcome: Outcome | None


@attrs.frozen
class SegmentHistory:
    """Who belonged to a segment when, built from evaluations on successive dates.

    Each :meth:`observe` takes the outcomes of one evaluation of the whole portfolio. A party
    whose outcome is MATCH is a member from that date; a member whose outcome is anything else
    — NO_MATCH, INSUFFICIENT_HISTORY, or no outcome because it left the portfolio — leaves on
    that date. Between two evaluations membership is what the earlier one found. Dates must
    rise: history is appended, never rewritten.
    """

    segment: str = attrs.field(validator=check_code)
    memberships: tuple[SegmentMembership, ...] = ()
    changes: tuple[MembershipChange, ...] = ()
    observed_on: tuple[pendulum.Date, ...] = ()

    def observe(self, as_of: pendulum.Date, outcomes: Mapping[str, Outcome]) -> SegmentHistory:
        """The history with one more evaluation, on a date after every earlier one."""
        day = as_date(as_of, "as_of")
        check_instance(outcomes, "outcomes", Mapping)
        if self.observed_on and day <= self.observed_on[-1]:
            raise MembershipOutOfOrder(
                f"segment {self.segment}: observed on {self.observed_on[-1]} already; a new "
                f"observation must be later, not {day}.",
                field="as_of",
                value=day,
                allowed=f"a day after {self.observed_on[-1]}",
                segment=self.segment,
            )
        for party, outcome in outcomes.items():
            check_record_id(party, "outcomes", InvalidSegmentRule)
            if not isinstance(outcome, Outcome):
                raise InvalidSegmentRule(
                    f"party {party!r}: {outcome!r} is not an Outcome.",
                    field="outcomes",
                    value=outcome,
                    allowed="an Outcome for each party id",
                    party_id=party,
                )
        open_now = {m.party_id: m for m in self.memberships if m.until is None}
        closed = []
        changes = []
        for party, spell in sorted(open_now.items()):
            found = outcomes.get(party)
            if found is not Outcome.MATCH:
                closed.append(spell)
                changes.append(
                    MembershipChange(
                        party,
                        self.segment,
                        day,
                        MembershipChangeKind.LEFT,
                        found,
                    )
                )
        entering = sorted(
            party
            for party, outcome in outcomes.items()
            if outcome is Outcome.MATCH and party not in open_now
        )
        closed_ids = {id(spell) for spell in closed}
        memberships = [
            attrs.evolve(m, until=day) if id(m) in closed_ids else m for m in self.memberships
        ]
        for party in entering:
            memberships.append(SegmentMembership(party, self.segment, day))
            changes.append(
                MembershipChange(
                    party, self.segment, day, MembershipChangeKind.ENTERED, Outcome.MATCH
                )
            )
        return SegmentHistory(
            self.segment,
            tuple(memberships),
            self.changes + tuple(changes),
            (*self.observed_on, day),
        )

    def members_on(self, day: pendulum.Date) -> frozenset[str]:
        """Ids of the members on ``day``."""
        on = as_date(day, "day")
        return frozenset(m.party_id for m in self.memberships if m.holds_on(on))

    def of_party(self, party_id: str) -> tuple[SegmentMembership, ...]:
        """One party's spells in the segment, oldest first."""
        check_record_id(party_id, "party_id", InvalidSegmentRule)
        return tuple(m for m in self.memberships if m.party_id == party_id)


def track_segment(
    segment: str, evaluations: Iterable[tuple[pendulum.Date, Mapping[str, Outcome]]]
) -> SegmentHistory:
    """A segment's history from ``(date, outcomes)`` evaluations in date order."""
    history = SegmentHistory(segment)
    for day, outcomes in evaluations:
        history = history.observe(day, outcomes)
    return history
