"""Reading a bank's collection file (银行代收): a documented column mapping, every row checked.

Chinese banks send the file of payments they collected for the community as CSV (in GBK or
GB18030, or UTF-8 with a byte-order mark, often under a few title lines) or as an XLSX
workbook. A :class:`BankFileFormat` names the header of each column the reconciliation reads
and how its text is written; :func:`read_bank_file` turns each data row into a
:class:`BankRow` of the library's own types, or into a :class:`RowError` with the row's line
number and the reason. A row is never read by guessing: ``1e3`` or ``12.345`` is not an amount,
``2026/13/01`` not a date, and a unit id with a space is no unit id.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, gettext
from propcrm._tables import (
    ENCODINGS,
    TableLayout,
    cell_text,
    check_delimiter,
    check_encoding,
    check_line,
    read_table,
)
from propcrm._validators import (
    check_instance,
    check_int,
    check_items,
    check_record_id,
    check_text,
    instance_of,
)
from propcrm.errors import (
    CurrencyMismatch,
    InvalidAmount,
    InvalidDataFile,
    InvalidQuantity,
    PropcrmError,
)
from propcrm.money import CNY, Money, check_currency
from propcrm.time import as_date

__all__ = [
    "ENCODINGS",
    "BankFile",
    "BankFileFormat",
    "BankRow",
    "RowError",
    "RowProblem",
    "read_bank_file",
]


_AMOUNT = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


def _column(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None or attribute.name in {"reference", "unit", "amount", "date"}:
        check_text(value, attribute.name, InvalidDataFile, max_length=100, example="'交易流水号'")


def _date_formats(value: object) -> tuple[str, ...]:
    formats = check_items(value, "date_formats", str, error=InvalidDataFile)
    if not formats or not all("%" in f for f in formats):
        raise InvalidDataFile(
            f"date_formats {formats!r} must list strptime formats, e.g. ('%Y-%m-%d', '%Y%m%d').",
            field="date_formats",
            value=formats,
            allowed="one or more strptime formats",
        )
    return formats


@attrs.frozen
class BankFileFormat:
    """Which column holds what, and how the bank writes it.

    Each column is named by its header text, exactly as the bank writes it (surrounding spaces
    ignored). ``reference``, ``unit``, ``amount`` and ``date`` are required; ``payer`` (the
    payer's name, shown in the report, never stored on a receipt) and ``statement`` (the fee
    notice number the payer quoted, honoured as the receipt's designation) are optional.

    Attributes:
        reference: the bank's serial number (交易流水号): unique per receipt in a community.
        unit: the unit id the payment is for (房号/户号).
        amount: the amount in yuan, at most two decimals, no grouping (``1063.00``).
        date: the day the payer paid.
        payer: the payer's name (户名), if the file has one.
        statement: the fee notice number quoted, if the file has one.
        date_formats: the strptime formats the date may be written in, tried in order.
        encoding: ``utf-8-sig`` (UTF-8, BOM or not), ``utf-8``, ``gb18030`` or ``gbk``.
        delimiter: the CSV field separator.
        header_line: the line (CSV) or row (XLSX) holding the header; the bank's title lines
            above it are skipped.
        sheet: the XLSX sheet (default: the active one).
        currency: the currency of the amounts.

    >>> fmt = BankFileFormat(reference="流水号", unit="房号", amount="金额", date="日期")
    >>> fmt.encoding, fmt.date_formats
    ('utf-8-sig', ('%Y-%m-%d', '%Y%m%d', '%Y/%m/%d'))
    """

    reference: str = attrs.field(validator=_column)
    unit: str = attrs.field(validator=_column)
    amount: str = attrs.field(validator=_column)
    date: str = attrs.field(validator=_column)
    payer: str | None = attrs.field(default=None, validator=_column)
    statement: str | None = attrs.field(default=None, validator=_column)
    date_formats: tuple[str, ...] = attrs.field(
        default=("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"), converter=_date_formats
    )
    encoding: str = attrs.field(default="utf-8-sig", validator=check_encoding)
    delimiter: str = attrs.field(default=",", validator=check_delimiter)
    header_line: int = attrs.field(default=1, validator=check_line)
    sheet: str | None = attrs.field(default=None, validator=_column)
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))

    def columns(self) -> dict[str, str]:
        """The mapped columns: field → header text."""
        named = {
            "reference": self.reference,
            "unit": self.unit,
            "amount": self.amount,
            "date": self.date,
            "payer": self.payer,
            "statement": self.statement,
        }
        return {k: v.strip() for k, v in named.items() if v is not None}


def _line(value: object) -> int:
    return check_int(value, "line", InvalidQuantity, minimum=1)


def _positive_money(value: object) -> Money:
    money: Money = check_instance(value, "amount", Money, example="Money('466.48')")
    if not money.is_positive or not money.is_rounded:
        raise InvalidAmount(
            f"a bank row's amount must be positive and rounded to the fen, got {money!r}.",
            field="amount",
            value=money,
            allowed="a positive amount to the fen",
        )
    return money


def _paid_on(value: object) -> pendulum.Date:
    return as_date(value, "paid_on")


def _bank_rows(value: object) -> tuple[BankRow, ...]:
    return check_items(value, "rows", BankRow)


def _row_errors(value: object) -> tuple[RowError, ...]:
    return check_items(value, "rejected", RowError)


def _payer(value: object) -> str:
    return check_text(value, "payer_name", InvalidQuantity, max_length=200)


class RowProblem(enum.Enum):
    """Why a row of the file could not be read."""

    MISSING = "missing"
    BAD_AMOUNT = "bad_amount"
    BAD_DATE = "bad_date"
    BAD_REFERENCE = "bad_reference"
    BAD_UNIT = "bad_unit"
    BAD_STATEMENT = "bad_statement"
    SHORT_ROW = "short_row"


@attrs.frozen
class RowError:
    """A row that could not be read: its line, the column, the text found and why.

    >>> RowError(7, RowProblem.BAD_AMOUNT, "金额", "1e3").describe("en_US")
    "line 7, column 金额: '1e3' is not an amount in yuan with at most two decimals, e.g. 1063.00"
    """

    line: int = attrs.field(validator=lambda _i, _a, v: _line(v))
    problem: RowProblem = attrs.field(validator=instance_of(RowProblem))
    column: str = attrs.field(validator=instance_of(str))
    value: str = attrs.field(validator=instance_of(str))

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The line, the column and the reason, for people, in ``locale``."""
        name = check_locale(locale)
        reason = self._reason(name)
        return gettext(
            "line %(line)d, column %(column)s: %(reason)s",
            locale=name,
            line=self.line,
            column=self.column,
            reason=reason,
        )

    def _reason(self, locale: str) -> str:
        value = repr(self.value)
        match self.problem:
            case RowProblem.MISSING:
                return gettext("no value", locale=locale)
            case RowProblem.BAD_AMOUNT:
                return gettext(
                    "%(value)s is not an amount in yuan with at most two decimals, e.g. 1063.00",
                    locale=locale,
                    value=value,
                )
            case RowProblem.BAD_DATE:
                return gettext(
                    "%(value)s is not a date in the file's formats", locale=locale, value=value
                )
            case RowProblem.BAD_REFERENCE:
                return gettext(
                    "%(value)s is not a usable bank reference", locale=locale, value=value
                )
            case RowProblem.BAD_UNIT:
                return gettext("%(value)s is not a usable unit id", locale=locale, value=value)
            case RowProblem.BAD_STATEMENT:
                return gettext(
                    "%(value)s is not a usable statement number", locale=locale, value=value
                )
            case RowProblem.SHORT_ROW:
                return gettext(
                    "the row ends before this column (%(value)s)", locale=locale, value=value
                )


@attrs.frozen
class BankRow:
    """One payment of the file, read into the library's types.

    Attributes:
        line: the row's line (CSV) or row number (XLSX), as the bank's file shows it.
        reference: the bank's serial number.
        unit_id: the unit the payment is for.
        amount: what was paid, positive, to the fen.
        paid_on: the day the payer paid.
        payer_name: the payer's name, if the file has one (for the report only).
        statement: the fee notice number the payer quoted, if any.
    """

    line: int = attrs.field(validator=lambda _i, _a, v: _line(v))
    reference: str = attrs.field(validator=lambda _i, _a, v: check_record_id(v, "reference"))
    unit_id: str = attrs.field(validator=lambda _i, _a, v: check_record_id(v, "unit_id"))
    amount: Money = attrs.field(validator=lambda _i, _a, v: _positive_money(v))
    paid_on: pendulum.Date = attrs.field(converter=_paid_on)
    payer_name: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(lambda _i, _a, v: _payer(v))
    )
    statement: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            lambda _i, _a, v: check_record_id(v, "statement", InvalidQuantity)
        ),
    )


@attrs.frozen
class BankFile:
    """A collection file read: the rows read and the rows refused, each with its line.

    ``total`` is the sum of the rows read; a refused row has no amount the library trusts.
    """

    rows: tuple[BankRow, ...] = attrs.field(converter=_bank_rows)
    rejected: tuple[RowError, ...] = attrs.field(converter=_row_errors)
    currency: str = attrs.field(default=CNY, validator=lambda _i, _a, v: check_currency(v))

    def __attrs_post_init__(self) -> None:
        for row in self.rows:
            if row.amount.currency != self.currency:
                raise CurrencyMismatch(
                    f"row {row.line} is in {row.amount.currency}, the file in {self.currency}.",
                    field="rows",
                    value=row.amount.currency,
                    allowed=self.currency,
                    line=row.line,
                )

    @property
    def total(self) -> Money:
        """The sum of the rows read."""
        return Money.total((r.amount for r in self.rows), self.currency)

    @property
    def lines(self) -> int:
        """How many data rows the file has (read and refused)."""
        return len(self.rows) + len({e.line for e in self.rejected})


# -- cells -------------------------------------------------------------------------------------


class _RowRefused(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.describe("en_US"))
        self.error = error


def _required(line: int, column: str, cell: object) -> str:
    text = cell_text(cell)
    if not text:
        raise _RowRefused(RowError(line, RowProblem.MISSING, column, text))
    return text


def _identifier(line: int, column: str, cell: object, problem: RowProblem) -> str:
    # A spreadsheet keeps a long serial or a unit number typed as a number as a float, which
    # may already have lost digits: only text and whole numbers are ids.
    if isinstance(cell, float):
        raise _RowRefused(RowError(line, problem, column, repr(cell)))
    text = _required(line, column, cell)
    try:
        return check_record_id(text, column)
    except PropcrmError:
        raise _RowRefused(RowError(line, problem, column, text)) from None


def _amount(line: int, column: str, cell: object, currency: str) -> Money:
    if isinstance(cell, bool):
        raise _RowRefused(RowError(line, RowProblem.BAD_AMOUNT, column, repr(cell)))
    # A number cell of a workbook: its shortest repr is what the bank typed (1063.5 → '1063.5');
    # one that needs an exponent or more than two decimals is refused.
    text = repr(cell) if isinstance(cell, float) else _required(line, column, cell)
    if not _AMOUNT.fullmatch(text):
        raise _RowRefused(RowError(line, RowProblem.BAD_AMOUNT, column, text))
    amount = Money(text, currency)
    if not amount.is_positive:
        raise _RowRefused(RowError(line, RowProblem.BAD_AMOUNT, column, text))
    return amount


def _parse_date(text: str, formats: Sequence[str]) -> pendulum.Date | None:
    for fmt in formats:
        try:
            # Naive on purpose: only the calendar day is read, never an instant.
            parsed = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007
        except ValueError:
            continue
        return pendulum.date(parsed.year, parsed.month, parsed.day)
    return None


def _date(
    line: int,
    column: str,
    cell: object,
    formats: Sequence[str],
    seen: dict[str, pendulum.Date | None],
) -> pendulum.Date:
    if isinstance(cell, datetime.datetime | datetime.date):
        day = cell.date() if isinstance(cell, datetime.datetime) else cell
        return pendulum.date(day.year, day.month, day.day)
    text = _required(line, column, cell)
    # A file's rows share a few dates: each distinct text is parsed once (a date is frozen).
    if text not in seen:
        seen[text] = _parse_date(text, formats)
    found = seen[text]
    if found is None:
        raise _RowRefused(RowError(line, RowProblem.BAD_DATE, column, text))
    return found


def _read_row(
    line: int,
    cells: Sequence[object],
    where: dict[str, int],
    fmt: BankFileFormat,
    names: dict[str, str],
    dates: dict[str, pendulum.Date | None],
) -> BankRow:

    def cell(field: str) -> object:
        index = where[field]
        if index >= len(cells):
            raise _RowRefused(
                RowError(line, RowProblem.SHORT_ROW, names[field], f"{len(cells)} cells")
            )
        return cells[index]

    reference = _identifier(line, names["reference"], cell("reference"), RowProblem.BAD_REFERENCE)
    unit = _identifier(line, names["unit"], cell("unit"), RowProblem.BAD_UNIT)
    amount = _amount(line, names["amount"], cell("amount"), fmt.currency)
    paid_on = _date(line, names["date"], cell("date"), fmt.date_formats, dates)
    payer = (cell_text(cell("payer")) or None) if "payer" in where else None
    statement = None
    if "statement" in where and cell_text(cell("statement")):
        statement = _identifier(
            line, names["statement"], cell("statement"), RowProblem.BAD_STATEMENT
        )
    return BankRow(line, reference, unit, amount, paid_on, payer, statement)


# -- files -------------------------------------------------------------------------------------


def read_bank_file(source: object, file_format: BankFileFormat) -> BankFile:
    r"""Every data row of a collection file, read or refused with its line and reason.

    Args:
        source: the file's path, or its bytes; an XLSX workbook is recognised by its content.
        file_format: which column holds what.

    Raises:
        InvalidDataFile: the file cannot be read at all (unreadable, not in its encoding, no
            header with the mapped columns); a bad row is a :class:`RowError` instead.
        MissingExtra: an XLSX file without openpyxl (``propcrm[xlsx]``).

    >>> fmt = BankFileFormat(reference="流水号", unit="房号", amount="金额", date="日期")
    >>> text = "代收明细\n流水号,房号,金额,日期\nB1,1-2-0301,466.48,20261205\n"
    >>> text += "B2,1-2-0302,1e3,20261205"
    >>> gbk = attrs.evolve(fmt, encoding="gbk", header_line=2)  # a title line above the header
    >>> read = read_bank_file(text.encode("gb18030"), gbk)
    >>> read.total
    Money('466.48', 'CNY')
    >>> [e.describe("zh_CN") for e in read.rejected]
    ["第4行，金额列：'1e3' 不是以元为单位、最多两位小数的金额，例如 1063.00"]
    """
    check_instance(file_format, "file_format", BankFileFormat, example="BankFileFormat(...)")
    layout = TableLayout(
        file_format.encoding, file_format.delimiter, file_format.header_line, file_format.sheet
    )
    rows: list[BankRow] = []
    rejected: list[RowError] = []
    names = file_format.columns()
    dates: dict[str, pendulum.Date | None] = {}
    for line, cells, where in read_table(source, layout, names):
        try:
            rows.append(_read_row(line, cells, where, file_format, names, dates))
        except _RowRefused as refused:
            rejected.append(refused.error)
    return BankFile(tuple(rows), tuple(rejected), file_format.currency)
