"""Tests for receivables._deferrals: the company moves a statement's due date (缓缴).

Domain brief §2: where a technical problem cannot be settled quickly the company may confirm a
deferral of the deadline. The issue: approver, reason and new date are recorded; late fees
start after the new date.
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings

from propcrm.billing import opening_statement
from propcrm.errors import InvalidQuantity, RefusedChange, UnknownStatement
from propcrm.money import Money
from propcrm.receivables import (
    Account,
    Authorisation,
    Deferral,
    DisputeRaised,
    Receipt,
    StatementState,
)
from propcrm.testing._account_strategies import accounts
from propcrm.time import BillingPeriod

UNIT = "1-2-0301"
OK = Authorisation("customer service manager Wang", "meter under test")
NOV = opening_statement(
    community="SUNRISE",
    unit_id=UNIT,
    period=BillingPeriod.month(2026, 11),
    amount=Money("1000.00"),
    due_on=pendulum.date(2026, 12, 10),
)


def deferral(new_due: pendulum.Date, approved: pendulum.Date, reference: str = "D-1") -> Deferral:
    return Deferral(reference, NOV.number, new_due, OK, approved_on=approved)


def test_a_deferral_records_approver_reason_and_new_date() -> None:
    d = deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 3))
    assert d.on == d.approved_on == pendulum.date(2026, 12, 3)
    assert d.new_due_on == pendulum.date(2026, 12, 31)
    assert (d.authorisation.approver, d.authorisation.reason) == (
        "customer service manager Wang",
        "meter under test",
    )


def test_a_deferral_needs_a_reference_and_a_statement() -> None:
    with pytest.raises(InvalidQuantity, match="reference"):
        Deferral(
            "", NOV.number, pendulum.date(2026, 12, 31), OK, approved_on=pendulum.date(2026, 12, 3)
        )


def test_late_fees_start_after_the_new_due_date() -> None:
    books = Account(
        UNIT, events=(NOV, deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 3)))
    )
    on_new_date = books.balance(pendulum.date(2026, 12, 31)).statement(NOV.number)
    assert on_new_date.due_on == pendulum.date(2026, 12, 31)
    assert on_new_date.late_fee.amount == Money("0.00")
    assert on_new_date.days_overdue == 0
    later = books.balance(pendulum.date(2027, 1, 10)).statement(NOV.number)
    assert later.late_fee.amount == Money("30.00")  # 1–10 January, not from 11 December
    assert later.late_fee.due_on == pendulum.date(2026, 12, 31)
    assert later.late_fee.segments[0].start == pendulum.date(2027, 1, 1)
    assert later.days_overdue == 10


def test_a_payment_by_the_new_due_date_owes_no_late_fee() -> None:
    books = Account(
        UNIT,
        events=(
            NOV,
            deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 3)),
            Receipt("BANK-1", Money("1000.00"), received_on=pendulum.date(2026, 12, 31)),
        ),
    )
    row = books.balance(pendulum.date(2027, 3, 1)).statement(NOV.number)
    assert row.state is StatementState.PAID
    assert row.late_fee.amount == Money("0.00")


def test_a_deferral_approved_after_the_old_due_date_removes_the_fee_accrued() -> None:
    # The deferral moves the due date itself: the fee is recomputed from the new one.
    books = Account(
        UNIT, events=(NOV, deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 15)))
    )
    assert books.balance(pendulum.date(2026, 12, 14)).statement(NOV.number).late_fee.amount == (
        Money("12.00")
    )
    assert books.balance(pendulum.date(2026, 12, 15)).statement(NOV.number).late_fee.amount == (
        Money("0.00")
    )


def test_the_state_is_deferred_until_the_new_due_date() -> None:
    books = Account(
        UNIT, events=(NOV, deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 3)))
    )

    def state(day: pendulum.Date) -> StatementState:
        return books.balance(day).statement(NOV.number).state

    assert state(pendulum.date(2026, 12, 2)) is StatementState.OPEN
    assert state(pendulum.date(2026, 12, 3)) is StatementState.DEFERRED
    assert state(pendulum.date(2026, 12, 31)) is StatementState.DEFERRED
    assert state(pendulum.date(2027, 1, 1)) is StatementState.OPEN


def test_a_second_deferral_moves_the_date_again() -> None:
    books = Account(
        UNIT,
        events=(
            NOV,
            deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 3)),
            deferral(pendulum.date(2027, 1, 15), pendulum.date(2026, 12, 20), "D-2"),
        ),
    )
    row = books.balance(pendulum.date(2027, 1, 20)).statement(NOV.number)
    assert row.due_on == pendulum.date(2027, 1, 15)
    assert row.deferrals == ("D-1", "D-2")
    assert row.late_fee.amount == Money("15.00")


@pytest.mark.parametrize("new_due", [pendulum.date(2026, 12, 10), pendulum.date(2026, 12, 9)])
def test_a_deferral_that_does_not_move_the_date_later_is_refused(new_due: pendulum.Date) -> None:
    with pytest.raises(RefusedChange, match="only moves it later"):
        Account(UNIT, events=(NOV, deferral(new_due, pendulum.date(2026, 12, 3))))


def test_a_deferral_of_an_unknown_statement_is_refused() -> None:
    other = Deferral(
        "D-1",
        "SUNRISE/2026-10/1-2-0301",
        pendulum.date(2026, 12, 31),
        OK,
        approved_on=pendulum.date(2026, 12, 3),
    )
    with pytest.raises(UnknownStatement, match="SUNRISE/2026-10/1-2-0301"):
        Account(UNIT, events=(NOV, other))


def test_the_dispute_window_follows_the_deferred_due_date() -> None:
    books = Account(
        UNIT,
        events=(
            NOV,
            deferral(pendulum.date(2026, 12, 31), pendulum.date(2026, 12, 3)),
            DisputeRaised(
                "DSP-1", NOV.number, pendulum.date(2026, 12, 26), "meter still under test"
            ),
        ),
    )
    assert books.balance(pendulum.date(2026, 12, 26)).statement(NOV.number).state is (
        StatementState.DISPUTED
    )


@settings(max_examples=30)
@given(accounts(waivers=False))
def test_no_late_fee_accrues_by_a_deferred_due_date(books: Account) -> None:
    for event in books.events:
        if isinstance(event, Deferral):
            row = books.balance(event.new_due_on).statement(event.statement)
            assert row.due_on == event.new_due_on
            assert row.late_fee.amount == Money("0.00")
            assert row.late_fee.days_counted == 0
