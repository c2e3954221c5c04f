"""Month-end run: every late fee and the arrears aging of 100,000 accounts.

Each account has 12 monthly statements (2025-10 to 2026-09, due the 10th of the following
month) and up to 3 partial receipts per statement, posted as they arrived (so allocated under
the Civil Code order); some statements end up paid, some not. The run, as of 2026-10-31,
computes what every statement still owes (principal, late fee, costs) through
``Account.owed`` and ages it into the default buckets.

A naive day-by-day loop computes the same late fees for a sample of accounts, from the same
posted facts (each statement's principal, due date, dated principal payments and late fee
paid), one day at a time, and must agree to the fen. The speedup compares time per account.

Posting the histories (replaying every event) is timed and printed too, but it is not part of
the month-end run: a host posts receipts as they come in, not at month-end.

Last line: ``accounts=100000 seconds=S naive_per_account_us=N speedup=X``.
"""

from __future__ import annotations

import argparse
import decimal
import gc
import random
import sys
import time
from decimal import Decimal

import pendulum

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    opening_statement,
)
from propcrm.money import Money
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    Component,
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


def naive_facts(account: Account) -> list[tuple[int, int, list[tuple[int, int]], int, str]]:
    """Per statement: principal, due ordinal, principal payments (ordinal, units), fee paid."""
    balance = account.balance(AS_OF)
    facts = []
    for row in balance.statements:
        payments = []
        fee_paid = 0
        for allocation in balance.allocations:
            for part in allocation.parts:
                if part.statement != row.number:
                    continue
                if part.component is Component.PRINCIPAL:
                    payments.append((allocation.on.toordinal(), part.amount.minor_units))
                elif part.component is Component.LATE_FEES:
                    fee_paid += part.amount.minor_units
        facts.append(
            (row.principal.minor_units, row.due_on.toordinal(), payments, fee_paid, row.number)
        )
    return facts


_HALF_UP = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)


def naive_late_fees(facts: list, as_of: int) -> list[tuple[str, int, int]]:
    """Day by day: on each late day the fee is 0.3 % of what was owed at its start."""
    rate = DEFAULT_LATE_FEE.rate.value
    results = []
    for principal, due, payments, fee_paid, number in facts:
        accrued = Decimal(0)
        for day in range(due + 1, as_of + 1):
            owed = principal - sum(units for paid_on, units in payments if paid_on < day)
            if owed > 0:
                accrued += Decimal(owed) * rate
        owed = principal - sum(units for paid_on, units in payments if paid_on <= as_of)
        fee = int(accrued.quantize(Decimal(1), context=_HALF_UP))
        results.append((number, owed, fee - fee_paid))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=20261031)
    args = parser.parse_args()
    rng = random.Random(args.seed)

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

    gc.collect()
    gc.disable()  # the run allocates only short-lived results; no cycles to collect
    start = time.perf_counter()
    portfolio: dict[str, list[Decimal]] = {}  # bucket → [principal, late fees]
    for account in accounts:
        for row in age_account(account, AS_OF, DEFAULT_AGING):
            if row.statements:
                sums = portfolio.setdefault(row.label, [Decimal(0), Decimal(0)])
                sums[0] += row.principal.amount
                sums[1] += row.late_fees.amount
    seconds = time.perf_counter() - start
    gc.enable()
    ours_per_account = seconds / args.accounts
    print(
        f"month-end run: {args.accounts} accounts, {12 * args.accounts} statements in "
        f"{seconds:.2f} s ({ours_per_account * 1e6:.1f} µs per account)"
    )
    for label in (bucket.label for bucket in DEFAULT_AGING.buckets):
        principal, fees = portfolio.get(label, (Decimal(0), Decimal(0)))
        print(f"  {label:>8}  principal ¥{principal:>16,}  late fees ¥{fees:>14,}")

    sample = rng.sample(range(args.accounts), min(args.sample, args.accounts))
    facts = [naive_facts(accounts[i]) for i in sample]
    as_of = AS_OF.toordinal()
    start = time.perf_counter()
    naive = [naive_late_fees(f, as_of) for f in facts]
    naive_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for i in sample:
        age_account(accounts[i], AS_OF, DEFAULT_AGING)
    ours_sample_seconds = time.perf_counter() - start
    ours = [accounts[i].owed(AS_OF) for i in sample]
    for got, expected in zip(ours, naive, strict=True):
        # owed() lists only statements that still owe something.
        owing = [(n, p, f) for n, p, f in expected if p or f]
        mine = [(r.number, r.principal.minor_units, r.late_fees.minor_units) for r in got]
        if mine != owing:
            print(f"MISMATCH: ours {mine} naive {owing}")
            return 1
    naive_per_account = naive_seconds / len(sample)
    print(
        f"naive day-by-day loop: {len(sample)} accounts agree to the fen; "
        f"{naive_per_account * 1e6:.0f} µs per account "
        f"(ours on the same sample: {ours_sample_seconds / len(sample) * 1e6:.1f} µs)"
    )
    speedup = naive_per_account / ours_per_account
    print(
        f"accounts={args.accounts} seconds={seconds:.2f} "
        f"naive_per_account_us={naive_per_account * 1e6:.0f} speedup={speedup:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
