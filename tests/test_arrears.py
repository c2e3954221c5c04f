"""Tests for receivables._arrears: arrears aged in buckets, per account, unit and party."""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm._trusted import rebuilt_validated
from propcrm.billing import opening_statement
from propcrm.errors import (
    AccountError,
    AsOfMismatch,
    CurrencyMismatch,
    DuplicateAccount,
    DuplicateReference,
    InvalidPolicy,
    InvalidType,
    NotADate,
    PropcrmError,
    UnknownCurrency,
    UnsupportedLocale,
)
from propcrm.money import Money
from propcrm.receivables import (
    DEFAULT_AGING,
    Account,
    AccountBalance,
    AgingPolicy,
    AllocationOrder,
    AllocationPolicy,
    Authorisation,
    CollectionCost,
    Deferral,
    LateFeeWaiver,
    PrincipalWaiver,
    Receipt,
    StatementState,
    WriteOff,
    age_account,
    age_owed,
    arrears_as_of,
)
from propcrm.receivables._arrears import (
    DEFAULT_AGING_EDGES,
    DEFAULT_LIMITATION_YEARS,
    days_past_due,
    owed_as_of,
)
from propcrm.testing import _account_strategies
from propcrm.time import BillingPeriod

COMMUNITY = "SUNRISE"
OK = Authorisation("finance manager Li", "goodwill")
MONTH_END = pendulum.date(2026, 12, 31)


def statement(unit: str, year: int, month: int, amount: str, *, due: pendulum.Date | None = None):
    period = BillingPeriod.month(year, month)
    return opening_statement(
        community=COMMUNITY,
        unit_id=unit,
        period=period,
        amount=Money(amount),
        due_on=due or period.end.add(days=10),
    )


def account(unit: str = "1-2-0301", party: str | None = "owner-17", *events) -> Account:
    return Account(unit, billed_party=party).post(*events)


# -- the policy and its buckets -------------------------------------------------------------


def test_default_buckets_are_the_issues() -> None:
    assert DEFAULT_AGING_EDGES == (30, 90, 180, 365, 1095)
    assert DEFAULT_LIMITATION_YEARS == 3
    spans = [(b.first_day, b.last_day) for b in DEFAULT_AGING.buckets]
    assert spans == [
        (0, 0),
        (1, 30),
        (31, 90),
        (91, 180),
        (181, 365),
        (366, 1095),
        (1096, None),
    ]
    assert [b.code for b in DEFAULT_AGING.buckets] == [
        "current",
        "1-30",
        "31-90",
        "91-180",
        "181-365",
        "366-1095",
        "1096+",
    ]


def test_bucket_labels_in_both_languages() -> None:
    assert [b.describe("en_US") for b in DEFAULT_AGING.buckets] == [
        "current",
        "1–30 days",
        "31–90 days",
        "91–180 days",
        "181–365 days",
        "1–3 years",
        "over 3 years",
    ]
    assert [b.label() for b in DEFAULT_AGING.buckets] == [
        "未到期",
        "1–30天",
        "31–90天",
        "91–180天",
        "181–365天",
        "1–3年",
        "3年以上",
    ]
    assert [b.label("en_US") for b in DEFAULT_AGING.buckets] == [
        b.describe("en_US") for b in DEFAULT_AGING.buckets
    ]


def test_bucket_labels_use_real_plurals() -> None:
    policy = AgingPolicy(edges=(1, 365))
    assert [b.label("en_US") for b in policy.buckets] == [
        "current",
        "1–1 day",
        "2–365 days",
        "over 1 year",
    ]
    assert AgingPolicy(edges=(1,)).buckets[-1].label("en_US") == "over 1 day"


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "en"])
def test_bucket_labels_refuse_an_unsupported_locale(locale: str) -> None:
    for bucket in DEFAULT_AGING.buckets:
        with pytest.raises(UnsupportedLocale):
            bucket.label(locale)


@pytest.mark.parametrize(
    ("days", "code"),
    [
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-90"),
        (90, "31-90"),
        (91, "91-180"),
        (180, "91-180"),
        (181, "181-365"),
        (365, "181-365"),
        (366, "366-1095"),
        (1095, "366-1095"),
        (1096, "1096+"),
        (10_000, "1096+"),
    ],
)
def test_bucket_edges_are_inclusive(days: int, code: str) -> None:
    assert DEFAULT_AGING.bucket_for(days).code == code


def test_custom_edges_and_labels() -> None:
    policy = AgingPolicy(edges=(60, 120))
    assert [b.code for b in policy.buckets] == ["current", "1-60", "61-120", "121+"]
    assert policy.buckets[-1].describe("en_US") == "over 120 days"


@pytest.mark.parametrize("edges", [(), (30, 30), (90, 30), (0, 30), (30.0,), "30", (True,)])
def test_bad_edges_are_refused(edges: object) -> None:
    with pytest.raises(InvalidPolicy, match="edges"):
        AgingPolicy(edges=edges)  # type: ignore[arg-type]


@pytest.mark.parametrize("years", [0, 21, True, "3"])
def test_bad_limitation_is_refused(years: object) -> None:
    with pytest.raises(InvalidPolicy, match="limitation"):
        AgingPolicy(limitation_years=years)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", [-1, True, 1.5])
def test_bucket_for_refuses_what_is_not_a_day_count(days: object) -> None:
    with pytest.raises(InvalidPolicy):
        DEFAULT_AGING.bucket_for(days)  # type: ignore[arg-type]


@given(
    edges=st.lists(st.integers(1, 2000), min_size=1, max_size=8, unique=True).map(sorted),
    days=st.integers(0, 5000),
)
def test_every_day_count_lands_in_exactly_one_bucket(edges: list[int], days: int) -> None:
    policy = AgingPolicy(edges=tuple(edges))
    holding = [b for b in policy.buckets if b.holds(days)]
    assert holding == [policy.bucket_for(days)]


# -- the limitation period ------------------------------------------------------------------


def test_limitation_runs_three_calendar_years_from_the_first_overdue_day() -> None:
    due = pendulum.date(2023, 12, 10)
    ends = DEFAULT_AGING.limitation_ends_on(due)
    assert ends == pendulum.date(2026, 12, 11)
    assert (ends - due.add(days=1)).days == 1096  # calendar years: 2024 has a 29 February
    # A period starting on 29 February ends on the last day of February three years on.
    assert DEFAULT_AGING.limitation_ends_on(pendulum.date(2024, 2, 28)) == pendulum.date(
        2027, 2, 28
    )


def test_interruptions_chain_while_the_period_runs_and_not_after() -> None:
    due = pendulum.date(2022, 1, 10)
    first, second = pendulum.date(2024, 6, 1), pendulum.date(2027, 5, 1)
    assert DEFAULT_AGING.limitation_ends_on(due, [second, first]) == pendulum.date(2030, 5, 1)
    late = pendulum.date(2025, 2, 1)  # after 2025-01-11: the period had ended
    assert DEFAULT_AGING.limitation_ends_on(due, [late]) == pendulum.date(2025, 1, 11)
    before_due = pendulum.date(2021, 12, 1)
    assert DEFAULT_AGING.limitation_ends_on(due, [before_due]) == pendulum.date(2025, 1, 11)


def test_a_line_is_flagged_the_day_after_its_limitation_ends() -> None:
    acc = account("U", "P", statement("U", 2023, 11, "100.00"))  # due 2023-12-10
    on_last_day = arrears_as_of([acc], pendulum.date(2026, 12, 11)).lines[0]
    assert on_last_day.limitation_ends_on == pendulum.date(2026, 12, 11)
    assert not on_last_day.past_limitation
    after = arrears_as_of([acc], pendulum.date(2026, 12, 12))
    assert after.lines[0].past_limitation
    assert after.past_limitation == after.lines[0].total


def test_a_demand_keeps_a_line_within_limitation() -> None:
    acc = account("U", "P", statement("U", 2023, 11, "100.00"))
    report = arrears_as_of(
        [acc], pendulum.date(2027, 1, 1), interruptions={("U", "P"): [pendulum.date(2026, 6, 1)]}
    )
    assert report.lines[0].limitation_ends_on == pendulum.date(2029, 6, 1)
    assert not report.lines[0].past_limitation
    assert report.past_limitation == Money("0")


# -- one account, worked ---------------------------------------------------------------------


def test_unpaid_notice_ages_with_its_late_fee() -> None:
    acc = account("1-2-0301", "owner-17", statement("1-2-0301", 2026, 11, "1000.00"))
    report = arrears_as_of([acc], MONTH_END)
    (line,) = report.lines
    assert line.statement == "SUNRISE/2026-11/1-2-0301"
    assert line.period == "2026-11"
    assert line.due_on == pendulum.date(2026, 12, 10)
    assert line.days_overdue == 21
    assert line.bucket.code == "1-30"
    assert line.state is StatementState.OPEN
    assert (line.principal, line.late_fees, line.costs) == (
        Money("1000.00"),
        Money("63.00"),  # 21 days × 0.3 % × 1,000.00
        Money("0.00"),
    )
    assert report.total == Money("1063.00")
    assert report.overdue == Money("1063.00")


def test_a_notice_not_yet_due_is_current() -> None:
    acc = account("U", "P", statement("U", 2026, 12, "500.00"))  # issued 31 Dec, due 10 Jan
    (line,) = arrears_as_of([acc], MONTH_END).lines
    assert line.bucket.is_current
    assert line.days_overdue == 0
    assert arrears_as_of([acc], MONTH_END).overdue == Money("0")


def test_a_notice_due_today_is_still_current() -> None:
    acc = account("U", "P", statement("U", 2026, 11, "500.00"))
    (line,) = arrears_as_of([acc], pendulum.date(2026, 12, 10)).lines
    assert line.bucket.is_current
    assert line.late_fees == Money("0.00")


def test_paid_statements_leave_no_line_but_the_account_is_listed() -> None:
    nov = statement("U", 2026, 11, "500.00")
    acc = account("U", "P", nov, Receipt("B-1", Money("500.00"), pendulum.date(2026, 12, 8)))
    report = arrears_as_of([acc], MONTH_END)
    assert report.lines == ()
    assert report.accounts == (("U", "P"),)
    assert all(row.total == Money("0") for row in report.rows)


def test_late_fee_left_after_the_principal_ages_from_the_due_date() -> None:
    nov = statement("U", 2026, 11, "1000.00")
    principal_first = AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST)
    acc = Account("U", billed_party="P", allocation=principal_first).post(
        nov, Receipt("B-1", Money("1000.00"), pendulum.date(2026, 12, 20))
    )
    row = acc.balance(MONTH_END).statements[0]
    assert not row.principal_outstanding
    assert row.late_fee_outstanding == Money("30.00")  # 10 days × 0.3 % × 1,000.00
    assert row.days_overdue == 0  # the core's figure speaks of the principal only
    assert days_past_due(row.due_on, MONTH_END) == 21
    (line,) = arrears_as_of([acc], MONTH_END).lines
    assert line.bucket.code == "1-30"
    assert line.principal == Money("0.00")
    assert line.late_fees == Money("30.00")


def test_written_off_and_waived_statements_owe_nothing() -> None:
    s1, s2 = statement("U", 2026, 9, "100.00"), statement("U", 2026, 10, "200.00")
    acc = account(
        "U",
        "P",
        s1,
        s2,
        WriteOff("WO-1", s1.number, OK, on=pendulum.date(2026, 12, 1)),
        PrincipalWaiver("PW-1", s2.number, OK, on=pendulum.date(2026, 12, 1)),
        LateFeeWaiver("LW-1", s2.number, OK, on=pendulum.date(2026, 12, 1)),
    )
    report = arrears_as_of([acc], MONTH_END)
    assert report.lines == ()
    assert report.total == acc.balance(MONTH_END).outstanding == Money("0")


def test_costs_are_kept_apart() -> None:
    oct_ = statement("U", 2026, 10, "100.00")
    cost = CollectionCost("C-1", oct_.number, Money("50.00"), pendulum.date(2026, 12, 1), "letter")
    (line,) = arrears_as_of([account("U", "P", oct_, cost)], MONTH_END).lines
    assert line.costs == Money("50.00")
    assert line.total == line.principal + line.late_fees + Money("50.00")


def test_a_deferral_moves_the_line_to_current() -> None:
    nov = statement("U", 2026, 11, "300.00")
    deferral = Deferral(
        "D-1", nov.number, pendulum.date(2027, 1, 31), OK, approved_on=pendulum.date(2026, 12, 1)
    )
    (line,) = arrears_as_of([account("U", "P", nov, deferral)], MONTH_END).lines
    assert line.due_on == pendulum.date(2027, 1, 31)
    assert line.bucket.is_current
    assert line.state is StatementState.DEFERRED


def test_credit_is_not_netted_against_arrears() -> None:
    paid = account("A", "P", statement("A", 2026, 11, "100.00"))
    paid = paid.post(Receipt("B-1", Money("150.00"), pendulum.date(2026, 12, 1)))
    owing = account("U", "Q", statement("U", 2026, 11, "100.00"))
    report = arrears_as_of([paid, owing], MONTH_END)
    assert paid.balance(MONTH_END).credit == Money("50.00")
    assert report.total == owing.balance(MONTH_END).outstanding
    assert report.for_account("A", "P").total == Money("0")
    assert report.accounts == (("A", "P"), ("U", "Q"))


# -- roll-ups ----------------------------------------------------------------------------------


def community() -> list[Account]:
    """Four accounts: a unit sold in the year (two parties), and a party with two units."""
    return [
        account("1-0101", "seller", statement("1-0101", 2026, 6, "400.00")),
        account("1-0101", "buyer", statement("1-0101", 2026, 11, "400.00")),
        account(
            "1-0102",
            "owner-2",
            statement("1-0102", 2023, 5, "900.00"),
            statement("1-0102", 2026, 10, "900.00"),
        ),
        account("2-0101", "owner-2", statement("2-0101", 2026, 12, "300.00")),
    ]


def test_community_roll_up_by_bucket() -> None:
    report = arrears_as_of(community(), MONTH_END)
    amounts = {row.bucket.code: (row.principal.amount, row.statements) for row in report.rows}
    assert amounts["current"][1] == 1  # 2-0101's December notice
    assert amounts["1-30"][1] == 1  # 1-0101 buyer's November
    assert amounts["31-90"][1] == 1  # 1-0102's October
    assert amounts["91-180"][1] == 1  # 1-0101 seller's June
    assert amounts["1096+"][1] == 1  # 1-0102's May 2023
    assert report.principal == Money("2900.00")
    assert report.past_limitation == report.lines[2].total


def test_per_unit_party_and_account_reports_add_up_to_the_community() -> None:
    report = arrears_as_of(community(), MONTH_END)
    assert set(report.by_unit()) == {"1-0101", "1-0102", "2-0101"}
    assert set(report.by_party()) == {"seller", "buyer", "owner-2"}
    for split in (report.by_unit(), report.by_party(), report.by_account()):
        assert Money.total(r.total for r in split.values()) == report.total
        assert Money.total(r.late_fees for r in split.values()) == report.late_fees
    assert report.for_unit("1-0101").principal == Money("800.00")
    assert report.for_party("owner-2").principal == Money("2100.00")
    assert report.for_account("1-0101", "buyer").principal == Money("400.00")


def test_balances_can_be_given_instead_of_accounts() -> None:
    balances = [a.balance(MONTH_END) for a in community()]
    assert arrears_as_of(balances, MONTH_END) == arrears_as_of(community(), MONTH_END)


def test_a_balance_of_another_day_is_refused() -> None:
    stale = community()[0].balance(pendulum.date(2026, 11, 30))
    with pytest.raises(AsOfMismatch, match="2026-11-30, not 2026-12-31"):
        arrears_as_of([stale], MONTH_END)


def test_an_account_given_twice_is_refused() -> None:
    acc = community()[0]
    with pytest.raises(DuplicateAccount, match="1-0101 billed to seller is given twice"):
        arrears_as_of([acc, acc.balance(MONTH_END)], MONTH_END)


def test_accounts_in_two_currencies_are_refused() -> None:
    hkd = Account("H", billed_party="P", currency="HKD")
    with pytest.raises(CurrencyMismatch, match="HKD"):
        arrears_as_of([community()[0], hkd], MONTH_END)


def test_an_empty_community_owes_nothing() -> None:
    report = arrears_as_of([], MONTH_END)
    assert report.total == Money("0")
    assert report.currency == "CNY"
    assert len(report.rows) == len(DEFAULT_AGING.buckets)


def test_something_else_than_an_account_is_refused() -> None:
    with pytest.raises(TypeError, match="Account or an AccountBalance"):
        owed_as_of(["1-0101"], MONTH_END)  # type: ignore[list-item]


# -- properties ------------------------------------------------------------------------------

UNITS = ("1-0101", "1-0102", "2-0201")
PARTIES = ("owner-1", "owner-2", None)


@st.composite
def accounts(draw: st.DrawFn, unit: str, party: str | None) -> Account:
    """An account with up to 14 months of notices and receipts, waivers and write-offs.

    Events the account refuses (a waiver of what is not owed …) are left out, so every drawn
    account is one the core accepts.
    """
    first = draw(st.sampled_from([(2023, 1), (2025, 6), (2026, 3)]))
    months = draw(st.integers(1, 14))
    acc = Account(unit, billed_party=party)
    periods = []
    period = BillingPeriod.month(*first)
    for _ in range(months):
        amount = Money.from_minor_units(draw(st.integers(1, 200_000)))
        notice = opening_statement(
            community=COMMUNITY,
            unit_id=unit,
            period=period,
            amount=amount,
            due_on=period.end.add(days=10),
        )
        acc = acc.post(notice)
        periods.append(notice)
        period = period.next()
    last = periods[-1].due_on.add(days=60)
    first_day = periods[0].issued_on
    span = (last - first_day).days
    for i in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["receipt", "receipt", "waive", "write", "cost"]))
        on = first_day.add(days=draw(st.integers(0, span)))
        target = draw(st.sampled_from(periods)).number
        event: object
        if kind == "receipt":
            money = Money.from_minor_units(draw(st.integers(1, 300_000)))
            event = Receipt(f"B-{i}", money, on)
        elif kind == "waive":
            event = PrincipalWaiver(f"PW-{i}", target, OK, on=on)
        elif kind == "write":
            event = WriteOff(f"WO-{i}", target, OK, on=on)
        else:
            money = Money.from_minor_units(draw(st.integers(1, 20_000)))
            event = CollectionCost(f"C-{i}", target, money, on, "letter")
        try:
            acc = acc.post(event)  # type: ignore[arg-type]
        except AccountError:
            continue
    return acc


@st.composite
def portfolios(draw: st.DrawFn) -> list[Account]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(UNITS), st.sampled_from(PARTIES)),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    return [draw(accounts(unit, party)) for unit, party in keys]


AS_OF = st.dates(min_value=pendulum.date(2023, 1, 1), max_value=pendulum.date(2028, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day)
)


@settings(max_examples=40)
@given(portfolio=portfolios(), as_of=AS_OF)
def test_buckets_partition_the_outstanding_exactly(portfolio: list[Account], as_of) -> None:
    report = arrears_as_of(portfolio, as_of)
    balances: list[AccountBalance] = [a.balance(as_of) for a in portfolio]
    principal = Money.total(b.principal_outstanding for b in balances)
    fees = Money.total(b.late_fees_outstanding for b in balances)
    costs = Money.total(b.costs_outstanding for b in balances)
    rows = report.rows
    assert Money.total(r.principal for r in rows) == principal == report.principal
    assert Money.total(r.late_fees for r in rows) == fees == report.late_fees
    assert Money.total(r.costs for r in rows) == costs == report.costs
    assert Money.total(r.total for r in rows) == Money.total(b.outstanding for b in balances)
    assert sum(r.statements for r in rows) == len(report.lines)
    for line in report.lines:
        assert line.bucket.holds(line.days_overdue)
        assert line.total
        assert line.past_limitation == (as_of > line.due_on.add(days=1).add(years=3))


@settings(max_examples=30)
@given(portfolio=portfolios(), as_of=AS_OF)
def test_every_roll_up_adds_up_to_the_community(portfolio: list[Account], as_of) -> None:
    report = arrears_as_of(portfolio, as_of)
    for split in (report.by_unit(), report.by_party(), report.by_account()):
        assert sum(len(r.lines) for r in split.values()) == len(report.lines)
        for part in ("principal", "late_fees", "costs"):
            assert Money.total(getattr(r, part) for r in split.values()) == getattr(report, part)
    for (unit, party), sub in report.by_account().items():
        balance = next(
            a.balance(as_of) for a in portfolio if (a.unit_id, a.billed_party) == (unit, party)
        )
        assert sub.total == balance.outstanding


def test_for_a_key_the_report_did_not_read_is_empty() -> None:
    report = arrears_as_of(community(), MONTH_END)
    assert report.for_unit("9-9999").lines == ()
    assert report.for_party("nobody").accounts == ()


def test_balance_and_light_rows_give_the_same_report() -> None:
    accounts = community()
    light = owed_as_of(accounts, MONTH_END)
    full = owed_as_of([a.balance(MONTH_END) for a in accounts], MONTH_END)
    assert [a.rows for a in light] == [a.rows for a in full]
    assert [a.communities for a in light] == [frozenset({COMMUNITY})] * 4


# -- the month-end fast path -----------------------------------------------------------------


def test_age_owed_gives_one_row_per_bucket() -> None:
    acc = community()[2]  # 1-0102: one line in 31-90 and one over three years
    rows = age_owed(acc.owed(MONTH_END), MONTH_END)
    assert [r.bucket for r in rows] == list(DEFAULT_AGING.buckets)
    assert [r.statements for r in rows] == [0, 0, 1, 0, 0, 0, 1]
    assert rows[2].label() == "31–90天"
    assert rows[2].label("en_US") == "31–90 days"
    assert rows[2].total == rows[2].principal + rows[2].late_fees + rows[2].costs
    assert Money.total(r.total for r in rows) == acc.balance(MONTH_END).outstanding


def test_age_owed_of_nothing_is_zero_rows() -> None:
    rows = age_owed((), MONTH_END, currency="HKD")
    assert all(r.total == Money("0", "HKD") for r in rows)


def test_age_owed_refuses_another_currency() -> None:
    rows = community()[0].owed(MONTH_END)
    with pytest.raises(CurrencyMismatch, match="HKD"):
        age_owed(rows, MONTH_END, currency="HKD")


@settings(max_examples=30)
@given(portfolio=portfolios(), as_of=AS_OF)
def test_age_owed_agrees_with_the_report(portfolio: list[Account], as_of) -> None:
    report = arrears_as_of(portfolio, as_of)
    fast = [age_owed(a.owed(as_of), as_of) for a in portfolio]
    for index, row in enumerate(report.rows):
        assert Money.total(f[index].principal for f in fast) == row.principal
        assert Money.total(f[index].late_fees for f in fast) == row.late_fees
        assert Money.total(f[index].costs for f in fast) == row.costs
        assert sum(f[index].statements for f in fast) == row.statements
        assert sum(f[index].accounts for f in fast) == row.accounts


@settings(max_examples=60, deadline=None)
@given(
    account=_account_strategies.accounts(min_year=2020, max_year=2021),
    offset=st.integers(min_value=0, max_value=1200),
)
def test_aging_an_account_directly_equals_aging_its_owed_rows(
    account: Account, offset: int
) -> None:
    as_of = pendulum.date(2020, 1, 1).add(days=offset)
    direct = age_account(account, as_of)
    via_rows = age_owed(account.owed(as_of), as_of, currency=account.currency)
    assert [
        (r.bucket, r.principal, r.late_fees, r.costs, r.total, r.statements) for r in direct
    ] == [(r.bucket, r.principal, r.late_fees, r.costs, r.total, r.statements) for r in via_rows]


@given(edges=st.lists(st.integers(1, 5000), min_size=1, max_size=6, unique=True).map(sorted))
def test_cached_buckets_are_those_the_edges_give(edges: list[int]) -> None:
    """The buckets set while a policy is built cover every day once, as a validated rebuild's."""
    policy = AgingPolicy(edges=tuple(edges))
    rebuilt = rebuilt_validated(policy)
    assert rebuilt == policy
    assert rebuilt.buckets == policy.buckets
    for days in {0, 1, *edges, *(e + 1 for e in edges)}:
        assert [b for b in policy.buckets if b.holds(days)] == [policy.bucket_for(days)]


# -- edges, limitation and arguments, worked ---------------------------------------------------


@pytest.mark.parametrize("years", [1, 20])
def test_a_limitation_from_one_to_twenty_years_is_accepted(years: int) -> None:
    policy = AgingPolicy(limitation_years=years)
    # Due 10 Dec 2023: the period starts on 11 Dec 2023 and ends on its anniversary.
    assert policy.limitation_ends_on(pendulum.date(2023, 12, 10)) == pendulum.date(
        2023 + years, 12, 11
    )


def test_year_edges_read_as_years_but_the_first_year_reads_in_days() -> None:
    policy = AgingPolicy(edges=(365, 730))
    assert [b.label("en_US") for b in policy.buckets] == [
        "current",
        "1–365 days",
        "1–2 years",
        "over 2 years",
    ]
    assert [b.label() for b in policy.buckets] == ["未到期", "1–365天", "1–2年", "2年以上"]
    # A range with an end that is not a whole number of years reads in days.
    assert [b.label("en_US") for b in AgingPolicy(edges=(400, 730)).buckets] == [
        "current",
        "1–400 days",
        "401–730 days",
        "over 2 years",
    ]
    assert AgingPolicy(edges=(400,)).buckets[-1].label("en_US") == "over 400 days"


def test_a_bucket_holds_both_its_edges_and_nothing_beyond() -> None:
    current, first, *_, last = DEFAULT_AGING.buckets
    assert current.holds(0)
    assert not current.holds(1)
    assert first.holds(1)
    assert first.holds(30)
    assert not first.holds(0)
    assert not first.holds(31)
    assert not last.holds(1095)
    assert last.holds(1096)
    assert last.holds(10**6)
    assert [b.is_current for b in DEFAULT_AGING.buckets] == [True] + [False] * 6


def test_a_demand_on_the_first_or_the_last_day_of_the_period_interrupts_it() -> None:
    due = pendulum.date(2022, 1, 10)  # the period runs from 11 Jan 2022 to 11 Jan 2025
    first_day, last_day = pendulum.date(2022, 1, 11), pendulum.date(2025, 1, 11)
    assert DEFAULT_AGING.limitation_ends_on(due, [first_day]) == pendulum.date(2025, 1, 11)
    assert DEFAULT_AGING.limitation_ends_on(due, [last_day]) == pendulum.date(2028, 1, 11)
    # On the due date itself nothing was overdue yet: no interruption.
    assert DEFAULT_AGING.limitation_ends_on(due, [due]) == pendulum.date(2025, 1, 11)
    # The day after the period ended revives nothing.
    after = pendulum.date(2025, 1, 12)
    assert DEFAULT_AGING.limitation_ends_on(due, [after]) == pendulum.date(2025, 1, 11)


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: DEFAULT_AGING.limitation_ends_on("2023-12-10"), NotADate, "due_on"),
        (
            lambda: DEFAULT_AGING.limitation_ends_on(pendulum.date(2023, 12, 10), "2025-03-01"),
            InvalidType,
            "interruptions",
        ),
        (
            lambda: DEFAULT_AGING.limitation_ends_on(pendulum.date(2023, 12, 10), ["2025-03-01"]),
            NotADate,
            "interruptions",
        ),
        (lambda: days_past_due("2026-12-10", MONTH_END), NotADate, "due_on"),
        (lambda: days_past_due(pendulum.date(2026, 12, 10), "2026-12-31"), NotADate, "as_of"),
        (lambda: arrears_as_of([], "2026-12-31"), NotADate, "as_of"),
        (lambda: arrears_as_of("U", MONTH_END), InvalidType, "accounts"),
        (lambda: arrears_as_of([], MONTH_END, interruptions=[]), InvalidType, "interruptions"),
        (lambda: arrears_as_of([], MONTH_END, policy=None), InvalidType, "policy"),
        (lambda: age_owed((), MONTH_END, policy=None), InvalidType, "policy"),
        (lambda: age_owed((), "2026-12-31"), NotADate, "as_of"),
        (lambda: age_owed("rows", MONTH_END), InvalidType, "rows"),
        (lambda: age_owed([1], MONTH_END), InvalidType, "rows"),
        (lambda: age_account("U", MONTH_END), InvalidType, "account"),
        (lambda: age_account(Account("U"), MONTH_END, None), InvalidType, "policy"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(
    call: Callable[[], object], error: type[PropcrmError], field: str
) -> None:
    with pytest.raises(error) as refused:
        call()
    assert refused.value.field == field


def test_interruptions_are_read_per_account() -> None:
    acc = account("U", "P", statement("U", 2023, 11, "100.00"))  # due 10 Dec 2023
    other = account("V", "P", statement("V", 2023, 11, "100.00"))
    demands = {("U", "P"): [pendulum.date(2026, 6, 1)]}
    report = arrears_as_of([acc, other], pendulum.date(2027, 1, 1), interruptions=demands)
    assert [(x.unit_id, x.past_limitation) for x in report.lines] == [("U", False), ("V", True)]
    with pytest.raises(NotADate) as refused:
        arrears_as_of([acc], MONTH_END, interruptions={("U", "P"): ["2026-06-01"]})
    assert refused.value.field == "interruptions"


def test_a_statement_due_on_the_as_of_day_is_current_on_every_path() -> None:
    due_today = account("U", "P", statement("U", 2026, 11, "500.00"))  # due 10 Dec 2026
    day = pendulum.date(2026, 12, 10)
    for rows in (age_account(due_today, day), age_owed(due_today.owed(day), day)):
        assert (rows[0].statements, rows[0].accounts, rows[0].total) == (1, 1, Money("500.00"))
        assert all(r.statements == 0 and r.accounts == 0 for r in rows[1:])
    # The next day it is a day overdue, with a day's late fee (1.50).
    rows = age_account(due_today, day.add(days=1))
    assert (rows[0].statements, rows[1].statements, rows[1].total) == (0, 1, Money("501.50"))


def test_the_fast_path_counts_statements_and_sums_each_part() -> None:
    # Two notices in one bucket, one with collection costs: the row keeps the parts apart.
    acc = account(
        "U",
        "P",
        statement("U", 2026, 10, "100.00"),  # due 10 Nov: 51 days on 31 Dec, 15.30 late fee
        statement("U", 2026, 11, "200.00", due=pendulum.date(2026, 11, 30)),  # 31 days, 18.60
        CollectionCost(
            "C-1", "SUNRISE/2026-10/U", Money("20.00"), pendulum.date(2026, 12, 1), "letter"
        ),
        CollectionCost(
            "C-2", "SUNRISE/2026-11/U", Money("5.00"), pendulum.date(2026, 12, 1), "letter"
        ),
    )
    for rows in (age_account(acc, MONTH_END), age_owed(acc.owed(MONTH_END), MONTH_END)):
        row = rows[2]
        assert row.bucket.code == "31-90"
        assert (row.statements, row.accounts) == (2, 1)
        assert (row.principal, row.late_fees, row.costs, row.total) == (
            Money("300.00"),
            Money("33.90"),
            Money("25.00"),
            Money("358.90"),
        )


@pytest.mark.parametrize(
    ("call", "error", "refusal"),
    [
        (
            lambda: AgingPolicy(edges="30"),
            InvalidPolicy,
            ("edges", "30", "a sequence of ints", {}),
        ),
        (
            lambda: AgingPolicy(edges=(0, 30)),
            InvalidPolicy,
            ("edges", (0, 30), "one or more ints of at least 1", {}),
        ),
        (
            lambda: AgingPolicy(edges=(90, 30)),
            InvalidPolicy,
            ("edges", (90, 30), "strictly rising days", {}),
        ),
        (
            lambda: AgingPolicy(limitation_years=21),
            InvalidPolicy,
            ("limitation_years", 21, "an int from 1 to 20", {}),
        ),
        (
            lambda: DEFAULT_AGING.bucket_for(-1),
            InvalidPolicy,
            ("days_overdue", -1, "an int of 0 or more", {}),
        ),
        (
            lambda: DEFAULT_AGING.limitation_ends_on(pendulum.date(2023, 12, 10), 5),
            InvalidType,
            ("interruptions", 5, "an iterable (a list or tuple)", {}),
        ),
        (
            lambda: age_owed(community()[0].owed(MONTH_END), MONTH_END, currency="HKD"),
            CurrencyMismatch,
            ("currency", "CNY", "HKD", {"statement": "SUNRISE/2026-06/1-0101"}),
        ),
        (
            lambda: arrears_as_of([community()[0].balance(pendulum.date(2026, 11, 30))], MONTH_END),
            AsOfMismatch,
            ("as_of", pendulum.date(2026, 11, 30), "2026-12-31", {"unit_id": "1-0101"}),
        ),
        (
            lambda: owed_as_of(["1-0101"], MONTH_END),
            InvalidType,
            ("accounts", "1-0101", "Account or AccountBalance", {}),
        ),
        (
            lambda: arrears_as_of([community()[0], community()[0]], MONTH_END),
            DuplicateAccount,
            (None, None, None, {"unit_id": "1-0101", "billed_party": "seller"}),
        ),
        (
            lambda: arrears_as_of([], MONTH_END, interruptions=[]),
            InvalidType,
            ("interruptions", [], "a mapping of (unit id, billed party) to dates", {}),
        ),
        (
            lambda: arrears_as_of(
                [community()[0], Account("H", billed_party="P", currency="HKD")], MONTH_END
            ),
            CurrencyMismatch,
            ("currency", "HKD", "CNY", {"unit_id": "H"}),
        ),
    ],
)
def test_every_refusal_says_what_was_wrong_as_data(
    call: Callable[[], object], error: type[PropcrmError], refusal: tuple[object, ...]
) -> None:
    with pytest.raises(error) as refused:
        call()
    found = refused.value
    assert (found.field, found.value, found.allowed, found.context) == refusal


def hkd_account() -> Account:
    """A Hong Kong dollar account: November's 400.00 HKD, due 10 December."""
    november = opening_statement(
        community=COMMUNITY,
        unit_id="H",
        period=BillingPeriod.month(2026, 11),
        amount=Money("400.00", "HKD"),
        due_on=pendulum.date(2026, 12, 10),
    )
    return Account("H", billed_party="P", currency="HKD").post(november)


def test_an_account_in_dollars_is_aged_in_dollars_on_every_path() -> None:
    acc = hkd_account()
    owed_hkd = Money("425.20", "HKD")  # 400.00 and 21 days at 0.3 %: 25.20
    report = arrears_as_of([acc], MONTH_END)
    assert (report.currency, report.total) == ("HKD", owed_hkd)
    for rows in (age_account(acc, MONTH_END), age_owed(acc.owed(MONTH_END), MONTH_END)):
        row = rows[1]
        assert (row.principal, row.late_fees, row.costs, row.total) == (
            Money("400.00", "HKD"),
            Money("25.20", "HKD"),
            Money("0.00", "HKD"),
            owed_hkd,
        )


def test_an_empty_report_in_dollars_owes_nothing_in_dollars() -> None:
    report = arrears_as_of([], MONTH_END, currency="HKD")
    nothing = Money("0.00", "HKD")
    assert report.as_of == MONTH_END
    assert (report.principal, report.late_fees, report.costs) == (nothing, nothing, nothing)
    assert (report.total, report.overdue, report.past_limitation) == (nothing, nothing, nothing)
    assert arrears_as_of([hkd_account()], MONTH_END, currency="HKD").total.currency == "HKD"


def test_a_report_refuses_a_currency_that_is_not_one() -> None:
    with pytest.raises(UnknownCurrency) as refused:
        arrears_as_of([], MONTH_END, currency="hkd")
    assert refused.value.field == "currency"


def test_interruptions_must_map_accounts_to_dates() -> None:
    with pytest.raises(InvalidType) as refused:
        arrears_as_of([], MONTH_END, interruptions=[])  # type: ignore[arg-type]
    assert str(refused.value) == "interruptions [] must map accounts (unit, billed party) to dates."
    acc = account("U", "P", statement("U", 2023, 11, "100.00"))
    with pytest.raises(InvalidType) as text:
        arrears_as_of([acc], MONTH_END, interruptions={("U", "P"): "2026-06-01"})
    assert text.value.field == "interruptions"


def test_age_account_names_a_date_given_as_text() -> None:
    with pytest.raises(NotADate) as refused:
        age_account(community()[0], "2026-12-31")  # type: ignore[arg-type]
    assert refused.value.field == "as_of"


def test_age_owed_refuses_one_statement_twice() -> None:
    rows = community()[0].owed(MONTH_END)
    with pytest.raises(DuplicateReference) as refused:
        age_owed([*rows, rows[0]], MONTH_END)
    assert str(refused.value) == (
        f"rows names the statement {rows[0].number!r} twice; each may appear once."
    )
    assert refused.value.field == "rows"


def test_a_statement_one_day_overdue_leaves_current_on_the_fast_path() -> None:
    acc = account("U", "P", statement("U", 2026, 11, "500.00"))  # due 10 Dec 2026
    day = pendulum.date(2026, 12, 11)
    rows = age_owed(acc.owed(day), day)
    assert [r.statements for r in rows[:2]] == [0, 1]
    assert rows[1].total == Money("501.50")


def test_buckets_are_numbered_from_current() -> None:
    assert [b.index for b in DEFAULT_AGING.buckets] == [0, 1, 2, 3, 4, 5, 6]
    assert [b.index for b in AgingPolicy(edges=(30,)).buckets] == [0, 1, 2]


def test_a_split_report_lists_the_accounts_it_holds() -> None:
    report = arrears_as_of(community(), MONTH_END)
    assert report.for_unit("1-0101").accounts == (("1-0101", "seller"), ("1-0101", "buyer"))
    assert report.for_party("owner-2").accounts == (("1-0102", "owner-2"), ("2-0101", "owner-2"))
    assert report.for_account("2-0101", "owner-2").accounts == (("2-0101", "owner-2"),)


def test_a_balance_with_only_a_late_fee_or_only_costs_left_still_has_a_line() -> None:
    principal_first = AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST)
    fee_left = Account("U", billed_party="P", allocation=principal_first).post(
        statement("U", 2026, 11, "1000.00"),
        Receipt("B-1", Money("1000.00"), pendulum.date(2026, 12, 20)),
    )
    costs_left = Account("V", billed_party="P", allocation=principal_first).post(
        statement("V", 2026, 11, "1000.00"),
        CollectionCost("C-1", "SUNRISE/2026-11/V", Money("50.00"), pendulum.date(2026, 12, 1), "x"),
        Receipt("B-2", Money("1000.00"), pendulum.date(2026, 12, 10)),
    )
    balances = [fee_left.balance(MONTH_END), costs_left.balance(MONTH_END)]
    report = arrears_as_of(balances, MONTH_END)
    assert [(x.unit_id, x.principal, x.late_fees, x.costs) for x in report.lines] == [
        ("U", Money("0.00"), Money("30.00"), Money("0.00")),
        ("V", Money("0.00"), Money("0.00"), Money("50.00")),
    ]
    assert report == arrears_as_of([fee_left, costs_left], MONTH_END)


def test_year_ranges_beyond_a_floats_precision_are_counted_exactly() -> None:
    # 2**53 + 1 years cannot be a float: the label counts whole years in ints.
    years = 2**53 + 1
    policy = AgingPolicy(edges=(365 * years, 365 * (years + 1)))
    assert policy.buckets[2].label("en_US") == f"{years}–{years + 1} years"


def test_refusals_say_what_was_wrong_in_words() -> None:
    with pytest.raises(InvalidType) as not_many:
        DEFAULT_AGING.limitation_ends_on(pendulum.date(2023, 12, 10), 5)  # type: ignore[arg-type]
    assert str(not_many.value) == "interruptions 5 must be an iterable (a list or tuple)."
    with pytest.raises(InvalidPolicy) as negative:
        DEFAULT_AGING.bucket_for(-1)
    assert str(negative.value) == "days overdue -1 must be an int of 0 or more."
    stale = community()[0].balance(pendulum.date(2026, 11, 30))
    with pytest.raises(AsOfMismatch) as other_day:
        owed_as_of([stale], MONTH_END)
    assert str(other_day.value) == (
        "the balance of unit 1-0101 (billed to seller) is as of 2026-11-30, not 2026-12-31; "
        "pass the Account or its balance as of 2026-12-31."
    )
    with pytest.raises(NotADate) as text:
        owed_as_of([], "2026-12-31")  # type: ignore[arg-type]
    assert text.value.field == "as_of"


def test_what_an_account_owes_is_read_by_due_date_then_number() -> None:
    # October's notice deferred to January falls due after November's: due date first.
    acc = account(
        "U",
        "P",
        statement("U", 2026, 10, "100.00", due=pendulum.date(2027, 1, 10)),
        statement("U", 2026, 11, "200.00"),
    )
    for source in (acc, acc.balance(MONTH_END)):
        (owed,) = owed_as_of([source], MONTH_END)
        assert [row.number for row in owed.rows] == ["SUNRISE/2026-11/U", "SUNRISE/2026-10/U"]
        assert owed.communities == frozenset({COMMUNITY})
