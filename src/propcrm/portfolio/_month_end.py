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
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from propcrm._validators import check_instance, check_int, check_items, check_iterable
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
from propcrm.errors import InvalidQuantity, UnknownAccount
from propcrm.money import EXACT, Money, Rate, RateBasis, RoundingMode
from propcrm.portfolio._frames import KEY, PortfolioFacts, numpy_module, polars_module
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


def rounded_to(num: pl.Expr, den: int | pl.Expr, mode: str) -> pl.Expr:
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
    given = _check_facts(facts)
    day = as_date(as_of, "as_of")
    check_instance(aging, "aging", AgingPolicy)
    last = pl.lit(day, dtype=pl.Date)
    keyed = all(
        KEY in frame.lazy().collect_schema().names()
        for frame in (given.statements, given.reductions, given.deferrals, given.disputes)
    )
    # One collect for the four frames: a scan reads each file once, filtered at the scan.
    statements, reductions, deferrals, disputes = pl.collect_all(
        [
            given.statements.lazy(),
            given.reductions.lazy().filter(pl.col("on") <= last),
            given.deferrals.lazy().filter(pl.col("approved_on") <= last),
            given.disputes.lazy().filter(
                (pl.col("raised_on") <= last)
                & (pl.col("resolved_on").is_null() | (pl.col("resolved_on") > last))
            ),
        ]
    )
    height = statements.height
    links = _Links(statements, keyed)
    # Dates as day numbers (Int32 since 1970) from here on: integer arithmetic, no durations.
    today = day.toordinal() - _EPOCH.toordinal()
    due, deferral_count, open_disputes = _windows(statements, links, deferrals, disputes)
    timing = _timing(statements, due)
    first = timing.get_column("first")
    grace_end = timing.get_column("grace_end")
    linked = links.rows(reductions)
    # Only a threshold grace reads what was paid within the grace.
    thresholds = statements.select(
        (pl.col("grace_threshold") & (pl.col("grace_days") > 0)).any()
    ).item()
    sums = _reduction_sums(linked, first, grace_end if thresholds else None, today, height)
    daily = _daily_fees(statements, due, linked, day)

    late_days = (pl.lit(today) - pl.col("first") + 1).clip(lower_bound=0).cast(pl.Int64)
    base = pl.col("principal_fen") * late_days - pl.col("reduced_days")
    threshold_cancels = (
        (pl.col("grace_days") > 0)
        & pl.col("grace_threshold")
        & (
            (pl.lit(today) < pl.col("grace_end"))
            | (pl.col("principal_fen") - pl.col("within_grace") <= 0)
        )
    )
    if not thresholds:
        threshold_cancels = pl.lit(False)
    base_days = pl.when(threshold_cancels | (late_days == 0)).then(0).otherwise(base)
    # A term every row shares is a literal: a division by one is far cheaper than by a column.
    rate_num, rate_den, cap_num = (
        _term(statements, name) for name in ("rate_num", "rate_den", "cap_num")
    )
    limit = _limit(statements)
    if isinstance(rate_num, int) and isinstance(cap_num, int):
        ceiling: Any = pl.lit(_SAFE // max(rate_num, cap_num, 1))
    else:
        ceiling = pl.lit(_SAFE) // pl.max_horizontal(rate_num, cap_num, pl.lit(1))
    fits = (pl.col("principal_fen") < 2**40) & (pl.col("principal_fen") * (late_days + 1) < ceiling)
    explained = ~fits & ~pl.col("daily_compounding")
    rounded = _rounded(pl.col("base_days") * rate_num, rate_den, statements.get_column("rounding"))
    fee = pl.min_horizontal(rounded, limit) if limit is not None else rounded
    if daily is not None:
        fee = pl.when(pl.col("daily_compounding")).then(pl.col("daily_fee")).otherwise(fee)
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
    age = (pl.lit(today) - pl.col("due")).cast(pl.Int64)
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
    # Each state's index first, then its text by one gather: a chain of text literals builds
    # every row's text once per branch.
    names = [state.value for state in StatementState]

    def code(state: StatementState) -> Any:
        return pl.lit(names.index(state.value), dtype=pl.UInt32)

    state = pl.lit(pl.Series(names, dtype=pl.String)).gather(
        pl.when(pl.col("written_off"))
        .then(code(StatementState.WRITTEN_OFF))
        .when(~pl.col("owing"))
        .then(
            pl.when((pl.col("waived_fen") > 0) | (pl.col("fee_waived_fen") > 0))
            .then(code(StatementState.WAIVED))
            .otherwise(code(StatementState.PAID))
        )
        .when(pl.col("open_disputes") > 0)
        .then(code(StatementState.DISPUTED))
        .when((pl.col("deferrals") > 0) & (pl.lit(today) <= pl.col("due")))
        .then(code(StatementState.DEFERRED))
        .when(
            (pl.col("paid_fen") > 0) | (pl.col("fee_paid_fen") > 0) | (pl.col("costs_paid_fen") > 0)
        )
        .then(code(StatementState.PARTLY_PAID))
        .otherwise(code(StatementState.OPEN))
    )
    result = (
        statements.lazy()
        .with_columns(
            timing.get_column("due"),
            first,
            grace_end,
            deferral_count.alias("deferrals"),
            open_disputes.alias("open_disputes"),
            *(series for series in sums),
            *(() if daily is None else (daily,)),
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
        .with_columns(state.alias("state"), pl.col("due").cast(pl.Date).alias("due_on"))
        .select(*STATEMENT_COLUMNS)
        .collect()
    )
    # One column filtered, not the frame: the frame's are a million rows' text.
    explained_rows = result.get_column("explain")
    explain_accounts = (
        tuple(sorted(set(result.get_column("account").filter(explained_rows).to_list())))
        if explained_rows.any()
        else ()
    )
    aged = _aging(result, explain_accounts)
    return MonthEnd(day, result, aged, explain_accounts)


_EPOCH = datetime.date(1970, 1, 1)


def _key() -> Any:
    """A 64-bit hash of ``(account, statement)`` (two columns' hashes: a struct's is slower)."""
    pl = polars_module()
    return pl.col("account").hash(seed=_SEED) ^ pl.col("statement").hash(seed=_SEED + 1)


class _Links:
    """Links facts to the statement rows their ``(account, statement)`` keys name.

    Or their integer ``key`` when every frame has one (see :mod:`propcrm.portfolio._frames`)
    and the statements' keys are unique: a search or a join on integers, no text read.
    """

    def __init__(self, statements: Any, keyed: bool = False) -> None:
        self.statements = statements
        self.hashes: Any = None
        self.keys: Any = None
        self.ascending = self.dense = False
        if keyed:
            pl = polars_module()
            keys = statements.get_column(KEY).cast(pl.Int64)
            if keys.null_count():
                return
            ordered = keys.to_numpy()
            # Strictly ascending (as facts_from_accounts numbers them, and any range of them):
            # each fact's row is then found by a binary search; else by a join, if unique.
            self.ascending = bool((ordered[1:] > ordered[:-1]).all())
            # Ascending without a gap (0, 1, 2…, or a range of accounts of them): a key less
            # the first is its row.
            self.dense = self.ascending and int(ordered[-1]) - int(ordered[0]) == ordered.size - 1
            if self.ascending or not keys.is_duplicated().any():
                self.keys = keys

    def rows(self, frame: Any) -> Any:
        """``frame``'s rows that name a statement with that statement's ``row``, by row.

        Rows of one statement keep their order.
        """
        pl = polars_module()
        if not frame.height:
            return frame.with_columns(pl.lit(None, dtype=pl.UInt32).alias("row"))
        if self.keys is not None:
            return self._keyed(frame)
        if self.hashes is None:
            self.hashes = self.statements.select(_key()).to_series()
        in_order = self._in_order(frame)
        if in_order is not None:
            return in_order
        return self._joined(frame).sort("row", maintain_order=True)

    def _keyed(self, frame: Any) -> Any:
        """The rows by the integer ``key``: a fact whose key no statement has is dropped."""
        pl = polars_module()
        np = numpy_module()
        keys = self.keys
        wanted = frame.get_column(KEY).cast(pl.Int64)
        if not keys.len():
            return frame.clear().with_columns(pl.lit(None, dtype=pl.UInt32).alias("row"))
        if self.ascending:
            ordered = keys.to_numpy()
            nulls = wanted.null_count()
            # A null key names no statement: searched as any, then dropped.
            sought = (wanted.fill_null(int(ordered[0])) if nulls else wanted).to_numpy()
            if (
                self.dense
                and not nulls
                and ordered[0] <= sought.min() <= sought.max() <= ordered[-1]
            ):
                # Every key in range: each is found, its row is the key less the first.
                found = (sought - ordered[0]).astype(np.uint32)
                linked = frame.with_columns(pl.Series("row", found))
                if bool((found[1:] >= found[:-1]).all()):
                    return linked
                return linked.sort("row", maintain_order=True)
            if self.dense:
                found = sought - ordered[0]
                hit = (found >= 0) & (found < ordered.size)
            else:
                found = np.minimum(np.searchsorted(ordered, sought), ordered.size - 1)
                hit = ordered[found] == sought
            if nulls:
                hit &= wanted.is_not_null().to_numpy()
            if hit.all():
                linked = frame.with_columns(pl.Series("row", found, dtype=pl.UInt32))
            else:
                linked = frame.filter(pl.Series(hit)).with_columns(
                    pl.Series("row", found[hit], dtype=pl.UInt32)
                )
        else:
            table = pl.DataFrame({KEY: keys}).with_row_index("row")
            linked = frame.with_columns(wanted.alias(KEY)).join(
                table, on=KEY, how="inner", maintain_order="left"
            )
        if linked.get_column("row").is_sorted():
            return linked
        return linked.sort("row", maintain_order=True)

    def _in_order(self, frame: Any) -> Any:
        """The rows when ``frame`` names the statements in their order, else None.

        :func:`~propcrm.portfolio.facts_from_accounts` writes them so. The facts of one
        statement are then one run of rows: the runs' statements are found by
        one membership test of their hashed keys, no join, and each run's text is compared
        with its statement's, so a collision is never taken for a match.
        """
        pl = polars_module()
        account, statement = pl.col("account"), pl.col("statement")
        start = ((account != account.shift(1)) | (statement != statement.shift(1))).fill_null(True)
        starts = frame.select(start).to_series()
        heads = frame.filter(starts).select(account, statement, _key().alias("key"))
        found = self.hashes.is_in(heads.get_column("key").implode()).arg_true()
        if found.len() != heads.height:
            return None
        theirs = self.statements.select("account", "statement")[found]
        if not (
            (theirs.get_column("account") == heads.get_column("account")).all()
            and (theirs.get_column("statement") == heads.get_column("statement")).all()
        ):
            return None
        runs = starts.cast(pl.UInt32).cum_sum() - 1
        return frame.with_columns(found.cast(pl.UInt32).gather(runs).alias("row"))

    def _joined(self, frame: Any) -> Any:
        """The rows by a join on a 64-bit hash of the two text keys.

        Joining on the text itself was the profiler's hot spot; the text is compared after
        the join, so a collision never pairs a fact with another statement.
        """
        pl = polars_module()
        table = pl.DataFrame({"key": self.hashes}).with_row_index("row")
        joined = frame.with_columns(_key().alias("key")).join(
            table, on="key", how="inner", maintain_order="left"
        )
        rows = joined.get_column("row")
        same = (
            self.statements.get_column("account").gather(rows) == joined.get_column("account")
        ) & (self.statements.get_column("statement").gather(rows) == joined.get_column("statement"))
        return joined.filter(same).drop("key")


def _windows(statements: Any, links: _Links, deferrals: Any, disputes: Any) -> tuple[Any, ...]:
    """Per statement: the due date in force (a day number), the deferrals and open disputes."""
    pl = polars_module()
    height = statements.height
    due = statements.get_column("due_on").cast(pl.Int32)
    deferral_count = pl.zeros(height, pl.UInt32, eager=True)
    open_disputes = pl.zeros(height, pl.UInt32, eager=True)
    deferred = links.rows(deferrals)
    if deferred.height:
        per = deferred.group_by("row").agg(
            pl.col("new_due_on").cast(pl.Int32).max().alias("to"), pl.len().alias("n")
        )
        rows = per.get_column("row")
        deferred_to = pl.repeat(None, height, dtype=pl.Int32, eager=True).scatter(
            rows, per.get_column("to")
        )
        deferral_count = deferral_count.scatter(rows, per.get_column("n"))
        due = pl.max_horizontal(due, deferred_to.fill_null(due))
    opened = links.rows(disputes)
    if opened.height:
        per = opened.group_by("row").agg(pl.len().alias("n"))
        open_disputes = open_disputes.scatter(per.get_column("row"), per.get_column("n"))
    return due, deferral_count, open_disputes


def _timing(statements: Any, due: Any) -> Any:
    """Per statement, as day numbers: ``due``, ``first`` and ``grace_end``.

    ``first`` is the first late day counted, ``grace_end`` the day after the grace.
    """
    pl = polars_module()
    return (
        statements.lazy()
        .select(due.alias("due"), "start_on_due", "grace_days", "grace_threshold")
        .with_columns((pl.col("due") + (~pl.col("start_on_due")).cast(pl.Int32)).alias("first0"))
        .with_columns((pl.col("first0") + pl.col("grace_days")).alias("grace_end"))
        .select(
            "due",
            "grace_end",
            pl.when((pl.col("grace_days") > 0) & ~pl.col("grace_threshold"))
            .then(pl.col("grace_end"))
            .otherwise(pl.col("first0"))
            .alias("first"),
        )
        .collect()
    )


def _reduction_sums(
    linked: Any, first: Any, grace_end: Any | None, today: int, height: int
) -> list[Any]:
    """Per statement row (``height`` of them): ``reduced``, ``reduced_days``, ``within_grace``.

    ``within_grace`` stays zero without ``grace_end`` (only a threshold grace reads it).
    ``linked``: the reductions with their statement's ``row``, by row. Each reduction lowers
    the base of the counted days after it (after the day before the first counted day, for a
    reduction before it); a null amount lowers nothing. Each statement's sums are added up in
    numpy on the columns' buffers (``add.at`` by row: each sum exact in 64 bits, as a
    statement's is, with no running sum over the portfolio to pass 2**63).
    """
    pl = polars_module()
    np = numpy_module()
    names = ("reduced", "reduced_days", "within_grace")
    sums = [np.zeros(height, dtype=np.int64) for _ in names]
    if linked.height:
        # Before any day a Date holds: never the later day, never before the grace's end.
        floor = -(2**31) + 1
        # numpy's own index type once, not a conversion in each gather and sum.
        rows = linked.get_column("row").to_numpy().astype(np.intp)
        on = linked.get_column("on").cast(pl.Int32).to_numpy().astype(np.int64)
        amount = linked.get_column("amount_fen")
        amount = (amount.fill_null(0) if amount.null_count() else amount).to_numpy()
        begins = (first.fill_null(floor) if first.null_count() else first).to_numpy()[rows]
        counted = np.maximum(today - np.maximum(on, begins - 1), 0)
        terms = [amount, counted * amount]
        if grace_end is not None:
            ends = (grace_end.fill_null(floor) if grace_end.null_count() else grace_end).to_numpy()
            ends = ends[rows]
            terms.append(np.where(on < ends, amount, 0))
        for total, term in zip(sums, terms, strict=False):
            np.add.at(total, rows, term)
    return [pl.Series(name, total) for name, total in zip(names, sums, strict=True)]


def _constant(column: Any) -> Any:
    """The one value of a column that holds only one (else None)."""
    if not column.len() or column.null_count():
        return None
    value = column[0]
    return value if (column == value).all() else None


def _term(statements: Any, name: str) -> Any:
    """An integer column's one value when every row holds it (a literal), else the column."""
    column = statements.get_column(name)
    if column.len() and not column.null_count():
        low, high = column.min(), column.max()
        if low == high:
            return int(low)
    return polars_module().col(name)


def _rounded(num: pl.Expr, den: Any, modes: Any) -> pl.Expr:
    """``num / den`` rounded with each row's mode; one mode's test only when all rows share it."""
    mode = _constant(modes)
    if mode is not None:
        return rounded_to(num, den, mode)
    return rounded_ratio(num, den, polars_module().col("rounding"))


def _limit(statements: Any) -> Any:
    """The cap of each row in minor units (null: none), or None when no row has a cap."""
    pl = polars_module()
    num, den = _term(statements, "cap_num"), _term(statements, "cap_den")
    limits = {
        "percent": pl.col("principal_fen") * num // den,
        "annual": pl.col("base_days") * num // den,
        "absolute": pl.lit(num) if isinstance(num, int) else num,
    }
    kind = _constant(statements.get_column("cap_kind"))
    if kind == "none":
        return None
    if kind in limits:
        return limits[kind]
    return (
        pl.when(pl.col("cap_kind") == "percent")
        .then(limits["percent"])
        .when(pl.col("cap_kind") == "annual")
        .then(limits["annual"])
        .when(pl.col("cap_kind") == "absolute")
        .then(limits["absolute"])
    )


_AGED = (
    ("principal_owed_fen", "principal_fen"),
    ("late_fee_owed_fen", "late_fees_fen"),
    ("costs_owed_fen", "costs_fen"),
)


def _aging(result: Any, explain_accounts: tuple[str, ...]) -> Any:
    """Per account and bucket with something owed, in the order the statements reach them."""
    pl = polars_module()
    owing = pl.col("owing")
    if explain_accounts:
        owing = owing & ~pl.col("account").is_in(list(explain_accounts))
    kept = result.lazy().filter(owing).select("account", "bucket", *(name for name, _ in _AGED))
    grouped = run_totals(kept.collect(), ("account", "bucket"), _AGED, "statements")
    if grouped is None:
        grouped = (
            kept.group_by("account", "bucket", maintain_order=True)
            .agg(
                *(pl.col(name).sum().alias(alias) for name, alias in _AGED),
                pl.len().cast(pl.Int64).alias("statements"),
            )
            .collect()
        )
    return grouped.with_columns(
        (pl.col("principal_fen") + pl.col("late_fees_fen") + pl.col("costs_fen")).alias("total_fen")
    )


def run_totals(frame: Any, keys: Sequence[str], sums: Sequence[tuple[str, str]], count: str) -> Any:
    """Per group of rows with equal ``keys``, in the order the groups first appear.

    The keys, each ``(column, alias)`` of ``sums`` summed, and the rows counted as ``count``
    (Int64). None unless each group's rows are one run of consecutive rows, as when each account's
    rows are together (as the facts are written), the keys after the first are small
    non-negative integers (the aging's bucket) and no summed value is null: the caller groups
    then. A group-by on text was the profiler's hot spot: here the first key's runs are found
    by comparing each row with the one before, and each run is summed in numpy on the columns'
    buffers (``add.at`` by group: each group's sum exact in 64 bits, with no running sum over
    the whole frame to pass 2**63). Whether the runs are the groups is checked in the same pass:
    the first key's runs are distinct (sorted, or as many as its values), and so are the runs
    of the other keys within them.
    """
    pl = polars_module()
    np = numpy_module()
    height = frame.height
    if not height or any(frame.get_column(name).null_count() for name, _ in sums):
        return None
    head, rest = keys[0], keys[1:]
    column = frame.get_column(head)
    new_head = frame.select((pl.col(head) != pl.col(head).shift(1)).fill_null(True)).to_series()
    heads = new_head.to_numpy()
    if not column.is_sorted() and column.filter(new_head).n_unique() != int(heads.sum()):
        return None
    starting = heads
    if rest:
        run = np.cumsum(heads, dtype=np.int64) - 1
        number = run
        size = int(run[-1]) + 1
        for key in rest:
            values = frame.get_column(key)
            low, high = values.min(), values.max()
            if not values.dtype.is_integer() or values.null_count() or low < 0:
                return None
            width = int(high) + 1
            # The groups' numbers index a table of seen groups, no larger than a few rows each.
            size *= width
            if size > 4 * height + 64:
                return None
            number = number * width + values.to_numpy().astype(np.int64)
        starting = np.concatenate(([True], number[1:] != number[:-1]))
        seen = np.zeros(size, dtype=np.bool_)
        firsts = number[starting]
        seen[firsts] = True
        if int(seen.sum()) != firsts.size:
            return None
    group = np.cumsum(starting, dtype=np.int64) - 1
    groups = int(group[-1]) + 1

    def summed(values: Any) -> Any:
        total = np.zeros(groups, dtype=np.int64)
        np.add.at(total, group, values)
        return total

    # A mask, not the starts' indices: filtering text is far cheaper than gathering it.
    first_rows = pl.Series(starting)
    return pl.DataFrame(
        [
            *(frame.get_column(key).filter(first_rows) for key in keys),
            *(pl.Series(alias, summed(frame.get_column(name).to_numpy())) for name, alias in sums),
            pl.Series(count, np.bincount(group, minlength=groups).astype(np.int64)),
        ]
    )


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


def _daily_fees(statements: Any, due: Any, linked: Any, day: datetime.date) -> Any:
    """``daily_fee``: the fees of the statements under daily compounding (else null), or None.

    A power of ``1 + rate`` per stretch of days has no exact integer form: these (rare) fees
    are computed by :func:`propcrm.receivables.late_fee` itself, one statement at a time, so
    they equal the explained path by construction. None when no statement compounds.
    """
    pl = polars_module()
    if not statements.get_column("daily_compounding").any():
        return None
    picked = (
        statements.with_columns(due.cast(pl.Date).alias("due"))
        .with_row_index("row")
        .filter(pl.col("daily_compounding"))
    )
    steps: dict[int, list[tuple[datetime.date, int]]] = {}
    for row, on, units in (
        linked.filter(pl.col("row").is_in(picked.get_column("row").implode()))
        .select("row", "on", "amount_fen")
        .iter_rows()
    ):
        steps.setdefault(row, []).append((on, units))
    rows, fees = [], []
    for row in picked.iter_rows(named=True):
        currency = row["currency"]
        fee = late_fee(
            Money.from_minor_units(row["principal_fen"], currency),
            row["due"],
            day,
            [
                PrincipalReduction(on, Money.from_minor_units(units, currency))
                for on, units in steps.get(row["row"], ())
                if units
            ],
            policy=_policy(row),
        )
        rows.append(row["row"])
        fees.append(fee.amount.minor_units)
    return (
        pl.repeat(None, statements.height, dtype=pl.Int64, eager=True)
        .scatter(rows, fees)
        .alias("daily_fee")
    )


def month_end_chunks(
    chunks: Iterable[PortfolioFacts], as_of: datetime.date, aging: AgingPolicy = DEFAULT_AGING
) -> Iterator[MonthEnd]:
    """:func:`month_end` of each chunk of facts in turn (each chunk holds whole accounts).

    Memory is bounded by one chunk and its result; :meth:`MonthEnd.concat` joins the results
    when they fit (they equal the month end of all the chunks at once).
    """
    given = check_iterable(chunks, "chunks", "an iterable of PortfolioFacts")
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
