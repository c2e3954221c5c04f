"""What is owed, read from each statement's late fee in closed form, equals the explained balance.

The ledger keeps, for each statement, its late fee from the last reduction on as a closed form
(``fee_form``), kept up to date when the fold changes the statement, and the fee settled folded
into it under the default terms; :meth:`Account.owed` and :func:`age_account` read that. The
balance works every fee out step by step (:func:`late_fee`). These tests post, after a drawn
history under any drawn terms, the events that change a statement's fee or what is settled of
it (a write-off, a correction with other terms, a dispute upheld with a correction, a late-fee
waiver, a collection cost, a deferral) and compare the two on every day that matters.
"""

from __future__ import annotations

import attrs
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
    DisputeRaised,
    DisputeResolved,
    LateFeeWaiver,
    Receipt,
    WriteOff,
    age_account,
    age_owed,
)
from propcrm.receivables._accounts import effective_on
from propcrm.testing._account_strategies import accounts, late_fee_policies

from .test_accounts import OK

terms = late_fee_policies(max_grace_days=5)


def assert_owed_is_the_explained_balance(books: Account, as_of: pendulum.Date) -> None:
    balance = books.balance(as_of)
    owing = {row.number: row for row in balance.statements if row.outstanding.is_positive}
    owed = {row.number: row for row in books.owed(as_of)}
    assert set(owed) == set(owing)
    for number, row in owed.items():
        full = owing[number]
        assert (row.principal, row.late_fees, row.costs, row.due_on, row.state) == (
            full.principal_outstanding,
            full.late_fee_outstanding,
            full.costs_outstanding,
            full.due_on,
            full.state,
        )
    direct = age_account(books, as_of)
    via_rows = age_owed(books.owed(as_of), as_of, currency=books.currency)
    assert [(r.principal, r.late_fees, r.costs, r.statements) for r in direct] == [
        (r.principal, r.late_fees, r.costs, r.statements) for r in via_rows
    ]


@st.composite
def changed_histories(draw: st.DrawFn) -> Account:
    """A drawn account, then events that change a statement's fee, each followed by money."""
    books, events = draw(histories_and_changes())
    return books.post(*events)


@st.composite
def histories_and_changes(draw: st.DrawFn) -> tuple[Account, list[AccountEvent]]:
    """A drawn account, and events after it that change a statement's fee, and money."""
    books = draw(accounts(max_statements=3, max_receipts=3, policies=terms, currency="CNY"))
    statements = [e for e in books.events if isinstance(e, Statement)]
    target: Statement = draw(st.sampled_from(statements))
    on = max(effective_on(e) for e in books.events).add(days=draw(st.integers(1, 40)))
    events: list[AccountEvent] = []
    kinds = draw(
        st.lists(
            st.sampled_from(["write-off", "correction", "dispute", "waiver", "cost", "deferral"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    units = draw(st.integers(1, 80_000))
    if "deferral" in kinds:
        # Approved before the due date, so that it may still move it.
        approved = target.issued_on
        new_due = target.due_on.add(days=draw(st.integers(1, 60)))
        events.append(Deferral("DEF-9", target.number, new_due, OK, approved))
    if "cost" in kinds:
        events.append(
            CollectionCost("COST-9", target.number, Money.from_minor_units(units), on, "court fee")
        )
    if "waiver" in kinds:
        amount = draw(st.none() | st.integers(1, 20_000).map(Money.from_minor_units))
        events.append(LateFeeWaiver("WAIVE-9", target.number, OK, on, amount))
    if "correction" in kinds or "dispute" in kinds:
        # Up or down (what was settled above it comes back), under terms drawn anew.
        total = max(1, target.total.minor_units + units - 40_000)
        line = opening_line(Money.from_minor_units(total))
        corrected = attrs.evolve(target.revised((line,)), late_fee=draw(terms))
        if "dispute" in kinds and target.issued_on < target.due_on.subtract(days=5):
            events.append(DisputeRaised("DIS-9", target.number, target.issued_on, "area"))
            events.append(DisputeResolved("DIS-9", True, on, "upheld", corrected))
        else:
            events.append(Correction("COR-9", corrected, on, "area was wrong"))
    paid_on = on.add(days=draw(st.integers(0, 60)))
    amount = Money.from_minor_units(draw(st.integers(1, 200_000)))
    events.append(Receipt("LATE-9", amount, received_on=paid_on))
    if "write-off" in kinds:
        number = target.number
        if any(isinstance(e, Correction | DisputeResolved) for e in events):
            number = f"{target.number}/R1"
        events.append(WriteOff("WO-9", number, OK, paid_on.add(days=draw(st.integers(0, 30)))))
    return books, events


@settings(max_examples=200, deadline=None)
@given(changed_histories(), st.integers(0, 400))
def test_what_is_owed_after_any_change_to_a_fee_is_the_explained_balance(
    books: Account, later: int
) -> None:
    days = sorted({effective_on(e) for e in books.events})
    for as_of in {days[0], days[len(days) // 2], days[-1], days[-1].add(days=later)}:
        assert_owed_is_the_explained_balance(books, as_of)


@settings(max_examples=200, deadline=None)
@given(
    accounts(max_statements=4, max_receipts=5, policies=terms),
    st.integers(0, 400),
    st.integers(-2, 8),
)
def test_what_is_owed_under_any_terms_is_the_explained_balance(
    books: Account, later: int, around_due: int
) -> None:
    """On every event's day, any day after, and days around each due date (start and grace)."""
    days = {effective_on(e) for e in books.events}
    dues = {e.due_on.add(days=around_due) for e in books.events if isinstance(e, Statement)}
    for as_of in {*days, max(days).add(days=later), *dues}:
        assert_owed_is_the_explained_balance(books, as_of)


@settings(max_examples=100, deadline=None)
@given(histories_and_changes(), st.integers(0, 400))
def test_posting_after_an_account_leaves_what_it_owes_as_it_was(
    story: tuple[Account, list[AccountEvent]], later: int
) -> None:
    """The fold goes on from a copy of the ledger, whose debts share what is never changed."""
    books, events = story
    as_of = max(effective_on(e) for e in books.events).add(days=later)
    before = (books.owed(as_of), books.positions(as_of), age_account(books, as_of))
    books.post(*events)
    assert (books.owed(as_of), books.positions(as_of), age_account(books, as_of)) == before
