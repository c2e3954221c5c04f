"""The late fee (违约金) of a statement: the notice's terms applied to what is owed, explained.

The terms (rate, start, grace, compounding, cap, rounding) are the notice's
:class:`~propcrm.billing.LateFeePolicy`; this module computes the fee they give.

How days are counted. A day ``d`` after the due date is late if principal was still owed at the
start of it. A receipt effective on day ``E`` (the day the bank's 回单 reaches the company)
reduces the base from day ``E + 1``: the days late of a payment are ``E - due date``, so a
receipt on the due date owes nothing, and the brief's worked example is

>>> fee = late_fee(
...     Money("1000.00"),
...     due_on=pendulum.date(2026, 11, 10),
...     as_of=pendulum.date(2026, 11, 30),
...     reductions=[PrincipalReduction(pendulum.date(2026, 11, 30), Money("1000.00"), "R-1")],
... )
>>> fee.amount, fee.days_counted
(Money('60.00', 'CNY'), 20)
>>> [(str(s.start), str(s.end), s.days, s.base) for s in fee.segments]
[('2026-11-11', '2026-11-30', 20, Money('1000.00', 'CNY'))]

Partial payments change the base piecewise: the fee is a sum over the segments between
effective dates, computed in O(number of reductions), never day by day. Caps (none, a
percentage of the principal, an annualised rate, an absolute amount) apply to the total, and
the result says which cap bit and by how much. The exact fee is rounded once, at the end.
"""

from __future__ import annotations

import datetime
import decimal
import functools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs
import pendulum
from babel.numbers import format_decimal

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, ngettext
from propcrm._validators import check_instance, check_text, instance_of
from propcrm.billing import (
    DEFAULT_LATE_FEE,
    AbsoluteCap,
    Compounding,
    GraceKind,
    LateFeeCap,
    LateFeePolicy,
    NoCap,
    StartRule,
)
from propcrm.errors import CurrencyMismatch, InvalidAmount, InvalidQuantity
from propcrm.money import (
    CNY,
    EXACT,
    Money,
    Rate,
    RoundingMode,
    as_money,
    format_money,
)
from propcrm.receivables._events import items_of
from propcrm.time import as_date

__all__ = [
    "ACCRUAL",
    "CapOutcome",
    "LateFee",
    "LateFeeSegment",
    "PrincipalReduction",
    "late_fee",
    "late_fee_units",
]

# Accrual that cannot be exact (daily compounding, a yearly rate spread over 365 days) runs in
# this declared context: 40 significant digits, half-even, far below a fen on any balance. The
# one rounding to the fen happens afterwards, with the policy's mode.
ACCRUAL = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


GraceOutcome: TypeAlias = Literal["none", "deductible", "within", "paid_within", "not_paid_within"]
"""What the grace rule did to a fee (see :attr:`LateFee.grace_outcome`)."""

# Wide enough for any fee at full precision; babel formats in the ambient decimal context.
_FIGURES = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


# -- inputs and results -----------------------------------------------------------------------


def _effective_on(value: object) -> pendulum.Date:
    return as_date(value, "effective_on")


@attrs.frozen
class PrincipalReduction:
    """Principal that stopped being owed on ``effective_on`` (a receipt, a waiver, a credit…).

    It lowers the base of the fee from the day after ``effective_on``. ``source`` names what it
    came from, for the breakdown (e.g. ``'receipt BANK-20261130-01'``).
    """

    effective_on: pendulum.Date = attrs.field(converter=_effective_on)
    amount: Money = attrs.field(converter=as_money)
    source: str = attrs.field(default="", validator=instance_of(str))

    @amount.validator
    def _positive(self, _attribute: object, value: Money) -> None:
        if not value.is_positive or not value.is_rounded:
            raise InvalidAmount(
                f"a principal reduction {value!r} must be a positive Money rounded to the fen.",
                field="amount",
                value=value,
                allowed="a positive Money rounded to the fen",
            )


@attrs.frozen
class LateFeeSegment:
    """Days ``start`` to ``end`` (both counted) on one base: ``amount = base × rate × days``.

    Under daily compounding ``base`` includes the fee accrued before the segment and ``amount``
    is ``base × ((1 + rate)^days − 1)``.
    """

    start: pendulum.Date
    end: pendulum.Date
    days: int
    base: Money
    rate: Rate
    amount: Money


@attrs.frozen
class CapOutcome:
    """Which cap applied, its limit, and whether and by how much it bit."""

    cap: LateFeeCap
    limit: Money | None
    uncapped: Money
    capped: Money

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The cap that applied, for people (see the caps' ``describe``)."""
        return self.cap.describe(locale)

    @property
    def bit(self) -> bool:
        """Whether the cap lowered the fee."""
        return self.capped != self.uncapped

    @property
    def reduced_by(self) -> Money:
        """How much the cap took off the fee."""
        return self.uncapped - self.capped


@attrs.frozen
class LateFee:
    """A statement's late fee as of a date, with everything that decided it.

    Attributes:
        statement: the statement's number, when known.
        principal: the principal the fee accrues on (after any upheld correction).
        due_on: the due date used (after any deferral).
        as_of: the last day counted.
        policy: the policy applied.
        segments: the days with a positive base, split where the base changed.
        grace_outcome: what the grace rule did: ``"none"`` (no grace days), ``"deductible"``
            (the first grace days are never charged), ``"within"`` (still within a grace
            threshold), ``"paid_within"`` (paid in full within it: no fee) or
            ``"not_paid_within"`` (the fee runs from the first late day); :meth:`grace` says
            it in words.
        cap: the cap's outcome.
        exact: the fee at full precision, after the cap.
        amount: ``exact`` rounded to the fen with ``policy.rounding``, the one rounding.
        read: the sources of the reductions it read (receipts, waivers, credits).
    """

    statement: str | None
    principal: Money
    due_on: pendulum.Date
    as_of: pendulum.Date
    policy: LateFeePolicy
    segments: tuple[LateFeeSegment, ...]
    grace_outcome: GraceOutcome
    cap: CapOutcome
    exact: Money
    amount: Money
    read: tuple[str, ...]

    @property
    def days_counted(self) -> int:
        """Days that bore a fee."""
        return sum(segment.days for segment in self.segments)

    @property
    def base_days(self) -> Decimal:
        """Σ principal × days over the segments: the balance-days the fee accrued on.

        Under daily compounding a segment's ``base`` also holds the fee accrued before it;
        balance-days count the principal only, as the annualised cap and a court's reference
        rate do, so the same balances give the same figure under either compounding.
        """
        daily = self.policy.compounding is Compounding.DAILY
        minor_unit = Decimal(1).scaleb(-self.principal.places)
        total = accrued = Decimal(0)
        for segment in self.segments:
            principal = segment.base.amount
            if accrued:
                # A whole number of minor units again: the quantize drops only zeros.
                principal = EXACT.subtract(principal, accrued).quantize(minor_unit, context=EXACT)
            total = EXACT.add(total, EXACT.multiply(principal, Decimal(segment.days)))
            if daily:
                accrued = ACCRUAL.add(accrued, segment.amount.amount)
        return total

    def grace(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """What the grace rule did, in one line for people.

        >>> fee = late_fee(
        ...     Money("1000.00"), pendulum.date(2026, 11, 10), pendulum.date(2026, 12, 1)
        ... )
        >>> fee.grace_outcome, fee.grace(), fee.grace("en_US")
        ('none', '无宽限期', 'no grace days')
        """
        days = self.policy.grace_days
        match self.grace_outcome:
            case "none":
                return gettext("no grace days", locale=locale)
            case "deductible":
                return ngettext(
                    "the first %(num)d late day is never charged (deductible)",
                    "the first %(num)d late days are never charged (deductible)",
                    days,
                    locale=locale,
                )
            case "within":
                return gettext(
                    "still within the %(days)d-day grace threshold: no fee yet",
                    locale=locale,
                    days=days,
                )
            case "paid_within":
                return gettext(
                    "paid in full within the %(days)d-day grace threshold: no fee",
                    locale=locale,
                    days=days,
                )
            case "not_paid_within":
                return gettext(
                    "not paid within the %(days)d-day grace threshold: the fee runs from the "
                    "first late day",
                    locale=locale,
                    days=days,
                )

    def rounding(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Where and how the fee was rounded, in one line for people."""
        name = check_locale(locale)
        with decimal.localcontext(_FIGURES):
            # Every digit of the exact fee, and at least the fen's two places.
            exact = format_decimal(
                self.exact.amount, "#,##0.00", locale=name, decimal_quantization=False
            )
        return gettext(
            "accrued at full precision (%(exact)s); rounded once, %(mode)s, to the fen: %(amount)s",
            locale=name,
            exact=exact,
            mode=self.policy.rounding.label(name),
            amount=format_money(self.amount, name),
        )


def late_fee(
    principal: Money | Decimal | int | str,
    due_on: datetime.date,
    as_of: datetime.date,
    reductions: Iterable[PrincipalReduction] = (),
    *,
    policy: LateFeePolicy = DEFAULT_LATE_FEE,
    statement: str | None = None,
) -> LateFee:
    """The late fee on ``principal`` due on ``due_on``, accrued through ``as_of``.

    Args:
        principal: the statement's amount owed (rounded, zero or more).
        due_on: the last day to pay.
        as_of: the last day counted (inclusive).
        reductions: principal that stopped being owed, each from the day after its date. Their
            sum may not exceed ``principal``.
        policy: the late-fee policy.
        statement: the statement's number, for the breakdown.

    >>> two = late_fee(
    ...     Money("1000.00"),
    ...     pendulum.date(2026, 11, 10),
    ...     pendulum.date(2026, 11, 30),
    ...     [PrincipalReduction(pendulum.date(2026, 11, 20), Money("400.00"), "R-1")],
    ... )
    >>> [(s.days, s.base.amount, s.amount.amount) for s in two.segments]
    [(10, Decimal('1000.00'), Decimal('30.00000')), (10, Decimal('600.00'), Decimal('18.00000'))]
    >>> two.amount
    Money('48.00', 'CNY')
    """
    principal = as_money(principal)
    if principal.is_negative or not principal.is_rounded:
        raise InvalidAmount(
            f"principal {principal!r} must be a Money of zero or more, rounded to the fen.",
            field="principal",
            value=principal,
            allowed="a Money of zero or more, rounded to the fen",
        )
    due = as_date(due_on, "due_on")
    last = as_date(as_of, "as_of")
    check_instance(policy, "policy", LateFeePolicy)
    if statement is not None:
        check_text(statement, "statement", InvalidQuantity)
    given = items_of(reductions, "reductions", PrincipalReduction)
    currency = principal.currency
    listed = sorted(given, key=lambda r: (r.effective_on, r.source))
    for reduction in listed:
        if reduction.amount.currency != currency:
            raise CurrencyMismatch(
                f"reduction {reduction.source or reduction.amount!r} is in "
                f"{reduction.amount.currency}; the principal is in {currency}.",
                field="reductions",
                value=reduction.amount,
                allowed=f"amounts in {currency}",
            )
    if isinstance(policy.cap, AbsoluteCap) and policy.cap.amount.currency != currency:
        raise CurrencyMismatch(
            f"the cap is in {policy.cap.amount.currency} but the principal in {currency}.",
            field="policy.cap",
            value=policy.cap.amount,
            allowed=f"a cap in {currency}",
        )
    steps = [(r.effective_on.toordinal(), r.amount.minor_units) for r in listed]
    owed = principal.minor_units
    reduced = sum(units for _, units in steps)
    if reduced > owed:
        raise InvalidAmount(
            f"reductions of {Money.from_minor_units(reduced, currency).amount:f} exceed the "
            f"principal {principal.amount:f}{_of(statement)}; what is paid above the principal "
            "is a credit, not a reduction.",
            field="reductions",
            value=Money.from_minor_units(reduced, currency),
            allowed=f"at most the principal {principal.amount:f}",
        )
    first, grace = _window(policy, owed, steps, due.toordinal(), last.toordinal())
    spans = _spans(owed, steps, first, last.toordinal())
    places = principal.places
    base_units = sum((end - start + 1) * base for start, end, base in spans)
    segments = _explained_segments(spans, policy, currency)
    if policy.compounding is Compounding.DAILY:
        # In the declared context, as the segments were: the caller's ambient context (the
        # builtin sum's) would round the fee to its own precision.
        accrued = functools.reduce(ACCRUAL.add, (s.amount.amount for s in segments), Decimal(0))
        uncapped = _to_minor_fraction(accrued, places)
    else:
        numerator, denominator = policy.rate_ratio
        uncapped = (numerator * base_units, denominator)
    limit = policy.cap.limit_units(owed, base_units)
    capped = uncapped if limit is None or _le(uncapped, limit) else limit
    outcome = CapOutcome(
        policy.cap,
        None if limit is None else _money(limit, currency, places),
        _money(uncapped, currency, places),
        _money(capped, currency, places),
    )
    return LateFee(
        statement=statement,
        principal=principal,
        due_on=due,
        as_of=last,
        policy=policy,
        segments=segments,
        grace_outcome=grace,
        cap=outcome,
        exact=outcome.capped,
        amount=Money.from_minor_units(_rounded(capped, limit, policy.rounding), currency),
        read=tuple(r.source for r in listed if r.effective_on <= last),
    )


def late_fee_units(
    policy: LateFeePolicy,
    owed: int,
    steps: Sequence[tuple[int, int]],
    due: int,
    last: int,
) -> int:
    """The rounded fee in minor units: :func:`late_fee` without the breakdown.

    For a whole portfolio at month-end: the same days, cap and rounding on plain ints
    (``steps`` are ``(date ordinal, minor units)`` reductions; ``due`` and ``last`` ordinals),
    so it equals ``late_fee(...).amount.minor_units`` exactly (a property test checks it).
    """
    if policy.compounding is Compounding.DAILY:
        return _daily_units(policy, owed, steps, due, last)
    if policy.grace_days or policy.start is StartRule.DUE_DATE:
        first, _ = _window(policy, owed, steps, due, last)
    else:
        first = due + 1
    if first > last:
        return 0
    # Σ over the late days of the base owed at each day's start, in closed form: every day
    # counts the principal, less each reduction from the day after its date. (The segments of
    # late_fee() sum to the same; the reductions never exceed the principal, so no day's base
    # is below zero.)
    base_units = owed * (last - first + 1)
    for day, units in steps:
        counted = last - (day if day >= first else first - 1)
        if counted > 0:
            base_units -= units * counted
    return fee_of_base(policy, owed, base_units)


def fee_of_base(policy: LateFeePolicy, owed: int, base_units: int) -> int:
    """The rounded fee in minor units on ``base_units`` balance-days (simple compounding).

    ``owed`` is the principal in minor units (what a cap of a percentage of it reads).
    """
    if not base_units:
        return 0
    numerator, denominator = policy.rate_ratio
    cap, rounding = policy.cap, policy.rounding
    if type(cap) is NoCap and rounding is RoundingMode.HALF_UP:
        # The default terms, without the calls: what _round_fraction does for this mode.
        quotient, remainder = divmod(numerator * base_units, denominator)
        return quotient + (2 * remainder >= denominator)
    # No need to cap before rounding: every mode rounds a fee above the cap to at least the
    # whole fen below it, which is where _rounded holds it.
    limit = cap.limit_units(owed, base_units)
    return _rounded((numerator * base_units, denominator), limit, rounding)


NEVER = datetime.date.max.toordinal()
"""A :func:`fee_form` lag that no day reaches: the fee is nil for good."""


def fee_form(
    policy: LateFeePolicy, owed: int, steps: Sequence[tuple[int, int]], due: int
) -> tuple[int, int] | None:
    """The fee on any day from the last step on, in closed form: ``(lag, intercept)``.

    On a day ``due + age`` (ordinals) on or after every step's day, :func:`late_fee_units`
    gives 0 when ``age < lag`` and otherwise ``fee_of_base(policy, owed, balance × age +
    intercept)``, where ``balance`` is ``owed`` less every step: after its last reduction a
    statement's balance-days grow by its balance a day. ``None`` under daily compounding,
    which has no such form. What a ledger keeps for each statement while its fold changes it,
    so that what is owed as of a later day is one multiplication and the rounding (a property
    test checks it against :func:`late_fee_units` and :func:`late_fee`).
    """
    if policy.compounding is Compounding.DAILY:
        return None
    # Days counted from the due date: the first late one, and the first that may bear a fee.
    first = 0 if policy.start is StartRule.DUE_DATE else 1
    lag = first
    days = policy.grace_days
    if days:
        lag = first + days
        if policy.grace_kind is GraceKind.DEDUCTIBLE:
            first = lag
        elif owed - sum(units for day, units in steps if day - due < lag) <= 0:
            return NEVER, 0  # paid in full within the threshold: no fee, whatever the day
    # Σ over the days first..age of the base owed at each day's start: the balance on each,
    # plus each reduction on the days from first to its own (before first it counts on none).
    balance = owed
    extra = 0
    for day, units in steps:
        balance -= units
        if day - due >= first:
            extra += units * (day - due - first + 1)
    return lag, extra - balance * (first - 1)


def fee_form_step(policy: LateFeePolicy, due: int, day: int, units: int) -> int | None:
    """What one more step ``(day, units)`` adds to :func:`fee_form`'s intercept; its lag stays.

    ``day`` is on or after every step's. ``None`` when the form must be worked out again from
    every step: under daily compounding (no form) and for a step within a threshold grace
    (it may pay the statement off in time, which waives the fee for good). A form whose fee is
    waived for good (lag ``NEVER``) stays so, its intercept nil: not a form to add to. What a
    ledger does for each payment, where working the form out again would read every step of
    the statement (a property test checks it against :func:`fee_form`).
    """
    if policy.compounding is Compounding.DAILY:
        return None
    first = 0 if policy.start is StartRule.DUE_DATE else 1
    age = day - due
    days = policy.grace_days
    if days:
        if policy.grace_kind is GraceKind.DEDUCTIBLE:
            first += days
        elif age < first + days:
            return None
    # The balance falls by ``units`` (``- balance × (first - 1)`` grows by units × (first - 1)),
    # and a step on a counted day adds units × (its age - first + 1): units × its age in all.
    return units * age if age >= first else units * (first - 1)


def _daily_units(
    policy: LateFeePolicy, owed: int, steps: Sequence[tuple[int, int]], due: int, last: int
) -> int:
    # Daily compounding is rare and inexact by nature; it goes through the explained path.
    # Minor units do not depend on the currency, except through an absolute cap, which is in
    # the statement's currency: the amounts are built in it, or late_fee() would refuse them.
    currency = policy.cap.amount.currency if isinstance(policy.cap, AbsoluteCap) else CNY
    reductions = [
        PrincipalReduction(pendulum.Date.fromordinal(day), Money.from_minor_units(units, currency))
        for day, units in steps
        if units
    ]
    fee = late_fee(
        Money.from_minor_units(owed, currency),
        pendulum.Date.fromordinal(due),
        pendulum.Date.fromordinal(last),
        reductions,
        policy=policy,
    )
    return fee.amount.minor_units


def _of(statement: str | None) -> str:
    return f" of statement {statement}" if statement else ""


def _window(
    policy: LateFeePolicy, owed: int, steps: Sequence[tuple[int, int]], due: int, last: int
) -> tuple[int, GraceOutcome]:
    """The first counted day (an ordinal) under the start rule and grace, and what grace did."""
    first = due if policy.start is StartRule.DUE_DATE else due + 1
    days = policy.grace_days
    if not days:
        return first, "none"
    end_of_grace = first + days
    if policy.grace_kind is GraceKind.DEDUCTIBLE:
        return end_of_grace, "deductible"
    if last < end_of_grace:
        return last + 1, "within"
    if owed - sum(units for day, units in steps if day < end_of_grace) <= 0:
        return last + 1, "paid_within"
    return first, "not_paid_within"


def _spans(
    owed: int, steps: Sequence[tuple[int, int]], first: int, last: int
) -> list[tuple[int, int, int]]:
    """``(first day, last day, base)`` of each stretch of days ``first``..``last`` with a base.

    One pass over the reductions in date order: the base changes only on the day after a
    reduction, so each stretch between two such days is one multiplication, never a loop over
    days.
    """
    spans: list[tuple[int, int, int]] = []
    if first > last:
        return spans
    base = owed
    index = 0
    count = len(steps)
    while index < count and steps[index][0] < first:
        base -= steps[index][1]
        index += 1
    start = first
    while start <= last and base > 0:
        end = min(steps[index][0], last) if index < count else last
        spans.append((start, end, base))
        start = end + 1
        while index < count and steps[index][0] < start:
            base -= steps[index][1]
            index += 1
    return spans


def _explained_segments(
    spans: Sequence[tuple[int, int, int]], policy: LateFeePolicy, currency: str
) -> tuple[LateFeeSegment, ...]:
    segments = []
    rate = policy.rate.value
    accrued = Decimal(0)
    growth_of: dict[int, Decimal] = {}
    for start, end, base_units in spans:
        days = end - start + 1
        base = Money.from_minor_units(base_units, currency)
        if policy.compounding is Compounding.DAILY:
            if days not in growth_of:
                growth_of[days] = ACCRUAL.subtract(ACCRUAL.power(EXACT.add(1, rate), days), 1)
            shown = Money(EXACT.add(base.amount, accrued), currency)
            amount = ACCRUAL.multiply(shown.amount, growth_of[days])
            accrued = ACCRUAL.add(accrued, amount)
        else:
            shown = base
            amount = EXACT.multiply(EXACT.multiply(base.amount, rate), Decimal(days))
        segments.append(
            LateFeeSegment(
                pendulum.Date.fromordinal(start),
                pendulum.Date.fromordinal(end),
                days,
                shown,
                policy.rate,
                Money(amount, currency),
            )
        )
    return tuple(segments)


# -- exact fractions of a minor unit ----------------------------------------------------------
# Fees, caps and their comparison are exact fractions (numerator, denominator) of a minor unit,
# so the one rounding below is the only one, whatever the rate or cap.


def _to_minor_fraction(value: Decimal, places: int) -> tuple[int, int]:
    return value.scaleb(places, EXACT).as_integer_ratio()


def _le(left: tuple[int, int], right: tuple[int, int]) -> bool:
    return left[0] * right[1] <= right[0] * left[1]


def _money(fraction: tuple[int, int], currency: str, places: int) -> Money:
    numerator, denominator = fraction
    quotient = ACCRUAL.divide(Decimal(numerator), Decimal(denominator))
    return Money(quotient.scaleb(-places, ACCRUAL), currency)


def _rounded(fee: tuple[int, int], limit: tuple[int, int] | None, mode: RoundingMode) -> int:
    """The one rounding of a fee to the minor unit; never above the cap.

    A cap with a fraction of a fen (30 % of 1,000.05 is 300.015) would round up past itself
    in a half-up mode; the whole fen below it is the most the fee may be.
    """
    units = _round_fraction(fee, mode)
    if limit is not None:
        units = min(units, limit[0] // limit[1])
    return units


def _round_fraction(fraction: tuple[int, int], mode: RoundingMode) -> int:
    """``numerator / denominator`` (zero or more) rounded to an int with ``mode``."""
    quotient, remainder = divmod(fraction[0], fraction[1])
    if not remainder:
        return quotient
    twice, denominator = 2 * remainder, fraction[1]
    if mode is RoundingMode.HALF_UP:  # the default, first
        return quotient + (twice >= denominator)
    if mode in (RoundingMode.DOWN, RoundingMode.FLOOR):
        return quotient
    if mode in (RoundingMode.UP, RoundingMode.CEILING):
        return quotient + 1
    if mode is RoundingMode.HALF_DOWN:
        return quotient + (twice > denominator)
    return quotient + (twice > denominator or (twice == denominator and quotient % 2 == 1))
