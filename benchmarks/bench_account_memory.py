"""Memory of an account's events with a year of history: built, and read back from documents.

Each account has the billing-run benchmark's history (``bench_billing_run.history``): 12
monthly opening notices of a random amount and about 18 partial bank receipts, some 30 events.
Two workloads: that one (``random``: every amount differs, the worst case for sharing), and a
``steady`` one where a unit's fee is one of 40 fees, the same every month, and paid in full, as a
community's fees are (units of a few sizes, one price per square metre).

Four ways to hold the same events, each checked equal to the library's, event for event:

* **library**: the events as ``opening_statement`` and ``Receipt`` build them: equal days,
  due dates, amounts and one-line notices of equal fees shared through bounded memos
  (``propcrm._shared``, ``Money.from_minor_units``);
* **plain**: the same events built by the public constructors alone, as a caller would without
  the library's help: every event its own dates, amounts, lines and explanations (the
  baseline, and what the library itself built before it shared);
* **decoder**: read back from the SQL adapter's documents (``Decoder.event``, the trusted path
  a replay uses), text that repeats, quantities, amounts and dates shared;
* **converter**: the same documents read by ``propcrm.serialization.from_primitive`` (the
  baseline for reading back).

Memory is what ``tracemalloc`` counts as allocated and still held after building every
account's events (the memos' own tables included), per account; not the posted account's
ledger (``Account.post``), which the billing-run benchmark's accounts add on top: 2.4 KiB an
account since the ledger keeps its statements' ints in int64 columns (4.9 KiB before;
``bench_billing_run.py``, 2,000 accounts under tracemalloc). CPU seconds
(``time.process_time``, the best of three runs, without tracemalloc, the benchmark's own
objects frozen out of the collector) are printed for building
the histories (information: the generator's own work included) and for reading back, decoder
against converter. Last line::

    accounts=N library_kib=L plain_kib=P decoder_kib=D converter_kib=C

for the ``random`` workload (the ``steady`` one's figures are printed above it).

Measured 2026-12-07 on the shared two-core machine, loaded (three other workers, load average
5 to 6), 5,000 accounts, per account (before the library and the decoder shared what repeats,
in brackets, measured by this benchmark on the code before):

* random amounts: library 13.05 KiB (17.38), plain constructors 16.19 KiB; decoder 13.01 KiB
  (18.48), converter 34.57 KiB;
* steady fees: library 4.57 KiB (11.20), plain constructors 13.98 KiB; decoder 4.57 KiB
  (5.81), converter 31.95 KiB.

CPU, 3,000 accounts, the same run for both codes: building the random histories 892 µs an
account (984 before), the steady ones 328 µs (554); reading back by the decoder 316 µs (329)
and 78 µs (80), by the converter about 1,150 and 950 µs. ``docs/performance.md``
("Billing run and memory") quotes these figures.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pendulum

from propcrm.billing import (
    ChargeExplanation,
    ChargeKind,
    ChargeLine,
    ChargeUnit,
    DueDate,
    Statement,
    opening_statement,
)
from propcrm.money import Money, RoundingMode
from propcrm.receivables import AccountEvent, Receipt
from propcrm.serialization import from_primitive
from propcrm.storage.sql._codec import Decoder, loads

sys.path.insert(0, str(Path(__file__).parent))
from bench_billing_run import PERIODS, history

T = TypeVar("T")
# A community's fees: units of a few sizes at one price, some parking on top.
STEADY_FEES = [round(area * 280) + extra for area in range(60, 140, 4) for extra in (0, 15000)]


def steady_history(index: int, rng: random.Random) -> list[Any]:
    """12 notices of the unit's one fee, each paid in full in one receipt (most months)."""
    unit = f"U{index:06d}"
    fee = Money.from_minor_units(rng.choice(STEADY_FEES))
    events: list[Any] = []
    for n, period in enumerate(PERIODS):
        events.append(
            opening_statement(
                community="BENCH",
                unit_id=unit,
                period=period,
                amount=fee,
                due_on=period.end.add(days=10),
            )
        )
        if rng.random() < 0.9:
            events.append(
                Receipt(f"B{n:02d}", fee, received_on=period.end.add(days=rng.randrange(1, 40)))
            )
    return events


def own(text: str) -> str:
    """A copy of ``text`` (a number or a reference is a string of each event's own)."""
    return text.encode().decode()


def plain_copy(event: Any) -> Any:
    """``event`` built again by the public constructors, nothing shared with anything.

    What a caller passes in is shared as the library's events share it: the unit's id and the
    community's code (one string each for an account's notices), the period, the late-fee terms.
    """
    if isinstance(event, Receipt):
        day = event.received_on
        return Receipt(
            own(event.reference),
            Money(Decimal(str(event.amount.amount)), event.amount.currency),
            received_on=pendulum.Date(day.year, day.month, day.day),
        )
    line = event.lines[0]
    amount = Money(Decimal(str(line.amount.amount)), line.amount.currency)
    explanation = ChargeExplanation(
        rule=None,
        quantity=Decimal(1),
        unit_label=ChargeUnit.ITEM,
        unit_price=amount,
        unrounded=amount,
        rounding=RoundingMode.HALF_UP,
    )
    due, issued = event.due_on, event.issued_on
    due_on = pendulum.Date(due.year, due.month, due.day)
    return Statement(
        number=own(event.number),
        community=event.community,
        unit_id=event.unit_id,
        property_type=event.property_type,
        period=event.period,
        issued_on=pendulum.Date(issued.year, issued.month, issued.day),
        due=DueDate(due_on, due_on, None, None),
        lines=(ChargeLine(line.code, line.name, ChargeKind.FIXED, amount, explanation),),
        total=amount,
        late_fee=event.late_fee,
        tariff_versions=(),
    )


def held(build: Callable[[], T]) -> tuple[T, int]:
    """What ``build`` returns, and the bytes allocated in it that are still held after it."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        value = build()
        gc.collect()
        return value, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def cpu(work: Callable[[], object]) -> float:
    """Best CPU seconds of three runs of ``work``.

    What the benchmark holds meanwhile (the events, their documents) is frozen out of the
    collector, so that its full collections walk only what ``work`` builds: otherwise the way
    that holds less memory is charged with more frequent collections of the benchmark's heap.
    """
    best = float("inf")
    for _ in range(3):
        gc.collect()
        gc.freeze()
        try:
            started = time.process_time()
            work()
            best = min(best, time.process_time() - started)
        finally:
            gc.unfreeze()
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20261031)
    args = parser.parse_args()
    n = args.accounts
    last = ""
    for name, make in (("random", history), ("steady", steady_history)):

        def build(make: Callable[[int, random.Random], list[Any]] = make) -> list[list[Any]]:
            rng = random.Random(args.seed)
            return [make(i, rng) for i in range(n)]

        library, library_bytes = held(build)
        plain, plain_bytes = held(
            lambda library=library: [[plain_copy(e) for e in h] for h in library]
        )
        if plain != library:
            print("MISMATCH: the plain constructors' events differ from the library's")
            return 1
        del plain
        writer = Decoder()
        # Each account's receipts get references of their own, as a community's bank's have.
        documents = [[writer.dump_event(e) for e in h] for h in library]

        def decode(documents: list[list[str]] = documents) -> list[list[AccountEvent]]:
            decoder = Decoder()
            return [[decoder.event(d) for d in h] for h in documents]

        def convert(documents: list[list[str]] = documents) -> list[list[AccountEvent]]:
            return [[from_primitive(loads(d), AccountEvent) for d in h] for h in documents]

        decoded, decoder_bytes = held(decode)
        converted, converter_bytes = held(convert)
        if not decoded == converted == library:
            print("MISMATCH: the events read back differ from the events written")
            return 1
        del decoded, converted
        events = sum(map(len, library)) / n
        build_s = cpu(build)
        decode_s, convert_s = cpu(decode), cpu(convert)
        kib = [b / n / 1024 for b in (library_bytes, plain_bytes, decoder_bytes, converter_bytes)]
        print(
            f"{name}: {n} accounts, {events:.1f} events each; per account: library {kib[0]:.2f} "
            f"KiB, plain constructors {kib[1]:.2f} KiB; read back: decoder {kib[2]:.2f} KiB, "
            f"converter {kib[3]:.2f} KiB"
        )
        print(
            f"  CPU per account: building {build_s / n * 1e6:.0f} µs; reading back: decoder "
            f"{decode_s / n * 1e6:.0f} µs, converter {convert_s / n * 1e6:.0f} µs"
        )
        line = (
            f"accounts={n} library_kib={kib[0]:.2f} plain_kib={kib[1]:.2f} "
            f"decoder_kib={kib[2]:.2f} converter_kib={kib[3]:.2f}"
        )
        last = last or line
        del library, documents
    print(last)
    return 0


if __name__ == "__main__":
    sys.exit(main())
