"""``propcrm import units|parties|relations|readings FILE``: spreadsheets into the database.

Each row is built by :func:`propcrm.imports.read_import` into the library's own value, so a
float area, a bad ID number or an unknown unit type is a bad row with its line and reason. The
command adds its own checks: an id already in the database, a unit of a community ``init`` has
not recorded, a meter reading for a unit that does not exist. While any row is bad nothing is
written (exit code 4), unless ``--skip-bad FILE``: then the good rows are written and the bad
ones go to FILE (line, column, value, reason). ``--dry-run`` checks and writes nothing.

Columns: each field's header is the field's own name (``unit_id``, ``building_area``…) unless
``--map FIELD=HEADER`` says otherwise (``--map unit_id=房号``); an optional field is read only
when mapped. Units, parties and relations go into the party book, which checks the relations
as a whole (shares, overlaps); readings are kept for the ``--period`` they are billed in, each
with the unit its meter belongs to (the ``unit_id`` column of the readings file).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from propcrm._tables import TableLayout, cell_text, read_table
from propcrm._validators import check_record_id
from propcrm.billing import MeterReading
from propcrm.cli._app import (
    COMMUNITY_KIND,
    PERIOD,
    Session,
    cli,
    collector_paused,
    command_options,
)
from propcrm.cli._errors import CommandFailed, ExitCode
from propcrm.errors import PropcrmError, RecordNotFound
from propcrm.imports import FIELDS, BadRow, ImportFormat, ImportResult, RecordKind, read_import
from propcrm.time import BillingPeriod

if TYPE_CHECKING:
    from propcrm.storage import UnitOfWork

__all__ = ["READINGS_KIND", "PeriodReadings", "UnitReading", "import_group"]

READINGS_KIND = "cli.readings"
"""The record kind under which each period's meter readings are kept, keyed by period code."""


@attrs.frozen
class UnitReading:
    """A meter reading and the unit whose meter it is."""

    unit_id: str
    reading: MeterReading


@attrs.frozen
class PeriodReadings:
    """The meter readings a period is billed with."""

    readings: tuple[UnitReading, ...] = ()


@cli.group("import")
def import_group() -> None:
    """Import units, parties, relations or meter readings from a CSV or XLSX file.

    Every row is checked; while any is bad nothing is written and each bad row is listed with
    its line and reason (exit code 4). Headers are the field names unless --map says otherwise.
    """


def _columns(kind: RecordKind, mapping: Sequence[str], extra: Sequence[str] = ()) -> dict[str, str]:
    required, optional = FIELDS[kind]
    columns = {field: field for field in (*required, *extra)}
    for item in mapping:
        field, sep, header = item.partition("=")
        if not sep or not header.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=HEADER", param_hint="--map")
        if field not in (*required, *optional, *extra):
            fields = ", ".join((*required, *optional, *extra))
            raise click.BadParameter(
                f"{kind.value} have no field {field!r}; their fields are {fields}",
                param_hint="--map",
            )
        columns[field] = header.strip()
    return columns


def _options(kind: RecordKind) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        func = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))(
            func
        )
        for option in (
            click.option(
                "--map",
                "mapping",
                multiple=True,
                metavar="FIELD=HEADER",
                help="the header of a field's column (default: the field's name); repeat",
            ),
            click.option(
                "--encoding",
                default="utf-8-sig",
                show_default=True,
                help="utf-8-sig, utf-8, gb18030 or gbk",
            ),
            click.option("--delimiter", default=",", show_default=True),
            click.option("--header-line", type=int, default=1, show_default=True),
            click.option("--sheet", help="the XLSX sheet (default: the active one)"),
            click.option("--dry-run", is_flag=True, help="check every row, write nothing"),
            click.option(
                "--skip-bad",
                type=click.Path(dir_okay=False, path_type=Path),
                help="write the good rows and the bad ones to this file (CSV: line, column, "
                "value, reason)",
            ),
        ):
            func = option(func)
        fields = FIELDS[kind]
        func.__doc__ = (
            f"Import {kind.value} from FILE (CSV or XLSX).\n\n"
            f"Fields: {', '.join(fields[0])} (required); "
            f"{', '.join(fields[1]) or 'none'} (optional)"
            + (
                "; unit_id, the unit whose meter it is (required)."
                if kind is RecordKind.READINGS
                else "."
            )
        )
        return func

    return decorate


@collector_paused()
def _run(session: Session, kind: RecordKind, period: BillingPeriod | None, **opts: Any) -> None:
    extra = ("unit_id",) if kind is RecordKind.READINGS else ()
    columns = _columns(kind, opts["mapping"], extra)
    own = {k: v for k, v in columns.items() if k not in extra}
    layout = {
        "encoding": opts["encoding"],
        "delimiter": opts["delimiter"],
        "header_line": opts["header_line"],
        "sheet": opts["sheet"],
    }
    fmt = ImportFormat(kind, own, **layout)
    path: Path = opts["file"]
    data = path.read_bytes()
    found = read_import(data, fmt, skip_bad=True)
    store = session.store()
    with store() as uow:
        # The good rows' lines and cells, read again only when a check needs them (a bad row
        # to report, a reading's unit): an import of good rows never does.
        lines = functools.cache(
            lambda: _good_lines(data, TableLayout(**layout), columns, found.bad)
        )
        extra_bad, keep = _check(session, uow, kind, found.records, lines)
        bad = tuple(sorted((*found.bad, *extra_bad), key=lambda b: b.line))
        skip_to: Path | None = opts["skip_bad"]
        result = ImportResult(
            kind, tuple(keep), bad, bool(bad) and skip_to is not None, found.lines
        )
        report = _report(session, kind, result, path, opts["dry_run"], skip_to)
        for line in result.describe(session.locale).splitlines():
            session.out.line(line)
        if bad and skip_to is None:
            raise CommandFailed(
                f"{len(bad)} bad rows in {path}; nothing was written. Fix them, or import the "
                "good rows with --skip-bad FILE.",
                ExitCode.BAD_ROWS,
                data={"report": report},
            )
        if opts["dry_run"]:
            session.out.line(session._("dry run: nothing was written"))
            session.out.document(report)
            return
        if bad and skip_to is not None:
            skip_to.write_text(result.bad_rows_csv(), encoding="utf-8")
            session.out.line(
                session._("%(count)d bad rows written to %(file)s", count=len(bad), file=skip_to)
            )
        _write(uow, kind, keep, period)
        uow.commit()
    session.out.line(
        session._("%(count)d %(kind)s imported", count=len(keep), kind=_label(session, kind))
    )
    report["written"] = len(keep)
    session.out.document(report)


def _label(session: Session, kind: RecordKind) -> str:
    return {
        RecordKind.UNITS: session._("units"),
        RecordKind.PARTIES: session._("parties"),
        RecordKind.RELATIONS: session._("relations"),
        RecordKind.READINGS: session._("meter readings"),
    }[kind]


def _good_lines(
    data: bytes, layout: TableLayout, columns: dict[str, str], bad: Sequence[BadRow]
) -> list[tuple[int, dict[str, str]]]:
    """The line and mapped cells of each good row, in the order read_import built them."""
    refused = {row.line for row in bad}
    return [
        (line, {field: cell_text(cells[i]) if i < len(cells) else "" for field, i in where.items()})
        for line, cells, where in read_table(data, layout, columns)
        if line not in refused
    ]


def _stored(
    uow: UnitOfWork,
    kind: RecordKind,
    records: Sequence[Any],
    lines: Callable[[], Sequence[tuple[int, dict[str, str]]]],
) -> tuple[frozenset[str], frozenset[str]]:
    """The file's ids the book holds already, and (for readings) the units it holds."""
    # Only the ids the file names are looked up, never the whole book.
    parties = uow.parties
    if kind is RecordKind.UNITS:
        return parties.taken(units=[r.unit_id for r in records])[1], frozenset()
    if kind is RecordKind.PARTIES:
        return parties.taken(parties=[r.party_id for r in records])[0], frozenset()
    if kind is RecordKind.RELATIONS:
        return parties.taken(relations=[r.relation_id for r in records])[2], frozenset()
    named = [cells.get("unit_id", "") for _line, cells in lines()]
    return frozenset(), parties.taken(units=[u for u in named if _is_id(u)])[1]


def _is_id(text: str) -> bool:
    # A cell that is not an id at all names no stored unit (its row is bad below).
    try:
        check_record_id(text, "unit id")
    except PropcrmError:
        return False
    return True


def _check(
    session: Session,
    uow: UnitOfWork,
    kind: RecordKind,
    records: Sequence[Any],
    lines: Callable[[], Sequence[tuple[int, dict[str, str]]]],
) -> tuple[list[BadRow], list[Any]]:
    """Rows the library accepts but the database refuses (ids stored, unknown units)."""
    bad: list[BadRow] = []
    keep: list[Any] = []
    communities = set(uow.records.keys(COMMUNITY_KIND, limit=1000).items)
    stored, units = _stored(uow, kind, records, lines)
    if (
        kind is not RecordKind.READINGS
        and not stored
        and (kind is not RecordKind.UNITS or {r.community for r in records} <= communities)
    ):
        # No id stored, every community recorded: no row is refused below (an import of new
        # records, 100,000 of them, is this).
        return bad, list(records)
    for index, record in enumerate(records):
        problem = None
        if kind is RecordKind.UNITS:
            if record.unit_id in stored:
                problem = ("unit_id", f"unit {record.unit_id} is already in the database.")
            elif record.community not in communities:
                problem = (
                    "community",
                    (
                        f"community {record.community} is not recorded; run propcrm init "
                        f"--community {record.community} --name NAME first."
                    ),
                )
        elif kind is RecordKind.PARTIES and record.party_id in stored:
            problem = ("party_id", f"party {record.party_id} is already in the database.")
        elif kind is RecordKind.RELATIONS and record.relation_id in stored:
            problem = ("relation_id", f"relation {record.relation_id} is already in the database.")
        elif kind is RecordKind.READINGS:
            unit = lines()[index][1].get("unit_id", "")
            if unit not in units:
                problem = (
                    "unit_id",
                    f"unit {unit!r} is not in the database; import the units first.",
                )
        if problem is None:
            keep.append(
                UnitReading(lines()[index][1]["unit_id"], record)
                if kind is RecordKind.READINGS
                else record
            )
        else:
            field, reason = problem
            line, cells = lines()[index]
            bad.append(BadRow(line, reason, field, cells.get(field, "")))
    return bad, keep


def _write(
    uow: UnitOfWork,
    kind: RecordKind,
    records: Sequence[Any],
    period: BillingPeriod | None,
) -> None:
    if kind is RecordKind.READINGS:
        assert period is not None  # a required option of the readings command
        try:
            held = uow.records.get(READINGS_KIND, period.code, PeriodReadings)
            before, at = held.value.readings, held.version
        except RecordNotFound:
            before, at = (), 0
        meters = {r.reading.meter_id for r in records}
        kept = tuple(r for r in before if r.reading.meter_id not in meters)
        uow.records.put(READINGS_KIND, period.code, PeriodReadings((*kept, *records)), at)
        return
    added: dict[RecordKind, Sequence[Any]] = {kind: records}
    # The new records checked where they touch the book (their ids, units, leases, parties),
    # the book as if built whole again; the store reads only the rows they touch and writes
    # only the new ones.
    uow.parties.add_records(
        added.get(RecordKind.PARTIES, ()),
        added.get(RecordKind.UNITS, ()),
        added.get(RecordKind.RELATIONS, ()),
    )


def _report(
    session: Session,
    kind: RecordKind,
    result: ImportResult,
    path: Path,
    dry_run: bool,
    skip_to: Path | None,
) -> dict[str, object]:
    return {
        "command": "import",
        "kind": kind.value,
        "file": str(path),
        "lines": result.lines,
        "good": result.lines - len(result.bad),
        "bad": [
            {"line": b.line, "column": b.column, "value": b.value, "reason": b.reason}
            for b in result.bad
        ],
        "dry_run": dry_run,
        "skipped_to": None if skip_to is None else str(skip_to),
        "written": 0,
    }


def _make(kind: RecordKind) -> None:
    if kind is RecordKind.READINGS:

        def readings(session: Session, period: BillingPeriod, **opts: Any) -> None:
            _run(session, kind, period, **opts)

        period = click.option(
            "--period",
            type=PERIOD,
            required=True,
            help="the month the readings are billed in (2026-11)",
        )
        import_group.command(kind.value)(period(_options(kind)(command_options(readings))))
        return

    def records(session: Session, **opts: Any) -> None:
        _run(session, kind, None, **opts)

    import_group.command(kind.value)(_options(kind)(command_options(records)))


for _kind in RecordKind:
    _make(_kind)
