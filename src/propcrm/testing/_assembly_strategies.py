"""Hypothesis strategies for the owners' assembly: policies, meetings and filled ballot boxes.

Each is a plural noun with keyword-only bounds and shrinks towards the simplest value: the
art. 278 defaults, a meeting with one ordinary motion, a box nobody has voted in. Boxes are
filled with ballots that keep every rule of the box (in the window, one each way, proxies
registered for their owner), so every drawn box can be tallied.

>>> from hypothesis import given, settings
>>> from propcrm.assembly import tally
>>> @settings(max_examples=20, database=None)
... @given(ballot_boxes())
... def test_participation_adds_up(box):
...     for motion in box.meeting.motions:
...         result = tally(box, motion.motion_id)
...         assert result.participating.heads <= result.total.heads
>>> test_participation_adds_up()
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
from hypothesis import strategies as st

from propcrm.assembly import (
    AssemblyPolicy,
    Ballot,
    BallotBox,
    Choice,
    Comparison,
    Elector,
    Electorate,
    Meeting,
    Motion,
    MotionKind,
    Proxy,
    Threshold,
)

__all__ = ["assembly_policies", "ballot_boxes", "meetings"]

_OPENS = pendulum.datetime(2026, 6, 20, 9, tz="Asia/Shanghai")
_FRACTIONS = [Fraction(1, 2), Fraction(2, 3), Fraction(3, 4), Fraction(1, 3), Fraction(1)]


def _thresholds() -> st.SearchStrategy[Threshold]:
    return st.builds(Threshold, st.sampled_from(_FRACTIONS), st.sampled_from(Comparison))


def assembly_policies() -> st.SearchStrategy[AssemblyPolicy]:
    """Policies with the defaults first, then other thresholds and special kinds."""
    return st.just(AssemblyPolicy()) | st.builds(
        AssemblyPolicy,
        quorum=_thresholds(),
        ordinary=_thresholds(),
        special=_thresholds(),
        special_kinds=st.frozensets(st.sampled_from(MotionKind), max_size=3),
    )


def meetings(*, max_motions: int = 3) -> st.SearchStrategy[Meeting]:
    """Meetings of SUNRISE on 2026-06-20 with 1 to ``max_motions`` motions of any kind."""
    return st.lists(st.sampled_from(MotionKind), min_size=1, max_size=max_motions).map(
        lambda kinds: Meeting(
            meeting_id="AGM-2026",
            community="SUNRISE",
            held_on=_OPENS.date(),
            opens_at=_OPENS,
            closes_at=_OPENS.add(hours=8),
            motions=[Motion(f"M{n}", kind, "议题") for n, kind in enumerate(kinds, 1)],
        )
    )


def ballot_boxes(*, max_owners: int = 8) -> st.SearchStrategy[BallotBox]:
    """Boxes of a drawn meeting and electorate, with valid proxies and ballots."""

    @st.composite
    def build(draw: st.DrawFn) -> BallotBox:
        meeting = draw(meetings())
        count = draw(st.integers(1, max_owners))
        areas = draw(st.lists(st.integers(30, 900), min_size=count, max_size=count))
        electors = [Elector(f"P{n}", Decimal(area), (f"U{n}",)) for n, area in enumerate(areas, 1)]
        voters = Electorate("SUNRISE", meeting.held_on, electors)
        proxied = draw(st.sets(st.sampled_from([e.party_id for e in electors])))
        proxies = [Proxy(f"WT-{p}", owner_id=p, holder_id="X1") for p in sorted(proxied)]
        ballots = []
        for motion in meeting.motions:
            for elector in electors:
                choice = draw(st.sampled_from([None, *Choice]))
                if choice is None:
                    continue
                owner = elector.party_id
                at = _OPENS.add(minutes=draw(st.integers(0, 480)))
                proxy = f"WT-{owner}" if owner in proxied else None
                ballot_id = f"{motion.motion_id}-{owner}"
                ballots.append(Ballot(ballot_id, motion.motion_id, owner, choice, at, proxy=proxy))
        return BallotBox(meeting, voters, proxies, ballots)

    return build()
