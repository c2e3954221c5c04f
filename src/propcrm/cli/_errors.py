"""The command line's exit codes, and how a library error becomes one.

This module imports nothing but the standard library and :mod:`propcrm.errors`, so that
``propcrm`` can say which extra to install (and exit with :attr:`ExitCode.MISSING_EXTRA`) on a
machine without Click.
"""

from __future__ import annotations

import enum

from propcrm.errors import (
    ConcurrencyConflict,
    ConflictingReceipt,
    MissingExtra,
    MissingFacts,
    PropcrmError,
    RecordExists,
    SchemaOutOfDate,
)

__all__ = ["EXIT_CODE_TABLE", "CommandFailed", "ExitCode", "exit_code_of"]


class ExitCode(enum.IntEnum):
    """What the ``propcrm`` process's exit status means; the docs and ``--help`` list them."""

    OK = 0
    """Done."""
    FAILED = 1
    """An unexpected error (a bug): the traceback is printed; please report it."""
    USAGE = 2
    """The command line itself was wrong: an unknown command or option, a bad option value."""
    INVALID_INPUT = 3
    """A value or a file the library refuses (an amount, a date, a unit that does not exist)."""
    BAD_ROWS = 4
    """An import file has bad rows, each listed with its line and reason; nothing was written."""
    DATABASE = 5
    """The database is missing, not initialised for a community, or its schema is out of date."""
    CONFLICT = 6
    """Another writer got there first, or a record conflicts with one stored; nothing written."""
    MISSING_EXTRA = 7
    """An optional extra is not installed; the message names the ``pip install`` to run."""


EXIT_CODE_TABLE: tuple[tuple[int, str], ...] = (
    (ExitCode.OK, "done"),
    (ExitCode.FAILED, "unexpected error (a bug: the traceback is printed)"),
    (ExitCode.USAGE, "wrong command line: unknown command or option, bad option value"),
    (ExitCode.INVALID_INPUT, "a value or file the library refuses; nothing written"),
    (
        ExitCode.BAD_ROWS,
        "an import file has bad rows (listed with line and reason); nothing written",
    ),
    (ExitCode.DATABASE, "database missing, not initialised, or its schema out of date"),
    (ExitCode.CONFLICT, "another writer got there first, or a conflicting record; nothing written"),
    (ExitCode.MISSING_EXTRA, "an optional extra is missing: the message says what to install"),
)
"""Each exit code with one line on what it means (English: ``--help`` and docs/cli.md)."""


class CommandFailed(Exception):
    """A command stops with a message for people and an exit code; no traceback is printed.

    The command line's own refusals (no database at the path, a unit with no account) raise it;
    the library's errors are mapped by :func:`exit_code_of`.
    """

    def __init__(self, message: str, code: ExitCode, *, data: dict[str, object] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.data = data or {}


def exit_code_of(error: BaseException) -> ExitCode:
    """The exit code for an error a command raised; :attr:`ExitCode.FAILED` for a bug."""
    if isinstance(error, CommandFailed):
        return error.code
    if isinstance(error, MissingExtra):
        return ExitCode.MISSING_EXTRA
    if isinstance(error, SchemaOutOfDate | MissingFacts):
        return ExitCode.DATABASE
    if isinstance(error, ConcurrencyConflict | ConflictingReceipt | RecordExists):
        return ExitCode.CONFLICT
    if isinstance(error, PropcrmError):
        return ExitCode.INVALID_INPUT
    return ExitCode.FAILED
