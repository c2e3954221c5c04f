"""Statements (fee notices, 缴费通知单): one unit, one period, its lines, total and due date.

Concessions (:class:`~propcrm.billing.Concession`) show as lines of their own kind,
``concessions``, never as negative charges: the total is the charge lines' sum less the
concession lines', and it is never below zero (each concession line is capped at what is left
of the charges it reduces). A statement without concessions is exactly what it always was.

A statement is immutable: what was issued stays as issued. Its later life (paid, partly paid,
disputed, deferred, waived, written off) follows from the events recorded against it, and a
correction is a new statement with a higher ``revision`` that ``supersedes`` the old number.
Numbers come from :func:`~propcrm.billing.statement_number`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm._property_types import PropertyType
from propcrm._shared import Memo, shared_date
from propcrm._validators import MAX_ID_LENGTH, check_int, check_text, instance_of
from propcrm.billing._charge_units import ChargeUnit
from propcrm.billing._charges import (
    OPENING_BALANCE,
    ChargeExplanation,
    ChargeKind,
    ChargeLine,
)
from propcrm.billing._concessions import ConcessionLine
from propcrm.billing._cycles import DueDate
from propcrm.billing._late_fee_terms import (
    DEFAULT_LATE_FEE,
    LateFeePolicy,
)
from propcrm.billing._numbering import check_token, statement_number
from propcrm.billing._repeated import items_of
from propcrm.errors import CurrencyMismatch, InvalidAmount, InvalidQuantity, InvalidType
from propcrm.money import (
    Money,
    RoundingMode,
    as_money,
    chinese_uppercase,
    format_money,
)
from propcrm.time import (
    BillingPeriod,
    as_date,
)

__all__ = ["Statement", "opening_line", "opening_statement"]


def _opening_amount(value: object) -> Money:
    amount = as_money(value)
    if amount.is_negative:
        raise InvalidAmount(
            f"an opening balance of {amount!r} is negative; a balance brought over is 0 or "
            "more (record a credit as a payment).",
            field="amount",
            value=amount,
            allowed="an amount of 0 or more",
        )
    return amount


def _period(value: object) -> BillingPeriod:
    if not isinstance(value, BillingPeriod):
        raise InvalidType(
            f"period {value!r} is not a BillingPeriod; pass e.g. BillingPeriod.month(2026, 11).",
            field="period",
            value=value,
            allowed="BillingPeriod",
        )
    return value


def _issued_on(value: object) -> pendulum.Date:
    # One date a day (propcrm._shared): a community's notices are issued on a few days.
    return shared_date(as_date(value, "issued_on"))


def _community(_instance: object, _attribute: object, value: str) -> None:
    check_token("community code", value)


def _unit_id(_instance: object, _attribute: object, value: str) -> None:
    check_token("unit id", value)


# community/period/unit, then /F{MMDD} and /R{n}: two ids of at most MAX_ID_LENGTH, with room.
_MAX_NUMBER_LENGTH = 2 * MAX_ID_LENGTH + 32
# One item, shared by every opening line (a Decimal is some hundred bytes; a portfolio migrates
# a line a unit a month).
_ONE = Decimal(1)
# Caches, not settings (see propcrm._shared): equal opening lines (a unit's fee, the same month
# after month; the same fee of a community's units of one size) share their line, explanation,
# amount and the one-line tuple, some 400 bytes a notice; an agreed due date its DueDate.
_OPENING_LINES: Memo[tuple[Money, str], tuple[ChargeLine]] = Memo(4096)
_AGREED_DUE: Memo[pendulum.Date, DueDate] = Memo(4096)
# A period's last day, the day its notices are issued on by default (pendulum's month arithmetic
# costs more than the rest of a notice's dates together).
_PERIOD_ENDS: Memo[BillingPeriod, pendulum.Date] = Memo(1024)


def _number(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or value.split() != [value] or len(value) > _MAX_NUMBER_LENGTH:
        raise InvalidQuantity(
            f"statement number {value!r} must be non-empty text without spaces, at most "
            f"{_MAX_NUMBER_LENGTH} characters, e.g. 'SUNRISE/2026-11/1-2-0301'.",
            field="number",
            value=value,
            allowed=f"non-empty text without spaces, at most {_MAX_NUMBER_LENGTH} characters",
        )


def _optional_text(
    _instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_text(value, attribute.name, InvalidQuantity, max_length=200)


# The empty tuple, and a tuple of exactly the item class, are what items_of would return: kept
# as they are without its checks (every notice has its lines, most no concession or version).


def _lines(value: object) -> tuple[ChargeLine, ...]:
    if type(value) is tuple and all(type(line) is ChargeLine for line in value):
        return value
    return items_of(value, ChargeLine, "lines")


def _concession_lines(value: object) -> tuple[ConcessionLine, ...]:
    if type(value) is tuple and not value:
        return ()
    return items_of(value, ConcessionLine, "concessions")


def _versions(value: object) -> tuple[str, ...]:
    if type(value) is tuple and not value:
        return ()
    return items_of(value, str, "tariff_versions")


def _revision(_instance: object, _attribute: object, value: Any) -> None:
    check_int(value, "revision", InvalidQuantity, minimum=0)


@attrs.frozen
class Statement:
    """A fee notice; ``total`` is the sum of the (rounded) line amounts less its concessions.

    ``concessions`` are the concession lines, each capped so that the total is never below zero.
    """

    number: str = attrs.field(validator=_number)
    community: str = attrs.field(validator=_community)
    unit_id: str = attrs.field(validator=_unit_id)
    property_type: PropertyType = attrs.field(validator=instance_of(PropertyType))
    period: BillingPeriod = attrs.field(validator=instance_of(BillingPeriod))
    issued_on: pendulum.Date = attrs.field(converter=_issued_on)
    due: DueDate = attrs.field(validator=instance_of(DueDate))
    lines: tuple[ChargeLine, ...] = attrs.field(converter=_lines)
    total: Money = attrs.field(converter=as_money)
    late_fee: LateFeePolicy = attrs.field(validator=instance_of(LateFeePolicy))
    tariff_versions: tuple[str, ...] = attrs.field(converter=_versions)
    billed_party: str | None = attrs.field(default=None, validator=_optional_text)
    revision: int = attrs.field(default=0, validator=_revision)
    supersedes: str | None = attrs.field(default=None, validator=_optional_text)
    concessions: tuple[ConcessionLine, ...] = attrs.field(default=(), converter=_concession_lines)

    @total.validator
    def _sum_of_lines(self, _attribute: object, total: Money) -> None:
        # A validator, not __attrs_post_init__: attrs runs it after every field is set, and the
        # billing run's fast path (propcrm._trusted.slot_constructor) skips it where it holds by
        # construction.
        currency = total.currency
        for line in self.lines:
            if line.amount.currency != currency:
                raise CurrencyMismatch(
                    f"statement {self.number} is in {currency} but line {line.code} is in "
                    f"{line.amount.currency}; a statement has one currency.",
                    field="lines",
                    value=line.amount.currency,
                    allowed=currency,
                    line=line.code,
                )
            if not line.amount.is_rounded:
                raise InvalidAmount(
                    f"line {line.code} of statement {self.number} is not rounded to the minor "
                    "unit; lines are rounded once, when they are computed.",
                    field="lines",
                    value=line.amount,
                    allowed="amounts rounded to the minor unit",
                    line=line.code,
                )
        expected = Money.total((line.amount for line in self.lines), currency)
        if self.concessions:
            expected = self._less_concessions(expected)
        if expected != total:
            raise InvalidAmount(
                f"statement {self.number} total {total.amount} differs from the sum of its "
                f"lines {expected.amount}; the total is always the sum of the lines (less its "
                "concessions).",
                field="total",
                value=total,
                allowed=str(expected.amount),
            )

    def _less_concessions(self, charges: Money) -> Money:
        currency = charges.currency
        for line in self.concessions:
            if line.amount.currency != currency:
                raise CurrencyMismatch(
                    f"statement {self.number} is in {currency} but concession {line.code} is in "
                    f"{line.amount.currency}; a statement has one currency.",
                    field="concessions",
                    value=line.amount.currency,
                    allowed=currency,
                    concession=line.code,
                )
        off = Money.total((line.amount for line in self.concessions), currency)
        if off > charges:
            raise InvalidAmount(
                f"statement {self.number}'s concessions take off {off.amount}, more than its "
                f"charges of {charges.amount}; a notice never falls below zero (concession "
                "lines are capped at what is left of the charges they reduce).",
                field="concessions",
                value=off,
                allowed=f"at most {charges.amount}",
            )
        return charges - off

    @property
    def charges_total(self) -> Money:
        """The charge lines' sum, before concessions (the total, when there are none)."""
        if not self.concessions:
            return self.total
        return Money.total((line.amount for line in self.lines), self.currency)

    @property
    def concessions_total(self) -> Money:
        """What the concessions take off (zero when there are none)."""
        return Money.total((line.amount for line in self.concessions), self.currency)

    def explain(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """The notice in words, a line each: every charge, every concession, the total.

        >>> s = opening_statement(
        ...     community="SUNRISE",
        ...     unit_id="1-2-0301",
        ...     period=BillingPeriod.month(2026, 11),
        ...     amount=Money("1000.00"),
        ...     due_on=pendulum.date(2026, 12, 10),
        ... )
        >>> s.explain("en_US")
        ('opening balance: CN¥1,000.00 (CN¥1,000.00 carried over)', 'total: CN¥1,000.00')
        """
        name = check_locale(locale)
        rows = [
            gettext(
                "%(name)s: %(amount)s (%(formula)s)",
                locale=name,
                name=line.display_name(name),
                amount=format_money(line.amount, name),
                formula=line.explanation.formula(name),
            )
            for line in self.lines
        ]
        rows.extend(
            gettext(
                "less %(amount)s: %(concession)s",
                locale=name,
                amount=format_money(line.amount, name),
                concession=line.describe(name),
            )
            for line in self.concessions
        )
        rows.append(gettext("total: %(total)s", locale=name, total=format_money(self.total, name)))
        return tuple(rows)

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
        self,
        lines: tuple[ChargeLine, ...],
        *,
        issued_on: datetime.date | None = None,
        concessions: tuple[ConcessionLine, ...] | None = None,
    ) -> Statement:
        """The next revision of this statement with corrected ``lines`` (a correction).

        Same unit, period and due date; the number gains ``/R{n}``, ``supersedes`` names this
        one, and the total is the sum of the new lines less the concessions: this statement's
        unless ``concessions`` gives the recomputed ones.

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
        lines = _lines(lines)
        kept = self.concessions if concessions is None else _concession_lines(concessions)
        base = self.number.rsplit("/R", 1)[0] if self.revision else self.number
        total = Money.total((line.amount for line in lines), self.currency)
        off = Money.total((line.amount for line in kept), self.currency)
        return attrs.evolve(
            self,
            number=f"{base}/R{self.revision + 1}",
            issued_on=self.issued_on if issued_on is None else as_date(issued_on, "issued_on"),
            lines=lines,
            # Below zero only if the concessions outgrow the new lines: the validator says so.
            total=total - off if off <= total else total,
            revision=self.revision + 1,
            supersedes=self.number,
            concessions=kept,
        )


def opening_line(amount: Money | Decimal | int | str, name: str | None = None) -> ChargeLine:
    """One fixed line carrying ``amount`` (a balance brought over from a previous system).

    Without a ``name`` the line stores the stable name ``'opening balance'`` and
    :meth:`ChargeLine.display_name` shows it in the reader's language (期初欠费 in Chinese); a
    ``name`` the caller gives is kept and shown as given. The amount is zero or more: a credit
    brought over is a payment, not a negative charge.

    >>> line = opening_line("1000.00")
    >>> line.name, line.display_name(), line.display_name("en_US")
    ('opening balance', '期初欠费', 'opening balance')
    """
    amount = _opening_amount(amount)
    if name is None:
        name = OPENING_BALANCE
    else:
        check_text(name, "name", InvalidAmount, max_length=200, example="'期初欠费'")
    return _opening_lines(amount, name)[0]


def _opening_lines(amount: Money, name: str) -> tuple[ChargeLine]:
    """The one-line tuple of an opening line of a checked ``amount`` and ``name``, shared."""
    key = (amount, name)
    # Money("1.0") equals Money("1.00") but prints otherwise: the line kept must have the
    # very amount asked for, digit for digit (and a subclass's value is never swapped).
    plain = type(amount.amount) is Decimal and type(name) is str
    kept = _OPENING_LINES.get(key) if plain else None
    if kept is not None and kept[0].amount.amount.same_quantum(amount.amount):
        return kept
    explanation = ChargeExplanation(
        rule=None,  # carried over, not computed: formula() says so
        quantity=_ONE,
        unit_label=ChargeUnit.ITEM,
        unit_price=amount,
        unrounded=amount,
        rounding=RoundingMode.HALF_UP,
    )
    lines = (ChargeLine("OPENING", name, ChargeKind.FIXED, amount, explanation),)
    return _OPENING_LINES.keep(key, lines) if plain and kept is None else lines


def _period_end(period: object) -> pendulum.Date:
    """``period``'s last day (one date a day), or InvalidType if it is no BillingPeriod."""
    if type(period) is not BillingPeriod:
        return _period(period).end
    kept = _PERIOD_ENDS.get(period)
    return _PERIOD_ENDS.keep(period, shared_date(period.end)) if kept is None else kept


def _agreed_due(day: pendulum.Date) -> DueDate:
    """The due date agreed for ``day`` outside any cycle, one DueDate a day."""
    if type(day) is not pendulum.Date:  # a subclass's day is kept as given
        return DueDate(day, day, None, None)
    kept = _AGREED_DUE.get(day)
    if kept is None:
        day = shared_date(day)
        kept = _AGREED_DUE.keep(day, DueDate(day, day, None, None))
    return kept


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
    due = as_date(due_on, "due_on")
    lines = _opening_lines(_opening_amount(amount), OPENING_BALANCE)
    return Statement(
        number=statement_number(community, period, unit_id),
        community=community,
        unit_id=unit_id,
        property_type=property_type,
        period=period,
        issued_on=_period_end(period) if issued_on is None else as_date(issued_on, "issued_on"),
        due=_agreed_due(due),
        lines=lines,
        total=lines[0].amount,
        late_fee=late_fee,
        tariff_versions=(),
        billed_party=billed_party,
    )
