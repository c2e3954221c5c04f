"""Statements (fee notices, 缴费通知单): one unit, one period, its lines, total and due date.

A statement is immutable: what was issued stays as issued. Its later life (paid, partly paid,
disputed, deferred, waived, written off) follows from the events recorded against it, and a
correction is a new statement with a higher ``revision`` that ``supersedes`` the old number.
Numbers come from :func:`~propcrm.billing.statement_number`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs
import pendulum

from propcrm._property_types import PropertyType
from propcrm.billing._charges import (
    ChargeExplanation,
    ChargeKind,
    ChargeLine,
    ChargeUnit,
)
from propcrm.billing._cycles import DueDate
from propcrm.billing._late_fee_terms import (
    DEFAULT_LATE_FEE,
    LateFeePolicy,
)
from propcrm.billing._numbering import statement_number
from propcrm.errors import CurrencyMismatch, InvalidAmount
from propcrm.money import (
    Money,
    RoundingMode,
    as_money,
    chinese_uppercase,
)
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = ["Statement", "opening_line", "opening_statement"]


@attrs.frozen
class Statement:
    """A fee notice; ``total`` must equal the sum of the (rounded) line amounts."""

    number: str
    community: str
    unit_id: str
    property_type: PropertyType
    period: BillingPeriod
    issued_on: pendulum.Date
    due: DueDate
    lines: tuple[ChargeLine, ...]
    total: Money = attrs.field(converter=as_money)
    late_fee: LateFeePolicy
    tariff_versions: tuple[str, ...]
    billed_party: str | None = None
    revision: int = 0
    supersedes: str | None = None

    @total.validator
    def _sum_of_lines(self, _attribute: object, total: Money) -> None:
        # A validator, not __attrs_post_init__: attrs runs it after every field is set, and the
        # billing run's fast path (propcrm._trusted.build_trusted) skips it where it holds by
        # construction.
        currency = total.currency
        for line in self.lines:
            if line.amount.currency != currency:
                raise CurrencyMismatch(
                    f"statement {self.number} is in {currency} but line {line.code} is in "
                    f"{line.amount.currency}; a statement has one currency."
                )
            if not line.amount.is_rounded:
                raise InvalidAmount(
                    f"line {line.code} of statement {self.number} is not rounded to the minor "
                    "unit; lines are rounded once, when they are computed."
                )
        expected = Money.total((line.amount for line in self.lines), currency)
        if expected != total:
            raise InvalidAmount(
                f"statement {self.number} total {total.amount} differs from the sum of its "
                f"lines {expected.amount}; the total is always the sum of the lines."
            )

    @property
    def due_on(self) -> pendulum.Date:
        """The day payment is due."""
        return self.due.due_on

    @property
    def currency(self) -> str:
        """The statement's currency."""
        return self.total.currency

    def total_in_words(self) -> str:
        """The total as the Chinese uppercase amount printed on the notice (大写金额)."""
        return chinese_uppercase(self.total)

    def revised(
        self, lines: tuple[ChargeLine, ...], *, issued_on: datetime.date | None = None
    ) -> Statement:
        """The next revision of this statement with corrected ``lines`` (a correction).

        Same unit, period and due date; the number gains ``/R{n}``, ``supersedes`` names this
        one, and the total is the sum of the new lines.

        >>> old = opening_statement(
        ...     community="SUNRISE",
        ...     unit_id="1-2-0301",
        ...     period=BillingPeriod.month(2026, 11),
        ...     amount=Money("1000.00"),
        ...     due_on=pendulum.date(2026, 12, 10),
        ... )
        >>> new = old.revised((opening_line(Money("800.00")),))
        >>> new.number, new.supersedes, new.total
        ('SUNRISE/2026-11/1-2-0301/R1', 'SUNRISE/2026-11/1-2-0301', Money('800.00', 'CNY'))
        """
        base = self.number.rsplit("/R", 1)[0] if self.revision else self.number
        return attrs.evolve(
            self,
            number=f"{base}/R{self.revision + 1}",
            issued_on=self.issued_on if issued_on is None else as_date(issued_on),
            lines=tuple(lines),
            total=Money.total((line.amount for line in lines), self.currency),
            revision=self.revision + 1,
            supersedes=self.number,
        )


def opening_line(
    amount: Money | Decimal | int | str, name: str = "期初欠费 opening balance"
) -> ChargeLine:
    """One fixed line carrying ``amount`` (a balance brought over from a previous system)."""
    amount = as_money(amount)
    explanation = ChargeExplanation(
        rule=None,  # carried over, not computed: formula() says so
        quantity=Decimal(1),
        unit_label=ChargeUnit.ITEM,
        unit_price=amount,
        unrounded=amount,
        rounding=RoundingMode.HALF_UP,
    )
    return ChargeLine("OPENING", name, ChargeKind.FIXED, amount, explanation)


def opening_statement(
    *,
    community: str,
    unit_id: str,
    period: BillingPeriod,
    amount: Money | Decimal | int | str,
    due_on: datetime.date,
    issued_on: datetime.date | None = None,
    property_type: PropertyType = PropertyType.RESIDENTIAL,
    late_fee: LateFeePolicy = DEFAULT_LATE_FEE,
    billed_party: str | None = None,
) -> Statement:
    """A statement of one line for ``amount``: arrears migrated from another system, a test.

    Issued on the period's last day unless ``issued_on`` says otherwise.

    >>> s = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="1-2-0301",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1000.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> s.number, s.total, s.due_on
    ('SUNRISE/2026-11/1-2-0301', Money('1000.00', 'CNY'), Date(2026, 12, 10))
    """
    due = as_date(due_on)
    amount = as_money(amount)
    return Statement(
        number=statement_number(community, period, unit_id),
        community=community,
        unit_id=unit_id,
        property_type=property_type,
        period=period,
        issued_on=period.end if issued_on is None else as_date(issued_on),
        due=DueDate(due, due, None, None),
        lines=(opening_line(amount),),
        total=amount,
        late_fee=late_fee,
        tariff_versions=(),
        billed_party=billed_party,
    )
