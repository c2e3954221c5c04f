"""A page of 100 from 50,000 entries on SQLite: what a back office's list screen costs.

- Contacts: 50,000 contacts of one community over November 2026; the desk lists them in time
  order (``uow.contacts.between``, the kernel's time-ordered page), the first page and the one
  after it (from its token).
- Parking spaces: 50,000 spaces of one community; the back office lists them by id
  (``uow.parking.spaces``, the kernel's page by key), the first page and the next.

Each page is read in a unit of work of its own, best of ``--repeat``; the store is built once
in a SQLite file (``--db``, kept if given, so a second run times the pages alone).

Last line: ``entries=50000 contacts_page_ms=C contacts_next_ms=N spaces_page_ms=S
spaces_next_ms=T``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pendulum

from propcrm.contacts import Channel, Contact, ContactOutcome, Direction, Purpose
from propcrm.parking import ParkingSpace, SpaceKind
from propcrm.storage import Page
from propcrm.storage.sql import SqlStore

COMMUNITY = "SUNRISE"
FIRST = pendulum.datetime(2026, 11, 1, 8, 0, tz="Asia/Shanghai")
BATCH = 5_000


def build(store: SqlStore, count: int) -> None:
    for start in range(0, count, BATCH):
        with store() as uow:
            for i in range(start, min(count, start + BATCH)):
                uow.contacts.add(
                    COMMUNITY,
                    Contact(
                        contact_id=f"C{i:06d}",
                        # Spread over the month, every 48 seconds; ids and times in one order.
                        at=FIRST.add(seconds=48 * i),
                        channel=Channel.HOTLINE,
                        direction=Direction.INBOUND,
                        purpose=Purpose.ENQUIRY,
                        outcome=ContactOutcome.RESOLVED,
                        staff=f"S{i % 50:02d}",
                        party_id=f"P{i % 20_000:05d}",
                        duration_seconds=120,
                    ),
                )
                uow.parking.save_space(
                    COMMUNITY,
                    ParkingSpace(f"P-{i:06d}", f"B1-{i:06d}", SpaceKind.UNDERGROUND),
                    0,
                )
            uow.commit()


def best(repeat: int, read: Callable[[], Page[object]]) -> tuple[float, Page[object]]:
    times, page = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        page = read()
        times.append(time.perf_counter() - started)
    assert page is not None
    return min(times) * 1000, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "pages.sqlite"
        fresh = not path.exists()
        store = SqlStore(path, upgrade=True)
        if fresh:
            started = time.perf_counter()
            build(store, args.entries)
            took = time.perf_counter() - started
            print(f"stored {args.entries} contacts and spaces in {took:.1f} s")
        end = FIRST.add(days=31)

        def contacts(after: str | None) -> Callable[[], Page[object]]:
            def read() -> Page[object]:
                with store() as uow:
                    return uow.contacts.between(COMMUNITY, FIRST, end, limit=100, after=after)  # type: ignore[return-value]

            return read

        def spaces(after: str | None) -> Callable[[], Page[object]]:
            def read() -> Page[object]:
                with store() as uow:
                    return uow.parking.spaces(COMMUNITY, limit=100, after=after)  # type: ignore[return-value]

            return read

        c_first, page = best(args.repeat, contacts(None))
        assert len(page.items) == 100
        assert page.next is not None
        c_next, following = best(args.repeat, contacts(page.next))
        assert len(following.items) == 100
        s_first, page = best(args.repeat, spaces(None))
        assert len(page.items) == 100
        assert page.next is not None
        s_next, following = best(args.repeat, spaces(page.next))
        assert len(following.items) == 100
        store.dispose()
        print(
            f"entries={args.entries} contacts_page_ms={c_first:.1f} contacts_next_ms={c_next:.1f} "
            f"spaces_page_ms={s_first:.1f} spaces_next_ms={s_next:.1f}"
        )


if __name__ == "__main__":
    main()
