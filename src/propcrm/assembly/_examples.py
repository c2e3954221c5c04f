"""A small vote the demo and the guide can show: it passes on heads and fails on area.

Four owners of 90 ㎡ flats vote for a fee adjustment (one through a proxy); the owner of the
600 ㎡ shopping arcade votes against. Everyone takes part, so the vote is quorate; four of five
owners consent (80 % of heads, more than half) but they hold only 360 of 960 ㎡ (37.5 % of the
area, not more than half), so the motion fails: art. 278 needs both majorities.
"""

from __future__ import annotations

import pendulum

from propcrm._property_types import PropertyType
from propcrm.assembly._ballots import BallotBox
from propcrm.assembly._electorate import electorate
from propcrm.assembly._meetings import Ballot, Choice, Meeting, Motion, Proxy
from propcrm.assembly._policy import MotionKind
from propcrm.assembly._tally import Tally, tally
from propcrm.parties import Owner, PartyBook, Person, Unit
from propcrm.personal_data import PersonName

__all__ = ["example_vote"]

_ZONE = "Asia/Shanghai"


def _unit(unit_id: str, area: str, kind: PropertyType) -> Unit:
    return Unit(
        unit_id=unit_id,
        community="SUNRISE",
        building="1",
        floor=1,
        number=unit_id,
        property_type=kind,
        building_area=area,
    )


def example_vote() -> Tally:
    """The tally of the example fee adjustment: quorate, 4 of 5 owners for, 37.5 % of the area.

    >>> example_vote().passed
    False
    """
    since = pendulum.date(2020, 1, 1)
    names = {"P1": "王伟", "P2": "李娜", "P3": "张敏", "P4": "刘洋", "P5": "陈静", "P9": "赵磊"}
    flats = [_unit(f"1-010{n}", "90", PropertyType.RESIDENTIAL) for n in range(1, 5)]
    arcade = _unit("1-S01", "600", PropertyType.COMMERCIAL)
    book = PartyBook(
        parties=[Person(party_id=p, name=PersonName(n)) for p, n in names.items()],
        units=[*flats, arcade],
        relations=[
            *(
                Owner(relation_id=f"R{n}", party_id=f"P{n}", unit_id=f"1-010{n}", start=since)
                for n in range(1, 5)
            ),
            Owner(relation_id="R5", party_id="P5", unit_id="1-S01", start=since),
        ],
    )
    opens = pendulum.datetime(2026, 6, 20, 9, tz=_ZONE)
    meeting = Meeting(
        meeting_id="AGM-2026",
        community="SUNRISE",
        held_on=pendulum.date(2026, 6, 20),
        opens_at=opens,
        closes_at=opens.add(hours=8),
        motions=[
            Motion(
                "M1",
                MotionKind.FEE_ADJUSTMENT,
                "物业管理费由2.50元/㎡/月调整为2.80元/㎡/月",
                resolution="业主大会决议〔2026〕1号",
            )
        ],
    )
    box = BallotBox(meeting, electorate(book, "SUNRISE", meeting.held_on))
    box = box.with_proxy(Proxy("WT-2026-001", owner_id="P4", holder_id="P9"))
    box = box.cast(
        *(
            Ballot(f"B{n}", "M1", f"P{n}", Choice.FOR, opens.add(minutes=10 * n))
            for n in range(1, 4)
        ),
        Ballot("B4", "M1", "P4", Choice.FOR, opens.add(minutes=40), proxy="WT-2026-001"),
        Ballot("B5", "M1", "P5", Choice.AGAINST, opens.add(minutes=50)),
    )
    return tally(box, "M1")
