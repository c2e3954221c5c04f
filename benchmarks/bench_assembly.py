"""An owners' assembly: a 20,000-unit community votes on three motions with 15,000 ballots.

20,000 units (flats of 60-160 ㎡ and a few shops), 18,000 owners (some own two units, one unit
in ten has two co-owners), a meeting with three motions (a fee adjustment, using the repair
fund, raising the repair fund), and 15,000 owners voting on each (a few hundred by proxy, some
of whom also vote in person). Building the party book, drawing the electorate and filling the
ballot box are timed and printed, but are not the tally: a host draws the electorate once and
fills the box as ballots arrive. The tally counts every motion and writes its explanation.

Last line: ``ballots=15000 tally_ms=T``.
"""

from __future__ import annotations

import random
import time

import pendulum

from propcrm._property_types import PropertyType
from propcrm.assembly import (
    Ballot,
    BallotBox,
    Choice,
    Electorate,
    Meeting,
    Motion,
    MotionKind,
    Proxy,
    electorate,
    tally,
)
from propcrm.parties import Owner, PartyBook, Person, Unit
from propcrm.personal_data import PersonName

UNITS = 20_000
VOTERS = 15_000
SINCE = pendulum.date(2020, 1, 1)
ZONE = "Asia/Shanghai"


def build_book(rng: random.Random) -> PartyBook:
    units, relations, parties = [], [], {}
    owner_count = 0
    for n in range(UNITS):
        shop = n % 200 == 0
        area = str(rng.randint(200, 900) if shop else rng.randint(60, 160)) + ".25"
        unit_id = f"U{n:05d}"
        units.append(
            Unit(
                unit_id=unit_id,
                community="SUNRISE",
                building=str(n // 400 + 1),
                floor=n % 30 + 1,
                number=f"{n % 400:04d}",
                property_type=PropertyType.COMMERCIAL if shop else PropertyType.RESIDENTIAL,
                building_area=area,
            )
        )
        # One unit in ten from 2,000 on goes to an owner who already has one: 18,000 owners.
        if n >= 2_000 and n % 10 == 0:
            holder = f"P{rng.randrange(owner_count):05d}"
        else:
            holder = f"P{owner_count:05d}"
            owner_count += 1
        if n % 10 == 5:  # co-owned: 60 % and 40 %
            co = f"C{n:05d}"
            parties[co] = Person(party_id=co, name=PersonName("李娜"))
            relations.append(
                Owner(
                    relation_id=f"R{n}a", party_id=holder, unit_id=unit_id, start=SINCE, share="0.6"
                )
            )
            relations.append(
                Owner(relation_id=f"R{n}b", party_id=co, unit_id=unit_id, start=SINCE, share="0.4")
            )
        else:
            relations.append(
                Owner(relation_id=f"R{n}", party_id=holder, unit_id=unit_id, start=SINCE)
            )
        parties.setdefault(holder, Person(party_id=holder, name=PersonName("王伟")))
    parties["PROXY1"] = Person(party_id="PROXY1", name=PersonName("赵磊"))
    return PartyBook(parties=parties.values(), units=units, relations=relations)


def agm() -> Meeting:
    """The annual meeting: three motions, two weeks of voting."""
    opens = pendulum.datetime(2026, 6, 20, 9, tz=ZONE)
    return Meeting(
        meeting_id="AGM-2026",
        community="SUNRISE",
        held_on=pendulum.date(2026, 6, 20),
        opens_at=opens,
        closes_at=opens.add(days=14),
        motions=[
            Motion("M1", MotionKind.FEE_ADJUSTMENT, "物业费调整"),
            Motion("M2", MotionKind.USE_REPAIR_FUND, "使用维修资金更换电梯"),
            Motion("M3", MotionKind.RAISE_REPAIR_FUND, "续筹维修资金"),
        ],
    )


def the_vote(
    rng: random.Random, voters: Electorate, opens: pendulum.DateTime
) -> tuple[list[Proxy], list[Ballot]]:
    """``VOTERS`` owners' ballots on each motion, 300 of them by proxy (some also in person)."""
    chosen = rng.sample([e.party_id for e in voters.electors], VOTERS)
    proxied = chosen[:300]
    proxies = [Proxy(f"WT{i:04d}", owner_id=p, holder_id="PROXY1") for i, p in enumerate(proxied)]
    by_owner = {p.owner_id: p.authorisation for p in proxies}
    choices = list(Choice)
    ballots = []
    for motion in ("M1", "M2", "M3"):
        for i, owner in enumerate(chosen):
            at = opens.add(minutes=i % 10_000)
            choice = rng.choices(choices, weights=(6, 3, 1))[0]
            proxy = by_owner.get(owner)
            ballots.append(Ballot(f"{motion}-{i}", motion, owner, choice, at, proxy=proxy))
            if proxy is not None and i % 3 == 0:  # the owner also came in person
                ballots.append(Ballot(f"{motion}-{i}-own", motion, owner, choice, at.add(hours=1)))
    return proxies, ballots


def main() -> None:
    rng = random.Random(17)
    started = time.perf_counter()
    book = build_book(rng)
    book_s = time.perf_counter() - started
    meeting = agm()
    started = time.perf_counter()
    voters = electorate(book, "SUNRISE", meeting.held_on)
    electorate_s = time.perf_counter() - started
    proxies, ballots = the_vote(rng, voters, meeting.opens_at)
    started = time.perf_counter()
    box = BallotBox(meeting, voters, proxies, ballots)
    box_s = time.perf_counter() - started

    started = time.perf_counter()
    results = [tally(box, m.motion_id) for m in meeting.motions]
    texts = [r.describe("zh_CN") for r in results]
    tally_ms = (time.perf_counter() - started) * 1000

    for text in texts:
        print(text)
        print()
    print(
        f"units={UNITS} owners={voters.total_heads} book_s={book_s:.2f} "
        f"electorate_s={electorate_s:.2f} box_s={box_s:.2f} ballots_in_box={len(box.ballots)}"
    )
    print(f"ballots={VOTERS} tally_ms={tally_ms:.0f}")


if __name__ == "__main__":
    main()
