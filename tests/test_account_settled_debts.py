"""Payments and what is owed pass over settled statements: skipping them changes no result.

The fold marks a statement settled once nothing is owed on it (principal, costs, and a late
fee that can no longer grow) and lets later payments pass over it; an event that could make it
owe again (a collection cost, a correction, a deferral) marks it unsettled. These tests replay
the same histories with the skip turned off and compare every balance, allocation and credit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import Statement, opening_line
from propcrm.money import Money
from propcrm.receivables import (
    Account,
    AccountEvent,
    CollectionCost,
    Correction,
    Deferral,
    Receipt,
    age_account,
)
from propcrm.receivables._accounts import _Ledger, effective_on
from propcrm.testing._account_strategies import accounts

from .test_accounts import NOV, OCT, OK, account, day, receipt


@contextmanager
def nothing_settled() -> Iterator[None]:
    """The fold as it was before the skip: every payment works out every statement."""
    with mock.patch.object(_Ledger, "settles", return_value=False):
        yield


def replayed(books: Account) -> Account:
    return Account(
        books.unit_id,
        books.billed_party,
        books.currency,
        books.allocation,
        books.disputes,
        books.events,
    )


def assert_same_as_without_the_skip(books: Account) -> None:
    fast = replayed(books)
    with nothing_settled():
        slow = replayed(books)
    days = sorted({effective_on(e) for e in books.events})
    for as_of in [*days, days[-1].add(days=45)] if days else []:
        assert fast.balance(as_of) == slow.balance(as_of)
        # What is owed passes over the settled statements too (arrears, dunning, aging).
        assert fast.owed(as_of) == slow.owed(as_of)
        assert fast.owes(as_of) == slow.owes(as_of)
        assert age_account(fast, as_of) == age_account(slow, as_of)


def later_events(books: Account, draw: st.DrawFn) -> list[AccountEvent]:
    """After the history: a cost or a correction on a statement, a deferral, and a receipt."""
    statements = [e for e in books.events if isinstance(e, Statement)]
    target: Statement = draw(st.sampled_from(statements))
    last = max(effective_on(e) for e in books.events)
    on = last.add(days=draw(st.integers(1, 40)))
    events: list[AccountEvent] = []
    kind = draw(st.sampled_from(["cost", "correction", "both"]))
    units = draw(st.integers(1, 50_000))
    if kind in ("cost", "both"):
        events.append(
            CollectionCost("COST-1", target.number, Money.from_minor_units(units), on, "court fee")
        )
    if kind in ("correction", "both"):
        line = opening_line(target.total + Money.from_minor_units(units, target.currency))
        events.append(Correction("COR-1", target.revised((line,)), on, "area was wrong"))
    paid_on = on.add(days=draw(st.integers(0, 60)))
    amount = Money.from_minor_units(draw(st.integers(1, 200_000)), books.currency)
    events.append(Receipt("LATE-1", amount, received_on=paid_on))
    return events


@settings(max_examples=150, deadline=None)
@given(accounts(max_statements=4, max_receipts=4))
def test_any_history_replays_the_same_with_or_without_the_skip(books: Account) -> None:
    assert_same_as_without_the_skip(books)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_settled_statement_made_to_owe_again_is_paid_as_without_the_skip(
    data: st.DataObject,
) -> None:
    books = data.draw(accounts(max_statements=4, max_receipts=4, currency="CNY"))
    events = later_events(books, data.draw)
    assert_same_as_without_the_skip(books.post(*events))


def test_a_cost_on_a_paid_statement_is_paid_by_the_next_receipt() -> None:
    books = account(
        OCT,
        receipt("BANK-1", "1000.00", day(11, 5)),
        CollectionCost("COST-1", OCT.number, Money("80.00"), day(12, 1), "lawyer's letter"),
        receipt("BANK-2", "100.00", day(12, 2)),
    )
    row = books.balance(day(12, 2)).statement(OCT.number)
    assert row.costs_paid == Money("80.00")
    assert books.balance(day(12, 2)).credit == Money("20.00")
    assert_same_as_without_the_skip(books)


def test_a_correction_upward_of_a_paid_statement_is_paid_with_its_new_late_fee() -> None:
    corrected = OCT.revised((opening_line(Money("1200.00")),))
    books = account(
        OCT,
        receipt("BANK-1", "1000.00", day(11, 5)),
        receipt("BANK-2", "1.00", day(11, 6)),
        Correction("COR-1", corrected, day(11, 20), "area was wrong"),
        receipt("BANK-3", "300.00", day(11, 25)),
    )
    row = books.balance(day(11, 25)).statement(corrected.number)
    assert row.principal_outstanding == Money("0.00")
    assert row.late_fee_paid.is_positive
    assert_same_as_without_the_skip(books)


def test_a_deferral_after_settlement_changes_nothing_paid() -> None:
    books = account(
        OCT,
        NOV,
        receipt("BANK-1", "1000.00", day(11, 5)),
        Deferral("DEF-1", NOV.number, day(12, 30), OK, pendulum.date(2026, 12, 1)),
        receipt("BANK-2", "500.00", day(12, 5)),
    )
    assert_same_as_without_the_skip(books)
