"""Tests for receivables._allocation: how a payment settles what an account owes.

Civil Code art. 561: without agreement a payment settles costs, then interest (late fees), then
principal; art. 560: among several debts the one due first, unless the debtor designates.
(tests/test_allocation.py tests the money module's allocation of an amount by ratios.)
"""

from __future__ import annotations

import itertools
import re

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import opening_statement
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateReference,
    InvalidAmount,
    InvalidQuantity,
    InvalidType,
    NotADate,
    PropcrmError,
    UnknownStatement,
)
from propcrm.money import Money
from propcrm.receivables import (
    DEFAULT_ALLOCATION,
    Account,
    Allocation,
    AllocationOrder,
    AllocationPolicy,
    Component,
    Outstanding,
    Receipt,
    allocate_payment,
)
from propcrm.receivables._allocation import AllocationPart, settlement_order
from propcrm.time import BillingPeriod

OCT = "S/2026-10/U"
NOV = "S/2026-11/U"
DEC_1 = pendulum.date(2026, 12, 1)
PRINCIPAL_FIRST = AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST)


def owed() -> list[Outstanding]:
    """October: 100.00 principal, 6.00 late fee, 20.00 collection costs; November: 100.00."""
    return [
        Outstanding(
            NOV, pendulum.date(2026, 12, 10), principal=Money("100.00"), late_fees=Money("1.00")
        ),
        Outstanding(
            OCT,
            pendulum.date(2026, 11, 10),
            principal=Money("100.00"),
            late_fees=Money("6.00"),
            costs=Money("20.00"),
        ),
    ]


def parts(allocation: Allocation) -> list[tuple[str, str, str]]:
    return [(p.statement, p.component.value, f"{p.amount.amount:f}") for p in allocation.parts]


# -- the Civil Code order (the default) -------------------------------------------------------


def test_the_default_is_the_civil_code_order_with_designations_honoured() -> None:
    assert AllocationPolicy() == DEFAULT_ALLOCATION
    assert DEFAULT_ALLOCATION.order is AllocationOrder.CIVIL_CODE
    assert DEFAULT_ALLOCATION.honour_designation
    assert AllocationOrder.CIVIL_CODE.describe("en_US") == (
        "Civil Code arts. 560-561: oldest due statement first; within each, costs, then late "
        "fees, then principal"
    )
    assert AllocationOrder.PRINCIPAL_FIRST.describe("en_US") == (
        "principal first: all principal (oldest due first), then late fees, then costs"
    )
    assert AllocationOrder.CIVIL_CODE.describe() == (
        "民法典第五百六十条、第五百六十一条：先到期的账单先抵充；同一账单依次抵充实现债权的费用、"
        "违约金、本金"
    )
    assert AllocationOrder.PRINCIPAL_FIRST.describe() == (
        "本金优先：先抵充全部本金（先到期的先抵充），再抵充违约金，最后抵充费用"
    )


def test_civil_code_settles_the_oldest_costs_then_late_fees_then_principal() -> None:
    allocation = allocate_payment(Money("150.00"), owed(), on=DEC_1, source="receipt BANK-1")
    assert parts(allocation) == [
        (OCT, "costs", "20.00"),
        (OCT, "late_fees", "6.00"),
        (OCT, "principal", "100.00"),
        (NOV, "late_fees", "1.00"),
        (NOV, "principal", "23.00"),
    ]
    assert allocation.order is AllocationOrder.CIVIL_CODE
    assert allocation.credited == Money("0.00")
    assert (allocation.source, allocation.on, allocation.amount) == (
        "receipt BANK-1",
        DEC_1,
        Money("150.00"),
    )


def test_principal_first_settles_all_principal_before_any_late_fee() -> None:
    allocation = allocate_payment(Money("210.00"), owed(), on=DEC_1, policy=PRINCIPAL_FIRST)
    assert parts(allocation) == [
        (OCT, "principal", "100.00"),
        (NOV, "principal", "100.00"),
        (OCT, "late_fees", "6.00"),
        (NOV, "late_fees", "1.00"),
        (OCT, "costs", "3.00"),
    ]
    assert allocation.order is AllocationOrder.PRINCIPAL_FIRST


def test_a_small_payment_under_both_orders() -> None:
    civil = allocate_payment(Money("10.00"), owed(), on=DEC_1)
    first = allocate_payment(Money("10.00"), owed(), on=DEC_1, policy=PRINCIPAL_FIRST)
    assert parts(civil) == [(OCT, "costs", "10.00")]
    assert parts(first) == [(OCT, "principal", "10.00")]


def test_what_goes_to_a_statement_and_component() -> None:
    allocation = allocate_payment(Money("150.00"), owed(), on=DEC_1)
    assert allocation.to(OCT) == Money("126.00")
    assert allocation.to(OCT, Component.LATE_FEES) == Money("6.00")
    assert allocation.to(NOV, Component.COSTS) == Money("0.00")
    assert allocation.to("S/2026-09/U") == Money("0.00")


def test_statements_due_the_same_day_go_by_number() -> None:
    day = pendulum.date(2026, 12, 10)
    rows = [Outstanding("B", day, principal=Money("5.00")), Outstanding("A", day, Money("5.00"))]
    allocation = allocate_payment(Money("6.00"), rows, on=DEC_1)
    assert parts(allocation) == [("A", "principal", "5.00"), ("B", "principal", "1.00")]


# -- designation --------------------------------------------------------------------------------


def test_a_designation_is_honoured_first_then_the_order_applies() -> None:
    allocation = allocate_payment(Money("110.00"), owed(), on=DEC_1, designation=[NOV])
    assert parts(allocation) == [
        (NOV, "late_fees", "1.00"),
        (NOV, "principal", "100.00"),
        (OCT, "costs", "9.00"),
    ]
    assert allocation.designation == (NOV,)
    assert allocation.designation_honoured


def test_a_policy_can_decline_designations_and_says_so() -> None:
    policy = AllocationPolicy(honour_designation=False)
    allocation = allocate_payment(
        Money("110.00"), owed(), on=DEC_1, policy=policy, designation=[NOV]
    )
    assert parts(allocation)[0] == (OCT, "costs", "20.00")
    assert allocation.designation == (NOV,)
    assert not allocation.designation_honoured


def test_no_designation_is_not_honoured() -> None:
    assert not allocate_payment(Money("1.00"), owed(), on=DEC_1).designation_honoured


def test_designating_a_statement_not_owed_on_is_refused() -> None:
    with pytest.raises(UnknownStatement, match=r"S/2026-09/U.*it owes on S/2026-10/U, S/2026-11/U"):
        allocate_payment(Money("1.00"), owed(), on=DEC_1, designation=["S/2026-09/U"])


# -- overpayment and bad input ------------------------------------------------------------------


def test_an_overpayment_is_credited() -> None:
    allocation = allocate_payment(Money("300.00"), owed(), on=DEC_1)
    assert allocation.to(OCT) + allocation.to(NOV) == Money("227.00")
    assert allocation.credited == Money("73.00")


def test_nothing_owed_credits_everything() -> None:
    allocation = allocate_payment(Money("5.00"), [], on=DEC_1)
    assert allocation.parts == ()
    assert allocation.credited == Money("5.00")


@pytest.mark.parametrize("amount", [Money("0.00"), Money("-1.00"), Money("1.001")])
def test_a_payment_is_positive_and_rounded(amount: Money) -> None:
    with pytest.raises(InvalidAmount, match="payment"):
        allocate_payment(amount, owed(), on=DEC_1)


def test_a_payment_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="USD"):
        allocate_payment(Money("1.00", "USD"), owed(), on=DEC_1)


@pytest.mark.parametrize("field", ["principal", "late_fees", "costs"])
def test_what_is_owed_is_rounded_and_not_negative(field: str) -> None:
    with pytest.raises(InvalidAmount, match=field):
        Outstanding(OCT, DEC_1, **{field: Money("-0.01")})


def test_duplicates_are_refused_not_paid_twice() -> None:
    twice = [*owed(), Outstanding(OCT, DEC_1, principal=Money("5.00"))]
    with pytest.raises(
        DuplicateReference, match=r"^outstanding names the statement 'S/2026-10/U' twice"
    ):
        allocate_payment(Money("1.00"), twice, on=DEC_1)
    with pytest.raises(InvalidQuantity, match="designation names the statement 'S/2026-10/U'"):
        allocate_payment(Money("1.00"), owed(), on=DEC_1, designation=[OCT, OCT])


@pytest.mark.parametrize("field", ["outstanding", "designation"])
def test_text_is_not_a_list_of_statements(field: str) -> None:
    arguments: dict[str, object] = {"outstanding": owed(), "designation": [], field: OCT}
    with pytest.raises(InvalidType, match=f"^{field} ") as refused:
        allocate_payment(Money("1.00"), on=DEC_1, **arguments)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_designating_when_nothing_is_owed_says_so() -> None:
    with pytest.raises(UnknownStatement, match=r"designates S/2026-09/U, .* owes on nothing\.$"):
        allocate_payment(Money("1.00"), [], on=DEC_1, designation=["S/2026-09/U"])


@pytest.mark.parametrize(
    ("arguments", "error", "field", "words"),
    [
        ({"on": "2026-12-01"}, NotADate, "on", "on: expected a date"),
        ({"policy": None}, InvalidType, "policy", "policy must be AllocationPolicy"),
        ({"source": ""}, InvalidQuantity, "source", "e.g. 'receipt BANK-1'"),
        ({"outstanding": [1]}, InvalidType, "outstanding", "outstanding must be Outstanding"),
        ({"designation": [" S"]}, InvalidQuantity, "designation", "designation ' S' must be"),
    ],
)
def test_each_argument_is_checked_and_named(
    arguments: dict[str, object], error: type[Exception], field: str, words: str
) -> None:
    given: dict[str, object] = {"outstanding": owed(), "on": DEC_1, **arguments}
    with pytest.raises(error, match=re.escape(words)) as refused:
        allocate_payment(Money("1.00"), **given)  # type: ignore[arg-type]
    assert refused.value.field == field  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"order": "civil_code"}, "order"), ({"honour_designation": "yes"}, "honour_designation")],
)
def test_a_policy_takes_an_order_and_a_bool(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidType) as refused:
        AllocationPolicy(**arguments)  # type: ignore[arg-type]
    assert refused.value.field == field


def refusal(error: PropcrmError) -> tuple[object, ...]:
    """What an error says as data: the field, the value, what is allowed, and the rest."""
    return error.field, error.value, error.allowed, error.context


def test_a_payment_of_nothing_is_refused_with_its_context() -> None:
    with pytest.raises(InvalidAmount) as refused:
        allocate_payment(Money("0.00"), owed(), on=DEC_1)
    assert refusal(refused.value) == (
        "amount",
        Money("0.00"),
        "a positive Money rounded to the fen",
        {},
    )


def test_text_for_the_statements_owed_is_refused_with_its_context() -> None:
    with pytest.raises(InvalidType) as refused:
        allocate_payment(Money("1.00"), OCT, on=DEC_1)  # type: ignore[arg-type]
    assert refusal(refused.value) == ("outstanding", OCT, "a list or tuple", {})


def test_a_statement_in_another_currency_is_refused_with_its_context() -> None:
    rows = [Outstanding("S/USD", DEC_1, principal=Money("100.00", "USD"))]
    with pytest.raises(CurrencyMismatch) as refused:
        allocate_payment(Money("1.00"), rows, on=DEC_1)
    assert refusal(refused.value) == (
        "outstanding",
        Money("100.00", "USD"),
        "amounts in CNY",
        {"statement": "S/USD"},
    )


def test_statements_not_owed_on_are_refused_with_their_context() -> None:
    with pytest.raises(UnknownStatement, match=r"^payment designates S/1, S/2, which") as refused:
        allocate_payment(Money("1.00"), owed(), on=DEC_1, designation=["S/1", OCT, "S/2"])
    assert refusal(refused.value) == (
        "designation",
        ("S/1", "S/2"),
        "statements listed in outstanding",
        {},
    )


def test_a_payment_is_a_payment_unless_said_otherwise() -> None:
    assert allocate_payment(Money("1.00"), owed(), on=DEC_1).source == "payment"


@pytest.mark.parametrize(("field", "amount"), [("principal", "-0.01"), ("costs", "1.001")])
def test_what_is_owed_is_refused_with_its_context(field: str, amount: str) -> None:
    with pytest.raises(InvalidAmount) as refused:
        Outstanding(OCT, DEC_1, **{field: Money(amount)})
    assert refusal(refused.value) == (
        field,
        Money(amount),
        "a Money of zero or more, rounded to the fen",
        {},
    )


def test_a_statement_owing_in_two_currencies_is_refused_with_its_context() -> None:
    with pytest.raises(CurrencyMismatch) as refused:
        Outstanding("S/USD", DEC_1, principal=Money("100.00", "USD"), costs=Money("1.00"))
    assert str(refused.value) == (
        "statement S/USD owes costs in CNY but principal in USD; one statement is in one currency."
    )
    assert refusal(refused.value) == (
        "costs",
        Money("1.00"),
        "an amount in USD",
        {"statement": "S/USD"},
    )


def test_a_statement_needs_a_number() -> None:
    with pytest.raises(InvalidQuantity, match=r"^statement ''") as refused:
        Outstanding("", DEC_1)
    assert refused.value.field == "statement"


# -- the order, lazily ------------------------------------------------------------------------


def test_the_settlement_order_under_the_civil_code() -> None:
    order = list(settlement_order(DEFAULT_ALLOCATION, ["A", "B", "C"], ["C"]))
    within = [Component.COSTS, Component.LATE_FEES, Component.PRINCIPAL]
    assert order == [("C", c) for c in within] + [("A", c) for c in within] + [
        ("B", c) for c in within
    ]


def test_the_settlement_order_principal_first() -> None:
    order = list(settlement_order(PRINCIPAL_FIRST, ["A", "B", "C"], ["B"]))
    assert order == [
        ("B", Component.PRINCIPAL),
        ("B", Component.LATE_FEES),
        ("B", Component.COSTS),
        ("A", Component.PRINCIPAL),
        ("C", Component.PRINCIPAL),
        ("A", Component.LATE_FEES),
        ("C", Component.LATE_FEES),
        ("A", Component.COSTS),
        ("C", Component.COSTS),
    ]


def test_a_declined_designation_leaves_the_order_alone() -> None:
    policy = AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST, honour_designation=False)
    assert list(settlement_order(policy, ["A", "B"], ["B"])) == list(
        settlement_order(policy, ["A", "B"])
    )
    assert list(settlement_order(policy, ["A", "B"]))[:2] == [
        ("A", Component.PRINCIPAL),
        ("B", Component.PRINCIPAL),
    ]


def test_two_designated_statements_are_settled_in_the_order_named() -> None:
    rows = [*owed(), Outstanding("S/2026-12/U", pendulum.date(2027, 1, 10), Money("50.00"))]
    allocation = allocate_payment(
        Money("160.00"), rows, on=DEC_1, designation=["S/2026-12/U", NOV], policy=PRINCIPAL_FIRST
    )
    assert parts(allocation) == [
        ("S/2026-12/U", "principal", "50.00"),
        (NOV, "principal", "100.00"),
        (NOV, "late_fees", "1.00"),
        (OCT, "principal", "9.00"),
    ]


# -- another currency -------------------------------------------------------------------------


def test_a_statement_owes_nothing_else_in_its_principals_currency() -> None:
    row = Outstanding("S/USD", DEC_1, principal=Money("100.00", "USD"))
    assert row.late_fees == Money("0.00", "USD")
    assert row.costs == Money("0.00", "USD")
    assert Outstanding("S/CNY", DEC_1).principal == Money("0.00")


@pytest.mark.parametrize("field", ["late_fees", "costs"])
def test_one_statement_is_in_one_currency(field: str) -> None:
    with pytest.raises(CurrencyMismatch, match=f"owes {field.replace('_', ' ')} in CNY") as refused:
        Outstanding("S/USD", DEC_1, principal=Money("100.00", "USD"), **{field: Money("1.00")})
    assert refused.value.field == field


def test_a_payment_in_dollars_settles_dollars() -> None:
    rows = [
        Outstanding(
            "S/USD-1",
            pendulum.date(2026, 11, 10),
            principal=Money("100.00", "USD"),
            late_fees=Money("3.00", "USD"),
        ),
        Outstanding("S/USD-2", pendulum.date(2026, 12, 10), principal=Money("40.00", "USD")),
    ]
    allocation = allocate_payment(Money("150.00", "USD"), rows, on=DEC_1)
    assert allocation.parts == (
        AllocationPart("S/USD-1", Component.LATE_FEES, Money("3.00", "USD")),
        AllocationPart("S/USD-1", Component.PRINCIPAL, Money("100.00", "USD")),
        AllocationPart("S/USD-2", Component.PRINCIPAL, Money("40.00", "USD")),
    )
    assert allocation.credited == Money("7.00", "USD")
    assert allocation.to("S/USD-1") == Money("103.00", "USD")
    assert allocation.to("S/USD-2", Component.COSTS) == Money("0.00", "USD")
    assert allocation.to("S/other") == Money("0.00", "USD")


def test_a_dollar_statement_refuses_a_payment_in_yuan() -> None:
    rows = [Outstanding("S/USD", DEC_1, principal=Money("100.00", "USD"))]
    with pytest.raises(CurrencyMismatch, match="statement S/USD owes USD; the payment is in CNY"):
        allocate_payment(Money("1.00"), rows, on=DEC_1)


# -- a partial payment on an account, under both orders ----------------------------------------


def october(amount: str = "1000.00") -> Account:
    """1,000.00 for October 2026, due 10 November."""
    statement = opening_statement(
        community="S",
        unit_id="U",
        period=BillingPeriod.month(2026, 10),
        amount=Money(amount),
        due_on=pendulum.date(2026, 11, 10),
    )
    return Account("U", billed_party="owner-1").post(statement)


def test_a_partial_payment_under_the_civil_code_pays_the_late_fee_first() -> None:
    account = october().post(
        Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 11, 20))
    )
    row = account.balance(as_of=pendulum.date(2026, 11, 30)).statement(OCT)
    # 10 days × 3.00 of late fee first, then 370.00 of principal; from 21 Nov on 630.00.
    assert row.late_fee_paid == Money("30.00")
    assert row.principal_paid == Money("370.00")
    assert row.principal_outstanding == Money("630.00")
    assert row.late_fee.amount == Money("48.90")  # 30.00 + 10 × 1.89
    assert row.late_fee_outstanding == Money("18.90")
    (allocation,) = account.balance(as_of=pendulum.date(2026, 11, 30)).allocations
    assert allocation.order is AllocationOrder.CIVIL_CODE
    assert allocation.parts == (
        AllocationPart(OCT, Component.LATE_FEES, Money("30.00")),
        AllocationPart(OCT, Component.PRINCIPAL, Money("370.00")),
    )


def test_a_partial_payment_principal_first_stops_more_late_fee() -> None:
    account = Account("U", allocation=PRINCIPAL_FIRST, events=october().events).post(
        Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 11, 20))
    )
    row = account.balance(as_of=pendulum.date(2026, 11, 30)).statement(OCT)
    assert row.principal_paid == Money("400.00")
    assert row.late_fee_paid == Money("0.00")
    assert row.principal_outstanding == Money("600.00")
    assert row.late_fee.amount == Money("48.00")  # 30.00 + 10 × 1.80
    assert row.late_fee_outstanding == Money("48.00")
    (allocation,) = account.balance(as_of=pendulum.date(2026, 11, 30)).allocations
    assert allocation.order is AllocationOrder.PRINCIPAL_FIRST


# -- properties ---------------------------------------------------------------------------------

fen = st.integers(min_value=0, max_value=50_000)


@st.composite
def outstanding_lists(draw: st.DrawFn) -> list[Outstanding]:
    count = draw(st.integers(min_value=0, max_value=4))
    return [
        Outstanding(
            f"S-{index}",
            pendulum.date(2026, 1, 10).add(days=draw(st.integers(0, 400))),
            Money.from_minor_units(draw(fen)),
            Money.from_minor_units(draw(fen)),
            Money.from_minor_units(draw(fen)),
        )
        for index in range(count)
    ]


policies = st.builds(
    AllocationPolicy, st.sampled_from(AllocationOrder), st.sampled_from((True, False))
)
few = settings(max_examples=80)


@few
@given(
    outstanding_lists(),
    st.integers(min_value=1, max_value=200_000).map(Money.from_minor_units),
    policies,
    st.data(),
)
def test_the_parts_and_the_credit_sum_exactly_to_the_amount_received(
    rows: list[Outstanding], amount: Money, policy: AllocationPolicy, data: st.DataObject
) -> None:
    numbers = [r.statement for r in rows]
    designation = data.draw(st.lists(st.sampled_from(numbers), unique=True)) if numbers else []
    allocation = allocate_payment(amount, rows, on=DEC_1, policy=policy, designation=designation)
    assert Money.total(p.amount for p in allocation.parts) + allocation.credited == amount
    assert all(p.amount.is_positive and p.amount.is_rounded for p in allocation.parts)
    assert not allocation.credited.is_negative
    by_number = {r.statement: r for r in rows}
    for row in rows:
        for component in Component:
            assert allocation.to(row.statement, component) <= row.owed(component)
    everything = Money.total(r.owed(c) for r in rows for c in Component)
    assert allocation.credited == max(amount - everything, Money("0.00"))
    # Each (statement, component) is paid at most once.
    keys = [(p.statement, p.component) for p in allocation.parts]
    assert len(keys) == len(set(keys))
    assert {p.statement for p in allocation.parts} <= set(by_number)


@few
@given(outstanding_lists(), st.integers(min_value=1, max_value=200_000).map(Money.from_minor_units))
def test_principal_first_pays_no_late_fee_while_principal_is_owed(
    rows: list[Outstanding], amount: Money
) -> None:
    allocation = allocate_payment(amount, rows, on=DEC_1, policy=PRINCIPAL_FIRST)
    principal = Money.total(r.principal for r in rows)
    paid = Money.total(p.amount for p in allocation.parts if p.component is Component.PRINCIPAL)
    others = [p for p in allocation.parts if p.component is not Component.PRINCIPAL]
    assert paid == min(amount, principal)
    if others:
        assert paid == principal


@few
@given(outstanding_lists(), st.integers(min_value=1, max_value=200_000).map(Money.from_minor_units))
def test_the_civil_code_order_settles_older_statements_in_full_first(
    rows: list[Outstanding], amount: Money
) -> None:
    allocation = allocate_payment(amount, rows, on=DEC_1)
    oldest_first = sorted(rows, key=lambda r: (r.due_on, r.statement))
    touched = {p.statement for p in allocation.parts}
    for earlier, later in itertools.pairwise(oldest_first):
        if later.statement in touched:
            owed_earlier = earlier.principal + earlier.late_fees + earlier.costs
            assert allocation.to(earlier.statement) == owed_earlier
    for row in rows:
        paid_principal = allocation.to(row.statement, Component.PRINCIPAL)
        if paid_principal:
            assert allocation.to(row.statement, Component.COSTS) == row.costs
            assert allocation.to(row.statement, Component.LATE_FEES) == row.late_fees
