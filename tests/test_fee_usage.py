"""Tests for receivables._fee_usage: budget against actual beside the period's collections."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    FeeCategory,
    FeeUsage,
    opening_statement,
)
from propcrm.errors import AccountError, AsOfMismatch, CurrencyMismatch, InvalidPolicy
from propcrm.money import (
    Money,
    RoundingMode,
)
from propcrm.receivables import (
    Account,
    Authorisation,
    CollectionCost,
    Collections,
    Credit,
    LateFeeWaiver,
    PrincipalWaiver,
    Receipt,
    Refund,
    WriteOff,
    collections_between,
    collections_over,
    fee_usage_report,
)
from propcrm.receivables._fee_usage import DEFAULT_RATE_PLACES
from propcrm.time import BillingPeriod

COMMUNITY = "SUNRISE"
OK = Authorisation("finance manager Li", "hardship")
DEC = BillingPeriod.month(2026, 12)


def notice(unit: str, year: int, month: int, amount: str):
    period = BillingPeriod.month(year, month)
    return opening_statement(
        community=COMMUNITY,
        unit_id=unit,
        period=period,
        amount=Money(amount),
        due_on=period.end.add(days=10),
    )


def december_accounts() -> list[Account]:
    """A pays part of November in December; B's October is waived and written off."""
    nov, dec = notice("A", 2026, 11, "1000.00"), notice("A", 2026, 12, "1000.00")
    a = Account("A", billed_party="owner-A").post(
        nov, dec, Receipt("BANK-1", Money("400.00"), pendulum.date(2026, 12, 20))
    )
    oct_ = notice("B", 2026, 10, "500.00")
    b = Account("B", billed_party="owner-B").post(
        oct_,
        LateFeeWaiver("LW-1", oct_.number, OK, on=pendulum.date(2026, 12, 5)),
        WriteOff("WO-1", oct_.number, OK, on=pendulum.date(2026, 12, 15)),
    )
    return [a, b]


# -- collections -----------------------------------------------------------------------------


def test_december_collections_worked() -> None:
    c = collections_over(december_accounts(), DEC)
    assert (c.opening_on, c.closing_on, c.accounts) == (
        pendulum.date(2026, 11, 30),
        pendulum.date(2026, 12, 31),
        2,
    )
    # A's November (not yet due) and B's October with 20 days of late fee (30.00).
    assert c.opening == Money("1530.00")
    assert c.billed == Money("1000.00")  # A's December notice
    # A: 10 days on 1,000.00 and 11 on 630.00 (50.79); B: 25 days then 10 more (22.50).
    assert c.late_fees_accrued == Money("73.29")
    assert (c.collected_late_fees, c.collected_principal) == (Money("30.00"), Money("370.00"))
    assert c.collected == Money("400.00")
    assert (c.waived_late_fees, c.waived_principal) == (Money("37.50"), Money("0.00"))
    assert (c.written_off_principal, c.written_off_late_fees) == (
        Money("500.00"),
        Money("15.00"),
    )
    assert c.written_off == Money("515.00")
    assert c.closing == Money("1650.79")
    assert c.reconciles
    assert c.received == Money("400.00")
    assert c.collection_rate() == Decimal("37.00")


def test_collections_between_balances_equal_collections_over_accounts() -> None:
    accounts = december_accounts()
    opening = [a.balance(pendulum.date(2026, 11, 30)) for a in accounts]
    closing = [a.balance(pendulum.date(2026, 12, 31)) for a in accounts]
    assert collections_between(opening, closing) == collections_over(accounts, DEC)


def test_an_account_opened_in_the_period_opens_with_nothing() -> None:
    new = Account("N", billed_party="P").post(notice("N", 2026, 12, "300.00"))
    c = collections_between([], [new.balance(pendulum.date(2026, 12, 31))])
    assert (c.opening, c.billed, c.closing) == (Money("0"), Money("300.00"), Money("300.00"))
    assert c.opening_on == pendulum.date(2026, 12, 30)


def test_overpayment_credit_and_refund_show_in_what_was_received() -> None:
    acc = Account("A", billed_party="P").post(
        notice("A", 2026, 11, "100.00"),
        Receipt("B-1", Money("250.00"), pendulum.date(2026, 12, 5)),
        Refund("RF-1", Money("50.00"), pendulum.date(2026, 12, 6), OK),
    )
    c = collections_over([acc], DEC)
    assert c.collected == Money("100.00")
    assert c.closing_credit == Money("100.00")
    assert c.refunded == Money("50.00")
    assert c.received == Money("250.00")


@pytest.mark.parametrize(
    ("opening_day", "closing_day", "match"),
    [
        ((2026, 12, 31), (2026, 12, 31), "not before"),
        ((2027, 1, 31), (2026, 12, 31), "not before"),
    ],
)
def test_balances_in_the_wrong_order_are_refused(opening_day, closing_day, match) -> None:
    acc = december_accounts()[0]
    with pytest.raises(AsOfMismatch, match=match):
        collections_between(
            [acc.balance(pendulum.date(*opening_day))], [acc.balance(pendulum.date(*closing_day))]
        )


def test_an_opening_balance_without_its_closing_one_is_refused() -> None:
    a, b = december_accounts()
    with pytest.raises(AsOfMismatch, match="no closing balance"):
        collections_between(
            [a.balance(pendulum.date(2026, 11, 30)), b.balance(pendulum.date(2026, 11, 30))],
            [a.balance(pendulum.date(2026, 12, 31))],
        )


def test_no_closing_balances_is_refused() -> None:
    with pytest.raises(InvalidPolicy, match="no closing balances"):
        collections_between([], [])


def test_collections_over_needs_accounts() -> None:
    balance = december_accounts()[0].balance(pendulum.date(2026, 12, 31))
    with pytest.raises(TypeError, match="collections_between"):
        collections_over([balance], DEC)  # type: ignore[list-item]


def test_empty_collections_are_zero() -> None:
    c = Collections.empty(pendulum.date(2026, 11, 30), pendulum.date(2026, 12, 31))
    assert c.collected == c.waived == c.written_off == c.received == Money("0")
    assert c.reconciles
    assert c.collection_rate() is None


# -- the report ------------------------------------------------------------------------------


def usage() -> FeeUsage:
    return FeeUsage(
        budget={
            FeeCategory.STAFF: Money("600.00"),
            FeeCategory.CLEANING: Money("200.00"),
            FeeCategory.GREENING: Money("100.00"),
        },
        actual={
            FeeCategory.STAFF: Money("610.00"),
            FeeCategory.CLEANING: Money("180.00"),
            FeeCategory.INSURANCE: Money("50.00"),
        },
    )


def test_report_rows_with_variance_rates_and_shares() -> None:
    report = fee_usage_report(usage(), collections_over(december_accounts(), DEC))
    rows = {row.category: row for row in report.rows}
    assert [row.category for row in report.rows] == list(FeeCategory)
    staff = rows[FeeCategory.STAFF]
    assert (staff.variance, staff.variance_rate) == (Money("10.00"), Decimal("1.67"))
    assert (staff.budget_share, staff.actual_share) == (Decimal("66.67"), Decimal("72.62"))
    greening = rows[FeeCategory.GREENING]
    assert (greening.variance, greening.variance_rate) == (Money("-100.00"), Decimal("-100.00"))
    insurance = rows[FeeCategory.INSURANCE]
    assert insurance.variance_rate is None  # nothing budgeted
    assert insurance.budget_share == Decimal("0.00")
    assert sum(r.budget_share or 0 for r in report.rows) == Decimal("100.00")
    assert sum(r.actual_share or 0 for r in report.rows) == Decimal("100.00")
    assert (report.budget, report.actual, report.variance) == (
        Money("900.00"),
        Money("840.00"),
        Money("-60.00"),
    )
    assert report.variance_rate == Decimal("-6.67")
    assert report.surplus == Money("400.00") - Money("840.00")
    assert (report.places, report.rounding) == (DEFAULT_RATE_PLACES, RoundingMode.HALF_UP)


def test_rates_follow_the_declared_rounding() -> None:
    plain = Collections.empty(pendulum.date(2026, 11, 30), pendulum.date(2026, 12, 31))
    halves = FeeUsage(
        budget={FeeCategory.OFFICE: Money("8.00")}, actual={FeeCategory.OFFICE: Money("8.01")}
    )  # +0.125 %
    assert fee_usage_report(halves, plain).rows[5].variance_rate == Decimal("0.13")
    even = fee_usage_report(halves, plain, rounding=RoundingMode.HALF_EVEN)
    assert even.rows[5].variance_rate == Decimal("0.12")
    coarse = fee_usage_report(halves, plain, places=0)
    assert coarse.rows[5].variance_rate == Decimal(0)


def test_no_spend_and_no_budget_have_no_shares() -> None:
    plain = Collections.empty(pendulum.date(2026, 11, 30), pendulum.date(2026, 12, 31))
    report = fee_usage_report(FeeUsage(), plain)
    assert all(r.actual_share is None and r.budget_share is None for r in report.rows)
    assert report.variance_rate is None


def test_the_report_refuses_mixed_currencies_and_bad_places() -> None:
    hkd = Collections.empty(pendulum.date(2026, 11, 30), pendulum.date(2026, 12, 31), "HKD")
    with pytest.raises(CurrencyMismatch, match="HKD"):
        fee_usage_report(usage(), hkd)
    plain = Collections.empty(pendulum.date(2026, 11, 30), pendulum.date(2026, 12, 31))
    with pytest.raises(InvalidPolicy, match="places"):
        fee_usage_report(usage(), plain, places=11)


def test_the_existing_fee_usage_is_unchanged() -> None:
    # The report builds on FeeUsage.rows(); its variance stays actual minus budget.
    assert usage().variance(FeeCategory.STAFF) == Money("10.00")
    assert [r.variance for r in usage().rows()] == [
        r.variance
        for r in fee_usage_report(
            usage(), Collections.empty(pendulum.date(2026, 1, 1), pendulum.date(2026, 2, 1))
        ).rows
    ]


# -- properties ------------------------------------------------------------------------------


def _event(kind: str, i: int, on: pendulum.Date, target: str, money: Money) -> object:
    if kind == "receipt":
        return Receipt(f"B-{i}", money, on)
    if kind == "credit":
        return Credit(f"CR-{i}", money, on, "transfer in")
    if kind == "refund":
        return Refund(f"RF-{i}", money, on, OK)
    if kind == "fee_waiver":
        return LateFeeWaiver(f"LW-{i}", target, OK, on=on)
    if kind == "waiver":
        return PrincipalWaiver(f"PW-{i}", target, OK, on=on)
    if kind == "write":
        return WriteOff(f"WO-{i}", target, OK, on=on)
    return CollectionCost(f"C-{i}", target, money, on, "registered letter")


@st.composite
def accounts(draw: st.DrawFn, unit: str) -> Account:
    """Notices of 2026 with receipts, credits, refunds, waivers, write-offs and costs."""
    acc = Account(unit, billed_party="P")
    months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=5, unique=True))
    notices = [
        notice(unit, 2026, m, str(Money.from_minor_units(draw(st.integers(1, 300_000))).amount))
        for m in sorted(months)
    ]
    acc = acc.post(*notices)
    kinds = ["receipt", "receipt", "credit", "refund", "fee_waiver", "waiver", "write", "cost"]
    for i in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(kinds))
        on = pendulum.date(2026, 1, 1).add(days=draw(st.integers(0, 420)))
        target = draw(st.sampled_from(notices)).number
        money = Money.from_minor_units(draw(st.integers(1, 300_000)))
        event = _event(kind, i, on, target, money)
        try:
            acc = acc.post(event)  # type: ignore[arg-type]
        except AccountError:
            continue
    return acc


@settings(max_examples=30)
@given(
    portfolio=st.lists(st.sampled_from("ABC"), min_size=1, max_size=3, unique=True).flatmap(
        lambda units: st.tuples(*(accounts(u) for u in units))
    ),
    month=st.integers(1, 12),
)
def test_collections_reconcile_and_account_for_all_money_received(
    portfolio: tuple[Account, ...], month: int
) -> None:
    period = BillingPeriod.month(2026, month)
    c = collections_over(portfolio, period)
    assert c.reconciles
    arrived = [
        e.amount
        for a in portfolio
        for e in a.events
        if isinstance(e, Receipt | Credit) and period.contains(e.on)
    ]
    assert c.received == Money.total(arrived)
    refunds = [
        e.amount
        for a in portfolio
        for e in a.events
        if isinstance(e, Refund) and period.contains(e.on)
    ]
    assert c.refunded == Money.total(refunds)
    assert c.closing == Money.total(a.balance(period.end).outstanding for a in portfolio)


@settings(max_examples=20)
@given(portfolio=st.tuples(accounts("A"), accounts("B")), quarter=st.integers(1, 4))
def test_months_add_up_to_their_quarter(portfolio: tuple[Account, ...], quarter: int) -> None:
    q = BillingPeriod.quarter(2026, quarter)
    whole = collections_over(portfolio, q)
    months = [collections_over(portfolio, m) for m in q.month_periods()]
    assert months[0].opening == whole.opening
    assert months[-1].closing == whole.closing
    for earlier, later in itertools.pairwise(months):
        assert earlier.closing == later.opening
    flows = (
        "billed",
        "late_fees_accrued",
        "costs_charged",
        "collected",
        "waived",
        "written_off",
        "refunded",
        "received",
    )
    for flow in flows:
        assert Money.total(getattr(m, flow) for m in months) == getattr(whole, flow), flow


money_amounts = st.integers(0, 10**9).map(Money.from_minor_units)


@settings(max_examples=60)
@given(
    budget=st.dictionaries(st.sampled_from(FeeCategory), money_amounts),
    actual=st.dictionaries(st.sampled_from(FeeCategory), money_amounts),
    places=st.integers(0, 4),
    rounding=st.sampled_from(list(RoundingMode)),
)
def test_shares_add_to_100_and_rates_are_the_exact_ratio_rounded_once(
    budget: dict, actual: dict, places: int, rounding: RoundingMode
) -> None:
    usage_ = FeeUsage(budget=budget, actual=actual)
    plain = Collections.empty(pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31))
    report = fee_usage_report(usage_, plain, places=places, rounding=rounding)
    step = Fraction(1, 10**places)
    for shares, total in (
        ([r.budget_share for r in report.rows], report.budget),
        ([r.actual_share for r in report.rows], report.actual),
    ):
        if total:
            assert sum(s for s in shares if s is not None) == Decimal("100.00")
        else:
            assert shares == [None] * 9
    for row in report.rows:
        assert row.variance == row.actual - row.budget
        if not row.budget:
            assert row.variance_rate is None
            continue
        exact = Fraction(row.variance.amount) * 100 / Fraction(row.budget.amount)
        assert row.variance_rate is not None
        assert abs(Fraction(row.variance_rate) - exact) < step
        assert row.variance_rate == row.variance_rate.quantize(Decimal(1).scaleb(-places))
        if rounding is RoundingMode.DOWN:
            assert abs(Fraction(row.variance_rate)) <= abs(exact)
        if rounding is RoundingMode.UP:
            assert abs(Fraction(row.variance_rate)) >= abs(exact)
    assert Money.total(r.variance for r in report.rows) == report.variance
