"""Raw receipts re-allocated over columns equal the per-account fold's allocations, to the fen."""

from __future__ import annotations

import pendulum
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propcrm.billing import Statement, opening_statement
from propcrm.errors import DuplicateAccount, InvalidType, NotADate
from propcrm.money import Money
from propcrm.portfolio import (
    POLICY_SCHEMA,
    RECEIPT_SCHEMA,
    facts_from_accounts,
    month_end,
    raw_facts_from_accounts,
    reallocate,
)
from propcrm.receivables import Account, AllocationOrder, AllocationPolicy, LateFeeWaiver, Receipt
from propcrm.testing.strategies import accounts, late_fee_policies
from propcrm.time import BillingPeriod

ANY_ORDER = accounts(
    policies=late_fee_policies(compounding=False),
    deferrals=False,
    waivers=False,
    max_statements=3,
    max_receipts=5,
)


@st.composite
def books(draw: st.DrawFn) -> tuple[list[Account], pendulum.Date]:
    listed = draw(st.lists(ANY_ORDER, min_size=1, max_size=4))
    chosen = list({a.unit_id: a for a in listed}.values())
    first = min(e.issued_on for a in chosen for e in a.events if isinstance(e, Statement))
    return chosen, first.add(days=draw(st.integers(0, 500)))


def _raw(chosen: list[Account], as_of: pendulum.Date) -> tuple[pl.DataFrame, ...]:
    """The ledgers' facts, and the statements as billed, the raw receipts, each policy."""
    raw = raw_facts_from_accounts(chosen, as_of)
    return facts_from_accounts(chosen, as_of), raw.statements, raw.receipts, raw.policies


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=books())
def test_reallocated_facts_equal_the_ledgers_on_every_account(case):
    chosen, as_of = case
    facts, statements, receipts, policies = _raw(chosen, as_of)
    result = reallocate(statements, receipts, policies, as_of)
    assert result.explain == ()
    assert result.facts.statements.equals(facts.statements)
    assert result.facts.reductions.equals(facts.reductions)
    assert result.facts.deferrals.height == result.facts.disputes.height == 0
    got = month_end(result.facts, as_of)
    assert got.statements.equals(month_end(facts, as_of).statements)


def _account(unit: str, order: AllocationOrder, *events: object) -> Account:
    nov = opening_statement(
        community="SUNRISE",
        unit_id=unit,
        period=BillingPeriod.month(2026, 11),
        amount=Money("1000.00"),
        due_on=pendulum.date(2026, 12, 10),
    )
    dec = opening_statement(
        community="SUNRISE",
        unit_id=unit,
        period=BillingPeriod.month(2026, 12),
        amount=Money("800.00"),
        due_on=pendulum.date(2027, 1, 10),
    )
    return Account(unit, allocation=AllocationPolicy(order)).post(nov, dec, *events)


AS_OF = pendulum.date(2027, 2, 28)


@pytest.mark.parametrize("order", list(AllocationOrder))
def test_both_orders_designations_and_credit_carried_to_a_later_statement(order):
    d = pendulum.date
    book = [
        _account(
            "A",
            order,
            Receipt("B-1", Money("300.00"), received_on=d(2026, 12, 25)),
            Receipt("B-2", Money("2500.00"), received_on=d(2027, 1, 20)),
        ),
        _account(
            "B",
            order,
            Receipt(
                "B-1",
                Money("500.00"),
                received_on=d(2027, 1, 15),
                designation=("SUNRISE/2026-12/B",),
            ),
        ),
        _account("C", order, Receipt("B-1", Money("1500.00"), received_on=d(2026, 11, 5))),
    ]
    facts, statements, receipts, policies = _raw(book, AS_OF)
    result = reallocate(statements, receipts, policies, AS_OF)
    assert result.explain == ()
    assert result.facts.statements.equals(facts.statements)
    assert result.facts.reductions.equals(facts.reductions)


def test_accounts_it_does_not_model_are_named_and_left_out():
    d = pendulum.date
    waived = _account(
        "W",
        AllocationOrder.CIVIL_CODE,
        LateFeeWaiver("LW-1", "SUNRISE/2026-11/W", _ok(), on=d(2027, 1, 5)),
    )
    plain = _account("P", AllocationOrder.CIVIL_CODE)
    _, statements, receipts, policies = _raw([waived, plain], AS_OF)
    early = pl.DataFrame(
        {
            "account": ["P"],
            "reference": ["B-9"],
            "received_on": [d(2026, 11, 1)],
            "amount_fen": [100],
            "designation": [["SUNRISE/2026-12/P"]],  # not issued yet on the day
        },
        schema={name: receipts.schema[name] for name in RECEIPT_SCHEMA},
    )
    result = reallocate(statements, pl.concat([receipts, early]), policies, AS_OF)
    assert result.explain == ("P", "W")
    assert result.facts.statements.height == 0


def _ok():
    from propcrm.receivables import Authorisation

    return Authorisation("manager Wang", "agreed with the owner")


def test_an_account_without_a_policy_row_takes_the_default():
    book = [
        _account(
            "A",
            AllocationOrder.CIVIL_CODE,
            Receipt("B-1", Money("300.00"), received_on=pendulum.date(2027, 1, 25)),
        )
    ]
    facts, statements, receipts, _ = _raw(book, AS_OF)
    none = pl.DataFrame(
        schema={"account": pl.String, "order": pl.String, "honour_designation": pl.Boolean}
    )
    assert reallocate(statements, receipts, none, AS_OF).facts.statements.equals(facts.statements)


def test_bad_frames_and_orders_are_refused():
    book = [_account("A", AllocationOrder.CIVIL_CODE)]
    _, statements, receipts, policies = _raw(book, AS_OF)
    with pytest.raises(InvalidType) as caught:
        reallocate(statements, receipts, policies.with_columns(order=pl.lit("newest")), AS_OF)
    assert caught.value.value == ("newest",)
    with pytest.raises(InvalidType) as caught:
        reallocate(statements.drop("issued_on"), receipts, policies, AS_OF)
    assert caught.value.field == "statements"
    with pytest.raises(InvalidType):
        reallocate(statements, [("A", "B-1")], policies, AS_OF)
    assert set(POLICY_SCHEMA) == {"account", "order", "honour_designation"}


def test_accounts_with_deferrals_or_disputes_are_named_and_left_out():
    from propcrm.receivables import Deferral, DisputeRaised

    d = pendulum.date
    deferred = _account(
        "D",
        AllocationOrder.CIVIL_CODE,
        Deferral("D-1", "SUNRISE/2026-11/D", d(2027, 1, 5), _ok(), approved_on=d(2026, 12, 1)),
        Receipt("B-1", Money("300.00"), received_on=d(2027, 1, 25)),
    )
    disputed = _account(
        "X",
        AllocationOrder.CIVIL_CODE,
        DisputeRaised("DS-1", "SUNRISE/2026-11/X", d(2026, 12, 1), "meter"),
    )
    plain = _account(
        "P", AllocationOrder.CIVIL_CODE, Receipt("B-1", Money("300.00"), received_on=d(2027, 1, 25))
    )
    facts, statements, receipts, policies = _raw([deferred, disputed, plain], AS_OF)
    result = reallocate(
        statements,
        receipts,
        policies,
        AS_OF,
        deferrals=facts.deferrals,
        disputes=facts.disputes,
    )
    assert result.explain == ("D", "X")
    assert result.facts.statements.equals(facts.statements.filter(pl.col("account") == "P"))


def test_raw_facts_are_the_statements_unpaid_and_the_receipts_by_the_day():
    d = pendulum.date
    book = [
        _account(
            "A",
            AllocationOrder.PRINCIPAL_FIRST,
            Receipt("B-1", Money("300.00"), received_on=d(2027, 1, 25)),
            Receipt("B-2", Money("50.00"), received_on=d(2027, 3, 5)),  # after the day
        )
    ]
    raw = raw_facts_from_accounts(book, AS_OF)
    facts = facts_from_accounts(book, AS_OF)
    assert raw.statements.drop("issued_on").equals(
        facts.statements.with_columns(paid_fen=pl.lit(0), fee_paid_fen=pl.lit(0))
    )
    assert raw.statements.get_column("issued_on").to_list() == [
        e.issued_on for e in book[0].events if isinstance(e, Statement)
    ]
    assert raw.receipts.select("reference", "amount_fen").rows() == [("B-1", 30000)]
    assert raw.policies.rows() == [("A", "principal_first", True)]


def test_raw_facts_refuse_what_facts_refuse():
    book = [_account("A", AllocationOrder.CIVIL_CODE)]
    with pytest.raises(InvalidType):
        raw_facts_from_accounts(["A"], AS_OF)
    with pytest.raises(DuplicateAccount):
        raw_facts_from_accounts(book + book, AS_OF)
    with pytest.raises(NotADate):
        raw_facts_from_accounts(book, "2027-01-31")
