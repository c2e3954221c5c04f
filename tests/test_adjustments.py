"""Tests for receivables._adjustments: waivers, write-offs, credits, refunds, costs, corrections.

The issue: waivers (full or partial, of late fees or principal) and write-offs carry approver
and reason; none is hidden as a negative charge. A change that breaks an invariant is refused.
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings

from propcrm.billing import (
    Statement,
    opening_line,
    opening_statement,
)
from propcrm.errors import InvalidAmount, InvalidQuantity, RefusedChange
from propcrm.money import Money
from propcrm.receivables import (
    Account,
    AllocationOrder,
    AllocationPolicy,
    Authorisation,
    CollectionCost,
    Component,
    Correction,
    Credit,
    Deferral,
    LateFeeWaiver,
    PrincipalWaiver,
    Receipt,
    Refund,
    StatementState,
    WriteOff,
)
from propcrm.testing._account_strategies import accounts
from propcrm.time import BillingPeriod

UNIT = "1-2-0301"
OK = Authorisation("finance manager Li", "pipe burst in the unit; goodwill")
OCT: Statement = opening_statement(
    community="SUNRISE",
    unit_id=UNIT,
    period=BillingPeriod.month(2026, 10),
    amount=Money("1000.00"),
    due_on=pendulum.date(2026, 11, 10),
)
NOV_30 = pendulum.date(2026, 11, 30)
DEC_1 = pendulum.date(2026, 12, 1)
DEC_2 = pendulum.date(2026, 12, 2)


def account(*events: object, **kwargs: object) -> Account:
    return Account(UNIT, billed_party="owner-17", events=(OCT, *events), **kwargs)  # type: ignore[arg-type]


# -- authorisation ------------------------------------------------------------------------------


def test_an_authorisation_names_an_approver_and_a_reason() -> None:
    assert (OK.approver, OK.reason) == ("finance manager Li", "pipe burst in the unit; goodwill")


@pytest.mark.parametrize(("approver", "reason"), [("", "why"), ("who", "  "), (None, "why")])
def test_an_authorisation_without_approver_or_reason_is_refused(
    approver: object, reason: object
) -> None:
    with pytest.raises(InvalidQuantity, match="must be a non-empty str"):
        Authorisation(approver, reason)  # type: ignore[arg-type]


# -- late-fee waivers ---------------------------------------------------------------------------


def test_a_whole_late_fee_waiver_waives_what_has_accrued_by_its_day() -> None:
    books = account(LateFeeWaiver("W-1", OCT.number, OK, on=NOV_30))
    balance = books.balance(NOV_30).statement(OCT.number)
    assert balance.late_fee.amount == Money("60.00")
    assert balance.late_fee_waived == Money("60.00")
    assert balance.late_fee_outstanding == Money("0.00")
    # The fee keeps running on the unpaid principal after the waiver.
    later = books.balance(DEC_1).statement(OCT.number)
    assert later.late_fee_outstanding == Money("3.00")
    assert later.principal == Money("1000.00")  # not a negative charge: the statement stands
    assert later.statement.total == Money("1000.00")


def test_a_partial_late_fee_waiver() -> None:
    books = account(LateFeeWaiver("W-1", OCT.number, OK, on=NOV_30, amount=Money("20.00")))
    balance = books.balance(NOV_30).statement(OCT.number)
    assert (balance.late_fee_waived, balance.late_fee_outstanding) == (
        Money("20.00"),
        Money("40.00"),
    )


# A waiver forgives what is owed on its day, up to its amount: its acceptance must not depend on
# which receipts, deferrals or corrections are posted before or after it (issue 18).


def test_a_late_fee_waiver_above_what_is_owed_forgives_what_is_owed() -> None:
    books = account(LateFeeWaiver("W-1", OCT.number, OK, on=NOV_30, amount=Money("60.01")))
    row = books.balance(NOV_30).statement(OCT.number)
    assert (row.late_fee_waived, row.late_fee_outstanding) == (Money("60.00"), Money("0.00"))
    assert row.state is StatementState.OPEN  # the principal is still owed


def test_a_late_fee_waiver_when_no_fee_is_owed_forgives_nothing() -> None:
    books = account(LateFeeWaiver("W-1", OCT.number, OK, on=pendulum.date(2026, 11, 10)))
    row = books.balance(NOV_30).statement(OCT.number)
    assert row.late_fee_waived == Money("0.00")
    assert row.late_fee_outstanding == Money("60.00")


# -- principal waivers --------------------------------------------------------------------------


def test_a_partial_principal_waiver_stops_the_fee_on_the_waived_part() -> None:
    books = account(
        PrincipalWaiver(
            "W-1", OCT.number, OK, on=pendulum.date(2026, 11, 20), amount=Money("400.00")
        )
    )
    balance = books.balance(NOV_30).statement(OCT.number)
    assert balance.principal_waived == Money("400.00")
    assert balance.principal_outstanding == Money("600.00")
    assert balance.late_fee.amount == Money("48.00")  # 10 × 3.00 + 10 × 1.80
    assert "principal waiver W-1" in balance.late_fee.read


def test_a_whole_principal_waiver_waives_what_is_still_owed() -> None:
    books = account(
        Receipt("BANK-1", Money("300.00"), received_on=pendulum.date(2026, 11, 5)),
        PrincipalWaiver("W-1", OCT.number, OK, on=pendulum.date(2026, 11, 6)),
    )
    balance = books.balance(NOV_30).statement(OCT.number)
    assert balance.principal_waived == Money("700.00")
    assert balance.state is StatementState.WAIVED


def test_a_principal_waiver_above_what_is_owed_forgives_what_is_owed() -> None:
    books = account(PrincipalWaiver("W-1", OCT.number, OK, on=NOV_30, amount=Money("1000.01")))
    row = books.balance(NOV_30).statement(OCT.number)
    assert (row.principal_waived, row.principal_outstanding) == (Money("1000.00"), Money("0.00"))


def test_a_waiver_and_a_back_dated_deferral_are_accepted_in_either_order() -> None:
    # Issue 18: the deferral lowers the fee the receipt pays first, so the receipt settles the
    # principal and the waiver finds nothing left. It used to be refused as a waiver of 0.00 if
    # posted after the deferral, and to make the deferral refused if posted before it.
    deferral = Deferral(
        "D-1", OCT.number, pendulum.date(2026, 11, 29), OK, approved_on=pendulum.date(2026, 11, 1)
    )
    paid = Receipt("BANK-1", Money("1003.00"), received_on=NOV_30)
    waiver = PrincipalWaiver("W-1", OCT.number, OK, on=DEC_1)
    first = account().post(paid).post(waiver).post(deferral)
    second = account().post(paid).post(deferral).post(waiver)
    assert first == second == account(waiver, deferral, paid)
    row = first.balance(DEC_1).statement(OCT.number)
    assert (row.late_fee_paid, row.principal_paid) == (Money("3.00"), Money("1000.00"))
    assert row.principal_waived == Money("0.00")
    without = account(paid, waiver).balance(DEC_1).statement(OCT.number)
    assert without.principal_waived == Money("57.00")  # 20 late days took 60.00 of the receipt


def test_a_waiver_and_a_correction_raising_the_amount_are_accepted_in_either_order() -> None:
    raised = OCT.revised((opening_line(Money("2000.00")),))
    correction = Correction("C-1", raised, pendulum.date(2026, 11, 5), "meter misread")
    waiver = PrincipalWaiver("W-1", OCT.number, OK, on=NOV_30, amount=Money("1500.00"))
    first = account().post(waiver).post(correction)
    second = account().post(correction).post(waiver)
    assert first == second
    assert first.balance(NOV_30).statement(OCT.number).principal_waived == Money("1500.00")
    alone = account(waiver).balance(NOV_30).statement(OCT.number)
    assert alone.principal_waived == Money("1000.00")


def test_waiver_amounts_are_positive_and_rounded() -> None:
    with pytest.raises(InvalidAmount):
        LateFeeWaiver("W-1", OCT.number, OK, on=NOV_30, amount=Money("0.00"))
    with pytest.raises(InvalidAmount):
        PrincipalWaiver("W-1", OCT.number, OK, on=NOV_30, amount=Money("1.001"))


# -- write-offs ---------------------------------------------------------------------------------


def test_a_write_off_gives_up_everything_still_owed() -> None:
    books = account(
        Receipt("BANK-1", Money("100.00"), received_on=pendulum.date(2026, 11, 5)),
        CollectionCost("C-1", OCT.number, Money("50.00"), NOV_30, "lawyer's letter"),
        WriteOff("WO-1", OCT.number, OK, on=DEC_1),
    )
    balance = books.balance(pendulum.date(2027, 12, 31)).statement(OCT.number)
    assert balance.state is StatementState.WRITTEN_OFF
    assert balance.principal_written_off == Money("900.00")
    assert balance.late_fee_written_off == Money("56.70")  # 21 days × 2.70 to 1 December
    assert balance.late_fee.amount == Money("56.70")  # and it stops growing
    assert balance.costs == Money("50.00")
    assert balance.outstanding == Money("0.00")


def test_nothing_can_be_posted_against_a_written_off_statement() -> None:
    books = account(WriteOff("WO-1", OCT.number, OK, on=DEC_1))
    for event in (
        LateFeeWaiver("W-1", OCT.number, OK, on=pendulum.date(2026, 12, 2)),
        CollectionCost("C-1", OCT.number, Money("5.00"), pendulum.date(2026, 12, 2), "letter"),
    ):
        with pytest.raises(RefusedChange, match="was written off"):
            books.post(event)


def test_writing_off_a_statement_that_owes_nothing_closes_it_and_writes_off_nothing() -> None:
    books = account(
        Receipt("BANK-1", Money("1000.00"), received_on=pendulum.date(2026, 11, 5)),
        WriteOff("WO-1", OCT.number, OK, on=DEC_1),
    )
    row = books.balance(DEC_1).statement(OCT.number)
    assert row.state is StatementState.WRITTEN_OFF
    assert row.principal_written_off == row.late_fee_written_off == Money("0.00")
    with pytest.raises(RefusedChange, match="was written off"):
        books.post(CollectionCost("C-1", OCT.number, Money("5.00"), DEC_2, "letter"))


def test_a_receipt_after_a_write_off_becomes_credit() -> None:
    books = account(
        WriteOff("WO-1", OCT.number, OK, on=DEC_1),
        Receipt("BANK-1", Money("100.00"), received_on=pendulum.date(2026, 12, 2)),
    )
    assert books.balance(pendulum.date(2026, 12, 2)).credit == Money("100.00")


# -- credits, refunds and collection costs ------------------------------------------------------


def test_a_credit_needs_a_reason_and_settles_like_a_receipt() -> None:
    with pytest.raises(InvalidQuantity, match="reason"):
        Credit("CR-1", Money("1.00"), NOV_30, "")
    books = account(Credit("CR-1", Money("1100.00"), NOV_30, "transfer from unit 0302"))
    balance = books.balance(NOV_30)
    assert balance.statement(OCT.number).state is StatementState.PAID
    assert balance.credit == Money("40.00")  # 1,100 − 60 fee − 1,000 principal


def test_a_refund_of_the_credit_and_no_more() -> None:
    books = account(Credit("CR-1", Money("1100.00"), NOV_30, "transfer from unit 0302"))
    refunded = books.post(Refund("RF-1", Money("40.00"), DEC_1, OK))
    assert refunded.balance(DEC_1).credit == Money("0.00")
    assert refunded.balance(DEC_1).refunded == Money("40.00")
    with pytest.raises(RefusedChange, match="pays back credit only"):
        refunded.post(Refund("RF-2", Money("0.01"), DEC_1, OK))


def test_collection_costs_are_settled_first_under_the_civil_code() -> None:
    books = account(
        CollectionCost("C-1", OCT.number, Money("50.00"), NOV_30, "lawyer's letter"),
        Receipt("BANK-1", Money("100.00"), received_on=NOV_30),
    )
    (allocation,) = books.balance(NOV_30).allocations
    assert [(p.component, p.amount) for p in allocation.parts] == [
        (Component.COSTS, Money("50.00")),
        (Component.LATE_FEES, Money("50.00")),
    ]


def test_collection_costs_come_last_principal_first() -> None:
    books = account(
        CollectionCost("C-1", OCT.number, Money("50.00"), NOV_30, "lawyer's letter"),
        Receipt("BANK-1", Money("1100.00"), received_on=NOV_30),
        allocation=AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST),
    )
    (allocation,) = books.balance(NOV_30).allocations
    assert [p.component for p in allocation.parts] == [
        Component.PRINCIPAL,
        Component.LATE_FEES,
        Component.COSTS,
    ]
    assert allocation.to(OCT.number, Component.COSTS) == Money("40.00")


# -- corrections --------------------------------------------------------------------------------


def test_a_correction_carries_a_revision_of_the_statement() -> None:
    with pytest.raises(InvalidQuantity, match="must carry a revision"):
        Correction("COR-1", OCT, NOV_30, "area was wrong")
    fixed = Correction("COR-1", OCT.revised((opening_line(Money("800.00")),)), NOV_30, "area")
    assert fixed.statement == OCT.number
    assert fixed.dispute is None


def test_a_correction_below_a_waived_amount_lets_the_waiver_lapse() -> None:
    books = account(
        PrincipalWaiver(
            "W-1", OCT.number, OK, on=pendulum.date(2026, 11, 5), amount=Money("300.00")
        ),
        Correction(
            "COR-1", OCT.revised((opening_line(Money("200.00")),)), NOV_30, "area was wrong"
        ),
    )
    balance = books.balance(NOV_30)
    statement = balance.statement(OCT.number)
    assert statement.principal == Money("200.00")
    assert statement.principal_waived == Money("200.00")
    assert statement.principal_outstanding == Money("0.00")
    assert balance.credit == Money("0.00")  # a waiver was never money: nothing to refund


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=30)
@given(accounts())
def test_every_adjustment_carries_its_authorisation_and_nothing_is_a_negative_charge(
    books: Account,
) -> None:
    for event in books.events:
        if isinstance(event, LateFeeWaiver | PrincipalWaiver):
            assert event.authorisation.approver
            assert event.authorisation.reason
        if isinstance(event, Statement):
            assert all(not line.amount.is_negative for line in event.lines)
    balance = books.balance(pendulum.date(2100, 12, 31))
    for statement in balance.statements:
        assert statement.principal == statement.statement.total
        assert not statement.principal_waived.is_negative
        assert not statement.late_fee_waived.is_negative


def test_a_correction_lowering_the_fee_lets_the_waived_excess_lapse() -> None:
    books = account(
        LateFeeWaiver("W-1", OCT.number, OK, on=NOV_30),
        Correction("COR-1", OCT.revised((opening_line(Money("800.00")),)), DEC_1, "area was wrong"),
    )
    balance = books.balance(DEC_1)
    statement = balance.statement(OCT.number)
    assert statement.late_fee.amount == Money("50.40")  # 21 days × 0.3 % × 800.00
    assert statement.late_fee_waived == Money("50.40")  # 60.00 waived; 9.60 of it lapsed
    assert statement.late_fee_outstanding == Money("0.00")
    assert balance.credit == Money("0.00")
