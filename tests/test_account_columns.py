"""The ledger's columns: each debt's ints in one int64 array, a list when a value overflows.

A ledger keeps its debts' amounts, days and closed-form fee fields in rows of one array, its
principal reductions in another, and follows each payment's step of the fee's closed form
without reading the statement's other steps (``fee_form_step``). These tests check the step
against working the form out again, the fallback to plain lists when a value does not fit
in 64 bits (huge amounts, custom rates' fractions), and that an account posted to leaves the
account it was posted from as it was, whatever the two later fold.
"""

from __future__ import annotations

import array
from decimal import Decimal

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from propcrm.billing import (
    DEFAULT_LATE_FEE,
    Compounding,
    GraceKind,
    LateFeePolicy,
    StartRule,
    Statement,
    opening_line,
    opening_statement,
)
from propcrm.money import Money, Rate, RateBasis
from propcrm.receivables import Account, AccountEvent, Correction, Receipt, age_account
from propcrm.receivables._accounts import effective_on
from propcrm.receivables._late_fees import NEVER, fee_form, fee_form_step
from propcrm.testing._account_strategies import accounts, late_fee_policies
from propcrm.time import BillingPeriod

from .test_account_fee_forms import assert_owed_is_the_explained_balance
from .test_account_settled_debts import later_events, replayed
from .test_accounts import NOV, OCT, UNIT, account, as_of_dates, day, receipt, results

terms = late_fee_policies(max_grace_days=5)
ordinals = st.integers(730_000, 750_000)  # 1999 to 2054
ages = st.integers(-10, 20)


@settings(max_examples=300)
@given(
    policy=terms,
    owed=st.integers(0, 10**12),
    due=ordinals,
    # Days as ages (days after the due date), around the grace windows drawn.
    ages=st.lists(st.tuples(ages, st.integers(0, 10**9)), max_size=5),
    last=st.tuples(ages, st.integers(0, 10**9)),
)
def test_a_step_moves_the_fee_form_as_working_it_out_again_would(
    policy: LateFeePolicy,
    owed: int,
    due: int,
    ages: list[tuple[int, int]],
    last: tuple[int, int],
) -> None:
    # The step comes after the others, as a fold posts them.
    steps = sorted((due + age, units) for age, units in ages)
    step = (max([due + last[0], *(day for day, _ in steps)]), last[1])
    delta = fee_form_step(policy, due, *step)
    first = 0 if policy.start is StartRule.DUE_DATE else 1
    within = (
        policy.grace_days > 0
        and policy.grace_kind is GraceKind.THRESHOLD
        and step[0] - due < first + policy.grace_days
    )
    assert (delta is None) == (policy.compounding is Compounding.DAILY or within)
    if delta is not None:
        form = fee_form(policy, owed, steps, due)
        assert form is not None
        lag, intercept = form
        after = fee_form(policy, owed, [*steps, step], due)
        assert after == ((NEVER, 0) if lag == NEVER else (lag, intercept + delta))


# Rates with up to 24 significant digits: their exact fractions' denominators (up to 10^27)
# overflow int64 on their own.
long_rates = st.integers(1, 10**24).map(lambda n: Rate(Decimal(n).scaleb(-27), per=RateBasis.DAY))
# (Daily compounding accrues in a 40-digit context: not for rates of 24 digits.)
huge_terms = st.builds(
    lambda policy, rate: attrs.evolve(policy, rate=rate),
    late_fee_policies(max_grace_days=5, compounding=False),
    long_rates,
)


@settings(max_examples=80, deadline=None)
@given(
    accounts(
        policies=st.one_of(terms, huge_terms),
        max_principal=Money.from_minor_units(10**22),
        max_statements=3,
    )
)
def test_amounts_and_fractions_beyond_int64_owe_what_the_explained_balance_does(
    books: Account,
) -> None:
    for as_of in as_of_dates(books):
        assert_owed_is_the_explained_balance(books, as_of)
    assert results(books) == results(replayed(books))


def notice(amount: Money, policy: LateFeePolicy | None = None) -> Statement:
    period = BillingPeriod.month(2026, 10)
    return opening_statement(
        community="SUNRISE",
        unit_id=UNIT,
        period=period,
        amount=amount,
        due_on=pendulum.date(2026, 11, 10),
        late_fee=DEFAULT_LATE_FEE if policy is None else policy,
    )


def check_fallback(books: Account, *, cols: type, steps: type) -> None:
    ledger = books._ledger
    assert (type(ledger.cols), type(ledger.steps)) == (cols, steps)
    last = effective_on(books.events[-1])
    for as_of in (last, last.add(days=30), last.add(days=4000)):
        assert_owed_is_the_explained_balance(books, as_of)
        assert age_account(books, as_of) == age_account(replayed(books), as_of)


def test_a_rate_whose_fraction_overflows_keeps_its_ledger_in_lists() -> None:
    policy = LateFeePolicy(rate=Rate(Decimal("0.000123456789012345678901"), per=RateBasis.DAY))
    books = Account(UNIT).post(
        notice(Money("1000.00"), policy),
        Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20)),
    )
    check_fallback(books, cols=list, steps=array.array)


def test_a_payment_whose_fee_step_overflows_turns_the_columns_into_a_list() -> None:
    # The statement fits; the fee's intercept after a payment 1000 days late does not.
    opened = Account(UNIT).post(notice(Money.from_minor_units(10**17)))
    assert type(opened._ledger.cols) is not list
    paid = opened.post(
        Receipt(
            "BANK-1",
            Money.from_minor_units(5 * 10**16),
            received_on=pendulum.date(2029, 8, 6),
        )
    )
    check_fallback(paid, cols=list, steps=array.array)
    assert type(opened._ledger.cols) is not list  # the account posted to keeps its own
    check_fallback(replayed(paid), cols=list, steps=array.array)


def test_a_payment_beyond_int64_turns_the_steps_into_a_list() -> None:
    books = Account(UNIT).post(
        notice(Money.from_minor_units(10**20)),
        # Before the due date: no fee, the 10^19 all principal.
        Receipt("BANK-1", Money.from_minor_units(10**19), received_on=pendulum.date(2026, 11, 5)),
    )
    check_fallback(books, cols=list, steps=list)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_two_accounts_posted_from_one_never_change_it_or_each_other(data: st.DataObject) -> None:
    books = data.draw(accounts(max_statements=4, max_receipts=4, currency="CNY"))

    def everything(account: Account) -> list[object]:
        numbers = [e.number for e in account.events if isinstance(e, Statement)]
        last = effective_on(account.events[-1])
        days = (last, last.add(days=45))  # the kept ledger's (an earlier day replays)
        return [
            results(account),
            [account.late_fee(number, d) for number in numbers for d in days],
        ]

    kept = everything(books)
    first_events = later_events(books, data.draw)
    first = books.post(*first_events)
    first_kept = everything(first)
    second = books.post(*later_events(books, data.draw))
    paid_on = effective_on(first.events[-1]).add(days=data.draw(st.integers(0, 30)))
    third = first.post(Receipt("THIRD-1", Money("12.34"), received_on=paid_on))
    assert everything(books) == kept
    assert everything(first) == first_kept
    for posted in (first, second, third):
        assert everything(posted) == everything(replayed(posted))
    # And posting to them again still folds on from the state each one kept.
    after = effective_on(third.events[-1]).add(days=1)
    late: list[AccountEvent] = [Receipt("AFTER-1", Money("99.99"), received_on=after)]
    for posted in (books, first, second):
        again = posted.post(*late)
        assert everything(again) == everything(replayed(again))


def test_a_statement_numbered_as_another_ones_revision_is_a_statement_of_its_own() -> None:
    # A debt's key is its original number: a revision's number names it only where no
    # statement has that number of its own (as when debts were kept by key).
    corrected = OCT.revised((opening_line(Money("1200.00")),))
    twin = attrs.evolve(NOV, number=corrected.number)
    books = account(OCT, Correction("COR-1", corrected, day(11, 20), "area was wrong"), twin)
    rows = books.balance(day(12, 30)).statements
    assert [(r.number, r.original_number, r.principal) for r in rows] == [
        (corrected.number, OCT.number, Money("1200.00")),
        (corrected.number, corrected.number, Money("1000.00")),
    ]
    assert books.late_fee(corrected.number, day(12, 30)) == rows[1].late_fee


def test_a_later_notice_due_earlier_is_paid_first() -> None:
    # Posted in replay (issue) order, the debts are no longer in the order they fall due.
    october = opening_statement(
        community="SUNRISE",
        unit_id=UNIT,
        period=BillingPeriod.month(2026, 10),
        amount=Money("1000.00"),
        due_on=day(12, 31),
    )
    books = account(october, NOV, receipt("BANK-1", "1000.00", day(12, 5)))
    rows = {r.number: r for r in books.balance(day(12, 5)).statements}
    assert rows[NOV.number].principal_outstanding == Money("0.00")  # due 10 December
    assert rows[october.number].principal_outstanding == Money("1000.00")
    assert books.owed(day(12, 5)) == replayed(books).owed(day(12, 5))
