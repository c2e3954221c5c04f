"""Fee-notice totals for a whole portfolio over columns, in integer fen.

The billing rules round each line of a notice once, to the fen, after its exact computation,
and a notice's total is the exact sum of its rounded lines
(:class:`propcrm.billing.BillingPolicy`). Over columns the same holds in integers: a line's
exact amount is ``price × quantity × months`` with the price in hundredths of a fen and the
quantity in thousandths (so ``2.805`` 元/㎡ and ``123.456`` ㎡ are exact), or, for a tiered
meter, the sum of each tier's ``part of the consumption × its price``; it is rounded with the
policy's mode and summed per account.
"""

from __future__ import annotations

from typing import Any

from propcrm._validators import check_instance
from propcrm.errors import InvalidQuantity
from propcrm.money import RoundingMode
from propcrm.portfolio._frames import check_frame, polars_module
from propcrm.portfolio._month_end import rounded_to, run_totals

__all__ = ["NOTICE_LINE_SCHEMA", "NOTICE_TIER_SCHEMA", "notice_totals"]

NOTICE_LINE_SCHEMA: dict[str, str] = {
    "account": "String",
    "code": "String",
    "price_cfen": "Int64",
    "quantity_milli": "Int64",
    "months": "Int64",
}
"""A notice line's columns: its account and rule code, the unit price in hundredths of a fen
(null for a tiered meter, priced by its tiers), the quantity in thousandths (㎡, spaces, tonnes,
hours) and the months it covers (1 for a meter's consumption or a service)."""

NOTICE_TIER_SCHEMA: dict[str, str] = {
    "code": "String",
    "up_to_milli": "Int64",
    "price_cfen": "Int64",
}
"""A tiered meter's tiers: the rule code, the tier's upper bound in thousandths (null: no
bound, the last tier) and its unit price in hundredths of a fen, in ascending order."""

# price in 1/100 fen × quantity in 1/1000: the exact amount in fen is the product / 100,000.
_SCALE = 100_000


def _frame(value: object, field: str, columns: dict[str, str], keys: tuple[str, ...] = ()) -> Any:
    """The frame's columns cast to their types; ``keys`` kept as given if they are keys.

    A key column may be text, a Categorical or an Enum (or, for the account, an integer): a
    warehouse's surrogate keys are summed and compared as they are, never cast to text.
    """
    pl = polars_module()
    frame = check_frame(value, field, columns)
    schema = frame.collect_schema()

    def kept(name: str) -> bool:
        dtype = schema[name]
        return name in keys and (
            dtype == pl.String
            or isinstance(dtype, pl.Categorical | pl.Enum)
            or (name == "account" and dtype.is_integer())
        )

    return frame.select(
        *(
            pl.col(name) if kept(name) else pl.col(name).cast(getattr(pl, kind))
            for name, kind in columns.items()
        )
    )


def notice_totals(
    lines: Any, tiers: Any = None, rounding: RoundingMode = RoundingMode.HALF_UP
) -> Any:
    """Each account's notice total in fen: every line rounded once with ``rounding``, summed.

    ``lines`` has the columns of :data:`NOTICE_LINE_SCHEMA`, ``tiers`` those of
    :data:`NOTICE_TIER_SCHEMA` (for the lines whose price is null). The result has one row
    per account, in the order the accounts first appear: ``account``, ``total_fen``,
    ``lines``. It equals the total of the statement :func:`propcrm.billing.issue_statement`
    bills for the same unit, usage and tariff over a whole period. The account may be named by
    text or by an integer key, and the code be text, a Categorical or an Enum: they are kept
    as given (the result's ``account`` too).

    >>> import polars as pl
    >>> lines = pl.DataFrame(
    ...     {
    ...         "account": ["1-0101", "1-0101", "1-0102"],
    ...         "code": ["MGMT", "WATER", "MGMT"],
    ...         "price_cfen": [28_000, None, 28_000],  # 2.80 元/㎡
    ...         "quantity_milli": [89_455, 18_300, 120_000],  # 89.455 ㎡, 18.3 t, 120 ㎡
    ...         "months": [1, 1, 1],
    ...     }
    ... )
    >>> tiers = pl.DataFrame(
    ...     {
    ...         "code": ["WATER", "WATER"],
    ...         "up_to_milli": [15_000, None],
    ...         "price_cfen": [34_500, 48_300],
    ...     }
    ... )
    >>> notice_totals(lines, tiers).rows()  # 250.47 + 67.69; 336.00
    [('1-0101', 31816, 2), ('1-0102', 33600, 1)]
    """
    pl = polars_module()
    given = _frame(lines, "lines", NOTICE_LINE_SCHEMA, keys=("account", "code"))
    mode = check_instance(rounding, "rounding", RoundingMode).name
    # The tiers are a small table (a few per meter): read once and turned into one expression
    # per code, so no line is joined or regrouped.
    metered: Any = pl.lit(None, dtype=pl.Int64)
    if tiers is not None:
        table = _frame(tiers, "tiers", NOTICE_TIER_SCHEMA).collect()
        by_code: dict[str, list[tuple[int | None, int]]] = {}
        for code, up_to, price in table.iter_rows():
            by_code.setdefault(code, []).append((up_to, price))
        quantity = pl.col("quantity_milli")
        chain: Any = None
        for code, steps in by_code.items():
            lower = 0
            parts = []
            for up_to, price in steps:
                top = quantity if up_to is None else pl.min_horizontal(quantity, pl.lit(up_to))
                parts.append((top - lower).clip(lower_bound=0) * price)
                if up_to is None:
                    break
                lower = up_to
            amount = pl.sum_horizontal(parts) * pl.col("months")
            chain = (pl.when if chain is None else chain.when)(pl.col("code") == code).then(amount)
        if chain is not None:
            metered = chain.otherwise(None)
    exact = (
        pl.when(pl.col("price_cfen").is_not_null())
        .then(pl.col("price_cfen") * pl.col("quantity_milli") * pl.col("months"))
        .otherwise(metered)
    )
    # The exact amounts once, eagerly: the check for an unpriced line reads them too.
    priced = given.select("account", "code", rounded_to(exact, _SCALE, mode).alias("fen")).collect()
    if priced.get_column("fen").null_count():
        code = priced.filter(pl.col("fen").is_null()).get_column("code")[0]
        raise InvalidQuantity(
            f"line {code!r} has no price and no tiers; a line is priced by its price_cfen, or "
            "by the tiers of its code when that is null.",
            field="lines",
            value=code,
            allowed="a price_cfen, or tiers for the code",
        )
    lines_of = priced.select("account", "fen")
    result: Any = run_totals(lines_of, ("account",), (("fen", "total_fen"),), "lines")
    if result is None:
        result = (
            lines_of.lazy()
            .group_by("account", maintain_order=True)
            .agg(pl.col("fen").sum().alias("total_fen"), pl.len().cast(pl.Int64).alias("lines"))
            .collect()
        )
    return result
