# ruff: noqa: PLW0108 - one lambda per entry point keeps every table uniform
"""Bad input to every public entry point of propcrm.portfolio is refused with a library error.

Issue 18: each entry point of ``propcrm.portfolio.__all__`` is fed, argument by argument, the
malformed values its kind allows; :func:`assert_refused` lets only a
:class:`~propcrm.errors.PropcrmError` carrying its context out.
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest
from hypothesis import assume, given, settings
from tests.bad_input import assert_refused, bad_counts, bad_dates, bad_ids, wrong_types

from propcrm.billing import opening_statement
from propcrm.money import Money
from propcrm.portfolio import (
    MonthEnd,
    PortfolioFacts,
    cap_ratio,
    dunning_steps,
    explain,
    facts_from_accounts,
    month_end,
    month_end_chunks,
    scan_facts,
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
}


EMPTY_IS_FINE = frozenset(
    {"month_end_chunks(chunks)", "facts_from_accounts(accounts)", "steps_frame(history)"}
)


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=8, deadline=None)
@given(bad=wrong_types)
def test_wrong_types_are_refused(name: str, bad: object) -> None:
    # No chunks or no accounts at all is a month end of nothing, not a mistake.
    assume(not (name in EMPTY_IS_FINE and isinstance(bad, list | tuple) and not bad))
    assert_refused(lambda: CALLS[name](bad))


DATED: dict[str, Callable[[object], object]] = {
    "facts_from_accounts(as_of)": lambda bad: facts_from_accounts([ACCOUNT], bad),  # type: ignore[arg-type]
    "month_end(as_of)": lambda bad: month_end(FACTS, bad),  # type: ignore[arg-type]
    "month_end_chunks(as_of)": lambda bad: list(month_end_chunks([FACTS], bad)),  # type: ignore[arg-type]
    "stream_month_end(as_of)": lambda bad: stream_month_end(FACTS, bad),  # type: ignore[arg-type]
    "explain(as_of)": lambda bad: explain([ACCOUNT], "1-2-0301", bad),  # type: ignore[arg-type]
    "Account.positions(as_of)": lambda bad: ACCOUNT.positions(bad),  # type: ignore[arg-type]
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
