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

# Run as a script, its own directory is on the path: the community is bench_assembly's.
from bench_assembly import VOTERS, agm, build_book, the_vote
from propcrm.assembly import (
    BallotBox,
    electorate,
    tally,
)
from propcrm.storage.sql import SqlStore

SHEET = 1_000


def main() -> None:
    rng = random.Random(17)
    book = build_book(rng)
    meeting = agm()
    voters = electorate(book, "SUNRISE", meeting.held_on)
    proxies, ballots = the_vote(rng, voters, meeting.opens_at)

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
