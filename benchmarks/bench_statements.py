"""Benchmark: one month's fee notices for a 100,000-unit portfolio.

Run ``python benchmarks/bench_statements.py``. The portfolio is built in memory from a seeded
random generator (never the clock), so every run bills the same units: an area-based fee
(residential 2.80 元/㎡/月, commercial 6.50), a parking space for every third unit, a tiered water
reading for every unit and a special-service order for every tenth.

Two things are timed with ``time.perf_counter``, alternately, ``REPEATS`` times each; each figure
reported is the **median** of its repetitions (the machine is shared, so the median is steadier
than the best or the mean):

- **propcrm**: one :class:`~propcrm.billing.BillingRun` for November 2026 billing every unit with
  ``bill_all``, each full statement (lines, explanations, total) built and handed on as a run
  that writes its notices out would; the loop keeps each total;
- **floor**: the same arithmetic (area × price × months, price × spaces × months, the tiered water
  sum, price × quantity, each rounded half-up to the fen, then the total) written as bare
  ``Decimal`` expressions in one plain loop over precomputed tuples, keeping each total. It is
  the fastest honest way to do the sums in pure Python, so ``floor_ratio`` is what everything
  else costs: validation, explanations, immutable lines and statements.

One more run keeps all 100,000 statements in a list; its time is printed for information only
(it adds the cyclic garbage collector's passes over a heap that grows by millions of objects,
which depends on the caller, not on billing). Its statements are checked against the floor: every
unit's total must agree to the fen, or the script exits non-zero. Building the portfolio is not
timed. The last line printed is machine-readable::

    statements=100000 seconds=S per_second=P floor_ratio=R batch_units=1000000 batch_seconds=B \
numpy_ratio=N

The goal is S < 3 and R <= 10 on a two-core machine; nothing asserts it.

**Batch** (issue 15): the totals of 1,000,000 units' notices (``--batch-units``; the same draws,
the first 100,000 being the units above) by :func:`propcrm.portfolio.notice_totals` over
columns of lines as a warehouse stores them: one row per line, each account's lines together,
the account named by its integer key and the rule by an Enum code, prices in hundredths of a
fen (null for the tiered water), quantities in thousandths (building them is not timed).
numpy starts from the same stored columns (``numpy_arrays``: the frame's columns, the price's
values and validity apart; not timed either) and does the same integer arithmetic on them:
each line priced (the tiered code by its tiers), rounded half-up once, and summed per account
at its key. Each is timed in CPU seconds (``time.process_time``, all of the process's threads:
polars uses two), the median of ``REPEATS``, the wall clock printed beside; ``N`` = batch over
numpy. Every total is checked against numpy and the bare-Decimal floor, and the first 100,000
against their statements from the per-unit path (running that path over a million units would
take a minute or more, so it is checked on those). Goals: B < 1 s here, N <= 2.

Measured 2026-12-07 on the shared two-core machine, loaded (load average 6 to 7 while it ran):
the batch path 0.129 s CPU (0.325 s wall) for 1,000,000 units' totals (2,433,334 lines), numpy
from the same lines 0.072 s CPU: ``numpy_ratio=1.79``. Before: 0.207 s CPU against numpy over
arrays laid out one row per unit (0.032 s), which spared it the lines and their sum per
account: 6.5; the account and the code were cast to text and the runs' sums taken by polars.

The per-unit path had slowed since issue 3 set R <= 10 (``seconds=0.78 floor_ratio=7.0`` then):
on 7 December 2026, the machine slower, issue 3's own code gave R = 10.5 and main's 12.6 to
14.1. The notices were built by ``build_trusted``'s walk of their fields by name; a slot
constructor builds them now, ``PropertyType`` hashes by identity and ``Money.total`` keeps its
starting zero. Alternately with the code before, ``--batch-units 100000`` (load average 1.9 to
2.3): ``seconds=1.368 floor_ratio=8.63`` and ``seconds=1.205 floor_ratio=7.87``; before,
``seconds=2.136 floor_ratio=14.05`` and ``seconds=1.964 floor_ratio=12.79``.
"""

from __future__ import annotations

import argparse
import decimal
import gc
import random
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from typing import Any

import numpy as np
import pendulum
import polars as pl

from propcrm.billing import (
    Approval,
    Approver,
    AreaCharge,
    BillingRun,
    ChargeRule,
    MeteredCharge,
    MeterReading,
    ParkingCharge,
    PriceItem,
    PriceList,
    PriceLists,
    PropertyType,
    SpecialServiceCharge,
    SpecialServiceOrder,
    Statement,
    Tariff,
    TariffVersion,
    Tier,
    TieredPrice,
    UnitProfile,
    UnitUsage,
)
from propcrm.money import Money, RoundingMode
from propcrm.portfolio import NOTICE_LINE_SCHEMA, notice_totals
from propcrm.time import BillingPeriod

UNITS = 100_000
SEED = 20261124
REPEATS = 5
PERIOD = BillingPeriod.month(2026, 11)
COMMUNITY = "SUNRISE"

AREA_PRICES = {PropertyType.RESIDENTIAL: Decimal("2.80"), PropertyType.COMMERCIAL: Decimal("6.50")}
COMMERCIAL_SHARE = 0.08
PARKING_PRICE = Decimal("300.00")
# (up to, price): 0-15 t at 3.45, 15-25 t at 4.83, above 25 t at 5.83.
WATER_TIERS = (
    (Decimal(15), Decimal("3.45")),
    (Decimal(25), Decimal("4.83")),
    (None, Decimal("5.83")),
)
# code, name, price, unit label, quantities an order may have
SERVICES = (
    ("AC-CLEAN", "空调清洗", Decimal("80.00"), "台", ("1", "2", "3")),
    ("CLEANING", "家政保洁", Decimal("45.00"), "小时", ("1.5", "2", "2.5", "4")),
    ("REPAIR", "室内维修", Decimal("30.00"), "次", ("1",)),
    ("CART", "搬家推车", Decimal("15.50"), "次", ("1", "2")),
)

# A row of the floor: area, area price, parking spaces, water consumption, service price, qty.
Row = tuple[Decimal, Decimal, int, Decimal, Decimal | None, Decimal | None]
Portfolio = list[tuple[UnitProfile, UnitUsage]]


# -- inputs (not timed) ------------------------------------------------------------------------


def build_tariff() -> Tariff:
    water = MeteredCharge(
        "WATER",
        "水费",
        "water",
        TieredPrice(Tier(up_to, Money(price)) for up_to, price in WATER_TIERS),
    )
    parking = ParkingCharge("PARKING", "车位管理费", Money(PARKING_PRICE))
    service = SpecialServiceCharge("SVC", "特约服务")
    charges: dict[PropertyType, tuple[ChargeRule, ...]] = {
        ptype: (AreaCharge("MGMT", "物业管理费", Money(price)), parking, water, service)
        for ptype, price in AREA_PRICES.items()
    }
    version = TariffVersion(
        "2026",
        effective_from=pendulum.date(2026, 1, 1),
        announced_on=pendulum.date(2025, 11, 1),
        approval=Approval(
            Approver.OWNERS_COMMITTEE,
            "业委会决议〔2025〕3号",
            approved_on=pendulum.date(2025, 10, 28),
        ),
        charges=charges,
    )
    return Tariff(COMMUNITY, (version,))


def build_price_lists() -> PriceLists:
    items = tuple(
        PriceItem(code, name, Money(price), label) for code, name, price, label, _ in SERVICES
    )
    return PriceLists(
        (
            PriceList(
                "2026A",
                effective_from=pendulum.date(2026, 1, 1),
                published_on=pendulum.date(2025, 12, 1),
                items=items,
            ),
        )
    )


def build_portfolio(rng: random.Random, count: int = UNITS) -> tuple[Portfolio, list[Row]]:
    """The units with their November usage, and the same figures as plain tuples for the floor.

    Rows are built for ``count`` units, objects for the first ``UNITS`` only (the same draws
    either way, so the first ``UNITS`` rows are the per-unit path's units).
    """
    read_on = pendulum.date(2026, 11, 30)
    portfolio: Portfolio = []
    rows: list[Row] = []
    for i in range(count):
        unit_id = f"{i // 400 + 1}-{i // 100 % 4 + 1}-{i % 100 // 4 + 1:02d}{i % 4 + 1:02d}"
        commercial = rng.random() < COMMERCIAL_SHARE
        ptype = PropertyType.COMMERCIAL if commercial else PropertyType.RESIDENTIAL
        area = Decimal(rng.randint(4500, 18000)).scaleb(-2)  # 45.00-180.00 ㎡
        spaces = 1 if i % 3 == 0 else 0
        previous = Decimal(rng.randint(0, 50000)).scaleb(-1)
        consumption = Decimal(rng.randint(0, 400)).scaleb(-1)  # 0.0-40.0 t
        reading = MeterReading(
            f"W-{unit_id}", "water", previous, previous + consumption, read_on=read_on
        )
        orders: tuple[SpecialServiceOrder, ...] = ()
        service_price = service_qty = None
        if i % 10 == 0:
            code, _, service_price, _, quantities = rng.choice(SERVICES)
            service_qty = Decimal(rng.choice(quantities))
            performed_on = pendulum.date(2026, 11, rng.randint(1, 30))
            orders = (SpecialServiceOrder(f"SO-{i:06d}", code, service_qty, performed_on),)
        if i < UNITS:
            portfolio.append(
                (
                    UnitProfile(unit_id, ptype, building_area=area),
                    UnitUsage(parking_spaces=spaces, readings=(reading,), orders=orders),
                )
            )
        rows.append((area, AREA_PRICES[ptype], spaces, consumption, service_price, service_qty))
    return portfolio, rows


# -- the two timed computations ----------------------------------------------------------------


def billing_run(tariff: Tariff, lists: PriceLists) -> BillingRun:
    return BillingRun(community=COMMUNITY, period=PERIOD, tariff=tariff, price_lists=lists)


def bill_with_propcrm(portfolio: Portfolio, tariff: Tariff, lists: PriceLists) -> list[Decimal]:
    """Each unit's total, from its full statement."""
    return [statement.total.amount for statement in billing_run(tariff, lists).bill_all(portfolio)]


# Rounds half-up, like the library's default policy; prec 60 like its exact context, so the
# products and sums below are exact and only quantize rounds.
FLOOR_CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP, traps=[decimal.Overflow])


def bill_with_bare_decimal(rows: list[Row]) -> list[Decimal]:
    """Each unit's total, with nothing but Decimal arithmetic."""
    fen = Decimal("0.01")
    half_up = decimal.ROUND_HALF_UP
    months = Decimal(PERIOD.months)
    parking = PARKING_PRICE
    tiers = WATER_TIERS
    zero = Decimal(0)
    totals = []
    with decimal.localcontext(FLOOR_CONTEXT):
        for area, price, spaces, used, service_price, service_qty in rows:
            total = (area * price * months).quantize(fen, rounding=half_up)
            if spaces:
                total += (parking * spaces * months).quantize(fen, rounding=half_up)
            water = zero
            lower = zero
            for up_to, tier_price in tiers:
                if used <= lower:
                    break
                top = used if up_to is None or used < up_to else up_to
                water += (top - lower) * tier_price
                if up_to is None:
                    break
                lower = up_to
            total += water.quantize(fen, rounding=half_up)
            if service_qty is not None:
                total += (service_price * service_qty).quantize(fen, rounding=half_up)
            totals.append(total)
    return totals


# -- the batch path: a million units' totals over columns -------------------------------------


def milli(value: Decimal) -> int:
    return int(value.scaleb(3))


def batch_columns(rows: list[Row]) -> dict[str, np.ndarray]:
    """The rows as integer arrays: prices in 1/100 fen, quantities in 1/1000 (not timed)."""
    area = np.array([milli(r[0]) for r in rows], dtype=np.int64)
    price = np.array([milli(r[1]) * 10 for r in rows], dtype=np.int64)
    spaces = np.array([r[2] for r in rows], dtype=np.int64) * 1000
    water = np.array([milli(r[3]) for r in rows], dtype=np.int64)
    service = np.array([milli(r[4]) * 10 if r[4] is not None else 0 for r in rows], np.int64)
    qty = np.array([milli(r[5]) if r[5] is not None else 0 for r in rows], dtype=np.int64)
    return {
        "area": area,
        "price": price,
        "spaces": spaces,
        "water": water,
        "service": service,
        "qty": qty,
    }


TIERS = [(None if up is None else milli(up), milli(price) * 10) for up, price in WATER_TIERS]


CODES = ("MGMT", "PARKING", "WATER", "SVC")


def batch_frames(columns: dict[str, np.ndarray]) -> tuple[Any, Any]:
    """The notice lines and the water tiers as a warehouse stores them (not timed).

    One row per line, each account's lines together; the account named by its integer key
    (the unit's number) and the rule by its code, an Enum: a warehouse's surrogate keys.
    """
    n = columns["area"].size
    index = np.arange(n)
    parked = columns["spaces"] > 0
    ordered = columns["qty"] > 0
    parts = [
        ("MGMT", index, columns["price"], columns["area"], PERIOD.months),
        (
            "PARKING",
            index[parked],
            np.full(int(parked.sum()), milli(PARKING_PRICE) * 10),
            columns["spaces"][parked],
            PERIOD.months,
        ),
        ("WATER", index, None, columns["water"], 1),
        ("SVC", index[ordered], columns["service"][ordered], columns["qty"][ordered], 1),
    ]
    frames = []
    for code, which, price, quantity, months in parts:
        frames.append(
            pl.DataFrame(
                {
                    "account": pl.Series(which, dtype=pl.Int64),
                    "code": pl.Series([code] * len(which), dtype=pl.Enum(CODES)),
                    "price_cfen": pl.Series(price, dtype=pl.Int64)
                    if price is not None
                    else pl.Series([None] * len(which), dtype=pl.Int64),
                    "quantity_milli": quantity,
                    "months": np.full(len(which), months, dtype=np.int64),
                }
            )
        )
    lines = pl.concat(frames).sort("account", maintain_order=True).select(list(NOTICE_LINE_SCHEMA))
    tiers = pl.DataFrame(
        {
            "code": ["WATER"] * len(TIERS),
            "up_to_milli": [up for up, _ in TIERS],
            "price_cfen": [price for _, price in TIERS],
        },
        schema={"code": pl.String, "up_to_milli": pl.Int64, "price_cfen": pl.Int64},
    )
    return lines, tiers


def numpy_arrays(lines: Any) -> dict[str, np.ndarray]:
    """The lines' stored columns as numpy arrays (taken once; not timed, like the frames).

    The same columns the batch path reads: the account key, the code's index in its Enum, the
    price and whether it is set (a nullable column: values and validity), the quantity and
    the months.
    """
    price = lines.get_column("price_cfen")
    return {
        "account": lines.get_column("account").to_numpy(),
        "code": lines.get_column("code").to_physical().to_numpy(),
        "priced": price.is_not_null().to_numpy(),
        "price": price.fill_null(0).to_numpy(),
        "quantity": lines.get_column("quantity_milli").to_numpy(),
        "months": lines.get_column("months").to_numpy(),
    }


def totals_with_numpy(arrays: dict[str, np.ndarray], tiers: list) -> np.ndarray:
    """Each account's total in fen from the lines: each line half-up once, summed per account.

    Vectorised on int64 over the same columns as the batch path: a priced line is price ×
    quantity × months, a line of the tiered code the tiers' sum; the account keys are the
    units' numbers (0, 1, 2…, checked), so each line's total is added at its key.
    """
    scale = 100_000
    account, quantity, months = arrays["account"], arrays["quantity"], arrays["months"]
    exact = arrays["price"] * quantity * months
    metered = ~arrays["priced"] & (arrays["code"] == CODES.index("WATER"))
    water = quantity[metered]
    lower = 0
    amount = np.zeros_like(water)
    for up_to, price in tiers:
        top = water if up_to is None else np.minimum(water, up_to)
        amount += np.maximum(top - lower, 0) * price
        if up_to is not None:
            lower = up_to
    exact[metered] = amount * months[metered]
    fen = (2 * exact + scale) // (2 * scale)
    units = int(account[-1]) + 1
    if account[0] < 0 or not (account[1:] >= account[:-1]).all():
        raise ValueError("the account keys are not the units' numbers in order")
    total = np.zeros(units, dtype=np.int64)
    np.add.at(total, account, fen)
    return total


# -- run ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-units", type=int, default=1_000_000)
    args = parser.parse_args()
    tariff = build_tariff()
    lists = build_price_lists()
    every, rows_all = build_portfolio(random.Random(SEED), max(UNITS, args.batch_units))
    portfolio, rows = every, rows_all[:UNITS]

    # Alternate the two, REPEATS times each; the medians are reported (see the docstring).
    library_times: list[float] = []
    floor_times: list[float] = []
    billed: list[Decimal] = []
    totals: list[Decimal] = []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        billed = bill_with_propcrm(portfolio, tariff, lists)
        library_times.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        totals = bill_with_bare_decimal(rows)
        floor_times.append(time.perf_counter() - start)

    gc.collect()
    start = time.perf_counter()
    statements: list[Statement] = list(billing_run(tariff, lists).bill_all(portfolio))
    keep_all_seconds = time.perf_counter() - start

    mismatches = [
        (s.unit_id, s.total.amount, expected)
        for s, streamed, expected in zip(statements, billed, totals, strict=True)
        if s.total.amount != expected or streamed != expected
    ]
    if mismatches:
        unit_id, got, expected = mismatches[0]
        print(
            f"MISMATCH: {len(mismatches)} of {UNITS} totals differ from the bare-Decimal floor; "
            f"first: unit {unit_id} billed {got}, floor {expected}.",
            file=sys.stderr,
        )
        return 1

    # The batch path over a million units, against numpy; every total checked against numpy and
    # the bare-Decimal floor, and the first UNITS (the per-unit path's units) against the
    # statements above: the per-unit path over a million units is left out for its time.
    batch_rows = rows_all[: args.batch_units]
    columns = batch_columns(batch_rows)
    lines, water_tiers = batch_frames(columns)
    arrays = numpy_arrays(lines)
    del columns
    batch_times: list[tuple[float, float]] = []
    numpy_times: list[tuple[float, float]] = []
    batch = numbers = None
    for _ in range(REPEATS):
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        batch = notice_totals(lines, water_tiers, RoundingMode.HALF_UP)
        batch_times.append((time.process_time() - cpu, time.perf_counter() - wall))
        cpu, wall = time.process_time(), time.perf_counter()
        numbers = totals_with_numpy(arrays, TIERS)
        numpy_times.append((time.process_time() - cpu, time.perf_counter() - wall))
    assert batch is not None
    assert numbers is not None
    batched = batch.get_column("total_fen").to_numpy()
    accounts = list(range(len(batch_rows)))
    if batch.get_column("account").to_list() != accounts or not np.array_equal(batched, numbers):
        print("MISMATCH: the batch totals differ from numpy's", file=sys.stderr)
        return 1
    floor_all = bill_with_bare_decimal(batch_rows)
    wrong = [
        i
        for i, (got, want) in enumerate(zip(batched.tolist(), floor_all, strict=True))
        if got != int(want.scaleb(2))
    ]
    per_unit = [s.total.minor_units for s in statements]
    if wrong or batched[: len(per_unit)].tolist() != per_unit[: len(batched)]:
        print(f"MISMATCH: batch totals differ from the floor or the statements: {wrong[:3]}")
        return 1
    batch_seconds = statistics.median(cpu for cpu, _ in batch_times)
    numpy_seconds = statistics.median(cpu for cpu, _ in numpy_times)
    batch_wall = statistics.median(wall for _, wall in batch_times)
    numpy_wall = statistics.median(wall for _, wall in numpy_times)
    checked = min(len(per_unit), len(batched))
    print(
        f"batch:      {batch_seconds:.3f} s CPU ({batch_wall:.3f} s wall) for "
        f"{len(batch_rows):,} units' totals ({len(lines):,} lines; median of {REPEATS}); numpy "
        f"{numpy_seconds:.3f} s CPU ({numpy_wall:.3f} s wall); every total equal to numpy and "
        f"the floor, and the first {checked:,} to their statements"
    )

    seconds = statistics.median(library_times)
    floor_seconds = statistics.median(floor_times)
    lines = Counter(line.code for s in statements for line in s.lines)
    kinds = Counter(s.property_type.value for s in statements)
    print(f"units:      {UNITS:,} ({', '.join(f'{k} {n:,}' for k, n in kinds.most_common())})")
    print(
        f"lines:      {lines.total():,} ({', '.join(f'{k} {n:,}' for k, n in lines.items())}); "
        f"totals agree with the floor on every unit"
    )
    print(
        f"propcrm:    {seconds:.3f} s, {seconds / UNITS * 1e6:.1f} µs per statement "
        f"(median of {REPEATS}: {', '.join(f'{t:.3f}' for t in library_times)})"
    )
    print(
        f"floor:      {floor_seconds:.3f} s, {floor_seconds / UNITS * 1e6:.2f} µs per unit, "
        f"bare Decimal (median of {REPEATS}: {', '.join(f'{t:.3f}' for t in floor_times)})"
    )
    print(
        f"keep all:   {keep_all_seconds:.3f} s to bill into one list, "
        f"{keep_all_seconds / floor_seconds:.2f} × the floor (information only: adds the GC)"
    )
    print(
        f"statements={UNITS} seconds={seconds:.3f} per_second={round(UNITS / seconds)} "
        f"floor_ratio={seconds / floor_seconds:.2f} batch_units={len(batch_rows)} "
        f"batch_seconds={batch_seconds:.3f} numpy_ratio={batch_seconds / numpy_seconds:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
