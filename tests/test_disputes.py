"""Tests for receivables._disputes: the window to raise a dispute and what an outcome does.

Domain brief §2: a dispute must be raised at least 5 days before the payment deadline and is
no excuse for paying late. The issue: a later one is refused with an error that gives the last
allowed date; an upheld dispute corrects the statement and late fees follow the corrected amount.
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    opening_line,
    opening_statement,
)
from propcrm.errors import (
    AccountError,
    DisputeTooLate,
    DuplicateReference,
    InvalidPolicy,
    InvalidQuantity,
    RefusedChange,
)
from propcrm.money import Money
from propcrm.receivables import (
    DEFAULT_DISPUTES,
    Account,
    DisputePolicy,
    DisputeRaised,
    DisputeResolved,
    Receipt,
    StatementState,
)
from propcrm.receivables._disputes import DEFAULT_DISPUTE_NOTICE_DAYS
from propcrm.time import BillingPeriod

UNIT = "1-2-0301"
DUE = pendulum.date(2026, 12, 10)
NOV = opening_statement(
    community="SUNRISE",
    unit_id=UNIT,
    period=BillingPeriod.month(2026, 11),
    amount=Money("1000.00"),
    due_on=DUE,
)
CORRECTED = NOV.revised((opening_line(Money("600.00")),))


def raised(on: pendulum.Date, reference: str = "DSP-1") -> DisputeRaised:
    return DisputeRaised(reference, NOV.number, on, "the water reading is double last month's")


def upheld(on: pendulum.Date, reference: str = "DSP-1") -> DisputeResolved:
    return DisputeResolved(reference, True, on, "meter misread", corrected=CORRECTED)


# -- the window ---------------------------------------------------------------------------------


def test_disputes_are_raised_at_least_five_days_before_the_due_date() -> None:
    assert DEFAULT_DISPUTE_NOTICE_DAYS == 5
    assert DisputePolicy(5) == DEFAULT_DISPUTES
    assert DEFAULT_DISPUTES.last_day_to_raise(DUE) == pendulum.date(2026, 12, 5)


def test_a_dispute_on_the_last_allowed_day_is_accepted() -> None:
    DEFAULT_DISPUTES.check_raised_in_time(NOV.number, DUE, pendulum.date(2026, 12, 5))
    books = Account(UNIT, events=(NOV, raised(pendulum.date(2026, 12, 5))))
    assert books.balance(DUE).statement(NOV.number).state is StatementState.DISPUTED


def test_a_dispute_one_day_too_late_is_refused_with_the_last_allowed_date() -> None:
    with pytest.raises(DisputeTooLate) as refused:
        Account(UNIT, events=(NOV, raised(pendulum.date(2026, 12, 6))))
    message = str(refused.value)
    assert "raised on 2026-12-06 is too late" in message
    assert "due on 2026-12-10" in message
    assert "by 2026-12-05 at the latest" in message
    assert isinstance(refused.value, AccountError)


def test_a_dispute_after_the_due_date_is_refused() -> None:
    with pytest.raises(DisputeTooLate, match="2026-12-05"):
        Account(UNIT, events=(NOV, raised(pendulum.date(2026, 12, 20))))


def test_the_notice_is_a_policy_value() -> None:
    policy = DisputePolicy(min_days_before_due=0)
    books = Account(UNIT, disputes=policy, events=(NOV, raised(DUE)))
    assert books.balance(DUE).statement(NOV.number).state is StatementState.DISPUTED
    with pytest.raises(DisputeTooLate, match="at least 10 days before, by 2026-11-30"):
        DisputePolicy(10).check_raised_in_time("S", DUE, pendulum.date(2026, 12, 1))


@pytest.mark.parametrize("days", [-1, 367, True, "5"])
def test_a_notice_out_of_range_is_refused(days: object) -> None:
    with pytest.raises(InvalidPolicy, match="dispute notice"):
        DisputePolicy(days)  # type: ignore[arg-type]


@settings(max_examples=50)
@given(st.integers(min_value=0, max_value=60), st.integers(min_value=-90, max_value=90))
def test_the_window_closes_exactly_on_the_last_allowed_day(notice: int, offset: int) -> None:
    policy = DisputePolicy(notice)
    last = policy.last_day_to_raise(DUE)
    assert (DUE - last).days == notice
    day = last.add(days=offset)
    if offset <= 0:
        policy.check_raised_in_time("S", DUE, day)
    else:
        with pytest.raises(DisputeTooLate, match=last.isoformat()):
            policy.check_raised_in_time("S", DUE, day)


# -- what a dispute does ------------------------------------------------------------------------


def test_an_open_dispute_does_not_stop_late_fees() -> None:
    books = Account(UNIT, events=(NOV, raised(pendulum.date(2026, 12, 1))))
    row = books.balance(pendulum.date(2026, 12, 30)).statement(NOV.number)
    assert row.state is StatementState.DISPUTED
    assert row.open_disputes == ("DSP-1",)
    assert row.late_fee.amount == Money("60.00")


def test_a_rejected_dispute_leaves_the_statement_and_its_fee() -> None:
    rejected = DisputeResolved("DSP-1", False, pendulum.date(2026, 12, 20), "reading confirmed")
    books = Account(UNIT, events=(NOV, raised(pendulum.date(2026, 12, 1)), rejected))
    row = books.balance(pendulum.date(2026, 12, 30)).statement(NOV.number)
    assert row.state is StatementState.OPEN
    assert row.open_disputes == ()
    assert row.principal == Money("1000.00")
    assert row.late_fee.amount == Money("60.00")


def test_an_upheld_dispute_corrects_the_statement_and_the_fee_follows_the_corrected_amount() -> (
    None
):
    books = Account(
        UNIT, events=(NOV, raised(pendulum.date(2026, 12, 1)), upheld(pendulum.date(2026, 12, 20)))
    )
    row = books.balance(pendulum.date(2026, 12, 30)).statement(NOV.number)
    assert row.number == CORRECTED.number
    assert row.principal == Money("600.00")
    assert row.late_fee.amount == Money("36.00")  # 20 days × 0.3 % × 600.00, from 11 December
    assert row.late_fee.principal == Money("600.00")
    assert row.state is StatementState.OPEN
    before = books.balance(pendulum.date(2026, 12, 19)).statement(NOV.number)
    assert (before.principal, before.state) == (Money("1000.00"), StatementState.DISPUTED)


def test_an_upheld_dispute_returns_what_was_paid_above_the_corrected_amount_as_credit() -> None:
    books = Account(
        UNIT,
        events=(
            NOV,
            raised(pendulum.date(2026, 12, 1)),
            Receipt("BANK-1", Money("1000.00"), received_on=pendulum.date(2026, 12, 8)),
            upheld(pendulum.date(2026, 12, 20)),
        ),
    )
    balance = books.balance(pendulum.date(2026, 12, 30))
    assert balance.statement(NOV.number).state is StatementState.PAID
    assert balance.credit == Money("400.00")


def test_a_fee_paid_on_the_disputed_amount_above_the_corrected_fee_comes_back_as_credit() -> None:
    books = Account(
        UNIT,
        events=(
            NOV,
            raised(pendulum.date(2026, 12, 1)),
            Receipt("BANK-1", Money("1030.00"), received_on=pendulum.date(2026, 12, 20)),
            upheld(pendulum.date(2026, 12, 21)),
        ),
    )
    balance = books.balance(pendulum.date(2026, 12, 21))
    row = balance.statement(NOV.number)
    # 30.00 of fee on 1,000 was paid; on 600 the fee to the 20th is 18.00.
    assert row.late_fee.amount == Money("18.00")
    assert row.late_fee_paid == Money("18.00")
    assert row.state is StatementState.PAID
    assert balance.credit == Money("412.00")  # 400.00 of principal and 12.00 of fee


def test_resolving_a_dispute_that_is_not_open_is_refused() -> None:
    with pytest.raises(RefusedChange, match="resolves no open dispute"):
        Account(UNIT, events=(NOV, upheld(pendulum.date(2026, 12, 20))))
    with pytest.raises(RefusedChange, match="on or before that day"):
        Account(
            UNIT,
            events=(
                NOV,
                raised(pendulum.date(2026, 12, 5)),
                DisputeResolved("DSP-1", False, pendulum.date(2026, 12, 4), "resolved too early"),
            ),
        )


def test_a_second_outcome_of_the_same_dispute_is_refused() -> None:
    books = Account(
        UNIT,
        events=(
            NOV,
            raised(pendulum.date(2026, 12, 1)),
            DisputeResolved("DSP-1", False, pendulum.date(2026, 12, 2), "rejected"),
        ),
    )
    with pytest.raises(DuplicateReference, match=r"effective 2026-12-02.*effective 2026-12-03"):
        books.post(DisputeResolved("DSP-1", False, pendulum.date(2026, 12, 3), "rejected again"))


def test_an_upheld_dispute_must_carry_the_correction_and_a_rejected_one_none() -> None:
    with pytest.raises(InvalidQuantity, match="must carry the corrected statement"):
        DisputeResolved("DSP-1", True, DUE, "meter misread")
    with pytest.raises(InvalidQuantity, match="corrects nothing"):
        DisputeResolved("DSP-1", False, DUE, "reading confirmed", corrected=CORRECTED)


def test_a_dispute_needs_a_reason() -> None:
    with pytest.raises(InvalidQuantity, match="reason"):
        DisputeRaised("DSP-1", NOV.number, DUE, " ")
    dispute = DisputeRaised("DSP-1", NOV.number, pendulum.date(2026, 12, 1), "x", Money("1.00"))
    assert dispute.on == pendulum.date(2026, 12, 1)
    assert dispute.amount == Money("1.00")


def test_an_upheld_dispute_must_correct_the_disputed_statement() -> None:
    december = opening_statement(
        community="SUNRISE",
        unit_id=UNIT,
        period=BillingPeriod.month(2026, 12),
        amount=Money("1000.00"),
        due_on=pendulum.date(2027, 1, 10),
    )
    wrong = DisputeResolved(
        "DSP-1",
        True,
        pendulum.date(2026, 12, 20),
        "meter misread",
        corrected=december.revised((opening_line(Money("600.00")),)),
    )
    with pytest.raises(RefusedChange, match="supersedes SUNRISE/2026-12/1-2-0301"):
        Account(UNIT, events=(NOV, raised(pendulum.date(2026, 12, 1)), wrong))
