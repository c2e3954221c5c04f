"""The dunning steps due for a whole portfolio, over the month end's columns.

:func:`dunning_steps` decides for every account what
:func:`propcrm.receivables.due_steps` decides (a step due, waiting, on hold or nothing due; the
level; the reason), from a :class:`~propcrm.portfolio.MonthEnd` and the steps taken so far.
The limitation period (art. 188), interrupted by each step (art. 195), decides which overdue
debt a legal step may claim; it is computed per statement from the steps' dates with
:meth:`~propcrm.receivables.AgingPolicy.limitation_ends_on`, only for accounts with steps.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from propcrm._validators import check_instance, check_items
from propcrm.errors import CommunityMismatch, CurrencyMismatch, InvalidType
from propcrm.portfolio._frames import polars_module
from propcrm.portfolio._month_end import MonthEnd
from propcrm.receivables import (
    DecisionKind,
    DunningLevel,
    DunningPlan,
    StepTaken,
)

__all__ = ["STEP_SCHEMA", "dunning_steps", "steps_frame"]

STEP_SCHEMA: dict[str, str] = {"account": "String", "level": "String", "taken_on": "Date"}
"""The steps frame: the account's id (its unit id), the level's value and the day taken."""


def steps_frame(history: Iterable[StepTaken]) -> Any:
    """The steps taken as a frame of :data:`STEP_SCHEMA` (the account is the step's unit)."""
    pl = polars_module()
    steps: tuple[StepTaken, ...] = check_items(history, "history", StepTaken)
    return pl.DataFrame(
        {
            "account": [s.unit_id for s in steps],
            "level": [s.level.value for s in steps],
            "taken_on": [s.taken_on for s in steps],
        },
        schema=pl.Schema({"account": pl.String, "level": pl.String, "taken_on": pl.Date}),
    )


def _barred(plan: DunningPlan, overdue: Any, steps: Any, day: datetime.date) -> Any:
    """Per overdue statement, whether it is past its limitation period on ``day``."""
    pl = polars_module()
    years = plan.aging.limitation_years
    # Without a demand the period ends on the anniversary of the first overdue day.
    plain = overdue.with_columns(
        (pl.col("due_on") + pl.duration(days=1)).dt.offset_by(f"{years}y").alias("ends")
    )
    demanded = steps.filter(pl.col("taken_on") <= day)
    if demanded.height:
        dates: dict[str, list[datetime.date]] = {}
        for account, taken in demanded.select("account", "taken_on").iter_rows():
            dates.setdefault(account, []).append(taken)
        ends = [
            plan.aging.limitation_ends_on(due, dates[account]) if account in dates else None
            for account, due in plain.select("account", "due_on").iter_rows()
        ]
        plain = plain.with_columns(
            pl.coalesce(pl.Series("interrupted", ends, dtype=pl.Date), pl.col("ends")).alias("ends")
        )
    return plain.with_columns((pl.lit(day, dtype=pl.Date) > pl.col("ends")).alias("barred"))


def dunning_steps(  # noqa: PLR0915  # one decision, its steps in the order due_steps takes them
    result: MonthEnd, plan: DunningPlan, steps: Any = None
) -> Any:
    """Per account that owes something: the decision of ``plan`` as of the month end's date.

    Only the accounts with statements of the plan's community are dunned (a portfolio holds
    many communities, each with its own plan); such an account with statements of another
    community, or in another currency than the plan's, is refused as
    :func:`~propcrm.receivables.due_steps` refuses it. The accounts
    :attr:`MonthEnd.explain` names are left to :func:`~propcrm.receivables.due_steps`.

    Args:
        result: the month end (see :func:`~propcrm.portfolio.month_end`).
        plan: the community's plan.
        steps: the steps taken so far, a frame of :data:`STEP_SCHEMA` (see
            :func:`steps_frame`); none by default.

    Returns:
        A frame with one row per account: ``account``, ``kind`` (a
        :class:`~propcrm.receivables.DecisionKind` value), ``reason`` (a
        :class:`~propcrm.receivables.DecisionReason` value), ``level`` (the
        :class:`~propcrm.receivables.DunningLevel` value reached, null when none),
        ``step_number``, ``days`` and ``amount_fen`` (the overdue facts the levels are judged
        on).
    """
    pl = polars_module()
    check_instance(result, "result", MonthEnd)
    check_instance(plan, "plan", DunningPlan)
    day = result.as_of
    taken = steps_frame(()) if steps is None else steps
    if not isinstance(taken, pl.DataFrame) or not set(STEP_SCHEMA) <= set(taken.columns):
        raise InvalidType(
            f"steps {taken!r} must be a polars DataFrame of the steps taken.",
            field="steps",
            value=taken,
            allowed="a polars DataFrame with columns " + ", ".join(STEP_SCHEMA),
        )
    # The plan's community's accounts; those the batch path left to the explained path are
    # dunned there (due_steps).
    every = result.statements.filter(~pl.col("account").is_in(list(result.explain)))
    mine = every.filter(pl.col("community") == plan.community).get_column("account").unique()
    every = every.filter(pl.col("account").is_in(mine.implode()))
    for column, wanted, error in (
        ("community", plan.community, CommunityMismatch),
        ("currency", plan.currency, CurrencyMismatch),
    ):
        others = every.filter(pl.col(column) != wanted)
        if others.height:
            raise error(
                f"account {others.get_column('account')[0]} holds statements of {column} "
                f"{others.get_column(column)[0]}, not {wanted}; dun each with its own plan.",
                field=column,
                value=others.get_column(column)[0],
                allowed=wanted,
                unit_id=others.get_column("account")[0],
            )
    rows = every.filter(pl.col("owing"))
    last = pl.lit(day, dtype=pl.Date)
    rows = rows.with_columns((pl.col("due_on") < last).alias("overdue"))
    total = pl.col("principal_owed_fen") + pl.col("late_fee_owed_fen") + pl.col("costs_owed_fen")
    overdue = _barred(plan, rows.filter(pl.col("overdue")), taken, day)
    facts = overdue.group_by("account").agg(
        pl.col("due_on").min().alias("oldest"),
        total.sum().alias("amount_fen"),
        pl.col("due_on").filter(~pl.col("barred")).min().alias("live_oldest"),
        total.filter(~pl.col("barred")).sum().alias("live_amount"),
    )
    held = rows.group_by("account").agg(
        (pl.col("open_disputes") > 0).any().alias("disputed"),
        ((pl.col("deferrals") > 0) & (last <= pl.col("due_on"))).any().alias("deferred"),
        # The first statement (in replay order) with a hold decides the reason.
        pl.col("seq").filter(pl.col("open_disputes") > 0).min().alias("first_disputed"),
        pl.col("seq")
        .filter((pl.col("deferrals") > 0) & (last <= pl.col("due_on")))
        .min()
        .alias("first_deferred"),
    )
    frame = (
        every.select("account")
        .unique()
        .join(facts, on="account", how="left")
        .join(held, on="account", how="left")
        .with_columns(
            pl.col("amount_fen").fill_null(0),
            pl.col("live_amount").fill_null(0),
            pl.col("disputed").fill_null(False),
            pl.col("deferred").fill_null(False),
            (last - pl.col("oldest")).dt.total_days().fill_null(0).alias("days"),
            (last - pl.col("live_oldest")).dt.total_days().fill_null(0).alias("live_days"),
        )
    )
    levels = plan.levels
    for index, rule in enumerate(levels):
        mine = taken.filter(
            (pl.col("level") == rule.level.value) & (pl.col("taken_on") <= day)
        ).join(frame.select("account", "oldest"), on="account", how="inner")
        # Steps before the oldest overdue debt fell due were about arrears since settled.
        episode = (
            mine.filter(pl.col("taken_on") > pl.col("oldest"))
            .group_by("account")
            .agg(pl.len().alias(f"count_{index}"), pl.col("taken_on").max().alias(f"last_{index}"))
        )
        frame = frame.join(episode, on="account", how="left").with_columns(
            pl.col(f"count_{index}").fill_null(0)
        )
        legal = rule.level is DunningLevel.LEGAL and not plan.claim_time_barred
        days, amount = ("live_days", "live_amount") if legal else ("days", "amount_fen")
        met = (pl.col(days) >= rule.min_days_overdue) & (
            pl.col(amount) >= rule.min_amount.minor_units
        )
        if index == 0:
            opens: Any = last
        else:
            lower = levels[index - 1]
            opens = pl.col(f"last_{index - 1}") + pl.duration(days=lower.period_to_pay_days + 1)
        frame = frame.with_columns((met & (opens <= last).fill_null(False)).alias(f"met_{index}"))
    top = pl.lit(None, dtype=pl.Int32)
    for index in range(len(levels)):
        top = pl.when(pl.col(f"met_{index}")).then(pl.lit(index, dtype=pl.Int32)).otherwise(top)
    frame = frame.with_columns(top.alias("top"))

    def at_top(prefix: str, values: Any = None) -> Any:
        expr = pl.lit(None)
        for index in range(len(levels)):
            value = pl.col(f"{prefix}_{index}") if values is None else values(index)
            expr = pl.when(pl.col("top") == index).then(value).otherwise(expr)
        return expr

    count = at_top("count")
    last_at = at_top("last")
    next_on = last_at + at_top("", lambda i: pl.duration(days=levels[i].repeat_after_days))
    used = count >= at_top("", lambda i: pl.lit(levels[i].max_steps))
    waiting = (count > 0) & (used | (last < next_on))
    kind = (
        pl.when(pl.col("oldest").is_null())
        .then(pl.lit(DecisionKind.NOTHING_DUE.value))
        .when(pl.col("disputed") & plan.hold_disputed | pl.col("deferred") & plan.hold_deferred)
        .then(pl.lit(DecisionKind.ON_HOLD.value))
        .when(pl.col("top").is_null())
        .then(pl.lit(DecisionKind.NOTHING_DUE.value))
        .when(waiting)
        .then(pl.lit(DecisionKind.WAITING.value))
        .otherwise(pl.lit(DecisionKind.STEP_DUE.value))
    )
    dispute_first = pl.col("first_disputed").is_not_null() & (
        pl.col("first_deferred").is_null() | (pl.col("first_disputed") <= pl.col("first_deferred"))
    )
    if not plan.hold_deferred:
        dispute_first = pl.lit(True)
    elif not plan.hold_disputed:
        dispute_first = pl.lit(False)
    reason = (
        pl.when(pl.col("oldest").is_null())
        .then(pl.lit("nothing_overdue"))
        .when(pl.col("kind") == DecisionKind.ON_HOLD.value)
        .then(pl.when(dispute_first).then(pl.lit("dispute")).otherwise(pl.lit("deferral")))
        .when(pl.col("top").is_null())
        .then(pl.lit("below_threshold"))
        .when(pl.col("kind") == DecisionKind.WAITING.value)
        .then(pl.when(used).then(pl.lit("steps_used")).otherwise(pl.lit("cadence")))
        .when(count > 0)
        .then(pl.lit("repeat"))
        .when(pl.col("top") > 0)
        .then(pl.lit("escalation"))
        .otherwise(pl.lit("first_step"))
    )
    level = at_top("", lambda i: pl.lit(levels[i].level.value))
    reached = pl.col("kind").is_in([DecisionKind.WAITING.value, DecisionKind.STEP_DUE.value])
    return (
        frame.with_columns(kind.alias("kind"))
        .with_columns(
            reason.alias("reason"),
            pl.when(reached).then(level).alias("level"),
            pl.when(reached).then(count + 1).otherwise(0).alias("step_number"),
        )
        .select("account", "kind", "reason", "level", "step_number", "days", "amount_fen")
        .sort("account")
    )
