"""Raw receipts re-allocated over columns, under each account's allocation order.

The facts of :func:`~propcrm.portfolio.facts_from_accounts` carry the allocations the ledger
recorded when each payment was posted. :func:`reallocate` computes them again from the raw
receipts, as the per-account fold does (:class:`propcrm.receivables.Account`): events in the
canonical order (by date; statements before receipts on a day; then by number or reference),
each receipt settling what is owed on its day in the account's order
(:func:`propcrm.receivables.settlement_order`: a designation first if honoured, then Civil Code
order or principal first), what is left becoming credit, which each statement issued later
takes in turn. The late fee owed on a payment's day is the batch month end's closed form over
the reductions so far, so a later payment sees what the earlier ones paid.

Accounts are processed side by side, one event of each per round: a round is a few column
operations over the statements of the accounts that pay in it.

What it covers: accounts of statements and receipts (with designations). An account whose
statements carry waivers, collection costs, a write-off, a revision, daily compounding or
figures beyond 64-bit integers, or whose receipt designates a statement not yet issued, is
left out and named in :attr:`Reallocation.explain`, for the per-account path.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import attrs

from propcrm._validators import check_items
from propcrm.billing import Statement
from propcrm.errors import InvalidType
from propcrm.portfolio._frames import (
    DEFERRAL_SCHEMA,
    DISPUTE_SCHEMA,
    KEY,
    REDUCTION_SCHEMA,
    STATEMENT_SCHEMA,
    PortfolioFacts,
    check_frame,
    facts_from_accounts,
    polars_module,
)
from propcrm.portfolio._month_end import rounded_ratio
from propcrm.receivables import Account, AllocationOrder
from propcrm.time import as_date

__all__ = [
    "POLICY_SCHEMA",
    "RECEIPT_SCHEMA",
    "RawFacts",
    "Reallocation",
    "raw_facts_from_accounts",
    "reallocate",
]

RECEIPT_SCHEMA: dict[str, str] = {
    "account": "String",
    "reference": "String",
    "received_on": "Date",
    "amount_fen": "Int64",
    "designation": "List(String)",
}
"""The raw receipts: the account, the receipt's reference, the day it was received, its amount
in minor units and the statement numbers it designates, in order (an empty list: none)."""

POLICY_SCHEMA: dict[str, str] = {
    "account": "String",
    "order": "String",
    "honour_designation": "Boolean",
}
"""Each account's allocation policy: the :class:`~propcrm.receivables.AllocationOrder` value
(``civil_code``, ``principal_first``) and whether a designation is honoured. An account
without a row has the default policy (Civil Code order, designations honoured)."""

_ISSUED = {**STATEMENT_SCHEMA, "issued_on": "Date"}

# What re-allocation does not model: an account with any of it is left to the explained path.
_NOT_MODELLED = (
    "waived_fen",
    "fee_waived_fen",
    "fee_written_fen",
    "costs_fen",
    "costs_paid_fen",
    "costs_written_fen",
)

_SAFE = 2**62

# Component ranks within a statement, as settlement_order takes them (costs, absent, aside).
_FEE, _PRINCIPAL = 0, 1


@attrs.frozen
class Reallocation:
    """Facts with the allocations computed from raw receipts.

    Attributes:
        facts: the statements (``paid_fen`` and ``fee_paid_fen`` as allocated), the
            principal reductions the receipts made, no deferrals and no disputes; as
            :func:`~propcrm.portfolio.facts_from_accounts` writes them for the same accounts.
        explain: the accounts left out (see the module), sorted.
    """

    facts: PortfolioFacts
    explain: tuple[str, ...]


@attrs.frozen
class RawFacts:
    """The three frames :func:`reallocate` takes: what was billed, what was paid, and how.

    Attributes:
        statements: the statements as billed (nothing paid yet: ``paid_fen`` and
            ``fee_paid_fen`` are 0), with ``issued_on``, the day each was issued.
        receipts: the raw receipts (:data:`RECEIPT_SCHEMA`).
        policies: each account's allocation policy (:data:`POLICY_SCHEMA`).
    """

    statements: Any
    receipts: Any
    policies: Any


def raw_facts_from_accounts(accounts: Iterable[Account], as_of: datetime.date) -> RawFacts:
    """The raw facts of ``accounts`` as of ``as_of``: :func:`reallocate`'s three frames.

    The statements are :func:`~propcrm.portfolio.facts_from_accounts`' (with their integer
    keys), unpaid, with the day each original statement was issued read from the account's
    events (the stored facts do not keep it: the month end never reads it); the receipts are
    those received by ``as_of``, in each account's replay order. Re-allocating them gives the
    facts back (for the accounts it models).

    >>> import pendulum
    >>> from propcrm.billing import opening_statement
    >>> from propcrm.money import Money
    >>> from propcrm.receivables import Receipt
    >>> from propcrm.time import BillingPeriod
    >>> nov = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="1-2-0301",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1000.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> paid = Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20))
    >>> day = pendulum.date(2026, 12, 30)
    >>> raw = raw_facts_from_accounts([Account("1-2-0301").post(nov, paid)], day)
    >>> raw.receipts.select("reference", "amount_fen").rows()
    [('BANK-1', 40000)]
    >>> done = reallocate(raw.statements, raw.receipts, raw.policies, day)
    >>> done.facts.statements.select("paid_fen", "fee_paid_fen").rows()
    [(37000, 3000)]
    """
    pl = polars_module()
    day = as_date(as_of, "as_of")
    listed: tuple[Account, ...] = check_items(accounts, "accounts", Account)
    facts = facts_from_accounts(listed, day)
    issued = {
        (account.unit_id, event.number): event.issued_on
        for account in listed
        for event in account.events
        if isinstance(event, Statement)
    }
    keys = facts.statements.select("account", "statement").iter_rows()
    statements = facts.statements.with_columns(
        pl.Series("issued_on", [issued[key] for key in keys], dtype=pl.Date),
        pl.lit(0, dtype=pl.Int64).alias("paid_fen"),
        pl.lit(0, dtype=pl.Int64).alias("fee_paid_fen"),
    )
    paid_in = [
        (account.unit_id, receipt)
        for account in listed
        for receipt in account.receipts()
        if receipt.received_on <= day
    ]
    receipts = pl.DataFrame(
        {
            "account": [unit for unit, _ in paid_in],
            "reference": [receipt.reference for _, receipt in paid_in],
            "received_on": [receipt.received_on for _, receipt in paid_in],
            "amount_fen": [receipt.amount.minor_units for _, receipt in paid_in],
            "designation": [list(receipt.designation) for _, receipt in paid_in],
        },
        schema={name: _dtype(pl, kind) for name, kind in RECEIPT_SCHEMA.items()},
    )
    policies = pl.DataFrame(
        {
            "account": [account.unit_id for account in listed],
            "order": [account.allocation.order.value for account in listed],
            "honour_designation": [account.allocation.honour_designation for account in listed],
        },
        schema={name: _dtype(pl, kind) for name, kind in POLICY_SCHEMA.items()},
    )
    return RawFacts(statements, receipts, policies)


def _dtype(pl: Any, kind: str) -> Any:
    return pl.List(pl.String) if kind == "List(String)" else getattr(pl, kind)


def _frame(value: object, field: str, columns: dict[str, str]) -> Any:
    pl = polars_module()
    return check_frame(value, field, columns).with_columns(
        *(pl.col(name).cast(_dtype(pl, kind)) for name, kind in columns.items())
    )


def reallocate(
    statements: Any,
    receipts: Any,
    policies: Any,
    as_of: datetime.date,
    *,
    deferrals: Any = None,
    disputes: Any = None,
) -> Reallocation:
    """The facts as of ``as_of`` with every receipt allocated again, over columns.

    ``statements`` has the columns of :data:`~propcrm.portfolio.STATEMENT_SCHEMA` and
    ``issued_on`` (what was paid is not read: it is what this computes); ``receipts`` those of
    :data:`RECEIPT_SCHEMA`, ``policies`` those of :data:`POLICY_SCHEMA`. A deferral moves a
    due date, and so the order a payment meets the statements, on its day: the accounts with
    rows in ``deferrals`` or ``disputes`` (the frames of
    :data:`~propcrm.portfolio.DEFERRAL_SCHEMA` and :data:`~propcrm.portfolio.DISPUTE_SCHEMA`)
    by ``as_of`` are named in :attr:`Reallocation.explain`, as are the others it does not
    model (see the module). The statements' integer ``key``, when they have one, is carried
    to the facts' statements and reductions.

    >>> import pendulum
    >>> import polars as pl
    >>> from propcrm.billing import opening_statement
    >>> from propcrm.money import Money
    >>> from propcrm.portfolio import facts_from_accounts
    >>> from propcrm.receivables import Account
    >>> from propcrm.time import BillingPeriod
    >>> nov = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="1-2-0301",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1000.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> day = pendulum.date(2026, 12, 30)
    >>> billed = facts_from_accounts([Account("1-2-0301").post(nov)], day).statements
    >>> receipts = pl.DataFrame(
    ...     {
    ...         "account": ["1-2-0301"],
    ...         "reference": ["BANK-1"],
    ...         "received_on": [pendulum.date(2026, 12, 20)],
    ...         "amount_fen": [40000],
    ...         "designation": [[]],
    ...     },
    ...     schema_overrides={"designation": pl.List(pl.String)},
    ... )
    >>> policies = pl.DataFrame(
    ...     {"account": ["1-2-0301"], "order": ["civil_code"], "honour_designation": [True]}
    ... )
    >>> done = reallocate(
    ...     billed.with_columns(issued_on=pl.lit(nov.issued_on)), receipts, policies, day
    ... )
    >>> done.facts.statements.select("paid_fen", "fee_paid_fen").rows()  # 30.00 of fee first
    [(37000, 3000)]
    >>> done.facts.reductions.select("on", "amount_fen").rows()
    [(datetime.date(2026, 12, 20), 37000)]
    """
    pl = polars_module()
    given_statements = _frame(statements, "statements", _ISSUED)
    given_receipts = _frame(receipts, "receipts", RECEIPT_SCHEMA)
    given_policies = _frame(policies, "policies", POLICY_SCHEMA)
    day = as_date(as_of, "as_of")
    last = pl.lit(day, dtype=pl.Date)
    rows, paid_in, rules = pl.collect_all(
        [
            given_statements.filter(pl.col("issued_on") <= last),
            given_receipts.filter(pl.col("received_on") <= last),
            given_policies,
        ]
    )
    windows = [
        _frame(frame, field, schema).filter(pl.col(start) <= last).select("account")
        for frame, field, schema, start in (
            (deferrals, "deferrals", DEFERRAL_SCHEMA, "approved_on"),
            (disputes, "disputes", DISPUTE_SCHEMA, "raised_on"),
        )
        if frame is not None
    ]
    windowed = (
        set(pl.concat(pl.collect_all(windows)).get_column("account").to_list())
        if windows
        else set()
    )
    orders = {order.value for order in AllocationOrder}
    unknown = sorted(set(rules.get_column("order").drop_nulls().to_list()) - orders)
    if unknown or rules.get_column("order").null_count():
        raise InvalidType(
            f"policies name the orders {unknown or [None]}; an order is one of "
            f"{', '.join(sorted(orders))}.",
            field="policies",
            value=tuple(unknown),
            allowed=", ".join(sorted(orders)),
        )
    explain = sorted(
        set(_left_out(rows, paid_in, day)) | (windowed & set(rows.get_column("account").to_list()))
    )
    rows = rows.filter(~pl.col("account").is_in(pl.Series(explain, dtype=pl.String).implode()))
    paid_in = paid_in.filter(
        ~pl.col("account").is_in(pl.Series(explain, dtype=pl.String).implode())
    )
    paid, fee_paid, steps = _replay(rows, paid_in, rules)
    # The statements' integer keys, when given, are carried to the facts (see _frames).
    keyed = [KEY] if KEY in rows.columns else []
    done = rows.with_columns(paid.alias("paid_fen"), fee_paid.alias("fee_paid_fen")).select(
        *STATEMENT_SCHEMA, *keyed
    )
    reductions = (
        rows.select("account", "statement", *keyed)
        .with_row_index("row")
        .join(steps, on="row", how="inner", maintain_order="right")
        .select(
            "account",
            "statement",
            pl.col("on").cast(pl.Date),
            pl.col("amount_fen").cast(pl.Int64),
            *keyed,
        )
    )
    empty = [
        pl.DataFrame(
            schema={
                **{name: getattr(pl, kind) for name, kind in schema.items()},
                **{key: rows.schema[key] for key in keyed},
            }
        )
        for schema in (DEFERRAL_SCHEMA, DISPUTE_SCHEMA)
    ]
    reductions = reductions.select(*REDUCTION_SCHEMA, *keyed)
    return Reallocation(PortfolioFacts(done, reductions, *empty), tuple(explain))


def _left_out(rows: Any, paid_in: Any, day: datetime.date) -> list[str]:
    """The accounts re-allocation does not model (see the module), sorted."""
    pl = polars_module()
    today = day.toordinal() - _EPOCH
    first = pl.col("due_on").cast(pl.Int32) + (~pl.col("start_on_due")).cast(pl.Int32)
    widest = pl.max_horizontal("rate_num", "cap_num", pl.lit(1))
    fits = (pl.col("principal_fen") < 2**40) & (
        pl.col("principal_fen") * (pl.lit(today) - first + pl.col("grace_days") + 2).clip(1)
        < pl.lit(_SAFE) // widest
    )
    odd = pl.any_horizontal(
        *(pl.col(name) != 0 for name in _NOT_MODELLED),
        pl.col("written_off"),
        pl.col("daily_compounding"),
        pl.col("statement") != pl.col("number"),
        ~fits,
    )
    left = set(rows.filter(odd).get_column("account").to_list())
    # A designation of a statement the account does not hold by then: the account refuses it.
    named = (
        paid_in.select("account", "received_on", pl.col("designation").alias("statement"))
        .explode("statement")
        .drop_nulls("statement")
    )
    if named.height:
        held = rows.select("account", "statement", "issued_on")
        found = named.join(held, on=["account", "statement"], how="left")
        left |= set(
            found.filter(
                pl.col("issued_on").is_null() | (pl.col("issued_on") > pl.col("received_on"))
            )
            .get_column("account")
            .to_list()
        )
    return sorted(left)


_EPOCH = datetime.date(1970, 1, 1).toordinal()


def _replay(rows: Any, paid_in: Any, rules: Any) -> tuple[Any, Any, Any]:
    """``paid`` and ``fee_paid`` per statement row, and the reductions.

    The reductions (``row``, ``on``, ``amount_fen``) by statement row, each statement's in
    the order they were made.
    """
    pl = polars_module()
    height = rows.height
    codes = rows.select("account").unique(maintain_order=True).with_row_index("code")
    accounts = codes.height
    policy = (
        codes.join(rules, on="account", how="left", maintain_order="left")
        .with_columns(
            (pl.col("order").fill_null(AllocationOrder.CIVIL_CODE.value) == "civil_code").alias(
                "civil"
            ),
            pl.col("honour_designation").fill_null(True).alias("honour"),
        )
        .select("code", "civil", "honour")
    )
    due = pl.col("due_on").cast(pl.Int32)
    first0 = due + (~pl.col("start_on_due")).cast(pl.Int32)
    static = (
        rows.with_row_index("row")
        .join(codes, on="account", how="left", maintain_order="left")
        .with_columns(
            (first0 + pl.col("grace_days")).alias("grace_end"),
            pl.when((pl.col("grace_days") > 0) & ~pl.col("grace_threshold"))
            .then(first0 + pl.col("grace_days"))
            .otherwise(first0)
            .alias("first"),
        )
        .join(policy, on="code", how="left", maintain_order="left")
    )
    # Oldest due first, then by number: the order a payment meets the statements.
    ages = (
        static.select("row", "code", due.alias("due"), "number")
        .sort("code", "due", "number")
        .select("row", pl.int_range(pl.len()).over("code").alias("age"))
    )
    static = static.join(ages, on="row", how="left", maintain_order="left")
    events = (
        pl.concat(
            [
                static.select(
                    "code",
                    pl.col("issued_on").alias("day"),
                    pl.lit(0).alias("rank"),
                    pl.col("number").alias("reference"),
                    pl.col("row").cast(pl.Int64),
                    pl.lit(None, dtype=pl.Int64).alias("amount"),
                    pl.lit(None, dtype=pl.List(pl.String)).alias("designation"),
                ),
                paid_in.join(codes, on="account", how="inner").select(
                    "code",
                    pl.col("received_on").alias("day"),
                    pl.lit(10).alias("rank"),
                    "reference",
                    pl.lit(None, dtype=pl.Int64).alias("row"),
                    pl.col("amount_fen").alias("amount"),
                    "designation",
                ),
            ]
        )
        .sort("code", "day", "rank", "reference")
        .with_columns(pl.int_range(pl.len()).over("code").alias("round"))
    )
    state = {
        name: pl.zeros(height, pl.Int64, eager=True)
        for name in ("paid", "fee_paid", "reduced", "reduced_at", "within")
    }
    issued = pl.repeat(False, height, dtype=pl.Boolean, eager=True)
    credit = pl.zeros(accounts, pl.Int64, eager=True)
    steps = []
    for _, happening in sorted(events.partition_by("round", as_dict=True).items()):
        posted = happening.filter(pl.col("rank") == 0)
        if posted.height:
            issued = issued.scatter(posted.get_column("row"), True)
        # A statement issued takes the account's credit; a receipt pays its amount.
        codes_paying = posted.get_column("code")
        from_credit = credit.gather(codes_paying)
        credited = posted.select(
            "code",
            "day",
            from_credit.alias("amount"),
            pl.lit([], dtype=pl.List(pl.String)).alias("designation"),
        )
        credit = credit.scatter(codes_paying, 0)
        payments = pl.concat(
            [
                credited.filter(pl.col("amount") > 0),
                happening.filter(pl.col("rank") == 10).select(
                    "code", "day", "amount", "designation"
                ),
            ]
        )
        if not payments.height:
            continue
        parts, left = _settle(static, state, issued, payments, accounts)
        credit = credit.scatter(
            left.get_column("code"), credit.gather(left.get_column("code")) + left["left"]
        )
        if parts.height:
            state = _apply(static, state, parts)
            steps.append(
                parts.filter((pl.col("component") == _PRINCIPAL) & (pl.col("pay") > 0)).select(
                    "row", pl.col("day").alias("on"), pl.col("pay").alias("amount_fen")
                )
            )
    reductions = (
        pl.concat(steps)
        if steps
        else pl.DataFrame(schema={"row": pl.UInt32, "on": pl.Int32, "amount_fen": pl.Int64})
    )
    reductions = reductions.with_columns(pl.col("row").cast(pl.UInt32)).sort(
        "row", maintain_order=True
    )
    return state["paid"], state["fee_paid"], reductions


def _settle(
    static: Any, state: dict[str, Any], issued: Any, payments: Any, accounts: int
) -> tuple[Any, Any]:
    """What each payment (one per account) pays of each statement's fee and principal."""
    pl = polars_module()
    codes = payments.get_column("code")
    amount = pl.zeros(accounts, pl.Int64, eager=True).scatter(codes, payments["amount"])
    days = pl.zeros(accounts, pl.Int32, eager=True).scatter(
        codes, payments.get_column("day").cast(pl.Int32)
    )
    paying = pl.repeat(False, accounts, dtype=pl.Boolean, eager=True).scatter(codes, True)
    named = (
        payments.select("code", "designation")
        .with_columns(pl.int_ranges(pl.col("designation").list.len()).alias("position"))
        .explode("designation", "position")
        .drop_nulls("designation")
        .group_by("code", "designation")
        .agg(pl.col("position").min())
        .rename({"designation": "number"})
    )
    candidates = (
        static.with_columns(
            *(series.alias(name) for name, series in state.items()),
            issued.alias("issued"),
        )
        .filter(pl.col("issued") & pl.lit(paying).gather(pl.col("code")))
        .with_columns(pl.lit(days).gather(pl.col("code")).alias("day"))
        .join(named, on=["code", "number"], how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("honour")).then(pl.col("position")).alias("position"),
            _fee_owed().alias("fee_owed"),
            (pl.col("principal_fen") - pl.col("paid")).alias("principal_owed"),
        )
    )
    component = pl.col("component")
    designated = pl.col("position").is_not_null()
    within = pl.when(pl.col("civil")).then(component).otherwise(1 - component)
    # settlement_order: the designated statements first, in the designation's order, each
    # with its components; then Civil Code order statement by statement, or principal first
    # component by component.
    major = (
        pl.when(designated)
        .then(pl.col("position"))
        .when(pl.col("civil"))
        .then(pl.col("age"))
        .otherwise(within)
    )
    minor = pl.when(designated | pl.col("civil")).then(within).otherwise(pl.col("age"))
    queue = (
        pl.concat(
            [
                candidates.select(
                    "code",
                    "row",
                    "day",
                    "civil",
                    "position",
                    "age",
                    pl.lit(_FEE).alias("component"),
                    pl.col("fee_owed").clip(lower_bound=0).alias("owed"),
                ),
                candidates.select(
                    "code",
                    "row",
                    "day",
                    "civil",
                    "position",
                    "age",
                    pl.lit(_PRINCIPAL).alias("component"),
                    pl.col("principal_owed").clip(lower_bound=0).alias("owed"),
                ),
            ]
        )
        .with_columns(
            (~designated).cast(pl.Int32).alias("group"),
            major.cast(pl.Int64).alias("major"),
            minor.cast(pl.Int64).alias("minor"),
        )
        .sort("code", "group", "major", "minor")
        .with_columns(
            pl.lit(amount).gather(pl.col("code")).alias("amount"),
            (pl.col("owed").cum_sum().over("code") - pl.col("owed")).alias("before"),
        )
        .with_columns(
            pl.min_horizontal(
                pl.col("owed"), (pl.col("amount") - pl.col("before")).clip(lower_bound=0)
            ).alias("pay")
        )
    )
    spent = queue.group_by("code").agg(pl.col("pay").sum())
    left = (
        payments.select("code", "amount")
        .join(spent, on="code", how="left")
        .select("code", (pl.col("amount") - pl.col("pay").fill_null(0)).alias("left"))
    )
    parts = queue.filter(pl.col("pay") > 0).select("row", "component", "day", "pay")
    return parts, left


def _fee_owed() -> Any:
    """The late fee accrued through ``day`` less what was paid of it, in minor units.

    The batch month end's closed form (:func:`propcrm.portfolio.month_end`), on the
    reductions so far: each was made on or before ``day``, so their balance-days are
    ``day × reduced − reduced_at`` (``reduced_at``: Σ amount × the later of its day and the
    day before the first late day).
    """
    pl = polars_module()
    day = pl.col("day").cast(pl.Int64)
    late_days = (day - pl.col("first") + 1).clip(lower_bound=0).cast(pl.Int64)
    base = pl.col("principal_fen") * late_days - (day * pl.col("reduced") - pl.col("reduced_at"))
    cancels = (
        (pl.col("grace_days") > 0)
        & pl.col("grace_threshold")
        & ((day < pl.col("grace_end")) | (pl.col("principal_fen") - pl.col("within") <= 0))
    )
    base_days = pl.when(cancels | (late_days == 0)).then(0).otherwise(base)
    limit = (
        pl.when(pl.col("cap_kind") == "percent")
        .then(pl.col("principal_fen") * pl.col("cap_num") // pl.col("cap_den"))
        .when(pl.col("cap_kind") == "annual")
        .then(base_days * pl.col("cap_num") // pl.col("cap_den"))
        .when(pl.col("cap_kind") == "absolute")
        .then(pl.col("cap_num"))
    )
    fee = pl.min_horizontal(
        rounded_ratio(pl.col("rate_num") * base_days, pl.col("rate_den"), pl.col("rounding")),
        limit,
    )
    return fee - pl.col("fee_paid")


def _apply(static: Any, state: dict[str, Any], parts: Any) -> dict[str, Any]:
    """The state after ``parts``.

    What was paid of each fee and principal, and the reductions' sums the fee's closed form
    reads.
    """
    pl = polars_module()
    fees = parts.filter(pl.col("component") == _FEE)
    principal = parts.filter(pl.col("component") == _PRINCIPAL).join(
        static.select("row", "first", "grace_end"), on="row", how="left"
    )
    updated = dict(state)

    def add(name: str, rows: Any, values: Any) -> None:
        series = updated[name]
        updated[name] = series.scatter(rows, series.gather(rows) + values)

    if fees.height:
        add("fee_paid", fees.get_column("row"), fees.get_column("pay"))
    if principal.height:
        rows = principal.get_column("row")
        paid = principal.get_column("pay")
        extra = principal.select(
            (pl.col("pay") * pl.max_horizontal(pl.col("day"), pl.col("first") - 1))
            .cast(pl.Int64)
            .alias("at"),
            pl.when(pl.col("day") < pl.col("grace_end"))
            .then(pl.col("pay"))
            .otherwise(0)
            .alias("within"),
        )
        add("paid", rows, paid)
        add("reduced", rows, paid)
        add("reduced_at", rows, extra.to_series(0))
        add("within", rows, extra.to_series(1))
    return updated
