"""The month end over columns: late fees, balances, states and aging for a whole portfolio.

Every figure is the explained per-account path's (:meth:`propcrm.receivables.Account.balance`,
:func:`propcrm.receivables.age_account`), computed over the facts' columns in ``Int64`` minor
units, to the fen:

* the first late day follows the start rule, a deductible grace moves it, a threshold grace
  leaves it or cancels the fee (still within it, or paid in full within it);
* the fee's balance-days are ``principal × late days − Σ reduction × days after it``, in
  closed form per statement, never a loop over days;
* the fee is ``rate_num × balance-days / rate_den``, rounded once with the policy's mode, and
  held to the whole minor unit below the cap (which is how the per-account path applies a cap:
  rounding a fee above the cap never lands below that unit);
* principal, fee and costs owed, days overdue, the state and the aging bucket follow.

Daily compounding (a power of ``1 + rate`` per stretch of days, inexact by nature) has no
integer closed form: those statements, rare, are computed by
:func:`propcrm.receivables.late_fee` itself, one at a time, from the same columns. Figures too
large for ``Int64`` are not computed here: their rows carry ``explain = true`` and a null fee,
and :attr:`MonthEnd.explain` names their accounts, for :func:`explain`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from propcrm._validators import check_instance, check_int, check_items
from propcrm.billing import (
    AbsoluteCap,
    AnnualisedRateCap,
    Compounding,
    GraceKind,
    LateFeeCap,
    LateFeePolicy,
    NoCap,
    PercentOfPrincipalCap,
    StartRule,
)
from propcrm.errors import InvalidQuantity, InvalidType, UnknownAccount
from propcrm.money import EXACT, Money, Rate, RateBasis, RoundingMode
from propcrm.portfolio._frames import PortfolioFacts, polars_module
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    AccountBalance,
    AgingPolicy,
    PrincipalReduction,
    StatementState,
    late_fee,
)
from propcrm.time import as_date

if TYPE_CHECKING:
    import polars as pl

__all__ = ["MonthEnd", "explain", "month_end", "month_end_chunks", "stream_month_end"]

_SEED = 20261031

# The columns of MonthEnd.statements, in order.
STATEMENT_COLUMNS = (
    "account",
    "community",
    "currency",
    "seq",
    "statement",
    "number",
    "due_on",
    "late_fee_fen",
    "principal_owed_fen",
    "late_fee_owed_fen",
    "costs_owed_fen",
    "days_overdue",
    "state",
    "bucket",
    "owing",
    "open_disputes",
    "deferrals",
    "explain",
)


def _same(suffix: str) -> Any:
    """Whether a joined row's text keys (``account{suffix}``…) are the left row's."""
    pl = polars_module()
    return (pl.col("account") == pl.col(f"account{suffix}")) & (
        pl.col("statement") == pl.col(f"statement{suffix}")
    )


# Beyond this a product of the fee's integers could leave Int64: such rows go to the explained
# path, which computes with Python's unbounded ints.
_SAFE = 2**62

_MODES_UP = ("UP", "CEILING")
_MODES_DOWN = ("DOWN", "FLOOR")


@attrs.frozen
class MonthEnd:
    """The batch month end: one row per statement, one per owing (account, bucket).

    Attributes:
        as_of: the date.
        statements: per statement, in the facts' order: ``account``, ``community``,
            ``currency``, ``seq`` (its place in the account's replay order), ``statement``,
            ``number``, ``due_on`` (in force), ``late_fee_fen`` (accrued through the date),
            ``principal_owed_fen``, ``late_fee_owed_fen``, ``costs_owed_fen``,
            ``days_overdue``, ``state`` (a :class:`~propcrm.receivables.StatementState`
            value), ``bucket`` (the aging bucket's index), ``owing``, ``open_disputes`` and
            ``deferrals`` (in force on the date, counted) and ``explain``.
        aging: per account and bucket with something owed, in the order the statements
            first reach them: ``principal_fen``,
            ``late_fees_fen``, ``costs_fen``, ``total_fen`` and ``statements``, as
            :func:`~propcrm.receivables.age_account` sums them.
        explain: the accounts whose figures this path leaves to :func:`explain`, sorted.
    """

    as_of: datetime.date
    statements: Any
    aging: Any
    explain: tuple[str, ...]

    @staticmethod
    def concat(parts: Iterable[MonthEnd]) -> MonthEnd:
        """The month ends of disjoint chunks of accounts as one."""
        pl = polars_module()
        listed: tuple[MonthEnd, ...] = check_items(parts, "parts", MonthEnd)
        if not listed:
            raise InvalidQuantity(
                "concat needs at least one month end.",
                field="parts",
                value=listed,
                allowed="one or more MonthEnd values",
            )
        return MonthEnd(
            listed[0].as_of,
            pl.concat([p.statements for p in listed]),
            pl.concat([p.aging for p in listed]),
            tuple(sorted(a for p in listed for a in p.explain)),
        )


def rounded_ratio(num: pl.Expr, den: pl.Expr, mode: pl.Expr) -> pl.Expr:
    """``num / den`` (zero or more) rounded to an integer with ``mode``, in integers only."""
    polars = polars_module()
    quotient = num // den
    remainder = num % den
    twice = 2 * remainder
    up = (
        polars.when(remainder == 0)
        .then(polars.lit(False))
        .when(mode == "HALF_UP")
        .then(twice >= den)
        .when(mode.is_in(_MODES_DOWN))
        .then(polars.lit(False))
        .when(mode.is_in(_MODES_UP))
        .then(polars.lit(True))
        .when(mode == "HALF_DOWN")
        .then(twice > den)
        .otherwise((twice > den) | ((twice == den) & (quotient % 2 == 1)))
    )
    rounded: pl.Expr = quotient + up.cast(polars.Int64)
    return rounded


def rounded_to(num: pl.Expr, den: int, mode: str) -> pl.Expr:
    """``num / den`` (zero or more) rounded with one fixed ``mode``, in integers only.

    :func:`rounded_ratio` for a mode known ahead: only that mode's test is computed.
    """
    polars = polars_module()
    quotient = num // den
    remainder = num % den
    twice = 2 * remainder
    if mode in _MODES_DOWN:
        return quotient
    if mode in _MODES_UP:
        up = remainder > 0
    elif mode == "HALF_UP":
        up = twice >= den
    elif mode == "HALF_DOWN":
        up = twice > den
    else:
        up = (twice > den) | ((twice == den) & (quotient % 2 == 1))
    rounded: pl.Expr = quotient + up.cast(polars.Int64)
    return rounded


def _check_facts(facts: object) -> PortfolioFacts:
    checked: PortfolioFacts = check_instance(facts, "facts", PortfolioFacts)
    return checked


def month_end(
    facts: PortfolioFacts, as_of: datetime.date, aging: AgingPolicy = DEFAULT_AGING
) -> MonthEnd:
    """Every statement's late fee, balance, state and bucket as of ``as_of``, over columns.

    The facts may be eager or lazy (e.g. :func:`~propcrm.portfolio.scan_facts`); the result
    is collected. Facts dated after ``as_of`` are not read.

    >>> import pendulum
    >>> from propcrm.billing import opening_statement
    >>> from propcrm.money import Money
    >>> from propcrm.portfolio import facts_from_accounts
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
    >>> facts = facts_from_accounts([Account("1-2-0301").post(nov, paid)], day)
    >>> result = month_end(facts, day)
    >>> result.statements.select("late_fee_fen", "late_fee_owed_fen", "principal_owed_fen").rows()
    [(4890, 1890, 63000)]
    """
    pl = polars_module()
    given = _check_facts(facts).lazy()
    day = as_date(as_of, "as_of")
    check_instance(aging, "aging", AgingPolicy)
    last = pl.lit(day, dtype=pl.Date)
    keys = ["account", "statement"]
    # Joins and groups on a 64-bit hash of the two text keys (the profiler's hot spot was
    # joining on text); every join also compares the text, so a collision can never pair two
    # statements.
    key = pl.struct("account", "statement").hash(seed=_SEED).alias("key")

    deferred = (
        given.deferrals.filter(pl.col("approved_on") <= last)
        .group_by(key, *keys)
        .agg(pl.col("new_due_on").max().alias("deferred_to"), pl.len().alias("deferrals"))
    )
    disputed = (
        given.disputes.filter(
            (pl.col("raised_on") <= last)
            & (pl.col("resolved_on").is_null() | (pl.col("resolved_on") > last))
        )
        .group_by(key, *keys)
        .agg(pl.len().alias("open_disputes"))
    )
    statements = (
        given.statements.with_columns(key)
        .join(deferred, on="key", how="left", suffix="_d", maintain_order="left")
        .join(disputed, on="key", how="left", suffix="_o", maintain_order="left")
        .with_columns(
            # A collision's row is not this statement's: dropped as if absent.
            *(
                pl.when(_same(suffix)).then(pl.col(name)).alias(name)
                for suffix, names in (
                    ("_d", ("deferred_to", "deferrals")),
                    ("_o", ("open_disputes",)),
                )
                for name in names
            )
        )
        .with_columns(
            pl.max_horizontal("due_on", pl.col("deferred_to").fill_null(pl.col("due_on"))).alias(
                "due"
            ),
            pl.col("deferrals").fill_null(0),
            pl.col("open_disputes").fill_null(0),
        )
        .with_columns(
            (
                pl.col("due")
                + pl.duration(days=pl.when(pl.col("start_on_due")).then(0).otherwise(1))
            ).alias("first0")
        )
        .with_columns(
            (pl.col("first0") + pl.duration(days=pl.col("grace_days"))).alias("grace_end"),
        )
        .with_columns(
            pl.when((pl.col("grace_days") > 0) & ~pl.col("grace_threshold"))
            .then(pl.col("grace_end"))
            .otherwise(pl.col("first0"))
            .alias("first")
        )
    )
    reductions = (
        given.reductions.filter(pl.col("on") <= last)
        .with_columns(key)
        .join(statements.select("key", *keys, "first", "grace_end"), on="key", how="inner")
        .filter(_same("_right"))
        .with_columns(
            # Each reduction lowers the base of the counted days after it (after the day before
            # the first counted day, for a reduction before it).
            (
                (last - pl.max_horizontal("on", pl.col("first") - pl.duration(days=1)))
                .dt.total_days()
                .clip(lower_bound=0)
                * pl.col("amount_fen")
            ).alias("reduced_days"),
            pl.when(pl.col("on") < pl.col("grace_end"))
            .then(pl.col("amount_fen"))
            .otherwise(0)
            .alias("within_grace"),
        )
        .group_by("key")
        .agg(
            pl.col("amount_fen").sum().alias("reduced"),
            pl.col("reduced_days").sum(),
            pl.col("within_grace").sum(),
        )
    )
    daily = _daily_fees(given.statements, statements, given.reductions, day)
    late_days = ((last - pl.col("first")).dt.total_days() + 1).clip(lower_bound=0)
    base = pl.col("principal_fen") * late_days - pl.col("reduced_days")
    threshold_cancels = (
        (pl.col("grace_days") > 0)
        & pl.col("grace_threshold")
        & ((last < pl.col("grace_end")) | (pl.col("principal_fen") - pl.col("within_grace") <= 0))
    )
    base_days = pl.when(threshold_cancels | (late_days == 0)).then(0).otherwise(base)
    limit = (
        pl.when(pl.col("cap_kind") == "percent")
        .then(pl.col("principal_fen") * pl.col("cap_num") // pl.col("cap_den"))
        .when(pl.col("cap_kind") == "annual")
        .then(pl.col("base_days") * pl.col("cap_num") // pl.col("cap_den"))
        .when(pl.col("cap_kind") == "absolute")
        .then(pl.col("cap_num"))
    )
    widest = pl.max_horizontal("rate_num", "cap_num", pl.lit(1))
    fits = (pl.col("principal_fen") < 2**40) & (
        pl.col("principal_fen") * (late_days + 1) < pl.lit(_SAFE) // widest
    )
    explained = ~fits & ~pl.col("daily_compounding")
    fee = (
        pl.when(pl.col("daily_compounding"))
        .then(pl.col("daily_fee"))
        .otherwise(
            pl.min_horizontal(
                rounded_ratio(
                    pl.col("rate_num") * pl.col("base_days"), pl.col("rate_den"), pl.col("rounding")
                ),
                limit,
            )
        )
    )
    owed = pl.col("principal_fen") - pl.col("reduced")
    fee_owed = (
        pl.when(pl.col("written_off"))
        .then(0)
        .otherwise(
            pl.col("late_fee_fen")
            - pl.col("fee_paid_fen")
            - pl.col("fee_waived_fen")
            - pl.col("fee_written_fen")
        )
    )
    costs_owed = pl.col("costs_fen") - pl.col("costs_paid_fen") - pl.col("costs_written_fen")
    age = (last - pl.col("due")).dt.total_days()
    bucket = (
        pl.when(age <= 0)
        .then(0)
        .otherwise(
            1 + pl.sum_horizontal(*(pl.lit(edge) < age for edge in aging.edges))
            if aging.edges
            else 1
        )
    )
    owing = (
        (pl.col("principal_owed_fen") != 0)
        | (pl.col("late_fee_owed_fen") != 0)
        | (pl.col("costs_owed_fen") != 0)
    )
    state = (
        pl.when(pl.col("written_off"))
        .then(pl.lit(StatementState.WRITTEN_OFF.value))
        .when(~pl.col("owing"))
        .then(
            pl.when((pl.col("waived_fen") > 0) | (pl.col("fee_waived_fen") > 0))
            .then(pl.lit(StatementState.WAIVED.value))
            .otherwise(pl.lit(StatementState.PAID.value))
        )
        .when(pl.col("open_disputes") > 0)
        .then(pl.lit(StatementState.DISPUTED.value))
        .when((pl.col("deferrals") > 0) & (last <= pl.col("due")))
        .then(pl.lit(StatementState.DEFERRED.value))
        .when(
            (pl.col("paid_fen") > 0) | (pl.col("fee_paid_fen") > 0) | (pl.col("costs_paid_fen") > 0)
        )
        .then(pl.lit(StatementState.PARTLY_PAID.value))
        .otherwise(pl.lit(StatementState.OPEN.value))
    )
    result = (
        statements.join(reductions, on="key", how="left", maintain_order="left")
        .join(daily, on="key", how="left", maintain_order="left")
        .with_columns(
            pl.col("reduced").fill_null(0),
            pl.col("reduced_days").fill_null(0),
            pl.col("within_grace").fill_null(0),
        )
        .with_columns(base_days.alias("base_days"), explained.alias("explain"))
        .with_columns(pl.when(pl.col("explain")).then(None).otherwise(fee).alias("late_fee_fen"))
        .with_columns(
            owed.alias("principal_owed_fen"),
            fee_owed.alias("late_fee_owed_fen"),
            costs_owed.alias("costs_owed_fen"),
        )
        .with_columns(
            owing.fill_null(True).alias("owing"),
            pl.when(pl.col("principal_owed_fen") != 0)
            .then(age.clip(lower_bound=0))
            .otherwise(0)
            .alias("days_overdue"),
            bucket.alias("bucket"),
        )
        .with_columns(state.alias("state"))
        .rename({"due_on": "due_on_stated", "due": "due_on"})
        .select(*STATEMENT_COLUMNS)
        .collect()
    )
    explain_accounts = tuple(
        sorted(set(result.filter(pl.col("explain")).get_column("account").to_list()))
    )
    aged = (
        result.lazy()
        .filter(pl.col("owing") & ~pl.col("account").is_in(list(explain_accounts)))
        .group_by("account", "bucket", maintain_order=True)
        .agg(
            pl.col("principal_owed_fen").sum().alias("principal_fen"),
            pl.col("late_fee_owed_fen").sum().alias("late_fees_fen"),
            pl.col("costs_owed_fen").sum().alias("costs_fen"),
            pl.len().cast(pl.Int64).alias("statements"),
        )
        .with_columns(
            (pl.col("principal_fen") + pl.col("late_fees_fen") + pl.col("costs_fen")).alias(
                "total_fen"
            )
        )
        .collect()
    )
    return MonthEnd(day, result, aged, explain_accounts)


def _policy(row: dict[str, Any]) -> LateFeePolicy:
    """The late-fee policy a statement row's integer terms state (for the explained path)."""
    exact = EXACT.divide
    kind = row["cap_kind"]
    cap: LateFeeCap = NoCap()
    if kind == "percent":
        cap = PercentOfPrincipalCap(exact(Decimal(row["cap_num"] * 100), Decimal(row["cap_den"])))
    elif kind == "annual":
        yearly = exact(Decimal(row["cap_num"]), Decimal(row["cap_den"] // row["cap_days"]))
        cap = AnnualisedRateCap(Rate(yearly, RateBasis.YEAR), row["cap_days"])
    elif kind == "absolute":
        cap = AbsoluteCap(Money.from_minor_units(row["cap_num"], row["currency"]))
    return LateFeePolicy(
        rate=Rate(exact(Decimal(row["rate_num"]), Decimal(row["rate_den"])), RateBasis.DAY),
        grace_days=row["grace_days"],
        grace_kind=GraceKind.THRESHOLD if row["grace_threshold"] else GraceKind.DEDUCTIBLE,
        start=StartRule.DUE_DATE if row["start_on_due"] else StartRule.DAY_AFTER_DUE,
        compounding=Compounding.DAILY,
        cap=cap,
        rounding=RoundingMode[row["rounding"]],
    )


def _daily_fees(raw: Any, statements: Any, reductions: Any, day: datetime.date) -> Any:
    """``key``, ``daily_fee`` of the statements under daily compounding, by the explained path.

    A power of ``1 + rate`` per stretch of days has no exact integer form: these (rare) fees
    are computed by :func:`propcrm.receivables.late_fee` itself, one statement at a time, so
    they equal the explained path by construction.
    """
    pl = polars_module()
    schema = pl.Schema({"key": pl.UInt64, "daily_fee": pl.Int64})
    # One column of the raw facts says whether there are any: most portfolios have none.
    if not raw.select(pl.col("daily_compounding").any()).collect().item():
        return pl.LazyFrame(schema=schema)
    rows = statements.filter(pl.col("daily_compounding")).collect()
    wanted = rows.select("key", "account", "statement")
    steps: dict[int, list[tuple[datetime.date, int]]] = {}
    for key, on, units in (
        reductions.filter(pl.col("on") <= day)
        .with_columns(pl.struct("account", "statement").hash(seed=_SEED).alias("key"))
        .join(wanted.lazy(), on="key", how="inner")
        .filter(_same("_right"))
        .select("key", "on", "amount_fen")
        .collect()
        .iter_rows()
    ):
        steps.setdefault(key, []).append((on, units))
    keys, fees = [], []
    for row in rows.iter_rows(named=True):
        currency = row["currency"]
        fee = late_fee(
            Money.from_minor_units(row["principal_fen"], currency),
            row["due"],
            day,
            [
                PrincipalReduction(on, Money.from_minor_units(units, currency))
                for on, units in steps.get(row["key"], ())
                if units
            ],
            policy=_policy(row),
        )
        keys.append(row["key"])
        fees.append(fee.amount.minor_units)
    return pl.LazyFrame({"key": keys, "daily_fee": fees}, schema=schema)


def month_end_chunks(
    chunks: Iterable[PortfolioFacts], as_of: datetime.date, aging: AgingPolicy = DEFAULT_AGING
) -> Iterator[MonthEnd]:
    """:func:`month_end` of each chunk of facts in turn (each chunk holds whole accounts).

    Memory is bounded by one chunk and its result; :meth:`MonthEnd.concat` joins the results
    when they fit (they equal the month end of all the chunks at once).
    """
    given: object = chunks
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        raise InvalidType(
            f"chunks {chunks!r} must be an iterable of PortfolioFacts.",
            field="chunks",
            value=chunks,
            allowed="an iterable of PortfolioFacts",
        )
    check_instance(aging, "aging", AgingPolicy)
    return (month_end(chunk, as_of, aging) for chunk in given)


def stream_month_end(
    facts: PortfolioFacts,
    as_of: datetime.date,
    *,
    accounts_per_chunk: int = 100_000,
    aging: AgingPolicy = DEFAULT_AGING,
) -> Iterator[MonthEnd]:
    """:func:`month_end` over ranges of account ids, ``accounts_per_chunk`` accounts at a time.

    With lazy facts (:func:`~propcrm.portfolio.scan_facts`) each chunk reads only its rows
    from the files: the account ids are read first (one column), then each range's rows are
    filtered at the scan. Memory is bounded by the chunk, not the portfolio.
    """
    polars_module()
    given = _check_facts(facts).lazy()
    size = check_int(accounts_per_chunk, "accounts_per_chunk", InvalidQuantity, minimum=1)
    as_date(as_of, "as_of")
    check_instance(aging, "aging", AgingPolicy)
    return _chunks(given, as_of, size, aging)


def _chunks(
    given: PortfolioFacts, as_of: datetime.date, size: int, aging: AgingPolicy
) -> Iterator[MonthEnd]:
    pl = polars_module()
    ids: Sequence[str] = (
        given.statements.select(pl.col("account").unique().sort())
        .collect()
        .get_column("account")
        .to_list()
    )
    for start in range(0, len(ids), size):
        low, high = ids[start], ids[min(start + size, len(ids)) - 1]

        def part(frame: Any, low: str = low, high: str = high) -> Any:
            return frame.filter(pl.col("account").is_between(pl.lit(low), pl.lit(high)))

        yield month_end(
            PortfolioFacts(*(part(f) for f in attrs.astuple(given, recurse=False))), as_of, aging
        )


def explain(accounts: Iterable[Account], account_id: str, as_of: datetime.date) -> AccountBalance:
    """The explained per-account path for ``account_id``: its balance with every breakdown.

    What the batch path hands back to: every figure of :class:`MonthEnd` for the account
    equals this balance's (or is left to it, for the accounts :attr:`MonthEnd.explain` names).
    """
    day = as_date(as_of, "as_of")
    for account in accounts:
        if check_instance(account, "accounts", Account).unit_id == account_id:
            return account.balance(day)
    raise UnknownAccount(
        f"no account with id {account_id!r} among those given.",
        field="account_id",
        value=account_id,
        allowed="the unit id of one of the accounts",
    )
