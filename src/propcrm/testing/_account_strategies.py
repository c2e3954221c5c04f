"""Hypothesis strategies for late-fee policies, receipts, payment histories and accounts.

Every value drawn passes its type's validators and every account replays without a refused
event: statements are built by :func:`~propcrm.billing.opening_statement`, receipts of a payment
history never pay more than the statement's principal, deferrals only move a due date later,
and each waiver is drawn from what the account itself says is owed on the day it is posted.
They shrink towards the simplest value: the brief's default policy (0.3 % a day, no grace, no
cap), one unpaid statement for ¥0.01 for January 2000, a receipt for ¥0.01 paid by the billed
party on 1 January 2000, and no deferral, waiver or designation.

>>> from hypothesis import given, settings
>>> from propcrm.receivables import late_fee
>>> @settings(max_examples=20, database=None)
... @given(payment_histories())
... def test_fee_is_never_negative(history):
...     fee = late_fee(
...         history.principal, history.due_on, history.due_on.add(days=30), history.reductions()
...     )
...     assert not fee.amount.is_negative
>>> test_fee_is_never_negative()
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

import attrs
import pendulum
from hypothesis import strategies as st

from propcrm.billing._cycles import DEFAULT_CYCLE
from propcrm.billing._late_fee_terms import (
    DEFAULT_LATE_FEE,
    DEFAULT_LATE_FEE_RATE,
    NO_CAP,
    AbsoluteCap,
    AnnualisedRateCap,
    Compounding,
    GraceKind,
    LateFeeCap,
    LateFeePolicy,
    PercentOfPrincipalCap,
    StartRule,
)
from propcrm.billing._statements import (
    Statement,
    opening_statement,
)
from propcrm.money import (
    CNY,
    Money,
    Rate,
    RateBasis,
    RoundingMode,
    check_currency,
)
from propcrm.receivables._accounts import (
    Account,
    AccountEvent,
    effective_on,
)
from propcrm.receivables._adjustments import (
    Authorisation,
    LateFeeWaiver,
    PrincipalWaiver,
)
from propcrm.receivables._allocation import (
    DEFAULT_ALLOCATION,
    AllocationOrder,
    AllocationPolicy,
)
from propcrm.receivables._deferrals import Deferral
from propcrm.receivables._late_fees import PrincipalReduction
from propcrm.receivables._receipts import (
    PayerRole,
    Receipt,
)
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = [
    "PaymentHistory",
    "accounts",
    "late_fee_policies",
    "payment_histories",
    "receipts",
]

_DateOrStrategy = datetime.date | st.SearchStrategy[datetime.date] | None
"""A fixed date, a strategy of dates, or ``None`` for the strategy's default dates."""

_COMMUNITIES = ("SUNRISE", "LAKESIDE", "RIVERSIDE", "PARKVIEW")
_APPROVERS = (
    Authorisation("finance manager Li", "pipe burst in the unit; goodwill"),
    Authorisation("customer service manager Wang", "meter under test"),
    Authorisation("general manager Zhao", "hardship agreed with the owners' committee"),
)
_OTHER_PAYERS = {
    PayerRole.OCCUPANT_FOR_OWNER: "tenant",
    PayerRole.THIRD_PARTY: "party",
}
# Rounding modes a community might declare; half-up (四舍五入, the notices' mode) first.
_ROUNDINGS = (RoundingMode.HALF_UP, RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.UP)
_MAX_PRINCIPAL = Money("100000.00")


# -- helpers ----------------------------------------------------------------------------------


def _check_int(value: int, what: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{what} must be an int of at least {minimum}, got {value!r}")
    return value


def _bounds(
    low: Money | None, high: Money | None, currency: str | None, what: str
) -> tuple[int, int, str]:
    """Minor units of ``[low, high]`` and their currency; defaults ¥0.01 and ¥100,000.00.

    The currency is ``currency``, else the bounds', else CNY; bounds in another one, not
    rounded, negative or crossed are refused.
    """
    given = {b.currency for b in (low, high) if b is not None}
    code = check_currency(currency if currency is not None else min(given, default=CNY))
    if given - {code}:
        raise ValueError(f"{what}: bounds must all be in {code}, got {sorted(given)}")
    low = low if low is not None else Money.from_minor_units(1, code)
    high = high if high is not None else Money(_MAX_PRINCIPAL.amount, code)
    if not (low.is_rounded and high.is_rounded) or low.is_negative:
        raise ValueError(f"{what}: bounds must be rounded and zero or more, got {low!r}")
    if low > high:
        raise ValueError(f"{what}: the lower bound {low!r} is above the upper bound {high!r}")
    return low.minor_units, high.minor_units, code


def _dates(value: _DateOrStrategy) -> st.SearchStrategy[pendulum.Date]:
    """``value`` as a strategy of pendulum dates; ``None``: any day of 2000–2099."""
    if value is None:
        first, last = pendulum.date(2000, 1, 1), pendulum.date(2099, 12, 31)
        return st.integers(0, (last - first).days).map(lambda n: first.add(days=n))
    if isinstance(value, st.SearchStrategy):
        return value.map(as_date)
    return st.just(as_date(value))


def _months(min_year: int, max_year: int) -> st.SearchStrategy[BillingPeriod]:
    """Months from January ``min_year`` to December ``max_year``; shrinks to the first."""
    if not 1 <= _check_int(min_year, "min_year", minimum=1) <= max_year <= 9998:
        raise ValueError(f"years must satisfy 1 <= min_year <= max_year <= 9998, got {max_year}")
    last = (max_year - min_year + 1) * 12 - 1
    return st.integers(0, last).map(lambda n: BillingPeriod.month(min_year + n // 12, n % 12 + 1))


def _unit_ids() -> st.SearchStrategy[str]:
    """Unit ids like ``'1-2-0301'``; shrinks to ``'1-1-0101'``."""
    return st.builds(
        lambda b, e, f, r: f"{b}-{e}-{f:02d}{r:02d}",
        st.integers(1, 30),
        st.integers(1, 4),
        st.integers(1, 33),
        st.integers(1, 4),
    )


def _policies(
    value: LateFeePolicy | st.SearchStrategy[LateFeePolicy] | None,
) -> st.SearchStrategy[LateFeePolicy]:
    if value is None:
        return st.just(DEFAULT_LATE_FEE)
    if isinstance(value, LateFeePolicy):
        return st.just(value)
    return value


def _allocations(
    value: AllocationPolicy | st.SearchStrategy[AllocationPolicy] | None,
) -> st.SearchStrategy[AllocationPolicy]:
    if value is None:
        return st.builds(
            AllocationPolicy,
            st.sampled_from(AllocationOrder),
            st.sampled_from((True, False)),
        )
    if isinstance(value, AllocationPolicy):
        return st.just(value)
    return value


@st.composite
def _payer(draw: st.DrawFn) -> tuple[PayerRole, str | None]:
    role = draw(st.sampled_from(PayerRole))
    if role is PayerRole.BILLED_PARTY:
        return role, None
    return role, f"{_OTHER_PAYERS[role]}-{draw(st.integers(1, 99))}"


def _receipt(
    draw: st.DrawFn,
    reference: str,
    units: int,
    currency: str,
    received_on: pendulum.Date,
    designation: Sequence[str] = (),
) -> Receipt:
    """A receipt with the payer's own date (shrinks to none) and payer (the billed party)."""
    days_before = draw(st.none() | st.integers(0, 7))
    role, payer = draw(_payer())
    return Receipt(
        reference,
        Money.from_minor_units(units, currency),
        received_on=received_on,
        paid_on=None if days_before is None else received_on.subtract(days=days_before),
        payer=payer,
        role=role,
        designation=tuple(designation),
    )


# -- late-fee policies ------------------------------------------------------------------------


def late_fee_policies(
    *,
    max_grace_days: int = 15,
    compounding: bool = True,
    caps: bool = True,
    rounding: bool = True,
    currency: str = CNY,
) -> st.SearchStrategy[LateFeePolicy]:
    """Late-fee policies: rate, grace, start rule, compounding, cap and rounding mode.

    The rate is the brief's 0.3 % a day or any of 0.01 ‰ to 10.00 ‰ a day; caps are a
    percentage of the principal (0 % to 200 %), an annualised rate (0.01 % to 100 % a year) or
    an absolute amount (0 to 100,000 minor units: ¥0.00 to ¥1,000.00). Shrinks to
    :data:`~propcrm.billing.DEFAULT_LATE_FEE`.

    Args:
        max_grace_days: the most grace days (a threshold or a deductible); 0 for none.
        compounding: whether to draw daily compounding too; default ``True``.
        caps: whether to draw caps; default ``True`` (else never a cap).
        rounding: whether to draw rounding modes other than half-up; default ``True``.
        currency: the currency of absolute caps (the statements'); default CNY.
    """
    _check_int(max_grace_days, "max_grace_days")
    check_currency(currency)
    rates = st.one_of(
        st.just(DEFAULT_LATE_FEE_RATE),
        st.integers(1, 1000).map(
            lambda n: Rate.per_mille(Decimal(n).scaleb(-2), per=RateBasis.DAY)
        ),
    )
    cap_kinds: st.SearchStrategy[LateFeeCap] = st.just(NO_CAP)
    if caps:
        cap_kinds = st.one_of(
            st.just(NO_CAP),
            st.integers(0, 20000).map(lambda n: PercentOfPrincipalCap(Decimal(n).scaleb(-2))),
            st.integers(1, 10000).map(
                lambda n: AnnualisedRateCap(Rate.percent(Decimal(n).scaleb(-2), per=RateBasis.YEAR))
            ),
            st.integers(0, 100000).map(lambda n: AbsoluteCap(Money.from_minor_units(n, currency))),
        )
    return st.builds(
        LateFeePolicy,
        rate=rates,
        grace_days=st.integers(0, max_grace_days),
        grace_kind=st.sampled_from(GraceKind),
        start=st.sampled_from(StartRule),
        compounding=st.sampled_from(Compounding) if compounding else st.just(Compounding.SIMPLE),
        cap=cap_kinds,
        rounding=st.sampled_from(_ROUNDINGS) if rounding else st.just(RoundingMode.HALF_UP),
    )


# -- receipts ---------------------------------------------------------------------------------


def receipts(
    *,
    received_on: _DateOrStrategy = None,
    min_amount: Money | None = None,
    max_amount: Money | None = None,
    currency: str | None = None,
    designation: Sequence[str] = (),
) -> st.SearchStrategy[Receipt]:
    """Receipts (收款) with a bank reference like ``'BANK-20261130-01'``.

    The payer's own date is unknown or 0 to 7 days before the bank's receipt reached the
    company; the payer is the billed party, an occupant paying for the owner or a third party
    (both named). Shrinks towards ¥0.01 (or ``min_amount``) paid by the billed party on
    1 January 2000, with no payer's date and no designation. References are not unique across
    draws: draw lists with ``st.lists(receipts(), unique_by=lambda r: r.reference)`` (the
    same reference with other contents is refused by an account).

    Args:
        received_on: the day the bank's receipt reached the company, or a strategy of days;
            default any day of 2000–2099.
        min_amount: the smallest amount, positive; default ¥0.01.
        max_amount: the largest amount; default ¥100,000.00.
        currency: the currency; default the bounds', else CNY.
        designation: statement numbers a receipt may designate (a drawn subset, in order);
            default none.
    """
    low_units, high_units, code = _bounds(min_amount, max_amount, currency, "receipts")
    if low_units < 1:
        raise ValueError(f"receipts: min_amount {min_amount!r} must be positive")
    numbers = tuple(designation)
    days = _dates(received_on)

    @st.composite
    def draw_receipt(draw: st.DrawFn) -> Receipt:
        day = draw(days)
        serial = draw(st.integers(1, 99))
        units = draw(st.integers(low_units, high_units))
        named: list[str] = []
        if numbers:
            named = draw(st.lists(st.sampled_from(numbers), unique=True, max_size=len(numbers)))
        return _receipt(draw, f"BANK-{day:%Y%m%d}-{serial:02d}", units, code, day, named)

    return draw_receipt()


# -- payment histories ------------------------------------------------------------------------


@attrs.frozen
class PaymentHistory:
    """One statement and the receipts paid against it, never more than its principal."""

    statement: Statement
    receipts: tuple[Receipt, ...]

    @property
    def principal(self) -> Money:
        """The statement's amount owed."""
        return self.statement.total

    @property
    def due_on(self) -> pendulum.Date:
        """The statement's due date."""
        return self.statement.due_on

    @property
    def paid(self) -> Money:
        """The sum of the receipts."""
        return Money.total((r.amount for r in self.receipts), self.statement.currency)

    def reductions(self) -> tuple[PrincipalReduction, ...]:
        """Each receipt as principal paid on its effective date (late fees left unpaid)."""
        return tuple(
            PrincipalReduction(r.on, r.amount, f"receipt {r.reference}") for r in self.receipts
        )

    def account(self, allocation: AllocationPolicy = DEFAULT_ALLOCATION) -> Account:
        """The account holding the statement and the receipts."""
        return Account(
            self.statement.unit_id,
            billed_party=self.statement.billed_party,
            currency=self.statement.currency,
            allocation=allocation,
            events=(self.statement, *self.receipts),
        )


def _opening_statement(
    period: BillingPeriod,
    unit_id: str,
    community: str,
    units: int,
    currency: str,
    policy: LateFeePolicy,
) -> Statement:
    return opening_statement(
        community=community,
        unit_id=unit_id,
        period=period,
        amount=Money.from_minor_units(units, currency),
        due_on=DEFAULT_CYCLE.due_date(period).due_on,
        late_fee=policy,
        billed_party="owner-1",
    )


def payment_histories(
    *,
    min_principal: Money | None = None,
    max_principal: Money | None = None,
    currency: str | None = None,
    policies: LateFeePolicy | st.SearchStrategy[LateFeePolicy] | None = None,
    max_receipts: int = 3,
    max_days_late: int = 90,
    paid_in_full: bool | None = None,
    min_year: int = 2000,
    max_year: int = 2099,
) -> st.SearchStrategy[PaymentHistory]:
    """A monthly statement and up to ``max_receipts`` partial receipts against it.

    The statement is an opening statement for a drawn month, issued on its last day and due on
    the 10th of the next month (the brief's cycle). Receipts reach the company between the
    issue date and ``max_days_late`` days after the due date, and together never pay more than
    the principal. Shrinks towards ¥0.01 for January 2000 under the default policy, unpaid.

    Args:
        min_principal: the smallest principal; default ¥0.01.
        max_principal: the largest principal; default ¥100,000.00.
        currency: the currency; default the bounds', else CNY.
        policies: the statement's late-fee policy, or a strategy of them (e.g.
            :func:`late_fee_policies`); default the brief's.
        max_receipts: the most receipts; default 3.
        max_days_late: the latest receipt, in days after the due date; default 90.
        paid_in_full: ``True``: the receipts pay the whole principal; ``False``: they leave
            some of it owed; ``None`` (default): either.
        min_year: the first year of the statement's month; default 2000.
        max_year: the last year of the statement's month; default 2099.
    """
    low_units, high_units, code = _bounds(
        min_principal, max_principal, currency, "payment_histories"
    )
    _check_int(max_receipts, "max_receipts")
    _check_int(max_days_late, "max_days_late")
    if paid_in_full and (max_receipts < 1 or low_units < 1):
        raise ValueError("payment_histories: paid in full needs max_receipts ≥ 1 and a principal")
    if paid_in_full is False and high_units < 1:
        raise ValueError("payment_histories: a principal of 0 cannot be left partly unpaid")
    months = _months(min_year, max_year)
    policy_strategy = _policies(policies)

    @st.composite
    def draw_history(draw: st.DrawFn) -> PaymentHistory:
        period = draw(months)
        owed = draw(st.integers(max(low_units, 1 if paid_in_full is False else 0), high_units))
        statement = _opening_statement(
            period,
            draw(_unit_ids()),
            draw(st.sampled_from(_COMMUNITIES)),
            owed,
            code,
            draw(policy_strategy),
        )
        horizon = (statement.due_on - statement.issued_on).days + max_days_late
        fewest = 1 if paid_in_full and owed else 0
        count = draw(st.integers(fewest, max_receipts)) if owed else 0
        # What is drawn is what is left owed after each receipt; paid in full: the last one
        # pays the rest, partly paid: at least a fen stays owed.
        floor = 1 if paid_in_full is False else 0
        left = owed
        paid: list[Receipt] = []
        for index in range(count):
            if left - floor < 1:
                break
            last = index == count - 1
            units = left if paid_in_full and last else draw(st.integers(1, left - floor))
            day = statement.issued_on.add(days=draw(st.integers(0, horizon)))
            reference = f"BANK-{day:%Y%m%d}-{index + 1:02d}"
            paid.append(_receipt(draw, reference, units, code, day))
            left -= units
        return PaymentHistory(statement, tuple(paid))

    return draw_history()


# -- accounts ---------------------------------------------------------------------------------


def accounts(
    *,
    max_statements: int = 3,
    max_receipts: int = 4,
    max_principal: Money | None = None,
    currency: str | None = None,
    policies: LateFeePolicy | st.SearchStrategy[LateFeePolicy] | None = None,
    allocations: AllocationPolicy | st.SearchStrategy[AllocationPolicy] | None = None,
    deferrals: bool = True,
    waivers: bool = True,
    max_days_late: int = 120,
    min_year: int = 2000,
    max_year: int = 2099,
) -> st.SearchStrategy[Account]:
    """Accounts of one unit: monthly statements, receipts and optionally deferrals and waivers.

    Statements are opening statements for consecutive months, each due on the 10th of the next
    month, under one late-fee policy (a community's). Receipts reach the company between the
    first issue date and ``max_days_late`` days after the last due date; they may pay more than
    is owed (the rest is credit) and may designate statements already issued. A deferral is
    approved between a statement's issue and due dates and moves the due date 1 to 60 days
    later. A waiver (of late fee or principal, whole or part) falls on a day with no other
    event and waives at most what the account owes on that statement that day. Every event
    has its own reference, so the account always replays. Shrinks towards one unpaid statement
    for ¥0.01, January 2000, Civil Code order, no deferral or waiver.

    Args:
        max_statements: the most statements, 1 or more; default 3.
        max_receipts: the most receipts; default 4.
        max_principal: the largest statement (and receipt); default ¥100,000.00.
        currency: the account's currency; default that of ``max_principal``, else CNY.
        policies: the late-fee policy of every statement, or a strategy of them; default the
            brief's.
        allocations: the allocation policy, or a strategy of them; default either order,
            designations honoured or not.
        deferrals: whether to draw deferrals; default ``True``.
        waivers: whether to draw late-fee and principal waivers; default ``True``.
        max_days_late: the latest receipt or waiver, in days after the last due date.
        min_year: the first year of the first statement's month; default 2000.
        max_year: the last year of the first statement's month; default 2099.
    """
    _check_int(max_statements, "max_statements", minimum=1)
    _check_int(max_receipts, "max_receipts")
    _check_int(max_days_late, "max_days_late")
    _, high_units, code = _bounds(None, max_principal, currency, "accounts")
    if high_units < 1:
        raise ValueError(f"accounts: max_principal {max_principal!r} must be positive")
    months = _months(min_year, max_year)
    policy_strategy = _policies(policies)
    allocation_strategy = _allocations(allocations)

    @st.composite
    def draw_account(draw: st.DrawFn) -> Account:
        unit_id = draw(_unit_ids())
        community = draw(st.sampled_from(_COMMUNITIES))
        policy = draw(policy_strategy)
        allocation = draw(allocation_strategy)
        period = draw(months)
        statements: list[Statement] = []
        for _ in range(draw(st.integers(1, max_statements))):
            units = draw(st.integers(1, high_units))
            statements.append(_opening_statement(period, unit_id, community, units, code, policy))
            period = period.next()
        start = statements[0].issued_on
        horizon = (statements[-1].due_on - start).days + max_days_late
        events: list[AccountEvent] = list(statements)

        for index in range(draw(st.integers(0, max_receipts))):
            day = start.add(days=draw(st.integers(0, horizon)))
            issued = [s.number for s in statements if s.issued_on <= day]
            named: list[str] = []
            if issued:
                named = draw(st.lists(st.sampled_from(issued), unique=True, max_size=2))
            units = draw(st.integers(1, high_units))
            reference = f"BANK-{day:%Y%m%d}-{index + 1:02d}"
            events.append(_receipt(draw, reference, units, code, day, named))

        if deferrals:
            for index, statement in enumerate(statements):
                if not draw(st.booleans()):
                    continue
                window = (statement.due_on - statement.issued_on).days
                events.append(
                    Deferral(
                        f"D-{index + 1}",
                        statement.number,
                        statement.due_on.add(days=draw(st.integers(1, 60))),
                        draw(st.sampled_from(_APPROVERS)),
                        approved_on=statement.issued_on.add(days=draw(st.integers(0, window))),
                    )
                )

        if waivers:
            events = _with_waivers(draw, events, statements, horizon, unit_id, allocation, code)

        return Account(
            unit_id,
            billed_party="owner-1",
            currency=code,
            allocation=allocation,
            events=tuple(events),
        )

    return draw_account()


def _with_waivers(
    draw: st.DrawFn,
    events: list[AccountEvent],
    statements: Sequence[Statement],
    horizon: int,
    unit_id: str,
    allocation: AllocationPolicy,
    currency: str,
) -> list[AccountEvent]:
    """``events`` and at most one waiver per statement, each within what is owed that day."""
    busy = {effective_on(e) for e in events}
    planned: list[tuple[pendulum.Date, int, bool]] = []
    for index, statement in enumerate(statements):
        if not draw(st.booleans()):
            continue
        # On a day with no other event, the account as of the day before says exactly what the
        # waiver finds owed: nothing else replays on that day before or after it.
        day = statement.issued_on.add(days=draw(st.integers(1, horizon)))
        while day in busy:
            day = day.add(days=1)
        busy.add(day)
        planned.append((day, index, draw(st.booleans())))
    result = list(events)
    for day, index, of_principal in sorted(planned):
        number = statements[index].number
        before = Account(
            unit_id,
            currency=currency,
            allocation=allocation,
            events=tuple(e for e in result if effective_on(e) < day),
        )
        row = before.balance(as_of=day).statement(number)
        owed = row.principal_outstanding if of_principal else row.late_fee_outstanding
        if not owed.is_positive:
            continue
        amount = None  # the whole of it, the simplest waiver
        if not draw(st.sampled_from((True, False))):
            amount = Money.from_minor_units(draw(st.integers(1, owed.minor_units)), currency)
        kind = PrincipalWaiver if of_principal else LateFeeWaiver
        result.append(
            kind(f"W-{index + 1}", number, draw(st.sampled_from(_APPROVERS)), on=day, amount=amount)
        )
    return result
