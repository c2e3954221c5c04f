"""Tests for receivables._receipts: money received, from the day the bank's receipt arrives.

Domain brief §2: a payment counts from the day the bank's receipt (回单) reaches the company.
The issue: posting is idempotent on the reference; an occupant paying for the owner is recorded
as such and the owner stays liable.
"""

from __future__ import annotations

import datetime
from typing import Any

import pendulum
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    opening_statement,
)
from propcrm.errors import InvalidAmount, InvalidQuantity, UnknownStatement
from propcrm.money import Money
from propcrm.receivables import (
    Account,
    PayerRole,
    Receipt,
    StatementState,
)
from propcrm.testing._account_strategies import (
    PaymentHistory,
    late_fee_policies,
    payment_histories,
    receipts,
)
from propcrm.time import BillingPeriod

NOV_30 = pendulum.date(2026, 11, 30)


def test_a_receipt_is_effective_on_the_day_the_bank_receipt_arrives() -> None:
    r = Receipt(
        "BANK-20261130-01", Money("1000.00"), received_on=NOV_30, paid_on=pendulum.date(2026, 11, 8)
    )
    assert r.on == r.received_on == NOV_30
    assert r.paid_on == pendulum.date(2026, 11, 8)
    assert (r.payer, r.role, r.designation) == (None, PayerRole.BILLED_PARTY, ())


def test_dates_are_converted_to_pendulum_dates() -> None:
    r = Receipt("BANK-1", Money("1.00"), received_on=datetime.date(2026, 11, 30))
    assert isinstance(r.received_on, pendulum.Date)


def test_a_date_given_as_text_is_refused() -> None:
    with pytest.raises(TypeError, match="expected a date"):
        Receipt("BANK-1", Money("1.00"), received_on="2026-11-30")  # type: ignore[arg-type]


def test_the_payer_may_not_have_paid_after_the_bank_receipt_arrived() -> None:
    with pytest.raises(InvalidQuantity, match="paid on 2026-12-01, after its bank receipt"):
        Receipt("BANK-1", Money("1.00"), received_on=NOV_30, paid_on=pendulum.date(2026, 12, 1))


@pytest.mark.parametrize("reference", ["", "   ", " BANK-1", "BANK-1 ", None])
def test_a_reference_is_a_non_empty_trimmed_str(reference: object) -> None:
    with pytest.raises(InvalidQuantity, match="reference"):
        Receipt(reference, Money("1.00"), received_on=NOV_30)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [Money("0.00"), Money("-5.00"), Money("1.005"), "1.005", 1.0])
def test_an_amount_is_positive_money_rounded_to_the_fen(amount: object) -> None:
    with pytest.raises(InvalidAmount, match="amount"):
        Receipt("BANK-1", amount, received_on=NOV_30)  # type: ignore[arg-type]


@pytest.mark.parametrize("role", [PayerRole.OCCUPANT_FOR_OWNER, PayerRole.THIRD_PARTY])
def test_someone_other_than_the_billed_party_must_be_named(role: PayerRole) -> None:
    with pytest.raises(InvalidQuantity, match="name the payer"):
        Receipt("BANK-1", Money("1.00"), received_on=NOV_30, role=role)


def test_an_occupant_paying_for_the_owner_is_recorded_as_such() -> None:
    r = Receipt(
        "BANK-1",
        Money("1.00"),
        received_on=NOV_30,
        payer="tenant-3",
        role=PayerRole.OCCUPANT_FOR_OWNER,
    )
    assert (r.payer, r.role.value) == ("tenant-3", "occupant_for_owner")


@pytest.mark.parametrize("designation", ["S/2026-11/U", ("A", "A"), ("",), (1,)])
def test_a_designation_lists_distinct_statement_numbers(designation: object) -> None:
    with pytest.raises(InvalidQuantity, match="designation"):
        Receipt("BANK-1", Money("1.00"), received_on=NOV_30, designation=designation)  # type: ignore[arg-type]


def test_a_designation_list_becomes_a_tuple() -> None:
    r = Receipt("BANK-1", Money("1.00"), received_on=NOV_30, designation=["A", "B"])  # type: ignore[arg-type]
    assert r.designation == ("A", "B")


# -- receipts on an account ---------------------------------------------------------------------


def november(amount: str = "1000.00") -> Account:
    statement = opening_statement(
        community="SUNRISE",
        unit_id="1-2-0301",
        period=BillingPeriod.month(2026, 11),
        amount=Money(amount),
        due_on=pendulum.date(2026, 12, 10),
        billed_party="owner-17",
    )
    return Account("1-2-0301", billed_party="owner-17").post(statement)


def test_a_designation_on_an_account_is_honoured_by_number() -> None:
    books = november()
    number = books.events[0].number  # type: ignore[union-attr]
    r = Receipt("BANK-1", Money("10.00"), received_on=NOV_30, designation=(number,))
    (allocation,) = books.post(r).balance(NOV_30).allocations
    assert allocation.designation == (number,)
    assert allocation.designation_honoured


def test_a_designation_of_a_statement_the_account_does_not_hold_is_refused() -> None:
    r = Receipt("BANK-1", Money("10.00"), received_on=NOV_30, designation=("S/2026-09/U",))
    with pytest.raises(UnknownStatement, match=r"S/2026-09/U"):
        november().post(r)


def test_the_owner_stays_liable_whoever_pays() -> None:
    by_tenant = Receipt(
        "BANK-1",
        Money("400.00"),
        received_on=NOV_30,
        payer="tenant-3",
        role=PayerRole.OCCUPANT_FOR_OWNER,
    )
    by_company = Receipt(
        "BANK-2",
        Money("100.00"),
        received_on=NOV_30,
        payer="employer-9",
        role=PayerRole.THIRD_PARTY,
    )
    books = november().post(by_tenant, by_company)
    assert books.paid_by_others() == (by_tenant, by_company)
    row = books.balance(pendulum.date(2026, 12, 31)).statements[0]
    assert row.state is StatementState.PARTLY_PAID
    assert row.principal_outstanding == Money("500.00")
    assert row.statement.billed_party == books.billed_party == "owner-17"


# -- the strategies -----------------------------------------------------------------------------

few = settings(max_examples=40)


@few
@given(receipts(min_amount=Money("5.00"), max_amount=Money("20.00"), designation=("A", "B")))
def test_drawn_receipts_are_valid_and_within_bounds(r: Receipt) -> None:
    assert Money("5.00") <= r.amount <= Money("20.00")
    assert r.reference.startswith(f"BANK-{r.received_on:%Y%m%d}-")
    assert r.paid_on is None or r.paid_on <= r.received_on
    assert (r.payer is None) == (r.role is PayerRole.BILLED_PARTY)
    assert set(r.designation) <= {"A", "B"}


@few
@given(payment_histories(max_receipts=3, max_days_late=30))
def test_a_payment_history_never_pays_more_than_the_principal(history: PaymentHistory) -> None:
    assert history.paid <= history.principal
    assert len({r.reference for r in history.receipts}) == len(history.receipts)
    for r in history.receipts:
        assert history.statement.issued_on <= r.on <= history.due_on.add(days=30)
    balance = history.account().balance(history.due_on.add(days=31))
    (row,) = balance.statements
    assert balance.credit == Money("0.00")
    assert row.principal_paid + row.late_fee_paid == history.paid


@few
@given(payment_histories(paid_in_full=True, max_days_late=0))
def test_a_history_paid_in_full_by_the_due_date_closes_the_statement(
    history: PaymentHistory,
) -> None:
    assert history.paid == history.principal
    (row,) = history.account().balance(history.due_on.add(days=60)).statements
    assert row.state is StatementState.PAID
    assert row.late_fee.amount == Money("0.00")


@few
@given(payment_histories(paid_in_full=False))
def test_a_history_left_partly_unpaid_still_owes(history: PaymentHistory) -> None:
    assert history.paid < history.principal


def test_strategies_refuse_impossible_bounds() -> None:
    with pytest.raises(ValueError, match="above"):
        receipts(min_amount=Money("2.00"), max_amount=Money("1.00"))
    with pytest.raises(ValueError, match="positive"):
        receipts(min_amount=Money("0.00"))
    with pytest.raises(ValueError, match="USD"):
        receipts(min_amount=Money("1.00", "USD"), currency="CNY")
    with pytest.raises(ValueError, match="max_receipts"):
        payment_histories(max_receipts=-1)


minimal = settings(database=None, phases=[Phase.generate, Phase.shrink])


def simplest(strategy: st.SearchStrategy[Any]) -> Any:
    return find(strategy, lambda _: True, settings=minimal)


def test_receipts_shrink_to_a_fen_from_the_billed_party_on_new_years_day_2000() -> None:
    assert simplest(receipts()) == Receipt(
        "BANK-20000101-01", Money("0.01"), received_on=pendulum.date(2000, 1, 1)
    )


def test_payment_histories_shrink_to_an_unpaid_fen_for_january_2000() -> None:
    history = simplest(payment_histories())
    assert history.receipts == ()
    assert history.principal == Money("0.01")
    assert history.statement.period == BillingPeriod.month(2000, 1)
    assert history.due_on == pendulum.date(2000, 2, 10)
    assert history.statement.late_fee == DEFAULT_LATE_FEE


def test_late_fee_policies_shrink_to_the_briefs_default() -> None:
    assert simplest(late_fee_policies()) == DEFAULT_LATE_FEE


def test_the_strategies_never_read_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_clock(*_args: object, **_kwargs: object) -> Any:
        raise AssertionError("a strategy read the wall clock")

    for name in ("now", "today", "tomorrow", "yesterday"):
        monkeypatch.setattr(pendulum, name, no_clock)

    @settings(max_examples=20, database=None)
    @given(receipts(), payment_histories(policies=late_fee_policies()))
    def draw(r: Receipt, history: PaymentHistory) -> None:
        assert r.on.year <= 2099
        assert history.statement.issued_on.year <= 2100

    draw()
