"""Prepaid balances (预存款): money paid in ahead that settles each new notice on its issue date.

A household may pay in ahead of its notices (a top-up, 预存); each notice issued afterwards is
settled from that money on its issue date, and what is left is carried to the next. A
:class:`PrepaidBalance` is one account's prepaid money as a set of movements: top-ups, the
settlements of notices and refunds, replayed in a canonical order (by date; on one day top-ups,
then settlements, then refunds; then by reference), so the same movements in any order give the
same balance. The balance is never negative, at any point of the replay: a refund or settlement
above what it holds is refused (:class:`~propcrm.errors.InsufficientPrepaid`).

**How it meets the account.** Prepaid money is held apart from the :class:`Account` (it is owed
back to the payer until a notice uses it), so posting a top-up changes no account. Settling a
notice (:meth:`PrepaidBalance.settle`) takes from the balance what the notice still owes on its
issue date, at most, and posts it to the account as a :class:`Receipt` received that day, with
the reference ``'prepaid:<notice number>'`` and the notice as its designation. The account folds
it like any receipt, under its allocation policy: arrears, late fees and dunning see the notice
settled on its issue date, and an account that honours no designation applies the money in its
own order, still no more than the notice's amount. An account without a prepaid balance is
exactly what it was. Settling is idempotent: a notice settled once is not settled again.

>>> notice = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("250.24"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> prepaid = PrepaidBalance("1-2-0301").top_up(
...     "BANK-20261020-01", Money("1000.00"), on=pendulum.date(2026, 10, 20)
... )
>>> prepaid, account = prepaid.settle(Account("1-2-0301"), notice)
>>> prepaid.balance, account.balance(notice.issued_on).statements[0].state.value
(Money('749.76', 'CNY'), 'paid')
"""

from __future__ import annotations

import datetime
from collections.abc import Set
from typing import Literal, get_args

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, pgettext
from propcrm._validators import check_iterable, check_record_id
from propcrm.billing import Statement
from propcrm.errors import (
    CurrencyMismatch,
    DuplicateReference,
    InsufficientPrepaid,
    InvalidParty,
    InvalidType,
    InvalidUnit,
    PrepaidError,
)
from propcrm.money import CNY, Money, as_money, check_currency, format_money
from propcrm.receivables._accounts import Account
from propcrm.receivables._events import on_date, valid_amount, valid_reference
from propcrm.receivables._receipts import Receipt
from propcrm.time import as_date

__all__ = ["PREPAID_KINDS", "PrepaidBalance", "PrepaidKind", "PrepaidMovement"]

PrepaidKind = Literal["top_up", "settlement", "refund"]
"""What a movement of a prepaid balance is, as the one-word code storage keeps."""

PREPAID_KINDS: tuple[PrepaidKind, ...] = get_args(PrepaidKind)

# Same-day movements replay in this order: money in before money out.
_RANK = {"top_up": 0, "settlement": 1, "refund": 2}

SETTLEMENT_PREFIX = "prepaid:"
"""The reference of a settlement, and of the receipt it posts: this and the notice's number."""


def _kind(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or value not in PREPAID_KINDS:
        raise PrepaidError(
            f"prepaid movement kind {value!r} is not one of {', '.join(PREPAID_KINDS)}.",
            field="kind",
            value=value,
            allowed=", ".join(PREPAID_KINDS),
        )


def _statement(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and (
        not isinstance(value, str) or not value.strip() or value != value.strip()
    ):
        raise PrepaidError(
            f"statement {value!r} must be a notice number (non-empty text without surrounding "
            "spaces), e.g. 'SUNRISE/2026-11/1-2-0301'.",
            field="statement",
            value=value,
            allowed="a notice number, or None",
        )


@attrs.frozen
class PrepaidMovement:
    """One movement of a prepaid balance.

    Attributes:
        kind: ``'top_up'`` (money paid in), ``'settlement'`` (a notice settled from it) or
            ``'refund'`` (money paid back).
        reference: unique in the balance (the bank's serial number; a settlement's is
            ``'prepaid:'`` and the notice's number).
        amount: positive, rounded to the fen.
        on: the day it takes effect (a settlement: the notice's issue date).
        statement: the notice a settlement settled; ``None`` for the others.
    """

    kind: PrepaidKind = attrs.field(validator=_kind)
    reference: str = attrs.field(validator=valid_reference)
    amount: Money = attrs.field(converter=as_money, validator=valid_amount)
    on: pendulum.Date = attrs.field(converter=on_date)
    statement: str | None = attrs.field(default=None, validator=_statement)

    def __attrs_post_init__(self) -> None:
        if (self.kind == "settlement") != (self.statement is not None):
            raise PrepaidError(
                f"prepaid movement {self.reference} ({self.kind}) names statement "
                f"{self.statement!r}; a settlement names the notice it settled, and only it.",
                field="statement",
                value=self.statement,
                allowed="a notice number for a settlement, None otherwise",
                reference=self.reference,
            )
        if self.kind == "settlement" and self.reference != SETTLEMENT_PREFIX + str(self.statement):
            raise PrepaidError(
                f"settlement {self.reference} of {self.statement} must have the reference "
                f"{SETTLEMENT_PREFIX}{self.statement}, so a notice is settled once.",
                field="reference",
                value=self.reference,
                allowed=f"{SETTLEMENT_PREFIX}{self.statement}",
            )

    @property
    def signed(self) -> Money:
        """The movement's effect on the balance: a top-up adds, the others take away."""
        return self.amount if self.kind == "top_up" else -self.amount

    def receipt(self) -> Receipt:
        """The receipt a settlement posts to the account (a settlement's only).

        >>> PrepaidMovement(
        ...     "settlement",
        ...     "prepaid:S/2026-11/U",
        ...     Money("250.24"),
        ...     pendulum.date(2026, 11, 30),
        ...     statement="S/2026-11/U",
        ... ).receipt().designation
        ('S/2026-11/U',)
        """
        if self.statement is None:
            raise PrepaidError(
                f"prepaid movement {self.reference} is a {self.kind}; only a settlement posts a "
                "receipt to the account.",
                field="kind",
                value=self.kind,
                allowed="settlement",
                reference=self.reference,
            )
        return Receipt(
            self.reference, self.amount, received_on=self.on, designation=(self.statement,)
        )

    def kind_label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The kind for people: ``'预存'``, ``'抵扣'``, ``'退款'`` (zh_CN)."""
        match self.kind:
            case "top_up":
                return pgettext("prepaid movement", "top-up", locale=locale)
            case "settlement":
                return pgettext("prepaid movement", "settlement", locale=locale)
            case _:
                return pgettext("prepaid movement", "refund", locale=locale)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The movement in one line.

        >>> PrepaidMovement(
        ...     "top_up", "BANK-1", Money("1000.00"), pendulum.date(2026, 10, 20)
        ... ).describe("en_US")
        '2026-10-20 top-up BANK-1: +CN¥1,000.00'
        """
        name = check_locale(locale)
        sign = "+" if self.kind == "top_up" else "−"
        amount = sign + format_money(self.amount, name)
        if self.statement is None:
            return gettext(
                "%(on)s %(kind)s %(reference)s: %(amount)s",
                locale=name,
                on=self.on.isoformat(),
                kind=self.kind_label(name),
                reference=self.reference,
                amount=amount,
            )
        return gettext(
            "%(on)s %(kind)s of notice %(statement)s: %(amount)s",
            locale=name,
            on=self.on.isoformat(),
            kind=self.kind_label(name),
            statement=self.statement,
            amount=amount,
        )


def _order(movement: PrepaidMovement) -> tuple[pendulum.Date, int, str]:
    return movement.on, _RANK[movement.kind], movement.reference


def _movements(value: object) -> tuple[PrepaidMovement, ...]:
    # A mapping would give its keys, a set no order: neither is a list of movements.
    given = check_iterable(value, "movements", "an iterable of PrepaidMovement", refused=(Set,))
    movements = list(given)
    seen: dict[str, PrepaidMovement] = {}
    for movement in movements:
        if not isinstance(movement, PrepaidMovement):
            raise InvalidType(
                f"movements holds {movement!r}; each item is a PrepaidMovement.",
                field="movements",
                value=movement,
                allowed="PrepaidMovement",
            )
        known = seen.setdefault(movement.reference, movement)
        if known != movement:
            raise DuplicateReference(
                f"prepaid movement reference {movement.reference} is used twice, by "
                f"{known.describe('en_US')} and by {movement.describe('en_US')}; a reference "
                "names one movement.",
                field="movements",
                value=movement.reference,
                allowed="each reference once",
            )
    return tuple(sorted(seen.values(), key=_order))


def _unit_id(_instance: object, _attribute: object, value: str) -> None:
    check_record_id(value, "unit_id", InvalidUnit)


def _billed_party(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_record_id(value, "billed_party", InvalidParty)


def _currency(_instance: object, _attribute: object, value: str) -> None:
    check_currency(value)


@attrs.frozen
class PrepaidBalance:
    """The prepaid money of one account, as its movements.

    Attributes:
        unit_id: the unit of the account it settles notices of.
        billed_party: the party the account bills, if named (who may be refunded).
        currency: the balance's currency, the account's.
        movements: top-ups, settlements and refunds, in canonical replay order (pass them in
            any order); each reference once.
    """

    unit_id: str = attrs.field(validator=_unit_id)
    billed_party: str | None = attrs.field(default=None, validator=_billed_party)
    currency: str = attrs.field(default=CNY, validator=_currency)
    movements: tuple[PrepaidMovement, ...] = attrs.field(default=(), converter=_movements)

    def __attrs_post_init__(self) -> None:
        units = 0
        for movement in self.movements:
            if movement.amount.currency != self.currency:
                raise CurrencyMismatch(
                    f"prepaid movement {movement.reference} is in {movement.amount.currency}; "
                    f"the balance of unit {self.unit_id} is in {self.currency}.",
                    field="movements",
                    value=movement.amount,
                    allowed=f"an amount in {self.currency}",
                    reference=movement.reference,
                )
            units += movement.signed.minor_units
            if units < 0:
                held = Money.from_minor_units(units + movement.amount.minor_units, self.currency)
                raise InsufficientPrepaid(
                    f"{movement.describe('en_US')} takes more than the prepaid balance of unit "
                    f"{self.unit_id} holds on {movement.on.isoformat()} ({held.amount:f}); a "
                    "prepaid balance is never negative.",
                    field="amount",
                    value=movement.amount,
                    allowed=f"at most {held.amount:f}",
                    reference=movement.reference,
                    unit_id=self.unit_id,
                )

    # -- reading ------------------------------------------------------------------------------

    def _total(self, kind: PrepaidKind) -> Money:
        return Money.total((m.amount for m in self.movements if m.kind == kind), self.currency)

    @property
    def balance(self) -> Money:
        """What the balance holds after every movement."""
        return Money.total((m.signed for m in self.movements), self.currency)

    @property
    def topped_up(self) -> Money:
        """All money paid in."""
        return self._total("top_up")

    @property
    def settled(self) -> Money:
        """All money that settled notices."""
        return self._total("settlement")

    @property
    def refunded(self) -> Money:
        """All money paid back."""
        return self._total("refund")

    def balance_on(self, day: datetime.date) -> Money:
        """What the balance holds at the end of ``day``."""
        day = as_date(day, "day")
        return Money.total((m.signed for m in self.movements if m.on <= day), self.currency)

    def available_on(self, day: datetime.date, kind: PrepaidKind = "settlement") -> Money:
        """The most a ``kind`` movement on ``day`` may take, the balance never going negative.

        That is the least the balance holds from that point of the replay on.
        """
        day = as_date(day, "day")
        if not isinstance(kind, str) or kind not in _RANK:
            raise PrepaidError(
                f"kind {kind!r} is not one of {', '.join(PREPAID_KINDS)}.",
                field="kind",
                value=kind,
                allowed=", ".join(PREPAID_KINDS),
            )
        key = (day, _RANK[kind])
        units = 0
        least: int | None = None
        for movement in self.movements:
            units += movement.signed.minor_units
            if (movement.on, _RANK[movement.kind]) <= key:
                continue
            if least is None:
                least = units - movement.signed.minor_units
            least = min(least, units)
        if least is None:
            least = units
        return Money.from_minor_units(max(0, least), self.currency)

    def movement(self, reference: str) -> PrepaidMovement:
        """The movement with ``reference``."""
        for movement in self.movements:
            if movement.reference == reference:
                return movement
        raise PrepaidError(
            f"the prepaid balance of unit {self.unit_id} has no movement {reference!r}.",
            field="reference",
            value=reference,
            allowed="a reference of this balance's movements",
            unit_id=self.unit_id,
        )

    # -- movements ----------------------------------------------------------------------------

    def _with(self, movement: PrepaidMovement) -> PrepaidBalance:
        return attrs.evolve(self, movements=(*self.movements, movement))

    def top_up(self, reference: str, amount: Money, *, on: datetime.date) -> PrepaidBalance:
        """This balance with ``amount`` paid in on ``on`` (the bank's 回单 day)."""
        return self._with(PrepaidMovement("top_up", reference, amount, on))

    def refund(self, reference: str, amount: Money, *, on: datetime.date) -> PrepaidBalance:
        """This balance with ``amount`` paid back on ``on``; never more than it holds.

        >>> PrepaidBalance("1-2-0301").refund("R-1", Money("1.00"), on=pendulum.date(2026, 11, 1))
        Traceback (most recent call last):
        ...
        propcrm.errors.InsufficientPrepaid: 2026-11-01 refund R-1: −CN¥1.00 takes more than \
the prepaid balance of unit 1-2-0301 holds on 2026-11-01 (0.00); a prepaid balance is never \
negative.
        """
        return self._with(PrepaidMovement("refund", reference, amount, on))

    def settle(self, account: Account, notice: Statement) -> tuple[PrepaidBalance, Account]:
        """Settle ``notice`` from this balance on its issue date; the balance and the account.

        The notice is posted to ``account`` (if it is not yet). What it still owes on its
        issue date, at most what the balance can spare from that day on, becomes a settlement
        and a receipt posted to the account (see the module docstring). A notice owing
        nothing, or a balance with nothing to spare, changes neither; a notice settled before
        is not settled again.
        """
        if not isinstance(account, Account):
            raise InvalidType(
                f"account {account!r} is not an Account.",
                field="account",
                value=account,
                allowed="Account",
            )
        if not isinstance(notice, Statement):
            raise InvalidType(
                f"notice {notice!r} is not a Statement.",
                field="notice",
                value=notice,
                allowed="Statement",
            )
        for field, unit in (("account", account.unit_id), ("notice", notice.unit_id)):
            if unit != self.unit_id:
                raise PrepaidError(
                    f"the prepaid balance of unit {self.unit_id} settles that unit's notices; "
                    f"the {field} is for unit {unit}.",
                    field=field,
                    value=unit,
                    allowed=self.unit_id,
                )
        if None not in (self.billed_party, account.billed_party) and (
            account.billed_party != self.billed_party
        ):
            # The money is the payer's: it settles the notices of the party who paid it in.
            raise PrepaidError(
                f"the prepaid balance of unit {self.unit_id} is {self.billed_party}'s; the "
                f"account bills {account.billed_party}.",
                field="account",
                value=account.billed_party,
                allowed=self.billed_party,
            )
        if account.currency != self.currency:
            raise CurrencyMismatch(
                f"the account of unit {self.unit_id} is in {account.currency}; the prepaid "
                f"balance is in {self.currency}.",
                field="account",
                value=account.currency,
                allowed=self.currency,
            )
        posted = account.post(notice)
        reference = SETTLEMENT_PREFIX + notice.number
        done = next((m for m in self.movements if m.reference == reference), None)
        if done is not None:
            return self, posted.post(done.receipt())
        day = notice.issued_on
        owed = posted.balance(day).statement(notice.number).outstanding
        spare = self.available_on(day)
        amount = min(owed, spare)
        if not amount.is_positive:
            return self, posted
        movement = PrepaidMovement("settlement", reference, amount, day, statement=notice.number)
        return self._with(movement), posted.post(movement.receipt())

    # -- explaining ---------------------------------------------------------------------------

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> tuple[str, ...]:
        """The statement of the balance's movements, each with the balance after it; totals.

        >>> prepaid = (
        ...     PrepaidBalance("1-2-0301")
        ...     .top_up("BANK-1", Money("300.00"), on=pendulum.date(2026, 10, 20))
        ...     .refund("R-1", Money("100.00"), on=pendulum.date(2026, 12, 1))
        ... )
        >>> for row in prepaid.describe("en_US"):
        ...     print(row)
        2026-10-20 top-up BANK-1: +CN¥300.00; balance CN¥300.00
        2026-12-01 refund R-1: −CN¥100.00; balance CN¥200.00
        balance CN¥200.00 = topped up CN¥300.00 − settled CN¥0.00 − refunded CN¥100.00
        """
        name = check_locale(locale)
        rows = []
        running = Money.zero(self.currency)
        for movement in self.movements:
            running = running + movement.signed
            rows.append(
                gettext(
                    "%(movement)s; balance %(balance)s",
                    locale=name,
                    movement=movement.describe(name),
                    balance=format_money(running, name),
                )
            )
        rows.append(
            gettext(
                "balance %(balance)s = topped up %(topped)s − settled %(settled)s − refunded "
                "%(refunded)s",
                locale=name,
                balance=format_money(self.balance, name),
                topped=format_money(self.topped_up, name),
                settled=format_money(self.settled, name),
                refunded=format_money(self.refunded, name),
            )
        )
        return tuple(rows)
