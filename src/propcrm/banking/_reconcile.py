"""Reconciling a collection file with what each unit owes: one outcome per row, and why.

Rows are taken in the file's order, each against the accounts as the rows before it left them
(two payments for one unit in a file see each other). A bank reference names one receipt in a
community, as :mod:`propcrm.storage` holds it: a row whose reference is already posted with
the same receipt for the same unit is a duplicate (credited once, nothing to post), and one
posted with another amount, date or unit is a conflict the store would refuse. The same holds
within the file. Money received is posted whether it pays exactly what is owed, less, or more
(the rest becomes the account's credit); the report says which.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Callable, Iterable, Mapping

import attrs
import pendulum
from babel import Locale
from babel.numbers import format_decimal

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext, ngettext
from propcrm._validators import check_instance, check_items, check_record_id
from propcrm.banking._files import BankFile, BankRow, RowError
from propcrm.billing import Statement
from propcrm.errors import DuplicateAccount, InvalidType, PropcrmError
from propcrm.money import Money, format_money
from propcrm.receivables import Account, Receipt
from propcrm.time import as_date

__all__ = ["Reconciled", "Reconciliation", "RowOutcome", "reconcile"]

PostedLookup = Callable[[str], "tuple[str, Receipt] | None"]


class RowOutcome(enum.Enum):
    """What a row of the file is, against the accounts and what is already posted."""

    MATCHED = "matched"
    UNDERPAID = "underpaid"
    OVERPAID = "overpaid"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_STATEMENT = "unknown_statement"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    CONFLICT_IN_FILE = "conflict_in_file"
    ALREADY_POSTED = "already_posted"
    CONFLICT_POSTED = "conflict_posted"
    DATED_AFTER_RECEIPT = "dated_after_receipt"

    @property
    def posts(self) -> bool:
        """Whether the row's receipt is to be posted (money received for a known account)."""
        return self in {RowOutcome.MATCHED, RowOutcome.UNDERPAID, RowOutcome.OVERPAID}

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The group's name for people, e.g. ``'金额不足'`` (zh_CN) or ``'underpaid'``."""
        match self:
            case RowOutcome.MATCHED:
                return gettext("matched", locale=locale)
            case RowOutcome.UNDERPAID:
                return gettext("less than owed", locale=locale)
            case RowOutcome.OVERPAID:
                return gettext("more than owed, the rest as credit", locale=locale)
            case RowOutcome.UNKNOWN_UNIT:
                return gettext("unknown unit", locale=locale)
            case RowOutcome.UNKNOWN_STATEMENT:
                return gettext("unknown statement", locale=locale)
            case RowOutcome.DUPLICATE_IN_FILE:
                return gettext("duplicate in the file", locale=locale)
            case RowOutcome.CONFLICT_IN_FILE:
                return gettext("reference reused in the file", locale=locale)
            case RowOutcome.ALREADY_POSTED:
                return gettext("already posted", locale=locale)
            case RowOutcome.CONFLICT_POSTED:
                return gettext("reference posted with other contents", locale=locale)
            case RowOutcome.DATED_AFTER_RECEIPT:
                return gettext("dated after the bank's receipt", locale=locale)


@attrs.frozen
class Reconciled:
    """One row of the file and its outcome, with what decided it.

    Attributes:
        row: the row as read.
        outcome: its group.
        owed: what the unit owed on the day, before this row (``None``: no account).
        receipt: the receipt to post (``None`` unless the outcome posts).
        credit: the part of an overpayment that becomes credit.
        first_line: a duplicate or conflict in the file: the line it repeats.
        posted_unit: already posted, or a conflict with a posted receipt: its unit.
    """

    row: BankRow
    outcome: RowOutcome
    owed: Money | None = None
    receipt: Receipt | None = None
    credit: Money | None = None
    first_line: int | None = None
    posted_unit: str | None = None

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The row and the reason for its group, for people, in ``locale``."""
        name = check_locale(locale)
        row = self.row
        return gettext(
            "line %(line)s: %(reference)s, unit %(unit)s, %(amount)s: %(reason)s",
            locale=name,
            line=_line_number(row.line, name),
            reference=row.reference,
            unit=row.unit_id,
            amount=_money_text(row.amount, name),
            reason=self._reason(name),
        )

    def _reason(self, locale: str) -> str:
        def money(value: Money | None) -> str:
            return "" if value is None else _money_text(value, locale)

        match self.outcome:
            case RowOutcome.MATCHED:
                return gettext("pays what is owed", locale=locale)
            case RowOutcome.UNDERPAID:
                return gettext("less than the %(owed)s owed", locale=locale, owed=money(self.owed))
            case RowOutcome.OVERPAID:
                return gettext(
                    "more than the %(owed)s owed; %(credit)s becomes credit",
                    locale=locale,
                    owed=money(self.owed),
                    credit=money(self.credit),
                )
            case RowOutcome.UNKNOWN_UNIT:
                return gettext("no account for this unit", locale=locale)
            case RowOutcome.UNKNOWN_STATEMENT:
                return gettext(
                    "the unit has no statement %(statement)s",
                    locale=locale,
                    statement=self.row.statement,
                )
            case RowOutcome.DUPLICATE_IN_FILE:
                return gettext(
                    "the same payment as line %(first)s", locale=locale, first=self.first_line
                )
            case RowOutcome.CONFLICT_IN_FILE:
                return gettext(
                    "the reference of line %(first)s, with other contents",
                    locale=locale,
                    first=self.first_line,
                )
            case RowOutcome.ALREADY_POSTED:
                return gettext("already posted; credited once", locale=locale)
            case RowOutcome.CONFLICT_POSTED:
                return gettext(
                    "the reference is posted for unit %(unit)s with other contents",
                    locale=locale,
                    unit=self.posted_unit,
                )
            case RowOutcome.DATED_AFTER_RECEIPT:
                return gettext(
                    "paid on %(paid)s, after the bank's receipt reached the company",
                    locale=locale,
                    paid=self.row.paid_on.isoformat(),
                )


@attrs.frozen
class Reconciliation:
    """The file's rows in groups, the rows refused, and the receipts ready to post.

    Every row of the file is in exactly one group or among the refused rows; the groups'
    totals add up to the total of the rows read.
    """

    rows: tuple[Reconciled, ...]
    rejected: tuple[RowError, ...]
    currency: str

    def group(self, outcome: RowOutcome) -> tuple[Reconciled, ...]:
        """The rows of one group, in the file's order."""
        check_instance(outcome, "outcome", RowOutcome, example="RowOutcome.MATCHED")
        return tuple(r for r in self.rows if r.outcome is outcome)

    @property
    def groups(self) -> dict[RowOutcome, tuple[Reconciled, ...]]:
        """Every group that has rows, in :class:`RowOutcome` order."""
        found = {outcome: self.group(outcome) for outcome in RowOutcome}
        return {outcome: rows for outcome, rows in found.items() if rows}

    def total(self, outcome: RowOutcome | None = None) -> Money:
        """The amount of one group's rows, or of every row read."""
        rows = self.rows if outcome is None else self.group(outcome)
        return Money.total((r.row.amount for r in rows), self.currency)

    def receipts(self) -> dict[str, tuple[Receipt, ...]]:
        """The receipts to post, by unit, in the file's order."""
        by_unit: dict[str, list[Receipt]] = {}
        for r in self.rows:
            if r.receipt is not None:
                by_unit.setdefault(r.row.unit_id, []).append(r.receipt)
        return {unit: tuple(receipts) for unit, receipts in by_unit.items()}

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The report: each group with its count and total, then its rows and their reasons."""
        name = check_locale(locale)
        lines = [
            ngettext(
                "%(num)s row read, %(total)s; %(refused)s refused",
                "%(num)s rows read, %(total)s; %(refused)s refused",
                len(self.rows),
                locale=name,
                total=format_money(self.total(), name),
                refused=len(self.rejected),
            )
        ]
        for outcome, rows in self.groups.items():
            lines.append(
                ngettext(
                    "%(group)s: %(num)s row, %(total)s",
                    "%(group)s: %(num)s rows, %(total)s",
                    len(rows),
                    locale=name,
                    group=outcome.label(name),
                    total=format_money(self.total(outcome), name),
                )
            )
            lines.extend(f"  {r.describe(name)}" for r in rows)
        if self.rejected:
            lines.append(
                ngettext(
                    "refused: %(num)s row", "refused: %(num)s rows", len(self.rejected), locale=name
                )
            )
            lines.extend(f"  {e.describe(name)}" for e in self.rejected)
        return "\n".join(lines)


def _accounts(value: object) -> dict[str, Account]:
    if isinstance(value, Mapping):
        accounts = {}
        for unit, account in value.items():
            check_record_id(unit, "unit id", InvalidType, field="accounts")
            accounts[unit] = check_instance(account, "accounts", Account)
        return accounts
    by_unit: dict[str, Account] = {}
    for account in check_items(value, "accounts", Account):
        if account.unit_id in by_unit:
            raise DuplicateAccount(
                f"two accounts for unit {account.unit_id} ({by_unit[account.unit_id].billed_party}"
                f" and {account.billed_party}); pass a mapping unit → the account the bank's "
                "payments for it go to.",
                field="accounts",
                value=account.unit_id,
                allowed="one account per unit",
                unit_id=account.unit_id,
            )
        by_unit[account.unit_id] = account
    return by_unit


def _lookup(value: object) -> PostedLookup:
    if value is None:
        return lambda _reference: None
    if isinstance(value, Mapping):
        table = dict(value)
        return table.get
    if callable(value):
        return value
    raise InvalidType(
        f"posted must be a mapping bank reference → (unit id, Receipt), or a function giving "
        f"that for a reference, got {type(value).__name__} {value!r}.",
        field="posted",
        value=value,
        allowed="a mapping or a callable",
    )


def _known(value: object, reference: str) -> tuple[str, Receipt] | None:
    if value is None:
        return None
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not isinstance(value[0], str)
        or not isinstance(value[1], Receipt)
    ):
        raise InvalidType(
            f"posted gave {value!r} for bank reference {reference}; it gives (unit id, Receipt) "
            "or None.",
            field="posted",
            value=value,
            allowed="(unit id, Receipt) or None",
        )
    return value[0], value[1]


@functools.lru_cache(maxsize=16384)
def _money_text(value: Money, locale: str) -> str:
    # A bank file's report describes each row, and its amounts repeat (a community's fees
    # take a few thousand values): each formatted once (a Money is frozen, the text its own).
    return format_money(value, locale)


def _line_number(line: int, locale: str) -> str:
    """A line number as the locale writes a whole number: babel's ``format_decimal``."""
    group = _grouping(locale)
    if group is not None and line >= 0:
        # The locale groups by three with its own separator (zh_CN and en_US alike): what babel
        # writes, without parsing its pattern for every row of a bank file.
        return f"{line:,}".replace(",", group)
    return format_decimal(line, locale=_babel_locale(locale))


@functools.cache
def _grouping(locale: str) -> str | None:
    # The group separator when whole numbers are written plainly in groups of three, else None.
    babel = _babel_locale(locale)
    pattern = babel.decimal_formats[None]
    plain = pattern.prefix == ("", "-") and pattern.suffix == ("", "")
    if plain and pattern.grouping == (3, 3) and pattern.int_prec[0] == 1:
        return str(babel.number_symbols["latn"]["group"])
    return None


@functools.cache
def _babel_locale(name: str) -> Locale:
    # Parsed once: babel parses a locale's name on every call given one (a bank file's report
    # describes each of its rows).
    return Locale.parse(name)


def _owed(account: Account, on: pendulum.Date) -> Money:
    # What the balance's outstanding less its credit is (the statements it leaves out owe
    # nothing), without each statement's late-fee breakdown: a bank file reads one per row.
    credit = account.credit(on)
    owed = Money.total((row.total for row in account.owed(on)), credit.currency) - credit
    return owed if owed.is_positive else Money.zero(owed.currency)


def _statements(account: Account) -> set[str]:
    # A payer may quote a notice's first number or a revision's.
    issued = [e for e in account.events if isinstance(e, Statement)]
    return {s.number for s in issued} | {s.supersedes for s in issued if s.supersedes}


def reconcile(
    bank_file: BankFile,
    accounts: Iterable[Account] | Mapping[str, Account],
    *,
    posted: Mapping[str, tuple[str, Receipt]] | PostedLookup | None = None,
    received_on: datetime.date | None = None,
) -> Reconciliation:
    """Each row of ``bank_file`` in its group, with the receipts ready to post.

    Args:
        bank_file: the file as :func:`read_bank_file` read it.
        accounts: the community's accounts (one per unit), or a mapping unit → the account the
            bank's payments for that unit go to.
        posted: the receipts already posted in the community, by bank reference: a mapping
            reference → ``(unit id, Receipt)``, or a function giving that (or ``None``) for a
            reference, e.g. over a store's ``accounts.receipt(community, reference)``. The
            accounts' own receipts are always checked.
        received_on: the day the bank's receipt (回单) reached the company, from which the
            payments count (domain brief §2); each receipt keeps the row's date as ``paid_on``.
            Default: the row's date. Import a file again with the same day, or its receipts
            are not the same receipts.

    >>> from propcrm.banking import BankFile, BankRow
    >>> notice = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="1-2-0301",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("466.48"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> day = pendulum.date(2026, 12, 5)
    >>> rows = (
    ...     BankRow(2, "B1", "1-2-0301", Money("466.48"), day),
    ...     BankRow(3, "B1", "1-2-0301", Money("466.48"), day),
    ...     BankRow(4, "B2", "9-9-0909", Money("100.00"), day),
    ... )
    >>> result = reconcile(BankFile(rows, ()), [Account("1-2-0301").post(notice)])
    >>> [(r.row.line, r.outcome.value) for r in result.rows]
    [(2, 'matched'), (3, 'duplicate_in_file'), (4, 'unknown_unit')]
    >>> result.receipts()["1-2-0301"][0].amount
    Money('466.48', 'CNY')
    """
    check_instance(bank_file, "bank_file", BankFile, example="read_bank_file(path, format)")
    received = None if received_on is None else as_date(received_on, "received_on")
    state = _Run(_accounts(accounts), _lookup(posted), received)
    rows = tuple(state.reconcile(row) for row in bank_file.rows)
    return Reconciliation(rows, bank_file.rejected, bank_file.currency)


@attrs.define
class _Run:
    """One reconciliation: the accounts as the rows so far left them, the references seen."""

    working: dict[str, Account]
    lookup: PostedLookup
    received: pendulum.Date | None
    index: dict[str, tuple[str, Receipt]] = attrs.field(factory=dict)
    first: dict[str, BankRow] = attrs.field(factory=dict)
    statements: dict[str, set[str]] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        # The accounts' own receipts: a reference is unique in the community, whichever account.
        for unit, account in self.working.items():
            for event in account.events:
                if isinstance(event, Receipt):
                    self.index.setdefault(event.reference, (unit, event))

    def receipt(self, row: BankRow) -> Receipt | None:
        try:
            return Receipt(
                row.reference,
                row.amount,
                received_on=row.paid_on if self.received is None else self.received,
                paid_on=None if self.received is None else row.paid_on,
                designation=(row.statement,) if row.statement else (),
            )
        except PropcrmError:
            # The only refusal left once the row was read: paid after the receipt's day.
            return None

    def reconcile(self, row: BankRow) -> Reconciled:
        seen = self.first.get(row.reference)
        if seen is not None:
            same = (seen.unit_id, seen.amount, seen.paid_on, seen.statement) == (
                row.unit_id,
                row.amount,
                row.paid_on,
                row.statement,
            )
            outcome = RowOutcome.DUPLICATE_IN_FILE if same else RowOutcome.CONFLICT_IN_FILE
            return Reconciled(row, outcome, first_line=seen.line)
        receipt = self.receipt(row)
        if receipt is None:
            return Reconciled(row, RowOutcome.DATED_AFTER_RECEIPT)
        self.first[row.reference] = row
        known = self.index.get(row.reference) or _known(self.lookup(row.reference), row.reference)
        if known is not None:
            unit, receipt_posted = known
            same = receipt_posted == receipt and unit == row.unit_id
            outcome = RowOutcome.ALREADY_POSTED if same else RowOutcome.CONFLICT_POSTED
            return Reconciled(row, outcome, posted_unit=unit)
        account = self.working.get(row.unit_id)
        if account is None:
            return Reconciled(row, RowOutcome.UNKNOWN_UNIT)
        owed = _owed(account, receipt.on)
        if row.statement is not None and row.statement not in self.numbers(account):
            return Reconciled(row, RowOutcome.UNKNOWN_STATEMENT, owed=owed)
        self.working[row.unit_id] = account.post(receipt)
        self.index[row.reference] = (row.unit_id, receipt)
        if row.amount == owed:
            return Reconciled(row, RowOutcome.MATCHED, owed=owed, receipt=receipt)
        if row.amount < owed:
            return Reconciled(row, RowOutcome.UNDERPAID, owed=owed, receipt=receipt)
        credit = row.amount - owed
        return Reconciled(row, RowOutcome.OVERPAID, owed=owed, receipt=receipt, credit=credit)

    def numbers(self, account: Account) -> set[str]:
        found = self.statements.get(account.unit_id)
        if found is None:
            found = self.statements[account.unit_id] = _statements(account)
        return found
