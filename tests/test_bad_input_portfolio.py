# ruff: noqa: PLW0108 - one lambda per entry point keeps every table uniform
"""Bad input to every public entry point of propcrm.portfolio is refused with a library error.

Issue 18: each entry point of ``propcrm.portfolio.__all__`` is fed, argument by argument, the
malformed values its kind allows; :func:`assert_refused` lets only a
:class:`~propcrm.errors.PropcrmError` carrying its context out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pendulum
import polars as pl
import pytest
from hypothesis import assume, given, settings
from tests.bad_input import assert_refused, bad_counts, bad_dates, bad_ids, wrong_types

from propcrm.billing import opening_statement
from propcrm.money import Money
from propcrm.portfolio import (
    MonthEnd,
    PortfolioFacts,
    cap_ratio,
    distributed_month_end,
    distributed_replay,
    dunning_steps,
    explain,
    facts_from_accounts,
    month_end,
    month_end_chunks,
    notice_totals,
    raw_facts_from_accounts,
    reallocate,
    scan_facts,
    sla_clocks,
    steps_frame,
    stream_month_end,
    write_facts,
)
from propcrm.receivables import Account, DunningPlan
from propcrm.time import BillingPeriod

AS_OF = pendulum.date(2026, 12, 31)
ACCOUNT = Account("1-2-0301").post(
    opening_statement(
        community="SUNRISE",
        unit_id="1-2-0301",
        period=BillingPeriod.month(2026, 11),
        amount=Money("1000.00"),
        due_on=pendulum.date(2026, 12, 10),
    )
)
FACTS = facts_from_accounts([ACCOUNT], AS_OF)
RESULT = month_end(FACTS, AS_OF)
PLAN = DunningPlan("SUNRISE")
BILLED = FACTS.statements.with_columns(issued_on=pl.lit(pendulum.date(2026, 11, 30)))
RECEIPTS = pl.DataFrame(
    schema={
        "account": pl.String,
        "reference": pl.String,
        "received_on": pl.Date,
        "amount_fen": pl.Int64,
        "designation": pl.List(pl.String),
    }
)
POLICIES = pl.DataFrame(
    schema={"account": pl.String, "order": pl.String, "honour_designation": pl.Boolean}
)
LINES = pl.DataFrame(
    {"account": ["A"], "code": ["M"], "price_cfen": [1], "quantity_milli": [1], "months": [1]}
)

CALLS: dict[str, Callable[[object], object]] = {
    "facts_from_accounts(accounts)": lambda bad: facts_from_accounts(bad, AS_OF),  # type: ignore[arg-type]
    "facts_from_accounts(accounts=[bad])": lambda bad: facts_from_accounts([bad], AS_OF),  # type: ignore[list-item]
    "month_end(facts)": lambda bad: month_end(bad, AS_OF),  # type: ignore[arg-type]
    "month_end(aging)": lambda bad: month_end(FACTS, AS_OF, bad),  # type: ignore[arg-type]
    "month_end_chunks(chunks)": lambda bad: list(month_end_chunks(bad, AS_OF)),  # type: ignore[arg-type]
    "month_end_chunks(aging)": lambda bad: month_end_chunks([FACTS], AS_OF, bad),  # type: ignore[arg-type]
    "stream_month_end(facts)": lambda bad: stream_month_end(bad, AS_OF),  # type: ignore[arg-type]
    "stream_month_end(aging)": lambda bad: stream_month_end(FACTS, AS_OF, aging=bad),  # type: ignore[arg-type]
    "explain(accounts)": lambda bad: explain([bad], "1-2-0301", AS_OF),  # type: ignore[list-item]
    "cap_ratio(policy)": lambda bad: cap_ratio(bad),  # type: ignore[arg-type]
    "write_facts(facts)": lambda bad: write_facts(bad, "."),  # type: ignore[arg-type]
    "PortfolioFacts(statements)": lambda bad: PortfolioFacts(
        bad, FACTS.reductions, FACTS.deferrals, FACTS.disputes
    ),
    "PortfolioFacts(disputes)": lambda bad: PortfolioFacts(
        FACTS.statements, FACTS.reductions, FACTS.deferrals, bad
    ),
    "MonthEnd.concat(parts)": lambda bad: MonthEnd.concat(bad),  # type: ignore[arg-type]
    "dunning_steps(result)": lambda bad: dunning_steps(bad, PLAN),  # type: ignore[arg-type]
    "dunning_steps(plan)": lambda bad: dunning_steps(RESULT, bad),  # type: ignore[arg-type]
    "dunning_steps(steps)": lambda bad: dunning_steps(RESULT, PLAN, [bad]),
    "steps_frame(history)": lambda bad: steps_frame(bad),  # type: ignore[arg-type]
    "steps_frame(history=[bad])": lambda bad: steps_frame([bad]),  # type: ignore[list-item]
    "notice_totals(lines)": lambda bad: notice_totals(bad),
    "reallocate(statements)": lambda bad: reallocate(bad, RECEIPTS, POLICIES, AS_OF),
    "reallocate(receipts)": lambda bad: reallocate(BILLED, bad, POLICIES, AS_OF),
    "reallocate(policies)": lambda bad: reallocate(BILLED, RECEIPTS, bad, AS_OF),
    "reallocate(deferrals)": lambda bad: reallocate(
        BILLED, RECEIPTS, POLICIES, AS_OF, deferrals=bad
    ),
    "reallocate(disputes)": lambda bad: reallocate(BILLED, RECEIPTS, POLICIES, AS_OF, disputes=bad),
    "notice_totals(rounding)": lambda bad: notice_totals(LINES, rounding=bad),  # type: ignore[arg-type]
    "raw_facts_from_accounts(accounts)": lambda bad: raw_facts_from_accounts(bad, AS_OF),  # type: ignore[arg-type]
    "raw_facts_from_accounts(accounts=[bad])": lambda bad: raw_facts_from_accounts([bad], AS_OF),  # type: ignore[list-item]
}


EMPTY_IS_FINE = frozenset(
    {
        "month_end_chunks(chunks)",
        "facts_from_accounts(accounts)",
        "raw_facts_from_accounts(accounts)",
        "steps_frame(history)",
    }
)
NONE_IS_THE_DEFAULT = frozenset({"reallocate(deferrals)", "reallocate(disputes)"})


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=8, deadline=None)
@given(bad=wrong_types)
def test_wrong_types_are_refused(name: str, bad: object) -> None:
    # No chunks or no accounts at all is a month end of nothing, not a mistake.
    assume(not (name in EMPTY_IS_FINE and isinstance(bad, list | tuple) and not bad))
    assume(not (name in NONE_IS_THE_DEFAULT and bad is None))
    assert_refused(lambda: CALLS[name](bad))


DATED: dict[str, Callable[[object], object]] = {
    "facts_from_accounts(as_of)": lambda bad: facts_from_accounts([ACCOUNT], bad),  # type: ignore[arg-type]
    "month_end(as_of)": lambda bad: month_end(FACTS, bad),  # type: ignore[arg-type]
    "month_end_chunks(as_of)": lambda bad: list(month_end_chunks([FACTS], bad)),  # type: ignore[arg-type]
    "stream_month_end(as_of)": lambda bad: stream_month_end(FACTS, bad),  # type: ignore[arg-type]
    "explain(as_of)": lambda bad: explain([ACCOUNT], "1-2-0301", bad),  # type: ignore[arg-type]
    "Account.positions(as_of)": lambda bad: ACCOUNT.positions(bad),  # type: ignore[arg-type]
    "reallocate(as_of)": lambda bad: reallocate(BILLED, RECEIPTS, POLICIES, bad),  # type: ignore[arg-type]
    "raw_facts_from_accounts(as_of)": lambda bad: raw_facts_from_accounts([ACCOUNT], bad),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("name", sorted(DATED))
@settings(max_examples=8, deadline=None)
@given(bad=bad_dates)
def test_bad_dates_are_refused(name: str, bad: object) -> None:
    assert_refused(lambda: DATED[name](bad))


@settings(max_examples=8, deadline=None)
@given(bad=bad_counts)
def test_bad_chunk_sizes_are_refused(bad: object) -> None:
    assert_refused(lambda: stream_month_end(FACTS, AS_OF, accounts_per_chunk=bad))  # type: ignore[arg-type]


@settings(max_examples=8, deadline=None)
@given(bad=bad_ids)
def test_unknown_account_ids_are_refused(bad: object) -> None:
    assert_refused(lambda: explain([ACCOUNT], bad, AS_OF))  # type: ignore[arg-type]


def test_a_frame_without_its_columns_is_refused() -> None:
    assert_refused(
        lambda: PortfolioFacts(
            FACTS.statements.drop("principal_fen"),
            FACTS.reductions,
            FACTS.deferrals,
            FACTS.disputes,
        )
    )


def test_duplicate_accounts_are_refused() -> None:
    assert_refused(lambda: facts_from_accounts([ACCOUNT, ACCOUNT], AS_OF))


def test_a_folder_without_the_facts_is_refused(tmp_path) -> None:
    error = assert_refused(lambda: scan_facts(tmp_path / "missing"))
    assert isinstance(error, FileNotFoundError)
    assert_refused(lambda: write_facts(FACTS, tmp_path / "missing"))


@settings(max_examples=8, deadline=None)
@given(bad=wrong_types)
def test_bad_paths_are_refused(bad: object) -> None:
    assert_refused(lambda: scan_facts(bad))  # type: ignore[arg-type]
    assert_refused(lambda: write_facts(FACTS, bad))  # type: ignore[arg-type]


def test_a_plan_of_another_currency_is_refused() -> None:
    assert_refused(lambda: dunning_steps(RESULT, DunningPlan("SUNRISE", currency="USD", levels=())))


def test_steps_without_their_columns_are_refused() -> None:
    frame = steps_frame([]).drop("taken_on")
    assert_refused(lambda: dunning_steps(RESULT, PLAN, frame))


# The distributed entry points check every argument before the client, so these run without a
# cluster: a refusal must name the bad argument, not the (stand-in) client.
NO_CLIENT = object()
HISTORIES = {"1-2-0301": ACCOUNT.events}
DISTRIBUTED: dict[str, Callable[[object], object]] = {
    "distributed_month_end(partitions)": lambda bad: distributed_month_end(NO_CLIENT, bad, AS_OF),  # type: ignore[arg-type]
    "distributed_month_end(partitions=[bad])": lambda bad: distributed_month_end(
        NO_CLIENT,
        [bad],  # type: ignore[list-item]
        AS_OF,
    ),
    "distributed_month_end(aging)": lambda bad: distributed_month_end(
        NO_CLIENT,
        [FACTS],
        AS_OF,
        bad,  # type: ignore[arg-type]
    ),
    "distributed_month_end(columns)": lambda bad: distributed_month_end(
        NO_CLIENT,
        [FACTS],
        AS_OF,
        columns=bad,  # type: ignore[arg-type]
    ),
    "distributed_replay(partitions)": lambda bad: distributed_replay(NO_CLIENT, bad, AS_OF),  # type: ignore[arg-type]
    "distributed_replay(partitions=[bad])": lambda bad: distributed_replay(
        NO_CLIENT,
        [bad],  # type: ignore[list-item]
        AS_OF,
    ),
    "distributed_replay(unit ids)": lambda bad: distributed_replay(
        NO_CLIENT,
        [{bad: ACCOUNT.events}],  # type: ignore[dict-item]
        AS_OF,
    ),
}


@pytest.mark.parametrize("name", sorted(DISTRIBUTED))
@settings(max_examples=8, deadline=None)
@given(bad=wrong_types)
def test_distributed_arguments_are_refused_before_the_client(name: str, bad: object) -> None:
    assume(not (name.endswith("(columns)") and bad is None))
    # An empty collection of columns is fine, a str one is not (it is one name, not a list).
    assume(not (name.endswith("(columns)") and isinstance(bad, list | tuple) and not bad))
    # A collection of text is a collection of folders: the workers are the ones to read them.
    assume(
        not (
            name == "distributed_month_end(partitions)"
            and isinstance(bad, list | tuple | set | frozenset)
            and all(isinstance(item, str) for item in bad)
            and bad
        )
    )
    # A partition of no accounts is an empty one, not a mistake.
    assume(not (name == "distributed_replay(partitions=[bad])" and bad == {}))
    if name.endswith("(unit ids)"):
        assume(isinstance(bad, Hashable))
    error = assert_refused(lambda: DISTRIBUTED[name](bad))
    assert error.field != "client", error


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: distributed_month_end(NO_CLIENT, [FACTS], bad),
        lambda bad: distributed_replay(NO_CLIENT, [HISTORIES], bad),
    ],
)
@settings(max_examples=8, deadline=None)
@given(bad=bad_dates)
def test_distributed_dates_are_refused_before_the_client(call, bad: object) -> None:
    assert field_of(assert_refused(lambda: call(bad))) == "as_of"


def field_of(error: Exception) -> object:
    return getattr(error, "field", None)


def test_unknown_columns_and_a_stand_in_client_are_refused() -> None:
    error = assert_refused(
        lambda: distributed_month_end(NO_CLIENT, [FACTS], AS_OF, columns=["late_fees"])
    )
    assert error.field == "columns"
    assert error.value == ("late_fees",)
    assert assert_refused(lambda: distributed_month_end(NO_CLIENT, [FACTS], AS_OF)).field == (
        "client"
    )
    assert assert_refused(lambda: distributed_replay(NO_CLIENT, [HISTORIES], AS_OF)).field == (
        "client"
    )


@settings(max_examples=8, deadline=None)
@given(bad=wrong_types)
def test_bad_tiers_are_refused(bad: object) -> None:
    assume(bad is not None)
    assert field_of(assert_refused(lambda: notice_totals(LINES, bad))) == "tiers"


@settings(max_examples=8, deadline=None)
@given(bad=wrong_types)
def test_sla_clocks_refuse_anything_but_requests(bad: object) -> None:
    # A request list holding something else is refused whole, before any clock is folded;
    # an empty collection is no requests (an empty report).
    empty = hasattr(bad, "__len__") and not isinstance(bad, str) and not bad
    for given_ in ([bad],) if empty else (bad, [bad]):
        refused = assert_refused(lambda given_=given_: sla_clocks(given_))
        assert getattr(refused, "field", None) == "requests"
