"""Benchmark: store a 10,000-unit community's year of accounts, load and replay it, scan arrears.

Run ``python benchmarks/bench_storage.py`` (needs the ``postgresql`` extra). The community is
built in memory from a seeded random generator (never the clock): 10,000 accounts, each with 12
monthly fee notices (December 2025 to November 2026) and 1 to 3 bank receipts. Building it is
not timed. Then, on SQLite (a fresh file) and on PostgreSQL (``PROPCRM_PG_URL``, or a throwaway
cluster started from the installed server binaries, as the tests do, and stopped at the end):

- **store**: one unit of work adds every account (its stream, events, snapshot, statement
  index and bank references) and commits;
- **load**: one unit of work replays every account of the community from its events
  (``accounts.replay_all``, a few queries per thousand accounts); then, for information, one
  reads each from its snapshot (``accounts.get``, two queries each); both must equal the
  account stored;
- **arrears**: the community's arrears scan as of 2026-12-20, every page of 100.

The **floor** is the same rows (the same documents, already written as text) inserted into the
same SQLite schema with the standard library's ``sqlite3`` and ``executemany``, no library in
between, in one transaction: what storing costs with nothing but the database.
``floor_ratio`` is the SQLite store time over the floor's. The last line printed is::

    units=10000 sqlite_store_s=S sqlite_load_s=L pg_store_s=P pg_load_s=Q floor_ratio=R

The goal is R <= 3 and L < 2 on a two-core machine; nothing asserts it. ``--units N`` runs a
smaller community; ``--no-pg`` skips PostgreSQL (its figures print as ``nan``). On the two-core
development machine, quiet (load average about 1), with PostgreSQL started by the benchmark::

    sqlite: store 3.80 s (CPU 3.39), load+replay 1.61 s (CPU 1.61), from snapshots 2.80 s, ...
    floor (sqlite3 executemany of the same rows): 1.53 s
    postgresql: store 11.11 s (CPU 7.63), load+replay 1.88 s (CPU 1.66), from snapshots 5.86 s, ...
    units=10000 sqlite_store_s=3.80 sqlite_load_s=1.61 pg_store_s=11.11 pg_load_s=1.88 \
        floor_ratio=2.47

Over three more quiet runs of ``--no-pg`` the load and replay took 1.58 to 1.62 s and the ratio
was 2.53 to 2.59. Before statements were read in two parts (their repeating part from the lines
on looked up by its text), over six quiet runs: 1.96 to 2.30 s, ratio 2.70 to 2.91.
Once each statement's late fee was kept by the fold in closed form (worked out when an event
changes it, which makes the per-account month end 2.3 times faster: ``bench_billing_run.py``),
the replay does that work as it reads: two quiet runs of ``--no-pg`` took 1.87 and 1.83 s to
load and replay (ratio 2.55 and 2.67), the second once a new statement's form was worked out
without building its empty steps; an A/B run of the load alone, 5,000 accounts, 0.85 s CPU
before the closed form, 0.96 s with it, 0.91 s now.

On 7 December 2026 in the afternoon, quiet (load average about 1), once each ledger kept its
statements' ints in int64 columns: this code 2.32 and 2.04 s to load and replay, the code of
that morning (the closed form, 1.83 s the day before) 2.17 s between them. The machine was
slower that afternoon than the day before (the requests benchmark too, by about a tenth), and
the columns do not make the load slower, but the run is over issue 13's 2 s.

(``docs/performance.md``, "Storage", says where the load's time goes.)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import sqlalchemy as sa

from propcrm.billing import opening_statement
from propcrm.money import Money
from propcrm.receivables import Account, Receipt
from propcrm.storage import AccountId
from propcrm.storage.sql import SqlStore, upgrade
from propcrm.testing.postgresql import postgresql_url
from propcrm.time import BillingPeriod

COMMUNITY = "BENCH"
MONTHS = [(2025, 12), *((2026, m) for m in range(1, 12))]
AS_OF = pendulum.date(2026, 12, 20)
# This process's CPU seconds of the last store and load: on a shared machine the wall-clock
# figures include waiting for a core; these do not (printed for information).
CPU: dict[str, float] = {}


def community(units: int) -> list[tuple[AccountId, Account]]:
    rng = random.Random(20261206)
    accounts = []
    for n in range(1, units + 1):
        unit_id = f"{1 + n // 1000}-{1 + n % 1000 // 100}-{n % 100:04d}"
        owner = f"owner-{n}"
        fee = Decimal(rng.randrange(30000, 300000)) / 100
        events: list[Any] = []
        for year, month in MONTHS:
            period = BillingPeriod.month(year, month)
            events.append(
                opening_statement(
                    community=COMMUNITY,
                    unit_id=unit_id,
                    period=period,
                    amount=Money(fee),
                    due_on=period.end.add(days=10),
                    billed_party=owner,
                )
            )
        for k in range(rng.randint(1, 3)):
            day = pendulum.date(2026, rng.randint(1, 11), rng.randint(1, 28))
            amount = Money(fee * rng.randint(1, 4))
            events.append(Receipt(f"R{n:05d}-{k}", amount, received_on=day))
        account = Account(unit_id, billed_party=owner).post(*events)
        accounts.append((AccountId(COMMUNITY, unit_id, owner), account))
    return accounts


def store_all(store: SqlStore, accounts: list[tuple[AccountId, Account]]) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    with store() as uow:
        for account_id, account in accounts:
            uow.accounts.add(account_id, account)
        uow.commit()
    CPU["store"] = time.process_time() - cpu
    return time.perf_counter() - started


def load_all(store: SqlStore, accounts: list[tuple[AccountId, Account]]) -> tuple[float, float]:
    ids = [account_id for account_id, _account in accounts]
    started, cpu = time.perf_counter(), time.process_time()
    with store() as uow:
        replayed = [versioned.value for _id, versioned in uow.accounts.replay_all(COMMUNITY)]
    load = time.perf_counter() - started
    CPU["load"] = time.process_time() - cpu
    by_unit = dict(accounts)
    accounts = sorted(by_unit.items(), key=lambda item: item[0].sort_key)
    ids = [account_id for account_id, _account in accounts]
    started = time.perf_counter()
    with store() as uow:
        snapshots = [uow.accounts.get(account_id).value for account_id in ids]
    snapshot = time.perf_counter() - started
    for (_id, account), again, snap in zip(accounts, replayed, snapshots, strict=True):
        if again != account or snap != account:
            sys.exit(f"account {_id} did not come back equal")
    return load, snapshot


def arrears(store: SqlStore) -> tuple[float, int]:
    started = time.perf_counter()
    count, token = 0, None
    with store() as uow:
        while True:
            page = uow.accounts.arrears(COMMUNITY, AS_OF, limit=100, after=token)
            count += len(page.items)
            token = page.next
            if token is None:
                break
    return time.perf_counter() - started, count


def floor(path: Path, source: Path) -> float:
    """The same rows, read back from the library's own database, inserted with sqlite3."""
    with sqlite3.connect(source) as conn:
        tables = {
            name: conn.execute(f"SELECT * FROM {name}").fetchall()
            for name in (
                "propcrm_accounts",
                "propcrm_account_events",
                "propcrm_statements",
                "propcrm_receipts",
            )
        }
    upgrade(f"sqlite:///{path}")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, rows in tables.items():
        marks = ",".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def run(store: SqlStore, accounts: list[tuple[AccountId, Account]], name: str) -> list[float]:
    stored = store_all(store, accounts)
    load, snapshot = load_all(store, accounts)
    scan, owing = arrears(store)
    print(
        f"{name}: store {stored:.2f} s (CPU {CPU['store']:.2f}), load+replay {load:.2f} s "
        f"(CPU {CPU['load']:.2f}), from snapshots {snapshot:.2f} s, arrears scan {scan:.2f} s "
        f"({owing} accounts owing)"
    )
    return [stored, load]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--no-pg", action="store_true")
    options = parser.parse_args()
    accounts = community(options.units)
    events = sum(len(a.events) for _id, a in accounts)
    print(f"{options.units} accounts, {events} events")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crm.sqlite"
        store = SqlStore(path, upgrade=True, pause_gc=True)
        sqlite_store, sqlite_load = run(store, accounts, "sqlite")
        store.dispose()
        floor_s = floor(Path(folder) / "floor.sqlite", path)
    print(f"floor (sqlite3 executemany of the same rows): {floor_s:.2f} s")
    pg_store = pg_load = float("nan")
    if not options.no_pg:
        with postgresql_url() as url:
            engine = sa.create_engine(url)
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA IF EXISTS propcrm_bench CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA propcrm_bench"))
            engine.dispose()
            engine = sa.create_engine(url, connect_args={"options": "-csearch_path=propcrm_bench"})
            pg_store, pg_load = run(
                SqlStore(engine, upgrade=True, pause_gc=True), accounts, "postgresql"
            )
            engine.dispose()
    print(
        f"units={options.units} sqlite_store_s={sqlite_store:.2f} sqlite_load_s={sqlite_load:.2f} "
        f"pg_store_s={pg_store:.2f} pg_load_s={pg_load:.2f} "
        f"floor_ratio={sqlite_store / floor_s:.2f}"
    )


if __name__ == "__main__":
    main()
