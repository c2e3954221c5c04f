"""The owners' assembly stored: the 20,000-unit vote of ``bench_assembly.py`` in a SQLite file.

The same community, meeting and ballots as ``bench_assembly.py`` (15,000 owners voting on three
motions, a few hundred by proxy: about 45,000 ballots). Timed on a fresh SQLite file: opening
the box (the meeting and its electorate of 18,000 owners), casting the ballots in sheets of
1,000 per unit of work as polling desks enter them, reading the box back whole, and tallying it.

Last line: ``ballots=15000 entries=N open_s=O cast_s=C read_s=R tally_ms=T``.
"""

from __future__ import annotations

import pathlib
import random
import tempfile
import time

import pendulum

# Run as a script, its own directory is on the path: the community is bench_assembly's.
from bench_assembly import VOTERS, build_book
from propcrm.assembly import (
    Ballot,
    BallotBox,
    Choice,
    Meeting,
    Motion,
    MotionKind,
    Proxy,
    electorate,
    tally,
)
from propcrm.storage.sql import SqlStore

SHEET = 1_000
ZONE = "Asia/Shanghai"


def main() -> None:
    rng = random.Random(17)
    book = build_book(rng)
    opens = pendulum.datetime(2026, 6, 20, 9, tz=ZONE)
    meeting = Meeting(
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
    voters = electorate(book, "SUNRISE", meeting.held_on)
    chosen = rng.sample([e.party_id for e in voters.electors], VOTERS)
    proxies = [
        Proxy(f"WT{i:04d}", owner_id=p, holder_id="PROXY1") for i, p in enumerate(chosen[:300])
    ]
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

    path = pathlib.Path(tempfile.mkdtemp()) / "assembly.sqlite"
    store = SqlStore(path, upgrade=True)
    try:
        started = time.perf_counter()
        with store() as uow:
            uow.meetings.open_box(BallotBox(meeting, voters, proxies))
            uow.commit()
        open_s = time.perf_counter() - started

        started = time.perf_counter()
        for first in range(0, len(ballots), SHEET):
            with store() as uow:
                uow.meetings.cast("SUNRISE", "AGM-2026", *ballots[first : first + SHEET])
                uow.commit()
        cast_s = time.perf_counter() - started

        started = time.perf_counter()
        with store() as uow:
            box = uow.meetings.box("SUNRISE", "AGM-2026")
        read_s = time.perf_counter() - started

        started = time.perf_counter()
        results = [tally(box, m.motion_id) for m in meeting.motions]
        texts = [r.describe("zh_CN") for r in results]
        tally_ms = (time.perf_counter() - started) * 1000
    finally:
        store.dispose()

    print(texts[0].splitlines()[0])
    print(
        f"electors={len(box.electorate.electors)} proxies={len(box.proxies)} file_mb="
        f"{path.stat().st_size / 1e6:.1f}"
    )
    print(
        f"ballots={VOTERS} entries={len(box.ballots)} open_s={open_s:.2f} cast_s={cast_s:.2f} "
        f"read_s={read_s:.2f} tally_ms={tally_ms:.0f}"
    )


if __name__ == "__main__":
    main()
