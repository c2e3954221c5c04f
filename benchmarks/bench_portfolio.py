"""Portfolio month end: 1,000,000 units x 12 months, one process against a two-worker Dask cluster.

The facts are written as a warehouse exports them: one folder of Parquet files per community
(``write_facts``), 25,000 units each, 12 monthly statements per unit (2025-10 to 2026-09, due
the 10th of the following month, the default late-fee policy) and up to two partial payments
per statement (principal reductions). They are synthesised over columns, with a seeded
generator (never the clock): posting a million histories through ``Account`` would take the
better part of an hour and is not what is measured (``bench_billing_run.py`` checks the batch
path against the per-account path; the suite checks it on every policy).

Timed, as of 2026-10-31:

* single: one process runs :func:`propcrm.portfolio.month_end` over each community's folder in
  turn and keeps the aging;
* dask: :func:`propcrm.portfolio.distributed_month_end` over the same folders on a local
  cluster of two worker processes (one thread each), gathering the aging only
  (``columns=()``). The cluster's start-up is timed and printed apart.

The two agings are checked equal on every account and bucket, or the script exits 1.
``max_rss_mb`` is the largest peak RSS of the processes involved: this one (the client and the
scheduler) and each worker, read with ``resource.getrusage`` in the worker (``client.run``).
The cluster starts before anything large is built, so a worker's peak is its own.

Last line: ``units=N single_s=S dask_s=D max_rss_mb=M``. The goal (issue 15): M <= 2000 and
D no worse than S plus the start-up on a two-core machine.

The facts carry the warehouse's integer ``key`` (see :mod:`propcrm.portfolio`), so the month
end links them to their statements without reading their text.

Measured 2026-12-07 on the shared two-core machine, loaded (load average 6 to 9 while it ran):
single 17.8 s, dask 17.7 s (+ 3.4 s to start the cluster), this process peaking at 903 MB and
the workers at 510 and 533 MB: ``units=1000000 single_s=17.84 dask_s=17.65 max_rss_mb=903``.
Before (facts without keys, linked by their text; sums taken by polars): single 52 s, dask
59 s (+ 1.5 s), 885 MB.

On the quiet machine (load average about 1), 7 December 2026 in the afternoon:
``units=1000000 single_s=4.70 dask_s=5.88 max_rss_mb=871`` (+ 0.8 s start-up): the goal missed
by 0.4 s. The workers' CPU is 8.3 s against the single process's 6.8 s, and the client's 1.2 s;
``POLARS_MAX_THREADS=1`` in the workers did not help (6.13 s).

Once the client fetched each part as its task finished (rather than all of them after the
last), quiet again (load average 1.1 to 1.9), 7 December 2026, alternately with the code before:
``units=1000000 single_s=4.72 dask_s=5.11 max_rss_mb=728`` and ``single_s=4.77 dask_s=5.19
max_rss_mb=724`` (+ 0.8 s start-up each): the cluster 0.4 s inside the single process plus its
start-up; the code before, ``single_s=4.52 dask_s=5.44`` and ``single_s=4.87 dask_s=5.83``
(870 MB), 0.1 to 0.2 s over it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time

import numpy as np
import polars as pl
from distributed import Client, LocalCluster

from propcrm.billing import DEFAULT_LATE_FEE
from propcrm.portfolio import (
    DEFERRAL_SCHEMA,
    DISPUTE_SCHEMA,
    REDUCTION_SCHEMA,
    STATEMENT_SCHEMA,
    MonthEnd,
    PortfolioFacts,
    cap_ratio,
    distributed_month_end,
    month_end,
    scan_facts,
    write_facts,
)

AS_OF = datetime.date(2026, 10, 31)
MONTHS = 12


def keyed(columns: dict[str, str]) -> dict[str, str]:
    """A frame's columns and the integer key that links the facts to their statement."""
    return {**columns, "key": "Int64"}


def schema(columns: dict[str, str]) -> pl.Schema:
    return pl.Schema({name: getattr(pl, kind) for name, kind in columns.items()})


def community_facts(index: int, first: int, units: int, rng: np.random.Generator) -> PortfolioFacts:
    """One community's facts: ``units`` units from id ``first``, 12 statements each."""
    name = f"C{index:03d}"
    unit = np.repeat(np.arange(first, first + units), MONTHS)
    month = np.tile(np.arange(MONTHS), units)
    n = unit.size
    # Period m: 2025-10 + m; due the 10th of the month after.
    year = 2025 + (month + 10) // 12
    mon = (month + 10) % 12 + 1
    due = np.array(
        [datetime.date(y, m, 10).toordinal() for y, m in zip(year, mon, strict=True)],
        dtype=np.int64,
    )
    principal = rng.integers(5_000, 300_000, n)
    # Three in five statements paid in full, in one or two parts; the rest in part or not at all.
    full = rng.random(n) < 0.6
    paid = np.where(full, principal, rng.integers(0, principal))
    split = rng.random(n) < 0.5
    first_part = np.where(split, paid // 2, paid)
    parts = [first_part, paid - first_part]
    days = [rng.integers(-20, 60, n), rng.integers(60, 120, n)]
    accounts = pl.Series([f"U{u:07d}" for u in unit])
    periods = pl.Series(
        [f"{y}-{m:02d}" for y, m in zip(year - (mon == 1), (mon - 2) % 12 + 1, strict=True)]
    )
    statement = pl.concat_str([pl.lit(name + "/"), periods, pl.lit("/"), accounts])
    rate_num, rate_den = DEFAULT_LATE_FEE.rate_ratio
    kind, cap_num, cap_den = cap_ratio(DEFAULT_LATE_FEE)
    zero = np.zeros(n, dtype=np.int64)
    statements = pl.DataFrame(
        {
            "account": accounts,
            "seq": month.astype(np.int32),
            "community": [name] * n,
            "statement": pl.select(statement).to_series(),
            "number": pl.select(statement).to_series(),
            "currency": ["CNY"] * n,
            "due_on": pl.Series(due - 719163, dtype=pl.Int32).cast(pl.Date),
            "principal_fen": principal,
            "paid_fen": paid,
            "waived_fen": zero,
            "fee_paid_fen": zero,
            "fee_waived_fen": zero,
            "fee_written_fen": zero,
            "costs_fen": zero,
            "costs_paid_fen": zero,
            "costs_written_fen": zero,
            "written_off": np.zeros(n, dtype=bool),
            "rate_num": np.full(n, rate_num),
            "rate_den": np.full(n, rate_den),
            "grace_days": np.full(n, DEFAULT_LATE_FEE.grace_days, dtype=np.int32),
            "grace_threshold": np.zeros(n, dtype=bool),
            "start_on_due": np.zeros(n, dtype=bool),
            "daily_compounding": np.zeros(n, dtype=bool),
            "cap_kind": [kind] * n,
            "cap_num": np.full(n, cap_num),
            "cap_den": np.full(n, cap_den),
            "cap_days": np.zeros(n, dtype=np.int32),
            "rounding": [DEFAULT_LATE_FEE.rounding.name] * n,
            # The warehouse's integer key of each statement, unique over the portfolio.
            "key": np.arange(first * MONTHS, first * MONTHS + n, dtype=np.int64),
        },
        schema=schema(keyed(STATEMENT_SCHEMA)),
    )
    keys = statements.select("account", "statement", "key")
    reductions = pl.concat(
        [
            keys.with_columns(
                on=pl.Series(due + day - 719163, dtype=pl.Int32).cast(pl.Date),
                amount_fen=pl.Series(part, dtype=pl.Int64),
            ).filter(pl.col("amount_fen") > 0)
            for part, day in zip(parts, days, strict=True)
        ]
    ).filter(pl.col("on") <= AS_OF)
    return PortfolioFacts(
        statements,
        reductions.select(*REDUCTION_SCHEMA, "key").cast(schema(keyed(REDUCTION_SCHEMA))),
        pl.DataFrame(schema=schema(keyed(DEFERRAL_SCHEMA))),
        pl.DataFrame(schema=schema(keyed(DISPUTE_SCHEMA))),
    )


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--per-community", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=20261031)
    args = parser.parse_args()

    # The cluster first, while this process is small: a worker's ru_maxrss starts from its
    # parent's peak at the fork.
    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    client = Client(cluster)
    startup = time.perf_counter() - started
    print(f"cluster of 2 workers started in {startup:.1f} s")

    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as root:
        folders = []
        started = time.perf_counter()
        for index, first in enumerate(range(0, args.units, args.per_community)):
            units = min(args.per_community, args.units - first)
            folder = os.path.join(root, f"C{index:03d}")
            os.mkdir(folder)
            write_facts(community_facts(index, first, units, rng), folder)
            folders.append(folder)
        print(
            f"wrote {args.units} units' facts in {len(folders)} community folders in "
            f"{time.perf_counter() - started:.1f} s (not timed)"
        )

        started = time.perf_counter()
        agings = [month_end(scan_facts(folder), AS_OF).aging for folder in folders]
        single = pl.concat(agings)
        single_s = time.perf_counter() - started
        del agings

        started = time.perf_counter()
        result: MonthEnd = distributed_month_end(client, folders, AS_OF, columns=())
        dask_s = time.perf_counter() - started

    if not result.aging.equals(single) or result.explain:
        print("MISMATCH: the cluster's aging differs from the single process's")
        return 1
    accounts = single.get_column("account").n_unique()
    owed = single.select(pl.col("principal_fen", "late_fees_fen").sum()).row(0)
    print(
        f"equal on every one of {accounts} owing accounts and {single.height} aging rows "
        f"(principal ¥{owed[0] / 100:,.2f}, late fees ¥{owed[1] / 100:,.2f})"
    )
    workers = client.run(peak_mb)
    client.close()
    cluster.close()
    rss = max(peak_mb(), *workers.values())
    print(f"peak RSS: this process {peak_mb()} MB, workers {sorted(workers.values())} MB")
    print(f"single {single_s:.2f} s; dask {dask_s:.2f} s (+ start-up {startup:.1f} s)")
    print(f"units={args.units} single_s={single_s:.2f} dask_s={dask_s:.2f} max_rss_mb={rss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
