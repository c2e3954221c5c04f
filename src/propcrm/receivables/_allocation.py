"""Allocation of a payment over what an account owes, in a declared order.

Domain brief §2 and the Civil Code: a payment that does not cover everything settles, without
agreement, **costs first, then interest (late fees), then principal** (art. 561), and among
several debts **the one due first** (art. 560). That is :attr:`AllocationOrder.CIVIL_CODE`, the
default: statement by statement, oldest due first, each one's costs, late fees, then principal.
:attr:`AllocationOrder.PRINCIPAL_FIRST` settles every statement's principal (oldest due first)
before any late fee, which stops late fees soonest; a community may choose it.

A payer's designation of statements (art. 560: the debtor may designate the debt) is honoured
first when the policy allows; the rest follows the order. What is left becomes credit. The
result says which order was applied and whether the designation was honoured.

>>> owed = [
...     Outstanding(
...         "S/2026-10/U",
...         pendulum.date(2026, 11, 10),
...         principal=Money("100.00"),
...         late_fees=Money("6.00"),
...     ),
...     Outstanding("S/2026-11/U", pendulum.date(2026, 12, 10), principal=Money("100.00")),
... ]
>>> civil = allocate_payment(Money("150.00"), owed, on=pendulum.date(2026, 12, 1))
>>> [(p.statement, p.component.value, p.amount.amount) for p in civil.parts]
[('S/2026-10/U', 'late_fees', Decimal('6.00')), ('S/2026-10/U', 'principal', Decimal('100.00')),
 ('S/2026-11/U', 'principal', Decimal('44.00'))]
>>> first = allocate_payment(
...     Money("150.00"),
...     owed,
...     on=pendulum.date(2026, 12, 1),
...     policy=AllocationPolicy(AllocationOrder.PRINCIPAL_FIRST),
... )
>>> [(p.statement, p.component.value, p.amount.amount) for p in first.parts]
[('S/2026-10/U', 'principal', Decimal('100.00')), ('S/2026-11/U', 'principal', Decimal('50.00'))]
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Hashable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext
from propcrm._validators import check_instance, check_text, check_unique, instance_of
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateReference,
    InvalidAmount,
    InvalidQuantity,
    InvalidType,
    UnknownStatement,
)
from propcrm.money import Money, as_money
from propcrm.receivables._events import check_number, due_on_date
from propcrm.time import as_date

__all__ = [
    "DEFAULT_ALLOCATION",
    "Allocation",
    "AllocationOrder",
    "AllocationPart",
    "AllocationPolicy",
    "Component",
    "Outstanding",
    "allocate_payment",
    "settlement_order",
]


class AllocationOrder(enum.Enum):
    """The order a payment settles what is owed."""

    CIVIL_CODE = "civil_code"
    """Oldest due statement first; within it costs, late fees, principal (arts. 560, 561)."""
    PRINCIPAL_FIRST = "principal_first"
    """All principal, oldest due first; then all late fees; then all costs."""

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for explanations, in ``locale``."""
        match self:
            case AllocationOrder.CIVIL_CODE:
                return gettext(
                    "Civil Code arts. 560-561: oldest due statement first; within each, costs, "
                    "then late fees, then principal",
                    locale=locale,
                )
            case AllocationOrder.PRINCIPAL_FIRST:
                return gettext(
                    "principal first: all principal (oldest due first), then late fees, then costs",
                    locale=locale,
                )


class Component(enum.Enum):
    """What part of a statement's debt a payment settles."""

    COSTS = "costs"
    LATE_FEES = "late_fees"
    PRINCIPAL = "principal"


_WITHIN = {
    AllocationOrder.CIVIL_CODE: (Component.COSTS, Component.LATE_FEES, Component.PRINCIPAL),
    AllocationOrder.PRINCIPAL_FIRST: (Component.PRINCIPAL, Component.LATE_FEES, Component.COSTS),
}


@attrs.frozen
class AllocationPolicy:
    """The allocation order, and whether a payer's designation of statements is honoured."""

    order: AllocationOrder = attrs.field(
        default=AllocationOrder.CIVIL_CODE, validator=instance_of(AllocationOrder)
    )
    honour_designation: bool = attrs.field(default=True, validator=instance_of(bool))


DEFAULT_ALLOCATION = AllocationPolicy()
"""Civil Code order, designations honoured."""


def _zero_or_more(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if value.is_negative or not value.is_rounded:
        raise InvalidAmount(
            f"{attribute.name} {value!r} must be a Money of zero or more, rounded to the fen.",
            field=attribute.name,
            value=value,
            allowed="a Money of zero or more, rounded to the fen",
        )


def _number(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_number(value, attribute.name)


def _zero_like_principal(owing: Outstanding) -> Money:
    return Money.zero(owing.principal.currency)


@attrs.frozen
class Outstanding:
    """What one statement owes at the moment a payment is allocated."""

    statement: str = attrs.field(validator=_number)
    due_on: pendulum.Date = attrs.field(converter=due_on_date)
    principal: Money = attrs.field(factory=Money.zero, converter=as_money, validator=_zero_or_more)
    # Nothing owed is nothing in the principal's currency: a USD statement owes no CNY fee.
    late_fees: Money = attrs.field(
        default=attrs.Factory(_zero_like_principal, takes_self=True),
        converter=as_money,
        validator=_zero_or_more,
    )
    costs: Money = attrs.field(
        default=attrs.Factory(_zero_like_principal, takes_self=True),
        converter=as_money,
        validator=_zero_or_more,
    )

    def __attrs_post_init__(self) -> None:
        currency = self.principal.currency
        for name in ("late_fees", "costs"):
            amount: Money = getattr(self, name)
            if amount.currency != currency:
                raise CurrencyMismatch(
                    f"statement {self.statement} owes {name.replace('_', ' ')} in "
                    f"{amount.currency} but principal in {currency}; one statement is in one "
                    "currency.",
                    field=name,
                    value=amount,
                    allowed=f"an amount in {currency}",
                    statement=self.statement,
                )

    def owed(self, component: Component) -> Money:
        """The amount owed of ``component``."""
        if component is Component.PRINCIPAL:
            return self.principal
        return self.late_fees if component is Component.LATE_FEES else self.costs


@attrs.frozen
class AllocationPart:
    """``amount`` of a payment applied to ``component`` of ``statement``."""

    statement: str
    component: Component
    amount: Money


@attrs.frozen
class Allocation:
    """How one payment was applied, as data.

    ``sum(parts) + credited == amount`` always.
    """

    source: str
    on: pendulum.Date
    amount: Money
    order: AllocationOrder
    designation: tuple[str, ...]
    designation_honoured: bool
    parts: tuple[AllocationPart, ...]
    credited: Money

    def to(self, statement: str, component: Component | None = None) -> Money:
        """What went to ``statement`` (to one ``component`` of it, if given)."""
        return Money.total(
            (
                p.amount
                for p in self.parts
                if p.statement == statement and (component is None or p.component is component)
            ),
            self.amount.currency,
        )


K = TypeVar("K", bound=Hashable)


def settlement_order(
    policy: AllocationPolicy, oldest_first: Sequence[K], designation: Sequence[K] = ()
) -> Iterator[tuple[K, Component]]:
    """The order a payment settles ``(statement, component)`` pairs, lazily.

    ``oldest_first`` lists the statements by due date (then number); ``designation`` those
    the payer named, honoured first if the policy allows. A caller stops iterating when the
    payment runs out, so what a statement owes need be worked out only if money reaches it.
    """
    within = _WITHIN[policy.order]
    rest: Sequence[K] = oldest_first
    if designation and policy.honour_designation:
        for key in designation:
            for component in within:
                yield key, component
        named = set(designation)
        rest = [key for key in oldest_first if key not in named]
    if policy.order is AllocationOrder.CIVIL_CODE:
        for key in rest:
            for component in within:
                yield key, component
    else:
        for component in within:
            for key in rest:
                yield key, component


def _sequence(value: object, field: str) -> tuple[object, ...]:
    # Text is a sequence too: "S1" would read as the statements "S" and "1".
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidType(
            f"{field} {value!r} must be a list or tuple.",
            field=field,
            value=value,
            allowed="a list or tuple",
        )
    return tuple(value)


def allocate_payment(
    amount: Money | Decimal | int | str,
    outstanding: Sequence[Outstanding],
    *,
    on: datetime.date,
    policy: AllocationPolicy = DEFAULT_ALLOCATION,
    designation: Sequence[str] = (),
    source: str = "payment",
) -> Allocation:
    """Apply ``amount`` to ``outstanding`` in the policy's order; the rest is credited.

    Args:
        amount: the payment (positive, rounded).
        outstanding: what each statement owes at the moment of payment.
        on: the payment's effective date.
        policy: the order and whether designations are honoured.
        designation: statement numbers the payer named, in order.
        source: what the payment is, for the record (``'receipt BANK-1'``).
    """
    amount = as_money(amount)
    if not amount.is_positive or not amount.is_rounded:
        raise InvalidAmount(
            f"payment {amount!r} must be a positive Money rounded to the fen.",
            field="amount",
            value=amount,
            allowed="a positive Money rounded to the fen",
        )
    day = as_date(on, "on")
    check_instance(policy, "policy", AllocationPolicy)
    check_text(source, "source", InvalidQuantity, example="'receipt BANK-1'")
    owing = [
        check_instance(o, "outstanding", Outstanding) for o in _sequence(outstanding, "outstanding")
    ]
    named = tuple(check_number(n, "designation") for n in _sequence(designation, "designation"))
    # The same statement twice would be owed, or paid, twice over.
    check_unique((o.statement for o in owing), "outstanding", DuplicateReference, what="statement")
    check_unique(named, "designation", InvalidQuantity, what="statement")
    currency = amount.currency
    by_number = {o.statement: o for o in owing}
    for item in owing:
        # One statement owes in one currency (Outstanding checks it): its principal's.
        if item.principal.currency != currency:
            raise CurrencyMismatch(
                f"statement {item.statement} owes {item.principal.currency}; the payment is in "
                f"{currency}.",
                field="outstanding",
                value=item.principal,
                allowed=f"amounts in {currency}",
                statement=item.statement,
            )
    unknown = [number for number in named if number not in by_number]
    if unknown:
        raise UnknownStatement(
            f"{source} designates {', '.join(unknown)}, which the account does not owe on; "
            f"it owes on {', '.join(sorted(by_number)) or 'nothing'}.",
            field="designation",
            value=tuple(unknown),
            allowed="statements listed in outstanding",
        )
    honoured = bool(named) and policy.honour_designation
    oldest_first = [o.statement for o in sorted(owing, key=lambda o: (o.due_on, o.statement))]
    queue = settlement_order(policy, oldest_first, named)

    left = amount.minor_units
    parts: list[AllocationPart] = []
    for number, component in queue:
        if left == 0:
            break
        owed = by_number[number].owed(component).minor_units
        paid = min(owed, left)
        if paid:
            parts.append(AllocationPart(number, component, Money.from_minor_units(paid, currency)))
            left -= paid
    return Allocation(
        source=source,
        on=day,
        amount=amount,
        order=policy.order,
        designation=named,
        designation_honoured=honoured,
        parts=tuple(parts),
        credited=Money.from_minor_units(left, currency),
    )
