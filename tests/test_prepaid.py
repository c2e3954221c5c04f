"""Prepaid balances: money paid in ahead settles each new notice on its issue date.

The scenario of issue 17: a household's prepaid balance settles November's notice on the day
it is issued and the rest is carried to December. And the rules every balance keeps: never
negative, balance + settled = top-ups − refunds to the fen, a settlement never more than the
notice owes, the account folding a settlement as the receipt it is.
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import Statement, opening_statement
from propcrm.errors import DuplicateReference, InsufficientPrepaid, PrepaidError
from propcrm.money import Money
from propcrm.receivables import (
    Account,
    AllocationPolicy,
    PrepaidBalance,
    PrepaidMovement,
    Receipt,
    StatementState,
)
from propcrm.serialization import dumps, loads
from propcrm.testing.strategies import prepaid_balances, prepaid_movements
from propcrm.time import BillingPeriod

UNIT = "1-2-0301"
SOME = settings(max_examples=60, deadline=None)


def notice(month: int, amount: str, year: int = 2026) -> Statement:
    period = BillingPeriod.month(year, month)
    return opening_statement(
        community="SUNRISE",
        unit_id=UNIT,
        period=period,
        amount=Money(amount),
        due_on=period.end.add(days=10),
    )


def funded(amount: str = "600.00", on: pendulum.Date | None = None) -> PrepaidBalance:
    return PrepaidBalance(UNIT, "owner-17").top_up(
        "BANK-20261020-01", Money(amount), on=on or pendulum.date(2026, 10, 20)
    )


# -- scenarios ------------------------------------------------------------------------------------


def test_the_balance_settles_novembers_notice_on_its_issue_date_and_carries_the_rest() -> None:
    november = notice(11, "250.24")
    prepaid, account = funded().settle(Account(UNIT, "owner-17"), november)
    issued = november.issued_on
    assert prepaid.balance == Money("349.76")
    (settlement,) = [m for m in prepaid.movements if m.kind == "settlement"]
    assert (settlement.on, settlement.statement) == (issued, november.number)
    row = account.balance(issued).statement(november.number)
    assert row.state is StatementState.PAID
    assert row.principal_paid == Money("250.24")
    # Nothing is overdue, so no late fee ever runs on it.
    assert account.owed(issued.add(days=60)) == ()
    # December's notice takes what was carried.
    december = notice(12, "250.24")
    prepaid, account = prepaid.settle(account, december)
    assert prepaid.balance == Money("99.52")
    assert account.owed(december.due_on.add(days=1)) == ()
    # January's is settled in part: the rest is owed, and late from its due date.
    january = notice(1, "250.24", year=2027)
    prepaid, account = prepaid.settle(account, january)
    assert prepaid.balance == Money("0.00")
    (owed,) = account.owed(january.due_on.add(days=1))
    assert owed.principal == Money("150.72")
    assert prepaid.describe("en_US") == (
        "2026-10-20 top-up BANK-20261020-01: +CN¥600.00; balance CN¥600.00",
        f"2026-11-30 settlement of notice {november.number}: −CN¥250.24; balance CN¥349.76",
        f"2026-12-31 settlement of notice {december.number}: −CN¥250.24; balance CN¥99.52",
        f"2027-01-31 settlement of notice {january.number}: −CN¥99.52; balance CN¥0.00",
        "balance CN¥0.00 = topped up CN¥600.00 − settled CN¥600.00 − refunded CN¥0.00",
    )
    assert prepaid.describe()[0] == "2026-10-20 预存 BANK-20261020-01：+¥600.00；余额¥600.00"


def test_the_settlement_is_a_receipt_the_account_folds() -> None:
    november = notice(11, "250.24")
    prepaid, account = funded().settle(Account(UNIT), november)
    (receipt,) = account.receipts()
    assert receipt == Receipt(
        f"prepaid:{november.number}",
        Money("250.24"),
        received_on=november.issued_on,
        designation=(november.number,),
    )
    assert prepaid.movement(receipt.reference).receipt() == receipt


def test_settling_twice_settles_once() -> None:
    november = notice(11, "250.24")
    once = funded().settle(Account(UNIT), november)
    assert once[0].settle(once[1], november) == once


def test_a_notice_already_paid_takes_nothing() -> None:
    november = notice(11, "250.24")
    account = Account(UNIT).post(
        november, Receipt("BANK-1", Money("250.24"), received_on=november.issued_on)
    )
    prepaid, after = funded().settle(account, november)
    assert prepaid == funded()
    assert after == account


def test_account_credit_settles_first_and_the_balance_only_the_rest() -> None:
    """Money already on the account (an overpayment) settles the notice before prepaid money."""
    credit = Account(UNIT).post(
        Receipt("BANK-0", Money("100.00"), received_on=pendulum.date(2026, 11, 5))
    )
    prepaid, _ = funded().settle(credit, notice(11, "250.24"))
    assert prepaid.settled == Money("150.24")


def test_a_later_refund_limits_what_a_settlement_may_take() -> None:
    """A refund already paid on 5 December: November's settlement may not leave it overdrawn."""
    prepaid = funded("300.00").refund("R-1", Money("200.00"), on=pendulum.date(2026, 12, 5))
    prepaid, _ = prepaid.settle(Account(UNIT), notice(11, "250.24"))
    assert prepaid.settled == Money("100.00")
    assert prepaid.balance == Money("0.00")


def test_without_designation_the_account_allocates_the_settlement_in_its_own_order() -> None:
    """An account that honours no designation pays the oldest arrears first, no more in all.

    October's notice is 20 days late on 30 November: its late fee (80.00 × 0.3 % × 20 = 4.80)
    and principal come first (Civil Code art. 561), the rest goes to November's.
    """
    october, november = notice(10, "80.00"), notice(11, "250.24")
    account = Account(UNIT, allocation=AllocationPolicy(honour_designation=False)).post(october)
    prepaid, account = funded().settle(account, november)
    assert prepaid.settled == Money("250.24")
    balance = account.balance(november.issued_on)
    assert balance.statement(october.number).principal_outstanding == Money("0.00")
    assert balance.statement(october.number).late_fee_paid == Money("4.80")
    assert balance.statement(november.number).principal_outstanding == Money("84.80")


def test_a_refund_above_the_balance_is_refused() -> None:
    with pytest.raises(InsufficientPrepaid) as refused:
        funded().refund("R-1", Money("600.01"), on=pendulum.date(2026, 11, 1))
    assert refused.value.allowed == "at most 600.00"
    # A refund dated before the top-up finds nothing to pay back.
    with pytest.raises(InsufficientPrepaid):
        funded().refund("R-1", Money("1.00"), on=pendulum.date(2026, 10, 19))


def test_a_reference_reused_for_another_movement_is_refused() -> None:
    with pytest.raises(DuplicateReference):
        funded().top_up("BANK-20261020-01", Money("1.00"), on=pendulum.date(2026, 11, 1))
    # The same movement twice is one movement.
    assert (
        funded().top_up("BANK-20261020-01", Money("600.00"), on=pendulum.date(2026, 10, 20))
        == funded()
    )


def test_a_settlement_names_its_notice_and_only_it() -> None:
    day = pendulum.date(2026, 11, 30)
    with pytest.raises(PrepaidError):
        PrepaidMovement("settlement", "prepaid:S", Money("1.00"), day)
    with pytest.raises(PrepaidError):
        PrepaidMovement("top_up", "B-1", Money("1.00"), day, statement="S")
    with pytest.raises(PrepaidError):
        PrepaidMovement("settlement", "other", Money("1.00"), day, statement="S")
    with pytest.raises(PrepaidError):
        PrepaidMovement("top_up", "B-1", Money("1.00"), day).receipt()


def test_one_partys_money_does_not_settle_anothers_notices() -> None:
    """A flat sold to a new owner: the old owner's prepaid money is not the buyer's."""
    with pytest.raises(PrepaidError):
        funded().settle(Account(UNIT, "owner-18"), notice(11, "250.24"))


def test_movements_in_any_order_give_the_same_balance() -> None:
    prepaid, _ = funded().settle(Account(UNIT), notice(11, "250.24"))
    assert PrepaidBalance(UNIT, "owner-17", movements=reversed(prepaid.movements)) == prepaid


# -- properties ----------------------------------------------------------------------------------


@SOME
@given(prepaid_balances())
def test_balance_plus_settled_is_top_ups_less_refunds_to_the_fen(prepaid: PrepaidBalance) -> None:
    assert prepaid.balance + prepaid.settled == prepaid.topped_up - prepaid.refunded
    assert not prepaid.balance.is_negative
    running = Money("0.00")
    for movement in prepaid.movements:
        running += movement.signed
        assert not running.is_negative
        assert prepaid.balance_on(movement.on) >= Money("0.00")
    assert loads(dumps(prepaid), PrepaidBalance) == prepaid


@SOME
@given(
    prepaid_balances(),
    st.integers(0, 200_000).map(Money.from_minor_units),
    st.integers(0, 100_000).map(Money.from_minor_units),
)
def test_settling_never_pays_more_than_the_notice(
    prepaid: PrepaidBalance, amount: Money, paid: Money
) -> None:
    later = notice(12, str(amount.amount), year=2027)
    account = Account(UNIT)
    if paid.is_positive:
        account = account.post(
            later, Receipt("BANK-X", paid, received_on=later.issued_on.subtract(days=1))
        )
    after, folded = prepaid.settle(account, later)
    taken = prepaid.balance - after.balance
    assert taken == after.settled - prepaid.settled
    assert taken <= later.total
    assert taken <= prepaid.balance
    owed = folded.balance(later.issued_on).statement(later.number).principal_outstanding
    assert owed == max(later.total - paid - taken, Money("0.00"))
    assert taken.is_zero or owed.is_zero or after.balance.is_zero


@SOME
@given(prepaid_movements())
def test_a_movement_round_trips_and_describes_itself(movement: PrepaidMovement) -> None:
    assert loads(dumps(movement), PrepaidMovement) == movement
    assert movement.reference in movement.describe() or movement.statement in movement.describe()
