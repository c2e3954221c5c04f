"""Accounts (户账): a unit and the party billed for it, as a fold over its events.

An account holds a set of events: statements, receipts, credits, refunds, waivers, write-offs,
collection costs, corrections, disputes and deferrals. Everything else (what each statement
still owes, its late fee, its state, the credit) follows from replaying them in one canonical
order: by effective date, then by kind (statements, disputes, corrections, deferrals, costs,
waivers, write-offs, credits, receipts, refunds), then by reference. So the same set of events
in any order gives the same account, and balances as of any date replay just the events up to it.

Posting is idempotent on each event's reference: the same receipt twice never credits twice,
and the same reference with other contents is refused with an error naming both. An event that
would break an invariant (a refund above the credit, a waiver above what is owed, a deferral
to an earlier date, a dispute raised too late) is refused; nothing is repaired silently.

>>> november = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1000.00"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> account = Account("1-2-0301", billed_party="owner-17").post(november)
>>> account = account.post(
...     Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20))
... )
>>> row = account.balance(as_of=pendulum.date(2026, 12, 30)).statements[0]
>>> row.state.value, row.late_fee_paid, row.principal_outstanding
('partly_paid', Money('30.00', 'CNY'), Money('630.00', 'CNY'))
>>> [(s.days, s.base.amount) for s in row.late_fee.segments]
[(10, Decimal('1000.00')), (10, Decimal('630.00'))]
>>> row.late_fee.amount, row.late_fee_outstanding
(Money('48.90', 'CNY'), Money('18.90', 'CNY'))

The 400.00 received on 20 December first paid the 30.00 of late fee accrued over 10 days, then
370.00 of principal (Civil Code art. 561); from the 21st the fee ran on 630.00.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

import attrs
import pendulum

from propcrm.billing.adjustments import (
    CollectionCost,
    Correction,
    Credit,
    LateFeeWaiver,
    PrincipalWaiver,
    Refund,
    WriteOff,
)
from propcrm.billing.allocation import (
    DEFAULT_ALLOCATION,
    Allocation,
    AllocationPolicy,
    Component,
    Outstanding,
    allocate_payment,
)
from propcrm.billing.deferrals import Deferral
from propcrm.billing.disputes import (
    DEFAULT_DISPUTES,
    DisputePolicy,
    DisputeRaised,
    DisputeResolved,
)
from propcrm.billing.late_fees import LateFee, PrincipalReduction, late_fee
from propcrm.billing.receipts import PayerRole, Receipt
from propcrm.billing.statements import Statement
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateReference,
    RefusedChange,
    UnknownStatement,
)
from propcrm.money import CNY, Money, check_currency
from propcrm.time import as_date

__all__ = [
    "Account",
    "AccountBalance",
    "AccountEvent",
    "StatementBalance",
    "StatementState",
    "effective_on",
]

AccountEvent: TypeAlias = (
    Statement
    | Receipt
    | Credit
    | Refund
    | LateFeeWaiver
    | PrincipalWaiver
    | WriteOff
    | CollectionCost
    | Correction
    | Deferral
    | DisputeRaised
    | DisputeResolved
)
"""Everything that can be posted to an account."""

# Same-day events replay in this order: a statement before what refers to it, corrections
# and deferrals before the payments that settle the corrected amounts, refunds last.
_RANK: dict[type, int] = {
    Statement: 0,
    DisputeRaised: 1,
    DisputeResolved: 2,
    Correction: 3,
    Deferral: 4,
    CollectionCost: 5,
    LateFeeWaiver: 6,
    PrincipalWaiver: 7,
    WriteOff: 8,
    Credit: 9,
    Receipt: 10,
    Refund: 11,
}

_KIND: dict[type, str] = {
    Statement: "statement",
    DisputeRaised: "dispute",
    DisputeResolved: "dispute outcome",
    Correction: "correction",
    Deferral: "deferral",
    CollectionCost: "collection cost",
    LateFeeWaiver: "late-fee waiver",
    PrincipalWaiver: "principal waiver",
    WriteOff: "write-off",
    Credit: "credit",
    Receipt: "receipt",
    Refund: "refund",
}


def effective_on(event: AccountEvent) -> pendulum.Date:
    """The date an event takes effect (a statement: its issue date)."""
    if isinstance(event, Statement):
        return event.issued_on
    return event.on


def _reference(event: AccountEvent) -> str:
    return event.number if isinstance(event, Statement) else event.reference


def _key(event: AccountEvent) -> tuple[str, str]:
    return _KIND[type(event)], _reference(event)


def _order(event: AccountEvent) -> tuple[pendulum.Date, int, str]:
    return effective_on(event), _RANK[type(event)], _reference(event)


def _describe(event: AccountEvent) -> str:
    """One line naming an event and the contents that identify it."""
    kind, ref = _key(event)
    if isinstance(event, Statement):
        return f"statement {ref} for {event.total.amount:f} due {event.due_on.isoformat()}"
    amount = getattr(event, "amount", None)
    money = f" for {amount.amount:f}" if isinstance(amount, Money) else ""
    target = getattr(event, "statement", None)
    on = f" of {target}" if isinstance(target, str) else ""
    return f"{kind} {ref}{on}{money} effective {effective_on(event).isoformat()}"


class StatementState(enum.Enum):
    """The life-cycle state of a statement as of a date, derived from the account's events."""

    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    DISPUTED = "disputed"
    DEFERRED = "deferred"
    WAIVED = "waived"
    WRITTEN_OFF = "written_off"


@attrs.frozen
class StatementBalance:
    """What one statement owes as of a date, and how it got there.

    Amounts are in the statement's currency. ``late_fee`` is the fee accrued through the date,
    with its full breakdown; ``late_fee_outstanding`` is what of it is still owed.
    """

    number: str
    original_number: str
    statement: Statement
    as_of: pendulum.Date
    due_on: pendulum.Date
    state: StatementState
    principal: Money
    principal_paid: Money
    principal_waived: Money
    principal_written_off: Money
    principal_outstanding: Money
    late_fee: LateFee
    late_fee_paid: Money
    late_fee_waived: Money
    late_fee_written_off: Money
    late_fee_outstanding: Money
    costs: Money
    costs_paid: Money
    costs_outstanding: Money
    open_disputes: tuple[str, ...]
    deferrals: tuple[str, ...]

    @property
    def outstanding(self) -> Money:
        """Principal, late fee and costs still owed."""
        return self.principal_outstanding + self.late_fee_outstanding + self.costs_outstanding

    @property
    def days_overdue(self) -> int:
        """Days past the due date with principal still owed (0 when none is owed)."""
        if not self.principal_outstanding:
            return 0
        return max(0, (self.as_of - self.due_on).days)


@attrs.frozen
class AccountBalance:
    """An account as of a date: each statement, the credit and the allocations so far."""

    unit_id: str
    billed_party: str | None
    as_of: pendulum.Date
    statements: tuple[StatementBalance, ...]
    credit: Money
    allocations: tuple[Allocation, ...]
    refunded: Money

    @property
    def principal_outstanding(self) -> Money:
        """Principal still owed over all statements."""
        return Money.total((s.principal_outstanding for s in self.statements), self.credit.currency)

    @property
    def late_fees_outstanding(self) -> Money:
        """Late fees still owed over all statements."""
        return Money.total((s.late_fee_outstanding for s in self.statements), self.credit.currency)

    @property
    def costs_outstanding(self) -> Money:
        """Collection costs still owed over all statements."""
        return Money.total((s.costs_outstanding for s in self.statements), self.credit.currency)

    @property
    def outstanding(self) -> Money:
        """Everything still owed (before the credit, which only later statements consume)."""
        return self.principal_outstanding + self.late_fees_outstanding + self.costs_outstanding

    def statement(self, number: str) -> StatementBalance:
        """The balance of one statement, by its current or original number."""
        for row in self.statements:
            if number in (row.number, row.original_number):
                return row
        raise UnknownStatement(f"the account of unit {self.unit_id} holds no statement {number}.")


# -- the fold -----------------------------------------------------------------------------------


@attrs.define
class _Debt:
    """One statement's running state during a replay (private, mutable, never escapes)."""

    key: str
    statement: Statement
    due: pendulum.Date
    principal: int
    reductions: list[tuple[PrincipalReduction, str]] = attrs.field(factory=list)
    paid: int = 0
    waived: int = 0
    written: int = 0
    fee_paid: int = 0
    fee_waived: int = 0
    fee_written: int = 0
    costs: int = 0
    costs_paid: int = 0
    costs_written: int = 0
    disputes: dict[str, DisputeRaised] = attrs.field(factory=dict)
    deferrals: list[str] = attrs.field(factory=list)
    written_off: bool = False
    # The fee of a statement whose principal is settled no longer grows: cached until a
    # correction or deferral changes what it depends on.
    settled_fee: LateFee | None = None

    @property
    def principal_owed(self) -> int:
        return self.principal - self.paid - self.waived - self.written

    def fee(self, as_of: pendulum.Date) -> LateFee:
        settled = self.settled_fee
        if settled is not None and as_of >= settled.as_of:
            return settled if as_of == settled.as_of else attrs.evolve(settled, as_of=as_of)
        fee = late_fee(
            Money.from_minor_units(self.principal, self.statement.currency),
            self.due,
            as_of,
            [reduction for reduction, _ in self.reductions],
            policy=self.statement.late_fee,
            statement=self.statement.number,
        )
        if self.principal_owed == 0 and as_of >= max(
            (r.effective_on for r, _ in self.reductions), default=self.due
        ):
            self.settled_fee = fee
        return fee

    def fee_owed(self, as_of: pendulum.Date) -> int:
        if self.written_off:
            return 0
        accrued = self.fee(as_of).amount.minor_units
        return accrued - self.fee_paid - self.fee_waived - self.fee_written

    def reduce(self, on: pendulum.Date, units: int, source: str, kind: str) -> None:
        currency = self.statement.currency
        amount = Money.from_minor_units(units, currency)
        self.reductions.append((PrincipalReduction(on, amount, source), kind))
        self.settled_fee = None


@attrs.define
class _Ledger:
    """The state of a whole account during a replay."""

    currency: str
    allocation: AllocationPolicy
    disputes: DisputePolicy
    debts: dict[str, _Debt] = attrs.field(factory=dict)
    numbers: dict[str, str] = attrs.field(factory=dict)  # any number → debt key
    credit: int = 0
    refunded: int = 0
    allocations: list[Allocation] = attrs.field(factory=list)
    disputes_open: dict[str, str] = attrs.field(factory=dict)  # dispute ref → debt key

    def debt(self, number: str, event: AccountEvent) -> _Debt:
        key = self.numbers.get(number)
        if key is None:
            raise UnknownStatement(
                f"{_describe(event)} names statement {number}, which this account does not hold."
            )
        return self.debts[key]

    def apply(self, event: AccountEvent) -> None:
        """Apply one event, in replay order."""
        _HANDLERS[type(event)](self, event)

    def _on_statement(self, event: Statement) -> None:
        self._statement(event)
        self._apply_credit(event.issued_on)

    def _on_receipt(self, event: Receipt) -> None:
        self._pay(event.amount, event.on, f"receipt {event.reference}", event.designation)

    def _on_credit(self, event: Credit) -> None:
        self._pay(event.amount, event.on, f"credit {event.reference}", ())

    def _on_refund(self, event: Refund) -> None:
        units = event.amount.minor_units
        if units > self.credit:
            raise RefusedChange(
                f"{_describe(event)} exceeds the account's credit of "
                f"{Money.from_minor_units(self.credit, self.currency).amount:f}; a refund "
                "pays back credit only."
            )
        self.credit -= units
        self.refunded += units

    def _on_cost(self, event: CollectionCost) -> None:
        debt = self._open_debt(event.statement, event)
        debt.costs += event.amount.minor_units

    def _on_dispute(self, event: DisputeRaised) -> None:
        debt = self._open_debt(event.statement, event)
        self.disputes.check_raised_in_time(debt.statement.number, debt.due, event.on)
        debt.disputes[event.reference] = event
        self.disputes_open[event.reference] = debt.key

    def _on_outcome(self, event: DisputeResolved) -> None:
        key = self.disputes_open.pop(event.reference, None)
        if key is None:
            raise RefusedChange(
                f"{_describe(event)} resolves no open dispute: there is none with "
                f"reference {event.reference} on or before that day."
            )
        debt = self.debts[key]
        del debt.disputes[event.reference]
        if event.corrected is not None:
            self._correct(debt, event.corrected, event.on, event)

    def _on_correction(self, event: Correction) -> None:
        debt = self._open_debt(event.statement, event)
        self._correct(debt, event.corrected, event.on, event)

    # -- statements and corrections ----------------------------------------------------------

    def _statement(self, statement: Statement) -> None:
        if statement.currency != self.currency:
            raise CurrencyMismatch(
                f"statement {statement.number} is in {statement.currency}; the account is in "
                f"{self.currency}."
            )
        if statement.revision:
            raise RefusedChange(
                f"statement {statement.number} is revision {statement.revision}; post a "
                "Correction (or an upheld dispute) to replace an issued statement."
            )
        key = statement.number
        self.debts[key] = _Debt(key, statement, statement.due_on, statement.total.minor_units)
        self.numbers[key] = key

    def _correct(
        self, debt: _Debt, corrected: Statement, on: pendulum.Date, event: AccountEvent
    ) -> None:
        current = debt.statement
        if corrected.supersedes != current.number:
            raise RefusedChange(
                f"{_describe(event)} supersedes {corrected.supersedes}, but the statement in "
                f"force is {current.number}; correct the latest revision."
            )
        same = (corrected.unit_id, corrected.period, corrected.currency)
        if same != (current.unit_id, current.period, current.currency):
            raise RefusedChange(
                f"{_describe(event)} changes the unit, period or currency of {current.number}; "
                "a correction changes amounts only."
            )
        if corrected.revision != current.revision + 1:
            raise RefusedChange(
                f"{_describe(event)} carries revision {corrected.revision}; the next revision "
                f"of {current.number} is {current.revision + 1}."
            )
        fee_before = debt.fee_paid + debt.fee_waived
        debt.statement = corrected
        debt.principal = corrected.total.minor_units
        debt.due = max(debt.due, corrected.due_on) if debt.deferrals else corrected.due_on
        self.numbers[corrected.number] = debt.key
        debt.settled_fee = None
        # What was settled above the corrected principal comes back: money paid becomes credit,
        # waived or written-off amounts simply lapse (they were never money).
        excess = -debt.principal_owed
        while excess > 0:
            reduction, kind = debt.reductions.pop()
            take = min(excess, reduction.amount.minor_units)
            keep = reduction.amount.minor_units - take
            if keep:
                amount = Money.from_minor_units(keep, reduction.amount.currency)
                debt.reductions.append((attrs.evolve(reduction, amount=amount), kind))
            if kind == "paid":
                debt.paid -= take
                self.credit += take
            elif kind == "waived":
                debt.waived -= take
            else:
                debt.written -= take
            excess -= take
        fee_now = debt.fee(on).amount.minor_units
        over = fee_before - fee_now
        if over > 0:
            lapse = min(over, debt.fee_waived)
            debt.fee_waived -= lapse
            refund = over - lapse
            debt.fee_paid -= refund
            self.credit += refund
        self._apply_credit(on)

    def _defer(self, event: Deferral) -> None:
        debt = self._open_debt(event.statement, event)
        if event.new_due_on <= debt.due:
            raise RefusedChange(
                f"{_describe(event)} moves the due date to {event.new_due_on.isoformat()}, not "
                f"after the current due date {debt.due.isoformat()}; a deferral only moves it "
                "later."
            )
        debt.due = event.new_due_on
        debt.deferrals.append(event.reference)
        debt.settled_fee = None

    # -- money in and out -------------------------------------------------------------------

    def _outstanding(self, on: pendulum.Date) -> list[Outstanding]:
        rows = []
        currency = self.currency
        for debt in self.debts.values():
            if debt.written_off:
                principal = fees = costs = 0
            else:
                principal = debt.principal_owed
                fees = debt.fee_owed(on)
                costs = debt.costs - debt.costs_paid - debt.costs_written
            rows.append(
                Outstanding(
                    debt.statement.number,
                    debt.due,
                    Money.from_minor_units(principal, currency),
                    Money.from_minor_units(fees, currency),
                    Money.from_minor_units(costs, currency),
                )
            )
        return rows

    def _pay(
        self, amount: Money, on: pendulum.Date, source: str, designation: Sequence[str]
    ) -> None:
        if amount.currency != self.currency:
            raise CurrencyMismatch(
                f"{source} is in {amount.currency}; the account is in {self.currency}."
            )
        current = tuple(self._current_number(n, source) for n in designation)
        allocation = allocate_payment(
            amount,
            self._outstanding(on),
            on=on,
            policy=self.allocation,
            designation=current,
            source=source,
        )
        self._settle(allocation, on, source)
        self.credit += allocation.credited.minor_units

    def _current_number(self, number: str, source: str) -> str:
        key = self.numbers.get(number)
        if key is None:
            raise UnknownStatement(
                f"{source} designates statement {number}, which this account does not hold."
            )
        return self.debts[key].statement.number

    def _settle(self, allocation: Allocation, on: pendulum.Date, source: str) -> None:
        for part in allocation.parts:
            debt = self.debts[self.numbers[part.statement]]
            units = part.amount.minor_units
            if part.component is Component.PRINCIPAL:
                debt.paid += units
                debt.reduce(on, units, source, "paid")
            elif part.component is Component.LATE_FEES:
                debt.fee_paid += units
            else:
                debt.costs_paid += units
        self.allocations.append(allocation)

    def _apply_credit(self, on: pendulum.Date) -> None:
        if not self.credit:
            return
        rows = self._outstanding(on)
        if not any(r.principal or r.late_fees or r.costs for r in rows):
            return
        credit = Money.from_minor_units(self.credit, self.currency)
        allocation = allocate_payment(
            credit, rows, on=on, policy=self.allocation, source="credit brought forward"
        )
        self._settle(allocation, on, "credit brought forward")
        self.credit = allocation.credited.minor_units

    # -- waivers and write-offs --------------------------------------------------------------

    def _open_debt(self, number: str, event: AccountEvent) -> _Debt:
        debt = self.debt(number, event)
        if debt.written_off:
            raise RefusedChange(
                f"{_describe(event)}: statement {number} was written off; nothing more can be "
                "posted against it."
            )
        return debt

    def _waive_fee(self, event: LateFeeWaiver) -> None:
        on = event.on
        debt = self._open_debt(event.statement, event)
        owed = debt.fee_owed(on)
        units = owed if event.amount is None else event.amount.minor_units
        if units <= 0 or units > owed:
            raise RefusedChange(
                f"{_describe(event)} would waive "
                f"{Money.from_minor_units(units, self.currency).amount:f} of late fee, but "
                f"{Money.from_minor_units(owed, self.currency).amount:f} is owed on that day; "
                "a waiver is positive and at most what is owed."
            )
        debt.fee_waived += units

    def _waive_principal(self, event: PrincipalWaiver) -> None:
        on = event.on
        debt = self._open_debt(event.statement, event)
        owed = debt.principal_owed
        units = owed if event.amount is None else event.amount.minor_units
        if units <= 0 or units > owed:
            raise RefusedChange(
                f"{_describe(event)} would waive "
                f"{Money.from_minor_units(units, self.currency).amount:f} of principal, but "
                f"{Money.from_minor_units(owed, self.currency).amount:f} is owed; a waiver is "
                "positive and at most what is owed."
            )
        debt.waived += units
        debt.reduce(on, units, f"principal waiver {event.reference}", "waived")

    def _write_off(self, event: WriteOff) -> None:
        on = event.on
        debt = self._open_debt(event.statement, event)
        principal = debt.principal_owed
        fees = debt.fee_owed(on)
        costs = debt.costs - debt.costs_paid - debt.costs_written
        if not (principal or fees or costs):
            raise RefusedChange(
                f"{_describe(event)}: statement {event.statement} owes nothing on that day; "
                "there is nothing to write off."
            )
        if principal:
            debt.written += principal
            debt.reduce(on, principal, f"write-off {event.reference}", "written")
        debt.fee_written += fees
        debt.costs_written += costs
        debt.written_off = True

    # -- results -----------------------------------------------------------------------------

    def statement_balance(self, debt: _Debt, as_of: pendulum.Date) -> StatementBalance:
        currency = self.currency

        def money(units: int) -> Money:
            return Money.from_minor_units(units, currency)

        fee = debt.fee(as_of)
        fee_owed = (
            0
            if debt.written_off
            else fee.amount.minor_units - (debt.fee_paid + debt.fee_waived + debt.fee_written)
        )
        costs_owed = debt.costs - debt.costs_paid - debt.costs_written
        principal_owed = debt.principal_owed
        if debt.written_off:
            state = StatementState.WRITTEN_OFF
        elif not (principal_owed or fee_owed or costs_owed):
            waived = debt.waived or debt.fee_waived
            state = StatementState.WAIVED if waived else StatementState.PAID
        elif debt.disputes:
            state = StatementState.DISPUTED
        elif debt.deferrals and as_of <= debt.due:
            state = StatementState.DEFERRED
        elif debt.paid or debt.fee_paid or debt.costs_paid:
            state = StatementState.PARTLY_PAID
        else:
            state = StatementState.OPEN
        return StatementBalance(
            number=debt.statement.number,
            original_number=debt.key,
            statement=debt.statement,
            as_of=as_of,
            due_on=debt.due,
            state=state,
            principal=money(debt.principal),
            principal_paid=money(debt.paid),
            principal_waived=money(debt.waived),
            principal_written_off=money(debt.written),
            principal_outstanding=money(principal_owed),
            late_fee=fee,
            late_fee_paid=money(debt.fee_paid),
            late_fee_waived=money(debt.fee_waived),
            late_fee_written_off=money(debt.fee_written),
            late_fee_outstanding=money(fee_owed),
            costs=money(debt.costs),
            costs_paid=money(debt.costs_paid),
            costs_outstanding=money(costs_owed),
            open_disputes=tuple(debt.disputes),
            deferrals=tuple(debt.deferrals),
        )


_HANDLERS: dict[type, Callable[[_Ledger, Any], None]] = {
    Statement: _Ledger._on_statement,
    Receipt: _Ledger._on_receipt,
    Credit: _Ledger._on_credit,
    Refund: _Ledger._on_refund,
    LateFeeWaiver: _Ledger._waive_fee,
    PrincipalWaiver: _Ledger._waive_principal,
    WriteOff: _Ledger._write_off,
    CollectionCost: _Ledger._on_cost,
    Deferral: _Ledger._defer,
    DisputeRaised: _Ledger._on_dispute,
    DisputeResolved: _Ledger._on_outcome,
    Correction: _Ledger._on_correction,
}


def _canonical(events: Iterable[AccountEvent]) -> tuple[AccountEvent, ...]:
    """The events in replay order, each reference once; a reference reused differently raises."""
    seen: dict[tuple[str, str], AccountEvent] = {}
    for event in events:
        if type(event) not in _RANK:
            raise TypeError(
                f"{event!r} is not an account event; post statements, receipts, credits, "
                "refunds, waivers, write-offs, collection costs, corrections, deferrals or "
                "disputes."
            )
        key = _key(event)
        known = seen.get(key)
        if known is None:
            seen[key] = event
        elif known != event:
            raise DuplicateReference(
                f"{key[0]} reference {key[1]} is already posted ({_describe(known)}); refused "
                f"the conflicting {_describe(event)}. The same reference must always carry the "
                "same contents."
            )
    return tuple(sorted(seen.values(), key=_order))


@attrs.frozen
class Account:
    """A unit's account with the party billed for it: a set of events and what follows.

    Attributes:
        unit_id: the unit every statement must be for.
        billed_party: the party liable (an occupant paying for the owner does not change it).
        currency: the account's currency.
        allocation: the community's allocation policy.
        disputes: the community's dispute policy.
        events: the posted events, in canonical replay order (pass them in any order).
    """

    unit_id: str
    billed_party: str | None = None
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))
    allocation: AllocationPolicy = DEFAULT_ALLOCATION
    disputes: DisputePolicy = DEFAULT_DISPUTES
    events: tuple[AccountEvent, ...] = attrs.field(default=(), converter=_canonical)
    _ledger: _Ledger = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for event in self.events:
            if isinstance(event, Statement) and event.unit_id != self.unit_id:
                raise RefusedChange(
                    f"statement {event.number} is for unit {event.unit_id}, not this account's "
                    f"unit {self.unit_id}."
                )
        # Replaying on construction checks every invariant once; the final state is kept for
        # balances as of any date after the last event.
        object.__setattr__(self, "_ledger", self._replay(None))

    def post(self, *events: AccountEvent) -> Account:
        """This account with ``events`` posted; an event already posted changes nothing."""
        fresh = [e for e in events if e not in self.events]
        if not fresh:
            return self
        return attrs.evolve(self, events=self.events + tuple(fresh))

    def _replay(self, as_of: pendulum.Date | None) -> _Ledger:
        ledger = _Ledger(self.currency, self.allocation, self.disputes)
        for event in self.events:
            if as_of is not None and effective_on(event) > as_of:
                break
            ledger.apply(event)
        return ledger

    def _ledger_as_of(self, as_of: pendulum.Date) -> _Ledger:
        last = effective_on(self.events[-1]) if self.events else None
        if last is None or as_of >= last:
            return self._ledger
        return self._replay(as_of)

    def balance(self, as_of: datetime.date) -> AccountBalance:
        """Every statement's balance, the credit and the allocations as of ``as_of``."""
        day = as_date(as_of)
        ledger = self._ledger_as_of(day)
        rows = tuple(ledger.statement_balance(debt, day) for debt in ledger.debts.values())
        return AccountBalance(
            unit_id=self.unit_id,
            billed_party=self.billed_party,
            as_of=day,
            statements=rows,
            credit=Money.from_minor_units(ledger.credit, self.currency),
            allocations=tuple(ledger.allocations),
            refunded=Money.from_minor_units(ledger.refunded, self.currency),
        )

    def late_fee(self, statement: str, as_of: datetime.date) -> LateFee:
        """The late fee of ``statement`` accrued through ``as_of``, with its breakdown."""
        return self.balance(as_of).statement(statement).late_fee

    def receipts(self) -> tuple[Receipt, ...]:
        """The receipts posted, in replay order; each says who paid and in what capacity."""
        return tuple(e for e in self.events if isinstance(e, Receipt))

    def paid_by_others(self) -> tuple[Receipt, ...]:
        """Receipts paid by someone other than the billed party (who stays liable)."""
        return tuple(r for r in self.receipts() if r.role is not PayerRole.BILLED_PARTY)
