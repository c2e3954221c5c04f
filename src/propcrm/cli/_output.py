"""What a command prints: Rich tables and lines for people, or one JSON document for scripts.

``--json`` makes a command print exactly one JSON document on stdout (errors too, as
``{"error": …}``), with sorted keys, amounts as exact decimal strings (``"466.48"``, never a
number, so no float ever rounds a fen) beside the document's ``currency``, dates as ISO 8601
and instants with their offset. Without it, a command prints tables and lines in the locale
asked for; a progress bar goes to stderr, and only when stderr is a terminal.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TextIO, cast

import pendulum
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from propcrm.money import Money, format_money

__all__ = ["Output", "amount", "json_text", "jsonable"]

_orjson: Any
try:
    # The fast-json extra: the same text, written in C (see json_text).
    import orjson as _orjson
except ImportError:  # pragma: no cover - the suite runs with it installed
    _orjson = None

# Wide enough that a table of Chinese names and amounts is not wrapped when the output is a file
# or a pipe (Rich assumes 80 columns there); a terminal uses its own width.
_FILE_WIDTH = 132


def amount(money: Money) -> str:
    """An amount as an exact decimal string, exponent kept (``Money('466.48')`` → ``'466.48'``)."""
    return f"{money.amount:f}"


def jsonable(value: object) -> Any:
    """``value`` as JSON-compatible data: money as exact strings, dates and instants as ISO."""
    # The commonest first, by exact type (a report holds a 100,000 of each): the same answers
    # as the checks below, which subclasses still go through.
    kind = type(value)
    if kind is str or kind is int or value is None or kind is bool:
        return value
    if kind is dict:
        return {str(k): jsonable(v) for k, v in cast("dict[object, object]", value).items()}
    if kind is list or kind is tuple:
        return [jsonable(v) for v in cast("Sequence[object]", value)]
    if isinstance(value, Money):
        return amount(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.datetime):
        return pendulum.instance(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def json_text(data: object) -> str:
    """JSON-compatible ``data`` as indented text, keys sorted: orjson's where installed.

    The same text as ``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)``, whose
    indented form the standard library writes in Python, not C (a 100,000-line bank file's
    report is seconds of it).
    """
    if _orjson is not None:
        try:
            options = _orjson.OPT_INDENT_2 | _orjson.OPT_SORT_KEYS
            return cast("bytes", _orjson.dumps(data, option=options)).decode()
        except _orjson.JSONEncodeError:
            pass  # what orjson does not write (an int beyond 64 bits, a lone surrogate), json does
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


class Output:
    """A command's stdout and stderr, in one locale, for people or (``as_json``) for scripts."""

    def __init__(self, locale: str, *, as_json: bool, stdout: TextIO | None = None) -> None:
        self.locale = locale
        self.as_json = as_json
        # Read at call time: Click's test runner swaps sys.stdout per invocation.
        self.stdout = stdout or sys.stdout
        terminal = self.stdout.isatty()
        self.console = Console(
            file=self.stdout,
            width=None if terminal else _FILE_WIDTH,
            markup=False,
            highlight=False,
            emoji=False,
            soft_wrap=not terminal,
        )

    def money(self, value: Money) -> str:
        """An amount for people, in the output's locale (¥1,063.00; CN¥1,063.00)."""
        return format_money(value, self.locale)

    def line(self, text: str = "") -> None:
        """One line for people (nothing in JSON mode)."""
        if not self.as_json:
            self.console.print(Text(text))

    def table(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        right: Sequence[int] = (),
    ) -> None:
        """A table for people (nothing in JSON mode); columns in ``right`` are right-aligned."""
        if self.as_json:
            return
        table = Table(title=Text(title), title_justify="left")
        for index, header in enumerate(headers):
            table.add_column(Text(header), justify="right" if index in right else "left")
        for row in rows:
            table.add_row(*(Text(str(cell)) for cell in row))
        self.console.print(table)

    def document(self, data: Mapping[str, object]) -> None:
        """The one JSON document of a ``--json`` run (nothing otherwise)."""
        if self.as_json:
            self.stdout.write(json_text(jsonable(data)) + "\n")

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        """A progress bar on stderr while the block runs; yields ``advance(n)``.

        Shown only on a terminal and never in JSON mode, so logs and pipes stay clean.
        """
        stderr = sys.stderr
        if self.as_json or not stderr.isatty():
            yield lambda _n: None
            return
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stderr),
            transient=True,
        )
        with bar:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)
