"""The fee-usage report: the nine categories' budget against actual, beside the collections.

Domain brief §2: owners expect the breakdown of what the management fee pays for to be published.
The report puts the nine :class:`~propcrm.billing.FeeCategory` rows of a
:class:`~propcrm.billing.FeeUsage` (budget and actual spend, inputs) beside what the
accounts say about the same period: billed, collected, waived and written off
(:class:`Collections`, computed from account balances at the period's two ends).

Variances are exact money. Rates and shares are the declared rounding points:

- a variance rate (actual − budget) / budget, in percent, rounded once to ``places`` places
  with ``rounding`` (half-up to 0.01 % by default); ``None`` where nothing was budgeted;
- shares of the total budget and of the total actual, in percent to 0.01 %, by the largest
  remainder method (:func:`propcrm.money.allocate`), so the nine shares add up to exactly 100.

>>> usage = FeeUsage(
...     budget={FeeCategory.STAFF: Money("600.00"), FeeCategory.CLEANING: Money("300.00")},
...     actual={FeeCategory.STAFF: Money("620.00"), FeeCategory.CLEANING: Money("280.00")},
... )
>>> nothing = Collections.empty(pendulum.date(2026, 12, 31), pendulum.date(2027, 12, 31))
>>> report = fee_usage_report(usage, nothing)
>>> staff, _, cleaning = report.rows[:3]
>>> staff.variance, staff.variance_rate, staff.actual_share
(Money('20.00', 'CNY'), Decimal('3.33'), Decimal('68.89'))
>>> cleaning.variance_rate, cleaning.actual_share
(Decimal('-6.67'), Decimal('31.11'))
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from decimal import Decimal

import attrs
import pendulum

from propcrm._validators import check_instance
from propcrm.billing import (
    FeeCategory,
    FeeUsage,
)
from propcrm.errors import (
    AsOfMismatch,
    CurrencyMismatch,
    DuplicateAccount,
    InvalidPolicy,
    InvalidType,
)
from propcrm.money import (
    CNY,
    EXACT,
    Money,
    RoundingMode,
    allocate,
    quantize,
)
from propcrm.receivables._accounts import (
    Account,
    AccountBalance,
    StatementBalance,
)
from propcrm.receivables._events import items_of
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = [
    "DEFAULT_RATE_PLACES",
    "Collections",
    "FeeUsageLine",
    "FeeUsageReport",
    "collections_between",
    "collections_over",
    "fee_usage_report",
]

DEFAULT_RATE_PLACES = 2
"""Places of a variance rate in percent (0.01 %); our choice."""

_HUNDRED = Decimal(100)
# Shares are allocated as "fen" of 100.00 by the library's one largest-remainder method: a
# two-place currency turns 100 % into 10,000 hundredths of a per cent.
_WHOLE = Money("100.00", CNY)
# Division for a rate: 60 digits rounded with ROUND_05UP keeps enough information for the one
# rounding to ``places`` that follows to be correct in every mode (no double-rounding error).
_DIVIDE = decimal.Context(prec=60, rounding=decimal.ROUND_05UP, traps=[decimal.DivisionByZero])


@attrs.frozen
class Collections:
    """What a set of accounts billed, collected, waived and wrote off between two dates.

    Every figure is the change of the balances' own figure from the opening date (the day
    before the period) to the closing date (its last day), so they reconcile exactly:
    ``opening + billed + late_fees_accrued + costs_charged − collected − waived − written_off
    == closing`` (see :attr:`reconciles`), and money received is ``collected`` plus the change
    in credit plus refunds (:attr:`received`).

    A correction in the period shows as a change in ``billed``; money it moved from a
    statement back to credit lowers ``collected``. "Collected" is what receipts and credits
    settled (a goodwill :class:`~propcrm.receivables.Credit` settles like money).
    """

    opening_on: pendulum.Date
    closing_on: pendulum.Date
    currency: str
    accounts: int
    opening: Money
    billed: Money
    late_fees_accrued: Money
    costs_charged: Money
    collected_principal: Money
    collected_late_fees: Money
    collected_costs: Money
    waived_principal: Money
    waived_late_fees: Money
    written_off_principal: Money
    written_off_late_fees: Money
    written_off_costs: Money
    closing: Money
    opening_credit: Money
    closing_credit: Money
    refunded: Money

    @classmethod
    def empty(
        cls, opening_on: datetime.date, closing_on: datetime.date, currency: str = CNY
    ) -> Collections:
        """Collections of no account between two dates: every figure zero."""
        zero = Money.zero(currency)
        return cls(as_date(opening_on), as_date(closing_on), currency, 0, *([zero] * 16))

    @property
    def collected(self) -> Money:
        """Principal, late fees and costs settled in the period."""
        return self.collected_principal + self.collected_late_fees + self.collected_costs

    @property
    def waived(self) -> Money:
        """Principal and late fees waived in the period."""
        return self.waived_principal + self.waived_late_fees

    @property
    def written_off(self) -> Money:
        """Principal, late fees and costs written off in the period."""
        return self.written_off_principal + self.written_off_late_fees + self.written_off_costs

    @property
    def received(self) -> Money:
        """Money received in the period: what it settled, what it added to credit, refunds."""
        return self.collected + (self.closing_credit - self.opening_credit) + self.refunded

    @property
    def reconciles(self) -> bool:
        """Whether opening + charges − settlements == closing (always, by construction)."""
        charged = self.billed + self.late_fees_accrued + self.costs_charged
        settled = self.collected + self.waived + self.written_off
        return self.opening + charged - settled == self.closing

    def collection_rate(
        self, places: int = DEFAULT_RATE_PLACES, rounding: RoundingMode = RoundingMode.HALF_UP
    ) -> Decimal | None:
        """Principal collected over principal billed in the period, in percent, rounded once.

        ``None`` if nothing was billed. Above 100 when older arrears were paid in the period.
        """
        return _percent(self.collected_principal, self.billed, places, rounding)


def _written_costs(row: StatementBalance) -> int:
    return (row.costs - row.costs_paid - row.costs_outstanding).minor_units


# Each figure of a statement balance the collections read, in minor units.
def _figures(row: StatementBalance) -> tuple[int, ...]:
    return (
        row.outstanding.minor_units,
        row.principal.minor_units,
        row.late_fee.amount.minor_units,
        row.costs.minor_units,
        row.principal_paid.minor_units,
        row.late_fee_paid.minor_units,
        row.costs_paid.minor_units,
        row.principal_waived.minor_units,
        row.late_fee_waived.minor_units,
        row.principal_written_off.minor_units,
        row.late_fee_written_off.minor_units,
        _written_costs(row),
    )


_NONE = (0,) * 12


def collections_between(
    opening: Iterable[AccountBalance], closing: Iterable[AccountBalance]
) -> Collections:
    """Collections from the ``opening`` balances to the ``closing`` balances of the same accounts.

    An account missing from ``opening`` opens with nothing (it had no events yet).

    Raises:
        AsOfMismatch: balances of one side on different days, or closing not after opening.
        DuplicateAccount: an account twice on one side.
        CurrencyMismatch: accounts in different currencies.
    """
    closing_rows = tuple(items_of(closing, "closing", AccountBalance))
    opening_rows = tuple(items_of(opening, "opening", AccountBalance))
    if not closing_rows:
        raise InvalidPolicy(
            "no closing balances: give the closing balance of every account.",
            field="closing",
            value=closing_rows,
            allowed="one or more AccountBalance",
        )
    end = closing_rows[0].as_of
    start = opening_rows[0].as_of if opening_rows else end.subtract(days=1)
    closes = _by_account(closing_rows, end)
    opens = _by_account(opening_rows, start)
    if start >= end:
        raise AsOfMismatch(
            f"the opening balances are as of {start.isoformat()}, not before the closing "
            f"balances' {end.isoformat()}.",
            field="opening",
            value=start,
            allowed=f"before {end.isoformat()}",
        )
    unknown = [key for key in opens if key not in closes]
    if unknown:
        raise AsOfMismatch(
            f"opening balances of {unknown} have no closing balance; give both ends of every "
            "account.",
            field="opening",
            value=tuple(unknown),
            allowed="accounts that also have a closing balance",
        )
    currency = closing_rows[0].credit.currency
    totals = [0] * 12
    opening_total = closing_total = credit_open = credit_close = refunded = 0
    for key, end_balance in closes.items():
        start_balance = opens.get(key)
        for balance in (end_balance, start_balance):
            if balance is not None and balance.credit.currency != currency:
                raise CurrencyMismatch(
                    f"the account of unit {key[0]} is in {balance.credit.currency}; these "
                    f"collections are in {currency}.",
                    field="currency",
                    value=balance.credit.currency,
                    allowed=currency,
                    unit_id=key[0],
                )
        before = _by_statement(start_balance)
        for row in end_balance.statements:
            after = _figures(row)
            was = before.get(row.original_number, _NONE)
            for i in range(12):
                totals[i] += after[i] - was[i]
        opening_total += sum(figures[0] for figures in before.values())
        closing_total += sum(row.outstanding.minor_units for row in end_balance.statements)
        credit_close += end_balance.credit.minor_units
        refunded += end_balance.refunded.minor_units
        if start_balance is not None:
            credit_open += start_balance.credit.minor_units
            refunded -= start_balance.refunded.minor_units

    def money(units: int) -> Money:
        return Money.from_minor_units(units, currency)

    return Collections(
        opening_on=start,
        closing_on=end,
        currency=currency,
        accounts=len(closes),
        opening=money(opening_total),
        billed=money(totals[1]),
        late_fees_accrued=money(totals[2]),
        costs_charged=money(totals[3]),
        collected_principal=money(totals[4]),
        collected_late_fees=money(totals[5]),
        collected_costs=money(totals[6]),
        waived_principal=money(totals[7]),
        waived_late_fees=money(totals[8]),
        written_off_principal=money(totals[9]),
        written_off_late_fees=money(totals[10]),
        written_off_costs=money(totals[11]),
        closing=money(closing_total),
        opening_credit=money(credit_open),
        closing_credit=money(credit_close),
        refunded=money(refunded),
    )


def _by_account(
    balances: Iterable[AccountBalance], day: pendulum.Date
) -> dict[tuple[str, str | None], AccountBalance]:
    result: dict[tuple[str, str | None], AccountBalance] = {}
    for balance in balances:
        key = (balance.unit_id, balance.billed_party)
        if balance.as_of != day:
            raise AsOfMismatch(
                f"the balance of unit {key[0]} (billed to {key[1]}) is as of "
                f"{balance.as_of.isoformat()}; every balance of one side must be as of "
                f"{day.isoformat()}.",
                field="as_of",
                value=balance.as_of,
                allowed=day.isoformat(),
                unit_id=key[0],
            )
        if key in result:
            raise DuplicateAccount(
                f"the account of unit {key[0]} billed to {key[1]} is given twice on one side.",
                unit_id=key[0],
                billed_party=key[1],
            )
        result[key] = balance
    return result


def _by_statement(balance: AccountBalance | None) -> dict[str, tuple[int, ...]]:
    if balance is None:
        return {}
    return {row.original_number: _figures(row) for row in balance.statements}


def collections_over(accounts: Iterable[Account], period: BillingPeriod) -> Collections:
    """Collections of ``accounts`` over ``period``: from the day before it to its last day."""
    check_instance(period, "period", BillingPeriod)
    items: list[Account] = []
    for item in items_of(accounts, "accounts", object):
        if isinstance(item, Account):
            items.append(item)
        else:
            raise InvalidType(
                f"expected Account, got {item!r}; for balances use collections_between().",
                field="accounts",
                value=item,
                allowed="Account",
            )
    before = period.start.subtract(days=1)
    return collections_between(
        (a.balance(before) for a in items), (a.balance(period.end) for a in items)
    )


def _places(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidPolicy(
            f"places {value!r} must be an int from 0 to 10.",
            field="places",
            value=value,
            allowed="an int from 0 to 10",
        )
    return value


def _percent(part: Money, whole: Money, places: int, rounding: RoundingMode) -> Decimal | None:
    """``part / whole`` in percent, rounded once; ``None`` when ``whole`` is zero."""
    check_instance(rounding, "rounding", RoundingMode)
    _places(places)  # checked even when there is nothing to divide
    if not whole:
        return None
    ratio = _DIVIDE.divide(EXACT.multiply(part.amount, _HUNDRED), whole.amount)
    return quantize(ratio, _places(places), rounding)


def _shares(amounts: list[Money]) -> tuple[Decimal | None, ...]:
    if not any(a.amount for a in amounts) or any(a.is_negative for a in amounts):
        return (None,) * len(amounts)
    return tuple(share.amount for share in allocate(_WHOLE, [a.amount for a in amounts]))


@attrs.frozen
class FeeUsageLine:
    """One category's row of the published report.

    Attributes:
        category: the category.
        budget: the budget.
        actual: the actual spend.
        variance: actual − budget (positive: overspent), exact.
        variance_rate: variance / budget in percent, rounded once (``None``: no budget).
        budget_share: the category's share of the total budget, in percent (``None``: no
            budget at all, or a negative amount among the budgets).
        actual_share: its share of the total actual spend, in percent (``None``: no spend, or
            a negative amount among the actuals).
    """

    category: FeeCategory
    budget: Money
    actual: Money
    variance: Money
    variance_rate: Decimal | None
    budget_share: Decimal | None
    actual_share: Decimal | None


@attrs.frozen
class FeeUsageReport:
    """Budget against actual per category, the totals, and the period's collections.

    Attributes:
        usage: the budget and actual spend given.
        collections: what the accounts billed, collected, waived and wrote off.
        rows: the nine categories, in the brief's order.
        places: places of every rate in percent.
        rounding: the mode of every rate's one rounding.
    """

    usage: FeeUsage
    collections: Collections
    rows: tuple[FeeUsageLine, ...]
    places: int
    rounding: RoundingMode

    @property
    def budget(self) -> Money:
        """The total budget."""
        return Money.total((r.budget for r in self.rows), self.usage.currency)

    @property
    def actual(self) -> Money:
        """The total actual spend."""
        return Money.total((r.actual for r in self.rows), self.usage.currency)

    @property
    def variance(self) -> Money:
        """Total actual − total budget."""
        return self.actual - self.budget

    @property
    def variance_rate(self) -> Decimal | None:
        """The total variance over the total budget, in percent."""
        return _percent(self.variance, self.budget, self.places, self.rounding)

    @property
    def surplus(self) -> Money:
        """Collected minus actual spend (negative: the fees collected did not cover it)."""
        return self.collections.collected - self.actual


def fee_usage_report(
    usage: FeeUsage,
    collections: Collections,
    *,
    places: int = DEFAULT_RATE_PLACES,
    rounding: RoundingMode = RoundingMode.HALF_UP,
) -> FeeUsageReport:
    """The report of ``usage`` beside ``collections`` (both in one currency).

    Raises:
        CurrencyMismatch: the usage and the collections are in different currencies.
        InvalidPolicy: ``places`` outside 0–10.
    """
    check_instance(usage, "usage", FeeUsage)
    check_instance(collections, "collections", Collections)
    check_instance(rounding, "rounding", RoundingMode)
    _places(places)
    if usage.currency != collections.currency:
        raise CurrencyMismatch(
            f"the fee usage is in {usage.currency} and the collections in "
            f"{collections.currency}; give both in one currency.",
            field="collections",
            value=collections.currency,
            allowed=usage.currency,
        )
    base = list(usage.rows())
    budget_shares = _shares([r.budget for r in base])
    actual_shares = _shares([r.actual for r in base])
    rows = tuple(
        FeeUsageLine(
            category=row.category,
            budget=row.budget,
            actual=row.actual,
            variance=row.variance,
            variance_rate=_percent(row.variance, row.budget, places, rounding),
            budget_share=budget_shares[i],
            actual_share=actual_shares[i],
        )
        for i, row in enumerate(base)
    )
    return FeeUsageReport(usage, collections, rows, places, rounding)
