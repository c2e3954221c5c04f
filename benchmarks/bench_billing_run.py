"""Month-end run: every late fee and the arrears aging of 100,000 accounts, four ways.

Each account has 12 monthly statements (2025-10 to 2026-09, due the 10th of the following
month) and up to 3 partial receipts per statement, posted as they arrived (so allocated under
the Civil Code order); some statements end up paid, some not. The run, as of 2026-10-31,
computes what every statement still owes (principal, late fee, costs) and ages it into the
default buckets, four ways, in one run, each checked equal to the others on EVERY account:

* ours, per account: ``age_account`` over the posted accounts (the explained path's fast path);
* ours, batch: :func:`propcrm.portfolio.month_end` over the portfolio's stored facts (polars,
  integer fen);
* a competent plain-Python loop over the same facts: a running balance per statement, the
  fee accrued as balance × days between the events that change it (never day by day, never
  re-adding every payment), half-up once, in ints;
* numpy over the same facts: the same closed form vectorised over integer arrays.

Posting the histories and extracting the facts (``Account.positions``) are timed and printed,
not part of the run: a host posts receipts as they come in, and its store holds the facts.
The batch path's peak memory is measured in a separate process that reads the facts from
Parquet and runs the batch path alone, a range of accounts at a time.

What is timed is the same work for all four, from inputs built beforehand and not timed
(the batch path's frames, the loop's tuples, numpy's arrays): neither side's timing includes
building its columns from Python objects. The batch path and numpy start from the very same
stored columns, numpy's arrays being the facts' frames' columns (``numpy_arrays``): the due
date as billed and the deferrals apart, the late fee paid, waived and written off apart, the
reductions, and each fact's integer ``key`` (the statement it belongs to, as a warehouse's
surrogate key). Each links every fact to its statement row from the keys itself, in its
timing, and works out the due date in force and the fee settled itself; numpy finds each
statement's account from ``seq`` (0 starts an account: they are stored together), which it
trusts, where the batch path finds the accounts from their ids and checks they are together.
The plain loop is the per-account path's reference: its tuples nest each statement's
reductions under it. The batch path over the same facts without their keys (linked by their
text) is timed too and printed for information. Times are CPU seconds
(``time.process_time``, all of a process's threads: polars uses two), the median of five
runs for the batch path and numpy and of three for the per-account path and the plain loop,
with the wall clock printed beside; the machine is shared, so only ratios measured in the
same run are compared. Each run's result is dropped before the next, so only the first run
of each takes memory for its results from the system; that run is printed apart, with its
kernel time (on the machine of 8 December 2026 the per-account path's first run spent about
0.8 s of kernel time on its 100,000 results' memory, which the plain loop's few ints do not
need; before that date the per-account path and the plain loop were timed once each).

After the four, :func:`propcrm.portfolio.reallocate` allocates every receipt again from the
raw receipts, over columns; its facts are checked equal to the ledgers' on every account and
its time printed (information: the per-account path allocated them when posting).

The batch path and numpy are timed twice: in this process, and in a process of their own
that reads the facts from Parquet (``alone``) and checks their agings equal on every account
again, without the posted accounts this process holds (gigabytes of Python objects, the
benchmark's doing). The last line's ``B`` and ``R`` are the latter's; the former's ratio is
printed beside.

Before the last line, the posted accounts' memory per account (``memory_per_account``): the
first 2,000 histories of the run (``--memory-sample``) built and posted again under
tracemalloc, which counts every allocation still live after a collection: in all (the events
and the account holding them), and the ledger alone (what posting adds to the events: the
account, its events' tuple and the fold's state it keeps).

Last line: ``accounts=N seconds=S batch_seconds=B numpy_ratio=R python_ratio=P
batch_max_rss_mb=M`` (S: per-account path; B, R: the batch path, and it over numpy, in a
process of their own; P = S / plain Python; CPU seconds).

Measured 2026-12-07 at 100,000 accounts on the shared two-core machine, loaded (load average
3 to 6 while it ran): per-account path 3.22 s CPU, plain Python 0.934 s; in a process of their
own the batch path 0.275 s CPU (0.632 s wall) and numpy 0.154 s: ``numpy_ratio=1.79``; in this
process 0.223 s and 0.137 s (ratio 1.63); ``python_ratio=3.45``, ``batch_max_rss_mb=385``
(25,000 accounts a chunk). The batch path over the facts without their keys (linked by their
text): 0.319 s, 2.33 × numpy. Re-allocating the 1,799,678 receipts over columns: 17.0 s CPU,
equal on every account. The ratio moves with the machine's load: an earlier run of the same
code under load 7 to 10 gave 0.354 s against 0.157 s in this process (2.26).
Then, with the machine quiet (load average about 1), once ``age_account`` passed over settled
statements and built its buckets' amounts directly, and the default terms' fee was worked out
without calls: per-account path 2.17 s CPU (21.7 µs an account), plain Python 0.893 s:
``python_ratio=2.43``; in a process of their own the batch path 0.213 s and numpy 0.149 s:
``numpy_ratio=1.43`` (1.72 in this process); ``batch_max_rss_mb=377``. Posting the 3 million
events took 29.8 s, and re-allocating the receipts 16.3 s CPU.
Then, once each statement's late fee was kept by the fold in closed form (the balance-days'
slope and intercept, the fee settled folded in: worked out when an event changes the
statement, never by a query, so each of the runs does the same work) and ``age_account``
summed a ledger's buckets in one loop without a call per statement, and the ledger kept no
payment records (a balance replays the account for its allocations), no text per source and
its rare fields apart: measured 2026-12-07, the machine loaded (load average 3 to 6), the
per-account path 0.95 s CPU (0.98 s wall, 9.5 µs an account), plain Python 0.813 s:
``python_ratio=1.17`` (1.26 in a run of the code before its last two steps: 0.99 s against
0.784 s). Posting the 3 million events took 26.3 s. The posted accounts' memory: 22.0 KiB
an account with its events, of which the ledger (what posting adds) 4.9 KiB; measured the
same way on the code before, 33.4 KiB, of which the ledger 16.4 KiB. The batch path and numpy in a
process of their own: 0.291 s and 0.117 s (2.49; 1.61 in this process), peak 408 MB.
With the events sharing what repeats too (dates, amounts from minor units), one run with the
machine lightly loaded (load average 1.5 to 2.5): per-account path 0.94 s CPU, plain Python
0.759 s (``python_ratio=1.24``); in a process of their own the batch path 0.228 s and numpy
0.153 s (``numpy_ratio=1.49``; 1.55 in this process); ``batch_max_rss_mb=376``; the posted
accounts 17.9 KiB an account with their events, the ledger 4.9 KiB; posting took 23.7 s::

    accounts=100000 seconds=0.94 batch_seconds=0.228 numpy_ratio=1.49 python_ratio=1.24
    batch_max_rss_mb=376

Once the aging's loop read each statement's figures from ``_Ledger.owing`` instead of writing
its closed-form fee out a second time (one source for the rule, a generator resumed per
statement), one run with the suite running beside it: per-account path 1.10 s CPU, plain
Python 0.847 s::

    accounts=100000 seconds=1.10 batch_seconds=0.257 numpy_ratio=1.55 python_ratio=1.30
    batch_max_rss_mb=381

Once each ledger kept its statements' ints in one int64 array (a row each, read at once by the
month end) and their principal reductions in another, without an object per statement or an
int object per amount, a payment's step of the fee's closed form worked out without reading the
statement's other steps: one run with the machine loaded (load average 3 to 4), per-account
path 1.18 s CPU (11.8 µs an account), plain Python 0.953 s; the posted accounts 15.3 KiB an
account with their events, the ledger 2.4 KiB (17.9 and 4.9 before); posting took 27.5 s::

    accounts=100000 seconds=1.18 batch_seconds=0.245 numpy_ratio=1.48 python_ratio=1.23
    batch_max_rss_mb=388

The code before, run right after it in the same conditions: 1.10 s against 0.879 s (1.25),
posting 28.7 s. At 20,000 accounts, the two codes run one after the other three times, the
ratio was 1.21, 1.29 and 1.16 before against 1.43, 1.39 and 1.29 with the columns, the last
once the payments and the month end read the rows inline: the month end pays for boxing the
ints it reads (struct), about 0.4 µs an account of 11 to 13. The aging then read each
statement's figures from the ledger's one ``owing`` again (the merge had written the row's fee
out twice; 1.34 and 1.41 at 20,000 accounts against 1.27 and 1.30). Quiet (load average about
1): ``accounts=100000 seconds=1.11 batch_seconds=0.257 numpy_ratio=1.61 python_ratio=1.31
batch_max_rss_mb=373``, a posted account 15.3 KiB (ledger 2.4).

Before: the batch path 0.719 s against numpy 0.168 s (4.28), numpy handed each reduction's
statement as a row number and each statement's account as an index where the batch path
linked text keys, and the per-statement and per-account sums taken by polars.

On 8 December 2026 (quiet, another machine), timed once as before: ``seconds=2.14
batch_seconds=0.225 numpy_ratio=1.57 python_ratio=2.04`` and ``seconds=2.13 ... numpy_ratio=1.40
python_ratio=1.88``; the per-account path's single run spent about 0.8 s in the kernel taking
memory for its results, and numpy's kept results made each of its runs do the same. Each side
the median of its runs, each result dropped before the next (this code), twice::

    accounts=100000 seconds=1.24 batch_seconds=0.243 numpy_ratio=2.26 python_ratio=1.47
    batch_max_rss_mb=376
    accounts=100000 seconds=1.29 batch_seconds=0.234 numpy_ratio=2.06 python_ratio=1.45
    batch_max_rss_mb=386

(the first runs: the per-account path 2.20 and 2.06 s, of which 0.82 and 0.71 s in the kernel;
the plain loop 1.09 and 0.89 s). ``R ≤ 2`` is not met there.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
import pendulum
import polars as pl

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    opening_statement,
)
from propcrm.money import Money
from propcrm.portfolio import (
    PortfolioFacts,
    facts_from_accounts,
    month_end,
    raw_facts_from_accounts,
    reallocate,
    scan_facts,
    write_facts,
)
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    Receipt,
    age_account,
)
from propcrm.time import BillingPeriod

AS_OF = pendulum.date(2026, 10, 31)
PERIODS = [BillingPeriod.month(2025 + (m + 9) // 12, (m + 9) % 12 + 1) for m in range(12)]


def history(index: int, rng: random.Random) -> list:
    """One account's events: 12 statements, up to 3 partial receipts each."""
    unit = f"U{index:06d}"
    events: list = []
    for n, period in enumerate(PERIODS):
        due = period.end.add(days=10)
        amount = rng.randrange(5_000, 300_000)  # ¥50.00 to ¥3,000.00
        events.append(
            opening_statement(
                community="BENCH",
                unit_id=unit,
                period=period,
                amount=Money.from_minor_units(amount),
                due_on=due,
            )
        )
        count = rng.randrange(4)
        if not count:
            continue
        # Three in five statements are paid in full in the end; the rest only in part.
        paid = amount if rng.random() < 0.6 else rng.randrange(1, amount)
        cuts = sorted(rng.sample(range(1, paid), count - 1)) if paid > count else []
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, paid], strict=True) if b > a]
        last = min((AS_OF - period.end).days, 120)
        days = sorted(rng.randrange(1, last + 1) for _ in parts)
        for k, (part, day) in enumerate(zip(parts, days, strict=True)):
            events.append(
                Receipt(
                    f"B{n:02d}{k}",
                    Money.from_minor_units(part),
                    received_on=period.end.add(days=day),
                )
            )
    return events


EDGES = DEFAULT_AGING.edges
NUM, DEN = DEFAULT_LATE_FEE.rate_ratio


def plain_python(facts: list, last: int) -> dict[str, list[int]]:
    """Per account: [principal, late fees, costs, statements] per bucket, in plain ints.

    ``facts`` per account: (id, [(principal, due, (fee paid, waived, written off),
    [(day, units), ...], [deferred due, ...]), ...]).
    The fee of a statement runs on a running balance: between two reductions it grows by
    balance × days, so the loop visits events, not days.
    """
    result: dict[str, list[int]] = {}
    buckets = len(EDGES) + 2
    for account, statements in facts:
        sums = [0] * (4 * buckets)
        for principal, billed_due, fee_settled, reductions, deferrals in statements:
            due = max(billed_due, *deferrals) if deferrals else billed_due
            settled = sum(fee_settled)
            balance = principal
            day = due  # days after `day` are late while a balance is owed
            balance_days = 0
            for on, units in reductions:
                if on > day:
                    balance_days += balance * (min(on, last) - day)
                    day = on
                balance -= units
            if last > day and balance:
                balance_days += balance * (last - day)
            fee = (2 * NUM * balance_days + DEN) // (2 * DEN)  # half-up, once
            fees = fee - settled
            if not (balance or fees):
                continue
            age = last - due
            index = 0 if age <= 0 else 1 + bisect.bisect_left(EDGES, age)
            sums[4 * index] += balance
            sums[4 * index + 1] += fees
            sums[4 * index + 3] += 1
        result[account] = sums
    return result


def numpy_arrays(facts: PortfolioFacts) -> dict[str, np.ndarray]:
    """The stored facts' columns as numpy arrays (taken once; not timed, like the batch's frames).

    The very columns the batch path reads, from the same frames (dates as days since 1970):
    the statements' integer ``key`` and ``seq``, the principal, the due date as billed, the
    late fee paid, waived and written off apart; each reduction's and deferral's ``key``.
    Nothing is linked here: numpy finds each fact's statement row itself, in its timing.
    """

    def ints(frame: pl.DataFrame, name: str) -> np.ndarray:
        return frame.get_column(name).cast(pl.Int64).to_numpy()

    statements, reductions, deferrals = facts.statements, facts.reductions, facts.deferrals
    return {
        "key": ints(statements, "key"),
        "seq": ints(statements, "seq"),
        "principal": ints(statements, "principal_fen"),
        "due": ints(statements, "due_on"),
        "fee_paid": ints(statements, "fee_paid_fen"),
        "fee_waived": ints(statements, "fee_waived_fen"),
        "fee_written": ints(statements, "fee_written_fen"),
        "r_key": ints(reductions, "key"),
        "r_day": ints(reductions, "on"),
        "r_units": ints(reductions, "amount_fen"),
        "d_key": ints(deferrals, "key"),
        "d_day": ints(deferrals, "new_due_on"),
    }


def rows_of(key: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The statement row of each fact's key (the statements' keys ascending, as stored)."""
    if key.size and key[-1] - key[0] == key.size - 1:
        return wanted - key[0]  # 0, 1, 2…: the key less the first is the row
    return np.searchsorted(key, wanted)


def with_numpy(arrays: dict[str, np.ndarray], accounts: int, last: int) -> np.ndarray:
    """accounts × buckets × [principal, fees, costs, statements], vectorised on int64.

    From the stored columns, as the batch path: each fact's statement row from its key, each
    statement's account from ``seq`` (0 starts an account's statements: they are stored
    together), the due date in force (the latest of the billed one and the deferrals'), the
    fee settled (paid, waived, written off), the fee's balance-days in closed form, half-up
    once, the aging buckets.
    """
    key = arrays["key"]
    r_statement = rows_of(key, arrays["r_key"])
    owner = np.cumsum(arrays["seq"] == 0) - 1
    due = arrays["due"].copy()
    np.maximum.at(due, rows_of(key, arrays["d_key"]), arrays["d_day"])
    principal = arrays["principal"]
    settled = arrays["fee_paid"] + arrays["fee_waived"] + arrays["fee_written"]
    first = due + 1
    r_first = first[r_statement]
    counted = np.maximum(0, last - np.maximum(arrays["r_day"], r_first - 1))
    n = principal.size
    reduced_days = np.bincount(r_statement, counted * arrays["r_units"], minlength=n)
    reduced = np.bincount(r_statement, arrays["r_units"], minlength=n)
    # bincount sums in float64: exact below 2**53, which these sums are far from; cast back.
    reduced_days = reduced_days.astype(np.int64)
    reduced = reduced.astype(np.int64)
    base = principal * np.maximum(0, last - first + 1) - reduced_days
    fee = (2 * NUM * base + DEN) // (2 * DEN)
    balance = principal - reduced
    fees = fee - settled
    age = last - due
    index = np.where(age <= 0, 0, 1 + np.searchsorted(np.array(EDGES), age, side="left"))
    owing = (balance != 0) | (fees != 0)
    buckets = len(EDGES) + 2
    cell = (owner * buckets + index)[owing]
    out = np.zeros((accounts * buckets, 4), dtype=np.int64)
    np.add.at(out[:, 0], cell, balance[owing])
    np.add.at(out[:, 1], cell, fees[owing])
    np.add.at(out[:, 3], cell, 1)
    return out.reshape(accounts, buckets, 4)


def facts_of(accounts: list[Account], last: pendulum.Date) -> list:
    return [
        (
            account.unit_id,
            [
                (
                    p.principal,
                    p.statement.due_on.toordinal(),
                    (p.fee_paid, p.fee_waived, p.fee_written),
                    list(p.reductions),
                    [d for _, d in p.deferrals],
                )
                for p in account.positions(last)
            ],
        )
        for account in accounts
    ]


REPEATS = 5
# The per-account path and the plain loop: the median of three runs each (a second or two a run),
# where the batch path and numpy (tenths of a second) are of five.
LOOP_REPEATS = 3


class Timing(NamedTuple):
    """A timed run's result and CPU seconds: the median by CPU of its runs, and its first."""

    result: Any
    cpu: float
    wall: float
    first_cpu: float
    first_system: float
    """Of the first run's CPU seconds, those the kernel spent (mostly giving the process memory)."""


def timed(run: Callable[..., object], repeats: int, *args: object) -> Timing:
    """``run(*args)`` and its CPU and wall seconds (the median by CPU of ``repeats`` runs).

    CPU time (``time.process_time``, every thread of the process) is what is compared: the
    machine is shared, and its wall clock counts other processes' turns. Each run's result is
    dropped before the next starts (the runs give equal results; the last is returned), so a
    later run reuses the memory the one before freed, as a long-lived process would; the first
    run takes that memory from the system, which on this machine costs up to a second of kernel
    time for the per-account path's 100,000 results: it is printed apart (``first_cpu``,
    ``first_system``).
    """
    runs: list[tuple[float, float]] = []
    result: object = None
    first_system = 0.0
    for k in range(repeats):
        result = None  # (freed before the run: see above)
        system = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        cpu, wall = time.process_time(), time.perf_counter()
        result = run(*args)
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
        if not k:
            first_system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - system
    first_cpu = runs[0][0]
    runs.sort()
    cpu_seconds, wall_seconds = runs[len(runs) // 2]
    return Timing(result, cpu_seconds, wall_seconds, first_cpu, first_system)


def memory_per_account(sample: int, seed: int) -> tuple[float, float]:
    """Bytes a posted account holds, in all and its ledger alone, over ``sample`` accounts.

    Measured with tracemalloc (every allocation still live, after a collection) while the
    first ``sample`` histories of the run (the same seed) are built and posted: in all, the
    events and the account that posted them; the ledger alone, what posting adds to the events
    (the account, its events' tuple and its ledger; the lists the histories came in, freed
    once posted, are left out of both).
    """
    rng = random.Random(seed)
    gc.collect()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    histories = [history(i, rng) for i in range(sample)]
    lists = sys.getsizeof(histories) + sum(sys.getsizeof(h) for h in histories)
    gc.collect()
    events = tracemalloc.get_traced_memory()[0] - lists
    accounts = [Account(f"U{i:06d}").post(*h) for i, h in enumerate(histories)]
    del histories
    gc.collect()
    end = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(accounts) == sample  # held until measured
    return (end - start) / sample, (end - events) / sample


def per_account(accounts: list[Account]) -> dict[str, list]:
    """The per-account path: each account aged by ``age_account``."""
    return {a.unit_id: list(age_account(a, AS_OF, DEFAULT_AGING)) for a in accounts}


def without_keys(facts: PortfolioFacts) -> PortfolioFacts:
    """The facts without their integer keys: the batch path then links them by their text."""
    return PortfolioFacts(
        *(
            f.drop("key")
            for f in (facts.statements, facts.reductions, facts.deferrals, facts.disputes)
        )
    )


def rows_of_aging(aged: pl.DataFrame) -> dict[tuple[str, int], tuple[int, int, int, int]]:
    return {
        (a, b): (p, f, c, n)
        for a, b, p, f, c, n in aged.select(
            "account", "bucket", "principal_fen", "late_fees_fen", "costs_fen", "statements"
        ).iter_rows()
    }


# The child reads its own high-water mark (VmHWM): ru_maxrss would carry the parent's peak
# across fork and exec.
CHILD = """
import sys
import pendulum
from propcrm.portfolio import MonthEnd, scan_facts, stream_month_end
as_of = pendulum.parse(sys.argv[2]).date()
parts = stream_month_end(scan_facts(sys.argv[1]), as_of, accounts_per_chunk=int(sys.argv[3]))
total = [0, 0, 0]
for part in parts:
    sums = part.aging.select("principal_fen", "late_fees_fen", "statements").sum().row(0)
    total = [t + s for t, s in zip(total, sums)]
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(*total, peak // 1024)
"""


def alone(folder: str, repeats: int) -> str:
    """The batch path and numpy timed in a process of their own, from the facts in ``folder``.

    Run in a child process (``ALONE``): the parent holds the 100,000 posted accounts (gigabytes
    of Python objects), which is the benchmark's doing, not either side's. Both start from the
    same frames read from Parquet; their agings are checked equal on every account and bucket.
    Returns ``batch_cpu batch_wall numpy_cpu numpy_wall`` or ``MISMATCH ...``.
    """
    scanned = scan_facts(folder)
    facts = PortfolioFacts(
        *(
            frame.collect()
            for frame in (
                scanned.statements,
                scanned.reductions,
                scanned.deferrals,
                scanned.disputes,
            )
        )
    )
    arrays = numpy_arrays(facts)
    units = facts.statements.get_column("account").unique(maintain_order=True).to_list()
    epoch_day = (AS_OF - pendulum.date(1970, 1, 1)).days
    gc.collect()
    gc.disable()
    batch, batch_cpu, batch_wall, *_ = timed(month_end, repeats, facts, AS_OF)
    vectorised, numpy_cpu, numpy_wall, *_ = timed(
        with_numpy, repeats, arrays, len(units), epoch_day
    )
    gc.enable()
    aged = rows_of_aging(batch.aging)
    for a, unit in enumerate(units):
        for index in range(len(EDGES) + 2):
            vec = tuple(int(x) for x in vectorised[a, index]) if vectorised[a, index, 3] else None
            if aged.get((unit, index)) != vec:
                return f"MISMATCH {unit} bucket {index}: batch {aged.get((unit, index))} np {vec}"
    return f"{batch_cpu} {batch_wall} {numpy_cpu} {numpy_wall}"


ALONE = """
import sys
sys.path.insert(0, sys.argv[2])
import bench_billing_run
print(bench_billing_run.alone(sys.argv[1], int(sys.argv[3])))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=25_000, help="accounts per batch chunk")
    parser.add_argument("--seed", type=int, default=20261031)
    parser.add_argument(
        "--memory-sample", type=int, default=2_000, help="accounts whose memory is measured"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    last = AS_OF.toordinal()

    started = time.perf_counter()
    histories = [history(i, rng) for i in range(args.accounts)]
    built = time.perf_counter()
    print(f"generated {args.accounts} histories in {built - started:.1f} s (not timed)")

    accounts = [Account(f"U{i:06d}").post(*events) for i, events in enumerate(histories)]
    posted = time.perf_counter()
    events = sum(len(h) for h in histories)
    print(
        f"posted {events} events in {posted - built:.1f} s "
        f"({(posted - built) / args.accounts * 1e6:.0f} µs per account; not part of the run)"
    )
    del histories
    facts = facts_from_accounts(accounts, AS_OF)
    plain = facts_of(accounts, AS_OF)
    arrays = numpy_arrays(facts)
    print(f"extracted the stored facts in {time.perf_counter() - posted:.1f} s (not timed)")

    gc.collect()
    gc.disable()  # the runs allocate only short-lived results; no cycles to collect

    ours_timing = timed(per_account, LOOP_REPEATS, accounts)
    ours, seconds, seconds_wall = ours_timing[:3]
    batch, batch_seconds, batch_wall, *_ = timed(month_end, REPEATS, facts, AS_OF)
    python_timing = timed(plain_python, LOOP_REPEATS, plain, last)
    python, python_seconds, python_wall = python_timing[:3]
    epoch_day = (AS_OF - pendulum.date(1970, 1, 1)).days
    vectorised, numpy_seconds, numpy_wall, *_ = timed(
        with_numpy, REPEATS, arrays, len(plain), epoch_day
    )
    texts, text_seconds, text_wall, *_ = timed(month_end, REPEATS, without_keys(facts), AS_OF)
    gc.enable()

    # Every account, every bucket, four ways.
    assert batch.explain == ()
    if not (texts.statements.equals(batch.statements) and texts.aging.equals(batch.aging)):
        print("MISMATCH: the batch path by text keys differs from the batch path by integer keys")
        return 1
    aged = rows_of_aging(batch.aging)
    buckets = len(EDGES) + 2
    for a, (unit, _) in enumerate(plain):
        for index in range(buckets):
            row = ours[unit][index]
            mine = (
                (
                    row.principal.minor_units,
                    row.late_fees.minor_units,
                    row.costs.minor_units,
                    row.statements,
                )
                if row.statements
                else None
            )
            got = aged.get((unit, index))
            sums = python[unit][4 * index : 4 * index + 4]
            py = tuple(sums) if sums[3] else None
            vec = tuple(int(x) for x in vectorised[a, index]) if vectorised[a, index, 3] else None
            if not mine == got == py == vec:
                print(f"MISMATCH {unit} bucket {index}: ours {mine} batch {got} py {py} np {vec}")
                return 1
    print(f"all four agree to the fen on every one of {args.accounts} accounts")

    portfolio: dict[int, list[Decimal]] = {}
    for rows in ours.values():
        for row in rows:
            if row.statements:
                sums = portfolio.setdefault(row.bucket.index, [Decimal(0), Decimal(0)])
                sums[0] += row.principal.amount
                sums[1] += row.late_fees.amount
    for bucket in DEFAULT_AGING.buckets:
        principal, fees = portfolio.get(bucket.index, (Decimal(0), Decimal(0)))
        label = bucket.label("en_US")
        print(f"  {label:>14}  principal ¥{principal:>16,}  late fees ¥{fees:>14,}")
    print(
        f"CPU seconds (wall): per-account path {seconds:.2f} ({seconds_wall:.2f}; "
        f"{seconds / args.accounts * 1e6:.1f} µs per account); batch {batch_seconds:.3f} "
        f"({batch_wall:.3f}); plain Python {python_seconds:.3f} ({python_wall:.3f}); numpy "
        f"{numpy_seconds:.3f} ({numpy_wall:.3f})"
    )
    print(
        f"first runs (in the median above as any other): per-account path "
        f"{ours_timing.first_cpu:.2f} s CPU, of which {ours_timing.first_system:.2f} s in the "
        f"kernel (memory for its results); plain Python {python_timing.first_cpu:.3f} "
        f"({python_timing.first_system:.3f})"
    )
    print(
        f"the batch path over the same facts without their integer keys (linked by their text): "
        f"{text_seconds:.3f} s CPU ({text_wall:.3f} s wall), ratio to numpy "
        f"{text_seconds / numpy_seconds:.2f} (information)"
    )

    # The allocations again, from the raw receipts, over columns: equal on every account.
    raw = raw_facts_from_accounts(accounts, AS_OF)
    statements, receipts, policies = raw.statements, raw.receipts, raw.policies
    gc.disable()
    again, again_seconds, again_wall, *_ = timed(
        reallocate, 1, statements, receipts, policies, AS_OF
    )
    gc.enable()
    if again.explain or not (
        again.facts.statements.equals(facts.statements)
        and again.facts.reductions.equals(facts.reductions)
    ):
        print("MISMATCH: the receipts re-allocated over columns differ from the ledgers")
        return 1
    print(
        f"re-allocated {receipts.height} raw receipts over columns in {again_seconds:.2f} s CPU "
        f"({again_wall:.2f} s wall; posting the histories took {posted - built:.1f} s wall), "
        "equal to the ledgers' allocations on every account"
    )

    del accounts, ours, plain, arrays, statements, receipts
    with tempfile.TemporaryDirectory() as folder:
        write_facts(facts, folder)
        totals = batch.aging.select("principal_fen", "late_fees_fen", "statements").sum().row(0)
        child = subprocess.run(
            [sys.executable, "-c", CHILD, folder, AS_OF.isoformat(), str(args.chunk)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS", "2")},
        )
        *sums, rss = (int(x) for x in child.stdout.split())
        if tuple(sums) != tuple(totals):
            print(f"MISMATCH: the streamed batch run gives {sums}, in process {totals}")
            return 1
        here = os.path.dirname(os.path.abspath(__file__))
        timings = subprocess.run(
            [sys.executable, "-c", ALONE, folder, here, str(REPEATS)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if timings.startswith("MISMATCH"):
            print(timings)
            return 1
        alone_batch, alone_batch_wall, alone_numpy, alone_numpy_wall = map(float, timings.split())
    print(
        f"in a process of their own (the facts read from Parquet, no posted accounts held): "
        f"batch {alone_batch:.3f} s CPU ({alone_batch_wall:.3f} wall), numpy {alone_numpy:.3f} "
        f"({alone_numpy_wall:.3f}), ratio {alone_batch / alone_numpy:.2f}; in this process, "
        f"holding the posted accounts: ratio {batch_seconds / numpy_seconds:.2f}; agings equal "
        "on every account"
    )
    print(
        f"batch alone, streamed from Parquet {args.chunk} accounts at a time: peak RSS {rss} MB "
        f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)"
    )
    sample = min(args.memory_sample, args.accounts)
    held, ledger = memory_per_account(sample, args.seed)
    print(
        f"posted accounts' memory (tracemalloc, the first {sample} accounts): "
        f"{held / 1024:.1f} KiB an account, events included; the ledger alone (what posting "
        f"adds to the events) {ledger / 1024:.1f} KiB"
    )
    print(
        f"accounts={args.accounts} seconds={seconds:.2f} batch_seconds={alone_batch:.3f} "
        f"numpy_ratio={alone_batch / alone_numpy:.2f} "
        f"python_ratio={seconds / python_seconds:.2f} batch_max_rss_mb={rss}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
