"""The three documents a back office prints, as values, and what their templates are given.

Each document holds the library's own values (a :class:`~propcrm.billing.Statement`, a
:class:`~propcrm.receivables.Receipt` with its :class:`~propcrm.receivables.Account`, a
:class:`~propcrm.receivables.DunningDecision` with its account) and turns them, for one locale,
into a plain dict of text: amounts formatted for the locale and in Chinese uppercase, dates
written out, every label translated. The templates only lay that text out, so a user's own
template never has to format money or know the catalogs.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
from babel.dates import format_date

from propcrm._i18n import gettext, pgettext
from propcrm._validators import check_instance, check_text, instance_of
from propcrm.billing import ChargeLine, Statement
from propcrm.errors import DocumentError
from propcrm.money import Money, chinese_uppercase, format_money
from propcrm.receivables import (
    Account,
    Allocation,
    Component,
    DecisionKind,
    DunningDecision,
    PayerRole,
    Receipt,
)

__all__ = ["Document", "DunningLetter", "FeeNotice", "PaymentReceipt"]


def _day(value: datetime.date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


def _money(value: Money, locale: str) -> dict[str, str]:
    # 大写金额 is Chinese in every locale: it is what a Chinese receipt or notice must carry.
    words = f"人民币{chinese_uppercase(value)}" if value.currency == "CNY" else ""
    return {"figures": format_money(value, locale), "words": words}


def _name(value: object) -> str:
    return check_text(value, "community_name", DocumentError, max_length=100, example="'阳光花园'")


def _optional_name(value: object) -> str | None:
    return None if value is None else _name(value)


def _line(line: ChargeLine, locale: str) -> dict[str, Any]:
    price = (
        format_money(line.unit_price, locale)
        if line.unit_price is not None
        # TRANSLATORS: the unit price of a fee notice line priced in tiers (阶梯).
        else pgettext("fee notice", "tiers", locale=locale)
    )
    proration = line.explanation.proration
    note = (
        None
        if proration is None
        else gettext(
            "prorated %(first)s–%(last)s %(weight)s/%(total)s",
            locale=locale,
            first=proration.first.isoformat(),
            last=proration.last.isoformat(),
            weight=proration.weight,
            total=proration.total_weight,
        )
    )
    return {
        "code": line.code,
        "name": line.display_name(locale),
        "quantity": f"{line.quantity} {line.unit_label(locale)}",
        "unit_price": price,
        "amount": format_money(line.amount, locale),
        "explanation": line.explanation.formula(locale),
        "proration": note,
    }


@attrs.frozen
class FeeNotice:
    """A fee notice (缴费通知单) for one statement.

    Attributes:
        statement: the statement printed.
        community_name: the community's name as printed (default: its code on the statement).

    >>> notice = FeeNotice(
    ...     opening_statement(
    ...         community="SUNRISE",
    ...         unit_id="1-2-0301",
    ...         period=BillingPeriod.month(2026, 11),
    ...         amount=Money("1063.00"),
    ...         due_on=pendulum.date(2026, 12, 10),
    ...     ),
    ...     community_name="阳光花园",
    ... )
    >>> notice.template
    'fee_notice.html'
    >>> notice.context("en_US")["total"]
    {'figures': 'CN¥1,063.00', 'words': '人民币壹仟零陆拾叁元整'}
    """

    statement: Statement = attrs.field(validator=instance_of(Statement))
    community_name: str | None = attrs.field(
        default=None, validator=lambda _i, _a, v: _optional_name(v)
    )

    template = "fee_notice.html"
    """The template this document is rendered with."""

    def context(self, locale: str) -> dict[str, Any]:
        """What the template is given, in ``locale`` (a canonical name, already checked)."""
        s = self.statement
        return {
            "number": s.number,
            "community": self.community_name or s.community,
            "unit": s.unit_id,
            "property_type": s.property_type.label(locale),
            "billed_party": s.billed_party,
            "period_start": _day(s.period.start, locale),
            "period_end": _day(s.period.end, locale),
            "issued_on": _day(s.issued_on, locale),
            "lines": [_line(line, locale) for line in s.lines],
            "total": _money(s.total, locale),
            "due_on": _day(s.due.due_on, locale),
            "due_rolled": s.due.rolled,
            "late_fee_rule": s.late_fee.describe(locale),
        }


def _component(component: Component, locale: str) -> str:
    match component:
        case Component.COSTS:
            return pgettext("receipt", "collection costs", locale=locale)
        case Component.LATE_FEES:
            return pgettext("receipt", "late fees", locale=locale)
        case Component.PRINCIPAL:
            return pgettext("receipt", "fees", locale=locale)


def _role(role: PayerRole, locale: str) -> str:
    match role:
        case PayerRole.BILLED_PARTY:
            return pgettext("payer role", "the billed party", locale=locale)
        case PayerRole.OCCUPANT_FOR_OWNER:
            return pgettext("payer role", "an occupant, for the owner", locale=locale)
        case PayerRole.THIRD_PARTY:
            return pgettext("payer role", "a third party", locale=locale)


@attrs.frozen
class PaymentReceipt:
    """A receipt (收据) for money posted to an account, with what it settled.

    Attributes:
        receipt: the receipt printed; it must be posted to ``account``.
        account: the account it credits (its unit and billed party are printed, and how the
            money was allocated: which statements, costs, late fees and fees, and any credit).
        community_name: the community's name as printed.

    >>> paid = Receipt("BANK-1", Money("400.00"), received_on=pendulum.date(2026, 12, 20))
    >>> PaymentReceipt(paid, Account("1-2-0301"), community_name="阳光花园")
    Traceback (most recent call last):
    ...
    propcrm.errors.DocumentError: receipt BANK-1 is not posted to the account of unit 1-2-0301; \
post it first, then print its receipt.
    """

    receipt: Receipt = attrs.field(validator=instance_of(Receipt))
    account: Account = attrs.field(validator=instance_of(Account))
    community_name: str = attrs.field(validator=lambda _i, _a, v: _name(v))

    template = "receipt.html"
    """The template this document is rendered with."""

    def __attrs_post_init__(self) -> None:
        if self.receipt not in self.account.events:
            raise DocumentError(
                f"receipt {self.receipt.reference} is not posted to the account of unit "
                f"{self.account.unit_id}; post it first, then print its receipt.",
                field="receipt",
                value=self.receipt.reference,
                allowed="a receipt posted to the account",
                unit_id=self.account.unit_id,
            )

    def allocation(self) -> Allocation:
        """How this receipt was applied, as of the day it was received."""
        balance = self.account.balance(self.receipt.received_on)
        source = f"receipt {self.receipt.reference}"  # how an account names a receipt's payment
        return next(a for a in balance.allocations if a.source == source)

    def context(self, locale: str) -> dict[str, Any]:
        """What the template is given, in ``locale`` (a canonical name, already checked)."""
        r = self.receipt
        allocation = self.allocation()
        parts = [
            {
                "statement": part.statement,
                "component": _component(part.component, locale),
                "amount": format_money(part.amount, locale),
            }
            for part in allocation.parts
        ]
        return {
            "number": r.reference,
            "community": self.community_name,
            "unit": self.account.unit_id,
            "billed_party": self.account.billed_party,
            "payer": r.payer,
            "role": _role(r.role, locale),
            "received_on": _day(r.received_on, locale),
            "paid_on": None if r.paid_on is None else _day(r.paid_on, locale),
            "amount": _money(r.amount, locale),
            "parts": parts,
            "credited": _money(allocation.credited, locale) if allocation.credited else None,
        }


@attrs.frozen
class DunningLetter:
    """A dunning letter (催缴通知) for a step of the community's plan that is due.

    Attributes:
        decision: a step due (:attr:`~propcrm.receivables.DecisionKind.STEP_DUE`) from
            :func:`~propcrm.receivables.due_steps`.
        account: the account it was decided on (the statements owed are read from it as of
            the decision's date, with each statement's late-fee rule).
        community_name: the community's name as printed.
    """

    decision: DunningDecision = attrs.field(validator=instance_of(DunningDecision))
    account: Account = attrs.field(validator=instance_of(Account))
    community_name: str = attrs.field(validator=lambda _i, _a, v: _name(v))

    template = "dunning_letter.html"
    """The template this document is rendered with."""

    def __attrs_post_init__(self) -> None:
        d = self.decision
        if d.kind is not DecisionKind.STEP_DUE or d.level is None:
            raise DocumentError(
                f"the decision for unit {d.unit_id} is {d.kind.value}, not a step due; only a "
                "step due is written as a letter.",
                field="decision",
                value=d.kind.value,
                allowed=DecisionKind.STEP_DUE.value,
                unit_id=d.unit_id,
            )
        if (d.unit_id, d.billed_party) != (self.account.unit_id, self.account.billed_party):
            raise DocumentError(
                f"the decision is for unit {d.unit_id} ({d.billed_party}), the account for unit "
                f"{self.account.unit_id} ({self.account.billed_party}); give the account the "
                "decision was made on.",
                field="account",
                value=self.account.unit_id,
                allowed=d.unit_id,
            )

    def context(self, locale: str) -> dict[str, Any]:
        """What the template is given, in ``locale`` (a canonical name, already checked)."""
        d = self.decision
        assert d.level is not None  # checked on construction
        balance = self.account.balance(d.as_of)
        rules: dict[str, None] = {}
        statements = []
        for row in self.account.owed(d.as_of):
            if row.number not in d.overdue.statements:
                continue
            rules[balance.statement(row.number).statement.late_fee.describe(locale)] = None
            statements.append(
                {
                    "number": row.number,
                    "period": f"{_day(row.period.start, locale)} – {_day(row.period.end, locale)}",
                    "due_on": _day(row.due_on, locale),
                    "days_overdue": row.days_overdue,
                    "principal": format_money(row.principal, locale),
                    "late_fees": format_money(row.late_fees, locale),
                    "costs": format_money(row.costs, locale),
                    "total": format_money(row.total, locale),
                }
            )
        return {
            "community": self.community_name,
            "unit": d.unit_id,
            "billed_party": d.billed_party,
            "dated": _day(d.as_of, locale),
            "level": d.level.label(locale),
            "step_number": d.step_number,
            "channels": [c.label(locale) for c in d.channels],
            "statements": statements,
            "total": _money(d.overdue.amount, locale),
            "days_overdue": d.overdue.days,
            "pay_by": None if d.pay_by is None else _day(d.pay_by, locale),
            "late_fee_rules": list(rules),
        }


Document = FeeNotice | PaymentReceipt | DunningLetter
"""What :func:`~propcrm.documents.render_html` and ``render_pdf`` render (or a ``Statement``)."""


def as_document(value: object) -> Document:
    """``value`` as a document: a bare statement is printed as its fee notice."""
    if isinstance(value, Statement):
        return FeeNotice(value)
    document: Document = check_instance(
        value, "document", FeeNotice, PaymentReceipt, DunningLetter, example="FeeNotice(statement)"
    )
    return document
