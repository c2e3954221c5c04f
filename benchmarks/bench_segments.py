"""Benchmark: segment a 1,000,000-party portfolio through the batch path, against pandas.

Run ``python benchmarks/bench_segments.py`` (needs the ``batch`` and ``bench`` extras: polars and
pandas). The portfolio is generated with numpy from a fixed seed (never the clock), so every run
scores the same parties:

- 1,000,000 parties (integer ids, rows in shuffled order): 4 % organisations, property types,
  rights and asks as bit masks, birth years and household sizes (some not recorded),
  communities, locations, move-in and callback days;
- 0 to 12 monthly fee notices per party (about 6.3 million rows), due the 10th, paid early,
  late, in part or not at all;
- special-service purchases (about 0.5 million rows);
- a complaint record, aggregated as of the date, for 30 % of the parties.

Two things are timed with ``time.perf_counter``, alternately, ``REPEATS`` times each, from the
same raw frames to the same result; each figure reported is the **median**:

- **propcrm**: :func:`propcrm.segmentation.evaluate_batch` with ten rules (the six
  ready segments and four others), which checks the frames, aggregates the notices and purchases
  as of the date, ranks the RFM quintiles (payments; ties by party id) and evaluates the rules
  with their three-valued outcomes;
- **pandas**: the same scoring written directly in pandas (group-by aggregation, ``rank(method=
  "first")`` quintiles after sorting by party id, the rules as nullable-boolean column
  arithmetic; pandas' ``boolean`` dtype has the same Kleene logic), without the input checks.

Both results must agree on every party — the three RFM scores and the outcome of every rule,
insufficient history included — or the script exits non-zero. Generating the data is not timed.
The last line printed is machine-readable::

    parties=1000000 seconds=S pandas_seconds=P ratio=R

with R = S / P. The goal is R <= 1; nothing asserts it.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time

import numpy as np
import pandas as pd
import pendulum
import polars as pl

from propcrm._property_types import PropertyType
from propcrm.analytics import DEFAULT_BEHAVIOUR_POLICY
from propcrm.analytics._behaviour import NO_EVENT_KEY, epoch_days
from propcrm.money import Money
from propcrm.segmentation import (
    DEFAULT_SEGMENT_POLICY,
    AgeBetween,
    Arrears,
    AsksFor,
    CommunityIs,
    CustomerAsk,
    MaxDaysLate,
    OrganisationIs,
    OrganisationType,
    PortfolioFrames,
    PropertyRight,
    PropertyRightIs,
    SegmentRule,
    SubjectKind,
    evaluate_batch,
    flag_mask,
    ready_segments,
)
from propcrm.segmentation._batch import SCORE_COLUMNS

PARTIES = 1_000_000
SEED = 20261201
REPEATS = 5
AS_OF = pendulum.date(2026, 12, 1)
COMMUNITIES = ("SUNRISE", "LAKESIDE", "RIVERSIDE", "PARKVIEW", "HILLTOP")
LOCATIONS = ("浦东新区", "徐汇区", "闵行区")
ORGANISATION_SHARE = 0.04
COMPLAINT_RECORD_SHARE = 0.3

POLICY = DEFAULT_BEHAVIOUR_POLICY
SEGMENTS = DEFAULT_SEGMENT_POLICY
ELDERLY_AGE = 65
HIGH_ARREARS = Money("1000.00")
LONG_OVERDUE_DAYS = 90

# Bit masks of the flag columns (see propcrm.segmentation.flag_mask).
RESIDENTIAL, OFFICE, COMMERCIAL, PARKING = (
    flag_mask([t])
    for t in (
        PropertyType.RESIDENTIAL,
        PropertyType.OFFICE,
        PropertyType.COMMERCIAL,
        PropertyType.PARKING,
    )
)
OWNER, TENANT, OCCUPANT = (flag_mask([r]) for r in PropertyRight)
FEES = flag_mask([CustomerAsk.FEES])


def rules() -> dict[str, SegmentRule]:
    """The ten rules: the six ready segments and four more."""
    result: dict[str, SegmentRule] = dict(ready_segments())
    result["elderly-owner"] = AgeBetween(at_least=ELDERLY_AGE) & PropertyRightIs(
        PropertyRight.OWNER
    )
    result["enterprise-or-agency"] = OrganisationIs(
        {OrganisationType.ENTERPRISE, OrganisationType.GOVERNMENT_AGENCY}
    )
    result["fee-askers-elsewhere"] = ~CommunityIs("SUNRISE") & AsksFor(CustomerAsk.FEES)
    result["heavy-debtor"] = Arrears(at_least=HIGH_ARREARS) | MaxDaysLate(
        at_least=LONG_OVERDUE_DAYS
    )
    return result


# -- the portfolio (not timed) ------------------------------------------------------------------


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def build_frames(rng: np.random.Generator) -> PortfolioFrames:
    n = PARTIES
    ids = rng.permutation(n).astype(np.int64)
    organisation = rng.random(n) < ORGANISATION_SHARE
    org_types = np.array([t.value for t in OrganisationType], dtype=object)
    org_choice = org_types[rng.integers(0, len(org_types), n)]
    birth = rng.integers(1935, 2005, n).astype(np.float64)
    birth[organisation | (rng.random(n) < 0.1)] = np.nan
    household = rng.integers(1, 8, n).astype(np.float64)
    household[organisation | (rng.random(n) < 0.15)] = np.nan
    today = epoch_days(AS_OF)
    moved = today - rng.integers(0, 5 * 365, n)
    moved = np.where(rng.random(n) < 0.03, today - rng.integers(0, 40, n), moved)
    called = rng.random(n) < 0.5
    callback = np.where(called, moved + rng.integers(0, 45, n), -1)
    parties = pl.DataFrame(
        {
            "party_id": ids,
            "kind": np.where(
                organisation, SubjectKind.ORGANISATION.value, SubjectKind.PERSON.value
            ),
            "organisation": pl.Series(org_choice.astype(str)).set(pl.Series(~organisation), None),
            "community": np.array(COMMUNITIES)[rng.integers(0, len(COMMUNITIES), n)],
            "location": np.array(LOCATIONS)[rng.integers(0, len(LOCATIONS), n)],
            "property_types": rng.choice(
                np.array(
                    [RESIDENTIAL] * 4
                    + [OFFICE, COMMERCIAL, COMMERCIAL | PARKING, RESIDENTIAL | PARKING],
                    dtype=np.uint8,
                ),
                n,
            ),
            "property_rights": rng.choice(
                np.array([OWNER] * 3 + [TENANT] * 2 + [OCCUPANT, OWNER | TENANT], dtype=np.uint8),
                n,
            ),
            "asks": rng.integers(0, 8, n).astype(np.uint8),
            "birth_year": pl.Series(birth, nan_to_null=True).cast(pl.Int32),
            "household_size": pl.Series(household, nan_to_null=True).cast(pl.Int32),
            "moved_in_on": _dates(moved),
            "callback_on": pl.Series(callback.astype(np.int32)),
        }
    ).with_columns(
        pl.when(pl.col("callback_on") < 0)
        .then(None)
        .otherwise(pl.col("callback_on"))
        .cast(pl.Date)
        .alias("callback_on")
    )

    # Fee notices: party i has k_i monthly notices, the latest due 10 Nov 2026.
    counts = rng.binomial(12, 0.55, n)
    counts[rng.random(n) < 0.05] = 0
    owner = np.repeat(ids, counts)
    rows = len(owner)
    back = _months_back(counts)
    due = np.array(
        [epoch_days(pendulum.date(2026, 11, 10).subtract(months=int(m))) for m in range(12)]
    )[back]
    amount = rng.integers(5_000, 120_000, rows)  # ¥50.00 to ¥1,200.00
    # Days paid after the due date: most pay early or on the day, a few weeks or months late.
    lateness = rng.choice(
        np.array([-8, -3, 0, 2, 5, 12, 30, 75, 120]),
        rows,
        p=[0.3, 0.3, 0.2, 0.06, 0.05, 0.04, 0.02, 0.02, 0.01],
    )
    unpaid = rng.random(rows) < 0.03
    paid_on = due + lateness
    paid_on = np.where(unpaid | (paid_on > today), -1, paid_on)
    partial = (rng.random(rows) < 0.03) & (paid_on >= 0)
    amount_paid = np.where(paid_on < 0, 0, np.where(partial, amount // 2, amount))
    payments = pl.DataFrame(
        {
            "party_id": owner,
            "due_on": _dates(due),
            "amount": amount.astype(np.int64),
            "paid_on": _dates(np.where(paid_on < 0, 0, paid_on)),
            "amount_paid": amount_paid.astype(np.int64),
        }
    ).with_columns(
        pl.when(pl.col("amount_paid") == 0).then(None).otherwise(pl.col("paid_on")).alias("paid_on")
    )

    bought = rng.poisson(0.5, n)
    buyer = np.repeat(ids, bought)
    purchases = pl.DataFrame(
        {
            "party_id": buyer,
            "purchased_on": _dates(today - rng.integers(0, 500, len(buyer))),
            "amount": rng.integers(1_500, 60_000, len(buyer)).astype(np.int64),
        }
    )

    has_record = rng.random(n) < COMPLAINT_RECORD_SHARE
    recorded = ids[has_record]
    m = len(recorded)
    satisfaction = rng.integers(1, 6, m).astype(np.float64)
    satisfaction[rng.random(m) < 0.4] = np.nan
    complaints = pl.DataFrame(
        {
            "party_id": recorded,
            "complaints": rng.poisson(0.6, m).astype(np.int32),
            "last_satisfaction": pl.Series(satisfaction, nan_to_null=True).cast(pl.Int32),
        }
    )
    return PortfolioFrames(parties, payments, purchases, complaints)


def _months_back(counts: np.ndarray) -> np.ndarray:
    """For each party's k notices, months back 0 … k-1 (concatenated in party order)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


# -- pandas, written directly -------------------------------------------------------------------


def score_with_pandas(
    parties: pd.DataFrame,
    payments: pd.DataFrame,
    purchases: pd.DataFrame,
    complaints: pd.DataFrame,
) -> pd.DataFrame:
    day = epoch_days(AS_OF)
    start = epoch_days(POLICY.window_start(AS_OF))
    cutoff = epoch_days(AS_OF.subtract(months=SEGMENTS.callback_months))

    due = payments["due_on"].to_numpy()
    paid = payments["paid_on"].to_numpy()  # -1 when unpaid
    amount = payments["amount"].to_numpy()
    amount_paid = payments["amount_paid"].to_numpy()
    paid_by = (paid >= 0) & (paid <= day)
    settled = paid_by & (amount_paid == amount)
    due_before = due < day
    assessed = due_before & (due >= start)
    late = np.maximum(np.where(settled, paid - due, day - due), 0)
    in_window = paid_by & (paid > start)
    frame = pd.DataFrame(
        {
            "party_id": payments["party_id"].to_numpy(),
            "assessed": assessed,
            "on_time": assessed & (late == 0),
            "total_days_late": np.where(assessed, late, 0),
            "max_days_late": np.where(assessed, late, -1),
            "overdue": due_before,
            "arrears": np.where(due_before, amount - np.where(paid_by, amount_paid, 0), 0),
            "paid_events": paid_by,
            "last_paid": np.where(paid_by, paid, NO_EVENT_KEY),
            "paid_count": in_window,
            "paid_amount": np.where(in_window, amount_paid, 0),
        }
    )
    agg = frame.groupby("party_id", sort=False).agg(
        assessed=("assessed", "sum"),
        on_time=("on_time", "sum"),
        total_days_late=("total_days_late", "sum"),
        max_days_late=("max_days_late", "max"),
        overdue=("overdue", "sum"),
        arrears=("arrears", "sum"),
        paid_events=("paid_events", "sum"),
        last_paid=("last_paid", "max"),
        paid_count=("paid_count", "sum"),
        paid_amount=("paid_amount", "sum"),
    )
    bought_on = purchases["purchased_on"].to_numpy()
    bought = bought_on <= day
    bought_window = bought & (bought_on > start)
    buys = (
        pd.DataFrame(
            {
                "party_id": purchases["party_id"].to_numpy(),
                "purchases": bought_window,
                "spend": np.where(bought_window, purchases["amount"].to_numpy(), 0),
                "bought_events": bought,
            }
        )
        .groupby("party_id", sort=False)
        .sum()
    )
    df = parties.set_index("party_id").sort_index()
    df = (
        df.join(agg, how="left")
        .join(buys, how="left")
        .join(complaints.set_index("party_id"), how="left")
    )
    for name in (
        "assessed",
        "on_time",
        "total_days_late",
        "overdue",
        "arrears",
        "paid_events",
        "paid_count",
        "paid_amount",
        "purchases",
        "spend",
        "bought_events",
    ):
        df[name] = df[name].fillna(0).astype(np.int64)
    existing = (df["overdue"] > 0) | (df["paid_events"] > 0) | (df["bought_events"] > 0)

    result = pd.DataFrame(index=df.index)
    keys = {
        "recency_score": df["last_paid"].fillna(NO_EVENT_KEY),
        "frequency_score": df["paid_count"],
        "monetary_score": df["paid_amount"],
    }
    population = int(existing.sum())
    for name, key in keys.items():
        rank = key.where(existing).rank(method="first")  # rows sorted by id: ties by id
        result[name] = ((rank - 1) * 5 // population + 1).astype("Int16")

    def nullable(values: pd.Series) -> pd.Series:
        return values.astype("boolean")

    def when(condition: pd.Series, values: pd.Series) -> pd.Series:
        out = nullable(values)
        out[~condition.to_numpy()] = pd.NA
        return out

    sufficient = df["assessed"] >= POLICY.min_statements
    person = df["kind"] == SubjectKind.PERSON.value
    rights = df["property_rights"]
    monetary = result["monetary_score"]
    complaints_in = df["complaints"].astype("Int64")
    satisfaction = df["last_satisfaction"].astype("Int64")
    moved = df["moved_in_on"]
    callback = df["callback_on"]

    ratio = SEGMENTS.reliable_on_time_ratio.as_integer_ratio()
    on_time_enough = df["on_time"] * ratio[1] >= df["assessed"] * ratio[0]
    result["reliable-payer"] = when(sufficient, on_time_enough) & when(
        df["overdue"] > 0, df["arrears"] <= 0
    )
    result["chronic-late-payer"] = when(
        sufficient, df["assessed"] - df["on_time"] >= SEGMENTS.chronic_late_statements
    )
    result["high-value-commercial-tenant"] = (
        nullable((rights & TENANT) != 0)
        & nullable((df["property_types"] & COMMERCIAL) != 0)
        & (monetary >= SEGMENTS.high_value_monetary_score)
    )
    result["new-resident-callback"] = nullable(
        moved.between(cutoff, day) & (callback.isna() | (callback > day))
    )
    result["frequent-complainer"] = complaints_in >= SEGMENTS.frequent_complaints
    result["at-risk"] = (complaints_in >= SEGMENTS.at_risk_complaints) & (
        satisfaction <= SEGMENTS.at_risk_satisfaction
    )
    age = AS_OF.year - df["birth_year"].astype("Int64")
    elderly = (age >= ELDERLY_AGE).where(person, False).astype("boolean")
    result["elderly-owner"] = elderly & nullable((rights & OWNER) != 0)
    result["enterprise-or-agency"] = nullable(
        df["organisation"].isin(
            [OrganisationType.ENTERPRISE.value, OrganisationType.GOVERNMENT_AGENCY.value]
        )
    )
    result["fee-askers-elsewhere"] = nullable(
        (df["community"] != "SUNRISE") & ((df["asks"] & FEES) != 0)
    )
    heavy_arrears = when(df["overdue"] > 0, df["arrears"] >= HIGH_ARREARS.minor_units)
    long_overdue = when(sufficient, df["max_days_late"].fillna(-1) >= LONG_OVERDUE_DAYS)
    result["heavy-debtor"] = heavy_arrears | long_overdue
    return result


def _pandas(frame: pl.DataFrame) -> pd.DataFrame:
    # Column by column through numpy (pyarrow is not needed): nullable integers arrive as
    # floats with NaN, text with None, as pandas would read them from a file.
    return pd.DataFrame({name: frame.get_column(name).to_numpy() for name in frame.columns})


def to_pandas_inputs(
    frames: PortfolioFrames,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same raw frames as pandas would hold them: dates as epoch days, -1 for no payment."""
    days = pl.col(pl.Date).cast(pl.Int32)
    parties = _pandas(frames.parties.with_columns(days))
    payments = _pandas(
        frames.payments.with_columns(
            pl.col("due_on").cast(pl.Int32), pl.col("paid_on").cast(pl.Int32).fill_null(-1)
        )
    )
    purchases = _pandas(frames.purchases.with_columns(days))
    complaints = _pandas(frames.complaints)
    return parties, payments, purchases, complaints


# -- the run ------------------------------------------------------------------------------------


def compare(batch: pl.DataFrame, reference: pd.DataFrame, names: list[str]) -> list[str]:
    """Column names on which the two results differ (nulls must match nulls)."""
    ours = batch.sort("party_id")
    if ours.get_column("party_id").to_list() != reference.index.to_list():
        return ["party_id"]
    problems = []
    for name in (*SCORE_COLUMNS, *names):
        theirs = [None if value is pd.NA else value for value in reference[name].tolist()]
        if ours.get_column(name).to_list() != theirs:
            problems.append(name)
    return problems


def main() -> int:
    frames = build_frames(np.random.default_rng(SEED))
    inputs = to_pandas_inputs(frames)
    named = rules()
    names = list(named)

    batch_times: list[float] = []
    pandas_times: list[float] = []
    batch = pl.DataFrame()
    reference = pd.DataFrame()
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        batch = evaluate_batch(named, frames, AS_OF)
        batch_times.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        reference = score_with_pandas(*inputs)
        pandas_times.append(time.perf_counter() - start)

    problems = compare(batch, reference, names)
    if problems:
        print(
            f"MISMATCH: the batch path and pandas disagree on {', '.join(problems)}.",
            file=sys.stderr,
        )
        return 1

    seconds = statistics.median(batch_times)
    pandas_seconds = statistics.median(pandas_times)
    print(
        f"parties:    {PARTIES:,}; notices {frames.payments.height:,}; purchases "
        f"{frames.purchases.height:,}; complaint records {frames.complaints.height:,}"
    )
    for name in names:
        column = batch.get_column(name)
        print(
            f"  {name:30} match {column.sum():>9,}  no match {(~column).sum():>9,}  "
            f"insufficient history {column.null_count():>9,}"
        )
    print("results agree with pandas on every party: RFM scores and all ten rules")
    print(
        f"propcrm:    {seconds:.3f} s (median of {REPEATS}: "
        f"{', '.join(f'{t:.3f}' for t in batch_times)})"
    )
    print(
        f"pandas:     {pandas_seconds:.3f} s (median of {REPEATS}: "
        f"{', '.join(f'{t:.3f}' for t in pandas_times)})"
    )
    print(
        f"parties={PARTIES} seconds={seconds:.3f} pandas_seconds={pandas_seconds:.3f} "
        f"ratio={seconds / pandas_seconds:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
