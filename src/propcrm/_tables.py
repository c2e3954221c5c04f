"""Tables from files: CSV (the csv module) or XLSX (openpyxl), decoded and headed, row by row.

The one reader behind :mod:`propcrm.banking` and :mod:`propcrm.imports`: the file's bytes from
a path or given, the encodings Chinese systems write (GBK/GB18030, UTF-8 with or without a
byte-order mark), a header found on its line (title lines above it skipped), and each data row
with its line number as the file shows it. A file that cannot be read at all raises
:class:`~propcrm.errors.InvalidDataFile`; what a row holds is the caller's to check.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import importlib
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

import attrs

from propcrm._validators import check_instance
from propcrm.errors import InvalidDataFile, MissingExtra

__all__ = [
    "ENCODINGS",
    "TableLayout",
    "cell_text",
    "check_delimiter",
    "check_encoding",
    "check_line",
    "read_table",
]

ENCODINGS = ("utf-8-sig", "utf-8", "gb18030", "gbk")
"""The encodings Chinese banks and systems write (``utf-8-sig``: UTF-8 with a BOM or without)."""

_BOM = codecs.BOM_UTF8


def check_encoding(_instance: object, _attribute: object, value: object) -> None:
    """An attrs validator: one of :data:`ENCODINGS`."""
    if value not in ENCODINGS:
        raise InvalidDataFile(
            f"encoding {value!r} is not one Chinese banks and systems write; use one of "
            f"{', '.join(ENCODINGS)} ('utf-8-sig' reads UTF-8 with or without a BOM).",
            field="encoding",
            value=value,
            allowed=", ".join(ENCODINGS),
        )


def check_delimiter(_instance: object, _attribute: object, value: object) -> None:
    """An attrs validator: one character, not a quote or a line break."""
    if not isinstance(value, str) or len(value) != 1 or value in '\r\n"':
        raise InvalidDataFile(
            f"delimiter {value!r} must be one character, e.g. ',' or '\\t'.",
            field="delimiter",
            value=value,
            allowed="one character other than a quote or a line break",
        )


def check_line(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    """An attrs validator: a line number from 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDataFile(
            f"{attribute.name} must be a line number from 1, got {value!r}.",
            field=attribute.name,
            value=value,
            allowed="an int from 1",
        )


@attrs.frozen
class TableLayout:
    """How a file is written: its encoding, delimiter, header line and XLSX sheet."""

    encoding: str = "utf-8-sig"
    delimiter: str = ","
    header_line: int = 1
    sheet: str | None = None


def cell_text(cell: object) -> str:
    """A cell as text, stripped (a date cell in ISO form, an empty cell as ``''``)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()
    return str(cell).strip()


def _header(cells: Sequence[object], columns: Mapping[str, str], line: int) -> dict[str, int]:
    found = [cell_text(c) for c in cells]
    where: dict[str, int] = {}
    missing = []
    for field, name in columns.items():
        if name in found:
            where[field] = found.index(name)
        else:
            missing.append(name)
    if missing:
        raise InvalidDataFile(
            f"the header on line {line} has no column {', '.join(map(repr, missing))}; it has "
            f"{', '.join(map(repr, found))}. Name the file's headers in its format, "
            "or set header_line to the line that holds them.",
            field="header",
            value=found,
            allowed=", ".join(columns.values()),
            line=line,
        )
    return where


def _decode(data: bytes, fmt: TableLayout) -> str:
    if data.startswith(_BOM) and not fmt.encoding.startswith("utf-8"):
        raise InvalidDataFile(
            f"the file starts with a UTF-8 byte-order mark but the format says {fmt.encoding}; "
            "use encoding='utf-8-sig'.",
            field="encoding",
            value=fmt.encoding,
            allowed="utf-8-sig",
        )
    # GBK is a subset of GB18030: reading GBK as GB18030 loses nothing and accepts the
    # characters banks' newer systems add.
    codec = "gb18030" if fmt.encoding == "gbk" else fmt.encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        other = "gb18030" if codec.startswith("utf-8") else "utf-8-sig"
        raise InvalidDataFile(
            f"line {line} of the file is not {fmt.encoding} (byte {error.start}); banks write "
            f"GBK/GB18030 or UTF-8: try encoding={other!r}.",
            field="encoding",
            value=fmt.encoding,
            allowed=", ".join(ENCODINGS),
            line=line,
        ) from None


def _csv_rows(data: bytes, fmt: TableLayout) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(_decode(data, fmt), newline=""), delimiter=fmt.delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise InvalidDataFile(
            f"line {reader.line_num} is not CSV the csv module can read: {error}.",
            field="file",
            value=reader.line_num,
            allowed="CSV",
            line=reader.line_num,
        ) from error


def _xlsx_rows(data: bytes, fmt: TableLayout) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        # The xlsx extra, needed only for workbooks.
        openpyxl = importlib.import_module("openpyxl")
    except ImportError as error:
        raise MissingExtra(
            "reading an XLSX file needs openpyxl: pip install 'propcrm[xlsx]' (or save the "
            "sheet as CSV).",
            field="file",
            value="xlsx",
            allowed="openpyxl installed, or a CSV file",
            extra="xlsx",
            module="openpyxl",
        ) from error
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile's, KeyError, ValueError …
        raise InvalidDataFile(
            f"the file is not an XLSX workbook openpyxl can read: {type(error).__name__}: {error}.",
            field="file",
            value="xlsx",
            allowed="an .xlsx workbook",
        ) from error
    try:
        if fmt.sheet is None:
            sheet = book.active
        elif fmt.sheet in book.sheetnames:
            sheet = book[fmt.sheet]
        else:
            raise InvalidDataFile(
                f"the workbook has no sheet {fmt.sheet!r}; it has {book.sheetnames}.",
                field="sheet",
                value=fmt.sheet,
                allowed=", ".join(book.sheetnames),
            )
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()


def _source(source: object) -> tuple[bytes, bool]:
    """The file's bytes, and whether it is a workbook (a zip: XLSX)."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = check_instance(source, "source", str, os.PathLike, bytes, example="'bank.csv'")
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            raise InvalidDataFile(
                f"cannot read {os.fspath(path)!r}: {error.strerror}.",
                field="source",
                value=os.fspath(path),
                allowed="a readable CSV or XLSX file",
            ) from error
    return data, data.startswith(b"PK\x03\x04")


def _blank(cells: Sequence[object]) -> bool:
    """Whether every cell is empty or whitespace (a blank row, which is skipped)."""
    first = cells[0] if cells else None
    if type(first) is str and first and not first.isspace():
        return False  # the common case, without joining the row's cells
    try:
        # A CSV row's cells are text: one strip of them all, where a file of 100,000 rows spent
        # a microsecond a row on each cell's.
        return not "".join(cast("Sequence[str]", cells)).strip()
    except TypeError:  # a workbook's numbers, dates and empty cells
        return not any(cell_text(c) for c in cells)


def read_table(
    source: object, layout: TableLayout, columns: Mapping[str, str]
) -> Iterator[tuple[int, Sequence[Any], dict[str, int]]]:
    """Each data row of the file: its line, its cells, and where each mapped column is.

    Blank rows are skipped. Raises :class:`~propcrm.errors.InvalidDataFile` when the file
    cannot be read, or its header line lacks a mapped column or never comes.
    """
    data, workbook = _source(source)
    rows = _xlsx_rows(data, layout) if workbook else _csv_rows(data, layout)
    where: dict[str, int] | None = None
    for line, cells in rows:
        if line < layout.header_line:
            continue
        if where is None:
            where = _header(cells, columns, line)
            continue
        if not _blank(cells):
            yield line, cells, where
    if where is None:
        raise InvalidDataFile(
            f"the file ends before its header line {layout.header_line}.",
            field="header_line",
            value=layout.header_line,
            allowed="the line of the header",
        )
