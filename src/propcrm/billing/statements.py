"""Statements (fee notices, 缴费通知单): one unit, one period, its lines, total and due date.

A statement is immutable: what was issued stays as issued. Its later life (paid, partly paid,
disputed, deferred, waived, written off) follows from the events recorded against it, and a
correction is a new statement with a higher ``revision`` that ``supersedes`` the old number.

Numbers are deterministic: ``{community}/{period code}/{unit id}``; a notice for days that start
after the period's first day (a buyer from the 16th) adds ``/F{MMDD}`` of its first day, and
revision ``n`` > 0 adds ``/R{n}``. Re-running a billing run never gives a notice a new number,
and the seller's and the buyer's notices for one unit and month never share one. Community codes
and unit ids may hold hyphens but no ``/`` and no spaces, so two different notices can never
share a number (with hyphens as separators, unit ``U-R2`` would collide with revision 2 of ``U``).

>>> nov = BillingPeriod.month(2026, 11)
>>> statement_number("SUNRISE", nov, "1-2-0301")
'SUNRISE/2026-11/1-2-0301'
>>> statement_number("SUNRISE", nov, "1-2-0301", first_day=pendulum.date(2026, 11, 16))
'SUNRISE/2026-11/1-2-0301/F1116'
>>> statement_number("SUNRISE", nov, "1-2-0301", revision=2)
'SUNRISE/2026-11/1-2-0301/R2'
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Self

import attrs
import pendulum

from propcrm.billing.charges import ChargeExplanation, ChargeKind, ChargeLine
from propcrm.billing.cycles import DueDate
from propcrm.billing.late_fees import DEFAULT_LATE_FEE, LateFeePolicy
from propcrm.errors import CurrencyMismatch, InvalidAmount, InvalidQuantity
from propcrm.money import Money, RoundingMode, as_money, chinese_uppercase
from propcrm.property_types import PropertyType
from propcrm.time import BillingPeriod, as_date

__all__ = ["Statement", "opening_line", "opening_statement", "statement_number"]


def _token(what: str, value: str) -> str:
    # One word: non-empty, no whitespace (str.split() splits on exactly the characters
    # str.isspace() accepts, in C) and no "/", the separator of a number's parts.
    if not isinstance(value, str) or value.split() != [value] or "/" in value:
        raise InvalidQuantity(
            f"{what} {value!r} must be a non-empty str without spaces or '/', e.g. '1-2-0301'."
        )
    return value


def _numbering(community: str, period: BillingPeriod) -> Callable[[str], str]:
    """Plain numbers (no first day, revision 0) of ``community``'s notices for ``period``.

    The community code is checked and the prefix built once, here, rather than for each of the
    notices of a billing run.
    """
    prefix = f"{_token('community code', community)}/{period.code}/"

    def number(unit_id: str) -> str:
        return prefix + _token("unit id", unit_id)

    return number


def statement_number(
    community: str,
    period: BillingPeriod,
    unit_id: str,
    revision: int = 0,
    *,
    first_day: datetime.date | None = None,
) -> str:
    """The deterministic number of a unit's notice for a period, part of it, or a revision.

    Args:
        community: the community's code (no spaces, no ``/``).
        period: the billing period.
        unit_id: the unit's id (no spaces, no ``/``).
        revision: 0 for the first issue; a correction carries the next number.
        first_day: the first billed day, when the notice covers days from inside the period.
    """
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise InvalidQuantity(f"revision {revision!r} must be an int of 0 or more.")
    number = _numbering(community, period)(unit_id)
    if first_day is not None and as_date(first_day) != period.start:
        day = as_date(first_day)
        if not period.contains(day):
            raise InvalidQuantity(
                f"first billed day {day.isoformat()} lies outside period {period.code} "
                f"({period.start.isoformat()} to {period.end.isoformat()})."
            )
        number += f"/F{day.month:02d}{day.day:02d}"
    return number if revision == 0 else f"{number}/R{revision}"


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

    def __attrs_post_init__(self) -> None:
        currency = self.total.currency
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
        if expected != self.total:
            raise InvalidAmount(
                f"statement {self.number} total {self.total.amount} differs from the sum of its "
                f"lines {expected.amount}; the total is always the sum of the lines."
            )

    @classmethod
    def _trusted(
        cls,
        number: str,
        community: str,
        unit_id: str,
        property_type: PropertyType,
        period: BillingPeriod,
        issued_on: pendulum.Date,
        due: DueDate,
        lines: tuple[ChargeLine, ...],
        total: Money,
        late_fee: LateFeePolicy,
        tariff_versions: tuple[str, ...],
        billed_party: str | None = None,
        revision: int = 0,
        supersedes: str | None = None,
    ) -> Self:
        # For BillingRun, which builds every line in its policy's currency, rounds each once to
        # the minor unit and totals them with Money.total: the checks of __attrs_post_init__
        # cannot fail there, and over a portfolio they would add a third to the run's time. The
        # fields go straight into their slots, skipping the frozen __setattr__ as attrs' own
        # __init__ does (strict: a field added to the class must be added here too).
        statement = object.__new__(cls)
        values: tuple[object, ...] = (number, community, unit_id, property_type, period, issued_on)
        values += (due, lines, total, late_fee, tariff_versions, billed_party, revision, supersedes)
        for set_slot, value in zip(_SLOT_SETTERS, values, strict=True):
            set_slot(statement, value)
        return statement

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
        formula=f"{amount.amount:f} carried over",
        quantity=Decimal(1),
        unit_label="项",
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
        due=DueDate(due, due, "agreed due date", None),
        lines=(opening_line(amount),),
        total=amount,
        late_fee=late_fee,
        tariff_versions=(),
        billed_party=billed_party,
    )


_SLOT_SETTERS = tuple(Statement.__dict__[field.name].__set__ for field in attrs.fields(Statement))
