"""Accounts (户账): a unit and the party billed for it, as a fold over its events.

An account holds a set of events: statements, receipts, credits, refunds, waivers, write-offs,
collection costs, corrections, disputes and deferrals. Everything else (what each statement
still owes, its late fee, its state, the credit) follows from replaying them in one canonical
order: by effective date, then by kind (statements, disputes, corrections, deferrals, costs,
waivers, write-offs, credits, receipts, refunds), then by reference. So the same set of events
in any order gives the same account, and balances as of any date replay just the events up to it.

Posting is idempotent on each event's reference: the same receipt twice never credits twice,
and the same reference with other contents is refused with an error naming both. An event that
would break an invariant (a refund above the credit, a deferral to a date not after the
statement's, a dispute raised too late, anything posted against a written-off statement) is
refused; nothing is repaired silently.

Acceptance, like the balance, is a property of the set of events (issue 18):

* The set is accepted or refused as a whole, by replaying it in the canonical order: the same
  events given in any order (to the constructor or to one :meth:`Account.post`) give the same
  account or the same error, the first refusal in replay order (for two events sharing a
  reference, the first such reference in replay order, its two events named in a fixed order).
* Posting one event at a time checks each set on the way, so a set is accepted one event at a
  time in any order as long as every subset on the way is itself acceptable. Most rules hold of
  an event and what it names alone, and the subsets of an accepted set then stay acceptable:
  a waiver forgives what its statement owes on its day *up to* its amount (the balance shows
  what it forgave, in ``principal_waived`` and ``late_fee_waived``), and a write-off closes
  the statement whatever is left, nothing included, so neither depends on which receipts,
  deferrals or corrections are posted yet; a deferral is checked against the due date of the
  statement it names, and the due date in force is the latest of that and every deferred date.
* An event that relies on others is posted after them: what names a statement, a revision or
  a dispute comes after it; a refund after the money that makes the credit it pays back; a
  dispute raised in the window a deferral opened, after the deferral (the window follows the
  due date in force).

The alternative, checking each event against everything posted later as well, would make an
account's acceptance change as events arrive; this way an account once accepted stays what it
is, and the replay stays one pass (checks cost no more than before).

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

import array
import bisect
import datetime
import enum
import functools
import struct
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeAlias, TypeVar, cast

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._trusted import continued_trusted, set_cached
from propcrm._validators import check_record_id, instance_of
from propcrm.billing import AbsoluteCap, NoCap, Statement
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateReference,
    InvalidAmount,
    InvalidParty,
    InvalidType,
    InvalidUnit,
    RefusedChange,
    UnknownStatement,
)
from propcrm.money import (
    CNY,
    EXACT,
    Money,
    RoundingMode,
    check_currency,
    minor_unit_places,
)
from propcrm.receivables._adjustments import (
    CollectionCost,
    Correction,
    Credit,
    LateFeeWaiver,
    PrincipalWaiver,
    Refund,
    WriteOff,
)
from propcrm.receivables._allocation import (
    DEFAULT_ALLOCATION,
    Allocation,
    AllocationPart,
    AllocationPolicy,
    Component,
    settlement_order,
)
from propcrm.receivables._deferrals import Deferral
from propcrm.receivables._disputes import (
    DEFAULT_DISPUTES,
    DisputePolicy,
    DisputeRaised,
    DisputeResolved,
)
from propcrm.receivables._late_fees import (
    NEVER,
    LateFee,
    PrincipalReduction,
    fee_form,
    fee_form_step,
    fee_of_base,
    late_fee,
    late_fee_units,
)
from propcrm.receivables._receipts import (
    PayerRole,
    Receipt,
)
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = [
    "Account",
    "AccountBalance",
    "AccountEvent",
    "StatementBalance",
    "StatementOwed",
    "StatementPosition",
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


def _about(event: AccountEvent) -> dict[str, Any]:
    """What identifies a refused event, as an error's keyword context."""
    kind, ref = _key(event)
    return {"event": kind, "reference": ref, "on": effective_on(event)}


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

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The state for people, e.g. ``'部分已缴'`` (zh_CN) or ``'partly paid'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case StatementState.OPEN:
                return pgettext("statement state", "open", locale=locale)
            case StatementState.PARTLY_PAID:
                return pgettext("statement state", "partly paid", locale=locale)
            case StatementState.PAID:
                return pgettext("statement state", "paid", locale=locale)
            case StatementState.DISPUTED:
                return pgettext("statement state", "disputed", locale=locale)
            case StatementState.DEFERRED:
                return pgettext("statement state", "deferred", locale=locale)
            case StatementState.WAIVED:
                return pgettext("statement state", "waived", locale=locale)
            case StatementState.WRITTEN_OFF:
                return pgettext("statement state", "written off", locale=locale)


class StatementOwed(NamedTuple):
    """What one statement still owes as of a date (something), without the breakdowns.

    The light result of :meth:`Account.owed`, for month-end runs over a whole portfolio; the
    amounts equal those of :meth:`Account.balance` exactly.
    """

    number: str
    period: BillingPeriod
    due_on: pendulum.Date
    principal: Money
    late_fees: Money
    costs: Money
    days_overdue: int
    state: StatementState

    @property
    def total(self) -> Money:
        """Principal, late fees and costs together."""
        return self.principal + self.late_fees + self.costs


class StatementPosition(NamedTuple):
    """One statement's stored facts as of a date, in minor units and date ordinals.

    What :meth:`Account.positions` hands to a batch path (:mod:`propcrm.portfolio`): the
    statement in force and the facts its late fee, balance and state follow from, without
    computing them. Dates are ``datetime.date.toordinal()`` values; amounts are ints of minor
    units of the account's currency.

    Attributes:
        key: the original statement's number (what corrections and windows hang on).
        statement: the revision in force.
        principal: the principal in force.
        reductions: ``(day, units)`` of each principal reduction (paid, waived or written off),
            in replay order: the late fee runs on the principal less these, each from the day
            after its own.
        paid, waived, written: principal paid, waived and written off.
        fee_paid, fee_waived, fee_written: late fee paid, waived and written off.
        costs, costs_paid, costs_written: collection costs charged, paid and written off.
        written_off: whether a write-off closed the statement.
        deferrals: ``(approved, new due)`` of each deferral; the due date in force is the
            latest of the statement's and every new due date approved by then.
        disputes: ``(raised, resolved)`` of each dispute (``0``: still open).
    """

    key: str
    statement: Statement
    principal: int
    reductions: tuple[tuple[int, int], ...]
    paid: int
    waived: int
    written: int
    fee_paid: int
    fee_waived: int
    fee_written: int
    costs: int
    costs_paid: int
    costs_written: int
    written_off: bool
    deferrals: tuple[tuple[int, int], ...]
    disputes: tuple[tuple[int, int], ...]


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
        raise UnknownStatement(
            f"the account of unit {self.unit_id} holds no statement {number}.",
            field="number",
            value=number,
            allowed="a statement number of this balance",
            unit_id=self.unit_id,
        )


# -- the fold -----------------------------------------------------------------------------------

# What a debt's disputes are while it has none: one read-only map for every debt.
_NOTHING: Mapping[str, Any] = types.MappingProxyType({})

# What a ledger's debts' rare fields are while none has any (see _Ledger.extras).
_NO_EXTRAS: Mapping[int, Any] = types.MappingProxyType({})

_BROUGHT_FORWARD = "credit brought forward"

_Source: TypeAlias = Receipt | Credit | PrincipalWaiver | WriteOff | str
"""What reduced a principal or paid a statement: its event, or the credit brought forward."""


def _source_text(source: _Source) -> str:
    """How a breakdown names a source, e.g. ``'receipt BANK-1'`` or ``'write-off WO-3'``.

    Worked out when asked for rather than kept as text for every payment of every account.
    """
    if isinstance(source, str):
        return source
    if isinstance(source, PrincipalWaiver):
        return f"principal waiver {source.reference}"
    return f"{_KIND[type(source)]} {source.reference}"


def _source_kind(source: _Source) -> str:
    """What a reduction was: ``"paid"``, ``"waived"`` or ``"written"``."""
    if isinstance(source, PrincipalWaiver):
        return "waived"
    if isinstance(source, WriteOff):
        return "written"
    return "paid"


@attrs.frozen
class _Extra:
    """What few of a ledger's debts see: waivers, write-offs, costs, disputes, deferrals."""

    waived: int = 0
    written: int = 0
    fee_waived: int = 0
    fee_written: int = 0
    costs: int = 0
    costs_paid: int = 0
    costs_written: int = 0
    disputes: Mapping[str, DisputeRaised] = _NOTHING
    deferrals: tuple[str, ...] = ()
    # (approved, new due) ordinals of each deferral and (raised, resolved or 0) of each
    # dispute: what StatementPosition hands to the batch path as windows.
    deferred_to: tuple[tuple[int, int], ...] = ()
    dispute_days: Mapping[str, tuple[int, int]] = _NOTHING
    deferred: int = 0  # the latest deferred due date's ordinal (0: none)
    written_off: bool = False
    original: str | None = None  # once corrected, the original statement's number


_NO_EXTRA = _Extra()
_T = TypeVar("_T")

# A ledger keeps its debts' ints in columns, one row of _STRIDE per debt, in the order their
# statements were posted (a debt is its row's index): an int64 array, unless some value does
# not fit (custom rates' fractions can make huge numerators), then a list (see _Ledger.put).
# An object per debt and an int object per amount were three fifths of what a ledger held.
_SETTLED, _DUE, _PRINCIPAL, _PAID, _FEE_PAID, _LAG, _NUM, _BASE, _DEN = range(9)
_STRIDE = 9
# The columns' encodings of what a debt's fields hold as None: no closed form (daily
# compounding) and no default terms (see _Debt's fee fields).
_NO_LAG = -1
_NO_DEN = 0
_ROW = struct.Struct(f"{_STRIDE}q")

_Ints: TypeAlias = "array.array[int] | list[int]"


def _ints() -> array.array[int]:
    return array.array("q")


def _list_row(cols: _Ints, offset: int) -> Sequence[int]:
    start = offset // 8
    return cols[start : start + _STRIDE]


def _reader(cols: _Ints) -> Callable[[_Ints, int], Sequence[int]]:
    """``read(cols, 8 × place)``: the row of ``cols`` that starts at ``place``, at once.

    The place in bytes, as ``struct`` reads an int64 array, where a read an int at a time
    would box each on its own (the list fallback converts).
    """
    if isinstance(cols, list):
        return _list_row
    return cast("Callable[[_Ints, int], Sequence[int]]", _ROW.unpack_from)


class _Rare(Generic[_T]):
    """A debt's field kept in its ``extra`` record: the default while it has none."""

    name: str

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, debt: _Debt, owner: type | None = None) -> _T:
        extra = debt.extra
        return cast("_T", getattr(_NO_EXTRA if extra is None else extra, self.name))

    def __set__(self, debt: _Debt, value: _T) -> None:
        extra = debt.extra
        changes: dict[str, Any] = {self.name: value}
        debt.extra = attrs.evolve(_NO_EXTRA if extra is None else extra, **changes)


class _Column:
    """A debt's int field, read from and written to its row of the ledger's columns."""

    def __init__(self, field: int) -> None:
        self.field = field

    def __get__(self, debt: _Debt, owner: type | None = None) -> int:
        return debt.ledger.cols[debt.row + self.field]

    def __set__(self, debt: _Debt, value: int) -> None:
        debt.ledger.put(debt.row + self.field, value)


class _Debt:
    """One statement's running state during a replay: a view of its row in a ledger.

    Amounts are ints of minor units and days are date ordinals, so that a month-end run over
    a portfolio does plain integer work; Money and dates are built only for results. The
    ledger keeps the ints in columns and the principal reductions in one flat run of its own
    (see _Ledger); a view is made where an event or a result needs one debt's fields by name,
    the payments and the month end reading the columns directly.
    """

    __slots__ = ("index", "ledger", "row")

    def __init__(self, ledger: _Ledger, index: int) -> None:
        self.ledger = ledger
        self.index = index
        self.row = index * _STRIDE

    due = _Column(_DUE)  # the due date in force (the statement's or a deferral's), an ordinal
    principal = _Column(_PRINCIPAL)
    paid = _Column(_PAID)
    fee_paid = _Column(_FEE_PAID)
    # The late fee on any day from the last step on, in closed form (see fee_form): on the day
    # ``age`` days after the due date, nil while ``age < fee_lag``, then the terms applied to
    # principal_owed × age + the form's intercept balance-days. Kept by ``changed`` whenever
    # the principal, the due date, the terms or the steps change, and by ``fee_settled`` when
    # the fee paid, waived or written off does (never by a query), so that what is owed as of
    # a later day is a multiplication and a division. ``fee_lag`` is None under daily
    # compounding (no closed form). Under the default cap and rounding (none, half up)
    # ``fee_num / fee_den`` is the daily rate and the fee still owed is ``(fee_num ×
    # principal_owed × age + fee_base) // fee_den``: the numerator times the intercept, half
    # the denominator for the rounding, less the denominator times the fee settled. Otherwise
    # (and once written off) ``fee_den`` is None and ``fee_base`` is the intercept, which
    # fee_of_base applies the terms to.
    fee_num = _Column(_NUM)
    fee_base = _Column(_BASE)

    @property
    def fee_lag(self) -> int | None:
        lag = self.ledger.cols[self.row + _LAG]
        return None if lag == _NO_LAG else lag

    @property
    def fee_den(self) -> int | None:
        return self.ledger.cols[self.row + _DEN] or None

    # Nothing owed, now or later, until something changes it (see ``changed``): a payment
    # passes over it without working anything out. A year of notices paid oldest first is a
    # dozen settled debts walked by every receipt otherwise.
    @property
    def settled(self) -> bool:
        return bool(self.ledger.cols[self.row + _SETTLED])

    @settled.setter
    def settled(self, value: bool) -> None:
        self.ledger.put(self.row + _SETTLED, value)

    @property
    def statement(self) -> Statement:
        """The revision in force."""
        return self.ledger.statements[self.index]

    @statement.setter
    def statement(self, value: Statement) -> None:
        self.ledger.statements[self.index] = value

    @property
    def extra(self) -> _Extra | None:
        """Waivers, write-offs, costs, disputes and deferrals (see _Extra), None while none."""
        return self.ledger.extras.get(self.index)

    @extra.setter
    def extra(self, value: _Extra) -> None:
        # Replaced, never changed in place: a ledger's copy shares the map.
        ledger = self.ledger
        ledger.extras = {**ledger.extras, self.index: value}

    @property
    def trail(self) -> tuple[Any, ...]:
        """``(date ordinal, minor units, source)`` of each principal reduction, flat, in order.

        The source is the event (whose kind says paid, waived or written off) or the credit
        brought forward.
        """
        return self.ledger.trail(self.index)

    @trail.setter
    def trail(self, value: tuple[Any, ...]) -> None:
        self.ledger.set_trail(self.index, value)

    @property
    def steps(self) -> list[tuple[int, int]]:
        """``(date ordinal, minor units)`` of each principal reduction, in replay order."""
        return self.ledger.steps_of(self.index)

    @property
    def due_on(self) -> pendulum.Date:
        """The due date in force, as a date (the statement's own, unless deferred)."""
        due_on = self.statement.due_on
        due = self.due
        return due_on if due_on.toordinal() == due else pendulum.Date.fromordinal(due)

    # What few debts see, read and set through the extra record (replaced, never changed in
    # place, since a ledger's copy shares it).
    waived = _Rare[int]()
    written = _Rare[int]()
    fee_waived = _Rare[int]()
    fee_written = _Rare[int]()
    costs = _Rare[int]()
    costs_paid = _Rare[int]()
    costs_written = _Rare[int]()
    disputes = _Rare[Mapping[str, DisputeRaised]]()
    deferrals = _Rare[tuple[str, ...]]()
    deferred_to = _Rare[tuple[tuple[int, int], ...]]()
    dispute_days = _Rare[Mapping[str, tuple[int, int]]]()
    deferred = _Rare[int]()
    written_off = _Rare[bool]()
    original = _Rare[str | None]()

    @property
    def key(self) -> str:
        """The original statement's number: the debt's key, which corrections hang on."""
        extra = self.extra
        if extra is not None and extra.original is not None:
            return extra.original
        return self.statement.number

    @property
    def principal_owed(self) -> int:
        return self.ledger.principal_owed(self.index)

    def fee(self, as_of: pendulum.Date) -> LateFee:
        """The fee accrued through ``as_of`` with its breakdown."""
        currency = self.statement.currency
        trail = self.trail
        reductions = [
            PrincipalReduction(
                pendulum.Date.fromordinal(day),
                Money.from_minor_units(units, currency),
                _source_text(source),
            )
            for day, units, source in zip(trail[0::3], trail[1::3], trail[2::3], strict=True)
        ]
        return late_fee(
            Money.from_minor_units(self.principal, currency),
            self.due_on,
            as_of,
            reductions,
            policy=self.statement.late_fee,
            statement=self.statement.number,
        )

    def fee_units(self, day: int) -> int:
        """The fee accrued through the day with ordinal ``day``, rounded, in minor units.

        ``day`` is on or after every step's day: the fold asks about the day of the event it
        applies, and a query as of an earlier day than the last event replays up to it.
        """
        lag, age = self.fee_lag, day - self.due
        if lag is None:
            return late_fee_units(
                self.statement.late_fee, self.principal, self.steps, self.due, day
            )
        if age < lag:
            return 0
        den = self.fee_den
        if den is not None:
            base = self.fee_num * self.principal_owed * age + self.fee_base
            return base // den + self.fee_settled_units
        return fee_of_base(
            self.statement.late_fee, self.principal, self.principal_owed * age + self.fee_base
        )

    def changed(self) -> None:
        """The principal, due date, terms or steps changed: the fee's closed form again."""
        self.ledger.changed(self.index)

    @property
    def fee_settled_units(self) -> int:
        """The fee paid, waived and written off."""
        extra = self.extra
        if extra is None:
            return self.fee_paid
        return self.fee_paid + extra.fee_waived + extra.fee_written

    def fee_settled(self, units: int) -> None:
        """``units`` more of the fee were paid, waived or written off (fewer when negative)."""
        self.ledger.fee_settled(self.index, units)

    def settles(self, day: int) -> bool:
        """Whether nothing is owed on ``day`` or any later day, until the debt changes.

        Once the principal is settled the fee no longer grows; replay days only move forward,
        and costs are added only by an event, which marks the debt unsettled.
        """
        extra = self.extra
        if extra is not None and extra.written_off:
            return True
        return (
            self.principal_owed == 0
            and self.costs_owed() == 0
            and self.fee_units(day) == self.fee_settled_units
        )

    def fee_owed(self, day: int) -> int:
        extra = self.extra
        if extra is not None and extra.written_off:
            return 0
        return self.fee_units(day) - self.fee_settled_units

    def costs_owed(self) -> int:
        extra = self.extra
        if extra is None:
            return 0
        return extra.costs - extra.costs_paid - extra.costs_written

    def reduce(self, day: int, units: int, source: _Source) -> None:
        self.ledger.reduce(self.index, day, units, source)


def _form(
    statement: Statement,
    principal: int,
    steps: Sequence[tuple[int, int]],
    due: int,
    settled: int | None,
) -> tuple[int, int, int, int]:
    """A debt's fee fields in closed form, as its row holds them (see _Debt).

    ``settled`` is the fee paid, waived and written off; a written-off debt passes None.
    """
    policy = statement.late_fee
    form = fee_form(policy, principal, steps, due)
    if form is None:
        return _NO_LAG, 0, 0, _NO_DEN
    lag, intercept = form
    if (
        settled is None
        or type(policy.cap) is not NoCap
        or policy.rounding is not RoundingMode.HALF_UP
    ):
        return lag, 0, intercept, _NO_DEN
    # Half up: round(x / den) is (x + den // 2) // den for x of zero or more, odd or even den.
    numerator, den = policy.rate_ratio
    return lag, numerator, numerator * intercept + den // 2 - den * settled, den


@functools.cache
def money_of_units(currency: str) -> Callable[[int], Money]:
    """Money from minor units of ``currency``, an account's checked currency, zero shared.

    Money.from_minor_units without its checks of the units and the currency: for results built
    from a fold's ints (owed rows, aging buckets), a few for each of a portfolio's accounts.
    """
    # One minor unit times the units: the same Decimal (coefficient, exponent) as
    # Decimal(units).scaleb(-places), with one Decimal built instead of two.
    unit = Decimal(1).scaleb(-minor_unit_places(currency), EXACT)
    multiply = EXACT.multiply
    zero = Money.zero(currency)
    trusted = Money._trusted

    def money(units: int) -> Money:
        return trusted(multiply(unit, units), currency) if units else zero

    return money


_Payment: TypeAlias = tuple[
    str, pendulum.Date, int, tuple[str, ...], tuple[tuple[str, Component, int], ...], int
]


@attrs.define(weakref_slot=False)
class _Ledger:
    """The state of a whole account during a replay.

    Its debts are indices, in the order their statements were posted: each one's revision in
    force in ``statements``, its ints in its row of ``cols`` (see _Debt for what they mean),
    its rare fields in ``extras`` by index, and every principal reduction of every debt in
    ``steps`` (index, date ordinal, minor units), in replay order, with its source at the same
    place in ``sources``. A view (_Debt) reads and writes one debt's fields by name.
    """

    currency: str
    allocation: AllocationPolicy
    disputes: DisputePolicy
    statements: list[Statement] = attrs.field(factory=list)
    cols: _Ints = attrs.field(factory=_ints)
    steps: _Ints = attrs.field(factory=_ints)
    sources: list[_Source] = attrs.field(factory=list)
    # Replaced, never changed in place, and shared while empty, so that a copy shares them.
    extras: Mapping[int, _Extra] = _NO_EXTRAS
    # A corrected revision's number → its debt, and each superseded revision by its number
    # (the one in force is its debt's statement): only corrections add to them, replacing the
    # shared empty maps, so that a ledger holds two small maps at most and mostly none.
    numbers: Mapping[str, int] = _NOTHING
    issued: Mapping[str, Statement] = _NOTHING
    credit: int = 0
    refunded: int = 0
    # (source, date, units, designation, parts, left) of each payment, from which Allocation
    # records are built, when recording (a list): only a balance asks for them, and it
    # replays the account to record them. The ledger an account keeps records none: they were
    # half of what it held.
    payments: list[_Payment] | None = None
    # The debts, oldest due first; None when they must be sorted. A range while that is the
    # order they were posted in, as a replay of monthly notices posts them.
    by_age: list[int] | range | None = range(0)
    disputes_open: Mapping[str, int] = _NOTHING  # dispute ref → debt (replaced, as extras)
    through: int = 0  # the ordinal of the last event's day (0: none): what it holds as of
    # Each debt by its key, while a fold posts statements: each is checked against every key,
    # which a scan would make quadratic in an account's years. Not kept (see compact).
    keys: dict[str, int] | None = None

    # -- the columns ----------------------------------------------------------------------------

    def put(self, place: int, value: int) -> None:
        """``cols[place] = value``, the columns made a list if the value overflows int64."""
        try:
            self.cols[place] = value
        except OverflowError:
            self.cols = list(self.cols)
            self.cols[place] = value

    def _add_row(self, row: tuple[int, ...]) -> None:
        cols = self.cols
        size = len(cols)
        try:
            cols.extend(row)
        except OverflowError:
            del cols[size:]
            self.cols = cols = list(cols)
            cols.extend(row)

    def _add_step(self, index: int, day: int, units: int, source: _Source) -> None:
        steps = self.steps
        size = len(steps)
        try:
            steps.extend((index, day, units))
        except OverflowError:
            del steps[size:]
            self.steps = steps = list(steps)
            steps.extend((index, day, units))
        self.sources.append(source)

    def compact(self) -> None:
        """Its lists and arrays cut to their length, its keys' map dropped: what it keeps."""
        self.keys = None
        self.statements = self.statements[:]
        self.cols = self.cols[:]
        self.steps = self.steps[:]
        self.sources = self.sources[:]

    def _places(self, index: int) -> Iterator[int]:
        """Where each reduction of a debt is in ``sources`` (a third of its place in steps)."""
        # Searched for in the column of debts (copied out at once), not step by step: a
        # payment under a threshold grace works the form out again from every step.
        owners = self.steps[0::3]
        at = 0
        while True:
            try:
                at = owners.index(index, at)
            except ValueError:
                return
            yield at
            at += 1

    def steps_of(self, index: int) -> list[tuple[int, int]]:
        """``(date ordinal, minor units)`` of each principal reduction of a debt, in order."""
        steps = self.steps
        return [(steps[3 * at + 1], steps[3 * at + 2]) for at in self._places(index)]

    def trail(self, index: int) -> tuple[Any, ...]:
        """A debt's ``(date ordinal, minor units, source)`` of each reduction, flat."""
        steps, sources = self.steps, self.sources
        trail: list[Any] = []
        for at in self._places(index):
            trail += (steps[3 * at + 1], steps[3 * at + 2], sources[at])
        return tuple(trail)

    def set_trail(self, index: int, trail: tuple[Any, ...]) -> None:
        """A debt's reductions replaced by ``trail`` (flat, as ``trail`` gives them)."""
        steps, sources = self.steps, self.sources
        self.steps, self.sources = steps[:0], []
        for at, source in enumerate(sources):
            place = 3 * at
            if steps[place] != index:
                self._add_step(steps[place], steps[place + 1], steps[place + 2], source)
        for day, units, source in zip(trail[0::3], trail[1::3], trail[2::3], strict=True):
            self._add_step(index, day, units, source)

    def debt(self, number: str, event: AccountEvent) -> _Debt:
        index = self.key_of(number)
        if index is None:
            raise UnknownStatement(
                f"{_describe(event)} names statement {number}, which this account does not hold.",
                statement=number,
                **_about(event),
            )
        return _Debt(self, index)

    def all_debts(self) -> list[_Debt]:
        return [_Debt(self, index) for index in range(len(self.statements))]

    def keyed(self, number: str) -> int | None:
        """The debt whose key (its original statement's number) is ``number``, if held."""
        keys = self.keys
        if keys is not None:
            return keys.get(number)
        # A scan rather than a map kept: a dozen statements a year, and a map per ledger was
        # a tenth of what it held (a fold keeps one while it posts statements, see _statement).
        for index, statement in enumerate(self.statements):
            if statement.number == number and not statement.revision:
                return index
        for index, extra in self.extras.items():  # corrected: revision 1 or more in force
            if extra.original == number:
                return index
        return None

    def key_of(self, number: str) -> int | None:
        """The debt whose statement (any revision) is ``number``, if held."""
        index = self.keyed(number)
        if index is None:
            return self.numbers.get(number)
        return index

    def revision(self, number: str) -> Statement:
        """The revision numbered ``number`` of a statement the ledger holds."""
        superseded = self.issued.get(number)
        if superseded is not None:
            return superseded
        index = self.numbers.get(number)
        if index is None:
            index = self.keyed(number)
        assert index is not None, "a statement the ledger holds"
        return self.statements[index]

    def copy(self) -> _Ledger:
        """A ledger the next events may change, leaving this one as it is.

        The columns and lists are copied; the maps are replaced, never changed in place, so
        they are shared.
        """
        by_age = self.by_age
        return _Ledger(
            self.currency,
            self.allocation,
            self.disputes,
            self.statements[:],
            self.cols[:],
            self.steps[:],
            self.sources[:],
            self.extras,
            self.numbers,
            self.issued,
            self.credit,
            self.refunded,
            None if self.payments is None else list(self.payments),
            list(by_age) if type(by_age) is list else by_age,
            self.disputes_open,
            self.through,
        )

    # -- a debt's fee and what it owes --------------------------------------------------------

    def principal_owed(self, index: int) -> int:
        cols, row = self.cols, index * _STRIDE
        extra = self.extras.get(index)
        if extra is None:
            return cols[row + _PRINCIPAL] - cols[row + _PAID]
        return cols[row + _PRINCIPAL] - cols[row + _PAID] - extra.waived - extra.written

    def fee_owed(self, index: int, day: int) -> int:
        """The fee a debt still owes on ``day`` (on or after its last step's)."""
        cols, row = self.cols, index * _STRIDE
        den = cols[row + _DEN]
        age = day - cols[row + _DUE]
        if den and age >= cols[row + _LAG]:
            # The default terms' fee still owed, in closed form (see _Debt).
            owed = self.principal_owed(index)
            return (cols[row + _NUM] * owed * age + cols[row + _BASE]) // den
        return _Debt(self, index).fee_owed(day)

    def settles(self, index: int, day: int) -> bool:
        """Whether a debt owes nothing on ``day`` or later, until it changes (_Debt.settles)."""
        if index in self.extras:
            return _Debt(self, index).settles(day)
        cols, row = self.cols, index * _STRIDE
        return cols[row + _PRINCIPAL] == cols[row + _PAID] and self.fee_owed(index, day) == 0

    def changed(self, index: int) -> None:
        """A debt's principal, due date, terms or steps changed: the fee's closed form again."""
        row = index * _STRIDE
        cols = self.cols
        extra = self.extras.get(index)
        if extra is not None and extra.written_off:
            settled = None
        else:
            settled = cols[row + _FEE_PAID]
            if extra is not None:
                settled += extra.fee_waived + extra.fee_written
        lag, num, base, den = _form(
            self.statements[index],
            cols[row + _PRINCIPAL],
            self.steps_of(index),
            cols[row + _DUE],
            settled,
        )
        put = self.put
        put(row + _LAG, lag)
        put(row + _NUM, num)
        put(row + _BASE, base)
        put(row + _DEN, den)
        put(row + _SETTLED, 0)

    def fee_settled(self, index: int, units: int) -> None:
        """``units`` more of a debt's fee were paid, waived or written off (or fewer)."""
        row = index * _STRIDE
        den = self.cols[row + _DEN]
        if den:
            self.put(row + _BASE, self.cols[row + _BASE] - den * units)

    def reduce(self, index: int, day: int, units: int, source: _Source) -> None:
        """A debt's principal reduced by ``units`` on ``day``: one more step of its fee."""
        self._add_step(index, day, units, source)
        row = index * _STRIDE
        cols = self.cols
        lag = cols[row + _LAG]
        step = (
            None
            if lag in (_NO_LAG, NEVER)
            else fee_form_step(self.statements[index].late_fee, cols[row + _DUE], day, units)
        )
        if step is None:
            self.changed(index)
            return
        # The form goes on from the last step (its lag stays): no need to read every step. (The
        # debt is not settled: it owed what was reduced.)
        if cols[row + _DEN]:
            step *= cols[row + _NUM]
        self.put(row + _BASE, cols[row + _BASE] + step)

    def apply(self, event: AccountEvent) -> None:
        """Apply one event, in replay order."""
        _HANDLERS[type(event)](self, event)

    def _on_statement(self, event: Statement) -> None:
        self._statement(event)
        self._apply_credit(event.issued_on)

    def _on_receipt(self, event: Receipt) -> None:
        self._pay(event.amount, event.on, event, event.designation)

    def _on_credit(self, event: Credit) -> None:
        self._pay(event.amount, event.on, event, ())

    def _on_refund(self, event: Refund) -> None:
        units = event.amount.minor_units
        if units > self.credit:
            raise RefusedChange(
                f"{_describe(event)} exceeds the account's credit of "
                f"{Money.from_minor_units(self.credit, self.currency).amount:f}; a refund "
                "pays back credit only.",
                credit=Money.from_minor_units(self.credit, self.currency),
                **_about(event),
            )
        self.credit -= units
        self.refunded += units

    def _on_cost(self, event: CollectionCost) -> None:
        debt = self._open_debt(event.statement, event)
        debt.costs += event.amount.minor_units
        debt.settled = False
        self._apply_credit(event.on)

    def _on_dispute(self, event: DisputeRaised) -> None:
        debt = self._open_debt(event.statement, event)
        self.disputes.check_raised_in_time(debt.statement.number, debt.due_on, event.on)
        debt.disputes = {**debt.disputes, event.reference: event}
        debt.dispute_days = {**debt.dispute_days, event.reference: (event.on.toordinal(), 0)}
        self.disputes_open = {**self.disputes_open, event.reference: debt.index}

    def _on_outcome(self, event: DisputeResolved) -> None:
        index = self.disputes_open.get(event.reference)
        if index is None:
            raise RefusedChange(
                f"{_describe(event)} resolves no open dispute: there is none with "
                f"reference {event.reference} on or before that day.",
                **_about(event),
            )
        self.disputes_open = {
            ref: at for ref, at in self.disputes_open.items() if ref != event.reference
        }
        debt = _Debt(self, index)
        debt.disputes = {k: v for k, v in debt.disputes.items() if k != event.reference}
        raised, _ = debt.dispute_days[event.reference]
        debt.dispute_days = {**debt.dispute_days, event.reference: (raised, event.on.toordinal())}
        if event.corrected is not None:
            self._correct(debt, event.corrected, event.on, event)

    def _on_correction(self, event: Correction) -> None:
        debt = self._open_debt(event.statement, event)
        self._correct(debt, event.corrected, event.on, event)

    # -- statements and corrections ----------------------------------------------------------

    def _statement(self, statement: Statement) -> None:
        total = statement.total
        if total.currency != self.currency:
            raise CurrencyMismatch(
                f"statement {statement.number} is in {statement.currency}; the account is in "
                f"{self.currency}.",
                field="currency",
                value=statement.currency,
                allowed=self.currency,
                statement=statement.number,
            )
        if statement.revision:
            raise RefusedChange(
                f"statement {statement.number} is revision {statement.revision}; post a "
                "Correction (or an upheld dispute) to replace an issued statement.",
                statement=statement.number,
                revision=statement.revision,
            )
        if total.amount < 0:
            # A negative principal would run a negative late fee: a credit is a Credit event.
            raise InvalidAmount(
                f"statement {statement.number} totals {statement.total.amount:f}; a statement "
                "owes zero or more (post a Credit for money owed to the payer).",
                field="total",
                value=statement.total,
                allowed="zero or more",
                statement=statement.number,
            )
        cap = statement.late_fee.cap
        if isinstance(cap, AbsoluteCap) and cap.amount.currency != self.currency:
            raise CurrencyMismatch(
                f"statement {statement.number}'s late-fee cap is in {cap.amount.currency}; the "
                f"account is in {self.currency}.",
                field="late_fee.cap",
                value=cap.amount,
                allowed=f"a cap in {self.currency}",
                statement=statement.number,
            )
        key = statement.number
        keys = self.keys
        if keys is None:
            keys = self.keys = {_Debt(self, at).key: at for at in range(len(self.statements))}
        if key in keys:
            raise DuplicateReference(
                f"statement {key} is already posted to this account.", statement=key
            )
        index = len(self.statements)
        due = statement.due_on.toordinal()
        principal = total.minor_units
        # (A new statement has no steps: a replay posts a dozen a year per account.)
        lag, num, base, den = _form(statement, principal, (), due, 0)
        keys[key] = index
        self.statements.append(statement)
        self._add_row((0, due, principal, 0, 0, lag, num, base, den))
        by_age = self.by_age
        if by_age is None:
            return
        if type(by_age) is range:
            if not index or self._age(index - 1) < (due, key):
                self.by_age = range(index + 1)  # still the order they were posted in
                return
            self.by_age = by_age = list(by_age)
        # Inserted in its place rather than sorted again: a replay adds a notice a month.
        bisect.insort(by_age, index, key=self._age)

    def _correct(
        self, debt: _Debt, corrected: Statement, on: pendulum.Date, event: AccountEvent
    ) -> None:
        current = debt.statement
        if corrected.supersedes != current.number:
            raise RefusedChange(
                f"{_describe(event)} supersedes {corrected.supersedes}, but the statement in "
                f"force is {current.number}; correct the latest revision.",
                supersedes=corrected.supersedes,
                in_force=current.number,
                **_about(event),
            )
        same = (corrected.unit_id, corrected.period, corrected.currency)
        if same != (current.unit_id, current.period, current.currency):
            raise RefusedChange(
                f"{_describe(event)} changes the unit, period or currency of {current.number}; "
                "a correction changes amounts only.",
                statement=current.number,
                **_about(event),
            )
        if corrected.revision != current.revision + 1:
            raise RefusedChange(
                f"{_describe(event)} carries revision {corrected.revision}; the next revision "
                f"of {current.number} is {current.revision + 1}.",
                revision=corrected.revision,
                expected=current.revision + 1,
                **_about(event),
            )
        fee_before = debt.fee_paid + debt.fee_waived
        debt.original = debt.key
        debt.statement = corrected
        debt.principal = corrected.total.minor_units
        debt.due = max(corrected.due_on.toordinal(), debt.deferred)
        self.numbers = {**self.numbers, corrected.number: debt.index}
        self.issued = {**self.issued, current.number: current}
        self.by_age = None
        # What was settled above the corrected principal comes back, latest first: money paid
        # becomes credit; waived or written-off amounts simply lapse (they were never money).
        excess = -debt.principal_owed
        while excess > 0:
            trail = debt.trail
            day, units, source = trail[-3:]
            debt.trail = trail[:-3]
            kind = _source_kind(source)
            take = min(excess, units)
            if units > take:
                debt.reduce(day, units - take, source)
            if kind == "paid":
                debt.paid -= take
                self.credit += take
            elif kind == "waived":
                debt.waived -= take
            else:
                debt.written -= take
            excess -= take
        debt.changed()  # the statement, principal, due date and steps as they now stand
        over = fee_before - debt.fee_units(on.toordinal())
        if over > 0:
            lapse = min(over, debt.fee_waived)
            debt.fee_waived -= lapse
            refund = over - lapse
            debt.fee_paid -= refund
            debt.fee_settled(-over)
            self.credit += refund
        self._apply_credit(on)

    def _defer(self, event: Deferral) -> None:
        debt = self._open_debt(event.statement, event)
        # Checked against the statement it names, not the due date in force, so that it does
        # not depend on the other deferrals and corrections posted; the due date in force is the
        # latest of the statement's and the deferred dates (see _correct).
        named = self.revision(event.statement)
        if event.new_due_on <= named.due_on:
            raise RefusedChange(
                f"{_describe(event)} moves the due date to {event.new_due_on.isoformat()}, not "
                f"after the statement's due date {named.due_on.isoformat()}; a deferral only "
                "moves it later.",
                field="new_due_on",
                value=event.new_due_on,
                allowed=f"after {named.due_on.isoformat()}",
                **_about(event),
            )
        debt.deferred = max(debt.deferred, event.new_due_on.toordinal())
        due = max(debt.statement.due_on.toordinal(), debt.deferred)
        if due != debt.due:
            debt.due = due
            debt.changed()
            self.by_age = None
        debt.deferrals += (event.reference,)
        debt.deferred_to += ((event.on.toordinal(), event.new_due_on.toordinal()),)

    # -- money in and out -------------------------------------------------------------------

    def _oldest_first(self) -> Sequence[int]:
        by_age = self.by_age
        if by_age is None:
            by_age = self.by_age = sorted(range(len(self.statements)), key=self._age)
        return by_age

    def _age(self, index: int) -> tuple[int, str]:
        return self.cols[index * _STRIDE + _DUE], self.statements[index].number

    def _pay(
        self, amount: Money, on: pendulum.Date, event: Receipt | Credit, designation: Sequence[str]
    ) -> None:
        source = _source_text(event)
        if amount.currency != self.currency:
            raise CurrencyMismatch(
                f"{source} is in {amount.currency}; the account is in {self.currency}.",
                field="amount",
                value=amount,
                allowed=f"an amount in {self.currency}",
                source=source,
            )
        keys = []
        for number in designation:
            index = self.key_of(number)
            if index is None:
                raise UnknownStatement(
                    f"{source} designates statement {number}, which this account does not hold.",
                    field="designation",
                    value=number,
                    allowed="statements this account holds on that day",
                    source=source,
                )
            keys.append(index)
        self.credit += self._allocate(amount.minor_units, on, event, tuple(keys), record=True)

    def _allocate(
        self,
        units: int,
        on: pendulum.Date,
        source: _Source,
        designation: tuple[int, ...],
        *,
        record: bool,
    ) -> int:
        """Settle what is owed with ``units`` in the policy's order; return what is left.

        The order comes from :func:`settlement_order`; a
        statement's late fee is worked out only when the money reaches it.
        """
        day = on.toordinal()
        left = units
        payments = self.payments  # kept only by a ledger that records them
        parts: list[tuple[str, Component, int]] = []
        extras = self.extras
        cols = self.cols
        unsettled = [i for i in self._oldest_first() if not cols[i * _STRIDE + _SETTLED]]
        for index, component in settlement_order(self.allocation, unsettled, designation):
            if not left:
                break
            extra = extras.get(index)
            if extra is not None and extra.written_off:
                continue
            if component is Component.PRINCIPAL:
                row = index * _STRIDE
                owed = self.cols[row + _PRINCIPAL] - self.cols[row + _PAID]
                if extra is not None:
                    owed -= extra.waived + extra.written
            elif component is Component.LATE_FEES:
                owed = self.fee_owed(index, day)
            else:
                owed = 0 if extra is None else extra.costs - extra.costs_paid - extra.costs_written
            if owed <= 0:
                continue
            paid = min(owed, left)
            left -= paid
            parts.append((self.statements[index].number, component, paid))
            row = index * _STRIDE
            if component is Component.PRINCIPAL:
                self.put(row + _PAID, self.cols[row + _PAID] + paid)
                self.reduce(index, day, paid, source)
            elif component is Component.LATE_FEES:
                self.put(row + _FEE_PAID, self.cols[row + _FEE_PAID] + paid)
                self.fee_settled(index, paid)
            else:
                _Debt(self, index).costs_paid += paid
            extras = self.extras
        self._mark_settled(unsettled, day)
        if payments is not None and (record or parts):
            numbers = tuple(self.statements[index].number for index in designation)
            payments.append((_source_text(source), on, units, numbers, tuple(parts), left))
        return left

    def _mark_settled(self, indices: Iterable[int], day: int) -> None:
        """Each of the debts that owes nothing from ``day`` on marked so (see settles)."""
        settles = self.settles
        for index in indices:
            if settles(index, day):
                self.put(index * _STRIDE + _SETTLED, 1)

    def _apply_credit(self, on: pendulum.Date) -> None:
        if self.credit:
            self.credit = self._allocate(self.credit, on, _BROUGHT_FORWARD, (), record=False)

    def allocations(self) -> tuple[Allocation, ...]:
        """The payments so far, as :class:`~propcrm.receivables.Allocation` records.

        Of a ledger that records them (``payments``), which only a balance replays.
        """
        assert self.payments is not None, "a ledger replayed with its payments recorded"
        currency = self.currency
        policy = self.allocation
        return tuple(
            Allocation(
                source=source,
                on=on,
                amount=Money.from_minor_units(units, currency),
                order=policy.order,
                designation=numbers,
                designation_honoured=bool(numbers) and policy.honour_designation,
                parts=tuple(
                    AllocationPart(number, component, Money.from_minor_units(paid, currency))
                    for number, component, paid in parts
                ),
                credited=Money.from_minor_units(left, currency),
            )
            for source, on, units, numbers, parts, left in self.payments
        )

    # -- waivers and write-offs --------------------------------------------------------------

    def _open_debt(self, number: str, event: AccountEvent) -> _Debt:
        debt = self.debt(number, event)
        if debt.written_off:
            raise RefusedChange(
                f"{_describe(event)}: statement {number} was written off; nothing more can be "
                "posted against it.",
                statement=number,
                **_about(event),
            )
        return debt

    def _waive_fee(self, event: LateFeeWaiver) -> None:
        # Forgives what is owed that day, up to the amount authorised: never refused for the
        # amount, so that it does not depend on which other events are posted (see the module
        # docstring). What it forgave is the balance's late_fee_waived.
        debt = self._open_debt(event.statement, event)
        owed = max(0, debt.fee_owed(event.on.toordinal()))
        units = owed if event.amount is None else min(owed, event.amount.minor_units)
        debt.fee_waived += units
        debt.fee_settled(units)

    def _waive_principal(self, event: PrincipalWaiver) -> None:
        debt = self._open_debt(event.statement, event)
        owed = debt.principal_owed
        units = owed if event.amount is None else min(owed, event.amount.minor_units)
        if units:
            debt.waived += units
            debt.reduce(event.on.toordinal(), units, event)

    def _write_off(self, event: WriteOff) -> None:
        # Closes the statement whatever it still owes, nothing included, for the same reason.
        day = event.on.toordinal()
        debt = self._open_debt(event.statement, event)
        principal = debt.principal_owed
        if principal:
            debt.written += principal
            debt.reduce(day, principal, event)
        debt.fee_written += max(0, debt.fee_owed(day))
        debt.costs_written += debt.costs_owed()
        debt.written_off = True
        debt.changed()  # nothing is owed on it any more: the fee's form says so

    # -- results -----------------------------------------------------------------------------

    def owing(self, day: int) -> Iterator[tuple[int, int, int, int, int]]:
        """``(debt, due, principal, fees, costs)`` of each debt that still owes on ``day``.

        ``day`` is on or after the ledger's last event (see ``_Debt.fee_units``). The fee is
        the debt's closed form, worked out inline under the default terms (see _Debt).
        """
        cols, extras = self.cols, self.extras
        read = _reader(cols)
        for start in range(0, len(cols), _STRIDE):
            if cols[start]:  # settled: owes nothing on this or any later day (_Debt.settles)
                continue
            _, due, principal, paid, _, lag, num, base, den = read(cols, 8 * start)
            extra = extras.get(start // _STRIDE) if extras else None
            if extra is None:
                principal -= paid
                costs = 0
            else:
                principal -= paid + extra.waived + extra.written
                costs = extra.costs - extra.costs_paid - extra.costs_written
            age = day - due
            if den and age >= lag:
                fees = (num * principal * age + base) // den
            else:
                fees = _Debt(self, start // _STRIDE).fee_owed(day)
            if principal or fees or costs:
                yield start // _STRIDE, due, principal, fees, costs

    def aged_units(self, day: int, edges: Sequence[int]) -> dict[int, list[int]]:
        """By aging bucket index: ``[principal, late fees, costs, statements]`` owed on ``day``.

        The buckets of ``edges`` (a policy's, ascending): index 0 is not yet due, then one
        past each edge reached. What ``arrears.age_account`` sums, without a row per statement.
        """
        sums: dict[int, list[int]] = {}
        place = bisect.bisect_left
        for _, due, principal, fees, costs in self.owing(day):
            age = day - due
            bucket = 0 if age <= 0 else 1 + place(edges, age)
            group = sums.get(bucket)
            if group is None:
                sums[bucket] = [principal, fees, costs, 1]
            else:
                group[0] += principal
                group[1] += fees
                group[2] += costs
                group[3] += 1
        return sums

    def owed(self, as_of: pendulum.Date) -> tuple[StatementOwed, ...]:
        day = as_of.toordinal()
        money = money_of_units(self.currency)
        statements, cols, extras = self.statements, self.cols, self.extras
        rows = []
        for index, due, principal, fees, costs in self.owing(day):
            statement = statements[index]
            due_on = statement.due_on
            if due_on.toordinal() != due:  # deferred
                due_on = pendulum.Date.fromordinal(due)
            row = index * _STRIDE
            state = _state(
                extras.get(index),
                cols[row + _PAID] or cols[row + _FEE_PAID],
                due,
                day,
                principal or fees or costs,
            )
            rows.append(
                StatementOwed(
                    statement.number,
                    statement.period,
                    due_on,
                    money(principal),
                    money(fees),
                    money(costs),
                    max(0, day - due) if principal else 0,
                    state,
                )
            )
        return tuple(rows)

    def positions(self) -> tuple[StatementPosition, ...]:
        trails: list[list[tuple[int, int]]] = [[] for _ in self.statements]
        steps = self.steps
        for place in range(0, len(steps), 3):
            trails[steps[place]].append((steps[place + 1], steps[place + 2]))
        return tuple(
            StatementPosition(
                debt.key,
                debt.statement,
                debt.principal,
                tuple(trails[debt.index]),
                debt.paid,
                debt.waived,
                debt.written,
                debt.fee_paid,
                debt.fee_waived,
                debt.fee_written,
                debt.costs,
                debt.costs_paid,
                debt.costs_written,
                debt.written_off,
                tuple(debt.deferred_to),
                tuple(debt.dispute_days.values()),
            )
            for debt in self.all_debts()
        )

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
        costs_owed = debt.costs_owed()
        principal_owed = debt.principal_owed
        state = _state(
            debt.extra,
            debt.paid or debt.fee_paid,
            debt.due,
            as_of.toordinal(),
            principal_owed or fee_owed or costs_owed,
        )
        return StatementBalance(
            number=debt.statement.number,
            original_number=debt.key,
            statement=debt.statement,
            as_of=as_of,
            due_on=debt.due_on,
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


def _state(extra: _Extra | None, paid: int, due: int, day: int, owed: int) -> StatementState:
    """A statement's state on the day with ordinal ``day``, from what it owes and its events.

    ``paid``: whether any of its principal or fee was paid; ``owed``: whether anything is
    owed; ``due``: the due date in force.
    """
    if extra is None:  # no waiver, write-off, cost, dispute or deferral
        if not owed:
            return StatementState.PAID
        return StatementState.PARTLY_PAID if paid else StatementState.OPEN
    if extra.written_off:
        return StatementState.WRITTEN_OFF
    if not owed:
        return StatementState.WAIVED if extra.waived or extra.fee_waived else StatementState.PAID
    if extra.disputes:
        return StatementState.DISPUTED
    if extra.deferrals and day <= due:
        return StatementState.DEFERRED
    if paid or extra.costs_paid:
        return StatementState.PARTLY_PAID
    return StatementState.OPEN


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


def _events(events: object) -> list[AccountEvent]:
    """``events`` as a list of account events; anything else is refused with its context."""
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidType(
            f"events {events!r} must be an iterable of account events.",
            field="events",
            value=events,
            allowed="an iterable of account events",
        )
    listed = list(events)
    for event in listed:
        if type(event) not in _RANK:
            raise InvalidType(
                f"{event!r} is not an account event; post statements, receipts, credits, "
                "refunds, waivers, write-offs, collection costs, corrections, deferrals or "
                "disputes.",
                field="events",
                value=event,
                allowed=", ".join(sorted(_KIND.values())),
            )
    return listed


def _conflict(known: AccountEvent, event: AccountEvent) -> DuplicateReference:
    kind, ref = _key(known)
    posted, refused = _describe(known), _describe(event)
    if posted == refused:  # they differ in a field the one-line description omits
        posted, refused = repr(known), repr(event)
    return DuplicateReference(
        f"{kind} reference {ref} is already posted ({posted}); refused the conflicting "
        f"{refused}. The same reference must always carry the same contents.",
        event=kind,
        reference=ref,
        posted=known,
        refused=event,
    )


def _canonical(events: Iterable[AccountEvent]) -> tuple[AccountEvent, ...]:
    """The events in replay order, each reference once; a reference reused differently raises.

    Which conflict is reported, and which of its two events is called posted, does not depend
    on the order the events came in: the first conflicting reference in replay order, and the
    two events in the order of their ``repr``.
    """
    seen: dict[tuple[str, str], AccountEvent] = {}
    # Each event's _order, worked out in the same pass (every replay of every account sorts).
    order: dict[tuple[str, str], tuple[pendulum.Date, int, str]] = {}
    conflicts: dict[tuple[str, str], set[AccountEvent]] = {}
    # Whether they came in replay order already, as a store reads them back: then no sort.
    ordered, last = True, None
    for event in _events(events):
        if isinstance(event, Statement):
            ref, on = event.number, event.issued_on
        else:
            ref, on = event.reference, event.on
        cls = type(event)
        key = (_KIND[cls], ref)
        known = seen.get(key)
        if known is None:
            seen[key] = event
            place = order[key] = (on, _RANK[cls], ref)
            if ordered and last is not None and place <= last:
                ordered = False
            last = place
        elif known != event:
            conflicts.setdefault(key, {known}).add(event)
    if conflicts:
        key = min(conflicts, key=lambda k: (order[k], k))
        first, second, *_ = sorted(conflicts[key], key=repr)
        raise _conflict(first, second)
    if ordered:
        return tuple(seen.values())
    return tuple([seen[key] for key in sorted(order, key=order.__getitem__)])


def _unit_id(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    check_record_id(value, "unit_id", InvalidUnit)


def _billed_party(
    _instance: object, _attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if value is not None:
        check_record_id(value, "billed_party", InvalidParty)


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

    unit_id: str = attrs.field(validator=_unit_id)
    billed_party: str | None = attrs.field(default=None, validator=_billed_party)
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))
    allocation: AllocationPolicy = attrs.field(
        default=DEFAULT_ALLOCATION, validator=instance_of(AllocationPolicy)
    )
    disputes: DisputePolicy = attrs.field(
        default=DEFAULT_DISPUTES, validator=instance_of(DisputePolicy)
    )
    events: tuple[AccountEvent, ...] = attrs.field(default=(), converter=_canonical)
    _ledger: _Ledger = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._check_units(self.events)
        # Replaying on construction checks every invariant once; the final state is kept for
        # balances as of any date after the last event.
        ledger = self._replay(None)
        ledger.compact()
        set_cached(self, "_ledger", ledger)

    def _check_units(self, events: Iterable[AccountEvent]) -> None:
        unit_id = self.unit_id
        for event in events:
            if isinstance(event, Statement) and event.unit_id != unit_id:
                raise RefusedChange(
                    f"statement {event.number} is for unit {event.unit_id}, not this account's "
                    f"unit {unit_id}.",
                    field="unit_id",
                    value=event.unit_id,
                    allowed=unit_id,
                    statement=event.number,
                )

    def post(self, *events: AccountEvent) -> Account:
        """This account with ``events`` posted; an event already posted changes nothing.

        The events are accepted together or not at all, whatever their order (see the module
        docstring); a reference already posted with other contents is refused naming both.
        """
        posted = {_key(e): e for e in self.events}
        fresh: list[AccountEvent] = []
        clashes: list[tuple[AccountEvent, AccountEvent]] = []
        for event in _events(events):
            known = posted.get(_key(event))
            if known is None:
                fresh.append(event)
            elif known != event:
                clashes.append((known, event))
        if clashes:
            # The same error whatever the order the events came in.
            known, event = min(clashes, key=lambda c: (_order(c[0]), repr(c[1])))
            raise _conflict(known, event)
        if not fresh:
            return self
        later = sorted(fresh, key=_order)
        # After every posted event, each reference once: the replay would fold the same.
        if (
            self.events
            and _order(later[0]) > _order(self.events[-1])
            and len({_key(e) for e in later}) == len(later)
        ):
            return self._continued(tuple(later))
        return attrs.evolve(self, events=self.events + tuple(fresh))

    def _continued(self, later: tuple[AccountEvent, ...]) -> Account:
        """This account with ``later``, which all come after its events in replay order.

        Replaying every event would first rebuild the state this account holds already, so
        the fold goes on from a copy of it: a receipt posted to years of history folds one
        event, not the years. The events, the checks and the errors are the replay's, in its
        order (``tests/test_accounts.py`` compares the two over the exported strategies).
        """
        self._check_units(later)
        ledger = self._ledger.copy()
        for event in later:
            ledger.apply(event)
        ledger.through = effective_on(later[-1]).toordinal()
        ledger.compact()
        return continued_trusted(self, {"_ledger": ledger}, events=self.events + later)

    def _replay(self, as_of: pendulum.Date | None, *, record: bool = False) -> _Ledger:
        ledger = _Ledger(
            self.currency, self.allocation, self.disputes, payments=[] if record else None
        )
        for event in self.events:
            on = effective_on(event)
            if as_of is not None and on > as_of:
                break
            ledger.apply(event)
            ledger.through = on.toordinal()
        return ledger

    def _ledger_as_of(self, as_of: pendulum.Date) -> _Ledger:
        last = effective_on(self.events[-1]) if self.events else None
        if last is None or as_of >= last:
            return self._ledger
        return self._replay(as_of)

    def balance(self, as_of: datetime.date) -> AccountBalance:
        """Every statement's balance, the credit and the allocations as of ``as_of``."""
        day = as_date(as_of, "as_of")
        # Replayed with its payments recorded, for the allocations: the ledger the account keeps
        # records none (a replay costs a fifth of the balance's explained fees).
        ledger = self._replay(day, record=True)
        rows = tuple(ledger.statement_balance(debt, day) for debt in ledger.all_debts())
        return AccountBalance(
            unit_id=self.unit_id,
            billed_party=self.billed_party,
            as_of=day,
            statements=rows,
            credit=Money.from_minor_units(ledger.credit, self.currency),
            allocations=ledger.allocations(),
            refunded=Money.from_minor_units(ledger.refunded, self.currency),
        )

    def owed(self, as_of: datetime.date) -> tuple[StatementOwed, ...]:
        """The statements that still owe something as of ``as_of``, and what.

        :meth:`balance` without the breakdowns, and without the statements settled in full
        (paid, waived or written off): what arrears reports and dunning read.

        >>> nov = opening_statement(
        ...     community="SUNRISE",
        ...     unit_id="1-2-0301",
        ...     period=BillingPeriod.month(2026, 11),
        ...     amount=Money("1000.00"),
        ...     due_on=pendulum.date(2026, 12, 10),
        ... )
        >>> (row,) = Account("1-2-0301").post(nov).owed(pendulum.date(2026, 12, 30))
        >>> row.principal, row.late_fees, row.days_overdue, row.state.value
        (Money('1000.00', 'CNY'), Money('60.00', 'CNY'), 20, 'open')
        """
        day = as_date(as_of, "as_of")
        return self._ledger_as_of(day).owed(day)

    def owes(self, as_of: datetime.date) -> bool:
        """Whether anything is owed as of ``as_of``: whether :meth:`owed` lists a statement.

        Nothing is built to answer: what a store asks of every account it writes, to know the
        day from which the account owes nothing.

        >>> nov = opening_statement(
        ...     community="SUNRISE",
        ...     unit_id="1-2-0301",
        ...     period=BillingPeriod.month(2026, 11),
        ...     amount=Money("1000.00"),
        ...     due_on=pendulum.date(2026, 12, 10),
        ... )
        >>> account = Account("1-2-0301").post(nov)
        >>> account.owes(pendulum.date(2026, 12, 30))
        True
        >>> account.post(
        ...     Receipt("BANK-1", Money("1000.00"), received_on=pendulum.date(2026, 12, 5))
        ... ).owes(pendulum.date(2026, 12, 30))
        False
        """
        day = as_date(as_of, "as_of")
        return next(self._ledger_as_of(day).owing(day.toordinal()), None) is not None

    def credit(self, as_of: datetime.date) -> Money:
        """The credit held as of ``as_of``: :meth:`balance`'s, without the statements' breakdowns.

        >>> Account("1-2-0301").credit(pendulum.date(2026, 12, 1))
        Money('0.00', 'CNY')
        """
        day = as_date(as_of, "as_of")
        return Money.from_minor_units(self._ledger_as_of(day).credit, self.currency)

    def positions(self, as_of: datetime.date) -> tuple[StatementPosition, ...]:
        """Every statement's stored facts as of ``as_of``: the input of a batch path.

        The facts the ledger keeps, not what follows from them: a batch path
        (:mod:`propcrm.portfolio`) computes late fees, balances and states from these over
        columns for a whole portfolio, and must equal :meth:`balance` on them.

        >>> nov = opening_statement(
        ...     community="SUNRISE",
        ...     unit_id="1-2-0301",
        ...     period=BillingPeriod.month(2026, 11),
        ...     amount=Money("1000.00"),
        ...     due_on=pendulum.date(2026, 12, 10),
        ... )
        >>> receipt = Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20))
        >>> (row,) = Account("1-2-0301").post(nov, receipt).positions(pendulum.date(2026, 12, 30))
        >>> row.principal, row.reductions, row.paid, row.fee_paid  # 739970: 2026-12-20
        (100000, ((739970, 37000),), 37000, 3000)
        """
        day = as_date(as_of, "as_of")
        return self._ledger_as_of(day).positions()

    def _aged_units(self, as_of: datetime.date, edges: Sequence[int]) -> dict[int, list[int]]:
        # For arrears.age_account: [principal, late fees, costs, statements] in minor units by
        # bucket index, so a month-end run over a portfolio builds Money only for each bucket.
        day = as_of if type(as_of) is pendulum.Date else as_date(as_of, "as_of")
        ordinal = day.toordinal()
        ledger = self._ledger
        if ordinal < ledger.through:
            ledger = self._replay(day)
        return ledger.aged_units(ordinal, edges)

    def late_fee(self, statement: str, as_of: datetime.date) -> LateFee:
        """The late fee of ``statement`` accrued through ``as_of``, with its breakdown."""
        day = as_date(as_of, "as_of")
        ledger = self._ledger_as_of(day)
        index = ledger.key_of(statement)
        if index is None:
            raise UnknownStatement(
                f"the account of unit {self.unit_id} holds no statement {statement!r}.",
                field="statement",
                value=statement,
                allowed="a statement number this account holds on that day",
                unit_id=self.unit_id,
            )
        return _Debt(ledger, index).fee(day)

    def receipts(self) -> tuple[Receipt, ...]:
        """The receipts posted, in replay order; each says who paid and in what capacity."""
        return tuple(e for e in self.events if isinstance(e, Receipt))

    def paid_by_others(self) -> tuple[Receipt, ...]:
        """Receipts paid by someone other than the billed party (who stays liable)."""
        return tuple(r for r in self.receipts() if r.role is not PayerRole.BILLED_PARTY)
